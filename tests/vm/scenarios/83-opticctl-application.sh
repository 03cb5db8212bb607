# SPDX-License-Identifier: GPL-2.0
# opticctl set PORT application / datapath and show's lanes (issue 19): the
# 2 x 400GBASE-DR4 breakout of an 800G OSFP by name and back to 800G by
# AppSel, text and JSON; data paths off and on; the refusals userspace
# explains (AppSel, name, lanes outside the assignment, a partial data path,
# a non-CMIS module), the driver's (ApplyImmediate on a SteppedConfigOnly
# module, an unprivileged caller) and a module pulled while the command
# waits.
# timeout: 300

load_sim ports=3
P=$SIM_DEBUGFS
echo osfp-800g-2xdr4 >"$P/port0/profile"
echo qsfp28-100g-cwdm4 >"$P/port1/profile"
echo qsfpdd-400g-fr4 >"$P/port2/profile"
# DPInit of 3 s modelled in 0.6 s
echo 20 >"$P/port0/time_scale"
ok "optic loads" load_optic

apps() { opticctl -j show port0 | jq -c '[.lanes[].application]'; }
states() { opticctl -j show port0 | jq -c '[.lanes[].datapath_state] | unique'; }
ok "port0's data paths come up" wait_for 20 sh -c \
	"opticctl -j show port0 | jq -e '[.lanes[].datapath_state] | all(. == \"activated\")'"

# show: each lane's application, text and JSON (show all too)
check_eq "JSON: application 1 on every lane" "[1,1,1,1,1,1,1,1]" "$(apps)"
check_eq "JSON: its interfaces" "800GBASE-DR8, 800GAUI-8 S C2M" \
	"$(opticctl -j show port0 | jq -r '.lanes[7].application_description')"
t=$(opticctl show port0)
check_match "text: lane's application" \
	"Active application +: 1 \(800GBASE-DR8, 800GAUI-8 S C2M\)" "$t"
check_match "text: lane's data path" "Data path state +: DPActivated" "$t"
check_eq "show all: port0's lane 1" 1 \
	"$(opticctl -j show all | jq '.[] | select(.port == "port0") | .lanes[0].application')"
check_eq "show all: no application on SFF-8636" null \
	"$(opticctl -j show all | jq '.[] | select(.port == "port1") | .lanes[0].application')"

# The breakout by media interface name: two instances, lanes 1-4 and 5-8.
out=$(opticctl set port0 application 400GBASE-DR4)
check_eq "breakout by name: exit 0" 0 "$?"
check_match "text: what was asked" \
	"^port0: lanes 1-8: application 2 \(400GBASE-DR4, 400GAUI-4-S C2M\)$" "$out"
check_match "text: each lane's status, state and application" \
	"Lane 5: ConfigSuccess, DPActivated, application 2 \(400GBASE-DR4, 400GAUI-4-S C2M\)" "$out"
check_eq "text: eight lanes reported" 8 "$(printf '%s\n' "$out" | grep -c 'Lane [0-9]: ConfigSuccess')"
check_eq "show: application 2 on every lane" "[2,2,2,2,2,2,2,2]" "$(apps)"
check_eq "show: every lane activated" '["activated"]' "$(states)"

# Back to 800G by AppSel, JSON from the same printer.
j=$(opticctl --json set port0 application 1)
check_eq "800G by AppSel, --json: exit 0" 0 "$?"
check_eq "JSON: port" port0 "$(printf '%s' "$j" | jq -r .port)"
check_eq "JSON: application" 1 "$(printf '%s' "$j" | jq .application)"
check_eq "JSON: lanes" 1-8 "$(printf '%s' "$j" | jq -r .lanes)"
check_eq "JSON: ConfigSuccess on every lane" '["success"]' \
	"$(printf '%s' "$j" | jq -c '[.lane_status[].config_status] | unique')"
check_eq "JSON: lane numbers from 1" "[1,2,3,4,5,6,7,8]" \
	"$(printf '%s' "$j" | jq -c '[.lane_status[].lane]')"
check_eq "JSON: data paths activated" '["activated"]' \
	"$(printf '%s' "$j" | jq -c '[.lane_status[].datapath_state] | unique')"
check_eq "show: application 1 again" "[1,1,1,1,1,1,1,1]" "$(apps)"

# Data paths: half of the 8-lane one is refused; the breakout's lanes 1-4 not.
out=$(opticctl set port0 datapath 1-4 off 2>&1)
check_eq "half of an 8-lane data path: exit 1" 1 "$?"
check_match "... names the data path" \
	"lanes 1-4 take part of the data path on lanes 1-8 \(application 1\): name all of its lanes" "$out"
ok "breakout on lanes 1-8 again" opticctl set port0 application 2 --lanes 1-8
out=$(opticctl -j set port0 datapath 1-4 off)
check_eq "lanes 1-4 off: exit 0" 0 "$?"
check_eq "... lanes 1-4 DPDeactivated" '["deactivated"]' \
	"$(printf '%s' "$out" | jq -c '[.lane_status[].datapath_state] | unique')"
