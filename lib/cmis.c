// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * CMIS 4.0/5.x (OIF-CMIS-05.2) rows. Offsets are 0-255 within the page:
 * 0-127 the lower page, 128-255 the upper page named by .page.
 */
#include "fields.h"

/* clang-format off: tables read best one row per line */
/* CMIS 5.2 Table 8-6: ModuleState, byte 3 bits 3-1 */
static const struct optic_code module_state[] = {
	{ 1, "ModuleLowPwr", "lowpwr" }, { 2, "ModulePwrUp", "pwrup" },
	{ 3, "ModuleReady", "ready" },	 { 4, "ModulePwrDn", "pwrdn" },
	{ 5, "ModuleFault", "fault" },
};

/* CMIS 5.2 Table 8-4: byte 2 bit 7 MemoryModel */
static const struct optic_code memory_model[] = {
	{ 0, "Paged", "paged" },
	{ 1, "Flat", "flat" },
};

/* CMIS 5.2 Table 8-15: ModuleFaultCause, byte 41 */
static const struct optic_code fault_cause[] = {
	{ 0, "No fault", "none" },
	{ 1, "TEC runaway", "tec_runaway" },
	{ 2, "Data memory corrupted", "data_memory_corrupted" },
	{ 3, "Program memory corrupted", "program_memory_corrupted" },
};

/* CMIS 5.2 Table 8-22: MediaType, byte 85 */
static const struct optic_code media_type[] = {
	{ 0, "Undefined", "undefined" },
	{ 1, "Optical interfaces: MMF", "mmf" },
	{ 2, "Optical interfaces: SMF", "smf" },
	{ 3, "Passive copper cable", "passive_copper" },
	{ 4, "Active cable", "active_cable" },
	{ 5, "BASE-T", "base_t" },
};

/* CMIS 5.2 Table 8-33 / SFF-8636 Table 6-19: media interface technology */
static const struct optic_code media_tech[] = {
	{ 0x00, "850 nm VCSEL", NULL },
	{ 0x01, "1310 nm VCSEL", NULL },
	{ 0x02, "1550 nm VCSEL", NULL },
	{ 0x03, "1310 nm FP", NULL },
	{ 0x04, "1310 nm DFB", NULL },
	{ 0x05, "1550 nm DFB", NULL },
	{ 0x06, "1310 nm EML", NULL },
	{ 0x07, "1550 nm EML", NULL },
	{ 0x08, "Others", NULL },
	{ 0x09, "1490 nm DFB", NULL },
	{ 0x0a, "Copper cable, unequalized", NULL },
	{ 0x0b, "Copper cable, passive equalized", NULL },
	{ 0x0c, "Copper cable, near and far end limiting active equalizers", NULL },
	{ 0x0d, "Copper cable, far end limiting active equalizers", NULL },
	{ 0x0e, "Copper cable, near end limiting active equalizers", NULL },
	{ 0x0f, "Copper cable, linear active equalizers", NULL },
	{ 0x10, "C-band tunable laser", NULL },
	{ 0x11, "L-band tunable laser", NULL },
};

/* CMIS 5.2 Table 8-72 (page 11h 128-131): DataPathStateHostLaneN */
static const struct optic_code dp_state[] = {
	{ 1, "DPDeactivated", "deactivated" },
	{ 2, "DPInit", "init" },
	{ 3, "DPDeinit", "deinit" },
	{ 4, "DPActivated", "activated" },
	{ 5, "DPTxTurnOn", "tx_turn_on" },
	{ 6, "DPTxTurnOff", "tx_turn_off" },
	{ 7, "DPInitialized", "initialized" },
};

/*
 * CMIS 5.2 Table 8-90 (page 11h 202-205): ConfigStatus. 8h-Bh are custom
 * rejections, Dh-Fh reserved: a rejection too, unnamed.
 */
static const struct optic_code config_status[] = {
	{ 0x0, "ConfigUndefined", "undefined" },
	{ 0x1, "ConfigSuccess", "success" },
	{ 0x2, "ConfigRejected", "rejected" },
	{ 0x3, "ConfigRejectedInvalidAppSel", "rejected_invalid_appsel" },
	{ 0x4, "ConfigRejectedInvalidDataPath", "rejected_invalid_datapath" },
	{ 0x5, "ConfigRejectedInvalidSI", "rejected_invalid_si" },
	{ 0x6, "ConfigRejectedLanesInUse", "rejected_lanes_in_use" },
	{ 0x7, "ConfigRejectedPartialDataPath", "rejected_partial_datapath" },
	{ 0xc, "ConfigInProgress", "in_progress" },
};

