// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticd manager without a kernel: model → sample mapping over liboptic's
 * decoder, then sample sequences through the per-port policies with the
 * module actions captured by a mock, and the metrics and status output.
 */
#include "vectors.h"

/* cmocka's assert_float_equal() lets a NaN through: this one does not. */
#define assert_near(a, b, eps) \
	assert_true(fabs((double)(a) - (double)(b)) <= (eps))

#include <arpa/inet.h>
#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "fw.h"
#include "manager.h"
#include "metrics.h"
#include "status.h"

/* Model mapping --------------------------------------------------------- */

static void test_model_mapping(void **state)
{
	struct optic_image img;
	struct optic_model m = { 0 };
	struct thresholds thr[_MON_MAX];
	struct poll_values pv;
	const struct sample *s = &pv.s;

	optic_image_init(&img);
	cmis_400g_dr4(&img);
	assert_int_equal(optic_decode(&img, &m), 0);

	poll_values_from_model(&m, &pv);
	assert_near(s->temp, 25.5, 1e-6);
	assert_near(s->vcc, 3.3, 1e-6);
	assert_near(s->tx_power[0], 0.5012e-3, 1e-9);
	assert_near(s->tx_power[1], 0, 0);
	assert_near(s->tx_bias[0], 0.040, 1e-9);
	assert_near(s->rx_power[0], 1e-3, 1e-9);

	thresholds_from_model(&m, thr);
	assert_near(thr[MON_TEMP].high_alarm, 75, 1e-9);
	assert_near(thr[MON_TEMP].low_alarm, -5, 1e-9);
	assert_near(thr[MON_TEMP].high_warning, 70, 1e-9);
	assert_near(thr[MON_TX_POWER].high_alarm, 2e-3, 1e-9);
	assert_near(thr[MON_TX_POWER].low_warning, 0.2e-3, 1e-9);

	assert_int_equal(pv.flags[FLAP_RX_LOS], 0x02);
	assert_int_equal(pv.flags[FLAP_TX_FAULT], 0);

	/* Lane 2 (index 1) is DPInitialized, the others DPActivated. */
	assert_int_equal(poll_values_active(&pv), 0xfd);
	assert_true(fabs(max_power_from_model(&m) - 12.0) < 1e-9);

	optic_model_free(&m);
	optic_image_clear(&img);

	/* SFF-8636: power class 5 is at most 4.0 W; thresholds from 03h. */
	optic_image_init(&img);
	sff8636_cwdm4(&img);
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_true(fabs(max_power_from_model(&m) - 4.0) < 1e-9);
	poll_values_from_model(&m, &pv);
	assert_near(s->temp, -10.5, 1e-6);
	thresholds_from_model(&m, thr);
	assert_near(thr[MON_TEMP].high_alarm, 75, 1e-9);
	assert_int_equal(poll_values_active(&pv), 0xffffffff);
	optic_model_free(&m);
	optic_image_clear(&img);
}

/* Manager with a mock actuator ----------------------------------------- */

struct call {
	char port[OPTIC_PORT_NAME_LEN];
	struct optic_set set;
};

static struct call calls[64];
static size_t ncalls;

static int mock_set(struct manager *m, struct port *p,
		    const struct optic_set *set)
{
	if (ncalls < ARRAY_SIZE(calls)) {
		snprintf(calls[ncalls].port, sizeof(calls[0].port), "%s",
			 p->name);
		calls[ncalls].set = *set;
	}
	ncalls++;
	return 0;
}

static const struct manager_ops mock_ops = { .module_set = mock_set };

static struct manager *mk_manager(const char *conf)
{
	struct manager *m;
	struct config *c;
	char *err = NULL;

	if (config_load_string("test.conf", conf, &c, &err) < 0)
		fail_msg("config: %s", err);
	assert_int_equal(manager_new(&m, "test.conf", c), 0);
	m->ops = &mock_ops;
	m->no_notify = true;
	ncalls = 0;
	log_set_max_level(-1); /* quiet: the journal is not what is tested */
	return m;
}

static struct port *mk_port(struct manager *m, const char *name,
			    double max_power)
{
	struct port *p = manager_port(m, name, true);

	assert_non_null(p);
	p->known = p->present = true;
	p->lanes = 4;
	p->info.state = OPTIC_STATE_READY;
	snprintf(p->info.vendor_name, sizeof(p->info.vendor_name), "ACME");
	snprintf(p->info.vendor_pn, sizeof(p->info.vendor_pn), "QDD-1");
	snprintf(p->info.vendor_sn, sizeof(p->info.vendor_sn), "SN-%s", name);
	p->max_power = max_power;
	p->mod_thr[MON_TEMP] = (struct thresholds){ 75, 70, 0, -5 };
	p->mod_thr[MON_RX_POWER] =
		(struct thresholds){ 2e-3, 1.5e-3, 0.2e-3, 0.1e-3 };
	p->mod_thr[MON_TX_BIAS] = (struct thresholds){ 0.1, 0.09, 0.015, 0.01 };
	manager_port_configure(m, p);
	return p;
}

static struct sample mk_sample(uint32_t t, double temp, double rx)
{
	struct sample s;

	sample_init(&s, t);
	s.temp = temp;
	s.vcc = 3.3;
	for (int l = 0; l < 4; l++) {
		s.rx_power[l] = rx;
		s.tx_power[l] = 1e-3;
		s.tx_bias[l] = 0.05;
	}
	return s;
}

static void test_thermal_act_and_release(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager(
		"[policy thermal]\naction = act\nlimit_celsius = 70\n"
		"samples = 3\nhysteresis_celsius = 5\nmin_interval = 0\n");
	struct port *p = mk_port(m, "port0", 12);
	static const double temps[] = { 60, 71, 72, 73, 74, 66, 64, 63, 62 };

	for (size_t i = 0; i < ARRAY_SIZE(temps); i++) {
		struct sample s = mk_sample(1000 + i, temps[i], 1e-3);

		manager_port_sample(m, p, &s, 1000 + i);
		if (i == 3) {
			assert_true(p->thermal.engaged);
			assert_int_equal(ncalls, 1);
			assert_int_equal(calls[0].set.lpmode, 1);
			assert_true(p->lpmode_ours);
		}
	}
	assert_false(p->thermal.engaged);
	assert_int_equal(ncalls, 2);
	assert_int_equal(calls[1].set.lpmode, 0);
	assert_int_equal(p->actions[POLICY_THERMAL][ACTION_ACT], 2);
	/* Thresholds: 71-74 °C is a warning (70), never an alarm (75). */
	assert_int_equal(p->level[MON_TEMP][0], LEVEL_OK);
	assert_int_equal(p->actions[POLICY_THRESHOLD][ACTION_LOG], 2);
}

static void test_no_action_during_flash(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager(
		"[policy thermal]\naction = act\nlimit_celsius = 50\n"
		"samples = 1\nmin_interval = 0\n");
	struct port *p = mk_port(m, "port0", 12);
	char dir[] = "/tmp/opticd-test.XXXXXX";
	struct sample s = mk_sample(1, 60, 1e-3);
	char path[64];
	int fd;

	assert_non_null(mkdtemp(dir));
	m->fw_lock_dir = dir;
	fd = optic_fw_lock(dir, "port0");
	assert_true(fd >= 0);
	manager_port_sample(m, p, &s, 1);
	assert_true(p->thermal.engaged);
	assert_int_equal(ncalls, 0); /* the flash holds the module */
	close(fd);
	s = mk_sample(2, 60, 1e-3);
	manager_port_sample(m, p, &s, 2);
	assert_int_equal(ncalls, 1);
	assert_int_equal(calls[0].set.lpmode, 1);
	assert_int_equal(optic_fw_locked(dir, "port0"), 0);
	snprintf(path, sizeof(path), "%s/port0.fw.lock", dir);
	unlink(path);
	rmdir(dir);
}

static void test_thermal_log_only(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager(
		"[policy thermal]\nlimit_celsius = 50\nsamples = 1\n");
	struct port *p = mk_port(m, "port0", 12);
	struct sample s = mk_sample(1, 60, 1e-3);

	manager_port_sample(m, p, &s, 1);
	assert_true(p->thermal.engaged);
	assert_int_equal(ncalls, 0); /* action = log: nothing done */
	assert_int_equal(p->actions[POLICY_THERMAL][ACTION_LOG], 1);
}

