# SPDX-License-Identifier: GPL-2.0
# opticd policies, each triggered by an optic_sim knob and observed in the
# metrics, the log and the module's state: thresholds, thermal protection
# (LPMode), fault recovery (resets, then failed), power budget (lowest
# priority held in LPMode, released on reload), degradation prediction
# (accelerated RX power drift), LOS flap accounting, and an alarm only
# the module's latched flags saw (between two polls). The flaps' flight
# recorder records (issue 21): each logged once with its structured fields
# and the driver's snapshot (5 uW on the lane), the lane's last-link-event
# metric, `opticctl status` (text and JSON); a restart logs none again but
# keeps the metric, and logs the next LOS.
# timeout: 300

CONF=/tmp/opticd.conf
LOG=/tmp/opticd.log

metric_ge() { v=$(metric "$1"); [ -n "$v" ] && [ "${v%.*}" -ge "$2" ]; }
log_has() { grep -q -- "$1" "$LOG"; }
mon() { echo "$2" >"$SIM_DEBUGFS/$1/monitor"; }
sim_state() { sed -n 's/^module_state: //p' "$SIM_DEBUGFS/$1/state"; }
sim_state_is() { [ "$(sim_state "$1")" = "$2" ]; }


write_conf() { # BUDGET [POLL_INTERVAL]
	cat >"$CONF" <<CONF
[daemon]
poll_interval = ${2:-200ms}
status_socket = /run/opticd/status.sock

# The prediction's 30 s window at 200 ms polls (the default keeps 60).
[history]
fine_length = 200

[policy thermal]
action = act
limit_celsius = 70
samples = 3
hysteresis_celsius = 5
min_interval = 0

[policy recovery]
action = act
max_attempts = 2
backoff_initial = 1s
backoff_max = 2s

[policy power]
action = act
budget_watts = $1

[policy prediction]
window = 30s
interval = 1s
min_points = 10
min_span = 3s
horizon = 7d

[policy flap]
window = 1m
max_events = 3

[port port0]
priority = 10
CONF
}

ok "load optic_sim with 3 ports" load_sim ports=3
ok "load optic.ko" load_optic
ok "port2 bound" wait_for 10 test -e "$OPTIC_CLASS/port2"
for p in port0 port1 port2; do
	for m in temp vcc bias tx_power rx_power; do
		mon $p "noise $m all 0"
	done
done
write_conf 30
ok "config is valid" opticd -c "$CONF" --check-config
opticd -c "$CONF" --log-target=console >"$LOG" 2>&1 &
PID=$!
ok "opticd up" wait_for 20 metric_is 'optic_module_present{port="port2"}' 1

# 4. Power budget: 3 x 12 W against 30 W, port0 has priority, then names.
ok "power: port2 held" wait_for 10 metric_is 'optic_power_held{port="port2"}' 1
ok "power: port1 not held" metric_is 'optic_power_held{port="port1"}' 0
ok "power: held module in LowPwr (sim)" wait_for 10 sim_state_is port2 1
ok "power: allocation 24 W" metric_is 'optic_power_allocated_watts{group="host"}' 24
ok "power: logged" log_has "port2 power: .*held in LPMode"
ok "power: action counted" metric_is \
	'optic_policy_actions_total{port="port2",policy="power",action="act"}' 1
write_conf 40
kill -HUP $PID
ok "power: released once the budget allows" \
	wait_for 10 metric_is 'optic_power_held{port="port2"}' 0
ok "power: released module leaves LowPwr" wait_for 15 sim_state_is port2 3

# 1+2. Thresholds and thermal protection on port0.
ok "port0 ready first" wait_for 15 sim_state_is port0 3
ok "no spurious recovery so far" sh -c "! grep -q 'recovery' $LOG"
mon port0 "set temp all 80000"
ok "thresholds: temperature alarm" wait_for 10 metric_is \
	'optic_monitor_level{port="port0",monitor="temperature_celsius"}' 2
ok "thresholds: logged with the threshold" \
	log_has "port0 thresholds: temperature alarm: 80.00 °C (threshold 75.00"
