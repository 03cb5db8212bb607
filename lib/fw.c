// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Module firmware update over CDB (CMIS 5.2 9.7): Start Firmware Download
 * (0101h) with the image size and the first StartCmdPayloadSize bytes of
 * the image, Write Firmware Block LPL (0103h) or EPL (0104h) from that
 * offset on, Complete (0107h); then Run (0109h) and Commit (010Ah).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "fw.h"
#include "util.h"

/* used when the module gives no duration */
#define FW_DEFAULT_START_MS 5000
#define FW_DEFAULT_WRITE_MS 1000
#define FW_DEFAULT_COMPLETE_MS 30000

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

int optic_fw_parse_features(const uint8_t *rpl, size_t len,
			    struct optic_fw_features *f)
{
	unsigned int scale;

	memset(f, 0, sizeof(*f));
	if (len < 16)
		return -EBADMSG;
	/* 137 bit 0: Abort; bit 3: MaxDuration fields in 10 ms units */
	f->abort = rpl[1] & 0x01;
	scale = rpl[1] & 0x08 ? 10 : 1;
	f->start_payload = rpl[2];
	/* 141: 01h LPL, 10h EPL, 11h both (some modules: bits 0 and 1) */
	f->lpl = rpl[5] & 0x01;
	f->epl = rpl[5] & 0x12;
	f->start_ms = be16(rpl + 8) * scale;
	f->write_ms = be16(rpl + 12) * scale;
	f->complete_ms = be16(rpl + 14) * scale;
	if (f->start_payload > CDB_LPL_MAX - 8)
		return -EBADMSG;
	return 0;
}

static void parse_image(const uint8_t *p, struct optic_fw_image *img)
{
	size_t i;

	img->major = p[0];
	img->minor = p[1];
	img->build = be16(p + 2);
	for (i = 0; i < 32 && p[4 + i]; i++)
		img->extra[i] = p[4 + i] >= 0x20 && p[4 + i] < 0x7f ?
					(char)p[4 + i] :
					'?';
	img->extra[i] = '\0';
}

int optic_fw_parse_info(const uint8_t *rpl, size_t len,
			struct optic_fw_info *info)
{
	unsigned int i;

	memset(info, 0, sizeof(*info));
	if (len < 2)
		return -EBADMSG;
	info->status = rpl[0];
	/* CMIS 5.2 Table 9-29: 136 bits 0-2 image A, 4-6 image B */
	for (i = 0; i < 2; i++) {
		struct optic_fw_image *img = &info->img[i];

		img->running = rpl[0] & (1u << (4 * i));
		img->committed = rpl[0] & (2u << (4 * i));
		img->valid = !(rpl[0] & (4u << (4 * i)));
		img->present = rpl[1] & (1u << i);
		if (img->present) {
			if (len < 2 + 36 * (i + 1))
				return -EBADMSG;
			parse_image(rpl + 2 + 36 * i, img);
		}
	}
	info->factory.present = rpl[1] & 0x04;
	if (info->factory.present) {
		if (len < 110)
			return -EBADMSG;
		parse_image(rpl + 74, &info->factory);
		info->factory.valid = true;
	}
	return 0;
}

int optic_fw_features(struct optic_cdb *cdb, struct optic_fw_features *f)
{
	uint8_t rpl[CDB_LPL_MAX];
	struct optic_cdb_cmd cmd = {
		.id = CDB_CMD_FW_FEATURES,
		.rpl = rpl,
		.rpl_max = sizeof(rpl),
	};
	int r;

	r = optic_cdb_exec(cdb, &cmd);
	if (r < 0)
		return r;
	r = optic_fw_parse_features(rpl, cmd.rpl_len, f);
	if (r < 0)
		return r;
	if (!f->start_ms)
		f->start_ms = FW_DEFAULT_START_MS;
	if (!f->write_ms)
		f->write_ms = FW_DEFAULT_WRITE_MS;
	if (!f->complete_ms)
		f->complete_ms = FW_DEFAULT_COMPLETE_MS;
	return 0;
}

