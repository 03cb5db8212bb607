#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make check-debug`: build the modules against the cached debug kernel and
# run every VM scenario on it, in one boot (a debug boot and a kmemleak scan
# take a minute each under TCG) with three times each scenario's time limit;
# tests/vm/run fails on any KASAN, UBSAN, lockdep, KFENCE, debug-objects or
# kmemleak report and names the scenario it came from.
#
# usage: check-debug.sh [--ci] [SCENARIO...]
#   --ci   the scenarios of tests/vm/debug-ci.list, 62's failslab walk sampled
#          smaller (what .ci/run runs within its time budget)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
append=""
if [ "${1:-}" = --ci ]; then
	shift
	set -- $(sed -e 's/#.*//' -e "/^ *\$/d" -e "s|^|$top/tests/vm/scenarios/|" \
		"$top/tests/vm/debug-ci.list")
	append="optic_failslab_probe=10,6 optic_failslab_nl=4,2"
fi
kdir=$("$top/scripts/debug-kernel.sh")
work=$top/build/debug
rm -rf "$work"
mkdir -p "$work"
cp -r "$top/driver" "$top/include" "$work/"
find "$work/driver" -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' |
	xargs rm -f
make -s -C "$kdir/build" M="$work/driver" W=1 modules
# the debug kernel builds pca954x itself (tests/vm/debug.config): load its own
export OPTIC_MUX_KO=$kdir/build/drivers/i2c/muxes/i2c-mux-pca954x.ko

[ $# -gt 0 ] || set -- "$top"/tests/vm/scenarios/*.sh
# -cpu max without LA57: one boot in five of max hit a KASAN wild-memory-access
# in identify_cpu at 0.004 s, before any module (docs/reliability.md).
export OPTIC_VM_CPU=${OPTIC_VM_CPU:-max,la57=off}
OPTIC_VM_KERNEL_DIR=$kdir OPTIC_KO_DIR=$work/driver OPTIC_VM_OUT=$work/vm \
	OPTIC_VM_TIMEOUT_SCALE=${OPTIC_VM_TIMEOUT_SCALE:-3} \
	exec "$top/tests/vm/run" --suite \
	--append "kasan_multi_shot rcupdate.rcu_cpu_stall_timeout=60 watchdog_thresh=30 $append" \
	"$@"
