// SPDX-License-Identifier: GPL-2.0-or-later
/* opticd.conf parsing (libinih), overrides by glob, dump. */
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "app.h"
#include "config.h"
#include "util.h"
#include "webconfig.h"

/* Rows of conf_keys[] (below), at most. */
#define KEYS_MAX 96

struct parser {
	struct config *c;
	const char *name;
	unsigned int line; /* line being parsed, counted by our reader */
	unsigned int err_line;
	char *err;
	/* Current section. */
	char section[128];
	bool in_section;
	unsigned int key_line[KEYS_MAX]; /* of each row's last value */
	int policy; /* section [policy X], else -1 */
	struct override *ov; /* section [port|vendor|pn X] */
	struct power_group *grp;
	unsigned int *group_lines; /* line of each override's group= */
};

const char *action_name(enum action a)
{
	return a == ACTION_ACT ? "act" : "log";
}

static double *thr_slot(struct thresholds *t, int i)
{
	double *slots[4] = { &t->high_alarm, &t->high_warning, &t->low_warning,
			     &t->low_alarm };

	return slots[i];
}

static void thr_override_init(struct thr_override *o)
{
	for (int m = 0; m < _MON_MAX; m++)
		o->t[m] = (struct thresholds){ NAN, NAN, NAN, NAN };
}

static void override_clear(struct override *o)
{
	free(o->glob);
	free(o->group);
}

void config_free(struct config *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->metrics_listen);
	free(c->status_socket);
	free(c->textfile);
	web_config_free(c->web);
	for (size_t i = 0; i < c->n_groups; i++)
		free(c->groups[i].name);
	free(c->groups);
	for (size_t i = 0; i < c->n_overrides; i++)
		override_clear(&c->overrides[i]);
	free(c->overrides);
	free(c);
}

int config_new_default(struct config **out)
{
	_cleanup_(config_freep) struct config *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->poll_interval_ms = 1000;
	c->poll_readers = 16;
	c->metrics_listen = strdup(OPTICD_METRICS_DEFAULT);
	c->status_socket = strdup(OPTICD_STATUS_SOCKET);
	c->textfile_interval = 15;
	c->driver_retry = 5;
	c->history = history_default_spec;
	for (int i = 0; i < _POLICY_MAX; i++)
		c->policy[i] = (struct policy_common){ true, ACTION_LOG };
	c->thr_hyst_temp = (struct hysteresis){ .abs = 1.0 };
	c->thr_hyst = (struct hysteresis){ .rel = 0.05 };
	c->thermal = (struct thermal_cfg){
		.limit = 75, .hysteresis = 5, .samples = 5, .min_interval = 60
	};
	c->thermal_mode = THERMAL_MODE_LPMODE;
	c->recovery = (struct recovery_cfg){ .max_attempts = 5,
					     .backoff_initial = 10,
					     .backoff_max = 600,
					     .ready_timeout = 0,
					     .stable = 300 };
	c->predict = (struct predict_cfg){ .horizon = 7 * 86400.0,
					   .min_points = 30,
					   .min_span = 3600 };
	c->predict_window = 86400;
	c->predict_interval = 60;
	c->flap = (struct flap_cfg){ .window = 3600, .max_events = 10 };
	c->groups = calloc(1, sizeof(*c->groups));
	if (!c->metrics_listen || !c->status_socket || !c->groups)
		return -ENOMEM;
	c->groups[0].name = strdup("host");
	if (!c->groups[0].name)
		return -ENOMEM;
	c->n_groups = 1;
	*out = TAKE_PTR(c);
	return 0;
}

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Record the first error with its line; the inih handler then returns 0. */
static int fail(struct parser *p, const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	if (p->err)
		return 0;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	p->err_line = p->line;
	if (asprintf(&p->err, "%s:%u: %s", p->name, p->line, reason) < 0)
		p->err = NULL;
	return 0;
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_double(const char *v, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(*out))
		return -EINVAL;
	return 0;
}

static int parse_uint(const char *v, unsigned int max, unsigned int *out)
{
	unsigned long n;
	char *end;

	if (*v == '-' || *v == '+')
		return -EINVAL;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || n > max)
		return -EINVAL;
	*out = n;
	return 0;
}

