// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticd manager: event loop, driver connection, reload, and the glue that
 * turns policy verdicts into module actions, log lines and counters.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <math.h>
#include <sys/epoll.h>

#include <systemd/sd-daemon.h>

#include "optic.h"
#include "fw.h"
#include "log.h"
#include "manager.h"
#include "metrics.h"
#include "nlmon.h"
#include "status.h"
#include "util.h"

#define USEC_PER_SEC 1000000ULL
/* At most one extra poll of a port per 50 ms, whatever its events. */
#define KICK_SPACING_USEC 50000ULL
/* Timers fire this close to due (sd-event's default would be 250 ms). */
#define KICK_ACCURACY_USEC 1000ULL

const double poll_bucket_le[POLL_BUCKETS] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5, 5, 10, 30,
};

uint64_t now_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

uint64_t now_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

uint64_t now_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * USEC_PER_SEC + ts.tv_nsec / 1000;
}

const char *flap_kind_name(enum flap_kind k)
{
	static const char *const names[_FLAP_KIND_MAX] = {
		[FLAP_RX_LOS] = "rx_los",     [FLAP_RX_LOL] = "rx_lol",
		[FLAP_TX_FAULT] = "tx_fault", [FLAP_TX_LOS] = "tx_los",
		[FLAP_TX_LOL] = "tx_lol",
	};

	return (unsigned int)k < _FLAP_KIND_MAX ? names[k] : "?";
}

static int nl_module_set(struct manager *m, struct port *p,
			 const struct optic_set *set)
{
	if (!m->nl)
		return -ENOTCONN;
	return optic_nl_module_set(m->nl, p->name, set);
}

static const struct manager_ops default_ops = {
	.module_set = nl_module_set,
};

/* Ports -------------------------------------------------------------- */

static void port_free(struct port *p)
{
	history_free(p->hist);
	optic_image_clear(&p->img);
	optic_model_free(&p->model);
	free(p->slots);
	metrics_port_free(p->metrics);
	free(p);
}

void port_reset_policies(struct port *p)
{
	port_touch(p);
	memset(p->level, 0, sizeof(p->level));
	memset(&p->thermal, 0, sizeof(p->thermal));
	memset(&p->recovery, 0, sizeof(p->recovery));
	memset(p->pred, 0, sizeof(p->pred));
	memset(p->active_since, 0, sizeof(p->active_since));
	memset(p->flap, 0, sizeof(p->flap));
	memset(p->flags_prev, 0, sizeof(p->flags_prev));
	memset(&p->mon_flags, 0, sizeof(p->mon_flags));
	p->flag_lanes = 0;
	p->power_held = false;
	p->lpmode_ours = false;
	p->txdis_ours = 0;
	for (int i = 0; i < _PRED_MAX; i++)
		for (int l = 0; l < OPTICD_MAX_LANES; l++)
			p->pred[i][l].tta = INFINITY;
}

struct port *manager_port(struct manager *m, const char *name, bool create)
{
	struct port *p, **ports;

	for (size_t i = 0; i < m->n_ports; i++)
		if (streq(m->ports[i]->name, name))
			return m->ports[i];
	if (!create)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->metrics = metrics_port_new();
	if (!p->metrics) {
		free(p);
		return NULL;
	}
	/* One lane until a module's insertion sizes it (poll.c). */
	if (history_new(&p->hist, &m->cfg->history, 1) < 0) {
		free(p);
		return NULL;
	}
	p->hist_bytes = history_memory(&m->cfg->history, 1);
	ports = reallocarray(m->ports, m->n_ports + 1, sizeof(*ports));
	if (!ports) {
		port_free(p);
		return NULL;
	}
	m->ports = ports;
	snprintf(p->name, sizeof(p->name), "%s", name);
	optic_image_init(&p->img);
	p->max_power = NAN;
	sample_init(&p->last, 0);
	for (int i = 0; i < _MON_MAX; i++)
		p->mod_thr[i] = p->thr[i] =
			(struct thresholds){ NAN, NAN, NAN, NAN };
	port_reset_policies(p);
	m->ports[m->n_ports++] = p;
	manager_port_configure(m, p);
	return p;
}

void manager_port_configure(struct manager *m, struct port *p)
{
	port_touch(p);
	config_port_settings(m->cfg, p->name,
			     p->present ? p->info.vendor_name : NULL,
			     p->present ? p->info.vendor_pn : NULL, &p->set);
	for (int i = 0; i < _MON_MAX; i++) {
		const struct thresholds *o = &p->set.thr.t[i];

		p->thr[i] = p->mod_thr[i];
		if (!isnan(o->high_alarm))
			p->thr[i].high_alarm = o->high_alarm;
		if (!isnan(o->high_warning))
			p->thr[i].high_warning = o->high_warning;
		if (!isnan(o->low_warning))
			p->thr[i].low_warning = o->low_warning;
		if (!isnan(o->low_alarm))
			p->thr[i].low_alarm = o->low_alarm;
	}
}

/* Actions -------------------------------------------------------------- */

void manager_action(struct manager *m, struct port *p, int lane,
		    enum policy_id pol, const char *msgid, int prio,
		    const char *fmt, ...)
{
	enum action mode = m->cfg->policy[pol].action;
	struct action_record *r = &m->log[m->log_head];
	va_list ap;

	if (p)
		port_touch(p);
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof(r->text), fmt, ap);
	va_end(ap);
	r->time = now_realtime();
	snprintf(r->port, sizeof(r->port), "%s", p ? p->name : "");
	r->lane = lane;
	r->policy = pol;
	r->mode = mode;
	m->log_head = (m->log_head + 1) % ACTION_LOG_LEN;
	if (m->log_len < ACTION_LOG_LEN)
		m->log_len++;
	if (p)
		p->actions[pol][mode]++;
	log_event(prio, 0, p ? p->name : NULL, lane, policy_name(pol), msgid,
		  "%s", r->text);
}

