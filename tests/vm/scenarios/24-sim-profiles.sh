# SPDX-License-Identifier: GPL-2.0
# optic_sim built-in profiles (each identifies as itself, with the memory
# map rules of its spec), hot plug through "present", new_port/del_port, and
# module images: dump -> load round trip, hand-written image, bad image.

D=$SIM_DEBUGFS

xfer() { echo "$2" >"$D/port$1/xfer" && cat "$D/port$1/xfer"; }
byte() { printf '%d' "0x$(xfer "$1" "50 $2 r 1" | sed 's/^ok //')"; }
ascii() {
	xfer "$1" "$2 $3 r $4" | sed 's/^ok //' | while read -r line; do
		for b in $line; do printf "\\$(printf %03o "0x$b")"; done
	done
}
profile() { echo "$2" >"$D/port$1/profile"; }

ok "optic_sim loads with 2 ports" load_sim ports=2 attach=0
check_match "profiles lists the built-ins" 'osfp-800g-2xdr4' "$(cat $D/profiles)"
for p in qsfpdd-400g-dr4 osfp-800g-2xdr4 qsfpdd-400g-fr4 qsfp112-400g \
	qsfp28-100g-cwdm4 sfp-10g-sr cmis-flat-copper empty; do
	check_match "profile $p listed" "^$p " "$(cat $D/profiles)"
done
fails "unknown profile rejected" profile 0 no-such-module

echo 0 >"$D/port0/time_scale"
profile 0 osfp-800g-2xdr4
check_eq "osfp: identifier 0x19" "ok 19" "$(xfer 0 '50 00 r 1')"
check_eq "osfp: app 1 = 800GAUI-8 S / 800GBASE-DR8, 8+8 lanes" "ok 51 56 88 01" \
	"$(xfer 0 '50 56 r 4')"
check_eq "osfp: app 2 = 400GAUI-4-S / 400GBASE-DR4" "ok 4f 1c 44 11" \
	"$(xfer 0 '50 5a r 4')"
xfer 0 '50 7f w 00' >/dev/null
check_eq "osfp: vendor PN" "LXO-8D2-DR4     " "$(ascii 0 50 94 16)"
check_eq "osfp: power class 8, 16 W" "ok e0 40" "$(xfer 0 '50 c8 r 2')"
xfer 0 '50 7f w 01' >/dev/null
check_eq "osfp: CDB advertised (01h:163)" "ok 65" "$(xfer 0 '50 a3 r 1')"
xfer 0 '50 7f w 11' >/dev/null
check_eq "osfp: 8 lanes active after the hot plug (time_scale 0)" \
	"ok 44 44 44 44" "$(xfer 0 '50 80 r 4')"
check_eq "osfp: one data path of 8 lanes, application 1 (11h:206)" \
	"ok 10 10 10 10 10 10 10 10" "$(xfer 0 '50 ce r 8')"

profile 0 qsfpdd-400g-fr4
check_eq "fr4: CMIS 4.0, QSFP-DD" "ok 18 40" "$(xfer 0 '50 00 r 2')"
check_eq "fr4: 400GBASE-FR4 media id" "ok 11 1d" "$(xfer 0 '50 56 r 2')"
check_eq "fr4: page select reset by the new module" "ok 00" "$(xfer 0 '50 7f r 1')"

profile 0 qsfp112-400g
check_eq "qsfp112: identifier 0x1e" "ok 1e" "$(xfer 0 '50 00 r 1')"
xfer 0 '50 7f w 11' >/dev/null
check_eq "qsfp112: 4 lanes only" "ok 44 44 00 00" "$(xfer 0 '50 80 r 4')"

profile 0 qsfp28-100g-cwdm4
check_eq "qsfp28: identifier 0x11, SFF-8636 rev" "ok 11 08" "$(xfer 0 '50 00 r 2')"
xfer 0 '50 7f w 00' >/dev/null
check_eq "qsfp28: vendor PN at 168" "OSM-Q28-100G-CW4" "$(ascii 0 50 a8 16)"
check_eq "qsfp28: extended compliance 100G CWDM4" "ok 06" "$(xfer 0 '50 c0 r 1')"
t=$(( $(byte 0 16) * 256 + $(byte 0 17) ))
check_match "qsfp28: temperature at bytes 22-23 ($t)" '^ok$' \
	"$( [ $t -gt $((30 * 256)) ] && [ $t -lt $((45 * 256)) ] && echo ok)"
echo "noise rx_power all 0" >"$D/port0/monitor"
echo "set rx_power 0 3000" >"$D/port0/monitor"
check_eq "qsfp28: Rx LOS lane 1 latched (byte 3)" 1 $(($(byte 0 03) & 1))
check_eq "qsfp28: Rx power low alarm + warning lane 1 (byte 9)" 80 "$(byte 0 09)"
check_eq "qsfp28: IntL asserted (byte 2 bit 1 = 0)" 0 $(($(byte 0 02) & 2))
echo "set rx_power 0 700000" >"$D/port0/monitor"
byte 0 03 >/dev/null; byte 0 09 >/dev/null
check_eq "qsfp28: flags cleared on read" "ok 00 00 00 00 00 00 00" \
	"$(xfer 0 '50 03 r 7')"
xfer 0 '50 56 w 01' >/dev/null
check_eq "qsfp28: Tx disable lane 1 (byte 86): Tx power 0" "ok 00 00" \
	"$(xfer 0 '50 32 r 2')"
xfer 0 '50 7f w 03' >/dev/null
check_eq "qsfp28: page 03h temp high alarm 75 degC" "ok 4b 00" "$(xfer 0 '50 80 r 2')"

