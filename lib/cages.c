// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cages.conf parser, checks and printer, all driven by one table of keys.
 *
 * The syntax is opticd.conf's ([section] headers, key = value, # and ;
 * comments) read by a reader of our own rather than libinih: every error of
 * the file is reported (not only the first) with its line, and nothing is
 * lost on the way: no line length limit, no continuation lines, no inline
 * comments silently cut from a value.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cages.h"
#include "util.h"

/* The kernel's i2c-mux-pca954x chips (drivers/i2c/muxes/i2c-mux-pca954x.c). */
static const struct optic_mux_type mux_types[] = {
	{ "pca9540", 2 }, { "pca9542", 2 }, { "pca9543", 2 }, { "pca9544", 4 },
	{ "pca9545", 4 }, { "pca9546", 4 }, { "pca9547", 8 }, { "pca9548", 8 },
	{ "pca9846", 4 }, { "pca9847", 8 }, { "pca9848", 8 }, { "pca9849", 4 },
};

#define CLOCK_DEFAULT_KHZ 100
#define ADAPTER_NAME_MAX 47 /* struct i2c_adapter's name[48] */

enum sect { SECT_NONE, SECT_BUS, SECT_CAGE, SECT_SKIP };

struct error {
	unsigned int line;
	size_t seq; /* errors of one line stay in the order they were found */
	char *msg;
};

struct parser {
	struct optic_cages *c;
	const char *name;
	unsigned int line;
	struct error *errs;
	size_t n_errs;
	bool oom;
	enum sect sect;
	size_t cur; /* the section's bus or cage */
	/* sections with an error: not checked further (no cascades) */
	bool *bus_broken, *cage_broken;
};

struct key;
typedef int (*key_parser)(struct parser *p, const struct key *k, void *obj,
			  const char *v);
typedef void (*key_printer)(struct optic_print *pr, const struct key *k,
			    const void *obj, const struct optic_cages *c);

#define REPEATED ((size_t)-1)

/* One key of a section: how it is parsed, where it goes, how it prints. */
struct key {
	enum sect sect;
	const char *key;
	const char *json;
	key_parser parse;
	key_printer print;
	size_t off; /* the value in the section's struct */
	size_t line_off; /* its line, REPEATED: each value keeps its own */
	bool required;
};

static int fail(struct parser *p, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Record an error of @line (0: the file itself) and mark the section being
 * parsed broken; returns -EINVAL.
 */
static int fail(struct parser *p, unsigned int line, const char *fmt, ...)
{
	struct error *e;
	char *msg;
	va_list ap;
	int r;

	if (p->sect == SECT_BUS)
		p->bus_broken[p->cur] = true;
	else if (p->sect == SECT_CAGE)
		p->cage_broken[p->cur] = true;
	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	e = r < 0 ? NULL :
		    reallocarray(p->errs, p->n_errs + 1, sizeof(*p->errs));
	if (!e) {
		if (r >= 0)
			free(msg);
		p->oom = true;
		return -EINVAL;
	}
	p->errs = e;
	p->errs[p->n_errs] =
		(struct error){ .line = line, .seq = p->n_errs, .msg = msg };
	p->n_errs++;
	return -EINVAL;
}

const struct optic_mux_type *optic_mux_type_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mux_types); i++)
		if (streq(mux_types[i].name, name))
			return &mux_types[i];
	return NULL;
}

static unsigned int *line_at(void *obj, const struct key *k)
{
	return (unsigned int *)((char *)obj + k->line_off);
}

static const unsigned int *cline_at(const void *obj, const struct key *k)
{
	return (const unsigned int *)((const char *)obj + k->line_off);
}

/* Decimal, or hexadecimal after 0x (never octal: "070" is 70). */
static int parse_number(const char *s, unsigned long max, unsigned long *out)
{
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!isxdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, base);
	return errno || *end || *out > max ? -EINVAL : 0;
}

