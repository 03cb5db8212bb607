# SPDX-License-Identifier: GPL-2.0
# optic_sim event log (debugfs events): plug and unplug, alarm and Rx LOS
# conditions starting and ending, in order with CLOCK_MONOTONIC times,
# consumed by reading; the offset knob; drift surviving a re-plug.

D=$SIM_DEBUGFS/port1
E=$SIM_DEBUGFS/events

xfer() { echo "$1" >"$D/xfer" && cat "$D/xfer"; }
word() { # OFF: big-endian u16 at OFF (hex) of the current page, decimal
	set -- $(xfer "50 $1 r 2" | sed 's/^ok //')
	echo $((0x$1 * 256 + 0x$2))
}
mon() { echo "$*" >"$D/monitor"; }
# events: what the log holds now (consumed)
events() { cat "$E" >/tmp/ev.all; cat /tmp/ev.all; }

ok "optic_sim loads" load_sim ports=2 attach=0
check_eq "both modules logged at load" \
	"port0 inserted qsfpdd-400g-dr4
port1 inserted qsfpdd-400g-dr4" "$(events | cut -d' ' -f3-5)"
check_match "sequence numbers and monotonic times" '^0 [0-9]+\.[0-9]{9} port0 ' \
	"$(head -n 1 /tmp/ev.all)"
check_eq "reading consumed them" "" "$(events)"
check_eq "nothing dropped" 0 "$(cat $SIM_DEBUGFS/events_dropped)"
check_eq "two logged so far" 2 "$(cat $SIM_DEBUGFS/events_logged)"

echo 0 >"$D/present"
echo 0 >"$D/present"
echo 1 >"$D/present"
check_eq "unplug once, plug" "port1 removed
port1 inserted qsfpdd-400g-dr4" "$(events | cut -d' ' -f3-5)"
echo sfp-10g-sr >"$D/profile"
echo empty >"$D/profile"
check_eq "a new profile: removed then inserted; empty: removed" "port1 removed
port1 inserted sfp-10g-sr
port1 removed" "$(events | cut -d' ' -f3-5)"
echo qsfpdd-400g-dr4 >"$D/profile"
events >/dev/null

for m in temp vcc bias tx_power rx_power; do
	mon noise $m all 0
done
mon set temp all 40000
xfer "50 0e r 2" >/dev/null
check_eq "no condition at 40 degC" "" "$(events)"
ok "offset knob accepted" mon offset temp 0 40000
check_match "monitor file shows the offset" '^temp 0 40000 0 0 0 0 40000$' "$(cat $D/monitor)"
check_eq "80 degC on the wire (offset added)" $((80 * 256)) "$(word 0e)"
check_match "high temperature alarm logged with the value" \
	'^port1 alarm temp 0 high 80000$' "$(events | cut -d' ' -f3-8)"
word 0e >/dev/null
check_eq "a lasting condition is logged once" "" "$(events)"
mon offset temp 0 0
word 0e >/dev/null
check_match "cleared when the offset goes" '^port1 alarm_clear temp 0 high 40000$' \
	"$(events | cut -d' ' -f3-8)"

xfer "50 7f w 11" >/dev/null
mon offset rx_power 2 -100000000000
word be >/dev/null
check_eq "Rx power of lane 3 (11h:190) reads 0" 0 "$(word be)"
check_eq "low alarm and LOS on lane 2 (0-based)" "port1 alarm rx_power 2 low 0
port1 los rx_power 2 0" "$(events | cut -d' ' -f3-)"
mon offset rx_power 2 0
word be >/dev/null
check_eq "both clear (set point of lane 2: 1.2 mW - 2/30)" "port1 alarm_clear rx_power 2 low 1120000
port1 los_clear rx_power 2 1120000" "$(events | cut -d' ' -f3-)"

# a condition present at a re-plug is reported again; drift survives it
mon offset temp 0 40000
word 0e >/dev/null
events >/dev/null
echo 0 >"$D/present"
echo 1 >"$D/present"
xfer "50 0e r 2" >/dev/null
check_eq "re-plug: inserted, then the alarm again" "port1 removed
port1 inserted
port1 alarm" "$(events | cut -d' ' -f3-4)"
mon offset temp 0 0
echo 3600 >"$D/mon_accel"
mon drift temp 0 10000
sleep 1
a=$(word 0e)
echo 0 >"$D/present"
echo 1 >"$D/present"
b=$(word 0e)
diag "temperature before/after re-plug with +10 degC/h at x3600: $a $b"
# (only a lower bound: a loaded host stretches the time between the reads)
check_match "drift so far survives a re-plug (not back to 40 degC)" '^ok$' \
	"$( [ $a -gt $((45 * 256)) ] && [ $b -ge $((a - 256)) ] && echo ok)"
mon drift temp 0 0

echo x >"$E"
check_eq "a write forgets pending events" "" "$(events)"
echo 0 >"$SIM_DEBUGFS/port0/present"
check_match "small reads: -EINVAL, nothing lost" '^ok$' \
	"$(dd if=$E bs=8 count=1 2>/dev/null | grep -q . || echo ok)"
check_match "event still there" 'port0 removed' "$(events)"
ok "unloads" rmmod optic_sim
ok "reloads with event_log=0" load_sim ports=1 attach=0 event_log=0
check_eq "logging off" "" "$(events)"
check_eq "logged 0" 0 "$(cat $SIM_DEBUGFS/events_logged)"
rmmod optic_sim
