# SPDX-License-Identifier: GPL-2.0
# CMIS lanes 9-16 (bank 1 of pages 10h/11h, CMIS 5.2 8.4.1) work as lanes
# 1-8 do: the simulator's 16-lane profile (osfpxd-1600g-2xdr8, page 01h
# byte 142 = banks 0-1) shows 16 lanes in netlink, hwmon and opticctl with
# the simulator's values; a flag of lane 12 reaches netlink as lane 11 and
# opticctl as lane 12; TX disable of lane 10 lands in bank 1 page 10h;
# lane 14's data path (lanes 9-16) is tracked; an 8-lane module beside it
# keeps 8.
# timeout: 240

hw() { echo $OPTIC_CLASS/port$1/device/hwmon/hwmon*; }
sim_mon() { echo "$2" >"$SIM_DEBUGFS/port$1/monitor"; }
nlget() { vm-nl get index=u32:$1 | sed -n "s/^$2=//p"; }
show() { opticctl -j show port$1; }
# simbyte PORT PAGE BANK OFFSET: a byte of the simulator's memory map, from
# its image dump (not through the driver, nor the module's page select)
simbyte() {
	local row col
	row=$(printf '%02x:' $((0x$4 & 0xf0)))
	col=$((0x$4 & 15))
	awk -v sec="page $2$([ "$3" = 0 ] || echo " bank $3")" -v row="$row" -v col=$col '
		/^page / { in_sec = ($0 == sec); next }
		in_sec && $1 == row { print $(col + 2); exit }' "$SIM_DEBUGFS/port$1/image"
}
dp_sim() { # PORT LANE (1-based): the simulator's data-path state
	awk -v l="$2" '$1 == "dp_state:" { print $(l + 1) }' "$SIM_DEBUGFS/port$1/state"
}

ok "optic_sim loads the 16-lane profile" load_sim ports=2 profile=osfpxd-1600g-2xdr8
check_match "profile listed" '^osfpxd-1600g-2xdr8 ' "$(cat $SIM_DEBUGFS/profiles)"
echo 0 >"$SIM_DEBUGFS/port1/time_scale"
echo qsfpdd-400g-dr4 >"$SIM_DEBUGFS/port1/profile"
echo 0 >"$SIM_DEBUGFS/port0/time_scale"
check_eq "sim: 16 lanes" "lanes: 16" "$(grep '^lanes:' $SIM_DEBUGFS/port0/state)"
check_eq "sim: page 01h byte 142 advertises banks 0-1 (and pages 13h-14h)" 25 \
	"$(simbyte 0 01 0 8e)"
check_eq "sim: 16 data paths activated" "4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4" \
	"$(sed -n 's/^dp_state: //p' $SIM_DEBUGFS/port0/state)"
check_eq "sim: bank 1 page 11h lanes 9-16 activated" "44 44 44 44" \
	"$(for o in 80 81 82 83; do printf '%s ' "$(simbyte 0 11 1 $o)"; done | sed 's/ $//')"

# Fixed monitors; lanes 9-16 (knob lanes 8-15) each with its own values.
for m in temp vcc bias tx_power rx_power; do
	sim_mon 0 "noise $m all 0"
	sim_mon 0 "drift $m all 0"
done
for l in 8 9 10 11 12 13 14 15; do
	sim_mon 0 "set bias $l $((40000 + 1000 * l))"
	sim_mon 0 "set tx_power $l $((1100000 + 10000 * l))"
	sim_mon 0 "set rx_power $l $((800000 + 10000 * l))"
done

fails "sim: knob lane 16 rejected on 16 lanes" sim_mon 0 "set bias 16 1"
fails "sim: knob lane 8 rejected on 8 lanes" sim_mon 1 "set bias 8 1"

ok "optic loads" load_optic poll_ms=300
wait_for 5 test -e "$(hw 0)/curr16_input"
wait_for 5 test -e "$(hw 1)/curr8_input"

# Lane count: netlink, opticctl.
check_eq "netlink: 16 lanes (banks 0-1)" 16 "$(nlget 0 lanes)"
check_eq "netlink: the 8-lane module keeps 8" 8 "$(nlget 1 lanes)"
check_eq "opticctl: 16 lanes" 16 "$(show 0 | jq '.lanes | length')"
check_eq "opticctl: lane numbers 1-16" "$(seq 1 16 | tr '\n' ' ')" \
	"$(show 0 | jq -r '.lanes[].lane' | tr '\n' ' ')"
check_eq "opticctl: the 8-lane module shows 8" 8 "$(show 1 | jq '.lanes | length')"

# hwmon: curr1-16, power1-8 TX / 9-16 RX of lanes 1-8, power17-24 TX /
# 25-32 RX of lanes 9-16, with the simulator's values.
h=$(hw 0)
ok "hwmon curr16 (TX16 bias)" test -e $h/curr16_input
fails "hwmon: no curr17 on 16 lanes" test -e $h/curr17_input
fails "hwmon: no power33 on 16 lanes" test -e $h/power33_input
for l in 9 12 16; do
	k=$((l - 1))
	check_eq "hwmon curr$l = lane $l bias (mA)" $(((40000 + 1000 * k) / 1000)) \
		"$(cat $h/curr${l}_input)"
	check_eq "hwmon power$((8 + l)) = TX$l power (uW)" $(((1100000 + 10000 * k) / 1000)) \
		"$(cat $h/power$((8 + l))_input)"
	check_eq "hwmon power$((16 + l)) = RX$l power (uW)" $(((800000 + 10000 * k) / 1000)) \
		"$(cat $h/power$((16 + l))_input)"
