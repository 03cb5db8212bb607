// SPDX-License-Identifier: GPL-2.0
/*
 * optic: generic netlink family "optic" (include/uapi/linux/optic.h,
 * docs/netlink.md). Requests are validated strictly against the per-command
 * policies below; checks the policies cannot express report the attribute
 * at fault through extack.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "compat.h"
#include "optic.h"

static struct genl_family optic_family;
static atomic64_t optic_event_seq = ATOMIC64_INIT(0);

static const struct nla_policy optic_module_get_policy[OPTIC_A_MODULE_NAME + 1] = {
	[OPTIC_A_MODULE_INDEX] = { .type = NLA_U32 },
	[OPTIC_A_MODULE_NAME] = { .type = NLA_NUL_STRING,
				  .len = OPTIC_PORT_NAME_LEN - 1 },
};

/* A range of an EEPROM_READ: at the top level, or in an OPTIC_A_EEPROM_RANGE */
#define OPTIC_NL_EEPROM_READ_RANGE					\
	[OPTIC_A_EEPROM_PAGE] = { .type = NLA_U8 },			\
	[OPTIC_A_EEPROM_BANK] = { .type = NLA_U8 },			\
	[OPTIC_A_EEPROM_OFFSET] = NLA_POLICY_MAX(NLA_U16,		\
						 OPTIC_EEPROM_PAGE_SIZE - 1), \
	[OPTIC_A_EEPROM_LENGTH] = NLA_POLICY_RANGE(NLA_U16, 1,		\
						   OPTIC_EEPROM_PAGE_SIZE), \
	[OPTIC_A_EEPROM_I2C_ADDR] = NLA_POLICY_RANGE(NLA_U8, OPTIC_ADDR_A0, \
						     OPTIC_ADDR_A2)

static const struct nla_policy optic_eeprom_range_policy[OPTIC_A_EEPROM_I2C_ADDR + 1] = {
	OPTIC_NL_EEPROM_READ_RANGE,
};

static const struct nla_policy optic_eeprom_module_policy[OPTIC_A_EEPROM_RANGE + 1] = {
	[OPTIC_A_MODULE_INDEX] = { .type = NLA_U32 },
	[OPTIC_A_MODULE_NAME] = { .type = NLA_NUL_STRING,
				  .len = OPTIC_PORT_NAME_LEN - 1 },
	[OPTIC_A_EEPROM_RANGE] = NLA_POLICY_NESTED(optic_eeprom_range_policy),
};

static const struct nla_policy optic_eeprom_read_policy[OPTIC_A_EEPROM_MODULE + 1] = {
	[OPTIC_A_MODULE_INDEX] = { .type = NLA_U32 },
	[OPTIC_A_MODULE_NAME] = { .type = NLA_NUL_STRING,
				  .len = OPTIC_PORT_NAME_LEN - 1 },
	[OPTIC_A_EEPROM_RANGE] = NLA_POLICY_NESTED(optic_eeprom_range_policy),
	OPTIC_NL_EEPROM_READ_RANGE,
	[OPTIC_A_EEPROM_CLASS] = NLA_POLICY_MAX(NLA_U8, OPTIC_BUS_CLASSES - 1),
	[OPTIC_A_EEPROM_MODULE] = NLA_POLICY_NESTED(optic_eeprom_module_policy),
};

static const struct nla_policy optic_eeprom_write_policy[OPTIC_A_EEPROM_I2C_ADDR + 1] = {
	[OPTIC_A_MODULE_INDEX] = { .type = NLA_U32 },
	[OPTIC_A_MODULE_NAME] = { .type = NLA_NUL_STRING,
				  .len = OPTIC_PORT_NAME_LEN - 1 },
	[OPTIC_A_EEPROM_PAGE] = { .type = NLA_U8 },
	[OPTIC_A_EEPROM_BANK] = { .type = NLA_U8 },
	[OPTIC_A_EEPROM_OFFSET] = NLA_POLICY_MAX(NLA_U16,
						 OPTIC_EEPROM_PAGE_SIZE - 1),
	/* Up to a half page: CMIS CDB pages accept longer writes. */
	[OPTIC_A_EEPROM_DATA] = NLA_POLICY_RANGE(NLA_BINARY, 1,
						 OPTIC_EEPROM_PAGE_SIZE / 2),
	/* Optional on writes; must then equal the data length. */
	[OPTIC_A_EEPROM_LENGTH] = NLA_POLICY_RANGE(NLA_U16, 1,
						   OPTIC_EEPROM_PAGE_SIZE / 2),
	[OPTIC_A_EEPROM_I2C_ADDR] = NLA_POLICY_RANGE(NLA_U8, OPTIC_ADDR_A0,
						     OPTIC_ADDR_A2),
};

static const struct nla_policy optic_module_set_policy[OPTIC_A_RESET + 1] = {
	[OPTIC_A_MODULE_INDEX] = { .type = NLA_U32 },
	[OPTIC_A_MODULE_NAME] = { .type = NLA_NUL_STRING,
				  .len = OPTIC_PORT_NAME_LEN - 1 },
	[OPTIC_A_LPMODE] = NLA_POLICY_MAX(NLA_U8, 1),
	[OPTIC_A_TX_DISABLE] = { .type = NLA_U32 },
	[OPTIC_A_TX_DISABLE_MASK] = { .type = NLA_U32 },
	[OPTIC_A_RESET] = { .type = NLA_FLAG },
};

/* The module @id (OPTIC_A_MODULE_INDEX or NAME) names, referenced; or NULL. */
static struct optic_module *optic_nl_module_get(const struct nlattr *id)
{
	if (nla_type(id) == OPTIC_A_MODULE_INDEX)
		return optic_module_get_by_index(nla_get_u32(id));
	return optic_module_get_by_name(nla_data(id));
}

/* The module a doit request names, with a reference, or an ERR_PTR. */
static struct optic_module *optic_nl_module(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[OPTIC_A_MODULE_INDEX];
	struct optic_module *mod;

	if (!attr) {
		attr = info->attrs[OPTIC_A_MODULE_NAME];
		if (!attr) {
			NL_SET_ERR_MSG(info->extack,
				       "OPTIC_A_MODULE_INDEX or OPTIC_A_MODULE_NAME required");
			NL_SET_ERR_ATTR_MISS(info->extack, NULL,
					     OPTIC_A_MODULE_INDEX);
			return ERR_PTR(-EINVAL);
		}
	}
	mod = optic_nl_module_get(attr);
	if (!mod) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such module");
		return ERR_PTR(-ENODEV);
	}
	return mod;
}

/* Report a failed access to the module in extack terms. */
static int optic_nl_access_err(struct genl_info *info, int err)
{
	switch (err) {
	case -ENXIO:
	case -EREMOTEIO:
		NL_SET_ERR_MSG(info->extack,
			       "no module in the cage, or it does not answer");
		break;
	case -ENODEV:
		NL_SET_ERR_MSG(info->extack, "module is being removed");
		break;
	case -EOPNOTSUPP:
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[OPTIC_A_EEPROM_PAGE] ?:
				    info->attrs[OPTIC_A_EEPROM_I2C_ADDR],
				    "page, bank or address not implemented by the module");
		break;
	default:
		NL_SET_ERR_MSG(info->extack, "module access failed");
		break;
	}
	return err;
}

static int optic_nl_put_str(struct sk_buff *skb, int type, const char *s)
{
	return nla_put_string(skb, type, s);
}

/* What the poll and the readers keep fresh: temperature, latched flags. */
static int optic_nl_put_tracked(struct sk_buff *skb, struct optic_module *mod)
{
	const struct optic_seen *t = &mod->seen[OPTIC_SEEN_TEMP];
	unsigned int nflags = optic_flags_tracked(mod);

	if (optic_tracked_fresh(t->at) &&
	    nla_put_u16(skb, OPTIC_A_TEMPERATURE, t->data[0] << 8 | t->data[1]))
		return -EMSGSIZE;
	if (nflags && nla_put(skb, OPTIC_A_FLAGS, nflags, mod->flags_last))
		return -EMSGSIZE;
	return 0;
}

