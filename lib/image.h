/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A module's memory image: 128-byte halves keyed by i2c address, page and
 * bank. Offsets 0-127 of an address are its lower page (the same whatever
 * page is selected); 128-255 are the upper half of the selected page/bank.
 * Every byte carries a valid bit, so a decoder never reads what was not
 * read from the module (or loaded from a dump).
 */
#ifndef OPTIC_IMAGE_H
#define OPTIC_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define OPTIC_ADDR_A0 0x50
#define OPTIC_ADDR_A2 0x51

struct optic_half {
	uint8_t addr;
	uint8_t page; /* 0 for the lower half */
	uint8_t bank; /* 0 for the lower half */
	bool upper;
	uint8_t valid[16]; /* bit per byte */
	uint8_t data[128];
};

struct optic_image {
	struct optic_half *h;
	size_t n, cap;
};

void optic_image_init(struct optic_image *img);
void optic_image_clear(struct optic_image *img);

/* Store @len bytes at @off (0-255); a range may cross from lower to upper. */
int optic_image_set(struct optic_image *img, uint8_t addr, uint8_t page,
		    uint8_t bank, unsigned int off, const uint8_t *buf,
		    size_t len);
/* Copy @len bytes; -ENODATA when any byte is not in the image. */
int optic_image_get(const struct optic_image *img, uint8_t addr, uint8_t page,
		    uint8_t bank, unsigned int off, uint8_t *buf, size_t len);
/* One byte, or -ENODATA. */
int optic_image_byte(const struct optic_image *img, uint8_t addr, uint8_t page,
		     uint8_t bank, unsigned int off);
/* The half holding @off, or NULL. */
const struct optic_half *optic_image_half(const struct optic_image *img,
					  uint8_t addr, uint8_t page,
					  uint8_t bank, bool upper);
/* Sort halves by address, page, bank (lower half first). */
void optic_image_sort(struct optic_image *img);

/*
 * Reader used to fill an image: returns bytes read or -errno. The CLI passes
 * one that calls optic_nl_eeprom_read(); tests pass one over a byte vector.
 */
typedef int (*optic_read_fn)(void *ctx, uint8_t addr, uint8_t page,
			     uint8_t bank, uint16_t off, uint16_t len,
			     uint8_t *buf);

/*
 * Read everything the decoders use: lower page and page 00h, then by spec
 * (from the identifier byte) the advertised pages: CMIS 01h, 02h, 10h, 11h
 * per supported bank, and when page 01h byte 142 bit 6 advertises VDM,
 * for each supported bank page 2Fh and the descriptor, sample and threshold
 * pages of each VDM group (20h-2Bh); SFF-8636 03h; SFF-8472 A2h. Pages the module
 * rejects as unsupported (-EINVAL, -EOPNOTSUPP, -ENODATA, -ERANGE) are
 * skipped; other errors end the fetch.
 */
int optic_image_fetch(struct optic_image *img, optic_read_fn rd, void *ctx);
/*
 * optic_image_fetch() and every other page the module advertises, for a
 * complete dump: CMIS 03h (01h:142 bit 2), 04h and banked 12h (01h:155
 * bit 6, tunable transmitter), banked 13h-14h (01h:142 bit 5), and the VDM
 * pages of every bank including flags 2Ch (clear on read) and masks 2Dh.
 */
int optic_image_fetch_all(struct optic_image *img, optic_read_fn rd, void *ctx);

/*
 * Text dump format (what `opticctl dump` prints and optic_sim loads):
 *   # comment
 *   page PP [bank B] [i2c AA]       section: hex page, decimal bank,
 *                                   hex i2c address 50 (default) or 51
 *   OO: XX XX ... (up to 16 bytes)  hex offset 00-ff within the section
 * Offsets 00-7f are the lower page of the section's address.
 */
int optic_dump_write(FILE *f, const struct optic_image *img);
/* Parse @len bytes of text; on error *line (if given) is the bad line. */
int optic_dump_parse(const char *text, size_t len, struct optic_image *img,
		     unsigned int *line);

/*
 * The dumps operators have, detected from their content (lib/load.c): optic's
 * text dump; hex text as `ethtool -m DEV hex on` or `hexdump -C` print it
 * (a block after an echoed `ethtool -m DEV page 0xNN [bank N] [i2c 0xNN] hex
 * on` is that page); a binary `ethtool -m DEV raw on` or optoe/optic
 * `eeprom` file. Full dumps use optoe's flat layout: page P's upper half at
 * 128 + 128 * P; SFF-8472 A2h at 256-511.
 */
enum optic_load_format {
	OPTIC_LOAD_DUMP,
	OPTIC_LOAD_HEX,
	OPTIC_LOAD_BINARY,
};

struct optic_load_info {
	enum optic_load_format format;
	unsigned int line; /* text: the line at fault (from 1), else 0 */
	long offset; /* the byte offset at fault, else -1 */
	char msg[160]; /* what is wrong, when the load failed */
};

/*
 * Fill @img (initialised, empty) from @len bytes of any of those formats.
 * A flat image yields what optic would read from the module: the pages it
 * advertises. A truncated or malformed input fails (-EINVAL, -ENODATA,
 * -ERANGE, -E2BIG) with @info naming the line or offset; @img is then empty.
 */
int optic_image_load(const void *buf, size_t len, struct optic_image *img,
		     struct optic_load_info *info);
const char *optic_load_format_name(enum optic_load_format f);

#endif /* OPTIC_IMAGE_H */
