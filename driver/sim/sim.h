/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optic_sim: simulated I2C buses with pluggable transceiver modules behind
 * them. Internal types shared by the simulator's files.
 */
#ifndef _OPTIC_SIM_H
#define _OPTIC_SIM_H

#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/gpio/driver.h>
#include <linux/gpio/machine.h>
#include <linux/i2c.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/types.h>
#include <linux/xarray.h>

#define OSIM_PAGE_SIZE		128
/*
 * CMIS 5.2 8.4.1 (Banked pages): pages 10h-2Fh exist once per bank of eight
 * lanes; page 01h byte 142 bits 1-0 advertise banks 0, 0-1 or 0-3. Lane L
 * (0-based) lives in bank L / 8, bit L % 8 of each lane register.
 */
#define OSIM_LANES_PER_BANK	8
#define OSIM_MAX_BANKS		4
#define OSIM_MAX_LANES		(OSIM_LANES_PER_BANK * OSIM_MAX_BANKS)
#define OSIM_DIRECT_PAGES	0x20
#define OSIM_MAX_TARGETS	2
#define OSIM_ADDR_A0		0x50
#define OSIM_ADDR_A2		0x51
/* CMIS 8.2.2 / SFF-8636 5.2 / SFF-8472 4.1: at most 8 bytes per write. */
#define OSIM_WRITE_MAX		8
#define OSIM_GPIOS_PER_PORT	4
/* ConfigInProgress lasts this long (scaled by time_scale) */
#define OSIM_CONFIG_MS		20

/*
 * The switch topology (buses=N): PCA9548A I2C switches, datasheet (NXP
 * PCA9548A rev. 5) 6.1: address 1110 A2 A1 A0 (0x70-0x77), 6.2: one 8-bit
 * control register, bit n enables channel n, any combination at once.
 */
#define OSIM_MUX_ADDR		0x70
#define OSIM_MUX_CHIPS		8
#define OSIM_MUX_CHANS		8
#define OSIM_MUX_MAX_CAGES	(OSIM_MUX_CHIPS * OSIM_MUX_CHANS)

enum osim_spec {
	OSIM_SPEC_NONE,
	OSIM_SPEC_CMIS,
	OSIM_SPEC_SFF8636,
	OSIM_SPEC_SFF8472,
};

/* GPIO line offsets within a port's group of OSIM_GPIOS_PER_PORT lines. */
enum osim_gpio_line {
	OSIM_GPIO_PRESENCE,
	OSIM_GPIO_RESET,
	OSIM_GPIO_LPMODE,
	OSIM_GPIO_INTERRUPT,
};

/*
 * 128 bytes of memory and their byte rules, indexed by the offset the host
 * uses: a lower page uses 0-127, an upper page 128-255.
 */
struct osim_page {
	u8 data[2 * OSIM_PAGE_SIZE];
	DECLARE_BITMAP(wr, 2 * OSIM_PAGE_SIZE);	/* host-writable bytes */
	DECLARE_BITMAP(cor, 2 * OSIM_PAGE_SIZE);	/* cleared when read */
};

/* One I2C address a module answers at (A0h = 0x50, SFF-8472 A2h = 0x51). */
struct osim_target {
	u16 addr;
	bool paged;		/* byte 127 selects the upper page */
	bool banked;		/* byte 126 selects the bank of pages >= 10h */
	u8 ptr;			/* the module's current address pointer */
	struct osim_page lower;
	struct xarray pages;	/* osim_page_key(bank, page) -> osim_page */
	/*
	 * Pages 00h-1Fh of banks 0-3 as well, the ones the module model
	 * updates before every transfer: found without a lookup. Pages are
	 * added, never removed, while the module exists.
	 */
	struct osim_page *direct[OSIM_MAX_BANKS][OSIM_DIRECT_PAGES];
};

static inline unsigned long osim_page_key(u8 bank, u8 page)
{
	return ((unsigned long)bank << 8) | page;
}

/* Monitored quantities; values are kept in the units listed in docs/sim.md. */
enum osim_mon_id {
	OSIM_MON_TEMP,		/* m°C */
	OSIM_MON_VCC,		/* µV */
	OSIM_MON_BIAS,		/* µA, per lane */
	OSIM_MON_TXPWR,		/* nW, per lane */
	OSIM_MON_RXPWR,		/* nW, per lane */
	OSIM_MON_NR,
};

