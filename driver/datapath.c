// SPDX-License-Identifier: GPL-2.0
/*
 * optic: CMIS application and data-path control (CMIS 5.2 section 6.3.3,
 * pages 10h and 11h): stage an application on whole instances, apply it,
 * and move data paths between DPDeactivated and DPActivated. Sits beside
 * control.c, on the page layer.
 *
 * The change itself (DPDeinit, staged set, apply, ConfigStatus) runs as one
 * operation under mod->lock, so no reader sees a half-applied set; the wait
 * for the data paths to come up (seconds) takes the lock once per look.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>

#include "optic.h"

/* CMIS 5.2 Table 8-4: lower page byte 2 bit 6, SteppedConfigOnly. */
#define CMIS_CONFIG_CAPS		2
#define CMIS_STEPPED_CONFIG_ONLY	BIT(6)
/* CMIS 5.2 Table 8-7: application descriptors 1-8, four bytes each. */
#define CMIS_APP_LOWER			86
/* CMIS 5.2 Table 8-41: page 01h 223-250, application descriptors 9-15. */
#define CMIS_APP_PAGE01			223
#define CMIS_APP_END			0xff	/* host interface ID: list end */
#define CMIS_APP_MAX			15
/* CMIS 5.2 Table 8-40: page 01h byte 144, DPDeinit 7-4 and DPInit 3-0. */
#define CMIS_DUR_DPINIT			144
/* CMIS 5.2 Table 8-44: page 01h byte 168, TxTurnOff 7-4 and TxTurnOn 3-0. */
#define CMIS_DUR_TX			168
/* CMIS 5.2 Table 8-53: page 10h, bank lanes 1-8. */
#define CMIS_DP_DEINIT			128
#define CMIS_APPLY_DPINIT		143
#define CMIS_APPLY_IMMEDIATE		144
#define CMIS_STAGED0			145	/* DPConfigLane 1-8 of set 0 */
/* CMIS 5.2 Table 8-71: page 11h, bank lanes 1-8. */
#define CMIS_DP_STATE			128	/* 4 bits per lane, lane 1 low */
#define CMIS_CONFIG_STATUS		202	/* 4 bits per lane, lane 1 low */
#define CMIS_ACTIVE			206	/* DPConfigLane 1-8, active */
/* DPConfigLane: AppSel 7-4, DataPathID 3-1, ExplicitControl 0. */
#define DP_APPSEL(b)			((b) >> 4)
#define DP_ID(b)			(((b) >> 1) & 0x7)

/* CMIS 5.2 Table 8-72: DPState codes. */
#define DP_DEACTIVATED			0x1
#define DP_ACTIVATED			0x4

/* Time between looks at ConfigStatus or DPState. */
#define OPTIC_DP_POLL_MS		20
/* No module gets longer than this, whatever it advertises. */
#define OPTIC_DP_WAIT_MAX_MS		60000

/* CMIS 5.2 Table 8-43: state duration encoding, upper bound of each code. */
static const unsigned int optic_duration_ms[] = {
	1, 5, 10, 50, 100, 500, 1000, 5000, 10000, 60000, 300000, 600000,
	3000000,
};

/* One application descriptor (CMIS 5.2 Table 8-7). */
struct optic_app {
	u8 host_lanes;		/* HostLaneCount */
	u8 assign;		/* HostLaneAssignmentOptions: bit n = lane n+1 */
};

/* What a request is checked against, read before a byte is written. */
struct optic_dp_plan {
	u32 lanes;
	struct optic_app app;		/* of req->appsel */
	u8 active[OPTIC_MAX_LANES];	/* DPConfigLane of the active set */
	u32 deinit;			/* DPDeinit of every lane, before */
	unsigned int deinit_ms, init_ms, txon_ms, txoff_ms;
};

static unsigned int optic_duration(u8 code)
{
	if (code >= ARRAY_SIZE(optic_duration_ms))
		return OPTIC_DP_WAIT_MAX_MS;
	return min_t(unsigned int, optic_duration_ms[code],
		     OPTIC_DP_WAIT_MAX_MS);
}

