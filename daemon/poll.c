// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Polling. A cycle is one MODULE_GET dump (presence, identity, state), then
 * one port per event loop dispatch (manager.c), so that scrapes and events
 * are served between ports; an event for a port polls it on its own, with
 * a MODULE_GET of that port. The whole image (liboptic's optic_image_fetch)
 * is read at insertion and again after a module or data-path state change;
 * a poll reads only the byte ranges of poll_ranges(). The liboptic decoder
 * turns the image into values; this file maps them to a struct sample.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "log.h"
#include "manager.h"
#include "util.h"

/* liboptic's JSON keys of what opticd samples, and their base units. */
static const struct {
	const char *key;
	enum monitor mon;
	double to_base;
} mon_keys[] = {
	{ "temperature_c", MON_TEMP, 1 },   { "supply_voltage_v", MON_VCC, 1 },
	{ "tx_power", MON_TX_POWER, 1e-3 }, /* mW */
	{ "rx_power", MON_RX_POWER, 1e-3 }, { "tx_bias_ma", MON_TX_BIAS, 1e-3 },
};

static const char *const thr_subs[4] = {
	"high_alarm",
	"high_warning",
	"low_warning",
	"low_alarm",
};

static const struct {
	const char *key;
	enum flap_kind kind;
} flag_keys[] = {
	{ "rx_los", FLAP_RX_LOS },     { "rx_cdr_lol", FLAP_RX_LOL },
	{ "tx_fault", FLAP_TX_FAULT }, { "tx_los", FLAP_TX_LOS },
	{ "tx_cdr_lol", FLAP_TX_LOL },
};

/* CMIS 5.2 Table 8-72: DPActivated. */
#define DP_ACTIVATED 4

/* liboptic's flag keys are PREFIX_high_alarm ... PREFIX_low_warning. */
static const struct {
	const char *prefix;
	enum monitor mon;
} monflag_keys[] = {
	{ "temperature", MON_TEMP },  { "voltage", MON_VCC },
	{ "tx_power", MON_TX_POWER }, { "rx_power", MON_RX_POWER },
	{ "tx_bias", MON_TX_BIAS },
};

static const struct {
	const char *suffix;
	uint8_t bit;
} monflag_subs[] = {
	{ "_high_alarm", MONFLAG_HIGH_ALARM },
	{ "_low_alarm", MONFLAG_LOW_ALARM },
	{ "_high_warning", MONFLAG_HIGH_WARNING },
	{ "_low_warning", MONFLAG_LOW_WARNING },
};

static bool role_monitor(const struct optic_value *v, struct poll_slot *sl)
{
	if (v->f->json_sub || v->kind != OPTIC_V_NUM ||
	    (v->f->sect != OPTIC_S_MONITOR && v->f->sect != OPTIC_S_LANE))
		return false;
	for (size_t k = 0; k < ARRAY_SIZE(mon_keys); k++) {
		if (!streq(v->f->json_key, mon_keys[k].key))
			continue;
		if (monitor_per_lane(mon_keys[k].mon) &&
		    v->index >= OPTICD_MAX_LANES)
			return false;
		*sl = (struct poll_slot){ .role = ROLE_MONITOR,
					  .what = mon_keys[k].mon,
					  .lane = v->index };
		return true;
	}
	return false;
}

static bool role_flag(const struct optic_value *v, struct poll_slot *sl)
{
	const char *key = v->f->json_key;

	if (v->kind != OPTIC_V_BOOL || v->index >= OPTICD_MAX_LANES ||
	    (v->f->sect != OPTIC_S_FLAG && v->f->sect != OPTIC_S_LANE_FLAG))
		return false;
	for (size_t k = 0;
	     v->f->sect == OPTIC_S_LANE_FLAG && k < ARRAY_SIZE(flag_keys); k++)
		if (streq(key, flag_keys[k].key)) {
			*sl = (struct poll_slot){ .role = ROLE_FLAP,
						  .what = flag_keys[k].kind,
						  .lane = v->index };
			return true;
		}
	for (size_t k = 0; k < ARRAY_SIZE(monflag_keys); k++) {
		size_t n = strlen(monflag_keys[k].prefix);
		enum monitor mon = monflag_keys[k].mon;

		if (strncmp(key, monflag_keys[k].prefix, n))
			continue;
		for (size_t j = 0; j < ARRAY_SIZE(monflag_subs); j++)
			if (streq(key + n, monflag_subs[j].suffix)) {
				*sl = (struct poll_slot){
					.role = ROLE_MON_FLAG,
					.what = mon,
					.bit = monflag_subs[j].bit,
					.lane = monitor_per_lane(mon) ?
							v->index :
							0,
				};
				return true;
			}
	}
	return false;
}

/* What value @v of a model feeds in a poll's values, into @sl. */
static bool value_role(const struct optic_value *v, struct poll_slot *sl)
{
	if (!v->f->json_key)
		return false;
	if (streq(v->f->json_key, "datapath_state") && v->index < 32) {
		*sl = (struct poll_slot){ .role = ROLE_DATAPATH,
					  .lane = v->index };
		return true;
	}
	return role_monitor(v, sl) || role_flag(v, sl);
}

static void set_bit32(uint32_t *w, unsigned int bit, bool on)
{
	*w = on ? *w | 1u << bit : *w & ~(1u << bit);
}

/* Value @v into @pv, as slot @sl says. */
static void slot_apply(const struct poll_slot *sl, const struct optic_value *v,
		       struct poll_values *pv)
{
	uint8_t *mf;

	switch (sl->role) {
	case ROLE_MONITOR:
		*sample_val(&pv->s, sl->what, sl->lane) =
			v->num * (monitor_per_lane(sl->what) ? 1e-3 : 1);
		break;
	case ROLE_DATAPATH:
		pv->dp_seen = true;
		set_bit32(&pv->dp_active, sl->lane, v->raw == DP_ACTIVATED);
		break;
	case ROLE_FLAP:
		set_bit32(&pv->flags[sl->what], sl->lane, v->raw);
		break;
	case ROLE_MON_FLAG:
		mf = &pv->mf.f[sl->what][sl->lane];
		*mf = v->raw ? *mf | sl->bit : *mf & ~sl->bit;
		break;
	default:
		break;
	}
}

void poll_values_from_model(const struct optic_model *model,
			    struct poll_values *pv)
{
	struct poll_slot sl;

	memset(pv, 0, sizeof(*pv));
	sample_init(&pv->s, 0);
	for (size_t i = 0; i < model->n; i++)
		if (value_role(&model->v[i], &sl))
			slot_apply(&sl, &model->v[i], pv);
}

uint32_t poll_values_active(const struct poll_values *pv)
{
	return pv->dp_seen ? pv->dp_active : ~0u;
}

void thresholds_from_model(const struct optic_model *model,
			   struct thresholds thr[_MON_MAX])
{
	for (size_t k = 0; k < ARRAY_SIZE(mon_keys); k++) {
		double *slot[4] = { &thr[mon_keys[k].mon].high_alarm,
				    &thr[mon_keys[k].mon].high_warning,
				    &thr[mon_keys[k].mon].low_warning,
				    &thr[mon_keys[k].mon].low_alarm };

		for (int j = 0; j < 4; j++) {
			const struct optic_value *v = optic_model_get(
				model, mon_keys[k].key, thr_subs[j], -1);

			*slot[j] = v && v->kind == OPTIC_V_NUM ?
					   v->num * mon_keys[k].to_base :
					   NAN;
		}
	}
}

double max_power_from_model(const struct optic_model *model)
{
	/*
	 * SFF-8636 Table 6-16: the maximum of power classes 1-7 (class 8
	 * names its own in byte 107, which liboptic does not decode yet).
	 */
	static const double sff8636_class_w[] = { 0,   1.5, 2.0, 2.5,
						  3.5, 4.0, 4.5, 5.0 };
	const struct optic_value *v;

	v = optic_model_get(model, "max_power_w", NULL, -1);
	if (v && v->kind == OPTIC_V_NUM)
		return v->num;
	v = optic_model_get(model, "power_class", NULL, -1);
	if (model->spec == OPTIC_SPEC_SFF8636 && v && v->kind == OPTIC_V_NUM &&
	    v->num >= 1 && v->num <= 7)
		return sff8636_class_w[(int)v->num];
	return NAN;
}

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
		 v && v->kind == OPTIC_V_STR ? v->str : "");
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

