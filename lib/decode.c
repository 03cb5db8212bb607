// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The decoding engine: walks a spec's const row table over an image and
 * appends one struct optic_value per decoded instance. Rows whose bytes are
 * not all in the image are skipped, so nothing is ever read beyond it.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "app.h"
#include "decode.h"
#include "util.h"

/* CMIS 5.2 Table 8-4: byte 2 bit 7; SFF-8636 Table 6-2: byte 2 bit 2 */
#define CMIS_FLAT 0x80
#define SFF8636_FLAT 0x04
/* SFF-8472 Table 8-5 byte 92 Diagnostic Monitoring Type: bit 4 external */
#define SFF8472_EXTCAL 0x10

/* A value's text as decoded, before it goes into its slot in the model. */
#define TEXT_MAX 64

void optic_model_free(struct optic_model *m)
{
	free(m->v);
	free(m->text);
	free(m->vdm);
	memset(m, 0, sizeof(*m));
}

static struct optic_value *add_value(struct optic_model *m)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 128;
		struct optic_value *v = reallocarray(m->v, cap, sizeof(*v));

		if (!v)
			return NULL;
		m->v = v;
		m->cap = cap;
	}
	memset(&m->v[m->n], 0, sizeof(m->v[0]));
	return &m->v[m->n++];
}

/* The bytes of a value's text slot for row @f, NUL included: its longest. */
static size_t text_size(const struct optic_field *f)
{
	switch (f->type) {
	case OPTIC_F_ASCII:
		return f->len + 1u;
	case OPTIC_F_DATE:
		return MAX(f->len + 1u, sizeof("20YY-MM-DD"));
	case OPTIC_F_OUI:
		return sizeof("xx:xx:xx");
	case OPTIC_F_VERSION:
	case OPTIC_F_NIBVER:
		return sizeof("255.255");
	case OPTIC_F_HEX:
		return MIN(3u * f->len, TEXT_MAX);
	case OPTIC_F_CODE:
		return sizeof("unknown (0xffffffff)");
	default: /* OPTIC_F_APPSEL: the application's label */
		return TEXT_MAX;
	}
}

/* @size bytes more of m->text: their offset, or -errno. */
static int text_alloc(struct optic_model *m, size_t size)
{
	size_t off = MAX(m->ntext, 1u); /* offset 0: no text */

	if (off + size > UINT16_MAX + 1u)
		return -EOVERFLOW;
	if (off + size > m->text_cap) {
		size_t cap = MAX(2 * m->text_cap, 512u);
		char *t = realloc(m->text, cap);

		if (!t)
			return -ENOMEM;
		m->text = t;
		m->text_cap = cap;
	}
	m->ntext = off + size;
	return (int)off;
}

static const struct optic_codes *row_codes(const struct optic_model *m,
					   const struct optic_field *f)
{
	if (f->ff & OPTIC_FF_MEDIA)
		return optic_sff8024_media_table(m->media_type);
	return f->codes;
}

const struct optic_code *optic_value_code(const struct optic_model *m,
					  const struct optic_value *v)
{
	if (v->kind != OPTIC_V_CODE || v->f->type != OPTIC_F_CODE)
		return NULL;
	return optic_code_find(row_codes(m, v->f), v->raw);
}

/* Whether @v's text is its own (in m->text), not a code's name or none. */
static bool has_text(const struct optic_model *m, const struct optic_value *v)
{
	return v->kind == OPTIC_V_STR ||
	       (v->kind == OPTIC_V_CODE && !optic_value_code(m, v));
}

const char *optic_value_str(const struct optic_model *m,
			    const struct optic_value *v)
{
	const struct optic_code *c = optic_value_code(m, v);

	if (c)
		return c->name;
	return v->text ? m->text + v->text : "";
}

/* @text, as value_from() made it, into @v's slot (made on first use). */
static int text_set(struct optic_model *m, struct optic_value *v,
		    const char *text)
{
	int r;

	if (!has_text(m, v))
		return 0;
	if (!v->text) {
		r = text_alloc(m, text_size(v->f));
		if (r < 0)
			return r;
		v->text = r;
	}
	snprintf(m->text + v->text, text_size(v->f), "%s", text);
	return 0;
}

