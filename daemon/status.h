/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The status socket (`opticctl status`): a unix stream socket; every
 * client that connects gets one JSON document with the daemon's view
 * (ports, policy states, predictions, recent actions), then EOF. Access
 * is limited by the socket's permissions (0660, the daemon's group).
 */
#ifndef OPTICD_STATUS_H
#define OPTICD_STATUS_H

struct manager;
struct config;

/* The status document, malloc'ed, NUL-terminated. */
int status_render(const struct manager *m, char **out);

int status_start(struct manager *m);
void status_stop(struct manager *m);
int status_reconfigure(struct manager *m, const struct config *old);

#endif /* OPTICD_STATUS_H */
