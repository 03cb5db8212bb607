// SPDX-License-Identifier: GPL-2.0-or-later
/* opticd policies as pure functions over sample sequences (table driven). */
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

#include <linux/optic.h>

#include "policy.h"
#include "util.h"

/* 1. Thresholds ---------------------------------------------------------- */

static void test_threshold_hysteresis(void **state)
{
	const struct thresholds t = { .high_alarm = 80,
				      .high_warning = 70,
				      .low_warning = 0,
				      .low_alarm = -5 };
	const struct hysteresis h = { .abs = 2 };
	static const struct {
		double v;
		enum level want;
	} seq[] = {
		{ 25, LEVEL_OK },	 { 69.9, LEVEL_OK },
		{ 70, LEVEL_WARNING },	 { 69, LEVEL_WARNING }, /* within 2 */
		{ 68.1, LEVEL_WARNING }, { 67.9, LEVEL_OK },
		{ 85, LEVEL_ALARM },	 { 79, LEVEL_ALARM }, /* sticky */
		{ 77.9, LEVEL_WARNING }, { NAN, LEVEL_WARNING }, /* kept */
		{ 30, LEVEL_OK },	 { -1, LEVEL_WARNING },
		{ -6, LEVEL_ALARM },	 { -4, LEVEL_ALARM }, /* within 2 */
		{ -2.9, LEVEL_WARNING }, { 1, LEVEL_WARNING },
		{ 2.1, LEVEL_OK },
	};
	enum level l = LEVEL_OK;

	for (size_t i = 0; i < ARRAY_SIZE(seq); i++) {
		l = threshold_eval(&t, &h, l, seq[i].v);
		assert_int_equal(l, seq[i].want);
	}
}

static void test_threshold_unset_and_relative(void **state)
{
	/* Only a low alarm (RX power, W); 10% relative hysteresis. */
	const struct thresholds t = { NAN, NAN, NAN, 100e-6 };
	const struct hysteresis h = { .rel = 0.1 };
	enum level l = LEVEL_OK;

	l = threshold_eval(&t, &h, l, 1e9);
	assert_int_equal(l, LEVEL_OK);
	l = threshold_eval(&t, &h, l, 99e-6);
	assert_int_equal(l, LEVEL_ALARM);
	l = threshold_eval(&t, &h, l, 105e-6);
	assert_int_equal(l, LEVEL_ALARM);
	l = threshold_eval(&t, &h, l, 111e-6);
	assert_int_equal(l, LEVEL_OK);
	/* A direct jump up from ok to alarm ignores hysteresis. */
	assert_int_equal(threshold_eval(&t, &h, LEVEL_OK, 100e-6), LEVEL_ALARM);
}

/* 2. Thermal -------------------------------------------------------------- */

static void test_thermal_n_samples(void **state)
{
	const struct thermal_cfg cfg = {
		.limit = 70, .hysteresis = 5, .samples = 3, .min_interval = 10
	};
	static const struct {
		uint64_t t;
		double temp;
		enum thermal_verdict want;
	} seq[] = {
		{ 0, 71, THERMAL_NONE },     { 1, 72, THERMAL_NONE },
		{ 2, 60, THERMAL_NONE }, /* streak broken */
		{ 3, 71, THERMAL_NONE },     { 4, 71, THERMAL_NONE },
		{ 5, 71, THERMAL_ENGAGE },   { 6, 90, THERMAL_NONE },
		{ 7, 67, THERMAL_NONE }, /* band: no streak */
		{ 8, 64, THERMAL_NONE },     { 9, 64, THERMAL_NONE },
		{ 10, 64, THERMAL_NONE }, /* 3 cool, but rate limited */
		{ 15, 64, THERMAL_RELEASE }, { 16, 80, THERMAL_NONE },
		{ 17, 80, THERMAL_NONE },    { 18, 80, THERMAL_NONE },
		{ 25, 80, THERMAL_ENGAGE },  { 26, NAN, THERMAL_NONE },
	};
	struct thermal_state st = { 0 };

	for (size_t i = 0; i < ARRAY_SIZE(seq); i++) {
		enum thermal_verdict v =
			thermal_step(&cfg, &st, seq[i].temp, seq[i].t);

		if (v != seq[i].want)
			fail_msg("step %zu (t=%llu): got %d want %d", i,
				 (unsigned long long)seq[i].t, v, seq[i].want);
	}
	assert_true(st.engaged);
}

