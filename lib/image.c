// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Module memory images: storage, fetching through a reader callback, and the
 * text dump format shared with optic_sim.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "decode.h"
#include "image.h"
#include "util.h"

void optic_image_init(struct optic_image *img)
{
	memset(img, 0, sizeof(*img));
}

void optic_image_clear(struct optic_image *img)
{
	free(img->h);
	optic_image_init(img);
}

static struct optic_half *find_half(const struct optic_image *img, uint8_t addr,
				    uint8_t page, uint8_t bank, bool upper)
{
	size_t i;

	if (!addr)
		addr = OPTIC_ADDR_A0;
	if (!upper)
		page = bank = 0;
	for (i = 0; i < img->n; i++) {
		struct optic_half *h = &img->h[i];

		if (h->addr == addr && h->upper == upper && h->page == page &&
		    h->bank == bank)
			return h;
	}
	return NULL;
}

const struct optic_half *optic_image_half(const struct optic_image *img,
					  uint8_t addr, uint8_t page,
					  uint8_t bank, bool upper)
{
	return find_half(img, addr, page, bank, upper);
}

static struct optic_half *get_half(struct optic_image *img, uint8_t addr,
				   uint8_t page, uint8_t bank, bool upper)
{
	struct optic_half *h = find_half(img, addr, page, bank, upper);

	if (h)
		return h;
	if (img->n == img->cap) {
		size_t cap = img->cap ? img->cap * 2 : 8;
		struct optic_half *nh = reallocarray(img->h, cap, sizeof(*nh));

		if (!nh)
			return NULL;
		img->h = nh;
		img->cap = cap;
	}
	h = &img->h[img->n++];
	memset(h, 0, sizeof(*h));
	h->addr = addr ?: OPTIC_ADDR_A0;
	h->upper = upper;
	h->page = upper ? page : 0;
	h->bank = upper ? bank : 0;
	return h;
}

int optic_image_set(struct optic_image *img, uint8_t addr, uint8_t page,
		    uint8_t bank, unsigned int off, const uint8_t *buf,
		    size_t len)
{
	size_t i;

	if (off > 255 || len > 256 - off)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int o = off + i;
		struct optic_half *h;

		h = get_half(img, addr, page, bank, o >= 128);
		if (!h)
			return -ENOMEM;
		o &= 127;
		h->data[o] = buf[i];
		h->valid[o / 8] |= 1u << (o % 8);
	}
	return 0;
}

int optic_image_get(const struct optic_image *img, uint8_t addr, uint8_t page,
		    uint8_t bank, unsigned int off, uint8_t *buf, size_t len)
{
	const struct optic_half *h = NULL;
	size_t i;

	if (off > 255 || len > 256 - off)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int o = off + i;

		if (!h || (o == 128))
			h = find_half(img, addr, page, bank, o >= 128);
		if (!h)
			return -ENODATA;
		o &= 127;
		if (!(h->valid[o / 8] & (1u << (o % 8))))
			return -ENODATA;
		buf[i] = h->data[o];
	}
	return 0;
}

int optic_image_byte(const struct optic_image *img, uint8_t addr, uint8_t page,
		     uint8_t bank, unsigned int off)
{
	uint8_t b;
	int r = optic_image_get(img, addr, page, bank, off, &b, 1);

	return r < 0 ? r : b;
}

static int half_cmp(const void *a, const void *b)
{
	const struct optic_half *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr - y->addr;
	if (x->upper != y->upper)
		return x->upper - y->upper;
	if (x->page != y->page)
		return x->page - y->page;
	return x->bank - y->bank;
}

void optic_image_sort(struct optic_image *img)
{
	if (img->n)
		qsort(img->h, img->n, sizeof(*img->h), half_cmp);
}

static bool unsupported(int r)
{
	return r == -EINVAL || r == -EOPNOTSUPP || r == -ENODATA ||
	       r == -ERANGE;
}

static int fetch(struct optic_image *img, optic_read_fn rd, void *ctx,
		 uint8_t addr, uint8_t page, uint8_t bank, uint16_t off,
		 uint16_t len, bool optional)
{
	uint8_t buf[256];
	int r;

	r = rd(ctx, addr, page, bank, off, len, buf);
	if (r < 0)
		return optional && unsupported(r) ? 0 : r;
	return optic_image_set(img, addr, page, bank, off, buf,
			       MIN((size_t)r, (size_t)len));
}

