/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Link-affecting records of the driver's flight recorder (driver/record.c):
 * RX LOS, RX/TX CDR LOL, TX fault, a data path leaving DPActivated, a
 * module fault. opticd fetches a port's records (OPTIC_CMD_RECORD_GET)
 * when an event announces one, logs each to the journal with the monitors
 * the driver read with it, and keeps the last ones per lane (metric) and
 * per port (status). Records older than opticd's start are taken in
 * without being logged, so a restart logs nothing twice.
 */
#ifndef OPTICD_LINKREC_H
#define OPTICD_LINKREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "netlink.h"
#include "sample.h"

/* The last link records a port keeps for `opticctl status`. */
#define LINK_LAST 4

/* One lane (or the module: lane -1) a record takes the link of. */
struct link_entry {
	int lane; /* 0-based */
	const char *flag; /* static: "rx_los", "datapath_down", ... */
};

struct link_event {
	uint64_t seq;
	uint64_t realtime_ns;
	int lane; /* 0-based, -1: the module */
	const char *flag;
	float rx_power; /* W, the lane's in the snapshot; NaN: none */
};

struct link_state {
	bool synced; /* next_seq is known (the ring was read once) */
	bool stale; /* events may have been lost: read again */
	uint64_t next_seq; /* records below it were handled */
	uint8_t spec; /* of the module the last INSERTED record named */
	char vendor[17], pn[17], sn[17];
	uint64_t lane_ns[OPTICD_MAX_LANES]; /* last one, realtime ns; 0 none */
	struct link_event last[LINK_LAST];
	unsigned int last_head, last_len;
};

/*
 * The lanes record (or event) @ev of a @spec module takes down, with the
 * flag's name, into @out (at most @max); 0 when it affects no link.
 */
size_t link_entries(const struct optic_nl_event *ev, uint8_t spec,
		    struct link_entry *out, size_t max);

/*
 * The journal fields of entry @e of record @r on port @port of module
 * (@vendor, @pn, @sn): OPTIC_PORT, OPTIC_LANE (1-based, none for the
 * module), OPTIC_FLAG, OPTIC_VENDOR, OPTIC_PN, OPTIC_SN, the snapshot
 * (OPTIC_TEMPERATURE_C, OPTIC_VCC_V and the lane's OPTIC_TX_POWER_MW,
 * OPTIC_TX_BIAS_MA, OPTIC_RX_POWER_MW), OPTIC_DP_STATE for a data path,
 * OPTIC_RECORD_SEQ, OPTIC_RECORD_REALTIME_NS. Returns how many.
 */
size_t link_fields(const struct optic_nl_record *r, const struct link_entry *e,
		   const char *port, const struct link_state *id,
		   char out[][LOG_FIELD_LEN], size_t max);

/* The lane's RX power in W from the record's snapshot; NaN: none. */
double link_rx_power(const struct optic_nl_record *r, int lane);

/* The last link events of @s, oldest first: the i-th. */
const struct link_event *link_last(const struct link_state *s, unsigned int i);

struct manager;
struct port;

/*
 * An event for @p: when it announces a link-affecting record not yet
 * handled, fetch the port's new records (and log them).
 */
void port_link_event(struct manager *m, struct port *p,
		     const struct optic_nl_event *ev);
/* At a poll of @p: read its ring when not synced yet or events were lost. */
void port_link_poll(struct manager *m, struct port *p);

#endif /* OPTICD_LINKREC_H */
