// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bounded, downsampled per-port monitor history in fixed point: tier 0 the
 * samples, tiers 1-2 the min, mean and max of each period.
 */
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
	.period = { 1, 900, 4 * 3600 },
	.length = { 60, 96, 42 },
};

/* A field's accumulator over one period of a coarser tier, in codes. */
struct acc_field {
	uint64_t sum;
	uint32_t cnt; /* samples not NaN */
	uint16_t lo, hi;
};

struct tier {
	uint32_t period;
	unsigned int width; /* codes a field: 1 (tier 0), 3 (min, mean, max) */
	size_t cap, head, len; /* head: next slot to write */
	uint32_t *t; /* [cap] */
	uint16_t *v; /* [cap][nf][width] */
	/* The period being summed (tiers 1-2). */
	uint64_t bucket; /* t / period of the samples summed */
	uint32_t n; /* samples summed (0: empty) */
	uint64_t tsum;
	struct acc_field *acc; /* [nf] */
};

/*
 * One allocation: this header, then the tiers' accumulators, times and
 * codes.
 */
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

static unsigned int tier_width(unsigned int tier)
{
	return tier ? 3 : 1;
}

size_t history_memory(const struct history_spec *spec, unsigned int lanes)
{
	size_t bytes = sizeof(struct history);
	unsigned int nf = nfields(lanes);

	for (unsigned int i = 0; i < HISTORY_TIERS; i++) {
		bytes += (size_t)spec->length[i] *
			 (sizeof(uint32_t) +
			  nf * tier_width(i) * sizeof(uint16_t));
		if (i)
			bytes += nf * sizeof(struct acc_field);
	}
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
	/* Largest alignment first: accumulators, times, then codes. */
	p = (char *)(h + 1);
	for (unsigned int i = 1; i < HISTORY_TIERS; i++) {
		h->tier[i].acc = (struct acc_field *)p;
		p += h->nf * sizeof(struct acc_field);
	}
	for (unsigned int i = 0; i < HISTORY_TIERS; i++) {
		h->tier[i].period = spec->period[i];
		h->tier[i].width = tier_width(i);
		h->tier[i].cap = spec->length[i];
		h->tier[i].t = (uint32_t *)p;
		p += h->tier[i].cap * sizeof(uint32_t);
	}
	for (unsigned int i = 0; i < HISTORY_TIERS; i++) {
		h->tier[i].v = (uint16_t *)p;
		p += h->tier[i].cap * h->nf * h->tier[i].width *
		     sizeof(uint16_t);
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

static void acc_reset(const struct history *h, struct tier *tr)
{
	tr->n = 0;
	tr->tsum = 0;
	memset(tr->acc, 0, h->nf * sizeof(*tr->acc));
}

void history_clear(struct history *h)
{
	for (int i = 0; i < HISTORY_TIERS; i++) {
		h->tier[i].head = h->tier[i].len = 0;
		if (h->tier[i].acc)
			acc_reset(h, &h->tier[i]);
	}
}

/* The next slot of @tr, stamped @t: its codes, width a field. */
static uint16_t *tier_next(struct tier *tr, unsigned int nf, uint32_t t)
{
	uint16_t *v = &tr->v[tr->head * nf * tr->width];

	tr->t[tr->head] = t;
	tr->head = (tr->head + 1) % tr->cap;
	if (tr->len < tr->cap)
		tr->len++;
	return v;
}

/* The period summed into @tr as an entry: min, mean, max a field. */
static void acc_flush(const struct history *h, struct tier *tr)
{
	uint16_t *v;

	if (!tr->n)
		return;
	v = tier_next(tr, h->nf, (uint32_t)((tr->tsum + tr->n / 2) / tr->n));
	for (unsigned int i = 0; i < h->nf; i++, v += 3) {
		const struct acc_field *a = &tr->acc[i];

		if (!a->cnt) {
			v[0] = v[1] = v[2] = CODE_NAN;
			continue;
		}
		v[0] = a->lo;
		v[1] = (uint16_t)((a->sum + a->cnt / 2) / a->cnt);
		v[2] = a->hi;
	}
	acc_reset(h, tr);
}

static void acc_add(const struct history *h, struct tier *tr, const uint16_t *c,
		    uint32_t t)
{
	uint64_t bucket = t / tr->period;

	if (tr->n && bucket != tr->bucket)
		acc_flush(h, tr);
	tr->bucket = bucket;
	tr->n++;
	tr->tsum += t;
	for (unsigned int i = 0; i < h->nf; i++) {
		struct acc_field *a = &tr->acc[i];

		if (c[i] == CODE_NAN)
			continue;
		a->lo = a->cnt ? MIN(a->lo, c[i]) : c[i];
		a->hi = a->cnt ? MAX(a->hi, c[i]) : c[i];
		a->sum += c[i];
		a->cnt++;
	}
}

void history_add(struct history *h, const struct sample *s)
{
	const float *f = &s->temp;
	uint16_t *c = tier_next(&h->tier[0], h->nf, s->t);

	/* Tier 0 as sampled; the coarser ones sum its codes. */
	for (unsigned int i = 0; i < h->nf; i++)
		c[i] = encode(field_mon(h, i), f[field_sample(h, i)]);
	for (int i = 1; i < HISTORY_TIERS; i++)
		acc_add(h, &h->tier[i], c, s->t);
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
	v = &tr->v[slot(tr, i) * h->nf * tr->width];
	sample_init(s, tr->t[slot(tr, i)]);
	for (unsigned int f = 0; f < h->nf; f++)
		(&s->temp)[field_sample(h, f)] = (float)decode(
			field_mon(h, f), v[f * tr->width + tr->width / 2]);
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

/* Code @stat of field @f in slot @k of @tr. */
static uint16_t code_at(const struct history *h, const struct tier *tr,
			size_t k, unsigned int f, enum history_stat stat)
{
	return tr->v[(k * h->nf + f) * tr->width +
		     (tr->width == 1 ? 0 : (unsigned int)stat)];
}

size_t history_series(const struct history *h, enum monitor m, int lane,
		      enum history_stat stat, uint32_t now, uint32_t window,
		      double *t, double *v, size_t max)
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
		    code_at(h, tr, k, f, stat) == CODE_NAN)
			continue;
		if (first == tr->len)
			first = i;
		count++;
	}
	for (size_t i = first, k = 0; i < tr->len && out < max; i++) {
		size_t j = slot(tr, i);
		uint16_t c = code_at(h, tr, j, f, stat);

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
