// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The one printer for a decoded model: every value is printed from its
 * table row (name, unit, precision, JSON key) through the text/JSON
 * printer, so text and JSON can never disagree.
 */
#include <math.h>

#include "decode.h"
#include "print.h"
#include "util.h"

#define LABEL_FMT "%s%-*s: "

static const char *indent(int level)
{
	return level ? "\t  " : "\t";
}

/* Colons line up whatever the indentation. */
static int width(int level)
{
	return level ? 40 : 42;
}

/* Text for one value: "25.50 °C", "0.5012 mW / -3.01 dBm", "0x18 (QSFP-DD)". */
static void value_text(const struct optic_model *m, const struct optic_value *v,
		       char *buf, size_t size)
{
	const struct optic_field *f = v->f;
	const char *str = optic_value_str(m, v);

	switch (v->kind) {
	case OPTIC_V_STR:
		snprintf(buf, size, "%s", str);
		break;
	case OPTIC_V_BOOL:
		snprintf(buf, size, "%s", v->raw ? "On" : "Off");
		break;
	case OPTIC_V_CODE:
		if (f->type == OPTIC_F_APPSEL)
			snprintf(buf, size, "%u (%s)", v->raw, str);
		else if ((f->ff & OPTIC_FF_HEXRAW) && optic_value_code(m, v))
			snprintf(buf, size, "0x%02x (%s)", v->raw, str);
		else
			snprintf(buf, size, "%s", str);
		break;
	default:
		if (f->type == OPTIC_F_POWER) {
			if (isinf(optic_value_dbm(v)))
				snprintf(buf, size, "%.4f mW / -inf dBm",
					 v->num);
			else
				snprintf(buf, size, "%.4f mW / %.2f dBm",
					 v->num, optic_value_dbm(v));
		} else if (f->type == OPTIC_F_FLOAT) {
			snprintf(buf, size, "%g", v->num);
		} else {
			snprintf(buf, size, "%.*f%s%s", f->prec, v->num,
				 f->unit ? " " : "", f->unit ?: "");
		}
		break;
	}
}

static void print_json_value(struct optic_print *p, const struct optic_model *m,
			     const struct optic_value *v, const char *key)
{
	const struct optic_field *f = v->f;
	const struct optic_code *c = optic_value_code(m, v);
	char k[96];

	switch (v->kind) {
	case OPTIC_V_STR:
		op_string(p, key, NULL, optic_value_str(m, v));
		break;
	case OPTIC_V_BOOL:
		op_bool(p, key, NULL, v->raw);
		break;
	case OPTIC_V_CODE:
		if (c && c->json) {
			op_string(p, key, NULL, c->json);
		} else if (f->codes && f->codes->n && f->codes->c[0].json) {
			/* a table of names: unknown codes stay strings */
			op_string(p, key, NULL, optic_value_str(m, v));
		} else {
			op_uint(p, key, NULL, v->raw);
			snprintf(k, sizeof(k), "%s_description", key);
			op_string(p, k, NULL, optic_value_str(m, v));
		}
		break;
	default:
		if (f->type == OPTIC_F_POWER) {
			snprintf(k, sizeof(k), "%s_mw", key);
			op_float(p, k, NULL, v->num, 4);
			snprintf(k, sizeof(k), "%s_dbm", key);
			op_float(p, k, NULL, optic_value_dbm(v), 2);
		} else if (f->type == OPTIC_F_FLOAT) {
			op_float(p, key, NULL, v->num, -7);
		} else if (f->prec == 0 && v->num == floor(v->num) &&
			   fabs(v->num) < 1e15) {
			op_int(p, key, NULL, (int64_t)v->num);
		} else {
			op_float(p, key, NULL, v->num, f->prec);
		}
		break;
	}
}

static void print_value(struct optic_print *p, const struct optic_model *m,
			const struct optic_value *v, int level)
{
	char buf[160];

	if (optic_print_is_json(p)) {
		if (v->f->json_key && !(v->f->ff & OPTIC_FF_TEXTONLY))
			print_json_value(p, m, v, v->f->json_key);
		return;
	}
	value_text(m, v, buf, sizeof(buf));
	op_text(p, LABEL_FMT "%s\n", indent(level), width(level), v->f->name,
		buf);
}

