// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticd's health poll reads only poll_ranges(): every byte a sampled
 * value (monitors, lane flags, data-path states) is decoded from must be
 * in one of them, for each spec. A poll decodes again only the values
 * whose bytes changed: what it derives must be what a decode of the whole
 * image gives, change after change.
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

/* One byte a poll finds changed, and what the poll then derives. */
struct poll_change {
	const char *what;
	void (*vector)(struct optic_image *img);
	uint8_t addr, page, bank, off, val;
};

static const struct poll_change changes[] = {
	{ "CMIS temperature LSB", cmis_400g_dr4, OPTIC_ADDR_A0, 0, 0, 15,
	  0x7f },
	{ "CMIS Vcc MSB", cmis_400g_dr4, OPTIC_ADDR_A0, 0, 0, 16, 0x70 },
	{ "CMIS temperature high alarm latched", cmis_400g_dr4, OPTIC_ADDR_A0,
	  0, 0, 9, 0x01 },
	{ "CMIS lane 3 RX power LSB", cmis_400g_dr4, OPTIC_ADDR_A0, 0x11, 0,
	  186 + 4 + 1, 0x33 },
	{ "CMIS lane 8 TX bias MSB", cmis_400g_dr4, OPTIC_ADDR_A0, 0x11, 0,
	  170 + 14, 0x12 },
	{ "CMIS RX LOS lanes 1 and 5", cmis_400g_dr4, OPTIC_ADDR_A0, 0x11, 0,
	  147, 0x11 },
	{ "CMIS RX LOS cleared", cmis_400g_dr4, OPTIC_ADDR_A0, 0x11, 0, 147,
	  0x00 },
	{ "CMIS lane 1 TX power low warning", cmis_400g_dr4, OPTIC_ADDR_A0,
	  0x11, 0, 142, 0x01 },
	{ "CMIS lanes 1-2 data path deactivated", cmis_400g_dr4, OPTIC_ADDR_A0,
	  0x11, 0, 128, 0x11 },
	{ "CMIS bank 1 lane 10 RX CDR LOL", cmis_16_lanes, OPTIC_ADDR_A0, 0x11,
	  1, 148, 0x02 },
	{ "CMIS bank 1 lane 9 RX power", cmis_16_lanes, OPTIC_ADDR_A0, 0x11, 1,
	  186, 0x40 },
	{ "SFF-8636 RX LOS lane 2", sff8636_cwdm4, OPTIC_ADDR_A0, 0, 0, 3,
	  0x02 },
	{ "SFF-8636 lane 4 TX power", sff8636_cwdm4, OPTIC_ADDR_A0, 0, 0, 56,
	  0x21 },
	{ "SFF-8636 temperature", sff8636_cwdm4, OPTIC_ADDR_A0, 0, 0, 22,
	  0x30 },
	{ "SFF-8472 RX power", sff8472_sr, OPTIC_ADDR_A2, 0, 0, 104, 0x11 },
	{ "SFF-8472 RX power, external calibration", sff8472_extcal,
	  OPTIC_ADDR_A2, 0, 0, 104, 0x11 },
	{ "SFF-8472 TX bias high alarm", sff8472_sr, OPTIC_ADDR_A2, 0, 0, 112,
	  0x08 },
};

/* What a poll reads, as the module now holds it, through poll_store(). */
static void poll_from(struct port *p, const struct optic_image *module)
{
	struct poll_range rg[POLL_RANGES_MAX];
	struct poll_changes ch;
	size_t n = poll_ranges(p, rg);
	uint8_t buf[128];

	for (size_t i = 0; i < n; i++) {
		assert_int_equal(optic_image_get(module, rg[i].addr, rg[i].page,
						 rg[i].bank, rg[i].off, buf,
						 rg[i].len),
				 0);
		assert_int_equal(poll_store(p, &rg[i], i, buf, rg[i].len, &ch),
				 0);
	}
	poll_update(p, &ch);
}

static void test_poll_updates(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(changes); i++) {
		const struct poll_change *c = &changes[i];
		struct port *p = calloc(1, sizeof(*p));
		struct optic_image module;
		struct optic_model whole = { 0 };
		struct poll_values want, before;

		assert_non_null(p);
		optic_image_init(&p->img);
		optic_image_init(&module);
		c->vector(&p->img);
		c->vector(&module);
		assert_int_equal(optic_decode(&p->img, &p->model), 0);
		p->info.spec = p->model.spec;
		assert_int_equal(port_plan(p), 0);
		assert_true(p->nslots > 0);

		/* Unchanged bytes: nothing to decode, the same values. */
		want = p->pv;
		poll_from(p, &module);
		if (memcmp(&want, &p->pv, sizeof(want)))
			fail_msg("%s: an unchanged poll changed the values",
				 c->what);

		before = p->pv;
		assert_int_equal(optic_image_set(&module, c->addr, c->page,
						 c->bank, c->off, &c->val, 1),
				 0);
		poll_from(p, &module);
		if (!memcmp(&before, &p->pv, sizeof(before)))
			fail_msg("%s: the change changed nothing", c->what);
		assert_int_equal(optic_decode(&module, &whole), 0);
		poll_values_from_model(&whole, &want);
		if (memcmp(&want, &p->pv, sizeof(want)))
			fail_msg("%s: the poll's values differ from a decode",
				 c->what);
		optic_model_free(&whole);
		optic_model_free(&p->model);
		optic_image_clear(&p->img);
		optic_image_clear(&module);
		free(p->slots);
		free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmis),
		cmocka_unit_test(test_cmis_two_banks),
		cmocka_unit_test(test_sff8636),
		cmocka_unit_test(test_sff8472),
		cmocka_unit_test(test_poll_updates),
	};

	return cmocka_run_group_tests_name("opticd_poll", tests, NULL, NULL);
}
