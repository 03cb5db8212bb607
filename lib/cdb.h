/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * CMIS Command Data Block (CDB) messaging, CMIS 5.2 chapter 9, over any
 * EEPROM transport (the optic driver's netlink EEPROM read/write, or a fake
 * one in the unit tests). Instance 1 only: page 9Fh bank 0, EPL pages
 * A0h-AFh bank 0, CdbStatus1 in lower byte 37. Every function returns >= 0
 * or -errno; nothing here logs.
 */
#ifndef OPTIC_CDB_H
#define OPTIC_CDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct optic_nl;
struct nl_sock;

/* CMIS 5.2 Table 9-2: page 9Fh layout */
#define CDB_PAGE 0x9f
#define CDB_OFF_CMD 128 /* CMDID, big endian; writing 129 triggers */
#define CDB_OFF_EPL_LEN 130
#define CDB_OFF_LPL_LEN 132
#define CDB_OFF_CHK 133
#define CDB_OFF_RPL_LEN 134
#define CDB_OFF_RPL_CHK 135
#define CDB_OFF_LPL 136
#define CDB_LPL_MAX 120
#define CDB_EPL_PAGE 0xa0
#define CDB_EPL_MAX 2048
/* lower page: CdbStatus1 (CMIS 5.2 Table 8-13) */
#define CDB_STATUS1 37
#define CDB_STATUS_BUSY 0x80
#define CDB_STATUS_FAILED 0x40
#define CDB_STATUS_RESULT 0x3f

/* CMIS 5.2 chapter 9: command codes used by optic */
enum optic_cdb_cmd_id {
	CDB_CMD_QUERY_STATUS = 0x0000,
	CDB_CMD_MODULE_FEATURES = 0x0040,
	CDB_CMD_FW_FEATURES = 0x0041,
	CDB_CMD_FW_INFO = 0x0100,
	CDB_CMD_FW_START = 0x0101,
	CDB_CMD_FW_ABORT = 0x0102,
	CDB_CMD_FW_WRITE_LPL = 0x0103,
	CDB_CMD_FW_WRITE_EPL = 0x0104,
	CDB_CMD_FW_COMPLETE = 0x0107,
	CDB_CMD_FW_RUN = 0x0109,
	CDB_CMD_FW_COMMIT = 0x010a,
};

/*
 * EEPROM access to the module at 0x50: @off 0-255 of @page/@bank (0-127 the
 * lower page). A write never exceeds write_max nor crosses 127/128.
 * sleep_ms and now_ms may be NULL (nanosleep, CLOCK_MONOTONIC).
 */
struct optic_cdb_ops {
	int (*read)(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		    uint16_t len, uint8_t *buf);
	int (*write)(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		     uint16_t len, const uint8_t *buf);
	void (*sleep_ms)(void *ctx, unsigned int ms);
	uint64_t (*now_ms)(void *ctx);
};

/* Page 01h bytes 163-166, CMIS 5.2 Table 8-50 (8.4.11) */
struct optic_cdb_caps {
	uint8_t instances; /* 0: no CDB */
	bool background; /* module answers while a command runs */
	bool auto_paging;
	uint8_t epl_pages; /* EPL pages A0h.. usable, 0-16 */
	uint16_t rw_len; /* longest write on 9Fh/A0h-AFh: 8 * (1 + n) */
	bool trigger_on_stop; /* 165 bit 7 */
	unsigned int busy_ms; /* longest time the module may NACK (tCDBB) */
};

struct optic_cdb {
	const struct optic_cdb_ops *ops;
	void *ctx;
	unsigned int write_max; /* the transport's longest write */
	struct optic_cdb_caps caps;
	unsigned int default_ms; /* timeout of commands without a duration */
	uint8_t last_status; /* CdbStatus1 at the end of the last command */
	uint16_t last_cmd;
};

struct optic_cdb_cmd {
	uint16_t id;
	const uint8_t *lpl;
	uint8_t lpl_len;
	const uint8_t *epl;
	uint16_t epl_len;
	unsigned int timeout_ms; /* 0: cdb->default_ms */
	bool resets; /* the module may reset: NACKs and 00h are fine */
	uint8_t *rpl; /* reply buffer (NULL: no reply wanted) */
	uint8_t rpl_max;
	uint8_t rpl_len; /* out: reply length the module gave */
};

/* Decode page 01h bytes 163-166; -EOPNOTSUPP when no CDB instance. */
int optic_cdb_parse_caps(const uint8_t adv[4], struct optic_cdb_caps *caps);

/*
 * CdbChkCode (CMIS 5.2 9.2): ones' complement of the 8-bit sum of bytes
 * 128..135+LPL-1 with 133-135 taken as zero. @hdr is bytes 128-135.
 */
uint8_t optic_cdb_chkcode(const uint8_t hdr[8], const uint8_t *lpl,
			  size_t lpl_len);

/*
 * Lay out bytes 128..135+lpl_len of page 9Fh in @out (8 + lpl_len bytes):
 * command, EPL length, LPL length, check code, reply fields zero, LPL.
 * Returns the number of bytes, or -EINVAL.
 */
int optic_cdb_frame(uint16_t id, const uint8_t *lpl, size_t lpl_len,
		    size_t epl_len, uint8_t *out, size_t out_size);

/*
 * Parse a reply: @buf holds bytes 134.. of page 9Fh (RplLength, RplChkCode,
 * payload; @len of them were read). Copies up to @rpl_max payload bytes to
 * @rpl; returns the reply length, -EBADMSG on a bad length or check code.
 */
int optic_cdb_parse_reply(const uint8_t *buf, size_t len, uint8_t *rpl,
			  size_t rpl_max);

/*
 * CdbStatus1 to an errno: 0 success, -EINPROGRESS busy, else the failure:
 * -EOPNOTSUPP unknown command, -EINVAL parameter, -EBADMSG check code,
 * -EACCES password, -EBUSY not compatible with the module state or a
 * command not aborted, -ETIMEDOUT checking timeout, -EIO anything else.
 */
int optic_cdb_status_errno(uint8_t status);
/* Human readable CdbStatus (static string). */
const char *optic_cdb_status_str(uint8_t status);

/*
 * Read the advertisement (page 01h) and fill @cdb. @write_max is the
 * transport's longest write (OPTIC_EEPROM_WRITE_MAX for the driver).
 */
int optic_cdb_init(struct optic_cdb *cdb, const struct optic_cdb_ops *ops,
		   void *ctx, unsigned int write_max);

/*
 * Run one command: wait for an idle CDB, write the EPL (pages A0h..), the
 * header and LPL, trigger with the CMDID, poll CdbStatus1 until done or
 * @cmd->timeout_ms, read the reply. A failed status returns its errno
 * (cdb->last_status keeps the byte).
 */
int optic_cdb_exec(struct optic_cdb *cdb, struct optic_cdb_cmd *cmd);

/* Wait for CdbStatus1 to leave busy (or the module to answer again). */
int optic_cdb_wait(struct optic_cdb *cdb, unsigned int timeout_ms, bool nack_ok,
		   uint8_t *status);

void optic_cdb_sleep(struct optic_cdb *cdb, unsigned int ms);
uint64_t optic_cdb_now(struct optic_cdb *cdb);

/* The transport over the optic driver's netlink EEPROM commands. */
struct optic_cdb_nl {
	struct optic_nl *nl;
	char name[32];
};
extern const struct optic_cdb_ops optic_cdb_nl_ops;
int optic_cdb_open_nl(struct optic_cdb *cdb, struct optic_cdb_nl *t,
		      struct optic_nl *nl, const char *port);

#endif /* OPTIC_CDB_H */
