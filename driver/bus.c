// SPDX-License-Identifier: GPL-2.0
/*
 * optic: bus scheduling. On a switch the cages share a root I2C bus
 * through muxes: every transfer of a cage takes a turn on its root bus,
 * the classes of enum optic_bus_class in order (a waiting higher class
 * goes before any lower one, within a class first come first served), CDB
 * bounded to bus_cdb_share of a contended bus; before it takes its module
 * a netlink request waits for CDB's class, a read for one of its class's
 * bus_requests slots (optic_bus_enter()); a request waiting for a module's
 * lock lends the holder its class (optic_bus_lock()). Around the turns: reads
 * and writes in the chunks the transfer mode allows, one retry of a NACK
 * from a present module and the write-completion polling (tWR).
 */
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "optic.h"

static unsigned int write_timeout_ms = 100;
module_param(write_timeout_ms, uint, 0644);
MODULE_PARM_DESC(write_timeout_ms,
		 "Longest wait for a module to complete a write (ms, default 100)");

static unsigned int nack_retry_us = 1000;
module_param(nack_retry_us, uint, 0644);
MODULE_PARM_DESC(nack_retry_us,
		 "Delay before the one retry of a transfer a present module NACKed (us, 0: no retry; default 1000)");

static unsigned int bus_cdb_share = 50;
module_param(bus_cdb_share, uint, 0644);
MODULE_PARM_DESC(bus_cdb_share,
		 "Most of a contended root bus's time CDB and firmware traffic takes (percent, default 50)");

static bool bus_sched = true;
module_param(bus_sched, bool, 0644);
MODULE_PARM_DESC(bus_sched,
		 "Schedule each root bus's transfers by class (N: first come first served, as the i2c core does; default Y)");

static unsigned int bus_requests = 2;
module_param(bus_requests, uint, 0644);
MODULE_PARM_DESC(bus_requests,
		 "Netlink reads of a class (poll, bulk) that may hold modules of one root bus at once, the rest waiting without a module's lock (0: no limit; default 2)");

static LIST_HEAD(optic_buses);
static DEFINE_MUTEX(optic_buses_lock);	/* optic_buses, optic_bus.users */

static struct i2c_adapter *optic_root_adapter(struct i2c_adapter *adap)
{
	struct i2c_adapter *parent;

	while ((parent = i2c_parent_is_i2c_adapter(adap)))
		adap = parent;
	return adap;
}

static struct optic_bus *optic_bus_new(struct i2c_adapter *root)
{
	struct optic_bus *bus = kzalloc(sizeof(*bus), GFP_KERNEL);

	if (!bus)
		return NULL;
	bus->nr = root->nr;
	strscpy(bus->name, root->name, sizeof(bus->name));
	bus->born_ns = ktime_get_ns();
	spin_lock_init(&bus->lock);
	init_waitqueue_head(&bus->wq);
	init_waitqueue_head(&bus->req_wq);
	INIT_LIST_HEAD(&bus->modules);
	return bus;
}

/**
 * optic_bus_attach - join the scheduler of the cage's root bus
 * @mod: the module, at probe
 *
 * The root is the adapter reached through the parents of the cage's
 * adapter (mux channels are child adapters of the bus they switch).
 */
int optic_bus_attach(struct optic_module *mod)
{
	struct i2c_adapter *root = optic_root_adapter(mod->client->adapter);
	struct optic_bus *bus;

	mutex_lock(&optic_buses_lock);
	list_for_each_entry(bus, &optic_buses, node)
		if (bus->nr == root->nr)
			goto found;
	bus = optic_bus_new(root);
	if (!bus) {
		mutex_unlock(&optic_buses_lock);
		return -ENOMEM;
	}
	list_add_tail(&bus->node, &optic_buses);
found:
	bus->users++;
	mod->root = bus;
	mod->root_nr = bus->nr;
	mod->bus_class = OPTIC_BUS_CLASS_POLL;
	mutex_unlock(&optic_buses_lock);
	return 0;
}

/* Drop a user of @bus; optic_buses_lock held. */
static void optic_bus_put_locked(struct optic_bus *bus)
{
	if (!--bus->users) {
		list_del(&bus->node);
		kfree(bus);
	}
}

