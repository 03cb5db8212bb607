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

#include "config.h"
#include "util.h"
#include "webconfig.h"

struct parser {
	struct config *c;
	const char *name;
	unsigned int line; /* line being parsed, counted by our reader */
	unsigned int err_line;
	char *err;
	/* Current section. */
	char section[128];
	bool in_section;
	unsigned int backoff_line;
	int policy; /* section [policy X], else -1 */
	struct override *ov; /* section [port|vendor|pn X] */
	struct power_group *grp;
	unsigned int *group_lines; /* line of each override's group= */
};

const char *action_name(enum action a)
{
	return a == ACTION_ACT ? "act" : "log";
}

static const char *const level_keys[4] = {
	"high_alarm",
	"high_warning",
	"low_warning",
	"low_alarm",
};

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

static int dur_sec(struct parser *p, const char *key, const char *v,
		   unsigned int *out)
{
	double d;

	if (parse_duration(v, &d) < 0 || d > 365 * 86400.0)
		return fail(p,
			    "%s: invalid duration '%s' (e.g. 30s, 5m, 1h, 7d)",
			    key, v);
	*out = (unsigned int)llround(d);
	return 1;
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

static int handle_daemon(struct parser *p, const char *k, const char *v)
{
	struct config *c = p->c;
	double d;

	if (streq(k, "poll_interval")) {
		if (parse_duration(v, &d) < 0 || d < 0.1 || d > 3600)
			return fail(
				p,
				"poll_interval: '%s' is not a duration between 100ms and 1h",
				v);
		c->poll_interval_ms = (unsigned int)llround(d * 1000);
		return 1;
	}
	if (streq(k, "metrics_listen")) {
		const char *colon = strrchr(v, ':');
		unsigned int port;

		if (*v && !streq(v, "no") &&
		    (!colon || parse_uint(colon + 1, 65535, &port) < 0 ||
		     !port))
			return fail(
				p,
				"metrics_listen: '%s' is not ADDRESS:PORT or 'no'",
				v);
		return set_str(p, &c->metrics_listen, streq(v, "no") ? "" : v);
	}
	if (streq(k, "metrics_web_config")) {
		_cleanup_free_ char *err = NULL;
		struct web_config *wc = NULL;

		if (*v && *v != '/')
			return fail(
				p,
				"metrics_web_config: '%s' is not an absolute path",
				v);
		if (*v && web_config_load(v, &wc, &err) < 0)
			return fail(p, "metrics_web_config: %s",
				    err ? err : "out of memory");
		web_config_free(c->web);
		c->web = wc;
		return 1;
	}
	if (streq(k, "status_socket")) {
		if (*v && *v != '/')
			return fail(
				p,
				"status_socket: '%s' is not an absolute path",
				v);
		return set_str(p, &c->status_socket, v);
	}
	if (streq(k, "textfile")) {
		if (*v && *v != '/')
			return fail(p, "textfile: '%s' is not an absolute path",
				    v);
		if (!*v) {
			free(c->textfile);
			c->textfile = NULL;
			return 1;
		}
		return set_str(p, &c->textfile, v);
	}
	if (streq(k, "textfile_interval"))
		return dur_sec(p, k, v, &c->textfile_interval);
	if (streq(k, "load_driver")) {
		if (parse_bool(v, &c->load_driver) < 0)
			return fail(p, "load_driver: '%s' is not a boolean", v);
		return 1;
	}
	if (streq(k, "driver_retry")) {
		dur_sec(p, k, v, &c->driver_retry);
		if (!p->err && !c->driver_retry)
			return fail(p, "driver_retry: must be at least 1s");
		return !p->err;
	}
	return fail(p, "unknown key '%s' in [daemon]", k);
}

static int handle_history(struct parser *p, const char *k, const char *v)
{
	static const char *const keys[] = {
		"fine_length",	 "medium_period", "medium_length",
		"coarse_period", "coarse_length",
	};
	struct history_spec *h = &p->c->history;
	unsigned int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (!streq(k, keys[i]))
			continue;
		if (strstr(k, "period")) {
			if (!dur_sec(p, k, v, &n))
				return 0;
			if (!n)
				return fail(p, "%s: must be at least 1s", k);
			h->period[(i + 1) / 2] = n;
		} else {
			if (parse_uint(v, 1000000, &n) < 0 || !n)
				return fail(
					p,
					"%s: '%s' is not a count between 1 and 1000000",
					k, v);
			h->length[(i + 1) / 2] = n;
		}
		return 1;
	}
	return fail(p, "unknown key '%s' in [history]", k);
}

