// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl events: the driver's flight recorder, the timeline of a port (or
 * of all, merged by sequence number) with sub-millisecond local and boot
 * times, flags named, and the monitors the driver read with a
 * link-affecting record printed beside it. --follow goes on with the
 * records the monitor group's events announce. One record per line of
 * text (a snapshot adds indented lines), one JSON object per line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cdb.h"
#include "opticctl.h"

#define EVENTS_USAGE                                                               \
	"usage: opticctl events PORT|all [--since SEQ|TIME] [--follow] [--json]\n" \
	"       opticctl events PORT|all --clear"

/* A followed port: where its timeline goes on, and its module's spec. */
struct ev_port {
	char name[OPTIC_PORT_NAME_LEN];
	uint8_t spec;
	uint64_t next;
	uint64_t overflow; /* records the ring overwrote, as last reported */
};

struct ev {
	struct oc *c;
	unsigned int pflags;
	uint64_t since_ns; /* --since TIME: realtime, 0: none */
	struct ev_port *ports;
	size_t n;
	/* records collected for one merged listing */
	struct optic_nl_record *recs;
	size_t nrecs, cap;
	struct ev_port *cur; /* the port being fetched */
	int status; /* --follow: the exit status of a failed fetch */
};

static const char *const who_names[] = {
	[OPTIC_WHO_DRIVER] = "driver",
	[OPTIC_WHO_NETLINK] = "netlink",
	[OPTIC_WHO_SYSFS] = "sysfs",
};

/* CMIS 5.2 chapter 9: the firmware commands the recorder keeps, by name. */
struct cdb_cmd {
	uint16_t id;
	const char *text;
	const char *key;
};

static const struct cdb_cmd cdb_cmds[] = {
	{ CDB_CMD_FW_FEATURES, "firmware features", "features" },
	{ CDB_CMD_FW_INFO, "firmware info", "info" },
	{ CDB_CMD_FW_START, "start download", "start_download" },
	{ CDB_CMD_FW_ABORT, "abort download", "abort_download" },
	{ CDB_CMD_FW_WRITE_LPL, "write LPL", "write_lpl" },
	{ CDB_CMD_FW_WRITE_EPL, "write EPL", "write_epl" },
	{ CDB_CMD_FW_COMPLETE, "complete download", "complete_download" },
	{ CDB_CMD_FW_RUN, "run image", "run_image" },
	{ CDB_CMD_FW_COMMIT, "commit image", "commit_image" },
};

static const struct cdb_cmd *cdb_cmd_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cdb_cmds); i++)
		if (cdb_cmds[i].id == id)
			return &cdb_cmds[i];
	return NULL;
}

/* CdbStatus1 (CMIS 5.2 Table 8-13) as a stable enum; NULL for the write. */
static const char *cdb_result(uint8_t status)
{
	if (!status)
		return NULL;
	if (status & CDB_STATUS_BUSY)
		return "busy";
	return status & CDB_STATUS_FAILED ? "failed" : "success";
}

static const char *who_name(uint8_t who)
{
	return who < ARRAY_SIZE(who_names) && who_names[who] ? who_names[who] :
							       "unknown";
}

static void print_who(struct optic_print *p, const struct optic_nl_record *r)
{
	if (!(r->ev.attrs & OPTIC_ATTR(OPTIC_A_RECORD_WHO)))
		return;
	op_string(p, "who", " by %s", who_name(r->who));
	if (r->pid)
		op_uint(p, "pid", " pid %" PRIu64, r->pid);
}

/*
 * A firmware step: "0101h start download written by pid 123 (netlink)",
 * or its completion "0101h start download: success".
 */
