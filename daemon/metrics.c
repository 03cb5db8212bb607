// SPDX-License-Identifier: GPL-2.0-or-later
/* Prometheus metrics: rendering, libmicrohttpd server, textfile output. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include "log.h"
#include "manager.h"
#include "metrics.h"
#include "numfmt.h"
#include "readers.h"
#include "util.h"
#include "webconfig.h"

#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define CONTENT_TYPE_OM \
	"application/openmetrics-text; version=1.0.0; charset=utf-8"

struct metrics_server {
	struct MHD_Daemon *d;
	sd_event_source *io;
	sd_event_source *timer;
	struct manager *m;
};

/*
 * A memory stream only this thread writes: without stdio's per-call lock
 * (opticd has reader threads, so each fputc() would take it).
 */
static FILE *stream_open(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (f)
		__fsetlocking(f, FSETLOCKING_BYCALLER);
	return f;
}

/*
 * The texts of a scrape (each port's block, the daemon's and the buses'
 * families) are rendered into one memory stream per thread, kept and
 * rewound, and copied out at their size: a stream opened per text grows
 * by doubling, and glibc zeroes each part it adds (at 512 ports ~8 MB of
 * memset a scrape).
 */
static _Thread_local struct {
	FILE *f;
	char *buf;
	size_t len;
} scratch;

/* The scratch stream, empty; NULL when out of memory. */
static FILE *scratch_open(void)
{
	if (!scratch.f) {
		scratch.f = stream_open(&scratch.buf, &scratch.len);
		if (!scratch.f)
			return NULL;
	}
	rewind(scratch.f);
	return scratch.f;
}

/* What @f (the scratch) holds, copied into @text (malloc'ed, 0-ended). */
static int scratch_take(FILE *f, char **text, size_t *len)
{
	long n;

	if (fflush(f) || ferror(f) || (n = ftell(f)) < 0)
		return -ENOMEM;
	*text = malloc(n + 1);
	if (!*text)
		return -ENOMEM;
	memcpy(*text, scratch.buf, n);
	(*text)[n] = '\0';
	*len = n;
	return 0;
}

/* The server stops (exit, reconfigure): the scratch's memory goes back. */
static void scratch_close(void)
{
	if (scratch.f)
		fclose(scratch.f);
	free(scratch.buf);
	scratch.f = NULL;
	scratch.buf = NULL;
}

/* Label values: backslash, double quote and newline are escaped. */
static void esc(FILE *f, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "\\\"\n");

		fwrite(s, 1, n, f);
		s += n;
		if (!*s)
			return;
		fputc('\\', f);
		fputc(*s == '\n' ? 'n' : *s, f);
		s++;
	}
}

