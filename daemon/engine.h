/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The port registry and the policy engine (engine.c): ports by name, their
 * settings from the configuration, the policies over each poll's values
 * and states, the actions they take through manager_ops, the power plan.
 * Called by poll.c and manager.c; calls port.c and the pure policies.
 */
#ifndef OPTICD_ENGINE_H
#define OPTICD_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "port.h"

struct manager;

/* STATUS= for systemd: modules monitored, or waiting for the driver. */
void manager_notify_status(struct manager *m);

/* Ports ---------------------------------------------------------------- */

struct port *manager_port(struct manager *m, const char *name, bool create);
/* Apply the configuration to a port (settings, thresholds). */
void manager_port_configure(struct manager *m, struct port *p);
/* Feed one sample through the per-port policies (tests call it too). */
void manager_port_sample(struct manager *m, struct port *p,
			 const struct sample *s, uint64_t now);
/* Assert again what opticd holds (LPMode, TX disable) on a module back. */
void manager_port_reassert(struct manager *m, struct port *p);
/* Handle a module state (recovery policy). */
void manager_port_state(struct manager *m, struct port *p, int state,
			uint64_t now);
/*
 * Latched alarm/warning flags seen by a poll, judged by the threshold
 * policy with the next manager_port_sample() (which consumes them).
 */
void manager_port_mon_flags(struct manager *m, struct port *p,
			    const struct mon_flags *f);
/* Latched flags of kind @k seen by a poll, one bit per lane. */
void manager_port_flags(struct manager *m, struct port *p, enum flap_kind k,
			uint32_t lanes, uint64_t now);
/* Latched flags a FLAG event announced, taken at once (engine.c). */
void manager_port_flag_news(struct manager *m, struct port *p,
			    const struct flag_news *news, uint64_t now);
/* Run the prediction policy on one port. */
void manager_port_predict(struct manager *m, struct port *p, uint64_t now);
/* Recompute the power plan over all ports. */
void manager_power(struct manager *m, uint64_t now);

/* Record an action (log line, counter, status ring). */
void manager_action(struct manager *m, struct port *p, int lane,
		    enum policy_id pol, const char *msgid, int prio,
		    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* A port and its metrics' block, freed (manager_free). */
void manager_port_free(struct port *p);

#endif /* OPTICD_ENGINE_H */
