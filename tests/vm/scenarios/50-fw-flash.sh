# SPDX-License-Identifier: GPL-2.0
# opticctl fw: info, a full flash through the EPL (and one through the LPL),
# JSON progress lines, run into the new image and commit it: fw info, the
# lower page's active firmware (39-40) and page 01h's inactive firmware
# (128-129) show the new version.
# timeout: 300

D=$SIM_DEBUGFS/port0

# mkimage FILE MAJOR MINOR SIZE: an optic_sim image ("OSFW" major minor ...)
mkimage() {
	{
		printf 'OSFW'
		printf "\\$(printf '%03o' "$2")\\$(printf '%03o' "$3")"
		head -c $(($4 - 6)) /dev/urandom
	} >"$1"
}
info() { opticctl -j fw info port0; }
img() { info | jq -r ".images[$1].$2"; }
lower_39() {
	opticctl -j dump port0 --page 0 |
		jq -r '.pages[] | select(.offset == 0) | .data[78:82]'
}

ok "optic_sim loads" load_sim ports=1
ok "optic.ko loads" load_optic
ok "port0 appears" wait_for 10 test -e "$OPTIC_CLASS/port0"

out=$(opticctl fw info port0)
check_eq "fw info exits 0" 0 "$?"
diag "$out"
check_match "text: image A 3.14 running committed" "image A: 3\.14 .*running committed" "$out"
check_match "text: image B 3.10" "image B: 3\.10 " "$out"
check_eq "JSON: A running" true "$(img 0 running)"
check_eq "JSON: A committed" true "$(img 0 committed)"
check_eq "JSON: B not running" false "$(img 1 running)"
check_eq "JSON: B version" 3.10 "$(img 1 version)"
check_eq "JSON: B valid" true "$(img 1 valid)"
check_eq "JSON: CDB EPL pages advertised (01h:163 code 5: A0h-A7h)" 8 \
	"$(info | jq .cdb.epl_pages)"
check_eq "JSON: no flash running" false "$(info | jq .flashing)"

mkimage /tmp/fw42.bin 4 2 8192
opticctl -j fw flash port0 /tmp/fw42.bin >/tmp/flash.out 2>/tmp/flash.err
check_eq "flash 8 KiB through the EPL exits 0" 0 "$?"
sed 's/^/#   /' /tmp/flash.err
progress=$(grep '"phase"' /tmp/flash.out)
check_match "JSON progress: a start line" '"phase":"start"' "$progress"
check_match "JSON progress: write lines" '"phase":"write"' "$progress"
check_eq "JSON progress: lines parse, last is done at 100 %" "done 100 8192" \
	"$(printf '%s\n' "$progress" | tail -n 1 | jq -r '"\(.phase) \(.percent) \(.done)"')"
check_eq "JSON progress: done never goes back" true \
	"$(printf '%s\n' "$progress" | jq -s '[.[].done] | . == sort')"
result=$(grep -v '"phase"' /tmp/flash.out)
check_eq "JSON result: image B, version 4.2" "B 4.2 true" \
	"$(printf '%s' "$result" | jq -r '"\(.image) \(.version) \(.valid)"')"
check_eq "B now holds 4.2" 4.2 "$(img 1 version)"
check_eq "A still running" true "$(img 0 running)"
check_eq "no resume state left" "" "$(ls /run/optic/*.resume 2>/dev/null)"

out=$(opticctl fw run port0)
check_eq "fw run exits 0" 0 "$?"
diag "$out"
check_match "run: says B runs 4.2 and how to commit" \
	"running image B \(4\.2\); make it permanent with: opticctl fw commit port0" "$out"
check_eq "B running after the run" true "$(img 1 running)"
check_eq "B not yet committed" false "$(img 1 committed)"
check_eq "A is the committed image" true "$(img 0 committed)"
ok "module Ready again after the run" wait_for 20 sh -c \
	"opticctl -j show port0 | jq -e '.module_state == \"ready\"'"
check_eq "lower page 39-40: running firmware 4.2" 0402 "$(lower_39)"

ok "fw commit exits 0" opticctl fw commit port0
check_eq "B committed" true "$(img 1 committed)"
check_eq "A no longer committed" false "$(img 0 committed)"

