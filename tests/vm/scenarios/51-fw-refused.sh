# SPDX-License-Identifier: GPL-2.0
# Images that must not end up running: a corrupted image the module's
# header check rejects (when optic_sim has one: portN/fw_check, see
# docs/firmware.md), an aborted download (SIGINT), files opticctl refuses
# itself, and modules without CDB. Each leaves the module on its old image.
# timeout: 300

D=$SIM_DEBUGFS/port0

mkimage() { # FILE MAGIC MAJOR MINOR SIZE
	{
		printf '%s' "$2"
		printf "\\$(printf '%03o' "$3")\\$(printf '%03o' "$4")"
		head -c $(($5 - 6)) /dev/urandom
	} >"$1"
}
img() { opticctl -j fw info port0 | jq -r ".images[$1].$2"; }
running() { # "A 3.14"
	opticctl -j fw info port0 |
		jq -r '.images[] | select(.running) | "\(.image) \(.version)"'
}

ok "optic_sim loads" load_sim ports=2
ok "optic.ko loads" load_optic
ok "port1 appears" wait_for 10 test -e "$OPTIC_CLASS/port1"
check_eq "port0 runs A 3.14" "A 3.14" "$(running)"

# -- the module's header check --
mkimage /tmp/bad.bin OSFX 9 9 4096
echo 1 >"$D/fw_check"
out=$(opticctl fw flash port0 /tmp/bad.bin 2>&1)
check_eq "corrupted image: flash fails (exit 3)" 3 "$?"
diag "$out"
check_match "corrupted image: the module's refusal is shown" \
	"the module said: failed" "$out"
check_match "corrupted image: still runs the old image" \
	"still runs image A \(3\.14\)" "$out"
check_eq "corrupted image: A 3.14 runs" "A 3.14" "$(running)"
check_eq "corrupted image: B not valid" false "$(img 1 valid)"
fails "corrupted image: fw run is refused" opticctl fw run port0
echo 0 >"$D/fw_check"

# -- an aborted download: SIGINT mid-way sends Abort --
echo 400 >"$D/time_scale"
mkimage /tmp/big.bin OSFW 6 0 131072
opticctl -j fw flash port0 /tmp/big.bin >/tmp/abort.out 2>/tmp/abort.err &
pid=$!
ok "abort: the download gets going" wait_for 30 sh -c \
	"grep -q '\"phase\":\"write\"' /tmp/abort.out"
kill -INT $pid
wait $pid
check_eq "abort: exit status 3" 3 "$?"
check_match "abort: says so, and what still runs" \
	"download aborted; the module still runs image A \(3\.14\)" "$(cat /tmp/abort.err)"
check_eq "abort: the download stopped before the end" false \
	"$(grep '"phase"' /tmp/abort.out | tail -n 1 | jq '.percent == 100')"
echo 0 >"$D/time_scale"
check_eq "abort: A 3.14 still runs" "A 3.14" "$(running)"
check_eq "abort: B (overwritten) is not valid" false "$(img 1 valid)"
out=$(opticctl fw run port0 2>&1)
check_eq "abort: the module refuses to run the invalid image" 3 "$?"
check_match "abort: with its status" "the module said: failed.*CdbStatus 40h, command 0109h" "$out"
check_eq "abort: A 3.14 still runs after the refused run" "A 3.14" "$(running)"
check_eq "abort: lock released" false "$(opticctl -j fw info port0 | jq .flashing)"
check_eq "abort: nothing to resume" 1 \
	"$(opticctl fw flash --resume port0 /tmp/big.bin >/dev/null 2>&1; echo $?)"
ok "abort: a new download afterwards works" opticctl fw flash port0 /tmp/big.bin
check_eq "abort: B is 6.0 now" "6.0 true" "$(img 1 version) $(img 1 valid)"

# -- what opticctl refuses before talking to the module --
: >/tmp/empty.bin
out=$(opticctl fw flash port0 /tmp/empty.bin 2>&1)
check_eq "empty image: usage error" 1 "$?"
out=$(opticctl fw flash port0 /tmp 2>&1)
check_eq "a directory: refused" 3 "$?"
check_match "a directory: says why" "reading /tmp" "$out"

# -- modules without CDB --
ok "port1 becomes an SFF-8636 QSFP28" sh -c "echo qsfp28-100g-cwdm4 >$SIM_DEBUGFS/port1/profile"
ok "port1 reports sff8636" wait_for 10 sh -c \
	"opticctl -j list | jq -e '.[1].spec == \"sff8636\"'"
out=$(opticctl fw info port1 2>&1)
check_eq "QSFP28: fw info exit status 2" 2 "$?"
check_match "QSFP28: says why" "needs a paged CMIS module" "$out"
ok "port1 becomes flat-memory copper" sh -c "echo cmis-flat-copper >$SIM_DEBUGFS/port1/profile"
ok "port1 reports flat memory" wait_for 10 sh -c \
	"opticctl -j show port1 | jq -e '.vendor_pn != \"OSM-Q28-100G-CW4\"'"
out=$(opticctl fw flash port1 /tmp/big.bin 2>&1)
check_eq "flat copper: flash exit status 2" 2 "$?"
check_eq "port0 unaffected: A 3.14 runs" "A 3.14" "$(running)"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
