// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * CMIS CDB engine (CMIS 5.2 chapter 9). The host writes the EPL (pages
 * A0h-AFh), then bytes 130.. of page 9Fh (lengths, check code, LPL), then
 * the CMDID in 128-129: the write of byte 129 triggers the command. It
 * polls CdbStatus1 (lower byte 37) until busy (bit 7) clears; bit 6 is
 * the failure, bits 5-0 the detail (CMIS 5.2 Table 8-14). The completion
 * flag (byte 8 bit 6) is not used: it is clear-on-read and the driver's
 * flag poller may consume it.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "cdb.h"
#include "netlink.h"
#include "util.h"

#define CDB_DEFAULT_MS 5000
/* added to every advertised duration: polling and transport latency */
#define CDB_SLACK_MS 100

int optic_cdb_parse_caps(const uint8_t adv[4], struct optic_cdb_caps *caps)
{
	/* CMIS 5.2 Table 8-50: 163 bits 3-0 CdbMaxPagesEPL */
	static const uint8_t epl_pages[16] = { 0, 1, 2, 3, 4, 8, 12, 16 };

	memset(caps, 0, sizeof(*caps));
	caps->instances = adv[0] >> 6;
	if (!caps->instances || caps->instances > 2)
		return -EOPNOTSUPP;
	caps->background = adv[0] & 0x20;
	caps->auto_paging = adv[0] & 0x10;
	caps->epl_pages = epl_pages[adv[0] & 0x0f];
	caps->rw_len = 8 * (1 + (unsigned int)adv[1]);
	caps->trigger_on_stop = adv[2] & 0x80;
	/* 166 bit 7: tCDBB from 165 bits 4-0 x 160 ms, else 80 - 166 bits 6-0 */
	if (adv[3] & 0x80)
		caps->busy_ms = 160 * MAX(1u, (unsigned int)(adv[2] & 0x1f));
	else
		caps->busy_ms = 80 - MIN(80u, (unsigned int)(adv[3] & 0x7f));
	return 0;
}

uint8_t optic_cdb_chkcode(const uint8_t hdr[8], const uint8_t *lpl,
			  size_t lpl_len)
{
	uint8_t sum = 0;
	size_t i;

	for (i = 0; i < 5; i++)
		sum += hdr[i];
	for (i = 0; i < lpl_len; i++)
		sum += lpl[i];
	return (uint8_t)~sum;
}

int optic_cdb_frame(uint16_t id, const uint8_t *lpl, size_t lpl_len,
		    size_t epl_len, uint8_t *out, size_t out_size)
{
	if (lpl_len > CDB_LPL_MAX || epl_len > CDB_EPL_MAX ||
	    out_size < 8 + lpl_len || (lpl_len && !lpl))
		return -EINVAL;
	memset(out, 0, 8);
	out[0] = id >> 8;
	out[1] = id & 0xff;
	out[2] = epl_len >> 8;
	out[3] = epl_len & 0xff;
	out[4] = lpl_len;
	if (lpl_len)
		memcpy(out + 8, lpl, lpl_len);
	out[5] = optic_cdb_chkcode(out, lpl, lpl_len);
	return 8 + lpl_len;
}

int optic_cdb_parse_reply(const uint8_t *buf, size_t len, uint8_t *rpl,
			  size_t rpl_max)
{
	uint8_t rlen, sum = 0;
	size_t i;

	if (len < 2)
		return -EBADMSG;
	rlen = buf[0];
	if (rlen > CDB_LPL_MAX)
		return -EBADMSG;
	if (!rlen)
		return 0;
	/* the caller must have read the whole reply to check it */
	if (len < 2 + (size_t)rlen)
		return -EMSGSIZE;
	for (i = 0; i < rlen; i++)
		sum += buf[2 + i];
	sum = ~sum;
	if (sum != buf[1])
		return -EBADMSG;
	if (rpl)
		memcpy(rpl, buf + 2, MIN((size_t)rlen, rpl_max));
	return rlen;
}

int optic_cdb_status_errno(uint8_t status)
{
	if (status & CDB_STATUS_BUSY)
		return -EINPROGRESS;
	if (!(status & CDB_STATUS_FAILED))
		return 0;
	switch (status & CDB_STATUS_RESULT) {
	case 0x01:
		return -EOPNOTSUPP;
	case 0x02:
		return -EINVAL;
	case 0x03:
	case 0x07:
		return -EBUSY;
	case 0x04:
		return -ETIMEDOUT;
	case 0x05:
		return -EBADMSG;
	case 0x06:
		return -EACCES;
	default:
		return -EIO;
	}
}

