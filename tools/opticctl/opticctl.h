/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * opticctl: shared state of the subcommands. Each subcommand lives in its
 * own file and returns an exit status (enum opticctl_exit); errors are
 * logged once, where they are detected, by oc_fail().
 */
#ifndef OPTICCTL_H
#define OPTICCTL_H

#include <errno.h>
#include <stdbool.h>

#include "optic.h"
#include "util.h"

/* Exit statuses, documented in opticctl(8). */
enum opticctl_exit {
	OC_OK = 0,
	OC_USAGE = 1, /* bad command line */
	OC_NOTFOUND = 2, /* unknown port, no such page */
	OC_IO = 3, /* module or netlink I/O error, anything else */
	OC_PERM = 4, /* permission denied (write commands) */
	OC_NODRIVER = 5, /* the optic driver is not loaded */
};

struct oc {
	unsigned int pflags; /* OPTIC_PRINT_* */
	bool load; /* -L: modprobe optic without asking */
	struct optic_nl *nl;
	struct optic_print *p;
	bool bulk; /* oc_fetch() reads in the bulk class */
};

struct oc_cmd {
	const char *name;
	int (*fn)(struct oc *c, int argc, char **argv);
	bool netlink; /* needs the optic family */
	const char *usage;
};

/* Log "opticctl: <what>: <strerror(-err)>[: <extack>]", return the status. */
int oc_fail(struct oc *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int oc_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int oc_exit_code(int err);

/* The optic family (loading the driver with -L or when asked); a status. */
int oc_open_netlink(struct oc *c);

/* All ports (dump); on failure logs and returns -exit status. */
int oc_ports(struct oc *c, struct optic_module_info **mods, size_t *n);
/* One port by name; unknown names list the valid ones. */
int oc_port(struct oc *c, const char *name, struct optic_module_info *info);
/* Read the module's pages into @img; logs on failure. */
int oc_fetch(struct oc *c, const char *port, struct optic_image *img);
/* Every page the module advertises (dump); logs on failure. */
int oc_fetch_all(struct oc *c, const char *port, struct optic_image *img);
int oc_read_page(struct oc *c, const char *port, uint8_t addr, uint8_t page,
		 uint8_t bank, struct optic_image *img);

/*
 * Print the event part of an event or a record: "[SEQ] PORT: TYPE ...",
 * flags named after @spec's table (monitor.c).
 */
void oc_print_event(struct optic_print *p, const struct optic_nl_event *ev,
		    uint64_t seq, uint8_t spec);

/* A command's own --json: the printer becomes a JSON one (a status). */
int oc_json(struct oc *c);

/* Lanes list "1,3,5-8" or "all" (1-based) to a bit mask. */
int oc_parse_lanes(const char *s, uint32_t *mask);
int oc_parse_u8(const char *s, int base, uint8_t *out);

/* opticctl set PORT application|datapath ... (datapath.c). */
int oc_set_datapath(struct oc *c, int argc, char **argv);

int cmd_list(struct oc *c, int argc, char **argv);
int cmd_show(struct oc *c, int argc, char **argv);
int cmd_dom(struct oc *c, int argc, char **argv);
int cmd_dump(struct oc *c, int argc, char **argv);
int cmd_set(struct oc *c, int argc, char **argv);
int cmd_monitor(struct oc *c, int argc, char **argv);
int cmd_events(struct oc *c, int argc, char **argv);
int cmd_decode(struct oc *c, int argc, char **argv);
int cmd_status(struct oc *c, int argc, char **argv);
int cmd_fw(struct oc *c, int argc, char **argv);
int cmd_version(struct oc *c, int argc, char **argv);
int cmd_platform(struct oc *c, int argc, char **argv);
int cmd_bus(struct oc *c, int argc, char **argv);
int cmd_diag(struct oc *c, int argc, char **argv);

#endif /* OPTICCTL_H */
