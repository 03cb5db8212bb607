// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cages.conf: the shipped example, a description printed and parsed back
 * unchanged (text and JSON from the one key table), and a table of bad
 * files where every bad line gives its own error naming FILE:LINE, with
 * nothing lost on the way (later errors of the same file still reported).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cages.h"
#include "util.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(struct optic_cages *, optic_cages_free)

static struct optic_cages *load_ok(const char *text)
{
	struct optic_cages *c = NULL;
	_cleanup_free_ char *err = NULL;
	int r = optic_cages_load_string("t.conf", text, &c, &err);

	if (r < 0)
		fail_msg("unexpected error %d: %s", r, err ?: "(none)");
	assert_null(err);
	return c;
}

/* The text or JSON the printer makes of @c. */
static char *print(const struct optic_cages *c, unsigned int flags)
{
	struct optic_print *p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(optic_print_new(&p, f, flags), 0);
	optic_cages_print(p, c);
	assert_int_equal(optic_print_flush(p), 0);
	optic_print_free(p);
	fclose(f);
	return buf;
}

static void test_example(void **state)
{
	_cleanup_(optic_cages_freep) struct optic_cages *c = NULL;
	_cleanup_free_ char *err = NULL;
	const struct optic_cages_cage *g;
	char path[256];

	snprintf(path, sizeof(path), "%s/contrib/cages.conf.example",
		 getenv("OPTIC_SRCDIR") ?: ".");
	assert_int_equal(optic_cages_load(path, &c, &err), 0);
	assert_int_equal(c->n_buses, 1);
	assert_string_equal(c->buses[0].adapter, "SMBus I801 adapter at f000");
	assert_int_equal(c->buses[0].clock_khz, 100);
	assert_int_equal(c->buses[0].n_muxes, 4);
	assert_int_equal(c->buses[0].muxes[3].addr, 0x73);
	assert_int_equal(c->buses[0].muxes[3].type->channels, 8);
	assert_int_equal(c->n_cages, 32);
	g = &c->cages[31];
	assert_string_equal(g->name, "swp32");
	assert_int_equal(g->bus, 0);
	assert_int_equal(g->mux_addr, 0x73);
	assert_int_equal(g->channel, 7);
	assert_string_equal(g->lines[OPTIC_LINE_INTL].chip, "cpld-gpio");
	assert_int_equal(g->lines[OPTIC_LINE_INTL].offset, 127);
	assert_int_equal(g->lines[OPTIC_LINE_INTL].active_low, -1);
	assert_int_equal(optic_cages_mux_of(c, g)->addr, 0x73);
}

static const char full[] = "# two buses, every key\n"
			   "[bus a]\n"
			   "adapter = SMBus I801 adapter at f000\n"
			   "clock = 400 kHz\n"
			   "mux = pca9548 0x70\n"
			   "mux = pca9546 0x71\n"
			   "[bus b]\n"
			   "adapter = i2c-designware\n"
			   "[cage swp1]\n"
			   "bus = a\n"
			   "mux = 0x71\n"
			   "channel = 3\n"
			   "presence = cpld gpio 2 7\n"
			   "reset = cpld 8 active-high\n"
			   "lpmode = cpld 9 active-low\n"
			   "intl = cpld 10\n"
			   "[cage p2]\n"
			   "; on b's root adapter, without a mux\n";

static void test_round_trip(void **state)
{
	_cleanup_(optic_cages_freep) struct optic_cages *c = load_ok(full);
	_cleanup_(optic_cages_freep) struct optic_cages *again = NULL;
	_cleanup_free_ char *text = print(c, 0), *text2 = NULL;
	_cleanup_free_ char *json = print(c, OPTIC_PRINT_JSON);
	const struct optic_cages_cage *g = &c->cages[0];

	assert_int_equal(c->buses[0].clock_khz, 400);
	assert_int_equal(c->buses[1].clock_khz, 100);
	assert_string_equal(g->lines[OPTIC_LINE_PRESENCE].chip, "cpld gpio 2");
	assert_int_equal(g->lines[OPTIC_LINE_PRESENCE].offset, 7);
	assert_int_equal(g->lines[OPTIC_LINE_RESET].active_low, 0);
	assert_int_equal(g->lines[OPTIC_LINE_LPMODE].active_low, 1);
	assert_int_equal(c->cages[1].bus, 1);
	assert_null(optic_cages_mux_of(c, &c->cages[1]));
	/* printed, parsed back: the same description */
	again = load_ok(text);
	text2 = print(again, 0);
	assert_string_equal(strchr(text, '\n'), strchr(text2, '\n'));
	assert_non_null(strstr(text, "presence = cpld gpio 2 7\n"));
	assert_non_null(strstr(text, "reset = cpld 8 active-high\n"));
	assert_non_null(strstr(text, "clock = 400\n"));
	assert_non_null(strstr(
		json, "\"muxes\":[{\"type\":\"pca9548\",\"address\":112},"));
	assert_non_null(strstr(
		json,
		"\"presence\":{\"chip\":\"cpld gpio 2\",\"offset\":7,\"active_low\":null}"));
	assert_non_null(strstr(
		json,
		"\"port\":\"p2\",\"bus\":\"b\",\"mux\":null,\"channel\":null"));
}

