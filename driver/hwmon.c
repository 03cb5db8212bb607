// SPDX-License-Identifier: GPL-2.0
/*
 * optic: hwmon sensors of the plugged module.
 *
 * temp1: module temperature; in0: supply voltage (Vcc); currN: TX bias of
 * lane N (1-32); power channels come in groups of 16 per bank of 8 lanes,
 * TX then RX, so that lanes 1-8 keep their numbers whatever the module:
 * power1-8 TX and power9-16 RX power of lanes 1-8, power17-24 TX and
 * power25-32 RX of lanes 9-16, ..., power49-56 TX and power57-64 RX of
 * lanes 25-32. Thresholds: lcrit/crit = low/high alarm, min/max = low/high
 * warning; *_alarm attributes report the module's latched flags.
 *
 * Which sensors exist depends on the plugged module, so the hwmon device is
 * registered when a module is identified and unregistered when it leaves.
 */
#include <linux/hwmon.h>
#include <linux/kernel.h>

#include "optic.h"

enum optic_quantity { OQ_TEMP, OQ_VCC, OQ_BIAS, OQ_TXPWR, OQ_RXPWR, OQ_NR };

/* Threshold/flag order, as the specs store thresholds: HA, LA, HW, LW. */
enum optic_level { OL_HIGH_ALARM, OL_LOW_ALARM, OL_HIGH_WARN, OL_LOW_WARN };

enum optic_kind { OK_INPUT, OK_LABEL, OK_THRESHOLD, OK_ALARM };

/* Where one quantity lives for one spec. */
struct optic_qmap {
	u8 i2c_addr;
	u8 page;		/* page of value (upper offsets only) */
	u8 offset;		/* lane 0 value, big endian, 2 bytes/lane */
	u8 thr_page;
	u8 thr_offset;		/* HA, LA, HW, LW, 2 bytes each */
};

/* CMIS 5.2: lower page 14-17, page 11h 154-201, page 02h 128-199. */
static const struct optic_qmap optic_cmis_map[OQ_NR] = {
	[OQ_TEMP] = { OPTIC_ADDR_A0, 0x00, 14, 0x02, 128 },
	[OQ_VCC] = { OPTIC_ADDR_A0, 0x00, 16, 0x02, 136 },
	[OQ_TXPWR] = { OPTIC_ADDR_A0, 0x11, 154, 0x02, 176 },
	[OQ_BIAS] = { OPTIC_ADDR_A0, 0x11, 170, 0x02, 184 },
	[OQ_RXPWR] = { OPTIC_ADDR_A0, 0x11, 186, 0x02, 192 },
};

/* SFF-8636: lower page 22-57; page 03h 128-199. */
static const struct optic_qmap optic_sff8636_map[OQ_NR] = {
	[OQ_TEMP] = { OPTIC_ADDR_A0, 0x00, 22, 0x03, 128 },
	[OQ_VCC] = { OPTIC_ADDR_A0, 0x00, 26, 0x03, 144 },
	[OQ_RXPWR] = { OPTIC_ADDR_A0, 0x00, 34, 0x03, 176 },
	[OQ_BIAS] = { OPTIC_ADDR_A0, 0x00, 42, 0x03, 184 },
	[OQ_TXPWR] = { OPTIC_ADDR_A0, 0x00, 50, 0x03, 192 },
};

/* SFF-8472: A2h 0-39 thresholds, 96-105 values. */
static const struct optic_qmap optic_sff8472_map[OQ_NR] = {
	[OQ_TEMP] = { OPTIC_ADDR_A2, 0x00, 96, 0x00, 0 },
	[OQ_VCC] = { OPTIC_ADDR_A2, 0x00, 98, 0x00, 8 },
	[OQ_BIAS] = { OPTIC_ADDR_A2, 0x00, 100, 0x00, 16 },
	[OQ_TXPWR] = { OPTIC_ADDR_A2, 0x00, 102, 0x00, 24 },
	[OQ_RXPWR] = { OPTIC_ADDR_A2, 0x00, 104, 0x00, 32 },
};

