# SPDX-License-Identifier: GPL-2.0
# optic.ko against optic_sim's fault knobs: each fault gives the documented
# error on every access path (eeprom file, sysfs, hwmon, netlink, opticctl)
# or is waited out (one NACK is retried), and everything works again once
# the fault clears.
# timeout: 240

D=$SIM_DEBUGFS/port0
P=$OPTIC_CLASS/port0
PARM=/sys/module/optic/parameters

page3() { dd if=$P/eeprom bs=128 skip=4 count=1 2>/dev/null | od -An -tx1 -v | tr -d ' \n'; }
nl_err() { vm-nl read index=u32:0 page=u8:3 offset=u16:128 length=u16:16 | grep '^error' || echo "no error"; }

ok "optic_sim loads" load_sim ports=1
ok "optic.ko loads (poll off)" load_optic poll_ms=0
ok "port0 identified" wait_for 10 test -e $P/vendor_sn
ref=$(page3)
sn=$(cat $P/vendor_sn)
check_match "page 03h reads" '^[0-9a-f]{256}$' "$ref"

# A busy module NACKs: one NACK is retried (after nack_retry_us) and the
# read succeeds; two in a row fail the access with ENXIO, the next is right.
# (The poll is off, so no poll transfer takes a NACK meant for the read.)
check_eq "nack_retry_us defaults to 1000" 1000 "$(cat $PARM/nack_retry_us)"
t0=$(cat $D/transactions)
echo 1 >$D/fault_nack_next
check_eq "one NACK: the read is retried and right" "$ref" "$(page3)"
check_eq "one NACK: knob consumed" 0 "$(cat $D/fault_nack_next)"
check_eq "one NACK: one transfer more (the retry)" $((t0 + 2)) "$(cat $D/transactions)"
echo 2 >$D/fault_nack_next
check_match "two NACKs: the read fails with ENXIO" "No such device or address" \
	"$(dd if=$P/eeprom of=/dev/null bs=128 skip=4 count=1 2>&1)"
check_eq "two NACKs: knob consumed (one retry, no more)" 0 "$(cat $D/fault_nack_next)"
check_eq "two NACKs: the next read is right" "$ref" "$(page3)"
echo 2 >$D/fault_nack_next
check_match "two NACKs: netlink EEPROM_READ fails with ENXIO" '^error 6: ' "$(nl_err)"
echo 0 >$D/fault_nack_next
echo 0 >$PARM/nack_retry_us
echo 1 >$D/fault_nack_next
check_match "nack_retry_us=0: one NACK fails the read" "No such device or address" \
	"$(dd if=$P/eeprom of=/dev/null bs=128 skip=4 count=1 2>&1)"
echo 1000 >$PARM/nack_retry_us
check_eq "retry back on: the read is right" "$ref" "$(page3)"

# A module that NACKs everything: every path says so, nothing stale is served.
echo 1 >$D/fault_dead
fails "dead module: eeprom read fails" dd if=$P/eeprom of=/dev/null bs=128 skip=4 count=1
check_match "dead module: eeprom error is ENXIO" "No such device or address" \
	"$(dd if=$P/eeprom of=/dev/null bs=128 skip=4 count=1 2>&1)"
check_eq "dead module: present is 0" 0 "$(cat $P/present)"
fails "dead module: vendor_sn is not served" cat $P/vendor_sn
fails "dead module: no hwmon temperature" sh -c "cat $P/device/hwmon/hwmon*/temp1_input"
check_match "dead module: netlink EEPROM_READ fails with ENXIO and says why" \
	'^error 6: .*no module' "$(nl_err)"
check_match "dead module: opticctl lists the cage as empty" '^port0 +no ' "$(opticctl list)"
echo 0 >$D/fault_dead
ok "fault cleared: present again" wait_for 5 grep -qx 1 $P/present
ok "fault cleared: vendor_sn back" wait_for 5 test "$(cat $P/vendor_sn)" = "$sn"
check_eq "fault cleared: page 03h reads right" "$ref" "$(page3)"
check_eq "fault cleared: netlink reads" "no error" "$(nl_err)"

# A NACK storm: clean failures, then recovery.
echo 1000 >$D/fault_nack_next
fails "NACK storm: eeprom read fails" dd if=$P/eeprom of=/dev/null bs=128 skip=4 count=1
echo 0 >$D/fault_nack_next
ok "NACK storm over: page 03h reads right" wait_for 5 test "$(page3)" = "$ref"

# ModuleFault: reported as such everywhere, cleared by a reset.
echo 1 >$D/fault_stuck_fault
echo 1 >$P/reset
ok "stuck fault: sysfs module_state is fault" wait_for 10 grep -qx fault $P/module_state
check_eq "stuck fault: opticctl says fault" fault "$(opticctl -j list | jq -r '.[0].module_state')"
echo 0 >$D/fault_stuck_fault
echo 1 >$P/reset
ok "after the fault and a reset: ready" wait_for 10 grep -qx ready $P/module_state

# Slow writes (write-completion NACKs) are waited out within write_timeout_ms.
echo 3 >$D/fault_slow_write
ok "slow writes: an eeprom write succeeds" sh -c \
	"printf '\\x11\\x22' | dd of=$P/eeprom bs=1 seek=$((128 + 3 * 128)) 2>/dev/null"
