# SPDX-License-Identifier: GPL-2.0
# failslab on optic.ko's allocations (needs CONFIG_FAILSLAB, the debug kernel:
# scripts/check-debug.sh tests/vm/scenarios/62-fault-failslab.sh; the stock
# kernel prints a TAP skip).
# 1. Probe: the i2c client is instantiated once by hand (optic_sim
#    attach=0), then bound through the driver's sysfs "bind" file, so the
#    probe runs in the writing shell; /proc/self/fail-nth fails its N-th
#    allocation: the first K points in turn, then a seeded random sample of
#    the rest (a full walk, ~1800 points counted with a bind/unbind each,
#    would take far too long on the KASAN kernel under TCG). Each run: the bind fails
#    cleanly (-ENOMEM) or succeeds (an allocation the driver may do without,
#    e.g. the A2h dummy client); nothing is left half-bound, and the port
#    index is given back (the next clean probe is port0 again).
# 2. Netlink: vm-nlfuzz -f N fails the N-th allocation of one request
#    (MODULE_GET doit and dump, EEPROM_READ, EEPROM_WRITE, MODULE_SET),
#    the same first-K-then-sample walk: an error or a correct answer,
#    never a stall.
# 3. Random: probability 20 on tasks marked make-it-fail (task-filter),
#    ignore-gfp-wait=N, while a loop binds/unbinds and sends requests.
# 4. The driver's own work: probability 30 on the kworkers (marked
#    make-it-fail) while a module is pulled, plugged and raises flags: the
#    poll worker's identification and event skbs fail; events come after.
# Then failslab off: everything works, and the debug run's kmemleak scan
# (tests/vm/init) finds no leak.
# timeout: 900

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