profile 0 sfp-10g-sr
check_eq "sfp: A0h identifier 0x03" "ok 03" "$(xfer 0 '50 00 r 1')"
check_eq "sfp: A0h vendor PN" "OSM-SFP-10G-SR  " "$(ascii 0 50 28 16)"
check_eq "sfp: DDM, internally calibrated (A0h:92)" "ok 68" "$(xfer 0 '50 5c r 1')"
check_eq "sfp: A0h byte 127 is memory, not a page select" "ok 00" \
	"$(xfer 0 '50 7f w 05' >/dev/null; xfer 0 '50 7f r 1')"
check_match "sfp: A2h answers at 0x51" '^ok ' "$(xfer 0 '51 60 r 10')"
t=$(printf '%d' 0x$(xfer 0 '51 60 r 1' | sed 's/^ok //'))
check_match "sfp: A2h temperature MSB ~36 degC ($t)" '^ok$' \
	"$( [ $t -ge 34 ] && [ $t -le 38 ] && echo ok)"
xfer 0 '51 6e w 40' >/dev/null
check_eq "sfp: soft Tx disable -> Tx power 0 (A2h:102)" "ok 00 00" \
	"$(xfer 0 '51 66 r 2')"
check_eq "sfp: Tx disable state bit 7 (A2h:110)" 192 \
	"$(printf '%d' 0x$(xfer 0 '51 6e r 1' | sed 's/^ok //'))"
check_eq "sfp: A2h thresholds are read-only" "ok 4b 00" \
	"$(xfer 0 '51 00 w 00' >/dev/null; xfer 0 '51 00 r 2')"
check_eq "sfp: A2h user EEPROM (page 00h 128) is writable" "ok 5a" \
	"$(xfer 0 '51 80 w 5a' >/dev/null; xfer 0 '51 80 r 1')"

profile 0 cmis-flat-copper
check_eq "flat: memory model flat (byte 2 bit 7)" "ok 80" "$(xfer 0 '50 02 r 1')"
check_eq "flat: page select ignored" "ok 00" \
	"$(xfer 0 '50 7f w 01' >/dev/null; xfer 0 '50 7f r 1')"
check_eq "flat: page 00h readable, copper media" "ok 03" "$(xfer 0 '50 55 r 1')"

profile 0 empty
check_eq "empty cage NACKs" "error -6" "$(xfer 0 '50 00 r 1')"
fails "cannot insert nothing" sh -c "echo 1 >$D/port0/present"

profile 0 qsfpdd-400g-dr4
check_eq "a new module is present" 1 "$(cat $D/port0/present)"
echo 0 >"$D/port0/present"
check_eq "present=0: unplugged, NACK" "error -6" "$(xfer 0 '50 00 r 1')"
echo 1 >"$D/port0/present"
check_eq "present=1: plugged again" "ok 18" "$(xfer 0 '50 00 r 1')"

# images
cat "$D/port1/image" >/tmp/img1
check_match "image dump has section lines" '^page 11$' "$(cat /tmp/img1)"
check_match "image dump has offset lines" '^80: 18 4f 50 54' "$(cat /tmp/img1)"
profile 1 sfp-10g-sr
ok "load the dump of the QSFP-DD into port 1" sh -c "cat /tmp/img1 >$D/port1/image"
check_eq "port 1 now replays the image" image "$(cat $D/port1/profile)"
check_eq "replayed identifier" "ok 18" "$(xfer 1 '50 00 r 1')"
cat "$D/port1/image" >/tmp/img2
check_eq "dump -> load -> dump round-trips" "$(grep -v '^#' /tmp/img1)" \
	"$(grep -v '^#' /tmp/img2)"
check_eq "image keeps its banked page select rules" "ok 11" \
	"$(xfer 1 '50 7f w 11' >/dev/null; xfer 1 '50 7f r 1')"

printf 'page 00\n00: 11 08 02\n80: 11 00 07\n94: 41 43 4d 45\n' >/tmp/img3
ok "hand-written SFF-8636 image" sh -c "cat /tmp/img3 >$D/port1/image"
check_eq "hand-written image: identifier" "ok 11 08 02" "$(xfer 1 '50 00 r 3')"
check_eq "hand-written image: vendor bytes" "ok 41 43 4d 45" \
	"$(xfer 1 '50 7f w 00' >/dev/null; xfer 1 '50 94 r 4')"
printf 'page 00\nzz: 11\n' >/tmp/bad
cat /tmp/bad >"$D/port1/image" 2>/dev/null
check_eq "a malformed image is rejected, old module kept" "ok 11 08 02" \
	"$(xfer 1 '50 00 r 3')"
check_match "the rejection is logged" 'image rejected: -22' "$(dmesg | tail -n 3)"

printf 'page 00\n00: 03 04 07\npage 00 i2c 51\n60: 1e 00\n' >/tmp/img4
ok "SFF-8472 image with an A2h section" sh -c "cat /tmp/img4 >$D/port1/image"
check_eq "A2h replayed at 0x51" "ok 1e 00" "$(xfer 1 '51 60 r 2')"

ok "new_port adds a port" sh -c "echo qsfp28-100g-cwdm4 >$D/new_port"
ok "port2 directory" test -d "$D/port2"
ok "adapter 'optic_sim port 2'" sim_bus 2
check_eq "new port runs the requested profile" "ok 11" "$(xfer 2 '50 00 r 1')"
ok "del_port removes port 0" sh -c "echo 0 >$D/del_port"
fails "port0 gone" test -d "$D/port0"
fails "adapter of port 0 gone" sim_bus 0
ok "new_port reuses index 0" sh -c "echo 1 >$D/new_port"
ok "port0 back" test -d "$D/port0"
fails "del_port of a missing port fails" sh -c "echo 9 >$D/del_port"

ok "rmmod optic_sim" rmmod optic_sim