struct osim_mon {
	s64 value;		/* set point */
	s64 drift;		/* change per hour of monitor time */
	s64 drift_ppm;		/* relative change, ppm of the value per hour */
	s64 drift_mdb;		/* change in milli-dB per hour (powers) */
	s64 noise;		/* peak noise amplitude */
	s64 offset;		/* added to the value, not drifted (faults) */
};

/* Conditions the event log reports (osim_module.cond). */
#define OSIM_COND_HA		BIT(0)	/* high alarm, as thr_flags() */
#define OSIM_COND_LA		BIT(1)	/* low alarm */
#define OSIM_COND_LOS		BIT(4)	/* Rx LOS */

enum osim_ev_type {
	OSIM_EV_INSERTED,
	OSIM_EV_REMOVED,
	OSIM_EV_ALARM,
	OSIM_EV_ALARM_CLEAR,
	OSIM_EV_LOS,
	OSIM_EV_LOS_CLEAR,
};

/* CMIS data-path state codes (CMIS 5.2 Table 8-88, page 11h bytes 128-131). */
enum osim_dp_state {
	OSIM_DP_DEACTIVATED = 1,
	OSIM_DP_INIT,
	OSIM_DP_DEINIT,
	OSIM_DP_ACTIVATED,
	OSIM_DP_TXTURNON,
	OSIM_DP_TXTURNOFF,
	OSIM_DP_INITIALIZED,
};

/* CMIS module state codes (CMIS 5.2 Table 8-6, lower page byte 3 bits 3-1). */
enum osim_mod_state {
	OSIM_MS_LOWPWR = 1,
	OSIM_MS_PWRUP,
	OSIM_MS_READY,
	OSIM_MS_PWRDN,
	OSIM_MS_FAULT,
};

/* Sides of a lane: what faces the host and what faces the fibre. */
enum osim_side {
	OSIM_HOST,
	OSIM_MEDIA,
	OSIM_SIDES,
};

/* A PRBS pattern checker (CMIS 5.2 8.16, page 13h/14h; driver/sim/diag.c). */
struct osim_checker {
	u64 bits;		/* bits compared */
	u64 errors;		/* bit errors counted */
};

struct osim_profile;
struct osim_xfer_res;
struct osim_port;

/* A debugfs xfer file: the adapter it runs on and its last result. */
struct osim_xfer_slot {
	struct mutex lock;		/* protects res */
	struct osim_xfer_res *res;
	struct osim_port *port;		/* a port's: its module's adapter */
	struct i2c_adapter *adap;	/* a root bus's */
};

/* Firmware images A (0) and B (1) and a download in progress. */
struct osim_fw {
	u16 ver[2];		/* major << 8 | minor */
	bool valid[2];
	u8 running;		/* image index */
	u8 committed;
	bool downloading;
	u32 size;		/* announced by Start Firmware Download */
	u32 received;		/* highest byte written + 1 */
	u8 head[8];		/* first bytes of the image: "OSFW" major minor */
	u32 downloads;		/* completed downloads */
};

/* A plugged module: its memory map and its behaviour. */
/* latched flag registers set by conditions, kept for osim_module_relatch() */
#define OSIM_RELATCH_MAX	32

struct osim_module {
	const struct osim_profile *profile;
	enum osim_spec spec;
	bool flat;		/* CMIS flat memory: no upper pages but 00h */
	bool image;		/* loaded from a dump: monitors frozen */
	unsigned int lanes;
	unsigned int ntargets;
	struct osim_target tgt[OSIM_MAX_TARGETS];

	/* CMIS state machines */
	u8 mstate;
	ktime_t mdeadline;	/* end of a timed module state, 0 if none */
	ktime_t init_until;	/* NACKs until then (MgmtInit) */
	u8 dp_state[OSIM_MAX_LANES];
	ktime_t dp_deadline[OSIM_MAX_LANES];
	unsigned int pwrup_ms, pwrdn_ms, dpinit_ms, dpdeinit_ms;
	unsigned int txon_ms, txoff_ms;
	bool dp_reinit[OSIM_MAX_LANES];	/* ApplyImmediate: DPReinitT */