static int handle_policy(struct parser *p, const char *k, const char *v)
{
	struct config *c = p->c;
	struct policy_common *pc = &c->policy[p->policy];
	double d;
	unsigned int n = 0;

	if (streq(k, "enabled")) {
		if (parse_bool(v, &pc->enabled) < 0)
			return fail(p, "enabled: '%s' is not a boolean", v);
		return 1;
	}
	if (streq(k, "action")) {
		if (streq(v, "log"))
			pc->action = ACTION_LOG;
		else if (streq(v, "act"))
			pc->action = ACTION_ACT;
		else
			return fail(p, "action: '%s' is not 'log' or 'act'", v);
		return 1;
	}

	switch (p->policy) {
	case POLICY_THRESHOLD:
		if (streq(k, "temperature_hysteresis")) {
			if (parse_double(v, &d) < 0 || d < 0 || d > 50)
				return fail(
					p,
					"%s: '%s' is not a number of °C (0-50)",
					k, v);
			c->thr_hyst_temp.abs = d;
			return 1;
		}
		if (streq(k, "hysteresis_percent")) {
			if (parse_double(v, &d) < 0 || d < 0 || d > 50)
				return fail(
					p,
					"%s: '%s' is not a percentage (0-50)",
					k, v);
			c->thr_hyst.rel = d / 100;
			return 1;
		}
		break;
	case POLICY_THERMAL:
		if (streq(k, "limit_celsius") ||
		    streq(k, "hysteresis_celsius")) {
			if (parse_double(v, &d) < 0 || d < -40 || d > 150)
				return fail(
					p,
					"%s: '%s' is not a temperature in °C",
					k, v);
			if (k[0] == 'l')
				c->thermal.limit = d;
			else if (d < 0)
				return fail(p, "%s: must not be negative", k);
			else
				c->thermal.hysteresis = d;
			return 1;
		}
		if (streq(k, "samples")) {
			if (parse_uint(v, 3600, &n) < 0 || !n)
				return fail(
					p,
					"samples: '%s' is not a count between 1 and 3600",
					v);
			c->thermal.samples = n;
			return 1;
		}
		if (streq(k, "min_interval"))
			return dur_sec(p, k, v, &c->thermal.min_interval);
		if (streq(k, "mode")) {
			if (streq(v, "lpmode"))
				c->thermal_mode = THERMAL_MODE_LPMODE;
			else if (streq(v, "tx-disable"))
				c->thermal_mode = THERMAL_MODE_TX_DISABLE;
			else
				return fail(
					p,
					"mode: '%s' is not 'lpmode' or 'tx-disable'",
					v);
			return 1;
		}
		break;
	case POLICY_RECOVERY:
		if (streq(k, "max_attempts")) {
			if (parse_uint(v, 100, &n) < 0)
				return fail(
					p,
					"max_attempts: '%s' is not a count between 0 and 100",
					v);
			c->recovery.max_attempts = n;
			return 1;
		}
		if (streq(k, "backoff_initial") || streq(k, "backoff_max")) {
			p->backoff_line = p->line;
			return dur_sec(p, k, v,
				       k[8] == 'i' ?
					       &c->recovery.backoff_initial :
					       &c->recovery.backoff_max);
		}
		if (streq(k, "ready_timeout"))
			return dur_sec(p, k, v, &c->recovery.ready_timeout);
		if (streq(k, "stable"))
			return dur_sec(p, k, v, &c->recovery.stable);
		break;
	case POLICY_POWER:
		if (streq(k, "budget_watts")) {
			if (parse_double(v, &d) < 0 || d < 0 || d > 100000)
				return fail(
					p,
					"budget_watts: '%s' is not a power in W (0 = unlimited)",
					v);
			c->power_budget = d;
			c->groups[0].budget = d;
			return 1;
		}
		break;
	case POLICY_PREDICT: {
		unsigned int s = 0;

		if (streq(k, "horizon")) {
			if (!dur_sec(p, k, v, &s))
				return 0;
			c->predict.horizon = s;
			return 1;
		}
		if (streq(k, "min_span")) {
			if (!dur_sec(p, k, v, &s))
				return 0;
			c->predict.min_span = s;
			return 1;
		}
		if (streq(k, "window")) {
			if (!dur_sec(p, k, v, &s))
				return 0;
			if (s < 2)
				return fail(p, "window: must be at least 2s");
			c->predict_window = s;
			return 1;
		}
		if (streq(k, "interval")) {
			if (!dur_sec(p, k, v, &s))
				return 0;
			if (!s)
				return fail(p, "interval: must be at least 1s");
			c->predict_interval = s;
			return 1;
		}
		if (streq(k, "min_points")) {
			if (parse_uint(v, 1000, &n) < 0 || n < 2)
				return fail(
					p,
					"min_points: '%s' is not a count between 2 and 1000",
					v);
			c->predict.min_points = n;
			return 1;
		}
		break;
	}
	case POLICY_FLAP:
		if (streq(k, "window")) {
			if (!dur_sec(p, k, v, &n))
				return 0;
			if (!n)
				return fail(p, "window: must be at least 1s");
			c->flap.window = n;
			return 1;
		}
		if (streq(k, "max_events")) {
			if (parse_uint(v, FLAP_RING, &n) < 0 || !n)
				return fail(
					p,
					"max_events: '%s' is not a count between 1 and %d",
					v, FLAP_RING);
			c->flap.max_events = n;
			return 1;
		}
		break;
	}
	return fail(p, "unknown key '%s' in [policy %s]", k,
		    policy_name(p->policy));
}

