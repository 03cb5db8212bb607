// SPDX-License-Identifier: GPL-2.0
/*
 * optic: manager for pluggable optical transceiver modules (CMIS, SFF-8636,
 * SFF-8472) behind an I2C bus, one i2c client per cage.
 */
#include <linux/device.h>
#include <linux/gpio/consumer.h>
#include <linux/hashtable.h>
#include <linux/interrupt.h>
#include <linux/i2c.h>
#include <linux/idr.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "optic.h"

/*
 * optic_list_lock protects the bound cages: optic_modules by index,
 * optic_names by port name, and each root bus's list of its cages.
 * Requests name a module on every call, so a lookup must not walk them all.
 */
DEFINE_MUTEX(optic_list_lock);
DEFINE_XARRAY(optic_modules);
static DEFINE_HASHTABLE(optic_names, 9);
static DEFINE_IDA(optic_ida);

static unsigned int poll_ms = 1000;
module_param(poll_ms, uint, 0644);
MODULE_PARM_DESC(poll_ms,
		 "Presence, state and flag poll interval in ms (0: off; default 1000)");

static unsigned int int_holdoff_ms = 100;
module_param(int_holdoff_ms, uint, 0644);
MODULE_PARM_DESC(int_holdoff_ms,
		 "Least time between two IntL services (ms, default 100)");

static unsigned int debounce_ms = 50;
module_param(debounce_ms, uint, 0644);
MODULE_PARM_DESC(debounce_ms,
		 "Wait after a presence line edge before acting (ms, default 50)");

static char *port_names[64];
module_param_array(port_names, charp, NULL, 0444);
MODULE_PARM_DESC(port_names,
		 "Port names by driver index (port_names=swp1,swp2,...); default port<N>");

static void optic_module_release(struct kref *kref)
{
	struct optic_module *mod = container_of(kref, struct optic_module,
						kref);

	ida_free(&optic_ida, mod->index);
	optic_record_free(mod);
	mutex_destroy(&mod->hwmon_lock);
	mutex_destroy(&mod->lock);
	kfree(mod);
}

void optic_module_put(struct optic_module *mod)
{
	kref_put(&mod->kref, optic_module_release);
}

static u32 optic_name_hash(const char *name)
{
	return full_name_hash(NULL, name, strlen(name));
}

/* Caller holds optic_list_lock. */
static struct optic_module *optic_module_by_name(const char *name)
{
	struct optic_module *mod;

	hash_for_each_possible(optic_names, mod, name_node,
			       optic_name_hash(name))
		if (!strcmp(mod->name, name))
			return mod;
	return NULL;
}

/* Take a reference to @mod if it is not NULL; optic_list_lock held. */
static struct optic_module *optic_module_get_locked(struct optic_module *mod)
{
	if (mod)
		kref_get(&mod->kref);
	return mod;
}

/* Look a module up by index and take a reference; NULL if unknown. */
struct optic_module *optic_module_get_by_index(u32 index)
{
	struct optic_module *mod;

	mutex_lock(&optic_list_lock);
	mod = optic_module_get_locked(xa_load(&optic_modules, index));
	mutex_unlock(&optic_list_lock);
	return mod;
}

/* Look a module up by port name and take a reference; NULL if unknown. */
struct optic_module *optic_module_get_by_name(const char *name)
{
	struct optic_module *mod;

	mutex_lock(&optic_list_lock);
	mod = optic_module_get_locked(optic_module_by_name(name));
	mutex_unlock(&optic_list_lock);
	return mod;
}

/**
 * optic_module_get_next - the bound module of the lowest index >= *@index
 * @index: where to look from; set to the index found
 *
 * Return: the module with a reference, or NULL when none is left.
 */
struct optic_module *optic_module_get_next(unsigned long *index)
{
	struct optic_module *mod;

	mutex_lock(&optic_list_lock);
	mod = optic_module_get_locked(xa_find(&optic_modules, index,
					      ULONG_MAX, XA_PRESENT));
	mutex_unlock(&optic_list_lock);
	return mod;
}

/**
 * optic_tracked_fresh - whether state tracked at @at may answer a request
 * @at: get_jiffies_64() when the driver last read it from the module, 0 if
 *	never or invalidated
 *
 * The poll reads presence and state every poll_ms; a value younger than two
 * poll periods means the poll is running (one late poll allowed). With the
 * poll off nothing keeps a value fresh and requests go to the bus.
 */
