// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Generic netlink client for the optic family, built on libnl-genl-3.
 * Kernel errors come back as -errno with the extack message kept in
 * nl->errmsg; libnl's own NLE_* codes are mapped to the nearest errno.
 */
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "netlink.h"
#include "util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct optic_nl {
	struct nl_sock *sk;
	int family;
	bool no_class; /* the driver refused OPTIC_A_EEPROM_CLASS */
	bool no_ranges; /* the driver refused OPTIC_A_EEPROM_RANGE */
	bool no_modules; /* the driver refused OPTIC_A_EEPROM_MODULE */
	uint64_t read_seq; /* EVENT_SEQ of the last EEPROM_READ reply */
	char errmsg[256];
};

/* A reply's parser: its attributes in @tb, the whole message in @nlh. */
typedef int (*reply_parser)(struct nlmsghdr *nlh, struct nlattr **tb,
			    void *arg);

struct optic_req {
	struct optic_nl *nl;
	int err;
	bool done;
	bool reply_ends; /* a request the driver always answers, without ACK */
	reply_parser parse;
	void *arg;
};

/*
 * The commands whose doit answers every success with one reply: it ends
 * the request, so they go without NLM_F_ACK (one recvmsg() and one skb
 * fewer per poll). The others, CAGE_ADD included (no reply for a cage
 * deleted at once), ask for the ACK; a dump ends with NLMSG_DONE.
 */
static const bool optic_cmd_replies[] = {
	[OPTIC_CMD_MODULE_GET] = true,
	[OPTIC_CMD_EEPROM_READ] = true,
	[OPTIC_CMD_DATAPATH_SET] = true,
	[OPTIC_CMD_DATAPATH_GET] = true,
};

static struct nla_policy optic_policy[OPTIC_A_MAX + 1] = {
	[OPTIC_A_MODULE_INDEX] = { .type = NLA_U32 },
	[OPTIC_A_MODULE_NAME] = { .type = NLA_STRING },
	[OPTIC_A_PRESENT] = { .type = NLA_U8 },
	[OPTIC_A_IDENTIFIER] = { .type = NLA_U8 },
	[OPTIC_A_SPEC] = { .type = NLA_U8 },
	[OPTIC_A_MODULE_STATE] = { .type = NLA_U8 },
	[OPTIC_A_LANE_COUNT] = { .type = NLA_U8 },
	[OPTIC_A_VENDOR_NAME] = { .type = NLA_STRING },
	[OPTIC_A_VENDOR_PN] = { .type = NLA_STRING },
	[OPTIC_A_VENDOR_SN] = { .type = NLA_STRING },
	[OPTIC_A_VENDOR_REV] = { .type = NLA_STRING },
	[OPTIC_A_DATE_CODE] = { .type = NLA_STRING },
	[OPTIC_A_I2C_BUS] = { .type = NLA_U32 },
	[OPTIC_A_I2C_ADDR] = { .type = NLA_U16 },
	[OPTIC_A_EEPROM_PAGE] = { .type = NLA_U8 },
	[OPTIC_A_EEPROM_BANK] = { .type = NLA_U8 },
	[OPTIC_A_EEPROM_OFFSET] = { .type = NLA_U16 },
	[OPTIC_A_EEPROM_LENGTH] = { .type = NLA_U16 },
	[OPTIC_A_EEPROM_DATA] = { .type = NLA_UNSPEC },
	[OPTIC_A_EEPROM_I2C_ADDR] = { .type = NLA_U8 },
	[OPTIC_A_LPMODE] = { .type = NLA_U8 },
	[OPTIC_A_TX_DISABLE] = { .type = NLA_U32 },
	[OPTIC_A_TX_DISABLE_MASK] = { .type = NLA_U32 },
	[OPTIC_A_RESET] = { .type = NLA_FLAG },
	[OPTIC_A_FLAT_MEM] = { .type = NLA_U8 },
	[OPTIC_A_EVENT_TYPE] = { .type = NLA_U8 },
	[OPTIC_A_EVENT_SEQ] = { .type = NLA_U64 },
	[OPTIC_A_LANE] = { .type = NLA_U8 },
	[OPTIC_A_OLD_STATE] = { .type = NLA_U8 },
	[OPTIC_A_NEW_STATE] = { .type = NLA_U8 },
	[OPTIC_A_FLAG_PAGE] = { .type = NLA_U8 },
	[OPTIC_A_FLAG_OFFSET] = { .type = NLA_U8 },
	[OPTIC_A_FLAG_BITS] = { .type = NLA_U8 },
	[OPTIC_A_ACCESS_ERROR] = { .type = NLA_U32 },
	[OPTIC_A_CHECKSUM_OK] = { .type = NLA_U8 },
	[OPTIC_A_RECORD_SEQ] = { .type = NLA_U64 },
	[OPTIC_A_RECORD_SINCE] = { .type = NLA_U64 },
	[OPTIC_A_RECORD_OVERFLOW] = { .type = NLA_U64 },
	[OPTIC_A_RECORD_REALTIME] = { .type = NLA_U64 },
	[OPTIC_A_RECORD_BOOTTIME] = { .type = NLA_U64 },
	[OPTIC_A_RECORD_WHO] = { .type = NLA_U8 },
	[OPTIC_A_RECORD_PID] = { .type = NLA_U32 },
	[OPTIC_A_RECORD_ERRNO] = { .type = NLA_U32 },
	[OPTIC_A_SNAP_TEMP] = { .type = NLA_U16 },
	[OPTIC_A_SNAP_VCC] = { .type = NLA_U16 },
	[OPTIC_A_SNAP_TX_POWER] = { .type = NLA_UNSPEC },
	[OPTIC_A_SNAP_BIAS] = { .type = NLA_UNSPEC },
	[OPTIC_A_SNAP_RX_POWER] = { .type = NLA_UNSPEC },
	[OPTIC_A_SNAP_BIAS_SHIFT] = { .type = NLA_U8 },
	[OPTIC_A_SNAP_VDM] = { .type = NLA_UNSPEC },
	[OPTIC_A_CDB_CMD] = { .type = NLA_U16 },
	[OPTIC_A_CDB_STATUS] = { .type = NLA_U8 },
	[OPTIC_A_BUS_ROOT] = { .type = NLA_U32 },
	[OPTIC_A_CAGE_ADDED] = { .type = NLA_U8 },
	[OPTIC_A_LINE_PRESENCE] = { .type = NLA_NESTED },
	[OPTIC_A_LINE_RESET] = { .type = NLA_NESTED },
	[OPTIC_A_LINE_LPMODE] = { .type = NLA_NESTED },
	[OPTIC_A_LINE_INTL] = { .type = NLA_NESTED },
	[OPTIC_A_LINE_CHIP] = { .type = NLA_STRING },
	[OPTIC_A_LINE_OFFSET] = { .type = NLA_U32 },
	[OPTIC_A_LINE_ACTIVE_LOW] = { .type = NLA_U8 },
	[OPTIC_A_BUS_NAME] = { .type = NLA_STRING },
	[OPTIC_A_BUS_PORTS] = { .type = NLA_UNSPEC },
	[OPTIC_A_BUS_QUEUE] = { .type = NLA_U32 },
	[OPTIC_A_BUS_QUEUE_MAX] = { .type = NLA_U32 },
	[OPTIC_A_BUS_BUSY_NS] = { .type = NLA_U64 },
	[OPTIC_A_BUS_AGE_NS] = { .type = NLA_U64 },
	[OPTIC_A_BUS_CLASS] = { .type = NLA_NESTED },
	[OPTIC_A_BUS_CLASS_ID] = { .type = NLA_U8 },
	[OPTIC_A_BUS_CLASS_XFERS] = { .type = NLA_U64 },
	[OPTIC_A_BUS_CLASS_BYTES] = { .type = NLA_U64 },
	[OPTIC_A_BUS_CLASS_BUSY_NS] = { .type = NLA_U64 },
	[OPTIC_A_BUS_CLASS_WAIT_MAX_NS] = { .type = NLA_U64 },
	[OPTIC_A_EEPROM_CLASS] = { .type = NLA_U8 },
	[OPTIC_A_EEPROM_RANGE] = { .type = NLA_NESTED },
	[OPTIC_A_EEPROM_MODULE] = { .type = NLA_NESTED },
	[OPTIC_A_BUS_CLASS_AHEAD] = { .type = NLA_U64 },
	[OPTIC_A_BUS_CLASS_INVERSIONS] = { .type = NLA_U64 },
	[OPTIC_A_BUS_CLASS_CONTENDED_BYTES] = { .type = NLA_U64 },
	[OPTIC_A_DP_LANES] = { .type = NLA_U32 },
	[OPTIC_A_DP_APPSEL] = { .type = NLA_U8 },
	[OPTIC_A_DP_IMMEDIATE] = { .type = NLA_FLAG },
	[OPTIC_A_DP_ACTIVATE] = { .type = NLA_U8 },
	[OPTIC_A_DP_CONFIG_STATUS] = { .type = NLA_UNSPEC },
	[OPTIC_A_DP_STATE] = { .type = NLA_UNSPEC },
	[OPTIC_A_DP_APP] = { .type = NLA_UNSPEC },
	[OPTIC_A_DP_ID] = { .type = NLA_UNSPEC },
	[OPTIC_A_TEMPERATURE] = { .type = NLA_U16 },
	[OPTIC_A_FLAGS] = { .type = NLA_UNSPEC },
	[OPTIC_A_BUS_REQUESTS] = { .type = NLA_U32 },
	[OPTIC_A_BUS_REQUESTS_MAX] = { .type = NLA_U32 },
};