/* The slots of m's values packed into a new m->text (or left, no memory). */
static void text_pack(struct optic_model *m)
{
	size_t size = 1, i;
	char *t;

	for (i = 0; i < m->n; i++)
		if (m->v[i].text)
			size += text_size(m->v[i].f);
	t = size > 1 ? malloc(size) : NULL;
	if (size > 1 && !t)
		return;
	size = 1;
	for (i = 0; i < m->n; i++) {
		struct optic_value *v = &m->v[i];

		if (!v->text)
			continue;
		memcpy(t + size, m->text + v->text, text_size(v->f));
		v->text = size;
		size += text_size(v->f);
	}
	free(m->text);
	m->text = t;
	m->ntext = m->text_cap = t ? size : 0;
}

void optic_model_fit(struct optic_model *m)
{
	struct optic_value *v;

	text_pack(m);
	if (m->n && m->n < m->cap) {
		v = reallocarray(m->v, m->n, sizeof(*v));
		if (v) {
			m->v = v;
			m->cap = m->n;
		}
	}
	m->worst = m->worst_sev ? &m->v[m->worst_pos] : NULL;
}

static uint32_t be_uint(const uint8_t *b, size_t len)
{
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < len && i < 4; i++)
		v = v << 8 | b[i];
	return v;
}

static double be_float(const uint8_t *b)
{
	union {
		uint32_t u;
		float f;
	} x = { .u = be_uint(b, 4) };

	return x.f;
}

static void ascii(char *dst, size_t size, const uint8_t *b, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 1 < size; i++)
		dst[n++] = !b[i]			 ? ' ' :
			   (b[i] >= 0x20 && b[i] < 0x7f) ? b[i] :
							   '?';
	while (n && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

static bool digits(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] < '0' || b[i] > '9')
			return false;
	return true;
}

static unsigned int mask_shift(uint8_t mask)
{
	return mask ? __builtin_ctz(mask) : 0;
}

static double calibrate(const struct optic_model *m, uint8_t cal, double raw)
{
	switch (cal) {
	case OPTIC_CAL_CMIS_BIAS:
		return raw * (1u << m->bias_shift);
	case OPTIC_CAL_TEMP:
	case OPTIC_CAL_VCC:
	case OPTIC_CAL_BIAS:
	case OPTIC_CAL_TXPWR:
		if (!m->ext_cal)
			return raw;
		/* SFF-8472 9.3: slope (unsigned 8.8) * ADC + offset (s16) */
		return m->cal_slope[cal - OPTIC_CAL_TEMP] * raw +
		       m->cal_off[cal - OPTIC_CAL_TEMP];
	case OPTIC_CAL_RXPWR:
		if (!m->ext_cal)
			return raw;
		return m->rx_cal[4] * pow(raw, 4) + m->rx_cal[3] * pow(raw, 3) +
		       m->rx_cal[2] * raw * raw + m->rx_cal[1] * raw +
		       m->rx_cal[0];
	default:
		return raw;
	}
}

/* Does the module advertise what this row decodes? */
static bool advertised(const struct optic_image *img,
		       const struct optic_field *f)
{
	int b;

	if (!f->adv_mask)
		return true;
	b = optic_image_byte(img, f->adv_addr, f->adv_page, 0, f->adv_off);
	if (b < 0)
		return f->ff & OPTIC_FF_ADVOPT;
	if (f->ff & OPTIC_FF_ADVEQ)
		return (b & f->adv_mask) == f->adv_val;
	if (f->ff & OPTIC_FF_ADVNE)
		return (b & f->adv_mask) != f->adv_val;
	return b & f->adv_mask;
}

static bool is_lane_sect(uint8_t sect)
{
	return sect == OPTIC_S_LANE || sect == OPTIC_S_LANE_FLAG;
}