/* "90", "90s", "500ms", "5m", "1h", "7d": seconds, as a double. */
static int parse_duration(const char *v, double *out)
{
	static const struct {
		const char *suffix;
		double mult;
	} units[] = { { "ms", 0.001 }, { "s", 1 },    { "m", 60 },
		      { "min", 60 },   { "h", 3600 }, { "d", 86400 },
		      { "", 1 } };
	char *end;
	double n;

	errno = 0;
	n = strtod(v, &end);
	if (errno || end == v || n < 0 || !isfinite(n))
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (streq(end, units[i].suffix)) {
			*out = n * units[i].mult;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * Every key of opticd.conf is one row of conf_keys[] below (in the manner
 * of systemd's gperf tables): its section, its type, where its value lives
 * and its bounds. The parser, the validation and config_dump() all read
 * that table; a type's parse and dump functions are in key_types[].
 */
enum key_sect {
	KS_DAEMON,
	KS_HISTORY,
	KS_POLICY, /* every [policy NAME]: struct policy_common */
	KS_POLICY_0, /* [policy NAME] of policy KS_POLICY_0 + enum policy_id */
	KS_GROUP = KS_POLICY_0 + _POLICY_MAX, /* struct power_group */
	KS_OVERRIDE, /* [vendor|pn|port GLOB]: struct override */
};

enum key_type {
	KT_BOOL, /* bool */
	KT_UINT, /* unsigned int in [min, max] */
	KT_INT, /* int in [min, max] */
	KT_DOUBLE, /* double in [min, max], stored times scale */
	KT_DURATION, /* unsigned int s in [min, max] s */
	KT_DURATION_DBL, /* double s in [min, max] s */
	KT_DURATION_MS, /* unsigned int ms in [min, max] s */
	KT_ENUM, /* int: its index in names */
	KT_PATH, /* char *: absolute, or empty (NULL when nullable) */
	KT_LISTEN, /* char *: ADDRESS:PORT, or "no" stored as "" */
	KT_WEB_CONFIG, /* struct web_config *, from the file named */
	KT_GROUP, /* char *: a [group NAME] (checked after the file) */
	KT_THRESHOLD, /* double in base units, NaN unset; unit: THR_* */
	KT_APPLICATION, /* char[APP_SETTING_LEN]: AppSel, name or "module" */
};

enum { THR_AS_IS, THR_DBM, THR_MA };

struct conf_key {
	uint8_t sect; /* enum key_sect */
	uint8_t type; /* enum key_type */
	bool nullable; /* KT_PATH: empty is NULL */
	uint8_t unit; /* KT_THRESHOLD */
	const char *name;
	size_t off; /* of the value in its section's struct */
	size_t has; /* overrides: of the bool set with it; 0 none */
	double min, max, scale;
	const char *const *names; /* KT_ENUM, NULL-terminated */
	const char *what; /* "'VALUE' is not <what>" */
};

struct key_type_ops {
	/* 1 parsed into @dst, or fail()'s 0 */
	int (*parse)(struct parser *p, const struct conf_key *k, const char *v,
		     void *dst);
	void (*dump)(FILE *f, const struct conf_key *k, const void *src);
};

static int bad(struct parser *p, const struct conf_key *k, const char *v)
{
	return fail(p, "%s: '%s' is not %s", k->name, v, k->what);
}

static bool in_range(const struct conf_key *k, double d)
{
	return d >= k->min && d <= k->max;
}

static int key_bool(struct parser *p, const struct conf_key *k, const char *v,
		    void *dst)
{
	return parse_bool(v, dst) < 0 ? bad(p, k, v) : 1;
}

static int key_uint(struct parser *p, const struct conf_key *k, const char *v,
		    void *dst)
{
	unsigned int n;

	if (parse_uint(v, UINT32_MAX, &n) < 0 || !in_range(k, n))
		return bad(p, k, v);
	*(unsigned int *)dst = n;
	return 1;
}

static int key_int(struct parser *p, const struct conf_key *k, const char *v,
		   void *dst)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || !in_range(k, n))
		return bad(p, k, v);
	*(int *)dst = (int)n;
	return 1;
}

static int key_double(struct parser *p, const struct conf_key *k, const char *v,
		      void *dst)
{
	double d;

	if (parse_double(v, &d) < 0 || !in_range(k, d))
		return bad(p, k, v);
	*(double *)dst = d * (k->scale ?: 1);
	return 1;
}

static int key_duration(struct parser *p, const struct conf_key *k,
			const char *v, void *dst)
{
	double d;

	if (parse_duration(v, &d) < 0 || !in_range(k, d))
		return bad(p, k, v);
	switch (k->type) {
	case KT_DURATION_DBL:
		*(double *)dst = llround(d);
		break;
	case KT_DURATION_MS:
		*(unsigned int *)dst = (unsigned int)llround(d * 1000);
		break;
	default:
		*(unsigned int *)dst = (unsigned int)llround(d);
		break;
	}
	return 1;
}

static int key_enum(struct parser *p, const struct conf_key *k, const char *v,
		    void *dst)
{
	for (int i = 0; k->names[i]; i++)
		if (streq(v, k->names[i])) {
			*(int *)dst = i;
			return 1;
		}
	return bad(p, k, v);
}

static int set_str(struct parser *p, char **dst, const char *v)
{
	char *s = strdup(v);

	if (!s)
		return fail(p, "out of memory");
	free(*dst);
	*dst = s;
	return 1;
}

static int key_path(struct parser *p, const struct conf_key *k, const char *v,
		    void *dst)
{
	char **s = dst;

	if (*v && *v != '/')
		return bad(p, k, v);
	if (!*v && k->nullable) {
		free(*s);
		*s = NULL;
		return 1;
	}
	return set_str(p, s, v);
}

static int key_listen(struct parser *p, const struct conf_key *k, const char *v,
		      void *dst)
{
	const char *colon = strrchr(v, ':');
	unsigned int port;

	if (streq(v, "no"))
		return set_str(p, dst, "");
	if (*v && (!colon || parse_uint(colon + 1, 65535, &port) < 0 || !port))
		return bad(p, k, v);
	return set_str(p, dst, v);
}

static int key_web_config(struct parser *p, const struct conf_key *k,
			  const char *v, void *dst)
{
	_cleanup_free_ char *err = NULL;
	struct web_config **wc = dst, *n = NULL;

	if (*v && *v != '/')
		return bad(p, k, v);
	if (*v && web_config_load(v, &n, &err) < 0)
		return fail(p, "%s: %s", k->name, err ? err : "out of memory");
	web_config_free(*wc);
	*wc = n;
	return 1;
}

static int key_group(struct parser *p, const struct conf_key *k, const char *v,
		     void *dst)
{
	if (!*v)
		return bad(p, k, v);
	p->group_lines[p->ov - p->c->overrides] = p->line;
	return set_str(p, dst, v);
}

static int key_threshold(struct parser *p, const struct conf_key *k,
			 const char *v, void *dst)
{
	double d;

	if (parse_double(v, &d) < 0)
		return bad(p, k, v);
	if (k->unit == THR_DBM)
		d = pow(10, d / 10) / 1000; /* dBm → W */
	else if (k->unit == THR_MA)
		d /= 1000; /* mA → A */
	*(double *)dst = d;
	return 1;
}

static int key_application(struct parser *p, const struct conf_key *k,
			   const char *v, void *dst)
{
	if (strlen(v) >= APP_SETTING_LEN ||
	    (!streq(v, APP_SETTING_MODULE) && !optic_app_name_valid(v)))
		return bad(p, k, v);
	snprintf(dst, APP_SETTING_LEN, "%s", v);
	return 1;
}

static void dump_dur(FILE *f, const char *key, double s)
{
	if (s >= 86400 && fmod(s, 86400) == 0)
		fprintf(f, "%s = %.0fd\n", key, s / 86400);
	else if (s >= 3600 && fmod(s, 3600) == 0)
		fprintf(f, "%s = %.0fh\n", key, s / 3600);
	else if (s >= 60 && fmod(s, 60) == 0)
		fprintf(f, "%s = %.0fm\n", key, s / 60);
	else if (fmod(s, 1) == 0)
		fprintf(f, "%s = %.0fs\n", key, s);
	else
		fprintf(f, "%s = %.0fms\n", key, s * 1000);
}

static void out_bool(FILE *f, const struct conf_key *k, const void *v)
{
	fprintf(f, "%s = %s\n", k->name, *(const bool *)v ? "yes" : "no");
}

static void out_uint(FILE *f, const struct conf_key *k, const void *v)
{
	fprintf(f, "%s = %u\n", k->name, *(const unsigned int *)v);
}

static void out_int(FILE *f, const struct conf_key *k, const void *v)
{
	fprintf(f, "%s = %d\n", k->name, *(const int *)v);
}

static void out_double(FILE *f, const struct conf_key *k, const void *v)
{
	fprintf(f, "%s = %g\n", k->name, *(const double *)v / (k->scale ?: 1));
}

static void out_duration(FILE *f, const struct conf_key *k, const void *v)
{
	switch (k->type) {
	case KT_DURATION_DBL:
		dump_dur(f, k->name, *(const double *)v);
		break;
	case KT_DURATION_MS:
		dump_dur(f, k->name, *(const unsigned int *)v / 1000.0);
		break;
	default:
		dump_dur(f, k->name, *(const unsigned int *)v);
		break;
	}
}

static void out_enum(FILE *f, const struct conf_key *k, const void *v)
{
	fprintf(f, "%s = %s\n", k->name, k->names[*(const int *)v]);
}

static void out_string(FILE *f, const struct conf_key *k, const void *v)
{
	const char *s = *(char *const *)v;

	fprintf(f, "%s = %s\n", k->name,
		k->type == KT_LISTEN && s && !*s ? "no" :
		s				 ? s :
						   "");
}

static void out_application(FILE *f, const struct conf_key *k, const void *v)
{
	fprintf(f, "%s = %s\n", k->name, (const char *)v);
}

static void out_web_config(FILE *f, const struct conf_key *k, const void *v)
{
	const struct web_config *wc = *(struct web_config *const *)v;

	fprintf(f, "%s = %s\n", k->name, wc ? wc->path : "");
}

static void out_threshold(FILE *f, const struct conf_key *k, const void *v)
{
	double d = *(const double *)v;

	if (isnan(d))
		return;
	if (k->unit == THR_DBM)
		fprintf(f, "%s = %.2f\n", k->name, 10 * log10(d * 1000));
	else if (k->unit == THR_MA)
		fprintf(f, "%s = %g\n", k->name, d * 1000);
	else
		fprintf(f, "%s = %g\n", k->name, d);
}

static const struct key_type_ops key_types[] = {
	[KT_BOOL] = { key_bool, out_bool },
	[KT_UINT] = { key_uint, out_uint },
	[KT_INT] = { key_int, out_int },
	[KT_DOUBLE] = { key_double, out_double },
	[KT_DURATION] = { key_duration, out_duration },
	[KT_DURATION_DBL] = { key_duration, out_duration },
	[KT_DURATION_MS] = { key_duration, out_duration },
	[KT_ENUM] = { key_enum, out_enum },
	[KT_PATH] = { key_path, out_string },
	[KT_LISTEN] = { key_listen, out_string },
	[KT_WEB_CONFIG] = { key_web_config, out_web_config },
	[KT_GROUP] = { key_group, out_string },
	[KT_THRESHOLD] = { key_threshold, out_threshold },
	[KT_APPLICATION] = { key_application, out_application },
};

static const char *const action_names[] = { "log", "act", NULL };
static const char *const thermal_modes[] = { "lpmode", "tx-disable", NULL };

/* clang-format off: macros and rows read best one key a row */
#define YEAR (365 * 86400.0)
#define C(f) offsetof(struct config, f)
#define O(f) offsetof(struct override, f)
#define DUR(sect_, name_, field, lo)                               \
	{                                                          \
		.sect = sect_, .type = KT_DURATION, .name = name_, \
		.off = C(field), .min = lo, .max = YEAR,           \
		.what = "a duration of at least " #lo              \
			"s (e.g. 30s, 5m, 1h, 7d)"                 \
	}
#define POLICY_KEY(pol) (KS_POLICY_0 + (pol))
/* [vendor|pn|port] PREFIX{high_alarm,...,low_warning}SUFFIX = threshold */
#define THR4(prefix, suffix, mon, unit_)                                      \
	THR1(prefix "high_alarm" suffix, mon, high_alarm, unit_),             \
		THR1(prefix "high_warning" suffix, mon, high_warning, unit_), \
		THR1(prefix "low_warning" suffix, mon, low_warning, unit_),   \
		THR1(prefix "low_alarm" suffix, mon, low_alarm, unit_)
#define THR1(name_, mon, level, unit_)                                        \
	{                                                                     \
		.sect = KS_OVERRIDE, .type = KT_THRESHOLD, .unit = unit_,     \
		.name = name_, .off = O(thr.t[mon].level), .what = "a number" \
	}
/* [vendor|pn|port] POLICY = yes|no */
#define ENABLE(pol, name_)                                           \
	{                                                            \
		.sect = KS_OVERRIDE, .type = KT_BOOL, .name = name_, \
		.off = O(enabled[pol]), .has = O(has_enabled[pol]),  \
		.what = "a boolean"                                  \
	}

static const struct conf_key conf_keys[] = {
	{ .sect = KS_DAEMON,
	  .type = KT_DURATION_MS,
	  .name = "poll_interval",
	  .off = C(poll_interval_ms),
	  .min = 0.1,
	  .max = 3600,
	  .what = "a duration between 100ms and 1h" },
	{ .sect = KS_DAEMON,
	  .type = KT_UINT,
	  .name = "poll_readers",
	  .off = C(poll_readers),
	  .min = 0,
	  .max = 64,
	  .what = "a count between 0 and 64" },
	{ .sect = KS_DAEMON,
	  .type = KT_LISTEN,
	  .name = "metrics_listen",
	  .off = C(metrics_listen),
	  .what = "ADDRESS:PORT or 'no'" },
	{ .sect = KS_DAEMON,
	  .type = KT_WEB_CONFIG,
	  .name = "metrics_web_config",
	  .off = C(web),
	  .what = "an absolute path" },
	{ .sect = KS_DAEMON,
	  .type = KT_PATH,
	  .name = "status_socket",
	  .off = C(status_socket),
	  .what = "an absolute path" },
	{ .sect = KS_DAEMON,
	  .type = KT_PATH,
	  .nullable = true,
	  .name = "textfile",
	  .off = C(textfile),
	  .what = "an absolute path" },
	DUR(KS_DAEMON, "textfile_interval", textfile_interval, 0),
	{ .sect = KS_DAEMON,
	  .type = KT_BOOL,
	  .name = "load_driver",
	  .off = C(load_driver),
	  .what = "a boolean" },
	DUR(KS_DAEMON, "driver_retry", driver_retry, 1),

	{ .sect = KS_HISTORY,
	  .type = KT_UINT,
	  .name = "fine_length",
	  .off = C(history.length[0]),
	  .min = 1,
	  .max = 1000000,
	  .what = "a count between 1 and 1000000" },
	DUR(KS_HISTORY, "medium_period", history.period[1], 1),
	{ .sect = KS_HISTORY,
	  .type = KT_UINT,
	  .name = "medium_length",
	  .off = C(history.length[1]),
	  .min = 1,
	  .max = 1000000,
	  .what = "a count between 1 and 1000000" },
	DUR(KS_HISTORY, "coarse_period", history.period[2], 1),
	{ .sect = KS_HISTORY,
	  .type = KT_UINT,
	  .name = "coarse_length",
	  .off = C(history.length[2]),
	  .min = 1,
	  .max = 1000000,
	  .what = "a count between 1 and 1000000" },

	{ .sect = KS_POLICY,
	  .type = KT_BOOL,
	  .name = "enabled",
	  .off = offsetof(struct policy_common, enabled),
	  .what = "a boolean" },
	{ .sect = KS_POLICY,
	  .type = KT_ENUM,
	  .name = "action",
	  .off = offsetof(struct policy_common, action),
	  .names = action_names,
	  .what = "'log' or 'act'" },

	{ .sect = POLICY_KEY(POLICY_THRESHOLD),
	  .type = KT_DOUBLE,
	  .name = "temperature_hysteresis",
	  .off = C(thr_hyst_temp.abs),
	  .min = 0,
	  .max = 50,
	  .what = "a number of °C (0-50)" },
	{ .sect = POLICY_KEY(POLICY_THRESHOLD),
	  .type = KT_DOUBLE,
	  .name = "hysteresis_percent",
	  .off = C(thr_hyst.rel),
	  .min = 0,
	  .max = 50,
	  .scale = 0.01,
	  .what = "a percentage (0-50)" },

	{ .sect = POLICY_KEY(POLICY_THERMAL),
	  .type = KT_DOUBLE,
	  .name = "limit_celsius",
	  .off = C(thermal.limit),
	  .min = -40,
	  .max = 150,
	  .what = "a temperature in °C (-40 to 150)" },
	{ .sect = POLICY_KEY(POLICY_THERMAL),
	  .type = KT_DOUBLE,
	  .name = "hysteresis_celsius",
	  .off = C(thermal.hysteresis),
	  .min = 0,
	  .max = 150,
	  .what = "a temperature difference in °C (0 to 150)" },
	{ .sect = POLICY_KEY(POLICY_THERMAL),
	  .type = KT_UINT,
	  .name = "samples",
	  .off = C(thermal.samples),
	  .min = 1,
	  .max = 3600,
	  .what = "a count between 1 and 3600" },
	DUR(POLICY_KEY(POLICY_THERMAL), "min_interval", thermal.min_interval,
	    0),
	{ .sect = POLICY_KEY(POLICY_THERMAL),
	  .type = KT_ENUM,
	  .name = "mode",
	  .off = C(thermal_mode),
	  .names = thermal_modes,
	  .what = "'lpmode' or 'tx-disable'" },

	{ .sect = POLICY_KEY(POLICY_RECOVERY),
	  .type = KT_UINT,
	  .name = "max_attempts",
	  .off = C(recovery.max_attempts),
	  .min = 0,
	  .max = 100,
	  .what = "a count between 0 and 100" },
	DUR(POLICY_KEY(POLICY_RECOVERY), "backoff_initial",
	    recovery.backoff_initial, 0),
	DUR(POLICY_KEY(POLICY_RECOVERY), "backoff_max", recovery.backoff_max,
	    0),
	DUR(POLICY_KEY(POLICY_RECOVERY), "ready_timeout",
	    recovery.ready_timeout, 0),
	DUR(POLICY_KEY(POLICY_RECOVERY), "stable", recovery.stable, 0),

	{ .sect = POLICY_KEY(POLICY_POWER),
	  .type = KT_DOUBLE,
	  .name = "budget_watts",
	  .off = C(power_budget),
	  .min = 0,
	  .max = 100000,
	  .what = "a power in W (0 = unlimited)" },

	{ .sect = POLICY_KEY(POLICY_PREDICT),
	  .type = KT_DURATION_DBL,
	  .name = "horizon",
	  .off = C(predict.horizon),
	  .min = 0,
	  .max = YEAR,
	  .what = "a duration (e.g. 30s, 5m, 1h, 7d)" },
	DUR(POLICY_KEY(POLICY_PREDICT), "window", predict_window, 2),
	DUR(POLICY_KEY(POLICY_PREDICT), "interval", predict_interval, 1),
	{ .sect = POLICY_KEY(POLICY_PREDICT),
	  .type = KT_UINT,
	  .name = "min_points",
	  .off = C(predict.min_points),
	  .min = 2,
	  .max = 1000,
	  .what = "a count between 2 and 1000" },
	{ .sect = POLICY_KEY(POLICY_PREDICT),
	  .type = KT_DURATION_DBL,
	  .name = "min_span",
	  .off = C(predict.min_span),
	  .min = 0,
	  .max = YEAR,
	  .what = "a duration (e.g. 30s, 5m, 1h, 7d)" },

	DUR(POLICY_KEY(POLICY_FLAP), "window", flap.window, 1),
	{ .sect = POLICY_KEY(POLICY_FLAP),
	  .type = KT_UINT,
	  .name = "max_events",
	  .off = C(flap.max_events),
	  .min = 1,
	  .max = FLAP_RING,
	  .what = "a count between 1 and 64" },

	{ .sect = KS_GROUP,
	  .type = KT_DOUBLE,
	  .name = "budget_watts",
	  .off = offsetof(struct power_group, budget),
	  .min = 0,
	  .max = 100000,
	  .what = "a power in W (0 = unlimited)" },

	{ .sect = KS_OVERRIDE,
	  .type = KT_INT,
	  .name = "priority",
	  .off = O(priority),
	  .has = O(has_priority),
	  .min = -1000000,
	  .max = 1000000,
	  .what = "an integer" },
	{ .sect = KS_OVERRIDE,
	  .type = KT_GROUP,
	  .name = "group",
	  .off = O(group),
	  .has = O(has_group),
	  .what = "a group's name" },
	{ .sect = KS_OVERRIDE,
	  .type = KT_BOOL,
	  .name = "ignore",
	  .off = O(ignore),
	  .has = O(has_ignore),
	  .what = "a boolean" },
	{ .sect = KS_OVERRIDE,
	  .type = KT_DOUBLE,
	  .name = "thermal_limit_celsius",
	  .off = O(thermal_limit),
	  .has = O(has_thermal_limit),
	  .min = -40,
	  .max = 150,
	  .what = "a temperature in °C (-40 to 150)" },
	{ .sect = KS_OVERRIDE,
	  .type = KT_APPLICATION,
	  .name = "application",
	  .off = O(application),
	  .has = O(has_application),
	  .what = "an AppSel (1-15), an interface name such as 400GBASE-DR4, or 'module'" },
	ENABLE(POLICY_THRESHOLD, "thresholds"),
	ENABLE(POLICY_THERMAL, "thermal"),
	ENABLE(POLICY_RECOVERY, "recovery"),
	ENABLE(POLICY_POWER, "power"),
	ENABLE(POLICY_PREDICT, "prediction"),
	ENABLE(POLICY_FLAP, "flap"),
	THR4("temperature_", "", MON_TEMP, THR_AS_IS),
	THR4("vcc_", "", MON_VCC, THR_AS_IS),
	THR4("tx_power_", "_dbm", MON_TX_POWER, THR_DBM),
	THR4("rx_power_", "_dbm", MON_RX_POWER, THR_DBM),
	THR4("tx_bias_", "_ma", MON_TX_BIAS, THR_MA),
};
/* clang-format on */
_Static_assert(ARRAY_SIZE(conf_keys) <= KEYS_MAX, "KEYS_MAX");
_Static_assert(FLAP_RING == 64, "max_events' message");

/* The struct a row of section @sect in the current section lives in. */
static void *key_base(struct parser *p, uint8_t sect)
{
	switch (sect) {
	case KS_POLICY:
		return &p->c->policy[p->policy];
	case KS_GROUP:
		return p->grp;
	case KS_OVERRIDE:
		return p->ov;
	default:
		return p->c;
	}
}

/* The sections of the current one: [policy X] has two. */
static bool key_in(const struct parser *p, uint8_t sect)
{
	if (p->policy >= 0)
		return sect == KS_POLICY || sect == KS_POLICY_0 + p->policy;
	if (p->ov)
		return sect == KS_OVERRIDE;
	if (p->grp)
		return sect == KS_GROUP;
	return sect == (streq(p->section, "daemon") ? KS_DAEMON : KS_HISTORY);
}

static int handle_key(struct parser *p, const char *k, const char *v)
{
	for (size_t i = 0; i < ARRAY_SIZE(conf_keys); i++) {
		const struct conf_key *ck = &conf_keys[i];
		char *base;

		if (!key_in(p, ck->sect) || !streq(k, ck->name))
			continue;
		base = key_base(p, ck->sect);
		p->key_line[i] = p->line;
		if (!key_types[ck->type].parse(p, ck, v, base + ck->off))
			return 0;
		if (ck->has)
			*(bool *)(base + ck->has) = true;
		return 1;
	}
	return fail(p, "unknown key '%s' in [%s]", k, p->section);
}

/* The rows of section @sect whose value is set, from @base, in file syntax. */
static void dump_keys(FILE *f, uint8_t sect, const void *base)
{
	const char *b = base;

	for (size_t i = 0; i < ARRAY_SIZE(conf_keys); i++) {
		const struct conf_key *k = &conf_keys[i];

		if (k->sect == sect && (!k->has || *(const bool *)(b + k->has)))
			key_types[k->type].dump(f, k, b + k->off);
	}
}

/* The line of the last value of key @name of section @sect, or 0. */
static unsigned int key_line(const struct parser *p, uint8_t sect,
			     const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(conf_keys); i++)
		if (conf_keys[i].sect == sect && streq(conf_keys[i].name, name))
			return p->key_line[i];
	return 0;
}