static bool acts(struct manager *m, enum policy_id pol)
{
	return m->cfg->policy[pol].action == ACTION_ACT;
}

static int module_set(struct manager *m, struct port *p,
		      const struct optic_set *set, const char *what)
{
	int r;

	/* Never reset or repower a module in the middle of a firmware flash. */
	if (optic_fw_locked(m->fw_lock_dir, p->name) > 0) {
		log_event(LOG_WARNING, -EBUSY, p->name, -1, NULL, MSGID_MODULE,
			  "firmware flash in progress: not going to %s", what);
		return -EBUSY;
	}
	r = m->ops->module_set(m, p, set);

	if (r < 0)
		log_event(LOG_ERR, r, p->name, -1, NULL, MSGID_MODULE,
			  "failed to %s", what);
	return r;
}

/* LPMode is asserted while the thermal or the power policy holds it. */
static void apply_lpmode(struct manager *m, struct port *p)
{
	bool want = (p->thermal.engaged && acts(m, POLICY_THERMAL) &&
		     m->cfg->thermal_mode == THERMAL_MODE_LPMODE) ||
		    (p->power_held && acts(m, POLICY_POWER));
	struct optic_set set = { .lpmode = want };

	if (want == p->lpmode_ours || !p->present)
		return;
	if (module_set(m, p, &set, want ? "set LPMode" : "clear LPMode") >= 0) {
		p->lpmode_ours = want;
		port_touch(p);
	}
}

static void apply_txdisable(struct manager *m, struct port *p)
{
	uint32_t all = p->lanes >= 32 ? ~0u : (1u << p->lanes) - 1;
	uint32_t want = p->thermal.engaged && acts(m, POLICY_THERMAL) &&
					m->cfg->thermal_mode ==
						THERMAL_MODE_TX_DISABLE ?
				all :
				0;
	struct optic_set set = { .lpmode = -1,
				 .tx_disable = want,
				 .tx_disable_mask = all };

	if (want == p->txdis_ours || !p->present || !all)
		return;
	if (module_set(m, p, &set, want ? "disable TX" : "enable TX") >= 0)
		p->txdis_ours = want;
}

void manager_port_reassert(struct manager *m, struct port *p)
{
	apply_lpmode(m, p);
	apply_txdisable(m, p);
}

/* Policies per sample -------------------------------------------------- */

static const char *const mon_unit[_MON_MAX] = {
	[MON_TEMP] = "°C",	[MON_VCC] = "V",      [MON_TX_POWER] = "dBm",
	[MON_RX_POWER] = "dBm", [MON_TX_BIAS] = "mA",
};

/* A value in the unit operators read (dBm, mA). */
static double display(enum monitor mon, double v)
{
	if (mon == MON_TX_POWER || mon == MON_RX_POWER)
		return v > 0 ? 10 * log10(v * 1000) : -INFINITY;
	if (mon == MON_TX_BIAS)
		return v * 1000;
	return v;
}

/*
 * The level the module's latched flags of @mon claim (@f), with @high set
 * for a high one. A flag is the module's comparison with its own
 * thresholds: one the operator overrode in opticd.conf does not count.
 */
static enum level flag_level(const struct port *p, enum monitor mon, uint8_t f,
			     bool *high)
{
	const struct thresholds *o = &p->set.thr.t[mon];

	if (!isnan(o->high_alarm))
		f &= ~MONFLAG_HIGH_ALARM;
	if (!isnan(o->low_alarm))
		f &= ~MONFLAG_LOW_ALARM;
	if (!isnan(o->high_warning))
		f &= ~MONFLAG_HIGH_WARNING;
	if (!isnan(o->low_warning))
		f &= ~MONFLAG_LOW_WARNING;
	if (f & (MONFLAG_HIGH_ALARM | MONFLAG_LOW_ALARM)) {
		*high = f & MONFLAG_HIGH_ALARM;
		return LEVEL_ALARM;
	}
	if (f & (MONFLAG_HIGH_WARNING | MONFLAG_LOW_WARNING)) {
		*high = f & MONFLAG_HIGH_WARNING;
		return LEVEL_WARNING;
	}
	return LEVEL_OK;
}

/*
 * A level the latched flags raised where the sample alone did not: a
 * condition that came (and maybe went) between two polls. While the flag
 * latches again at every poll the level holds, and it leaves the level as
 * a sample does, through the hysteresis: one line per episode.
 */
static void log_latched(struct manager *m, struct port *p, enum monitor mon,
			unsigned int l, enum level new, enum level old,
			bool high, double v)
{
	const struct thresholds *t = &p->thr[mon];
	double thr = new == LEVEL_ALARM ?
			     (high ? t->high_alarm : t->low_alarm) :
			     (high ? t->high_warning : t->low_warning);
	char now[40] = "", at[48] = "";

	if (!isnan(v))
		snprintf(now, sizeof(now), "now %.2f %s, ", display(mon, v),
			 mon_unit[mon]);
	if (!isnan(thr))
		snprintf(at, sizeof(at), "threshold %.2f %s, ",
			 display(mon, thr), mon_unit[mon]);
	manager_action(m, p, monitor_per_lane(mon) ? (int)l : -1,
		       POLICY_THRESHOLD, MSGID_THRESHOLD,
		       new == LEVEL_ALARM ? LOG_ERR : LOG_WARNING,
		       "%s %s: %s flag latched (%s%swas %s)", monitor_name(mon),
		       level_name(new), high ? "high" : "low", now, at,
		       level_name(old));
}

