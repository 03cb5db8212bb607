// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SFF-8636 (QSFP+/QSFP28, Rev 2.10a) rows: lower page Table 6-2 .. 6-13,
 * upper page 00h Table 6-15 .. 6-21, page 03h thresholds Table 6-24.
 */
#include "fields.h"

/* clang-format off: tables read best one row per line */
/* SFF-8636 Table 6-3: revision compliance, byte 1 */
static const struct optic_code revision[] = {
	{ 0, "Not specified", NULL },
	{ 1, "SFF-8436 Rev 4.8 or earlier", NULL },
	{ 2, "SFF-8436 Rev 4.8 or earlier, except bytes 186-189", NULL },
	{ 3, "SFF-8636 Rev 1.3 or earlier", NULL },
	{ 4, "SFF-8636 Rev 1.4", NULL },
	{ 5, "SFF-8636 Rev 1.5", NULL },
	{ 6, "SFF-8636 Rev 2.0", NULL },
	{ 7, "SFF-8636 Rev 2.5, 2.6 and 2.7", NULL },
	{ 8, "SFF-8636 Rev 2.8, 2.9 and 2.10", NULL },
};

/* SFF-8024 Table 4-2 as SFF-8636 uses it (byte 139) */
static const struct optic_code encoding[] = {
	{ 0, "Unspecified", NULL },   { 1, "8B/10B", NULL },
	{ 2, "4B/5B", NULL },	      { 3, "NRZ", NULL },
	{ 4, "SONET Scrambled", NULL }, { 5, "64B/66B", NULL },
	{ 6, "Manchester", NULL },    { 7, "256B/257B", NULL },
	{ 8, "PAM4", NULL },
};

static const struct optic_code memory_model[] = {
	{ 0, "Paged", "paged" },
	{ 1, "Flat", "flat" },
};

/*
 * SFF-8636 Table 6-17: specification compliance, bytes 131-138, as two
 * 32-bit words (131-134, 135-138); code = bit number in the word.
 */
static const struct optic_code compliance_131_134[] = {
	/* byte 131: 10/40G Ethernet; bit 7: extended, see byte 192 */
	{ 31, "Extended (byte 192)", "extended" },
	{ 30, "10GBASE-LRM", NULL }, { 29, "10GBASE-LR", NULL },
	{ 28, "10GBASE-SR", NULL }, { 27, "40GBASE-CR4", NULL },
	{ 26, "40GBASE-SR4", NULL }, { 25, "40GBASE-LR4", NULL },
	{ 24, "40G Active Cable (XLPPI)", NULL },
	/* byte 132: SONET */
	{ 19, "40G OTN (OTU3B/OTU3C)", NULL },
	{ 18, "OC-48, long reach", NULL },
	{ 17, "OC-48, intermediate reach", NULL },
	{ 16, "OC-48, short reach", NULL },
	/* byte 133: SAS/SATA */
	{ 15, "SAS 24.0G", NULL }, { 14, "SAS 12.0G", NULL },
	{ 13, "SAS 6.0G", NULL }, { 12, "SAS 3.0G", NULL },
	/* byte 134: gigabit Ethernet */
	{ 3, "1000BASE-T", NULL }, { 2, "1000BASE-CX", NULL },
	{ 1, "1000BASE-LX", NULL }, { 0, "1000BASE-SX", NULL },
};