/* 3. Recovery ------------------------------------------------------------- */

static void test_recovery_backoff_values(void **state)
{
	const struct recovery_cfg cfg = { .backoff_initial = 10,
					  .backoff_max = 100 };
	static const unsigned int want[] = { 10, 10, 20, 40, 80, 100, 100 };

	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++)
		assert_int_equal(recovery_backoff(&cfg, i), want[i]);
}

static void test_recovery_fault_backoff_failed(void **state)
{
	const struct recovery_cfg cfg = { .max_attempts = 3,
					  .backoff_initial = 10,
					  .backoff_max = 1000,
					  .stable = 60 };
	static const struct {
		uint64_t t;
		int state;
		enum recovery_verdict want;
	} seq[] = {
		{ 0, OPTIC_STATE_READY, RECOVERY_NONE },
		{ 1, OPTIC_STATE_FAULT, RECOVERY_RESET }, /* 1st, next at 11 */
		{ 5, OPTIC_STATE_FAULT, RECOVERY_NONE },
		{ 11, OPTIC_STATE_FAULT, RECOVERY_RESET }, /* 2nd, next at 31 */
		{ 30, OPTIC_STATE_FAULT, RECOVERY_NONE },
		{ 31, OPTIC_STATE_FAULT, RECOVERY_RESET }, /* 3rd */
		{ 500, OPTIC_STATE_FAULT, RECOVERY_FAILED },
		{ 600, OPTIC_STATE_FAULT, RECOVERY_NONE }, /* once */
		{ 700, OPTIC_STATE_READY, RECOVERY_NONE }, /* clears failed */
		{ 710, OPTIC_STATE_FAULT,
		  RECOVERY_FAILED }, /* not stable yet */
	};
	struct recovery_state st = { 0 };

	for (size_t i = 0; i < ARRAY_SIZE(seq); i++) {
		enum recovery_verdict v =
			recovery_step(&cfg, &st, seq[i].state, 0, seq[i].t);

		if (v != seq[i].want)
			fail_msg("step %zu: got %d want %d", i, v, seq[i].want);
	}
}

static void test_recovery_not_ready_timeout(void **state)
{
	const struct recovery_cfg cfg = { .max_attempts = 5,
					  .backoff_initial = 5,
					  .backoff_max = 60,
					  .stable = 30 };
	struct recovery_state st = { 0 };

	/* Stuck in ModulePwrUp: advertised 10 s, + 10 s grace. */
	assert_int_equal(recovery_step(&cfg, &st, OPTIC_STATE_PWRUP, 10, 100),
			 RECOVERY_NONE);
	assert_int_equal(recovery_step(&cfg, &st, OPTIC_STATE_PWRUP, 10, 119),
			 RECOVERY_NONE);
	assert_int_equal(recovery_step(&cfg, &st, OPTIC_STATE_PWRUP, 10, 120),
			 RECOVERY_RESET);
	/* After the reset it gets its 20 s again. */
	assert_int_equal(recovery_step(&cfg, &st, OPTIC_STATE_PWRUP, 10, 135),
			 RECOVERY_NONE);
	/* LowPwr is requested, never a fault. */
	assert_int_equal(recovery_step(&cfg, &st, OPTIC_STATE_LOWPWR, 10, 500),
			 RECOVERY_NONE);
	/* Ready long enough: attempts are forgotten. */
	recovery_step(&cfg, &st, OPTIC_STATE_READY, 10, 600);
	assert_int_equal(st.attempts, 1);
	recovery_step(&cfg, &st, OPTIC_STATE_READY, 10, 630);
	assert_int_equal(st.attempts, 0);
	/* A short advertised time gets at least 5 s of grace. */
	{
		struct recovery_state s2 = { 0 };

		assert_int_equal(recovery_step(&cfg, &s2, OPTIC_STATE_PWRDN, 1,
					       0),
				 RECOVERY_NONE);
		assert_int_equal(recovery_step(&cfg, &s2, OPTIC_STATE_PWRDN, 1,
					       5),
				 RECOVERY_NONE);
		assert_int_equal(recovery_step(&cfg, &s2, OPTIC_STATE_PWRDN, 1,
					       6),
				 RECOVERY_RESET);
		/* Unknown: 60 s. */
		s2 = (struct recovery_state){ 0 };
		recovery_step(&cfg, &s2, OPTIC_STATE_PWRUP, 0, 0);
		assert_int_equal(recovery_step(&cfg, &s2, OPTIC_STATE_PWRUP, 0,
					       59),
				 RECOVERY_NONE);
		assert_int_equal(recovery_step(&cfg, &s2, OPTIC_STATE_PWRUP, 0,
					       60),
				 RECOVERY_RESET);
	}
	/* Configured timeout beats the advertised one. */
	{
		struct recovery_cfg c2 = cfg;

		c2.ready_timeout = 2;
		assert_int_equal(recovery_step(&c2, &st, OPTIC_STATE_PWRUP, 10,
					       700),
				 RECOVERY_NONE);
		assert_int_equal(recovery_step(&c2, &st, OPTIC_STATE_PWRUP, 10,
					       702),
				 RECOVERY_RESET);
	}
}