/* "0x70" or "112": a 7-bit address a mux chip may have. */
static int parse_address(const char *s, uint8_t *out)
{
	unsigned long v;

	if (parse_number(s, 0x77, &v) < 0 || v < 0x08 || v == 0x50 || v == 0x51)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_string(struct parser *p, const struct key *k, void *obj,
			const char *v)
{
	char **dst = (char **)((char *)obj + k->off);

	if (strlen(v) > ADAPTER_NAME_MAX)
		return fail(
			p, p->line,
			"%s: '%s' is longer than an adapter name can be (%d)",
			k->key, v, ADAPTER_NAME_MAX);
	free(*dst);
	*dst = strdup(v);
	return *dst ? 0 : fail(p, p->line, "out of memory");
}

static void print_string(struct optic_print *pr, const struct key *k,
			 const void *obj, const struct optic_cages *c)
{
	const char *v = *(char *const *)((const char *)obj + k->off);
	char fmt[64];

	snprintf(fmt, sizeof(fmt), "%s = %%s\n", k->key);
	op_string(pr, k->json, fmt, v ?: "");
}

static int parse_khz(struct parser *p, const struct key *k, void *obj,
		     const char *v)
{
	unsigned int *dst = (unsigned int *)((char *)obj + k->off);
	char num[16];
	unsigned long n;
	size_t len = strspn(v, "0123456789");
	const char *unit = v + len;

	while (*unit == ' ' || *unit == '\t')
		unit++;
	if (len == 0 || len >= sizeof(num) ||
	    (*unit && strcasecmp(unit, "kHz") != 0))
		return fail(p, p->line,
			    "%s: '%s' is not a clock in kHz (100, 400 kHz)",
			    k->key, v);
	memcpy(num, v, len);
	num[len] = '\0';
	if (parse_number(num, 5000, &n) < 0 || n < 10)
		return fail(p, p->line, "%s: %s kHz is not between 10 and 5000",
			    k->key, num);
	*dst = n;
	return 0;
}

static void print_khz(struct optic_print *pr, const struct key *k,
		      const void *obj, const struct optic_cages *c)
{
	const unsigned int *v =
		(const unsigned int *)((const char *)obj + k->off);

	op_uint(pr, k->json, "clock = %" PRIu64 "\n", *v);
}

static int parse_mux(struct parser *p, const struct key *k, void *obj,
		     const char *v)
{
	struct optic_cages_bus *bus = obj;
	const struct optic_mux_type *type;
	char name[16];
	const char *a = v + strcspn(v, " \t");
	struct optic_cages_mux *m;
	uint8_t addr;
	size_t i;

	snprintf(name, sizeof(name), "%.*s", (int)(a - v), v);
	a += strspn(a, " \t");
	type = optic_mux_type_find(name);
	if (!type)
		return fail(
			p, p->line,
			"mux: unknown chip '%s' (pca9540-pca9549, pca9846-pca9849)",
			name);
	if (parse_address(a, &addr) < 0)
		return fail(
			p, p->line,
			"mux: '%s' is not an i2c address of a mux (0x08-0x77, not 0x50/0x51)",
			a);
	for (i = 0; i < bus->n_muxes; i++)
		if (bus->muxes[i].addr == addr)
			return fail(
				p, p->line,
				"mux: 0x%02x is already on bus '%s' (line %u)",
				addr, bus->id, bus->muxes[i].line);
	m = reallocarray(bus->muxes, bus->n_muxes + 1, sizeof(*m));
	if (!m)
		return fail(p, p->line, "out of memory");
	bus->muxes = m;
	bus->muxes[bus->n_muxes++] = (struct optic_cages_mux){
		.type = type, .addr = addr, .line = p->line
	};
	return 0;
}

static void print_mux(struct optic_print *pr, const struct key *k,
		      const void *obj, const struct optic_cages *c)
{
	const struct optic_cages_bus *bus = obj;
	size_t i;

	op_open_array(pr, k->json);
	for (i = 0; i < bus->n_muxes; i++) {
		op_open_object(pr, NULL);
		op_string(pr, "type", "mux = %s", bus->muxes[i].type->name);
		op_uint(pr, "address", " 0x%02" PRIx64 "\n",
			bus->muxes[i].addr);
		op_close_object(pr);
	}
	op_close_array(pr);
}

static int parse_bus_ref(struct parser *p, const struct key *k, void *obj,
			 const char *v)
{
	struct optic_cages_cage *cage = obj;

	free(cage->bus_id);
	cage->bus_id = strdup(v);
	return cage->bus_id ? 0 : fail(p, p->line, "out of memory");
}

static void print_bus_ref(struct optic_print *pr, const struct key *k,
			  const void *obj, const struct optic_cages *c)
{
	const struct optic_cages_cage *cage = obj;

	op_string(pr, k->json, "bus = %s\n", c->buses[cage->bus].id);
}

static int parse_mux_ref(struct parser *p, const struct key *k, void *obj,
			 const char *v)
{
	struct optic_cages_cage *cage = obj;

	if (parse_address(v, &cage->mux_addr) < 0)
		return fail(
			p, p->line,
			"mux: '%s' is not an i2c address of a mux (0x08-0x77, not 0x50/0x51)",
			v);
	return 0;
}

static void print_mux_ref(struct optic_print *pr, const struct key *k,
			  const void *obj, const struct optic_cages *c)
{
	const struct optic_cages_cage *cage = obj;

	if (*cline_at(obj, k))
		op_uint(pr, k->json, "mux = 0x%02" PRIx64 "\n", cage->mux_addr);
	else
		op_null(pr, k->json, NULL);
}

static int parse_channel(struct parser *p, const struct key *k, void *obj,
			 const char *v)
{
	struct optic_cages_cage *cage = obj;
	unsigned long n;

	if (parse_number(v, 7, &n) < 0)
		return fail(p, p->line, "channel: '%s' is not a channel (0-7)",
			    v);
	cage->channel = n;
	return 0;
}

static void print_channel(struct optic_print *pr, const struct key *k,
			  const void *obj, const struct optic_cages *c)
{
	const struct optic_cages_cage *cage = obj;

	if (*cline_at(obj, k))
		op_uint(pr, k->json, "channel = %" PRIu64 "\n", cage->channel);
	else
		op_null(pr, k->json, NULL);
}

/* "CHIP OFFSET [active-low|active-high]"; the chip's label may hold blanks. */
static int parse_gpio(struct parser *p, const struct key *k, void *obj,
		      const char *v)
{
	struct optic_line *l = (struct optic_line *)((char *)obj + k->off);
	_cleanup_free_ char *s = strdup(v);
	char *sp, *last;
	unsigned long off;

	if (!s)
		return fail(p, p->line, "out of memory");
	l->active_low = -1;
	last = strrchr(s, ' ') ?: strrchr(s, '\t');
	if (last &&
	    (streq(last + 1, "active-low") || streq(last + 1, "active-high"))) {
		l->active_low = streq(last + 1, "active-low");
		while (last > s && isspace((unsigned char)last[-1]))
			last--;
		*last = '\0';
	}
	sp = strrchr(s, ' ');
	if (!sp)
		sp = strrchr(s, '\t');
	if (!sp || sp == s || parse_number(sp + 1, UINT16_MAX, &off) < 0)
		return fail(
			p, p->line,
			"%s: '%s' is not CHIP OFFSET (0-65535) [active-low|active-high]",
			k->key, v);
	while (sp > s && isspace((unsigned char)sp[-1]))
		sp--;
	*sp = '\0';
	if (strlen(s) >= sizeof(l->chip))
		return fail(p, p->line,
			    "%s: gpio chip label '%s' is longer than %zu bytes",
			    k->key, s, sizeof(l->chip) - 1);
	strcpy(l->chip, s);
	l->offset = off;
	l->set = true;
	return 0;
}

static void print_gpio(struct optic_print *pr, const struct key *k,
		       const void *obj, const struct optic_cages *c)
{
	const struct optic_line *l =
		(const struct optic_line *)((const char *)obj + k->off);
	char fmt[32];

	if (!l->set) {
		op_null(pr, k->json, NULL);
		return;
	}
	op_open_object(pr, k->json);
	snprintf(fmt, sizeof(fmt), "%s = %%s", k->key);
	op_string(pr, "chip", fmt, l->chip);
	op_uint(pr, "offset", " %" PRIu64, l->offset);
	if (l->active_low < 0)
		op_null(pr, "active_low", NULL);
	else
		op_bool(pr, "active_low",
			l->active_low ? " active-low" : " active-high",
			l->active_low);
	op_text(pr, "\n");
	op_close_object(pr);
}

#define BUS(f) offsetof(struct optic_cages_bus, f)
#define CAGE(f) offsetof(struct optic_cages_cage, f)
#define GPIO(name, n)                                                          \
	{                                                                      \
		SECT_CAGE, name, name, parse_gpio, print_gpio, CAGE(lines[n]), \
			CAGE(line_lines[n]), false                             \
	}

/* Every key of the file, in the order the printer writes them. */
static const struct key keys[] = {
	{ SECT_BUS, "adapter", "adapter", parse_string, print_string,
	  BUS(adapter), BUS(adapter_line), true },
	{ SECT_BUS, "clock", "clock_khz", parse_khz, print_khz, BUS(clock_khz),
	  BUS(clock_line), false },
	{ SECT_BUS, "mux", "muxes", parse_mux, print_mux, 0, REPEATED, false },
	{ SECT_CAGE, "bus", "bus", parse_bus_ref, print_bus_ref, 0,
	  CAGE(bus_line), false },
	{ SECT_CAGE, "mux", "mux", parse_mux_ref, print_mux_ref, 0,
	  CAGE(mux_line), false },
	{ SECT_CAGE, "channel", "channel", parse_channel, print_channel, 0,
	  CAGE(channel_line), false },
	GPIO("presence", OPTIC_LINE_PRESENCE),
	GPIO("reset", OPTIC_LINE_RESET),
	GPIO("lpmode", OPTIC_LINE_LPMODE),
	GPIO("intl", OPTIC_LINE_INTL),
};

static const char *const sect_names[] = {
	[SECT_BUS] = "bus",
	[SECT_CAGE] = "cage",
};

static void *section_obj(struct parser *p)
{
	if (p->sect == SECT_BUS)
		return &p->c->buses[p->cur];
	return &p->c->cages[p->cur];
}

static unsigned int section_line(struct parser *p)
{
	if (p->sect == SECT_BUS)
		return p->c->buses[p->cur].line;
	return p->c->cages[p->cur].line;
}

/* The keys the section lacks; the section ends. */
static void end_section(struct parser *p)
{
	size_t i;

	if ((p->sect == SECT_BUS && !p->bus_broken[p->cur]) ||
	    (p->sect == SECT_CAGE && !p->cage_broken[p->cur])) {
		for (i = 0; i < ARRAY_SIZE(keys); i++)
			if (keys[i].sect == p->sect && keys[i].required &&
			    !*line_at(section_obj(p), &keys[i]))
				fail(p, section_line(p), "[%s] has no '%s'",
				     sect_names[p->sect], keys[i].key);
	}
	p->sect = SECT_NONE;
}

/* A bus id or port name: letters, digits and - _ . + : only. */
static bool valid_name(const char *s)
{
	if (!*s || streq(s, ".") || streq(s, ".."))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.+:", *s))
			return false;
	return true;
}

/*
 * A new section's zeroed object at the end of @arr (elements of @size, *@n
 * of them), with its broken flag; it becomes the current section.
 */
static void *add_section(struct parser *p, enum sect sect, void **arr,
			 size_t *n, size_t size, bool **broken)
{
	void *v = reallocarray(*arr, *n + 1, size);
	bool *b;

	if (!v)
		return NULL;
	*arr = v;
	b = reallocarray(*broken, *n + 1, sizeof(bool));
	if (!b)
		return NULL;
	*broken = b;
	b[*n] = false;
	v = (char *)v + *n * size;
	memset(v, 0, size);
	p->cur = (*n)++;
	p->sect = sect;
	return v;
}

static int new_bus(struct parser *p, const char *id)
{
	struct optic_cages *c = p->c;
	struct optic_cages_bus *b;
	size_t i;

	b = add_section(p, SECT_BUS, (void **)&c->buses, &c->n_buses,
			sizeof(*b), &p->bus_broken);
	if (!b || !(b->id = strdup(id)))
		return -ENOMEM;
	b->line = p->line;
	b->clock_khz = CLOCK_DEFAULT_KHZ;
	if (!valid_name(id))
		fail(p, p->line,
		     "[bus %s]: a bus name is letters, digits and -_.+: only",
		     id);
	for (i = 0; i + 1 < c->n_buses; i++)
		if (streq(c->buses[i].id, id))
			fail(p, p->line,
			     "[bus %s] is already defined (line %u)", id,
			     c->buses[i].line);
	return 0;
}

static int new_cage(struct parser *p, const char *name)
{
	struct optic_cages *c = p->c;
	struct optic_cages_cage *g;
	size_t i;

	g = add_section(p, SECT_CAGE, (void **)&c->cages, &c->n_cages,
			sizeof(*g), &p->cage_broken);
	if (!g)
		return -ENOMEM;
	g->line = p->line;
	snprintf(g->name, sizeof(g->name), "%s", name);
	/* by default a cage is on the bus whose section came last */
	if (c->n_buses && !(g->bus_id = strdup(c->buses[c->n_buses - 1].id)))
		return -ENOMEM;
	if (!valid_name(name) || strlen(name) >= OPTIC_PORT_NAME_LEN ||
	    streq(name, "all"))
		fail(p, p->line,
		     "[cage %s]: a port name is 1-%d letters, digits and -_.+: (not 'all')",
		     name, OPTIC_PORT_NAME_LEN - 1);
	for (i = 0; i + 1 < c->n_cages; i++)
		if (streq(c->cages[i].name, name))
			fail(p, p->line,
			     "[cage %s] is already defined (line %u)", name,
			     c->cages[i].line);
	return 0;
}

/* "[TYPE NAME]" (@s without the brackets). */
static int section(struct parser *p, char *s)
{
	char *name = s + strcspn(s, " \t");

	if (*name)
		*name++ = '\0';
	name += strspn(name, " \t");
	end_section(p);
	if (streq(s, "bus") && *name)
		return new_bus(p, name);
	if (streq(s, "cage") && *name)
		return new_cage(p, name);
	p->sect = SECT_SKIP;
	if (streq(s, "bus") || streq(s, "cage"))
		return fail(p, p->line, "[%s] needs a name: [%s NAME]", s, s);
	return fail(p, p->line, "unknown section [%s%s%s] (bus or cage)", s,
		    *name ? " " : "", name);
}

static void list_keys(char *buf, size_t size, enum sect sect)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(keys) && n < size; i++)
		if (keys[i].sect == sect)
			n += snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
				      keys[i].key);
}