static void print_firmware(struct optic_print *p,
			   const struct optic_nl_record *r)
{
	const struct cdb_cmd *c = cdb_cmd_find(r->cdb_cmd);
	const char *result;

	op_uint(p, "cdb_command",
		c ? ": %04" PRIX64 "h" : ": command %04" PRIX64 "h",
		r->cdb_cmd);
	if (c) {
		op_string(p, "cdb_command_name", NULL, c->key);
		op_text(p, " %s", c->text);
	} else {
		op_null(p, "cdb_command_name", NULL);
	}
	op_uint(p, "cdb_status", NULL, r->cdb_status);
	/* text: the write names who sent it, the completion its status */
	result = cdb_result(r->cdb_status);
	if (result)
		op_string(p, "cdb_result", NULL, result);
	else
		op_null(p, "cdb_result", " written");
	if (r->pid)
		op_uint(p, "pid", result ? NULL : " by pid %" PRIu64, r->pid);
	if (r->ev.attrs & OPTIC_ATTR(OPTIC_A_RECORD_WHO))
		op_string(p, "who",
			  result ? NULL :
			  r->pid ? " (%s)" :
				   " by %s",
			  who_name(r->who));
	if (result)
		op_string(p, "cdb_status_text", ": %s",
			  optic_cdb_status_str(r->cdb_status));
}

static void print_time(struct optic_print *p, const struct optic_nl_record *r)
{
	time_t sec = (time_t)(r->realtime_ns / 1000000000u);
	char buf[64], zone[8];
	struct tm tm;

	localtime_r(&sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	if (optic_print_is_json(p)) {
		/* ISO 8601 with the offset: one string jq can compare */
		buf[10] = 'T';
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			 ".%06u%s",
			 (unsigned int)(r->realtime_ns % 1000000000u / 1000),
			 zone);
		op_string(p, "time", NULL, buf);
	} else {
		op_text(p, "%s.%06u boot %" PRIu64 ".%06u ", buf,
			(unsigned int)(r->realtime_ns % 1000000000u / 1000),
			r->ev.boottime_ns / 1000000000u,
			(unsigned int)(r->ev.boottime_ns % 1000000000u / 1000));
	}
	op_uint(p, "realtime_ns", NULL, r->realtime_ns);
	op_uint(p, "boottime_ns", NULL, r->ev.boottime_ns);
}

/* What only records carry: who made a control change, its value, errors. */
static void print_record_part(struct optic_print *p,
			      const struct optic_nl_record *r)
{
	switch (r->ev.type) {
	case OPTIC_EVENT_LPMODE:
		op_bool(p, "lpmode", r->lpmode ? " on" : " off", r->lpmode);
		break;
	case OPTIC_EVENT_TX_DISABLE:
		op_uint(p, "tx_disable", " 0x%" PRIx64, r->tx_disable);
		op_uint(p, "tx_disable_mask", " mask 0x%" PRIx64,
			r->tx_disable_mask);
		break;
	case OPTIC_EVENT_FIRMWARE:
		/* who sent it belongs to the write's own words */
		print_firmware(p, r);
		break;
	default:
		break;
	}
	if (r->ev.type != OPTIC_EVENT_FIRMWARE)
		print_who(p, r);
	if (r->err) {
		op_uint(p, "errno", NULL, r->err);
		op_string(p, "error", ": %s", strerror((int)r->err));
	}
	op_uint(p, "overflow", NULL, r->overflow);
}

/*
 * One VDM value of a snapshot, decoded by lib/vdm.c's type table: F16
 * (BER, FERC) with 4 significant digits, the others with the type's
 * decimals; an unknown type's raw value.
 */
static void print_vdm(struct optic_print *p, const struct optic_snap_vdm *v,
		      const char *sep)
{
	const struct optic_vdm_type *t = optic_vdm_type_find(v->type);
	int prec = !t ? 0 : t->encoding == OPTIC_VDM_F16 ? -4 : t->prec;
	double x = optic_vdm_value(t, v->raw);

	op_open_object(p, NULL);
	op_uint(p, "type_id", NULL, v->type);
	if (t) {
		op_string(p, "key", NULL, t->json_key);
		op_text(p, "%s%s", sep, t->name);
	} else {
		op_null(p, "key", NULL);
		op_text(p, "%sVDM type %u", sep, v->type);
	}
	op_float(p, "value", NULL, x, prec);
	op_text(p, prec < 0 ? " %.*g" : " %.*f", prec < 0 ? -prec : prec, x);
	if (t && t->unit)
		op_string(p, "unit", " %s", t->unit);
	else
		op_null(p, "unit", NULL);
	op_close_object(p);
}

