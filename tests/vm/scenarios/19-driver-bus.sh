# SPDX-License-Identifier: GPL-2.0
# optic.ko's root-bus scheduler (issue 18) on optic_sim's switch topology
# (2 root buses x 8 cages behind PCA9548s driven by i2c-mux-pca954x): every
# cage is attached to its root bus (MODULE_GET's bus_root, BUS_GET's ports);
# transfers count in the class they went in (a read: poll, or the class
# asked for; a control: control; a CDB page: cdb; a request holding a
# module whose IntL service waits: control); on a busy bus a poll
# waits for the transfer on the wire, not for the bulk readers queued
# before it; at most bus_requests reads of a class hold modules of a bus
# at once, and a poll never waits for a bulk read's slot;
# CDB takes at most bus_cdb_share of a bus others wait for;
# optic and then the mux driver unloaded under load.
# timeout: 300

D=$SIM_DEBUGFS

ok "optic_sim loads: 2 buses x 8 cages, their lines" load_sim buses=2 ports_per_bus=8 gpios=1
ok "optic.ko loads, no poll" load_optic poll_ms=0
ok "16 ports" wait_for 20 sh -c "test \$(ls $OPTIC_CLASS | wc -l) -eq 16"
root0=$(sim_root_bus 0)
root1=$(sim_root_bus 1)

# bus ROOT: that root bus's BUS_GET message, one name=value a line
bus() { vm-nl bus | awk -v r="$1" '/^bus_root=/ { on = $0 == "bus_root=" r } on'; }
# cls ROOT CLASS FIELD: a class's counter (class ids: control 0, poll 1,
# cdb 2, bulk 3)
cls() {
	bus "$1" | awk -F= -v c="$2" -v f="class.$3" '
		$1 == "class.id" { on = $2 == c } on && $1 == f { print $2; exit }'
}

check_eq "BUS_GET: two root buses" "$root0 $root1" \
	"$(vm-nl bus | sed -n 's/^bus_root=//p' | sort -n | tr '\n' ' ' | sed 's/ $//')"
check_eq "bus 0 carries ports 0-7" "0 1 2 3 4 5 6 7" \
	"$(bus "$root0" | sed -n 's/^bus_ports=//p')"
check_eq "bus 1 carries ports 8-15" "8 9 10 11 12 13 14 15" \
	"$(bus "$root1" | sed -n 's/^bus_ports=//p')"
check_eq "bus 0 has the root adapter's name" "bus_name=optic_sim bus 0" \
	"$(bus "$root0" | grep '^bus_name=')"
check_eq "port 3 sits on a channel of bus 0, its root" "$(sim_cage_bus 0 3) $root0" \
	"$(vm-nl get name=str:port3 | awk -F= '$1 == "bus" { b = $2 } $1 == "bus_root" { print b, $2 }')"

# CAGE_ADD and CAGE_DEL, their refusals (71 builds a switch with them; the
# ones that need a free address are at the end).
nl_err() { vm-nl "$@" | sed -n 's/^error \([0-9]*\):.*/\1/p'; }
check_eq "cage-add: no such adapter" 19 "$(nl_err cage-add bus=u32:9999 name=str:x)"
check_eq "cage-add: a device at 0x50 already" 16 \
	"$(nl_err cage-add bus=u32:$(sim_cage_bus 0 3) name=str:x)"
check_eq "cage-add: a port name in use" 17 "$(nl_err cage-add bus=u32:$root0 name=str:port3)"
check_eq "cage-add: a line offset out of range" 34 \
	"$(nl_err cage-add bus=u32:$root0 name=str:x line_intl=nest:chip=str:c,offset_line=u32:65536)"
check_eq "cage-add: refused to a non-admin" 1 \
	"$(as_nobody vm-nl cage-add bus=u32:$root0 name=str:x | sed -n 's/^error \([0-9]*\):.*/\1/p')"
check_eq "cage-del of a cage optic_sim made is refused" 1 "$(nl_err cage-del name=str:port3)"

