# SPDX-License-Identifier: GPL-2.0
# optic_sim's switch topology (buses=N ports_per_bus=M): root buses whose
# simulated PCA9548 switches are driven by the kernel's own i2c-mux-pca954x,
# optic bound behind every channel, then the shared wire without the driver:
# root-bus counters with the mux selects, idle disconnect, a double-open
# collision, the SMBus-only root bus, realtime serialisation; last, the tree
# built from userspace (attach=0) as `opticctl platform apply` does.
# timeout: 300

D=$SIM_DEBUGFS
DEV=/sys/bus/i2c/devices

# xfer PORT|busN CMD: a transfer through the i2c core (portN: its channel)
xfer() { echo "$2" >"$D/$1/xfer" && cat "$D/$1/xfer"; }
cnt() { sed -n "s/^$2 //p" "$D/$1/counters"; }
mux() { tr '\n' ' ' <"$D/$1/mux"; }
uptime_cs() { sed 's/^\([0-9]*\)\.\([0-9]*\) .*/\1\2/' /proc/uptime; }

# img_hex PORT OFFSET LEN: page 00h bytes as the simulator holds them (no bus)
img_hex() {
	awk -v off="$2" -v len="$3" '
	function hex(s,  i, n) {
		n = 0
		for (i = 1; i <= length(s); i++)
			n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return n
	}
	/^page/ { if (seen++) exit; next }
	/^[0-9a-f][0-9a-f]:/ {
		b = hex(substr($1, 1, 2))
		for (i = 2; i <= NF; i++)
			if (b + i - 2 >= off && b + i - 2 < off + len)
				printf " %s", $i
	}
	END { print "" }' "$D/port$1/image"
}

# and_hex "HEX..." "HEX...": the wired-AND of two byte strings
and_hex() {
	echo "$1|$2" | awk -F'|' '
	function hex(s,  i, n) {
		n = 0
		for (i = 1; i <= length(s); i++)
			n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return n
	}
	{ n = split($1, a, " "); split($2, b, " ")
	  for (i = 1; i <= n; i++) printf " %02x", and(hex(a[i]), hex(b[i]))
	  print "" }'
}

sn() { img_hex "$1" 166 16; }	# CMIS page 00h 166-181: vendor SN

# ---- the tree, with the driver ----

ok "pca954x and optic_sim load: 2 buses x 16 cages, bus 1 SMBus-only" \
	load_sim buses=2 ports_per_bus=16 smbus_only=0,1 gpios=1
ok "optic.ko loads" load_optic
ok "i2c-dev loads" load_i2c_dev

R0=$(sim_root_bus 0)
R1=$(sim_root_bus 1)
check_match "root adapters 'optic_sim bus 0' and 'optic_sim bus 1'" \
	'^[0-9]+ [0-9]+$' "$R0 $R1"
check_eq "no per-port adapters" "" "$(sim_bus 0)"

chips=$(sim_mux_chips "$R0" "$R1" | awk '{ printf " %s", $2 }')
idle=$(sim_mux_chips "$R0" "$R1" | awk '{ printf " %s", $3 }')
check_eq "pca954x bound to the 2 chips of each bus" \
	" pca954x pca954x pca954x pca954x" "$chips"
check_eq "idle_state -2 (idle disconnect) on every chip" " -2 -2 -2 -2" "$idle"
fails "no third chip for 16 cages" test -e "$DEV/$R0-0072"
check_eq "8 channel adapters per chip" 8 \
	"$(ls -d "$DEV/$R0-0071"/channel-* | wc -l)"

optic_bound() {
	local b c n=0
	for b in 0 1; do
		for c in $(seq 0 15); do
			[ "$(i2c_drv "$DEV/$(sim_cage_bus $b $c)-0050")" = optic ] &&
				n=$((n + 1))
		done
	done
	[ "$n" = 32 ]
}
ok "optic bound on every channel adapter" wait_for 20 optic_bound
check_eq "32 optic class devices" 32 "$(ls "$OPTIC_CLASS" | wc -l)"

