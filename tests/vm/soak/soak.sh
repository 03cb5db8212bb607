# SPDX-License-Identifier: GPL-2.0
# make soak (tests/vm/soak/run; docs/reliability.md): opticd over N simulated
# modules (default 512) for SECONDS of real time standing for a simulated
# week. The simulator's monitor clock runs 7 x 86400 / SECONDS times faster
# (mon_accel), so each port ages by its own seeded drift (temperature, Rx
# power, laser bias) through a week; opticd's clock cannot be sped up, so
# its history periods and policy windows are divided by the same factor.
# vm-soak drive injects random unplug/re-plug (or swap), NACK bursts, dead
# modules, temperature excursions and Rx LOS on idle ports, and drains the
# simulator's event log; vm-soak match then checks that every insertion,
# removal, alarm and LOS the simulator logged, and every injected fault, has
# its opticd log line. Parameters come on the kernel command line (soak_*).
# Prints "SOAK key value" lines.

arg() { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
PORTS=$(arg soak_ports); PORTS=${PORTS:-512}
SECS=$(arg soak_seconds); SECS=${SECS:-1200}
SEED=$(arg soak_seed); SEED=${SEED:-1}
RATE=$(arg soak_rate); RATE=${RATE:-0.5}
DMIN=$(arg soak_dwell_min); DMIN=${DMIN:-20}
DMAX=$(arg soak_dwell_max); DMAX=${DMAX:-60}
WINDOW=$(arg soak_window); WINDOW=${WINDOW:-90}
SLACK=$(arg soak_rss_slack_kb); SLACK=${SLACK:-4096}
HEAP_SLACK=$(arg soak_heap_slack_kb); HEAP_SLACK=${HEAP_SLACK:-1024}
OUT=/tmp/soak
URL=http://127.0.0.1:9732/metrics
mkdir -p $OUT
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up

ACCEL=$(((7 * 86400 + SECS / 2) / SECS))
# a simulated duration in opticd's real seconds, at least MIN
sim() { awk -v s="$1" -v a=$ACCEL -v m="${2:-1}" 'BEGIN { v = int(s / a + 0.5); print (v < m ? m : v) }'; }
now() { awk '{ print $1 }' /proc/uptime; }
mono() { echo | vm-soak stamp | awk '{ print $1 }'; }

echo "SOAK run.ports $PORTS"
echo "SOAK run.seconds $SECS"
echo "SOAK run.seed $SEED"
echo "SOAK run.rate $RATE"
echo "SOAK run.window_s $WINDOW"
echo "SOAK run.mon_accel $ACCEL"
echo "SOAK run.simulated_days $(awk -v s=$SECS -v a=$ACCEL 'BEGIN { printf "%.2f", s * a / 86400 }')"

ok "load optic_sim ports=$PORTS" load_sim ports=$PORTS profile=osfp-800g-2xdr4 event_log=262144
ok "load optic" load_optic
ok "all $PORTS ports bound" wait_for 600 sh -c "[ \$(ls $OPTIC_CLASS | wc -l) -ge $PORTS ]"

# opticd's time constants for a week squeezed into SECS: history tiers of a
# simulated hour and day, a week of daily means; policy windows alike.
cat >/tmp/opticd.conf <<CONF
[daemon]
poll_interval = 1s
driver_retry = 1s
textfile = /tmp/optic.prom

[history]
# every poll (1 s real is $ACCEL s simulated)
fine_length = 60
# a simulated hour, kept for a simulated day
medium_period = $(sim 3600)s
medium_length = 24
# a simulated day, kept for a simulated week
coarse_period = $(sim 86400)s
coarse_length = 8

[policy thermal]
min_interval = $(sim 60)s

[policy prediction]
horizon = $(sim 604800)s
window = $(sim 86400 2)s
interval = $(sim 3600)s
min_span = $(sim 3600)s
min_points = 10

[policy flap]
window = $(sim 3600)s
CONF
sed 's/^/# conf: /' /tmp/opticd.conf | grep -v '^# conf: #'
ok "opticd accepts the soak configuration" opticd -c /tmp/opticd.conf --check-config

mkfifo /tmp/opticd.fifo
vm-soak stamp </tmp/opticd.fifo >$OUT/opticd.log &
STAMP=$!
T0=$(mono)
up0=$(now)
opticd -c /tmp/opticd.conf --log-target=console >/tmp/opticd.fifo 2>&1 &
PID=$!
present() { wget -qO- "$URL" 2>/dev/null | grep -c '^optic_module_present{.*} 1$'; }
ok "opticd sees all $PORTS modules" wait_for 1200 sh -c "[ \$(wget -qO- $URL 2>/dev/null | grep -c '^optic_module_present{.*} 1\$') -ge $PORTS ]"
echo "SOAK startup.seconds $(awk -v a="$up0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
diag "opticd up with $(present) modules; driving for $SECS s + $WINDOW s settle"

metric() { wget -qO- "$URL" | awk -v k="$1" '$1 == k { print $2; exit }'; }
# malloc's bytes in use (optic_daemon_heap_bytes) every 10 s, beside RSS
( while kill -0 $PID 2>/dev/null; do
	echo "$(mono) $(metric optic_daemon_heap_bytes)" >>$OUT/heap.log
	sleep 10
done ) &
HEAP=$!

SETTLE=$WINDOW
vm-soak drive $OUT $PORTS $SECS $SEED $RATE $DMIN $DMAX $SETTLE $PID
check_eq "event driver finished" 0 $?
ok "opticd alive after the soak" kill -0 $PID
n=$(metric optic_poll_duration_seconds_count)
s=$(metric optic_poll_duration_seconds_sum)
echo "SOAK daemon.polls ${n:-0}"
[ -n "$n" ] && [ "$n" -gt 0 ] &&
	echo "SOAK daemon.poll_mean_s $(awk -v n="$n" -v s="$s" 'BEGIN { printf "%.3f", s / n }')"
echo "SOAK daemon.history_bytes $(metric optic_history_bytes)"
echo "SOAK daemon.present_at_end $(present)"
echo "SOAK sim.events_logged $(cat $SIM_DEBUGFS/events_logged)"
echo "SOAK sim.events_dropped $(cat $SIM_DEBUGFS/events_dropped)"
kill -TERM $PID
wait $PID
check_eq "opticd exits cleanly" 0 $?
wait $STAMP

# RSS and CPU: from the end of the warm-up (a fifth of the run) to the end
WARM=$((SECS / 5))
echo "SOAK rss.warmup_s $WARM"
awk -v warm=$WARM 'NF == 4 && $2 > 0 {
		if (!t0) t0 = $1
		if (!ts && $1 >= t0 + warm) { ts = $1; rs = $2; cs = $4 }
		te = $1; re = $2; ce = $4; if ($3 > peak) peak = $3 }
	END {
		if (!ts) { ts = t0; }
		printf "SOAK rss.start_kb %d\nSOAK rss.peak_kb %d\nSOAK rss.end_kb %d\n", rs, peak, re
		printf "SOAK rss.growth_kb %d\n", re - rs
		if (te > ts) printf "SOAK cpu.percent %.1f\n", (ce - cs) / 100 / (te - ts) * 100
	}' $OUT/rss.log | tee /tmp/rss.kv
