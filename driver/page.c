// SPDX-License-Identifier: GPL-2.0
/*
 * optic: pages and cache. The module memory is a 128-byte lower page that is
 * always mapped and a 128-byte upper window (bytes 128-255) onto the page (and
 * for CMIS banked pages, the bank) written to bytes 127 (and 126) of the lower
 * page. Every function here runs under mod->lock so that a page select and the
 * access it prepares are never separated by another user's select. Static
 * content is served from a per-insertion cache; reads of latched flag
 * registers are observed here (events, per-consumer accumulation).
 */
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "optic.h"

static bool verify_select = true;
module_param(verify_select, bool, 0644);
MODULE_PARM_DESC(verify_select,
		 "Read the page/bank select back after writing it; retry once, else -EIO (default Y)");

void optic_invalidate_select(struct optic_module *mod)
{
	mod->cur_page[0] = -1;
	mod->cur_page[1] = -1;
	mod->cur_bank = -1;
}

static bool optic_page_banked(struct optic_module *mod, u8 page)
{
	return mod->ident.spec == OPTIC_SPEC_CMIS &&
	       page >= OPTIC_FIRST_BANKED_PAGE;
}

/* Whether the upper window of @loc exists on this module. */
static int optic_check_page(struct optic_module *mod,
			    const struct optic_loc *loc)
{
	if (loc->i2c_addr == OPTIC_ADDR_A2) {
		if (mod->ident.spec != OPTIC_SPEC_SFF8472 || !mod->a2 ||
		    !mod->ident.has_a2)
			return -EOPNOTSUPP;
		if (loc->page && !mod->ident.a2_paged)
			return -EOPNOTSUPP;
	} else if (mod->ident.spec == OPTIC_SPEC_SFF8472 || mod->ident.flat) {
		/* SFF-8472 A0h is 256 flat bytes; flat modules have page 0. */
		if (loc->page)
			return -EOPNOTSUPP;
	}
	if (loc->bank && !optic_page_banked(mod, loc->page))
		return loc->page >= OPTIC_FIRST_BANKED_PAGE ? -EOPNOTSUPP : 0;
	return 0;
}

/*
 * Write the bank/page select bytes. With verify_select the write-completion
 * poll reads them back: a module that dropped the select (or maps another
 * page) would otherwise serve the wrong page until the next error. One more
 * try on a mismatch, then -EIO.
 */
int optic_write_select(struct optic_module *mod,
		       struct i2c_client *client, unsigned int offset,
		       const u8 *sel, size_t len)
{
	u8 back[2];
	int ret, try;

	if (!READ_ONCE(verify_select)) {
		mod->page_selects++;
		return optic_bus_write(mod, client, offset, sel, len);
	}
	for (try = 0; try < 2; try++) {
		mod->page_selects++;
		ret = optic_bus_write_nowait(mod, client, offset, sel, len);
		if (!ret)
			ret = optic_bus_wait_write_read(mod, client, offset,
							back, len);
		if (ret)
			return ret;
		if (!memcmp(back, sel, len))
			return 0;
		mod->select_errors++;
		dev_warn_ratelimited(&client->dev,
				     "%s: select %*ph not taken, reads back %*ph%s\n",
				     mod->name, (int)len, sel, (int)len, back,
				     try ? "" : ", retrying");
	}
	return -EIO;
}

/* Map the page (and bank) of @loc into the upper window. */
static int optic_select(struct optic_module *mod, const struct optic_loc *loc)
{
	struct i2c_client *client = optic_client(mod, loc->i2c_addr);
	int idx = loc->i2c_addr == OPTIC_ADDR_A2;
	u8 sel[2] = { loc->bank, loc->page };
	int ret;

	if (loc->i2c_addr == OPTIC_ADDR_A2) {
		if (!mod->ident.a2_paged)
			return 0;
	} else if (mod->ident.spec == OPTIC_SPEC_SFF8472 || mod->ident.flat) {
		/* No page register: never write byte 127 of a flat module. */
		return 0;
	}

	if (optic_page_banked(mod, loc->page)) {
		/*
		 * CDB pages (9Fh and up) are always selected again: a CDB
		 * command (Run image) resets the module, which maps page
		 * 00h again behind the driver's back.
		 */
		if (mod->cur_page[0] == loc->page &&
		    mod->cur_bank == loc->bank && loc->page < OPTIC_CDB_PAGE)
			return 0;
		/*
		 * CMIS 5.2 page mapping: BankSelect (126) and PageSelect
		 * (127) are written together in one two-byte write so the
		 * module never maps a bank/page pair the host did not ask
		 * for.
		 */
		ret = optic_write_select(mod, client, OPTIC_BANK_SELECT, sel, 2);
	} else {
		if (mod->cur_page[idx] == loc->page)
			return 0;
		ret = optic_write_select(mod, client, OPTIC_PAGE_SELECT,
					 &sel[1], 1);
	}
	if (ret) {
		optic_invalidate_select(mod);
		return ret;
	}
	mod->cur_page[idx] = loc->page;
	if (optic_page_banked(mod, loc->page))
		mod->cur_bank = loc->bank;
	return 0;
}

