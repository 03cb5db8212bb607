// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fmt_g7() against snprintf("%.7g"): byte for byte on edge cases (zeros,
 * ties, roundings to the next power of ten, the ends of %g's fixed form,
 * subnormals, the largest doubles) and on millions of pseudo-random doubles
 * and floats (the samples are floats) from a fixed seed.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "numfmt.h"
#include "util.h"

#define RANDOM_N 2000000

static void check(double v)
{
	char want[32], got[FMT_G7_LEN];
	size_t len = fmt_g7(got, v);

	snprintf(want, sizeof(want), "%.7g", v);
	if (strcmp(got, want) || len != strlen(want))
		fail_msg("%a: fmt_g7 \"%s\" (%zu), printf \"%s\"", v, got, len,
			 want);
}

/* @v, its neighbours and their negatives. */
static void check_around(double v)
{
	const double n[] = { v, nextafter(v, -INFINITY),
			     nextafter(v, INFINITY) };

	for (size_t i = 0; i < ARRAY_SIZE(n); i++) {
		check(n[i]);
		check(-n[i]);
	}
}

/* Rows of edge cases (a short row ends in zeros), each also negated. */
static const double edges[][10] = {
	/* %g's forms: 1e-4 .. 9999999 fixed, exponents beyond */
	{ 1, 0.5, 0.1, 1e-5, 9.999999e-5, 0.0001, 0.001, 1e7, 9999999,
	  12345678 },
	{ 123456789, 1e15, 1e16, 1e22, 1e23, 1e28, 1e29, 1e-16, 1e-17 },
	/* ties of 7 digits: printf rounds them to even */
	{ 1234567.5, 1234568.5, 2345678.5, 999999.5, 0x1p23 + 0.5 },
	/* rounded up to the next power of ten */
	{ 9.9999995e-5, 9999999.5, 9999999.6, 999999.95, 99999.995, 0.99999995,
	  9.9999995, 9.9999995e22, 9.9999995e27, 9.9999995e-17 },
	/* either side of a rounding */
	{ 9999999.4, 1.0000005, 1.00000049, 0x1p24, 1234567 },
	/* subnormal, huge */
	{ DBL_TRUE_MIN, DBL_MIN / 3, DBL_MIN, 1e-300, 1e300, DBL_MAX,
	  DBL_EPSILON, M_PI, M_E },
	/* floats, as the samples are */
	{ 0.1f, 0.2f, 0.3f, 1e-3f, 0.5012e-3f, 3.3f, 0.05f, 1e-4f,
	  9.9999995e-5f, 16777215.0f },
	{ FLT_MAX, FLT_MIN, FLT_TRUE_MIN, 25.5f, -40.0f, 75.0f, 5e-4f },
};

static void test_edges(void **state)
{
	check(-0.0);
	check(NAN);
	check(INFINITY);
	check(-INFINITY);
	for (size_t i = 0; i < ARRAY_SIZE(edges); i++)
		for (size_t j = 0; j < ARRAY_SIZE(edges[i]); j++)
			check_around(edges[i][j]);
}

/*
 * Every decimal exponent E of a double: 1eE, ties rounding up to the next
 * power of ten (9.9999995eE) or not (1.0000005eE), values next to them;
 * each the double nearest to the decimal, and one ulp either side.
 */
static void test_decades(void **state)
{
	static const char *const mant[] = { "1",	 "2.5",
					    "9.999999",	 "9.9999995",
					    "1.0000005", "1.000000499",
					    "5.0000005" };
	char s[64];

	for (int e = -324; e <= 308; e++)
		for (size_t i = 0; i < ARRAY_SIZE(mant); i++) {
			snprintf(s, sizeof(s), "%se%d", mant[i], e);
			check_around(strtod(s, NULL));
		}
}

/* xorshift64*: the same sequence on every run. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

/* A double of random sign and bits, 2^-40 .. 2^40 (1e-12 .. 1e12). */
static double random_double(uint64_t *s)
{
	uint64_t r = next(s);
	double m = 1 + (r >> 12) * 0x1p-52;

	return ldexp(r & 1 ? -m : m, (int)(next(s) % 81) - 40);
}

static void test_random_doubles(void **state)
{
	uint64_t s = 0x6f70746963ull;

	for (int i = 0; i < RANDOM_N; i++)
		check(random_double(&s));
}

static void test_random_floats(void **state)
{
	uint64_t s = 0x666c6f6174ull;

	for (int i = 0; i < RANDOM_N; i++)
		check((float)random_double(&s));
}

/*
 * Doubles nearest to decimals of 8 significant digits ending in 5 (the
 * ties of 7 digits), 1e-12 .. 1e12, their neighbours, and values 2^-36 ..
 * 2^-48 off them: either side of fmt_g7()'s margin around a tie.
 */
static void test_random_near_ties(void **state)
{
	uint64_t s = 0x746965ull;
	char str[64];
	double t;

	for (int i = 0; i < RANDOM_N / 10; i++) {
		unsigned int m = 1000000 + next(&s) % 9000000;

		snprintf(str, sizeof(str), "%u5e%d", m,
			 (int)(next(&s) % 25) - 19);
		t = strtod(str, NULL);
		check_around(t);
		for (int j = 36; j <= 48; j += 4) {
			check(t * (1 + ldexp(1, -j)));
			check(t * (1 - ldexp(1, -j)));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_decades),
		cmocka_unit_test(test_random_doubles),
		cmocka_unit_test(test_random_floats),
		cmocka_unit_test(test_random_near_ties),
	};

	return cmocka_run_group_tests_name("opticd_numfmt", tests, NULL, NULL);
}
