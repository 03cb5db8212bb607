# SPDX-License-Identifier: GPL-2.0
# Netlink fuzzing in the VM (tests/vm/vm-nlfuzz.c): a few thousand random and
# mutated messages to the "optic" family, first as uid nobody, then as root.
# No kernel report (the harness scans dmesg), no stall, every write command
# refused with EPERM to nobody (none accepted), and the driver still works
# afterwards: the same reads give the same bytes.
# Seeds are random and printed; reproduce a run with
#   tests/vm/run --append "optic_fuzz_seed=SEED" tests/vm/scenarios/63-fault-nlfuzz.sh
# (both passes then use SEED), and the message count with optic_fuzz_count=N.
# timeout: 300

arg() { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
seed=$(arg optic_fuzz_seed)
count=$(arg optic_fuzz_count)
count=${count:-20000}
seed_nobody=${seed:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
seed_root=${seed:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

hex() { od -An -tx1 -v | tr -d ' \n'; }
page() { dd if=$OPTIC_CLASS/port$1/eeprom bs=128 skip=$(($2 + 1)) count=1 2>/dev/null | hex; }
nl_page() { vm-nl read index=u32:$1 page=u8:$2 offset=u16:0 length=u16:256 | sed -n 's/^data=//p'; }
# what must read the same after the fuzzing (monitors and flags move)
snapshot() {
	for p in 0 1; do
		echo "port$p sn=$(cat $OPTIC_CLASS/port$p/vendor_sn) state=$(cat $OPTIC_CLASS/port$p/module_state)"
		echo "port$p p00=$(page $p 0) p01=$(page $p 1) p02=$(page $p 2) p03=$(page $p 3)"
		echo "port$p nl00=$(nl_page $p 0 | cut -c257-)"
	done
	vm-nl dump | grep -E '^(index|name|present|vendor_sn|state)='
}
field() { printf '%s\n' "$2" | sed -n "s/.*\<$1=\([0-9]*\).*/\1/p" | tail -n 1; }

ok "optic_sim loads" load_sim ports=2
ok "optic.ko loads" load_optic
ok "port1 identified" wait_for 10 test -e $OPTIC_CLASS/port1/vendor_sn
for m in temp vcc bias tx_power rx_power; do
	echo "noise $m all 0" >$SIM_DEBUGFS/port0/monitor
	echo "noise $m all 0" >$SIM_DEBUGFS/port1/monitor
done
ref=$(snapshot)
check_match "reference snapshot" 'port1 sn=.+ state=ready' "$ref"
ok "vm-nlfuzz is there" test -x /usr/bin/vm-nlfuzz

# --- as nobody ------------------------------------------------------------------
diag "nobody: seed $seed_nobody, $count messages"
t0=$(date +%s)
out=$(timeout 150 vm-nlfuzz -s "$seed_nobody" -n "$count" -t 60 -u 65534 2>&1)
rc=$?
sum=$(printf '%s\n' "$out" | grep '^summary')
diag "nobody: $(($(date +%s) - t0)) s: $sum"
printf '%s\n' "$out" | grep -v '^summary' | head -n 10 | sed 's/^/#   /'
check_eq "nobody: vm-nlfuzz completes (exit 0, no stall)" 0 "$rc"
check_match "nobody: ran as uid 65534" ' uid=65534 ' "$sum"
# -t 60 bounds the pass: a debug (KASAN) kernel gets through about a third.
ok "nobody: $count messages, or 2000 within 60 s" test "$(field sent "$sum")" -ge "$((count < 2000 ? count : 2000))"
check_eq "nobody: no stall" 0 "$(field stalls "$sum")"
attempts=$(field write_attempts "$sum")
ok "nobody: write commands were tried ($attempts)" test "${attempts:-0}" -gt 0
check_eq "nobody: writes accepted" 0 "$(field writes_accepted "$sum")"
check_eq "nobody: every write refused with EPERM" "$attempts" "$(field writes_eperm "$sum")"
ok "nobody: write commands with NLM_F_DUMP were tried" test "$(field write_dumps "$sum")" -gt 0
check_eq "nobody: none of them accepted" 0 "$(field write_dumps_accepted "$sum")"
check_eq "nobody: the driver reads the same afterwards" "$ref" "$(snapshot)"

# --- as root ------------------------------------------------------------------------
diag "root: seed $seed_root, $count messages"
t0=$(date +%s)
out=$(timeout 150 vm-nlfuzz -s "$seed_root" -n "$count" -t 60 2>&1)
rc=$?
sum=$(printf '%s\n' "$out" | grep '^summary')
diag "root: $(($(date +%s) - t0)) s: $sum"
printf '%s\n' "$out" | grep -v '^summary' | head -n 10 | sed 's/^/#   /'
check_eq "root: vm-nlfuzz completes (exit 0, no stall)" 0 "$rc"
# -t 60 bounds the pass: a debug (KASAN) kernel gets through about a third.
ok "root: $count messages, or 2000 within 60 s" test "$(field sent "$sum")" -ge "$((count < 2000 ? count : 2000))"
check_eq "root: no stall" 0 "$(field stalls "$sum")"
ok "root: some writes were accepted" test "$(field writes_accepted "$sum")" -gt 0
# Root's random writes changed the modules (controls, user EEPROM, maybe a
# reset or low power): plug fresh ones, then everything reads as before.
for p in 0 1; do
	echo 0 >$SIM_DEBUGFS/port$p/present
done
sleep 1
for p in 0 1; do
	echo 1 >$SIM_DEBUGFS/port$p/present
	echo 0 >$SIM_DEBUGFS/port$p/lpmode
	echo 0 >$SIM_DEBUGFS/port$p/reset
done
ok "root: modules back after a replug" wait_for 15 sh -c \
	"grep -qx ready $OPTIC_CLASS/port0/module_state && grep -qx ready $OPTIC_CLASS/port1/module_state"
for m in temp vcc bias tx_power rx_power; do
	echo "noise $m all 0" >$SIM_DEBUGFS/port0/monitor
	echo "noise $m all 0" >$SIM_DEBUGFS/port1/monitor
done
now=$(snapshot)
check_eq "root: the driver reads the same afterwards" "$ref" "$now"
[ "$ref" = "$now" ] || diff /dev/fd/3 /dev/fd/4 3<<EOF3 4<<EOF4 | head -n 10 | sed 's/^/#   /'
$ref
EOF3
$now
EOF4
check_match "netlink still answers as nobody" '^data=' \
	"$(as_nobody vm-nl read index=u32:0 page=u8:0 offset=u16:128 length=u16:16)"
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
