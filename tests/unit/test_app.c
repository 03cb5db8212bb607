// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CMIS applications (lib/app.c): names, lookup by AppSel and interface
 * name, instances over host lanes; the active application per lane in
 * the decoded model and the ConfigStatus names.
 */
#include "app.h"
#include "vectors_app.h"

static void test_name_matches(void **state)
{
	static const struct {
		const char *ifname, *name;
		bool match;
	} t[] = {
		{ "400GBASE-DR4 (Clause 124)", "400GBASE-DR4", true },
		{ "400GBASE-DR4 (Clause 124)", "400gbase-dr4", true },
		{ "400GBASE-DR4-2 (Clause 124)", "400GBASE-DR4", false },
		{ "400GBASE-DR4 (Clause 124)", "400GBASE-DR", false },
		{ "800GAUI-8 S C2M (Annex 120G)", "800GAUI-8", true },
		{ "800GAUI-8 S C2M (Annex 120G)", "800GAUI-8 S C2M", true },
		{ "800GAUI-8 S C2M (Annex 120G)", "800GAUI", false },
		{ "400G-FR4/400GBASE-FR4 (Clause 151)", "400GBASE-FR4", true },
		{ "400G-FR4/400GBASE-FR4 (Clause 151)", "400G-FR4", true },
		{ "400G-FR4/400GBASE-FR4 (Clause 151)", "FR4", false },
		{ "400GBASE-DR4 (Clause 124)", "", false },
		{ NULL, "400GBASE-DR4", false },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		if (optic_if_name_matches(t[i].ifname, t[i].name) != t[i].match)
			fail_msg("'%s' ~ '%s': want %d",
				 t[i].ifname ?: "(null)", t[i].name,
				 t[i].match);
	(void)state;
}

static void test_name_valid(void **state)
{
	static const struct {
		const char *name;
		bool valid;
		unsigned int appsel;
	} t[] = {
		{ "1", true, 1 },
		{ "15", true, 15 },
		{ "0", false, 0 },
		{ "16", false, 0 },
		{ "2x", false, 0 },
		{ "-1", false, 0 },
		{ "400GBASE-DR4", true, 0 },
		{ "800GAUI-8", true, 0 },
		{ "100GBASE-SR4", true, 0 },
		{ "10GBASE-T", true, 0 },
		{ "400GBASE-XYZ", false, 0 },
		{ "", false, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		if (optic_app_name_valid(t[i].name) != t[i].valid)
			fail_msg("'%s': want valid %d", t[i].name, t[i].valid);
		assert_int_equal(optic_appsel_parse(t[i].name), t[i].appsel);
	}
	(void)state;
}

static void test_find(void **state)
{
	static const struct {
		const char *name;
		int r;
		unsigned int appsel;
		uint16_t cands;
	} t[] = {
		{ "1", 0, 1, 0 },
		{ "5", 0, 5, 0 },
		{ "6", -ENOENT, 0, 0 }, /* not advertised */
		{ "400GBASE-DR4", 0, 2, 0x02 },
		{ "800GAUI-8", 0, 1, 0x01 },
		{ "100GBASE-DR", 0, 4, 0x08 },
		{ "400GAUI-4-S", -EEXIST, 0, 0x12 }, /* AppSel 2 and 5 */
		{ "400GBASE-SR8", -ENOENT, 0, 0 },
		{ "no-such-thing", -EINVAL, 0, 0 },
	};
	struct optic_image img;
	struct optic_app a;

	optic_image_init(&img);
	img_800g(&img, 1);
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		uint16_t cands = 0;
		int r = optic_app_find(&img, t[i].name, &a, &cands);

		if (r != t[i].r)
			fail_msg("'%s': %d, want %d", t[i].name, r, t[i].r);
		if (r == 0)
			assert_int_equal(a.appsel, t[i].appsel);
		if (!optic_appsel_parse(t[i].name) && r != -EINVAL)
			assert_int_equal(cands, t[i].cands);
	}
	assert_int_equal(optic_app_get(&img, 2, &a), 0);
	assert_int_equal(a.host_lanes, 4);
	assert_int_equal(a.media_lanes, 4);
	assert_int_equal(a.host_assign, 0x11);
	assert_string_equal(a.media_name, "400GBASE-DR4 (Clause 124)");
	assert_string_equal(a.host_name, "400GAUI-4-S C2M (Annex 120G)");
	char label[OPTIC_APP_LABEL];

	optic_app_label(&a, label, sizeof(label));
	assert_string_equal(label, "400GBASE-DR4, 400GAUI-4-S C2M");
	assert_int_equal(optic_app_get(&img, 0, &a), -ENOENT);
	optic_image_clear(&img);
	(void)state;
}

static void test_cover(void **state)
{
	static const struct optic_app dr8 = { .appsel = 1,
					      .host_lanes = 8,
					      .host_assign = 0x01 };
	static const struct optic_app dr4 = { .appsel = 2,
					      .host_lanes = 4,
					      .host_assign = 0x11 };
	static const struct optic_app x2 = { .appsel = 3,
					     .host_lanes = 2,
					     .host_assign = 0x55 };
	static const struct {
		const struct optic_app *app;
		uint32_t lanes;
		unsigned int nlanes;
		int r;
		uint32_t bad;
		const char *starts;
	} t[] = {
		{ &dr8, 0xff, 8, 0, 0, "1" },
		{ &dr8, 0x0f, 8, -EINVAL, 0x0f, "1" },
		{ &dr8, 0xffff, 16, 0, 0, "1 or 9" },
		{ &dr8, 0x1ff, 8, -ERANGE, 0, "1" },
		{ &dr4, 0xff, 8, 0, 0, "1 or 5" },
		{ &dr4, 0x0f, 8, 0, 0, "1 or 5" },
		{ &dr4, 0xf0, 8, 0, 0, "1 or 5" },
		{ &dr4, 0x07, 8, -EINVAL, 0x07, "1 or 5" },
		{ &dr4, 0x1e, 8, -EINVAL, 0x1e, "1 or 5" },
		{ &dr4, 0x7f, 8, -EINVAL, 0x70, "1 or 5" },
		{ &dr4, 0x0f, 4, 0, 0, "1" }, /* lane 5 past a 4-lane module */
		{ &x2, 0x3c, 8, 0, 0, "1, 3, 5 or 7" },
		{ &x2, 0x06, 8, -EINVAL, 0x06, "1, 3, 5 or 7" },
	};
	char buf[OPTIC_LANES_TEXT];

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		uint32_t bad = 0;
		int r = optic_app_cover(t[i].app, t[i].lanes, t[i].nlanes,
					&bad);

		if (r != t[i].r || (r == -EINVAL && bad != t[i].bad))
			fail_msg("row %zu: %d bad %#x, want %d %#x", i, r, bad,
				 t[i].r, t[i].bad);
		optic_app_starts(t[i].app, t[i].nlanes, buf, sizeof(buf));
		assert_string_equal(buf, t[i].starts);
	}
	(void)state;
}