static bool in_sect(const struct optic_value *v, uint8_t sect)
{
	return v->f->sect == sect;
}

static bool same_list(const struct optic_value *a, const struct optic_value *b)
{
	return a->kind == OPTIC_V_BITS && a->f->sect == b->f->sect &&
	       a->f->json_key && streq(a->f->json_key, b->f->json_key);
}

/*
 * A run of BITS values sharing a JSON key (e.g. the SFF-8472 compliance
 * bytes 3-10) is one list of the names of the set bits, most significant
 * first: text "Label: A, B" (or "none"), JSON ["A", "B"]. Returns the
 * index after the run.
 */
static size_t print_bits(struct optic_print *p, const struct optic_model *m,
			 size_t i, int level)
{
	const struct optic_value *v = &m->v[i];
	bool json = optic_print_is_json(p);
	char buf[1024], unk[24];
	size_t j, n = 0;
	int b;

	if (json)
		op_open_array(p, v->f->json_key);
	for (j = i; j < m->n && same_list(&m->v[j], v); j++) {
		for (b = 31; b >= 0; b--) {
			const struct optic_code *c;
			const char *name = unk;

			if (!((m->v[j].raw >> b) & 1))
				continue;
			c = optic_code_find(m->v[j].f->codes, b);
			if (c)
				name = json && c->json ? c->json : c->name;
			else
				snprintf(unk, sizeof(unk), "unknown (bit %d)",
					 b);
			if (json)
				op_string(p, NULL, NULL, name);
			else if (n < sizeof(buf))
				n += snprintf(buf + n, sizeof(buf) - n, "%s%s",
					      n ? ", " : "", name);
		}
	}
	if (json)
		op_close_array(p);
	else
		op_text(p, LABEL_FMT "%s\n", indent(level), width(level),
			v->f->name, n ? buf : "none");
	return j;
}

static void print_level(struct optic_print *p, const struct optic_model *m,
			uint8_t sect, int level)
{
	size_t i = 0;

	while (i < m->n) {
		if (!in_sect(&m->v[i], sect))
			i++;
		else if (m->v[i].kind == OPTIC_V_BITS && m->v[i].f->json_key)
			i = print_bits(p, m, i, level);
		else
			print_value(p, m, &m->v[i++], level);
	}
}

static void print_plain(struct optic_print *p, const struct optic_model *m,
			uint8_t sect)
{
	print_level(p, m, sect, 0);
}

static bool has_sect(const struct optic_model *m, uint8_t sect)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (in_sect(&m->v[i], sect))
			return true;
	return false;
}

/* Text: the raised flags of a section (and index) on one line. */
static void print_raised(struct optic_print *p, const struct optic_model *m,
			 uint8_t sect, int idx, int level, const char *label)
{
	char buf[512];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < m->n; i++) {
		const struct optic_value *v = &m->v[i];

		if (!in_sect(v, sect) || (idx >= 0 && v->index != idx) ||
		    !v->raw)
			continue;
		n += snprintf(buf + n, n < sizeof(buf) ? sizeof(buf) - n : 0,
			      "%s%s", n ? ", " : "", v->f->name);
	}
	op_text(p, LABEL_FMT "%s\n", indent(level), width(level), label,
		n ? buf : "none");
}

static void print_module_flags(struct optic_print *p,
			       const struct optic_model *m)
{
	if (!has_sect(m, OPTIC_S_FLAG))
		return;
	if (!optic_print_is_json(p)) {
		print_raised(p, m, OPTIC_S_FLAG, -1, 0, "Module flags");
		return;
	}
	op_open_object(p, "flags");
	print_plain(p, m, OPTIC_S_FLAG);
	op_close_object(p);
}

/*
 * Thresholds: JSON groups rows by json_key ({"temperature_c": {"high_alarm":
 * ...}}); power rows give a _mw and a _dbm object. Text prints each row.
 */
