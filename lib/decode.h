/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Table-driven decoding of CMIS, SFF-8636 and SFF-8472 memory images into
 * one model: a flat list of values, each pointing at the const table row
 * (struct optic_field) that produced it. Rows cite the spec table they
 * implement; optic_model_print() is the one printer for text and JSON.
 */
#ifndef OPTIC_DECODE_H
#define OPTIC_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/optic.h>

#include "image.h"

struct optic_print;

struct optic_code {
	uint16_t code;
	const char *name; /* text, and JSON *_description */
	const char *json; /* short JSON value; NULL: JSON gets the number */
};

struct optic_codes {
	const char *table; /* spec table, for documentation */
	const struct optic_code *c;
	size_t n;
};

#define OPTIC_CODES(t, arr)                                                   \
	{                                                                     \
		.table = (t), .c = (arr), .n = sizeof(arr) / sizeof((arr)[0]) \
	}

/* Look @code up; NULL when it is not in the table. */
const char *optic_code_name(const struct optic_codes *t, unsigned int code);
const struct optic_code *optic_code_find(const struct optic_codes *t,
					 unsigned int code);

enum optic_ftype {
	OPTIC_F_ASCII, /* printable bytes, trailing blanks trimmed */
	OPTIC_F_UINT, /* big-endian unsigned (1-4 bytes), * scale */
	OPTIC_F_SINT, /* big-endian two's complement (1-2 bytes), * scale */
	OPTIC_F_CODE, /* (byte & mask) looked up in codes */
	OPTIC_F_OUI, /* xx:xx:xx */
	OPTIC_F_DATE, /* YYMMDD[LL] -> 20YY-MM-DD[ lot LL] */
	OPTIC_F_VERSION, /* two bytes major.minor */
	OPTIC_F_NIBVER, /* one byte, nibbles major.minor */
	OPTIC_F_FLAG, /* bit (bit + index * bit_step) of the BE word */
	OPTIC_F_POWER, /* u16 in 0.1 uW -> mW and dBm */
	OPTIC_F_HEX, /* bytes as hex */
	OPTIC_F_FLOAT, /* IEEE 754 big-endian single (SFF-8472 cal.) */
	OPTIC_F_CABLELEN, /* CMIS 8.3.x: bits 7-6 multiplier, 5-0 length */
	OPTIC_F_PWRCLASS8636, /* SFF-8636 Table 6-16 byte 129 power class */
	OPTIC_F_BITS, /* set bits of the BE word (1-4 bytes), named by codes */
	OPTIC_F_APPSEL, /* CMIS AppSel: CODE, named by its application */
};

/*
 * What the module is, for rows whose bytes mean different things for
 * optical modules and cable assemblies (struct optic_field.media).
 */
enum optic_media_class {
	OPTIC_MC_OPTICAL, /* a transceiver with a separable optical connector */
	OPTIC_MC_PASSIVE, /* passive copper cable assembly */
	OPTIC_MC_ACTIVE, /* active copper (SFF-8472: any active) cable */
	OPTIC_MC_AOC, /* active optical cable (SFF-8636, CMIS) */
};

#define OPTIC_M_OPTICAL (1u << OPTIC_MC_OPTICAL)
#define OPTIC_M_PASSIVE (1u << OPTIC_MC_PASSIVE)
#define OPTIC_M_ACTIVE (1u << OPTIC_MC_ACTIVE)
#define OPTIC_M_AOC (1u << OPTIC_MC_AOC)
#define OPTIC_M_COPPER (OPTIC_M_PASSIVE | OPTIC_M_ACTIVE)
#define OPTIC_M_LASER (OPTIC_M_OPTICAL | OPTIC_M_AOC)
#define OPTIC_M_CABLE (OPTIC_M_COPPER | OPTIC_M_AOC)

enum optic_sect {
	OPTIC_S_IDENTITY, /* module-level description */
	OPTIC_S_STATUS, /* module state, controls */
	OPTIC_S_MONITOR, /* module-level monitors */
	OPTIC_S_LANE, /* per-lane state and monitors */
	OPTIC_S_APP, /* advertised applications */
	OPTIC_S_THRESHOLD, /* json_key / json_sub */
	OPTIC_S_FLAG, /* module-level latched flags */
	OPTIC_S_LANE_FLAG, /* per-lane latched flags */
	OPTIC_S_CAL, /* SFF-8472 calibration constants */
	OPTIC_S_VDM, /* CMIS VDM instances (struct optic_vdm, not rows) */
	OPTIC_S_NR,
};

