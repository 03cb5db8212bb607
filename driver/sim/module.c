// SPDX-License-Identifier: GPL-2.0
/*
 * optic_sim: the module memory map (lower page, upper pages and banks,
 * byte write rules, clear-on-read flags), the CMIS module and data-path state
 * machines, live monitors and threshold flags.
 */
#include <linux/bitops.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

struct osim_module *osim_module_alloc(void)
{
	return kzalloc(sizeof(struct osim_module), GFP_KERNEL);
}

void osim_module_free(struct osim_module *mod)
{
	struct osim_page *pg;
	unsigned long key;
	unsigned int i;

	if (!mod)
		return;
	for (i = 0; i < mod->ntargets; i++) {
		xa_for_each(&mod->tgt[i].pages, key, pg)
			kfree(pg);
		xa_destroy(&mod->tgt[i].pages);
	}
	kfree(mod);
}

struct osim_target *osim_target_add(struct osim_module *mod, u16 addr,
				    bool paged, bool banked)
{
	struct osim_target *t;

	if (mod->ntargets >= OSIM_MAX_TARGETS)
		return NULL;
	t = &mod->tgt[mod->ntargets++];
	t->addr = addr;
	t->paged = paged;
	t->banked = banked;
	xa_init(&t->pages);
	return t;
}

struct osim_target *osim_target_find(struct osim_module *mod, u16 addr)
{
	unsigned int i;

	for (i = 0; i < mod->ntargets; i++)
		if (mod->tgt[i].addr == addr)
			return &mod->tgt[i];
	return NULL;
}

struct osim_page *osim_page_get(struct osim_target *t, u8 bank, u8 page)
{
	if (bank < OSIM_MAX_BANKS && page < OSIM_DIRECT_PAGES)
		return READ_ONCE(t->direct[bank][page]);
	return xa_load(&t->pages, osim_page_key(bank, page));
}

struct osim_page *osim_page_add(struct osim_target *t, u8 bank, u8 page)
{
	struct osim_page *pg = osim_page_get(t, bank, page);
	int ret;

	if (pg)
		return pg;
	pg = kzalloc(sizeof(*pg), GFP_KERNEL);
	if (!pg)
		return NULL;
	ret = xa_err(xa_store(&t->pages, osim_page_key(bank, page), pg,
			      GFP_KERNEL));
	if (ret) {
		kfree(pg);
		return NULL;
	}
	if (bank < OSIM_MAX_BANKS && page < OSIM_DIRECT_PAGES)
		WRITE_ONCE(t->direct[bank][page], pg);
	return pg;
}

/* Mark bytes @from..@to (0-255 page offsets, inclusive) host-writable. */
void osim_rw_range(struct osim_page *pg, unsigned int from, unsigned int to)
{
	bitmap_set(pg->wr, from, to - from + 1);
}

void osim_cor_range(struct osim_page *pg, unsigned int from, unsigned int to)
{
	bitmap_set(pg->cor, from, to - from + 1);
}

/* ASCII field, space padded, no NUL (SFF-8024 string fields). */
void osim_put_str(u8 *dst, const char *s, size_t len)
{
	size_t n = strnlen(s, len);

	memcpy(dst, s, n);
	memset(dst + n, ' ', len - n);
}

void osim_put_be16(u8 *dst, u16 v)
{
	dst[0] = v >> 8;
	dst[1] = v & 0xff;
}

static u16 osim_get_be16(const u8 *p)
{
	return (p[0] << 8) | p[1];
}

u8 osim_csum(const u8 *p, size_t len)
{
	u8 sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

/* CMIS 5.2 Table 8-43: state duration encoding, upper bound of each code. */
static const unsigned int osim_duration_ms[] = {
	1, 5, 10, 50, 100, 500, 1000, 5000, 10000, 60000, 300000, 600000,
	3000000,
};

unsigned int osim_duration_code(unsigned int ms)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(osim_duration_ms); i++)
		if (ms < osim_duration_ms[i])
			return i;
	return ARRAY_SIZE(osim_duration_ms);
}

static struct osim_target *osim_a0(struct osim_module *mod)
{
	return &mod->tgt[0];
}

/* Page 10h/11h of the bank that holds @lane (CMIS 5.2 8.4.1). */
static u8 *cmis_p10(struct osim_module *mod, unsigned int lane)
{
	struct osim_page *pg = osim_page_get(osim_a0(mod),
					     lane / OSIM_LANES_PER_BANK, 0x10);

	return pg ? pg->data : NULL;
}

static u8 *cmis_p11(struct osim_module *mod, unsigned int lane)
{
	struct osim_page *pg = osim_page_get(osim_a0(mod),
					     lane / OSIM_LANES_PER_BANK, 0x11);

	return pg ? pg->data : NULL;
}

/* Bit of @lane in the lane registers of its bank. */
static u8 lane_bit(unsigned int lane)
{
	return BIT(lane % OSIM_LANES_PER_BANK);
}

static u8 *upper(struct osim_target *t, u8 page)
{
	struct osim_page *pg = osim_page_get(t, 0, page);

	return pg ? pg->data : NULL;
}

static ktime_t osim_dur(struct osim_port *port, unsigned int ms)
{
	return ms_to_ktime(div_u64((u64)ms * port->time_scale, 100));
}

/* ---- CMIS module state machine (CMIS 5.2 section 6.3.2) ---- */

static bool cmis_lowpwr_request(struct osim_port *port)
{
	u8 ctl = osim_a0(port->mod)->lower.data[26];

	/* CMIS 5.2 Table 8-10: LowPwrS = LowPwrRequestSW or (AllowHW and LPMode) */
	return (ctl & BIT(4)) || ((ctl & BIT(6)) && port->lpmode_line);
}

static void cmis_set_mstate(struct osim_module *mod, u8 st, ktime_t deadline)
{
	u8 *b3 = &osim_a0(mod)->lower.data[3];

	if (mod->mstate != st)
		osim_a0(mod)->lower.data[8] |= BIT(0);	/* L-ModuleStateChanged */
	mod->mstate = st;
	mod->mdeadline = deadline;
	*b3 = (*b3 & ~0x0e) | (st << 1);
}

static void cmis_set_dp(struct osim_module *mod, unsigned int lane, u8 st,
			ktime_t deadline)
{
	u8 *p11 = cmis_p11(mod, lane);
	unsigned int li = lane % OSIM_LANES_PER_BANK;
	u8 *b;

	mod->dp_deadline[lane] = deadline;
	if (mod->dp_state[lane] == st)
		return;
	mod->dp_state[lane] = st;
	if (!p11)
		return;
	b = &p11[128 + li / 2];
	if (li & 1)
		*b = (*b & 0x0f) | (st << 4);
	else
		*b = (*b & 0xf0) | st;
	p11[134] |= lane_bit(lane);	/* DPStateChangedFlag */
}

/* CMIS 5.2 Table 8-83: ConfigStatus codes (page 11h bytes 202-205) */
enum osim_cfg_status {
	OSIM_CFG_UNDEFINED,
	OSIM_CFG_SUCCESS,
	OSIM_CFG_REJECTED,
	OSIM_CFG_BAD_APPSEL,
	OSIM_CFG_BAD_DATAPATH,
	OSIM_CFG_BAD_SI,
	OSIM_CFG_LANES_IN_USE,
	OSIM_CFG_PARTIAL,
	OSIM_CFG_IN_PROGRESS = 0x0c,
};

/* Lanes of bank @bank the module has. */
static unsigned int bank_lanes(struct osim_module *mod, unsigned int bank)
{
	return min_t(unsigned int, OSIM_LANES_PER_BANK,
		     mod->lanes - bank * OSIM_LANES_PER_BANK);
}

/*
 * The data path of lane @l (within its bank) in the DPConfigLane bytes @set
 * (staged 10h:145 or active 11h:206) of @n lanes: the lanes with the same
 * AppSel and DataPathID (bits 7-1). A lane with AppSel 0 is in no data path
 * (CMIS 5.2 Table 8-65: NULL AppSel) and stands alone.
 */
