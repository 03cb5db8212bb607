# SPDX-License-Identifier: GPL-2.0
# Hot-unplug under readers, then `rmmod optic` and `rmmod optic_sim` under
# readers (eeprom file, sysfs, hwmon and netlink loops, opticctl monitor,
# opticd): no kernel report, every rmmod completes within its bound, the
# readers see errors (never wrong bytes) and stop when told, nothing hangs,
# and after reloading everything reads as before.
# timeout: 300

D=$SIM_DEBUGFS/port0
P=$OPTIC_CLASS/port0
STOP=/tmp/stop
CONF=/tmp/opticd.conf
LOG=/tmp/opticd.log


# The readers read page 10h (controls, not cached by the driver, the same
# in every module the simulator plugs; page 03h starts empty on a replug).
# A reader loop: NAME; runs the shell command $rd_NAME (it prints the bytes
# read) bounded by timeout. Per read, one line in /tmp/rd.NAME: "ok" (the
# reference bytes), "bad DATA" (other bytes) or "err MESSAGE".
reader() {
	local name=$1 cmd got
	eval "cmd=\$rd_$name"
	: >/tmp/rd.$name
	while [ ! -e $STOP ]; do
		if got=$(timeout 20 sh -c "$cmd" 2>&1); then
			if [ "$got" = "$(cat /tmp/ref.$name)" ]; then
				echo ok
			else
				echo "bad $got" | cut -c1-100
			fi
		else
			printf 'err %s\n' "$(printf '%s' "$got" | tr '\n' ' ' | cut -c1-100 | sed 's/ *$//')"
		fi >>/tmp/rd.$name
		# an empty-cage error loops fast: keep the log small
		sleep 0.02
	done
}
rd_eeprom="dd if=$P/eeprom bs=128 skip=17 count=1 2>&1 >/tmp/rd.bin | grep -v records; od -An -tx1 -v </tmp/rd.bin | tr -d ' \\n' | grep ."
rd_sysfs="cat $P/vendor_sn && cat $P/module_state >/dev/null"
rd_hwmon="cat $P/device/hwmon/hwmon*/temp1_input >/dev/null && echo hwmon"
rd_nl="vm-nl read index=u32:0 page=u8:16 offset=u16:128 length=u16:128 >/tmp/rd.nl.out; r=\$?; sed -n 's/^data=//p' /tmp/rd.nl.out; grep ^error /tmp/rd.nl.out; exit \$r"
READERS="eeprom sysfs hwmon nl"

start_readers() {
	rm -f $STOP
	pids=""
	for r in $READERS; do
		reader $r &
		pids="$pids $!"
	done
}
# stop_readers: every reader loop ends within 30 s (no read hangs)
stop_readers() {
	touch $STOP
	local i=0 p alive
	while [ $i -lt 300 ]; do
		alive=""
		for p in $pids; do kill -0 $p 2>/dev/null && alive="$alive $p"; done
		[ -z "$alive" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ -z "$alive" ]
}
count() { grep -c "^$2" /tmp/rd.$1; }
# the errors of reader $1, other than those matching $2
other_errors() { grep '^err' /tmp/rd.$1 | grep -Ev -- "$2" | sort | uniq -c | head -n 5; }

ok "optic_sim loads" load_sim ports=2
ok "optic.ko loads" load_optic poll_ms=200
ok "port0 identified" wait_for 10 test -e $P/vendor_sn
for m in temp vcc bias tx_power rx_power; do echo "noise $m all 0" >$D/monitor; done
for r in $READERS; do
	eval "sh -c \"\$rd_$r\"" >/tmp/ref.$r 2>&1
done
check_match "reference page 10h" '^[0-9a-f]{256}$' "$(cat /tmp/ref.eeprom)"
check_eq "netlink and eeprom agree" "$(cat /tmp/ref.eeprom)" "$(cat /tmp/ref.nl)"

# --- hot-unplug during reads -----------------------------------------------------
# every reader has read the empty cage (slow readers: the debug kernel)
all_failed() { for r in $READERS; do grep -q '^err' /tmp/rd.$r || return 1; done; }
start_readers
sleep 1
for i in 1 2 3; do
	echo 0 >$D/present
	sleep 1.5
	[ $i -lt 3 ] || wait_for 30 all_failed
	echo 1 >$D/present
	sleep 1.5
done
ok "unplug: every reader stops (no hung read)" stop_readers
# errors an empty cage may give: ENXIO; for a hwmon device that left,
# ENOENT (open) or ENODEV (a read of a file open while it went)
empty_re='^err (.*: )?No such device or address$|^err error 6: |^err cat: can.t open .*hwmon.*: No such file or directory$|^err cat: read error: No such device$'

for r in $READERS; do
	diag "unplug $r: $(count $r ok) right, $(count $r bad) wrong, $(count $r err) errors"
	check_eq "unplug $r: never wrong bytes" 0 "$(count $r bad)"
	ok "unplug $r: some reads right" test "$(count $r ok)" -gt 0
	ok "unplug $r: some reads failed while unplugged" test "$(count $r err)" -gt 0
	check_eq "unplug $r: only empty-cage errors" "" "$(other_errors $r "$empty_re")"
done
ok "replugged: port0 present" wait_for 10 grep -qx 1 $P/present
ok "replugged: hwmon back" wait_for 10 sh -c "ls $P/device/hwmon/hwmon*/temp1_input"
check_eq "replugged: page 10h reads right" "$(cat /tmp/ref.eeprom)" "$(sh -c "$rd_eeprom")"
check_eq "replugged: netlink reads right" "$(cat /tmp/ref.nl)" "$(sh -c "$rd_nl")"

