# SPDX-License-Identifier: GPL-2.0
# opticd with every kind of module the simulator has, hot-swapped in while
# it runs: SFF-8636 QSFP28, SFF-8472 SFP+ (A2h diagnostics), CMIS flat-memory
# copper, OSFP 800G. Each is identified afresh (new SN: history and policy
# states restart), sampled in base units, and polled without errors.
# timeout: 240

CONF=/tmp/opticd.conf
LOG=/tmp/opticd.log

has() { metrics | grep -q -- "$1"; }

printf '[daemon]\npoll_interval = 250ms\nstatus_socket = /run/opticd/status.sock\n' >"$CONF"

ok "load optic_sim with 4 ports" load_sim ports=4
ok "load optic.ko" load_optic
opticd -c "$CONF" --log-target=console >"$LOG" 2>&1 &
PID=$!
ok "opticd sees 4 CMIS modules" wait_for 20 metric_is 'optic_module_present{port="port3"}' 1

# swap PORT PROFILE: unplug, let opticd see the cage empty, plug another.
swap() {
	echo 0 >"$SIM_DEBUGFS/$1/present"
	wait_for 10 metric_is "optic_module_present{port=\"$1\"}" 0
	echo "$2" >"$SIM_DEBUGFS/$1/profile"
}
swap port0 qsfp28-100g-cwdm4
swap port1 sfp-10g-sr
swap port2 cmis-flat-copper
swap port3 osfp-800g-2xdr4

ok "port0 re-identified as SFF-8636" wait_for 20 has \
	'^optic_module_info{port="port0",.*spec="sff8636"} 1'
ok "port1 re-identified as SFF-8472" wait_for 20 has \
	'^optic_module_info{port="port1",.*spec="sff8472"} 1'
ok "port3 re-identified as the OSFP" wait_for 20 has \
	'^optic_module_info{port="port3",vendor="LUMENTA",pn="LXO-8D2-DR4"'
ok "port2 is the flat copper cable" wait_for 20 has \
	'^optic_module_info{port="port2",vendor="COPPERLINE"'
ok "swaps counted as insertions" metric_is 'optic_module_insertions_total{port="port1"}' 2
ok "insertion logged with the new identity" grep -q "port3: module inserted: LUMENTA LXO-8D2-DR4" "$LOG"

ok "QSFP28: 4 lanes" wait_for 10 metric_is 'optic_module_lanes{port="port0"}' 4
ok "QSFP28: temperature" wait_for 10 has '^optic_module_temperature_celsius{port="port0"} [1-9]'
ok "QSFP28: lane 3 RX power" wait_for 10 has '^optic_lane_rx_power_watts{port="port0",lane="4"} 0\.0'
ok "QSFP28: thresholds from page 03h" has \
	'^optic_monitor_threshold{port="port0",monitor="temperature_celsius",level="high_alarm"}'
ok "QSFP28: max power from its power class" has '^optic_module_max_power_watts{port="port0"} [1-9]'
ok "SFP: 1 lane" metric_is 'optic_module_lanes{port="port1"}' 1
ok "SFP: temperature from A2h" wait_for 10 has '^optic_module_temperature_celsius{port="port1"} [1-9]'
ok "SFP: TX bias from A2h" wait_for 10 has '^optic_lane_tx_bias_amperes{port="port1",lane="1"} 0\.0'
ok "SFP: thresholds from A2h" has \
	'^optic_monitor_threshold{port="port1",monitor="rx_power_watts",level="low_alarm"}'
ok "OSFP: 8 lanes" wait_for 10 metric_is 'optic_module_lanes{port="port3"}' 8
ok "OSFP: 16 W advertised" metric_is 'optic_module_max_power_watts{port="port3"}' 16
ok "OSFP: lane 7 bias" wait_for 20 has '^optic_lane_tx_bias_amperes{port="port3",lane="8"} 0\.0'
ok "copper: no lane optics exported" sh -c "! wget -qO- $OPTICD_URL | grep -q '^optic_lane_rx_power_watts{port=\"port2\"'"
for p in port0 port1 port2 port3; do
	ok "$p: no poll errors" metric_is "optic_poll_errors_total{port=\"$p\"}" 0
done
ok "no threshold alarm on healthy modules" sh -c "! wget -qO- $OPTICD_URL | grep -q '^optic_monitor_level{.*} 2$'"
kill -TERM $PID
wait $PID
check_eq "clean exit" 0 $?
sed 's/^/# log: /' "$LOG" | head -n 30
rmmod optic
rmmod optic_sim