static void test_thermal_tx_disable_and_port_override(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager(
		"[policy thermal]\naction = act\nmode = tx-disable\nsamples = 1\n"
		"[port port1]\nthermal_limit_celsius = 40\n"
		"[port port2]\nthermal = no\n");
	struct port *p0 = mk_port(m, "port0", 12);
	struct port *p1 = mk_port(m, "port1", 12);
	struct port *p2 = mk_port(m, "port2", 12);
	struct sample s = mk_sample(1, 60, 1e-3);

	manager_port_sample(m, p0, &s, 1);
	manager_port_sample(m, p2, &s, 1);
	assert_int_equal(ncalls, 0); /* 60 < 75 default; port2 disabled */
	manager_port_sample(m, p1, &s, 1);
	assert_int_equal(ncalls, 1);
	assert_string_equal(calls[0].port, "port1");
	assert_int_equal(calls[0].set.lpmode, -1);
	assert_int_equal(calls[0].set.tx_disable, 0xf);
	assert_int_equal(calls[0].set.tx_disable_mask, 0xf);
}

static void test_recovery_resets(void **state)
{
	_cleanup_(manager_freep) struct manager *m =
		mk_manager("[policy recovery]\naction = act\nmax_attempts = 2\n"
			   "backoff_initial = 10s\nbackoff_max = 1m\n");
	struct port *p = mk_port(m, "port0", 12);

	manager_port_state(m, p, OPTIC_STATE_FAULT, 100);
	assert_int_equal(ncalls, 1);
	assert_true(calls[0].set.reset);
	manager_port_state(m, p, OPTIC_STATE_FAULT, 105);
	assert_int_equal(ncalls, 1);
	manager_port_state(m, p, OPTIC_STATE_FAULT, 110);
	assert_int_equal(ncalls, 2);
	manager_port_state(m, p, OPTIC_STATE_FAULT, 200);
	assert_int_equal(ncalls, 2);
	assert_true(p->recovery.failed);
	assert_int_equal(p->actions[POLICY_RECOVERY][ACTION_ACT], 3);
	assert_int_equal(m->log_len, 3);
}

static void test_power_budget(void **state)
{
	_cleanup_(manager_freep) struct manager *m =
		mk_manager("[policy power]\naction = act\nbudget_watts = 30\n"
			   "[port port0]\npriority = 10\n");
	struct port *p0 = mk_port(m, "port0", 12);
	struct port *p1 = mk_port(m, "port1", 12);
	struct port *p2 = mk_port(m, "port2", 12);
	char *txt = NULL;

	manager_power(m, 1);
	assert_false(p0->power_held);
	assert_false(p1->power_held);
	assert_true(p2->power_held);
	assert_int_equal(ncalls, 1);
	assert_string_equal(calls[0].port, "port2");
	assert_int_equal(calls[0].set.lpmode, 1);

	assert_true(metrics_render_string(m, &txt) > 0);
	assert_non_null(strstr(txt, "optic_power_held{port=\"port2\"} 1\n"));
	assert_non_null(strstr(
		txt, "optic_power_allocated_watts{group=\"host\"} 24\n"));
	assert_non_null(
		strstr(txt, "optic_power_budget_watts{group=\"host\"} 30\n"));
	assert_non_null(strstr(
		txt,
		"optic_policy_actions_total{port=\"port2\",policy=\"power\",action=\"act\"} 1\n"));
	free(txt);

	/* port1 leaves: port2 fits again and is released. */
	p1->present = false;
	manager_power(m, 2);
	assert_false(p2->power_held);
	assert_int_equal(ncalls, 2);
	assert_int_equal(calls[1].set.lpmode, 0);
}

static void test_flap_edges(void **state)
{
	_cleanup_(manager_freep) struct manager *m =
		mk_manager("[policy flap]\nwindow = 1m\nmax_events = 3\n");
	struct port *p = mk_port(m, "port0", 12);
	/* RX LOS lane 0 seen at these polls: 3 rising edges in 6 polls. */
	static const uint32_t seq[] = { 1, 1, 0, 1, 0, 1, 1 };

	for (size_t i = 0; i < ARRAY_SIZE(seq); i++) {
		struct sample s = mk_sample(10 + i, 40, 1e-3);

		manager_port_flags(m, p, FLAP_RX_LOS, seq[i], 10 + i);
		manager_port_sample(m, p, &s, 10 + i);
	}
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 0), 3);
	assert_true(port_flap_alerting(p, FLAP_RX_LOS, 0));
	assert_int_equal(p->actions[POLICY_FLAP][ACTION_LOG], 1);
	/* Quiet for the window: cleared. */
	{
		struct sample s = mk_sample(100, 40, 1e-3);

		manager_port_flags(m, p, FLAP_RX_LOS, 0, 100);
		manager_port_sample(m, p, &s, 100);
	}
	assert_false(port_flap_alerting(p, FLAP_RX_LOS, 0));
}

static void test_prediction_from_history(void **state)
{
	_cleanup_(manager_freep) struct manager *m =
		mk_manager("[policy prediction]\nwindow = 1h\nmin_points = 10\n"
			   "min_span = 1m\nhorizon = 7d\n"
			   "[history]\nfine_length = 3600\n");
	struct port *p = mk_port(m, "port0", 12);
	uint32_t t0 = 1700000000;
	char *json = NULL;

	/* RX power 1 mW (0 dBm) falling 1 dB per 10 min on lane 0 only;
	 * low alarm 0.1 mW = -10 dBm. */
	for (uint32_t i = 0; i <= 600; i++) {
		struct sample s = mk_sample(t0 + i, 40, 1e-3);

		s.rx_power[0] = 1e-3 * pow(10, -(i / 600.0) / 10);
		manager_port_sample(m, p, &s, t0 + i);
	}
	manager_port_predict(m, p, t0 + 600);
	assert_true(p->pred[PRED_RX_POWER][0].valid);
	/* At -1 dBm, 9 dB to go at 1 dB / 600 s: 5400 s. */
	assert_near(p->pred[PRED_RX_POWER][0].tta, 5400, 5);
	assert_true(p->pred[PRED_RX_POWER][0].warn);
	assert_false(p->pred[PRED_RX_POWER][1].warn);
	assert_true(isinf(p->pred[PRED_RX_POWER][1].tta));
	assert_int_equal(p->actions[POLICY_PREDICT][ACTION_LOG], 1);

	p->link.last[0] = (struct link_event){ 7, 1765000000123456789ull, 2,
					       "rx_los", 5e-6f };
	p->link.last[1] = (struct link_event){ 9, 1765000001000000000ull, -1,
					       "module_fault", NAN };
	p->link.last_head = 2;
	p->link.last_len = 2;
	assert_int_equal(status_render(m, &json), 0);
	assert_non_null(strstr(
		json,
		"\"monitor\":\"rx_power\",\"lane\":1,\"seconds_to_alarm\":"));
	assert_non_null(strstr(
		json,
		"\"link_events\":[{\"seq\":7,\"realtime_ns\":1765000000123456789,\"lane\":3,\"flag\":\"rx_los\",\"rx_power_mw\":0.005"));
	assert_non_null(strstr(
		json,
		"{\"seq\":9,\"realtime_ns\":1765000001000000000,\"flag\":\"module_fault\",\"rx_power_mw\":null}]"));
	assert_non_null(strstr(json, "\"policy\":\"prediction\""));
	free(json);
}