/* Lane @l's monitors and VDM values (a lane past the monitors may have some). */
static void print_lane(struct optic_print *p, const struct optic_nl_record *r,
		       unsigned int l)
{
	const char *sep = l < r->lanes ? ", " : " ";
	unsigned int i;

	op_open_object(p, NULL);
	op_uint(p, "lane", "\n    lane %" PRIu64 ":", l + 1);
	if (l < r->lanes) {
		op_float(p, "tx_power_mw", " tx %.4f mW",
			 r->tx_power[l] * 0.0001, 4);
		op_float(p, "tx_bias_ma", " bias %.3f mA",
			 r->bias[l] * 0.002 * (1u << r->bias_shift), 3);
		op_float(p, "rx_power_mw", " rx %.4f mW",
			 r->rx_power[l] * 0.0001, 4);
	}
	if (r->nvdm) {
		op_open_array(p, "vdm");
		for (i = 0; i < r->nvdm; i++)
			if (r->vdm[i].lane == l) {
				print_vdm(p, &r->vdm[i], sep);
				sep = ", ";
			}
		op_close_array(p);
	}
	op_close_object(p);
}

/*
 * The monitors read with the record, scaled as `opticctl dom` scales them,
 * and the module's VDM values (eSNR, LTP, pre-FEC BER, FERC) beside them.
 */
static bool lane_has_vdm(const struct optic_nl_record *r, unsigned int l)
{
	unsigned int i;

	for (i = 0; i < r->nvdm; i++)
		if (r->vdm[i].lane == l)
			return true;
	return false;
}

static void print_snapshot(struct optic_print *p,
			   const struct optic_nl_record *r)
{
	unsigned int l;

	if (!r->has_snap)
		return;
	op_open_object(p, "snapshot");
	op_text(p, "\n    snapshot");
	op_float(p, "temperature_c", " %.2f °C", (int16_t)r->temp / 256.0, 2);
	op_float(p, "vcc_v", " %.4f V", r->vcc * 0.0001, 4);
	op_open_array(p, "lanes");
	for (l = 0; l <= UINT8_MAX; l++)
		if (l < r->lanes || lane_has_vdm(r, l))
			print_lane(p, r, l);
	op_close_array(p);
	op_close_object(p);
}

static int print_record(struct ev *e, const struct optic_nl_record *r,
			uint8_t spec)
{
	struct optic_print *p;
	int ret;

	if (r->realtime_ns < e->since_ns)
		return 0;
	ret = optic_print_new(&p, stdout, e->pflags & ~OPTIC_PRINT_PRETTY);
	if (ret < 0)
		return ret;
	op_open_object(p, NULL);
	print_time(p, r);
	oc_print_event(p, &r->ev, r->ev.record_seq, spec);
	print_record_part(p, r);
	print_snapshot(p, r);
	op_text(p, "\n");
	op_close_object(p);
	ret = optic_print_flush(p);
	optic_print_free(p);
	return ret;
}

/* The spec flags are named after: the last inserted module's. */
static void track_spec(struct ev_port *port, const struct optic_nl_record *r)
{
	if (r->ev.type == OPTIC_EVENT_INSERTED &&
	    (r->ev.attrs & OPTIC_ATTR(OPTIC_A_SPEC)))
		port->spec = r->ev.spec;
	port->next = r->ev.record_seq + 1;
}

/* Never silent: the text says what the ring lost (JSON: "overflow"). */
static void note_overflow(struct ev *e, struct ev_port *port, uint64_t overflow)
{
	if (overflow > port->overflow && !(e->pflags & OPTIC_PRINT_JSON))
		printf("%s: %" PRIu64
		       " older records overwritten (ring full)\n",
		       port->name, overflow);
	port->overflow = overflow;
}

