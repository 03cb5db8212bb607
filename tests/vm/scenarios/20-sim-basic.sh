# SPDX-License-Identifier: GPL-2.0
# optic_sim first slice: ports=N adapters, a CMIS QSFP-DD module at 0x50 with
# its identity, state and monitors, page select, SMBus, attach, empty cage.
# Transfers go through the real i2c core via the port's debugfs "xfer" file.

D=$SIM_DEBUGFS

# xfer PORT CMD: run one transfer, print its result line
xfer() {
	echo "$2" >"$D/port$1/xfer" && cat "$D/port$1/xfer"
}

# ascii PORT OFF LEN: bytes as text (page already selected)
ascii() {
	xfer "$1" "50 $2 r $3" | sed 's/^ok //' | while read -r line; do
		for b in $line; do printf "\\$(printf %03o "0x$b")"; done
	done
}

byte() { # PORT OFF: one byte, decimal
	printf '%d' "0x$(xfer "$1" "50 $2 r 1" | sed 's/^ok //')"
}

ok "optic_sim loads with ports=3" load_sim ports=3
for p in 0 1 2; do
	ok "adapter 'optic_sim port $p' exists" sim_bus $p
done
b0=$(sim_bus 0)
check_eq "attach=1 put an optic client at 0x50" optic \
	"$(cat /sys/bus/i2c/devices/$b0-0050/name 2>&1)"
check_eq "no client at 0x51 for a CMIS module" no \
	"$( [ -e /sys/bus/i2c/devices/$b0-0051 ] && echo yes || echo no)"

check_eq "identifier 0x18 (QSFP-DD)" "ok 18" "$(xfer 0 '50 00 r 1')"
check_eq "CMIS revision 5.0" "ok 50" "$(xfer 0 '50 01 r 1')"
st=$(byte 0 3)
check_eq "module state Ready in byte 3 bits 3-1" 3 $(((st >> 1) & 7))
check_eq "IntL deasserted (byte 3 bit 0)" 1 $((st & 1))

ok "select page 00h" xfer 0 '50 7f w 00'
check_eq "vendor name" "OPTICSIM        " "$(ascii 0 81 16)"
check_eq "vendor OUI" "ok 02 4f 53" "$(xfer 0 '50 91 r 3')"
check_eq "vendor PN" "OSM-QDD-400G-DR4" "$(ascii 0 94 16)"
check_eq "vendor rev" "01" "$(ascii 0 a4 2)"
sn0=$(ascii 0 a6 16)
check_eq "vendor SN of port 0" "OSM2400000      " "$sn0"
check_eq "date code" "240318  " "$(ascii 0 b6 8)"
xfer 1 '50 7f w 00' >/dev/null
xfer 2 '50 7f w 00' >/dev/null
sn1=$(ascii 1 a6 16)
sn2=$(ascii 2 a6 16)
check_eq "port 1 serial" "OSM2400001      " "$sn1"
check_eq "port 2 serial" "OSM2400002      " "$sn2"

# page 00h checksum: byte 222 = sum of 128..221
sum=0
for b in $(xfer 0 '50 80 r 94' | sed 's/^ok //'); do sum=$(((sum + 0x$b) & 255)); done
check_eq "page 00h checksum (byte 222)" "$sum" "$(byte 0 de)"

t=$(( $(byte 0 0e) * 256 + $(byte 0 0f) ))
check_match "temperature 30..55 degC (raw $t)" '^ok$' \
	"$( [ $t -gt $((30 * 256)) ] && [ $t -lt $((55 * 256)) ] && echo ok)"
v=$(( $(byte 0 10) * 256 + $(byte 0 11) ))
check_match "Vcc 3.2..3.4 V (raw $v)" '^ok$' \
	"$( [ $v -gt 32000 ] && [ $v -lt 34000 ] && echo ok)"

ok "select page 01h" xfer 0 '50 7f w 01'
check_eq "page select reads back" "ok 01" "$(xfer 0 '50 7f r 1')"
check_eq "page 01h: monitors advertised (byte 160)" "ok 07" "$(xfer 0 '50 a0 r 1')"
ok "select page 02h" xfer 0 '50 7f w 02'
check_eq "page 02h: temp high alarm 75 degC" "ok 4b 00" "$(xfer 0 '50 80 r 2')"
ok "select page 10h" xfer 0 '50 7f w 10'
check_eq "page 10h: DPConfigLane1 AppSel 1" "ok 10" "$(xfer 0 '50 91 r 1')"
ok "select page 11h" xfer 0 '50 7f w 11'
check_eq "page 11h: all 8 lanes DPActivated" "ok 44 44 44 44" \
	"$(xfer 0 '50 80 r 4')"
ok "select unsupported page 42h" xfer 0 '50 7f w 42'
check_eq "unsupported page reads as zeroes" "ok 00 00" "$(xfer 0 '50 80 r 2')"
xfer 0 '50 7f w 00' >/dev/null

check_eq "read-only byte ignores writes" "ok 18" \
	"$(xfer 0 '50 00 w 55' >/dev/null; xfer 0 '50 00 r 1')"
check_eq "a 9-byte write is NACKed after 8" "error -5" \
	"$(xfer 0 '50 7a w 1 2 3 4 5 6 7 8 9')"

check_eq "SMBus read byte data" "ok 18" "$(xfer 0 '50 00 sb')"
check_eq "SMBus I2C block read" "$(xfer 0 '50 80 r 32')" "$(xfer 0 '50 80 sr 32')"
check_eq "SMBus write byte data (page select)" "ok 01" \
	"$(xfer 0 '50 7f sw 01' >/dev/null; xfer 0 '50 7f r 1')"
xfer 0 '50 7f w 00' >/dev/null

check_eq "nothing answers at 0x51" "error -6" "$(xfer 0 '51 00 r 1')"
ok "make port 2 an empty cage" sh -c "echo empty >$D/port2/profile"
check_eq "empty cage NACKs (-ENXIO)" "error -6" "$(xfer 2 '50 00 r 1')"
check_eq "empty cage is not present" 0 "$(cat $D/port2/present)"

ok "rmmod optic_sim" rmmod optic_sim
check_eq "adapters are gone" "" "$(sim_bus 0)"
