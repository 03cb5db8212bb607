// SPDX-License-Identifier: GPL-2.0-or-later
/* opticd.conf parsing: defaults, overrides by glob, errors with file:line. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* cmocka's assert_float_equal() lets a NaN through: this one does not. */
#define assert_near(a, b, eps) \
	assert_true(fabs((double)(a) - (double)(b)) <= (eps))

#include "config.h"
#include "util.h"

static struct config *load_ok(const char *text)
{
	struct config *c = NULL;
	char *err = NULL;
	int r = config_load_string("test.conf", text, &c, &err);

	if (r < 0)
		fail_msg("unexpected error %d: %s", r, err ? err : "(none)");
	free(err);
	return c;
}

static void test_defaults(void **state)
{
	_cleanup_(config_freep) struct config *c = load_ok("");
	struct port_settings s;

	assert_int_equal(c->poll_interval_ms, 1000);
	assert_int_equal(c->poll_readers, 16);
	assert_string_equal(c->metrics_listen, "127.0.0.1:9732");
	assert_string_equal(c->status_socket, "/run/opticd/status.sock");
	assert_null(c->textfile);
	assert_false(c->load_driver);
	for (int i = 0; i < _POLICY_MAX; i++) {
		assert_true(c->policy[i].enabled);
		assert_int_equal(c->policy[i].action, ACTION_LOG);
	}
	assert_near(c->thermal.limit, 75, 0);
	assert_int_equal(c->thermal.samples, 5);
	assert_near(c->predict.horizon, 7 * 86400.0, 0);
	assert_int_equal(c->history.length[0], 60);
	assert_int_equal(c->history.period[2], 4 * 3600);
	assert_int_equal(c->n_groups, 1);

	config_port_settings(c, "port0", "ACME", "X1", &s);
	assert_false(s.ignore);
	assert_int_equal(s.priority, 0);
	assert_int_equal(s.group, 0);
	assert_near(s.thermal_limit, 75, 0);
	assert_true(isnan(s.thr.t[MON_TEMP].high_alarm));
}

static const char full[] =
	"# opticd test config\n"
	"[daemon]\n"
	"poll_interval = 500ms\n"
	"poll_readers = 0\n"
	"metrics_listen = [::1]:9100\n"
	"textfile = /var/lib/prometheus/node-exporter/optic.prom\n"
	"load_driver = yes\n"
	"\n"
	"[history]\n"
	"fine_length = 600\n"
	"medium_period = 5m\n"
	"\n"
	"[policy thermal]\n"
	"action = act\n"
	"limit_celsius = 70\n"
	"samples = 3\n"
	"min_interval = 2m\n"
	"mode = tx-disable\n"
	"\n"
	"[policy prediction]\n"
	"horizon = 3d\n"
	"window = 6h\n"
	"\n"
	"[policy flap]\n"
	"enabled = no\n"
	"\n"
	"[group spine]\n"
	"budget_watts = 100\n"
	"\n"
	"[vendor \"ACME*\"]\n"
	"priority = 5\n"
	"thermal_limit_celsius = 65\n"
	"rx_power_low_alarm_dbm = -10\n"
	"\n"
	"[pn FTCD*]\n"
	"priority = 7\n"
	"tx_bias_high_alarm_ma = 12.5\n"
	"\n"
	"[port port1*]\n"
	"priority = 9\n"
	"group = spine\n"
	"recovery = no\n"
	"temperature_high_warning = 68\n"
	"\n"
	"[port \"port3\"]\n"
	"ignore = yes\n";

