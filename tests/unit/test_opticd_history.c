// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticd history: bounded rings, downsampling to min/mean/max, series
 * selection.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* cmocka's assert_float_equal() lets a NaN through: this one does not. */
#define assert_near(a, b, eps) \
	assert_true(fabs((double)(a) - (double)(b)) <= (eps))

#include "history.h"
#include "util.h"

static const struct history_spec small = {
	.period = { 1, 10, 100 },
	.length = { 20, 5, 4 },
};

static struct sample mk(uint32_t t, double temp, double rx0)
{
	struct sample s;

	sample_init(&s, t);
	s.temp = temp;
	s.rx_power[0] = rx0;
	return s;
}

static void test_memory_bounded(void **state)
{
	_cleanup_(history_freep) struct history *h = NULL;

	assert_int_equal(history_new(&h, &small, 8), 0);
	/* A day of samples: every ring stays at its length. */
	for (uint32_t t = 1000; t < 1000 + 86400; t++) {
		struct sample s = mk(t, 30, 1e-3);

		history_add(h, &s);
	}
	assert_int_equal(history_len(h, 0), 20);
	assert_int_equal(history_len(h, 1), 5);
	assert_int_equal(history_len(h, 2), 4);
	/*
	 * A time and 16 bits per value: 56 bytes an entry of tier 0 at 8
	 * lanes, 4 + 3 x 52 = 160 of tiers 1-2 (min, mean, max); the rest
	 * (header, accumulators) does not depend on the lengths.
	 */
	assert_int_equal(
		history_memory(&small, 8),
		56 * 20 + 160 * 9 +
			history_memory(&(struct history_spec){ { 0 }, { 0 } },
				       8));
	/* One lane (an SFP): temperature, Vcc, TX/RX power, bias. */
	assert_int_equal(
		history_memory(&small, 1),
		14 * 20 + 34 * 9 +
			history_memory(&(struct history_spec){ { 0 }, { 0 } },
				       1));
	/* The default: 1 s x 1 min, 15 min x 1 day, 4 h x 7 days. */
	assert_int_equal(history_default_spec.length[0] *
				 history_default_spec.period[0],
			 60);
	assert_int_equal(history_default_spec.length[1] *
				 history_default_spec.period[1],
			 86400);
	assert_int_equal(history_default_spec.length[2] *
				 history_default_spec.period[2],
			 7 * 86400);
	assert_true(history_memory(&history_default_spec, 8) < 27 * 1024);
}

static void test_downsample_mean_and_nan(void **state)
{
	_cleanup_(history_freep) struct history *h = NULL;
	struct sample s;

	assert_int_equal(history_new(&h, &small, 8), 0);
	/* Bucket [0,10): temps 0..9 → mean 4.5; rx NaN on odd seconds. */
	for (uint32_t t = 0; t < 10; t++) {
		struct sample x = mk(t, t, t % 2 ? NAN : 2e-3);

		history_add(h, &x);
	}
	assert_int_equal(history_len(h, 1), 0); /* bucket still open */
	{
		struct sample x = mk(10, 100, NAN);

		history_add(h, &x);
	}
	assert_int_equal(history_len(h, 1), 1);
	assert_true(history_at(h, 1, 0, &s));
	assert_near(s.temp, 4.5, 1e-6);
	assert_near(s.rx_power[0], 2e-3, 1e-9);
	assert_true(isnan(s.vcc));
	assert_true(isnan(s.rx_power[1]));
	assert_int_equal(s.t, 5); /* mean time, rounded */
	assert_true(history_last(h, &s));
	assert_near(s.temp, 100, 0);
	assert_false(history_at(h, 1, 1, &s));
	assert_false(history_at(h, 5, 0, &s));

	history_clear(h);
	assert_int_equal(history_len(h, 0), 0);
	assert_false(history_last(h, &s));
}

/* A coarser tier keeps each period's extremes beside its mean. */
static void test_min_max(void **state)
{
	_cleanup_(history_freep) struct history *h = NULL;
	double t[8], v[8];

	assert_int_equal(history_new(&h, &small, 8), 0);
	/* Period [0,10): RX power 1 mW with one dip to 0.1 mW and a peak. */
	for (uint32_t s = 0; s < 11; s++) {
		struct sample x = mk(s, 30,
				     s == 3 ? 0.1e-3 :
				     s == 7 ? 1.5e-3 :
					      1e-3);

		history_add(h, &x);
	}
	/* Tier 0 covers 10 s: the samples themselves. */
	assert_int_equal(history_series(h, MON_RX_POWER, 0, HISTORY_MIN, 10, 10,
					t, v, 8),
			 8);
	assert_near(v[0], 1e-3, 1e-12); /* tier 0: min = mean = max */
	/* Past tier 0's span: tier 1's entry of period [0,10). */
	for (uint32_t s = 11; s < 40; s++) {
		struct sample x = mk(s, 30, 1e-3);

		history_add(h, &x);
	}
	assert_int_equal(history_series(h, MON_RX_POWER, 0, HISTORY_MIN, 39, 39,
					t, v, 8),
			 3);
	assert_near(t[0], 5, 0);
	assert_near(v[0], 0.1e-3, 1e-12);
	assert_int_equal(history_series(h, MON_RX_POWER, 0, HISTORY_MAX, 39, 39,
					t, v, 8),
			 3);
	assert_near(v[0], 1.5e-3, 1e-12);
	assert_near(v[1], 1e-3, 1e-12);
	assert_int_equal(history_series(h, MON_RX_POWER, 0, HISTORY_MEAN, 39,
					39, t, v, 8),
			 3);
	assert_near(v[0], 0.96e-3, 1e-9); /* (8 + 0.1 + 1.5) / 10 mW */
	/* A field NaN for the whole period stays NaN: skipped. */
	assert_int_equal(history_series(h, MON_RX_POWER, 1, HISTORY_MAX, 39, 39,
					t, v, 8),
			 0);
}

