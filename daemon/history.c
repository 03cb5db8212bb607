// SPDX-License-Identifier: GPL-2.0-or-later
/* Bounded, downsampled per-port monitor history in fixed point. */
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

/* The code of a NaN (a value not reported, a lane down). */
#define CODE_NAN UINT16_MAX

/*
 * Fixed point per monitor: value = base + code * lsb, codes 0..0xfffe.
 * The modules' own units (CMIS 5.2 Table 8-10/8-78, SFF-8636 Table
 * 6-8/6-9, SFF-8472 Table 9-11): 1/256 °C, 100 µV, 0.1 µW; TX bias in
 * 8 µA, the CMIS 2 µA unit times its largest multiplier (page 01h byte
 * 160), up to 524 mA. Means of a tier are rounded to the same units.
 */
static const struct {
	double lsb, base;
} fixed[_MON_MAX] = {
	[MON_TEMP] = { 1.0 / 256, -128 }, [MON_VCC] = { 100e-6, 0 },
	[MON_TX_POWER] = { 0.1e-6, 0 },	  [MON_RX_POWER] = { 0.1e-6, 0 },
	[MON_TX_BIAS] = { 8e-6, 0 },
};

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
	uint32_t *t; /* [cap] */
	uint16_t *v; /* [cap][nf] */
	struct acc acc;
};

/* One allocation: this header, then the tiers' times, then their codes. */
struct history {
	unsigned int lanes, nf; /* nf = 2 + 3 * lanes fields an entry */
	struct tier tier[HISTORY_TIERS];
};

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

static unsigned int nfields(unsigned int lanes)
{
	return 2 + 3 * lanes;
}

/* Field @f of an entry: its monitor and its index in struct sample. */
static enum monitor field_mon(const struct history *h, unsigned int f)
{
	return f < 2 ? (enum monitor)f : MON_TX_POWER + (f - 2) / h->lanes;
}

static unsigned int field_sample(const struct history *h, unsigned int f)
{
	return f < 2 ? f :
		       2 + (f - 2) / h->lanes * OPTICD_MAX_LANES +
			       (f - 2) % h->lanes;
}

static uint16_t encode(enum monitor m, double v)
{
	double c;

	if (isnan(v))
		return CODE_NAN;
	c = round((v - fixed[m].base) / fixed[m].lsb);
	return c < 0 ? 0 : c >= CODE_NAN ? CODE_NAN - 1 : (uint16_t)c;
}

static double decode(enum monitor m, uint16_t c)
{
	return c == CODE_NAN ? NAN : fixed[m].base + c * fixed[m].lsb;
}

size_t history_memory(const struct history_spec *spec, unsigned int lanes)
{
	size_t bytes = sizeof(struct history);

	for (int i = 0; i < HISTORY_TIERS; i++)
		bytes += (size_t)spec->length[i] *
			 (sizeof(uint32_t) + nfields(lanes) * sizeof(uint16_t));
	return bytes;
}

int history_new(struct history **out, const struct history_spec *spec,
		unsigned int lanes)
{
	struct history *h;
	char *p;

	if (!lanes || lanes > OPTICD_MAX_LANES)
		return -EINVAL;
	for (int i = 0; i < HISTORY_TIERS; i++)
		if (!spec->length[i] || (i > 0 && !spec->period[i]))
			return -EINVAL;
	h = calloc(1, history_memory(spec, lanes));
	if (!h)
		return -ENOMEM;
	h->lanes = lanes;
	h->nf = nfields(lanes);
	p = (char *)(h + 1);
	for (int i = 0; i < HISTORY_TIERS; i++) {
		h->tier[i].period = spec->period[i];
		h->tier[i].cap = spec->length[i];
		h->tier[i].t = (uint32_t *)p;
		p += h->tier[i].cap * sizeof(uint32_t);
	}
	for (int i = 0; i < HISTORY_TIERS; i++) {
		h->tier[i].v = (uint16_t *)p;
		p += h->tier[i].cap * h->nf * sizeof(uint16_t);
	}
	*out = h;
	return 0;
}

void history_free(struct history *h)
{
	free(h);
}

unsigned int history_lanes(const struct history *h)
{
	return h->lanes;
}

void history_clear(struct history *h)
{
	for (int i = 0; i < HISTORY_TIERS; i++) {
		h->tier[i].head = h->tier[i].len = 0;
		memset(&h->tier[i].acc, 0, sizeof(h->tier[i].acc));
	}
}

