# SPDX-License-Identifier: GPL-2.0
# optic.ko register access: every upper page (and bank) the simulated module
# has reads back through the eeprom file at the documented offset, for CMIS,
# SFF-8636 and SFF-8472 (A0h/A2h); redundant page selects are skipped; flat
# modules never see a page write; a new module invalidates the cache.
# timeout: 240

# The hex bytes (one per line) of one half of a page in a sim image dump.
# img_hex IMAGE HEADER upper|lower
img_hex() {
	awk -v h="$2" -v half="$3" '
		/^page / { cur = $0; next }
		/^#/ { next }
		cur == h {
			up = index("89abcdef", substr($1, 1, 1)) > 0
			if ((half == "upper") == up)
				for (i = 2; i <= NF; i++) print $i
		}' "$1"
}

# Bytes [OFF, OFF+LEN) of a file, one hex byte per line.
file_hex() {
	dd if="$1" bs=1 skip="$2" count="$3" 2>/dev/null | od -An -tx1 -v |
		tr -s ' ' '\n' | sed '/^$/d'
}

# File offset of a header's upper half: CMIS/SFF-8636 or SFF-8472 layout.
upper_offset() { # SPEC PAGE BANK A2
	if [ "$1" = sff8472 ]; then
		if [ "$4" = 1 ]; then echo $((384 + $2 * 128)); else echo 128; fi
	else
		echo $((128 + ($3 * 256 + $2) * 128))
	fi
}

# Compare every upper page of the image except volatile ones.
check_pages() { # PORT SPEC
	local port=$1 spec=$2 img=/tmp/img.$1 d=/sys/class/optic/port$1
	local hdr page bank a2 off n=0 bad=0
	cat "$SIM_DEBUGFS/port$port/image" >"$img"
	grep '^page ' "$img" >/tmp/hdrs.$port
	while read -r hdr; do
		set -- $hdr
		page=$((0x$2)) bank=0 a2=0
		case "$hdr" in *bank*) bank=$4 ;; esac
		case "$hdr" in *"i2c 51"*) a2=1 ;; esac
		# CMIS page 11h: live monitors, flags and states.
		[ "$spec" = cmis ] && [ "$page" = 17 ] && continue
		off=$(upper_offset "$spec" "$page" "$bank" "$a2")
		img_hex "$img" "$hdr" upper >/tmp/exp
		file_hex "$d/eeprom" "$off" 128 >/tmp/got
		n=$((n + 1))
		if ! cmp -s /tmp/exp /tmp/got; then
			bad=1
			diag "port$port '$hdr' at file offset $off differs"
			paste /tmp/exp /tmp/got | awk '$1 != $2' | head -4 | sed 's/^/#   /'
		fi
	done </tmp/hdrs.$port
	diag "port$port: $n pages compared"
	[ "$n" -gt 0 ] && [ "$bad" = 0 ]
}

selects() { cat "$SIM_DEBUGFS/port$1/page_selects"; }

load_sim ports=4
echo qsfp28-100g-cwdm4 >"$SIM_DEBUGFS/port1/profile"
echo sfp-10g-sr >"$SIM_DEBUGFS/port2/profile"
echo cmis-flat-copper >"$SIM_DEBUGFS/port3/profile"
ok "optic loads (no poll)" load_optic poll_ms=0

check_eq "port0 spec" cmis "$(cat $OPTIC_CLASS/port0/spec)"
check_eq "port1 spec" sff8636 "$(cat $OPTIC_CLASS/port1/spec)"
check_eq "port2 spec" sff8472 "$(cat $OPTIC_CLASS/port2/spec)"
check_eq "port3 spec" cmis "$(cat $OPTIC_CLASS/port3/spec)"
ok "CMIS pages match the module" check_pages 0 cmis
ok "SFF-8636 pages match the module" check_pages 1 sff8636
ok "SFF-8472 A0h/A2h pages match the module" check_pages 2 sff8472
img_hex /tmp/img.2 "page 00" lower >/tmp/exp
file_hex $OPTIC_CLASS/port2/eeprom 0 128 >/tmp/got
ok "SFF-8472 A0h lower half at offset 0" cmp /tmp/exp /tmp/got
check_eq "SFF-8472 A2h byte 0 at offset 256 (identifier A0h != A2h)" \
	"$(img_hex /tmp/img.2 'page 00 i2c 51' lower | head -n 1)" \
	"$(file_hex $OPTIC_CLASS/port2/eeprom 256 1)"

# Page select bookkeeping (CMIS port 0, poll off).
d=$OPTIC_CLASS/port0
file_hex $d/eeprom $((128 + 0x10 * 128)) 128 >/dev/null
s1=$(selects 0)
file_hex $d/eeprom $((128 + 0x10 * 128)) 128 >/dev/null
check_eq "same page again: no page select" "$s1" "$(selects 0)"
file_hex $d/eeprom $((128 + 0x01 * 128)) 128 >/dev/null
check_eq "cached page 01h: no page select" "$s1" "$(selects 0)"
t0=$(cat "$SIM_DEBUGFS/port0/transactions")
cat $d/vendor_name $d/vendor_pn $d/vendor_sn $d/date_code >/dev/null
check_eq "identity from the cache: no bus traffic" "$t0" \
	"$(cat "$SIM_DEBUGFS/port0/transactions")"
