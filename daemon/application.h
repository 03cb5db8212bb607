/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The application = setting (opticd.conf(5)): whether a port's CMIS module
 * runs the configured application on its host lanes, and applying it when
 * not. It is looked at once per occasion (an insertion, the module back in
 * ModuleReady after a reset or recovery, a reload); a setting the module
 * cannot take is logged once per insertion and left alone, so nothing is
 * ever applied in a loop. The driver answers an apply only once the module
 * went through its durations (seconds): applies run off the event loop.
 */
#ifndef OPTICD_APPLICATION_H
#define OPTICD_APPLICATION_H

#include "app.h"
#include "decode.h"
#include "netlink.h"

struct manager;
struct port;

/*
 * What setting @want asks of the module decoded as @model from @img, with
 * @nlanes host lanes: 0 nothing (no setting, or every host lane runs it
 * already), 1 apply @req (every host lane) for application @app;
 * -EOPNOTSUPP no data-path control (not a paged CMIS module), -ENOENT or
 * -EEXIST as optic_app_find() (none, several), -ERANGE its instances do
 * not fit the host lanes.
 */
int app_plan(const char *want, const struct optic_image *img,
	     const struct optic_model *model, unsigned int nlanes,
	     struct optic_dp_request *req, struct optic_app *app);

/* A reason for app_plan()'s error @err, for the log. */
const char *app_plan_error(int err);

/*
 * An occasion to look at @p's application; @retry (a new module, a reload)
 * forgets a refusal logged before.
 */
void port_app_due(struct port *p, bool retry);
/*
 * Start applying @p's application if due and the module is ready (after a
 * poll): on a thread of its own, the outcome logged from the event loop
 * once it is known. One per port at a time, a few ports at once.
 */
void manager_port_application(struct manager *m, struct port *p);
/* Wait for the applies in flight and handle them (tests). */
void manager_apps_wait(struct manager *m);
/* Forget the applies in flight (their threads end on their own). */
void manager_apps_free(struct manager *m);
/* manager_ops.datapath_set over a netlink socket of its own. */
int app_datapath_set(const char *port, const struct optic_dp_request *req,
		     struct optic_datapath *out, char *ext, size_t ext_len);

#endif /* OPTICD_APPLICATION_H */
