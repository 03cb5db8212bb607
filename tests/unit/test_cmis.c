// SPDX-License-Identifier: GPL-2.0-or-later
/* Decoding a CMIS image: every row kind, lanes, applications, flags. */
#include <math.h>

#include "vectors.h"

struct fx {
	struct optic_image img;
	struct optic_model m;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	optic_image_init(&fx->img);
	cmis_400g_dr4(&fx->img);
	assert_int_equal(optic_decode(&fx->img, &fx->m), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	optic_model_free(&fx->m);
	optic_image_clear(&fx->img);
	free(fx);
	return 0;
}

static const struct optic_value *get(void **state, const char *key, int idx)
{
	struct fx *fx = *state;
	const struct optic_value *v = optic_model_get(&fx->m, key, NULL, idx);

	if (!v)
		fail_msg("no value for %s[%d]", key, idx);
	return v;
}

/* The text and the code of value @key[@idx]. */
static const char *str(void **state, const char *key, int idx)
{
	return optic_value_str(&((struct fx *)*state)->m, get(state, key, idx));
}

static const struct optic_code *code(void **state, const char *key, int idx)
{
	return optic_value_code(&((struct fx *)*state)->m,
				get(state, key, idx));
}

static void test_spec(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(fx->m.spec, OPTIC_SPEC_CMIS);
	assert_false(fx->m.flat);
	assert_int_equal(fx->m.lanes, 8);
	assert_int_equal(fx->m.napps, 2);
}

/* CMIS 5.2 Table 8-28..8-33 and SFF-8024 Table 4-1/4-3 */
static void test_identity(void **state)
{
	static const struct {
		const char *key;
		const char *str;
	} want[] = {
		{ "identifier", "QSFP-DD" },
		{ "cmis_revision", "5.0" },
		{ "memory_model", "Paged" },
		{ "vendor_name", "ACME OPTICS" },
		{ "vendor_oui", "00:90:65" },
		{ "vendor_pn", "QDD-400G-DR4" },
		{ "vendor_rev", "A1" },
		{ "vendor_sn", "SN0001" },
		{ "date_code", "2023-01-15" },
		{ "connector", "MPO 1x12" },
		{ "media_type", "Optical interfaces: SMF" },
		{ "media_technology", "1310 nm EML" },
		{ "firmware_version", "2.7" },
		{ "firmware_inactive_version", "2.5" },
		{ "module_state", "ModuleReady" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(want); i++)
		assert_string_equal(str(state, want[i].key, -1), want[i].str);
	assert_int_equal(get(state, "identifier", -1)->raw, 0x18);
	assert_string_equal(code(state, "module_state", -1)->json, "ready");
	assert_float_equal(get(state, "power_class", -1)->num, 4, 0);
	assert_float_equal(get(state, "max_power_w", -1)->num, 12.0, 1e-9);
	assert_float_equal(get(state, "cdb_instances", -1)->num, 1, 0);
	/* CLEI is blank: omitted */
	assert_null(optic_model_get(&((struct fx *)*state)->m, "clei_code",
				    NULL, -1));
}

static void test_monitors(void **state)
{
	assert_float_equal(get(state, "temperature_c", -1)->num, 25.5, 1e-9);
	assert_float_equal(get(state, "supply_voltage_v", -1)->num, 3.3, 1e-9);
}

static void test_lanes(void **state)
{
	const struct optic_value *v;

	assert_string_equal(code(state, "datapath_state", 0)->json,
			    "activated");
	assert_string_equal(code(state, "datapath_state", 1)->json,
			    "initialized");
	assert_string_equal(code(state, "datapath_state", 7)->json,
			    "activated");
	v = get(state, "tx_power", 0);
	assert_float_equal(v->num, 0.5012, 1e-9);
	assert_float_equal(optic_value_dbm(v), 10 * log10(0.5012), 1e-9);
	/* dBm of 0 mW is -inf (JSON null) */
	v = get(state, "tx_power", 1);
	assert_float_equal(v->num, 0, 0);
	assert_true(isinf(optic_value_dbm(v)) && optic_value_dbm(v) < 0);
	v = get(state, "rx_power", 0);
	assert_float_equal(v->num, 1.0, 1e-9);
	assert_float_equal(optic_value_dbm(v), 0.0, 1e-9);
	/* page 01h byte 160 bits 4-3 = 1: bias * 2 */
	assert_float_equal(get(state, "tx_bias_ma", 0)->num, 40.0, 1e-9);
	assert_int_equal(get(state, "tx_disable", 2)->raw, 1);
	assert_int_equal(get(state, "tx_disable", 1)->raw, 0);
}

static void test_flags(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(get(state, "temperature_high_warning", -1)->raw, 1);
	assert_int_equal(get(state, "temperature_high_alarm", -1)->raw, 0);
	assert_int_equal(get(state, "rx_los", 1)->raw, 1);
	assert_int_equal(get(state, "rx_los", 0)->raw, 0);
	/* worst: RX LOS (alarm) on lane 2 beats the temperature warning */
	assert_int_equal(fx->m.worst_sev, 2);
	assert_non_null(fx->m.worst);
	assert_string_equal(fx->m.worst->f->json_key, "rx_los");
	assert_int_equal(fx->m.worst->index, 1);
}

static void test_thresholds(void **state)
{
	struct fx *fx = *state;
	const struct optic_value *v;

	v = optic_model_get(&fx->m, "temperature_c", "high_alarm", -1);
	assert_non_null(v);
	assert_float_equal(v->num, 75, 1e-9);
	v = optic_model_get(&fx->m, "temperature_c", "low_alarm", -1);
	assert_float_equal(v->num, -5, 1e-9);
	v = optic_model_get(&fx->m, "tx_power", "low_warning", -1);
	assert_float_equal(v->num, 0.2, 1e-9);
}

static void test_applications(void **state)
{
	const struct optic_value *v;

	v = get(state, "host_interface", 0);
	assert_int_equal(v->raw, 0x11);
	assert_string_equal(str(state, "host_interface", 0),
			    "400GAUI-8 C2M (Annex 120E)");
	assert_string_equal(str(state, "media_interface", 0),
			    "400GBASE-DR4 (Clause 124)");
	assert_float_equal(get(state, "host_lane_count", 0)->num, 8, 0);
	assert_float_equal(get(state, "media_lane_count", 0)->num, 4, 0);
	assert_string_equal(str(state, "host_lane_assignment", 0), "01");
	assert_string_equal(str(state, "host_interface", 1),
			    "100GAUI-2 C2M (Annex 135G)");
	/* unknown codes decode as "unknown (0xNN)" */
	assert_string_equal(str(state, "media_interface", 1), "unknown (0xee)");
	assert_null(code(state, "media_interface", 1));
}

/*
 * Values decoded again in place (a poll) keep their texts in the model: a
 * string that changes past its raw bytes and shrinks, a code that becomes
 * unknown and known again. The model cut to two keeps their texts only.
 */
static void test_value_update(void **state)
{
	struct optic_model *m = &((struct fx *)*state)->m;
	struct optic_value name = *get(state, "vendor_name", -1);
	struct optic_value dp = *get(state, "datapath_state", 1);
	const uint8_t unknown = 0xf4, activated = 0x44;

	assert_int_equal(optic_value_update(
				 m, &name, (const uint8_t *)"ACME PHOTONICS 2"),
			 1);
	assert_string_equal(optic_value_str(m, &name), "ACME PHOTONICS 2");
	assert_int_equal(optic_value_update(
				 m, &name, (const uint8_t *)"AC              "),
			 1);
	assert_int_equal(optic_value_update(
				 m, &name, (const uint8_t *)"AC              "),
			 0);
	assert_int_equal(optic_value_update(m, &dp, &unknown), 1);
	assert_null(optic_value_code(m, &dp));
	assert_string_equal(optic_value_str(m, &dp), "unknown (0x0f)");
	assert_int_equal(optic_value_update(m, &dp, &activated), 1);
	assert_string_equal(optic_value_code(m, &dp)->json, "activated");

	m->v[0] = name;
	m->v[1] = dp;
	m->n = 2;
	m->worst_sev = 0;
	optic_model_fit(m);
	assert_int_equal(m->cap, 2);
	assert_null(m->worst);
	/* vendor name 16 + 1, the unknown DPState's 21, after offset 0 */
	assert_int_equal(m->ntext, 1 + 17 + 21);
	assert_string_equal(optic_value_str(m, &m->v[0]), "AC");
	assert_string_equal(optic_value_str(m, &m->v[1]), "DPActivated");
	assert_int_equal(optic_value_update(m, &m->v[1], &unknown), 1);
	assert_string_equal(optic_value_str(m, &m->v[1]), "unknown (0x0f)");
	assert_int_equal(m->ntext, 1 + 17 + 21);
}

/* Take bytes away: rows whose bytes are missing vanish, nothing crashes. */
static void test_partial_image(void **state)
{
	struct optic_image img;
	struct optic_model m;

	optic_image_init(&img);
	put8(&img, 0, 0, 0x18);
	put16(&img, 0x50, 0, 14, 0x1980);
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_non_null(optic_model_get(&m, "identifier", NULL, -1));
	/* no page 01h: the lower page temperature is shown (as ethtool) */
	assert_float_equal(optic_model_get(&m, "temperature_c", NULL, -1)->num,
			   25.5, 1e-9);
	/* page 01h byte 159 read and bit 0 clear: not monitored */
	put8(&img, 1, 159, 0x00);
	optic_model_free(&m);
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_null(optic_model_get(&m, "temperature_c", NULL, -1));
	assert_null(optic_model_get(&m, "vendor_name", NULL, -1));
	optic_model_free(&m);
	optic_image_clear(&img);

	optic_image_init(&img);
	assert_int_equal(optic_decode(&img, &m), -ENODATA);
	optic_image_clear(&img);
	(void)state;
}

/* CMIS 8.4.1: lanes 9-16 live in bank 1 of pages 10h-1Fh */
static void test_banks(void **state)
{
	struct optic_image img;
	struct optic_model m;
	uint8_t z[128] = { 0 };

	optic_image_init(&img);
	cmis_400g_dr4(&img);
	put8(&img, 1, 142, 0x01); /* banks 0 and 1 */
	assert_int_equal(optic_image_set(&img, 0, 0x11, 1, 128, z, 128), 0);
	put_bank(&img, 0x11, 1, 154, 0x27); /* lane 9 TX 1.0 mW */
	put_bank(&img, 0x11, 1, 155, 0x10);
	put_bank(&img, 0x11, 1, 147, 0x80); /* lane 16 RX LOS */
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_int_equal(m.lanes, 16);
	assert_float_equal(optic_model_get(&m, "tx_power", NULL, 8)->num, 1.0,
			   1e-9);
	assert_int_equal(optic_model_get(&m, "rx_los", NULL, 15)->raw, 1);
	assert_int_equal(optic_model_get(&m, "rx_los", NULL, 7)->raw, 0);
	/* page 10h bank 1 absent: no TX disable for lanes 9-16 */
	assert_null(optic_model_get(&m, "tx_disable", NULL, 8));
	optic_model_free(&m);
	optic_image_clear(&img);
	(void)state;
}

/*
 * The lanes shown: every lane an advertised application instance can
 * occupy (CMIS 5.2 Table 8-24 host lane count and assignment options,
 * page 01h 176-190 media lane assignment), in every implemented bank
 * (page 01h byte 142), and every lane whose data path is not deactivated.
 */
static void test_lane_count(void **state)
{
	static const uint8_t pages[] = { 0x00, 0x01, 0x11 };
	static const struct {
		const char *what;
		uint8_t apps[3][3]; /* lane counts, host assign, media assign */
		uint8_t banks; /* page 01h byte 142 */
		uint8_t dp[4]; /* page 11h 128-131, bank 0 */
		unsigned int lanes;
	} cases[] = {
		/* clang-format off: one module per row */
		{ "8-lane, 2 x 4-lane instances (0x11)",
		  { { 0x44, 0x11, 0x11 } }, 0, { 0 }, 8 },
		{ "one 4-lane instance on lanes 1-4",
		  { { 0x44, 0x01, 0x01 } }, 0, { 0x11, 0x11, 0x11, 0x11 }, 4 },
		{ "one 4-lane instance, lane 6 data path activated",
		  { { 0x44, 0x01, 0x01 } }, 0, { 0x11, 0x11, 0x41, 0x11 }, 6 },
		{ "8-lane app, then 4-lane at lane 1",
		  { { 0x88, 0x01, 0x01 }, { 0x44, 0x01, 0x01 } }, 0, { 0 }, 8 },
		{ "2-lane host, media assignment reaches lane 8",
		  { { 0x21, 0x01, 0x80 } }, 0, { 0 }, 8 },
		{ "single lane module (SFP-DD style)",
		  { { 0x11, 0x01, 0x01 } }, 0, { 0 }, 1 },
		{ "no application: a whole bank", { { 0 } }, 0, { 0 }, 8 },
		{ "2 banks: 16 lanes", { { 0x44, 0x11, 0x11 } }, 0x01, { 0 },
		  16 },
		{ "2 banks, one 4-lane instance each: lanes 1-4 and 9-12",
		  { { 0x44, 0x01, 0x01 } }, 0x01, { 0 }, 12 },
		{ "4 banks advertised, bank 1 read only: 16 lanes",
		  { { 0x88, 0x01, 0x01 } }, 0x02, { 0 }, 16 },
		/* clang-format on */
	};
	size_t i, a;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct optic_image img;

		optic_image_init(&img);
		zero_pages(&img, OPTIC_ADDR_A0, pages, sizeof(pages));
		put8(&img, 0, 0, 0x18);
		for (a = 0; a < 3 && cases[i].apps[a][0]; a++) {
			put8(&img, 0, 86 + 4 * a, 0x11);
			put8(&img, 0, 88 + 4 * a, cases[i].apps[a][0]);
			put8(&img, 0, 89 + 4 * a, cases[i].apps[a][1]);
			put8(&img, 1, 176 + a, cases[i].apps[a][2]);
		}
		put8(&img, 0, 86 + 4 * a, 0xff);
		put8(&img, 1, 142, cases[i].banks);
		put(&img, OPTIC_ADDR_A0, 0x11, 128, cases[i].dp, 4);
		if (cases[i].banks) {
			uint8_t z[128] = { 0 };

			assert_int_equal(
				optic_image_set(&img, 0, 0x11, 1, 128, z, 128),
				0);
		}
		if (optic_cmis_lanes(&img, optic_cmis_count_apps(&img)) !=
		    cases[i].lanes)
			fail_msg("%s: %u lanes, want %u", cases[i].what,
				 optic_cmis_lanes(&img,
						  optic_cmis_count_apps(&img)),
				 cases[i].lanes);
		optic_image_clear(&img);
	}
	(void)state;
}

static void test_unknown_identifier(void **state)
{
	struct optic_image img;
	struct optic_model m;

	optic_image_init(&img);
	put8(&img, 0, 0, 0x7e);
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_int_equal(m.spec, OPTIC_SPEC_UNKNOWN);
	assert_string_equal(
		optic_value_str(&m,
				optic_model_get(&m, "identifier", NULL, -1)),
		"unknown (0x7e)");
	optic_model_free(&m);
	optic_image_clear(&img);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_monitors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lanes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thresholds, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_applications, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_value_update, setup,
						teardown),
		cmocka_unit_test(test_partial_image),
		cmocka_unit_test(test_banks),
		cmocka_unit_test(test_lane_count),
		cmocka_unit_test(test_unknown_identifier),
	};

	return cmocka_run_group_tests_name("cmis", tests, NULL, NULL);
}
