# SPDX-License-Identifier: GPL-2.0
# opticctl platform (issue 18): a cages.conf for optic_sim's switch topology
# with only its root adapters (attach=0: no mux chip, no client) is built by
# `opticctl platform apply`: the PCA9548 chips created and bound by the
# kernel's i2c-mux-pca954x with idle disconnect, every cage made with its
# name and its four gpio lines (CAGE_ADD), every module identified. A second
# apply changes nothing and says so; a file contradicting the live tree is
# refused line by line and nothing changes; a non-admin apply is refused.
# `opticctl bus` shows both root buses with their ports and counters that
# move (a dump is bulk traffic); `opticctl events PORT --clear` works for
# root and is refused for a non-admin.
# timeout: 300

D=$SIM_DEBUGFS
DEV=/sys/bus/i2c/devices
CONF=/tmp/cages.conf
PER_BUS=16

ok "optic_sim: 2 root buses x $PER_BUS cages, attach=0, gpio lines" \
	load_sim buses=2 ports_per_bus=$PER_BUS attach=0 gpios=1
# no poll: only the presence line tells the driver of a pull
ok "optic loads (poll_ms=0)" load_optic poll_ms=0
R0=$(sim_root_bus 0)
R1=$(sim_root_bus 1)
check_match "root adapters 'optic_sim bus 0' and 'optic_sim bus 1'" \
	'^[0-9]+ [0-9]+$' "$R0 $R1"
check_eq "nothing on them yet" "" "$(ls -d "$DEV/$R0"-* "$DEV/$R1"-* 2>/dev/null)"

# cages.conf: cage C of bus B is port swpN, N = 16 B + C + 1, behind channel
# C % 8 of the chip at 0x70 + C / 8; the simulator's port index is N - 1 and
# its lines are 4 (N - 1) + 0..3 of the gpio chip "optic_sim".
{
	echo "# optic_sim buses=2 ports_per_bus=$PER_BUS"
	for b in 0 1; do
		echo "[bus b$b]"
		echo "adapter = optic_sim bus $b"
		echo "clock = 400 kHz"
		echo "mux = pca9548 0x70"
		echo "mux = pca9548 0x71"
		c=0
		while [ $c -lt $PER_BUS ]; do
			p=$((b * PER_BUS + c))
			echo "[cage swp$((p + 1))]"
			echo "mux = 0x7$((c / 8))"
			echo "channel = $((c % 8))"
			echo "presence = optic_sim $((4 * p))"
			echo "reset = optic_sim $((4 * p + 1))"
			echo "lpmode = optic_sim $((4 * p + 2))"
			echo "intl = optic_sim $((4 * p + 3))"
			c=$((c + 1))
		done
	done
} >"$CONF"
ok "opticctl platform show parses it" opticctl platform show "$CONF"

# ---- check: the plan, no change ----
opticctl -j platform check "$CONF" >/tmp/check.json 2>/tmp/check.err
check_eq "check: 4 muxes and 32 cages to create" "4 32" \
	"$(jq -r '"\([.buses[].muxes[] | select(.action == "create")] | length) \([.cages[] | select(.action == "create")] | length)"' /tmp/check.json)"
check_eq "check changes nothing" "false " \
	"$(jq -r .changed /tmp/check.json) $(ls -d "$DEV/$R0"-* 2>/dev/null)"

# ---- a non-admin apply: refused before any change ----
as_nobody opticctl platform apply "$CONF" >/tmp/nobody.out 2>&1
check_eq "non-admin apply: exit 4 (permission denied)" 4 "$?"
check_match "and says what it needs" 'needs CAP_NET_ADMIN' "$(cat /tmp/nobody.out)"
check_eq "and nothing changed" "" "$(ls -d "$DEV/$R0"-* "$DEV/$R1"-* 2>/dev/null)"

# ---- apply ----
opticctl platform apply "$CONF" >/tmp/apply.out 2>&1
check_eq "apply exits 0" 0 "$?"
sed 's/^/#   /' /tmp/apply.out | tail -n 4
check_match "apply says what it created" ': 36 created, 0 updated, 0 kept$' \
	"$(cat /tmp/apply.out)"
