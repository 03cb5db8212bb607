// SPDX-License-Identifier: GPL-2.0
/*
 * optic_sim: the switch topology (buses=N ports_per_bus=M). Each root bus
 * is one struct i2c_adapter ("optic_sim bus N") with ceil(M / 8) simulated
 * PCA9548A switches at 0x70-0x77 whose channels lead to the cages: cage c
 * sits behind chip c / 8, channel c % 8. The kernel's own i2c-mux-pca954x
 * drives the chips; with attach=1 the simulator instantiates them (idle
 * disconnect, as switch platforms configure them) and, once pca954x has
 * bound, an optic client on every channel. Accounting, clock and realtime
 * are per root bus, where the wire is shared.
 */
#include <linux/device.h>
#include <linux/i2c.h>
#include <linux/i2c-mux.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "sim.h"

#define OSIM_MAX_BUSES		64

static unsigned int buses;
module_param(buses, uint, 0444);
MODULE_PARM_DESC(buses, "root buses with PCA9548 muxes in front of their cages (default 0: one adapter per port)");

static unsigned int ports_per_bus = 32;
module_param(ports_per_bus, uint, 0444);
MODULE_PARM_DESC(ports_per_bus, "cages per root bus, 8 per mux chip, at most 64 (default 32)");

static unsigned int bus_khz = 400;
module_param(bus_khz, uint, 0444);
MODULE_PARM_DESC(bus_khz, "clock of every root bus in kHz (default 400)");

static bool smbus_only[OSIM_MAX_BUSES];
module_param_array(smbus_only, bool, NULL, 0444);
MODULE_PARM_DESC(smbus_only, "per root bus: 1 = SMBus-only controller (i801-like), e.g. smbus_only=0,1");

static struct osim_root *osim_roots[OSIM_MAX_BUSES];
static unsigned int osim_nroots;
static DEFINE_MUTEX(osim_roots_lock);	/* protects osim_nroots */
static bool osim_roots_dying;
static bool osim_roots_hooked;	/* software node and bus notifier in place */

static void osim_attach_work_fn(struct work_struct *work);
static DECLARE_WORK(osim_attach_work, osim_attach_work_fn);

unsigned int osim_roots_nports(void)
{
	return buses * ports_per_bus;
}

/* ---- the wire ---- */

static bool osim_is_chip(struct osim_root *root, const struct i2c_msg *m)
{
	return !(m->flags & I2C_M_TEN) && m->addr >= OSIM_MUX_ADDR &&
	       m->addr < OSIM_MUX_ADDR + root->nchips;
}

/*
 * PCA9548A datasheet 6.2/6.3: a write stores the last byte received in the
 * control register, which takes effect at the STOP (reg_next); a read
 * returns the register. Returns the message's bits on the wire.
 */
static u64 osim_chip_msg(struct osim_root *root, struct i2c_msg *m)
{
	unsigned int chip = m->addr - OSIM_MUX_ADDR;

	if (m->flags & I2C_M_RD) {
		memset(m->buf, root->reg[chip], m->len);
		root->cnt.bytes_read += m->len;
		root->cnt.mux_reads++;
	} else if (m->len) {
		root->reg_next[chip] = m->buf[m->len - 1];
		root->cnt.bytes_written += m->len;
		root->cnt.mux_writes++;
	}
	return 1 + 9 + 9ULL * m->len;
}

/* The cages whose channel is enabled on some chip, into root->open[]. */
static unsigned int osim_open_cages(struct osim_root *root)
{
	unsigned int chip, ch, cage, n = 0;
	unsigned long reg;

	for (chip = 0; chip < root->nchips; chip++) {
		reg = root->reg[chip];
		for_each_set_bit(ch, &reg, OSIM_MUX_CHANS) {
			cage = chip * OSIM_MUX_CHANS + ch;
			if (cage < root->ncages && root->cage[cage])
				root->open[n++] = root->cage[cage];
		}
	}
	return n;
}

static int osim_cage_run(struct osim_port *port, struct i2c_msg *msgs,
			 int num, u64 *bits, u32 *hold_ms)
{
	int ret;

	mutex_lock(&port->lock);
	ret = osim_port_transfer(port, msgs, num, bits, hold_ms);
	mutex_unlock(&port->lock);
	return ret;
}

/*
 * Several channels open at once (a mux left enabled: a missing deselect):
 * every module on them sees the transfer and writes reach all of them.
 * SDA is open drain (I2C-bus specification UM10204 3.1.1, wired-AND): an
 * address is ACKed if any module pulls the ACK low, and a byte read while
 * several modules drive it is the AND of their bytes. Counted as a
 * collision when two or more modules answered.
 */