/* The nested attributes of a cage's line, in the order of optic_line_id. */
static const int line_attrs[OPTIC_LINES] = {
	[OPTIC_LINE_PRESENCE] = OPTIC_A_LINE_PRESENCE,
	[OPTIC_LINE_RESET] = OPTIC_A_LINE_RESET,
	[OPTIC_LINE_LPMODE] = OPTIC_A_LINE_LPMODE,
	[OPTIC_LINE_INTL] = OPTIC_A_LINE_INTL,
};

/* libnl reports its own codes; bring them back to errno. */
static int nlerr_to_errno(int nlerr)
{
	static const struct {
		int nle;
		int err;
	} map[] = {
		{ NLE_NOMEM, ENOMEM },
		{ NLE_INVAL, EINVAL },
		{ NLE_AGAIN, EAGAIN },
		{ NLE_BAD_SOCK, EBADF },
		{ NLE_NOADDR, EADDRNOTAVAIL },
		{ NLE_OBJ_NOTFOUND, ENOENT },
		{ NLE_EXIST, EEXIST },
		{ NLE_PERM, EPERM },
		{ NLE_NODEV, ENODEV },
		{ NLE_BUSY, EBUSY },
		{ NLE_RANGE, ERANGE },
		{ NLE_MSGSIZE, EMSGSIZE },
		{ NLE_OPNOTSUPP, EOPNOTSUPP },
		{ NLE_PROTO_MISMATCH, EPROTO },
		{ NLE_NOACCESS, EACCES },
		{ NLE_INTR, EINTR },
		{ NLE_MSG_TRUNC, EMSGSIZE },
		{ NLE_SEQ_MISMATCH, EPROTO },
		{ NLE_MSG_OVERFLOW, ENOBUFS },
		{ NLE_AF_NOSUPPORT, EAFNOSUPPORT },
		{ NLE_NOATTR, ENODATA },
		{ NLE_MSGTYPE_NOSUPPORT, EOPNOTSUPP },
		{ NLE_OBJ_MISMATCH, EPROTO },
		{ NLE_NOCACHE, ENOENT },
		{ NLE_MSG_TOOSHORT, EBADMSG },
	};
	size_t i;

	if (nlerr < 0)
		nlerr = -nlerr;
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].nle == nlerr)
			return -map[i].err;
	return -EIO;
}

int optic_nl_open(struct optic_nl **out)
{
	struct optic_nl *nl;
	int one = 1, r;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		free(nl);
		return -ENOMEM;
	}
	r = genl_connect(nl->sk);
	if (r < 0)
		goto fail;
	/* best effort: older kernels simply send no extack */
	(void)setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
			 &one, sizeof(one));
	(void)setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
			 &one, sizeof(one));
	r = genl_ctrl_resolve(nl->sk, OPTIC_GENL_NAME);
	if (r < 0)
		goto fail;
	nl->family = r;
	/* optic_nl_request() asks for an ACK where no reply ends a request */
	nl_socket_disable_auto_ack(nl->sk);
	nl_socket_set_msg_buf_size(nl->sk, OPTIC_NL_RECV_SIZE);
	*out = nl;
	return 0;
fail:
	nl_socket_free(nl->sk);
	free(nl);
	return nlerr_to_errno(r);
}

void optic_nl_close(struct optic_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

const char *optic_nl_errmsg(const struct optic_nl *nl)
{
	return nl && nl->errmsg[0] ? nl->errmsg : NULL;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct optic_req *req = arg;
	struct nlattr *tb[OPTIC_A_MAX + 1];
	int r;

	r = genlmsg_parse(nlmsg_hdr(msg), 0, tb, OPTIC_A_MAX, optic_policy);
	if (r < 0) {
		req->err = -EBADMSG;
		return NL_SKIP;
	}
	if (req->parse) {
		r = req->parse(nlmsg_hdr(msg), tb, req->arg);
		if (r < 0 && !req->err)
			req->err = r;
	}
	if (req->reply_ends) {
		req->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct optic_req *req = arg;

	req->done = true;
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct optic_req *req = arg;

	req->done = true;
	return NL_STOP;
}

/* NLMSGERR_ATTR_MSG from an extended ACK (netlink(7), "Extended ACK"). */
static void save_extack(struct optic_nl *nl, struct nlmsgerr *e)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *a;
	size_t off = sizeof(*e);
	int rem;

	nl->errmsg[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + off)
		return;
	rem = nlh->nlmsg_len - NLMSG_HDRLEN - off;
	nla_for_each_attr(a, (struct nlattr *)((char *)e + off), rem, rem) {
		if (nla_type(a) == NLMSGERR_ATTR_MSG && nla_len(a) > 0) {
			nla_strlcpy(nl->errmsg, a, sizeof(nl->errmsg));
			break;
		}
	}
}

static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct optic_req *req = arg;

	req->err = e->error ?: -EIO;
	save_extack(req->nl, e);
	req->done = true;
	return NL_STOP;
}

/* Whether the request's reply ends it; else ask for the ACK. */
static bool request_reply_ends(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	uint8_t cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;

	if (nlh->nlmsg_flags & NLM_F_DUMP)
		return false;
	if (cmd < ARRAY_SIZE(optic_cmd_replies) && optic_cmd_replies[cmd])
		return true;
	nlh->nlmsg_flags |= NLM_F_ACK;
	return false;
}

static int optic_nl_request(struct optic_nl *nl, struct nl_msg *msg,
			    reply_parser parse, void *arg)
{
	struct optic_req req = { .nl = nl, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int r;

	nl->errmsg[0] = '\0';
	req.reply_ends = request_reply_ends(msg);
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, &req);

	r = nl_send_auto(nl->sk, msg);
	if (r < 0) {
		r = nlerr_to_errno(r);
		goto out;
	}
	r = 0;
	while (!req.done) {
		r = nl_recvmsgs(nl->sk, cb);
		if (req.done)
			break;
		if (r < 0) {
			r = nlerr_to_errno(r);
			break;
		}
	}
	if (req.err)
		r = req.err;
	else if (r > 0)
		r = 0;
out:
	nl_cb_put(cb);
	return r;
}

/*
 * Requests are small (a name, an address, at most OPTIC_EEPROM_WRITE_MAX
 * bytes): libnl's default buffer is a page, which calloc() clears on every
 * request.
 */
#define OPTIC_REQUEST_SIZE 512

