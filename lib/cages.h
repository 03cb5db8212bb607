/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cages.conf: the declarative description of a switch's cages (docs/man/
 * cages.conf.5): per root I2C bus the adapter's name, its clock and its mux
 * chips; per cage the mux and channel it sits behind, its port name and its
 * GPIO lines. Every value keeps the line it came from, so that what
 * `opticctl platform apply` finds contradicting the live tree names it.
 */
#ifndef OPTIC_CAGES_H
#define OPTIC_CAGES_H

#include <stddef.h>
#include <stdint.h>

#include "netlink.h"
#include "print.h"

#define OPTIC_CAGES_PATH "/etc/optic/cages.conf"

/* A mux chip the kernel's i2c-mux-pca954x drives. */
struct optic_mux_type {
	const char *name; /* the i2c device name, e.g. "pca9548" */
	unsigned int channels;
};

struct optic_cages_mux {
	const struct optic_mux_type *type;
	uint8_t addr;
	unsigned int line;
};

struct optic_cages_bus {
	char *id; /* the section's name: [bus ID] */
	unsigned int line;
	char *adapter; /* /sys/bus/i2c/devices/i2c-N/name */
	unsigned int adapter_line;
	unsigned int clock_khz;
	unsigned int clock_line;
	struct optic_cages_mux *muxes;
	size_t n_muxes;
};

struct optic_cages_cage {
	char name[OPTIC_PORT_NAME_LEN];
	unsigned int line;
	char *bus_id; /* resolved into bus */
	unsigned int bus_line;
	size_t bus;
	uint8_t mux_addr; /* mux_line 0: on the root adapter itself */
	unsigned int mux_line;
	unsigned int channel;
	unsigned int channel_line;
	struct optic_line lines[OPTIC_LINES];
	unsigned int line_lines[OPTIC_LINES];
};

struct optic_cages {
	char *path;
	struct optic_cages_bus *buses;
	size_t n_buses;
	struct optic_cages_cage *cages;
	size_t n_cages;
};

/*
 * Parse and check a file. On -EINVAL *err holds every error, one
 * "FILE:LINE: reason" a line; on other errors (-ENOENT, -ENOMEM) the one
 * reason. *err is malloc'ed (NULL on success).
 */
int optic_cages_load(const char *path, struct optic_cages **out, char **err);
int optic_cages_load_string(const char *name, const char *text,
			    struct optic_cages **out, char **err);
void optic_cages_free(struct optic_cages *c);

/*
 * The description as text (a file that parses back to the same) or JSON,
 * every key from the same table the parser reads.
 */
void optic_cages_print(struct optic_print *p, const struct optic_cages *c);

const struct optic_mux_type *optic_mux_type_find(const char *name);
/* The mux of @cage on its bus, NULL when the cage is on the root adapter. */
const struct optic_cages_mux *
optic_cages_mux_of(const struct optic_cages *c,
		   const struct optic_cages_cage *cage);

#endif /* OPTIC_CAGES_H */