/* At unbind, after the last transfer (mod->gone). */
void optic_bus_detach(struct optic_module *mod)
{
	mutex_lock(&optic_buses_lock);
	optic_bus_put_locked(mod->root);
	mod->root = NULL;
	mutex_unlock(&optic_buses_lock);
}

/**
 * optic_bus_for_each - call @fn for every root bus, optic_buses_lock held
 * @fn: callback; a non-zero return stops the walk and is returned
 * @skip: buses to pass over first (a dump's position)
 * @data: for @fn
 */
int optic_bus_for_each(int (*fn)(struct optic_bus *bus, void *data),
		       long skip, void *data)
{
	struct optic_bus *bus;
	int ret = 0;

	mutex_lock(&optic_buses_lock);
	list_for_each_entry(bus, &optic_buses, node) {
		if (skip-- > 0)
			continue;
		ret = fn(bus, data);
		if (ret)
			break;
	}
	mutex_unlock(&optic_buses_lock);
	return ret;
}

/**
 * optic_bus_class_set - the class the module's next transfers go in
 * @mod: the module, its lock held
 * @class: enum optic_bus_class
 *
 * Return: the previous class, for the caller to restore.
 */
u8 optic_bus_class_set(struct optic_module *mod, u8 class)
{
	u8 old = mod->bus_class;

	lockdep_assert_held(&mod->lock);
	mod->bus_class = min_t(u8, class, OPTIC_BUS_CLASSES - 1);
	return old;
}

/**
 * optic_bus_lock - take @mod's lock for a request of @class
 * @mod: the module
 * @class: enum optic_bus_class of the request's transfers
 *
 * While the request waits, the holder of the lock takes its turns in
 * @class if that ranks above its own (optic_bus_turn_class()): a poll or
 * the IntL service waits for the module, never for the classes between
 * its own and the holder's.
 */
void optic_bus_lock(struct optic_module *mod, u8 class)
{
	if (mutex_trylock(&mod->lock))
		return;
	atomic_inc(&mod->lock_waiting[class]);
	mutex_lock(&mod->lock);
	atomic_dec(&mod->lock_waiting[class]);
}

/* Transfers of @class waiting for a turn; bus->lock held. */
static u32 optic_bus_waiting(const struct optic_bus *bus, u8 class)
{
	return bus->waiting[class];
}

/* Transfers waiting in any class; bus->lock held. */
static u32 optic_bus_queue(const struct optic_bus *bus)
{
	u32 n = 0;
	u8 c;

	for (c = 0; c < OPTIC_BUS_CLASSES; c++)
		n += optic_bus_waiting(bus, c);
	return n;
}

/* Request slots held in any class; bus->lock held. */
static u32 optic_bus_requests(const struct optic_bus *bus)
{
	u32 n = 0;
	u8 c;

	for (c = 0; c < OPTIC_BUS_CLASSES; c++)
		n += bus->held[c];
	return n;
}

/* A consistent copy of the bus's figures. */
void optic_bus_info(struct optic_bus *bus, struct optic_bus_info *info)
{
	info->nr = bus->nr;
	strscpy(info->name, bus->name, sizeof(info->name));
	spin_lock(&bus->lock);
	info->queue = optic_bus_queue(bus);
	info->queue_max = bus->queue_max;
	info->requests = optic_bus_requests(bus);
	info->requests_max = bus->requests_max;
	info->busy_ns = bus->busy_ns;
	memcpy(info->cls, bus->cls, sizeof(info->cls));
	spin_unlock(&bus->lock);
	info->age_ns = ktime_get_ns() - bus->born_ns;
}

/*
 * CDB has moved more than bus_cdb_share of the window's bytes while bulk
 * waits: it steps back for a turn of bulk. The window holds the turns
 * given while another class waited, where the classes divide the bus
 * (what CDB takes of an otherwise idle bus costs nobody). Bytes, not time:
 * a byte costs the same bus time in every class, and the counters
 * (contended_bytes) show the share.
 */
static bool optic_bus_cdb_held(const struct optic_bus *bus)
{
	u64 limit = div_u64(bus->win_bytes * READ_ONCE(bus_cdb_share), 100);

	return bus->win_cdb > limit &&
	       optic_bus_waiting(bus, OPTIC_BUS_CLASS_BULK);
}

