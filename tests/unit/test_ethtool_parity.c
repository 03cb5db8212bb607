// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fact-by-fact parity with `ethtool -m`: for each module image under
 * tests/unit/data and tests/unit/data/real that has a NAME.ethtool.txt
 * beside it (what Debian 12's ethtool 6.1 decoders print for the same
 * bytes: scripts/ethtool-ref.sh, tests/ethtool-ref/harness.c), every line
 * ethtool prints is looked up in labels[] below, which names the liboptic
 * JSON key (sub-key, lane) holding the same fact and how to compare it.
 * The test fails when ethtool prints a label the table does not know, when
 * liboptic lacks the value, or when the values differ (numbers within
 * ethtool's printed precision). Adding a case is adding the two files.
 *
 * Known deviations, where ethtool 6.1 contradicts the spec and liboptic
 * follows the spec; each row carries its spec section in .dev, and the
 * test checks the exact relation between the two values:
 *
 * - CMIS TX bias multiplier: CMIS 5.2 page 01h byte 160 bits 4-3
 *   (x1, x2, x4) multiplies the 2 uA unit of the lane TxBias monitors and
 *   the bias thresholds; ethtool shifts the raw value right (divides). With
 *   x4 ours is 16 times ethtool's, up to ethtool's truncation.
 * - CMIS lane flags: CMIS 5.2 Tables 8-77/8-78, bit N of each flag byte is
 *   lane N+1; ethtool tests (byte & lane index), so lane 1 never shows a
 *   flag and lane 4 shows lanes 1 or 3. Checked as that relation.
 * - CMIS media technology 10h/11h (C-/L-band tunable laser, CMIS 5.2
 *   Table 8-33) are lasers; ethtool prints every code >= 0Ah as copper with
 *   attenuation (and no wavelength); liboptic shows the wavelength.
 * - SFF-8636 byte 140 FFh: Table 6-15 puts the nominal rate in byte 222
 *   (250 MBd units); ethtool prints 255 x 100 MBd.
 * - SFF-8636 byte 146: Table 6-15, OM4 length in 2 m units for an optical
 *   transceiver, a cable assembly's length in 1 m units; ethtool always
 *   prints 1 m units. SFF-8472 byte 18 likewise (Table 4-1, OM4 in 10 m).
 * - SFF-8636 byte 1 code 08h is Rev 2.8-2.10 (Table 6-3); ethtool says
 *   "Unallocated".
 *
 * The data directory is tests/unit/data relative to the repository root
 * (make check-unit runs from there), or $OPTIC_TEST_DATA.
 */
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>

#include "vectors.h"

#define S_CMIS (1u << OPTIC_SPEC_CMIS)
#define S_8636 (1u << OPTIC_SPEC_SFF8636)
#define S_8472 (1u << OPTIC_SPEC_SFF8472)
#define S_ALL (S_CMIS | S_8636 | S_8472)

enum kind {
	K_STR, /* string equal */
	K_CODE, /* "0xNN (...)" or a number: our raw code (x factor) */
	K_NUM, /* number within ethtool's printed decimals (x factor) */
	K_BOOL, /* On/Off, Yes/No */
	K_DATE, /* YYMMDD[LL] vs 20YY-MM-DD */
	K_REV, /* "Rev. 5.2" */
	K_HEX, /* "0xNN 0xNN ...": our hex string or bit-list raw */
	K_NAMES, /* one name of our bit list (or an ethtool alias) */
	K_BIAS, /* TX bias, CMIS multiplier deviation */
	K_LANEFLAG, /* CMIS lane flag, ethtool's lane-index mask */
	K_TUNABLE, /* attenuation ethtool prints for a tunable laser */
	K_BR8636, /* SFF-8636 nominal rate, byte 140 FFh */
	K_EXTID8636, /* SFF-8636 byte 129/93 descriptions */
	K_REV8636, /* SFF-8636 revision names */
	K_PAGED, /* SFF-8636 alarm flags: page 03h thresholds decoded */
};

/* struct label.fl */
#define P_ZERO 0x01 /* ethtool's 0 is a key liboptic leaves out (absent) */

struct label {
	const char *label; /* canonical: lane tag unspaced, its number '#' */
	unsigned int specs;
	const char *key, *sub;
	uint8_t kind;
	uint8_t fl;
	double factor; /* ethtool = ours * factor; 0 means 1 */
	const char *dev; /* a known deviation: the spec section */
};

/* Four alarm/warning levels of a flag or a threshold. */
#define LVL4(l, sfx, sp, key, sub_hi_a, sub_lo_a, sub_hi_w, sub_lo_w, k, dv) \
	{ l " high alarm" sfx, sp, key sub_hi_a, NULL, k, 0, 0, dv },         \
	{ l " low alarm" sfx, sp, key sub_lo_a, NULL, k, 0, 0, dv },          \
	{ l " high warning" sfx, sp, key sub_hi_w, NULL, k, 0, 0, dv },       \
	{ l " low warning" sfx, sp, key sub_lo_w, NULL, k, 0, 0, dv }
#define FLAGS4(l, sfx, sp, key, k, dv)                                       \
	LVL4(l, sfx, sp, key, "_high_alarm", "_low_alarm", "_high_warning",  \
	     "_low_warning", k, dv)
#define THR4(l, key, k)                                                      \
	{ l " high alarm threshold", S_ALL, key, "high_alarm", k, 0, 0, NULL }, \
	{ l " low alarm threshold", S_ALL, key, "low_alarm", k, 0, 0, NULL },   \
	{ l " high warning threshold", S_ALL, key, "high_warning", k, 0, 0,     \
	  NULL },                                                               \
	{ l " low warning threshold", S_ALL, key, "low_warning", k, 0, 0, NULL }

#define DEV_BIAS "CMIS 5.2 Table 8-43 byte 160 bits 4-3, multiplier"
#define DEV_LANEFLAG "CMIS 5.2 Tables 8-77/8-78, bit N is lane N+1"
#define DEV_TUNABLE "CMIS 5.2 Table 8-33, 10h/11h tunable lasers"
#define DEV_OM4_8636 "SFF-8636 Table 6-15 byte 146, OM4 in 2 m units"
#define DEV_OM4_8472 "SFF-8472 Table 4-1 byte 18, OM4 in 10 m units"
#define DEV_BR8636 "SFF-8636 Table 6-15 bytes 140/222"
#define DEV_REV8636 "SFF-8636 Table 6-3, 08h Rev 2.8-2.10"

/* clang-format off: one ethtool label per row */
static const struct label labels[] = {
	{ "Identifier", S_ALL, "identifier", NULL, K_CODE, 0, 0, NULL },
	{ "Extended identifier", S_8472 | S_8636, "ext_identifier", NULL, K_CODE, 0, 0, NULL },
	{ "Extended identifier description", S_8636, "power_class", NULL, K_EXTID8636, 0, 0, NULL },
	{ "Power set", S_8636, "lowpwr_set", NULL, K_BOOL, 0, 0, NULL },
	{ "Power override", S_8636, "power_override", NULL, K_BOOL, 0, 0, NULL },
	{ "Power class", S_CMIS, "power_class", NULL, K_NUM, 0, 0, NULL },
	{ "Max power", S_CMIS, "max_power_w", NULL, K_NUM, 0, 0, NULL },
	{ "Connector", S_ALL, "connector", NULL, K_CODE, 0, 0, NULL },
	{ "Cable assembly length", S_CMIS, "cable_length_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Tx CDR bypass control", S_CMIS, "tx_cdr_bypass_supported", NULL, K_BOOL, 0, 0, NULL },
	{ "Rx CDR bypass control", S_CMIS, "rx_cdr_bypass_supported", NULL, K_BOOL, 0, 0, NULL },
	{ "Tx CDR", S_CMIS, "tx_cdr_supported", NULL, K_BOOL, 0, 0, NULL },
	{ "Rx CDR", S_CMIS, "rx_cdr_supported", NULL, K_BOOL, 0, 0, NULL },
	{ "Transceiver codes", S_8472 | S_8636, "transceiver_codes", NULL, K_HEX, 0, 0, NULL },
	{ "Transceiver type", S_8472 | S_8636, "compliance", NULL, K_NAMES, 0, 0, NULL },
	{ "Encoding", S_8472 | S_8636, "encoding", NULL, K_CODE, 0, 0, NULL },
	{ "BR, Nominal", S_8472, "nominal_bitrate_mbd", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "BR, Nominal", S_8636, "nominal_bitrate_mbd", NULL, K_BR8636, P_ZERO, 0, DEV_BR8636 },
	{ "Rate identifier", S_8472 | S_8636, "rate_identifier", NULL, K_CODE, 0, 0, NULL },
	{ "Length (SMF,km)", S_8472 | S_8636, "length_smf_km", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (SMF)", S_8472, "length_smf_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (SMF)", S_CMIS, "length_smf_km", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (50um)", S_8472, "length_om2_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (62.5um)", S_8472, "length_om1_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (Copper)", S_8472, "cable_length_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (Copper)", S_8472, "length_om4_m", NULL, K_NUM, P_ZERO, 0.1, DEV_OM4_8472 },
	{ "Length (OM3)", S_8472, "length_om3_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (OM3 50um)", S_8636, "length_om3_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (OM2 50um)", S_8636, "length_om2_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (OM1 62.5um)", S_8636, "length_om1_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (Copper or Active cable)", S_8636, "cable_length_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (Copper or Active cable)", S_8636, "length_om4_m", NULL, K_NUM, P_ZERO, 0.5, DEV_OM4_8636 },
	{ "Length (OM5)", S_CMIS, "length_om5_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (OM4)", S_CMIS, "length_om4_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (OM3 50/125um)", S_CMIS, "length_om3_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Length (OM2 50/125um)", S_CMIS, "length_om2_m", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Transmitter technology", S_8636, "media_technology", NULL, K_CODE, 0, 16, NULL },
	{ "Transmitter technology", S_CMIS, "media_technology", NULL, K_CODE, 0, 0, NULL },
	{ "Laser wavelength", S_ALL, "wavelength_nm", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Laser wavelength tolerance", S_8636 | S_CMIS, "wavelength_tolerance_nm", NULL, K_NUM, P_ZERO, 0, NULL },
	{ "Passive Cu cmplnce.", S_8472, "cable_compliance", NULL, K_CODE, 0, 0, NULL },
	{ "Active Cu cmplnce.", S_8472, "cable_compliance", NULL, K_CODE, 0, 0, NULL },
	{ "Attenuation at 2.5GHz", S_8636, "attenuation_2_5ghz_db", NULL, K_NUM, 0, 0, NULL },
	{ "Attenuation at 5.0GHz", S_8636, "attenuation_5ghz_db", NULL, K_NUM, 0, 0, NULL },
	{ "Attenuation at 7.0GHz", S_8636, "attenuation_7ghz_db", NULL, K_NUM, 0, 0, NULL },
	{ "Attenuation at 12.9GHz", S_8636 | S_CMIS, "attenuation_12_9ghz_db", NULL, K_NUM, 0, 0, NULL },
	{ "Attenuation at 5GHz", S_CMIS, "attenuation_5ghz_db", NULL, K_NUM, 0, 0, NULL },
	{ "Attenuation at 7GHz", S_CMIS, "attenuation_7ghz_db", NULL, K_NUM, 0, 0, NULL },
	{ "Attenuation at 25.8GHz", S_CMIS, "attenuation_25_8ghz_db", NULL, K_NUM, 0, 0, NULL },
	{ "Attenuation at 7GHz", S_CMIS, "media_technology", NULL, K_TUNABLE, 0, 0, DEV_TUNABLE },
	{ "Attenuation at 12.9GHz", S_CMIS, "media_technology", NULL, K_TUNABLE, 0, 0, DEV_TUNABLE },
	{ "Attenuation at 25.8GHz", S_CMIS, "media_technology", NULL, K_TUNABLE, 0, 0, DEV_TUNABLE },
	{ "Vendor name", S_ALL, "vendor_name", NULL, K_STR, 0, 0, NULL },
	{ "Vendor OUI", S_ALL, "vendor_oui", NULL, K_STR, 0, 0, NULL },
	{ "Vendor PN", S_ALL, "vendor_pn", NULL, K_STR, 0, 0, NULL },
	{ "Vendor rev", S_ALL, "vendor_rev", NULL, K_STR, 0, 0, NULL },
	{ "Vendor SN", S_ALL, "vendor_sn", NULL, K_STR, 0, 0, NULL },
	{ "Date code", S_ALL, "date_code", NULL, K_DATE, 0, 0, NULL },
	{ "CLEI code", S_CMIS, "clei_code", NULL, K_STR, 0, 0, NULL },
	{ "Option values", S_8472, "options", NULL, K_HEX, 0, 0, NULL },
	{ "Option", S_8472, "options", NULL, K_NAMES, 0, 0, NULL },
	{ "BR margin, max", S_8472, "br_margin_max_pct", NULL, K_NUM, 0, 0, NULL },
	{ "BR margin, max", S_8472, "br_range_pct", NULL, K_NUM, 0, 0, NULL },
	{ "BR margin, min", S_8472, "br_margin_min_pct", NULL, K_NUM, 0, 0, NULL },
	{ "BR margin, min", S_8472, "br_range_pct", NULL, K_NUM, 0, 0, NULL },
	{ "Revision compliance", S_CMIS, "cmis_revision", NULL, K_REV, 0, 0, NULL },
	{ "Revision Compliance", S_8636, "sff8636_revision", NULL, K_REV8636, 0, 0, DEV_REV8636 },
	{ "Module State", S_CMIS, "module_state", NULL, K_CODE, 0, 0, NULL },
	{ "Module Fault Cause", S_CMIS, "module_fault_cause", NULL, K_CODE, P_ZERO, 0, NULL },
	{ "LowPwrAllowRequestHW", S_CMIS, "lowpwr_allow_request_hw", NULL, K_BOOL, 0, 0, NULL },
	{ "LowPwrRequestSW", S_CMIS, "lowpwr_request_sw", NULL, K_BOOL, 0, 0, NULL },
	{ "Optical diagnostics support", S_8472, "ddm", NULL, K_BOOL, 0, 0, NULL },
	{ "Alarm/warning flags implemented", S_8472, "aw_flags_implemented", NULL, K_BOOL, 0, 0, NULL },
	{ "Alarm/warning flags implemented", S_8636, "memory_model", NULL, K_PAGED, 0, 0, NULL },
	{ "Module temperature", S_ALL, "temperature_c", NULL, K_NUM, 0, 0, NULL },
	{ "Module voltage", S_ALL, "supply_voltage_v", NULL, K_NUM, 0, 0, NULL },
	/* lane monitors */
	{ "Laser bias current", S_8472, "tx_bias_ma", NULL, K_BIAS, 0, 0, NULL },
	{ "Laser output power", S_8472, "tx_power", NULL, K_NUM, 0, 0, NULL },
	{ "Receiver signal average optical power", S_8472, "rx_power", NULL, K_NUM, 0, 0, NULL },
	{ "Receiver signal OMA", S_8472, "rx_power", NULL, K_NUM, 0, 0, NULL },
	{ "Laser tx bias current(Channel #)", S_8636 | S_CMIS, "tx_bias_ma", NULL, K_BIAS, 0, 0, DEV_BIAS },
	{ "Transmit avg optical power(Channel #)", S_8636 | S_CMIS, "tx_power", NULL, K_NUM, 0, 0, NULL },
	{ "Rcvr signal avg optical power(Channel #)", S_8636 | S_CMIS, "rx_power", NULL, K_NUM, 0, 0, NULL },
	{ "Receiver signal OMA(Channel #)", S_8636 | S_CMIS, "rx_power", NULL, K_NUM, 0, 0, NULL },
	/* flags */
	FLAGS4("Module temperature", "", S_ALL, "temperature", K_BOOL, NULL),
	FLAGS4("Module voltage", "", S_ALL, "voltage", K_BOOL, NULL),
	FLAGS4("Laser bias current", "", S_8472, "tx_bias", K_BOOL, NULL),
	FLAGS4("Laser output power", "", S_8472, "tx_power", K_BOOL, NULL),
	FLAGS4("Laser rx power", "", S_8472, "rx_power", K_BOOL, NULL),
	FLAGS4("Laser bias current", "(Chan #)", S_8636, "tx_bias", K_BOOL, NULL),
	FLAGS4("Laser tx power", "(Channel #)", S_8636, "tx_power", K_BOOL, NULL),
	FLAGS4("Laser rx power", "(Channel #)", S_8636, "rx_power", K_BOOL, NULL),
	FLAGS4("Laser bias current", "(Chan #)", S_CMIS, "tx_bias", K_LANEFLAG, DEV_LANEFLAG),
	FLAGS4("Laser tx power", "(Channel #)", S_CMIS, "tx_power", K_LANEFLAG, DEV_LANEFLAG),
	FLAGS4("Laser rx power", "(Channel #)", S_CMIS, "rx_power", K_LANEFLAG, DEV_LANEFLAG),
	/* thresholds */
	THR4("Laser bias current", "tx_bias_ma", K_BIAS),
	THR4("Laser output power", "tx_power", K_NUM),
	THR4("Module temperature", "temperature_c", K_NUM),
	THR4("Module voltage", "supply_voltage_v", K_NUM),
	THR4("Laser rx power", "rx_power", K_NUM),
};

/*
 * ethtool "Transceiver type" texts that are not a spelling of a liboptic
 * name: the SFF-8024 Table 4-4 code they stand for (our ext_compliance), or
 * a name from the bit list.
 */
static const struct {
	const char *ethtool;
	int ext; /* -1: see name */
	const char *name;
} aliases[] = {
	{ "100G Ethernet: 100G CWDM4 MSA with FEC", 0x06, NULL },
	{ "100G Ethernet: 100G Base-CR4 or 25G Base-CR CA-L", 0x0b, NULL },
	{ "Extended: 25G Base-CR CA-S", 0x0c, NULL },
	{ "100GBASE-DR (clause 140), CAUI-4 (no FEC)", 0x25, NULL },
	{ "Extended: 100GBASE-DR (clause 140), CAUI-4 (no FEC)", 0x25, NULL },
	{ "FC: Multimode, 62.5m (M6)", -1, "FC multimode, 62.5um (M6)" },
	{ "FC: Multimode, 50m (M5)", -1, "FC multimode, 50um (M5)" },
};

/* clang-format on */

struct pcase {
	char dir[512];
	char image[256];
	char ref[256];
};

#define MAX_CASES 128

static struct pcase cases[MAX_CASES];
static size_t ncases;

static const char *data_dir(void)
{
	return getenv("OPTIC_TEST_DATA") ?: "tests/unit/data";
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		fail_msg("%s: cannot open (run from the repository root)",
			 path);
	do {
		if (n + 4096 > cap) {
			cap = cap ? 2 * cap : 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * The canonical label: blanks trimmed and collapsed, none before a lane
 * tag, and the number of "(Channel N)", "(Chan N)" or "(Lane N)" replaced by '#'.
 * Returns the lane (from 1), or 0 when the label names none.
 */
static int canonical(const char *in, size_t len, char *out, size_t size)
{
	static const char *const lane_tags[] = { "(Channel ", "(Chan ",
						 "(Lane " };
	size_t i, n = 0;
	int lane = 0;
	char *p;

	for (i = 0; i < len && n + 1 < size; i++) {
		if (isspace((unsigned char)in[i]) &&
		    (!n || out[n - 1] == ' '))
			continue;
		out[n++] = isspace((unsigned char)in[i]) ? ' ' : in[i];
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	for (i = 0; i < ARRAY_SIZE(lane_tags); i++) {
		size_t k;

		p = strstr(out, lane_tags[i]);
		if (!p || !isdigit((unsigned char)p[strlen(lane_tags[i])]))
			continue;
		if (p > out && p[-1] == ' ')
			memmove(p - 1, p, strlen(p) + 1), p--;
		p += strlen(lane_tags[i]);
		lane = strtol(p, NULL, 10);
		k = strspn(p, "0123456789");
		*p = '#';
		memmove(p + 1, p + k, strlen(p + k) + 1);
	}
	return lane;
}

/* Lowercase letters and digits only, for comparing compliance names. */
static void norm(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++)
		if (isalnum((unsigned char)*s))
			out[n++] = tolower((unsigned char)*s);
	out[n] = '\0';
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return b && a >= b && streq(s + a - b, suffix);
}

/* ethtool's "%.Nf": half a unit of the last printed decimal. */
static double tolerance(const char *v)
{
	const char *dot;
	size_t d = 0;

	v += strspn(v, " -+");
	dot = strchr(v, '.');
	if (dot && dot < v + strspn(v, "0123456789."))
		d = strspn(dot + 1, "0123456789");
	return 0.5 * pow(10, -(double)d) + 1e-9;
}

/* Number of a value as ethtool prints it: "1.2 mW", "0x1a", "250m". */
static double num(const char *v)
{
	return strtod(v, NULL);
}

static bool eth_bool(const char *v)
{
	return !strncmp(v, "On", 2) || !strncmp(v, "Yes", 3);
}

static double ours_num(const struct optic_model *m, const struct optic_value *v)
{
	if (v->kind == OPTIC_V_STR)
		return strtoul(optic_value_str(m, v), NULL, 16);
	if (v->kind == OPTIC_V_NUM)
		return v->num;
	return v->raw;
}

/* A set bit of a bit-list key whose name ethtool's text spells. */
static bool has_name(const struct optic_model *m, const char *key,
		     const char *text)
{
	char a[160], b[160];
	size_t i;
	int bit;

	norm(text, a, sizeof(a));
	for (i = 0; i < m->n; i++) {
		const struct optic_value *v = &m->v[i];

		if (v->kind != OPTIC_V_BITS || !streq(v->f->json_key, key))
			continue;
		for (bit = 0; bit < 32; bit++) {
			const char *name =
				optic_code_name(v->f->codes, (unsigned int)bit);

			if (!((v->raw >> bit) & 1) || !name)
				continue;
			norm(name, b, sizeof(b));
			if (ends_with(a, b))
				return true;
		}
	}
	return false;
}

static bool names_match(const struct optic_model *m, const char *key,
			const char *text)
{
	const struct optic_value *ext =
		optic_model_get(m, "ext_compliance", NULL, -1);
	size_t i;

	char a[160], b[160];

	if (has_name(m, key, text))
		return true;
	norm(text, a, sizeof(a));
	if (ext) {
		norm(optic_value_str(m, ext), b, sizeof(b));
		if (ends_with(a, b))
			return true;
	}
	for (i = 0; i < ARRAY_SIZE(aliases); i++) {
		if (!streq(aliases[i].ethtool, text))
			continue;
		if (aliases[i].ext >= 0)
			return ext && ext->raw == (uint32_t)aliases[i].ext;
		return has_name(m, key, aliases[i].name);
	}
	return false;
}

/* "0x10 0x00 ...": our hex string (then ext_compliance) or raw word. */
static bool hex_match(const struct optic_model *m, const struct optic_value *v,
		      const char *text)
{
	const struct optic_value *ext;
	const char *ours = optic_value_str(m, v);
	unsigned long word = 0, b;
	char *end;

	for (;;) {
		b = strtoul(text, &end, 16);
		if (end == text)
			break;
		text = end;
		word = word << 8 | b;
		if (v->kind != OPTIC_V_STR)
			continue;
		if (*ours) {
			if (strtoul(ours, NULL, 16) != b)
				return false;
			ours += strcspn(ours, ":");
			ours += !!*ours;
			continue;
		}
		/* SFF-8472: ethtool adds byte 36 */
		ext = optic_model_get(m, "ext_compliance", NULL, -1);
		if (b != (ext ? ext->raw : 0))
			return false;
	}
	return v->kind == OPTIC_V_STR ? !*ours : word == v->raw;
}

/* CMIS lane flag byte of @lane's bank rebuilt from our flags. */
static unsigned int flag_byte(const struct optic_model *m, const char *key,
			      int lane)
{
	unsigned int byte = 0, l, bank = (lane - 1) / 8;

	for (l = 0; l < 8; l++) {
		const struct optic_value *v =
			optic_model_get(m, key, NULL, bank * 8 + l);

		byte |= (v && v->raw) << l;
	}
	return byte;
}

static const double sff8636_legacy_w[] = { 1.5, 2.0, 2.5, 3.5 };
static const double sff8636_ext_w[] = { 0, 4.0, 4.5, 5.0 };

static bool extid_match(const struct optic_model *m, uint32_t b129,
			const char *v)
{
	const struct optic_value *hp =
		optic_model_get(m, "high_power_class_enable", NULL, -1);
	const struct optic_value *tx =
		optic_model_get(m, "tx_cdr_present", NULL, -1);
	const struct optic_value *rx =
		optic_model_get(m, "rx_cdr_present", NULL, -1);

	if (strstr(v, "CDR"))
		return tx && rx && tx->raw == !strstr(v, "No CDR in TX") &&
		       rx->raw == !strstr(v, "No CDR in RX");
	if (strstr(v, "High Power Class")) {
		if (isdigit((unsigned char)*v) &&
		    fabs(num(v) - sff8636_ext_w[b129 & 3]) > 0.05)
			return false;
		return hp && hp->raw == !strstr(v, "not enabled");
	}
	return fabs(num(v) - sff8636_legacy_w[(b129 >> 6) & 3]) < 0.05;
}

static bool rev8636_match(uint32_t code, const char *v)
{
	static const struct {
		const char *text;
		uint8_t lo, hi;
	} revs[] = {
		{ "Revision not specified", 0, 0 },
		{ "SFF-8436 Rev 4.8 or earlier", 1, 2 },
		{ "SFF-8636 Rev 1.3 or earlier", 3, 3 },
		{ "SFF-8636 Rev 1.4", 4, 4 },
		{ "SFF-8636 Rev 1.5", 5, 5 },
		{ "SFF-8636 Rev 2.0", 6, 6 },
		{ "SFF-8636 Rev 2.5/2.6/2.7", 7, 7 },
		{ "Unallocated", 8, 255 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(revs); i++)
		if (streq(v, revs[i].text))
			return code >= revs[i].lo && code <= revs[i].hi;
	return false;
}

/* Compare one present value; 0 or a message in @err. */
static int compare(const struct optic_model *m, const struct label *r,
		   const struct optic_value *v, int lane, const char *val,
		   char *err, size_t size)
{
	const char *str = optic_value_str(m, v);
	double f = r->factor ?: 1.0, x, mult;
	char date[16];
	bool ok;

	switch (r->kind) {
	case K_STR:
		ok = streq(str, val);
		break;
	case K_CODE:
		ok = fabs(ours_num(m, v) * f - strtoul(val, NULL, 0)) < 1e-9;
		break;
	case K_NUM:
		x = v->f->type == OPTIC_F_POWER ? v->num : ours_num(m, v);
		ok = fabs(x * f - num(val)) <= tolerance(val);
		break;
	case K_BOOL:
		ok = v->raw == eth_bool(val);
		break;
	case K_DATE:
		snprintf(date, sizeof(date), "20%.2s-%.2s-%.2s", val, val + 2,
			 val + 4);
		ok = streq(str, date);
		break;
	case K_REV:
		ok = !strncmp(val, "Rev. ", 5) && streq(str, val + 5);
		break;
	case K_HEX:
		ok = hex_match(m, v, val);
		break;
	case K_NAMES:
		ok = names_match(m, r->key, val);
		break;
	case K_BIAS:
		/* ethtool: (raw >> shift) * 2 uA; spec: raw * 2 uA << shift */
		mult = 1u << m->bias_shift;
		ok = fabs(v->num / (mult * mult) - num(val)) <=
		     tolerance(val) + (mult > 1 ? 0.002 : 0);
		break;
	case K_LANEFLAG:
		ok = !!(flag_byte(m, v->f->json_key, lane) &
			(unsigned int)(lane - 1)) == eth_bool(val);
		break;
	case K_TUNABLE:
		ok = v->raw >= 0x10 && v->raw <= 0x11;
		break;
	case K_BR8636:
		ok = v->f->offset == 222 ? num(val) == 25500 :
					   fabs(v->num - num(val)) < 1e-9;
		break;
	case K_EXTID8636:
		ok = extid_match(m, v->raw, val);
		break;
	case K_REV8636:
		ok = rev8636_match(v->raw, val);
		break;
	case K_PAGED:
		ok = !!optic_model_get(m, "temperature_c", "high_alarm", -1) ==
		     eth_bool(val);
		break;
	default:
		ok = false;
		break;
	}
	if (ok)
		return 0;
	snprintf(err, size, "'%s': ethtool '%s', liboptic %s = '%s' / %g",
		 r->label, val, r->key, str, ours_num(m, v));
	return -1;
}

/*
 * One line of ethtool's output against the model: the first row for the
 * label whose key liboptic decoded. 0, or -1 with a message in @err.
 */
static int check_line(const struct optic_model *m, const char *line,
		      char *err, size_t size)
{
	const char *colon = strstr(line, " : "), *val;
	const struct label *seen = NULL;
	char label[96];
	size_t i;
	int lane;

	if (!colon)
		return 0;
	val = colon + 3;
	lane = canonical(line, colon - line, label, sizeof(label));
	for (i = 0; i < ARRAY_SIZE(labels); i++) {
		const struct label *r = &labels[i];
		const struct optic_value *v;

		if (!(r->specs & (1u << m->spec)) || !streq(r->label, label))
			continue;
		seen = r;
		v = optic_model_get(m, r->key, r->sub, lane - 1);
		if (v)
			return compare(m, r, v, lane, val, err, size);
	}
	if (!seen)
		snprintf(err, size, "ethtool label '%s' is not in labels[]",
			 label);
	else if ((seen->fl & P_ZERO) && num(val) == 0)
		return 0;
	else
		snprintf(err, size, "'%s' (lane %d): liboptic has no %s%s%s",
			 label, lane, seen->key, seen->sub ? "." : "",
			 seen->sub ?: "");
	return -1;
}

/* Every line of @ref; returns the number of mismatches (printed). */
static int check_ref(const struct optic_model *m, char *ref, const char *name)
{
	char *line, *save = NULL, err[512];
	int bad = 0;

	for (line = strtok_r(ref, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (*line == '#' || check_line(m, line, err, sizeof(err)) == 0)
			continue;
		print_error("%s: %s\n", name, err);
		bad++;
	}
	return bad;
}

static void load_image(const struct pcase *c, struct optic_image *img)
{
	struct optic_load_info info;
	char path[1024];
	size_t len;
	char *buf;

	snprintf(path, sizeof(path), "%s/%s", c->dir, c->image);
	buf = slurp(path, &len);
	optic_image_init(img);
	if (optic_image_load(buf, len, img, &info) < 0)
		fail_msg("%s: line %u offset %ld: %s", path, info.line,
			 info.offset, info.msg);
	free(buf);
}

static void test_parity(void **state)
{
	const struct pcase *c = *state;
	struct optic_image img;
	struct optic_model m;
	char path[1024];
	size_t len;
	char *ref;
	int bad;

	load_image(c, &img);
	assert_int_equal(optic_decode(&img, &m), 0);
	snprintf(path, sizeof(path), "%s/%s", c->dir, c->ref);
	ref = slurp(path, &len);
	assert_true(len > 200);
	bad = check_ref(&m, ref, c->image);
	free(ref);
	optic_model_free(&m);
	optic_image_clear(&img);
	if (bad)
		fail_msg("%s: %d ethtool facts not matched", c->image, bad);
}

/* The checker itself fails on what it must fail on. */
static void test_checker(void **state)
{
	static const struct {
		const char *line;
		int want;
	} lines[] = {
		{ "\tVendor PN                                 : QDD-400G-DR4",
		  0 },
		{ "\tVendor PN                                 : QDD-400G-DR8",
		  -1 },
		{ "\tSome new fact                             : 1", -1 },
		{ "\tModule temperature                        : 25.50 degrees C",
		  0 },
		{ "\tModule temperature                        : 25.52 degrees C",
		  -1 },
		{ "\tTransmit avg optical power (Channel 1)    : 0.5012 mW / -3.00 dBm",
		  0 },
		{ "\tTransmit avg optical power (Channel 9)    : 0.5012 mW / -3.00 dBm",
		  -1 },
		{ "\tLength (OM5)                              : 0m", 0 },
		{ "\tLength (OM5)                              : 100m", -1 },
	};
	struct optic_image img;
	struct optic_model m;
	char err[512];
	size_t i;

	optic_image_init(&img);
	cmis_400g_dr4(&img);
	assert_int_equal(optic_decode(&img, &m), 0);
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		if (check_line(&m, lines[i].line, err, sizeof(err)) !=
		    lines[i].want)
			fail_msg("%s: want %d", lines[i].line, lines[i].want);
	optic_model_free(&m);
	optic_image_clear(&img);
	(void)state;
}

/*
 * The bias deviation on raw bytes: with multiplier x4 lane 1's raw TxBias
 * R gives R * 8 uA here (CMIS) and (R >> 2) * 2 uA in ethtool.
 */
static void test_bias_multiplier_deviation(void **state)
{
	struct pcase c = { .image = "cmis-osfp-800g-biasx4.dump" };
	struct optic_image img;
	struct optic_model m;
	uint8_t raw[2];

	snprintf(c.dir, sizeof(c.dir), "%s", data_dir());
	load_image(&c, &img);
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_int_equal(optic_image_byte(&img, 0, 0x01, 0, 160) & 0x18, 0x10);
	assert_int_equal(optic_image_get(&img, 0, 0x11, 0, 170, raw, 2), 0);
	assert_float_equal(optic_model_get(&m, "tx_bias_ma", NULL, 0)->num,
			   be16(raw) * 0.002 * 4, 1e-9);
	optic_model_free(&m);
	optic_image_clear(&img);
	(void)state;
}

/* Every NAME.ethtool.txt of @dir with its image NAME.<anything else>. */
static void find_cases(const char *dir)
{
	struct dirent **ents;
	int n, i, j;

	n = scandir(dir, &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		const char *ref = ents[i]->d_name;
		size_t stem = strlen(ref) - strlen(".ethtool.txt");

		if (!ends_with(ref, ".ethtool.txt") || ncases == MAX_CASES)
			continue;
		for (j = 0; j < n; j++) {
			const char *img = ents[j]->d_name;

			if (j == i || strncmp(img, ref, stem) ||
			    img[stem] != '.' || ends_with(img, ".ethtool.txt"))
				continue;
			snprintf(cases[ncases].dir, sizeof(cases[0].dir), "%s",
				 dir);
			snprintf(cases[ncases].image, sizeof(cases[0].image),
				 "%s", img);
			snprintf(cases[ncases].ref, sizeof(cases[0].ref), "%s",
				 ref);
			ncases++;
			break;
		}
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	if (n >= 0)
		free(ents);
}

int main(void)
{
	struct CMUnitTest tests[MAX_CASES + 2];
	char real[300];
	size_t i;

	find_cases(data_dir());
	snprintf(real, sizeof(real), "%s/real", data_dir());
	find_cases(real);
	if (ncases < 5) {
		fprintf(stderr, "%s: %zu parity cases, want at least 5\n",
			data_dir(), ncases);
		return 1;
	}
	for (i = 0; i < ncases; i++) {
		tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate(
			test_parity, &cases[i]);
		tests[i].name = cases[i].image;
	}
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_checker);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(
		test_bias_multiplier_deviation);
	return _cmocka_run_group_tests("ethtool_parity", tests, i, NULL, NULL);
}
