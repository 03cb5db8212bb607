// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * CMIS module performance diagnostics, pages 13h and 14h (CMIS 5.2 8.16 and
 * 8.17; docs/diag.md has the layout and where each fact comes from). The
 * tables below are the register map: capability bits, loopbacks and the
 * four pattern engines; the functions only walk them.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "decode.h"
#include "diag.h"
#include "util.h"

#define P13_CAP 128 /* first capability byte */
#define P13_COUNTING 177 /* Clocking and Measurement Controls */
#define P14_SELECTOR 128
#define P14_CHECKER_LOL 138 /* host; media at 139 */
#define P14_WINDOW 192
#define SEL_BER 0x01
#define SEL_SNR 0x06
#define CTL_GROUP 8 /* bytes a write may carry (CMIS 8.2.2) */

/* clang-format off */
struct bit_at {
	uint8_t off; /* page 13h byte */
	uint8_t bit;
};

/* CMIS 5.2 8.16.1, byte 128 (sonic, fboss, Oxide agree) and 180-183 */
static const struct lb_row {
	struct optic_diag_name n;
	enum optic_diag_side side;
	struct bit_at cap;
	uint8_t ctl; /* page 13h enable byte, one bit per lane */
	const char *absent;
} lb_rows[OPTIC_LB_COUNT] = {
	[OPTIC_LB_HOST_INPUT] = { { "host-input", "host_input" }, OPTIC_DIAG_HOST, { 128, 3 }, 183,
		"module does not advertise a host-side input loopback (CMIS page 13h byte 128 bit 3)" },
	[OPTIC_LB_HOST_OUTPUT] = { { "host-output", "host_output" }, OPTIC_DIAG_HOST, { 128, 2 }, 182,
		"module does not advertise a host-side output loopback (CMIS page 13h byte 128 bit 2)" },
	[OPTIC_LB_MEDIA_INPUT] = { { "media-input", "media_input" }, OPTIC_DIAG_MEDIA, { 128, 1 }, 181,
		"module does not advertise a media-side input loopback (CMIS page 13h byte 128 bit 1)" },
	[OPTIC_LB_MEDIA_OUTPUT] = { { "media-output", "media_output" }, OPTIC_DIAG_MEDIA, { 128, 0 }, 180,
		"module does not advertise a media-side output loopback (CMIS page 13h byte 128 bit 0)" },
};

/* Bytes 128 (4-6), 129 (2-5) and 130 (0-1, 4-7) */
static const struct flag_row {
	struct optic_diag_name n;
	const char *group;
	struct bit_at at;
} flag_rows[OPTIC_DIAG_FLAGS] = {
	[OPTIC_DIAG_LB_PER_LANE_HOST] = { { "per-lane host loopbacks", "per_lane_host" }, "loopback", { 128, 4 } },
	[OPTIC_DIAG_LB_PER_LANE_MEDIA] = { { "per-lane media loopbacks", "per_lane_media" }, "loopback", { 128, 5 } },
	[OPTIC_DIAG_LB_SIMULTANEOUS] = { { "host and media loopbacks at once", "simultaneous" }, "loopback", { 128, 6 } },
	[OPTIC_DIAG_GATING_RESULTS] = { { "results of the last gating period", "gating_results" }, "measurement", { 129, 5 } },
	[OPTIC_DIAG_PERIODIC_UPDATES] = { { "periodic updates while gating", "periodic_updates" }, "measurement", { 129, 4 } },
	[OPTIC_DIAG_PER_LANE_GATING] = { { "per-lane gating timers", "per_lane_gating" }, "measurement", { 129, 3 } },
	[OPTIC_DIAG_AUTO_RESTART] = { { "auto-restart gating", "auto_restart_gating" }, "measurement", { 129, 2 } },
	[OPTIC_DIAG_BER] = { { "BER", "ber" }, "reporting", { 130, 0 } },
	[OPTIC_DIAG_COUNTING] = { { "bit and error counts", "bits_and_errors" }, "reporting", { 130, 1 } },
	[OPTIC_DIAG_SNR_HOST] = { { "host input SNR", "snr_host" }, "reporting", { 130, 4 } },
	[OPTIC_DIAG_SNR_MEDIA] = { { "media input SNR", "snr_media" }, "reporting", { 130, 5 } },
	[OPTIC_DIAG_FEC_HOST] = { { "host-side FEC errors", "fec_host" }, "reporting", { 130, 6 } },
	[OPTIC_DIAG_FEC_MEDIA] = { { "media-side FEC errors", "fec_media" }, "reporting", { 130, 7 } },
};