static void test_thresholds_override_and_metrics(void **state)
{
	_cleanup_(manager_freep) struct manager *m =
		mk_manager("[vendor ACME*]\nrx_power_low_alarm_dbm = -3\n");
	struct port *p = mk_port(m, "port0", 12);
	struct sample s = mk_sample(5, 40, 0.4e-3); /* -4 dBm */
	char *txt = NULL;

	manager_port_sample(m, p, &s, 5);
	assert_int_equal(p->level[MON_RX_POWER][0], LEVEL_ALARM);
	assert_int_equal(p->level[MON_TX_BIAS][0], LEVEL_OK);
	assert_true(metrics_render_string(m, &txt) > 0);
	assert_non_null(strstr(
		txt,
		"optic_monitor_level{port=\"port0\",lane=\"4\",monitor=\"rx_power_watts\"} 2\n"));
	assert_non_null(strstr(
		txt,
		"optic_monitor_level{port=\"port0\",monitor=\"temperature_celsius\"} 0\n"));
	assert_non_null(strstr(
		txt, "optic_module_temperature_celsius{port=\"port0\"} 40\n"));
	assert_non_null(strstr(
		txt,
		"optic_lane_rx_power_watts{port=\"port0\",lane=\"1\"} 0.0004"));
	assert_non_null(strstr(
		txt,
		"optic_module_info{port=\"port0\",vendor=\"ACME\",pn=\"QDD-1\",sn=\"SN-port0\""));
	assert_non_null(
		strstr(txt, "# TYPE optic_poll_duration_seconds histogram\n"));
	free(txt);
}

static void test_label_escaping(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager("");
	struct port *p = mk_port(m, "port0", 12);
	char *txt = NULL;

	snprintf(p->info.vendor_name, sizeof(p->info.vendor_name), "A\"B\\C");
	assert_true(metrics_render_string(m, &txt) > 0);
	assert_non_null(strstr(txt, "vendor=\"A\\\"B\\\\C\""));
	free(txt);
}

/* The whole of @path, NUL-terminated, malloc'ed. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int c;

	assert_non_null(f);
	assert_non_null(out);
	while ((c = fgetc(f)) != EOF)
		fputc(c, out);
	fclose(f);
	assert_int_equal(fclose(out), 0);
	return buf;
}

/*
 * Every family docs/metrics.md lists, each with a sample, through the
 * textfile output (kept at $OPTICD_EXPOSITION when set: `make
 * check-prometheus` runs `promtool check metrics` on it). The textfile is
 * the HTTP body byte for byte; each documented metric has the documented
 * TYPE and a sample; nothing undocumented is exported.
 */
static void test_exposition(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager("");
	struct port *p = mk_port(m, "port0", 12);
	struct sample s = mk_sample(10, 40, 1e-3);
	const char *keep = getenv("OPTICD_EXPOSITION");
	char dir[] = "/tmp/opticd-exposition.XXXXXX", path[64], line[512];
	char *file, *body = NULL;
	size_t documented = 0;
	FILE *doc;

	manager_port(m, "port1", true)->known = true; /* an empty cage */
	manager_port_sample(m, p, &s, 10);
	m->driver_up = true;
	histogram_add(&m->polls, 0.2);
	histogram_add(&m->flag_delay, 0.004);
	p->info.spec = OPTIC_SPEC_CMIS;
	/* lanes' application and data-path state come from the model */
	cmis_400g_dr4(&p->img);
	assert_int_equal(optic_decode(&p->img, &p->model), 0);
	snprintf(p->firmware, sizeof(p->firmware), "1.2");
	p->pred[PRED_RX_POWER][0] =
		(struct prediction){ .valid = true, .tta = 3600, .warn = true };
	port_flag_add(p, FLAP_RX_LOS, 0)->flap.alerting = true;
	port_flag(p, FLAP_RX_LOS, 0)->total = 3;
	p->thermal.engaged = p->recovery.failed = p->power_held = true;
	p->lpmode_ours = true;
	p->recovery.attempts = 3;
	p->actions[POLICY_THERMAL][ACTION_ACT] = 1;
	p->poll_errors = p->insertions = 1;
	p->link.lane_ns[2] = 1765000000123456789ull;
	m->buses = calloc(1, sizeof(*m->buses));
	assert_non_null(m->buses);
	m->n_buses = 1;
	*m->buses = (struct optic_bus_info){
		.root = 3,
		.name = "SMBus I801 adapter",
		.n_ports = 0,
		.queue = 2,
		.queue_max = 9,
		.busy_ns = 1234567890123ull,
		.cls[OPTIC_BUS_CLASS_POLL] = { .set = true,
					       .xfers = 123456789,
					       .bytes = 9876543210ull,
					       .busy_ns = 1500000000,
					       .wait_max_ns = 12000000 },
	};

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/opticd.prom", dir);
	assert_int_equal(metrics_write_textfile(m, keep ?: path), 0);
	file = slurp(keep ?: path);
	unlink(path);
	rmdir(dir);
	assert_true(metrics_render_string(m, &body) > 0);
	assert_string_equal(file, body);
	assert_non_null(strstr(
		file,
		"\noptic_lane_last_link_event_timestamp_seconds{port=\"port0\",lane=\"3\"} 1765000000.123\n"));
	assert_non_null(strstr(
		file,
		"\noptic_bus_bytes_total{bus=\"3\",class=\"poll\"} 9876543210\n"));
	assert_non_null(strstr(
		file,
		"\noptic_bus_info{bus=\"3\",adapter=\"SMBus I801 adapter\"} 1\n"));
	/* nanoseconds in seconds, every digit and no trailing zero */
	assert_non_null(strstr(
		file, "\noptic_bus_busy_seconds_total{bus=\"3\"} 1234.567890123\n"));
	assert_non_null(strstr(
		file,
		"\noptic_bus_class_busy_seconds_total{bus=\"3\",class=\"poll\"} 1.5\n"));
	assert_non_null(strstr(
		file,
		"\noptic_bus_wait_max_seconds{bus=\"3\",class=\"poll\"} 0.012\n"));
	assert_non_null(strstr(file, "\noptic_bus_queue_depth_max{bus=\"3\"} 9\n"));
	assert_null(strstr(file, "class=\"bulk\""));
	/* lane 2 DPInitialized (7), the others DPActivated (4) */
	assert_non_null(strstr(
		file,
		"\noptic_lane_datapath_state{port=\"port0\",lane=\"2\"} 7\n"));
	assert_non_null(strstr(
		file,
		"\noptic_lane_application{port=\"port0\",lane=\"1\"} 0\n"));

	doc = fopen("docs/metrics.md", "re");
	assert_non_null(doc);
	while (fgets(line, sizeof(line), doc)) {
		char name[80], type[16], want[128];

		if (sscanf(line, "| `%79[a-z_]` | %15[a-z] |", name, type) != 2)
			continue;
		documented++;
		snprintf(want, sizeof(want), "# TYPE %s %s\n", name, type);
		if (!strstr(file, want))
			fail_msg("no '%s' in the exposition", want);
		snprintf(want, sizeof(want), "\n%s%s", name,
			 streq(type, "histogram") ? "_bucket{" : "");
		if (!strstr(file, want))
			fail_msg("no sample of %s", name);
	}
	fclose(doc);
	for (const char *t = file; (t = strstr(t, "# TYPE ")); t++)
		documented--;
	assert_int_equal(documented, 0);
	free(body);
	free(file);
}

/*
 * The exposition keeps each port's rendered block: a scrape renders again
 * only a port whose metrics changed (port_touch()), with the same bytes.
 */
