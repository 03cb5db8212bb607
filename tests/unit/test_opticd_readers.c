// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticd's poll readers (readers.h) over a fake connection: reads run in
 * parallel, one connection per thread; each range's bytes or error land in
 * the read; a read dropped while it runs is freed by its thread; a port's
 * FLAG event waits for a running read of the port (not a queued one), then
 * tells that read's echo from news; the cycle hands ports out in turns across root buses, and
 * cycles start at poll_interval's rate; ports alone on their buses are
 * read several to a request when more are queued than there are threads.
 */
#include "vectors.h"

#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "manager.h"
#include "readers.h"

/* The fake: reads block while the test holds the gate. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	bool closed_gate;
	unsigned int inside, most_inside, opened, closed, fail_open_at;
	int fail_range; /* the range offset that fails with -EIO, -1 none */
	uint8_t fill; /* bytes read are fill + their offset */
	/* The gate holds only these ports' reads (" port0 port2 "); "" all. */
	char gate_ports[64];
	uint64_t seq; /* the driver's event number reads end at; 0 none */
	char fail_port[16]; /* the port whose reads fail with -ENXIO */
	/* read_batch: the ports of each call, and what it returns */
	char batches[4][64];
	unsigned int n_batches;
	int batch_ret;
} fake = { .lock = PTHREAD_MUTEX_INITIALIZER,
	   .changed = PTHREAD_COND_INITIALIZER };

static void fake_reset(void)
{
	pthread_mutex_lock(&fake.lock);
	fake.closed_gate = false;
	fake.inside = fake.most_inside = fake.opened = fake.closed = 0;
	fake.fail_open_at = 0;
	fake.fail_range = -1;
	fake.fill = 0;
	fake.gate_ports[0] = '\0';
	fake.seq = 0;
	fake.fail_port[0] = '\0';
	fake.n_batches = 0;
	fake.batch_ret = 0;
	pthread_mutex_unlock(&fake.lock);
}

static int fake_open(void **ctx)
{
	int r = 0;

	pthread_mutex_lock(&fake.lock);
	if (fake.fail_open_at && fake.opened + 1 == fake.fail_open_at)
		r = -ENOENT;
	else
		*ctx = (void *)(uintptr_t)++fake.opened;
	pthread_mutex_unlock(&fake.lock);
	return r;
}

static void fake_close(void *ctx)
{
	pthread_mutex_lock(&fake.lock);
	fake.closed++;
	pthread_mutex_unlock(&fake.lock);
}

/* Whether the closed gate holds @port's reads; fake.lock held. */
static bool gated(const char *port)
{
	char word[24];

	snprintf(word, sizeof(word), " %s ", port);
	return !fake.gate_ports[0] || strstr(fake.gate_ports, word);
}

static int fake_read(void *ctx, const char *port, const struct poll_range *rg,
		     size_t n, uint8_t (*buf)[POLL_RANGE_BYTES], uint64_t *seq)
{
	int r = 0;

	pthread_mutex_lock(&fake.lock);
	fake.inside++;
	fake.most_inside = MAX(fake.most_inside, fake.inside);
	pthread_cond_broadcast(&fake.changed);
	while (fake.closed_gate && gated(port))
		pthread_cond_wait(&fake.changed, &fake.lock);
	fake.inside--;
	if (streq(port, fake.fail_port))
		r = -ENXIO;
	for (size_t k = 0; k < n; k++) {
		if (rg[k].off == fake.fail_range)
			r = -EIO;
		for (int i = 0; i < rg[k].len; i++)
			buf[k][i] = fake.fill + rg[k].off + i;
	}
	*seq = fake.seq;
	pthread_mutex_unlock(&fake.lock);
	return r;
}

