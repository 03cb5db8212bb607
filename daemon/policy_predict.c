// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Policy 5: degradation prediction. A Theil–Sen fit (median of pairwise
 * slopes: robust to up to ~29% outliers, unlike least squares) over the
 * history gives the trend; the time to the alarm threshold follows.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "policy.h"
#include "util.h"

static void swapd(double *a, double *b)
{
	double t = *a;

	*a = *b;
	*b = t;
}

/* k-th smallest of a[0..n) (Wirth's selection; reorders a). */
static double select_kth(double *a, size_t n, size_t k)
{
	long l = 0, m = (long)n - 1, kk = (long)k;

	while (l < m) {
		double x = a[kk];
		long i = l, j = m;

		do {
			while (a[i] < x)
				i++;
			while (x < a[j])
				j--;
			if (i <= j) {
				swapd(&a[i], &a[j]);
				i++;
				j--;
			}
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			m = j;
	}
	return a[kk];
}

static double median(double *a, size_t n)
{
	double hi = select_kth(a, n, n / 2);

	if (n % 2)
		return hi;
	return (select_kth(a, n, n / 2 - 1) + hi) / 2;
}

/* Two-sided 95% normal quantile. */
#define Z_95 1.959964

int theil_sen(const double *x, const double *y, size_t n, double *slope,
	      double *intercept, double *lo, double *hi)
{
	_cleanup_free_ double *s = NULL;
	size_t m = 0;

	if (n < 2)
		return -EINVAL;
	s = malloc(sizeof(double) *
		   (n * (n - 1) / 2 > n ? n * (n - 1) / 2 : n));
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (x[j] != x[i])
				s[m++] = (y[j] - y[i]) / (x[j] - x[i]);
	if (!m)
		return -EINVAL;
	*slope = median(s, m);
	if (lo && hi) {
		double c = Z_95 * sqrt(n * (n - 1.0) * (2.0 * n + 5) / 18);
		double m1 = floor((m - c) / 2), m2 = ceil((m + c) / 2);

		*lo = m1 < 0 ? -INFINITY : select_kth(s, m, (size_t)m1);
		*hi = m2 >= m ? INFINITY : select_kth(s, m, (size_t)m2);
	}
	for (size_t i = 0; i < n; i++)
		s[i] = y[i] - *slope * x[i];
	*intercept = median(s, n);
	return 0;
}

int predict(const struct predict_cfg *cfg, const double *t, const double *v,
	    size_t n, double now, double threshold, bool falling,
	    bool was_warning, struct prediction *out)
{
	double slope, icpt, x0, lo, hi;
	_cleanup_free_ double *x = NULL;
	int r;

	*out = (struct prediction){ .tta = INFINITY };
	if (n < 2 || n < cfg->min_points || isnan(threshold) ||
	    t[n - 1] - t[0] < cfg->min_span)
		return 0;
	/* Fit around the first point: epoch seconds squared lose precision. */
	x = malloc(n * sizeof(*x));
	if (!x)
		return -ENOMEM;
	x0 = t[0];
	for (size_t i = 0; i < n; i++)
		x[i] = t[i] - x0;
	r = theil_sen(x, v, n, &slope, &icpt, &lo, &hi);
	if (r == -EINVAL)
		return 0;
	if (r < 0)
		return r;

	out->valid = true;
	out->slope = slope;
	out->significant = falling ? hi < 0 : lo > 0;
	out->value = icpt + slope * (now - x0);
	if (falling ? out->value <= threshold : out->value >= threshold)
		out->tta = 0;
	else if (out->significant)
		out->tta = (threshold - out->value) / slope;
	out->warn = out->tta < cfg->horizon * (was_warning ? 1.25 : 1);
	return 0;
}
