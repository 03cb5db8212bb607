// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Loading the dumps operators already have: optic's text dump, the text of
 * `ethtool -m DEV hex on` (and of `hexdump -C` over an EEPROM file), and the
 * binary of `ethtool -m DEV raw on` or of an optoe/optic `eeprom` file.
 *
 * ethtool's full dumps and the eeprom files share optoe's flat layout: bytes
 * 0-127 are the lower page; page P's upper half is at 128 + 128 * P; for
 * SFF-8472, i2c address A2h's 256 bytes follow A0h's at 256 and A2h page
 * P >= 1 is at 384 + 128 * P. optic's own file goes on with the banks of a
 * CMIS module: bank B's page P at 128 + (256 * B + P) * 128. A flat image is read back through
 * optic_image_fetch_all(), so the result holds exactly the pages optic reads
 * from such a module, whatever else the file carries.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <strings.h>

#include "decode.h"
#include "image.h"
#include "util.h"

/* optic's eeprom file, the largest: four banks of 256 pages */
#define FLAT_MAX (128 + 4 * 256 * 128)
#define HALF 128
#define A2_BASE 256

struct flat {
	uint8_t *data;
	uint8_t *valid; /* a byte per byte: simpler than bits, 64 KiB */
	size_t end; /* one past the highest byte set */
};

/* What a text line said; ln counts from 1. */
struct text_state {
	struct flat *flat;
	struct optic_image *paged; /* blocks that named their page */
	struct optic_load_info *info;
	unsigned int ln;
	bool block_paged; /* the current block's header named its page */
	uint8_t addr, page, bank;
	long last_off; /* the block's previous line: offsets only grow */
	long prev_off; /* hexdump's '*': the previous line's offset */
	uint8_t prev[16];
	size_t prev_n;
	bool repeat;
	bool any;
};

static int fail(struct optic_load_info *info, int err, long offset,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(struct optic_load_info *info, int err, long offset,
		const char *fmt, ...)
{
	va_list ap;

	info->offset = offset;
	va_start(ap, fmt);
	vsnprintf(info->msg, sizeof(info->msg), fmt, ap);
	va_end(ap);
	return err;
}

static bool is_text(const uint8_t *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isprint(b[i]) && !isspace(b[i]))
			return false;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A hex number of up to 8 digits at *s, optional 0x; -1 when none. */
static long hex_token(const char **s, const char *end, unsigned int *ndig)
{
	const char *p = *s;
	long v = 0;

	if (end - p > 2 && p[0] == '0' && (p[1] | 0x20) == 'x')
		p += 2;
	*ndig = 0;
	while (p < end && hexval(*p) >= 0 && *ndig < 9) {
		v = v * 16 + hexval(*p++);
		(*ndig)++;
	}
	if (!*ndig || *ndig > 8)
		return -1;
	*s = p;
	return v;
}

static const char *skip_blank(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	return s;
}

static void flat_set(struct flat *f, size_t off, const uint8_t *b, size_t n)
{
	memcpy(f->data + off, b, n);
	memset(f->valid + off, 1, n);
	f->end = MAX(f->end, off + n);
}

/* @w as a word of [s, end), case-insensitive: what follows it, or NULL. */
static const char *after_word(const char *s, const char *end, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = s; p + n <= end; p++)
		if (!strncasecmp(p, w, n) && (p == s || !isalnum(p[-1])) &&
		    (p + n == end || !isalnum(p[n])))
			return p + n;
	return NULL;
}

