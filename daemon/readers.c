// SPDX-License-Identifier: GPL-2.0-or-later
/* Poll readers (readers.h): a queue, a few threads, an eventfd. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/eventfd.h>
#include <time.h>

#include "netlink.h"
#include "readers.h"
#include "util.h"

#define READERS_MAX 64
/*
 * Reads of one root bus at once: while one has the bus, the next one's
 * request is on its way, so the bus does not wait for a round trip
 * between two modules. More would only queue at the driver's scheduler,
 * ahead of the event loop's own reads.
 */
#define READS_PER_BUS 2
/*
 * A read running this long waits for its module, not for the bus (a
 * firmware download's CDB command holds the module, or the module
 * stretches the clock): it no longer counts among its bus's reads, up to
 * READS_PER_BUS_MAX in all. Far above a read's time on a busy bus (tens
 * of ms), so that a slow bus does not look stalled and draw more reads.
 */
#define READ_STALL_NS (500 * 1000000ull)
#define READS_PER_BUS_MAX 4

/*
 * Reads queued per root bus (MODULE_GET dumps aside): open addressing by
 * bus number, grown at half full. A bus keeps its slot at 0; the buses are
 * the host's few root adapters.
 */
struct bus_queued {
	uint32_t bus;
	uint32_t n;
	bool used;
};

struct readers {
	const struct readers_ops *ops;
	pthread_mutex_t lock;
	pthread_cond_t queued;
	struct poll_read *head, *tail;
	size_t n_queued;
	bool held; /* readers_hold(): the queue is not served */
	bool stop;
	int efd;
	unsigned int n;
	pthread_t thread[READERS_MAX];
	void *ctx[READERS_MAX];
	/* The root buses each thread is reading on, since when; under lock. */
	bool busy[READERS_MAX];
	uint32_t bus[READERS_MAX][READ_BATCH_MAX];
	size_t n_bus[READERS_MAX];
	uint64_t since[READERS_MAX];
	uint64_t stall_ns;
	/* Requests made and the port reads they carried; under lock. */
	uint64_t requests, reads;
	struct bus_queued *queued_on;
	size_t queued_cap, queued_buses;
};

struct reader_arg {
	struct readers *rd;
	unsigned int i;
};

static int nl_open(void **ctx)
{
	return optic_nl_open((struct optic_nl **)ctx);
}

static void nl_close(void *ctx)
{
	optic_nl_close(ctx);
}

/* @n ranges @rg into @buf as liboptic's ranges, in @er. */
static void eeprom_ranges(const struct poll_range *rg, size_t n,
			  uint8_t (*buf)[POLL_RANGE_BYTES],
			  struct optic_eeprom_range *er)
{
	for (size_t i = 0; i < n; i++)
		er[i] = (struct optic_eeprom_range){
			.addr = rg[i].addr,
			.page = rg[i].page,
			.bank = rg[i].bank,
			.offset = rg[i].off,
			.len = MIN(rg[i].len, POLL_RANGE_BYTES),
			.buf = buf[i],
		};
}

static int nl_read(void *ctx, const char *port, const struct poll_range *rg,
		   size_t n, uint8_t (*buf)[POLL_RANGE_BYTES], uint64_t *seq)
{
	struct optic_eeprom_range er[POLL_RANGES_MAX];
	int r;

	eeprom_ranges(rg, n, buf, er);
	r = optic_nl_eeprom_read_ranges(ctx, port, er, n);
	*seq = optic_nl_read_seq(ctx);
	return r;
}

static int nl_read_batch(void *ctx, struct poll_read **r, size_t n)
{
	struct optic_eeprom_range er[READ_BATCH_MAX][POLL_RANGES_MAX];
	struct optic_eeprom_module m[READ_BATCH_MAX];
	int ret;

	for (size_t i = 0; i < n; i++) {
		eeprom_ranges(r[i]->rg, r[i]->n, r[i]->buf, er[i]);
		m[i] = (struct optic_eeprom_module){ .name = r[i]->port,
						     .rg = er[i],
						     .n = r[i]->n };
	}
	ret = optic_nl_eeprom_read_modules(ctx, m, n);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < n; i++)
		poll_read_result(r[i], m[i].ret, m[i].seq);
	return 0;
}

static int nl_list(void *ctx, struct optic_module_info **mods, size_t *n)
{
	return optic_nl_module_list(ctx, mods, n);
}