static struct nl_msg *optic_msg_size(struct optic_nl *nl, uint8_t cmd,
				     int flags, size_t size)
{
	struct nl_msg *msg = nlmsg_alloc_size(size);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, OPTIC_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static struct nl_msg *optic_msg(struct optic_nl *nl, uint8_t cmd, int flags)
{
	return optic_msg_size(nl, cmd, flags, OPTIC_REQUEST_SIZE);
}

static inline void nlmsg_freep(struct nl_msg **m)
{
	if (*m)
		nlmsg_free(*m);
}

#define _cleanup_nlmsg_ _cleanup_(nlmsg_freep)

static void get_str(char *dst, size_t size, struct nlattr *a)
{
	if (a)
		nla_strlcpy(dst, a, size);
	else
		dst[0] = '\0';
}

/* Which attributes below OPTIC_ATTR_BITS a message carries. */
static uint64_t attrs_of(struct nlattr **tb)
{
	uint64_t attrs = 0;
	int i;

	for (i = 0; i <= OPTIC_A_MAX && i < OPTIC_ATTR_BITS; i++)
		if (tb[i])
			attrs |= OPTIC_ATTR(i);
	return attrs;
}

static uint64_t get_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static uint32_t get_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static uint8_t get_u8(struct nlattr *a)
{
	return a ? nla_get_u8(a) : 0;
}

/* A nested OPTIC_A_LINE_*; -EBADMSG when it is malformed. */
static int parse_line(struct nlattr *a, struct optic_line *l)
{
	struct nlattr *tb[OPTIC_A_MAX + 1];

	memset(l, 0, sizeof(*l));
	if (!a)
		return 0;
	if (nla_parse_nested(tb, OPTIC_A_MAX, a, optic_policy) < 0 ||
	    !tb[OPTIC_A_LINE_CHIP] || !tb[OPTIC_A_LINE_OFFSET])
		return -EBADMSG;
	l->set = true;
	get_str(l->chip, sizeof(l->chip), tb[OPTIC_A_LINE_CHIP]);
	l->offset = nla_get_u32(tb[OPTIC_A_LINE_OFFSET]);
	l->active_low = tb[OPTIC_A_LINE_ACTIVE_LOW] ?
				!!nla_get_u8(tb[OPTIC_A_LINE_ACTIVE_LOW]) :
				-1;
	return 0;
}

static int parse_module(struct nlattr **tb, struct optic_module_info *m)
{
	unsigned int l;
	int r = 0;

	memset(m, 0, sizeof(*m));
	m->attrs = attrs_of(tb);
	m->bus_root = get_u32(tb[OPTIC_A_BUS_ROOT]);
	m->cage_added = get_u8(tb[OPTIC_A_CAGE_ADDED]);
	for (l = 0; l < OPTIC_LINES; l++)
		r = parse_line(tb[line_attrs[l]], &m->lines[l]) ?: r;
	if (tb[OPTIC_A_MODULE_INDEX])
		m->index = nla_get_u32(tb[OPTIC_A_MODULE_INDEX]);
	get_str(m->name, sizeof(m->name), tb[OPTIC_A_MODULE_NAME]);
	if (tb[OPTIC_A_PRESENT])
		m->present = nla_get_u8(tb[OPTIC_A_PRESENT]);
	if (tb[OPTIC_A_IDENTIFIER])
		m->identifier = nla_get_u8(tb[OPTIC_A_IDENTIFIER]);
	if (tb[OPTIC_A_SPEC])
		m->spec = nla_get_u8(tb[OPTIC_A_SPEC]);
	if (tb[OPTIC_A_MODULE_STATE])
		m->state = nla_get_u8(tb[OPTIC_A_MODULE_STATE]);
	if (tb[OPTIC_A_LANE_COUNT])
		m->lane_count = nla_get_u8(tb[OPTIC_A_LANE_COUNT]);
	if (tb[OPTIC_A_FLAT_MEM])
		m->flat_mem = nla_get_u8(tb[OPTIC_A_FLAT_MEM]);
	get_str(m->vendor_name, sizeof(m->vendor_name),
		tb[OPTIC_A_VENDOR_NAME]);
	get_str(m->vendor_pn, sizeof(m->vendor_pn), tb[OPTIC_A_VENDOR_PN]);
	get_str(m->vendor_sn, sizeof(m->vendor_sn), tb[OPTIC_A_VENDOR_SN]);
	get_str(m->vendor_rev, sizeof(m->vendor_rev), tb[OPTIC_A_VENDOR_REV]);
	get_str(m->date_code, sizeof(m->date_code), tb[OPTIC_A_DATE_CODE]);
	if (tb[OPTIC_A_I2C_BUS])
		m->i2c_bus = nla_get_u32(tb[OPTIC_A_I2C_BUS]);
	if (tb[OPTIC_A_I2C_ADDR])
		m->i2c_addr = nla_get_u16(tb[OPTIC_A_I2C_ADDR]);
	if (tb[OPTIC_A_ACCESS_ERROR])
		m->access_error = nla_get_u32(tb[OPTIC_A_ACCESS_ERROR]);
	if (tb[OPTIC_A_CHECKSUM_OK])
		m->checksum_ok = nla_get_u8(tb[OPTIC_A_CHECKSUM_OK]);
	if (tb[OPTIC_A_TEMPERATURE]) {
		m->temperature = (int16_t)nla_get_u16(tb[OPTIC_A_TEMPERATURE]);
		m->has_temperature = true;
	}
	if (tb[OPTIC_A_FLAGS]) {
		m->nflags = MIN((size_t)nla_len(tb[OPTIC_A_FLAGS]),
				sizeof(m->flags));
		memcpy(m->flags, nla_data(tb[OPTIC_A_FLAGS]), m->nflags);
	}
	return r;
}

struct module_list {
	struct optic_module_info *v;
	size_t n, cap;
};

static int module_list_parse(struct nlmsghdr *nlh, struct nlattr **tb,
			     void *arg)
{
	struct module_list *l = arg;

	if (!tb[OPTIC_A_MODULE_NAME])
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		void *v = reallocarray(l->v, cap, sizeof(*l->v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	return parse_module(tb, &l->v[l->n++]);
}

int optic_nl_module_list(struct optic_nl *nl, struct optic_module_info **mods,
			 size_t *n)
{
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;
	struct module_list l = {};
	int r;

	msg = optic_msg(nl, OPTIC_CMD_MODULE_GET, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	r = optic_nl_request(nl, msg, module_list_parse, &l);
	if (r < 0) {
		free(l.v);
		return r;
	}
	*mods = l.v;
	*n = l.n;
	return 0;
}

struct module_one {
	struct optic_module_info *info;
	bool got;
};

static int module_one_parse(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct module_one *o = arg;

	o->got = true;
	return parse_module(tb, o->info);
}

int optic_nl_module_get(struct optic_nl *nl, const char *name,
			struct optic_module_info *info)
{
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;
	struct module_one o = { .info = info };
	int r;

	msg = optic_msg(nl, OPTIC_CMD_MODULE_GET, 0);
	if (!msg || nla_put_string(msg, OPTIC_A_MODULE_NAME, name) < 0)
		return -ENOMEM;
	r = optic_nl_request(nl, msg, module_one_parse, &o);
	if (r < 0)
		return r;
	return o.got ? 0 : -ENODATA;
}

bool optic_nl_cage_empty(struct optic_nl *nl, const char *name)
{
	struct optic_module_info info;

	return optic_nl_module_get(nl, name, &info) == 0 && !info.present;
}

static int put_eeprom_range(struct nl_msg *msg, uint8_t addr, uint8_t page,
			    uint8_t bank, uint16_t offset, uint16_t len)
{
	if ((addr && addr != 0x50 &&
	     nla_put_u8(msg, OPTIC_A_EEPROM_I2C_ADDR, addr) < 0) ||
	    nla_put_u8(msg, OPTIC_A_EEPROM_PAGE, page) < 0 ||
	    nla_put_u8(msg, OPTIC_A_EEPROM_BANK, bank) < 0 ||
	    nla_put_u16(msg, OPTIC_A_EEPROM_OFFSET, offset) < 0 ||
	    nla_put_u16(msg, OPTIC_A_EEPROM_LENGTH, len) < 0)
		return -EMSGSIZE;
	return 0;
}

static int put_eeprom_addr(struct nl_msg *msg, const char *name, uint8_t addr,
			   uint8_t page, uint8_t bank, uint16_t offset,
			   uint16_t len)
{
	if (nla_put_string(msg, OPTIC_A_MODULE_NAME, name) < 0)
		return -EMSGSIZE;
	return put_eeprom_range(msg, addr, page, bank, offset, len);
}

struct eeprom_buf {
	uint8_t *buf;
	size_t len;
	int got;
	uint64_t seq;
};

static int eeprom_parse(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct eeprom_buf *e = arg;
	struct nlattr *a = tb[OPTIC_A_EEPROM_DATA];

	if (!a)
		return -EBADMSG;
	e->got = MIN((size_t)nla_len(a), e->len);
	memcpy(e->buf, nla_data(a), e->got);
	if (tb[OPTIC_A_EVENT_SEQ])
		e->seq = nla_get_u64(tb[OPTIC_A_EVENT_SEQ]);
	return 0;
}

/* @cls < 0: the driver's default class. */
static int eeprom_read(struct optic_nl *nl, const char *name, uint8_t addr,
		       uint8_t page, uint8_t bank, uint16_t offset,
		       uint16_t len, int cls, uint8_t *buf)
{
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;
	struct eeprom_buf e = { .buf = buf, .len = len, .got = -1 };
	int r;

	if (!len || offset + len > OPTIC_EEPROM_PAGE_SIZE)
		return -EINVAL;
	msg = optic_msg(nl, OPTIC_CMD_EEPROM_READ, 0);
	if (!msg)
		return -ENOMEM;
	r = put_eeprom_addr(msg, name, addr, page, bank, offset, len);
	if (r < 0)
		return r;
	if (cls >= 0 && nla_put_u8(msg, OPTIC_A_EEPROM_CLASS, cls) < 0)
		return -EMSGSIZE;
	nl->read_seq = 0;
	r = optic_nl_request(nl, msg, eeprom_parse, &e);
	if (r < 0)
		return r;
	nl->read_seq = e.seq;
	return e.got < 0 ? -ENODATA : e.got;
}

struct eeprom_ranges {
	const struct optic_eeprom_range *rg;
	size_t n;
	uint64_t seq;
};

/*
 * The OPTIC_A_EEPROM_RANGE nests among the @len bytes of attributes at
 * @head: exactly @n, in the order asked, each with its data into @rg.
 */
static int ranges_parse(struct nlattr *head, int len,
			const struct optic_eeprom_range *rg, size_t n)
{
	struct nlattr *a, *rt[OPTIC_A_MAX + 1];
	size_t got = 0;
	int rem;

	nla_for_each_attr(a, head, len, rem) {
		const struct optic_eeprom_range *r;

		if (nla_type(a) != OPTIC_A_EEPROM_RANGE)
			continue;
		if (got == n)
			return -EBADMSG;
		r = &rg[got];
		if (nla_parse_nested(rt, OPTIC_A_MAX, a, optic_policy) < 0 ||
		    !rt[OPTIC_A_EEPROM_DATA] ||
		    nla_len(rt[OPTIC_A_EEPROM_DATA]) != r->len)
			return -EBADMSG;
		memcpy(r->buf, nla_data(rt[OPTIC_A_EEPROM_DATA]), r->len);
		got++;
	}
	return got == n ? 0 : -EBADMSG;
}

/* An EEPROM_READ reply's ranges, in the order asked, each with its data. */
static int eeprom_ranges_parse(struct nlmsghdr *nlh, struct nlattr **tb,
			       void *arg)
{
	struct eeprom_ranges *e = arg;
	int r = ranges_parse(nlmsg_attrdata(nlh, GENL_HDRLEN),
			     nlmsg_attrlen(nlh, GENL_HDRLEN), e->rg, e->n);

	if (r < 0)
		return r;
	if (tb[OPTIC_A_EVENT_SEQ])
		e->seq = nla_get_u64(tb[OPTIC_A_EVENT_SEQ]);
	return 0;
}

static int eeprom_read_one_by_one(struct optic_nl *nl, const char *name,
				  const struct optic_eeprom_range *rg, size_t n)
{
	uint64_t seq = 0;
	int r = 0;

	for (size_t i = 0; i < n && r >= 0; i++) {
		r = optic_nl_eeprom_read(nl, name, rg[i].addr, rg[i].page,
					 rg[i].bank, rg[i].offset, rg[i].len,
					 rg[i].buf);
		if (r >= 0 && r != rg[i].len)
			r = -EBADMSG;
		seq = MAX(seq, optic_nl_read_seq(nl));
	}
	nl->read_seq = r < 0 ? 0 : seq;
	return MIN(r, 0);
}

/* @rg's @n ranges, an OPTIC_A_EEPROM_RANGE nest each. */
static int put_range_nests(struct nl_msg *msg,
			   const struct optic_eeprom_range *rg, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct nlattr *nest = nla_nest_start(msg, OPTIC_A_EEPROM_RANGE);

		if (!nest || put_eeprom_range(msg, rg[i].addr, rg[i].page,
					      rg[i].bank, rg[i].offset,
					      rg[i].len) < 0)
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

/* 1 to OPTIC_EEPROM_RANGES_MAX ranges, each within its page. */
static bool ranges_valid(const struct optic_eeprom_range *rg, size_t n)
{
	if (!n || n > OPTIC_EEPROM_RANGES_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!rg[i].len || rg[i].offset + rg[i].len > OPTIC_EEPROM_PAGE_SIZE)
			return false;
	return true;
}

static int eeprom_read_ranges(struct optic_nl *nl, const char *name,
			      const struct optic_eeprom_range *rg, size_t n)
{
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;
	struct eeprom_ranges e = { .rg = rg, .n = n };
	int r;

	msg = optic_msg(nl, OPTIC_CMD_EEPROM_READ, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, OPTIC_A_MODULE_NAME, name) < 0 ||
	    put_range_nests(msg, rg, n) < 0)
		return -EMSGSIZE;
	nl->read_seq = 0;
	r = optic_nl_request(nl, msg, eeprom_ranges_parse, &e);
	if (r < 0)
		return r;
	nl->read_seq = e.seq;
	return 0;
}

int optic_nl_eeprom_read_ranges(struct optic_nl *nl, const char *name,
				const struct optic_eeprom_range *rg, size_t n)
{
	int r;

	if (!ranges_valid(rg, n))
		return -EINVAL;
	if (nl->no_ranges)
		return eeprom_read_one_by_one(nl, name, rg, n);
	r = eeprom_read_ranges(nl, name, rg, n);
	if (r != -EINVAL)
		return r;
	/* an older driver's strict policy refuses the unknown attribute */
	r = eeprom_read_one_by_one(nl, name, rg, n);
	nl->no_ranges = r >= 0;
	return r;
}

struct eeprom_modules {
	struct optic_eeprom_module *mods;
	size_t n;
};

/* One module's nest of a reply of several: as asked, and its outcome. */
static int module_parse(struct nlattr *nest, struct optic_eeprom_module *m)
{
	struct nlattr *mt[OPTIC_A_MAX + 1];
	uint32_t err;

	if (nla_parse_nested(mt, OPTIC_A_MAX, nest, optic_policy) < 0 ||
	    !mt[OPTIC_A_MODULE_NAME] ||
	    nla_strcmp(mt[OPTIC_A_MODULE_NAME], m->name) != 0)
		return -EBADMSG;
	if (mt[OPTIC_A_ACCESS_ERROR]) {
		err = nla_get_u32(mt[OPTIC_A_ACCESS_ERROR]);
		if (!err || err >= 4096)
			return -EBADMSG;
		m->ret = -(int)err;
		return 0;
	}
	if (!mt[OPTIC_A_EVENT_SEQ])
		return -EBADMSG;
	m->ret = ranges_parse(nla_data(nest), nla_len(nest), m->rg, m->n);
	if (m->ret < 0)
		return m->ret;
	m->seq = nla_get_u64(mt[OPTIC_A_EVENT_SEQ]);
	return 0;
}

/* A reply of several modules: a nest for each, in the order asked. */
static int eeprom_modules_parse(struct nlmsghdr *nlh, struct nlattr **tb,
				void *arg)
{
	struct eeprom_modules *e = arg;
	struct nlattr *a;
	size_t got = 0;
	int rem, r;

	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		if (nla_type(a) != OPTIC_A_EEPROM_MODULE)
			continue;
		if (got == e->n)
			return -EBADMSG;
		r = module_parse(a, &e->mods[got++]);
		if (r < 0)
			return r;
	}
	return got == e->n ? 0 : -EBADMSG;
}

static int put_module(struct nl_msg *msg, const struct optic_eeprom_module *m)
{
	struct nlattr *nest = nla_nest_start(msg, OPTIC_A_EEPROM_MODULE);

	if (!nest || nla_put_string(msg, OPTIC_A_MODULE_NAME, m->name) < 0 ||
	    put_range_nests(msg, m->rg, m->n) < 0)
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* Room the driver counts for @mods in its reply (OPTIC_EEPROM_MODULES_BYTES). */
static size_t modules_room(const struct optic_eeprom_module *mods, size_t n)
{
	size_t room = 0;

	for (size_t i = 0; i < n; i++) {
		room += 64;
		for (size_t j = 0; j < mods[i].n; j++)
			room += 64 + mods[i].rg[j].len;
	}
	return room;
}

/*
 * Room for a request of @mods: a module's nest, its name and each range's
 * nest of five attributes, beyond the genetlink headers.
 */
static size_t modules_request_size(const struct optic_eeprom_module *mods,
				   size_t n)
{
	size_t size = 64;

	for (size_t i = 0; i < n; i++)
		size += NLA_HDRLEN + nla_total_size(strlen(mods[i].name) + 1) +
			mods[i].n * (NLA_HDRLEN + 5 * nla_total_size(2));
	return size;
}

static int eeprom_read_modules(struct optic_nl *nl,
			       struct optic_eeprom_module *mods, size_t n)
{
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;
	struct eeprom_modules e = { .mods = mods, .n = n };
	int r;

	msg = optic_msg_size(nl, OPTIC_CMD_EEPROM_READ, 0,
			     modules_request_size(mods, n));
	if (!msg)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		r = put_module(msg, &mods[i]);
		if (r < 0)
			return r;
	}
	return optic_nl_request(nl, msg, eeprom_modules_parse, &e);
}

/* Each module by a request of its own: a driver without the nests. */
static void eeprom_read_each(struct optic_nl *nl,
			     struct optic_eeprom_module *mods, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		mods[i].ret = optic_nl_eeprom_read_ranges(nl, mods[i].name,
							  mods[i].rg,
							  mods[i].n);
		mods[i].seq = optic_nl_read_seq(nl);
	}
}

int optic_nl_eeprom_read_modules(struct optic_nl *nl,
				 struct optic_eeprom_module *mods, size_t n)
{
	int r;

	if (!n || n > OPTIC_EEPROM_MODULES_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!mods[i].name || !ranges_valid(mods[i].rg, mods[i].n))
			return -EINVAL;
		mods[i].ret = -ENODATA;
		mods[i].seq = 0;
	}
	if (modules_room(mods, n) > OPTIC_EEPROM_MODULES_BYTES)
		return -E2BIG;
	if (nl->no_modules || n == 1) {
		eeprom_read_each(nl, mods, n);
		return 0;
	}
	r = eeprom_read_modules(nl, mods, n);
	if (r != -EINVAL)
		return r;
	/* an older driver's strict policy refuses the unknown attribute */
	nl->no_modules = true;
	eeprom_read_each(nl, mods, n);
	return 0;
}

uint64_t optic_nl_read_seq(const struct optic_nl *nl)
{
	return nl->read_seq;
}

int optic_nl_eeprom_read(struct optic_nl *nl, const char *name, uint8_t addr,
			 uint8_t page, uint8_t bank, uint16_t offset,
			 uint16_t len, uint8_t *buf)
{
	return eeprom_read(nl, name, addr, page, bank, offset, len, -1, buf);
}

int optic_nl_eeprom_read_class(struct optic_nl *nl, const char *name,
			       uint8_t addr, uint8_t page, uint8_t bank,
			       uint16_t offset, uint16_t len, uint8_t cls,
			       uint8_t *buf)
{
	int r;

	if (cls >= OPTIC_BUS_CLASSES)
		return -EINVAL;
	if (nl->no_class)
		return optic_nl_eeprom_read(nl, name, addr, page, bank, offset,
					    len, buf);
	r = eeprom_read(nl, name, addr, page, bank, offset, len, cls, buf);
	if (r != -EINVAL)
		return r;
	/* an older driver's strict policy refuses the unknown attribute */
	r = optic_nl_eeprom_read(nl, name, addr, page, bank, offset, len, buf);
	nl->no_class = r >= 0;
	return r;
}

int optic_nl_eeprom_write(struct optic_nl *nl, const char *name, uint8_t addr,
			  uint8_t page, uint8_t bank, uint16_t offset,
			  uint16_t len, const uint8_t *buf)
{
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;
	int r;

	if (!len || len > OPTIC_EEPROM_WRITE_MAX ||
	    offset + len > OPTIC_EEPROM_PAGE_SIZE)
		return -EINVAL;
	msg = optic_msg(nl, OPTIC_CMD_EEPROM_WRITE, 0);
	if (!msg)
		return -ENOMEM;
	r = put_eeprom_addr(msg, name, addr, page, bank, offset, len);
	if (r < 0 || nla_put(msg, OPTIC_A_EEPROM_DATA, len, buf) < 0)
		return -EMSGSIZE;
	return optic_nl_request(nl, msg, NULL, NULL);
}

int optic_nl_module_set(struct optic_nl *nl, const char *name,
			const struct optic_set *set)
{
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;

	msg = optic_msg(nl, OPTIC_CMD_MODULE_SET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, OPTIC_A_MODULE_NAME, name) < 0)
		return -EMSGSIZE;
	if (set->lpmode >= 0 &&
	    nla_put_u8(msg, OPTIC_A_LPMODE, !!set->lpmode) < 0)
		return -EMSGSIZE;
	if (set->tx_disable_mask &&
	    (nla_put_u32(msg, OPTIC_A_TX_DISABLE, set->tx_disable) < 0 ||
	     nla_put_u32(msg, OPTIC_A_TX_DISABLE_MASK, set->tx_disable_mask) <
		     0))
		return -EMSGSIZE;
	if (set->reset && nla_put_flag(msg, OPTIC_A_RESET) < 0)
		return -EMSGSIZE;
	return optic_nl_request(nl, msg, NULL, NULL);
}

