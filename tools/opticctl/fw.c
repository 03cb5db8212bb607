// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl fw: module firmware over CMIS CDB (docs/firmware.md).
 *   fw info PORT                 images A and B: versions, running, committed
 *   fw flash [--lpl] [--resume] PORT FILE
 *                                download into the inactive image
 *   fw run [--hitless] PORT      reset into the inactive image
 *   fw commit PORT               make the running image the boot image
 *   fw abort PORT                abort a download left behind
 * A flash holds /run/optic/PORT.fw.lock; progress is a bar on a TTY and
 * one JSON object per line with --json.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "cdb.h"
#include "fw.h"
#include "opticctl.h"

#define FW_USAGE                                                              \
	"usage: opticctl fw info PORT | flash [--lpl] [--resume] PORT FILE |" \
	" run [--hitless] PORT | commit PORT | abort PORT"
/* larger than any module image we know of */
#define FW_MAX_IMAGE (64u << 20)
#define FW_RUN_WAIT_MS 60000

static volatile sig_atomic_t fw_stop;

static void on_signal(int sig)
{
	fw_stop = sig;
}

static const char *lock_dir(void)
{
	const char *d = getenv("OPTIC_RUN_DIR");

	return d && *d ? d : OPTIC_FW_LOCK_DIR;
}

/* The module's word on the last command, for error messages. */
static void fw_detail(const struct optic_cdb *cdb)
{
	if (cdb->last_status & CDB_STATUS_FAILED)
		fprintf(stderr,
			"opticctl: the module said: %s (CdbStatus %02Xh, command %04Xh)\n",
			optic_cdb_status_str(cdb->last_status),
			cdb->last_status, cdb->last_cmd);
}

/*
 * After a transport error: a module pulled mid-download and one that stopped
 * answering look alike to the write that failed; the cage tells.
 */
static void fw_report_cage(struct oc *c, const char *port)
{
	if (optic_nl_cage_empty(c->nl, port))
		fprintf(stderr,
			"opticctl: %s: the cage reads empty now (module pulled, or not answering)\n",
			port);
}

/* The port's module, if it is a CMIS module with CDB. */
static int fw_port(struct oc *c, const char *port)
{
	struct optic_module_info info;
	int r;

	r = oc_port(c, port, &info);
	if (r < 0)
		return -r;
	if (!info.present) {
		fprintf(stderr, "opticctl: %s: no module present\n", info.name);
		return OC_NOTFOUND;
	}
	if (info.spec != OPTIC_SPEC_CMIS || info.flat_mem) {
		fprintf(stderr,
			"opticctl: %s: firmware update needs a paged CMIS module\n",
			info.name);
		return OC_NOTFOUND;
	}
	return OC_OK;
}

/*
 * Take the port's CDB lock (every CDB user holds it: one command at a time
 * on page 9Fh), then read the CDB advertisement. *lock = -EBUSY when
 * another process holds it and @busy_ok; else that is an error.
 */
static int fw_open(struct oc *c, const char *port, struct optic_cdb *cdb,
		   struct optic_cdb_nl *t, int *lock, bool busy_ok)
{
	int r;

	r = fw_port(c, port);
	if (r)
		return r;
	*lock = optic_fw_lock(lock_dir(), port);
	if (*lock == -EBUSY) {
		if (busy_ok)
			return OC_OK;
		fprintf(stderr,
			"opticctl: %s: another firmware flash is running on this module (%s/%s.fw.lock is held)\n",
			port, lock_dir(), port);
		return OC_IO;
	}
	if (*lock < 0)
		return oc_fail(NULL, *lock, "%s: taking the flash lock", port);
	r = optic_cdb_open_nl(cdb, t, c->nl, port);
	if (r == -EOPNOTSUPP) {
		fprintf(stderr,
			"opticctl: %s: the module has no CDB (page 01h byte 163)\n",
			port);
		return OC_NOTFOUND;
	}
	if (r < 0)
		return oc_fail(c, r, "%s: reading the CDB advertisement", port);
	return OC_OK;
}

static void print_image(struct optic_print *p, char name,
			const struct optic_fw_image *img)
{
	char ver[16];

	op_open_object(p, NULL);
	snprintf(ver, sizeof(ver), "%c", name);
	op_string(p, "image", "image %s:", ver);
	snprintf(ver, sizeof(ver), "%u.%u", img->major, img->minor);
	if (img->present) {
		op_string(p, "version", " %-7s", ver);
		op_uint(p, "build", " build %-5" PRIu64, img->build);
	} else {
		op_null(p, "version", " -");
	}
	op_bool(p, "running", NULL, img->running);
	op_bool(p, "committed", NULL, img->committed);
	op_bool(p, "valid", NULL, img->valid);
	if (img->running)
		op_text(p, " running");
	if (img->committed)
		op_text(p, " committed");
	if (!img->valid)
		op_text(p, " invalid");
	if (img->present && img->extra[0])
		op_string(p, "extra", " (%s)", img->extra);
	op_text(p, "\n");
	op_close_object(p);
}

