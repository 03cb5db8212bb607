// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl bus [--interval SECONDS] [--json]: every root I2C bus optic's
 * cages sit on (OPTIC_CMD_BUS_GET), with its ports, utilisation (time
 * optic held the bus over the time the driver has known it), queue depth,
 * and transfers, bytes, bus time and the longest wait of each scheduler
 * class, and the scheduler's order counters: turns a class took ahead of a
 * lower class that waited, and while a higher one waited (inversions: 0
 * unless bus_sched=N), and the bytes it moved while another class waited
 * (contended: what bus_cdb_share divides). With --interval the counters
 * are read twice and the rates, utilisation and order counters over the
 * interval are shown too.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "opticctl.h"

#define BUS_USAGE "usage: opticctl bus [--interval SECONDS] [--json]"

struct sample {
	struct optic_bus_info *b;
	size_t n;
};

static void sample_free(struct sample *s)
{
	optic_bus_list_free(s->b, s->n);
}

static int take(struct oc *c, struct sample *s)
{
	int r = optic_nl_bus_list(c->nl, &s->b, &s->n);

	return r < 0 ? oc_fail(c, r, "listing root buses") : OC_OK;
}

static const char *port_name(const struct optic_module_info *mods, size_t n,
			     uint32_t index)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (mods[i].index == index)
			return mods[i].name;
	return NULL;
}

static const struct optic_bus_info *bus_nr(const struct sample *s,
					   uint32_t root)
{
	size_t i;

	for (i = 0; s && i < s->n; i++)
		if (s->b[i].root == root)
			return &s->b[i];
	return NULL;
}

static double ratio(uint64_t num, uint64_t den)
{
	return den ? (double)num / den : NAN;
}

static void print_ports(struct optic_print *p, const struct optic_bus_info *b,
			const struct optic_module_info *mods, size_t n)
{
	char idx[16];
	size_t i;

	op_text(p, "  ports:");
	op_open_array(p, "ports");
	for (i = 0; i < b->n_ports; i++) {
		const char *name = port_name(mods, n, b->ports[i]);

		snprintf(idx, sizeof(idx), "#%u", b->ports[i]);
		op_string(p, NULL, " %s", name ?: idx);
	}
	op_close_array(p);
	op_text(p, "%s\n", b->n_ports ? "" : " none");
}

/* @prev: the first sample of --interval (NULL without), @secs apart. */
static void print_class(struct optic_print *p, uint8_t id,
			const struct optic_bus_class_stats *s,
			const struct optic_bus_class_stats *prev, double secs)
{
	op_open_object(p, NULL);
	op_string(p, "class", "  %-8s", optic_bus_class_name(id));
	op_uint(p, "xfers", " %12" PRIu64, s->xfers);
	op_uint(p, "bytes", " %14" PRIu64, s->bytes);
	/* JSON: the driver's ns; text: s and ms */
	op_uint(p, "busy_ns", NULL, s->busy_ns);
	op_text(p, " %12.3f", s->busy_ns / 1e9);
	op_uint(p, "wait_max_ns", NULL, s->wait_max_ns);
	op_text(p, " %11.3f", s->wait_max_ns / 1e6);
	if (s->has_order) {
		op_uint(p, "ahead", " %10" PRIu64, s->ahead);
		op_uint(p, "inversions", " %10" PRIu64, s->inversions);
	} else {
		op_text(p, " %10s %10s", "-", "-");
	}
	if (s->has_contended)
		op_uint(p, "contended_bytes", " %14" PRIu64,
			s->contended_bytes);
	else
		op_text(p, " %14s", "-");
	if (prev) {
		op_float(p, "xfers_per_s", " %10.1f",
			 (s->xfers - prev->xfers) / secs, 1);
		op_float(p, "bytes_per_s", " %12.1f",
			 (s->bytes - prev->bytes) / secs, 1);
	}
	if (prev && s->has_order && prev->has_order) {
		op_uint(p, "interval_ahead", " %10" PRIu64,
			s->ahead - prev->ahead);
		op_uint(p, "interval_inversions", " %10" PRIu64,
			s->inversions - prev->inversions);
	}
	op_text(p, "\n");
	op_close_object(p);
}

