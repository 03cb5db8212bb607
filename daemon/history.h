/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-port monitor history: fixed-size ring buffers at several resolutions.
 * Every sample enters tier 0 as is; each coarser tier stores the per-field
 * minimum, mean and maximum of the samples that fell into one of its
 * periods. Entries are kept in fixed point, 16 bits per value at the
 * modules' own resolution (or finer), for the lanes of the module only.
 * Memory is allocated once at creation and never grows: history_memory()
 * tells how much (about 26 KiB for an 8-lane module by default).
 */
#ifndef OPTICD_HISTORY_H
#define OPTICD_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample.h"

#define HISTORY_TIERS 3

struct history_spec {
	uint32_t period[HISTORY_TIERS]; /* seconds per entry; 0 = as sampled */
	uint32_t length[HISTORY_TIERS]; /* entries */
};

/* 1 s for a minute, 15 min for a day, 4 h for 7 days. */
extern const struct history_spec history_default_spec;

struct history;

/* Which of a coarser tier's values (tier 0 has one: all three are it). */
enum history_stat {
	HISTORY_MIN,
	HISTORY_MEAN,
	HISTORY_MAX,
};

/* A history of the monitors of a module with @lanes lanes (1-32). */
int history_new(struct history **out, const struct history_spec *spec,
		unsigned int lanes);
void history_free(struct history *h);
static inline void history_freep(struct history **h)
{
	if (*h)
		history_free(*h);
}

/* Bytes allocated by history_new() for @spec and @lanes. */
size_t history_memory(const struct history_spec *spec, unsigned int lanes);
unsigned int history_lanes(const struct history *h);

/*
 * Add a sample (lanes beyond the history's are ignored); samples must come
 * in non-decreasing time order.
 */
void history_add(struct history *h, const struct sample *s);
void history_clear(struct history *h);

size_t history_len(const struct history *h, unsigned int tier);
/* Entry @i of @tier into @s (means), 0 the oldest; false past the end. */
bool history_at(const struct history *h, unsigned int tier, size_t i,
		struct sample *s);
bool history_last(const struct history *h, struct sample *s);

/*
 * The series of monitor @m (@lane), @stat of each entry, over the last
 * @window seconds before @now, from the finest tier whose span covers the
 * window (else the coarsest), NaN values skipped, thinned evenly to at most
 * @max points. Returns the number of points written to @t/@v.
 */
size_t history_series(const struct history *h, enum monitor m, int lane,
		      enum history_stat stat, uint32_t now, uint32_t window,
		      double *t, double *v, size_t max);

#endif /* OPTICD_HISTORY_H */
