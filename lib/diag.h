/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * CMIS module performance diagnostics (CMIS 5.2 8.16-8.17, pages 13h and
 * 14h; the layout optic uses is docs/diag.md): the capabilities a module
 * advertises, its loopbacks, and PRBS runs with their per-lane bit and
 * error counts. Register access goes through struct optic_diag_io (the
 * optic driver's netlink EEPROM commands, or a fake module in the unit
 * tests). Lanes are masks, bit n = lane n + 1 of the side (host or media),
 * lanes 8b+1..8b+8 on bank b. Every function returns >= 0 or -errno;
 * nothing here logs: refusals come with a sentence in *why.
 */
#ifndef OPTIC_DIAG_H
#define OPTIC_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OPTIC_DIAG_PAGE_CTL 0x13
#define OPTIC_DIAG_PAGE_RES 0x14
#define OPTIC_DIAG_MAX_LANES 32 /* 4 banks */
#define OPTIC_DIAG_PATTERNS 16
/* CMIS 5.4 Table 10-5 tDDCS: the data window follows the selector within */
#define OPTIC_DIAG_TDDCS_MS 10

enum optic_diag_side { OPTIC_DIAG_HOST, OPTIC_DIAG_MEDIA, OPTIC_DIAG_SIDES };
enum optic_diag_kind {
	OPTIC_DIAG_GENERATOR,
	OPTIC_DIAG_CHECKER,
	OPTIC_DIAG_KINDS,
};

enum optic_diag_loopback {
	OPTIC_LB_HOST_INPUT,
	OPTIC_LB_HOST_OUTPUT,
	OPTIC_LB_MEDIA_INPUT,
	OPTIC_LB_MEDIA_OUTPUT,
	OPTIC_LB_COUNT,
};

/* A capability bit of page 13h bytes 128-142 (not the engines'). */
enum optic_diag_flag {
	OPTIC_DIAG_LB_PER_LANE_HOST,
	OPTIC_DIAG_LB_PER_LANE_MEDIA,
	OPTIC_DIAG_LB_SIMULTANEOUS,
	OPTIC_DIAG_GATING_RESULTS,
	OPTIC_DIAG_PERIODIC_UPDATES,
	OPTIC_DIAG_PER_LANE_GATING,
	OPTIC_DIAG_AUTO_RESTART,
	OPTIC_DIAG_BER,
	OPTIC_DIAG_COUNTING,
	OPTIC_DIAG_SNR_HOST,
	OPTIC_DIAG_SNR_MEDIA,
	OPTIC_DIAG_FEC_HOST,
	OPTIC_DIAG_FEC_MEDIA,
	OPTIC_DIAG_FLAGS,
};

/* An attribute of a generator or checker (bytes 131 and 142). */
enum optic_diag_attr {
	OPTIC_DIAG_PRE_FEC,
	OPTIC_DIAG_POST_FEC,
	OPTIC_DIAG_PER_LANE_ENABLE,
	OPTIC_DIAG_PER_LANE_PATTERN,
	OPTIC_DIAG_ATTRS,
};

struct optic_diag_name {
	const char *name; /* text */
	const char *key; /* JSON */
};

/* Page 13h bytes 128-143 of bank 0, as the module advertises them. */
struct optic_diag_caps {
	uint8_t raw[16];
};

/* Page 13h bytes 144-183 of one bank: generators, checkers, loopbacks. */
#define OPTIC_DIAG_CTL_OFF 144
#define OPTIC_DIAG_CTL_LEN 40
struct optic_diag_ctl {
	uint8_t b[OPTIC_DIAG_CTL_LEN];
};

/* What a PRBS run changes, per bank, to put back afterwards. */
struct optic_diag_saved {
	unsigned int banks; /* banks 0..banks-1 saved */
	struct optic_diag_ctl ctl[OPTIC_DIAG_MAX_LANES / 8];
	uint8_t selector[OPTIC_DIAG_MAX_LANES / 8]; /* 14h:128 */
};

/* One lane's result of a PRBS run. */
struct optic_diag_lane {
	unsigned int lane; /* 1-based, of the side */
	bool counted; /* bits and errors are the module's counts */
	uint64_t bits, errors;
	double ber; /* errors / bits, or the module's BER; NaN: none */
	double snr_db; /* the lane's input SNR (selector 06h); NaN: none */
	bool lock_lost; /* the checker lost lock during the run (or never had it) */
};

