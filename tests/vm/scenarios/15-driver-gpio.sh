# SPDX-License-Identifier: GPL-2.0
# optic.ko control lines (optic_sim gpios=1): with polling off, a presence
# edge alone makes the driver notice removal and insertion (hwmon device
# follows), IntL alone makes it read the latched flags (IntL released),
# lpmode drives LPMode, reset pulses ResetL, a write that never completes
# is told from a pulled module by the line.
# timeout: 180

sim_state() { # PORT KEY
	sed -n "s/^$2: //p" "$SIM_DEBUGFS/port$1/state"
}

if ! load_sim ports=2 gpios=1; then
	fail "optic_sim gpios=1 loads"
	exit 1
fi
ok "optic loads, no poll" load_optic poll_ms=0
d=$OPTIC_CLASS/port0
ok "identified at probe" test -e $d/device/hwmon/hwmon*/temp1_input

echo 0 >"$SIM_DEBUGFS/port0/present"
wait_for 5 sh -c "! test -e $d/device/hwmon/hwmon*/temp1_input"
fails "removal seen through the presence line (hwmon gone)" \
	test -e $d/device/hwmon/hwmon*/temp1_input
check_eq "present 0 from the line" 0 "$(cat $d/present)"
echo 1 >"$SIM_DEBUGFS/port0/present"
wait_for 5 sh -c "test -e $d/device/hwmon/hwmon*/temp1_input"
ok "insertion seen through the presence line (hwmon back)" \
	test -e $d/device/hwmon/hwmon*/temp1_input

# IntL: an alarm asserts it; the driver alone reads the flags.
for m in temp vcc bias tx_power rx_power; do
	echo "noise $m all 0" >"$SIM_DEBUGFS/port0/monitor"
done
h=$(echo $d/device/hwmon/hwmon*)
crit=$(cat $h/temp1_crit)
t0=$(cat "$SIM_DEBUGFS/port0/transactions")
n0=$(sim_irqs 3)
xa_gt() { [ "$(cat "$SIM_DEBUGFS/port0/transactions")" -gt "$1" ]; }
# flag_cleared records of the module flags byte 9 (temperature, Vcc)
cleared9() { opticctl -j events port0 | jq -s 'map(select(.event == "flag_cleared" and .offset == 9)) | length'; }
cleared_gt() { [ "$(cleared9)" -gt "$1" ]; }
c0=$(cleared9)
echo "set temp 0 $((crit + 5000))" >"$SIM_DEBUGFS/port0/monitor"
# Nobody but the IntL service reads the module: wait for its first read
# (the simulator samples IntL every 100 ms), then watch it for 2 s: with
# int_holdoff_ms 100 at most 21 services fit, far below 1000 transactions
# however fast the guest; a storm would exceed it.
ok "IntL edge made the driver read the module (poll off)" wait_for 10 xa_gt "$t0"
t0=$(cat "$SIM_DEBUGFS/port0/transactions")
sleep 2
t1=$(cat "$SIM_DEBUGFS/port0/transactions")
n1=$(sim_irqs 3)
diag "transactions: $t0 -> $t1, IntL interrupts $n0 -> $n1, intl $(sim_state 0 intl)"
ok "persistent alarm: IntL service rate bounded (no IRQ storm)" test $((t1 - t0)) -lt 1000
# IntL is a level: a line still asserted after a hold-off is serviced
# again without a new edge. Nobody else reads (poll off): three times the
# transaction count grows on its own while the alarm persists.
serviced_again() {
	local t=$(cat "$SIM_DEBUGFS/port0/transactions")

	wait_for 5 xa_gt "$t"
}
ok "persisting alarm: serviced again after a hold-off" serviced_again
ok "... and again" serviced_again
ok "... and again" serviced_again
check_eq "latched alarm kept for hwmon" 1 "$(cat $h/temp1_crit_alarm)"
echo "set temp 0 40000" >"$SIM_DEBUGFS/port0/monitor"
intl_released() { [ "$(sim_state 0 intl)" = 0 ]; }
ok "alarm gone: IntL released" wait_for 10 intl_released
# The last service found the alarm set, as it finds one that persists;
# once IntL stays released through a hold-off the driver reads the flags
# once more and records the end (the next alarm is news again).
ok "alarm gone: its end read after the hold-off and recorded" wait_for 10 cleared_gt "$c0"
# The edges of the last services (a replay at the end of the hold-off)
# may still come: wait for a quiet half second, then none for a second.
irqs_quiet() {
	local n=$(sim_irqs 3)

	sleep 0.5
	[ "$(sim_irqs 3)" = "$n" ]
}
ok "alarm gone: IntL interrupts stop" wait_for 10 irqs_quiet
n2=$(sim_irqs 3)
t2=$(cat "$SIM_DEBUGFS/port0/transactions")
sleep 1
check_eq "alarm gone: no more IntL interrupts" "$n2" "$(sim_irqs 3)"
check_eq "alarm gone: no service without IntL" "$t2" \
	"$(cat "$SIM_DEBUGFS/port0/transactions")"

