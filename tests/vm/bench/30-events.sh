# SPDX-License-Identifier: GPL-2.0
# make bench, part 4: event latency, flag raised in the module -> opticd's
# optic_lane_flags_total moves, 100 events each with the cage's IntL line
# wired (optic_sim gpios=1: the driver services IntL) and without (polled).
# One osfp-800g-2xdr4, realtime=1 at 400 kHz, opticd poll_interval 500ms.
# With IntL, opticd's optic_flag_event_delay_seconds too (IntL asserted ->
# flag counted, inside the guest): under the 2 ms scrape loop, and alone.
# Prints "BENCH key value" lines for bench/run.
# timeout: 900

N=${BENCH_EVENTS:-100}
URL=http://127.0.0.1:9732/metrics
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
cat >/tmp/opticd.conf <<'CONF'
[daemon]
poll_interval = 500ms
driver_retry = 1s
CONF
echo "BENCH events.poll_interval_ms 500"

for mode in polled intl; do
	gp=0
	[ $mode = intl ] && gp=1
	ok "$mode: load optic_sim gpios=$gp" load_sim ports=1 profile=osfp-800g-2xdr4 gpios=$gp
	echo 400000 >$SIM_DEBUGFS/port0/clock_hz
	echo 1 >$SIM_DEBUGFS/port0/realtime
	ok "$mode: load optic" load_optic
	normal=$(awk '$1 == "rx_power" && $2 == 0 { print $3 }' $SIM_DEBUGFS/port0/monitor)
	# a dark receiver reads dark: the default noise (1 % of the normal
	# power, absolute) would keep 1 nW above the LOS threshold for a
	# sample now and then, and the flag would latch a sample later
	echo "noise rx_power 0 0" >$SIM_DEBUGFS/port0/monitor
	opticd -c /tmp/opticd.conf --log-target=console >/tmp/opticd.$mode.log 2>&1 &
	PID=$!
	ok "$mode: opticd polls port0" wait_for 30 sh -c "wget -qO- $URL | grep -q '^optic_module_present{port=\"port0\"} 1'"
	sleep 2
	flag_delays >/tmp/delays0.$mode
	# At most 240 s per mode; events not seen within 5 s count as missed.
	BENCH_BUDGET_S=240 vm-bench-poll events 0 "$N" "$normal" 1200 >/tmp/events.$mode 2>&1
	flag_delays >/tmp/delays1.$mode
	# opticd's own figure, IntL -> counted: under the scrape loop above,
	# then without it (the knob alone, each flag given 300 ms)
	if [ $mode = intl ]; then
		flag_delay_report events.intl.scraped /tmp/delays0.$mode /tmp/delays1.$mode
		for i in $(seq "$N"); do
			echo "set rx_power 0 1" >$SIM_DEBUGFS/port0/monitor
			sleep 0.3
			echo "set rx_power 0 $normal" >$SIM_DEBUGFS/port0/monitor
			sleep 1.2
		done
		flag_delays >/tmp/delays2.$mode
		flag_delay_report events.intl.quiet /tmp/delays1.$mode /tmp/delays2.$mode
	fi
	tail -n 1 /tmp/events.$mode | sed 's/^/# /'
	# the distribution, slowest last, for a look at the tail
	awk '$1 == "event" { print $3 }' /tmp/events.$mode | sort -n | tr '\n' ' ' | sed 's/^/# '$mode' ms: /'
	echo
	check_match "$mode: events timed" "^n [1-9]" "$(tail -n 1 /tmp/events.$mode)"
	tail -n 1 /tmp/events.$mode | awk -v m=$mode '$1 == "n" { for (i = 1; i < NF; i += 2) printf "BENCH events.%s.%s %s\n", m, $i, $(i + 1) }'
	grep -o 'irq.*optic\|optic.*irq' /proc/interrupts 2>/dev/null | head -n 2 | sed 's/^/# /'
	kill -TERM $PID
	wait $PID
	rmmod optic
	rmmod optic_sim
done
