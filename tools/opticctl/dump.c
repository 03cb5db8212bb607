// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl dump: raw pages in the text dump format (or JSON): every page the
 * module advertises (optic_image_fetch_all), or one with --page.
 */
#include <getopt.h>

#include "opticctl.h"

static void dump_json(struct optic_print *p, const char *port,
		      const struct optic_image *img)
{
	size_t i, j;
	char hex[128 * 3 + 1];

	op_open_object(p, NULL);
	op_string(p, "port", NULL, port);
	op_open_array(p, "pages");
	for (i = 0; i < img->n; i++) {
		const struct optic_half *h = &img->h[i];
		size_t n = 0;

		op_open_object(p, NULL);
		op_uint(p, "i2c_addr", NULL, h->addr);
		op_uint(p, "page", NULL, h->page);
		op_uint(p, "bank", NULL, h->bank);
		op_uint(p, "offset", NULL, h->upper ? 128 : 0);
		for (j = 0; j < 128; j++) {
			if (!(h->valid[j / 8] & (1u << (j % 8))))
				break;
			n += snprintf(hex + n, sizeof(hex) - n, "%02x",
				      h->data[j]);
		}
		op_string(p, "data", NULL, hex);
		op_close_object(p);
	}
	op_close_array(p);
	op_close_object(p);
}

int cmd_dump(struct oc *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "page", required_argument, NULL, 'P' },
		{ "bank", required_argument, NULL, 'b' },
		{ "i2c-addr", required_argument, NULL, 'a' },
		{}
	};
	struct optic_module_info info;
	struct optic_image img;
	uint8_t page = 0, bank = 0, addr = OPTIC_ADDR_A0;
	bool have_page = false;
	int o, r;

	optind = 0; /* glibc: re-initialise, permute arguments again */
	while ((o = getopt_long(argc, argv, "P:b:a:", opts, NULL)) != -1) {
		switch (o) {
		case 'P':
			if (oc_parse_u8(optarg, 16, &page) < 0)
				return oc_usage("bad page '%s' (hex, 00-ff)",
						optarg);
			have_page = true;
			break;
		case 'b':
			if (oc_parse_u8(optarg, 0, &bank) < 0)
				return oc_usage("bad bank '%s'", optarg);
			break;
		case 'a':
			if (oc_parse_u8(optarg, 16, &addr) < 0 ||
			    (addr != OPTIC_ADDR_A0 && addr != OPTIC_ADDR_A2))
				return oc_usage(
					"bad i2c address '%s' (0x50 or 0x51)",
					optarg);
			have_page = true;
			break;
		default:
			return oc_usage(
				"usage: opticctl dump PORT [--page P [--bank B]]");
		}
	}
	if (optind != argc - 1)
		return oc_usage(
			"usage: opticctl dump PORT [--page P [--bank B]]");
	if (bank && !have_page)
		return oc_usage("--bank needs --page");
	r = oc_port(c, argv[optind], &info);
	if (r < 0)
		return -r;
	if (!info.present) {
		fprintf(stderr, "opticctl: %s: no module present\n", info.name);
		return OC_NOTFOUND;
	}
	optic_image_init(&img);
	r = have_page ? oc_read_page(c, info.name, addr, page, bank, &img) :
			oc_fetch_all(c, info.name, &img);
	if (r == 0) {
		optic_image_sort(&img);
		if (optic_print_is_json(c->p)) {
			dump_json(c->p, info.name, &img);
		} else {
			printf("# opticctl dump %s\n", info.name);
			r = optic_dump_write(stdout, &img);
			if (r < 0)
				r = -oc_fail(c, r, "writing the dump");
		}
	}
	optic_image_clear(&img);
	return r < 0 ? -r : OC_OK;
}