/* The dump: port1 and port2, empty cages; the gate holds it as "list". */
static int fake_list(void *ctx, struct optic_module_info **mods, size_t *n)
{
	pthread_mutex_lock(&fake.lock);
	fake.inside++;
	pthread_cond_broadcast(&fake.changed);
	while (fake.closed_gate && gated("list"))
		pthread_cond_wait(&fake.changed, &fake.lock);
	fake.inside--;
	pthread_mutex_unlock(&fake.lock);
	*mods = calloc(2, sizeof(**mods));
	if (!*mods)
		return -ENOMEM;
	snprintf((*mods)[0].name, sizeof((*mods)[0].name), "port1");
	snprintf((*mods)[1].name, sizeof((*mods)[1].name), "port2");
	*n = 2;
	return 0;
}

static const struct readers_ops fake_ops = {
	.open = fake_open,
	.close = fake_close,
	.read = fake_read,
	.list = fake_list,
};

/* Records the ports of each call, then reads them as fake_read() does. */
static int fake_read_batch(void *ctx, struct poll_read **r, size_t n)
{
	char *ports = NULL;
	uint64_t seq;
	int ret;

	pthread_mutex_lock(&fake.lock);
	if (fake.n_batches < ARRAY_SIZE(fake.batches))
		ports = fake.batches[fake.n_batches++];
	ret = fake.batch_ret;
	pthread_mutex_unlock(&fake.lock);
	for (size_t i = 0; ports && i < n; i++)
		snprintf(ports + strlen(ports), 64 - strlen(ports), "%s%s",
			 i ? " " : "", r[i]->port);
	for (size_t i = 0; !ret && i < n; i++)
		poll_read_result(r[i],
				 fake_read(ctx, r[i]->port, r[i]->rg, r[i]->n,
					   r[i]->buf, &seq),
				 seq);
	return ret;
}

static const struct readers_ops fake_batch_ops = {
	.open = fake_open,
	.close = fake_close,
	.read = fake_read,
	.read_batch = fake_read_batch,
	.list = fake_list,
};

static void gate(bool closed)
{
	pthread_mutex_lock(&fake.lock);
	fake.closed_gate = closed;
	pthread_cond_broadcast(&fake.changed);
	pthread_mutex_unlock(&fake.lock);
}

/* Wait (at most 10 s: a hang is the failure) for @n reads inside. */
static void wait_inside(unsigned int n)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	pthread_mutex_lock(&fake.lock);
	while (fake.inside < n)
		if (pthread_cond_timedwait(&fake.changed, &fake.lock, &until)) {
			pthread_mutex_unlock(&fake.lock);
			fail_msg("%u reads inside, %u expected", fake.inside,
				 n);
		}
	pthread_mutex_unlock(&fake.lock);
}

/*
 * Wait (at most 10 s) for @r to be done. The eventfd counts every read
 * done: emptied at each wake, it makes poll() wait for the next one.
 */
static void wait_done(struct readers *rd, const struct poll_read *r)
{
	for (int i = 0; i < 1000 && !readers_done(rd, r); i++) {
		struct pollfd pfd = { .fd = readers_fd(rd), .events = POLLIN };

		if (poll(&pfd, 1, 10) > 0)
			readers_ack(rd);
	}
	assert_true(readers_done(rd, r));
}

/* Wait for reads @r[0..@n) and give them back. */
static void drop_all(struct readers *rd, struct poll_read **r, int n)
{
	for (int i = 0; i < n; i++) {
		wait_done(rd, r[i]);
		readers_drop(rd, r[i]);
	}
}

static const struct poll_range lower = { OPTIC_ADDR_A0, 0, 0, 8, 10 };
static const struct poll_range page11 = { OPTIC_ADDR_A0, 0x11, 0, 128, 74 };

static void test_parallel(void **state)
{
	struct readers *rd;
	struct poll_read *r[4];
	char name[16];

	fake_reset();
	assert_int_equal(readers_new(&rd, 4, &fake_ops), 0);
	assert_int_equal(readers_threads(rd), 4);
	assert_int_equal(fake.opened, 4);
	gate(true);
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "port%d", i);
		r[i] = readers_submit(rd, name, i, &lower, 1);
		assert_non_null(r[i]);
	}
	/* Four reads at once, on four connections. */
	wait_inside(4);
	for (int i = 0; i < 4; i++)
		assert_false(readers_done(rd, r[i]));
	gate(false);
	for (int i = 0; i < 4; i++) {
		wait_done(rd, r[i]);
		assert_int_equal(r[i]->len[0], 10);
		readers_drop(rd, r[i]);
	}
	assert_int_equal(fake.most_inside, 4);
	readers_free(rd);
	assert_int_equal(fake.closed, 4);
}

