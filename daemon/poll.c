// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Polling. A cycle is one MODULE_GET dump (presence, identity, state), then
 * one port per event loop dispatch (manager.c), so that scrapes and events
 * are served between ports; an event for a port polls it on its own, with
 * a MODULE_GET of that port. The whole image (liboptic's optic_image_fetch)
 * is read at insertion and again after a module or data-path state change;
 * a poll reads only the byte ranges of poll_ranges(), through the readers
 * (readers.h) when opticd runs them: the cycle's ports are read in parallel
 * and taken as their reads are done. The liboptic decoder turns the image
 * into values; this file maps them to a struct sample.
 */
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "application.h"
#include "log.h"
#include "manager.h"
#include "nlmon.h"
#include "readers.h"
#include "util.h"

/*
 * CMIS 5.2 Table 8-45 (page 01h byte 167 bits 7-4, MaxDurationModulePwrUp)
 * encodes a range; opticd waits for its upper bound, in whole seconds.
 * liboptic does not decode this byte, so it is read from the image.
 */
static unsigned int cmis_ready_time(const struct optic_image *img)
{
	static const unsigned int upper_s[16] = {
		1, 1, 1, 1, 1, 1, 1, 5, 10, 50, 100, 500, 1000, 5000, 10000, 0,
	};
	int b = optic_image_byte(img, OPTIC_ADDR_A0, 0x01, 0, 167);

	return b < 0 ? 0 : upper_s[(b >> 4) & 0x0f];
}

struct reader_ctx {
	struct manager *m;
	struct port *p;
};

static int nl_reader(void *ctx, uint8_t addr, uint8_t page, uint8_t bank,
		     uint16_t off, uint16_t len, uint8_t *buf)
{
	struct reader_ctx *rc = ctx;

	return optic_nl_eeprom_read(rc->m->nl, rc->p->name, addr, page, bank,
				    off, len, buf);
}

static void firmware_from_model(struct port *p)
{
	const struct optic_value *v =
		optic_model_get(&p->model, "firmware_version", NULL, -1);

	snprintf(p->firmware, sizeof(p->firmware), "%s",
		 v && v->kind == OPTIC_V_STR ? optic_value_str(&p->model, v) :
					       "");
}

static int decode(struct port *p)
{
	optic_model_free(&p->model);
	return optic_decode(&p->img, &p->model);
}

int port_refresh_statics(struct manager *m, struct port *p)
{
	struct reader_ctx rc = { m, p };
	int r;

	optic_image_clear(&p->img);
	r = optic_image_fetch(&p->img, nl_reader, &rc);
	if (r < 0)
		return r;
	r = decode(p);
	if (r < 0) {
		p->nslots = 0; /* they would index what the decode left */
		return r;
	}
	p->fresh = false;
	m->decoded = true;
	thresholds_from_model(&p->model, p->mod_thr);
	p->max_power = max_power_from_model(&p->model);
	p->ready_time =
		p->info.spec == OPTIC_SPEC_CMIS ? cmis_ready_time(&p->img) : 0;
	firmware_from_model(p);
	p->lanes = MIN(p->model.lanes ? p->model.lanes : p->info.lane_count,
		       OPTICD_MAX_LANES);
	manager_port_configure(m, p); /* and its metrics */
	return port_plan(p);
}

static void poll_read_drop(struct manager *m, struct port *p)
{
	if (!p || !p->pr)
		return;
	readers_drop(m->readers, p->pr);
	p->pr = NULL;
	if (p->kick_read) {
		p->kick_read = false;
		m->kick_reads--;
	}
}

bool manager_port_reading(struct manager *m, const struct port *p)
{
	return p->pr && !readers_done(m->readers, p->pr);
}

bool manager_port_read_running(struct manager *m, const struct port *p)
{
	return p->pr && readers_running(m->readers, p->pr);
}

/* @p's read by the readers, done, of the ranges @rg; else NULL. */
static const struct poll_read *poll_read_taken(struct manager *m,
					       const struct port *p,
					       const struct poll_range *rg,
					       size_t n)
{
	const struct poll_read *pr = p->pr;

	if (!pr || !readers_done(m->readers, pr) || pr->n != n ||
	    memcmp(pr->rg, rg, n * sizeof(*rg)))
		return NULL;
	return pr;
}

/* The poll's @n ranges @rg read now by the event loop, into @now. */
static const struct poll_read *read_now(struct manager *m,
					const struct port *p,
					const struct poll_range *rg, size_t n,
					struct poll_read *now)
{
	snprintf(now->port, sizeof(now->port), "%s", p->name);
	memcpy(now->rg, rg, n * sizeof(*rg));
	now->n = n;
	poll_read_now(&readers_netlink, m->nl, now);
	return now;
}

/* Re-read what changes between two polls into the image and the values. */
static int read_dynamic(struct manager *m, struct port *p)
{
	struct poll_range rg[POLL_RANGES_MAX];
	struct poll_changes ch = { 0 };
	struct poll_read now;
	const struct poll_read *pr;
	size_t n;
	int r = 0;

	/* The ranges stored, with the event numbers they were read at. */
	p->n_seq = 0;
	if (p->fresh) {
		poll_read_drop(m, p);
		return port_refresh_statics(m, p);
	}
	n = poll_ranges(p, rg);
	pr = poll_read_taken(m, p, rg, n) ?: read_now(m, p, rg, n, &now);
	for (size_t i = 0; i < n && r >= 0; i++) {
		r = pr->len[i];
		p->seq[i] = pr->seq;
		if (r >= 0)
			r = poll_store(p, &rg[i], i, pr->buf[i], r, &ch);
		if (r >= 0)
			p->seq_rg[p->n_seq++] = rg[i];
	}
	poll_read_drop(m, p);
	/*
	 * What was stored is decoded even when a later range failed: the
	 * next poll compares with the image, it would not see it change.
	 */
	poll_update(p, &ch);
	return r < 0 ? r : 0;
}

/*
 * The driver's view of @p's module. Its metrics show the identity, state
 * and lines, not the temperature and flags the driver tracks: those move at
 * every poll, and re-rendering every port's block for them would make each
 * scrape render everything.
 */
static void port_set_info(struct port *p, const struct optic_module_info *info)
{
	if (memcmp(&p->info, info,
		   offsetof(struct optic_module_info, temperature)) ||
	    memcmp(p->info.lines, info->lines, sizeof(info->lines)))
		port_touch(p);
	p->info = *info;
}

/* Log the insertion an INSERTED event announced, from the event alone. */
static void insertion_from_event(struct manager *m, struct port *p)
{
	const struct optic_nl_event *ev = &p->ins_ev;
	bool same = streq(p->info.vendor_sn, ev->vendor_sn) &&
		    streq(p->info.vendor_pn, ev->vendor_pn) && p->insertions;

	if (!p->ins_pending)
		return;
	p->ins_pending = false;
	p->ins_logged = true;
	p->insertions++;
	port_touch(p);
	if (!same) {
		/* Its history and policy states start afresh when it is read. */
		p->ins_reset = true;
		snprintf(p->info.vendor_name, sizeof(p->info.vendor_name), "%s",
			 ev->vendor_name);
		snprintf(p->info.vendor_pn, sizeof(p->info.vendor_pn), "%s",
			 ev->vendor_pn);
		snprintf(p->info.vendor_sn, sizeof(p->info.vendor_sn), "%s",
			 ev->vendor_sn);
	}
	log_event(LOG_NOTICE, 0, p->name, -1, NULL, MSGID_MODULE,
		  "module %s: %s %s SN %s, %u lanes (from the driver's event)",
		  same ? "back" : "inserted", ev->vendor_name, ev->vendor_pn,
		  ev->vendor_sn, ev->lane_count);
}

void port_removed(struct manager *m, struct port *p)
{
	bool was = p->present || p->ins_logged;

	/* Announced by an event, gone before a poll read it: both logged. */
	if (p->ins_pending) {
		insertion_from_event(m, p);
		was = true;
	}
	p->ins_logged = false;
	p->flag_lanes = 0;
	if (!was)
		return;
	port_touch(p);
	p->present = false;
	p->lpmode_ours = false;
	p->txdis_ours = 0;
	p->power_held = false;
	log_event(LOG_NOTICE, 0, p->name, -1, NULL, MSGID_MODULE,
		  "module removed");
}

void port_insert_event(struct manager *m, struct port *p,
		       const struct optic_nl_event *ev)
{
	const uint64_t ident = OPTIC_ATTR(OPTIC_A_VENDOR_SN) |
			       OPTIC_ATTR(OPTIC_A_VENDOR_PN);

	if ((ev->attrs & ident) != ident)
		return; /* no identity: the poll finds it */
	if (p->present || p->ins_logged) {
		const char *sn = p->present ? p->info.vendor_sn :
					      p->ins_ev.vendor_sn;
		const char *pn = p->present ? p->info.vendor_pn :
					      p->ins_ev.vendor_pn;

		/* The module opticd knows, identified again: no news. */
		if (streq(sn, ev->vendor_sn) && streq(pn, ev->vendor_pn))
			return;
		/* Another one without a REMOVED between: that was lost. */
		port_removed(m, p);
	} else if (p->ins_pending) {
		/* Two insertions, no removal between: log the first one. */
		insertion_from_event(m, p);
		port_removed(m, p);
	}
	p->ins_ev = *ev;
	p->ins_pending = true;
}

/* Another module: a history sized for its lanes, with the current spec. */
static void port_history_new(struct manager *m, struct port *p)
{
	unsigned int lanes = MAX(p->lanes, 1u);
	struct history *h;

	if (history_new(&h, &m->cfg->history, lanes) < 0) {
		history_clear(p->hist);
		return;
	}
	history_free(p->hist);
	p->hist = h;
	p->hist_bytes = history_memory(&m->cfg->history, lanes);
}

static void port_inserted(struct manager *m, struct port *p,
			  const struct optic_module_info *info)
{
	bool same = streq(p->info.vendor_sn, info->vendor_sn) &&
		    streq(p->info.vendor_pn, info->vendor_pn) && p->insertions;
	/* The event's module, already logged, or to be logged now. */
	bool announced = (p->ins_pending || p->ins_logged) &&
			 streq(p->ins_ev.vendor_sn, info->vendor_sn) &&
			 streq(p->ins_ev.vendor_pn, info->vendor_pn);
	char power[32] = "unknown";
	int r;

	if (!announced && (p->ins_pending || p->ins_logged)) {
		/* The event's module came and went before a poll saw it. */
		port_removed(m, p);
		same = streq(p->info.vendor_sn, info->vendor_sn) &&
		       streq(p->info.vendor_pn, info->vendor_pn) &&
		       p->insertions;
	}
	port_set_info(p, info);
	p->present = true;
	r = port_refresh_statics(m, p);
	if (r < 0) {
		p->present = false;
		/* The driver said a module came: say so, then what failed. */
		if (announced)
			insertion_from_event(m, p);
		if (!p->read_failing)
			log_event(LOG_WARNING, r, p->name, -1, NULL,
				  MSGID_MODULE,
				  "failed to read the module's static data");
		p->read_failing = true;
		p->poll_errors++;
		port_touch(p);
		return;
	}
	p->read_failing = false;
	p->flag_lanes = 0;
	/* Logged from its event already (and counted then). */
	if (!announced || !p->ins_logged)
		p->insertions++;
	if (!same || p->ins_reset) {
		/* Another module: its history and states start afresh. */
		port_history_new(m, p);
		port_reset_policies(p);
	}
	p->ins_reset = false;
	port_app_due(p, true);
	manager_port_reassert(m, p);
	if (announced && p->ins_logged) {
		p->ins_logged = false;
		return;
	}
	p->ins_pending = false;
	if (!isnan(p->max_power))
		snprintf(power, sizeof(power), "%.2f W", p->max_power);
	log_event(LOG_NOTICE, 0, p->name, -1, NULL, MSGID_MODULE,
		  "module %s: %s %s SN %s, %u lanes, max power %s",
		  same ? "back" : "inserted", info->vendor_name,
		  info->vendor_pn, info->vendor_sn, p->lanes, power);
}

bool poll_driver_gone(int r)
{
	return r == -ENOENT || r == -ENODEV || r == -ECONNREFUSED ||
	       r == -EPROTONOSUPPORT || r == -EOPNOTSUPP || r == -EBADF ||
	       r == -ENOTCONN;
}

void port_poll_values(struct manager *m, struct port *p,
		      const struct poll_values *pv, uint64_t now)
{
	uint32_t active;
	struct mon_flags mf = pv->mf;
	struct sample s = pv->s;

	s.t = (uint32_t)now;
	/*
	 * Lane monitors mean something only on a live data path: a module
	 * in low power or a lane being set up reads zero, which is no alarm
	 * and no trend. Those values are left out (NaN).
	 */
	active = p->info.state == OPTIC_STATE_READY ? poll_values_active(pv) :
						      0;
	for (unsigned int l = 0; l < OPTICD_MAX_LANES; l++) {
		if (active & (1u << l))
			continue;
		s.tx_power[l] = s.rx_power[l] = s.tx_bias[l] = NAN;
	}
	for (int k = 0; k < _FLAP_KIND_MAX; k++)
		manager_port_flags(m, p, k, pv->flags[k], now);
	/*
	 * Latched alarm/warning flags report what happened since the last
	 * poll, however short. Lane ones count on a lane live then and now:
	 * a lane coming up or going down latches its low flags on the way.
	 */
	for (unsigned int l = 0; l < OPTICD_MAX_LANES; l++) {
		if (active & p->flag_lanes & (1u << l))
			continue;
		mf.f[MON_TX_POWER][l] = mf.f[MON_RX_POWER][l] =
			mf.f[MON_TX_BIAS][l] = 0;
	}
	p->flag_lanes = active;
	manager_port_mon_flags(m, p, &mf);
	manager_port_state(m, p, p->info.state, now);
	manager_port_sample(m, p, &s, now);
	manager_port_application(m, p);
}

void port_poll_model(struct manager *m, struct port *p,
		     const struct optic_model *model, uint64_t now)
{
	struct poll_values pv;

	poll_values_from_model(model, &pv);
	port_poll_values(m, p, &pv, now);
}

static void poll_port(struct manager *m, struct port *p, uint64_t now)
{
	int r;

	r = read_dynamic(m, p);
	/* A module pulled while it was being read is a removal, not an error. */
	if (r == -ENXIO && optic_nl_cage_empty(m->nl, p->name)) {
		port_removed(m, p);
		return;
	}
	if (r < 0) {
		p->poll_errors++;
		port_touch(p);
		if (!p->read_failing)
			log_event(LOG_WARNING, r, p->name, -1, NULL,
				  MSGID_MODULE,
				  "reading the module's monitors failed");
		p->read_failing = true;
		return;
	}
	if (p->read_failing)
		log_event(LOG_NOTICE, 0, p->name, -1, NULL, MSGID_MODULE,
			  "reading the module's monitors works again");
	p->read_failing = false;
	port_poll_values(m, p, &p->pv, now);
}

/* Handle the driver events already queued (before acting on a poll). */
static void drain_events(struct manager *m)
{
	int r;

	if (!m->mon || !m->driver_up)
		return;
	r = nlmon_dispatch(m->mon);
	if (r < 0)
		m->netlink_errors++;
}

/* Follow what MODULE_GET says of @p, then poll its monitors. */
static void port_update(struct manager *m, struct port *p,
			const struct optic_module_info *info, bool dumped)
{
	uint64_t now = now_realtime();

	p->polled = now_monotonic();
	port_link_poll(m, p);
	if (info->present != p->present ||
	    (info->present && (!streq(p->info.vendor_sn, info->vendor_sn) ||
			       !streq(p->info.vendor_pn, info->vendor_pn)))) {
		/*
		 * A plug or a pull: the driver queued its events before it
		 * answered. Those come first (they carry what happened in
		 * between: a module pulled and plugged back, another one);
		 * this answer then only confirms or completes them.
		 */
		drain_events(m);
		/* An event for it: @info of the cycle's dump is older. */
		if (!m->driver_up || (dumped && p->kicked))
			return;
	}
	if (!info->present) {
		/* Keep the identity: the same module may come back. */
		port_removed(m, p);
		p->info.present = false;
		p->info.state = info->state;
		return;
	}
	if (!p->present || !streq(p->info.vendor_sn, info->vendor_sn) ||
	    !streq(p->info.vendor_pn, info->vendor_pn)) {
		/* Swapped between two polls: the other one was removed. */
		if (p->present)
			port_removed(m, p);
		port_inserted(m, p, info);
		if (!p->present)
			return;
		/*
		 * That read the whole image, the latched flags with it (the
		 * read cleared them): this poll is that image, not another
		 * read that would find them cleared.
		 */
		port_set_info(p, info);
		port_poll_values(m, p, &p->pv, now);
		return;
	} else if (info->state != p->info.state) {
		/* Also without events (no monitor group): re-read the rest. */
		p->fresh = true;
		port_app_due(p, false);
	}
	port_set_info(p, info);
	poll_port(m, p, now);
}

/*
 * A whole image's decode allocates far more than the model port_plan()
 * keeps: after a cycle that decoded some (at start, 512 of them), the
 * freed pages go back to the system, not kept as the heap's (RSS).
 */
static void poll_trim(struct manager *m)
{
	if (!m->decoded)
		return;
	m->decoded = false;
	malloc_trim(0);
}

/*
 * malloc's bytes in use once a cycle is done (optic_daemon_heap_bytes):
 * what a leak raises, unlike RSS, which also holds the heap's free pages
 * until they are trimmed.
 */
static void poll_heap(struct manager *m)
{
	struct mallinfo2 mi = mallinfo2();

	m->heap_bytes = mi.uordblks + mi.hblkhd;
}

static void poll_done(struct manager *m)
{
	size_t n = 0;

	poll_trim(m);
	poll_heap(m);
	manager_power(m, now_realtime());
	for (size_t i = 0; i < m->n_ports; i++)
		n += m->ports[i]->present;
	if (n != m->notified_present)
		manager_notify_status(m);
}

/*
 * The root buses with their counters, once a cycle (one BUS_GET dump). A
 * driver without BUS_GET (before the scheduler) leaves the list empty.
 */
static void poll_buses(struct manager *m)
{
	struct optic_bus_info *buses = NULL;
	size_t n = 0;
	int r;

	if (!m->nl)
		return;
	r = optic_nl_bus_list(m->nl, &buses, &n);
	if (r < 0) {
		if (r != -EOPNOTSUPP && r != -EINVAL)
			m->netlink_errors++;
		return;
	}
	optic_bus_list_free(m->buses, m->n_buses);
	m->buses = buses;
	m->n_buses = n;
}

/*
 * A port the dump shows as the same module in the same state, its statics
 * read: its poll reads poll_ranges() alone, which the readers can do now.
 */
static bool can_read_ahead(const struct port *p,
			   const struct optic_module_info *info)
{
	return p && !p->pr && p->present && !p->fresh && info->present &&
	       info->state == p->info.state &&
	       streq(p->info.vendor_sn, info->vendor_sn) &&
	       streq(p->info.vendor_pn, info->vendor_pn);
}

bool manager_kick_read(struct manager *m, struct port *p)
{
	struct poll_range rg[POLL_RANGES_MAX];

	if (!m->readers || !can_read_ahead(p, &p->info))
		return false;
	p->pr = readers_submit(m->readers, p->name, p->info.bus_root, rg,
			       poll_ranges(p, rg));
	if (!p->pr)
		return false;
	p->kick_read = true;
	m->kick_reads++;
	return true;
}

void manager_kick_reads_done(struct manager *m)
{
	for (size_t i = 0; m->kick_reads && i < m->n_ports; i++) {
		struct port *p = m->ports[i];
		struct optic_module_info info = p->info;

		if (!p->kick_read || manager_port_reading(m, p))
			continue;
		/* What the driver said of it last: an event's poll, no dump. */
		port_update(m, p, &info, false);
		poll_read_drop(m, p);
	}
}

/* Hand the cycle's ports to the readers, in turns across root buses. */
static void read_ahead(struct manager *m)
{
	_cleanup_free_ uint32_t *roots = NULL;
	_cleanup_free_ size_t *order = NULL;
	struct poll_range rg[POLL_RANGES_MAX];

	if (!m->readers || !m->cycle_n)
		return;
	roots = calloc(m->cycle_n, sizeof(*roots));
	order = calloc(m->cycle_n, sizeof(*order));
	if (!roots || !order)
		return; /* the loop reads them */
	for (size_t i = 0; i < m->cycle_n; i++)
		roots[i] = m->cycle[i].bus_root;
	if (readers_bus_turns(roots, m->cycle_n, order) < 0)
		return;
	readers_hold(m->readers);
	for (size_t k = 0; k < m->cycle_n; k++) {
		const struct optic_module_info *info = &m->cycle[order[k]];
		struct port *p = manager_port(m, info->name, false);

		if (!can_read_ahead(p, info))
			continue;
		p->pr = readers_submit(m->readers, p->name, info->bus_root, rg,
				       poll_ranges(p, rg));
	}
	readers_go(m->readers);
}

/* The cycle's dump is in (@r its outcome): the ports it names, read ahead. */
static int poll_begin(struct manager *m, int r, struct optic_module_info *mods,
		      size_t n)
{
	if (r < 0) {
		free(mods);
		m->netlink_errors++;
		if (!poll_driver_gone(r))
			log_event(LOG_WARNING, r, NULL, -1, NULL, NULL,
				  "listing modules failed");
		return r;
	}
	for (size_t i = 0; i < m->n_ports; i++)
		m->ports[i]->dumped = false;
	for (size_t i = 0; i < n; i++) {
		struct port *p = manager_port(m, mods[i].name, true);

		if (!p) {
			free(mods);
			return log_errno(-ENOMEM, "out of memory");
		}
		p->dumped = true;
	}
	for (size_t i = 0; i < m->n_ports; i++) {
		struct port *p = m->ports[i];

		port_set_known(p, p->dumped);
		if (!p->known)
			port_removed(m, p);
	}
	m->cycle = mods;
	m->cycle_n = n;
	m->cycle_next = 0;
	poll_buses(m);
	read_ahead(m);
	return 1;
}

int manager_poll_start(struct manager *m)
{
	struct optic_module_info *mods = NULL;
	size_t n = 0;
	int r;

	manager_poll_end(m);
	if (!m->driver_up)
		return 0;
	m->cycle_start = now_monotonic();
	m->cycles++;
	/* A reader dumps: the loop serves events meanwhile (readers.h). */
	if (m->readers && (m->cycle_list = readers_submit_list(m->readers)))
		return 1;
	r = optic_nl_module_list(m->nl, &mods, &n);
	return poll_begin(m, r, mods, n);
}

/*
 * The reader's dump, once done: the cycle begins. False while it runs;
 * *@r < 0 when it failed.
 */
static bool poll_list_taken(struct manager *m, int *r)
{
	struct poll_read *pr = m->cycle_list;

	*r = 0;
	if (!readers_done(m->readers, pr))
		return false;
	m->cycle_list = NULL;
	*r = poll_begin(m, pr->list_ret, TAKE_PTR(pr->mods), pr->n_mods);
	readers_drop(m->readers, pr);
	return true;
}

/* How far past the next port the cycle looks for a read done. */
#define CYCLE_LOOK_AHEAD 64

bool manager_cycle_pick(struct manager *m)
{
	size_t end = MIN(m->cycle_n, m->cycle_next + CYCLE_LOOK_AHEAD);

	for (size_t j = m->cycle_next; j < end; j++) {
		struct optic_module_info t;
		struct port *p = manager_port(m, m->cycle[j].name, false);

		if (p && manager_port_reading(m, p))
			continue;
		t = m->cycle[j];
		m->cycle[j] = m->cycle[m->cycle_next];
		m->cycle[m->cycle_next] = t;
		return true;
	}
	return false;
}

bool manager_poll_step(struct manager *m)
{
	int r;

	if (m->cycle_list) {
		if (!poll_list_taken(m, &r)) {
			m->poll_waiting = true;
			return true;
		}
		if (r < 0 && poll_driver_gone(r))
			manager_disconnect(m, r);
	}
	while (m->driver_up && m->cycle_next < m->cycle_n) {
		const struct optic_module_info *info;
		struct port *p;

		if (!manager_cycle_pick(m)) {
			m->poll_waiting = true;
			return true;
		}
		info = &m->cycle[m->cycle_next++];
		p = manager_port(m, info->name, false);
		/* Polled since the dump: its answer is newer. */
		if (!p || p->polled >= m->cycle_start) {
			poll_read_drop(m, p);
			continue;
		}
		/* Its events before its read is taken: they were first. */
		manager_port_events(m, p);
		if (p->kicked) {
			/* An event since the dump: ask again, for both. */
			p->kicked = false;
			manager_poll_port(m, p);
		} else {
			port_update(m, p, info, true);
		}
		/* Not taken (the module changed): the next cycle reads again. */
		poll_read_drop(m, p);
		if (m->cycle_next < m->cycle_n)
			return true;
	}
	if (m->driver_up)
		poll_done(m);
	return false;
}

void manager_poll_end(struct manager *m)
{
	if (m->cycle_list) {
		readers_drop(m->readers, m->cycle_list);
		m->cycle_list = NULL;
	}
	for (size_t i = 0; i < m->n_ports; i++)
		poll_read_drop(m, m->ports[i]);
	m->poll_waiting = false;
	free(m->cycle);
	m->cycle = NULL;
	m->cycle_n = m->cycle_next = 0;
}

void manager_poll_port(struct manager *m, struct port *p)
{
	struct optic_module_info info;

	bool was = p->present;
	int r;

	if (!m->driver_up)
		return;
	p->polled = now_monotonic();
	r = optic_nl_module_get(m->nl, p->name, &info);
	if (r == -ENODEV) {
		/* The port itself is gone (the driver unbound it). */
		port_set_known(p, false);
		port_removed(m, p);
	} else if (r < 0) {
		m->netlink_errors++;
	} else {
		port_set_known(p, true);
		port_update(m, p, &info, false);
	}
	if (p->present != was)
		poll_done(m);
}