check_eq "pca954x bound to the 4 chips, each with idle_state -2 (disconnect)" \
	"$R0-0070 pca954x -2,$R0-0071 pca954x -2,$R1-0070 pca954x -2,$R1-0071 pca954x -2," \
	"$(sim_mux_chips "$R0" "$R1" | tr '\n' ',')"

opticctl -j list >/tmp/list.json
check_eq "32 ports, named as the file says" \
	"$(i=1; while [ $i -le 32 ]; do printf 'swp%s ' $i; i=$((i + 1)); done)" \
	"$(jq -r '[.[].port] | sort_by(.[3:] | tonumber) | join(" ")' /tmp/list.json) "
check_eq "every module identified" 32 \
	"$(jq '[.[] | select(.present and .vendor_pn != null)] | length' /tmp/list.json)"
check_eq "swp3 sits behind channel 2 of bus 0's 0x70" "$(sim_cage_bus 0 2)" \
	"$(opticctl -j show swp3 | jq .i2c_bus)"
check_eq "swp27 sits behind channel 2 of bus 1's 0x71" "$(sim_cage_bus 1 10)" \
	"$(opticctl -j show swp27 | jq .i2c_bus)"
for l in presence reset lpmode intl; do
	check_eq "32 $l lines requested" 32 \
		"$(grep -c "|$l " /sys/kernel/debug/gpio)"
done
# swp5's presence line is optic_sim 16: a pull is seen without a poll
cat "$D/events" >/dev/null
echo 0 >"$D/port4/present"
ok "a pull of swp5 is recorded through its presence line (no poll)" \
	wait_for 10 sh -c "opticctl -j events swp5 | jq -se 'map(select(.event == \"removed\")) | length == 1'"
echo 1 >"$D/port4/present"
ok "and its re-plug" wait_for 10 sh -c \
	"opticctl -j events swp5 | jq -se 'map(select(.event == \"inserted\")) | length == 2'"

# ---- a second apply: nothing to change ----
opticctl platform apply "$CONF" >/tmp/apply2.out 2>&1
check_eq "second apply exits 0" 0 "$?"
check_match "and says nothing changed" 'nothing to change.*\(36\)' "$(cat /tmp/apply2.out)"
opticctl -j platform apply "$CONF" >/tmp/apply3.json
check_eq "--json: changed false, 36 kept, 0 created" "false 36 0" \
	"$(jq -r '"\(.changed) \(.kept) \(.created)"' /tmp/apply3.json)"
check_eq "--json: every cage kept with its module index" 32 \
	"$(jq '[.cages[] | select(.action == "kept" and .module_index >= 0)] | length' /tmp/apply3.json)"

