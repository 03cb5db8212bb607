// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * optic_image_load(): the dumps operators already have. Each recorded image
 * of tests/unit/data is written out here in optoe's flat layout (the oracle
 * below, independent of lib/load.c) as `ethtool -m hex on` text, `hexdump
 * -C` text and raw bytes; loading any of them must decode exactly as the
 * image itself. Truncated and malformed inputs fail naming line or offset.
 */
#include <stdio.h>

#include "vectors.h"

/* Flat layout: where the bank-0 upper half of (addr, page) lives. */
static long oracle_pos(bool sff8472, uint8_t addr, uint8_t page)
{
	if (sff8472)
		return addr == OPTIC_ADDR_A2 ? 384 + 128 * page :
		       page		     ? -1 :
					       128;
	return addr == OPTIC_ADDR_A2 ? -1 : 128 + 128 * page;
}

/* The image's bank-0 halves as a flat byte array; returns its length. */
static size_t to_flat(const struct optic_image *img, uint8_t *flat, size_t size)
{
	bool sff8472 = optic_image_byte(img, 0, 0, 0, 0) == 0x03;
	size_t i, len = 0;

	memset(flat, 0, size);
	for (i = 0; i < img->n; i++) {
		const struct optic_half *h = &img->h[i];
		long pos = h->upper ? oracle_pos(sff8472, h->addr, h->page) :
			   h->addr == OPTIC_ADDR_A2 ? 256 :
						      0;

		if (h->bank || pos < 0)
			continue;
		assert_true((size_t)pos + 128 <= size);
		memcpy(flat + pos, h->data, 128);
		len = MAX(len, (size_t)pos + 128);
	}
	return len;
}

/* ethtool's (@rows false) or rows without offsets ("rc = 0 | 03 04 ..."). */
static char *ethtool_hex(const uint8_t *b, size_t len, bool rows)
{
	char *text = NULL;
	size_t n = 0, i;
	FILE *f = open_memstream(&text, &n);

	assert_non_null(f);
	if (!rows)
		fprintf(f, "root@switch:~# ethtool -m swp1 hex on\n"
			   "Offset\t\tValues\n------\t\t------");
	for (i = 0; i < len; i++) {
		if (i % 16 == 0 && rows)
			fprintf(f, "\nrc = 0 |");
		else if (i % 16 == 0)
			fprintf(f, "\n0x%04zx:\t\t", i);
		fprintf(f, rows ? " %02x" : "%02x ", b[i]);
	}
	fprintf(f, "\n");
	fclose(f);
	return text;
}

/* hexdump -C, with its '*' for repeated lines and the closing length. */
static char *hexdump_c(const uint8_t *b, size_t len)
{
	char *text = NULL;
	size_t n = 0, i, j;
	bool starred = false;
	FILE *f = open_memstream(&text, &n);

	assert_non_null(f);
	for (i = 0; i < len; i += 16) {
		if (i && !memcmp(b + i, b + i - 16, 16)) {
			if (!starred)
				fprintf(f, "*\n");
			starred = true;
			continue;
		}
		starred = false;
		fprintf(f, "%08zx ", i);
		for (j = 0; j < 16; j++)
			fprintf(f, "%s %02x", j == 8 ? " " : "", b[i + j]);
		fprintf(f, "  |");
		for (j = 0; j < 16; j++)
			fputc(b[i + j] >= 0x20 && b[i + j] < 0x7f ? b[i + j] :
								    '.',
			      f);
		fprintf(f, "|\n");
	}
	fprintf(f, "%08zx\n", len);
	fclose(f);
	return text;
}

static void load_dump_file(const char *name, struct optic_image *img)
{
	char path[512], *text = NULL;
	size_t n = 0;
	FILE *f, *mem;
	int c;

	snprintf(path, sizeof(path), "%s/%s.dump",
		 getenv("OPTIC_TEST_DATA") ?: "tests/unit/data", name);
	f = fopen(path, "re");
	if (!f)
		fail_msg("%s: cannot open (run from the repository root)",
			 path);
	mem = open_memstream(&text, &n);
	while ((c = fgetc(f)) != EOF)
		fputc(c, mem);
	fclose(f);
	fclose(mem);
	optic_image_init(img);
	assert_int_equal(optic_dump_parse(text, n, img, NULL), 0);
	free(text);
}

