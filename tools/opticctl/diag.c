// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl diag: CMIS module performance diagnostics, pages 13h-14h
 * (lib/diag.c; the registers and the sequence are docs/diag.md).
 *   diag PORT                         what the module supports, what is on
 *   diag PORT loopback KIND on|off    a loopback, per lane where it can
 *   diag PORT prbs --pattern P --side host|media --seconds N [--lanes L]
 *                                     generator and checker for N seconds,
 *                                     per-lane bits, errors, BER and SNR
 * A PRBS run puts the module's generators, checkers, loopbacks and
 * diagnostics selector back as they were: afterwards, after Ctrl-C
 * (SIGINT, SIGTERM) and after a failed step; a pulled module ends it at
 * once.
 */
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "app.h"
#include "diag.h"
#include "opticctl.h"

#define DIAG_USAGE                                                                                                \
	"usage: opticctl diag PORT [--json]\n"                                                                    \
	"       opticctl diag PORT loopback host-input|host-output|media-input|media-output on|off [--lanes L]\n" \
	"       opticctl diag PORT prbs --pattern P --side host|media --seconds N [--lanes L] [--json]"
#define DIAG_MAX_SECONDS 86400
#define DIAG_POLL_MS 200
#define DIAG_LOWER_LANE_COUNTS 88 /* application 1: host << 4 | media */
#define DIAG_P01_PAGES 142

static volatile sig_atomic_t diag_stop;

static void on_signal(int sig)
{
	diag_stop = sig;
}

/* The port, its capabilities and lanes, and the transport to it. */
struct diag_job {
	struct oc *c;
	struct optic_module_info info;
	struct optic_diag_caps caps;
	unsigned int lanes[OPTIC_DIAG_SIDES];
	struct optic_diag_io io;
};

static int nl_read(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		   uint16_t len, uint8_t *buf)
{
	struct diag_job *j = ctx;
	int r = optic_nl_eeprom_read(j->c->nl, j->info.name, OPTIC_ADDR_A0,
				     page, bank, off, len, buf);

	return r < 0 ? r : r == len ? 0 : -EIO;
}

static int nl_write(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		    uint16_t len, const uint8_t *buf)
{
	struct diag_job *j = ctx;

	return optic_nl_eeprom_write(j->c->nl, j->info.name, OPTIC_ADDR_A0,
				     page, bank, off, len, buf);
}

/* A failed access: a pulled module, a refused write, or else the error. */
static int diag_fail(struct diag_job *j, int r, const char *what)
{
	if (r == -EPERM || r == -EACCES)
		return oc_fail(
			j->c, r,
			"%s: %s writes module registers (needs CAP_NET_ADMIN: run as root)",
			j->info.name, what);
	if (optic_nl_cage_empty(j->c->nl, j->info.name)) {
		fflush(stdout);
		fprintf(stderr, "opticctl: %s: module removed during %s\n",
			j->info.name, what);
		return OC_IO;
	}
	return oc_fail(j->c, r, "%s: %s", j->info.name, what);
}

static int refuse(const struct diag_job *j, int status, const char *why)
{
	fflush(stdout);
	fprintf(stderr, "opticctl: %s: %s\n", j->info.name, why);
	return status;
}

static int check_module(struct diag_job *j)
{
	if (!j->info.present)
		return refuse(j, OC_NOTFOUND, "no module present");
	if (j->info.spec != OPTIC_SPEC_CMIS || j->info.flat_mem) {
		fflush(stdout);
		fprintf(stderr,
			"opticctl: %s: diagnostics need a paged CMIS module (pages 13h-14h); this one is %s%s\n",
			j->info.name,
			optic_spec_name(j->info.spec) ?: "unknown",
			j->info.flat_mem ? " with flat memory" : "");
		return OC_NOTFOUND;
	}
	return OC_OK;
}

