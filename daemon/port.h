/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The port model: one struct port per port the driver ever reported, its
 * module's image and decoded model, the plan of the values a health poll
 * reads (struct poll_slot) and what they feed (struct poll_values), the
 * policy states the engine keeps and the counters metrics.c and status.c
 * show. port.c calls nothing above it: poll.c, engine.c, manager.c,
 * metrics.c and status.c read it.
 */
#ifndef OPTICD_PORT_H
#define OPTICD_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "decode.h"
#include "history.h"
#include "image.h"
#include "linkrec.h"
#include "netlink.h"
#include "policy.h"
#include "sample.h"

/* CMIS 5.2 Table 8-72 (DPStateHostLane): DPActivated. */
#define DP_ACTIVATED 4

/* Latched per-lane flags counted by the flap policy. */
enum flap_kind {
	FLAP_RX_LOS,
	FLAP_RX_LOL,
	FLAP_TX_FAULT,
	FLAP_TX_LOS,
	FLAP_TX_LOL,
	_FLAP_KIND_MAX,
};

/* A lane's latched flags of a kind, from the first counted (port_flag()). */
struct lane_flag {
	struct flap_state flap; /* since the module's insertion */
	uint64_t total; /* for the daemon's life */
	uint8_t kind, lane; /* enum flap_kind, 0-based */
};

const char *flap_kind_name(enum flap_kind k);

/*
 * Latched alarm/warning flags of a monitor (the module's own threshold
 * comparison, CMIS lower page byte 9 and page 11h 139-152, SFF-8636 bytes
 * 6-7 and 9-14, SFF-8472 A2h 112-117), one byte per monitor and lane.
 */
enum {
	MONFLAG_HIGH_ALARM = 1 << 0,
	MONFLAG_LOW_ALARM = 1 << 1,
	MONFLAG_HIGH_WARNING = 1 << 2,
	MONFLAG_LOW_WARNING = 1 << 3,
};

struct mon_flags {
	uint8_t f[_MON_MAX][OPTICD_MAX_LANES]; /* module monitors: lane 0 */
};

/* Monitors the prediction policy fits, per lane. */
enum predict_mon {
	PRED_TX_POWER,
	PRED_RX_POWER,
	PRED_TX_BIAS,
	_PRED_MAX,
};

/* What a poll derives from the model's values, kept from poll to poll. */
struct poll_values {
	struct sample s; /* monitors, base units (t unused) */
	uint32_t dp_active; /* lanes whose data path is DPActivated */
	bool dp_seen; /* the module reports data-path states */
	uint32_t flags[_FLAP_KIND_MAX]; /* latched lane flags, by lane */
	struct mon_flags mf; /* latched alarm/warning flags */
};

enum poll_role {
	ROLE_NONE, /* read by a poll, feeds nothing (the model stays true) */
	ROLE_MONITOR, /* what: enum monitor */
	ROLE_DATAPATH,
	ROLE_FLAP, /* what: enum flap_kind */
	ROLE_MON_FLAG, /* what: enum monitor, bit: MONFLAG_* */
};

/*
 * A value of the port's model a poll reads: where its bytes are in the
 * poll's ranges, and what it feeds in struct poll_values. Made once per
 * insertion (port_refresh_statics); a poll decodes again only the values
 * whose bytes changed.
 */
struct poll_slot {
	uint64_t mask[2]; /* its bytes in the range (struct poll_changes) */
	uint16_t vi; /* index in port.model.v */
	uint8_t range; /* index in poll_ranges() */
	uint8_t off; /* its first byte in the range */
	uint8_t role; /* enum poll_role */
	uint8_t what, bit, lane; /* lane: 0-based, 0 for the module */
};

/* A byte range a health poll reads (poll.c). */
struct poll_range {
	uint8_t addr, page, bank, off, len;
};

/* The lower page's ranges, then page 11h of each of at most 4 banks. */
#define POLL_RANGES_MAX 8