/*
 * Fill the module attributes; takes mod->lock. A doit checks the cage on
 * the spot (a new module is identified at once, a pulled one reported
 * gone); a dump answers from the presence the driver tracks when it is
 * fresh. Both report the tracked module state when it is fresh
 * (docs/netlink.md, "Freshness"). A bus error other than a NACK is
 * reported in OPTIC_A_ACCESS_ERROR with the last values read.
 */
static int optic_nl_fill_module(struct sk_buff *skb, struct optic_module *mod,
				u32 portid, u32 seq, int flags, bool dump)
{
	const struct optic_ident *id = &mod->ident;
	int present, state = OPTIC_STATE_UNKNOWN;
	u32 err = 0;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &optic_family, flags,
			  OPTIC_CMD_MODULE_GET);
	if (!hdr)
		return -EMSGSIZE;

	mutex_lock(&mod->lock);
	present = dump ? optic_tracked_presence(mod) :
			 optic_update_presence(mod);
	/*
	 * Only a NACK means an empty cage. Another bus error (a held bus:
	 * -ETIMEDOUT) says nothing about the module: answer what the driver
	 * last read, and the error.
	 */
	if (present < 0 && present != -ENODEV) {
		err = -present;
		present = mod->present || mod->identified;
		state = mod->last_state;
	} else if (present > 0) {
		state = optic_tracked_state(mod);
		if (state < 0) {
			if (state != -ENODEV)
				err = -state;
			state = mod->last_state;
		}
	}
	if (nla_put_u32(skb, OPTIC_A_MODULE_INDEX, mod->index) ||
	    nla_put_string(skb, OPTIC_A_MODULE_NAME, mod->name) ||
	    nla_put_u8(skb, OPTIC_A_PRESENT, present > 0) ||
	    nla_put_u32(skb, OPTIC_A_I2C_BUS, mod->bus) ||
	    nla_put_u16(skb, OPTIC_A_I2C_ADDR, mod->addr) ||
	    nla_put_u32(skb, OPTIC_A_BUS_ROOT, mod->root_nr) ||
	    nla_put_u8(skb, OPTIC_A_CAGE_ADDED,
		       optic_cage_made(mod->bus, mod->addr)))
		goto nla_fail;
	if (mod->identified &&
	    (nla_put_u8(skb, OPTIC_A_IDENTIFIER, id->id) ||
	     nla_put_u8(skb, OPTIC_A_SPEC, id->spec) ||
	     nla_put_u8(skb, OPTIC_A_FLAT_MEM, id->flat) ||
	     nla_put_u8(skb, OPTIC_A_MODULE_STATE, state) ||
	     nla_put_u8(skb, OPTIC_A_LANE_COUNT, id->lanes) ||
	     optic_nl_put_str(skb, OPTIC_A_VENDOR_NAME, id->vendor_name) ||
	     optic_nl_put_str(skb, OPTIC_A_VENDOR_PN, id->vendor_pn) ||
	     optic_nl_put_str(skb, OPTIC_A_VENDOR_SN, id->vendor_sn) ||
	     optic_nl_put_str(skb, OPTIC_A_VENDOR_REV, id->vendor_rev) ||
	     optic_nl_put_str(skb, OPTIC_A_DATE_CODE, id->date_code) ||
	     nla_put_u8(skb, OPTIC_A_CHECKSUM_OK, id->csum_ok)))
		goto nla_fail;
	if (err && nla_put_u32(skb, OPTIC_A_ACCESS_ERROR, err))
		goto nla_fail;
	if (present > 0 && optic_nl_put_tracked(skb, mod))
		goto nla_fail;
	mutex_unlock(&mod->lock);
	genlmsg_end(skb, hdr);
	return 0;

nla_fail:
	mutex_unlock(&mod->lock);
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int optic_nl_module_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct optic_module *mod;
	struct sk_buff *msg;
	int ret;

	mod = optic_nl_module(info);
	if (IS_ERR(mod))
		return PTR_ERR(mod);

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_put;
	}
	ret = optic_nl_fill_module(msg, mod, info->snd_portid, info->snd_seq, 0,
				   false);
	if (ret) {
		nlmsg_free(msg);
		goto out_put;
	}
	ret = genlmsg_reply(msg, info);
out_put:
	optic_module_put(mod);
	return ret;
}

/*
 * Modules by index; cb->args[0]: the index to go on from. Each module is
 * filled without optic_list_lock held, so a slow or hung bus delays only
 * this dump, not probe, remove or other requests.
 */
static int optic_nl_module_get_dumpit(struct sk_buff *skb,
				      struct netlink_callback *cb)
{
	unsigned long index = cb->args[0];
	struct optic_module *mod;
	int ret = 0;

	while ((mod = optic_module_get_next(&index))) {
		ret = optic_nl_fill_module(skb, mod,
					   NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI, true);
		optic_module_put(mod);
		if (ret)
			break;
		cb->args[0] = ++index;
	}
	/* A full skb ends this round; the core calls again for the rest. */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

/* Common EEPROM_READ/WRITE arguments. */
struct optic_nl_eeprom {
	struct optic_loc loc;
	unsigned int offset;
	unsigned int len;
	u8 class;		/* enum optic_bus_class */
};

/*
 * The class a request's transfers go in: the one asked for; else CDB for
 * the CDB pages, a control for other writes, a poll for other reads.
 */
static u8 optic_nl_eeprom_class(struct genl_info *info,
				const struct optic_nl_eeprom *req, bool write)
{
	/* only EEPROM_READ's policy (and attrs array) has the attribute */
	if (!write && info->attrs[OPTIC_A_EEPROM_CLASS])
		return nla_get_u8(info->attrs[OPTIC_A_EEPROM_CLASS]);
	if (req->offset + req->len > OPTIC_PAGE_LEN &&
	    req->loc.page >= OPTIC_CDB_PAGE &&
	    req->loc.page <= OPTIC_CDB_LAST_PAGE)
		return OPTIC_BUS_CLASS_CDB;
	return write ? OPTIC_BUS_CLASS_CONTROL : OPTIC_BUS_CLASS_POLL;
}

/*
 * A range's address from @tb: the request's own attributes (@nest NULL), or
 * those of an OPTIC_A_EEPROM_RANGE.
 */
static int optic_nl_eeprom_loc(struct genl_info *info,
			       const struct nlattr *nest, struct nlattr **tb,
			       struct optic_nl_eeprom *req, bool write)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *len_attr;

	if (NL_REQ_ATTR_CHECK(extack, nest, tb, OPTIC_A_EEPROM_OFFSET))
		return -EINVAL;
	if (write) {
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, OPTIC_A_EEPROM_DATA))
			return -EINVAL;
		len_attr = tb[OPTIC_A_EEPROM_DATA];
		req->len = nla_len(len_attr);
		if (tb[OPTIC_A_EEPROM_LENGTH] &&
		    nla_get_u16(tb[OPTIC_A_EEPROM_LENGTH]) != req->len) {
			NL_SET_ERR_MSG_ATTR(extack, tb[OPTIC_A_EEPROM_LENGTH],
					    "length differs from the data length");
			return -EINVAL;
		}
	} else {
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, OPTIC_A_EEPROM_LENGTH))
			return -EINVAL;
		len_attr = tb[OPTIC_A_EEPROM_LENGTH];
		req->len = nla_get_u16(len_attr);
	}
	req->offset = nla_get_u16(tb[OPTIC_A_EEPROM_OFFSET]);
	req->loc.i2c_addr = tb[OPTIC_A_EEPROM_I2C_ADDR] ?
			    nla_get_u8(tb[OPTIC_A_EEPROM_I2C_ADDR]) :
			    OPTIC_ADDR_A0;
	req->loc.page = tb[OPTIC_A_EEPROM_PAGE] ?
			nla_get_u8(tb[OPTIC_A_EEPROM_PAGE]) : 0;
	req->loc.bank = tb[OPTIC_A_EEPROM_BANK] ?
			nla_get_u8(tb[OPTIC_A_EEPROM_BANK]) : 0;

	if (req->offset + req->len > OPTIC_EEPROM_PAGE_SIZE) {
		NL_SET_ERR_MSG_ATTR(extack, len_attr,
				    "offset + length exceeds the 256-byte page");
		return -EINVAL;
	}
	/* CMIS 8.2.2: a write may not cross a page boundary. */
	if (write && req->offset < OPTIC_PAGE_LEN &&
	    req->offset + req->len > OPTIC_PAGE_LEN) {
		NL_SET_ERR_MSG_ATTR(extack, len_attr,
				    "write crosses from the lower into the upper page");
		return -EINVAL;
	}
	req->class = optic_nl_eeprom_class(info, req, write);
	return 0;
}