/* A flash is running: no CDB; the versions the registers give. */
static int fw_info_busy(struct oc *c, const char *port)
{
	uint8_t act[2], inact[2];
	char ver[16];
	int r;

	/* CMIS 5.2: lower 39-40 running, 01h:128-129 inactive firmware */
	r = optic_nl_eeprom_read(c->nl, port, 0x50, 0, 0, 39, 2, act);
	if (r >= 0)
		r = optic_nl_eeprom_read(c->nl, port, 0x50, 0x01, 0, 128, 2,
					 inact);
	if (r < 0)
		return oc_fail(c, r, "%s: reading the firmware versions", port);
	op_open_object(c->p, NULL);
	op_string(c->p, "port", "%s:\n", port);
	op_null(c->p, "images", NULL);
	snprintf(ver, sizeof(ver), "%u.%u", act[0], act[1]);
	op_string(c->p, "running_version", "running firmware %s\n", ver);
	snprintf(ver, sizeof(ver), "%u.%u", inact[0], inact[1]);
	op_string(c->p, "inactive_version", "inactive firmware %s\n", ver);
	op_bool(c->p, "flashing",
		"a flash is running (image details once it is done)\n", true);
	op_close_object(c->p);
	return OC_OK;
}

static int fw_info(struct oc *c, const char *port)
{
	struct optic_cdb_nl t = {};
	_cleanup_close_ int lock = -1;
	struct optic_cdb cdb;
	struct optic_fw_features f;
	struct optic_fw_info info;
	int r;

	r = fw_open(c, port, &cdb, &t, &lock, true);
	if (r)
		return r;
	if (lock == -EBUSY)
		return fw_info_busy(c, port);
	r = optic_fw_info(&cdb, &info);
	if (r < 0) {
		fw_detail(&cdb);
		return oc_fail(c, r, "%s: Get Firmware Info", port);
	}
	op_open_object(c->p, NULL);
	op_string(c->p, "port", "%s:\n", port);
	op_open_array(c->p, "images");
	print_image(c->p, 'A', &info.img[0]);
	print_image(c->p, 'B', &info.img[1]);
	if (info.factory.present)
		print_image(c->p, 'F', &info.factory);
	op_close_array(c->p);
	op_open_object(c->p, "cdb");
	op_uint(c->p, "epl_pages", "CDB: EPL pages %" PRIu64,
		cdb.caps.epl_pages);
	op_uint(c->p, "rw_len", ", %" PRIu64 "-byte accesses", cdb.caps.rw_len);
	op_bool(c->p, "background", NULL, cdb.caps.background);
	if (optic_fw_features(&cdb, &f) >= 0) {
		op_bool(c->p, "lpl", NULL, f.lpl);
		op_bool(c->p, "epl", NULL, f.epl);
		op_string(c->p, "write", ", writes through %s",
			  f.lpl && f.epl ? "lpl+epl" :
			  f.epl		 ? "epl" :
					   "lpl");
		op_uint(c->p, "start_payload", NULL, f.start_payload);
	}
	op_text(c->p, "\n");
	op_close_object(c->p);
	op_bool(c->p, "flashing", NULL, false);
	op_close_object(c->p);
	return OC_OK;
}

struct flash_ui {
	struct oc *c;
	const char *port;
	bool tty;
	int last_pct;
	enum optic_fw_phase last_phase;
};

static int on_progress(const struct optic_fw_progress *pr, void *arg)
{
	struct flash_ui *ui = arg;
	int pct = pr->total ? (int)(pr->done * 100 / pr->total) : 0;

	if (fw_stop)
		return 1;
	if (pct == ui->last_pct && pr->phase == ui->last_phase)
		return 0;
	ui->last_pct = pct;
	ui->last_phase = pr->phase;
	if (optic_print_is_json(ui->c->p)) {
		struct optic_print *p;

		if (optic_print_new(&p, stdout, OPTIC_PRINT_JSON) < 0)
			return 0;
		op_open_object(p, NULL);
		op_string(p, "port", NULL, ui->port);
		op_string(p, "phase", NULL, optic_fw_phase_name(pr->phase));
		op_uint(p, "done", NULL, pr->done);
		op_uint(p, "total", NULL, pr->total);
		op_uint(p, "percent", NULL, pct);
		op_close_object(p);
		optic_print_flush(p); /* one line, flushed */
		optic_print_free(p);
	} else if (ui->tty) {
		char bar[41];
		int i;

		for (i = 0; i < 40; i++)
			bar[i] = i < pct * 40 / 100 ? '#' : ' ';
		bar[40] = '\0';
		fprintf(stderr, "\r%s: %-8s [%s] %3d%% %zu/%zu bytes", ui->port,
			optic_fw_phase_name(pr->phase), bar, pct, pr->done,
			pr->total);
		if (pr->phase == OPTIC_FW_DONE)
			fputc('\n', stderr);
	}
	return 0;
}

