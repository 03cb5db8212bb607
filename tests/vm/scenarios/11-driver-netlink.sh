# SPDX-License-Identifier: GPL-2.0
# optic.ko generic netlink: MODULE_GET doit/dump, EEPROM_READ against the
# eeprom file, bad inputs rejected with extack naming the attribute,
# EEPROM_WRITE/MODULE_SET admin only, monitor events. Uses vm-nl, the raw
# netlink test client (build/tests/vm-nl).
# timeout: 240

load_sim ports=2
echo sfp-10g-sr >"$SIM_DEBUGFS/port1/profile"
ok "optic loads" load_optic poll_ms=200
d=$OPTIC_CLASS/port0

# nl_err CMD ARGS...: the "error N: ..." line of a request expected to fail.
nl_err() { vm-nl "$@" | grep '^error' || echo "no error"; }

out=$(vm-nl get index=u32:0)
check_match "MODULE_GET by index: name" '^name=port0$' "$out"
check_match "MODULE_GET: present" '^present=1$' "$out"
check_match "MODULE_GET: identifier 0x18" '^identifier=24$' "$out"
check_match "MODULE_GET: spec cmis" "^spec=1\$" "$out"
check_match "MODULE_GET: state ready" '^state=3$' "$out"
check_match "MODULE_GET: 8 lanes" '^lanes=8$' "$out"
check_match "MODULE_GET: vendor" "^vendor_name=$(cat $d/vendor_name)\$" "$out"
check_match "MODULE_GET: i2c address" '^addr=80$' "$out"
out=$(vm-nl get name=str:port1)
check_match "MODULE_GET by name: SFF-8472" '^spec=3$' "$out"
check_eq "dump lists both modules" 2 "$(vm-nl dump | grep -c '^index=')"

# EEPROM_READ equals the eeprom file.
exp=$(dd if=$d/eeprom bs=128 skip=2 count=1 2>/dev/null | od -An -tx1 -v | tr -d ' \n')
out=$(vm-nl read index=u32:0 page=u8:1 offset=u16:128 length=u16:128)
check_match "EEPROM_READ page 01h = eeprom file" "^data=$exp\$" "$out"
exp=$(dd if=$OPTIC_CLASS/port1/eeprom bs=1 skip=256 count=4 2>/dev/null | od -An -tx1 -v | tr -d ' \n')
out=$(vm-nl read index=u32:1 i2c_addr=u8:0x51 offset=u16:0 length=u16:4)
check_match "EEPROM_READ A2h = eeprom file" "^data=$exp\$" "$out"

# Ranges: one request, a nest per range in the order asked, each with its
# data; the bytes equal the eeprom file's (lower 0-3, vendor name, page 01h).
hex() { dd if=$d/eeprom bs=1 skip=$1 count=$2 2>/dev/null | od -An -tx1 -v | tr -d ' \n'; }
exp="$(hex 0 4) $(hex 148 16) $(hex 256 8)"
out=$(vm-nl read index=u32:0 range=nest:offset=u16:0,length=u16:4 \
	range=nest:page=u8:0,offset=u16:148,length=u16:16 \
	range=nest:page=u8:1,offset=u16:128,length=u16:8)
check_eq "EEPROM_READ of 3 ranges = eeprom file, in order" "$exp" \
	"$(printf '%s\n' "$out" | sed -n 's/^range\.data=//p' | paste -sd ' ')"
check_eq "ranges: the last nest names its address, page and offset" \
	"range.i2c_addr=80 range.page=1 range.bank=0 range.offset=128 range.length=8" \
	"$(printf '%s\n' "$out" | grep '^range\.' | tail -n 6 | head -n 5 | paste -sd ' ')"
