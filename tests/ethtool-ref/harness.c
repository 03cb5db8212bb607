// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ethtool-ref: print what `ethtool -m` prints for a module image, using the
 * SFF-8079/SFF-8472, SFF-8636 and CMIS decoders of ethtool's own source (the
 * version Debian 12 ships). scripts/ethtool-ref.sh fetches that source and
 * builds this file with cmis.c, qsfp.c, sfpid.c, sfpdiag.c and sff-common.c.
 *
 * The decoders read pages through nl_get_eeprom_page() (netlink/
 * module-eeprom.c in ethtool); this file provides it over an image in
 * optic's text dump format (docs/sim.md), and dispatches on the identifier
 * byte exactly as module-eeprom.c's eeprom_parse() does.
 *
 * usage: ethtool-ref IMAGE.dump
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sff-common.h"
#include "cmis.h"
#include "netlink/extapi.h"

#define MAX_SECTIONS 128

/* One address/page/bank: bytes 0-127 are the lower page of the address. */
struct section {
	u8 addr, page, bank;
	u8 data[256];
	u8 valid[256];
};

static struct section sections[MAX_SECTIONS];
static int nsections;

static struct section *section_get(u8 addr, u8 page, u8 bank, int create)
{
	int i;

	for (i = 0; i < nsections; i++)
		if (sections[i].addr == addr && sections[i].page == page &&
		    sections[i].bank == bank)
			return &sections[i];
	if (!create || nsections == MAX_SECTIONS)
		return NULL;
	sections[nsections].addr = addr;
	sections[nsections].page = page;
	sections[nsections].bank = bank;
	return &sections[nsections++];
}

static int load(const char *path)
{
	unsigned int addr = 0x50, page = 0, bank = 0;
	char line[512];
	FILE *f = fopen(path, "r");
	int ln = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *s = line, *end;
		unsigned long off, v;
		struct section *sec;

		ln++;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		if (!strncmp(s, "page", 4)) {
			char *tok = strtok(s + 4, " \t\n");

			page = strtoul(tok ? tok : "0", NULL, 16);
			bank = 0;
			addr = 0x50;
			while ((tok = strtok(NULL, " \t\n"))) {
				char *arg = strtok(NULL, " \t\n");

				if (!arg)
					break;
				if (!strcmp(tok, "bank"))
					bank = strtoul(arg, NULL, 10);
				else if (!strcmp(tok, "i2c"))
					addr = strtoul(arg, NULL, 16);
			}
			continue;
		}
		off = strtoul(s, &end, 16);
		if (*end != ':' || off > 255) {
			fprintf(stderr, "%s:%d: bad line\n", path, ln);
			fclose(f);
			return -EINVAL;
		}
		s = end + 1;
		/* offsets below 128 are the lower page of the address */
		sec = off < 128 ? section_get(addr, 0, 0, 1) :
				  section_get(addr, page, bank, 1);
		if (!sec) {
			fclose(f);
			return -E2BIG;
		}
		for (;;) {
			v = strtoul(s, &end, 16);
			if (end == s || off > 255)
				break;
			sec->data[off] = v;
			sec->valid[off] = 1;
			off++;
			s = end;
		}
	}
	fclose(f);
	return 0;
}

/* What the kernel's ETHTOOL_MSG_MODULE_EEPROM_GET would answer. */
int nl_get_eeprom_page(struct cmd_context *ctx __maybe_unused,
		       struct ethtool_module_eeprom *request)
{
	const struct section *sec;
	u32 i;

	if (request->offset + request->length > 256)
		return -EINVAL;
	sec = request->offset < 128 ?
		      section_get(request->i2c_address, 0, 0, 0) :
		      section_get(request->i2c_address, request->page,
				  request->bank, 0);
	if (!sec)
		return -EINVAL;
	for (i = 0; i < request->length; i++)
		if (!sec->valid[request->offset + i])
			return -EIO;
	request->data = malloc(request->length);
	if (!request->data)
		return -ENOMEM;
	memcpy(request->data, sec->data + request->offset, request->length);
	return 0;
}

/*
 * A dump without a page the netlink decoders insist on (SFF-8472 A2h,
 * SFF-8636 page 03h, CMIS 01h, 02h, 11h) is what a driver with only the
 * ioctl gives: 256 bytes, A0h lower and upper page 00h. Decode it as
 * ethtool.c's do_getmodule() then does.
 */
static int ioctl_fallback(const u8 *lower_and_page0)
{
	u8 id[256];

	memcpy(id, lower_and_page0, sizeof(id));
	/*
	 * cmis_show_all_ioctl() takes page 01h from the 128 bytes after page
	 * 00h of a paged module, which a 256-byte buffer does not have
	 * (ethtool reads beyond it). Decode what the dump holds: as flat
	 * memory (CMIS 5.2 Table 8-4 byte 2 bit 7), lower page and 00h only.
	 */
	if (id[0] != SFF8024_ID_SFP && id[0] != SFF8024_ID_QSFP &&
	    id[0] != SFF8024_ID_QSFP28 && id[0] != SFF8024_ID_QSFP_PLUS)
		id[2] |= 0x80;
	if (id[0] == SFF8024_ID_SFP)
		sff8079_show_all_ioctl(id);
	else
		sff8636_show_all_ioctl(id, ETH_MODULE_SFF_8636_LEN);
	return 0;
}

/* SFF-8472 byte 92 bit 6 promises A2h: without it in the dump, the ioctl. */
static bool sfp_without_a2(const u8 *lower)
{
	return (lower[92] & 0x40) && !section_get(0x51, 0, 0, 0);
}

int main(int argc, char **argv)
{
	struct cmd_context ctx = { .devname = "ref" };
	const struct section *lower;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: ethtool-ref IMAGE.dump\n");
		return 1;
	}
	ret = load(argv[1]);
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-ret));
		return 1;
	}
	lower = section_get(0x50, 0, 0, 0);
	if (!lower || !lower->valid[0]) {
		fprintf(stderr, "%s: no byte 0\n", argv[1]);
		return 1;
	}
	/* netlink/module-eeprom.c eeprom_parse() */
	switch (lower->data[0]) {
	case SFF8024_ID_SFP:
		ret = sfp_without_a2(lower->data) ?
			      ioctl_fallback(lower->data) :
			      sff8079_show_all_nl(&ctx);
		break;
	case SFF8024_ID_QSFP:
	case SFF8024_ID_QSFP28:
	case SFF8024_ID_QSFP_PLUS:
		ret = sff8636_show_all_nl(&ctx);
		if (ret < 0) /* prints nothing before it has every page */
			ret = ioctl_fallback(lower->data);
		break;
	case SFF8024_ID_QSFP_DD:
	case SFF8024_ID_OSFP:
	case SFF8024_ID_DSFP:
		ret = cmis_show_all_nl(&ctx);
		if (ret < 0)
			ret = ioctl_fallback(lower->data);
		break;
	default:
		fprintf(stderr, "%s: identifier 0x%02x: ethtool dumps hex\n",
			argv[1], lower->data[0]);
		return 1;
	}
	if (ret < 0) {
		fprintf(stderr, "%s: decoder failed: %s\n", argv[1],
			strerror(-ret));
		return 1;
	}
	return 0;
}