# The flight recorder keeps the firmware steps (CDB commands) with who made
# them, not the hundreds of EPL blocks: start 0101h, complete 0107h, run
# 0109h and commit 010Ah each written (status 0), start, complete and
# commit seen to succeed (CdbStatus1 01h).
vm-nl records name=str:port0 >/tmp/fw.rec
steps=$(awk -F= '/^cdb_cmd=/ { c = $2 } /^cdb_status=/ { printf "%04x:%x\n", c, $2 }' \
	/tmp/fw.rec | sort -u | tr '\n' ' ')
diag "CDB records: $steps"
check_match "records: start, complete, run and commit, written and succeeded" \
	"0101:0 0101:1 .*0107:0 0107:1 0109:0 .*010a:0 010a:1" "$steps"
check_eq "records: no EPL or LPL block" "" "$(echo "$steps" | grep -o '010[34]:[0-9a-f]*')"
check_eq "records: each step by a netlink caller with its pid" true \
	"$(awk -F= '/^cdb_cmd=/ { c = 1 } c && /^who=/ { w = $2 } c && /^pid=/ { if (w != 1 || $2 < 1) bad = 1; c = 0 }
		END { print bad ? "false" : "true" }' /tmp/fw.rec)"

# opticctl events says the same steps by name, with their results.
opticctl -j events port0 >/tmp/fw.json
named=$(jq -r 'select(.event == "firmware") |
	"\(.cdb_command_name):\(.cdb_result // "written")"' /tmp/fw.json |
	sort -u | tr '\n' ' ')
diag "events: $named"
check_match "events --json: start, complete, run and commit named, written and succeeded" \
	"^commit_image:success commit_image:written complete_download:success complete_download:written .*run_image:written .*start_download:success start_download:written $" \
	"$named"
check_eq "events --json: no EPL or LPL block" "" \
	"$(jq -r 'select(.event == "firmware" and (.cdb_command == 259 or .cdb_command == 260)) | .seq' /tmp/fw.json)"
check_eq "events --json: the start's write by netlink with its pid, its completion with status and result" \
	"257 start_download 0 null netlink true|257 start_download 1 success" \
	"$(jq -rs 'map(select(.event == "firmware" and .cdb_command == 257)) |
		(map(select(.cdb_status == 0)) | .[0] |
			"\(.cdb_command) \(.cdb_command_name) \(.cdb_status) \(.cdb_result) \(.who) \(.pid > 0)") + "|" +
		(map(select(.cdb_status != 0)) | .[0] |
			"\(.cdb_command) \(.cdb_command_name) \(.cdb_status) \(.cdb_result)")' /tmp/fw.json)"
opticctl events port0 >/tmp/fw.txt
check_match "events text: the start written by the flasher's pid" \
	"port0: firmware: 0101h start download written by pid [1-9][0-9]* \(netlink\)" "$(cat /tmp/fw.txt)"
check_match "events text: the start's completion" \
	"port0: firmware: 0101h start download: success" "$(cat /tmp/fw.txt)"
check_match "events text: complete, run and commit named" \
	"0107h complete download: success.*0109h run image written.*010Ah commit image: success" \
	"$(tr '\n' ' ' </tmp/fw.txt)"

mkimage /tmp/fw51.bin 5 1 1000
out=$(opticctl fw flash --lpl port0 /tmp/fw51.bin 2>&1)
check_eq "flash 1000 bytes through the LPL exits 0" 0 "$?"
check_match "LPL flash went into image A" "into image A \(version 5\.1\)" "$out"
check_eq "A holds 5.1" 5.1 "$(img 0 version)"
ok "run A" opticctl fw run port0
check_eq "A running 5.1" "true 5.1" "$(img 0 running) $(img 0 version)"

out=$(opticctl fw flash port0 /nonexistent 2>&1)
check_eq "missing file: exit status 2 (not found)" 2 "$?"
: >/tmp/empty.bin
out=$(opticctl fw flash port0 /tmp/empty.bin 2>&1)
check_eq "empty file: usage error" 1 "$?"
check_match "empty file: says why" "1 to [0-9]+ bytes" "$out"
out=$(opticctl fw flash port0 2>&1)
check_eq "no file: usage error" 1 "$?"
out=$(opticctl fw info port9 2>&1)
check_eq "unknown port: exit status 2" 2 "$?"
out=$(as_nobody opticctl fw flash port0 /tmp/fw42.bin 2>&1)
check_eq "unprivileged flash is refused" 4 "$?"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