check_match "ranges: the event number once" '^seq=[0-9]+$' "$out"
check_eq "ranges: no data outside the nests" 0 "$(printf '%s\n' "$out" | grep -c '^data=')"
eight=$(for i in 1 2 3 4 5 6 7 8 9; do printf ' range=nest:offset=u16:%d,length=u16:1' $i; done)
check_match "9 ranges: EINVAL + attr" \
	'error 22: msg="more ranges than OPTIC_EEPROM_RANGES_MAX" bad_attr_offset' \
	"$(nl_err read index=u32:0 $eight)"
check_match "a range both nested and flat: EINVAL + attr" \
	'error 22: msg="a range both in OPTIC_A_EEPROM_RANGE and outside" bad_attr_offset' \
	"$(nl_err read index=u32:0 offset=u16:0 range=nest:offset=u16:0,length=u16:1)"
check_match "a range without length: EINVAL, missing attr 19" 'error 22:.*missing_attr=19' \
	"$(nl_err read index=u32:0 range=nest:offset=u16:0,length=u16:1 range=nest:offset=u16:4)"
check_match "a range past the page: EINVAL + attr" \
	'error 22: msg="offset \+ length exceeds the 256-byte page" bad_attr_offset' \
	"$(nl_err read index=u32:0 range=nest:offset=u16:0,length=u16:1 range=nest:offset=u16:250,length=u16:10)"
check_match "a range of a page the module lacks fails the request: EOPNOTSUPP" 'error 95' \
	"$(nl_err read index=u32:1 range=nest:offset=u16:0,length=u16:4 range=nest:page=u8:1,offset=u16:128,length=u16:1)"

# Modules: one request for several, a nest per module in the order asked,
# named as asked, each with its ranges and event number, or its errno
# alone (no such module, a page the module lacks) while the others are read.
hex1() { dd if=$OPTIC_CLASS/port1/eeprom bs=1 skip=$1 count=$2 2>/dev/null | od -An -tx1 -v | tr -d ' \n'; }
out=$(vm-nl read 'module=nest:name=str:port0,range=nest:offset=u16:0;length=u16:4,range=nest:page=u8:1;offset=u16:128;length=u16:8' \
	'module=nest:name=str:nosuch,range=nest:offset=u16:0;length=u16:1' \
	'module=nest:index=u32:1,range=nest:page=u8:1;offset=u16:128;length=u16:1' \
	'module=nest:name=str:port1,range=nest:offset=u16:0;length=u16:2')
check_eq "modules: each as asked, in order" "name=port0 name=nosuch index=1 name=port1" \
	"$(printf '%s\n' "$out" | sed -n 's/^module\.\(name\|index\)=/\1=/p' | paste -sd ' ')"
check_eq "modules: the data of the modules read = eeprom files" "$(hex 0 4) $(hex 256 8) $(hex1 0 2)" \
	"$(printf '%s\n' "$out" | sed -n 's/^module\.range\.data=//p' | paste -sd ' ')"
check_eq "modules: no such module ENODEV, a page it lacks EOPNOTSUPP, alone" "19 95" \
	"$(printf '%s\n' "$out" | sed -n 's/^module\.access_error=//p' | paste -sd ' ')"
check_eq "modules: an event number for each module read" 2 "$(printf '%s\n' "$out" | grep -c '^module\.seq=[0-9]')"
many=$(for i in $(seq 33); do printf " module=nest:index=u32:0,range=nest:offset=u16:0;length=u16:1"; done)
check_match "33 modules: EINVAL + attr" \
	'error 22: msg="more modules than OPTIC_EEPROM_MODULES_MAX" bad_attr_offset' \
	"$(nl_err read $many)"
big=$(for i in $(seq 22); do printf " module=nest:index=u32:0,range=nest:offset=u16:0;length=u16:256"; done)
check_match "22 whole pages: more than a reply holds, EINVAL + attr" \
	'error 22: msg="modules ask for more than OPTIC_EEPROM_MODULES_BYTES" bad_attr_offset' \
	"$(nl_err read $big)"
