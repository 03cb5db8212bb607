// SPDX-License-Identifier: GPL-2.0-or-later
/* opticctl show / dom: a port decoded, ethtool -m style. */
#include <pthread.h>
#include <string.h>

#include "opticctl.h"

/* What only the driver knows: a bus error it is riding out, checksums. */
static void show_driver_view(struct optic_print *p,
			     const struct optic_module_info *info)
{
	if (info->access_error) {
		op_text(p, "\t%-42s: ", "Bus error (last values shown)");
		op_string(p, "access_error", "%s\n",
			  strerror((int)info->access_error));
		op_uint(p, "access_errno", NULL, info->access_error);
	}
	if (info->present && (info->attrs & OPTIC_ATTR(OPTIC_A_CHECKSUM_OK))) {
		op_text(p, "\t%-42s: ", "Identity checksums match");
		op_bool(p, "checksum_ok", "%s\n", info->checksum_ok);
	}
}

/* One port of a show: read and decoded by a worker, printed in order. */
struct show_job {
	const struct optic_module_info *info;
	struct optic_image img;
	struct optic_model m;
	int r; /* 0, or a negative exit status (already reported) */
	bool done;
};

/* Read and decode @job's module (any thread: @c has its own socket). */
static void show_fetch(struct oc *c, struct show_job *job)
{
	optic_image_init(&job->img);
	if (!job->info->present)
		return;
	job->r = oc_fetch(c, job->info->name, &job->img);
	if (job->r == 0) {
		job->r = optic_decode(&job->img, &job->m);
		if (job->r < 0)
			job->r = -oc_fail(c, job->r, "%s: decoding",
					  job->info->name);
	}
}

static int show_print(struct oc *c, struct show_job *job, unsigned int sections)
{
	const struct optic_module_info *info = job->info;
	struct optic_print *p = c->p;

	op_open_object(p, NULL);
	op_string(p, "port", "%s:\n", info->name);
	op_bool(p, "present", NULL, info->present);
	if (info->attrs & OPTIC_ATTR(OPTIC_A_I2C_BUS)) {
		op_text(p, "\t%-42s: ", "I2C bus, address");
		op_uint(p, "i2c_bus", "i2c-%" PRIu64, info->i2c_bus);
		op_uint(p, "i2c_addr", " 0x%02" PRIx64 "\n", info->i2c_addr);
	}
	show_driver_view(p, info);
	if (!info->present)
		op_text(p, "\tno module present\n");
	if (info->present && job->r == 0) {
		optic_model_print(p, &job->m, sections);
		/* SFF-8636/8472 have no state machine: the driver's view */
		if ((sections & OPTIC_SHOW_STATUS) &&
		    !optic_model_get(&job->m, "module_state", NULL, -1)) {
			op_text(p, "\t%-42s: ", "Module state (driver)");
			op_string(p, "module_state", "%s\n",
				  optic_state_name(info->state) ?: "unknown");
		}
	}
	op_close_object(p);
	optic_model_free(&job->m);
	optic_image_clear(&job->img);
	return job->r;
}

/*
 * `show all`: modules are read in parallel (each worker with its own
 * netlink socket; the driver schedules each root bus), printed in order as
 * soon as each is ready. Reading every module is bulk traffic: it yields
 * each bus to the health polls, the controls and CDB.
 */
#define SHOW_WORKERS 8

struct show_pool {
	struct oc *c;
	struct show_job *jobs;
	size_t n, next;
	pthread_mutex_t lock;
	pthread_cond_t ready;
};

static void *show_worker(void *arg)
{
	struct show_pool *pool = arg;
	struct oc c = *pool->c;
	int open = optic_nl_open(&c.nl);
	size_t i;

	for (;;) {
		pthread_mutex_lock(&pool->lock);
		i = pool->next++;
		pthread_mutex_unlock(&pool->lock);
		if (i >= pool->n)
			break;
		if (open < 0)
			pool->jobs[i].r = -oc_fail(NULL, open, "netlink");
		else
			show_fetch(&c, &pool->jobs[i]);
		pthread_mutex_lock(&pool->lock);
		pool->jobs[i].done = true;
		pthread_cond_broadcast(&pool->ready);
		pthread_mutex_unlock(&pool->lock);
	}
	if (open >= 0)
		optic_nl_close(c.nl);
	return NULL;
}

static int show_all(struct oc *c, const struct optic_module_info *mods,
		    size_t n, unsigned int sections)
{
	_cleanup_free_ struct show_job *jobs = calloc(n ?: 1, sizeof(*jobs));
	struct oc bulk = *c;
	struct show_pool pool = { .c = &bulk, .jobs = jobs, .n = n };
	pthread_t tid[SHOW_WORKERS];
	size_t i, workers = MIN(n, (size_t)SHOW_WORKERS), started = 0;
	int r, ret = OC_OK;

	if (!jobs)
		return OC_IO;
	bulk.bulk = true;
	for (i = 0; i < n; i++)
		jobs[i].info = &mods[i];
	pthread_mutex_init(&pool.lock, NULL);
	pthread_cond_init(&pool.ready, NULL);
	for (; started < workers; started++)
		if (pthread_create(&tid[started], NULL, show_worker, &pool))
			break;
	op_open_array(c->p, NULL);
	for (i = 0; i < n; i++) {
		pthread_mutex_lock(&pool.lock);
		while (started && !jobs[i].done)
			pthread_cond_wait(&pool.ready, &pool.lock);
		pthread_mutex_unlock(&pool.lock);
		if (!started) /* no thread: read it here */
			show_fetch(&bulk, &jobs[i]);
		if (i)
			op_text(c->p, "\n");
		r = show_print(c, &jobs[i], sections);
		if (r < 0)
			ret = -r;
	}
	op_close_array(c->p);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_cond_destroy(&pool.ready);
	pthread_mutex_destroy(&pool.lock);
	return ret;
}

static int show_cmd(struct oc *c, int argc, char **argv, unsigned int sections)
{
	_cleanup_free_ struct optic_module_info *mods = NULL;
	struct optic_module_info info;
	struct show_job job = { .info = &info };
	size_t n;
	int r;

	if (argc != 2)
		return oc_usage("usage: opticctl %s PORT|all", argv[0]);
	if (!streq(argv[1], "all")) {
		r = oc_port(c, argv[1], &info);
		if (r < 0)
			return -r;
		show_fetch(c, &job);
		r = show_print(c, &job, sections);
		return r < 0 ? -r : OC_OK;
	}
	r = oc_ports(c, &mods, &n);
	if (r < 0)
		return -r;
	return show_all(c, mods, n, sections);
}

int cmd_show(struct oc *c, int argc, char **argv)
{
	return show_cmd(c, argc, argv, OPTIC_SHOW_ALL);
}

int cmd_dom(struct oc *c, int argc, char **argv)
{
	return show_cmd(c, argc, argv, OPTIC_SHOW_DOM);
}