static struct optic_loc optic_dp_loc(u8 page, unsigned int bank)
{
	return (struct optic_loc){ .i2c_addr = OPTIC_ADDR_A0, .page = page,
				   .bank = bank };
}

/* The banks with lanes in @lanes, as a bitmap. */
static unsigned long optic_dp_banks(u32 lanes)
{
	unsigned long banks = 0;
	unsigned int b;

	for (b = 0; b < OPTIC_MAX_BANKS; b++)
		if ((lanes >> (b * OPTIC_LANES_PER_BANK)) & 0xff)
			banks |= BIT(b);
	return banks;
}

static u8 optic_bank_bits(u32 lanes, unsigned int bank)
{
	return lanes >> (bank * OPTIC_LANES_PER_BANK);
}

/* Nibble of lane @l (0-based within its bank) in a 4-bit-per-lane array. */
static u8 optic_nibble(const u8 *p, unsigned int l)
{
	return (p[l / 2] >> (l % 2 ? 4 : 0)) & 0xf;
}

/* DPState, ConfigStatus and the active set of every lane. */
static int optic_dp_read(struct optic_module *mod, struct optic_dp_status *st)
{
	unsigned int b, l, n = mod->ident.lanes;
	u8 buf[CMIS_ACTIVE + OPTIC_LANES_PER_BANK - CMIS_DP_STATE];
	int ret;

	memset(st, 0, sizeof(*st));
	for (b = 0; b * OPTIC_LANES_PER_BANK < n; b++) {
		struct optic_loc loc = optic_dp_loc(0x11, b);

		/* 128-213 in one read: DPState through the active set */
		ret = optic_read(mod, &loc, CMIS_DP_STATE, buf, sizeof(buf));
		if (ret)
			return ret;
		for (l = 0; l < OPTIC_LANES_PER_BANK &&
		     b * OPTIC_LANES_PER_BANK + l < n; l++) {
			unsigned int i = b * OPTIC_LANES_PER_BANK + l;
			u8 cfg = buf[CMIS_ACTIVE - CMIS_DP_STATE + l];

			st->state[i] = optic_nibble(buf, l);
			st->config_status[i] =
				optic_nibble(&buf[CMIS_CONFIG_STATUS -
						  CMIS_DP_STATE], l);
			st->app[i] = DP_APPSEL(cfg);
			st->dpid[i] = DP_ID(cfg);
		}
	}
	st->lanes = n;
	return 0;
}

/**
 * optic_datapath_get - the data paths of every lane, read now
 * @mod: the module, its lock held
 * @st: result
 */
int optic_datapath_get(struct optic_module *mod, struct optic_dp_status *st)
{
	int ret;

	lockdep_assert_held(&mod->lock);
	ret = optic_ensure_identified(mod);
	if (ret)
		return ret;
	if (mod->ident.spec != OPTIC_SPEC_CMIS || mod->ident.flat)
		return -EOPNOTSUPP;
	return optic_dp_read(mod, st);
}

/* Application @appsel's descriptor (CMIS 5.2 8.3.6: the list ends at FFh). */
static int optic_dp_app(struct optic_module *mod, u8 appsel,
			struct optic_app *app, const char **why)
{
	struct optic_loc loc = optic_dp_loc(0, 0);
	u8 d[4 * CMIS_APP_MAX] = {};
	unsigned int i;
	int ret;

	ret = optic_read(mod, &loc, CMIS_APP_LOWER, d, 4 * 8);
	if (!ret && appsel > 8) {
		loc.page = 0x01;
		ret = optic_read(mod, &loc, CMIS_APP_PAGE01, &d[4 * 8],
				 4 * (CMIS_APP_MAX - 8));
	}
	if (ret)
		return ret;
	for (i = 0; i < appsel; i++) {
		if (d[4 * i] == CMIS_APP_END || !d[4 * i]) {
			*why = "AppSel is not advertised by the module";
			return -EINVAL;
		}
	}
	app->host_lanes = d[4 * (appsel - 1) + 2] >> 4;
	app->assign = d[4 * (appsel - 1) + 3];
	if (!app->host_lanes || app->host_lanes > OPTIC_LANES_PER_BANK) {
		*why = "the application advertises no usable host lane count";
		return -EINVAL;
	}
	return 0;
}