static u8 dp_lanes(const u8 *set, unsigned int n, unsigned int l)
{
	unsigned int j;
	u8 m = 0;

	if (!(set[l] >> 4))
		return BIT(l);
	for (j = 0; j < n; j++)
		if ((set[j] >> 1) == (set[l] >> 1))
			m |= BIT(j);
	return m;
}

/* The active data path of module lane @lane, as a mask of its bank's lanes. */
static u8 cmis_dp_of(struct osim_module *mod, unsigned int lane)
{
	u8 *p11 = cmis_p11(mod, lane);

	if (!p11)
		return 0;
	return dp_lanes(&p11[206], bank_lanes(mod, lane / OSIM_LANES_PER_BANK),
			lane % OSIM_LANES_PER_BANK);
}

/* The lower page descriptor of application @appsel (1-8), NULL if none. */
const u8 *osim_cmis_app(struct osim_module *mod, u8 appsel)
{
	const u8 *lo = osim_a0(mod)->lower.data;
	unsigned int i;

	if (!appsel || appsel > 8)
		return NULL;
	/* CMIS 5.2 8.3.8: the list ends at the first host interface ID FFh */
	for (i = 0; i < appsel; i++)
		if (lo[86 + 4 * i] == 0xff || !lo[86 + 4 * i])
			return NULL;
	return &lo[86 + 4 * (appsel - 1)];
}

/*
 * Validate the staged data path of lane @l in the staged set @set of @n
 * lanes for a command on the lanes of @mask.
 */
static u8 cmis_check_dp(struct osim_module *mod, const u8 *set,
			unsigned int n, unsigned int l, u8 mask)
{
	u8 appsel = set[l] >> 4, first = (set[l] >> 1) & 7;
	u8 dp = dp_lanes(set, n, l);
	const u8 *app;
	unsigned int cnt;

	if (!appsel)
		return OSIM_CFG_SUCCESS;	/* unused lane */
	app = osim_cmis_app(mod, appsel);
	if (!app)
		return OSIM_CFG_BAD_APPSEL;
	/*
	 * CMIS 5.2 Table 8-24: host lane count in byte 2 bits 7-4; byte 3 bit
	 * k: an instance may start on host lane k + 1. The data path is one
	 * instance: the DataPathID lane and the next count - 1 lanes.
	 */
	cnt = app[2] >> 4;
	if (!cnt || first + cnt > n || !(app[3] & BIT(first)) ||
	    dp != GENMASK(first + cnt - 1, first))
		return OSIM_CFG_BAD_DATAPATH;
	/* ExplicitControl: the profiles advertise no staged SI controls */
	if (set[l] & BIT(0))
		return OSIM_CFG_BAD_SI;
	if ((dp & mask) != dp)
		return OSIM_CFG_PARTIAL;
	return OSIM_CFG_SUCCESS;
}

static void cfg_status_put(u8 *p11, unsigned int li, u8 st)
{
	u8 *b = &p11[202 + li / 2];

	if (li & 1)
		*b = (*b & 0x0f) | (st << 4);
	else
		*b = (*b & 0xf0) | st;
}

/*
 * End of the configuration command of bank @bank: publish its ConfigStatus
 * and, if every lane passed, make the staged set active (CMIS 5.2 6.2.4).
 */
static void cmis_config_done(struct osim_module *mod, unsigned int bank)
{
	unsigned int base = bank * OSIM_LANES_PER_BANK, li, lane;
	u8 *p11 = cmis_p11(mod, base);
	u8 mask = mod->cfg_mask[bank];

	mod->cfg_mask[bank] = 0;
	mod->cfg_deadline[bank] = 0;
	for (li = 0; li < OSIM_LANES_PER_BANK; li++) {
		lane = base + li;
		if (!(mask & BIT(li)))
			continue;
		cfg_status_put(p11, li, mod->cfg_status[lane]);
		if (mod->cfg_status[lane] != OSIM_CFG_SUCCESS)
			continue;
		p11[206 + li] = mod->cfg_set[lane];
		if (!mod->cfg_immediate[bank])
			p11[235] |= BIT(li);	/* DPInitPending */
		else if (mod->dp_state[lane] != OSIM_DP_DEACTIVATED)
			mod->dp_reinit[lane] = true;
	}
}

/* Move every lane of the data path @unit of bank base @base to @st. */
static void cmis_set_dp_unit(struct osim_module *mod, unsigned int base,
			     u8 unit, u8 st, ktime_t deadline)
{
	unsigned int li;

	for (li = 0; li < OSIM_LANES_PER_BANK; li++)
		if (unit & BIT(li))
			cmis_set_dp(mod, base + li, st, deadline);
}

/*
 * One step of the state machine of the data path @unit (lanes of the bank
 * starting at module lane @base). CMIS 5.2 6.3.3: a data path's lanes move
 * together; DPDeinitS is true while the module is not Ready or the host
 * sets DPDeinit on any lane of the data path (10h:128, ORed over its
 * lanes); DPReDeinitS adds DPReinitT, an ApplyImmediate that reconfigured
 * an initialised data path (SteppedConfigOnly = 0). A lane in no data path
 * (AppSel 0) stays DPDeactivated, and so does a data path while a
 * configuration command on its lanes is in progress.
 */
static bool cmis_dp_step(struct osim_port *port, unsigned int base, u8 unit,
			 ktime_t t)
{
	struct osim_module *mod = port->mod;
	unsigned int first = base + __ffs(unit), li;
	u8 *p10 = cmis_p10(mod, base), *p11 = cmis_p11(mod, base);
	u8 ds = mod->dp_state[first];
	ktime_t dl = mod->dp_deadline[first];
	bool deinit, redeinit = false, mixed = false;

	deinit = mod->mstate != OSIM_MS_READY || !(p11[206 + __ffs(unit)] >> 4) ||
		 (p10[128] & unit);
	for (li = 0; li < OSIM_LANES_PER_BANK; li++) {
		if (!(unit & BIT(li)))
			continue;
		redeinit |= mod->dp_reinit[base + li];
		mixed |= mod->dp_state[base + li] != ds;
	}
	redeinit |= deinit;
	/* lanes of different data paths joined by an ApplyImmediate */
	if (mixed) {
		cmis_set_dp_unit(mod, base, unit, OSIM_DP_DEINIT,
				 t + osim_dur(port, mod->dpdeinit_ms));
		return true;
	}
	switch (ds) {
	case OSIM_DP_DEACTIVATED:
		for (li = 0; li < OSIM_LANES_PER_BANK; li++)
			if (unit & BIT(li))
				mod->dp_reinit[base + li] = false;
		if (deinit || (mod->cfg_mask[base / OSIM_LANES_PER_BANK] & unit))
			return false;
		p11[235] &= ~unit;	/* DPInitPending ends in DPInit */
		cmis_set_dp_unit(mod, base, unit, OSIM_DP_INIT,
				 t + osim_dur(port, mod->dpinit_ms));
		return true;
	case OSIM_DP_INIT:
		if (redeinit)
			cmis_set_dp_unit(mod, base, unit, OSIM_DP_DEINIT,
					 t + osim_dur(port, mod->dpdeinit_ms));
		else if (t >= dl)
			cmis_set_dp_unit(mod, base, unit, OSIM_DP_INITIALIZED, 0);
		break;
	case OSIM_DP_INITIALIZED:
		if (redeinit)
			cmis_set_dp_unit(mod, base, unit, OSIM_DP_DEINIT,
					 t + osim_dur(port, mod->dpdeinit_ms));
		else
			cmis_set_dp_unit(mod, base, unit, OSIM_DP_TXTURNON,
					 t + osim_dur(port, mod->txon_ms));
		break;
	case OSIM_DP_TXTURNON:
		if (t >= dl)
			cmis_set_dp_unit(mod, base, unit, OSIM_DP_ACTIVATED, 0);
		break;
	case OSIM_DP_ACTIVATED:
		if (redeinit)
			cmis_set_dp_unit(mod, base, unit, OSIM_DP_TXTURNOFF,
					 t + osim_dur(port, mod->txoff_ms));
		break;
	case OSIM_DP_TXTURNOFF:
		if (t >= dl)
			cmis_set_dp_unit(mod, base, unit, OSIM_DP_INITIALIZED, 0);
		break;
	case OSIM_DP_DEINIT:
		if (t >= dl)
			cmis_set_dp_unit(mod, base, unit, OSIM_DP_DEACTIVATED, 0);
		break;
	default:
		cmis_set_dp_unit(mod, base, unit, OSIM_DP_DEACTIVATED, 0);
		break;
	}
	return mod->dp_state[first] != ds;
}

