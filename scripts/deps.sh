#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install every Debian package needed to build, test and run the demo, and
# cache the Debian kernel image the VM boots. Idempotent; quick when done.
# linux-source-6.1 gives checkpatch.pl, the debug kernel and the pca954x mux
# driver optic_sim's switch topology needs (mk/mux.mk).
set -eu

PKGS="build-essential pkg-config kmod linux-headers-amd64 linux-source-6.1
qemu-system-x86 busybox-static cpio jq sparse lm-sensors
libnl-3-dev libnl-genl-3-dev libsystemd-dev libkmod-dev libcmocka-dev
libjson-c-dev libinih-dev libmicrohttpd-dev libyaml-dev libgnutls28-dev libcrypt-dev
clang libclang-rt-14-dev
prometheus"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi

exec "$(dirname "$0")/kernel.sh"
