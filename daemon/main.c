// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticd: health polling, policies and metrics for optical transceivers.
 * manager_new → manager_start → READY=1 → sd_event_loop, like systemd's
 * small daemons. See opticd(8).
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#include "config.h"
#include "log.h"
#include "manager.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: opticd [OPTIONS]\n"
		"Poll optical transceivers, apply policies, export metrics.\n\n"
		"  -c, --config=PATH     configuration file (default %s)\n"
		"      --check-config    validate the configuration, print the\n"
		"                        effective one, and exit\n"
		"      --log-target=T    auto, journal or console (default auto)\n"
		"  -v, --verbose         log debug messages too\n"
		"  -V, --version         print the version and exit\n"
		"  -h, --help            this help\n",
		OPTICD_CONFIG_PATH);
}

/* Load @path; the default path may be missing (built-in defaults). */
static int load_config(const char *path, bool is_default, struct config **c)
{
	_cleanup_free_ char *err = NULL;
	int r = config_load(path, c, &err);

	if (r == -ENOENT && is_default)
		return config_new_default(c);
	if (r < 0)
		fprintf(stderr, "opticd: %s\n", err ? err : strerror(-r));
	return r;
}

int main(int argc, char **argv)
{
	enum { OPT_CHECK = 0x100, OPT_LOG_TARGET };
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, OPT_CHECK },
		{ "log-target", required_argument, NULL, OPT_LOG_TARGET },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	_cleanup_(manager_freep) struct manager *m = NULL;
	const char *path = OPTICD_CONFIG_PATH;
	struct config *cfg = NULL;
	bool check = false, is_default = true;
	int c, r;

	/*
	 * One malloc arena: the poll readers and the apply threads allocate
	 * little and briefly, and an arena each would keep its pages (RSS).
	 */
	mallopt(M_ARENA_MAX, 1);
	/*
	 * A fixed mmap threshold: buffers of 128 KiB and more live briefly (a
	 * scrape's bus metrics, ~1 MB at 512 buses; libmicrohttpd's piece of
	 * a scrape): mapped and unmapped. glibc's dynamic threshold would
	 * serve them from the heap after the first one's free, where the
	 * blocks rendered meanwhile keep the heap from shrinking.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	while ((c = getopt_long(argc, argv, "c:vVh", opts, NULL)) >= 0) {
		switch (c) {
		case 'c':
			path = optarg;
			is_default = false;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case OPT_LOG_TARGET:
			if (streq(optarg, "journal"))
				log_set_target(LOG_TARGET_JOURNAL);
			else if (streq(optarg, "console"))
				log_set_target(LOG_TARGET_CONSOLE);
			else if (streq(optarg, "auto"))
				log_set_target(LOG_TARGET_AUTO);
			else {
				fprintf(stderr,
					"opticd: unknown log target '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'v':
			log_set_max_level(LOG_DEBUG);
			break;
		case 'V':
			printf("opticd %s\n", OPTIC_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}

	r = load_config(path, is_default, &cfg);
	if (r < 0)
		return 1;
	if (check) {
		config_dump(cfg, stdout);
		config_free(cfg);
		return 0;
	}

	r = manager_new(&m, path, cfg);
	if (r < 0) {
		config_free(cfg);
		log_errno(r, "failed to create the manager");
		return 1;
	}
	r = manager_start(m);
	if (r < 0) {
		sd_notifyf(0, "STATUS=Failed to start: %s\nERRNO=%d",
			   strerror(-r), -r);
		return 1;
	}
	sd_notify(0, "READY=1");
	r = manager_run(m);
	if (r < 0) {
		log_errno(r, "event loop failed");
		return 1;
	}
	return 0;
}
