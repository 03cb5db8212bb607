# SPDX-License-Identifier: GPL-2.0
# OPTIC_CMD_DATAPATH_SET/GET (issue 19) through raw netlink: an application
# staged on whole instances and applied (the 2 x 400G breakout of an 800G
# OSFP and back, four instances across two banks of a 16-lane OSFP-XD),
# DPDeactivate, each refusal before a byte is written (with its extack
# message), a module rejecting a set (optic_sim's fault_config_reject:
# nothing lost, the old data path comes back), and a module pulled or reset
# while its data paths come up.
# timeout: 300

load_sim ports=4
P=$SIM_DEBUGFS
echo osfp-800g-2xdr4 >"$P/port0/profile"
echo qsfp28-100g-cwdm4 >"$P/port1/profile"
echo cmis-flat-copper >"$P/port2/profile"
echo osfpxd-1600g-2xdr8 >"$P/port3/profile"
# DPInit of 3 s modelled in 0.6 s
for i in 0 3; do echo 20 >"$P/port$i/time_scale"; done
ok "optic loads" load_optic poll_ms=200

# dp PORT ATTR: one per-lane array of DATAPATH_GET, hex
dp() { vm-nl dp-get name=str:"$1" | sed -n "s/^$2=//p"; }
# dpset PORT ARGS...: DATAPATH_SET; prints its reply (or "error N: ...")
dpset() { local p=$1; shift; vm-nl dp-set name=str:"$p" "$@"; }
# field OUT ATTR: an attribute of a reply held in a variable
field() { printf '%s\n' "$1" | sed -n "s/^$2=//p"; }
err() { printf '%s\n' "$1" | sed -n 's/^error \([0-9]*\):.*/\1/p'; }
msg() { printf '%s\n' "$1" | sed -n 's/^error [0-9]*: msg="\([^"]*\)".*/\1/p'; }

wait_for 20 sh -c "vm-nl dp-get name=str:port0 | grep -qx dp_state=0404040404040404"
check_eq "GET: eight lanes, all DPActivated" 0404040404040404 "$(dp port0 dp_state)"

# One 800GBASE-DR8 data path over all eight lanes.
out=$(dpset port0 dp_lanes=u32:0xff appsel=u8:1)
check_eq "800G on lanes 1-8: ConfigSuccess" 0101010101010101 "$(field "$out" config_status)"
check_eq "800G: AppSel 1 on every lane" 0101010101010101 "$(field "$out" dp_app)"
check_eq "800G: one data path (DataPathID 0)" 0000000000000000 "$(field "$out" dp_id)"
check_eq "800G: activated when the command returns" 0404040404040404 "$(field "$out" dp_state)"

# The 2 x 400GBASE-DR4 breakout: two instances, lanes 1-4 and 5-8.
out=$(dpset port0 dp_lanes=u32:0xff appsel=u8:2)
check_eq "breakout: ConfigSuccess" 0101010101010101 "$(field "$out" config_status)"
check_eq "breakout: AppSel 2" 0202020202020202 "$(field "$out" dp_app)"
check_eq "breakout: DataPathIDs 0 and 4" 0000000004040404 "$(field "$out" dp_id)"
check_eq "breakout: activated" 0404040404040404 "$(field "$out" dp_state)"
check_eq "staged set 0 on page 10h as applied" 2020202028282828 \
	"$(vm-nl read name=str:port0 page=u8:0x10 offset=u16:145 length=u16:8 | sed -n 's/^data=//p')"

# DPDeactivate one 400G data path; the other stays up.
out=$(dpset port0 dp_lanes=u32:0x0f activate=u8:0)
check_eq "lanes 1-4 off: DPDeactivated, 5-8 untouched" 0101010104040404 "$(field "$out" dp_state)"
check_eq "DPDeinit bits on page 10h" 0f \
	"$(vm-nl read name=str:port0 page=u8:0x10 offset=u16:128 length=u16:1 | sed -n 's/^data=//p')"