static int on_record_print(const struct optic_nl_record *r, void *arg)
{
	struct ev *e = arg;

	note_overflow(e, e->cur, r->overflow);
	track_spec(e->cur, r);
	return print_record(e, r, e->cur->spec);
}

static int on_record_collect(const struct optic_nl_record *r, void *arg)
{
	struct ev *e = arg;

	if (e->nrecs == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 256;
		void *v = reallocarray(e->recs, cap, sizeof(*e->recs));

		if (!v)
			return -ENOMEM;
		e->recs = v;
		e->cap = cap;
	}
	e->recs[e->nrecs++] = *r;
	return 0;
}

static int by_seq(const void *a, const void *b)
{
	const struct optic_nl_record *x = a, *y = b;

	return (x->ev.record_seq > y->ev.record_seq) -
	       (x->ev.record_seq < y->ev.record_seq);
}

static struct ev_port *port_named(struct ev *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (streq(e->ports[i].name, name))
			return &e->ports[i];
	return NULL;
}

static int fetch(struct ev *e, struct ev_port *port, optic_record_cb cb)
{
	int r;

	e->cur = port;
	r = optic_nl_record_get(e->c->nl, port->name, port->next, cb, e);
	if (r < 0)
		return oc_fail(e->c, r, "records of %s", port->name);
	return 0;
}

/* Every port's records so far, merged in sequence order. */
static int list_all(struct ev *e)
{
	size_t i;
	int r;

	for (i = 0; i < e->n; i++) {
		r = fetch(e, &e->ports[i], on_record_collect);
		if (r)
			return r;
	}
	/* the records of one port all have its count: the last one's */
	for (i = 0; i < e->nrecs; i++)
		note_overflow(e, port_named(e, e->recs[i].ev.name),
			      e->recs[i].overflow);
	qsort(e->recs, e->nrecs, sizeof(*e->recs), by_seq);
	for (i = 0; i < e->nrecs; i++) {
		struct ev_port *port = port_named(e, e->recs[i].ev.name);

		track_spec(port, &e->recs[i]);
		r = print_record(e, &e->recs[i], port->spec);
		if (r < 0)
			return oc_fail(NULL, r, "writing output");
	}
	return 0;
}

/* An event announces a record: print the port's new ones. */
static int on_event(const struct optic_nl_event *ev, void *arg)
{
	struct ev *e = arg;
	struct ev_port *port = port_named(e, ev->name);

	if (!port || !ev->record_seq || ev->record_seq < port->next)
		return 0;
	e->status = fetch(e, port, on_record_print);
	/* non-zero stops the monitor */
	return e->status;
}

/*
 * Records without an event (flag_cleared, controls, bus errors) show up
 * with the port's next event, or within a second.
 */
static int follow(struct ev *e)
{
	size_t i;
	int r;

	for (;;) {
		r = optic_nl_monitor(e->c->nl, 1000, on_event, e);
		if (e->status)
			return e->status;
		if (r < 0)
			return oc_fail(e->c, r, "monitor");
		for (i = 0; i < e->n; i++) {
			r = fetch(e, &e->ports[i], on_record_print);
			if (r)
				return r;
		}
	}
}

/*
 * --since: a sequence number, or a time: @EPOCH[.FRACTION], -N[smhd] (ago),
 * or local "YYYY-MM-DD HH:MM[:SS]" (a T may separate date and time).
 */
