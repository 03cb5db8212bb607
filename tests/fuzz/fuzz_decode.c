// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for liboptic's decoders and the dump parser.
 *
 * The input is used twice: as dump text for optic_dump_parse(), and as raw
 * memory: a sequence of records { addr_sel, page, bank, 128 bytes } filling
 * halves of an image (addr_sel bit 0: 0x50/0x51, bit 1: lower/upper half).
 * Each resulting image is decoded and printed as text and as JSON. Any
 * crash, leak or sanitizer report is a bug: decoders must never read beyond
 * the image, whatever it holds.
 *
 * Build and run: `make fuzz` or `make check-fuzz` (mk/fuzz.mk); seeds are
 * in tests/fuzz/corpus/fuzz_decode/ (dumps of the unit-test vectors).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "optic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* opened once: the printers write here */
static FILE *devnull(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

static void decode_and_print(const struct optic_image *img)
{
	static const unsigned int modes[] = {
		0, OPTIC_PRINT_JSON, OPTIC_PRINT_JSON | OPTIC_PRINT_PRETTY
	};
	struct optic_model m;
	size_t i;

	if (optic_decode(img, &m) < 0)
		return;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct optic_print *p;
		FILE *f = devnull();

		if (!f)
			break;
		if (optic_print_new(&p, f, modes[i]) == 0) {
			op_open_object(p, NULL);
			optic_model_print(p, &m, OPTIC_SHOW_ALL);
			op_close_object(p);
			optic_print_flush(p);
			optic_print_free(p);
		}
	}
	/* lookups the daemon and CLI do */
	optic_model_get(&m, "temperature_c", NULL, -1);
	optic_model_get(&m, "tx_power", "high_alarm", -1);
	optic_model_get(&m, "rx_los", NULL, 3);
	optic_model_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct optic_image img;
	size_t off = 0;
	FILE *f;

	/* 1: as dump text */
	optic_image_init(&img);
	if (optic_dump_parse((const char *)data, size, &img, NULL) == 0) {
		decode_and_print(&img);
		f = devnull();
		if (f)
			optic_dump_write(f, &img);
	}
	optic_image_clear(&img);

	/* 2: as raw halves */
	optic_image_init(&img);
	while (off + 3 < size) {
		uint8_t sel = data[off], page = data[off + 1],
			bank = data[off + 2];
		size_t n = size - off - 3 < 128 ? size - off - 3 : 128;

		optic_image_set(&img, sel & 1 ? OPTIC_ADDR_A2 : OPTIC_ADDR_A0,
				page, bank & 3, sel & 2 ? 128 : 0,
				data + off + 3, n);
		off += 3 + n;
	}
	decode_and_print(&img);
	optic_image_clear(&img);

	/* 3: flag lookups over every spec */
	if (size >= 3) {
		int lane;

		for (uint8_t spec = 0; spec < 4; spec++)
			optic_flag_lookup(spec, data[0], data[1], data[2] & 7,
					  &lane);
	}
	return 0;
}
