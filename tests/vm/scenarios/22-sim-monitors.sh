# SPDX-License-Identifier: GPL-2.0
# optic_sim live monitors: set/step/drift/noise knobs, register encoding on
# the lower page and page 11h, thresholds of page 02h raising the right
# latched flags (lower 9, 11h 139-152), clear-on-read and re-latching, Rx LOS.

D=$SIM_DEBUGFS/port0

xfer() { echo "$1" >"$D/xfer" && cat "$D/xfer"; }
byte() { printf '%d' "0x$(xfer "50 $1 r 1" | sed 's/^ok //')"; }
word() { # OFF: big-endian u16 at OFF (hex), decimal
	set -- $(xfer "50 $1 r 2" | sed 's/^ok //')
	echo $((0x$1 * 256 + 0x$2))
}
page() { xfer "50 7f w $1" >/dev/null; }
mon() { echo "$*" >"$D/monitor"; }

ok "optic_sim loads" load_sim ports=1 attach=0
for m in temp vcc bias tx_power rx_power; do
	ok "noise off for $m" mon noise $m all 0
done
check_match "monitor file lists the knobs" '^rx_power 7 ' "$(cat $D/monitor)"
fails "unknown monitor rejected" mon set bogus 0 1
fails "lane 8 rejected" mon set bias 8 1

mon set temp all 42000
check_eq "temperature 42.000 degC = 0x2a00 (1/256 degC)" 10752 "$(word 0e)"
mon set vcc all 3300000
check_eq "Vcc 3.3 V = 33000 (100 uV)" 33000 "$(word 10)"
mon step temp all -1500
check_eq "step -1.5 degC" $((10752 - 384)) "$(word 0e)"
check_eq "no module flag yet" 0 "$(byte 09)"

mon set temp all 80000
check_eq "80 degC latches temp high alarm + warning (byte 9)" 5 "$(byte 09)"
check_eq "condition persists: flags latch again" 5 "$(byte 09)"
check_eq "IntL asserted (byte 3 bit 0 = 0)" 0 $(($(byte 03) & 1))
mon set temp all -10000
check_eq "-10 degC: low alarm + warning, high ones still latched" 15 "$(byte 09)"
mon set temp all 40000
# The low condition persisted past the read above: it latched again at once
# (CMIS: a persisting condition sets its flag again right after the clear).
check_eq "back to normal: the low flags latched since the last read" 10 \
	"$(byte 09)"
check_eq "back to normal: nothing latches again after the read" 0 "$(byte 09)"
check_eq "IntL deasserted" 1 $(($(byte 03) & 1))
mon set vcc all 3000000
check_eq "Vcc 3.0 V: low warning only (bits 7)" 128 "$(byte 09)"
mon set vcc all 3300000
byte 09 >/dev/null

echo 0 >"$D/time_scale"
mon set temp all 40000
echo 5000 >"$D/temp_load_mc"
check_eq "temp_load_mc heats a powered-up module by 5 degC" 11520 "$(word 0e)"
xfer '50 1a w 10' >/dev/null
check_eq "in low power it is back to the set point" 10240 "$(word 0e)"
xfer '50 1a w 00' >/dev/null
echo -3000 >"$D/temp_load_mc"
check_eq "a negative load cools (37 degC)" 9472 "$(word 0e)"
echo 0 >"$D/temp_load_mc"
byte 08 >/dev/null

page 11
mon set bias 2 40000
check_eq "lane 3 Tx bias 40 mA = 20000 (2 uA)" 20000 "$(word ae)"
mon set tx_power 3 1000000
check_eq "lane 4 Tx power 1 mW = 10000 (0.1 uW)" 10000 "$(word a0)"
mon set rx_power 1 5000
check_eq "lane 2 Rx power 5 uW = 50" 50 "$(word bc)"
check_eq "lane 2 Rx LOS latched (11h:147 bit 1)" 2 "$(byte 93)"
check_eq "lane 2 Rx power low alarm (11h:150)" 2 "$(byte 96)"
check_eq "lane 2 Rx power low warning (11h:152)" 2 "$(byte 98)"
check_eq "no Rx power high alarm (11h:149)" 0 "$(byte 95)"
mon set rx_power 1 1200000
byte 93 >/dev/null; byte 96 >/dev/null; byte 98 >/dev/null
check_eq "Rx LOS clear once the power is back and read" 0 "$(byte 93)"
mon set bias 0 110000
check_eq "lane 1 bias 110 mA: high alarm (11h:143)" 1 "$(byte 8f)"
check_eq "lane 1 bias 110 mA: high warning (11h:145)" 1 "$(byte 91)"
mon set bias 0 55000
byte 8f >/dev/null; byte 91 >/dev/null
check_eq "no Tx power flags (11h:139)" 0 "$(byte 8b)"

