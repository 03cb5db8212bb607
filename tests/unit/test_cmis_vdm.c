// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CMIS VDM (OIF-CMIS-05.2 section 8.22, pages 20h-2Fh): advertisement,
 * descriptors, samples and thresholds by type ID, the F16 encoding, unknown
 * type IDs, and the text and JSON output. Every expected value is worked out
 * here from the spec's encodings.
 */
#include <math.h>
#include <stdio.h>

#include <json-c/json.h>

#include "vectors.h"

/* Descriptor (page 20h + group) of instance @i: set/lane byte, type ID. */
static void desc(struct optic_image *img, uint8_t group, unsigned int i,
		 uint8_t set, uint8_t lane, uint8_t type)
{
	uint8_t b[2] = { (uint8_t)(set << 4 | lane), type };

	put(img, OPTIC_ADDR_A0, 0x20 + group, 128 + 2 * i, b, 2);
}

static void thr(struct optic_image *img, uint8_t group, unsigned int set,
		uint16_t ha, uint16_t la, uint16_t hw, uint16_t lw)
{
	unsigned int off = 128 + 8 * set;

	put16(img, OPTIC_ADDR_A0, 0x28 + group, off, ha);
	put16(img, OPTIC_ADDR_A0, 0x28 + group, off + 2, la);
	put16(img, OPTIC_ADDR_A0, 0x28 + group, off + 4, hw);
	put16(img, OPTIC_ADDR_A0, 0x28 + group, off + 6, lw);
}

/*
 * Two VDM groups (2Fh:128 = 01h):
 *   group 1 instance 0: set 0, lane 1, type 4 laser temperature (S16 1/256
 *     degC): 2D80h = 45.5; thresholds 80, -5, 75, 0 degC
 *   group 1 instance 1: set 1, lane 3, type 15 pre-FEC BER current media
 *     (F16): 84D2h = s 16, m 1234 = 1.234e-5; high alarm 90F0h = s 18,
 *     m 240 = 2.4e-4, low alarm 0, high warning 8CD2h (s 17, m 1234 =
 *     1.234e-4), low warning 0
 *   group 1 instance 2: set 0, lane 1, type 2 TEC current (S16 100/32767 %):
 *     C000h = -16384 = -50.0015 %
 *   group 1 instance 3: type 0, unused
 *   group 1 instance 4: set 0, lane 2, type 99h (unknown): 1234h raw
 *   group 2 instance 0: set 0, lane 4, type 5 eSNR media (U16 1/256 dB):
 *     1A80h = 26.5 dB; no page 29h, so no thresholds
 */
static void cmis_vdm(struct optic_image *img)
{
	static const uint8_t pages[] = { 0x20, 0x21, 0x24, 0x25, 0x28, 0x2f };

	cmis_400g_dr4(img);
	zero_pages(img, OPTIC_ADDR_A0, pages, ARRAY_SIZE(pages));
	cmis_400g_dr4(img); /* zero_pages cleared the lower page */
	put8(img, 0x01, 142, optic_image_byte(img, 0, 1, 0, 142) | 0x40);
	put8(img, 0x2f, 128, 0x01);

	desc(img, 0, 0, 0, 0, 4);
	put16(img, OPTIC_ADDR_A0, 0x24, 128, 0x2d80);
	thr(img, 0, 0, 80 << 8, (uint16_t)(-5 * 256), 75 << 8, 0);

	desc(img, 0, 1, 1, 2, 15);
	put16(img, OPTIC_ADDR_A0, 0x24, 130, 0x84d2);
	thr(img, 0, 1, 0x90f0, 0, 0x8cd2, 0);

	desc(img, 0, 2, 0, 0, 2);
	put16(img, OPTIC_ADDR_A0, 0x24, 132, 0xc000);

	desc(img, 0, 4, 0, 1, 0x99);
	put16(img, OPTIC_ADDR_A0, 0x24, 136, 0x1234);

	desc(img, 1, 0, 0, 3, 5);
	put16(img, OPTIC_ADDR_A0, 0x25, 128, 0x1a80);
}

