# SPDX-License-Identifier: GPL-2.0
# opticctl set: LPMode, TX disable per lane, reset; argument errors, unknown
# ports and unprivileged callers get their documented exit statuses.

ok "optic_sim loads" load_sim ports=1
ok "optic.ko loads" load_optic
ok "port0 appears" wait_for 10 test -e "$OPTIC_CLASS/port0"
ok "port0 reaches ModuleReady" wait_for 20 sh -c \
	"opticctl -j show port0 | jq -e '.module_state == \"ready\"'"

state() { opticctl -j show port0 | jq -r .module_state; }
txdis() { opticctl -j show port0 | jq -c '[.lanes[].tx_disable]'; }

ok "set lpmode on" opticctl set port0 lpmode on
ok "module goes to ModuleLowPwr" wait_for 10 sh -c '[ "$(opticctl -j show port0 | jq -r .module_state)" = lowpwr ]'
check_eq "software low-power request shows" true "$(opticctl -j show port0 | jq .lowpwr_request_sw)"
ok "set lpmode off" opticctl set port0 lpmode off
ok "module comes back to ModuleReady" wait_for 20 sh -c '[ "$(opticctl -j show port0 | jq -r .module_state)" = ready ]'

ok "set tx-disable 1,3 on" opticctl set port0 tx-disable 1,3 on
check_eq "lanes 1 and 3 disabled" '[true,false,true,false,false,false,false,false]' "$(txdis)"
ok "set tx-disable 5-8 on" opticctl set port0 tx-disable 5-8 on
check_eq "lanes 1, 3, 5-8 disabled" '[true,false,true,false,true,true,true,true]' "$(txdis)"
ok "set tx-disable all off" opticctl set port0 tx-disable all off
check_eq "no lane disabled" '[false,false,false,false,false,false,false,false]' "$(txdis)"
ok "two settings at once" opticctl set port0 tx-disable 2 on lpmode off
check_eq "lane 2 disabled" '[false,true,false,false,false,false,false,false]' "$(txdis)"
ok "set tx-disable 2 off" opticctl set port0 tx-disable 2 off

ok "set reset" opticctl set port0 reset
ok "module is Ready again after reset" wait_for 30 sh -c '[ "$(opticctl -j show port0 | jq -r .module_state)" = ready ]'

out=$(opticctl set port0 lpmode maybe 2>&1)
check_eq "bad lpmode value: exit status 1" 1 "$?"
check_match "bad lpmode value: says what is expected" "expected on or off" "$out"
out=$(opticctl set port0 tx-disable 0 on 2>&1)
check_eq "lane 0: exit status 1" 1 "$?"
out=$(opticctl set port0 tx-disable 9 on 2>&1)
check_eq "lane 9 of an 8-lane module: exit status 1" 1 "$?"
out=$(opticctl set port0 2>&1)
check_eq "nothing to set: exit status 1" 1 "$?"
out=$(opticctl set nosuch reset 2>&1)
check_eq "unknown port: exit status 2" 2 "$?"
check_match "unknown port: lists port0" "valid ports: port0" "$out"
out=$(as_nobody opticctl set port0 lpmode on 2>&1)
check_eq "unprivileged: exit status 4" 4 "$?"
check_match "unprivileged: names the error" "port0: set: Operation not permitted" "$out"
check_eq "unprivileged caller changed nothing" ready "$(state)"
check_eq "unprivileged read still works" OSM-QDD-400G-DR4 "$(as_nobody opticctl -j show port0 | jq -r .vendor_pn)"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