/* Whether waiting transfers of @class may be served; bus->lock held. */
static bool optic_bus_wants(const struct optic_bus *bus, u8 class)
{
	if (!optic_bus_waiting(bus, class))
		return false;
	return class != OPTIC_BUS_CLASS_CDB || !optic_bus_cdb_held(bus);
}

/*
 * Whether @class would be served now but for the turns of its own class:
 * no higher class wants the bus, and CDB is not over its share. bus->lock
 * held.
 */
static bool optic_bus_admits(const struct optic_bus *bus, u8 class)
{
	u8 c;

	if (class == OPTIC_BUS_CLASS_CDB && optic_bus_cdb_held(bus))
		return false;
	for (c = 0; c < class; c++)
		if (optic_bus_wants(bus, c))
			return false;
	return true;
}

/*
 * Whether ticket @ticket of queue @q may take the free bus; bus->lock
 * held. With the scheduler on, queue q is class q, and every class above
 * it that wants the bus goes first; off, every transfer is in queue 0,
 * first come first served, as the i2c core's adapter lock serves them.
 */
static bool optic_bus_may_go(const struct optic_bus *bus, u8 q, u32 ticket)
{
	return !bus->busy && ticket == bus->serving[q] &&
	       optic_bus_admits(bus, q);
}

/* Hold @mod's root bus without the module's lock (the cage may unbind). */
static struct optic_bus *optic_bus_hold(struct optic_module *mod)
{
	struct optic_bus *bus;

	mutex_lock(&optic_buses_lock);
	bus = mod->root;
	if (bus)
		bus->users++;
	mutex_unlock(&optic_buses_lock);
	return bus;
}

static void optic_bus_put(struct optic_bus *bus)
{
	mutex_lock(&optic_buses_lock);
	optic_bus_put_locked(bus);
	mutex_unlock(&optic_buses_lock);
}

/* Whether @class has a slot free; bus->lock held. */
static bool optic_bus_slot_left(const struct optic_bus *bus, u8 class)
{
	unsigned int slots = READ_ONCE(bus_requests);

	return !slots || bus->held[class] < slots;
}

/*
 * Whether ticket @ticket of @class may take a slot: its turn in its class,
 * a slot of the class free, and no request holding its module waiting for
 * one. bus->lock held.
 */
static bool optic_bus_slot_free(const struct optic_bus *bus, u8 class,
				u32 ticket)
{
	return ticket == bus->req_serving[class] &&
	       !bus->req_locked_waiting[class] &&
	       optic_bus_slot_left(bus, class);
}

/* A slot of @class is taken; bus->lock held, and released. */
static void optic_bus_slot_taken(struct optic_bus *bus, u8 class)
	__releases(&bus->lock)
{
	bus->held[class]++;
	bus->requests_max = max(bus->requests_max, optic_bus_requests(bus));
	spin_unlock(&bus->lock);
	/* the next waiter may find a slot free too */
	wake_up_all(&bus->req_wq);
}

/* Wait for a request slot of @class, first come first served. */
static void optic_bus_take_slot(struct optic_bus *bus, u8 class)
{
	u32 ticket;

	spin_lock(&bus->lock);
	ticket = bus->req_next[class]++;
	wait_event_cmd(bus->req_wq, optic_bus_slot_free(bus, class, ticket),
		       spin_unlock(&bus->lock), spin_lock(&bus->lock));
	bus->req_serving[class]++;
	optic_bus_slot_taken(bus, class);
}

/*
 * Wait for a request slot holding the module's lock: ahead of every
 * ticket, for no longer than the requests that hold the class's slots.
 */
static void optic_bus_take_slot_locked(struct optic_bus *bus, u8 class)
{
	spin_lock(&bus->lock);
	bus->req_locked_waiting[class]++;
	wait_event_cmd(bus->req_wq, optic_bus_slot_left(bus, class),
		       spin_unlock(&bus->lock), spin_lock(&bus->lock));
	bus->req_locked_waiting[class]--;
	optic_bus_slot_taken(bus, class);
}

static void optic_bus_wait_admitted(struct optic_bus *bus, u8 class)
{
	spin_lock(&bus->lock);
	wait_event_cmd(bus->wq, optic_bus_admits(bus, class),
		       spin_unlock(&bus->lock), spin_lock(&bus->lock));
	spin_unlock(&bus->lock);
}

