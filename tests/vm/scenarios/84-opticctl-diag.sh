# SPDX-License-Identifier: GPL-2.0
# opticctl diag (docs/diag.md): what a module with pages 13h-14h supports,
# loopbacks per lane as the registers show them, a PRBS run against the
# simulator's per-lane BER (bits from the lane rate, errors within the
# statistical bound, the BER consistent, the SNR the module reports where
# it reports one, the state put back), the refusals
# (no pages 13h-14h, SFF-8636, unprivileged, bad lanes, pattern, side), and
# a run ended by SIGINT (state restored) or by a pull (a clear error).
# timeout: 300

D=$SIM_DEBUGFS/port0
# osfp-800g-2xdr4 runs 800GAUI-8 / 800GBASE-DR8: 106.25 Gb/s a lane (docs/sim.md)
LANE_RATE=106.25e9

ok "optic_sim loads" load_sim ports=4 profile=osfp-800g-2xdr4
echo qsfpdd-400g-fr4 >"$SIM_DEBUGFS/port1/profile"
echo qsfp28-100g-cwdm4 >"$SIM_DEBUGFS/port2/profile"
echo osfpxd-1600g-2xdr8 >"$SIM_DEBUGFS/port3/profile"
ok "optic.ko loads" load_optic
ok "port3 appears" wait_for 10 test -e "$OPTIC_CLASS/port3"
ok "port0 reaches ModuleReady" wait_for 20 sh -c \
	"opticctl -j show port0 | jq -e '.module_state == \"ready\"'"

# reg PAGE OFFSET [BANK [PORT]]: one byte as opticctl dump reads it
reg() {
	opticctl -j dump "${4:-port0}" --page "$1" --bank "${3:-0}" |
		jq -r ".pages[] | select(.offset == 128) | .data[$((($2 - 128) * 2)):$((($2 - 128) * 2 + 2))]"
}
# a PRBS run on every host lane has its generators on (13h:144)
generating() { [ "$(reg 13 144)" = ff ]; }
# the bytes a PRBS run saves and puts back: 13h:144-183 and 14h:128
diag_state() {
	opticctl -j dump port0 --page 13 | jq -r '.pages[] | select(.offset == 128) | .data[32:112]'
	reg 14 128
}

# sim_snr host|media LANE [PORTDIR]: the SNR (dB) the simulator reports for
# LANE (1-based) when its checker is locked, from portN/ber (docs/sim.md)
sim_snr() {
	awk -v l=$(($2 - 1)) -v c="$([ "$1" = host ] && echo 4 || echo 5)" \
		'$1 == l { print $c }' "${3:-$D}/ber"
}
# same_snr A B: two SNRs within the 1/256 dB resolution (null is no SNR)
same_snr() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ &&
		a - b <= 1 / 256 && b - a <= 1 / 256) }'
}
# snr_match JSON SIDE [PORTDIR]: every lane's snr_db is the simulator's
snr_match() {
	echo "$1" | jq -r '.results[] | "\(.lane) \(.snr_db)"' | while read -r l v; do
		same_snr "$v" "$(sim_snr "$2" "$l" "$3")" || {
			echo "lane $l: snr_db $v, simulator $(sim_snr "$2" "$l" "$3")"
			return 1
		}
	done
}

# ---- capabilities ----
caps=$(opticctl -j diag port0)
check_eq "JSON: 8 host lanes, 8 media lanes" "8 8" \
	"$(echo "$caps" | jq -r '"\(.host_lanes) \(.media_lanes)"')"
check_eq "JSON: every loopback" "true true true true" \
	"$(echo "$caps" | jq -r '.loopback | "\(.host_input) \(.host_output) \(.media_input) \(.media_output)"')"
check_eq "JSON: per-lane loopbacks" "true true" \
	"$(echo "$caps" | jq -r '.loopback | "\(.per_lane_host) \(.per_lane_media)"')"
check_eq "JSON: the host generator runs PRBS31Q" true \
	"$(echo "$caps" | jq '.host.generator.patterns | index("PRBS31Q") != null')"
check_eq "JSON: the media checker runs PRBS31Q" true \
	"$(echo "$caps" | jq '.media.checker.patterns | index("PRBS31Q") != null')"
check_eq "JSON: bits and errors counted, BER reported" "true true" \
	"$(echo "$caps" | jq -r '.reporting | "\(.bits_and_errors) \(.ber)"')"
check_eq "JSON: SNR reported on both sides (13h:130 bits 4-5)" "true true" \
	"$(echo "$caps" | jq -r '.reporting | "\(.snr_host) \(.snr_media)"')"
