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

/* SFF-8472 Table 5-1: extended identifier, byte 1 */
static const struct optic_code ext_id[] = {
	{ 0x00, "GBIC not specified or not MOD_DEF compliant", NULL },
	{ 0x01, "GBIC compliant with MOD_DEF 1", NULL },
	{ 0x02, "GBIC compliant with MOD_DEF 2", NULL },
	{ 0x03, "GBIC compliant with MOD_DEF 3", NULL },
	{ 0x04, "GBIC/SFP function defined by two-wire interface ID only", NULL },
	{ 0x05, "GBIC compliant with MOD_DEF 5", NULL },
	{ 0x06, "GBIC compliant with MOD_DEF 6", NULL },
	{ 0x07, "GBIC compliant with MOD_DEF 7", NULL },
};

/* SFF-8472 Table 5-6: rate identifier, byte 13 */
static const struct optic_code rate_id[] = {
	{ 0x00, "Unspecified", NULL },
	{ 0x01, "SFF-8079 (4/2/1G Rate_Select and AS0/AS1)", NULL },
	{ 0x02, "SFF-8431 (8/4/2G Rx Rate_Select only)", NULL },
	{ 0x04, "SFF-8431 (8/4/2G Tx Rate_Select only)", NULL },
	{ 0x06, "SFF-8431 (8/4/2G independent Rx and Tx Rate_Select)", NULL },
	{ 0x08, "FC-PI-5 (16/8/4G Rx Rate_Select only)", NULL },
	{ 0x0a, "FC-PI-5 (16/8/4G independent Rx and Tx Rate_Select)", NULL },
	{ 0x0c, "FC-PI-6 (32/16/8G independent Rx and Tx Rate_Select)", NULL },
	{ 0x0e, "10/8G Rx and Tx Rate_Select (CDR operation or locking)", NULL },
	{ 0x10, "FC-PI-7 (64/32/16G independent Rx and Tx Rate_Select)", NULL },
	{ 0x20, "Rate select by PMD (A0h byte 36, A2h byte 67)", NULL },
};

/*
 * SFF-8472 Table 5-3: transceiver compliance codes, bytes 3-10, as two
 * 32-bit words (bytes 3-6, 7-10); code = bit number in the word.
 */
static const struct optic_code compliance_3_6[] = {
	/* byte 3: 10G Ethernet, Infiniband */
	{ 31, "10GBASE-ER", NULL }, { 30, "10GBASE-LRM", NULL },
	{ 29, "10GBASE-LR", NULL }, { 28, "10GBASE-SR", NULL },
	{ 27, "1X SX", NULL }, { 26, "1X LX", NULL },
	{ 25, "1X Copper Active", NULL }, { 24, "1X Copper Passive", NULL },
	/* byte 4: ESCON, SONET */
	{ 23, "ESCON MMF, 1310nm LED", NULL },
	{ 22, "ESCON SMF, 1310nm Laser", NULL },
	{ 21, "OC-192, short reach", NULL },
	{ 20, "SONET reach specifier bit 1", NULL },
	{ 19, "SONET reach specifier bit 2", NULL },
	{ 18, "OC-48, long reach", NULL },
	{ 17, "OC-48, intermediate reach", NULL },
	{ 16, "OC-48, short reach", NULL },
	/* byte 5: SONET */
	{ 14, "OC-12, single mode, long reach", NULL },
	{ 13, "OC-12, single mode, intermediate reach", NULL },
	{ 12, "OC-12, short reach", NULL },
	{ 10, "OC-3, single mode, long reach", NULL },
	{ 9, "OC-3, single mode, intermediate reach", NULL },
	{ 8, "OC-3, short reach", NULL },
	/* byte 6: Ethernet */
	{ 7, "BASE-PX", NULL }, { 6, "BASE-BX10", NULL },
	{ 5, "100BASE-FX", NULL }, { 4, "100BASE-LX/LX10", NULL },
	{ 3, "1000BASE-T", NULL }, { 2, "1000BASE-CX", NULL },
	{ 1, "1000BASE-LX", NULL }, { 0, "1000BASE-SX", NULL },
};

