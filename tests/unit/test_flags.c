// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * optic_flags_worst(): the worst raised flag of MODULE_GET's OPTIC_A_FLAGS
 * (what `opticctl list` shows without reading the module), named per the
 * spec tables and the same one optic_decode() picks from the same bytes.
 */
#include "vectors.h"

/* Where byte @i of OPTIC_A_FLAGS lives (CMIS: lower 8-11, 11h 134-153). */
static void cmis_flag_place(struct optic_image *img, size_t i, uint8_t v)
{
	if (i < 4)
		put8(img, 0, 8 + i, v);
	else
		put_bank(img, 0x11, (i - 4) / 20, 134 + (i - 4) % 20, v);
}

static void test_named(void **state)
{
	static const struct {
		uint8_t spec;
		unsigned int lanes;
		size_t at; /* byte of OPTIC_A_FLAGS */
		uint8_t bits;
		int sev;
		const char *key; /* NULL: none */
		int lane;
	} cases[] = {
		/* CMIS 5.2 Table 8-9 byte 9: bit 0 TempHighAlarm, 2 warning */
		{ OPTIC_SPEC_CMIS, 8, 1, 0x01, 2, "temperature_high_alarm",
		  -1 },
		{ OPTIC_SPEC_CMIS, 8, 1, 0x04, 1, "temperature_high_warning",
		  -1 },
		/* byte 8 bit 0, ModuleStateChanged: no severity */
		{ OPTIC_SPEC_CMIS, 8, 0, 0x01, 0, NULL, -1 },
		/* Table 8-76: 11h byte 135 FailureFlagTx, lane 3 */
		{ OPTIC_SPEC_CMIS, 8, 4 + 1, 0x04, 3, "tx_fault", 2 },
		/* bank 1, byte 136 TX LOS, bit 1: lane 10 (0-based 9) */
		{ OPTIC_SPEC_CMIS, 16, 4 + 20 + 2, 0x02, 2, "tx_los", 9 },
		/* the same bit of a lane the module does not have */
		{ OPTIC_SPEC_CMIS, 8, 4 + 20 + 2, 0x02, 0, NULL, -1 },
		/* SFF-8636 Table 6-4 byte 3: bits 7-4 TX4-1 LOS, 3-0 RX4-1 */
		{ OPTIC_SPEC_SFF8636, 4, 0, 0x02, 2, "rx_los", 1 },
		{ OPTIC_SPEC_SFF8636, 4, 0, 0x80, 2, "tx_los", 3 },
	};
	uint8_t flags[84];
	struct optic_flag_hit hit;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(flags, 0, sizeof(flags));
		flags[cases[i].at] = cases[i].bits;
		assert_int_equal(optic_flags_worst(cases[i].spec,
						   cases[i].lanes, flags,
						   sizeof(flags), &hit),
				 cases[i].sev);
		if (!cases[i].key) {
			assert_null(hit.f);
			continue;
		}
		assert_non_null(hit.f);
		assert_string_equal(hit.f->json_key, cases[i].key);
		assert_int_equal(hit.lane, cases[i].lane);
	}
	assert_int_equal(optic_flags_worst(OPTIC_SPEC_SFF8472, 1, flags, 4,
					   &hit),
			 -EINVAL);
	(void)state;
}

/* Random flag bytes: the worst is optic_decode()'s worst of the same bytes. */
static void test_same_as_decode(void **state)
{
	uint8_t flags[4 + 20];
	unsigned int seed = 1;
	int round;

	for (round = 0; round < 500; round++) {
		struct optic_image img;
		struct optic_model m;
		struct optic_flag_hit hit;
		size_t i;
		int sev;

		optic_image_init(&img);
		cmis_400g_dr4(&img);
		for (i = 0; i < sizeof(flags); i++) {
			/* sparse: a few bits, so that equals and lanes matter */
			flags[i] = rand_r(&seed) % 4 ? 0 :
						       1u << rand_r(&seed) % 8;
			cmis_flag_place(&img, i, flags[i]);
		}
		assert_int_equal(optic_decode(&img, &m), 0);
		sev = optic_flags_worst(OPTIC_SPEC_CMIS, m.lanes, flags,
					sizeof(flags), &hit);
		assert_int_equal(sev, m.worst ? m.worst_sev : 0);
		if (m.worst) {
			assert_ptr_equal(hit.f, m.worst->f);
			assert_int_equal(hit.lane,
					 m.worst->f->sect == OPTIC_S_LANE_FLAG ?
						 (int)m.worst->index :
						 -1);
		}
		optic_model_free(&m);
		optic_image_clear(&img);
	}
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_same_as_decode),
	};

	return cmocka_run_group_tests_name("flags", tests, NULL, NULL);
}