static const struct optic_qmap *optic_map(struct optic_module *mod)
{
	switch (mod->ident.spec) {
	case OPTIC_SPEC_CMIS:
		return optic_cmis_map;
	case OPTIC_SPEC_SFF8636:
		return optic_sff8636_map;
	case OPTIC_SPEC_SFF8472:
		return optic_sff8472_map;
	default:
		return NULL;
	}
}

static int optic_be16_at(struct optic_module *mod, const struct optic_loc *loc,
			 u8 offset, u16 *val);

static int optic_be16(struct optic_module *mod, u8 i2c_addr, u8 page,
		      u8 offset, u16 *val)
{
	struct optic_loc loc = { .i2c_addr = i2c_addr, .page = page };

	return optic_be16_at(mod, &loc, offset, val);
}

static int optic_be16_at(struct optic_module *mod, const struct optic_loc *loc,
			 u8 offset, u16 *val)
{
	u8 b[2];
	int ret;

	ret = optic_read(mod, loc, offset, b, 2);
	if (!ret)
		*val = (b[0] << 8) | b[1];
	return ret;
}

static int optic_byte(struct optic_module *mod, u8 i2c_addr, u8 page,
		      u8 offset, u8 *val)
{
	struct optic_loc loc = { .i2c_addr = i2c_addr, .page = page };

	return optic_read(mod, &loc, offset, val, 1);
}

/* Whether the module monitors @q (module advertisements). */
static bool optic_q_supported(struct optic_module *mod, enum optic_quantity q)
{
	u8 b;

	switch (mod->ident.spec) {
	case OPTIC_SPEC_CMIS:
		if (mod->ident.flat)
			return false;
		/* CMIS 5.2: page 01h bytes 159 (module), 160 (lanes). */
		if (optic_byte(mod, OPTIC_ADDR_A0, 0x01, q <= OQ_VCC ? 159 : 160,
			       &b))
			return false;
		switch (q) {
		case OQ_TEMP:
			return b & BIT(0);
		case OQ_VCC:
			return b & BIT(1);
		case OQ_BIAS:
			return b & BIT(0);
		case OQ_TXPWR:
			return b & BIT(1);
		default:
			return b & BIT(2);
		}
	case OPTIC_SPEC_SFF8636:
		return true;
	case OPTIC_SPEC_SFF8472:
		/* byte 92: bit 6 DDM, bit 5 internally calibrated. */
		if (!mod->ident.has_a2 ||
		    optic_byte(mod, OPTIC_ADDR_A0, 0x00, 92, &b))
			return false;
		return (b & (BIT(6) | BIT(5))) == (BIT(6) | BIT(5));
	default:
		return false;
	}
}

static bool optic_thresholds_supported(struct optic_module *mod)
{
	return mod->ident.spec == OPTIC_SPEC_SFF8472 || !mod->ident.flat;
}

/* Raw register value to hwmon units. */
static long optic_scale(struct optic_module *mod, enum optic_quantity q,
			u16 raw)
{
	u8 b;

	switch (q) {
	case OQ_TEMP:		/* 1/256 degC -> mdegC */
		return (s16)raw * 1000L / 256;
	case OQ_VCC:		/* 100 uV -> mV */
		return raw / 10;
	case OQ_BIAS:		/* 2 uA -> mA, CMIS scaled by 1, 2 or 4 */
		if (mod->ident.spec == OPTIC_SPEC_CMIS &&
		    !optic_byte(mod, OPTIC_ADDR_A0, 0x01, 160, &b))
			return raw * 2L * (1 << ((b >> 3) & 0x3)) / 1000;
		return raw * 2L / 1000;
	default:		/* 0.1 uW -> uW */
		return raw / 10;
	}
}

