// SPDX-License-Identifier: GPL-2.0-or-later
/* The status socket: one JSON document per connection (status.h). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "log.h"
#include "manager.h"
#include "status.h"
#include "util.h"

struct status_server {
	int fd;
	char *path;
	sd_event_source *io;
};

DEFINE_TRIVIAL_CLEANUP_FUNC(json_object *, json_object_put)

static json_object *jnum(double v)
{
	/* JSON has no NaN or infinity: null stands for both. */
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

static void add(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

static const char *const pred_names[_PRED_MAX] = {
	[PRED_TX_POWER] = "tx_power",
	[PRED_RX_POWER] = "rx_power",
	[PRED_TX_BIAS] = "tx_bias",
};

/* The port's last link-affecting records, oldest first. */
static json_object *link_json(const struct port *p)
{
	json_object *a = json_object_new_array(), *x;
	const struct link_event *e;

	for (unsigned int i = 0; (e = link_last(&p->link, i)); i++) {
		x = json_object_new_object();
		add(x, "seq", json_object_new_int64((int64_t)e->seq));
		add(x, "realtime_ns",
		    json_object_new_int64((int64_t)e->realtime_ns));
		if (e->lane >= 0)
			add(x, "lane", json_object_new_int(e->lane + 1));
		add(x, "flag", json_object_new_string(e->flag));
		/* the modules' resolution, 0.1 uW */
		add(x, "rx_power_mw", jnum(round(e->rx_power * 1e7) / 1e4));
		json_object_array_add(a, x);
	}
	return a;
}

static json_object *port_json(const struct manager *m, const struct port *p)
{
	json_object *o = json_object_new_object(), *a, *x;

	add(o, "port", json_object_new_string(p->name));
	add(o, "present", json_object_new_boolean(p->present));
	add(o, "link_events", link_json(p));
	if (!p->present)
		return o;
	add(o, "state",
	    json_object_new_string(optic_state_name(p->info.state)));
	add(o, "vendor", json_object_new_string(p->info.vendor_name));
	add(o, "pn", json_object_new_string(p->info.vendor_pn));
	add(o, "sn", json_object_new_string(p->info.vendor_sn));
	add(o, "firmware", json_object_new_string(p->firmware));
	add(o, "lanes", json_object_new_int(p->lanes));
	add(o, "max_power_w", jnum(p->max_power));
	add(o, "temperature_c", jnum(p->have_sample ? p->last.temp : NAN));
	add(o, "supply_voltage_v", jnum(p->have_sample ? p->last.vcc : NAN));
	add(o, "ignored", json_object_new_boolean(p->set.ignore));

	/* Thresholds policy: only what is not ok. */
	a = json_object_new_array();
	for (int mon = 0; mon < _MON_MAX; mon++) {
		unsigned int nl = monitor_per_lane(mon) ? p->lanes : 1;

		for (unsigned int l = 0; l < nl; l++) {
			if (p->level[mon][l] == LEVEL_OK)
				continue;
			x = json_object_new_object();
			add(x, "monitor",
			    json_object_new_string(monitor_name(mon)));
			if (monitor_per_lane(mon))
				add(x, "lane", json_object_new_int(l + 1));
			add(x, "level",
			    json_object_new_string(
				    level_name(p->level[mon][l])));
			json_object_array_add(a, x);
		}
	}
	add(o, "threshold_alerts", a);

	x = json_object_new_object();
	add(x, "engaged", json_object_new_boolean(p->thermal.engaged));
	add(x, "limit_c", jnum(p->set.thermal_limit));
	add(o, "thermal", x);

	x = json_object_new_object();
	add(x, "attempts", json_object_new_int(p->recovery.attempts));
	add(x, "failed", json_object_new_boolean(p->recovery.failed));
	add(o, "recovery", x);

	x = json_object_new_object();
	add(x, "held", json_object_new_boolean(p->power_held));
	add(x, "priority", json_object_new_int(p->set.priority));
	add(x, "group",
	    json_object_new_string(p->set.group < m->cfg->n_groups ?
					   m->cfg->groups[p->set.group].name :
					   "?"));
	add(x, "lpmode_forced", json_object_new_boolean(p->lpmode_ours));
	add(o, "power", x);

	a = json_object_new_array();
	for (int k = 0; k < _PRED_MAX; k++)
		for (unsigned int l = 0; l < p->lanes; l++) {
			const struct prediction *pr = &p->pred[k][l];

			if (!pr->valid)
				continue;
			x = json_object_new_object();
			add(x, "monitor",
			    json_object_new_string(pred_names[k]));
			add(x, "lane", json_object_new_int(l + 1));
			add(x, "seconds_to_alarm", jnum(pr->tta));
			add(x, "slope_per_day", jnum(pr->slope * 86400));
			add(x, "warning", json_object_new_boolean(pr->warn));
			json_object_array_add(a, x);
		}
	add(o, "predictions", a);

	a = json_object_new_array();
	for (int k = 0; k < _FLAP_KIND_MAX; k++)
		for (unsigned int l = 0; l < OPTICD_MAX_LANES; l++) {
			const struct lane_flag *lf = port_flag(p, k, l);

			if (!lf || !lf->total)
				continue;
			x = json_object_new_object();
			add(x, "flag",
			    json_object_new_string(flap_kind_name(k)));
			add(x, "lane", json_object_new_int(l + 1));
			add(x, "total", json_object_new_int64(lf->total));
			add(x, "in_window",
			    json_object_new_int(flap_count(
				    &m->cfg->flap, &lf->flap, now_realtime())));
			add(x, "alerting",
			    json_object_new_boolean(lf->flap.alerting));
			json_object_array_add(a, x);
		}
	add(o, "flags", a);
	return o;
}

int status_render(const struct manager *m, char **out)
{
	_cleanup_(json_object_putp)
		json_object *root = json_object_new_object();
	json_object *a, *x;
	const char *s;

	if (!root)
		return -ENOMEM;
	add(root, "version", json_object_new_string(OPTIC_VERSION));
	add(root, "driver",
	    json_object_new_string(m->driver_up ? "up" : "down"));
	add(root, "config", json_object_new_string(m->config_path));
	add(root, "start_time", json_object_new_int64(m->start_time));

	x = json_object_new_object();
	for (int i = 0; i < _POLICY_MAX; i++) {
		json_object *pj = json_object_new_object();

		add(pj, "enabled",
		    json_object_new_boolean(m->cfg->policy[i].enabled));
		add(pj, "action",
		    json_object_new_string(
			    action_name(m->cfg->policy[i].action)));
		add(x, policy_name(i), pj);
	}
	add(root, "policies", x);

	a = json_object_new_array();
	for (size_t i = 0; i < m->n_ports; i++)
		if (m->ports[i]->known || m->ports[i]->present)
			json_object_array_add(a, port_json(m, m->ports[i]));
	add(root, "ports", a);

	a = json_object_new_array();
	for (size_t i = 0; i < m->log_len; i++) {
		const struct action_record *r =
			&m->log[(m->log_head + ACTION_LOG_LEN - m->log_len + i) %
				ACTION_LOG_LEN];

		x = json_object_new_object();
		add(x, "time", json_object_new_int64(r->time));
		add(x, "port", json_object_new_string(r->port));
		if (r->lane >= 0)
			add(x, "lane", json_object_new_int(r->lane + 1));
		add(x, "policy",
		    json_object_new_string(policy_name(r->policy)));
		add(x, "action", json_object_new_string(action_name(r->mode)));
		add(x, "message", json_object_new_string(r->text));
		json_object_array_add(a, x);
	}
	add(root, "actions", a);

	s = json_object_to_json_string_ext(
		root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	*out = s ? strdup(s) : NULL;
	return *out ? 0 : -ENOMEM;
}

static int on_accept(sd_event_source *src, int fd, uint32_t revents,
		     void *userdata)
{
	struct manager *m = userdata;
	_cleanup_free_ char *doc = NULL;
	_cleanup_close_ int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	struct timeval tv = { .tv_sec = 1 };
	size_t len, off = 0;

	if (c < 0)
		return 0;
	if (status_render(m, &doc) < 0)
		return 0;
	/* Blocking, with a bound: a stuck reader costs at most a second. */
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	len = strlen(doc);
	doc[len] = '\0';
	while (off < len) {
		ssize_t n = send(c, doc + off, len - off, MSG_NOSIGNAL);

		if (n <= 0)
			break;
		off += n;
	}
	if (off == len)
		send(c, "\n", 1, MSG_NOSIGNAL);
	return 0;
}

int status_start(struct manager *m)
{
	const char *path = m->cfg->status_socket;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct status_server *s;
	_cleanup_free_ char *dir = NULL;
	char *slash;
	int fd, r;

	if (!path || !*path)
		return 0;
	if (strlen(path) >= sizeof(sa.sun_path))
		return log_errno(ENAMETOOLONG, "status_socket %s", path);
	dir = strdup(path);
	if (!dir)
		return log_errno(ENOMEM, "out of memory");
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return log_errno(errno, "failed to create %s", dir);
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return log_errno(errno, "failed to create the status socket");
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(path, 0660) < 0 || listen(fd, 16) < 0) {
		r = -errno;
		close(fd);
		return log_errno(r, "failed to listen on %s", path);
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		free(s);
		close(fd);
		return log_errno(ENOMEM, "out of memory");
	}
	s->fd = fd;
	r = sd_event_add_io(m->event, &s->io, fd, EPOLLIN, on_accept, m);
	if (r < 0) {
		close(fd);
		free(s->path);
		free(s);
		return log_errno(r, "failed to watch the status socket");
	}
	m->status = s;
	return 0;
}

void status_stop(struct manager *m)
{
	struct status_server *s = m->status;

	if (!s)
		return;
	sd_event_source_disable_unref(s->io);
	close(s->fd);
	unlink(s->path);
	free(s->path);
	free(s);
	m->status = NULL;
}

int status_reconfigure(struct manager *m, const struct config *old)
{
	if (old && streq(old->status_socket, m->cfg->status_socket))
		return 0;
	status_stop(m);
	return status_start(m);
}
