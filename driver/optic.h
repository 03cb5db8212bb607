/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optic.ko internal interfaces, shared by the driver's files.
 *
 * One struct optic_module per i2c client (one per cage). Its lifetime is a
 * kref: probe holds the first reference, netlink lookups take their own, and
 * remove() marks the module gone under its mutex before the i2c client goes
 * away, so late users see -ENODEV instead of a freed client.
 */
#ifndef _OPTIC_H
#define _OPTIC_H

#include <linux/bits.h>
#include <linux/gpio/consumer.h>
#include <linux/i2c.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <linux/workqueue.h>
#include <linux/optic.h>

#define OPTIC_DRV_NAME		"optic"

#define OPTIC_ADDR_A0		0x50
#define OPTIC_ADDR_A2		0x51

#define OPTIC_PAGE_LEN		128
/* Bytes 126/127 of the lower page select the bank and page of upper memory. */
#define OPTIC_BANK_SELECT	126
#define OPTIC_PAGE_SELECT	127
/* CMIS 5.2 8.1: pages 10h-FFh are banked, 00h-0Fh are not. */
#define OPTIC_FIRST_BANKED_PAGE	0x10
/* CMIS CDB: command/reply page 9Fh, EPL pages A0h-AFh. */
#define OPTIC_CDB_PAGE		0x9f
#define OPTIC_CDB_LAST_PAGE	0xaf
/* Banks reachable through the eeprom file (CMIS page 01h byte 142: 0-3). */
#define OPTIC_FILE_BANKS	4
#define OPTIC_EEPROM_FILE_SIZE	(OPTIC_PAGE_LEN + \
				 OPTIC_FILE_BANKS * 256 * OPTIC_PAGE_LEN)

#define OPTIC_STR_LEN		17	/* 16 ASCII bytes + NUL */
/*
 * CMIS 5.2 8.4.1: lane registers (pages 10h-2Fh) are banked, eight lanes
 * per bank; page 01h byte 142 bits 1-0 advertise banks 0, 0-1 or 0-3.
 * Lane L (0-based) is bit L % 8 of the registers of bank L / 8.
 */
#define OPTIC_LANES_PER_BANK	8
#define OPTIC_MAX_BANKS		OPTIC_FILE_BANKS
#define OPTIC_MAX_LANES		(OPTIC_LANES_PER_BANK * OPTIC_MAX_BANKS)
/* CMIS page 11h bytes 134-153: latched lane flags of one bank. */
#define OPTIC_LANE_FLAG_BYTES	20
/*
 * Latched flag bytes tracked per module (see optic_flag_regions): CMIS
 * lower page 8-11 and the lane flags of every bank; SFF-8636 3-14.
 */
#define OPTIC_FLAG_BYTES	(4 + OPTIC_MAX_BANKS * OPTIC_LANE_FLAG_BYTES)

/* Latched flag registers tracked per module (page.c optic_flag_regions). */
#define OPTIC_FLAG_REGIONS	6

/*
 * Status bytes the driver keeps from any read that covers them (page.c),
 * so that its service poll need not read them again and MODULE_GET can
 * report them: the module temperature, the CMIS DPState of each bank.
 */
enum optic_seen_id {
	OPTIC_SEEN_TEMP,
	OPTIC_SEEN_DP,		/* + bank */
	OPTIC_SEEN_NR = OPTIC_SEEN_DP + OPTIC_MAX_BANKS,
};

struct optic_seen {
	u64 at;			/* get_jiffies_64() of the read, 0: never */
	u8 data[4];
};

/*
 * Readers of latched (clear-on-read) flags. The module clears a flag when
 * anyone reads it; the driver accumulates every bit it reads and delivers
 * it once to each consumer (docs/ABI/testing/sysfs-class-optic).
 */
enum optic_consumer {
	OPTIC_CONS_RAW,		/* eeprom file, EEPROM_READ */
	OPTIC_CONS_HWMON,	/* hwmon *_alarm attributes */
	OPTIC_CONS_NR,
	OPTIC_CONS_NONE = OPTIC_CONS_NR, /* driver-internal reads */
};

