# SPDX-License-Identifier: GPL-2.0
# opticd's poll readers over cages that each have a root bus of their own
# (optic_sim ports=N: one adapter a cage): with more reads queued than
# readers, a reader reads several modules in one EEPROM_READ
# (optic_poll_requests_total below optic_poll_reads_total); each module's
# values land on its own port, and a cage emptied among them fails alone.
# timeout: 240

CONF=/tmp/opticd.conf
LOG=/tmp/opticd.log
PORTS=12

printf '[daemon]\npoll_interval = 500ms\npoll_readers = 1\n' >"$CONF"
ok "load optic_sim with $PORTS ports" load_sim ports=$PORTS
ok "load optic.ko" load_optic
for p in $(seq 0 $((PORTS - 1))); do
	echo "noise temp all 0" >"$SIM_DEBUGFS/port$p/monitor"
	echo "set temp 0 $((30000 + p * 1000))" >"$SIM_DEBUGFS/port$p/monitor"
done
opticd -c "$CONF" --log-target=console >"$LOG" 2>&1 &
PID=$!
ok "opticd sees all $PORTS modules" wait_for 30 metric_is "optic_module_present{port=\"port$((PORTS - 1))\"}" 1

# reads_after N: optic_poll_reads_total has passed N
reads_after() { [ "$(metric optic_poll_reads_total)" -gt "$1" ]; }
ok "the readers poll" wait_for 20 reads_after $((3 * PORTS))
reads=$(metric optic_poll_reads_total)
reqs=$(metric optic_poll_requests_total)
diag "poll reads $reads in $reqs requests"
# One reader, twelve cages queued at once each cycle: a request of eight
# (READ_BATCH_MAX), then one of the other four.
ok "several modules a request: at most half as many requests as reads" \
	test $((2 * reqs)) -le "$reads"

# Each port's temperature is its own (30 + N degrees C): the reads of a
# request are not mixed up.
temps() {
	local p want got

	for p in $(seq 0 $((PORTS - 1))); do
		want=$((30 + p))
		got=$(metric "optic_module_temperature_celsius{port=\"port$p\"}")
		[ "${got%%.*}" = "$want" ] || return 1
	done
}
ok "each port shows its own module's temperature" wait_for 10 temps
echo "set temp 0 45000" >"$SIM_DEBUGFS/port7/monitor"
ok "a change on one port shows on that port" \
	wait_for 10 sh -c "wget -qO- $OPTICD_URL | grep -q '^optic_module_temperature_celsius{port=\"port7\"} 45\$'"

# An empty cage among them: its reads fail alone, the others go on.
e0=$(metric optic_netlink_errors_total)
echo 0 >"$SIM_DEBUGFS/port4/present"
ok "the emptied cage shows empty" wait_for 10 metric_is 'optic_module_present{port="port4"}' 0
r0=$(metric optic_poll_reads_total)
ok "the others are read on" wait_for 10 reads_after $((r0 + 2 * PORTS))
echo "set temp 0 47000" >"$SIM_DEBUGFS/port5/monitor"
ok "... with their own values (port5)" \
	wait_for 10 sh -c "wget -qO- $OPTICD_URL | grep -q '^optic_module_temperature_celsius{port=\"port5\"} 47\$'"
check_eq "no netlink request failed" "$e0" "$(metric optic_netlink_errors_total)"
check_eq "no poll error on the other ports" "" \
	"$(metrics | awk '$1 ~ /^optic_poll_errors_total/ && $1 !~ /port4/ && $2 != 0')"
echo 1 >"$SIM_DEBUGFS/port4/present"
ok "the cage's module is back" wait_for 20 metric_is 'optic_module_present{port="port4"}' 1

kill -TERM $PID
ok "opticd exits on SIGTERM" wait $PID
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