/* Store @t and the struct sample fields @f into the next slot of @tier. */
static void tier_push(const struct history *h, struct tier *tr, uint32_t t,
		      const double *f)
{
	uint16_t *v = &tr->v[tr->head * h->nf];

	tr->t[tr->head] = t;
	for (unsigned int i = 0; i < h->nf; i++)
		v[i] = encode(field_mon(h, i), f[field_sample(h, i)]);
	tr->head = (tr->head + 1) % tr->cap;
	if (tr->len < tr->cap)
		tr->len++;
}

static void acc_flush(const struct history *h, struct tier *tr)
{
	struct acc *a = &tr->acc;
	double f[NFIELDS];

	if (!a->n)
		return;
	for (int i = 0; i < NFIELDS; i++)
		f[i] = a->cnt[i] ? a->sum[i] / a->cnt[i] : NAN;
	tier_push(h, tr, (uint32_t)llround(a->t / a->n), f);
	memset(a, 0, sizeof(*a));
}

static void acc_add(const struct history *h, struct tier *tr,
		    const struct sample *s)
{
	struct acc *a = &tr->acc;
	uint64_t bucket = s->t / tr->period;
	const float *f = &s->temp;

	if (a->n && bucket != a->bucket)
		acc_flush(h, tr);
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
	double f[NFIELDS];

	for (int i = 0; i < NFIELDS; i++)
		f[i] = (&s->temp)[i];
	tier_push(h, &h->tier[0], s->t, f);
	for (int i = 1; i < HISTORY_TIERS; i++)
		acc_add(h, &h->tier[i], s);
}

size_t history_len(const struct history *h, unsigned int tier)
{
	return tier < HISTORY_TIERS ? h->tier[tier].len : 0;
}

/* Ring slot of entry @i (0 the oldest) of @tr. */
static size_t slot(const struct tier *tr, size_t i)
{
	return (tr->head + tr->cap - tr->len + i) % tr->cap;
}

bool history_at(const struct history *h, unsigned int tier, size_t i,
		struct sample *s)
{
	const struct tier *tr;
	const uint16_t *v;

	if (tier >= HISTORY_TIERS || i >= h->tier[tier].len)
		return false;
	tr = &h->tier[tier];
	v = &tr->v[slot(tr, i) * h->nf];
	sample_init(s, tr->t[slot(tr, i)]);
	for (unsigned int f = 0; f < h->nf; f++)
		(&s->temp)[field_sample(h, f)] =
			(float)decode(field_mon(h, f), v[f]);
	return true;
}

bool history_last(const struct history *h, struct sample *s)
{
	size_t n = h->tier[0].len;

	return n && history_at(h, 0, n - 1, s);
}

static unsigned int pick_tier(const struct history *h, uint32_t since)
{
	unsigned int best = 0;
	uint32_t best_t = UINT32_MAX;

	for (unsigned int i = 0; i < HISTORY_TIERS; i++) {
		const struct tier *tr = &h->tier[i];
		uint32_t oldest;

		if (!tr->len)
			continue;
		oldest = tr->t[slot(tr, 0)];
		if (oldest <= since)
			return i;
		if (oldest < best_t) {
			best_t = oldest;
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
	const struct tier *tr = &h->tier[pick_tier(h, since)];
	size_t first = tr->len, count = 0, out = 0;
	unsigned int f;

	if (!max || (monitor_per_lane(m) &&
		     (lane < 0 || (unsigned int)lane >= h->lanes)))
		return 0;
	f = monitor_per_lane(m) ? 2 + (m - MON_TX_POWER) * h->lanes + lane :
				  (unsigned int)m;
	/* Count the usable points in the window first, to thin evenly. */
	for (size_t i = 0; i < tr->len; i++) {
		size_t k = slot(tr, i);

		if (tr->t[k] < since || tr->t[k] > now ||
		    tr->v[k * h->nf + f] == CODE_NAN)
			continue;
		if (first == tr->len)
			first = i;
		count++;
	}
	for (size_t i = first, k = 0; i < tr->len && out < max; i++) {
		size_t j = slot(tr, i);
		uint16_t c = tr->v[j * h->nf + f];

		if (tr->t[j] < since || tr->t[j] > now || c == CODE_NAN)
			continue;
		/* Keep point k when it starts a new 1/max share of count. */
		if (count <= max || (k * max) % count < max) {
			t[out] = tr->t[j];
			v[out] = decode(m, c);
			out++;
		}
		k++;
	}
	return out;
}
