# SPDX-License-Identifier: GPL-2.0
# make bench, parts 3 and 2: 512 simulated osfp-800g-2xdr4 modules, one per
# I2C bus (optic_sim ports=512), realtime=1 at 400 kHz, the driver's own poll
# at its default 1 s. (3) opticctl list and --json show all, 20 runs each;
# (2) opticd polling at 1 Hz for 60 s: CPU, RSS, poll-cycle durations (the
# metrics are scraped every 2 s for the durations; that cost is included).
# Prints "BENCH key value" lines for bench/run.
# timeout: 1800
# vm-mem: 3072

PORTS=${BENCH_PORTS:-512}
RUNS=${BENCH_RUNS:-20}
SECS=${BENCH_SECONDS:-60}
CLI_BUDGET_S=120
URL=http://127.0.0.1:9732/metrics
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up

# pct P FILE: nearest-rank percentile of the numbers in FILE
pct() { sort -n "$2" | awk -v p="$1" '{ v[NR] = $1 } END { r = int(p * NR / 100 + 0.999999); if (r < 1) r = 1; print v[r] }'; }
metric() { wget -qO- "$URL" | awk -v k="$1" '$1 == k { print $2; exit }'; }
present() { wget -qO- "$URL" | grep -c '^optic_module_present{.*} 1$'; }

echo "BENCH scale.ports $PORTS"
echo "BENCH scale.layout one-module-per-bus"
ok "load optic_sim ports=$PORTS" load_sim ports=$PORTS profile=osfp-800g-2xdr4
for d in $SIM_DEBUGFS/port*/; do
	echo 400000 >$d/clock_hz
	echo 1 >$d/realtime
done
ok "load optic" load_optic
ok "all $PORTS ports bound" wait_for 120 sh -c "[ \$(ls $OPTIC_CLASS | wc -l) -ge $PORTS ]"

# (3) the CLI
echo "BENCH cli.runs $RUNS"
for c in list show_all; do
	case $c in
	list) set -- opticctl list ;;
	show_all) set -- opticctl --json show all ;;
	esac
	# At most CLI_BUDGET_S per command: the runs done are reported.
	BENCH_BUDGET_S=$CLI_BUDGET_S vm-bench-poll time "$RUNS" "$@" 2>&1 |
		tee /tmp/time.$c | sed 's/^/# /'
	check_match "$* timed" '^p50_ms' "$(tail -n 1 /tmp/time.$c)"
	tail -n 1 /tmp/time.$c | awk -v c=$c '{ for (i = 1; i < NF; i += 2) printf "BENCH cli.%s.%s %s\n", c, $i, $(i + 1) }'
done
n=$(opticctl --json show all | jq length 2>/dev/null)
diag "opticctl --json show all: $n modules"

# (2) opticd
cat >/tmp/opticd.conf <<'CONF'
[daemon]
poll_interval = 1s
driver_retry = 1s
CONF
opticd -c /tmp/opticd.conf --log-target=console >/tmp/opticd.log 2>&1 &
PID=$!
ok "opticd sees all $PORTS modules" wait_for 900 sh -c "[ \$(wget -qO- $URL | grep -c '^optic_module_present{.*} 1\$') -ge $PORTS ]"
sleep 5
ticks() { awk '{ print $14 + $15 }' /proc/$PID/stat; }
sys_ticks() { awk '{ print $15 }' /proc/$PID/stat; }
t0=$(ticks)
s0=$(sys_ticks)
up0=$(awk '{ print $1 }' /proc/uptime)
: >/tmp/scrapes
# Bounded by time: a scrape waits while opticd is in a poll (one event loop).
while awk -v u0="$up0" -v s="$SECS" '{ exit !($1 - u0 < s) }' /proc/uptime; do
	# busybox wget gives up after 5 s, and a scrape waits for a running poll.
	vm-bench-poll scrape optic_poll_duration_seconds_count \
		optic_poll_duration_seconds_sum | awk '$1 > 0' >>/tmp/scrapes
	awk '$1 == "VmRSS:" { print $2 }' /proc/$PID/status >>/tmp/rss
	sleep 2
done
t1=$(ticks)
s1=$(sys_ticks)
up1=$(awk '{ print $1 }' /proc/uptime)
hz=100
awk -v a="$t0" -v b="$t1" -v u0="$up0" -v u1="$up1" -v hz=$hz \
	'BEGIN { printf "BENCH daemon.cpu_percent %.2f\nBENCH daemon.seconds %.1f\n", (b - a) / hz / (u1 - u0) * 100, u1 - u0 }'
# the kernel's share: netlink, i2c, the muxes and the simulated bus run in
# opticd's system calls (on a switch the controller's work is not opticd's)
awk -v a="$s0" -v b="$s1" -v u0="$up0" -v u1="$up1" -v hz=$hz \
	'BEGIN { printf "BENCH daemon.cpu_sys_percent %.2f\n", (b - a) / hz / (u1 - u0) * 100 }'
echo "BENCH daemon.rss_kb $(awk '$1 == "VmRSS:" { print $2 }' /proc/$PID/status)"
echo "BENCH daemon.rss_peak_kb $(awk '$1 == "VmHWM:" { print $2 }' /proc/$PID/status)"
echo "BENCH daemon.history_bytes $(metric optic_history_bytes)"
# Poll durations: an interval between two scrapes with one new poll gives
# that poll's duration; with k > 1 new polls, their mean counts k times.
awk 'NR > 1 && $1 > pc { for (k = 0; k < $1 - pc; k++) printf "%.3f\n", ($2 - ps) * 1000 / ($1 - pc) }
	{ pc = $1; ps = $2 }' /tmp/scrapes >/tmp/polls
awk 'NR > 1 && $1 > pc { n += $1 - pc; s += $2 - ps } { pc = $1; ps = $2 }
	END { if (n) printf "BENCH daemon.poll_mean_ms %.3f\nBENCH daemon.polls %d\n", s / n * 1000, n }' /tmp/scrapes
echo "BENCH daemon.poll_samples $(grep -c . /tmp/polls)"
if [ -s /tmp/polls ]; then
	echo "BENCH daemon.poll_p50_ms $(pct 50 /tmp/polls)"
	echo "BENCH daemon.poll_p99_ms $(pct 99 /tmp/polls)"
fi
check_match "poll durations sampled" '^[1-9]' "$(grep -c . /tmp/polls)"
ok "opticd alive" kill -0 $PID
kill -TERM $PID
wait $PID
grep -v '^$' /tmp/opticd.log | tail -n 5 | sed 's/^/# log: /'
