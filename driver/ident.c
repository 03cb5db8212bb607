// SPDX-License-Identifier: GPL-2.0
/*
 * optic: identity and presence: which module is in the cage (identifier,
 * checksums, identity strings, static cache), insertion, removal and swaps.
 */
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "optic.h"

/* SFF-8024 Table 4-1 identifiers and the management interface they use. */
static enum optic_spec optic_spec_of(u8 id)
{
	switch (id) {
	case 0x03:		/* SFP/SFP+/SFP28 */
		return OPTIC_SPEC_SFF8472;
	case 0x0c:		/* QSFP (INF-8438) */
	case 0x0d:		/* QSFP+ (SFF-8636/8436) */
	case 0x11:		/* QSFP28 */
		return OPTIC_SPEC_SFF8636;
	case 0x18:		/* QSFP-DD */
	case 0x19:		/* OSFP */
	case 0x1b:		/* DSFP */
	case 0x1e:		/* QSFP+ or later with CMIS (QSFP112) */
	case 0x1f:		/* SFP-DD with CMIS */
	case 0x20:		/* SFP+ and later with CMIS */
	case 0x21:		/* OSFP-XD with CMIS */
	case 0x22:		/* OIF-ELSFP with CMIS */
	case 0x23:		/* CDFP x4 with CMIS */
	case 0x24:		/* CDFP x8 with CMIS */
	case 0x25:		/* CDFP x16 with CMIS */
		return OPTIC_SPEC_CMIS;
	default:
		return OPTIC_SPEC_UNKNOWN;
	}
}

static u8 optic_lanes_of(u8 id, enum optic_spec spec)
{
	switch (id) {
	case 0x18:
	case 0x19:
	case 0x24:
		return 8;
	case 0x21:		/* OSFP-XD */
	case 0x25:		/* CDFP x16 */
		return 16;
	case 0x1b:
	case 0x1f:
		return 2;
	case 0x20:
		return 1;
	}
	switch (spec) {
	case OPTIC_SPEC_CMIS:
	case OPTIC_SPEC_SFF8636:
		return 4;
	case OPTIC_SPEC_SFF8472:
		return 1;
	default:
		return 0;
	}
}

/* Tries to read a stable identity before it is believed (or rejected). */
#define OPTIC_IDENT_TRIES	3

