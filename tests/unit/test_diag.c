// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Module performance diagnostics (lib/diag.c, docs/diag.md): the page 13h
 * capability bits, pattern IDs and bitmaps, the control encodings
 * (loopbacks, pattern selects, enables, byte 177), the page 14h result
 * windows, the refusals, and the loopback and PRBS sequences against a
 * fake banked module that computes its result windows from the selector.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "util.h"

/* ---- a fake module: pages 13h/14h in four banks ---- */

#define FAKE_LOG 256

struct fake_write {
	uint8_t page, bank, off, len, first;
};

struct fake {
	uint8_t p13[4][128];
	uint8_t p14[4][128];
	struct {
		uint64_t errors, bits;
		uint16_t ber; /* F16 */
		uint16_t snr; /* 1/256 dB */
	} lane[OPTIC_DIAG_SIDES][32];
	uint8_t lol[OPTIC_DIAG_SIDES][4]; /* latched 14h:138/139 */
	struct fake_write log[FAKE_LOG];
	int nlog;
	int xfers, fail_from; /* transfers from fail_from on: -ENODEV */
	unsigned int slept;
};

static void put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

/* Bytes 192-255 of bank @b for its selector (docs/diag.md, page 14h). */
static void fake_window(struct fake *f, unsigned int b, uint8_t *w)
{
	uint8_t sel = f->p14[b][0];
	unsigned int s, l;

	memset(w, 0, 64);
	if (sel == 0x01) {
		for (s = 0; s < OPTIC_DIAG_SIDES; s++)
			for (l = 0; l < 8; l++) {
				w[16 * s + 2 * l] = f->lane[s][8 * b + l].ber >>
						    8;
				w[16 * s + 2 * l + 1] =
					f->lane[s][8 * b + l].ber;
			}
		return;
	}
	if (sel == 0x06) {
		/* host lanes at 208, media at 240: U16 little-endian */
		for (s = 0; s < OPTIC_DIAG_SIDES; s++)
			for (l = 0; l < 8; l++) {
				uint16_t v = f->lane[s][8 * b + l].snr;

				w[16 + 32 * s + 2 * l] = v;
				w[16 + 32 * s + 2 * l + 1] = v >> 8;
			}
		return;
	}
	if (sel < 0x02 || sel > 0x05)
		return;
	s = (sel - 2) / 2;
	for (l = 0; l < 4; l++) {
		unsigned int lane = 8 * b + (sel - 2) % 2 * 4 + l;

		put_le64(&w[16 * l], f->lane[s][lane].errors);
		put_le64(&w[16 * l + 8], f->lane[s][lane].bits);
	}
}

static int fake_read(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		     uint16_t len, uint8_t *buf)
{
	struct fake *f = ctx;
	uint8_t win[64];
	unsigned int i;

	if (f->fail_from && ++f->xfers >= f->fail_from)
		return -ENODEV;
	assert_true(off >= 128 && off + len <= 256 && bank < 4);
	assert_true(page == 0x13 || page == 0x14);
	for (i = 0; i < len; i++) {
		unsigned int o = off + i;

		if (page == 0x13) {
			buf[i] = f->p13[bank][o - 128];
		} else if (o == 138 || o == 139) {
			buf[i] = f->lol[o - 138][bank];
			f->lol[o - 138][bank] = 0; /* clear on read */
		} else if (o >= 192) {
			fake_window(f, bank, win);
			buf[i] = win[o - 192];
		} else {
			buf[i] = f->p14[bank][o - 128];
		}
	}
	return len;
}

static int fake_write(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		      uint16_t len, const uint8_t *buf)
{
	struct fake *f = ctx;

	if (f->fail_from && ++f->xfers >= f->fail_from)
		return -ENODEV;
	/* CMIS 8.2.2: at most 8 bytes, within the page */
	assert_true(len >= 1 && len <= 8 && off >= 128 && off + len <= 256);
	assert_true(bank < 4);
	if (page == 0x13) {
		assert_true(off >= 144 && off + len <= 184);
		memcpy(&f->p13[bank][off - 128], buf, len);
	} else {
		assert_int_equal(page, 0x14);
		assert_true(off == 128 && len == 1);
		f->p14[bank][0] = buf[0];
	}
	if (f->nlog < FAKE_LOG)
		f->log[f->nlog++] =
			(struct fake_write){ page, bank, off, len, buf[0] };
	return 0;
}

static void fake_sleep(void *ctx, unsigned int ms)
{
	((struct fake *)ctx)->slept += ms;
}

static struct optic_diag_io fake_io(struct fake *f)
{
	return (struct optic_diag_io){ fake_read, fake_write, fake_sleep, f };
}

/* Everything advertised, all 13 patterns on every engine. */
static void fake_full(struct fake *f)
{
	unsigned int b, i;

	memset(f, 0, sizeof(*f));
	for (b = 0; b < 4; b++) {
		uint8_t *c = f->p13[b];

		c[0] = 0x7f;
		c[1] = 0x7c;
		c[2] = 0x03;
		c[3] = 0xff;
		for (i = 4; i < 12; i += 2) {
			c[i] = 0xff;
			c[i + 1] = 0x1f;
		}
		c[14] = 0xff;
	}
}