static const struct optic_diag_name attr_names[OPTIC_DIAG_ATTRS] = {
	[OPTIC_DIAG_PRE_FEC] = { "pre-FEC", "pre_fec" },
	[OPTIC_DIAG_POST_FEC] = { "post-FEC", "post_fec" },
	[OPTIC_DIAG_PER_LANE_ENABLE] = { "per-lane enable", "per_lane_enable" },
	[OPTIC_DIAG_PER_LANE_PATTERN] = { "per-lane pattern", "per_lane_pattern" },
};

/*
 * The pattern engines: location bits (131), per-lane bits (142), the
 * supported-pattern bitmap (132-139, little-endian), the enable byte and
 * the first pattern-select byte (lane 1 in bits 3-0).
 */
static const struct engine_row {
	struct bit_at attr[OPTIC_DIAG_ATTRS];
	uint8_t patterns, enable, select;
	const char *absent, *per_lane;
} engines[OPTIC_DIAG_SIDES][OPTIC_DIAG_KINDS] = {
	[OPTIC_DIAG_HOST][OPTIC_DIAG_GENERATOR] = {
		{ { 131, 3 }, { 131, 2 }, { 142, 1 }, { 142, 0 } }, 132, 144, 148,
		"module has no host-side pattern generator (CMIS page 13h byte 131 bits 3-2)",
		"the host-side generator enables all lanes together (CMIS page 13h byte 142 bit 1 clear): use all lanes" },
	[OPTIC_DIAG_HOST][OPTIC_DIAG_CHECKER] = {
		{ { 131, 1 }, { 131, 0 }, { 142, 3 }, { 142, 2 } }, 136, 160, 164,
		"module has no host-side pattern checker (CMIS page 13h byte 131 bits 1-0)",
		"the host-side checker enables all lanes together (CMIS page 13h byte 142 bit 3 clear): use all lanes" },
	[OPTIC_DIAG_MEDIA][OPTIC_DIAG_GENERATOR] = {
		{ { 131, 7 }, { 131, 6 }, { 142, 5 }, { 142, 4 } }, 134, 152, 156,
		"module has no media-side pattern generator (CMIS page 13h byte 131 bits 7-6)",
		"the media-side generator enables all lanes together (CMIS page 13h byte 142 bit 5 clear): use all lanes" },
	[OPTIC_DIAG_MEDIA][OPTIC_DIAG_CHECKER] = {
		{ { 131, 5 }, { 131, 4 }, { 142, 7 }, { 142, 6 } }, 138, 168, 172,
		"module has no media-side pattern checker (CMIS page 13h byte 131 bits 5-4)",
		"the media-side checker enables all lanes together (CMIS page 13h byte 142 bit 7 clear): use all lanes" },
};

/* Pattern ID encoding (CMIS 5.0 Table 8-93): 13 reserved, 14 custom, 15 user */
static const char *const pattern_names[] = {
	"PRBS31Q", "PRBS31", "PRBS23Q", "PRBS23", "PRBS15Q", "PRBS15", "PRBS13Q",
	"PRBS13", "PRBS9Q", "PRBS9", "PRBS7Q", "PRBS7", "SSPRQ",
};

