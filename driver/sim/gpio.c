// SPDX-License-Identifier: GPL-2.0
/*
 * optic_sim: one gpio_chip ("optic_sim") carrying the cage lines of every
 * port (gpios=1): four lines per port at offsets 4 * port + line:
 *   0 ModPrsL  input, low while a module is plugged, irq capable
 *   1 ResetL   output, low holds the module in reset
 *   2 LPMode   output, high requests low power
 *   3 IntL     input, low while the module signals an interrupt, irq capable
 * Lines carry physical levels; the gpiod lookup table registered for each
 * port's 0x50 client device marks the active-low ones, so a consumer of
 * "presence", "reset", "lpmode" and "intl" sees logical values.
 */
#include <linux/bitmap.h>
#include <linux/gpio/driver.h>
#include <linux/gpio/machine.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/irqdomain.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "sim.h"

#define OSIM_GPIO_LABEL		"optic_sim"
#define OSIM_GPIO_MIN_PORTS	16
#define OSIM_GPIO_MAX_PORTS	64
#define OSIM_GPIO_NLINES	(OSIM_GPIO_MAX_PORTS * OSIM_GPIOS_PER_PORT)
#define OSIM_GPIO_POLL_MS	100

struct osim_gpio {
	struct gpio_chip gc;
	unsigned int nports;
	struct mutex lock;	/* protects port[] */
	struct osim_port *port[OSIM_GPIO_MAX_PORTS];
	DECLARE_BITMAP(level, OSIM_GPIO_NLINES);	/* physical input levels */
	DECLARE_BITMAP(irq_on, OSIM_GPIO_NLINES);	/* irq enabled and unmasked */
	DECLARE_BITMAP(pending, OSIM_GPIO_NLINES);	/* irq to deliver */
	u8 irq_type[OSIM_GPIO_NLINES];
	struct work_struct fire;
	struct delayed_work poll;
};

static struct osim_gpio *osim_gpio;

static struct osim_port *osim_gpio_port_get(struct osim_gpio *g,
					    unsigned int offset)
{
	unsigned int i = offset / OSIM_GPIOS_PER_PORT;

	return i < g->nports ? g->port[i] : NULL;
}

static int osim_gpio_get_direction(struct gpio_chip *gc, unsigned int offset)
{
	switch (offset % OSIM_GPIOS_PER_PORT) {
	case OSIM_GPIO_RESET:
	case OSIM_GPIO_LPMODE:
		return GPIO_LINE_DIRECTION_OUT;
	default:
		return GPIO_LINE_DIRECTION_IN;
	}
}

static int osim_gpio_direction_input(struct gpio_chip *gc, unsigned int offset)
{
	if (osim_gpio_get_direction(gc, offset) != GPIO_LINE_DIRECTION_IN)
		return -EPERM;
	return 0;
}

static int osim_gpio_get(struct gpio_chip *gc, unsigned int offset)
{
	struct osim_gpio *g = gpiochip_get_data(gc);
	struct osim_port *port;
	int val = 0;

	mutex_lock(&g->lock);
	port = osim_gpio_port_get(g, offset);
	if (port) {
		mutex_lock(&port->lock);
		switch (offset % OSIM_GPIOS_PER_PORT) {
		case OSIM_GPIO_RESET:
			val = !port->reset_line;
			break;
		case OSIM_GPIO_LPMODE:
			val = port->lpmode_line;
			break;
		default:
			osim_module_update(port);
			val = test_bit(offset, g->level);
			break;
		}
		mutex_unlock(&port->lock);
	} else if (osim_gpio_get_direction(gc, offset) == GPIO_LINE_DIRECTION_IN) {
		val = 1;	/* no port: empty cage, no interrupt */
	}
	mutex_unlock(&g->lock);
	return val;
}

