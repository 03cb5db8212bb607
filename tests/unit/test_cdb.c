// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CDB engine and the firmware flash procedure (lib/cdb.c, lib/fw.c):
 * framing and check codes, reply parsing, status decoding, the page 01h
 * advertisement, and whole downloads against a fake CMIS module with a
 * virtual clock (transport NACKs, failed statuses, a module that never
 * finishes, user abort, resume, run with a reset, the flash lock).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdb.h"
#include "fw.h"
#include "util.h"

/* ---- a fake CMIS module: pages, CDB on 9Fh, a virtual clock ---- */

#define FAKE_IMG_MAX 16384
#define FAKE_LOG 4096

struct fake {
	uint8_t lower[128];
	uint8_t upper[256][128];
	uint64_t now;
	uint64_t busy_until; /* CdbStatus1 reads busy until then */
	uint8_t result; /* published when the command is done */
	unsigned int cmd_ms; /* each command's duration */
	bool stuck; /* never finishes */
	bool bad_rpl_chk;
	bool did_reset;
	int xfers;
	int nack_from, nack_count; /* fail transfers nack_from.. with -ENXIO */
	unsigned int write_max;
	/* firmware */
	uint8_t start_payload;
	uint8_t mech; /* 0041h byte 141 */
	uint8_t image[FAKE_IMG_MAX];
	uint32_t size, received;
	bool downloading;
	uint8_t ver[2][2];
	int running, committed;
	bool valid[2];
	int fail_cmd, fail_nth; /* fail the nth (1-based) command fail_cmd */
	uint8_t fail_status;
	uint16_t log[FAKE_LOG];
	int nlog;
	int count[0x200];
};

static int fake_nack(struct fake *f)
{
	f->xfers++;
	if (f->nack_from && f->xfers >= f->nack_from &&
	    f->xfers < f->nack_from + f->nack_count)
		return -ENXIO;
	return 0;
}

static uint8_t *fake_at(struct fake *f, uint8_t page, uint8_t off)
{
	return off < 128 ? &f->lower[off] : &f->upper[page][off - 128];
}