# Cached bytes cost one identifier read unless the cage was checked within
# swap_check_ms: both sides, with the window set rather than timed.
swap_check=/sys/module/optic/parameters/swap_check_ms
echo 0 >$swap_check
dd if=$d/eeprom of=/dev/null bs=128 count=1 skip=3 2>/dev/null
check_eq "page 02h from the cache, cage not checked recently: one identifier read" \
	"$((t0 + 1))" "$(cat "$SIM_DEBUGFS/port0/transactions")"
echo 3600000 >$swap_check
dd if=$d/eeprom of=/dev/null bs=128 count=1 skip=3 2>/dev/null
check_eq "page 02h from the cache, cage just checked: no bus traffic" \
	"$((t0 + 1))" "$(cat "$SIM_DEBUGFS/port0/transactions")"
echo 50 >$swap_check
file_hex $d/eeprom $((128 + 0x11 * 128)) 16 >/dev/null
file_hex $d/eeprom $((128 + 0x10 * 128)) 16 >/dev/null
check_eq "two other pages: two selects" "$((s1 + 2))" "$(selects 0)"
s1=$(selects 0)
for i in 1 2; do
	dd if=$d/eeprom of=/dev/null bs=16 count=1 skip=$(((128 + 0x9f * 128) / 16)) 2>/dev/null
done
check_eq "CDB page 9Fh is selected on every access" "$((s1 + 2))" "$(selects 0)"
# Two NACKs: one retry is not enough, the access fails.
echo 2 >"$SIM_DEBUGFS/port0/fault_nack_next"
fails "a NACKed read fails" dd if=$d/eeprom of=/dev/null bs=16 count=1 \
	skip=$(((128 + 0x10 * 128) / 16))
s1=$(selects 0)
file_hex $d/eeprom $((128 + 0x10 * 128)) 16 >/dev/null
check_eq "after an error the page is selected again" "$((s1 + 1))" "$(selects 0)"

# Flat memory: no page writes, file ends after page 00h.
s1=$(selects 3)
check_eq "flat module: eeprom file holds lower + page 00h" 256 \
	"$(cat $OPTIC_CLASS/port3/eeprom | wc -c)"
check_eq "flat module: no page select written" "$s1" "$(selects 3)"

# A swap the driver has not seen yet (poll off, no presence line): cached
# bytes of the old module are never served beside the new module's live ones.
# The sim swaps at once; no hand swaps a module within 50 ms of the driver's
# last look at the cage, the window the driver trusts its cache for.
echo qsfp28-100g-cwdm4 >"$SIM_DEBUGFS/port0/profile"
sleep 0.1
check_eq "swap unseen: page 00h is the new module's" \
	OSM-Q28-100G-CW4 \
	"$(dd if=$d/eeprom bs=1 skip=168 count=16 2>/dev/null)"
check_eq "swap unseen: identifier is the new module's" 11 \
	"$(file_hex $d/eeprom 0 1)"
check_eq "swap unseen: the driver re-identified" sff8636 "$(cat $d/spec)"
echo qsfpdd-400g-dr4 >"$SIM_DEBUGFS/port0/profile"
sleep 0.1
check_eq "swapped back: page 00h is the CMIS module's" OSM-QDD-400G-DR4 \
	"$(dd if=$d/eeprom bs=1 skip=148 count=16 2>/dev/null)"
check_eq "swapped back: CMIS again" cmis "$(cat $d/spec)"

# Banked pages from an image: page 10h of banks 0 and 1 differ.
{
	echo "page 00"
	echo "00: 18 50 00 07 00 00 00 00 00 00 00 00 00 00 00 00"
	echo "80: 18 42 41 4e 4b 45 44 20 20 20 20 20 20 20 20 20"
	echo "90: 20 00 00 00 42 41 4e 4b 2d 50 4e 20 20 20 20 20"
	echo "page 10"
	echo "80: 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10"
	echo "page 10 bank 1"
	echo "80: b1 b1 b1 b1 b1 b1 b1 b1 b1 b1 b1 b1 b1 b1 b1 b1"
	echo "page 12 bank 1"
	echo "80: c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 c1"
} >/tmp/banked.img
echo 0 >"$SIM_DEBUGFS/port0/present"
check_eq "removal seen" 0 "$(cat $d/present)"
cat /tmp/banked.img >"$SIM_DEBUGFS/port0/image"
echo 1 >"$SIM_DEBUGFS/port0/present"
check_eq "insertion seen" 1 "$(cat $d/present)"
if grep -q '^profile: image' "$SIM_DEBUGFS/port0/state"; then
	check_eq "new module identity, cache invalidated" "BANKED" "$(cat $d/vendor_name)"
	check_eq "bank 0 page 10h" "10" "$(file_hex $d/eeprom $((128 + 0x10 * 128)) 1)"
	check_eq "bank 1 page 10h" "b1" "$(file_hex $d/eeprom $((128 + (256 + 0x10) * 128)) 1)"
	check_eq "bank 1 page 12h" "c1" "$(file_hex $d/eeprom $((128 + (256 + 0x12) * 128)) 1)"
	check_eq "bank 0 page 10h again" "10" "$(file_hex $d/eeprom $((128 + 0x10 * 128)) 1)"
else
	fail "optic_sim loaded the banked image"
fi

# Swap to another spec on a port: identity follows.
echo sfp-10g-sr >"$SIM_DEBUGFS/port1/profile"
check_eq "swapped module detected" 1 "$(cat $OPTIC_CLASS/port1/present)"
check_eq "swapped module: new spec" sff8472 "$(cat $OPTIC_CLASS/port1/spec)"
check_match "swapped module: new part number" SFP "$(cat $OPTIC_CLASS/port1/vendor_pn)"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
