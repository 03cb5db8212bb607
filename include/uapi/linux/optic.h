/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * optic: generic netlink interface to pluggable optical transceiver modules
 * (CMIS, SFF-8636, SFF-8472) managed by the optic driver.
 *
 * Family "optic", version OPTIC_GENL_VERSION, multicast group "monitor".
 * See docs/netlink.md and docs/netlink/optic.yaml for the full contract.
 */
#ifndef _UAPI_LINUX_OPTIC_H
#define _UAPI_LINUX_OPTIC_H

#include <linux/types.h>

#define OPTIC_GENL_NAME		"optic"
#define OPTIC_GENL_VERSION	1
#define OPTIC_MCGRP_MONITOR	"monitor"

/* Longest port name, including the terminating NUL. */
#define OPTIC_PORT_NAME_LEN	32

/* Largest EEPROM_READ/EEPROM_WRITE: one 256-byte page (lower + upper). */
#define OPTIC_EEPROM_PAGE_SIZE	256
/* CMIS 8.2.2: a host write may not exceed 8 bytes nor cross a page. */
#define OPTIC_EEPROM_WRITE_MAX	8
/* Most OPTIC_A_EEPROM_RANGE nests of one EEPROM_READ. */
#define OPTIC_EEPROM_RANGES_MAX	8
/*
 * Most OPTIC_A_EEPROM_MODULE nests of one EEPROM_READ, and the most bytes
 * their reply may take: each range counts its length and 64 more, each
 * module 64 (the reply then fits a reader's 16 KiB buffer).
 */
#define OPTIC_EEPROM_MODULES_MAX	32
#define OPTIC_EEPROM_MODULES_BYTES	8192

/**
 * enum optic_cmd - generic netlink commands of the optic family
 * @OPTIC_CMD_MODULE_GET: doit by OPTIC_A_MODULE_INDEX or OPTIC_A_MODULE_NAME,
 *	dumpit for every module; replies carry the module attributes.
 * @OPTIC_CMD_EEPROM_READ: read OPTIC_A_EEPROM_LENGTH bytes at
 *	OPTIC_A_EEPROM_OFFSET (0-255) of OPTIC_A_EEPROM_PAGE/BANK; offsets
 *	0-127 are the lower page, 128-255 the selected upper page.
 *	Reply: OPTIC_A_EEPROM_DATA. Or, instead of those attributes, 1 to
 *	OPTIC_EEPROM_RANGES_MAX OPTIC_A_EEPROM_RANGE nests, read in order in
 *	one hold of the module; the reply has a nest for each, with its
 *	data. Or, instead of a module and ranges, 1 to
 *	OPTIC_EEPROM_MODULES_MAX OPTIC_A_EEPROM_MODULE nests, each naming a
 *	module (OPTIC_A_MODULE_INDEX or OPTIC_A_MODULE_NAME) with its
 *	OPTIC_A_EEPROM_RANGE nests (OPTIC_EEPROM_MODULES_BYTES in all), read
 *	one module after another, each in one hold: the reply has a nest for
 *	each module in the order asked, with the module as asked and either
 *	its ranges with their data and OPTIC_A_EVENT_SEQ, or
 *	OPTIC_A_ACCESS_ERROR (a module not found: ENODEV).
 * @OPTIC_CMD_EEPROM_WRITE: write OPTIC_A_EEPROM_DATA (admin only): 1 to
 *	OPTIC_EEPROM_WRITE_MAX bytes, on CMIS CDB pages 9Fh-AFh up to the
 *	module's advertised CDB write length (at most 128), never across
 *	offset 127/128. OPTIC_A_EEPROM_LENGTH is optional and must then
 *	equal the data length.
 * @OPTIC_CMD_MODULE_SET: change LPMode, TX disable, or reset (admin only).
 * @OPTIC_CMD_EVENT: notification on the "monitor" group.
 * @OPTIC_CMD_RECORD_GET: dump only, of one module (OPTIC_A_MODULE_INDEX or
 *	OPTIC_A_MODULE_NAME): the flight recorder's records with a sequence
 *	number >= OPTIC_A_RECORD_SINCE (default 0: all), oldest first, one
 *	message per record with OPTIC_A_RECORD_OVERFLOW.
 * @OPTIC_CMD_RECORD_CLEAR: drop a module's records and zero its overflow
 *	count (admin only).
 * @OPTIC_CMD_CAGE_ADD: create a cage (admin only): an optic client at 0x50
 *	on adapter OPTIC_A_I2C_BUS named OPTIC_A_MODULE_NAME, with the
 *	optional lines OPTIC_A_LINE_PRESENCE/RESET/LPMODE/INTL (nested
 *	OPTIC_A_LINE_*). Reply: the new module's MODULE_GET attributes.
 * @OPTIC_CMD_CAGE_DEL: remove a cage made by CAGE_ADD (admin only), by
 *	OPTIC_A_MODULE_INDEX or OPTIC_A_MODULE_NAME.
 * @OPTIC_CMD_BUS_GET: dump: one message per root I2C adapter optic's
 *	cages sit on (OPTIC_A_BUS_*), with the scheduler's counters.
 * @OPTIC_CMD_DATAPATH_SET: CMIS application and data-path control (admin
 *	only, CMIS 5.2 6.3.3) of the data paths on host lanes OPTIC_A_DP_LANES.
 *	With OPTIC_A_DP_APPSEL: deactivate them, stage the application on
 *	every instance the lanes hold (DataPathID = the instance's first
 *	lane), apply it (ApplyDPInit, or ApplyImmediate with
 *	OPTIC_A_DP_IMMEDIATE), wait for the module's ConfigStatus and, unless
 *	OPTIC_A_DP_ACTIVATE is 0, activate them again. Without it,
 *	OPTIC_A_DP_ACTIVATE 0 or 1 deactivates or activates them
 *	(DPDeinit). Lanes must cover whole data paths. Waits through the
 *	durations page 01h advertises. Reply: OPTIC_A_DP_CONFIG_STATUS,
 *	OPTIC_A_DP_STATE, OPTIC_A_DP_APP and OPTIC_A_DP_ID of every lane.
 * @OPTIC_CMD_DATAPATH_GET: doit: the reply of DATAPATH_SET, read now.
 */