static int fake_writes_at(const struct fake *f, uint8_t page, uint8_t off)
{
	int i, n = 0;

	for (i = 0; i < f->nlog; i++)
		n += f->log[i].page == page && f->log[i].off == off;
	return n;
}

/* ---- capabilities ---- */

static struct optic_diag_caps caps_with(unsigned int off, unsigned int bit)
{
	struct optic_diag_caps c = {};

	c.raw[off - 128] = 1u << bit;
	return c;
}

/* docs/diag.md, byte 128: bit 3 host input ... bit 0 media output */
static void test_loopback_caps(void **state)
{
	static const struct {
		enum optic_diag_loopback l;
		unsigned int bit, ctl;
		enum optic_diag_side side;
		const char *name;
	} rows[] = {
		{ OPTIC_LB_HOST_INPUT, 3, 183, OPTIC_DIAG_HOST, "host-input" },
		{ OPTIC_LB_HOST_OUTPUT, 2, 182, OPTIC_DIAG_HOST,
		  "host-output" },
		{ OPTIC_LB_MEDIA_INPUT, 1, 181, OPTIC_DIAG_MEDIA,
		  "media-input" },
		{ OPTIC_LB_MEDIA_OUTPUT, 0, 180, OPTIC_DIAG_MEDIA,
		  "media-output" },
	};
	size_t i;
	unsigned int j;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct optic_diag_caps c = caps_with(128, rows[i].bit);
		struct optic_diag_ctl ctl = {};
		enum optic_diag_loopback l;

		for (j = 0; j < OPTIC_LB_COUNT; j++)
			assert_int_equal(optic_diag_loopback_supported(&c, j),
					 j == rows[i].l);
		assert_int_equal(optic_diag_loopback_side(rows[i].l),
				 rows[i].side);
		assert_int_equal(optic_diag_loopback_parse(rows[i].name, &l),
				 0);
		assert_int_equal(l, rows[i].l);
		optic_diag_ctl_set_loopback(&ctl, l, 0x81, true);
		assert_int_equal(ctl.b[rows[i].ctl - 144], 0x81);
		assert_int_equal(optic_diag_ctl_loopback(&ctl, l), 0x81);
		optic_diag_ctl_set_loopback(&ctl, l, 0x01, false);
		assert_int_equal(ctl.b[rows[i].ctl - 144], 0x80);
		for (j = 0; j < OPTIC_DIAG_CTL_LEN; j++)
			if (j != rows[i].ctl - 144U)
				assert_int_equal(ctl.b[j], 0);
	}
	assert_int_equal(optic_diag_loopback_parse(
				 "host", &(enum optic_diag_loopback){ 0 }),
			 -EINVAL);
}

static void test_flags(void **state)
{
	static const struct {
		enum optic_diag_flag f;
		unsigned int off, bit;
	} rows[] = {
		{ OPTIC_DIAG_LB_PER_LANE_HOST, 128, 4 },
		{ OPTIC_DIAG_LB_PER_LANE_MEDIA, 128, 5 },
		{ OPTIC_DIAG_LB_SIMULTANEOUS, 128, 6 },
		{ OPTIC_DIAG_GATING_RESULTS, 129, 5 },
		{ OPTIC_DIAG_PERIODIC_UPDATES, 129, 4 },
		{ OPTIC_DIAG_PER_LANE_GATING, 129, 3 },
		{ OPTIC_DIAG_AUTO_RESTART, 129, 2 },
		{ OPTIC_DIAG_BER, 130, 0 },
		{ OPTIC_DIAG_COUNTING, 130, 1 },
		{ OPTIC_DIAG_SNR_HOST, 130, 4 },
		{ OPTIC_DIAG_SNR_MEDIA, 130, 5 },
		{ OPTIC_DIAG_FEC_HOST, 130, 6 },
		{ OPTIC_DIAG_FEC_MEDIA, 130, 7 },
	};
	size_t i;
	unsigned int j;

	assert_int_equal(ARRAY_SIZE(rows), OPTIC_DIAG_FLAGS);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct optic_diag_caps c = caps_with(rows[i].off, rows[i].bit);

		for (j = 0; j < OPTIC_DIAG_FLAGS; j++)
			assert_int_equal(optic_diag_flag(&c, j),
					 j == rows[i].f);
		assert_non_null(optic_diag_flag_name(rows[i].f)->key);
		assert_non_null(optic_diag_flag_group(rows[i].f));
	}
}