# Each kind of request in its class: counters move in that class only.
p0=$(cls "$root0" 1 xfers)
b0=$(cls "$root0" 3 xfers)
vm-nl read name=str:port1 page=u8:0x11 offset=u16:128 length=u16:4 >/dev/null
p1=$(cls "$root0" 1 xfers)
ok "a read goes in the poll class" test "$p1" -gt "$p0"
check_eq "... and not in bulk" "$b0" "$(cls "$root0" 3 xfers)"
vm-nl read name=str:port1 page=u8:0x11 offset=u16:128 length=u16:4 eeprom_class=u8:3 >/dev/null
ok "a read asking for bulk goes in bulk" test "$(cls "$root0" 3 xfers)" -gt "$b0"
check_eq "... and not in poll" "$p1" "$(cls "$root0" 1 xfers)"
c0=$(cls "$root0" 0 xfers)
vm-nl set name=str:port1 lpmode=u8:1 >/dev/null
ok "a control goes in the control class" test "$(cls "$root0" 0 xfers)" -gt "$c0"
d0=$(cls "$root0" 2 xfers)
vm-nl read name=str:port1 page=u8:0x9f offset=u16:128 length=u16:8 >/dev/null
ok "a read of the CDB page goes in cdb" test "$(cls "$root0" 2 xfers)" -gt "$d0"
check_eq "bus 1 saw none of it (its ports were not asked)" 0 \
	"$(cls "$root1" 3 xfers)"
check_eq "out of range: a class the driver lacks is refused" \
	"error 34:" "$(vm-nl read name=str:port1 offset=u16:0 length=u16:1 eeprom_class=u8:4 | cut -c1-9)"

# IntL behind a mux: an alarm on port 5 asserts its line; the driver alone
# (no poll) reads the flags through the mux, in the control class.
c0=$(cls "$root0" 0 xfers)
for m in temp vcc bias tx_power rx_power; do
	echo "noise $m all 0" >"$D/port5/monitor"
done
crit=$(cat $OPTIC_CLASS/port5/device/hwmon/hwmon*/temp1_crit)
echo "set temp 0 $((crit + 5000))" >"$D/port5/monitor"
ok "IntL behind a mux: the alarm is recorded" wait_for 10 sh -c \
	"vm-nl records name=str:port5 | grep -qx event=5"
ok "... read by the IntL service, in the control class" \
	test "$(cls "$root0" 0 xfers)" -gt "$c0"
echo "set temp 0 40000" >"$D/port5/monitor"

# Priority inheritance: a bulk read holding port 6 when a poll of it comes,
# or its IntL asserts, takes the turns it has left in the poll or the
# control class, so the poll or the service waiting for the module's lock
# waits for no other class. Bus 0 at 10 kHz in modelled time: eight
# 128-byte reads of page 11h in one request, ~1 s; the poll or the alarm
# comes 0.3 s in. Alone, the same request takes all its turns in bulk.
eight_p11=$(for i in 1 2 3 4 5 6 7 8; do printf ' range=nest:page=u8:0x11,offset=u16:128,length=u16:128'; done)
eight_p11_of() { # PORT CLASS: eight ranges of page 11h in one request; the ranges read
	vm-nl read name=str:port$1 eeprom_class=u8:$2 $eight_p11 | grep -c '^range\.data='
}
for m in temp vcc bias tx_power rx_power; do
	echo "noise $m all 0" >"$D/port6/monitor"
done
echo 10000 >"$D/bus0/clock_hz"
echo 1 >"$D/bus0/realtime"
b0=$(cls "$root0" 3 xfers)
check_eq "a bulk read of eight ranges of port 6" 8 "$(eight_p11_of 6 3)"
b1=$(cls "$root0" 3 xfers)
alone=$((b1 - b0))
# A health poll of port 6 waiting for the same read lends it the poll
# class: the read's turns after it are the poll's (and no IntL meanwhile).
c0=$(cls "$root0" 0 xfers)
eight_p11_of 6 3 >/tmp/bulk6 &
sleep 0.3
check_match "a poll of port 6 while the bulk read holds it" "^data=" \
	"$(vm-nl read name=str:port6 offset=u16:0 length=u16:4)"
wait
b2=$(cls "$root0" 3 xfers)
diag "port 6's bulk read: $((b2 - b1)) bulk turns with a poll 0.3 s in"
check_eq "... the bulk read too" 8 "$(cat /tmp/bulk6)"
ok "... its turns after the poll went in the poll class" test $((b2 - b1)) -le $((alone - 3))
check_eq "... with no IntL service meanwhile" "$c0" "$(cls "$root0" 0 xfers)"
b1=$b2
eight_p11_of 6 3 >/tmp/bulk6 &
sleep 0.3
echo "set temp 0 $((crit + 5000))" >"$D/port6/monitor"
wait
b2=$(cls "$root0" 3 xfers)
echo 0 >"$D/bus0/realtime"
echo 400000 >"$D/bus0/clock_hz"
echo "set temp 0 40000" >"$D/port6/monitor"
diag "port 6's bulk read: $alone bulk turns alone, $((b2 - b1)) with IntL 0.3 s in"
check_eq "... and again, IntL asserting meanwhile" 8 "$(cat /tmp/bulk6)"
ok "... its turns after IntL went in the control class" test $((b2 - b1)) -le $((alone - 3))

