// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Polling: one MODULE_GET dump per tick for presence and state, the whole
 * image (liboptic's optic_image_fetch) once per insertion, and per tick
 * only the bytes that change: the lower page (state, latched module flags,
 * module monitors; SFF-8636 lane flags and monitors) and, for CMIS, page
 * 11h (lane flags and monitors); for SFF-8472 the A2h lower page. The
 * liboptic decoder turns the image into values; this file maps them to a
 * struct sample.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "log.h"
#include "manager.h"
#include "util.h"

/* liboptic's JSON keys of what opticd samples, and their base units. */
static const struct {
	const char *key;
	enum monitor mon;
	double to_base;
} mon_keys[] = {
	{ "temperature_c", MON_TEMP, 1 },   { "supply_voltage_v", MON_VCC, 1 },
	{ "tx_power", MON_TX_POWER, 1e-3 }, /* mW */
	{ "rx_power", MON_RX_POWER, 1e-3 }, { "tx_bias_ma", MON_TX_BIAS, 1e-3 },
};

static const char *const thr_subs[4] = {
	"high_alarm",
	"high_warning",
	"low_warning",
	"low_alarm",
};

static const struct {
	const char *key;
	enum flap_kind kind;
} flag_keys[] = {
	{ "rx_los", FLAP_RX_LOS },     { "rx_cdr_lol", FLAP_RX_LOL },
	{ "tx_fault", FLAP_TX_FAULT }, { "tx_los", FLAP_TX_LOS },
	{ "tx_cdr_lol", FLAP_TX_LOL },
};

void sample_from_model(const struct optic_model *model, struct sample *s)
{
	for (size_t i = 0; i < model->n; i++) {
		const struct optic_value *v = &model->v[i];

		if (!v->f->json_key || v->f->json_sub || v->kind != OPTIC_V_NUM)
			continue;
		if (v->f->sect != OPTIC_S_MONITOR && v->f->sect != OPTIC_S_LANE)
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(mon_keys); k++) {
			enum monitor mon = mon_keys[k].mon;

			if (!streq(v->f->json_key, mon_keys[k].key))
				continue;
			if (monitor_per_lane(mon) &&
			    v->index >= OPTICD_MAX_LANES)
				break;
			*sample_val(s, mon, v->index) =
				v->num * mon_keys[k].to_base;
			break;
		}
	}
}

/* CMIS 5.2 Table 8-72: DPActivated. */
#define DP_ACTIVATED 4

uint32_t active_lanes_from_model(const struct optic_model *model)
{
	uint32_t all = ~0u, active = 0;
	bool seen = false;

	for (size_t i = 0; i < model->n; i++) {
		const struct optic_value *v = &model->v[i];

		if (!v->f->json_key ||
		    !streq(v->f->json_key, "datapath_state") || v->index >= 32)
			continue;
		seen = true;
		if (v->raw == DP_ACTIVATED)
			active |= 1u << v->index;
	}
	return seen ? active : all;
}

void flags_from_model(const struct optic_model *model,
		      uint32_t lanes[_FLAP_KIND_MAX])
{
	memset(lanes, 0, sizeof(uint32_t) * _FLAP_KIND_MAX);
	for (size_t i = 0; i < model->n; i++) {
		const struct optic_value *v = &model->v[i];

		if (v->kind != OPTIC_V_BOOL || !v->raw || !v->f->json_key ||
		    v->f->sect != OPTIC_S_LANE_FLAG || v->index >= 32)
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(flag_keys); k++)
			if (streq(v->f->json_key, flag_keys[k].key))
				lanes[flag_keys[k].kind] |= 1u << v->index;
	}
}

void thresholds_from_model(const struct optic_model *model,
			   struct thresholds thr[_MON_MAX])
{
	for (size_t k = 0; k < ARRAY_SIZE(mon_keys); k++) {
		double *slot[4] = { &thr[mon_keys[k].mon].high_alarm,
				    &thr[mon_keys[k].mon].high_warning,
				    &thr[mon_keys[k].mon].low_warning,
				    &thr[mon_keys[k].mon].low_alarm };

		for (int j = 0; j < 4; j++) {
			const struct optic_value *v = optic_model_get(
				model, mon_keys[k].key, thr_subs[j], -1);

			*slot[j] = v && v->kind == OPTIC_V_NUM ?
					   v->num * mon_keys[k].to_base :
					   NAN;
		}
	}
}

double max_power_from_model(const struct optic_model *model)
{
	/*
	 * SFF-8636 Table 6-16: the maximum of power classes 1-7 (class 8
	 * names its own in byte 107, which liboptic does not decode yet).
	 */
	static const double sff8636_class_w[] = { 0,   1.5, 2.0, 2.5,
						  3.5, 4.0, 4.5, 5.0 };
	const struct optic_value *v;

	v = optic_model_get(model, "max_power_w", NULL, -1);
	if (v && v->kind == OPTIC_V_NUM)
		return v->num;
	v = optic_model_get(model, "power_class", NULL, -1);
	if (model->spec == OPTIC_SPEC_SFF8636 && v && v->kind == OPTIC_V_NUM &&
	    v->num >= 1 && v->num <= 7)
		return sff8636_class_w[(int)v->num];
	return NAN;
}