int optic_fw_info(struct optic_cdb *cdb, struct optic_fw_info *info)
{
	uint8_t rpl[CDB_LPL_MAX];
	struct optic_cdb_cmd cmd = {
		.id = CDB_CMD_FW_INFO,
		.rpl = rpl,
		.rpl_max = sizeof(rpl),
	};
	int r;

	r = optic_cdb_exec(cdb, &cmd);
	if (r < 0)
		return r;
	return optic_fw_parse_info(rpl, cmd.rpl_len, info);
}

const char *optic_fw_phase_name(enum optic_fw_phase phase)
{
	switch (phase) {
	case OPTIC_FW_START:
		return "start";
	case OPTIC_FW_WRITE:
		return "write";
	case OPTIC_FW_COMPLETE:
		return "complete";
	case OPTIC_FW_DONE:
		return "done";
	}
	return "unknown";
}

int optic_fw_abort(struct optic_cdb *cdb)
{
	struct optic_cdb_cmd cmd = { .id = CDB_CMD_FW_ABORT };

	return optic_cdb_exec(cdb, &cmd);
}

static int report(const struct optic_fw_flash_opts *o,
		  struct optic_fw_progress *p, enum optic_fw_phase phase,
		  size_t done)
{
	p->phase = phase;
	p->done = done;
	return o->cb && o->cb(p, o->arg) ? -ECANCELED : 0;
}

/* A module-reported failure or a user abort: leave the module idle. */
static int give_up(struct optic_cdb *cdb, int err)
{
	uint8_t status = cdb->last_status;
	uint16_t id = cdb->last_cmd;

	if (err == -ECANCELED || cdb->last_status & CDB_STATUS_FAILED)
		optic_fw_abort(cdb);
	/* report the command that failed, not the Abort */
	cdb->last_status = status;
	cdb->last_cmd = id;
	return err;
}

int optic_fw_flash(struct optic_cdb *cdb, const struct optic_fw_flash_opts *o,
		   size_t *done)
{
	struct optic_fw_progress p = { .total = o->size };
	struct optic_fw_features f;
	uint8_t lpl[CDB_LPL_MAX];
	size_t off, hdr, block, acked = 0;
	bool epl;
	int r;

	if (done)
		*done = 0;
	if (!o->image || !o->size || o->size > UINT32_MAX)
		return -EINVAL;
	r = optic_fw_features(cdb, &f);
	if (r < 0)
		return r;
	if (!f.lpl && !f.epl)
		return -EOPNOTSUPP;
	hdr = f.start_payload;
	if (o->size <= hdr || o->resume_from > o->size)
		return -EINVAL;
	epl = f.epl && cdb->caps.epl_pages && !(o->force_lpl && f.lpl);
	if (!f.lpl && !epl)
		return -EOPNOTSUPP;
	p.epl = epl;
	block = epl ? cdb->caps.epl_pages * 128u : CDB_LPL_MAX - 4;

	if (o->resume_from) {
		off = MAX(o->resume_from, hdr);
		acked = off;
	} else {
		struct optic_cdb_cmd start = {
			.id = CDB_CMD_FW_START,
			.lpl = lpl,
			.lpl_len = 8 + hdr,
			.timeout_ms = f.start_ms,
		};

		r = report(o, &p, OPTIC_FW_START, 0);
		if (r < 0)
			return r;
		/* CMIS 5.2 Table 9-33: size, 4 reserved, vendor data (header) */
		memset(lpl, 0, 8);
		put_be32(lpl, o->size);
		memcpy(lpl + 8, o->image, hdr);
		r = optic_cdb_exec(cdb, &start);
		if (r < 0)
			return give_up(cdb, r);
		off = hdr;
		acked = hdr;
	}

	while (off < o->size) {
		size_t n = MIN(block, o->size - off);
		struct optic_cdb_cmd cmd = {
			.timeout_ms = f.write_ms,
			.lpl = lpl,
		};

		r = report(o, &p, OPTIC_FW_WRITE, acked);
		if (r < 0)
			return give_up(cdb, r);
		/* block address: image offset minus the header sent in Start */
		put_be32(lpl, off - hdr);
		if (epl) {
			cmd.id = CDB_CMD_FW_WRITE_EPL;
			cmd.lpl_len = 4;
			cmd.epl = o->image + off;
			cmd.epl_len = n;
		} else {
			cmd.id = CDB_CMD_FW_WRITE_LPL;
			cmd.lpl_len = 4 + n;
			memcpy(lpl + 4, o->image + off, n);
		}
		r = optic_cdb_exec(cdb, &cmd);
		if (r < 0) {
			if (done)
				*done = acked;
			return give_up(cdb, r);
		}
		off += n;
		acked = off;
		if (done)
			*done = acked;
	}

	r = report(o, &p, OPTIC_FW_COMPLETE, acked);
	if (r < 0)
		return give_up(cdb, r);
	{
		struct optic_cdb_cmd cmd = {
			.id = CDB_CMD_FW_COMPLETE,
			.timeout_ms = f.complete_ms,
		};

		r = optic_cdb_exec(cdb, &cmd);
		if (r < 0)
			return give_up(cdb, r);
	}
	report(o, &p, OPTIC_FW_DONE, acked);
	return 0;
}

