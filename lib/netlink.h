/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * liboptic generic netlink client for the "optic" family
 * (include/uapi/linux/optic.h). Every function returns >= 0 or -errno; a
 * kernel rejection's extack message, when there is one, is kept and can be
 * read with optic_nl_errmsg().
 */
#ifndef OPTIC_NETLINK_H
#define OPTIC_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/optic.h>

struct optic_nl;
struct nlmsghdr;

/*
 * The bit of attribute @a in the attrs masks below. The masks cover the
 * attributes below 64 (a reply's own, not the nested OPTIC_A_LINE_* and
 * OPTIC_A_BUS_* ones, whose presence their structs say).
 */
/*
 * libnl's receive buffer for optic's sockets (nl_socket_set_msg_buf_size),
 * the size libnl uses by default: set, libnl reads each message with one
 * recvmsg(); unset, it peeks at the message's size first. Every message
 * the kernel sends fits: a dump's skb is sized to the largest buffer the
 * socket read with (netlink_dump(), max_recvmsg_len), replies and
 * notifications are a few KiB. Each read in flight holds one.
 */
#define OPTIC_NL_RECV_SIZE 16384

#define OPTIC_ATTR(a) (UINT64_C(1) << (a))
#define OPTIC_ATTR_BITS 64

/* A cage's GPIO line (OPTIC_A_LINE_*): a line of a gpio chip by label. */
enum optic_line_id {
	OPTIC_LINE_PRESENCE, /* ModPrsL */
	OPTIC_LINE_RESET, /* ResetL */
	OPTIC_LINE_LPMODE, /* LPMode */
	OPTIC_LINE_INTL, /* IntL */
	OPTIC_LINES,
};

struct optic_line {
	bool set; /* the cage has this line */
	char chip[32]; /* the gpio chip's label (the driver takes 31 bytes) */
	uint32_t offset; /* 0-65535 */
	int8_t active_low; /* -1: the signal's own polarity, else 0 or 1 */
};

struct optic_module_info {
	uint32_t index;
	char name[OPTIC_PORT_NAME_LEN];
	bool present;
	uint8_t identifier;
	uint8_t spec; /* enum optic_spec */
	uint8_t state; /* enum optic_module_state */
	uint8_t lane_count;
	bool flat_mem;
	char vendor_name[17];
	char vendor_pn[17];
	char vendor_sn[17];
	char vendor_rev[5];
	char date_code[11];
	uint32_t i2c_bus;
	uint16_t i2c_addr;
	/* a bus error other than a NACK: the values above are the last read */
	uint32_t access_error; /* positive errno, 0 none */
	bool checksum_ok; /* identity checksums match (when identified) */
	uint32_t bus_root; /* the root adapter the cage's traffic goes through */
	bool cage_added; /* made by OPTIC_CMD_CAGE_ADD */
	/* what the driver's poll and readers keep fresh (when attrs say so) */
	int16_t temperature; /* OPTIC_A_TEMPERATURE: 1/256 degC */
	bool has_temperature;
	uint8_t flags[84]; /* OPTIC_A_FLAGS, nflags bytes */
	size_t nflags;
	struct optic_line lines[OPTIC_LINES]; /* when the driver reports them */
	uint64_t attrs; /* bit n: OPTIC_ATTR(n) was present */
};

/* OPTIC_CMD_CAGE_ADD: an optic client at 0x50 on adapter i2c_bus. */
struct optic_cage {
	char name[OPTIC_PORT_NAME_LEN];
	uint32_t i2c_bus;
	struct optic_line lines[OPTIC_LINES];
};

/* One class of a root bus's traffic (OPTIC_A_BUS_CLASS). */
struct optic_bus_class_stats {
	bool set; /* the driver reported the class */
	uint64_t xfers;
	uint64_t bytes;
	uint64_t busy_ns;
	uint64_t wait_max_ns;
	bool has_order; /* the driver counts ahead and inversions */
	uint64_t ahead; /* turns taken while a lower class waited */
	uint64_t inversions; /* turns taken while a higher class waited */
	bool has_contended; /* the driver counts contended_bytes */
	uint64_t contended_bytes; /* moved while another class waited */
};

