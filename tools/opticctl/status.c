// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl status: the daemon's view, from opticd's status socket. JSON
 * output is the daemon's document as it sent it, its ports' link events
 * printed by the printer the text uses; text is a summary.
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

static uint64_t juint(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	return (uint64_t)json_object_get_int64(v);
}

/* One link-affecting record: when, which lane, the flag, its RX power. */
static void print_link(struct optic_print *p, const char *port, json_object *e)
{
	uint64_t ns = juint(e, "realtime_ns");
	time_t t = (time_t)(ns / 1000000000u);
	char when[32] = "-";
	json_object *v;

	strftime(when, sizeof(when), "%F %T", localtime(&t));
	op_open_object(p, NULL);
	op_text(p, "%s.%06u %-12s ", when,
		(unsigned int)(ns % 1000000000u / 1000u), port);
	op_uint(p, "seq", NULL, juint(e, "seq"));
	op_uint(p, "realtime_ns", NULL, ns);
	if (json_object_object_get_ex(e, "lane", &v))
		op_uint(p, "lane", "lane %-3" PRIu64, juint(e, "lane"));
	else
		op_text(p, "%-8s", "module");
	op_string(p, "flag", " %-13s", jstr(e, "flag"));
	if (json_object_object_get_ex(e, "rx_power_mw", &v) && v)
		op_float(p, "rx_power_mw", " rx %.4f mW",
			 json_object_get_double(v), 4);
	else
		op_null(p, "rx_power_mw", " rx -");
	op_text(p, " (record %" PRIu64 ")\n", juint(e, "seq"));
	op_close_object(p);
}

static void print_links(struct optic_print *p, json_object *port)
{
	json_object *a;

	if (!json_object_object_get_ex(port, "link_events", &a) ||
	    !json_object_is_type(a, json_type_array))
		return;
	op_open_array(p, "link_events");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		print_link(p, jstr(port, "port"),
			   json_object_array_get_idx(a, i));
	op_close_array(p);
}

/* JSON: the document as sent, each port's link events through the printer. */
static void print_json(struct optic_print *p, json_object *doc)
{
	op_open_object(p, NULL);
	json_object_object_foreach(doc, key, val) {
		if (!streq(key, "ports") ||
		    !json_object_is_type(val, json_type_array)) {
			op_json_object(p, key, val);
			continue;
		}
		op_open_array(p, "ports");
		for (size_t i = 0; i < json_object_array_length(val); i++) {
			json_object *port = json_object_array_get_idx(val, i);

			op_open_object(p, NULL);
			json_object_object_foreach(port, k, v)
				if (!streq(k, "link_events"))
					op_json_object(p, k, v);
			print_links(p, port);
			op_close_object(p);
		}
		op_close_array(p);
	}
	op_close_object(p);
}

static void print_text(struct optic_print *p, json_object *doc)
{
	json_object *ports, *actions;
	size_t i, nlinks = 0;

	op_text(p, "opticd %s, driver %s, config %s\n", jstr(doc, "version"),
		jstr(doc, "driver"), jstr(doc, "config"));
	op_text(p, "\n%-12s %-7s %-8s %-16s %-10s %s\n", "PORT", "PRESENT",
		"STATE", "PN", "TEMP", "ALERTS");
	if (!json_object_object_get_ex(doc, "ports", &ports) ||
	    !json_object_is_type(ports, json_type_array))
		ports = NULL;
	for (i = 0; ports && i < json_object_array_length(ports); i++) {
		json_object *port = json_object_array_get_idx(ports, i), *a;

		print_port(p, port);
		if (json_object_object_get_ex(port, "link_events", &a) &&
		    json_object_is_type(a, json_type_array))
			nlinks += json_object_array_length(a);
	}
	if (nlinks) {
		op_text(p, "\nLast link events:\n");
		for (i = 0; i < json_object_array_length(ports); i++)
			print_links(p, json_object_array_get_idx(ports, i));
	}
	if (json_object_object_get_ex(doc, "actions", &actions) &&
	    json_object_is_type(actions, json_type_array) &&
	    json_object_array_length(actions)) {
		op_text(p, "\nRecent actions:\n");
		for (i = 0; i < json_object_array_length(actions); i++)
			print_action(p, json_object_array_get_idx(actions, i));
	}
}

int cmd_status(struct oc *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' }, {}
	};
	_cleanup_(json_object_putp) json_object *doc = NULL;
	_cleanup_free_ char *text = NULL;
	const char *path = OPTIC_STATUS_SOCKET;
	size_t len;
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
	doc = json_tokener_parse(text);
	if (!doc || !json_object_is_type(doc, json_type_object))
		return oc_fail(NULL, -EBADMSG, "%s: not a JSON document", path);
	if (optic_print_is_json(c->p))
		print_json(c->p, doc);
	else
		print_text(c->p, doc);
	return OC_OK;
}