/*
 * One thread, six ports queued behind one it reads: the port whose bus has
 * another read queued is read alone; the others, each alone on its bus,
 * in one request, whose failing port (the second) fails alone. A request
 * that fails as a whole reads each port alone.
 */
static void test_batch(void **state)
{
	struct readers *rd;
	struct poll_read *r[7];
	char name[16];

	fake_reset();
	assert_int_equal(readers_new(&rd, 1, &fake_batch_ops), 0);
	snprintf(fake.fail_port, sizeof(fake.fail_port), "port3");
	gate(true);
	for (int i = 0; i < 7; i++) {
		snprintf(name, sizeof(name), "port%d", i);
		/* port6 on port1's bus */
		r[i] = readers_submit(rd, name, i == 6 ? 1 : i, &lower, 1);
		assert_non_null(r[i]);
		if (!i)
			wait_inside(1); /* port0 taken alone: nothing queued */
	}
	gate(false);
	for (int i = 0; i < 7; i++)
		wait_done(rd, r[i]);
	assert_int_equal(fake.n_batches, 1);
	assert_string_equal(fake.batches[0], "port2 port3 port4 port5 port6");
	for (int i = 0; i < 7; i++)
		assert_int_equal(r[i]->len[0], i == 3 ? -ENXIO : 10);
	drop_all(rd, r, 7);

	fake.batch_ret = -ENOMEM;
	fake.fail_port[0] = '\0';
	gate(true);
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "port%d", i);
		r[i] = readers_submit(rd, name, i, &lower, 1);
		if (!i)
			wait_inside(1);
	}
	gate(false);
	for (int i = 0; i < 4; i++) {
		wait_done(rd, r[i]);
		assert_int_equal(r[i]->len[0], 10);
	}
	assert_int_equal(fake.n_batches, 2);
	assert_string_equal(fake.batches[1], "port1 port2 port3");
	drop_all(rd, r, 4);
	readers_free(rd);
}

/* Two reads per root bus at a time, whatever the threads. */
static void test_two_per_bus(void **state)
{
	struct readers *rd;
	struct poll_read *r[6];

	fake_reset();
	assert_int_equal(readers_new(&rd, 5, &fake_ops), 0);
	readers_set_stall(rd, 60ull * 1000000000);
	gate(true);
	for (int i = 0; i < 5; i++)
		r[i] = readers_submit(rd, "port0", 7, &lower, 1);
	r[5] = readers_submit(rd, "port1", 8, &lower, 1);
	/* Bus 8's read goes past bus 7's waiting three. */
	wait_inside(3);
	usleep(50000); /* a third thread let onto bus 7 would be inside now */
	assert_int_equal(fake.most_inside, 3);
	gate(false);
	drop_all(rd, r, 6);
	assert_int_equal(fake.most_inside, 3);
	readers_free(rd);
}

/*
 * A read that outlasts the stall time waits for its module, not the bus:
 * the next reads of its bus go, two more once those stall too, and no
 * more than four in all.
 */
static void test_stalled_read(void **state)
{
	struct readers *rd;
	struct poll_read *r[5];

	fake_reset();
	assert_int_equal(readers_new(&rd, 5, &fake_ops), 0);
	readers_set_stall(rd, 20 * 1000000);
	gate(true);
	for (int i = 0; i < 5; i++)
		r[i] = readers_submit(rd, "port0", 7, &lower, 1);
	wait_inside(4);
	usleep(100000); /* all four stalled: a fifth would be inside now */
	assert_int_equal(fake.most_inside, 4);
	gate(false);
	drop_all(rd, r, 5);
	assert_int_equal(fake.most_inside, 4);
	readers_free(rd);
}