static int parse_since(const char *s, uint64_t *seq, uint64_t *ns)
{
	static const struct {
		char unit;
		unsigned int secs;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 } };
	struct timespec now;
	struct tm tm = { .tm_isdst = -1 };
	char *end;
	double d;
	size_t i;

	if (*s >= '0' && *s <= '9' && !strpbrk(s, "-: T")) {
		*seq = strtoull(s, &end, 10);
		return *end ? -EINVAL : 0;
	}
	if (*s == '@') {
		d = strtod(s + 1, &end);
		if (*end || d < 0)
			return -EINVAL;
		*ns = (uint64_t)(d * 1e9);
		return 0;
	}
	if (*s == '-') {
		d = strtod(s + 1, &end);
		for (i = 0; i < ARRAY_SIZE(units); i++)
			if (end[0] == units[i].unit && !end[1] && d >= 0)
				break;
		if (i == ARRAY_SIZE(units))
			return -EINVAL;
		clock_gettime(CLOCK_REALTIME, &now);
		d = (double)now.tv_sec + now.tv_nsec / 1e9 - d * units[i].secs;
		*ns = d > 0 ? (uint64_t)(d * 1e9) : 0;
		return 0;
	}
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end && (*end == ' ' || *end == 'T')) {
		const char *t = end + 1;

		end = strptime(t, "%H:%M:%S", &tm);
		if (!end)
			end = strptime(t, "%H:%M", &tm);
	}
	if (!end || *end)
		return -EINVAL;
	*ns = (uint64_t)mktime(&tm) * 1000000000u;
	return 0;
}

/* Drop the ports' records (CAP_NET_ADMIN); the driver refuses others. */
static int clear(struct ev *e)
{
	size_t i;
	int r;

	for (i = 0; i < e->n; i++) {
		r = optic_nl_record_clear(e->c->nl, e->ports[i].name);
		if (r == -EPERM)
			return oc_fail(
				e->c, r,
				"clearing the records of %s needs CAP_NET_ADMIN (run it as root)",
				e->ports[i].name);
		if (r < 0)
			return oc_fail(e->c, r, "clearing the records of %s",
				       e->ports[i].name);
		op_text(e->c->p, "%s: records cleared\n", e->ports[i].name);
	}
	return OC_OK;
}

static void add_port(struct ev *e, const struct optic_module_info *m,
		     uint64_t since)
{
	struct ev_port *port = &e->ports[e->n++];

	snprintf(port->name, sizeof(port->name), "%s", m->name);
	port->spec = m->spec ?: OPTIC_SPEC_CMIS;
	port->next = since;
}

int cmd_events(struct oc *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "follow", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "clear", no_argument, NULL, 'c' },
		{}
	};
	_cleanup_free_ struct optic_module_info *mods = NULL;
	_cleanup_free_ struct ev_port *ports = NULL;
	struct optic_module_info one;
	struct ev e = { .c = c, .pflags = c->pflags };
	uint64_t since = 0;
	bool follow_on = false, clear_on = false, all;
	size_t n = 1, i;
	int o, r;

	optind = 0; /* glibc: re-initialise, permute arguments again */
	while ((o = getopt_long(argc, argv, "s:fjc", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			if (parse_since(optarg, &since, &e.since_ns) < 0)
				return oc_usage("bad --since '%s'", optarg);
			break;
		case 'f':
			follow_on = true;
			break;
		case 'j':
			e.pflags |= OPTIC_PRINT_JSON;
			break;
		case 'c':
			clear_on = true;
			break;
		default:
			return oc_usage(EVENTS_USAGE);
		}
	}
	if (optind + 1 != argc || (clear_on && (follow_on || since)))
		return oc_usage(EVENTS_USAGE);
	all = streq(argv[optind], "all");
	if (all) {
		r = oc_ports(c, &mods, &n);
		if (r < 0)
			return -r;
	} else {
		r = oc_port(c, argv[optind], &one);
		if (r < 0)
			return -r;
	}
	ports = calloc(n ?: 1, sizeof(*ports));
	if (!ports)
		return oc_fail(NULL, -ENOMEM, "events");
	e.ports = ports;
	for (i = 0; i < n; i++)
		add_port(&e, all ? &mods[i] : &one, since);
	if (clear_on)
		return clear(&e);
	/* --follow: records are printed as they come */
	setvbuf(stdout, NULL, _IOLBF, 0);
	r = list_all(&e);
	free(e.recs);
	if (r || !follow_on)
		return r;
	return follow(&e);
}