enum optic_xfer {
	OPTIC_XFER_I2C,		/* i2c_transfer, combined write-read */
	OPTIC_XFER_SMBUS_BLOCK,	/* SMBus I2C block read/write, 32 bytes */
	OPTIC_XFER_SMBUS_BYTE,	/* SMBus byte data */
};

/* Which device and page/bank an access targets. */
struct optic_loc {
	u8 i2c_addr;		/* OPTIC_ADDR_A0 or OPTIC_ADDR_A2 */
	u8 bank;
	u8 page;
};

/* Static content read once per insertion (see page.c). */
struct optic_cache_slot {
	u8 i2c_addr;
	u8 page;		/* page of the upper half; 0 for lower */
	u8 start;		/* first byte (0-255) */
	u8 len;			/* at most OPTIC_PAGE_LEN, never spans 127/128 */
	bool valid;
	u8 data[OPTIC_PAGE_LEN];
};

#define OPTIC_CACHE_SLOTS	4

struct optic_ident {
	u8 id;			/* SFF-8024 identifier, byte 0 */
	u8 rev;			/* spec revision byte */
	enum optic_spec spec;
	bool flat;		/* no pages beyond 00h */
	bool has_a2;		/* SFF-8472 diagnostics at A2h */
	bool a2_paged;		/* SFF-8472 A2h page select implemented */
	u8 lanes;		/* host lanes, at most OPTIC_MAX_LANES */
	u8 banks;		/* CMIS lane register banks, 1-4 (else 1) */
	bool csum_ok;		/* identity checksums match (optic_csum_ok()) */
	char vendor_name[OPTIC_STR_LEN];
	char vendor_pn[OPTIC_STR_LEN];
	char vendor_sn[OPTIC_STR_LEN];
	char vendor_rev[OPTIC_STR_LEN];
	char date_code[OPTIC_STR_LEN];
};

/*
 * VDM observables a snapshot carries (control.c): found once per
 * insertion in the descriptors of CMIS pages 20h-23h of each bank.
 */
#define OPTIC_SNAP_VDM_MAX	40

struct optic_vdm_slot {
	u8 type;			/* observable type ID */
	u8 lane;			/* 0-based, bank included */
	u8 bank;
	u8 group;			/* 0-3: pages 20h/24h + group */
	u8 index;			/* instance 0-63 of the group */
};

/*
 * Monitors read in the service that recorded a link-affecting change
 * (record.c): raw register values in the module's units (CMIS 5.2 Table
 * 8-10 and 8-84, SFF-8636 Table 6-8), lane 0 first.
 */
struct optic_snapshot {
	u8 lanes;			/* lanes below with values */
	u8 bias_shift;			/* CMIS page 01h byte 160 bits 4-3 */
	u16 temp;			/* s16, 1/256 degC */
	u16 vcc;			/* 100 uV */
	u16 tx_power[OPTIC_MAX_LANES];	/* 0.1 uW */
	u16 bias[OPTIC_MAX_LANES];	/* 2 uA << bias_shift */
	u16 rx_power[OPTIC_MAX_LANES];	/* 0.1 uW */
	u8 vdm_n;			/* VDM values below */
	struct optic_snap_vdm vdm[OPTIC_SNAP_VDM_MAX];
};

/* One flight recorder record: what an event carries, and more. */
struct optic_record {
	u64 seq;			/* 0: not recorded (no ring) */
	u64 realtime_ns;
	u64 boottime_ns;
	u8 type;			/* enum optic_event */
	s8 lane;			/* -1: module-wide */
	u8 old_state, new_state;	/* MODULE_STATE, DATAPATH_STATE */
	u8 page, offset, bits;		/* FLAG, FLAG_CLEARED */
	u8 who;				/* enum optic_who (controls) */
	u32 pid;
	u32 err;			/* positive errno */
	u32 value, mask;		/* LPMODE: value; TX_DISABLE */
	u16 cdb_cmd;			/* FIRMWARE */
	u8 cdb_status;			/* FIRMWARE: 0 for the write */
	bool has_snap;			/* a snapshot goes with it */
	u16 snap_slot;			/* where the ring keeps it */
	/* INSERTED */
	u8 id, spec, lanes;
	char vendor_name[OPTIC_STR_LEN];
	char vendor_pn[OPTIC_STR_LEN];
	char vendor_sn[OPTIC_STR_LEN];
};

