#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install our .debs into a minimal Debian 12 system and check it as an
# operator would, booted under QEMU with systemd as PID 1.
#
# usage: scripts/check-install.sh [--shell] DEB...
#        scripts/check-install.sh --deps deb|vm    install host packages only
#
# 1. A bookworm root (debootstrap minbase + systemd, Debian's kernel and its
#    headers, dkms, lm-sensors, curl) is cached in $OPTIC_CACHE/rootfs/<hash>,
#    the hash taken over the package list and this recipe.
# 2. An overlay of it gets the .debs with `apt-get install ./x.deb` in a
#    chroot: dependencies come from the archive, DKMS builds the modules for
#    the kernel installed there (never the host's `uname -r`).
# 3. The overlay becomes an ext4 image (mkfs.ext4 -d); QEMU boots it with the
#    kernel and initrd from its /boot. install-check.service runs
#    tests/install/check.sh at boot, prints TAP on the second serial port and
#    powers off. Any `not ok`, a missing plan or a timeout fails.
#
# Environment: OPTIC_CACHE (default /var/cache/optic-dev), OPTIC_INSTALL_KVER
# (kernel to install, default: the one the VM tests use), OPTIC_VM_ACCEL=kvm,
# OPTIC_INSTALL_TIMEOUT (seconds for the boot, default 900),
# OPTIC_DEBIAN_MIRROR (default http://deb.debian.org/debian).
# --shell boots the image with a login shell on the console instead.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${OPTIC_CACHE:-/var/cache/optic-dev}
out=$top/build/install
mirror=${OPTIC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
timeout_s=${OPTIC_INSTALL_TIMEOUT:-900}
# Bump when the way the root is built changes (invalidates the cache).
recipe=2

log() { printf '%s check-install: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "$*"; exit 2; }

host_deps() { # PACKAGE...
	local p missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	log "installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
}

deb_build_deps() {
	host_deps build-essential dpkg-dev debhelper dh-dkms lintian git \
		pkgconf libnl-3-dev libnl-genl-3-dev libsystemd-dev libkmod-dev \
		libjson-c-dev libinih-dev libmicrohttpd-dev libcmocka-dev \
		linux-source-6.1
}

vm_deps() {
	host_deps debootstrap debian-archive-keyring qemu-system-x86 e2fsprogs
}

case ${1:-} in
--deps)
	case ${2:-} in
	deb) deb_build_deps ;;
	vm) vm_deps ;;
	*) die "--deps deb|vm" ;;
	esac
	exit 0
	;;
esac

shell=0
if [ "${1:-}" = --shell ]; then
	shell=1
	shift
fi
[ $# -gt 0 ] || die "usage: $0 [--shell] DEB..."
debs=()
for d in "$@"; do
	case $d in *-dbgsym_*) continue ;; esac
	[ -f "$d" ] || die "$d: no such file (run make deb)"
	debs+=("$(cd "$(dirname "$d")" && pwd)/$(basename "$d")")
done

kver=${OPTIC_INSTALL_KVER:-}
if [ -z "$kver" ]; then
	kdir=${KDIR:-$("$top/scripts/kdir.sh")}
	kver=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h" 2>/dev/null || true)
	# The host may build against its own running kernel: only a Debian
	# amd64 flavour can be installed from the archive.
	case $kver in *-amd64) ;; *) kver=6.1.0-56-amd64 ;; esac
fi

vm_deps

# --- the cached root -------------------------------------------------------

base_pkgs="systemd systemd-sysv udev dbus kmod procps
initramfs-tools linux-image-$kver linux-headers-$kver dkms
lm-sensors curl"
key=$(printf '%s\n' "recipe=$recipe" "$suite" "$mirror" $base_pkgs | sort |
	sha256sum | cut -c1-16)
rootfs=$cache/rootfs/$suite-$key
archives=$cache/apt-archives
mkdir -p "$cache/rootfs" "$archives/partial" "$out"

mounts=()
cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount -l "${mounts[$i]}" 2>/dev/null || true
	done
	mounts=()
}
root_mount=""
trap 'cleanup; [ -z "$root_mount" ] || umount -l "$root_mount" 2>/dev/null || true' EXIT

