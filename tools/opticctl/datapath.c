// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl set PORT application | datapath: CMIS application and data-path
 * control (CMIS 5.2 6.3.3) through OPTIC_CMD_DATAPATH_SET. What the driver
 * would refuse is checked here first, to say why in the operator's terms
 * (1-based lanes, interface names); the driver checks again and its
 * extack text is printed for what it refuses.
 */
#include <getopt.h>
#include <signal.h>
#include <sys/time.h>

#include "app.h"
#include "opticctl.h"

#define APP_USAGE                                                                               \
	"usage: opticctl set PORT application APPSEL|NAME [--lanes L] [--immediate] [--json]\n" \
	"       opticctl set PORT datapath LANES on|off [--json]"

/* What one invocation asks, and the module it asks it of. */
struct dp_job {
	const char *what; /* "application" or "datapath" */
	struct optic_module_info info;
	struct optic_image img;
	struct optic_app app; /* application: the one asked for */
	struct optic_dp_request req;
	struct optic_datapath before, after;
};

/* A progress line on a TTY while the driver waits for the module. */
static volatile sig_atomic_t waited;

static void on_tick(int sig)
{
	char buf[64] = "\ropticctl: waiting for the module: ";
	size_t n = strlen(buf);
	unsigned int s = ++waited;
	char digits[12];
	int d = 0;

	(void)sig;
	do
		digits[d++] = '0' + s % 10;
	while ((s /= 10) && d < (int)sizeof(digits));
	while (d)
		buf[n++] = digits[--d];
	buf[n++] = ' ';
	buf[n++] = 's';
	/* a progress line that cannot be written is no error */
	(void)!write(STDERR_FILENO, buf, n);
}

static void ticker(bool on)
{
	struct itimerval it = { 0 };
	struct sigaction sa = { .sa_handler = on_tick, .sa_flags = SA_RESTART };

	if (!isatty(STDERR_FILENO))
		return;
	if (on) {
		waited = 0;
		sigaction(SIGALRM, &sa, NULL);
		it.it_value.tv_sec = it.it_interval.tv_sec = 1;
	}
	setitimer(ITIMER_REAL, &it, NULL);
	if (!on && waited)
		fputs("\r\033[K", stderr);
}

/* The lanes of the data path lane @l is in now (0 when in none). */
static uint32_t dp_of(const struct optic_datapath *dp, unsigned int l)
{
	uint32_t m = 0;
	unsigned int k, bank = l / 8;

	if (!dp->app[l])
		return 0;
	for (k = bank * 8; k < dp->lanes && k < bank * 8 + 8; k++)
		if (dp->app[k] == dp->app[l] && dp->dpid[k] == dp->dpid[l])
			m |= 1u << k;
	return m;
}

/* CMIS 6.3.3: a data path changes as a whole. */
static int check_whole_dps(const struct dp_job *j)
{
	char want[OPTIC_LANES_TEXT], whole[OPTIC_LANES_TEXT];
	unsigned int l;
	uint32_t m;

	for (l = 0; l < j->before.lanes; l++) {
		m = dp_of(&j->before, l);
		if (!(j->req.lanes & (1u << l)) || (m & j->req.lanes) == m)
			continue;
		optic_lanes_format(j->req.lanes, want, sizeof(want));
		optic_lanes_format(m, whole, sizeof(whole));
		return oc_usage(
			"%s: lanes %s take part of the data path on lanes %s (application %u): name all of its lanes",
			j->info.name, want, whole, j->before.app[l]);
	}
	return OC_OK;
}

static void list_apps(const struct optic_image *img, uint16_t only)
{
	char label[OPTIC_APP_LABEL];
	struct optic_app a;
	unsigned int i;

	for (i = 1; i <= 15; i++) {
		if ((only && !(only & (1u << (i - 1)))) ||
		    optic_app_get(img, i, &a) < 0)
			continue;
		optic_app_label(&a, label, sizeof(label));
		fprintf(stderr, "\t%u: %s (%u host lane%s)\n", i, label,
			a.host_lanes, a.host_lanes == 1 ? "" : "s");
	}
}

/* The application @name names on the module, or a usage error. */
static int find_app(struct dp_job *j, const char *name)
{
	uint16_t cands = 0;
	int r = optic_app_find(&j->img, name, &j->app, &cands);

	if (r == 0)
		return OC_OK;
	fflush(stdout);
	if (r == -EINVAL)
		return oc_usage(
			"application: '%s' is neither an AppSel (1-15) nor an interface name such as 400GBASE-DR4",
			name);
	if (r == -EEXIST) {
		fprintf(stderr,
			"opticctl: %s: '%s' names several applications; give one by its AppSel:\n",
			j->info.name, name);
		list_apps(&j->img, cands);
		return OC_USAGE;
	}
	fprintf(stderr,
		"opticctl: %s: the module advertises no application '%s'; it has:\n",
		j->info.name, name);
	list_apps(&j->img, 0);
	return OC_NOTFOUND;
}