/* 4. Power budget ---------------------------------------------------------- */

static void test_power_budget_priority(void **state)
{
	struct power_req r[] = {
		{ "port0", 20, 0, 0, false }, { "port1", 20, 10, 0, false },
		{ "port2", 12, 5, 0, false }, { "port3", 1.5, 0, 0, false },
		{ "port4", 20, 0, 1, false }, { "port5", 20, 0, 1, false },
	};
	double budget[2] = { 40, 0 };

	/* 40 W: port1 (10), port2 (5) fit = 32; port0 (0, 20 W) does not,
	 * so port0 and port3 (lower or equal priority, later name) are held.
	 * Group 1 is unlimited. */
	assert_int_equal(power_plan(r, ARRAY_SIZE(r), budget, 2), 2);
	assert_true(r[0].held);
	assert_false(r[1].held);
	assert_false(r[2].held);
	assert_true(r[3].held);
	assert_false(r[4].held);
	assert_false(r[5].held);

	/* Released as budget allows. */
	budget[0] = 53;
	assert_int_equal(power_plan(r, ARRAY_SIZE(r), budget, 2), 1);
	assert_false(r[0].held);
	assert_true(r[3].held);
	budget[0] = 53.5;
	assert_int_equal(power_plan(r, ARRAY_SIZE(r), budget, 2), 0);

	/* Group budget: the same priority falls back to name order. */
	budget[1] = 30;
	assert_int_equal(power_plan(r, ARRAY_SIZE(r), budget, 2), 1);
	assert_false(r[4].held);
	assert_true(r[5].held);

	r[0].group = 7;
	assert_int_equal(power_plan(r, ARRAY_SIZE(r), budget, 2), -EINVAL);
	assert_int_equal(power_plan(r, 0, budget, 2), 0);
}

/* 5. Prediction ------------------------------------------------------------- */

static void test_theil_sen_outliers(void **state)
{
	double x[20], y[20], slope, icpt;

	for (int i = 0; i < 20; i++) {
		x[i] = i;
		y[i] = 3 - 0.5 * i;
	}
	/* 25% gross outliers do not move the fit. */
	y[3] = 100;
	y[8] = -100;
	y[12] = 50;
	y[17] = 1e6;
	y[19] = -7;
	assert_int_equal(theil_sen(x, y, 20, &slope, &icpt, NULL, NULL), 0);
	assert_near(slope, -0.5, 1e-9);
	assert_near(icpt, 3, 1e-9);

	assert_int_equal(theil_sen(x, y, 1, &slope, &icpt, NULL, NULL),
			 -EINVAL);
	x[1] = x[0];
	assert_int_equal(theil_sen(x, y, 2, &slope, &icpt, NULL, NULL),
			 -EINVAL);
}