/* The instance of @v within its row's bytes (its bank's lane, its app). */
static unsigned int value_instance(const struct optic_value *v)
{
	const struct optic_field *f = v->f;

	/* CMIS 8.4.1: banked pages (10h-2Fh) hold eight lanes per bank */
	if (f->page >= 0x10 && is_lane_sect(f->sect))
		return v->index % 8;
	if (f->sect == OPTIC_S_APP)
		return v->index - f->first;
	return v->index;
}

bool optic_value_loc(const struct optic_value *v, struct optic_loc *loc)
{
	const struct optic_field *f = v->f;
	unsigned int li = value_instance(v), off;

	loc->bank = f->page >= 0x10 && is_lane_sect(f->sect) ? v->index / 8 : 0;
	off = f->offset;
	if (f->ff & OPTIC_FF_NIBBLE)
		off += li / 2;
	else if (f->type != OPTIC_F_FLAG || !f->bit_step)
		off += li * f->stride;
	if (!f->len || f->len > OPTIC_VALUE_BYTES || off + f->len > 256)
		return false;
	loc->addr = f->addr ?: OPTIC_ADDR_A0;
	loc->page = f->page;
	loc->off = off;
	loc->len = f->len;
	return true;
}

/* "800GBASE-DR8, 800GAUI-8 S C2M": application @appsel as @m decoded it. */
static void app_names(const struct optic_model *m, unsigned int appsel,
		      char *buf, size_t size)
{
	const struct optic_value *host, *media;

	host = optic_model_get(m, "host_interface", NULL, (int)appsel - 1);
	media = optic_model_get(m, "media_interface", NULL, (int)appsel - 1);
	if (!appsel || !host || !media)
		snprintf(buf, size, "%s", appsel ? "not advertised" : "unused");
	else
		optic_app_label(
			&(struct optic_app){
				.host_name = optic_value_str(m, host),
				.media_name = optic_value_str(m, media) },
			buf, size);
}

/*
 * Decode @v (its row and index set) from @buf, the bytes optic_value_loc()
 * names, its text into @text (text_set() keeps it): 1 when it has a value,
 * 0 when the row gives none for them.
 */