/* Latched flag bit of a level of @q on @lane: location in the map. */
static int optic_flag_loc(struct optic_module *mod, enum optic_quantity q,
			  int lane, enum optic_level lvl, struct optic_loc *loc,
			  u8 *offset, u8 *bit)
{
	/* SFF-8472: bit of alarm byte 112/113, warning 116/117. */
	static const u8 sff8472_bit[OQ_NR] = {
		[OQ_TEMP] = 7, [OQ_VCC] = 5, [OQ_BIAS] = 3, [OQ_TXPWR] = 1,
		[OQ_RXPWR] = 7,
	};
	/* SFF-8636: byte of the lane 0/1 nibble. */
	static const u8 sff8636_byte[OQ_NR] = {
		[OQ_TEMP] = 6, [OQ_VCC] = 7, [OQ_RXPWR] = 9, [OQ_BIAS] = 11,
		[OQ_TXPWR] = 13,
	};
	/* CMIS 5.2: page 11h, HA byte of each lane quantity. */
	static const u8 cmis_lane_byte[OQ_NR] = {
		[OQ_TXPWR] = 139, [OQ_BIAS] = 143, [OQ_RXPWR] = 149,
	};

	memset(loc, 0, sizeof(*loc));
	loc->i2c_addr = OPTIC_ADDR_A0;
	switch (mod->ident.spec) {
	case OPTIC_SPEC_CMIS:
		if (q <= OQ_VCC) {
			/* byte 9: temp bits 0-3, Vcc bits 4-7. */
			*offset = 9;
			*bit = (q == OQ_VCC ? 4 : 0) + lvl;
		} else {
			/* CMIS 5.2 8.4.1: lane 8b + n is bit n of bank b */
			loc->page = 0x11;
			loc->bank = lane / OPTIC_LANES_PER_BANK;
			*offset = cmis_lane_byte[q] + lvl;
			*bit = lane % OPTIC_LANES_PER_BANK;
		}
		return 0;
	case OPTIC_SPEC_SFF8636:
		*offset = sff8636_byte[q] + (q <= OQ_VCC ? 0 : lane / 2);
		*bit = 7 - lvl - (q > OQ_VCC && (lane & 1) ? 4 : 0);
		return 0;
	case OPTIC_SPEC_SFF8472:
		loc->i2c_addr = OPTIC_ADDR_A2;
		*offset = (lvl == OL_HIGH_ALARM || lvl == OL_LOW_ALARM ? 112 : 116) +
			  (q == OQ_RXPWR);
		*bit = sff8472_bit[q] - (lvl == OL_LOW_ALARM || lvl == OL_LOW_WARN);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* hwmon (type, attr, channel) to quantity, lane, kind and level. */
static int optic_hw_decode(enum hwmon_sensor_types type, u32 attr,
			   int channel, enum optic_quantity *q, int *lane,
			   enum optic_kind *kind, enum optic_level *lvl)
{
	/* Attribute numbers of each kind, per type. */
	static const struct {
		u32 input, label, crit, lcrit, max, min;
		u32 crit_alarm, lcrit_alarm, max_alarm, min_alarm;
	} a[] = {
		[hwmon_temp] = { hwmon_temp_input, hwmon_temp_label,
			hwmon_temp_crit, hwmon_temp_lcrit, hwmon_temp_max,
			hwmon_temp_min, hwmon_temp_crit_alarm,
			hwmon_temp_lcrit_alarm, hwmon_temp_max_alarm,
			hwmon_temp_min_alarm },
		[hwmon_in] = { hwmon_in_input, hwmon_in_label, hwmon_in_crit,
			hwmon_in_lcrit, hwmon_in_max, hwmon_in_min,
			hwmon_in_crit_alarm, hwmon_in_lcrit_alarm,
			hwmon_in_max_alarm, hwmon_in_min_alarm },
		[hwmon_curr] = { hwmon_curr_input, hwmon_curr_label,
			hwmon_curr_crit, hwmon_curr_lcrit, hwmon_curr_max,
			hwmon_curr_min, hwmon_curr_crit_alarm,
			hwmon_curr_lcrit_alarm, hwmon_curr_max_alarm,
			hwmon_curr_min_alarm },
		[hwmon_power] = { hwmon_power_input, hwmon_power_label,
			hwmon_power_crit, hwmon_power_lcrit, hwmon_power_max,
			hwmon_power_min, hwmon_power_crit_alarm,
			hwmon_power_lcrit_alarm, hwmon_power_max_alarm,
			hwmon_power_min_alarm },
	};

	switch (type) {
	case hwmon_temp:
		*q = OQ_TEMP;
		*lane = 0;
		break;
	case hwmon_in:
		*q = OQ_VCC;
		*lane = 0;
		break;
	case hwmon_curr:
		*q = OQ_BIAS;
		*lane = channel;
		break;
	case hwmon_power:
		/* 16 channels per bank: TX of its 8 lanes, then RX */
		*q = channel % (2 * OPTIC_LANES_PER_BANK) < OPTIC_LANES_PER_BANK ?
		     OQ_TXPWR : OQ_RXPWR;
		*lane = channel / (2 * OPTIC_LANES_PER_BANK) * OPTIC_LANES_PER_BANK +
			channel % OPTIC_LANES_PER_BANK;
		break;
	default:
		return -EOPNOTSUPP;
	}

	*lvl = OL_HIGH_ALARM;
	if (attr == a[type].input) {
		*kind = OK_INPUT;
	} else if (attr == a[type].label) {
		*kind = OK_LABEL;
	} else if (attr == a[type].crit || attr == a[type].crit_alarm) {
		*kind = attr == a[type].crit ? OK_THRESHOLD : OK_ALARM;
	} else if (attr == a[type].lcrit || attr == a[type].lcrit_alarm) {
		*kind = attr == a[type].lcrit ? OK_THRESHOLD : OK_ALARM;
		*lvl = OL_LOW_ALARM;
	} else if (attr == a[type].max || attr == a[type].max_alarm) {
		*kind = attr == a[type].max ? OK_THRESHOLD : OK_ALARM;
		*lvl = OL_HIGH_WARN;
	} else if (attr == a[type].min || attr == a[type].min_alarm) {
		*kind = attr == a[type].min ? OK_THRESHOLD : OK_ALARM;
		*lvl = OL_LOW_WARN;
	} else {
		return -EOPNOTSUPP;
	}
	return 0;
}

static umode_t optic_hw_is_visible(const void *data,
				   enum hwmon_sensor_types type, u32 attr,
				   int channel)
{
	struct optic_module *mod = (struct optic_module *)data;
	enum optic_quantity q;
	enum optic_kind kind;
	enum optic_level lvl;
	int lane;

	lockdep_assert_held(&mod->lock);
	if (optic_hw_decode(type, attr, channel, &q, &lane, &kind, &lvl))
		return 0;
	if (lane >= mod->ident.lanes || !optic_q_supported(mod, q))
		return 0;
	if (kind == OK_THRESHOLD && !optic_thresholds_supported(mod))
		return 0;
	return 0444;
}

static int optic_hw_read(struct device *dev, enum hwmon_sensor_types type,
			 u32 attr, int channel, long *val)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	const struct optic_qmap *m;
	struct optic_loc loc;
	enum optic_quantity q;
	enum optic_kind kind;
	enum optic_level lvl;
	int lane, ret;
	u8 offset, bit;
	u16 raw;

	ret = optic_hw_decode(type, attr, channel, &q, &lane, &kind, &lvl);
	if (ret)
		return ret;

	mutex_lock(&mod->lock);
	ret = optic_ensure_identified(mod);
	m = optic_map(mod);
	if (!ret && !m)
		ret = -EOPNOTSUPP;
	if (ret)
		goto out;
	switch (kind) {
	case OK_INPUT:
		memset(&loc, 0, sizeof(loc));
		loc.i2c_addr = m[q].i2c_addr;
		loc.page = m[q].page;
		if (mod->ident.spec == OPTIC_SPEC_CMIS && q > OQ_VCC) {
			/* CMIS 5.2 8.4.1: page 11h of the lane's bank */
			loc.bank = lane / OPTIC_LANES_PER_BANK;
			lane %= OPTIC_LANES_PER_BANK;
		}
		ret = optic_be16_at(mod, &loc, m[q].offset + 2 * lane, &raw);
		if (!ret)
			*val = optic_scale(mod, q, raw);
		break;
	case OK_THRESHOLD:
		ret = optic_be16(mod, m[q].i2c_addr, m[q].thr_page,
				 m[q].thr_offset + 2 * lvl, &raw);
		if (!ret)
			*val = optic_scale(mod, q, raw);
		break;
	case OK_ALARM:
		ret = optic_flag_loc(mod, q, lane, lvl, &loc, &offset, &bit);
		if (!ret)
			ret = optic_read_flag_bit(mod, &loc, offset, bit,
						  OPTIC_CONS_HWMON);
		if (ret >= 0) {
			*val = ret;
			ret = 0;
		}
		break;
	default:
		ret = -EOPNOTSUPP;
		break;
	}
out:
	mutex_unlock(&mod->lock);
	return ret;
}

static const char * const optic_lane_labels[OQ_NR][OPTIC_MAX_LANES] = {
	[OQ_TEMP] = { "Temperature" },
	[OQ_VCC] = { "Vcc" },
	[OQ_BIAS] = {
		"TX1 bias", "TX2 bias", "TX3 bias", "TX4 bias",
		"TX5 bias", "TX6 bias", "TX7 bias", "TX8 bias",
		"TX9 bias", "TX10 bias", "TX11 bias", "TX12 bias",
		"TX13 bias", "TX14 bias", "TX15 bias", "TX16 bias",
		"TX17 bias", "TX18 bias", "TX19 bias", "TX20 bias",
		"TX21 bias", "TX22 bias", "TX23 bias", "TX24 bias",
		"TX25 bias", "TX26 bias", "TX27 bias", "TX28 bias",
		"TX29 bias", "TX30 bias", "TX31 bias", "TX32 bias",
	},
	[OQ_TXPWR] = {
		"TX1 power", "TX2 power", "TX3 power", "TX4 power",
		"TX5 power", "TX6 power", "TX7 power", "TX8 power",
		"TX9 power", "TX10 power", "TX11 power", "TX12 power",
		"TX13 power", "TX14 power", "TX15 power", "TX16 power",
		"TX17 power", "TX18 power", "TX19 power", "TX20 power",
		"TX21 power", "TX22 power", "TX23 power", "TX24 power",
		"TX25 power", "TX26 power", "TX27 power", "TX28 power",
		"TX29 power", "TX30 power", "TX31 power", "TX32 power",
	},
	[OQ_RXPWR] = {
		"RX1 power", "RX2 power", "RX3 power", "RX4 power",
		"RX5 power", "RX6 power", "RX7 power", "RX8 power",
		"RX9 power", "RX10 power", "RX11 power", "RX12 power",
		"RX13 power", "RX14 power", "RX15 power", "RX16 power",
		"RX17 power", "RX18 power", "RX19 power", "RX20 power",
		"RX21 power", "RX22 power", "RX23 power", "RX24 power",
		"RX25 power", "RX26 power", "RX27 power", "RX28 power",
		"RX29 power", "RX30 power", "RX31 power", "RX32 power",
	},
};

static int optic_hw_read_string(struct device *dev,
				enum hwmon_sensor_types type, u32 attr,
				int channel, const char **str)
{
	enum optic_quantity q;
	enum optic_kind kind;
	enum optic_level lvl;
	int lane, ret;

	ret = optic_hw_decode(type, attr, channel, &q, &lane, &kind, &lvl);
	if (ret || kind != OK_LABEL)
		return -EOPNOTSUPP;
	*str = optic_lane_labels[q][lane];
	return 0;
}

#define OPTIC_HW_T	(HWMON_T_INPUT | HWMON_T_LABEL | HWMON_T_MIN |	\
			 HWMON_T_MAX | HWMON_T_LCRIT | HWMON_T_CRIT |	\
			 HWMON_T_MIN_ALARM | HWMON_T_MAX_ALARM |	\
			 HWMON_T_LCRIT_ALARM | HWMON_T_CRIT_ALARM)