static void run_thresholds(struct manager *m, struct port *p,
			   const struct sample *s)
{
	for (int mon = 0; mon < _MON_MAX; mon++) {
		const struct hysteresis *h = mon == MON_TEMP ?
						     &m->cfg->thr_hyst_temp :
						     &m->cfg->thr_hyst;
		unsigned int nl = monitor_per_lane(mon) ? p->lanes : 1;

		for (unsigned int l = 0; l < nl && l < OPTICD_MAX_LANES; l++) {
			double v = sample_get(s, mon, l);
			enum level old = p->level[mon][l];
			enum level new =
				threshold_eval(&p->thr[mon], h, old, v);
			const struct thresholds *t = &p->thr[mon];
			bool high = false;
			enum level flagged = flag_level(
				p, mon, p->mon_flags.f[mon][l], &high);
			double thr;

			if (flagged > new) {
				if (flagged != old)
					log_latched(m, p, mon, l, flagged, old,
						    high, v);
				p->level[mon][l] = flagged;
				continue;
			}
			if (new == old)
				continue;
			p->level[mon][l] = new;
			if (new == LEVEL_OK) {
				manager_action(
					m, p,
					monitor_per_lane(mon) ? (int)l : -1,
					POLICY_THRESHOLD, MSGID_THRESHOLD,
					LOG_NOTICE, "%s back to ok (%.2f %s)",
					monitor_name(mon), display(mon, v),
					mon_unit[mon]);
				continue;
			}
			if (new == LEVEL_ALARM)
				thr = v >= t->high_alarm ? t->high_alarm :
							   t->low_alarm;
			else
				thr = v >= t->high_warning ? t->high_warning :
				      v <= t->low_warning  ? t->low_warning :
				      v >= t->high_alarm   ? t->high_alarm :
							     t->low_alarm;
			manager_action(
				m, p, monitor_per_lane(mon) ? (int)l : -1,
				POLICY_THRESHOLD, MSGID_THRESHOLD,
				new == LEVEL_ALARM ? LOG_ERR : LOG_WARNING,
				"%s %s: %.2f %s (threshold %.2f %s, was %s)",
				monitor_name(mon), level_name(new),
				display(mon, v), mon_unit[mon],
				display(mon, thr), mon_unit[mon],
				level_name(old));
		}
	}
}

static void run_thermal(struct manager *m, struct port *p,
			const struct sample *s, uint64_t now)
{
	struct thermal_cfg tc = m->cfg->thermal;
	enum thermal_verdict v;
	const char *what = m->cfg->thermal_mode == THERMAL_MODE_LPMODE ?
				   "LPMode" :
				   "TX disable";

	tc.limit = p->set.thermal_limit;
	v = thermal_step(&tc, &p->thermal, s->temp, now);
	if (v == THERMAL_ENGAGE)
		manager_action(
			m, p, -1, POLICY_THERMAL, MSGID_THERMAL, LOG_ERR,
			"temperature %.1f °C above %.1f °C for %u samples: %s%s",
			s->temp, tc.limit, tc.samples,
			acts(m, POLICY_THERMAL) ? "" : "would set ", what);
	else if (v == THERMAL_RELEASE)
		manager_action(
			m, p, -1, POLICY_THERMAL, MSGID_THERMAL, LOG_NOTICE,
			"temperature %.1f °C below %.1f °C: %s%s released",
			s->temp, tc.limit - tc.hysteresis,
			acts(m, POLICY_THERMAL) ? "" : "would have ", what);
	apply_lpmode(m, p);
	apply_txdisable(m, p);
}

static void run_flap(struct manager *m, struct port *p, uint64_t now)
{
	const struct flap_cfg *fc = &m->cfg->flap;

	for (int k = 0; k < _FLAP_KIND_MAX; k++)
		for (unsigned int l = 0; l < p->lanes && l < OPTICD_MAX_LANES;
		     l++) {
			struct flap_state *st = &p->flap[k][l];
			enum flap_verdict v;

			if (!st->len)
				continue;
			v = flap_eval(fc, st, now);
			if (v == FLAP_ALERT)
				manager_action(
					m, p, l, POLICY_FLAP, MSGID_FLAP,
					LOG_WARNING,
					"%s latched %u times in %u s (limit %u)",
					flap_kind_name(k),
					flap_count(fc, st, now), fc->window,
					fc->max_events);
			else if (v == FLAP_CLEAR)
				manager_action(m, p, l, POLICY_FLAP, MSGID_FLAP,
					       LOG_NOTICE, "%s quiet for %u s",
					       flap_kind_name(k), fc->window);
		}
}

/* Lane monitors are NaN while the lane is down (poll.c). */
static void track_active(struct port *p, const struct sample *s)
{
	for (int l = 0; l < OPTICD_MAX_LANES; l++) {
		bool live = !isnan(s->tx_power[l]) || !isnan(s->rx_power[l]) ||
			    !isnan(s->tx_bias[l]);
		bool was = p->have_sample && (!isnan(p->last.tx_power[l]) ||
					      !isnan(p->last.rx_power[l]) ||
					      !isnan(p->last.tx_bias[l]));

		if (live && !was)
			p->active_since[l] = s->t;
	}
}

void manager_port_sample(struct manager *m, struct port *p,
			 const struct sample *s, uint64_t now)
{
	/* What the metrics show: the values (not their time), the levels. */
	enum level level[_MON_MAX][OPTICD_MAX_LANES];
	size_t vals = offsetof(struct sample, temp);

	memcpy(level, p->level, sizeof(level));
	if (!p->have_sample ||
	    memcmp((const char *)&p->last + vals, (const char *)s + vals,
		   sizeof(*s) - vals))
		port_touch(p);
	track_active(p, s);
	history_add(p->hist, s);
	p->last = *s;
	p->have_sample = true;
	if (!p->set.ignore && p->set.enabled[POLICY_THRESHOLD])
		run_thresholds(m, p, s);
	if (memcmp(level, p->level, sizeof(level)))
		port_touch(p);
	/* Latched flags belong to the poll they were read by. */
	memset(&p->mon_flags, 0, sizeof(p->mon_flags));
	if (p->set.ignore)
		return;
	if (p->set.enabled[POLICY_THERMAL])
		run_thermal(m, p, s, now);
	if (p->set.enabled[POLICY_FLAP])
		run_flap(m, p, now);
}