const char *optic_cdb_status_str(uint8_t status)
{
	uint8_t r = status & CDB_STATUS_RESULT;

	if (status & CDB_STATUS_BUSY) {
		switch (r) {
		case 0x01:
			return "busy: command captured";
		case 0x02:
			return "busy: command checking";
		case 0x03:
			return "busy: command executing";
		default:
			return "busy";
		}
	}
	if (!(status & CDB_STATUS_FAILED)) {
		switch (r) {
		case 0x00:
			return "idle";
		case 0x01:
			return "success";
		case 0x03:
			return "success: previous command aborted";
		default:
			return "success (vendor detail)";
		}
	}
	switch (r) {
	case 0x01:
		return "failed: unknown command";
	case 0x02:
		return "failed: parameter range error or not supported";
	case 0x03:
		return "failed: previous command not aborted";
	case 0x04:
		return "failed: command checking timed out";
	case 0x05:
		return "failed: check code error";
	case 0x06:
		return "failed: password error";
	case 0x07:
		return "failed: not compatible with the module state";
	default:
		return r >= 0x20 ? "failed: command or vendor specific error" :
				   "failed";
	}
}

void optic_cdb_sleep(struct optic_cdb *cdb, unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	if (cdb->ops->sleep_ms) {
		cdb->ops->sleep_ms(cdb->ctx, ms);
		return;
	}
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

uint64_t optic_cdb_now(struct optic_cdb *cdb)
{
	struct timespec ts;

	if (cdb->ops->now_ms)
		return cdb->ops->now_ms(cdb->ctx);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int optic_cdb_init(struct optic_cdb *cdb, const struct optic_cdb_ops *ops,
		   void *ctx, unsigned int write_max)
{
	uint8_t adv[4];
	int r;

	memset(cdb, 0, sizeof(*cdb));
	cdb->ops = ops;
	cdb->ctx = ctx;
	cdb->write_max = write_max ? write_max : 8;
	cdb->default_ms = CDB_DEFAULT_MS;
	r = ops->read(ctx, 0x01, 0, 163, sizeof(adv), adv);
	if (r < 0)
		return r;
	return optic_cdb_parse_caps(adv, &cdb->caps);
}

static bool is_nack(int err)
{
	return err == -ENXIO || err == -EREMOTEIO || err == -EIO ||
	       err == -ETIMEDOUT || err == -EAGAIN;
}

/* Write @len bytes at @off of @page in transport-sized pieces. */
static int cdb_write(struct optic_cdb *cdb, uint8_t page, unsigned int off,
		     const uint8_t *buf, size_t len)
{
	unsigned int max = MIN(cdb->write_max, (unsigned int)cdb->caps.rw_len);
	int r;

	if (!max)
		max = 8;
	while (len) {
		size_t n = MIN(len, (size_t)max);

		r = cdb->ops->write(cdb->ctx, page, 0, off, n, buf);
		if (r < 0)
			return r;
		off += n;
		buf += n;
		len -= n;
	}
	return 0;
}

int optic_cdb_wait(struct optic_cdb *cdb, unsigned int timeout_ms, bool nack_ok,
		   uint8_t *status)
{
	uint64_t deadline = optic_cdb_now(cdb) + timeout_ms;
	unsigned int delay = 1;
	uint8_t st;
	int r;

	for (;;) {
		r = cdb->ops->read(cdb->ctx, 0, 0, CDB_STATUS1, 1, &st);
		if (r >= 0 && !(st & CDB_STATUS_BUSY)) {
			*status = st;
			return 0;
		}
		if (r < 0 && !(nack_ok && is_nack(r)))
			return r;
		if (optic_cdb_now(cdb) >= deadline) {
			if (r >= 0)
				*status = st;
			return r < 0 ? r : -ETIMEDOUT;
		}
		optic_cdb_sleep(cdb, delay);
		delay = MIN(delay * 2, 20u);
	}
}

int optic_cdb_exec(struct optic_cdb *cdb, struct optic_cdb_cmd *cmd)
{
	uint8_t frame[8 + CDB_LPL_MAX], rbuf[2 + CDB_LPL_MAX], st;
	unsigned int timeout = cmd->timeout_ms ? cmd->timeout_ms :
						 cdb->default_ms;
	bool nack_ok = !cdb->caps.background || cmd->resets;
	unsigned int i, want, len;
	int n, r;

	cmd->rpl_len = 0;
	cdb->last_cmd = cmd->id;
	cdb->last_status = 0;
	if (!cdb->caps.instances)
		return -EOPNOTSUPP;
	if (cmd->epl_len > cdb->caps.epl_pages * 128u ||
	    (cmd->epl_len && !cmd->epl))
		return -EINVAL;
	n = optic_cdb_frame(cmd->id, cmd->lpl, cmd->lpl_len, cmd->epl_len,
			    frame, sizeof(frame));
	if (n < 0)
		return n;

	/* a previous command (another host, an interrupted run) may still run */
	r = optic_cdb_wait(cdb, cdb->default_ms, nack_ok, &st);
	if (r < 0)
		return r == -ETIMEDOUT ? -EBUSY : r;

	for (i = 0; i < cmd->epl_len; i += 128) {
		r = cdb_write(cdb, CDB_EPL_PAGE + i / 128, 128, cmd->epl + i,
			      MIN(128u, cmd->epl_len - i));
		if (r < 0)
			return r;
	}
	r = cdb_write(cdb, CDB_PAGE, CDB_OFF_EPL_LEN, frame + 2, n - 2);
	if (r < 0)
		return r;
	/* the write of byte 129 (with 128) triggers the command */
	r = cdb_write(cdb, CDB_PAGE, CDB_OFF_CMD, frame, 2);
	if (r < 0)
		return r;

	/* lenient: half the advertised time again, plus transport latency */
	r = optic_cdb_wait(
		cdb, timeout + timeout / 2 + CDB_SLACK_MS + cdb->caps.busy_ms,
		nack_ok, &st);
	if (r < 0)
		return r;
	cdb->last_status = st;
	r = optic_cdb_status_errno(st);
	if (r < 0)
		return r;
	if (!cmd->rpl || !cmd->rpl_max)
		return 0;

	want = MIN((unsigned int)cmd->rpl_max, CDB_LPL_MAX);
	len = 2 + want;
	r = cdb->ops->read(cdb->ctx, CDB_PAGE, 0, CDB_OFF_RPL_LEN, len, rbuf);
	if (r < 0)
		return r;
	if (rbuf[0] > want && rbuf[0] <= CDB_LPL_MAX) {
		/* longer than the caller wants: read it all to check it */
		len = 2 + rbuf[0];
		r = cdb->ops->read(cdb->ctx, CDB_PAGE, 0, CDB_OFF_RPL_LEN, len,
				   rbuf);
		if (r < 0)
			return r;
	}
	r = optic_cdb_parse_reply(rbuf, len, cmd->rpl, cmd->rpl_max);
	if (r < 0)
		return r;
	cmd->rpl_len = r;
	return 0;
}

/* ---- transport: the optic driver's netlink EEPROM commands ---- */

static int nl_read(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		   uint16_t len, uint8_t *buf)
{
	struct optic_cdb_nl *t = ctx;
	int r;

	/* status polls and replies of CDB commands are CDB traffic too */
	r = optic_nl_eeprom_read_class(t->nl, t->name, 0x50, page, bank, off,
				       len, OPTIC_BUS_CLASS_CDB, buf);
	if (r < 0)
		return r;
	return r == len ? 0 : -EIO;
}

static int nl_write(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		    uint16_t len, const uint8_t *buf)
{
	struct optic_cdb_nl *t = ctx;

	return optic_nl_eeprom_write(t->nl, t->name, 0x50, page, bank, off, len,
				     buf);
}

const struct optic_cdb_ops optic_cdb_nl_ops = {
	.read = nl_read,
	.write = nl_write,
};

int optic_cdb_open_nl(struct optic_cdb *cdb, struct optic_cdb_nl *t,
		      struct optic_nl *nl, const char *port)
{
	if (strlen(port) >= sizeof(t->name))
		return -ENAMETOOLONG;
	memset(t, 0, sizeof(*t));
	t->nl = nl;
	strcpy(t->name, port);
	return optic_cdb_init(cdb, &optic_cdb_nl_ops, t,
			      OPTIC_EEPROM_WRITE_MAX);
}
