# SPDX-License-Identifier: GPL-2.0
# opticd memory stays flat over a long accelerated run: 4 modules polled
# every 100 ms with noisy, drifting monitors (mon_accel), histories small
# enough to wrap every tier, LOS flaps, insertions and removals, a driver
# reload, config reloads, metrics scrapes and textfile writes. After the
# warm-up (every ring full) and at the end, malloc's bytes in use
# (optic_daemon_heap_bytes) must stay within 64 KiB, RSS within 1 MiB.
# timeout: 360

CONF=/tmp/opticd.conf
LOG=/tmp/opticd.log

# The least of 5 samples a second apart: at an instant RSS also holds the
# heap's free top until malloc trims it (runs of the same build spread by
# +-230 kB); what a leak keeps raises every sample.
rss() {
	for k in 1 2 3 4 5; do
		awk '$1 == "VmRSS:" { print $2 }' /proc/$PID/status
		sleep 1
	done | sort -n | head -n 1
}
# The least of 5 heap samples a second apart (each taken at the end of a
# poll cycle; an event's read in flight holds a few KiB more).
heap() {
	for k in 1 2 3 4 5; do
		wget -qO- "$OPTICD_URL" | awk '$1 == "optic_daemon_heap_bytes" { print $2 }'
		sleep 1
	done | sort -n | head -n 1
}
mon() { echo "$2" >"$SIM_DEBUGFS/$1/monitor"; }


cat >"$CONF" <<'CONF'
[daemon]
poll_interval = 100ms
driver_retry = 1s
status_socket = /run/opticd/status.sock
textfile = /tmp/optic.prom
textfile_interval = 1s

[history]
fine_length = 200
medium_period = 1s
medium_length = 40
coarse_period = 2s
coarse_length = 20

[policy prediction]
window = 20s
interval = 1s
min_points = 10
min_span = 5s

[policy flap]
window = 10s
max_events = 2
CONF

ok "load optic_sim with 4 ports" load_sim ports=4
ok "load optic.ko" load_optic
for p in port0 port1 port2 port3; do
	echo 3600 >"$SIM_DEBUGFS/$p/mon_accel"
	mon $p "noise rx_power all 20000"
	mon $p "drift rx_power all -2000"
	mon $p "drift temp all 500"
done
opticd -c "$CONF" --log-target=console >"$LOG" 2>&1 &
PID=$!
ok "opticd up with 4 modules" wait_for 20 metric_is 'optic_module_present{port="port3"}' 1

# churn N: one round of everything that allocates and frees.
churn() {
	mon port0 "set rx_power 1 5000"
	metrics >/dev/null
	mon port0 "set rx_power 1 1200000"
	echo 0 >"$SIM_DEBUGFS/port3/present"
	sleep 1
	echo 1 >"$SIM_DEBUGFS/port3/present"
	kill -HUP $PID
	sleep 1
}

diag "warm-up: 45 s for every ring to wrap"
i=0
while [ $i -lt 20 ]; do churn; i=$((i + 1)); done
sleep 3
before=$(rss)
heap0=$(heap)
diag "RSS after warm-up: $before kB, heap $heap0 bytes"

ok "rmmod optic mid-run" rmmod optic
ok "driver gone" wait_for 10 metric_is optic_up 0
ok "insmod optic" load_optic
ok "driver back" wait_for 15 metric_is optic_up 1
i=0
while [ $i -lt 40 ]; do churn; i=$((i + 1)); done
sleep 3
after=$(rss)
heap1=$(heap)
diag "RSS at the end: $after kB (growth $((after - before)) kB), heap $heap1 bytes (growth $((heap1 - heap0)))"
check_match "RSS and heap measured" '^[0-9]+ [0-9]+ [0-9]+ [0-9]+$' "$before $after $heap0 $heap1"
check_match "heap in use within 64 KiB of the warm-up" '^ok$' \
	"$([ -n "$heap0" ] && [ $((heap1 - heap0)) -le 65536 ] && echo ok)"
check_match "RSS within 1 MiB of the warm-up" '^ok$' \
	"$([ -n "$before" ] && [ $((after - before)) -le 1024 ] && echo ok)"
ok "polled all along" sh -c "[ \$(wget -qO- $OPTICD_URL | awk '\$1 == \"optic_poll_duration_seconds_count\" { print \$2 }') -gt 500 ]"
ok "flaps counted" sh -c "wget -qO- $OPTICD_URL | grep -q '^optic_lane_flags_total{port=\"port0\",lane=\"2\",flag=\"rx_los\"} [1-9]'"
ok "reloads all succeeded" metric_is 'optic_config_reloads_total{result="failure"}' 0
ok "textfile written" grep -q '^optic_up 1$' /tmp/optic.prom
# 8 lanes: 200 samples of 56 bytes, 60 min/mean/max entries of 160, the
# accumulators: what --check-config says a module takes.
per=$(opticd -c "$CONF" --check-config | awk '/bytes per 8-lane module/ { print $2 }')
check_match "history of an 8-lane module as documented" '^2[0-9]{4}$' "$per"
check_eq "history bytes: 4 modules of 8 lanes" "$((4 * ${per:-0}))" \
	"$(metric optic_history_bytes)"
ok "daemon alive" kill -0 $PID
kill -TERM $PID
wait $PID
check_eq "clean exit" 0 $?
grep -c . "$LOG" | sed 's/^/# log lines: /'
sed 's/[0-9.-]\{1,\}/N/g' "$LOG" | sort | uniq -c | sort -rn | head -n 12 | sed 's/^/# /'
rmmod optic
rmmod optic_sim
