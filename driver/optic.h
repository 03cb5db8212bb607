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

#include <linux/i2c.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
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
/* Banks reachable through the eeprom file (CMIS page 01h byte 142: 0-3). */
#define OPTIC_FILE_BANKS	4
#define OPTIC_EEPROM_FILE_SIZE	(OPTIC_PAGE_LEN + \
				 OPTIC_FILE_BANKS * 256 * OPTIC_PAGE_LEN)

#define OPTIC_STR_LEN		17	/* 16 ASCII bytes + NUL */
#define OPTIC_MAX_LANES		8

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

/* Static content read once per insertion (see access.c). */
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
	u8 lanes;
	char vendor_name[OPTIC_STR_LEN];
	char vendor_pn[OPTIC_STR_LEN];
	char vendor_sn[OPTIC_STR_LEN];
	char vendor_rev[OPTIC_STR_LEN];
	char date_code[OPTIC_STR_LEN];
};

struct optic_module {
	struct kref kref;
	struct list_head node;		/* on optic_modules, optic_list_lock */
	u32 index;
	char name[OPTIC_PORT_NAME_LEN];

	struct i2c_client *client;	/* 0x50 (A0h) */
	struct i2c_client *a2;		/* 0x51, SFF-8472 diagnostics */
	struct device *dev;		/* class device /sys/class/optic/<name> */
	struct device *hwmon;
	enum optic_xfer xfer;
	unsigned int read_max;		/* bytes per read transfer */
	int bus;
	u16 addr;

	/* Everything below is protected by lock. */
	struct mutex lock;
	bool gone;			/* remove() ran: no more bus access */
	bool present;
	bool identified;
	int cur_page[2];		/* A0h, A2h; -1 = unknown */
	int cur_bank;			/* -1 = unknown */
	struct optic_ident ident;
	struct optic_cache_slot cache[OPTIC_CACHE_SLOTS];
	u32 generation;			/* bumped at every identification */
	u64 xfer_errors;
	u64 page_selects;
};

/* main.c */
extern struct mutex optic_list_lock;
extern struct list_head optic_modules;
struct optic_module *optic_module_get_by_index(u32 index);
struct optic_module *optic_module_get_by_name(const char *name);
void optic_module_put(struct optic_module *mod);

/* access.c; callers hold mod->lock */
int optic_access_init(struct optic_module *mod);
int optic_read(struct optic_module *mod, const struct optic_loc *loc,
	       unsigned int offset, u8 *buf, size_t len);
int optic_write(struct optic_module *mod, const struct optic_loc *loc,
		unsigned int offset, const u8 *buf, size_t len);
int optic_identify(struct optic_module *mod);
void optic_forget(struct optic_module *mod);
int optic_ensure_identified(struct optic_module *mod);
int optic_module_state(struct optic_module *mod);

/* sysfs.c */
int optic_class_init(void);
void optic_class_exit(void);
int optic_sysfs_add(struct optic_module *mod);
void optic_sysfs_remove(struct optic_module *mod);

/* netlink.c */
int optic_netlink_init(void);
void optic_netlink_exit(void);

/* hwmon.c */
int optic_hwmon_add(struct optic_module *mod);

#endif /* _OPTIC_H */
