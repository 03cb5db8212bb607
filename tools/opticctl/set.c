// SPDX-License-Identifier: GPL-2.0-or-later
/* opticctl set: LPMode, TX disable, reset through OPTIC_CMD_MODULE_SET. */
#include "opticctl.h"

static int on_off(const char *s, bool *v)
{
	if (streq(s, "on") || streq(s, "1") || streq(s, "yes"))
		*v = true;
	else if (streq(s, "off") || streq(s, "0") || streq(s, "no"))
		*v = false;
	else
		return -EINVAL;
	return 0;
}

#define SET_USAGE                                                                      \
	"usage: opticctl set PORT lpmode on|off | tx-disable LANES on|off | reset\n"   \
	"       opticctl set PORT application APPSEL|NAME [--lanes L] [--immediate]\n" \
	"       opticctl set PORT datapath LANES on|off"

int cmd_set(struct oc *c, int argc, char **argv)
{
	struct optic_set set = { .lpmode = -1 };
	struct optic_module_info info;
	int i, r;
	bool v;

	if (argc < 3)
		return oc_usage(SET_USAGE);
	if (streq(argv[2], "application") || streq(argv[2], "datapath"))
		return oc_set_datapath(c, argc, argv);
	for (i = 2; i < argc; i++) {
		if (streq(argv[i], "lpmode") && i + 1 < argc) {
			if (on_off(argv[++i], &v) < 0)
				return oc_usage(
					"lpmode: expected on or off, not '%s'",
					argv[i]);
			set.lpmode = v;
		} else if (streq(argv[i], "tx-disable") && i + 2 < argc) {
			uint32_t mask;

			if (oc_parse_lanes(argv[++i], &mask) < 0)
				return oc_usage(
					"tx-disable: bad lanes '%s' (e.g. 1,3,5-8 or all)",
					argv[i]);
			if (on_off(argv[++i], &v) < 0)
				return oc_usage(
					"tx-disable: expected on or off, not '%s'",
					argv[i]);
			set.tx_disable_mask |= mask;
			set.tx_disable = v ? set.tx_disable | mask :
					     set.tx_disable & ~mask;
		} else if (streq(argv[i], "reset")) {
			set.reset = true;
		} else {
			return oc_usage(
				"set: unknown or incomplete setting '%s'\n" SET_USAGE,
				argv[i]);
		}
	}
	r = oc_port(c, argv[1], &info);
	if (r < 0)
		return -r;
	if (!info.present) {
		fprintf(stderr, "opticctl: %s: no module present\n", info.name);
		return OC_NOTFOUND;
	}
	if (info.lane_count && info.lane_count < 32 &&
	    set.tx_disable_mask != 0xffffffff &&
	    (set.tx_disable_mask >> info.lane_count)) {
		return oc_usage("%s has %u lanes", info.name, info.lane_count);
	}
	if (info.lane_count && info.lane_count < 32)
		set.tx_disable_mask &= (1u << info.lane_count) - 1;
	r = optic_nl_module_set(c->nl, info.name, &set);
	if (r < 0)
		return oc_fail(c, r, "%s: set", info.name);
	return OC_OK;
}
