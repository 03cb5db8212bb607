# SPDX-License-Identifier: GPL-2.0
# make bench, parts 6 and 7 (issue 18): 64 modules behind 8 PCA9548 muxes on
# one 400 kHz root bus (optic_sim buses=1 ports_per_bus=64 bus_khz=400
# realtime=1), the driver's own poll at 1 s, opticd at 1 Hz.
# (6) bus utilisation and opticd's poll cycle from the root bus's exact
# counters (busN/counters) and opticd's histogram, next to the modelled bus
# time of the bytes a cycle needs (bench/run).
# (7) the same bus while 8 of its modules (one per mux) flash firmware at once
# and `opticctl --json show all` loops: health-poll misses (a module whose
# opticd sample is older than 2 s), the time to flash all 8, and the latency
# of flags raised meanwhile on a ninth module to opticd's flag counter (IntL
# behind the mux), with the scheduler on (bus_sched=Y) and off (bus_sched=N,
# first come first served).
# Prints "BENCH key value" lines for bench/run. Durations are kernel command
# line knobs (tests/vm/run --append): optic_bench_secs (the window of (6),
# default 60), optic_bench_fw_bytes (the image, default 8192).
# timeout: 1500
# vm-mem: 1536

SECS=$(arg optic_bench_secs)
SECS=${SECS:-60}
FW=$(arg optic_bench_fw_bytes)
FW=${FW:-8192}
PORTS=64
EVENTS=${EVENTS:-30}
URL=http://127.0.0.1:9732/metrics
B=$SIM_DEBUGFS/bus0
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
echo "BENCH mux.ports $PORTS"
echo "BENCH mux.muxes 8"
echo "BENCH mux.clock_hz 400000"

# up, counter, fresh_setup, fresh_watch, fresh_report, cycles: lib.sh

start_stack() { # BUS_SCHED
	ok "load optic_sim buses=1 ports_per_bus=$PORTS bus_khz=400 realtime=1 gpios=1" \
		load_sim buses=1 ports_per_bus=$PORTS bus_khz=400 realtime=1 gpios=1
	ok "load optic bus_sched=$1" load_optic bus_sched=$1
	ok "all $PORTS ports bound" wait_for 120 sh -c "[ \$(ls $OPTIC_CLASS | wc -l) -ge $PORTS ]"
	fresh_setup $PORTS
	opticd -c /tmp/opticd.conf --log-target=console >/tmp/opticd.$1.log 2>&1 &
	PID=$!
	if ! ok "opticd sees all $PORTS modules" wait_for 300 sh -c "[ \$(timeout 30 wget -qO- $URL | grep -c '^optic_module_present{.*} 1\$') -ge $PORTS ]"; then
		diag "opticd's log:"
		sed 's/^/# /' /tmp/opticd.$1.log | tail -20
	fi
}
stop_stack() {
	ok "opticd alive" kill -0 $PID
	kill -TERM $PID
	wait $PID
	rmmod optic
	rmmod optic_sim
}

# --- (6) steady state: opticd at 1 Hz and the driver's poll ----------------
start_stack Y
sleep 5
# The bytes one module's poll moves, from its cage's counters over 10 cycles.
echo 0 >$SIM_DEBUGFS/port1/counters
echo 0 >$B/counters
c0=$(cycles)
u0=$(up)
rm -f /tmp/stop.steady
fresh_watch steady $PORTS "$SECS"
u1=$(up)
c1=$(cycles)
cp $B/counters /tmp/bus.steady
cp $SIM_DEBUGFS/port1/counters /tmp/port1.steady
sed 's/^/# bus0: /' /tmp/bus.steady
echo "$c0 $c1 $u0 $u1" | awk '{ n = $3 - $1; printf "BENCH mux.steady.cycles %d\nBENCH mux.steady.seconds %.1f\n", n, $6 - $5
	if (n > 0) printf "BENCH mux.steady.cycle_mean_ms %.3f\n", ($4 - $2) / n * 1000 }'
for f in transactions bytes_read bytes_written mux_writes bus_time_ns utilisation_ppm collisions; do
	echo "BENCH mux.steady.bus.$f $(counter /tmp/bus.steady $f)"
done
for f in transactions bytes_read bytes_written bus_time_ns; do
	echo "BENCH mux.steady.port1.$f $(counter /tmp/port1.steady $f)"
done
fresh_report mux.steady steady
awk 'NR > 1 && $1 > pc { for (k = 0; k < $1 - pc; k++) printf "%.3f\n", ($2 - ps) * 1000 / ($1 - pc) }
	{ pc = $1; ps = $2 }' /tmp/cyc.steady | sort -n >/tmp/polls
echo "BENCH mux.steady.cycle_samples $(grep -c . /tmp/polls)"
[ -s /tmp/polls ] && awk '{ v[NR] = $1 } END { r = int(NR * 0.5 + 0.999999); q = int(NR * 0.99 + 0.999999)
	printf "BENCH mux.steady.cycle_p50_ms %s\nBENCH mux.steady.cycle_p99_ms %s\n", v[r], v[q] }' /tmp/polls