static int optic_nl_eeprom_args(struct genl_info *info,
				struct optic_nl_eeprom *req, bool write)
{
	return optic_nl_eeprom_loc(info, NULL, info->attrs, req, write);
}

/*
 * The OPTIC_A_EEPROM_RANGE nests among the @len bytes of attributes at
 * @head into @req. Return: how many, or -errno.
 */
static int optic_nl_eeprom_range_nests(struct genl_info *info,
				       const struct nlattr *head, int len,
				       struct optic_nl_eeprom *req)
{
	struct nlattr *tb[ARRAY_SIZE(optic_eeprom_range_policy)];
	const struct nlattr *attr;
	int n = 0, rem, ret;

	nla_for_each_attr(attr, head, len, rem) {
		if (nla_type(attr) != OPTIC_A_EEPROM_RANGE)
			continue;
		if (n == OPTIC_EEPROM_RANGES_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "more ranges than OPTIC_EEPROM_RANGES_MAX");
			return -EINVAL;
		}
		ret = nla_parse_nested(tb, ARRAY_SIZE(tb) - 1, attr,
				       optic_eeprom_range_policy,
				       info->extack);
		if (!ret)
			ret = optic_nl_eeprom_loc(info, attr, tb, &req[n],
						  false);
		if (ret)
			return ret;
		n++;
	}
	return n;
}

/* A range attribute of the request itself, or NULL. */
static const struct nlattr *optic_nl_eeprom_range_attr(struct genl_info *info)
{
	int t;

	for (t = OPTIC_A_EEPROM_PAGE; t <= OPTIC_A_EEPROM_I2C_ADDR; t++)
		if (info->attrs[t] && t != OPTIC_A_EEPROM_DATA)
			return info->attrs[t];
	return NULL;
}

/*
 * The ranges of an EEPROM_READ into @req: its OPTIC_A_EEPROM_RANGE nests,
 * or its own attributes as one range. Return: how many, or -errno.
 */
static int optic_nl_eeprom_ranges(struct genl_info *info,
				  struct optic_nl_eeprom *req)
{
	const struct nlattr *attr;

	if (!info->attrs[OPTIC_A_EEPROM_RANGE])
		return optic_nl_eeprom_args(info, req, false) ?: 1;
	attr = optic_nl_eeprom_range_attr(info);
	if (attr) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "a range both in OPTIC_A_EEPROM_RANGE and outside");
		return -EINVAL;
	}
	return optic_nl_eeprom_range_nests(info,
					   nlmsg_attrdata(info->nlhdr, GENL_HDRLEN),
					   nlmsg_attrlen(info->nlhdr, GENL_HDRLEN),
					   req);
}

/* Room in the reply for the module, @n ranges and the event number. */
static size_t optic_nl_eeprom_reply_size(const struct optic_nl_eeprom *req,
					 int n)
{
	size_t size = 64 + nla_total_size_64bit(sizeof(u64));
	int i;

	for (i = 0; i < n; i++)
		size += 64 + nla_total_size(req[i].len);
	return size;
}

/*
 * A range's address in the reply, in an OPTIC_A_EEPROM_RANGE when @nested,
 * with room for its data. Return: the room, or NULL if @msg is full.
 */
static u8 *optic_nl_put_eeprom_range(struct sk_buff *msg,
				     const struct optic_nl_eeprom *req,
				     bool nested)
{
	struct nlattr *nest = NULL, *data;

	if (nested) {
		nest = nla_nest_start(msg, OPTIC_A_EEPROM_RANGE);
		if (!nest)
			return NULL;
	}
	if (nla_put_u8(msg, OPTIC_A_EEPROM_I2C_ADDR, req->loc.i2c_addr) ||
	    nla_put_u8(msg, OPTIC_A_EEPROM_PAGE, req->loc.page) ||
	    nla_put_u8(msg, OPTIC_A_EEPROM_BANK, req->loc.bank) ||
	    nla_put_u16(msg, OPTIC_A_EEPROM_OFFSET, req->offset) ||
	    nla_put_u16(msg, OPTIC_A_EEPROM_LENGTH, req->len))
		return NULL;
	data = nla_reserve(msg, OPTIC_A_EEPROM_DATA, req->len);
	if (!data)
		return NULL;
	if (nest)
		nla_nest_end(msg, nest);
	return nla_data(data);
}

/* The @n ranges of @req in the reply, their rooms in @data; false if full. */
static bool optic_nl_put_eeprom_ranges(struct sk_buff *msg,
				       const struct optic_nl_eeprom *req,
				       int n, bool nested, u8 **data)
{
	int i;

	for (i = 0; i < n; i++) {
		data[i] = optic_nl_put_eeprom_range(msg, &req[i], nested);
		if (!data[i])
			return false;
	}
	return true;
}

/*
 * Read the @n ranges of @req into @data in one hold of @mod; @seq: the
 * event number every event the read raised is within, taken in the hold.
 */
static int optic_nl_eeprom_read_ranges(struct optic_module *mod,
				       const struct optic_nl_eeprom *req,
				       int n, u8 **data, u64 *seq)
{
	struct optic_bus_pass pass;
	u8 class, cls = 0;
	int i, ret;

	for (i = 0; i < n; i++)
		cls = max(cls, req[i].class);
	optic_bus_enter(mod, cls, &pass);
	class = optic_bus_class_set(mod, cls);
	ret = optic_ensure_identified(mod);
	for (i = 0; !ret && i < n; i++) {
		ret = optic_read_for(mod, &req[i].loc, req[i].offset, data[i],
				     req[i].len, OPTIC_CONS_RAW);
		if (!ret)
			optic_record_cdb_read(mod, &req[i].loc, req[i].offset,
					      data[i], req[i].len);
	}
	*seq = atomic64_read(&optic_event_seq);
	optic_bus_class_set(mod, class);
	optic_bus_leave(mod, &pass);
	return ret;
}

/* One module of an EEPROM_READ of several: as asked, and its ranges. */
struct optic_nl_batch_mod {
	const struct nlattr *id;	/* OPTIC_A_MODULE_INDEX or NAME */
	struct optic_nl_eeprom req[OPTIC_EEPROM_RANGES_MAX];
	int n;
};

/* Room in a reply of several modules for one (OPTIC_EEPROM_MODULES_BYTES). */
#define OPTIC_NL_BATCH_ROOM	64

/* @attr, an OPTIC_A_EEPROM_MODULE nest, into @bm; its reply room in @room. */
static int optic_nl_batch_mod_parse(struct genl_info *info,
				    const struct nlattr *attr,
				    struct optic_nl_batch_mod *bm,
				    size_t *room)
{
	struct nlattr *tb[ARRAY_SIZE(optic_eeprom_module_policy)];
	int i, ret;

	ret = nla_parse_nested(tb, ARRAY_SIZE(tb) - 1, attr,
			       optic_eeprom_module_policy, info->extack);
	if (ret)
		return ret;
	bm->id = tb[OPTIC_A_MODULE_INDEX] ?: tb[OPTIC_A_MODULE_NAME];
	if (!bm->id) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "OPTIC_A_EEPROM_MODULE without OPTIC_A_MODULE_INDEX or OPTIC_A_MODULE_NAME");
		return -EINVAL;
	}
	bm->n = optic_nl_eeprom_range_nests(info, nla_data(attr),
					    nla_len(attr), bm->req);
	if (bm->n < 0)
		return bm->n;
	if (!bm->n) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "OPTIC_A_EEPROM_MODULE without OPTIC_A_EEPROM_RANGE");
		return -EINVAL;
	}
	*room += OPTIC_NL_BATCH_ROOM;
	for (i = 0; i < bm->n; i++)
		*room += OPTIC_NL_BATCH_ROOM + bm->req[i].len;
	return 0;
}

