// SPDX-License-Identifier: GPL-2.0
/*
 * optic: the flight recorder. Per cage (struct optic_module, which outlives
 * the modules plugged into it) a bounded ring of timestamped records of
 * what the driver saw and did: insertions and removals with the identity,
 * module and data-path state changes, flags latched and cleared, LPMode,
 * TX disable and reset with who asked, CDB commands (firmware steps) and
 * bus errors. A record of a
 * link-affecting change carries the module's monitors read in the same
 * service, under the same lock.
 *
 * Every event the driver multicasts is recorded first, here, then handed
 * to netlink.c with its record (optic_nl_event()): events leave through one
 * place. Writers hold mod->lock (the bus and the snapshot need it) and
 * rec.lock; readers (the RECORD_GET dump) take rec.lock alone, so a hung
 * bus never delays them.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "optic.h"

static unsigned int record_entries = 512;
module_param(record_entries, uint, 0644);
MODULE_PARM_DESC(record_entries,
		 "Flight recorder records kept per cage, read at probe (0: off; default 512)");

static unsigned int record_snapshots = 64;
module_param(record_snapshots, uint, 0644);
MODULE_PARM_DESC(record_snapshots,
		 "Monitor snapshots kept per cage, the newest records' (read at probe; default 64)");

/* A sequence number for every record of every cage, from 1. */
static atomic64_t optic_record_seq = ATOMIC64_INIT(0);

int optic_record_init(struct optic_module *mod)
{
	struct optic_recorder *rec = &mod->rec;
	unsigned int n = min_t(unsigned int, READ_ONCE(record_entries), 65536);

	unsigned int s = clamp_t(unsigned int, READ_ONCE(record_snapshots), 1,
				 n ?: 1);

	spin_lock_init(&rec->lock);
	if (!n)
		return 0;
	rec->ring = kvcalloc(n, sizeof(*rec->ring), GFP_KERNEL);
	rec->snaps = kvcalloc(s, sizeof(*rec->snaps), GFP_KERNEL);
	if (!rec->ring || !rec->snaps) {
		optic_record_free(mod);
		return -ENOMEM;
	}
	rec->size = n;
	rec->snaps_size = s;
	return 0;
}

/* From the module's release (or a failed init): no user is left. */
void optic_record_free(struct optic_module *mod)
{
	kvfree(mod->rec.ring);
	kvfree(mod->rec.snaps);
	mod->rec.ring = NULL;
	mod->rec.snaps = NULL;
}

void optic_record_clear(struct optic_module *mod)
{
	struct optic_recorder *rec = &mod->rec;

	spin_lock(&rec->lock);
	rec->head = 0;
	rec->count = 0;
	rec->overflow = 0;
	spin_unlock(&rec->lock);
}

/*
 * Stamp @r with its sequence number and put it in the ring; @snap: with a
 * slot of the snapshot ring, pending until optic_record_snap_done().
 */
static void optic_record_add(struct optic_module *mod, struct optic_record *r,
			     bool snap)
{
	struct optic_recorder *rec = &mod->rec;

	lockdep_assert_held(&mod->lock);
	if (!rec->size)
		return;
	spin_lock(&rec->lock);
	/* under rec.lock: a cage's records are in sequence order */
	r->seq = atomic64_inc_return(&optic_record_seq);
	r->has_snap = snap;
	if (snap) {
		r->snap_slot = rec->snaps_head;
		rec->snaps[r->snap_slot].seq = r->seq;
		rec->snaps[r->snap_slot].pending = true;
		rec->snaps_head = (rec->snaps_head + 1) % rec->snaps_size;
	}
	rec->ring[rec->head] = *r;
	rec->head = (rec->head + 1) % rec->size;
	if (rec->count < rec->size)
		rec->count++;
	else
		rec->overflow++;
	spin_unlock(&rec->lock);
}

/*
 * The snapshot of @r is read (@snap), or could not be (NULL: @r goes
 * without). No other snapshot was taken meanwhile: mod->lock is held.
 */