/* RX power measurement type: CMIS Table 8-41, SFF-8636 6-20, SFF-8472 8-5 */
static const struct optic_code rx_power_type[] = {
	{ 0, "OMA", "oma" },
	{ 1, "Average power", "average" },
};

const struct optic_codes optic_rx_power_type =
	OPTIC_CODES("CMIS 5.2 Table 8-41", rx_power_type);
static const struct optic_codes module_state_t =
	OPTIC_CODES("CMIS 5.2 Table 8-6", module_state);
static const struct optic_codes memory_model_t =
	OPTIC_CODES("CMIS 5.2 Table 8-4", memory_model);
static const struct optic_codes fault_cause_t =
	OPTIC_CODES("CMIS 5.2 Table 8-15", fault_cause);
static const struct optic_codes media_type_t =
	OPTIC_CODES("CMIS 5.2 Table 8-22", media_type);
const struct optic_codes optic_media_tech =
	OPTIC_CODES("CMIS 5.2 Table 8-33", media_tech);
const struct optic_codes optic_cmis_dp_state =
	OPTIC_CODES("CMIS 5.2 Table 8-72", dp_state);
const struct optic_codes optic_cmis_config_status =
	OPTIC_CODES("CMIS 5.2 Table 8-90", config_status);

#define ID OPTIC_S_IDENTITY
#define ST OPTIC_S_STATUS
#define MON OPTIC_S_MONITOR
#define LANE OPTIC_S_LANE
#define APP OPTIC_S_APP
#define MF OPTIC_S_FLAG
#define LF OPTIC_S_LANE_FLAG

/* Copper attenuation at @ghz, dB (Table 8-33, copper cables only) */
#define ATTEN(off, ghz, key)                                                 \
	{ .page = 0x00, .offset = off, .len = 1, .type = OPTIC_F_UINT,       \
	  .unit = "dB", .sect = ID, .media = OPTIC_M_COPPER,                 \
	  .name = "Attenuation at " ghz " GHz",                              \
	  .json_key = "attenuation_" key "ghz_db" }

/* Multimode fibre link length, page 01h (Table 8-43) */
#define LINKLEN(off, sc, fibre, key)                                         \
	{ .page = 0x01, .offset = off, .len = 1, .type = OPTIC_F_UINT,       \
	  .scale = sc, .unit = "m", .sect = ID, .ff = OPTIC_FF_NONZERO,      \
	  .name = "Length (" fibre ")", .json_key = key }

/* Application descriptor byte @b (0-3) of AppSel 1-8 and 9-15. */
#define APP_ROWS(b, t, msk, cds, ffl, label, key)                            \
	{ .page = 0x00, .offset = 86 + (b), .len = 1, .mask = msk, .type = t,\
	  .count = 8, .stride = 4, .sect = APP, .codes = cds, .ff = ffl,     \
	  .name = label, .json_key = key },                                  \
	{ .page = 0x01, .offset = 223 + (b), .len = 1, .mask = msk, .type = t,\
	  .count = 7, .stride = 4, .first = 8, .sect = APP, .codes = cds,    \
	  .ff = ffl, .name = label, .json_key = key }