static int check_cover(const struct dp_job *j)
{
	char lanes[OPTIC_LANES_TEXT], starts[OPTIC_LANES_TEXT];
	char label[OPTIC_APP_LABEL], media[48];
	uint32_t bad = 0;
	int r;

	r = optic_app_cover(&j->app, j->req.lanes, j->info.lane_count, &bad);
	if (r == 0)
		return OC_OK;
	optic_app_label(&j->app, label, sizeof(label));
	if (r == -ERANGE)
		return oc_usage("%s has %u host lanes", j->info.name,
				j->info.lane_count);
	optic_lanes_format(bad, lanes, sizeof(lanes));
	optic_app_starts(&j->app, j->info.lane_count, starts, sizeof(starts));
	optic_if_short(j->app.media_name, media, sizeof(media));
	return oc_usage(
		"%s: lane%s %s do%s not cover an instance of %s (%u host lanes starting at lane %s)",
		j->info.name, bad & (bad - 1) ? "s" : "", lanes,
		bad & (bad - 1) ? "" : "es", media, j->app.host_lanes, starts);
}

static void code_text(const struct optic_codes *t, uint8_t code, bool json,
		      char *buf, size_t size)
{
	const struct optic_code *c = optic_code_find(t, code);

	if (c)
		snprintf(buf, size, "%s", json ? c->json : c->name);
	else
		snprintf(buf, size, json ? "0x%x" : "unknown (0x%x)", code);
}

/* One lane of the result: status, data-path state, active application. */
static void print_lane(struct optic_print *p, const struct dp_job *j,
		       unsigned int l)
{
	bool json = optic_print_is_json(p);
	char st[40], dps[40], label[OPTIC_APP_LABEL] = "unused";
	struct optic_app a;
	uint8_t app = j->after.app[l];

	code_text(&optic_cmis_config_status, j->after.config_status[l], json,
		  st, sizeof(st));
	code_text(&optic_cmis_dp_state, j->after.state[l], json, dps,
		  sizeof(dps));
	if (app && optic_app_get(&j->img, app, &a) == 0)
		optic_app_label(&a, label, sizeof(label));
	else if (app)
		snprintf(label, sizeof(label), "not advertised");
	op_open_object(p, NULL);
	op_uint(p, "lane", "\tLane %" PRIu64 ": ", l + 1);
	op_string(p, "config_status", "%s, ", st);
	op_string(p, "datapath_state", "%s, ", dps);
	op_uint(p, "application", "application %" PRIu64, app);
	op_string(p, "application_description", " (%s)\n", label);
	op_close_object(p);
}

static int report(struct oc *c, const struct dp_job *j)
{
	struct optic_print *p = c->p;
	char lanes[OPTIC_LANES_TEXT], label[OPTIC_APP_LABEL];
	unsigned int l;
	int ret = OC_OK;

	optic_lanes_format(j->req.lanes, lanes, sizeof(lanes));
	op_open_object(p, NULL);
	op_string(p, "port", "%s: ", j->info.name);
	op_string(p, "lanes", "lanes %s: ", lanes);
	if (j->req.appsel) {
		optic_app_label(&j->app, label, sizeof(label));
		op_uint(p, "application", "application %" PRIu64,
			j->req.appsel);
		op_string(p, "application_description", " (%s)", label);
		op_bool(p, "immediate", NULL, j->req.immediate);
		op_text(p, "%s", j->req.immediate ? ", ApplyImmediate" : "");
	} else {
		op_bool(p, "active", NULL, j->req.activate);
		op_text(p, "data paths %s", j->req.activate ? "on" : "off");
	}
	op_text(p, "\n");
	op_open_array(p, "lane_status");
	for (l = 0; l < j->after.lanes && l < 32; l++)
		if (j->req.lanes & (1u << l))
			print_lane(p, j, l);
	op_close_array(p);
	op_close_object(p);
	for (l = 0; l < j->after.lanes && l < 32; l++) {
		char st[40];

		if (!(j->req.lanes & (1u << l)) ||
		    !optic_config_rejected(j->after.config_status[l]))
			continue;
		code_text(&optic_cmis_config_status, j->after.config_status[l],
			  false, st, sizeof(st));
		fflush(stdout);
		fprintf(stderr,
			"opticctl: %s: lane %u: the module rejected the configuration: %s\n",
			j->info.name, l + 1, st);
		ret = OC_IO;
	}
	return ret;
}