/* Byte 129 bits 7-6 */
static const struct optic_diag_name gating_names[] = {
	{ "none", "none" }, { "time accuracy <= 2 ms", "2ms" },
	{ "time accuracy <= 20 ms", "20ms" }, { "time accuracy > 20 ms", "over_20ms" },
};

static const struct optic_diag_name side_names[OPTIC_DIAG_SIDES] = {
	{ "host", "host" }, { "media", "media" },
};

static const struct optic_diag_name kind_names[OPTIC_DIAG_KINDS] = {
	{ "generator", "generator" }, { "checker", "checker" },
};

/*
 * Selector 06h: each side's input SNR, lane n at the byte + 2(n - 1), U16
 * little-endian in 1/256 dB (fboss; docs/diag.md), advertised in 130.
 */
static const struct snr_row {
	enum optic_diag_flag flag;
	uint8_t at; /* page 14h byte of lane 1 */
} snr_rows[OPTIC_DIAG_SIDES] = {
	[OPTIC_DIAG_HOST] = { OPTIC_DIAG_SNR_HOST, 208 },
	[OPTIC_DIAG_MEDIA] = { OPTIC_DIAG_SNR_MEDIA, 240 },
};

static const char *const lanes_why[OPTIC_DIAG_SIDES] = {
	"host-side loopbacks are set for all lanes together (CMIS page 13h byte 128 bit 4 clear): use all lanes",
	"media-side loopbacks are set for all lanes together (CMIS page 13h byte 128 bit 5 clear): use all lanes",
};
/* clang-format on */

const struct optic_diag_name *optic_diag_side_name(enum optic_diag_side s)
{
	return &side_names[s];
}

const struct optic_diag_name *optic_diag_kind_name(enum optic_diag_kind k)
{
	return &kind_names[k];
}

const struct optic_diag_name *
optic_diag_loopback_name(enum optic_diag_loopback l)
{
	return &lb_rows[l].n;
}

const struct optic_diag_name *optic_diag_flag_name(enum optic_diag_flag f)
{
	return &flag_rows[f].n;
}

const char *optic_diag_flag_group(enum optic_diag_flag f)
{
	return flag_rows[f].group;
}

const struct optic_diag_name *optic_diag_attr_name(enum optic_diag_attr a)
{
	return &attr_names[a];
}

int optic_diag_loopback_parse(const char *s, enum optic_diag_loopback *l)
{
	unsigned int i;

	for (i = 0; i < OPTIC_LB_COUNT; i++) {
		if (streq(s, lb_rows[i].n.name)) {
			*l = i;
			return 0;
		}
	}
	return -EINVAL;
}