static void head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* " %.7g\n" (fmt_g7(): printf's bytes, a fraction of its cost) */
static void val(FILE *f, double v)
{
	char buf[FMT_G7_LEN + 1];
	size_t n;

	if (isnan(v)) {
		fputs(" NaN\n", f);
	} else if (isinf(v)) {
		fputs(v > 0 ? " +Inf\n" : " -Inf\n", f);
	} else {
		buf[0] = ' ';
		n = 1 + fmt_g7(buf + 1, v);
		buf[n++] = '\n';
		fwrite(buf, 1, n, f);
	}
}

/* %llu without printf. */
static void put_u64(FILE *f, uint64_t n)
{
	char buf[20], *p = buf + sizeof(buf);

	do
		*--p = '0' + n % 10;
	while (n /= 10);
	fwrite(p, 1, buf + sizeof(buf) - p, f);
}

/* @ns nanoseconds in seconds, every digit: "12.0345", "0". */
static void put_seconds(FILE *f, uint64_t ns)
{
	char frac[10];
	uint32_t r = ns % 1000000000;
	size_t n = sizeof(frac);

	put_u64(f, ns / 1000000000);
	if (!r)
		return;
	frac[0] = '.';
	for (size_t i = sizeof(frac) - 1; i > 0; i--, r /= 10)
		frac[i] = '0' + r % 10;
	while (frac[n - 1] == '0')
		n--;
	fwrite(frac, 1, n, f);
}

static void port_label(FILE *f, const char *name, const struct port *p)
{
	fputs(name, f);
	fputs("{port=\"", f);
	esc(f, p->name);
	fputc('"', f);
}

static void port_metric(FILE *f, const char *name, const struct port *p,
			double v)
{
	port_label(f, name, p);
	fputc('}', f);
	val(f, v);
}

static void lane_metric(FILE *f, const char *name, const struct port *p,
			unsigned int lane, double v)
{
	port_label(f, name, p);
	fputs(",lane=\"", f);
	put_u64(f, lane + 1);
	fputs("\"}", f);
	val(f, v);
}

/* Metric-style names of the monitors, for the monitor= label. */
static const char *const mon_label[_MON_MAX] = {
	[MON_TEMP] = "temperature_celsius", [MON_VCC] = "supply_voltage_volts",
	[MON_TX_POWER] = "tx_power_watts",  [MON_RX_POWER] = "rx_power_watts",
	[MON_TX_BIAS] = "tx_bias_amperes",
};

static const char *const state_names[] = {
	[OPTIC_STATE_UNKNOWN] = "unknown", [OPTIC_STATE_LOWPWR] = "lowpwr",
	[OPTIC_STATE_PWRUP] = "pwrup",	   [OPTIC_STATE_READY] = "ready",
	[OPTIC_STATE_PWRDN] = "pwrdn",	   [OPTIC_STATE_FAULT] = "fault",
};

static const enum monitor pred_mon[_PRED_MAX] = {
	[PRED_TX_POWER] = MON_TX_POWER,
	[PRED_RX_POWER] = MON_RX_POWER,
	[PRED_TX_BIAS] = MON_TX_BIAS,
};

/*
 * A per-port metric family: its name, type and help, and how one port's
 * samples are written. Simple families name a getter (a port gauge, a
 * lane gauge's field of the sample, a port counter); the others write
 * their samples themselves.
 */
struct port_family {
	const char *name, *type, *help;
	void (*samples)(FILE *f, const struct port_family *fam,
			const struct port *p);
	double (*gauge)(const struct port *p); /* NaN: no sample */
	size_t lane_field; /* offsetof(struct sample, ARRAY) */
	uint64_t (*counter)(const struct port *p);
	const char *model_key; /* a per-lane code of the decoded model */
	bool sample; /* shows the last sample's values only */
};

/* A gauge of a present module; NaN: none. */
static void port_gauge(FILE *f, const struct port_family *fam,
		       const struct port *p)
{
	double v = p->present ? fam->gauge(p) : NAN;

	if (!isnan(v))
		port_metric(f, fam->name, p, v);
}

/* A lane monitor of the last sample (live lanes only: NaN otherwise). */
static void lane_gauge(FILE *f, const struct port_family *fam,
		       const struct port *p)
{
	const float *v =
		(const float *)((const char *)&p->last + fam->lane_field);

	if (!p->present || !p->have_sample)
		return;
	for (unsigned int l = 0; l < p->lanes; l++)
		if (!isnan(v[l]))
			lane_metric(f, fam->name, p, l, v[l]);
}

/* A lane code of the module's model (CMIS): its raw value per host lane. */
static void model_lane_samples(FILE *f, const struct port_family *fam,
			       const struct port *p)
{
	for (unsigned int l = 0; p->present && l < p->lanes; l++) {
		const struct optic_value *v =
			optic_model_get(&p->model, fam->model_key, NULL, l);

		if (v)
			lane_metric(f, fam->name, p, l, v->raw);
	}
}

/* A counter of every port opticd has seen, present or not. */
static void port_counter(FILE *f, const struct port_family *fam,
			 const struct port *p)
{
	port_label(f, fam->name, p);
	fprintf(f, "} %llu\n", (unsigned long long)fam->counter(p));
}

static void present_samples(FILE *f, const struct port_family *fam,
			    const struct port *p)
{
	if (p->known)
		port_metric(f, fam->name, p, p->present);
}

static void info_samples(FILE *f, const struct port_family *fam,
			 const struct port *p)
{
	if (!p->present)
		return;
	port_label(f, fam->name, p);
	fputs(",vendor=\"", f);
	esc(f, p->info.vendor_name);
	fputs("\",pn=\"", f);
	esc(f, p->info.vendor_pn);
	fputs("\",sn=\"", f);
	esc(f, p->info.vendor_sn);
	fputs("\",rev=\"", f);
	esc(f, p->info.vendor_rev);
	fputs("\",fw=\"", f);
	esc(f, p->firmware);
	fprintf(f, "\",spec=\"%s\"} 1\n", optic_spec_name(p->info.spec));
}

static void state_samples(FILE *f, const struct port_family *fam,
			  const struct port *p)
{
	for (size_t s = 0; p->present && s < ARRAY_SIZE(state_names); s++) {
		port_label(f, fam->name, p);
		fprintf(f, ",state=\"%s\"} %d\n", state_names[s],
			p->info.state == s);
	}
}

static void threshold_samples(FILE *f, const struct port_family *fam,
			      const struct port *p)
{
	static const char *const lvl[] = { "high_alarm", "high_warning",
					   "low_warning", "low_alarm" };

	for (int mon = 0; p->present && mon < _MON_MAX; mon++) {
		const double t[4] = { p->thr[mon].high_alarm,
				      p->thr[mon].high_warning,
				      p->thr[mon].low_warning,
				      p->thr[mon].low_alarm };

		for (int j = 0; j < 4; j++) {
			if (isnan(t[j]))
				continue;
			port_label(f, fam->name, p);
			fprintf(f, ",monitor=\"%s\",level=\"%s\"}",
				mon_label[mon], lvl[j]);
			val(f, t[j]);
		}
	}
}

static void level_samples(FILE *f, const struct port_family *fam,
			  const struct port *p)
{
	if (!p->present || !p->have_sample)
		return;
	for (int mon = 0; mon < _MON_MAX; mon++) {
		unsigned int nl = monitor_per_lane(mon) ? p->lanes : 1;

		for (unsigned int l = 0; l < nl; l++) {
			if (isnan(sample_get(&p->last, mon, l)))
				continue;
			port_label(f, fam->name, p);
			if (monitor_per_lane(mon))
				fprintf(f, ",lane=\"%u\"", l + 1);
			fprintf(f, ",monitor=\"%s\"} %d\n", mon_label[mon],
				p->level[mon][l]);
		}
	}
}

/* The predictions of a present module: seconds to alarm, or the warning. */
static void predictions(FILE *f, const struct port_family *fam,
			const struct port *p, bool tta)
{
	for (int k = 0; p->present && k < _PRED_MAX; k++)
		for (unsigned int l = 0; l < p->lanes; l++) {
			const struct prediction *pr = &p->pred[k][l];

			if (!pr->valid)
				continue;
			port_label(f, fam->name, p);
			fprintf(f, ",lane=\"%u\",monitor=\"%s\"}", l + 1,
				mon_label[pred_mon[k]]);
			if (tta)
				val(f, pr->tta);
			else
				fprintf(f, " %d\n", pr->warn);
		}
}

static void tta_samples(FILE *f, const struct port_family *fam,
			const struct port *p)
{
	predictions(f, fam, p, true);
}

static void warn_samples(FILE *f, const struct port_family *fam,
			 const struct port *p)
{
	predictions(f, fam, p, false);
}

static void flags_samples(FILE *f, const struct port_family *fam,
			  const struct port *p)
{
	for (int k = 0; k < _FLAP_KIND_MAX; k++)
		for (unsigned int l = 0; l < OPTICD_MAX_LANES; l++) {
			if (!port_flags_total(p, k, l) && l >= p->lanes)
				continue;
			port_label(f, fam->name, p);
			fprintf(f, ",lane=\"%u\",flag=\"%s\"} %llu\n", l + 1,
				flap_kind_name(k),
				(unsigned long long)port_flags_total(p, k, l));
		}
}

static void flap_samples(FILE *f, const struct port_family *fam,
			 const struct port *p)
{
	for (int k = 0; k < _FLAP_KIND_MAX; k++)
		for (unsigned int l = 0; l < OPTICD_MAX_LANES; l++) {
			if (!port_flap_alerting(p, k, l))
				continue;
			port_label(f, fam->name, p);
			fprintf(f, ",lane=\"%u\",flag=\"%s\"} 1\n", l + 1,
				flap_kind_name(k));
		}
}

static void link_samples(FILE *f, const struct port_family *fam,
			 const struct port *p)
{
	for (unsigned int l = 0; l < OPTICD_MAX_LANES; l++) {
		uint64_t ns = p->link.lane_ns[l];

		if (!ns)
			continue;
		port_label(f, fam->name, p);
		fprintf(f, ",lane=\"%u\"} %" PRIu64 ".%03u\n", l + 1,
			ns / 1000000000u,
			(unsigned int)(ns % 1000000000u / 1000000u));
	}
}

static void action_samples(FILE *f, const struct port_family *fam,
			   const struct port *p)
{
	for (int pol = 0; pol < _POLICY_MAX; pol++)
		for (int a = 0; a < 2; a++) {
			if (!p->actions[pol][a])
				continue;
			port_label(f, fam->name, p);
			fprintf(f, ",policy=\"%s\",action=\"%s\"} %llu\n",
				policy_name(pol), action_name(a),
				(unsigned long long)p->actions[pol][a]);
		}
}

static double get_temp(const struct port *p)
{
	return p->have_sample ? p->last.temp : NAN;
}

static double get_vcc(const struct port *p)
{
	return p->have_sample ? p->last.vcc : NAN;
}

static double get_max_power(const struct port *p)
{
	return p->max_power;
}

static double get_lanes(const struct port *p)
{
	return p->lanes;
}

static double get_thermal(const struct port *p)
{
	return p->thermal.engaged;
}

static double get_attempts(const struct port *p)
{
	return p->recovery.attempts;
}

static double get_failed(const struct port *p)
{
	return p->recovery.failed;
}

static double get_held(const struct port *p)
{
	return p->power_held;
}

static double get_lpmode(const struct port *p)
{
	return p->lpmode_ours;
}

static uint64_t get_poll_errors(const struct port *p)
{
	return p->poll_errors;
}

static uint64_t get_insertions(const struct port *p)
{
	return p->insertions;
}

/* clang-format off: macros and rows, one family a row, in exposition order */
#define GAUGE(n, h, g)                                \
	{                                             \
		n, "gauge", h, port_gauge, .gauge = g \
	}
#define SAMPLE(n, h, g)                                               \
	{                                                             \
		n, "gauge", h, port_gauge, .gauge = g, .sample = true \
	}
#define LANE(n, h, field)                                             \
	{                                                             \
		n, "gauge", h, lane_gauge,                            \
			.lane_field = offsetof(struct sample, field), \
			.sample = true                                \
	}
#define MODEL_LANE(n, h, key)                                       \
	{                                                           \
		n, "gauge", h, model_lane_samples, .model_key = key \
	}
#define COUNTER(n, h, g)                                    \
	{                                                   \
		n, "counter", h, port_counter, .counter = g \
	}

static const struct port_family port_families[] = {
	{ .name = "optic_module_present",
	  .type = "gauge",
	  .help = "1 when a module is plugged into the port's cage.",
	  .samples = present_samples },
	{ .name = "optic_module_info",
	  .type = "gauge",
	  .help = "Identity of the module in the port (always 1).",
	  .samples = info_samples },
	{ .name = "optic_module_state",
	  .type = "gauge",
	  .help = "Module state (CMIS Table 8-6 names): 1 for the current one.",
	  .samples = state_samples },
	SAMPLE("optic_module_temperature_celsius", "Module case temperature.",
	       get_temp),
	SAMPLE("optic_module_supply_voltage_volts",
	       "Module supply voltage (Vcc).", get_vcc),
	GAUGE("optic_module_max_power_watts",
	      "Maximum power the module advertises.", get_max_power),
	GAUGE("optic_module_lanes", "Lanes monitored.", get_lanes),
	LANE("optic_lane_tx_power_watts", "Transmitted optical power.",
	     tx_power),
	LANE("optic_lane_rx_power_watts", "Received optical power.", rx_power),
	LANE("optic_lane_tx_bias_amperes", "Laser bias current.", tx_bias),
	MODEL_LANE(
		"optic_lane_application",
		"Active application of the host lane (CMIS AppSel; 0: in no data path).",
		"application"),
	MODEL_LANE(
		"optic_lane_datapath_state",
		"Data-path state of the host lane (CMIS 5.2 Table 8-72 code: 1 deactivated, 2 init, 3 deinit, 4 activated, 5 tx_turn_on, 6 tx_turn_off, 7 initialized).",
		"datapath_state"),
	{ .name = "optic_monitor_threshold",
	  .type = "gauge",
	  .help = "Effective threshold (module-advertised, or the operator's override), base units.",
	  .samples = threshold_samples },
	{ .name = "optic_monitor_level",
	  .type = "gauge",
	  .help = "Thresholds policy state per monitor: 0 ok, 1 warning, 2 alarm.",
	  .samples = level_samples },
	GAUGE("optic_thermal_engaged",
	      "1 while the thermal policy holds the module (LPMode or TX disable).",
	      get_thermal),
	GAUGE("optic_recovery_attempts",
	      "Resets done by the recovery policy since the module was last stable.",
	      get_attempts),
	GAUGE("optic_recovery_failed",
	      "1 when the recovery policy gave up on the module.", get_failed),
	GAUGE("optic_power_held",
	      "1 while the power budget policy holds the module in LPMode.",
	      get_held),
	GAUGE("optic_module_lpmode_forced",
	      "1 while opticd itself asserts LPMode on the module.",
	      get_lpmode),
	{ .name = "optic_lane_seconds_to_alarm",
	  .type = "gauge",
	  .help = "Predicted time until the lane's monitor reaches its alarm threshold (+Inf: not trending there).",
	  .samples = tta_samples },
	{ .name = "optic_lane_prediction_warning",
	  .type = "gauge",
	  .help = "1 when the predicted time to alarm is under the configured horizon.",
	  .samples = warn_samples },
	{ .name = "optic_lane_flags_total",
	  .type = "counter",
	  .help = "Latched LOS/LOL/TX-fault flags seen per lane.",
	  .samples = flags_samples },
	{ .name = "optic_lane_flap_alert",
	  .type = "gauge",
	  .help = "1 while the flap policy alerts on the lane's flag rate.",
	  .samples = flap_samples },
	{ .name = "optic_lane_last_link_event_timestamp_seconds",
	  .type = "gauge",
	  .help = "When the driver last recorded a link-affecting event on the lane (LOS, CDR LOL, TX fault, data path down, module fault), Unix seconds.",
	  .samples = link_samples },
	{ .name = "optic_policy_actions_total",
	  .type = "counter",
	  .help = "Policy decisions by port and policy; action=\"act\" when carried out, \"log\" when only logged.",
	  .samples = action_samples },
	COUNTER("optic_poll_errors_total", "Failed monitor reads per port.",
		get_poll_errors),
	COUNTER("optic_module_insertions_total",
		"Modules identified in the port since opticd started.",
		get_insertions),
};
/* clang-format on */

#define N_FAMILIES ARRAY_SIZE(port_families)

/*
 * A port's samples of every family as rendered once. Scrapes still sending
 * it hold references: a port rendered again (or removed) while a scrape is
 * sent does not change what that scrape sends.
 */
struct port_block {
	unsigned int refs;
	size_t off[N_FAMILIES + 1]; /* family i: text[off[i]..off[i + 1]) */
	char *text;
};

/* A port's block at its generations; NULL until rendered or on failure. */
struct port_metrics {
	struct port_block *blk;
	uint64_t gen, sample_gen;
};

static void block_put(struct port_block *b)
{
	if (b && !--b->refs) {
		free(b->text);
		free(b);
	}
}

struct port_metrics *metrics_port_new(void)
{
	return calloc(1, sizeof(struct port_metrics));
}

void metrics_port_free(struct port_metrics *pm)
{
	if (!pm)
		return;
	block_put(pm->blk);
	free(pm);
}

/*
 * @p's samples of every family, or of those showing its sample's values
 * (unless @all) with the others copied from @old.
 */
static struct port_block *block_render(const struct port *p,
				       const struct port_block *old, bool all)
{
	struct port_block *b = calloc(1, sizeof(*b));
	size_t len;
	FILE *f;

	if (!b)
		return NULL;
	f = scratch_open();
	if (!f) {
		free(b);
		return NULL;
	}
	for (size_t i = 0; i < N_FAMILIES; i++) {
		b->off[i] = ftell(f);
		if (all || port_families[i].sample)
			port_families[i].samples(f, &port_families[i], p);
		else
			fwrite(old->text + old->off[i], 1,
			       old->off[i + 1] - old->off[i], f);
	}
	b->off[N_FAMILIES] = ftell(f);
	if (scratch_take(f, &b->text, &len) < 0) {
		free(b);
		return NULL;
	}
	b->refs = 1;
	return b;
}

/*
 * @p's block, rendered again if the port changed since (port_touch()); when
 * only its sample's values did (port_touch_sample()), only the families
 * showing them. A reference for the caller; NULL when out of memory.
 */
static struct port_block *port_block_get(const struct port *p)
{
	struct port_metrics *pm = p->metrics;
	struct port_block *b;

	if (!pm)
		return block_render(p, NULL, true);
	if (!pm->blk || pm->gen != p->gen || pm->sample_gen != p->sample_gen) {
		b = block_render(p, pm->blk, !pm->blk || pm->gen != p->gen);
		block_put(pm->blk);
		pm->blk = b;
		if (!b)
			return NULL;
		pm->gen = p->gen;
		pm->sample_gen = p->sample_gen;
	}
	pm->blk->refs++;
	return pm->blk;
}

static void render_power(const struct manager *m, FILE *f)
{
	const struct config *c = m->cfg;

	head(f, "optic_power_budget_watts", "gauge",
	     "Configured power budget per group (host: the whole host); 0 is unlimited.");
	for (size_t g = 0; g < c->n_groups; g++) {
		fputs("optic_power_budget_watts{group=\"", f);
		esc(f, c->groups[g].name);
		fputs("\"}", f);
		val(f, g ? c->groups[g].budget : c->power_budget);
	}
	head(f, "optic_power_allocated_watts", "gauge",
	     "Sum of the advertised max power of the modules allowed out of LPMode per group.");
	for (size_t g = 0; g < c->n_groups; g++) {
		double sum = 0;

		for (size_t i = 0; i < m->n_ports; i++) {
			const struct port *p = m->ports[i];

			if (p->present && p->set.group == g && !p->power_held &&
			    !isnan(p->max_power))
				sum += p->max_power;
		}
		fputs("optic_power_allocated_watts{group=\"", f);
		esc(f, c->groups[g].name);
		fputs("\"}", f);
		val(f, sum);
	}
}

/*
 * The root I2C buses (BUS_GET, read once a poll cycle): per bus, and per
 * class of the driver's scheduler (enum optic_bus_class).
 */
static const char *const bus_class_names[OPTIC_BUS_CLASSES] = {
	[OPTIC_BUS_CLASS_CONTROL] = "control",
	[OPTIC_BUS_CLASS_POLL] = "poll",
	[OPTIC_BUS_CLASS_CDB] = "cdb",
	[OPTIC_BUS_CLASS_BULK] = "bulk",
};

struct bus_family {
	const char *name, *type, *help;
	/* one of: a value per bus, or per class of a bus */
	uint64_t (*bus)(const struct optic_bus_info *b);
	uint64_t (*cls)(const struct optic_bus_class_stats *s);
	bool ns; /* the value is in ns, shown in seconds */
};

static uint64_t bus_ports(const struct optic_bus_info *b)
{
	return b->n_ports;
}

static uint64_t bus_queue(const struct optic_bus_info *b)
{
	return b->queue;
}

static uint64_t bus_queue_max(const struct optic_bus_info *b)
{
	return b->queue_max;
}

static uint64_t bus_busy(const struct optic_bus_info *b)
{
	return b->busy_ns;
}

static uint64_t cls_xfers(const struct optic_bus_class_stats *s)
{
	return s->xfers;
}

static uint64_t cls_bytes(const struct optic_bus_class_stats *s)
{
	return s->bytes;
}

static uint64_t cls_busy(const struct optic_bus_class_stats *s)
{
	return s->busy_ns;
}

static uint64_t cls_wait(const struct optic_bus_class_stats *s)
{
	return s->wait_max_ns;
}

static uint64_t cls_inversions(const struct optic_bus_class_stats *s)
{
	return s->inversions;
}

/* clang-format off: one family a row */
static const struct bus_family bus_families[] = {
	{ "optic_bus_ports", "gauge", "Cages on the root I2C bus.", bus_ports, NULL, false },
	{ "optic_bus_queue_depth", "gauge", "Transfers waiting for the bus when opticd last looked.", bus_queue, NULL, false },
	{ "optic_bus_queue_depth_max", "gauge", "Most transfers ever waiting for the bus at once.", bus_queue_max, NULL, false },
	{ "optic_bus_busy_seconds_total", "counter", "Time the driver's transfers held the bus (its rate is the utilisation).", bus_busy, NULL, true },
	{ "optic_bus_transfers_total", "counter", "Turns on the bus, by scheduler class.", NULL, cls_xfers, false },
	{ "optic_bus_bytes_total", "counter", "Bytes moved on the bus, by scheduler class.", NULL, cls_bytes, false },
	{ "optic_bus_class_busy_seconds_total", "counter", "Time a scheduler class held the bus.", NULL, cls_busy, true },
	{ "optic_bus_wait_max_seconds", "gauge", "Longest wait of a scheduler class for a turn on the bus.", NULL, cls_wait, true },
	{ "optic_bus_inversions_total", "counter", "Turns a class took while a higher class waited (0 unless the scheduler is off).", NULL, cls_inversions, false },
};
/* clang-format on */

static void bus_label(FILE *f, const char *name, const struct optic_bus_info *b)
{
	fputs(name, f);
	fputs("{bus=\"", f);
	put_u64(f, b->root);
	fputc('"', f);
}

/* Integers and nanoseconds exactly: counters grow past 7 digits. */
static void bus_val(FILE *f, const struct bus_family *fam, uint64_t v)
{
	fputc(' ', f);
	if (fam->ns)
		put_seconds(f, v);
	else
		put_u64(f, v);
	fputc('\n', f);
}

static void bus_samples(FILE *f, const struct bus_family *fam,
			const struct optic_bus_info *b)
{
	if (fam->bus) {
		bus_label(f, fam->name, b);
		fputc('}', f);
		bus_val(f, fam, fam->bus(b));
		return;
	}
	for (size_t c = 0; c < OPTIC_BUS_CLASSES; c++) {
		if (!b->cls[c].set)
			continue;
		bus_label(f, fam->name, b);
		fputs(",class=\"", f);
		fputs(bus_class_names[c], f);
		fputs("\"}", f);
		bus_val(f, fam, fam->cls(&b->cls[c]));
	}
}

static void render_buses(const struct manager *m, FILE *f)
{
	head(f, "optic_bus_info", "gauge",
	     "A root I2C bus the cages share (always 1), with its adapter's name.");
	for (size_t i = 0; i < m->n_buses; i++) {
		bus_label(f, "optic_bus_info", &m->buses[i]);
		fputs(",adapter=\"", f);
		esc(f, m->buses[i].name);
		fputs("\"} 1\n", f);
	}
	for (size_t k = 0; k < ARRAY_SIZE(bus_families); k++) {
		head(f, bus_families[k].name, bus_families[k].type,
		     bus_families[k].help);
		for (size_t i = 0; i < m->n_buses; i++)
			bus_samples(f, &bus_families[k], &m->buses[i]);
	}
}

static void histogram(FILE *f, const char *name, const char *help,
		      const struct histogram *h)
{
	head(f, name, "histogram", help);
	for (int i = 0; i < HISTOGRAM_BUCKETS; i++)
		fprintf(f, "%s_bucket{le=\"%g\"} %llu\n", name, histogram_le[i],
			(unsigned long long)h->buckets[i]);
	fprintf(f, "%s_bucket{le=\"+Inf\"} %llu\n", name,
		(unsigned long long)h->count);
	fprintf(f, "%s_sum %.9g\n", name, h->sum);
	fprintf(f, "%s_count %llu\n", name, (unsigned long long)h->count);
}

/* The poll readers' requests and the module reads they carried. */
static void render_readers(const struct manager *m, FILE *f)
{
	uint64_t requests = 0, reads = 0;

	if (m->readers)
		readers_counts(m->readers, &requests, &reads);
	head(f, "optic_poll_reads_total", "counter",
	     "Module reads of the poll readers.");
	fprintf(f, "optic_poll_reads_total %llu\n", (unsigned long long)reads);
	head(f, "optic_poll_requests_total", "counter",
	     "EEPROM_READ requests that carried them: one a module, or several modules alone on their root buses.");
	fprintf(f, "optic_poll_requests_total %llu\n",
		(unsigned long long)requests);
}

static void render_daemon(const struct manager *m, FILE *f)
{
	static const char *const ev_names[] = {
		[OPTIC_EVENT_UNSPEC] = "unspec",
		[OPTIC_EVENT_INSERTED] = "inserted",
		[OPTIC_EVENT_REMOVED] = "removed",
		[OPTIC_EVENT_MODULE_STATE] = "module_state",
		[OPTIC_EVENT_DATAPATH_STATE] = "datapath_state",
		[OPTIC_EVENT_FLAG] = "flag",
	};
	size_t hist = 0;

	head(f, "optic_up", "gauge",
	     "1 when opticd is connected to the optic driver.");
	fprintf(f, "optic_up %d\n", m->driver_up);
	head(f, "optic_daemon_info", "gauge", "opticd version (always 1).");
	fprintf(f, "optic_daemon_info{version=\"%s\"} 1\n", OPTIC_VERSION);
	head(f, "optic_daemon_start_time_seconds", "gauge",
	     "When opticd started, seconds since the epoch.");
	fprintf(f, "optic_daemon_start_time_seconds %llu\n",
		(unsigned long long)m->start_time);
	head(f, "optic_daemon_heap_bytes", "gauge",
	     "Bytes opticd's allocations held as its last poll cycle ended (malloc's in-use bytes).");
	fprintf(f, "optic_daemon_heap_bytes %llu\n",
		(unsigned long long)m->heap_bytes);

	histogram(f, "optic_poll_duration_seconds",
		  "Time one poll of every module took.", &m->polls);
	histogram(f, "optic_flag_event_delay_seconds",
		  "From a latched flag the driver found (by an IntL service: IntL asserted) to opticd counting it.",
		  &m->flag_delay);

	render_readers(m, f);
	head(f, "optic_events_total", "counter",
	     "Driver notifications received on the monitor group, by type.");
	for (size_t i = 1; i < ARRAY_SIZE(ev_names); i++)
		fprintf(f, "optic_events_total{type=\"%s\"} %llu\n",
			ev_names[i], (unsigned long long)m->events[i]);
	head(f, "optic_events_lost_total", "counter",
	     "Driver notifications missed (sequence gaps, socket overruns); each triggers a rescan.");
	fprintf(f, "optic_events_lost_total %llu\n",
		(unsigned long long)m->events_lost);
	head(f, "optic_driver_connects_total", "counter",
	     "Connections to the optic driver (the first, and one per driver reload).");
	fprintf(f, "optic_driver_connects_total %llu\n",
		(unsigned long long)m->reconnects);
	head(f, "optic_netlink_errors_total", "counter",
	     "Failed netlink requests or notification reads.");
	fprintf(f, "optic_netlink_errors_total %llu\n",
		(unsigned long long)m->netlink_errors);
	head(f, "optic_config_reloads_total", "counter",
	     "Configuration reloads (SIGHUP) by result.");
	fprintf(f, "optic_config_reloads_total{result=\"success\"} %llu\n",
		(unsigned long long)m->reloads_ok);
	fprintf(f, "optic_config_reloads_total{result=\"failure\"} %llu\n",
		(unsigned long long)m->reloads_failed);
	for (size_t i = 0; i < m->n_ports; i++)
		hist += m->ports[i]->hist_bytes;
	head(f, "optic_history_bytes", "gauge",
	     "Memory held by the per-port monitor history.");
	fprintf(f, "optic_history_bytes %zu\n", hist);
}

/*
 * An exposition as it was when the scrape began, sent in pieces: the
 * daemon's metrics, each port family's HELP and TYPE followed by every
 * port's samples of it (the ports' blocks, referenced), the power groups'
 * and the buses' metrics.
 */
struct metrics_scrape {
	char *head, *hdrs, *tail;
	size_t head_len, tail_len, hdr_off[N_FAMILIES + 1];
	size_t size, n;
	struct port_block **blk;
	size_t seg, off; /* the next byte: segment, offset in it */
};

void metrics_scrape_free(struct metrics_scrape *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		block_put(s->blk[i]);
	free(s->blk);
	free(s->head);
	free(s->hdrs);
	free(s->tail);
	free(s);
}

/* @render's text into @buf (malloc'ed), its length in @len. */
static int render_text(const struct manager *m,
		       void (*render)(const struct manager *m, FILE *f),
		       char **buf, size_t *len)
{
	FILE *f = scratch_open();

	if (!f)
		return -ENOMEM;
	render(m, f);
	return scratch_take(f, buf, len);
}

static void render_tail(const struct manager *m, FILE *f)
{
	render_power(m, f);
	render_buses(m, f);
}

/* The port families' HELP and TYPE lines, one after the other. */
static int render_headers(struct metrics_scrape *s)
{
	size_t len;
	FILE *f = scratch_open();

	if (!f)
		return -ENOMEM;
	for (size_t k = 0; k < N_FAMILIES; k++) {
		s->hdr_off[k] = ftell(f);
		head(f, port_families[k].name, port_families[k].type,
		     port_families[k].help);
	}
	s->hdr_off[N_FAMILIES] = ftell(f);
	return scratch_take(f, &s->hdrs, &len);
}

struct metrics_scrape *metrics_scrape_new(const struct manager *m)
{
	struct metrics_scrape *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->blk = calloc(MAX(m->n_ports, 1u), sizeof(*s->blk));
	if (!s->blk)
		goto fail;
	/* The blocks, which outlive the scrape, before its own texts. */
	for (; s->n < m->n_ports; s->n++) {
		s->blk[s->n] = port_block_get(m->ports[s->n]);
		if (!s->blk[s->n])
			goto fail;
		s->size += s->blk[s->n]->off[N_FAMILIES];
	}
	if (render_text(m, render_daemon, &s->head, &s->head_len) ||
	    render_headers(s) ||
	    render_text(m, render_tail, &s->tail, &s->tail_len))
		goto fail;
	s->size += s->head_len + s->hdr_off[N_FAMILIES] + s->tail_len;
	return s;
fail:
	metrics_scrape_free(s);
	errno = ENOMEM;
	return NULL;
}

size_t metrics_scrape_size(const struct metrics_scrape *s)
{
	return s->size;
}

/* Segment @seg: its bytes at *@p, their number; SIZE_MAX past the end. */
static size_t segment(const struct metrics_scrape *s, size_t seg,
		      const char **p)
{
	size_t k, r;

	if (seg == 0) {
		*p = s->head;
		return s->head_len;
	}
	k = (seg - 1) / (s->n + 1);
	r = (seg - 1) % (s->n + 1);
	if (k == N_FAMILIES) {
		*p = s->tail;
		return r ? SIZE_MAX : s->tail_len;
	}
	if (!r) {
		*p = s->hdrs + s->hdr_off[k];
		return s->hdr_off[k + 1] - s->hdr_off[k];
	}
	*p = s->blk[r - 1]->text + s->blk[r - 1]->off[k];
	return s->blk[r - 1]->off[k + 1] - s->blk[r - 1]->off[k];
}

size_t metrics_scrape_read(struct metrics_scrape *s, char *buf, size_t max)
{
	size_t got = 0, len, take;
	const char *p;

	while (got < max && (len = segment(s, s->seg, &p)) != SIZE_MAX) {
		take = MIN(len - s->off, max - got);
		memcpy(buf + got, p + s->off, take);
		got += take;
		s->off += take;
		if (s->off == len) {
			s->seg++;
			s->off = 0;
		}
	}
	return got;
}

int metrics_render(const struct manager *m, FILE *f)
{
	struct metrics_scrape *s = metrics_scrape_new(m);
	char buf[16384];
	size_t n;

	if (!s)
		return -errno;
	while ((n = metrics_scrape_read(s, buf, sizeof(buf))))
		fwrite(buf, 1, n, f);
	metrics_scrape_free(s);
	return 0;
}

int metrics_render_string(const struct manager *m, char **out)
{
	struct metrics_scrape *s = metrics_scrape_new(m);
	char *buf;
	size_t len;

	if (!s)
		return -errno;
	buf = malloc(s->size + 1);
	if (buf) {
		len = metrics_scrape_read(s, buf, s->size);
		buf[len] = '\0';
		*out = buf;
	}
	metrics_scrape_free(s);
	return buf ? (int)len : -ENOMEM;
}

/* OpenMetrics ---------------------------------------------------------- */

/* The base units metric names end with (OpenMetrics: "# UNIT"). */
static const char *const units[] = { "celsius", "volts",   "watts",
				     "amperes", "seconds", "bytes" };

static const char *unit_of(const char *family)
{
	size_t fl = strlen(family);

	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		size_t ul = strlen(units[i]);

		if (fl > ul + 1 && family[fl - ul - 1] == '_' &&
		    streq(family + fl - ul, units[i]))
			return units[i];
	}
	return NULL;
}

