/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Prometheus text exposition (format 0.0.4, or OpenMetrics 1.0.0 when the
 * scraper asks for it) of the manager's state, served
 * by libmicrohttpd inside the sd-event loop (epoll mode, no threads) and
 * optionally written to a node_exporter textfile. docs/metrics.md lists
 * every metric.
 */
#ifndef OPTICD_METRICS_H
#define OPTICD_METRICS_H

#include <stdint.h>
#include <stdio.h>

struct manager;
struct config;

/*
 * A port's rendered samples, kept between scrapes: a port's block is
 * rendered again only when its generation moved (port_touch()).
 */
struct port_metrics;
struct port_metrics *metrics_port_new(void);
void metrics_port_free(struct port_metrics *pm);

/*
 * The exposition as it is now, read in pieces later: the ports' rendered
 * blocks are referenced, so polls and removals meanwhile do not change it.
 * NULL with errno ENOMEM.
 */
struct metrics_scrape;
struct metrics_scrape *metrics_scrape_new(const struct manager *m);
size_t metrics_scrape_size(const struct metrics_scrape *s);
/* The next at most @max bytes into @buf; 0 at the end. */
size_t metrics_scrape_read(struct metrics_scrape *s, char *buf, size_t max);
void metrics_scrape_free(struct metrics_scrape *s);

/* Write every metric to @f; 0 or -ENOMEM (nothing written). */
int metrics_render(const struct manager *m, FILE *f);
/* Render into a malloc'ed string; returns its length or -errno. */
int metrics_render_string(const struct manager *m, char **out);

/*
 * Translate @text, the classic exposition, to OpenMetrics 1.0.0 on @out:
 * counter families without _total, # UNIT for the names ending in a base
 * unit, _created (@created, Unix seconds) after each counter and histogram
 * count, # EOF at the end.
 */
void metrics_openmetrics(const char *text, uint64_t created, FILE *out);

/* Serve /metrics (TLS and basic auth from the config's web config). */
int metrics_start(struct manager *m);
void metrics_stop(struct manager *m);
/* Restart the server when the listen address changed from @old's. */
int metrics_reconfigure(struct manager *m, const struct config *old);
/* Atomically replace @path (write a temporary file, rename). */
int metrics_write_textfile(const struct manager *m, const char *path);

#endif /* OPTICD_METRICS_H */