irqs_ge() { [ "$(sim_irqs "$1")" -ge "$2" ]; }
# The simulator latches an IntL edge while the interrupt is masked (the
# driver's hold-off disables it) and fires it on unmask, as a controller's
# status register does: IntL falls and rises again inside a 3 s hold-off,
# the line is high at its end, and that end still brings one interrupt.
echo 3000 >/sys/module/optic/parameters/int_holdoff_ms
intl_is() { [ "$(sim_state 0 intl)" = "$1" ]; }
n3=$(sim_irqs 3)
echo "set temp 0 $((crit + 5000))" >"$SIM_DEBUGFS/port0/monitor"
ok "an alarm: an interrupt, then the hold-off" wait_for 10 irqs_ge 3 $((n3 + 1))
echo "set temp 0 40000" >"$SIM_DEBUGFS/port0/monitor"
vm-nl read name=str:port0 offset=u16:9 length=u16:1 >/dev/null
ok "inside the hold-off: alarm gone and read, IntL released" intl_is 0
echo "set temp 0 $((crit + 5000))" >"$SIM_DEBUGFS/port0/monitor"
ok "IntL falls again, masked" wait_for 2 intl_is 1
echo "set temp 0 40000" >"$SIM_DEBUGFS/port0/monitor"
vm-nl read name=str:port0 offset=u16:9 length=u16:1 >/dev/null
ok "... and is released before the hold-off ends" intl_is 0
check_eq "no interrupt while masked" $((n3 + 1)) "$(sim_irqs 3)"
ok "the edge latched while masked fires on unmask" wait_for 10 irqs_ge 3 $((n3 + 2))
check_eq "IntL is high all the same" 0 "$(sim_state 0 intl)"
echo 100 >/sys/module/optic/parameters/int_holdoff_ms

# LPMode and ResetL lines.
ok "lpmode=1" sh -c "echo 1 >$d/lpmode"
check_eq "LPMode line asserted" 1 "$(sim_state 0 lpmode_line)"
ok "lpmode=0" sh -c "echo 0 >$d/lpmode"
check_eq "LPMode line released" 0 "$(sim_state 0 lpmode_line)"
ok "reset pulse" sh -c "echo 1 >$d/reset"
check_eq "ResetL released after the pulse" 0 "$(sim_state 0 reset_line)"
wait_for 10 grep -q ready $d/module_state
check_eq "module Ready after reset" ready "$(cat $d/module_state)"

# A write whose completion poll sees only NACKs (CMIS tWR): the presence
# line tells a module busy past write_timeout_ms from one pulled mid-write.
wt=/sys/module/optic/parameters/write_timeout_ms
slow=$SIM_DEBUGFS/port0/fault_slow_write
echo 2000 >$wt
echo 1000000 >$slow
err=$(sh -c "echo 1 >$d/tx_disable" 2>&1)
check_match "NACKs after a write, module in the cage: timed out" "timed out" "$err"
echo 0 >$slow
ok "the module answers again" sh -c "cat $d/tx_disable >/dev/null"
echo 1000000 >$slow
nacks() { cat "$SIM_DEBUGFS/port0/nacks"; }
nacks_gt() { [ "$(nacks)" -gt "$1" ]; }
k0=$(nacks)
sh -c "echo 1 >$d/tx_disable" 2>/tmp/wr.err &
pid=$!
# Pull once the write is in its completion poll (NACKs counted), not after a
# guessed time: then the 2 s write_timeout_ms is all margin.
wait_for 10 nacks_gt "$k0"
echo 0 >"$SIM_DEBUGFS/port0/present"
ok "pulled while the write still waited" kill -0 $pid
wait $pid
check_match "NACKs after a write, cage empty: no such device" \
	"No such device" "$(cat /tmp/wr.err)"
echo 0 >$slow
echo 100 >$wt
echo 1 >"$SIM_DEBUGFS/port0/present"
# (the glob is expanded at each try: the hwmon device may come back later)
ok "re-plugged module identified (hwmon back)" \
	wait_for 30 sh -c "test -e $d/device/hwmon/hwmon*/temp1_input"

ok "rmmod optic" rmmod optic

# A failing probe (duplicate name) with live lines unwinds cleanly.
ok "optic loads with a duplicate port name" load_optic port_names=dup,dup
ok "first port bound" test -d $OPTIC_CLASS/dup
check_eq "second port refused" 1 "$(ls $OPTIC_CLASS | wc -l)"
check_match "probe failure logged" "port name dup in use" "$(dmesg | grep optic)"
echo 0 >"$SIM_DEBUGFS/port1/present"
echo 1 >"$SIM_DEBUGFS/port1/present"
sleep 1
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