struct monitor_state {
	optic_event_cb cb;
	void *arg;
	int ret;
};

/* What events and records have in common. */
static void parse_event(struct nlattr **tb, struct optic_nl_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->lane = -1;
	ev->attrs = attrs_of(tb);
	if (tb[OPTIC_A_EVENT_TYPE])
		ev->type = nla_get_u8(tb[OPTIC_A_EVENT_TYPE]);
	if (tb[OPTIC_A_EVENT_SEQ])
		ev->seq = nla_get_u64(tb[OPTIC_A_EVENT_SEQ]);
	if (tb[OPTIC_A_MODULE_INDEX])
		ev->index = nla_get_u32(tb[OPTIC_A_MODULE_INDEX]);
	get_str(ev->name, sizeof(ev->name), tb[OPTIC_A_MODULE_NAME]);
	if (tb[OPTIC_A_LANE])
		ev->lane = nla_get_u8(tb[OPTIC_A_LANE]);
	if (tb[OPTIC_A_OLD_STATE])
		ev->old_state = nla_get_u8(tb[OPTIC_A_OLD_STATE]);
	if (tb[OPTIC_A_NEW_STATE])
		ev->new_state = nla_get_u8(tb[OPTIC_A_NEW_STATE]);
	if (tb[OPTIC_A_FLAG_PAGE])
		ev->flag_page = nla_get_u8(tb[OPTIC_A_FLAG_PAGE]);
	if (tb[OPTIC_A_FLAG_OFFSET])
		ev->flag_offset = nla_get_u8(tb[OPTIC_A_FLAG_OFFSET]);
	if (tb[OPTIC_A_FLAG_BITS])
		ev->flag_bits = nla_get_u8(tb[OPTIC_A_FLAG_BITS]);
	if (tb[OPTIC_A_IDENTIFIER])
		ev->identifier = nla_get_u8(tb[OPTIC_A_IDENTIFIER]);
	if (tb[OPTIC_A_SPEC])
		ev->spec = nla_get_u8(tb[OPTIC_A_SPEC]);
	if (tb[OPTIC_A_LANE_COUNT])
		ev->lane_count = nla_get_u8(tb[OPTIC_A_LANE_COUNT]);
	get_str(ev->vendor_name, sizeof(ev->vendor_name),
		tb[OPTIC_A_VENDOR_NAME]);
	get_str(ev->vendor_pn, sizeof(ev->vendor_pn), tb[OPTIC_A_VENDOR_PN]);
	get_str(ev->vendor_sn, sizeof(ev->vendor_sn), tb[OPTIC_A_VENDOR_SN]);
	if (tb[OPTIC_A_RECORD_SEQ])
		ev->record_seq = nla_get_u64(tb[OPTIC_A_RECORD_SEQ]);
	ev->boottime_ns = get_u64(tb[OPTIC_A_RECORD_BOOTTIME]);
}

