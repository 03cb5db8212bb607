# SPDX-License-Identifier: GPL-2.0
# Fault matrix, synchronous paths: every optic_sim fault knob x every access
# path a caller has (sysfs attribute read and write, the eeprom file read and
# write, hwmon, netlink EEPROM_READ, MODULE_GET, EEPROM_WRITE, MODULE_SET).
# Each cell: the access is bounded (timeout 20), gives the errno the fault
# means (or the documented non-error result), and once the fault clears the
# same access succeeds with the same bytes as before the fault, page 03h and
# page 10h are intact (no misdirected write). optic.ko runs with poll_ms=0
# so only the access under test consumes the knob's transactions.
# Events, opticd and firmware flash under faults: 64-fault-matrix-async.sh.
# timeout: 300

D=$SIM_DEBUGFS/port0
P=$OPTIC_CLASS/port0

# --- helpers (scenario-local) ----------------------------------------------

hex() { od -An -tx1 -v | tr -d ' \n'; }
# page N through the eeprom file, as hex
page() { dd if=$P/eeprom bs=128 skip=$(($1 + 1)) count=1 2>/dev/null | hex; }
# every byte of a hex string inverted (what fault_corrupt returns)
invert() {
	printf '%s' "$1" | sed 's/../& /g' |
		awk '{ for (i = 1; i <= NF; i++) printf "%02x", 255 - ("0x" $i) + 0 }'
}
# errno_of TEXT: E<errno> for a strerror text or a vm-nl "error N:" line
errno_of() {
	case "$1" in
	*"error "[0-9]*) printf 'E%s' "$(printf '%s' "$1" | sed -n 's/.*error \([0-9]*\):.*/\1/p' | head -n 1)" ;;
	*"No such device or address"*) echo E6 ;;
	*"Connection timed out"*) echo E110 ;;
	*"Input/output error"*) echo E5 ;;
	*"Remote I/O error"*) echo E121 ;;
	*"No such device"*) echo E19 ;;
	*"No such file"*) echo ENOENT ;;
	*"Operation not supported"*) echo E95 ;;
	*) echo E? ;;
	esac
}
# Run the pending transactions of a slow-write fault off the bus.
drain() {
	local i=0 x
	while [ $i -lt 3000 ]; do
		echo "50 00 r 1" >$D/xfer
		read -r x <$D/xfer
		case $x in ok*) return 0 ;; esac
		i=$((i + 1))
	done
	return 1
}

# The access paths. Each prints its result data on stdout (errors on
# stdout/stderr) and exits with the access's status; all bounded.
T="timeout 20"
hwmon_file() { ls $P/device/hwmon/hwmon*/temp1_input 2>/dev/null | head -n 1; }
# One read() per access: busybox cat falls back from sendfile to read on any
# error and so calls an attribute's show twice (two accesses, four tries).
rd() { $T dd if="$1" bs=4096 count=1 2>/tmp/op.rd || { r=$?; cat /tmp/op.rd; return $r; }; }
op_sysfs_r() { rd $P/module_state; }
op_sysfs_w() { $T sh -c "echo 0 >$P/tx_disable" && $T cat $P/tx_disable; }
op_eeprom_r() {
	rm -f /tmp/op.bin
	$T dd if=$P/eeprom of=/tmp/op.bin bs=128 skip=4 count=1 2>/tmp/op.dd || {
		r=$?; cat /tmp/op.dd; return $r; }
	hex </tmp/op.bin
}
op_eeprom_w() {
	printf '\xa5\x5a' >/tmp/op.w
	$T dd if=/tmp/op.w of=$P/eeprom bs=1 seek=$((128 + 3 * 128 + 100)) conv=notrunc 2>&1
}
op_hwmon() {
	f=$(hwmon_file)
	[ -n "$f" ] || { echo "No such file: no hwmon device"; return 2; }
	rd "$f"
}
nl() { # vm-nl ARGS; on success print the lines matching $NL_KEEP
	$T vm-nl "$@" >/tmp/op.nl
	r=$?
	if [ $r -eq 0 ]; then
		grep -E "$NL_KEEP" /tmp/op.nl | tr '\n' ' '
	else
		cat /tmp/op.nl
	fi
	return $r
}
op_nl_read() { NL_KEEP='^data=' nl read index=u32:0 page=u8:3 offset=u16:128 length=u16:128; }
op_nl_get() { NL_KEEP='^(present|state|vendor_sn|checksum_ok|access_error)=' nl get index=u32:0; }
op_nl_write() { NL_KEEP=x nl write index=u32:0 page=u8:3 offset=u16:228 data=hex:a55a; }
op_nl_set() { NL_KEEP=x nl set index=u32:0 tx_disable=u32:0; }
PATHS="sysfs_r sysfs_w eeprom_r eeprom_w hwmon nl_read nl_get nl_write nl_set"

