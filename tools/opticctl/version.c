// SPDX-License-Identifier: GPL-2.0-or-later
/* opticctl version: this program's version and the loaded driver's. */
#include <stdio.h>

#include "opticctl.h"

static void read_line(const char *path, char *buf, size_t size)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (f && fgets(buf, size, f))
		buf[strcspn(buf, "\n")] = '\0';
}

int cmd_version(struct oc *c, int argc, char **argv)
{
	char drv[64];

	if (argc > 1)
		return oc_usage("usage: opticctl version");
	read_line("/sys/module/optic/version", drv, sizeof(drv));
	if (!drv[0] && access("/sys/module/optic", F_OK) == 0)
		snprintf(drv, sizeof(drv), "loaded");
	op_open_object(c->p, NULL);
	op_string(c->p, "opticctl", "opticctl %s\n", OPTIC_VERSION);
	op_uint(c->p, "genl_version",
		"netlink family \"optic\" version %" PRIu64 "\n",
		OPTIC_GENL_VERSION);
	if (drv[0])
		op_string(c->p, "driver", "driver optic %s\n", drv);
	else
		op_null(c->p, "driver", "driver optic not loaded\n");
	op_close_object(c->p);
	return OC_OK;
}