	/*
	 * A configuration command (ApplyDPInit/ApplyImmediate) in progress per
	 * bank: its lanes, the staged DPConfigLane bytes it copies and the
	 * ConfigStatus it reports when it ends at cfg_deadline.
	 */
	u8 cfg_mask[OSIM_MAX_BANKS];	/* 0: none in progress */
	bool cfg_immediate[OSIM_MAX_BANKS];
	ktime_t cfg_deadline[OSIM_MAX_BANKS];
	u8 cfg_set[OSIM_MAX_LANES];
	u8 cfg_status[OSIM_MAX_LANES];
	unsigned int config_ms;

	/* diagnostics pages 13h/14h: checkers, counted up to diag_at */
	struct osim_checker chk[OSIM_SIDES][OSIM_MAX_LANES];
	u8 chk_en[OSIM_SIDES][OSIM_MAX_BANKS];	/* checker enables last seen */
	ktime_t diag_at;
	u64 diag_rng;		/* the checkers' random stream */

	/* monitors */
	struct osim_mon mon[OSIM_MON_NR][OSIM_MAX_LANES];
	ktime_t mon_epoch;	/* when drift started counting */
	u64 mon_tick;		/* the last sample's mon_interval_ms tick */
	bool mon_stale;		/* sample again before the next read */
	u32 rng;
	u8 cond[OSIM_MON_NR][OSIM_MAX_LANES];	/* OSIM_COND_* now */
	/*
	 * The latched flag bits the last monitor run set (osim_latch()), for
	 * osim_module_relatch(); relatch_lost when more than fit.
	 */
	struct osim_relatch {
		u8 *reg;
		u8 bits;
	} relatch[OSIM_RELATCH_MAX];
	unsigned int nrelatch;
	bool relatch_lost;

	/* CDB (CMIS 5.2 chapter 9) */
	u8 cdb_result;		/* status published when the command ends */
	ktime_t cdb_deadline;	/* 0: no command in progress */
	struct osim_fw fw;	/* survives resets */
	bool reset_pending;
	bool cdb_pending;
};

struct osim_counters {
	u64 transactions;
	u64 bytes_read;
	u64 bytes_written;
	u64 page_selects;
	u64 nacks;
	u64 bus_time_ns;
};

struct osim_faults {
	u32 nack_next;		/* NACK the next N transactions */
	bool dead;		/* NACK every transaction */
	u32 timeout_ms;		/* hold the bus this long, then -ETIMEDOUT */
	u32 corrupt;		/* corrupt the data of the next N reads */
	bool stuck_fault;	/* CMIS module stays in ModuleFault */
	u32 slow_write;		/* after a write, NACK the next N transfers */
	u32 slow_pending;
	u32 drop_page_select;	/* ignore the next N page-select writes */
	bool fw_check;		/* Complete fails unless the image says OSFW */
	u32 config_reject;	/* the next configuration command: this code */
};

struct osim_root;

struct osim_port {
	struct list_head node;
	unsigned int index;
	struct osim_root *root;	/* the root bus of a cage behind a mux, or NULL */
	unsigned int cage;	/* its cage number on that bus */
	struct mutex lock;	/* protects everything below */
	struct i2c_adapter adap;	/* a port's own bus (root == NULL) */
	struct i2c_client *client;
	struct gpiod_lookup_table *lookup;
	struct dentry *dir;
	struct osim_xfer_slot xfer;	/* debugfs portN/xfer */

	bool present;
	char profile_name[32];
	struct osim_module *mod;

	struct osim_counters cnt;
	struct osim_faults faults;
	u32 clock_hz;
	bool realtime;
	u32 time_scale;		/* percent of the advertised durations */
	u32 mon_accel;		/* monitor clock speed-up for drift */
	u32 mon_interval_ms;	/* a new noise sample this often */
	s32 temp_load_mc;	/* heating while the module is powered up */
	u32 init_ms;		/* MgmtInit: NACK this long after a reset */
	/* bit error ratio of each lane's link, 1e-18 units (debugfs "ber") */
	u64 ber[OSIM_SIDES][OSIM_MAX_LANES];
	/* the module's clock (osim_clock()): stopped while held */
	bool clock_held;
	ktime_t clock_held_at;	/* real time it shows while held */
	ktime_t clock_lag;	/* real time minus module time when running */

	/* GPIO lines as the host drives them (gpios=1) */
	bool reset_line;	/* true = ResetL asserted (module in reset) */
	bool lpmode_line;	/* true = LPMode asserted */
	bool intl;		/* last IntL level reported (true = asserted) */
};

