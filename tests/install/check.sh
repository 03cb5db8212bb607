#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs at boot inside the check-install image (install-check.service), after
# `apt-get install ./optic-dkms*.deb ./optic-pca954x-dkms*.deb ./opticctl*.deb
# ./opticd*.deb` in the image's chroot. Checks the installed system as an
# operator would and prints TAP. The image loads optic_sim ports=4 at boot
# (modules-load.d/modprobe.d).
# Every step runs even when an earlier one failed: a missing piece is a
# `not ok`, never a skip.

export LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# shellcheck disable=SC1091
. /var/lib/install-check/env
state=/var/lib/install-check
conf=/etc/optic/opticd.conf
url=http://127.0.0.1:9732/metrics
url2=http://127.0.0.1:9733/metrics
kver=$(uname -r)

n=0
failed=0
out=""
diag() { [ -z "$1" ] || printf '%s\n' "$1" | tail -n 25 | sed 's/^/#   /'; }
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; diag "${2:-}"; }
# t DESCRIPTION CMD...: ok when CMD succeeds; its output is kept in $out.
t() {
	local d=$1
	shift
	if out=$(timeout 300 "$@" 2>&1 </dev/null); then pass "$d"; else fail "$d" "$out"; fi
}
# wait_for SECS CMD...
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.5
	done
}
has() { grep -Eq -- "$1" <<<"$2"; }
expect() { # DESCRIPTION REGEX TEXT
	if has "$2" "$3"; then pass "$1"; else fail "$1" "expected /$2/ in:
$3"; fi
}

echo "# booted $kver; apt-get install in the chroot exited $APT_INSTALL_RC"
pkgs="optic-dkms optic-pca954x-dkms opticctl opticd"
t "apt-get install of the .debs succeeded" test "$APT_INSTALL_RC" = 0
t "booted the kernel the image was made for ($KVER)" test "$kver" = "$KVER"
for p in $pkgs; do
	out=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$p" 2>&1)
	expect "$p is installed (ii)" '^ii ' "$out"
done
version=$(dpkg-query -W -f='${Version}' optic-dkms 2>/dev/null)
version=${version%%-*}

echo "# ${SECONDS}s: DKMS"
# --- DKMS --------------------------------------------------------------------
t "dkms status lists optic" dkms status optic
expect "DKMS built and installed optic/$version for $kver" \
	"^optic/$version, $kver, [^:]*: installed" "$out"
# The kernel's PCA954x mux driver, which Debian's kernel lacks.
out=$(dkms status optic-pca954x 2>&1)
expect "DKMS built and installed optic-pca954x/$version for $kver" \
	"^optic-pca954x/$version, $kver, [^:]*: installed" "$out"
for m in optic optic_sim i2c-mux-pca954x; do
	t "modinfo finds $m for the booted kernel" modinfo -F filename "$m"
	expect "$m.ko comes from DKMS (updates/dkms)" \
		"^/lib/modules/$kver/updates/dkms/$m\.ko" "$out"
	t "$m vermagic matches the booted kernel" modinfo -F vermagic "$m"
	expect "$m vermagic is $kver" "^$kver " "$out"
done

# --- the simulator and the driver -------------------------------------------
t "modprobe optic_sim ports=4" modprobe optic_sim ports=4
t "optic_sim has ports=4" grep -qx 4 /sys/module/optic_sim/parameters/ports
if wait_for 10 test -d /sys/module/optic; then
	pass "optic.ko was loaded by udev for the simulated clients"
else
	fail "optic.ko was loaded by udev for the simulated clients"
	t "modprobe optic" modprobe optic
fi
ports_up() { [ "$(ls /sys/class/optic 2>/dev/null | wc -l)" -ge 4 ]; }
if wait_for 20 ports_up; then
	pass "four ports in /sys/class/optic"
else
	fail "four ports in /sys/class/optic" "$(ls -l /sys/class/optic 2>&1)"
fi

echo "# ${SECONDS}s: opticd"
# --- opticd ------------------------------------------------------------------
t "opticd.service unit is installed" systemctl cat opticd.service
t "opticd.service is enabled" systemctl is-enabled opticd.service
t "opticd.service is Type=notify" \
	test "$(systemctl show -p Type --value opticd.service 2>&1)" = notify
active() { [ "$(systemctl show -p ActiveState --value opticd.service)" = active ]; }
if wait_for 30 active; then
	pass "opticd.service is active (reached READY=1)"