static void osim_gpio_set(struct gpio_chip *gc, unsigned int offset, int value)
{
	struct osim_gpio *g = gpiochip_get_data(gc);
	struct osim_port *port;

	mutex_lock(&g->lock);
	port = osim_gpio_port_get(g, offset);
	if (port) {
		mutex_lock(&port->lock);
		switch (offset % OSIM_GPIOS_PER_PORT) {
		case OSIM_GPIO_RESET:
			if (port->reset_line && value) {
				port->reset_line = false;
				osim_module_reset(port);	/* out of reset */
			}
			port->reset_line = !value;
			break;
		case OSIM_GPIO_LPMODE:
			port->lpmode_line = !!value;
			osim_module_update(port);
			break;
		}
		mutex_unlock(&port->lock);
	}
	mutex_unlock(&g->lock);
}

static int osim_gpio_direction_output(struct gpio_chip *gc, unsigned int offset,
				      int value)
{
	if (osim_gpio_get_direction(gc, offset) != GPIO_LINE_DIRECTION_OUT)
		return -EPERM;
	osim_gpio_set(gc, offset, value);
	return 0;
}

/* ---- interrupts ---- */

static bool osim_irq_edge(struct osim_gpio *g, unsigned int hwirq)
{
	return g->irq_type[hwirq] & IRQ_TYPE_EDGE_BOTH;
}

static bool osim_irq_active(struct osim_gpio *g, unsigned int hwirq)
{
	bool high = test_bit(hwirq, g->level);

	switch (g->irq_type[hwirq]) {
	case IRQ_TYPE_LEVEL_HIGH:
		return high;
	case IRQ_TYPE_LEVEL_LOW:
		return !high;
	default:
		return false;
	}
}

/*
 * Deliver pending edges and levels soon. A controller raises its interrupt
 * as the line moves: the delivery runs on the high-priority workqueue, so
 * it does not wait behind the host's busy tasks (under load a plain
 * kworker took up to 9 ms here, which the host would have counted as its
 * own IntL latency).
 */
static void osim_gpio_kick(struct osim_gpio *g)
{
	queue_work(system_highpri_wq, &g->fire);
}

static void osim_irq_mask(struct irq_data *d)
{
	struct gpio_chip *gc = irq_data_get_irq_chip_data(d);
	struct osim_gpio *g = gpiochip_get_data(gc);

	clear_bit(irqd_to_hwirq(d), g->irq_on);
	gpiochip_disable_irq(gc, irqd_to_hwirq(d));
}

static void osim_irq_unmask(struct irq_data *d)
{
	struct gpio_chip *gc = irq_data_get_irq_chip_data(d);
	struct osim_gpio *g = gpiochip_get_data(gc);
	irq_hw_number_t hwirq = irqd_to_hwirq(d);

	gpiochip_enable_irq(gc, hwirq);
	set_bit(hwirq, g->irq_on);
	/* an edge latched while masked, or a level still asserted, fires */
	if (osim_irq_edge(g, hwirq) ? test_bit(hwirq, g->pending) :
				      osim_irq_active(g, hwirq)) {
		set_bit(hwirq, g->pending);
		osim_gpio_kick(g);
	}
}

static int osim_irq_set_type(struct irq_data *d, unsigned int type)
{
	struct gpio_chip *gc = irq_data_get_irq_chip_data(d);
	struct osim_gpio *g = gpiochip_get_data(gc);
	irq_hw_number_t hwirq = irqd_to_hwirq(d);

	switch (hwirq % OSIM_GPIOS_PER_PORT) {
	case OSIM_GPIO_PRESENCE:
	case OSIM_GPIO_INTERRUPT:
		break;
	default:
		return -EINVAL;
	}
	type &= IRQ_TYPE_SENSE_MASK;
	if (type & IRQ_TYPE_LEVEL_MASK)
		irq_set_handler_locked(d, handle_level_irq);
	else
		irq_set_handler_locked(d, handle_edge_irq);
	g->irq_type[hwirq] = type;
	return 0;
}

static void osim_irq_ack(struct irq_data *d)
{
}

static const struct irq_chip osim_irq_chip = {
	.name = OSIM_GPIO_LABEL,
	.irq_ack = osim_irq_ack,
	.irq_mask = osim_irq_mask,
	.irq_unmask = osim_irq_unmask,
	.irq_set_type = osim_irq_set_type,
	.flags = IRQCHIP_IMMUTABLE | IRQCHIP_SKIP_SET_WAKE,
	GPIOCHIP_IRQ_RESOURCE_HELPERS,
};