check_eq "JSON: no loopback on" "[]" \
	"$(echo "$caps" | jq -c '[.loopback.enabled[][]]')"
check_eq "JSON: nothing running" "[]" \
	"$(echo "$caps" | jq -c '[.host[].enabled[], .media[].enabled[]]')"
text=$(opticctl diag port0)
check_match "text: the loopbacks" "Loopback media-output +: yes" "$text"
check_match "text: the patterns" "patterns +: PRBS31Q PRBS31" "$text"

# ---- loopback ----
out=$(opticctl -j diag port0 loopback media-output on --lanes 1-4)
check_eq "media-output on lanes 1-4: exit 0" 0 "$?"
check_eq "it reports lanes 1-4" '{"port":"port0","loopback":"media_output","enabled":[1,2,3,4]}' "$out"
check_eq "13h:180 has lanes 1-4" 0f "$(reg 13 180)"
ok "host-input on lanes 6,8" opticctl diag port0 loopback host-input on --lanes 6,8
check_eq "13h:183 has lanes 6 and 8" a0 "$(reg 13 183)"
out=$(opticctl diag port0 loopback media-output off --lanes 1,2)
check_match "text: media-output off on 1,2 leaves 3-4" "port0: loopback media-output on lanes 3-4" "$out"
check_eq "13h:180 has lanes 3-4" 0c "$(reg 13 180)"
check_eq "diag shows them" '[[3,4],[6,8]]' \
	"$(opticctl -j diag port0 | jq -c '[.loopback.enabled.media_output, .loopback.enabled.host_input]')"

# ---- PRBS against the simulator's BER ----
before=$(diag_state)
echo "all 1e-9" >"$D/ber"
out=$(opticctl -j diag port0 prbs --pattern PRBS31Q --side host --seconds 10)
check_eq "prbs 10 s on the host side: exit 0" 0 "$?"
diag "$(echo "$out" | jq -c '.results[0]')"
check_eq "8 lanes of results" 8 "$(echo "$out" | jq '.results | length')"
check_eq "no lane lost lock" false "$(echo "$out" | jq '[.results[].lock_lost] | any')"
elapsed=$(echo "$out" | jq .elapsed_seconds)
# bits within 1 % of rate x seconds; errors within 5 sigma of bits x 1e-9
# (8 lanes: at 4 sigma a false failure would come once in ~2 000 runs);
# BER = errors / bits as printed (3 significant digits: within 0.5 %)
check_eq "bits within 1 % of the lane rate x elapsed" true "$(echo "$out" |
	jq --argjson t "$elapsed" --argjson r "$LANE_RATE" \
		'[.results[] | (.bits - $r * $t) | fabs <= 0.01 * $r * $t] | all')"
check_eq "errors within 5 sigma of bits x 1e-9" true "$(echo "$out" |
	jq '[.results[] | (.bits * 1e-9) as $m | (.errors - $m) | fabs <= 5 * ($m | sqrt) + 1] | all')"
check_eq "BER is errors / bits" true "$(echo "$out" |
	jq '[.results[] | ((.ber - .errors / .bits) | fabs) <= 0.005 * .ber + 1e-15] | all')"
ok "every lane's snr_db is the simulator's (21.004 dB at 1e-9)" snr_match "$out" host
check_eq "the state is put back" "$before" "$(diag_state)"
echo "media 1 2.5e-6" >"$D/ber"
text=$(opticctl diag port0 prbs --pattern prbs-31q --side media --seconds 2 --lanes 2)
check_match "text: header" "port0: PRBS31Q on media lanes 2" "$text"
check_match "text: the columns" "lane +bits +errors +BER +SNR dB +lock" "$text"
check_match "text: lane 2 with its BER and SNR" \
	"^[[:space:]]+2 +[0-9]+ +[0-9]+ +[0-9.]+e-[0-9]+ +[0-9]+\.[0-9]{3} +ok" "$text"
snr=$(echo "$text" | awk '$1 == 2 { print $5 }')
ok "text: lane 2's SNR $snr dB is the simulator's ($(sim_snr media 2))" \
	same_snr "$snr" "$(sim_snr media 2)"
echo "media 1 1e-9" >"$D/ber"

# a lane without light: its checker loses lock and compares nothing
echo "offset rx_power 5 -100000000000" >"$D/monitor"
out=$(opticctl -j diag port0 prbs --pattern PRBS31Q --side media --seconds 2 --lanes 5,6)
check_eq "media lanes 5-6, no light on 6: exit 0" 0 "$?"
check_eq "lane 6 lost lock, lane 5 did not" "false true" \
	"$(echo "$out" | jq -r '[.results[].lock_lost] | map(tostring) | join(" ")')"
