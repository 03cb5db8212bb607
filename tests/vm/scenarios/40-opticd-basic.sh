# SPDX-License-Identifier: GPL-2.0
# opticd end to end: starts with the driver absent and waits, picks it up,
# exports metrics on 127.0.0.1:9732 and the status socket, follows module
# insertion/removal and a driver reload while running, refuses a bad
# configuration on SIGHUP (keeping the old one), exits cleanly on SIGTERM.
# timeout: 240

CONF=/tmp/opticd.conf
LOG=/tmp/opticd.log

log_has() { grep -q -- "$1" "$LOG"; }


cat >"$CONF" <<'CONF'
[daemon]
poll_interval = 200ms
driver_retry = 1s
status_socket = /run/opticd/status.sock
CONF

ok "--check-config accepts the file" opticd -c "$CONF" --check-config
check_match "--check-config prints the effective config" \
	'^poll_interval = 200ms$' "$(opticd -c "$CONF" --check-config)"
printf '[daemon]\npoll_interval = 200ms\n\n[policy thermal]\nsamples = many\n' >/tmp/bad.conf
fails "--check-config refuses a bad file" opticd -c /tmp/bad.conf --check-config
check_match "the error names file:line" '^opticd: /tmp/bad.conf:5: samples:' \
	"$(opticd -c /tmp/bad.conf --check-config 2>&1)"

opticd -c "$CONF" --log-target=console >"$LOG" 2>&1 &
PID=$!
ok "metrics served with the driver absent" wait_for 10 metric_is optic_up 0
ok "logs that it waits for the driver" wait_for 5 log_has "waiting for it"

ok "load optic_sim with 3 ports" load_sim ports=3
ok "load optic.ko" load_optic
ok "opticd connects when the family appears" wait_for 10 metric_is optic_up 1
ok "port2 module present" wait_for 10 metric_is 'optic_module_present{port="port2"}' 1
m=$(metrics)
check_match "module info with vendor and SN" \
	'^optic_module_info\{port="port0",vendor="[^"]+",pn="[^"]+",sn="[^"]+"' "$m"
check_match "temperature in celsius" \
	'^optic_module_temperature_celsius\{port="port0"\} [0-9]' "$m"
check_match "supply voltage in volts" \
	'^optic_module_supply_voltage_volts\{port="port0"\} 3\.' "$m"
check_match "lane RX power in watts" \
	'^optic_lane_rx_power_watts\{port="port0",lane="8"\} 0\.00' "$m"
check_match "lane bias in amperes" \
	'^optic_lane_tx_bias_amperes\{port="port1",lane="1"\} 0\.0' "$m"
check_match "module thresholds exported" \
	'^optic_monitor_threshold\{port="port0",monitor="temperature_celsius",level="high_alarm"\} 75' "$m"
check_match "max power" '^optic_module_max_power_watts\{port="port0"\} [0-9]' "$m"
ok "polls counted" wait_for 10 has_metric '^optic_poll_duration_seconds_count [1-9]'
check_match "state" '^optic_module_state\{port="port0",state="[a-z]+"\} 1' "$m"
ok "status socket is there, mode 0660" \
	sh -c '[ "$(stat -c %a /run/opticd/status.sock)" = 660 ]'
check_match "opticctl status lists the ports" '^port2 +yes' \
	"$(opticctl status -s /run/opticd/status.sock)"
check_match "opticctl status: the daemon's view" '^opticd [0-9.]+, driver up, config /tmp/opticd.conf' \
	"$(opticctl status -s /run/opticd/status.sock)"
fails "status socket refuses nobody" as_nobody opticctl status -s /run/opticd/status.sock

# Removal and insertion while running.
ok "unplug port1" sh -c "echo 0 >$SIM_DEBUGFS/port1/present"
ok "port1 reported absent" wait_for 10 metric_is 'optic_module_present{port="port1"}' 0
ok "removal logged" wait_for 5 log_has "port1: module removed"
ok "plug port1 back" sh -c "echo 1 >$SIM_DEBUGFS/port1/present"
ok "port1 present again" wait_for 15 metric_is 'optic_module_present{port="port1"}' 1
ok "insertion counted" wait_for 5 metric_is 'optic_module_insertions_total{port="port1"}' 2

# Driver reload while running.
ok "rmmod optic" rmmod optic
ok "opticd notices the driver left" wait_for 10 metric_is optic_up 0
ok "still serving, ports kept absent" metric_is 'optic_module_present{port="port0"}' ""
ok "insmod optic again" load_optic
ok "opticd reconnects" wait_for 15 metric_is optic_up 1
ok "modules back after the reload" wait_for 15 metric_is 'optic_module_present{port="port2"}' 1
ok "connects counted" metric_is optic_driver_connects_total 2

# Reload: a bad file is refused, the old config stays; a good one applies.
cp "$CONF" /tmp/good.conf
printf '\n[policy flap]\nmax_events = lots\n' >>"$CONF"
kill -HUP $PID
ok "bad config refused with file:line" wait_for 5 log_has "refused.*opticd.conf:7: max_events"
ok "reload failure counted" wait_for 5 metric_is 'optic_config_reloads_total{result="failure"}' 1
ok "still running after a refused reload" kill -0 $PID
sed 's/^poll_interval.*/poll_interval = 300ms/' /tmp/good.conf >"$CONF"
kill -HUP $PID
ok "good config reloaded" wait_for 5 metric_is 'optic_config_reloads_total{result="success"}' 1

kill -TERM $PID
ok "SIGTERM: exits" wait_for 10 sh -c "! kill -0 $PID"
wait $PID
check_eq "exit status 0" 0 $?
ok "status socket removed" test ! -e /run/opticd/status.sock
sed 's/^/# log: /' "$LOG" | head -n 40
rmmod optic
rmmod optic_sim