static void optic_bus_put_slot(struct optic_bus *bus, u8 class)
{
	spin_lock(&bus->lock);
	bus->held[class]--;
	spin_unlock(&bus->lock);
	wake_up_all(&bus->req_wq);
}

/*
 * A slot, then the module's lock. A module busy with another request (a
 * CDB command, the IntL service) is waited for without the slot, which
 * would otherwise stand idle; with the lock, the next free slot of the
 * class is this request's, ahead of the queue.
 */
static void optic_bus_slot_lock(struct optic_module *mod,
				struct optic_bus *bus, u8 class)
{
	optic_bus_take_slot(bus, class);
	if (mutex_trylock(&mod->lock))
		return;
	optic_bus_put_slot(bus, class);
	optic_bus_lock(mod, class);
	optic_bus_take_slot_locked(bus, class);
}

/**
 * optic_bus_enter - take @mod's lock for a request of @class
 * @mod: the module
 * @class: enum optic_bus_class of the transfers about to be made
 * @pass: filled in, for optic_bus_leave()
 *
 * A transfer waits for its turn with its module's lock held, and the IntL
 * service and every other reader of the module wait for that lock. With
 * every reader of a busy bus admitted at once, a read holds its module for
 * as long as the queue of all the others' transfers: the service of the
 * module waits behind the whole bus. So a request waits first, without
 * the lock:
 * - a poll or a bulk read (an EEPROM_READ: opticd's, opticctl's) for one
 *   of its class's bus_requests slots on the bus, first come first
 *   served: at most that many requests of a class hold modules of the bus
 *   while they wait for turns, and a poll never waits for a bulk read's
 *   slot (a bulk read holding one waits behind every poll and CDB);
 * - CDB until no higher class waits for a turn (a transfer of its waiting
 *   behind the polls would hold the module for as long as the polls keep
 *   the bus).
 * Controls and the IntL service do not wait. The turns are still taken
 * under the lock; a higher class coming in between goes first.
 */
void optic_bus_enter(struct optic_module *mod, u8 class,
		     struct optic_bus_pass *pass)
{
	pass->bus = NULL;
	pass->class = class;
	if (class != OPTIC_BUS_CLASS_CONTROL && READ_ONCE(bus_sched))
		pass->bus = optic_bus_hold(mod);
	if (!pass->bus) {
		optic_bus_lock(mod, class);
	} else if (class == OPTIC_BUS_CLASS_CDB) {
		optic_bus_wait_admitted(pass->bus, class);
		optic_bus_lock(mod, class);
	} else {
		optic_bus_slot_lock(mod, pass->bus, class);
	}
}

/* The request is done with @mod: its lock released, and its slot. */
void optic_bus_leave(struct optic_module *mod, struct optic_bus_pass *pass)
{
	mutex_unlock(&mod->lock);
	if (!pass->bus)
		return;
	/* a held bus: a slot of the class, but for CDB (see above) */
	if (pass->class != OPTIC_BUS_CLASS_CDB)
		optic_bus_put_slot(pass->bus, pass->class);
	optic_bus_put(pass->bus);
}

/* Whether a class other than @class waits for a turn; bus->lock held. */
static bool optic_bus_others_wait(const struct optic_bus *bus, u8 class)
{
	return optic_bus_queue(bus) > optic_bus_waiting(bus, class);
}

/* Count how the turn given to @class ranks among the others waiting. */
static void optic_bus_order(struct optic_bus *bus, u8 class)
{
	struct optic_bus_stats *st = &bus->cls[class];
	u8 c;

	for (c = 0; c < class; c++)
		if (optic_bus_wants(bus, c)) {
			st->inversions++;
			break;
		}
	for (c = class + 1; c < OPTIC_BUS_CLASSES; c++)
		if (optic_bus_waiting(bus, c)) {
			st->ahead++;
			break;
		}
}

/*
 * The class of the module's next turn: its request's, or the highest
 * class waiting for the module's lock. A request holding the module (a
 * bulk dump, a CDB block) would otherwise keep the IntL service or a
 * health poll waiting for it behind every turn of the classes above its
 * own: it inherits the waiter's class for the turns it has left.
 */
