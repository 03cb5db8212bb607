// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticd manager: event loop, driver connection, reload, and the glue that
 * turns policy verdicts into module actions, log lines and counters.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <math.h>
#include <sys/epoll.h>

#include <systemd/sd-daemon.h>

#include "optic.h"
#include "application.h"
#include "fw.h"
#include "log.h"
#include "manager.h"
#include "metrics.h"
#include "nlmon.h"
#include "readers.h"
#include "status.h"
#include "util.h"

#define USEC_PER_SEC 1000000ULL
/* At most one extra poll of a port per 50 ms, whatever its events. */
#define KICK_SPACING_USEC 50000ULL
/* Timers fire this close to due (sd-event's default would be 250 ms). */
#define KICK_ACCURACY_USEC 1000ULL

const double histogram_le[HISTOGRAM_BUCKETS] = {
	0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1,
	0.25,  0.5,    1,     2.5,  5,	  10,	30,
};

void histogram_add(struct histogram *h, double v)
{
	h->count++;
	h->sum += v;
	for (int i = 0; i < HISTOGRAM_BUCKETS; i++)
		if (v <= histogram_le[i])
			h->buckets[i]++;
}

static int nl_module_set(struct manager *m, struct port *p,
			 const struct optic_set *set)
{
	if (!m->nl)
		return -ENOTCONN;
	return optic_nl_module_set(m->nl, p->name, set);
}

static const struct manager_ops default_ops = {
	.module_set = nl_module_set,
	.datapath_set = app_datapath_set,
	.readers = &readers_netlink,
};

/* Driver connection ---------------------------------------------------- */

static int arm_timer(struct manager *m, sd_event_source **src, uint64_t usec,
		     sd_event_time_handler_t cb);

static int on_retry(sd_event_source *s, uint64_t usec, void *userdata);
static void poll_soon(struct manager *m);
static void seq_reset(struct manager *m);
static void seq_settle(struct manager *m);

static void schedule_retry(struct manager *m)
{
	arm_timer(m, &m->retry_timer, m->cfg->driver_retry * USEC_PER_SEC,
		  on_retry);
}

static int manager_connect(struct manager *m)
{
	int r;

	if (m->driver_up)
		return 0;
	r = optic_nl_open(&m->nl);
	if (r == -ENOENT && m->cfg->load_driver) {
		int k = optic_load_driver("optic");

		if (k < 0)
			log_event(LOG_WARNING, k, NULL, -1, NULL, MSGID_DRIVER,
				  "failed to load the optic kernel module");
		else
			r = optic_nl_open(&m->nl);
	}
	if (r < 0) {
		m->nl = NULL;
		if (!m->driver_warned)
			log_event(LOG_WARNING, r, NULL, -1, NULL, MSGID_DRIVER,
				  "optic driver not available, waiting for it");
		m->driver_warned = true;
		manager_notify_status(m);
		schedule_retry(m);
		return 0;
	}
	r = nlmon_join(m->mon);
	if (r < 0)
		log_event(
			LOG_WARNING, r, NULL, -1, NULL, MSGID_DRIVER,
			"failed to join the optic monitor group; polling only");
	if (m->driver_warned || m->reconnects)
		log_event(LOG_NOTICE, 0, NULL, -1, NULL, MSGID_DRIVER,
			  "connected to the optic driver");
	m->driver_warned = false;
	m->driver_up = true;
	seq_reset(m);
	m->reconnects++;
	if (m->retry_timer)
		sd_event_source_set_enabled(m->retry_timer, SD_EVENT_OFF);
	poll_soon(m);
	manager_notify_status(m);
	return 0;
}

static void readers_stop(struct manager *m);