static void test_bytes_and_errors(void **state)
{
	const struct poll_range rg[3] = {
		lower,
		{ OPTIC_ADDR_A0, 0x11, 1, 128, 74 },
		{ OPTIC_ADDR_A0, 0x11, 1, 220, 8 },
	};
	struct readers *rd;
	struct poll_read *r;

	fake_reset();
	assert_int_equal(readers_new(&rd, 2, &fake_ops), 0);
	fake.fill = 0x40;
	r = readers_submit(rd, "port0", 0, rg, 3);
	wait_done(rd, r);
	assert_string_equal(r->port, "port0");
	assert_int_equal(r->n, 3);
	assert_int_equal(r->len[0], 10);
	assert_int_equal(r->len[1], 74);
	assert_int_equal(r->len[2], 8);
	/* Byte 9 of the lower page, whatever page is asked; 11h bank 1. */
	assert_int_equal(poll_read_byte(r, 0x11, 1, 9), 0x40 + 9);
	assert_int_equal(poll_read_byte(r, 0x11, 1, 147), 0x40 + 147);
	assert_int_equal(poll_read_byte(r, 0x11, 0, 147), -1);
	assert_int_equal(poll_read_byte(r, 0x11, 1, 202), -1);
	assert_int_equal(poll_read_byte(NULL, 0, 0, 9), -1);
	readers_drop(rd, r);

	/* The second range fails: one request, so the read fails whole. */
	fake.fail_range = 128;
	r = readers_submit(rd, "port1", 0, rg, 3);
	wait_done(rd, r);
	assert_int_equal(r->len[0], -EIO);
	assert_int_equal(r->len[1], 0);
	assert_int_equal(r->len[2], 0);
	assert_int_equal(poll_read_byte(r, 0, 0, 9), -1);
	assert_int_equal(poll_read_byte(r, 0x11, 1, 147), -1);
	readers_drop(rd, r);
	readers_free(rd);
}

/* Dropped queued or running: freed by the threads (ASan: no leak). */
static void test_drop(void **state)
{
	struct readers *rd;
	struct poll_read *running, *queued;

	fake_reset();
	assert_int_equal(readers_new(&rd, 1, &fake_ops), 0);
	gate(true);
	running = readers_submit(rd, "port0", 0, &lower, 1);
	queued = readers_submit(rd, "port1", 1, &lower, 1);
	wait_inside(1);
	readers_drop(rd, running);
	readers_drop(rd, queued);
	gate(false);
	/* A last read behind them: once done, the two went. */
	running = readers_submit(rd, "port2", 2, &lower, 1);
	wait_done(rd, running);
	readers_drop(rd, running);
	assert_int_equal(fake.most_inside, 1);
	/*
	 * Reads dropped and still queued when the readers stop go with them;
	 * the running one, dropped, with its thread.
	 */
	gate(true);
	running = readers_submit(rd, "port3", 3, &lower, 1);
	wait_inside(1);
	readers_drop(rd, readers_submit(rd, "port4", 4, &lower, 1));
	readers_drop(rd, readers_submit(rd, "port5", 5, &lower, 1));
	readers_drop(rd, running);
	gate(false);
	readers_free(rd);
}

static void test_open_fails(void **state)
{
	struct readers *rd = NULL;

	fake_reset();
	fake.fail_open_at = 3;
	assert_int_equal(readers_new(&rd, 4, &fake_ops), -ENOENT);
	assert_null(rd);
	/* The two opened were closed, their threads stopped. */
	assert_int_equal(fake.closed, 2);
	assert_int_equal(readers_new(&rd, 0, &fake_ops), -EINVAL);
	assert_int_equal(readers_new(&rd, 65, &fake_ops), -EINVAL);
}

/* port1's RX LOS on lane 4: page 11h byte 147 bit 3 (CMIS 5.2 Table 8-77). */
static const struct optic_nl_event los_lane4 = { .type = OPTIC_EVENT_FLAG,
						 .name = "port1",
						 .flag_page = 0x11,
						 .flag_offset = 147,
						 .flag_bits = 0x08,
						 .lane = 3 };