check_eq "lane 6 compared no bits: BER and SNR null" "0 null null" \
	"$(echo "$out" | jq -r '.results[1] | "\(.bits) \(.ber) \(.snr_db)"')"
check_eq "lane 5 counted" true "$(echo "$out" | jq '.results[0].bits > 0')"
ok "lane 5's SNR is the simulator's" same_snr \
	"$(echo "$out" | jq '.results[0].snr_db')" "$(sim_snr media 5)"
text=$(opticctl diag port0 prbs --pattern PRBS31Q --side media --seconds 1 --lanes 6)
check_match "text: lane 6 lost, no SNR" "^[[:space:]]+6 +0 +0 +- +- +lost" "$text"
echo "offset rx_power 5 0" >"$D/monitor"

# a 16-lane module: lanes 9-16 on bank 1 of pages 13h-14h
ok "port3 reaches ModuleReady" wait_for 30 sh -c \
	"opticctl -j show port3 | jq -e '.module_state == \"ready\"'"
check_eq "16-lane module: 16 host and media lanes" "16 16" \
	"$(opticctl -j diag port3 | jq -r '"\(.host_lanes) \(.media_lanes)"')"
ok "16-lane module: host-input loopback on lane 12" opticctl diag port3 loopback host-input on --lanes 12
check_eq "16-lane module: bank 1 13h:183 has lane 12" 08 "$(reg 13 183 1 port3)"
check_eq "16-lane module: bank 0 13h:183 untouched" 00 "$(reg 13 183 0 port3)"
out=$(opticctl -j diag port3 prbs --pattern PRBS31Q --side host --seconds 1 --lanes 8-9)
check_eq "16-lane module: PRBS on lanes 8 and 9 (banks 0 and 1)" "8 9" \
	"$(echo "$out" | jq -r '[.results[].lane] | map(tostring) | join(" ")')"
check_eq "16-lane module: both lanes counted" true "$(echo "$out" | jq '[.results[].bits > 0] | all')"
check_eq "16-lane module: media SNR only (13h:130 bits 4-5)" "false true" \
	"$(opticctl -j diag port3 | jq -r '.reporting | "\(.snr_host) \(.snr_media)"')"
check_eq "16-lane module: no host SNR, snr_db null" "null null" \
	"$(echo "$out" | jq -r '[.results[].snr_db] | map(tostring) | join(" ")')"
text=$(opticctl diag port3 prbs --pattern PRBS31Q --side host --seconds 1 --lanes 9)
check_match "16-lane module: text shows no host SNR" "^[[:space:]]+9 +[0-9]+ +[0-9]+ +[-+0-9.e]+ +- +ok" "$text"
echo "media 9 1e-6" >"$SIM_DEBUGFS/port3/ber"
out=$(opticctl -j diag port3 prbs --pattern PRBS31Q --side media --seconds 1 --lanes 8-10)
check_eq "16-lane module: media lanes 8-10 locked" "false false false" \
	"$(echo "$out" | jq -r '[.results[].lock_lost] | map(tostring) | join(" ")')"
ok "16-lane module: media SNR of banks 0 and 1 is the simulator's (lane 10 at 1e-6)" \
	snr_match "$out" media "$SIM_DEBUGFS/port3"
check_eq "16-lane module: lane 10 differs from lane 9 (30 dB error-free)" true \
	"$(echo "$out" | jq '.results[1].snr_db == 30 and .results[2].snr_db < 18.1')"
check_eq "16-lane module: generators off again in bank 1" 00 "$(reg 13 144 1 port3)"