/* Accounting of a root bus: everything on its wire, mux selects included. */
struct osim_root_counters {
	u64 transactions;
	u64 bytes_read;
	u64 bytes_written;
	u64 mux_writes;		/* writes of a mux chip's control register */
	u64 mux_reads;
	u64 nacks;
	u64 collisions;		/* reads answered by several modules at once */
	u64 bus_time_ns;
};

/* A root bus (buses=N): one adapter, its PCA9548A chips and their cages. */
struct osim_root {
	unsigned int index;
	struct mutex lock;	/* protects the registers, counters, open[] */
	struct i2c_adapter adap;
	bool smbus_only;	/* i801-like: SMBus commands, no plain I2C */
	unsigned int ncages;
	unsigned int nchips;
	u8 reg[OSIM_MUX_CHIPS];		/* control registers in effect */
	u8 reg_next[OSIM_MUX_CHIPS];	/* written, in effect at the STOP */
	struct osim_port *cage[OSIM_MUX_MAX_CAGES];
	struct osim_port *open[OSIM_MUX_MAX_CAGES];	/* scratch: open cages */
	struct osim_root_counters cnt;
	ktime_t cnt_since;	/* when the counters were last zeroed */
	u32 clock_hz;
	bool realtime;
	struct dentry *dir;
	struct osim_xfer_slot xfer;	/* debugfs busN/xfer */
};

struct osim_profile {
	const char *name;
	const char *desc;
	int (*build)(struct osim_module *mod, const struct osim_profile *p,
		     unsigned int port);
	const void *data;
};

extern bool osim_gpios;
extern bool osim_attach;
extern bool osim_realtime;

/* profiles.c */
const struct osim_profile *osim_profile_find(const char *name);
const struct osim_profile *osim_profile_at(unsigned int i);
u32 osim_app_rate_kbps(const struct osim_module *mod, u8 appsel,
		       enum osim_side side);

/* module.c */
struct osim_module *osim_module_alloc(void);
void osim_module_free(struct osim_module *mod);
struct osim_page *osim_page_get(struct osim_target *t, u8 bank, u8 page);
struct osim_page *osim_page_add(struct osim_target *t, u8 bank, u8 page);
struct osim_target *osim_target_add(struct osim_module *mod, u16 addr,
				    bool paged, bool banked);
struct osim_target *osim_target_find(struct osim_module *mod, u16 addr);
void osim_rw_range(struct osim_page *pg, unsigned int from, unsigned int to);
void osim_cor_range(struct osim_page *pg, unsigned int from, unsigned int to);
void osim_put_str(u8 *dst, const char *s, size_t len);
void osim_put_be16(u8 *dst, u16 v);
u8 osim_csum(const u8 *p, size_t len);
void osim_module_start(struct osim_port *port, bool cold);
void osim_module_update(struct osim_port *port);
void osim_module_sync(struct osim_port *port);
unsigned int osim_module_next_change_ms(struct osim_port *port,
					unsigned int max_ms);
ktime_t osim_clock(const struct osim_port *port);
int osim_clock_set(struct osim_port *port, char *cmd);
bool osim_module_read(struct osim_port *port, struct osim_target *t, u8 *buf,
		      u16 len);
void osim_module_write(struct osim_port *port, struct osim_target *t, u8 off,
		       u8 val);
void osim_module_written(struct osim_port *port);
int osim_module_load_image(struct osim_port *port, const char *text);
void osim_module_reset(struct osim_port *port);
void osim_apply_rules(struct osim_module *mod);
struct osim_module *osim_module_build(struct osim_port *port,
				      const struct osim_profile *p);
bool osim_module_intl(struct osim_port *port);
void osim_module_intl_update(struct osim_port *port);
void osim_module_relatch(struct osim_port *port);
void osim_latch(struct osim_module *mod, u8 *reg, u8 bits);
void osim_mon_set_defaults(struct osim_module *mod, s64 temp, s64 vcc,
			   s64 bias, s64 txpwr, s64 rxpwr);
unsigned int osim_duration_code(unsigned int ms);
void osim_mon_rebase(struct osim_port *port);
const u8 *osim_cmis_app(struct osim_module *mod, u8 appsel);