/* A root I2C adapter of OPTIC_CMD_BUS_GET. */
struct optic_bus_info {
	uint32_t root; /* adapter number */
	char name[64]; /* adapter name (at most 48 in the kernel) */
	uint32_t *ports; /* module indexes, malloc'ed */
	size_t n_ports;
	uint32_t queue;
	uint32_t queue_max;
	uint32_t requests; /* reads holding modules of the bus now */
	uint32_t requests_max; /* most at once */
	uint64_t busy_ns;
	uint64_t age_ns;
	struct optic_bus_class_stats cls[OPTIC_BUS_CLASSES];
	uint64_t attrs; /* bit n: OPTIC_ATTR(n) was present */
};

struct optic_set {
	int lpmode; /* -1 leave, 0 off, 1 on */
	uint32_t tx_disable;
	uint32_t tx_disable_mask; /* 0: leave TX disable alone */
	bool reset;
};

/* OPTIC_CMD_DATAPATH_SET: see include/uapi/linux/optic.h. */
struct optic_dp_request {
	uint32_t lanes; /* host lanes, bit N = lane N (0-based) */
	uint8_t appsel; /* 1-15: stage and apply it; 0: no application change */
	bool immediate; /* ApplyImmediate instead of ApplyDPInit */
	int activate; /* -1: default (active after an application change), 0, 1 */
};

#define OPTIC_DP_MAX_LANES 32

/* A module's data paths, per host lane (OPTIC_CMD_DATAPATH_GET/SET). */
struct optic_datapath {
	unsigned int lanes; /* entries below */
	uint8_t config_status[OPTIC_DP_MAX_LANES]; /* enum optic_config_status */
	uint8_t state[OPTIC_DP_MAX_LANES]; /* DPState, CMIS 5.2 Table 8-72 */
	uint8_t app[OPTIC_DP_MAX_LANES]; /* active AppSel, 0: lane unused */
	uint8_t dpid[OPTIC_DP_MAX_LANES]; /* active DataPathID (bank lane) */
	bool got;
};

struct optic_nl_event {
	uint8_t type; /* enum optic_event */
	uint64_t seq;
	uint32_t index;
	char name[OPTIC_PORT_NAME_LEN];
	int lane; /* -1 when absent */
	uint8_t old_state;
	uint8_t new_state;
	uint8_t flag_page;
	uint8_t flag_offset;
	uint8_t flag_bits;
	/* OPTIC_EVENT_INSERTED: the new module's identity */
	uint8_t identifier;
	uint8_t spec;
	uint8_t lane_count;
	char vendor_name[17];
	char vendor_pn[17];
	char vendor_sn[17];
	uint64_t record_seq; /* the flight recorder's record, 0: none */
	/* CLOCK_BOOTTIME of the change (IntL's when serviced), 0: unknown */
	uint64_t boottime_ns;
	uint64_t attrs; /* bit n: OPTIC_ATTR(n) was present */
};

/*
 * A flight recorder record (OPTIC_CMD_RECORD_GET): the event part as an
 * event has it (ev.seq is 0, ev.record_seq the record's number), then what
 * only records carry. Snapshot values are raw (include/uapi/linux/optic.h).
 */
struct optic_nl_record {
	struct optic_nl_event ev;
	uint64_t overflow; /* records of the port overwritten so far */
	uint64_t realtime_ns;
	uint8_t who; /* enum optic_who */
	uint32_t pid;
	uint32_t err; /* positive errno */
	uint8_t lpmode;
	uint32_t tx_disable;
	uint32_t tx_disable_mask;
	bool has_snap;
	uint16_t temp; /* s16, 1/256 degC */
	uint16_t vcc; /* 100 uV */
	uint8_t bias_shift;
	unsigned int lanes; /* entries of the arrays below */
	uint16_t tx_power[32]; /* 0.1 uW */
	uint16_t bias[32]; /* 2 uA << bias_shift */
	uint16_t rx_power[32]; /* 0.1 uW */
	/* OPTIC_EVENT_FIRMWARE: the CDB command and its CdbStatus1 (0: write) */
	uint16_t cdb_cmd;
	uint8_t cdb_status;
	/* the snapshot's VDM values (raw: lib/vdm.c's types decode them) */
	unsigned int nvdm;
	struct optic_snap_vdm vdm[64];
};

