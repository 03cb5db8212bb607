/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The opticd manager: owns the event loop, the configuration, the netlink
 * connections, the timers and the ports (port.h). Ports are never freed
 * while the daemon runs (so counters stay monotonic across removal and
 * driver reloads); their history is bounded (history.h). The files run one
 * way: manager.c -> poll.c (reading) -> engine.c (policies) -> port.c.
 */
#ifndef OPTICD_MANAGER_H
#define OPTICD_MANAGER_H

#include <stdbool.h>
#include <stdint.h>

#include <systemd/sd-event.h>

#include "config.h"
#include "engine.h"
#include "netlink.h"
#include "port.h"

struct action_record {
	uint64_t time; /* CLOCK_REALTIME s */
	char port[OPTIC_PORT_NAME_LEN];
	int lane;
	enum policy_id policy;
	enum action mode;
	char text[120];
};

#define ACTION_LOG_LEN 64

struct manager;

/* How a decided action reaches the module; tests replace it. */
struct manager_ops {
	int (*module_set)(struct manager *m, struct port *p,
			  const struct optic_set *set);
	/*
	 * On a thread of its own (application.c): touches nothing of
	 * opticd's; the driver's extack, if any, into @ext.
	 */
	int (*datapath_set)(const char *port,
			    const struct optic_dp_request *req,
			    struct optic_datapath *out, char *ext,
			    size_t ext_len);
	/* How the poll readers read (readers.h). */
	const struct readers_ops *readers;
};

struct metrics_server;
struct status_server;
struct nlmon;
struct app_queue;
struct readers;

/* A histogram of seconds over fixed bounds (histogram_le), as exported. */
#define HISTOGRAM_BUCKETS 14

struct histogram {
	uint64_t count;
	uint64_t buckets[HISTOGRAM_BUCKETS]; /* cumulative per le */
	double sum;
};

extern const double histogram_le[HISTOGRAM_BUCKETS];
void histogram_add(struct histogram *h, double v);

struct manager {
	sd_event *event;
	char *config_path;
	struct config *cfg;
	const struct manager_ops *ops;
	const char *fw_lock_dir; /* NULL: OPTIC_FW_LOCK_DIR */

	struct optic_nl *nl;
	struct nlmon *mon;
	sd_event_source *mon_source;
	sd_event_source *poll_timer;
	sd_event_source *poll_slice; /* one port of the cycle per dispatch */
	/* Threads reading the cycle's ports ahead of it (readers.h). */
	struct readers *readers;
	sd_event_source *readers_source;
	bool readers_failed; /* logged once */
	bool poll_waiting; /* the cycle waits for a port's read */
	size_t ports_deferring; /* ports with events that wait for a read */
	sd_event_source *kick_timer; /* ports an event asks to poll */
	sd_event_source *retry_timer;
	sd_event_source *predict_timer;
	sd_event_source *textfile_timer;
	/* Applications being applied (application.c). */
	struct app_queue *apps;
	sd_event_source *app_source;
	unsigned int apps_running;
	bool driver_up;
	bool driver_warned;
	bool poll_again; /* start another cycle when this one ends */
	bool no_notify;
	size_t notified_present; /* modules in the last STATUS= */
	bool decoded; /* a whole image decoded this cycle: trim at its end */

	struct port **ports;
	size_t n_ports;
	size_t kick_reads; /* ports whose pr is an event's poll */
	struct poll_read *cycle_list; /* the cycle's dump, by a reader */
	/* Ports by name (engine.c): slot i holds an index of ports + 1, or 0. */
	uint32_t *port_slots;
	size_t n_port_slots; /* a power of 2, at least twice n_ports */

	/* The root buses and their scheduler's counters, as of the last cycle. */
	struct optic_bus_info *buses;
	size_t n_buses;

	/* The poll cycle in progress: the dump, the next port of it. */
	struct optic_module_info *cycle;
	size_t cycle_n, cycle_next;
	uint64_t cycle_start; /* CLOCK_MONOTONIC µs of the dump */
	uint64_t cycles; /* cycles started, from 1 */

	struct action_record log[ACTION_LOG_LEN];
	size_t log_head, log_len;

	struct metrics_server *metrics;
	struct status_server *status;