# A faulty module behind a mux keeps its neighbours on the bus: one that
# NACKs everything, then one that holds the bus 100 ms a transfer and
# times out; the cages beside it keep answering between its transfers.
ref=$(vm-nl read name=str:port3 offset=u16:128 length=u16:32)
echo 1 >"$D/port2/fault_dead"
check_match "a dead module: its reads fail" "^error (6|121):" \
	"$(vm-nl read name=str:port2 offset=u16:0 length=u16:1)"
check_eq "its neighbour reads as before" "$ref" \
	"$(vm-nl read name=str:port3 offset=u16:128 length=u16:32)"
echo 0 >"$D/port2/fault_dead"
echo 100 >"$D/port2/fault_timeout"
( for i in 1 2 3 4 5; do vm-nl read name=str:port2 offset=u16:0 length=u16:1; done ) >/tmp/hold &
good=0
for i in 1 2 3 4 5; do
	[ "$(vm-nl read name=str:port3 offset=u16:128 length=u16:32)" = "$ref" ] &&
		good=$((good + 1))
done
wait
echo 0 >"$D/port2/fault_timeout"
check_eq "a module holding the bus: its neighbour's 5 reads all right" 5 "$good"
check_match "... while its own time out" "^error 110:" "$(head -n1 /tmp/hold)"
ok "the held module answers again once it lets go" \
	sh -c "vm-nl read name=str:port2 offset=u16:0 length=u16:1 | grep -q '^data='"

# Bus 0 at 100 kHz in modelled time (a 128-byte read holds it ~12 ms),
# four bulk readers keeping it busy, polls of another cage among them:
# every poll goes before the bulk transfers waiting (ahead), and no turn
# is ever given while a higher class waits (inversions). With the
# scheduler off (bus_sched=0: first come first served, the i2c core's
# order) the same load gives bulk turns while polls wait.
echo 100000 >"$D/bus0/clock_hz"
echo 1 >"$D/bus0/realtime"
# PORT: bulk reads until /tmp/bulk.run goes: dumps of every page, one
# process reading back to back (a process a read leaves the bus idle while
# the next starts, most of the time on a debug kernel)
bulk_loop() {
	while [ -e /tmp/bulk.run ]; do
		opticctl dump port$1 >/dev/null 2>&1
	done
}
inversions() { # ROOT: inversions of every class, summed
	vm-nl bus | awk -F= -v r="$1" '/^bus_root=/ { on = $2 == r }
		on && $1 == "class.inversions" { n += $2 } END { print n + 0 }'
}
contend() { # ROOT PORT...: polls of the first port among bulk readers
	local poll=$2 p
	shift 2
	touch /tmp/bulk.run
	for p in "$@"; do bulk_loop "$p" & done
	wait_for 10 sh -c "vm-nl bus | awk -F= '\$1 == \"queue\" && \$2 >= 2 { f = 1 } END { exit !f }'"
	for p in $(seq 20); do
		vm-nl read name=str:port$poll offset=u16:0 length=u16:2 >/dev/null
	done
	rm /tmp/bulk.run
	wait
}
a0=$(cls "$root0" 1 ahead)
contend "$root0" 0 4 5 6 7
a1=$(cls "$root0" 1 ahead)
diag "polls ahead of bulk: $((a1 - a0)); bulk xfers $(cls "$root0" 3 xfers)"
ok "polls went ahead of waiting bulk transfers" test "$a1" -gt "$a0"
check_eq "no turn given while a higher class waited" 0 "$(inversions "$root0")"
echo N >/sys/module/optic/parameters/bus_sched
contend "$root0" 0 4 5 6 7
echo Y >/sys/module/optic/parameters/bus_sched
diag "with the scheduler off: $(inversions "$root0") inversions"
ok "the scheduler off: bulk turns while polls wait" test "$(inversions "$root0")" -gt 0

# opticctl bus shows the same order counters: JSON, text, and over an
# interval of an idle bus none (deltas, not the totals).
want="$(cls "$root0" 1 ahead) $(cls "$root0" 3 inversions) $(inversions "$root0")"
diag "BUS_GET: poll ahead, bulk inversions, all inversions: $want"
check_eq "bus --json: poll's turns ahead, bulk's and every class's inversions as BUS_GET counts them" \
	"$want" \
	"$(opticctl -j bus | jq -r --argjson r "$root0" '.[] | select(.i2c_bus == $r) |
		"\(.classes[] | select(.class == "poll") | .ahead) \(.classes[] | select(.class == "bulk") | .inversions) \([.classes[].inversions] | add)"')"