/* CMIS 5.2 page 01h advertising (section 8.4) */
#define CMIS_ADV_PAGES 142 /* Supported Pages Advertising */
#define CMIS_ADV_PAGE03 0x04 /* bit 2: user page 03h */
#define CMIS_ADV_DIAG 0x20 /* bit 5: banked diagnostic pages 13h-14h */
#define CMIS_ADV_VDM 0x40 /* bit 6: VDM pages 20h-2Fh, details in 2Fh */
#define CMIS_ADV_CONTROLS 155 /* Implemented Controls Advertisement */
#define CMIS_ADV_TUNABLE 0x40 /* bit 6: tunable transmitter, 04h and 12h */
/* CMIS 5.2 8.22: page 2Fh byte 128 bits 1-0, VDM groups supported - 1 */
#define CMIS_VDM_CTRL 0x2f
#define CMIS_VDM_GROUPS 128

static int fetch_upper(struct optic_image *img, optic_read_fn rd, void *ctx,
		       uint8_t page, uint8_t bank)
{
	return fetch(img, rd, ctx, OPTIC_ADDR_A0, page, bank, 128, 128, true);
}

/*
 * VDM of one bank: the control page 2Fh, then per group its descriptor
 * (20h + g), sample (24h + g) and threshold (28h + g) pages; with @all also
 * the flag (2Ch, clear on read) and mask (2Dh) pages.
 */
static int fetch_vdm(struct optic_image *img, optic_read_fn rd, void *ctx,
		     uint8_t bank, bool all)
{
	int r, b, g, groups;

	r = fetch_upper(img, rd, ctx, CMIS_VDM_CTRL, bank);
	if (r < 0)
		return r;
	b = optic_image_byte(img, 0, CMIS_VDM_CTRL, bank, CMIS_VDM_GROUPS);
	if (b < 0)
		return 0;
	groups = (b & 0x03) + 1;
	for (g = 0; g < groups; g++) {
		r = fetch_upper(img, rd, ctx, 0x20 + g, bank);
		if (r == 0)
			r = fetch_upper(img, rd, ctx, 0x24 + g, bank);
		if (r == 0)
			r = fetch_upper(img, rd, ctx, 0x28 + g, bank);
		if (r < 0)
			return r;
	}
	if (all) {
		r = fetch_upper(img, rd, ctx, 0x2c, bank);
		if (r == 0)
			r = fetch_upper(img, rd, ctx, 0x2d, bank);
	}
	return r;
}