/* A snapshot in the ring, with the record it belongs to. */
struct optic_record_snap {
	u64 seq;
	bool pending;			/* being read, mod->lock held */
	struct optic_snapshot snap;
};

/*
 * The records of one cage, oldest overwritten first. Snapshots (a few
 * hundred bytes each, only link-affecting records have one) are kept in a
 * smaller ring of their own.
 */
struct optic_recorder {
	spinlock_t lock;		/* the fields below */
	struct optic_record *ring;
	unsigned int size;		/* entries; 0: recording off */
	unsigned int head;		/* next entry written */
	unsigned int count;		/* valid entries */
	u64 overflow;			/* records overwritten */
	struct optic_record_snap *snaps;
	unsigned int snaps_size;
	unsigned int snaps_head;	/* next snapshot written */
};

/* What one class of traffic did on a root bus. */
struct optic_bus_stats {
	u64 xfers;			/* turns granted */
	u64 bytes;			/* bytes moved, offset bytes included */
	u64 busy_ns;			/* time the class held the bus */
	u64 wait_max_ns;		/* longest wait for a turn */
	u64 ahead;			/* turns taken before a lower class */
	u64 inversions;			/* turns taken while a higher waited */
	u64 contended_bytes;		/* moved while another class waited */
};

/*
 * A root I2C adapter shared by cages (bus.c): the scheduler's turns and
 * counters. Each queue (a class, or queue 0 alone with bus_sched off)
 * hands out tickets (next) and serves them in order (serving).
 */
struct optic_bus {
	struct list_head node;		/* on optic_buses, its lock */
	unsigned int users;		/* cages attached, optic_buses_lock */
	struct list_head modules;	/* bound cages, optic_list_lock */
	int nr;				/* the root adapter's number */
	char name[I2C_NAME_SIZE];
	u64 born_ns;			/* ktime_get_ns() when first seen */
	wait_queue_head_t wq;		/* transfers waiting for a turn */
	wait_queue_head_t req_wq;	/* requests waiting for a slot */

	spinlock_t lock;		/* everything below */
	bool busy;			/* a turn is held */
	bool turn_contended;		/* given while another class waited */
	u64 turn_start;
	u32 next[OPTIC_BUS_CLASSES];
	u32 serving[OPTIC_BUS_CLASSES];
	u32 waiting[OPTIC_BUS_CLASSES];	/* by class */
	u32 queue_max;
	u64 busy_ns;
	u64 win_bytes, win_cdb;		/* CDB share window, contended turns */
	struct optic_bus_stats cls[OPTIC_BUS_CLASSES];
	/* requests holding modules of the bus (optic_bus_enter()) */
	u32 req_next[OPTIC_BUS_CLASSES], req_serving[OPTIC_BUS_CLASSES];
	u32 req_locked_waiting[OPTIC_BUS_CLASSES]; /* holding their modules */
	u32 held[OPTIC_BUS_CLASSES];	/* slots held, by class */
	u32 requests_max;		/* most slots held at once */
};

/* What optic_bus_enter() let a request in with, for optic_bus_leave(). */
struct optic_bus_pass {
	struct optic_bus *bus;		/* held (and a slot but for CDB) */
	u8 class;			/* the request's */
};

/* A copy of a root bus's figures (optic_bus_info()). */
struct optic_bus_info {
	int nr;
	char name[I2C_NAME_SIZE];
	u32 queue, queue_max;
	u32 requests, requests_max;
	u64 busy_ns, age_ns;
	struct optic_bus_stats cls[OPTIC_BUS_CLASSES];
};

struct optic_module {
	struct kref kref;
	/* in optic_modules and optic_names, on root->modules: optic_list_lock */
	struct hlist_node name_node;
	struct list_head bus_node;
	u32 index;
	char name[OPTIC_PORT_NAME_LEN];