/*
 * EEPROM access at 0x50: @off 0-255 of @page/@bank, at most 8 bytes a
 * write and 128 a read. sleep_ms may be NULL (nanosleep).
 */
struct optic_diag_io {
	int (*read)(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		    uint16_t len, uint8_t *buf);
	int (*write)(void *ctx, uint8_t page, uint8_t bank, uint8_t off,
		     uint16_t len, const uint8_t *buf);
	void (*sleep_ms)(void *ctx, unsigned int ms);
	void *ctx;
};

/* ---- names ---- */
const struct optic_diag_name *optic_diag_side_name(enum optic_diag_side s);
const struct optic_diag_name *optic_diag_kind_name(enum optic_diag_kind k);
const struct optic_diag_name *
optic_diag_loopback_name(enum optic_diag_loopback l);
const struct optic_diag_name *optic_diag_flag_name(enum optic_diag_flag f);
const struct optic_diag_name *optic_diag_attr_name(enum optic_diag_attr a);
/* The JSON object a flag belongs to: "loopback", "measurement", "reporting". */
const char *optic_diag_flag_group(enum optic_diag_flag f);
/* "host-input" etc.; -EINVAL when @s names none. */
int optic_diag_loopback_parse(const char *s, enum optic_diag_loopback *l);
/* "host" or "media"; -EINVAL otherwise. */
int optic_diag_side_parse(const char *s, enum optic_diag_side *side);
/* A pattern ID's name ("PRBS31Q"), NULL for IDs 13-15 and beyond. */
const char *optic_diag_pattern_name(unsigned int id);
/* "PRBS31Q", "prbs-31q", ...: the pattern ID; -EINVAL when none. */
int optic_diag_pattern_parse(const char *s);
/* Gating time accuracy, byte 129 bits 7-6: "none", "2ms", "20ms", "over_20ms". */
const struct optic_diag_name *
optic_diag_gating_name(const struct optic_diag_caps *c);

/* ---- capabilities (docs/diag.md, page 13h 128-142) ---- */
/* Page 01h byte 142 bit 5: pages 13h-14h implemented. */
bool optic_diag_advertised(uint8_t p01_142);
bool optic_diag_flag(const struct optic_diag_caps *c, enum optic_diag_flag f);
bool optic_diag_loopback_supported(const struct optic_diag_caps *c,
				   enum optic_diag_loopback l);
enum optic_diag_side optic_diag_loopback_side(enum optic_diag_loopback l);
bool optic_diag_attr(const struct optic_diag_caps *c, enum optic_diag_side s,
		     enum optic_diag_kind k, enum optic_diag_attr a);
/* The engine exists: pre-FEC or post-FEC. */
bool optic_diag_engine(const struct optic_diag_caps *c, enum optic_diag_side s,
		       enum optic_diag_kind k);
/* Patterns the engine supports: bit n = pattern ID n. */
uint16_t optic_diag_patterns(const struct optic_diag_caps *c,
			     enum optic_diag_side s, enum optic_diag_kind k);
/*
 * Media lanes of a module with @host_lanes host lanes, from application
 * 1's lane counts (lower page byte 88: host lanes bits 7-4, media 3-0);
 * @host_lanes when the byte says nothing.
 */
unsigned int optic_diag_media_lanes(unsigned int host_lanes, uint8_t counts);

/* ---- controls (page 13h 144-183 of a bank) ---- */
/* The lanes (bank-local bit mask) whose loopback @l is on. */
uint8_t optic_diag_ctl_loopback(const struct optic_diag_ctl *ctl,
				enum optic_diag_loopback l);
void optic_diag_ctl_set_loopback(struct optic_diag_ctl *ctl,
				 enum optic_diag_loopback l, uint8_t lanes,
				 bool on);
/* Select @pattern for @lanes of both engines of @s and enable them. */
void optic_diag_ctl_prbs(struct optic_diag_ctl *ctl, enum optic_diag_side s,
			 unsigned int pattern, uint8_t lanes);
/* The pattern lane @lane (0-7) of an engine selects. */
unsigned int optic_diag_ctl_pattern(const struct optic_diag_ctl *ctl,
				    enum optic_diag_side s,
				    enum optic_diag_kind k, unsigned int lane);
