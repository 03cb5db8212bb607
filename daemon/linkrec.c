// SPDX-License-Identifier: GPL-2.0-or-later
/* Link-affecting flight recorder records: journal, last per lane (linkrec.h). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "linkrec.h"
#include "manager.h"
#include "util.h"

/* CMIS 5.2 Table 8-72 (DPStateHostLane): DPActivated. */
#define DP_ACTIVATED 4

/*
 * The flags of the specs' tables that take a link down, as the driver
 * snapshots them (driver/record.c): CMIS page 11h 135, 137, 147, 148;
 * SFF-8636 bytes 3 (RX LOS), 4 (TX fault), 5 (RX and TX CDR LOL).
 */
static const char *const link_flags[] = {
	"rx_los",
	"rx_cdr_lol",
	"tx_fault",
	"tx_cdr_lol",
};

static const char *link_flag(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(link_flags); i++)
		if (streq(key, link_flags[i]))
			return link_flags[i];
	return NULL;
}

static size_t flag_entries(const struct optic_nl_event *ev, uint8_t spec,
			   struct link_entry *out, size_t max)
{
	size_t n = 0;

	for (unsigned int bit = 0; bit < 8 && n < max; bit++) {
		const struct optic_field *f;
		const char *name;
		int lane;

		if (!(ev->flag_bits & (1u << bit)))
			continue;
		f = optic_flag_lookup(spec, ev->flag_page, ev->flag_offset, bit,
				      &lane);
		name = f ? link_flag(f->json_key) : NULL;
		if (!name)
			continue;
		/* CMIS lane flags: the driver names the lane (bank * 8 + bit). */
		out[n++] = (struct link_entry){ ev->lane >= 0 ? ev->lane : lane,
						name };
	}
	return n;
}

size_t link_entries(const struct optic_nl_event *ev, uint8_t spec,
		    struct link_entry *out, size_t max)
{
	if (!max)
		return 0;
	switch (ev->type) {
	case OPTIC_EVENT_FLAG:
		return flag_entries(ev, spec, out, max);
	case OPTIC_EVENT_DATAPATH_STATE:
		if (ev->old_state != DP_ACTIVATED ||
		    ev->new_state == DP_ACTIVATED || ev->lane < 0)
			return 0;
		out[0] = (struct link_entry){ ev->lane, "datapath_down" };
		return 1;
	case OPTIC_EVENT_MODULE_STATE:
		if (ev->new_state != OPTIC_STATE_FAULT)
			return 0;
		out[0] = (struct link_entry){ -1, "module_fault" };
		return 1;
	default:
		return 0;
	}
}

static bool snap_lane(const struct optic_nl_record *r, int lane)
{
	return r->has_snap && lane >= 0 && (unsigned int)lane < r->lanes;
}

double link_rx_power(const struct optic_nl_record *r, int lane)
{
	return snap_lane(r, lane) ? r->rx_power[lane] * 1e-7 : NAN;
}

#define FIELD(...)                                                      \
	do {                                                            \
		if (n < max)                                            \
			snprintf(out[n++], LOG_FIELD_LEN, __VA_ARGS__); \
	} while (0)

size_t link_fields(const struct optic_nl_record *r, const struct link_entry *e,
		   const char *port, const struct link_state *id,
		   char out[][LOG_FIELD_LEN], size_t max)
{
	int l = e->lane;
	size_t n = 0;

	FIELD("OPTIC_PORT=%s", port);
	if (l >= 0)
		FIELD("OPTIC_LANE=%d", l + 1);
	FIELD("OPTIC_FLAG=%s", e->flag);
	FIELD("OPTIC_VENDOR=%s", id->vendor);
	FIELD("OPTIC_PN=%s", id->pn);
	FIELD("OPTIC_SN=%s", id->sn);
	FIELD("OPTIC_RECORD_SEQ=%" PRIu64, r->ev.record_seq);
	FIELD("OPTIC_RECORD_REALTIME_NS=%" PRIu64, r->realtime_ns);
	if (r->ev.type == OPTIC_EVENT_DATAPATH_STATE)
		FIELD("OPTIC_DP_STATE=%s",
		      optic_datapath_state_name(r->ev.new_state) ?: "unknown");
	if (!r->has_snap)
		return n;
	FIELD("OPTIC_TEMPERATURE_C=%.2f", (int16_t)r->temp / 256.0);
	FIELD("OPTIC_VCC_V=%.4f", r->vcc * 1e-4);
	if (!snap_lane(r, l))
		return n;
	FIELD("OPTIC_TX_POWER_MW=%.4f", r->tx_power[l] * 1e-4);
	FIELD("OPTIC_TX_BIAS_MA=%.3f",
	      r->bias[l] * 0.002 * (1u << r->bias_shift));
	FIELD("OPTIC_RX_POWER_MW=%.4f", r->rx_power[l] * 1e-4);
	return n;
}

#undef FIELD