	/* Counters. */
	struct histogram polls; /* a cycle's duration */
	/* From a flag the driver found (IntL asserted) to opticd counting it. */
	struct histogram flag_delay;
	uint64_t events[OPTIC_EVENT_FLAG + 1];
	/*
	 * Event sequence numbers (OPTIC_A_EVENT_SEQ): all below seq_next were
	 * received, bit i of seq_seen is seq_next + 1 + i; 0 when unknown.
	 * Events of different ports may arrive slightly out of order.
	 */
	uint64_t seq_next, seq_seen;
	uint64_t events_lost; /* sequence gaps (and socket overruns) */
	uint64_t reconnects;
	uint64_t reloads_ok, reloads_failed;
	uint64_t netlink_errors;
	uint64_t start_time;
	uint64_t start_ns; /* CLOCK_REALTIME ns: older records are not logged */
	uint64_t heap_bytes; /* malloc's bytes in use at the last cycle's end */
};

int manager_new(struct manager **out, const char *config_path,
		struct config *cfg);
void manager_free(struct manager *m);
static inline void manager_freep(struct manager **m)
{
	if (*m)
		manager_free(*m);
}

/* Forget the driver's sockets after it went away; retry later. */
void manager_disconnect(struct manager *m, int err);

/* Start connections, servers and timers; tolerates the driver absent. */
int manager_start(struct manager *m);
int manager_run(struct manager *m);
/* Re-read the configuration; on error the old one stays. */
int manager_reload(struct manager *m);

/* A driver event from the monitor group (nlmon, tests). */
void manager_event(struct manager *m, const struct optic_nl_event *ev);
/* Handle @p's events that waited for its read by the readers. */
void manager_port_events(struct manager *m, struct port *p);

/* poll.c --------------------------------------------------------------- */

/*
 * A poll cycle: manager_poll_start() dumps the modules (1: ports to poll,
 * 0: the driver is away, or -errno) and hands the poll ranges of the ports
 * it can to the readers, then each manager_poll_step() polls one port
 * (statics of a new module, monitors) and returns whether more remain;
 * when the next port's read is not done yet it sets poll_waiting instead
 * (the readers' eventfd ends the wait). manager_poll_end() drops what is
 * left of it.
 */
/*
 * From the end of a cycle that took @took µs to the next one's start, with
 * one every @every µs: cycles start at that rate, back to back when longer.
 */
uint64_t poll_wait_usec(uint64_t took, uint64_t every);
int manager_poll_start(struct manager *m);
bool manager_poll_step(struct manager *m);
/*
 * Bring to the cycle's next place the first port (within a look-ahead)
 * whose read by the readers is done, or that has none: a module that holds
 * its read (a firmware download) does not hold up the ports read after it.
 * False when all of them wait for their reads.
 */
bool manager_cycle_pick(struct manager *m);
/*
 * The poll an event asks for, through the readers when it reads
 * poll_ranges() alone: the loop does not wait for a busy bus meanwhile.
 * False when the loop must poll the port itself (manager_poll_port()).
 */
bool manager_kick_read(struct manager *m, struct port *p);
/* The polls of manager_kick_read() whose reads are done. */
void manager_kick_reads_done(struct manager *m);
void manager_poll_end(struct manager *m);
/* @p's read by the readers is queued or running (a poll of it would wait). */
bool manager_port_reading(struct manager *m, const struct port *p);
/* A thread reads @p now (not queued, not done): its FLAG events wait. */
bool manager_port_read_running(struct manager *m, const struct port *p);
/* The module in @p is gone: log it (once) and forget what opticd held. */
void port_removed(struct manager *m, struct port *p);
/* An INSERTED event for @p, before any poll of the new module. */
void port_insert_event(struct manager *m, struct port *p,
		       const struct optic_nl_event *ev);
/* Poll one port now, with a MODULE_GET of its own (an event for it). */
void manager_poll_port(struct manager *m, struct port *p);
/* The sample, flags, state and policies of a poll from a decoded model. */
void port_poll_model(struct manager *m, struct port *p,
		     const struct optic_model *model, uint64_t now);
/* The same from the values a poll derived. */
void port_poll_values(struct manager *m, struct port *p,
		      const struct poll_values *pv, uint64_t now);
/* Read the whole image of @p and derive its static data. */
int port_refresh_statics(struct manager *m, struct port *p);
/* An error of MODULE_GET and friends that means the driver is gone. */
bool poll_driver_gone(int r);

#endif /* OPTICD_MANAGER_H */