static void put_reply(struct fake *f, const uint8_t *rpl, uint8_t len)
{
	uint8_t *p = f->upper[CDB_PAGE];
	uint8_t sum = 0;
	int i;

	memcpy(p + 8, rpl, len);
	for (i = 0; i < len; i++)
		sum += rpl[i];
	p[6] = len;
	p[7] = f->bad_rpl_chk ? sum : (uint8_t)~sum;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint8_t fake_exec(struct fake *f)
{
	uint8_t *p = f->upper[CDB_PAGE];
	uint16_t id = p[0] << 8 | p[1];
	uint16_t epl = p[2] << 8 | p[3];
	uint8_t lpl_len = p[4], *lpl = p + 8, rpl[120] = {};
	uint8_t sum = 0;
	uint32_t addr, i;

	if (f->nlog < FAKE_LOG)
		f->log[f->nlog++] = id;
	if (id < 0x200)
		f->count[id]++;
	for (i = 0; i < 5; i++)
		sum += p[i];
	for (i = 0; i < lpl_len; i++)
		sum += lpl[i];
	sum = ~sum;
	if (sum != p[5])
		return 0x45;
	if (id == f->fail_cmd && id < 0x200 && f->count[id] == f->fail_nth)
		return f->fail_status;
	p[6] = p[7] = 0;
	switch (id) {
	case CDB_CMD_QUERY_STATUS:
		rpl[0] = 1;
		rpl[1] = 0x5a;
		put_reply(f, rpl, 2);
		return 0x01;
	case CDB_CMD_FW_FEATURES:
		rpl[1] = 0x01;
		rpl[2] = f->start_payload;
		rpl[5] = f->mech;
		rpl[9] = 50; /* start 50 ms */
		rpl[13] = 20; /* write 20 ms */
		rpl[15] = 100; /* complete 100 ms */
		put_reply(f, rpl, 18);
		return 0x01;
	case CDB_CMD_FW_INFO:
		for (i = 0; i < 2; i++) {
			if (f->running == (int)i)
				rpl[0] |= 1 << (4 * i);
			if (f->committed == (int)i)
				rpl[0] |= 2 << (4 * i);
			if (!f->valid[i])
				rpl[0] |= 4 << (4 * i);
			rpl[1] |= 1 << i;
			rpl[2 + 36 * i] = f->ver[i][0];
			rpl[3 + 36 * i] = f->ver[i][1];
			rpl[5 + 36 * i] = 7;
			memcpy(rpl + 6 + 36 * i, "fake", 4);
		}
		put_reply(f, rpl, 74);
		return 0x01;
	case CDB_CMD_FW_START:
		if (lpl_len != 8 + f->start_payload)
			return 0x42;
		f->size = get_be32(lpl);
		if (!f->size || f->size > FAKE_IMG_MAX)
			return 0x42;
		memcpy(f->image, lpl + 8, f->start_payload);
		f->received = f->start_payload;
		f->downloading = true;
		f->valid[!f->running] = false;
		return 0x01;
	case CDB_CMD_FW_ABORT:
		f->downloading = false;
		return 0x01;
	case CDB_CMD_FW_WRITE_LPL:
		if (!f->downloading || lpl_len < 4)
			return 0x40;
		addr = get_be32(lpl) + f->start_payload;
		if (addr != f->received || addr + lpl_len - 4 > f->size)
			return 0x42;
		memcpy(f->image + addr, lpl + 4, lpl_len - 4);
		f->received += lpl_len - 4;
		return 0x01;
	case CDB_CMD_FW_WRITE_EPL:
		if (!f->downloading || lpl_len != 4)
			return 0x40;
		addr = get_be32(lpl) + f->start_payload;
		if (addr != f->received || addr + epl > f->size)
			return 0x42;
		for (i = 0; i < epl; i++)
			f->image[addr + i] = f->upper[0xa0 + i / 128][i % 128];
		f->received += epl;
		return 0x01;
	case CDB_CMD_FW_COMPLETE:
		if (!f->downloading || f->received != f->size)
			return 0x40;
		f->downloading = false;
		f->valid[!f->running] = true;
		f->ver[!f->running][0] = f->image[4];
		f->ver[!f->running][1] = f->image[5];
		return 0x01;
	case CDB_CMD_FW_RUN:
		if (lpl_len < 2 || !f->valid[!f->running])
			return 0x40;
		f->running = !f->running;
		/* reset: CDB and page select cleared, module powers up */
		f->lower[3] = 2 << 1;
		f->lower[127] = 0;
		f->busy_until = 0;
		f->did_reset = true;
		return 0x00;
	case CDB_CMD_FW_COMMIT:
		f->committed = f->running;
		return 0x01;
	default:
		return 0x41;
	}
}

static int fake_read(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		     uint16_t len, uint8_t *buf)
{
	struct fake *f = ctx;
	uint16_t i;
	int r = fake_nack(f);

	if (r)
		return r;
	assert_true(off + len <= 256);
	if (f->busy_until && f->now >= f->busy_until && !f->stuck) {
		f->lower[CDB_STATUS1] = f->result;
		f->busy_until = 0;
	}
	if (off <= 3 && off + len > 3 && f->lower[3] == (2 << 1))
		f->lower[3] = 3 << 1; /* powered up by the next look */
	for (i = 0; i < len; i++)
		buf[i] = *fake_at(f, page, off + i);
	return 0;
}

static int fake_write(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		      uint16_t len, const uint8_t *buf)
{
	struct fake *f = ctx;
	uint16_t i;
	int r = fake_nack(f);

	if (r)
		return r;
	assert_true(len <= f->write_max);
	assert_true(off >= 128 || off + len <= 128);
	for (i = 0; i < len; i++)
		*fake_at(f, page, off + i) = buf[i];
	if (page == CDB_PAGE && off <= 129 && off + len > 129) {
		uint8_t st = fake_exec(f);

		if (f->did_reset) {
			f->did_reset = false;
			f->lower[CDB_STATUS1] = 0;
			return 0;
		}
		f->result = st;
		f->lower[CDB_STATUS1] = 0x83;
		f->busy_until = f->now + f->cmd_ms;
		if (!f->busy_until)
			f->busy_until = 1;
	}
	return 0;
}

static void fake_sleep(void *ctx, unsigned int ms)
{
	((struct fake *)ctx)->now += ms;
}

static uint64_t fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static const struct optic_cdb_ops fake_ops = {
	.read = fake_read,
	.write = fake_write,
	.sleep_ms = fake_sleep,
	.now_ms = fake_now,
};

static struct fake *fake_new(void)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	/* one instance, background, EPL A0h-A3h (code 4), 128-byte writes */
	f->upper[0x01][163 - 128] = 0x40 | 0x20 | 0x04;
	f->upper[0x01][164 - 128] = 15;
	f->write_max = 8;
	f->cmd_ms = 3;
	f->mech = 0x11;
	f->ver[0][0] = 3;
	f->ver[0][1] = 14;
	f->ver[1][0] = 3;
	f->ver[1][1] = 10;
	f->valid[0] = f->valid[1] = true;
	f->lower[3] = 3 << 1;
	return f;
}

