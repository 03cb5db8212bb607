// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers shared by opticctl's subcommands: ports, pages, argument parsing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "opticctl.h"

int oc_ports(struct oc *c, struct optic_module_info **mods, size_t *n)
{
	int r = optic_nl_module_list(c->nl, mods, n);

	if (r < 0)
		return -oc_fail(c, r, "listing ports");
	return 0;
}

int oc_port(struct oc *c, const char *name, struct optic_module_info *info)
{
	_cleanup_free_ struct optic_module_info *mods = NULL;
	size_t n, i;
	int r;

	/* Asked by name, the driver checks the cage (a dump would not). */
	r = optic_nl_module_get(c->nl, name, info);
	if (r == 0)
		return 0;
	if (r != -ENODEV)
		return -oc_fail(c, r, "%s", name);
	r = oc_ports(c, &mods, &n);
	if (r < 0)
		return r;
	fflush(stdout);
	fprintf(stderr, "opticctl: unknown port '%s'; valid ports:", name);
	for (i = 0; i < n; i++)
		fprintf(stderr, " %s", mods[i].name);
	fprintf(stderr, "%s\n", n ? "" : " (none)");
	return -OC_NOTFOUND;
}

struct nl_reader {
	struct oc *c;
	const char *port;
	int cls; /* enum optic_bus_class, -1: the driver's default */
	uint8_t addr, page, bank;
};

static int nl_read(void *ctx, uint8_t addr, uint8_t page, uint8_t bank,
		   uint16_t off, uint16_t len, uint8_t *buf)
{
	struct nl_reader *rd = ctx;

	rd->addr = addr;
	rd->page = page;
	rd->bank = bank;
	if (rd->cls < 0)
		return optic_nl_eeprom_read(rd->c->nl, rd->port, addr, page,
					    bank, off, len, buf);
	return optic_nl_eeprom_read_class(rd->c->nl, rd->port, addr, page, bank,
					  off, len, rd->cls, buf);
}

static int read_failed(struct oc *c, const struct nl_reader *rd, int r)
{
	if (rd->addr != OPTIC_ADDR_A0)
		return -oc_fail(c, r, "%s: reading i2c 0x%02x page %02xh",
				rd->port, rd->addr, rd->page);
	return -oc_fail(c, r, "%s: reading page %02xh bank %u", rd->port,
			rd->page, rd->bank);
}

int oc_fetch(struct oc *c, const char *port, struct optic_image *img)
{
	struct nl_reader rd = { .c = c,
				.port = port,
				.cls = c->bulk ? OPTIC_BUS_CLASS_BULK : -1 };
	int r = optic_image_fetch(img, nl_read, &rd);

	return r < 0 ? read_failed(c, &rd, r) : 0;
}

/* Every page is bulk traffic: it yields the bus to polls and controls. */
int oc_fetch_all(struct oc *c, const char *port, struct optic_image *img)
{
	struct nl_reader rd = { .c = c,
				.port = port,
				.cls = OPTIC_BUS_CLASS_BULK };
	int r = optic_image_fetch_all(img, nl_read, &rd);

	return r < 0 ? read_failed(c, &rd, r) : 0;
}

int oc_read_page(struct oc *c, const char *port, uint8_t addr, uint8_t page,
		 uint8_t bank, struct optic_image *img)
{
	struct nl_reader rd = {
		.c = c, .port = port, .addr = addr, .page = page, .bank = bank
	};
	uint8_t buf[256];
	unsigned int off = page || bank ? 128 : 0;
	int r;

	r = optic_nl_eeprom_read(c->nl, port, addr, page, bank, off, 256 - off,
				 buf);
	if (r < 0)
		return read_failed(c, &rd, r);
	r = optic_image_set(img, addr, page, bank, off, buf, r);
	return r < 0 ? -oc_fail(c, r, "%s: storing page", port) : 0;
}

int oc_json(struct oc *c)
{
	struct optic_print *p;
	int r;

	if (optic_print_is_json(c->p))
		return OC_OK;
	c->pflags |= OPTIC_PRINT_JSON;
	r = optic_print_new(&p, stdout, c->pflags);
	if (r < 0)
		return oc_fail(NULL, r, "allocating the printer");
	optic_print_free(c->p);
	c->p = p;
	return OC_OK;
}

int oc_parse_u8(const char *s, int base, uint8_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, base);
	if (errno || !*s || *end || v > 255)
		return -EINVAL;
	*out = v;
	return 0;
}

int oc_parse_lanes(const char *s, uint32_t *mask)
{
	const char *p = s;
	uint32_t m = 0;

	if (streq(s, "all")) {
		*mask = 0xffffffff;
		return 0;
	}
	while (*p) {
		char *end;
		unsigned long a, b;

		a = strtoul(p, &end, 10);
		if (end == p || a < 1 || a > 32)
			return -EINVAL;
		b = a;
		p = end;
		if (*p == '-') {
			p++;
			b = strtoul(p, &end, 10);
			if (end == p || b < a || b > 32)
				return -EINVAL;
			p = end;
		}
		for (; a <= b; a++)
			m |= 1u << (a - 1);
		if (*p == ',')
			p++;
		else if (*p)
			return -EINVAL;
	}
	if (!m)
		return -EINVAL;
	*mask = m;
	return 0;
}
