// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl list: one line per port. A row comes from the driver's MODULE_GET
 * dump alone when the driver's poll keeps the module's flags (and its
 * temperature) fresh; only other modules are read.
 */
#include <math.h>

#include "opticctl.h"

static const char *const sev_names[] = { "none", "warning", "alarm", "fault" };

/* What a row shows, from either source. */
struct row {
	char type_buf[24];
	const char *type;
	const char *vendor_name;
	const char *vendor_pn;
	const char *state;
	bool fault; /* ModuleFault: outranks any flag */
	bool has_temp;
	double temp_c;
	int worst_sev;
	struct optic_flag_hit worst;
};

static const char *or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static void print_worst(struct optic_print *p, const struct row *r)
{
	char buf[96];

	if (r->fault) {
		op_string(p, "worst_severity", NULL, sev_names[3]);
		op_string(p, "worst_flag", "%s\n", "module_fault");
	} else if (r->worst.f) {
		op_string(p, "worst_severity", NULL,
			  sev_names[r->worst_sev & 3]);
		op_string(p, "worst_flag", NULL, r->worst.f->json_key);
		if (r->worst.lane >= 0) {
			op_uint(p, "worst_lane", NULL, r->worst.lane + 1);
			snprintf(buf, sizeof(buf), "%s (lane %d)",
				 r->worst.f->name, r->worst.lane + 1);
		} else {
			snprintf(buf, sizeof(buf), "%s", r->worst.f->name);
		}
		op_text(p, "%s\n", buf);
	} else {
		op_string(p, "worst_severity", NULL, sev_names[0]);
		op_null(p, "worst_flag", "none\n");
	}
}

static void print_row(struct oc *c, const struct optic_module_info *info,
		      const struct row *r)
{
	struct optic_print *p = c->p;
	char buf[32];

	op_open_object(p, NULL);
	op_string(p, "port", "%-12s ", info->name);
	op_bool(p, "present", "%-7s ", info->present);
	if (!info->present || !r) {
		op_text(p, "%s\n",
			info->present ? "error reading module" : "-");
		op_close_object(p);
		return;
	}
	op_uint(p, "identifier", NULL, info->identifier);
	op_string(p, "type", "%-24s ", or_dash(r->type));
	op_string(p, "spec", NULL, optic_spec_name(info->spec));
	op_string(p, "vendor_name", "%-16s ", or_dash(r->vendor_name));
	op_string(p, "vendor_pn", "%-16s ", or_dash(r->vendor_pn));
	op_string(p, "module_state", "%-8s ", r->state ?: "unknown");
	if (r->has_temp) {
		op_float(p, "temperature_c", NULL, r->temp_c, 2);
		snprintf(buf, sizeof(buf), "%.1f°C", r->temp_c);
		/* "°" is two bytes but one column */
		op_text(p, "%-10s ", buf);
	} else {
		op_null(p, "temperature_c", "-         ");
	}
	print_worst(p, r);
	op_close_object(p);
}

/* A row from what the driver tracks; false when it does not track enough. */
static bool row_from_driver(const struct optic_module_info *info, struct row *r)
{
	int sev;

	if (!info->nflags || !(info->attrs & OPTIC_ATTR(OPTIC_A_IDENTIFIER)))
		return false;
	sev = optic_flags_worst(info->spec, info->lane_count, info->flags,
				info->nflags, &r->worst);
	if (sev < 0)
		return false;
	r->worst_sev = sev;
	r->type = optic_code_name(&optic_sff8024_identifier, info->identifier);
	if (!r->type) {
		snprintf(r->type_buf, sizeof(r->type_buf), "unknown (0x%02x)",
			 info->identifier);
		r->type = r->type_buf;
	}
	r->vendor_name = info->vendor_name;
	r->vendor_pn = info->vendor_pn;
	r->state = optic_state_name(info->state);
	r->fault = info->state == OPTIC_STATE_FAULT;
	r->has_temp = info->has_temperature;
	r->temp_c = info->temperature / 256.0;
	return true;
}

static const char *model_str(const struct optic_model *m, const char *key)
{
	const struct optic_value *v = optic_model_get(m, key, NULL, -1);

	return v ? optic_value_str(m, v) : NULL;
}

/* A row from the module's bytes, decoded. */
static void row_from_model(const struct optic_module_info *info,
			   const struct optic_model *m, struct row *r)
{
	const struct optic_value *v;
	const struct optic_code *c;

	r->type = model_str(m, "identifier");
	r->vendor_name = model_str(m, "vendor_name");
	r->vendor_pn = model_str(m, "vendor_pn");
	v = optic_model_get(m, "module_state", NULL, -1);
	c = v ? optic_value_code(m, v) : NULL;
	r->state = c ? c->json : optic_state_name(info->state);
	r->fault = v ? v->raw == OPTIC_STATE_FAULT :
		       info->state == OPTIC_STATE_FAULT;
	v = optic_model_get(m, "temperature_c", NULL, -1);
	r->has_temp = v != NULL;
	r->temp_c = v ? v->num : NAN;
	r->worst_sev = m->worst ? m->worst_sev : 0;
	r->worst.f = m->worst ? m->worst->f : NULL;
	r->worst.lane = m->worst && m->worst->f->sect == OPTIC_S_LANE_FLAG ?
				(int)m->worst->index :
				-1;
}

/* List one port: 0, or an exit status. */
static int list_port(struct oc *c, const struct optic_module_info *info)
{
	struct row r = {};
	struct optic_image img;
	struct optic_model m = {};
	int ret = OC_OK, e;

	if (!info->present || row_from_driver(info, &r)) {
		print_row(c, info, &r);
		return OC_OK;
	}
	optic_image_init(&img);
	e = oc_fetch(c, info->name, &img);
	if (e == 0)
		e = optic_decode(&img, &m);
	if (e < 0)
		ret = e < -OC_NODRIVER ? OC_IO : -e;
	else
		row_from_model(info, &m, &r);
	print_row(c, info, e < 0 ? NULL : &r);
	optic_model_free(&m);
	optic_image_clear(&img);
	return ret;
}

int cmd_list(struct oc *c, int argc, char **argv)
{
	_cleanup_free_ struct optic_module_info *mods = NULL;
	int r, ret = OC_OK;
	size_t n, i;

	if (argc > 1)
		return oc_usage("usage: opticctl list");
	r = oc_ports(c, &mods, &n);
	if (r < 0)
		return -r;
	op_text(c->p, "%-12s %-7s %-24s %-16s %-16s %-8s %-9s %s\n", "PORT",
		"PRESENT", "TYPE", "VENDOR", "PN", "STATE", "TEMP", "ALARM");
	op_open_array(c->p, NULL);
	for (i = 0; i < n; i++) {
		r = list_port(c, &mods[i]);
		if (r != OC_OK)
			ret = r;
	}
	op_close_array(c->p);
	return ret;
}
