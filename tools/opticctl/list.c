// SPDX-License-Identifier: GPL-2.0-or-later
/* opticctl list: one line per port. */
#include <math.h>

#include "opticctl.h"

static const char *const sev_names[] = { "none", "warning", "alarm", "fault" };

static void print_row(struct oc *c, const struct optic_module_info *info,
		      const struct optic_model *m, bool ok)
{
	struct optic_print *p = c->p;
	const struct optic_value *v;
	char buf[96];

	op_open_object(p, NULL);
	op_string(p, "port", "%-12s ", info->name);
	op_bool(p, "present", "%-7s ", info->present);
	if (!info->present || !ok) {
		op_text(p, "%s\n",
			info->present ? "error reading module" : "-");
		op_close_object(p);
		return;
	}
	v = optic_model_get(m, "identifier", NULL, -1);
	op_uint(p, "identifier", NULL, m->identifier);
	op_string(p, "type", "%-24s ", v ? v->str : "-");
	op_string(p, "spec", NULL, optic_spec_name(m->spec));
	v = optic_model_get(m, "vendor_name", NULL, -1);
	op_string(p, "vendor_name", "%-16s ", v && v->str[0] ? v->str : "-");
	v = optic_model_get(m, "vendor_pn", NULL, -1);
	op_string(p, "vendor_pn", "%-16s ", v && v->str[0] ? v->str : "-");
	v = optic_model_get(m, "module_state", NULL, -1);
	op_string(p, "module_state", "%-8s ",
		  v && v->code			? v->code->json :
		  optic_state_name(info->state) ?:
						  "unknown");
	v = optic_model_get(m, "temperature_c", NULL, -1);
	if (v) {
		op_float(p, "temperature_c", NULL, v->num, 2);
		snprintf(buf, sizeof(buf), "%.1f°C", v->num);
		/* "°" is two bytes but one column */
		op_text(p, "%-10s ", buf);
	} else {
		op_null(p, "temperature_c", "-         ");
	}
	v = optic_model_get(m, "module_state", NULL, -1);
	if ((v && v->raw == OPTIC_STATE_FAULT) ||
	    (!v && info->state == OPTIC_STATE_FAULT)) {
		/* a module in ModuleFault outranks any flag */
		op_string(p, "worst_severity", NULL, sev_names[3]);
		op_string(p, "worst_flag", "%s\n", "module_fault");
	} else if (m->worst) {
		op_string(p, "worst_severity", NULL, sev_names[m->worst_sev & 3]);
		op_string(p, "worst_flag", NULL, m->worst->f->json_key);
		if (m->worst->f->sect == OPTIC_S_LANE_FLAG) {
			op_uint(p, "worst_lane", NULL, m->worst->index + 1);
			snprintf(buf, sizeof(buf), "%s (lane %u)",
				 m->worst->f->name, m->worst->index + 1);
		} else {
			snprintf(buf, sizeof(buf), "%s", m->worst->f->name);
		}
		op_text(p, "%s\n", buf);
	} else {
		op_string(p, "worst_severity", NULL, sev_names[0]);
		op_null(p, "worst_flag", "none\n");
	}
	op_close_object(p);
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
		struct optic_image img;
		struct optic_model m = {};
		bool ok = false;

		optic_image_init(&img);
		if (mods[i].present) {
			r = oc_fetch(c, mods[i].name, &img);
			if (r == 0)
				r = optic_decode(&img, &m);
			if (r < 0)
				ret = r < -OC_NODRIVER ? OC_IO : -r;
			ok = r == 0;
		}
		print_row(c, &mods[i], &m, ok);
		optic_model_free(&m);
		optic_image_clear(&img);
	}
	op_close_array(c->p);
	return ret;
}