bool optic_tracked_fresh(u64 at)
{
	unsigned int ms = READ_ONCE(poll_ms);

	return at && ms &&
	       time_before_eq64(get_jiffies_64(), at + 2 * msecs_to_jiffies(ms));
}

/**
 * optic_service - presence, module/data-path state and flag service
 * @mod: the module
 *
 * Runs from the poll work and the IntL interrupt thread.
 */
void optic_service(struct optic_module *mod)
{
	int present;

	optic_bus_lock(mod, OPTIC_BUS_CLASS_POLL);
	present = optic_update_presence(mod);
	if (present > 0 && mod->identified) {
		/* what a consumer read since the last service is not read */
		optic_track_state(mod, true, true);
		optic_read_flags(mod, OPTIC_FLAGS_STALE);
		optic_read_temp(mod, true);
	}
	mutex_unlock(&mod->lock);
	optic_hwmon_update(mod);
}

/**
 * optic_read_recently - whether bytes read at @at spare the service a read
 * @at: get_jiffies_64() of the read, 0 if never
 *
 * Within one and a half poll periods: a consumer polling at the driver's
 * own rate keeps the bytes it reads out of the service poll.
 */
bool optic_read_recently(u64 at)
{
	unsigned int ms = READ_ONCE(poll_ms);

	return at && ms &&
	       time_before_eq64(get_jiffies_64(),
				at + msecs_to_jiffies(ms + ms / 2));
}

static void optic_poll_work(struct work_struct *work)
{
	struct optic_module *mod = container_of(to_delayed_work(work),
						struct optic_module, poll);
	unsigned int ms = READ_ONCE(poll_ms);

	optic_service(mod);
	mutex_lock(&mod->lock);
	if (!mod->gone && ms)
		schedule_delayed_work(&mod->poll, msecs_to_jiffies(ms));
	mutex_unlock(&mod->lock);
}

/* Run the service soon, unless the module is going away. */
static void optic_kick(struct optic_module *mod, unsigned int delay_ms)
{
	mutex_lock(&mod->lock);
	if (!mod->gone)
		mod_delayed_work(system_wq, &mod->poll,
				 msecs_to_jiffies(delay_ms));
	mutex_unlock(&mod->lock);
}

/*
 * IntL: the module latched a flag or changed state. A condition that
 * persists re-latches its flag as soon as it is read, asserting IntL again:
 * after each service the IRQ stays off for int_holdoff_ms (an edge meanwhile
 * is replayed when it is re-enabled), which bounds the service rate.
 * Caller holds mod->lock.
 */
static void optic_int_service(struct optic_module *mod)
{
	if (mod->gone)
		return;
	if (mod->identified) {
		/* the service goes first on the bus (enum optic_bus_class) */
		u8 class = optic_bus_class_set(mod, OPTIC_BUS_CLASS_CONTROL);

		/* what the service finds happened by the IntL time */
		mod->int_servicing = true;
		optic_track_state(mod, true, false);
		optic_read_flags(mod, OPTIC_FLAGS_ALL);
		mod->int_servicing = false;
		optic_bus_class_set(mod, class);
	}
	if (!mod->int_disabled) {
		disable_irq_nosync(mod->int_irq);
		mod->int_disabled = true;
		schedule_delayed_work(&mod->int_work,
				      msecs_to_jiffies(READ_ONCE(int_holdoff_ms)));
	}
}

/*
 * IntL asserted: the time the host learned that the module latched a flag
 * or changed state, for the flight recorder's records of the service.
 */
static void optic_int_stamp(struct optic_module *mod)
{
	WRITE_ONCE(mod->int_real_ns, ktime_get_real_ns());
	WRITE_ONCE(mod->int_boot_ns, ktime_get_boottime_ns());
}