static void test_metrics_cache(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager("");
	struct port *p = mk_port(m, "port0", 12);
	struct port *q = mk_port(m, "port1", 12);
	struct sample s = mk_sample(10, 40, 1e-3);
	char *a = NULL, *b = NULL;
	uint64_t gen;

	manager_port_sample(m, p, &s, 10);
	manager_port_sample(m, q, &s, 10);
	assert_true(metrics_render_string(m, &a) > 0);
	assert_non_null(strstr(
		a, "optic_module_temperature_celsius{port=\"port0\"} 40\n"));

	/* The same values a second later: nothing to render again. */
	gen = p->gen;
	s.t = 11;
	manager_port_sample(m, p, &s, 11);
	assert_int_equal(p->gen, gen);
	p->last.temp = 99; /* behind the cache's back: not shown */
	assert_true(metrics_render_string(m, &b) > 0);
	assert_string_equal(a, b);
	free(b);

	/*
	 * A value that moved: that port's families showing its sample,
	 * rendered again, its others not (they did not change).
	 */
	s = mk_sample(12, 41, 1e-3);
	p->poll_errors = 7; /* behind the cache's back: not shown */
	manager_port_sample(m, p, &s, 12);
	assert_int_equal(p->gen, gen);
	assert_true(metrics_render_string(m, &b) > 0);
	assert_non_null(strstr(
		b, "optic_module_temperature_celsius{port=\"port0\"} 41\n"));
	assert_non_null(strstr(
		b, "optic_module_temperature_celsius{port=\"port1\"} 40\n"));
	assert_non_null(
		strstr(b, "optic_poll_errors_total{port=\"port0\"} 0\n"));
	free(b);
	/* A lane going down (its values NaN) changes its levels: all again. */
	s.rx_power[2] = s.tx_power[2] = s.tx_bias[2] = NAN;
	manager_port_sample(m, p, &s, 13);
	assert_int_not_equal(p->gen, gen);
	assert_true(metrics_render_string(m, &b) > 0);
	assert_non_null(
		strstr(b, "optic_poll_errors_total{port=\"port0\"} 7\n"));
	assert_null(strstr(b, "optic_monitor_level{port=\"port0\",lane=\"3\""));
	assert_non_null(strstr(
		b,
		"optic_lane_rx_power_watts{port=\"port0\",lane=\"2\"} 0.001\n"));
	assert_null(strstr(
		b, "optic_lane_rx_power_watts{port=\"port0\",lane=\"3\"}"));
	free(b);

	/* A removal, a flag, an action: each renders the port again. */
	gen = q->gen;
	port_removed(m, q);
	assert_int_not_equal(q->gen, gen);
	gen = q->gen;
	manager_port_flags(m, q, FLAP_RX_LOS, 0x1, 13);
	assert_int_not_equal(q->gen, gen);
	gen = q->gen;
	manager_action(m, q, -1, POLICY_POWER, NULL, LOG_INFO, "test");
	assert_int_not_equal(q->gen, gen);
	assert_true(metrics_render_string(m, &b) > 0);
	assert_null(
		strstr(b, "optic_module_temperature_celsius{port=\"port1\"}"));
	assert_non_null(strstr(
		b,
		"optic_lane_flags_total{port=\"port1\",lane=\"1\",flag=\"rx_los\"} 1\n"));
	free(b);
	free(a);
}

/* @s read to its end @step bytes at a time, as a string. */
static char *scrape_text(struct metrics_scrape *s, size_t step)
{
	size_t size = metrics_scrape_size(s), len = 0, n;
	char *t = malloc(size + 1);

	assert_non_null(t);
	while ((n = metrics_scrape_read(s, t + len, MIN(step, size - len + 1))))
		len += n;
	assert_int_equal(len, size);
	t[len] = '\0';
	return t;
}

/*
 * A scrape sends the exposition as it was when it began, in pieces of any
 * size: a poll, a removal and the ports' release meanwhile change nothing.
 */
static void test_metrics_scrape(void **state)
{
	struct manager *m = mk_manager("");
	struct port *p = mk_port(m, "port0", 12);
	struct port *q = mk_port(m, "port1", 12);
	struct sample s = mk_sample(10, 40, 1e-3);
	static const size_t steps[] = { 1, 3, 7, 100, 65536 };
	struct metrics_scrape *sc[ARRAY_SIZE(steps)];
	char *a = NULL, *b = NULL, *t;

	manager_port_sample(m, p, &s, 10);
	manager_port_sample(m, q, &s, 10);
	assert_true(metrics_render_string(m, &a) > 0);
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		sc[i] = metrics_scrape_new(m);
		assert_non_null(sc[i]);
		assert_int_equal(metrics_scrape_size(sc[i]), strlen(a));
	}
	t = scrape_text(sc[0], steps[0]);
	assert_string_equal(t, a);
	free(t);

	s = mk_sample(11, 41, 1e-3);
	manager_port_sample(m, p, &s, 11);
	port_removed(m, q);
	assert_true(metrics_render_string(m, &b) > 0);
	assert_string_not_equal(a, b);
	t = scrape_text(sc[1], steps[1]);
	assert_string_equal(t, a);
	free(t);

	manager_free(m); /* the ports' blocks: the scrapes' now */
	for (size_t i = 2; i < ARRAY_SIZE(steps); i++) {
		t = scrape_text(sc[i], steps[i]);
		assert_string_equal(t, a);
		free(t);
	}
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
		metrics_scrape_free(sc[i]);
	free(a);
	free(b);
}

/* Read @fd to EOF while running the manager's event loop. */
static size_t pump_read(struct manager *m, int fd, char *buf, size_t len)
{
	size_t got = 0;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	for (int i = 0; i < 500 && got < len - 1; i++) {
		ssize_t n = read(fd, buf + got, len - 1 - got);

		if (n == 0)
			break;
		if (n > 0) {
			got += n;
			continue;
		}
		sd_event_run(m->event, 10000);
	}
	buf[got] = '\0';
	return got;
}

static void test_status_socket(void **state)
{
	char dir[] = "/tmp/opticd-status-XXXXXX", path[96], conf[256];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static char buf[65536];
	struct manager *m;
	struct stat st;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run/status.sock", dir);
	snprintf(conf, sizeof(conf),
		 "[daemon]\nmetrics_listen = no\nstatus_socket = %s\n", path);
	m = mk_manager(conf);
	mk_port(m, "port0", 12);
	assert_int_equal(status_start(m), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0660);

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_true(pump_read(m, fd, buf, sizeof(buf)) > 0);
	close(fd);
	assert_non_null(
		strstr(buf, "{\"version\":\"0.1.0\",\"driver\":\"down\""));
	assert_non_null(strstr(buf, "\"port\":\"port0\",\"present\":true"));
	assert_non_null(strstr(
		buf,
		"\"policies\":{\"thresholds\":{\"enabled\":true,\"action\":\"log\"}"));
	assert_int_equal(buf[strlen(buf) - 1], '\n');

	manager_free(m);
	assert_int_equal(stat(path, &st), -1); /* removed at exit */
	snprintf(path, sizeof(path), "%s/run", dir);
	rmdir(path);
	rmdir(dir);
}

