# SPDX-License-Identifier: GPL-2.0
# optic_sim diagnostics pages 13h/14h (CMIS 5.2 8.16/8.17, layout in
# docs/diag.md), raw registers through portN/xfer: capabilities, loopbacks
# and their effect on the monitors, PRBS generators and checkers counting
# bits from the lane rate and errors from the debugfs ber knob, loss of
# lock on a dark lane, the SNR of locked lanes (selector 06h) from that
# knob, and a module without the pages.
# timeout: 200

P=$SIM_DEBUGFS/port0

x() { echo "$1" >"$P/xfer" && cat "$P/xfer"; }
pg() { x "50 7f w $1" >/dev/null; }
rd() { pg "$1"; x "50 $2 r $3" | sed 's/^ok //'; }
wr() { pg "$1"; x "50 $2 w $3" >/dev/null; }
hex() { printf '%x' "$1"; }
clock() { echo "$1" >"$P/clock"; }
# an unsigned little-endian U64 from 8 hex bytes
le64() { echo $((0x$8$7$6$5$4$3$2$1)); }
# counters SELECTOR SLOT(1-4): "errors bits" of one lane (14h:192 + 16 k)
counters() {
	wr 14 80 "$1"
	# shellcheck disable=SC2046
	set -- $(rd 14 "$(hex $((192 + 16 * ($2 - 1))))" 16)
	echo "$(le64 "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8")" \
		"$(le64 "$9" "${10}" "${11}" "${12}" "${13}" "${14}" "${15}" "${16}")"
}
# PRBS31Q from every host generator into every host checker, the clock
# held, the counters held at zero (ResetErrorInformation, 13h:177 bit 5)
host_prbs31q() {
	wr 13 94 "00 00 00 00"
	wr 13 a4 "00 00 00 00"
	wr 13 90 ff
	wr 13 a0 ff
	clock hold
	wr 13 b1 20
}
# within LO HI VALUE
within() { awk -v lo="$1" -v hi="$2" -v v="$3" 'BEGIN { exit !(v >= lo && v <= hi) }'; }

ok "optic_sim loads" load_sim ports=2 attach=0 profile=osfp-800g-2xdr4

check_eq "01h:142: pages 13h-14h advertised (bit 5)" 24 "$(rd 01 8e 1)"
check_eq "13h:128-131: loopbacks, no gating, counts, BER, SNR both sides, engines" \
	"7f 00 33 aa" "$(rd 13 80 4)"
check_eq "13h:132-139: host PRBS31Q 31 15Q 13Q SSPRQ, media 31Q-13 SSPRQ" \
	"53 10 f3 10 53 10 f3 10" "$(rd 13 84 8)"
check_eq "13h:142: per-lane enable and pattern" ff "$(rd 13 8e 1)"
wr 13 80 00
check_eq "capabilities are read-only" 7f "$(rd 13 80 1)"

# Loopbacks, monitors read with the clock held (one noise sample).
echo "set rx_power 2 500000" >"$P/monitor"
echo "noise rx_power 2 0" >"$P/monitor"
clock hold
check_eq "lane 3 receives 500 µW (11h:190)" "13 88" "$(rd 11 be 2)"
wr 13 b4 04
check_eq "media output loopback on lane 3 (13h:180)" 04 "$(rd 13 b4 1)"
check_eq "lane 3's receiver sees its own transmitter" "$(rd 11 9e 2)" \
	"$(rd 11 be 2)"
wr 10 82 04
check_eq "lane 3's Tx disabled: no light, Rx power 0" "00 00" "$(rd 11 be 2)"
check_eq "Rx LOS latched on lane 3 (11h:147)" 04 "$(rd 11 93 1)"
wr 10 82 00
wr 13 b4 00
check_eq "loopback off: lane 3 receives its 500 µW again" "13 88" \
	"$(rd 11 be 2)"
wr 13 b6 01
check_eq "host output loopback lane 1: no Rx output to the host (11h:132)" \
	fe "$(rd 11 84 1)"
wr 13 b6 00
check_eq "loopback off: Rx output on all lanes" ff "$(rd 11 84 1)"
wr 13 b5 08
echo "offset rx_power 3 -100000000000" >"$P/monitor"
rd 11 80 1 >/dev/null
check_eq "media input loopback, lane 4 dark: Tx squelched (11h:133)" \
	f7 "$(rd 11 85 1)"
check_eq "and its Tx power 0 (11h:160)" "00 00" "$(rd 11 a0 2)"
echo "offset rx_power 3 0" >"$P/monitor"
rd 11 80 1 >/dev/null
check_eq "light back: lane 4 transmits again" ff "$(rd 11 85 1)"
wr 13 b5 00
clock run

# PRBS31Q on the host side of all 8 lanes, 10 s on a held clock.
echo "all 1e-9" >"$P/ber"
echo "host 1 0" >"$P/ber"
echo "host 2 5e-11" >"$P/ber"
check_match "ber knob reads back, with the SNR it gives (12 dB - log10 BER)" \
	'^1 0 1\.000e-9 30\.000 21\.004$' "$(sed -n 3p "$P/ber")"
check_match "and 5e-11: 22.305 dB" '^2 5\.000e-11 1\.000e-9 22\.305 21\.004$' \
	"$(sed -n 4p "$P/ber")"
host_prbs31q
check_eq "ResetErrorInformation holds the counters at 0" "0 0" \
	"$(counters 02 1)"