int optic_nl_event_parse(struct nlmsghdr *nlh, struct optic_nl_event *ev)
{
	struct nlattr *tb[OPTIC_A_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlh);

	memset(ev, 0, sizeof(*ev));
	ev->lane = -1;
	if (!genlmsg_valid_hdr(nlh, 0) || gh->cmd != OPTIC_CMD_EVENT)
		return -EINVAL;
	if (genlmsg_parse(nlh, 0, tb, OPTIC_A_MAX, optic_policy) < 0)
		return -EINVAL;
	parse_event(tb, ev);
	return 0;
}

/* A snapshot array: one u16 per lane, at most @max. */
static unsigned int get_lanes(uint16_t *dst, unsigned int max, struct nlattr *a)
{
	unsigned int n = a ? MIN((unsigned int)nla_len(a) / 2, max) : 0;

	if (n)
		memcpy(dst, nla_data(a), n * sizeof(*dst));
	return n;
}

/* The snapshot's VDM values: whole entries only, at most @max. */
static unsigned int get_vdm(struct optic_snap_vdm *dst, unsigned int max,
			    struct nlattr *a)
{
	unsigned int n = a ? MIN((unsigned int)nla_len(a) / sizeof(*dst), max) :
			     0;

	if (n)
		memcpy(dst, nla_data(a), n * sizeof(*dst));
	return n;
}