void manager_port_state(struct manager *m, struct port *p, int state,
			uint64_t now)
{
	const struct recovery_cfg *rc = &m->cfg->recovery;
	struct recovery_state before;
	enum recovery_verdict v;
	struct optic_set set = { .lpmode = -1, .reset = true };

	if (p->set.ignore || !p->set.enabled[POLICY_RECOVERY] || !p->present)
		return;
	before = p->recovery;
	v = recovery_step(rc, &p->recovery, state, p->ready_time, now);
	/* attempts and failed are exported, and clear without an action */
	if (before.attempts != p->recovery.attempts ||
	    before.failed != p->recovery.failed)
		port_touch(p);
	if (v == RECOVERY_RESET) {
		manager_action(
			m, p, -1, POLICY_RECOVERY, MSGID_RECOVERY, LOG_ERR,
			"module %s: %sreset (attempt %u of %u, next no sooner than %u s)",
			optic_state_name(state),
			acts(m, POLICY_RECOVERY) ? "" : "would ",
			p->recovery.attempts, rc->max_attempts,
			recovery_backoff(rc, p->recovery.attempts));
		if (acts(m, POLICY_RECOVERY)) {
			module_set(m, p, &set, "reset the module");
			/* A reset drops LPMode and TX disable: re-assert. */
			p->lpmode_ours = false;
			p->txdis_ours = 0;
		}
	} else if (v == RECOVERY_FAILED) {
		manager_action(m, p, -1, POLICY_RECOVERY, MSGID_RECOVERY,
			       LOG_CRIT,
			       "module %s after %u resets: marked failed",
			       optic_state_name(state), p->recovery.attempts);
	}
}

void manager_port_mon_flags(struct manager *m, struct port *p,
			    const struct mon_flags *f)
{
	p->mon_flags = *f;
}

void manager_port_flags(struct manager *m, struct port *p, enum flap_kind k,
			uint32_t lanes, uint64_t now)
{
	/*
	 * A flag whose condition persists latches again at every read: count
	 * the polls where it appears, not every poll it stays raised.
	 */
	uint32_t rising = lanes & ~p->flags_prev[k];

	p->flags_prev[k] = lanes;
	if (rising)
		port_touch(p);
	for (; rising; rising &= rising - 1) {
		unsigned int l = __builtin_ctz(rising);

		p->flags_total[k][l]++;
		flap_record(&p->flap[k][l], now, 1);
	}
}

static const enum monitor pred_mon[_PRED_MAX] = {
	[PRED_TX_POWER] = MON_TX_POWER,
	[PRED_RX_POWER] = MON_RX_POWER,
	[PRED_TX_BIAS] = MON_TX_BIAS,
};

#define PREDICT_POINTS 256
/* A lane's readings settle for this long after it comes up. */
#define PREDICT_SETTLE 5

static void fmt_duration(char *buf, size_t len, double s)
{
	if (s < 120)
		snprintf(buf, len, "%.0f s", s);
	else if (s < 7200)
		snprintf(buf, len, "%.1f min", s / 60);
	else if (s < 2 * 86400)
		snprintf(buf, len, "%.1f h", s / 3600);
	else
		snprintf(buf, len, "%.1f days", s / 86400);
}

void manager_port_predict(struct manager *m, struct port *p, uint64_t now)
{
	double t[PREDICT_POINTS], v[PREDICT_POINTS];

	if (!p->present || p->set.ignore || !p->set.enabled[POLICY_PREDICT])
		return;
	port_touch(p);
	for (int k = 0; k < _PRED_MAX; k++) {
		enum monitor mon = pred_mon[k];
		bool falling = k != PRED_TX_BIAS;
		double thr = falling ? p->thr[mon].low_alarm :
				       p->thr[mon].high_alarm;

		for (unsigned int l = 0; l < p->lanes && l < OPTICD_MAX_LANES;
		     l++) {
			struct prediction *pr = &p->pred[k][l], np;
			bool was = pr->warn;
			uint32_t window = m->cfg->predict_window;
			uint64_t from = p->active_since[l] + PREDICT_SETTLE;
			size_t n, j = 0;
			char tta[32];

			/* No trend across a power cycle: fit since the lane came up. */
			if (now < from)
				window = 0;
			else if (now - from < window)
				window = now - from;
			n = history_series(p->hist, mon, l, now, window, t, v,
					   PREDICT_POINTS);
			if (falling) {
				/* Optical power degrades in dB: fit dBm. */
				for (size_t i = 0; i < n; i++) {
					if (v[i] <= 0)
						continue;
					t[j] = t[i];
					v[j++] = 10 * log10(v[i] * 1000);
				}
				n = j;
				thr = p->thr[mon].low_alarm > 0 ?
					      10 * log10(p->thr[mon].low_alarm *
							 1000) :
					      NAN;
			}
			if (predict(&m->cfg->predict, t, v, n, now, thr,
				    falling, was, &np) < 0)
				continue;
			*pr = np;
			fmt_duration(tta, sizeof(tta), pr->tta);
			if (pr->warn && !was && pr->tta <= 0)
				manager_action(
					m, p, l, POLICY_PREDICT, MSGID_PREDICT,
					LOG_WARNING,
					"%s trend already at its %s alarm (%.2f %s)",
					monitor_name(mon),
					falling ? "low" : "high",
					falling ? thr : thr * 1000,
					mon_unit[mon]);
			else if (pr->warn && !was)
				manager_action(
					m, p, l, POLICY_PREDICT, MSGID_PREDICT,
					LOG_WARNING,
					"%s predicted to reach its %s alarm (%.2f %s) in %s (trend %+.3g %s/day)",
					monitor_name(mon),
					falling ? "low" : "high",
					falling ? thr : thr * 1000,
					mon_unit[mon], tta,
					pr->slope * 86400 *
						(falling ? 1 : 1000),
					falling ? "dB" : "mA");
			else if (!pr->warn && was)
				manager_action(
					m, p, l, POLICY_PREDICT, MSGID_PREDICT,
					LOG_NOTICE,
					"%s no longer predicted to reach its alarm within the horizon",
					monitor_name(mon));
		}
	}
}