enum optic_cal {
	OPTIC_CAL_NONE,
	OPTIC_CAL_TEMP, /* SFF-8472 9.3: T = slope * adc + offset */
	OPTIC_CAL_VCC,
	OPTIC_CAL_BIAS,
	OPTIC_CAL_TXPWR,
	OPTIC_CAL_RXPWR, /* polynomial Rx_PWR(0..4) */
	OPTIC_CAL_CMIS_BIAS, /* CMIS: * 2^(page 01h byte 160 bits 4-3) */
};

/* struct optic_field.ff */
#define OPTIC_FF_NIBBLE 0x01 /* per-index nibble: byte off + i/2, low first */
#define OPTIC_FF_APPSTOP 0x02 /* application: stop at host ID 0xff/0x00 */
#define OPTIC_FF_MEDIA 0x04 /* media interface ID: table by media type */
#define OPTIC_FF_NONZERO 0x08 /* omit when the raw value is zero */
#define OPTIC_FF_TEXTONLY 0x10 /* not in JSON */
#define OPTIC_FF_HEXRAW 0x20 /* text shows the raw code as 0xNN too */
#define OPTIC_FF_EXTCAL 0x40 /* only for externally calibrated SFF-8472 */
#define OPTIC_FF_ADVOPT 0x80 /* advertisement byte missing: still decode */
#define OPTIC_FF_ADVEQ 0x100 /* advertised: (adv byte & adv_mask) == adv_val */
#define OPTIC_FF_ADVNE 0x200 /* advertised: (adv byte & adv_mask) != adv_val */

struct optic_field {
	uint8_t addr; /* 0 = 0x50 */
	uint8_t page;
	uint8_t offset; /* 0-255 */
	uint8_t len;
	uint8_t mask; /* applied to the value; 0 = none */
	int8_t bit; /* OPTIC_F_FLAG */
	int8_t bit_step;
	uint8_t count; /* 0: one value; N: indexes 0..N-1 */
	uint8_t stride; /* bytes between indexes */
	uint8_t first; /* index of the first instance (apps 9-15) */
	uint8_t type; /* enum optic_ftype */
	uint8_t sect; /* enum optic_sect */
	uint8_t cal; /* enum optic_cal */
	uint8_t sev; /* flags: 1 warning, 2 alarm, 3 fault */
	uint8_t prec; /* decimals */
	uint16_t ff; /* OPTIC_FF_* */
	uint8_t adv_addr; /* decode only if (adv byte & adv_mask); 0 = 0x50 */
	uint8_t adv_page;
	uint8_t adv_off;
	uint8_t adv_mask; /* 0: always */
	uint8_t adv_val; /* OPTIC_FF_ADVEQ, OPTIC_FF_ADVNE */
	uint8_t media; /* OPTIC_M_*: only for these media classes; 0 all */
	double scale; /* 0 means 1 */
	double add; /* value = raw * scale + add */
	const char *unit;
	const char *name;
	const char *json_key;
	const char *json_sub; /* thresholds: high_alarm, ... */
	const struct optic_codes *codes;
};

enum optic_vkind {
	OPTIC_V_NUM,
	OPTIC_V_STR,
	OPTIC_V_BOOL,
	OPTIC_V_CODE,
	OPTIC_V_BITS, /* raw: the set bits, named by f->codes (code = bit) */
};

/*
 * One decoded value, kept compact (a daemon keeps a model per module): its
 * code and text are the model's, through optic_value_code() and
 * optic_value_str().
 */
struct optic_value {
	const struct optic_field *f;
	double num; /* NUM; POWER: mW (dBm: optic_value_dbm()) */
	uint32_t raw;
	uint16_t text; /* STR, CODE without a code: offset in m->text; 0 none */
	uint8_t index; /* lane or application, 0-based */
	uint8_t kind; /* enum optic_vkind */
};

#define OPTIC_MAX_LANES 32

/*
 * CMIS 5.2 8.22 Versatile Diagnostics Monitoring (pages 20h-2Fh). Each
 * observable type ID has one encoding of its 16-bit samples and thresholds.
 */
enum optic_vdm_enc {
	OPTIC_VDM_U16, /* unsigned, * scale */
	OPTIC_VDM_S16, /* two's complement, * scale */
	OPTIC_VDM_F16, /* CMIS F16: bits 15-11 exponent s, 10-0 mantissa m */
};

struct optic_vdm_type {
	uint8_t type_id;
	uint8_t encoding; /* enum optic_vdm_enc */
	uint8_t prec; /* text and JSON decimals (F16: significant digits) */
	double scale;
	const char *unit; /* NULL: dimensionless */
	const char *name;
	const char *json_key;
};

/* Threshold order in a CMIS VDM threshold set (8 bytes). */
enum { OPTIC_VDM_HA, OPTIC_VDM_LA, OPTIC_VDM_HW, OPTIC_VDM_LW };

