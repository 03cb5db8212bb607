// SPDX-License-Identifier: GPL-2.0-or-later
/* Bounded, downsampled per-port monitor history. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "util.h"

#define NFIELDS (2 + 3 * OPTICD_MAX_LANES)
_Static_assert(sizeof(struct sample) ==
		       sizeof(uint32_t) + NFIELDS * sizeof(float),
	       "struct sample must be a time and packed floats");

const struct history_spec history_default_spec = {
	.period = { 1, 60, 900 },
	.length = { 3600, 1440, 2880 },
};

struct acc {
	uint64_t bucket; /* t / period of the samples summed */
	uint32_t n; /* samples summed (0: empty) */
	double t;
	double sum[NFIELDS];
	uint32_t cnt[NFIELDS];
};

struct tier {
	uint32_t period;
	size_t cap, head, len; /* head: next slot to write */
	struct sample *ring;
	struct acc acc;
};

struct history {
	struct tier tier[HISTORY_TIERS];
};

static const float *fields(const struct sample *s)
{
	return &s->temp;
}

void sample_init(struct sample *s, uint32_t t)
{
	float *f = &s->temp;

	s->t = t;
	for (int i = 0; i < NFIELDS; i++)
		f[i] = NAN;
}

const char *monitor_name(enum monitor m)
{
	static const char *const names[_MON_MAX] = {
		[MON_TEMP] = "temperature",  [MON_VCC] = "vcc",
		[MON_TX_POWER] = "tx_power", [MON_RX_POWER] = "rx_power",
		[MON_TX_BIAS] = "tx_bias",
	};

	return (unsigned int)m < _MON_MAX ? names[m] : "?";
}

size_t history_memory(const struct history_spec *spec)
{
	size_t bytes = sizeof(struct history);

	for (int i = 0; i < HISTORY_TIERS; i++)
		bytes += (size_t)spec->length[i] * sizeof(struct sample);
	return bytes;
}

int history_new(struct history **out, const struct history_spec *spec)
{
	_cleanup_free_ struct history *h = NULL;

	for (int i = 0; i < HISTORY_TIERS; i++)
		if (!spec->length[i] || (i > 0 && !spec->period[i]))
			return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	for (int i = 0; i < HISTORY_TIERS; i++) {
		struct tier *t = &h->tier[i];

		t->period = spec->period[i];
		t->cap = spec->length[i];
		t->ring = calloc(t->cap, sizeof(struct sample));
		if (!t->ring)
			goto fail;
	}
	*out = TAKE_PTR(h);
	return 0;
fail:
	for (int i = 0; i < HISTORY_TIERS; i++)
		free(h->tier[i].ring);
	return -ENOMEM;
}

void history_free(struct history *h)
{
	if (!h)
		return;
	for (int i = 0; i < HISTORY_TIERS; i++)
		free(h->tier[i].ring);
	free(h);
}

void history_clear(struct history *h)
{
	for (int i = 0; i < HISTORY_TIERS; i++) {
		h->tier[i].head = h->tier[i].len = 0;
		memset(&h->tier[i].acc, 0, sizeof(h->tier[i].acc));
	}
}

static void tier_push(struct tier *t, const struct sample *s)
{
	t->ring[t->head] = *s;
	t->head = (t->head + 1) % t->cap;
	if (t->len < t->cap)
		t->len++;
}

static void acc_flush(struct tier *t)
{
	struct acc *a = &t->acc;
	struct sample s;
	float *f = &s.temp;

	if (!a->n)
		return;
	s.t = (uint32_t)llround(a->t / a->n);
	for (int i = 0; i < NFIELDS; i++)
		f[i] = a->cnt[i] ? (float)(a->sum[i] / a->cnt[i]) : NAN;
	tier_push(t, &s);
	memset(a, 0, sizeof(*a));
}

static void acc_add(struct tier *t, const struct sample *s)
{
	struct acc *a = &t->acc;
	uint64_t bucket = s->t / t->period;
	const float *f = fields(s);

	if (a->n && bucket != a->bucket)
		acc_flush(t);
	a->bucket = bucket;
	a->n++;
	a->t += s->t;
	for (int i = 0; i < NFIELDS; i++) {
		if (isnan(f[i]))
			continue;
		a->sum[i] += f[i];
		a->cnt[i]++;
	}
}

void history_add(struct history *h, const struct sample *s)
{
	tier_push(&h->tier[0], s);
	for (int i = 1; i < HISTORY_TIERS; i++)
		acc_add(&h->tier[i], s);
}

size_t history_len(const struct history *h, unsigned int tier)
{
	return tier < HISTORY_TIERS ? h->tier[tier].len : 0;
}

const struct sample *history_at(const struct history *h, unsigned int tier,
				size_t i)
{
	const struct tier *t;

	if (tier >= HISTORY_TIERS)
		return NULL;
	t = &h->tier[tier];
	if (i >= t->len)
		return NULL;
	return &t->ring[(t->head + t->cap - t->len + i) % t->cap];
}

const struct sample *history_last(const struct history *h)
{
	size_t n = h->tier[0].len;

	return n ? history_at(h, 0, n - 1) : NULL;
}

static unsigned int pick_tier(const struct history *h, uint32_t since)
{
	unsigned int best = 0;
	uint32_t best_t = UINT32_MAX;

	for (unsigned int i = 0; i < HISTORY_TIERS; i++) {
		const struct sample *oldest = history_at(h, i, 0);

		if (!oldest)
			continue;
		if (oldest->t <= since)
			return i;
		if (oldest->t < best_t) {
			best_t = oldest->t;
			best = i;
		}
	}
	return best;
}

size_t history_series(const struct history *h, enum monitor m, int lane,
		      uint32_t now, uint32_t window, double *t, double *v,
		      size_t max)
{
	uint32_t since = now > window ? now - window : 0;
	unsigned int tier = pick_tier(h, since);
	size_t len = history_len(h, tier), first = len, count = 0, out = 0;

	if (!max)
		return 0;
	/* Count the usable points in the window first, to thin evenly. */
	for (size_t i = 0; i < len; i++) {
		const struct sample *s = history_at(h, tier, i);

		if (s->t < since || s->t > now || isnan(sample_get(s, m, lane)))
			continue;
		if (first == len)
			first = i;
		count++;
	}
	for (size_t i = first, k = 0; i < len && out < max; i++) {
		const struct sample *s = history_at(h, tier, i);
		double val = sample_get(s, m, lane);

		if (s->t < since || s->t > now || isnan(val))
			continue;
		/* Keep point k when it starts a new 1/max share of count. */
		if (count <= max || (k * max) % count < max) {
			t[out] = s->t;
			v[out] = val;
			out++;
		}
		k++;
	}
	return out;
}
