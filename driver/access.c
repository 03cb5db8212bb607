// SPDX-License-Identifier: GPL-2.0
/*
 * optic: register access to a module's management interface.
 *
 * The module memory is a 128-byte lower page that is always mapped and a
 * 128-byte upper window (bytes 128-255) onto the page (and for CMIS banked
 * pages, the bank) written to bytes 127 (and 126) of the lower page. Every
 * function here runs under mod->lock so that a page select and the access it
 * prepares are never separated by another user's select.
 */
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "optic.h"

static unsigned int write_timeout_ms = 100;
module_param(write_timeout_ms, uint, 0644);
MODULE_PARM_DESC(write_timeout_ms,
		 "Longest wait for a module to complete a write (ms, default 100)");

static unsigned int nack_retry_us = 1000;
module_param(nack_retry_us, uint, 0644);
MODULE_PARM_DESC(nack_retry_us,
		 "Delay before the one retry of a transfer a present module NACKed (us, 0: no retry; default 1000)");

static bool verify_select = true;
module_param(verify_select, bool, 0644);
MODULE_PARM_DESC(verify_select,
		 "Read the page/bank select back after writing it; retry once, else -EIO (default Y)");

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

static unsigned int xfer_mode;
module_param(xfer_mode, uint, 0444);
MODULE_PARM_DESC(xfer_mode,
		 "Bus access: 0 best the adapter offers (default), 1 I2C, 2 SMBus I2C block, 3 SMBus byte");

int optic_access_init(struct optic_module *mod)
{
	struct i2c_adapter *adap = mod->client->adapter;
	unsigned int mode = xfer_mode;

	if ((!mode || mode == 1) && i2c_check_functionality(adap, I2C_FUNC_I2C)) {
		mod->xfer = OPTIC_XFER_I2C;
		mod->read_max = OPTIC_PAGE_LEN;
		if (adap->quirks && adap->quirks->max_read_len)
			mod->read_max = min_t(unsigned int, mod->read_max,
					      adap->quirks->max_read_len);
		if (adap->quirks && adap->quirks->max_comb_2nd_msg_len)
			mod->read_max = min_t(unsigned int, mod->read_max,
					      adap->quirks->max_comb_2nd_msg_len);
	} else if ((!mode || mode == 2) &&
		   i2c_check_functionality(adap, I2C_FUNC_SMBUS_READ_I2C_BLOCK |
					   I2C_FUNC_SMBUS_WRITE_I2C_BLOCK)) {
		mod->xfer = OPTIC_XFER_SMBUS_BLOCK;
		mod->read_max = I2C_SMBUS_BLOCK_MAX;
	} else if ((!mode || mode == 3) &&
		   i2c_check_functionality(adap, I2C_FUNC_SMBUS_BYTE_DATA)) {
		mod->xfer = OPTIC_XFER_SMBUS_BYTE;
		mod->read_max = 1;
	} else {
		return -EOPNOTSUPP;
	}
	if (!mod->read_max)
		mod->read_max = 1;
	mod->cur_page[0] = -1;
	mod->cur_page[1] = -1;
	mod->cur_bank = -1;
	return 0;
}

static struct i2c_client *optic_client(struct optic_module *mod, u8 i2c_addr)
{
	return i2c_addr == OPTIC_ADDR_A2 ? mod->a2 : mod->client;
}

static bool optic_is_nack(int err)
{
	return err == -ENXIO || err == -EREMOTEIO;
}

/*
 * A failed transfer: what the driver tracks about presence and state has
 * to be confirmed on the bus again (see optic_tracked_presence()).
 */
static void optic_xfer_failed(struct optic_module *mod, int err)
{
	mod->xfer_errors++;
	/* a NACK is an empty cage or a busy module, not a bus error */
	if (!optic_is_nack(err))
		optic_event_bus_error(mod, err);
	mod->present_at = 0;
	mod->state_at = 0;
}

