// SPDX-License-Identifier: GPL-2.0-or-later
/* The text dump format: write, parse back, reject bad lines. */
#include <stdio.h>

#include "vectors.h"

static void test_roundtrip(void **state)
{
	struct optic_image a, b;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;

	optic_image_init(&a);
	optic_image_init(&b);
	cmis_400g_dr4(&a);
	put_bank(&a, 0x11, 1, 200, 0x5a); /* a banked page too */
	put16(&a, OPTIC_ADDR_A2, 0, 96, 0x1234); /* and an A2h fragment */
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(optic_dump_write(f, &a), 0);
	fclose(f);
	if (getenv("OPTIC_TEST_DUMP"))
		fputs(text, stdout);
	assert_non_null(strstr(text, "page 00\n00: 18 50 00 06"));
	assert_non_null(strstr(text, "page 11 bank 1\n"));
	assert_non_null(strstr(text, "page 00 i2c 51\n"));
	assert_int_equal(optic_dump_parse(text, len, &b, NULL), 0);
	for (i = 0; i < 256; i++) {
		static const uint8_t pages[] = { 0, 1, 2, 0x10, 0x11 };

		for (size_t p = 0; p < sizeof(pages); p++) {
			if (pages[p] && i < 128)
				continue;
			assert_int_equal(
				optic_image_byte(&a, 0, pages[p], 0, i),
				optic_image_byte(&b, 0, pages[p], 0, i));
		}
	}
	assert_int_equal(optic_image_byte(&b, 0, 0x11, 1, 200), 0x5a);
	assert_int_equal(optic_image_byte(&b, 0, 0x11, 1, 201), -ENODATA);
	assert_int_equal(optic_image_byte(&b, OPTIC_ADDR_A2, 0, 0, 97), 0x34);
	free(text);
	optic_image_clear(&a);
	optic_image_clear(&b);
	(void)state;
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		int err;
		unsigned int line;
	} bad[] = {
		{ "00: 18\n", -EINVAL, 1 }, /* no section */
		{ "page 00\nzz: 18\n", -EINVAL, 2 },
		{ "page 00\n00 18\n", -EINVAL, 2 }, /* no colon */
		{ "page 00\nf8: 00 01 02 03 04 05 06 07 08\n", -ERANGE, 2 },
		{ "page 00\n00: 100\n", -ERANGE, 2 },
		{ "page 00\n00: 0 1 2 3 4 5 6 7 8 9 a b c d e f 10\n", -E2BIG,
		  2 },
		{ "page 100\n", -ERANGE, 1 },
		{ "page 00 bank x\n", -EINVAL, 1 },
		{ "page 00 i2c 52\n", -EINVAL, 1 },
		{ "page 00 frob\n", -EINVAL, 1 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct optic_image img;
		unsigned int line = 0;

		optic_image_init(&img);
		int r = optic_dump_parse(bad[i].text, strlen(bad[i].text), &img,
					 &line);

		if (r != bad[i].err)
			fail_msg("case %zu: %d", i, r);
		if (line != bad[i].line)
			fail_msg("case %zu: line %u", i, line);
		optic_image_clear(&img);
	}
	(void)state;
}

static void test_parse_lenient(void **state)
{
	static const char text[] =
		"# comment\n\n  page 0x11 bank 0 # trailing\n"
		"0x80: 44 44\r\n90: ab # note\n";
	struct optic_image img;

	optic_image_init(&img);
	assert_int_equal(optic_dump_parse(text, sizeof(text) - 1, &img, NULL),
			 0);
	assert_int_equal(optic_image_byte(&img, 0, 0x11, 0, 128), 0x44);
	assert_int_equal(optic_image_byte(&img, 0, 0x11, 0, 144), 0xab);
	assert_int_equal(optic_image_byte(&img, 0, 0x11, 0, 130), -ENODATA);
	optic_image_clear(&img);
	(void)state;
}

static void test_image_bounds(void **state)
{
	struct optic_image img;
	uint8_t b[4];

	optic_image_init(&img);
	assert_int_equal(optic_image_set(&img, 0, 0, 0, 254, b, 4), -EINVAL);
	assert_int_equal(optic_image_set(&img, 0, 0, 0, 256, b, 1), -EINVAL);
	assert_int_equal(optic_image_get(&img, 0, 0, 0, 255, b, 2), -EINVAL);
	assert_int_equal(optic_image_set(&img, 0, 3, 0, 126, b, 4), 0);
	/* the lower half is shared by every page */
	assert_int_equal(optic_image_get(&img, 0, 0, 0, 126, b, 2), 0);
	assert_int_equal(optic_image_get(&img, 0, 3, 0, 126, b, 4), 0);
	assert_int_equal(optic_image_get(&img, 0, 0, 0, 126, b, 4), -ENODATA);
	optic_image_clear(&img);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_lenient),
		cmocka_unit_test(test_image_bounds),
	};

	return cmocka_run_group_tests_name("dump", tests, NULL, NULL);
}