const struct optic_field optic_cmis_fields[] = {
	/* Lower page, CMIS 5.2 Table 8-4 .. 8-9 */
	{ .offset = 0, .len = 1, .type = OPTIC_F_CODE, .sect = ID,
	  .codes = &optic_sff8024_identifier, .ff = OPTIC_FF_HEXRAW,
	  .name = "Identifier", .json_key = "identifier" },
	{ .offset = 1, .len = 1, .type = OPTIC_F_NIBVER, .sect = ID,
	  .name = "Revision compliance", .json_key = "cmis_revision" },
	{ .offset = 2, .len = 1, .mask = 0x80, .type = OPTIC_F_CODE,
	  .sect = ID, .codes = &memory_model_t, .name = "Memory model",
	  .json_key = "memory_model" },
	/* Page 00h, CMIS 5.2 Table 8-28 .. 8-33 */
	{ .page = 0x00, .offset = 129, .len = 16, .type = OPTIC_F_ASCII,
	  .sect = ID, .name = "Vendor name", .json_key = "vendor_name" },
	{ .page = 0x00, .offset = 145, .len = 3, .type = OPTIC_F_OUI,
	  .sect = ID, .name = "Vendor OUI", .json_key = "vendor_oui" },
	{ .page = 0x00, .offset = 148, .len = 16, .type = OPTIC_F_ASCII,
	  .sect = ID, .name = "Vendor PN", .json_key = "vendor_pn" },
	{ .page = 0x00, .offset = 164, .len = 2, .type = OPTIC_F_ASCII,
	  .sect = ID, .name = "Vendor rev", .json_key = "vendor_rev" },
	{ .page = 0x00, .offset = 166, .len = 16, .type = OPTIC_F_ASCII,
	  .sect = ID, .name = "Vendor SN", .json_key = "vendor_sn" },
	{ .page = 0x00, .offset = 182, .len = 8, .type = OPTIC_F_DATE,
	  .sect = ID, .name = "Date code", .json_key = "date_code" },
	{ .page = 0x00, .offset = 190, .len = 10, .type = OPTIC_F_ASCII,
	  .sect = ID, .ff = OPTIC_FF_NONZERO, .name = "CLEI code",
	  .json_key = "clei_code" },
	{ .page = 0x00, .offset = 203, .len = 1, .type = OPTIC_F_CODE,
	  .sect = ID, .codes = &optic_sff8024_connector,
	  .ff = OPTIC_FF_HEXRAW, .name = "Connector", .json_key = "connector" },
	{ .offset = 85, .len = 1, .type = OPTIC_F_CODE, .sect = ID,
	  .codes = &media_type_t, .name = "Media type",
	  .json_key = "media_type" },
	{ .page = 0x00, .offset = 212, .len = 1, .type = OPTIC_F_CODE,
	  .sect = ID, .codes = &optic_media_tech, .ff = OPTIC_FF_HEXRAW,
	  .name = "Media interface technology",
	  .json_key = "media_technology" },
	/* Table 8-31: byte 200 bits 7-5 power class - 1, byte 201 0.25 W */
	{ .page = 0x00, .offset = 200, .len = 1, .mask = 0xe0,
	  .type = OPTIC_F_UINT, .add = 1, .sect = ID, .name = "Power class",
	  .json_key = "power_class" },
	{ .page = 0x00, .offset = 201, .len = 1, .type = OPTIC_F_UINT,
	  .scale = 0.25, .unit = "W", .prec = 2, .sect = ID,
	  .name = "Max power", .json_key = "max_power_w" },
	/* Table 8-32: cable assembly length; 8-33 copper attenuation */
	{ .page = 0x00, .offset = 202, .len = 1, .type = OPTIC_F_CABLELEN,
	  .unit = "m", .prec = 1, .sect = ID, .ff = OPTIC_FF_NONZERO,
	  .name = "Cable assembly length", .json_key = "cable_length_m" },
	ATTEN(204, "5", "5"),
	ATTEN(205, "7", "7"),
	ATTEN(206, "12.9", "12_9"),
	ATTEN(207, "25.8", "25_8"),
	/* Table 8-43: link lengths, page 01h 132-136 */
	{ .page = 0x01, .offset = 132, .len = 1, .type = OPTIC_F_CABLELEN,
	  .unit = "km", .prec = 1, .sect = ID,
	  .ff = OPTIC_FF_NONZERO | OPTIC_FF_ADVEQ, .adv_page = 0x01,
	  .adv_off = 132, .adv_mask = 0x80, .adv_val = 0x00,
	  .name = "Length (SMF)", .json_key = "length_smf_km" },
	/* multipliers 10b/11b are reserved: taken as 1 km */
	{ .page = 0x01, .offset = 132, .len = 1, .mask = 0x3f,
	  .type = OPTIC_F_UINT, .unit = "km", .sect = ID,
	  .ff = OPTIC_FF_NONZERO | OPTIC_FF_ADVEQ, .adv_page = 0x01,
	  .adv_off = 132, .adv_mask = 0x80, .adv_val = 0x80,
	  .name = "Length (SMF)", .json_key = "length_smf_km" },
	LINKLEN(133, 2, "OM5", "length_om5_m"),
	LINKLEN(134, 2, "OM4", "length_om4_m"),
	LINKLEN(135, 2, "OM3", "length_om3_m"),
	LINKLEN(136, 1, "OM2", "length_om2_m"),
	/* Table 8-46: implemented signal integrity controls, 161-162 */
	FLAG(0, 0x01, 161, 1, 0, 0, 0, ID, 0, "TX CDR supported",
	     "tx_cdr_supported"),
	FLAG(0, 0x01, 161, 1, 1, 0, 0, ID, 0, "TX CDR bypass supported",
	     "tx_cdr_bypass_supported"),
	FLAG(0, 0x01, 162, 1, 0, 0, 0, ID, 0, "RX CDR supported",
	     "rx_cdr_supported"),
	FLAG(0, 0x01, 162, 1, 1, 0, 0, ID, 0, "RX CDR bypass supported",
	     "rx_cdr_bypass_supported"),
	/* Table 8-13 bytes 39-40 active, page 01h Table 8-37 128-131 */
	{ .offset = 39, .len = 2, .type = OPTIC_F_VERSION, .sect = ID,
	  .name = "Active firmware version", .json_key = "firmware_version" },
	{ .page = 0x01, .offset = 128, .len = 2, .type = OPTIC_F_VERSION,
	  .sect = ID, .name = "Inactive firmware version",
	  .json_key = "firmware_inactive_version" },
	{ .page = 0x01, .offset = 130, .len = 2, .type = OPTIC_F_VERSION,
	  .sect = ID, .name = "Hardware revision",
	  .json_key = "hardware_revision" },
	/* Table 8-39: nominal wavelength 0.05 nm, tolerance 0.005 nm */
	{ .page = 0x01, .offset = 138, .len = 2, .type = OPTIC_F_UINT,
	  .scale = 0.05, .unit = "nm", .prec = 2, .sect = ID,
	  .ff = OPTIC_FF_NONZERO, .media = OPTIC_M_LASER,
	  .name = "Nominal wavelength", .json_key = "wavelength_nm" },
	{ .page = 0x01, .offset = 140, .len = 2, .type = OPTIC_F_UINT,
	  .scale = 0.005, .unit = "nm", .prec = 3, .sect = ID,
	  .ff = OPTIC_FF_NONZERO, .media = OPTIC_M_LASER,
	  .name = "Wavelength tolerance",
	  .json_key = "wavelength_tolerance_nm" },
	{ .page = 0x01, .offset = 151, .len = 1, .mask = 0x10,
	  .type = OPTIC_F_CODE, .sect = ID, .codes = &optic_rx_power_type,
	  .name = "RX power measurement", .json_key = "rx_power_type" },
	/* Table 8-46: CDB support, page 01h byte 163 */
	{ .page = 0x01, .offset = 163, .len = 1, .mask = 0xc0,
	  .type = OPTIC_F_UINT, .sect = ID, .name = "CDB instances",
	  .json_key = "cdb_instances" },
	FLAG(0, 0x01, 163, 1, 5, 0, 0, ID, 0, "CDB background mode",
	     "cdb_background_mode"),

	/* Status: Table 8-6 module state, Table 8-10 controls, 8-15 fault */
	{ .offset = 3, .len = 1, .mask = 0x0e, .type = OPTIC_F_CODE,
	  .sect = ST, .codes = &module_state_t, .name = "Module state",
	  .json_key = "module_state" },
	FLAG(0, 0, 26, 1, 6, 0, 0, ST, 0, "Low power allowed by hardware",
	     "lowpwr_allow_request_hw"),
	FLAG(0, 0, 26, 1, 4, 0, 0, ST, 0, "Low power requested by software",
	     "lowpwr_request_sw"),
	{ .offset = 41, .len = 1, .type = OPTIC_F_CODE, .sect = ST,
	  .codes = &fault_cause_t, .ff = OPTIC_FF_NONZERO,
	  .name = "Module fault cause", .json_key = "module_fault_cause" },

	/* Module monitors, Table 8-10 bytes 14-17; page 01h byte 159 */
	{ .offset = 14, .len = 2, .type = OPTIC_F_SINT, .scale = 1.0 / 256,
	  .unit = "°C", .prec = 2, .sect = MON, .adv_page = 0x01,
	  .adv_off = 159, .ff = OPTIC_FF_ADVOPT, .adv_mask = 0x01, .name = "Module temperature",
	  .json_key = "temperature_c" },
	{ .offset = 16, .len = 2, .type = OPTIC_F_UINT, .scale = 0.0001,
	  .unit = "V", .prec = 4, .sect = MON, .adv_page = 0x01,
	  .adv_off = 159, .ff = OPTIC_FF_ADVOPT, .adv_mask = 0x02, .name = "Module voltage",
	  .json_key = "supply_voltage_v" },

	/* Applications, Table 8-23/8-24 and page 01h Table 8-51 */
	APP_ROWS(0, OPTIC_F_CODE, 0, &optic_sff8024_host_if, OPTIC_FF_HEXRAW,
		 "Host interface", "host_interface"),
	APP_ROWS(1, OPTIC_F_CODE, 0, NULL, OPTIC_FF_HEXRAW | OPTIC_FF_MEDIA,
		 "Media interface", "media_interface"),
	APP_ROWS(2, OPTIC_F_UINT, 0xf0, NULL, 0, "Host lane count",
		 "host_lane_count"),
	APP_ROWS(2, OPTIC_F_UINT, 0x0f, NULL, 0, "Media lane count",
		 "media_lane_count"),
	APP_ROWS(3, OPTIC_F_HEX, 0, NULL, 0, "Host lane assignment",
		 "host_lane_assignment"),
	/* page 01h 176-190: media lane assignment options, AppSel 1-15 */
	{ .page = 0x01, .offset = 176, .len = 1, .type = OPTIC_F_HEX,
	  .count = 15, .stride = 1, .sect = APP,
	  .name = "Media lane assignment", .json_key = "media_lane_assignment" },

	/* Module flags, Table 8-9 bytes 8-9 (latched) */
	FLAG(0, 0, 8, 1, 0, 0, 0, MF, 0, "Module state changed",
	     "module_state_changed"),
	FLAG(0, 0, 9, 1, 0, 0, 0, MF, 2, "Temperature high alarm",
	     "temperature_high_alarm"),
	FLAG(0, 0, 9, 1, 1, 0, 0, MF, 2, "Temperature low alarm",
	     "temperature_low_alarm"),
	FLAG(0, 0, 9, 1, 2, 0, 0, MF, 1, "Temperature high warning",
	     "temperature_high_warning"),
	FLAG(0, 0, 9, 1, 3, 0, 0, MF, 1, "Temperature low warning",
	     "temperature_low_warning"),
	FLAG(0, 0, 9, 1, 4, 0, 0, MF, 2, "Voltage high alarm",
	     "voltage_high_alarm"),
	FLAG(0, 0, 9, 1, 5, 0, 0, MF, 2, "Voltage low alarm",
	     "voltage_low_alarm"),
	FLAG(0, 0, 9, 1, 6, 0, 0, MF, 1, "Voltage high warning",
	     "voltage_high_warning"),
	FLAG(0, 0, 9, 1, 7, 0, 0, MF, 1, "Voltage low warning",
	     "voltage_low_warning"),

	/* Lanes: page 11h Table 8-72 (state), 8-78 (monitors), 10h 8-56 */
	{ .page = 0x11, .offset = 128, .len = 1, .type = OPTIC_F_CODE,
	  .count = 8, .sect = LANE, .ff = OPTIC_FF_NIBBLE,
	  .codes = &optic_cmis_dp_state, .name = "Data path state",
	  .json_key = "datapath_state" },
	/* Table 8-89: active control set, AppSel in bits 7-4 */
	{ .page = 0x11, .offset = 206, .len = 1, .mask = 0xf0,
	  .type = OPTIC_F_APPSEL, .count = 8, .stride = 1, .sect = LANE,
	  .name = "Active application", .json_key = "application" },
	FLAG(0, 0x10, 130, 1, 0, 1, 8, LANE, 0, "TX disabled", "tx_disable"),
	{ .page = 0x11, .offset = 154, .len = 2, .type = OPTIC_F_POWER,
	  .count = 8, .stride = 2, .sect = LANE, .adv_page = 0x01,
	  .adv_off = 160, .adv_mask = 0x02, .name = "TX power",
	  .json_key = "tx_power" },
	{ .page = 0x11, .offset = 186, .len = 2, .type = OPTIC_F_POWER,
	  .count = 8, .stride = 2, .sect = LANE, .adv_page = 0x01,
	  .adv_off = 160, .adv_mask = 0x04, .name = "RX power",
	  .json_key = "rx_power" },
	{ .page = 0x11, .offset = 170, .len = 2, .type = OPTIC_F_UINT,
	  .scale = 0.002, .unit = "mA", .prec = 3,
	  .cal = OPTIC_CAL_CMIS_BIAS, .count = 8, .stride = 2, .sect = LANE,
	  .adv_page = 0x01, .adv_off = 160, .adv_mask = 0x01,
	  .name = "TX bias", .json_key = "tx_bias_ma" },

	/* Lane flags, page 11h Table 8-76/8-77 (latched), bit N = lane N+1 */
	FLAG(0, 0x11, 134, 1, 0, 1, 8, LF, 0, "Data path state changed",
	     "datapath_state_changed"),
	FLAG(0, 0x11, 135, 1, 0, 1, 8, LF, 3, "TX fault", "tx_fault"),
	FLAG(0, 0x11, 136, 1, 0, 1, 8, LF, 2, "TX LOS", "tx_los"),
	FLAG(0, 0x11, 137, 1, 0, 1, 8, LF, 2, "TX CDR LOL", "tx_cdr_lol"),
	FLAG(0, 0x11, 138, 1, 0, 1, 8, LF, 3, "TX adaptive EQ fault",
	     "tx_adaptive_eq_fault"),
	FLAG(0, 0x11, 139, 1, 0, 1, 8, LF, 2, "TX power high alarm",
	     "tx_power_high_alarm"),
	FLAG(0, 0x11, 140, 1, 0, 1, 8, LF, 2, "TX power low alarm",
	     "tx_power_low_alarm"),
	FLAG(0, 0x11, 141, 1, 0, 1, 8, LF, 1, "TX power high warning",
	     "tx_power_high_warning"),
	FLAG(0, 0x11, 142, 1, 0, 1, 8, LF, 1, "TX power low warning",
	     "tx_power_low_warning"),
	FLAG(0, 0x11, 143, 1, 0, 1, 8, LF, 2, "TX bias high alarm",
	     "tx_bias_high_alarm"),
	FLAG(0, 0x11, 144, 1, 0, 1, 8, LF, 2, "TX bias low alarm",
	     "tx_bias_low_alarm"),
	FLAG(0, 0x11, 145, 1, 0, 1, 8, LF, 1, "TX bias high warning",
	     "tx_bias_high_warning"),
	FLAG(0, 0x11, 146, 1, 0, 1, 8, LF, 1, "TX bias low warning",
	     "tx_bias_low_warning"),
	FLAG(0, 0x11, 147, 1, 0, 1, 8, LF, 2, "RX LOS", "rx_los"),
	FLAG(0, 0x11, 148, 1, 0, 1, 8, LF, 2, "RX CDR LOL", "rx_cdr_lol"),
	FLAG(0, 0x11, 149, 1, 0, 1, 8, LF, 2, "RX power high alarm",
	     "rx_power_high_alarm"),
	FLAG(0, 0x11, 150, 1, 0, 1, 8, LF, 2, "RX power low alarm",
	     "rx_power_low_alarm"),
	FLAG(0, 0x11, 151, 1, 0, 1, 8, LF, 1, "RX power high warning",
	     "rx_power_high_warning"),
	FLAG(0, 0x11, 152, 1, 0, 1, 8, LF, 1, "RX power low warning",
	     "rx_power_low_warning"),

	/* Thresholds, page 02h Table 8-62 (module) and 8-63 (lane) */
	THRESH4(0, 0x02, 128, OPTIC_F_SINT, 1.0 / 256, "°C", 2, 0,
		"Module temperature", "temperature_c"),
	THRESH4(0, 0x02, 136, OPTIC_F_UINT, 0.0001, "V", 4, 0,
		"Module voltage", "supply_voltage_v"),
	THRESH4(0, 0x02, 176, OPTIC_F_POWER, 0, NULL, 4, 0, "TX power",
		"tx_power"),
	THRESH4(0, 0x02, 184, OPTIC_F_UINT, 0.002, "mA", 3,
		OPTIC_CAL_CMIS_BIAS, "TX bias", "tx_bias_ma"),
	THRESH4(0, 0x02, 192, OPTIC_F_POWER, 0, NULL, 4, 0, "RX power",
		"rx_power"),
};