static const struct optic_code compliance_7_10[] = {
	/* byte 7: Fibre Channel link length and technology */
	{ 31, "FC very long distance (V)", NULL },
	{ 30, "FC short distance (S)", NULL },
	{ 29, "FC intermediate distance (I)", NULL },
	{ 28, "FC long distance (L)", NULL },
	{ 27, "FC medium distance (M)", NULL },
	{ 26, "FC shortwave laser, linear Rx (SA)", NULL },
	{ 25, "FC longwave laser (LC)", NULL },
	{ 24, "FC electrical inter-enclosure (EL)", NULL },
	/* byte 8: Fibre Channel technology, SFP+ cable technology */
	{ 23, "FC electrical intra-enclosure (EL)", NULL },
	{ 22, "FC shortwave laser w/o OFC (SN)", NULL },
	{ 21, "FC shortwave laser with OFC (SL)", NULL },
	{ 20, "FC longwave laser (LL)", NULL },
	{ 19, "Active Cable", NULL },
	{ 18, "Passive Cable", NULL },
	{ 17, "FC copper FC-BaseT", NULL },
	/* byte 9: Fibre Channel transmission media */
	{ 15, "FC twin axial pair (TW)", NULL },
	{ 14, "FC twisted pair (TP)", NULL },
	{ 13, "FC miniature coax (MI)", NULL },
	{ 12, "FC video coax (TV)", NULL },
	{ 11, "FC multimode, 62.5um (M6)", NULL },
	{ 10, "FC multimode, 50um (M5)", NULL },
	{ 8, "FC single mode (SM)", NULL },
	/* byte 10: Fibre Channel speed */
	{ 7, "FC 1200 MBytes/sec", NULL },
	{ 6, "FC 800 MBytes/sec", NULL },
	{ 5, "FC 1600 MBytes/sec", NULL },
	{ 4, "FC 400 MBytes/sec", NULL },
	{ 3, "FC 3200 MBytes/sec", NULL },
	{ 2, "FC 200 MBytes/sec", NULL },
	{ 0, "FC 100 MBytes/sec", NULL },
};

/* SFF-8472 Table 8-3 byte 60 (passive) and 8-4 (active cable) */
static const struct optic_code passive_cable[] = {
	{ 0, "SFF-8431 Appendix E", "sff8431_appendix_e" },
	{ 1, "FC-PI-4 Appendix H", "fc_pi_4_appendix_h" },
};

static const struct optic_code active_cable[] = {
	{ 0, "SFF-8431 Appendix E", "sff8431_appendix_e" },
	{ 1, "FC-PI-4 Appendix H", "fc_pi_4_appendix_h" },
	{ 2, "SFF-8431 limiting", "sff8431_limiting" },
	{ 3, "FC-PI-4 limiting", "fc_pi_4_limiting" },
};

/* SFF-8472 Table 8-3: options, bytes 64-65 */
static const struct optic_code options[] = {
	{ 14, "High power level 4", "power_level_4" },
	{ 13, "Power level 3 requirement", "power_level_3" },
	{ 12, "Paging implemented", "paging" },
	{ 11, "Retimer or CDR implemented", "cdr" },
	{ 10, "Cooled transceiver implemented", "cooled" },
	{ 9, "Power level 2 requirement", "power_level_2" },
	{ 8, "Linear receiver output implemented", "linear_rx_output" },
	{ 7, "Receiver decision threshold implemented",
	  "rx_decision_threshold" },
	{ 6, "Tunable transmitter technology", "tunable" },
	{ 5, "RATE_SELECT implemented", "rate_select" },
	{ 4, "TX_DISABLE implemented", "tx_disable" },
	{ 3, "TX_FAULT implemented", "tx_fault" },
	{ 2, "RX_LOS implemented, inverted", "rx_los_inverted" },
	{ 1, "RX_LOS implemented", "rx_los" },
};

static const struct optic_codes ext_id_t =
	OPTIC_CODES("SFF-8472 Table 5-1", ext_id);
static const struct optic_codes rate_id_t =
	OPTIC_CODES("SFF-8472 Table 5-6", rate_id);
static const struct optic_codes compliance_3_6_t =
	OPTIC_CODES("SFF-8472 Table 5-3", compliance_3_6);
static const struct optic_codes compliance_7_10_t =
	OPTIC_CODES("SFF-8472 Table 5-3", compliance_7_10);
static const struct optic_codes passive_cable_t =
	OPTIC_CODES("SFF-8472 Table 8-1", passive_cable);
static const struct optic_codes active_cable_t =
	OPTIC_CODES("SFF-8472 Table 8-2", active_cable);
static const struct optic_codes options_t =
	OPTIC_CODES("SFF-8472 Table 8-3", options);
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