static int value_from(const struct optic_model *m, struct optic_value *v,
		      const uint8_t *buf, char text[TEXT_MAX])
{
	const struct optic_field *f = v->f;
	unsigned int li = value_instance(v), shift;
	double scale = f->scale ?: 1.0, x;
	uint32_t raw;
	int bit;

	raw = be_uint(buf, f->len);
	if (f->ff & OPTIC_FF_NIBBLE)
		raw = (buf[0] >> (4 * (li % 2))) & 0x0f;
	/* BITS: codes name bits of the unshifted word */
	shift = f->type == OPTIC_F_BITS ? 0 : mask_shift(f->mask);
	if (f->mask)
		raw = (raw & f->mask) >> shift;
	if ((f->ff & OPTIC_FF_NONZERO) && !raw)
		return 0;

	v->raw = raw;
	v->kind = OPTIC_V_NUM;
	text[0] = '\0';

	switch (f->type) {
	case OPTIC_F_ASCII:
		v->kind = OPTIC_V_STR;
		ascii(text, TEXT_MAX, buf, f->len);
		return !(f->ff & OPTIC_FF_NONZERO) || text[0];
	case OPTIC_F_UINT:
		v->num = calibrate(m, f->cal, raw) * scale + f->add;
		return 1;
	case OPTIC_F_SINT:
		x = f->len == 1 ? (int8_t)raw : (int16_t)raw;
		v->num = calibrate(m, f->cal, x) * scale + f->add;
		return 1;
	case OPTIC_F_CODE:
		v->kind = OPTIC_V_CODE;
		/* a known code's text is its name (optic_value_str()) */
		snprintf(text, TEXT_MAX, "unknown (0x%02x)", raw);
		return 1;
	case OPTIC_F_OUI:
		v->kind = OPTIC_V_STR;
		snprintf(text, TEXT_MAX, "%02x:%02x:%02x", buf[0], buf[1],
			 buf[2]);
		return 1;
	case OPTIC_F_DATE:
		v->kind = OPTIC_V_STR;
		ascii(text, TEXT_MAX, buf, f->len);
		if (f->len >= 6 && digits(buf, 6))
			snprintf(text, TEXT_MAX, "20%.2s-%.2s-%.2s",
				 (const char *)buf, (const char *)buf + 2,
				 (const char *)buf + 4);
		return 1;
	case OPTIC_F_VERSION:
		v->kind = OPTIC_V_STR;
		snprintf(text, TEXT_MAX, "%u.%u", buf[0],
			 f->len > 1 ? buf[1] : 0);
		return 1;
	case OPTIC_F_NIBVER:
		v->kind = OPTIC_V_STR;
		snprintf(text, TEXT_MAX, "%u.%u", buf[0] >> 4, buf[0] & 0x0f);
		return 1;
	case OPTIC_F_FLAG:
		v->kind = OPTIC_V_BOOL;
		bit = f->bit + (int)li * f->bit_step;
		if (bit < 0 || bit >= 8 * f->len)
			return 0;
		v->raw = (be_uint(buf, f->len) >> bit) & 1;
		v->num = v->raw;
		return 1;
	case OPTIC_F_POWER:
		v->num = calibrate(m, f->cal, raw) * 0.0001;
		return 1;
	case OPTIC_F_HEX:
		v->kind = OPTIC_V_STR;
		for (size_t i = 0; i < f->len && 3 * i + 3 < TEXT_MAX; i++)
			snprintf(text + 3 * i - !!i, 4, i ? ":%02x" : "%02x",
				 buf[i]);
		return 1;
	case OPTIC_F_FLOAT:
		v->num = be_float(buf);
		return 1;
	case OPTIC_F_APPSEL:
		v->kind = OPTIC_V_CODE;
		v->num = raw;
		app_names(m, raw, text, TEXT_MAX);
		return 1;
	case OPTIC_F_BITS:
		v->kind = OPTIC_V_BITS;
		v->num = raw;
		return 1;
	case OPTIC_F_CABLELEN:
		/* bits 7-6: multiplier 0.1, 1, 10, 100 m; bits 5-0: value */
		v->num = (raw & 0x3f) * pow(10.0, (raw >> 6) - 1.0);
		return v->num || !(f->ff & OPTIC_FF_NONZERO);
	case OPTIC_F_PWRCLASS8636:
		/*
		 * SFF-8636 Table 6-16: bits 7-6 classes 1-4; bits 1-0, when
		 * non-zero, classes 5-7; bit 5 class 8.
		 */
		if (raw & 0x20)
			v->num = 8;
		else if (raw & 0x03)
			v->num = 4 + (raw & 0x03);
		else
			v->num = (raw >> 6) + 1;
		return 1;
	default:
		return 0;
	}
}

/* Decode @v from the image: as value_from(), -ENODATA without its bytes. */
static int value_fill(const struct optic_image *img,
		      const struct optic_model *m, struct optic_value *v,
		      char text[TEXT_MAX])
{
	uint8_t buf[OPTIC_VALUE_BYTES];
	struct optic_loc loc;

	if (!optic_value_loc(v, &loc) ||
	    optic_image_get(img, loc.addr, loc.page, loc.bank, loc.off, buf,
			    loc.len) < 0)
		return -ENODATA;
	return value_from(m, v, buf, text);
}

static int decode_one(const struct optic_image *img, struct optic_model *m,
		      const struct optic_field *f, unsigned int idx)
{
	struct optic_value *v = add_value(m);
	char text[TEXT_MAX];
	int r;

	if (!v)
		return -ENOMEM;
	v->f = f;
	v->index = idx;
	if (value_fill(img, m, v, text) <= 0) {
		m->n--;
		return 0;
	}
	r = text_set(m, v, text);
	if (r < 0)
		return r;
	if (v->kind == OPTIC_V_BOOL && v->raw && f->sev > m->worst_sev) {
		m->worst_sev = f->sev;
		m->worst_pos = v - m->v;
	}
	return 0;
}

