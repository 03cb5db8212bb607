# SPDX-License-Identifier: GPL-2.0
# opticctl monitor: removal, insertion and state-change events as text and as
# one JSON object per line; --count and --timeout.

D=$SIM_DEBUGFS

ok "optic_sim loads" load_sim ports=2
ok "optic.ko loads" load_optic
ok "ports appear" wait_for 10 test -e "$OPTIC_CLASS/port1"
ok "port0 reaches ModuleReady" wait_for 20 sh -c \
	"opticctl -j show port0 | jq -e '.module_state == \"ready\"'"

# A monitor started in the background listens once its socket joined the
# group (lib.sh nl_listeners): waited for, not slept for.
l0=$(nl_listeners)
opticctl -j monitor --timeout 20 >/tmp/mon.json 2>/tmp/mon.err &
mon=$!
ok "JSON monitor listening" wait_for 10 nl_listeners_gt "$l0"
ok "unplug port1" sh -c "echo 0 >$D/port1/present"
ok "the driver sees port1 go" wait_for 5 sh -c "opticctl -j list | jq -e '.[1].present == false'"
ok "plug port1 back" sh -c "echo 1 >$D/port1/present"
# The driver's presence poll (poll_ms) notices the re-plug, not the list.
ok "the driver sees port1 back" wait_for 15 sh -c "opticctl -j list | jq -e '.[1].present == true'"
wait $mon
check_eq "monitor --timeout 20 exits 0" 0 "$?"
check_eq "nothing on stderr" "" "$(cat /tmp/mon.err)"
check_eq "one JSON object per line" true "$(jq -s 'length > 0' /tmp/mon.json)"
check_eq "port1: removed, then inserted" true \
	"$(jq -s 'map(select(.port == "port1") | .event) | (index("removed") // 99) < (index("inserted") // -1)' /tmp/mon.json)"
check_eq "inserted names the module" OSM-QDD-400G-DR4 \
	"$(jq -rs 'map(select(.event == "inserted")) | .[0].vendor_pn' /tmp/mon.json)"
check_eq "inserted: spec" cmis "$(jq -rs 'map(select(.event == "inserted")) | .[0].spec' /tmp/mon.json)"
check_eq "sequence numbers increase" true "$(jq -s '[.[].seq] | . == sort' /tmp/mon.json)"
check_eq "every event has a known type" true \
	"$(jq -s 'map(.event | IN("inserted","removed","module_state","datapath_state","flag")) | all' /tmp/mon.json)"
check_eq "flag events name their flags" true \
	"$(jq -s 'map(select(.event == "flag") | (.flags | type == "array")) | all' /tmp/mon.json)"

l0=$(nl_listeners)
opticctl monitor --timeout 5 >/tmp/mon.txt 2>&1 &
mon=$!
ok "text monitor listening" wait_for 5 nl_listeners_gt "$l0"
ok "set lpmode on" opticctl set port0 lpmode on
wait $mon
check_eq "text monitor exits 0" 0 "$?"
check_match "text: module state change" "^\[[0-9]+\] port0: module_state ready -> (lowpwr|pwrdn)$" "$(cat /tmp/mon.txt)"
ok "set lpmode off" opticctl set port0 lpmode off
ok "port0 Ready again" wait_for 20 sh -c \
	"opticctl -j show port0 | jq -e '.module_state == \"ready\"'"

# --count: the event is made once the monitor listens (the power-up events
# above may be over before a monitor started after them subscribes).
l0=$(nl_listeners)
opticctl monitor --count 1 --timeout 20 >/dev/null 2>&1 &
mon=$!
wait_for 10 nl_listeners_gt "$l0"
echo 0 >$D/port1/present
wait $mon
check_eq "--count 1 stops after one event" 0 "$?"
echo 1 >$D/port1/present
ok "port1 back" wait_for 15 sh -c "opticctl -j list | jq -e '.[1].present == true'"
opticctl monitor --count 100000 --timeout 1 >/tmp/mon.txt 2>&1
check_eq "--count not reached by --timeout: exit status 2" 2 "$?"
fails "bad --count" opticctl monitor --count x

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