static void test_ring_order(void **state)
{
	_cleanup_(history_freep) struct history *h = NULL;
	struct sample s;

	assert_int_equal(history_new(&h, &small, 8), 0);
	for (uint32_t t = 0; t < 25; t++) {
		struct sample x = mk(t, t, 0);

		history_add(h, &x);
	}
	/* Oldest first after wrapping: 5..24. */
	for (size_t i = 0; i < 20; i++) {
		assert_true(history_at(h, 0, i, &s));
		assert_int_equal(s.t, 5 + i);
	}
}

static void test_series_tier_and_thinning(void **state)
{
	_cleanup_(history_freep) struct history *h = NULL;
	double t[64], v[64];
	size_t n;

	assert_int_equal(history_new(&h, &small, 8), 0);
	/* Temperatures in 1/8 °C steps: exact in fixed point (1/256 °C). */
	for (uint32_t s = 0; s < 400; s++) {
		struct sample x = mk(s, s / 8.0, s % 7 ? 1e-3 : NAN);

		history_add(h, &x);
	}
	/* 10 s window: tier 0 covers it. */
	n = history_series(h, MON_TEMP, 0, HISTORY_MEAN, 399, 10, t, v, 64);
	assert_int_equal(n, 11);
	assert_near(t[0], 389, 0);
	assert_near(v[10], 399 / 8.0, 0);
	/* Thinned to 4 points, evenly. */
	n = history_series(h, MON_TEMP, 0, HISTORY_MEAN, 399, 10, t, v, 4);
	assert_int_equal(n, 4);
	assert_near(t[0], 389, 0);
	assert_true(t[1] > t[0] && t[2] > t[1] && t[3] > t[2]);
	/* 40 s: beyond tier 0's 20 entries, tier 1 (10 s) covers it. */
	n = history_series(h, MON_TEMP, 0, HISTORY_MEAN, 399, 40, t, v, 64);
	assert_int_equal(n, 3); /* means of 360-369, 370-379, 380-389 */
	assert_near(v[0], 364.5 / 8, 1e-3);
	/* A window longer than everything: the tier reaching furthest back. */
	n = history_series(h, MON_TEMP, 0, HISTORY_MEAN, 399, 100000, t, v, 64);
	assert_int_equal(n, 3); /* tier 2: buckets 0, 100, 200 are closed */
	/* NaN values are skipped. */
	n = history_series(h, MON_RX_POWER, 0, HISTORY_MEAN, 399, 10, t, v, 64);
	assert_int_equal(n, 9);
	assert_int_equal(history_series(h, MON_VCC, 0, HISTORY_MEAN, 399, 10, t,
					v, 64),
			 0);
	assert_int_equal(history_series(h, MON_TEMP, 0, HISTORY_MEAN, 399, 10,
					t, v, 0),
			 0);
}

static void test_bad_spec(void **state)
{
	struct history *h = NULL;
	struct history_spec s = small;

	s.period[1] = 0;
	assert_int_equal(history_new(&h, &s, 8), -EINVAL);
	s = small;
	s.length[2] = 0;
	assert_int_equal(history_new(&h, &s, 8), -EINVAL);
	assert_int_equal(history_new(&h, &small, 0), -EINVAL);
	assert_int_equal(history_new(&h, &small, OPTICD_MAX_LANES + 1),
			 -EINVAL);
	/* lanes 9-32: CMIS banks 1-3 */
	assert_int_equal(history_new(&h, &small, 32), 0);
	history_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_bounded),
		cmocka_unit_test(test_downsample_mean_and_nan),
		cmocka_unit_test(test_min_max),
		cmocka_unit_test(test_ring_order),
		cmocka_unit_test(test_series_tier_and_thinning),
		cmocka_unit_test(test_bad_spec),
	};

	return cmocka_run_group_tests_name("opticd_history", tests, NULL, NULL);
}
