// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The port model (port.h): a port and its samples, the plan of the model's
 * values a health poll reads and what each feeds (struct poll_values), the
 * byte ranges of that poll, and the clocks. It calls nothing of opticd's
 * other files: poll.c, the policy engine, metrics.c and status.c read it.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "port.h"
#include "readers.h"
#include "util.h"

uint64_t now_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

uint64_t now_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

uint64_t now_boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

uint64_t now_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ull + ts.tv_nsec / 1000;
}

const char *flap_kind_name(enum flap_kind k)
{
	static const char *const names[_FLAP_KIND_MAX] = {
		[FLAP_RX_LOS] = "rx_los",     [FLAP_RX_LOL] = "rx_lol",
		[FLAP_TX_FAULT] = "tx_fault", [FLAP_TX_LOS] = "tx_los",
		[FLAP_TX_LOL] = "tx_lol",
	};

	return (unsigned int)k < _FLAP_KIND_MAX ? names[k] : "?";
}

/* Ports -------------------------------------------------------------- */

struct lane_flag *port_flag(const struct port *p, enum flap_kind k,
			    unsigned int l)
{
	for (size_t i = 0; i < p->n_lane_flags; i++)
		if (p->lane_flags[i].kind == k && p->lane_flags[i].lane == l)
			return &p->lane_flags[i];
	return NULL;
}

struct lane_flag *port_flag_add(struct port *p, enum flap_kind k,
				unsigned int l)
{
	struct lane_flag *lf = port_flag(p, k, l);

	if (lf)
		return lf;
	lf = reallocarray(p->lane_flags, p->n_lane_flags + 1, sizeof(*lf));
	if (!lf)
		return NULL;
	p->lane_flags = lf;
	lf = &lf[p->n_lane_flags++];
	*lf = (struct lane_flag){ .kind = k, .lane = l };
	return lf;
}

void port_free(struct port *p)
{
	if (!p)
		return;
	free(p->lane_flags);
	history_free(p->hist);
	optic_image_clear(&p->img);
	optic_model_free(&p->model);
	free(p->slots);
	free(p->deferred);
	free(p);
}

int port_new(struct port **out, const char *name,
	     const struct history_spec *spec)
{
	_cleanup_(port_freep) struct port *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return -ENOMEM;
	/* One lane until a module's insertion sizes it (poll.c). */
	r = history_new(&p->hist, spec, 1);
	if (r < 0)
		return r;
	p->hist_bytes = history_memory(spec, 1);
	snprintf(p->name, sizeof(p->name), "%s", name);
	optic_image_init(&p->img);
	p->max_power = NAN;
	sample_init(&p->last, 0);
	for (int i = 0; i < _MON_MAX; i++)
		p->mod_thr[i] = p->thr[i] =
			(struct thresholds){ NAN, NAN, NAN, NAN };
	port_reset_policies(p);
	*out = TAKE_PTR(p);
	return 0;
}

void port_reset_policies(struct port *p)
{
	port_touch(p);
	memset(p->level, 0, sizeof(p->level));
	memset(&p->thermal, 0, sizeof(p->thermal));
	memset(&p->recovery, 0, sizeof(p->recovery));
	memset(p->pred, 0, sizeof(p->pred));
	memset(p->active_since, 0, sizeof(p->active_since));
	/* the flap states start again, the counts stay */
	for (size_t i = 0; i < p->n_lane_flags; i++)
		p->lane_flags[i].flap = (struct flap_state){ 0 };
	memset(p->flags_prev, 0, sizeof(p->flags_prev));
	memset(&p->mon_flags, 0, sizeof(p->mon_flags));
	p->flag_lanes = 0;
	p->power_held = false;
	p->lpmode_ours = false;
	p->txdis_ours = 0;
	for (int i = 0; i < _PRED_MAX; i++)
		for (int l = 0; l < OPTICD_MAX_LANES; l++)
			p->pred[i][l].tta = INFINITY;
}

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

/* What flag row @f feeds for lane (or index) @index, into @sl. */
static bool role_flag_field(const struct optic_field *f, unsigned int index,
			    struct poll_slot *sl)
{
	const char *key = f->json_key;

	if (!key || index >= OPTICD_MAX_LANES ||
	    (f->sect != OPTIC_S_FLAG && f->sect != OPTIC_S_LANE_FLAG))
		return false;
	for (size_t k = 0;
	     f->sect == OPTIC_S_LANE_FLAG && k < ARRAY_SIZE(flag_keys); k++)
		if (streq(key, flag_keys[k].key)) {
			*sl = (struct poll_slot){ .role = ROLE_FLAP,
						  .what = flag_keys[k].kind,
						  .lane = index };
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
					.lane = monitor_per_lane(mon) ? index :
									0,
				};
				return true;
			}
	}
	return false;
}