void manager_power(struct manager *m, uint64_t now)
{
	_cleanup_free_ struct power_req *reqs = NULL;
	_cleanup_free_ struct port **who = NULL;
	_cleanup_free_ double *budget = NULL;
	size_t n = 0;

	reqs = calloc(m->n_ports + 1, sizeof(*reqs));
	who = calloc(m->n_ports + 1, sizeof(*who));
	budget = calloc(m->cfg->n_groups, sizeof(*budget));
	if (!reqs || !who || !budget)
		return;
	for (size_t g = 0; g < m->cfg->n_groups; g++)
		budget[g] = g ? m->cfg->groups[g].budget : m->cfg->power_budget;
	for (size_t i = 0; i < m->n_ports; i++) {
		struct port *p = m->ports[i];

		if (!p->present || p->set.ignore ||
		    !p->set.enabled[POLICY_POWER] ||
		    !m->cfg->policy[POLICY_POWER].enabled) {
			if (p->power_held) {
				p->power_held = false;
				port_touch(p);
				apply_lpmode(m, p);
			}
			continue;
		}
		reqs[n] = (struct power_req){
			.name = p->name,
			.max_power = isnan(p->max_power) ? 0 : p->max_power,
			.priority = p->set.priority,
			.group = p->set.group < m->cfg->n_groups ?
					 p->set.group :
					 0,
		};
		who[n++] = p;
	}
	if (power_plan(reqs, n, budget, m->cfg->n_groups) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct port *p = who[i];
		const char *grp = m->cfg->groups[reqs[i].group].name;

		if (reqs[i].held == p->power_held)
			continue;
		p->power_held = reqs[i].held;
		if (p->power_held)
			manager_action(
				m, p, -1, POLICY_POWER, MSGID_POWER,
				LOG_WARNING,
				"%.2f W module over the %s budget of %.1f W (priority %d): %sheld in LPMode",
				reqs[i].max_power, grp, budget[reqs[i].group],
				reqs[i].priority,
				acts(m, POLICY_POWER) ? "" : "would be ");
		else
			manager_action(
				m, p, -1, POLICY_POWER, MSGID_POWER, LOG_NOTICE,
				"%s budget allows %.2f W: %sreleased from LPMode",
				grp, reqs[i].max_power,
				acts(m, POLICY_POWER) ? "" : "would be ");
		apply_lpmode(m, p);
	}
}

/* Driver connection ---------------------------------------------------- */

static int arm_timer(struct manager *m, sd_event_source **src, uint64_t usec,
		     sd_event_time_handler_t cb);

static int on_retry(sd_event_source *s, uint64_t usec, void *userdata);
static void poll_soon(struct manager *m);
static void seq_reset(struct manager *m);
static void seq_settle(struct manager *m);

static void schedule_retry(struct manager *m)
{
	arm_timer(m, &m->retry_timer, m->cfg->driver_retry * USEC_PER_SEC,
		  on_retry);
}

void manager_notify_status(struct manager *m)
{
	size_t present = 0;

	for (size_t i = 0; i < m->n_ports; i++)
		present += m->ports[i]->present;
	m->notified_present = present;
	if (m->no_notify)
		return;
	if (m->driver_up)
		sd_notifyf(0, "STATUS=Monitoring %zu modules on %zu ports",
			   present, m->n_ports);
	else
		sd_notify(0, "STATUS=Waiting for the optic driver");
}

static int manager_connect(struct manager *m)
{
	int r;

	if (m->driver_up)
		return 0;
	r = optic_nl_open(&m->nl);
	if (r == -ENOENT && m->cfg->load_driver) {
		int k = optic_load_driver("optic");

		if (k < 0)
			log_event(LOG_WARNING, k, NULL, -1, NULL, MSGID_DRIVER,
				  "failed to load the optic kernel module");
		else
			r = optic_nl_open(&m->nl);
	}
	if (r < 0) {
		m->nl = NULL;
		if (!m->driver_warned)
			log_event(LOG_WARNING, r, NULL, -1, NULL, MSGID_DRIVER,
				  "optic driver not available, waiting for it");
		m->driver_warned = true;
		manager_notify_status(m);
		schedule_retry(m);
		return 0;
	}
	r = nlmon_join(m->mon);
	if (r < 0)
		log_event(
			LOG_WARNING, r, NULL, -1, NULL, MSGID_DRIVER,
			"failed to join the optic monitor group; polling only");
	if (m->driver_warned || m->reconnects)
		log_event(LOG_NOTICE, 0, NULL, -1, NULL, MSGID_DRIVER,
			  "connected to the optic driver");
	m->driver_warned = false;
	m->driver_up = true;
	seq_reset(m);
	m->reconnects++;
	if (m->retry_timer)
		sd_event_source_set_enabled(m->retry_timer, SD_EVENT_OFF);
	poll_soon(m);
	manager_notify_status(m);
	return 0;
}

void manager_disconnect(struct manager *m, int err)
{
	if (!m->driver_up)
		return;
	log_event(LOG_WARNING, err, NULL, -1, NULL, MSGID_DRIVER,
		  "lost the optic driver, waiting for it to come back");
	m->driver_warned = true;
	optic_nl_close(m->nl);
	m->nl = NULL;
	m->driver_up = false;
	for (size_t i = 0; i < m->n_ports; i++) {
		struct port *p = m->ports[i];

		port_touch(p);
		p->known = false;
		p->present = false;
		p->lpmode_ours = false;
		p->txdis_ours = 0;
		p->ins_pending = p->ins_logged = false;
		/* Another driver, other rings: read them again. */
		p->link.synced = false;
	}
	seq_reset(m);
	manager_notify_status(m);
	schedule_retry(m);
}