/* clang-format on */

const size_t optic_cmis_nfields = ARRAY_SIZE(optic_cmis_fields);

int optic_cmis_app_byte(const struct optic_image *img, unsigned int app,
			unsigned int b)
{
	/* Table 8-23: lower page 86-117 (AppSel 1-8); 8-51: 01h 223-250 */
	if (app < 8)
		return optic_image_byte(img, 0, 0, 0, 86 + 4 * app + b);
	return optic_image_byte(img, 0, 1, 0, 223 + 4 * (app - 8) + b);
}

unsigned int optic_cmis_count_apps(const struct optic_image *img)
{
	unsigned int i;
	int b;

	/* the list ends at host interface ID 0xff (or an unused 0x00) */
	for (i = 0; i < 15; i++) {
		b = optic_cmis_app_byte(img, i, 0);
		if (b < 0 || b == 0xff || b == 0x00)
			break;
	}
	return i;
}

/* Lanes @count wide starting at each lane of @starts (bit N: lane N+1). */
static uint32_t lanes_from(unsigned int starts, unsigned int count)
{
	uint32_t m = 0, run = count >= 32 ? ~0u : (1u << count) - 1;
	unsigned int l;

	for (l = 0; l < 8; l++)
		if (starts & (1u << l))
			m |= run << l;
	return m & 0xff;
}