/* Every key the printer writes (the key table's) is in cages.conf(5). */
static void test_man_page(void **state)
{
	_cleanup_(optic_cages_freep) struct optic_cages *c = load_ok(full);
	_cleanup_free_ char *text = print(c, 0), *man = NULL;
	_cleanup_fclose_ FILE *f = NULL;
	char path[256], want[64], *line, *save = NULL;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/docs/man/cages.conf.5",
		 getenv("OPTIC_SRCDIR") ?: ".");
	f = fopen(path, "re");
	assert_non_null(f);
	assert_true(getdelim(&man, &n, '\0', f) > 0);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *eq = strstr(line, " = ");

		if (!eq || *line == '#')
			continue;
		snprintf(want, sizeof(want), ".BI %.*s \"", (int)(eq - line),
			 line);
		if (!strstr(man, want))
			fail_msg("%s does not document '%s'", path, want);
	}
}

/* A file and every error it must give, in order, ";"-separated. */
static const struct bad {
	const char *text;
	const char *errors;
} bad[] = {
	{ "", "t.conf: no [cage NAME] section: nothing to set up" },
	{ "adapter = x\n[cage p]\n",
	  "t.conf:1: 'adapter' outside of a section ([bus NAME] or [cage NAME]);"
	  "t.conf:2: [cage p]: no bus: add 'bus = NAME' or put it after its [bus NAME]" },
	{ "[bus a]\nadapter = x\n[cage p]\njunk\nmux 0x70\n[zone z]\nfoo = 1\n[cage q\n",
	  "t.conf:4: 'junk': expected [bus NAME], [cage NAME], key = value or a comment;"
	  "t.conf:5: 'mux 0x70': expected [bus NAME], [cage NAME], key = value or a comment;"
	  "t.conf:6: unknown section [zone z] (bus or cage);"
	  "t.conf:8: '[cage q': a section header ends with ]" },
	{ "[bus]\nadapter = x\n[bus a/b]\n[cage]\n[cage all]\nbus = a/b\n",
	  "t.conf:1: [bus] needs a name: [bus NAME];"
	  "t.conf:3: [bus a/b]: a bus name is letters, digits and -_.+: only;"
	  "t.conf:4: [cage] needs a name: [cage NAME];"
	  "t.conf:5: [cage all]: a port name is 1-31 letters, digits and -_.+: (not 'all')" },
	{ "[bus a]\nadapter = x\ncolor = red\nadapter = y\nclock = fast\n"
	  "[bus b]\nadapter = y\nclock = 9\nmux = pca9999 0x70\nmux = pca9548 0x50\n"
	  "mux = pca9548 0x70\nmux = pca9546 0x70\n"
	  "[bus c]\nadapter = z\nmux = pca9548 0x70\n[cage p]\nmux = 0x70\n",
	  "t.conf:3: unknown key 'color' in [bus] (adapter, clock, mux);"
	  "t.conf:4: 'adapter' is given twice in this section (line 2);"
	  "t.conf:5: clock: 'fast' is not a clock in kHz (100, 400 kHz);"
	  "t.conf:8: clock: 9 kHz is not between 10 and 5000;"
	  "t.conf:9: mux: unknown chip 'pca9999' (pca9540-pca9549, pca9846-pca9849);"
	  "t.conf:10: mux: '0x50' is not an i2c address of a mux (0x08-0x77, not 0x50/0x51);"
	  "t.conf:12: mux: 0x70 is already on bus 'b' (line 11);"
	  "t.conf:17: mux: the cage needs a channel of mux 0x70 too" },
	{ "[bus a]\nadapter = x\nmux = pca9546 0x70\n[cage p]\nmux = 0x71\nchannel = 1\n"
	  "[cage q]\nmux = 0x70\nchannel = 4\n[cage r]\nchannel = 2\n[cage s]\nbus = nope\n"
	  "[cage t]\nmux = 0x70\nchannel = 9\n",
	  "t.conf:5: mux: no mux 0x71 on [bus a];"
	  "t.conf:9: channel: pca9546 0x70 has channels 0-3;"
	  "t.conf:11: channel: the cage has no mux (add 'mux = ADDRESS');"
	  "t.conf:13: [cage s]: no [bus nope];"
	  "t.conf:16: channel: '9' is not a channel (0-7)" },
	{ "[bus a]\nadapter = x\nmux = pca9548 0x70\n[cage p]\nmux = 0x70\nchannel = 1\n"
	  "presence = cpld 1\nreset = cpld 1\n[cage q]\nmux = 0x70\nchannel = 1\n"
	  "intl = cpld 1\n[cage u]\nlpmode = cpld\nreset = 4 active-low\n"
	  "[cage p]\n[cage r]\n[cage s]\n",
	  "t.conf:8: reset: cpld 1 is also this cage's presence (line 7);"
	  "t.conf:9: [cage q] sits where [cage p] (line 4) does;"
	  "t.conf:12: intl: cpld 1 is already [cage p]'s presence (line 7);"
	  "t.conf:12: intl: cpld 1 is already [cage p]'s reset (line 8);"
	  "t.conf:14: lpmode: 'cpld' is not CHIP OFFSET (0-65535) [active-low|active-high];"
	  "t.conf:15: reset: '4 active-low' is not CHIP OFFSET (0-65535) [active-low|active-high];"
	  "t.conf:16: [cage p] is already defined (line 4);"
	  "t.conf:18: [cage s] sits where [cage r] (line 17) does" },
	{ "[bus a]\nadapter = x # main\nclock =\n[bus b]\nadapter = x\n[cage p]\n",
	  "t.conf:2: adapter: 'x # main': a comment goes on a line of its own;"
	  "t.conf:3: clock: no value" },
	{ "[bus a]\nclock = 100\n[cage p]\n",
	  "t.conf:1: [bus] has no 'adapter'" },
	{ "[bus a]\nadapter = x\n[bus b]\nadapter = x\n[cage p]\n",
	  "t.conf:4: adapter: 'x' is already [bus a]'s (line 2)" },
};