/* Byte 131 location bits and byte 142 per-lane bits of each engine */
static void test_engines(void **state)
{
	static const struct {
		enum optic_diag_side s;
		enum optic_diag_kind k;
		unsigned int pre, post, en, pat, patterns;
	} rows[] = {
		{ OPTIC_DIAG_HOST, OPTIC_DIAG_GENERATOR, 3, 2, 1, 0, 132 },
		{ OPTIC_DIAG_HOST, OPTIC_DIAG_CHECKER, 1, 0, 3, 2, 136 },
		{ OPTIC_DIAG_MEDIA, OPTIC_DIAG_GENERATOR, 7, 6, 5, 4, 134 },
		{ OPTIC_DIAG_MEDIA, OPTIC_DIAG_CHECKER, 5, 4, 7, 6, 138 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct optic_diag_caps c = caps_with(131, rows[i].pre);
		unsigned int s, k;

		for (s = 0; s < OPTIC_DIAG_SIDES; s++)
			for (k = 0; k < OPTIC_DIAG_KINDS; k++)
				assert_int_equal(optic_diag_engine(&c, s, k),
						 s == rows[i].s &&
							 k == rows[i].k);
		assert_true(optic_diag_attr(&c, rows[i].s, rows[i].k,
					    OPTIC_DIAG_PRE_FEC));
		c = caps_with(131, rows[i].post);
		assert_true(optic_diag_attr(&c, rows[i].s, rows[i].k,
					    OPTIC_DIAG_POST_FEC));
		assert_true(optic_diag_engine(&c, rows[i].s, rows[i].k));
		c = caps_with(142, rows[i].en);
		assert_true(optic_diag_attr(&c, rows[i].s, rows[i].k,
					    OPTIC_DIAG_PER_LANE_ENABLE));
		assert_false(optic_diag_attr(&c, rows[i].s, rows[i].k,
					     OPTIC_DIAG_PER_LANE_PATTERN));
		c = caps_with(142, rows[i].pat);
		assert_true(optic_diag_attr(&c, rows[i].s, rows[i].k,
					    OPTIC_DIAG_PER_LANE_PATTERN));
		/* little-endian: first byte IDs 0-7, second 8-15 */
		memset(&c, 0, sizeof(c));
		c.raw[rows[i].patterns - 128] = 0x01;
		c.raw[rows[i].patterns - 127] = 0x10;
		assert_int_equal(optic_diag_patterns(&c, rows[i].s, rows[i].k),
				 0x1001);
	}
}

static void test_gating(void **state)
{
	static const struct {
		uint8_t b129;
		const char *key;
	} rows[] = {
		{ 0x00, "none" },
		{ 0x7f, "2ms" },
		{ 0x80, "20ms" },
		{ 0xc0, "over_20ms" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct optic_diag_caps c = {};

		c.raw[1] = rows[i].b129;
		assert_string_equal(optic_diag_gating_name(&c)->key,
				    rows[i].key);
	}
	assert_true(optic_diag_advertised(0x20));
	assert_true(optic_diag_advertised(0xff));
	assert_false(optic_diag_advertised(0xdf));
}

static void test_patterns(void **state)
{
	static const struct {
		const char *s;
		int id;
	} rows[] = {
		{ "PRBS31Q", 0 },
		{ "prbs31", 1 },
		{ "PRBS-23Q", 2 },
		{ "prbs_23", 3 },
		{ "PRBS15Q", 4 },
		{ "PRBS15", 5 },
		{ "PRBS13Q", 6 },
		{ "PRBS13", 7 },
		{ "PRBS9Q", 8 },
		{ "PRBS9", 9 },
		{ "PRBS7Q", 10 },
		{ "prbs-7", 11 },
		{ "SSPRQ", 12 },
		{ "PRBS31QQ", -EINVAL },
		{ "", -EINVAL },
		{ "custom", -EINVAL },
		{ "PRBS31Q-------------------", -EINVAL },
		{ "PRBS", -EINVAL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		assert_int_equal(optic_diag_pattern_parse(rows[i].s),
				 rows[i].id);
	assert_string_equal(optic_diag_pattern_name(0), "PRBS31Q");
	assert_string_equal(optic_diag_pattern_name(12), "SSPRQ");
	assert_null(optic_diag_pattern_name(13));
	assert_null(optic_diag_pattern_name(15));
}

static void test_media_lanes(void **state)
{
	static const struct {
		unsigned int host;
		uint8_t counts;
		unsigned int media;
	} rows[] = {
		{ 8, 0x84, 4 }, { 8, 0x88, 8 }, { 8, 0x44, 8 },
		{ 8, 0x00, 8 }, { 8, 0x80, 8 }, { 16, 0x88, 16 },
		{ 8, 0x21, 4 }, { 4, 0x44, 4 }, { 32, 0x1f, 32 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		assert_int_equal(optic_diag_media_lanes(rows[i].host,
							rows[i].counts),
				 rows[i].media);
}

/* ---- controls ---- */

static void test_ctl_prbs(void **state)
{
	struct optic_diag_ctl ctl;

	memset(&ctl, 0xff, sizeof(ctl));
	ctl.b[144 - 144] = ctl.b[160 - 144] = 0;
	/* host lanes 1 and 3: PRBS31Q (0) */
	optic_diag_ctl_prbs(&ctl, OPTIC_DIAG_HOST, 0, 0x05);
	assert_int_equal(ctl.b[144 - 144], 0x05); /* generator enable */
	assert_int_equal(ctl.b[148 - 144], 0xf0); /* lane 1 bits 3-0 */
	assert_int_equal(ctl.b[149 - 144], 0xf0); /* lane 3 */
	assert_int_equal(ctl.b[150 - 144], 0xff);
	assert_int_equal(ctl.b[160 - 144], 0x05); /* checker enable */
	assert_int_equal(ctl.b[164 - 144], 0xf0);
	assert_int_equal(ctl.b[165 - 144], 0xf0);
	assert_int_equal(ctl.b[152 - 144], 0xff); /* media untouched */
	assert_int_equal(ctl.b[156 - 144], 0xff);
	assert_int_equal(optic_diag_ctl_pattern(&ctl, OPTIC_DIAG_HOST,
						OPTIC_DIAG_CHECKER, 2),
			 0);
	assert_int_equal(optic_diag_ctl_pattern(&ctl, OPTIC_DIAG_HOST,
						OPTIC_DIAG_CHECKER, 1),
			 0x0f);

	/* media lane 8: PRBS7 (11) in bits 7-4 of 159 and 175 */
	memset(&ctl, 0, sizeof(ctl));
	optic_diag_ctl_prbs(&ctl, OPTIC_DIAG_MEDIA, 11, 0x80);
	assert_int_equal(ctl.b[152 - 144], 0x80);
	assert_int_equal(ctl.b[168 - 144], 0x80);
	assert_int_equal(ctl.b[159 - 144], 0xb0);
	assert_int_equal(ctl.b[175 - 144], 0xb0);
	assert_int_equal(ctl.b[144 - 144] | ctl.b[160 - 144], 0);
	assert_int_equal(optic_diag_ctl_enabled(&ctl, OPTIC_DIAG_MEDIA,
						OPTIC_DIAG_GENERATOR),
			 0x80);
	assert_int_equal(optic_diag_ctl_pattern(&ctl, OPTIC_DIAG_MEDIA,
						OPTIC_DIAG_GENERATOR, 7),
			 11);
}

static void test_ctl_counting(void **state)
{
	static const struct {
		uint8_t b177;
		bool reset;
		uint8_t want;
	} rows[] = {
		{ 0xff, true, 0x71 },  { 0xff, false, 0x51 },
		{ 0x00, true, 0x20 },  { 0x00, false, 0x00 },
		{ 0x8e, false, 0x00 }, { 0x11, false, 0x11 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct optic_diag_ctl ctl = {};

		ctl.b[177 - 144] = rows[i].b177;
		assert_int_equal(optic_diag_ctl_counting(&ctl, rows[i].reset),
				 rows[i].want);
	}
}

/* ---- results ---- */

static void test_selectors(void **state)
{
	static const struct {
		enum optic_diag_side s;
		unsigned int lane;
		uint8_t sel;
	} rows[] = {
		{ OPTIC_DIAG_HOST, 0, 2 },  { OPTIC_DIAG_HOST, 3, 2 },
		{ OPTIC_DIAG_HOST, 4, 3 },  { OPTIC_DIAG_HOST, 7, 3 },
		{ OPTIC_DIAG_MEDIA, 0, 4 }, { OPTIC_DIAG_MEDIA, 3, 4 },
		{ OPTIC_DIAG_MEDIA, 4, 5 }, { OPTIC_DIAG_MEDIA, 7, 5 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		assert_int_equal(optic_diag_count_selector(rows[i].s,
							   rows[i].lane),
				 rows[i].sel);
}

static void test_windows(void **state)
{
	uint8_t w[64] = {};
	uint64_t e, b;

	/* lane 3 (slot 2) of its window: errors, then bits, little-endian */
	put_le64(&w[32], 0x0102030405060708ULL);
	put_le64(&w[40], 0x1122334455667788ULL);
	optic_diag_counts(w, 2, &e, &b);
	assert_true(e == 0x0102030405060708ULL);
	assert_true(b == 0x1122334455667788ULL);
	optic_diag_counts(w, 6, &e, &b); /* lane 7: slot 2 of 03h/05h */
	assert_true(e == 0x0102030405060708ULL);
	optic_diag_counts(w, 0, &e, &b);
	assert_true(e == 0 && b == 0);
	assert_int_equal(w[32], 0x08);

	/* F16, big-endian: 0x7801 = 1 * 10^(15 - 24) */
	memset(w, 0, sizeof(w));
	w[0] = 0x78, w[1] = 0x01; /* host lane 1 */
	w[16 + 14] = 0x88, w[16 + 15] = 0x19; /* media lane 8: 25e-7 */
	assert_true(fabs(optic_diag_window_ber(w, OPTIC_DIAG_HOST, 0) - 1e-9) <
		    1e-18);
	assert_true(fabs(optic_diag_window_ber(w, OPTIC_DIAG_MEDIA, 7) -
			 25e-7) < 1e-15);
	assert_true(optic_diag_window_ber(w, OPTIC_DIAG_MEDIA, 0) == 0);

	assert_true(isnan(optic_diag_ber(0, 0)));
}

static void test_snr_window(void **state)
{
	/* selector 06h: byte of the lane's U16 (little-endian, 1/256 dB) */
	static const struct {
		enum optic_diag_side s;
		unsigned int lane, at;
		uint8_t lo, hi;
		double db; /* NaN: none */
	} rows[] = {
		{ OPTIC_DIAG_HOST, 0, 208, 0x01, 0x15, 5377 / 256.0 },
		{ OPTIC_DIAG_HOST, 7, 222, 0x00, 0x1e, 30.0 },
		{ OPTIC_DIAG_MEDIA, 0, 240, 0x80, 0x0c, 12.5 },
		{ OPTIC_DIAG_MEDIA, 7, 254, 0xff, 0xff, 65535 / 256.0 },
		{ OPTIC_DIAG_MEDIA, 3, 246, 0x01, 0x00, 1 / 256.0 },
		{ OPTIC_DIAG_HOST, 2, 212, 0x00, 0x00, NAN },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		uint8_t w[64];
		double v;

		/* every other byte 0xaa: a read off by one shows */
		memset(w, 0xaa, sizeof(w));
		w[rows[i].at - 192] = rows[i].lo;
		w[rows[i].at - 192 + 1] = rows[i].hi;
		v = optic_diag_window_snr(w, rows[i].s, rows[i].lane);
		if (isnan(rows[i].db))
			assert_true(isnan(v));
		else
			assert_true(fabs(v - rows[i].db) < 1e-12);
	}
	assert_true(isnan(optic_diag_ber(10, 5)));
	assert_true(optic_diag_ber(0, 100) == 0);
	assert_true(fabs(optic_diag_ber(5, 1000) - 0.005) < 1e-12);
}

/* ---- refusals ---- */

static void test_check_loopback(void **state)
{
	static const struct {
		uint8_t b128;
		enum optic_diag_loopback l;
		uint32_t lanes;
		unsigned int nlanes;
		bool on;
		uint32_t other;
		int ret;
		const char *why;
	} rows[] = {
		{ 0x7f, OPTIC_LB_HOST_INPUT, 0xff, 8, true, 0, 0, NULL },
		{ 0x7f, OPTIC_LB_HOST_INPUT, 0x01, 8, true, 0xff, 0, NULL },
		{ 0x77, OPTIC_LB_HOST_INPUT, 0x01, 8, true, 0, -EOPNOTSUPP,
		  "byte 128 bit 3" },
		{ 0x7e, OPTIC_LB_MEDIA_OUTPUT, 0x01, 8, true, 0, -EOPNOTSUPP,
		  "byte 128 bit 0" },
		{ 0x6f, OPTIC_LB_HOST_OUTPUT, 0x01, 8, false, 0, -EOPNOTSUPP,
		  "bit 4 clear" },
		{ 0x6f, OPTIC_LB_HOST_OUTPUT, 0xff, 8, false, 0, 0, NULL },
		{ 0x5f, OPTIC_LB_MEDIA_INPUT, 0x0f, 4, true, 0, 0, NULL },
		{ 0x5f, OPTIC_LB_MEDIA_INPUT, 0x03, 4, true, 0, -EOPNOTSUPP,
		  "bit 5 clear" },
		{ 0x3f, OPTIC_LB_HOST_INPUT, 0x01, 8, true, 0x01, -EOPNOTSUPP,
		  "a media-side loopback is on" },
		{ 0x3f, OPTIC_LB_MEDIA_INPUT, 0x01, 8, true, 0x01, -EOPNOTSUPP,
		  "a host-side loopback is on" },
		{ 0x3f, OPTIC_LB_MEDIA_INPUT, 0x01, 8, false, 0x01, 0, NULL },
		{ 0x7f, OPTIC_LB_HOST_INPUT, 0x100, 8, true, 0, -ERANGE,
		  "outside" },
		{ 0x7f, OPTIC_LB_HOST_INPUT, 0, 8, true, 0, -EINVAL,
		  "no lanes" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct optic_diag_caps c = {};
		const char *why = NULL;

		c.raw[0] = rows[i].b128;
		assert_int_equal(
			optic_diag_check_loopback(&c, rows[i].l, rows[i].lanes,
						  rows[i].nlanes, rows[i].on,
						  rows[i].other, &why),
			rows[i].ret);
		if (rows[i].why)
			assert_non_null(strstr(why, rows[i].why));
	}
}

static void test_check_prbs(void **state)
{
	static const struct {
		unsigned int off;
		uint8_t clear; /* bits cleared from the full fake */
		enum optic_diag_side s;
		unsigned int pattern;
		uint32_t lanes;
		int ret;
		const char *why;
	} rows[] = {
		{ 131, 0x00, OPTIC_DIAG_HOST, 0, 0xff, 0, NULL },
		{ 131, 0x00, OPTIC_DIAG_MEDIA, 12, 0x01, 0, NULL },
		{ 131, 0x0c, OPTIC_DIAG_HOST, 0, 0xff, -EOPNOTSUPP,
		  "no host-side pattern generator" },
		{ 131, 0x30, OPTIC_DIAG_MEDIA, 0, 0xff, -EOPNOTSUPP,
		  "no media-side pattern checker" },
		{ 131, 0x04, OPTIC_DIAG_HOST, 0, 0xff, 0,
		  NULL }, /* pre-FEC only */
		{ 132, 0x01, OPTIC_DIAG_HOST, 0, 0xff, -EOPNOTSUPP,
		  "bytes 132-139" },
		{ 138, 0x02, OPTIC_DIAG_MEDIA, 1, 0xff, -EOPNOTSUPP,
		  "bytes 132-139" },
		{ 138, 0x02, OPTIC_DIAG_HOST, 1, 0xff, 0, NULL },
		{ 142, 0x02, OPTIC_DIAG_HOST, 0, 0x01, -EOPNOTSUPP,
		  "host-side generator enables all lanes" },
		{ 142, 0x80, OPTIC_DIAG_MEDIA, 0, 0x01, -EOPNOTSUPP,
		  "media-side checker enables all lanes" },
		{ 142, 0x80, OPTIC_DIAG_MEDIA, 0, 0xff, 0, NULL },
		{ 130, 0x03, OPTIC_DIAG_HOST, 0, 0xff, -EOPNOTSUPP,
		  "byte 130" },
		{ 130, 0x02, OPTIC_DIAG_HOST, 0, 0xff, 0, NULL },
		{ 131, 0x00, OPTIC_DIAG_HOST, 13, 0xff, -EINVAL, "pattern" },
		{ 131, 0x00, OPTIC_DIAG_HOST, 0, 0x100, -ERANGE, "outside" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct optic_diag_caps c;
		const char *why = NULL;
		struct fake f;

		fake_full(&f);
		memcpy(c.raw, f.p13[0], sizeof(c.raw));
		c.raw[rows[i].off - 128] &= ~rows[i].clear;
		assert_int_equal(optic_diag_check_prbs(&c, rows[i].s,
						       rows[i].pattern,
						       rows[i].lanes, 8, &why),
				 rows[i].ret);
		if (rows[i].why)
			assert_non_null(strstr(why, rows[i].why));
	}
}

/* ---- sequences ---- */

static void test_loopback_sequence(void **state)
{
	struct fake f;
	struct optic_diag_io io;

	fake_full(&f);
	io = fake_io(&f);
	f.p13[0][183 - 128] = 0x40; /* host input on lane 7 already */
	assert_int_equal(optic_diag_loopback_set(&io, OPTIC_LB_MEDIA_OUTPUT,
						 0x0f, true),
			 0);
	assert_int_equal(f.p13[0][180 - 128], 0x0f);
	assert_int_equal(f.p13[0][183 - 128], 0x40);
	assert_int_equal(f.nlog, 1); /* one 8-byte write: 176-183 */
	assert_int_equal(f.log[0].off, 176);
	assert_int_equal(f.log[0].len, 8);
	assert_int_equal(optic_diag_loopback_set(&io, OPTIC_LB_MEDIA_OUTPUT,
						 0x03, false),
			 0);
	assert_int_equal(f.p13[0][180 - 128], 0x0c);
	/* lanes 9-10: bank 1 only */
	f.nlog = 0;
	assert_int_equal(optic_diag_loopback_set(&io, OPTIC_LB_HOST_INPUT,
						 0x300, true),
			 0);
	assert_int_equal(f.p13[1][183 - 128], 0x03);
	assert_int_equal(f.nlog, 1);
	assert_int_equal(f.log[0].bank, 1);
	/* nothing to change: nothing written */
	f.nlog = 0;
	assert_int_equal(optic_diag_loopback_set(&io, OPTIC_LB_HOST_INPUT,
						 0x300, true),
			 0);
	assert_int_equal(f.nlog, 0);
}

static void test_prbs_sequence(void **state)
{
	struct optic_diag_lane res[16];
	struct optic_diag_saved sv;
	uint8_t before13[4][128], before14[4][128];
	struct optic_diag_caps c;
	struct optic_diag_io io;
	struct fake f;
	int i, n;

	fake_full(&f);
	io = fake_io(&f);
	memcpy(c.raw, f.p13[0], sizeof(c.raw));
	/* the module's own state: media loopback on, a selector, 177 gated */
	f.p13[0][180 - 128] = 0x01;
	f.p13[0][177 - 128] = 0x9a;
	f.p13[0][148 - 128] = 0x55;
	f.p14[0][0] = 0x06;
	f.lol[OPTIC_DIAG_HOST][0] = 0xff; /* stale */
	memcpy(before13, f.p13, sizeof(before13));
	memcpy(before14, f.p14, sizeof(before14));

	/* host lanes 2, 5 and 6 */
	assert_int_equal(optic_diag_save(&io, 0x32, &sv), 0);
	assert_int_equal(sv.banks, 1);
	assert_int_equal(sv.selector[0], 0x06);
	assert_int_equal(
		optic_diag_prbs_start(&io, &sv, OPTIC_DIAG_HOST, 0, 0x32), 0);
	assert_int_equal(f.p13[0][144 - 128], 0x32);
	assert_int_equal(f.p13[0][160 - 128], 0x32);
	assert_int_equal(f.p13[0][148 - 128], 0x05); /* lane 2 -> 0 */
	assert_int_equal(f.p13[0][150 - 128], 0x00); /* lanes 5, 6 */
	assert_int_equal(f.p13[0][164 - 128], 0x00);
	assert_int_equal(f.p13[0][152 - 128], 0); /* media untouched */
	assert_int_equal(f.p13[0][180 - 128], 0x01);
	/* 177: reset pulse, per-lane start/stop, ungated */
	assert_int_equal(fake_writes_at(&f, 0x13, 177), 2);
	assert_int_equal(f.p13[0][177 - 128], 0x10);
	assert_int_equal(f.lol[OPTIC_DIAG_HOST][0], 0);
	for (i = 0; i < f.nlog; i++)
		if (f.log[i].off == 177) {
			assert_int_equal(f.log[i].first, 0x30);
			break;
		}

	/* the run: lane 6 loses lock, counts per lane */
	f.lol[OPTIC_DIAG_HOST][0] = 0x20;
	f.lane[OPTIC_DIAG_HOST][1] = (typeof(f.lane[0][0])){ 3, 1000000000, 0, 0 };
	f.lane[OPTIC_DIAG_HOST][4] = (typeof(f.lane[0][0])){ 0, 2000000000, 0, 0 };
	f.lane[OPTIC_DIAG_HOST][5] = (typeof(f.lane[0][0])){ 7, 0, 0, 0 };
	f.lane[OPTIC_DIAG_MEDIA][1] = (typeof(f.lane[0][0])){ 99, 99, 0, 0 };
	f.slept = 0;
	n = optic_diag_prbs_results(&io, &c, OPTIC_DIAG_HOST, 0x32, res, 16);
	assert_int_equal(n, 3);
	assert_int_equal(f.slept, 2 * OPTIC_DIAG_TDDCS_MS); /* 02h and 03h */
	assert_int_equal(res[0].lane, 2);
	assert_true(res[0].counted);
	assert_true(res[0].errors == 3 && res[0].bits == 1000000000);
	assert_true(fabs(res[0].ber - 3e-9) < 1e-18);
	assert_false(res[0].lock_lost);
	assert_int_equal(res[1].lane, 5);
	assert_true(res[1].ber == 0);
	assert_int_equal(res[2].lane, 6);
	assert_true(res[2].lock_lost);
	assert_true(isnan(res[2].ber)); /* no bit compared */
	assert_true(isnan(res[0].snr_db)); /* 130 bits 5-4 clear */

	assert_int_equal(optic_diag_prbs_running(&io, OPTIC_DIAG_HOST, 0x32),
			 1);
	assert_int_equal(optic_diag_prbs_running(&io, OPTIC_DIAG_MEDIA, 0x32),
			 0);
	f.p13[0][160 - 128] = 0x30; /* a checker stopped behind our back */
	assert_int_equal(optic_diag_prbs_running(&io, OPTIC_DIAG_HOST, 0x32),
			 0);
	f.p13[0][160 - 128] = 0x32;

	assert_int_equal(optic_diag_restore(&io, &sv), 0);
	assert_int_equal(optic_diag_prbs_running(&io, OPTIC_DIAG_HOST, 0x32),
			 0);
	assert_memory_equal(f.p13, before13, sizeof(before13));
	assert_memory_equal(f.p14, before14, sizeof(before14));
}

/* A module without counting: selector 01h and its F16 BERs */
static void test_prbs_ber_only(void **state)
{
	struct optic_diag_lane res[8];
	struct optic_diag_caps c;
	struct optic_diag_saved sv;
	struct optic_diag_io io;
	struct fake f;

	fake_full(&f);
	io = fake_io(&f);
	f.p13[0][130 - 128] = 0x01;
	memcpy(c.raw, f.p13[0], sizeof(c.raw));
	f.lane[OPTIC_DIAG_MEDIA][8].ber = 0x7801; /* media lane 9: 1e-9 */
	f.lane[OPTIC_DIAG_MEDIA][9].errors = 5; /* not shown without counting */
	assert_int_equal(optic_diag_save(&io, 0x300, &sv), 0);
	assert_int_equal(sv.banks, 2);
	assert_int_equal(
		optic_diag_prbs_start(&io, &sv, OPTIC_DIAG_MEDIA, 2, 0x300), 0);
	assert_int_equal(f.p13[1][152 - 128], 0x03);
	assert_int_equal(f.p13[1][156 - 128], 0x22);
	assert_int_equal(f.p13[0][152 - 128], 0x00);
	assert_int_equal(optic_diag_prbs_running(&io, OPTIC_DIAG_MEDIA, 0x300),
			 1);
	assert_int_equal(optic_diag_prbs_running(&io, OPTIC_DIAG_MEDIA, 0x301),
			 0);
	assert_int_equal(optic_diag_prbs_results(&io, &c, OPTIC_DIAG_MEDIA,
						 0x300, res, 8),
			 2);
	assert_int_equal(f.p14[1][0], 0x01);
	assert_int_equal(res[0].lane, 9);
	assert_false(res[0].counted);
	assert_true(fabs(res[0].ber - 1e-9) < 1e-18);
	assert_int_equal(res[1].lane, 10);
	assert_true(res[1].ber == 0 && res[1].errors == 0);
}

/* SNR on the advertised side only (13h:130 bit 4 host, 5 media) */
static void test_prbs_snr(void **state)
{
	static const struct {
		uint8_t cap130;
		enum optic_diag_side s;
		uint32_t lanes;
		unsigned int sleeps; /* tDDCS: a count selector, 06h, per bank */
		double db[2]; /* the two lanes; NaN: none */
	} rows[] = {
		{ 0x13, OPTIC_DIAG_HOST, 0x201, 4, { 21.0, 30.0 } },
		{ 0x13, OPTIC_DIAG_MEDIA, 0x201, 2, { NAN, NAN } },
		{ 0x23, OPTIC_DIAG_MEDIA, 0x201, 4, { 12.5, NAN } },
		{ 0x23, OPTIC_DIAG_HOST, 0x201, 2, { NAN, NAN } },
		{ 0x33, OPTIC_DIAG_MEDIA, 0x3, 2, { 12.5, 25.0 } },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct optic_diag_lane res[8];
		struct optic_diag_caps c;
		struct optic_diag_io io;
		struct fake f;
		unsigned int k;

		fake_full(&f);
		io = fake_io(&f);
		f.p13[0][130 - 128] = rows[i].cap130;
		memcpy(c.raw, f.p13[0], sizeof(c.raw));
		f.lane[OPTIC_DIAG_HOST][0].snr = 21 * 256;
		f.lane[OPTIC_DIAG_HOST][9].snr = 30 * 256;
		f.lane[OPTIC_DIAG_MEDIA][0].snr = 12 * 256 + 128;
		f.lane[OPTIC_DIAG_MEDIA][1].snr = 25 * 256;
		/* media lane 10 reports none (0) */
		assert_int_equal(optic_diag_prbs_results(&io, &c, rows[i].s,
							 rows[i].lanes, res, 8),
				 2);
		assert_int_equal(f.slept, rows[i].sleeps * OPTIC_DIAG_TDDCS_MS);
		for (k = 0; k < 2; k++) {
			if (isnan(rows[i].db[k]))
				assert_true(isnan(res[k].snr_db));
			else
				assert_true(fabs(res[k].snr_db -
						 rows[i].db[k]) < 1e-12);
		}
	}
}

/* A module pulled mid-run: every step fails at once, nothing hangs */
static void test_pulled(void **state)
{
	static const int fail_at[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fail_at); i++) {
		struct optic_diag_lane res[8];
		struct optic_diag_saved sv;
		struct optic_diag_caps c;
		struct optic_diag_io io;
		struct fake f;
		int r;

		fake_full(&f);
		io = fake_io(&f);
		memcpy(c.raw, f.p13[0], sizeof(c.raw));
		assert_int_equal(optic_diag_save(&io, 0xff, &sv), 0);
		f.fail_from = fail_at[i];
		r = optic_diag_prbs_start(&io, &sv, OPTIC_DIAG_HOST, 0, 0xff);
		if (r == 0)
			r = optic_diag_prbs_results(&io, &c, OPTIC_DIAG_HOST,
						    0xff, res, 8);
		assert_int_equal(r, -ENODEV);
		assert_int_equal(optic_diag_restore(&io, &sv), -ENODEV);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loopback_caps),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_engines),
		cmocka_unit_test(test_gating),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_media_lanes),
		cmocka_unit_test(test_ctl_prbs),
		cmocka_unit_test(test_ctl_counting),
		cmocka_unit_test(test_selectors),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_snr_window),
		cmocka_unit_test(test_check_loopback),
		cmocka_unit_test(test_check_prbs),
		cmocka_unit_test(test_loopback_sequence),
		cmocka_unit_test(test_prbs_sequence),
		cmocka_unit_test(test_prbs_ber_only),
		cmocka_unit_test(test_prbs_snr),
		cmocka_unit_test(test_pulled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