void metrics_openmetrics(const char *text, uint64_t created, FILE *out)
{
	const char *help = "", *nl;
	char family[128] = "", type[16] = "";
	size_t help_len = 0;

	for (const char *l = text; *l; l = *nl ? nl + 1 : nl) {
		size_t len, name_len;
		const char *unit;

		nl = strchrnul(l, '\n');
		len = nl - l;
		if (!strncmp(l, "# HELP ", 7)) {
			help = l + 7;
			help_len = len - 7;
			continue;
		}
		if (sscanf(l, "# TYPE %127s %15s", family, type) == 2) {
			name_len = strlen(family);
			/* a counter's family is its name without _total */
			if (streq(type, "counter") && name_len > 6 &&
			    streq(family + name_len - 6, "_total"))
				family[name_len - 6] = '\0';
			fprintf(out, "# TYPE %s %s\n", family, type);
			unit = unit_of(family);
			if (unit)
				fprintf(out, "# UNIT %s %s\n", family, unit);
			/* HELP NAME TEXT: TEXT with '"' escaped too */
			name_len = strcspn(help, " \n");
			fprintf(out, "# HELP %s", family);
			for (size_t i = name_len; i < help_len; i++) {
				if (help[i] == '"')
					fputc('\\', out);
				fputc(help[i], out);
			}
			fputc('\n', out);
			continue;
		}
		fprintf(out, "%.*s\n", (int)len, l);
		name_len = strcspn(l, "{ ");
		/* _created: after each counter and histogram count sample */
		if (streq(type, "counter") ||
		    (streq(type, "histogram") && name_len > 6 &&
		     !strncmp(l + name_len - 6, "_count", 6))) {
			const char *labels = l + name_len;
			const char *end = l[name_len] == '{' ?
						  memrchr(l, '}', len) + 1 :
						  labels;

			fprintf(out, "%s_created%.*s %llu\n", family,
				(int)(end - labels), labels,
				(unsigned long long)created);
		}
	}
	fputs("# EOF\n", out);
}