opticctl --json bus >/tmp/bus.json 2>/dev/null && jq -c '.' /tmp/bus.json | head -c 600 | sed 's/^/# opticctl bus: /'
echo

# --- (7) 8 flashes + show all loop, scheduler on and off --------------------
mkimage /tmp/fw.bin 4 2 "$FW"
echo "BENCH mux.flash.image_bytes $FW"
FL="port0 port8 port16 port24 port32 port40 port48 port56"
for s in Y N; do
	m=sched_$s
	[ $s = Y ] || start_stack N
	sleep 3
	echo 0 >$B/counters
	for p in $FL; do echo 0 >$SIM_DEBUGFS/$p/counters; done
	rm -f /tmp/stop.$m
	( while [ ! -e /tmp/stop.$m ]; do opticctl --json show all >/dev/null 2>&1; echo x; done >/tmp/showall.$m ) &
	SA=$!
	( fresh_watch $m $PORTS 900 "$FL" ) &
	FWATCH=$!
	sleep 4
	f0=$(up)
	for p in $FL; do
		( opticctl -j fw flash $p /tmp/fw.bin >/tmp/flash.$m.$p 2>&1; echo "rc $? $(up)" >>/tmp/flash.$m.$p ) &
	done
	# meanwhile, flags raised on port4 (IntL behind its mux) until opticd's
	# flag counter moves: the event latency under this load
	normal=$(awk '$1 == "rx_power" && $2 == 0 { print $3 }' $SIM_DEBUGFS/port4/monitor)
	echo "noise rx_power 0 0" >$SIM_DEBUGFS/port4/monitor	# as in 30-events
	flag_delays >/tmp/delays0.$m
	( BENCH_BUDGET_S=60 vm-bench-poll events 4 "$EVENTS" "$normal" 1200 >/tmp/events.$m 2>&1 ) &
	EV=$!
	wait_for 1200 sh -c "[ \$(cat /tmp/flash.$m.port* 2>/dev/null | grep -c '^rc ') -ge 8 ]"
	wait $EV
	flag_delays >/tmp/delays1.$m
	flag_delay_report mux.flash.$m.intl /tmp/delays0.$m /tmp/delays1.$m
	tail -n 1 /tmp/events.$m | sed 's/^/# events: /'
	tail -n 1 /tmp/events.$m | awk -v m=$m '$1 == "n" { for (i = 1; i < NF; i += 2) printf "BENCH mux.flash.%s.intl.%s %s\n", m, $i, $(i + 1) }'
	f1=$(awk '$1 == "rc" { if ($3 > m) m = $3 } END { print m }' /tmp/flash.$m.port*)
	sleep 3
	touch /tmp/stop.$m
	wait $SA
	wait $FWATCH
	cp $B/counters /tmp/bus.$m
	fok=$(cat /tmp/flash.$m.port* | grep -c '^rc 0 ')
	check_eq "$m: 8 flashes succeed" 8 "$fok"
	grep -h -v '"phase"' /tmp/flash.$m.port* | grep -v '^rc' | head -n 2 | sed 's/^/# /'
	echo "BENCH mux.flash.$m.ok $fok"
	awk -v a="$f0" -v b="$f1" 'BEGIN { printf "BENCH mux.flash.'$m'.wall_ms %.0f\n", (b - a) * 1000 }'
	awk -v a="$f0" '$1 == "rc" { printf "%.0f\n", ($3 - a) * 1000 }' /tmp/flash.$m.port* | sort -n |
		awk '{ v[NR] = $1 } END { printf "BENCH mux.flash.'$m'.first_ms %s\n", v[1] }'
	t=0
	for p in $FL; do t=$((t + $(counter $SIM_DEBUGFS/$p/counters bus_time_ns))); done
	echo "BENCH mux.flash.$m.flashing_ports_bus_time_ns $t"
	for f in transactions bytes_written bus_time_ns utilisation_ppm collisions; do
		echo "BENCH mux.flash.$m.bus.$f $(counter /tmp/bus.$m $f)"
	done
	echo "BENCH mux.flash.$m.show_all_runs $(grep -c x /tmp/showall.$m)"
	fresh_report mux.flash.$m $m
	for p in $FL; do
		awk -v a="$f0" -v p=$p '$1 == "rc" { printf "# %s: flash of %s rc %s at %+.1f s\n", m, p, $2, $3 - a }' m=$m /tmp/flash.$m.$p
	done
	awk -v a="$f0" -v m=$m '{ printf "# %s: miss of port%s (temperature %s) at %+.1f s\n", m, $2, $3, $1 - a }' /tmp/missports.$m | head -n 24
	opticctl --json bus 2>/dev/null | jq -c '.' | head -c 800 | sed "s/^/# $m opticctl bus: /"
	echo
	stop_stack
done