/* The lanes (bank-local) an engine has enabled. */
uint8_t optic_diag_ctl_enabled(const struct optic_diag_ctl *ctl,
			       enum optic_diag_side s, enum optic_diag_kind k);
/*
 * Byte 177 for counting: per-lane start/stop (bit 7 clear), ungated
 * (bits 3-1 clear), ResetErrorInformation (bit 5) as @reset, other bits
 * as in @ctl.
 */
uint8_t optic_diag_ctl_counting(const struct optic_diag_ctl *ctl, bool reset);

/* ---- results (page 14h) ---- */
/* The selector whose window holds @lane (0-7) of @s: 02h-05h. */
uint8_t optic_diag_count_selector(enum optic_diag_side s, unsigned int lane);
/* Errors and bits of @lane (0-7) from its selector's window (14h:192-255). */
void optic_diag_counts(const uint8_t win[64], unsigned int lane,
		       uint64_t *errors, uint64_t *bits);
/* The module's BER of @lane (0-7) of @s from selector 01h's window. */
double optic_diag_window_ber(const uint8_t win[64], enum optic_diag_side s,
			     unsigned int lane);
/*
 * The input SNR in dB of @lane (0-7) of @s from selector 06h's window
 * (U16 little-endian, 1/256 dB); NaN when the module reports 0 (none).
 */
double optic_diag_window_snr(const uint8_t win[64], enum optic_diag_side s,
			     unsigned int lane);
/* errors / bits; NaN when no bit was compared or errors > bits. */
double optic_diag_ber(uint64_t errors, uint64_t bits);

/* ---- checks: 0, or -EOPNOTSUPP/-ERANGE/-EINVAL with *why ---- */
int optic_diag_check_loopback(const struct optic_diag_caps *c,
			      enum optic_diag_loopback l, uint32_t lanes,
			      unsigned int nlanes, bool on,
			      uint32_t other_side_on, const char **why);
int optic_diag_check_prbs(const struct optic_diag_caps *c,
			  enum optic_diag_side s, unsigned int pattern,
			  uint32_t lanes, unsigned int nlanes,
			  const char **why);

/* ---- sequences over @io ---- */
/* Page 13h bytes 128-143 of bank 0. */
int optic_diag_read_caps(const struct optic_diag_io *io,
			 struct optic_diag_caps *c);
int optic_diag_read_ctl(const struct optic_diag_io *io, unsigned int bank,
			struct optic_diag_ctl *ctl);
/* Write the 8-byte groups of @bank where @want differs from @have. */
int optic_diag_write_ctl(const struct optic_diag_io *io, unsigned int bank,
			 const struct optic_diag_ctl *have,
			 const struct optic_diag_ctl *want);
/* Loopback @l on or off for @lanes, other lanes untouched. */
int optic_diag_loopback_set(const struct optic_diag_io *io,
			    enum optic_diag_loopback l, uint32_t lanes,
			    bool on);
/* Save banks 0..(@lanes' last bank) for optic_diag_restore(). */
int optic_diag_save(const struct optic_diag_io *io, uint32_t lanes,
		    struct optic_diag_saved *sv);
/* Put every saved bank back (all of 144-183 and 14h:128). */
int optic_diag_restore(const struct optic_diag_io *io,
		       const struct optic_diag_saved *sv);
/*
 * Start @pattern on @lanes of @s (from the saved state @sv), reset the
 * counters and clear the loss-of-lock flags: counting starts on return.
 */
int optic_diag_prbs_start(const struct optic_diag_io *io,
			  const struct optic_diag_saved *sv,
			  enum optic_diag_side s, unsigned int pattern,
			  uint32_t lanes);
/*
 * 1 when the generators and checkers of @lanes of @s still run, 0 when
 * some stopped (the module was reset, or another host turned them off).
 */
int optic_diag_prbs_running(const struct optic_diag_io *io,
			    enum optic_diag_side s, uint32_t lanes);
/*
 * The results of @lanes of @s into @res (one entry per lane, in order;
 * @n entries at most): counts when @c advertises counting, else the
 * module's BER; and the SNR of each lane where @c advertises it for @s
 * (13h:130 bits 4-5), else NaN. Returns the entries filled.
 */
int optic_diag_prbs_results(const struct optic_diag_io *io,
			    const struct optic_diag_caps *c,
			    enum optic_diag_side s, uint32_t lanes,
			    struct optic_diag_lane *res, size_t n);

#endif /* OPTIC_DIAG_H */