int metrics_write_textfile(const struct manager *m, const char *path)
{
	_cleanup_free_ char *tmp = NULL;
	FILE *f;
	int fd, r;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		return -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return log_errno(errno, "failed to create %s", tmp);
	f = fdopen(fd, "w");
	if (!f) {
		r = -errno;
		close(fd);
		unlink(tmp);
		return log_errno(r, "failed to write %s", tmp);
	}
	fchmod(fd, 0644);
	r = metrics_render(m, f);
	if (fclose(f) != 0 && !r)
		r = -errno;
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return log_errno(r, "failed to write %s", path);
	}
	return 0;
}

/* HTTP ----------------------------------------------------------------- */

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int code,
			     char *body, size_t len, const char *type)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, body,
					       MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, code, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* An empty 401 asking for basic auth, or 403. */
static enum MHD_Result refuse(struct MHD_Connection *c, int why)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	ret = why == -EACCES ?
		      MHD_queue_response(c, MHD_HTTP_FORBIDDEN, resp) :
		      MHD_queue_basic_auth_fail_response(c, "opticd", resp);
	MHD_destroy_response(resp);
	return ret;
}

/*
 * The web config's client_auth_type (-EACCES) and basic_auth_users
 * (-EPERM) over the request.
 */
static int authorize(struct web_config *wc, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;
	unsigned int n = 0, status;
	char *user, *pass = NULL;
	bool ok;

	if (wc->auth->request) {
		ci = MHD_get_connection_info(
			c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
		if (!ci)
			return -EACCES;
		if (!gnutls_certificate_get_peers(ci->tls_session, &n) || !n) {
			if (wc->auth->require)
				return -EACCES;
		} else if (wc->auth->verify &&
			   (gnutls_certificate_verify_peers2(ci->tls_session,
							     &status) < 0 ||
			    status)) {
			return -EACCES;
		}
	}
	if (!wc->n_users)
		return 0;
	user = MHD_basic_auth_get_username_password(c, &pass);
	ok = user && pass && web_config_auth(wc, user, pass);
	MHD_free(user);
	MHD_free(pass);
	return ok ? 0 : -EPERM;
}

/*
 * OpenMetrics when the Accept header ranks it at least as high as the
 * classic text format (text/plain, text/ *, * / *).
 */
static bool wants_openmetrics(const char *accept)
{
	double om = 0, text = 0;

	while (accept && *accept) {
		size_t len = strcspn(accept, ",");
		_cleanup_free_ char *range = strndup(accept, len);
		const char *q;
		double v = 1;
		char *type;

		accept += len + !!accept[len];
		if (!range)
			return false;
		q = strstr(range, ";q=") ?: strstr(range, "; q=");
		if (q)
			v = strtod(strchr(q, '=') + 1, NULL);
		type = range + strspn(range, " ");
		type[strcspn(type, " ;")] = '\0';
		if (streq(type, "application/openmetrics-text"))
			om = MAX(om, v);
		else if (streq(type, "text/plain") || streq(type, "text/*") ||
			 streq(type, "*/*"))
			text = MAX(text, v);
	}
	return om > 0 && om >= text;
}

static ssize_t scrape_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	size_t n = metrics_scrape_read(cls, buf, max);

	return n ? (ssize_t)n : MHD_CONTENT_READER_END_OF_STREAM;
}