static void fake_cdb(struct fake *f, struct optic_cdb *cdb)
{
	assert_int_equal(optic_cdb_init(cdb, &fake_ops, f, f->write_max), 0);
}

/* ---- framing, check codes, replies, status ---- */

static void test_chkcode(void **state)
{
	/* tests/vm/scenarios/26-sim-cdb.sh: Query Status, LPL 00 00: ~2 */
	uint8_t lpl[2] = { 0, 0 }, out[16];
	uint8_t start[8] = { 0x00, 0x00, 0x01, 0x2c, 0, 0, 0, 0 };

	assert_int_equal(optic_cdb_frame(0x0000, lpl, 2, 0, out, sizeof(out)),
			 10);
	assert_int_equal(out[5], 0xfd);
	/* Start, size 300: 01 + 01 + 08 + 01 + 2c = 0x37 -> 0xc8 */
	assert_int_equal(optic_cdb_frame(0x0101, start, 8, 0, out, sizeof(out)),
			 16);
	assert_int_equal(out[0], 0x01);
	assert_int_equal(out[1], 0x01);
	assert_int_equal(out[4], 8);
	assert_int_equal(out[5], 0xc8);
	assert_int_equal(out[6], 0);
	assert_int_equal(out[7], 0);
	assert_memory_equal(out + 8, start, 8);
	/* EPL length counts, the EPL itself does not: 04 + 08 + 04 = 0x10 */
	assert_int_equal(optic_cdb_frame(0x0104, (uint8_t[4]){}, 4, 0x800, out,
					 sizeof(out)),
			 12);
	assert_int_equal(out[2], 0x08);
	assert_int_equal(out[3], 0x00);
	assert_int_equal(out[5], (uint8_t) ~(0x01 + 0x04 + 0x08 + 0x04));
	/* the wrap of the 8-bit sum */
	memset(lpl, 0xff, sizeof(lpl));
	assert_int_equal(optic_cdb_frame(0xffff, lpl, 2, 0, out, sizeof(out)),
			 10);
	assert_int_equal(out[5], (uint8_t) ~(0xff * 4 + 2));
	/* limits */
	assert_int_equal(optic_cdb_frame(0, lpl, 121, 0, out, 200), -EINVAL);
	assert_int_equal(optic_cdb_frame(0, NULL, 0, 2049, out, 200), -EINVAL);
	assert_int_equal(optic_cdb_frame(0, lpl, 2, 0, out, 9), -EINVAL);
	(void)state;
}