/* The cache slot that holds [offset, offset + len) of @loc, if any. */
struct optic_cache_slot *
optic_cache_find(struct optic_module *mod, const struct optic_loc *loc,
		 unsigned int offset, size_t len)
{
	unsigned int page = offset < OPTIC_PAGE_LEN ? 0 : loc->page;
	int i;

	for (i = 0; i < OPTIC_CACHE_SLOTS; i++) {
		struct optic_cache_slot *s = &mod->cache[i];

		if (!s->len || s->i2c_addr != loc->i2c_addr || s->page != page)
			continue;
		if (offset >= s->start && offset + len <= s->start + s->len)
			return s;
	}
	return NULL;
}

/*
 * Latched flag registers, clear-on-read in the module. Bits read from them
 * are accumulated per consumer (optic_consumer); bits the previous read
 * did not find are raised as events. A condition that persists latches
 * again at every read (CMIS 5.2 latched flags, clear-on-read): one event
 * for it, not one per read.
 */
struct optic_flag_region {
	enum optic_spec spec;
	u8 page;		/* upper page; 0 for lower page bytes */
	u8 bank;		/* bank of a banked page (CMIS 10h-FFh) */
	u8 start;
	u8 len;
	u8 base;		/* index in optic_module.latched[] */
};

static const struct optic_flag_region optic_flag_regions[] = {
	/* CMIS 5.2: module flags, lower page bytes 8-11. */
	{ OPTIC_SPEC_CMIS, 0x00, 0, 8, 4, 0 },
	/*
	 * CMIS 5.2: lane flags, page 11h bytes 134-153, one set per bank
	 * (8.4.1: bank b holds lanes 8b+1..8b+8). Only the banks the module
	 * has lanes in are read (optic_region_at()).
	 */
	{ OPTIC_SPEC_CMIS, 0x11, 0, 134, OPTIC_LANE_FLAG_BYTES, 4 },
	{ OPTIC_SPEC_CMIS, 0x11, 1, 134, OPTIC_LANE_FLAG_BYTES,
	  4 + 1 * OPTIC_LANE_FLAG_BYTES },
	{ OPTIC_SPEC_CMIS, 0x11, 2, 134, OPTIC_LANE_FLAG_BYTES,
	  4 + 2 * OPTIC_LANE_FLAG_BYTES },
	{ OPTIC_SPEC_CMIS, 0x11, 3, 134, OPTIC_LANE_FLAG_BYTES,
	  4 + 3 * OPTIC_LANE_FLAG_BYTES },
	/* SFF-8636: interrupt flags, bytes 3-14. */
	{ OPTIC_SPEC_SFF8636, 0x00, 0, 3, 12, 0 },
};

/*
 * Whether region @r is on this module and @loc maps it: lower page bytes
 * whatever the page, upper page bytes of r's page and bank.
 * A bank beyond the module's lanes is not tracked: it may not exist.
 */
static bool optic_region_at(struct optic_module *mod,
			    const struct optic_flag_region *r,
			    const struct optic_loc *loc)
{
	if (r->spec != mod->ident.spec || loc->i2c_addr != OPTIC_ADDR_A0)
		return false;
	if (r->start < OPTIC_PAGE_LEN)
		return true;
	return loc->page == r->page && loc->bank == r->bank &&
	       r->bank < mod->ident.banks;
}

/*
 * One event per flag byte; CMIS lane flags: one per lane, bit n of bank b's
 * byte is lane 8b + n (0-based, OPTIC_A_LANE), FLAG_BITS that bit. @set:
 * newly latched bits, else bits found cleared (recorded, no event).
 */