static void osim_gpio_fire(struct work_struct *work)
{
	struct osim_gpio *g = container_of(work, struct osim_gpio, fire);
	unsigned int hwirq, irq;

	for_each_set_bit(hwirq, g->pending, OSIM_GPIO_NLINES) {
		/* masked: an edge stays latched for the unmask */
		if (!test_bit(hwirq, g->irq_on))
			continue;
		if (!test_and_clear_bit(hwirq, g->pending))
			continue;
		irq = irq_find_mapping(g->gc.irq.domain, hwirq);
		if (irq)
			generic_handle_irq_safe(irq);
	}
}

/*
 * Events happen between host accesses too: a port with irqs enabled is
 * brought up to date when its module next changes by itself (a monitor
 * sample, a state deadline), so IntL rises when the flag latches, not at
 * some later look; at least every OSIM_GPIO_POLL_MS.
 */
static void osim_gpio_poll(struct work_struct *work)
{
	struct osim_gpio *g = container_of(to_delayed_work(work),
					   struct osim_gpio, poll);
	unsigned int i, next = OSIM_GPIO_POLL_MS;

	mutex_lock(&g->lock);
	for (i = 0; i < g->nports; i++) {
		struct osim_port *port = g->port[i];
		unsigned int base = i * OSIM_GPIOS_PER_PORT;

		if (!port || find_next_bit(g->irq_on, base + OSIM_GPIOS_PER_PORT,
					   base) >= base + OSIM_GPIOS_PER_PORT)
			continue;
		mutex_lock(&port->lock);
		osim_module_sync(port);
		next = osim_module_next_change_ms(port, next);
		mutex_unlock(&port->lock);
	}
	mutex_unlock(&g->lock);
	schedule_delayed_work(&g->poll, msecs_to_jiffies(next));
}

/* Recompute the input levels of @port's lines. Caller holds port->lock. */
void osim_gpio_update(struct osim_port *port)
{
	struct osim_gpio *g = osim_gpio;
	unsigned int base = port->index * OSIM_GPIOS_PER_PORT;
	bool levels[2] = { !port->present, !osim_module_intl(port) };
	unsigned int lines[2] = { OSIM_GPIO_PRESENCE, OSIM_GPIO_INTERRUPT };
	unsigned int i;

	if (!g || port->index >= g->nports)
		return;
	port->intl = !levels[1];
	for (i = 0; i < 2; i++) {
		unsigned int hwirq = base + lines[i];
		bool old = test_bit(hwirq, g->level);
		bool fire;

		if (levels[i])
			set_bit(hwirq, g->level);
		else
			clear_bit(hwirq, g->level);
		switch (g->irq_type[hwirq]) {
		case IRQ_TYPE_EDGE_RISING:
			fire = !old && levels[i];
			break;
		case IRQ_TYPE_EDGE_FALLING:
			fire = old && !levels[i];
			break;
		case IRQ_TYPE_EDGE_BOTH:
			fire = old != levels[i];
			break;
		default:
			fire = osim_irq_active(g, hwirq);
			break;
		}
		/*
		 * Like a controller's status register, an edge is latched
		 * while the interrupt is masked (a oneshot handler running).
		 */
		if (fire &&
		    (osim_irq_edge(g, hwirq) || test_bit(hwirq, g->irq_on)))
			set_bit(hwirq, g->pending);
		if (fire && test_bit(hwirq, g->irq_on))
			osim_gpio_kick(g);
	}
}

/* Wire @port's four lines (offsets 4 * index, while the chip has them). */
void osim_gpio_port_add(struct osim_port *port)
{
	struct osim_gpio *g = osim_gpio;

	if (!g || port->index >= g->nports)
		return;
	mutex_lock(&g->lock);
	g->port[port->index] = port;
	mutex_unlock(&g->lock);
	mutex_lock(&port->lock);
	osim_gpio_update(port);
	mutex_unlock(&port->lock);
}