# --- the walk: which allocation points are failed ----------------------------------
# fail-nth with a number far beyond the last allocation fails nothing and
# tells how many allocations one clean run makes (N - what is left). Every
# walk fails points 1..K in turn (the driver's own allocations come first:
# kzalloc of the module, the index, devres; for a request the reply skb)
# and then S points drawn from K+1..total with a seeded generator. K, S and
# the seed are printed; the kernel command line may set them:
#   tests/vm/run --append "optic_failslab_seed=N optic_failslab_probe=K,S
#     optic_failslab_nl=K,S" tests/vm/scenarios/62-fault-failslab.sh
arg() { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
seed=$(arg optic_failslab_seed)
seed=${seed:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
kp=$(arg optic_failslab_probe)
kn=$(arg optic_failslab_nl)
PROBE_K=${kp%%,*}; PROBE_K=${PROBE_K:-20}
PROBE_S=${kp##*,}; [ -n "$kp" ] || PROBE_S=20
NL_K=${kn%%,*}; NL_K=${NL_K:-8}
NL_S=${kn##*,}; [ -n "$kn" ] || NL_S=4
BIG=100000
diag "seed $seed; probe: first $PROBE_K + $PROBE_S sampled; netlink: first $NL_K + $NL_S sampled per request"
# points TOTAL K S SALT [PRE]: PRE+1..PRE+K (PRE: allocations before the
# code under test), then S distinct points of the rest, all within 1..TOTAL
points() {
	awk -v t="$1" -v k="$(($2 + ${5:-0}))" -v s="$3" -v seed="$((seed + $4))" -v pre="${5:-0}" 'BEGIN {
		for (i = pre + 1; i <= k && i <= t; i++) print i
		rest = t - k
		if (rest <= 0) exit
		if (s > rest) s = rest
		srand(seed)
		while (n < s) {
			p = k + 1 + int(rand() * rest)
			if (p > t) p = t
			if (!(p in seen)) { seen[p] = 1; print p; n++ }
		}
	}' | sort -n | tr '\n' ' '
}
t0=$(date +%s)

# --- 1. probe --------------------------------------------------------------------------
dmesg -c >/dev/null
# in one shell: arm fail-nth, bind, read back what is left
bind_nth() {
	sh -c "echo $1 >/proc/self/fail-nth; echo $bus-0050 >$DRV/bind; read -r l </proc/self/fail-nth; echo 0 >/proc/self/fail-nth; echo \$l" 2>/dev/null
}
left=$(bind_nth $BIG)
total=$((BIG - ${left:-$BIG}))
ok "probe: a counting probe binds" test -e $CLIENT/driver
unbind_port
diag "probe: a clean probe makes $total allocations"
ok "probe: allocations counted" test "$total" -gt 0
# The bind file's own allocations (open, kernfs buffer, device lookup) come
# before the probe: a bind of a device that does not exist counts them.
left=$(sh -c "echo $BIG >/proc/self/fail-nth; echo nosuch-0050 >$DRV/bind; read -r l </proc/self/fail-nth; echo 0 >/proc/self/fail-nth; echo \$l" 2>/dev/null)
pre=$((BIG - ${left:-$BIG}))
diag "probe: $pre allocations come before the driver core binds"
pts=$(points $total $PROBE_K $PROBE_S 0 $pre)
diag "probe: failing points $pts"
bound=0
failed=0
walked=0
for n in $pts; do
	left=$(bind_nth $n)
	walked=$((walked + 1))
	if [ -e $CLIENT/driver ]; then
		bound=$((bound + 1))
		unbind_port
	else
		failed=$((failed + 1))
	fi
	[ "${left:-1}" -eq 0 ] || diag "probe: fail-nth $n was not reached (left $left)"
done
diag "probe: $walked of $total points failed ($(($(date +%s) - t0)) s): $failed probes failed, $bound bound anyway"
probe_errs=$(dmesg | grep -c 'optic.*probe.*failed with error -12\|optic.*error -ENOMEM')
diag "probe: dmesg has $probe_errs probe -ENOMEM reports"
dmesg | grep -i 'optic' | grep -iv 'probe of .* failed with error -12' | sed 's/^\[[ 0-9.]*\] //' | sort | uniq -c | sort -rn | head -n 8 | sed 's/^/#   /'
ok "probe: some probes failed with -ENOMEM" test "$probe_errs" -gt 0
ok "probe: no other probe error" sh -c "! dmesg | grep 'probe of .* failed with error' | grep -v 'error -12'"
ok "probe: nothing left bound" test ! -e $CLIENT/driver
ok "probe: no port left" test -z "$(ls $OPTIC_CLASS)"
ok "probe: a clean probe works again" bind_port
ok "probe: port index given back (port0)" wait_for 10 test -e $P/vendor_sn
check_eq "probe: same module" "$refsn" "$(cat $P/vendor_sn)"
check_eq "probe: page 03h reads right" "$ref3" "$(page3)"

# --- 2. netlink requests ---------------------------------------------------------------
# parse OUTPUT: left, res, data of "failnth=N left=L result=R replies=P data=HEX"
# (no sed: every fork costs on the debug kernel)
field() {
	case " $2 " in
	*" $1="*) v=${2#*"$1="}; v=${v%% *} ;;
	*) v= ;;
	esac
}
parse() {
	field left "$1"; left=$v
	field result "$1"; res=$v
	field data "$1"; data=$v
}
salt=1
for c in get dump read write set; do
	t1=$(date +%s)
	out=$(timeout 30 vm-nlfuzz -f $BIG -c $c 2>&1)
	parse "$out"
	total=$((BIG - ${left:-$BIG}))
	check_eq "netlink $c: a counting request answers" 0 "$res"
	ok "netlink $c: allocations counted ($total)" test "$total" -gt 0
	pts=$(points $total $NL_K $NL_S $salt)
	salt=$((salt + 1))
	errs=""
	oks=0
	stalls=0
	bad=0
	walked=0
	for n in $pts; do
		out=$(timeout 30 vm-nlfuzz -f $n -c $c 2>&1)
		rc=$?
		walked=$((walked + 1))
		parse "$out"
		if [ $rc -ne 0 ] && [ $rc -ne 2 ]; then
			stalls=$((stalls + 1))
			diag "netlink $c fail-nth $n: $out (exit $rc)"
		fi
		[ -n "$left" ] || continue	# socket setup failed
		if [ "$res" = 0 ]; then
			oks=$((oks + 1))
			[ "$c" != read ] || [ "$data" = "$ref3" ] || {
				bad=$((bad + 1))
				diag "netlink read fail-nth $n: wrong data $data"
			}
		else
			errs="$errs $res"
		fi
	done
	diag "netlink $c: $walked of $total points ($pts) failed ($(($(date +%s) - t1)) s): $oks answered, errors:$(printf '%s\n' $errs | sort | uniq -c | tr '\n' ' ')"
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
# The loop runs until timeout stops it (a stuck task would not stop). The
# loop's own shell stays unmarked (a marked shell that cannot fork exits
# with status 2); each command runs in a child that marks itself and execs.
cat >/tmp/failslab-loop.sh <<LOOP
m() { sh -c 'echo 1 >/proc/self/make-it-fail && exec "\$@"' m "\$@"; }
while :; do
	[ ! -e $CLIENT/driver ] || m sh -c 'echo $bus-0050 >$DRV/unbind'
	[ -e $CLIENT ] || m sh -c 'echo optic 0x50 >$NEW'
	m sh -c 'echo $bus-0050 >$DRV/bind'
	m vm-nl read index=u32:0 page=u8:3 offset=u16:128 length=u16:128
	m vm-nl dump
	m vm-nl set index=u32:0 tx_disable=u32:0
	m cat $P/vendor_sn $P/module_state
	echo pass >>/tmp/failslab-loop.count
done
LOOP
rm -f /tmp/failslab-loop.count
timeout 20 sh /tmp/failslab-loop.sh >/dev/null 2>&1
rc=$?
check_match "random: the loop ran until stopped (exit $rc)" '^(124|143)$' "$rc"
diag "random: $(cat /tmp/failslab-loop.count 2>/dev/null | wc -l) passes of the loop in 20 s"
failslab_off
unbind_port
ok "random: a clean probe works" bind_port
ok "random: port0 again" wait_for 10 test -e $P/vendor_sn
check_eq "random: page 03h reads right" "$ref3" "$(page3)"
check_eq "random: netlink reads right" "$ref3" "$(nl_read)"

# --- 4. the driver's own work: poll worker, identification, events ----------------------
# The poll and IntL work run on the system workqueue: every kworker is
# marked make-it-fail (again each round: the pool grows), so the poll
# worker re-identifying modules and allocating event skbs fails at random.
# A lost event leaves a hole in the sequence numbers.
mark_kworkers() { # 1 or 0
	for c in /proc/[0-9]*/comm; do
		case $(cat $c 2>/dev/null) in
		kworker*) echo $1 >${c%comm}make-it-fail 2>/dev/null ;;
		esac
	done
}
echo 100 >/sys/module/optic/parameters/poll_ms
unbind_port
ok "events: bound with the poll on" bind_port
ok "events: port0 identified" wait_for 10 test -e $P/vendor_sn
timeout 60 vm-nl monitor 100000 40 >/tmp/fev.out 2>&1 &
mon=$!
wait_for 5 grep -q listening /tmp/fev.out
dmesg -c >/dev/null
echo Y >$F/task-filter
echo 1 >$F/verbose
echo 30 >$F/probability
S=$SIM_DEBUGFS/port0
for i in 1 2 3 4 5 6 7 8; do
	mark_kworkers 1
	echo 0 >$S/present
	sleep 0.4
	echo 1 >$S/present
	sleep 0.4
	echo "set rx_power 1 0" >$S/monitor
	sleep 0.4
	echo "set rx_power 1 500000" >$S/monitor
	sleep 0.4
done
failslab_off
echo 0 >$F/verbose
mark_kworkers 0
kill $mon 2>/dev/null
wait $mon 2>/dev/null
forced=$(dmesg | grep -c 'FAULT_INJECTION: forcing a failure')
nev=$(grep -c '^event=' /tmp/fev.out)
seqs=$(sed -n 's/^seq=//p' /tmp/fev.out)
holes=0
[ -z "$seqs" ] || holes=$(($(echo "$seqs" | tail -n 1) - $(echo "$seqs" | head -n 1) + 1 - $(echo "$seqs" | wc -l)))
diag "events: $forced failures reported (rate-limited), $nev events received, $holes lost"
dmesg | grep -i 'optic' | sed 's/^\[[ 0-9.]*\] //' | sort | uniq -c | sort -rn | head -n 6 | sed 's/^/#   /'
ok "events: allocations failed in the workers" test "$forced" -gt 0
ok "events: the monitor kept receiving" test "$nev" -gt 0
timeout 30 vm-nl monitor 1 20 >/tmp/fev2.out 2>&1 &
mon=$!
wait_for 5 grep -q listening /tmp/fev2.out
echo 0 >$S/present
wait $mon
check_match "events: after the faults a removal is an event again" '^event=2$' "$(cat /tmp/fev2.out)"
echo 1 >$S/present
# (the glob is expanded at each try: the hwmon device may come back later)
ok "events: the module is identified again (hwmon back)" \
	wait_for 30 sh -c "test -e $P/device/hwmon/hwmon*/temp1_input"
check_eq "events: same module" "$refsn" "$(cat $P/vendor_sn)"
echo 0 >/sys/module/optic/parameters/poll_ms

unbind_port
delete_client
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
