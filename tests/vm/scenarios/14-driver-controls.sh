# SPDX-License-Identifier: GPL-2.0
# optic.ko controls and naming through sysfs: port_names= and port_name
# renames, lpmode, tx_disable and reset reach the simulated module's
# registers; firmware_version; unprivileged writes are refused.
# timeout: 180

# byte FILE OFFSET: one byte of a file, decimal.
byte() { dd if="$1" bs=1 skip="$2" count=1 2>/dev/null | od -An -tu1 | tr -d ' '; }

load_sim ports=3
echo qsfp28-100g-cwdm4 >"$SIM_DEBUGFS/port1/profile"
echo sfp-10g-sr >"$SIM_DEBUGFS/port2/profile"
ok "optic loads with port_names" load_optic poll_ms=0 port_names=swp1,swp2

ok "port 0 named by port_names" test -d $OPTIC_CLASS/swp1
ok "port 1 named by port_names" test -d $OPTIC_CLASS/swp2
ok "port 2 keeps port2" test -d $OPTIC_CLASS/port2
ok "rename by writing port_name" sh -c "echo uplink0 >$OPTIC_CLASS/port2/port_name"
ok "renamed directory" test -d $OPTIC_CLASS/uplink0
check_eq "port_name reads back" uplink0 "$(cat $OPTIC_CLASS/uplink0/port_name)"
fails "duplicate name refused" sh -c "echo swp1 >$OPTIC_CLASS/uplink0/port_name"
fails "name with / refused" sh -c "echo a/b >$OPTIC_CLASS/uplink0/port_name"
fails "nobody may not rename" as_nobody sh -c "echo x >$OPTIC_CLASS/uplink0/port_name"

# CMIS (swp1): lpmode, tx_disable, firmware version, reset.
d=$OPTIC_CLASS/swp1
check_eq "CMIS firmware_version (sim image A 3.14)" 3.14 "$(cat $d/firmware_version)"
check_eq "CMIS lpmode 0" 0 "$(cat $d/lpmode)"
ok "CMIS lpmode=1" sh -c "echo 1 >$d/lpmode"
check_eq "CMIS byte 26 bit 4 set" 16 $(($(byte $d/eeprom 26) & 16))
wait_for 10 grep -q lowpwr $d/module_state
check_eq "CMIS module in LowPwr" lowpwr "$(cat $d/module_state)"
ok "CMIS lpmode=0" sh -c "echo 0 >$d/lpmode"
wait_for 10 grep -q ready $d/module_state
check_eq "CMIS module Ready again" ready "$(cat $d/module_state)"
ok "CMIS tx_disable=0xa5" sh -c "echo 0xa5 >$d/tx_disable"
check_eq "CMIS tx_disable reads back" 0xa5 "$(cat $d/tx_disable)"
check_eq "CMIS page 10h byte 130" 165 "$(byte $d/eeprom $((128 + 16 * 128 + 2)))"
fails "CMIS tx_disable beyond 8 lanes refused" sh -c "echo 0x1ff >$d/tx_disable"
ok "CMIS tx_disable=0" sh -c "echo 0 >$d/tx_disable"
fails "nobody may not set lpmode" as_nobody sh -c "echo 1 >$d/lpmode"
ok "CMIS reset" sh -c "echo 1 >$d/reset"
wait_for 10 grep -q ready $d/module_state
check_eq "CMIS module back to Ready after reset" ready "$(cat $d/module_state)"
check_eq "identity kept after reset" OSM-QDD-400G-DR4 "$(cat $d/vendor_pn)"
fails "reset 0 refused" sh -c "echo 0 >$d/reset"

# SFF-8636 (swp2).
d=$OPTIC_CLASS/swp2
ok "SFF-8636 lpmode=1" sh -c "echo 1 >$d/lpmode"
check_eq "SFF-8636 byte 93 bits 1-0" 3 $(($(byte $d/eeprom 93) & 3))
check_eq "SFF-8636 lpmode reads 1" 1 "$(cat $d/lpmode)"
ok "SFF-8636 lpmode=0" sh -c "echo 0 >$d/lpmode"
ok "SFF-8636 tx_disable=0x9 (lanes 1,4)" sh -c "echo 0x9 >$d/tx_disable"
check_eq "SFF-8636 byte 86" 9 $(($(byte $d/eeprom 86) & 15))
fails "SFF-8636 tx_disable lane 5 refused" sh -c "echo 0x10 >$d/tx_disable"
fails "SFF-8636 firmware_version unsupported" cat $d/firmware_version

# SFF-8472 (uplink0): soft TX disable in A2h byte 110 bit 6.
d=$OPTIC_CLASS/uplink0
ok "SFF-8472 tx_disable=1" sh -c "echo 1 >$d/tx_disable"
check_eq "SFF-8472 A2h byte 110 bit 6" 64 $(($(byte $d/eeprom $((256 + 110))) & 64))
check_eq "SFF-8472 tx_disable reads 1" 0x1 "$(cat $d/tx_disable)"
ok "SFF-8472 tx_disable=0" sh -c "echo 0 >$d/tx_disable"
fails "SFF-8472 lpmode without a line" cat $d/lpmode

# Empty cage: identity reads fail with ENXIO, present reads 0.
echo 0 >"$SIM_DEBUGFS/port1/present"
check_eq "empty cage: present 0" 0 "$(cat $OPTIC_CLASS/swp2/present)"
check_match "empty cage: vendor_name ENXIO" "No such device or address" \
	"$(cat $OPTIC_CLASS/swp2/vendor_name 2>&1)"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
