# SPDX-License-Identifier: GPL-2.0
# opticctl dump: the text dump format, --page/--bank, JSON, and a dump
# replayed into the simulator decoding as the original (CMIS and SFF-8472).

D=$SIM_DEBUGFS

ok "optic_sim loads" load_sim ports=2
ok "optic.ko loads" load_optic
ok "ports appear" wait_for 10 test -e "$OPTIC_CLASS/port1"
ok "port0 reaches ModuleReady" wait_for 20 sh -c \
	"opticctl -j show port0 | jq -e '.module_state == \"ready\"'"

ok "dump port0" sh -c "opticctl dump port0 >/tmp/d0"
check_eq "first line names the port" "# opticctl dump port0" "$(head -n 1 /tmp/d0)"
check_eq "sections: pages 00 01 02 10 11" "page 00,page 01,page 02,page 10,page 11," \
	"$(grep '^page' /tmp/d0 | tr '\n' ,)"
check_eq "every data line: offset and 16 bytes" 0 \
	"$(grep -v '^#\|^page' /tmp/d0 | grep -cvE '^[0-9a-f]{2}:( [0-9a-f]{2}){16}$')"
check_eq "page 00 has offsets 00-f0" 16 "$(sed -n '/^page 00/,/^page 01/p' /tmp/d0 | grep -c ':')"
check_eq "upper pages have offsets 80-f0" 8 "$(sed -n '/^page 11/,$p' /tmp/d0 | grep -c ':')"
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
check_eq "JSON: lower page + 5 upper pages" 6 "$(printf '%s' "$j" | jq '.pages | length')"
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

ok "port1 becomes an empty cage" sh -c "echo empty >$D/port1/profile"
ok "port1 reports no module" wait_for 10 sh -c \
	"opticctl -j list | jq -e '.[1].present == false'"
out=$(opticctl dump port1 2>&1)
check_eq "dump of an empty cage: exit status 2" 2 "$?"
check_match "dump of an empty cage: says so" "port1: no module present" "$out"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