/* "rx_power_low_alarm_dbm" → monitor, level slot and value in base units. */
static int parse_thr_key(const char *k, const char *v, int *mon, int *slot,
			 double *val)
{
	static const struct {
		const char *prefix, *suffix;
		enum monitor m;
	} mons[] = {
		{ "temperature_", "", MON_TEMP },
		{ "vcc_", "", MON_VCC },
		{ "tx_power_", "_dbm", MON_TX_POWER },
		{ "rx_power_", "_dbm", MON_RX_POWER },
		{ "tx_bias_", "_ma", MON_TX_BIAS },
	};

	for (size_t i = 0; i < ARRAY_SIZE(mons); i++) {
		size_t pl = strlen(mons[i].prefix);

		if (strncmp(k, mons[i].prefix, pl))
			continue;
		for (int j = 0; j < 4; j++) {
			size_t ll = strlen(level_keys[j]);

			if (strncmp(k + pl, level_keys[j], ll) ||
			    !streq(k + pl + ll, mons[i].suffix))
				continue;
			if (parse_double(v, val) < 0)
				return -EINVAL;
			if (mons[i].m == MON_TX_POWER ||
			    mons[i].m == MON_RX_POWER)
				*val = pow(10, *val / 10) / 1000; /* dBm → W */
			else if (mons[i].m == MON_TX_BIAS)
				*val /= 1000; /* mA → A */
			*mon = mons[i].m;
			*slot = j;
			return 0;
		}
	}
	return -ENOENT;
}