static void optic_record_snap_done(struct optic_module *mod,
				   const struct optic_record *r,
				   const struct optic_snapshot *snap)
{
	struct optic_recorder *rec = &mod->rec;
	struct optic_record_snap *s;

	lockdep_assert_held(&mod->lock);
	if (!rec->size || !r->has_snap)
		return;
	spin_lock(&rec->lock);
	s = &rec->snaps[r->snap_slot];
	if (snap)
		s->snap = *snap;
	else
		s->seq = 0;
	s->pending = false;
	spin_unlock(&rec->lock);
}

/**
 * optic_record_get - the oldest record with a sequence number >= @since
 * @mod: the cage; its lock need not be held
 * @since: first sequence number wanted
 * @r: the record, copied
 * @snap: its snapshot, copied when r->has_snap (false when the snapshot
 *	ring has moved on)
 * @overflow: records overwritten so far
 *
 * A record whose snapshot is still being read (its event went out first)
 * is waited for: the service reading it holds the module's lock.
 *
 * Return: false when there is none.
 */
bool optic_record_get(struct optic_module *mod, u64 since,
		      struct optic_record *r, struct optic_snapshot *snap,
		      u64 *overflow)
{
	struct optic_recorder *rec = &mod->rec;
	unsigned int i, at;
	bool found, pending;

again:
	found = false;
	pending = false;
	spin_lock(&rec->lock);
	*overflow = rec->overflow;
	for (i = 0; i < rec->count; i++) {
		at = (rec->head + rec->size - rec->count + i) % rec->size;
		if (rec->ring[at].seq >= since) {
			*r = rec->ring[at];
			found = true;
			break;
		}
	}
	if (found && r->has_snap) {
		const struct optic_record_snap *s = &rec->snaps[r->snap_slot];

		r->has_snap = s->seq == r->seq;
		pending = r->has_snap && s->pending;
		if (r->has_snap && !pending)
			*snap = s->snap;
	}
	spin_unlock(&rec->lock);
	if (pending) {
		mutex_lock(&mod->lock);
		mutex_unlock(&mod->lock);
		goto again;
	}
	return found;
}

/*
 * A record's time: when the driver saw the change, or for what an IntL
 * service finds, when IntL was asserted (the interrupt), the earliest the
 * host could know of it.
 */
static void optic_record_start(struct optic_module *mod,
			       struct optic_record *r, u8 type, int lane)
{
	memset(r, 0, sizeof(*r));
	if (mod->int_servicing) {
		r->realtime_ns = READ_ONCE(mod->int_real_ns);
		r->boottime_ns = READ_ONCE(mod->int_boot_ns);
	} else {
		r->realtime_ns = ktime_get_real_ns();
		r->boottime_ns = ktime_get_boottime_ns();
	}
	r->type = type;
	r->lane = lane;
}

/* Records of the kinds that are events go out to the listeners. */
static void optic_record_event(struct optic_module *mod,
			       const struct optic_record *r)
{
	if (r->type <= OPTIC_EVENT_FLAG)
		optic_nl_event(mod, r);
}

static void optic_record_emit(struct optic_module *mod, struct optic_record *r)
{
	optic_record_add(mod, r, false);
	optic_record_event(mod, r);
}

/*
 * Record @r with the monitors read now. The event goes out first, so its
 * latency is not the snapshot's bus time; a RECORD_GET meanwhile waits
 * for the snapshot (optic_record_get()). None of the monitors' bytes is a
 * latched flag, so the reads raise no flag record of their own (a failed
 * read: a BUS_ERROR, and @r goes without a snapshot).
 */
static void optic_record_emit_monitors(struct optic_module *mod,
				       struct optic_record *r)
{
	struct optic_snapshot *snap = kzalloc(sizeof(*snap), GFP_KERNEL);

	optic_record_add(mod, r, snap);
	optic_record_event(mod, r);
	if (snap && optic_read_snapshot(mod, snap)) {
		kfree(snap);
		snap = NULL;
	}
	optic_record_snap_done(mod, r, snap);
	kfree(snap);
}