/* A manager with @threads readers over the fake (0: none), no driver. */
static struct manager *mk_manager(unsigned int threads)
{
	struct config *c;
	struct manager *m;
	char *err = NULL;

	fake_reset();
	log_set_max_level(-1);
	assert_int_equal(config_load_string("t.conf", "", &c, &err), 0);
	assert_int_equal(manager_new(&m, "t.conf", c), 0);
	m->no_notify = true;
	if (threads)
		assert_int_equal(readers_new(&m->readers, threads, &fake_ops),
				 0);
	return m;
}

/* Port @name holding an 8-lane CMIS module, ready (cmis_400g_dr4). */
static struct port *mk_cmis_port(struct manager *m, const char *name)
{
	struct port *p = manager_port(m, name, true);

	assert_non_null(p);
	p->known = p->present = true;
	p->info.present = true;
	p->info.spec = OPTIC_SPEC_CMIS;
	p->info.state = OPTIC_STATE_READY;
	p->lanes = 8;
	cmis_400g_dr4(&p->img);
	return p;
}

/*
 * From a driver without event numbers, a FLAG event for a port being read
 * waits for the read; then the bits the read holds are its echo, other
 * bits news.
 */
static void test_flag_waits_for_read(void **state)
{
	struct manager *m;
	struct port *p;
	struct optic_nl_event ev = los_lane4;

	m = mk_manager(1);
	p = mk_cmis_port(m, "port1");

	/* Byte 147 as the read gets it: fill + 147 = 0x08 (lane 4's LOS). */
	fake.fill = (uint8_t)(0x08 - 147);
	gate(true);
	p->pr = readers_submit(m->readers, p->name, 0, &page11, 1);
	wait_inside(1);
	ev.seq = 0;
	manager_event(m, &ev);
	assert_int_equal(p->n_deferred, 1);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 3), 0);
	assert_true(manager_port_reading(m, p));
	gate(false);
	wait_done(m->readers, p->pr);
	manager_port_events(m, p);
	assert_int_equal(p->n_deferred, 0);
	/* The read holds the bit: its echo, not counted. */
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 3), 0);
	readers_drop(m->readers, p->pr);

	/* A read without the bit: the event is news, counted. */
	fake.fill = 0;
	gate(true);
	p->pr = readers_submit(m->readers, p->name, 0, &page11, 1);
	wait_inside(1);
	ev.seq = 0;
	manager_event(m, &ev);
	assert_int_equal(p->n_deferred, 1);
	gate(false);
	wait_done(m->readers, p->pr);
	manager_port_events(m, p);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 3), 1);
	readers_drop(m->readers, p->pr);
	p->pr = NULL;

	/* Nothing being read: at once. */
	ev.flag_bits = 0x10;
	ev.lane = 4;
	ev.seq = 0;
	manager_event(m, &ev);
	assert_int_equal(p->n_deferred, 0);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 4), 1);
	manager_free(m);
}

/*
 * A read still queued behind another cannot have caused an event: its
 * port's FLAG events go at once. While a read runs, a port holds at most
 * DEFERRED_MAX of them; one more is lost, and that port alone is polled
 * again (the others' records stay as read).
 */
static void test_flag_queued_read(void **state)
{
	struct optic_nl_event ev = los_lane4;
	struct poll_read *blocker;
	struct manager *m;
	struct port *p, *q;

	m = mk_manager(1);
	q = manager_port(m, "port2", true);
	p = mk_cmis_port(m, "port1");

	/* The one thread reads another port: port1's read waits its turn. */
	gate(true);
	blocker = readers_submit(m->readers, "port2", 1, &page11, 1);
	wait_inside(1);
	p->pr = readers_submit(m->readers, p->name, 0, &page11, 1);
	assert_true(manager_port_reading(m, p));
	assert_false(manager_port_read_running(m, p));
	ev.seq = 1;
	manager_event(m, &ev);
	assert_int_equal(p->n_deferred, 0);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 3), 1);

	gate(false);
	wait_done(m->readers, blocker);
	readers_drop(m->readers, blocker);
	wait_done(m->readers, p->pr);
	readers_drop(m->readers, p->pr);

	/*
	 * port1's read runs: events without numbers wait, DEFERRED_MAX of
	 * them.
	 */
	gate(true);
	p->pr = readers_submit(m->readers, p->name, 0, &page11, 1);
	wait_inside(1);
	assert_true(manager_port_read_running(m, p));
	q->link.stale = false;
	ev.seq = 0;
	for (int i = 0; i < 17; i++)
		manager_event(m, &ev);
	assert_int_equal(p->n_deferred, 16);
	assert_int_equal(m->events_lost, 1);
	assert_true(p->link.stale);
	assert_true(p->kicked);
	assert_false(q->link.stale);
	gate(false);
	wait_done(m->readers, p->pr);
	manager_port_events(m, p);
	assert_int_equal(p->n_deferred, 0);
	readers_drop(m->readers, p->pr);
	p->pr = NULL;
	manager_free(m);
}