/*
 * What a health poll reads: the bytes of the monitors sampled, the lane
 * flags, the data-path states and the latched flag registers (reading
 * clears them in the module; the driver keeps them per reader). Ranges
 * closer than 4 bytes are merged: a byte costs 9 bits on the bus, a new
 * read about 30. The module state comes with MODULE_GET (byte 3).
 */
static const struct poll_range cmis_ranges[] = {
	/*
	 * CMIS 5.2 Table 8-9: latched module flags 8-11; Table 8-10:
	 * temperature 14-15, Vcc 16-17 (12-13 merged). The Aux monitors
	 * (18-25) are not sampled.
	 */
	{ OPTIC_ADDR_A0, 0, 0, 8, 10 },
	/*
	 * Page 11h, one bank per eight lanes (8.4.1): Table 8-72 DPState
	 * 128-131, output status 132-133 (merged), Table 8-76/8-77 lane
	 * flags 134-153, Table 8-78 TX power 154-169, TX bias 170-185, RX
	 * power 186-201.
	 */
	{ OPTIC_ADDR_A0, 0x11, 0, 128, 74 },
};

static const struct poll_range sff8636_ranges[] = {
	/* SFF-8636 Table 6-5..6-7: latched lane, module, monitor flags 3-14 */
	{ OPTIC_ADDR_A0, 0, 0, 3, 12 },
	/* Table 6-8: temperature 22-23, Vcc 26-27 */
	{ OPTIC_ADDR_A0, 0, 0, 22, 6 },
	/* Table 6-9: RX power 34-41, TX bias 42-49, TX power 50-57 */
	{ OPTIC_ADDR_A0, 0, 0, 34, 24 },
};

