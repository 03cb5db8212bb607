# SPDX-License-Identifier: GPL-2.0
# failslab on optic.ko's allocations (needs CONFIG_FAILSLAB, the debug kernel:
# scripts/check-debug.sh tests/vm/scenarios/62-fault-failslab.sh; the stock
# kernel prints a TAP skip).
# 1. Probe: the i2c client is instantiated once by hand (optic_sim
#    attach=0), then bound through the driver's sysfs "bind" file, so the
#    probe runs in the writing shell; /proc/self/fail-nth fails its 1st,
#    2nd, ... allocation until one run needs fewer. Each run: the bind fails
#    cleanly (-ENOMEM) or succeeds (an allocation the driver may do without,
#    e.g. the A2h dummy client); nothing is left half-bound, and the port
#    index is given back (the next clean probe is port0 again).
# 2. Netlink: vm-nlfuzz -f N fails the N-th allocation of one request
#    (MODULE_GET doit and dump, EEPROM_READ, EEPROM_WRITE, MODULE_SET):
#    an error or a correct answer, never a stall.
# 3. Random: probability 20 on tasks marked make-it-fail (task-filter),
#    ignore-gfp-wait=N, while a loop binds/unbinds and sends requests.
# Then failslab off: everything works, and the debug run's kmemleak scan
# (tests/vm/init) finds no leak.
# timeout: 1800

F=/sys/kernel/debug/failslab
if [ ! -d $F ] || [ ! -e /proc/self/fail-nth ]; then
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n # SKIP no failslab"
	exit 0
fi

P=$OPTIC_CLASS/port0
hex() { od -An -tx1 -v | tr -d ' \n'; }
page3() { dd if=$P/eeprom bs=128 skip=4 count=1 2>/dev/null | hex; }
nl_read() { vm-nl read index=u32:0 page=u8:3 offset=u16:128 length=u16:128 | sed -n 's/^data=//p'; }
failslab_off() {
	echo 0 >$F/probability
	echo N >$F/task-filter
}

ok "optic_sim loads (no clients)" load_sim ports=1 attach=0
ok "optic.ko loads" load_optic poll_ms=0
bus=$(sim_bus 0)
ok "sim bus found" test -n "$bus"
NEW=/sys/bus/i2c/devices/i2c-$bus/new_device
DEL=/sys/bus/i2c/devices/i2c-$bus/delete_device
CLIENT=/sys/bus/i2c/devices/$bus-0050

DRV=/sys/bus/i2c/drivers/optic
bind_port() { [ -e $CLIENT ] || echo "optic 0x50" >$NEW; [ -e $CLIENT/driver ] || echo $bus-0050 >$DRV/bind; }
unbind_port() { [ ! -e $CLIENT/driver ] || echo $bus-0050 >$DRV/unbind; }
delete_client() { [ ! -e $CLIENT ] || echo 0x50 >$DEL; }

ok "a clean probe works" bind_port
ok "port0 identified" wait_for 10 test -e $P/vendor_sn
printf '\xa5\x5a' | dd of=$P/eeprom bs=1 seek=$((128 + 3 * 128 + 100)) conv=notrunc 2>/dev/null
ref3=$(page3)
refsn=$(cat $P/vendor_sn)
check_match "page 03h" 'a55a' "$ref3"
ok "unbind" unbind_port

echo N >$F/ignore-gfp-wait
echo 0 >$F/verbose
echo 0 >$F/probability	# fail-nth needs no probability
echo -1 >$F/times

# --- 1. probe, every allocation in turn ------------------------------------------------
dmesg -c >/dev/null
n=1
clean=0
bound=0
failed=0
while [ $n -le 1500 ]; do
	# in one shell: arm fail-nth, instantiate, read back what is left
	left=$(sh -c "echo $n >/proc/self/fail-nth; echo $bus-0050 >$DRV/bind; read -r l </proc/self/fail-nth; echo 0 >/proc/self/fail-nth; echo \$l" 2>/dev/null)
	if [ -e $CLIENT/driver ]; then
		bound=$((bound + 1))
		unbind_port
	else
		failed=$((failed + 1))
	fi
	[ "${left:-0}" -gt 0 ] && { clean=1; break; }
	n=$((n + 1))