/* Bit rate bytes, by whether byte 12 is FFh */
#define BR_ROW(off, sc, adv, u, label, key)                                 \
	{ .offset = off, .len = 1, .type = OPTIC_F_UINT, .scale = sc,        \
	  .unit = u, .sect = ID, .ff = (adv), .adv_off = 12,                 \
	  .adv_mask = 0xff, .adv_val = 0xff, .name = label, .json_key = key }

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
	{ .offset = 1, .len = 1, .type = OPTIC_F_CODE, .sect = ID,
	  .codes = &ext_id_t, .ff = OPTIC_FF_HEXRAW,
	  .name = "Extended identifier", .json_key = "ext_identifier" },
	{ .offset = 3, .len = 8, .type = OPTIC_F_HEX, .sect = ID,
	  .name = "Transceiver codes", .json_key = "transceiver_codes" },
	{ .offset = 3, .len = 4, .type = OPTIC_F_BITS, .sect = ID,
	  .codes = &compliance_3_6_t, .name = "Compliance",
	  .json_key = "compliance" },
	{ .offset = 7, .len = 4, .type = OPTIC_F_BITS, .sect = ID,
	  .codes = &compliance_7_10_t, .name = "Compliance",
	  .json_key = "compliance" },
	{ .offset = 36, .len = 1, .type = OPTIC_F_CODE, .sect = ID,
	  .codes = &optic_sff8024_ext_compliance,
	  .ff = OPTIC_FF_HEXRAW | OPTIC_FF_NONZERO,
	  .name = "Extended compliance", .json_key = "ext_compliance" },
	{ .offset = 11, .len = 1, .type = OPTIC_F_CODE, .sect = ID,
	  .codes = &encoding_t, .name = "Encoding", .json_key = "encoding" },
	/* Table 5-1 bytes 12, 66-67: byte 12 FFh moves the rate to 66 */
	BR_ROW(12, 100, OPTIC_FF_ADVNE, "MBd", "Nominal bit rate",
	       "nominal_bitrate_mbd"),
	BR_ROW(66, 250, OPTIC_FF_ADVEQ, "MBd", "Nominal bit rate",
	       "nominal_bitrate_mbd"),
	BR_ROW(66, 1, OPTIC_FF_ADVNE, "%", "Bit rate margin, max",
	       "br_margin_max_pct"),
	BR_ROW(67, 1, OPTIC_FF_ADVNE, "%", "Bit rate margin, min",
	       "br_margin_min_pct"),
	BR_ROW(67, 1, OPTIC_FF_ADVEQ, "%", "Bit rate range",
	       "br_range_pct"),
	{ .offset = 13, .len = 1, .type = OPTIC_F_CODE, .sect = ID,
	  .codes = &rate_id_t, .ff = OPTIC_FF_HEXRAW,
	  .name = "Rate identifier", .json_key = "rate_identifier" },
	{ .offset = 14, .len = 1, .type = OPTIC_F_UINT, .unit = "km",
	  .sect = ID, .ff = OPTIC_FF_NONZERO, .name = "Length (SMF)",
	  .json_key = "length_smf_km" },
	{ .offset = 15, .len = 1, .type = OPTIC_F_UINT, .scale = 100,
	  .unit = "m", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .name = "Length (SMF, 100 m units)", .json_key = "length_smf_m" },
	{ .offset = 16, .len = 1, .type = OPTIC_F_UINT, .scale = 10,
	  .unit = "m", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .name = "Length (OM2)", .json_key = "length_om2_m" },
	{ .offset = 17, .len = 1, .type = OPTIC_F_UINT, .scale = 10,
	  .unit = "m", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .name = "Length (OM1)", .json_key = "length_om1_m" },
	/* byte 18: OM4 in 10 m units, or the cable length in 1 m units */
	{ .offset = 18, .len = 1, .type = OPTIC_F_UINT, .scale = 10,
	  .unit = "m", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .media = OPTIC_M_OPTICAL, .name = "Length (OM4)",
	  .json_key = "length_om4_m" },
	{ .offset = 18, .len = 1, .type = OPTIC_F_UINT, .unit = "m",
	  .sect = ID, .ff = OPTIC_FF_NONZERO, .media = OPTIC_M_CABLE,
	  .name = "Cable assembly length", .json_key = "cable_length_m" },
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
	/* Table 8-1/8-2: bytes 60-61 are a wavelength only for optics */
	{ .offset = 60, .len = 2, .type = OPTIC_F_UINT, .unit = "nm",
	  .sect = ID, .ff = OPTIC_FF_NONZERO, .media = OPTIC_M_OPTICAL,
	  .name = "Laser wavelength", .json_key = "wavelength_nm" },
	{ .offset = 60, .len = 1, .type = OPTIC_F_BITS, .sect = ID,
	  .media = OPTIC_M_PASSIVE, .codes = &passive_cable_t,
	  .name = "Passive cable compliance",
	  .json_key = "cable_compliance" },
	{ .offset = 60, .len = 1, .type = OPTIC_F_BITS, .sect = ID,
	  .media = OPTIC_M_ACTIVE, .codes = &active_cable_t,
	  .name = "Active cable compliance", .json_key = "cable_compliance" },
	{ .offset = 64, .len = 2, .type = OPTIC_F_BITS, .sect = ID,
	  .codes = &options_t, .name = "Options", .json_key = "options" },
	{ .offset = 68, .len = 16, .type = OPTIC_F_ASCII, .sect = ID,
	  .name = "Vendor SN", .json_key = "vendor_sn" },
	{ .offset = 84, .len = 8, .type = OPTIC_F_DATE, .sect = ID,
	  .name = "Date code", .json_key = "date_code" },
	/* Table 8-5 byte 92: bit 5 internally, bit 4 externally calibrated */
	FLAG(0, 0, 92, 1, 6, 0, 0, ID, 0, "DDM implemented", "ddm"),
	/* Table 8-6 byte 93 bit 7 */
	FLAG(0, 0, 93, 1, 7, 0, 0, ID, 0, "Alarm/warning flags implemented",
	     "aw_flags_implemented"),
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
