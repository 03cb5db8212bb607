# SPDX-License-Identifier: GPL-2.0
# opticctl list: the driver-missing error, one line per port in text, and the
# same rows as a JSON array, for a CMIS, an SFF-8636 and an empty port.

D=$SIM_DEBUGFS

out=$(opticctl list 2>&1)
check_eq "no driver: exit status 5" 5 "$?"
check_match "no driver: says how to load it" "modprobe optic" "$out"

ok "optic_sim loads with ports=3" load_sim ports=3
ok "optic.ko loads" load_optic
ok "three ports appear" wait_for 10 test -e "$OPTIC_CLASS/port2"
ok "port1 becomes an SFF-8636 QSFP28" sh -c "echo qsfp28-100g-cwdm4 >$D/port1/profile"
ok "port2 becomes an empty cage" sh -c "echo empty >$D/port2/profile"
ok "port1 reports sff8636" wait_for 10 sh -c \
	"opticctl -j list | jq -e '.[1].spec == \"sff8636\"'"
ok "port2 reports no module" wait_for 10 sh -c \
	"opticctl -j list | jq -e '.[2].present == false'"

out=$(opticctl list)
check_eq "list exits 0" 0 "$?"
diag "$out"
check_match "header line" "^PORT +PRESENT +TYPE +VENDOR +PN +STATE +TEMP +ALARM" "$out"
check_eq "one line per port plus the header" 4 "$(printf '%s\n' "$out" | wc -l)"
check_match "port0: CMIS QSFP-DD row" \
	"^port0 +yes +QSFP-DD +OPTICSIM +OSM-QDD-400G-DR4 +(ready|pwrup|lowpwr) +[0-9]+\.[0-9]°C" "$out"
check_match "port1: QSFP28 row" "^port1 +yes +QSFP28 +OPTICSIM +OSM-Q28-100G-CW4 " "$out"
check_match "port2: empty cage row" "^port2 +no +-$" "$out"
notemp() { printf '%s\n' "$1" | sed 's/[0-9.]*°C//'; }
check_eq "no command means list" "$(notemp "$out")" "$(notemp "$(opticctl)")"

j=$(opticctl --json list)
check_eq "JSON: one object per port" 3 "$(printf '%s' "$j" | jq length)"
check_eq "JSON: port names" '["port0","port1","port2"]' "$(printf '%s' "$j" | jq -c '[.[].port]')"
check_eq "JSON: port0 is CMIS" cmis "$(printf '%s' "$j" | jq -r '.[0].spec')"
check_eq "JSON: port0 identifier 0x18" 24 "$(printf '%s' "$j" | jq '.[0].identifier')"
check_eq "JSON: port0 vendor" OPTICSIM "$(printf '%s' "$j" | jq -r '.[0].vendor_name')"
check_eq "JSON: port0 PN" OSM-QDD-400G-DR4 "$(printf '%s' "$j" | jq -r '.[0].vendor_pn')"
check_eq "JSON: port0 temperature is plausible" true \
	"$(printf '%s' "$j" | jq '.[0].temperature_c > 0 and .[0].temperature_c < 90')"
check_eq "JSON: port0 module_state is a state name" true \
	"$(printf '%s' "$j" | jq '.[0].module_state | IN("lowpwr","pwrup","ready","pwrdn","fault")')"
check_eq "JSON: worst_severity is a severity" true \
	"$(printf '%s' "$j" | jq '.[0].worst_severity | IN("none","warning","alarm","fault")')"
check_eq "JSON: port1 SFF-8636 identifier 0x11" 17 "$(printf '%s' "$j" | jq '.[1].identifier')"
check_eq "JSON: port2 absent, nothing else" '{"port":"port2","present":false}' \
	"$(printf '%s' "$j" | jq -c '.[2]')"
check_eq "-p pretty-prints" true "$( [ "$(opticctl -p list | wc -l)" -gt 10 ] && echo true)"
check_eq "vendor SN of port0 as sysfs has it" "$(cat $OPTIC_CLASS/port0/vendor_sn)" \
	"$(opticctl -j show port0 | jq -r .vendor_sn)"

# Issue 20: with the driver's poll keeping flags and temperature fresh, a
# list row comes from the MODULE_GET dump alone: no module is read for it
# (the poll itself reads at most 2 x 40 bytes in the window); with the poll
# off the rows come from the modules' bytes, the same row either way.
rows() { opticctl -j list | jq -c '[.[] | del(.temperature_c)]'; }
bytes() { awk '$1 == "bytes_read" { print $2 }' $D/port0/counters; }
ok "port0's flags tracked by the driver" wait_for 10 sh -c \
	"vm-nl dump | grep -q '^flags='"
fresh=$(rows)
t_show=$(opticctl -j show port0 | jq .temperature_c)
t_list=$(opticctl -j list | jq '.[0].temperature_c')
check_eq "temperature from the dump, as the module has it (within noise)" true \
	"$(awk -v a="$t_show" -v b="$t_list" 'BEGIN { d = a - b; print (d < 2 && d > -2) ? "true" : "false" }')"
echo 0 >$D/port0/counters
opticctl list >/dev/null
check_eq "list reads nothing of port0 beyond the driver's poll" true \
	"$( [ "$(bytes)" -le 80 ] && echo true)"
echo 0 >/sys/module/optic/parameters/poll_ms
sleep 3
echo 0 >$D/port0/counters
check_eq "poll off: the rows read from the modules are the same" "$fresh" "$(rows)"
check_eq "... and port0 was read for it" true "$( [ "$(bytes)" -ge 100 ] && echo true)"

out=$(opticctl frobnicate 2>&1)
check_eq "unknown command: exit status 1" 1 "$?"
check_match "unknown command: usage" "Usage: opticctl" "$out"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
