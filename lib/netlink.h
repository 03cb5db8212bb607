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

/* The bit of attribute @a in the attrs masks below (OPTIC_A_MAX < 64). */
#define OPTIC_ATTR(a) (UINT64_C(1) << (a))

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
	uint64_t attrs; /* bit n: OPTIC_ATTR(n) was present */
};

struct optic_set {
	int lpmode; /* -1 leave, 0 off, 1 on */
	uint32_t tx_disable;
	uint32_t tx_disable_mask; /* 0: leave TX disable alone */
	bool reset;
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
	uint64_t boottime_ns;
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
struct nlmsghdr;
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

const char *optic_event_name(uint8_t type);
const char *optic_state_name(uint8_t state);
const char *optic_spec_name(uint8_t spec);

#endif /* OPTIC_NETLINK_H */
