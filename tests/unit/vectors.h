/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Byte vectors shared by the unit tests: small, hand-built module images
 * whose every value is worked out in the comments from the spec tables.
 */
#ifndef OPTIC_TEST_VECTORS_H
#define OPTIC_TEST_VECTORS_H

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "optic.h"
#include "util.h"

static inline void put(struct optic_image *img, uint8_t addr, uint8_t page,
		       unsigned int off, const void *b, size_t n)
{
	assert_int_equal(optic_image_set(img, addr, page, 0, off, b, n), 0);
}

static inline void put8(struct optic_image *img, uint8_t page, unsigned int off,
			uint8_t v)
{
	put(img, OPTIC_ADDR_A0, page, off, &v, 1);
}

static inline void put16(struct optic_image *img, uint8_t addr, uint8_t page,
			 unsigned int off, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	put(img, addr, page, off, b, 2);
}

static inline void put_bank(struct optic_image *img, uint8_t page, uint8_t bank,
			    unsigned int off, uint8_t v)
{
	assert_int_equal(
		optic_image_set(img, OPTIC_ADDR_A0, page, bank, off, &v, 1), 0);
}

/* Zero-filled halves, so every row finds its bytes. */
static inline void zero_pages(struct optic_image *img, uint8_t addr,
			      const uint8_t *pages, size_t n)
{
	uint8_t z[256] = { 0 };
	size_t i;

	put(img, addr, 0, 0, z, 256);
	for (i = 0; i < n; i++)
		put(img, addr, pages[i], 128, z, 128);
}

/*
 * A 400G QSFP-DD DR4 (CMIS 5.0): 8 host lanes, 4 media lanes.
 */
static inline void cmis_400g_dr4(struct optic_image *img)
{
	static const uint8_t pages[] = { 0x00, 0x01, 0x02, 0x10, 0x11 };

	zero_pages(img, OPTIC_ADDR_A0, pages, sizeof(pages));
	put8(img, 0, 0, 0x18); /* QSFP-DD */
	put8(img, 0, 1, 0x50); /* CMIS 5.0 */
	put8(img, 0, 3, 3 << 1); /* ModuleReady */
	put16(img, 0x50, 0, 14, 0x1980); /* 25.5 degC = 6528/256 */
	put16(img, 0x50, 0, 16, 0x80e8); /* 33000 * 100 uV = 3.3 V */
	put8(img, 0, 9, 0x04); /* temperature high warning */
	put8(img, 0, 39, 2); /* firmware 2.7 */
	put8(img, 0, 40, 7);
	put8(img, 0, 85, 2); /* SMF */
	/* AppSel 1: 400GAUI-8 C2M -> 400GBASE-DR4, 8 host / 4 media lanes */
	put8(img, 0, 86, 0x11);
	put8(img, 0, 87, 0x1c);
	put8(img, 0, 88, 0x84);
	put8(img, 0, 89, 0x01);
	/* AppSel 2: 100GAUI-2 -> unknown media code 0xee, then the end */
	put8(img, 0, 90, 0x0d);
	put8(img, 0, 91, 0xee);
	put8(img, 0, 92, 0x21);
	put8(img, 0, 93, 0x55);
	put8(img, 0, 94, 0xff);
	put(img, 0x50, 0, 129, "ACME OPTICS     ", 16);
	put(img, 0x50, 0, 145, "\x00\x90\x65", 3);
	put(img, 0x50, 0, 148, "QDD-400G-DR4    ", 16);
	put(img, 0x50, 0, 164, "A1", 2);
	put(img, 0x50, 0, 166, "SN0001          ", 16);
	put(img, 0x50, 0, 182, "23011501", 8);
	put8(img, 0, 200, 0x60); /* power class 4 */
	put8(img, 0, 201, 48); /* 12.00 W */
	put8(img, 0, 203, 0x0c); /* MPO 1x12 */
	put8(img, 0, 212, 0x06); /* 1310 nm EML */
	put8(img, 1, 128, 2); /* inactive firmware 2.5 */
	put8(img, 1, 129, 5);
	put8(img, 1, 159, 0x03); /* temp and Vcc monitored */
	put8(img, 1, 160, 0x07 | (1 << 3)); /* bias/tx/rx, bias x2 */
	put8(img, 1, 163, 0x40); /* one CDB instance */
	put8(img, 1, 176, 0x01); /* media lane assignment app 1 */
	/* page 02h thresholds: temp 75/-5/70/0 degC; TX power 2/0.1/1.5/0.2 mW */
	put16(img, 0x50, 2, 128, 0x4b00);
	put16(img, 0x50, 2, 130, 0xfb00);
	put16(img, 0x50, 2, 132, 0x4600);
	put16(img, 0x50, 2, 134, 0x0000);
	put16(img, 0x50, 2, 176, 20000);
	put16(img, 0x50, 2, 178, 1000);
	put16(img, 0x50, 2, 180, 15000);
	put16(img, 0x50, 2, 182, 2000);
	/* page 10h: lane 3 TX disabled */
	put8(img, 0x10, 130, 0x04);
	/* page 11h: lanes 1-8 DPActivated except lane 2 DPInitialized */
	put8(img, 0x11, 128, 0x74);
	put8(img, 0x11, 129, 0x44);
	put8(img, 0x11, 130, 0x44);
	put8(img, 0x11, 131, 0x44);
	put8(img, 0x11, 147, 0x02); /* RX LOS lane 2 */
	put16(img, 0x50, 0x11, 154, 5012); /* lane 1 TX 0.5012 mW */
	put16(img, 0x50, 0x11, 156, 0); /* lane 2 TX 0 mW: -inf dBm */
	put16(img, 0x50, 0x11, 170,
	      10000); /* lane 1 bias 10000*2uA*2 = 40 mA */
	put16(img, 0x50, 0x11, 186, 10000); /* lane 1 RX 1.0 mW = 0 dBm */
}