static const struct optic_code compliance_135_138[] = {
	/* byte 135: Fibre Channel link length and technology */
	{ 31, "FC very long distance (V)", NULL },
	{ 30, "FC short distance (S)", NULL },
	{ 29, "FC intermediate distance (I)", NULL },
	{ 28, "FC long distance (L)", NULL },
	{ 27, "FC medium distance (M)", NULL },
	{ 25, "FC longwave laser (LC)", NULL },
	{ 24, "FC electrical inter-enclosure (EL)", NULL },
	/* byte 136: Fibre Channel technology */
	{ 23, "FC electrical intra-enclosure (EL)", NULL },
	{ 22, "FC shortwave laser w/o OFC (SN)", NULL },
	{ 21, "FC shortwave laser with OFC (SL)", NULL },
	{ 20, "FC longwave laser (LL)", NULL },
	/* byte 137: Fibre Channel transmission media */
	{ 15, "FC twin axial pair (TW)", NULL },
	{ 14, "FC twisted pair (TP)", NULL },
	{ 13, "FC miniature coax (MI)", NULL },
	{ 12, "FC video coax (TV)", NULL },
	{ 11, "FC multimode, 62.5um (M6)", NULL },
	{ 10, "FC multimode, 50um (M5)", NULL },
	{ 9, "FC multimode, 50um (OM3)", NULL },
	{ 8, "FC single mode (SM)", NULL },
	/* byte 138: Fibre Channel speed */
	{ 7, "FC 1200 MBytes/sec", NULL },
	{ 6, "FC 800 MBytes/sec", NULL },
	{ 5, "FC 1600 MBytes/sec", NULL },
	{ 4, "FC 400 MBytes/sec", NULL },
	{ 3, "FC 3200 MBytes/sec", NULL },
	{ 2, "FC 200 MBytes/sec", NULL },
	{ 0, "FC 100 MBytes/sec", NULL },
};

static const struct optic_codes compliance_131_134_t =
	OPTIC_CODES("SFF-8636 Table 6-17", compliance_131_134);
static const struct optic_codes compliance_135_138_t =
	OPTIC_CODES("SFF-8636 Table 6-17", compliance_135_138);
static const struct optic_codes revision_t =
	OPTIC_CODES("SFF-8636 Table 6-3", revision);
static const struct optic_codes encoding_t =
	OPTIC_CODES("SFF-8024 Table 4-2", encoding);
static const struct optic_codes memory_model_t =
	OPTIC_CODES("SFF-8636 Table 6-2", memory_model);

#define ID OPTIC_S_IDENTITY
#define ST OPTIC_S_STATUS
#define MON OPTIC_S_MONITOR
#define LANE OPTIC_S_LANE
#define MF OPTIC_S_FLAG
#define LF OPTIC_S_LANE_FLAG

/* Copper attenuation at @ghz, dB (Table 6-19, copper cables only) */
#define ATTEN(off, ghz, key)                                                 \
	{ .page = 0x00, .offset = off, .len = 1, .type = OPTIC_F_UINT,       \
	  .unit = "dB", .sect = ID, .media = OPTIC_M_COPPER,                 \
	  .name = "Attenuation at " ghz " GHz",                              \
	  .json_key = "attenuation_" key "ghz_db" }

/* Bytes 9-14: two lanes per byte, lane 1 in bits 7-4 (HA, LA, HW, LW). */
#define LANE_AW(off, label, key)                                             \
	FLAG(0, 0, off, 2, 15, -4, 4, LF, 2, label " high alarm",            \
	     key "_high_alarm"),                                             \
	FLAG(0, 0, off, 2, 14, -4, 4, LF, 2, label " low alarm",             \
	     key "_low_alarm"),                                              \
	FLAG(0, 0, off, 2, 13, -4, 4, LF, 1, label " high warning",          \
	     key "_high_warning"),                                           \
	FLAG(0, 0, off, 2, 12, -4, 4, LF, 1, label " low warning",           \
	     key "_low_warning")

