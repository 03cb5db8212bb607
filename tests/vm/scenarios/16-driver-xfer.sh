# SPDX-License-Identifier: GPL-2.0
# optic.ko bus access methods (module parameter xfer_mode): combined I2C
# write-read, SMBus I2C block (32 bytes) and SMBus byte data each read the
# same pages as the simulator holds, with the expected number of bus
# transactions, and write through the same method.
# timeout: 240

# Upper half of a page in the sim image, hex without blanks.
img_upper() { # PORT HEADER
	awk -v h="$2" '/^page / { cur = $0; next }
		cur == h && index("89abcdef", substr($1, 1, 1)) {
			for (i = 2; i <= NF; i++) printf "%s", $i }' \
		"$SIM_DEBUGFS/port$1/image"
}

file_page() { # PORT FILE_OFFSET_IN_128_BLOCKS
	dd if=$OPTIC_CLASS/port$1/eeprom bs=128 skip=$2 count=1 2>/dev/null |
		od -An -tx1 -v | tr -d ' \n'
}

xact() { cat "$SIM_DEBUGFS/port$1/transactions"; }

load_sim ports=2
echo sfp-10g-sr >"$SIM_DEBUGFS/port1/profile"

for mode in 1 2 3; do
	case $mode in
	1) name=i2c per_page=1 ;;
	2) name=smbus-block per_page=4 ;;
	3) name=smbus-byte per_page=128 ;;
	esac
	ok "$name: optic loads" load_optic poll_ms=0 xfer_mode=$mode
	check_eq "$name: vendor_pn" OSM-QDD-400G-DR4 "$(cat $OPTIC_CLASS/port0/vendor_pn)"
	check_eq "$name: CMIS page 01h" "$(img_upper 0 'page 01')" "$(file_page 0 2)"
	file_page 0 17 >/dev/null	# page 10h selected now
	t0=$(xact 0)
	got=$(file_page 0 17)
	check_eq "$name: CMIS page 10h" "$(img_upper 0 'page 10')" "$got"
	check_eq "$name: $per_page transaction(s) for 128 bytes" $per_page $(($(xact 0) - t0))
	check_eq "$name: SFF-8472 A2h upper page 00h" \
		"$(img_upper 1 'page 00 i2c 51')" "$(file_page 1 3)"
	ok "$name: write 8 bytes to page 03h" sh -c \
		"printf '\\x1$mode\\x22\\x33\\x44\\x55\\x66\\x77\\x88' |
		 dd of=$OPTIC_CLASS/port0/eeprom bs=8 seek=$(((128 + 3 * 128) / 8)) 2>/dev/null"
	check_match "$name: written bytes in the module" \
		"^1${mode}22334455667788" "$(img_upper 0 'page 03')"
	ok "$name: rmmod optic" rmmod optic
done
ok "rmmod optic_sim" rmmod optic_sim