void manager_disconnect(struct manager *m, int err)
{
	if (!m->driver_up)
		return;
	log_event(LOG_WARNING, err, NULL, -1, NULL, MSGID_DRIVER,
		  "lost the optic driver, waiting for it to come back");
	m->driver_warned = true;
	/* The readers' sockets name the family gone: new ones come with it. */
	manager_poll_end(m);
	readers_stop(m);
	m->readers_failed = false;
	optic_nl_close(m->nl);
	m->nl = NULL;
	m->driver_up = false;
	for (size_t i = 0; i < m->n_ports; i++) {
		struct port *p = m->ports[i];

		port_touch(p);
		p->known = false;
		p->present = false;
		p->lpmode_ours = false;
		p->txdis_ours = 0;
		p->ins_pending = p->ins_logged = false;
		/* Another driver, other rings: read them again. */
		p->link.synced = false;
	}
	seq_reset(m);
	manager_notify_status(m);
	schedule_retry(m);
}

static int on_retry(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct manager *m = userdata;

	manager_connect(m);
	return 0;
}

/* Timers ---------------------------------------------------------------- */

static int arm_timer(struct manager *m, sd_event_source **src, uint64_t usec,
		     sd_event_time_handler_t cb)
{
	int r;

	if (*src) {
		r = sd_event_source_set_time_relative(*src, usec);
		if (r >= 0)
			r = sd_event_source_set_enabled(*src, SD_EVENT_ONESHOT);
		return r;
	}
	/* Accuracy 0 would be sd-event's default of 250 ms. */
	return sd_event_add_time_relative(m->event, src, CLOCK_MONOTONIC, usec,
					  MAX(usec / 20, KICK_ACCURACY_USEC),
					  cb, m);
}

/*
 * The poll cycle: on_poll dumps the modules, then on_slice polls one port
 * per dispatch, so that the loop serves scrapes, the status socket and
 * events between ports. The next cycle starts poll_interval after the
 * start of this one (at once if it took longer): each port is read at that
 * rate. Its duration, dump to last port, is the histogram's.
 */
static int on_poll(sd_event_source *s, uint64_t usec, void *userdata);
static void events_undefer(struct manager *m);

static bool cycle_running(struct manager *m)
{
	int e = SD_EVENT_OFF;

	return m->poll_waiting ||
	       (m->poll_slice &&
		sd_event_source_get_enabled(m->poll_slice, &e) >= 0 &&
		e != SD_EVENT_OFF);
}

uint64_t poll_wait_usec(uint64_t took, uint64_t every)
{
	return took >= every ? 0 : every - took;
}

static void poll_finish(struct manager *m)
{
	uint64_t took = now_monotonic() - m->cycle_start;

	sd_event_source_set_enabled(m->poll_slice, SD_EVENT_OFF);
	if (m->driver_up)
		histogram_add(&m->polls, took / 1e6);
	manager_poll_end(m);
	events_undefer(m);
	arm_timer(m, &m->poll_timer,
		  m->poll_again ?
			  0 :
			  poll_wait_usec(took,
					 m->cfg->poll_interval_ms * 1000ULL),
		  on_poll);
	m->poll_again = false;
}

static int on_slice(sd_event_source *s, void *userdata)
{
	struct manager *m = userdata;

	if (!manager_poll_step(m))
		poll_finish(m);
	else if (m->poll_waiting)
		sd_event_source_set_enabled(m->poll_slice, SD_EVENT_OFF);
	return 0;
}

/* A read of the readers finished: the cycle goes on if it waited. */
static int on_readers(sd_event_source *s, int fd, uint32_t revents,
		      void *userdata)
{
	struct manager *m = userdata;

	readers_ack(m->readers);
	events_undefer(m);
	manager_kick_reads_done(m);
	if (m->poll_waiting) {
		m->poll_waiting = false;
		sd_event_source_set_enabled(m->poll_slice, SD_EVENT_ON);
	}
	return 0;
}

static void readers_stop(struct manager *m)
{
	m->readers_source = sd_event_source_unref(m->readers_source);
	readers_free(m->readers);
	m->readers = NULL;
}

/*
 * The readers poll_readers asks for, between two cycles (no read is
 * held then). Without them the loop reads, as with poll_readers = 0.
 */