const struct optic_field optic_sff8636_fields[] = {
	{ .offset = 0, .len = 1, .type = OPTIC_F_CODE, .sect = ID,
	  .codes = &optic_sff8024_identifier, .ff = OPTIC_FF_HEXRAW,
	  .name = "Identifier", .json_key = "identifier" },
	{ .offset = 1, .len = 1, .type = OPTIC_F_CODE, .sect = ID,
	  .codes = &revision_t, .name = "Revision compliance",
	  .json_key = "sff8636_revision" },
	{ .offset = 2, .len = 1, .mask = 0x04, .type = OPTIC_F_CODE,
	  .sect = ID, .codes = &memory_model_t, .name = "Memory model",
	  .json_key = "memory_model" },
	/* Table 6-16 .. 6-20 */
	{ .page = 0x00, .offset = 129, .len = 1,
	  .type = OPTIC_F_PWRCLASS8636, .sect = ID, .name = "Power class",
	  .json_key = "power_class" },
	{ .page = 0x00, .offset = 129, .len = 1, .type = OPTIC_F_HEX,
	  .sect = ID, .name = "Extended identifier",
	  .json_key = "ext_identifier" },
	FLAG(0, 0x00, 129, 1, 3, 0, 0, ID, 0, "TX CDR present",
	     "tx_cdr_present"),
	FLAG(0, 0x00, 129, 1, 2, 0, 0, ID, 0, "RX CDR present",
	     "rx_cdr_present"),
	{ .page = 0x00, .offset = 130, .len = 1, .type = OPTIC_F_CODE,
	  .sect = ID, .codes = &optic_sff8024_connector,
	  .ff = OPTIC_FF_HEXRAW, .name = "Connector", .json_key = "connector" },
	{ .page = 0x00, .offset = 131, .len = 8, .type = OPTIC_F_HEX,
	  .sect = ID, .name = "Transceiver codes",
	  .json_key = "transceiver_codes" },
	{ .page = 0x00, .offset = 131, .len = 4, .type = OPTIC_F_BITS,
	  .sect = ID, .codes = &compliance_131_134_t, .name = "Compliance",
	  .json_key = "compliance" },
	{ .page = 0x00, .offset = 135, .len = 4, .type = OPTIC_F_BITS,
	  .sect = ID, .codes = &compliance_135_138_t, .name = "Compliance",
	  .json_key = "compliance" },
	{ .page = 0x00, .offset = 192, .len = 1, .type = OPTIC_F_CODE,
	  .sect = ID, .codes = &optic_sff8024_ext_compliance,
	  .ff = OPTIC_FF_HEXRAW, .adv_page = 0x00, .adv_off = 131,
	  .adv_mask = 0x80, .name = "Extended compliance",
	  .json_key = "ext_compliance" },
	{ .page = 0x00, .offset = 139, .len = 1, .type = OPTIC_F_CODE,
	  .sect = ID, .codes = &encoding_t, .name = "Encoding",
	  .json_key = "encoding" },
	/* Table 6-15 byte 140, FFh: the rate is byte 222 in 250 MBd */
	{ .page = 0x00, .offset = 140, .len = 1, .type = OPTIC_F_UINT,
	  .scale = 100, .unit = "MBd", .sect = ID,
	  .ff = OPTIC_FF_NONZERO | OPTIC_FF_ADVNE, .adv_off = 140,
	  .adv_mask = 0xff, .adv_val = 0xff, .name = "Nominal bit rate",
	  .json_key = "nominal_bitrate_mbd" },
	{ .page = 0x00, .offset = 222, .len = 1, .type = OPTIC_F_UINT,
	  .scale = 250, .unit = "MBd", .sect = ID, .ff = OPTIC_FF_ADVEQ,
	  .adv_off = 140, .adv_mask = 0xff, .adv_val = 0xff,
	  .name = "Nominal bit rate", .json_key = "nominal_bitrate_mbd" },
	{ .page = 0x00, .offset = 141, .len = 1, .type = OPTIC_F_UINT,
	  .sect = ID, .name = "Rate identifier",
	  .json_key = "rate_identifier" },
	{ .page = 0x00, .offset = 142, .len = 1, .type = OPTIC_F_UINT,
	  .unit = "km", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .name = "Length (SMF)", .json_key = "length_smf_km" },
	{ .page = 0x00, .offset = 143, .len = 1, .type = OPTIC_F_UINT,
	  .scale = 2, .unit = "m", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .name = "Length (OM3)", .json_key = "length_om3_m" },
	{ .page = 0x00, .offset = 144, .len = 1, .type = OPTIC_F_UINT,
	  .unit = "m", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .name = "Length (OM2)", .json_key = "length_om2_m" },
	{ .page = 0x00, .offset = 145, .len = 1, .type = OPTIC_F_UINT,
	  .unit = "m", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .name = "Length (OM1)", .json_key = "length_om1_m" },
	/* byte 146: OM4 in 2 m units, or a cable assembly in 1 m units */
	{ .page = 0x00, .offset = 146, .len = 1, .type = OPTIC_F_UINT,
	  .scale = 2, .unit = "m", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .media = OPTIC_M_OPTICAL, .name = "Length (OM4)",
	  .json_key = "length_om4_m" },
	{ .page = 0x00, .offset = 146, .len = 1, .type = OPTIC_F_UINT,
	  .unit = "m", .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .media = OPTIC_M_CABLE, .name = "Cable assembly length",
	  .json_key = "cable_length_m" },
	{ .page = 0x00, .offset = 147, .len = 1, .mask = 0xf0,
	  .type = OPTIC_F_CODE, .sect = ID, .codes = &optic_media_tech,
	  .ff = OPTIC_FF_HEXRAW, .name = "Transmitter technology",
	  .json_key = "media_technology" },
	{ .page = 0x00, .offset = 148, .len = 16, .type = OPTIC_F_ASCII,
	  .sect = ID, .name = "Vendor name", .json_key = "vendor_name" },
	{ .page = 0x00, .offset = 165, .len = 3, .type = OPTIC_F_OUI,
	  .sect = ID, .name = "Vendor OUI", .json_key = "vendor_oui" },
	{ .page = 0x00, .offset = 168, .len = 16, .type = OPTIC_F_ASCII,
	  .sect = ID, .name = "Vendor PN", .json_key = "vendor_pn" },
	{ .page = 0x00, .offset = 184, .len = 2, .type = OPTIC_F_ASCII,
	  .sect = ID, .name = "Vendor rev", .json_key = "vendor_rev" },
	/* Table 6-19: bytes 186-189, wavelength or copper attenuation */
	{ .page = 0x00, .offset = 186, .len = 2, .type = OPTIC_F_UINT,
	  .scale = 0.05, .unit = "nm", .prec = 2, .sect = ID,
	  .ff = OPTIC_FF_NONZERO, .media = OPTIC_M_LASER,
	  .name = "Nominal wavelength", .json_key = "wavelength_nm" },
	{ .page = 0x00, .offset = 188, .len = 2, .type = OPTIC_F_UINT,
	  .scale = 0.005, .unit = "nm", .prec = 3, .sect = ID,
	  .ff = OPTIC_FF_NONZERO, .media = OPTIC_M_LASER,
	  .name = "Wavelength tolerance",
	  .json_key = "wavelength_tolerance_nm" },
	ATTEN(186, "2.5", "2_5"),
	ATTEN(187, "5", "5"),
	ATTEN(188, "7", "7"),
	ATTEN(189, "12.9", "12_9"),
	{ .page = 0x00, .offset = 196, .len = 16, .type = OPTIC_F_ASCII,
	  .sect = ID, .name = "Vendor SN", .json_key = "vendor_sn" },
	{ .page = 0x00, .offset = 212, .len = 8, .type = OPTIC_F_DATE,
	  .sect = ID, .name = "Date code", .json_key = "date_code" },

	{ .page = 0x00, .offset = 220, .len = 1, .mask = 0x08,
	  .type = OPTIC_F_CODE, .sect = ID, .codes = &optic_rx_power_type,
	  .name = "RX power measurement", .json_key = "rx_power_type" },

	/* Table 6-12 byte 86 TX disable, byte 93 power control */
	FLAG(0, 0, 93, 1, 0, 0, 0, ST, 0, "Power override", "power_override"),
	FLAG(0, 0, 93, 1, 1, 0, 0, ST, 0, "Low power set", "lowpwr_set"),
	FLAG(0, 0, 93, 1, 2, 0, 0, ST, 0, "High power class enable (5-7)",
	     "high_power_class_enable"),
	FLAG(0, 0, 93, 1, 3, 0, 0, ST, 0, "High power class enable (8)",
	     "high_power_class8_enable"),

	/* Table 6-8: free-side monitors */
	{ .offset = 22, .len = 2, .type = OPTIC_F_SINT, .scale = 1.0 / 256,
	  .unit = "°C", .prec = 2, .sect = MON, .name = "Module temperature",
	  .json_key = "temperature_c" },
	{ .offset = 26, .len = 2, .type = OPTIC_F_UINT, .scale = 0.0001,
	  .unit = "V", .prec = 4, .sect = MON, .name = "Module voltage",
	  .json_key = "supply_voltage_v" },

	/* Table 6-9: lane monitors; 6-12 TX disable bit N = lane N+1 */
	FLAG(0, 0, 86, 1, 0, 1, 4, LANE, 0, "TX disabled", "tx_disable"),
	{ .offset = 50, .len = 2, .type = OPTIC_F_POWER, .count = 4,
	  .stride = 2, .sect = LANE, .name = "TX power",
	  .json_key = "tx_power" },
	{ .offset = 34, .len = 2, .type = OPTIC_F_POWER, .count = 4,
	  .stride = 2, .sect = LANE, .name = "RX power",
	  .json_key = "rx_power" },
	{ .offset = 42, .len = 2, .type = OPTIC_F_UINT, .scale = 0.002,
	  .unit = "mA", .prec = 3, .count = 4, .stride = 2, .sect = LANE,
	  .name = "TX bias", .json_key = "tx_bias_ma" },

	/* Table 6-6/6-7: module flags (latched) */
	FLAG(0, 0, 6, 1, 7, 0, 0, MF, 2, "Temperature high alarm",
	     "temperature_high_alarm"),
	FLAG(0, 0, 6, 1, 6, 0, 0, MF, 2, "Temperature low alarm",
	     "temperature_low_alarm"),
	FLAG(0, 0, 6, 1, 5, 0, 0, MF, 1, "Temperature high warning",
	     "temperature_high_warning"),
	FLAG(0, 0, 6, 1, 4, 0, 0, MF, 1, "Temperature low warning",
	     "temperature_low_warning"),
	FLAG(0, 0, 7, 1, 7, 0, 0, MF, 2, "Voltage high alarm",
	     "voltage_high_alarm"),
	FLAG(0, 0, 7, 1, 6, 0, 0, MF, 2, "Voltage low alarm",
	     "voltage_low_alarm"),
	FLAG(0, 0, 7, 1, 5, 0, 0, MF, 1, "Voltage high warning",
	     "voltage_high_warning"),
	FLAG(0, 0, 7, 1, 4, 0, 0, MF, 1, "Voltage low warning",
	     "voltage_low_warning"),

	/* Table 6-5: lane status flags (latched), bytes 3-5 */
	FLAG(0, 0, 3, 1, 0, 1, 4, LF, 2, "RX LOS", "rx_los"),
	FLAG(0, 0, 3, 1, 4, 1, 4, LF, 2, "TX LOS", "tx_los"),
	FLAG(0, 0, 4, 1, 0, 1, 4, LF, 3, "TX fault", "tx_fault"),
	FLAG(0, 0, 4, 1, 4, 1, 4, LF, 3, "TX adaptive EQ fault",
	     "tx_adaptive_eq_fault"),
	FLAG(0, 0, 5, 1, 0, 1, 4, LF, 2, "RX CDR LOL", "rx_cdr_lol"),
	FLAG(0, 0, 5, 1, 4, 1, 4, LF, 2, "TX CDR LOL", "tx_cdr_lol"),
	/* Table 6-7: lane monitor flags, bytes 9-14 */
	LANE_AW(9, "RX power", "rx_power"),
	LANE_AW(11, "TX bias", "tx_bias"),
	LANE_AW(13, "TX power", "tx_power"),

	/* Table 6-24: page 03h thresholds */
	THRESH4(0, 0x03, 128, OPTIC_F_SINT, 1.0 / 256, "°C", 2, 0,
		"Module temperature", "temperature_c"),
	THRESH4(0, 0x03, 144, OPTIC_F_UINT, 0.0001, "V", 4, 0,
		"Module voltage", "supply_voltage_v"),
	THRESH4(0, 0x03, 176, OPTIC_F_POWER, 0, NULL, 4, 0, "RX power",
		"rx_power"),
	THRESH4(0, 0x03, 184, OPTIC_F_UINT, 0.002, "mA", 3, 0, "TX bias",
		"tx_bias_ma"),
	THRESH4(0, 0x03, 192, OPTIC_F_POWER, 0, NULL, 4, 0, "TX power",
		"tx_power"),
};

/* clang-format on */

const size_t optic_sff8636_nfields = ARRAY_SIZE(optic_sff8636_fields);