/*
 * The OPTIC_A_EEPROM_MODULE nests of an EEPROM_READ into @b (room for
 * OPTIC_EEPROM_MODULES_MAX). Return: how many, or -errno.
 */
static int optic_nl_batch_parse(struct genl_info *info,
				struct optic_nl_batch_mod *b)
{
	const struct nlattr *attr;
	size_t room = 0;
	int n = 0, rem, ret;

	attr = info->attrs[OPTIC_A_MODULE_INDEX] ?:
	       info->attrs[OPTIC_A_MODULE_NAME] ?:
	       info->attrs[OPTIC_A_EEPROM_RANGE] ?:
	       optic_nl_eeprom_range_attr(info);
	if (attr) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "a module or range outside OPTIC_A_EEPROM_MODULE");
		return -EINVAL;
	}
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != OPTIC_A_EEPROM_MODULE)
			continue;
		if (n == OPTIC_EEPROM_MODULES_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "more modules than OPTIC_EEPROM_MODULES_MAX");
			return -EINVAL;
		}
		ret = optic_nl_batch_mod_parse(info, attr, &b[n], &room);
		if (ret)
			return ret;
		if (room > OPTIC_EEPROM_MODULES_BYTES) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "modules ask for more than OPTIC_EEPROM_MODULES_BYTES");
			return -EINVAL;
		}
		n++;
	}
	return n;
}

/*
 * One module of an EEPROM_READ of several into its nest of @msg: the
 * module as asked, then its ranges and event number, or the errno its read
 * failed with. Return: 0, or -EMSGSIZE.
 */
static int optic_nl_put_batch_mod(struct sk_buff *msg,
				  const struct optic_nl_batch_mod *bm)
{
	u8 *data[OPTIC_EEPROM_RANGES_MAX];
	struct optic_module *mod;
	struct nlattr *nest;
	void *ranges;
	int ret = -ENODEV;
	u64 seq;

	nest = nla_nest_start(msg, OPTIC_A_EEPROM_MODULE);
	if (!nest || nla_put(msg, nla_type(bm->id), nla_len(bm->id),
			     nla_data(bm->id)))
		return -EMSGSIZE;
	ranges = skb_tail_pointer(msg);
	mod = optic_nl_module_get(bm->id);
	if (mod) {
		if (!optic_nl_put_eeprom_ranges(msg, bm->req, bm->n, true,
						data)) {
			optic_module_put(mod);
			return -EMSGSIZE;
		}
		ret = optic_nl_eeprom_read_ranges(mod, bm->req, bm->n, data,
						  &seq);
		optic_module_put(mod);
	}
	if (!ret) {
		if (nla_put_u64_64bit(msg, OPTIC_A_EVENT_SEQ, seq, OPTIC_A_PAD))
			return -EMSGSIZE;
	} else {
		nlmsg_trim(msg, ranges);
		if (nla_put_u32(msg, OPTIC_A_ACCESS_ERROR, -ret))
			return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * EEPROM_READ of several modules, one after another: a module that fails
 * has its errno in the reply; the others are read all the same.
 */
static int optic_nl_eeprom_read_batch(struct genl_info *info)
{
	struct optic_nl_batch_mod *b;
	struct sk_buff *msg;
	int i, n, ret;
	void *hdr;

	b = kcalloc(OPTIC_EEPROM_MODULES_MAX, sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	n = optic_nl_batch_parse(info, b);
	ret = n;
	if (n < 0)
		goto out_free_batch;
	ret = -ENOMEM;
	msg = genlmsg_new(OPTIC_EEPROM_MODULES_BYTES, GFP_KERNEL);
	if (!msg)
		goto out_free_batch;
	ret = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &optic_family, 0,
				OPTIC_CMD_EEPROM_READ);
	if (!hdr)
		goto out_free_msg;
	for (i = 0; i < n; i++) {
		ret = optic_nl_put_batch_mod(msg, &b[i]);
		if (ret)
			goto out_free_msg;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
	goto out_free_batch;

out_free_msg:
	nlmsg_free(msg);
out_free_batch:
	kfree(b);
	return ret;
}

static int optic_nl_eeprom_read_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	struct optic_nl_eeprom req[OPTIC_EEPROM_RANGES_MAX];
	bool nested = info->attrs[OPTIC_A_EEPROM_RANGE];
	u8 *data[OPTIC_EEPROM_RANGES_MAX];
	struct optic_module *mod;
	struct sk_buff *msg;
	int n, ret;
	void *hdr;
	u64 seq;

	if (info->attrs[OPTIC_A_EEPROM_MODULE])
		return optic_nl_eeprom_read_batch(info);
	n = optic_nl_eeprom_ranges(info, req);
	if (n < 0)
		return n;
	mod = optic_nl_module(info);
	if (IS_ERR(mod))
		return PTR_ERR(mod);

	msg = genlmsg_new(optic_nl_eeprom_reply_size(req, n), GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_put;
	}
	hdr = genlmsg_put_reply(msg, info, &optic_family, 0,
				OPTIC_CMD_EEPROM_READ);
	ret = -EMSGSIZE;
	if (!hdr || nla_put_u32(msg, OPTIC_A_MODULE_INDEX, mod->index))
		goto out_free;
	if (!optic_nl_put_eeprom_ranges(msg, req, n, nested, data))
		goto out_free;

	ret = optic_nl_eeprom_read_ranges(mod, req, n, data, &seq);
	if (ret) {
		optic_nl_access_err(info, ret);
		goto out_free;
	}
	if (nla_put_u64_64bit(msg, OPTIC_A_EVENT_SEQ, seq, OPTIC_A_PAD)) {
		ret = -EMSGSIZE;
		goto out_free;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
	goto out_put;

out_free:
	nlmsg_free(msg);
out_put:
	optic_module_put(mod);
	return ret;
}

static int optic_nl_eeprom_write_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct optic_nl_eeprom req;
	struct optic_bus_pass pass;
	struct optic_module *mod;
	u8 class;
	int ret;

	ret = optic_nl_eeprom_args(info, &req, true);
	if (ret)
		return ret;
	mod = optic_nl_module(info);
	if (IS_ERR(mod))
		return PTR_ERR(mod);

	optic_bus_enter(mod, req.class, &pass);
	class = optic_bus_class_set(mod, req.class);
	ret = optic_ensure_identified(mod);
	if (!ret && req.len > optic_write_max(mod, &req.loc, req.offset)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[OPTIC_A_EEPROM_DATA],
				    "write longer than the module accepts here (8 bytes; CMIS CDB pages: advertised length)");
		ret = -EINVAL;
	} else if (!ret) {
		ret = optic_write(mod, &req.loc, req.offset,
				  nla_data(info->attrs[OPTIC_A_EEPROM_DATA]),
				  req.len);
		if (ret)
			optic_nl_access_err(info, ret);
		else
			optic_record_cdb_write(mod, &req.loc, req.offset,
					       nla_data(info->attrs[OPTIC_A_EEPROM_DATA]),
					       req.len, OPTIC_WHO_NETLINK);
	} else {
		optic_nl_access_err(info, ret);
	}
	optic_bus_class_set(mod, class);
	optic_bus_leave(mod, &pass);
	optic_module_put(mod);
	return ret;
}

static int optic_nl_module_set_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct optic_module *mod;
	struct nlattr *bad = NULL;
	u32 mask;
	int ret = 0;

	if (!tb[OPTIC_A_LPMODE] && !tb[OPTIC_A_TX_DISABLE] && !tb[OPTIC_A_RESET]) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: OPTIC_A_LPMODE, OPTIC_A_TX_DISABLE or OPTIC_A_RESET required");
		return -EINVAL;
	}
	if (tb[OPTIC_A_TX_DISABLE_MASK] && !tb[OPTIC_A_TX_DISABLE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[OPTIC_A_TX_DISABLE_MASK],
				    "OPTIC_A_TX_DISABLE_MASK without OPTIC_A_TX_DISABLE");
		return -EINVAL;
	}
	mod = optic_nl_module(info);
	if (IS_ERR(mod))
		return PTR_ERR(mod);

	mutex_lock(&mod->lock);
	if (tb[OPTIC_A_RESET]) {
		bad = tb[OPTIC_A_RESET];
		ret = optic_reset(mod, OPTIC_WHO_NETLINK);
	}
	if (!ret && tb[OPTIC_A_LPMODE]) {
		bad = tb[OPTIC_A_LPMODE];
		ret = optic_set_lpmode(mod, nla_get_u8(bad),
				       OPTIC_WHO_NETLINK);
	}
	if (!ret && tb[OPTIC_A_TX_DISABLE]) {
		bad = tb[OPTIC_A_TX_DISABLE_MASK] ?: tb[OPTIC_A_TX_DISABLE];
		/* the default mask is every lane of the identified module */
		ret = optic_ensure_identified(mod);
		mask = tb[OPTIC_A_TX_DISABLE_MASK] ?
		       nla_get_u32(tb[OPTIC_A_TX_DISABLE_MASK]) :
		       optic_lane_mask(mod);
		if (!ret)
			ret = optic_set_tx_disable(mod, mask,
						   nla_get_u32(tb[OPTIC_A_TX_DISABLE]),
						   OPTIC_WHO_NETLINK);
	}
	mutex_unlock(&mod->lock);
	optic_module_put(mod);

	if (ret == -ERANGE) {
		NL_SET_ERR_MSG_ATTR(info->extack, bad,
				    "lane mask names lanes the module does not have");
		ret = -EINVAL;
	} else if (ret == -EOPNOTSUPP) {
		NL_SET_ERR_MSG_ATTR(info->extack, bad,
				    "control not supported by this module");
	} else if (ret) {
		optic_nl_access_err(info, ret);
	}
	return ret;
}

