// SPDX-License-Identifier: GPL-2.0-or-later
/* Policy 2: thermal protection, N samples over the limit, rate-limited. */
#include <math.h>

#include "policy.h"

enum thermal_verdict thermal_step(const struct thermal_cfg *cfg,
				  struct thermal_state *st, double temp,
				  uint64_t now)
{
	unsigned int need = cfg->samples ? cfg->samples : 1;
	bool may_act;

	if (isnan(temp))
		return THERMAL_NONE;
	if (temp > cfg->limit) {
		st->hot++;
		st->cool = 0;
	} else if (temp < cfg->limit - cfg->hysteresis) {
		st->cool++;
		st->hot = 0;
	} else {
		/* In the hysteresis band: neither streak goes on. */
		st->hot = st->cool = 0;
	}

	may_act = !st->acted || now >= st->last_action + cfg->min_interval;
	if (!st->engaged && st->hot >= need && may_act) {
		st->engaged = true;
		st->acted = true;
		st->last_action = now;
		return THERMAL_ENGAGE;
	}
	if (st->engaged && st->cool >= need && may_act) {
		st->engaged = false;
		st->acted = true;
		st->last_action = now;
		return THERMAL_RELEASE;
	}
	return THERMAL_NONE;
}