/*
 * CMIS 5.2 6.2.1.2: an application instance occupies HostLaneCount
 * consecutive lanes starting at a lane its HostLaneAssignmentOptions
 * allow. Lanes of a bank are numbered within the bank (8.4.1), so the
 * options apply to each bank alike.
 */
static bool optic_dp_instances_ok(const struct optic_app *app, u32 lanes)
{
	unsigned int b, l;

	for (b = 0; b < OPTIC_MAX_BANKS; b++) {
		u8 bits = optic_bank_bits(lanes, b);
		u8 inst = GENMASK(app->host_lanes - 1, 0);

		for (l = 0; l < OPTIC_LANES_PER_BANK; l++) {
			if (!(bits & BIT(l)))
				continue;
			if (!(app->assign & BIT(l)) ||
			    l + app->host_lanes > OPTIC_LANES_PER_BANK ||
			    (bits & (inst << l)) != (u8)(inst << l))
				return false;
			bits &= ~(inst << l);
		}
	}
	return true;
}

/* The lanes of the active data path lane @i belongs to. */
static u32 optic_dp_of(const struct optic_dp_plan *p, unsigned int n,
		       unsigned int i)
{
	unsigned int b = i / OPTIC_LANES_PER_BANK, l;
	u32 dp = 0;

	if (!DP_APPSEL(p->active[i]))
		return BIT(i);
	for (l = b * OPTIC_LANES_PER_BANK;
	     l < min(n, (b + 1) * OPTIC_LANES_PER_BANK); l++)
		if (p->active[l] == p->active[i])
			dp |= BIT(l);
	return dp;
}

/* The active set and DPDeinit of bank @b's lanes. */
static int optic_dp_plan_bank(struct optic_module *mod, unsigned int b,
			      struct optic_dp_plan *p)
{
	unsigned int first = b * OPTIC_LANES_PER_BANK;
	struct optic_loc loc = optic_dp_loc(0x11, b);
	u8 v;
	int ret;

	ret = optic_read(mod, &loc, CMIS_ACTIVE, &p->active[first],
			 min_t(unsigned int, OPTIC_LANES_PER_BANK,
			       mod->ident.lanes - first));
	if (ret)
		return ret;
	loc.page = 0x10;
	ret = optic_read(mod, &loc, CMIS_DP_DEINIT, &v, 1);
	if (ret)
		return ret;
	p->deinit |= (u32)v << first;
	return 0;
}

/* Read and check what the request needs; nothing is written. */
static int optic_dp_plan(struct optic_module *mod,
			 const struct optic_dp_req *req,
			 struct optic_dp_plan *p, const char **why)
{
	struct optic_loc loc = optic_dp_loc(0, 0);
	unsigned int n = mod->ident.lanes, i, b;
	u8 v;
	int ret;