else
	fail "opticd.service is active (reached READY=1)" \
		"$(systemctl status --no-pager opticd.service 2>&1; journalctl -b -u opticd --no-pager 2>&1)"
fi
pid=$(systemctl show -p MainPID --value opticd.service)
t "opticd has a main PID" test "${pid:-0}" -gt 0
status=$(systemctl show -p StatusText --value opticd.service)
echo "# opticd status: $status"

# --- opticctl ----------------------------------------------------------------
t "opticctl list exits 0" opticctl list
echo "$out" | sed 's/^/#   /'
rows=$(grep -Ec '^port[0-9]+ ' <<<"$out")
t "opticctl list shows four ports" test "$rows" -eq 4
t "opticctl --json list exits 0" opticctl --json list
expect "opticctl --json list names port3" '"port3"' "$out"

# --- metrics -----------------------------------------------------------------
temp_up() { curl -fsS "$1" | grep -q '^optic_module_temperature_celsius{port="port3"} [0-9]'; }
t "metrics endpoint answers on $url" curl -fsS "$url"
expect "metrics: opticd is connected to the driver" '^optic_up 1' "$out"
if wait_for 20 temp_up "$url"; then
	pass "metrics: module temperatures for all four ports"
else
	fail "metrics: module temperatures for all four ports" "$(curl -sS "$url" 2>&1 | grep temperature)"
fi

# --- reload ------------------------------------------------------------------
t "the default configuration is a conffile" dpkg-query -W -f='${Conffiles}\n' opticd
expect "dpkg lists $conf as a conffile" "^ $conf " "$out"
mkdir -p /etc/optic
cp -p "$conf" "$state/daemon.conf.orig" 2>/dev/null
if grep -Eq '^[[:space:]]*metrics_listen' "$conf" 2>/dev/null; then
	sed -i -E 's/^[[:space:]]*metrics_listen.*/metrics_listen = 127.0.0.1:9733/' "$conf"
else
	printf '\n[daemon]\nmetrics_listen = 127.0.0.1:9733\n' >>"$conf"
fi
t "opticd --check-config accepts the changed file" opticd --check-config
t "systemctl reload opticd" systemctl reload opticd.service
if wait_for 15 curl -fsS "$url2"; then
	pass "after reload, metrics answer on the new address (9733)"
else
	fail "after reload, metrics answer on the new address (9733)" \
		"$(journalctl -b -u opticd --no-pager 2>&1)"
fi
t "after reload, the old address (9732) is closed" \
	sh -c "curl -fsS $url2 >/dev/null && ! curl -fsS $url"
t "same main PID after reload (reloaded, not restarted)" \
	test "${pid:-0}" -gt 0 -a "$(systemctl show -p MainPID --value opticd.service)" = "$pid"
t "reload counted as a success" curl -fsS "$url2"
expect "optic_config_reloads_total{result=\"success\"} 1" \
	'^optic_config_reloads_total\{result="success"\} 1$' "$out"
t "opticd.service still active after reload" systemctl is-active opticd.service

echo "# ${SECONDS}s: sensors"
# --- sensors -----------------------------------------------------------------
t "sensors runs" sensors
sens=$out
grep -A3 '^optic-' <<<"$sens" | head -n 8 | sed 's/^/#   /'
t "sensors shows four optic chips" test "$(grep -c '^optic-' <<<"$sens")" -eq 4
# One block per chip, blank-line separated; count optic chips with a °C reading.
temps=$(awk -v RS= '/^optic-/ && /: +\+[0-9.]+°C/ { n++ } END { print n + 0 }' <<<"$sens")
t "sensors shows the temperature of each module" test "$temps" -eq 4

echo "# ${SECONDS}s: optic-platform"
# --- cages.conf and optic-platform.service -------------------------------------
# The simulator again without its own clients (attach=0): four root adapters
# and nothing on them, as on a switch before the unit has run.
cages=/etc/optic/cages.conf
pf_state() { systemctl show -p ActiveState --value optic-platform.service; }
t "optic-platform.service unit is installed" systemctl cat optic-platform.service
t "optic-platform.service is enabled" systemctl is-enabled optic-platform.service
t "optic-platform.service runs before opticd" systemctl show -p Before --value optic-platform.service
expect "Before= names opticd.service" 'opticd\.service' "$out"
t "without cages.conf its condition failed at boot" \
	test "$(systemctl show -p ConditionResult --value optic-platform.service)" = no
