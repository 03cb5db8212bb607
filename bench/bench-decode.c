// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-decode: opticd's userspace work for one module-poll, without the
 * kernel, for callgrind (`make bench`, docs/performance.md).
 *
 *   bench-decode DUMP N
 *
 * Loads a module image (the text dump format), sets a port up as opticd
 * does at insertion (the whole image decoded, port_plan()), then N times
 * does what daemon/poll.c does after its netlink reads: store the byte
 * ranges a health poll reads (poll_ranges()) into the image, noting what
 * changed (poll_store(): bench_store), decode again the values whose bytes
 * changed (poll_update(): bench_decode), then the flags, state and
 * policies from the poll's values (port_poll_values(): bench_policy). The
 * polls alternate between the image's bytes and the same with the last
 * byte of every monitor toggled (one LSB), so that every monitor changes
 * at every poll, as a real module's LSBs do; flags and states stay. The
 * three functions are kept out of line so callgrind reports their
 * inclusive cost.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "manager.h"
#include "util.h"

static int mock_set(struct manager *m, struct port *p,
		    const struct optic_set *set)
{
	return 0;
}

static const struct manager_ops mock_ops = { .module_set = mock_set };

static struct poll_range ranges[POLL_RANGES_MAX];
static size_t n_ranges;
/* what each range reads: [0] the image's bytes, [1] monitors moved */
static uint8_t bytes[2][POLL_RANGES_MAX][128];
static struct poll_changes changes;

__attribute__((noinline)) void bench_store(struct port *p, unsigned int set);
__attribute__((noinline)) void bench_decode(struct port *p);
__attribute__((noinline)) void bench_policy(struct manager *m, struct port *p,
					    uint64_t now);

void bench_store(struct port *p, unsigned int set)
{
	for (size_t i = 0; i < n_ranges; i++)
		poll_store(p, &ranges[i], i, bytes[set][i], ranges[i].len,
			   &changes);
}

void bench_decode(struct port *p)
{
	poll_update(p, &changes);
}

void bench_policy(struct manager *m, struct port *p, uint64_t now)
{
	port_poll_values(m, p, &p->pv, now);
}

/* The second set of bytes: every monitor's last byte toggled. */
static void move_monitors(const struct port *p)
{
	memcpy(bytes[1], bytes[0], sizeof(bytes[0]));
	for (size_t i = 0; i < p->nslots; i++) {
		const struct poll_slot *sl = &p->slots[i];

		/* the highest byte of the slot's mask: its value's LSB */
		unsigned int w = sl->mask[1] ? 1 : 0;

		if (sl->role == ROLE_MONITOR)
			bytes[1][sl->range]
			     [64 * w + 63 - __builtin_clzll(sl->mask[w])] ^= 1;
	}
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	do {
		if (n + 4096 > cap) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				break;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	struct manager *m;
	struct config *cfg;
	struct port *p;
	char *text, *err = NULL;
	unsigned int line = 0;
	unsigned long n;
	size_t len;
	int r;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-decode DUMP N\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	text = slurp(argv[1], &len);
	if (!text) {
		perror(argv[1]);
		return 1;
	}
	if (config_load_string("bench.conf", "[daemon]\n", &cfg, &err) < 0 ||
	    manager_new(&m, "bench.conf", cfg) < 0) {
		fprintf(stderr, "bench-decode: config: %s\n", err ? err : "?");
		return 1;
	}
	m->ops = &mock_ops;
	m->no_notify = true;
	log_set_max_level(-1);
	p = manager_port(m, "port0", true);
	if (!p)
		return 1;
	r = optic_dump_parse(text, len, &p->img, &line);
	if (r < 0) {
		fprintf(stderr, "bench-decode: %s:%u: %s\n", argv[1], line,
			strerror(-r));
		return 1;
	}
	/* Insertion, as port_inserted() and port_refresh_statics() do. */
	if (optic_decode(&p->img, &p->model) < 0)
		return 1;
	p->known = p->present = true;
	p->info.present = true;
	p->info.spec = p->model.spec;
	n_ranges = poll_ranges(p, ranges);
	for (size_t i = 0; i < n_ranges; i++)
		if (i >= ARRAY_SIZE(bytes) ||
		    optic_image_get(&p->img, ranges[i].addr, ranges[i].page,
				    ranges[i].bank, ranges[i].off, bytes[0][i],
				    ranges[i].len) < 0) {
			fprintf(stderr,
				"bench-decode: the image lacks what a poll reads\n");
			return 1;
		}
	p->info.state = OPTIC_STATE_READY;
	thresholds_from_model(&p->model, p->mod_thr);
	p->max_power = max_power_from_model(&p->model);
	p->lanes = p->model.lanes ? p->model.lanes : 8;
	if (p->lanes > OPTICD_MAX_LANES)
		p->lanes = OPTICD_MAX_LANES;
	manager_port_configure(m, p);
	if (port_plan(p) < 0)
		return 1;
	move_monitors(p);

	for (unsigned long i = 0; i < n; i++) {
		bench_store(p, (i + 1) & 1);
		bench_decode(p);
		bench_policy(m, p, 1000000 + i);
	}
	printf("polls %lu values %zu lanes %u\n", n, p->model.n, p->lanes);
	manager_free(m);
	free(text);
	return 0;
}