static void print_thresholds(struct optic_print *p, const struct optic_model *m)
{
	const char *const suffix[] = { "_mw", "_dbm" };
	size_t i, j;
	int pass;
	char k[96];

	if (!has_sect(m, OPTIC_S_THRESHOLD))
		return;
	if (!optic_print_is_json(p)) {
		print_plain(p, m, OPTIC_S_THRESHOLD);
		return;
	}
	op_open_object(p, "thresholds");
	for (i = 0; i < m->n; i = j) {
		const struct optic_value *v = &m->v[i];
		bool power = v->f->type == OPTIC_F_POWER;

		if (!in_sect(v, OPTIC_S_THRESHOLD) || !v->f->json_key) {
			j = i + 1;
			continue;
		}
		for (j = i; j < m->n && in_sect(&m->v[j], OPTIC_S_THRESHOLD) &&
			    m->v[j].f->json_key &&
			    streq(m->v[j].f->json_key, v->f->json_key);
		     j++)
			;
		for (pass = 0; pass < (power ? 2 : 1); pass++) {
			snprintf(k, sizeof(k), "%s%s", v->f->json_key,
				 power ? suffix[pass] : "");
			op_open_object(p, k);
			for (size_t x = i; x < j; x++) {
				const struct optic_value *t = &m->v[x];

				if (!power)
					print_json_value(p, m, t,
							 t->f->json_sub);
				else if (pass == 0)
					op_float(p, t->f->json_sub, NULL,
						 t->num, 4);
				else
					op_float(p, t->f->json_sub, NULL,
						 optic_value_dbm(t), 2);
			}
			op_close_object(p);
		}
	}
	op_close_object(p);
}

static unsigned int max_index(const struct optic_model *m, uint8_t a, uint8_t b)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < m->n; i++)
		if (in_sect(&m->v[i], a) || in_sect(&m->v[i], b))
			n = MAX(n, m->v[i].index + 1u);
	return n;
}

static void print_indexed(struct optic_print *p, const struct optic_model *m,
			  uint8_t sect, uint8_t flag_sect, bool flags,
			  const char *array_key, const char *idx_key,
			  const char *label)
{
	unsigned int idx, n = max_index(m, sect, flags ? flag_sect : sect);
	size_t i;

	if (!n)
		return;
	op_open_array(p, array_key);
	for (idx = 0; idx < n; idx++) {
		op_open_object(p, NULL);
		op_text(p, "\t%s %u:\n", label, idx + 1);
		op_uint(p, idx_key, NULL, idx + 1);
		for (i = 0; i < m->n; i++)
			if (in_sect(&m->v[i], sect) && m->v[i].index == idx)
				print_value(p, m, &m->v[i], 1);
		if (flags && flag_sect != sect && !optic_print_is_json(p)) {
			print_raised(p, m, flag_sect, idx, 1, "Flags");
		} else if (flags && flag_sect != sect) {
			op_open_object(p, "flags");
			for (i = 0; i < m->n; i++)
				if (in_sect(&m->v[i], flag_sect) &&
				    m->v[i].index == idx)
					print_value(p, m, &m->v[i], 1);
			op_close_object(p);
		}
		op_close_object(p);
	}
	op_close_array(p);
}

/* A VDM number: F16 types in scientific notation, others with prec. */
static int vdm_num(char *buf, size_t size, const struct optic_vdm *v, double x)
{
	if (!v->type)
		return snprintf(buf, size, "0x%04x", (unsigned int)x);
	if (v->type->encoding == OPTIC_VDM_F16)
		return snprintf(buf, size, "%.*e", v->type->prec - 1, x);
	return snprintf(buf, size, "%.*f", v->type->prec, x);
}

static void vdm_json_num(struct optic_print *p, const char *key,
			 const struct optic_vdm *v, double x)
{
	if (!v->type)
		op_uint(p, key, NULL, (uint64_t)x);
	else if (v->type->encoding == OPTIC_VDM_F16)
		op_float(p, key, NULL, x, -4);
	else
		op_float(p, key, NULL, x, v->type->prec);
}

/*
 * CMIS VDM (pages 20h-2Fh): text, one line per instance with its
 * thresholds; JSON, the array "vdm" of {type_id, name, key, lane, value,
 * unit, thresholds} (docs/json.md).
 */