int optic_value_update(struct optic_model *m, struct optic_value *v,
		       const uint8_t *buf)
{
	struct optic_value old = *v;
	char text[TEXT_MAX];
	bool changed;
	int r;

	if (!value_from(m, v, buf, text)) {
		/* no value in these bytes now: the old one stands */
		*v = old;
		return 0;
	}
	changed = v->raw != old.raw || v->kind != old.kind ||
		  (v->kind == OPTIC_V_STR &&
		   strcmp(text, optic_value_str(m, &old)));
	r = text_set(m, v, text);
	if (r < 0) {
		*v = old;
		return r;
	}
	return changed;
}

double optic_value_dbm(const struct optic_value *v)
{
	return v->num > 0 ? 10.0 * log10(v->num) : -INFINITY;
}

static unsigned int instances(const struct optic_model *m,
			      const struct optic_field *f)
{
	if (!f->count)
		return 1;
	if (is_lane_sect(f->sect)) {
		if (f->page >= 0x10)
			return m->lanes;
		return MIN(f->count, m->lanes);
	}
	return f->count;
}

static int decode_rows(const struct optic_image *img, struct optic_model *m,
		       const struct optic_field *rows, size_t nrows)
{
	size_t i;
	int r;

	for (i = 0; i < nrows; i++) {
		const struct optic_field *f = &rows[i];
		unsigned int k, n = instances(m, f);

		if ((f->ff & OPTIC_FF_EXTCAL) && !m->ext_cal)
			continue;
		if (f->media && !(f->media & (1u << m->media_class)))
			continue;
		if (!advertised(img, f))
			continue;
		for (k = 0; k < n; k++) {
			unsigned int idx = f->first + k;

			if (f->sect == OPTIC_S_APP && idx >= m->napps)
				break;
			r = decode_one(img, m, f, idx);
			if (r < 0)
				return r;
		}
	}
	/* a pointer only now: the array may have moved while growing */
	m->worst = m->worst_sev ? &m->v[m->worst_pos] : NULL;
	return 0;
}

/*
 * Cable assemblies: SFF-8472 Table 5-3 byte 8 bits 2 (passive) and 3
 * (active cable); SFF-8636 Table 6-19 byte 147 bits 7-4 and CMIS 5.2
 * Table 8-33 byte 212, transmitter technology 1010b-1111b (0Ah-0Fh) copper,
 * 1010b/1011b passive; CMIS Table 8-22 MediaType 03h passive copper, 04h
 * active cable; an optical SFF-8636 module without a separable connector
 * (SFF-8024 Table 4-3 23h) is an active optical cable.
 */
static uint8_t media_class(const struct optic_image *img, uint8_t spec)
{
	int tech, conn, type;

	if (spec == OPTIC_SPEC_SFF8472) {
		tech = optic_image_byte(img, 0, 0, 0, 8);
		if (tech >= 0 && (tech & 0x04))
			return OPTIC_MC_PASSIVE;
		if (tech >= 0 && (tech & 0x08))
			return OPTIC_MC_ACTIVE;
		return OPTIC_MC_OPTICAL;
	}
	if (spec == OPTIC_SPEC_SFF8636) {
		tech = optic_image_byte(img, 0, 0, 0, 147);
		tech = tech < 0 ? 0 : tech >> 4;
		conn = optic_image_byte(img, 0, 0, 0, 130);
		type = conn == 0x23 ? 4 : 0;
	} else {
		tech = optic_image_byte(img, 0, 0, 0, 212);
		type = optic_image_byte(img, 0, 0, 0, 85);
		if (type == 3)
			return OPTIC_MC_PASSIVE;
	}
	if (tech == 0x0a || tech == 0x0b)
		return OPTIC_MC_PASSIVE;
	if (tech >= 0x0c && tech <= 0x0f)
		return OPTIC_MC_ACTIVE;
	return type == 4 ? OPTIC_MC_AOC : OPTIC_MC_OPTICAL;
}

