// SPDX-License-Identifier: GPL-2.0
/*
 * optic: cages made on request (OPTIC_CMD_CAGE_ADD). On an x86 switch no
 * firmware describes the cages: `opticctl platform apply` asks for each
 * one, and this file does what a platform's board code would do: an optic
 * client at 0x50 of the cage's (mux channel) adapter, its port name as the
 * "label" property and its lines as a GPIO lookup table. A cage made here
 * is tracked until its client is deleted, whoever deletes it (CAGE_DEL,
 * the adapter going away, module exit).
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/gpio/machine.h>
#include <linux/i2c.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/property.h>
#include <linux/slab.h>

#include "optic.h"

/* Consumer names of the lines, as optic_gpio_init() asks for them. */
static const char *const optic_cage_con_id[OPTIC_CAGE_LINES] = {
	[OPTIC_CAGE_PRESENCE] = "presence",
	[OPTIC_CAGE_RESET] = "reset",
	[OPTIC_CAGE_LPMODE] = "lpmode",
	[OPTIC_CAGE_INTL] = "intl",
};

struct optic_cage {
	struct list_head node;		/* on optic_cages */
	int bus;			/* adapter number */
	struct i2c_client *client;	/* NULL until created */
	bool deleting;			/* a CAGE_DEL unregisters it */
	struct gpiod_lookup_table *lookup;
	char dev_id[16];		/* "<bus>-0050" */
	char chip[OPTIC_CAGE_LINES][32];
	struct property_entry props[2];
	struct software_node swnode;
};

static LIST_HEAD(optic_cages);
static DEFINE_MUTEX(optic_cages_lock);	/* optic_cages, optic_cages_closed */
static bool optic_cages_closed;		/* module exit: no more cages */

static void optic_cage_free(struct optic_cage *cage)
{
	if (cage->lookup)
		gpiod_remove_lookup_table(cage->lookup);
	kfree(cage->lookup);
	kfree(cage);
}