static int osim_cages_collide(struct osim_root *root, unsigned int n,
			      struct i2c_msg *msgs, int num, u64 *bits,
			      u32 *hold_ms)
{
	struct i2c_msg *mine;
	unsigned int answered = 0, k;
	int ret = -ENXIO, r, i, j;
	size_t rlen = 0;
	u32 hold;
	u8 *p, *rbuf;
	u64 b;

	for (i = 0; i < num; i++)
		if (msgs[i].flags & I2C_M_RD)
			rlen += msgs[i].len;
	mine = kmemdup(msgs, num * sizeof(*msgs), GFP_KERNEL);
	rbuf = kmalloc(rlen + 1, GFP_KERNEL);
	if (!mine || !rbuf) {
		ret = -ENOMEM;
		goto out;
	}
	for (p = rbuf, i = 0; i < num; i++) {
		if (!(msgs[i].flags & I2C_M_RD))
			continue;
		memset(msgs[i].buf, 0xff, msgs[i].len);	/* released SDA */
		mine[i].buf = p;
		p += msgs[i].len;
	}
	*bits = osim_bus_bits(msgs, 1, -1);
	for (k = 0; k < n; k++) {
		r = osim_cage_run(root->open[k], mine, num, &b, &hold);
		*hold_ms = max(*hold_ms, hold);
		if (r < 0) {
			if (!answered && ret == -ENXIO)
				ret = r;
			continue;
		}
		answered++;
		ret = r;
		*bits = b;
		for (i = 0; i < num; i++)
			if (msgs[i].flags & I2C_M_RD)
				for (j = 0; j < msgs[i].len; j++)
					msgs[i].buf[j] &= mine[i].buf[j];
	}
	if (answered > 1)
		root->cnt.collisions++;
	if (*hold_ms)
		ret = -ETIMEDOUT;	/* one module holding SCL holds the bus */
out:
	kfree(rbuf);
	kfree(mine);
	return ret;
}

/* Messages to the modules: whoever is behind an enabled channel answers. */
static int osim_cages_run(struct osim_root *root, struct i2c_msg *msgs,
			  int num, u64 *bits, u32 *hold_ms)
{
	unsigned int n = osim_open_cages(root);
	int ret, i;

	if (!n) {
		*bits = osim_bus_bits(msgs, 1, -1);
		return -ENXIO;	/* every channel closed: nobody ACKs */
	}
	if (n == 1)
		ret = osim_cage_run(root->open[0], msgs, num, bits, hold_ms);
	else
		ret = osim_cages_collide(root, n, msgs, num, bits, hold_ms);
	for (i = 0; ret >= 0 && i < num; i++) {
		if (msgs[i].flags & I2C_M_RD)
			root->cnt.bytes_read += msgs[i].len;
		else
			root->cnt.bytes_written += msgs[i].len;
	}
	return ret;
}

/*
 * One transaction on the root bus: runs of messages to the mux chips and
 * to the modules, in order, up to the first failure; one STOP ends it and
 * latches what was written to the chips.
 */
static int osim_root_run(struct osim_root *root, struct i2c_msg *msgs,
			 int num, u64 *bits, u32 *hold_ms)
{
	int i = 0, j, ret = num, r;
	u64 b;

	*bits = 1;	/* STOP */
	*hold_ms = 0;
	memcpy(root->reg_next, root->reg, sizeof(root->reg));
	while (i < num) {
		if (osim_is_chip(root, &msgs[i])) {
			*bits += osim_chip_msg(root, &msgs[i++]);
			continue;
		}
		for (j = i; j < num && !osim_is_chip(root, &msgs[j]); j++)
			;
		r = osim_cages_run(root, &msgs[i], j - i, &b, hold_ms);
		*bits += b ? b - 1 : 0;	/* its STOP is the transaction's */
		if (r < 0) {
			ret = r;
			break;
		}
		i = j;
	}
	/* PCA9548A 6.2: a channel becomes active after a STOP condition */
	memcpy(root->reg, root->reg_next, sizeof(root->reg));
	return ret;
}

