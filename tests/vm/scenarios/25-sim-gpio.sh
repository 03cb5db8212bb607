# SPDX-License-Identifier: GPL-2.0
# optic_sim gpios=1: the "optic_sim" gpio_chip with ModPrsL, ResetL, LPMode
# and IntL per port (physical levels), driven and read through the GPIO
# sysfs interface, and interrupts on IntL/ModPrsL counted in /proc/interrupts.

D=$SIM_DEBUGFS/port0
G=/sys/class/gpio

xfer() { echo "$1" >"$D/xfer" && cat "$D/xfer"; }
byte() { printf '%d' "0x$(xfer "50 $1 r 1" | sed 's/^ok //')"; }
mstate() { echo $((($(byte 03) >> 1) & 7)); }
clear_flags() { # read every latched flag once
	xfer '50 08 r 6' >/dev/null
	xfer '50 7f w 11' >/dev/null
	xfer '50 86 r 20' >/dev/null
	xfer '50 7f w 00' >/dev/null
}

ok "optic_sim loads with gpios=1" load_sim ports=2 gpios=1 attach=0
echo 0 >"$D/time_scale"	# state changes are instant: no late flags
chip=
for c in $G/gpiochip*; do
	[ "$(cat $c/label)" = optic_sim ] && chip=$c
done
ok "gpio chip 'optic_sim' registered" test -n "$chip"
base=$(cat $chip/base)
check_eq "16 ports x 4 lines" 64 "$(cat $chip/ngpio)"

prs=$((base + 0)); rst=$((base + 1)); lpm=$((base + 2)); int=$((base + 3))
for n in $prs $rst $lpm $int; do
	ok "export gpio $n" sh -c "echo $n >$G/export"
done
check_eq "ModPrsL is an input" in "$(cat $G/gpio$prs/direction)"
check_eq "ResetL is an output" out "$(cat $G/gpio$rst/direction)"
check_eq "LPMode is an output" out "$(cat $G/gpio$lpm/direction)"
check_eq "IntL is an input" in "$(cat $G/gpio$int/direction)"
fails "ModPrsL cannot become an output" sh -c "echo out >$G/gpio$prs/direction"

check_eq "ModPrsL low: module present" 0 "$(cat $G/gpio$prs/value)"
echo 0 >"$D/present"
check_eq "ModPrsL high: cage empty" 1 "$(cat $G/gpio$prs/value)"
echo 1 >"$D/present"
check_eq "ModPrsL low again" 0 "$(cat $G/gpio$prs/value)"
check_eq "port 1 ModPrsL low too" 0 "$(cat $chip/../gpio$((base + 4))/value 2>/dev/null ||
	{ echo $((base + 4)) >$G/export; cat $G/gpio$((base + 4))/value; })"

check_eq "IntL low: the re-plug latched ModuleStateChanged" 0 "$(cat $G/gpio$int/value)"
clear_flags
check_eq "IntL high once the flags are read" 1 "$(cat $G/gpio$int/value)"
echo "noise temp all 0" >"$D/monitor"
echo "set temp all 80000" >"$D/monitor"
check_eq "IntL low after a temperature alarm latched" 0 "$(cat $G/gpio$int/value)"
echo "set temp all 40000" >"$D/monitor"
byte 09 >/dev/null
check_eq "IntL high again once byte 9 is read" 1 "$(cat $G/gpio$int/value)"

echo 0 >"$G/gpio$lpm/value"
check_eq "LPMode line low" "lpmode_line: 0" "$(grep lpmode_line $D/state)"
xfer '50 1a w 40' >/dev/null
echo 1 >"$G/gpio$lpm/value"
check_eq "LPMode high reaches the module" "lpmode_line: 1" "$(grep lpmode_line $D/state)"
check_eq "with LowPwrAllowRequestHW the module goes LowPwr" 1 "$(mstate)"
echo 0 >"$G/gpio$lpm/value"
check_eq "LPMode low: Ready" 3 "$(mstate)"

echo 0 >"$G/gpio$rst/value"
check_eq "ResetL low: module held in reset, NACKs" "error -6" "$(xfer '50 00 r 1')"
echo 1 >"$G/gpio$rst/value"
check_eq "ResetL high: module answers" "ok 18" "$(xfer '50 00 r 1')"
check_eq "reset restored byte 26 to its default" 0 "$(byte 1a)"

clear_flags
check_eq "IntL high before the irq test" 1 "$(cat $G/gpio$int/value)"
ok "IntL falling-edge interrupt" sh -c "echo falling >$G/gpio$int/edge"
ok "irq line in /proc/interrupts" sh -c "grep -q optic_sim /proc/interrupts"
irqs_ge() { [ "$(sim_irqs "$1")" -ge "$2" ]; }
n0=$(sim_irqs 3)
echo "set temp all 80000" >"$D/monitor"
# nobody reads the module: the sim's poll must notice on its own (every
# 100 ms; waited for, not slept for)
wait_for 10 irqs_ge 3 $((n0 + 1))
n1=$(sim_irqs 3)
check_eq "one interrupt when IntL fell" $((n0 + 1)) "$n1"
sleep 0.3
check_eq "no more while IntL stays low (edge)" "$n1" "$(sim_irqs 3)"
echo "set temp all 40000" >"$D/monitor"
byte 09 >/dev/null
echo "set temp all 80000" >"$D/monitor"
wait_for 10 irqs_ge 3 $((n1 + 1))
check_eq "another interrupt on the next fall" $((n1 + 1)) "$(sim_irqs 3)"

ok "ModPrsL both-edge interrupt" sh -c "echo both >$G/gpio$prs/edge"
p0=$(sim_irqs 0)
# The edges are delivered from a work item: the plug waits for the unplug's
# interrupt, or both edges could be delivered as one on a slow guest.
echo 0 >"$D/present"
wait_for 10 irqs_ge 0 $((p0 + 1))
echo 1 >"$D/present"
wait_for 10 irqs_ge 0 $((p0 + 2))
check_eq "two presence interrupts for unplug + plug" $((p0 + 2)) "$(sim_irqs 0)"

for n in $prs $rst $lpm $int $((base + 4)); do
	echo $n >$G/unexport
done
ok "rmmod optic_sim" rmmod optic_sim
fails "gpio chip gone" test -e "$chip"