static void optic_flag_events(struct optic_module *mod,
			      const struct optic_flag_region *r,
			      unsigned int offset, u8 bits, bool set)
{
	unsigned long lanes = bits;
	unsigned int lane;

	if (r->start < OPTIC_PAGE_LEN) {
		optic_event_flag(mod, 0, offset, bits, -1, set);
		return;
	}
	for_each_set_bit(lane, &lanes, OPTIC_LANES_PER_BANK)
		optic_event_flag(mod, r->page, offset, BIT(lane),
				 r->bank * OPTIC_LANES_PER_BANK + lane, set);
}

static void optic_flags_observe(struct optic_module *mod,
				const struct optic_loc *loc,
				unsigned int offset, u8 *buf, size_t len,
				enum optic_consumer cons)
{
	const struct optic_flag_region *r;
	unsigned int i, from, to, idx;
	int c;

	BUILD_BUG_ON(ARRAY_SIZE(optic_flag_regions) != OPTIC_FLAG_REGIONS);
	if (loc->i2c_addr != OPTIC_ADDR_A0 || mod->ident.flat)
		return;
	for (r = optic_flag_regions;
	     r < optic_flag_regions + ARRAY_SIZE(optic_flag_regions); r++) {
		if (!optic_region_at(mod, r, loc))
			continue;
		from = max_t(unsigned int, offset, r->start);
		to = min_t(unsigned int, offset + len, r->start + r->len);
		if (from == r->start && to == r->start + r->len)
			mod->flags_at[r - optic_flag_regions] =
				get_jiffies_64() ?: 1;
		for (i = from; i < to; i++) {
			u8 *v = &buf[i - offset];
			u8 news, gone;

			idx = r->base + i - r->start;
			news = *v & ~mod->flags_last[idx];
			gone = mod->flags_last[idx] & ~*v;
			mod->flags_last[idx] = *v;
			if (news)
				optic_flag_events(mod, r, i, news, true);
			if (gone)
				optic_flag_events(mod, r, i, gone, false);
			for (c = 0; c < OPTIC_CONS_NR; c++)
				mod->latched[c][idx] |= *v;
			if (cons < OPTIC_CONS_NR) {
				*v = mod->latched[cons][idx];
				mod->latched[cons][idx] = 0;
			}
		}
	}
}

/* Status bytes kept from any read (enum optic_seen_id). */
struct optic_seen_span {
	enum optic_spec spec;
	u8 i2c_addr;
	u8 page;		/* of an upper-page span */
	u8 start;
	u8 len;
	u8 id;			/* enum optic_seen_id; DP: + bank */
};

static const struct optic_seen_span optic_seen_spans[] = {
	/* CMIS 5.2 Table 8-10: module temperature, bytes 14-15 */
	{ OPTIC_SPEC_CMIS, OPTIC_ADDR_A0, 0x00, 14, 2, OPTIC_SEEN_TEMP },
	/* SFF-8636 Table 6-8: temperature, bytes 22-23 */
	{ OPTIC_SPEC_SFF8636, OPTIC_ADDR_A0, 0x00, 22, 2, OPTIC_SEEN_TEMP },
	/* SFF-8472 Table 9-11: A2h temperature, bytes 96-97 */
	{ OPTIC_SPEC_SFF8472, OPTIC_ADDR_A2, 0x00, 96, 2, OPTIC_SEEN_TEMP },
	/* CMIS 5.2 Table 8-72: DPState, page 11h bytes 128-131 of a bank */
	{ OPTIC_SPEC_CMIS, OPTIC_ADDR_A0, 0x11, 128, 4, OPTIC_SEEN_DP },
};

static void optic_seen_observe(struct optic_module *mod,
			       const struct optic_loc *loc,
			       unsigned int offset, const u8 *buf, size_t len)
{
	const struct optic_seen_span *sp;
	struct optic_seen *seen;

	for (sp = optic_seen_spans;
	     sp < optic_seen_spans + ARRAY_SIZE(optic_seen_spans); sp++) {
		if (sp->spec != mod->ident.spec || sp->i2c_addr != loc->i2c_addr ||
		    offset > sp->start || offset + len < sp->start + sp->len)
			continue;
		if (sp->start >= OPTIC_PAGE_LEN &&
		    (loc->page != sp->page || loc->bank >= mod->ident.banks))
			continue;
		seen = &mod->seen[sp->id + (sp->id == OPTIC_SEEN_DP ?
					    loc->bank : 0)];
		memcpy(seen->data, &buf[sp->start - offset], sp->len);
		seen->at = get_jiffies_64() ?: 1;
	}
}