static int key_value(struct parser *p, const char *key, const char *v)
{
	const struct key *k = NULL;
	unsigned int *line = NULL;
	char known[128];
	void *obj;
	size_t i;
	int r;

	if (p->sect == SECT_SKIP)
		return 0; /* the section's header is wrong: said there */
	if (p->sect == SECT_NONE)
		return fail(
			p, p->line,
			"'%s' outside of a section ([bus NAME] or [cage NAME])",
			key);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (keys[i].sect == p->sect && streq(keys[i].key, key))
			k = &keys[i];
	if (!k) {
		list_keys(known, sizeof(known), p->sect);
		return fail(p, p->line, "unknown key '%s' in [%s] (%s)", key,
			    sect_names[p->sect], known);
	}
	if (!*v)
		return fail(p, p->line, "%s: no value", key);
	if (strstr(v, " #") || strstr(v, " ;") || strstr(v, "\t#") ||
	    strstr(v, "\t;"))
		return fail(p, p->line,
			    "%s: '%s': a comment goes on a line of its own",
			    key, v);
	obj = section_obj(p);
	if (k->line_off != REPEATED) {
		line = line_at(obj, k);
		if (*line)
			return fail(
				p, p->line,
				"'%s' is given twice in this section (line %u)",
				key, *line);
	}
	r = k->parse(p, k, obj, v);
	/* given, even when wrong: said once, not again as missing */
	if (line)
		*line = p->line;
	return r;
}

