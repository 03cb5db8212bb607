// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the CDB engine's parsing of what a module says
 * (lib/cdb.c, lib/fw.c): the page 01h advertisement, CdbStatus, replies
 * (length, check code, payload), firmware info and features replies, and
 * whole commands and downloads against a module whose every read returns
 * the next bytes of the input. A crash, a read beyond a buffer, a hang or
 * a sanitizer report is a bug, whatever the module answers.
 *
 *   make fuzz-build && build/fuzz/fuzz_cdb -max_total_time=60
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "cdb.h"
#include "fw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_module {
	const uint8_t *data;
	size_t size, pos;
	uint64_t now;
	unsigned int ops;
};

static int fm_read(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		   uint16_t len, uint8_t *buf)
{
	struct fuzz_module *m = ctx;
	uint16_t i;

	if (m->pos >= m->size || ++m->ops > 20000)
		return -EIO;
	if (m->data[m->pos] == 0xee) { /* a NACK now and then */
		m->pos++;
		return -ENXIO;
	}
	for (i = 0; i < len; i++)
		buf[i] = m->pos < m->size ? m->data[m->pos++] : 0;
	return 0;
}

static int fm_write(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		    uint16_t len, const uint8_t *buf)
{
	struct fuzz_module *m = ctx;

	if (++m->ops > 20000 || len > 128 || off + len > 256 ||
	    (off < 128 && off + len > 128))
		__builtin_trap();
	return 0;
}

static void fm_sleep(void *ctx, unsigned int ms)
{
	((struct fuzz_module *)ctx)->now += ms;
}

static uint64_t fm_now(void *ctx)
{
	/* time passes with every access too, so nothing waits forever */
	struct fuzz_module *m = ctx;

	return m->now += 1;
}

static const struct optic_cdb_ops fm_ops = {
	.read = fm_read,
	.write = fm_write,
	.sleep_ms = fm_sleep,
	.now_ms = fm_now,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t image[600] = { 'O', 'S', 'F', 'W', 1, 2 };
	struct fuzz_module m = { .data = data, .size = size };
	struct optic_fw_flash_opts o = { .image = image,
					 .size = sizeof(image) };
	struct optic_fw_features f;
	struct optic_fw_info info;
	struct optic_cdb_caps caps;
	struct optic_cdb cdb;
	uint8_t rpl[CDB_LPL_MAX];
	size_t done;

	/* the pure parsers on the raw input */
	if (size >= 4)
		optic_cdb_parse_caps(data, &caps);
	optic_cdb_parse_reply(data, size, rpl, size ? data[0] % 121 : 0);
	optic_fw_parse_info(data, size, &info);
	optic_fw_parse_features(data, size, &f);
	if (size)
		(void)optic_cdb_status_str(data[0]),
			(void)optic_cdb_status_errno(data[0]);

	/* a module answering with the input */
	if (optic_cdb_init(&cdb, &fm_ops, &m, 8) < 0)
		return 0;
	cdb.default_ms = 50;
	optic_fw_info(&cdb, &info);
	o.force_lpl = m.pos & 1;
	optic_fw_flash(&cdb, &o, &done);
	if (done > sizeof(image))
		__builtin_trap();
	optic_fw_run(&cdb, 0, 100);
	optic_fw_commit(&cdb);
	return 0;
}