static void readers_sync(struct manager *m)
{
	unsigned int want = m->ops->readers ? m->cfg->poll_readers : 0;
	int r;

	/* Their sockets need the driver's family. */
	if (!m->driver_up || readers_threads(m->readers) == want)
		return;
	readers_stop(m);
	if (!want)
		return;
	r = readers_new(&m->readers, want, m->ops->readers);
	if (r >= 0)
		r = sd_event_add_io(m->event, &m->readers_source,
				    readers_fd(m->readers), EPOLLIN, on_readers,
				    m);
	if (r >= 0) {
		m->readers_failed = false;
		return;
	}
	readers_stop(m);
	if (!m->readers_failed)
		log_event(
			LOG_WARNING, r, NULL, -1, NULL, NULL,
			"starting %u poll readers failed: polling on the loop",
			want);
	m->readers_failed = true;
}

static int on_poll(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct manager *m = userdata;
	int r;

	m->poll_again = false;
	seq_settle(m);
	readers_sync(m);
	r = manager_poll_start(m);
	if (r > 0 &&
	    sd_event_source_set_enabled(m->poll_slice, SD_EVENT_ON) >= 0)
		return 0;
	if (r < 0 && poll_driver_gone(r))
		manager_disconnect(m, r);
	manager_poll_end(m);
	arm_timer(m, &m->poll_timer, m->cfg->poll_interval_ms * 1000ULL,
		  on_poll);
	return 0;
}

/* A cycle at once, or right after the one running (events were lost). */
static void poll_soon(struct manager *m)
{
	if (cycle_running(m))
		m->poll_again = true;
	else
		arm_timer(m, &m->poll_timer, 0, on_poll);
}

/* Ports events asked to poll: one per dispatch, each KICK_SPACING apart. */
static int on_kick(sd_event_source *s, uint64_t usec, void *userdata);

/* Kicked, and not being read: the cycle takes a port being read. */
static bool kick_due(struct manager *m, const struct port *p)
{
	return p->kicked && !manager_port_reading(m, p);
}

static void arm_kick(struct manager *m)
{
	uint64_t due = UINT64_MAX;

	for (size_t i = 0; i < m->n_ports; i++)
		if (kick_due(m, m->ports[i]))
			due = MIN(due, m->ports[i]->polled + KICK_SPACING_USEC);
	if (due == UINT64_MAX) {
		if (m->kick_timer)
			sd_event_source_set_enabled(m->kick_timer,
						    SD_EVENT_OFF);
		return;
	}
	if (!m->kick_timer) {
		sd_event_add_time(m->event, &m->kick_timer, CLOCK_MONOTONIC,
				  due, KICK_ACCURACY_USEC, on_kick, m);
		return;
	}
	sd_event_source_set_time(m->kick_timer, due);
	sd_event_source_set_enabled(m->kick_timer, SD_EVENT_ONESHOT);
}

static int on_kick(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct manager *m = userdata;
	uint64_t now = now_monotonic();
	struct port *next = NULL;

	for (size_t i = 0; i < m->n_ports; i++) {
		struct port *p = m->ports[i];

		if (kick_due(m, p) && p->polled + KICK_SPACING_USEC <= now &&
		    (!next || p->polled < next->polled))
			next = p;
	}
	if (next) {
		next->kicked = false;
		if (!manager_kick_read(m, next))
			manager_poll_port(m, next);
	}
	arm_kick(m);
	return 0;
}

/* An event for @p: poll it soon; events until then coalesce. */
static void kick_port(struct manager *m, struct port *p)
{
	if (p->kicked)
		return;
	p->kicked = true;
	arm_kick(m);
}

static int on_predict(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct manager *m = userdata;
	uint64_t now = now_realtime();

	for (size_t i = 0; i < m->n_ports; i++)
		manager_port_predict(m, m->ports[i], now);
	arm_timer(m, &m->predict_timer, m->cfg->predict_interval * USEC_PER_SEC,
		  on_predict);
	return 0;
}

