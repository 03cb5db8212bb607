// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for optic_image_load(): any bytes, as text (optic's dump,
 * `ethtool -m hex on`, `hexdump -C`) or as a binary EEPROM image. A load
 * either fails with a message and an empty image, or yields an image that
 * decodes. Seeds: tests/fuzz/corpus/fuzz_load/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "optic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct optic_load_info info;
	struct optic_image img;
	struct optic_model m;

	optic_image_init(&img);
	if (optic_image_load(data, size, &img, &info) < 0) {
		if (!info.msg[0] || img.n)
			abort();
		return 0;
	}
	if (optic_decode(&img, &m) == 0)
		optic_model_free(&m);
	optic_image_clear(&img);
	return 0;
}