struct optic_vdm {
	const struct optic_vdm_type *type; /* NULL: unknown type ID */
	uint8_t type_id;
	uint8_t group; /* 0-3: descriptor page 20h + group */
	uint8_t instance; /* 0-63 within the group */
	uint8_t bank; /* pages 20h-2Fh of this bank (CMIS 8.4.1) */
	uint8_t lane; /* 0-based: 8 * bank + descriptor bits 3-0 */
	uint8_t thr_set; /* descriptor bits 7-4 */
	bool has_value;
	bool has_thr;
	uint16_t raw;
	double value;
	double thr[4]; /* OPTIC_VDM_HA .. OPTIC_VDM_LW */
	char name[40]; /* type->name or "unknown (0xNN)" */
};

/* The CMIS F16 value m * 10^(s - 24). */
double optic_vdm_f16(uint16_t raw);
/* A raw sample or threshold decoded by @t's encoding (NULL: the raw value). */
double optic_vdm_value(const struct optic_vdm_type *t, uint16_t raw);
/* The VDM type table row for @type_id, or NULL. */
const struct optic_vdm_type *optic_vdm_type_find(uint8_t type_id);
struct optic_model;
struct optic_image;
/* Append the VDM instances of a CMIS image to @m (optic_decode calls it). */
int optic_vdm_decode(const struct optic_image *img, struct optic_model *m);

struct optic_model {
	uint8_t spec; /* enum optic_spec */
	uint8_t identifier;
	bool flat;
	bool ext_cal; /* SFF-8472 externally calibrated */
	uint8_t lanes; /* lanes with monitors */
	uint8_t napps;
	uint8_t media_type; /* CMIS byte 85 */
	uint8_t media_class; /* enum optic_media_class */
	uint8_t bias_shift; /* CMIS page 01h byte 160 bits 4-3 */
	float rx_cal[5]; /* SFF-8472 Rx_PWR(0..4) */
	double cal_slope[4]; /* SFF-8472 T, V, Tx_I, Tx_PWR */
	double cal_off[4];
	int worst_sev; /* highest severity of a raised flag */
	const struct optic_value *worst;
	size_t worst_pos;
	struct optic_value *v;
	size_t n, cap;
	char *text; /* the values' texts, a slot each (struct optic_value) */
	size_t ntext, text_cap;
	struct optic_vdm *vdm; /* CMIS VDM instances, every bank */
	size_t nvdm;
};

/* enum optic_spec for an SFF-8024 identifier. */
int optic_spec_from_id(uint8_t id);

/* Decode @img into @m (optic_model_free() frees it): on error, none. */
int optic_decode(const struct optic_image *img, struct optic_model *m);

/* Where a value's bytes are in the module's memory. */
struct optic_loc {
	uint8_t addr; /* OPTIC_ADDR_A0 or OPTIC_ADDR_A2 */
	uint8_t page, bank, off, len;
};

/* Bytes a value is decoded from, at most. */
#define OPTIC_VALUE_BYTES 32

/* The bytes value @v of a model was decoded from; false for none. */
bool optic_value_loc(const struct optic_value *v, struct optic_loc *loc);
/*
 * Decode value @v of model @m again, in place, from @buf, its bytes as
 * they are now (optic_value_loc()): 1 when its raw value changed, 0 when
 * not (or when the bytes now give no value: the old one stands), -errno
 * when its text finds no room (the old one stands). The
 * model's statics (lanes, applications, what is advertised, calibration)
 * and m->worst stay as optic_decode() left them: a poll updates the values
 * of what it read, an insertion decodes anew.
 */
int optic_value_update(struct optic_model *m, struct optic_value *v,
		       const uint8_t *buf);
/* A POWER value in dBm: -inf for 0 mW. */
double optic_value_dbm(const struct optic_value *v);
/* A CODE value's table entry; NULL when unknown (or not a CODE). */
const struct optic_code *optic_value_code(const struct optic_model *m,
					  const struct optic_value *v);
/*
 * The text of value @v of @m: STR, CODE (its name, "unknown (0xNN)", or
 * for an AppSel its application); "" for other kinds.
 */
const char *optic_value_str(const struct optic_model *m,
			    const struct optic_value *v);
/*
 * After a caller dropped values of @m (moved the others down, m->n their
 * number, worst_pos and worst_sev set): the arrays cut to those left and
 * their texts packed (as they were when memory is short), m->worst set.
 */
void optic_model_fit(struct optic_model *m);
void optic_model_free(struct optic_model *m);
/* Value by JSON key (and sub-key for thresholds) and index, or NULL. */
const struct optic_value *optic_model_get(const struct optic_model *m,
					  const char *json_key,
					  const char *json_sub, int index);