check_match "a module nest without a module: EINVAL + attr" \
	'error 22: msg="OPTIC_A_EEPROM_MODULE without OPTIC_A_MODULE_INDEX or OPTIC_A_MODULE_NAME" bad_attr_offset' \
	"$(nl_err read 'module=nest:range=nest:offset=u16:0;length=u16:1')"
check_match "a module nest without ranges: EINVAL + attr" \
	'error 22: msg="OPTIC_A_EEPROM_MODULE without OPTIC_A_EEPROM_RANGE" bad_attr_offset' \
	"$(nl_err read 'module=nest:index=u32:0')"
check_match "modules and a module outside them: EINVAL + attr" \
	'error 22: msg="a module or range outside OPTIC_A_EEPROM_MODULE" bad_attr_offset' \
	"$(nl_err read index=u32:0 'module=nest:index=u32:0,range=nest:offset=u16:0;length=u16:1')"
check_match "a module's range past the page: EINVAL + attr" \
	'error 22: msg="offset \+ length exceeds the 256-byte page" bad_attr_offset' \
	"$(nl_err read 'module=nest:index=u32:0,range=nest:offset=u16:250;length=u16:10')"

# Bad inputs: errno and an extack pointing at the attribute.
check_match "unknown index: ENODEV + attr" 'error 19: msg="no such module" bad_attr_offset' \
	"$(nl_err read index=u32:99 offset=u16:0 length=u16:1)"
check_match "unknown name: ENODEV" 'error 19' \
	"$(nl_err get name=str:nosuchport)"
check_match "no module attr: EINVAL, missing index" 'error 22:.*missing_attr=2' \
	"$(nl_err read offset=u16:0 length=u16:1)"
check_match "page > 255 (u32): EINVAL/ERANGE + attr" 'error (22|34):.*bad_attr_offset' \
	"$(nl_err read index=u32:0 page=u32:300 offset=u16:128 length=u16:1)"
check_match "offset 256: EINVAL/ERANGE + attr" 'error (22|34):.*bad_attr_offset' \
	"$(nl_err read index=u32:0 offset=u16:256 length=u16:1)"
check_match "offset+length > 256: EINVAL + attr" \
	'error 22: msg="offset \+ length exceeds the 256-byte page" bad_attr_offset' \
	"$(nl_err read index=u32:0 offset=u16:200 length=u16:100)"
check_match "length 0: EINVAL/ERANGE + attr" 'error (22|34):.*bad_attr_offset' \
	"$(nl_err read index=u32:0 offset=u16:0 length=u16:0)"
check_match "missing length: EINVAL, missing attr 19" 'error 22:.*missing_attr=19' \
	"$(nl_err read index=u32:0 offset=u16:0)"
check_match "missing offset: EINVAL, missing attr 18" 'error 22:.*missing_attr=18' \
	"$(nl_err read index=u32:0 length=u16:1)"
check_match "unknown attribute: EINVAL" 'error 22' \
	"$(nl_err read index=u32:0 offset=u16:0 length=u16:1 200=u8:1)"
check_match "i2c address 0x52: EINVAL/ERANGE + attr" 'error (22|34):.*bad_attr_offset' \
	"$(nl_err read index=u32:0 i2c_addr=u8:0x52 offset=u16:0 length=u16:1)"
check_match "page of a flat module: EOPNOTSUPP" 'error 95' \
	"$(nl_err read index=u32:1 page=u8:1 offset=u16:128 length=u16:1)"
check_match "oversize write (9 bytes): EINVAL/ERANGE + attr" 'error (22|34):.*bad_attr_offset' \
	"$(nl_err write index=u32:0 page=u8:3 offset=u16:128 data=hex:000102030405060708)"
check_match "write across 127/128: EINVAL + attr" 'error 22: msg="write crosses' \
	"$(nl_err write index=u32:0 offset=u16:127 data=hex:0000)"