struct port {
	char name[OPTIC_PORT_NAME_LEN];
	struct optic_module_info info;
	bool known; /* in the driver's last dump */
	bool dumped; /* in the dump of the cycle starting (poll.c) */
	bool present; /* module plugged in and identified */
	bool fresh; /* statics must be (re)read: a state changed */
	bool kicked; /* an event asks for a poll of this port */
	uint64_t flag_kick_cycle; /* the cycle a flag event last kicked it in */
	/*
	 * An INSERTED event's module, not yet read (ins_pending), or already
	 * logged from the event alone (ins_logged: it was pulled, or its
	 * static data could not be read, before a poll got to it).
	 */
	bool ins_pending, ins_logged;
	bool ins_reset; /* a logged insertion was another module */
	struct optic_nl_event ins_ev;
	uint64_t polled; /* CLOCK_MONOTONIC µs of its last poll */
	struct poll_read *pr; /* this cycle's read by the readers (readers.h) */
	bool kick_read; /* pr is an event's poll (manager_kick_read()) */
	/*
	 * The ranges the last poll stored, and the driver's event number as
	 * each was read (0 unknown): a FLAG event numbered above is news.
	 */
	struct poll_range seq_rg[POLL_RANGES_MAX];
	uint64_t seq[POLL_RANGES_MAX];
	size_t n_seq;
	/* FLAG events that wait for pr's bytes (manager.c), and how many. */
	struct optic_nl_event *deferred;
	size_t n_deferred;
	unsigned int lanes;

	struct optic_image img;
	struct optic_model model;
	struct poll_slot *slots; /* the model's values a poll reads */
	size_t nslots;
	struct poll_values pv; /* from the model, updated by each poll */
	struct port_settings set;

	/* Static data, read at insertion. */
	double max_power; /* W, NaN unknown */
	unsigned int ready_time; /* s, MaxDurationModulePwrUp; 0 unknown */
	struct thresholds mod_thr[_MON_MAX]; /* as the module advertises */
	struct thresholds thr[_MON_MAX]; /* module's, then overrides */
	char firmware[sizeof("255.255")]; /* CMIS bytes 39-40, major.minor */

	struct history *hist;
	size_t hist_bytes;
	struct sample last;
	bool have_sample;

	/* Policy states. */
	uint8_t level[_MON_MAX][OPTICD_MAX_LANES]; /* enum level */
	struct thermal_state thermal;
	struct recovery_state recovery;
	bool power_held;
	struct prediction pred[_PRED_MAX][OPTICD_MAX_LANES];
	uint32_t active_since[OPTICD_MAX_LANES]; /* lane live since (s) */
	/* The lanes' flags counted, a kind and lane each: most have none. */
	struct lane_flag *lane_flags;
	size_t n_lane_flags;
	/* Latched monitor flags of this poll, judged with its sample. */
	struct mon_flags mon_flags;
	uint32_t flag_lanes; /* lanes live at the previous poll */

	/* What opticd itself asked of the module. */
	bool lpmode_ours;
	uint32_t txdis_ours;
	/* The application = setting (application.h). */
	bool app_due; /* to be looked at once the module is ready */
	bool app_refused; /* refused since the insertion: logged, left alone */
	bool app_busy; /* an apply in flight */

	/* Counters (monotonic for the daemon's life). */
	uint64_t actions[_POLICY_MAX][2]; /* [policy][ACTION_LOG/ACT] */
	uint32_t flags_prev[_FLAP_KIND_MAX]; /* lanes raised at the last poll */
	uint64_t poll_errors;
	uint64_t insertions;
	bool read_failing;

	/* The flight recorder's link-affecting records (linkrec.h). */
	struct link_state link;

	/* Its metrics, rendered at generation gen (metrics.c). */
	struct port_metrics *metrics;
	uint64_t gen; /* moved by port_touch() */
	uint64_t sample_gen; /* moved by port_touch_sample() */
};

/* Something of @p its metrics show changed: render them again. */
static inline void port_touch(struct port *p)
{
	p->gen++;
}

/*
 * Only the values of @p's last sample changed (their LSBs move at every
 * poll): render again the families that show them, not the port's others.
 */
static inline void port_touch_sample(struct port *p)
{
	p->sample_gen++;
}