t "optic_sim again with attach=0" sh -c 'modprobe -r optic_sim && modprobe optic_sim ports=4 attach=0'
t "no optic port left" sh -c '[ -z "$(ls /sys/class/optic 2>/dev/null)" ]'
for i in 0 1 2 3; do
	printf '[bus p%s]\nadapter = optic_sim port %s\n[cage swp%s]\n' "$i" "$i" "$((i + 1))"
done >"$cages"
t "systemctl restart optic-platform (cages.conf now)" systemctl restart optic-platform.service
t "optic-platform.service is active (exited)" test "$(pf_state)" = active
t "opticctl list exits 0" opticctl list
expect "the unit made the cages swp1-swp4" '^swp4 ' "$out"
t "opticctl lists four ports" test "$(grep -Ec '^swp[0-9]+ ' <<<"$out")" -eq 4
t "the journal says what the unit created" journalctl -b -u optic-platform --no-pager
expect "4 created" 'cages\.conf: 4 created, 0 updated, 0 kept' "$out"
t "a second run changes nothing" systemctl restart optic-platform.service
t "the journal says so" journalctl -b -u optic-platform --no-pager
expect "nothing to change" 'nothing to change' "$out"
printf '[bus p0]\nadapter = optic_sim port 0\n[cage other]\n' >"$cages"
t "a contradicting cages.conf fails the unit" sh -c '! systemctl restart optic-platform.service'
t "its journal names the line at fault" journalctl -b -u optic-platform --no-pager
expect "cages.conf:3: the root adapter ... has cage swp1, not other" \
	'cages\.conf:3: the root adapter of bus p0 \(i2c-[0-9]+\) has cage swp1, not other' "$out"
rm -f "$cages"
systemctl stop optic-platform.service 2>/dev/null
systemctl reset-failed optic-platform.service 2>/dev/null

echo "# ${SECONDS}s: cages behind a PCA9548 (optic-pca954x-dkms)"
# --- the switch topology -----------------------------------------------------
# optic_sim as a switch (docs/sim.md): one root adapter "optic_sim bus 0" with
# a simulated PCA9548 at 0x70 and 8 cages behind its channels. Only the
# packaged i2c-mux-pca954x gives optic those channels.
t "modprobe i2c-mux-pca954x" modprobe i2c-mux-pca954x
t "the loaded i2c-mux-pca954x is DKMS's (out of tree: taint O)" \
	grep -q O /sys/module/i2c_mux_pca954x/taint
# A step that fails is reported; the checks after it fail with it.
out=$(modprobe -r optic_sim 2>&1 && modprobe optic_sim buses=1 ports_per_bus=8 2>&1) ||
	fail "optic_sim reloaded with buses=1 ports_per_bus=8" "$out"
root=$(grep -lx 'optic_sim bus 0' /sys/bus/i2c/devices/i2c-*/name 2>/dev/null |
	sed -n 's#.*/i2c-\([0-9]*\)/name$#\1#p')
mux_bound() {
	[ -n "$root" ] &&
		[ "$(basename "$(readlink "/sys/bus/i2c/devices/$root-0070/driver")")" = pca954x ]
}
if wait_for 20 mux_bound; then
	pass "pca954x drives the PCA9548 at 0x70 of 'optic_sim bus 0' (i2c-$root)"
else
	fail "pca954x drives the PCA9548 at 0x70 of 'optic_sim bus 0' (i2c-$root)" \
		"$(ls -l /sys/bus/i2c/devices/ 2>&1)"
fi
eight_up() { [ "$(ls /sys/class/optic 2>/dev/null | wc -l)" -eq 8 ]; }
if wait_for 20 eight_up; then
	pass "eight ports in /sys/class/optic, one per mux channel"
else
	fail "eight ports in /sys/class/optic, one per mux channel" "$(ls -l /sys/class/optic 2>&1)"
fi
opticctl list 2>&1 | sed 's/^/#   /'
list=$(opticctl --json list 2>&1)
t "opticctl list: eight modules present" \
	test "$(grep -o '"present":true' <<<"$list" | wc -l)" -eq 8
t "opticctl list: all eight identified (vendor OPTICSIM)" \
	test "$(grep -o '"vendor_name":"OPTICSIM"' <<<"$list" | wc -l)" -eq 8