static void test_reply(void **state)
{
	uint8_t buf[2 + 120] = { 2, 0xfd, 0x01, 0x01 }, rpl[8];

	assert_int_equal(optic_cdb_parse_reply(buf, 4, rpl, sizeof(rpl)), 2);
	assert_int_equal(rpl[0], 1);
	assert_int_equal(rpl[1], 1);
	buf[1] = 0xfe;
	assert_int_equal(optic_cdb_parse_reply(buf, 4, rpl, sizeof(rpl)),
			 -EBADMSG);
	buf[0] = 121;
	assert_int_equal(optic_cdb_parse_reply(buf, sizeof(buf), rpl, 8),
			 -EBADMSG);
	buf[0] = 3;
	buf[1] = 0xfd;
	assert_int_equal(optic_cdb_parse_reply(buf, 4, rpl, 8), -EMSGSIZE);
	buf[0] = 0;
	assert_int_equal(optic_cdb_parse_reply(buf, 2, rpl, 8), 0);
	assert_int_equal(optic_cdb_parse_reply(buf, 1, rpl, 8), -EBADMSG);
	/* a reply longer than the buffer is checked whole, copied in part */
	memset(buf, 0, sizeof(buf));
	buf[0] = 120;
	buf[1] = 0xff;
	buf[2] = 0x11;
	buf[121] = 0xee; /* 0x11 + 0xee = 0xff -> ~ = 0x00 */
	buf[1] = 0x00;
	assert_int_equal(optic_cdb_parse_reply(buf, sizeof(buf), rpl, 1), 120);
	assert_int_equal(rpl[0], 0x11);
	(void)state;
}

static void test_status(void **state)
{
	assert_int_equal(optic_cdb_status_errno(0x01), 0);
	assert_int_equal(optic_cdb_status_errno(0x00), 0);
	assert_int_equal(optic_cdb_status_errno(0x03), 0);
	assert_int_equal(optic_cdb_status_errno(0x81), -EINPROGRESS);
	assert_int_equal(optic_cdb_status_errno(0x83), -EINPROGRESS);
	assert_int_equal(optic_cdb_status_errno(0xc2), -EINPROGRESS);
	assert_int_equal(optic_cdb_status_errno(0x40), -EIO);
	assert_int_equal(optic_cdb_status_errno(0x41), -EOPNOTSUPP);
	assert_int_equal(optic_cdb_status_errno(0x42), -EINVAL);
	assert_int_equal(optic_cdb_status_errno(0x43), -EBUSY);
	assert_int_equal(optic_cdb_status_errno(0x44), -ETIMEDOUT);
	assert_int_equal(optic_cdb_status_errno(0x45), -EBADMSG);
	assert_int_equal(optic_cdb_status_errno(0x46), -EACCES);
	assert_int_equal(optic_cdb_status_errno(0x47), -EBUSY);
	assert_int_equal(optic_cdb_status_errno(0x70), -EIO);
	assert_string_equal(optic_cdb_status_str(0x01), "success");
	assert_string_equal(optic_cdb_status_str(0x83),
			    "busy: command executing");
	assert_string_equal(optic_cdb_status_str(0x45),
			    "failed: check code error");
	assert_string_equal(optic_cdb_status_str(0x42),
			    "failed: parameter range error or not supported");
	assert_string_equal(optic_cdb_status_str(0x00), "idle");
	assert_non_null(optic_cdb_status_str(0x7f));
	(void)state;
}