static int on_textfile(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct manager *m = userdata;

	if (m->cfg->textfile)
		metrics_write_textfile(m, m->cfg->textfile);
	arm_timer(m, &m->textfile_timer,
		  m->cfg->textfile_interval * USEC_PER_SEC, on_textfile);
	return 0;
}

/* Netlink events --------------------------------------------------------- */

/*
 * The driver raises a FLAG event for a read that finds a bit newly set,
 * opticd's own reads included. Bits the port's image holds were delivered
 * by opticd's last read (the driver keeps latched bits per reader): an
 * echo, or a condition already seen. Only other bits are news: counted and
 * judged from the event at once, the poll it asks for reads the values.
 */
static bool flag_event(struct manager *m, struct port *p,
		       const struct optic_nl_event *ev)
{
	/* The readers' read of @p, done, not taken yet; else NULL. */
	const struct poll_read *pr = manager_port_reading(m, p) ? NULL : p->pr;
	struct flag_news news;

	if (!port_flag_news(p, ev, pr, &news))
		return false;
	manager_port_flag_news(m, p, &news, now_realtime());
	return true;
}

/*
 * Sequence numbers: the driver numbers every event it raises, for all
 * ports, from 1. Events of two ports can cross on their way (each is sent
 * under its own port's lock), so a hole is a lost event only once 64 later
 * ones came, or a poll cycle starts with it open (the cycle rescans what it
 * could have said anyway). A lost event means a port's story is not known:
 * rescan everything, as after a socket overrun.
 */
#define SEQ_WINDOW 64
/* Far below what was seen: the driver's counter started again. */
#define SEQ_RESTART 1000000

/* Events were lost: the records they announced are read at the polls. */
static void events_lost(struct manager *m, uint64_t n)
{
	m->events_lost += n;
	for (size_t i = 0; n && i < m->n_ports; i++)
		m->ports[i]->link.stale = true;
}

static void seq_reset(struct manager *m)
{
	m->seq_next = 0;
	m->seq_seen = 0;
}

/* Returns the number of events found lost. Bit i of seq_seen: seq_next + i. */
static uint64_t seq_track(struct manager *m, uint64_t seq)
{
	uint64_t lost = 0;

	if (!seq)
		return 0;
	if (!m->seq_next || seq + SEQ_RESTART < m->seq_next) {
		/* The first one, or the driver was reloaded (from 1 again). */
		m->seq_next = seq + 1;
		m->seq_seen = 0;
		return 0;
	}
	if (seq < m->seq_next)
		return 0; /* late, or a duplicate: handled all the same */
	while (seq - m->seq_next >= SEQ_WINDOW) {
		/* The window slides past seq_next: never received, lost. */
		if (!m->seq_seen && seq - m->seq_next > SEQ_WINDOW) {
			lost += seq - (SEQ_WINDOW - 1) - m->seq_next;
			m->seq_next = seq - (SEQ_WINDOW - 1);
			break;
		}
		if (!(m->seq_seen & 1))
			lost++;
		m->seq_seen >>= 1;
		m->seq_next++;
	}
	m->seq_seen |= 1ull << (seq - m->seq_next);
	while (m->seq_seen & 1) {
		m->seq_seen >>= 1;
		m->seq_next++;
	}
	return lost;
}

/*
 * A poll cycle starts: it rescans every port, so holes still open are
 * counted lost and forgotten (should one arrive after all, it is handled
 * like any event).
 */
static void seq_settle(struct manager *m)
{
	uint64_t n;

	if (!m->seq_seen)
		return;
	n = 64 - __builtin_clzll(m->seq_seen); /* highest received + 1 */
	events_lost(m, n - __builtin_popcountll(m->seq_seen));
	m->seq_next += n;
	m->seq_seen = 0;
}

static void port_event(struct manager *m, struct port *p,
		       const struct optic_nl_event *ev);