static const struct poll_range sff8472_ranges[] = {
	/* SFF-8472 Table 9-11: A2h monitors 96-105 */
	{ OPTIC_ADDR_A2, 0, 0, 96, 10 },
	/* Table 9-12 status 110 (TX fault, RX LOS), Table 9-14 flags 112-117 */
	{ OPTIC_ADDR_A2, 0, 0, 110, 8 },
};

/* @n ranges of @rg, a banked one (page 10h-FFh) once per bank in use. */
static size_t expand_banks(const struct poll_range *rg, size_t n,
			   unsigned int lanes, struct poll_range *out)
{
	unsigned int banks = MIN(MAX((lanes + 7) / 8, 1u), 4u);
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		for (unsigned int b = 0; b < (rg[i].page >= 0x10 ? banks : 1);
		     b++) {
			out[k] = rg[i];
			out[k++].bank = b;
		}
	return k;
}

size_t poll_ranges(const struct port *p, struct poll_range out[POLL_RANGES_MAX])
{
	switch (p->info.spec) {
	case OPTIC_SPEC_CMIS:
		/* A flat memory module has no page 11h. */
		return expand_banks(cmis_ranges,
				    p->model.flat ? 1 : ARRAY_SIZE(cmis_ranges),
				    p->model.lanes, out);
	case OPTIC_SPEC_SFF8636:
		return expand_banks(sff8636_ranges, ARRAY_SIZE(sff8636_ranges),
				    0, out);
	case OPTIC_SPEC_SFF8472:
		/* A2h exists with digital diagnostics only (Table 8-5). */
		if (!optic_image_half(&p->img, OPTIC_ADDR_A2, 0, 0, false))
			return 0;
		return expand_banks(sff8472_ranges, ARRAY_SIZE(sff8472_ranges),
				    0, out);
	default:
		return 0;
	}
}

/* The poll range of @rg holding @loc, or -1. */
static int range_of(const struct poll_range *rg, size_t n,
		    const struct optic_loc *loc)
{
	for (size_t i = 0; i < n; i++)
		if (rg[i].addr == loc->addr &&
		    (loc->off < 128 ||
		     (rg[i].page == loc->page && rg[i].bank == loc->bank)) &&
		    loc->off >= rg[i].off &&
		    loc->off + loc->len <= rg[i].off + rg[i].len)
			return (int)i;
	return -1;
}

int port_plan(struct port *p)
{
	struct poll_range rg[POLL_RANGES_MAX];
	size_t n = poll_ranges(p, rg), k = 0;
	struct poll_slot *slots;

	poll_values_from_model(&p->model, &p->pv);
	slots = reallocarray(NULL, MAX(p->model.n, 1u), sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < p->model.n && i <= UINT16_MAX; i++) {
		struct poll_slot sl = { .role = ROLE_NONE };
		struct optic_loc loc;
		int r;

		if (!optic_value_loc(&p->model.v[i], &loc))
			continue;
		r = range_of(rg, n, &loc);
		if (r < 0)
			continue;
		value_role(&p->model.v[i], &sl);
		sl.vi = i;
		sl.range = r;
		sl.off = loc.off - rg[r].off;
		/* its bytes in the range's bitmap of changes */
		for (unsigned int b = sl.off; b < sl.off + loc.len; b++)
			sl.mask[b / 64] |= 1ull << (b % 64);
		slots[k++] = sl;
	}
	free(p->slots);
	p->slots = slots;
	p->nslots = k;
	return 0;
}