void optic_event_presence(struct optic_module *mod, bool inserted)
{
	const struct optic_ident *id = &mod->ident;
	struct optic_record r;

	optic_record_start(mod, &r, inserted ? OPTIC_EVENT_INSERTED :
			   OPTIC_EVENT_REMOVED, -1);
	if (inserted) {
		r.id = id->id;
		r.spec = id->spec;
		r.lanes = id->lanes;
		strscpy(r.vendor_name, id->vendor_name, sizeof(r.vendor_name));
		strscpy(r.vendor_pn, id->vendor_pn, sizeof(r.vendor_pn));
		strscpy(r.vendor_sn, id->vendor_sn, sizeof(r.vendor_sn));
	}
	optic_record_emit(mod, &r);
}

/* CMIS 5.2 Table 8-72 (DPStateHostLane): DPActivated. */
#define OPTIC_DP_ACTIVATED	4

/* @lane < 0 for module-wide events. */
void optic_event_state(struct optic_module *mod, u8 type, int lane, u8 old,
		       u8 new)
{
	struct optic_record r;

	optic_record_start(mod, &r, type, lane);
	r.old_state = old;
	r.new_state = new;
	/* a data path leaving DPActivated, a module entering ModuleFault */
	if ((type == OPTIC_EVENT_DATAPATH_STATE && old == OPTIC_DP_ACTIVATED &&
	     new != OPTIC_DP_ACTIVATED) ||
	    (type == OPTIC_EVENT_MODULE_STATE && new == OPTIC_STATE_FAULT))
		optic_record_emit_monitors(mod, &r);
	else
		optic_record_emit(mod, &r);
}

/*
 * Flags that take a link down, by the bits of their register: CMIS 5.2
 * Table 8-77, page 11h (one bit per lane of the bank): 135 L-TxFault, 137
 * L-TxCDRLOL, 147 L-RxLOS, 148 L-RxCDRLOL. SFF-8636 Table 6-5 (lower page,
 * lanes 1-4 in bits 0-3): byte 3 bits 3-0 Rx LOS, byte 4 bits 3-0 Tx fault,
 * byte 5 bits 3-0 Rx CDR LOL and 7-4 Tx CDR LOL.
 */
static const struct {
	enum optic_spec spec;
	u8 page, offset, bits;
} optic_link_flags[] = {
	{ OPTIC_SPEC_CMIS, 0x11, 135, 0xff },
	{ OPTIC_SPEC_CMIS, 0x11, 137, 0xff },
	{ OPTIC_SPEC_CMIS, 0x11, 147, 0xff },
	{ OPTIC_SPEC_CMIS, 0x11, 148, 0xff },
	{ OPTIC_SPEC_SFF8636, 0, 3, 0x0f },
	{ OPTIC_SPEC_SFF8636, 0, 4, 0x0f },
	{ OPTIC_SPEC_SFF8636, 0, 5, 0xff },
};

static bool optic_link_flag(struct optic_module *mod, u8 page, u8 offset,
			    u8 bits)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(optic_link_flags); i++)
		if (optic_link_flags[i].spec == mod->ident.spec &&
		    optic_link_flags[i].page == page &&
		    optic_link_flags[i].offset == offset &&
		    (optic_link_flags[i].bits & bits))
			return true;
	return false;
}

/*
 * @lane < 0 for module-wide flags or bytes covering several lanes; @set:
 * newly latched (an event), else found cleared (a record only).
 */
void optic_event_flag(struct optic_module *mod, u8 page, u8 offset, u8 bits,
		      int lane, bool set)
{
	struct optic_record r;

	optic_record_start(mod, &r, set ? OPTIC_EVENT_FLAG :
			   OPTIC_EVENT_FLAG_CLEARED, lane);
	r.page = page;
	r.offset = offset;
	r.bits = bits;
	if (set && optic_link_flag(mod, page, offset, bits))
		optic_record_emit_monitors(mod, &r);
	else
		optic_record_emit(mod, &r);
}

/*
 * LPMode, TX disable or reset, as asked by @who: @value and @mask as in
 * OPTIC_A_LPMODE / OPTIC_A_TX_DISABLE(_MASK), @err the outcome.
 */
void optic_event_control(struct optic_module *mod, u8 type,
			 enum optic_who who, u32 value, u32 mask, int err)
{
	struct optic_record r;