check_eq "show: lanes 5-8 still activated" \
	'["deactivated","deactivated","deactivated","deactivated","activated","activated","activated","activated"]' \
	"$(opticctl -j show port0 | jq -c '[.lanes[].datapath_state]')"
ok "lanes 1-4 on" opticctl set port0 datapath 1-4 on
check_eq "show: every lane activated again" '["activated"]' "$(states)"

# One instance by --lanes: 5-8 back to... a 400G instance again, 1-4 stay.
ok "lanes 5-8 alone" opticctl set port0 application 400GBASE-DR4 --lanes 5-8
check_eq "... all still application 2" "[2,2,2,2,2,2,2,2]" "$(apps)"

# Refusals explained before the driver is asked.
out=$(opticctl set port0 application 9 2>&1)
check_eq "AppSel 9 (four advertised): exit 2" 2 "$?"
check_match "... says so" "advertises no application '9'" "$out"
check_match "... and lists what it has" "4: 100GBASE-DR, 100GAUI-1-S C2M \(1 host lane\)" "$out"
out=$(opticctl set port0 application 16 2>&1)
check_eq "AppSel 16: exit 1" 1 "$?"
check_match "... says what is expected" "neither an AppSel \(1-15\) nor an interface name" "$out"
out=$(opticctl set port0 application 400GBASE-SR8 2>&1)
check_eq "a name the module does not advertise: exit 2" 2 "$?"
check_match "... says so" "advertises no application '400GBASE-SR8'" "$out"
out=$(opticctl set port0 application 400GBASE-DR4 --lanes 1-3 2>&1)
check_eq "lanes 1-3 of a 4-lane application: exit 1" 1 "$?"
check_match "... names the assignment" \
	"lanes 1-3 do not cover an instance of 400GBASE-DR4 \(4 host lanes starting at lane 1 or 5\)" "$out"
out=$(opticctl set port0 application 400GBASE-DR4 --lanes 3-6 2>&1)
check_eq "lanes 3-6, outside the assignment: exit 1" 1 "$?"
check_match "... names them" "lanes 3-6 do not cover an instance" "$out"
out=$(opticctl set port0 application 800GBASE-DR8 --lanes 5-8 2>&1)
check_eq "lanes 5-8 for the 8-lane application: exit 1" 1 "$?"
check_match "... names the assignment" "\(8 host lanes starting at lane 1\)" "$out"
out=$(opticctl set port0 application 2 --lanes 9 2>&1)
check_eq "lane 9 of an 8-lane module: exit 1" 1 "$?"
check_match "... says why" "port0 has 8 host lanes" "$out"
out=$(opticctl set port0 datapath 1-4 maybe 2>&1)
check_eq "datapath maybe: exit 1" 1 "$?"
out=$(opticctl set port1 application 1 2>&1)
check_eq "SFF-8636 module: exit 1" 1 "$?"
check_match "... says why" "CMIS only \(this module is sff8636\)" "$out"
check_eq "refusals changed nothing" "[2,2,2,2,2,2,2,2]" "$(apps)"

# Refusals of the driver, its extack message printed.
ok "port2 (FR4) is ready" wait_for 30 sh -c \
	"opticctl -j show port2 | jq -e '[.lanes[].datapath_state] | all(. == \"activated\")'"
out=$(opticctl set port2 application 2 --immediate 2>&1)
check_eq "ApplyImmediate on a SteppedConfigOnly module: exit 3" 3 "$?"
check_match "... the driver's reason" "SteppedConfigOnly: no ApplyImmediate" "$out"
out=$(as_nobody opticctl set port0 application 1 2>&1)
check_eq "unprivileged: exit 4" 4 "$?"
check_match "... says what it takes" "port0: set application \(needs CAP_NET_ADMIN: run as root\)" "$out"
check_eq "unprivileged changed nothing" "[2,2,2,2,2,2,2,2]" "$(apps)"

# A module pulled while the command waits for its data paths (3 s).
echo 100 >"$P/port0/time_scale"
opticctl set port0 application 1 >/tmp/pull.out 2>&1 &
pid=$!
ok "the data paths go down for the change" wait_for 10 sh -c \
	"! vm-nl dp-get name=str:port0 | grep -qx dp_state=0404040404040404"
echo 0 >"$P/port0/present"
wait $pid
check_eq "pulled mid-apply: exit 3" 3 "$?"
check_match "... says what happened" \
	"port0: set application: the module was removed while it was being configured" \
	"$(cat /tmp/pull.out)"
echo 1 >"$P/port0/present"
ok "the module comes back with its data paths" wait_for 30 sh -c \
	"opticctl -j show port0 | jq -e '[.lanes[].datapath_state] | all(. == \"activated\")'"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