done
check_eq "hwmon labels of lane 16" "TX16 bias/TX16 power/RX16 power" \
	"$(cat $h/curr16_label)/$(cat $h/power24_label)/$(cat $h/power32_label)"
check_eq "hwmon labels of lanes 1-8 unchanged" "TX1 power/RX1 power/RX8 power" \
	"$(cat $h/power1_label)/$(cat $h/power9_label)/$(cat $h/power16_label)"
check_eq "hwmon power32_lcrit = Rx power low alarm threshold" \
	"$(cat $h/power9_lcrit)" "$(cat $h/power32_lcrit)"
out=$(sensors 2>&1)
check_match "sensors: TX16 bias" '^TX16 bias: +55\.00 mA' "$out"
check_match "sensors: RX9 power" '^RX9 power: +880\.00 uW' "$out"
h1=$(hw 1)
ok "8-lane module: curr8, power16 (RX8)" test -e $h1/curr8_input -a -e $h1/power16_input
fails "8-lane module: no curr9" test -e $h1/curr9_input
fails "8-lane module: no power17" test -e $h1/power17_input
check_eq "8-lane module: power9 is RX1" "RX1 power" "$(cat $h1/power9_label)"

# A flag of lane 12 (knob lane 11): RX power far below its low alarm.
vm-nl monitor 1000 30 >/tmp/fl &
mon=$!
wait_for 10 grep -q listening /tmp/fl
sim_mon 0 "set rx_power 11 0"
fl() { grep -E '^(name|event|flag_page|flag_offset|flag_bits|lane)=' /tmp/fl | tr '\n' ' '; }
fl_has() { fl | grep -q "$1"; }
wait_for 10 fl_has 'event=5 flag_page=17 flag_offset=150 flag_bits=8 lane=11'
kill $mon 2>/dev/null
wait $mon 2>/dev/null
check_match "netlink FLAG: page 11h byte 150 (RX power low alarm) bit 3, lane 11" \
	'name=port0 event=5 flag_page=17 flag_offset=150 flag_bits=8 lane=11' "$(fl)"
check_match "netlink FLAG: Rx LOS (page 11h byte 147) of lane 11" \
	'event=5 flag_page=17 flag_offset=147 flag_bits=8 lane=11' "$(fl)"
check_eq "no FLAG event of another lane" "" \
	"$(fl | grep -oE 'lane=[0-9]+' | grep -v 'lane=11$' | sort -u | tr '\n' ' ')"
pj=$(show 0)
check_eq "opticctl: lane 12 has the RX power low alarm" true \
	"$(printf '%s' "$pj" | jq '.lanes[11] | .lane == 12 and .flags.rx_power_low_alarm')"
check_eq "opticctl: only lane 12 has it" "[12]" \
	"$(printf '%s' "$pj" | jq -c '[.lanes[] | select(.flags.rx_power_low_alarm) | .lane]')"
check_eq "hwmon power28_lcrit_alarm (RX12)" 1 "$(cat $h/power28_lcrit_alarm)"
check_eq "hwmon power27_lcrit_alarm (RX11) clear" 0 "$(cat $h/power27_lcrit_alarm)"
sim_mon 0 "set rx_power 11 910000"
# The raw reader (eeprom file: bank 1 page 11h at 128 + (256 + 0x11) * 128)
# gets the latched bit of lane 12 once, like lanes 1-8.
rawflag() {
	dd if=$OPTIC_CLASS/port0/eeprom bs=1 skip=$((128 + (256 + 17) * 128 + 150 - 128)) \
		count=1 2>/dev/null | od -An -tu1 | tr -d ' '
}
b=$(rawflag)
check_eq "eeprom: bank 1 page 11h byte 150 bit 3 (lane 12) latched" 8 $((b & 8))
b=$(rawflag)
check_eq "eeprom: delivered once" 0 $((b & 8))

# TX disable of lane 10: bank 1 page 10h byte 130 bit 1.
txdis() { show 0 | jq -c '[.lanes[] | select(.tx_disable) | .lane]'; }
ok "opticctl set tx-disable 10 on" opticctl set port0 tx-disable 10 on
check_eq "sysfs tx_disable 0x200" 0x200 "$(cat $OPTIC_CLASS/port0/tx_disable)"
check_eq "sim: bank 1 page 10h byte 130 = 02h" 02 "$(simbyte 0 10 1 82)"
check_eq "sim: bank 0 page 10h byte 130 untouched" 00 "$(simbyte 0 10 0 82)"
check_eq "hwmon TX10 power 0 (transmitter off)" 0 "$(cat $h/power18_input)"
check_eq "opticctl: only lane 10 disabled" "[10]" "$(txdis)"
ok "opticctl set tx-disable 10 off" opticctl set port0 tx-disable 10 off
check_eq "sim: bank 1 byte 130 cleared" 00 "$(simbyte 0 10 1 82)"
ok "sysfs tx_disable=0x8001 (lanes 1 and 16)" sh -c "echo 0x8001 >$OPTIC_CLASS/port0/tx_disable"
check_eq "sim: lane 1 in bank 0, lane 16 in bank 1" "01 80" \
	"$(simbyte 0 10 0 82) $(simbyte 0 10 1 82)"
