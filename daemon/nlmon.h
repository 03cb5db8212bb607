/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Non-blocking listener for the driver's "monitor" multicast group and for
 * generic netlink's own family notifications (the "optic" family appearing
 * when optic.ko loads, vanishing when it unloads), for an sd-event IO source.
 *
 * An adapter: liboptic's optic_nl_monitor() blocks in poll(); the daemon
 * needs the fd in its event loop.
 */
#ifndef OPTICD_NLMON_H
#define OPTICD_NLMON_H

#include "netlink.h"

struct nlmon;

enum nlmon_kind {
	NLMON_EVENT, /* an optic event */
	NLMON_FAMILY_NEW, /* the optic family was registered */
	NLMON_FAMILY_DEL, /* ... and unregistered */
	NLMON_OVERRUN, /* events were lost: rescan */
};

typedef void (*nlmon_cb)(enum nlmon_kind kind, const struct optic_nl_event *ev,
			 void *arg);

int nlmon_open(struct nlmon **out, nlmon_cb cb, void *arg);
void nlmon_close(struct nlmon *mon);
int nlmon_fd(const struct nlmon *mon);
/* Join the optic "monitor" group (again, after the driver reloaded). */
int nlmon_join(struct nlmon *mon);
/* Read everything pending; returns 0 or -errno. */
int nlmon_dispatch(struct nlmon *mon);

#endif /* OPTICD_NLMON_H */
