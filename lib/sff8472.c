// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SFF-8472 (SFP+, Rev 12.4) rows: A0h Table 4-1 / 8-x, A2h Table 9-5
 * (thresholds), 9-6 (calibration constants), 9-11 (monitors), 9-12/9-14
 * (status and alarm/warning flags). A2h is i2c address 0x51.
 */
#include "fields.h"

/* clang-format off: tables read best one row per line */
#define A2 OPTIC_ADDR_A2

/* SFF-8024 Table 4-2 as SFF-8472 uses it (byte 11) */
static const struct optic_code encoding[] = {
	{ 0, "Unspecified", NULL },  { 1, "8B/10B", NULL },
	{ 2, "4B/5B", NULL },	     { 3, "NRZ", NULL },
	{ 4, "Manchester", NULL },   { 5, "SONET Scrambled", NULL },
	{ 6, "64B/66B", NULL },	     { 7, "256B/257B", NULL },
	{ 8, "PAM4", NULL },
};

/* SFF-8472 Table 8-8: compliance, byte 94 */
static const struct optic_code compliance[] = {
	{ 0, "Not included", NULL }, { 1, "Rev 9.3", NULL },
	{ 2, "Rev 9.5", NULL },	     { 3, "Rev 10.2", NULL },
	{ 4, "Rev 10.4", NULL },     { 5, "Rev 11.0", NULL },
	{ 6, "Rev 11.3", NULL },     { 7, "Rev 11.4", NULL },
	{ 8, "Rev 12.3", NULL },     { 9, "Rev 12.4", NULL },
};

static const struct optic_codes encoding_t =
	OPTIC_CODES("SFF-8024 Table 4-2", encoding);
static const struct optic_codes compliance_t =
	OPTIC_CODES("SFF-8472 Table 8-8", compliance);

#define ID OPTIC_S_IDENTITY
#define ST OPTIC_S_STATUS
#define MON OPTIC_S_MONITOR
#define LANE OPTIC_S_LANE
#define MF OPTIC_S_FLAG
#define LF OPTIC_S_LANE_FLAG
#define CAL OPTIC_S_CAL

/* Table 9-6 slope (unsigned 8.8) and offset (signed) pairs */
#define CAL_PAIR(off, label, key)                                            \
	{ .addr = A2, .offset = off, .len = 2, .type = OPTIC_F_UINT,         \
	  .scale = 1.0 / 256, .prec = 4, .sect = CAL,                        \
	  .ff = OPTIC_FF_EXTCAL, .name = label " slope",                     \
	  .json_key = key "_slope" },                                        \
	{ .addr = A2, .offset = (off) + 2, .len = 2, .type = OPTIC_F_SINT,   \
	  .sect = CAL, .ff = OPTIC_FF_EXTCAL, .name = label " offset",       \
	  .json_key = key "_offset" }

/* SFF-8472 Table 8-6 byte 93 bit 7: alarm/warning flags implemented */
#define AW_FLAG(off, b, sv, label, key, n, s)                                \
	{ .addr = A2, .offset = off, .len = 1, .type = OPTIC_F_FLAG,         \
	  .bit = b, .count = n, .sect = s, .sev = sv, .adv_off = 93,         \
	  .adv_mask = 0x80, .name = label, .json_key = key }