	struct i2c_client *client;	/* 0x50 (A0h) */
	struct i2c_client *a2;		/* 0x51, SFF-8472 diagnostics */
	struct device *dev;		/* class device /sys/class/optic/<name> */
	struct mutex hwmon_lock;	/* hwmon (un)registration */
	struct device *hwmon;
	u32 hwmon_generation;		/* module generation hwmon describes */
	struct delayed_work poll;	/* presence, state and flag service */
	struct gpio_desc *gpio_presence;
	struct gpio_desc *gpio_reset;
	struct gpio_desc *gpio_lpmode;
	struct gpio_desc *gpio_int;
	int int_irq;
	struct delayed_work int_work;	/* re-enables the IntL IRQ */
	/* CLOCK_REALTIME and CLOCK_BOOTTIME ns of the last IntL interrupt */
	u64 int_real_ns;
	u64 int_boot_ns;
	/* requests waiting for lock, by class (optic_bus_lock()) */
	atomic_t lock_waiting[OPTIC_BUS_CLASSES];
	enum optic_xfer xfer;
	unsigned int read_max;		/* bytes per read transfer */
	struct optic_bus *root;		/* the root bus's scheduler */
	int root_nr;			/* its adapter number */
	int bus;
	u16 addr;

	/* Everything below is protected by lock. */
	struct mutex lock;
	bool gone;			/* remove() ran: no more bus access */
	bool present;
	bool identified;
	bool int_disabled;		/* IntL IRQ in its hold-off */
	bool int_servicing;		/* records take the IntL time */
	u8 bus_class;			/* of the transfers made now */
	int cur_page[2];		/* A0h, A2h; -1 = unknown */
	int cur_bank;			/* -1 = unknown */
	struct optic_ident ident;
	struct optic_cache_slot cache[OPTIC_CACHE_SLOTS];
	u32 generation;			/* bumped at every identification */
	u8 last_state;			/* module state last reported */
	/*
	 * get_jiffies_64() of the last check of the cage and of the last
	 * read of the module state; 0: never, or invalidated by a failed
	 * transfer, a control or a reset (optic_tracked_fresh()).
	 */
	u64 present_at;
	u64 state_at;
	u8 last_dp[OPTIC_MAX_LANES];	/* CMIS data-path states reported */
	u8 latched[OPTIC_CONS_NR][OPTIC_FLAG_BYTES];
	u8 flags_last[OPTIC_FLAG_BYTES];	/* flag bytes the last read found */
	u64 flags_at[OPTIC_FLAG_REGIONS];	/* jiffies of a region's last read */
	struct optic_seen seen[OPTIC_SEEN_NR];
	u64 xfer_errors;
	u64 page_selects;
	u64 select_errors;		/* selects that did not read back */
	u64 ident_errors;		/* identifier changes not confirmed */
	u8 vdm_n;			/* VDM observables of snapshots */
	struct optic_vdm_slot vdm[OPTIC_SNAP_VDM_MAX];
	/* the CDB command last written, until its status is read */
	bool cdb_pending;
	u16 cdb_cmd;
	u8 cdb_who;
	u32 cdb_pid;

	/* Written under lock (and rec.lock), read under rec.lock alone. */
	struct optic_recorder rec;
};

/* Every lane of the module, bit N = lane N (0-based). */
static inline u32 optic_lane_mask(const struct optic_module *mod)
{
	unsigned int lanes = min_t(unsigned int, mod->ident.lanes,
				   OPTIC_MAX_LANES);

	return lanes ? GENMASK(lanes - 1, 0) : 0;
}

/* main.c */
extern struct mutex optic_list_lock;
extern struct xarray optic_modules;
struct optic_module *optic_module_get_by_index(u32 index);
struct optic_module *optic_module_get_by_name(const char *name);
struct optic_module *optic_module_get_next(unsigned long *index);
void optic_module_put(struct optic_module *mod);
void optic_service(struct optic_module *mod);
bool optic_tracked_fresh(u64 at);
bool optic_read_recently(u64 at);
int optic_rename(struct optic_module *mod, const char *name);
bool optic_name_valid(const char *name);

/*
 * The access layers, each calling only the ones before it; callers hold
 * mod->lock. xfer.c: one transfer in the adapter's mode.
 */
int optic_xfer_init(struct optic_module *mod);
struct i2c_client *optic_client(struct optic_module *mod, u8 i2c_addr);
int optic_xfer_read(struct optic_module *mod, struct i2c_client *client,
		    u8 off, u8 *buf, size_t chunk);