const struct readers_ops readers_netlink = {
	.open = nl_open,
	.close = nl_close,
	.read = nl_read,
	.read_batch = nl_read_batch,
	.list = nl_list,
};

void poll_read_result(struct poll_read *r, int ret, uint64_t seq)
{
	r->seq = ret < 0 ? 0 : seq;
	for (size_t i = 0; i < r->n; i++)
		r->len[i] = ret < 0 ? (i ? 0 : ret) :
				      MIN(r->rg[i].len, POLL_RANGE_BYTES);
}

void poll_read_now(const struct readers_ops *ops, void *ctx,
		   struct poll_read *r)
{
	uint64_t seq = 0;
	int ret = ops->read(ctx, r->port, r->rg, r->n, r->buf, &seq);

	poll_read_result(r, ret, seq);
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool bus_in(const uint32_t *buses, size_t n, uint32_t bus)
{
	for (size_t i = 0; i < n; i++)
		if (buses[i] == bus)
			return true;
	return false;
}

/*
 * Whether reads on @bus hold it: READS_PER_BUS started by a thread less
 * than stall_ns before @now, or READS_PER_BUS_MAX in all; @free_at: the
 * earliest time one of the first stops holding it (lowered only).
 */
static bool bus_busy(const struct readers *rd, uint32_t bus, uint64_t now,
		     uint64_t *free_at)
{
	unsigned int reading = 0, all = 0;
	uint64_t first = UINT64_MAX;

	for (unsigned int i = 0; i < rd->n; i++) {
		if (!rd->busy[i] || !bus_in(rd->bus[i], rd->n_bus[i], bus))
			continue;
		all++;
		if (now - rd->since[i] < rd->stall_ns) {
			first = MIN(first, rd->since[i] + rd->stall_ns);
			reading++;
		}
	}
	if (all >= READS_PER_BUS_MAX)
		return true;
	if (reading < READS_PER_BUS)
		return false;
	*free_at = MIN(*free_at, first);
	return true;
}

/* @bus's slot in @t of @cap (a power of two): its own, or a free one. */
static struct bus_queued *queued_slot(struct bus_queued *t, size_t cap,
				      uint32_t bus)
{
	size_t i = (bus * 2654435761u) & (cap - 1);

	while (t[i].used && t[i].bus != bus)
		i = (i + 1) & (cap - 1);
	return &t[i];
}

/* Room for one more bus in the counts, at most half full. */
static int queued_grow(struct readers *rd)
{
	size_t cap = rd->queued_cap ? rd->queued_cap * 2 : 64;
	struct bus_queued *t, *q;

	if (2 * (rd->queued_buses + 1) <= rd->queued_cap)
		return 0;
	t = calloc(cap, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < rd->queued_cap; i++)
		if (rd->queued_on[i].used) {
			q = queued_slot(t, cap, rd->queued_on[i].bus);
			*q = rd->queued_on[i];
		}
	free(rd->queued_on);
	rd->queued_on = t;
	rd->queued_cap = cap;
	return 0;
}

/* One more read queued on @bus; under lock. */
static int queued_add(struct readers *rd, uint32_t bus)
{
	struct bus_queued *q;
	int r = queued_grow(rd);

	if (r < 0)
		return r;
	q = queued_slot(rd->queued_on, rd->queued_cap, bus);
	if (!q->used) {
		*q = (struct bus_queued){ .bus = bus, .used = true };
		rd->queued_buses++;
	}
	q->n++;
	return 0;
}

/* Reads queued on @bus; under lock. */
static uint32_t queued_on(const struct readers *rd, uint32_t bus)
{
	const struct bus_queued *q;

	if (!rd->queued_cap)
		return 0;
	q = queued_slot(rd->queued_on, rd->queued_cap, bus);
	return q->used ? q->n : 0;
}

static void unlink_read(struct readers *rd, struct poll_read **pp,
			struct poll_read *prev)
{
	struct poll_read *r = *pp;

	*pp = r->next;
	if (rd->tail == r)
		rd->tail = prev;
	rd->n_queued--;
	if (!r->list)
		queued_slot(rd->queued_on, rd->queued_cap, r->bus)->n--;
}

/*
 * The first queued read whose bus no read holds, unlinked; or NULL, and
 * @free_at the time to look again (UINT64_MAX: at the next change).
 */
static struct poll_read *take_read(struct readers *rd, uint64_t *free_at)
{
	struct poll_read **pp, *r, *prev = NULL;
	uint64_t now = monotonic_ns();

