/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Row macros for the per-spec tables (cmis.c, sff8636.c, sff8472.c). Kept
 * out of decode.h: only the tables need them.
 */
#ifndef OPTIC_FIELDS_H
#define OPTIC_FIELDS_H

#include "decode.h"
#include "util.h"

/* clang-format off: tables read best one row per line */
/* Four threshold rows: high alarm, low alarm, high warning, low warning. */
#define THRESH4(a, pg, off, t, sc, u, pr, cl, label, key)                    \
	{ .addr = a, .page = pg, .offset = (off), .len = 2, .type = t,       \
	  .scale = sc, .unit = u, .prec = pr, .cal = cl,                     \
	  .sect = OPTIC_S_THRESHOLD, .name = label " high alarm threshold",  \
	  .json_key = key, .json_sub = "high_alarm" },                       \
	{ .addr = a, .page = pg, .offset = (off) + 2, .len = 2, .type = t,   \
	  .scale = sc, .unit = u, .prec = pr, .cal = cl,                     \
	  .sect = OPTIC_S_THRESHOLD, .name = label " low alarm threshold",   \
	  .json_key = key, .json_sub = "low_alarm" },                        \
	{ .addr = a, .page = pg, .offset = (off) + 4, .len = 2, .type = t,   \
	  .scale = sc, .unit = u, .prec = pr, .cal = cl,                     \
	  .sect = OPTIC_S_THRESHOLD, .name = label " high warning threshold",\
	  .json_key = key, .json_sub = "high_warning" },                     \
	{ .addr = a, .page = pg, .offset = (off) + 6, .len = 2, .type = t,   \
	  .scale = sc, .unit = u, .prec = pr, .cal = cl,                     \
	  .sect = OPTIC_S_THRESHOLD, .name = label " low warning threshold", \
	  .json_key = key, .json_sub = "low_warning" }

/* A flag bit: module-level (n = 0) or per lane (bit + lane * step). */
#define FLAG(a, pg, off, l, b, st, n, s, sv, label, key)                     \
	{ .addr = a, .page = pg, .offset = off, .len = l, .type = OPTIC_F_FLAG,\
	  .bit = b, .bit_step = st, .count = n, .sect = s, .sev = sv,        \
	  .name = label, .json_key = key }

/* clang-format on */

extern const struct optic_codes optic_media_tech;
extern const struct optic_codes optic_rx_power_type;

#endif /* OPTIC_FIELDS_H */