/*
 * From a driver without event numbers, a FLAG event for a port a reader is
 * reading now may be that read's echo: it waits for the read's bytes
 * (port_flag_news() tells echo from news with them). A read still queued
 * cannot have caused it, so its port's events go at once. A port holds a
 * few at most; more are lost, and its next poll reads what they said.
 */
#define DEFERRED_MAX 16

static void event_defer(struct manager *m, struct port *p,
			const struct optic_nl_event *ev)
{
	struct optic_nl_event *evs = NULL;

	/* Full, or no memory: lost, and the port is polled again. */
	if (p->n_deferred < DEFERRED_MAX)
		evs = reallocarray(p->deferred, p->n_deferred + 1,
				   sizeof(*evs));
	if (!evs) {
		m->events_lost++;
		p->link.stale = true;
		kick_port(m, p);
		return;
	}
	p->deferred = evs;
	p->deferred[p->n_deferred++] = *ev;
	m->ports_deferring += p->n_deferred == 1;
}

void manager_port_events(struct manager *m, struct port *p)
{
	_cleanup_free_ struct optic_nl_event *evs = TAKE_PTR(p->deferred);
	size_t n = p->n_deferred;

	if (!n)
		return;
	p->n_deferred = 0;
	m->ports_deferring--;
	for (size_t i = 0; i < n; i++)
		port_event(m, p, &evs[i]);
}

/* The events that waited for reads now done. */
static void events_undefer(struct manager *m)
{
	for (size_t i = 0; m->ports_deferring && i < m->n_ports; i++)
		if (!manager_port_read_running(m, m->ports[i]))
			manager_port_events(m, m->ports[i]);
}

void manager_event(struct manager *m, const struct optic_nl_event *ev)
{
	struct port *p;
	uint64_t lost;

	if (ev->type <= OPTIC_EVENT_FLAG)
		m->events[ev->type]++;
	lost = seq_track(m, ev->seq);
	if (lost) {
		events_lost(m, lost);
		log_event(LOG_WARNING, 0, NULL, -1, NULL, MSGID_DRIVER,
			  "%" PRIu64 " driver events lost, rescanning", lost);
		poll_soon(m);
	}
	p = manager_port(m, ev->name, ev->type == OPTIC_EVENT_INSERTED);
	if (!p)
		return;
	/*
	 * In order: behind the port's events already waiting. A numbered
	 * FLAG event is judged at once against the last read done (the
	 * numbers tell whether that read holds it; the running read finds
	 * the bits counted). From a driver without numbers, the running
	 * read's bytes tell its echo from news: it waits for them.
	 */
	if (p->n_deferred || (ev->type == OPTIC_EVENT_FLAG && !ev->seq &&
			      manager_port_read_running(m, p))) {
		event_defer(m, p, ev);
		return;
	}
	port_event(m, p, ev);
}

static void port_event(struct manager *m, struct port *p,
		       const struct optic_nl_event *ev)
{
	uint64_t now = now_boottime_ns();
	bool news;

	/* A driver that predates the time, or a clock gone back: none. */
	if (ev->type == OPTIC_EVENT_FLAG && ev->boottime_ns &&
	    ev->boottime_ns <= now)
		histogram_add(&m->flag_delay, (now - ev->boottime_ns) / 1e9);
	port_touch(p);
	/* A flag's news first: it does not wait for the record read. */
	news = ev->type == OPTIC_EVENT_FLAG && flag_event(m, p, ev);
	port_link_event(m, p, ev);
	/* Each polls the port at once, so IntL cuts the alert latency. */
	switch (ev->type) {
	case OPTIC_EVENT_INSERTED:
		/* Logged when read, or from the event if it goes first. */
		port_insert_event(m, p, ev);
		break;
	case OPTIC_EVENT_REMOVED:
		/* Logged now: it may be back before the poll. */
		port_removed(m, p);
		if (!p->present)
			p->info.present = false;
		break;
	case OPTIC_EVENT_MODULE_STATE:
		/* After a reset or a recovery: the module's own default again? */
		port_app_due(p, false);
		p->info.state = ev->new_state;
		manager_port_state(m, p, ev->new_state, now_realtime());
		/* fall through */
	case OPTIC_EVENT_DATAPATH_STATE:
		/* A lane going down latches flags that are no news. */
		if (ev->type == OPTIC_EVENT_DATAPATH_STATE && ev->lane >= 0 &&
		    ev->lane < OPTICD_MAX_LANES &&
		    ev->new_state != DP_ACTIVATED)
			p->flag_lanes &= ~(1u << ev->lane);
		/* What the module advertises and its lane setup may be new. */
		p->fresh = true;
		break;
	case OPTIC_EVENT_FLAG:
		/*
		 * Counted now, the values read by a poll. A flag polls the
		 * port at once once per cycle: a noisy monitor latching at
		 * every read would otherwise poll its port without end; the
		 * cycle polls it next.
		 */
		if (!news || p->flag_kick_cycle == m->cycles)
			return;
		p->flag_kick_cycle = m->cycles;
		break;
	default:
		return;
	}
	kick_port(m, p);
}