/* Lanes of a bank an application instance can occupy (bit N: lane N+1). */
static uint32_t app_lanes(const struct optic_image *img, unsigned int napps)
{
	uint32_t m = 0;
	unsigned int i;
	int cnt, host, media;

	for (i = 0; i < napps; i++) {
		cnt = optic_cmis_app_byte(img, i, 2);
		host = optic_cmis_app_byte(img, i, 3);
		/* page 01h 176-190: media lane assignment options */
		media = optic_image_byte(img, 0, 1, 0, 176 + i);
		if (cnt < 0)
			continue;
		if (host >= 0)
			m |= lanes_from(host, cnt >> 4);
		if (media >= 0)
			m |= lanes_from(media, cnt & 0x0f);
	}
	return m;
}

/* Lanes of bank @bank whose data path is not deactivated (Table 8-72). */
static uint32_t dp_lanes(const struct optic_image *img, unsigned int bank)
{
	uint32_t m = 0;
	unsigned int l;
	int b, st;

	for (l = 0; l < 8; l++) {
		b = optic_image_byte(img, 0, 0x11, bank, 128 + l / 2);
		st = b < 0 ? 0 : (b >> (4 * (l % 2))) & 0x0f;
		if (st && st != 1)
			m |= 1u << l;
	}
	return m;
}

