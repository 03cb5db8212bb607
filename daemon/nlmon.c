// SPDX-License-Identifier: GPL-2.0-or-later
/* Generic netlink multicast listener for sd-event (see nlmon.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "netlink.h"
#include "nlmon.h"
#include "util.h"

struct nlmon {
	struct nl_sock *sk;
	struct nl_cb *cb;
	int family; /* optic family id, 0 when unknown */
	int group; /* joined optic group, 0 when none */
	nlmon_cb fn;
	void *arg;
};

static int nle_to_errno(int r)
{
	switch (r < 0 ? -r : r) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_MSG_OVERFLOW:
		return -ENOBUFS;
	default:
		return -EIO;
	}
}

static void ctrl_msg(struct nlmon *mon, struct nlmsghdr *nlh)
{
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const char *name;

	if (gh->cmd != CTRL_CMD_NEWFAMILY && gh->cmd != CTRL_CMD_DELFAMILY)
		return;
	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_NAME])
		return;
	name = nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]);
	if (!streq(name, OPTIC_GENL_NAME))
		return;
	if (gh->cmd == CTRL_CMD_DELFAMILY) {
		mon->family = 0;
		mon->group = 0;
		mon->fn(NLMON_FAMILY_DEL, NULL, mon->arg);
	} else {
		mon->fn(NLMON_FAMILY_NEW, NULL, mon->arg);
	}
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlmon *mon = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct optic_nl_event ev;

	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		ctrl_msg(mon, nlh);
		return NL_OK;
	}
	if (!mon->family || nlh->nlmsg_type != mon->family ||
	    gh->cmd != OPTIC_CMD_EVENT)
		return NL_SKIP;
	if (optic_nl_event_parse(nlh, &ev) < 0)
		return NL_SKIP;
	mon->fn(NLMON_EVENT, &ev, mon->arg);
	return NL_OK;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

int nlmon_open(struct nlmon **out, nlmon_cb fn, void *arg)
{
	struct nlmon *mon = calloc(1, sizeof(*mon));
	int r, grp, rcvbuf = 1 << 20;

	if (!mon)
		return -ENOMEM;
	mon->fn = fn;
	mon->arg = arg;
	mon->sk = nl_socket_alloc();
	mon->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!mon->sk || !mon->cb) {
		r = -ENOMEM;
		goto fail;
	}
	r = genl_connect(mon->sk);
	if (r < 0)
		goto fail_nl;
	grp = genl_ctrl_resolve_grp(mon->sk, "nlctrl", "notify");
	if (grp < 0) {
		r = grp;
		goto fail_nl;
	}
	r = nl_socket_add_membership(mon->sk, grp);
	if (r < 0)
		goto fail_nl;
	r = nl_socket_set_nonblocking(mon->sk);
	if (r < 0)
		goto fail_nl;
	nl_socket_set_msg_buf_size(mon->sk, OPTIC_NL_RECV_SIZE);
	/*
	 * Bursts of events must not overrun the socket buffer. SO_RCVBUF is
	 * capped at net.core.rmem_max; with CAP_NET_ADMIN it can be forced.
	 */
	if (setsockopt(nl_socket_get_fd(mon->sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)) < 0)
		nl_socket_set_buffer_size(mon->sk, rcvbuf, 0);
	nl_cb_set(mon->cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, mon);
	/* Notifications carry sequence number 0: no checking. */
	nl_cb_set(mon->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	*out = mon;
	return 0;
fail_nl:
	r = nle_to_errno(r);
fail:
	nlmon_close(mon);
	return r;
}

void nlmon_close(struct nlmon *mon)
{
	if (!mon)
		return;
	if (mon->cb)
		nl_cb_put(mon->cb);
	if (mon->sk)
		nl_socket_free(mon->sk);
	free(mon);
}

int nlmon_fd(const struct nlmon *mon)
{
	return nl_socket_get_fd(mon->sk);
}

int nlmon_join(struct nlmon *mon)
{
	struct nl_sock *sk;
	int fam, grp, r;

	/* Resolve on a socket of its own: ours is non-blocking and busy. */
	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	r = genl_connect(sk);
	if (r < 0)
		goto out;
	fam = genl_ctrl_resolve(sk, OPTIC_GENL_NAME);
	if (fam < 0) {
		r = fam;
		goto out;
	}
	grp = genl_ctrl_resolve_grp(sk, OPTIC_GENL_NAME, OPTIC_MCGRP_MONITOR);
	if (grp < 0) {
		r = grp;
		goto out;
	}
	if (mon->group && mon->group != grp)
		nl_socket_drop_membership(mon->sk, mon->group);
	r = nl_socket_add_membership(mon->sk, grp);
	if (r < 0)
		goto out;
	mon->family = fam;
	mon->group = grp;
out:
	nl_socket_free(sk);
	return r < 0 ? nle_to_errno(r) : 0;
}

int nlmon_dispatch(struct nlmon *mon)
{
	int r;

	for (;;) {
		/* Non-blocking: 0 messages means EAGAIN. */
		r = nl_recvmsgs_report(mon->sk, mon->cb);
		if (r > 0)
			continue;
		if (r == 0 || r == -NLE_AGAIN)
			return 0;
		if (r == -NLE_NOMEM || r == -NLE_MSG_OVERFLOW) {
			/* ENOBUFS on a netlink socket: events were dropped. */
			mon->fn(NLMON_OVERRUN, NULL, mon->arg);
			continue;
		}
		return nle_to_errno(r);
	}
}