static u8 optic_bus_turn_class(const struct optic_module *mod)
{
	u8 c;

	for (c = 0; c < mod->bus_class; c++)
		if (atomic_read(&mod->lock_waiting[c]))
			return c;
	return mod->bus_class;
}

/* Wait for a turn on the root bus; returns the class it was taken in. */
static u8 optic_bus_turn(struct optic_module *mod)
{
	struct optic_bus *bus = mod->root;
	u8 class = optic_bus_turn_class(mod);
	struct optic_bus_stats *st = &bus->cls[class];
	u8 q = READ_ONCE(bus_sched) ? class : 0;
	u64 asked = ktime_get_ns();
	u32 ticket;

	spin_lock(&bus->lock);
	ticket = bus->next[q]++;
	bus->waiting[class]++;
	bus->queue_max = max(bus->queue_max, optic_bus_queue(bus));
	wait_event_cmd(bus->wq, optic_bus_may_go(bus, q, ticket),
		       spin_unlock(&bus->lock), spin_lock(&bus->lock));
	bus->serving[q]++;
	bus->waiting[class]--;
	optic_bus_order(bus, class);
	bus->turn_contended = optic_bus_others_wait(bus, class);
	bus->busy = true;
	bus->turn_start = ktime_get_ns();
	st->wait_max_ns = max(st->wait_max_ns, bus->turn_start - asked);
	spin_unlock(&bus->lock);
	return class;
}

/*
 * The CDB share's window: the last few KiB of the bus's contended traffic,
 * halved whenever it fills (a decaying sum). A transfer costs its bytes
 * and the two address bytes of its START and repeated START.
 */
#define OPTIC_BUS_WINDOW_BYTES	4096

static void optic_bus_window(struct optic_bus *bus, u8 class, size_t bytes)
{
	bus->win_bytes += bytes + 2;
	if (class == OPTIC_BUS_CLASS_CDB)
		bus->win_cdb += bytes + 2;
	if (bus->win_bytes < OPTIC_BUS_WINDOW_BYTES)
		return;
	bus->win_bytes /= 2;
	bus->win_cdb /= 2;
}

/* The turn of @class ends: account it and let the next one go. */
static void optic_bus_done(struct optic_module *mod, u8 class, size_t bytes)
{
	struct optic_bus *bus = mod->root;
	struct optic_bus_stats *st = &bus->cls[class];
	u64 held;

	spin_lock(&bus->lock);
	held = ktime_get_ns() - bus->turn_start;
	bus->busy = false;
	bus->busy_ns += held;
	st->xfers++;
	st->bytes += bytes;
	st->busy_ns += held;
	if (bus->turn_contended) {
		st->contended_bytes += bytes;
		optic_bus_window(bus, class, bytes);
	}
	spin_unlock(&bus->lock);
	wake_up_all(&bus->wq);
}

/* One read transfer in a turn of the root bus. */
static int optic_bus_xfer_read(struct optic_module *mod,
			       struct i2c_client *client, unsigned int offset,
			       u8 *buf, size_t chunk)
{
	u8 class = optic_bus_turn(mod);
	int ret;

	ret = optic_xfer_read(mod, client, offset, buf, chunk);
	optic_bus_done(mod, class, 1 + chunk);
	return ret;
}

/* One write transfer in a turn of the root bus. */
static int optic_bus_xfer_write(struct optic_module *mod,
				struct i2c_client *client, unsigned int offset,
				const u8 *buf, size_t chunk)
{
	u8 class = optic_bus_turn(mod);
	int ret;

	ret = optic_xfer_write(mod, client, offset, buf, chunk);
	optic_bus_done(mod, class, 1 + chunk);
	return ret;
}

bool optic_is_nack(int err)
{
	return err == -ENXIO || err == -EREMOTEIO;
}

/*
 * A failed transfer: what the driver tracks about presence and state has
 * to be confirmed on the bus again (see optic_tracked_presence()).
 */
static void optic_xfer_failed(struct optic_module *mod, int err)
{
	mod->xfer_errors++;
	/* a NACK is an empty cage or a busy module, not a bus error */
	if (!optic_is_nack(err))
		optic_event_bus_error(mod, err);
	mod->present_at = 0;
	mod->state_at = 0;
}

/*
 * A module may NACK its address while it is busy with an internal write
 * (CMIS 5.2 and SFF-8636 management interface timing: tWR). A transfer to
 * a module known to be present gets one more try after nack_retry_us; an
 * empty cage (not present) and the write-completion polling do not.
 */