# cage c of bus b is simulator port 16 b + c: its serial number, read by the
# driver behind that channel, is the simulator's
bad=""
for b in 0 1; do
	for c in $(seq 0 15); do
		cls=$(ls -d "$DEV/$(sim_cage_bus $b $c)-0050"/optic/* 2>/dev/null)
		got=$(dd if="$cls/eeprom" bs=1 skip=166 count=16 2>/dev/null |
		      od -An -tx1)
		[ "$(echo $got)" = "$(echo $(sn $((16 * b + c))))" ] ||
			bad="$bad $b/$c"
	done
done
check_eq "every channel's optic device reads its own cage's module" "" "$bad"
check_eq "opticctl list: 32 OPTICSIM modules identified" 32 \
	"$(opticctl -j list | jq '[.[] | select(.present and .vendor_name == "OPTICSIM")] | length')"
check_eq "each cage's gpio lines found by its channel's client" 32 \
	"$(sed -n '/optic_sim/,/^$/p' /sys/kernel/debug/gpio | grep -c '|presence')"

ok "rmmod i2c-mux-pca954x under optic: the channels' clients go" \
	rmmod i2c_mux_pca954x
ok "no optic devices left" wait_for 10 sh -c "[ -z \"\$(ls $OPTIC_CLASS)\" ]"
ok "pca954x reloaded" load_mux
ok "optic bound on every channel again" wait_for 20 optic_bound

# ---- the wire, without the driver's traffic ----

ok "rmmod optic" rmmod optic

check_eq "every channel closed when idle" "70 00 71 00 " "$(mux bus0)"
check_eq "all channels closed: a module address is NACKed" "error -6" \
	"$(xfer bus0 '50 00 r 1')"

echo 0 >"$D/bus0/counters"
echo 0 >"$D/port1/counters"
check_eq "cage 1 (chip 70, channel 1) answers through its channel" \
	"ok$(img_hex 1 0 2)" "$(xfer port1 '50 00 r 2')"
check_eq "root bus: select, transfer, deselect = 3 transactions" 3 \
	"$(cnt bus0 transactions)"
check_eq "root bus: 2 mux control writes" 2 "$(cnt bus0 mux_writes)"
check_eq "root bus: bytes written (2 to the mux, the offset)" 3 \
	"$(cnt bus0 bytes_written)"
check_eq "root bus: bytes read" 2 "$(cnt bus0 bytes_read)"
# select and deselect 20 bits each, the read 1+9+9+1+9+2x9+1 = 48 bits
check_eq "root bus time: 88 bits at 400 kHz, mux writes included" 220000 \
	"$(cnt bus0 bus_time_ns)"
check_eq "the port's own counters: the module's 48 bits" "1 120000" \
	"$(cnt port1 transactions) $(cnt port1 bus_time_ns)"
check_match "utilisation reported" '^[0-9]+$' "$(cnt bus0 utilisation_ppm)"
check_eq "idle disconnect: every register 0 after the transfer" \
	"70 00 71 00 " "$(mux bus0)"

echo -1 >"$DEV/$R0-0070/idle_state"
xfer port1 '50 00 r 1' >/dev/null
check_eq "idle_state -1 (as is): the channel stays open" "70 02 71 00 " \
	"$(mux bus0)"
echo -2 >"$DEV/$R0-0070/idle_state"
check_eq "idle_state -2 again closes it" "70 00 71 00 " "$(mux bus0)"

# page 00h on the cages read below, then interleaved reads of cages behind
# both chips of bus 0 (I2C) and of bus 1 (SMBus I2C block)
for p in 1 3 9 14; do xfer port$p '50 7f w 00' >/dev/null; done
for p in 17 30; do xfer port$p '50 7f sw 00' >/dev/null; done
bad=""
n=0
for i in 1 2 3 4; do
	for p in 1 14 17 3 30 9; do
		if [ "$p" -ge 16 ]; then
			got=$(xfer port$p '50 a6 sr 16')
		else
			got=$(xfer port$p '50 a6 r 16')
		fi
		[ "$got" = "ok$(sn $p)" ] || bad="$bad $p"
		n=$((n + 1))
	done
done
check_eq "24 interleaved reads of 6 cages on 2 buses, each its own" "24 " \
	"$n $bad"

# a mux left open (chip 71 channel 6: cage 14) while cage 1 is selected
echo 0 >"$D/bus0/counters"
ok "i2ctransfer opens chip 71 channel 6 behind pca954x's back" \
	i2ctransfer -f -y "$R0" w1@0x71 0x40
check_eq "chip 71's register holds it" "70 00 71 40 " "$(mux bus0)"
expect="ok$(and_hex "$(sn 1)" "$(sn 14)")"
check_eq "cage 1's page select reaches both modules" ok \
	"$(xfer port1 '50 7f w 00')"
check_eq "cage 1's serial number comes back ANDed with cage 14's" \
	"$expect" "$(xfer port1 '50 a6 r 16')"
fails "so it is corrupted" test "$expect" = "ok$(sn 1)"
check_eq "both transfers counted as collisions" 2 "$(cat $D/bus0/collisions)"
ok "i2ctransfer closes chip 71" i2ctransfer -f -y "$R0" w1@0x71 0x00
check_eq "cage 1 reads right again" "ok$(sn 1)" "$(xfer port1 '50 a6 r 16')"
check_eq "no new collision" 2 "$(cnt bus0 collisions)"

# the SMBus-only root bus (i801-like)
check_eq "bus 1 is SMBus-only" Y "$(cat $D/bus1/smbus_only)"
check_eq "plain I2C refused on the root bus" "error -95" \
	"$(xfer bus1 '50 00 r 1')"
check_eq "plain I2C refused on its channels" "error -95" \
	"$(xfer port16 '50 00 r 1')"
check_match "32-byte SMBus I2C block read through a channel" \
	'^ok( [0-9a-f]{2}){32}$' "$(xfer port16 '50 80 sr 32')"
check_eq "bus 0 was not touched by bus 1's traffic" 0 \
	"$(echo 0 >$D/bus0/counters; xfer port16 '50 00 sb' >/dev/null; cnt bus0 transactions)"

# realtime: one root bus carries one transfer at a time, in modelled time
echo 10000 >"$D/bus0/clock_hz"
echo 1 >"$D/bus0/realtime"
echo 0 >"$D/bus0/counters"
reads() { for i in 1 2 3; do xfer port$1 '50 80 r 128' >/dev/null; done; }
t0=$(uptime_cs)
reads 1 &
reads 14 &
wait
t1=$(uptime_cs)
ppm=$(cnt bus0 utilisation_ppm)
echo 0 >"$D/bus0/realtime"
echo 400000 >"$D/bus0/clock_hz"
# 6 x (1182 bits + 2 x 20 for the mux) at 10 kHz = 733.2 ms
check_eq "six 128-byte reads: 733.2 ms of bus time at 10 kHz" 733200000 \
	"$(cnt bus0 bus_time_ns)"
diag "two readers of one bus took $(((t1 - t0) * 10)) ms"
check_match "realtime: two readers of one bus take the sum of their times" \
	'^ok$' "$([ $(((t1 - t0) * 10)) -ge 700 ] && echo ok)"
diag "utilisation meanwhile: $ppm ppm"
check_match "the bus busy most of that time: utilisation over 30 %" '^ok$' \
	"$([ "$ppm" -ge 300000 ] && echo ok)"

ok "optic_sim unloads with its chips bound" rmmod optic_sim
fails "its root adapters are gone" sim_root_bus 0

# ---- attach=0: the tree built from userspace ----

ok "optic_sim loads with attach=0" load_sim buses=1 ports_per_bus=8 attach=0
ok "optic.ko loads again" load_optic
R0=$(sim_root_bus 0)
check_eq "only the root adapter: no client on it" "" \
	"$(ls -d "$DEV/$R0"-* 2>/dev/null)"
ok "echo pca9548 0x70 > new_device" \
	sh -c "echo pca9548 0x70 >$DEV/i2c-$R0/new_device"
check_eq "pca954x binds it, idle_state -1 (as is) without the property" \
	"$R0-0070 pca954x -1" "$(sim_mux_chips "$R0")"
ok "idle_state set to -2" sh -c "echo -2 >$DEV/$R0-0070/idle_state"
C3=$(sim_cage_bus 0 3)
ok "echo optic 0x50 > channel 3's new_device" \
	sh -c "echo optic 0x50 >$DEV/i2c-$C3/new_device"
ok "optic binds cage 3" wait_for 10 sh -c "ls -d $DEV/$C3-0050/optic/*"
cls=$(ls -d "$DEV/$C3-0050"/optic/*)
check_eq "and reads cage 3's module" "$(echo $(sn 3))" \
	"$(echo $(dd if="$cls/eeprom" bs=1 skip=166 count=16 2>/dev/null | od -An -tx1))"
check_eq "the chip is closed again after it" "70 00 " "$(mux bus0)"
ok "optic_sim unloads with userspace's chip on its bus" rmmod optic_sim