static int osim_root_xfer(void *ctx, struct i2c_msg *msgs, int num)
{
	struct osim_root *root = ctx;
	u32 hold_ms;
	u64 bits, ns;
	int ret;

	if (num <= 0)
		return -EINVAL;
	mutex_lock(&root->lock);
	root->cnt.transactions++;
	ret = osim_root_run(root, msgs, num, &bits, &hold_ms);
	if (ret == -ENXIO)
		root->cnt.nacks++;
	ns = osim_bits_ns(bits, root->clock_hz) +
	     (u64)hold_ms * NSEC_PER_MSEC;
	root->cnt.bus_time_ns += ns;
	if (!root->realtime)
		ns = 0;
	mutex_unlock(&root->lock);
	/*
	 * The i2c core holds the adapter's bus lock across master_xfer and
	 * smbus_xfer, and pca954x (a parent-locked mux) holds the root's
	 * across select, transfer and deselect: sleeping here serialises
	 * the root bus in modelled time, as the wire does.
	 */
	osim_wire_wait(hold_ms, ns);
	return ret;
}

static int osim_root_master_xfer(struct i2c_adapter *adap,
				 struct i2c_msg *msgs, int num)
{
	return osim_root_xfer(i2c_get_adapdata(adap), msgs, num);
}

static int osim_root_smbus_xfer(struct i2c_adapter *adap, u16 addr,
				unsigned short flags, char read_write,
				u8 command, int size,
				union i2c_smbus_data *data)
{
	return osim_smbus(addr, flags, read_write, command, size, data,
			  osim_root_xfer, i2c_get_adapdata(adap));
}

static u32 osim_root_functionality(struct i2c_adapter *adap)
{
	return I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL;
}

/*
 * An i801-class controller: SMBus commands only (quick, byte, byte and
 * word data, I2C block of at most 32 bytes), no plain I2C messages.
 */
static u32 osim_root_smbus_functionality(struct i2c_adapter *adap)
{
	return I2C_FUNC_SMBUS_QUICK | I2C_FUNC_SMBUS_BYTE |
	       I2C_FUNC_SMBUS_BYTE_DATA | I2C_FUNC_SMBUS_WORD_DATA |
	       I2C_FUNC_SMBUS_I2C_BLOCK;
}

static const struct i2c_algorithm osim_root_algo = {
	.master_xfer = osim_root_master_xfer,
	.smbus_xfer = osim_root_smbus_xfer,
	.functionality = osim_root_functionality,
};

static const struct i2c_algorithm osim_root_smbus_algo = {
	.smbus_xfer = osim_root_smbus_xfer,
	.functionality = osim_root_smbus_functionality,
};

void osim_root_counters_zero(struct osim_root *root)
{
	memset(&root->cnt, 0, sizeof(root->cnt));
	root->cnt_since = ktime_get();
}

/* Bus time per wall time since the counters were zeroed, in ppm. */
u64 osim_root_utilisation_ppm(struct osim_root *root)
{
	s64 wall = ktime_to_ns(ktime_sub(ktime_get(), root->cnt_since));

	if (wall <= 0)
		return 0;
	return mul_u64_u64_div_u64(root->cnt.bus_time_ns, 1000000, wall);
}

/* ---- the channel adapters pca954x registers ---- */

static int osim_chip_match(struct device *dev, void *data)
{
	struct i2c_client *client = i2c_verify_client(dev);

	return client && client->addr == *(u16 *)data;
}

/* The mux chip client at @addr on @root, referenced, or NULL. */
static struct i2c_client *osim_chip_get(struct osim_root *root, u16 addr)
{
	struct device *dev;

	dev = device_find_child(&root->adap.dev, &addr, osim_chip_match);
	return dev ? to_i2c_client(dev) : NULL;
}

/*
 * Channel @chan of a chip bound to pca954x (caller holds the chip's device
 * lock, so it cannot unbind): pca954x keeps its struct i2c_mux_core as
 * client data and adds channel n as muxc->adapter[n].
 */
static struct i2c_adapter *osim_chip_channel(struct i2c_client *chip,
					     unsigned int chan)
{
	struct i2c_mux_core *muxc;

	if (!chip->dev.driver || strcmp(chip->dev.driver->name, "pca954x"))
		return NULL;
	muxc = i2c_get_clientdata(chip);
	if (!muxc || (int)chan >= muxc->num_adapters)
		return NULL;
	return muxc->adapter[chan];
}

/* The adapter a port's module answers on, referenced; NULL if none yet. */
struct i2c_adapter *osim_port_adapter_get(struct osim_port *port)
{
	struct osim_root *root = port->root;
	struct i2c_adapter *adap = NULL;
	struct i2c_client *chip;

	if (!root)
		return &port->adap;
	chip = osim_chip_get(root, OSIM_MUX_ADDR + port->cage / OSIM_MUX_CHANS);
	if (!chip)
		return NULL;
	device_lock(&chip->dev);
	adap = osim_chip_channel(chip, port->cage % OSIM_MUX_CHANS);
	if (adap)
		adap = i2c_get_adapter(i2c_adapter_id(adap));
	device_unlock(&chip->dev);
	put_device(&chip->dev);
	return adap;
}