# ---- a file that contradicts the live tree: refused, every line named ----
# line numbers: the comment is line 1, [bus b0] line 2, its muxes lines 5-6,
# 7 lines a cage from line 7 ([cage swp3]: 21), then [bus b1] and its adapter.
A1=$((2 + 4 + PER_BUS * 7 + 2))
snap() { ls -d "$DEV"/*-00* | sort; opticctl -j list | jq -c '[.[].port] | sort'; }
snap >/tmp/before
sed -e '6s/pca9548 0x71/pca9547 0x71/' -e '21s/swp3/swp99/' \
	-e "${A1}s/optic_sim bus 1/optic_sim bus 9/" \
	"$CONF" >/tmp/bad.conf
opticctl platform apply /tmp/bad.conf >/tmp/bad.out 2>&1
check_eq "a contradicting file: exit 1" 1 "$?"
sed 's/^/#   /' /tmp/bad.out
check_match "a different chip at an address: its line (6)" \
	'/tmp/bad.conf:6: 0x71 on i2c-[0-9]+ \(optic_sim bus 0\) is a pca9548, not a pca9547' \
	"$(cat /tmp/bad.out)"
check_match "a cage on a channel under another name: its line (21)" \
	'/tmp/bad.conf:21: channel 2 of mux 0x70 of bus b0 \(i2c-[0-9]+\) has cage swp3, not swp99' \
	"$(cat /tmp/bad.out)"
check_match "an adapter that does not exist: its line ($A1)" \
	"/tmp/bad.conf:$A1: no I2C adapter is named 'optic_sim bus 9'" \
	"$(cat /tmp/bad.out)"
check_match "those three, no more" 'contradicts the running system \(3 lines\)' \
	"$(cat /tmp/bad.out)"
check_match "and nothing was changed" 'nothing was changed' "$(cat /tmp/bad.out)"
snap >/tmp/after
check_eq "the tree is as it was" "$(cat /tmp/before)" "$(cat /tmp/after)"
fails "a file with a syntax error is refused" sh -c \
	"printf '[bus x]\nadapter = optic_sim bus 0\nspeed = 1\n[cage p]\n' >/tmp/syn.conf && opticctl platform check /tmp/syn.conf"

# ---- opticctl bus ----
opticctl -j bus >/tmp/bus1.json
check_eq "bus --json: both root buses, 16 ports each" \
	"$R0 optic_sim bus 0 16,$R1 optic_sim bus 1 16" \
	"$(jq -r 'map("\(.i2c_bus) \(.name) \(.ports | length)") | join(",")' /tmp/bus1.json)"
check_eq "bus 0's ports are swp1-swp16" \
	"$(i=1; while [ $i -le 16 ]; do printf 'swp%s ' $i; i=$((i + 1)); done)" \
	"$(jq -r ".[] | select(.i2c_bus == $R0) | .ports | sort_by(.[3:] | tonumber) | join(\" \")" /tmp/bus1.json) "
check_eq "every class reported" "control poll cdb bulk" \
	"$(jq -r '.[0].classes | map(.class) | join(" ")' /tmp/bus1.json)"
bulk() { jq ".[] | select(.i2c_bus == $R0) | .classes[] | select(.class == \"bulk\") | .$2" "$1"; }
ok "opticctl dump swp2 (every page)" opticctl dump swp2
opticctl -j bus >/tmp/bus2.json
check_eq "the dump moved bus 0's bulk counters" true \
	"$(jq -n --argjson a "$(bulk /tmp/bus1.json bytes)" --argjson b "$(bulk /tmp/bus2.json bytes)" '$b > $a + 256')"
check_eq "and not bus 1's" \
	"$(jq ".[] | select(.i2c_bus == $R1) | .classes[3].bytes" /tmp/bus1.json)" \
	"$(jq ".[] | select(.i2c_bus == $R1) | .classes[3].bytes" /tmp/bus2.json)"
check_eq "utilisation and busy time grew, age too" true \
	"$(jq -n --slurpfile a /tmp/bus1.json --slurpfile b /tmp/bus2.json \
		"(\$a[0][] | select(.i2c_bus == $R0)) as \$x | (\$b[0][] | select(.i2c_bus == $R0)) as \$y |
		 \$x.busy_ns < \$y.busy_ns and \$x.age_ns < \$y.age_ns and \$y.utilization > 0")"
( opticctl dump swp1 >/dev/null; opticctl dump swp1 >/dev/null ) &
opticctl bus --interval 1 >/tmp/bus.txt 2>&1
wait
check_match "bus --interval: utilisation over the interval, rates" \
	"^i2c-$R0 optic_sim bus 0: utilisation [0-9.]+% \\([0-9.]+% over the interval\\), queue [0-9]+ \\(max [0-9]+\\), reads [0-9]+ \\(max [0-9]+\\)$" \
	"$(cat /tmp/bus.txt)"
check_match "bus text: each bus's 16 ports" '^  ports:( swp[0-9]+){16}$' \
	"$(cat /tmp/bus.txt)"

# ---- events --clear ----
check_match "swp5 has records" '^[1-9]' "$(opticctl -j events swp5 | wc -l)"
as_nobody opticctl events swp5 --clear >/tmp/clr.out 2>&1
check_eq "a non-admin --clear: exit 4" 4 "$?"
check_match "and says why" 'needs CAP_NET_ADMIN' "$(cat /tmp/clr.out)"
check_match "the records are still there" '^[1-9]' "$(opticctl -j events swp5 | wc -l)"
ok "root clears them" opticctl events swp5 --clear
check_eq "cleared" 0 "$(opticctl -j events swp5 | wc -l)"

# ---- the cages go with the driver ----
ok "rmmod optic with the cages it made" rmmod optic
check_eq "no optic client left" "" "$(ls -d "$DEV"/*-0050 2>/dev/null)"