static void test_caps(void **state)
{
	struct optic_cdb_caps c;

	/* optic_sim: 65h 0Fh 00h 00h */
	assert_int_equal(
		optic_cdb_parse_caps((uint8_t[]){ 0x65, 0x0f, 0, 0 }, &c), 0);
	assert_int_equal(c.instances, 1);
	assert_true(c.background);
	assert_false(c.auto_paging);
	assert_int_equal(c.epl_pages, 8); /* code 5: A0h-A7h */
	assert_int_equal(c.rw_len, 128);
	assert_false(c.trigger_on_stop);
	assert_int_equal(c.busy_ms, 80);
	assert_int_equal(
		optic_cdb_parse_caps((uint8_t[]){ 0x97, 0, 0x83, 0x80 }, &c),
		0);
	assert_int_equal(c.instances, 2);
	assert_false(c.background);
	assert_true(c.auto_paging);
	assert_int_equal(c.epl_pages, 16);
	assert_int_equal(c.rw_len, 8);
	assert_true(c.trigger_on_stop);
	assert_int_equal(c.busy_ms, 3 * 160);
	assert_int_equal(
		optic_cdb_parse_caps((uint8_t[]){ 0x41, 0, 0, 0x80 }, &c), 0);
	assert_int_equal(c.busy_ms, 160); /* max(1, 0) x 160 */
	assert_int_equal(
		optic_cdb_parse_caps((uint8_t[]){ 0x41, 0, 0, 0x7f }, &c), 0);
	assert_int_equal(c.busy_ms, 0);
	assert_int_equal(optic_cdb_parse_caps((uint8_t[]){ 0x3f, 0, 0, 0 }, &c),
			 -EOPNOTSUPP);
	assert_int_equal(optic_cdb_parse_caps((uint8_t[]){ 0xc0, 0, 0, 0 }, &c),
			 -EOPNOTSUPP);
	(void)state;
}

static void test_fw_parse(void **state)
{
	uint8_t rpl[120] = {};
	struct optic_fw_info info;
	struct optic_fw_features f;

	/* B running + committed, A invalid; both described */
	rpl[0] = 0x04 | 0x10 | 0x20;
	rpl[1] = 0x03;
	rpl[2] = 3;
	rpl[3] = 14;
	rpl[4] = 0x01;
	rpl[5] = 0x02;
	memcpy(rpl + 6, "alpha\x01", 6);
	rpl[38] = 4;
	rpl[39] = 2;
	assert_int_equal(optic_fw_parse_info(rpl, 74, &info), 0);
	assert_false(info.img[0].running);
	assert_false(info.img[0].valid);
	assert_int_equal(info.img[0].build, 0x102);
	assert_string_equal(info.img[0].extra, "alpha?");
	assert_true(info.img[1].running);
	assert_true(info.img[1].committed);
	assert_true(info.img[1].valid);
	assert_int_equal(info.img[1].major, 4);
	assert_int_equal(info.img[1].minor, 2);
	assert_false(info.factory.present);
	assert_int_equal(optic_fw_parse_info(rpl, 73, &info), -EBADMSG);
	rpl[1] = 0x07;
	assert_int_equal(optic_fw_parse_info(rpl, 74, &info), -EBADMSG);
	assert_int_equal(optic_fw_parse_info(rpl, 110, &info), 0);
	assert_true(info.factory.present);
	rpl[1] = 0;
	assert_int_equal(optic_fw_parse_info(rpl, 2, &info), 0);
	assert_false(info.img[0].present);

	memset(rpl, 0, sizeof(rpl));
	rpl[1] = 0x09; /* abort, durations x10 */
	rpl[2] = 16;
	rpl[5] = 0x10;
	rpl[9] = 20;
	rpl[13] = 5;
	rpl[14] = 1;
	assert_int_equal(optic_fw_parse_features(rpl, 18, &f), 0);
	assert_true(f.abort);
	assert_int_equal(f.start_payload, 16);
	assert_false(f.lpl);
	assert_true(f.epl);
	assert_int_equal(f.start_ms, 200);
	assert_int_equal(f.write_ms, 50);
	assert_int_equal(f.complete_ms, 2560);
	assert_int_equal(optic_fw_parse_features(rpl, 15, &f), -EBADMSG);
	rpl[2] = 113;
	assert_int_equal(optic_fw_parse_features(rpl, 18, &f), -EBADMSG);
	(void)state;
}

/* ---- the engine against the fake ---- */