wr 13 b1 00
clock "advance 10000"
# Error counts: within the Poisson quantiles 5e-7 and 1 - 5e-7 of their
# mean (a false failure once in a million runs; 4 sigma, once in ~18 000
# for a mean of 53, failed once).
# shellcheck disable=SC2046
set -- $(counters 02 1)
ok "lane 1: bits = 106.25 Gb/s x 10 s within 1 % ($2)" \
	within 1051875000000 1073125000000 "$2"
ok "lane 1: errors at 1e-9, Poisson of mean 1062.5 ($1)" \
	within 907 1226 "$1"
check_eq "lane 2 (BER 0): no error" 0 "$(counters 02 2 | cut -d' ' -f1)"
e3=$(counters 02 3 | cut -d' ' -f1)
ok "lane 3: errors at 5e-11, Poisson of mean 53.1 ($e3)" within 22 92 "$e3"
# shellcheck disable=SC2046
set -- $(counters 03 4)
ok "lane 8: bits counted too ($2)" within 1051875000000 1073125000000 "$2"
wr 14 80 01
ber=$(rd 14 c0 2)
check_match "selector 01h: lane 1 BER as F16, exponent 12 (x 1e-12)" \
	'^6[0-7] ' "$ber"
# shellcheck disable=SC2086
set -- $ber
ok "F16 mantissa 1000, Poisson of mean 1000 ($((0x$1$2 & 2047)))" \
	within 845 1156 $((0x$1$2 & 2047))
check_eq "no lane lost lock (14h:138)" 00 "$(rd 14 8a 1)"
wr 14 80 06
check_eq "selector 06h: host SNR lanes 1-3 (14h:208, U16 LE, 1/256 dB)" \
	"01 15 00 1e 4e 16" "$(rd 14 d0 6)"
check_eq "selector 06h: 192-207 reserved" "00 00 00 00" "$(rd 14 c0 4)"
check_eq "selector 06h: no media SNR, its checkers are off (14h:240)" \
	"00 00" "$(rd 14 f0 2)"
clock "advance 1000"
b1=$(counters 02 1 | cut -d' ' -f2)
wr 13 a0 fe
clock "advance 1000"
check_eq "checker off: lane 1 keeps its count" "$b1" \
	"$(counters 02 1 | cut -d' ' -f2)"
wr 13 a0 ff
clock "advance 1000"
ok "checker on again: it counts from 0" within 105187500000 107312500000 \
	"$(counters 02 1 | cut -d' ' -f2)"
clock run

# Media side: a dark lane, a wrong pattern and a stopped generator lose lock.
wr 13 9c "00 00 00 00"
wr 13 ac "00 60 00 00"
wr 13 98 bf
wr 13 a8 ff
echo "offset rx_power 4 -100000000000" >"$P/monitor"
clock hold
wr 13 b1 20
wr 13 b1 00
rd 14 8b 1 >/dev/null
clock "advance 2000"
check_eq "media LOL (14h:139): lane 5 dark, 4 PRBS13Q vs PRBS31Q, 7 no generator" \
	58 "$(rd 14 8b 1)"
check_eq "dark lane 5 counts no bits" 0 "$(counters 05 1 | cut -d' ' -f2)"
ok "media lane 1 counts 2 s at 106.25 Gb/s" \
	within 210375000000 214625000000 "$(counters 04 1 | cut -d' ' -f2)"
wr 14 80 06
check_eq "media SNR (14h:240) on the locked lanes 1-3, 6, 8 only" \
	"01 15 01 15 01 15 00 00 00 00 01 15 00 00 01 15" "$(rd 14 f0 16)"
echo "offset rx_power 4 0" >"$P/monitor"

# A data path that is not activated has no signal on the host side.
wr 10 80 ff
clock "advance 100"
rd 14 8a 1 >/dev/null
clock "advance 1000"
check_eq "DPDeinit: every host checker lost lock" ff "$(rd 14 8a 1)"
wr 14 80 06
check_eq "and reports no SNR" "00 00 00 00" "$(rd 14 d0 4)"
b1=$(counters 02 1 | cut -d' ' -f2)
clock "advance 1000"
check_eq "and counts nothing" "$b1" "$(counters 02 1 | cut -d' ' -f2)"
wr 10 80 00
clock run

# The lane rate follows the lane's application: 400GAUI-8 is 53.125 Gb/s.
echo 0 >"$SIM_DEBUGFS/port1/time_scale"
echo qsfpdd-400g-dr4 >"$SIM_DEBUGFS/port1/profile"
P=$SIM_DEBUGFS/port1
host_prbs31q
wr 13 b1 00
clock "advance 1000"
ok "400GAUI-8 host lane: 53.125 Gb/s" within 52593750000 53656250000 \
	"$(counters 02 1 | cut -d' ' -f2)"
check_eq "qsfpdd-400g-dr4: counts and BER, no SNR (13h:130)" 03 "$(rd 13 82 1)"
wr 14 80 06
check_eq "qsfpdd-400g-dr4: selector 06h empty on a locked lane" "00 00" \
	"$(rd 14 d0 2)"
clock run

# A module without pages 13h-14h.
echo qsfpdd-400g-fr4 >"$SIM_DEBUGFS/port1/profile"
check_eq "fr4: 01h:142 bit 5 clear" 04 "$(rd 01 8e 1)"
check_eq "fr4: page 13h reads as zeroes" "00 00 00 00" "$(rd 13 80 4)"
wr 13 b4 ff
check_eq "fr4: a loopback write is ignored" 00 "$(rd 13 b4 1)"
check_eq "fr4: data path still activated" "44 44 44 44" "$(rd 11 80 4)"

ok "rmmod optic_sim" rmmod optic_sim
