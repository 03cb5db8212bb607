// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticd's health poll reads only poll_ranges(): every byte a sampled
 * value (monitors, lane flags, data-path states) is decoded from must be
 * in one of them, for each spec.
 */
#include "vectors.h"

#include "decode.h"
#include "manager.h"

static bool sampled(const struct optic_value *v)
{
	static const char *const keys[] = {
		"temperature_c", "supply_voltage_v", "tx_power",
		"rx_power",	 "tx_bias_ma",	     "datapath_state",
	};
	const struct optic_field *f = v->f;

	if (!f->json_key || f->json_sub)
		return false;
	if (f->sect == OPTIC_S_LANE_FLAG)
		return true;
	if (f->sect != OPTIC_S_MONITOR && f->sect != OPTIC_S_LANE)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (streq(f->json_key, keys[i]))
			return true;
	return false;
}

static bool covered(const struct poll_range *rg, size_t n, uint8_t addr,
		    uint8_t page, uint8_t bank, unsigned int off,
		    unsigned int len)
{
	if (off < 128)
		page = bank = 0;
	for (size_t i = 0; i < n; i++)
		if (rg[i].addr == addr && rg[i].page == page &&
		    rg[i].bank == bank && off >= rg[i].off &&
		    off + len <= rg[i].off + rg[i].len)
			return true;
	return false;
}

static void check(void (*vector)(struct optic_image *), size_t want_ranges,
		  size_t want_values)
{
	struct port *p = calloc(1, sizeof(*p));
	struct poll_range rg[POLL_RANGES_MAX];
	size_t n, seen = 0;

	assert_non_null(p);
	optic_image_init(&p->img);
	vector(&p->img);
	assert_int_equal(optic_decode(&p->img, &p->model), 0);
	p->info.spec = p->model.spec;
	n = poll_ranges(p, rg);
	assert_int_equal(n, want_ranges);
	for (size_t i = 0; i < p->model.n; i++) {
		const struct optic_value *v = &p->model.v[i];
		const struct optic_field *f = v->f;
		/* CMIS 8.4.1: banked pages hold eight lanes a bank */
		bool banked = f->page >= 0x10 && f->count;
		unsigned int lane = banked ? v->index % 8 : v->index;
		unsigned int off = f->offset + lane * f->stride;
		uint8_t bank = banked ? v->index / 8 : 0;

		if (!sampled(v))
			continue;
		if (f->ff & OPTIC_FF_NIBBLE)
			off += lane / 2;
		if (!covered(rg, n, f->addr ? f->addr : OPTIC_ADDR_A0, f->page,
			     bank, off, f->len))
			fail_msg(
				"%s[%u] at page %02x bank %u byte %u not polled",
				f->json_key, v->index, f->page, bank, off);
		seen++;
	}
	assert_true(seen >= want_values);
	optic_model_free(&p->model);
	optic_image_clear(&p->img);
	free(p);
}

static void test_cmis(void **state)
{
	/* 2 module monitors, 8 lanes x (3 monitors, DPState, 4+ flags) */
	check(cmis_400g_dr4, 2, 2 + 8 * 8);
}

/* Lanes 9-16 in bank 1 (page 01h byte 142 bits 1-0 = 01b): polled too. */
static void cmis_16_lanes(struct optic_image *img)
{
	uint8_t z[128] = { 0 };

	cmis_400g_dr4(img);
	put8(img, 0x01, 142, 0x01);
	assert_int_equal(
		optic_image_set(img, OPTIC_ADDR_A0, 0x10, 1, 128, z, 128), 0);
	assert_int_equal(
		optic_image_set(img, OPTIC_ADDR_A0, 0x11, 1, 128, z, 128), 0);
}

static void test_cmis_two_banks(void **state)
{
	/* the lower range, page 11h of banks 0 and 1; 16 lanes' values */
	check(cmis_16_lanes, 3, 2 + 16 * 8);
}

static void test_sff8636(void **state)
{
	check(sff8636_cwdm4, 3, 2 + 4 * 6);
}

static void test_sff8472(void **state)
{
	check(sff8472_sr, 2, 2 + 3 + 2);
	check(sff8472_extcal, 2, 2 + 3 + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmis),
		cmocka_unit_test(test_cmis_two_banks),
		cmocka_unit_test(test_sff8636),
		cmocka_unit_test(test_sff8472),
	};

	return cmocka_run_group_tests_name("opticd_poll", tests, NULL, NULL);
}
