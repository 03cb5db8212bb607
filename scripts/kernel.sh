#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Make sure the Debian kernel image matching the module build headers is
# unpacked in the cache (never installed on the host); print its directory.
set -eu

kdir=${KDIR:-$("$(dirname "$0")/kdir.sh")}
[ -n "$kdir" ] || { echo "kernel.sh: no kernel headers found" >&2; exit 1; }
kver=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
cache=${OPTIC_CACHE:-/var/cache/optic-dev}
dir=$cache/kernel/$kver

if [ ! -f "$dir/boot/vmlinuz-$kver" ]; then
	echo "kernel.sh: fetching linux-image-$kver" >&2
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download "linux-image-$kver-unsigned" >&2 ||
		apt-get download "linux-image-$kver" >&2)
	mkdir -p "$dir.tmp"
	dpkg -x "$tmp"/linux-image-*.deb "$dir.tmp"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
fi
echo "$dir"