static void scrape_done(void *cls)
{
	metrics_scrape_free(cls);
}

/*
 * The classic text format, sent as libmicrohttpd asks for it: no copy of
 * the whole exposition (4-6 MB at 512 ports), the ports' blocks referenced.
 * A piece is one turn of the event loop: large enough that a scrape of a
 * few dozen ports goes in a few.
 */
#define METRICS_PIECE (128 * 1024)

static enum MHD_Result serve_text(struct metrics_server *s,
				  struct MHD_Connection *c)
{
	struct metrics_scrape *scrape = metrics_scrape_new(s->m);
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (!scrape)
		return MHD_NO;
	resp = MHD_create_response_from_callback(metrics_scrape_size(scrape),
						 METRICS_PIECE, scrape_reader,
						 scrape, scrape_done);
	if (!resp) {
		metrics_scrape_free(scrape);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				CONTENT_TYPE);
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result serve_metrics(struct metrics_server *s,
				     struct MHD_Connection *c)
{
	_cleanup_free_ char *text = NULL;
	char *body = NULL;
	size_t size = 0;
	FILE *f;
	int len;

	if (!wants_openmetrics(MHD_lookup_connection_value(
		    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT)))
		return serve_text(s, c);
	len = metrics_render_string(s->m, &text);
	if (len < 0)
		return MHD_NO;
	f = stream_open(&body, &size);
	if (!f)
		return MHD_NO;
	metrics_openmetrics(text, s->m->start_time, f);
	if (fclose(f) != 0) {
		free(body);
		return MHD_NO;
	}
	return reply(c, MHD_HTTP_OK, body, size, CONTENT_TYPE_OM);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls)
{
	struct metrics_server *s = cls;
	char *body;
	int r;

	if (s->m->cfg->web) {
		r = authorize(s->m->cfg->web, c);
		if (r < 0)
			return refuse(c, r);
	}
	if (!streq(method, "GET") && !streq(method, "HEAD")) {
		body = strdup("only GET\n");
		return body ? reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, body,
				    strlen(body), "text/plain") :
			      MHD_NO;
	}
	if (streq(url, "/metrics"))
		return serve_metrics(s, c);
	if (streq(url, "/")) {
		body = strdup(
			"<html><body><h1>opticd</h1><a href=\"/metrics\">metrics</a></body></html>\n");
		return body ? reply(c, MHD_HTTP_OK, body, strlen(body),
				    "text/html") :
			      MHD_NO;
	}
	body = strdup("not found\n");
	return body ? reply(c, MHD_HTTP_NOT_FOUND, body, strlen(body),
			    "text/plain") :
		      MHD_NO;
}

