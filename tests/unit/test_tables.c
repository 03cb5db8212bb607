// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The const tables themselves: SFF-8024 codes (known values, no duplicate
 * codes) and every row of the CMIS, SFF-8636 and SFF-8472 tables (within
 * the 256-byte window, named, keyed, flags inside their bytes).
 */
#include "fields.h"
#include "vectors.h"

static void test_sff8024_known(void **state)
{
	static const struct {
		const struct optic_codes *t;
		unsigned int code;
		const char *name;
	} want[] = {
		{ &optic_sff8024_identifier, 0x03, "SFP/SFP+/SFP28" },
		{ &optic_sff8024_identifier, 0x11, "QSFP28" },
		{ &optic_sff8024_identifier, 0x18, "QSFP-DD" },
		{ &optic_sff8024_identifier, 0x19, "OSFP" },
		{ &optic_sff8024_connector, 0x07, "LC" },
		{ &optic_sff8024_connector, 0x0c, "MPO 1x12" },
		{ &optic_sff8024_connector, 0x23, "No separable connector" },
		{ &optic_sff8024_ext_compliance, 0x06, "100G CWDM4" },
		{ &optic_sff8024_ext_compliance, 0x02,
		  "100GBASE-SR4 or 25GBASE-SR" },
		{ &optic_sff8024_host_if, 0x11, "400GAUI-8 C2M (Annex 120E)" },
		{ &optic_sff8024_host_if, 0x4f,
		  "400GAUI-4-S C2M (Annex 120G)" },
		{ &optic_sff8024_host_if, 0x51,
		  "800GAUI-8 S C2M (Annex 120G)" },
		{ &optic_sff8024_mmf_if, 0x10, "400GBASE-SR8 (Clause 138)" },
		{ &optic_sff8024_smf_if, 0x1c, "400GBASE-DR4 (Clause 124)" },
		{ &optic_sff8024_smf_if, 0x1d,
		  "400G-FR4/400GBASE-FR4 (Clause 151)" },
		{ &optic_sff8024_smf_if, 0x56, "800GBASE-DR8 (Clause 124)" },
		{ &optic_sff8024_copper_if, 0x01, "Copper cable" },
		{ &optic_sff8024_active_if, 0x03,
		  "Active cable assembly, BER < 2.6e-4" },
		{ &optic_sff8024_baset_if, 0x04, "10GBASE-T (Clause 55)" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(want); i++)
		assert_string_equal(optic_code_name(want[i].t, want[i].code),
				    want[i].name);
	assert_null(optic_code_name(&optic_sff8024_identifier, 0x7e));
	assert_null(optic_code_name(NULL, 0));
	/* CMIS MediaType selects the media interface table */
	assert_ptr_equal(optic_sff8024_media_table(1), &optic_sff8024_mmf_if);
	assert_ptr_equal(optic_sff8024_media_table(2), &optic_sff8024_smf_if);
	assert_ptr_equal(optic_sff8024_media_table(3),
			 &optic_sff8024_copper_if);
	assert_ptr_equal(optic_sff8024_media_table(4),
			 &optic_sff8024_active_if);
	assert_ptr_equal(optic_sff8024_media_table(5), &optic_sff8024_baset_if);
	assert_null(optic_sff8024_media_table(0));
	assert_null(optic_sff8024_media_table(6));
	(void)state;
}

static void test_sff8024_unique(void **state)
{
	const struct optic_codes *tables[] = {
		&optic_sff8024_identifier,     &optic_sff8024_connector,
		&optic_sff8024_ext_compliance, &optic_sff8024_host_if,
		&optic_sff8024_mmf_if,	       &optic_sff8024_smf_if,
		&optic_sff8024_copper_if,      &optic_sff8024_active_if,
		&optic_sff8024_baset_if,       &optic_media_tech,
		&optic_rx_power_type,
	};
	size_t t, i, j;

	for (t = 0; t < ARRAY_SIZE(tables); t++) {
		assert_non_null(tables[t]->table);
		for (i = 0; i < tables[t]->n; i++) {
			assert_non_null(tables[t]->c[i].name);
			assert_true(tables[t]->c[i].name[0]);
			for (j = i + 1; j < tables[t]->n; j++)
				if (tables[t]->c[i].code ==
				    tables[t]->c[j].code)
					fail_msg("%s: code 0x%02x twice",
						 tables[t]->table,
						 tables[t]->c[i].code);
		}
	}
	(void)state;
}

static void test_spec_from_id(void **state)
{
	unsigned int id;

	assert_int_equal(optic_spec_from_id(0x03), OPTIC_SPEC_SFF8472);
	assert_int_equal(optic_spec_from_id(0x0d), OPTIC_SPEC_SFF8636);
	assert_int_equal(optic_spec_from_id(0x11), OPTIC_SPEC_SFF8636);
	assert_int_equal(optic_spec_from_id(0x18), OPTIC_SPEC_CMIS);
	assert_int_equal(optic_spec_from_id(0x19), OPTIC_SPEC_CMIS);
	assert_int_equal(optic_spec_from_id(0x1e), OPTIC_SPEC_CMIS);
	assert_int_equal(optic_spec_from_id(0x00), OPTIC_SPEC_UNKNOWN);
	for (id = 0x26; id < 0x100; id++)
		assert_int_equal(optic_spec_from_id(id), OPTIC_SPEC_UNKNOWN);
	(void)state;
}

static void check_rows(const char *spec, const struct optic_field *rows,
		       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct optic_field *f = &rows[i];
		unsigned int cnt = f->count ?: 1, last;

		if (!f->name || !f->json_key)
			fail_msg("%s row %zu: no name or JSON key", spec, i);
		if (!f->len || f->len > 16)
			fail_msg("%s %s: length %u", spec, f->json_key, f->len);
		if (f->ff & OPTIC_FF_NIBBLE)
			last = f->offset + (cnt - 1) / 2 + f->len;
		else if (f->type == OPTIC_F_FLAG && f->bit_step)
			last = f->offset + f->len;
		else
			last = f->offset + (cnt - 1) * f->stride + f->len;
		/* banked lane rows repeat their 8 lanes per bank */
		if (last > 256)
			fail_msg("%s %s: ends at %u", spec, f->json_key, last);
		if (f->sect == OPTIC_S_THRESHOLD && !f->json_sub)
			fail_msg("%s %s: threshold without sub-key", spec,
				 f->json_key);
		if (f->type == OPTIC_F_FLAG) {
			int lo = f->bit,
			    hi = f->bit + (int)(cnt - 1) * f->bit_step;

			if (lo < 0 || hi < 0 || lo >= 8 * f->len ||
			    hi >= 8 * f->len)
				fail_msg("%s %s: bits %d..%d outside %u bytes",
					 spec, f->json_key, lo, hi, f->len);
		}
		if (f->type == OPTIC_F_CODE && !f->codes &&
		    !(f->ff & OPTIC_FF_MEDIA))
			fail_msg("%s %s: code without a table", spec,
				 f->json_key);
		if (cnt > 1 && !f->stride && !(f->ff & OPTIC_FF_NIBBLE) &&
		    !(f->type == OPTIC_F_FLAG && f->bit_step))
			fail_msg("%s %s: repeated without a stride", spec,
				 f->json_key);
	}
}