struct record_req {
	const char *name;
	optic_record_cb cb;
	void *arg;
	int ret;
};

static void parse_record(struct nlattr **tb, struct optic_nl_record *r)
{
	memset(r, 0, sizeof(*r));
	parse_event(tb, &r->ev);
	r->overflow = get_u64(tb[OPTIC_A_RECORD_OVERFLOW]);
	r->realtime_ns = get_u64(tb[OPTIC_A_RECORD_REALTIME]);
	r->who = get_u8(tb[OPTIC_A_RECORD_WHO]);
	r->pid = get_u32(tb[OPTIC_A_RECORD_PID]);
	r->err = get_u32(tb[OPTIC_A_RECORD_ERRNO]);
	r->lpmode = get_u8(tb[OPTIC_A_LPMODE]);
	r->tx_disable = get_u32(tb[OPTIC_A_TX_DISABLE]);
	r->tx_disable_mask = get_u32(tb[OPTIC_A_TX_DISABLE_MASK]);
	r->cdb_cmd = tb[OPTIC_A_CDB_CMD] ? nla_get_u16(tb[OPTIC_A_CDB_CMD]) : 0;
	r->cdb_status = get_u8(tb[OPTIC_A_CDB_STATUS]);
	r->has_snap = tb[OPTIC_A_SNAP_TEMP] != NULL;
	r->temp = tb[OPTIC_A_SNAP_TEMP] ? nla_get_u16(tb[OPTIC_A_SNAP_TEMP]) :
					  0;
	r->vcc = tb[OPTIC_A_SNAP_VCC] ? nla_get_u16(tb[OPTIC_A_SNAP_VCC]) : 0;
	r->bias_shift = get_u8(tb[OPTIC_A_SNAP_BIAS_SHIFT]);
	r->lanes = get_lanes(r->tx_power, ARRAY_SIZE(r->tx_power),
			     tb[OPTIC_A_SNAP_TX_POWER]);
	get_lanes(r->bias, r->lanes, tb[OPTIC_A_SNAP_BIAS]);
	get_lanes(r->rx_power, r->lanes, tb[OPTIC_A_SNAP_RX_POWER]);
	r->nvdm = get_vdm(r->vdm, ARRAY_SIZE(r->vdm), tb[OPTIC_A_SNAP_VDM]);
}

static int record_parse(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct record_req *q = arg;
	struct optic_nl_record r;

	if (q->ret)
		return 0;
	parse_record(tb, &r);
	/* a dump of one port: the replies do not repeat its name */
	snprintf(r.ev.name, sizeof(r.ev.name), "%s", q->name);
	q->ret = q->cb(&r, q->arg);
	return 0;
}

int optic_nl_record_get(struct optic_nl *nl, const char *name, uint64_t since,
			optic_record_cb cb, void *arg)
{
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;
	struct record_req q = { .name = name, .cb = cb, .arg = arg };
	int r;

	msg = optic_msg(nl, OPTIC_CMD_RECORD_GET, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, OPTIC_A_MODULE_NAME, name) < 0 ||
	    nla_put_u64(msg, OPTIC_A_RECORD_SINCE, since) < 0)
		return -EMSGSIZE;
	r = optic_nl_request(nl, msg, record_parse, &q);
	return r < 0 ? r : q.ret;
}

/* A request naming one module by name, without a reply to parse. */
static int by_name(struct optic_nl *nl, uint8_t cmd, const char *name)
{
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;

	msg = optic_msg(nl, cmd, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, OPTIC_A_MODULE_NAME, name) < 0)
		return -EMSGSIZE;
	return optic_nl_request(nl, msg, NULL, NULL);
}

int optic_nl_record_clear(struct optic_nl *nl, const char *name)
{
	return by_name(nl, OPTIC_CMD_RECORD_CLEAR, name);
}

/* The nested attributes of a line; @l->set says whether to send it. */
static int put_line(struct nl_msg *msg, int type, const struct optic_line *l)
{
	struct nlattr *nest;

	if (!l->set)
		return 0;
	nest = nla_nest_start(msg, type);
	if (!nest || nla_put_string(msg, OPTIC_A_LINE_CHIP, l->chip) < 0 ||
	    nla_put_u32(msg, OPTIC_A_LINE_OFFSET, l->offset) < 0 ||
	    (l->active_low >= 0 &&
	     nla_put_u8(msg, OPTIC_A_LINE_ACTIVE_LOW, l->active_low) < 0))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int optic_nl_cage_add(struct optic_nl *nl, const struct optic_cage *cage,
		      struct optic_module_info *info)
{
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;
	struct optic_module_info dummy;
	struct module_one o = { .info = info ?: &dummy };
	unsigned int l;
	int r;

	msg = optic_msg(nl, OPTIC_CMD_CAGE_ADD, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, OPTIC_A_MODULE_NAME, cage->name) < 0 ||
	    nla_put_u32(msg, OPTIC_A_I2C_BUS, cage->i2c_bus) < 0)
		return -EMSGSIZE;
	for (l = 0; l < OPTIC_LINES; l++) {
		r = put_line(msg, line_attrs[l], &cage->lines[l]);
		if (r < 0)
			return r;
	}
	r = optic_nl_request(nl, msg, module_one_parse, &o);
	if (r < 0)
		return r;
	return o.got ? 0 : -ENODATA;
}

