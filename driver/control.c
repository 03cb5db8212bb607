// SPDX-License-Identifier: GPL-2.0
/*
 * optic: states and controls: module and data-path state tracking, LPMode,
 * TX disable, reset, the monitors of a record's snapshot.
 */
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "optic.h"

static int optic_read_module_state(struct optic_module *mod);

/*
 * A module state read from the module becomes the tracked state: a change
 * is reported (@report) in the order the driver saw it, and the read's time
 * makes the tracked state fresh (optic_tracked_state()).
 */
static void optic_state_seen(struct optic_module *mod, int state, bool report)
{
	mod->state_at = get_jiffies_64() ?: 1;
	if (state == mod->last_state)
		return;
	if (report) {
		optic_event_state(mod, OPTIC_EVENT_MODULE_STATE, -1,
				  mod->last_state, state);
		/*
		 * The module may have reset itself (CMIS CDB Run image): its
		 * page mapping and advertisement may be new.
		 */
		optic_invalidate_select(mod);
		optic_cache_refresh(mod);
	}
	mod->last_state = state;
}

/**
 * optic_track_state - follow module and data-path states
 * @mod: the module, its lock held
 * @report: raise events for changes (false right after insertion)
 * @skip_recent: take data-path states some read brought in recently
 *	(optic_seen()) instead of reading them
 */
void optic_track_state(struct optic_module *mod, bool report,
		       bool skip_recent)
{
	struct optic_loc loc = { .i2c_addr = OPTIC_ADDR_A0, .page = 0x11 };
	u8 dp[OPTIC_LANES_PER_BANK / 2], v;
	int state, lane, lanes, n, i;
	const u8 *seen;

	lockdep_assert_held(&mod->lock);
	if (!mod->identified)
		return;
	state = optic_read_module_state(mod);
	if (state >= 0)
		optic_state_seen(mod, state, report);
	if (mod->ident.spec != OPTIC_SPEC_CMIS || mod->ident.flat)
		return;
	lanes = min_t(int, mod->ident.lanes, OPTIC_MAX_LANES);
	/*
	 * CMIS 5.2: DPStateHostLane, page 11h bytes 128-131 of each bank
	 * (8.4.1: bank b holds lanes 8b+1..8b+8, two lanes per byte). Banks
	 * in order, so the events of one poll come in lane order.
	 */
	for (lane = 0; lane < lanes; lane += OPTIC_LANES_PER_BANK) {
		n = min_t(int, lanes - lane, OPTIC_LANES_PER_BANK);
		loc.bank = lane / OPTIC_LANES_PER_BANK;
		seen = skip_recent ? optic_seen(mod, OPTIC_SEEN_DP + loc.bank) :
				     NULL;
		if (seen)
			memcpy(dp, seen, sizeof(dp));
		else if (optic_read(mod, &loc, 128, dp, DIV_ROUND_UP(n, 2)))
			return;
		for (i = 0; i < n; i++) {
			v = (dp[i / 2] >> (4 * (i % 2))) & 0xf;
			if (v == mod->last_dp[lane + i])
				continue;
			if (report)
				optic_event_state(mod,
						  OPTIC_EVENT_DATAPATH_STATE,
						  lane + i,
						  mod->last_dp[lane + i], v);
			mod->last_dp[lane + i] = v;
		}
	}
}

static int optic_rmw(struct optic_module *mod, const struct optic_loc *loc,
		     unsigned int offset, u8 mask, u8 value)
{
	u8 v;
	int ret;

	ret = optic_read(mod, loc, offset, &v, 1);
	if (ret)
		return ret;
	v = (v & ~mask) | (value & mask);
	return optic_write(mod, loc, offset, &v, 1);
}