/* Split "kind NAME" or "kind \"NAME\"" into its kind and name. */
static int split_section(const char *sec, char *kind, size_t klen, char *name,
			 size_t nlen)
{
	const char *sp = strchr(sec, ' ');
	size_t l;

	if (!sp) {
		snprintf(kind, klen, "%s", sec);
		name[0] = '\0';
		return 0;
	}
	snprintf(kind, klen, "%.*s", (int)(sp - sec), sec);
	while (*sp == ' ')
		sp++;
	l = strlen(sp);
	if (l >= 2 && sp[0] == '"' && sp[l - 1] == '"') {
		sp++;
		l -= 2;
	}
	if (!l || l >= nlen)
		return -EINVAL;
	snprintf(name, nlen, "%.*s", (int)l, sp);
	return 0;
}

static int new_section(struct parser *p, const char *sec)
{
	struct config *c = p->c;
	char kind[32], name[96];

	snprintf(p->section, sizeof(p->section), "%s", sec);
	p->policy = -1;
	p->ov = NULL;
	p->grp = NULL;
	if (split_section(sec, kind, sizeof(kind), name, sizeof(name)) < 0)
		return fail(p, "bad section name [%s]", sec);
	if (streq(kind, "daemon") || streq(kind, "history")) {
		if (*name)
			return fail(p, "[%s] takes no name", kind);
		return 1;
	}
	if (streq(kind, "policy")) {
		p->policy = policy_from_name(name);
		if (p->policy < 0)
			return fail(
				p,
				"unknown policy '%s' (thresholds, thermal, recovery, power, prediction, flap)",
				name);
		return 1;
	}
	if (streq(kind, "group")) {
		struct power_group *g;

		if (!*name)
			return fail(p, "[group] needs a name");
		for (size_t i = 0; i < c->n_groups; i++) {
			if (streq(c->groups[i].name, name)) {
				p->grp = &c->groups[i];
				return 1;
			}
		}
		g = reallocarray(c->groups, c->n_groups + 1, sizeof(*g));
		if (!g)
			return fail(p, "out of memory");
		c->groups = g;
		g = &c->groups[c->n_groups];
		*g = (struct power_group){ .name = strdup(name) };
		if (!g->name)
			return fail(p, "out of memory");
		c->n_groups++;
		p->grp = g;
		return 1;
	}
	if (streq(kind, "port") || streq(kind, "vendor") || streq(kind, "pn")) {
		struct override *o;
		unsigned int *gl;

		if (!*name)
			return fail(p, "[%s] needs a glob, e.g. [%s \"*\"]",
				    kind, kind);
		o = reallocarray(c->overrides, c->n_overrides + 1, sizeof(*o));
		if (!o)
			return fail(p, "out of memory");
		c->overrides = o;
		gl = reallocarray(p->group_lines, c->n_overrides + 1,
				  sizeof(*gl));
		if (!gl)
			return fail(p, "out of memory");
		p->group_lines = gl;
		gl[c->n_overrides] = 0;
		o = &c->overrides[c->n_overrides];
		*o = (struct override){
			.kind = kind[0] == 'v' ? MATCH_VENDOR :
				kind[1] == 'n' ? MATCH_PN :
						 MATCH_PORT,
			.glob = strdup(name),
			.line = p->line,
		};
		thr_override_init(&o->thr);
		if (!o->glob)
			return fail(p, "out of memory");
		c->n_overrides++;
		p->ov = o;
		return 1;
	}
	return fail(p, "unknown section [%s]", sec);
}