static int handle_override(struct parser *p, const char *k, const char *v)
{
	struct override *o = p->ov;
	int mon, slot, r, pol;
	double d;

	if (streq(k, "priority")) {
		char *end;
		long n;

		errno = 0;
		n = strtol(v, &end, 10);
		if (errno || end == v || *end || n < -1000000 || n > 1000000)
			return fail(p, "priority: '%s' is not an integer", v);
		o->priority = (int)n;
		o->has_priority = true;
		return 1;
	}
	if (streq(k, "group")) {
		if (!*v)
			return fail(p, "group: empty name");
		o->has_group = true;
		p->group_lines[o - p->c->overrides] = p->line;
		return set_str(p, &o->group, v);
	}
	if (streq(k, "ignore")) {
		if (parse_bool(v, &o->ignore) < 0)
			return fail(p, "ignore: '%s' is not a boolean", v);
		o->has_ignore = true;
		return 1;
	}
	if (streq(k, "thermal_limit_celsius")) {
		if (parse_double(v, &d) < 0 || d < -40 || d > 150)
			return fail(p, "%s: '%s' is not a temperature in °C", k,
				    v);
		o->thermal_limit = d;
		o->has_thermal_limit = true;
		return 1;
	}
	pol = policy_from_name(k);
	if (pol >= 0) {
		if (parse_bool(v, &o->enabled[pol]) < 0)
			return fail(p, "%s: '%s' is not a boolean", k, v);
		o->has_enabled[pol] = true;
		return 1;
	}
	r = parse_thr_key(k, v, &mon, &slot, &d);
	if (r == -EINVAL)
		return fail(p, "%s: '%s' is not a number", k, v);
	if (r == 0) {
		*thr_slot(&o->thr.t[mon], slot) = d;
		return 1;
	}
	return fail(p, "unknown key '%s' in [%s]", k, p->section);
}