ok "thermal: engaged" wait_for 10 metric_is 'optic_thermal_engaged{port="port0"}' 1
ok "thermal: module put in LowPwr (sim)" wait_for 10 sim_state_is port0 1
ok "thermal: LPMode forced by opticd" metric_is 'optic_module_lpmode_forced{port="port0"}' 1
ok "thermal: logged" log_has "port0 thermal: temperature 80.0 °C above 70.0 °C for 3 samples: LPMode"
mon port0 "set temp all 40000"
ok "thermal: released when cool" wait_for 10 metric_is 'optic_thermal_engaged{port="port0"}' 0
ok "thermal: module powers up again (sim)" wait_for 15 sim_state_is port0 3
ok "thresholds: back to ok" wait_for 10 metric_is \
	'optic_monitor_level{port="port0",monitor="temperature_celsius"}' 0

# 3. Fault recovery on port1: a stuck fault survives every reset.
echo 1 >"$SIM_DEBUGFS/port1/fault_stuck_fault"
ok "recovery: module in fault (sim)" wait_for 10 sim_state_is port1 5
ok "recovery: reset logged" wait_for 10 log_has "port1 recovery: module fault: reset (attempt 1 of 2"
ok "recovery: second attempt after backoff" \
	wait_for 15 log_has "port1 recovery: module fault: reset (attempt 2 of 2"
ok "recovery: marked failed" wait_for 15 metric_is 'optic_recovery_failed{port="port1"}' 1
ok "recovery: failure logged" log_has "port1 recovery: .*marked failed"
ok "recovery: attempts exported" metric_is 'optic_recovery_attempts{port="port1"}' 2
echo 0 >"$SIM_DEBUGFS/port1/fault_stuck_fault"
ok "recovery: no more resets once failed" \
	sh -c "[ \$(grep -c 'port1 recovery: .*reset (attempt' $LOG) = 2 ]"
# The operator resets the module by hand: Ready again clears "failed".
ok "recovery: operator resets port1" opticctl set port1 reset
ok "recovery: module ready after a manual reset (sim)" wait_for 20 sim_state_is port1 3
ok "recovery: failed cleared" wait_for 10 metric_is 'optic_recovery_failed{port="port1"}' 0

# 6. Flaps: three LOS episodes on port2 lane 0 within the minute.
ok "port2 ready" wait_for 15 sim_state_is port2 3
ok "port2 lanes live" wait_for 15 sh -c \
	"wget -qO- $OPTICD_URL | grep -q '^optic_lane_rx_power_watts{port=\"port2\",lane=\"1\"}'"
# Each episode lasts until opticd counted it, and the light stays back until
# two whole poll cycles of opticd (optic_poll_duration_seconds_count) read
# the flag clear: an episode is neither missed nor merged with the next,
# however slow the guest.
polls() { metric optic_poll_duration_seconds_count; }
polls_ge() { [ "$(polls)" -ge "$1" ]; }
for i in 1 2 3; do
	mon port2 "set rx_power 0 5000"
	wait_for 10 metric_is \
		'optic_lane_flags_total{port="port2",lane="1",flag="rx_los"}' $i
	mon port2 "set rx_power 0 1200000"
	c=$(polls)
	wait_for 10 polls_ge $((c + 3))
done
ok "flap: 3 RX LOS counted" metric_is \
	'optic_lane_flags_total{port="port2",lane="1",flag="rx_los"}' 3
ok "flap: no LOS on lane 1" metric_is \
	'optic_lane_flags_total{port="port2",lane="2",flag="rx_los"}' 0
ok "flap: alert raised" metric_is 'optic_lane_flap_alert{port="port2",lane="1",flag="rx_los"}' 1
ok "flap: logged" log_has "port2/lane1 flap: rx_los latched 3 times"