/*
 * A module may NACK its address while it is busy with an internal write
 * (CMIS 5.2 and SFF-8636 management interface timing: tWR). A transfer to
 * a module known to be present gets one more try after nack_retry_us; an
 * empty cage (not present) and the write-completion polling do not.
 */
static bool optic_nack_retry(struct optic_module *mod, int err, bool retry)
{
	unsigned int us = READ_ONCE(nack_retry_us);

	if (!retry || !us || !mod->present || !optic_is_nack(err))
		return false;
	fsleep(us);
	return true;
}

/* One read transfer of at most mod->read_max bytes. */
static int optic_xfer_read(struct optic_module *mod, struct i2c_client *client,
			   u8 off, u8 *buf, size_t chunk)
{
	int ret;

	switch (mod->xfer) {
	case OPTIC_XFER_I2C: {
		struct i2c_msg msgs[2] = {
			{ .addr = client->addr, .len = 1, .buf = &off },
			{ .addr = client->addr, .flags = I2C_M_RD,
			  .len = chunk, .buf = buf },
		};

		ret = i2c_transfer(client->adapter, msgs, 2);
		if (ret >= 0)
			ret = ret == 2 ? 0 : -EIO;
		return ret;
	}
	case OPTIC_XFER_SMBUS_BLOCK:
		ret = i2c_smbus_read_i2c_block_data(client, off, chunk, buf);
		if (ret >= 0)
			ret = ret == chunk ? 0 : -EIO;
		return ret;
	default:
		ret = i2c_smbus_read_byte_data(client, off);
		if (ret < 0)
			return ret;
		*buf = ret;
		return 0;
	}
}

static int __optic_hw_read(struct optic_module *mod, struct i2c_client *client,
			   unsigned int offset, u8 *buf, size_t len, bool retry)
{
	while (len) {
		size_t chunk = min_t(size_t, len, mod->read_max);
		int ret;

		ret = optic_xfer_read(mod, client, offset, buf, chunk);
		if (ret && optic_nack_retry(mod, ret, retry))
			ret = optic_xfer_read(mod, client, offset, buf, chunk);
		if (ret) {
			optic_xfer_failed(mod, ret);
			return ret;
		}
		buf += chunk;
		offset += chunk;
		len -= chunk;
	}
	return 0;
}

static int optic_hw_read(struct optic_module *mod, struct i2c_client *client,
			 unsigned int offset, u8 *buf, size_t len)
{
	return __optic_hw_read(mod, client, offset, buf, len, true);
}

/*
 * A write whose completion poll saw only NACKs until write_timeout_ms: a
 * module busy past tWR and a module pulled mid-write look the same on the
 * bus. A presence line tells them apart; without one the write timed out.
 */
static int optic_write_unanswered(struct optic_module *mod)
{
	int ret;

	if (!mod->gpio_presence)
		return -ETIMEDOUT;
	ret = gpiod_get_value_cansleep(mod->gpio_presence);
	if (ret < 0)
		return ret;
	return ret ? -ETIMEDOUT : -ENXIO;
}

/*
 * CMIS 5.2 and SFF-8636 (write cycle time, tWR): after a write the
 * module may NACK its address until it has committed the data. Poll with a
 * read of @len bytes at @offset (byte 0 when the caller needs nothing back)
 * until it answers, within write_timeout_ms.
 */
static int optic_wait_write_read(struct optic_module *mod,
				 struct i2c_client *client,
				 unsigned int offset, u8 *buf, size_t len)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(READ_ONCE(write_timeout_ms));
	int ret;

	for (;;) {
		ret = __optic_hw_read(mod, client, offset, buf, len, false);
		if (!ret)
			return 0;
		if (time_after(jiffies, deadline))
			return ret == -ENXIO ? optic_write_unanswered(mod) : ret;
		usleep_range(500, 1000);
	}
}

static int optic_wait_write(struct optic_module *mod, struct i2c_client *client)
{
	u8 byte;

	return optic_wait_write_read(mod, client, 0, &byte, 1);
}