struct fx {
	struct optic_image img;
	struct optic_model m;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	optic_image_init(&fx->img);
	cmis_vdm(&fx->img);
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

/* CMIS 5.2 8.22 F16: m * 10^(s - 24) */
static void test_f16(void **state)
{
	(void)state;
	assert_true(optic_vdm_f16(0x0000) == 0.0);
	assert_float_equal(optic_vdm_f16(24 << 11 | 1), 1.0, 1e-12);
	assert_float_equal(optic_vdm_f16(0x84d2), 1.234e-5, 1e-17);
	assert_float_equal(optic_vdm_f16(0x90f0), 2.4e-4, 1e-16);
	assert_float_equal(optic_vdm_f16(0x07ff), 2047e-24, 1e-36);
	assert_float_equal(optic_vdm_f16(0xffff), 2047e7, 1e-3);
	/* the sign is not in the format: bit 15 is the exponent's MSB */
	assert_true(optic_vdm_f16(0x8000) == 0.0);
}

static void test_types(void **state)
{
	static const struct {
		uint8_t id;
		uint8_t enc;
		const char *key;
	} want[] = {
		{ 1, OPTIC_VDM_U16, "laser_age_pct" },
		{ 2, OPTIC_VDM_S16, "tec_current_pct" },
		{ 3, OPTIC_VDM_S16, "laser_frequency_error_mhz" },
		{ 4, OPTIC_VDM_S16, "laser_temperature_c" },
		{ 5, OPTIC_VDM_U16, "esnr_media_db" },
		{ 6, OPTIC_VDM_U16, "esnr_host_db" },
		{ 7, OPTIC_VDM_U16, "pam4_ltp_media_db" },
		{ 8, OPTIC_VDM_U16, "pam4_ltp_host_db" },
		{ 9, OPTIC_VDM_F16, "prefec_ber_min_media" },
		{ 12, OPTIC_VDM_F16, "prefec_ber_max_host" },
		{ 13, OPTIC_VDM_F16, "prefec_ber_avg_media" },
		{ 16, OPTIC_VDM_F16, "prefec_ber_cur_host" },
		{ 17, OPTIC_VDM_F16, "ferc_min_media" },
		{ 24, OPTIC_VDM_F16, "ferc_cur_host" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const struct optic_vdm_type *t =
			optic_vdm_type_find(want[i].id);

		assert_non_null(t);
		assert_int_equal(t->encoding, want[i].enc);
		assert_string_equal(t->json_key, want[i].key);
	}
	assert_null(optic_vdm_type_find(0));
	assert_null(optic_vdm_type_find(25));
	assert_null(optic_vdm_type_find(0x99));
}

static void test_instances(void **state)
{
	struct fx *fx = *state;
	const struct optic_vdm *v = fx->m.vdm;

	assert_int_equal(fx->m.nvdm, 5);

	assert_int_equal(v[0].type_id, 4);
	assert_string_equal(v[0].name, "Laser temperature");
	assert_int_equal(v[0].lane, 0);
	assert_float_equal(v[0].value, 45.5, 1e-9);
	assert_true(v[0].has_thr);
	assert_float_equal(v[0].thr[OPTIC_VDM_HA], 80.0, 1e-9);
	assert_float_equal(v[0].thr[OPTIC_VDM_LA], -5.0, 1e-9);
	assert_float_equal(v[0].thr[OPTIC_VDM_HW], 75.0, 1e-9);
	assert_float_equal(v[0].thr[OPTIC_VDM_LW], 0.0, 1e-9);

	assert_int_equal(v[1].type_id, 15);
	assert_int_equal(v[1].lane, 2);
	assert_int_equal(v[1].thr_set, 1);
	assert_float_equal(v[1].value, 1.234e-5, 1e-17);
	assert_float_equal(v[1].thr[OPTIC_VDM_HA], 2.4e-4, 1e-16);
	assert_float_equal(v[1].thr[OPTIC_VDM_HW], 1.234e-4, 1e-16);

	assert_int_equal(v[2].type_id, 2);
	assert_float_equal(v[2].value, -16384 * 100.0 / 32767, 1e-9);

	/* instance 3 (type 0) is unused: the next is instance 4 */
	assert_int_equal(v[3].instance, 4);
	assert_null(v[3].type);
	assert_string_equal(v[3].name, "unknown (0x99)");
	assert_int_equal(v[3].raw, 0x1234);
	assert_false(v[3].has_thr);

	assert_int_equal(v[4].group, 1);
	assert_int_equal(v[4].type_id, 5);
	assert_int_equal(v[4].lane, 3);
	assert_float_equal(v[4].value, 26.5, 1e-9);
	assert_false(v[4].has_thr);
}

/*
 * Two banks (01h:142 bits 1-0 = 01b): bank 1's pages 20h-2Fh hold lanes
 * 9-16 (CMIS 8.4.1). Bank 1 group 1 instance 0: lane 3 of the bank, type 5
 * eSNR media: 1C00h = 28 dB, lane 11 of the module (10, 0-based).
 */
static void test_bank1(void **state)
{
	static const uint8_t banked[] = { 0x10, 0x11, 0x20, 0x24, 0x2f };
	uint8_t z[128] = { 0 }, b[2] = { 0x02, 5 };
	struct optic_image img;
	struct optic_model m;
	size_t i, n1 = 0;

	optic_image_init(&img);
	cmis_vdm(&img);
	put8(&img, 0x01, 142, optic_image_byte(&img, 0, 1, 0, 142) | 0x01);
	for (i = 0; i < ARRAY_SIZE(banked); i++)
		assert_int_equal(optic_image_set(&img, OPTIC_ADDR_A0, banked[i],
						 1, 128, z, sizeof(z)),
				 0);
	assert_int_equal(optic_image_set(&img, OPTIC_ADDR_A0, 0x20, 1, 128, b,
					 sizeof(b)),
			 0);
	b[0] = 0x1c;
	b[1] = 0x00;
	assert_int_equal(optic_image_set(&img, OPTIC_ADDR_A0, 0x24, 1, 128, b,
					 sizeof(b)),
			 0);
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_true(m.lanes > 8);
	assert_int_equal(m.nvdm, 6); /* bank 0's five, bank 1's one */
	for (i = 0; i < m.nvdm; i++) {
		if (m.vdm[i].bank != 1)
			continue;
		n1++;
		assert_int_equal(m.vdm[i].lane, 10);
		assert_int_equal(m.vdm[i].type_id, 5);
		assert_float_equal(m.vdm[i].value, 28.0, 1e-9);
	}
	assert_int_equal(n1, 1);
	optic_model_free(&m);
	optic_image_clear(&img);
	(void)state;
}

/* Not advertised (01h:142 bit 6 clear), or no page 2Fh: no VDM at all. */
static void test_not_advertised(void **state)
{
	struct optic_image img;
	struct optic_model m;

	(void)state;
	optic_image_init(&img);
	cmis_vdm(&img);
	put8(&img, 0x01, 142, optic_image_byte(&img, 0, 1, 0, 142) & ~0x40);
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_int_equal(m.nvdm, 0);
	optic_model_free(&m);
	optic_image_clear(&img);

	optic_image_init(&img);
	cmis_400g_dr4(&img);
	put8(&img, 0x01, 142, 0x40);
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_int_equal(m.nvdm, 0);
	optic_model_free(&m);
	optic_image_clear(&img);
}

/* Four groups advertised, two present: the missing ones are skipped. */
static void test_groups_missing(void **state)
{
	struct optic_image img;
	struct optic_model m;

	(void)state;
	optic_image_init(&img);
	cmis_vdm(&img);
	put8(&img, 0x2f, 128, 0x03);
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_int_equal(m.nvdm, 5);
	optic_model_free(&m);
	optic_image_clear(&img);
}

static char *print_model(const struct optic_model *m, unsigned int flags)
{
	struct optic_print *p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(optic_print_new(&p, f, flags), 0);
	op_open_object(p, NULL);
	optic_model_print(p, m, OPTIC_SHOW_VDM);
	op_close_object(p);
	assert_int_equal(optic_print_flush(p), 0);
	optic_print_free(p);
	fclose(f);
	return buf;
}

static void test_text(void **state)
{
	struct fx *fx = *state;
	char *s = print_model(&fx->m, 0);

	assert_non_null(strstr(s, "\tVDM:\n"));
	assert_non_null(strstr(s, "Laser temperature, lane 1"));
	assert_non_null(strstr(s, ": 45.50 °C (alarm -5.00..80.00, "
				  "warning 0.00..75.00)\n"));
	assert_non_null(strstr(s, "Pre-FEC BER current media input, lane 3"));
	assert_non_null(strstr(s, ": 1.23e-05 (alarm 0.00e+00..2.40e-04"));
	assert_non_null(strstr(s, "unknown (0x99), lane 2"));
	assert_non_null(strstr(s, ": 0x1234\n"));
	assert_non_null(strstr(s, "eSNR media input, lane 4"));
	assert_non_null(strstr(s, ": 26.50 dB\n"));
	free(s);
}

static void test_json(void **state)
{
	struct fx *fx = *state;
	char *s = print_model(&fx->m, OPTIC_PRINT_JSON);
	json_object *root = json_tokener_parse(s), *a, *o, *x, *t;

	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "vdm", &a));
	assert_int_equal(json_object_array_length(a), 5);