static void rearm(struct metrics_server *s);

static int on_timer(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct metrics_server *s = userdata;

	MHD_run(s->d);
	rearm(s);
	return 0;
}

static void rearm(struct metrics_server *s)
{
	MHD_UNSIGNED_LONG_LONG to;

	if (MHD_get_timeout(s->d, &to) != MHD_YES) {
		sd_event_source_set_enabled(s->timer, SD_EVENT_OFF);
		return;
	}
	if (!s->timer) {
		if (sd_event_add_time_relative(s->m->event, &s->timer,
					       CLOCK_MONOTONIC, to * 1000, 1000,
					       on_timer, s) < 0)
			return;
		return;
	}
	sd_event_source_set_time_relative(s->timer, to * 1000);
	sd_event_source_set_enabled(s->timer, SD_EVENT_ONESHOT);
}

static int on_io(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct metrics_server *s = userdata;

	MHD_run(s->d);
	rearm(s);
	return 0;
}

/* "127.0.0.1:9732", "[::1]:9732", "0.0.0.0:9732" */
static int parse_listen(const char *spec, struct sockaddr_storage *ss)
{
	_cleanup_free_ char *host = strdup(spec);
	char *colon, *end;
	unsigned long port;

	if (!host)
		return -ENOMEM;
	colon = strrchr(host, ':');
	if (!colon)
		return -EINVAL;
	*colon = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (*end || !port || port > 65535)
		return -EINVAL;
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		size_t l = strlen(host);

		if (l < 2 || host[l - 1] != ']')
			return -EINVAL;
		host[l - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
			return -EINVAL;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			return -EINVAL;
	}
	return 0;
}

