// SPDX-License-Identifier: GPL-2.0-or-later
/* The application = setting: decide (app_plan) and apply (application.h). */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sys/epoll.h>
#include <sys/eventfd.h>

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

/*
 * Applies run off the event loop: the driver answers DATAPATH_SET once the
 * module has gone through its advertised durations (up to a minute). Each
 * runs on a thread of its own with its own netlink socket (ops), at most
 * APP_PARALLEL at once and one per port; a finished one is queued and the
 * eventfd wakes the loop, which logs it (app_dispatch). The queue outlives
 * the manager while threads still hold it (refs).
 */
#define APP_PARALLEL 4

struct app_queue {
	pthread_mutex_t lock;
	unsigned int refs; /* the manager's, and one per thread running */
	int efd;
	struct app_job *done;
};

struct app_job {
	struct app_job *next;
	struct app_queue *q;
	int (*set)(const char *port, const struct optic_dp_request *req,
		   struct optic_datapath *out, char *ext, size_t ext_len);
	struct port *p; /* not touched by the thread */
	char name[OPTIC_PORT_NAME_LEN];
	struct optic_dp_request req;
	struct optic_app app;
	int r;
	struct optic_datapath dp;
	char ext[256]; /* the driver's extack, "" none */
};

static void app_queue_unref(struct app_queue *q)
{
	bool last;

	pthread_mutex_lock(&q->lock);
	last = !--q->refs;
	pthread_mutex_unlock(&q->lock);
	if (!last)
		return;
	/* Results nobody will read: the manager went first. */
	while (q->done) {
		struct app_job *j = q->done;

		q->done = j->next;
		free(j);
	}
	close(q->efd);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

static int app_dispatch(sd_event_source *s, int fd, uint32_t revents,
			void *userdata);

static int app_queue_new(struct manager *m)
{
	struct app_queue *q;
	int r;

	if (m->apps)
		return 0;
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (q->efd < 0) {
		r = -errno;
		free(q);
		return r;
	}
	pthread_mutex_init(&q->lock, NULL);
	q->refs = 1;
	r = sd_event_add_io(m->event, &m->app_source, q->efd, EPOLLIN,
			    app_dispatch, m);
	if (r < 0) {
		app_queue_unref(q);
		return r;
	}
	m->apps = q;
	return 0;
}

void manager_apps_free(struct manager *m)
{
	m->app_source = sd_event_source_unref(m->app_source);
	if (m->apps)
		app_queue_unref(m->apps);
	m->apps = NULL;
}

static void *app_thread(void *arg)
{
	struct app_job *j = arg;
	struct app_queue *q = j->q;
	uint64_t one = 1;

	j->r = j->set(j->name, &j->req, &j->dp, j->ext, sizeof(j->ext));
	pthread_mutex_lock(&q->lock);
	j->next = q->done;
	q->done = j;
	pthread_mutex_unlock(&q->lock);
	/* The counter cannot overflow: at most APP_PARALLEL are added. */
	(void)!write(q->efd, &one, sizeof(one));
	app_queue_unref(q);
	return NULL;
}

int app_datapath_set(const char *port, const struct optic_dp_request *req,
		     struct optic_datapath *out, char *ext, size_t ext_len)
{
	struct optic_nl *nl;
	const char *msg;
	int r;

	ext[0] = '\0';
	r = optic_nl_open(&nl);
	if (r < 0)
		return r;
	r = optic_nl_datapath_set(nl, port, req, out);
	msg = optic_nl_errmsg(nl);
	if (r < 0 && msg)
		snprintf(ext, ext_len, "%s", msg);
	optic_nl_close(nl);
	return r;
}

static void applied(struct port *p, const struct app_job *j)
{
	char label[OPTIC_APP_LABEL], lanes[OPTIC_LANES_TEXT], why[256];
	const struct optic_app *app = &j->app;

	optic_app_label(app, label, sizeof(label));
	optic_lanes_format(j->req.lanes, lanes, sizeof(lanes));
	if (j->r < 0) {
		p->app_refused = true;
		log_event(LOG_WARNING, -j->r, p->name, -1, NULL,
			  MSGID_APPLICATION,
			  "application %u (%s) on lanes %s refused: %s",
			  app->appsel, label, lanes,
			  *j->ext ? j->ext : strerror(-j->r));
	} else if (rejections(&j->dp, j->req.lanes, why, sizeof(why))) {
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

/* The applies finished since the last call: logged, their ports re-read. */
static int app_dispatch(sd_event_source *s, int fd, uint32_t revents,
			void *userdata)
{
	struct manager *m = userdata;
	struct app_queue *q = m->apps;
	struct app_job *done;
	uint64_t n;

	(void)!read(q->efd, &n, sizeof(n));
	pthread_mutex_lock(&q->lock);
	done = q->done;
	q->done = NULL;
	pthread_mutex_unlock(&q->lock);
	while (done) {
		struct app_job *j = done;

		done = j->next;
		m->apps_running--;
		j->p->app_busy = false;
		/* Its lanes changed: read them again at the next poll. */
		j->p->fresh = true;
		port_touch(j->p);
		applied(j->p, j);
		free(j);
	}
	return 0;
}

void manager_apps_wait(struct manager *m)
{
	struct pollfd pfd;

	while (m->apps_running) {
		pfd = (struct pollfd){ .fd = m->apps->efd, .events = POLLIN };
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			return;
		app_dispatch(NULL, pfd.fd, 0, m);
	}
}

/* Start applying @req on @p, off the loop; <0 if it could not start. */
static int app_start(struct manager *m, struct port *p,
		     const struct optic_dp_request *req,
		     const struct optic_app *app)
{
	_cleanup_free_ struct app_job *j = calloc(1, sizeof(*j));
	pthread_attr_t attr;
	pthread_t t;
	int r;

	if (!j)
		return -ENOMEM;
	r = app_queue_new(m);
	if (r < 0)
		return r;
	*j = (struct app_job){ .q = m->apps,
			       .set = m->ops->datapath_set,
			       .p = p,
			       .req = *req,
			       .app = *app };
	snprintf(j->name, sizeof(j->name), "%s", p->name);
	pthread_mutex_lock(&m->apps->lock);
	m->apps->refs++;
	pthread_mutex_unlock(&m->apps->lock);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	r = -pthread_create(&t, &attr, app_thread, j);
	pthread_attr_destroy(&attr);
	if (r < 0) {
		app_queue_unref(m->apps);
		return r;
	}
	TAKE_PTR(j);
	m->apps_running++;
	p->app_busy = true;
	return 0;
}

void manager_port_application(struct manager *m, struct port *p)
{
	struct optic_dp_request req;
	struct optic_app app;
	int r;

	if (!p->app_due || p->app_refused || p->app_busy || !p->present ||
	    p->fresh || p->info.state != OPTIC_STATE_READY)
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
	/*
	 * Never reconfigure a module in the middle of a firmware flash; the
	 * ports beyond APP_PARALLEL wait for a later poll.
	 */
	if (optic_fw_locked(m->fw_lock_dir, p->name) > 0 ||
	    m->apps_running >= APP_PARALLEL)
		return;
	r = app_start(m, p, &req, &app);
	if (r < 0) {
		/* Left due: a later poll tries again. */
		log_event(LOG_WARNING, r, p->name, -1, NULL, MSGID_APPLICATION,
			  "failed to start applying application %u",
			  app.appsel);
		return;
	}
	p->app_due = false;
}
