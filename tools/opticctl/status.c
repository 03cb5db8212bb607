// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl status: the daemon's view, from opticd's status socket. JSON
 * output is the daemon's document as it sent it; text is a summary.
 */
#include <getopt.h>
#include <time.h>

#include <json-c/json.h>

#include "opticctl.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(json_object *, json_object_put)

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return "-";
	return json_object_get_string(v);
}

static void print_port(struct optic_print *p, json_object *port)
{
	json_object *v, *alerts;
	char temp[32] = "-";
	size_t n = 0;

	if (json_object_object_get_ex(port, "temperature_c", &v) && v)
		snprintf(temp, sizeof(temp), "%.1f°C",
			 json_object_get_double(v));
	if (json_object_object_get_ex(port, "threshold_alerts", &alerts) &&
	    json_object_is_type(alerts, json_type_array))
		n = json_object_array_length(alerts);
	/* "°" is two bytes but one column */
	op_text(p, "%-12s %-7s %-8s %-16s %-*s %zu\n", jstr(port, "port"),
		json_object_object_get_ex(port, "present", &v) &&
				json_object_get_boolean(v) ?
			"yes" :
			"no",
		jstr(port, "state"), jstr(port, "pn"),
		strchr(temp, '.') ? 11 : 10, temp, n);
}

static void print_action(struct optic_print *p, json_object *a)
{
	json_object *v;
	char when[32] = "-";
	time_t t;

	if (json_object_object_get_ex(a, "time", &v)) {
		t = json_object_get_int64(v);
		strftime(when, sizeof(when), "%F %T", localtime(&t));
	}
	op_text(p, "%s %-12s %-10s %-8s %s\n", when, jstr(a, "port"),
		jstr(a, "policy"), jstr(a, "action"), jstr(a, "message"));
}

int cmd_status(struct oc *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' }, {}
	};
	_cleanup_(json_object_putp) json_object *doc = NULL;
	_cleanup_free_ char *text = NULL;
	const char *path = OPTIC_STATUS_SOCKET;
	json_object *ports, *actions;
	size_t len, i;
	int o, r;

	optind = 0;
	while ((o = getopt_long(argc, argv, "s:", opts, NULL)) != -1) {
		if (o != 's')
			return oc_usage(
				"usage: opticctl status [--socket PATH]");
		path = optarg;
	}
	if (optind != argc)
		return oc_usage("usage: opticctl status [--socket PATH]");
	r = optic_status_fetch(path, &text, &len);
	if (r == -ENOENT || r == -ECONNREFUSED) {
		fprintf(stderr, "opticctl: opticd is not running (%s: %s)\n",
			path, strerror(-r));
		return OC_NOTFOUND;
	}
	if (r < 0)
		return oc_fail(NULL, r, "reading %s", path);
	if (optic_print_is_json(c->p)) {
		op_json_text(c->p, NULL, text);
		return OC_OK;
	}
	doc = json_tokener_parse(text);
	if (!doc)
		return oc_fail(NULL, -EBADMSG, "%s: not a JSON document", path);
	op_text(c->p, "opticd %s, driver %s, config %s\n", jstr(doc, "version"),
		jstr(doc, "driver"), jstr(doc, "config"));
	op_text(c->p, "\n%-12s %-7s %-8s %-16s %-10s %s\n", "PORT", "PRESENT",
		"STATE", "PN", "TEMP", "ALERTS");
	if (json_object_object_get_ex(doc, "ports", &ports) &&
	    json_object_is_type(ports, json_type_array))
		for (i = 0; i < json_object_array_length(ports); i++)
			print_port(c->p, json_object_array_get_idx(ports, i));
	if (json_object_object_get_ex(doc, "actions", &actions) &&
	    json_object_is_type(actions, json_type_array) &&
	    json_object_array_length(actions)) {
		op_text(c->p, "\nRecent actions:\n");
		for (i = 0; i < json_object_array_length(actions); i++)
			print_action(c->p,
				     json_object_array_get_idx(actions, i));
	}
	return OC_OK;
}