/* OpenMetrics: the classic exposition translated, family by family. */
static void test_openmetrics(void **state)
{
	static const struct {
		const char *classic, *om;
	} cases[] = {
		{ "", "# EOF\n" },
		{ "# HELP optic_up 1 when up.\n# TYPE optic_up gauge\noptic_up 1\n",
		  "# TYPE optic_up gauge\n# HELP optic_up 1 when up.\noptic_up 1\n# EOF\n" },
		/* a unit when the name ends with one, not elsewhere */
		{ "# HELP optic_module_temperature_celsius T.\n"
		  "# TYPE optic_module_temperature_celsius gauge\n"
		  "optic_module_temperature_celsius{port=\"p0\"} 40.5\n"
		  "# HELP optic_lane_seconds_to_alarm S.\n"
		  "# TYPE optic_lane_seconds_to_alarm gauge\n"
		  "optic_lane_seconds_to_alarm{port=\"p0\",lane=\"1\"} +Inf\n",
		  "# TYPE optic_module_temperature_celsius gauge\n"
		  "# UNIT optic_module_temperature_celsius celsius\n"
		  "# HELP optic_module_temperature_celsius T.\n"
		  "optic_module_temperature_celsius{port=\"p0\"} 40.5\n"
		  "# TYPE optic_lane_seconds_to_alarm gauge\n"
		  "# HELP optic_lane_seconds_to_alarm S.\n"
		  "optic_lane_seconds_to_alarm{port=\"p0\",lane=\"1\"} +Inf\n"
		  "# EOF\n" },
		/* counters: the family without _total, _created per series,
		 * label values with spaces and braces, quotes in HELP */
		{ "# HELP optic_policy_actions_total By action=\"act\".\n"
		  "# TYPE optic_policy_actions_total counter\n"
		  "optic_policy_actions_total{port=\"a }b\",policy=\"x\"} 3\n"
		  "# HELP optic_events_lost_total Lost.\n"
		  "# TYPE optic_events_lost_total counter\n"
		  "optic_events_lost_total 0\n",
		  "# TYPE optic_policy_actions counter\n"
		  "# HELP optic_policy_actions By action=\\\"act\\\".\n"
		  "optic_policy_actions_total{port=\"a }b\",policy=\"x\"} 3\n"
		  "optic_policy_actions_created{port=\"a }b\",policy=\"x\"} 1700000000\n"
		  "# TYPE optic_events_lost counter\n"
		  "# HELP optic_events_lost Lost.\n"
		  "optic_events_lost_total 0\n"
		  "optic_events_lost_created 1700000000\n"
		  "# EOF\n" },
		/* a histogram: unit, _created after the count */
		{ "# HELP optic_poll_duration_seconds D.\n"
		  "# TYPE optic_poll_duration_seconds histogram\n"
		  "optic_poll_duration_seconds_bucket{le=\"0.5\"} 1\n"
		  "optic_poll_duration_seconds_bucket{le=\"+Inf\"} 2\n"
		  "optic_poll_duration_seconds_sum 1.5\n"
		  "optic_poll_duration_seconds_count 2\n",
		  "# TYPE optic_poll_duration_seconds histogram\n"
		  "# UNIT optic_poll_duration_seconds seconds\n"
		  "# HELP optic_poll_duration_seconds D.\n"
		  "optic_poll_duration_seconds_bucket{le=\"0.5\"} 1\n"
		  "optic_poll_duration_seconds_bucket{le=\"+Inf\"} 2\n"
		  "optic_poll_duration_seconds_sum 1.5\n"
		  "optic_poll_duration_seconds_count 2\n"
		  "optic_poll_duration_seconds_created 1700000000\n"
		  "# EOF\n" },
	};
	_cleanup_(manager_freep) struct manager *m = mk_manager("");
	struct sample smp = mk_sample(10, 40, 1e-3);
	char *text = NULL, *buf = NULL, *line, *save = NULL;
	size_t len = 0, types = 0, units = 0, created = 0, totals = 0;
	FILE *f;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		f = open_memstream(&buf, &len);
		metrics_openmetrics(cases[i].classic, 1700000000, f);
		fclose(f);
		if (!streq(buf, cases[i].om))
			fail_msg("case %zu:\n%s\nexpected:\n%s", i, buf,
				 cases[i].om);
		free(buf);
	}

	/* The whole exposition: every line has one of the format's shapes. */
	manager_port_sample(m, mk_port(m, "port0", 8), &smp, 10);
	assert_true(metrics_render_string(m, &text) > 0);
	f = open_memstream(&buf, &len);
	metrics_openmetrics(text, 1700000000, f);
	fclose(f);
	assert_non_null(strstr(buf, "\n# TYPE optic_events counter\n"));
	assert_non_null(strstr(
		buf, "\n# UNIT optic_module_temperature_celsius celsius\n"));
	assert_true(len > 6 && streq(buf + len - 6, "# EOF\n"));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[128], rest[64];

		types += !strncmp(line, "# TYPE ", 7);
		units += !strncmp(line, "# UNIT ", 7);
		if (line[0] == '#') {
			if (strncmp(line, "# TYPE ", 7) &&
			    strncmp(line, "# UNIT ", 7) &&
			    strncmp(line, "# HELP ", 7) &&
			    !streq(line, "# EOF"))
				fail_msg("not a descriptor: %s", line);
			continue;
		}
		if (sscanf(line, "%127[a-z_:]%63[^\n]", name, rest) != 2 ||
		    (rest[0] != '{' && rest[0] != ' '))
			fail_msg("not a sample: %s", line);
		totals += strlen(name) > 6 &&
			  streq(name + strlen(name) - 6, "_total");
		created += strstr(name, "_created") != NULL;
	}
	/* every counter sample and each histogram's count have a _created */
	assert_int_equal(created, totals + 2);
	assert_true(units >= 10);
	assert_true(types > 30);
	free(buf);
	free(text);
}

static void test_metrics_http(void **state)
{
	static const struct {
		const char *accept;
		bool om;
	} accepts[] = {
		{ "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
		  true },
		{ "application/openmetrics-text", true },
		{ "text/plain, application/openmetrics-text", true },
		{ "text/plain;q=0.9, application/openmetrics-text;q=0.5",
		  false },
		{ "application/openmetrics-text;q=0", false },
		{ "*/*", false },
		{ "text/plain;version=0.0.4", false },
		{ "application/json", false },
	};
	struct sockaddr_in sa = { .sin_family = AF_INET };
	static char buf[1 << 20];
	struct manager *m;
	const char *req = "GET /metrics HTTP/1.0\r\n\r\n";
	int fd, port = 20000 + getpid() % 20000;
	char conf[128], name[16], length[48], *text, *body;

	snprintf(conf, sizeof(conf),
		 "[daemon]\nmetrics_listen = 127.0.0.1:%d\nstatus_socket =\n",
		 port);
	m = mk_manager(conf);
	/* more than one 128 KiB piece of the scrape (METRICS_PIECE) */
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "port%d", i);
		mk_port(m, name, 12);
	}
	assert_int_equal(metrics_start(m), 0);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	assert_true(pump_read(m, fd, buf, sizeof(buf)) > 0);
	close(fd);
	if (!strstr(buf, "HTTP/1.1 200"))
		fail_msg("reply: %.200s", buf);
	assert_non_null(strstr(buf, "text/plain; version=0.0.4"));
	assert_non_null(
		strstr(buf, "optic_module_present{port=\"port0\"} 1\n"));
	/* the whole exposition, as long as Content-Length says */
	assert_true(metrics_render_string(m, &text) > 131072);
	body = strstr(buf, "\r\n\r\n");
	assert_non_null(body);
	assert_string_equal(body + 4, text);
	snprintf(length, sizeof(length), "Content-Length: %zu\r\n",
		 strlen(text));
	assert_non_null(strcasestr(buf, length));
	free(text);

	/* OpenMetrics when asked for it, by Accept and its q values */
	for (size_t i = 0; i < ARRAY_SIZE(accepts); i++) {
		char r[512];

		snprintf(r, sizeof(r),
			 "GET /metrics HTTP/1.0\r\nAccept: %s\r\n\r\n",
			 accepts[i].accept);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		assert_int_equal(
			connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
		assert_int_equal(write(fd, r, strlen(r)), (ssize_t)strlen(r));
		assert_true(pump_read(m, fd, buf, sizeof(buf)) > 0);
		close(fd);
		if (!strstr(buf,
			    accepts[i].om ?
				    "application/openmetrics-text; version=1.0.0; charset=utf-8" :
				    "text/plain; version=0.0.4") ||
		    !strstr(buf, "optic_up 0\n") ||
		    !strstr(buf, "# EOF\n") != !accepts[i].om)
			fail_msg("Accept: %s: %.300s", accepts[i].accept, buf);
	}

	/* 404 elsewhere */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	req = "GET /nope HTTP/1.0\r\n\r\n";
	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	pump_read(m, fd, buf, sizeof(buf));
	close(fd);
	assert_non_null(strstr(buf, "HTTP/1.1 404"));

	/* The same address again is refused (it is in use). */
	{
		struct manager *m2 = mk_manager(conf);

		assert_true(metrics_start(m2) < 0);
		manager_free(m2);
	}
	manager_free(m);
}

/* Latched flags ---------------------------------------------------------- */

/* The text of the newest action containing @needle, or NULL. */
static const char *action_with(const struct manager *m, const char *needle)
{
	for (size_t i = 0; i < m->log_len; i++) {
		const struct action_record *r =
			&m->log[(m->log_head + ACTION_LOG_LEN - 1 - i) %
				ACTION_LOG_LEN];

		if (strstr(r->text, needle))
			return r->text;
	}
	return NULL;
}

static void poll_with_flags(struct manager *m, struct port *p, uint32_t t,
			    double rx, enum monitor mon, int lane, uint8_t bits)
{
	struct sample s = mk_sample(t, 40, rx);
	struct mon_flags f = { 0 };

	if (lane >= 0)
		f.f[mon][lane] = bits;
	manager_port_mon_flags(m, p, &f);
	manager_port_sample(m, p, &s, t);
}

/*
 * RX power of lane 4 dips below the low alarm between two polls: only the
 * module's latched flag tells. One alarm while it latches again, then back
 * to ok once a poll finds neither the flag nor a low sample.
 */