int optic_diag_side_parse(const char *s, enum optic_diag_side *side)
{
	unsigned int i;

	for (i = 0; i < OPTIC_DIAG_SIDES; i++) {
		if (streq(s, side_names[i].name)) {
			*side = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *optic_diag_pattern_name(unsigned int id)
{
	return id < ARRAY_SIZE(pattern_names) ? pattern_names[id] : NULL;
}

int optic_diag_pattern_parse(const char *s)
{
	char buf[16];
	size_t n = 0;
	unsigned int i;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	for (; *s; s++)
		if (*s != '-' && *s != '_')
			buf[n++] = *s;
	buf[n] = '\0';
	for (i = 0; i < ARRAY_SIZE(pattern_names); i++)
		if (!strcasecmp(buf, pattern_names[i]))
			return i;
	return -EINVAL;
}

static bool bit_of(const struct optic_diag_caps *c, struct bit_at at)
{
	return c->raw[at.off - P13_CAP] >> at.bit & 1;
}

const struct optic_diag_name *
optic_diag_gating_name(const struct optic_diag_caps *c)
{
	return &gating_names[c->raw[129 - P13_CAP] >> 6];
}

bool optic_diag_advertised(uint8_t p01_142)
{
	return p01_142 & 0x20; /* CMIS 5.2 Table 8-40 */
}

bool optic_diag_flag(const struct optic_diag_caps *c, enum optic_diag_flag f)
{
	return bit_of(c, flag_rows[f].at);
}

bool optic_diag_loopback_supported(const struct optic_diag_caps *c,
				   enum optic_diag_loopback l)
{
	return bit_of(c, lb_rows[l].cap);
}

enum optic_diag_side optic_diag_loopback_side(enum optic_diag_loopback l)
{
	return lb_rows[l].side;
}

bool optic_diag_attr(const struct optic_diag_caps *c, enum optic_diag_side s,
		     enum optic_diag_kind k, enum optic_diag_attr a)
{
	return bit_of(c, engines[s][k].attr[a]);
}

bool optic_diag_engine(const struct optic_diag_caps *c, enum optic_diag_side s,
		       enum optic_diag_kind k)
{
	return optic_diag_attr(c, s, k, OPTIC_DIAG_PRE_FEC) ||
	       optic_diag_attr(c, s, k, OPTIC_DIAG_POST_FEC);
}

uint16_t optic_diag_patterns(const struct optic_diag_caps *c,
			     enum optic_diag_side s, enum optic_diag_kind k)
{
	const uint8_t *p = &c->raw[engines[s][k].patterns - P13_CAP];

	return (uint16_t)(p[0] | p[1] << 8);
}

unsigned int optic_diag_media_lanes(unsigned int host_lanes, uint8_t counts)
{
	unsigned int h = counts >> 4, m = counts & 0x0f;

	if (!h || !m)
		return host_lanes;
	return MIN(host_lanes * m / h, OPTIC_DIAG_MAX_LANES);
}

/* ---- controls ---- */

static uint8_t *ctl_at(struct optic_diag_ctl *ctl, unsigned int off)
{
	return &ctl->b[off - OPTIC_DIAG_CTL_OFF];
}

static uint8_t ctl_get(const struct optic_diag_ctl *ctl, unsigned int off)
{
	return ctl->b[off - OPTIC_DIAG_CTL_OFF];
}

uint8_t optic_diag_ctl_loopback(const struct optic_diag_ctl *ctl,
				enum optic_diag_loopback l)
{
	return ctl_get(ctl, lb_rows[l].ctl);
}

void optic_diag_ctl_set_loopback(struct optic_diag_ctl *ctl,
				 enum optic_diag_loopback l, uint8_t lanes,
				 bool on)
{
	uint8_t *b = ctl_at(ctl, lb_rows[l].ctl);

	*b = on ? *b | lanes : *b & ~lanes;
}

unsigned int optic_diag_ctl_pattern(const struct optic_diag_ctl *ctl,
				    enum optic_diag_side s,
				    enum optic_diag_kind k, unsigned int lane)
{
	return ctl_get(ctl, engines[s][k].select + lane / 2) >> (lane % 2 * 4) &
	       0x0f;
}

uint8_t optic_diag_ctl_enabled(const struct optic_diag_ctl *ctl,
			       enum optic_diag_side s, enum optic_diag_kind k)
{
	return ctl_get(ctl, engines[s][k].enable);
}

void optic_diag_ctl_prbs(struct optic_diag_ctl *ctl, enum optic_diag_side s,
			 unsigned int pattern, uint8_t lanes)
{
	unsigned int k, lane;

	for (k = 0; k < OPTIC_DIAG_KINDS; k++) {
		const struct engine_row *e = &engines[s][k];

		for (lane = 0; lane < 8; lane++) {
			uint8_t *b = ctl_at(ctl, e->select + lane / 2);
			unsigned int sh = lane % 2 * 4;

			if (lanes >> lane & 1)
				*b = (*b & ~(0x0f << sh)) | (pattern & 0x0f)
								    << sh;
		}
		*ctl_at(ctl, e->enable) |= lanes;
	}
}

uint8_t optic_diag_ctl_counting(const struct optic_diag_ctl *ctl, bool reset)
{
	/* 177: bit 7 StartStopSelect, 5 ResetErrorInformation, 3-1 time */
	uint8_t v = ctl_get(ctl, P13_COUNTING) & ~0xae;

	return reset ? v | 0x20 : v;
}

/* ---- results ---- */

uint8_t optic_diag_count_selector(enum optic_diag_side s, unsigned int lane)
{
	return 0x02 + 2 * s + (lane >= 4);
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

void optic_diag_counts(const uint8_t win[64], unsigned int lane,
		       uint64_t *errors, uint64_t *bits)
{
	const uint8_t *p = &win[lane % 4 * 16];

	*errors = le64(p);
	*bits = le64(p + 8);
}

double optic_diag_window_ber(const uint8_t win[64], enum optic_diag_side s,
			     unsigned int lane)
{
	return optic_vdm_f16(be16(&win[16 * s + 2 * lane]));
}

double optic_diag_window_snr(const uint8_t win[64], enum optic_diag_side s,
			     unsigned int lane)
{
	const uint8_t *p = &win[snr_rows[s].at - P14_WINDOW + 2 * lane];
	unsigned int v = p[0] | p[1] << 8;

	return v ? v / 256.0 : NAN;
}

double optic_diag_ber(uint64_t errors, uint64_t bits)
{
	if (!bits || errors > bits)
		return NAN;
	return (double)errors / (double)bits;
}

/* ---- checks ---- */

static uint32_t all_lanes(unsigned int nlanes)
{
	return nlanes >= 32 ? UINT32_MAX : (UINT32_C(1) << nlanes) - 1;
}

static int check_lanes(uint32_t lanes, unsigned int nlanes, const char **why)
{
	if (!lanes) {
		*why = "no lanes given";
		return -EINVAL;
	}
	if (lanes & ~all_lanes(nlanes)) {
		*why = "lanes outside the module's lanes of that side";
		return -ERANGE;
	}
	return 0;
}

int optic_diag_check_loopback(const struct optic_diag_caps *c,
			      enum optic_diag_loopback l, uint32_t lanes,
			      unsigned int nlanes, bool on,
			      uint32_t other_side_on, const char **why)
{
	enum optic_diag_side s = lb_rows[l].side;
	int r = check_lanes(lanes, nlanes, why);

	if (r)
		return r;
	if (!optic_diag_loopback_supported(c, l)) {
		*why = lb_rows[l].absent;
		return -EOPNOTSUPP;
	}
	if (lanes != all_lanes(nlanes) &&
	    !optic_diag_flag(c, s == OPTIC_DIAG_HOST ?
					OPTIC_DIAG_LB_PER_LANE_HOST :
					OPTIC_DIAG_LB_PER_LANE_MEDIA)) {
		*why = lanes_why[s];
		return -EOPNOTSUPP;
	}
	if (on && other_side_on &&
	    !optic_diag_flag(c, OPTIC_DIAG_LB_SIMULTANEOUS)) {
		*why = s == OPTIC_DIAG_HOST ?
			       "a media-side loopback is on and the module does not take host- and media-side loopbacks at once (CMIS page 13h byte 128 bit 6 clear)" :
			       "a host-side loopback is on and the module does not take host- and media-side loopbacks at once (CMIS page 13h byte 128 bit 6 clear)";
		return -EOPNOTSUPP;
	}
	return 0;
}

int optic_diag_check_prbs(const struct optic_diag_caps *c,
			  enum optic_diag_side s, unsigned int pattern,
			  uint32_t lanes, unsigned int nlanes, const char **why)
{
	unsigned int k;
	int r = check_lanes(lanes, nlanes, why);

	if (r)
		return r;
	if (!optic_diag_pattern_name(pattern)) {
		*why = "not a PRBS pattern";
		return -EINVAL;
	}
	for (k = 0; k < OPTIC_DIAG_KINDS; k++) {
		if (!optic_diag_engine(c, s, k)) {
			*why = engines[s][k].absent;
			return -EOPNOTSUPP;
		}
		if (!(optic_diag_patterns(c, s, k) >> pattern & 1)) {
			*why = "pattern not supported by both the generator and the checker of that side (CMIS page 13h bytes 132-139)";
			return -EOPNOTSUPP;
		}
		if (lanes != all_lanes(nlanes) &&
		    !optic_diag_attr(c, s, k, OPTIC_DIAG_PER_LANE_ENABLE)) {
			*why = engines[s][k].per_lane;
			return -EOPNOTSUPP;
		}
	}
	if (!optic_diag_flag(c, OPTIC_DIAG_COUNTING) &&
	    !optic_diag_flag(c, OPTIC_DIAG_BER)) {
		*why = "module reports neither bit and error counts nor BER (CMIS page 13h byte 130 bits 1-0 clear)";
		return -EOPNOTSUPP;
	}
	return 0;
}

/* ---- sequences ---- */

static int io_read(const struct optic_diag_io *io, uint8_t page,
		   unsigned int bank, uint8_t off, uint16_t len, uint8_t *buf)
{
	return io->read(io->ctx, page, bank, off, len, buf);
}

static int io_write(const struct optic_diag_io *io, uint8_t page,
		    unsigned int bank, uint8_t off, uint16_t len,
		    const uint8_t *buf)
{
	return io->write(io->ctx, page, bank, off, len, buf);
}

static int io_write_byte(const struct optic_diag_io *io, uint8_t page,
			 unsigned int bank, uint8_t off, uint8_t v)
{
	return io_write(io, page, bank, off, 1, &v);
}

static void io_sleep(const struct optic_diag_io *io, unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	if (io->sleep_ms)
		io->sleep_ms(io->ctx, ms);
	else
		nanosleep(&ts, NULL);
}

/* The lanes of @lanes on bank @b, as a bank-local mask. */
static uint8_t bank_lanes(uint32_t lanes, unsigned int b)
{
	return lanes >> (8 * b) & 0xff;
}

static unsigned int banks_of(uint32_t lanes)
{
	unsigned int b = 0;

	while (b < OPTIC_DIAG_MAX_LANES / 8 && lanes >> (8 * b))
		b++;
	return b;
}

int optic_diag_read_caps(const struct optic_diag_io *io,
			 struct optic_diag_caps *c)
{
	return io_read(io, OPTIC_DIAG_PAGE_CTL, 0, P13_CAP, sizeof(c->raw),
		       c->raw);
}

int optic_diag_read_ctl(const struct optic_diag_io *io, unsigned int bank,
			struct optic_diag_ctl *ctl)
{
	return io_read(io, OPTIC_DIAG_PAGE_CTL, bank, OPTIC_DIAG_CTL_OFF,
		       OPTIC_DIAG_CTL_LEN, ctl->b);
}

int optic_diag_write_ctl(const struct optic_diag_io *io, unsigned int bank,
			 const struct optic_diag_ctl *have,
			 const struct optic_diag_ctl *want)
{
	unsigned int g;
	int r;

	/* generators (144, 152) before checkers (160, 168), then 176-183 */
	for (g = 0; g < OPTIC_DIAG_CTL_LEN; g += CTL_GROUP) {
		if (have && !memcmp(&have->b[g], &want->b[g], CTL_GROUP))
			continue;
		r = io_write(io, OPTIC_DIAG_PAGE_CTL, bank,
			     OPTIC_DIAG_CTL_OFF + g, CTL_GROUP, &want->b[g]);
		if (r < 0)
			return r;
	}
	return 0;
}

int optic_diag_loopback_set(const struct optic_diag_io *io,
			    enum optic_diag_loopback l, uint32_t lanes, bool on)
{
	struct optic_diag_ctl have, want;
	unsigned int b;
	int r;

	for (b = 0; b < banks_of(lanes); b++) {
		if (!bank_lanes(lanes, b))
			continue;
		r = optic_diag_read_ctl(io, b, &have);
		if (r < 0)
			return r;
		want = have;
		optic_diag_ctl_set_loopback(&want, l, bank_lanes(lanes, b), on);
		r = optic_diag_write_ctl(io, b, &have, &want);
		if (r < 0)
			return r;
	}
	return 0;
}

int optic_diag_save(const struct optic_diag_io *io, uint32_t lanes,
		    struct optic_diag_saved *sv)
{
	unsigned int b;
	int r;

	memset(sv, 0, sizeof(*sv));
	for (b = 0; b < banks_of(lanes); b++) {
		r = optic_diag_read_ctl(io, b, &sv->ctl[b]);
		if (r >= 0)
			r = io_read(io, OPTIC_DIAG_PAGE_RES, b, P14_SELECTOR, 1,
				    &sv->selector[b]);
		if (r < 0)
			return r;
		sv->banks = b + 1;
	}
	return 0;
}

int optic_diag_restore(const struct optic_diag_io *io,
		       const struct optic_diag_saved *sv)
{
	unsigned int b;
	int r;

	for (b = 0; b < sv->banks; b++) {
		r = optic_diag_write_ctl(io, b, NULL, &sv->ctl[b]);
		if (r >= 0)
			r = io_write_byte(io, OPTIC_DIAG_PAGE_RES, b,
					  P14_SELECTOR, sv->selector[b]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int start_bank(const struct optic_diag_io *io,
		      const struct optic_diag_ctl *saved, unsigned int b,
		      enum optic_diag_side s, unsigned int pattern,
		      uint8_t lanes)
{
	struct optic_diag_ctl want = *saved;
	uint8_t lol;
	int r;

	optic_diag_ctl_prbs(&want, s, pattern, lanes);
	r = optic_diag_write_ctl(io, b, saved, &want);
	/* CMIS 8.16: ResetErrorInformation holds the counters at zero */
	if (r >= 0)
		r = io_write_byte(io, OPTIC_DIAG_PAGE_CTL, b, P13_COUNTING,
				  optic_diag_ctl_counting(&want, true));
	if (r >= 0)
		r = io_write_byte(io, OPTIC_DIAG_PAGE_CTL, b, P13_COUNTING,
				  optic_diag_ctl_counting(&want, false));
	/* latched, clear on read: what is left from before the run */
	if (r >= 0)
		r = io_read(io, OPTIC_DIAG_PAGE_RES, b, P14_CHECKER_LOL + s, 1,
			    &lol);
	return r < 0 ? r : 0;
}

int optic_diag_prbs_start(const struct optic_diag_io *io,
			  const struct optic_diag_saved *sv,
			  enum optic_diag_side s, unsigned int pattern,
			  uint32_t lanes)
{
	unsigned int b;
	int r;

	if (banks_of(lanes) > sv->banks)
		return -EINVAL;
	for (b = 0; b < banks_of(lanes); b++) {
		if (!bank_lanes(lanes, b))
			continue;
		r = start_bank(io, &sv->ctl[b], b, s, pattern,
			       bank_lanes(lanes, b));
		if (r < 0)
			return r;
	}
	return 0;
}

int optic_diag_prbs_running(const struct optic_diag_io *io,
			    enum optic_diag_side s, uint32_t lanes)
{
	struct optic_diag_ctl ctl;
	unsigned int b, k;
	uint8_t bl;
	int r;

	for (b = 0; b < banks_of(lanes); b++) {
		bl = bank_lanes(lanes, b);
		r = bl ? optic_diag_read_ctl(io, b, &ctl) : 0;
		if (r < 0)
			return r;
		for (k = 0; bl && k < OPTIC_DIAG_KINDS; k++)
			if ((optic_diag_ctl_enabled(&ctl, s, k) & bl) != bl)
				return 0;
	}
	return 1;
}

/* Select @sel on bank @b and read its 64-byte window after tDDCS. */
static int read_window(const struct optic_diag_io *io, unsigned int b,
		       uint8_t sel, uint8_t win[64])
{
	int r = io_write_byte(io, OPTIC_DIAG_PAGE_RES, b, P14_SELECTOR, sel);

	if (r < 0)
		return r;
	io_sleep(io, OPTIC_DIAG_TDDCS_MS);
	return io_read(io, OPTIC_DIAG_PAGE_RES, b, P14_WINDOW, 64, win);
}

/* Fill the entries of bank @b's lanes of @lanes (bank-local) from @win. */
static void fill_lanes(struct optic_diag_lane *res, unsigned int b,
		       uint8_t lanes, unsigned int from, unsigned int to,
		       const uint8_t *win, bool counted, enum optic_diag_side s)
{
	unsigned int lane;

	for (lane = from; lane < to; lane++) {
		struct optic_diag_lane *e = &res[lane];

		if (!(lanes >> lane & 1))
			continue;
		e->lane = 8 * b + lane + 1;
		e->counted = counted;
		if (counted) {
			optic_diag_counts(win, lane, &e->errors, &e->bits);
			e->ber = optic_diag_ber(e->errors, e->bits);
		} else {
			e->ber = optic_diag_window_ber(win, s, lane);
		}
	}
}

/* The SNR of bank @b's lanes (all eight entries) when @c reports it. */
static int bank_snr(const struct optic_diag_io *io,
		    const struct optic_diag_caps *c, enum optic_diag_side s,
		    unsigned int b, struct optic_diag_lane *res)
{
	bool snr = optic_diag_flag(c, snr_rows[s].flag);
	uint8_t win[64];
	unsigned int lane;
	int r = snr ? read_window(io, b, SEL_SNR, win) : 0;

	if (r < 0)
		return r;
	for (lane = 0; lane < 8; lane++)
		res[lane].snr_db = snr ? optic_diag_window_snr(win, s, lane) :
					 NAN;
	return 0;
}

/* All eight entries of bank @b (only @lanes filled). */
static int bank_results(const struct optic_diag_io *io,
			const struct optic_diag_caps *c, enum optic_diag_side s,
			unsigned int b, uint8_t lanes,
			struct optic_diag_lane *res)
{
	bool counting = optic_diag_flag(c, OPTIC_DIAG_COUNTING);
	uint8_t win[64], lol;
	unsigned int g;
	int r;

	for (g = 0; g < 8; g += 4) {
		if (counting && !(lanes >> g & 0x0f))
			continue;
		if (!counting && g)
			break;
		r = read_window(io, b,
				counting ? optic_diag_count_selector(s, g) :
					   SEL_BER,
				win);
		if (r < 0)
			return r;
		fill_lanes(res, b, lanes, counting ? g : 0,
			   counting ? g + 4 : 8, win, counting, s);
	}
	r = io_read(io, OPTIC_DIAG_PAGE_RES, b, P14_CHECKER_LOL + s, 1, &lol);
	if (r < 0)
		return r;
	for (g = 0; g < 8; g++)
		res[g].lock_lost = lol >> g & 1;
	return bank_snr(io, c, s, b, res);
}

int optic_diag_prbs_results(const struct optic_diag_io *io,
			    const struct optic_diag_caps *c,
			    enum optic_diag_side s, uint32_t lanes,
			    struct optic_diag_lane *res, size_t n)
{
	struct optic_diag_lane bank[8];
	unsigned int b, lane;
	size_t got = 0;
	int r;

	for (b = 0; b < banks_of(lanes); b++) {
		uint8_t bl = bank_lanes(lanes, b);

		if (!bl)
			continue;
		memset(bank, 0, sizeof(bank));
		r = bank_results(io, c, s, b, bl, bank);
		if (r < 0)
			return r;
		for (lane = 0; lane < 8 && got < n; lane++)
			if (bl >> lane & 1)
				res[got++] = bank[lane];
	}
	return (int)got;
}
