# SPDX-License-Identifier: GPL-2.0
# opticd's application = setting (issue 19): the 2 x 400GBASE-DR4 breakout
# for port0's PN applied at insertion and again after a reset (the module's
# default back), its metrics; a reload applies a changed setting; a module
# without a setting is left alone; a setting the module cannot take is
# logged once per insertion and never retried in a loop.
# timeout: 300

CONF=/tmp/opticd.conf
LOG=/tmp/opticd.log

# count TEXT: lines of the log with TEXT
count() { grep -c -- "$1" "$LOG"; }
lane_app() { metric "optic_lane_application{port=\"$1\",lane=\"$2\"}"; }
APPLIED="port0: application 2 (400GBASE-DR4, 400GAUI-4-S C2M) applied on lanes 1-8"
REFUSED="port1: application 400GBASE-SR8: the module advertises no such application"

cat >"$CONF" <<'CONF'
[daemon]
poll_interval = 200ms

[pn "LXO-8D2-*"]
application = 400GBASE-DR4

[port "port1"]
application = 400GBASE-SR8
CONF
ok "--check-config accepts application =" opticd -c "$CONF" --check-config
check_match "--check-config prints it" '^application = 400GBASE-DR4$' \
	"$(opticd -c "$CONF" --check-config)"
printf '[port "p*"]\napplication = 400GBASE-XR9\n' >/tmp/bad.conf
out=$(opticd -c /tmp/bad.conf --check-config 2>&1)
check_match "an unknown interface name is refused with file:line" \
	"/tmp/bad.conf:2: application: '400GBASE-XR9' is not an AppSel \(1-15\), an interface name" "$out"

load_sim ports=3
P=$SIM_DEBUGFS
echo osfp-800g-2xdr4 >"$P/port0/profile"
echo 20 >"$P/port0/time_scale"
ok "optic loads" load_optic
ok "port0's data paths come up as application 1" wait_for 20 sh -c \
	"opticctl -j show port0 | jq -e '[.lanes[] | select(.application == 1 and .datapath_state == \"activated\")] | length == 8'"

opticd -c "$CONF" --log-target=console >"$LOG" 2>&1 &
PID=$!

# At insertion (opticd's first look at the module): the breakout.
ok "applied at insertion: lane 1 runs application 2" \
	wait_for 20 metric_is 'optic_lane_application{port="port0",lane="1"}' 2
ok "... and lane 8" wait_for 10 metric_is 'optic_lane_application{port="port0",lane="8"}' 2
ok "... its data paths activated (4)" wait_for 10 metric_is 'optic_lane_datapath_state{port="port0",lane="5"}' 4
check_eq "opticctl show agrees" "[2,2,2,2,2,2,2,2]" \
	"$(opticctl -j show port0 | jq -c '[.lanes[].application]')"
check_eq "logged once" 1 "$(count "$APPLIED")"
check_eq "a module without a setting is left alone" 1 "$(lane_app port2 1)"
check_eq "... and not logged" 0 "$(count 'port2: application')"
ok "the refused setting is logged" wait_for 10 sh -c "grep -q -- '$REFUSED' $LOG"
check_eq "port1 keeps its application" 1 "$(lane_app port1 1)"
sleep 3
check_eq "no second apply while nothing happens" 1 "$(count "$APPLIED")"
check_eq "the refusal logged once, not per poll" 1 "$(count "$REFUSED")"

# After a reset the module is back to its default: applied again.
ok "reset port0" opticctl set port0 reset
ok "applied again after the reset (the module runs its default again)" wait_for 30 metric_is 'optic_lane_application{port="port0",lane="1"}' 2
ok "... logged a second time" wait_for 5 sh -c "[ \$(grep -c -- '$APPLIED' $LOG) = 2 ]"
ok "... its data paths activated" wait_for 10 metric_is 'optic_lane_datapath_state{port="port0",lane="8"}' 4

# A reset of port1: the refusal stands for this insertion, not logged again.
ok "reset port1" opticctl set port1 reset
ok "port1 ready again" wait_for 30 sh -c \
	"opticctl -j show port1 | jq -e '.module_state == \"ready\"'"
sleep 2
check_eq "refusal not logged again after a reset" 1 "$(count "$REFUSED")"
# A new insertion: logged again, once.
echo 0 >"$P/port1/present"
ok "port1 pulled" wait_for 10 metric_is 'optic_module_present{port="port1"}' 0
echo 1 >"$P/port1/present"
ok "port1 back" wait_for 30 sh -c \
	"opticctl -j show port1 | jq -e '.module_state == \"ready\"'"
ok "refusal logged for the new insertion" wait_for 10 sh -c "[ \$(grep -c -- '$REFUSED' $LOG) = 2 ]"
sleep 2
check_eq "... once" 2 "$(count "$REFUSED")"

# A reload with another setting: applied when the config is read.
sed -i 's/^application = 400GBASE-DR4$/application = 800GBASE-DR8/' "$CONF"
kill -HUP $PID
ok "reloaded" wait_for 5 metric_is 'optic_config_reloads_total{result="success"}' 1
ok "the reload's application applied" wait_for 30 metric_is 'optic_lane_application{port="port0",lane="1"}' 1
ok "... logged" wait_for 5 sh -c \
	"grep -q 'port0: application 1 (800GBASE-DR8, 800GAUI-8 S C2M) applied on lanes 1-8' $LOG"
ok "the reload logs port1's refusal once more" \
	wait_for 5 sh -c "[ \$(grep -c -- '$REFUSED' $LOG) = 3 ]"
sleep 3
check_eq "no apply in a loop" 1 "$(count 'port0: application 1 (800GBASE-DR8')"
check_eq "nothing refused on port0" 0 "$(count 'port0: application.* refused')"
check_eq "nothing rejected on port0" 0 "$(count 'port0: application.* rejected')"

kill -TERM $PID
ok "opticd exits" wait_for 10 sh -c "! kill -0 $PID"
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