static int handler(void *user, const char *section, const char *key,
		   const char *value)
{
	struct parser *p = user;

	if (p->err)
		return 0;
	if (!*section)
		return fail(p, "'%s' outside of a section", key);
	if (!p->in_section || !streq(section, p->section)) {
		p->in_section = true;
		if (!new_section(p, section))
			return 0;
	}
	return handle_key(p, key, value);
}

/* inih reader counting lines, so handler errors can name theirs. */
struct line_stream {
	struct parser *p;
	FILE *f;
	const char *s;
	bool at_line_start;
};

static char *reader(char *str, int num, void *stream)
{
	struct line_stream *ls = stream;
	char *r;

	if (ls->f) {
		r = fgets(str, num, ls->f);
	} else {
		size_t n = 0;

		if (!*ls->s)
			return NULL;
		while (ls->s[n] && ls->s[n] != '\n' && n + 1 < (size_t)num - 1)
			n++;
		if (ls->s[n] == '\n')
			n++;
		memcpy(str, ls->s, n);
		str[n] = '\0';
		ls->s += n;
		r = str;
	}
	if (!r)
		return NULL;
	if (ls->at_line_start)
		ls->p->line++;
	ls->at_line_start = strchr(str, '\n') != NULL;
	return r;
}

static int check_semantics(struct parser *p)
{
	struct config *c = p->c;

	for (size_t i = 0; i < c->n_overrides; i++) {
		struct override *o = &c->overrides[i];
		bool found = false;

		if (!o->has_group)
			continue;
		for (size_t g = 0; g < c->n_groups; g++)
			found |= streq(c->groups[g].name, o->group);
		if (!found) {
			p->line = p->group_lines[i];
			return fail(
				p,
				"group '%s' is not defined by a [group %s] section",
				o->group, o->group);
		}
	}
	if (c->recovery.backoff_max < c->recovery.backoff_initial) {
		p->line = MAX(key_line(p, POLICY_KEY(POLICY_RECOVERY),
				       "backoff_initial"),
			      key_line(p, POLICY_KEY(POLICY_RECOVERY),
				       "backoff_max"));
		return fail(
			p,
			"[policy recovery] backoff_max is below backoff_initial");
	}
	return 1;
}