ok "sysfs tx_disable=0" sh -c "echo 0 >$OPTIC_CLASS/port0/tx_disable"
fails "sysfs tx_disable lane 17 refused" sh -c "echo 0x10000 >$OPTIC_CLASS/port0/tx_disable"
check_match "netlink: lane 17 in TX_DISABLE_MASK refused" '^error' \
	"$(vm-nl set index=u32:0 tx_disable=u32:0x10000 tx_disable_mask=u32:0x10000 2>&1)"
fails "8-lane module: lane 9 refused" sh -c "echo 0x100 >$OPTIC_CLASS/port1/tx_disable"

# Data path of lane 14: DPDeactivate is bank 1 page 10h byte 128 bit 5.
vm-nl monitor 1000 30 >/tmp/dp &
mon=$!
wait_for 10 grep -q listening /tmp/dp
dp() { grep -E '^(name|event|lane|old_state|new_state)=' /tmp/dp | tr '\n' ' '; }
dp_has() { dp | grep -q "$1"; }
ok "DPDeactivate lane 14 (EEPROM_WRITE bank 1 page 10h byte 128)" \
	vm-nl write index=u32:0 bank=u8:1 page=u8:16 offset=u16:128 data=hex:20
check_eq "sim: lane 14 deactivated" 1 "$(dp_sim 0 14)"
# osfpxd-1600g-2xdr8 runs one 8-lane data path per bank: DPDeactivate of
# lane 14 deactivates lanes 9-16 (CMIS 5.2 6.3.3, DPDeinitS), not 1-8.
check_eq "sim: lane 9, in lane 14's data path, deactivated too" 1 \
	"$(dp_sim 0 9)"
check_eq "sim: lane 8, in bank 0's data path, still activated" 4 \
	"$(dp_sim 0 8)"
wait_for 10 dp_has 'event=4 lane=13 old_state=4 new_state=1'
check_eq "opticctl: lane 14 deactivated" deactivated \
	"$(show 0 | jq -r '.lanes[13].datapath_state')"
ok "DPDeactivate cleared" \
	vm-nl write index=u32:0 bank=u8:1 page=u8:16 offset=u16:128 data=hex:00
wait_for 10 dp_has 'event=4 lane=13 old_state=1 new_state=4'
kill $mon 2>/dev/null
wait $mon 2>/dev/null
check_match "netlink DATAPATH_STATE lane 13: activated -> deactivated" \
	'name=port0 event=4 lane=13 old_state=4 new_state=1' "$(dp)"
check_match "netlink DATAPATH_STATE lane 13: deactivated -> activated" \
	'name=port0 event=4 lane=13 old_state=1 new_state=4' "$(dp)"
check_eq "data-path events of lanes 9-16 (netlink 8-15) only" \
	"8 9 10 11 12 13 14 15" \
	"$(dp | grep -oE 'event=4 lane=[0-9]+' | sed 's/.*=//' | sort -nu | xargs)"
check_eq "opticctl: lane 14 activated again" activated \
	"$(show 0 | jq -r '.lanes[13].datapath_state')"

# opticd: metrics for lanes 9-16 (its poll of bank 1: test_opticd_poll).
printf '[daemon]\npoll_interval = 200ms\n' >/tmp/opticd.conf
opticd -c /tmp/opticd.conf --log-target=console >/tmp/opticd.log 2>&1 &
opticd_pid=$!
lane16_rx() { metric 'optic_lane_rx_power_watts{port="port0",lane="16"}'; }
ok "opticd exports lane 16's RX power" wait_for 20 \
	has_metric '^optic_lane_rx_power_watts\{port="port0",lane="16"\}'
check_eq "opticd: 16 lanes of RX power for the 16-lane module" 16 \
	"$(metrics | grep -c '^optic_lane_rx_power_watts{port="port0",lane=')"
check_eq "opticd: 8 lanes for the 8-lane module" 8 \
	"$(metrics | grep -c '^optic_lane_rx_power_watts{port="port1",lane=')"
ok "opticd: lane 16 receives light" \
	awk -v w="$(lane16_rx)" 'BEGIN { exit !(w > 0.0001) }'
kill $opticd_pid
wait $opticd_pid 2>/dev/null

# The 8-lane module was left alone and still has 8 lanes.
check_eq "8-lane module: 8 lanes, all activated" \
	'[8,["activated"]]' "$(show 1 | jq -c '[(.lanes | length), ([.lanes[].datapath_state] | unique)]')"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
