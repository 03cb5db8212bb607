/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An 800G OSFP's applications (test_app.c, test_opticd_application.c). */
#ifndef OPTIC_TEST_VECTORS_APP_H
#define OPTIC_TEST_VECTORS_APP_H

#include "vectors.h"

/*
 * Like the simulator's osfp-800g-2xdr4, with a fifth application sharing
 * its host interface with the second (an ambiguous name), and every lane
 * running application @active (page 11h 206-213, CMIS 5.2 Table 8-89).
 */
static inline void img_800g(struct optic_image *img, uint8_t active)
{
	static const uint8_t apps[][4] = {
		{ 0x51, 0x56, 0x88, 0x01 }, /* 800GAUI-8 S, 800GBASE-DR8 */
		{ 0x4f, 0x1c, 0x44, 0x11 }, /* 400GAUI-4-S, 400GBASE-DR4 */
		{ 0x4d, 0x17, 0x22, 0x55 }, /* 200GAUI-2-S, 200GBASE-DR4 */
		{ 0x4b, 0x14, 0x11, 0xff }, /* 100GAUI-1-S, 100GBASE-DR */
		{ 0x4f, 0x1d, 0x44, 0x11 }, /* 400GAUI-4-S, 400GBASE-FR4 */
	};

	cmis_400g_dr4(img);
	for (size_t i = 0; i < ARRAY_SIZE(apps); i++)
		put(img, OPTIC_ADDR_A0, 0, 86 + 4 * i, apps[i], 4);
	put8(img, 0, 86 + 4 * ARRAY_SIZE(apps), 0xff);
	for (unsigned int l = 0; l < 8; l++)
		put8(img, 0x11, 206 + l, active << 4);
}

#endif /* OPTIC_TEST_VECTORS_APP_H */