# run_op PATH: R = "OK data" | "E<errno> message" | "HANG"
run_op() {
	"op_$1" >/tmp/op.out 2>&1
	rc=$?
	out=$(tr '\n' ' ' </tmp/op.out | sed 's/ *$//')
	if [ $rc -eq 0 ]; then
		R="OK $out"
	elif [ $rc -eq 124 ] || [ $rc -eq 143 ] || [ $rc -eq 137 ]; then
		R="HANG (status $rc) $out"
	else
		R="$(errno_of "$out") $out"
	fi
	R=$(printf '%s' "$R" | sed 's/ *$//')
}

# Set and clear a knob. Clearing also runs leftover NACKs off the bus and,
# for the stuck ModuleFault, resets the module.
knob_set() { echo "$2" >$D/fault_$1; }
knob_clear() {
	echo 0 >$D/fault_$1
	drain
	[ "$1" != stuck_fault ] || reset_module
}
# The test bytes in page 03h (user EEPROM). The simulator rebuilds the whole
# module from its profile on a reset, page 03h included: write them again.
put_test_bytes() {
	printf '\xa5\x5a' | dd of=$P/eeprom bs=1 seek=$((128 + 3 * 128 + 100)) conv=notrunc 2>/dev/null
}
reset_module() {
	echo 1 >$P/reset
	wait_for 10 grep -qx ready $P/module_state
	put_test_bytes
}

# --- setup --------------------------------------------------------------------

ok "optic_sim loads" load_sim ports=1
ok "optic.ko loads (poll off)" load_optic poll_ms=0
ok "port0 identified" wait_for 10 test -e $P/vendor_sn
echo "noise temp all 0" >$D/monitor
put_test_bytes
# A driver that can verify page selects (docs/todo.md): turn it on.
if [ -w /sys/module/optic/parameters/verify_select ]; then
	echo 1 >/sys/module/optic/parameters/verify_select
	diag "verify_select enabled"
fi
ref3=$(page 3)
ref10=$(page 16)
check_match "page 03h holds the test bytes" '^.{200}a55a' "$ref3"
ok "pages 03h and 10h differ" test "$ref3" != "$ref10"
for p in $PATHS; do
	run_op "$p"
	eval "ref_$p=\$R"
	check_match "reference $p" '^OK' "$R"
done
diag "references: state '$ref_sysfs_r' hwmon '$ref_hwmon' get '$ref_nl_get'"
ok "netlink read matches the eeprom file" test "$ref_nl_read" = "OK data=$ref3"
inv3="OK data=$(invert "$ref3")"

