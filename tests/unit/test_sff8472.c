// SPDX-License-Identifier: GPL-2.0-or-later
/* Decoding SFF-8472 (A0h + A2h), internal and external calibration. */
#include <math.h>

#include "vectors.h"

static const struct optic_value *get(const struct optic_model *m,
				     const char *key, const char *sub, int idx)
{
	const struct optic_value *v = optic_model_get(m, key, sub, idx);

	if (!v)
		fail_msg("no value for %s/%s[%d]", key, sub ?: "", idx);
	return v;
}

static const char *str(const struct optic_model *m, const char *key)
{
	return optic_value_str(m, get(m, key, NULL, -1));
}

static void test_internal(void **state)
{
	struct optic_image img;
	struct optic_model m;

	optic_image_init(&img);
	sff8472_sr(&img);
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_int_equal(m.spec, OPTIC_SPEC_SFF8472);
	assert_false(m.ext_cal);
	assert_int_equal(m.lanes, 1);
	assert_string_equal(str(&m, "identifier"), "SFP/SFP+/SFP28");
	assert_string_equal(str(&m, "sff8472_revision"), "Rev 12.3");
	assert_string_equal(str(&m, "encoding"), "64B/66B");
	assert_string_equal(str(&m, "vendor_pn"), "SFP-10G-SR");
	assert_string_equal(str(&m, "vendor_rev"), "A");
	assert_string_equal(str(&m, "date_code"), "2021-04-12");
	assert_float_equal(get(&m, "wavelength_nm", NULL, -1)->num, 850, 0);
	assert_float_equal(get(&m, "nominal_bitrate_mbd", NULL, -1)->num, 10300,
			   0);
	assert_float_equal(get(&m, "length_om2_m", NULL, -1)->num, 80, 0);
	assert_float_equal(get(&m, "temperature_c", NULL, -1)->num, 35.5, 1e-9);
	assert_float_equal(get(&m, "supply_voltage_v", NULL, -1)->num, 3.3,
			   1e-9);
	assert_float_equal(get(&m, "tx_bias_ma", NULL, 0)->num, 6.5, 1e-9);
	assert_float_equal(get(&m, "tx_power", NULL, 0)->num, 0.5577, 1e-9);
	/* 0 mW: dBm is -inf */
	assert_float_equal(get(&m, "rx_power", NULL, 0)->num, 0, 0);
	assert_true(isinf(optic_value_dbm(get(&m, "rx_power", NULL, 0))));
	assert_int_equal(get(&m, "rx_los", NULL, 0)->raw, 1);
	assert_int_equal(get(&m, "tx_fault", NULL, 0)->raw, 0);
	assert_int_equal(get(&m, "temperature_low_alarm", NULL, -1)->raw, 1);
	assert_int_equal(get(&m, "rx_power_low_alarm", NULL, 0)->raw, 1);
	assert_float_equal(get(&m, "temperature_c", "high_alarm", -1)->num, 75,
			   1e-9);
	assert_float_equal(get(&m, "rx_power", "high_alarm", -1)->num, 1.2589,
			   1e-9);
	/* no calibration constants shown when internally calibrated */
	assert_null(optic_model_get(&m, "rx_pwr_0", NULL, -1));
	optic_model_free(&m);

	/* flags need A0h byte 93 bit 7 */
	put8(&img, 0, 93, 0);
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_null(optic_model_get(&m, "rx_power_low_alarm", NULL, 0));
	assert_non_null(optic_model_get(&m, "rx_los", NULL, 0));
	optic_model_free(&m);
	optic_image_clear(&img);
	(void)state;
}

/* SFF-8472 9.3: formula 1 for T, V, Tx_I, Tx_PWR; polynomial for Rx_PWR */
static void test_external(void **state)
{
	struct optic_image img;
	struct optic_model m;

	optic_image_init(&img);
	sff8472_extcal(&img);
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_true(m.ext_cal);
	/* (1.0 * 6400 + 256) / 256 = 26.0 degC */
	assert_float_equal(get(&m, "temperature_c", NULL, -1)->num, 26.0, 1e-9);
	/* 0.5 * 60000 = 30000 * 100 uV = 3.0 V */
	assert_float_equal(get(&m, "supply_voltage_v", NULL, -1)->num, 3.0,
			   1e-9);
	/* (2.0 * 1000 + 100) * 2 uA = 4.2 mA */
	assert_float_equal(get(&m, "tx_bias_ma", NULL, 0)->num, 4.2, 1e-9);
	/* (1.5 * 4000 - 50) * 0.1 uW = 0.595 mW */
	assert_float_equal(get(&m, "tx_power", NULL, 0)->num, 0.595, 1e-9);
	/* 0.001 * 1000^2 + 2.0 * 1000 + 10 = 3010 * 0.1 uW = 0.301 mW */
	assert_float_equal(get(&m, "rx_power", NULL, 0)->num, 0.301, 1e-6);
	/* thresholds go through the same formulas: (19200 + 256) / 256 */
	assert_float_equal(get(&m, "temperature_c", "high_alarm", -1)->num,
			   76.0, 1e-9);
	/* the constants are shown */
	assert_float_equal(get(&m, "rx_pwr_1", NULL, -1)->num, 2.0, 0);
	assert_float_equal(get(&m, "tx_pwr_offset", NULL, -1)->num, -50, 0);
	assert_float_equal(get(&m, "t_slope", NULL, -1)->num, 1.0, 0);
	optic_model_free(&m);

	/* constants missing: fall back to the raw values, no crash */
	optic_image_clear(&img);
	optic_image_init(&img);
	sff8472_extcal(&img);
	{
		struct optic_image part;

		optic_image_init(&part);
		for (size_t i = 0; i < img.n; i++) {
			const struct optic_half *h = &img.h[i];

			if (h->addr == OPTIC_ADDR_A2 && !h->upper)
				put(&part, h->addr, 0, 96, h->data + 96, 16);
			else if (h->addr != OPTIC_ADDR_A2)
				put(&part, h->addr, h->page, h->upper ? 128 : 0,
				    h->data, 128);
		}
		assert_int_equal(optic_decode(&part, &m), 0);
		assert_false(m.ext_cal);
		assert_float_equal(get(&m, "temperature_c", NULL, -1)->num,
				   25.0, 1e-9);
		optic_model_free(&m);
		optic_image_clear(&part);
	}
	optic_image_clear(&img);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_internal),
		cmocka_unit_test(test_external),
	};

	return cmocka_run_group_tests_name("sff8472", tests, NULL, NULL);
}