/* The port, checked for pages 13h-14h, with its capabilities read. */
static int diag_load(struct oc *c, struct diag_job *j, const char *port)
{
	uint8_t p142, counts;
	int r;

	j->c = c;
	j->io = (struct optic_diag_io){ nl_read, nl_write, NULL, j };
	r = oc_port(c, port, &j->info);
	if (r < 0)
		return -r;
	r = check_module(j);
	if (r)
		return r;
	r = nl_read(j, 0x01, 0, DIAG_P01_PAGES, 1, &p142);
	if (r < 0)
		return diag_fail(j, r, "reading page 01h");
	if (!optic_diag_advertised(p142))
		return refuse(
			j, OC_NOTFOUND,
			"module does not advertise diagnostic pages 13h-14h (CMIS page 01h byte 142 bit 5)");
	r = nl_read(j, 0, 0, DIAG_LOWER_LANE_COUNTS, 1, &counts);
	if (r >= 0)
		r = optic_diag_read_caps(&j->io, &j->caps);
	if (r < 0)
		return diag_fail(j, r, "reading page 13h");
	j->lanes[OPTIC_DIAG_HOST] =
		MIN(j->info.lane_count, OPTIC_DIAG_MAX_LANES);
	j->lanes[OPTIC_DIAG_MEDIA] =
		optic_diag_media_lanes(j->lanes[OPTIC_DIAG_HOST], counts);
	return OC_OK;
}

static uint32_t side_lanes(const struct diag_job *j, enum optic_diag_side s)
{
	return j->lanes[s] >= 32 ? UINT32_MAX :
				   (UINT32_C(1) << j->lanes[s]) - 1;
}

/* --lanes on @s: all lanes when not given; lanes past the side refused. */
static int pick_lanes(const struct diag_job *j, enum optic_diag_side s,
		      uint32_t *lanes)
{
	char buf[OPTIC_LANES_TEXT];

	if (*lanes == UINT32_MAX) {
		*lanes = side_lanes(j, s);
		return OC_OK;
	}
	if (!(*lanes & ~side_lanes(j, s)))
		return OC_OK;
	optic_lanes_format(*lanes & ~side_lanes(j, s), buf, sizeof(buf));
	return oc_usage("%s: lanes %s: the module has %u %s lanes",
			j->info.name, buf, j->lanes[s],
			optic_diag_side_name(s)->name);
}

/* ---- printing ---- */

static void print_lanes(struct optic_print *p, const char *key, uint32_t lanes)
{
	char buf[OPTIC_LANES_TEXT];
	unsigned int l;

	optic_lanes_format(lanes, buf, sizeof(buf));
	op_text(p, "%s\n", lanes ? buf : "-");
	op_open_array(p, key);
	for (l = 0; l < 32; l++)
		if (lanes >> l & 1)
			op_uint(p, NULL, NULL, l + 1);
	op_close_array(p);
}

static void print_yes_no(struct optic_print *p, const char *label,
			 const char *key, bool v)
{
	op_text(p, "\t%-42s: ", label);
	op_bool(p, key, "%s\n", v);
}

static void print_patterns(struct optic_print *p, uint16_t ids)
{
	unsigned int id;
	bool first = true;

	op_open_array(p, "patterns");
	for (id = 0; id < OPTIC_DIAG_PATTERNS; id++) {
		if (!(ids >> id & 1) || !optic_diag_pattern_name(id))
			continue;
		op_string(p, NULL, first ? "%s" : " %s",
			  optic_diag_pattern_name(id));
		first = false;
	}
	op_close_array(p);
	op_text(p, "%s\n", first ? "-" : "");
}

static void print_flags(struct optic_print *p, const struct optic_diag_caps *c,
			const char *group)
{
	unsigned int f;
	char label[64];

	for (f = 0; f < OPTIC_DIAG_FLAGS; f++) {
		const struct optic_diag_name *n = optic_diag_flag_name(f);

		if (!streq(optic_diag_flag_group(f), group))
			continue;
		snprintf(label, sizeof(label), "%c%s", n->name[0] & ~0x20,
			 n->name + 1);
		print_yes_no(p, label, n->key, optic_diag_flag(c, f));
	}
}

/* The loopbacks the module has, and on which lanes each is on. */
static void print_loopbacks(struct optic_print *p, const struct diag_job *j,
			    const uint32_t on[OPTIC_LB_COUNT])
{
	unsigned int l;
	char label[64];

	op_open_object(p, "loopback");
	for (l = 0; l < OPTIC_LB_COUNT; l++) {
		snprintf(label, sizeof(label), "Loopback %s",
			 optic_diag_loopback_name(l)->name);
		print_yes_no(p, label, optic_diag_loopback_name(l)->key,
			     optic_diag_loopback_supported(&j->caps, l));
	}
	print_flags(p, &j->caps, "loopback");
	op_open_object(p, "enabled");
	for (l = 0; l < OPTIC_LB_COUNT; l++) {
		snprintf(label, sizeof(label), "Loopback %s on lanes",
			 optic_diag_loopback_name(l)->name);
		op_text(p, "\t%-42s: ", label);
		print_lanes(p, optic_diag_loopback_name(l)->key, on[l]);
	}
	op_close_object(p);
	op_close_object(p);
}