static inline void put_a2(struct optic_image *img, unsigned int off,
			  const void *b, size_t n)
{
	put(img, OPTIC_ADDR_A2, 0, off, b, n);
}

static inline void put32(struct optic_image *img, uint8_t addr,
			 unsigned int off, uint32_t v)
{
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	put(img, addr, 0, off, b, 4);
}

/*
 * A 100G QSFP28 CWDM4 (SFF-8636 Rev 2.8): four lanes, page 03h thresholds,
 * a few latched flags.
 */
static inline void sff8636_cwdm4(struct optic_image *img)
{
	static const uint8_t pages[] = { 0x00, 0x03 };

	zero_pages(img, OPTIC_ADDR_A0, pages, sizeof(pages));
	put8(img, 0, 0, 0x11); /* QSFP28 */
	put8(img, 0, 1, 0x08); /* Rev 2.8-2.10 */
	put8(img, 0, 3, 0x21); /* RX LOS lane 1, TX LOS lane 2 */
	put8(img, 0, 4, 0x08); /* TX fault lane 4 */
	put8(img, 0, 6, 0x80); /* temperature high alarm */
	put8(img, 0, 7, 0x10); /* Vcc low warning */
	put8(img, 0, 9, 0x40); /* lane 1 RX power low alarm */
	put8(img, 0, 10, 0x02); /* lane 4 RX power high warning */
	put16(img, 0x50, 0, 22, 0xf580); /* -10.5 degC */
	put16(img, 0x50, 0, 26, 32500); /* 3.25 V */
	put16(img, 0x50, 0, 34, 12345); /* lane 1 RX 1.2345 mW */
	put16(img, 0x50, 0, 42, 10000); /* lane 1 bias 20 mA */
	put16(img, 0x50, 0, 50, 8000); /* lane 1 TX 0.8 mW */
	put8(img, 0, 86, 0x05); /* TX disable lanes 1, 3 */
	put8(img, 0, 93, 0x03); /* override, LPMode set */
	put8(img, 0, 129, 0xc1); /* power class 5 */
	put8(img, 0, 130, 0x07); /* LC */
	put8(img, 0, 131, 0x80); /* extended compliance in 192 */
	put8(img, 0, 139, 0x05); /* 64B/66B */
	put8(img, 0, 140, 255); /* 25.5 GBd */
	put8(img, 0, 142, 2); /* 2 km SMF */
	put8(img, 0, 147, 0x40); /* 1310 nm DFB */
	put(img, 0x50, 0, 148, "ACME OPTICS     ", 16);
	put(img, 0x50, 0, 165, "\x00\x17\x6a", 3);
	put(img, 0x50, 0, 168, "Q28-CWDM4       ", 16);
	put(img, 0x50, 0, 184, "B0", 2);
	put16(img, 0x50, 0, 186, 26200); /* 1310 nm */
	put16(img, 0x50, 0, 188, 1300); /* 6.5 nm */
	put8(img, 0, 192, 0x06); /* 100G CWDM4 */
	put(img, 0x50, 0, 196, "Q28SN1          ", 16);
	put(img, 0x50, 0, 212, "220905  ", 8);
	put8(img, 0, 220, 0x08); /* average RX power */
	put16(img, 0x50, 3, 128, 0x4b00); /* temperature 75/-5/70/0 */
	put16(img, 0x50, 3, 130, 0xfb00);
	put16(img, 0x50, 3, 132, 0x4600);
	put16(img, 0x50, 3, 134, 0x0000);
	put16(img, 0x50, 3, 176, 20000); /* RX power high alarm 2 mW */
	put16(img, 0x50, 3, 178, 500); /* low alarm 0.05 mW */
	put16(img, 0x50, 3, 184, 50000); /* bias high alarm 100 mA */
	put16(img, 0x50, 3, 192, 22390); /* TX power high alarm 2.239 mW */
}