	memset(p, 0, sizeof(*p));
	p->lanes = req->lanes;
	if (mod->ident.spec != OPTIC_SPEC_CMIS || mod->ident.flat) {
		*why = "not a paged CMIS module: no data-path control";
		return -EOPNOTSUPP;
	}
	if (!req->lanes || req->lanes & ~optic_lane_mask(mod)) {
		*why = "lane mask names lanes the module does not have";
		return -ERANGE;
	}
	ret = optic_module_state(mod);
	if (ret < 0)
		return ret;
	if (ret != OPTIC_STATE_READY) {
		*why = "module is not in ModuleReady";
		return -EBUSY;
	}
	for (b = 0; b * OPTIC_LANES_PER_BANK < n; b++) {
		ret = optic_dp_plan_bank(mod, b, p);
		if (ret)
			return ret;
	}
	for (i = 0; i < n; i++) {
		if ((req->lanes & BIT(i)) &&
		    (optic_dp_of(p, n, i) & ~req->lanes)) {
			*why = "lanes cover part of an active data path: name all its lanes";
			return -EINVAL;
		}
	}
	if (req->appsel) {
		ret = optic_dp_app(mod, req->appsel, &p->app, why);
		if (ret)
			return ret;
		if (!optic_dp_instances_ok(&p->app, req->lanes)) {
			*why = "lanes are not whole instances of the application's lane assignment";
			return -EINVAL;
		}
	}
	loc = optic_dp_loc(0, 0);
	if (req->immediate) {
		ret = optic_read(mod, &loc, CMIS_CONFIG_CAPS, &v, 1);
		if (ret)
			return ret;
		if (v & CMIS_STEPPED_CONFIG_ONLY) {
			*why = "module is SteppedConfigOnly: no ApplyImmediate";
			return -EOPNOTSUPP;
		}
	}
	loc.page = 0x01;
	ret = optic_read(mod, &loc, CMIS_DUR_DPINIT, &v, 1);
	if (ret)
		return ret;
	p->deinit_ms = optic_duration(v >> 4);
	p->init_ms = optic_duration(v & 0xf);
	ret = optic_read(mod, &loc, CMIS_DUR_TX, &v, 1);
	if (ret)
		return ret;
	p->txon_ms = optic_duration(v & 0xf);
	p->txoff_ms = optic_duration(v >> 4);
	return 0;
}

/* How optic_dp_lane_reg() writes a bank's lane bits. */
enum optic_dp_how {
	OPTIC_DP_SET,		/* set them, keep the others */
	OPTIC_DP_CLEAR,		/* clear them, keep the others */
	OPTIC_DP_TRIGGER,	/* write them alone (self-clearing triggers) */
};

/* Lane register @reg of page 10h, in every bank with lanes in @lanes. */
static int optic_dp_lane_reg(struct optic_module *mod, u32 lanes, u8 reg,
			     enum optic_dp_how how)
{
	unsigned long banks = optic_dp_banks(lanes);
	unsigned int b;
	int ret;

	for_each_set_bit(b, &banks, OPTIC_MAX_BANKS) {
		struct optic_loc loc = optic_dp_loc(0x10, b);
		u8 m = optic_bank_bits(lanes, b), v = m;

		if (how != OPTIC_DP_TRIGGER) {
			ret = optic_read(mod, &loc, reg, &v, 1);
			if (ret)
				return ret;
			v = how == OPTIC_DP_SET ? v | m : v & ~m;
		}
		ret = optic_write(mod, &loc, reg, &v, 1);
		if (ret)
			return ret;
	}
	return 0;
}

/* Set (@deinit) or clear DPDeinit of @lanes. */
static int optic_dp_deinit(struct optic_module *mod, u32 lanes, bool deinit)
{
	return optic_dp_lane_reg(mod, lanes, CMIS_DP_DEINIT,
				 deinit ? OPTIC_DP_SET : OPTIC_DP_CLEAR);
}

/* Whether every lane of @lanes is in DPState @state. */
static bool optic_dp_all_in(const struct optic_dp_status *st, u32 lanes,
			    u8 state)
{
	unsigned int i;

	for (i = 0; i < st->lanes; i++)
		if ((lanes & BIT(i)) && st->state[i] != state)
			return false;
	return true;
}

/* Whether the module decided on every lane of @lanes (@state unused). */
static bool optic_dp_decided(const struct optic_dp_status *st, u32 lanes,
			     u8 state)
{
	unsigned int i;

	for (i = 0; i < st->lanes; i++)
		if ((lanes & BIT(i)) &&
		    st->config_status[i] == OPTIC_CONFIG_IN_PROGRESS)
			return false;
	return true;
}

typedef bool (*optic_dp_done_fn)(const struct optic_dp_status *st, u32 lanes,
				 u8 state);