/* Every decoded value of @a is in @b, equal. */
static void assert_same_model(const struct optic_image *a,
			      const struct optic_image *b)
{
	struct optic_model ma, mb;
	size_t i;

	assert_int_equal(optic_decode(a, &ma), 0);
	assert_int_equal(optic_decode(b, &mb), 0);
	assert_int_equal(ma.n, mb.n);
	assert_int_equal(ma.lanes, mb.lanes);
	for (i = 0; i < ma.n; i++) {
		assert_ptr_equal(ma.v[i].f, mb.v[i].f);
		assert_int_equal(ma.v[i].index, mb.v[i].index);
		assert_int_equal(ma.v[i].raw, mb.v[i].raw);
		assert_string_equal(optic_value_str(&ma, &ma.v[i]),
				    optic_value_str(&mb, &mb.v[i]));
	}
	assert_int_equal(ma.nvdm, mb.nvdm);
	optic_model_free(&ma);
	optic_model_free(&mb);
}

static const char *const images[] = {
	"cmis-osfp-800g-2xdr4",	 "cmis-qsfpdd-400g-dr4",
	"cmis-osfp-800g-biasx4", "sff8636-qsfp28-100g-cwdm4",
	"sff8472-sfp-10g-sr",
};

enum form { FORM_ETHTOOL, FORM_HEXDUMP, FORM_ROWS, FORM_RAW };

static void load_form(const uint8_t *flat, size_t len, enum form form,
		      struct optic_image *out)
{
	struct optic_load_info info;
	char *text = NULL;
	int r;

	optic_image_init(out);
	switch (form) {
	case FORM_ETHTOOL:
	case FORM_ROWS:
		text = ethtool_hex(flat, len, form == FORM_ROWS);
		break;
	case FORM_HEXDUMP:
		text = hexdump_c(flat, len);
		break;
	case FORM_RAW:
		break;
	}
	r = text ? optic_image_load(text, strlen(text), out, &info) :
		   optic_image_load(flat, len, out, &info);
	if (r < 0)
		fail_msg("form %d: %s (line %u, offset %ld)", form, info.msg,
			 info.line, info.offset);
	assert_int_equal(info.format,
			 text ? OPTIC_LOAD_HEX : OPTIC_LOAD_BINARY);
	free(text);
}

static void test_forms_decode_as_the_image(void **state)
{
	static uint8_t flat[0x4000];
	size_t i, len;
	int form;

	for (i = 0; i < ARRAY_SIZE(images); i++) {
		struct optic_image img, got;

		load_dump_file(images[i], &img);
		len = to_flat(&img, flat, sizeof(flat));
		for (form = FORM_ETHTOOL; form <= FORM_RAW; form++) {
			load_form(flat, len, form, &got);
			assert_same_model(&img, &got);
			optic_image_clear(&got);
		}
		optic_image_clear(&img);
	}
	(void)state;
}

/* Only what optic reads from such a module: no page it does not advertise. */
static void test_flat_keeps_advertised_pages(void **state)
{
	static uint8_t flat[128 + 128 * 256];
	struct optic_image img;

	memset(flat, 0xa5, sizeof(flat));
	memset(flat, 0, 256);
	flat[0] = 0x11; /* QSFP28, paged (byte 2 bit 2 clear) */
	optic_image_init(&img);
	assert_int_equal(optic_image_load(flat, sizeof(flat), &img, NULL), 0);
	assert_int_equal(optic_image_byte(&img, 0, 3, 0, 128), 0xa5);
	assert_null(optic_image_half(&img, 0, 0x20, 0, true));
	assert_null(optic_image_half(&img, 0, 1, 0, true));
	optic_image_clear(&img);
	(void)state;
}