chroot_mounts() { # ROOT
	local r=$1
	mount -t proc proc "$r/proc" && mounts+=("$r/proc")
	mount -t sysfs sysfs "$r/sys" && mounts+=("$r/sys")
	mount --bind /dev "$r/dev" && mounts+=("$r/dev")
	mount -t devpts devpts "$r/dev/pts" -o newinstance,ptmxmode=0666 && mounts+=("$r/dev/pts")
	mount -t tmpfs tmpfs "$r/run" && mounts+=("$r/run")
	mount --bind "$archives" "$r/var/cache/apt/archives" &&
		mounts+=("$r/var/cache/apt/archives")
	cp -L /etc/resolv.conf "$r/etc/resolv.conf"
	# Nothing starts services inside the chroot.
	printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d"
	chmod 0755 "$r/usr/sbin/policy-rc.d"
}

chroot_unmount() { # ROOT
	rm -f "$1/usr/sbin/policy-rc.d"
	cleanup
}

in_chroot() { # ROOT CMD...
	local r=$1
	shift
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		chroot "$r" "$@"
}

build_rootfs() {
	local tmp=$rootfs.tmp
	log "building the $suite root (cache miss: $rootfs)"
	rm -rf "$tmp"
	mkdir -p "$cache/debootstrap"
	debootstrap --variant=minbase --cache-dir="$cache/debootstrap" \
		"$suite" "$tmp" "$mirror" >"$out/debootstrap.log" 2>&1 ||
		die "debootstrap failed (see $out/debootstrap.log)"
	cat >"$tmp/etc/apt/sources.list" <<-EOF
		deb $mirror $suite main
		deb $mirror $suite-updates main
		deb http://deb.debian.org/debian-security $suite-security main
	EOF
	# Keep the downloaded .debs in the bind-mounted cache, not the image.
	rm -f "$tmp/etc/apt/apt.conf.d/docker-clean"
	# A small initrd that boots from virtio: quicker to make and to boot
	# under TCG than MODULES=most.
	mkdir -p "$tmp/etc/initramfs-tools/conf.d"
	echo MODULES=list >"$tmp/etc/initramfs-tools/conf.d/install-check.conf"
	printf '%s\n' virtio_pci virtio_blk ext4 >>"$tmp/etc/initramfs-tools/modules"
	chroot_mounts "$tmp"
	# shellcheck disable=SC2086
	{ in_chroot "$tmp" apt-get update -q &&
	  in_chroot "$tmp" apt-get install -y -q --no-install-recommends $base_pkgs
	} >"$out/rootfs.log" 2>&1 || {
		chroot_unmount "$tmp"
		die "installing the base packages failed (see $out/rootfs.log)"
	}
	chroot_unmount "$tmp"
	# The booted system is reached only through the serial console.
	in_chroot "$tmp" passwd -d root >/dev/null
	echo optic-test >"$tmp/etc/hostname"
	printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' >"$tmp/etc/fstab"
	# Nothing else may hold the dpkg lock or run while we check.
	for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
		 fstrim.timer dpkg-db-backup.timer; do
		ln -sf /dev/null "$tmp/etc/systemd/system/$u"
	done
	rm -rf "$rootfs"
	mv "$tmp" "$rootfs"
}

[ -f "$rootfs/boot/vmlinuz-$kver" ] || build_rootfs
log "root: $rootfs"

# --- install our packages into an overlay of it ------------------------------

root=$out/root
! mountpoint -q "$root" || umount -l "$root"
rm -rf "$out/upper" "$out/work" "$root"
mkdir -p "$out/upper" "$out/work" "$root"
if mount -t overlay overlay -o "lowerdir=$rootfs,upperdir=$out/upper,workdir=$out/work" "$root" 2>/dev/null; then
	root_mount=$root
else
	log "no overlayfs: copying the root"
	cp -a "$rootfs/." "$root/"
fi