static char *trim(char *s)
{
	char *e;

	s += strspn(s, " \t\r\n");
	e = s + strlen(s);
	while (e > s && strchr(" \t\r\n", e[-1]))
		e--;
	*e = '\0';
	return s;
}

static int parse_line(struct parser *p, char *s, size_t len)
{
	char *eq;

	if (strlen(s) != len)
		return fail(p, p->line, "a NUL byte in the line");
	s = trim(s);
	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		if (s[strlen(s) - 1] != ']') {
			p->sect = SECT_SKIP;
			return fail(p, p->line,
				    "'%s': a section header ends with ]", s);
		}
		s[strlen(s) - 1] = '\0';
		return section(p, trim(s + 1));
	}
	eq = strchr(s, '=');
	if (!eq || eq == s)
		return fail(
			p, p->line,
			"'%s': expected [bus NAME], [cage NAME], key = value or a comment",
			s);
	*eq = '\0';
	return key_value(p, trim(s), trim(eq + 1));
}

static struct optic_cages_bus *bus_named(struct optic_cages *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->n_buses; i++)
		if (streq(c->buses[i].id, id))
			return &c->buses[i];
	return NULL;
}

const struct optic_cages_mux *
optic_cages_mux_of(const struct optic_cages *c,
		   const struct optic_cages_cage *cage)
{
	const struct optic_cages_bus *b = &c->buses[cage->bus];
	size_t i;

	if (!cage->mux_line)
		return NULL;
	for (i = 0; i < b->n_muxes; i++)
		if (b->muxes[i].addr == cage->mux_addr)
			return &b->muxes[i];
	return NULL;
}