check_eq "bus text: the ahead and inversions columns, poll's and bulk's counts" \
	"ahead inversions|$(cls "$root0" 1 ahead) $(cls "$root0" 1 inversions)|$(cls "$root0" 3 ahead) $(cls "$root0" 3 inversions)" \
	"$(opticctl bus | awk -v r="i2c-$root0" '$1 == r { on = 1; next } /^i2c-/ { on = 0 }
		on && $1 == "class" { h = $(NF - 2) " " $(NF - 1) } on && $1 == "poll" { p = $6 " " $7 }
		on && $1 == "bulk" { b = $6 " " $7 } END { print h "|" p "|" b }')"
check_eq "bus --interval --json: an idle bus's classes took no turn ahead nor inverted over it" \
	"0 0 4" \
	"$(opticctl -j bus --interval 0.5 2>/dev/null | jq -r --argjson r "$root0" '.[] | select(.i2c_bus == $r) |
		"\([.classes[].interval_ahead] | add) \([.classes[].interval_inversions] | add) \([.classes[] | select(.interval_ahead != null)] | length)"')"

# Request slots: eight readers of the eight cages of bus 1 at once (no
# traffic on it so far; 10 kHz, realtime: a 128-byte read of page 11h, not
# cached, holds the wire ~120 ms, far longer than a reader takes to start,
# so they overlap on any guest). At most bus_requests polls hold their
# modules at a time (BUS_GET's requests, most at once), the others wait
# for a slot without the lock, so the IntL service of a module never waits
# for more than those few.
slot_load() { # eight readers, three reads each
	local p
	echo 10000 >"$D/bus1/clock_hz"
	echo 1 >"$D/bus1/realtime"
	for p in 8 9 10 11 12 13 14 15; do
		( for i in 1 2 3; do
			vm-nl read name=str:port$p page=u8:0x11 offset=u16:128 length=u16:128 >/dev/null
		done ) &
	done
	wait
	echo 0 >"$D/bus1/realtime"
	echo 400000 >"$D/bus1/clock_hz"
}
req() { bus "$root1" | sed -n "s/^$1=//p"; }
check_eq "bus 1: no read has held a module yet" 0 "$(req requests_max)"
slot_load
diag "bus 1: requests $(req requests), most at once $(req requests_max)"
check_eq "eight readers: at most bus_requests (2) held modules at once" 2 "$(req requests_max)"
check_eq "... none left holding one" 0 "$(req requests)"
echo 4 >/sys/module/optic/parameters/bus_requests
slot_load
echo 2 >/sys/module/optic/parameters/bus_requests
diag "bus_requests=4: most at once $(req requests_max)"
ok "bus_requests=4: more at once, never more than 4" \
	test "$(req requests_max)" -gt 2 -a "$(req requests_max)" -le 4
check_eq "bus text: reads now and most at once" "reads 0 (max $(req requests_max))" \
	"$(opticctl bus | grep "^i2c-$root1 " | grep -o 'reads [0-9]* (max [0-9]*)')"
check_eq "bus --json: requests, requests_max" "0 $(req requests_max)" \
	"$(opticctl -j bus | jq -r --argjson r "$root1" '.[] | select(.i2c_bus == $r) | "\(.requests) \(.requests_max)"')"

# A poll never waits for a bulk read's slot: six bulk readers of cages 8-13
# keep both bulk slots of bus 1 held (eight 128-byte ranges a read at
# 10 kHz, ~1 s each), and a poll read of cage 14 takes a poll slot beside
# them: three reads hold modules of the bus while it runs.
echo 10000 >"$D/bus1/clock_hz"
echo 1 >"$D/bus1/realtime"
touch /tmp/bulk.run
for p in 8 9 10 11 12 13; do
	( while [ -e /tmp/bulk.run ]; do eight_p11_of $p 3 >/dev/null; done ) &
done
bulk_slots_held() { [ "$(req requests)" = 2 ]; }
wait_for 10 bulk_slots_held
eight_p11_of 14 1 >/dev/null &
held=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	n=$(req requests)
	[ "$n" -le "$held" ] || held=$n
	sleep 0.1
done
wait $!
rm /tmp/bulk.run
wait
echo 0 >"$D/bus1/realtime"
echo 400000 >"$D/bus1/clock_hz"
check_eq "two bulk reads hold their slots, a poll takes its own beside them" 3 "$held"