int optic_nl_cage_del(struct optic_nl *nl, const char *name)
{
	return by_name(nl, OPTIC_CMD_CAGE_DEL, name);
}

/* A per-lane u8 array; the lane count is the shortest array's. */
static void get_lane_bytes(uint8_t *dst, unsigned int *lanes, struct nlattr *a)
{
	unsigned int n = 0;

	if (a) {
		n = nla_len(a);
		if (n > OPTIC_DP_MAX_LANES)
			n = OPTIC_DP_MAX_LANES;
		memcpy(dst, nla_data(a), n);
	}
	if (n < *lanes)
		*lanes = n;
}

static int datapath_parse(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct optic_datapath *dp = arg;

	(void)nlh;
	memset(dp, 0, sizeof(*dp));
	dp->lanes = OPTIC_DP_MAX_LANES;
	get_lane_bytes(dp->config_status, &dp->lanes,
		       tb[OPTIC_A_DP_CONFIG_STATUS]);
	get_lane_bytes(dp->state, &dp->lanes, tb[OPTIC_A_DP_STATE]);
	get_lane_bytes(dp->app, &dp->lanes, tb[OPTIC_A_DP_APP]);
	get_lane_bytes(dp->dpid, &dp->lanes, tb[OPTIC_A_DP_ID]);
	dp->got = true;
	return 0;
}

static int datapath_request(struct optic_nl *nl, struct nl_msg *msg,
			    struct optic_datapath *out)
{
	struct optic_datapath dummy;
	struct optic_datapath *dp = out ?: &dummy;
	int r;

	dp->got = false;
	r = optic_nl_request(nl, msg, datapath_parse, dp);
	if (r < 0)
		return r;
	return dp->got ? 0 : -ENODATA;
}

int optic_nl_datapath_get(struct optic_nl *nl, const char *name,
			  struct optic_datapath *out)
{
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;

	msg = optic_msg(nl, OPTIC_CMD_DATAPATH_GET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, OPTIC_A_MODULE_NAME, name) < 0)
		return -EMSGSIZE;
	return datapath_request(nl, msg, out);
}

int optic_nl_datapath_set(struct optic_nl *nl, const char *name,
			  const struct optic_dp_request *req,
			  struct optic_datapath *out)
{
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;

	msg = optic_msg(nl, OPTIC_CMD_DATAPATH_SET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, OPTIC_A_MODULE_NAME, name) < 0 ||
	    nla_put_u32(msg, OPTIC_A_DP_LANES, req->lanes) < 0)
		return -EMSGSIZE;
	if (req->appsel && nla_put_u8(msg, OPTIC_A_DP_APPSEL, req->appsel) < 0)
		return -EMSGSIZE;
	if (req->immediate && nla_put_flag(msg, OPTIC_A_DP_IMMEDIATE) < 0)
		return -EMSGSIZE;
	if (req->activate >= 0 &&
	    nla_put_u8(msg, OPTIC_A_DP_ACTIVATE, !!req->activate) < 0)
		return -EMSGSIZE;
	return datapath_request(nl, msg, out);
}

/* One OPTIC_A_BUS_CLASS; -EBADMSG when malformed or of no known class. */
static int parse_bus_class(struct nlattr *a, struct optic_bus_info *b)
{
	struct nlattr *tb[OPTIC_A_MAX + 1];
	struct optic_bus_class_stats *c;
	uint8_t id;

	if (nla_parse_nested(tb, OPTIC_A_MAX, a, optic_policy) < 0 ||
	    !tb[OPTIC_A_BUS_CLASS_ID])
		return -EBADMSG;
	id = nla_get_u8(tb[OPTIC_A_BUS_CLASS_ID]);
	if (id >= OPTIC_BUS_CLASSES)
		return 0; /* a class newer than this library */
	c = &b->cls[id];
	c->set = true;
	c->xfers = get_u64(tb[OPTIC_A_BUS_CLASS_XFERS]);
	c->bytes = get_u64(tb[OPTIC_A_BUS_CLASS_BYTES]);
	c->busy_ns = get_u64(tb[OPTIC_A_BUS_CLASS_BUSY_NS]);
	c->wait_max_ns = get_u64(tb[OPTIC_A_BUS_CLASS_WAIT_MAX_NS]);
	c->has_order = tb[OPTIC_A_BUS_CLASS_AHEAD] ||
		       tb[OPTIC_A_BUS_CLASS_INVERSIONS];
	c->ahead = get_u64(tb[OPTIC_A_BUS_CLASS_AHEAD]);
	c->inversions = get_u64(tb[OPTIC_A_BUS_CLASS_INVERSIONS]);
	c->has_contended = tb[OPTIC_A_BUS_CLASS_CONTENDED_BYTES];
	c->contended_bytes = get_u64(tb[OPTIC_A_BUS_CLASS_CONTENDED_BYTES]);
	return 0;
}

static int parse_bus(struct nlmsghdr *nlh, struct nlattr **tb,
		     struct optic_bus_info *b)
{
	struct nlattr *a, *ports = tb[OPTIC_A_BUS_PORTS];
	int rem, r = 0;

	memset(b, 0, sizeof(*b));
	if (!tb[OPTIC_A_BUS_ROOT])
		return -EBADMSG;
	b->attrs = attrs_of(tb);
	b->root = nla_get_u32(tb[OPTIC_A_BUS_ROOT]);
	get_str(b->name, sizeof(b->name), tb[OPTIC_A_BUS_NAME]);
	b->queue = get_u32(tb[OPTIC_A_BUS_QUEUE]);
	b->queue_max = get_u32(tb[OPTIC_A_BUS_QUEUE_MAX]);
	b->requests = get_u32(tb[OPTIC_A_BUS_REQUESTS]);
	b->requests_max = get_u32(tb[OPTIC_A_BUS_REQUESTS_MAX]);
	b->busy_ns = get_u64(tb[OPTIC_A_BUS_BUSY_NS]);
	b->age_ns = get_u64(tb[OPTIC_A_BUS_AGE_NS]);
	/* one OPTIC_A_BUS_CLASS per class: tb keeps only the last */
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(a) == OPTIC_A_BUS_CLASS)
			r = parse_bus_class(a, b) ?: r;
	}
	if (ports && nla_len(ports) >= (int)sizeof(uint32_t)) {
		b->n_ports = nla_len(ports) / sizeof(uint32_t);
		b->ports = calloc(b->n_ports, sizeof(uint32_t));
		if (!b->ports)
			return -ENOMEM;
		memcpy(b->ports, nla_data(ports),
		       b->n_ports * sizeof(uint32_t));
	}
	return r;
}

struct bus_list {
	struct optic_bus_info *v;
	size_t n, cap;
};