enum optic_cmd {
	OPTIC_CMD_UNSPEC,
	OPTIC_CMD_MODULE_GET,
	OPTIC_CMD_EEPROM_READ,
	OPTIC_CMD_EEPROM_WRITE,
	OPTIC_CMD_MODULE_SET,
	OPTIC_CMD_EVENT,
	OPTIC_CMD_RECORD_GET,
	OPTIC_CMD_RECORD_CLEAR,
	OPTIC_CMD_CAGE_ADD,
	OPTIC_CMD_CAGE_DEL,
	OPTIC_CMD_BUS_GET,
	OPTIC_CMD_DATAPATH_SET,
	OPTIC_CMD_DATAPATH_GET,

	__OPTIC_CMD_MAX,
	OPTIC_CMD_MAX = __OPTIC_CMD_MAX - 1
};

/**
 * enum optic_attr - attributes of the optic family
 * @OPTIC_A_MODULE_INDEX: u32, the driver's module index (stable while bound)
 * @OPTIC_A_MODULE_NAME: string, the port name (class device name)
 * @OPTIC_A_PRESENT: u8, 1 when a module is plugged into the cage
 * @OPTIC_A_IDENTIFIER: u8, SFF-8024 identifier (byte 0)
 * @OPTIC_A_SPEC: u8, enum optic_spec
 * @OPTIC_A_MODULE_STATE: u8, enum optic_module_state
 * @OPTIC_A_LANE_COUNT: u8, number of host lanes managed
 * @OPTIC_A_VENDOR_NAME: string, vendor name, trailing blanks removed
 * @OPTIC_A_VENDOR_PN: string, vendor part number
 * @OPTIC_A_VENDOR_SN: string, vendor serial number
 * @OPTIC_A_VENDOR_REV: string, vendor revision
 * @OPTIC_A_DATE_CODE: string, YYMMDD[LL] as the module reports it
 * @OPTIC_A_I2C_BUS: u32, i2c adapter number the module sits on
 * @OPTIC_A_I2C_ADDR: u16, 7-bit i2c address (0x50)
 * @OPTIC_A_EEPROM_PAGE: u8, page for offsets >= 128
 * @OPTIC_A_EEPROM_BANK: u8, bank for banked CMIS pages (10h-FFh)
 * @OPTIC_A_EEPROM_OFFSET: u16, 0-255
 * @OPTIC_A_EEPROM_LENGTH: u16, 1-256, offset + length <= 256
 * @OPTIC_A_EEPROM_DATA: binary
 * @OPTIC_A_EEPROM_I2C_ADDR: u8, 0x50 (default) or 0x51 (SFF-8472 A2h)
 * @OPTIC_A_LPMODE: u8, 1 = low power requested
 * @OPTIC_A_TX_DISABLE: u32, bit N = host lane N transmitter disabled
 * @OPTIC_A_TX_DISABLE_MASK: u32, which lanes of OPTIC_A_TX_DISABLE to change
 * @OPTIC_A_RESET: flag, pulse the module reset
 * @OPTIC_A_FLAT_MEM: u8, 1 for a flat-memory (unpaged) module
 * @OPTIC_A_EVENT_TYPE: u8, enum optic_event
 * @OPTIC_A_EVENT_SEQ: u64, per-driver event sequence number, from 1; in an
 *	EEPROM_READ reply, the last number given when the read ended
 * @OPTIC_A_LANE: u8, lane (0-based) an event refers to
 * @OPTIC_A_OLD_STATE: u8, state before a state-change event
 * @OPTIC_A_NEW_STATE: u8, state after a state-change event
 * @OPTIC_A_FLAG_PAGE: u8, page of a flag register that latched
 * @OPTIC_A_FLAG_OFFSET: u8, byte offset (0-255) of that register
 * @OPTIC_A_FLAG_BITS: u8, bits newly latched in it
 * @OPTIC_A_ACCESS_ERROR: u32, in an EEPROM_READ's OPTIC_A_EEPROM_MODULE
 *	reply nest: the positive errno that module's read failed with.
 *	MODULE_GET: the positive errno of a bus
 *	error (not a NACK) met while answering; PRESENT and MODULE_STATE are
 *	then the values the driver last read, not a fresh reading
 * @OPTIC_A_CHECKSUM_OK: u8, 1 when the identity checksums of the module
 *	match (CMIS page 00h byte 222, SFF-8636 bytes 191/223, SFF-8472
 *	bytes 63/95), 0 for a module whose static data fails them
 * @OPTIC_A_RECORD_SEQ: u64, sequence number of a flight recorder record
 *	(per driver, from 1); also carried by the event the record raised
 * @OPTIC_A_RECORD_SINCE: u64, RECORD_GET: first sequence number wanted
 * @OPTIC_A_RECORD_OVERFLOW: u64, records of the module overwritten (or
 *	dropped) because the ring was full, since load or the last clear
 * @OPTIC_A_RECORD_REALTIME: u64, CLOCK_REALTIME of the record, ns
 * @OPTIC_A_RECORD_BOOTTIME: u64, CLOCK_BOOTTIME of the record, ns (events
 *	carry it too)
 * @OPTIC_A_RECORD_WHO: u8, enum optic_who: who made a control change
 * @OPTIC_A_RECORD_PID: u32, the process (thread group id, initial pid
 *	namespace) that made a control change through netlink or sysfs
 * @OPTIC_A_RECORD_ERRNO: u32, positive errno: a bus error, or a control
 *	change that failed
 * @OPTIC_A_SNAP_TEMP: u16, snapshot: module temperature, s16 in 1/256 degC
 * @OPTIC_A_SNAP_VCC: u16, snapshot: supply voltage in 100 uV
 * @OPTIC_A_SNAP_TX_POWER: binary, snapshot: u16 per lane (host order,
 *	lane 0 first), TX power in 0.1 uW
 * @OPTIC_A_SNAP_BIAS: binary, snapshot: u16 per lane, TX bias in units of
 *	2 uA << OPTIC_A_SNAP_BIAS_SHIFT
 * @OPTIC_A_SNAP_RX_POWER: binary, snapshot: u16 per lane, RX power in 0.1 uW
 * @OPTIC_A_SNAP_BIAS_SHIFT: u8, snapshot: CMIS page 01h byte 160 bits 4-3
 *	(TX bias multiplier 1, 2 or 4 as 0, 1, 2); 0 for SFF-8636
 * @OPTIC_A_SNAP_VDM: binary, snapshot: the module's VDM real-time values
 *	(CMIS pages 20h-27h), an array of struct optic_snap_vdm
 * @OPTIC_A_CDB_CMD: u16, OPTIC_EVENT_FIRMWARE: the CDB command (CMIS
 *	5.2 chapter 9 command ID, e.g. 0101h Start Firmware Download)
 * @OPTIC_A_CDB_STATUS: u8, OPTIC_EVENT_FIRMWARE: the command's completion
 *	status (CMIS page 00h byte 37/38), 0 when the record is the write
 * @OPTIC_A_BUS_ROOT: u32, the root I2C adapter a cage's traffic goes
 *	through (its own adapter when there is no mux)
 * @OPTIC_A_CAGE_ADDED: u8, 1 for a cage made by OPTIC_CMD_CAGE_ADD
 * @OPTIC_A_LINE_PRESENCE: nested OPTIC_A_LINE_*: ModPrsL
 * @OPTIC_A_LINE_RESET: nested: ResetL
 * @OPTIC_A_LINE_LPMODE: nested: LPMode
 * @OPTIC_A_LINE_INTL: nested: IntL
 * @OPTIC_A_LINE_CHIP: string, label of the GPIO chip of a line
 * @OPTIC_A_LINE_OFFSET: u32, the line's offset on that chip
 * @OPTIC_A_LINE_ACTIVE_LOW: u8, 1 when the line is asserted low; default
 *	the signal's own polarity (ModPrsL, ResetL, IntL low; LPMode high)
 * @OPTIC_A_BUS_NAME: string, the root adapter's name
 * @OPTIC_A_BUS_PORTS: binary, u32 module indexes of the cages on the bus
 * @OPTIC_A_BUS_QUEUE: u32, transfers waiting for the bus now
 * @OPTIC_A_BUS_QUEUE_MAX: u32, most transfers ever waiting at once
 * @OPTIC_A_BUS_BUSY_NS: u64, time optic held the bus, since it was seen
 * @OPTIC_A_BUS_AGE_NS: u64, time since the driver first saw the bus
 * @OPTIC_A_BUS_CLASS: nested OPTIC_A_BUS_CLASS_*, one per class
 * @OPTIC_A_BUS_CLASS_ID: u8, enum optic_bus_class
 * @OPTIC_A_BUS_CLASS_XFERS: u64, bus turns granted to the class
 * @OPTIC_A_BUS_CLASS_BYTES: u64, bytes the class moved (read and written)
 * @OPTIC_A_BUS_CLASS_BUSY_NS: u64, time the class held the bus
 * @OPTIC_A_BUS_CLASS_WAIT_MAX_NS: u64, longest wait for a turn
 * @OPTIC_A_EEPROM_CLASS: u8, EEPROM_READ: enum optic_bus_class the read
 *	is scheduled in (default OPTIC_BUS_CLASS_POLL; CDB pages: CDB)
 * @OPTIC_A_BUS_CLASS_AHEAD: u64, turns the class took while a lower class
 *	was waiting
 * @OPTIC_A_BUS_CLASS_INVERSIONS: u64, turns the class took while a higher
 *	class was waiting (and not held back by its share): 0 unless the
 *	scheduler is off (module parameter bus_sched)
 * @OPTIC_A_DP_LANES: u32, host lanes (bit N = lane N, 0-based)
 * @OPTIC_A_DP_APPSEL: u8, 1-15: the application (AppSel) to stage
 * @OPTIC_A_DP_IMMEDIATE: flag, apply with ApplyImmediate (the module must
 *	advertise it) instead of ApplyDPInit
 * @OPTIC_A_DP_ACTIVATE: u8, 1 = data paths active (DPDeinit clear)
 * @OPTIC_A_DP_CONFIG_STATUS: binary, u8 per lane: CMIS 5.2 Table 8-90
 *	ConfigStatus (enum optic_config_status)
 * @OPTIC_A_DP_STATE: binary, u8 per lane: DPState (CMIS 5.2 Table 8-72)
 * @OPTIC_A_DP_APP: binary, u8 per lane: AppSel of the active control set
 *	(0: lane unused)
 * @OPTIC_A_DP_ID: binary, u8 per lane: DataPathID of the active set
 *	(the first lane of the data path, within the lane's bank)
 * @OPTIC_A_TEMPERATURE: u16, MODULE_GET: the module temperature (s16,
 *	1/256 degC) as the driver's poll or a reader last read it, while
 *	that is fresh; modules that advertise the monitor
 * @OPTIC_A_FLAGS: binary, MODULE_GET: the latched flag registers as their
 *	last read found them, while every one is fresh: CMIS lower page
 *	bytes 8-11 then page 11h bytes 134-153 of each bank; SFF-8636 bytes
 *	3-14
 * @OPTIC_A_BUS_REQUESTS: u32, netlink reads holding modules of the bus now
 *	(at most module parameter bus_requests; the rest wait for a slot)
 * @OPTIC_A_BUS_REQUESTS_MAX: u32, most reads holding modules at once
 * @OPTIC_A_EEPROM_RANGE: nested, repeated: one range of an EEPROM_READ
 *	(OPTIC_A_EEPROM_I2C_ADDR, PAGE, BANK, OFFSET, LENGTH; in the reply
 *	also OPTIC_A_EEPROM_DATA)
 * @OPTIC_A_EEPROM_MODULE: nested, repeated: one module of an EEPROM_READ
 *	of several (OPTIC_A_MODULE_INDEX or NAME, OPTIC_A_EEPROM_RANGE nests;
 *	in the reply also OPTIC_A_EVENT_SEQ or OPTIC_A_ACCESS_ERROR)
 * @OPTIC_A_BUS_CLASS_CONTENDED_BYTES: u64, bytes the class moved in turns
 *	it took while another class waited (the bytes bus_cdb_share divides)
 */
