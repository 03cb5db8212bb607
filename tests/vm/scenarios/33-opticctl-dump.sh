# SPDX-License-Identifier: GPL-2.0
# opticctl dump: the text dump format, --page/--bank, JSON, and a dump
# replayed into the simulator decoding as the original (CMIS and SFF-8472).
# Dump covers every page the module advertises (CMIS 03h, 04h, 12h-14h, VDM
# 20h-2Fh); a replayed image with VDM decodes its VDM section.

D=$SIM_DEBUGFS

ok "optic_sim loads" load_sim ports=2
ok "optic.ko loads" load_optic
ok "ports appear" wait_for 10 test -e "$OPTIC_CLASS/port1"
ok "port0 reaches ModuleReady" wait_for 20 sh -c \
	"opticctl -j show port0 | jq -e '.module_state == \"ready\"'"

ok "dump port0" sh -c "opticctl dump port0 >/tmp/d0"
check_eq "first line names the port" "# opticctl dump port0" "$(head -n 1 /tmp/d0)"
# the profile advertises user page 03h (01h:142 bit 2) and the diagnostics
# pages 13h-14h (bit 5), nothing else optional
check_eq "sections: pages 00 01 02 03 10 11 13 14" \
	"page 00,page 01,page 02,page 03,page 10,page 11,page 13,page 14," \
	"$(grep '^page' /tmp/d0 | tr '\n' ,)"
check_eq "every data line: offset and 16 bytes" 0 \
	"$(grep -v '^#\|^page' /tmp/d0 | grep -cvE '^[0-9a-f]{2}:( [0-9a-f]{2}){16}$')"
check_eq "page 00 has offsets 00-f0" 16 "$(sed -n '/^page 00/,/^page 01/p' /tmp/d0 | grep -c ':')"
check_eq "upper pages have offsets 80-f0" 8 "$(sed -n '/^page 11/,/^page 13/p' /tmp/d0 | grep -c ':')"
check_match "byte 0 is the identifier" "^00: 18 " "$(grep '^00:' /tmp/d0)"

p=$(opticctl dump port0 --page 11)
check_eq "--page 11: one section" "page 11" "$(printf '%s\n' "$p" | grep '^page')"
check_match "--page 11: 128-255" "^80: " "$p"
check_eq "--page 11 --bank 0 is the same section" "page 11" \
	"$(opticctl dump port0 --page 11 --bank 0 | grep '^page')"
fails "--bank without --page is a usage error" opticctl dump port0 --bank 1
out=$(opticctl dump port0 --page zz 2>&1)
check_eq "bad page: exit status 1" 1 "$?"

j=$(opticctl -j dump port0)
check_eq "JSON: port" port0 "$(printf '%s' "$j" | jq -r .port)"
check_eq "JSON: lower page + 8 upper pages" 9 "$(printf '%s' "$j" | jq '.pages | length')"
check_eq "JSON: 128 bytes per half, in hex" true "$(printf '%s' "$j" | jq '[.pages[].data | length == 256] | all')"
check_eq "JSON: first byte" 18 "$(printf '%s' "$j" | jq -r '.pages[0].data[0:2]')"

# replay port0 into port1 and decode it: unplug, load the image (which plugs
# the module in), so the driver identifies it afresh
replug_image() { # PORT FILE
	echo 0 >$D/$1/present
	wait_for 10 sh -c "opticctl -j list | jq -e '.[] | select(.port == \"$1\") | .present == false'" &&
		cat "$2" >$D/$1/image
}
ok "load the dump into port1" replug_image port1 /tmp/d0
ok "port1 decodes the replayed image" wait_for 10 sh -c \
	"opticctl -j show port1 | jq -e '.vendor_sn == \"$(cat $OPTIC_CLASS/port0/vendor_sn)\"'"
id='{vendor_name,vendor_oui,vendor_pn,vendor_rev,vendor_sn,date_code,identifier,connector,max_power_w,applications}'
check_eq "replayed identity equals the original" \
	"$(opticctl -j show port0 | jq -c "$id")" "$(opticctl -j show port1 | jq -c "$id")"
