// SPDX-License-Identifier: GPL-2.0
/*
 * optic_sim: simulated I2C buses with pluggable transceiver modules, for
 * testing and benchmarking the optic driver (in the spirit of netdevsim).
 *
 * Module init/exit, parameters and port lifecycle.
 */
#include <linux/err.h>
#include <linux/idr.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "sim.h"

static unsigned int ports = 1;
module_param(ports, uint, 0444);
MODULE_PARM_DESC(ports, "number of simulated ports created at load (default 1; ignored with buses)");

bool osim_attach = true;
module_param_named(attach, osim_attach, bool, 0444);
MODULE_PARM_DESC(attach, "instantiate an \"optic\" i2c client at 0x50 on each port, and with buses the mux chips (default 1)");

bool osim_realtime;
module_param_named(realtime, osim_realtime, bool, 0444);
MODULE_PARM_DESC(realtime, "transfers take their modelled time on every port and root bus (default 0)");

bool osim_gpios;
module_param_named(gpios, osim_gpios, bool, 0444);
MODULE_PARM_DESC(gpios, "register a gpio_chip with presence/reset/lpmode/interrupt lines per port (default 0)");

static char *profile = "qsfpdd-400g-dr4";
module_param(profile, charp, 0444);
MODULE_PARM_DESC(profile, "profile of the modules plugged at load (default qsfpdd-400g-dr4)");

#define OSIM_MAX_PORTS	1024

static LIST_HEAD(osim_ports);
static DEFINE_MUTEX(osim_ports_lock);	/* protects osim_ports */
static DEFINE_IDA(osim_ida);

/* Replace the port's module (NULL: empty cage). Caller holds port->lock. */
void osim_port_set_module(struct osim_port *port, struct osim_module *mod,
			  const char *name)
{
	osim_module_free(port->mod);
	port->mod = mod;
	port->present = !!mod;
	strscpy(port->profile_name, name, sizeof(port->profile_name));
}

/* Plug a fresh module of profile @name. Caller holds port->lock. */
int osim_port_insert(struct osim_port *port, const char *name, bool cold)
{
	const struct osim_profile *p = osim_profile_find(name);
	struct osim_module *mod;

	if (!p)
		return -EINVAL;
	mod = osim_module_build(port, p);
	if (IS_ERR(mod))
		return PTR_ERR(mod);
	if (port->present)
		osim_event_log(port, OSIM_EV_REMOVED, 0, 0, false, 0);
	osim_port_set_module(port, mod, p->name);
	if (mod) {
		/* logged first: the module's conditions follow its plug */
		osim_event_log(port, OSIM_EV_INSERTED, 0, 0, false, 0);
		osim_module_start(port, cold);
	}
	osim_gpio_update(port);
	return 0;
}

static int osim_port_attach(struct osim_port *port)
{
	struct i2c_board_info info = {
		I2C_BOARD_INFO("optic", OSIM_ADDR_A0),
	};
	struct i2c_client *client;

	client = i2c_new_client_device(&port->adap, &info);
	if (IS_ERR(client))
		return PTR_ERR(client);
	port->client = client;
	return 0;
}

static void osim_port_free(struct osim_port *port)
{
	osim_module_free(port->mod);
	ida_free(&osim_ida, port->index);
	kfree(port);
}

/*
 * A new port: a cage on @root's mux channel @cage, or (@root NULL) a port
 * with its own adapter and, with attach=1, its optic client.
 */
struct osim_port *osim_port_new(struct osim_root *root, unsigned int cage)
{
	struct osim_port *port;
	int ret;

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return ERR_PTR(-ENOMEM);
	ret = ida_alloc_max(&osim_ida, OSIM_MAX_PORTS - 1, GFP_KERNEL);
	if (ret < 0) {
		kfree(port);
		return ERR_PTR(ret);
	}
	port->index = ret;
	port->root = root;
	port->cage = cage;
	mutex_init(&port->lock);
	port->clock_hz = root ? root->clock_hz : 400000;
	port->realtime = !root && osim_realtime;
	port->time_scale = 100;
	port->mon_accel = 1;
	port->mon_interval_ms = 100;

