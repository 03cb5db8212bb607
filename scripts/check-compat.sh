#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build-test optic.ko and optic_sim.ko (W=1, warnings are errors) against the
# kernel headers of every series driver/compat.h claims: the host's (6.1,
# scripts/kdir.sh) and Debian 12's 6.12 (bookworm-security or
# bookworm-backports). The 6.12 packages are downloaded with apt-get download
# and unpacked with dpkg -x into $OPTIC_CACHE/headers-6.12 (never installed on
# the host); a second run reuses them. The build runs on a copy of driver/ and
# include/ in a temporary directory, so the tree stays clean.
#
# usage: scripts/check-compat.sh [KDIR...]   (default: the host's and 6.12)
# OPTIC_COMPAT_SERIES (default 6.12) names the extra Debian series to fetch.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${OPTIC_CACHE:-/var/cache/optic-dev}
series=${OPTIC_COMPAT_SERIES:-6.12}
dest=$cache/headers-$series

die() { echo "check-compat: $*" >&2; exit 1; }

# The newest linux-headers-$series.*-amd64 apt knows, e.g. 6.12.117+deb12.
newest_abi() {
	apt-cache search --names-only "^linux-headers-$series\\.[0-9.]+\\+deb[0-9]+-amd64\$" |
		sed -n "s/^linux-headers-\\($series\\.[^ ]*\\)-amd64 .*/\\1/p" |
		sort -V | tail -n 1
}

# Print the unpacked headers directory of $series, fetching it if needed.
fetch_headers() {
	kdir=$(ls -d "$dest"/root/usr/src/linux-headers-"$series".*-amd64 2>/dev/null |
	       sort -V | tail -n 1)
	if [ -n "$kdir" ] && [ -f "$dest/.complete" ]; then
		echo "$kdir"
		return
	fi
	abi=$(newest_abi)
	if [ -z "$abi" ]; then
		die "no linux-headers-$series.*-amd64 known to apt; add
  deb http://deb.debian.org/debian bookworm-backports main
to /etc/apt/sources.list.d/ and run apt-get update"
	fi
	echo "check-compat: fetching linux headers $abi into $dest" >&2
	rm -rf "$dest"
	mkdir -p "$dest/debs"
	# _apt cannot write into root's cache: download as root, quietly.
	(cd "$dest/debs" &&
	 apt-get -q -o APT::Sandbox::User=root download \
		"linux-headers-$abi-amd64" "linux-headers-$abi-common" \
		"linux-kbuild-$series.${abi#"$series".}" >&2) ||
		die "apt-get download failed (archive unreachable?)"
	for deb in "$dest"/debs/*.deb; do
		dpkg -x "$deb" "$dest/root"
	done
	kdir=$dest/root/usr/src/linux-headers-$abi-amd64
	# The arch Makefile includes the common one by absolute path; the
	# scripts/tools symlinks are relative and resolve inside $dest/root.
	sed -i "s#^include /usr/src/#include $dest/root/usr/src/#" "$kdir/Makefile"
	[ -e "$kdir/scripts/Makefile.build" ] || die "$kdir: kbuild scripts missing"
	touch "$dest/.complete"
	echo "$kdir"
}

if [ $# -gt 0 ]; then
	kdirs="$*"
else
	host=$("$top/scripts/kdir.sh")
	[ -n "$host" ] || die "no host kernel headers (make deps)"
	kdirs="$host $(fetch_headers)"
fi

work=$(mktemp -d /tmp/optic-compat.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
fail=0
for kdir in $kdirs; do
	rel=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
	      "$kdir/include/generated/utsrelease.h" 2>/dev/null || true)
	src=$work/${rel:-unknown}
	mkdir -p "$src"
	if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$top" && git ls-files -co --exclude-standard driver include |
		 cpio -pdm --quiet "$src")
	else
		(cd "$top" && find driver include -name '*.[ch]' -o -name Kbuild |
		 cpio -pdm --quiet "$src")
	fi
	log=$src/build.log
	# No BTF for modules: it needs pahole and tells nothing about the API.
	if ! nice make -C "$kdir" M="$src/driver" W=1 \
	     CONFIG_DEBUG_INFO_BTF_MODULES= modules >"$log" 2>&1; then
		cat "$log"
		echo "FAIL $rel: build failed"
		fail=1
	elif grep -q 'warning:' "$log"; then
		grep -B2 -A4 'warning:' "$log"
		echo "FAIL $rel: warnings"
		fail=1
	elif [ ! -f "$src/driver/optic.ko" ] ||
	     [ ! -f "$src/driver/sim/optic_sim.ko" ]; then
		echo "FAIL $rel: a module is missing"
		fail=1
	else
		echo "ok $rel: optic.ko and optic_sim.ko, W=1, no warnings"
	fi
done
exit $fail