static bool role_flag(const struct optic_value *v, struct poll_slot *sl)
{
	return v->kind == OPTIC_V_BOOL && role_flag_field(v->f, v->index, sl);
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

/* The event number as the last poll read @loc's range; 0 unknown. */
static uint64_t port_read_seq(const struct port *p, const struct optic_loc *loc)
{
	int i = range_of(p->seq_rg, p->n_seq, loc);

	return i < 0 ? 0 : p->seq[i];
}

bool port_flag_news(const struct port *p, const struct optic_nl_event *ev,
		    const struct poll_read *read, struct flag_news *news)
{
	/* Page 10h-FFh lane flags: the driver names the lane, bank * 8 + bit. */
	uint8_t bank = ev->flag_offset >= 128 && ev->flag_page >= 0x10 &&
				       ev->lane >= 0 ?
			       ev->lane / 8 :
			       0;
	const struct optic_loc loc = { OPTIC_ADDR_A0, ev->flag_page, bank,
				       ev->flag_offset, 1 };
	uint64_t seq = read ? poll_read_seq(read, loc.page, bank, loc.off) :
			      port_read_seq(p, &loc);
	int b = optic_image_byte(&p->img, OPTIC_ADDR_A0, ev->flag_page, bank,
				 ev->flag_offset);
	int r = poll_read_byte(read, ev->flag_page, bank, ev->flag_offset);
	bool numbered = ev->seq && seq;
	uint8_t bits;

	if (numbered) {
		/*
		 * Raised after that read: the flag latched again, even where
		 * the read found it set (it cleared in between). Raised before
		 * it ended: in it, unless another raw reader (opticctl) took
		 * the latched bit first.
		 */
		int held = read ? r : b;

		bits = ev->flag_bits;
		if (ev->seq <= seq && held >= 0)
			bits &= ~held;
	} else {
		bits = b < 0 ? ev->flag_bits : ev->flag_bits & ~b;
		if (r >= 0)
			bits &= ~r;
	}
	memset(news, 0, sizeof(*news));
	for (unsigned int bit = 0; p->present && bit < 8; bit++) {
		const struct optic_field *f;
		struct poll_slot sl;
		int lane;

		if (!(bits & (1u << bit)))
			continue;
		f = optic_flag_lookup(p->info.spec, ev->flag_page,
				      ev->flag_offset, bit, &lane);
		if (ev->lane >= 0)
			lane = ev->lane;
		if (!f || !role_flag_field(f, MAX(lane, 0), &sl))
			continue;
		if (sl.role == ROLE_FLAP)
			news->flags[sl.what] |= 1u << sl.lane;
		else
			news->mf.f[sl.what][sl.lane] |= sl.bit;
	}
	return (!numbered && b < 0 && r < 0) || bits;
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

/* Values read after the insertion besides a poll's: app_plan(), metrics. */
static const char *const model_kept[] = { "application", "datapath_state" };

static bool model_kept_value(const struct optic_value *v)
{
	for (size_t i = 0; v->f->json_key && i < ARRAY_SIZE(model_kept); i++)
		if (streq(v->f->json_key, model_kept[i]))
			return true;
	return false;
}

/*
 * The model cut to the values a poll updates (@slots, in model order, are
 * re-pointed) and those read later; the statics were taken from the whole
 * one (port_refresh_statics). Its worst flag is not kept.
 */
static void model_keep(struct port *p, struct poll_slot *slots, size_t n)
{
	struct optic_model *md = &p->model;
	size_t k = 0, s = 0;

	for (size_t i = 0; i < md->n; i++) {
		bool read = s < n && slots[s].vi == i;

		if (!read && !model_kept_value(&md->v[i]))
			continue;
		if (read)
			slots[s++].vi = k;
		md->v[k++] = md->v[i];
	}
	md->n = k;
	md->worst_sev = 0;
	/* kept for the module's life (a poll updates them): cut to size */
	optic_model_fit(md);
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
	/* Kept for the module's life: cut to the values a poll reads. */
	p->slots = reallocarray(slots, MAX(k, 1u), sizeof(*slots)) ?: slots;
	p->nslots = k;
	model_keep(p, p->slots, k);
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