/* The last poll of @p stored page 11h's ranges at event @seq. */
static void page11_stored_at(struct port *p, uint64_t seq)
{
	p->seq_rg[0] = page11;
	p->seq[0] = seq;
	p->n_seq = 1;
}

/*
 * A numbered FLAG event for a port being read is counted at once, against
 * the last read done; the running read then finds the bit counted.
 */
static void test_flag_numbered_running(void **state)
{
	struct optic_nl_event ev = los_lane4;
	struct manager *m;
	struct port *p;

	m = mk_manager(1);
	p = mk_cmis_port(m, "port1");
	/* The last poll stored page 11h at event 5, byte 147 clear. */
	page11_stored_at(p, 5);

	fake.fill = (uint8_t)(0x08 - 147);
	fake.seq = 7;
	gate(true);
	p->pr = readers_submit(m->readers, p->name, 0, &page11, 1);
	wait_inside(1);
	assert_true(manager_port_read_running(m, p));
	ev.seq = 6;
	manager_event(m, &ev);
	assert_int_equal(p->n_deferred, 0);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 3), 1);
	gate(false);
	wait_done(m->readers, p->pr);
	/* The read holds lane 4's LOS: the same latch, not counted again. */
	manager_port_flags(m, p, FLAP_RX_LOS, 0x08, 30);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 3), 1);
	readers_drop(m->readers, p->pr);
	p->pr = NULL;
	manager_free(m);
}

/*
 * With the driver's event numbers, a FLAG event raised after the read that
 * opticd holds of its flag byte is news even where that read found the bit
 * set (it cleared and latched again in between), and one raised before is
 * in the read: for the readers' read not taken yet, and for the last poll.
 */
static void test_flag_numbered(void **state)
{
	struct optic_nl_event ev = los_lane4;
	struct manager *m;
	struct port *p;

	m = mk_manager(1);
	p = mk_cmis_port(m, "port1");

	/* The readers' read, done at event 10, holds lane 4's LOS. */
	fake.fill = (uint8_t)(0x08 - 147);
	fake.seq = 10;
	p->pr = readers_submit(m->readers, p->name, 0, &page11, 1);
	wait_done(m->readers, p->pr);
	ev.seq = 9;
	manager_event(m, &ev);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 3), 0);
	ev.seq = 11;
	manager_event(m, &ev);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 3), 1);
	readers_drop(m->readers, p->pr);

	/*
	 * Raised before a read that lacks the bit: another raw reader
	 * (opticctl) took the latched bit first, the poll will not see it.
	 */
	fake.fill = (uint8_t)(0 - 147); /* byte 147 reads 0 */
	p->pr = readers_submit(m->readers, p->name, 0, &page11, 1);
	wait_done(m->readers, p->pr);
	ev.flag_bits = 0x10;
	ev.lane = 4;
	ev.seq = 8;
	manager_event(m, &ev);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 4), 1);
	readers_drop(m->readers, p->pr);
	p->pr = NULL;

	/*
	 * The last poll stored page 11h at event 20, lane 2's LOS set, and
	 * counted it (the image of cmis_400g_dr4 holds it).
	 */
	page11_stored_at(p, 20);
	p->flags_prev[FLAP_RX_LOS] |= 0x02;
	ev.flag_bits = 0x02;
	ev.lane = 1;
	ev.seq = 19;
	manager_event(m, &ev);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 1), 0);
	ev.seq = 21;
	manager_event(m, &ev);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 1), 1);
	/* The next poll finds it set: the same latch, not counted again. */
	manager_port_flags(m, p, FLAP_RX_LOS, 0x0a, 30);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 1), 1);
	assert_int_equal(port_flags_total(p, FLAP_RX_LOS, 3), 1);
	manager_free(m);
}