	*free_at = UINT64_MAX;
	for (pp = &rd->head; !rd->held && (r = *pp); prev = r, pp = &r->next) {
		if (!r->list && bus_busy(rd, r->bus, now, free_at))
			continue;
		unlink_read(rd, pp, prev);
		return r;
	}
	return NULL;
}

/* Queued reads looked at for a batch, at most. */
#define READ_BATCH_LOOK 32

/*
 * More reads for @b, which holds the one read just taken, when more are
 * queued than there are threads: while that one's bus has nothing else
 * queued, reads of other such buses that no read holds, unlinked, up to
 * the thread's share of the queue and READ_BATCH_MAX in all. Returns how
 * many @b holds.
 */
static size_t take_batch(struct readers *rd, struct poll_read **b)
{
	struct poll_read **pp, *r, *prev = NULL;
	uint64_t now = monotonic_ns(), free_at;
	uint32_t buses[READ_BATCH_MAX] = { b[0]->bus };
	size_t n = 1, looked = 0,
	       most = MIN((size_t)READ_BATCH_MAX, 1 + rd->n_queued / rd->n);

	if (b[0]->list || rd->n_queued < rd->n || queued_on(rd, b[0]->bus))
		return 1;
	for (pp = &rd->head; (r = *pp) && n < most &&
			     looked < READ_BATCH_LOOK;) {
		if (r->list || bus_in(buses, n, r->bus) ||
		    bus_busy(rd, r->bus, now, &free_at) ||
		    (looked++, queued_on(rd, r->bus) > 1)) {
			prev = r;
			pp = &r->next;
			continue;
		}
		unlink_read(rd, pp, prev);
		buses[n] = r->bus;
		b[n++] = r;
	}
	return n;
}

static void wait_until(struct readers *rd, uint64_t at)
{
	struct timespec ts = { .tv_sec = at / 1000000000ull,
			       .tv_nsec = at % 1000000000ull };

	if (at == UINT64_MAX)
		pthread_cond_wait(&rd->queued, &rd->lock);
	else
		pthread_cond_timedwait(&rd->queued, &rd->lock, &ts);
}

/*
 * Thread @i's next reads into @b (take_batch()), their buses marked busy;
 * 0 when stopping.
 */
static size_t next_reads(struct readers *rd, unsigned int i,
			 struct poll_read **b)
{
	struct poll_read *r = NULL;
	uint64_t free_at;
	size_t n = 0;

	pthread_mutex_lock(&rd->lock);
	rd->busy[i] = false;
	/* A bus is free again: a thread waiting for it may go. */
	pthread_cond_broadcast(&rd->queued);
	while (!rd->stop && !(r = take_read(rd, &free_at)))
		wait_until(rd, free_at);
	if (r) {
		b[0] = r;
		n = take_batch(rd, b);
		rd->busy[i] = !r->list;
		rd->n_bus[i] = n;
		rd->since[i] = monotonic_ns();
		for (size_t k = 0; k < n; k++) {
			b[k]->started = true;
			rd->bus[i][k] = b[k]->bus;
		}
	}
	pthread_mutex_unlock(&rd->lock);
	return n;
}

static void poll_read_free(struct poll_read *r)
{
	free(r->mods);
	free(r);
}

/* The reads @r of thread @i, in one request where the ops can. */
static void read_ports(struct readers *rd, unsigned int i,
		       struct poll_read **r, size_t n)
{
	size_t requests = n;

