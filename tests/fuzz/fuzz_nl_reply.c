// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for liboptic's parsers of the driver's netlink replies:
 * the first byte picks the parser (MODULE_GET and CAGE_ADD, RECORD_GET,
 * BUS_GET, EEPROM_READ, DATAPATH_GET, EEPROM_READ of modules), the rest is the attribute stream of one reply
 * behind a valid nlmsghdr and genlmsghdr. Any attribute type, length or
 * nesting (the lines, the bus classes and their order counters, the ports
 * array, a snapshot's VDM array) must parse or be
 * refused cleanly, and what parses holds together.
 *
 *   make fuzz-build && build/fuzz/fuzz_nl_reply -max_total_time=60
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/optic.h>

#include "decode.h"
#include "netlink.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, size_t size)
{
	if (strnlen(s, size) >= size)
		abort();
}

static void module(struct nlmsghdr *nlh)
{
	struct optic_module_info m;
	struct optic_flag_hit hit;
	unsigned int l;

	if (optic_nl_module_parse(nlh, &m) < 0)
		return;
	check_str(m.name, sizeof(m.name));
	check_str(m.vendor_pn, sizeof(m.vendor_pn));
	for (l = 0; l < OPTIC_LINES; l++) {
		check_str(m.lines[l].chip, sizeof(m.lines[l].chip));
		if (m.lines[l].active_low < -1 || m.lines[l].active_low > 1)
			abort();
	}
	/* opticctl list names the worst flag of whatever the driver sent */
	if (m.nflags > sizeof(m.flags) ||
	    (optic_flags_worst(m.spec, m.lane_count, m.flags, m.nflags, &hit) >
		     0 &&
	     !hit.f))
		abort();
}

static void record(struct nlmsghdr *nlh)
{
	struct optic_nl_record r;
	unsigned int i, acc = 0;

	if (optic_nl_record_parse(nlh, &r) < 0)
		return;
	check_str(r.ev.name, sizeof(r.ev.name));
	if (r.lanes > 32 || r.nvdm > sizeof(r.vdm) / sizeof(r.vdm[0]))
		abort();
	/* every VDM value is whole and readable */
	for (i = 0; i < r.nvdm; i++)
		acc |= r.vdm[i].lane | r.vdm[i].type | r.vdm[i].raw;
	(void)acc;
}

static void bus(struct nlmsghdr *nlh)
{
	struct optic_bus_info b;
	uint64_t sum = 0;
	size_t i;

	if (optic_nl_bus_parse(nlh, &b) == 0) {
		check_str(b.name, sizeof(b.name));
		/* every port index is readable */
		for (i = 0; i < b.n_ports; i++)
			sum += b.ports[i];
		if (b.n_ports && !b.ports)
			abort();
		/* a class without the order or contention counters: none */
		for (i = 0; i < OPTIC_BUS_CLASSES; i++)
			if ((!b.cls[i].has_order &&
			     (b.cls[i].ahead || b.cls[i].inversions)) ||
			    (!b.cls[i].has_contended && b.cls[i].contended_bytes))
				abort();
	}
	optic_bus_info_clear(&b);
	(void)sum;
}

static void eeprom(struct nlmsghdr *nlh)
{
	uint8_t buf[OPTIC_EEPROM_PAGE_SIZE];
	uint64_t seq;
	int r = optic_nl_eeprom_parse(nlh, buf, sizeof(buf), &seq);
	uint8_t lower[10], upper[74];
	const struct optic_eeprom_range rg[] = {
		{ .offset = 8, .len = sizeof(lower), .buf = lower },
		{ .page = 0x11, .offset = 128, .len = sizeof(upper),
		  .buf = upper },
	};

	if (r > (int)sizeof(buf))
		abort();
	/* a poll's two ranges: ASan checks no nest writes past its buffer */
	optic_nl_eeprom_ranges_parse(nlh, rg, ARRAY_SIZE(rg), &seq);
}

/* EEPROM_READ of modules: each nest's ranges stay in their buffers */
static void modules(struct nlmsghdr *nlh)
{
	uint8_t lower[2][10], upper[2][74];
	const struct optic_eeprom_range rg[2][2] = {
		{ { .offset = 8, .len = 10, .buf = lower[0] },
		  { .page = 0x11, .offset = 128, .len = 74, .buf = upper[0] } },
		{ { .offset = 8, .len = 10, .buf = lower[1] },
		  { .page = 0x11, .offset = 128, .len = 74, .buf = upper[1] } },
	};
	struct optic_eeprom_module m[2] = {
		{ .name = "port0", .rg = rg[0], .n = 2, .ret = -ENODATA },
		{ .name = "port1", .rg = rg[1], .n = 2, .ret = -ENODATA },
	};

	/* a parsed reply gives each module a result: data, or an errno */
	if (optic_nl_eeprom_modules_parse(nlh, m, ARRAY_SIZE(m)) == 0)
		for (size_t i = 0; i < ARRAY_SIZE(m); i++)
			if (m[i].ret > 0 || m[i].ret < -4095 ||
			    (m[i].ret < 0 && m[i].seq))
				abort();
}

static void datapath(struct nlmsghdr *nlh)
{
	struct optic_datapath dp;

	/* the lane count never exceeds what the arrays hold */
	if (optic_nl_datapath_parse(nlh, &dp) == 0 &&
	    dp.lanes > OPTIC_DP_MAX_LANES)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const parsers[])(struct nlmsghdr *) = {
		module, record, bus, eeprom, datapath, modules
	};
	size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	struct nlmsghdr *nlh;
	struct genlmsghdr *gh;

	if (size < 1 || size > 65536)
		return 0;
	nlh = calloc(1, hdr + size - 1);
	if (!nlh)
		return 0;
	nlh->nlmsg_len = hdr + size - 1;
	nlh->nlmsg_type = GENL_ID_CTRL + 1;
	gh = NLMSG_DATA(nlh);
	gh->cmd = OPTIC_CMD_MODULE_GET;
	gh->version = OPTIC_GENL_VERSION;
	memcpy((uint8_t *)nlh + hdr, data + 1, size - 1);
	parsers[data[0] % ARRAY_SIZE(parsers)](nlh);
	free(nlh);
	return 0;
}