out=$(dpset port0 dp_lanes=u32:0x0f activate=u8:1)
check_eq "lanes 1-4 on again" 0404040404040404 "$(field "$out" dp_state)"

# Lanes 1-4 as single-lane data paths, for an instance check below.
out=$(dpset port0 dp_lanes=u32:0x0f appsel=u8:4)
check_eq "lanes 1-4 as four 100G data paths" 0404040404040404 "$(field "$out" dp_state)"
check_eq "... DataPathIDs 0-3" 0001020304040404 "$(field "$out" dp_id)"
out=$(dpset port0 dp_lanes=u32:0x07 appsel=u8:2)
check_eq "3 lanes of a 4-lane application: EINVAL" 22 "$(err "$out")"
check_match "... names the lane assignment" "whole instances" "$(msg "$out")"
dpset port0 dp_lanes=u32:0x0f appsel=u8:2 >/dev/null

# Refusals, each before a byte is written.
before=$(vm-nl read name=str:port0 page=u8:0x10 offset=u16:128 length=u16:32 | sed -n 's/^data=//p')
out=$(dpset port0 dp_lanes=u32:0xff appsel=u8:9)
check_eq "AppSel 9 (four advertised): EINVAL" 22 "$(err "$out")"
check_match "... says so" "AppSel is not advertised" "$(msg "$out")"
out=$(dpset port0 dp_lanes=u32:0xf0 appsel=u8:1)
check_eq "lanes 5-8 for an 8-lane application: EINVAL" 22 "$(err "$out")"
check_match "... names the lane assignment" "whole instances" "$(msg "$out")"
out=$(dpset port0 dp_lanes=u32:0x03 activate=u8:0)
check_eq "half of an active data path: EINVAL" 22 "$(err "$out")"
check_match "... says why" "part of an active data path" "$(msg "$out")"
out=$(dpset port0 dp_lanes=u32:0x100 activate=u8:0)
check_eq "lane 9 of an 8-lane module: EINVAL" 22 "$(err "$out")"
check_match "... says why" "lanes the module does not have" "$(msg "$out")"
check_eq "no lanes: EINVAL" 22 "$(err "$(dpset port0 dp_lanes=u32:0 activate=u8:1)")"
check_eq "nothing to do: EINVAL" 22 "$(err "$(dpset port0 dp_lanes=u32:0xff)")"
check_eq "no lanes attribute: EINVAL" 22 "$(err "$(dpset port0 appsel=u8:1)")"
check_eq "ApplyImmediate without AppSel: EINVAL" 22 \
	"$(err "$(dpset port0 dp_lanes=u32:0xff immediate=flag:1 activate=u8:1)")"
check_eq "AppSel 0 refused by the policy" 34 "$(err "$(dpset port0 dp_lanes=u32:0xff appsel=u8:0)")"
check_eq "AppSel 16 refused by the policy" 34 "$(err "$(dpset port0 dp_lanes=u32:0xff appsel=u8:16)")"
out=$(dpset port1 dp_lanes=u32:0xf appsel=u8:1)
check_eq "SFF-8636 module: EOPNOTSUPP" 95 "$(err "$out")"
check_match "... says why" "not a paged CMIS module" "$(msg "$out")"
check_eq "flat CMIS module: EOPNOTSUPP" 95 "$(err "$(dpset port2 dp_lanes=u32:0xff activate=u8:0)")"
check_eq "GET of an SFF-8636 module: EOPNOTSUPP" 95 "$(err "$(vm-nl dp-get name=str:port1)")"
check_eq "non-admin: EPERM" 1 "$(err "$(as_nobody vm-nl dp-set name=str:port0 dp_lanes=u32:0xff appsel=u8:1)")"
check_eq "no such port: ENODEV" 19 "$(err "$(dpset nosuch dp_lanes=u32:1 activate=u8:1)")"
vm-nl set name=str:port0 lpmode=u8:1 >/dev/null
wait_for 10 grep -q lowpwr $OPTIC_CLASS/port0/module_state
out=$(dpset port0 dp_lanes=u32:0xff appsel=u8:1)
check_eq "module in LowPwr: EBUSY" 16 "$(err "$out")"
check_match "... says why" "not in ModuleReady" "$(msg "$out")"
vm-nl set name=str:port0 lpmode=u8:0 >/dev/null
wait_for 20 sh -c "vm-nl dp-get name=str:port0 | grep -qx dp_state=0404040404040404"
check_eq "refusals wrote nothing to page 10h" "$before" \
	"$(vm-nl read name=str:port0 page=u8:0x10 offset=u16:128 length=u16:32 | sed -n 's/^data=//p')"