/* "a;b;c" and "a\nb\nc" are the same list. */
static void assert_errors(const char *want, const char *got)
{
	_cleanup_free_ char *w = strdup(want);
	char *s;

	for (s = w; *s; s++)
		if (*s == ';' && s[1] == 't' && !strncmp(s + 1, "t.conf", 6))
			*s = '\n';
	if (!streq(w, got))
		fail_msg("errors:\n%s\nexpected:\n%s", got, w);
}

static void test_bad(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct optic_cages *c = NULL;
		_cleanup_free_ char *err = NULL;

		print_message("bad file %zu\n", i);
		assert_int_equal(optic_cages_load_string("t.conf", bad[i].text,
							 &c, &err),
				 -EINVAL);
		assert_null(c);
		assert_non_null(err);
		assert_errors(bad[i].errors, err);
	}
}

/* No line length limit, no NUL byte taken for the end of a line. */
static void test_long_and_nul(void **state)
{
	static const char nul[] = "[bus a]\nadapter = x\0y\n[cage p]\n";
	char text[8192], path[] = "/tmp/test_cages.XXXXXX", want[64];
	struct optic_cages *c = NULL;
	char *err = NULL;
	int fd;
	size_t n;

	n = snprintf(text, sizeof(text), "[bus a]\nadapter = ");
	memset(text + n, 'x', 5000);
	n += 5000;
	snprintf(text + n, sizeof(text) - n, "\n[cage p]\n");
	assert_int_equal(optic_cages_load_string("t.conf", text, &c, &err),
			 -EINVAL);
	assert_non_null(strstr(err, "t.conf:2: adapter: 'xxxx"));
	assert_non_null(strstr(err, "is longer than an adapter name can be"));
	free(err);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, nul, sizeof(nul) - 1),
			 (ssize_t)sizeof(nul) - 1);
	close(fd);
	assert_int_equal(optic_cages_load(path, &c, &err), -EINVAL);
	unlink(path);
	snprintf(want, sizeof(want), "%s:2: a NUL byte in the line", path);
	assert_string_equal(err, want);
	free(err);
}

static void test_missing_file(void **state)
{
	struct optic_cages *c = NULL;
	_cleanup_free_ char *err = NULL;

	assert_int_equal(optic_cages_load("/nonexistent/cages.conf", &c, &err),
			 -ENOENT);
	assert_string_equal(
		err, "/nonexistent/cages.conf: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_man_page),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_long_and_nul),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