static void test_latched_only_alarm(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager("");
	struct port *p = mk_port(m, "port0", 12);
	const char *text;
	char *txt = NULL;

	poll_with_flags(m, p, 10, 1e-3, MON_RX_POWER, -1, 0);
	assert_int_equal(p->actions[POLICY_THRESHOLD][ACTION_LOG], 0);

	/* Every sample at 0 dBm, the flag alone: alarm, logged once. */
	poll_with_flags(m, p, 11, 1e-3, MON_RX_POWER, 3, MONFLAG_LOW_ALARM);
	assert_int_equal(p->level[MON_RX_POWER][3], LEVEL_ALARM);
	assert_int_equal(p->level[MON_RX_POWER][0], LEVEL_OK);
	assert_int_equal(p->actions[POLICY_THRESHOLD][ACTION_LOG], 1);
	text = action_with(m, "rx_power alarm:");
	assert_non_null(text);
	assert_string_equal(
		text,
		"rx_power alarm: low flag latched (now 0.00 dBm, threshold -10.00 dBm, was ok)");
	assert_int_equal(
		m->log[(m->log_head + ACTION_LOG_LEN - 1) % ACTION_LOG_LEN].lane,
		3);
	assert_true(metrics_render_string(m, &txt) > 0);
	assert_non_null(strstr(
		txt,
		"optic_monitor_level{port=\"port0\",lane=\"4\",monitor=\"rx_power_watts\"} 2\n"));
	free(txt);

	/* The condition lasts: the flag latches again, no new line. */
	poll_with_flags(m, p, 12, 1e-3, MON_RX_POWER, 3, MONFLAG_LOW_ALARM);
	poll_with_flags(m, p, 13, 1e-3, MON_RX_POWER, 3,
			MONFLAG_LOW_ALARM | MONFLAG_LOW_WARNING);
	assert_int_equal(p->level[MON_RX_POWER][3], LEVEL_ALARM);
	assert_int_equal(p->actions[POLICY_THRESHOLD][ACTION_LOG], 1);

	/* A sample in alarm during the episode: still the same one. */
	poll_with_flags(m, p, 14, 0.05e-3, MON_RX_POWER, 3, MONFLAG_LOW_ALARM);
	/* (lanes 1-3 sampled low too: their own alarms, 3 more lines) */
	assert_int_equal(p->actions[POLICY_THRESHOLD][ACTION_LOG], 4);
	assert_int_equal(p->level[MON_RX_POWER][3], LEVEL_ALARM);

	/* Gone: back to ok once, as for a sample. */
	poll_with_flags(m, p, 15, 1e-3, MON_RX_POWER, -1, 0);
	assert_int_equal(p->level[MON_RX_POWER][3], LEVEL_OK);
	assert_non_null(action_with(m, "rx_power back to ok (0.00 dBm)"));
	assert_int_equal(p->actions[POLICY_THRESHOLD][ACTION_LOG], 8);
	poll_with_flags(m, p, 16, 1e-3, MON_RX_POWER, -1, 0);
	assert_int_equal(p->actions[POLICY_THRESHOLD][ACTION_LOG], 8);

	/* A new episode: a high warning on the module temperature. */
	poll_with_flags(m, p, 17, 1e-3, MON_TEMP, 0, MONFLAG_HIGH_WARNING);
	assert_int_equal(p->level[MON_TEMP][0], LEVEL_WARNING);
	assert_non_null(action_with(
		m,
		"temperature warning: high flag latched (now 40.00 °C, threshold 70.00 °C, was ok)"));
	/* ... that turns into an alarm: one more line. */
	poll_with_flags(m, p, 18, 1e-3, MON_TEMP, 0,
			MONFLAG_HIGH_WARNING | MONFLAG_HIGH_ALARM);
	assert_int_equal(p->level[MON_TEMP][0], LEVEL_ALARM);
	assert_non_null(action_with(
		m, "temperature alarm: high flag latched (now 40.00 °C, "
		   "threshold 75.00 °C, was warning)"));
	assert_int_equal(p->actions[POLICY_THRESHOLD][ACTION_LOG], 10);
	/* Then only the warning flag: down to warning, from the flag. */
	poll_with_flags(m, p, 19, 1e-3, MON_TEMP, 0, MONFLAG_HIGH_WARNING);
	assert_int_equal(p->level[MON_TEMP][0], LEVEL_WARNING);
	assert_int_equal(p->actions[POLICY_THRESHOLD][ACTION_LOG], 11);
}

/* A flag against a threshold the operator overrode does not count. */
static void test_latched_flag_overridden(void **state)
{
	_cleanup_(manager_freep) struct manager *m =
		mk_manager("[vendor ACME*]\nrx_power_low_alarm_dbm = -30\n");
	struct port *p = mk_port(m, "port0", 12);

	poll_with_flags(m, p, 10, 1e-3, MON_RX_POWER, 1, MONFLAG_LOW_ALARM);
	assert_int_equal(p->level[MON_RX_POWER][1], LEVEL_OK);
	/* The module's low warning is not overridden: that one counts. */
	poll_with_flags(m, p, 11, 1e-3, MON_RX_POWER, 1,
			MONFLAG_LOW_ALARM | MONFLAG_LOW_WARNING);
	assert_int_equal(p->level[MON_RX_POWER][1], LEVEL_WARNING);
	assert_int_equal(p->actions[POLICY_THRESHOLD][ACTION_LOG], 1);
}

/* From a decoded CMIS image through port_poll_model(), as a poll does. */
static void test_latched_from_model(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager("");
	struct port *p = manager_port(m, "port0", true);
	struct optic_image img;
	struct optic_model model = { 0 };
	struct poll_values pv;
	const struct mon_flags *f = &pv.mf;

	optic_image_init(&img);
	cmis_400g_dr4(&img); /* temperature high warning latched */
	put8(&img, 0x11, 150, 0x08); /* RX power low alarm, lane 4 */
	put16(&img, 0x50, 0x11, 186 + 6, 10000); /* lane 4 RX 1 mW */
	assert_int_equal(optic_decode(&img, &model), 0);

	poll_values_from_model(&model, &pv);
	assert_int_equal(f->f[MON_TEMP][0], MONFLAG_HIGH_WARNING);
	assert_int_equal(f->f[MON_RX_POWER][3], MONFLAG_LOW_ALARM);
	assert_int_equal(f->f[MON_RX_POWER][0], 0);
	assert_int_equal(f->f[MON_VCC][0], 0);

	p->known = p->present = true;
	p->lanes = 8;
	p->info.state = OPTIC_STATE_READY;
	p->mod_thr[MON_TEMP] = (struct thresholds){ 75, 70, 0, -5 };
	p->mod_thr[MON_RX_POWER] =
		(struct thresholds){ 2e-3, 1.5e-3, 0.2e-3, 0.1e-3 };
	manager_port_configure(m, p);

	/*
	 * First poll: the module flag counts, the lane one not yet (a lane
	 * not seen live before may have latched it coming up).
	 */
	port_poll_model(m, p, &model, 100);
	assert_int_equal(p->level[MON_TEMP][0], LEVEL_WARNING);
	assert_non_null(action_with(
		m, "temperature warning: high flag latched (now 25.50 °C"));
	assert_int_equal(p->level[MON_RX_POWER][3], LEVEL_OK);
	/* Second poll, latched again: now the lane's alarm. */
	port_poll_model(m, p, &model, 101);
	assert_int_equal(p->level[MON_RX_POWER][3], LEVEL_ALARM);
	assert_non_null(action_with(
		m,
		"rx_power alarm: low flag latched (now 0.00 dBm, threshold -10.00 dBm, was ok)"));
	/* Lane 2 (DPInitialized) latching is no alarm. */
	optic_model_free(&model);
	put8(&img, 0x11, 150, 0x02);
	assert_int_equal(optic_decode(&img, &model), 0);
	port_poll_model(m, p, &model, 102);
	assert_int_equal(p->level[MON_RX_POWER][1], LEVEL_OK);
	/* Lane 4 without its flag: back to ok. */
	assert_int_equal(p->level[MON_RX_POWER][3], LEVEL_OK);

	optic_model_free(&model);
	optic_image_clear(&img);
}

/* Driver events ------------------------------------------------------- */

static char logbuf[8192];

/* Run the manager's log lines (console format) into logbuf. */
static int capture_fd = -1, saved_stderr = -1;

static void capture_start(void)
{
	char path[] = "/tmp/opticd-test-XXXXXX";

	fflush(stderr);
	capture_fd = mkstemp(path);
	assert_true(capture_fd >= 0);
	unlink(path);
	saved_stderr = dup(2);
	dup2(capture_fd, 2);
	log_set_target(LOG_TARGET_CONSOLE);
	log_set_max_level(LOG_INFO);
}