# 6b. The flaps as link records: one journal entry each (console here:
# the fields follow the message), the driver's seq and snapshot.
ST=/run/opticd/status.sock
field() { echo "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }
ok "link: each LOS logged once" sh -c \
	"[ \$(grep -c 'port2/lane1 link: rx_los, rx power 0.0050 mW' $LOG) = 3 ]"
line=$(grep 'port2/lane1 link: rx_los' "$LOG" | tail -n 1)
diag "link: $line"
check_match "link: the record's fields" \
	' OPTIC_PORT=port2 OPTIC_LANE=1 OPTIC_FLAG=rx_los OPTIC_VENDOR=("[^"]+"|[^ ]+) OPTIC_PN=[^ ]+ OPTIC_SN=[^ ]+ OPTIC_RECORD_SEQ=[0-9]+ OPTIC_RECORD_REALTIME_NS=[0-9]{19} OPTIC_TEMPERATURE_C=[0-9.]+ OPTIC_VCC_V=3\.[0-9]{4} OPTIC_TX_POWER_MW=[0-9.]+ OPTIC_TX_BIAS_MA=[0-9.]+ OPTIC_RX_POWER_MW=0\.0050$' \
	"$line"
seq=$(field "$line" OPTIC_RECORD_SEQ)
check_eq "link: OPTIC_RECORD_SEQ is the driver's LOS record of lane 1" \
	"$seq flag 1 rx_los $(field "$line" OPTIC_RECORD_REALTIME_NS | cut -c1-13)" \
	"$(opticctl -j events port2 --since "$seq" | jq -rs '.[0] | "\(.seq) \(.event) \(.lane) \(.flags[0].flag) \(.realtime_ns / 1e6 | floor)"')"
check_eq "link: OPTIC_PN and OPTIC_SN are the module's" \
	"$(metrics | sed -n 's/^optic_module_info{port="port2",.*pn="\([^"]*\)",sn="\([^"]*\)".*/\1 \2/p')" \
	"$(field "$line" OPTIC_PN) $(field "$line" OPTIC_SN)"
last=$(grep 'port2/lane1 link: ' "$LOG" | tail -n 1)
ns=$(field "$last" OPTIC_RECORD_REALTIME_NS)
ok "link: the lane's metric is the last record's time" metric_is \
	'optic_lane_last_link_event_timestamp_seconds{port="port2",lane="1"}' \
	"${ns%?????????}.$(echo "$ns" | cut -c11-13)"
# Lane 2's data path went down with the power hold, it had no LOS since.
ok "link: another lane's metric is its own" awk -v a="$(metric \
	'optic_lane_last_link_event_timestamp_seconds{port="port2",lane="2"}')" \
	-v b="$(metric 'optic_lane_last_link_event_timestamp_seconds{port="port2",lane="1"}')" \
	'BEGIN { exit !(a > 0 && a < b - 1) }'
check_match "link: lane 2's is a data path going down" \
	'port2/lane2 link: datapath_down.* OPTIC_DP_STATE=[a-z_]+ ' "$(cat "$LOG")"
check_match "link: opticctl status shows it" \
	"^[0-9-]+ [0-9:.]+ port2 +lane 1 +rx_los +rx 0\.0050 mW \(record $seq\)$" \
	"$(opticctl status -s $ST)"
check_eq "link: opticctl status --json, the same" "1 rx_los 0.005" \
	"$(opticctl -j status -s $ST | jq -r --argjson s "$seq" \
		'.ports[] | select(.port == "port2") | .link_events[] | select(.seq == $s) | "\(.lane) \(.flag) \(.rx_power_mw)"')"

# 5. Prediction: RX power of port2 lane 3 decays 20 uW per (accelerated)
# hour; the other lanes are steady (noise off), so only lane 3 may warn.
echo 3600 >"$SIM_DEBUGFS/port2/mon_accel"
mon port2 "drift rx_power 3 -20000"
ok "prediction: warning for port2 lane 3" wait_for 40 metric_is \
	'optic_lane_prediction_warning{port="port2",lane="4",monitor="rx_power_watts"}' 1
ok "prediction: steady lane 2 not warned" metric_is \
	'optic_lane_prediction_warning{port="port2",lane="3",monitor="rx_power_watts"}' 0
v=$(metric 'optic_lane_seconds_to_alarm{port="port2",lane="4",monitor="rx_power_watts"}')
diag "port2 lane 3 predicted seconds to alarm: $v"
check_match "prediction: a finite time to alarm" '^[0-9.e+]+$' "$v"
ok "prediction: logged" log_has "port2/lane4 prediction: rx_power predicted to reach its low alarm"
ok "prediction: no other steady lane predicted" sh -c \
	"[ \$(grep -v 'port2/lane1' $LOG | grep -c 'prediction: .* predicted to reach') = 1 ]"
mon port2 "drift rx_power 3 0"

# 1b. A latched-only alarm: RX power of port0 lane 2 drops below its low
# alarm and comes back while opticd does not look (stopped, and a long poll
# interval); the driver's flag service reads the module meanwhile, which
# latches the flags and keeps them for opticd's next read.
write_conf 40 5s
kill -HUP $PID
ok "latched: long poll interval loaded" wait_for 10 sh -c \
	"[ \$(grep -c 'configuration reloaded' $LOG) -ge 2 ]"
ok "latched: port0 lane 2 live" wait_for 15 sh -c \
	"wget -qO- $OPTICD_URL | grep -q '^optic_lane_rx_power_watts{port=\"port0\",lane=\"2\"}'"
ok "latched: lane 2 ok before" metric_is \
	'optic_monitor_level{port="port0",lane="2",monitor="rx_power_watts"}' 0
# The low power must be latched by a read of the module while opticd is
# stopped: the simulator's event log shows the module evaluating it (at a
# transfer of the driver's poll), and its end; waited for, not slept for.
E=$SIM_DEBUGFS/events
sim_event() { cat $E >>/tmp/simev; grep -q -- "$1" /tmp/simev; }
kill -STOP $PID
echo x >$E
: >/tmp/simev
mon port0 "offset rx_power 1 -100000000000"
ok "latched: the driver's poll read the low power" \
	wait_for 15 sim_event 'port0 alarm rx_power 1 low'
mon port0 "offset rx_power 1 0"
ok "latched: and read it back" \
	wait_for 15 sim_event 'port0 alarm_clear rx_power 1 low'
kill -CONT $PID
# The driver's FLAG event, queued while opticd was stopped, raises it (no
# value yet); the poll it asks for reads the same latched flag.
ok "latched: alarm from the flag alone" wait_for 10 \
	log_has "port0/lane2 thresholds: rx_power alarm: low flag latched ("
ok "latched: no sampled alarm" sh -c \
	"! grep -q 'port0/lane2 thresholds: rx_power alarm: -' $LOG"
ok "latched: back to ok at the next poll" wait_for 15 metric_is \
	'optic_monitor_level{port="port0",lane="2",monitor="rx_power_watts"}' 0
ok "latched: one episode, one alarm line" sh -c \
	"[ \$(grep -c 'port0/lane2 thresholds: rx_power alarm' $LOG) = 1 ]"

ok "daemon alive at the end" kill -0 $PID
kill -TERM $PID
wait $PID
check_eq "clean exit" 0 $?
grep -E 'thermal|recovery|power|prediction|flap|thresholds: temp|latched' "$LOG" | sed 's/^/# log: /' | head -n 40

# A restart: the records of the ring are older than opticd, none is logged
# again; the metric comes back from them; the next LOS is logged.
LOG2=/tmp/opticd2.log
opticd -c "$CONF" --log-target=console >"$LOG2" 2>&1 &
PID=$!
ok "restart: metrics served" wait_for 10 metric_is optic_up 1
ok "restart: the lane's metric from the ring" wait_for 15 metric_is \
	'optic_lane_last_link_event_timestamp_seconds{port="port2",lane="1"}' \
	"${ns%?????????}.$(echo "$ns" | cut -c11-13)"
ok "restart: no record logged again" sh -c "! grep -q ' link: ' $LOG2"
mon port2 "set rx_power 0 5000"
ok "restart: a new LOS is logged" wait_for 15 grep -q \
	'port2/lane1 link: rx_los, rx power 0.0050 mW' "$LOG2"
mon port2 "set rx_power 0 1200000"
kill -TERM $PID
wait $PID
rmmod optic
rmmod optic_sim