static void test_full_and_overrides(void **state)
{
	_cleanup_(config_freep) struct config *c = load_ok(full);
	struct port_settings s;

	assert_int_equal(c->poll_interval_ms, 500);
	assert_int_equal(c->poll_readers, 0);
	assert_string_equal(c->metrics_listen, "[::1]:9100");
	assert_true(c->load_driver);
	assert_int_equal(c->history.length[0], 600);
	assert_int_equal(c->history.period[1], 300);
	assert_int_equal(c->policy[POLICY_THERMAL].action, ACTION_ACT);
	assert_int_equal(c->thermal_mode, THERMAL_MODE_TX_DISABLE);
	assert_int_equal(c->thermal.min_interval, 120);
	assert_near(c->predict.horizon, 3 * 86400.0, 0);
	assert_int_equal(c->predict_window, 6 * 3600);
	assert_false(c->policy[POLICY_FLAP].enabled);
	assert_int_equal(c->n_groups, 2);
	assert_int_equal(c->n_overrides, 4);

	/* Vendor only. */
	config_port_settings(c, "port0", "ACME Optics", "ZZ", &s);
	assert_int_equal(s.priority, 5);
	assert_near(s.thermal_limit, 65, 0);
	assert_near(s.thr.t[MON_RX_POWER].low_alarm, 100e-6, 1e-12);
	assert_true(isnan(s.thr.t[MON_TX_BIAS].high_alarm));

	/* Port beats PN beats vendor, whatever the file order. */
	config_port_settings(c, "port12", "ACME", "FTCD4313", &s);
	assert_int_equal(s.priority, 9);
	assert_int_equal(s.group, 1);
	assert_false(s.enabled[POLICY_RECOVERY]);
	assert_true(s.enabled[POLICY_THERMAL]);
	assert_near(s.thr.t[MON_TX_BIAS].high_alarm, 0.0125, 1e-12);
	assert_near(s.thr.t[MON_TEMP].high_warning, 68, 0);
	assert_false(s.enabled[POLICY_FLAP]);

	config_port_settings(c, "port3", "Other", "P", &s);
	assert_true(s.ignore);
	assert_int_equal(s.priority, 0);
	config_port_settings(c, "port30", NULL, NULL, &s);
	assert_false(s.ignore);
}

static void test_dump_roundtrip(void **state)
{
	_cleanup_(config_freep) struct config *c = load_ok(full);
	_cleanup_(config_freep) struct config *c2 = NULL;
	_cleanup_free_ char *buf = NULL, *buf2 = NULL, *err = NULL;
	size_t len = 0, len2 = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	config_dump(c, f);
	fclose(f);
	assert_non_null(strstr(buf, "[port \"port1*\"]\n"));
	assert_non_null(strstr(buf, "rx_power_low_alarm_dbm = -10.00\n"));
	assert_non_null(strstr(buf, "poll_interval = 500ms\n"));
	assert_non_null(strstr(buf, "poll_readers = 0\n"));
	/* The dump parses back to the same dump. */
	assert_int_equal(config_load_string("dump", buf, &c2, &err), 0);
	f = open_memstream(&buf2, &len2);
	config_dump(c2, f);
	fclose(f);
	assert_string_equal(strchr(buf, '\n'), strchr(buf2, '\n'));
}

