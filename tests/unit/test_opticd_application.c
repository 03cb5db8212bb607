// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticd's application = setting: parsing and validation, the overrides
 * it merges through, the decision to apply (app_plan) and its occasions
 * (once per insertion, reset or reload; a refusal logged once, no loop).
 */
#include "vectors_app.h"

#include <pthread.h>

#include "application.h"
#include "config.h"
#include "log.h"
#include "manager.h"

static struct config *load_ok(const char *text)
{
	struct config *c = NULL;
	char *err = NULL;

	if (config_load_string("test.conf", text, &c, &err) < 0)
		fail_msg("unexpected error: %s", err ? err : "(none)");
	free(err);
	return c;
}

static void test_config_values(void **state)
{
	static const struct {
		const char *value;
		const char *err; /* NULL: accepted */
	} t[] = {
		{ "2", NULL },
		{ "15", NULL },
		{ "400GBASE-DR4", NULL },
		{ "800GAUI-8", NULL },
		{ "400G-FR4", NULL },
		{ "module", NULL },
		{ "0", "app.conf:2: application: '0' is not an AppSel (1-15)" },
		{ "16", "app.conf:2: application: '16' is not an AppSel" },
		{ "400GBASE-XR9", "app.conf:2: application: '400GBASE-XR9'" },
		{ "", "app.conf:2: application: '' is not" },
		{ "0123456789012345678901234567890123456789012345678",
		  "app.conf:2: application: '0123" },
	};
	char text[160];

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct config *c = NULL;
		char *err = NULL;
		int r;

		snprintf(text, sizeof(text),
			 "[pn \"LXO-*\"]\napplication = %s\n", t[i].value);
		r = config_load_string("app.conf", text, &c, &err);
		if (!t[i].err && r < 0)
			fail_msg("'%s' refused: %s", t[i].value, err);
		if (t[i].err && (r != -EINVAL || !err ||
				 strncmp(err, t[i].err, strlen(t[i].err))))
			fail_msg("'%s': r=%d err='%s', want '%s'", t[i].value,
				 r, err ?: "(null)", t[i].err);
		free(err);
		config_free(c);
	}
	(void)state;
}

/* vendor < pn < port; "module" takes a broader setting back. */
static void test_config_overrides(void **state)
{
	static const char conf[] =
		"[port \"port3\"]\napplication = module\n"
		"[pn \"LXO-*\"]\napplication = 400GBASE-DR4\n"
		"[vendor \"LUMENTA\"]\napplication = 1\n"
		"[port \"port2\"]\napplication = 3\n";
	static const struct {
		const char *port, *vendor, *pn, *want;
	} t[] = {
		{ "port0", "LUMENTA", "LXO-8D2-DR4", "400GBASE-DR4" },
		{ "port1", "LUMENTA", "OTHER", "1" },
		{ "port2", "LUMENTA", "LXO-8D2-DR4", "3" },
		{ "port3", "LUMENTA", "LXO-8D2-DR4", "" },
		{ "port4", "ACME", "QDD-1", "" },
		{ "port5", NULL, NULL, "" },
	};
	_cleanup_(config_freep) struct config *c = load_ok(conf);
	_cleanup_(config_freep) struct config *c2 = NULL;
	_cleanup_free_ char *buf = NULL, *err = NULL;
	struct port_settings s;
	size_t len = 0;
	FILE *f;

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		config_port_settings(c, t[i].port, t[i].vendor, t[i].pn, &s);
		if (!streq(s.application, t[i].want))
			fail_msg("%s: '%s', want '%s'", t[i].port,
				 s.application, t[i].want);
	}
	/* config_dump writes it back as it was given */
	f = open_memstream(&buf, &len);
	config_dump(c, f);
	fclose(f);
	assert_non_null(
		strstr(buf, "[pn \"LXO-*\"]\napplication = 400GBASE-DR4\n"));
	assert_non_null(
		strstr(buf, "[port \"port3\"]\napplication = module\n"));
	assert_int_equal(config_load_string("dump", buf, &c2, &err), 0);
	config_port_settings(c2, "port0", "LUMENTA", "LXO-8D2-DR4", &s);
	assert_string_equal(s.application, "400GBASE-DR4");
	(void)state;
}

