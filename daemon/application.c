// SPDX-License-Identifier: GPL-2.0-or-later
/* The application = setting: decide (app_plan) and apply (application.h). */
#include <errno.h>
#include <stdio.h>

#include "application.h"
#include "fw.h"
#include "log.h"
#include "manager.h"
#include "util.h"

int app_plan(const char *want, const struct optic_image *img,
	     const struct optic_model *model, unsigned int nlanes,
	     struct optic_dp_request *req, struct optic_app *app)
{
	uint32_t lanes, bad;
	bool differs = false;
	int r;

	if (!*want)
		return 0;
	if (model->spec != OPTIC_SPEC_CMIS || model->flat || !nlanes)
		return -EOPNOTSUPP;
	r = optic_app_find(img, want, app, NULL);
	if (r < 0)
		return r;
	lanes = nlanes >= 32 ? ~0u : (1u << nlanes) - 1;
	if (optic_app_cover(app, lanes, nlanes, &bad) < 0)
		return -ERANGE;
	for (unsigned int l = 0; l < nlanes; l++) {
		const struct optic_value *v =
			optic_model_get(model, "application", NULL, l);

		if (!v)
			return -EOPNOTSUPP;
		differs |= v->raw != app->appsel;
	}
	if (!differs)
		return 0;
	*req = (struct optic_dp_request){ .lanes = lanes,
					  .appsel = app->appsel,
					  .activate = -1 };
	return 1;
}

const char *app_plan_error(int err)
{
	static const struct {
		int err;
		const char *why;
	} reasons[] = {
		{ -EOPNOTSUPP, "the module has no CMIS data-path control" },
		{ -ENOENT, "the module advertises no such application" },
		{ -EEXIST,
		  "it names several of the module's applications: give the AppSel" },
		{ -ERANGE, "its instances do not fit the module's host lanes" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(reasons); i++)
		if (reasons[i].err == err)
			return reasons[i].why;
	return strerror(-err);
}

void port_app_due(struct port *p, bool retry)
{
	p->app_due = true;
	if (retry)
		p->app_refused = false;
}

/* "lane 1 ConfigRejectedInvalidAppSel, ...": the lanes the module refused. */
static size_t rejections(const struct optic_datapath *dp, uint32_t lanes,
			 char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int l = 0; l < dp->lanes && l < 32; l++) {
		uint8_t st = dp->config_status[l];
		const char *name =
			optic_code_name(&optic_cmis_config_status, st);

		if (!(lanes & (1u << l)) || !optic_config_rejected(st))
			continue;
		n += snprintf(buf + n, n < size ? size - n : 0,
			      "%slane %u %s (0x%x)", n ? ", " : "", l + 1,
			      name ?: "ConfigRejected", st);
	}
	return n;
}

static void applied(struct manager *m, struct port *p,
		    const struct optic_dp_request *req,
		    const struct optic_app *app, int r,
		    const struct optic_datapath *dp)
{
	char label[OPTIC_APP_LABEL], lanes[OPTIC_LANES_TEXT], why[256];
	const char *ext = optic_nl_errmsg(m->nl);

	optic_app_label(app, label, sizeof(label));
	optic_lanes_format(req->lanes, lanes, sizeof(lanes));
	if (r < 0) {
		p->app_refused = true;
		log_event(LOG_WARNING, -r, p->name, -1, NULL, MSGID_APPLICATION,
			  "application %u (%s) on lanes %s refused: %s",
			  app->appsel, label, lanes, ext ?: strerror(-r));
	} else if (rejections(dp, req->lanes, why, sizeof(why))) {
		p->app_refused = true;
		log_event(
			LOG_WARNING, 0, p->name, -1, NULL, MSGID_APPLICATION,
			"application %u (%s) on lanes %s rejected by the module: %s",
			app->appsel, label, lanes, why);
	} else {
		log_event(LOG_NOTICE, 0, p->name, -1, NULL, MSGID_APPLICATION,
			  "application %u (%s) applied on lanes %s",
			  app->appsel, label, lanes);
	}
}

void manager_port_application(struct manager *m, struct port *p)
{
	struct optic_datapath dp = { 0 };
	struct optic_dp_request req;
	struct optic_app app;
	int r;

	if (!p->app_due || p->app_refused || !p->present || p->fresh ||
	    p->info.state != OPTIC_STATE_READY)
		return;
	r = app_plan(p->set.application, &p->img, &p->model, p->info.lane_count,
		     &req, &app);
	if (r <= 0) {
		p->app_due = false;
		if (r < 0) {
			p->app_refused = true;
			log_event(LOG_WARNING, 0, p->name, -1, NULL,
				  MSGID_APPLICATION, "application %s: %s",
				  p->set.application, app_plan_error(r));
		}
		return;
	}
	/* Never reconfigure a module in the middle of a firmware flash. */
	if (optic_fw_locked(m->fw_lock_dir, p->name) > 0)
		return;
	p->app_due = false;
	r = m->ops->datapath_set(m, p, &req, &dp);
	/* Its lanes changed: read them again at the next poll. */
	p->fresh = true;
	port_touch(p);
	applied(m, p, &req, &app, r, &dp);
}
