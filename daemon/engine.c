// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The port registry and the policy engine (engine.h): ports by name and
 * their settings, the policies run over each poll's values and states,
 * the actions taken through manager_ops (logged, counted, listed), the
 * power plan. poll.c and manager.c call it; it calls port.c, the pure
 * policies (policy_*.c) and the metrics' per-port block, nothing above.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#include "fw.h"
#include "log.h"
#include "manager.h"
#include "metrics.h"
#include "util.h"
void manager_port_free(struct port *p)
{
	if (!p)
		return;
	metrics_port_free(p->metrics);
	port_free(p);
}

/* FNV-1a */
static size_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

/* The slot of port @name, or the empty slot where it would go. */
static uint32_t *port_slot(const struct manager *m, const char *name)
{
	size_t mask = m->n_port_slots - 1;
	size_t i = name_hash(name) & mask;

	while (m->port_slots[i] &&
	       !streq(m->ports[m->port_slots[i] - 1]->name, name))
		i = (i + 1) & mask;
	return &m->port_slots[i];
}

/* Room for one more port in the slots (twice as many as ports). */
static int port_slots_reserve(struct manager *m)
{
	size_t n = m->n_port_slots ?: 64;
	uint32_t *old = m->port_slots;

	if (2 * (m->n_ports + 1) <= m->n_port_slots)
		return 0;
	while (2 * (m->n_ports + 1) > n)
		n *= 2;
	m->port_slots = calloc(n, sizeof(*m->port_slots));
	if (!m->port_slots) {
		m->port_slots = old;
		return -ENOMEM;
	}
	m->n_port_slots = n;
	for (size_t i = 0; i < m->n_ports; i++)
		*port_slot(m, m->ports[i]->name) = i + 1;
	free(old);
	return 0;
}

struct port *manager_port(struct manager *m, const char *name, bool create)
{
	struct port *p, **ports;
	uint32_t *slot;

	if (m->n_ports && (slot = port_slot(m, name)) && *slot)
		return m->ports[*slot - 1];
	if (!create || port_slots_reserve(m) < 0)
		return NULL;
	if (port_new(&p, name, &m->cfg->history) < 0)
		return NULL;
	p->metrics = metrics_port_new();
	ports = reallocarray(m->ports, m->n_ports + 1, sizeof(*ports));
	if (!p->metrics || !ports) {
		manager_port_free(p);
		return NULL;
	}
	m->ports = ports;
	m->ports[m->n_ports++] = p;
	*port_slot(m, name) = m->n_ports;
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
			struct lane_flag *lf = port_flag(p, k, l);
			enum flap_verdict v;

			if (!lf || !lf->flap.len)
				continue;
			v = flap_eval(fc, &lf->flap, now);
			if (v == FLAP_ALERT)
				manager_action(
					m, p, l, POLICY_FLAP, MSGID_FLAP,
					LOG_WARNING,
					"%s latched %u times in %u s (limit %u)",
					flap_kind_name(k),
					flap_count(fc, &lf->flap, now),
					fc->window, fc->max_events);
			else if (v == FLAP_CLEAR)
				manager_action(m, p, l, POLICY_FLAP, MSGID_FLAP,
					       LOG_NOTICE, "%s quiet for %u s",
					       flap_kind_name(k), fc->window);
		}
}

/* Lane monitors are NaN while the lane is down (poll.c). */
static void track_active(struct port *p, const struct sample *s)
{
	for (unsigned int l = 0; l < p->lanes && l < OPTICD_MAX_LANES; l++) {
		bool live = !isnan(s->tx_power[l]) || !isnan(s->rx_power[l]) ||
			    !isnan(s->tx_bias[l]);
		bool was = p->have_sample && (!isnan(p->last.tx_power[l]) ||
					      !isnan(p->last.rx_power[l]) ||
					      !isnan(p->last.tx_bias[l]));

		if (live && !was)
			p->active_since[l] = s->t;
	}
}

/* Whether @a and @b report the same values (NaN: a lane down, none). */
static bool same_reported(const struct sample *a, const struct sample *b)
{
	const float *x = &a->temp, *y = &b->temp;
	size_t n = (sizeof(*a) - offsetof(struct sample, temp)) / sizeof(*x);

	for (size_t i = 0; i < n; i++)
		if (isnan(x[i]) != isnan(y[i]))
			return false;
	return true;
}

void manager_port_sample(struct manager *m, struct port *p,
			 const struct sample *s, uint64_t now)
{
	/* What the metrics show: the values (not their time), the levels. */
	uint8_t level[_MON_MAX][OPTICD_MAX_LANES];
	size_t vals = offsetof(struct sample, temp);

	memcpy(level, p->level, sizeof(level));
	/* Which lanes report is shown beyond the values (levels). */
	if (!p->have_sample || !same_reported(&p->last, s))
		port_touch(p);
	else if (memcmp((const char *)&p->last + vals, (const char *)s + vals,
			sizeof(*s) - vals))
		port_touch_sample(p);
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
		struct lane_flag *lf = port_flag_add(p, k, l);

		if (!lf)
			continue;
		lf->total++;
		flap_record(&lf->flap, now, 1);
	}
}

/*
 * Latched flags a FLAG event announced, before the poll it asks for reads
 * them: counted, and judged by the threshold policy, at once. That poll
 * finds the same bits (the driver keeps them latched for opticd until it
 * reads them): counted already (flags_prev), at the level already.
 */
void manager_port_flag_news(struct manager *m, struct port *p,
			    const struct flag_news *news, uint64_t now)
{
	/* Each lane of the news latched anew, raised at the last poll or not. */
	for (int k = 0; k < _FLAP_KIND_MAX; k++)
		if (news->flags[k]) {
			uint32_t lanes = p->flags_prev[k] | news->flags[k];

			p->flags_prev[k] &= ~news->flags[k];
			manager_port_flags(m, p, k, lanes, now);
		}
	if (p->set.ignore)
		return;
	for (int mon = 0; p->set.enabled[POLICY_THRESHOLD] && mon < _MON_MAX;
	     mon++)
		for (unsigned int l = 0; l < OPTICD_MAX_LANES; l++) {
			uint8_t f = news->mf.f[mon][l];
			enum level old = p->level[mon][l], flagged;
			bool high = false;

			/* As at a poll: a lane's flags on a lane live. */
			if (!f || (monitor_per_lane(mon) &&
				   !(p->flag_lanes & (1u << l))))
				continue;
			flagged = flag_level(p, mon, f, &high);
			if (flagged <= old)
				continue;
			log_latched(m, p, mon, l, flagged, old, high, NAN);
			p->level[mon][l] = flagged;
		}
	if (p->set.enabled[POLICY_FLAP])
		run_flap(m, p, now);
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

static void predict_port(struct manager *m, struct port *p, uint64_t now)
{
	double t[PREDICT_POINTS], v[PREDICT_POINTS];

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
			n = history_series(p->hist, mon, l, HISTORY_MEAN, now,
					   window, t, v, PREDICT_POINTS);
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

void manager_port_predict(struct manager *m, struct port *p, uint64_t now)
{
	struct prediction before[_PRED_MAX][OPTICD_MAX_LANES];

	if (!p->present || p->set.ignore || !p->set.enabled[POLICY_PREDICT])
		return;
	memcpy(before, p->pred, sizeof(before));
	predict_port(m, p, now);
	/* most modules have no trend: their blocks stay rendered */
	if (memcmp(before, p->pred, sizeof(before)))
		port_touch(p);
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