/* The cage's bus, mux and channel; false when the cage is not placed. */
static bool check_place(struct parser *p, struct optic_cages_cage *g)
{
	const struct optic_cages_mux *m;
	struct optic_cages_bus *b;

	if (!g->bus_id) {
		fail(p, g->line,
		     "[cage %s]: no bus: add 'bus = NAME' or put it after its [bus NAME]",
		     g->name);
		return false;
	}
	b = bus_named(p->c, g->bus_id);
	if (!b) {
		fail(p, g->bus_line ?: g->line, "[cage %s]: no [bus %s]",
		     g->name, g->bus_id);
		return false;
	}
	g->bus = b - p->c->buses;
	if (p->bus_broken[g->bus])
		return false; /* its muxes are not all known */
	if (!g->mux_line) {
		if (g->channel_line)
			fail(p, g->channel_line,
			     "channel: the cage has no mux (add 'mux = ADDRESS')");
		return !g->channel_line;
	}
	m = optic_cages_mux_of(p->c, g);
	if (!m || !g->channel_line || g->channel >= m->type->channels) {
		if (!m)
			fail(p, g->mux_line, "mux: no mux 0x%02x on [bus %s]",
			     g->mux_addr, b->id);
		else if (!g->channel_line)
			fail(p, g->mux_line,
			     "mux: the cage needs a channel of mux 0x%02x too",
			     g->mux_addr);
		else
			fail(p, g->channel_line,
			     "channel: %s 0x%02x has channels 0-%u",
			     m->type->name, m->addr, m->type->channels - 1);
		return false;
	}
	return true;
}

