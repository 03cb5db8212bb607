#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel build directory modules are built against: the running
# kernel's when it has one, else the newest installed Debian amd64 headers.
build=/lib/modules/$(uname -r)/build
if [ -d "$build" ]; then
	echo "$build"
	exit 0
fi
ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1
