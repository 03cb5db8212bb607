/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * liboptic: the userspace library of the optic project. Include this one
 * header for everything: the netlink client, images and dumps, the
 * decoders and the text/JSON printer. Every function returns >= 0 or
 * -errno and nothing here logs or exits.
 */
#ifndef OPTIC_LIB_H
#define OPTIC_LIB_H

#include "decode.h"
#include "image.h"
#include "netlink.h"
#include "print.h"

/* modprobe @name (normally "optic") through libkmod. */
int optic_load_driver(const char *name);

/* opticd's status socket (docs/metrics.md), the daemon's default path. */
#define OPTIC_STATUS_SOCKET "/run/opticd/status.sock"
/* Read the daemon's JSON status document (NUL-terminated, malloc'ed). */
int optic_status_fetch(const char *path, char **out, size_t *len);

#endif /* OPTIC_LIB_H */