check_eq "slow writes: the bytes landed" "1122" \
	"$(dd if=$P/eeprom bs=1 skip=$((128 + 3 * 128)) count=2 2>/dev/null | od -An -tx1 | tr -d ' \n')"
echo 0 >$D/fault_slow_write

# A held bus is not an empty cage: only a NACK is. MODULE_GET answers the
# module present and identified, with ACCESS_ERROR 110;
# sysfs present fails with ETIMEDOUT; no removed event. One corrupted read
# of byte 0 (or two) is not a module swap: no events, same identity.
rm -f /tmp/ev17
timeout 60 vm-nl monitor 100 40 >/tmp/ev17 2>&1 &
mon=$!
wait_for 5 grep -q listening /tmp/ev17
dmesg -c >/dev/null
echo 100 >$D/fault_timeout
got=$(vm-nl get index=u32:0)
check_match "held bus: MODULE_GET says present" '^present=1$' "$got"
check_match "held bus: MODULE_GET keeps the identity" "^vendor_sn=$sn\$" "$got"
check_match "held bus: MODULE_GET reports ETIMEDOUT (ACCESS_ERROR)" '^access_error=110$' "$got"
check_match "held bus: dump says present, with the error" 'present=1 .*access_error=110' \
	"$(vm-nl dump | tr '\n' ' ')"
check_match "held bus: sysfs present fails with ETIMEDOUT" 'timed out' \
	"$(dd if=$P/present bs=64 count=1 2>&1)"
check_eq "held bus: vendor_sn still served" "$sn" "$(cat $P/vendor_sn)"
opticctl -j show port0 >/tmp/show17 2>/dev/null
check_eq "held bus: opticctl show exit status 3" 3 "$?"
check_eq "held bus: opticctl JSON access_errno" 110 "$(jq .access_errno /tmp/show17)"
check_match "held bus: opticctl text names the error" \
	'Bus error \(last values shown\) +: Connection timed out' "$(opticctl show port0 2>/dev/null)"
echo 0 >$D/fault_timeout
got=$(vm-nl get index=u32:0)
check_match "held bus over: MODULE_GET present, ready" 'present=1 .*state=3 ' "$(echo $got) "
check_eq "held bus over: no ACCESS_ERROR" 0 "$(printf '%s\n' "$got" | grep -c '^access_error=')"
for n in 1 2; do
	echo $n >$D/fault_corrupt
	got=$(vm-nl get index=u32:0)
	check_match "$n corrupted reads: MODULE_GET same module" "present=1 .*vendor_sn=$sn " "$(echo $got) "
	check_eq "$n corrupted reads: knob consumed" 0 "$(cat $D/fault_corrupt)"
	check_eq "$n corrupted reads: sysfs identifier" 0x18 "$(cat $P/identifier)"
done
check_match "corrupted reads: the driver says it kept the module" 'keeping the module' "$(dmesg)"
sleep 1
kill $mon 2>/dev/null
wait $mon 2>/dev/null
check_eq "held bus, corrupted reads: no event" "" "$(sed -n 's/^event=//p' /tmp/ev17 | tr '\n' ' ')"

# A module whose identity checksum is wrong from the start (CMIS page 00h
# byte 222) is identified and used, with checksum_ok 0 and a warning.
check_eq "checksum_ok of a good module" 1 "$(cat $P/checksum_ok)"
prof=$(cat $D/profile)
cat $D/image >/tmp/img17
awk 'BEGIN { sec = "" } /^page / { sec = $0 } sec == "page 00" && $1 == "d0:" {
	$16 = sprintf("%02x", (("0x" $16) + 1) % 256) } { print }' /tmp/img17 >/tmp/img17bad
ok "malformed image made" sh -c "! cmp -s /tmp/img17 /tmp/img17bad"
echo empty >$D/profile
check_eq "cage emptied" 0 "$(cat $P/present)"
dmesg -c >/dev/null
ok "malformed module plugged" sh -c "cat /tmp/img17bad >$D/image"
check_eq "malformed module: present" 1 "$(cat $P/present)"
check_eq "malformed module: identified as read" "$sn" "$(cat $P/vendor_sn)"
check_eq "malformed module: checksum_ok 0" 0 "$(cat $P/checksum_ok)"
check_match "malformed module: netlink CHECKSUM_OK 0" 'present=1 .*vendor_sn=.* checksum_ok=0( |$)' \
	"$(vm-nl get index=u32:0 | tr '\n' ' ')"
check_match "malformed module: warned" 'identity checksum wrong after 3 tries' "$(dmesg)"
check_eq "malformed module: opticctl checksum_ok" false "$(opticctl -j show port0 | jq .checksum_ok)"
check_match "malformed module: eeprom reads" '^[0-9a-f]{256}$' "$(page3)"
echo empty >$D/profile
check_eq "cage emptied again" 0 "$(cat $P/present)"
echo "$prof" >$D/profile
check_eq "good module back" 1 "$(cat $P/present)"
check_eq "good module: checksum_ok 1" 1 "$(cat $P/checksum_ok)"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