static int load(const char *name, FILE *f, const char *text,
		struct config **out, char **err)
{
	_cleanup_(config_freep) struct config *c = NULL;
	struct parser p = { .name = name, .policy = -1 };
	struct line_stream ls = {
		.p = &p, .f = f, .s = text, .at_line_start = true
	};
	int r;

	*err = NULL;
	r = config_new_default(&c);
	if (r < 0)
		return r;
	c->path = strdup(name);
	if (!c->path)
		return -ENOMEM;
	p.c = c;
	r = ini_parse_stream(reader, &ls, handler, &p);
	if (r > 0 && (!p.err || p.err_line != (unsigned int)r)) {
		free(p.err);
		p.err = NULL;
		if (asprintf(
			    &p.err,
			    "%s:%d: syntax error (expected [section], key = value or a comment)",
			    name, r) < 0)
			p.err = NULL;
	} else if (r < 0) {
		free(p.err);
		p.err = strdup("out of memory");
		free(p.group_lines);
		*err = p.err;
		return -ENOMEM;
	}
	if (!p.err)
		check_semantics(&p);
	free(p.group_lines);
	if (p.err) {
		*err = p.err;
		return -EINVAL;
	}
	*out = TAKE_PTR(c);
	return 0;
}

int config_load(const char *path, struct config **out, char **err)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	int r;

	if (!f) {
		r = -errno;
		if (asprintf(err, "%s: %s", path, strerror(errno)) < 0)
			*err = NULL;
		return r;
	}
	return load(path, f, NULL, out, err);
}

