// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the cages.conf parser (lib/cages.c): any input
 * parses or is refused with errors that each name the file and a line; a
 * description that parses prints (text and JSON) and the text parses back
 * to the same text.
 *
 *   make fuzz-build && build/fuzz/fuzz_cages -max_total_time=60
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cages.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *print(const struct optic_cages *c, unsigned int flags)
{
	struct optic_print *p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f || optic_print_new(&p, f, flags) < 0)
		abort();
	optic_cages_print(p, c);
	if (optic_print_flush(p) < 0)
		abort();
	optic_print_free(p);
	fclose(f);
	return buf;
}

static void check_errors(const char *err)
{
	const char *line;

	/* every error names the file */
	for (line = err; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		if (strncmp(line, "f.conf:", 7) != 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct optic_cages *c = NULL, *again = NULL;
	char *text, *err = NULL, *out, *out2, *json;

	if (size > 65536)
		return 0;
	text = strndup((const char *)data, size);
	if (!text)
		return 0;
	if (optic_cages_load_string("f.conf", text, &c, &err) < 0) {
		if (err)
			check_errors(err);
		free(err);
		free(text);
		return 0;
	}
	out = print(c, 0);
	json = print(c, OPTIC_PRINT_JSON);
	if (optic_cages_load_string("f.conf", out, &again, &err) < 0)
		abort();
	out2 = print(again, 0);
	if (strcmp(out, out2) != 0)
		abort();
	free(out2);
	free(json);
	free(out);
	optic_cages_free(again);
	optic_cages_free(c);
	free(text);
	return 0;
}