static bool optic_nack_retry(struct optic_module *mod, int err, bool retry)
{
	unsigned int us = READ_ONCE(nack_retry_us);

	if (!retry || !us || !mod->present || !optic_is_nack(err))
		return false;
	fsleep(us);
	return true;
}

static int __optic_bus_read(struct optic_module *mod,
			    struct i2c_client *client, unsigned int offset,
			    u8 *buf, size_t len, bool retry)
{
	while (len) {
		size_t chunk = min_t(size_t, len, mod->read_max);
		int ret;

		ret = optic_bus_xfer_read(mod, client, offset, buf, chunk);
		if (ret && optic_nack_retry(mod, ret, retry))
			ret = optic_bus_xfer_read(mod, client, offset, buf,
						  chunk);
		if (ret) {
			optic_xfer_failed(mod, ret);
			return ret;
		}
		buf += chunk;
		offset += chunk;
		len -= chunk;
	}
	return 0;
}

int optic_bus_read(struct optic_module *mod, struct i2c_client *client,
		   unsigned int offset, u8 *buf, size_t len)
{
	return __optic_bus_read(mod, client, offset, buf, len, true);
}

/*
 * A write whose completion poll saw only NACKs until write_timeout_ms: a
 * module busy past tWR and a module pulled mid-write look the same on the
 * bus. A presence line tells them apart; without one the write timed out.
 */
static int optic_write_unanswered(struct optic_module *mod)
{
	int ret;

	if (!mod->gpio_presence)
		return -ETIMEDOUT;
	ret = gpiod_get_value_cansleep(mod->gpio_presence);
	if (ret < 0)
		return ret;
	return ret ? -ETIMEDOUT : -ENXIO;
}

/*
 * CMIS 5.2 and SFF-8636 (write cycle time, tWR): after a write the
 * module may NACK its address until it has committed the data. Poll with a
 * read of @len bytes at @offset (byte 0 when the caller needs nothing back)
 * until it answers, within write_timeout_ms.
 */
int optic_bus_wait_write_read(struct optic_module *mod,
			      struct i2c_client *client,
			      unsigned int offset, u8 *buf, size_t len)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(READ_ONCE(write_timeout_ms));
	int ret;

	for (;;) {
		ret = __optic_bus_read(mod, client, offset, buf, len, false);
		if (!ret)
			return 0;
		if (time_after(jiffies, deadline))
			return ret == -ENXIO ? optic_write_unanswered(mod) : ret;
		usleep_range(500, 1000);
	}
}

static int optic_wait_write(struct optic_module *mod, struct i2c_client *client)
{
	u8 byte;

	return optic_bus_wait_write_read(mod, client, 0, &byte, 1);
}

int optic_bus_write_nowait(struct optic_module *mod,
			   struct i2c_client *client,
			   unsigned int offset, const u8 *buf, size_t len)
{
	size_t i, chunk;
	int ret = 0;

	if (!len || len > OPTIC_PAGE_LEN)
		return -EINVAL;

	/* Longer (CDB) writes go out as consecutive SMBus transfers. */
	for (i = 0; i < len && !ret; i += chunk) {
		switch (mod->xfer) {
		case OPTIC_XFER_I2C:
			chunk = len;
			break;
		case OPTIC_XFER_SMBUS_BLOCK:
			chunk = min_t(size_t, len - i, I2C_SMBUS_BLOCK_MAX);
			break;
		default:
			chunk = 1;
			break;
		}
		if (i)
			ret = optic_wait_write(mod, client);
		if (ret)
			break;
		ret = optic_bus_xfer_write(mod, client, offset + i, buf + i,
					   chunk);
		if (ret && optic_nack_retry(mod, ret, true))
			ret = optic_bus_xfer_write(mod, client, offset + i,
						   buf + i, chunk);
	}
	if (ret)
		optic_xfer_failed(mod, ret);
	return ret;
}

int optic_bus_write(struct optic_module *mod, struct i2c_client *client,
		    unsigned int offset, const u8 *buf, size_t len)
{
	int ret;

	ret = optic_bus_write_nowait(mod, client, offset, buf, len);
	return ret ?: optic_wait_write(mod, client);
}