void osim_port_adapter_put(struct osim_port *port, struct i2c_adapter *adap)
{
	if (port->root && adap)
		i2c_put_adapter(adap);
}

/* ---- attach=1: the mux chips and the optic clients behind them ---- */

static const struct property_entry osim_mux_props[] = {
	/* switch platforms disconnect every channel when idle */
	PROPERTY_ENTRY_BOOL("i2c-mux-idle-disconnect"),
	{ }
};

static const struct software_node osim_mux_node = {
	.name = "optic_sim-pca9548",
	.properties = osim_mux_props,
};

static struct osim_root *osim_chip_root(struct i2c_client *client)
{
	const struct i2c_algorithm *algo = client->adapter->algo;

	if (algo != &osim_root_algo && algo != &osim_root_smbus_algo)
		return NULL;
	return i2c_get_adapdata(client->adapter);
}

/* Caller holds the chip's device lock: the cages of a bound chip. */
static void osim_chip_attach(struct osim_root *root, struct i2c_client *chip)
{
	struct i2c_board_info info = { I2C_BOARD_INFO("optic", OSIM_ADDR_A0) };
	unsigned int first = (chip->addr - OSIM_MUX_ADDR) * OSIM_MUX_CHANS;
	struct i2c_client *client;
	struct i2c_adapter *adap;
	struct osim_port *port;
	unsigned int ch;

	for (ch = 0; ch < OSIM_MUX_CHANS && first + ch < root->ncages; ch++) {
		port = root->cage[first + ch];
		adap = osim_chip_channel(chip, ch);
		if (!port || !adap || port->client)
			continue;
		osim_gpio_lookup_add(port, adap);
		client = i2c_new_client_device(adap, &info);
		if (IS_ERR(client)) {
			dev_warn(&chip->dev, "cage %u: optic client: %ld\n",
				 first + ch, PTR_ERR(client));
			osim_gpio_lookup_del(port);
			continue;
		}
		port->client = client;
	}
}

/*
 * Caller holds the chip's device lock: it is unbinding. pca954x deletes
 * its channel adapters next, and i2c_del_adapter() unregisters the clients
 * on them; unregistering them here, inside the bus notifier chain, would
 * take the chain's rwsem again (device_del notifies). Forget them.
 */
static void osim_chip_detach(struct osim_root *root, struct i2c_client *chip)
{
	unsigned int first = (chip->addr - OSIM_MUX_ADDR) * OSIM_MUX_CHANS;
	struct osim_port *port;
	unsigned int ch;

	for (ch = 0; ch < OSIM_MUX_CHANS && first + ch < root->ncages; ch++) {
		port = root->cage[first + ch];
		if (!port)
			continue;
		port->client = NULL;
		osim_gpio_lookup_del(port);
	}
}

static void osim_root_attach(struct osim_root *root)
{
	struct i2c_client *chip;
	unsigned int k;

	for (k = 0; k < root->nchips; k++) {
		chip = osim_chip_get(root, OSIM_MUX_ADDR + k);
		if (!chip)
			continue;
		device_lock(&chip->dev);
		if (osim_chip_channel(chip, 0))
			osim_chip_attach(root, chip);
		device_unlock(&chip->dev);
		put_device(&chip->dev);
	}
}

static void osim_attach_work_fn(struct work_struct *work)
{
	unsigned int i, n;

	mutex_lock(&osim_roots_lock);
	n = osim_nroots;
	mutex_unlock(&osim_roots_lock);
	for (i = 0; i < n; i++)
		osim_root_attach(osim_roots[i]);
}

/*
 * pca954x binding a chip of ours (at any time: loaded before or after us)
 * registers its channel adapters: the optic clients follow from a work
 * item. Unbinding (rmmod, unbind, the root bus going) drops our hold on
 * them; pca954x deleting its channels removes them.
 */