	optic_record_start(mod, &r, type, -1);
	r.who = who;
	r.pid = who == OPTIC_WHO_DRIVER ? 0 : task_tgid_nr(current);
	r.value = value;
	r.mask = mask;
	r.err = err < 0 ? -err : 0;
	optic_record_emit(mod, &r);
}

void optic_event_bus_error(struct optic_module *mod, int err)
{
	struct optic_record r;

	optic_record_start(mod, &r, OPTIC_EVENT_BUS_ERROR, -1);
	r.err = -err;
	optic_record_emit(mod, &r);
}

/*
 * CMIS 5.2 chapter 9: the CDB command ID is page 9Fh bytes 128-129 and
 * the write of byte 129 starts the command; CdbStatus1 (lower page byte
 * 37) has bit 7 set while it is busy, bit 6 when it failed.
 */
#define OPTIC_CDB_CMD		128
#define OPTIC_CDB_STATUS1	37
#define OPTIC_CDB_BUSY		BIT(7)
#define OPTIC_CDB_FAILED	BIT(6)

/*
 * Write LPL (0103h) and Write EPL (0104h): a firmware download writes
 * hundreds of blocks; recording each would push the link's history out
 * of the ring. Only a block that fails is recorded.
 */
static bool optic_cdb_block(u16 cmd)
{
	return cmd == 0x0103 || cmd == 0x0104;
}

static void optic_record_cdb(struct optic_module *mod, u8 status)
{
	struct optic_record r;

	optic_record_start(mod, &r, OPTIC_EVENT_FIRMWARE, -1);
	r.cdb_cmd = mod->cdb_cmd;
	r.cdb_status = status;
	r.who = mod->cdb_who;
	r.pid = mod->cdb_pid;
	optic_record_emit(mod, &r);
}

/**
 * optic_record_cdb_write - a host write that may start a CDB command
 * @mod: the module, its lock held, the write done
 * @loc: where it went
 * @offset: its first byte
 * @buf: the bytes written
 * @len: how many
 * @who: netlink or sysfs
 */
void optic_record_cdb_write(struct optic_module *mod,
			    const struct optic_loc *loc, unsigned int offset,
			    const u8 *buf, size_t len, enum optic_who who)
{
	u8 msb = 0;

	if (mod->ident.spec != OPTIC_SPEC_CMIS ||
	    loc->i2c_addr != OPTIC_ADDR_A0 || loc->page != OPTIC_CDB_PAGE ||
	    offset > OPTIC_CDB_CMD + 1 || offset + len <= OPTIC_CDB_CMD + 1)
		return;
	if (offset <= OPTIC_CDB_CMD)
		msb = buf[OPTIC_CDB_CMD - offset];
	else if (optic_read(mod, loc, OPTIC_CDB_CMD, &msb, 1))
		msb = 0;
	mod->cdb_cmd = msb << 8 | buf[OPTIC_CDB_CMD + 1 - offset];
	mod->cdb_pending = true;
	mod->cdb_who = who;
	mod->cdb_pid = task_tgid_nr(current);
	if (!optic_cdb_block(mod->cdb_cmd))
		optic_record_cdb(mod, 0);
}

/**
 * optic_record_cdb_read - a host read that may see a command complete
 * @mod: the module, its lock held, the read done
 * @loc: where it came from
 * @offset: its first byte
 * @buf: the bytes read
 * @len: how many
 */
void optic_record_cdb_read(struct optic_module *mod,
			   const struct optic_loc *loc, unsigned int offset,
			   const u8 *buf, size_t len)
{
	u8 status;

	if (!mod->cdb_pending || loc->i2c_addr != OPTIC_ADDR_A0 ||
	    offset > OPTIC_CDB_STATUS1 || offset + len <= OPTIC_CDB_STATUS1)
		return;
	status = buf[OPTIC_CDB_STATUS1 - offset];
	if (status & OPTIC_CDB_BUSY)
		return;
	mod->cdb_pending = false;
	if (!optic_cdb_block(mod->cdb_cmd) || (status & OPTIC_CDB_FAILED))
		optic_record_cdb(mod, status);
}