	if (n > 1 && rd->ops->read_batch &&
	    rd->ops->read_batch(rd->ctx[i], r, n) == 0)
		requests = 1;
	else
		for (size_t k = 0; k < n; k++)
			poll_read_now(rd->ops, rd->ctx[i], r[k]);
	pthread_mutex_lock(&rd->lock);
	rd->requests += requests;
	rd->reads += n;
	pthread_mutex_unlock(&rd->lock);
}

/* Thread @i's reads @b done: each freed if dropped, else told to the loop. */
static void reads_done(struct readers *rd, struct poll_read **b, size_t n)
{
	bool dropped[READ_BATCH_MAX], told = false;
	uint64_t one = 1;

	pthread_mutex_lock(&rd->lock);
	for (size_t k = 0; k < n; k++) {
		dropped[k] = b[k]->dropped;
		b[k]->done = true;
	}
	pthread_mutex_unlock(&rd->lock);
	for (size_t k = 0; k < n; k++) {
		if (dropped[k])
			poll_read_free(b[k]);
		told |= !dropped[k];
	}
	if (told)
		(void)!write(rd->efd, &one, sizeof(one));
}

static void *reader_thread(void *arg)
{
	struct readers *rd = ((struct reader_arg *)arg)->rd;
	unsigned int i = ((struct reader_arg *)arg)->i;
	struct poll_read *b[READ_BATCH_MAX], *live[READ_BATCH_MAX];
	size_t n;

	free(arg);
	while ((n = next_reads(rd, i, b))) {
		size_t n_live = 0;

		pthread_mutex_lock(&rd->lock);
		for (size_t k = 0; k < n; k++)
			if (!b[k]->dropped)
				live[n_live++] = b[k];
		pthread_mutex_unlock(&rd->lock);
		if (n_live && b[0]->list)
			b[0]->list_ret =
				rd->ops->list(rd->ctx[i], &b[0]->mods,
					      &b[0]->n_mods);
		else if (n_live)
			read_ports(rd, i, live, n_live);
		reads_done(rd, b, n);
	}
	return NULL;
}

static int readers_start(struct readers *rd, unsigned int threads)
{
	for (rd->n = 0; rd->n < threads; rd->n++) {
		struct reader_arg *a;
		int r;

		r = rd->ops->open(&rd->ctx[rd->n]);
		if (r < 0)
			return r;
		a = malloc(sizeof(*a));
		if (!a)
			return -ENOMEM;
		*a = (struct reader_arg){ rd, rd->n };
		r = -pthread_create(&rd->thread[rd->n], NULL, reader_thread, a);
		if (r < 0) {
			free(a);
			return r;
		}
	}
	return 0;
}

int readers_new(struct readers **out, unsigned int threads,
		const struct readers_ops *ops)
{
	pthread_condattr_t attr;
	struct readers *rd;
	int r;

	if (!threads || threads > READERS_MAX)
		return -EINVAL;
	rd = calloc(1, sizeof(*rd));
	if (!rd)
		return -ENOMEM;
	rd->ops = ops;
	rd->stall_ns = READ_STALL_NS;
	pthread_mutex_init(&rd->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&rd->queued, &attr);
	pthread_condattr_destroy(&attr);
	rd->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (rd->efd < 0) {
		r = -errno;
		readers_free(rd);
		return r;
	}
	r = readers_start(rd, threads);
	if (r < 0) {
		/* The connection opened last has no thread yet. */
		if (rd->ctx[rd->n])
			ops->close(rd->ctx[rd->n]);
		readers_free(rd);
		return r;
	}
	*out = rd;
	return 0;
}

void readers_free(struct readers *rd)
{
	if (!rd)
		return;
	pthread_mutex_lock(&rd->lock);
	rd->stop = true;
	pthread_cond_broadcast(&rd->queued);
	pthread_mutex_unlock(&rd->lock);
	for (unsigned int i = 0; i < rd->n; i++) {
		pthread_join(rd->thread[i], NULL);
		rd->ops->close(rd->ctx[i]);
	}
	while (rd->head) {
		struct poll_read *r = rd->head;

		rd->head = r->next;
		poll_read_free(r);
	}
	free(rd->queued_on);
	if (rd->efd >= 0)
		close(rd->efd);
	pthread_cond_destroy(&rd->queued);
	pthread_mutex_destroy(&rd->lock);
	free(rd);
}

void readers_counts(struct readers *rd, uint64_t *requests, uint64_t *reads)
{
	pthread_mutex_lock(&rd->lock);
	*requests = rd->requests;
	*reads = rd->reads;
	pthread_mutex_unlock(&rd->lock);
}

void readers_set_stall(struct readers *rd, uint64_t ns)
{
	pthread_mutex_lock(&rd->lock);
	rd->stall_ns = ns;
	pthread_cond_broadcast(&rd->queued);
	pthread_mutex_unlock(&rd->lock);
}

unsigned int readers_threads(const struct readers *rd)
{
	return rd ? rd->n : 0;
}

int readers_fd(const struct readers *rd)
{
	return rd->efd;
}

void readers_ack(struct readers *rd)
{
	uint64_t n;

	(void)!read(rd->efd, &n, sizeof(n));
}

struct poll_read *readers_submit(struct readers *rd, const char *port,
				 uint32_t bus, const struct poll_range *rg,
				 size_t n)
{
	struct poll_read *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	snprintf(r->port, sizeof(r->port), "%s", port);
	r->bus = bus;
	r->n = MIN(n, (size_t)POLL_RANGES_MAX);
	memcpy(r->rg, rg, r->n * sizeof(*rg));
	pthread_mutex_lock(&rd->lock);
	if (queued_add(rd, bus) < 0) {
		pthread_mutex_unlock(&rd->lock);
		free(r);
		return NULL;
	}
	if (rd->tail)
		rd->tail->next = r;
	else
		rd->head = r;
	rd->tail = r;
	rd->n_queued++;
	if (!rd->held)
		pthread_cond_signal(&rd->queued);
	pthread_mutex_unlock(&rd->lock);
	return r;
}

void readers_hold(struct readers *rd)
{
	pthread_mutex_lock(&rd->lock);
	rd->held = true;
	pthread_mutex_unlock(&rd->lock);
}

void readers_go(struct readers *rd)
{
	pthread_mutex_lock(&rd->lock);
	rd->held = false;
	pthread_cond_broadcast(&rd->queued);
	pthread_mutex_unlock(&rd->lock);
}

struct poll_read *readers_submit_list(struct readers *rd)
{
	struct poll_read *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->list = true;
	pthread_mutex_lock(&rd->lock);
	r->next = rd->head;
	rd->head = r;
	if (!rd->tail)
		rd->tail = r;
	rd->n_queued++;
	if (!rd->held)
		pthread_cond_signal(&rd->queued);
	pthread_mutex_unlock(&rd->lock);
	return r;
}

bool readers_done(struct readers *rd, const struct poll_read *r)
{
	bool done;

	pthread_mutex_lock(&rd->lock);
	done = r->done;
	pthread_mutex_unlock(&rd->lock);
	return done;
}

bool readers_running(struct readers *rd, const struct poll_read *r)
{
	bool running;

	pthread_mutex_lock(&rd->lock);
	running = r->started && !r->done;
	pthread_mutex_unlock(&rd->lock);
	return running;
}

/* The range of done read @r that read byte @off of @page/@bank; -1. */
static int read_range_of(const struct poll_read *r, uint8_t page, uint8_t bank,
			 uint8_t off)
{
	if (!r)
		return -1;
	if (off < 128)
		page = bank = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct poll_range *rg = &r->rg[i];

		if (r->len[i] < 0)
			return -1;
		if (rg->addr == OPTIC_ADDR_A0 && rg->page == page &&
		    rg->bank == bank && off >= rg->off &&
		    off - rg->off < r->len[i])
			return (int)i;
	}
	return -1;
}