check_match "MODULE_SET without controls: EINVAL" 'error 22: msg="nothing to set' \
	"$(nl_err set index=u32:0)"
check_match "tx_disable mask beyond lanes: EINVAL + attr" 'error 22:.*bad_attr_offset' \
	"$(nl_err set index=u32:1 tx_disable=u32:2 tx_disable_mask=u32:2)"

# Unprivileged: reads work, writes are EPERM.
check_match "nobody may read" '^data=' \
	"$(as_nobody vm-nl read index=u32:0 offset=u16:0 length=u16:1)"
check_match "nobody may not write: EPERM" 'error 1' \
	"$(as_nobody vm-nl write index=u32:0 page=u8:3 offset=u16:128 data=hex:aa 2>&1 | grep '^error')"
check_match "nobody may not MODULE_SET: EPERM" 'error 1' \
	"$(as_nobody vm-nl set index=u32:0 lpmode=u8:1 2>&1 | grep '^error')"
fails "nobody may not write the eeprom file" as_nobody sh -c "printf x | dd of=$d/eeprom bs=1 seek=1664 2>/dev/null"

# Writes: EEPROM_WRITE to page 03h (user EEPROM) reads back.
ok "EEPROM_WRITE 8 bytes" vm-nl write index=u32:0 page=u8:3 offset=u16:136 data=hex:0102030405060708
check_match "written bytes read back" '^data=0102030405060708$' \
	"$(vm-nl read index=u32:0 page=u8:3 offset=u16:136 length=u16:8)"

ok "EEPROM_WRITE with a matching length" \
	vm-nl write index=u32:0 page=u8:3 offset=u16:144 length=u16:2 data=hex:abcd
check_match "length differing from the data: EINVAL + attr" \
	'error 22: msg="length differs from the data length" bad_attr_offset' \
	"$(nl_err write index=u32:0 page=u8:3 offset=u16:144 length=u16:3 data=hex:abcd)"
check_match "16 bytes to page 03h: EINVAL + attr" \
	'error 22: msg="write longer than the module accepts here' \
	"$(nl_err write index=u32:0 page=u8:3 offset=u16:128 data=hex:00112233445566778899aabbccddeeff)"
ok "16 bytes to CDB EPL page A0h (advertised 256)" \
	vm-nl write index=u32:0 page=u8:0xa0 offset=u16:128 data=hex:00112233445566778899aabbccddeeff
check_match "CDB EPL bytes read back" '^data=00112233445566778899aabbccddeeff$' \
	"$(vm-nl read index=u32:0 page=u8:0xa0 offset=u16:128 length=u16:16)"
check_match "129 bytes: rejected by the policy" 'error (22|34)' \
	"$(nl_err write index=u32:0 page=u8:0xa0 offset=u16:128 data=hex:$(printf '%0258d' 0))"

# MODULE_SET: lpmode and tx_disable follow, sysfs agrees.
ok "MODULE_SET tx_disable lanes 1,3" vm-nl set index=u32:0 tx_disable=u32:0x5 tx_disable_mask=u32:0xf
check_eq "sysfs tx_disable" 0x5 "$(cat $d/tx_disable)"
ok "MODULE_SET lpmode=1" vm-nl set index=u32:0 lpmode=u8:1
check_eq "sysfs lpmode" 1 "$(cat $d/lpmode)"
wait_for 10 grep -q '^lowpwr$' $d/module_state
check_eq "module goes to LowPwr" lowpwr "$(cat $d/module_state)"