static inline void port_set_known(struct port *p, bool known)
{
	if (p->known != known)
		port_touch(p);
	p->known = known;
}

/* A port named @name, empty, with a one-lane history of @spec. */
int port_new(struct port **out, const char *name,
	     const struct history_spec *spec);
void port_free(struct port *p);
static inline void port_freep(struct port **p)
{
	port_free(*p);
}
/* Per-port policy state back to its initial values (a new module). */
void port_reset_policies(struct port *p);
/* Lane @l's flags of kind @k; NULL: none counted yet. */
struct lane_flag *port_flag(const struct port *p, enum flap_kind k,
			    unsigned int l);
/* The same, added when missing (NULL: no memory). */
struct lane_flag *port_flag_add(struct port *p, enum flap_kind k,
				unsigned int l);
static inline bool port_flap_alerting(const struct port *p, enum flap_kind k,
				      unsigned int l)
{
	const struct lane_flag *lf = port_flag(p, k, l);

	return lf && lf->flap.alerting;
}
/* Flags of kind @k counted on lane @l. */
static inline uint64_t port_flags_total(const struct port *p, enum flap_kind k,
					unsigned int l)
{
	const struct lane_flag *lf = port_flag(p, k, l);

	return lf ? lf->total : 0;
}

/* The byte ranges a health poll of @p reads, into @out; returns how many. */
size_t poll_ranges(const struct port *p,
		   struct poll_range out[POLL_RANGES_MAX]);
/*
 * The values of @p's model a poll reads (struct poll_slot) and p->pv from
 * the whole model: after each decode of the image. The model keeps those
 * and the lanes' application and data-path state only: read the statics
 * before.
 */
int port_plan(struct port *p);

/* Bytes of each poll range a poll found changed (bit i: byte i). */
struct poll_changes {
	uint64_t b[POLL_RANGES_MAX][2];
	const uint8_t *data[POLL_RANGES_MAX]; /* the range's bytes, stored */
};

/*
 * What a poll read for range @i (@rg) of poll_ranges(), @len bytes, into
 * the image; the bytes that differ from it marked in @ch.
 */
int poll_store(struct port *p, const struct poll_range *rg, size_t i,
	       const uint8_t *buf, size_t len, struct poll_changes *ch);
/* After the stores: the values whose bytes changed decoded into p->pv. */
void poll_update(struct port *p, const struct poll_changes *ch);

/* Monitors (base units), data-path states and latched flags of a model. */
void poll_values_from_model(const struct optic_model *model,
			    struct poll_values *pv);
/* Latched flags a FLAG event announced, as a poll's values hold them. */
struct flag_news {
	uint32_t flags[_FLAP_KIND_MAX]; /* by lane */
	struct mon_flags mf;
};

struct poll_read;
/*
 * Whether FLAG event @ev is news for @p: raised after the read of its flag
 * byte that @read (the readers' read, done, not taken yet) or else the
 * last poll stored (their event numbers, docs/netlink.md), or raised
 * before and that read lacks its bits (another raw reader took them). With
 * a driver that gives no numbers: bits neither the image nor @read holds
 * (a read holding them got them itself: an echo, or a condition already
 * seen). What those bits feed, for a module read, into @news.
 */
bool port_flag_news(const struct port *p, const struct optic_nl_event *ev,
		    const struct poll_read *read, struct flag_news *news);
/* Lanes whose CMIS data path is activated (all if not CMIS). */
uint32_t poll_values_active(const struct poll_values *pv);
/* Module thresholds from the model (NaN when not advertised). */
void thresholds_from_model(const struct optic_model *model,
			   struct thresholds thr[_MON_MAX]);
double max_power_from_model(const struct optic_model *model);

uint64_t now_realtime(void);
/* CLOCK_REALTIME in ns. */
uint64_t now_realtime_ns(void);
/* CLOCK_BOOTTIME in ns: the clock of the driver's event times. */
uint64_t now_boottime_ns(void);
/* CLOCK_MONOTONIC in µs. */
uint64_t now_monotonic(void);

#endif /* OPTICD_PORT_H */