/**
 * optic_seen - status bytes some read brought in recently, or NULL
 * @mod: the module, its lock held
 * @id: which (optic_read_recently() decides what is recent)
 */
const u8 *optic_seen(struct optic_module *mod, enum optic_seen_id id)
{
	return optic_read_recently(mod->seen[id].at) ? mod->seen[id].data :
						       NULL;
}

/* Read within one half (lower or upper) of the map. */
static int optic_read_half(struct optic_module *mod,
			   const struct optic_loc *loc, unsigned int offset,
			   u8 *buf, size_t len, enum optic_consumer cons)
{
	struct i2c_client *client = optic_client(mod, loc->i2c_addr);
	struct optic_cache_slot *slot;
	int ret;

	slot = optic_cache_find(mod, loc, offset, len);
	if (slot && slot->valid) {
		memcpy(buf, slot->data + (offset - slot->start), len);
		return 0;
	}
	if (offset >= OPTIC_PAGE_LEN) {
		ret = optic_select(mod, loc);
		if (ret)
			return ret;
	}
	ret = optic_bus_read(mod, client, offset, buf, len);
	if (ret) {
		optic_invalidate_select(mod);
		return ret;
	}
	if (mod->identified) {
		optic_seen_observe(mod, loc, offset, buf, len);
		optic_flags_observe(mod, loc, offset, buf, len, cons);
	}
	return 0;
}

/* Whether some of [offset, offset + len) of @loc comes from the cache. */
static bool optic_half_cached(struct optic_module *mod,
			      const struct optic_loc *loc, unsigned int offset,
			      size_t len)
{
	struct optic_cache_slot *slot = optic_cache_find(mod, loc, offset, len);

	return slot && slot->valid;
}

bool optic_cached(struct optic_module *mod, const struct optic_loc *loc,
		  unsigned int offset, size_t len)
{
	size_t part = min_t(size_t, len, OPTIC_PAGE_LEN - offset);

	if (offset >= OPTIC_PAGE_LEN)
		return optic_half_cached(mod, loc, offset, len);
	return optic_half_cached(mod, loc, offset, part) ||
	       (len > part && optic_half_cached(mod, loc, OPTIC_PAGE_LEN,
						len - part));
}

/**
 * optic_page_read - optic_read_for() without the swap check
 * @mod: the module, its lock held
 * @loc: device (A0h/A2h) and page/bank mapped at offsets 128-255
 * @offset: first byte, 0-255
 * @buf: destination
 * @len: bytes, offset + len <= 256
 * @cons: who reads: latched flags accumulated for @cons are delivered
 *	(and cleared) instead of the module's bare value
 *
 * Return: 0 or a negative errno (-EOPNOTSUPP for a page the module does
 * not have, -ENODEV after remove, bus errors as the adapter gives them).
 */
int optic_page_read(struct optic_module *mod, const struct optic_loc *loc,
		    unsigned int offset, u8 *buf, size_t len,
		    enum optic_consumer cons)
{
	size_t part;
	int ret;

	lockdep_assert_held(&mod->lock);
	if (mod->gone)
		return -ENODEV;
	if (!len || offset + len > OPTIC_EEPROM_PAGE_SIZE)
		return -EINVAL;
	if (!optic_client(mod, loc->i2c_addr))
		return -EOPNOTSUPP;
	if (offset + len > OPTIC_PAGE_LEN && mod->identified) {
		ret = optic_check_page(mod, loc);
		if (ret)
			return ret;
	}
	if (offset < OPTIC_PAGE_LEN) {
		part = min_t(size_t, len, OPTIC_PAGE_LEN - offset);
		ret = optic_read_half(mod, loc, offset, buf, part, cons);
		if (ret)
			return ret;
		offset += part;
		buf += part;
		len -= part;
	}
	if (len)
		return optic_read_half(mod, loc, offset, buf, len, cons);
	return 0;
}