# Events: state change back to Ready, then removal and insertion in order.
vm-nl monitor 200 8 >/tmp/ev &
mon=$!
wait_for 10 grep -q listening /tmp/ev
ok "MODULE_SET lpmode=0" vm-nl set index=u32:0 lpmode=u8:0
wait_for 10 grep -q '^ready$' $d/module_state
# Each step waits for the event it causes (the poll notices the pull and the
# re-plug within poll_ms, however slow the guest): nothing is missed.
wait_for 10 grep -q '^new_state=3$' /tmp/ev
echo 0 >"$SIM_DEBUGFS/port0/present"
wait_for 10 grep -q '^event=2$' /tmp/ev
echo 1 >"$SIM_DEBUGFS/port0/present"
wait_for 10 grep -q '^event=1$' /tmp/ev
kill $mon 2>/dev/null
wait $mon 2>/dev/null
ev=$(grep -E '^(event|seq|new_state)=' /tmp/ev | tr '\n' ' ')
diag "events: $ev"
check_match "module state event to Ready" 'event=3 seq=[0-9]+ new_state=3' "$ev"
check_match "removed then inserted" 'event=2 seq=[0-9]+ .*event=1 seq=[0-9]+' "$ev"
seqs=$(grep '^seq=' /tmp/ev | cut -d= -f2)
check_eq "sequence numbers increase by one" "$(echo "$seqs" | sort -n | tr '\n' ' ')" \
	"$(echo "$seqs" | tr '\n' ' ')"
first=$(echo "$seqs" | head -n 1)
last=$(echo "$seqs" | tail -n 1)
check_eq "no gap in sequence numbers" $(($(echo "$seqs" | wc -l) - 1)) $((last - first))

# A lane flag: RX power of lane 3 (index 2) far below its low alarm.
rx_set=$(awk '$1 == "rx_power" && $2 == 2 { print $3 }' "$SIM_DEBUGFS/port0/monitor")
set_rx() { echo "set rx_power 2 $1" >"$SIM_DEBUGFS/port0/monitor"; }
read_rx_flags() { # [N]: N reads of page 11h byte 150 (default 1)
	local i
	for i in $(seq ${1:-1}); do
		vm-nl read index=u32:0 page=u8:17 offset=u16:150 length=u16:1 >/dev/null
	done
}
raise_rx_alarm() { set_rx 0; read_rx_flags; }
rx_flag_events() { # FILE: FLAG events of page 11h byte 150 (RX power low alarm)
	grep -E '^(event|flag_offset)=' "$1" | tr '\n' ' ' |
		grep -o 'event=5 flag_offset=150' | wc -l
}
# xa PORT: the simulator's transaction counter of PORT
xa() { cat "$SIM_DEBUGFS/port$1/transactions"; }
xa_ge() { [ "$(xa "$1")" -ge "$2" ]; }
# sync_events FILE: make the monitor writing FILE print every event raised
# so far: a marker event (port1 pulled and put back, each seen by a doit)
# comes after them, and is waited for.
sync_events() {
	local n
	n=$(grep -c '^name=port1$' "$1")
	echo 0 >"$SIM_DEBUGFS/port1/present"
	vm-nl get index=u32:1 >/dev/null
	echo 1 >"$SIM_DEBUGFS/port1/present"
	vm-nl get index=u32:1 >/dev/null
	wait_for 10 sh -c "[ \$(grep -c '^name=port1\$' $1) -ge $((n + 2)) ]"
}
# monitor_while FILE N CMD...: the events of CMD, and of the driver's polls
# after it, once N of page 11h byte 150 have come: two polls' worth of
# transactions of port0 (however long that takes), then the marker.
monitor_while() {
	local out=$1 n=$2 mon t
	shift 2
	vm-nl monitor 1000 30 >"$out" &
	mon=$!
	wait_for 10 grep -q listening "$out"
	"$@"
	wait_for 10 sh -c "[ \$(grep -E '^(event|flag_offset)=' $out | tr '\n' ' ' |
		grep -o 'event=5 flag_offset=150' | wc -l) -ge $n ]"
	t=$(xa 0)
	wait_for 10 xa_ge 0 $((t + 20))
	sync_events "$out"
	kill $mon 2>/dev/null
	wait $mon 2>/dev/null
}
monitor_while /tmp/ev2 1 set_rx 0
ev=$(grep -E '^(name|event|flag_page|flag_offset|flag_bits|lane)=' /tmp/ev2 | tr '\n' ' ')
check_match "flag event: page 11h byte 150 (RX power low alarm), lane 2" \
	'name=port0 event=5 flag_page=17 flag_offset=150 flag_bits=4 lane=2' "$ev"

