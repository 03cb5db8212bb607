# SPDX-License-Identifier: GPL-2.0
# optic_sim bus accounting (exact bytes and modelled bus time of known access
# patterns) and every fault knob: nack_next, dead, timeout, corrupt,
# slow_write, drop_page_select, realtime.
# timeout: 120

D=$SIM_DEBUGFS/port0

xfer() { echo "$1" >"$D/xfer" && cat "$D/xfer"; }
cnt() { sed -n "s/^$1 //p" "$D/counters"; }
reset_counters() { echo 0 >"$D/counters"; }
uptime_cs() { sed 's/^\([0-9]*\)\.\([0-9]*\) .*/\1\2/' /proc/uptime; }

ok "optic_sim loads" load_sim ports=1 attach=0

reset_counters
check_eq "counters reset" "0 0 0 0" \
	"$(cnt transactions) $(cnt bytes_read) $(cnt bytes_written) $(cnt bus_time_ns)"
xfer '50 80 r 128' >/dev/null
# START + addr/ACK + offset/ACK + rSTART + addr/ACK + 128 x 9 + STOP = 1182 bits
check_eq "128-byte page read: 1 transaction" 1 "$(cnt transactions)"
check_eq "128-byte page read: 128 bytes read" 128 "$(cnt bytes_read)"
check_eq "128-byte page read: 1 byte written (offset)" 1 "$(cnt bytes_written)"
check_eq "128-byte page read: 1182 bits at 400 kHz = 2955000 ns" 2955000 \
	"$(cnt bus_time_ns)"
check_eq "per-counter file agrees" 2955000 "$(cat $D/bus_time_ns)"

reset_counters
xfer '50 7f sw 01' >/dev/null
# START + addr + 2 bytes + STOP = 29 bits
check_eq "SMBus byte write: 29 bits = 72500 ns" 72500 "$(cnt bus_time_ns)"
check_eq "SMBus byte write counts a page select" 1 "$(cnt page_selects)"
check_eq "SMBus byte write: 2 bytes written" 2 "$(cnt bytes_written)"
xfer '50 80 sr 32' >/dev/null
check_eq "+ SMBus 32-byte block read: 318 bits" $((72500 + 795000)) \
	"$(cnt bus_time_ns)"
check_eq "two transactions" 2 "$(cnt transactions)"
echo 0 >"$D/page_selects"
check_eq "page_selects resettable on its own" 0 "$(cnt page_selects)"

reset_counters
echo 100000 >"$D/clock_hz"
xfer '50 80 r 128' >/dev/null
check_eq "bus time follows clock_hz (100 kHz: 4x)" 11820000 "$(cnt bus_time_ns)"
echo 400000 >"$D/clock_hz"

reset_counters
echo 3 >"$D/fault_nack_next"
check_eq "fault_nack_next: 1st NACKed" "error -6" "$(xfer '50 00 r 1')"
check_eq "fault_nack_next: 2nd NACKed" "error -6" "$(xfer '50 00 r 1')"
check_eq "fault_nack_next: 3rd NACKed" "error -6" "$(xfer '50 00 r 1')"
check_eq "fault_nack_next: 4th answers" "ok 18" "$(xfer '50 00 r 1')"
check_eq "knob counted down to 0" 0 "$(cat $D/fault_nack_next)"
check_eq "nacks counted" 3 "$(cnt nacks)"
check_eq "NACKed transfers cost START + addr + STOP (11 bits), the good one 39" \
	$((3 * 27500 + 97500)) "$(cnt bus_time_ns)"

echo 1 >"$D/fault_dead"
check_eq "fault_dead: NACK" "error -6" "$(xfer '50 00 r 1')"
check_eq "fault_dead: NACK again" "error -6" "$(xfer '50 00 sb')"
echo 0 >"$D/fault_dead"
check_eq "fault_dead cleared: answers" "ok 18" "$(xfer '50 00 sb')"

echo 300 >"$D/fault_timeout"
t0=$(uptime_cs)
check_eq "fault_timeout: -ETIMEDOUT" "error -110" "$(xfer '50 00 r 1')"
t1=$(uptime_cs)
diag "timed-out transfer took $(((t1 - t0) * 10)) ms"
check_match "the bus was held for the timeout" '^ok$' \
	"$( [ $((t1 - t0)) -ge 29 ] && echo ok)"
echo 0 >"$D/fault_timeout"
check_eq "fault_timeout cleared: answers" "ok 18" "$(xfer '50 00 r 1')"

echo 1 >"$D/fault_corrupt"
check_eq "fault_corrupt: bytes come back inverted" "ok e7 af" "$(xfer '50 00 r 2')"
check_eq "fault_corrupt: only the next N reads" "ok 18 50" "$(xfer '50 00 r 2')"

echo 2 >"$D/fault_slow_write"
check_eq "slow_write: the write itself is ACKed" "ok" "$(xfer '50 7f w 00')"
check_eq "slow_write: 1st poll NACKed" "error -6" "$(xfer '50 00 r 1')"
check_eq "slow_write: 2nd poll NACKed" "error -6" "$(xfer '50 00 r 1')"
check_eq "slow_write: write complete" "ok 18" "$(xfer '50 00 r 1')"
echo 0 >"$D/fault_slow_write"
xfer '50 7f w 00' >/dev/null
check_eq "slow_write 0: no NACK after a write" "ok 18" "$(xfer '50 00 r 1')"

echo 1 >"$D/fault_drop_page_select"
xfer '50 7f w 01' >/dev/null
check_eq "drop_page_select: page stays 00h" "ok 00" "$(xfer '50 7f r 1')"
xfer '50 7f w 01' >/dev/null
check_eq "the next page select works" "ok 01" "$(xfer '50 7f r 1')"
xfer '50 7f w 00' >/dev/null

echo 1000 >"$D/clock_hz"
echo 1 >"$D/realtime"
t0=$(uptime_cs)
xfer '50 80 r 128' >/dev/null
t1=$(uptime_cs)
diag "realtime 128-byte read at 1 kHz took $(((t1 - t0) * 10)) ms (model 1182 ms)"
check_match "realtime=1 delays by the modelled bus time" '^ok$' \
	"$( [ $((t1 - t0)) -ge 115 ] && echo ok)"
echo 0 >"$D/realtime"
# 100 Hz: the model says 11.82 s. An upper bound on a guest's time can only
# be generous: 5 s is slack for any guest, and still far from the model.
echo 100 >"$D/clock_hz"
t0=$(uptime_cs)
xfer '50 80 r 128' >/dev/null
t1=$(uptime_cs)
diag "realtime=0 128-byte read at 100 Hz took $(((t1 - t0) * 10)) ms (model 11820 ms)"
check_match "realtime=0 does not" '^ok$' "$( [ $((t1 - t0)) -lt 500 ] && echo ok)"
echo 400000 >"$D/clock_hz"

ok "rmmod optic_sim" rmmod optic_sim