#define OPTIC_HW_I	(HWMON_I_INPUT | HWMON_I_LABEL | HWMON_I_MIN |	\
			 HWMON_I_MAX | HWMON_I_LCRIT | HWMON_I_CRIT |	\
			 HWMON_I_MIN_ALARM | HWMON_I_MAX_ALARM |	\
			 HWMON_I_LCRIT_ALARM | HWMON_I_CRIT_ALARM)
#define OPTIC_HW_C	(HWMON_C_INPUT | HWMON_C_LABEL | HWMON_C_MIN |	\
			 HWMON_C_MAX | HWMON_C_LCRIT | HWMON_C_CRIT |	\
			 HWMON_C_MIN_ALARM | HWMON_C_MAX_ALARM |	\
			 HWMON_C_LCRIT_ALARM | HWMON_C_CRIT_ALARM)
#define OPTIC_HW_P	(HWMON_P_INPUT | HWMON_P_LABEL | HWMON_P_MIN |	\
			 HWMON_P_MAX | HWMON_P_LCRIT | HWMON_P_CRIT |	\
			 HWMON_P_MIN_ALARM | HWMON_P_MAX_ALARM |	\
			 HWMON_P_LCRIT_ALARM | HWMON_P_CRIT_ALARM)

/* One curr channel per lane, two power channels (TX, RX) per lane. */
static const u32 optic_hw_curr_config[OPTIC_MAX_LANES + 1] = {
	[0 ... OPTIC_MAX_LANES - 1] = OPTIC_HW_C,
};