# CDB bounded on bus 1: a firmware download (EPL blocks of 128 bytes)
# beside three bulk readers: its share of the contended bytes (moved in
# turns given while another class waited) follows bus_cdb_share. What it
# takes of an otherwise idle bus costs nobody and is not counted, so the
# share does not depend on how often the guest's readers leave the bus
# idle.
echo 100000 >"$D/bus1/clock_hz"
echo 1 >"$D/bus1/realtime"
mkimage /tmp/fw.bin 4 2 8192
share() { # PERCENT: CDB's share of bus 1's contended bytes during a download: percent, bytes
	local cb bb
	echo "$1" >/sys/module/optic/parameters/bus_cdb_share
	cb=$(cls "$root1" 2 contended_bytes)
	bb=$(cls "$root1" 3 contended_bytes)
	touch /tmp/bulk.run
	for p in 9 10 11; do bulk_loop $p & done
	opticctl fw flash port8 /tmp/fw.bin >/dev/null 2>&1 || echo "flash failed" >&2
	rm /tmp/bulk.run
	wait
	cb=$(( $(cls "$root1" 2 contended_bytes) - cb ))
	bb=$(( $(cls "$root1" 3 contended_bytes) - bb ))
	echo "$((cb * 100 / (cb + bb + 1))) $((cb + bb))"
}
r=$(share 5)
s5=${r% *} n5=${r#* }
r=$(share 100)
s100=${r% *} n100=${r#* }
echo 50 >/sys/module/optic/parameters/bus_cdb_share
diag "CDB's share of bus 1's contended bytes during a download: $s5 % of $n5 at bus_cdb_share=5, $s100 % of $n100 at 100"
ok "the downloads met the bulk readers on the bus (contended bytes)" \
	test "$n5" -ge 4096 -a "$n100" -ge 4096
ok "at 5 %, CDB took at most about its share" test "$s5" -le 10
ok "unbounded, CDB took clearly more" test "$s100" -ge $((s5 + 10))

# optic itself unloaded under load behind the muxes, dumps in flight on
# both buses: the readers get errors, the cages stay (the simulator made
# them), and optic loaded again binds them all.
touch /tmp/bulk.run
for p in 1 3 9 12; do bulk_loop $p 2>/dev/null & done
sleep 1
ok "rmmod optic under load on the mux topology" rmmod optic
rm /tmp/bulk.run
wait
check_eq "no port left in /sys/class/optic" 0 "$(ls $OPTIC_CLASS 2>/dev/null | wc -l)"
check_eq "the 16 cages are still on the mux channels" 16 \
	"$(ls /sys/bus/i2c/devices/ | grep -c -- '-0050$')"
ok "optic loads again" load_optic poll_ms=0
ok "... and binds all 16 cages" wait_for 20 sh -c "test \$(ls $OPTIC_CLASS | wc -l) -eq 16"
check_eq "... on the same two root buses" "$root0 $root1" \
	"$(vm-nl bus | sed -n 's/^bus_root=//p' | sort -n | tr '\n' ' ' | sed 's/ $//')"
ok "... and reads a module behind a mux" opticctl show port12

# The mux driver unloaded under load: the channels go, and with them the
# cages behind them; the readers get errors, the kernel stays clean.
touch /tmp/bulk.run
for p in 9 10; do bulk_loop $p 2>/dev/null & done
ok "rmmod i2c-mux-pca954x under load" rmmod i2c_mux_pca954x
rm /tmp/bulk.run
wait
check_eq "no cage left behind a mux" 0 "$(ls $OPTIC_CLASS | wc -l)"
check_eq "no root bus left in BUS_GET" "" "$(vm-nl bus)"
# With the channels gone the root adapters have no device at 0x50 (the
# core counts a mux's children as the parent's): cages made there.
check_eq "cage-add: a line on a chip that does not exist: not bound, nothing left" "2 " \
	"$(nl_err cage-add bus=u32:$root0 name=str:x line_presence=nest:chip=str:nochip,offset_line=u32:0) $(ls /sys/bus/i2c/devices/ | grep "^$root0-0050")"
check_eq "cage-add on bus 0's root adapter: a new cage, made by CAGE_ADD" "rootcage 1" \
	"$(vm-nl cage-add bus=u32:$root0 name=str:rootcage | awk -F= '$1 == "name" { n = $2 } $1 == "cage_added" { print n, $2 }')"
ok "cage-del of the new cage" vm-nl cage-del name=str:rootcage
ok "... and it is gone" sh -c "! test -e $OPTIC_CLASS/rootcage && ! test -e /sys/bus/i2c/devices/$root0-0050"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