#define RXCAL(off, n)                                                        \
	{ .addr = A2, .offset = off, .len = 4, .type = OPTIC_F_FLOAT,        \
	  .sect = CAL, .ff = OPTIC_FF_EXTCAL, .name = "Rx_PWR(" #n ")",      \
	  .json_key = "rx_pwr_" #n }

const struct optic_field optic_sff8472_fields[] = {
	{ .offset = 0, .len = 1, .type = OPTIC_F_CODE, .sect = ID,
	  .codes = &optic_sff8024_identifier, .ff = OPTIC_FF_HEXRAW,
	  .name = "Identifier", .json_key = "identifier" },
	{ .offset = 94, .len = 1, .type = OPTIC_F_CODE, .sect = ID,
	  .codes = &compliance_t, .name = "SFF-8472 compliance",
	  .json_key = "sff8472_revision" },
	{ .offset = 2, .len = 1, .type = OPTIC_F_CODE, .sect = ID,
	  .codes = &optic_sff8024_connector, .ff = OPTIC_FF_HEXRAW,
	  .name = "Connector", .json_key = "connector" },
	{ .offset = 36, .len = 1, .type = OPTIC_F_CODE, .sect = ID,
	  .codes = &optic_sff8024_ext_compliance,
	  .ff = OPTIC_FF_HEXRAW | OPTIC_FF_NONZERO,
	  .name = "Extended compliance", .json_key = "ext_compliance" },
	{ .offset = 11, .len = 1, .type = OPTIC_F_CODE, .sect = ID,
	  .codes = &encoding_t, .name = "Encoding", .json_key = "encoding" },
	{ .offset = 12, .len = 1, .type = OPTIC_F_UINT, .scale = 100,
	  .unit = "MBd", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .name = "Nominal bit rate", .json_key = "nominal_bitrate_mbd" },
	{ .offset = 14, .len = 1, .type = OPTIC_F_UINT, .unit = "km",
	  .sect = ID, .ff = OPTIC_FF_NONZERO, .name = "Length (SMF)",
	  .json_key = "length_smf_km" },
	{ .offset = 16, .len = 1, .type = OPTIC_F_UINT, .scale = 10,
	  .unit = "m", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .name = "Length (OM2)", .json_key = "length_om2_m" },
	{ .offset = 17, .len = 1, .type = OPTIC_F_UINT, .scale = 10,
	  .unit = "m", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .name = "Length (OM1)", .json_key = "length_om1_m" },
	{ .offset = 19, .len = 1, .type = OPTIC_F_UINT, .scale = 10,
	  .unit = "m", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .name = "Length (OM3)", .json_key = "length_om3_m" },
	{ .offset = 20, .len = 16, .type = OPTIC_F_ASCII, .sect = ID,
	  .name = "Vendor name", .json_key = "vendor_name" },
	{ .offset = 37, .len = 3, .type = OPTIC_F_OUI, .sect = ID,
	  .name = "Vendor OUI", .json_key = "vendor_oui" },
	{ .offset = 40, .len = 16, .type = OPTIC_F_ASCII, .sect = ID,
	  .name = "Vendor PN", .json_key = "vendor_pn" },
	{ .offset = 56, .len = 4, .type = OPTIC_F_ASCII, .sect = ID,
	  .name = "Vendor rev", .json_key = "vendor_rev" },
	{ .offset = 60, .len = 2, .type = OPTIC_F_UINT, .unit = "nm",
	  .sect = ID, .ff = OPTIC_FF_NONZERO, .name = "Laser wavelength",
	  .json_key = "wavelength_nm" },
	{ .offset = 68, .len = 16, .type = OPTIC_F_ASCII, .sect = ID,
	  .name = "Vendor SN", .json_key = "vendor_sn" },
	{ .offset = 84, .len = 8, .type = OPTIC_F_DATE, .sect = ID,
	  .name = "Date code", .json_key = "date_code" },
	/* Table 8-5 byte 92: bit 5 internally, bit 4 externally calibrated */
	FLAG(0, 0, 92, 1, 6, 0, 0, ID, 0, "DDM implemented", "ddm"),
	FLAG(0, 0, 92, 1, 4, 0, 0, ID, 0, "Externally calibrated",
	     "external_calibration"),
	{ .offset = 92, .len = 1, .mask = 0x08, .type = OPTIC_F_CODE,
	  .sect = ID, .codes = &optic_rx_power_type,
	  .name = "RX power measurement", .json_key = "rx_power_type" },

	/* A2h Table 9-11: monitors (raw A/D values when externally cal.) */
	{ .addr = A2, .offset = 96, .len = 2, .type = OPTIC_F_SINT,
	  .scale = 1.0 / 256, .unit = "°C", .prec = 2, .cal = OPTIC_CAL_TEMP,
	  .sect = MON, .name = "Module temperature",
	  .json_key = "temperature_c" },
	{ .addr = A2, .offset = 98, .len = 2, .type = OPTIC_F_UINT,
	  .scale = 0.0001, .unit = "V", .prec = 4, .cal = OPTIC_CAL_VCC,
	  .sect = MON, .name = "Module voltage",
	  .json_key = "supply_voltage_v" },
	/* Table 9-12 byte 110: bit 7 TX disable state, 2 TX fault, 1 RX LOS */
	FLAG(A2, 0, 110, 1, 7, 0, 1, LANE, 0, "TX disabled", "tx_disable"),
	{ .addr = A2, .offset = 102, .len = 2, .type = OPTIC_F_POWER,
	  .cal = OPTIC_CAL_TXPWR, .count = 1, .sect = LANE,
	  .name = "TX power", .json_key = "tx_power" },
	{ .addr = A2, .offset = 104, .len = 2, .type = OPTIC_F_POWER,
	  .cal = OPTIC_CAL_RXPWR, .count = 1, .sect = LANE,
	  .name = "RX power", .json_key = "rx_power" },
	{ .addr = A2, .offset = 100, .len = 2, .type = OPTIC_F_UINT,
	  .scale = 0.002, .unit = "mA", .prec = 3, .cal = OPTIC_CAL_BIAS,
	  .count = 1, .sect = LANE, .name = "TX bias",
	  .json_key = "tx_bias_ma" },

	/* Table 9-14: alarm (112-113) and warning (116-117) flags */
	AW_FLAG(112, 7, 2, "Temperature high alarm", "temperature_high_alarm", 0, MF),
	AW_FLAG(112, 6, 2, "Temperature low alarm", "temperature_low_alarm", 0, MF),
	AW_FLAG(116, 7, 1, "Temperature high warning", "temperature_high_warning", 0, MF),
	AW_FLAG(116, 6, 1, "Temperature low warning", "temperature_low_warning", 0, MF),
	AW_FLAG(112, 5, 2, "Voltage high alarm", "voltage_high_alarm", 0, MF),
	AW_FLAG(112, 4, 2, "Voltage low alarm", "voltage_low_alarm", 0, MF),
	AW_FLAG(116, 5, 1, "Voltage high warning", "voltage_high_warning", 0, MF),
	AW_FLAG(116, 4, 1, "Voltage low warning", "voltage_low_warning", 0, MF),
	FLAG(A2, 0, 110, 1, 2, 0, 1, LF, 3, "TX fault", "tx_fault"),
	FLAG(A2, 0, 110, 1, 1, 0, 1, LF, 2, "RX LOS", "rx_los"),
	AW_FLAG(112, 3, 2, "TX bias high alarm", "tx_bias_high_alarm", 1, LF),
	AW_FLAG(112, 2, 2, "TX bias low alarm", "tx_bias_low_alarm", 1, LF),
	AW_FLAG(116, 3, 1, "TX bias high warning", "tx_bias_high_warning", 1, LF),
	AW_FLAG(116, 2, 1, "TX bias low warning", "tx_bias_low_warning", 1, LF),
	AW_FLAG(112, 1, 2, "TX power high alarm", "tx_power_high_alarm", 1, LF),
	AW_FLAG(112, 0, 2, "TX power low alarm", "tx_power_low_alarm", 1, LF),
	AW_FLAG(116, 1, 1, "TX power high warning", "tx_power_high_warning", 1, LF),
	AW_FLAG(116, 0, 1, "TX power low warning", "tx_power_low_warning", 1, LF),
	AW_FLAG(113, 7, 2, "RX power high alarm", "rx_power_high_alarm", 1, LF),
	AW_FLAG(113, 6, 2, "RX power low alarm", "rx_power_low_alarm", 1, LF),
	AW_FLAG(117, 7, 1, "RX power high warning", "rx_power_high_warning", 1, LF),
	AW_FLAG(117, 6, 1, "RX power low warning", "rx_power_low_warning", 1, LF),

	/* Table 9-5: thresholds, calibrated like the monitors */
	THRESH4(A2, 0, 0, OPTIC_F_SINT, 1.0 / 256, "°C", 2, OPTIC_CAL_TEMP,
		"Module temperature", "temperature_c"),
	THRESH4(A2, 0, 8, OPTIC_F_UINT, 0.0001, "V", 4, OPTIC_CAL_VCC,
		"Module voltage", "supply_voltage_v"),
	THRESH4(A2, 0, 16, OPTIC_F_UINT, 0.002, "mA", 3, OPTIC_CAL_BIAS,
		"TX bias", "tx_bias_ma"),
	THRESH4(A2, 0, 24, OPTIC_F_POWER, 0, NULL, 4, OPTIC_CAL_TXPWR,
		"TX power", "tx_power"),
	THRESH4(A2, 0, 32, OPTIC_F_POWER, 0, NULL, 4, OPTIC_CAL_RXPWR,
		"RX power", "rx_power"),

	/* Table 9-6: external calibration constants */
	RXCAL(56, 4),
	RXCAL(60, 3),
	RXCAL(64, 2),
	RXCAL(68, 1),
	RXCAL(72, 0),
	CAL_PAIR(76, "Tx_I", "tx_i"),
	CAL_PAIR(80, "Tx_PWR", "tx_pwr"),
	CAL_PAIR(84, "T", "t"),
	CAL_PAIR(88, "V", "v"),
};

/* clang-format on */

const size_t optic_sff8472_nfields = ARRAY_SIZE(optic_sff8472_fields);