# ---- refusals ----
out=$(opticctl diag port1 2>&1)
check_eq "no pages 13h-14h: exit status 2" 2 "$?"
check_match "no pages 13h-14h: says so" "port1: module does not advertise diagnostic pages 13h-14h \(CMIS page 01h byte 142 bit 5\)" "$out"
out=$(opticctl diag port2 prbs --pattern PRBS31Q --side host --seconds 1 2>&1)
check_eq "SFF-8636: exit status 2" 2 "$?"
check_match "SFF-8636: says why" "port2: diagnostics need a paged CMIS module" "$out"
before=$(diag_state)
out=$(as_nobody opticctl diag port0 prbs --pattern PRBS31Q --side host --seconds 1 2>&1)
check_eq "unprivileged prbs: exit status 4" 4 "$?"
check_match "unprivileged prbs: run as root" "port0: diag prbs writes module registers \(needs CAP_NET_ADMIN: run as root\)" "$out"
out=$(as_nobody opticctl diag port0 loopback host-output on 2>&1)
check_eq "unprivileged loopback: exit status 4" 4 "$?"
check_eq "unprivileged callers changed nothing" "$before" "$(diag_state)"
check_eq "unprivileged read works" 8 "$(as_nobody opticctl -j diag port0 | jq .host_lanes)"
out=$(opticctl diag port0 prbs --pattern PRBS31Q --side host --seconds 1 --lanes 7-9 2>&1)
check_eq "lane 9 of 8: exit status 1" 1 "$?"
check_match "lane 9 of 8: says so" "port0: lanes 9: the module has 8 host lanes" "$out"
out=$(opticctl diag port0 loopback media-input on --lanes 0 2>&1)
check_eq "lane 0: exit status 1" 1 "$?"
out=$(opticctl diag port0 prbs --pattern PRBS99 --side host --seconds 1 2>&1)
check_eq "unknown pattern: exit status 1" 1 "$?"
check_match "unknown pattern: lists what the side runs" "unknown pattern 'PRBS99'; the host side of port0 runs: PRBS31Q" "$out"
out=$(opticctl diag port0 prbs --pattern PRBS7 --side host --seconds 1 2>&1)
check_eq "a pattern the host side lacks: exit status 1" 1 "$?"
check_match "a pattern the host side lacks: says so" "port0: pattern not supported by both the generator and the checker of that side" "$out"
check_match "a pattern the host side lacks: lists the side's" "the host side runs: PRBS31Q PRBS31 PRBS15Q PRBS13Q SSPRQ" "$out"
out=$(opticctl diag port0 prbs --pattern PRBS31Q --side line --seconds 1 2>&1)
check_eq "bad side: exit status 1" 1 "$?"
check_match "bad side: says what is expected" "expected host or media, not 'line'" "$out"
out=$(opticctl diag port0 prbs --pattern PRBS31Q --side host 2>&1)
check_eq "no --seconds: exit status 1" 1 "$?"
out=$(opticctl diag port0 prbs --pattern PRBS31Q --side host --seconds 0 2>&1)
check_eq "0 seconds: exit status 1" 1 "$?"
out=$(opticctl diag port0 loopback sideways on 2>&1)
check_eq "bad loopback kind: exit status 1" 1 "$?"
check_eq "refusals changed nothing" "$before" "$(diag_state)"

# ---- Ctrl-C mid-run: the state is put back ----
opticctl diag port0 prbs --pattern PRBS31Q --side host --seconds 60 \
	>/tmp/int.out 2>/tmp/int.err &
pid=$!
ok "the run starts (13h:144 enabled)" wait_for 20 generating
kill -INT $pid
wait $pid
check_eq "SIGINT: exit status 3" 3 "$?"
check_match "SIGINT: says so" "port0: PRBS run interrupted" "$(cat /tmp/int.err)"
check_eq "SIGINT: the state is put back" "$before" "$(diag_state)"

# ---- a pull mid-run ----
opticctl diag port0 prbs --pattern PRBS31Q --side host --seconds 60 \
	>/tmp/pull.out 2>/tmp/pull.err &
pid=$!
ok "the run starts again" wait_for 20 generating
echo 0 >"$D/present"
ok "opticctl ends within 5 s of the pull" wait_for 5 sh -c "! kill -0 $pid 2>/dev/null"
wait $pid
check_eq "pulled: exit status 3" 3 "$?"
check_match "pulled: names the port" "port0: module removed during the PRBS run" "$(cat /tmp/pull.err)"
echo 1 >"$D/present"
ok "the module is back" wait_for 20 sh -c "opticctl -j diag port0 >/dev/null"

# ---- a reset mid-run: no results, the reset state left alone ----
opticctl diag port0 prbs --pattern PRBS31Q --side host --seconds 5 \
	>/tmp/reset.out 2>/tmp/reset.err &
pid=$!
ok "a run starts" wait_for 20 generating
ok "reset the module" opticctl set port0 reset
wait $pid
check_eq "reset mid-run: exit status 3" 3 "$?"
check_match "reset mid-run: says so" "port0: the module's generators or checkers stopped during the PRBS run" \
	"$(cat /tmp/reset.err)"
ok "port0 is Ready again" wait_for 30 sh -c \
	"opticctl -j show port0 | jq -e '.module_state == \"ready\"'"
check_eq "reset mid-run: the generators stay off" 00 "$(reg 13 144)"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