static void print_vdm(struct optic_print *p, const struct optic_model *m)
{
	static const char *const sub[] = { "high_alarm", "low_alarm",
					   "high_warning", "low_warning" };
	const char *unit;
	char label[64], val[48], thr[4][32];
	size_t i;
	int k;

	if (!m->nvdm)
		return;
	op_text(p, "\tVDM:\n");
	op_open_array(p, "vdm");
	for (i = 0; i < m->nvdm; i++) {
		const struct optic_vdm *v = &m->vdm[i];

		unit = v->type ? v->type->unit : NULL;
		if (!optic_print_is_json(p)) {
			snprintf(label, sizeof(label), "%s, lane %u", v->name,
				 v->lane + 1u);
			if (v->has_value)
				vdm_num(val, sizeof(val), v, v->value);
			else
				snprintf(val, sizeof(val), "not read");
			op_text(p, LABEL_FMT "%s%s%s", indent(1), width(1),
				label, val, unit ? " " : "", unit ?: "");
			if (v->has_thr) {
				for (k = 0; k < 4; k++)
					vdm_num(thr[k], sizeof(thr[k]), v,
						v->thr[k]);
				op_text(p, " (alarm %s..%s, warning %s..%s)",
					thr[OPTIC_VDM_LA], thr[OPTIC_VDM_HA],
					thr[OPTIC_VDM_LW], thr[OPTIC_VDM_HW]);
			}
			op_text(p, "\n");
			continue;
		}
		op_open_object(p, NULL);
		op_uint(p, "type_id", NULL, v->type_id);
		op_string(p, "name", NULL, v->name);
		if (v->type)
			op_string(p, "key", NULL, v->type->json_key);
		else
			op_null(p, "key", NULL);
		op_uint(p, "lane", NULL, v->lane + 1u);
		if (v->has_value)
			vdm_json_num(p, "value", v, v->value);
		else
			op_null(p, "value", NULL);
		if (unit)
			op_string(p, "unit", NULL, unit);
		else
			op_null(p, "unit", NULL);
		if (v->has_thr) {
			op_open_object(p, "thresholds");
			for (k = 0; k < 4; k++)
				vdm_json_num(p, sub[k], v, v->thr[k]);
			op_close_object(p);
		} else {
			op_null(p, "thresholds", NULL);
		}
		op_close_object(p);
	}
	op_close_array(p);
}

void optic_model_print(struct optic_print *p, const struct optic_model *m,
		       unsigned int sections)
{
	bool flags = sections & (1u << OPTIC_S_LANE_FLAG);

	if (sections & OPTIC_SHOW_IDENTITY) {
		op_string(p, "spec", NULL,
			  m->spec == OPTIC_SPEC_CMIS	? "cmis" :
			  m->spec == OPTIC_SPEC_SFF8636 ? "sff8636" :
			  m->spec == OPTIC_SPEC_SFF8472 ? "sff8472" :
							  "unknown");
		print_plain(p, m, OPTIC_S_IDENTITY);
	}
	if (sections & OPTIC_SHOW_STATUS)
		print_plain(p, m, OPTIC_S_STATUS);
	if (sections & OPTIC_SHOW_MONITOR)
		print_plain(p, m, OPTIC_S_MONITOR);
	if ((sections & OPTIC_SHOW_CAL) && has_sect(m, OPTIC_S_CAL)) {
		op_text(p, "\tExternal calibration:\n");
		op_open_object(p, "calibration");
		print_level(p, m, OPTIC_S_CAL, 1);
		op_close_object(p);
	}
	if ((sections & OPTIC_SHOW_APP) && m->napps)
		print_indexed(p, m, OPTIC_S_APP, OPTIC_S_APP, false,
			      "applications", "app", "Application");
	if (sections & (1u << OPTIC_S_FLAG))
		print_module_flags(p, m);
	if (sections & OPTIC_SHOW_LANE)
		print_indexed(p, m, OPTIC_S_LANE, OPTIC_S_LANE_FLAG, flags,
			      "lanes", "lane", "Lane");
	if (sections & OPTIC_SHOW_THRESHOLD)
		print_thresholds(p, m);
	if (sections & OPTIC_SHOW_VDM)
		print_vdm(p, m);
}