static int on_retry(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct manager *m = userdata;

	manager_connect(m);
	return 0;
}

/* Timers ---------------------------------------------------------------- */

static int arm_timer(struct manager *m, sd_event_source **src, uint64_t usec,
		     sd_event_time_handler_t cb)
{
	int r;

	if (*src) {
		r = sd_event_source_set_time_relative(*src, usec);
		if (r >= 0)
			r = sd_event_source_set_enabled(*src, SD_EVENT_ONESHOT);
		return r;
	}
	/* Accuracy 0 would be sd-event's default of 250 ms. */
	return sd_event_add_time_relative(m->event, src, CLOCK_MONOTONIC, usec,
					  MAX(usec / 20, KICK_ACCURACY_USEC),
					  cb, m);
}

/*
 * The poll cycle: on_poll dumps the modules, then on_slice polls one port
 * per dispatch, so that the loop serves scrapes, the status socket and
 * events between ports. The next cycle starts poll_interval after the end
 * of this one. Its duration, dump to last port, is the histogram's.
 */
static int on_poll(sd_event_source *s, uint64_t usec, void *userdata);

static bool cycle_running(struct manager *m)
{
	int e = SD_EVENT_OFF;

	return m->poll_slice &&
	       sd_event_source_get_enabled(m->poll_slice, &e) >= 0 &&
	       e != SD_EVENT_OFF;
}

static void poll_record(struct manager *m, double d)
{
	m->polls++;
	m->poll_sum += d;
	m->poll_last = d;
	for (int i = 0; i < POLL_BUCKETS; i++)
		if (d <= poll_bucket_le[i])
			m->poll_buckets[i]++;
}

static void poll_finish(struct manager *m)
{
	sd_event_source_set_enabled(m->poll_slice, SD_EVENT_OFF);
	if (m->driver_up)
		poll_record(m, (now_monotonic() - m->cycle_start) / 1e6);
	manager_poll_end(m);
	arm_timer(m, &m->poll_timer,
		  m->poll_again ? 0 : m->cfg->poll_interval_ms * 1000ULL,
		  on_poll);
	m->poll_again = false;
}

static int on_slice(sd_event_source *s, void *userdata)
{
	struct manager *m = userdata;

	if (!manager_poll_step(m))
		poll_finish(m);
	return 0;
}

static int on_poll(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct manager *m = userdata;

	m->poll_again = false;
	seq_settle(m);
	if (manager_poll_start(m) > 0 &&
	    sd_event_source_set_enabled(m->poll_slice, SD_EVENT_ON) >= 0)
		return 0;
	manager_poll_end(m);
	arm_timer(m, &m->poll_timer, m->cfg->poll_interval_ms * 1000ULL,
		  on_poll);
	return 0;
}

/* A cycle at once, or right after the one running (events were lost). */
static void poll_soon(struct manager *m)
{
	if (cycle_running(m))
		m->poll_again = true;
	else
		arm_timer(m, &m->poll_timer, 0, on_poll);
}

/* Ports events asked to poll: one per dispatch, each KICK_SPACING apart. */
static int on_kick(sd_event_source *s, uint64_t usec, void *userdata);

static void arm_kick(struct manager *m)
{
	uint64_t due = UINT64_MAX;

	for (size_t i = 0; i < m->n_ports; i++)
		if (m->ports[i]->kicked)
			due = MIN(due, m->ports[i]->polled + KICK_SPACING_USEC);
	if (due == UINT64_MAX) {
		if (m->kick_timer)
			sd_event_source_set_enabled(m->kick_timer,
						    SD_EVENT_OFF);
		return;
	}
	if (!m->kick_timer) {
		sd_event_add_time(m->event, &m->kick_timer, CLOCK_MONOTONIC,
				  due, KICK_ACCURACY_USEC, on_kick, m);
		return;
	}
	sd_event_source_set_time(m->kick_timer, due);
	sd_event_source_set_enabled(m->kick_timer, SD_EVENT_ONESHOT);
}

static int on_kick(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct manager *m = userdata;
	uint64_t now = now_monotonic();
	struct port *next = NULL;

	for (size_t i = 0; i < m->n_ports; i++) {
		struct port *p = m->ports[i];

		if (p->kicked && p->polled + KICK_SPACING_USEC <= now &&
		    (!next || p->polled < next->polled))
			next = p;
	}
	if (next) {
		next->kicked = false;
		manager_poll_port(m, next);
	}
	arm_kick(m);
	return 0;
}

/* An event for @p: poll it soon; events until then coalesce. */
static void kick_port(struct manager *m, struct port *p)
{
	if (p->kicked)
		return;
	p->kicked = true;
	arm_kick(m);
}

static int on_predict(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct manager *m = userdata;
	uint64_t now = now_realtime();

	for (size_t i = 0; i < m->n_ports; i++)
		manager_port_predict(m, m->ports[i], now);
	arm_timer(m, &m->predict_timer, m->cfg->predict_interval * USEC_PER_SEC,
		  on_predict);
	return 0;
}

static int on_textfile(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct manager *m = userdata;

	if (m->cfg->textfile)
		metrics_write_textfile(m, m->cfg->textfile);
	arm_timer(m, &m->textfile_timer,
		  m->cfg->textfile_interval * USEC_PER_SEC, on_textfile);
	return 0;
}

/* Netlink events --------------------------------------------------------- */

/*
 * The driver raises a FLAG event for a read that finds a bit newly set,
 * opticd's own reads included. Bits the port's image holds were delivered
 * by opticd's last read (the driver keeps latched bits per reader): an
 * echo, or a condition already seen. Only other bits are news.
 */