static void test_rows(void **state)
{
	check_rows("cmis", optic_cmis_fields, optic_cmis_nfields);
	check_rows("sff8636", optic_sff8636_fields, optic_sff8636_nfields);
	check_rows("sff8472", optic_sff8472_fields, optic_sff8472_nfields);
	(void)state;
}

/* The keys docs/json.md promises exist in every spec's table. */
static void test_stable_keys(void **state)
{
	static const char *const common[] = {
		"identifier", "vendor_name",   "vendor_oui",
		"vendor_pn",  "vendor_rev",    "vendor_sn",
		"date_code",  "temperature_c", "supply_voltage_v",
		"tx_power",   "rx_power",      "tx_bias_ma",
		"tx_disable", "rx_los",	       "tx_fault",
	};
	const struct {
		const char *spec;
		const struct optic_field *rows;
		size_t n;
	} specs[] = {
		{ "cmis", optic_cmis_fields, optic_cmis_nfields },
		{ "sff8636", optic_sff8636_fields, optic_sff8636_nfields },
		{ "sff8472", optic_sff8472_fields, optic_sff8472_nfields },
	};
	size_t s, k, i;

	for (s = 0; s < ARRAY_SIZE(specs); s++) {
		for (k = 0; k < ARRAY_SIZE(common); k++) {
			for (i = 0; i < specs[s].n; i++)
				if (streq(specs[s].rows[i].json_key, common[k]))
					break;
			if (i == specs[s].n)
				fail_msg("%s: no %s", specs[s].spec, common[k]);
		}
	}
	for (i = 0; i < optic_cmis_nfields; i++)
		if (streq(optic_cmis_fields[i].json_key, "datapath_state") ||
		    streq(optic_cmis_fields[i].json_key, "module_state") ||
		    streq(optic_cmis_fields[i].json_key, "firmware_version") ||
		    streq(optic_cmis_fields[i].json_key, "max_power_w"))
			k++;
	assert_int_equal(k, ARRAY_SIZE(common) + 4);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sff8024_known),
		cmocka_unit_test(test_sff8024_unique),
		cmocka_unit_test(test_spec_from_id),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_stable_keys),
	};

	return cmocka_run_group_tests_name("tables", tests, NULL, NULL);
}
