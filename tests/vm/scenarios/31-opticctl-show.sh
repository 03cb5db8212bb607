# SPDX-License-Identifier: GPL-2.0
# opticctl show: every built-in sim profile decodes as itself, in text and in
# JSON; unknown ports name the valid ones; show all covers every port, read
# in parallel, printed in order.

D=$SIM_DEBUGFS

ok "optic_sim loads with ports=2" load_sim ports=2
ok "optic.ko loads" load_optic
ok "ports appear" wait_for 10 test -e "$OPTIC_CLASS/port1"
ok "port0 reaches ModuleReady" wait_for 20 sh -c \
	"opticctl -j show port0 | jq -e '.module_state == \"ready\"'"

t=$(opticctl show port0)
check_eq "show exits 0" 0 "$?"
check_match "text: port header" "^port0:$" "$t"
check_match "text: identifier" "Identifier +: 0x18 \(QSFP-DD\)" "$t"
check_match "text: vendor PN" "Vendor PN +: OSM-QDD-400G-DR4" "$t"
check_match "text: connector" "Connector +: 0x0c \(MPO 1x12\)" "$t"
check_match "text: application 1 host interface" \
	"Host interface +: 0x11 \(400GAUI-8 C2M \(Annex 120E\)\)" "$t"
check_match "text: application 1 media interface" \
	"Media interface +: 0x1c \(400GBASE-DR4 \(Clause 124\)\)" "$t"
check_match "text: module state" "Module state +: ModuleReady" "$t"
check_match "text: temperature" "Module temperature +: [0-9]+\.[0-9]{2} °C" "$t"
check_match "text: lane 8 exists" "^	Lane 8:$" "$t"
check_match "text: TX power in mW and dBm" "TX power +: [0-9]+\.[0-9]{4} mW / -?[0-9.inf]+ dBm" "$t"
check_match "text: temperature threshold" \
	"Module temperature high alarm threshold +: 75.00 °C" "$t"

j=$(opticctl --json show port0)
q() { printf '%s' "$j" | jq -r "$1"; }
check_eq "JSON: port" port0 "$(q .port)"
check_eq "JSON: spec" cmis "$(q .spec)"
check_eq "JSON: identifier" 24 "$(q .identifier)"
check_eq "JSON: identifier_description" QSFP-DD "$(q .identifier_description)"
check_eq "JSON: vendor_oui" 02:4f:53 "$(q .vendor_oui)"
check_eq "JSON: vendor_sn like sysfs" "$(cat $OPTIC_CLASS/port0/vendor_sn)" "$(q .vendor_sn)"
check_eq "JSON: date_code" 2024-03-18 "$(q .date_code)"
check_eq "JSON: module_state" ready "$(q .module_state)"
check_eq "JSON: max_power_w" 12 "$(q .max_power_w)"
check_eq "JSON: firmware_version" 3.14 "$(q .firmware_version)"
check_eq "JSON: supply voltage near 3.3 V" true "$(q '.supply_voltage_v > 3.1 and .supply_voltage_v < 3.5')"
check_eq "JSON: 8 lanes, numbered 1-8" "[1,2,3,4,5,6,7,8]" "$(printf '%s' "$j" | jq -c '[.lanes[].lane]')"
check_eq "JSON: lanes carry every monitor key" true \
	"$(q '[.lanes[] | has("tx_power_mw","tx_power_dbm","rx_power_mw","rx_power_dbm","tx_bias_ma","datapath_state","flags")] | all')"
check_eq "JSON: dBm agrees with mW" true \
	"$(q '[.lanes[] | select(.rx_power_mw > 0) | ((.rx_power_mw | log10 * 10) - .rx_power_dbm | fabs) < 0.01] | all')"
check_eq "JSON: 0 mW is null dBm" true \
	"$(q '[.lanes[] | select(.tx_power_mw == 0) | .tx_power_dbm == null] | all')"
check_eq "JSON: thresholds.temperature_c" '{"high_alarm":75,"low_alarm":-5,"high_warning":70,"low_warning":0}' \
	"$(printf '%s' "$j" | jq -c '.thresholds.temperature_c | map_values(floor)')"
check_eq "JSON: applications[0]" '[17,28,8,4]' \
	"$(printf '%s' "$j" | jq -c '.applications[0] | [.host_interface,.media_interface,.host_lane_count,.media_lane_count]')"

out=$(opticctl show nosuch 2>&1)
check_eq "unknown port: exit status 2" 2 "$?"
check_match "unknown port: lists the valid ones" "unknown port 'nosuch'; valid ports: port0 port1" "$out"
out=$(opticctl show 2>&1)
check_eq "show without a port: exit status 1" 1 "$?"

check_eq "show all: one object per port" 2 "$(opticctl -j show all | jq length)"
check_match "show all text: both ports" "port1:" "$(opticctl show all)"