static u8 optic_sum(const u8 *p, size_t len)
{
	u8 sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

/**
 * optic_csum_ok - whether the identity half of the map passes its checksums
 * @spec: management interface
 * @p: SFF-8472: A0h bytes 0-127; CMIS and SFF-8636: page 00h bytes 128-255
 *	(p[0] is byte 128)
 *
 * Simple 8-bit sums, as the kernel's sfp.c checks cc_base/cc_ext:
 * CMIS 5.x section 8.3 (Page 00h): byte 222 PageChecksum, the low 8 bits of
 * the sum of bytes 128-221. SFF-8636 section 6.3 (Upper Page 00h): byte
 * 191 CC_BASE over 128-190, byte 223 CC_EXT over 192-222. SFF-8472 Table
 * 4-1 (A0h): byte 63 CC_BASE over 0-62, byte 95 CC_EXT over 64-94. An
 * unknown map has nothing to check: false.
 */
static bool optic_csum_ok(enum optic_spec spec, const u8 *p)
{
	switch (spec) {
	case OPTIC_SPEC_CMIS:
		return optic_sum(p, 222 - 128) == p[222 - 128];
	case OPTIC_SPEC_SFF8636:
		return optic_sum(p, 191 - 128) == p[191 - 128] &&
		       optic_sum(p + 192 - 128, 223 - 192) == p[223 - 128];
	case OPTIC_SPEC_SFF8472:
		return optic_sum(p, 63) == p[63] &&
		       optic_sum(p + 64, 95 - 64) == p[95];
	default:
		return false;
	}
}

/*
 * The static cache belongs to the module identified at insertion. A swap
 * between two presence polls would mix the old module's cached identity
 * with the new module's live bytes in one answer: before a reader gets
 * cached bytes, check the cage (one byte: the identifier) unless it was
 * checked within the time no hand can swap a module in.
 */
static unsigned int swap_check_ms = 50;
module_param(swap_check_ms, uint, 0644);
MODULE_PARM_DESC(swap_check_ms,
		 "Serve cached bytes without checking the cage when it was checked this recently (ms, default 50)");

static int optic_confirm_cached(struct optic_module *mod)
{
	unsigned int window = READ_ONCE(swap_check_ms);
	int ret;

	if (mod->present_at &&
	    time_before64(get_jiffies_64(),
			  mod->present_at + msecs_to_jiffies(window)))
		return 0;
	ret = optic_update_presence(mod);
	if (ret < 0)
		return ret;
	return mod->identified ? 0 : -ENXIO;
}

/**
 * optic_read_for - read bytes of the module memory map
 * @mod: the module, its lock held
 * @loc: device (A0h/A2h) and page/bank mapped at offsets 128-255
 * @offset: first byte, 0-255
 * @buf: destination
 * @len: bytes, offset + len <= 256
 * @cons: who reads: latched flags accumulated for @cons are delivered
 *	(and cleared) instead of the module's bare value
 *
 * Static content comes from the per-insertion cache, the rest from the
 * module; a consumer's read of cached bytes checks the cage first
 * (optic_confirm_cached()). Return: as optic_page_read().
 */
int optic_read_for(struct optic_module *mod, const struct optic_loc *loc,
		   unsigned int offset, u8 *buf, size_t len,
		   enum optic_consumer cons)
{
	int ret;

	if (cons == OPTIC_CONS_RAW && mod->identified && !mod->gone &&
	    offset < OPTIC_EEPROM_PAGE_SIZE &&
	    optic_cached(mod, loc, offset, len)) {
		ret = optic_confirm_cached(mod);
		if (ret)
			return ret;
	}
	return optic_page_read(mod, loc, offset, buf, len, cons);
}

static void optic_copy_str(char *dst, const u8 *src, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : ' ';
	while (len && dst[len - 1] == ' ')
		len--;
	dst[len] = '\0';
}

/* Offsets of the identity strings, SFF-8472 A0h or the upper page 00h. */
struct optic_ident_layout {
	u8 name, pn, rev, rev_len, sn, date;
};

/* Identity strings: CMIS page 00h, SFF-8636 page 00h, SFF-8472 A0h. */
static const struct optic_ident_layout optic_layout_cmis = {
	.name = 129, .pn = 148, .rev = 164, .rev_len = 2, .sn = 166, .date = 182,
};

static const struct optic_ident_layout optic_layout_sff8636 = {
	.name = 148, .pn = 168, .rev = 184, .rev_len = 2, .sn = 196, .date = 212,
};

static const struct optic_ident_layout optic_layout_sff8472 = {
	.name = 20, .pn = 40, .rev = 56, .rev_len = 4, .sn = 68, .date = 84,
};

static const u8 *optic_slot_at(const struct optic_cache_slot *s, u8 offset)
{
	return &s->data[offset - s->start];
}

static void optic_cache_add(struct optic_module *mod, int *n, u8 i2c_addr,
			    u8 page, u8 start, u8 len)
{
	struct optic_cache_slot *s = &mod->cache[(*n)++];

	s->i2c_addr = i2c_addr;
	s->page = page;
	s->start = start;
	s->len = len;
	optic_cache_fill(mod, s);
}

/*
 * CMIS 5.2 8.4.1 and Table 8-40: page 01h byte 142 bits 1-0 advertise the
 * banks of lane pages (0: bank 0, 1: banks 0-1, 2: banks 0-3, 3 reserved),
 * bank b holding lanes 8b+1..8b+8. A bank the module does not advertise
 * need not exist (what it then maps is not defined), so lanes beyond the
 * advertised banks do not exist for the driver whatever the form factor
 * says; a module with more than one bank has lanes in each of them even
 * when its identifier suggests fewer (an unknown or generic form factor).
 * Reads the static cache only.
 */
static void optic_cmis_banks(struct optic_module *mod)
{
	static const u8 banks_of[4] = { 1, 2, 4, 1 };
	struct optic_ident *id = &mod->ident;
	struct optic_cache_slot *s;
	unsigned int lanes;

	s = optic_cache_find(mod, &(struct optic_loc){ OPTIC_ADDR_A0, 0, 1 },
			     142, 1);
	if (s && s->valid)
		id->banks = banks_of[*optic_slot_at(s, 142) & 0x3];
	lanes = id->banks * OPTIC_LANES_PER_BANK;
	if (id->banks > 1 && id->lanes <= OPTIC_LANES_PER_BANK)
		id->lanes = lanes;
	else
		id->lanes = min_t(unsigned int, id->lanes, lanes);
	/* the banks the driver reads: those the lanes are in */
	id->banks = DIV_ROUND_UP(id->lanes, OPTIC_LANES_PER_BANK) ?: 1;
}

/**
 * optic_forget - drop everything known about the plugged module
 * @mod: the module, its lock held
 */
void optic_forget(struct optic_module *mod)
{
	lockdep_assert_held(&mod->lock);
	mod->identified = false;
	memset(&mod->ident, 0, sizeof(mod->ident));
	memset(mod->cache, 0, sizeof(mod->cache));
	memset(mod->latched, 0, sizeof(mod->latched));
	memset(mod->flags_last, 0, sizeof(mod->flags_last));
	memset(mod->flags_at, 0, sizeof(mod->flags_at));
	memset(mod->seen, 0, sizeof(mod->seen));
	memset(mod->last_dp, 0, sizeof(mod->last_dp));
	mod->vdm_n = 0;
	mod->cdb_pending = false;
	mod->last_state = OPTIC_STATE_UNKNOWN;
	mod->state_at = 0;
	optic_invalidate_select(mod);
}

/* One identification: identity bytes, static cache, checksums. */
static int __optic_identify(struct optic_module *mod)
{
	const struct optic_ident_layout *lay;
	struct optic_ident *id = &mod->ident;
	u8 low[3], opt[2];
	int n = 0, ret;

	lockdep_assert_held(&mod->lock);
	if (mod->gone)
		return -ENODEV;
	optic_forget(mod);

	ret = optic_bus_read(mod, mod->client, 0, low, sizeof(low));
	if (ret) {
		optic_invalidate_select(mod);
		mod->present = false;
		return ret;
	}
	mod->present = true;
	id->id = low[0];
	id->spec = optic_spec_of(low[0]);

	switch (id->spec) {
	case OPTIC_SPEC_CMIS:
		id->rev = low[1];
		/* CMIS 5.2: byte 2 bit 7, flat memory. */
		id->flat = low[2] & BIT(7);
		optic_cache_add(mod, &n, OPTIC_ADDR_A0, 0x00, 128, 128);
		if (!id->flat) {
			optic_cache_add(mod, &n, OPTIC_ADDR_A0, 0x01, 128, 128);
			optic_cache_add(mod, &n, OPTIC_ADDR_A0, 0x02, 128, 128);
		}
		lay = &optic_layout_cmis;
		break;
	case OPTIC_SPEC_SFF8636:
		id->rev = low[1];
		/* SFF-8636: byte 2 bit 2, flat memory. */
		id->flat = low[2] & BIT(2);
		optic_cache_add(mod, &n, OPTIC_ADDR_A0, 0x00, 128, 128);
		if (!id->flat)	/* page 03h: thresholds */
			optic_cache_add(mod, &n, OPTIC_ADDR_A0, 0x03, 128, 128);
		lay = &optic_layout_sff8636;
		break;
	case OPTIC_SPEC_SFF8472:
		optic_cache_add(mod, &n, OPTIC_ADDR_A0, 0, 0, 128);
		optic_cache_add(mod, &n, OPTIC_ADDR_A0, 0, 128, 128);
		ret = optic_read(mod, &(struct optic_loc){ OPTIC_ADDR_A0 },
				 92, opt, 1);
		if (!ret)
			ret = optic_read(mod, &(struct optic_loc){ OPTIC_ADDR_A0 },
					 94, &id->rev, 1);
		if (!ret)
			ret = optic_read(mod, &(struct optic_loc){ OPTIC_ADDR_A0 },
					 64, &opt[1], 1);
		if (ret)
			goto err;
		/* SFF-8472: byte 92 bit 6, diagnostics at A2h. */
		id->has_a2 = (opt[0] & BIT(6)) && mod->a2;
		/* SFF-8472: byte 64 bit 4, A2h byte 127 pages. */
		id->a2_paged = id->has_a2 && (opt[1] & BIT(4));
		if (id->has_a2)	/* thresholds and calibration, 0-95 */
			optic_cache_add(mod, &n, OPTIC_ADDR_A2, 0, 0, 96);
		lay = &optic_layout_sff8472;
		break;
	default:
		/* Unknown map: never write a page select to it. */
		id->flat = true;
		lay = NULL;
		break;
	}
	id->lanes = optic_lanes_of(id->id, id->spec);
	id->banks = 1;
	if (id->spec == OPTIC_SPEC_CMIS && !id->flat)
		optic_cmis_banks(mod);

	if (lay) {
		struct optic_cache_slot *s;

		/* The strings sit in one cached half: A0h lower or page 00h. */
		s = optic_cache_find(mod, &(struct optic_loc){ OPTIC_ADDR_A0 },
				     lay->name, 1);
		if (!s || !s->valid) {
			ret = -EIO;
			goto err;
		}
		optic_copy_str(id->vendor_name, optic_slot_at(s, lay->name), 16);
		optic_copy_str(id->vendor_pn, optic_slot_at(s, lay->pn), 16);
		optic_copy_str(id->vendor_rev, optic_slot_at(s, lay->rev),
			       lay->rev_len);
		optic_copy_str(id->vendor_sn, optic_slot_at(s, lay->sn), 16);
		optic_copy_str(id->date_code, optic_slot_at(s, lay->date), 8);
		/* The strings' half is the one the checksums cover. */
		id->csum_ok = optic_csum_ok(id->spec, s->data);
	}
	mod->identified = true;
	mod->generation++;
	return 0;

err:
	optic_forget(mod);
	return ret;
}

/**
 * optic_identify - identify the plugged module and fill the static cache
 * @mod: the module, its lock held
 *
 * Called at probe and on every insertion. A corrupted read must not invent
 * a module: the identifier is read again after the identification and the
 * identity checksums (optic_csum_ok()) must match; else the module is
 * identified again, up to OPTIC_IDENT_TRIES times. A module that fails
 * them every time has malformed static data: like sfp.c does for modules
 * known to ship wrong checksums, it is used as read, with a warning and
 * ident.csum_ok false (sysfs checksum_ok, OPTIC_A_CHECKSUM_OK).
 * Return: 0, -ENXIO when the cage is empty, or another negative errno.
 */
int optic_identify(struct optic_module *mod)
{
	u8 id;
	int try, ret;

	for (try = 1; ; try++) {
		ret = __optic_identify(mod);
		if (ret)
			return ret;
		ret = optic_bus_read(mod, mod->client, 0, &id, 1);
		if (ret) {
			optic_forget(mod);
			return ret;
		}
		if (id == mod->ident.id && mod->ident.csum_ok)
			return 0;
		if (try >= OPTIC_IDENT_TRIES)
			break;
	}
	dev_warn(&mod->client->dev,
		 "%s: module %02xh %s %s: %s after %d tries, using it as read\n",
		 mod->name, mod->ident.id, mod->ident.vendor_name,
		 mod->ident.vendor_pn,
		 id != mod->ident.id ? "identifier not stable" :
		 mod->ident.spec == OPTIC_SPEC_UNKNOWN ?
		 "unknown identifier, no checksum" :
		 "identity checksum wrong", try);
	return 0;
}

static void optic_set_absent(struct optic_module *mod)
{
	if (mod->identified)
		optic_event_presence(mod, false);
	if (mod->present || mod->identified)
		optic_forget(mod);
	mod->present = false;
}

/* Identify a module just found in the cage and announce it. */
static int optic_arrived(struct optic_module *mod)
{
	int ret;

	ret = optic_identify(mod);
	if (ret)
		return ret;
	optic_track_state(mod, false, false);
	optic_vdm_scan(mod);
	optic_event_presence(mod, true);
	return 0;
}

/*
 * Whether a module with identifier @id answers: byte 0 read again, and the
 * checksums of its identity half (optic_csum_ok()) read raw, not from the
 * cache of the module the driver identified. Return: 1 valid, 0 not (*@now
 * is the identifier read again), or a negative errno.
 */
static int optic_ident_valid(struct optic_module *mod, u8 id, u8 *now)
{
	struct i2c_client *client = mod->client;
	u8 low[3], half[OPTIC_PAGE_LEN], zero = 0;
	enum optic_spec spec = optic_spec_of(id);
	bool flat;
	int ret;

	ret = optic_bus_read(mod, client, 0, low, sizeof(low));
	if (ret)
		return ret;
	*now = low[0];
	if (low[0] != id || spec == OPTIC_SPEC_UNKNOWN)
		return 0;
	if (spec == OPTIC_SPEC_SFF8472)
		return optic_bus_read(mod, client, 0, half, sizeof(half)) ?:
		       optic_csum_ok(spec, half);
	/* CMIS byte 2 bit 7, SFF-8636 byte 2 bit 2: flat memory. */
	flat = low[2] & (spec == OPTIC_SPEC_CMIS ? BIT(7) : BIT(2));
	if (!flat) {
		ret = optic_write_select(mod, client, OPTIC_PAGE_SELECT, &zero,
					 1);
		optic_invalidate_select(mod);
		if (ret)
			return ret;
	}
	return optic_bus_read(mod, client, OPTIC_PAGE_LEN, half, sizeof(half)) ?:
	       optic_csum_ok(spec, half);
}

/*
 * Byte 0 read @id, not the identifier of the identified module. A swap the
 * cage never read empty in between is rare, a corrupted read is not: the
 * new identifier must read the same again and its checksums must match
 * (up to OPTIC_IDENT_TRIES tries) before the module is declared gone.
 * Return: 1 another module, 0 keep the identified one, or a negative errno.
 */
static int optic_confirm_swap(struct optic_module *mod, u8 id)
{
	u8 now = id;
	int try, ret;

	for (try = 0; try < OPTIC_IDENT_TRIES; try++) {
		ret = optic_ident_valid(mod, id, &now);
		if (ret)
			return ret;
		/* The identified module answers again: a corrupted read. */
		if (now == mod->ident.id)
			break;
		id = now;
	}
	mod->ident_errors++;
	dev_warn_ratelimited(&mod->client->dev,
			     "%s: identifier read as %02xh, then %02xh, module has %02xh: %s; keeping the module\n",
			     mod->name, id, now, mod->ident.id,
			     now == mod->ident.id ? "a corrupted read" :
			     "not stable or identity checksum wrong");
	return 0;
}

static int __optic_update_presence(struct optic_module *mod)
{
	u8 id;
	int ret;

	if (mod->gpio_presence) {
		ret = gpiod_get_value_cansleep(mod->gpio_presence);
		if (ret < 0)
			return ret;
		if (!ret) {
			optic_set_absent(mod);
			return 0;
		}
		mod->present = true;
		if (mod->identified)
			return 1;
		ret = optic_arrived(mod);
		/* A module that does not answer yet is still present. */
		mod->present = true;
		return ret && !optic_is_nack(ret) ? ret : 1;
	}

	ret = optic_bus_read(mod, mod->client, 0, &id, 1);
	if (optic_is_nack(ret)) {
		optic_set_absent(mod);
		return 0;
	}
	/* Only a NACK is an empty cage; other bus errors change nothing. */
	if (ret)
		return ret;
	if (mod->identified && id == mod->ident.id)
		return 1;
	if (mod->identified) {
		ret = optic_confirm_swap(mod, id);
		if (optic_is_nack(ret)) {
			optic_set_absent(mod);
			return 0;
		}
		if (ret <= 0)
			return ret ?: 1;
		optic_set_absent(mod);
	}
	ret = optic_arrived(mod);
	if (ret)
		return optic_is_nack(ret) ? 0 : ret;
	return 1;
}

/**
 * optic_update_presence - check the cage, (re)identify a new module
 * @mod: the module, its lock held
 *
 * With a presence line its level decides; without, the cage is empty when
 * the module NACKs byte 0 (after the one NACK retry), and a different
 * identifier than the cached one, confirmed by optic_confirm_swap(), means
 * the module was swapped. Any other bus error (-ETIMEDOUT, -EIO, ...)
 * leaves presence and identity as they were and is returned. Transitions
 * raise inserted/removed events.
 * Return: 1 present, 0 empty, or a negative errno.
 */
int optic_update_presence(struct optic_module *mod)
{
	int ret;

	lockdep_assert_held(&mod->lock);
	if (mod->gone)
		return -ENODEV;
	ret = __optic_update_presence(mod);
	/* The cage was checked: tracked presence is fresh (see above). */
	if (ret >= 0)
		mod->present_at = get_jiffies_64() ?: 1;
	return ret;
}

/**
 * optic_ensure_identified - make sure the plugged module is identified
 * @mod: the module, its lock held
 *
 * Return: 0, -ENXIO for an empty cage (or a module that does not answer),
 * another negative errno.
 */
int optic_ensure_identified(struct optic_module *mod)
{
	int ret;

	lockdep_assert_held(&mod->lock);
	if (mod->gone)
		return -ENODEV;
	if (mod->identified)
		return 0;
	ret = optic_update_presence(mod);
	if (ret < 0)
		return ret;
	return mod->identified ? 0 : -ENXIO;
}

/**
 * optic_tracked_presence - presence, from the bus only when not fresh
 * @mod: the module, its lock held
 *
 * Without a presence line, the outcome of the last check of byte 0 (poll,
 * any request that checked the cage) when that is fresh and no transfer
 * failed since; else optic_update_presence(). A presence line is read
 * every time (it costs no module transfer). Return: as
 * optic_update_presence().
 */
int optic_tracked_presence(struct optic_module *mod)
{
	lockdep_assert_held(&mod->lock);
	if (!mod->gone && !mod->gpio_presence &&
	    optic_tracked_fresh(mod->present_at))
		return mod->identified;
	return optic_update_presence(mod);
}
