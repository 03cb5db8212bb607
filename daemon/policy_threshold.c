// SPDX-License-Identifier: GPL-2.0-or-later
/* Policy 1: module-advertised and operator thresholds, with hysteresis. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "policy.h"
#include "util.h"

static const char *const policy_names[_POLICY_MAX] = {
	[POLICY_THRESHOLD] = "thresholds", [POLICY_THERMAL] = "thermal",
	[POLICY_RECOVERY] = "recovery",	   [POLICY_POWER] = "power",
	[POLICY_PREDICT] = "prediction",   [POLICY_FLAP] = "flap",
};

const char *policy_name(enum policy_id p)
{
	return (unsigned int)p < _POLICY_MAX ? policy_names[p] : "?";
}

int policy_from_name(const char *s)
{
	for (int i = 0; i < _POLICY_MAX; i++)
		if (streq(s, policy_names[i]))
			return i;
	return -EINVAL;
}

const char *level_name(enum level l)
{
	switch (l) {
	case LEVEL_OK:
		return "ok";
	case LEVEL_WARNING:
		return "warning";
	case LEVEL_ALARM:
		return "alarm";
	}
	return "?";
}

static double margin(const struct hysteresis *h, double thr)
{
	return h ? h->abs + h->rel * fabs(thr) : 0;
}

/* Level of @v with each threshold moved inward by its hysteresis (if @h). */
static enum level level_at(const struct thresholds *t,
			   const struct hysteresis *h, double v)
{
	/* Comparisons with a NaN threshold are false: unset never fires. */
	if (v >= t->high_alarm - margin(h, t->high_alarm) ||
	    v <= t->low_alarm + margin(h, t->low_alarm))
		return LEVEL_ALARM;
	if (v >= t->high_warning - margin(h, t->high_warning) ||
	    v <= t->low_warning + margin(h, t->low_warning))
		return LEVEL_WARNING;
	return LEVEL_OK;
}

enum level threshold_eval(const struct thresholds *t,
			  const struct hysteresis *h, enum level prev, double v)
{
	enum level raw, sticky;

	if (isnan(v))
		return prev;
	raw = level_at(t, NULL, v);
	if (raw >= prev)
		return raw;
	sticky = level_at(t, h, v);
	return MAX(raw, MIN(prev, sticky));
}
