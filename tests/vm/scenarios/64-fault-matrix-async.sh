# SPDX-License-Identifier: GPL-2.0
# Fault matrix, asynchronous paths: every optic_sim fault knob against
# (1) the events of the "monitor" group while the driver polls (poll_ms=200):
#     the events a fault causes, in order, seq without gaps, and the module
#     back (same identity, ready) once the fault clears;
# (2) opticd polling (200 ms): it logs the failure (or the removal) with the
#     reason, keeps serving metrics, and shows the port again once the fault
#     clears. Synchronous paths: 60-fault-matrix.sh; firmware flash:
#     65-fault-matrix-flash.sh.
# timeout: 300

D=$SIM_DEBUGFS/port0
P=$OPTIC_CLASS/port0
CONF=/tmp/opticd.conf
LOG=/tmp/opticd.log

drain() {
	local i=0 x
	while [ $i -lt 3000 ]; do
		echo "50 00 r 1" >$D/xfer
		read -r x <$D/xfer
		case $x in ok*) return 0 ;; esac
		i=$((i + 1))
	done
	return 1
}
put_test_bytes() {
	printf '\xa5\x5a' | dd of=$P/eeprom bs=1 seek=$((128 + 3 * 128 + 100)) conv=notrunc 2>/dev/null
}
reset_module() {
	echo 1 >$P/reset
	wait_for 10 grep -qx ready $P/module_state
	put_test_bytes
}
knob_clear() {
	echo 0 >$D/fault_$1
	drain
	[ "$1" != stuck_fault ] || reset_module
}
# flags_in_page3 OCTAL: fill page 03h bytes 134-141 with that byte
flags_in_page3() {
	printf "$1$1$1$1$1$1$1$1" | dd of=$P/eeprom bs=1 seek=$((128 + 3 * 128 + 6)) conv=notrunc 2>/dev/null
}
page3() { dd if=$P/eeprom bs=128 skip=4 count=1 2>/dev/null | od -An -tx1 -v | tr -d ' \n'; }
nl_state() { vm-nl get index=u32:0 | grep -E '^(present|state|vendor_sn)=' | tr '\n' ' '; }

ok "optic_sim loads" load_sim ports=1
ok "optic.ko loads (poll 200 ms)" load_optic poll_ms=200
ok "port0 identified" wait_for 10 test -e $P/vendor_sn
for m in temp vcc bias tx_power rx_power; do echo "noise $m all 0" >$D/monitor; done
put_test_bytes
ref3=$(page3)
refget=$(nl_state)
check_match "reference MODULE_GET" 'present=1 state=3 vendor_sn=' "$refget"

# --- (1) events -----------------------------------------------------------------
# knob value seconds expected-event-types (extended regex over the types
# seen, space separated; 1 inserted 2 removed 3 module state 4 data path
# 5 flag). A NACK at byte 0 is an empty cage to a driver without a presence
# line: removed, then inserted with the same identity. A held bus
# (ETIMEDOUT) and corrupted reads are not: no removed/inserted event (a
# corrupted flag byte may give flag events). A module fault is module-
# state, data-path and flag events in any order: a poll whose module-state
# read came just before the fault sees the data paths go down first (the
# order of the states themselves is checked below). The page-select line
# first maps page 03h so that the poll's page 11h select matters.
EVENTS="
nack_next 3        1 ^2 1$
nack_next 1000     1 ^2 1$
dead 1             1 ^2 1$
timeout 100        1 ^$
corrupt 1          1 ^(5( 5)*)?$
corrupt 2          1 ^(5( 5)*)?$
stuck_fault 1      1 ^[345]( [345])*$
slow_write 3       1 ^$
drop_page_select 1 1 ^$
"
while read -r knob val secs want; do
	[ -n "$knob" ] || continue
	rm -f /tmp/ev.out
	timeout 30 vm-nl monitor 1000 3 >/tmp/ev.out &
	mon=$!
	wait_for 5 grep -q listening /tmp/ev.out
	if [ "$knob" = drop_page_select ]; then
		flags_in_page3 '\377'
		page3 >/dev/null
		echo "$val" >$D/fault_$knob
		dd if=$P/eeprom bs=128 skip=18 count=1 2>/dev/null | od -An -tx1 | head -n 1 | sed 's/^/# page 11h read: /'
	else
		echo "$val" >$D/fault_$knob
	fi
	sleep "$secs"
	# A fault that must cause an event lasts until the poll saw it (the
	# first event expected), not only for a time the poll may miss.
	case $want in
	'^2'*) wait_for 10 grep -qx 'event=2' /tmp/ev.out ;;
	'^[345]'*) wait_for 10 grep -qx 'event=3' /tmp/ev.out ;;
	esac
	knob_clear "$knob"
	[ "$knob" != drop_page_select ] || flags_in_page3 '\000'
	# back: present, ready, same identity (a poll or two)
	wait_for 10 sh -c "vm-nl get index=u32:0 | grep -qx state=3"
	sleep 1
	got=$(nl_state)
	kill $mon 2>/dev/null
	wait $mon 2>/dev/null
	types=$(sed -n 's/^event=//p' /tmp/ev.out | tr '\n' ' ' | sed 's/ $//')
	seqs=$(sed -n 's/^seq=//p' /tmp/ev.out)
	gaps=$(printf '%s\n' $seqs | awk 'NR > 1 && $1 != prev + 1 { n++ } { prev = $1 } END { print n + 0 }')
	# new states of the module-state events (type 3) only
	states=$(awk -F= '$1 == "event" { t = $2 } $1 == "new_state" && t == 3 { printf "%s ", $2 } $0 == "--" { t = 0 }' /tmp/ev.out)
	diag "$knob=$val: events [$types] new states [$states]"
	check_match "$knob=$val: events" "$want" "$types"
	check_eq "$knob=$val: event seq without gaps" 0 "$gaps"
	if [ "$knob" = stuck_fault ]; then
		check_match "$knob=$val: fault, then ready after the reset" '^5 (.* )?3 $' "$states"
	fi
	if printf '%s' "$types" | grep -q '^2'; then
		check_match "$knob=$val: the inserted event names the same module" \
			"vendor_sn=${refget##*vendor_sn=}" "$(grep vendor_sn= /tmp/ev.out | tr '\n' ' ') "
	fi
	check_eq "$knob=$val: MODULE_GET after the fault" "$refget" "$got"
	check_eq "$knob=$val: page 03h after the fault" "$ref3" "$(page3)"
	# the reset's data paths come up after the module is ready: let their
	# events pass before the next cell listens
	[ "$knob" != stuck_fault ] || sleep 3
