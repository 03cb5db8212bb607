# SPDX-License-Identifier: GPL-2.0
# optic_sim CDB on page 9Fh: advertisement, check code, status and
# completion flag, replies, and a full firmware update through LPL and EPL
# writes (start, write, complete, run, commit) visible in the firmware
# versions of lower 39-40 and page 01h 128-129.
# timeout: 200

D=$SIM_DEBUGFS/port0

xfer() { echo "$1" >"$D/xfer" && cat "$D/xfer"; }
byte() { printf '%d' "0x$(xfer "50 $1 r 1" | sed 's/^ok //')"; }
hexbyte() { xfer "50 $1 r 1" | sed 's/^ok //'; }

# cdb CMD EPL_LEN [LPL BYTE...]: run a CDB command, print the final CdbStatus1
# (hex); CHK=xx overrides the check code.
cdb() {
	local cmd=$1 epl=$2 n=0 sum b chk i st
	shift 2
	for b in "$@"; do n=$((n + 1)); done
	sum=$(((cmd >> 8) + (cmd & 255) + (epl >> 8) + (epl & 255) + n))
	for b in "$@"; do sum=$((sum + 0x$b)); done
	chk=$(printf '%02x' $((~sum & 255)))
	[ -n "$CHK" ] && chk=$CHK
	xfer '50 7f w 9f' >/dev/null
	xfer "50 82 w $(printf '%02x %02x %02x' $((epl >> 8)) $((epl & 255)) $n) $chk 00 00 $*" \
		>/dev/null
	xfer "50 80 w $(printf '%02x %02x' $((cmd >> 8)) $((cmd & 255)))" >/dev/null
	i=0
	while :; do
		st=$(byte 25)
		[ $((st & 128)) -eq 0 ] && break
		i=$((i + 1))
		[ $i -lt 100 ] || break
		sleep 0.05
	done
	printf '%02x\n' "$st"
}
rpl() { # LEN: reply header and payload from 9Fh:134
	xfer '50 7f w 9f' >/dev/null
	xfer "50 86 r $1" | sed 's/^ok //'
}
repeat() { # N BYTE
	local i=0
	while [ $i -lt "$1" ]; do printf ' %s' "$2"; i=$((i + 1)); done
}
active_fw() { xfer '50 27 r 2' | sed 's/^ok //'; }
inactive_fw() { xfer '50 7f w 01' >/dev/null; xfer '50 80 r 2' | sed 's/^ok //'; }

ok "optic_sim loads" load_sim ports=1 attach=0
xfer '50 7f w 01' >/dev/null
check_eq "CDB advertised: 1 instance, background, EPL A0h-AFh (01h:163)" \
	"ok 65 0f" "$(xfer '50 a3 r 2')"
check_eq "active firmware 3.14 (lower 39-40)" "03 0e" "$(active_fw)"
check_eq "inactive firmware 3.10 (01h:128)" "03 0a" "$(inactive_fw)"
check_eq "CDB status idle" 0 "$(byte 25)"

byte 08 >/dev/null
check_eq "Query Status succeeds (CdbStatus1 = 01h)" 01 "$(cdb 0x0000 0 00 00)"
check_eq "L-CdbCmdComplete1 latched (byte 8 bit 6)" 64 $(($(byte 08) & 64))
check_eq "Query Status reply: len 2, check code, payload" "02 fd 01 01" "$(rpl 4)"
check_eq "bad CdbChkCode -> 45h" 45 "$(CHK=12 cdb 0x0000 0 00 00)"
check_eq "unknown command -> 42h" 42 "$(cdb 0x7777 0)"
check_eq "Module Features" 01 "$(cdb 0x0040 0)"
check_eq "Module Features: max completion 1000 ms" "03 e8" \
	"$(rpl 38 | awk '{ print $37, $38 }')"
check_eq "FW Management Features" 01 "$(cdb 0x0041 0)"
check_eq "FW Management Features: LPL+EPL writes, 128-byte ext" "0f 11" \
	"$(rpl 8 | awk '{ print $7, $8 }')"
