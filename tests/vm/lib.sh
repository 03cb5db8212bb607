# SPDX-License-Identifier: GPL-2.0
# Helpers sourced by every VM scenario (busybox sh). Each check prints one TAP
# line; the plan ("1..N") is printed when the scenario ends, and the scenario's
# exit status is the number of failed checks.

OPTIC_DIR=/optic
SIM_DEBUGFS=/sys/kernel/debug/optic_sim
OPTIC_CLASS=/sys/class/optic

_tap_n=0
_tap_failed=0

_tap_end() {
	echo "1..$_tap_n"
	exit "$_tap_failed"
}
trap _tap_end EXIT

diag() { echo "# $*"; }

pass() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

fail() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
}

# ok DESC CMD [ARG...]: passes when CMD exits 0; its output is shown on failure.
ok() {
	local desc=$1
	shift
	if "$@" >/tmp/.ok.out 2>&1; then
		pass "$desc"
	else
		fail "$desc"
		sed 's/^/#   /' /tmp/.ok.out
	fi
}

# fails DESC CMD [ARG...]: passes when CMD exits non-zero.
fails() {
	local desc=$1
	shift
	if "$@" >/tmp/.ok.out 2>&1; then
		fail "$desc"
		sed 's/^/#   /' /tmp/.ok.out
	else
		pass "$desc"
	fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1"
		diag "  expected: '$2'"
		diag "  got:      '$3'"
	fi
}

# check_match DESC EXTENDED_REGEX ACTUAL
check_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		pass "$1"
	else
		fail "$1"
		diag "  expected to match: '$2'"
		printf '%s\n' "$3" | sed 's/^/#   got: /'
	fi
}

# wait_for SECONDS CMD [ARG...]: polls CMD every 0.1 s; returns its last status.
wait_for() {
	local tries=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

# nl_listeners: generic netlink sockets that joined a multicast group (the
# "Groups" column of /proc/net/netlink: the first 32 groups, optic's
# included). A monitor started in the background is listening once this
# count grew: wait for that instead of sleeping.
nl_listeners() {
	awk '$2 == 16 && $4 != "00000000" { n++ } END { print n + 0 }' /proc/net/netlink
}
nl_listeners_gt() { [ "$(nl_listeners)" -gt "$1" ]; }

# load_sim PARAM...: optic_sim, after the mux drivers when the parameters
# ask for root buses with mux chips (buses=N, N > 0).
load_sim() {
	case " $* " in
	*" buses="[1-9]*) load_mux || return ;;
	esac
	insmod "$OPTIC_DIR/optic_sim.ko" "$@"
}
# load_mux: the kernel's i2c-mux core (when modular) and pca954x
load_mux() {
	if [ -e "$OPTIC_DIR/i2c-mux.ko" ] && ! grep -q '^i2c_mux ' /proc/modules; then
		insmod "$OPTIC_DIR/i2c-mux.ko" || return
	fi
	grep -q '^i2c_mux_pca954x ' /proc/modules ||
		insmod "$OPTIC_DIR/i2c-mux-pca954x.ko"
}
load_optic() { insmod "$OPTIC_DIR/optic.ko" "$@"; }
load_i2c_dev() { insmod "$OPTIC_DIR/i2c-dev.ko" 2>/dev/null || [ -e /dev/i2c-0 ]; }

# i2c bus number of the adapter named NAME.
sim_adapter() {
	local a
	for a in /sys/bus/i2c/devices/i2c-*; do
		if [ "$(cat "$a/name")" = "$1" ]; then
			echo "${a##*/i2c-}"
			return 0
		fi
	done
	return 1
}

# i2c bus number of simulated port N (0-based) and of root bus N (buses=N).
sim_bus() { sim_adapter "optic_sim port $1"; }
sim_root_bus() { sim_adapter "optic_sim bus $1"; }

# i2c bus number of cage C of root bus B: channel C % 8 of the mux chip at
# 0x70 + C / 8 (pca954x's channel-N links).
sim_cage_bus() {
	local root chan
	root=$(sim_root_bus "$1") || return 1
	chan=$(readlink "/sys/bus/i2c/devices/$root-007$(($2 / 8))/channel-$(($2 % 8))") ||
		return 1
	echo "${chan##*/i2c-}"
}

# i2c_drv DEVDIR: the driver bound to an i2c device (sysfs dir), or nothing.
i2c_drv() { basename "$(readlink "$1/driver" 2>/dev/null)"; }

# sim_mux_chips BUSNR...: one line per mux chip (0x70-0x77) on those root
# buses: "BUS-ADDR DRIVER IDLE_STATE".
sim_mux_chips() {
	local r d
	for r in "$@"; do
		for d in /sys/bus/i2c/devices/"$r"-007[0-7]; do
			[ -e "$d" ] || continue
			echo "${d##*/} $(i2c_drv "$d") $(cat "$d/idle_state" 2>/dev/null)"
		done
	done
}

