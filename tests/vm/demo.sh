# SPDX-License-Identifier: GPL-2.0
# `make demo`: four simulated modules of different kinds, the driver bound to
# them, opticd polling them, and what an operator sees with opticctl and in
# the metrics.

show() {
	echo
	echo "\$ $*"
	"$@"
}

ok "load optic_sim with 4 simulated ports" load_sim ports=4
echo osfp-800g-2xdr4 >"$SIM_DEBUGFS/port1/profile"
echo qsfp28-100g-cwdm4 >"$SIM_DEBUGFS/port2/profile"
echo sfp-10g-sr >"$SIM_DEBUGFS/port3/profile"
ok "load optic.ko" load_optic
ok "four ports in /sys/class/optic" wait_for 10 test -e "$OPTIC_CLASS/port3/vendor_sn"
ok "every module reaches Ready" wait_for 20 sh -c \
	'opticctl -j list | jq -e "all(.module_state == \"ready\")"'
# CMIS data paths initialise after ModuleReady (DPInit: seconds): wait for
# every lane to carry its application before showing anything.
ok "every CMIS lane's data path is activated" wait_for 30 sh -c \
	'for p in port0 port1; do
		opticctl -j show $p | jq -e "all(.lanes[]; .datapath_state == \"activated\")" >/dev/null || exit 1
	done'

mkdir -p /etc/optic
printf '[daemon]\npoll_interval = 1s\n' >/etc/optic/opticd.conf
opticd --log-target=console >/tmp/opticd.log 2>&1 &
ok "opticd serves metrics" wait_for 20 sh -c \
	'wget -qO- http://127.0.0.1:9732/metrics | grep -q "^optic_module_temperature_celsius"'

show opticctl list
show opticctl show port0
show opticctl dom port2
lanes() {
	opticctl --json show port1 | jq -M '{port, vendor_name, vendor_pn,
		module_state, temperature_c,
		lanes: [.lanes[] | {lane, rx_power_dbm, tx_bias_ma}]}'
}
show lanes
apps() {
	opticctl --json show port1 | jq -cM '.lanes[] | {lane, application,
		application_description, datapath_state}'
}
show apps
# The port needs two 400G links instead of one 800G link: the 2 x 400GBASE-DR4
# breakout, staged, applied and brought up by the driver.
show opticctl set port1 application 400GBASE-DR4
show apps
show opticctl status
metrics() {
	wget -qO- http://127.0.0.1:9732/metrics |
		grep -E '^optic_(module_temperature_celsius|lane_rx_power_watts\{port="port1")'
}
show metrics
show sensors optic-i2c-2-50
ok "opticctl list succeeds" opticctl list
kill %1 2>/dev/null