check_eq "Get Firmware Info" 01 "$(cdb 0x0100 0)"
check_eq "info: len 74; A running+committed; A 3.14" "4a 03 03 03 0e" \
	"$(rpl 6 | awk '{ print $1, $3, $4, $5, $6 }')"
check_eq "Write LPL without Start fails" 40 \
	"$(cdb 0x0103 0 00 00 00 00 11 22)"

# firmware 4.2 through LPL: 300 bytes = 116 + 116 + 68
check_eq "Start Firmware Download (300 bytes)" 01 \
	"$(cdb 0x0101 0 00 00 01 2c 00 00 00 00)"
check_eq "Write Firmware Block LPL @0" 01 \
	"$(cdb 0x0103 0 00 00 00 00 4f 53 46 57 04 02 $(repeat 110 a5))"
check_eq "Write Firmware Block LPL @116" 01 \
	"$(cdb 0x0103 0 00 00 00 74 $(repeat 116 5a))"
check_eq "Complete before the last block fails" 40 "$(cdb 0x0107 0)"
check_eq "block past the image size is rejected" 42 \
	"$(cdb 0x0103 0 00 00 00 e8 $(repeat 69 5a))"
check_eq "Write Firmware Block LPL @232" 01 \
	"$(cdb 0x0103 0 00 00 00 e8 $(repeat 68 5a))"
check_eq "Complete Firmware Download" 01 "$(cdb 0x0107 0)"
check_eq "inactive image is now 4.2" "04 02" "$(inactive_fw)"
check_eq "still running 3.14" "03 0e" "$(active_fw)"

echo 0 >"$D/time_scale"
check_eq "Run Firmware Image (inactive) resets: CdbStatus1 reads 00h" 00 \
	"$(cdb 0x0109 0 00 00 00 00)"
check_eq "module reset into 4.2" "04 02" "$(active_fw)"
check_eq "3.14 is now inactive" "03 0e" "$(inactive_fw)"
check_eq "module Ready after the run" 3 $((($(byte 03) >> 1) & 7))
check_eq "Commit Firmware Image" 01 "$(cdb 0x010a 0)"
cdb 0x0100 0 >/dev/null
check_eq "info: B running+committed, A valid; B 4.2" "30 04 02" \
	"$(rpl 44 | awk '{ print $3, $41, $42 }')"

# firmware 5.0 through EPL: 256 bytes in pages A0h
echo 100 >"$D/time_scale"
check_eq "Start Firmware Download (256 bytes)" 01 \
	"$(cdb 0x0101 0 00 00 01 00 00 00 00 00)"
xfer '50 7f w a0' >/dev/null
ok "EPL page A0h (128-byte write)" \
	xfer "50 80 w 4f 53 46 57 05 00 $(repeat 122 c3)"
xfer '50 7f w a1' >/dev/null
ok "EPL page A1h (128-byte write)" xfer "50 80 w $(repeat 128 3c)"
check_eq "a 129-byte write is NACKed" "error -5" \
	"$(xfer "50 80 w $(repeat 129 3c)")"
check_eq "Write Firmware Block EPL (256 bytes)" 01 "$(cdb 0x0104 256 00 00 00 00)"
check_eq "Complete Firmware Download" 01 "$(cdb 0x0107 0)"
check_eq "inactive image is now 5.0" "05 00" "$(inactive_fw)"
check_eq "Abort with nothing running is harmless" 01 "$(cdb 0x0102 0)"

echo 0 >"$D/time_scale"
check_eq "Run Firmware Image (hitless request) resets too" 00 \
	"$(cdb 0x0109 0 00 01 00 00)"
check_eq "running 5.0" "05 00" "$(active_fw)"
check_eq "firmware survives a software reset" "05 00" \
	"$(xfer '50 7f w 00' >/dev/null; xfer '50 1a w 08' >/dev/null; active_fw)"

ok "rmmod optic_sim" rmmod optic_sim
