// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for lib/diag.c: page 13h capabilities, controls and
 * page 14h result windows as a module says them, and whole loopback and
 * PRBS sequences against a module whose every read returns the next bytes
 * of the input. A crash, a write the module would NACK (more than 8 bytes,
 * outside page 13h 144-183 or 14h:128), a lane outside the mask asked for,
 * a BER outside [0, 1], or a sanitizer report is a bug.
 *
 *   make fuzz-build && build/fuzz/fuzz_diag -max_total_time=60
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_module {
	const uint8_t *data;
	size_t size, pos;
	unsigned int ops;
};

static uint8_t next(struct fuzz_module *m)
{
	return m->pos < m->size ? m->data[m->pos++] : 0;
}

static int fm_read(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		   uint16_t len, uint8_t *buf)
{
	struct fuzz_module *m = ctx;
	uint16_t i;

	if (++m->ops > 2000 || off < 128 || off + len > 256 || bank > 3)
		__builtin_trap();
	if (m->pos < m->size && m->data[m->pos] == 0xee) { /* a NACK */
		m->pos++;
		return -ENXIO;
	}
	for (i = 0; i < len; i++)
		buf[i] = next(m);
	return 0;
}

static int fm_write(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		    uint16_t len, const uint8_t *buf)
{
	struct fuzz_module *m = ctx;

	if (++m->ops > 2000 || !len || len > 8 || bank > 3)
		__builtin_trap();
	if (page == OPTIC_DIAG_PAGE_CTL ?
		    off < 144 || off + len > 184 :
		    page != OPTIC_DIAG_PAGE_RES || off != 128 || len != 1)
		__builtin_trap();
	return 0;
}

static void fm_sleep(void *ctx, unsigned int ms)
{
}

static void check_results(const struct optic_diag_lane *res, int n,
			  uint32_t lanes)
{
	int i;

	for (i = 0; i < n; i++) {
		if (res[i].lane < 1 || res[i].lane > 32 ||
		    !(lanes >> (res[i].lane - 1) & 1))
			__builtin_trap();
		if (res[i].counted && !isnan(res[i].ber) &&
		    (res[i].ber < 0 || res[i].ber > 1))
			__builtin_trap();
	}
}

static void decode_bytes(struct fuzz_module *m)
{
	struct optic_diag_caps c;
	struct optic_diag_ctl ctl;
	uint8_t win[64];
	uint64_t e, b;
	unsigned int i;
	const char *why;

	for (i = 0; i < sizeof(c.raw); i++)
		c.raw[i] = next(m);
	for (i = 0; i < sizeof(ctl.b); i++)
		ctl.b[i] = next(m);
	for (i = 0; i < sizeof(win); i++)
		win[i] = next(m);
	(void)optic_diag_gating_name(&c);
	for (i = 0; i < 8; i++) {
		optic_diag_counts(win, i, &e, &b);
		(void)optic_diag_ber(e, b);
		(void)optic_diag_window_ber(win, i % 2, i);
		(void)optic_diag_window_snr(win, i % 2, i);
		if (optic_diag_ctl_pattern(&ctl, i % 2, i / 4, i) > 15)
			__builtin_trap();
	}
	optic_diag_ctl_prbs(&ctl, next(m) & 1, next(m), next(m));
	optic_diag_ctl_set_loopback(&ctl, next(m) % OPTIC_LB_COUNT, next(m),
				    next(m) & 1);
	(void)optic_diag_check_prbs(&c, next(m) & 1, next(m), next(m) | 1, 8,
				    &why);
	(void)optic_diag_check_loopback(&c, next(m) % OPTIC_LB_COUNT, next(m),
					next(m) % 33, next(m) & 1, next(m),
					&why);
}

static void run_sequences(struct fuzz_module *m)
{
	const struct optic_diag_io io = { fm_read, fm_write, fm_sleep, m };
	struct optic_diag_lane res[OPTIC_DIAG_MAX_LANES];
	enum optic_diag_side s = next(m) & 1;
	struct optic_diag_saved sv;
	struct optic_diag_caps c;
	uint32_t lanes;
	int n;

	lanes = (uint32_t)next(m) | (uint32_t)next(m) << 8 |
		(uint32_t)next(m) << 16 | (uint32_t)next(m) << 24;
	if (optic_diag_read_caps(&io, &c) < 0)
		return;
	(void)optic_diag_loopback_set(&io, next(m) % OPTIC_LB_COUNT, lanes,
				      next(m) & 1);
	if (optic_diag_save(&io, lanes, &sv) < 0)
		return;
	if (optic_diag_prbs_start(&io, &sv, s, next(m) % 13, lanes) == 0 &&
	    optic_diag_prbs_running(&io, s, lanes) >= 0) {
		n = optic_diag_prbs_results(&io, &c, s, lanes, res,
					    next(m) %
						    (OPTIC_DIAG_MAX_LANES + 1));
		if (n >= 0)
			check_results(res, n, lanes);
	}
	(void)optic_diag_restore(&io, &sv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_module m = { .data = data, .size = size };

	decode_bytes(&m);
	run_sequences(&m);
	return 0;
}