int poll_store(struct port *p, const struct poll_range *rg, size_t i,
	       const uint8_t *buf, size_t len, struct poll_changes *ch)
{
	struct optic_image *img = &p->img;
	const struct optic_half *h = optic_image_half(img, rg->addr, rg->page,
						      rg->bank, rg->off >= 128);
	unsigned int o = rg->off & 127;
	uint64_t *changed = ch->b[i];
	struct optic_half *w;
	int r;

	changed[0] = changed[1] = 0;
	if (o + len > 128)
		return -EINVAL; /* a range stays in one half */
	if (!h) {
		r = optic_image_set(img, rg->addr, rg->page, rg->bank, rg->off,
				    buf, len);
		if (r < 0)
			return r;
		changed[0] = changed[1] = ~0ull;
		h = optic_image_half(img, rg->addr, rg->page, rg->bank,
				     rg->off >= 128);
	}
	/* The image is ours: write its half in place, byte by byte. */
	w = &img->h[h - img->h];
	ch->data[i] = w->data + o;
	for (size_t k = 0; k < len; k++, o++) {
		bool valid = w->valid[o / 8] & (1u << (o % 8));

		if (valid && w->data[o] == buf[k])
			continue;
		w->data[o] = buf[k];
		w->valid[o / 8] |= 1u << (o % 8);
		changed[k / 64] |= 1ull << (k % 64);
	}
	return 0;
}

static bool slot_changed(const struct poll_slot *sl,
			 const struct poll_changes *ch)
{
	const uint64_t *b = ch->b[sl->range];

	return (b[0] & sl->mask[0]) | (b[1] & sl->mask[1]);
}

void poll_update(struct port *p, const struct poll_changes *ch)
{
	for (size_t i = 0; i < p->nslots; i++) {
		const struct poll_slot *sl = &p->slots[i];
		struct optic_value *v = &p->model.v[sl->vi];

		if (slot_changed(sl, ch) &&
		    optic_value_update(&p->model, v,
				       ch->data[sl->range] + sl->off) > 0)
			slot_apply(sl, v, &p->pv);
	}
}

/* Re-read what changes between two polls into the image and the values. */
static int read_dynamic(struct manager *m, struct port *p)
{
	struct poll_range rg[POLL_RANGES_MAX];
	struct poll_changes ch;
	size_t n;
	uint8_t buf[128];
	int r;

	if (p->fresh)
		return port_refresh_statics(m, p);
	n = poll_ranges(p, rg);
	for (size_t i = 0; i < n; i++) {
		r = optic_nl_eeprom_read(m->nl, p->name, rg[i].addr, rg[i].page,
					 rg[i].bank, rg[i].off, rg[i].len, buf);
		if (r < 0)
			return r;
		r = poll_store(p, &rg[i], i, buf, r, &ch);
		if (r < 0)
			return r;
	}
	poll_update(p, &ch);
	return 0;
}

/* Log the insertion an INSERTED event announced, from the event alone. */
/* The driver's view of @p's module; its metrics show it. */
static void port_set_info(struct port *p, const struct optic_module_info *info)
{
	if (memcmp(&p->info, info, sizeof(*info)))
		port_touch(p);
	p->info = *info;
}

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

static bool driver_gone(int r)
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
		manager_drain_events(m);
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
	}
	port_set_info(p, info);
	poll_port(m, p, now);
}

static void poll_done(struct manager *m)
{
	size_t n = 0;

	manager_power(m, now_realtime());
	for (size_t i = 0; i < m->n_ports; i++)
		n += m->ports[i]->present;
	if (n != m->notified_present)
		manager_notify_status(m);
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
	r = optic_nl_module_list(m->nl, &mods, &n);
	if (r < 0) {
		m->netlink_errors++;
		if (driver_gone(r))
			manager_disconnect(m, r);
		else
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
	return 1;
}

bool manager_poll_step(struct manager *m)
{
	while (m->driver_up && m->cycle_next < m->cycle_n) {
		const struct optic_module_info *info =
			&m->cycle[m->cycle_next++];
		struct port *p = manager_port(m, info->name, false);

		/* Polled since the dump: its answer is newer. */
		if (!p || p->polled >= m->cycle_start)
			continue;
		if (p->kicked) {
			/* An event since the dump: ask again, for both. */
			p->kicked = false;
			manager_poll_port(m, p);
		} else {
			port_update(m, p, info, true);
		}
		if (m->cycle_next < m->cycle_n)
			return true;
	}
	if (m->driver_up)
		poll_done(m);
	return false;
}

void manager_poll_end(struct manager *m)
{
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