/* Read the lanes into @st: 1 when @done holds for them, 0 if not, -errno. */
static int optic_dp_look(struct optic_module *mod, u32 lanes,
			 optic_dp_done_fn done, u8 state,
			 struct optic_dp_status *st)
{
	int ret = optic_dp_read(mod, st);

	return ret ?: done(st, lanes, state);
}

static bool optic_dp_rejected(const struct optic_dp_status *st, u32 lanes)
{
	unsigned int i;

	for (i = 0; i < st->lanes; i++)
		if ((lanes & BIT(i)) &&
		    st->config_status[i] != OPTIC_CONFIG_SUCCESS)
			return true;
	return false;
}

/* Under the lock: look until @done holds for @lanes, or @ms pass. */
static int optic_dp_wait_locked(struct optic_module *mod, u32 lanes,
				optic_dp_done_fn done, u8 state,
				unsigned int ms, struct optic_dp_status *st)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms) + 1;
	int ret;

	for (;;) {
		ret = optic_dp_look(mod, lanes, done, state, st);
		if (ret)
			return ret < 0 ? ret : 0;
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		msleep(OPTIC_DP_POLL_MS);
	}
}

/*
 * Write staged control set 0 for @p->lanes: AppSel, DataPathID (the first
 * lane of the instance, CMIS 5.2 Table 8-54) and ExplicitControl 0 (the
 * application's own signal integrity settings).
 */
static int optic_dp_stage(struct optic_module *mod, u8 appsel,
			  const struct optic_dp_plan *p)
{
	unsigned long banks = optic_dp_banks(p->lanes);
	unsigned int b, l, k, n = p->app.host_lanes;
	u8 set[OPTIC_LANES_PER_BANK];
	int ret;

	for_each_set_bit(b, &banks, OPTIC_MAX_BANKS) {
		struct optic_loc loc = optic_dp_loc(0x10, b);
		u8 bits = optic_bank_bits(p->lanes, b);

		ret = optic_read(mod, &loc, CMIS_STAGED0, set, sizeof(set));
		if (ret)
			return ret;
		/* optic_dp_instances_ok(): whole instances, in place */
		for (l = 0; l < OPTIC_LANES_PER_BANK; l++) {
			if (!(bits & BIT(l)))
				continue;
			for (k = 0; k < n; k++)
				set[l + k] = appsel << 4 | l << 1;
			l += n - 1;
		}
		ret = optic_write(mod, &loc, CMIS_STAGED0, set, sizeof(set));
		if (ret)
			return ret;
	}
	return 0;
}

static int optic_dp_apply(struct optic_module *mod, u32 lanes, bool immediate)
{
	return optic_dp_lane_reg(mod, lanes, immediate ? CMIS_APPLY_IMMEDIATE :
				 CMIS_APPLY_DPINIT, OPTIC_DP_TRIGGER);
}

/*
 * CMIS 5.2 6.3.3.1 (the step-by-step procedure): DPDeinit the lanes and
 * wait for DPDeactivated, write the staged set, ApplyDPInit, wait for
 * ConfigStatus. A rejected set leaves the active set as it was: the data
 * paths are then activated again as they were. ApplyImmediate (6.3.3.2)
 * skips the deinit.
 */
static int optic_dp_change(struct optic_module *mod,
			   const struct optic_dp_req *req,
			   const struct optic_dp_plan *p, bool *activate,
			   struct optic_dp_status *st, const char **why)
{
	unsigned int cfg_ms = max(p->init_ms, 1000U);
	int ret;