int optic_xfer_write(struct optic_module *mod, struct i2c_client *client,
		     unsigned int offset, const u8 *buf, size_t len);

/* bus.c: transfers scheduled on the root bus, NACK retry, tWR polling */
int optic_bus_attach(struct optic_module *mod);
void optic_bus_detach(struct optic_module *mod);
u8 optic_bus_class_set(struct optic_module *mod, u8 class);
void optic_bus_lock(struct optic_module *mod, u8 class);
void optic_bus_enter(struct optic_module *mod, u8 class,
		     struct optic_bus_pass *pass);
void optic_bus_leave(struct optic_module *mod, struct optic_bus_pass *pass);
void optic_bus_info(struct optic_bus *bus, struct optic_bus_info *info);
int optic_bus_for_each(int (*fn)(struct optic_bus *bus, void *data),
		       long skip, void *data);
bool optic_is_nack(int err);
int optic_bus_read(struct optic_module *mod, struct i2c_client *client,
		   unsigned int offset, u8 *buf, size_t len);
int optic_bus_wait_write_read(struct optic_module *mod,
			      struct i2c_client *client,
			      unsigned int offset, u8 *buf, size_t len);
int optic_bus_write_nowait(struct optic_module *mod,
			   struct i2c_client *client,
			   unsigned int offset, const u8 *buf, size_t len);
int optic_bus_write(struct optic_module *mod, struct i2c_client *client,
		    unsigned int offset, const u8 *buf, size_t len);

/* page.c: page/bank select, static cache, latched flags */
void optic_invalidate_select(struct optic_module *mod);
int optic_write_select(struct optic_module *mod, struct i2c_client *client,
		       unsigned int offset, const u8 *sel, size_t len);
struct optic_cache_slot *optic_cache_find(struct optic_module *mod,
					  const struct optic_loc *loc,
					  unsigned int offset, size_t len);
void optic_cache_fill(struct optic_module *mod, struct optic_cache_slot *s);
void optic_cache_refresh(struct optic_module *mod);
bool optic_cached(struct optic_module *mod, const struct optic_loc *loc,
		  unsigned int offset, size_t len);
int optic_page_read(struct optic_module *mod, const struct optic_loc *loc,
		    unsigned int offset, u8 *buf, size_t len,
		    enum optic_consumer cons);
int optic_read(struct optic_module *mod, const struct optic_loc *loc,
	       unsigned int offset, u8 *buf, size_t len);
int optic_write(struct optic_module *mod, const struct optic_loc *loc,
		unsigned int offset, const u8 *buf, size_t len);
unsigned int optic_write_max(struct optic_module *mod,
			     const struct optic_loc *loc, unsigned int offset);
/* Which latched flag registers optic_read_flags() reads. */
enum optic_flags_pick {
	OPTIC_FLAGS_ALL,
	OPTIC_FLAGS_STALE,	/* none another read brought in recently */
	OPTIC_FLAGS_LAST_SET,	/* those the last read found a bit set in */
};

int optic_read_flags(struct optic_module *mod, enum optic_flags_pick pick);
const u8 *optic_seen(struct optic_module *mod, enum optic_seen_id id);
unsigned int optic_flags_tracked(struct optic_module *mod);
int optic_read_flag_bit(struct optic_module *mod, const struct optic_loc *loc,
			u8 offset, u8 bit, enum optic_consumer cons);

/* ident.c: identity, presence, swaps; consumers' reads */
int optic_read_for(struct optic_module *mod, const struct optic_loc *loc,
		   unsigned int offset, u8 *buf, size_t len,
		   enum optic_consumer cons);
int optic_identify(struct optic_module *mod);
void optic_forget(struct optic_module *mod);
int optic_ensure_identified(struct optic_module *mod);
int optic_update_presence(struct optic_module *mod);
int optic_tracked_presence(struct optic_module *mod);

/* control.c: states and controls */
int optic_module_state(struct optic_module *mod);
int optic_tracked_state(struct optic_module *mod);
void optic_track_state(struct optic_module *mod, bool report,
		       bool skip_recent);
int optic_get_lpmode(struct optic_module *mod);
int optic_set_lpmode(struct optic_module *mod, bool lpmode,
		     enum optic_who who);
