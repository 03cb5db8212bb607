/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * printf's "%.7g" without printf, for the metrics' values: the same bytes
 * for every double, at a fraction of the cost.
 */
#ifndef OPTICD_NUMFMT_H
#define OPTICD_NUMFMT_H

#include <stddef.h>

/* "-1.234567e-308" and its NUL fit. */
#define FMT_G7_LEN 16

/* Write @v as snprintf(@buf, FMT_G7_LEN, "%.7g", @v) would; its length. */
size_t fmt_g7(char *buf, double v);

#endif /* OPTICD_NUMFMT_H */