static void test_theil_sen_even_median(void **state)
{
	const double x[] = { 0, 1, 2 }, y[] = { 0, 1, 4 };
	double slope, icpt;

	/* Slopes 1, 2, 3 → 2; residuals 0, -1, 0 → 0. */
	assert_int_equal(theil_sen(x, y, 3, &slope, &icpt, NULL, NULL), 0);
	assert_near(slope, 2, 1e-12);
	assert_near(icpt, 0, 1e-12);
	/* Four points, six slopes (1, 1, 1, 1, 1, 1) and noise on one. */
	{
		const double x4[] = { 0, 1, 2, 3 }, y4[] = { 0, 1, 2, 9 };

		assert_int_equal(
			theil_sen(x4, y4, 4, &slope, &icpt, NULL, NULL), 0);
		/* slopes: 1,1,3,1,4,7 → sorted 1,1,1,3,4,7 → (1+3)/2 */
		assert_near(slope, 2, 1e-12);
	}
}

static void test_predict_time_to_threshold(void **state)
{
	const struct predict_cfg cfg = { .horizon = 7 * 86400.0,
					 .min_points = 10,
					 .min_span = 3600 };
	const double t0 = 1.7e9;
	double t[48], v[48];
	struct prediction p;

	/* RX power in dBm falling 0.1 dB/hour from -3 dBm; alarm at -10. */
	for (int i = 0; i < 48; i++) {
		t[i] = t0 + i * 3600.0;
		v[i] = -3 - 0.1 * i;
	}
	v[20] = -30; /* one LOS reading */
	assert_int_equal(predict(&cfg, t, v, 48, t[47], -10, true, false, &p),
			 0);
	assert_true(p.valid);
	assert_near(p.slope * 3600, -0.1, 1e-9);
	assert_near(p.value, -7.7, 1e-6);
	/* 2.3 dB at 0.1 dB/h = 23 h. */
	assert_near(p.tta, 23 * 3600.0, 1e-3);
	assert_true(p.warn);

	/* Bias rising toward a high alarm, beyond the horizon: no warning. */
	for (int i = 0; i < 48; i++)
		v[i] = 0.006 + 1e-7 * i;
	assert_int_equal(
		predict(&cfg, t, v, 48, t[47], 0.012, false, false, &p), 0);
	assert_true(p.valid);
	assert_true(p.tta > 7 * 86400.0);
	assert_false(p.warn);

	/* Flat or improving: never. */
	for (int i = 0; i < 48; i++)
		v[i] = -3 + 0.01 * (i % 2);
	assert_int_equal(predict(&cfg, t, v, 48, t[47], -10, true, false, &p),
			 0);
	assert_true(isinf(p.tta));
	assert_false(p.warn);

	/* Already past the threshold. */
	for (int i = 0; i < 48; i++)
		v[i] = -12;
	assert_int_equal(predict(&cfg, t, v, 48, t[47], -10, true, false, &p),
			 0);
	assert_near(p.tta, 0, 0);
	assert_true(p.warn);

	/* Too few points, too short a span, no threshold: not valid. */
	assert_int_equal(predict(&cfg, t, v, 5, t[4], -10, true, false, &p), 0);
	assert_false(p.valid);
	for (int i = 0; i < 48; i++)
		t[i] = t0 + i;
	assert_int_equal(predict(&cfg, t, v, 48, t[47], -10, true, false, &p),
			 0);
	assert_false(p.valid);
	assert_int_equal(predict(&cfg, t, v, 48, t[47], NAN, true, false, &p),
			 0);
	assert_false(p.valid);
}