int optic_get_tx_disable(struct optic_module *mod, u32 *mask);
int optic_set_tx_disable(struct optic_module *mod, u32 mask, u32 value,
			 enum optic_who who);
int optic_reset(struct optic_module *mod, enum optic_who who);
int optic_read_temp(struct optic_module *mod, bool skip_recent);
int optic_read_snapshot(struct optic_module *mod, struct optic_snapshot *s);
void optic_vdm_scan(struct optic_module *mod);
int optic_firmware_version(struct optic_module *mod, u8 ver[2]);

/* datapath.c: CMIS application and data-path control */
struct optic_dp_req {
	u32 lanes;		/* bit N = host lane N */
	u8 appsel;		/* 1-15; 0: no application change */
	bool immediate;		/* ApplyImmediate instead of ApplyDPInit */
	int activate;		/* 0 or 1; -1: active after the change */
};

struct optic_dp_status {
	u8 lanes;
	u8 config_status[OPTIC_MAX_LANES];	/* enum optic_config_status */
	u8 state[OPTIC_MAX_LANES];		/* DPState */
	u8 app[OPTIC_MAX_LANES];		/* active AppSel */
	u8 dpid[OPTIC_MAX_LANES];		/* active DataPathID */
};

int optic_datapath_get(struct optic_module *mod, struct optic_dp_status *st);
int optic_datapath_set(struct optic_module *mod,
		       const struct optic_dp_req *req,
		       struct optic_dp_status *st, const char **why);

/* cage.c: cages made on request (OPTIC_CMD_CAGE_ADD) */
enum optic_cage_line_id {
	OPTIC_CAGE_PRESENCE,
	OPTIC_CAGE_RESET,
	OPTIC_CAGE_LPMODE,
	OPTIC_CAGE_INTL,
	OPTIC_CAGE_LINES,
};

struct optic_cage_line {
	const char *chip;		/* GPIO chip label; NULL: no line */
	u32 offset;
	bool active_low;
};

struct optic_cage_req {
	int bus;			/* adapter number */
	const char *name;		/* port name */
	struct optic_cage_line line[OPTIC_CAGE_LINES];
};

int optic_cage_init(void);
void optic_cage_exit(void);
int optic_cage_add(const struct optic_cage_req *req, u32 *index);
int optic_cage_del(struct i2c_client *client);
bool optic_cage_made(int bus, u16 addr);

/* sysfs.c */
int optic_class_init(void);
void optic_class_exit(void);
int optic_sysfs_add(struct optic_module *mod);
void optic_sysfs_remove(struct optic_module *mod);

/* netlink.c */
int optic_netlink_init(void);
void optic_netlink_exit(void);
void optic_nl_event(struct optic_module *mod, const struct optic_record *r);

/*
 * record.c: the flight recorder. Every event is recorded first, then
 * multicast (optic_nl_event()); callers hold mod->lock.
 */
int optic_record_init(struct optic_module *mod);
void optic_record_free(struct optic_module *mod);
void optic_record_clear(struct optic_module *mod);
bool optic_record_get(struct optic_module *mod, u64 since,
		      struct optic_record *r, struct optic_snapshot *snap,
		      u64 *overflow);
void optic_event_presence(struct optic_module *mod, bool inserted);
void optic_event_state(struct optic_module *mod, u8 type, int lane, u8 old,
		       u8 new);
void optic_event_flag(struct optic_module *mod, u8 page, u8 offset, u8 bits,
		      int lane, bool set);
void optic_event_control(struct optic_module *mod, u8 type,
			 enum optic_who who, u32 value, u32 mask, int err);
void optic_event_bus_error(struct optic_module *mod, int err);
void optic_record_cdb_write(struct optic_module *mod,
			    const struct optic_loc *loc, unsigned int offset,
			    const u8 *buf, size_t len, enum optic_who who);
void optic_record_cdb_read(struct optic_module *mod,
			   const struct optic_loc *loc, unsigned int offset,
			   const u8 *buf, size_t len);

/* hwmon.c */
void optic_hwmon_update(struct optic_module *mod);
void optic_hwmon_remove(struct optic_module *mod);

#endif /* _OPTIC_H */