static int fetch_cmis(struct optic_image *img, optic_read_fn rd, void *ctx,
		      bool all)
{
	static const uint8_t cmis_banked[] = { 0x10, 0x11 };
	int r, b, banks, pages, controls;
	size_t i;

	/* CMIS 5.2 Table 8-4: byte 2 bit 7 MemoryModel, 1 = flat */
	if (optic_image_byte(img, 0, 0, 0, 2) & 0x80)
		return 0;
	for (i = 1; i <= 2; i++) {
		r = fetch_upper(img, rd, ctx, i, 0);
		if (r < 0)
			return r;
	}
	pages = optic_image_byte(img, 0, 1, 0, CMIS_ADV_PAGES);
	controls = optic_image_byte(img, 0, 1, 0, CMIS_ADV_CONTROLS);
	pages = pages < 0 ? 0 : pages;
	controls = controls < 0 ? 0 : controls;
	if (all && (pages & CMIS_ADV_PAGE03)) {
		r = fetch_upper(img, rd, ctx, 0x03, 0);
		if (r < 0)
			return r;
	}
	if (all && (controls & CMIS_ADV_TUNABLE)) {
		r = fetch_upper(img, rd, ctx, 0x04, 0);
		if (r < 0)
			return r;
	}
	/* CMIS 5.2 page 01h byte 142 bits 1-0: banks of pages 10h-2Fh */
	banks = 1 << MIN(pages & 3, 2);
	for (b = 0; b < banks; b++) {
		for (i = 0; i < ARRAY_SIZE(cmis_banked); i++) {
			r = fetch_upper(img, rd, ctx, cmis_banked[i], b);
			if (r < 0)
				return r;
		}
		if (all && (controls & CMIS_ADV_TUNABLE)) {
			r = fetch_upper(img, rd, ctx, 0x12, b);
			if (r < 0)
				return r;
		}
		if (all && (pages & CMIS_ADV_DIAG)) {
			r = fetch_upper(img, rd, ctx, 0x13, b);
			if (r == 0)
				r = fetch_upper(img, rd, ctx, 0x14, b);
			if (r < 0)
				return r;
		}
		if (pages & CMIS_ADV_VDM) {
			r = fetch_vdm(img, rd, ctx, b, all);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int fetch_image(struct optic_image *img, optic_read_fn rd, void *ctx,
		       bool all)
{
	int r, id;

	r = fetch(img, rd, ctx, OPTIC_ADDR_A0, 0, 0, 0, 256, false);
	if (r < 0)
		return r;
	id = optic_image_byte(img, OPTIC_ADDR_A0, 0, 0, 0);
	if (id < 0)
		return id;

	switch (optic_spec_from_id(id)) {
	case OPTIC_SPEC_CMIS:
		return fetch_cmis(img, rd, ctx, all);
	case OPTIC_SPEC_SFF8636:
		/* SFF-8636 Table 6-2: byte 2 bit 2 Flat_mem */
		if (optic_image_byte(img, 0, 0, 0, 2) & 0x04)
			return 0;
		return fetch(img, rd, ctx, OPTIC_ADDR_A0, 3, 0, 128, 128, true);
	case OPTIC_SPEC_SFF8472:
		/* SFF-8472 Table 8-5: byte 92 bit 6 DDM implemented */
		if (!(optic_image_byte(img, 0, 0, 0, 92) & 0x40))
			return 0;
		return fetch(img, rd, ctx, OPTIC_ADDR_A2, 0, 0, 0, 256, true);
	default:
		return 0;
	}
}

int optic_image_fetch(struct optic_image *img, optic_read_fn rd, void *ctx)
{
	return fetch_image(img, rd, ctx, false);
}

int optic_image_fetch_all(struct optic_image *img, optic_read_fn rd, void *ctx)
{
	return fetch_image(img, rd, ctx, true);
}

/* ---- text dump format ---- */

static bool half_valid(const struct optic_half *h, unsigned int j)
{
	return h->valid[j / 8] & (1u << (j % 8));
}

/* Runs of valid bytes, at most 16 a line, never across a 16-byte row. */
static void dump_half(FILE *f, const struct optic_half *h)
{
	unsigned int base = h->upper ? 128 : 0, j;
	bool open = false;

	for (j = 0; j < 128; j++) {
		if (!half_valid(h, j)) {
			if (open)
				fputc('\n', f);
			open = false;
			continue;
		}
		if (open && j % 16 == 0) {
			fputc('\n', f);
			open = false;
		}
		if (!open)
			fprintf(f, "%02x:", base + j);
		open = true;
		fprintf(f, " %02x", h->data[j]);
	}
	if (open)
		fputc('\n', f);
}

static void dump_section(FILE *f, uint8_t addr, uint8_t page, uint8_t bank)
{
	fprintf(f, "page %02x", page);
	if (bank)
		fprintf(f, " bank %u", bank);
	if (addr != OPTIC_ADDR_A0)
		fprintf(f, " i2c %02x", addr);
	fputc('\n', f);
}

int optic_dump_write(FILE *f, const struct optic_image *src)
{
	struct optic_image img = *src;
	_cleanup_free_ struct optic_half *copy = NULL;
	size_t i;

	if (src->n) {
		copy = malloc(src->n * sizeof(*copy));
		if (!copy)
			return -ENOMEM;
		memcpy(copy, src->h, src->n * sizeof(*copy));
	}
	img.h = copy;
	optic_image_sort(&img);
	for (i = 0; i < img.n; i++) {
		const struct optic_half *h = &img.h[i];

		if (!h->upper) {
			/* lower page opens the page 00 section of its address */
			dump_section(f, h->addr, 0, 0);
			dump_half(f, h);
			continue;
		}
		if (h->page || h->bank ||
		    !find_half(&img, h->addr, 0, 0, false))
			dump_section(f, h->addr, h->page, h->bank);
		dump_half(f, h);
	}
	if (fflush(f) == EOF || ferror(f))
		return -EIO;
	return 0;
}

static const char *skip_ws(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	return s;
}

/* Parse an unsigned number in @base at *s; -EINVAL when there is none. */
static long parse_num(const char **s, const char *end, int base, long max)
{
	const char *p = *s;
	long v = 0;
	int digits = 0;

	if (base == 16 && end - p > 2 && p[0] == '0' && (p[1] | 0x20) == 'x')
		p += 2;
	while (p < end && isxdigit((unsigned char)*p)) {
		int d = isdigit((unsigned char)*p) ? *p - '0' :
						     (*p | 0x20) - 'a' + 10;

		if (d >= base)
			break;
		v = v * base + d;
		if (v > max)
			return -ERANGE;
		p++;
		digits++;
	}
	if (!digits)
		return -EINVAL;
	*s = p;
	return v;
}

static bool word(const char **s, const char *end, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(end - *s) >= n && !strncmp(*s, w, n) &&
	    ((size_t)(end - *s) == n || isspace((unsigned char)(*s)[n]))) {
		*s += n;
		return true;
	}
	return false;
}

static int parse_line(const char *s, const char *end, struct optic_image *img,
		      uint8_t *addr, uint8_t *page, uint8_t *bank, bool *have)
{
	uint8_t buf[16];
	long v, off;
	size_t n = 0;

	s = skip_ws(s, end);
	if (s == end || *s == '#')
		return 0;
	if (word(&s, end, "page")) {
		s = skip_ws(s, end);
		v = parse_num(&s, end, 16, 255);
		if (v < 0)
			return v;
		*page = v;
		*bank = 0;
		*addr = OPTIC_ADDR_A0;
		for (;;) {
			s = skip_ws(s, end);
			if (s == end || *s == '#')
				break;
			if (word(&s, end, "bank")) {
				s = skip_ws(s, end);
				v = parse_num(&s, end, 10, 255);
			} else if (word(&s, end, "i2c") ||
				   word(&s, end, "addr")) {
				s = skip_ws(s, end);
				v = parse_num(&s, end, 16, 127);
				if (v >= 0 && v != OPTIC_ADDR_A0 &&
				    v != OPTIC_ADDR_A2)
					v = -EINVAL;
				if (v < 0)
					return v;
				*addr = v;
				continue;
			} else {
				return -EINVAL;
			}
			if (v < 0)
				return v;
			*bank = v;
		}
		*have = true;
		return 0;
	}
	if (!*have)
		return -EINVAL;
	off = parse_num(&s, end, 16, 255);
	if (off < 0)
		return off;
	if (s == end || *s != ':')
		return -EINVAL;
	s++;
	for (;;) {
		s = skip_ws(s, end);
		if (s == end || *s == '#')
			break;
		if (n == sizeof(buf))
			return -E2BIG;
		v = parse_num(&s, end, 16, 255);
		if (v < 0)
			return v;
		buf[n++] = v;
	}
	if (off + n > 256)
		return -ERANGE;
	/* offsets below 128 land in the lower page, whatever the section */
	return optic_image_set(img, *addr, *page, *bank, off, buf, n);
}

int optic_dump_parse(const char *text, size_t len, struct optic_image *img,
		     unsigned int *line)
{
	const char *s = text, *end = text + len;
	uint8_t addr = OPTIC_ADDR_A0, page = 0, bank = 0;
	bool have = false;
	unsigned int ln = 0;
	int r;

	while (s < end) {
		const char *nl = memchr(s, '\n', end - s);
		const char *le = nl ?: end;

		ln++;
		r = parse_line(s, le, img, &addr, &page, &bank, &have);
		if (r < 0) {
			if (line)
				*line = ln;
			return r;
		}
		s = nl ? nl + 1 : end;
	}
	return 0;
}