	o = json_object_array_get_idx(a, 0);
	assert_true(json_object_object_get_ex(o, "type_id", &x));
	assert_int_equal(json_object_get_int(x), 4);
	assert_true(json_object_object_get_ex(o, "key", &x));
	assert_string_equal(json_object_get_string(x), "laser_temperature_c");
	assert_true(json_object_object_get_ex(o, "lane", &x));
	assert_int_equal(json_object_get_int(x), 1);
	assert_true(json_object_object_get_ex(o, "value", &x));
	assert_float_equal(json_object_get_double(x), 45.5, 1e-9);
	assert_true(json_object_object_get_ex(o, "unit", &x));
	assert_string_equal(json_object_get_string(x), "°C");
	assert_true(json_object_object_get_ex(o, "thresholds", &t));
	assert_true(json_object_object_get_ex(t, "low_alarm", &x));
	assert_float_equal(json_object_get_double(x), -5.0, 1e-9);

	o = json_object_array_get_idx(a, 1);
	assert_true(json_object_object_get_ex(o, "value", &x));
	assert_float_equal(json_object_get_double(x), 1.234e-5, 1e-17);
	assert_true(json_object_object_get_ex(o, "unit", &x));
	assert_null(x);

	o = json_object_array_get_idx(a, 3);
	assert_true(json_object_object_get_ex(o, "name", &x));
	assert_string_equal(json_object_get_string(x), "unknown (0x99)");
	assert_true(json_object_object_get_ex(o, "key", &x));
	assert_null(x);
	assert_true(json_object_object_get_ex(o, "value", &x));
	assert_int_equal(json_object_get_int(x), 0x1234);
	assert_true(json_object_object_get_ex(o, "thresholds", &x));
	assert_null(x);

	json_object_put(root);
	free(s);
}

/* Every image truncated at every half: decoding never fails or overreads. */
static void test_partial(void **state)
{
	struct optic_image img;
	struct optic_model m;
	size_t drop, i;

	(void)state;
	optic_image_init(&img);
	cmis_vdm(&img);
	for (drop = 0; drop < img.n; drop++) {
		struct optic_image part;

		optic_image_init(&part);
		for (i = 0; i < img.n; i++) {
			const struct optic_half *h = &img.h[i];

			if (i == drop)
				continue;
			assert_int_equal(optic_image_set(&part, h->addr,
							 h->page, h->bank,
							 h->upper ? 128 : 0,
							 h->data, 128),
					 0);
		}
		if (optic_decode(&part, &m) == 0)
			optic_model_free(&m);
		optic_image_clear(&part);
	}
	optic_image_clear(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_f16),
		cmocka_unit_test(test_types),
		cmocka_unit_test_setup_teardown(test_instances, setup,
						teardown),
		cmocka_unit_test(test_bank1),
		cmocka_unit_test(test_not_advertised),
		cmocka_unit_test(test_groups_missing),
		cmocka_unit_test_setup_teardown(test_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test(test_partial),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