/* One step of every state machine at time @t; returns true if one moved. */
static bool cmis_step(struct osim_port *port, ktime_t t)
{
	struct osim_module *mod = port->mod;
	bool lowpwr = cmis_lowpwr_request(port);
	bool moved = false;
	unsigned int lane, b;
	u8 *p10 = cmis_p10(mod, 0);
	u8 st = mod->mstate;

	if (port->faults.stuck_fault && st != OSIM_MS_FAULT) {
		osim_a0(mod)->lower.data[41] = 0x01;	/* TEC runaway */
		cmis_set_mstate(mod, OSIM_MS_FAULT, 0);
		moved = true;
	}
	switch (mod->mstate) {
	case OSIM_MS_LOWPWR:
		if (!lowpwr) {
			cmis_set_mstate(mod, OSIM_MS_PWRUP,
					t + osim_dur(port, mod->pwrup_ms));
			moved = true;
		}
		break;
	case OSIM_MS_PWRUP:
		if (lowpwr) {
			cmis_set_mstate(mod, OSIM_MS_PWRDN,
					t + osim_dur(port, mod->pwrdn_ms));
			moved = true;
		} else if (t >= mod->mdeadline) {
			cmis_set_mstate(mod, OSIM_MS_READY, 0);
			moved = true;
		}
		break;
	case OSIM_MS_READY:
		if (lowpwr) {
			cmis_set_mstate(mod, OSIM_MS_PWRDN,
					t + osim_dur(port, mod->pwrdn_ms));
			moved = true;
		}
		break;
	case OSIM_MS_PWRDN:
		if (t >= mod->mdeadline) {
			cmis_set_mstate(mod, OSIM_MS_LOWPWR, 0);
			moved = true;
		}
		break;
	default:
		break;
	}

	if (!p10 || mod->flat)
		return moved;

	for (b = 0; b * OSIM_LANES_PER_BANK < mod->lanes; b++)
		if (mod->cfg_mask[b] && t >= mod->cfg_deadline[b]) {
			cmis_config_done(mod, b);
			moved = true;
		}
	/* one step per data path, taken by its first lane */
	for (lane = 0; lane < mod->lanes; lane++) {
		u8 unit = cmis_dp_of(mod, lane);

		if (unit && lane % OSIM_LANES_PER_BANK == __ffs(unit))
			moved |= cmis_dp_step(port, lane - lane % OSIM_LANES_PER_BANK,
					      unit, t);
	}
	return moved;
}

static ktime_t earliest(ktime_t next, ktime_t dl)
{
	return dl && (!next || dl < next) ? dl : next;
}

static ktime_t cmis_next_deadline(struct osim_module *mod)
{
	ktime_t next = mod->mdeadline;
	unsigned int lane, b;

	for (lane = 0; lane < mod->lanes; lane++)
		next = earliest(next, mod->dp_deadline[lane]);
	for (b = 0; b < OSIM_MAX_BANKS; b++)
		if (mod->cfg_mask[b])
			next = earliest(next, mod->cfg_deadline[b]);
	return next;
}

/*
 * Advance the state machines to @now, visiting every deadline in order.
 * Returns true if one moved.
 */
static bool cmis_advance(struct osim_port *port, ktime_t now)
{
	struct osim_module *mod = port->mod;
	ktime_t t = now;
	ktime_t next = cmis_next_deadline(mod);
	unsigned int guard = 1000;
	bool moved = false;

	if (next && next < now)
		t = next;
	while (guard--) {
		while (cmis_step(port, t) && guard--)
			moved = true;
		next = cmis_next_deadline(mod);
		if (!next || next > now)
			break;
		/* a deadline at or before now: jump to it, never back in time */
		t = max(t, next);
		if (t == now && next == now) {
			if (!cmis_step(port, t))
				break;
			moved = true;
		}
	}
	return moved;
}

/* ---- monitors ---- */