/* A read for the driver's own use: no consumer, no swap check. */
int optic_read(struct optic_module *mod, const struct optic_loc *loc,
	       unsigned int offset, u8 *buf, size_t len)
{
	return optic_page_read(mod, loc, offset, buf, len, OPTIC_CONS_NONE);
}

void optic_cache_fill(struct optic_module *mod,
		      struct optic_cache_slot *s)
{
	struct optic_loc loc = { .i2c_addr = s->i2c_addr, .page = s->page };

	s->valid = false;
	if (!optic_read_half(mod, &loc, s->start, s->data, s->len,
			     OPTIC_CONS_NONE))
		s->valid = true;
}

/**
 * optic_write_max - longest single write the module accepts at @offset
 * @mod: the module, its lock held
 * @loc: device and page
 * @offset: first byte
 *
 * 8 bytes, except on the CMIS CDB pages (9Fh-AFh), where page 01h byte 164
 * (CdbReadWriteLengthExtension, CMIS 5.2 8.4.11) allows 8 * (1 + value)
 * bytes, at most a half page.
 */
unsigned int optic_write_max(struct optic_module *mod,
			     const struct optic_loc *loc, unsigned int offset)
{
	struct optic_cache_slot *adv;

	if (mod->ident.spec != OPTIC_SPEC_CMIS || mod->ident.flat ||
	    loc->i2c_addr != OPTIC_ADDR_A0 || offset < OPTIC_PAGE_LEN ||
	    loc->page < OPTIC_CDB_PAGE || loc->page > OPTIC_CDB_LAST_PAGE)
		return OPTIC_EEPROM_WRITE_MAX;
	adv = optic_cache_find(mod, &(struct optic_loc){ OPTIC_ADDR_A0, 0, 1 },
			       164, 1);
	if (!adv || !adv->valid)
		return OPTIC_EEPROM_WRITE_MAX;
	return min_t(unsigned int, OPTIC_PAGE_LEN,
		     OPTIC_EEPROM_WRITE_MAX * (1 + adv->data[164 - adv->start]));
}

/**
 * optic_write - write bytes of the module memory map
 * @mod: the module, its lock held
 * @loc: device and page/bank
 * @offset: first byte, 0-255
 * @buf: data
 * @len: 1 to optic_write_max() bytes, within one half of the map
 *
 * Waits for the module to complete the write. Writes to the bank/page
 * select bytes are seen and drop the driver's knowledge of the mapping;
 * writes to cached content refresh the cache.
 */
int optic_write(struct optic_module *mod, const struct optic_loc *loc,
		unsigned int offset, const u8 *buf, size_t len)
{
	struct i2c_client *client = optic_client(mod, loc->i2c_addr);
	struct optic_cache_slot *slot;
	unsigned int end = offset + len;
	int ret, i;

	lockdep_assert_held(&mod->lock);
	if (mod->gone)
		return -ENODEV;
	if (!client)
		return -EOPNOTSUPP;
	/* CMIS 8.2.2: at most 8 bytes (CDB: see below), never across a page. */
	if (!len || len > optic_write_max(mod, loc, offset) ||
	    end > OPTIC_EEPROM_PAGE_SIZE ||
	    (offset < OPTIC_PAGE_LEN && end > OPTIC_PAGE_LEN))
		return -EINVAL;

	if (offset >= OPTIC_PAGE_LEN) {
		if (mod->identified) {
			ret = optic_check_page(mod, loc);
			if (ret)
				return ret;
		}
		ret = optic_select(mod, loc);
		if (ret)
			return ret;
	}
	ret = optic_bus_write(mod, client, offset, buf, len);
	if (ret || (offset < OPTIC_PAGE_LEN && end > OPTIC_BANK_SELECT))
		optic_invalidate_select(mod);
	/* Controls change states: read the state again before reporting it. */
	mod->state_at = 0;
	if (ret)
		return ret;

	for (i = 0; i < OPTIC_CACHE_SLOTS; i++) {
		unsigned int page = offset < OPTIC_PAGE_LEN ? 0 : loc->page;

		slot = &mod->cache[i];
		if (slot->len && slot->i2c_addr == loc->i2c_addr &&
		    slot->page == page && offset < slot->start + slot->len &&
		    end > slot->start)
			optic_cache_fill(mod, slot);
	}
	return 0;
}

