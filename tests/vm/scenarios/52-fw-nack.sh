# SPDX-License-Identifier: GPL-2.0
# The module NACKs in the middle of a download: opticctl fails cleanly (exit
# 3, where it stopped, the image still running, how to retry), the lock is
# released, --resume continues from the last acknowledged block, and a
# plain retry from scratch works too.
# timeout: 300

D=$SIM_DEBUGFS/port0

# nack_mid_flash FILE [OPTS]: flash, NACK everything once a quarter is done
nack_mid_flash() {
	echo 400 >"$D/time_scale"
	opticctl -j fw flash "$@" port0 /tmp/fw.bin >/tmp/nack.out 2>/tmp/nack.err &
	pid=$!
	wait_for 60 sh -c "grep -Eq '\"percent\":[2-9][0-9]}' /tmp/nack.out"
	echo 100000 >"$D/fault_nack_next"
	wait $pid
	rc=$?
	echo 0 >"$D/fault_nack_next"
	echo 0 >"$D/time_scale"
	return $rc
}

ok "optic_sim loads" load_sim ports=1
ok "optic.ko loads" load_optic
ok "port0 appears" wait_for 10 test -e "$OPTIC_CLASS/port0"
mkimage /tmp/fw.bin 7 3 131072

nack_mid_flash
check_eq "NACK mid-download: exit status 3" 3 "$?"
err=$(cat /tmp/nack.err)
diag "$err"
check_match "says where it stopped" "firmware download failed at byte [1-9][0-9]* of 131072" "$err"
check_match "says what still runs and how to retry" \
	"still runs image A \(3\.14\); retry with: opticctl fw flash port0 /tmp/fw.bin \(or --resume to continue\)" "$err"
check_eq "one error report, no more" 1 "$(grep -c 'download failed' /tmp/nack.err)"
ok "the module answers again" wait_for 20 sh -c "opticctl -j fw info port0 >/dev/null"
check_eq "A 3.14 still runs" "A 3.14" "$(running)"
check_eq "lock released" false "$(opticctl -j fw info port0 | jq .flashing)"
stopped=$(sed -n 's/.*failed at byte \([0-9]*\) of.*/\1/p' /tmp/nack.err)
check_eq "resume state saved at that byte" "done=$stopped" \
	"$(sed -n 's/.* \(done=[0-9]*\)$/\1/p' /run/optic/port0.fw.resume 2>/dev/null)"

opticctl -j fw flash --resume port0 /tmp/fw.bin >/tmp/resume.out 2>/tmp/resume.err
check_eq "--resume completes the download" 0 "$?"
sed 's/^/#   /' /tmp/resume.err
check_eq "--resume: no Start, first report at the stopping point" "write $stopped" \
	"$(grep '"phase"' /tmp/resume.out | head -n 1 | jq -r '"\(.phase) \(.done)"')"
check_eq "B holds 7.3" "7.3 true" "$(img 1 version) $(img 1 valid)"
check_eq "resume state removed" "" "$(ls /run/optic/port0.fw.resume 2>/dev/null)"
ok "run B" opticctl fw run port0
check_eq "B 7.3 runs" "B 7.3" "$(running)"

# again, and this time retry from scratch
mkimage /tmp/fw.bin 7 4 131072
nack_mid_flash
check_eq "second NACK mid-download: exit status 3" 3 "$?"
check_match "the module still runs B 7.3" "still runs image B \(7\.3\)" "$(cat /tmp/nack.err)"
ok "the module answers again" wait_for 20 sh -c "opticctl -j fw info port0 >/dev/null"
out=$(opticctl fw flash port0 /tmp/fw.bin 2>&1)
check_eq "plain retry succeeds" 0 "$?"
check_match "into image A, version 7.4" "into image A \(version 7\.4\)" "$out"
ok "run A" opticctl fw run port0
check_eq "A 7.4 runs" "A 7.4" "$(running)"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
