// SPDX-License-Identifier: GPL-2.0-or-later
/* Policy 6: LOS/LOL/TX-fault accounting, alert on rate. */
#include "policy.h"

void flap_record(struct flap_state *st, uint64_t now, unsigned int count)
{
	st->total += count;
	if (count > FLAP_RING)
		count = FLAP_RING;
	while (count--) {
		st->ring[st->head] = now;
		st->head = (st->head + 1) % FLAP_RING;
		if (st->len < FLAP_RING)
			st->len++;
	}
}

unsigned int flap_count(const struct flap_cfg *cfg, const struct flap_state *st,
			uint64_t now)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < st->len; i++) {
		uint64_t t =
			st->ring[(st->head + FLAP_RING - 1 - i) % FLAP_RING];

		if (t + cfg->window <= now)
			break;
		n++;
	}
	return n;
}

enum flap_verdict flap_eval(const struct flap_cfg *cfg, struct flap_state *st,
			    uint64_t now)
{
	unsigned int n = flap_count(cfg, st, now);

	if (!st->alerting && cfg->max_events && n >= cfg->max_events) {
		st->alerting = true;
		return FLAP_ALERT;
	}
	/* Clear once the window holds none: no alert/clear ping-pong. */
	if (st->alerting && n == 0) {
		st->alerting = false;
		return FLAP_CLEAR;
	}
	return FLAP_NONE;
}