# --- rmmod optic under readers, opticctl monitor and opticd ------------------------
cat >"$CONF" <<'CONF'
[daemon]
poll_interval = 200ms
driver_retry = 1s
CONF
opticd -c "$CONF" --log-target=console >"$LOG" 2>&1 &
dpid=$!
ok "opticd sees port0" wait_for 15 metric_is 'optic_module_present{port="port0"}' 1
timeout 60 opticctl monitor >/tmp/mon.out 2>&1 &
mpid=$!
timeout 60 vm-nl monitor 100 30 >/tmp/vmmon.out 2>&1 &
vpid=$!
wait_for 5 grep -q listening /tmp/vmmon.out
start_readers
sleep 2
t0=$(date +%s)
# busybox rmmod is O_NONBLOCK: EAGAIN while a request holds the module, so retry.
ok "rmmod optic under readers completes" wait_for 30 rmmod optic
diag "rmmod optic took $(($(date +%s) - t0)) s"
sleep 1
ok "rmmod optic: every reader stops" stop_readers
# (a sysfs read may print vendor_sn before module_state's file goes)
gone_re='^err (.* )?(dd|cat): can.t open .*: No such file or directory$|^err error 2: (error 2: )?no optic family$|^err error 19: |^err (.*: )?No such device$'

for r in $READERS; do
	diag "rmmod optic $r: $(count $r ok) right, $(count $r bad) wrong, $(count $r err) errors"
	check_eq "rmmod optic $r: never wrong bytes" 0 "$(count $r bad)"
	ok "rmmod optic $r: reads right before" test "$(count $r ok)" -gt 0
	ok "rmmod optic $r: reads fail once the driver is gone" test "$(tail -n 1 /tmp/rd.$r | cut -c1-3)" = err
	check_eq "rmmod optic $r: only driver-gone errors" "" "$(other_errors $r "$gone_re")"
done
check_match "netlink monitor saw both ports removed" 'event=2' "$(cat /tmp/vmmon.out)"
ok "opticctl monitor printed the removals" grep -qi 'removed' /tmp/mon.out
ok "opticd notices the driver left" wait_for 10 metric_is optic_up 0
ok "opticd still running" kill -0 $dpid
kill $mpid $vpid 2>/dev/null
ok "opticctl monitor ends when killed (not stuck in the kernel)" wait_for 10 sh -c "! kill -0 $mpid"
wait $mpid $vpid 2>/dev/null

ok "insmod optic again" load_optic poll_ms=200
ok "port0 back" wait_for 10 test -e $P/vendor_sn
ok "opticd reconnects" wait_for 15 metric_is 'optic_module_present{port="port0"}' 1
check_eq "after reload: page 10h reads right" "$(cat /tmp/ref.eeprom)" "$(sh -c "$rd_eeprom")"

# --- rmmod optic_sim (the adapters go away under the bound driver) ------------------
timeout 60 vm-nl monitor 100 30 >/tmp/vmmon.out 2>&1 &
vpid=$!
wait_for 5 grep -q listening /tmp/vmmon.out
start_readers
sleep 2
t0=$(date +%s)
ok "rmmod optic_sim under readers completes" wait_for 30 rmmod optic_sim
diag "rmmod optic_sim took $(($(date +%s) - t0)) s"
sleep 1
ok "rmmod optic_sim: every reader stops" stop_readers
for r in $READERS; do
	diag "rmmod optic_sim $r: $(count $r ok) right, $(count $r bad) wrong, $(count $r err) errors"
	check_eq "rmmod optic_sim $r: never wrong bytes" 0 "$(count $r bad)"
	ok "rmmod optic_sim $r: reads right before" test "$(count $r ok)" -gt 0
	ok "rmmod optic_sim $r: reads fail once the cage is gone" test "$(tail -n 1 /tmp/rd.$r | cut -c1-3)" = err
	check_eq "rmmod optic_sim $r: only cage-gone errors" "" "$(other_errors $r "$gone_re|$empty_re")"
done
ok "optic has no port left" test -z "$(ls $OPTIC_CLASS 2>/dev/null)"
check_match "netlink monitor saw the removals" 'event=2' "$(cat /tmp/vmmon.out)"
ok "opticd: port0 gone" wait_for 15 sh -c "! wget -qO- $OPTICD_URL | grep -q 'optic_module_present{port=\"port0\"} 1'"
ok "opticd still running" kill -0 $dpid
kill $vpid 2>/dev/null
wait $vpid 2>/dev/null

ok "optic_sim loads again" load_sim ports=2
ok "port0 back" wait_for 10 test -e $P/vendor_sn
check_eq "after reload: page 10h reads right" "$(cat /tmp/ref.eeprom)" "$(sh -c "$rd_eeprom")"
check_eq "after reload: netlink reads right" "$(cat /tmp/ref.nl)" "$(sh -c "$rd_nl")"
ok "opticd shows port0 again" wait_for 15 metric_is 'optic_module_present{port="port0"}' 1
kill -TERM $dpid
ok "opticd exits on SIGTERM" wait_for 10 sh -c "! kill -0 $dpid"
wait $dpid
check_eq "opticd exit status 0" 0 "$?"
sed 's/^/# opticd: /' $LOG | grep -Ei 'driver|removed|port0' | head -n 12
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
