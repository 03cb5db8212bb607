/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * opticd policies. Each is a pure function over samples (or module states)
 * and a small state struct the caller keeps per port or lane: no I/O, no
 * clock, no logging, so tests/unit/test_opticd_policy.c drives them with
 * tables. The manager turns their verdicts into actions and log lines.
 */
#ifndef OPTICD_POLICY_H
#define OPTICD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum policy_id {
	POLICY_THRESHOLD,
	POLICY_THERMAL,
	POLICY_RECOVERY,
	POLICY_POWER,
	POLICY_PREDICT,
	POLICY_FLAP,
	_POLICY_MAX,
};

const char *policy_name(enum policy_id p);
int policy_from_name(const char *s);

/* 1. Thresholds with hysteresis --------------------------------------- */

enum level {
	LEVEL_OK,
	LEVEL_WARNING,
	LEVEL_ALARM,
};

const char *level_name(enum level l);

/* NaN = threshold not set. */
struct thresholds {
	double high_alarm;
	double high_warning;
	double low_warning;
	double low_alarm;
};

/* Leaving a level needs the value inside by abs + rel * |threshold|. */
struct hysteresis {
	double abs;
	double rel;
};

/*
 * The level of @v given the previous level @prev: the raw level when it is
 * not better than @prev, else the level with every threshold moved inward
 * by the hysteresis, bounded by the raw level and @prev. A NaN value keeps
 * @prev.
 */
enum level threshold_eval(const struct thresholds *t,
			  const struct hysteresis *h, enum level prev,
			  double v);

/* 2. Thermal protection ----------------------------------------------- */

struct thermal_cfg {
	double limit; /* °C */
	double hysteresis; /* released below limit - hysteresis */
	unsigned int samples; /* consecutive samples to engage/release */
	unsigned int min_interval; /* s between two actions on a port */
};

struct thermal_state {
	unsigned int hot, cool;
	bool engaged;
	bool acted; /* last_action is valid */
	uint64_t last_action;
};

enum thermal_verdict {
	THERMAL_NONE,
	THERMAL_ENGAGE, /* put the module in LPMode / disable TX */
	THERMAL_RELEASE, /* undo it */
};

enum thermal_verdict thermal_step(const struct thermal_cfg *cfg,
				  struct thermal_state *st, double temp,
				  uint64_t now);

/* 3. Fault recovery with exponential backoff ------------------------- */

struct recovery_cfg {
	unsigned int max_attempts;
	unsigned int backoff_initial; /* s before the 2nd reset */
	unsigned int backoff_max; /* s, cap of the doubling */
	unsigned int ready_timeout; /* s; 0 = the module's advertised */
	unsigned int stable; /* s Ready before attempts reset */
};

struct recovery_state {
	bool bad;
	uint64_t bad_since;
	bool ready;
	uint64_t ready_since;
	unsigned int attempts;
	uint64_t next_allowed;
	bool failed;
};

enum recovery_verdict {
	RECOVERY_NONE,
	RECOVERY_RESET,
	RECOVERY_FAILED, /* attempts exhausted: marked failed, once */
};

/* Seconds to wait before resetting after attempt @attempts (1-based). */
unsigned int recovery_backoff(const struct recovery_cfg *cfg,
			      unsigned int attempts);

/*
 * @state is enum optic_module_state; @advertised_ready is the module's
 * MaxDurationModulePwrUp in seconds: the module gets that plus as much
 * again (at least 5 s) as grace; unknown (0): 60 s. A configured
 * ready_timeout overrides both.
 */
enum recovery_verdict recovery_step(const struct recovery_cfg *cfg,
				    struct recovery_state *st, int state,
				    unsigned int advertised_ready,
				    uint64_t now);

/* 4. Power budget ----------------------------------------------------- */

struct power_req {
	const char *name; /* port, the tie breaker */
	double max_power; /* W the module advertises */
	int priority; /* higher is kept powered first */
	unsigned int group; /* index into the budgets */
	bool held; /* output: keep in LPMode */
};

/*
 * For each group, admit modules in priority order (then name) while the sum
 * of max_power stays within the group's budget; the first that does not fit
 * and every lower-priority one are held. A budget <= 0 is unlimited.
 * Returns the number of modules held, or -EINVAL.
 */
int power_plan(struct power_req *reqs, size_t n, const double *budget,
	       size_t ngroups);

/* 5. Degradation prediction ------------------------------------------ */

/*
 * Theil–Sen estimator: the median of the slopes of all pairs with distinct
 * x, the intercept the median of y - slope * x. With @lo and @hi, also
 * Sen's 95% confidence interval of the slope (order statistics of the
 * pairwise slopes around the median, from Kendall's S variance
 * n(n-1)(2n+5)/18). -EINVAL with fewer than two distinct x, -ENOMEM.
 */
int theil_sen(const double *x, const double *y, size_t n, double *slope,
	      double *intercept, double *lo, double *hi);

struct predict_cfg {
	double horizon; /* s: warn when time to threshold is below */
	unsigned int min_points;
	double min_span; /* s between first and last point */
};

struct prediction {
	double slope; /* value units per s */
	double value; /* fitted value at now */
	double tta; /* s to the threshold; INFINITY if never, 0 if past */
	bool valid; /* enough data for a fit */
	bool significant; /* the slope's 95% interval excludes 0 */
	bool warn; /* tta < horizon */
};

/*
 * Fit the series (@t in s, @v) and predict when it crosses @threshold:
 * downward when @falling (RX/TX power dropping to the low alarm), else
 * upward (bias rising to the high alarm). Only a significant trend (its
 * 95% interval excludes a flat or opposite one) predicts a crossing: noise
 * on a steady lane never does. A warning (@was_warning) clears only once
 * the crossing is beyond 1.25 horizons. Returns 0 or -errno.
 */
int predict(const struct predict_cfg *cfg, const double *t, const double *v,
	    size_t n, double now, double threshold, bool falling,
	    bool was_warning, struct prediction *out);

/* 6. Flap / LOS accounting -------------------------------------------- */

#define FLAP_RING 64

struct flap_cfg {
	unsigned int window; /* s */
	unsigned int
		max_events; /* alert at this many in the window (<= FLAP_RING) */
};

struct flap_state {
	uint64_t total;
	uint64_t ring[FLAP_RING]; /* event times, newest at head - 1 */
	unsigned int head, len;
	bool alerting;
};

enum flap_verdict {
	FLAP_NONE,
	FLAP_ALERT,
	FLAP_CLEAR,
};

void flap_record(struct flap_state *st, uint64_t now, unsigned int count);
unsigned int flap_count(const struct flap_cfg *cfg, const struct flap_state *st,
			uint64_t now);
enum flap_verdict flap_eval(const struct flap_cfg *cfg, struct flap_state *st,
			    uint64_t now);

#endif /* OPTICD_POLICY_H */