done
diag "probe: $((n - 1)) allocations failed in turn: $failed probes failed, $bound bound anyway"
ok "probe: walked past the last allocation" test $clean = 1
probe_errs=$(dmesg | grep -c 'optic.*probe.*failed with error -12\|optic.*error -ENOMEM')
diag "probe: dmesg has $probe_errs probe -ENOMEM reports"
dmesg | grep -i 'optic' | grep -iv 'probe of .* failed with error -12' | sort | uniq -c | sort -rn | head -n 8 | sed 's/^/#   /'
ok "probe: some probes failed with -ENOMEM" test "$probe_errs" -gt 0
ok "probe: no other probe error" sh -c "! dmesg | grep 'probe of .* failed with error' | grep -v 'error -12'"
ok "probe: nothing left bound" test ! -e $CLIENT/driver
ok "probe: no port left" test -z "$(ls $OPTIC_CLASS)"
ok "probe: a clean probe works again" bind_port
ok "probe: port index given back (port0)" wait_for 10 test -e $P/vendor_sn
check_eq "probe: same module" "$refsn" "$(cat $P/vendor_sn)"
check_eq "probe: page 03h reads right" "$ref3" "$(page3)"

# --- 2. netlink requests, every allocation in turn ----------------------------------
for c in get dump read write set; do
	n=1
	errs=""
	oks=0
	stalls=0
	bad=0
	while [ $n -le 800 ]; do
		out=$(timeout 30 vm-nlfuzz -f $n -c $c 2>&1)
		rc=$?
		left=$(printf '%s' "$out" | sed -n 's/.*left=\([0-9]*\).*/\1/p')
		res=$(printf '%s' "$out" | sed -n 's/.*result=\([0-9-]*\).*/\1/p')
		data=$(printf '%s' "$out" | sed -n 's/.*data=\([0-9a-f]*\).*/\1/p')
		if [ $rc -ne 0 ] && [ $rc -ne 2 ]; then
			stalls=$((stalls + 1))
			diag "netlink $c fail-nth $n: $out (exit $rc)"
		fi
		[ -n "$left" ] || { n=$((n + 1)); continue; }	# socket setup failed
		[ "$left" -gt 0 ] && break
		if [ "$res" = 0 ]; then
			oks=$((oks + 1))
			[ "$c" != read ] || [ "$data" = "$ref3" ] || {
				bad=$((bad + 1))
				diag "netlink read fail-nth $n: wrong data $data"
			}
		else
			errs="$errs $res"
		fi
		n=$((n + 1))
	done
	diag "netlink $c: $((n - 1)) allocations failed in turn: $oks answered, errors:$(printf '%s\n' $errs | sort | uniq -c | tr '\n' ' ')"
	ok "netlink $c: walked past the last allocation" test -n "$left" -a "${left:-0}" -gt 0
	check_eq "netlink $c: no stall" 0 $stalls
	check_eq "netlink $c: no wrong data" 0 $bad
	check_eq "netlink $c: errors are ENOMEM/ENOBUFS only" "" \
		"$(printf '%s\n' $errs | grep -vx '12\|105' | sort -u | tr '\n' ' ')"
	check_eq "netlink $c: reads right afterwards" "$ref3" "$(nl_read)"
done

# --- 3. random failures on marked tasks ---------------------------------------------------
echo Y >$F/task-filter
echo 20 >$F/probability
echo 1 >$F/interval
echo -1 >$F/times
# the loop runs until timeout stops it: a stuck task would not stop
timeout 20 sh -c "
	echo 1 >/proc/self/make-it-fail
	while :; do
		[ -e $CLIENT/driver ] && echo $bus-0050 >$DRV/unbind
		[ -e $CLIENT ] || echo 'optic 0x50' >$NEW
		echo $bus-0050 >$DRV/bind
		vm-nl read index=u32:0 page=u8:3 offset=u16:128 length=u16:128
		vm-nl dump
		vm-nl set index=u32:0 tx_disable=u32:0
		cat $P/vendor_sn $P/module_state
	done
" >/dev/null 2>&1
rc=$?
check_match "random: the loop ran until stopped (exit $rc)" '^(124|143)$' "$rc"
failslab_off
unbind_port
ok "random: a clean probe works" bind_port
ok "random: port0 again" wait_for 10 test -e $P/vendor_sn
check_eq "random: page 03h reads right" "$ref3" "$(page3)"
check_eq "random: netlink reads right" "$ref3" "$(nl_read)"

unbind_port
delete_client
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
