// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticd's link-affecting records (daemon/linkrec.c): which records of the
 * driver's flight recorder take which lane's link, and the journal fields
 * each gives, one table row per record.
 */
#include "vectors.h"

#include <stdio.h>

#include "linkrec.h"

#define NO_SNAP 0
#define SNAP 1

struct link_case {
	const char *what;
	uint8_t spec;
	uint8_t type; /* enum optic_event */
	int lane; /* the driver's OPTIC_A_LANE, -1 none */
	uint8_t page, offset, bits; /* FLAG */
	uint8_t old_state, new_state; /* state changes */
	int snap;
	/* every journal field, one "KEY=value" a line; "" when none */
	const char *fields;
};

/*
 * The snapshot of every row: 8 lanes, lane n (0-based) TX power n+1 mW
 * ((n+1) * 10000 in 0.1 uW), bias (n+1) * 2 mA at a multiplier of 2
 * (shift 1: 2 uA << 1 a unit, so (n+1) * 500 units), RX power (n+1) *
 * 0.1 mW; 35.5 degC, 3.3 V.
 */
static void mk_snap(struct optic_nl_record *r)
{
	r->has_snap = true;
	r->temp = 35 * 256 + 128;
	r->vcc = 33000;
	r->bias_shift = 1;
	r->lanes = 8;
	for (unsigned int l = 0; l < r->lanes; l++) {
		r->tx_power[l] = (l + 1) * 10000;
		r->bias[l] = (l + 1) * 500;
		r->rx_power[l] = (l + 1) * 1000;
	}
}

#define ID_FIELDS                                             \
	"OPTIC_VENDOR=OPTIC SIM\nOPTIC_PN=OSM-QDD-400G-DR4\n" \
	"OPTIC_SN=SIM0001\nOPTIC_RECORD_SEQ=42\n"             \
	"OPTIC_RECORD_REALTIME_NS=1765000000123456789\n"

static const struct link_case cases[] = {
	{ "CMIS RX LOS on lane 3, with the lane's monitors", OPTIC_SPEC_CMIS,
	  OPTIC_EVENT_FLAG, 2, 0x11, 147, 0x04, 0, 0, SNAP,
	  "OPTIC_PORT=port0\nOPTIC_LANE=3\nOPTIC_FLAG=rx_los\n" ID_FIELDS
	  "OPTIC_TEMPERATURE_C=35.50\nOPTIC_VCC_V=3.3000\n"
	  "OPTIC_TX_POWER_MW=3.0000\nOPTIC_TX_BIAS_MA=6.000\n"
	  "OPTIC_RX_POWER_MW=0.3000\n" },
	{ "CMIS TX fault on lane 1", OPTIC_SPEC_CMIS, OPTIC_EVENT_FLAG, 0, 0x11,
	  135, 0x01, 0, 0, SNAP,
	  "OPTIC_PORT=port0\nOPTIC_LANE=1\nOPTIC_FLAG=tx_fault\n" ID_FIELDS
	  "OPTIC_TEMPERATURE_C=35.50\nOPTIC_VCC_V=3.3000\n"
	  "OPTIC_TX_POWER_MW=1.0000\nOPTIC_TX_BIAS_MA=2.000\n"
	  "OPTIC_RX_POWER_MW=0.1000\n" },
	{ "CMIS TX CDR LOL, no snapshot (its read failed)", OPTIC_SPEC_CMIS,
	  OPTIC_EVENT_FLAG, 7, 0x11, 137, 0x80, 0, 0, NO_SNAP,
	  "OPTIC_PORT=port0\nOPTIC_LANE=8\nOPTIC_FLAG=tx_cdr_lol\n" ID_FIELDS },
	{ "CMIS RX CDR LOL of bank 1: the driver's lane 10, beyond the snapshot",
	  OPTIC_SPEC_CMIS, OPTIC_EVENT_FLAG, 9, 0x11, 148, 0x02, 0, 0, SNAP,
	  "OPTIC_PORT=port0\nOPTIC_LANE=10\nOPTIC_FLAG=rx_cdr_lol\n" ID_FIELDS
	  "OPTIC_TEMPERATURE_C=35.50\nOPTIC_VCC_V=3.3000\n" },
	{ "CMIS RX power low alarm does not take the link", OPTIC_SPEC_CMIS,
	  OPTIC_EVENT_FLAG, 2, 0x11, 150, 0x04, 0, 0, NO_SNAP, "" },
	{ "CMIS TX LOS does not take the link", OPTIC_SPEC_CMIS,
	  OPTIC_EVENT_FLAG, 0, 0x11, 136, 0x01, 0, 0, NO_SNAP, "" },
	{ "SFF-8636 byte 3: RX LOS lane 2, TX LOS lane 1 left out",
	  OPTIC_SPEC_SFF8636, OPTIC_EVENT_FLAG, -1, 0, 3, 0x12, 0, 0, SNAP,
	  "OPTIC_PORT=port0\nOPTIC_LANE=2\nOPTIC_FLAG=rx_los\n" ID_FIELDS
	  "OPTIC_TEMPERATURE_C=35.50\nOPTIC_VCC_V=3.3000\n"
	  "OPTIC_TX_POWER_MW=2.0000\nOPTIC_TX_BIAS_MA=4.000\n"
	  "OPTIC_RX_POWER_MW=0.2000\n" },
	{ "SFF-8636 byte 5: RX CDR LOL lane 1 and TX CDR LOL lane 4",
	  OPTIC_SPEC_SFF8636, OPTIC_EVENT_FLAG, -1, 0, 5, 0x81, 0, 0, NO_SNAP,
	  "OPTIC_PORT=port0\nOPTIC_LANE=1\nOPTIC_FLAG=rx_cdr_lol\n" ID_FIELDS
	  "--\n"
	  "OPTIC_PORT=port0\nOPTIC_LANE=4\nOPTIC_FLAG=tx_cdr_lol\n" ID_FIELDS },
	{ "a data path leaving DPActivated", OPTIC_SPEC_CMIS,
	  OPTIC_EVENT_DATAPATH_STATE, 4, 0, 0, 0, 4, 6, SNAP,
	  "OPTIC_PORT=port0\nOPTIC_LANE=5\nOPTIC_FLAG=datapath_down\n" ID_FIELDS
	  "OPTIC_DP_STATE=tx_turn_off\n"
	  "OPTIC_TEMPERATURE_C=35.50\nOPTIC_VCC_V=3.3000\n"
	  "OPTIC_TX_POWER_MW=5.0000\nOPTIC_TX_BIAS_MA=10.000\n"
	  "OPTIC_RX_POWER_MW=0.5000\n" },
	{ "a data path coming up is no link loss", OPTIC_SPEC_CMIS,
	  OPTIC_EVENT_DATAPATH_STATE, 4, 0, 0, 0, 2, 4, NO_SNAP, "" },
	{ "module fault: no lane, the module's monitors", OPTIC_SPEC_CMIS,
	  OPTIC_EVENT_MODULE_STATE, -1, 0, 0, 0, 3, 5, SNAP,
	  "OPTIC_PORT=port0\nOPTIC_FLAG=module_fault\n" ID_FIELDS
	  "OPTIC_TEMPERATURE_C=35.50\nOPTIC_VCC_V=3.3000\n" },
	{ "ModuleReady is no link loss", OPTIC_SPEC_CMIS,
	  OPTIC_EVENT_MODULE_STATE, -1, 0, 0, 0, 2, 3, NO_SNAP, "" },
	{ "an insertion is no link loss", OPTIC_SPEC_CMIS, OPTIC_EVENT_INSERTED,
	  -1, 0, 0, 0, 0, 0, NO_SNAP, "" },
};

