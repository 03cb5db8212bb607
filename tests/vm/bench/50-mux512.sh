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

up() { cut -d' ' -f1 /proc/uptime; }
metric() { timeout 30 wget -qO- "$URL" | awk -v k="$1" '$1 == k { print $2; exit }'; }
counter() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
cat >/tmp/opticd.conf <<'CONF'
[daemon]
poll_interval = 1s
driver_retry = 1s
CONF

# Freshness of opticd's samples, exact to the second without opticd's help:
# every second ("tick" k) each module's temperature is set to 20 + k mod 40
# degrees (noise and self-heating off); opticd's optic_module_temperature_celsius
# then names the last tick its sample was read in. A sample showing tick j < k
# was read before tick j + 1 was written, so it is older than now - time(j + 1);
# older than 2 s is a miss. A module with no sample counts as a miss too.
# fresh_setup N
fresh_setup() {
	i=0
	while [ $i -lt "$1" ]; do
		echo "noise temp 0 0" >$SIM_DEBUGFS/port$i/monitor
		echo 0 >$SIM_DEBUGFS/port$i/temp_load_mc
		i=$((i + 1))
	done
}
# fresh_watch TAG N SECS [FLASH_LIST]: ticks and checks for SECS; writes
# /tmp/miss.TAG ("t misses misses_among_FLASH_LIST" per check), /tmp/cyc.TAG
# (opticd's poll-cycle _count and _sum per check) and
# /tmp/missports.TAG (ports that ever missed). Stops early when /tmp/stop.TAG exists.
fresh_watch() {
	tag=$1 n=$2 secs=$3 fl=" ${4:-} "
	: >/tmp/ticks.$tag
	: >/tmp/miss.$tag
	: >/tmp/missports.$tag
	: >/tmp/cyc.$tag
	k=0
	u0=$(up)
	while awk -v a="$u0" -v b="$(up)" -v s="$secs" 'BEGIN { exit !(b - a < s) }' &&
		[ ! -e /tmp/stop.$tag ]; do
		k=$((k + 1))
		v=$((20000 + (k % 40) * 1000))
		i=0
		while [ $i -lt "$n" ]; do
			echo "set temp 0 $v" >$SIM_DEBUGFS/port$i/monitor
			i=$((i + 1))
		done
		echo "$k $(up)" >>/tmp/ticks.$tag
		sleep 1
		timeout 30 wget -qO- "$URL" >/tmp/m.$tag 2>/dev/null
		t=$(up)
		awk '$1 == "optic_poll_duration_seconds_count" { c = $2 }
			$1 == "optic_poll_duration_seconds_sum" { s = $2 }
			END { if (c != "") print c, s }' /tmp/m.$tag >>/tmp/cyc.$tag
		[ $k -lt 3 ] && continue	# the first ticks have no history
		awk -v k=$k -v t="$t" -v n="$n" -v fl="$fl" -v mp=/tmp/missports.$tag '
			FILENAME ~ /ticks/ { w[$1] = $2; next }
			$1 ~ /^optic_module_temperature_celsius\{/ {
				p = $1; sub(/.*port="port/, "", p); sub(/".*/, "", p)
				temp[p] = $2
			}
			END {
				m = 0; mf = 0
				for (i = 0; i < n; i++) {
					stale = 0
					if (!(i in temp)) stale = 1
					else {
						j = int(temp[i] - 20 + 0.5) % 40
						tick = k - ((k - j) % 40 + 40) % 40
						if (tick < k && t - w[tick + 1] > 2) stale = 1
					}
					if (stale) {
						m++
						if (index(fl, " port" i " ")) mf++
						print i >>mp
					}
				}
				print t, m, mf
			}' /tmp/ticks.$tag /tmp/m.$tag >>/tmp/miss.$tag
	done
}
# fresh_report KEY TAG: BENCH lines of a fresh_watch run
fresh_report() {
	awk -v key="$1" '{ c++; m += $2; mf += $3; if ($2) cm++ }
		END { printf "BENCH %s.checks %d\nBENCH %s.misses %d\nBENCH %s.checks_with_miss %d\n", key, c, key, m, key, cm
		      printf "BENCH %s.misses_flashing %d\n", key, mf }' /tmp/miss.$2
	echo "BENCH $1.ports_missed $(sort -u /tmp/missports.$2 | grep -c .)"
}
# poll cycles from optic_poll_duration_seconds _count/_sum before and after
cycles() { timeout 30 wget -qO- "$URL" | awk '$1 == "optic_poll_duration_seconds_count" { c = $2 }
	$1 == "optic_poll_duration_seconds_sum" { s = $2 } END { print c, s }'; }

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