/*
 * The cycle takes the ports whose reads are done first: one whose read
 * waits (a module busy with a firmware download) holds up no other.
 */
static void test_cycle_pick(void **state)
{
	static const char *const names[] = { "port0", "port1", "port2",
					     "port3" };
	struct manager *m;
	struct port *p[4];

	m = mk_manager(2);
	readers_set_stall(m->readers, 1000000);
	m->cycle = calloc(4, sizeof(*m->cycle));
	m->cycle_n = 4;
	for (int i = 0; i < 4; i++) {
		p[i] = manager_port(m, names[i], true);
		snprintf(m->cycle[i].name, sizeof(m->cycle[i].name), "%s",
			 names[i]);
	}
	/* port0's and port2's reads held, port1's done; port3 has none. */
	snprintf(fake.gate_ports, sizeof(fake.gate_ports), " port0 port2 ");
	gate(true);
	p[0]->pr = readers_submit(m->readers, "port0", 0, &lower, 1);
	wait_inside(1);
	p[1]->pr = readers_submit(m->readers, "port1", 0, &lower, 1);
	wait_done(m->readers, p[1]->pr);
	p[2]->pr = readers_submit(m->readers, "port2", 0, &lower, 1);
	wait_inside(2);

	assert_true(manager_cycle_pick(m));
	assert_string_equal(m->cycle[0].name, "port1");
	m->cycle_next++;
	assert_true(manager_cycle_pick(m));
	assert_string_equal(m->cycle[1].name, "port3");
	m->cycle_next++;
	/* Both left wait for their reads. */
	assert_false(manager_cycle_pick(m));
	gate(false);
	wait_done(m->readers, p[0]->pr);
	wait_done(m->readers, p[2]->pr);
	assert_true(manager_cycle_pick(m));
	assert_int_equal(m->cycle_next, 2);
	manager_free(m);
}

/*
 * The poll an event asks for goes through the readers: the loop takes its
 * bytes once done. A port whose statics are to be read again is polled by
 * the loop; a cycle's start drops a kicked read still running.
 */
static void test_kick_read(void **state)
{
	struct manager *m = mk_manager(0);
	struct port *p = mk_cmis_port(m, "port1");

	assert_int_equal(optic_decode(&p->img, &p->model), 0);
	p->lanes = p->model.lanes;
	assert_int_equal(port_plan(p), 0);

	/* No readers: the loop polls. */
	assert_false(manager_kick_read(m, p));
	assert_int_equal(readers_new(&m->readers, 1, &fake_ops), 0);
	p->fresh = true;
	assert_false(manager_kick_read(m, p));
	p->fresh = false;

	assert_true(manager_kick_read(m, p));
	assert_true(p->kick_read);
	assert_int_equal(m->kick_reads, 1);
	wait_done(m->readers, p->pr);
	manager_kick_reads_done(m);
	assert_null(p->pr);
	assert_false(p->kick_read);
	assert_int_equal(m->kick_reads, 0);
	assert_true(p->polled > 0);
	assert_int_equal(p->poll_errors, 0);

	/* Still running when a cycle starts: dropped, the cycle reads it. */
	gate(true);
	assert_true(manager_kick_read(m, p));
	wait_inside(1);
	manager_poll_end(m);
	assert_null(p->pr);
	assert_int_equal(m->kick_reads, 0);
	gate(false);
	manager_free(m);
}

/*
 * With readers, a reader dumps the modules at a cycle's start: the cycle
 * waits for it (the loop serves events meanwhile), then polls the ports it
 * names. A cycle ended meanwhile drops it.
 */
