// SPDX-License-Identifier: GPL-2.0-or-later
/* printf's "%.7g" without printf: integer digits, snprintf when unsure. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "numfmt.h"
#include "util.h"

#define SIG 7 /* significant digits */
#define D_MIN 1000000u /* 10^(SIG - 1) */
#define D_END 10000000u /* 10^SIG */

/* 10^0 .. 10^22, each exact in a double. */
static const double pow10_exact[] = {
	1e0,  1e1,  1e2,  1e3,	1e4,  1e5,  1e6,  1e7,	1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#define POW10_MAX ((int)ARRAY_SIZE(pow10_exact) - 1)

/* @a * 10^@k, |@k| <= POW10_MAX: one correctly rounded operation. */
static double scale(double a, int k)
{
	return k >= 0 ? a * pow10_exact[k] : a / pow10_exact[-k];
}

/*
 * @a (> 0) rounded to SIG digits: @d in [D_MIN, D_END) and the decimal
 * exponent @x of the rounded value (a ~ d * 10^(x - SIG + 1)); false
 * outside 1e-16 .. 1e28 or so (the powers of ten scaling by must be exact)
 * or too close to a tie to be sure of printf's rounding.
 *
 * n = a * 10^(SIG - 1 - x) is one rounding off the exact value: n < 2^24,
 * so by at most ulp(n) / 2 <= 2^-30, and its fraction is on the exact
 * one's side of 1/2 unless within 2^-30 of it. A fraction within 2^-20
 * (exact ties included: printf rounds those to even) goes to snprintf: a
 * margin 1024 times the error, taking about 2^-19 of random values.
 */
static bool digits(double a, uint32_t *d, int *x)
{
	double n, frac;
	uint32_t i;
	int e2;

	/* a in [2^(e2 - 1), 2^e2): x is this or one more, as n tells */
	frexp(a, &e2);
	*x = (int)floor((e2 - 1) * 0.30102999566398120);
	if (SIG - 1 - *x > POW10_MAX || SIG - 1 - (*x + 1) < -POW10_MAX)
		return false;
	n = scale(a, SIG - 1 - *x);
	if (n >= D_END) {
		++*x;
		n = scale(a, SIG - 1 - *x);
	}
	i = (uint32_t)n;
	frac = n - i;
	if (fabs(frac - 0.5) < 0x1p-20)
		return false;
	*d = i + (frac > 0.5);
	if (*d == D_END) { /* 9999999.5 and up: the next power of ten */
		*d = D_MIN;
		++*x;
	}
	return true;
}

/* %g's exponent form: d[.ddd]e±XX (|x| <= 29 here: two digits). */
static char *exp_form(char *p, const char *dig, int nd, int x)
{
	unsigned int ux = x < 0 ? -x : x;

	*p++ = dig[0];
	if (nd > 1) {
		*p++ = '.';
		memcpy(p, dig + 1, nd - 1);
		p += nd - 1;
	}
	*p++ = 'e';
	*p++ = x < 0 ? '-' : '+';
	*p++ = '0' + ux / 10;
	*p++ = '0' + ux % 10;
	return p;
}

/* %g's fixed form, -4 <= x < SIG: ddd[.ddd] or 0.000ddd. */
static char *fixed_form(char *p, const char *dig, int nd, int x)
{
	int ip = x + 1; /* digits before the point */

	if (x < 0) {
		*p++ = '0';
		*p++ = '.';
		memset(p, '0', -ip);
		p += -ip;
		memcpy(p, dig, nd);
		return p + nd;
	}
	memcpy(p, dig, ip);
	p += ip;
	if (nd > ip) {
		*p++ = '.';
		memcpy(p, dig + ip, nd - ip);
		p += nd - ip;
	}
	return p;
}

size_t fmt_g7(char *buf, double v)
{
	char dig[SIG], *p = buf;
	uint32_t d;
	int nd, x;

	if (v == 0) /* 0 or -0 */
		return stpcpy(buf, signbit(v) ? "-0" : "0") - buf;
	if (!isfinite(v) || !digits(fabs(v), &d, &x))
		return snprintf(buf, FMT_G7_LEN, "%.7g", v);
	if (v < 0)
		*p++ = '-';
	for (int j = SIG - 1; j >= 0; j--, d /= 10)
		dig[j] = '0' + d % 10;
	for (nd = SIG; dig[nd - 1] == '0'; nd--) /* dig[0] is not 0 */
		;
	p = x < -4 || x >= SIG ? exp_form(p, dig, nd, x) :
				 fixed_form(p, dig, nd, x);
	*p = '\0';
	return p - buf;
}