/* diag.c: CMIS pages 13h/14h (loopbacks, PRBS generators and checkers) */
/* loopbacks of a lane, bits as in the capabilities (13h:128 bits 3-0) */
#define OSIM_LB_MEDIA_OUT	BIT(0)
#define OSIM_LB_MEDIA_IN	BIT(1)
#define OSIM_LB_HOST_OUT	BIT(2)
#define OSIM_LB_HOST_IN		BIT(3)
int osim_diag_build(struct osim_module *mod, unsigned int nbanks);
void osim_diag_rules(struct osim_module *mod);
u8 osim_diag_loopbacks(struct osim_module *mod, unsigned int lane);
void osim_diag_update(struct osim_port *port, ktime_t now);
int osim_ber_cmd(struct osim_port *port, char *cmd);
void osim_ber_show(struct seq_file *s, struct osim_port *port);

/* bus.c */
u64 osim_bus_bits(const struct i2c_msg *msgs, int num, int done);
u64 osim_bits_ns(u64 bits, u32 clock_hz);
void osim_wire_wait(u32 hold_ms, u64 ns);
int osim_port_transfer(struct osim_port *port, struct i2c_msg *msgs, int num,
		       u64 *bits, u32 *hold_ms);
int osim_smbus(u16 addr, unsigned short flags, char read_write, u8 command,
	       int size, union i2c_smbus_data *data,
	       int (*xfer)(void *ctx, struct i2c_msg *msgs, int num), void *ctx);
int osim_bus_add(struct osim_port *port);
void osim_bus_del(struct osim_port *port);

/* mux.c */
int osim_roots_init(void);
void osim_roots_exit(void);
unsigned int osim_roots_nports(void);
struct i2c_adapter *osim_port_adapter_get(struct osim_port *port);
void osim_port_adapter_put(struct osim_port *port, struct i2c_adapter *adap);
void osim_root_counters_zero(struct osim_root *root);
u64 osim_root_utilisation_ppm(struct osim_root *root);

/* cdb.c */
void osim_cdb_run(struct osim_port *port);
void osim_cdb_update(struct osim_port *port, ktime_t now);
void osim_fw_publish(struct osim_module *mod);
unsigned int osim_write_max(struct osim_module *mod, struct osim_target *t,
			    u8 off);

/* main.c */
void osim_port_set_module(struct osim_port *port, struct osim_module *mod,
			  const char *name);
int osim_port_insert(struct osim_port *port, const char *profile, bool cold);
struct osim_port *osim_port_new(struct osim_root *root, unsigned int cage);
void osim_port_remove(struct osim_port *port);
int osim_port_del(unsigned int index);

/* gpio.c: the control lines need a kernel with GPIOLIB_IRQCHIP */
#ifdef CONFIG_GPIOLIB_IRQCHIP
int osim_gpio_init(unsigned int nports);
void osim_gpio_exit(void);
void osim_gpio_update(struct osim_port *port);
void osim_gpio_port_add(struct osim_port *port);
void osim_gpio_port_del(struct osim_port *port);
void osim_gpio_lookup_add(struct osim_port *port, struct i2c_adapter *adap);
void osim_gpio_lookup_del(struct osim_port *port);
#else
static inline int osim_gpio_init(unsigned int nports)
{
	return osim_gpios ? -EOPNOTSUPP : 0;
}

static inline void osim_gpio_exit(void) {}
static inline void osim_gpio_update(struct osim_port *port) {}
static inline void osim_gpio_port_add(struct osim_port *port) {}
static inline void osim_gpio_port_del(struct osim_port *port) {}
static inline void osim_gpio_lookup_add(struct osim_port *port,
					struct i2c_adapter *adap) {}
static inline void osim_gpio_lookup_del(struct osim_port *port) {}
#endif

/* events.c */
int osim_events_init(void);
void osim_events_exit(void);
void osim_events_debugfs(struct dentry *root);
void osim_event_log(struct osim_port *port, enum osim_ev_type type,
		    enum osim_mon_id mon, unsigned int lane, bool low,
		    s64 value);

/* debugfs.c */
void osim_debugfs_init(void);
void osim_debugfs_exit(void);
void osim_debugfs_port_add(struct osim_port *port);
void osim_debugfs_port_del(struct osim_port *port);
void osim_debugfs_root_add(struct osim_root *root);
void osim_debugfs_root_del(struct osim_root *root);

#endif /* _OPTIC_SIM_H */
