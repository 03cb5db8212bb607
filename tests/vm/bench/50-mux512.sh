# SPDX-License-Identifier: GPL-2.0
# make bench, part 8 (issue 18): 512 modules as 8 root buses x 64 cages
# behind PCA9548 muxes (optic_sim buses=8 ports_per_bus=64 bus_khz=400
# realtime=1), the driver's own poll at 1 s, opticd at 1 Hz: does it keep up?
# Poll cycle p50/p99 (optic_poll_duration_seconds, scraped every check) and
# health-poll misses (a module whose opticd sample is older than 2 s, as in
# 40-mux.sh), the root buses' exact counters. The window is the kernel
# command line knob optic_bench_secs (tests/vm/run --append; default 60).
# Prints "BENCH key value" lines for bench/run.
# timeout: 2400
# vm-mem: 3072

SECS=$(arg optic_bench_secs)
SECS=${SECS:-60}
BUSES=8
PER=64
PORTS=$((BUSES * PER))
URL=http://127.0.0.1:9732/metrics
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
echo "BENCH mux512.ports $PORTS"
echo "BENCH mux512.buses $BUSES"

# up, counter, fresh_setup, fresh_watch, fresh_report, cycles: lib.sh

# nearest-rank percentile of the numbers in FILE
pct() { sort -n "$2" | awk -v p="$1" '{ v[NR] = $1 } END { r = int(p * NR / 100 + 0.999999); if (r < 1) r = 1; print v[r] }'; }

ok "load optic_sim buses=$BUSES ports_per_bus=$PER bus_khz=400 realtime=1" \
	load_sim buses=$BUSES ports_per_bus=$PER bus_khz=400 realtime=1
ok "load optic" load_optic
ok "all $PORTS ports bound" wait_for 600 sh -c "[ \$(ls $OPTIC_CLASS | wc -l) -ge $PORTS ]"
fresh_setup $PORTS
opticd -c /tmp/opticd.conf --log-target=console >/tmp/opticd.log 2>&1 &
PID=$!
ok "opticd sees all $PORTS modules" wait_for 900 sh -c "[ \$(timeout 30 wget -qO- $URL | grep -c '^optic_module_present{.*} 1\$') -ge $PORTS ]"
sleep 5
b=0
while [ $b -lt $BUSES ]; do echo 0 >$SIM_DEBUGFS/bus$b/counters; b=$((b + 1)); done
u0=$(up)
fresh_watch scale $PORTS "$SECS"
u1=$(up)
# Cycle durations: the histogram's _count/_sum as each check scraped them; an
# interval with one new cycle gives its duration, k cycles their mean k times.
echo "BENCH mux512.seconds $(awk -v a="$u0" -v b="$u1" 'BEGIN { printf "%.1f", b - a }')"
fresh_report mux512 scale
awk 'NR > 1 && $1 > pc { for (k = 0; k < $1 - pc; k++) printf "%.3f\n", ($2 - ps) * 1000 / ($1 - pc) }
	{ pc = $1; ps = $2 }' /tmp/cyc.scale >/tmp/polls
echo "BENCH mux512.cycle_samples $(grep -c . /tmp/polls)"
if [ -s /tmp/polls ]; then
	echo "BENCH mux512.cycle_p50_ms $(pct 50 /tmp/polls)"
	echo "BENCH mux512.cycle_p99_ms $(pct 99 /tmp/polls)"
fi
b=0
while [ $b -lt $BUSES ]; do
	echo "BENCH mux512.bus$b.utilisation_ppm $(counter $SIM_DEBUGFS/bus$b/counters utilisation_ppm)"
	echo "BENCH mux512.bus$b.bus_time_ns $(counter $SIM_DEBUGFS/bus$b/counters bus_time_ns)"
	b=$((b + 1))
done
awk '$1 == "utilisation_ppm" { s += $2; n++ } END { if (n) printf "BENCH mux512.utilisation_ppm_mean %.0f\n", s / n }' \
	$SIM_DEBUGFS/bus*/counters
ok "opticd alive" kill -0 $PID
kill -TERM $PID
wait $PID
grep -v '^$' /tmp/opticd.log | tail -n 5 | sed 's/^/# log: /'