	if (!req->immediate) {
		ret = optic_dp_deinit(mod, p->lanes, true);
		if (!ret)
			ret = optic_dp_wait_locked(mod, p->lanes,
						   optic_dp_all_in,
						   DP_DEACTIVATED,
						   p->txoff_ms + p->deinit_ms,
						   st);
		if (ret == -ETIMEDOUT)
			*why = "data paths not DPDeactivated within the advertised DPDeinit time";
		if (ret)
			return ret;
	}
	ret = optic_dp_stage(mod, req->appsel, p);
	if (!ret)
		ret = optic_dp_apply(mod, p->lanes, req->immediate);
	if (!ret)
		ret = optic_dp_wait_locked(mod, p->lanes, optic_dp_decided,
					   0, cfg_ms, st);
	if (ret == -ETIMEDOUT)
		*why = "module left ConfigStatus in ConfigInProgress";
	if (ret)
		return ret;
	/* rejected: the active set is unchanged; so are its data paths */
	if (optic_dp_rejected(st, p->lanes))
		*activate = !(p->deinit & p->lanes);
	return 0;
}

/* Without the lock: look until @lanes reach @state or the module goes. */
static int optic_dp_wait(struct optic_module *mod, u32 lanes, u8 state,
			 unsigned int ms, u32 generation,
			 struct optic_dp_status *st, const char **why)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms) + 1;
	int ret;

	for (;;) {
		mutex_lock(&mod->lock);
		if (mod->gone) {
			ret = -ENODEV;
		} else if (!mod->identified ||
			   mod->generation != generation) {
			/* pulled or replaced: the cage stays, as for a read */
			ret = -ENXIO;
		} else {
			ret = optic_module_state(mod);
			if (ret >= 0 && ret != OPTIC_STATE_READY)
				ret = -ECANCELED;
			else if (ret >= 0)
				ret = optic_dp_look(mod, lanes,
						    optic_dp_all_in, state,
						    st);
		}
		mutex_unlock(&mod->lock);
		if (ret)
			break;
		if (time_after(jiffies, end)) {
			ret = -ETIMEDOUT;
			break;
		}
		msleep(OPTIC_DP_POLL_MS);
	}
	if (ret == -ENODEV)
		*why = "the cage is being removed";
	else if (ret == -ENXIO)
		*why = "module removed or replaced while its data paths changed";
	else if (ret == -ECANCELED)
		*why = "module left ModuleReady while its data paths changed (reset?)";
	else if (ret == -ETIMEDOUT)
		*why = "data paths not in the requested state within the advertised times";
	else if (ret < 0)
		*why = "module stopped answering while its data paths changed (pulled?)";
	return ret < 0 ? ret : 0;
}

/**
 * optic_datapath_set - application and data-path control
 * @mod: the module, its lock NOT held
 * @req: what to change
 * @st: the lanes afterwards
 * @why: a refusal's reason, for extack (static string)
 *
 * Return: 0 (a rejection by the module included: @st says it), or a
 * negative errno with @why set where the driver knows the reason.
 */
int optic_datapath_set(struct optic_module *mod,
		       const struct optic_dp_req *req,
		       struct optic_dp_status *st, const char **why)
{
	bool activate = req->activate != 0;
	struct optic_dp_plan p;
	unsigned int ms;
	u32 generation;
	u8 class;
	int ret;

	mutex_lock(&mod->lock);
	class = optic_bus_class_set(mod, OPTIC_BUS_CLASS_CONTROL);
	ret = mod->gone ? -ENODEV : optic_ensure_identified(mod);
	if (!ret)
		ret = optic_dp_plan(mod, req, &p, why);
	if (!ret && req->appsel)
		ret = optic_dp_change(mod, req, &p, &activate, st, why);
	/* ApplyImmediate leaves DPDeinit alone unless asked to deactivate */
	if (!ret && !(req->appsel && req->immediate && activate))
		ret = optic_dp_deinit(mod, p.lanes, !activate);
	generation = mod->generation;
	optic_bus_class_set(mod, class);
	mutex_unlock(&mod->lock);
	if (ret)
		return ret;

	/* CMIS 5.2 6.3.3: TxTurnOn follows DPInit, TxTurnOff precedes DPDeinit */
	ms = activate ? p.init_ms + p.txon_ms : p.txoff_ms + p.deinit_ms;
	return optic_dp_wait(mod, p.lanes,
			     activate ? DP_ACTIVATED : DP_DEACTIVATED,
			     ms, generation, st, why);
}