static const char *capture_end(void)
{
	ssize_t n;

	fflush(stderr);
	log_set_max_level(-1);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	lseek(capture_fd, 0, SEEK_SET);
	n = read(capture_fd, logbuf, sizeof(logbuf) - 1);
	logbuf[n > 0 ? n : 0] = 0;
	close(capture_fd);
	return logbuf;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *s = hay; (s = strstr(s, needle)); s++)
		n++;
	return n;
}

static struct optic_nl_event mk_event(uint64_t seq, const char *port,
				      uint8_t type, const char *sn)
{
	struct optic_nl_event ev = { .type = type, .seq = seq, .lane = -1 };

	snprintf(ev.name, sizeof(ev.name), "%s", port);
	ev.attrs = OPTIC_ATTR(OPTIC_A_EVENT_TYPE) |
		   OPTIC_ATTR(OPTIC_A_EVENT_SEQ);
	if (type == OPTIC_EVENT_INSERTED) {
		ev.attrs |= OPTIC_ATTR(OPTIC_A_VENDOR_NAME) |
			    OPTIC_ATTR(OPTIC_A_VENDOR_PN) |
			    OPTIC_ATTR(OPTIC_A_VENDOR_SN);
		snprintf(ev.vendor_name, sizeof(ev.vendor_name), "ACME");
		snprintf(ev.vendor_pn, sizeof(ev.vendor_pn), "QDD-1");
		snprintf(ev.vendor_sn, sizeof(ev.vendor_sn), "%s", sn);
		ev.lane_count = 4;
		ev.spec = OPTIC_SPEC_CMIS;
	}
	return ev;
}

/*
 * Pulled and plugged back before opticd polls it: both logged from the
 * events. Plugged and pulled before a poll: the insertion from its event,
 * then the removal.
 */
static void test_presence_events(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager("");
	struct port *p = mk_port(m, "port0", 12);
	struct optic_nl_event ev;
	const char *out;

	p->insertions = 1;
	capture_start();
	ev = mk_event(1, "port0", OPTIC_EVENT_REMOVED, NULL);
	manager_event(m, &ev);
	ev = mk_event(2, "port0", OPTIC_EVENT_INSERTED, "SN-port0");
	manager_event(m, &ev);
	out = capture_end();
	assert_int_equal(count(out, "port0: module removed\n"), 1);
	/* The insertion is logged when read (identity, max power) ... */
	assert_int_equal(count(out, "module back"), 0);
	assert_false(p->present);
	assert_true(p->ins_pending);
	assert_true(p->kicked);

	/* ... or, pulled again first, from the event. */
	capture_start();
	ev = mk_event(3, "port0", OPTIC_EVENT_REMOVED, NULL);
	manager_event(m, &ev);
	out = capture_end();
	assert_non_null(strstr(
		out,
		"port0: module back: ACME QDD-1 SN SN-port0, 4 lanes (from the driver's event)\n"
		"opticd: port0: module removed\n"));
	assert_int_equal(p->insertions, 2);
	assert_false(p->ins_pending);
	assert_false(p->ins_logged);

	/* Another module, plugged and pulled: "inserted", then removed. */
	capture_start();
	ev = mk_event(4, "port0", OPTIC_EVENT_INSERTED, "SN-OTHER");
	manager_event(m, &ev);
	ev = mk_event(5, "port0", OPTIC_EVENT_REMOVED, NULL);
	manager_event(m, &ev);
	/* A REMOVED for an empty cage says nothing more. */
	ev = mk_event(6, "port0", OPTIC_EVENT_REMOVED, NULL);
	manager_event(m, &ev);
	out = capture_end();
	assert_int_equal(count(out, "module inserted: ACME QDD-1 SN SN-OTHER"),
			 1);
	assert_int_equal(count(out, "module removed"), 1);
	assert_true(p->ins_reset);
	assert_int_equal(m->events[OPTIC_EVENT_REMOVED], 4);
	assert_int_equal(m->events_lost, 0);

	/* An INSERTED for the module opticd already has: no news. */
	p->present = true;
	snprintf(p->info.vendor_sn, sizeof(p->info.vendor_sn), "SN-OTHER");
	capture_start();
	ev = mk_event(7, "port0", OPTIC_EVENT_INSERTED, "SN-OTHER");
	manager_event(m, &ev);
	out = capture_end();
	assert_string_equal(out, "");
	assert_false(p->ins_pending);
	/* Another one instead, without a REMOVED: that one is logged. */
	capture_start();
	ev = mk_event(8, "port0", OPTIC_EVENT_INSERTED, "SN-THIRD");
	manager_event(m, &ev);
	out = capture_end();
	assert_int_equal(count(out, "module removed"), 1);
	assert_true(p->ins_pending);
	assert_false(p->present);
}

/* Sequence gaps: crossing events are not losses, a hole that stays is. */
static void test_event_sequence(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager("");
	struct optic_nl_event ev;

	mk_port(m, "port1", 12);
	/* The first one sets the base; 11 and 10 cross. */
	static const uint64_t order[] = { 7, 8, 9, 11, 10, 12 };

	capture_start();
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		ev = mk_event(order[i], "port1", OPTIC_EVENT_FLAG, NULL);
		manager_event(m, &ev);
	}
	assert_int_equal(m->events_lost, 0);
	assert_int_equal(m->seq_next, 13);
	/* 13 never comes: lost once 64 later ones arrived. */
	for (uint64_t s = 14; s < 14 + 63; s++) {
		ev = mk_event(s, "port1", OPTIC_EVENT_FLAG, NULL);
		manager_event(m, &ev);
	}
	assert_int_equal(m->events_lost, 0);
	ev = mk_event(14 + 63, "port1", OPTIC_EVENT_FLAG, NULL);
	manager_event(m, &ev);
	assert_int_equal(m->events_lost, 1);
	assert_int_equal(m->seq_next, 14 + 64);
	/*
	 * A jump of 1000: 999 missing, those out of the window lost now,
	 * the 63 in it once it slides (or a poll cycle starts).
	 */
	ev = mk_event(14 + 64 + 999, "port1", OPTIC_EVENT_FLAG, NULL);
	manager_event(m, &ev);
	assert_int_equal(m->events_lost, 1 + 999 - 63);
	assert_int_equal(m->seq_next, 14 + 64 + 999 - 63);
	/* The driver reloaded: numbering from 1 again, no loss. */
	m->seq_next = 5000000;
	m->seq_seen = 0;
	ev = mk_event(1, "port1", OPTIC_EVENT_FLAG, NULL);
	manager_event(m, &ev);
	ev = mk_event(2, "port1", OPTIC_EVENT_FLAG, NULL);
	manager_event(m, &ev);
	assert_int_equal(m->seq_next, 3);
	capture_end();
	assert_int_equal(count(logbuf, "driver events lost, rescanning"), 2);
}

/*
 * A flag with news polls its port at once, once per cycle: a monitor
 * latching at every read leaves the port to the cycle after that.
 */
static void test_flag_kick_once_per_cycle(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager("");
	struct port *p = mk_port(m, "port1", 12);
	struct optic_nl_event ev;
	uint64_t seq = 1;

	ev = mk_event(seq++, "port1", OPTIC_EVENT_FLAG, NULL);
	manager_event(m, &ev);
	assert_true(p->kicked);
	p->kicked = false; /* polled */
	ev = mk_event(seq++, "port1", OPTIC_EVENT_FLAG, NULL);
	manager_event(m, &ev);
	assert_false(p->kicked);
	/* Other events still poll at once. */
	ev = mk_event(seq++, "port1", OPTIC_EVENT_MODULE_STATE, NULL);
	manager_event(m, &ev);
	assert_true(p->kicked);
	p->kicked = false;
	m->cycles++;
	ev = mk_event(seq++, "port1", OPTIC_EVENT_FLAG, NULL);
	manager_event(m, &ev);
	assert_true(p->kicked);
}

static struct optic_nl_event flag_ev(uint64_t seq, uint8_t page, uint8_t offset,
				     uint8_t bits, int lane)
{
	struct optic_nl_event ev =
		mk_event(seq, "port1", OPTIC_EVENT_FLAG, NULL);

	ev.flag_page = page;
	ev.flag_offset = offset;
	ev.flag_bits = bits;
	ev.lane = lane;
	return ev;
}

