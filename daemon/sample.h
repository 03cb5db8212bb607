/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One monitor sample of a module, in base units (°C, V, W, A). A value the
 * module does not report is NaN.
 */
#ifndef OPTICD_SAMPLE_H
#define OPTICD_SAMPLE_H

#include <math.h>
#include <stdint.h>

/* CMIS: eight lanes a bank, banks 0-3 (page 01h byte 142) */
#define OPTICD_MAX_LANES 32

enum monitor {
	MON_TEMP, /* module temperature, °C */
	MON_VCC, /* supply voltage, V */
	MON_TX_POWER, /* per lane, W */
	MON_RX_POWER, /* per lane, W */
	MON_TX_BIAS, /* per lane, A */
	_MON_MAX,
};

struct sample {
	uint32_t t; /* CLOCK_REALTIME seconds */
	float temp;
	float vcc;
	float tx_power[OPTICD_MAX_LANES];
	float rx_power[OPTICD_MAX_LANES];
	float tx_bias[OPTICD_MAX_LANES];
};

static inline int monitor_per_lane(enum monitor m)
{
	return m >= MON_TX_POWER;
}

/* Pointer to the value of monitor @m (lane ignored for module monitors). */
static inline float *sample_val(struct sample *s, enum monitor m, int lane)
{
	switch (m) {
	case MON_TEMP:
		return &s->temp;
	case MON_VCC:
		return &s->vcc;
	case MON_TX_POWER:
		return &s->tx_power[lane];
	case MON_RX_POWER:
		return &s->rx_power[lane];
	default:
		return &s->tx_bias[lane];
	}
}

static inline double sample_get(const struct sample *s, enum monitor m,
				int lane)
{
	return *sample_val((struct sample *)s, m, lane);
}

void sample_init(struct sample *s, uint32_t t);
const char *monitor_name(enum monitor m);

#endif /* OPTICD_SAMPLE_H */
