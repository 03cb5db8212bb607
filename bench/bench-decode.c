// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-decode: opticd's userspace work for one module-poll, without the
 * kernel, for callgrind (`make bench`, docs/performance.md).
 *
 *   bench-decode DUMP N
 *
 * Loads a module image (the text dump format), sets a port up as opticd
 * does at insertion, then N times does what daemon/poll.c does after its
 * netlink reads: store the lower page and page 11h into the image
 * (bench_store), decode the image (bench_decode), then map the model to a
 * sample, flags, state and run the policies (bench_policy). The three
 * functions are kept out of line so callgrind reports their inclusive cost.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "manager.h"

static int mock_set(struct manager *m, struct port *p,
		    const struct optic_set *set)
{
	return 0;
}

static const struct manager_ops mock_ops = { .module_set = mock_set };

static uint8_t lower[128], upper11[128];

__attribute__((noinline)) void bench_store(struct port *p);
__attribute__((noinline)) int bench_decode(struct port *p);
__attribute__((noinline)) void bench_policy(struct manager *m, struct port *p,
					    uint64_t now);

void bench_store(struct port *p)
{
	optic_image_set(&p->img, OPTIC_ADDR_A0, 0, 0, 0, lower, 128);
	optic_image_set(&p->img, OPTIC_ADDR_A0, 0x11, 0, 128, upper11, 128);
}

int bench_decode(struct port *p)
{
	optic_model_free(&p->model);
	return optic_decode(&p->img, &p->model);
}

void bench_policy(struct manager *m, struct port *p, uint64_t now)
{
	uint32_t flags[_FLAP_KIND_MAX], active;
	struct sample s;

	sample_init(&s, (uint32_t)now);
	sample_from_model(&p->model, &s);
	active = active_lanes_from_model(&p->model);
	for (unsigned int l = 0; l < OPTICD_MAX_LANES; l++) {
		if (active & (1u << l))
			continue;
		s.tx_power[l] = s.rx_power[l] = s.tx_bias[l] = NAN;
	}
	flags_from_model(&p->model, flags);
	for (int k = 0; k < _FLAP_KIND_MAX; k++)
		manager_port_flags(m, p, k, flags[k], now);
	manager_port_state(m, p, p->info.state, now);
	manager_port_sample(m, p, &s, now);
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
	if (optic_image_get(&p->img, OPTIC_ADDR_A0, 0, 0, 0, lower, 128) < 0 ||
	    optic_image_get(&p->img, OPTIC_ADDR_A0, 0x11, 0, 128, upper11,
			    128) < 0) {
		fprintf(stderr, "bench-decode: the image lacks the lower page or page 11h\n");
		return 1;
	}
	/* Insertion, as port_inserted() and port_refresh_statics() do. */
	if (bench_decode(p) < 0)
		return 1;
	p->known = p->present = true;
	p->info.present = true;
	p->info.spec = p->model.spec;
	p->info.state = OPTIC_STATE_READY;
	thresholds_from_model(&p->model, p->mod_thr);
	p->max_power = max_power_from_model(&p->model);
	p->lanes = p->model.lanes ? p->model.lanes : 8;
	if (p->lanes > OPTICD_MAX_LANES)
		p->lanes = OPTICD_MAX_LANES;
	manager_port_configure(m, p);

	for (unsigned long i = 0; i < n; i++) {
		bench_store(p);
		if (bench_decode(p) < 0)
			return 1;
		bench_policy(m, p, 1000000 + i);
	}
	printf("polls %lu values %zu lanes %u\n", n, p->model.n, p->lanes);
	manager_free(m);
	free(text);
	return 0;
}