# Interrupts delivered on line HWIRQ of the optic_sim gpio chip (port N's
# ModPrsL is 4N, IntL 4N + 3), summed over both CPUs.
sim_irqs() {
	awk -v h="$1" '/optic_sim/ { for (i = 1; i <= NF; i++) if ($i == "optic_sim" && $(i + 1) == h) print $2 + $3 }' /proc/interrupts
}

# Run CMD as the unprivileged user nobody.
as_nobody() {
	local cmd="" a
	for a in "$@"; do
		cmd="$cmd '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
	done
	su -s /bin/sh nobody -c "exec $cmd"
}

# opticd's metrics endpoint (default address) and helpers over it.
OPTICD_URL=http://127.0.0.1:9732/metrics
metrics() { wget -qO- "$OPTICD_URL"; }
# metric NAME_AND_LABELS: its value, or nothing
metric() { metrics | awk -v k="$1" '$1 == k { print $2; exit }'; }
metric_is() { [ "$(metric "$1")" = "$2" ]; }
# has_metric EXTENDED_REGEX: some line of the metrics matches
has_metric() { metrics | grep -Eq -- "$1"; }

# Firmware scenarios: an image the simulator accepts ("OSFW" major minor ...),
# and port0's images as opticctl reports them.
mkimage() { # FILE MAJOR MINOR SIZE
	{
		printf 'OSFW'
		printf "\\$(printf '%03o' "$2")\\$(printf '%03o' "$3")"
		head -c $(($4 - 6)) /dev/urandom
	} >"$1"
}
img() { opticctl -j fw info port0 | jq -r ".images[$1].$2"; }
running() {
	opticctl -j fw info port0 |
		jq -r '.images[] | select(.running) | "\(.image) \(.version)"'
}

# ---- make bench (tests/vm/bench/40-mux.sh, 50-mux512.sh): freshness of
# opticd's samples, every module ticked once a second ----
up() { cut -d' ' -f1 /proc/uptime; }
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
# /tmp/missports.TAG ("t port temperature" per port missed at a check). Stops early when /tmp/stop.TAG exists.
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
		timeout 30 wget -qO- "$OPTICD_URL" >/tmp/m.$tag 2>/dev/null
		t=$(up)
		awk '$1 == "optic_poll_duration_seconds_count" { c = $2 }
			$1 == "optic_poll_duration_seconds_sum" { s = $2 }
			END { if (c != "") print c, s }' /tmp/m.$tag >>/tmp/cyc.$tag
		[ $k -lt 3 ] && continue	# the first ticks have no history
		# a scrape that failed (busybox wget gives up after 5 s) tells
		# nothing of the samples: counted apart, not as misses
		if ! grep -q '^optic_module_temperature_celsius{' /tmp/m.$tag; then
			echo "$t failed" >>/tmp/miss.$tag
			continue
		fi
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
						print t, i, (i in temp) ? temp[i] : "absent" >>mp
					}
				}
				print t, m, mf
			}' /tmp/ticks.$tag /tmp/m.$tag >>/tmp/miss.$tag
	done
}
# fresh_report KEY TAG: BENCH lines of a fresh_watch run
fresh_report() {
	awk -v key="$1" '$2 == "failed" { f++; next } { c++; m += $2; mf += $3; if ($2) cm++ }
		END { printf "BENCH %s.checks %d\nBENCH %s.misses %d\nBENCH %s.checks_with_miss %d\n", key, c, key, m, key, cm
		      printf "BENCH %s.misses_flashing %d\nBENCH %s.scrapes_failed %d\n", key, mf, key, f }' /tmp/miss.$2
	echo "BENCH $1.ports_missed $(awk '{ print $2 }' /tmp/missports.$2 | sort -u | grep -c .)"
}
# opticd's optic_flag_event_delay_seconds buckets now, "LE COUNT" a line
flag_delays() {
	timeout 30 wget -qO- "${OPTICD_URL:-http://127.0.0.1:9732/metrics}" |
		sed -n 's/^optic_flag_event_delay_seconds_bucket{le="\([^"]*\)"} \([0-9]*\)$/\1 \2/p'
}
# flag_delay_report KEY BEFORE AFTER: the FLAG events counted between two
# flag_delays files, and the bucket bounds (ms) their p50 and p99 are within
flag_delay_report() {
	paste -d' ' "$2" "$3" | awk -v k="$1" '{ le[NR] = $1; n[NR] = $4 - $2 }
		END { t = n[NR]; printf "BENCH %s.delay_events %d\n", k, t
		      for (i = 1; t && i <= NR; i++) {
			      if (a == "" && n[i] >= 0.5 * t) a = le[i] * 1000
			      if (b == "" && n[i] >= 0.99 * t) b = le[i] * 1000 }
		      if (t) printf "BENCH %s.delay_p50_le_ms %s\nBENCH %s.delay_p99_le_ms %s\n", k, a, k, b }'
}
# poll cycles from optic_poll_duration_seconds _count/_sum before and after
cycles() { timeout 30 wget -qO- "$OPTICD_URL" | awk '$1 == "optic_poll_duration_seconds_count" { c = $2 }
	$1 == "optic_poll_duration_seconds_sum" { s = $2 } END { print c, s }'; }
