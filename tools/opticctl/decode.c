// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl decode FILE: decode a saved dump (the text dump format) without
 * the driver, exactly as show/dom would print the live module.
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

int cmd_decode(struct oc *c, int argc, char **argv)
{
	_cleanup_free_ char *text = NULL;
	unsigned int sections = OPTIC_SHOW_ALL, line = 0;
	struct optic_image img;
	struct optic_model m;
	size_t len;
	int r, i = 1;

	if (argc == 3 && streq(argv[1], "--dom")) {
		sections = OPTIC_SHOW_DOM;
		i = 2;
	}
	if (argc != i + 1)
		return oc_usage("usage: opticctl decode [--dom] FILE|-");
	r = read_file(argv[i], &text, &len);
	if (r < 0)
		return oc_fail(NULL, r, "%s", argv[i]);
	optic_image_init(&img);
	r = optic_dump_parse(text, len, &img, &line);
	if (r < 0) {
		optic_image_clear(&img);
		return oc_fail(NULL, r, "%s:%u: bad dump line", argv[i], line);
	}
	r = optic_decode(&img, &m);
	optic_image_clear(&img);
	if (r < 0)
		return oc_fail(NULL, r, "%s: decoding", argv[i]);
	op_open_object(c->p, NULL);
	op_string(c->p, "file", "%s:\n", argv[i]);
	optic_model_print(c->p, &m, sections);
	op_close_object(c->p);
	optic_model_free(&m);
	return OC_OK;
}