int metrics_start(struct manager *m)
{
	const struct web_config *wc = m->cfg->web;
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	struct metrics_server *s;
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	struct MHD_OptionItem tls[4] = { { MHD_OPTION_END, 0, NULL } };
	int r;

	if (!m->cfg->metrics_listen || !*m->cfg->metrics_listen)
		return 0;
	r = parse_listen(m->cfg->metrics_listen, &ss);
	if (r < 0)
		return log_errno(r, "metrics_listen '%s' is not ADDRESS:PORT",
				 m->cfg->metrics_listen);
	s = calloc(1, sizeof(*s));
	if (!s)
		return log_errno(ENOMEM, "out of memory");
	s->m = m;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (wc && wc->cert) {
		flags |= MHD_USE_TLS;
		tls[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0,
						  wc->key };
		tls[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0,
						  wc->cert };
		/* with a trust list, libmicrohttpd asks for a certificate */
		if (wc->auth->request)
			tls[2] = (struct MHD_OptionItem){
				MHD_OPTION_HTTPS_MEM_TRUST, 0, wc->client_ca
			};
	}
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, handler, s,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				MHD_OPTION_CONNECTION_LIMIT, 32,
				MHD_OPTION_CONNECTION_TIMEOUT, 10,
				MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
	if (!s->d) {
		free(s);
		return log_errno(EADDRNOTAVAIL, "failed to serve metrics on %s",
				 m->cfg->metrics_listen);
	}
	info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info) {
		MHD_stop_daemon(s->d);
		free(s);
		return log_errno(EIO, "libmicrohttpd gave no epoll fd");
	}
	r = sd_event_add_io(m->event, &s->io, info->epoll_fd, EPOLLIN, on_io,
			    s);
	if (r < 0) {
		MHD_stop_daemon(s->d);
		free(s);
		return log_errno(r, "failed to watch the metrics socket");
	}
	m->metrics = s;
	log_event(LOG_INFO, 0, NULL, -1, NULL, NULL,
		  "serving metrics on %s://%s/metrics%s",
		  wc && wc->cert ? "https" : "http", m->cfg->metrics_listen,
		  wc && wc->n_users ? " (basic auth)" : "");
	return 0;
}

void metrics_stop(struct manager *m)
{
	struct metrics_server *s = m->metrics;

	if (!s)
		return;
	sd_event_source_disable_unref(s->io);
	sd_event_source_disable_unref(s->timer);
	MHD_stop_daemon(s->d);
	free(s);
	m->metrics = NULL;
	scratch_close();
}

int metrics_reconfigure(struct manager *m, const struct config *old)
{
	/* a web config is read again at each reload: its files may be new */
	if (old && streq(old->metrics_listen, m->cfg->metrics_listen) &&
	    !old->web && !m->cfg->web)
		return 0;
	metrics_stop(m);
	return metrics_start(m);
}