# Drift checks measure the real time that passed (/proc/uptime) instead of
# assuming it: a debug kernel runs each command several times slower.
now() { cut -d' ' -f1 /proc/uptime; }
# within LO HI VALUE: LO <= VALUE <= HI (awk expressions)
within() { awk "BEGIN { exit !(($1) <= $3 && $3 <= ($2)) }"; }
within_ex() { # within, with ex(x) = (1 + x/1024)^1024 <= e^x
	awk "function ex(x, i) { x = 1 + x / 1024; for (i = 0; i < 10; i++) x *= x; return x }
	     BEGIN { exit !(($1) <= $3 && $3 <= ($2)) }"
}

# drift: mon_accel 3600 makes one real second one hour of monitor time
echo 3600 >"$D/mon_accel"
t0=$(now)
mon drift bias 0 36000
a=$(word aa)
t1=$(now)
sleep 1
t2=$(now)
b=$(word aa)
t3=$(now)
d=$((b - a))
# a was read in t0..t1 and b in t2..t3: between the reads at least t2 - t1
# and at most t3 - t0 passed, however long each read took.
diag "bias drift at 36 mA/h x3600 (18000 LSB/s) over $t1..$t2 to $t0..$t3 s: $a -> $b"
ok "bias rises 18000 LSB (36 mA) per real second" \
	within "0.7 * 18000 * ($t2 - $t1)" "1.3 * 18000 * ($t3 - $t0)" "$d"
mon drift bias 0 0
a=$(word aa)
sleep 0.5
check_eq "drift stopped: value holds" "$a" "$(word aa)"

# relative drifts: +20 %/h on bias, -3 dB/h on Rx power (x3600: per second)
t0=$(now)
mon set bias 1 50000
mon drift_ppm bias 1 200000
mon set rx_power 3 1000000
mon drift_mdb rx_power 3 -3000
t1=$(now)
check_match "monitor file shows the relative drifts" '^rx_power 3 [0-9]+ 0 0 -3000 0 0$' \
	"$(cat $D/monitor)"
sleep 1
t2=$(now)
b=$(word ac)
r=$(word c0)
t3=$(now)
diag "after $t1..$t2 to $t0..$t3 s: lane 2 bias $b (from 25000), lane 4 Rx power $r (from 10000)"
# Busybox awk has no pow() or exp(): 1.2^t = e^(0.18 t), 10^(-0.3 t) =
# e^(-0.69 t), bounded with 1 + x <= e^x, (1 + x/1024)^1024 <= e^x (awk's
# ex() below, any x > -1024) and a cubic above e^(0.18 t) for t < 15 s.
lo=$(awk "BEGIN { print $t2 - $t1 }")
hi=$(awk "BEGIN { print $t3 - $t0 }")
ok "bias +20 % per monitor hour" within "0.9 * 25000 * (1 + 0.18 * $lo)" \
	"1.1 * 25000 * (1 + 0.19 * $hi + 0.02 * $hi * $hi + 0.002 * $hi * $hi * $hi)" "$b"
ok "Rx power -3 dB per monitor hour" within_ex \
	"0.9 * 10000 * ex(-0.691 * $hi)" "1.1 * 10000 / (1 + 0.69 * $lo)" "$r"
mon drift_ppm bias 1 0
mon drift_mdb rx_power 3 0
b=$(word ac)
sleep 0.5
check_eq "relative drift stopped: value holds" "$b" "$(word ac)"

# Noise: a sample holds for mon_interval_ms and changes after it. The
# interval is set, not raced: an hour holds across any two reads of this
# test; 100 ms is over after a sleep of 0.2 s, however fast the guest.
mon noise temp all 2000
page 00
echo 3600000 >"$D/mon_interval_ms"
n1=$(word 0e)
sleep 0.2
n2=$(word 0e)
echo 100 >"$D/mon_interval_ms"
n3=$(word 0e)
sleep 0.2
n4=$(word 0e)
sleep 0.2
n5=$(word 0e)
diag "noisy temperature: $n1 $n2 (1 h interval) $n3 $n4 $n5 (100 ms)"
check_eq "a noise sample holds for mon_interval_ms" "$n1" "$n2"
check_match "noise changes the value over time" '^ok$' \
	"$( { [ $n3 != $n4 ] || [ $n4 != $n5 ]; } && echo ok)"
check_match "noise stays within +/-2 degC of 40 degC" '^ok$' \
	"$( [ $n1 -ge $((38 * 256)) ] && [ $n1 -le $((42 * 256)) ] && echo ok)"

ok "rmmod optic_sim" rmmod optic_sim