/*
 * A FLAG event with news counts its lane flag and raises the level its
 * alarm/warning flag claims at once; the poll it asks for reads the same
 * latched bits and counts nothing twice.
 */
static void test_flag_event_at_once(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager("");
	struct port *p = mk_port(m, "port1", 12);
	struct optic_nl_event ev;
	char *txt = NULL;

	cmis_400g_dr4(&p->img); /* RX LOS lane 2, temperature high warning */
	p->info.spec = OPTIC_SPEC_CMIS;
	p->flags_prev[FLAP_RX_LOS] = 0x02;
	p->flag_lanes = 0x07; /* lanes 1-3 live at the last poll */

	/* RX LOS on lane 4 (page 11h byte 147 bit 3). */
	ev = flag_ev(1, 0x11, 147, 0x08, 3);
	manager_event(m, &ev);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 3), 1);
	assert_true(p->kicked);
	assert_true(metrics_render_string(m, &txt) > 0);
	assert_non_null(strstr(
		txt,
		"optic_lane_flags_total{port=\"port1\",lane=\"4\",flag=\"rx_los\"} 1\n"));
	free(txt);
	/* The poll reads it latched: no second count. */
	manager_port_flags(m, p, FLAP_RX_LOS, 0x0a, 20);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 3), 1);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 1), 0);

	/* An echo of opticd's own read (the image holds the bit): nothing. */
	p->kicked = false;
	m->cycles++;
	ev = flag_ev(2, 0x11, 147, 0x02, 1);
	manager_event(m, &ev);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 1), 0);
	assert_false(p->kicked);

	/* RX power low alarm on lane 3: the alarm from the event. */
	ev = flag_ev(3, 0x11, 150, 0x04, 2);
	manager_event(m, &ev);
	assert_int_equal(p->level[MON_RX_POWER][2], LEVEL_ALARM);
	assert_string_equal(action_with(m, "rx_power alarm:"),
			    "rx_power alarm: low flag latched (threshold "
			    "-10.00 dBm, was ok)");
	assert_int_equal(p->actions[POLICY_THRESHOLD][ACTION_LOG], 1);
	/* The poll finds it latched: the same episode, no new line. */
	poll_with_flags(m, p, 21, 1e-3, MON_RX_POWER, 2, MONFLAG_LOW_ALARM);
	assert_int_equal(p->level[MON_RX_POWER][2], LEVEL_ALARM);
	assert_int_equal(p->actions[POLICY_THRESHOLD][ACTION_LOG], 1);

	/* Lane 4 was not live at the last poll: as a poll, no alarm. */
	ev = flag_ev(4, 0x11, 150, 0x08, 3);
	manager_event(m, &ev);
	assert_int_equal(p->level[MON_RX_POWER][3], LEVEL_OK);

	/* Module flags: byte 9, temperature high alarm with its warning. */
	ev = flag_ev(5, 0, 9, 0x05, -1);
	manager_event(m, &ev);
	assert_int_equal(p->level[MON_TEMP][0], LEVEL_ALARM);
	assert_int_equal(p->actions[POLICY_THRESHOLD][ACTION_LOG], 2);
	assert_non_null(action_with(m, "temperature alarm: high flag latched "
				       "(threshold 75.00 °C, was ok)"));
}

/* Heap bytes in use (glibc). */
static size_t heap_used(void)
{
	return mallinfo2().uordblks;
}

/*
 * What opticd holds per 8-lane port, the default history included: at 512
 * ports it must stay within 48 MiB (issue 20). It was 56.0 MiB with 70 KiB
 * a port, ~21 MiB being libraries and the rest: at most 54 KiB a port.
 */
static void test_port_memory(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager("");
	size_t at[7];
	struct history *h;
	struct port *p;
	char *txt = NULL;

	at[0] = heap_used();
	p = mk_port(m, "port0", 12);
	at[1] = heap_used();
	cmis_400g_dr4(&p->img);
	at[2] = heap_used();
	assert_int_equal(optic_decode(&p->img, &p->model), 0);
	at[3] = heap_used();
	p->info.spec = OPTIC_SPEC_CMIS;
	p->lanes = p->model.lanes;
	assert_int_equal(p->lanes, 8);
	/* The plan, and the model cut to what is read after it. */
	assert_int_equal(port_plan(p), 0);
	assert_int_equal(p->model.cap, p->model.n);
	assert_non_null(optic_model_get(&p->model, "application", NULL, 7));
	assert_null(optic_model_get(&p->model, "vendor_sn", NULL, -1));
	at[4] = heap_used();
	assert_int_equal(history_new(&h, &m->cfg->history, 8), 0);
	history_free(p->hist);
	p->hist = h;
	at[5] = heap_used();
	port_poll_values(m, p, &p->pv, 1000);
	assert_true(metrics_render_string(m, &txt) > 0);
	free(txt);
	at[6] = heap_used();
	print_message(
		"per 8-lane port: port %zu (struct %zu), image %zu, "
		"model %zu, plan and the model cut %+zd (%zu values), history %zu "
		"(1-lane one freed), metrics %zu; total %zu bytes\n",
		at[1] - at[0], sizeof(struct port), at[2] - at[1],
		at[3] - at[2], (ssize_t)at[4] - (ssize_t)at[3], p->model.n,
		at[5] - at[4], at[6] - at[5], at[6] - at[0]);
	assert_true(at[6] - at[0] <= 54 * 1024);
}

/*
 * Ports by name: every port found again as it was made, whatever the order
 * and however often the slots grew; unknown names are not made up.
 */
static void test_port_lookup(void **state)
{
	_cleanup_(manager_freep) struct manager *m = mk_manager("");
	struct port *made[600];
	char name[32];

	for (size_t i = 0; i < ARRAY_SIZE(made); i++) {
		snprintf(name, sizeof(name), "Ethernet%zu", i * 8);
		made[i] = manager_port(m, name, true);
		assert_non_null(made[i]);
		assert_ptr_equal(manager_port(m, name, true), made[i]);
	}
	assert_int_equal(m->n_ports, ARRAY_SIZE(made));
	assert_true(m->n_port_slots >= 2 * m->n_ports);
	assert_int_equal(m->n_port_slots & (m->n_port_slots - 1), 0);
	for (size_t i = ARRAY_SIZE(made); i-- > 0;) {
		snprintf(name, sizeof(name), "Ethernet%zu", i * 8);
		assert_ptr_equal(manager_port(m, name, false), made[i]);
		assert_string_equal(made[i]->name, name);
	}
	assert_null(manager_port(m, "Ethernet4", false));
	assert_null(manager_port(m, "", false));
	assert_int_equal(m->n_ports, ARRAY_SIZE(made));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_mapping),
		cmocka_unit_test(test_thermal_act_and_release),
		cmocka_unit_test(test_thermal_log_only),
		cmocka_unit_test(test_thermal_tx_disable_and_port_override),
		cmocka_unit_test(test_recovery_resets),
		cmocka_unit_test(test_power_budget),
		cmocka_unit_test(test_flap_edges),
		cmocka_unit_test(test_prediction_from_history),
		cmocka_unit_test(test_thresholds_override_and_metrics),
		cmocka_unit_test(test_no_action_during_flash),
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_exposition),
		cmocka_unit_test(test_metrics_cache),
		cmocka_unit_test(test_metrics_scrape),
		cmocka_unit_test(test_status_socket),
		cmocka_unit_test(test_openmetrics),
		cmocka_unit_test(test_metrics_http),
		cmocka_unit_test(test_latched_only_alarm),
		cmocka_unit_test(test_latched_flag_overridden),
		cmocka_unit_test(test_latched_from_model),
		cmocka_unit_test(test_presence_events),
		cmocka_unit_test(test_event_sequence),
		cmocka_unit_test(test_flag_kick_once_per_cycle),
		cmocka_unit_test(test_flag_event_at_once),
		cmocka_unit_test(test_port_memory),
		cmocka_unit_test(test_port_lookup),
	};

	return cmocka_run_group_tests_name("opticd_manager", tests, NULL, NULL);
}