void osim_gpio_port_del(struct osim_port *port)
{
	struct osim_gpio *g = osim_gpio;

	osim_gpio_lookup_del(port);
	if (!g || port->index >= g->nports)
		return;
	mutex_lock(&g->lock);
	g->port[port->index] = NULL;
	mutex_unlock(&g->lock);
}

/* Name @port's lines for the 0x50 client on @adap, whoever creates it. */
void osim_gpio_lookup_add(struct osim_port *port, struct i2c_adapter *adap)
{
	struct osim_gpio *g = osim_gpio;
	struct gpiod_lookup_table *t;
	unsigned int base = port->index * OSIM_GPIOS_PER_PORT;

	if (!g || port->index >= g->nports || port->lookup)
		return;
	t = kzalloc(struct_size(t, table, OSIM_GPIOS_PER_PORT + 1), GFP_KERNEL);
	if (!t)
		return;
	t->dev_id = kasprintf(GFP_KERNEL, "%d-%04x", i2c_adapter_id(adap),
			      OSIM_ADDR_A0);
	if (!t->dev_id) {
		kfree(t);
		return;
	}
	t->table[0] = GPIO_LOOKUP(OSIM_GPIO_LABEL, base + OSIM_GPIO_PRESENCE,
				  "presence", GPIO_ACTIVE_LOW);
	t->table[1] = GPIO_LOOKUP(OSIM_GPIO_LABEL, base + OSIM_GPIO_RESET,
				  "reset", GPIO_ACTIVE_LOW);
	t->table[2] = GPIO_LOOKUP(OSIM_GPIO_LABEL, base + OSIM_GPIO_LPMODE,
				  "lpmode", GPIO_ACTIVE_HIGH);
	t->table[3] = GPIO_LOOKUP(OSIM_GPIO_LABEL, base + OSIM_GPIO_INTERRUPT,
				  "intl", GPIO_ACTIVE_LOW);
	port->lookup = t;
	gpiod_add_lookup_table(t);
}

void osim_gpio_lookup_del(struct osim_port *port)
{
	if (!port->lookup)
		return;
	gpiod_remove_lookup_table(port->lookup);
	kfree(port->lookup->dev_id);
	kfree(port->lookup);
	port->lookup = NULL;
}

int osim_gpio_init(unsigned int nports)
{
	struct gpio_irq_chip *girq;
	struct osim_gpio *g;
	int ret;

	if (!osim_gpios)
		return 0;
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->nports = clamp_t(unsigned int, nports, OSIM_GPIO_MIN_PORTS,
			    OSIM_GPIO_MAX_PORTS);
	mutex_init(&g->lock);
	INIT_WORK(&g->fire, osim_gpio_fire);
	INIT_DELAYED_WORK(&g->poll, osim_gpio_poll);
	/* every input reads high (empty cage, no interrupt) until a port exists */
	bitmap_fill(g->level, OSIM_GPIO_NLINES);

	g->gc.label = OSIM_GPIO_LABEL;
	g->gc.owner = THIS_MODULE;
	g->gc.base = -1;
	g->gc.ngpio = g->nports * OSIM_GPIOS_PER_PORT;
	g->gc.can_sleep = true;
	g->gc.get_direction = osim_gpio_get_direction;
	g->gc.direction_input = osim_gpio_direction_input;
	g->gc.direction_output = osim_gpio_direction_output;
	g->gc.get = osim_gpio_get;
	g->gc.set = osim_gpio_set;

	girq = &g->gc.irq;
	gpio_irq_chip_set_chip(girq, &osim_irq_chip);
	girq->handler = handle_simple_irq;
	girq->default_type = IRQ_TYPE_NONE;

	ret = gpiochip_add_data(&g->gc, g);
	if (ret) {
		kfree(g);
		return ret;
	}
	osim_gpio = g;
	schedule_delayed_work(&g->poll, msecs_to_jiffies(OSIM_GPIO_POLL_MS));
	return 0;
}

void osim_gpio_exit(void)
{
	struct osim_gpio *g = osim_gpio;

	if (!g)
		return;
	cancel_delayed_work_sync(&g->poll);
	gpiochip_remove(&g->gc);
	cancel_work_sync(&g->fire);
	osim_gpio = NULL;
	kfree(g);
}