static void sff8472_cal(const struct optic_image *img, struct optic_model *m)
{
	uint8_t b[40];
	int i;

	/* SFF-8472 Table 9-6: A2h bytes 56-91 */
	if (optic_image_get(img, OPTIC_ADDR_A2, 0, 0, 56, b, 36) < 0) {
		m->ext_cal = false;
		return;
	}
	for (i = 0; i < 5; i++)
		m->rx_cal[4 - i] = be_float(b + 4 * i);
	/* slope/offset pairs at 76 (Tx_I), 80 (Tx_PWR), 84 (T), 88 (V) */
	m->cal_slope[OPTIC_CAL_BIAS - OPTIC_CAL_TEMP] = be16(b + 20) / 256.0;
	m->cal_off[OPTIC_CAL_BIAS - OPTIC_CAL_TEMP] = (int16_t)be16(b + 22);
	m->cal_slope[OPTIC_CAL_TXPWR - OPTIC_CAL_TEMP] = be16(b + 24) / 256.0;
	m->cal_off[OPTIC_CAL_TXPWR - OPTIC_CAL_TEMP] = (int16_t)be16(b + 26);
	m->cal_slope[OPTIC_CAL_TEMP - OPTIC_CAL_TEMP] = be16(b + 28) / 256.0;
	m->cal_off[OPTIC_CAL_TEMP - OPTIC_CAL_TEMP] = (int16_t)be16(b + 30);
	m->cal_slope[OPTIC_CAL_VCC - OPTIC_CAL_TEMP] = be16(b + 32) / 256.0;
	m->cal_off[OPTIC_CAL_VCC - OPTIC_CAL_TEMP] = (int16_t)be16(b + 34);
}

int optic_decode(const struct optic_image *img, struct optic_model *m)
{
	const struct optic_field *rows;
	size_t nrows;
	int id, b, r;

	memset(m, 0, sizeof(*m));
	id = optic_image_byte(img, 0, 0, 0, 0);
	if (id < 0)
		return -ENODATA;
	m->identifier = id;
	m->spec = optic_spec_from_id(id);

	switch (m->spec) {
	case OPTIC_SPEC_CMIS:
		rows = optic_cmis_fields;
		nrows = optic_cmis_nfields;
		m->flat = optic_image_byte(img, 0, 0, 0, 2) & CMIS_FLAT;
		b = optic_image_byte(img, 0, 0, 0, 85);
		m->media_type = b < 0 ? 0 : b;
		b = optic_image_byte(img, 0, 1, 0, 160);
		m->bias_shift = b < 0 ? 0 : MIN((b >> 3) & 3, 2);
		m->napps = optic_cmis_count_apps(img);
		m->lanes = optic_cmis_lanes(img, m->napps);
		break;
	case OPTIC_SPEC_SFF8636:
		rows = optic_sff8636_fields;
		nrows = optic_sff8636_nfields;
		m->flat = optic_image_byte(img, 0, 0, 0, 2) & SFF8636_FLAT;
		m->lanes = 4;
		break;
	case OPTIC_SPEC_SFF8472:
		rows = optic_sff8472_fields;
		nrows = optic_sff8472_nfields;
		m->flat = true;
		m->lanes = 1;
		b = optic_image_byte(img, 0, 0, 0, 92);
		m->ext_cal = b >= 0 && (b & SFF8472_EXTCAL);
		if (m->ext_cal)
			sff8472_cal(img, m);
		break;
	default:
		/* identity we cannot decode: the identifier alone */
		rows = optic_cmis_fields;
		nrows = 1;
		break;
	}
	m->media_class = media_class(img, m->spec);
	r = decode_rows(img, m, rows, nrows);
	if (r == 0 && m->spec == OPTIC_SPEC_CMIS && !m->flat)
		r = optic_vdm_decode(img, m);
	if (r < 0)
		optic_model_free(m);
	return r;
}