/*
 * CMIS 5.2 Table 8-45 (page 01h byte 167 bits 7-4, MaxDurationModulePwrUp)
 * encodes a range; opticd waits for its upper bound, in whole seconds.
 * liboptic does not decode this byte, so it is read from the image.
 */
static unsigned int cmis_ready_time(const struct optic_image *img)
{
	static const unsigned int upper_s[16] = {
		1, 1, 1, 1, 1, 1, 1, 5, 10, 50, 100, 500, 1000, 5000, 10000, 0,
	};
	int b = optic_image_byte(img, OPTIC_ADDR_A0, 0x01, 0, 167);

	return b < 0 ? 0 : upper_s[(b >> 4) & 0x0f];
}

struct reader_ctx {
	struct manager *m;
	struct port *p;
};

static int nl_reader(void *ctx, uint8_t addr, uint8_t page, uint8_t bank,
		     uint16_t off, uint16_t len, uint8_t *buf)
{
	struct reader_ctx *rc = ctx;

	return optic_nl_eeprom_read(rc->m->nl, rc->p->name, addr, page, bank,
				    off, len, buf);
}

static void firmware_from_model(struct port *p)
{
	const struct optic_value *v =
		optic_model_get(&p->model, "firmware_version", NULL, -1);

	snprintf(p->firmware, sizeof(p->firmware), "%s",
		 v && v->kind == OPTIC_V_STR ? v->str : "");
}

static int decode(struct port *p)
{
	optic_model_free(&p->model);
	return optic_decode(&p->img, &p->model);
}

int port_refresh_statics(struct manager *m, struct port *p)
{
	struct reader_ctx rc = { m, p };
	int r;

	optic_image_clear(&p->img);
	r = optic_image_fetch(&p->img, nl_reader, &rc);
	if (r < 0)
		return r;
	r = decode(p);
	if (r < 0)
		return r;
	thresholds_from_model(&p->model, p->mod_thr);
	p->max_power = max_power_from_model(&p->model);
	p->ready_time =
		p->info.spec == OPTIC_SPEC_CMIS ? cmis_ready_time(&p->img) : 0;
	firmware_from_model(p);
	p->lanes = MIN(p->model.lanes ? p->model.lanes : p->info.lane_count,
		       OPTICD_MAX_LANES);
	manager_port_configure(m, p);
	return 0;
}

/* Re-read what changes between two polls into the image. */
static int read_dynamic(struct manager *m, struct port *p)
{
	struct {
		uint8_t addr, page, off;
		bool cmis_paged;
	} ranges[3];
	uint8_t buf[128];
	size_t n = 0;
	int r;

	ranges[n++] = (typeof(ranges[0])){ OPTIC_ADDR_A0, 0, 0, false };
	if (p->info.spec == OPTIC_SPEC_CMIS && !p->model.flat)
		ranges[n++] =
			(typeof(ranges[0])){ OPTIC_ADDR_A0, 0x11, 128, true };
	if (p->info.spec == OPTIC_SPEC_SFF8472 &&
	    optic_image_half(&p->img, OPTIC_ADDR_A2, 0, 0, false))
		ranges[n++] = (typeof(ranges[0])){ OPTIC_ADDR_A2, 0, 0, false };

	for (size_t i = 0; i < n; i++) {
		r = optic_nl_eeprom_read(m->nl, p->name, ranges[i].addr,
					 ranges[i].page, 0, ranges[i].off,
					 sizeof(buf), buf);
		if (r < 0)
			return r;
		r = optic_image_set(&p->img, ranges[i].addr, ranges[i].page, 0,
				    ranges[i].off, buf, r);
		if (r < 0)
			return r;
	}
	return decode(p);
}

static void port_removed(struct manager *m, struct port *p)
{
	if (!p->present)
		return;
	p->present = false;
	p->lpmode_ours = false;
	p->txdis_ours = 0;
	p->power_held = false;
	log_event(LOG_NOTICE, 0, p->name, -1, NULL, MSGID_MODULE,
		  "module removed");
}