/* CMIS 5.2: lower page byte 26: module global controls. */
#define CMIS_GLOBAL_CTRL		26
#define CMIS_LOWPWR_REQUEST_SW		BIT(4)
#define CMIS_SOFTWARE_RESET		BIT(3)
/* SFF-8636: byte 93: power and reset controls. */
#define SFF8636_POWER_CTRL		93
#define SFF8636_POWER_OVERRIDE		BIT(0)
#define SFF8636_POWER_SET		BIT(1)
#define SFF8636_SOFTWARE_RESET		BIT(7)
/* SFF-8636: byte 86 bits 3-0: Tx4..Tx1 disable. */
#define SFF8636_TX_DISABLE		86
/* CMIS 5.2: page 10h byte 130: OutputDisableTx, lane N bit N-1. */
#define CMIS_TX_DISABLE			130
/* SFF-8472: A2h byte 110 bit 6: Soft TX Disable Select. */
#define SFF8472_STATUS_CTRL		110
#define SFF8472_SOFT_TX_DISABLE		BIT(6)

/**
 * optic_get_lpmode - whether low power is requested
 * @mod: the module, its lock held
 *
 * Return: 0 or 1, or a negative errno.
 */
int optic_get_lpmode(struct optic_module *mod)
{
	struct optic_loc loc = { .i2c_addr = OPTIC_ADDR_A0 };
	u8 v;
	int ret;

	ret = optic_ensure_identified(mod);
	if (ret)
		return ret;
	switch (mod->ident.spec) {
	case OPTIC_SPEC_CMIS:
		ret = optic_read(mod, &loc, CMIS_GLOBAL_CTRL, &v, 1);
		return ret ?: !!(v & CMIS_LOWPWR_REQUEST_SW);
	case OPTIC_SPEC_SFF8636:
		ret = optic_read(mod, &loc, SFF8636_POWER_CTRL, &v, 1);
		if (ret)
			return ret;
		v &= SFF8636_POWER_OVERRIDE | SFF8636_POWER_SET;
		return v == (SFF8636_POWER_OVERRIDE | SFF8636_POWER_SET);
	default:
		if (mod->gpio_lpmode)
			return gpiod_get_value_cansleep(mod->gpio_lpmode);
		return -EOPNOTSUPP;
	}
}

/*
 * Drives the LPMode line when there is one and the module's software
 * control where the spec has it.
 */
static int __optic_set_lpmode(struct optic_module *mod, bool lpmode)
{
	struct optic_loc loc = { .i2c_addr = OPTIC_ADDR_A0 };
	int ret;

	if (mod->gone)
		return -ENODEV;
	mod->state_at = 0;
	if (mod->gpio_lpmode)
		gpiod_set_value_cansleep(mod->gpio_lpmode, lpmode);
	ret = optic_ensure_identified(mod);
	if (ret)
		return ret;
	switch (mod->ident.spec) {
	case OPTIC_SPEC_CMIS:
		return optic_rmw(mod, &loc, CMIS_GLOBAL_CTRL,
				 CMIS_LOWPWR_REQUEST_SW,
				 lpmode ? CMIS_LOWPWR_REQUEST_SW : 0);
	case OPTIC_SPEC_SFF8636:
		return optic_rmw(mod, &loc, SFF8636_POWER_CTRL,
				 SFF8636_POWER_OVERRIDE | SFF8636_POWER_SET,
				 SFF8636_POWER_OVERRIDE |
				 (lpmode ? SFF8636_POWER_SET : 0));
	default:
		return mod->gpio_lpmode ? 0 : -EOPNOTSUPP;
	}
}

/**
 * optic_set_lpmode - request low power (or leave it)
 * @mod: the module, its lock held
 * @lpmode: true for low power
 * @who: who asks, for the flight recorder
 */
int optic_set_lpmode(struct optic_module *mod, bool lpmode,
		     enum optic_who who)
{
	u8 class = optic_bus_class_set(mod, OPTIC_BUS_CLASS_CONTROL);
	int ret = __optic_set_lpmode(mod, lpmode);

	optic_bus_class_set(mod, class);
	optic_event_control(mod, OPTIC_EVENT_LPMODE, who, lpmode, 0, ret);
	return ret;
}