static const struct nla_policy optic_datapath_set_policy[OPTIC_A_DP_ACTIVATE + 1] = {
	[OPTIC_A_MODULE_INDEX] = { .type = NLA_U32 },
	[OPTIC_A_MODULE_NAME] = { .type = NLA_NUL_STRING,
				  .len = OPTIC_PORT_NAME_LEN - 1 },
	[OPTIC_A_DP_LANES] = { .type = NLA_U32 },
	[OPTIC_A_DP_APPSEL] = NLA_POLICY_RANGE(NLA_U8, 1, 15),
	[OPTIC_A_DP_IMMEDIATE] = { .type = NLA_FLAG },
	[OPTIC_A_DP_ACTIVATE] = NLA_POLICY_MAX(NLA_U8, 1),
};

static int optic_nl_put_dp(struct sk_buff *skb,
			   const struct optic_dp_status *st)
{
	if (nla_put(skb, OPTIC_A_DP_CONFIG_STATUS, st->lanes,
		    st->config_status) ||
	    nla_put(skb, OPTIC_A_DP_STATE, st->lanes, st->state) ||
	    nla_put(skb, OPTIC_A_DP_APP, st->lanes, st->app) ||
	    nla_put(skb, OPTIC_A_DP_ID, st->lanes, st->dpid))
		return -EMSGSIZE;
	return 0;
}

/* Reply with the lanes of @mod as @st has them. */
static int optic_nl_dp_reply(struct genl_info *info, struct optic_module *mod,
			     const struct optic_dp_status *st)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &optic_family, 0, info->genlhdr->cmd);
	if (!hdr || nla_put_u32(msg, OPTIC_A_MODULE_INDEX, mod->index) ||
	    nla_put_string(msg, OPTIC_A_MODULE_NAME, mod->name) ||
	    optic_nl_put_dp(msg, st)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int optic_nl_dp_err(struct genl_info *info, int err, const char *why)
{
	if (why) {
		/* static strings of datapath.c; NL_SET_ERR_MSG() takes literals */
		if (info->extack)
			info->extack->_msg = why;
	} else if (err == -EOPNOTSUPP) {
		NL_SET_ERR_MSG(info->extack,
			       "not a paged CMIS module: no data-path control");
	} else {
		optic_nl_access_err(info, err);
	}
	return err == -ERANGE ? -EINVAL : err;
}

static int optic_nl_datapath_get_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct optic_dp_status st;
	struct optic_module *mod;
	int ret;

	mod = optic_nl_module(info);
	if (IS_ERR(mod))
		return PTR_ERR(mod);
	mutex_lock(&mod->lock);
	ret = mod->gone ? -ENODEV : optic_datapath_get(mod, &st);
	mutex_unlock(&mod->lock);
	ret = ret ? optic_nl_dp_err(info, ret, NULL) :
		    optic_nl_dp_reply(info, mod, &st);
	optic_module_put(mod);
	return ret;
}

static int optic_nl_datapath_set_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct optic_dp_req req = { .activate = -1 };
	struct nlattr **tb = info->attrs;
	struct optic_dp_status st;
	struct optic_module *mod;
	const char *why = NULL;
	int ret;

	if (!tb[OPTIC_A_DP_LANES]) {
		NL_SET_ERR_MSG(info->extack, "OPTIC_A_DP_LANES required");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, OPTIC_A_DP_LANES);
		return -EINVAL;
	}
	if (!tb[OPTIC_A_DP_APPSEL] && !tb[OPTIC_A_DP_ACTIVATE]) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to do: OPTIC_A_DP_APPSEL or OPTIC_A_DP_ACTIVATE required");
		return -EINVAL;
	}
	if (tb[OPTIC_A_DP_IMMEDIATE] && !tb[OPTIC_A_DP_APPSEL]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[OPTIC_A_DP_IMMEDIATE],
				    "OPTIC_A_DP_IMMEDIATE without OPTIC_A_DP_APPSEL");
		return -EINVAL;
	}
	req.lanes = nla_get_u32(tb[OPTIC_A_DP_LANES]);
	if (tb[OPTIC_A_DP_APPSEL])
		req.appsel = nla_get_u8(tb[OPTIC_A_DP_APPSEL]);
	req.immediate = nla_get_flag(tb[OPTIC_A_DP_IMMEDIATE]);
	if (tb[OPTIC_A_DP_ACTIVATE])
		req.activate = nla_get_u8(tb[OPTIC_A_DP_ACTIVATE]);

	mod = optic_nl_module(info);
	if (IS_ERR(mod))
		return PTR_ERR(mod);
	ret = optic_datapath_set(mod, &req, &st, &why);
	ret = ret ? optic_nl_dp_err(info, ret, why) :
		    optic_nl_dp_reply(info, mod, &st);
	optic_module_put(mod);
	return ret;
}

static const struct nla_policy optic_record_get_policy[OPTIC_A_RECORD_SINCE + 1] = {
	[OPTIC_A_MODULE_INDEX] = { .type = NLA_U32 },
	[OPTIC_A_MODULE_NAME] = { .type = NLA_NUL_STRING,
				  .len = OPTIC_PORT_NAME_LEN - 1 },
	[OPTIC_A_RECORD_SINCE] = { .type = NLA_U64 },
};

static const struct nla_policy optic_record_clear_policy[OPTIC_A_MODULE_NAME + 1] = {
	[OPTIC_A_MODULE_INDEX] = { .type = NLA_U32 },
	[OPTIC_A_MODULE_NAME] = { .type = NLA_NUL_STRING,
				  .len = OPTIC_PORT_NAME_LEN - 1 },
};

/*
 * The attributes of record @r (record.c). An event (@event_seq) carries
 * what it always did and the record's sequence number; a RECORD_GET reply
 * (@full) adds the times and the snapshot @s (when r->has_snap).
 */