bus=$(opticctl --json bus 2>&1)
t "opticctl --json bus: one root bus" test "$(grep -o '"i2c_bus":' <<<"$bus" | wc -l)" -eq 1
expect "opticctl --json bus: it is i2c-$root, 'optic_sim bus 0'" \
	"^\[\{\"i2c_bus\":$root,\"name\":\"optic_sim bus 0\"," "$bus"
# The bus's ports and the list's, one a line, sorted: the same eight.
bus_ports=$(sed -n 's/.*"ports":\[\([^]]*\)\].*/\1/p' <<<"$bus" | tr ',' '\n' | sort)
list_ports=$(grep -o '"port":"[^"]*"' <<<"$list" | cut -d: -f2 | sort)
echo "# root bus i2c-$root carries:" $bus_ports
t "opticctl --json bus: it carries eight cages" test "$(grep -c . <<<"$bus_ports")" -eq 8
t "opticctl --json bus: the eight modules opticctl list shows" \
	test -n "$bus_ports" -a "$bus_ports" = "$list_ports"
# Back to the boot's optic_sim ports=4 (modprobe.d) for what follows.
out=$(modprobe -r optic_sim 2>&1 && modprobe optic_sim 2>&1) ||
	fail "optic_sim reloaded as at boot (ports=4)" "$out"

# --- documentation -----------------------------------------------------------
for f in /usr/share/man/man8/opticctl.8.gz /usr/share/man/man8/opticd.8.gz \
	 /usr/share/man/man5/opticd.conf.5.gz /usr/share/man/man5/cages.conf.5.gz \
	 /usr/share/doc/opticctl/examples/cages.conf.example \
	 /usr/share/bash-completion/completions/opticctl \
	 /usr/share/doc/optic-dkms/examples/modprobe-optic.conf; do
	t "installed: $f" test -s "$f"
done

# --- purge -------------------------------------------------------------------
echo "# purging (apt-get purge --autoremove)"
# shellcheck disable=SC2086
t "apt-get purge --autoremove removes the four packages" \
	apt-get purge -y -q --autoremove $pkgs
diag "$(grep -Ei 'remov|purg|dkms|error|warn' <<<"$out")"
echo "# ${SECONDS}s: purged; dpkg.log of the purge:"
grep -E ' (remove|purge) ' /var/log/dpkg.log | tail -n 8 | sed 's/^/#   /'
for p in $pkgs; do
	t "$p is gone from dpkg" sh -c "! dpkg-query -W $p"
done
dpkg-query -W -f='${Package}\n' | sort >"$state/packages.after"
t "the package set is back to what it was before the install" \
	diff "$state/packages.before" "$state/packages.after"
t "opticd is stopped" sh -c '! systemctl is-active opticd.service'
t "no opticd process left" sh -c '! grep -qx opticd /proc/[0-9]*/comm'
t "dkms no longer knows optic" sh -c '[ -z "$(dkms status optic)" ] && [ ! -e /var/lib/dkms/optic ]'
t "modinfo no longer finds optic.ko" sh -c '! modinfo optic'
t "dkms no longer knows optic-pca954x" \
	sh -c '[ -z "$(dkms status optic-pca954x)" ] && [ ! -e /var/lib/dkms/optic-pca954x ]'
t "modinfo no longer finds i2c-mux-pca954x.ko" sh -c '! modinfo i2c-mux-pca954x'
# Where the packages, DKMS, dpkg and systemd put things. The operator's own
# files (install-check.conf) are named without "optic"; the kernel's
# opticon USB serial driver is not ours.
leftovers() {
	find /etc /usr/sbin /usr/bin /usr/src /usr/share/doc /usr/share/man \
		/usr/share/bash-completion /lib/systemd /usr/lib/systemd /run \
		/var/lib/dkms /var/lib/systemd /var/lib/dpkg/info /var/lib/optic* \
		/lib/modules/"$kver"/updates -xdev -iname '*optic*' \
		! -iname '*opticon*' -print 2>/dev/null
}
t "no file or directory named *optic* is left" test -z "$(leftovers)"
diag "$(leftovers)"

echo "# ${SECONDS}s: done"
echo "1..$n"
echo "INSTALL-CHECK-DONE failed=$failed"
if [ "$failed" -gt 0 ]; then
	echo "# journal of opticd:"
	journalctl -b -u opticd --no-pager 2>&1 | tail -n 30 | sed 's/^/#   /'
fi
exit 0