/* -ENOENT: the "optic" family is not registered (driver not loaded). */
int optic_nl_open(struct optic_nl **out);
void optic_nl_close(struct optic_nl *nl);
/* extack message of the last kernel error, or NULL */
const char *optic_nl_errmsg(const struct optic_nl *nl);

/* All modules, in dump order; *mods is malloc'ed. */
int optic_nl_module_list(struct optic_nl *nl, struct optic_module_info **mods,
			 size_t *n);
int optic_nl_module_get(struct optic_nl *nl, const char *name,
			struct optic_module_info *info);
/* Asked by name, the driver checks the cage: true when it is empty now. */
bool optic_nl_cage_empty(struct optic_nl *nl, const char *name);

/*
 * Read @len bytes at @offset (0-255) of @page/@bank at i2c address @addr
 * (0x50, or 0x51 for SFF-8472 A2h). Returns the number of bytes read.
 */
int optic_nl_eeprom_read(struct optic_nl *nl, const char *name, uint8_t addr,
			 uint8_t page, uint8_t bank, uint16_t offset,
			 uint16_t len, uint8_t *buf);
/*
 * The same, scheduled in @cls (enum optic_bus_class) on the module's root
 * bus. A driver that predates the classes refuses the attribute: the read
 * is then sent without it (and so are the handle's later ones).
 */
int optic_nl_eeprom_read_class(struct optic_nl *nl, const char *name,
			       uint8_t addr, uint8_t page, uint8_t bank,
			       uint16_t offset, uint16_t len, uint8_t cls,
			       uint8_t *buf);
/* A range of optic_nl_eeprom_read_ranges(): @len bytes into @buf. */
struct optic_eeprom_range {
	uint8_t addr, page, bank;
	uint16_t offset, len;
	uint8_t *buf;
};

/*
 * Read @n ranges (1 to OPTIC_EEPROM_RANGES_MAX) of the module in one
 * request, in one hold of the module; each range's @len bytes or an error.
 * A driver that predates the ranges is asked for one at a time (and so are
 * the handle's later ones). Returns 0 or -errno.
 */
int optic_nl_eeprom_read_ranges(struct optic_nl *nl, const char *name,
				const struct optic_eeprom_range *rg, size_t n);
/*
 * The driver's event number when the handle's last EEPROM_READ ended: every
 * event that read raised is numbered up to it (0: a failed read, or a
 * driver that predates it).
 */
uint64_t optic_nl_read_seq(const struct optic_nl *nl);
/* A module of optic_nl_eeprom_read_modules(): its @n ranges, its outcome. */
struct optic_eeprom_module {
	const char *name;
	const struct optic_eeprom_range *rg;
	size_t n;
	int ret; /* 0, or -errno: this module's read failed (or -ENODATA) */
	uint64_t seq; /* as optic_nl_read_seq() after its read; 0 if failed */
};
/*
 * Read the ranges of @n modules (1 to OPTIC_EEPROM_MODULES_MAX, their
 * reply within OPTIC_EEPROM_MODULES_BYTES) in one request, one module
 * after another, each in one hold of it: each module's outcome in its
 * @ret and @seq. Returns 0 when the request was answered (whatever each
 * module's outcome), or -errno (-E2BIG: too much for one reply). A driver
 * that predates it is asked one module at a time.
 */
int optic_nl_eeprom_read_modules(struct optic_nl *nl,
				 struct optic_eeprom_module *mods, size_t n);
int optic_nl_eeprom_write(struct optic_nl *nl, const char *name, uint8_t addr,
			  uint8_t page, uint8_t bank, uint16_t offset,
			  uint16_t len, const uint8_t *buf);
int optic_nl_module_set(struct optic_nl *nl, const char *name,
			const struct optic_set *set);

/*
 * Join the "monitor" group and call @cb for each event until it returns
 * non-zero (that value is returned) or an error occurs. @timeout_ms is
 * a deadline for the whole call (< 0: none); when it passes, 0 is returned.
 */
