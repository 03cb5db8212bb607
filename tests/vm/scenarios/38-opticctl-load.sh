# SPDX-License-Identifier: GPL-2.0
# opticctl without the driver: the missing-driver message and exit status 5
# (text and JSON, nothing on stdout); --load (libkmod) as root: fails with
# the errno while optic.ko is not under /lib/modules, and once the .ko files
# are installed in /lib/modules/$(uname -r)/extra and depmod has run, loads
# optic.ko and the command goes on.
#
# libkmod looks modules up in depmod's binary indexes (modules.dep.bin,
# modules.alias.bin); busybox's depmod writes only the text files. The
# --load success checks therefore need kmod's depmod in the initramfs
# (tests/vm/run: install kmod as /usr/sbin/depmod); without it they are
# skipped and say why.

kver=$(uname -r)
moddir=/lib/modules/$kver

check_eq "optic is not loaded" "" "$(grep '^optic ' /proc/modules)"

out=$(opticctl list 2>&1)
check_eq "no driver: exit status 5" 5 "$?"
check_match "no driver: names the netlink family" \
	'the optic driver is not loaded \(no generic netlink family "optic"\)' "$out"
check_match "no driver: says how to load it" \
	'Load it with: modprobe optic +\(or run opticctl --load as root\)' "$out"
check_eq "no driver: nothing on stdout" "" "$(opticctl list 2>/dev/null)"
check_eq "no driver, JSON: nothing on stdout" "" "$(opticctl -j list 2>/dev/null)"
opticctl -j show port0 >/dev/null 2>&1
check_eq "no driver, show: exit status 5" 5 "$?"
out=$(opticctl version 2>&1)
check_eq "version works without the driver" 0 "$?"
check_eq "version JSON: driver is null" null "$(opticctl -j version | jq .driver)"
# not a terminal: no question asked, stdin not read
out=$(echo y | opticctl list 2>&1)
check_eq "no tty: no prompt, exit 5" 5 "$?"
check_eq "no tty: the driver stays unloaded" "" "$(grep '^optic ' /proc/modules)"

out=$(opticctl --load list 2>&1)
check_eq "--load, module not installed: exit status 5" 5 "$?"
check_match "--load, module not installed: says what failed" \
	'^opticctl: loading the optic module: ' "$out"

ok "install the modules under $moddir/extra" sh -c \
	"mkdir -p $moddir/extra && cp $OPTIC_DIR/optic.ko $OPTIC_DIR/optic_sim.ko $moddir/extra/"
if [ -x /usr/sbin/depmod ]; then
	depmod=/usr/sbin/depmod
else
	depmod=depmod
	diag "no kmod depmod in the initramfs: busybox depmod (text indexes only)"
fi
ok "depmod" $depmod -a "$kver"
ok "modules.dep lists optic.ko" grep -q 'extra/optic.ko' "$moddir/modules.dep"

if [ ! -f "$moddir/modules.dep.bin" ]; then
	for d in "--load loads optic.ko" "the ports appear" "--load again: no-op"; do
		pass "$d # SKIP no modules.dep.bin: libkmod needs kmod's depmod"
	done
	exit 0
fi

ok "optic_sim loads" load_sim ports=1
out=$(opticctl -L -j list 2>&1)
check_eq "--load loads optic.ko" 0 "$?"
check_match "optic is in /proc/modules" "^optic " "$(cat /proc/modules)"
ok "the ports appear" wait_for 10 sh -c "opticctl -j list | jq -e '.[0].port == \"port0\"'"
ok "--load again: no-op" opticctl --load list