static int read_image(const char *path, uint8_t **buf, size_t *size)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	size_t got = 0;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	if (st.st_size == 0 || (uint64_t)st.st_size > FW_MAX_IMAGE)
		return -EFBIG;
	*buf = malloc(st.st_size);
	if (!*buf)
		return -ENOMEM;
	while (got < (size_t)st.st_size) {
		n = read(fd, *buf + got, st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(*buf);
			*buf = NULL;
			return n < 0 ? -errno : -EIO;
		}
		got += n;
	}
	*size = got;
	return 0;
}

/* Resume state: which image, how far the module acknowledged it. */
static int state_path(const char *port, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/%s.fw.resume", lock_dir(), port);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static void state_save(const char *port, size_t size, uint32_t crc, size_t done)
{
	_cleanup_fclose_ FILE *f = NULL;
	char path[256];

	if (state_path(port, path, sizeof(path)) < 0)
		return;
	f = fopen(path, "we");
	if (f)
		fprintf(f, "size=%zu crc32=%08x done=%zu\n", size, crc, done);
}

static void state_clear(const char *port)
{
	char path[256];

	if (state_path(port, path, sizeof(path)) == 0)
		unlink(path);
}

static int state_load(const char *port, size_t size, uint32_t crc, size_t *done)
{
	_cleanup_fclose_ FILE *f = NULL;
	char path[256];
	size_t s, d;
	unsigned int c;

	if (state_path(port, path, sizeof(path)) < 0)
		return -ENOENT;
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	if (fscanf(f, "size=%zu crc32=%x done=%zu", &s, &c, &d) != 3)
		return -EINVAL;
	if (s != size || c != crc || d > size)
		return -ESTALE;
	*done = d;
	return 0;
}

static int fw_flash(struct oc *c, const char *port, const char *file,
		    bool force_lpl, bool resume)
{
	_cleanup_close_ int lock = -1;
	_cleanup_free_ uint8_t *img = NULL;
	struct flash_ui ui = { .c = c,
			       .port = port,
			       .last_pct = -1,
			       .last_phase = OPTIC_FW_DONE };
	struct optic_fw_flash_opts o = { .force_lpl = force_lpl,
					 .cb = on_progress,
					 .arg = &ui };
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	struct optic_fw_info before, after;
	struct optic_cdb_nl t = {};
	struct optic_cdb cdb;
	size_t size = 0, done = 0;
	uint32_t crc;
	int r, slot;

	r = read_image(file, &img, &size);
	if (r == -EFBIG)
		return oc_usage("%s: an image must hold 1 to %u bytes", file,
				FW_MAX_IMAGE);
	if (r < 0)
		return oc_fail(NULL, r, "reading %s", file);
	crc = optic_fw_crc32(img, size);
	r = fw_open(c, port, &cdb, &t, &lock, false);
	if (r)
		return r;

	if (resume) {
		r = state_load(port, size, crc, &done);
		if (r < 0) {
			fprintf(stderr,
				"opticctl: %s: no interrupted download of %s to resume%s\n",
				port, file,
				r == -ESTALE ?
					" (the saved one is of another image)" :
					"");
			return OC_USAGE;
		}
		o.resume_from = done;
	} else {
		/* Start restarts the download: an older state is void */
		state_clear(port);
	}

	r = optic_fw_info(&cdb, &before);
	if (r < 0) {
		fw_detail(&cdb);
		return oc_fail(c, r, "%s: Get Firmware Info", port);
	}
	o.image = img;
	o.size = size;
	ui.tty = isatty(STDERR_FILENO) && !optic_print_is_json(c->p);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	r = optic_fw_flash(&cdb, &o, &done);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (ui.tty && r < 0)
		fputc('\n', stderr);
	slot = before.img[0].running ? 1 : 0;

	if (r == -ECANCELED) {
		state_clear(port);
		fprintf(stderr,
			"opticctl: %s: download aborted; the module still runs image %c (%u.%u)\n",
			port, 'A' + !slot, before.img[!slot].major,
			before.img[!slot].minor);
		return OC_IO;
	}
	if (r < 0) {
		bool transport = !(cdb.last_status & CDB_STATUS_FAILED);

		fw_detail(&cdb);
		oc_fail(c, r, "%s: firmware download failed at byte %zu of %zu",
			port, done, size);
		if (transport && done)
			state_save(port, size, crc, done);
		else if (!transport)
			state_clear(port);
		if (transport)
			fw_report_cage(c, port);
		fprintf(stderr,
			"opticctl: %s: the module still runs image %c (%u.%u); retry with: opticctl fw flash %s %s%s\n",
			port, 'A' + !slot, before.img[!slot].major,
			before.img[!slot].minor, port, file,
			transport && done ? " (or --resume to continue)" : "");
		return oc_exit_code(r);
	}
	state_clear(port);

	r = optic_fw_info(&cdb, &after);
	op_open_object(c->p, NULL);
	op_string(c->p, "port", "%s: ", port);
	op_uint(c->p, "bytes", "downloaded %" PRIu64 " bytes", size);
	op_string(c->p, "image", " into image %s", slot ? "B" : "A");
	if (r >= 0) {
		char ver[16];

		snprintf(ver, sizeof(ver), "%u.%u", after.img[slot].major,
			 after.img[slot].minor);
		op_string(c->p, "version", " (version %s)", ver);
		op_bool(c->p, "valid", NULL, after.img[slot].valid);
	}
	op_text(c->p, "; run it with: opticctl fw run %s\n", port);
	op_close_object(c->p);
	return OC_OK;
}

static int fw_run(struct oc *c, const char *port, bool hitless)
{
	_cleanup_close_ int lock = -1;
	struct optic_cdb_nl t = {};
	struct optic_cdb cdb;
	struct optic_fw_info info;
	int r, i;

	r = fw_open(c, port, &cdb, &t, &lock, false);
	if (r)
		return r;
	r = optic_fw_run(&cdb, hitless ? 1 : 0, FW_RUN_WAIT_MS);
	if (r < 0) {
		fw_detail(&cdb);
		return oc_fail(c, r, "%s: Run Firmware Image", port);
	}
	r = optic_fw_info(&cdb, &info);
	if (r < 0) {
		fw_detail(&cdb);
		return oc_fail(c, r, "%s: Get Firmware Info after the run",
			       port);
	}
	i = info.img[1].running;
	op_open_object(c->p, NULL);
	op_string(c->p, "port", "%s: ", port);
	op_string(c->p, "running", "running image %s", i ? "B" : "A");
	{
		char ver[16];

		snprintf(ver, sizeof(ver), "%u.%u", info.img[i].major,
			 info.img[i].minor);
		op_string(c->p, "version", " (%s)", ver);
	}
	op_bool(c->p, "committed", NULL, info.img[i].committed);
	if (!info.img[i].committed)
		op_text(c->p, "; make it permanent with: opticctl fw commit %s",
			port);
	op_text(c->p, "\n");
	op_close_object(c->p);
	return OC_OK;
}

static int fw_simple(struct oc *c, const char *port, bool commit)
{
	_cleanup_close_ int lock = -1;
	struct optic_cdb_nl t = {};
	struct optic_cdb cdb;
	int r;

	r = fw_open(c, port, &cdb, &t, &lock, false);
	if (r)
		return r;
	r = commit ? optic_fw_commit(&cdb) : optic_fw_abort(&cdb);
	if (r < 0) {
		fw_detail(&cdb);
		return oc_fail(c, r, "%s: %s", port,
			       commit ? "Commit Firmware Image" :
					"Abort Firmware Download");
	}
	if (!commit)
		state_clear(port);
	op_open_object(c->p, NULL);
	op_string(c->p, "port", "%s: ", port);
	op_string(c->p, "result", "%s\n", commit ? "committed" : "aborted");
	op_close_object(c->p);
	return OC_OK;
}

int cmd_fw(struct oc *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lpl", no_argument, NULL, 'l' },
		{ "resume", no_argument, NULL, 'r' },
		{ "hitless", no_argument, NULL, 'H' },
		{}
	};
	bool lpl = false, resume = false, hitless = false;
	const char *sub;
	int o;

	if (argc < 2)
		return oc_usage(FW_USAGE);
	sub = argv[1];
	/* the subcommand is getopt's argv[0]; glibc: 0 re-initialises */
	argc--;
	argv++;
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'l':
			lpl = true;
			break;
		case 'r':
			resume = true;
			break;
		case 'H':
			hitless = true;
			break;
		default:
			return oc_usage(FW_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (streq(sub, "flash")) {
		if (argc != 2 || hitless)
			return oc_usage(FW_USAGE);
		return fw_flash(c, argv[0], argv[1], lpl, resume);
	}
	if (argc != 1 || lpl || resume || (hitless && !streq(sub, "run")))
		return oc_usage(FW_USAGE);
	if (streq(sub, "info"))
		return fw_info(c, argv[0]);
	if (streq(sub, "run"))
		return fw_run(c, argv[0], hitless);
	if (streq(sub, "commit"))
		return fw_simple(c, argv[0], true);
	if (streq(sub, "abort"))
		return fw_simple(c, argv[0], false);
	return oc_usage("fw: unknown subcommand '%s'\n" FW_USAGE, sub);
}