/* Sections for optic_model_print() */
#define OPTIC_SHOW_IDENTITY (1u << OPTIC_S_IDENTITY)
#define OPTIC_SHOW_STATUS (1u << OPTIC_S_STATUS)
#define OPTIC_SHOW_MONITOR (1u << OPTIC_S_MONITOR)
#define OPTIC_SHOW_LANE (1u << OPTIC_S_LANE)
#define OPTIC_SHOW_APP (1u << OPTIC_S_APP)
#define OPTIC_SHOW_THRESHOLD (1u << OPTIC_S_THRESHOLD)
#define OPTIC_SHOW_FLAG ((1u << OPTIC_S_FLAG) | (1u << OPTIC_S_LANE_FLAG))
#define OPTIC_SHOW_CAL (1u << OPTIC_S_CAL)
#define OPTIC_SHOW_VDM (1u << OPTIC_S_VDM)
#define OPTIC_SHOW_ALL 0xffffffffu
#define OPTIC_SHOW_DOM                                                 \
	(OPTIC_SHOW_MONITOR | OPTIC_SHOW_LANE | OPTIC_SHOW_THRESHOLD | \
	 OPTIC_SHOW_FLAG)

/*
 * Print the model's sections as members of the current JSON object (or as
 * indented text lines). The caller opens and closes the object.
 */
void optic_model_print(struct optic_print *p, const struct optic_model *m,
		       unsigned int sections);

/* Per-spec row tables (cmis.c, sff8636.c, sff8472.c). */
extern const struct optic_field optic_cmis_fields[];
extern const size_t optic_cmis_nfields;
extern const struct optic_field optic_sff8636_fields[];
extern const size_t optic_sff8636_nfields;
extern const struct optic_field optic_sff8472_fields[];
extern const size_t optic_sff8472_nfields;

/* SFF-8024 code tables (sff8024.c). */
extern const struct optic_codes optic_sff8024_identifier;
extern const struct optic_codes optic_sff8024_connector;
extern const struct optic_codes optic_sff8024_ext_compliance;
extern const struct optic_codes optic_sff8024_host_if;
extern const struct optic_codes optic_sff8024_mmf_if;
extern const struct optic_codes optic_sff8024_smf_if;
extern const struct optic_codes optic_sff8024_copper_if;
extern const struct optic_codes optic_sff8024_active_if;
extern const struct optic_codes optic_sff8024_baset_if;
/* Media interface table for a CMIS MediaType (byte 85), or NULL. */
const struct optic_codes *optic_sff8024_media_table(uint8_t media_type);

/* CMIS: the number of advertised applications (AppSel 1-15). */
unsigned int optic_cmis_count_apps(const struct optic_image *img);
/*
 * CMIS: the lanes to show, 1-32: every lane of every implemented bank that
 * an advertised application instance can occupy (host and media lane
 * counts and lane assignment options) or whose data path is not
 * deactivated; 8 per bank when no application is advertised.
 */
unsigned int optic_cmis_lanes(const struct optic_image *img,
			      unsigned int napps);

/* CMIS: byte @b (0-3) of application descriptor @app (0-14), or -ENODATA. */
int optic_cmis_app_byte(const struct optic_image *img, unsigned int app,
			unsigned int b);
/* CMIS DPState (Table 8-72) and ConfigStatus (Table 8-90) names. */
extern const struct optic_codes optic_cmis_dp_state;
extern const struct optic_codes optic_cmis_config_status;
/* A ConfigStatus that rejects the staged set (Table 8-90: 2h-Bh, Dh-Fh). */
bool optic_config_rejected(uint8_t status);

/* CMIS data-path state name (Table 8-72), e.g. "activated", or NULL. */
const char *optic_datapath_state_name(uint8_t state);
/*
 * The flag row of @spec's table for bit @bit of (@page, @offset), and the
 * lane (0-based, -1 for a module flag) it belongs to; NULL if none.
 */
const struct optic_field *optic_flag_lookup(uint8_t spec, uint8_t page,
					    uint8_t offset, unsigned int bit,
					    int *lane);

/* The worst raised flag of a module's latched flag registers. */
struct optic_flag_hit {
	const struct optic_field *f; /* NULL: none raised */
	int lane; /* 0-based, -1 for a module flag */
};
/*
 * The raised flag of highest severity (the first of equals) in @flags, the
 * registers as MODULE_GET's OPTIC_A_FLAGS lays them out for @spec (CMIS:
 * lower page 8-11, then page 11h 134-153 of each bank; SFF-8636: 3-14);
 * lanes beyond @lanes are left out. Returns the severity (0: none), or
 * -EINVAL for a spec without such registers.
 */
int optic_flags_worst(uint8_t spec, unsigned int lanes, const uint8_t *flags,
		      size_t n, struct optic_flag_hit *hit);

#endif /* OPTIC_DECODE_H */