# The condition persists and latches again at every read: news only once.
monitor_while /tmp/ev3 0 read_rx_flags 3
check_eq "a flag that stays raised: no event for reads that find it again" \
	0 "$(rx_flag_events /tmp/ev3)"
# Cleared (a read finds it clear), then raised again: an event again.
set_rx $rx_set
sleep 1
read_rx_flags 2
monitor_while /tmp/ev4 1 raise_rx_alarm
check_eq "the flag cleared and raised again: one event" \
	1 "$(rx_flag_events /tmp/ev4)"
set_rx $rx_set

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim

# A dump larger than one message buffer continues where it stopped.
load_sim ports=48
ok "optic loads on 48 ports" load_optic poll_ms=0
VM_NL_BUF=4096 vm-nl dump >/tmp/dump
ok "dump came in several parts" test "$(grep -c '^-- recv' /tmp/dump)" -gt 2
check_eq "dump of 48 modules" 48 "$(grep -c '^index=' /tmp/dump)"
check_eq "each module once" 48 "$(grep '^index=' /tmp/dump | sort -u | wc -l)"
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim

# MODULE_GET freshness (docs/netlink.md): with the poll on, a dump answers
# from the presence and state the driver tracks, without a transfer; a doit
# checks the cage (byte 0) on the spot; a failed transfer or the poll off
# sends the dump to the bus again. A poll of a day keeps the poll itself off
# the counters however slow the guest: probe's checks stay fresh for two
# periods.
load_sim ports=2
ok "optic loads, poll a day" load_optic poll_ms=86400000
t0=$(xa 0)
out=$(vm-nl dump)
check_eq "fresh: dump of two modules" 2 "$(printf '%s\n' "$out" | grep -c '^present=1$')"
check_match "fresh: dump reports the state" '^state=3$' "$out"
check_eq "fresh: the dump made no transfer" "$t0" "$(xa 0)"
t0=$(xa 0)
check_match "doit: present" '^present=1$' "$(vm-nl get index=u32:0)"
check_eq "doit: one transfer (byte 0), state from tracking" $((t0 + 1)) "$(xa 0)"
echo 0 >"$SIM_DEBUGFS/port1/present"
check_eq "pulled, nobody looked yet: the dump still says present (fresh)" 2 \
	"$(vm-nl dump | grep -c '^present=1$')"
check_match "doit sees the pull at once" '^present=0$' "$(vm-nl get index=u32:1)"
check_eq "and the dump agrees" 1 "$(vm-nl dump | grep -c '^present=1$')"
echo 1 >"$SIM_DEBUGFS/port1/present"
check_match "doit sees the module back" '^present=1$' "$(vm-nl get index=u32:1)"
echo 1 >"$SIM_DEBUGFS/port0/fault_dead"
check_match "dead module: a read fails" '^error 6: ' \
	"$(nl_err read index=u32:0 offset=u16:0 length=u16:1)"
check_match "after a failed transfer the dump checks the cage" '^present=0$' \
	"$(vm-nl dump | sed -n '/^index=0$/,/^index=1$/p')"
echo 0 >"$SIM_DEBUGFS/port0/fault_dead"
check_match "doit: back" '^present=1$' "$(vm-nl get index=u32:0)"
echo 0 >/sys/module/optic/parameters/poll_ms
t0=$(xa 0)
vm-nl dump >/dev/null
check_eq "poll off: the dump reads byte 0 and byte 3" $((t0 + 2)) "$(xa 0)"
echo 1000 >/sys/module/optic/parameters/poll_ms
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