static void on_nl(enum nlmon_kind kind, const struct optic_nl_event *ev,
		  void *arg)
{
	struct manager *m = arg;

	switch (kind) {
	case NLMON_FAMILY_NEW:
		manager_connect(m);
		return;
	case NLMON_FAMILY_DEL:
		manager_disconnect(m, -ENOENT);
		return;
	case NLMON_OVERRUN:
		/* The next sequence number tells nothing more: start over. */
		events_lost(m, 1);
		seq_reset(m);
		poll_soon(m);
		return;
	case NLMON_EVENT:
		manager_event(m, ev);
		return;
	}
}

static int on_mon_io(sd_event_source *s, int fd, uint32_t revents,
		     void *userdata)
{
	struct manager *m = userdata;
	int r = nlmon_dispatch(m->mon);

	if (r < 0) {
		m->netlink_errors++;
		log_event(LOG_WARNING, r, NULL, -1, NULL, NULL,
			  "reading netlink notifications failed");
	}
	return 0;
}

/* Signals and reload --------------------------------------------------- */

int manager_reload(struct manager *m)
{
	_cleanup_free_ char *err = NULL;
	struct config *c = NULL, *old;
	int r;

	if (!m->no_notify)
		sd_notify(0, "RELOADING=1\nSTATUS=Reloading configuration");
	r = config_load(m->config_path, &c, &err);
	if (r == -ENOENT && streq(m->config_path, OPTICD_CONFIG_PATH))
		r = config_new_default(&c);
	if (r < 0) {
		m->reloads_failed++;
		log_event(LOG_ERR, 0, NULL, -1, NULL, MSGID_CONFIG,
			  "configuration refused, keeping the old one: %s",
			  err ? err : strerror(-r));
		goto out;
	}
	old = m->cfg;
	m->cfg = c;
	r = metrics_reconfigure(m, old);
	if (r >= 0)
		r = status_reconfigure(m, old);
	if (r < 0) {
		/* Listening sockets are part of the config: all or nothing. */
		m->cfg = old;
		metrics_reconfigure(m, c);
		status_reconfigure(m, c);
		config_free(c);
		m->reloads_failed++;
		log_event(LOG_ERR, r, NULL, -1, NULL, MSGID_CONFIG,
			  "configuration refused, keeping the old one");
		goto out;
	}
	config_free(old);
	for (size_t i = 0; i < m->n_ports; i++) {
		manager_port_configure(m, m->ports[i]);
		port_app_due(m->ports[i], true);
	}
	m->reloads_ok++;
	log_event(LOG_NOTICE, 0, NULL, -1, NULL, MSGID_CONFIG,
		  "configuration reloaded from %s", m->config_path);
	manager_power(m, now_realtime());
	r = 0;
out:
	if (!m->no_notify)
		sd_notify(0, "READY=1");
	manager_notify_status(m);
	return r;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si,
		     void *userdata)
{
	struct manager *m = userdata;

	if (si->ssi_signo == SIGHUP) {
		manager_reload(m);
		return 0;
	}
	if (!m->no_notify)
		sd_notify(0, "STOPPING=1\nSTATUS=Shutting down");
	return sd_event_exit(m->event, 0);
}