const struct link_event *link_last(const struct link_state *s, unsigned int i)
{
	if (i >= s->last_len)
		return NULL;
	return &s->last[(s->last_head + LINK_LAST - s->last_len + i) %
			LINK_LAST];
}

/* The metric's per-lane time and the status ring. */
static void link_note(struct port *p, const struct optic_nl_record *r,
		      const struct link_entry *e)
{
	struct link_state *s = &p->link;
	unsigned int lanes = MIN(MAX(p->lanes, 1u), OPTICD_MAX_LANES);

	port_touch(p);

	if (e->lane >= 0 && e->lane < OPTICD_MAX_LANES)
		s->lane_ns[e->lane] = r->realtime_ns;
	/* A module fault takes every lane's link. */
	for (unsigned int l = 0; e->lane < 0 && l < lanes; l++)
		s->lane_ns[l] = r->realtime_ns;
	s->last[s->last_head] = (struct link_event){
		.seq = r->ev.record_seq,
		.realtime_ns = r->realtime_ns,
		.lane = e->lane,
		.flag = e->flag,
		.rx_power = link_rx_power(r, e->lane),
	};
	s->last_head = (s->last_head + 1) % LINK_LAST;
	s->last_len = MIN(s->last_len + 1, LINK_LAST);
}

static void link_log(struct port *p, const struct optic_nl_record *r,
		     const struct link_entry *e)
{
	char fields[LOG_FIELDS_MAX][LOG_FIELD_LEN], lane[16] = "", rx[40] = "";
	size_t n = link_fields(r, e, p->name, &p->link, fields, LOG_FIELDS_MAX);
	double w = link_rx_power(r, e->lane);

	if (e->lane >= 0)
		snprintf(lane, sizeof(lane), "/lane%d", e->lane + 1);
	if (!isnan(w))
		snprintf(rx, sizeof(rx), ", rx power %.4f mW", w * 1e3);
	log_fields(LOG_WARNING, MSGID_LINK, fields, n,
		   "%s%s link: %s%s (record %" PRIu64 ")", p->name, lane,
		   e->flag, rx, r->ev.record_seq);
}

struct link_fetch {
	const struct manager *m;
	struct port *p;
};

static int on_record(const struct optic_nl_record *r, void *arg)
{
	struct link_fetch *f = arg;
	struct link_state *s = &f->p->link;
	struct link_entry e[8];
	size_t n;

	s->next_seq = r->ev.record_seq + 1;
	if (r->ev.type == OPTIC_EVENT_INSERTED &&
	    (r->ev.attrs & OPTIC_ATTR(OPTIC_A_VENDOR_PN))) {
		s->spec = r->ev.spec;
		snprintf(s->vendor, sizeof(s->vendor), "%s", r->ev.vendor_name);
		snprintf(s->pn, sizeof(s->pn), "%s", r->ev.vendor_pn);
		snprintf(s->sn, sizeof(s->sn), "%s", r->ev.vendor_sn);
		return 0;
	}
	n = link_entries(&r->ev, s->spec, e, ARRAY_SIZE(e));
	for (size_t i = 0; i < n; i++) {
		link_note(f->p, r, &e[i]);
		/* Older than opticd: logged by an earlier run, or before it. */
		if (r->realtime_ns >= f->m->start_ns)
			link_log(f->p, r, &e[i]);
	}
	return 0;
}

static void link_fetch(struct manager *m, struct port *p)
{
	struct link_state *s = &p->link;
	struct link_fetch f = { m, p };
	int r;

	if (!s->synced) {
		/* The ring may no longer hold the insertion: the port's own. */
		s->next_seq = 0;
		s->spec = p->info.spec;
		snprintf(s->vendor, sizeof(s->vendor), "%s",
			 p->info.vendor_name);
		snprintf(s->pn, sizeof(s->pn), "%s", p->info.vendor_pn);
		snprintf(s->sn, sizeof(s->sn), "%s", p->info.vendor_sn);
	}
	r = optic_nl_record_get(m->nl, p->name, s->next_seq, on_record, &f);
	if (r < 0 && r != -EOPNOTSUPP) {
		/* Read again at the next poll. */
		m->netlink_errors++;
		s->stale = true;
		return;
	}
	/* -EOPNOTSUPP: a driver without a recorder; nothing to follow. */
	s->synced = true;
	s->stale = false;
}

void port_link_event(struct manager *m, struct port *p,
		     const struct optic_nl_event *ev)
{
	struct link_state *s = &p->link;
	struct link_entry e;

	if (!m->driver_up || !m->nl || !ev->record_seq ||
	    (s->synced && ev->record_seq < s->next_seq))
		return;
	/* An insertion: the spec later flags are named after. */
	if (ev->type == OPTIC_EVENT_INSERTED ||
	    link_entries(ev, s->synced ? s->spec : p->info.spec, &e, 1))
		link_fetch(m, p);
}

void port_link_poll(struct manager *m, struct port *p)
{
	if (m->driver_up && m->nl && (!p->link.synced || p->link.stale))
		link_fetch(m, p);
}