static int optic_nl_put_record(struct sk_buff *skb,
			       const struct optic_record *r,
			       const struct optic_snapshot *s, u64 event_seq,
			       bool full)
{
	bool lane = r->lane >= 0;
	size_t lanes;

	if (nla_put_u8(skb, OPTIC_A_EVENT_TYPE, r->type) ||
	    (event_seq && nla_put_u64_64bit(skb, OPTIC_A_EVENT_SEQ, event_seq,
					    OPTIC_A_PAD)))
		return -EMSGSIZE;
	/* the attributes in the order events always had them */
	switch (r->type) {
	case OPTIC_EVENT_INSERTED:
		if (nla_put_u8(skb, OPTIC_A_IDENTIFIER, r->id) ||
		    nla_put_u8(skb, OPTIC_A_SPEC, r->spec) ||
		    nla_put_u8(skb, OPTIC_A_LANE_COUNT, r->lanes) ||
		    nla_put_string(skb, OPTIC_A_VENDOR_NAME, r->vendor_name) ||
		    nla_put_string(skb, OPTIC_A_VENDOR_PN, r->vendor_pn) ||
		    nla_put_string(skb, OPTIC_A_VENDOR_SN, r->vendor_sn))
			return -EMSGSIZE;
		break;
	case OPTIC_EVENT_MODULE_STATE:
	case OPTIC_EVENT_DATAPATH_STATE:
		if ((lane && nla_put_u8(skb, OPTIC_A_LANE, r->lane)) ||
		    nla_put_u8(skb, OPTIC_A_OLD_STATE, r->old_state) ||
		    nla_put_u8(skb, OPTIC_A_NEW_STATE, r->new_state))
			return -EMSGSIZE;
		lane = false;
		break;
	case OPTIC_EVENT_FLAG:
	case OPTIC_EVENT_FLAG_CLEARED:
		if (nla_put_u8(skb, OPTIC_A_FLAG_PAGE, r->page) ||
		    nla_put_u8(skb, OPTIC_A_FLAG_OFFSET, r->offset) ||
		    nla_put_u8(skb, OPTIC_A_FLAG_BITS, r->bits))
			return -EMSGSIZE;
		break;
	case OPTIC_EVENT_FIRMWARE:
		if (nla_put_u16(skb, OPTIC_A_CDB_CMD, r->cdb_cmd) ||
		    nla_put_u8(skb, OPTIC_A_CDB_STATUS, r->cdb_status))
			return -EMSGSIZE;
		fallthrough;
	case OPTIC_EVENT_LPMODE:
	case OPTIC_EVENT_TX_DISABLE:
	case OPTIC_EVENT_RESET:
		if (nla_put_u8(skb, OPTIC_A_RECORD_WHO, r->who) ||
		    (r->pid && nla_put_u32(skb, OPTIC_A_RECORD_PID, r->pid)) ||
		    (r->type == OPTIC_EVENT_LPMODE &&
		     nla_put_u8(skb, OPTIC_A_LPMODE, r->value)) ||
		    (r->type == OPTIC_EVENT_TX_DISABLE &&
		     (nla_put_u32(skb, OPTIC_A_TX_DISABLE, r->value) ||
		      nla_put_u32(skb, OPTIC_A_TX_DISABLE_MASK, r->mask))))
			return -EMSGSIZE;
		break;
	default:	/* REMOVED, BUS_ERROR: nothing of their own */
		break;
	}
	/* events carry the boot time too: a listener's delay since the change */
	if ((lane && nla_put_u8(skb, OPTIC_A_LANE, r->lane)) ||
	    (r->seq && nla_put_u64_64bit(skb, OPTIC_A_RECORD_SEQ, r->seq,
					 OPTIC_A_PAD)) ||
	    (r->err && nla_put_u32(skb, OPTIC_A_RECORD_ERRNO, r->err)) ||
	    nla_put_u64_64bit(skb, OPTIC_A_RECORD_BOOTTIME, r->boottime_ns,
			      OPTIC_A_PAD))
		return -EMSGSIZE;
	if (!full)
		return 0;
	if (nla_put_u64_64bit(skb, OPTIC_A_RECORD_REALTIME, r->realtime_ns,
			      OPTIC_A_PAD))
		return -EMSGSIZE;
	if (!r->has_snap)
		return 0;
	lanes = s->lanes * sizeof(u16);
	if (nla_put_u16(skb, OPTIC_A_SNAP_TEMP, s->temp) ||
	    nla_put_u16(skb, OPTIC_A_SNAP_VCC, s->vcc) ||
	    nla_put_u8(skb, OPTIC_A_SNAP_BIAS_SHIFT, s->bias_shift) ||
	    (lanes &&
	     (nla_put(skb, OPTIC_A_SNAP_TX_POWER, lanes, s->tx_power) ||
	      nla_put(skb, OPTIC_A_SNAP_BIAS, lanes, s->bias) ||
	      nla_put(skb, OPTIC_A_SNAP_RX_POWER, lanes, s->rx_power))) ||
	    (s->vdm_n &&
	     nla_put(skb, OPTIC_A_SNAP_VDM, s->vdm_n * sizeof(s->vdm[0]),
		     s->vdm)))
		return -EMSGSIZE;
	return 0;
}

/* RECORD_GET dump state, in netlink_callback.ctx. */
struct optic_nl_record_ctx {
	struct optic_module *mod;
	u64 since;		/* the next record sent is the first >= since */
};

static struct optic_nl_record_ctx *optic_nl_record_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct optic_nl_record_ctx) > sizeof(cb->ctx));
	return (struct optic_nl_record_ctx *)cb->ctx;
}

/*
 * Checked here rather than in the dumpit: a refusal from .start comes back
 * as an error with its extack, before any record.
 */
static int optic_nl_record_start(struct netlink_callback *cb)
{
	struct optic_nl_record_ctx *ctx = optic_nl_record_ctx(cb);
	struct nlattr *tb[ARRAY_SIZE(optic_record_get_policy)];
	struct genl_info info = { .attrs = tb, .extack = cb->extack };
	struct optic_module *mod;
	int ret;

	ret = nlmsg_parse(cb->nlh, GENL_HDRLEN, tb,
			  ARRAY_SIZE(optic_record_get_policy) - 1,
			  optic_record_get_policy, cb->extack);
	if (ret)
		return ret;
	mod = optic_nl_module(&info);
	if (IS_ERR(mod))
		return PTR_ERR(mod);
	ctx->mod = mod;
	ctx->since = tb[OPTIC_A_RECORD_SINCE] ?
		     nla_get_u64(tb[OPTIC_A_RECORD_SINCE]) : 0;
	return 0;
}

static int optic_nl_record_done(struct netlink_callback *cb)
{
	struct optic_nl_record_ctx *ctx = optic_nl_record_ctx(cb);

	if (ctx->mod)
		optic_module_put(ctx->mod);
	return 0;
}

/* One message per record, oldest first; a full skb ends the round. */
static int optic_nl_record_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct optic_nl_record_ctx *ctx = optic_nl_record_ctx(cb);
	struct optic_module *mod = ctx->mod;
	struct optic_snapshot *snap;
	struct optic_record *r;
	u64 overflow;
	void *hdr;
	int ret = 0;

	/* a record and its snapshot are too large for the stack of a dump */
	r = kmalloc(sizeof(*r), GFP_KERNEL);
	snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	if (!r || !snap) {
		ret = -ENOMEM;
		goto out;
	}
	while (optic_record_get(mod, ctx->since, r, snap, &overflow)) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &optic_family,
				  NLM_F_MULTI, OPTIC_CMD_RECORD_GET);
		if (!hdr) {
			ret = -EMSGSIZE;
			break;
		}
		/* no name: it is read under mod->lock, which a dump avoids */
		if (nla_put_u32(skb, OPTIC_A_MODULE_INDEX, mod->index) ||
		    nla_put_u64_64bit(skb, OPTIC_A_RECORD_OVERFLOW, overflow,
				      OPTIC_A_PAD) ||
		    optic_nl_put_record(skb, r, snap, 0, true)) {
			genlmsg_cancel(skb, hdr);
			ret = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		ctx->since = r->seq + 1;
	}
