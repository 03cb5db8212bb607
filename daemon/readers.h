/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Poll readers: threads with a netlink socket each that read the poll
 * ranges of many ports at once, two per root bus, and the cycle's
 * MODULE_GET dump. The driver runs requests on different root buses in
 * parallel, so a cycle of many ports does not wait for each port's reads
 * in turn, and the event loop never waits for a bus. The loop hands a
 * port's ranges over at the start of a cycle (or when an event asks for a
 * poll) and takes the bytes once they are read (poll.c); the threads touch
 * nothing of opticd's but the requests.
 */
#ifndef OPTICD_READERS_H
#define OPTICD_READERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "port.h"

#define POLL_RANGE_BYTES 128
/*
 * Most reads a thread makes in one request: reads of ports alone on their
 * root bus (a cage with a controller of its own), none of whose buses has
 * another read queued, so that no bus waits for a batch's other reads.
 */
#define READ_BATCH_MAX 8

/* One port's poll: its ranges, then what each read gave. */
struct poll_read {
	struct poll_read *next; /* in the readers' queue */
	char port[OPTIC_PORT_NAME_LEN];
	uint32_t bus; /* its root bus: one read of the readers per bus at once */
	struct poll_range rg[POLL_RANGES_MAX];
	size_t n;
	uint8_t buf[POLL_RANGES_MAX][POLL_RANGE_BYTES];
	/* Bytes read per range; a failed read: -errno in the first, 0 after. */
	int len[POLL_RANGES_MAX];
	/* The driver's event number as the read ended (0 unknown). */
	uint64_t seq;
	/*
	 * A MODULE_GET dump instead (readers_submit_list()): its result, or
	 * -errno in list_ret.
	 */
	bool list;
	struct optic_module_info *mods;
	size_t n_mods;
	int list_ret;
	bool started; /* a thread took it; under the readers' lock */
	bool done; /* under the readers' lock */
	bool dropped; /* nobody takes it: the thread frees it */
};

/* How a thread reads: netlink (readers_netlink), or a test's. */
struct readers_ops {
	/* A connection of the thread's own into @ctx. */
	int (*open)(void **ctx);
	void (*close)(void *ctx);
	/*
	 * The @n ranges @rg of @port into @buf, in one request: 0 or -errno;
	 * @seq the driver's event number as the read ended
	 * (optic_nl_read_seq()).
	 */
	int (*read)(void *ctx, const char *port, const struct poll_range *rg,
		    size_t n, uint8_t (*buf)[POLL_RANGE_BYTES], uint64_t *seq);
	/*
	 * Optional: the reads @r of @n ports (2 to READ_BATCH_MAX) in one
	 * request, each one's bytes, lengths and event number as
	 * poll_read_now() leaves them: 0, or -errno when the request failed
	 * as a whole (each is then read alone).
	 */
	int (*read_batch)(void *ctx, struct poll_read **r, size_t n);
	/* Every module, as optic_nl_module_list(). */
	int (*list)(void *ctx, struct optic_module_info **mods, size_t *n);
};

extern const struct readers_ops readers_netlink;

/* @r's ranges read now, in the calling thread, with @ops on @ctx. */
void poll_read_now(const struct readers_ops *ops, void *ctx,
		   struct poll_read *r);/* @r's outcome: @ret of its request (0 or -errno), @seq its event number. */
void poll_read_result(struct poll_read *r, int ret, uint64_t seq);

struct readers;

/*
 * @threads threads reading with @ops, each with a connection of its own,
 * opened here: an error (no driver, no memory) starts none. The eventfd
 * readers_fd() is readable whenever a read finished (readers_ack() reads
 * it).
 */
int readers_new(struct readers **out, unsigned int threads,
		const struct readers_ops *ops);
/*
 * Stop the threads once their current read ends; reads still queued go.
 * Drop the reads you hold first (readers_drop()).
 */
void readers_free(struct readers *rd);
unsigned int readers_threads(const struct readers *rd);
/* The ports' reads made so far, and the requests that carried them. */
void readers_counts(struct readers *rd, uint64_t *requests, uint64_t *reads);
/* After how long a running read stops holding its bus (tests). */
void readers_set_stall(struct readers *rd, uint64_t ns);
int readers_fd(const struct readers *rd);
void readers_ack(struct readers *rd);

/*
 * Queue the read of @n ranges @rg of port @port, whose root bus is @bus;
 * NULL without memory. The readers run two reads per root bus at a time
 * (one has the bus while the next one's request is on its way): more
 * would only queue at the driver's bus scheduler, ahead of the event loop's
 * own reads and of other readers. A read running for longer than 500 ms
 * waits for its module, not the bus (a CDB command holds the module): it
 * no longer counts, up to four reads of a bus in all.
 */
struct poll_read *readers_submit(struct readers *rd, const char *port,
				 uint32_t bus, const struct poll_range *rg,
				 size_t n);
/*
 * Hold the threads while many reads are queued, until readers_go(): they
 * then find the whole queue at once, and ports alone on their root buses
 * go several to a request (READ_BATCH_MAX), not one each as they come.
 */
void readers_hold(struct readers *rd);
void readers_go(struct readers *rd);
/*
 * Queue a MODULE_GET dump, ahead of the reads and of any bus: the dump
 * takes each module's lock, which a request of that module waiting for its
 * bus holds meanwhile, so the event loop does not wait for it. NULL
 * without memory.
 */
struct poll_read *readers_submit_list(struct readers *rd);
bool readers_done(struct readers *rd, const struct poll_read *r);
/*
 * Taken by a thread and not done: a FLAG event of its port may be its echo.
 * A read still queued cannot have caused one.
 */
bool readers_running(struct readers *rd, const struct poll_read *r);
/* Byte @off of @page/@bank (A0h) as done read @r read it; -1 not read. */
int poll_read_byte(const struct poll_read *r, uint8_t page, uint8_t bank,
		   uint8_t off);
/* The event number as @r's range holding that byte was read; 0 unknown. */
uint64_t poll_read_seq(const struct poll_read *r, uint8_t page, uint8_t bank,
		       uint8_t off);
/*
 * The order to hand out @n ports whose root buses are @roots: in turns
 * across the buses (the first of each, then the second, ...; buses and
 * ports as they come). The driver serves one transfer at a time on a root
 * bus, so the readers then keep as many buses busy as they are. Fills
 * @order with indexes into @roots; -ENOMEM.
 */
int readers_bus_turns(const uint32_t *roots, size_t n, size_t *order);
/* Give @r back: freed now if done, else by its thread when it is. */
void readers_drop(struct readers *rd, struct poll_read *r);

#endif /* OPTICD_READERS_H */