grep -c gone $OUT/rss.log | sed 's/^/# rss samples with opticd gone: /'
# the heap over the same span: malloc's bytes in use, the exact leak
# measure (RSS also moves with what malloc keeps or trims)
kill $HEAP 2>/dev/null
awk -v warm=$WARM 'NF == 2 && $2 != "" {
		if (!t0) t0 = $1
		if (!hs && $1 >= t0 + warm) hs = $2
		he = $2; printf "# heap: %.0f s %d bytes\n", $1 - t0, $2 }
	END { printf "SOAK heap.start_bytes %d\nSOAK heap.end_bytes %d\nSOAK heap.growth_bytes %d\n", hs, he, he - hs }' \
	$OUT/heap.log | tee /tmp/heap.kv
# the trajectory, 40 samples: a leak climbs, fragmentation steps and stays
awk 'NF == 4 && $2 > 0 { t[++n] = $1; r[n] = $2 }
	END { for (i = 1; i <= n; i += int(n / 40) + 1) printf "# rss: %.0f s %d kB\n", t[i] - t[1], r[i] }' $OUT/rss.log
growth=$(awk '$2 == "heap.growth_bytes" { print int($3 / 1024) }' /tmp/heap.kv)
check_match "heap growth after warm-up within $HEAP_SLACK kB (got ${growth:-?})" '^ok$' \
	"$([ -n "$growth" ] && [ "$growth" -le "$HEAP_SLACK" ] && echo ok)"
growth=$(awk '$2 == "rss.growth_kb" { print $3 }' /tmp/rss.kv)
check_match "RSS growth after warm-up within $SLACK kB (got ${growth:-?})" '^ok$' \
	"$([ -n "$growth" ] && [ "$growth" -le "$SLACK" ] && echo ok)"

# what was injected
awk '$2 ~ /^port/ && $3 ~ /^(unplug|swap|nack|dead|temp|los)$/ { n[$3]++; t++ }
	END { printf "SOAK inject.total %d\n", t; for (k in n) printf "SOAK inject.%s %d\n", k, n[k] }' \
	$OUT/drive.log
grep -c 'skipped: no idle port' $OUT/drive.log | sed 's/^/SOAK inject.skipped /'
grep ' error ' $OUT/drive.log | head -n 5 | sed 's/^/# drive: /'

# an alarm raised less than two poll intervals before its module was pulled
# may have gone with it unread: counted apart (events.preempted)
vm-soak match $OUT $OUT/opticd.log $WINDOW $T0 2 | tee /tmp/match.kv
# netlink events the driver sent and opticd's socket dropped (it rescans)
echo "SOAK opticd.event_overruns $(grep -c 'driver events lost, rescanning' $OUT/opticd.log)"
missed=$(awk '$2 == "events.missed" { print $3 }' /tmp/match.kv)
check_eq "no missed event" 0 "${missed:-?}"
check_eq "the simulator's event log dropped nothing" 0 "$(cat $SIM_DEBUGFS/events_dropped)"
head -n 40 $OUT/missed.txt | sed 's/^/# /'
# the first three misses in context: what the driver did to the port, what
# the simulator logged and what opticd said about it around that time
grep '^missed [0-9]' $OUT/missed.txt | head -n 3 | while read -r _ _ t port _; do
	diag "context of the miss at $t on $port:"
	grep " $port " $OUT/drive.log | grep -v ' aging ' | sed 's/^/#   drive: /'
	awk -v t="$t" -v p="$port" '$3 == p && $2 >= t - 60 && $2 <= t + 60' \
		$OUT/sim.log | tail -n 30 | sed 's/^/#   sim: /'
	awk -v t="$t" -v p="$port" '$1 >= t - 60 && $1 <= t + 120 &&
		index($0, "opticd: " p "/") + index($0, "opticd: " p ":")' \
		$OUT/opticd.log | head -n 40 | sed 's/^/#   opticd: /'
done
sed 's/^[0-9.]* //; s/[0-9.-]\{1,\}/N/g' $OUT/opticd.log | sort | uniq -c | sort -rn | head -n 25 | sed 's/^/# log: /'
rmmod optic
rmmod optic_sim