check_eq "replayed thresholds equal the original" \
	"$(opticctl -j show port0 | jq -c .thresholds)" "$(opticctl -j show port1 | jq -c .thresholds)"
ok "dump port1" sh -c "opticctl dump port1 >/tmp/d1"
check_eq "page 00h upper half round-trips byte for byte" \
	"$(sed -n '/^page 00/,/^page 01/p' /tmp/d0 | grep -E '^[89a-f]0:')" \
	"$(sed -n '/^page 00/,/^page 01/p' /tmp/d1 | grep -E '^[89a-f]0:')"
check_eq "offline decode of the dump" OSM-QDD-400G-DR4 "$(opticctl -j decode /tmp/d0 | jq -r .vendor_pn)"

# An image advertising VDM (01h:142 bit 6; 2Fh:128 = 00h: one group),
# diagnostic pages 13h-14h (bit 5) and a tunable transmitter (01h:155 bit 6,
# pages 04h and 12h). Later lines override the dump's bytes. VDM group 1:
# instance 0 laser temperature (type 4) lane 1 = 2D80h = 45.50 degC with
# threshold set 0 (80, -5, 75, 0 degC); instance 1 pre-FEC BER current media
# (type 15) lane 2 = 84D2h (F16: 1234e-8); instance 2 type 99h (unknown).
{
	cat /tmp/d0
	printf 'page 01\n8e: 64\n9b: 42\n'
	printf 'page 04\n80: 04\npage 12\n80: 12\npage 13\n80: 13\npage 14\n80: 14\n'
	printf 'page 2f\n80: 00\n'
	printf 'page 20\n80: 00 04 01 0f 00 99\n'
	printf 'page 24\n80: 2d 80 84 d2 12 34\n'
	printf 'page 28\n80: 50 00 fb 00 4b 00 00 00\n'
	printf 'page 2c\n80: 00\npage 2d\n80: 00\n'
} >/tmp/vdm
ok "load the VDM image into port1" replug_image port1 /tmp/vdm
ok "port1 decodes VDM" wait_for 10 sh -c \
	"opticctl -j show port1 | jq -e '.vdm | length == 3'"
vj=$(opticctl -j show port1)
check_eq "VDM: laser temperature, lane 1, 45.5 degC" '4 laser_temperature_c 1 45.5 °C' \
	"$(printf '%s' "$vj" | jq -r '.vdm[0] | "\(.type_id) \(.key) \(.lane) \(.value) \(.unit)"')"
check_eq "VDM: its thresholds" '80 -5 75 0' \
	"$(printf '%s' "$vj" | jq -r '.vdm[0].thresholds | "\(.high_alarm) \(.low_alarm) \(.high_warning) \(.low_warning)"')"
check_eq "VDM: pre-FEC BER (F16)" '15 2 1.234e-05' \
	"$(printf '%s' "$vj" | jq -r '.vdm[1] | "\(.type_id) \(.lane) \(.value)"')"
check_eq "VDM: unknown type ID" 'unknown (0x99) null' \
	"$(printf '%s' "$vj" | jq -r '.vdm[2] | "\(.name) \(.key)"')"
vt=$(opticctl show port1)
check_match "VDM text: section" "^	VDM:$" "$vt"
check_match "VDM text: laser temperature" \
	"Laser temperature, lane 1 +: 45.50 °C \(alarm -5.00..80.00, warning 0.00..75.00\)" "$vt"
check_match "VDM text: unknown type" "unknown \(0x99\), lane 1 +: 0x1234" "$vt"
check_eq "dump: the advertised pages" \
	"page 00,page 01,page 02,page 03,page 04,page 10,page 11,page 12,page 13,page 14,page 20,page 24,page 28,page 2c,page 2d,page 2f," \
	"$(opticctl dump port1 | grep '^page' | tr '\n' ,)"
check_eq "dump: page 12h bank 0 as loaded" "80: 12" \
	"$(opticctl dump port1 | sed -n '/^page 12/,/^page 13/p' | grep '^80:' | cut -c1-6)"