/* Parse an OPTIC_CMD_EVENT notification; -EINVAL for anything else. */
int optic_nl_event_parse(struct nlmsghdr *nlh, struct optic_nl_event *ev);
typedef int (*optic_event_cb)(const struct optic_nl_event *ev, void *arg);
int optic_nl_monitor(struct optic_nl *nl, int timeout_ms, optic_event_cb cb,
		     void *arg);

/*
 * The records of port @name with a sequence number >= @since, oldest
 * first: @cb for each until it returns non-zero (that value is returned).
 */
typedef int (*optic_record_cb)(const struct optic_nl_record *r, void *arg);
int optic_nl_record_get(struct optic_nl *nl, const char *name, uint64_t since,
			optic_record_cb cb, void *arg);
/* Drop the port's records (CAP_NET_ADMIN). */
int optic_nl_record_clear(struct optic_nl *nl, const char *name);

/* The data paths of port @name, read now. */
int optic_nl_datapath_get(struct optic_nl *nl, const char *name,
			  struct optic_datapath *out);
/*
 * Application and data-path control (CAP_NET_ADMIN); @out (may be NULL)
 * gets the lanes afterwards. A module's own rejection is not an error:
 * @out->config_status names it.
 */
int optic_nl_datapath_set(struct optic_nl *nl, const char *name,
			  const struct optic_dp_request *req,
			  struct optic_datapath *out);

/* Create a cage (CAP_NET_ADMIN); @info gets the new module (may be NULL). */
int optic_nl_cage_add(struct optic_nl *nl, const struct optic_cage *cage,
		      struct optic_module_info *info);
/* Remove a cage made by optic_nl_cage_add() (CAP_NET_ADMIN). */
int optic_nl_cage_del(struct optic_nl *nl, const char *name);

/* Every root bus with its counters; free with optic_bus_list_free(). */
int optic_nl_bus_list(struct optic_nl *nl, struct optic_bus_info **buses,
		      size_t *n);
void optic_bus_list_free(struct optic_bus_info *buses, size_t n);
void optic_bus_info_clear(struct optic_bus_info *b); /* frees its ports */

/*
 * The reply parsers, for one message each (the fuzz targets call them):
 * -EINVAL when @nlh is not a well-formed reply of the family, -EBADMSG for
 * a malformed nested attribute. A parsed bus owns its ports (even when
 * parsing failed): optic_bus_info_clear().
 */
int optic_nl_module_parse(struct nlmsghdr *nlh, struct optic_module_info *m);
int optic_nl_record_parse(struct nlmsghdr *nlh, struct optic_nl_record *r);
int optic_nl_bus_parse(struct nlmsghdr *nlh, struct optic_bus_info *b);
/*
 * EEPROM_READ: the data's length (at most @len bytes copied to @buf); @seq
 * the driver's event number as the read ended (0: a driver without it).
 */
int optic_nl_eeprom_parse(struct nlmsghdr *nlh, uint8_t *buf, size_t len,
			  uint64_t *seq);
/*
 * EEPROM_READ of ranges: each of @rg's @n ranges filled from its nest
 * (exactly @n nests, each with @len bytes of data, or -EBADMSG); @seq as
 * above.
 */
int optic_nl_eeprom_ranges_parse(struct nlmsghdr *nlh,
				 const struct optic_eeprom_range *rg, size_t n,
				 uint64_t *seq);
/*
 * EEPROM_READ of modules: a nest for each of @mods, in order and named as
 * asked, with its ranges (as above) and event number or its errno; else
 * -EBADMSG.
 */
int optic_nl_eeprom_modules_parse(struct nlmsghdr *nlh,
				  struct optic_eeprom_module *mods, size_t n);
int optic_nl_datapath_parse(struct nlmsghdr *nlh, struct optic_datapath *dp);

const char *optic_line_name(unsigned int line); /* "presence", ... */
const char *optic_bus_class_name(uint8_t cls); /* "control", ... */

const char *optic_event_name(uint8_t type);
const char *optic_state_name(uint8_t state);
const char *optic_spec_name(uint8_t spec);

#endif /* OPTIC_NETLINK_H */