out:
	kfree(snap);
	kfree(r);
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

static int optic_nl_record_clear_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct optic_module *mod;

	mod = optic_nl_module(info);
	if (IS_ERR(mod))
		return PTR_ERR(mod);
	optic_record_clear(mod);
	optic_module_put(mod);
	return 0;
}

static const struct nla_policy optic_line_policy[OPTIC_A_LINE_ACTIVE_LOW + 1] = {
	[OPTIC_A_LINE_CHIP] = { .type = NLA_NUL_STRING, .len = 31 },
	/* a u16 line number, checked in optic_nl_cage_line() (6.1's policy
	 * maximum is an s16)
	 */
	[OPTIC_A_LINE_OFFSET] = { .type = NLA_U32 },
	[OPTIC_A_LINE_ACTIVE_LOW] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy optic_cage_add_policy[OPTIC_A_LINE_INTL + 1] = {
	[OPTIC_A_MODULE_NAME] = { .type = NLA_NUL_STRING,
				  .len = OPTIC_PORT_NAME_LEN - 1 },
	[OPTIC_A_I2C_BUS] = { .type = NLA_U32 },
	[OPTIC_A_LINE_PRESENCE] = NLA_POLICY_NESTED(optic_line_policy),
	[OPTIC_A_LINE_RESET] = NLA_POLICY_NESTED(optic_line_policy),
	[OPTIC_A_LINE_LPMODE] = NLA_POLICY_NESTED(optic_line_policy),
	[OPTIC_A_LINE_INTL] = NLA_POLICY_NESTED(optic_line_policy),
};

/* The line attributes in enum optic_cage_line_id order. */
static const struct {
	int attr;
	bool active_low;	/* the signal's own polarity */
} optic_nl_lines[OPTIC_CAGE_LINES] = {
	[OPTIC_CAGE_PRESENCE] = { OPTIC_A_LINE_PRESENCE, true },	/* ModPrsL */
	[OPTIC_CAGE_RESET] = { OPTIC_A_LINE_RESET, true },		/* ResetL */
	[OPTIC_CAGE_LPMODE] = { OPTIC_A_LINE_LPMODE, false },
	[OPTIC_CAGE_INTL] = { OPTIC_A_LINE_INTL, true },		/* IntL */
};

static int optic_nl_cage_line(struct genl_info *info, int i,
			      struct optic_cage_line *line)
{
	struct nlattr *attr = info->attrs[optic_nl_lines[i].attr];
	struct nlattr *tb[OPTIC_A_LINE_ACTIVE_LOW + 1];
	int ret;

	if (!attr)
		return 0;
	ret = nla_parse_nested(tb, OPTIC_A_LINE_ACTIVE_LOW, attr,
			       optic_line_policy, info->extack);
	if (ret)
		return ret;
	if (!tb[OPTIC_A_LINE_CHIP] || !tb[OPTIC_A_LINE_OFFSET]) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "a line needs OPTIC_A_LINE_CHIP and OPTIC_A_LINE_OFFSET");
		return -EINVAL;
	}
	line->chip = nla_data(tb[OPTIC_A_LINE_CHIP]);
	line->offset = nla_get_u32(tb[OPTIC_A_LINE_OFFSET]);
	if (line->offset > U16_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[OPTIC_A_LINE_OFFSET],
				    "line offset out of range (0-65535)");
		return -ERANGE;
	}
	line->active_low = tb[OPTIC_A_LINE_ACTIVE_LOW] ?
			   nla_get_u8(tb[OPTIC_A_LINE_ACTIVE_LOW]) :
			   optic_nl_lines[i].active_low;
	return 0;
}

static void optic_nl_cage_add_err(struct genl_info *info, int err)
{
	struct nlattr *bus = info->attrs[OPTIC_A_I2C_BUS];

	switch (err) {
	case -ENODEV:
		NL_SET_ERR_MSG_ATTR(info->extack, bus, "no such I2C adapter");
		break;
	case -EBUSY:
		NL_SET_ERR_MSG_ATTR(info->extack, bus,
				    "the adapter has a device at 0x50 already");
		break;
	case -ENOENT:
		NL_SET_ERR_MSG(info->extack,
			       "optic did not bind to the cage: a line's chip or offset not found");
		break;
	case -ESHUTDOWN:
		NL_SET_ERR_MSG(info->extack, "optic is being unloaded");
		break;
	default:
		NL_SET_ERR_MSG(info->extack, "cannot create the cage");
		break;
	}
}

static int optic_nl_cage_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct optic_cage_req req = {};
	struct optic_module *mod;
	struct sk_buff *msg;
	u32 index;
	int i, ret;

	if (GENL_REQ_ATTR_CHECK(info, OPTIC_A_I2C_BUS) ||
	    GENL_REQ_ATTR_CHECK(info, OPTIC_A_MODULE_NAME))
		return -EINVAL;
	req.bus = nla_get_u32(info->attrs[OPTIC_A_I2C_BUS]);
	req.name = nla_data(info->attrs[OPTIC_A_MODULE_NAME]);
	if (!optic_name_valid(req.name)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[OPTIC_A_MODULE_NAME],
				    "not a valid port name");
		return -EINVAL;
	}
	mod = optic_module_get_by_name(req.name);
	if (mod) {
		optic_module_put(mod);
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[OPTIC_A_MODULE_NAME],
				    "a cage has this port name already");
		return -EEXIST;
	}
	for (i = 0; i < OPTIC_CAGE_LINES; i++) {
		ret = optic_nl_cage_line(info, i, &req.line[i]);
		if (ret)
			return ret;
	}
	ret = optic_cage_add(&req, &index);
	if (ret) {
		optic_nl_cage_add_err(info, ret);
		return ret;
	}
	mod = optic_module_get_by_index(index);
	if (!mod)
		return 0;	/* deleted already */
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	ret = msg ? optic_nl_fill_module(msg, mod, info->snd_portid,
					 info->snd_seq, 0, true) : -ENOMEM;
	optic_module_put(mod);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int optic_nl_cage_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct optic_module *mod;
	struct device *dev = NULL;
	int ret;

	mod = optic_nl_module(info);
	if (IS_ERR(mod))
		return PTR_ERR(mod);
	/* the client stays allocated while it is deleted, whoever does it */
	mutex_lock(&mod->lock);
	if (!mod->gone)
		dev = get_device(&mod->client->dev);
	mutex_unlock(&mod->lock);
	optic_module_put(mod);
	if (!dev)
		return optic_nl_access_err(info, -ENODEV);
	ret = optic_cage_del(to_i2c_client(dev));
	put_device(dev);
	if (ret == -EPERM)
		NL_SET_ERR_MSG(info->extack,
			       "the cage was not made by OPTIC_CMD_CAGE_ADD");
	else if (ret)
		NL_SET_ERR_MSG(info->extack, "the cage is being deleted");
	return ret;
}