static void test_exec(void **state)
{
	struct fake *f = fake_new();
	struct optic_cdb cdb;
	uint8_t rpl[8];
	struct optic_cdb_cmd cmd = {
		.id = CDB_CMD_QUERY_STATUS,
		.rpl = rpl,
		.rpl_max = sizeof(rpl),
	};

	fake_cdb(f, &cdb);
	assert_int_equal(optic_cdb_exec(&cdb, &cmd), 0);
	assert_int_equal(cmd.rpl_len, 2);
	assert_int_equal(rpl[1], 0x5a);
	assert_int_equal(cdb.last_status, 0x01);

	/* unknown command: the failure and its byte */
	cmd.id = 0x0177;
	assert_int_equal(optic_cdb_exec(&cdb, &cmd), -EOPNOTSUPP);
	assert_int_equal(cdb.last_status, 0x41);

	/* a corrupted reply */
	f->bad_rpl_chk = true;
	cmd.id = CDB_CMD_QUERY_STATUS;
	assert_int_equal(optic_cdb_exec(&cdb, &cmd), -EBADMSG);
	f->bad_rpl_chk = false;

	/* a module that never finishes: the advertised time, then -ETIMEDOUT */
	f->stuck = true;
	cmd.timeout_ms = 200;
	f->now = 0;
	assert_int_equal(optic_cdb_exec(&cdb, &cmd), -ETIMEDOUT);
	assert_true(f->now >= 300 + 100 + 80 && f->now < 300 + 100 + 80 + 40);
	/* and the next command finds the CDB busy */
	assert_int_equal(optic_cdb_exec(&cdb, &cmd), -EBUSY);
	f->stuck = false;
	f->busy_until = 1;
	assert_int_equal(optic_cdb_exec(&cdb, &cmd), 0);

	/* a NACK is the transport's error, as is */
	f->nack_from = f->xfers + 3;
	f->nack_count = 1;
	assert_int_equal(optic_cdb_exec(&cdb, &cmd), -ENXIO);
	/* without background mode, NACKs while busy are waited out */
	f->upper[0x01][163 - 128] &= ~0x20;
	fake_cdb(f, &cdb);
	f->nack_from = f->xfers + 19; /* after the trigger */
	f->nack_count = 4;
	assert_int_equal(optic_cdb_exec(&cdb, &cmd), 0);
	free(f);
	(void)state;
}

static void test_exec_epl(void **state)
{
	struct fake *f = fake_new();
	struct optic_cdb cdb;
	uint8_t epl[512];
	struct optic_cdb_cmd cmd = {
		.id = CDB_CMD_FW_WRITE_EPL,
		.lpl = (uint8_t[4]){},
		.lpl_len = 4,
		.epl = epl,
		.epl_len = sizeof(epl),
	};
	int i;

	for (i = 0; i < 512; i++)
		epl[i] = i * 7;
	fake_cdb(f, &cdb);
	assert_int_equal(cdb.caps.epl_pages, 4);
	/* not downloading: the module refuses, the EPL still landed */
	assert_int_equal(optic_cdb_exec(&cdb, &cmd), -EIO);
	assert_memory_equal(f->upper[0xa0], epl, 128);
	assert_memory_equal(f->upper[0xa3], epl + 384, 128);
	cmd.epl_len = 513;
	assert_int_equal(optic_cdb_exec(&cdb, &cmd), -EINVAL);
	free(f);
	(void)state;
}

/* ---- the flash procedure ---- */

struct prog {
	int calls;
	size_t last_done;
	int abort_at; /* return 1 on that call */
	bool saw_start, saw_complete, saw_done;
};

static int on_prog(const struct optic_fw_progress *p, void *arg)
{
	struct prog *pr = arg;

	pr->calls++;
	assert_true(p->done >= pr->last_done);
	assert_true(p->done <= p->total);
	pr->last_done = p->done;
	pr->saw_start |= p->phase == OPTIC_FW_START;
	pr->saw_complete |= p->phase == OPTIC_FW_COMPLETE;
	pr->saw_done |= p->phase == OPTIC_FW_DONE;
	return pr->abort_at && pr->calls == pr->abort_at;
}

static uint8_t *mkimage(size_t size, uint8_t major, uint8_t minor)
{
	uint8_t *img = malloc(size);
	size_t i;

	assert_non_null(img);
	for (i = 0; i < size; i++)
		img[i] = (uint8_t)(i * 31 + 7);
	memcpy(img, "OSFW", 4);
	img[4] = major;
	img[5] = minor;
	return img;
}

