# SPDX-License-Identifier: GPL-2.0
# One flash per module at a time: while port0 downloads, a second flash,
# a run and an abort of port0 are refused (the flock on
# /run/optic/port0.fw.lock), fw info says a flash is running, and port1
# flashes in parallel. The first flash (through the LPL, slow) completes
# untouched.
# timeout: 300

D=$SIM_DEBUGFS

mkimage() { # FILE MAJOR MINOR SIZE
	{
		printf 'OSFW'
		printf "\\$(printf '%03o' "$2")\\$(printf '%03o' "$3")"
		head -c $(($4 - 6)) /dev/urandom
	} >"$1"
}
img() { opticctl -j fw info "$1" | jq -r ".images[$2].$3"; }

ok "optic_sim loads" load_sim ports=2
ok "optic.ko loads" load_optic
ok "port1 appears" wait_for 10 test -e "$OPTIC_CLASS/port1"
mkimage /tmp/a.bin 9 1 131072
mkimage /tmp/b.bin 9 2 4096

echo 400 >"$D/port0/time_scale"
opticctl -j fw flash --lpl port0 /tmp/a.bin >/tmp/first.out 2>/tmp/first.err &
pid=$!
ok "the first flash is under way" wait_for 60 sh -c \
	"grep -q '\"phase\":\"write\"' /tmp/first.out"

out=$(opticctl fw flash port0 /tmp/b.bin 2>&1)
check_eq "a second flash of port0 is refused (exit 3)" 3 "$?"
check_match "and says why" "another firmware flash is running on this module \(/run/optic/port0.fw.lock is held\)" "$out"
out=$(opticctl fw run port0 2>&1)
check_eq "fw run during the flash is refused" 3 "$?"
check_match "run: says why" "firmware flash is running" "$out"
out=$(opticctl fw abort port0 2>&1)
check_eq "fw abort from another process is refused" 3 "$?"
check_eq "fw info: flashing" true "$(opticctl -j fw info port0 | jq .flashing)"
check_eq "fw info: no CDB meanwhile, versions from the registers" "3.14 3.10" \
	"$(opticctl -j fw info port0 | jq -r '"\(.running_version) \(.inactive_version)"')"
out=$(opticctl fw commit port0 2>&1)
check_eq "fw commit during the flash is refused" 3 "$?"
check_match "fw info text says so" "a flash is running" "$(opticctl fw info port0)"

out=$(opticctl fw flash port1 /tmp/b.bin 2>&1)
check_eq "port1 flashes meanwhile" 0 "$?"
check_eq "port1 B is 9.2" 9.2 "$(img port1 1 version)"
check_eq "port0 is still downloading" true \
	"$(kill -0 $pid 2>/dev/null && echo true || echo false)"

wait $pid
check_eq "the first flash completes" 0 "$?"
sed 's/^/#   /' /tmp/first.err
echo 0 >"$D/port0/time_scale"
check_eq "port0 B is 9.1 (not 9.2)" "9.1 true" \
	"$(img port0 1 version) $(img port0 1 valid)"
check_eq "lock released" false "$(opticctl -j fw info port0 | jq .flashing)"
ok "now a second flash of port0 goes through" opticctl fw flash port0 /tmp/b.bin
check_eq "port0 B is 9.2" 9.2 "$(img port0 1 version)"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
