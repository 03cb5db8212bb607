// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * CMIS Versatile Diagnostics Monitoring (OIF-CMIS-05.2 section 8.22,
 * pages 20h-2Fh), bank 0:
 *   01h:142 bit 6   VdmSupported (pages 20h-2Fh implemented)
 *   2Fh:128 bits 1-0  VdmGroupsSupported: groups - 1 (1-4 groups)
 *   20h-23h   descriptors of group 1-4: 64 instances of 2 bytes, the even
 *             byte bits 7-4 the threshold set ID, bits 3-0 the lane
 *             (0-based), the odd byte the observable type ID (0: unused)
 *   24h-27h   samples: 64 x 16 bits, instance i at 128 + 2i
 *   28h-2Bh   thresholds: 16 sets of 8 bytes at 128 + 8 * set: high alarm,
 *             low alarm, high warning, low warning, encoded like the sample
 * The samples of basic observables are real time; statistics (min/max/avg)
 * are as last reported by the module (no freeze is requested here: the
 * library only decodes what was read).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "fields.h"

#define VDM_ADV_PAGE 0x01
#define VDM_ADV_OFF 142
#define VDM_ADV_BIT 0x40
#define VDM_CTRL_PAGE 0x2f
#define VDM_GROUPS_OFF 128
#define VDM_DESC_PAGE 0x20
#define VDM_SAMPLE_PAGE 0x24
#define VDM_THR_PAGE 0x28
#define VDM_INSTANCES 64

/* clang-format off: tables read best one row per line */
/*
 * CMIS 5.2 section 8.22, the table of VDM observable types (IDs 1-24;
 * 25-127 reserved, 128-255 C-CMIS and custom): encoding, scale and unit of
 * each basic (real-time) and statistic (min/max/avg) observable. FERC is the
 * FEC errored frame ratio (the spec's "errored frames").
 */
static const struct optic_vdm_type vdm_types[] = {
	{ 1, OPTIC_VDM_U16, 0, 1, "%", "Laser age", "laser_age_pct" },
	{ 2, OPTIC_VDM_S16, 2, 100.0 / 32767, "%", "TEC current",
	  "tec_current_pct" },
	{ 3, OPTIC_VDM_S16, 0, 10, "MHz", "Laser frequency error",
	  "laser_frequency_error_mhz" },
	{ 4, OPTIC_VDM_S16, 2, 1.0 / 256, "°C", "Laser temperature",
	  "laser_temperature_c" },
	{ 5, OPTIC_VDM_U16, 2, 1.0 / 256, "dB", "eSNR media input",
	  "esnr_media_db" },
	{ 6, OPTIC_VDM_U16, 2, 1.0 / 256, "dB", "eSNR host input",
	  "esnr_host_db" },
	{ 7, OPTIC_VDM_U16, 2, 1.0 / 256, "dB", "PAM4 LTP media input",
	  "pam4_ltp_media_db" },
	{ 8, OPTIC_VDM_U16, 2, 1.0 / 256, "dB", "PAM4 LTP host input",
	  "pam4_ltp_host_db" },
	{ 9, OPTIC_VDM_F16, 3, 1, NULL, "Pre-FEC BER minimum media input",
	  "prefec_ber_min_media" },
	{ 10, OPTIC_VDM_F16, 3, 1, NULL, "Pre-FEC BER minimum host input",
	  "prefec_ber_min_host" },
	{ 11, OPTIC_VDM_F16, 3, 1, NULL, "Pre-FEC BER maximum media input",
	  "prefec_ber_max_media" },
	{ 12, OPTIC_VDM_F16, 3, 1, NULL, "Pre-FEC BER maximum host input",
	  "prefec_ber_max_host" },
	{ 13, OPTIC_VDM_F16, 3, 1, NULL, "Pre-FEC BER average media input",
	  "prefec_ber_avg_media" },
	{ 14, OPTIC_VDM_F16, 3, 1, NULL, "Pre-FEC BER average host input",
	  "prefec_ber_avg_host" },
	{ 15, OPTIC_VDM_F16, 3, 1, NULL, "Pre-FEC BER current media input",
	  "prefec_ber_cur_media" },
	{ 16, OPTIC_VDM_F16, 3, 1, NULL, "Pre-FEC BER current host input",
	  "prefec_ber_cur_host" },
	{ 17, OPTIC_VDM_F16, 3, 1, NULL, "FERC minimum media input",
	  "ferc_min_media" },
	{ 18, OPTIC_VDM_F16, 3, 1, NULL, "FERC minimum host input",
	  "ferc_min_host" },
	{ 19, OPTIC_VDM_F16, 3, 1, NULL, "FERC maximum media input",
	  "ferc_max_media" },
	{ 20, OPTIC_VDM_F16, 3, 1, NULL, "FERC maximum host input",
	  "ferc_max_host" },
	{ 21, OPTIC_VDM_F16, 3, 1, NULL, "FERC average media input",
	  "ferc_avg_media" },
	{ 22, OPTIC_VDM_F16, 3, 1, NULL, "FERC average host input",
	  "ferc_avg_host" },
	{ 23, OPTIC_VDM_F16, 3, 1, NULL, "FERC current media input",
	  "ferc_cur_media" },
	{ 24, OPTIC_VDM_F16, 3, 1, NULL, "FERC current host input",
	  "ferc_cur_host" },
};
/* clang-format on */