const struct optic_value *optic_model_get(const struct optic_model *m,
					  const char *json_key,
					  const char *json_sub, int index)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct optic_value *v = &m->v[i];

		if (!v->f->json_key || !streq(v->f->json_key, json_key))
			continue;
		if (json_sub &&
		    (!v->f->json_sub || !streq(v->f->json_sub, json_sub)))
			continue;
		if (!json_sub && v->f->json_sub)
			continue;
		if (index >= 0 && v->index != index)
			continue;
		return v;
	}
	return NULL;
}

const struct optic_field *optic_flag_lookup(uint8_t spec, uint8_t page,
					    uint8_t offset, unsigned int bit,
					    int *lane)
{
	const struct optic_field *rows;
	size_t n, i;

	switch (spec) {
	case OPTIC_SPEC_CMIS:
		rows = optic_cmis_fields;
		n = optic_cmis_nfields;
		break;
	case OPTIC_SPEC_SFF8636:
		rows = optic_sff8636_fields;
		n = optic_sff8636_nfields;
		break;
	case OPTIC_SPEC_SFF8472:
		rows = optic_sff8472_fields;
		n = optic_sff8472_nfields;
		break;
	default:
		return NULL;
	}
	if (offset < 128)
		page = 0;
	for (i = 0; i < n; i++) {
		const struct optic_field *f = &rows[i];
		unsigned int k, cnt = f->count ?: 1;

		if (f->type != OPTIC_F_FLAG || f->addr > OPTIC_ADDR_A0 ||
		    (f->sect != OPTIC_S_FLAG && f->sect != OPTIC_S_LANE_FLAG))
			continue;
		if ((offset >= 128 && f->page != page) || offset < f->offset ||
		    offset >= f->offset + f->len)
			continue;
		for (k = 0; k < cnt; k++) {
			/* bit number within the row's big-endian word */
			int b = f->bit + (int)k * f->bit_step;
			unsigned int byte = f->offset + f->len - 1 - b / 8;

			if (b < 0 || byte != offset ||
			    (unsigned int)(b % 8) != bit)
				continue;
			*lane = f->sect == OPTIC_S_LANE_FLAG ? (int)k : -1;
			return f;
		}
	}
	return NULL;
}

/* Page, offset and first lane of byte @i of OPTIC_A_FLAGS for @spec. */
static bool flags_byte_at(uint8_t spec, size_t i, uint8_t *page,
			  uint8_t *offset, unsigned int *lane0)
{
	*lane0 = 0;
	switch (spec) {
	case OPTIC_SPEC_CMIS:
		if (i < 4) {
			*page = 0;
			*offset = 8 + i;
			return true;
		}
		i -= 4;
		if (i >= 4 * 20)
			return false;
		*page = 0x11;
		*offset = 134 + i % 20;
		*lane0 = 8 * (i / 20);
		return true;
	case OPTIC_SPEC_SFF8636:
		*page = 0;
		*offset = 3 + i;
		return i < 12;
	default:
		return false;
	}
}

int optic_flags_worst(uint8_t spec, unsigned int lanes, const uint8_t *flags,
		      size_t n, struct optic_flag_hit *hit)
{
	unsigned int lane0, bit;
	uint8_t page, offset;
	int sev = 0, lane;

	hit->f = NULL;
	hit->lane = -1;
	if (spec != OPTIC_SPEC_CMIS && spec != OPTIC_SPEC_SFF8636)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!flags[i] ||
		    !flags_byte_at(spec, i, &page, &offset, &lane0))
			continue;
		for (bit = 0; bit < 8; bit++) {
			const struct optic_field *f;

			if (!(flags[i] & (1u << bit)))
				continue;
			f = optic_flag_lookup(spec, page, offset, bit, &lane);
			if (!f || !f->sev ||
			    (lane >= 0 && lane0 + (unsigned int)lane >= lanes))
				continue;
			if (lane >= 0)
				lane += lane0;
			/* as optic_decode(): the first of equals in row order */
			if (f->sev < sev ||
			    (f->sev == sev &&
			     (f > hit->f || (f == hit->f && lane > hit->lane))))
				continue;
			sev = f->sev;
			hit->f = f;
			hit->lane = lane;
		}
	}
	return sev;
}
