# SPDX-License-Identifier: GPL-2.0
# make bench, part 1: bus cost of one health poll of an 8-lane CMIS module
# (osfp-800g-2xdr4) at 400 kHz with realtime=1, for (a) opticd's poll path,
# (b) a full-page reader, (c) a field-by-field reader, (d) the minimal reads.
# Prints "BENCH key value" lines (per poll) for bench/run, and the module
# image between IMAGE-BEGIN/IMAGE-END for the host's callgrind run.
# timeout: 600

N=${BENCH_POLLS:-20}
P=$SIM_DEBUGFS/port0
URL=http://127.0.0.1:9732/metrics
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up

setup_port() {
	echo 400000 >$P/clock_hz
	echo 1 >$P/realtime
}
zero() { echo 0 >$P/counters; }
# report KEY POLLS: per-poll counters under bus.KEY.*
report() {
	awk -v k="$1" -v n="$2" '{ printf "BENCH bus.%s.%s %.2f\n", k, $1, $2 / n }' $P/counters
	echo "BENCH bus.$1.polls $2"
}
metric() { wget -qO- "$URL" | awk -v k="$1" '$1 == k { print $2; exit }'; }

ok "load optic_sim with one osfp-800g-2xdr4" load_sim ports=1 profile=osfp-800g-2xdr4
setup_port
echo IMAGE-BEGIN
cat $P/image
echo IMAGE-END

# The driver's own service (presence, state, flags) at its default 1 s.
ok "load optic (poll_ms=1000)" load_optic
sleep 2
zero
sleep 10
awk '{ printf "BENCH bus.driver_poll_per_s.%s %.2f\n", $1, $2 / 10 }' $P/counters
rmmod optic

# The rest with the driver's poll off: only the reader under test uses the bus.
ok "load optic (poll_ms=0)" load_optic poll_ms=0
ok "port0 bound" wait_for 10 test -e $OPTIC_CLASS/port0
for mode in full field min; do
	vm-bench-poll $mode port0 2 >/dev/null	# page mapping settles
	zero
	ok "pattern $mode, $N polls" vm-bench-poll $mode port0 $N
	report $mode $N
done

# (a) opticd's real poll path.
cat >/tmp/opticd.conf <<'CONF'
[daemon]
poll_interval = 500ms
driver_retry = 1s
CONF
opticd -c /tmp/opticd.conf --log-target=console >/tmp/opticd.log 2>&1 &
PID=$!
ok "opticd polls port0" wait_for 30 sh -c "[ \"\$(wget -qO- $URL | awk '\$1 == \"optic_poll_duration_seconds_count\" { print \$2 }')\" -ge 3 ]"
c0=$(metric optic_poll_duration_seconds_count)
zero
sleep 15
c1=$(metric optic_poll_duration_seconds_count)
cp $P/counters /tmp/counters.a
polls=$((c1 - c0))
diag "opticd: $polls polls in 15 s"
check_match "opticd polled" '^[1-9][0-9]*$' "$polls"

awk -v n="$polls" '{ printf "BENCH bus.opticd.%s %.2f\n", $1, $2 / n }' /tmp/counters.a
echo "BENCH bus.opticd.polls $polls"
kill -TERM $PID
wait $PID

# (e) The driver's own poll (1 s) while opticd polls at the same rate: it
# leaves out what opticd's reads brought in (issue 20). Per second, the
# bus's counters less opticd's polls at their cost in (a).
rmmod optic
ok "load optic (poll_ms=1000)" load_optic
ok "port0 bound" wait_for 10 test -e $OPTIC_CLASS/port0
sed -i 's/^poll_interval = .*/poll_interval = 1s/' /tmp/opticd.conf
opticd -c /tmp/opticd.conf --log-target=console >/tmp/opticd.e.log 2>&1 &
PID=$!
ok "opticd polls port0 at 1 Hz" wait_for 30 sh -c "[ \"\$(wget -qO- $URL | awk '\$1 == \"optic_poll_duration_seconds_count\" { print \$2 }')\" -ge 3 ]"
SECS=20
c0=$(metric optic_poll_duration_seconds_count)
zero
sleep $SECS
c1=$(metric optic_poll_duration_seconds_count)
cp $P/counters /tmp/counters.e
awk -v na="$polls" -v n=$((c1 - c0)) -v s=$SECS '
	NR == FNR { per[$1] = $2 / na; next }
	{ printf "BENCH bus.driver_poll_with_opticd_per_s.%s %.2f\n", $1, ($2 - n * per[$1]) / s }' \
	/tmp/counters.a /tmp/counters.e
echo "BENCH bus.driver_poll_with_opticd_per_s.opticd_polls $((c1 - c0))"
kill -TERM $PID
wait $PID
rmmod optic
rmmod optic_sim