enum optic_attr {
	OPTIC_A_UNSPEC,
	OPTIC_A_PAD,
	OPTIC_A_MODULE_INDEX,
	OPTIC_A_MODULE_NAME,
	OPTIC_A_PRESENT,
	OPTIC_A_IDENTIFIER,
	OPTIC_A_SPEC,
	OPTIC_A_MODULE_STATE,
	OPTIC_A_LANE_COUNT,
	OPTIC_A_VENDOR_NAME,
	OPTIC_A_VENDOR_PN,
	OPTIC_A_VENDOR_SN,
	OPTIC_A_VENDOR_REV,
	OPTIC_A_DATE_CODE,
	OPTIC_A_I2C_BUS,
	OPTIC_A_I2C_ADDR,
	OPTIC_A_EEPROM_PAGE,
	OPTIC_A_EEPROM_BANK,
	OPTIC_A_EEPROM_OFFSET,
	OPTIC_A_EEPROM_LENGTH,
	OPTIC_A_EEPROM_DATA,
	OPTIC_A_EEPROM_I2C_ADDR,
	OPTIC_A_LPMODE,
	OPTIC_A_TX_DISABLE,
	OPTIC_A_TX_DISABLE_MASK,
	OPTIC_A_RESET,
	OPTIC_A_FLAT_MEM,
	OPTIC_A_EVENT_TYPE,
	OPTIC_A_EVENT_SEQ,
	OPTIC_A_LANE,
	OPTIC_A_OLD_STATE,
	OPTIC_A_NEW_STATE,
	OPTIC_A_FLAG_PAGE,
	OPTIC_A_FLAG_OFFSET,
	OPTIC_A_FLAG_BITS,
	OPTIC_A_ACCESS_ERROR,
	OPTIC_A_CHECKSUM_OK,
	OPTIC_A_RECORD_SEQ,
	OPTIC_A_RECORD_SINCE,
	OPTIC_A_RECORD_OVERFLOW,
	OPTIC_A_RECORD_REALTIME,
	OPTIC_A_RECORD_BOOTTIME,
	OPTIC_A_RECORD_WHO,
	OPTIC_A_RECORD_PID,
	OPTIC_A_RECORD_ERRNO,
	OPTIC_A_SNAP_TEMP,
	OPTIC_A_SNAP_VCC,
	OPTIC_A_SNAP_TX_POWER,
	OPTIC_A_SNAP_BIAS,
	OPTIC_A_SNAP_RX_POWER,
	OPTIC_A_SNAP_BIAS_SHIFT,
	OPTIC_A_SNAP_VDM,
	OPTIC_A_CDB_CMD,
	OPTIC_A_CDB_STATUS,
	OPTIC_A_BUS_ROOT,
	OPTIC_A_CAGE_ADDED,
	OPTIC_A_LINE_PRESENCE,
	OPTIC_A_LINE_RESET,
	OPTIC_A_LINE_LPMODE,
	OPTIC_A_LINE_INTL,
	OPTIC_A_LINE_CHIP,
	OPTIC_A_LINE_OFFSET,
	OPTIC_A_LINE_ACTIVE_LOW,
	OPTIC_A_BUS_NAME,
	OPTIC_A_BUS_PORTS,
	OPTIC_A_BUS_QUEUE,
	OPTIC_A_BUS_QUEUE_MAX,
	OPTIC_A_BUS_BUSY_NS,
	OPTIC_A_BUS_AGE_NS,
	OPTIC_A_BUS_CLASS,
	OPTIC_A_BUS_CLASS_ID,
	OPTIC_A_BUS_CLASS_XFERS,
	OPTIC_A_BUS_CLASS_BYTES,
	OPTIC_A_BUS_CLASS_BUSY_NS,
	OPTIC_A_BUS_CLASS_WAIT_MAX_NS,
	OPTIC_A_EEPROM_CLASS,
	OPTIC_A_BUS_CLASS_AHEAD,
	OPTIC_A_BUS_CLASS_INVERSIONS,
	OPTIC_A_DP_LANES,
	OPTIC_A_DP_APPSEL,
	OPTIC_A_DP_IMMEDIATE,
	OPTIC_A_DP_ACTIVATE,
	OPTIC_A_DP_CONFIG_STATUS,
	OPTIC_A_DP_STATE,
	OPTIC_A_DP_APP,
	OPTIC_A_DP_ID,
	OPTIC_A_TEMPERATURE,
	OPTIC_A_FLAGS,
	OPTIC_A_BUS_REQUESTS,
	OPTIC_A_BUS_REQUESTS_MAX,
	OPTIC_A_EEPROM_RANGE,
	OPTIC_A_EEPROM_MODULE,
	OPTIC_A_BUS_CLASS_CONTENDED_BYTES,