/* "0x11", "11h" (hex) or "17" (decimal), at most 255; -1 when none. */
static long header_num(const char *s, const char *end)
{
	bool hex = end - s > 2 && s[0] == '0' && (s[1] | 0x20) == 'x';
	const char *p = s;
	unsigned int nd;
	long v;

	v = hex_token(&p, end, &nd);
	if (v < 0)
		return -1;
	if (p < end && (*p | 0x20) == 'h')
		hex = true;
	else if (p < end && isalnum(*p))
		return -1;
	if (hex)
		return v <= 255 ? v : -1;
	/* the same digits in base 10: "page 17" */
	for (v = 0; s < p && v <= 255; s++) {
		if (!isdigit(*s))
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v <= 255 ? v : -1;
}

/*
 * Header lines that say which memory the next block is: an echoed
 * `ethtool -m DEV page 0x11 bank 1 i2c 0x51 hex on`, a vendor CLI's
 * "Upper Page 11h" / "Lower Page" / "2-wire device address 0x51". An echoed
 * ethtool command without them starts a flat (optoe layout) block.
 */
static void note_header(struct text_state *st, const char *s, const char *end)
{
	static const char *const words[] = { "page", "bank", "i2c", "address" };
	uint8_t *field[] = { &st->page, &st->bank, &st->addr, &st->addr };
	bool found = false;
	unsigned int k;

	if (after_word(s, end, "ethtool")) {
		st->block_paged = false;
		st->addr = OPTIC_ADDR_A0;
		st->page = st->bank = 0;
		st->last_off = -1;
	}
	for (k = 0; k < ARRAY_SIZE(words); k++) {
		const char *p = after_word(s, end, words[k]);
		long v;

		if (!p)
			continue;
		v = header_num(skip_blank(p, end), end);
		if (v < 0 || (field[k] == &st->addr && v != OPTIC_ADDR_A0 &&
			      v != OPTIC_ADDR_A2))
			continue;
		*field[k] = v;
		found = true;
	}
	if (after_word(s, end, "lower") && after_word(s, end, "page")) {
		st->page = 0;
		found = true;
	}
	if (found) {
		st->block_paged = true;
		st->last_off = -1;
	}
}

static int store(struct text_state *st, long off, const uint8_t *b, size_t n)
{
	if (st->block_paged) {
		if (off + n > 256)
			return fail(st->info, -ERANGE, off,
				    "offset 0x%lx beyond the page", off);
		return optic_image_set(st->paged, st->addr, st->page, st->bank,
				       off, b, n);
	}
	if (off + n > FLAT_MAX)
		return fail(st->info, -ERANGE, off,
			    "offset 0x%lx beyond an EEPROM file", off);
	flat_set(st->flat, off, b, n);
	return 0;
}

/* hexdump -C's '*': the previous line again up to offset @to. */
static int fill_repeat(struct text_state *st, long to)
{
	long off;
	int r;

	st->repeat = false;
	if (!st->prev_n || to > FLAT_MAX)
		return fail(st->info, -EINVAL, to, "'*' without a line before");
	for (off = st->prev_off + 16; off + (long)st->prev_n <= to; off += 16) {
		r = store(st, off, st->prev, st->prev_n);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * "0x0010:\t\t08 03 ..." (ethtool), "00000010  08 03 ... |..|" (hexdump),
 * or with @implied, "rc = 0 | 08 03 ...": rows without offsets, each going
 * on where the one before stopped.
 */
static int hex_line(struct text_state *st, const char *s, const char *end,
		    bool implied)
{
	uint8_t b[16];
	unsigned int nd;
	size_t n = 0;
	long off, v;
	int r;

	if (implied) {
		off = st->prev_n ? st->prev_off + (long)st->prev_n : 0;
	} else {
		off = hex_token(&s, end, &nd);
		if (off < 0)
			return fail(st->info, -EINVAL, -1,
				    "not a hex dump line");
		if (s < end && *s == ':')
			s++;
	}
	if (off <= st->last_off)
		return fail(
			st->info, -EINVAL, off,
			"offset 0x%lx again: a block of another page needs a header naming it (e.g. `ethtool -m DEV page 0x11 hex on`)",
			off);
	st->last_off = off;
	if (st->repeat) {
		r = fill_repeat(st, off);
		if (r < 0)
			return r;
	}
	for (;;) {
		s = skip_blank(s, end);
		if (s == end || *s == '|')
			break;
		if ((*s == '.' || *s == '-') &&
		    (s + 1 == end || isspace(s[1]))) {
			s++; /* a vendor CLI's group separator */
			continue;
		}
		v = hex_token(&s, end, &nd);
		if (v < 0 || nd != 2 || (s < end && !isspace(*s)))
			return fail(st->info, -EINVAL, off + n,
				    "expected a byte (two hex digits)");
		if (n == sizeof(b))
			return fail(st->info, -E2BIG, off + n,
				    "more than 16 bytes on a line");
		b[n++] = v;
	}
	if (!n) /* hexdump's closing line: the length alone */
		return 0;
	r = store(st, off, b, n);
	if (r < 0)
		return r;
	memcpy(st->prev, b, n);
	st->prev_n = n;
	st->prev_off = off;
	st->any = true;
	return 0;
}

/* An offset: 0x and hex digits, or four or more hex digits; then ':' or a
 * blank. Anything else is prose around the dump (a prompt, a header). */
static bool starts_hex_line(const char *s, const char *end)
{
	bool prefixed = end - s > 2 && s[0] == '0' && (s[1] | 0x20) == 'x';
	unsigned int nd;

	if (hex_token(&s, end, &nd) < 0 || (!prefixed && nd < 4))
		return false;
	return s == end || *s == ':' || *s == ' ' || *s == '\t';
}

/* Two-digit hex bytes and nothing else, at least one. */
static bool bytes_only(const char *s, const char *end)
{
	unsigned int nd, n = 0;

	for (;;) {
		s = skip_blank(s, end);
		if (s == end)
			return n > 0;
		if (hex_token(&s, end, &nd) < 0 || nd != 2 ||
		    (s < end && !isspace(*s)))
			return false;
		n++;
	}
}

static int text_line(struct text_state *st, const char *s, const char *end)
{
	const char *bar;

	s = skip_blank(s, end);
	if (s == end || *s == '#' || *s == '-')
		return 0;
	if (*s == '*' && skip_blank(s + 1, end) == end) {
		st->repeat = true;
		return 0;
	}
	if (starts_hex_line(s, end))
		return hex_line(st, s, end, false);
	bar = memchr(s, '|', end - s);
	if (bar && bytes_only(bar + 1, end))
		return hex_line(st, bar + 1, end, true);
	note_header(st, s, end);
	return 0;
}

static int parse_hex_text(const char *text, size_t len, struct flat *flat,
			  struct optic_image *paged,
			  struct optic_load_info *info)
{
	struct text_state st = {
		.flat = flat, .paged = paged, .info = info, .last_off = -1
	};
	const char *s = text, *end = text + len;
	int r;

	while (s < end) {
		const char *nl = memchr(s, '\n', end - s);

		st.ln++;
		r = text_line(&st, s, nl ?: end);
		if (r < 0) {
			info->line = st.ln;
			return r;
		}
		s = nl ? nl + 1 : end;
	}
	if (!st.any)
		return fail(
			info, -EINVAL, -1,
			"no hex dump lines: expected optic's dump, `ethtool -m hex on` or `hexdump -C` text, or a binary EEPROM image");
	return 0;
}

/* The flat layout's position of the (@addr, @page, @bank) upper half. */
static long flat_pos(bool sff8472, uint8_t addr, uint8_t page, uint8_t bank)
{
	if (sff8472 && !bank && addr == OPTIC_ADDR_A2)
		return A2_BASE + HALF + (long)page * HALF;
	if (sff8472)
		return page || bank ? -1 : HALF;
	if (addr == OPTIC_ADDR_A2)
		return -1;
	return HALF + (256L * bank + page) * HALF;
}

struct reader {
	const struct flat *flat;
	const struct optic_image *paged;
	bool sff8472;
};

/* optic_read_fn over the loaded bytes: the valid prefix, else -ENODATA. */
static int read_loaded(void *ctx, uint8_t addr, uint8_t page, uint8_t bank,
		       uint16_t off, uint16_t len, uint8_t *buf)
{
	const struct reader *rd = ctx;
	unsigned int i;

	for (i = 0; i < len; i++) {
		unsigned int o = off + i;
		long pos = o < HALF ? (addr == OPTIC_ADDR_A2 ? A2_BASE : 0) :
				      flat_pos(rd->sff8472, addr, page, bank);
		size_t at = pos < 0 ? 0 : (size_t)pos + (o & (HALF - 1));

		if (optic_image_get(rd->paged, addr, page, bank, o, &buf[i],
				    1) == 0)
			continue;
		if (pos < 0 || at >= rd->flat->end || !rd->flat->valid[at])
			break;
		buf[i] = rd->flat->data[at];
	}
	return i ? (int)i : -ENODATA;
}

/* A half that was started must be whole: else the dump was cut short. */
static int check_whole(const struct flat *f, struct optic_load_info *info)
{
	size_t h, i;

	for (h = 0; h < f->end; h += HALF) {
		bool some = false, all = true;
		size_t first_gap = 0;

		for (i = h; i < h + HALF; i++) {
			bool v = i < f->end && f->valid[i];

			some |= v;
			if (!v && all) {
				all = false;
				first_gap = i;
			}
		}
		if ((some && !all) || (h == 0 && !all))
			return fail(
				info, -ENODATA, first_gap,
				"missing: bytes 0x%zx-0x%zx are incomplete, the dump is truncated",
				h, h + HALF - 1);
	}
	return 0;
}

/* The same of the blocks whose header named their page. */
static int check_whole_pages(const struct optic_image *paged,
			     struct optic_load_info *info)
{
	size_t i, j;

	for (i = 0; i < paged->n; i++) {
		const struct optic_half *h = &paged->h[i];

		for (j = 0; j < sizeof(h->valid); j++)
			if (h->valid[j] != 0xff)
				return fail(
					info, -ENODATA,
					(h->upper ? 128 : 0) + 8 * j,
					"missing: i2c 0x%02x page %02xh bank %u %s half is incomplete, the dump is truncated",
					h->addr, h->page, h->bank,
					h->upper ? "upper" : "lower");
	}
	return 0;
}

static int load_flat(const struct flat *f, const struct optic_image *paged,
		     struct optic_image *img, struct optic_load_info *info)
{
	struct reader rd = { .flat = f, .paged = paged };
	int r, id;

	r = f->end ? check_whole(f, info) : 0;
	if (r == 0)
		r = check_whole_pages(paged, info);
	if (r < 0)
		return r;
	id = f->end ? f->data[0] :
		      optic_image_byte(paged, OPTIC_ADDR_A0, 0, 0, 0);
	if (id < 0)
		return fail(info, -ENODATA, 0,
			    "no lower page (bytes 0x00-0x7f)");
	rd.sff8472 = optic_spec_from_id(id) == OPTIC_SPEC_SFF8472;
	r = optic_image_fetch_all(img, read_loaded, &rd);
	if (r < 0)
		return fail(info, r, 0, "the lower page is incomplete");
	return 0;
}

static int flat_alloc(struct flat *f)
{
	f->data = calloc(FLAT_MAX, 1);
	f->valid = calloc(FLAT_MAX, 1);
	f->end = 0;
	return f->data && f->valid ? 0 : -ENOMEM;
}

static void flat_free(struct flat *f)
{
	free(f->data);
	free(f->valid);
}

static int load_binary(const uint8_t *b, size_t len, struct optic_image *img,
		       struct optic_load_info *info)
{
	struct optic_image none;
	struct flat f;
	int r;

	info->format = OPTIC_LOAD_BINARY;
	if (len < HALF || len % HALF)
		return fail(info, -ENODATA, len - len % HALF,
			    "truncated: %zu bytes are not whole 128-byte pages",
			    len);
	if (len > FLAT_MAX)
		return fail(info, -E2BIG, FLAT_MAX,
			    "larger than an EEPROM file (%d bytes)", FLAT_MAX);
	r = flat_alloc(&f);
	if (r == 0) {
		flat_set(&f, 0, b, len);
		optic_image_init(&none);
		r = load_flat(&f, &none, img, info);
	}
	flat_free(&f);
	return r;
}

/* optic's own text dump: the first line that says anything is `page`. */
static bool is_optic_dump(const char *s, const char *end)
{
	for (;;) {
		s = skip_blank(s, end);
		while (s < end && *s == '\n')
			s = skip_blank(s + 1, end);
		if (s == end || *s != '#')
			break;
		s = memchr(s, '\n', end - s) ?: end;
	}
	return end - s >= 5 && !strncmp(s, "page", 4) && isspace(s[4]);
}

static int load_text(const char *text, size_t len, struct optic_image *img,
		     struct optic_load_info *info)
{
	struct optic_image paged;
	struct flat f;
	int r;

	if (is_optic_dump(text, text + len)) {
		info->format = OPTIC_LOAD_DUMP;
		r = optic_dump_parse(text, len, img, &info->line);
		if (r < 0)
			fail(info, r, -1, "bad dump line");
		return r;
	}
	info->format = OPTIC_LOAD_HEX;
	optic_image_init(&paged);
	r = flat_alloc(&f);
	if (r == 0)
		r = parse_hex_text(text, len, &f, &paged, info);
	if (r == 0)
		r = load_flat(&f, &paged, img, info);
	flat_free(&f);
	optic_image_clear(&paged);
	return r;
}

int optic_image_load(const void *buf, size_t len, struct optic_image *img,
		     struct optic_load_info *info)
{
	struct optic_load_info dummy;
	int r;

	info = info ?: &dummy;
	memset(info, 0, sizeof(*info));
	info->offset = -1;
	if (!len)
		return fail(info, -ENODATA, -1, "empty input");
	if (is_text(buf, len))
		r = load_text(buf, len, img, info);
	else
		r = load_binary(buf, len, img, info);
	if (r < 0)
		optic_image_clear(img);
	return r;
}

const char *optic_load_format_name(enum optic_load_format f)
{
	static const char *const names[] = {
		[OPTIC_LOAD_DUMP] = "optic dump",
		[OPTIC_LOAD_HEX] = "hex dump text",
		[OPTIC_LOAD_BINARY] = "binary EEPROM image",
	};

	return f < ARRAY_SIZE(names) ? names[f] : "unknown";
}