/* A 10G SFP+ SR (SFF-8472 Rev 12.3), internally calibrated. */
static inline void sff8472_sr(struct optic_image *img)
{
	uint8_t z[256] = { 0 };

	put(img, OPTIC_ADDR_A0, 0, 0, z, 256);
	put(img, OPTIC_ADDR_A2, 0, 0, z, 256);
	put8(img, 0, 0, 0x03);
	put8(img, 0, 2, 0x07); /* LC */
	put8(img, 0, 11, 0x06); /* 64B/66B in SFF-8472 */
	put8(img, 0, 12, 103); /* 10.3 GBd */
	put8(img, 0, 16, 8); /* OM2 80 m */
	put(img, 0x50, 0, 20, "ACME OPTICS     ", 16);
	put(img, 0x50, 0, 37, "\x00\x17\x6a", 3);
	put(img, 0x50, 0, 40, "SFP-10G-SR      ", 16);
	put(img, 0x50, 0, 56, "A   ", 4);
	put16(img, 0x50, 0, 60, 850);
	put(img, 0x50, 0, 68, "SFPSN1          ", 16);
	put(img, 0x50, 0, 84, "21041200", 8);
	put8(img, 0, 92, 0x68); /* DDM, internal cal, average */
	put8(img, 0, 93, 0x80); /* alarm/warning flags */
	put8(img, 0, 94, 0x08); /* Rev 12.3 */
	put16(img, OPTIC_ADDR_A2, 0, 0, 0x4b00); /* temp high alarm 75 */
	put16(img, OPTIC_ADDR_A2, 0, 32, 12589); /* RX high alarm 1.2589 mW */
	put16(img, OPTIC_ADDR_A2, 0, 96, 0x2380); /* 35.5 degC */
	put16(img, OPTIC_ADDR_A2, 0, 98, 33000); /* 3.3 V */
	put16(img, OPTIC_ADDR_A2, 0, 100, 3250); /* 6.5 mA */
	put16(img, OPTIC_ADDR_A2, 0, 102, 5577); /* 0.5577 mW */
	put16(img, OPTIC_ADDR_A2, 0, 104, 0); /* no light: -inf dBm */
	put_a2(img, 110, "\x02", 1); /* RX LOS */
	put_a2(img, 112, "\x40", 1); /* temperature low alarm */
	put_a2(img, 113, "\x40", 1); /* RX power low alarm */
}

/*
 * The same module externally calibrated (SFF-8472 9.3): raw A/D values and
 * Table 9-6 constants; the expected results are worked out in the tests.
 */
static inline void sff8472_extcal(struct optic_image *img)
{
	sff8472_sr(img);
	put8(img, 0, 92, 0x58); /* DDM, external cal, average */
	put32(img, OPTIC_ADDR_A2, 56, 0x00000000); /* Rx_PWR(4) 0 */
	put32(img, OPTIC_ADDR_A2, 60, 0x00000000); /* Rx_PWR(3) 0 */
	put32(img, OPTIC_ADDR_A2, 64, 0x3a83126f); /* Rx_PWR(2) 0.001 */
	put32(img, OPTIC_ADDR_A2, 68, 0x40000000); /* Rx_PWR(1) 2.0 */
	put32(img, OPTIC_ADDR_A2, 72, 0x41200000); /* Rx_PWR(0) 10.0 */
	put16(img, OPTIC_ADDR_A2, 0, 76, 0x0200); /* Tx_I slope 2.0 */
	put16(img, OPTIC_ADDR_A2, 0, 78, 100); /* Tx_I offset 100 */
	put16(img, OPTIC_ADDR_A2, 0, 80, 0x0180); /* Tx_PWR slope 1.5 */
	put16(img, OPTIC_ADDR_A2, 0, 82, 0xffce); /* Tx_PWR offset -50 */
	put16(img, OPTIC_ADDR_A2, 0, 84, 0x0100); /* T slope 1.0 */
	put16(img, OPTIC_ADDR_A2, 0, 86, 0x0100); /* T offset +1 degC */
	put16(img, OPTIC_ADDR_A2, 0, 88, 0x0080); /* V slope 0.5 */
	put16(img, OPTIC_ADDR_A2, 0, 90, 0); /* V offset 0 */
	put16(img, OPTIC_ADDR_A2, 0, 96, 0x1900); /* raw 25.0 degC */
	put16(img, OPTIC_ADDR_A2, 0, 98, 60000); /* raw Vcc */
	put16(img, OPTIC_ADDR_A2, 0, 100, 1000); /* raw bias */
	put16(img, OPTIC_ADDR_A2, 0, 102, 4000); /* raw TX power */
	put16(img, OPTIC_ADDR_A2, 0, 104, 1000); /* raw RX power */
}

#endif /* OPTIC_TEST_VECTORS_H */