# --- the matrix -------------------------------------------------------------------
# knob value expected-per-path, in $PATHS order. Expected:
#   E<n>      fails with errno n (netlink: "error n:" with an extack message)
#   OK        succeeds with the reference result
#   OK:RE     succeeds, result matches RE
#   A|B       either
#   ANY       any result but a hang (corrupted bytes cannot be detected)
# NACKs: every transfer of an access is tried at most twice (one retry after
# nack_retry_us, docs/netlink.md "Bus errors"), so 3 NACKs fail every path
# like 8 do. MODULE_GET answers an empty cage to a NACK; to a held bus
# (ETIMEDOUT) it answers the module present, as identified, with
# ACCESS_ERROR 110. One corrupted read of byte 0 is not a module swap.
MATRIX="
nack_next 3       E6 E6 E6 E6 E6 E6 OK:present=0 E6 E6
nack_next 8       E6 E6 E6 E6 E6 E6 OK:present=0 E6 E6
nack_next 1000    E6 E6 E6 E6 E6 E6 OK:present=0 E6 E6
dead 1            E6 E6 E6 E6 E6 E6 OK:present=0 E6 E6
timeout 100       E110 E110 E110 E110 E110 E110 OK:present=1.state=3.vendor_sn=.+=110$ E110 E110
corrupt 1         ANY ANY INV|OK OK ANY INV|OK OK OK OK
stuck_fault 1     OK:fault OK OK OK OK OK OK:state=5 OK OK
slow_write 3      OK OK OK OK OK OK OK OK OK
slow_write 400    OK E110 E110 E110 OK E110 OK E110 E110
drop_page_select 1 OK OK E5|OK E5|OK OK E5|OK OK E5|OK OK"

# expect_ok EXPECTED RESULT REF: does RESULT satisfy EXPECTED?
expect_ok() {
	local e
	for e in $(echo "$1" | tr '|' ' '); do
		case $e in
		ANY) case $2 in HANG*) ;; *) return 0 ;; esac ;;
		INV) [ "$2" = "$inv3" ] && return 0 ;;
		OK) [ "$2" = "$3" ] && return 0 ;;
		OK:*) case $2 in OK*) printf '%s' "$2" | grep -Eq -- "${e#OK:}" && return 0 ;; esac ;;
		E*) case $2 in "$e "*|"$e") [ -n "${2#"$e"}" ] && return 0 ;; esac ;;
		esac
	done
	return 1
}

while read -r knob val exps; do
	[ -n "$knob" ] || continue
	set -- $exps
	for p in $PATHS; do
		exp=$1
		shift
		eval "ref=\$ref_$p"
		# Map page 10h (tx_disable reads it) so page 03h needs a select.
		cat $P/tx_disable >/dev/null 2>&1
		echo 0 >$D/nacks
		knob_set "$knob" "$val"
		run_op "$p"
		got=$R
		left=$(cat $D/fault_$knob)
		nacks=$(cat $D/nacks)
		knob_clear "$knob"
		if expect_ok "$exp" "$got" "$ref"; then
			pass "$knob=$val $p: $exp (${got%% *})"
		else
			fail "$knob=$val $p: expected $exp"
			diag "  got: $(printf '%s' "$got" | cut -c1-200)"
			diag "  the knob read $left afterwards; the module NACKed $nacks transfers"
		fi
		case $exp in *'|'*|ANY) diag "  $knob=$val $p observed: $(printf '%s' "$got" | cut -c1-70)" ;; esac
		# Recovery: the same access, no page select forced, then the pages.
		run_op "$p"
		now3=$(page 3)
		now10=$(page 16)
		if [ "$R" = "$ref" ] && [ "$now3" = "$ref3" ] && [ "$now10" = "$ref10" ]; then
			pass "$knob=$val $p: recovered"
		else
			fail "$knob=$val $p: recovered"
			diag "  access: $(printf '%s' "$R" | cut -c1-120)"
			diag "  expect: $(printf '%s' "$ref" | cut -c1-120)"
			[ "$now3" = "$ref3" ] || diag "  page 03h changed: $now3"
			[ "$now10" = "$ref10" ] || diag "  page 10h changed: $now10"
			# a clean module and mapping for the next cells
			reset_module
			page 16 >/dev/null
		fi
	done
done <<EOF
$MATRIX
EOF

check_eq "no fault left set" "0 0 0 0 0 0 0" "$(cat $D/fault_nack_next $D/fault_dead $D/fault_timeout \
	$D/fault_corrupt $D/fault_stuck_fault $D/fault_slow_write $D/fault_drop_page_select | tr '\n' ' ' | sed 's/ $//' | tr 'NY' '01')"
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