static void test_errors_name_file_and_line(void **state)
{
	static const struct {
		const char *text;
		const char *err;
	} bad[] = {
		{ "[daemon]\npoll_interval = fast\n",
		  "bad.conf:2: poll_interval: 'fast' is not a duration" },
		{ "\n\n[daemon]\nfoo = 1\n",
		  "bad.conf:4: unknown key 'foo' in [daemon]" },
		{ "[nope]\nx = 1\n", "bad.conf:2: unknown section [nope]" },
		{ "x = 1\n", "bad.conf:1: 'x' outside of a section" },
		{ "[daemon]\nthis line has no equals sign\n",
		  "bad.conf:2: syntax error" },
		{ "[policy nonsense]\nenabled = yes\n",
		  "bad.conf:2: unknown policy 'nonsense'" },
		{ "[policy thermal]\naction = maybe\n",
		  "bad.conf:2: action: 'maybe' is not 'log' or 'act'" },
		{ "[policy thermal]\nenabled = perhaps\n",
		  "bad.conf:2: enabled: 'perhaps' is not a boolean" },
		{ "[policy thermal]\nsamples = 0\n", "bad.conf:2: samples:" },
		{ "[policy thermal]\nsamples = -3\n", "bad.conf:2: samples:" },
		{ "[policy flap]\nmax_events = 1000\n",
		  "bad.conf:2: max_events:" },
		{ "[daemon]\nmetrics_listen = localhost\n",
		  "bad.conf:2: metrics_listen: 'localhost' is not ADDRESS:PORT" },
		{ "[daemon]\nstatus_socket = relative.sock\n",
		  "bad.conf:2: status_socket:" },
		{ "[port]\npriority = 1\n", "bad.conf:2: [port] needs a glob" },
		{ "[port p*]\npriority = high\n",
		  "bad.conf:2: priority: 'high' is not an integer" },
		{ "[port p*]\nrx_power_low_alarm_dbm = low\n",
		  "bad.conf:2: rx_power_low_alarm_dbm: 'low' is not a number" },
		{ "[port p*]\nrx_power_low_alarm_mw = 1\n",
		  "bad.conf:2: unknown key 'rx_power_low_alarm_mw' in [port p*]" },
		{ "[pn X]\n# comment\n\ngroup = leaf\n",
		  "bad.conf:4: group 'leaf' is not defined" },
		/* One of each type of conf_keys[] out of its bounds. */
		{ "[daemon]\ndriver_retry = 0\n",
		  "bad.conf:2: driver_retry: '0' is not a duration of at least 1s" },
		{ "[daemon]\npoll_interval = 2h\n",
		  "bad.conf:2: poll_interval: '2h' is not a duration between 100ms and 1h" },
		{ "[daemon]\npoll_readers = 65\n",
		  "bad.conf:2: poll_readers: '65' is not a count between 0 and 64" },
		{ "[daemon]\ntextfile = optic.prom\n",
		  "bad.conf:2: textfile: 'optic.prom' is not an absolute path" },
		{ "[history]\nfine_length = 0\n",
		  "bad.conf:2: fine_length: '0' is not a count between 1 and 1000000" },
		{ "[policy thresholds]\nhysteresis_percent = 60\n",
		  "bad.conf:2: hysteresis_percent: '60' is not a percentage (0-50)" },
		{ "[policy thermal]\nmode = off\n",
		  "bad.conf:2: mode: 'off' is not 'lpmode' or 'tx-disable'" },
		{ "[policy prediction]\nhorizon = soon\n",
		  "bad.conf:2: horizon: 'soon' is not a duration" },
		{ "[policy prediction]\nwindow = 1s\n",
		  "bad.conf:2: window: '1s' is not a duration of at least 2s" },
		{ "[group g]\nbudget_watts = -1\n",
		  "bad.conf:2: budget_watts: '-1' is not a power in W" },
		{ "[port p*]\ngroup =\n",
		  "bad.conf:2: group: '' is not a group's name" },
		{ "[port p*]\nthermal = sometimes\n",
		  "bad.conf:2: thermal: 'sometimes' is not a boolean" },
		{ "[port p*]\nthermal_limit_celsius = 200\n",
		  "bad.conf:2: thermal_limit_celsius: '200' is not a temperature" },
		/* A key of another section is unknown in this one. */
		{ "[policy flap]\nsamples = 3\n",
		  "bad.conf:2: unknown key 'samples' in [policy flap]" },
		{ "[group g]\npriority = 3\n",
		  "bad.conf:2: unknown key 'priority' in [group g]" },
		{ "[policy recovery]\nbackoff_initial = 10m\nbackoff_max = 1m\n",
		  "bad.conf:3: [policy recovery] backoff_max is below backoff_initial" },
		{ "[history]\nmedium_period = 0\n",
		  "bad.conf:2: medium_period:" },
		/* The first error wins, even with a later syntax error. */
		{ "[daemon]\nload_driver = 2\n[daemon\n",
		  "bad.conf:2: load_driver: '2' is not a boolean" },
		{ "[daemon\nload_driver = 2\n", "bad.conf:1: syntax error" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct config *c = NULL;
		char *err = NULL;
		int r = config_load_string("bad.conf", bad[i].text, &c, &err);

		if (r != -EINVAL || !err ||
		    strncmp(err, bad[i].err, strlen(bad[i].err)))
			fail_msg("case %zu: r=%d err='%s', want '%s'", i, r,
				 err ? err : "(null)", bad[i].err);
		assert_null(c);
		free(err);
	}
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/opticd-test-XXXXXX";
	int fd = mkstemp(path);
	struct config *c = NULL;
	char *err = NULL;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("[daemon]\nload_driver = yes\n[policy power]\nbudget_watts = x\n",
	      f);
	fclose(f);
	assert_int_equal(config_load(path, &c, &err), -EINVAL);
	assert_non_null(strstr(err, ":4: budget_watts:"));
	assert_int_equal(strncmp(err, path, strlen(path)), 0);
	free(err);
	unlink(path);
	assert_int_equal(config_load(path, &c, &err), -ENOENT);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_and_overrides),
		cmocka_unit_test(test_dump_roundtrip),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests_name("opticd_config", tests, NULL, NULL);
}