chroot_mounts "$root"
mkdir -p "$root/var/lib/install-check" "$root/tmp/debs"
in_chroot "$root" dpkg-query -W -f='${Package}\n' | sort >"$root/var/lib/install-check/packages.before"
cp "${debs[@]}" "$root/tmp/debs/"
names=("${debs[@]##*/}")
log "installing ${names[*]}"
install_rc=0
(
	in_chroot "$root" apt-get install -y -q --no-install-recommends "${names[@]/#//tmp/debs/}" ||
	{ # The cached package lists may be older than the archive.
	  in_chroot "$root" apt-get update -q &&
	  in_chroot "$root" apt-get install -y -q --no-install-recommends "${names[@]/#//tmp/debs/}"; }
) >"$out/install.log" 2>&1 || install_rc=$?
grep -E '^(Building for|Building initial|Running module|Done\.|Error|dkms)' "$out/install.log" |
	sed 's/^/    /' >&2 || true
rm -rf "$root/tmp/debs"
in_chroot "$root" dpkg-query -W -f='${Package}\n' | sort >"$root/var/lib/install-check/packages.installed"
# apt in the VM must not rebuild its cache from the lists: minutes under TCG.
in_chroot "$root" apt-cache gencaches >/dev/null
chroot_unmount "$root"
[ "$install_rc" = 0 ] || log "apt-get install failed (rc $install_rc, see $out/install.log); booting anyway"

# The test itself: a unit that runs check.sh once multi-user.target is up.
install -m 0755 "$top/tests/install/check.sh" "$root/usr/local/sbin/install-check"
install -m 0644 "$top/tests/install/install-check.service" \
	"$root/etc/systemd/system/install-check.service"
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
[ "$shell" = 1 ] ||
	ln -sf ../install-check.service "$root/etc/systemd/system/multi-user.target.wants/"
# The operator's configuration: the simulator with four ports, loaded at boot.
echo optic_sim >"$root/etc/modules-load.d/install-check.conf"
echo 'options optic_sim ports=4' >"$root/etc/modprobe.d/install-check.conf"
{
	echo "KVER=$kver"
	echo "APT_INSTALL_RC=$install_rc"
} >"$root/var/lib/install-check/env"

# --- image ------------------------------------------------------------------

image=$out/root.img
size_mb=$(( $(du -sxm "$root" | cut -f1) * 5 / 4 + 512 ))
log "making a ${size_mb} MiB ext4 image"
rm -f "$image"
mkfs.ext4 -q -F -L install-root -d "$root" "$image" "${size_mb}M"
cp "$root/boot/vmlinuz-$kver" "$out/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$out/initrd.img" || die "no initrd for $kver in the image"
[ -z "$root_mount" ] || umount "$root_mount"
root_mount=""

# --- boot -------------------------------------------------------------------

accel=${OPTIC_VM_ACCEL:-tcg}
cpu=max
[ "$accel" = kvm ] && cpu=host
qemu=(qemu-system-x86_64 -accel "$accel" -cpu "$cpu" -smp 2 -m 2048
      -no-reboot -display none -vga none -monitor none -nic none
      -kernel "$out/vmlinuz" -initrd "$out/initrd.img"
      -drive "file=$image,format=raw,if=virtio,cache=unsafe")
cmdline="root=/dev/vda rw console=ttyS0 panic=-1 net.ifnames=0"

if [ "$shell" = 1 ]; then
	exec "${qemu[@]}" -nographic -serial mon:stdio -append "$cmdline"
fi

tap=$out/check.tap
console=$out/console.log
log "booting (TCG: a few minutes; console in $console)"
rc=0
timeout "$timeout_s" "${qemu[@]}" -serial "file:$console" -serial "file:$tap" \
	-append "$cmdline systemd.show_status=1" </dev/null >/dev/null 2>&1 || rc=$?
tr -d '\r' <"$tap" >"$tap.clean" && mv "$tap.clean" "$tap"
grep -E '^(ok|not ok|#|1\.\.)' "$tap" | sed 's/^/    /' || true

why=""
if [ "$rc" = 124 ]; then
	why="timed out after ${timeout_s}s"
elif grep -q '^not ok' "$tap"; then
	why="$(grep -c '^not ok' "$tap") check(s) failed"
elif ! grep -Eq '^1\.\.[1-9]' "$tap" || ! grep -q '^INSTALL-CHECK-DONE' "$tap"; then
	why="the check did not finish (see $console)"
fi
if [ -n "$why" ]; then
	log "FAIL: $why (logs: $tap, $console, $out/install.log)"
	exit 1
fi
log "PASS ($(grep -c '^ok ' "$tap") checks)"