const struct optic_vdm_type *optic_vdm_type_find(uint8_t type_id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vdm_types); i++)
		if (vdm_types[i].type_id == type_id)
			return &vdm_types[i];
	return NULL;
}

/*
 * CMIS 5.2 8.22 F16: bits 15-11 an unsigned exponent s (0-31), bits 10-0 an
 * unsigned mantissa m (0-2047); the value is m * 10^(s - 24), so from
 * 1e-24 to 2.047e10 in steps of one mantissa unit.
 */
double optic_vdm_f16(uint16_t raw)
{
	return (raw & 0x7ff) * pow(10.0, (int)(raw >> 11) - 24);
}

double optic_vdm_value(const struct optic_vdm_type *t, uint16_t raw)
{
	if (!t)
		return raw;
	switch (t->encoding) {
	case OPTIC_VDM_S16:
		return (int16_t)raw * t->scale;
	case OPTIC_VDM_F16:
		return optic_vdm_f16(raw);
	default:
		return raw * t->scale;
	}
}

static int vdm_add(struct optic_model *m, size_t *cap)
{
	if (m->nvdm == *cap) {
		size_t n = *cap ? *cap * 2 : 16;
		struct optic_vdm *v = reallocarray(m->vdm, n, sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->vdm = v;
		*cap = n;
	}
	memset(&m->vdm[m->nvdm], 0, sizeof(m->vdm[0]));
	return 0;
}

/* Instance @i of group @g of bank @bank: its bytes are read one field at a
 * time, so a partial image decodes what it has. */
static int vdm_instance(const struct optic_image *img, struct optic_model *m,
			unsigned int bank, unsigned int g, unsigned int i,
			size_t *cap)
{
	uint8_t desc[2], sample[2], thr[8];
	struct optic_vdm *v;
	unsigned int k;
	int r;

	if (optic_image_get(img, 0, VDM_DESC_PAGE + g, bank, 128 + 2 * i, desc,
			    sizeof(desc)) < 0 ||
	    !desc[1]) /* not read, or type 0: instance not used */
		return 0;
	r = vdm_add(m, cap);
	if (r < 0)
		return r;
	v = &m->vdm[m->nvdm++];
	v->type_id = desc[1];
	v->type = optic_vdm_type_find(desc[1]);
	v->bank = bank;
	v->group = g;
	v->instance = i;
	v->lane = 8 * bank + (desc[0] & 0x0f);
	v->thr_set = desc[0] >> 4;
	if (v->type)
		snprintf(v->name, sizeof(v->name), "%s", v->type->name);
	else
		snprintf(v->name, sizeof(v->name), "unknown (0x%02x)",
			 v->type_id);
	if (optic_image_get(img, 0, VDM_SAMPLE_PAGE + g, bank, 128 + 2 * i,
			    sample, sizeof(sample)) == 0) {
		v->has_value = true;
		v->raw = be16(sample);
		v->value = optic_vdm_value(v->type, v->raw);
	}
	/* an unknown type's thresholds have no known encoding */
	if (v->type &&
	    optic_image_get(img, 0, VDM_THR_PAGE + g, bank,
			    128 + 8 * v->thr_set, thr, sizeof(thr)) == 0) {
		v->has_thr = true;
		for (k = 0; k < 4; k++)
			v->thr[k] = optic_vdm_value(v->type, be16(thr + 2 * k));
	}
	return 0;
}

/* The groups of bank @bank (page 2Fh byte 128 bits 1-0), each instance. */
static int vdm_bank(const struct optic_image *img, struct optic_model *m,
		    unsigned int bank, size_t *cap)
{
	unsigned int g, i, groups;
	int b, r;

	b = optic_image_byte(img, 0, VDM_CTRL_PAGE, bank, VDM_GROUPS_OFF);
	if (b < 0)
		return 0;
	groups = (b & 0x03) + 1;
	for (g = 0; g < groups; g++) {
		for (i = 0; i < VDM_INSTANCES; i++) {
			r = vdm_instance(img, m, bank, g, i, cap);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int optic_vdm_decode(const struct optic_image *img, struct optic_model *m)
{
	unsigned int bank, banks = MAX((m->lanes + 7) / 8, 1);
	size_t cap = 0;
	int b, r;

	b = optic_image_byte(img, 0, VDM_ADV_PAGE, 0, VDM_ADV_OFF);
	if (b < 0 || !(b & VDM_ADV_BIT))
		return 0;
	/* CMIS 8.4.1: VDM pages are banked, a bank for eight lanes */
	for (bank = 0; bank < banks; bank++) {
		r = vdm_bank(img, m, bank, &cap);
		if (r < 0)
			return r;
	}
	return 0;
}