static const u32 optic_hw_power_config[2 * OPTIC_MAX_LANES + 1] = {
	[0 ... 2 * OPTIC_MAX_LANES - 1] = OPTIC_HW_P,
};

static const struct hwmon_channel_info optic_hw_curr = {
	.type = hwmon_curr,
	.config = optic_hw_curr_config,
};

static const struct hwmon_channel_info optic_hw_power = {
	.type = hwmon_power,
	.config = optic_hw_power_config,
};

static const struct hwmon_channel_info *optic_hw_info[] = {
	HWMON_CHANNEL_INFO(temp, OPTIC_HW_T),
	HWMON_CHANNEL_INFO(in, OPTIC_HW_I),
	&optic_hw_curr,
	&optic_hw_power,
	NULL
};

static const struct hwmon_ops optic_hw_ops = {
	.is_visible = optic_hw_is_visible,
	.read = optic_hw_read,
	.read_string = optic_hw_read_string,
};

static const struct hwmon_chip_info optic_hw_chip = {
	.ops = &optic_hw_ops,
	.info = optic_hw_info,
};

/**
 * optic_hwmon_update - match the hwmon device to the plugged module
 * @mod: the module, lock not held
 */
void optic_hwmon_update(struct optic_module *mod)
{
	struct device *hwmon;

	mutex_lock(&mod->hwmon_lock);
	mutex_lock(&mod->lock);
	if (mod->gone) {
		mutex_unlock(&mod->lock);
		goto out;
	}
	if (mod->hwmon &&
	    (!mod->identified || mod->generation != mod->hwmon_generation)) {
		hwmon = mod->hwmon;
		mod->hwmon = NULL;
		/* Its callbacks take mod->lock: unregister without it. */
		mutex_unlock(&mod->lock);
		hwmon_device_unregister(hwmon);
		mutex_lock(&mod->lock);
	}
	if (!mod->hwmon && mod->identified && !mod->gone && optic_map(mod)) {
		/* is_visible runs here, under mod->lock, on this module. */
		hwmon = hwmon_device_register_with_info(&mod->client->dev,
							"optic", mod,
							&optic_hw_chip, NULL);
		if (IS_ERR(hwmon)) {
			dev_warn(&mod->client->dev, "no hwmon device: %pe\n",
				 hwmon);
		} else {
			mod->hwmon = hwmon;
			mod->hwmon_generation = mod->generation;
		}
	}
	mutex_unlock(&mod->lock);
out:
	mutex_unlock(&mod->hwmon_lock);
}

/**
 * optic_hwmon_remove - unregister the hwmon device for good
 * @mod: the module, marked gone, lock not held
 */
void optic_hwmon_remove(struct optic_module *mod)
{
	mutex_lock(&mod->hwmon_lock);
	if (mod->hwmon)
		hwmon_device_unregister(mod->hwmon);
	mod->hwmon = NULL;
	mutex_unlock(&mod->hwmon_lock);
}