int poll_read_byte(const struct poll_read *r, uint8_t page, uint8_t bank,
		   uint8_t off)
{
	int i = read_range_of(r, page, bank, off);

	return i < 0 ? -1 : r->buf[i][off - r->rg[i].off];
}

uint64_t poll_read_seq(const struct poll_read *r, uint8_t page, uint8_t bank,
		       uint8_t off)
{
	return read_range_of(r, page, bank, off) < 0 ? 0 : r->seq;
}

void readers_drop(struct readers *rd, struct poll_read *r)
{
	bool done;

	if (!r)
		return;
	pthread_mutex_lock(&rd->lock);
	done = r->done;
	r->dropped = true;
	pthread_mutex_unlock(&rd->lock);
	if (done)
		poll_read_free(r);
}

struct turn {
	size_t round; /* the port's place among its bus's ports */
	size_t bus; /* its bus's place among the buses */
	size_t i;
};

static int turn_cmp(const void *a, const void *b)
{
	const struct turn *x = a, *y = b;

	if (x->round != y->round)
		return x->round < y->round ? -1 : 1;
	return x->bus < y->bus ? -1 : x->bus > y->bus;
}

int readers_bus_turns(const uint32_t *roots, size_t n, size_t *order)
{
	_cleanup_free_ uint32_t *bus = calloc(n ?: 1, sizeof(*bus));
	_cleanup_free_ size_t *seen = calloc(n ?: 1, sizeof(*seen));
	_cleanup_free_ struct turn *t = calloc(n ?: 1, sizeof(*t));
	size_t n_bus = 0;

	if (!bus || !seen || !t)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		size_t b = 0;

		while (b < n_bus && bus[b] != roots[i])
			b++;
		if (b == n_bus)
			bus[n_bus++] = roots[i];
		t[i] = (struct turn){ .round = seen[b]++, .bus = b, .i = i };
	}
	qsort(t, n, sizeof(*t), turn_cmp);
	for (size_t k = 0; k < n; k++)
		order[k] = t[k].i;
	return 0;
}