/* Where the TX disable bits of this module live. */
static int optic_tx_disable_reg(struct optic_module *mod,
				struct optic_loc *loc, unsigned int *offset)
{
	memset(loc, 0, sizeof(*loc));
	loc->i2c_addr = OPTIC_ADDR_A0;
	switch (mod->ident.spec) {
	case OPTIC_SPEC_CMIS:
		if (mod->ident.flat)
			return -EOPNOTSUPP;
		loc->page = 0x10;
		*offset = CMIS_TX_DISABLE;
		return 0;
	case OPTIC_SPEC_SFF8636:
		*offset = SFF8636_TX_DISABLE;
		return 0;
	case OPTIC_SPEC_SFF8472:
		if (!mod->ident.has_a2)
			return -EOPNOTSUPP;
		loc->i2c_addr = OPTIC_ADDR_A2;
		*offset = SFF8472_STATUS_CTRL;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/**
 * optic_get_tx_disable - transmitters disabled, bit N = lane N
 * @mod: the module, its lock held
 * @mask: result
 *
 * CMIS: OutputDisableTx of each bank's page 10h, bank b giving lanes
 * 8b..8b+7 (CMIS 5.2 8.4.1), only the banks the module has lanes in.
 */
int optic_get_tx_disable(struct optic_module *mod, u32 *mask)
{
	struct optic_loc loc;
	unsigned int offset, b;
	u32 m = 0;
	u8 v;
	int ret;

	ret = optic_ensure_identified(mod);
	if (!ret)
		ret = optic_tx_disable_reg(mod, &loc, &offset);
	if (ret)
		return ret;
	for (b = 0; b < mod->ident.banks; b++) {
		loc.bank = b;
		ret = optic_read(mod, &loc, offset, &v, 1);
		if (ret)
			return ret;
		m |= (u32)v << (b * OPTIC_LANES_PER_BANK);
		if (mod->ident.spec != OPTIC_SPEC_CMIS)
			break;
	}
	switch (mod->ident.spec) {
	case OPTIC_SPEC_SFF8636:
		*mask = m & 0xf;
		break;
	case OPTIC_SPEC_SFF8472:
		*mask = !!(m & SFF8472_SOFT_TX_DISABLE);
		break;
	default:
		*mask = m & optic_lane_mask(mod);
		break;
	}
	return 0;
}

static int __optic_set_tx_disable(struct optic_module *mod, u32 mask,
				  u32 value)
{
	struct optic_loc loc;
	unsigned int offset, b;
	int ret;

	ret = optic_ensure_identified(mod);
	if (!ret)
		ret = optic_tx_disable_reg(mod, &loc, &offset);
	if (ret)
		return ret;
	if (mask & ~optic_lane_mask(mod))
		return -ERANGE;
	if (mod->ident.spec == OPTIC_SPEC_SFF8472)
		return optic_rmw(mod, &loc, offset, SFF8472_SOFT_TX_DISABLE,
				 value & 1 ? SFF8472_SOFT_TX_DISABLE : 0);
	if (mod->ident.spec != OPTIC_SPEC_CMIS)
		return optic_rmw(mod, &loc, offset, mask, value);
	/*
	 * CMIS 5.2 8.4.1: OutputDisableTx of lanes 8b+1..8b+8 is byte 130
	 * of bank b's page 10h. Only banks with lanes in @mask are written;
	 * banks are separate writes, so a failure may leave the earlier
	 * banks changed (the error is returned).
	 */
	for (b = 0; b < mod->ident.banks; b++) {
		u8 bm = mask >> (b * OPTIC_LANES_PER_BANK);

		if (!bm)
			continue;
		loc.bank = b;
		ret = optic_rmw(mod, &loc, offset, bm,
				value >> (b * OPTIC_LANES_PER_BANK));
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * optic_set_tx_disable - change the transmitters of the lanes in @mask
 * @mod: the module, its lock held
 * @mask: lanes to change, bit N = lane N
 * @value: new state of those lanes, 1 = disabled
 * @who: who asks, for the flight recorder
 *
 * Return: 0, -ERANGE when @mask names a lane the module lacks, or another
 * negative errno.
 */
int optic_set_tx_disable(struct optic_module *mod, u32 mask, u32 value,
			 enum optic_who who)
{
	u8 class = optic_bus_class_set(mod, OPTIC_BUS_CLASS_CONTROL);
	int ret = __optic_set_tx_disable(mod, mask, value);

	optic_bus_class_set(mod, class);
	optic_event_control(mod, OPTIC_EVENT_TX_DISABLE, who, value & mask,
			    mask, ret);
	return ret;
}

/*
 * Pulses ResetL when the cage has the line, else uses the software reset
 * of CMIS and SFF-8636. The module keeps its identity; volatile state and
 * the page mapping start over.
 */
static int __optic_reset(struct optic_module *mod)
{
	struct optic_loc loc = { .i2c_addr = OPTIC_ADDR_A0 };
	unsigned int offset;
	u8 v, bit;
	int ret;

	if (mod->gone)
		return -ENODEV;
	/* The module restarts: check presence and state on the bus again. */
	mod->present_at = 0;
	mod->state_at = 0;
	if (mod->gpio_reset) {
		/* SFF-8679 and the CMIS form factors: ResetL low >= 10 us. */
		gpiod_set_value_cansleep(mod->gpio_reset, 1);
		usleep_range(20, 50);
		gpiod_set_value_cansleep(mod->gpio_reset, 0);
		optic_invalidate_select(mod);
		return 0;
	}
	ret = optic_ensure_identified(mod);
	if (ret)
		return ret;
	switch (mod->ident.spec) {
	case OPTIC_SPEC_CMIS:
		offset = CMIS_GLOBAL_CTRL;
		bit = CMIS_SOFTWARE_RESET;
		break;
	case OPTIC_SPEC_SFF8636:
		offset = SFF8636_POWER_CTRL;
		bit = SFF8636_SOFTWARE_RESET;
		break;
	default:
		return -EOPNOTSUPP;
	}
	ret = optic_read(mod, &loc, offset, &v, 1);
	if (ret)
		return ret;
	v |= bit;
	/* The module NACKs while it resets: no completion polling. */
	ret = optic_bus_write_nowait(mod, mod->client, offset, &v, 1);
	optic_invalidate_select(mod);
	return ret;
}

/**
 * optic_reset - reset the module
 * @mod: the module, its lock held
 * @who: who asks, for the flight recorder
 */
int optic_reset(struct optic_module *mod, enum optic_who who)
{
	u8 class = optic_bus_class_set(mod, OPTIC_BUS_CLASS_CONTROL);
	int ret = __optic_reset(mod);

	optic_bus_class_set(mod, class);
	optic_event_control(mod, OPTIC_EVENT_RESET, who, 0, 0, ret);
	return ret;
}

/*
 * Where the module keeps its temperature when it advertises the monitor
 * (CMIS 5.2 page 01h byte 159 bit 0, Table 8-10 bytes 14-15; SFF-8636
 * Table 6-8 bytes 22-23; SFF-8472 A2h 96-97, internally calibrated
 * only, Table 8-5 byte 92 bits 6-5: an external calibration would need
 * its constants). The three share the format: s16, 1/256 degC.
 */
static int optic_temp_loc(struct optic_module *mod, struct optic_loc *loc,
			  u8 *offset)
{
	u8 v;
	int ret;

	*loc = (struct optic_loc){ .i2c_addr = OPTIC_ADDR_A0 };
	switch (mod->ident.spec) {
	case OPTIC_SPEC_CMIS:
		if (mod->ident.flat)
			return -EOPNOTSUPP;
		loc->page = 0x01;
		ret = optic_read(mod, loc, 159, &v, 1);
		loc->page = 0;
		*offset = 14;
		return ret ?: (v & BIT(0) ? 0 : -EOPNOTSUPP);
	case OPTIC_SPEC_SFF8636:
		*offset = 22;
		return 0;
	case OPTIC_SPEC_SFF8472:
		if (!mod->ident.has_a2)
			return -EOPNOTSUPP;
		ret = optic_read(mod, loc, 92, &v, 1);
		loc->i2c_addr = OPTIC_ADDR_A2;
		*offset = 96;
		return ret ?: ((v & 0x60) == 0x60 ? 0 : -EOPNOTSUPP);
	default:
		return -EOPNOTSUPP;
	}
}

/**
 * optic_read_temp - read the module temperature, for MODULE_GET
 * @mod: the module, its lock held
 * @skip_recent: not when some read brought it in recently
 *
 * The read itself leaves the value in mod->seen[OPTIC_SEEN_TEMP] (page.c).
 */
int optic_read_temp(struct optic_module *mod, bool skip_recent)
{
	struct optic_loc loc;
	u8 offset, t[2];
	int ret;

	if (!mod->identified ||
	    (skip_recent && optic_seen(mod, OPTIC_SEEN_TEMP)))
		return 0;
	ret = optic_temp_loc(mod, &loc, &offset);
	if (ret)
		return ret == -EOPNOTSUPP ? 0 : ret;
	return optic_read(mod, &loc, offset, t, sizeof(t));
}

static u16 optic_get_be16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

/*
 * CMIS 5.2 section 8.22, VDM: page 01h byte 142 bit 6 advertises pages
 * 20h-2Fh; page 2Fh byte 128 bits 1-0 the groups less one. Group g has 64
 * descriptors on page 20h + g (two bytes each: the even byte bits 3-0 the
 * lane of the bank, the odd byte the observable type ID) and their real
 * time values on page 24h + g, 16 bits each, in every bank in use.
 */
#define CMIS_VDM_ADV		142
#define CMIS_VDM_SUPPORTED	BIT(6)
#define CMIS_VDM_CTRL_PAGE	0x2f
#define CMIS_VDM_DESC_PAGE	0x20
#define CMIS_VDM_VALUE_PAGE	0x24
#define CMIS_VDM_INSTANCES	64

/*
 * The observables a link's snapshot wants: eSNR (5, 6), PAM4 level
 * transition parameter (7, 8), current pre-FEC BER (15, 16) and FEC
 * errored frames ratio (23, 24), media and host side.
 */
static bool optic_vdm_wanted(u8 type)
{
	return (type >= 5 && type <= 8) || type == 15 || type == 16 ||
	       type == 23 || type == 24;
}

static void optic_vdm_scan_group(struct optic_module *mod, u8 bank, u8 group)
{
	struct optic_loc loc = { .i2c_addr = OPTIC_ADDR_A0, .bank = bank,
				 .page = CMIS_VDM_DESC_PAGE + group };
	u8 d[2 * CMIS_VDM_INSTANCES];
	unsigned int i;

	if (optic_read(mod, &loc, OPTIC_PAGE_LEN, d, sizeof(d)))
		return;
	for (i = 0; i < CMIS_VDM_INSTANCES; i++) {
		if (!optic_vdm_wanted(d[2 * i + 1]) ||
		    mod->vdm_n >= OPTIC_SNAP_VDM_MAX)
			continue;
		mod->vdm[mod->vdm_n++] = (struct optic_vdm_slot){
			.type = d[2 * i + 1],
			.lane = bank * OPTIC_LANES_PER_BANK + (d[2 * i] & 0xf),
			.bank = bank, .group = group, .index = i,
		};
	}
}

/**
 * optic_vdm_scan - find the VDM observables snapshots carry
 * @mod: the module, its lock held, just identified
 */
void optic_vdm_scan(struct optic_module *mod)
{
	struct optic_loc loc = { .i2c_addr = OPTIC_ADDR_A0, .page = 0x01 };
	u8 adv, groups, bank, g;

	mod->vdm_n = 0;
	if (mod->ident.spec != OPTIC_SPEC_CMIS || mod->ident.flat ||
	    optic_read(mod, &loc, CMIS_VDM_ADV, &adv, 1) ||
	    !(adv & CMIS_VDM_SUPPORTED))
		return;
	loc.page = CMIS_VDM_CTRL_PAGE;
	if (optic_read(mod, &loc, OPTIC_PAGE_LEN, &groups, 1))
		return;
	for (bank = 0; bank < mod->ident.banks; bank++)
		for (g = 0; g <= (groups & 0x3); g++)
			optic_vdm_scan_group(mod, bank, g);
}

/* The values of the observables optic_vdm_scan() found, a read a group. */
static int optic_read_vdm(struct optic_module *mod, struct optic_snapshot *s)
{
	struct optic_loc loc = { .i2c_addr = OPTIC_ADDR_A0 };
	u8 v[2 * CMIS_VDM_INSTANCES];
	unsigned int i, j, lo, hi;
	int ret;

	for (i = 0; i < mod->vdm_n; i = j) {
		const struct optic_vdm_slot *first = &mod->vdm[i];

		/* slots of one bank and group are next to each other */
		lo = first->index;
		for (j = i; j < mod->vdm_n && mod->vdm[j].bank == first->bank &&
		     mod->vdm[j].group == first->group; j++)
			hi = mod->vdm[j].index;
		loc.bank = first->bank;
		loc.page = CMIS_VDM_VALUE_PAGE + first->group;
		ret = optic_read(mod, &loc, OPTIC_PAGE_LEN + 2 * lo, v + 2 * lo,
				 2 * (hi - lo + 1));
		if (ret)
			return ret;
		for (; i < j; i++)
			s->vdm[s->vdm_n++] = (struct optic_snap_vdm){
				.type = mod->vdm[i].type,
				.lane = mod->vdm[i].lane,
				.raw = optic_get_be16(v + 2 * mod->vdm[i].index),
			};
	}
	return 0;
}

/*
 * The monitors of a record's snapshot (record.c), raw. CMIS 5.2 Table 8-10:
 * lower page 14-15 TempMonValue, 16-17 VccMonValue; Table 8-84, page 11h of
 * each bank in use (8.4.1: bank b holds lanes 8b+1..8b+8): 154-169
 * OpticalPowerTx, 170-185 LaserBiasTx, 186-201 OpticalPowerRx, one
 * big-endian u16 per lane; page 01h byte 160 bits 4-3 scale the bias.
 * SFF-8636 Table 6-8: 22-23 temperature, 26-27 Vcc, 34-41 Rx power, 42-49
 * Tx bias, 50-57 Tx power of lanes 1-4. None of these bytes is a latched
 * flag: the reads raise no record of their own.
 */
int optic_read_snapshot(struct optic_module *mod, struct optic_snapshot *s)
{
	struct optic_loc loc = { .i2c_addr = OPTIC_ADDR_A0 };
	unsigned int lane, lanes, i, n;
	u8 b[48];
	int ret;

	switch (mod->ident.spec) {
	case OPTIC_SPEC_CMIS:
		ret = optic_read(mod, &loc, 14, b, 4);
		if (ret)
			return ret;
		s->temp = optic_get_be16(b);
		s->vcc = optic_get_be16(b + 2);
		if (mod->ident.flat)
			return 0;
		loc.page = 0x01;
		if (!optic_read(mod, &loc, 160, b, 1))
			s->bias_shift = min_t(u8, (b[0] >> 3) & 3, 2);
		loc.page = 0x11;
		lanes = min_t(unsigned int, mod->ident.lanes, OPTIC_MAX_LANES);
		for (lane = 0; lane < lanes; lane += OPTIC_LANES_PER_BANK) {
			loc.bank = lane / OPTIC_LANES_PER_BANK;
			ret = optic_read(mod, &loc, 154, b, 48);
			if (ret)
				return ret;
			n = min_t(unsigned int, lanes - lane,
				  OPTIC_LANES_PER_BANK);
			for (i = 0; i < n; i++) {
				s->tx_power[lane + i] = optic_get_be16(b + 2 * i);
				s->bias[lane + i] = optic_get_be16(b + 16 + 2 * i);
				s->rx_power[lane + i] = optic_get_be16(b + 32 + 2 * i);
			}
			s->lanes = lane + n;
		}
		return optic_read_vdm(mod, s);
	case OPTIC_SPEC_SFF8636:
		ret = optic_read(mod, &loc, 22, b, 57 - 22 + 1);
		if (ret)
			return ret;
		s->temp = optic_get_be16(b);
		s->vcc = optic_get_be16(b + 26 - 22);
		for (i = 0; i < 4; i++) {
			s->rx_power[i] = optic_get_be16(b + 34 - 22 + 2 * i);
			s->bias[i] = optic_get_be16(b + 42 - 22 + 2 * i);
			s->tx_power[i] = optic_get_be16(b + 50 - 22 + 2 * i);
		}
		s->lanes = 4;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/**
 * optic_firmware_version - active firmware major/minor (CMIS bytes 39-40)
 * @mod: the module, its lock held
 * @ver: result
 */
int optic_firmware_version(struct optic_module *mod, u8 ver[2])
{
	struct optic_loc loc = { .i2c_addr = OPTIC_ADDR_A0 };
	int ret;

	ret = optic_ensure_identified(mod);
	if (ret)
		return ret;
	if (mod->ident.spec != OPTIC_SPEC_CMIS)
		return -EOPNOTSUPP;
	/* CMIS 5.2: bytes 39-40, ActiveFirmwareMajor/MinorRevision. */
	return optic_read(mod, &loc, 39, ver, 2);
}

/* The module state as the module reports it now (no tracking). */
static int optic_read_module_state(struct optic_module *mod)
{
	struct optic_loc loc = { .i2c_addr = OPTIC_ADDR_A0 };
	u8 b[2];
	int ret;

	lockdep_assert_held(&mod->lock);
	if (!mod->identified)
		return OPTIC_STATE_UNKNOWN;

	switch (mod->ident.spec) {
	case OPTIC_SPEC_CMIS:
		/* CMIS 5.2: byte 3 bits 3-1, ModuleState. */
		ret = optic_read(mod, &loc, 3, b, 1);
		if (ret)
			return ret;
		ret = (b[0] >> 1) & 0x7;
		return ret >= OPTIC_STATE_LOWPWR && ret <= OPTIC_STATE_FAULT ?
		       ret : OPTIC_STATE_UNKNOWN;
	case OPTIC_SPEC_SFF8636:
		/* SFF-8636: byte 2 bit 0 Data_Not_Ready. */
		ret = optic_read(mod, &loc, 2, b, 1);
		if (!ret)	/* byte 93: Power_set, override */
			ret = optic_read(mod, &loc, 93, &b[1], 1);
		if (ret)
			return ret;
		if (b[0] & BIT(0))
			return OPTIC_STATE_PWRUP;
		if ((b[1] & 0x3) == 0x3)
			return OPTIC_STATE_LOWPWR;
		return OPTIC_STATE_READY;
	case OPTIC_SPEC_SFF8472:
		return OPTIC_STATE_READY;
	default:
		return OPTIC_STATE_UNKNOWN;
	}
}

/**
 * optic_module_state - current module state, enum optic_module_state
 * @mod: the module, its lock held
 *
 * Read from the module; the value also updates the tracked state (and
 * raises a MODULE_STATE event when it changed).
 */
int optic_module_state(struct optic_module *mod)
{
	int state;

	lockdep_assert_held(&mod->lock);
	state = optic_read_module_state(mod);
	if (state >= 0 && mod->identified)
		optic_state_seen(mod, state, true);
	return state;
}

/**
 * optic_tracked_state - module state, from the bus only when not fresh
 * @mod: the module, its lock held
 *
 * The state the poll, the IntL service or any other read of it last saw,
 * when that is fresh (optic_tracked_fresh()); else optic_module_state().
 */
int optic_tracked_state(struct optic_module *mod)
{
	lockdep_assert_held(&mod->lock);
	if (mod->identified && optic_tracked_fresh(mod->state_at))
		return mod->last_state;
	return optic_module_state(mod);
}
