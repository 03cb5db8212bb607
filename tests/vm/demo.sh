# SPDX-License-Identifier: GPL-2.0
# `make demo`: four simulated modules, the driver bound to them, and what an
# operator sees with opticctl.

show() {
	echo
	echo "\$ $*"
	"$@"
}

ok "load optic_sim with 4 simulated ports" load_sim ports=4
ok "load optic.ko" load_optic
wait_for 5 test -e "$OPTIC_CLASS/port3"
show ls "$OPTIC_CLASS"
show cat "$OPTIC_CLASS/port0/vendor_name" "$OPTIC_CLASS/port0/vendor_pn"
show opticctl list
show opticctl show port0
show sh -c 'opticctl --json show port0 | jq .'
ok "opticctl list succeeds" opticctl list
