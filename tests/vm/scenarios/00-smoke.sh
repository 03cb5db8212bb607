# SPDX-License-Identifier: GPL-2.0
# The first end-to-end slice: optic_sim's modules read raw over i2c-dev are the
# reference; optic.ko's sysfs and eeprom file, and opticctl over netlink, must
# show the same bytes; both modules unload cleanly.

# raw BUS PAGE OFFSET LEN: bytes as "0x.." words, read with the page selected
# through byte 127 exactly as the module sees it.
raw() {
	i2ctransfer -y "$1" w2@0x50 127 "$2" && i2ctransfer -y "$1" w1@0x50 "$3" r"$4"
}

# Bytes of a file as "0x.." words.
file_bytes() { # FILE OFFSET LEN
	dd if="$1" bs=1 skip="$2" count="$3" 2>/dev/null | od -An -tx1 -v |
		tr -s ' \n' ' ' | sed 's/^ //; s/ $//; s/\([0-9a-f][0-9a-f]\)/0x\1/g'
}

# An ASCII field from "0x.." words, trailing blanks removed.
ascii() { printf "$(echo "$1" | sed 's/0x/\\x/g; s/ //g')" | sed 's/ *$//'; }

ok "optic_sim loads with two ports" load_sim ports=2
ok "i2c-dev loads" load_i2c_dev
bus0=$(sim_bus 0)
bus1=$(sim_bus 1)
check_match "adapters are registered" '^[0-9]+ [0-9]+$' "$bus0 $bus1"

# CMIS 5.2 Table 8-28: vendor name 129-144, PN 148-163, SN 166-181 (page 00h).
id=$(i2ctransfer -y "$bus0" w1@0x50 0 r1)
name=$(raw "$bus0" 0 129 16)
pn=$(raw "$bus0" 0 148 16)
sn0=$(raw "$bus0" 0 166 16)
sn1=$(raw "$bus1" 0 166 16)
thresholds=$(raw "$bus0" 2 128 16)
check_eq "the module is a QSFP-DD (0x18)" 0x18 "$id"
check_match "the vendor name is ASCII" '^[ -~]+$' "$(ascii "$name")"
fails "each port has its own serial number" test "$sn0" = "$sn1"
fails "page 02h reads back other bytes than page 00h" \
	test "$thresholds" = "$(raw "$bus0" 0 128 16)"

ok "optic.ko loads" load_optic
ok "both ports appear in /sys/class/optic" wait_for 5 test -e "$OPTIC_CLASS/port1/vendor_sn"
d=$OPTIC_CLASS/port0
check_eq "sysfs identifier" 0x18 "$(cat "$d/identifier" | cut -d' ' -f1)"
check_eq "sysfs vendor_name" "$(ascii "$name")" "$(cat "$d/vendor_name")"
check_eq "sysfs vendor_pn" "$(ascii "$pn")" "$(cat "$d/vendor_pn")"
check_eq "sysfs vendor_sn of port0" "$(ascii "$sn0")" "$(cat "$d/vendor_sn")"
check_eq "sysfs vendor_sn of port1" "$(ascii "$sn1")" "$(cat "$OPTIC_CLASS/port1/vendor_sn")"
check_eq "eeprom file: page 00h vendor name" "$name" "$(file_bytes "$d/eeprom" 129 16)"
check_eq "eeprom file: page 02h thresholds" "$thresholds" \
	"$(file_bytes "$d/eeprom" $((128 + 2 * 128)) 16)"

check_match "opticctl list shows both ports" "port0 .*$(ascii "$pn")" "$(opticctl list)"
check_eq "opticctl --json list: two ports" 2 "$(opticctl --json list | jq length)"
check_eq "opticctl --json show: vendor_sn over netlink" "$(ascii "$sn1")" \
	"$(opticctl --json show port1 | jq -r .vendor_sn)"
check_eq "opticctl --json show: identifier" 24 \
	"$(opticctl --json show port0 | jq -r .identifier)"

ok "rmmod optic" rmmod optic
fails "the class devices are gone" test -e "$d"
ok "rmmod optic_sim" rmmod optic_sim
fails "the simulated adapters are gone" sim_bus 0
