# SPDX-License-Identifier: GPL-2.0
# Fault matrix, firmware flash: every optic_sim fault knob switched on in the
# middle of `opticctl fw flash` (a fifth of the image downloaded). The flash
# ends within its bound with a clear error (exit 3, where it stopped, why,
# what still runs) or, for faults the CDB procedure rides out, succeeds;
# after the fault clears the module answers, still runs its image, the
# flash lock is released, and a new flash succeeds and runs.
# timeout: 400

D=$SIM_DEBUGFS/port0
SIZE=65536

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

ok "optic_sim loads" load_sim ports=1
ok "optic.ko loads" load_optic
ok "port0 appears" wait_for 10 test -e "$OPTIC_CLASS/port0"
mkimage /tmp/fw.bin 9 1 $SIZE
check_eq "A 3.14 runs" "A 3.14" "$(running)"

# knob value expected-exit message-regex (for exit 3). A module that stops
# answering fails the transfer with ENXIO, or right after a write with
# ETIMEDOUT (CMIS tWR); either way the cage then reads empty.
FLASH="
nack_next 100000    3     failed at byte [1-9][0-9]* of $SIZE.*(No such device|timed out).*the cage reads empty
dead 1              3     failed at byte [1-9][0-9]* of $SIZE.*(No such device|timed out).*the cage reads empty
timeout 50          3     failed at byte [1-9][0-9]* of $SIZE.*timed out
slow_write 1000     3     failed at byte [1-9][0-9]* of $SIZE.*timed out
stuck_fault 1       0|3   failed at byte [1-9][0-9]* of $SIZE
corrupt 40          0|3   failed|refused|checksum|module said
drop_page_select 8  0|3   failed|refused|module said
"
while read -r knob val want msg; do
	[ -n "$knob" ] || continue
	echo 400 >$D/time_scale
	rm -f /tmp/fl.out /tmp/fl.err
	timeout 150 opticctl -j fw flash port0 /tmp/fw.bin >/tmp/fl.out 2>/tmp/fl.err &
	pid=$!
	wait_for 60 sh -c "grep -Eq '\"percent\":[2-9][0-9]}' /tmp/fl.out"
	echo "$val" >$D/fault_$knob
	wait $pid
	rc=$?
	echo 0 >$D/fault_$knob
	drain
	echo 0 >$D/time_scale
	err=$(tr '\n' ' ' </tmp/fl.err)
	diag "$knob=$val: exit $rc: $(printf '%s' "$err" | cut -c1-240)"
	check_match "$knob=$val: flash ends, exit $want (no hang)" "^($want)\$" "$rc"
	if [ "$rc" = 3 ]; then
		check_match "$knob=$val: says where and why" "$msg" "$err"
		check_match "$knob=$val: says what still runs" "still runs image [AB]" "$err"
	fi
	if [ "$knob" = stuck_fault ]; then
		echo 1 >$OPTIC_CLASS/port0/reset
		wait_for 10 grep -qx ready $OPTIC_CLASS/port0/module_state
	fi
	ok "$knob=$val: the module answers again" wait_for 20 sh -c "opticctl -j fw info port0 >/dev/null"
	check_eq "$knob=$val: A 3.14 still runs" "A 3.14" "$(running)"
	check_eq "$knob=$val: lock released" false "$(opticctl -j fw info port0 | jq .flashing)"
	rm -f /run/optic/port0.fw.resume
done <<EOF
$FLASH
EOF

out=$(timeout 150 opticctl fw flash port0 /tmp/fw.bin 2>&1)
check_eq "after the faults: a flash succeeds" 0 "$?"
check_match "into image B, version 9.1" "into image B \(version 9\.1\)" "$out"
ok "run B" timeout 60 opticctl fw run port0
check_eq "B 9.1 runs" "B 9.1" "$(running)"
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
