// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for liboptic's parser of the driver's netlink
 * notifications (optic_nl_event_parse): the input is the attribute stream of
 * one OPTIC_CMD_EVENT message, behind a valid nlmsghdr and genlmsghdr. Any
 * attribute type, length or nesting must parse or be refused cleanly.
 *
 *   make fuzz-build && build/fuzz/fuzz_nl_event -max_total_time=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/optic.h>

#include "netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	struct optic_nl_event ev;
	struct nlmsghdr *nlh;
	struct genlmsghdr *gh;

	if (size > 65536)
		return 0;
	nlh = calloc(1, hdr + size);
	if (!nlh)
		return 0;
	nlh->nlmsg_len = hdr + size;
	nlh->nlmsg_type = GENL_ID_CTRL + 1;
	gh = NLMSG_DATA(nlh);
	gh->cmd = OPTIC_CMD_EVENT;
	gh->version = OPTIC_GENL_VERSION;
	memcpy((uint8_t *)nlh + hdr, data, size);
	if (optic_nl_event_parse(nlh, &ev) == 0) {
		/* The parsed strings are always terminated. */
		if (strlen(ev.name) >= sizeof(ev.name) ||
		    strlen(ev.vendor_sn) >= sizeof(ev.vendor_sn))
			abort();
	}
	free(nlh);
	return 0;
}