/* Lower page and page 00h of a QSFP28, then a header and page 03h. */
static char *paged_text(const char *header, const char *sep)
{
	char *text = NULL;
	size_t n = 0;
	unsigned int off;
	FILE *f = open_memstream(&text, &n);

	assert_non_null(f);
	fprintf(f, "$ ethtool -m eth2 hex on\nOffset\t\tValues\n");
	for (off = 0; off < 256; off += 16)
		fprintf(f,
			"0x%04x:\t\t%02x 07 00 00 00 00 00 00%s00 00 00 00 00 00 00 00\n",
			off, off ? 0 : 0x11, sep);
	fprintf(f, "%s\n", header);
	for (off = 128; off < 256; off += 16)
		fprintf(f,
			"0x%02x: %02x 00 fb 00 46 00 00 00%s00 00 00 00 00 00 00 00\n",
			off, off == 128 ? 0x4b : 0, sep);
	fclose(f);
	return text;
}

/* Blocks after a header that names their page: ethtool's, vendor CLIs'. */
static void test_paged_blocks(void **state)
{
	static const struct {
		const char *header, *sep;
	} cases[] = {
		{ "$ sudo ethtool -m eth2 page 0x03 hex on\nOffset\t\tValues",
		  " " },
		{ "  QSFP28 Upper Page 03h          :", " " },
		{ "page 3 (2-wire device address 0x50)", " . " },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *text = paged_text(cases[i].header, cases[i].sep);
		struct optic_load_info info;
		struct optic_image img;

		optic_image_init(&img);
		if (optic_image_load(text, strlen(text), &img, &info) < 0)
			fail_msg("case %zu: line %u: %s", i, info.line,
				 info.msg);
		assert_int_equal(optic_image_byte(&img, 0, 0, 0, 1), 0x07);
		assert_int_equal(optic_image_byte(&img, 0, 0, 0, 128), 0x00);
		assert_int_equal(optic_image_byte(&img, 0, 3, 0, 128), 0x4b);
		assert_int_equal(optic_image_byte(&img, 0, 3, 0, 130), 0xfb);
		optic_image_clear(&img);
		free(text);
	}
	(void)state;
}

struct bad {
	const char *what;
	const char *text; /* NULL: binary of bin_len bytes */
	size_t bin_len;
	int err;
	unsigned int line;
	long offset;
};

static const struct bad bads[] = {
	{ "empty", "", 0, -ENODATA, 0, -1 },
	{ "prose only", "no dump here\n", 0, -EINVAL, 0, -1 },
	{ "a bad byte", "0x0000:\t\t03 04 zz 10\n", 0, -EINVAL, 1, 2 },
	{ "17 bytes on a line",
	  "Offset\t\tValues\n0x0000: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c "
	  "0d 0e 0f 10\n",
	  0, -E2BIG, 2, 16 },
	{ "lower page cut short",
	  "0x0000:\t\t03 04 07 10 00 00 00 00 00 00 00 06 67 00 00 00\n", 0,
	  -ENODATA, 0, 16 },
	{ "offset beyond any EEPROM file", "0x21000: 00 00\n", 0, -ERANGE, 1,
	  0x21000 },
	{ "'*' first", "*\n00000010\n", 0, -EINVAL, 2, 0x10 },
	{ "offsets restart without a header naming the page",
	  "0x0000: 03 04\n0x0000: 03 04\n", 0, -EINVAL, 2, 0 },
	{ "binary shorter than a page", NULL, 100, -ENODATA, 0, 0 },
	{ "binary cut inside a page", NULL, 300, -ENODATA, 0, 256 },
};

static void test_bad_inputs(void **state)
{
	static uint8_t bin[512];
	size_t i;

	bin[0] = 0x03;
	for (i = 0; i < ARRAY_SIZE(bads); i++) {
		const struct bad *b = &bads[i];
		struct optic_load_info info;
		struct optic_image img;
		int r;

		optic_image_init(&img);
		r = b->text ? optic_image_load(b->text, strlen(b->text), &img,
					       &info) :
			      optic_image_load(bin, b->bin_len, &img, &info);
		if (r != b->err || info.line != b->line ||
		    info.offset != b->offset)
			fail_msg(
				"%s: %d line %u offset %ld (%s), expected %d line %u offset %ld",
				b->what, r, info.line, info.offset, info.msg,
				b->err, b->line, b->offset);
		assert_true(info.msg[0]);
		assert_int_equal(img.n, 0);
	}
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms_decode_as_the_image),
		cmocka_unit_test(test_flat_keeps_advertised_pages),
		cmocka_unit_test(test_paged_blocks),
		cmocka_unit_test(test_bad_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