static bool flag_news(const struct port *p, const struct optic_nl_event *ev)
{
	int b = optic_image_byte(&p->img, OPTIC_ADDR_A0, ev->flag_page, 0,
				 ev->flag_offset);

	return b < 0 || (ev->flag_bits & ~b);
}

/*
 * Sequence numbers: the driver numbers every event it raises, for all
 * ports, from 1. Events of two ports can cross on their way (each is sent
 * under its own port's lock), so a hole is a lost event only once 64 later
 * ones came, or a poll cycle starts with it open (the cycle rescans what it
 * could have said anyway). A lost event means a port's story is not known:
 * rescan everything, as after a socket overrun.
 */
#define SEQ_WINDOW 64
/* Far below what was seen: the driver's counter started again. */
#define SEQ_RESTART 1000000

/* Events were lost: the records they announced are read at the polls. */
static void events_lost(struct manager *m, uint64_t n)
{
	m->events_lost += n;
	for (size_t i = 0; n && i < m->n_ports; i++)
		m->ports[i]->link.stale = true;
}

static void seq_reset(struct manager *m)
{
	m->seq_next = 0;
	m->seq_seen = 0;
}

/* Returns the number of events found lost. Bit i of seq_seen: seq_next + i. */
static uint64_t seq_track(struct manager *m, uint64_t seq)
{
	uint64_t lost = 0;

	if (!seq)
		return 0;
	if (!m->seq_next || seq + SEQ_RESTART < m->seq_next) {
		/* The first one, or the driver was reloaded (from 1 again). */
		m->seq_next = seq + 1;
		m->seq_seen = 0;
		return 0;
	}
	if (seq < m->seq_next)
		return 0; /* late, or a duplicate: handled all the same */
	while (seq - m->seq_next >= SEQ_WINDOW) {
		/* The window slides past seq_next: never received, lost. */
		if (!m->seq_seen && seq - m->seq_next > SEQ_WINDOW) {
			lost += seq - (SEQ_WINDOW - 1) - m->seq_next;
			m->seq_next = seq - (SEQ_WINDOW - 1);
			break;
		}
		if (!(m->seq_seen & 1))
			lost++;
		m->seq_seen >>= 1;
		m->seq_next++;
	}
	m->seq_seen |= 1ull << (seq - m->seq_next);
	while (m->seq_seen & 1) {
		m->seq_seen >>= 1;
		m->seq_next++;
	}
	return lost;
}

/*
 * A poll cycle starts: it rescans every port, so holes still open are
 * counted lost and forgotten (should one arrive after all, it is handled
 * like any event).
 */
static void seq_settle(struct manager *m)
{
	uint64_t n;

	if (!m->seq_seen)
		return;
	n = 64 - __builtin_clzll(m->seq_seen); /* highest received + 1 */
	events_lost(m, n - __builtin_popcountll(m->seq_seen));
	m->seq_next += n;
	m->seq_seen = 0;
}

void manager_event(struct manager *m, const struct optic_nl_event *ev)
{
	struct port *p;
	uint64_t lost;

	if (ev->type <= OPTIC_EVENT_FLAG)
		m->events[ev->type]++;
	lost = seq_track(m, ev->seq);
	if (lost) {
		events_lost(m, lost);
		log_event(LOG_WARNING, 0, NULL, -1, NULL, MSGID_DRIVER,
			  "%" PRIu64 " driver events lost, rescanning", lost);
		poll_soon(m);
	}
	p = manager_port(m, ev->name, ev->type == OPTIC_EVENT_INSERTED);
	if (!p)
		return;
	port_touch(p);
	port_link_event(m, p, ev);
	/* Each polls the port at once, so IntL cuts the alert latency. */
	switch (ev->type) {
	case OPTIC_EVENT_INSERTED:
		/* Logged when read, or from the event if it goes first. */
		port_insert_event(m, p, ev);
		break;
	case OPTIC_EVENT_REMOVED:
		/* Logged now: it may be back before the poll. */
		port_removed(m, p);
		if (!p->present)
			p->info.present = false;
		break;
	case OPTIC_EVENT_MODULE_STATE:
		p->info.state = ev->new_state;
		manager_port_state(m, p, ev->new_state, now_realtime());
		/* fall through */
	case OPTIC_EVENT_DATAPATH_STATE:
		/* What the module advertises and its lane setup may be new. */
		p->fresh = true;
		break;
	case OPTIC_EVENT_FLAG:
		/*
		 * Counted by the poll: the driver keeps latched bits per
		 * reader until read, so the poll sees every one of them once.
		 * A flag polls the port at once once per cycle: a noisy
		 * monitor latching at every read would otherwise poll its
		 * port without end; the cycle polls it next.
		 */
		if (!flag_news(p, ev) || p->flag_kick_cycle == m->cycles)
			return;
		p->flag_kick_cycle = m->cycles;
		break;
	default:
		return;
	}
	kick_port(m, p);
}

static void on_nl(enum nlmon_kind kind, const struct optic_nl_event *ev,
		  void *arg)
{
	struct manager *m = arg;

	switch (kind) {
	case NLMON_FAMILY_NEW:
		manager_connect(m);
		return;
	case NLMON_FAMILY_DEL:
		manager_disconnect(m, -ENOENT);
		return;
	case NLMON_OVERRUN:
		/* The next sequence number tells nothing more: start over. */
		events_lost(m, 1);
		seq_reset(m);
		poll_soon(m);
		return;
	case NLMON_EVENT:
		manager_event(m, ev);
		return;
	}
}

void manager_drain_events(struct manager *m)
{
	int r;

	if (!m->mon || !m->driver_up)
		return;
	r = nlmon_dispatch(m->mon);
	if (r < 0)
		m->netlink_errors++;
}

static int on_mon_io(sd_event_source *s, int fd, uint32_t revents,
		     void *userdata)
{
	struct manager *m = userdata;
	int r = nlmon_dispatch(m->mon);

	if (r < 0) {
		m->netlink_errors++;
		log_event(LOG_WARNING, r, NULL, -1, NULL, NULL,
			  "reading netlink notifications failed");
	}
	return 0;
}