# Sixteen lanes, two banks: four 400G instances, DataPathIDs per bank.
wait_for 20 sh -c "vm-nl dp-get name=str:port3 | grep -q '^dp_state=04040404'"
out=$(dpset port3 dp_lanes=u32:0xffff appsel=u8:2)
check_eq "OSFP-XD 4 x 400G: ConfigSuccess on 16 lanes" \
	01010101010101010101010101010101 "$(field "$out" config_status)"
check_eq "OSFP-XD: DataPathIDs 0 and 4 in each bank" \
	00000000040404040000000004040404 "$(field "$out" dp_id)"
check_eq "OSFP-XD: all activated" 04040404040404040404040404040404 "$(field "$out" dp_state)"
check_eq "bank 1's staged set written" 2020202028282828 \
	"$(vm-nl read name=str:port3 page=u8:0x10 bank=u8:1 offset=u16:145 length=u16:8 | sed -n 's/^data=//p')"
out=$(dpset port3 dp_lanes=u32:0xff00 activate=u8:0)
check_eq "bank 1 off, bank 0 untouched" 04040404040404040101010101010101 "$(field "$out" dp_state)"
dpset port3 dp_lanes=u32:0xff00 activate=u8:1 >/dev/null

# The module rejects a set (ConfigRejectedInvalidSI on lane 1, the rest of
# the command ConfigRejected): not an error, the reply names the codes, the
# active set stays and its data path comes back as it was.
before=$(dp port0 dp_app)
echo 5 >"$P/port0/fault_config_reject"
out=$(dpset port0 dp_lanes=u32:0xff appsel=u8:1)
check_eq "module rejection: a reply, not an error" "" "$(err "$out")"
check_eq "... ConfigStatus names each lane's code" 0502020202020202 "$(field "$out" config_status)"
check_eq "... the active set as it was" "$before" "$(field "$out" dp_app)"
check_eq "... its data paths active again" 0404040404040404 "$(field "$out" dp_state)"

# A module pulled, then one reset, while the data paths initialise (3 s).
echo 100 >"$P/port0/time_scale"
dpset port0 dp_lanes=u32:0xff appsel=u8:1 >/tmp/pull.out &
pid=$!
sleep 1
echo 0 >"$P/port0/present"
wait $pid
out=$(cat /tmp/pull.out)
check_match "pulled mid-apply: an error, not a hang" "^error (6|121):" "$out"
check_match "... that says what happened" "removed|answer" "$out"
echo 1 >"$P/port0/present"
wait_for 20 sh -c "vm-nl dp-get name=str:port0 | grep -qx dp_state=0404040404040404"
dpset port0 dp_lanes=u32:0xff appsel=u8:2 >/tmp/reset.out &
pid=$!
sleep 1
vm-nl set name=str:port0 reset=flag:1 >/dev/null
wait $pid
out=$(cat /tmp/reset.out)
check_match "reset mid-apply: an error" "^error [0-9]+:" "$out"
check_match "... naming the reset or the silence" "ModuleReady|not answer|removed" "$out"
ok "the module comes back by itself" \
	wait_for 30 sh -c "vm-nl dp-get name=str:port0 | grep -qx dp_state=0404040404040404"