	__OPTIC_A_MAX,
	OPTIC_A_MAX = __OPTIC_A_MAX - 1
};

/**
 * enum optic_spec - management interface the module speaks
 */
enum optic_spec {
	OPTIC_SPEC_UNKNOWN,
	OPTIC_SPEC_CMIS,
	OPTIC_SPEC_SFF8636,
	OPTIC_SPEC_SFF8472,
};

/**
 * enum optic_module_state - module state; CMIS values as in CMIS 5.2
 * Table 8-6 (byte 3 bits 3-1). SFF-8636/8472 modules report READY or
 * LOWPWR (from the LPMode control).
 */
enum optic_module_state {
	OPTIC_STATE_UNKNOWN,
	OPTIC_STATE_LOWPWR,
	OPTIC_STATE_PWRUP,
	OPTIC_STATE_READY,
	OPTIC_STATE_PWRDN,
	OPTIC_STATE_FAULT,
};

/**
 * enum optic_event - OPTIC_A_EVENT_TYPE of an OPTIC_CMD_EVENT notification
 * and of a flight recorder record. The types from OPTIC_EVENT_FLAG_CLEARED
 * on are records only: they raise no notification.
 * @OPTIC_EVENT_INSERTED: a module was plugged in (and identified)
 * @OPTIC_EVENT_REMOVED: the module was unplugged
 * @OPTIC_EVENT_MODULE_STATE: OPTIC_A_OLD_STATE -> OPTIC_A_NEW_STATE
 * @OPTIC_EVENT_DATAPATH_STATE: lane OPTIC_A_LANE changed data-path state
 *	(CMIS Table 8-72 codes)
 * @OPTIC_EVENT_FLAG: a latched flag was raised (OPTIC_A_FLAG_*)
 * @OPTIC_EVENT_FLAG_CLEARED: a flag bit set at the previous read of its
 *	register was found clear (OPTIC_A_FLAG_*)
 * @OPTIC_EVENT_LPMODE: low power requested (OPTIC_A_LPMODE) by
 *	OPTIC_A_RECORD_WHO
 * @OPTIC_EVENT_TX_DISABLE: transmitters of OPTIC_A_TX_DISABLE_MASK set to
 *	OPTIC_A_TX_DISABLE by OPTIC_A_RECORD_WHO
 * @OPTIC_EVENT_RESET: module reset by OPTIC_A_RECORD_WHO
 * @OPTIC_EVENT_BUS_ERROR: a transfer failed with OPTIC_A_RECORD_ERRNO
 *	(not a NACK: those mean an empty cage or a busy module)
 * @OPTIC_EVENT_FIRMWARE: a CDB command written to the module
 *	(OPTIC_A_CDB_CMD, by OPTIC_A_RECORD_WHO/PID) or its completion
 *	(OPTIC_A_CDB_STATUS); firmware download, run and commit steps
 */