static void test_predict_noise_is_not_a_trend(void **state)
{
	const struct predict_cfg cfg = { .horizon = 7 * 86400.0,
					 .min_points = 10,
					 .min_span = 10 };
	double t[200], v[200], lo, hi, slope, icpt;
	struct prediction p;
	unsigned int seed = 42;

	/* 200 s of a steady -3 dBm lane with +-0.5 dB of noise. */
	for (int i = 0; i < 200; i++) {
		t[i] = 1000 + i;
		v[i] = -3 + (rand_r(&seed) % 1001 - 500) / 1000.0;
	}
	assert_int_equal(predict(&cfg, t, v, 200, t[199], -10, true, false, &p),
			 0);
	assert_true(p.valid);
	assert_false(p.significant);
	assert_true(isinf(p.tta));
	assert_false(p.warn);

	/* The same noise on a 1 dB / 100 s decline is a trend. */
	for (int i = 0; i < 200; i++)
		v[i] -= i / 100.0;
	assert_int_equal(theil_sen(t, v, 200, &slope, &icpt, &lo, &hi), 0);
	assert_true(lo < slope && slope < hi && hi < 0);
	assert_int_equal(predict(&cfg, t, v, 200, t[199], -10, true, false, &p),
			 0);
	assert_true(p.significant);
	assert_true(p.warn);
	assert_near(p.tta, (-10 - p.value) / p.slope, 1e-6);
	assert_true(p.tta > 400 && p.tta < 600);

	/* Hysteresis: a warning stays until 1.25 horizons. */
	{
		struct predict_cfg c2 = cfg;

		c2.horizon = p.tta / 1.1;
		assert_int_equal(predict(&c2, t, v, 200, t[199], -10, true,
					 false, &p),
				 0);
		assert_false(p.warn);
		assert_int_equal(predict(&c2, t, v, 200, t[199], -10, true,
					 true, &p),
				 0);
		assert_true(p.warn);
	}
}

/* 6. Flap ------------------------------------------------------------------- */

static void test_flap_rate(void **state)
{
	const struct flap_cfg cfg = { .window = 60, .max_events = 3 };
	struct flap_state st = { 0 };

	flap_record(&st, 0, 1);
	flap_record(&st, 10, 1);
	assert_int_equal(flap_eval(&cfg, &st, 10), FLAP_NONE);
	flap_record(&st, 20, 1);
	assert_int_equal(flap_count(&cfg, &st, 20), 3);
	assert_int_equal(flap_eval(&cfg, &st, 20), FLAP_ALERT);
	assert_int_equal(flap_eval(&cfg, &st, 21), FLAP_NONE);
	/* t=60: the event at 0 left the window; still alerting until empty. */
	assert_int_equal(flap_count(&cfg, &st, 60), 2);
	assert_int_equal(flap_eval(&cfg, &st, 60), FLAP_NONE);
	assert_int_equal(flap_eval(&cfg, &st, 80), FLAP_CLEAR);
	assert_int_equal(st.total, 3);

	/* A burst larger than the ring is counted in full. */
	flap_record(&st, 100, 200);
	assert_int_equal(st.total, 203);
	assert_int_equal(flap_count(&cfg, &st, 100), FLAP_RING);
	assert_int_equal(flap_eval(&cfg, &st, 100), FLAP_ALERT);
}

static void test_policy_names(void **state)
{
	for (int i = 0; i < _POLICY_MAX; i++)
		assert_int_equal(policy_from_name(policy_name(i)), i);
	assert_int_equal(policy_from_name("nope"), -EINVAL);
	assert_string_equal(level_name(LEVEL_ALARM), "alarm");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold_hysteresis),
		cmocka_unit_test(test_threshold_unset_and_relative),
		cmocka_unit_test(test_thermal_n_samples),
		cmocka_unit_test(test_recovery_backoff_values),
		cmocka_unit_test(test_recovery_fault_backoff_failed),
		cmocka_unit_test(test_recovery_not_ready_timeout),
		cmocka_unit_test(test_power_budget_priority),
		cmocka_unit_test(test_theil_sen_outliers),
		cmocka_unit_test(test_theil_sen_even_median),
		cmocka_unit_test(test_predict_time_to_threshold),
		cmocka_unit_test(test_predict_noise_is_not_a_trend),
		cmocka_unit_test(test_flap_rate),
		cmocka_unit_test(test_policy_names),
	};

	return cmocka_run_group_tests_name("opticd_policy", tests, NULL, NULL);
}