int config_load_string(const char *name, const char *text, struct config **out,
		       char **err)
{
	return load(name, NULL, text, out, err);
}

static void merge(struct port_settings *s, const struct config *c,
		  const struct override *o)
{
	if (o->has_priority)
		s->priority = o->priority;
	if (o->has_ignore)
		s->ignore = o->ignore;
	if (o->has_thermal_limit)
		s->thermal_limit = o->thermal_limit;
	if (o->has_application)
		snprintf(s->application, sizeof(s->application), "%s",
			 streq(o->application, APP_SETTING_MODULE) ?
				 "" :
				 o->application);
	if (o->has_group)
		for (size_t g = 0; g < c->n_groups; g++)
			if (streq(c->groups[g].name, o->group))
				s->group = g;
	for (int i = 0; i < _POLICY_MAX; i++)
		if (o->has_enabled[i])
			s->enabled[i] = o->enabled[i];
	for (int m = 0; m < _MON_MAX; m++)
		for (int j = 0; j < 4; j++) {
			double v =
				*thr_slot((struct thresholds *)&o->thr.t[m], j);

			if (!isnan(v))
				*thr_slot(&s->thr.t[m], j) = v;
		}
}

void config_port_settings(const struct config *c, const char *port,
			  const char *vendor, const char *pn,
			  struct port_settings *s)
{
	static const enum match_kind order[] = { MATCH_VENDOR, MATCH_PN,
						 MATCH_PORT };

