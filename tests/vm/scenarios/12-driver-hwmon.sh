# SPDX-License-Identifier: GPL-2.0
# optic.ko hwmon: values equal the simulator's monitors for CMIS, SFF-8636
# and SFF-8472 modules; thresholds equal the module's threshold registers;
# channels follow the lane count; latched alarms reach hwmon and the raw
# eeprom reader once each; the hwmon device follows module swaps.
# timeout: 240

hw() { # PORT: the hwmon directory of a port
	echo /sys/class/optic/port$1/device/hwmon/hwmon*
}

sim_mon() { echo "$2" >"$SIM_DEBUGFS/port$1/monitor"; }

# Fixed monitor values, no drift and no noise.
set_mons() { # PORT
	local m
	for m in temp vcc bias tx_power rx_power; do
		sim_mon "$1" "noise $m all 0"
		sim_mon "$1" "drift $m all 0"
	done
	sim_mon "$1" "set temp 0 45500"
	sim_mon "$1" "set vcc 0 3312300"
	sim_mon "$1" "set bias all 6520"
	sim_mon "$1" "set tx_power all 1234500"
	sim_mon "$1" "set rx_power all 876500"
	sim_mon "$1" "set bias 0 7000"
	sim_mon "$1" "set rx_power 0 500000"
}

# be16 FILE OFFSET: big-endian 16-bit value in a file.
be16() {
	set -- $(dd if="$1" bs=1 skip="$2" count=2 2>/dev/null | od -An -tu1)
	echo $(($1 * 256 + $2))
}

check_values() { # PORT SPEC LANES
	local h p=$1 lanes=$3
	h=$(hw "$p")
	check_eq "port$p ($2) temp1_input" 45500 "$(cat $h/temp1_input)"
	check_eq "port$p ($2) in0_input (mV)" 3312 "$(cat $h/in0_input)"
	check_eq "port$p ($2) curr1_input (mA, lane 1)" 7 "$(cat $h/curr1_input)"
	check_eq "port$p ($2) power1_input (uW, TX1)" 1234 "$(cat $h/power1_input)"
	check_eq "port$p ($2) power9_input (uW, RX1)" 500 "$(cat $h/power9_input)"
	check_eq "port$p ($2) labels" "TX1 bias/RX1 power/Vcc" \
		"$(cat $h/curr1_label)/$(cat $h/power9_label)/$(cat $h/in0_label)"
	if [ "$lanes" -gt 1 ]; then
		check_eq "port$p ($2) curr${lanes}_input (mA)" 6 \
			"$(cat $h/curr${lanes}_input)"
		check_eq "port$p ($2) power$((8 + lanes))_input (uW)" 876 \
			"$(cat $h/power$((8 + lanes))_input)"
	fi
	if [ "$lanes" -lt 8 ]; then
		fails "port$p ($2) no curr$((lanes + 1)) beyond $lanes lanes" \
			test -e "$h/curr$((lanes + 1))_input"
	fi
}

load_sim ports=3
echo qsfp28-100g-cwdm4 >"$SIM_DEBUGFS/port1/profile"
echo sfp-10g-sr >"$SIM_DEBUGFS/port2/profile"
for p in 0 1 2; do set_mons $p; done
ok "optic loads" load_optic poll_ms=300
for p in 0 1 2; do
	wait_for 5 test -e "$(hw $p)/temp1_input"
done

check_eq "hwmon name" optic "$(cat $(hw 0)/name)"
out=$(sensors 2>&1)
check_eq "sensors lists one optic chip per module" 3 "$(printf '%s\n' "$out" | grep -c '^optic-')"
check_match "sensors shows the module temperature" '^Temperature: +\+45\.5 ' "$out"
check_values 0 cmis 8
check_values 1 sff8636 4
check_values 2 sff8472 1

# Thresholds against the threshold pages (eeprom file layout).
e=$OPTIC_CLASS/port0/eeprom
check_eq "CMIS temp1_crit = page 02h bytes 128-129" \
	$(($(be16 $e $((128 + 2 * 128))) * 1000 / 256)) "$(cat $(hw 0)/temp1_crit)"
check_eq "CMIS power1_lcrit = page 02h bytes 178-179" \
	$(($(be16 $e $((128 + 2 * 128 + 50))) / 10)) "$(cat $(hw 0)/power1_lcrit)"
check_eq "CMIS in0_min = page 02h bytes 142-143" \
	$(($(be16 $e $((128 + 2 * 128 + 14))) / 10)) "$(cat $(hw 0)/in0_min)"
e=$OPTIC_CLASS/port1/eeprom
check_eq "SFF-8636 temp1_max = page 03h bytes 132-133" \
	$(($(be16 $e $((128 + 3 * 128 + 4))) * 1000 / 256)) "$(cat $(hw 1)/temp1_max)"
e=$OPTIC_CLASS/port2/eeprom
check_eq "SFF-8472 curr1_crit = A2h bytes 16-17" \
	$(($(be16 $e $((256 + 16))) * 2 / 1000)) "$(cat $(hw 2)/curr1_crit)"

# Latched alarm: temperature above the high alarm threshold, then back.
h=$(hw 0)
crit=$(cat $h/temp1_crit)
check_eq "no temperature alarm at first" 0 "$(cat $h/temp1_crit_alarm)"
sim_mon 0 "set temp 0 $((crit + 5000))"
sleep 1
check_eq "high temperature: temp1_crit_alarm" 1 "$(cat $h/temp1_crit_alarm)"
sim_mon 0 "set temp 0 45500"
sleep 1
cat $h/temp1_crit_alarm >/dev/null
check_eq "alarm cleared: delivered once to hwmon" 0 "$(cat $h/temp1_crit_alarm)"
b=$(dd if=$OPTIC_CLASS/port0/eeprom bs=1 skip=9 count=1 2>/dev/null | od -An -tu1)
check_eq "raw reader still gets the latched bit (byte 9 bit 0)" 1 $((b & 1))
b=$(dd if=$OPTIC_CLASS/port0/eeprom bs=1 skip=9 count=1 2>/dev/null | od -An -tu1)
check_eq "raw reader gets it once" 0 $((b & 1))

# SFF-8472 flags are live, not latched.
h=$(hw 2)
crit=$(cat $h/temp1_crit)
sim_mon 2 "set temp 0 $((crit + 5000))"
check_eq "SFF-8472 temp1_crit_alarm live" 1 "$(cat $h/temp1_crit_alarm)"
sim_mon 2 "set temp 0 45500"
check_eq "SFF-8472 temp1_crit_alarm gone" 0 "$(cat $h/temp1_crit_alarm)"

# Swap port 0 to a 4-lane module: the hwmon device is replaced.
echo qsfp112-400g >"$SIM_DEBUGFS/port0/profile"
set_mons 0
# Wait for the new device itself (the glob expanded at each try): the old one
# gone is not enough, the new one may not be registered yet.
four_lanes() { local h; h=$(hw 0); test -e $h/curr4_input && test ! -e $h/curr8_input; }
wait_for 5 four_lanes
fails "4-lane module: no curr5" test -e "$(hw 0)/curr5_input"
ok "4-lane module: curr4" test -e "$(hw 0)/curr4_input"
echo 0 >"$SIM_DEBUGFS/port0/present"
wait_for 5 test ! -e "$(hw 0)/temp1_input"
fails "empty cage: no hwmon device" test -e "$(hw 0)/temp1_input"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