/* Life cycle ------------------------------------------------------------ */

int manager_new(struct manager **out, const char *config_path,
		struct config *cfg)
{
	_cleanup_(manager_freep) struct manager *m = calloc(1, sizeof(*m));
	int r;

	if (!m)
		return -ENOMEM;
	m->config_path = strdup(config_path);
	if (!m->config_path)
		return -ENOMEM;
	r = sd_event_new(&m->event);
	if (r < 0)
		return r;
	m->ops = &default_ops;
	m->cycles = 1;
	m->start_ns = now_realtime_ns();
	m->start_time = m->start_ns / 1000000000u;
	m->cfg = cfg;
	*out = TAKE_PTR(m);
	return 0;
}

void manager_free(struct manager *m)
{
	if (!m)
		return;
	metrics_stop(m);
	status_stop(m);
	manager_apps_free(m);
	sd_event_source_unref(m->mon_source);
	sd_event_source_unref(m->poll_timer);
	sd_event_source_unref(m->poll_slice);
	sd_event_source_unref(m->kick_timer);
	manager_poll_end(m);
	readers_stop(m);
	optic_bus_list_free(m->buses, m->n_buses);
	sd_event_source_unref(m->retry_timer);
	sd_event_source_unref(m->predict_timer);
	sd_event_source_unref(m->textfile_timer);
	nlmon_close(m->mon);
	optic_nl_close(m->nl);
	for (size_t i = 0; i < m->n_ports; i++)
		manager_port_free(m->ports[i]);
	free(m->ports);
	free(m->port_slots);
	config_free(m->cfg);
	free(m->config_path);
	sd_event_unref(m->event);
	free(m);
}

int manager_start(struct manager *m)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	sigset_t mask;
	int r;

	sigemptyset(&mask);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaddset(&mask, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return log_errno(errno, "failed to block signals");
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		r = sd_event_add_signal(m->event, NULL, sigs[i], on_signal, m);
		if (r < 0)
			return log_errno(r, "failed to add a signal handler");
	}
	r = sd_event_set_watchdog(m->event, true);
	if (r < 0)
		return log_errno(r, "failed to set up the watchdog");

	r = metrics_start(m);
	if (r < 0)
		return r;
	r = status_start(m);
	if (r < 0)
		return r;

	r = nlmon_open(&m->mon, on_nl, m);
	if (r < 0)
		return log_errno(r, "failed to open a netlink socket");
	r = sd_event_add_io(m->event, &m->mon_source, nlmon_fd(m->mon), EPOLLIN,
			    on_mon_io, m);
	if (r < 0)
		return log_errno(r, "failed to watch the netlink socket");

	log_event(LOG_INFO, 0, NULL, -1, NULL, MSGID_STARTED,
		  "opticd %s started (config %s, metrics %s)", OPTIC_VERSION,
		  m->config_path,
		  *m->cfg->metrics_listen ? m->cfg->metrics_listen : "off");
	r = sd_event_add_defer(m->event, &m->poll_slice, on_slice, m);
	if (r >= 0)
		r = sd_event_source_set_enabled(m->poll_slice, SD_EVENT_OFF);
	if (r >= 0)
		r = arm_timer(m, &m->poll_timer,
			      m->cfg->poll_interval_ms * 1000ULL, on_poll);
	if (r >= 0)
		r = arm_timer(m, &m->predict_timer,
			      m->cfg->predict_interval * USEC_PER_SEC,
			      on_predict);
	if (r >= 0)
		r = arm_timer(m, &m->textfile_timer, USEC_PER_SEC, on_textfile);
	if (r < 0)
		return log_errno(r, "failed to arm timers");
	/* Connected, it polls at once. */
	return manager_connect(m);
}

int manager_run(struct manager *m)
{
	return sd_event_loop(m->event);
}