static void test_link_fields(void **state)
{
	const struct link_state id = { .vendor = "OPTIC SIM",
				       .pn = "OSM-QDD-400G-DR4",
				       .sn = "SIM0001" };

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct link_case *c = &cases[i];
		struct optic_nl_record r = {
			.ev = { .type = c->type,
				.lane = c->lane,
				.flag_page = c->page,
				.flag_offset = c->offset,
				.flag_bits = c->bits,
				.old_state = c->old_state,
				.new_state = c->new_state,
				.record_seq = 42 },
			.realtime_ns = 1765000000123456789ull,
		};
		char got[2048] = "", fields[LOG_FIELDS_MAX][LOG_FIELD_LEN];
		struct link_entry e[8];
		size_t n, k;

		if (c->snap)
			mk_snap(&r);
		n = link_entries(&r.ev, c->spec, e, ARRAY_SIZE(e));
		for (size_t j = 0; j < n; j++) {
			if (j)
				strcat(got, "--\n");
			k = link_fields(&r, &e[j], "port0", &id, fields,
					LOG_FIELDS_MAX);
			for (size_t f = 0; f < k; f++) {
				strcat(got, fields[f]);
				strcat(got, "\n");
			}
		}
		if (strcmp(got, c->fields))
			fail_msg("%s:\n got:\n%s want:\n%s", c->what, got,
				 c->fields);
	}
}

/* The lane's RX power in W, only from a snapshot that has the lane. */
static void test_link_rx_power(void **state)
{
	struct optic_nl_record r = { 0 };

	assert_true(isnan(link_rx_power(&r, 0)));
	mk_snap(&r);
	assert_true(fabs(link_rx_power(&r, 2) - 0.3e-3) < 1e-12);
	assert_true(isnan(link_rx_power(&r, 8)));
	assert_true(isnan(link_rx_power(&r, -1)));
}

/* At most @max entries, whatever the record holds. */
static void test_link_entries_bounded(void **state)
{
	struct optic_nl_event ev = { .type = OPTIC_EVENT_FLAG,
				     .lane = -1,
				     .flag_offset = 5,
				     .flag_bits = 0xff };
	struct link_entry e[8];

	assert_int_equal(link_entries(&ev, OPTIC_SPEC_SFF8636, e, 8), 8);
	assert_int_equal(link_entries(&ev, OPTIC_SPEC_SFF8636, e, 3), 3);
	assert_int_equal(link_entries(&ev, OPTIC_SPEC_SFF8636, e, 0), 0);
	assert_int_equal(link_entries(&ev, OPTIC_SPEC_UNKNOWN, e, 8), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_fields),
		cmocka_unit_test(test_link_rx_power),
		cmocka_unit_test(test_link_entries_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