enum optic_event {
	OPTIC_EVENT_UNSPEC,
	OPTIC_EVENT_INSERTED,
	OPTIC_EVENT_REMOVED,
	OPTIC_EVENT_MODULE_STATE,
	OPTIC_EVENT_DATAPATH_STATE,
	OPTIC_EVENT_FLAG,
	OPTIC_EVENT_FLAG_CLEARED,
	OPTIC_EVENT_LPMODE,
	OPTIC_EVENT_TX_DISABLE,
	OPTIC_EVENT_RESET,
	OPTIC_EVENT_BUS_ERROR,
	OPTIC_EVENT_FIRMWARE,
};

/**
 * enum optic_who - OPTIC_A_RECORD_WHO: who made a control change
 * @OPTIC_WHO_DRIVER: the driver's own policy
 * @OPTIC_WHO_NETLINK: a netlink request of process OPTIC_A_RECORD_PID
 * @OPTIC_WHO_SYSFS: a sysfs write of process OPTIC_A_RECORD_PID
 */
enum optic_who {
	OPTIC_WHO_DRIVER,
	OPTIC_WHO_NETLINK,
	OPTIC_WHO_SYSFS,
};

/**
 * enum optic_bus_class - the scheduler's classes of traffic on a root bus,
 * highest first: a class waits for every higher one that is waiting, for
 * at most one transfer; CDB is also bounded to a share of a busy bus.
 * @OPTIC_BUS_CLASS_CONTROL: interrupt service and control writes
 * @OPTIC_BUS_CLASS_POLL: health polls and reads for opticctl
 * @OPTIC_BUS_CLASS_CDB: CDB commands and firmware blocks
 * @OPTIC_BUS_CLASS_BULK: dumps of every page
 */
