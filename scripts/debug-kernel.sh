#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the debug kernel (KASAN, UBSAN, lockdep, kmemleak, ...) from Debian's
# linux-source-6.1 with tests/vm/debug.config, once per config: the result is
# cached under $OPTIC_CACHE/debug-kernel/<hash> and laid out like an unpacked
# linux-image package (boot/vmlinuz-<ver>) plus build/ for module builds.
# Prints that directory. With --prepare: only install the build's packages
# and unpack the source (no apt-get later, so the build may run in the
# background while other jobs install packages: .ci/run).
set -eu
prepare=false
[ "${1:-}" = --prepare ] && prepare=true

top=$(cd "$(dirname "$0")/.." && pwd)
frag=$top/tests/vm/debug.config
cache=${OPTIC_CACHE:-/var/cache/optic-dev}/debug-kernel
tarball=/usr/src/linux-source-6.1.tar.xz

need="flex bison libelf-dev bc libssl-dev linux-source-6.1"
for p in $need; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="${missing:-} $p"
done
if [ -n "${missing:-}" ]; then
	echo "debug-kernel: installing$missing" >&2
	apt-get update -q >&2
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2
fi

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$( (cat "$frag"; echo "$srcver") | sha256sum | cut -c1-16)
out=$cache/$key
if [ -f "$out/done" ]; then
	echo "$out"
	exit 0
fi

src=$cache/src-$srcver
if [ ! -f "$src/Makefile" ]; then
	echo "debug-kernel: unpacking linux-source $srcver" >&2
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" --strip-components=1 -xJf "$tarball"
	rm -rf "$src"
	mv "$src.tmp" "$src"
fi

$prepare && exit 0

obj=$out/build
rm -rf "$out"
mkdir -p "$obj" "$out/boot"
echo "debug-kernel: building in $obj (about 20 minutes on 2 cores)" >&2
make -s -C "$src" O="$obj" defconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$frag" >/dev/null
make -s -C "$src" O="$obj" olddefconfig >&2

# The fragment must have taken effect; the RCU-tasks self test must be gone.
for opt in KASAN KFENCE UBSAN PROVE_LOCKING DEBUG_KMEMLEAK DEBUG_OBJECTS FAILSLAB \
	GPIOLIB_IRQCHIP GPIO_SYSFS; do
	grep -q "^CONFIG_$opt=y" "$obj/.config" ||
		{ echo "debug-kernel: CONFIG_$opt did not stick" >&2; exit 1; }
done
if grep -q '^CONFIG_TASKS_RCU=y' "$obj/.config"; then
	echo "debug-kernel: CONFIG_TASKS_RCU is on; the TCG boot would stall" >&2
	exit 1
fi

make -s -C "$src" O="$obj" -j"$(nproc)" bzImage modules >&2
kver=$(cat "$obj/include/config/kernel.release")
cp "$obj/arch/x86/boot/bzImage" "$out/boot/vmlinuz-$kver"
cp "$obj/.config" "$out/boot/config-$kver"
touch "$out/done"
echo "$out"
