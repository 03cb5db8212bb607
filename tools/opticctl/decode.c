// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl decode FILE: decode a saved dump without the driver, exactly as
 * show/dom would print the live module: optic's dump, `ethtool -m hex on`
 * or `hexdump -C` text, or a binary EEPROM image (lib/load.c detects which).
 */
#include <errno.h>
#include <stdio.h>

#include "opticctl.h"

static int read_file(const char *path, char **buf, size_t *len)
{
	_cleanup_fclose_ FILE *f = NULL;
	FILE *mem;
	char chunk[4096];
	size_t n;

	f = streq(path, "-") ? NULL : fopen(path, "re");
	if (!f && !streq(path, "-"))
		return -errno;
	mem = open_memstream(buf, len);
	if (!mem)
		return -errno;
	while ((n = fread(chunk, 1, sizeof(chunk), f ?: stdin)) > 0)
		fwrite(chunk, 1, n, mem);
	if (ferror(f ?: stdin)) {
		fclose(mem);
		free(*buf);
		return -EIO;
	}
	if (fclose(mem))
		return -errno;
	return 0;
}

/* "FILE:LINE: msg" for text, "FILE: offset 0xN: msg" for bytes */
static int load_failed(const char *path, int r,
		       const struct optic_load_info *info)
{
	if (info->line)
		return oc_fail(NULL, r, "%s:%u: %s", path, info->line,
			       info->msg);
	if (info->offset >= 0)
		return oc_fail(NULL, r, "%s: offset 0x%lx: %s (%s)", path,
			       info->offset, info->msg,
			       optic_load_format_name(info->format));
	return oc_fail(NULL, r, "%s: %s", path, info->msg);
}

int cmd_decode(struct oc *c, int argc, char **argv)
{
	_cleanup_free_ char *data = NULL;
	unsigned int sections = OPTIC_SHOW_ALL;
	struct optic_load_info info;
	struct optic_image img;
	struct optic_model m;
	size_t len;
	int r, i = 1;

	bool to_dump = false;

	if (argc == 3 && streq(argv[1], "--dom")) {
		sections = OPTIC_SHOW_DOM;
		i = 2;
	} else if (argc == 3 && streq(argv[1], "--dump")) {
		to_dump = true;
		i = 2;
	}
	if (argc != i + 1)
		return oc_usage("usage: opticctl decode [--dom|--dump] FILE|-");
	r = read_file(argv[i], &data, &len);
	if (r < 0)
		return oc_fail(NULL, r, "%s", argv[i]);
	optic_image_init(&img);
	r = optic_image_load(data, len, &img, &info);
	if (r < 0)
		return load_failed(argv[i], r, &info);
	if (to_dump) {
		/* optic's dump format: what optic_sim loads (docs/sim.md) */
		r = optic_dump_write(stdout, &img);
		optic_image_clear(&img);
		return r < 0 ? oc_fail(NULL, r, "writing the dump") : OC_OK;
	}
	r = optic_decode(&img, &m);
	optic_image_clear(&img);
	if (r < 0)
		return oc_fail(NULL, r, "%s: decoding", argv[i]);
	op_open_object(c->p, NULL);
	op_string(c->p, "file", "%s:\n", argv[i]);
	op_string(c->p, "input_format", NULL,
		  optic_load_format_name(info.format));
	optic_model_print(c->p, &m, sections);
	op_close_object(c->p);
	optic_model_free(&m);
	return OC_OK;
}