/* Signals and reload --------------------------------------------------- */

int manager_reload(struct manager *m)
{
	_cleanup_free_ char *err = NULL;
	struct config *c = NULL, *old;
	int r;

	if (!m->no_notify)
		sd_notify(0, "RELOADING=1\nSTATUS=Reloading configuration");
	r = config_load(m->config_path, &c, &err);
	if (r == -ENOENT && streq(m->config_path, OPTICD_CONFIG_PATH))
		r = config_new_default(&c);
	if (r < 0) {
		m->reloads_failed++;
		log_event(LOG_ERR, 0, NULL, -1, NULL, MSGID_CONFIG,
			  "configuration refused, keeping the old one: %s",
			  err ? err : strerror(-r));
		goto out;
	}
	old = m->cfg;
	m->cfg = c;
	r = metrics_reconfigure(m, old);
	if (r >= 0)
		r = status_reconfigure(m, old);
	if (r < 0) {
		/* Listening sockets are part of the config: all or nothing. */
		m->cfg = old;
		metrics_reconfigure(m, c);
		status_reconfigure(m, c);
		config_free(c);
		m->reloads_failed++;
		log_event(LOG_ERR, r, NULL, -1, NULL, MSGID_CONFIG,
			  "configuration refused, keeping the old one");
		goto out;
	}
	config_free(old);
	for (size_t i = 0; i < m->n_ports; i++)
		manager_port_configure(m, m->ports[i]);
	m->reloads_ok++;
	log_event(LOG_NOTICE, 0, NULL, -1, NULL, MSGID_CONFIG,
		  "configuration reloaded from %s", m->config_path);
	manager_power(m, now_realtime());
	r = 0;
out:
	if (!m->no_notify)
		sd_notify(0, "READY=1");
	manager_notify_status(m);
	return r;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si,
		     void *userdata)
{
	struct manager *m = userdata;

	if (si->ssi_signo == SIGHUP) {
		manager_reload(m);
		return 0;
	}
	if (!m->no_notify)
		sd_notify(0, "STOPPING=1\nSTATUS=Shutting down");
	return sd_event_exit(m->event, 0);
}

/* Life cycle ------------------------------------------------------------ */

int manager_new(struct manager **out, const char *config_path,
		struct config *cfg)
{
	_cleanup_(manager_freep) struct manager *m = calloc(1, sizeof(*m));
	int r;

	if (!m)
		return -ENOMEM;
	m->config_path = strdup(config_path);
	if (!m->config_path)
		return -ENOMEM;
	r = sd_event_new(&m->event);
	if (r < 0)
		return r;
	m->ops = &default_ops;
	m->cycles = 1;
	m->start_ns = now_realtime_ns();
	m->start_time = m->start_ns / 1000000000u;
	m->cfg = cfg;
	*out = TAKE_PTR(m);
	return 0;
}

void manager_free(struct manager *m)
{
	if (!m)
		return;
	metrics_stop(m);
	status_stop(m);
	sd_event_source_unref(m->mon_source);
	sd_event_source_unref(m->poll_timer);
	sd_event_source_unref(m->poll_slice);
	sd_event_source_unref(m->kick_timer);
	manager_poll_end(m);
	sd_event_source_unref(m->retry_timer);
	sd_event_source_unref(m->predict_timer);
	sd_event_source_unref(m->textfile_timer);
	nlmon_close(m->mon);
	optic_nl_close(m->nl);
	for (size_t i = 0; i < m->n_ports; i++)
		port_free(m->ports[i]);
	free(m->ports);
	config_free(m->cfg);
	free(m->config_path);
	sd_event_unref(m->event);
	free(m);
}

int manager_start(struct manager *m)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	sigset_t mask;
	int r;

	sigemptyset(&mask);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaddset(&mask, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return log_errno(errno, "failed to block signals");
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		r = sd_event_add_signal(m->event, NULL, sigs[i], on_signal, m);
		if (r < 0)
			return log_errno(r, "failed to add a signal handler");
	}
	r = sd_event_set_watchdog(m->event, true);
	if (r < 0)
		return log_errno(r, "failed to set up the watchdog");

	r = metrics_start(m);
	if (r < 0)
		return r;
	r = status_start(m);
	if (r < 0)
		return r;

	r = nlmon_open(&m->mon, on_nl, m);
	if (r < 0)
		return log_errno(r, "failed to open a netlink socket");
	r = sd_event_add_io(m->event, &m->mon_source, nlmon_fd(m->mon), EPOLLIN,
			    on_mon_io, m);
	if (r < 0)
		return log_errno(r, "failed to watch the netlink socket");

	log_event(LOG_INFO, 0, NULL, -1, NULL, MSGID_STARTED,
		  "opticd %s started (config %s, metrics %s)", OPTIC_VERSION,
		  m->config_path,
		  *m->cfg->metrics_listen ? m->cfg->metrics_listen : "off");
	r = sd_event_add_defer(m->event, &m->poll_slice, on_slice, m);
	if (r >= 0)
		r = sd_event_source_set_enabled(m->poll_slice, SD_EVENT_OFF);
	if (r >= 0)
		r = arm_timer(m, &m->poll_timer,
			      m->cfg->poll_interval_ms * 1000ULL, on_poll);
	if (r >= 0)
		r = arm_timer(m, &m->predict_timer,
			      m->cfg->predict_interval * USEC_PER_SEC,
			      on_predict);
	if (r >= 0)
		r = arm_timer(m, &m->textfile_timer, USEC_PER_SEC, on_textfile);
	if (r < 0)
		return log_errno(r, "failed to arm timers");
	/* Connected, it polls at once. */
	return manager_connect(m);
}

int manager_run(struct manager *m)
{
	return sd_event_loop(m->event);
}
