# SPDX-License-Identifier: GPL-2.0
# optic.ko under load: parallel sysfs/eeprom/hwmon/netlink readers on two
# ports whose pages must never mix (page select + access are atomic), a
# third port hot-plugged for 30 s with ordered inserted/removed events, then
# rmmod optic while the readers still run.
# timeout: 300

load_sim ports=3
ok "optic loads" load_optic poll_ms=100
# Port2's first insertion must be behind us before events are counted.
ok "port2 identified" wait_for 10 grep -qx 1 $OPTIC_CLASS/port2/present
stop=/tmp/stop
rm -f $stop /tmp/err.*

page() { # PORT PAGE: hex dump of an upper page through the eeprom file
	dd if=$OPTIC_CLASS/port$1/eeprom bs=128 skip=$(($2 + 1)) count=1 2>/dev/null |
		od -An -tx1 -v | tr -d ' \n'
}

# Distinct content in page 03h (user EEPROM) of ports 0 and 1.
for p in 0 1; do
	printf '\x5a\x5b\x5c\x5d\x5e\x5f\x60\x61' |
		dd of=$OPTIC_CLASS/port$p/eeprom bs=8 seek=$(((128 + 3 * 128 + 8 * p) / 8)) 2>/dev/null
done
ref3_0=$(page 0 3) ref10_0=$(page 0 16) ref3_1=$(page 1 3)
check_match "page 03h written" 5a5b5c5d "$ref3_0"
ok "pages 03h and 10h differ" test "$ref3_0" != "$ref10_0"

reader() { # ID PORT PAGE REF
	local n=0
	while [ ! -e $stop ]; do
		got=$(page "$2" "$3")
		[ "$got" = "$4" ] || echo "reader $1: page $3 of port$2 mixed up ($got)" >>/tmp/err.$1
		n=$((n + 1))
	done
	echo $n >/tmp/count.$1
}

sysfs_reader() { # ID PORT
	local n=0 sn
	sn=$(cat $OPTIC_CLASS/port$2/vendor_sn)
	while [ ! -e $stop ]; do
		[ "$(cat $OPTIC_CLASS/port$2/vendor_sn)" = "$sn" ] ||
			echo "reader $1: vendor_sn" >>/tmp/err.$1
		cat $OPTIC_CLASS/port$2/device/hwmon/hwmon*/power1_input >/dev/null ||
			echo "reader $1: hwmon" >>/tmp/err.$1
		cat $OPTIC_CLASS/port$2/module_state >/dev/null ||
			echo "reader $1: module_state" >>/tmp/err.$1
		n=$((n + 1))
	done
	echo $n >/tmp/count.$1
}

nl_reader() { # ID PORT REF
	local n=0
	while [ ! -e $stop ]; do
		vm-nl read index=u32:$2 page=u8:3 offset=u16:128 length=u16:128 |
			grep -q "^data=$3\$" || echo "reader $1: netlink page 03h" >>/tmp/err.$1
		n=$((n + 1))
	done
	echo $n >/tmp/count.$1
}

# Hot-plug port 2 readers: only "no module" errors are allowed.
plug_reader() { # ID
	while [ ! -e $stop ]; do
		cat $OPTIC_CLASS/port2/vendor_pn >/dev/null 2>/tmp/plug.$1 ||
			grep -q 'No such device or address' /tmp/plug.$1 ||
			echo "reader $1: $(cat /tmp/plug.$1)" >>/tmp/err.$1
		dd if=$OPTIC_CLASS/port2/eeprom of=/dev/null bs=128 count=3 2>/tmp/plug.$1 ||
			grep -q 'No such device or address' /tmp/plug.$1 ||
			echo "reader $1: $(cat /tmp/plug.$1)" >>/tmp/err.$1
	done
}

vm-nl monitor 100000 40 >/tmp/ev &
mon=$!
wait_for 10 grep -q listening /tmp/ev
reader 1 0 3 "$ref3_0" &
reader 2 0 16 "$ref10_0" &
reader 3 1 3 "$ref3_1" &
reader 4 0 3 "$ref3_0" &
sysfs_reader 5 0 &
sysfs_reader 6 1 &
plug_reader 7 &
nl_reader 8 0 "$ref3_0" &

# port2_events: port2's REMOVED (2) and INSERTED (1) events so far, in order
port2_events() {
	awk '/^name=/ { n = $0 } /^event=/ { e = $0 }
		/^seq=/ && n == "name=port2" && (e == "event=1" || e == "event=2") {
			print substr(e, 7) }' /tmp/ev | tr -d '\n'
}
port2_events_ge() { local s; s=$(port2_events); [ "${#s}" -ge "$1" ]; }

# Each half cycle lasts 0.3 s at least, and until the driver (poll or a
# reader) has noticed it: on a slow guest a pull is never put back unseen.
plugs=0
end=$(($(date +%s) + 30))
while [ "$(date +%s)" -lt $end ]; do
	echo 0 >"$SIM_DEBUGFS/port2/present"
	sleep 0.3
	wait_for 10 port2_events_ge $((2 * plugs + 1))
	echo 1 >"$SIM_DEBUGFS/port2/present"
	sleep 0.3
	wait_for 10 port2_events_ge $((2 * plugs + 2))
	plugs=$((plugs + 1))
done
sleep 1
diag "$plugs plug cycles"

cat /tmp/err.* >/tmp/errors 2>/dev/null
check_eq "no reader errors" "" "$(head -n 3 /tmp/errors)"

# rmmod while everything still runs (errors after it are expected).
ok "rmmod optic under load" rmmod optic
touch $stop
kill $mon 2>/dev/null
wait
diag "reader iterations: $(cat /tmp/count.* | tr '\n' ' ')"

# port2 events only: REMOVED (2) and INSERTED (1) must alternate.
seqs=$(port2_events)
diag "port2 presence events: ${#seqs}"
check_match "port2 events alternate removed/inserted" '^(21)+2?$' "$seqs"
ok "every pull and every plug seen (two events per cycle)" \
	test "${#seqs}" -ge $((2 * plugs))
ok "rmmod optic_sim" rmmod optic_sim