static void flash_ok(uint8_t mech, bool force_lpl, uint8_t start_payload,
		     size_t size)
{
	struct fake *f = fake_new();
	uint8_t *img = mkimage(size, 4, 2);
	struct prog pr = {};
	struct optic_fw_flash_opts o = {
		.image = img,
		.size = size,
		.force_lpl = force_lpl,
		.cb = on_prog,
		.arg = &pr,
	};
	struct optic_fw_info info;
	struct optic_cdb cdb;
	size_t done;

	f->mech = mech;
	f->start_payload = start_payload;
	fake_cdb(f, &cdb);
	assert_int_equal(optic_fw_flash(&cdb, &o, &done), 0);
	assert_int_equal(done, size);
	assert_int_equal(f->size, size);
	assert_memory_equal(f->image, img, size);
	assert_true(pr.saw_start && pr.saw_complete && pr.saw_done);
	assert_int_equal(f->count[CDB_CMD_FW_START], 1);
	assert_int_equal(f->count[CDB_CMD_FW_COMPLETE], 1);
	assert_int_equal(f->count[CDB_CMD_FW_ABORT], 0);
	if ((mech & 0x10) && !(force_lpl && (mech & 1))) {
		assert_int_equal(f->count[CDB_CMD_FW_WRITE_EPL],
				 (size - start_payload + 511) / 512);
		assert_int_equal(f->count[CDB_CMD_FW_WRITE_LPL], 0);
	} else {
		assert_int_equal(f->count[CDB_CMD_FW_WRITE_LPL],
				 (size - start_payload + 115) / 116);
		assert_int_equal(f->count[CDB_CMD_FW_WRITE_EPL], 0);
	}
	assert_int_equal(optic_fw_info(&cdb, &info), 0);
	assert_true(info.img[0].running);
	assert_true(info.img[1].valid);
	assert_int_equal(info.img[1].major, 4);
	assert_int_equal(info.img[1].minor, 2);
	assert_int_equal(info.img[1].build, 7);
	assert_string_equal(info.img[1].extra, "fake");

	/* run: the module resets into B; then commit */
	f->lower[127] = 0x9f;
	assert_int_equal(optic_fw_run(&cdb, 0, 5000), 0);
	assert_int_equal(f->running, 1);
	assert_int_equal(f->lower[127], 0); /* page select said out loud */
	assert_int_equal(optic_fw_commit(&cdb), 0);
	assert_int_equal(optic_fw_info(&cdb, &info), 0);
	assert_true(info.img[1].running && info.img[1].committed);
	free(img);
	free(f);
}

static void test_flash_epl(void **state)
{
	flash_ok(0x11, false, 0, 3000);
	flash_ok(0x10, false, 0, 512);
	flash_ok(0x10, false, 32, 4096 + 32 + 1);
	(void)state;
}

static void test_flash_lpl(void **state)
{
	flash_ok(0x01, false, 0, 1000);
	flash_ok(0x11, true, 0, 116);
	flash_ok(0x01, false, 16, 16 + 117);
	(void)state;
}