static int optic_nl_put_bus_class(struct sk_buff *skb, u8 class,
				  const struct optic_bus_stats *st)
{
	struct nlattr *nest = nla_nest_start(skb, OPTIC_A_BUS_CLASS);

	if (!nest ||
	    nla_put_u8(skb, OPTIC_A_BUS_CLASS_ID, class) ||
	    nla_put_u64_64bit(skb, OPTIC_A_BUS_CLASS_XFERS, st->xfers,
			      OPTIC_A_PAD) ||
	    nla_put_u64_64bit(skb, OPTIC_A_BUS_CLASS_BYTES, st->bytes,
			      OPTIC_A_PAD) ||
	    nla_put_u64_64bit(skb, OPTIC_A_BUS_CLASS_BUSY_NS, st->busy_ns,
			      OPTIC_A_PAD) ||
	    nla_put_u64_64bit(skb, OPTIC_A_BUS_CLASS_WAIT_MAX_NS,
			      st->wait_max_ns, OPTIC_A_PAD) ||
	    nla_put_u64_64bit(skb, OPTIC_A_BUS_CLASS_AHEAD, st->ahead,
			      OPTIC_A_PAD) ||
	    nla_put_u64_64bit(skb, OPTIC_A_BUS_CLASS_INVERSIONS,
			      st->inversions, OPTIC_A_PAD) ||
	    nla_put_u64_64bit(skb, OPTIC_A_BUS_CLASS_CONTENDED_BYTES,
			      st->contended_bytes, OPTIC_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The indexes of the cages on @bus, optic_list_lock taken. */
static int optic_nl_put_bus_ports(struct sk_buff *skb, struct optic_bus *bus)
{
	struct optic_module *mod;
	struct nlattr *attr;
	int n = 0;
	u32 *port;

	mutex_lock(&optic_list_lock);
	list_for_each_entry(mod, &bus->modules, bus_node)
		n++;
	attr = nla_reserve(skb, OPTIC_A_BUS_PORTS, n * sizeof(u32));
	if (attr) {
		n = 0;
		port = nla_data(attr);
		list_for_each_entry(mod, &bus->modules, bus_node)
			port[n++] = mod->index;
	}
	mutex_unlock(&optic_list_lock);
	return attr ? 0 : -EMSGSIZE;
}

struct optic_nl_bus_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int optic_nl_fill_bus(struct optic_bus *bus, void *data)
{
	struct optic_nl_bus_dump *d = data;
	struct sk_buff *skb = d->skb;
	struct optic_bus_info info;
	void *hdr;
	u8 c;

	optic_bus_info(bus, &info);
	hdr = genlmsg_put(skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &optic_family, NLM_F_MULTI,
			  OPTIC_CMD_BUS_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, OPTIC_A_BUS_ROOT, info.nr) ||
	    nla_put_string(skb, OPTIC_A_BUS_NAME, info.name) ||
	    optic_nl_put_bus_ports(skb, bus) ||
	    nla_put_u32(skb, OPTIC_A_BUS_QUEUE, info.queue) ||
	    nla_put_u32(skb, OPTIC_A_BUS_QUEUE_MAX, info.queue_max) ||
	    nla_put_u32(skb, OPTIC_A_BUS_REQUESTS, info.requests) ||
	    nla_put_u32(skb, OPTIC_A_BUS_REQUESTS_MAX, info.requests_max) ||
	    nla_put_u64_64bit(skb, OPTIC_A_BUS_BUSY_NS, info.busy_ns,
			      OPTIC_A_PAD) ||
	    nla_put_u64_64bit(skb, OPTIC_A_BUS_AGE_NS, info.age_ns,
			      OPTIC_A_PAD))
		goto cancel;
	for (c = 0; c < OPTIC_BUS_CLASSES; c++)
		if (optic_nl_put_bus_class(skb, c, &info.cls[c]))
			goto cancel;
	genlmsg_end(skb, hdr);
	d->cb->args[0]++;
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* cb->args[0]: root buses dumped so far. */
static int optic_nl_bus_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct optic_nl_bus_dump d = { .skb = skb, .cb = cb };
	int ret;

	ret = optic_bus_for_each(optic_nl_fill_bus, cb->args[0], &d);
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

static const struct genl_ops optic_ops[] = {
	{
		.cmd = OPTIC_CMD_MODULE_GET,
		.doit = optic_nl_module_get_doit,
		.dumpit = optic_nl_module_get_dumpit,
		.policy = optic_module_get_policy,
		.maxattr = ARRAY_SIZE(optic_module_get_policy) - 1,
	},
	{
		.cmd = OPTIC_CMD_EEPROM_READ,
		.doit = optic_nl_eeprom_read_doit,
		.policy = optic_eeprom_read_policy,
		.maxattr = ARRAY_SIZE(optic_eeprom_read_policy) - 1,
	},
	{
		.cmd = OPTIC_CMD_EEPROM_WRITE,
		.doit = optic_nl_eeprom_write_doit,
		.policy = optic_eeprom_write_policy,
		.maxattr = ARRAY_SIZE(optic_eeprom_write_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = OPTIC_CMD_MODULE_SET,
		.doit = optic_nl_module_set_doit,
		.policy = optic_module_set_policy,
		.maxattr = ARRAY_SIZE(optic_module_set_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = OPTIC_CMD_RECORD_GET,
		.start = optic_nl_record_start,
		.dumpit = optic_nl_record_dumpit,
		.done = optic_nl_record_done,
		.policy = optic_record_get_policy,
		.maxattr = ARRAY_SIZE(optic_record_get_policy) - 1,
	},
	{
		.cmd = OPTIC_CMD_RECORD_CLEAR,
		.doit = optic_nl_record_clear_doit,
		.policy = optic_record_clear_policy,
		.maxattr = ARRAY_SIZE(optic_record_clear_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = OPTIC_CMD_CAGE_ADD,
		.doit = optic_nl_cage_add_doit,
		.policy = optic_cage_add_policy,
		.maxattr = ARRAY_SIZE(optic_cage_add_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = OPTIC_CMD_CAGE_DEL,
		.doit = optic_nl_cage_del_doit,
		.policy = optic_module_get_policy,
		.maxattr = ARRAY_SIZE(optic_module_get_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = OPTIC_CMD_BUS_GET,
		.dumpit = optic_nl_bus_get_dumpit,
	},
	{
		.cmd = OPTIC_CMD_DATAPATH_SET,
		.doit = optic_nl_datapath_set_doit,
		.policy = optic_datapath_set_policy,
		.maxattr = ARRAY_SIZE(optic_datapath_set_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = OPTIC_CMD_DATAPATH_GET,
		.doit = optic_nl_datapath_get_doit,
		.policy = optic_module_get_policy,
		.maxattr = ARRAY_SIZE(optic_module_get_policy) - 1,
	},
};

static const struct genl_multicast_group optic_mcgrps[] = {
	{ .name = OPTIC_MCGRP_MONITOR },
};

static struct genl_family optic_family __ro_after_init = {
	.name = OPTIC_GENL_NAME,
	.version = OPTIC_GENL_VERSION,
	.module = THIS_MODULE,
	.parallel_ops = true,
	.ops = optic_ops,
	.n_ops = ARRAY_SIZE(optic_ops),
	.mcgrps = optic_mcgrps,
	.n_mcgrps = ARRAY_SIZE(optic_mcgrps),
};

/*
 * Events: one OPTIC_CMD_EVENT message per event on the "monitor" group,
 * sent in the order the driver sees them, each after its record
 * (record.c; callers hold mod->lock).
 */
/*
 * The largest event: the common attributes, then three strings and three u8
 * (an insertion). Sized to fit rather than NLMSG_DEFAULT_SIZE: a listener's
 * socket buffer is charged every skb's truesize, and a burst of small
 * events must not overrun it.
 */
static size_t optic_event_size(void)
{
	return nla_total_size(sizeof(u32)) +
	       nla_total_size(OPTIC_PORT_NAME_LEN) +
	       2 * nla_total_size(sizeof(u8)) +
	       3 * nla_total_size_64bit(sizeof(u64)) +
	       3 * nla_total_size(OPTIC_STR_LEN) +
	       3 * nla_total_size(sizeof(u8));
}

void optic_nl_event(struct optic_module *mod, const struct optic_record *r)
{
	u64 seq = atomic64_inc_return(&optic_event_seq);
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&optic_family, &init_net, 0))
		return;
	skb = genlmsg_new(optic_event_size(), GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &optic_family, 0, OPTIC_CMD_EVENT);
	/* only tailroom can run out: optic_event_size() is wrong */
	if (WARN_ON_ONCE(!hdr ||
			 nla_put_u32(skb, OPTIC_A_MODULE_INDEX, mod->index) ||
			 nla_put_string(skb, OPTIC_A_MODULE_NAME, mod->name) ||
			 optic_nl_put_record(skb, r, NULL, seq, false))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&optic_family, skb, 0, 0, GFP_KERNEL);
}

int __init optic_netlink_init(void)
{
	return genl_register_family(&optic_family);
}

void optic_netlink_exit(void)
{
	genl_unregister_family(&optic_family);
}

MODULE_ALIAS_GENL_FAMILY(OPTIC_GENL_NAME);
