// SPDX-License-Identifier: GPL-2.0-or-later
/* Decoding an SFF-8636 image (QSFP28): identity, lanes, flags, page 03h. */
#include <math.h>

#include "vectors.h"

static struct optic_image img;
static struct optic_model m;

static int setup(void **state)
{
	optic_image_init(&img);
	sff8636_cwdm4(&img);
	/* Table 6-15: byte 140 FFh puts the rate in byte 222, 250 MBd */
	put8(&img, 0, 222, 102);
	assert_int_equal(optic_decode(&img, &m), 0);
	return 0;
}

static int teardown(void **state)
{
	optic_model_free(&m);
	optic_image_clear(&img);
	return 0;
}

static const struct optic_value *get(const char *key, int idx)
{
	const struct optic_value *v = optic_model_get(&m, key, NULL, idx);

	if (!v)
		fail_msg("no value for %s[%d]", key, idx);
	return v;
}

static void test_identity(void **state)
{
	static const struct {
		const char *key, *str;
	} want[] = {
		{ "identifier", "QSFP28" },
		{ "sff8636_revision", "SFF-8636 Rev 2.8, 2.9 and 2.10" },
		{ "memory_model", "Paged" },
		{ "connector", "LC" },
		{ "ext_compliance", "100G CWDM4" },
		{ "encoding", "64B/66B" },
		{ "media_technology", "1310 nm DFB" },
		{ "vendor_name", "ACME OPTICS" },
		{ "vendor_oui", "00:17:6a" },
		{ "vendor_pn", "Q28-CWDM4" },
		{ "vendor_rev", "B0" },
		{ "vendor_sn", "Q28SN1" },
		{ "date_code", "2022-09-05" },
		{ "rx_power_type", "Average power" },
	};
	size_t i;

	assert_int_equal(m.spec, OPTIC_SPEC_SFF8636);
	assert_int_equal(m.lanes, 4);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		assert_string_equal(optic_value_str(&m, get(want[i].key, -1)),
				    want[i].str);
	assert_float_equal(get("power_class", -1)->num, 5, 0);
	assert_float_equal(get("nominal_bitrate_mbd", -1)->num, 25500, 0);
	assert_float_equal(get("length_smf_km", -1)->num, 2, 0);
	assert_float_equal(get("wavelength_nm", -1)->num, 1310, 1e-9);
	assert_float_equal(get("wavelength_tolerance_nm", -1)->num, 6.5, 1e-9);
	assert_int_equal(get("power_override", -1)->raw, 1);
	assert_int_equal(get("lowpwr_set", -1)->raw, 1);
	/* no state machine in SFF-8636 */
	assert_null(optic_model_get(&m, "module_state", NULL, -1));
}

/* SFF-8636 Table 6-16: power class from byte 129 */
static void test_power_class(void **state)
{
	static const struct {
		uint8_t b;
		int cls;
	} want[] = {
		{ 0x00, 1 }, { 0x40, 2 }, { 0x80, 3 }, { 0xc0, 4 },
		{ 0xc1, 5 }, { 0xc2, 6 }, { 0xc3, 7 }, { 0xe0, 8 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		struct optic_model mm;

		put8(&img, 0, 129, want[i].b);
		assert_int_equal(optic_decode(&img, &mm), 0);
		assert_float_equal(
			optic_model_get(&mm, "power_class", NULL, -1)->num,
			want[i].cls, 0);
		optic_model_free(&mm);
	}
}

static void test_monitors(void **state)
{
	const struct optic_value *v;

	assert_float_equal(get("temperature_c", -1)->num, -10.5, 1e-9);
	assert_float_equal(get("supply_voltage_v", -1)->num, 3.25, 1e-9);
	v = get("rx_power", 0);
	assert_float_equal(v->num, 1.2345, 1e-9);
	assert_float_equal(optic_value_dbm(v), 10 * log10(1.2345), 1e-9);
	assert_true(isinf(optic_value_dbm(get("rx_power", 1))));
	assert_float_equal(get("tx_power", 0)->num, 0.8, 1e-9);
	assert_float_equal(get("tx_bias_ma", 0)->num, 20.0, 1e-9);
	assert_int_equal(get("tx_disable", 0)->raw, 1);
	assert_int_equal(get("tx_disable", 1)->raw, 0);
	assert_int_equal(get("tx_disable", 2)->raw, 1);
	assert_null(optic_model_get(&m, "tx_power", NULL, 4));
}

static void test_flags(void **state)
{
	static const struct {
		const char *key;
		int lane;
	} on[] = {
		{ "rx_los", 0 },
		{ "tx_los", 1 },
		{ "tx_fault", 3 },
		{ "temperature_high_alarm", -1 },
		{ "voltage_low_warning", -1 },
		{ "rx_power_low_alarm", 0 },
		{ "rx_power_high_warning", 3 },
	};
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(on); i++)
		assert_int_equal(get(on[i].key, on[i].lane)->raw, 1);
	/* and nothing else is raised */
	for (i = 0; i < m.n; i++)
		if (m.v[i].f->type == OPTIC_F_FLAG &&
		    (m.v[i].f->sect == OPTIC_S_FLAG ||
		     m.v[i].f->sect == OPTIC_S_LANE_FLAG))
			n += m.v[i].raw;
	assert_int_equal(n, ARRAY_SIZE(on));
	assert_int_equal(m.worst_sev, 3);
	assert_string_equal(m.worst->f->json_key, "tx_fault");
	assert_int_equal(m.worst->index, 3);
}

static void test_flag_lookup(void **state)
{
	const struct optic_field *f;
	int lane;

	f = optic_flag_lookup(OPTIC_SPEC_SFF8636, 0, 3, 5, &lane);
	assert_non_null(f);
	assert_string_equal(f->json_key, "tx_los");
	assert_int_equal(lane, 1);
	f = optic_flag_lookup(OPTIC_SPEC_SFF8636, 0, 10, 1, &lane);
	assert_string_equal(f->json_key, "rx_power_high_warning");
	assert_int_equal(lane, 3);
	f = optic_flag_lookup(OPTIC_SPEC_SFF8636, 0, 6, 7, &lane);
	assert_string_equal(f->json_key, "temperature_high_alarm");
	assert_int_equal(lane, -1);
	f = optic_flag_lookup(OPTIC_SPEC_CMIS, 0x11, 147, 2, &lane);
	assert_string_equal(f->json_key, "rx_los");
	assert_int_equal(lane, 2);
	assert_null(optic_flag_lookup(OPTIC_SPEC_CMIS, 0x11, 200, 0, &lane));
}

static void test_thresholds(void **state)
{
	const struct optic_value *v;

	v = optic_model_get(&m, "temperature_c", "low_alarm", -1);
	assert_float_equal(v->num, -5, 1e-9);
	v = optic_model_get(&m, "rx_power", "high_alarm", -1);
	assert_float_equal(v->num, 2.0, 1e-9);
	v = optic_model_get(&m, "rx_power", "low_alarm", -1);
	assert_float_equal(optic_value_dbm(v), 10 * log10(0.05), 1e-9);
	v = optic_model_get(&m, "tx_bias_ma", "high_alarm", -1);
	assert_float_equal(v->num, 100, 1e-9);
	v = optic_model_get(&m, "tx_power", "high_alarm", -1);
	assert_float_equal(v->num, 2.239, 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_power_class),
		cmocka_unit_test(test_monitors),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_flag_lookup),
		cmocka_unit_test(test_thresholds),
	};

	return cmocka_run_group_tests_name("sff8636", tests, setup, teardown);
}
