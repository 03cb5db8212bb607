# SPDX-License-Identifier: GPL-2.0
# opticctl dom: monitors, thresholds and latched flags per lane, in text and
# JSON, with alarms forced through the simulator's monitor knobs.

D=$SIM_DEBUGFS

ok "optic_sim loads" load_sim ports=1
ok "optic.ko loads" load_optic
ok "port0 appears" wait_for 10 test -e "$OPTIC_CLASS/port0"
ok "port0 reaches ModuleReady" wait_for 20 sh -c \
	"opticctl -j show port0 | jq -e '.module_state == \"ready\"'"

j=$(opticctl -j dom port0)
check_eq "dom exits 0" 0 "$?"
check_eq "JSON: no identity in dom" null "$(printf '%s' "$j" | jq .vendor_pn)"
check_eq "JSON: temperature present" true "$(printf '%s' "$j" | jq '.temperature_c | type == "number"')"
check_eq "JSON: 8 lanes with flags objects" 8 "$(printf '%s' "$j" | jq '[.lanes[] | select(.flags | type == "object")] | length')"
check_eq "JSON: every lane flag is a boolean" true \
	"$(printf '%s' "$j" | jq '[.lanes[].flags[] | type == "boolean"] | all')"
check_eq "JSON: thresholds for the five monitors" \
	'["rx_power_dbm","rx_power_mw","supply_voltage_v","temperature_c","tx_bias_ma","tx_power_dbm","tx_power_mw"]' \
	"$(printf '%s' "$j" | jq -c '.thresholds | keys')"
check_eq "JSON: each threshold has four limits" true \
	"$(printf '%s' "$j" | jq '[.thresholds[] | keys == ["high_alarm","high_warning","low_alarm","low_warning"]] | all')"

# force: no light on lane 3, a hot module
ok "sim: lane 3 RX power 0" sh -c "echo 'set rx_power 2 0' >$D/port0/monitor && echo 'noise rx_power 2 0' >$D/port0/monitor"
ok "sim: temperature 80 degC" sh -c "echo 'set temp 0 80000' >$D/port0/monitor"
ok "sim: no noise on temperature" sh -c "echo 'noise temp 0 0' >$D/port0/monitor"
ok "lane 3 RX LOS latches" wait_for 10 sh -c \
	"opticctl -j dom port0 | jq -e '.lanes[2].flags.rx_los'"
j=$(opticctl -j dom port0)
check_eq "JSON: lane 3 RX power 0 mW" 0 "$(printf '%s' "$j" | jq '.lanes[2].rx_power_mw')"
check_eq "JSON: lane 3 RX power -inf dBm is null" null "$(printf '%s' "$j" | jq '.lanes[2].rx_power_dbm')"
check_eq "JSON: lane 3 RX power low alarm" true "$(printf '%s' "$j" | jq '.lanes[2].flags.rx_power_low_alarm')"
check_eq "JSON: lane 1 has light" true "$(printf '%s' "$j" | jq '.lanes[0].rx_power_mw > 0 and (.lanes[0].rx_power_dbm | type == "number")')"
check_eq "JSON: temperature about 80" true "$(printf '%s' "$j" | jq '.temperature_c > 79 and .temperature_c < 81')"
ok "temperature high alarm latches" wait_for 10 sh -c \
	"opticctl -j dom port0 | jq -e '.flags.temperature_high_alarm'"

t=$(opticctl dom port0)
check_match "text: lane 3 flags name RX LOS" "Flags +: .*RX LOS" \
	"$(printf '%s\n' "$t" | sed -n '/^	Lane 3:/,/^	Lane 4:/p')"
check_match "text: lane 3 RX power -inf dBm" "RX power +: 0.0000 mW / -inf dBm" "$t"
check_match "text: thresholds" "RX power low alarm threshold +: [0-9.]+ mW" "$t"
check_match "text: temperature" "Module temperature +: (79|80)\.[0-9]{2} °C" "$t"

l=$(opticctl -j list)
check_eq "list: worst severity alarm" alarm "$(printf '%s' "$l" | jq -r '.[0].worst_severity')"
check_match "list text: names the alarm" "^port0 .* (RX LOS \(lane 3\)|Temperature high alarm|RX power low alarm \(lane 3\))$" \
	"$(opticctl list)"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