	*s = (struct port_settings){ .thermal_limit = c->thermal.limit };
	for (int i = 0; i < _POLICY_MAX; i++)
		s->enabled[i] = c->policy[i].enabled;
	thr_override_init(&s->thr);
	for (size_t k = 0; k < ARRAY_SIZE(order); k++) {
		for (size_t i = 0; i < c->n_overrides; i++) {
			const struct override *o = &c->overrides[i];
			const char *subject = o->kind == MATCH_PORT ? port :
					      o->kind == MATCH_PN   ? pn :
								      vendor;

			if (o->kind != order[k] || !subject)
				continue;
			if (fnmatch(o->glob, subject, 0) == 0)
				merge(s, c, o);
		}
	}
}

void config_dump(const struct config *c, FILE *f)
{
	static const char *const kinds[] = { "vendor", "pn", "port" };

	fprintf(f, "# effective configuration from %s\n",
		c->path ? c->path : "(defaults)");
	fprintf(f, "[daemon]\n");
	dump_keys(f, KS_DAEMON, c);
	fprintf(f, "\n[history]\n# %zu bytes per 8-lane module\n",
		history_memory(&c->history, 8));
	dump_keys(f, KS_HISTORY, c);
	for (int i = 0; i < _POLICY_MAX; i++) {
		fprintf(f, "\n[policy %s]\n", policy_name(i));
		dump_keys(f, KS_POLICY, &c->policy[i]);
		dump_keys(f, KS_POLICY_0 + i, c);
	}
	for (size_t g = 1; g < c->n_groups; g++) {
		fprintf(f, "\n[group %s]\n", c->groups[g].name);
		dump_keys(f, KS_GROUP, &c->groups[g]);
	}
	for (size_t i = 0; i < c->n_overrides; i++) {
		const struct override *o = &c->overrides[i];

		fprintf(f, "\n[%s \"%s\"]\n", kinds[o->kind], o->glob);
		dump_keys(f, KS_OVERRIDE, o);
	}
}