/* Read the static content again (same module, maybe new firmware). */
void optic_cache_refresh(struct optic_module *mod)
{
	int i;

	for (i = 0; i < OPTIC_CACHE_SLOTS; i++)
		if (mod->cache[i].len)
			optic_cache_fill(mod, &mod->cache[i]);
}

static bool optic_flags_picked(struct optic_module *mod,
			       const struct optic_flag_region *r,
			       enum optic_flags_pick pick)
{
	switch (pick) {
	case OPTIC_FLAGS_STALE:
		return !optic_read_recently(mod->flags_at[r - optic_flag_regions]);
	case OPTIC_FLAGS_LAST_SET:
		return memchr_inv(&mod->flags_last[r->base], 0, r->len);
	default:
		return true;
	}
}

/**
 * optic_read_flags - read the module's latched flag registers
 * @mod: the module, its lock held
 * @pick: all of them, or those not read recently by anyone
 *	(optic_read_recently(): the service poll while a consumer polls), or
 *	those the last read found a bit set in (the end of a condition)
 *
 * New bits raise flag events and are kept for the consumers.
 */
int optic_read_flags(struct optic_module *mod, enum optic_flags_pick pick)
{
	const struct optic_flag_region *r;
	u8 buf[OPTIC_FLAG_BYTES];
	int ret = 0;

	lockdep_assert_held(&mod->lock);
	if (!mod->identified || mod->ident.flat)
		return 0;
	for (r = optic_flag_regions;
	     r < optic_flag_regions + ARRAY_SIZE(optic_flag_regions) && !ret;
	     r++) {
		struct optic_loc loc = { .i2c_addr = OPTIC_ADDR_A0,
					 .bank = r->bank, .page = r->page };

		if (optic_region_at(mod, r, &loc) &&
		    optic_flags_picked(mod, r, pick))
			ret = optic_read(mod, &loc, r->start, buf, r->len);
	}
	return ret;
}

/**
 * optic_flags_tracked - bytes of mod->flags_last when all are fresh
 * @mod: the module, its lock held
 *
 * Return: how many leading bytes of flags_last hold the module's latched
 * flag registers as their last reads found them, every one read within two
 * poll periods (optic_tracked_fresh()); 0 when one is older, or the module
 * has no latched flags the driver tracks.
 */
unsigned int optic_flags_tracked(struct optic_module *mod)
{
	const struct optic_flag_region *r;
	struct optic_loc loc = { .i2c_addr = OPTIC_ADDR_A0 };
	unsigned int n = 0;

	if (!mod->identified || mod->ident.flat)
		return 0;
	for (r = optic_flag_regions;
	     r < optic_flag_regions + ARRAY_SIZE(optic_flag_regions); r++) {
		loc.page = r->page;
		loc.bank = r->bank;
		if (!optic_region_at(mod, r, &loc))
			continue;
		if (!optic_tracked_fresh(mod->flags_at[r - optic_flag_regions]))
			return 0;
		n = max_t(unsigned int, n, r->base + r->len);
	}
	return n;
}

/**
 * optic_read_flag_bit - one latched flag bit, delivered once to @cons
 * @mod: the module, its lock held
 * @loc: device and page of the flag byte
 * @offset: flag byte
 * @bit: bit of it
 * @cons: consumer whose accumulated copy of the bit is returned and cleared
 *
 * Bits outside the latched registers (SFF-8472 A2h flags are live) are
 * returned as read. Return: 0 or 1, or a negative errno.
 */
int optic_read_flag_bit(struct optic_module *mod, const struct optic_loc *loc,
			u8 offset, u8 bit, enum optic_consumer cons)
{
	const struct optic_flag_region *r;
	unsigned int idx;
	u8 v;
	int ret;

	ret = optic_read(mod, loc, offset, &v, 1);
	if (ret)
		return ret;
	for (r = optic_flag_regions;
	     r < optic_flag_regions + ARRAY_SIZE(optic_flag_regions); r++) {
		if (!optic_region_at(mod, r, loc) ||
		    offset < r->start || offset >= r->start + r->len)
			continue;
		idx = r->base + offset - r->start;
		ret = !!(mod->latched[cons][idx] & BIT(bit));
		mod->latched[cons][idx] &= ~BIT(bit);
		return ret;
	}
	return !!(v & BIT(bit));
}
