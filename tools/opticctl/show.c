// SPDX-License-Identifier: GPL-2.0-or-later
/* opticctl show / dom: a port decoded, ethtool -m style. */
#include <string.h>

#include "opticctl.h"

/* What only the driver knows: a bus error it is riding out, checksums. */
static void show_driver_view(struct optic_print *p,
			     const struct optic_module_info *info)
{
	if (info->access_error) {
		op_text(p, "\t%-42s: ", "Bus error (last values shown)");
		op_string(p, "access_error", "%s\n",
			  strerror((int)info->access_error));
		op_uint(p, "access_errno", NULL, info->access_error);
	}
	if (info->present && (info->attrs & OPTIC_ATTR(OPTIC_A_CHECKSUM_OK))) {
		op_text(p, "\t%-42s: ", "Identity checksums match");
		op_bool(p, "checksum_ok", "%s\n", info->checksum_ok);
	}
}

static int show_port(struct oc *c, const struct optic_module_info *info,
		     unsigned int sections)
{
	struct optic_print *p = c->p;
	struct optic_image img;
	struct optic_model m = {};
	int r;

	op_open_object(p, NULL);
	op_string(p, "port", "%s:\n", info->name);
	op_bool(p, "present", NULL, info->present);
	if (info->attrs & OPTIC_ATTR(OPTIC_A_I2C_BUS)) {
		op_text(p, "\t%-42s: ", "I2C bus, address");
		op_uint(p, "i2c_bus", "i2c-%" PRIu64, info->i2c_bus);
		op_uint(p, "i2c_addr", " 0x%02" PRIx64 "\n", info->i2c_addr);
	}
	show_driver_view(p, info);
	if (!info->present) {
		op_text(p, "\tno module present\n");
		op_close_object(p);
		return 0;
	}
	optic_image_init(&img);
	r = oc_fetch(c, info->name, &img);
	if (r == 0) {
		r = optic_decode(&img, &m);
		if (r < 0)
			r = -oc_fail(c, r, "%s: decoding", info->name);
	}
	if (r == 0) {
		optic_model_print(p, &m, sections);
		/* SFF-8636/8472 have no state machine: the driver's view */
		if ((sections & OPTIC_SHOW_STATUS) &&
		    !optic_model_get(&m, "module_state", NULL, -1)) {
			op_text(p, "\t%-42s: ", "Module state (driver)");
			op_string(p, "module_state", "%s\n",
				  optic_state_name(info->state) ?: "unknown");
		}
	}
	op_close_object(p);
	optic_model_free(&m);
	optic_image_clear(&img);
	return r;
}

static int show_cmd(struct oc *c, int argc, char **argv, unsigned int sections)
{
	_cleanup_free_ struct optic_module_info *mods = NULL;
	struct optic_module_info info;
	int r, ret = OC_OK;
	size_t n, i;

	if (argc != 2)
		return oc_usage("usage: opticctl %s PORT|all", argv[0]);
	if (!streq(argv[1], "all")) {
		r = oc_port(c, argv[1], &info);
		if (r < 0)
			return -r;
		r = show_port(c, &info, sections);
		return r < 0 ? -r : OC_OK;
	}
	r = oc_ports(c, &mods, &n);
	if (r < 0)
		return -r;
	op_open_array(c->p, NULL);
	for (i = 0; i < n; i++) {
		if (i)
			op_text(c->p, "\n");
		r = show_port(c, &mods[i], sections);
		if (r < 0)
			ret = -r;
	}
	op_close_array(c->p);
	return ret;
}

int cmd_show(struct oc *c, int argc, char **argv)
{
	return show_cmd(c, argc, argv, OPTIC_SHOW_ALL);
}

int cmd_dom(struct oc *c, int argc, char **argv)
{
	return show_cmd(c, argc, argv, OPTIC_SHOW_DOM);
}