static bool same_place(const struct optic_cages_cage *a,
		       const struct optic_cages_cage *b)
{
	return a->bus == b->bus && !!a->mux_line == !!b->mux_line &&
	       (!a->mux_line ||
		(a->mux_addr == b->mux_addr && a->channel == b->channel));
}

/* Two cages on one channel, or two cages on one GPIO line. */
static void check_clashes(struct parser *p, const bool *placed, size_t i)
{
	const struct optic_cages_cage *g = &p->c->cages[i], *h;
	unsigned int l, m;
	size_t j;

	for (j = 0; j < i; j++) {
		h = &p->c->cages[j];
		if (p->cage_broken[j])
			continue;
		if (placed[i] && placed[j] && same_place(g, h))
			fail(p, g->line,
			     "[cage %s] sits where [cage %s] (line %u) does",
			     g->name, h->name, h->line);
		for (l = 0; l < OPTIC_LINES; l++)
			for (m = 0; m < OPTIC_LINES; m++)
				if (g->lines[l].set && h->lines[m].set &&
				    streq(g->lines[l].chip, h->lines[m].chip) &&
				    g->lines[l].offset == h->lines[m].offset)
					fail(p, g->line_lines[l],
					     "%s: %s %u is already [cage %s]'s %s (line %u)",
					     optic_line_name(l),
					     g->lines[l].chip,
					     g->lines[l].offset, h->name,
					     optic_line_name(m),
					     h->line_lines[m]);
	}
	/* two lines of one cage */
	for (l = 0; l < OPTIC_LINES; l++)
		for (m = 0; m < l; m++)
			if (g->lines[l].set && g->lines[m].set &&
			    streq(g->lines[l].chip, g->lines[m].chip) &&
			    g->lines[l].offset == g->lines[m].offset)
				fail(p, g->line_lines[l],
				     "%s: %s %u is also this cage's %s (line %u)",
				     optic_line_name(l), g->lines[l].chip,
				     g->lines[l].offset, optic_line_name(m),
				     g->line_lines[m]);
}