static int handle_group(struct parser *p, const char *k, const char *v)
{
	double d;

	if (streq(k, "budget_watts")) {
		if (parse_double(v, &d) < 0 || d < 0 || d > 100000)
			return fail(p, "budget_watts: '%s' is not a power in W",
				    v);
		p->grp->budget = d;
		return 1;
	}
	return fail(p, "unknown key '%s' in [%s]", k, p->section);
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
	if (p->policy >= 0)
		return handle_policy(p, key, value);
	if (p->ov)
		return handle_override(p, key, value);
	if (p->grp)
		return handle_group(p, key, value);
	if (streq(p->section, "daemon"))
		return handle_daemon(p, key, value);
	if (streq(p->section, "history"))
		return handle_history(p, key, value);
	return fail(p, "unknown section [%s]", section);
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
		p->line = p->backoff_line;
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

static void dump_thr(FILE *f, const struct thr_override *t)
{
	static const char *const mnames[_MON_MAX] = {
		"temperature_", "vcc_", "tx_power_", "rx_power_", "tx_bias_",
	};

	for (int m = 0; m < _MON_MAX; m++)
		for (int j = 0; j < 4; j++) {
			double v = *thr_slot((struct thresholds *)&t->t[m], j);

			if (isnan(v))
				continue;
			if (m == MON_TX_POWER || m == MON_RX_POWER)
				fprintf(f, "%s%s_dbm = %.2f\n", mnames[m],
					level_keys[j], 10 * log10(v * 1000));
			else if (m == MON_TX_BIAS)
				fprintf(f, "%s%s_ma = %g\n", mnames[m],
					level_keys[j], v * 1000);
			else
				fprintf(f, "%s%s = %g\n", mnames[m],
					level_keys[j], v);
		}
}

void config_dump(const struct config *c, FILE *f)
{
	static const char *const kinds[] = { "vendor", "pn", "port" };

	fprintf(f, "# effective configuration from %s\n",
		c->path ? c->path : "(defaults)");
	fprintf(f, "[daemon]\n");
	dump_dur(f, "poll_interval", c->poll_interval_ms / 1000.0);
	fprintf(f, "metrics_listen = %s\n",
		*c->metrics_listen ? c->metrics_listen : "no");
	fprintf(f, "metrics_web_config = %s\n", c->web ? c->web->path : "");
	fprintf(f, "status_socket = %s\n", c->status_socket);
	fprintf(f, "textfile = %s\n", c->textfile ? c->textfile : "");
	dump_dur(f, "textfile_interval", c->textfile_interval);
	fprintf(f, "load_driver = %s\n", c->load_driver ? "yes" : "no");
	dump_dur(f, "driver_retry", c->driver_retry);

	fprintf(f, "\n[history]\n# %zu bytes per 8-lane module\n",
		history_memory(&c->history, 8));
	fprintf(f, "fine_length = %u\n", c->history.length[0]);
	dump_dur(f, "medium_period", c->history.period[1]);
	fprintf(f, "medium_length = %u\n", c->history.length[1]);
	dump_dur(f, "coarse_period", c->history.period[2]);
	fprintf(f, "coarse_length = %u\n", c->history.length[2]);

	for (int i = 0; i < _POLICY_MAX; i++) {
		fprintf(f, "\n[policy %s]\nenabled = %s\naction = %s\n",
			policy_name(i), c->policy[i].enabled ? "yes" : "no",
			action_name(c->policy[i].action));
		switch (i) {
		case POLICY_THRESHOLD:
			fprintf(f, "temperature_hysteresis = %g\n",
				c->thr_hyst_temp.abs);
			fprintf(f, "hysteresis_percent = %g\n",
				c->thr_hyst.rel * 100);
			break;
		case POLICY_THERMAL:
			fprintf(f, "limit_celsius = %g\n", c->thermal.limit);
			fprintf(f, "hysteresis_celsius = %g\n",
				c->thermal.hysteresis);
			fprintf(f, "samples = %u\n", c->thermal.samples);
			dump_dur(f, "min_interval", c->thermal.min_interval);
			fprintf(f, "mode = %s\n",
				c->thermal_mode == THERMAL_MODE_LPMODE ?
					"lpmode" :
					"tx-disable");
			break;
		case POLICY_RECOVERY:
			fprintf(f, "max_attempts = %u\n",
				c->recovery.max_attempts);
			dump_dur(f, "backoff_initial",
				 c->recovery.backoff_initial);
			dump_dur(f, "backoff_max", c->recovery.backoff_max);
			dump_dur(f, "ready_timeout", c->recovery.ready_timeout);
			dump_dur(f, "stable", c->recovery.stable);
			break;
		case POLICY_POWER:
			fprintf(f, "budget_watts = %g\n", c->power_budget);
			break;
		case POLICY_PREDICT:
			dump_dur(f, "horizon", c->predict.horizon);
			dump_dur(f, "window", c->predict_window);
			dump_dur(f, "interval", c->predict_interval);
			fprintf(f, "min_points = %zu\n", c->predict.min_points);
			dump_dur(f, "min_span", c->predict.min_span);
			break;
		case POLICY_FLAP:
			dump_dur(f, "window", c->flap.window);
			fprintf(f, "max_events = %u\n", c->flap.max_events);
			break;
		}
	}
	for (size_t g = 1; g < c->n_groups; g++)
		fprintf(f, "\n[group %s]\nbudget_watts = %g\n",
			c->groups[g].name, c->groups[g].budget);
	for (size_t i = 0; i < c->n_overrides; i++) {
		const struct override *o = &c->overrides[i];

		fprintf(f, "\n[%s \"%s\"]\n", kinds[o->kind], o->glob);
		if (o->has_priority)
			fprintf(f, "priority = %d\n", o->priority);
		if (o->has_group)
			fprintf(f, "group = %s\n", o->group);
		if (o->has_ignore)
			fprintf(f, "ignore = %s\n", o->ignore ? "yes" : "no");
		if (o->has_thermal_limit)
			fprintf(f, "thermal_limit_celsius = %g\n",
				o->thermal_limit);
		for (int p = 0; p < _POLICY_MAX; p++)
			if (o->has_enabled[p])
				fprintf(f, "%s = %s\n", policy_name(p),
					o->enabled[p] ? "yes" : "no");
		dump_thr(f, &o->thr);
	}
}