static void test_plan(void **state)
{
	static const struct {
		const char *want;
		uint8_t active; /* AppSel on every lane */
		unsigned int nlanes;
		int r;
		uint8_t appsel;
	} t[] = {
		{ "", 1, 8, 0, 0 }, /* no setting */
		{ "1", 1, 8, 0, 0 }, /* runs it already */
		{ "800GBASE-DR8", 1, 8, 0, 0 }, /* the same by name */
		{ "2", 1, 8, 1, 2 },
		{ "400GBASE-DR4", 1, 8, 1, 2 },
		{ "100GBASE-DR", 2, 8, 1, 4 },
		{ "400GBASE-DR4", 2, 8, 0, 0 },
		{ "400GBASE-DR4", 0, 8, 1, 2 }, /* lanes in no data path */
		{ "9", 1, 8, -ENOENT, 0 },
		{ "400GBASE-SR8", 1, 8, -ENOENT, 0 },
		{ "400GAUI-4-S", 1, 8, -EEXIST, 0 },
		{ "800GBASE-DR8", 2, 4, -ERANGE, 0 }, /* 8 lanes on 4 */
		{ "2", 1, 4, 1, 2 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct optic_dp_request req = { 0 };
		struct optic_image img;
		struct optic_model m;
		struct optic_app app;
		int r;

		optic_image_init(&img);
		img_800g(&img, t[i].active);
		assert_int_equal(optic_decode(&img, &m), 0);
		r = app_plan(t[i].want, &img, &m, t[i].nlanes, &req, &app);
		if (r != t[i].r)
			fail_msg("row %zu ('%s' on %u): %d, want %d", i,
				 t[i].want, t[i].active, r, t[i].r);
		if (r == 1) {
			assert_int_equal(req.appsel, t[i].appsel);
			assert_int_equal(req.lanes, (1u << t[i].nlanes) - 1);
			assert_int_equal(req.activate, -1);
			assert_false(req.immediate);
		}
		optic_model_free(&m);
		optic_image_clear(&img);
	}
	(void)state;
}

static void test_plan_not_cmis(void **state)
{
	struct optic_dp_request req;
	struct optic_image img;
	struct optic_model m;
	struct optic_app app;

	optic_image_init(&img);
	sff8636_cwdm4(&img);
	assert_int_equal(optic_decode(&img, &m), 0);
	assert_int_equal(app_plan("1", &img, &m, 4, &req, &app), -EOPNOTSUPP);
	assert_int_equal(app_plan("", &img, &m, 4, &req, &app), 0);
	assert_non_null(strstr(app_plan_error(-EOPNOTSUPP), "no CMIS"));
	optic_model_free(&m);
	optic_image_clear(&img);
	(void)state;
}

/*
 * The driver, mocked: the requests, and the ConfigStatus it answers. It
 * runs on the applies' threads; while @gate is closed it waits, as the
 * driver does through the module's durations.
 */
static struct optic_dp_request reqs[8];
static size_t nreqs, inflight, inflight_max;
static uint8_t answer = OPTIC_CONFIG_SUCCESS;
static bool gate_closed;
static pthread_mutex_t mock_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate = PTHREAD_COND_INITIALIZER;

static int mock_dp_set(const char *port, const struct optic_dp_request *req,
		       struct optic_datapath *out, char *ext, size_t ext_len)
{
	pthread_mutex_lock(&mock_lock);
	if (nreqs < ARRAY_SIZE(reqs))
		reqs[nreqs] = *req;
	nreqs++;
	inflight++;
	inflight_max = MAX(inflight_max, inflight);
	pthread_cond_broadcast(&gate);
	while (gate_closed)
		pthread_cond_wait(&gate, &mock_lock);
	inflight--;
	pthread_mutex_unlock(&mock_lock);
	out->lanes = 8;
	memset(out->config_status, answer, sizeof(out->config_status));
	ext[0] = '\0';
	return 0;
}

static void gate_set(bool closed)
{
	pthread_mutex_lock(&mock_lock);
	gate_closed = closed;
	pthread_cond_broadcast(&gate);
	pthread_mutex_unlock(&mock_lock);
}

/* Until @n requests are in the mock, waiting at the gate. */
static void wait_inflight(size_t n)
{
	pthread_mutex_lock(&mock_lock);
	while (inflight < n)
		pthread_cond_wait(&gate, &mock_lock);
	pthread_mutex_unlock(&mock_lock);
}

static const struct manager_ops mock_ops = { .datapath_set = mock_dp_set };

/* A ready 800G module in @name running application 1, as inserted. */
static struct port *mk_port_named(struct manager *m, const char *name)
{
	struct port *p = manager_port(m, name, true);

	assert_non_null(p);
	p->known = p->present = true;
	p->info.spec = OPTIC_SPEC_CMIS;
	p->info.state = OPTIC_STATE_READY;
	p->info.lane_count = 8;
	snprintf(p->info.vendor_name, sizeof(p->info.vendor_name), "LUMENTA");
	snprintf(p->info.vendor_pn, sizeof(p->info.vendor_pn), "LXO-8D2-DR4");
	img_800g(&p->img, 1);
	assert_int_equal(optic_decode(&p->img, &p->model), 0);
	manager_port_configure(m, p);
	port_app_due(p, true);
	return p;
}

static struct port *mk_port(struct manager *m)
{
	return mk_port_named(m, "port0");
}

static struct manager *mk_manager(const char *conf)
{
	struct manager *m;

	assert_int_equal(manager_new(&m, "test.conf", load_ok(conf)), 0);
	m->ops = &mock_ops;
	m->no_notify = true;
	nreqs = inflight_max = 0;
	answer = OPTIC_CONFIG_SUCCESS;
	log_set_max_level(-1);
	return m;
}

/* What each step does: an occasion, then a look after a poll. */
enum step { LOOK, RESET, INSERT, NOT_READY, FRESH };

static void run(struct manager *m, struct port *p, enum step s)
{
	switch (s) {
	case RESET:
		port_app_due(p, false);
		break;
	case INSERT:
		port_app_due(p, true);
		break;
	case NOT_READY:
		p->info.state = OPTIC_STATE_PWRUP;
		break;
	case FRESH:
		p->fresh = true;
		break;
	case LOOK:
		break;
	}
	manager_port_application(m, p);
	manager_apps_wait(m);
	/* a poll re-reads a fresh module: still application 1 here */
	p->fresh = false;
	p->info.state = OPTIC_STATE_READY;
}

static void test_occasions(void **state)
{
	static const struct {
		uint8_t answer;
		enum step steps[6];
		size_t n;
		size_t want_calls;
	} t[] = {
		/* applied at insertion, once, not at every poll */
		{ OPTIC_CONFIG_SUCCESS, { LOOK, LOOK, LOOK }, 3, 1 },
		/* and again after a reset (the module's default again) */
		{ OPTIC_CONFIG_SUCCESS, { LOOK, LOOK, RESET }, 3, 2 },
		/* rejected: logged once, not after a reset, after an insertion */
		{ OPTIC_CONFIG_REJECTED_INVALID_APPSEL,
		  { LOOK, LOOK, RESET, LOOK },
		  4,
		  1 },
		{ OPTIC_CONFIG_REJECTED_INVALID_APPSEL,
		  { LOOK, RESET, INSERT },
		  3,
		  2 },
		/* waits for ModuleReady and for the image read again */
		{ OPTIC_CONFIG_SUCCESS, { NOT_READY, FRESH, LOOK }, 3, 1 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		_cleanup_(manager_freep) struct manager *m = mk_manager(
			"[pn \"LXO-*\"]\napplication = 400GBASE-DR4\n");
		struct port *p = mk_port(m);

		answer = t[i].answer;
		for (size_t k = 0; k < t[i].n; k++) {
			run(m, p, t[i].steps[k]);
			if (k == 0 && t[i].steps[0] != LOOK)
				assert_int_equal(nreqs, 0);
		}
		if (nreqs != t[i].want_calls)
			fail_msg("row %zu: %zu requests, want %zu", i, nreqs,
				 t[i].want_calls);
		assert_int_equal(reqs[0].appsel, 2);
		assert_int_equal(reqs[0].lanes, 0xff);
	}
	(void)state;
}

/* Without a setting, or when the module runs it: nothing is asked. */
static void test_leave_alone(void **state)
{
	static const char *const confs[] = {
		"",
		"[pn \"LXO-*\"]\napplication = 1\n",
		"[pn \"LXO-*\"]\napplication = 2\n[port \"port0\"]\napplication = module\n",
		"[pn \"OTHER\"]\napplication = 2\n",
	};

	for (size_t i = 0; i < ARRAY_SIZE(confs); i++) {
		_cleanup_(manager_freep) struct manager *m =
			mk_manager(confs[i]);
		struct port *p = mk_port(m);

		run(m, p, LOOK);
		run(m, p, RESET);
		assert_int_equal(nreqs, 0);
		assert_false(p->app_refused);
	}
	(void)state;
}

/*
 * Applies run off the loop: the caller goes on while the driver works, a
 * port has one apply in flight at most, a few ports are applied at once
 * and the others wait for a later poll; the outcome comes back through the
 * loop's eventfd, then the port is re-read.
 */
static void test_off_the_loop(void **state)
{
	_cleanup_(manager_freep) struct manager *m =
		mk_manager("[pn \"LXO-*\"]\napplication = 400GBASE-DR4\n");
	struct port *p[6];
	char name[16];

	for (size_t i = 0; i < ARRAY_SIZE(p); i++) {
		snprintf(name, sizeof(name), "port%zu", i);
		p[i] = mk_port_named(m, name);
	}
	gate_set(true);
	for (size_t i = 0; i < ARRAY_SIZE(p); i++)
		manager_port_application(m, p[i]);
	/* Returned while four wait in the driver; two left for later. */
	wait_inflight(4);
	assert_int_equal(m->apps_running, 4);
	assert_true(p[0]->app_busy);
	assert_false(p[0]->app_due);
	assert_true(p[4]->app_due);
	assert_false(p[4]->app_busy);
	/* A reset meanwhile: the port's apply in flight is the only one. */
	port_app_due(p[0], false);
	manager_port_application(m, p[0]);
	assert_int_equal(m->apps_running, 4);
	gate_set(false);
	manager_apps_wait(m);
	assert_int_equal(nreqs, 4);
	assert_int_equal(inflight_max, 4);
	assert_false(p[0]->app_busy);
	assert_true(p[0]->fresh);
	assert_false(p[0]->app_refused);
	/* The next polls: the two left, then port0's reset. */
	for (size_t i = 0; i < ARRAY_SIZE(p); i++) {
		p[i]->fresh = false;
		manager_port_application(m, p[i]);
	}
	manager_apps_wait(m);
	assert_int_equal(nreqs, 7);
	assert_false(p[0]->app_due || p[4]->app_due || p[5]->app_due);
	/* Freed with an apply in flight: its thread finishes on its own. */
	gate_set(true);
	port_app_due(p[1], false);
	p[1]->fresh = false;
	manager_port_application(m, p[1]);
	wait_inflight(1);
	manager_free(m);
	m = NULL;
	gate_set(false);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_values),
		cmocka_unit_test(test_config_overrides),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_plan_not_cmis),
		cmocka_unit_test(test_occasions),
		cmocka_unit_test(test_leave_alone),
		cmocka_unit_test(test_off_the_loop),
	};

	return cmocka_run_group_tests_name("opticd_application", tests, NULL,
					   NULL);
}
