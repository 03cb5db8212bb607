# SPDX-License-Identifier: GPL-2.0
# Hot-unplug in the middle of a download: opticctl fails cleanly, the
# re-plugged module runs its old image, a --resume is refused by the module
# (it forgot the download) without harm, and a new flash works.
# timeout: 300

D=$SIM_DEBUGFS/port0

ok "optic_sim loads" load_sim ports=1
ok "optic.ko loads" load_optic
ok "port0 appears" wait_for 10 test -e "$OPTIC_CLASS/port0"
mkimage /tmp/fw.bin 8 1 131072

echo 400 >"$D/time_scale"
opticctl -j fw flash port0 /tmp/fw.bin >/tmp/unplug.out 2>/tmp/unplug.err &
pid=$!
ok "the download gets to a quarter" wait_for 60 sh -c \
	"grep -Eq '\"percent\":[2-9][0-9]}' /tmp/unplug.out"
echo 0 >"$D/present"
wait $pid
check_eq "unplugged mid-download: exit status 3" 3 "$?"
err=$(cat /tmp/unplug.err)
diag "$err"
check_match "says where it stopped" "firmware download failed at byte [1-9][0-9]* of 131072" "$err"
check_match "says the cage is empty" "no module in the cage|the cage reads empty" "$err"
check_match "says how to retry" "retry with: opticctl fw flash port0 /tmp/fw.bin" "$err"
check_eq "the download did not finish" false \
	"$(grep '"phase"' /tmp/unplug.out | tail -n 1 | jq '.percent == 100')"
check_eq "no result object printed" 0 "$(grep -vc '"phase"' /tmp/unplug.out)"
out=$(opticctl fw info port0 2>&1)
check_eq "empty cage: fw info exit status 2" 2 "$?"
check_match "empty cage: says so" "no module present" "$out"

echo 1 >"$D/present"
echo 0 >"$D/time_scale"
ok "the module is back" wait_for 20 sh -c "opticctl -j fw info port0 >/dev/null"
check_eq "it runs its old image A 3.14" "A 3.14" "$(running)"
check_eq "A still committed" true "$(img 0 committed)"
check_eq "the half-written B is not valid" false "$(img 1 valid)"
check_eq "lock released" false "$(opticctl -j fw info port0 | jq .flashing)"

out=$(opticctl fw flash --resume port0 /tmp/fw.bin 2>&1)
check_eq "--resume after a replug: the module refuses (exit 3)" 3 "$?"
diag "$out"
check_match "--resume: the module's status is shown" "the module said: failed" "$out"
check_eq "--resume: resume state dropped" "" "$(ls /run/optic/port0.fw.resume 2>/dev/null)"
check_eq "--resume: still runs A 3.14" "A 3.14" "$(running)"

out=$(opticctl fw flash port0 /tmp/fw.bin 2>&1)
check_eq "a new flash works" 0 "$?"
check_match "into image B, version 8.1" "into image B \(version 8\.1\)" "$out"
ok "run B" opticctl fw run port0
ok "commit B" opticctl fw commit port0
check_eq "B 8.1 runs" "B 8.1" "$(running)"
check_eq "B committed" true "$(img 1 committed)"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
