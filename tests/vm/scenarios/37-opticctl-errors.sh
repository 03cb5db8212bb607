# SPDX-License-Identifier: GPL-2.0
# opticctl error paths: a read the module cannot serve names the port, the
# page and the errno (with the driver's extack reason) and exits 3; a dead
# module reads as an empty cage; a faulted module tops the list; no driver
# exits 5.

D=$SIM_DEBUGFS

ok "optic_sim loads" load_sim ports=2
ok "optic.ko loads" load_optic
ok "ports appear" wait_for 10 test -e "$OPTIC_CLASS/port1"
ok "port0 reaches ModuleReady" wait_for 20 sh -c \
	"opticctl -j show port0 | jq -e '.module_state == \"ready\"'"

out=$(opticctl dump port0 --i2c-addr 0x51 2>&1 >/dev/null)
check_eq "A2h of a CMIS module: exit status 3" 3 "$?"
check_match "A2h of a CMIS module: port, address, errno and reason" \
	"^opticctl: port0: reading i2c 0x51 page 00h: Operation not supported \(.+\)$" "$out"
check_eq "nothing on stdout on error" "" "$(opticctl dump port0 --i2c-addr 0x51 2>/dev/null)"

ok "port1 becomes an SFP+" sh -c "echo sfp-10g-sr >$D/port1/profile"
ok "port1 decodes as SFF-8472" wait_for 10 sh -c \
	"opticctl -j show port1 | jq -e '.spec == \"sff8472\"'"
out=$(opticctl dump port1 --page 01 2>&1 >/dev/null)
check_eq "page 01h of an SFP+: exit status 3" 3 "$?"
check_match "page 01h of an SFP+: names port and page" "^opticctl: port1: reading page 01h bank 0: " "$out"

ok "port0 stops answering" sh -c "echo 1 >$D/port0/fault_dead"
check_eq "dead module reads as an empty cage" false "$(opticctl -j show port0 | jq .present)"
check_match "text says so" "no module present" "$(opticctl show port0)"
out=$(opticctl dump port0 2>&1)
check_eq "dump of a dead module: exit status 2" 2 "$?"
check_eq "list: port1 still decoded" sff8472 "$(opticctl -j list | jq -r '.[1].spec')"
ok "port0 answers again" sh -c "echo 0 >$D/port0/fault_dead"
ok "port0 is back" wait_for 10 sh -c "opticctl -j show port0 | jq -e '.present'"

ok "port0 faults for good" sh -c "echo 1 >$D/port0/fault_stuck_fault"
ok "reset into the fault" opticctl set port0 reset
ok "ModuleFault shows" wait_for 10 sh -c \
	"opticctl -j show port0 | jq -e '.module_state == \"fault\"'"
check_eq "fault cause" tec_runaway "$(opticctl -j show port0 | jq -r .module_fault_cause)"
check_eq "list: fault tops the severities" "fault module_fault" \
	"$(opticctl -j list | jq -r '.[0] | "\(.worst_severity) \(.worst_flag)"')"
check_match "list text: module_fault" "^port0 .* fault +[0-9.]+°C +module_fault$" "$(opticctl list)"

ok "rmmod optic" rmmod optic
out=$(opticctl show port0 2>&1)
check_eq "driver gone: exit status 5" 5 "$?"
check_match "driver gone: says how to load it" "Load it with: modprobe optic" "$out"
ok "rmmod optic_sim" rmmod optic_sim