/* One write transfer; SMBus modes carry at most 32 bytes (block) or 1. */
static int optic_xfer_write(struct optic_module *mod, struct i2c_client *client,
			    unsigned int offset, const u8 *buf, size_t len)
{
	u8 msgbuf[1 + OPTIC_PAGE_LEN];
	int ret;

	switch (mod->xfer) {
	case OPTIC_XFER_I2C: {
		struct i2c_msg msg = {
			.addr = client->addr, .len = len + 1, .buf = msgbuf,
		};

		msgbuf[0] = offset;
		memcpy(msgbuf + 1, buf, len);
		ret = i2c_transfer(client->adapter, &msg, 1);
		if (ret >= 0)
			ret = ret == 1 ? 0 : -EIO;
		return ret;
	}
	case OPTIC_XFER_SMBUS_BLOCK:
		return i2c_smbus_write_i2c_block_data(client, offset, len, buf);
	default:
		return i2c_smbus_write_byte_data(client, offset, *buf);
	}
}

static int optic_hw_write_nowait(struct optic_module *mod,
				 struct i2c_client *client,
				 unsigned int offset, const u8 *buf, size_t len)
{
	size_t i, chunk;
	int ret = 0;

	if (!len || len > OPTIC_PAGE_LEN)
		return -EINVAL;

	/* Longer (CDB) writes go out as consecutive SMBus transfers. */
	for (i = 0; i < len && !ret; i += chunk) {
		switch (mod->xfer) {
		case OPTIC_XFER_I2C:
			chunk = len;
			break;
		case OPTIC_XFER_SMBUS_BLOCK:
			chunk = min_t(size_t, len - i, I2C_SMBUS_BLOCK_MAX);
			break;
		default:
			chunk = 1;
			break;
		}
		if (i)
			ret = optic_wait_write(mod, client);
		if (ret)
			break;
		ret = optic_xfer_write(mod, client, offset + i, buf + i, chunk);
		if (ret && optic_nack_retry(mod, ret, true))
			ret = optic_xfer_write(mod, client, offset + i, buf + i,
					       chunk);
	}
	if (ret)
		optic_xfer_failed(mod, ret);
	return ret;
}

static int optic_hw_write(struct optic_module *mod, struct i2c_client *client,
			  unsigned int offset, const u8 *buf, size_t len)
{
	int ret;

	ret = optic_hw_write_nowait(mod, client, offset, buf, len);
	return ret ?: optic_wait_write(mod, client);
}