static void test_flash_failures(void **state)
{
	struct fake *f = fake_new();
	uint8_t *img = mkimage(4000, 5, 0);
	struct prog pr = {};
	struct optic_fw_flash_opts o = {
		.image = img,
		.size = 4000,
		.cb = on_prog,
		.arg = &pr,
	};
	struct optic_cdb cdb;
	size_t done;

	fake_cdb(f, &cdb);

	/* the module refuses the header at Start: Abort, old image runs */
	f->fail_cmd = CDB_CMD_FW_START;
	f->fail_nth = 1;
	f->fail_status = 0x42;
	assert_int_equal(optic_fw_flash(&cdb, &o, &done), -EINVAL);
	assert_int_equal(done, 0);
	assert_int_equal(cdb.last_status, 0x42);
	assert_int_equal(cdb.last_cmd, CDB_CMD_FW_START);
	assert_int_equal(f->count[CDB_CMD_FW_ABORT], 1);
	assert_int_equal(f->running, 0);

	/* a failed third block: Abort; done says what was acknowledged */
	f->fail_cmd = CDB_CMD_FW_WRITE_EPL;
	f->fail_nth = f->count[CDB_CMD_FW_WRITE_EPL] + 3;
	f->fail_status = 0x40;
	pr.last_done = 0;
	assert_int_equal(optic_fw_flash(&cdb, &o, &done), -EIO);
	assert_int_equal(done, 1024);
	assert_int_equal(f->count[CDB_CMD_FW_ABORT], 2);
	assert_false(f->downloading);
	f->fail_cmd = 0;

	/* a NACK mid-download: no Abort (resumable), the transport's error */
	f->nack_from = f->xfers + 400;
	f->nack_count = 1000000;
	pr.last_done = 0;
	assert_int_equal(optic_fw_flash(&cdb, &o, &done), -ENXIO);
	assert_int_equal(f->count[CDB_CMD_FW_ABORT], 2);
	assert_true(done > 0 && done < 4000 && done % 512 == 0);
	assert_true(f->downloading);
	/* the module answers again: resume from there */
	f->nack_from = 0;
	o.resume_from = done;
	assert_int_equal(optic_fw_flash(&cdb, &o, &done), 0);
	assert_int_equal(done, 4000);
	assert_memory_equal(f->image, img, 4000);
	assert_true(f->valid[1]);
	assert_int_equal(f->ver[1][0], 5);
	o.resume_from = 0;

	/* the user aborts at the third progress report */
	memset(&pr, 0, sizeof(pr));
	pr.abort_at = 3;
	assert_int_equal(optic_fw_flash(&cdb, &o, &done), -ECANCELED);
	assert_int_equal(f->count[CDB_CMD_FW_ABORT], 3);
	assert_false(f->downloading);
	assert_false(f->valid[1]);
	/* Run refuses an invalid image; the running one is untouched */
	assert_int_equal(optic_fw_run(&cdb, 0, 1000), -EIO);
	assert_int_equal(f->running, 0);

	/* no write mechanism at all */
	f->mech = 0;
	assert_int_equal(optic_fw_flash(&cdb, &o, &done), -EOPNOTSUPP);
	f->mech = 0x11;
	o.size = 0;
	assert_int_equal(optic_fw_flash(&cdb, &o, &done), -EINVAL);
	free(img);
	free(f);
	(void)state;
}

static void test_lock(void **state)
{
	char dir[] = "/tmp/optic-test-XXXXXX";
	char path[64];
	int a, b;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(optic_fw_locked(dir, "port0"), 0);
	a = optic_fw_lock(dir, "port0");
	assert_true(a >= 0);
	assert_int_equal(optic_fw_locked(dir, "port0"), 1);
	assert_int_equal(optic_fw_lock(dir, "port0"), -EBUSY);
	b = optic_fw_lock(dir, "port1");
	assert_true(b >= 0);
	close(a);
	assert_int_equal(optic_fw_locked(dir, "port0"), 0);
	a = optic_fw_lock(dir, "port0");
	assert_true(a >= 0);
	close(a);
	close(b);
	assert_int_equal(optic_fw_lock(dir, "../etc"), -EINVAL);
	assert_int_equal(optic_fw_lock(dir, ""), -EINVAL);
	snprintf(path, sizeof(path), "%s/port0.fw.lock", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/port1.fw.lock", dir);
	unlink(path);
	rmdir(dir);
	assert_int_equal(optic_fw_crc32((const uint8_t *)"123456789", 9),
			 0xcbf43926);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chkcode),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_fw_parse),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_exec_epl),
		cmocka_unit_test(test_flash_epl),
		cmocka_unit_test(test_flash_lpl),
		cmocka_unit_test(test_flash_failures),
		cmocka_unit_test(test_lock),
	};

	return cmocka_run_group_tests_name("cdb", tests, NULL, NULL);
}