static int check(struct parser *p)
{
	struct optic_cages *c = p->c;
	_cleanup_free_ bool *placed = calloc(c->n_cages + 1, sizeof(bool));
	size_t i, j;

	if (!placed)
		return -ENOMEM;
	for (i = 0; i < c->n_buses; i++)
		for (j = 0; j < i; j++)
			if (!p->bus_broken[i] && !p->bus_broken[j] &&
			    c->buses[i].adapter && c->buses[j].adapter &&
			    streq(c->buses[i].adapter, c->buses[j].adapter))
				fail(p, c->buses[i].adapter_line,
				     "adapter: '%s' is already [bus %s]'s (line %u)",
				     c->buses[i].adapter, c->buses[j].id,
				     c->buses[j].adapter_line);
	for (i = 0; i < c->n_cages; i++) {
		if (p->cage_broken[i])
			continue;
		placed[i] = check_place(p, &c->cages[i]);
		check_clashes(p, placed, i);
	}
	return 0;
}

void optic_cages_free(struct optic_cages *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n_buses; i++) {
		free(c->buses[i].id);
		free(c->buses[i].adapter);
		free(c->buses[i].muxes);
	}
	for (i = 0; i < c->n_cages; i++)
		free(c->cages[i].bus_id);
	free(c->buses);
	free(c->cages);
	free(c->path);
	free(c);
}

DEFINE_TRIVIAL_CLEANUP_FUNC(struct optic_cages *, optic_cages_free)