static void optic_invalidate_select(struct optic_module *mod)
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
static int optic_write_select(struct optic_module *mod,
			      struct i2c_client *client, unsigned int offset,
			      const u8 *sel, size_t len)
{
	u8 back[2];
	int ret, try;

	if (!READ_ONCE(verify_select)) {
		mod->page_selects++;
		return optic_hw_write(mod, client, offset, sel, len);
	}
	for (try = 0; try < 2; try++) {
		mod->page_selects++;
		ret = optic_hw_write_nowait(mod, client, offset, sel, len);
		if (!ret)
			ret = optic_wait_write_read(mod, client, offset, back,
						    len);
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
static struct optic_cache_slot *
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

	if (loc->i2c_addr != OPTIC_ADDR_A0 || mod->ident.flat)
		return;
	for (r = optic_flag_regions;
	     r < optic_flag_regions + ARRAY_SIZE(optic_flag_regions); r++) {
		if (!optic_region_at(mod, r, loc))
			continue;
		from = max_t(unsigned int, offset, r->start);
		to = min_t(unsigned int, offset + len, r->start + r->len);
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

/* Read within one half (lower or upper) of the map. */
static int optic_read_half(struct optic_module *mod,
			   const struct optic_loc *loc, unsigned int offset,
			   u8 *buf, size_t len, enum optic_consumer cons)
{
	struct i2c_client *client = optic_client(mod, loc->i2c_addr);
	struct optic_cache_slot *slot;
	int ret;

	slot = optic_cache_find(mod, loc, offset, len);
	if (slot && slot->valid && cons == OPTIC_CONS_RAW) {
		ret = optic_confirm_cached(mod);
		if (ret)
			return ret;
		/* a swap found there re-identified the module: a new cache */
		slot = optic_cache_find(mod, loc, offset, len);
	}
	if (slot && slot->valid) {
		memcpy(buf, slot->data + (offset - slot->start), len);
		return 0;
	}
	if (offset >= OPTIC_PAGE_LEN) {
		ret = optic_select(mod, loc);
		if (ret)
			return ret;
	}
	ret = optic_hw_read(mod, client, offset, buf, len);
	if (ret) {
		optic_invalidate_select(mod);
		return ret;
	}
	if (mod->identified)
		optic_flags_observe(mod, loc, offset, buf, len, cons);
	return 0;
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
 * module. Return: 0 or a negative errno (-EOPNOTSUPP for a page the module
 * does not have, -ENODEV after remove, bus errors as the adapter gives them).
 */
int optic_read_for(struct optic_module *mod, const struct optic_loc *loc,
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

/* optic_read_for() for the driver's own use. */
int optic_read(struct optic_module *mod, const struct optic_loc *loc,
	       unsigned int offset, u8 *buf, size_t len)
{
	return optic_read_for(mod, loc, offset, buf, len, OPTIC_CONS_NONE);
}

static void optic_cache_fill(struct optic_module *mod,
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
	ret = optic_hw_write(mod, client, offset, buf, len);
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
	memset(mod->last_dp, 0, sizeof(mod->last_dp));
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

	ret = optic_hw_read(mod, mod->client, 0, low, sizeof(low));
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
		ret = optic_hw_read(mod, mod->client, 0, &id, 1);
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

/* Read the static content again (same module, maybe new firmware). */
static void optic_cache_refresh(struct optic_module *mod)
{
	int i;

	for (i = 0; i < OPTIC_CACHE_SLOTS; i++)
		if (mod->cache[i].len)
			optic_cache_fill(mod, &mod->cache[i]);
}

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
 */
void optic_track_state(struct optic_module *mod, bool report)
{
	struct optic_loc loc = { .i2c_addr = OPTIC_ADDR_A0, .page = 0x11 };
	u8 dp[OPTIC_LANES_PER_BANK / 2], v;
	int state, lane, lanes, n, i;

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
		if (optic_read(mod, &loc, 128, dp, DIV_ROUND_UP(n, 2)))
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

/**
 * optic_read_flags - read every latched flag register of the module
 * @mod: the module, its lock held
 *
 * New bits raise flag events and are kept for the consumers.
 */
int optic_read_flags(struct optic_module *mod)
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

		if (optic_region_at(mod, r, &loc))
			ret = optic_read(mod, &loc, r->start, buf, r->len);
	}
	return ret;
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
	int ret = __optic_set_lpmode(mod, lpmode);

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
	int ret = __optic_set_tx_disable(mod, mask, value);

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
	ret = optic_hw_write_nowait(mod, mod->client, offset, &v, 1);
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
	int ret = __optic_reset(mod);

	optic_event_control(mod, OPTIC_EVENT_RESET, who, 0, 0, ret);
	return ret;
}

static u16 optic_get_be16(const u8 *p)
{
	return p[0] << 8 | p[1];
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
		return 0;
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
	optic_track_state(mod, false);
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

	ret = optic_hw_read(mod, client, 0, low, sizeof(low));
	if (ret)
		return ret;
	*now = low[0];
	if (low[0] != id || spec == OPTIC_SPEC_UNKNOWN)
		return 0;
	if (spec == OPTIC_SPEC_SFF8472)
		return optic_hw_read(mod, client, 0, half, sizeof(half)) ?:
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
	return optic_hw_read(mod, client, OPTIC_PAGE_LEN, half, sizeof(half)) ?:
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

	ret = optic_hw_read(mod, mod->client, 0, &id, 1);
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
