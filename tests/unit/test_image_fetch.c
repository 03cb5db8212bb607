// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * optic_image_fetch() and optic_image_fetch_all(): which pages are read,
 * from the CMIS page 01h advertisement (5.2 section 8.4: byte 142 bits 1-0
 * banks, bit 2 page 03h, bit 5 pages 13h-14h, bit 6 VDM; byte 155 bit 6
 * tunable transmitter, pages 04h and 12h) and page 2Fh byte 128 (VDM groups).
 */
#include "vectors.h"

#define MAX_READS 128

struct reader {
	const struct optic_image *src;
	struct {
		uint8_t page, bank;
	} rd[MAX_READS];
	size_t n;
};

/* Serves the source image; a half it lacks reads as unsupported. */
static int rd_img(void *ctx, uint8_t addr, uint8_t page, uint8_t bank,
		  uint16_t off, uint16_t len, uint8_t *buf)
{
	struct reader *r = ctx;

	if (off >= 128 && r->n < MAX_READS) {
		r->rd[r->n].page = page;
		r->rd[r->n].bank = bank;
		r->n++;
	}
	if (optic_image_get(r->src, addr, page, bank, off, buf, len) < 0)
		return -EOPNOTSUPP;
	return len;
}

static bool was_read(const struct reader *r, uint8_t page, uint8_t bank)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->rd[i].page == page && r->rd[i].bank == bank)
			return true;
	return false;
}

/* Every optional page present, two banks, two VDM groups. */
static void full(struct optic_image *img)
{
	static const uint8_t pages[] = { 0x03, 0x04, 0x2f };
	static const uint8_t banked[] = { 0x10, 0x11, 0x12, 0x13, 0x14,
					  0x20, 0x21, 0x24, 0x25, 0x28,
					  0x29, 0x2c, 0x2d, 0x2f };
	uint8_t z[128] = { 0 };
	size_t i, b;

	cmis_400g_dr4(img);
	for (i = 0; i < ARRAY_SIZE(pages); i++)
		put(img, OPTIC_ADDR_A0, pages[i], 128, z, 128);
	for (b = 0; b < 2; b++)
		for (i = 0; i < ARRAY_SIZE(banked); i++)
			assert_int_equal(optic_image_set(img, OPTIC_ADDR_A0,
							 banked[i], b, 128, z,
							 128),
					 0);
	/* 01h:142 = VDM | diag | page 03h | banks 0-1; 155 bit 6 tunable */
	put8(img, 0x01, 142, 0x40 | 0x20 | 0x04 | 0x01);
	put8(img, 0x01, 155, 0x40);
	/* two VDM groups, in each bank (2Fh is banked too) */
	put_bank(img, 0x2f, 0, 128, 0x01);
	put_bank(img, 0x2f, 1, 128, 0x01);
}

static void test_decoder_pages(void **state)
{
	struct optic_image src, img;
	struct reader r = { .src = &src };

	(void)state;
	optic_image_init(&src);
	optic_image_init(&img);
	full(&src);
	assert_int_equal(optic_image_fetch(&img, rd_img, &r), 0);
	assert_true(was_read(&r, 0x01, 0));
	assert_true(was_read(&r, 0x02, 0));
	assert_true(was_read(&r, 0x10, 1));
	assert_true(was_read(&r, 0x11, 1));
	/* VDM of every bank for the decoders: 2Fh, groups 1-2 */
	assert_true(was_read(&r, 0x2f, 0));
	assert_true(was_read(&r, 0x20, 0));
	assert_true(was_read(&r, 0x21, 0));
	assert_true(was_read(&r, 0x25, 0));
	assert_true(was_read(&r, 0x29, 0));
	assert_false(was_read(&r, 0x22, 0)); /* group 3 not advertised */
	assert_true(was_read(&r, 0x2f, 1));
	assert_true(was_read(&r, 0x20, 1)); /* lanes 9-16 */
	assert_false(was_read(&r, 0x2c, 0)); /* flags: clear on read */
	/* not decoded: not read */
	assert_false(was_read(&r, 0x03, 0));
	assert_false(was_read(&r, 0x04, 0));
	assert_false(was_read(&r, 0x12, 0));
	assert_false(was_read(&r, 0x13, 0));
	optic_image_clear(&img);
	optic_image_clear(&src);
}

static void test_all_pages(void **state)
{
	static const uint8_t banked[] = { 0x10, 0x11, 0x12, 0x13, 0x14,
					  0x20, 0x21, 0x24, 0x25, 0x28,
					  0x29, 0x2c, 0x2d, 0x2f };
	struct optic_image src, img;
	struct reader r = { .src = &src };
	size_t i, b;

	(void)state;
	optic_image_init(&src);
	optic_image_init(&img);
	full(&src);
	assert_int_equal(optic_image_fetch_all(&img, rd_img, &r), 0);
	assert_true(was_read(&r, 0x03, 0));
	assert_true(was_read(&r, 0x04, 0));
	for (b = 0; b < 2; b++)
		for (i = 0; i < ARRAY_SIZE(banked); i++)
			if (!was_read(&r, banked[i], b))
				fail_msg("page %02xh bank %zu not read",
					 banked[i], b);
	assert_false(was_read(&r, 0x22, 0));
	assert_false(was_read(&r, 0x10, 2));
	/* the dump holds what was read */
	assert_non_null(optic_image_half(&img, 0, 0x14, 1, true));
	optic_image_clear(&img);
	optic_image_clear(&src);
}

/* Nothing optional advertised: the decoder set only, even for _all. */
static void test_none_advertised(void **state)
{
	struct optic_image src, img;
	struct reader r = { .src = &src };

	(void)state;
	optic_image_init(&src);
	optic_image_init(&img);
	full(&src);
	put8(&src, 0x01, 142, 0x00);
	put8(&src, 0x01, 155, 0x00);
	assert_int_equal(optic_image_fetch_all(&img, rd_img, &r), 0);
	assert_true(was_read(&r, 0x11, 0));
	assert_false(was_read(&r, 0x11, 1));
	assert_false(was_read(&r, 0x03, 0));
	assert_false(was_read(&r, 0x04, 0));
	assert_false(was_read(&r, 0x12, 0));
	assert_false(was_read(&r, 0x13, 0));
	assert_false(was_read(&r, 0x2f, 0));
	optic_image_clear(&img);
	optic_image_clear(&src);
}

/* An advertised page the module rejects is skipped, not an error. */
static void test_unsupported_skipped(void **state)
{
	struct optic_image src, img;
	struct reader r = { .src = &src };

	(void)state;
	optic_image_init(&src);
	optic_image_init(&img);
	cmis_400g_dr4(&src);
	put8(&src, 0x01, 142, 0x40 | 0x20 | 0x04);
	put8(&src, 0x01, 155, 0x40);
	assert_int_equal(optic_image_fetch_all(&img, rd_img, &r), 0);
	assert_true(was_read(&r, 0x2f, 0));
	assert_null(optic_image_half(&img, 0, 0x2f, 0, true));
	optic_image_clear(&img);
	optic_image_clear(&src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decoder_pages),
		cmocka_unit_test(test_all_pages),
		cmocka_unit_test(test_none_advertised),
		cmocka_unit_test(test_unsupported_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