check_eq "decode of the dump: the same VDM" "$(printf '%s' "$vj" | jq -c .vdm)" \
	"$(opticctl dump port1 | opticctl -j decode - | jq -c .vdm)"

# SFF-8472: A0h and A2h (i2c 51) sections
ok "port0 becomes an SFP+" sh -c "echo sfp-10g-sr >$D/port0/profile"
ok "port0 decodes as SFF-8472" wait_for 10 sh -c \
	"opticctl -j show port0 | jq -e '.spec == \"sff8472\"'"
ok "dump the SFP+" sh -c "opticctl dump port0 >/tmp/s0"
check_eq "SFP+ sections: A0h page 00, A2h page 00" "page 00,page 00 i2c 51," \
	"$(grep '^page' /tmp/s0 | tr '\n' ,)"
check_eq "--i2c-addr 0x51 dumps A2h" "page 00 i2c 51" \
	"$(opticctl dump port0 --i2c-addr 0x51 | grep '^page')"
ok "load the SFP+ dump into port1" replug_image port1 /tmp/s0
ok "port1 decodes as the SFP+" wait_for 10 sh -c \
	"opticctl -j show port1 | jq -e '.spec == \"sff8472\" and .vendor_pn == \"OSM-SFP-10G-SR\"'"
check_eq "replayed SFP+ thresholds equal the original" \
	"$(opticctl -j show port0 | jq -c .thresholds)" "$(opticctl -j show port1 | jq -c .thresholds)"

# The eeprom file has optoe's layout (docs/ABI/testing/sysfs-class-optic):
# a copy of it, or its hexdump, decodes as the live module.
static_facts='{vendor_pn, vendor_sn, thresholds}'
ok "copy port0's eeprom file (SFF-8472: A0h, then A2h at 256)" \
	sh -c "cat $OPTIC_CLASS/port0/eeprom >/tmp/e0.bin"
check_eq "SFF-8472 file: 512 bytes" 512 "$(wc -c </tmp/e0.bin)"
check_eq "the SFP's file decodes as the module" \
	"$(opticctl -j show port0 | jq -c "$static_facts")" \
	"$(opticctl -j decode /tmp/e0.bin | jq -c "$static_facts")"
check_eq "read as a binary EEPROM image" '"binary EEPROM image"' \
	"$(opticctl -j decode /tmp/e0.bin | jq -c .input_format)"
ok "port0 becomes a QSFP-DD" sh -c "echo qsfpdd-400g-dr4 >$D/port0/profile"
ok "port0 decodes as CMIS" wait_for 10 sh -c \
	"opticctl -j show port0 | jq -e '.spec == \"cmis\"'"
ok "copy the lower page and pages 00h-11h (page P at 128 + 128 * P)" \
	sh -c "dd if=$OPTIC_CLASS/port0/eeprom of=/tmp/e1.bin bs=128 count=19"
check_eq "the CMIS file decodes as the module" \
	"$(opticctl -j show port0 | jq -c "$static_facts")" \
	"$(opticctl -j decode /tmp/e1.bin | jq -c "$static_facts")"
ok "hexdump -C of it" sh -c "hexdump -C /tmp/e1.bin >/tmp/e1.txt"
check_eq "its hexdump decodes the same" \
	"$(opticctl -j decode /tmp/e1.bin | jq -c "$static_facts")" \
	"$(opticctl -j decode /tmp/e1.txt | jq -c "$static_facts")"
head -c 300 /tmp/e1.bin >/tmp/e1.cut
out=$(opticctl decode /tmp/e1.cut 2>&1)
check_eq "a truncated copy: exit status 3 (bad data)" 3 "$?"
check_match "a truncated copy: the offset named" "offset 0x100: truncated" "$out"

ok "port1 becomes an empty cage" sh -c "echo empty >$D/port1/profile"
ok "port1 reports no module" wait_for 10 sh -c \
	"opticctl -j list | jq -e '.[1].present == false'"
out=$(opticctl dump port1 2>&1)
check_eq "dump of an empty cage: exit status 2" 2 "$?"
check_match "dump of an empty cage: says so" "port1: no module present" "$out"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