static int osim_bus_notify(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct i2c_client *client = i2c_verify_client(data);
	struct osim_root *root = client ? osim_chip_root(client) : NULL;

	if (!root || client->addr < OSIM_MUX_ADDR ||
	    client->addr >= OSIM_MUX_ADDR + root->nchips)
		return NOTIFY_DONE;
	switch (action) {
	case BUS_NOTIFY_BOUND_DRIVER:
		if (!READ_ONCE(osim_roots_dying))
			schedule_work(&osim_attach_work);
		break;
	case BUS_NOTIFY_UNBIND_DRIVER:
		osim_chip_detach(root, client);
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block osim_bus_nb = {
	.notifier_call = osim_bus_notify,
};

static int osim_root_add_chips(struct osim_root *root)
{
	struct i2c_board_info info = {
		I2C_BOARD_INFO("pca9548", 0),
		.swnode = &osim_mux_node,
	};
	struct i2c_client *client;
	unsigned int k;

	for (k = 0; k < root->nchips; k++) {
		info.addr = OSIM_MUX_ADDR + k;
		client = i2c_new_client_device(&root->adap, &info);
		if (IS_ERR(client))
			return PTR_ERR(client);
	}
	return 0;
}

/* ---- root buses ---- */

static void osim_root_free(struct osim_root *root)
{
	unsigned int c;

	for (c = 0; c < root->ncages; c++)
		if (root->cage[c])
			osim_port_remove(root->cage[c]);
	kfree(root);
}

static struct osim_root *osim_root_new(unsigned int index)
{
	struct osim_root *root;
	unsigned int c;
	int ret;

	root = kzalloc(sizeof(*root), GFP_KERNEL);
	if (!root)
		return ERR_PTR(-ENOMEM);
	root->index = index;
	mutex_init(&root->lock);
	root->smbus_only = smbus_only[index];
	root->ncages = ports_per_bus;
	root->nchips = DIV_ROUND_UP(ports_per_bus, OSIM_MUX_CHANS);
	root->clock_hz = bus_khz * 1000;
	root->realtime = osim_realtime;
	root->cnt_since = ktime_get();
	for (c = 0; c < root->ncages; c++) {
		root->cage[c] = osim_port_new(root, c);
		if (IS_ERR(root->cage[c])) {
			ret = PTR_ERR(root->cage[c]);
			root->cage[c] = NULL;
			goto err;
		}
	}
	root->adap.owner = THIS_MODULE;
	root->adap.algo = root->smbus_only ? &osim_root_smbus_algo :
					     &osim_root_algo;
	root->adap.timeout = HZ;
	snprintf(root->adap.name, sizeof(root->adap.name), "optic_sim bus %u",
		 index);
	i2c_set_adapdata(&root->adap, root);
	ret = i2c_add_adapter(&root->adap);
	if (ret)
		goto err;
	osim_debugfs_root_add(root);
	return root;

err:
	osim_root_free(root);
	return ERR_PTR(ret);
}

static void osim_root_destroy(struct osim_root *root)
{
	osim_debugfs_root_del(root);
	/* removes the chips (pca954x unbinds: the notifier detaches) */
	i2c_del_adapter(&root->adap);
	osim_root_free(root);
}

int osim_roots_init(void)
{
	struct osim_root *root;
	unsigned int i;
	int ret;

	if (!buses)
		return 0;
	if (buses > OSIM_MAX_BUSES || !ports_per_bus ||
	    ports_per_bus > OSIM_MUX_MAX_CAGES)
		return -EINVAL;
	osim_roots_dying = false;
	if (osim_attach) {
		ret = software_node_register(&osim_mux_node);
		if (ret)
			return ret;
		ret = bus_register_notifier(&i2c_bus_type, &osim_bus_nb);
		if (ret) {
			software_node_unregister(&osim_mux_node);
			return ret;
		}
		osim_roots_hooked = true;
	}
	for (i = 0; i < buses; i++) {
		root = osim_root_new(i);
		if (IS_ERR(root))
			return PTR_ERR(root);	/* the caller's exit cleans up */
		mutex_lock(&osim_roots_lock);
		osim_roots[osim_nroots++] = root;
		mutex_unlock(&osim_roots_lock);
		if (osim_attach) {
			ret = osim_root_add_chips(root);
			if (ret)
				return ret;
		}
	}
	/* chips pca954x bound while we registered them: their cages now */
	if (osim_attach) {
		schedule_work(&osim_attach_work);
		flush_work(&osim_attach_work);
	}
	return 0;
}

void osim_roots_exit(void)
{
	unsigned int n;

	/* unpublished first: a work item from now on attaches nothing */
	WRITE_ONCE(osim_roots_dying, true);
	mutex_lock(&osim_roots_lock);
	n = osim_nroots;
	osim_nroots = 0;
	mutex_unlock(&osim_roots_lock);
	cancel_work_sync(&osim_attach_work);
	while (n--)
		osim_root_destroy(osim_roots[n]);
	if (osim_roots_hooked) {
		bus_unregister_notifier(&i2c_bus_type, &osim_bus_nb);
		software_node_unregister(&osim_mux_node);
		osim_roots_hooked = false;
	}
	cancel_work_sync(&osim_attach_work);
}