enum optic_bus_class {
	OPTIC_BUS_CLASS_CONTROL,
	OPTIC_BUS_CLASS_POLL,
	OPTIC_BUS_CLASS_CDB,
	OPTIC_BUS_CLASS_BULK,
	OPTIC_BUS_CLASSES,
};

/**
 * enum optic_config_status - OPTIC_A_DP_CONFIG_STATUS, CMIS 5.2 Table 8-90
 * (page 11h bytes 202-205, four bits per lane). 2h-Bh and Dh-Fh are all
 * rejections; the named ones are below.
 */
enum optic_config_status {
	OPTIC_CONFIG_UNDEFINED = 0x0,
	OPTIC_CONFIG_SUCCESS = 0x1,
	OPTIC_CONFIG_REJECTED = 0x2,
	OPTIC_CONFIG_REJECTED_INVALID_APPSEL = 0x3,
	OPTIC_CONFIG_REJECTED_INVALID_DATAPATH = 0x4,
	OPTIC_CONFIG_REJECTED_INVALID_SI = 0x5,
	OPTIC_CONFIG_REJECTED_LANES_IN_USE = 0x6,
	OPTIC_CONFIG_REJECTED_PARTIAL_DATAPATH = 0x7,
	OPTIC_CONFIG_IN_PROGRESS = 0xc,
};

/**
 * struct optic_snap_vdm - one VDM value of a record's snapshot
 * @type: the observable's type ID (CMIS 5.2 section 8.18,
 *	the VDM observable types)
 * @lane: the lane (0-based) it belongs to
 * @raw: the raw 16-bit value of pages 24h-27h (its type gives the format)
 */
struct optic_snap_vdm {
	__u8 type;
	__u8 lane;
	__u16 raw;
};

#endif /* _UAPI_LINUX_OPTIC_H */