static int parse_stream(struct parser *p, FILE *f)
{
	_cleanup_free_ char *buf = NULL;
	size_t size = 0;
	ssize_t n;
	int r;

	while (f && (n = getline(&buf, &size, f)) >= 0) {
		p->line++;
		if (n > 0 && buf[n - 1] == '\n')
			buf[--n] = '\0';
		r = parse_line(p, buf, n);
		if (r == -ENOMEM)
			return r;
	}
	end_section(p);
	return check(p);
}

static int by_line(const void *a, const void *b)
{
	const struct error *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Every error, in the file's order, one "FILE:LINE: reason" a line. */
static char *join_errors(struct parser *p)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	qsort(p->errs, p->n_errs, sizeof(*p->errs), by_line);
	for (i = 0; i < p->n_errs; i++) {
		if (p->errs[i].line)
			fprintf(f, "%s%s:%u: %s", i ? "\n" : "", p->name,
				p->errs[i].line, p->errs[i].msg);
		else
			fprintf(f, "%s%s: %s", i ? "\n" : "", p->name,
				p->errs[i].msg);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void parser_clear(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->n_errs; i++)
		free(p->errs[i].msg);
	free(p->errs);
	free(p->bus_broken);
	free(p->cage_broken);
}

static int load(const char *name, FILE *f, struct optic_cages **out, char **err)
{
	_cleanup_(optic_cages_freep) struct optic_cages *c = NULL;
	struct parser p = { .name = name };
	int r;

	*err = NULL;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(name)))
		return -ENOMEM;
	p.c = c;
	r = parse_stream(&p, f);
	if (r == 0 && p.n_errs == 0 && c->n_cages == 0)
		fail(&p, 0, "no [cage NAME] section: nothing to set up");
	if (r == 0 && p.oom)
		r = -ENOMEM;
	if (r == 0 && p.n_errs) {
		*err = join_errors(&p);
		r = *err ? -EINVAL : -ENOMEM;
	}
	parser_clear(&p);
	if (r == 0)
		*out = TAKE_PTR(c);
	return r;
}

int optic_cages_load(const char *path, struct optic_cages **out, char **err)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	int r;

	if (!f) {
		r = -errno;
		if (asprintf(err, "%s: %s", path, strerror(-r)) < 0)
			*err = NULL;
		return r;
	}
	return load(path, f, out, err);
}

int optic_cages_load_string(const char *name, const char *text,
			    struct optic_cages **out, char **err)
{
	_cleanup_fclose_ FILE *f = NULL;

	*err = NULL;
	if (!*text) /* fmemopen() refuses a size of 0 */
		return load(name, NULL, out, err);
	f = fmemopen((void *)text, strlen(text), "r");
	if (!f)
		return -errno;
	return load(name, f, out, err);
}

static void print_section(struct optic_print *pr, const struct optic_cages *c,
			  enum sect sect, const void *obj)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (keys[i].sect == sect)
			keys[i].print(pr, &keys[i], obj, c);
}

void optic_cages_print(struct optic_print *pr, const struct optic_cages *c)
{
	size_t i;

	op_open_object(pr, NULL);
	op_string(pr, "file", "# %s\n", c->path);
	op_open_array(pr, "buses");
	for (i = 0; i < c->n_buses; i++) {
		op_open_object(pr, NULL);
		op_string(pr, "bus", "\n[bus %s]\n", c->buses[i].id);
		print_section(pr, c, SECT_BUS, &c->buses[i]);
		op_close_object(pr);
	}
	op_close_array(pr);
	op_open_array(pr, "cages");
	for (i = 0; i < c->n_cages; i++) {
		op_open_object(pr, NULL);
		op_string(pr, "port", "\n[cage %s]\n", c->cages[i].name);
		print_section(pr, c, SECT_CAGE, &c->cages[i]);
		op_close_object(pr);
	}
	op_close_array(pr);
	op_close_object(pr);
}