int optic_fw_run(struct optic_cdb *cdb, uint8_t mode, unsigned int wait_ms)
{
	/* CMIS 5.2 Table 9-40: reserved, ImageToRun, DelayToReset (ms) */
	uint8_t lpl[4] = { 0, mode, 0, 0 };
	struct optic_cdb_cmd cmd = {
		.id = CDB_CMD_FW_RUN,
		.lpl = lpl,
		.lpl_len = sizeof(lpl),
		.resets = true,
		.timeout_ms = wait_ms,
	};
	uint64_t deadline;
	unsigned int delay = 5;
	uint8_t st;
	int r;

	if (mode > 3)
		return -EINVAL;
	r = optic_cdb_exec(cdb, &cmd);
	if (r < 0)
		return r;
	/* the module resets: wait for ModuleReady or ModuleLowPwr (byte 3) */
	deadline = optic_cdb_now(cdb) + wait_ms;
	for (;;) {
		r = cdb->ops->read(cdb->ctx, 0, 0, 3, 1, &st);
		if (r >= 0) {
			uint8_t state = (st >> 1) & 7;

			/*
			 * The reset selected page 00h: say so, or a transport
			 * that caches the page select would address a stale
			 * page (the write of byte 127 drops its mapping).
			 */
			if (state == 3 || state == 1)
				return cdb->ops->write(cdb->ctx, 0, 0, 127, 1,
						       (const uint8_t[]){ 0 });
			if (state == 5)
				return -EIO; /* ModuleFault */
		} else if (r != -ENXIO && r != -EREMOTEIO && r != -EIO &&
			   r != -ETIMEDOUT && r != -EAGAIN) {
			return r;
		}
		if (optic_cdb_now(cdb) >= deadline)
			return -ETIMEDOUT;
		optic_cdb_sleep(cdb, delay);
		delay = MIN(delay * 2, 100u);
	}
}

int optic_fw_commit(struct optic_cdb *cdb)
{
	struct optic_cdb_cmd cmd = { .id = CDB_CMD_FW_COMMIT };

	return optic_cdb_exec(cdb, &cmd);
}

static int lock_path(const char *dir, const char *port, char *buf, size_t size)
{
	int n;

	if (!port[0] || strchr(port, '/') || port[0] == '.')
		return -EINVAL;
	n = snprintf(buf, size, "%s/%s.fw.lock", dir ? dir : OPTIC_FW_LOCK_DIR,
		     port);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int optic_fw_lock(const char *dir, const char *port)
{
	char path[256];
	int fd, r;

	r = lock_path(dir, port, path, sizeof(path));
	if (r < 0)
		return r;
	if (mkdir(dir ? dir : OPTIC_FW_LOCK_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		r = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
		return r;
	}
	return fd;
}

int optic_fw_locked(const char *dir, const char *port)
{
	char path[256];
	_cleanup_close_ int fd = -1;
	int r;

	r = lock_path(dir, port, path, sizeof(path));
	if (r < 0)
		return r;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (flock(fd, LOCK_SH | LOCK_NB) < 0)
		return errno == EWOULDBLOCK ? 1 : -errno;
	flock(fd, LOCK_UN);
	return 0;
}

uint32_t optic_fw_crc32(const uint8_t *buf, size_t len)
{
	uint32_t crc = 0xffffffff;
	size_t i;
	int k;

	for (i = 0; i < len; i++) {
		crc ^= buf[i];
		for (k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc;
}