static void test_lanes_format(void **state)
{
	static const struct {
		uint32_t lanes;
		const char *text;
	} t[] = {
		{ 0x01, "1" },		{ 0x07, "1-3" },
		{ 0xf5, "1,3,5-8" },	{ 0x80000001, "1,32" },
		{ 0xffffffff, "1-32" }, { 0, "" },
	};
	char buf[OPTIC_LANES_TEXT];

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		optic_lanes_format(t[i].lanes, buf, sizeof(buf));
		assert_string_equal(buf, t[i].text);
	}
	(void)state;
}

/* Page 11h 206-213 (CMIS 5.2 Table 8-89): the active AppSel per lane. */
static void test_active_app(void **state)
{
	static const struct {
		uint8_t acs;
		unsigned int app;
		const char *str;
	} t[] = {
		{ 0x20, 2, "400GBASE-DR4, 400GAUI-4-S C2M" },
		{ 0x28, 2, "400GBASE-DR4, 400GAUI-4-S C2M" }, /* DPID 4 */
		{ 0x11, 1, "800GBASE-DR8, 800GAUI-8 S C2M" }, /* explicit */
		{ 0x00, 0, "unused" },
		{ 0x90, 9, "not advertised" },
	};
	struct optic_image img;
	struct optic_model m;

	optic_image_init(&img);
	img_800g(&img, 1);
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		put8(&img, 0x11, 206 + i, t[i].acs);
	assert_int_equal(optic_decode(&img, &m), 0);
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		const struct optic_value *v =
			optic_model_get(&m, "application", NULL, i);

		assert_non_null(v);
		assert_int_equal(v->raw, t[i].app);
		assert_string_equal(optic_value_str(&m, v), t[i].str);
	}
	optic_model_free(&m);
	optic_image_clear(&img);
	(void)state;
}

static void test_config_status(void **state)
{
	static const struct {
		uint8_t code;
		const char *name, *json;
	} t[] = {
		{ OPTIC_CONFIG_SUCCESS, "ConfigSuccess", "success" },
		{ OPTIC_CONFIG_REJECTED_INVALID_APPSEL,
		  "ConfigRejectedInvalidAppSel", "rejected_invalid_appsel" },
		{ OPTIC_CONFIG_REJECTED_PARTIAL_DATAPATH,
		  "ConfigRejectedPartialDataPath",
		  "rejected_partial_datapath" },
		{ OPTIC_CONFIG_IN_PROGRESS, "ConfigInProgress", "in_progress" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		const struct optic_code *c =
			optic_code_find(&optic_cmis_config_status, t[i].code);

		assert_non_null(c);
		assert_string_equal(c->name, t[i].name);
		assert_string_equal(c->json, t[i].json);
	}
	assert_null(optic_code_find(&optic_cmis_config_status, 0x8));
	assert_string_equal(optic_code_find(&optic_cmis_dp_state, 4)->name,
			    "DPActivated");
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_matches),
		cmocka_unit_test(test_name_valid),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_cover),
		cmocka_unit_test(test_lanes_format),
		cmocka_unit_test(test_active_app),
		cmocka_unit_test(test_config_status),
	};

	return cmocka_run_group_tests_name("app", tests, NULL, NULL);
}