done <<EOF
$EVENTS
EOF

# --- (2) opticd --------------------------------------------------------------------
cat >"$CONF" <<'CONF'
[daemon]
poll_interval = 200ms
driver_retry = 1s
CONF
opticd -c "$CONF" --log-target=console >"$LOG" 2>&1 &
PID=$!
ok "opticd: port0 present" wait_for 15 metric_is 'optic_module_present{port="port0"}' 1
info_ref=$(metrics | grep '^optic_module_info{port="port0"')
check_match "opticd: module info" 'sn="' "$info_ref"

# knob value seconds log-regex-while-faulty log-regex-after (no blanks in a
# regex; "-": the fault need not show in the log: the daemon only reads, or
# what it logs depends on which bytes were corrupted; it is shown as diag).
# A held bus is a failed read, never a removal (only a NACK empties the cage).
DAEMON="
nack_next 1000     2 port0:.module.removed port0:.module.back
dead 1             2 port0:.module.removed port0:.module.back
timeout 100        3 port0:.reading.the.module's.monitors.failed:.Connection.timed.out port0:.reading.the.module's.monitors.works.again
corrupt 20         2 - -
stuck_fault 1      2 port0.recovery:.module.fault -
slow_write 3       2 - -
drop_page_select 3 2 - -
"
while read -r knob val secs during after; do
	[ -n "$knob" ] || continue
	lines=$(wc -l <"$LOG")
	echo "$val" >$D/fault_$knob
	sleep "$secs"
	[ "$during" = - ] || ok "opticd $knob=$val: logs it" wait_for 10 sh -c \
		"tail -n +$((lines + 1)) $LOG | grep -Eq \"$during\""
	ok "opticd $knob=$val: still serving metrics" metric_is optic_up 1
	knob_clear "$knob"
	ok "opticd $knob=$val: port0 present again" \
		wait_for 15 metric_is 'optic_module_present{port="port0"}' 1
	[ "$after" = - ] || ok "opticd $knob=$val: logs the recovery" wait_for 10 sh -c \
		"tail -n +$((lines + 1)) $LOG | grep -Eq \"$after\""
	ok "opticd $knob=$val: same module info" wait_for 10 sh -c \
		"wget -qO- $OPTICD_URL | grep -qxF '$info_ref'"
	case $knob in
	timeout|corrupt) ok "opticd $knob=$val: no removal logged" sh -c \
		"! tail -n +$((lines + 1)) $LOG | grep -Eq 'port0:.module.(removed|back|inserted)'" ;;
	esac
	ok "opticd $knob=$val: still running" kill -0 $PID
	tail -n +$((lines + 1)) "$LOG" | head -n 6 | sed "s/^/# $knob: /"
done <<EOF
$DAEMON
EOF
ok "opticd: polls keep succeeding" wait_for 5 has_metric '^optic_poll_duration_seconds_count [1-9]'
kill -TERM $PID
ok "opticd exits on SIGTERM" wait_for 10 sh -c "! kill -0 $PID"
wait $PID
check_eq "opticd exit status 0" 0 "$?"
check_eq "page 03h intact" "$ref3" "$(page3)"
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