static void print_engine(struct optic_print *p, const struct diag_job *j,
			 enum optic_diag_side s, enum optic_diag_kind k,
			 uint32_t running)
{
	const char *side = optic_diag_side_name(s)->name;
	const char *kind = optic_diag_kind_name(k)->name;
	char label[64];
	unsigned int a;

	op_open_object(p, optic_diag_kind_name(k)->key);
	snprintf(label, sizeof(label), "%c%s %s", side[0] & ~0x20, side + 1,
		 kind);
	print_yes_no(p, label, "present", optic_diag_engine(&j->caps, s, k));
	for (a = 0; a < OPTIC_DIAG_ATTRS; a++) {
		snprintf(label, sizeof(label), "  %s",
			 optic_diag_attr_name(a)->name);
		print_yes_no(p, label, optic_diag_attr_name(a)->key,
			     optic_diag_attr(&j->caps, s, k, a));
	}
	op_text(p, "\t%-42s: ", "  patterns");
	print_patterns(p, optic_diag_patterns(&j->caps, s, k));
	op_text(p, "\t%-42s: ", "  running on lanes");
	print_lanes(p, "enabled", running);
	op_close_object(p);
}

/* Bank-local masks of every bank, gathered into one lane mask. */
struct diag_now {
	uint32_t lb[OPTIC_LB_COUNT];
	uint32_t run[OPTIC_DIAG_SIDES][OPTIC_DIAG_KINDS];
};

static int read_now(struct diag_job *j, struct diag_now *now)
{
	unsigned int b, l, s, k;
	unsigned int banks = (MAX(j->lanes[0], j->lanes[1]) + 7) / 8;
	struct optic_diag_ctl ctl;
	int r;

	memset(now, 0, sizeof(*now));
	for (b = 0; b < banks; b++) {
		r = optic_diag_read_ctl(&j->io, b, &ctl);
		if (r < 0)
			return diag_fail(j, r, "reading page 13h");
		for (l = 0; l < OPTIC_LB_COUNT; l++)
			now->lb[l] |= (uint32_t)optic_diag_ctl_loopback(&ctl, l)
				      << (8 * b);
		for (s = 0; s < OPTIC_DIAG_SIDES; s++)
			for (k = 0; k < OPTIC_DIAG_KINDS; k++)
				now->run[s][k] |=
					(uint32_t)optic_diag_ctl_enabled(&ctl,
									 s, k)
					<< (8 * b);
	}
	for (l = 0; l < OPTIC_LB_COUNT; l++)
		now->lb[l] &= side_lanes(j, optic_diag_loopback_side(l));
	for (s = 0; s < OPTIC_DIAG_SIDES; s++)
		for (k = 0; k < OPTIC_DIAG_KINDS; k++)
			now->run[s][k] &= side_lanes(j, s);
	return OC_OK;
}

static void print_caps(struct optic_print *p, const struct diag_job *j,
		       const struct diag_now *now)
{
	unsigned int s, k;

	op_open_object(p, NULL);
	op_string(p, "port", "%s:\n", j->info.name);
	op_text(p, "\t%-42s: ", "Host lanes, media lanes");
	op_uint(p, "host_lanes", "%" PRIu64, j->lanes[OPTIC_DIAG_HOST]);
	op_uint(p, "media_lanes", ", %" PRIu64 "\n",
		j->lanes[OPTIC_DIAG_MEDIA]);
	print_loopbacks(p, j, now->lb);
	for (s = 0; s < OPTIC_DIAG_SIDES; s++) {
		op_open_object(p, optic_diag_side_name(s)->key);
		for (k = 0; k < OPTIC_DIAG_KINDS; k++)
			print_engine(p, j, s, k, now->run[s][k]);
		op_close_object(p);
	}
	op_open_object(p, "measurement");
	op_text(p, "\t%-42s: ", "Gating");
	op_string(p, "gating", NULL, optic_diag_gating_name(&j->caps)->key);
	op_text(p, "%s\n", optic_diag_gating_name(&j->caps)->name);
	print_flags(p, &j->caps, "measurement");
	op_close_object(p);
	op_open_object(p, "reporting");
	print_flags(p, &j->caps, "reporting");
	op_close_object(p);
	op_close_object(p);
}