/* The lookup table of the lines @req names; none: no table. */
static int optic_cage_lookup(struct optic_cage *cage,
			     const struct optic_cage_req *req)
{
	struct gpiod_lookup_table *t;
	int i, n = 0;

	for (i = 0; i < OPTIC_CAGE_LINES; i++)
		n += !!req->line[i].chip;
	if (!n)
		return 0;
	t = kzalloc(struct_size(t, table, n + 1), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->dev_id = cage->dev_id;
	for (i = 0, n = 0; i < OPTIC_CAGE_LINES; i++) {
		const struct optic_cage_line *l = &req->line[i];

		if (!l->chip)
			continue;
		strscpy(cage->chip[i], l->chip, sizeof(cage->chip[i]));
		t->table[n++] = GPIO_LOOKUP(cage->chip[i], l->offset,
					    optic_cage_con_id[i],
					    l->active_low ? GPIO_ACTIVE_LOW :
							    GPIO_ACTIVE_HIGH);
	}
	cage->lookup = t;
	gpiod_add_lookup_table(t);
	return 0;
}

static struct optic_cage *optic_cage_new(const struct optic_cage_req *req)
{
	struct optic_cage *cage = kzalloc(sizeof(*cage), GFP_KERNEL);

	if (!cage)
		return NULL;
	cage->bus = req->bus;
	snprintf(cage->dev_id, sizeof(cage->dev_id), "%d-%04x", req->bus,
		 OPTIC_ADDR_A0);
	cage->props[0] = PROPERTY_ENTRY_STRING("label", req->name);
	cage->swnode.properties = cage->props;
	if (optic_cage_lookup(cage, req)) {
		kfree(cage);
		return NULL;
	}
	return cage;
}

/**
 * optic_cage_add - make a cage: an optic client with its name and lines
 * @req: adapter, port name, lines
 * @index: the new module's index
 *
 * Return: 0, -ENODEV (no such adapter), -ENOENT (optic did not bind: a
 * line's chip or offset not found), -EBUSY (a device at 0x50 already),
 * -ESHUTDOWN (module exit), -ENOMEM.
 */
int optic_cage_add(const struct optic_cage_req *req, u32 *index)
{
	struct i2c_board_info info = { I2C_BOARD_INFO(OPTIC_DRV_NAME,
						      OPTIC_ADDR_A0) };
	struct optic_module *mod;
	struct i2c_adapter *adap;
	struct optic_cage *cage;
	struct i2c_client *client;

	adap = i2c_get_adapter(req->bus);
	if (!adap)
		return -ENODEV;
	cage = optic_cage_new(req);
	if (!cage) {
		i2c_put_adapter(adap);
		return -ENOMEM;
	}
	info.swnode = &cage->swnode;
	mutex_lock(&optic_cages_lock);
	if (optic_cages_closed) {
		mutex_unlock(&optic_cages_lock);
		i2c_put_adapter(adap);
		optic_cage_free(cage);
		return -ESHUTDOWN;
	}
	list_add_tail(&cage->node, &optic_cages);
	mutex_unlock(&optic_cages_lock);

	client = i2c_new_client_device(adap, &info);
	i2c_put_adapter(adap);
	if (IS_ERR(client))
		goto err_unlist;
	mod = client->dev.driver ? i2c_get_clientdata(client) : NULL;
	if (!mod) {
		i2c_unregister_device(client);
		client = ERR_PTR(-ENOENT);
		goto err_unlist;
	}
	mutex_lock(&optic_cages_lock);
	cage->client = client;
	mutex_unlock(&optic_cages_lock);
	*index = mod->index;
	return 0;

err_unlist:
	mutex_lock(&optic_cages_lock);
	list_del(&cage->node);
	mutex_unlock(&optic_cages_lock);
	optic_cage_free(cage);
	return PTR_ERR(client);
}

/* The cage of @client, optic_cages_lock held. */
static struct optic_cage *optic_cage_of(const struct i2c_client *client)
{
	struct optic_cage *cage;

	list_for_each_entry(cage, &optic_cages, node)
		if (cage->client == client)
			return cage;
	return NULL;
}

/* Whether the client at @addr of adapter @bus is a cage made here. */
bool optic_cage_made(int bus, u16 addr)
{
	struct optic_cage *cage;
	bool made = false;

	mutex_lock(&optic_cages_lock);
	list_for_each_entry(cage, &optic_cages, node)
		made |= cage->bus == bus && addr == OPTIC_ADDR_A0;
	mutex_unlock(&optic_cages_lock);
	return made;
}

/**
 * optic_cage_del - delete a cage made by optic_cage_add()
 * @client: its client, a reference held
 *
 * Return: 0, or -EPERM for a cage something else made (board code,
 * new_device), -EBUSY while another request deletes it.
 */
int optic_cage_del(struct i2c_client *client)
{
	struct optic_cage *cage;
	int ret = 0;

	mutex_lock(&optic_cages_lock);
	cage = optic_cage_of(client);
	if (!cage || !cage->client)
		ret = -EPERM;
	else if (cage->deleting)
		ret = -EBUSY;
	else
		cage->deleting = true;
	mutex_unlock(&optic_cages_lock);
	if (!ret)
		i2c_unregister_device(client);	/* optic_cage_notify() frees */
	return ret;
}

/* A client is deleted, by anyone: forget its cage. */
static int optic_cage_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	struct i2c_client *client = i2c_verify_client(data);
	struct optic_cage *cage;

	if (action != BUS_NOTIFY_DEL_DEVICE || !client)
		return NOTIFY_DONE;
	mutex_lock(&optic_cages_lock);
	cage = optic_cage_of(client);
	if (cage)
		list_del(&cage->node);
	mutex_unlock(&optic_cages_lock);
	if (cage)
		optic_cage_free(cage);
	return NOTIFY_OK;
}

static struct notifier_block optic_cage_nb = {
	.notifier_call = optic_cage_notify,
};

int optic_cage_init(void)
{
	return bus_register_notifier(&i2c_bus_type, &optic_cage_nb);
}

/*
 * The next cage exit can delete, its client returned (NULL: none left);
 * one still being made by optic_cage_add() is waited for.
 */
static struct i2c_client *optic_cage_next_exit(void)
{
	struct i2c_client *client;
	struct optic_cage *cage;

	for (;;) {
		client = NULL;
		mutex_lock(&optic_cages_lock);
		optic_cages_closed = true;
		list_for_each_entry(cage, &optic_cages, node) {
			if (cage->client && !cage->deleting) {
				cage->deleting = true;
				client = cage->client;
				break;
			}
		}
		cage = list_first_entry_or_null(&optic_cages,
						struct optic_cage, node);
		mutex_unlock(&optic_cages_lock);
		if (client || !cage)
			return client;
		msleep(20);
	}
}

/* Delete every cage made here (module exit). */
void optic_cage_exit(void)
{
	struct i2c_client *client;

	while ((client = optic_cage_next_exit()))
		i2c_unregister_device(client);	/* optic_cage_notify() frees */
	bus_unregister_notifier(&i2c_bus_type, &optic_cage_nb);
}