# each profile decodes as itself
for prof in $(awk '{print $1}' $D/profiles); do
	echo "$prof" >$D/port1/profile
	case $prof in
	empty)
		ok "$prof: present false" wait_for 10 sh -c \
			"opticctl -j show port1 | jq -e '.present == false'"
		check_match "$prof: text says so" "no module present" "$(opticctl show port1)"
		continue ;;
	qsfp28-*) spec=sff8636 lanes=4 ;;
	sfp-*) spec=sff8472 lanes=1 ;;
	cmis-flat-*) spec=cmis lanes=0 ;;
	qsfp112-*) spec=cmis lanes=4 ;;
	osfpxd-*) spec=cmis lanes=16 ;;
	*) spec=cmis lanes=8 ;;
	esac
	ok "$prof: decodes as $spec" wait_for 10 sh -c \
		"opticctl -j show port1 | jq -e '.spec == \"$spec\"'"
	pj=$(opticctl -j show port1)
	check_eq "$prof: $lanes lanes" $lanes "$(printf '%s' "$pj" | jq '.lanes // [] | length')"
	check_eq "$prof: identity present" true \
		"$(printf '%s' "$pj" | jq '(.vendor_name | length > 0) and (.vendor_pn | length > 0) and (.identifier > 0)')"
	check_eq "$prof: text and JSON agree on the PN" \
		"$(printf '%s' "$pj" | jq -r .vendor_pn)" \
		"$(opticctl show port1 | sed -n 's/^	Vendor PN *: //p')"
	check_eq "$prof: list agrees on spec and PN" "$spec $(printf '%s' "$pj" | jq -r .vendor_pn)" \
		"$(opticctl -j list | jq -r '.[1] | "\(.spec) \(.vendor_pn)"')"
	dj=$(opticctl -j dom port1)
	check_eq "$prof: dom has the same lanes" $lanes "$(printf '%s' "$dj" | jq '.lanes // [] | length')"
	if [ $lanes -gt 0 ]; then
		check_eq "$prof: dom lanes carry power in mW and dBm" true \
			"$(printf '%s' "$dj" | jq '[.lanes[] | has("tx_power_mw","rx_power_mw","rx_power_dbm","tx_bias_ma")] | all')"
		check_eq "$prof: dom thresholds" true \
			"$(printf '%s' "$dj" | jq '.thresholds.temperature_c.high_alarm > .thresholds.temperature_c.low_alarm')"
	fi
	case $prof in
	cmis-flat-*)
		check_eq "$prof: flat memory" flat "$(printf '%s' "$pj" | jq -r .memory_model)" ;;
	sfp-*)
		check_eq "$prof: internally calibrated" false \
			"$(printf '%s' "$pj" | jq .external_calibration)"
		check_eq "$prof: thresholds for rx power" true \
			"$(printf '%s' "$pj" | jq '.thresholds.rx_power_mw.high_alarm > 0')" ;;
	esac
done

# show all reads the modules in parallel (issue 20: eight workers, more
# ports than that here) and prints them in port order, each as show PORT
# prints it; a module whose reads fail is reported, the others still print.
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
ok "optic_sim loads with ports=12" load_sim ports=12
for i in 3 7 10; do echo qsfp28-100g-cwdm4 >$D/port$i/profile; done
for i in 5 11; do echo sfp-10g-sr >$D/port$i/profile; done
echo osfp-800g-2xdr4 >$D/port8/profile
ok "optic.ko loads" load_optic
ok "12 ports" wait_for 10 test -e "$OPTIC_CLASS/port11"
key='{port, vendor_sn, identifier, vendor_pn}'
one=$(for i in $(seq 0 11); do opticctl -j show port$i | jq -c "$key"; done | jq -sc .)
check_eq "show all: the twelve ports in order, each as show PORT has it" "$one" \
	"$(opticctl -j show all | jq -c "[.[] | $key]")"
check_eq "text: twelve port headers in order" "$(seq 0 11 | sed 's/^/port/; s/$/:/' | tr '\n' ' ')" \
	"$(opticctl show all | grep '^port[0-9]*:$' | tr '\n' ' ')"
echo 200 >$D/port6/fault_timeout
j=$(opticctl -j show all 2>/tmp/show.err)
check_eq "a port whose reads time out: exit status not 0" true "$([ $? -ne 0 ] && echo true)"
check_match "... is named on stderr" "port6" "$(cat /tmp/show.err)"
check_eq "... and every port still has its object" 12 "$(printf '%s' "$j" | jq length)"
check_eq "... the next one decoded" "$(opticctl -j show port7 | jq -r .vendor_sn)" \
	"$(printf '%s' "$j" | jq -r '.[7].vendor_sn')"
echo 0 >$D/port6/fault_timeout

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