static void test_cycle_list(void **state)
{
	struct manager *m = mk_manager(2);

	m->driver_up = true;
	snprintf(fake.gate_ports, sizeof(fake.gate_ports), " list ");
	gate(true);
	assert_int_equal(manager_poll_start(m), 1);
	assert_non_null(m->cycle_list);
	wait_inside(1);
	assert_true(manager_poll_step(m));
	assert_true(m->poll_waiting);
	assert_int_equal(m->n_ports, 0);
	gate(false);
	wait_done(m->readers, m->cycle_list);
	m->poll_waiting = false;
	while (manager_poll_step(m))
		;
	assert_null(m->cycle_list);
	assert_int_equal(m->n_ports, 2);
	assert_true(manager_port(m, "port2", false)->known);

	/* Dropped by the next cycle's start, taken by nobody. */
	gate(true);
	assert_int_equal(manager_poll_start(m), 1);
	wait_inside(1);
	manager_poll_end(m);
	assert_null(m->cycle_list);
	gate(false);

	/*
	 * The driver gone, the readers go with their sockets (they name its
	 * family): the next driver gets new ones.
	 */
	assert_int_equal(manager_poll_start(m), 1);
	manager_disconnect(m, -ENOENT);
	assert_null(m->cycle_list);
	assert_null(m->readers);
	assert_false(m->driver_up);
	manager_free(m);
}

/* Ports in turns across their root buses, buses as they first come. */
static void test_bus_turns(void **state)
{
	static const struct {
		uint32_t roots[8];
		size_t n;
		size_t order[8];
	} cases[] = {
		/* 2 buses of 3, the dump bus by bus: alternate */
		{ { 5, 5, 5, 9, 9, 9 }, 6, { 0, 3, 1, 4, 2, 5 } },
		/* uneven: the longer bus ends the order */
		{ { 1, 1, 1, 1, 2 }, 5, { 0, 4, 1, 2, 3 } },
		/* one bus, or already in turns: unchanged */
		{ { 7, 7, 7 }, 3, { 0, 1, 2 } },
		{ { 1, 2, 3, 1, 2, 3 }, 6, { 0, 1, 2, 3, 4, 5 } },
		/* a bus first seen later comes later in each turn */
		{ { 3, 3, 1, 2, 1 }, 5, { 0, 2, 3, 1, 4 } },
		{ { 0 }, 0, { 0 } },
	};

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		size_t order[8] = { 0 };

		assert_int_equal(readers_bus_turns(cases[c].roots, cases[c].n,
						   order),
				 0);
		for (size_t k = 0; k < cases[c].n; k++)
			if (order[k] != cases[c].order[k])
				fail_msg("case %zu: order[%zu] = %zu, want %zu",
					 c, k, order[k], cases[c].order[k]);
	}
}

/* Cycles start every poll_interval, counted from the last one's start. */
static void test_poll_rate(void **state)
{
	static const struct {
		uint64_t took, every, wait;
	} cases[] = {
		{ 200000, 1000000, 800000 }, { 0, 1000000, 1000000 },
		{ 1000000, 1000000, 0 },     { 1500000, 1000000, 0 },
		{ 99999, 100000, 1 },
	};

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++)
		assert_int_equal(poll_wait_usec(cases[c].took, cases[c].every),
				 cases[c].wait);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parallel),
		cmocka_unit_test(test_two_per_bus),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_stalled_read),
		cmocka_unit_test(test_bytes_and_errors),
		cmocka_unit_test(test_drop),
		cmocka_unit_test(test_open_fails),
		cmocka_unit_test(test_flag_waits_for_read),
		cmocka_unit_test(test_flag_queued_read),
		cmocka_unit_test(test_flag_numbered_running),
		cmocka_unit_test(test_flag_numbered),
		cmocka_unit_test(test_cycle_pick),
		cmocka_unit_test(test_kick_read),
		cmocka_unit_test(test_cycle_list),
		cmocka_unit_test(test_bus_turns),
		cmocka_unit_test(test_poll_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