static u64 osim_mix(u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* 10^(k/10) in parts per million, k = 0..9 */
static const u32 osim_db_ppm[10] = {
	1000000, 1258925, 1584893, 1995262, 2511886,
	3162278, 3981072, 5011872, 6309573, 7943282,
};

/* @v scaled by @mdb milli-decibels (clamped to +/-40 dB). */
static s64 osim_scale_mdb(s64 v, s64 mdb)
{
	s64 d, f, a, e;

	mdb = clamp_t(s64, mdb, -40000, 40000);
	d = div_s64(mdb + 100000, 1000) - 100;		/* floor(mdb / 1000) */
	f = mdb - d * 1000;				/* 0..999 mdB */
	v = div_s64(v * osim_db_ppm[(d + 100) % 10], 1000000);
	for (d = div_s64(d + 100, 10) - 10; d > 0; d--)
		v *= 10;
	for (; d < 0; d++)
		v = div_s64(v, 10);
	/* 10^(f/10000) = exp(a), a = f * ln(10) / 10000; third-order series */
	a = div_s64(f * 230259, 1000);			/* ppm */
	e = 1000000 + a + div_s64(a * a, 2000000) +
	    div_s64(div_s64(a * a, 1000000) * a, 6000000);
	return div_s64(v * e, 1000000);
}

/* Set point plus the drifts accumulated since mon_epoch. */
static s64 osim_mon_drifted(struct osim_port *port, ktime_t now,
			    const struct osim_mon *m)
{
	s64 ms = ktime_ms_delta(now, port->mod->mon_epoch) * port->mon_accel;
	s64 v = m->value;

	if (m->drift)
		v += div_s64(m->drift * ms, 3600000);
	if (m->drift_ppm) {
		s64 ppm = clamp_t(s64, div_s64(m->drift_ppm * ms, 3600000),
				  -1000000000LL, 1000000000LL);

		v += div_s64(v * ppm, 1000000);
	}
	if (m->drift_mdb)
		v = osim_scale_mdb(v, div_s64(m->drift_mdb * ms, 3600000));
	return v;
}

static s64 osim_mon_value(struct osim_port *port, ktime_t now,
			  enum osim_mon_id id, unsigned int lane)
{
	struct osim_module *mod = port->mod;
	const struct osim_mon *m = &mod->mon[id][lane];
	s64 v = osim_mon_drifted(port, now, m);

	if (m->noise) {
		/* a new noise sample every mon_interval_ms, stable in between */
		u64 r = osim_mix(mod->rng ^ (mod->mon_tick << 16) ^
				 (id << 8) ^ lane);

		v += div_s64(m->noise * ((s64)(r % 2001) - 1000), 1000);
	}
	v += m->offset;
	return v < 0 && id != OSIM_MON_TEMP ? 0 : v;
}

/* Fold the drift accumulated so far into the set points. */
void osim_mon_rebase(struct osim_port *port)
{
	struct osim_module *mod = port->mod;
	ktime_t now = osim_clock(port);
	unsigned int id, l;

	for (id = 0; id < OSIM_MON_NR; id++)
		for (l = 0; l < OSIM_MAX_LANES; l++) {
			struct osim_mon *m = &mod->mon[id][l];

			m->value = osim_mon_drifted(port, now, m);
		}
	mod->mon_epoch = now;
}

void osim_mon_set_defaults(struct osim_module *mod, s64 temp, s64 vcc,
			   s64 bias, s64 txpwr, s64 rxpwr)
{
	unsigned int l, k;

	for (l = 0; l < OSIM_MAX_LANES; l++) {
		/* the spread repeats every 16 lanes: no lane starts near 0 */
		k = l % 16;
		mod->mon[OSIM_MON_TEMP][l].value = temp;
		mod->mon[OSIM_MON_TEMP][l].noise = 250;
		mod->mon[OSIM_MON_VCC][l].value = vcc;
		mod->mon[OSIM_MON_VCC][l].noise = 3000;
		/* lanes differ a little, as real lasers do */
		mod->mon[OSIM_MON_BIAS][l].value = bias + (s64)k * bias / 50;
		mod->mon[OSIM_MON_BIAS][l].noise = bias / 200;
		mod->mon[OSIM_MON_TXPWR][l].value = txpwr - (s64)k * txpwr / 40;
		mod->mon[OSIM_MON_TXPWR][l].noise = txpwr / 200;
		mod->mon[OSIM_MON_RXPWR][l].value = rxpwr - (s64)k * rxpwr / 30;
		mod->mon[OSIM_MON_RXPWR][l].noise = rxpwr / 100;
	}
}

static u16 clamp_u16(s64 v)
{
	return clamp_t(s64, v, 0, 0xffff);
}

/* Monitor @id of @lane in register units of @unit (nW, µV, µA per LSB). */
static u16 mon_raw(struct osim_port *port, ktime_t now, enum osim_mon_id id,
		   unsigned int lane, unsigned int unit)
{
	return clamp_u16(div_s64(osim_mon_value(port, now, id, lane), unit));
}

static u16 temp_raw(s64 mc)
{
	/* s16 in 1/256 °C */
	return (u16)(s16)clamp_t(s64, div_s64(mc * 256, 1000), -32768, 32767);
}

/* Alarm/warning comparison against four big-endian thresholds at @thr:
 * high alarm, low alarm, high warning, low warning. Returns a nibble with
 * bit 0 = high alarm, 1 = low alarm, 2 = high warning, 3 = low warning.
 */
static u8 thr_flags(const u8 *thr, u16 raw, bool is_signed)
{
	s32 v = is_signed ? (s16)raw : raw;
	s32 th[4];
	u8 f = 0;
	int i;

	for (i = 0; i < 4; i++) {
		u16 r = osim_get_be16(thr + 2 * i);

		th[i] = is_signed ? (s16)r : r;
	}
	if (!th[0] && !th[1] && !th[2] && !th[3])
		return 0;
	if (v > th[0])
		f |= BIT(0);
	if (v < th[1])
		f |= BIT(1);
	if (v > th[2])
		f |= BIT(2);
	if (v < th[3])
		f |= BIT(3);
	return f;
}

/*
 * Track the alarm and LOS conditions of monitor @id on @lane: @f holds
 * OSIM_COND_* bits as they are now, @value the reading (docs/sim.md units).
 * Each condition that starts or ends goes to the event log.
 */
static void osim_cond(struct osim_port *port, enum osim_mon_id id,
		      unsigned int lane, u8 f, s64 value)
{
	u8 *c = &port->mod->cond[id][lane];
	u8 now = f & (OSIM_COND_HA | OSIM_COND_LA | OSIM_COND_LOS);
	u8 up = now & ~*c, down = *c & ~now;

	*c = now;
	if (up & OSIM_COND_HA)
		osim_event_log(port, OSIM_EV_ALARM, id, lane, false, value);
	if (up & OSIM_COND_LA)
		osim_event_log(port, OSIM_EV_ALARM, id, lane, true, value);
	if (up & OSIM_COND_LOS)
		osim_event_log(port, OSIM_EV_LOS, id, lane, true, value);
	if (down & OSIM_COND_HA)
		osim_event_log(port, OSIM_EV_ALARM_CLEAR, id, lane, false,
			       value);
	if (down & OSIM_COND_LA)
		osim_event_log(port, OSIM_EV_ALARM_CLEAR, id, lane, true,
			       value);
	if (down & OSIM_COND_LOS)
		osim_event_log(port, OSIM_EV_LOS_CLEAR, id, lane, true, value);
}

/* Register units back to docs/sim.md units: 1/256 °C, 100 µV, 2 µA, 0.1 µW. */
static s64 temp_mc(u16 raw)
{
	return div_s64((s64)(s16)raw * 1000, 256);
}

static bool lane_tx_on(struct osim_module *mod, unsigned int lane)
{
	u8 *p10;

	if (mod->spec != OSIM_SPEC_CMIS)
		return true;
	if (mod->flat)
		return false;
	p10 = cmis_p10(mod, lane);
	if (p10 && (p10[130] & lane_bit(lane)))	/* OutputDisableTx */
		return false;
	/* media input loopback: it sends what it receives, nothing on LOS */
	if ((osim_diag_loopbacks(mod, lane) &
	     (OSIM_LB_MEDIA_IN | OSIM_LB_MEDIA_OUT)) == OSIM_LB_MEDIA_IN &&
	    (mod->cond[OSIM_MON_RXPWR][lane] & OSIM_COND_LOS))
		return false;
	return mod->dp_state[lane] == OSIM_DP_ACTIVATED;
}

static void cmis_monitors(struct osim_port *port, ktime_t now)
{
	struct osim_module *mod = port->mod;
	u8 *lo = osim_a0(mod)->lower.data;
	u8 *p02 = upper(osim_a0(mod), 0x02);
	u8 *p11 = cmis_p11(mod, 0);
	s64 temp = osim_mon_value(port, now, OSIM_MON_TEMP, 0);
	u16 t, v;
	unsigned int l;
	u8 f;

	/* load: a powered-up module runs warmer than one in low power */
	if (mod->mstate == OSIM_MS_READY || mod->mstate == OSIM_MS_PWRUP)
		temp += port->temp_load_mc;
	t = temp_raw(temp);
	v = clamp_u16(div_s64(osim_mon_value(port, now, OSIM_MON_VCC, 0), 100));
	osim_put_be16(&lo[14], t);
	osim_put_be16(&lo[16], v);
	if (p02) {
		/* CMIS 5.2 Table 8-9 byte 9: temp bits 3-0, Vcc bits 7-4 (HA, LA, HW, LW) */
		f = thr_flags(&p02[128], t, true) |
		    thr_flags(&p02[136], v, false) << 4;
		osim_latch(mod, &lo[9], f);
		osim_cond(port, OSIM_MON_TEMP, 0, f & 0xf, temp_mc(t));
		osim_cond(port, OSIM_MON_VCC, 0, f >> 4, (s64)v * 100);
	}
	if (!p11 || mod->flat)
		return;
	for (l = 0; l < mod->lanes; l++) {
		/* lane l: page 11h of bank l / 8, lane li of it (CMIS 5.2 8.4.1) */
		unsigned int li = l % OSIM_LANES_PER_BANK;
		u8 lb = lane_bit(l);
		bool on = lane_tx_on(mod, l);
		u16 txp = on ? mon_raw(port, now, OSIM_MON_TXPWR, l, 100) : 0;
		u16 bias = on ? mon_raw(port, now, OSIM_MON_BIAS, l, 2) : 0;
		u8 loops = osim_diag_loopbacks(mod, l);
		/* media output loopback: the receiver sees its own transmitter */
		u16 rxp = loops & OSIM_LB_MEDIA_OUT ? txp :
			  mon_raw(port, now, OSIM_MON_RXPWR, l, 100);
		int i;

		p11 = cmis_p11(mod, l);
		if (!p11)
			continue;
		osim_put_be16(&p11[154 + 2 * li], txp);
		osim_put_be16(&p11[170 + 2 * li], bias);
		osim_put_be16(&p11[186 + 2 * li], rxp);
		/* Output status: Rx byte 132, Tx byte 133 */
		if (on)
			p11[133] |= lb;
		else
			p11[133] &= ~lb;
		/* host output loopback: the Rx output goes back into the module */
		if (mod->dp_state[l] == OSIM_DP_ACTIVATED &&
		    !(loops & OSIM_LB_HOST_OUT))
			p11[132] |= lb;
		else
			p11[132] &= ~lb;
		if (!p02)
			continue;
		/* thresholds: Tx power 176, Tx bias 184, Rx power 192 */
		f = on ? thr_flags(&p02[176], txp, false) : 0;
		for (i = 0; i < 4; i++)
			if (f & BIT(i))
				osim_latch(mod, &p11[139 + i], lb);
		osim_cond(port, OSIM_MON_TXPWR, l, f, (s64)txp * 100);
		f = on ? thr_flags(&p02[184], bias, false) : 0;
		for (i = 0; i < 4; i++)
			if (f & BIT(i))
				osim_latch(mod, &p11[143 + i], lb);
		osim_cond(port, OSIM_MON_BIAS, l, f, (s64)bias * 2);
		f = thr_flags(&p02[192], rxp, false);
		for (i = 0; i < 4; i++)
			if (f & BIT(i))
				osim_latch(mod, &p11[149 + i], lb);
		/* Rx LOS below a tenth of the low alarm threshold */
		if (rxp < osim_get_be16(&p02[194]) / 10) {
			osim_latch(mod, &p11[147], lb);
			f |= OSIM_COND_LOS;
		}
		osim_cond(port, OSIM_MON_RXPWR, l, f, (s64)rxp * 100);
	}
}

/* SFF-8636 Table 6-8 flag nibble order is HA, LA, HW, LW from bit 7 down. */
static u8 sff8636_nibble(u8 f)
{
	return ((f & BIT(0)) << 3) | ((f & BIT(1)) << 1) |
	       ((f & BIT(2)) >> 1) | ((f & BIT(3)) >> 3);
}

static void sff8636_monitors(struct osim_port *port, ktime_t now)
{
	struct osim_module *mod = port->mod;
	u8 *lo = osim_a0(mod)->lower.data;
	u8 *p03 = upper(osim_a0(mod), 0x03);
	/* SFF-8636 Table 6-24 byte 93: Power_override selects Power_set over LPMode */
	bool lowpwr = (lo[93] & BIT(0)) ? !!(lo[93] & BIT(1)) : port->lpmode_line;
	u16 t, v;
	unsigned int l;
	u8 f, rf;

	t = temp_raw(osim_mon_value(port, now, OSIM_MON_TEMP, 0) +
		     (lowpwr ? 0 : port->temp_load_mc));
	v = clamp_u16(div_s64(osim_mon_value(port, now, OSIM_MON_VCC, 0), 100));
	osim_put_be16(&lo[22], t);
	osim_put_be16(&lo[26], v);
	if (p03) {
		f = thr_flags(&p03[128], t, true);
		osim_latch(mod, &lo[6], sff8636_nibble(f) << 4);
		osim_cond(port, OSIM_MON_TEMP, 0, f, temp_mc(t));
		f = thr_flags(&p03[144], v, false);
		osim_latch(mod, &lo[7], sff8636_nibble(f) << 4);
		osim_cond(port, OSIM_MON_VCC, 0, f, (s64)v * 100);
	}
	for (l = 0; l < mod->lanes && l < 4; l++) {
		bool on = !lowpwr && !(lo[86] & BIT(l));
		u16 rxp = mon_raw(port, now, OSIM_MON_RXPWR, l, 100);
		u16 bias = on ? mon_raw(port, now, OSIM_MON_BIAS, l, 2) : 0;
		u16 txp = on ? mon_raw(port, now, OSIM_MON_TXPWR, l, 100) : 0;
		unsigned int shift = (l & 1) ? 0 : 4;

		osim_put_be16(&lo[34 + 2 * l], rxp);
		osim_put_be16(&lo[42 + 2 * l], bias);
		osim_put_be16(&lo[50 + 2 * l], txp);
		if (!p03)
			continue;
		/* SFF-8636 Table 6-5: Rx power 9-10, Tx bias 11-12, Tx power 13-14 */
		rf = thr_flags(&p03[176], rxp, false);
		osim_latch(mod, &lo[9 + l / 2], sff8636_nibble(rf) << shift);
		f = on ? thr_flags(&p03[184], bias, false) : 0;
		osim_latch(mod, &lo[11 + l / 2], sff8636_nibble(f) << shift);
		osim_cond(port, OSIM_MON_BIAS, l, f, (s64)bias * 2);
		f = on ? thr_flags(&p03[192], txp, false) : 0;
		osim_latch(mod, &lo[13 + l / 2], sff8636_nibble(f) << shift);
		osim_cond(port, OSIM_MON_TXPWR, l, f, (s64)txp * 100);
		if (rxp < osim_get_be16(&p03[178]) / 10) {
			osim_latch(mod, &lo[3], BIT(l));	/* Rx LOS */
			rf |= OSIM_COND_LOS;
		}
		osim_cond(port, OSIM_MON_RXPWR, l, rf, (s64)rxp * 100);
	}
}

static void sff8472_monitors(struct osim_port *port, ktime_t now)
{
	struct osim_module *mod = port->mod;
	struct osim_target *a2 = osim_target_find(mod, OSIM_ADDR_A2);
	u8 *d, al = 0, al2 = 0, wn = 0, wn2 = 0, f;
	u16 t, v, bias, txp, rxp;
	bool on;

	if (!a2)
		return;
	d = a2->lower.data;
	on = !(d[110] & BIT(6));
	t = temp_raw(osim_mon_value(port, now, OSIM_MON_TEMP, 0) +
		     port->temp_load_mc);
	v = clamp_u16(div_s64(osim_mon_value(port, now, OSIM_MON_VCC, 0), 100));
	bias = on ? clamp_u16(div_s64(osim_mon_value(port, now, OSIM_MON_BIAS, 0), 2)) : 0;
	txp = on ? clamp_u16(div_s64(osim_mon_value(port, now, OSIM_MON_TXPWR, 0), 100)) : 0;
	rxp = clamp_u16(div_s64(osim_mon_value(port, now, OSIM_MON_RXPWR, 0), 100));
	osim_put_be16(&d[96], t);
	osim_put_be16(&d[98], v);
	osim_put_be16(&d[100], bias);
	osim_put_be16(&d[102], txp);
	osim_put_be16(&d[104], rxp);
	/* SFF-8472 Table 9-12: real-time status and flags, not latched */
	d[110] = (d[110] & ~(BIT(7) | BIT(2) | BIT(1))) | (on ? 0 : BIT(7));
	if (rxp < osim_get_be16(&d[34]) / 10)
		d[110] |= BIT(1);
	f = thr_flags(&d[0], t, true);
	osim_cond(port, OSIM_MON_TEMP, 0, f, temp_mc(t));
	al |= (f & 1) << 7 | (f & 2) << 5;
	wn |= (f & 4) << 5 | (f & 8) << 3;
	f = thr_flags(&d[8], v, false);
	osim_cond(port, OSIM_MON_VCC, 0, f, (s64)v * 100);
	al |= (f & 1) << 5 | (f & 2) << 3;
	wn |= (f & 4) << 3 | (f & 8) << 1;
	f = thr_flags(&d[16], bias, false);
	osim_cond(port, OSIM_MON_BIAS, 0, on ? f : 0, (s64)bias * 2);
	al |= (f & 1) << 3 | (f & 2) << 1;
	wn |= (f & 4) << 1 | (f & 8) >> 1;
	f = thr_flags(&d[24], txp, false);
	osim_cond(port, OSIM_MON_TXPWR, 0, on ? f : 0, (s64)txp * 100);
	al |= (f & 1) << 1 | (f & 2) >> 1;
	wn |= (f & 4) >> 1 | (f & 8) >> 3;
	f = thr_flags(&d[32], rxp, false);
	osim_cond(port, OSIM_MON_RXPWR, 0,
		  f | (d[110] & BIT(1) ? OSIM_COND_LOS : 0), (s64)rxp * 100);
	al2 |= (f & 1) << 7 | (f & 2) << 5;
	wn2 |= (f & 4) << 5 | (f & 8) << 3;
	d[112] = al;
	d[113] = al2;
	d[116] = wn;
	d[117] = wn2;
}

/* CMIS 5.2 8.2.5: IntL is asserted while an unmasked latched flag is set. */
static bool cmis_intl(struct osim_module *mod)
{
	u8 *lo = osim_a0(mod)->lower.data;
	unsigned int i, b;
	u8 *p10, *p11;

	for (i = 8; i <= 13; i++)
		if (lo[i] & ~lo[31 + i - 8])
			return true;
	if (mod->flat)
		return false;
	/* lane flags of every bank, masked by the same bank's page 10h */
	for (b = 0; b < OSIM_MAX_BANKS; b++) {
		p10 = cmis_p10(mod, b * OSIM_LANES_PER_BANK);
		p11 = cmis_p11(mod, b * OSIM_LANES_PER_BANK);
		if (!p10 || !p11)
			continue;
		for (i = 134; i <= 153; i++)
			if (p11[i] & ~p10[213 + i - 134])
				return true;
	}
	return false;
}

bool osim_module_intl(struct osim_port *port)
{
	struct osim_module *mod = port->mod;

	if (!port->present || !mod)
		return false;
	switch (mod->spec) {
	case OSIM_SPEC_CMIS:
		return cmis_intl(mod);
	case OSIM_SPEC_SFF8636:
		return !(osim_a0(mod)->lower.data[2] & BIT(1));
	default:
		return false;
	}
}

/*
 * The module's clock, which every timed behaviour follows (state machines,
 * MgmtInit, CDB, monitor drift): real time, except that a test may hold it
 * and move it on by hand (debugfs "clock") to look at a transient state
 * however slow the guest is.
 */
ktime_t osim_clock(const struct osim_port *port)
{
	return ktime_sub(port->clock_held ? port->clock_held_at : ktime_get(),
			 port->clock_lag);
}

/* "hold", "run" or "advance MS"; port->lock held. */
int osim_clock_set(struct osim_port *port, char *cmd)
{
	unsigned int ms;

	if (sysfs_streq(cmd, "hold")) {
		if (port->clock_held)
			return 0;
		osim_module_update(port);
		port->clock_held_at = ktime_get();
		port->clock_held = true;
	} else if (sysfs_streq(cmd, "run")) {
		if (!port->clock_held)
			return 0;
		port->clock_lag = ktime_add(port->clock_lag,
					    ktime_sub(ktime_get(),
						      port->clock_held_at));
		port->clock_held = false;
	} else if (sscanf(cmd, "advance %u", &ms) == 1 && port->clock_held) {
		port->clock_held_at = ktime_add_ms(port->clock_held_at, ms);
	} else {
		return -EINVAL;
	}
	osim_module_update(port);
	return 0;
}

/* One monitor sample: values, thresholds, latched flags, conditions. */
static void osim_module_sample(struct osim_port *port, ktime_t now, u64 tick)
{
	struct osim_module *mod = port->mod;

	mod->nrelatch = 0;
	mod->relatch_lost = false;
	mod->mon_tick = tick;
	mod->mon_stale = false;
	switch (mod->spec) {
	case OSIM_SPEC_CMIS:
		cmis_monitors(port, now);
		break;
	case OSIM_SPEC_SFF8636:
		sff8636_monitors(port, now);
		break;
	case OSIM_SPEC_SFF8472:
		sff8472_monitors(port, now);
		break;
	default:
		break;
	}
}

/*
 * Bring the module's behaviour up to date with its clock. The state
 * machines, CDB and the diagnostics' counters follow the clock exactly;
 * the monitors are sampled once per mon_interval_ms, as a module's own
 * monitoring loop refreshes them, and again whenever something they
 * depend on changed (a state, a write, a knob: osim_module_update()).
 * The transfers of one poll within a sample read the same values, and
 * the flags their reads cleared are set again from that sample
 * (osim_module_relatch()).
 */
void osim_module_sync(struct osim_port *port)
{
	struct osim_module *mod = port->mod;
	ktime_t now = osim_clock(port);
	u64 tick;

	if (!mod)
		return;
	if (mod->spec == OSIM_SPEC_CMIS) {
		if (cmis_advance(port, now))
			mod->mon_stale = true;
		osim_cdb_update(port, now);
	}
	if (!mod->image) {
		tick = div_u64(ktime_to_ms(now),
			       max_t(u32, port->mon_interval_ms, 1));
		if (mod->mon_stale || tick != mod->mon_tick)
			osim_module_sample(port, now, tick);
		if (mod->spec == OSIM_SPEC_CMIS && !mod->flat)
			osim_diag_update(port, now);
	}
	osim_module_intl_update(port);
}

/* Something the monitors depend on changed: sample them now. */
void osim_module_update(struct osim_port *port)
{
	if (port->mod)
		port->mod->mon_stale = true;
	osim_module_sync(port);
}

/**
 * osim_module_next_change_ms - when the module next changes by itself
 * @port: the port, its lock held
 * @max_ms: the longest answer
 *
 * Its next monitor sample or state-machine deadline (a latched flag can
 * come with either), in ms from now, at most @max_ms; @max_ms while the
 * module's clock is held or nothing is due.
 */
unsigned int osim_module_next_change_ms(struct osim_port *port,
					unsigned int max_ms)
{
	struct osim_module *mod = port->mod;
	u32 iv = max_t(u32, port->mon_interval_ms, 1);
	ktime_t now = osim_clock(port), next;
	u64 ms;

	if (!mod || port->clock_held)
		return max_ms;
	ms = mod->image ? max_ms : iv - div_u64(ktime_to_ms(now), iv) % iv;
	if (mod->spec == OSIM_SPEC_CMIS) {
		next = cmis_next_deadline(mod);
		if (next && next > now)
			ms = min_t(u64, ms,
				   DIV_ROUND_UP_ULL(ktime_to_ns(next - now),
						    NSEC_PER_MSEC));
	}
	return clamp_t(u64, ms, 1, max_ms);
}

/* Recompute the interrupt status bits and the IntL line, e.g. after a read
 * cleared latched flags: IntL deasserts as soon as the flags are read.
 */
void osim_module_intl_update(struct osim_port *port)
{
	struct osim_module *mod = port->mod;
	u8 *lo;

	if (mod) {
		lo = osim_a0(mod)->lower.data;
		if (mod->spec == OSIM_SPEC_CMIS) {
			/* byte 3 bit 0: Interrupt deasserted */
			if (cmis_intl(mod))
				lo[3] &= ~BIT(0);
			else
				lo[3] |= BIT(0);
		} else if (mod->spec == OSIM_SPEC_SFF8636) {
			/* byte 2 bit 1: IntL level, 0 = asserted */
			if (memchr_inv(&lo[3], 0, 12))
				lo[2] &= ~BIT(1);
			else
				lo[2] |= BIT(1);
		}
	}
	osim_gpio_update(port);
}

/* Latch @bits of flag register @reg, and keep them for osim_module_relatch(). */
void osim_latch(struct osim_module *mod, u8 *reg, u8 bits)
{
	if (!bits)
		return;
	*reg |= bits;
	if (mod->nrelatch < ARRAY_SIZE(mod->relatch))
		mod->relatch[mod->nrelatch++] = (struct osim_relatch){ reg, bits };
	else
		mod->relatch_lost = true;
}

/*
 * A read cleared latched flags in the middle of a transaction: conditions
 * still present set them again at once, so IntL stays asserted. They are
 * those of the monitor run this transaction began with, re-applied
 * without running the monitors again.
 */
void osim_module_relatch(struct osim_port *port)
{
	struct osim_module *mod = port->mod;
	unsigned int i;

	if (mod && mod->relatch_lost) {
		osim_module_update(port);
		return;
	}
	for (i = 0; mod && i < mod->nrelatch; i++)
		*mod->relatch[i].reg |= mod->relatch[i].bits;
	osim_module_intl_update(port);
}

/*
 * Power-on: @cold means the module was already running when the simulator
 * started (straight to Ready, data paths active, flags clear); otherwise it
 * walks LowPwr -> PwrUp -> Ready with the advertised timing.
 */
void osim_module_start(struct osim_port *port, bool cold)
{
	struct osim_module *mod = port->mod;
	ktime_t now = osim_clock(port);
	unsigned int l;

	mod->mon_epoch = now;
	mod->rng = get_random_u32();
	/* a module starting anew reports every condition it has again */
	memset(mod->cond, 0, sizeof(mod->cond));
	if (!cold && port->init_ms)
		mod->init_until = ktime_add(now, osim_dur(port, port->init_ms));
	if (mod->spec != OSIM_SPEC_CMIS || mod->image)
		goto out;
	mod->mstate = OSIM_MS_LOWPWR;
	mod->mdeadline = 0;
	memset(mod->cfg_mask, 0, sizeof(mod->cfg_mask));
	for (l = 0; l < OSIM_MAX_LANES; l++) {
		mod->dp_state[l] = 0;
		mod->dp_deadline[l] = 0;
		mod->dp_reinit[l] = false;
		if (l < mod->lanes)
			cmis_set_dp(mod, l, OSIM_DP_DEACTIVATED, 0);
	}
	if (cold) {
		u32 scale = port->time_scale;
		unsigned int b;
		u8 *p11;

		port->time_scale = 0;
		cmis_advance(port, now);
		port->time_scale = scale;
		osim_a0(mod)->lower.data[8] = 0;
		for (b = 0; b < OSIM_MAX_BANKS; b++) {
			p11 = cmis_p11(mod, b * OSIM_LANES_PER_BANK);
			if (p11)
				p11[134] = 0;
		}
	} else {
		cmis_set_mstate(mod, OSIM_MS_LOWPWR, 0);
		cmis_advance(port, now);
	}
out:
	osim_module_update(port);
}

/* Software reset or ResetL: the module re-initialises its volatile state. */
void osim_module_reset(struct osim_port *port)
{
	struct osim_module *old = port->mod, *mod;

	if (!old || old->image || !old->profile)
		return;	/* an image is replayed as it is */
	mod = osim_module_build(port, old->profile);
	if (IS_ERR(mod)) {
		dev_warn(&port->adap.dev, "reset: rebuild failed: %ld\n",
			 PTR_ERR(mod));
		return;
	}
	/*
	 * The physics (monitor knobs, and the drift so far: a laser does not
	 * get younger by a reset or a re-plug) and the firmware survive.
	 */
	osim_mon_rebase(port);
	memcpy(mod->mon, old->mon, sizeof(mod->mon));
	mod->fw = old->fw;
	mod->fw.downloading = false;
	osim_fw_publish(mod);
	osim_port_set_module(port, mod, old->profile->name);
	osim_module_start(port, false);
}

static struct osim_page *osim_cur_page(struct osim_module *mod,
				       struct osim_target *t, u8 *idx, u8 off)
{
	u8 page = 0, bank = 0;

	if (off < OSIM_PAGE_SIZE) {
		*idx = off;
		return &t->lower;
	}
	*idx = off;
	if (t->paged && !mod->flat) {
		page = t->lower.data[127];
		/* CMIS 5.2 8.2.1: only pages 10h-FFh are banked */
		if (t->banked && page >= 0x10)
			bank = t->lower.data[126];
	}
	return osim_page_get(t, bank, page);
}

/**
 * osim_module_read - the bytes of a read message, from the target's pointer
 * @port: the port, its lock held
 * @t: the target addressed
 * @buf: the message's buffer
 * @len: its length
 *
 * A read does not move the page select, so the upper page is looked up once
 * per message. Unsupported pages read as zeroes.
 *
 * Return: whether the read cleared a latched byte.
 */
bool osim_module_read(struct osim_port *port, struct osim_target *t, u8 *buf,
		      u16 len)
{
	struct osim_page *pg, *upper = NULL;
	bool looked = false, cleared = false;
	u8 idx;
	u16 j;

	for (j = 0; j < len; j++) {
		u8 off = t->ptr++;

		if (off < OSIM_PAGE_SIZE) {
			pg = &t->lower;
		} else {
			if (!looked)
				upper = osim_cur_page(port->mod, t, &idx, off);
			looked = true;
			pg = upper;
		}
		buf[j] = pg ? pg->data[off] : 0;
		if (buf[j] && test_bit(off, pg->cor)) {
			pg->data[off] = 0;
			cleared = true;
		}
	}
	return cleared;
}

/*
 * ApplyDPInit (@imm false) or ApplyImmediate of staged control set 0 on the
 * lanes @mask of bank @bank (CMIS 5.2 6.2.4, Table 8-63): validate it now,
 * report ConfigInProgress for config_ms, then the result (cmis_config_done).
 * A command is applied whole or not at all: when a data path fails, its
 * lanes report why and the other lanes of the command ConfigRejected.
 */
static void cmis_apply(struct osim_port *port, unsigned int bank, u8 *p10,
		       u8 mask, bool imm)
{
	struct osim_module *mod = port->mod;
	unsigned int base = bank * OSIM_LANES_PER_BANK, n, li;
	u8 *p11 = cmis_p11(mod, base);
	/* CMIS 5.2 Table 8-5 byte 2 bit 6: no intervention-free reconfiguration */
	bool stepped = osim_a0(mod)->lower.data[2] & BIT(6);
	bool failed = false;
	u8 st;

	if (!p11 || mod->image || base >= mod->lanes)
		return;
	n = bank_lanes(mod, bank);
	mask &= GENMASK(n - 1, 0);
	/* Table 8-83: a command is ignored by lanes still ConfigInProgress */
	if (!mask || mod->cfg_mask[bank])
		return;
	for (li = 0; li < n; li++) {
		if (!(mask & BIT(li)))
			continue;
		if (imm && stepped)
			st = OSIM_CFG_REJECTED;
		else if (port->faults.config_reject && !failed)
			st = port->faults.config_reject & 0xf;
		else
			st = cmis_check_dp(mod, &p10[145], n, li, mask);
		/* the data path the lane leaves goes whole too */
		if (st == OSIM_CFG_SUCCESS &&
		    (dp_lanes(&p11[206], n, li) & mask) !=
		    dp_lanes(&p11[206], n, li))
			st = OSIM_CFG_PARTIAL;
		/* Table 8-83 code 6: ApplyDPInit needs DPDeactivated lanes */
		if (st == OSIM_CFG_SUCCESS && !imm &&
		    mod->dp_state[base + li] != OSIM_DP_DEACTIVATED)
			st = OSIM_CFG_LANES_IN_USE;
		failed |= st != OSIM_CFG_SUCCESS;
		mod->cfg_status[base + li] = st;
		mod->cfg_set[base + li] = p10[145 + li];
		cfg_status_put(p11, li, OSIM_CFG_IN_PROGRESS);
	}
	port->faults.config_reject = 0;
	for (li = 0; failed && li < n; li++)
		if ((mask & BIT(li)) &&
		    mod->cfg_status[base + li] == OSIM_CFG_SUCCESS)
			mod->cfg_status[base + li] = OSIM_CFG_REJECTED;
	mod->cfg_mask[bank] = mask;
	mod->cfg_immediate[bank] = imm;
	mod->cfg_deadline[bank] = ktime_add(osim_clock(port),
					    osim_dur(port, mod->config_ms));
}

void osim_module_write(struct osim_port *port, struct osim_target *t, u8 off,
		       u8 val)
{
	struct osim_module *mod = port->mod;
	struct osim_page *pg;
	u8 idx;

	if (off == 127 && t->paged) {
		if (port->faults.drop_page_select) {
			port->faults.drop_page_select--;
			return;
		}
		/* CMIS 5.2 8.2.3: a flat-memory module ignores page selects */
		if (!mod->flat)
			t->lower.data[127] = val;
		return;
	}
	if (off == 126 && t->banked) {
		if (!mod->flat && val < OSIM_MAX_BANKS)
			t->lower.data[126] = val;
		return;
	}
	pg = osim_cur_page(mod, t, &idx, off);
	if (!pg || !test_bit(idx, pg->wr))
		return;	/* read-only or reserved: ignored, as modules do */
	pg->data[idx] = val;

	if (mod->spec != OSIM_SPEC_CMIS || t != osim_a0(mod))
		return;
	if (off == 26 && (val & BIT(3))) {
		pg->data[idx] &= ~BIT(3);
		mod->reset_pending = true;
	} else if ((off == 143 || off == 144) && t->lower.data[127] == 0x10 &&
		   pg == osim_page_get(t, t->lower.data[126], 0x10)) {
		/* ApplyDPInit / ApplyImmediate: self-clearing triggers */
		cmis_apply(port, t->lower.data[126], pg->data, val, off == 144);
		pg->data[idx] = 0;
	} else if (pg == osim_page_get(t, 0, 0x9f) && off == 129) {
		mod->cdb_pending = true;
	}
}

/* End of a write transaction: let the module act on what was written. */
void osim_module_written(struct osim_port *port)
{
	struct osim_module *mod = port->mod;

	if (!mod)
		return;
	if (mod->cdb_pending) {
		mod->cdb_pending = false;
		osim_cdb_run(port);
	}
	if (mod->reset_pending) {
		mod->reset_pending = false;
		osim_module_reset(port);
		return;
	}
	osim_module_update(port);
}

/* ---- image load: "page PP [bank B] [i2c AA]" sections, "OFFS: hex bytes" ---- */

static enum osim_spec osim_spec_of(u8 id)
{
	switch (id) {
	case 0x03:
		return OSIM_SPEC_SFF8472;
	case 0x0c:
	case 0x0d:
	case 0x11:
		return OSIM_SPEC_SFF8636;
	case 0x00:
		return OSIM_SPEC_NONE;
	default:
		return OSIM_SPEC_CMIS;
	}
}

struct osim_img_byte {
	u8 addr, bank, page, off, val;
};

static int osim_img_parse_line(char *line, u8 *page, u8 *bank, u8 *addr,
			       struct osim_img_byte *out, unsigned int *n,
			       unsigned int max)
{
	char *p = strim(line), *tok;
	unsigned int off, v;

	if (!*p || *p == '#')
		return 0;
	if (!strncmp(p, "page", 4) && isspace(p[4])) {
		p += 4;
		*bank = 0;
		*addr = OSIM_ADDR_A0;
		tok = strsep(&p, " \t");	/* empty: the leading blank */
		while ((tok = strsep(&p, " \t"))) {
			if (!*tok)
				continue;
			if (!strcmp(tok, "bank")) {
				tok = strsep(&p, " \t");
				if (!tok || kstrtou8(tok, 0, bank) ||
				    *bank >= OSIM_MAX_BANKS)
					return -EINVAL;
			} else if (!strcmp(tok, "i2c")) {
				tok = strsep(&p, " \t");
				if (!tok || kstrtou8(tok, 16, addr) ||
				    (*addr != OSIM_ADDR_A0 &&
				     *addr != OSIM_ADDR_A2))
					return -EINVAL;
			} else if (kstrtou8(tok, 16, page)) {
				return -EINVAL;
			}
		}
		return 0;
	}
	tok = strsep(&p, ":");
	if (!p || kstrtouint(strim(tok), 16, &off) || off > 255)
		return -EINVAL;
	while ((tok = strsep(&p, " \t"))) {
		if (!*tok)
			continue;
		if (off > 255 || strlen(tok) != 2 || kstrtouint(tok, 16, &v))
			return -EINVAL;
		if (*n >= max)
			return -E2BIG;
		out[*n].addr = *addr;
		out[*n].bank = *bank;
		out[*n].page = *page;
		out[*n].off = off++;
		out[(*n)++].val = v;
	}
	return 0;
}

int osim_module_load_image(struct osim_port *port, const char *text)
{
	const unsigned int max = 256 * 64;
	struct osim_img_byte *b;
	struct osim_module *mod = NULL;
	char *buf, *cur, *line;
	u8 page = 0, bank = 0, addr = OSIM_ADDR_A0, id = 0;
	unsigned int n = 0, i;
	int ret;

	buf = kstrdup(text, GFP_KERNEL);
	b = kvcalloc(max, sizeof(*b), GFP_KERNEL);
	ret = -ENOMEM;
	if (!buf || !b)
		goto out;
	cur = buf;
	while ((line = strsep(&cur, "\n"))) {
		ret = osim_img_parse_line(line, &page, &bank, &addr, b, &n, max);
		if (ret)
			goto out;
	}
	ret = -EINVAL;
	for (i = 0; i < n; i++)
		if (b[i].addr == OSIM_ADDR_A0 && b[i].off == 0)
			id = b[i].val;
	if (!n)
		goto out;
	ret = -ENOMEM;
	mod = osim_module_alloc();
	if (!mod)
		goto out;
	mod->image = true;
	mod->spec = osim_spec_of(id);
	if (mod->spec == OSIM_SPEC_SFF8472) {
		if (!osim_target_add(mod, OSIM_ADDR_A0, false, false) ||
		    !osim_target_add(mod, OSIM_ADDR_A2, true, false))
			goto out;
	} else if (!osim_target_add(mod, OSIM_ADDR_A0, true,
				    mod->spec == OSIM_SPEC_CMIS)) {
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct osim_target *t = osim_target_find(mod, b[i].addr);
		struct osim_page *pg;

		if (!t) {
			ret = -EINVAL;
			goto out;
		}
		if (b[i].off < OSIM_PAGE_SIZE) {
			t->lower.data[b[i].off] = b[i].val;
			continue;
		}
		pg = osim_page_add(t, b[i].bank, b[i].page);
		if (!pg)
			goto out;
		pg->data[b[i].off] = b[i].val;
	}
	if (mod->spec == OSIM_SPEC_CMIS)
		mod->flat = !!(mod->tgt[0].lower.data[2] & BIT(7));
	mod->tgt[0].lower.data[126] = 0;
	mod->tgt[0].lower.data[127] = 0;
	osim_apply_rules(mod);

	osim_port_set_module(port, mod, "image");
	osim_module_start(port, false);
	mod = NULL;
	ret = 0;
out:
	osim_module_free(mod);
	kvfree(b);
	kfree(buf);
	return ret;
}

/* Byte write and clear-on-read rules of each management interface. */
void osim_apply_rules(struct osim_module *mod)
{
	struct osim_target *t = &mod->tgt[0];
	struct osim_page *pg;
	unsigned int b;

	switch (mod->spec) {
	case OSIM_SPEC_CMIS:
		/* CMIS 5.2 Table 8-4: controls 26, masks 31-36, password 118-125 */
		osim_rw_range(&t->lower, 26, 26);
		osim_rw_range(&t->lower, 31, 36);
		osim_rw_range(&t->lower, 118, 125);
		osim_cor_range(&t->lower, 8, 13);
		if (mod->flat)
			break;
		pg = osim_page_get(t, 0, 0x03);
		if (pg)
			osim_rw_range(pg, 128, 255);	/* user EEPROM */
		for (b = 0; b < OSIM_MAX_BANKS; b++) {
			pg = osim_page_get(t, b, 0x10);
			if (pg) {
				osim_rw_range(pg, 128, 142);
				osim_rw_range(pg, 143, 144);
				osim_rw_range(pg, 145, 255);
			}
			pg = osim_page_get(t, b, 0x11);
			if (pg)
				osim_cor_range(pg, 134, 153);
			pg = osim_page_get(t, b, 0x9f);
			if (pg)
				osim_rw_range(pg, 128, 255);
		}
		osim_diag_rules(mod);
		for (b = 0xa0; b <= 0xaf; b++) {
			pg = osim_page_get(t, 0, b);
			if (pg)
				osim_rw_range(pg, 128, 255);
		}
		break;
	case OSIM_SPEC_SFF8636:
		/* SFF-8636 Table 6-1: flags 3-14 latched; controls 86-99, masks 100-106 */
		osim_cor_range(&t->lower, 3, 14);
		osim_rw_range(&t->lower, 86, 99);
		osim_rw_range(&t->lower, 100, 106);
		osim_rw_range(&t->lower, 119, 126);
		pg = osim_page_get(t, 0, 0x03);
		if (pg)
			osim_rw_range(pg, 226, 255);	/* channel controls */
		break;
	case OSIM_SPEC_SFF8472:
		t = osim_target_find(mod, OSIM_ADDR_A2);
		if (!t)
			break;
		/* SFF-8472 Table 4-3: 110 bits 6/3, 118, password 123-126, user 128-247 */
		osim_rw_range(&t->lower, 110, 110);
		osim_rw_range(&t->lower, 118, 118);
		osim_rw_range(&t->lower, 123, 126);
		pg = osim_page_get(t, 0, 0x00);
		if (pg)
			osim_rw_range(pg, 128, 247);
		break;
	default:
		break;
	}
}