static int diag_show(struct diag_job *j)
{
	struct diag_now now;
	int r = read_now(j, &now);

	if (r)
		return r;
	print_caps(j->c->p, j, &now);
	return OC_OK;
}

/* ---- loopback ---- */

static int on_off(const char *s, bool *v)
{
	if (streq(s, "on") || streq(s, "off")) {
		*v = streq(s, "on");
		return 0;
	}
	return -EINVAL;
}

/* Options after a subcommand: --lanes, --pattern, --side, --seconds, --json. */
struct diag_opts {
	uint32_t lanes; /* UINT32_MAX: the side's lanes */
	const char *pattern, *side;
	long seconds;
};

static int parse_seconds(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end || *out < 1 || *out > DIAG_MAX_SECONDS)
		return oc_usage("--seconds: expected 1 to %d, not '%s'",
				DIAG_MAX_SECONDS, s);
	return OC_OK;
}

static int parse_opt(struct oc *c, struct diag_opts *o, int opt)
{
	switch (opt) {
	case 'l':
		if (oc_parse_lanes(optarg, &o->lanes) < 0)
			return oc_usage(
				"--lanes: bad lanes '%s' (e.g. 1-4, 1-4,6 or all)",
				optarg);
		return OC_OK;
	case 'p':
		o->pattern = optarg;
		return OC_OK;
	case 's':
		o->side = optarg;
		return OC_OK;
	case 't':
		return parse_seconds(optarg, &o->seconds);
	case 'j':
		return oc_json(c) ? OC_USAGE : OC_OK;
	default:
		return oc_usage(DIAG_USAGE);
	}
}

static int parse_opts(struct oc *c, struct diag_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lanes", required_argument, NULL, 'l' },
		{ "pattern", required_argument, NULL, 'p' },
		{ "side", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{}
	};
	int opt, r;

	*o = (struct diag_opts){ .lanes = UINT32_MAX };
	optind = 0;
	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		r = parse_opt(c, o, opt);
		if (r)
			return r;
	}
	if (optind != argc)
		return oc_usage("diag: unexpected '%s'\n" DIAG_USAGE,
				argv[optind]);
	return OC_OK;
}

static int diag_loopback(struct diag_job *j, int argc, char **argv)
{
	enum optic_diag_loopback l;
	struct diag_opts o;
	struct diag_now now;
	const char *why;
	uint32_t other = 0;
	unsigned int i;
	bool on;
	int r;

	if (argc < 2 || optic_diag_loopback_parse(argv[0], &l) < 0 ||
	    on_off(argv[1], &on) < 0)
		return oc_usage(DIAG_USAGE);
	r = parse_opts(j->c, &o, argc - 1, argv + 1);
	if (!r)
		r = pick_lanes(j, optic_diag_loopback_side(l), &o.lanes);
	if (!r)
		r = read_now(j, &now);
	if (r)
		return r;
	for (i = 0; i < OPTIC_LB_COUNT; i++)
		if (optic_diag_loopback_side(i) != optic_diag_loopback_side(l))
			other |= now.lb[i];
	r = optic_diag_check_loopback(&j->caps, l, o.lanes,
				      j->lanes[optic_diag_loopback_side(l)], on,
				      other, &why);
	if (r)
		return refuse(j, OC_USAGE, why);
	r = optic_diag_loopback_set(&j->io, l, o.lanes, on);
	if (r < 0)
		return diag_fail(j, r, "diag loopback");
	now.lb[l] = on ? now.lb[l] | o.lanes : now.lb[l] & ~o.lanes;
	op_open_object(j->c->p, NULL);
	op_string(j->c->p, "port", "%s: ", j->info.name);
	op_string(j->c->p, "loopback", NULL, optic_diag_loopback_name(l)->key);
	op_text(j->c->p, "loopback %s on lanes ",
		optic_diag_loopback_name(l)->name);
	print_lanes(j->c->p, "enabled", now.lb[l]);
	op_close_object(j->c->p);
	return OC_OK;
}

/* ---- prbs ---- */