static void print_bus(struct optic_print *p, const struct optic_bus_info *b,
		      const struct optic_bus_info *prev, double secs,
		      const struct optic_module_info *mods, size_t n)
{
	uint8_t i;

	op_open_object(p, NULL);
	op_uint(p, "i2c_bus", "i2c-%" PRIu64, b->root);
	op_string(p, "name", " %s:", b->name);
	op_float(p, "utilization", " utilisation %.2f%%",
		 100 * ratio(b->busy_ns, b->age_ns), 2);
	op_uint(p, "busy_ns", NULL, b->busy_ns);
	op_uint(p, "age_ns", NULL, b->age_ns);
	if (prev)
		op_float(p, "interval_utilization",
			 " (%.2f%% over the interval)",
			 100 * ratio(b->busy_ns - prev->busy_ns,
				     b->age_ns - prev->age_ns),
			 2);
	op_uint(p, "queue", ", queue %" PRIu64, b->queue);
	op_uint(p, "queue_max", " (max %" PRIu64 ")", b->queue_max);
	op_uint(p, "requests", ", reads %" PRIu64, b->requests);
	op_uint(p, "requests_max", " (max %" PRIu64 ")\n", b->requests_max);
	print_ports(p, b, mods, n);
	op_text(p, "  %-8s %12s %14s %12s %10s %10s %10s %14s%s\n", "class",
		"xfers", "bytes", "busy s", "wait max ms", "ahead",
		"inversions", "contended",
		prev ? "    xfers/s      bytes/s      ahead inversions" : "");
	op_open_array(p, "classes");
	for (i = 0; i < OPTIC_BUS_CLASSES; i++)
		if (b->cls[i].set)
			print_class(p, i, &b->cls[i],
				    prev && prev->cls[i].set ? &prev->cls[i] :
							       NULL,
				    secs);
	op_close_array(p);
	op_close_object(p);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int cmd_bus(struct oc *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{}
	};
	_cleanup_free_ struct optic_module_info *mods = NULL;
	struct sample first = {}, last = {};
	double interval = 0, t0 = 0, secs = 0;
	size_t n_mods, i;
	char *end;
	int o, r;

	optind = 0; /* glibc: re-initialise, permute arguments again */
	while ((o = getopt_long(argc, argv, "i:j", opts, NULL)) != -1) {
		switch (o) {
		case 'i':
			interval = strtod(optarg, &end);
			if (*end || !(interval > 0 && interval <= 3600))
				return oc_usage(
					"bad --interval '%s' (0-3600 s)",
					optarg);
			break;
		case 'j':
			r = oc_json(c);
			if (r)
				return r;
			break;
		default:
			return oc_usage(BUS_USAGE);
		}
	}
	if (optind != argc)
		return oc_usage(BUS_USAGE);
	r = oc_ports(c, &mods, &n_mods);
	if (r < 0)
		return -r;
	if (interval > 0) {
		r = take(c, &first);
		if (r)
			return r;
		t0 = now_s();
		fprintf(stderr, "opticctl: sampling the buses for %g s\n",
			interval);
		usleep((useconds_t)(interval * 1e6));
	}
	r = take(c, &last);
	if (r == OC_OK) {
		secs = now_s() - t0;
		op_open_array(c->p, NULL);
		for (i = 0; i < last.n; i++)
			print_bus(c->p, &last.b[i],
				  interval > 0 ?
					  bus_nr(&first, last.b[i].root) :
					  NULL,
				  secs, mods, n_mods);
		op_close_array(c->p);
		if (!last.n)
			op_text(c->p, "no root bus: optic has no cage\n");
	}
	sample_free(&first);
	sample_free(&last);
	return r;
}