static int bus_list_parse(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct bus_list *l = arg;
	int r;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		void *v = reallocarray(l->v, cap, sizeof(*l->v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	r = parse_bus(nlh, tb, &l->v[l->n]);
	/* a bus that failed to parse still owns what it allocated */
	l->n++;
	return r;
}

int optic_nl_bus_list(struct optic_nl *nl, struct optic_bus_info **buses,
		      size_t *n)
{
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;
	struct bus_list l = {};
	int r;

	msg = optic_msg(nl, OPTIC_CMD_BUS_GET, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	r = optic_nl_request(nl, msg, bus_list_parse, &l);
	if (r < 0) {
		optic_bus_list_free(l.v, l.n);
		return r;
	}
	*buses = l.v;
	*n = l.n;
	return 0;
}

void optic_bus_info_clear(struct optic_bus_info *b)
{
	free(b->ports);
	b->ports = NULL;
	b->n_ports = 0;
}

void optic_bus_list_free(struct optic_bus_info *buses, size_t n)
{
	size_t i;

	if (!buses)
		return;
	for (i = 0; i < n; i++)
		optic_bus_info_clear(&buses[i]);
	free(buses);
}

/* A reply's attributes, for the public parsers. */
static int reply_attrs(struct nlmsghdr *nlh, struct nlattr **tb)
{
	if (!genlmsg_valid_hdr(nlh, 0) ||
	    genlmsg_parse(nlh, 0, tb, OPTIC_A_MAX, optic_policy) < 0)
		return -EINVAL;
	return 0;
}

int optic_nl_module_parse(struct nlmsghdr *nlh, struct optic_module_info *m)
{
	struct nlattr *tb[OPTIC_A_MAX + 1];

	memset(m, 0, sizeof(*m));
	return reply_attrs(nlh, tb) ?: parse_module(tb, m);
}

int optic_nl_record_parse(struct nlmsghdr *nlh, struct optic_nl_record *r)
{
	struct nlattr *tb[OPTIC_A_MAX + 1];
	int ret;

	memset(r, 0, sizeof(*r));
	ret = reply_attrs(nlh, tb);
	if (ret == 0)
		parse_record(tb, r);
	return ret;
}

int optic_nl_bus_parse(struct nlmsghdr *nlh, struct optic_bus_info *b)
{
	struct nlattr *tb[OPTIC_A_MAX + 1];

	memset(b, 0, sizeof(*b));
	return reply_attrs(nlh, tb) ?: parse_bus(nlh, tb, b);
}

int optic_nl_eeprom_parse(struct nlmsghdr *nlh, uint8_t *buf, size_t len,
			  uint64_t *seq)
{
	struct nlattr *tb[OPTIC_A_MAX + 1];
	struct eeprom_buf e = { .buf = buf, .len = len, .got = -1 };
	int r = reply_attrs(nlh, tb) ?: eeprom_parse(nlh, tb, &e);

	*seq = e.seq;
	return r ?: e.got;
}

int optic_nl_eeprom_ranges_parse(struct nlmsghdr *nlh,
				 const struct optic_eeprom_range *rg, size_t n,
				 uint64_t *seq)
{
	struct nlattr *tb[OPTIC_A_MAX + 1];
	struct eeprom_ranges e = { .rg = rg, .n = n };
	int r = reply_attrs(nlh, tb) ?: eeprom_ranges_parse(nlh, tb, &e);

	*seq = e.seq;
	return r;
}

int optic_nl_eeprom_modules_parse(struct nlmsghdr *nlh,
				  struct optic_eeprom_module *mods, size_t n)
{
	struct nlattr *tb[OPTIC_A_MAX + 1];
	struct eeprom_modules e = { .mods = mods, .n = n };

	return reply_attrs(nlh, tb) ?: eeprom_modules_parse(nlh, tb, &e);
}

int optic_nl_datapath_parse(struct nlmsghdr *nlh, struct optic_datapath *dp)
{
	struct nlattr *tb[OPTIC_A_MAX + 1];

	memset(dp, 0, sizeof(*dp));
	return reply_attrs(nlh, tb) ?: datapath_parse(nlh, tb, dp);
}

static int monitor_cb(struct nl_msg *msg, void *arg)
{
	struct monitor_state *ms = arg;
	struct optic_nl_event ev;

	if (optic_nl_event_parse(nlmsg_hdr(msg), &ev) < 0)
		return NL_SKIP;
	ms->ret = ms->cb(&ev, ms->arg);
	return ms->ret ? NL_STOP : NL_OK;
}

int optic_nl_monitor(struct optic_nl *nl, int timeout_ms, optic_event_cb cb,
		     void *arg)
{
	struct monitor_state ms = { .cb = cb, .arg = arg };
	struct timespec now, end = { 0 };
	struct nl_sock *sk;
	struct pollfd pfd;
	int grp, r, wait_ms = -1;

	grp = genl_ctrl_resolve_grp(nl->sk, OPTIC_GENL_NAME,
				    OPTIC_MCGRP_MONITOR);
	if (grp < 0)
		return nlerr_to_errno(grp);
	/* a socket of its own: no replies of earlier requests to trip over */
	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	r = genl_connect(sk);
	if (r < 0)
		goto out;
	nl_socket_set_msg_buf_size(sk, OPTIC_NL_RECV_SIZE);
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, monitor_cb, &ms);
	r = nl_socket_add_membership(sk, grp);
	if (r < 0)
		goto out;
	pfd.fd = nl_socket_get_fd(sk);
	pfd.events = POLLIN;
	if (timeout_ms >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &end);
		end.tv_sec += timeout_ms / 1000;
		end.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	}
	for (;;) {
		if (timeout_ms >= 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			wait_ms = (end.tv_sec - now.tv_sec) * 1000 +
				  (end.tv_nsec - now.tv_nsec) / 1000000;
			if (wait_ms <= 0) {
				r = 0;
				break;
			}
		}
		r = poll(&pfd, 1, wait_ms);
		if (r < 0) {
			r = -errno;
			if (r == -EINTR)
				continue;
			break;
		}
		if (r == 0)
			break;
		r = nl_recvmsgs_default(sk);
		if (ms.ret) {
			r = ms.ret;
			break;
		}
		if (r < 0)
			goto out;
	}
	nl_socket_free(sk);
	return r;
out:
	nl_socket_free(sk);
	return nlerr_to_errno(r);
}

const char *optic_event_name(uint8_t type)
{
	static const char *const names[] = {
		[OPTIC_EVENT_INSERTED] = "inserted",
		[OPTIC_EVENT_REMOVED] = "removed",
		[OPTIC_EVENT_MODULE_STATE] = "module_state",
		[OPTIC_EVENT_DATAPATH_STATE] = "datapath_state",
		[OPTIC_EVENT_FLAG] = "flag",
		[OPTIC_EVENT_FLAG_CLEARED] = "flag_cleared",
		[OPTIC_EVENT_LPMODE] = "lpmode",
		[OPTIC_EVENT_TX_DISABLE] = "tx_disable",
		[OPTIC_EVENT_RESET] = "reset",
		[OPTIC_EVENT_BUS_ERROR] = "bus_error",
		[OPTIC_EVENT_FIRMWARE] = "firmware",
	};

	return type < ARRAY_SIZE(names) && names[type] ? names[type] : NULL;
}

const char *optic_state_name(uint8_t state)
{
	static const char *const names[] = {
		[OPTIC_STATE_UNKNOWN] = "unknown",
		[OPTIC_STATE_LOWPWR] = "lowpwr",
		[OPTIC_STATE_PWRUP] = "pwrup",
		[OPTIC_STATE_READY] = "ready",
		[OPTIC_STATE_PWRDN] = "pwrdn",
		[OPTIC_STATE_FAULT] = "fault",
	};

	return state < ARRAY_SIZE(names) ? names[state] : NULL;
}

const char *optic_spec_name(uint8_t spec)
{
	static const char *const names[] = {
		[OPTIC_SPEC_UNKNOWN] = "unknown",
		[OPTIC_SPEC_CMIS] = "cmis",
		[OPTIC_SPEC_SFF8636] = "sff8636",
		[OPTIC_SPEC_SFF8472] = "sff8472",
	};

	return spec < ARRAY_SIZE(names) ? names[spec] : NULL;
}

const char *optic_line_name(unsigned int line)
{
	static const char *const names[] = {
		[OPTIC_LINE_PRESENCE] = "presence",
		[OPTIC_LINE_RESET] = "reset",
		[OPTIC_LINE_LPMODE] = "lpmode",
		[OPTIC_LINE_INTL] = "intl",
	};

	return line < ARRAY_SIZE(names) ? names[line] : NULL;
}

const char *optic_bus_class_name(uint8_t cls)
{
	static const char *const names[] = {
		[OPTIC_BUS_CLASS_CONTROL] = "control",
		[OPTIC_BUS_CLASS_POLL] = "poll",
		[OPTIC_BUS_CLASS_CDB] = "cdb",
		[OPTIC_BUS_CLASS_BULK] = "bulk",
	};

	return cls < ARRAY_SIZE(names) ? names[cls] : NULL;
}