struct prbs_run {
	enum optic_diag_side side;
	int pattern;
	uint32_t lanes;
	long seconds;
	double t0, elapsed; /* counting since t0: until the results are read */
	struct optic_diag_saved saved;
	bool reset; /* stopped by someone else: not restored */
	struct optic_diag_lane res[OPTIC_DIAG_MAX_LANES];
	int n;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress(const struct diag_job *j, const struct prbs_run *run,
		     double done)
{
	char bar[41];
	int i, fill = (int)(done * 40 / run->seconds);

	for (i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : ' ';
	bar[40] = '\0';
	fprintf(stderr, "\r%s: %s %s [%s] %3.0f/%ld s", j->info.name,
		optic_diag_pattern_name(run->pattern),
		optic_diag_side_name(run->side)->name, bar, floor(done),
		run->seconds);
}

/*
 * N seconds of counting: a progress bar on a terminal, the module's
 * presence checked every DIAG_POLL_MS. -EINTR on a signal, -ENODEV when
 * the module is gone.
 */
static int prbs_wait(struct diag_job *j, struct prbs_run *run)
{
	bool tty = isatty(STDERR_FILENO) && !optic_print_is_json(j->c->p);
	struct timespec poll = { 0, DIAG_POLL_MS * 1000000L };
	int r = 0;

	while ((run->elapsed = now_s() - run->t0) < run->seconds) {
		if (tty)
			progress(j, run, run->elapsed);
		if (diag_stop) {
			r = -EINTR;
			break;
		}
		if (optic_nl_cage_empty(j->c->nl, j->info.name)) {
			r = -ENODEV;
			break;
		}
		nanosleep(&poll, NULL);
	}
	if (tty) {
		if (!r)
			progress(j, run, run->seconds);
		fputc('\n', stderr);
	}
	return r;
}

/* The patterns @s can run (generator and checker), on stderr. */
static void list_patterns(const struct diag_job *j, enum optic_diag_side s)
{
	const char *why;
	unsigned int id;

	for (id = 0; id < OPTIC_DIAG_PATTERNS; id++)
		if (!optic_diag_check_prbs(&j->caps, s, id, 1, 1, &why))
			fprintf(stderr, " %s", optic_diag_pattern_name(id));
	fputc('\n', stderr);
}

static int prbs_args(struct diag_job *j, const struct diag_opts *o,
		     struct prbs_run *run)
{
	if (!o->pattern || !o->side || !o->seconds)
		return oc_usage(
			"diag prbs: --pattern, --side and --seconds are required\n" DIAG_USAGE);
	if (optic_diag_side_parse(o->side, &run->side) < 0)
		return oc_usage("--side: expected host or media, not '%s'",
				o->side);
	run->pattern = optic_diag_pattern_parse(o->pattern);
	if (run->pattern < 0) {
		fflush(stdout);
		fprintf(stderr,
			"opticctl: --pattern: unknown pattern '%s'; the %s side of %s runs:",
			o->pattern, o->side, j->info.name);
		list_patterns(j, run->side);
		return OC_USAGE;
	}
	run->lanes = o->lanes;
	run->seconds = o->seconds;
	return pick_lanes(j, run->side, &run->lanes);
}

/* Start, wait, read: the results in @run, or a status (state not restored). */
static int prbs_measure(struct diag_job *j, struct prbs_run *run)
{
	int r;

	r = optic_diag_prbs_start(&j->io, &run->saved, run->side, run->pattern,
				  run->lanes);
	if (r < 0)
		return diag_fail(j, r, "diag prbs");
	run->t0 = now_s();
	r = prbs_wait(j, run);
	if (r == -EINTR) {
		fflush(stdout);
		fprintf(stderr, "opticctl: %s: PRBS run interrupted (%s)\n",
			j->info.name, strsignal(diag_stop));
		return OC_IO;
	}
	if (r == 0)
		r = optic_diag_prbs_running(&j->io, run->side, run->lanes);
	if (r == 0) {
		run->reset = true;
		return refuse(
			j, OC_IO,
			"the module's generators or checkers stopped during the PRBS run (a reset?): no results, its diagnostics state left as it is");
	}
	if (r > 0)
		r = optic_diag_prbs_results(&j->io, &j->caps, run->side,
					    run->lanes, run->res,
					    ARRAY_SIZE(run->res));
	if (r < 0)
		return diag_fail(j, r, "the PRBS run");
	run->elapsed = now_s() - run->t0;
	run->n = r;
	return OC_OK;
}

static void print_count(struct optic_print *p, const char *key, int width,
			const struct optic_diag_lane *e, uint64_t v)
{
	if (e->counted) {
		op_uint(p, key, NULL, v);
		op_text(p, " %*" PRIu64, width, v);
	} else {
		op_null(p, key, NULL);
		op_text(p, " %*s", width, "-");
	}
}

/*
 * @v in text @width wide, @prec decimals (when @prec < 0: -@prec
 * significant digits, exponent form) or "-" when NaN; in JSON as op_float
 * (null when NaN).
 */
static void print_float(struct optic_print *p, const char *key, int width,
			double v, int prec)
{
	op_float(p, key, NULL, v, prec);
	if (isnan(v))
		op_text(p, " %*s", width, "-");
	else if (prec < 0)
		op_text(p, " %*.*e", width, -prec - 1, v);
	else
		op_text(p, " %*.*f", width, prec, v);
}

static void print_results(struct optic_print *p, const struct diag_job *j,
			  const struct prbs_run *run)
{
	int i;

	op_open_object(p, NULL);
	op_string(p, "port", "%s: ", j->info.name);
	op_string(p, "pattern", "%s", optic_diag_pattern_name(run->pattern));
	op_string(p, "side", " on %s lanes ",
		  optic_diag_side_name(run->side)->key);
	print_lanes(p, "lanes", run->lanes);
	op_uint(p, "seconds", NULL, run->seconds);
	op_float(p, "elapsed_seconds", NULL, run->elapsed, 3);
	op_text(p, "\t%4s %20s %16s %10s %7s  %s\n", "lane", "bits", "errors",
		"BER", "SNR dB", "lock");
	op_open_array(p, "results");
	for (i = 0; i < run->n; i++) {
		const struct optic_diag_lane *e = &run->res[i];

		op_open_object(p, NULL);
		op_uint(p, "lane", "\t%4" PRIu64, e->lane);
		print_count(p, "bits", 20, e, e->bits);
		print_count(p, "errors", 16, e, e->errors);
		print_float(p, "ber", 10, e->ber, -3);
		print_float(p, "snr_db", 7, e->snr_db, 3);
		op_bool(p, "lock_lost", NULL, e->lock_lost);
		op_text(p, "  %s\n", e->lock_lost ? "lost" : "ok");
		op_close_object(p);
	}
	op_close_array(p);
	op_close_object(p);
}

static int diag_prbs(struct diag_job *j, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	struct prbs_run run = {};
	struct diag_opts o;
	const char *why;
	int r, rr;

	r = parse_opts(j->c, &o, argc, argv);
	if (!r)
		r = prbs_args(j, &o, &run);
	if (r)
		return r;
	if (optic_diag_check_prbs(&j->caps, run.side, run.pattern, run.lanes,
				  j->lanes[run.side], &why)) {
		refuse(j, OC_USAGE, why);
		fprintf(stderr, "opticctl: %s: the %s side runs:", j->info.name,
			o.side);
		list_patterns(j, run.side);
		return OC_USAGE;
	}
	r = optic_diag_save(&j->io, run.lanes, &run.saved);
	if (r < 0)
		return diag_fail(j, r, "reading page 13h");
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	r = prbs_measure(j, &run);
	/* a pulled module has nothing to restore, a reset one its own state */
	rr = run.reset || (r == OC_IO &&
			   optic_nl_cage_empty(j->c->nl, j->info.name)) ?
		     0 :
		     optic_diag_restore(&j->io, &run.saved);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (rr < 0 && rr != -EPERM) {
		diag_fail(j, rr, "restoring the diagnostics state");
		return OC_IO;
	}
	if (r)
		return r;
	print_results(j->c->p, j, &run);
	return OC_OK;
}

int cmd_diag(struct oc *c, int argc, char **argv)
{
	struct diag_job j = {};
	struct diag_opts o;
	int r;

	if (argc < 2 || argv[1][0] == '-')
		return oc_usage(DIAG_USAGE);
	r = diag_load(c, &j, argv[1]);
	if (r)
		return r;
	if (argc > 2 && streq(argv[2], "loopback"))
		return diag_loopback(&j, argc - 3, argv + 3);
	if (argc > 2 && streq(argv[2], "prbs"))
		return diag_prbs(&j, argc - 2, argv + 2);
	r = parse_opts(c, &o, argc - 1, argv + 1);
	if (r)
		return r;
	if (o.lanes != UINT32_MAX || o.pattern || o.side || o.seconds)
		return oc_usage(DIAG_USAGE);
	return diag_show(&j);
}
