// SPDX-License-Identifier: GPL-2.0-or-later
/* Policy 3: fault recovery, reset with exponential backoff, then failed. */
#include <linux/optic.h>

#include "policy.h"

#define DEFAULT_READY_TIMEOUT 60
/*
 * opticd sees states by polling, through a bus that may be busy: an
 * advertised duration gets the same again as grace, at least 5 s.
 */
#define ADVERTISED_GRACE_MIN 5

unsigned int recovery_backoff(const struct recovery_cfg *cfg,
			      unsigned int attempts)
{
	uint64_t d = cfg->backoff_initial;

	for (unsigned int i = 1; i < attempts && d < cfg->backoff_max; i++)
		d *= 2;
	return d > cfg->backoff_max ? cfg->backoff_max : (unsigned int)d;
}

enum recovery_verdict recovery_step(const struct recovery_cfg *cfg,
				    struct recovery_state *st, int state,
				    unsigned int advertised_ready, uint64_t now)
{
	unsigned int timeout;
	bool bad_now;

	switch (state) {
	case OPTIC_STATE_READY:
		if (!st->ready) {
			st->ready = true;
			st->ready_since = now;
		}
		st->bad = false;
		st->failed = false;
		if (st->attempts && now >= st->ready_since + cfg->stable)
			st->attempts = 0;
		return RECOVERY_NONE;
	case OPTIC_STATE_LOWPWR:
		/* Low power is asked for (LPMode, power budget): not a fault. */
		st->ready = false;
		st->bad = false;
		return RECOVERY_NONE;
	default:
		break;
	}

	st->ready = false;
	if (!st->bad) {
		st->bad = true;
		st->bad_since = now;
	}
	if (cfg->ready_timeout)
		timeout = cfg->ready_timeout;
	else if (advertised_ready)
		timeout = advertised_ready +
			  (advertised_ready > ADVERTISED_GRACE_MIN ?
				   advertised_ready :
				   ADVERTISED_GRACE_MIN);
	else
		timeout = DEFAULT_READY_TIMEOUT;
	bad_now = state == OPTIC_STATE_FAULT || now >= st->bad_since + timeout;
	if (!bad_now || st->failed)
		return RECOVERY_NONE;
	if (st->attempts >= cfg->max_attempts) {
		st->failed = true;
		return RECOVERY_FAILED;
	}
	if (st->attempts && now < st->next_allowed)
		return RECOVERY_NONE;
	st->attempts++;
	st->next_allowed = now + recovery_backoff(cfg, st->attempts);
	/* The module gets its full power-up time again after a reset. */
	st->bad_since = now;
	return RECOVERY_RESET;
}