/*
 * CMIS 5.2 8.4.1 and Table 8-40 (page 01h byte 142 bits 1-0): banks of
 * eight lanes; a bank above 0 counts when its page 11h was read.
 */
static unsigned int banks(const struct optic_image *img)
{
	unsigned int n = 1, max;
	int b = optic_image_byte(img, 0, 1, 0, 142);

	max = b < 0 ? 1 : 1u << MIN(b & 3, 2);
	while (n < max && optic_image_half(img, 0, 0x11, n, true))
		n++;
	return n;
}

unsigned int optic_cmis_lanes(const struct optic_image *img,
			      unsigned int napps)
{
	uint32_t per_bank = app_lanes(img, napps), all = 0;
	unsigned int bank, nbanks = banks(img);

	/* no application advertised: every lane of the bank */
	if (!per_bank)
		per_bank = 0xff;
	for (bank = 0; bank < nbanks; bank++)
		all |= (per_bank | dp_lanes(img, bank)) << (8 * bank);
	return 32 - __builtin_clz(all);
}

bool optic_config_rejected(uint8_t status)
{
	return status != OPTIC_CONFIG_UNDEFINED &&
	       status != OPTIC_CONFIG_SUCCESS &&
	       status != OPTIC_CONFIG_IN_PROGRESS;
}

const char *optic_datapath_state_name(uint8_t state)
{
	const struct optic_code *c = optic_code_find(&optic_cmis_dp_state, state);

	return c ? c->json : NULL;
}