	mutex_lock(&port->lock);
	ret = osim_port_insert(port, profile, true);
	mutex_unlock(&port->lock);
	if (ret)
		goto err_free;

	if (!root) {
		ret = osim_bus_add(port);
		if (ret)
			goto err_free;
	}
	osim_gpio_port_add(port);
	if (!root) {
		osim_gpio_lookup_add(port, &port->adap);
		if (osim_attach) {
			ret = osim_port_attach(port);
			if (ret)
				goto err_bus;
		}
	}
	osim_debugfs_port_add(port);

	mutex_lock(&osim_ports_lock);
	list_add_tail(&port->node, &osim_ports);
	mutex_unlock(&osim_ports_lock);
	return port;

err_bus:
	osim_gpio_port_del(port);
	osim_bus_del(port);
err_free:
	osim_port_free(port);
	return ERR_PTR(ret);
}

static void osim_port_destroy(struct osim_port *port)
{
	osim_debugfs_port_del(port);
	if (!port->root && port->client)
		i2c_unregister_device(port->client);
	osim_gpio_port_del(port);
	if (!port->root)
		osim_bus_del(port);
	osim_port_free(port);
}

/* Unlist and destroy a port (a cage, when its root bus goes). */
void osim_port_remove(struct osim_port *port)
{
	mutex_lock(&osim_ports_lock);
	list_del(&port->node);
	mutex_unlock(&osim_ports_lock);
	osim_port_destroy(port);
}

int osim_port_del(unsigned int index)
{
	struct osim_port *port, *found = NULL;

	mutex_lock(&osim_ports_lock);
	list_for_each_entry(port, &osim_ports, node) {
		if (port->index == index) {
			found = port;
			break;
		}
	}
	/* a cage of a root bus goes with its bus: pull its module instead */
	if (found && found->root)
		found = ERR_PTR(-EBUSY);
	else if (found)
		list_del(&found->node);
	mutex_unlock(&osim_ports_lock);
	if (IS_ERR_OR_NULL(found))
		return found ? PTR_ERR(found) : -ENOENT;
	osim_port_destroy(found);
	return 0;
}

static void osim_destroy_all(void)
{
	struct osim_port *port;

	for (;;) {
		mutex_lock(&osim_ports_lock);
		port = NULL;
		if (!list_empty(&osim_ports)) {
			port = list_last_entry(&osim_ports, struct osim_port,
					       node);
			list_del(&port->node);
		}
		mutex_unlock(&osim_ports_lock);
		if (!port)
			break;
		osim_port_destroy(port);
	}
}

static int __init osim_init(void)
{
	struct osim_port *port;
	unsigned int i, nports;
	int ret;

	nports = osim_roots_nports();
	if (!nports)
		nports = ports;
	if (nports > OSIM_MAX_PORTS)
		return -EINVAL;
	if (!osim_profile_find(profile)) {
		pr_err("optic_sim: unknown profile \"%s\"\n", profile);
		return -EINVAL;
	}
	ret = osim_events_init();
	if (ret)
		return ret;
	osim_debugfs_init();
	ret = osim_gpio_init(nports);
	if (ret)
		goto err_debugfs;
	ret = osim_roots_init();
	if (ret)
		goto err_ports;
	for (i = 0; !osim_roots_nports() && i < ports; i++) {
		port = osim_port_new(NULL, 0);
		if (IS_ERR(port)) {
			ret = PTR_ERR(port);
			goto err_ports;
		}
	}
	return 0;

err_ports:
	osim_roots_exit();
	osim_destroy_all();
	osim_gpio_exit();
err_debugfs:
	osim_debugfs_exit();
	osim_events_exit();
	return ret;
}

static void __exit osim_exit(void)
{
	osim_roots_exit();
	osim_destroy_all();
	osim_gpio_exit();
	osim_debugfs_exit();
	osim_events_exit();
	ida_destroy(&osim_ida);
}

module_init(osim_init);
module_exit(osim_exit);

MODULE_DESCRIPTION("Simulated I2C buses with pluggable transceiver modules");
MODULE_LICENSE("GPL");