static void port_inserted(struct manager *m, struct port *p,
			  const struct optic_module_info *info)
{
	bool same = streq(p->info.vendor_sn, info->vendor_sn) &&
		    streq(p->info.vendor_pn, info->vendor_pn) && p->insertions;
	char power[32] = "unknown";
	int r;

	p->info = *info;
	p->present = true;
	r = port_refresh_statics(m, p);
	if (r < 0) {
		p->present = false;
		if (!p->read_failing)
			log_event(LOG_WARNING, r, p->name, -1, NULL,
				  MSGID_MODULE,
				  "failed to read the module's static data");
		p->read_failing = true;
		p->poll_errors++;
		return;
	}
	p->read_failing = false;
	p->insertions++;
	if (!same) {
		/* Another module: its history and states start afresh. */
		history_clear(p->hist);
		port_reset_policies(p);
	}
	if (!isnan(p->max_power))
		snprintf(power, sizeof(power), "%.2f W", p->max_power);
	manager_port_reassert(m, p);
	log_event(LOG_NOTICE, 0, p->name, -1, NULL, MSGID_MODULE,
		  "module %s: %s %s SN %s, %u lanes, max power %s",
		  same ? "back" : "inserted", info->vendor_name,
		  info->vendor_pn, info->vendor_sn, p->lanes, power);
}

static bool driver_gone(int r)
{
	return r == -ENOENT || r == -ENODEV || r == -ECONNREFUSED ||
	       r == -EPROTONOSUPPORT || r == -EOPNOTSUPP || r == -EBADF ||
	       r == -ENOTCONN;
}

/* A module pulled while it was being read is a removal, not a poll error. */
static bool module_gone(struct manager *m, struct port *p)
{
	struct optic_module_info info;

	return optic_nl_module_get(m->nl, p->name, &info) >= 0 && !info.present;
}

static void poll_port(struct manager *m, struct port *p, uint64_t now)
{
	struct sample s;
	uint32_t flags[_FLAP_KIND_MAX], active;
	int r;

	r = read_dynamic(m, p);
	if (r == -ENXIO && module_gone(m, p)) {
		port_removed(m, p);
		return;
	}
	if (r < 0) {
		p->poll_errors++;
		if (!p->read_failing)
			log_event(LOG_WARNING, r, p->name, -1, NULL,
				  MSGID_MODULE,
				  "reading the module's monitors failed");
		p->read_failing = true;
		return;
	}
	if (p->read_failing)
		log_event(LOG_NOTICE, 0, p->name, -1, NULL, MSGID_MODULE,
			  "reading the module's monitors works again");
	p->read_failing = false;
	sample_init(&s, (uint32_t)now);
	sample_from_model(&p->model, &s);
	/*
	 * Lane monitors mean something only on a live data path: a module
	 * in low power or a lane being set up reads zero, which is no alarm
	 * and no trend. Those values are left out (NaN).
	 */
	active = p->info.state == OPTIC_STATE_READY ?
			 active_lanes_from_model(&p->model) :
			 0;
	for (unsigned int l = 0; l < OPTICD_MAX_LANES; l++) {
		if (active & (1u << l))
			continue;
		s.tx_power[l] = s.rx_power[l] = s.tx_bias[l] = NAN;
	}
	flags_from_model(&p->model, flags);
	for (int k = 0; k < _FLAP_KIND_MAX; k++)
		manager_port_flags(m, p, k, flags[k], now);
	manager_port_state(m, p, p->info.state, now);
	manager_port_sample(m, p, &s, now);
}

int manager_poll(struct manager *m)
{
	_cleanup_free_ struct optic_module_info *mods = NULL;
	uint64_t now = now_realtime();
	size_t n = 0;
	int r;

	if (!m->driver_up)
		return 0;
	r = optic_nl_module_list(m->nl, &mods, &n);
	if (r < 0) {
		m->netlink_errors++;
		if (driver_gone(r))
			manager_disconnect(m, r);
		else
			log_event(LOG_WARNING, r, NULL, -1, NULL, NULL,
				  "listing modules failed");
		return r;
	}
	for (size_t i = 0; i < m->n_ports; i++)
		m->ports[i]->known = false;
	for (size_t i = 0; i < n; i++) {
		struct port *p = manager_port(m, mods[i].name, true);
		bool changed;

		if (!p)
			return log_errno(-ENOMEM, "out of memory");
		p->known = true;
		if (!mods[i].present) {
			/* Keep the identity: the same module may come back. */
			port_removed(m, p);
			p->info.present = false;
			p->info.state = mods[i].state;
			continue;
		}
		changed = !p->present ||
			  !streq(p->info.vendor_sn, mods[i].vendor_sn) ||
			  !streq(p->info.vendor_pn, mods[i].vendor_pn);
		if (changed) {
			port_inserted(m, p, &mods[i]);
			if (!p->present)
				continue;
		}
		p->info = mods[i];
		poll_port(m, p, now);
	}
	for (size_t i = 0; i < m->n_ports; i++)
		if (!m->ports[i]->known)
			port_removed(m, m->ports[i]);
	m->rescan = false;
	manager_power(m, now);
	n = 0;
	for (size_t i = 0; i < m->n_ports; i++)
		n += m->ports[i]->present;
	if (n != m->notified_present)
		manager_notify_status(m);
	return 0;
}