/* The driver's refusal: why, with its extack text, in the caller's terms. */
static int apply_failed(struct oc *c, const struct dp_job *j, int r)
{
	char ext[256];
	const char *why = "";

	/* read before another request replaces it */
	snprintf(ext, sizeof(ext), "%s", optic_nl_errmsg(c->nl) ?: "");
	if (r == -EPERM || r == -EACCES)
		why = " (needs CAP_NET_ADMIN: run as root)";
	else if (optic_nl_cage_empty(c->nl, j->info.name))
		why = ": the module was removed while it was being configured";
	fflush(stdout);
	fprintf(stderr, "opticctl: %s: set %s%s: %s%s%s%s\n", j->info.name,
		j->what, why, strerror(-r), *ext ? " (" : "", ext,
		*ext ? ")" : "");
	return oc_exit_code(r);
}

static int apply(struct oc *c, struct dp_job *j)
{
	int r;

	ticker(true);
	r = optic_nl_datapath_set(c->nl, j->info.name, &j->req, &j->after);
	ticker(false);
	return r < 0 ? apply_failed(c, j, r) : report(c, j);
}

/* Options after the setting: --lanes L, --immediate, --json. */
static int parse_opts(struct oc *c, struct dp_job *j, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lanes", required_argument, NULL, 'l' },
		{ "immediate", no_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{}
	};
	int o;

	optind = 0;
	while ((o = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (o) {
		case 'l':
			if (oc_parse_lanes(optarg, &j->req.lanes) < 0)
				return oc_usage(
					"--lanes: bad lanes '%s' (e.g. 1-4, 5,6 or all)",
					optarg);
			break;
		case 'i':
			j->req.immediate = true;
			break;
		case 'j':
			if (oc_json(c))
				return OC_USAGE;
			break;
		default:
			return oc_usage(APP_USAGE);
		}
	}
	if (optind != argc)
		return oc_usage("set %s: unexpected '%s'\n" APP_USAGE, j->what,
				argv[optind]);
	return OC_OK;
}

/* The port, its image and its data paths as they are. */
static int load(struct oc *c, struct dp_job *j, const char *port)
{
	int r = oc_port(c, port, &j->info);

	if (r < 0)
		return -r;
	if (!j->info.present) {
		fprintf(stderr, "opticctl: %s: no module present\n",
			j->info.name);
		return OC_NOTFOUND;
	}
	if (j->info.spec != OPTIC_SPEC_CMIS) {
		fprintf(stderr,
			"opticctl: %s: %s: application and data-path control is CMIS only (this module is %s)\n",
			j->info.name, j->what, optic_spec_name(j->info.spec));
		return OC_USAGE;
	}
	if (!j->req.lanes || j->req.lanes == 0xffffffff)
		j->req.lanes = j->info.lane_count >= 32 ?
				       0xffffffff :
				       (1u << j->info.lane_count) - 1;
	else if (j->info.lane_count < 32 &&
		 (j->req.lanes >> j->info.lane_count))
		return oc_usage("%s has %u host lanes", j->info.name,
				j->info.lane_count);
	r = oc_fetch(c, j->info.name, &j->img);
	if (r < 0)
		return -r;
	r = optic_nl_datapath_get(c->nl, j->info.name, &j->before);
	if (r < 0)
		return oc_fail(c, r, "%s: reading the data paths",
			       j->info.name);
	return OC_OK;
}

static int set_application(struct oc *c, struct dp_job *j, int argc,
			   char **argv)
{
	int r;

	if (argc < 4)
		return oc_usage(APP_USAGE);
	r = parse_opts(c, j, argc - 3, argv + 3);
	if (!r)
		r = load(c, j, argv[1]);
	if (!r)
		r = find_app(j, argv[3]);
	if (!r)
		r = check_cover(j);
	if (!r)
		r = check_whole_dps(j);
	if (r)
		return r;
	j->req.appsel = j->app.appsel;
	return apply(c, j);
}

static int set_datapath(struct oc *c, struct dp_job *j, int argc, char **argv)
{
	int r;

	if (argc < 5)
		return oc_usage(APP_USAGE);
	if (oc_parse_lanes(argv[3], &j->req.lanes) < 0)
		return oc_usage(
			"datapath: bad lanes '%s' (e.g. 1-4, 5,6 or all)",
			argv[3]);
	if (streq(argv[4], "on") || streq(argv[4], "off"))
		j->req.activate = streq(argv[4], "on");
	else
		return oc_usage("datapath: expected on or off, not '%s'",
				argv[4]);
	r = parse_opts(c, j, argc - 4, argv + 4);
	if (!r)
		r = load(c, j, argv[1]);
	if (!r)
		r = check_whole_dps(j);
	return r ? r : apply(c, j);
}

int oc_set_datapath(struct oc *c, int argc, char **argv)
{
	struct dp_job j = { .what = argv[2], .req = { .activate = -1 } };
	int r;

	optic_image_init(&j.img);
	if (streq(argv[2], "application"))
		r = set_application(c, &j, argc, argv);
	else
		r = set_datapath(c, &j, argc, argv);
	optic_image_clear(&j.img);
	return r;
}