static irqreturn_t optic_int_hardirq(int irq, void *data)
{
	optic_int_stamp(data);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t optic_int_thread(int irq, void *data)
{
	struct optic_module *mod = data;

	optic_bus_lock(mod, OPTIC_BUS_CLASS_CONTROL);
	optic_int_service(mod);
	mutex_unlock(&mod->lock);
	return IRQ_HANDLED;
}

/* Caller holds mod->lock. */
static void optic_int_enable(struct optic_module *mod)
{
	if (mod->int_disabled) {
		mod->int_disabled = false;
		enable_irq(mod->int_irq);
	}
}

/*
 * IntL stayed released through a hold-off: the conditions the last service
 * found set did not latch again, though their bits in mod->flags_last say
 * they persist, and nothing reads them once the line is quiet. A latched
 * flag is cleared by its read and set again by a condition still present
 * (CMIS 5.2, SFF-8636: clear on read), so one more read of those registers
 * finds the end: it is recorded, and the next occurrence is news, not a
 * persisting condition found again. It also catches a flag masked from
 * IntL. Caller holds mod->lock.
 */
static void optic_int_settled(struct optic_module *mod)
{
	u8 class;

	if (mod->gone || !mod->identified)
		return;
	class = optic_bus_class_set(mod, OPTIC_BUS_CLASS_CONTROL);
	optic_read_flags(mod, OPTIC_FLAGS_LAST_SET);
	optic_bus_class_set(mod, class);
}

/*
 * End of a hold-off. IntL is a level (CMIS 5.2, SFF-8636: asserted while
 * any unmasked latched flag is set), the IRQ an edge: a
 * condition that re-latched at once after the service keeps the line low
 * without a new falling edge, so a line still asserted is serviced now.
 */
static void optic_int_work(struct work_struct *work)
{
	struct optic_module *mod = container_of(to_delayed_work(work),
						struct optic_module, int_work);

	mutex_lock(&mod->lock);
	optic_int_enable(mod);
	if (!mod->gone && gpiod_get_value_cansleep(mod->gpio_int) > 0) {
		optic_int_stamp(mod);
		optic_int_service(mod);
	} else {
		optic_int_settled(mod);
	}
	mutex_unlock(&mod->lock);
}

/* ModPrsL edge: act once the line has settled. */
static irqreturn_t optic_presence_thread(int irq, void *data)
{
	struct optic_module *mod = data;

	optic_kick(mod, READ_ONCE(debounce_ms));
	return IRQ_HANDLED;
}

static int optic_gpio_init(struct optic_module *mod)
{
	struct device *dev = &mod->client->dev;
	int irq, ret;

	mod->gpio_presence = devm_gpiod_get_optional(dev, "presence", GPIOD_IN);
	if (IS_ERR(mod->gpio_presence))
		return PTR_ERR(mod->gpio_presence);
	/*
	 * Not "interrupt": gpiolib (6.1) drops a line label "interrupt" when
	 * the irq is freed without freeing the string, so every unbind leaked
	 * it (kmemleak).
	 */
	mod->gpio_int = devm_gpiod_get_optional(dev, "intl", GPIOD_IN);
	if (IS_ERR(mod->gpio_int))
		return PTR_ERR(mod->gpio_int);
	/* Leave the module running: reset and low power deasserted. */
	mod->gpio_reset = devm_gpiod_get_optional(dev, "reset", GPIOD_OUT_LOW);
	if (IS_ERR(mod->gpio_reset))
		return PTR_ERR(mod->gpio_reset);
	mod->gpio_lpmode = devm_gpiod_get_optional(dev, "lpmode",
						   GPIOD_OUT_LOW);
	if (IS_ERR(mod->gpio_lpmode))
		return PTR_ERR(mod->gpio_lpmode);

	if (mod->gpio_int) {
		irq = gpiod_to_irq(mod->gpio_int);
		if (irq < 0)
			return dev_err_probe(dev, irq, "interrupt line has no IRQ\n");
		mod->int_irq = irq;
		ret = devm_request_threaded_irq(dev, irq, optic_int_hardirq,
						optic_int_thread,
						IRQF_ONESHOT | IRQF_TRIGGER_FALLING,
						dev_name(dev), mod);
		if (ret)
			return dev_err_probe(dev, ret, "cannot request IntL IRQ\n");
	}
	if (mod->gpio_presence) {
		irq = gpiod_to_irq(mod->gpio_presence);
		/* Without an IRQ the presence line is polled. */
		if (irq >= 0) {
			ret = devm_request_threaded_irq(dev, irq, NULL,
							optic_presence_thread,
							IRQF_ONESHOT |
							IRQF_TRIGGER_RISING |
							IRQF_TRIGGER_FALLING,
							dev_name(dev), mod);
			if (ret)
				dev_warn(dev, "polling presence, no IRQ: %pe\n",
					 ERR_PTR(ret));
		}
	}
	return 0;
}

bool optic_name_valid(const char *name)
{
	return *name && strlen(name) < OPTIC_PORT_NAME_LEN &&
	       !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

/**
 * optic_rename - change the port name (and the class device name)
 * @mod: the module, lock not held
 * @name: new name
 */
int optic_rename(struct optic_module *mod, const char *name)
{
	int ret;

	if (!optic_name_valid(name))
		return -EINVAL;
	mutex_lock(&optic_list_lock);
	if (!strcmp(mod->name, name)) {
		ret = 0;
	} else if (optic_module_by_name(name)) {
		ret = -EEXIST;
	} else {
		ret = device_rename(mod->dev, name);
		if (!ret) {
			mutex_lock(&mod->lock);
			strscpy(mod->name, name, sizeof(mod->name));
			mutex_unlock(&mod->lock);
			hash_del(&mod->name_node);
			hash_add(optic_names, &mod->name_node,
				 optic_name_hash(mod->name));
		}
	}
	mutex_unlock(&optic_list_lock);
	return ret;
}

/*
 * Stop every bus user but sysfs/netlink (which check ->gone): the poll and
 * IntL works and the hwmon device. @irq_alive: the IntL IRQ is still
 * requested and must be left enabled for its release.
 */
static void optic_stop(struct optic_module *mod, bool irq_alive)
{
	mutex_lock(&mod->lock);
	mod->gone = true;
	mutex_unlock(&mod->lock);

	cancel_delayed_work_sync(&mod->poll);
	cancel_delayed_work_sync(&mod->int_work);
	mutex_lock(&mod->lock);
	if (irq_alive)
		optic_int_enable(mod);
	mod->int_disabled = false;
	mutex_unlock(&mod->lock);
	optic_hwmon_remove(mod);
}

/* Probe failed after the IRQs could run (they are released by now). */
static void optic_stop_action(void *data)
{
	optic_stop(data, false);
}

static void optic_bus_detach_action(void *data)
{
	optic_bus_detach(data);
}

static void optic_put_action(void *data)
{
	optic_module_put(data);
}

static int optic_probe(struct i2c_client *client)
{
	struct device *dev = &client->dev;
	struct optic_module *mod;
	const char *label;
	int ret;

	mod = kzalloc(sizeof(*mod), GFP_KERNEL);
	if (!mod)
		return -ENOMEM;
	kref_init(&mod->kref);
	mutex_init(&mod->lock);
	mutex_init(&mod->hwmon_lock);
	INIT_LIST_HEAD(&mod->bus_node);
	INIT_DELAYED_WORK(&mod->poll, optic_poll_work);
	INIT_DELAYED_WORK(&mod->int_work, optic_int_work);
	mod->client = client;
	mod->bus = client->adapter->nr;
	mod->addr = client->addr;

	ret = ida_alloc(&optic_ida, GFP_KERNEL);
	if (ret < 0) {
		mutex_destroy(&mod->hwmon_lock);
		mutex_destroy(&mod->lock);
		kfree(mod);
		return ret;
	}
	mod->index = ret;
	/* From here on the last reference frees the module and its index. */
	ret = devm_add_action_or_reset(dev, optic_put_action, mod);
	if (ret)
		return ret;
	/* the cage's flight recorder, before the first bus access */
	ret = optic_record_init(mod);
	if (ret)
		return ret;
	/* the root bus's scheduler, left after the last transfer (stop) */
	ret = optic_bus_attach(mod);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(dev, optic_bus_detach_action, mod);
	if (ret)
		return ret;
	/* Runs before the put, after the IRQs below are freed. */
	ret = devm_add_action_or_reset(dev, optic_stop_action, mod);
	if (ret)
		return ret;

	ret = optic_xfer_init(mod);
	if (ret)
		return dev_err_probe(dev, ret, "adapter lacks I2C and SMBus access\n");

	ret = optic_gpio_init(mod);
	if (ret)
		return ret;

	if (!device_property_read_string(dev, "label", &label))
		strscpy(mod->name, label, sizeof(mod->name));
	else if (mod->index < ARRAY_SIZE(port_names) && port_names[mod->index])
		strscpy(mod->name, port_names[mod->index], sizeof(mod->name));
	if (!optic_name_valid(mod->name))
		snprintf(mod->name, sizeof(mod->name), "port%u", mod->index);

	/* SFF-8472 diagnostics live at A2h (0x51) of a cage at A0h (0x50). */
	if (client->addr == OPTIC_ADDR_A0) {
		mod->a2 = devm_i2c_new_dummy_device(dev, client->adapter,
						    OPTIC_ADDR_A2);
		if (IS_ERR(mod->a2)) {
			dev_dbg(dev, "no A2h client: %pe\n", mod->a2);
			mod->a2 = NULL;
		}
	}

	mutex_lock(&mod->lock);
	ret = optic_update_presence(mod);
	mutex_unlock(&mod->lock);
	if (ret < 0)
		dev_warn(dev, "cannot identify module: %pe\n", ERR_PTR(ret));

	mutex_lock(&optic_list_lock);
	if (optic_module_by_name(mod->name)) {
		mutex_unlock(&optic_list_lock);
		return dev_err_probe(dev, -EEXIST, "port name %s in use\n",
				     mod->name);
	}
	/* reserved first, so that the store below cannot fail */
	ret = xa_reserve(&optic_modules, mod->index, GFP_KERNEL);
	if (ret) {
		mutex_unlock(&optic_list_lock);
		return ret;
	}
	ret = optic_sysfs_add(mod);
	if (ret) {
		xa_release(&optic_modules, mod->index);
		mutex_unlock(&optic_list_lock);
		return dev_err_probe(dev, ret, "cannot add class device\n");
	}
	xa_store(&optic_modules, mod->index, mod, GFP_KERNEL);
	hash_add(optic_names, &mod->name_node, optic_name_hash(mod->name));
	list_add_tail(&mod->bus_node, &mod->root->modules);
	mutex_unlock(&optic_list_lock);

	i2c_set_clientdata(client, mod);
	optic_hwmon_update(mod);
	if (poll_ms)
		optic_kick(mod, poll_ms);
	dev_info(dev, "%s: %s module %s %s\n", mod->name,
		 mod->present ? "present" : "no",
		 mod->ident.vendor_name, mod->ident.vendor_pn);
	return 0;
}

static void optic_remove(struct i2c_client *client)
{
	struct optic_module *mod = i2c_get_clientdata(client);

	mutex_lock(&optic_list_lock);
	xa_erase(&optic_modules, mod->index);
	hash_del(&mod->name_node);
	list_del_init(&mod->bus_node);
	mutex_unlock(&optic_list_lock);

	mutex_lock(&mod->lock);
	if (mod->identified && !mod->gone)
		optic_event_presence(mod, false);
	mutex_unlock(&mod->lock);

	optic_stop(mod, true);
	optic_sysfs_remove(mod);
}

static const struct i2c_device_id optic_id[] = {
	{ "optic", 0 },
	{ }
};
MODULE_DEVICE_TABLE(i2c, optic_id);

static const struct of_device_id optic_of_match[] = {
	{ .compatible = "optic,module" },
	{ }
};
MODULE_DEVICE_TABLE(of, optic_of_match);

static struct i2c_driver optic_driver = {
	.driver = {
		.name = OPTIC_DRV_NAME,
		.of_match_table = optic_of_match,
	},
	OPTIC_I2C_PROBE(optic_probe),
	.remove = optic_remove,
	.id_table = optic_id,
};

static int __init optic_init(void)
{
	int ret;

	ret = optic_class_init();
	if (ret)
		return ret;
	ret = optic_netlink_init();
	if (ret)
		goto err_class;
	ret = optic_cage_init();
	if (ret)
		goto err_netlink;
	ret = i2c_add_driver(&optic_driver);
	if (ret)
		goto err_cage;
	return 0;

err_cage:
	optic_cage_exit();
err_netlink:
	optic_netlink_exit();
err_class:
	optic_class_exit();
	return ret;
}

static void __exit optic_exit(void)
{
	optic_cage_exit();
	i2c_del_driver(&optic_driver);
	optic_netlink_exit();
	optic_class_exit();
}

module_init(optic_init);
module_exit(optic_exit);

MODULE_DESCRIPTION("Pluggable optical transceiver module manager");
MODULE_LICENSE("GPL");
