/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Module firmware management over CDB (CMIS 5.2 9.7): firmware info,
 * download (start, write blocks through LPL or EPL, complete, abort), run
 * and commit, and the per-port flash lock. Returns >= 0 or -errno; never
 * logs.
 */
#ifndef OPTIC_FW_H
#define OPTIC_FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdb.h"

/* CMIS 5.2 9.4.2, CMD 0041h reply */
struct optic_fw_features {
	uint8_t start_payload; /* image header bytes sent with Start */
	bool lpl; /* Write Firmware Block LPL supported */
	bool epl; /* Write Firmware Block EPL supported */
	bool abort; /* (assumed: CMIS makes Abort mandatory) */
	unsigned int start_ms, write_ms, complete_ms; /* max durations */
};

/* CMIS 5.2 9.7.1, CMD 0100h reply: images A and B */
struct optic_fw_image {
	bool present; /* information given for the image */
	bool running, committed, valid;
	uint8_t major, minor;
	uint16_t build;
	char extra[33];
};

struct optic_fw_info {
	uint8_t status; /* the raw FirmwareStatus byte */
	struct optic_fw_image img[2]; /* A, B */
	struct optic_fw_image factory;
};

int optic_fw_parse_features(const uint8_t *rpl, size_t len,
			    struct optic_fw_features *f);
int optic_fw_parse_info(const uint8_t *rpl, size_t len,
			struct optic_fw_info *info);

int optic_fw_features(struct optic_cdb *cdb, struct optic_fw_features *f);
int optic_fw_info(struct optic_cdb *cdb, struct optic_fw_info *info);

enum optic_fw_phase {
	OPTIC_FW_START,
	OPTIC_FW_WRITE,
	OPTIC_FW_COMPLETE,
	OPTIC_FW_DONE,
};

const char *optic_fw_phase_name(enum optic_fw_phase phase);

struct optic_fw_progress {
	enum optic_fw_phase phase;
	size_t done; /* image bytes the module acknowledged */
	size_t total;
	bool epl; /* blocks go through the EPL */
};

/* Return non-zero to abort the download (the module is sent Abort). */
typedef int (*optic_fw_progress_cb)(const struct optic_fw_progress *p,
				    void *arg);

struct optic_fw_flash_opts {
	const uint8_t *image;
	size_t size;
	bool force_lpl; /* never use the EPL */
	size_t resume_from; /* > 0: no Start, continue at this byte */
	optic_fw_progress_cb cb;
	void *arg;
};

/*
 * Download @o->image into the module's inactive image: Start, blocks,
 * Complete. @done (may be NULL) gets the bytes acknowledged, for a resume.
 * A user abort (cb) sends Abort and returns -ECANCELED; a module failure
 * sends Abort and returns the status errno; a transport error (NACK,
 * unplug) returns it without Abort, so the download can be resumed.
 */
int optic_fw_flash(struct optic_cdb *cdb, const struct optic_fw_flash_opts *o,
		   size_t *done);
int optic_fw_abort(struct optic_cdb *cdb);

/*
 * Run Firmware Image (CMIS 5.2 9.7.7): @mode 0 reset into the inactive
 * image, 1 the same hitless, 2/3 restart the running one. Waits for the
 * module to answer and reach ModuleReady or ModuleLowPwr within @wait_ms.
 */
int optic_fw_run(struct optic_cdb *cdb, uint8_t mode, unsigned int wait_ms);
int optic_fw_commit(struct optic_cdb *cdb);

/*
 * The flash lock: an exclusive flock(2) on @dir/<port>.fw.lock (dir NULL:
 * OPTIC_FW_LOCK_DIR), held for as long as the returned fd is open. -EBUSY
 * when another process holds it. Daemons test it with optic_fw_locked().
 */
#define OPTIC_FW_LOCK_DIR "/run/optic"
int optic_fw_lock(const char *dir, const char *port);
/* 1 while a flash holds the lock of @port, 0 when not, or -errno. */
int optic_fw_locked(const char *dir, const char *port);

/* CRC-32 (IEEE 802.3) of an image, to recognise it on a resume. */
uint32_t optic_fw_crc32(const uint8_t *buf, size_t len);

#endif /* OPTIC_FW_H */
