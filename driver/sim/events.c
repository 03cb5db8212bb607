// SPDX-License-Identifier: GPL-2.0
/*
 * optic_sim: the event log (docs/sim.md). What happened on the module side,
 * in order and with the time: a module plugged or pulled, an alarm or Rx LOS
 * condition starting or ending. Tests read it from debugfs `events` to check
 * that a host noticed every one of them.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "sim.h"

static unsigned int event_log = 16384;
module_param(event_log, uint, 0444);
MODULE_PARM_DESC(event_log, "events kept until read from debugfs events (0: off)");

#define OSIM_EV_LINE	96

struct osim_event {
	u64 ns;			/* CLOCK_MONOTONIC */
	s64 value;
	u32 port;
	u8 type;
	u8 mon;
	u8 lane;
	u8 low;
	char profile[32];
};

static const char * const osim_ev_names[] = {
	[OSIM_EV_INSERTED] = "inserted",
	[OSIM_EV_REMOVED] = "removed",
	[OSIM_EV_ALARM] = "alarm",
	[OSIM_EV_ALARM_CLEAR] = "alarm_clear",
	[OSIM_EV_LOS] = "los",
	[OSIM_EV_LOS_CLEAR] = "los_clear",
};

static const char * const osim_ev_mon[OSIM_MON_NR] = {
	[OSIM_MON_TEMP] = "temp",
	[OSIM_MON_VCC] = "vcc",
	[OSIM_MON_BIAS] = "bias",
	[OSIM_MON_TXPWR] = "tx_power",
	[OSIM_MON_RXPWR] = "rx_power",
};

static DEFINE_SPINLOCK(osim_ev_lock);
static struct osim_event *osim_ev_ring;
static u64 osim_ev_next;	/* sequence number of the next event logged */
static u64 osim_ev_read;	/* oldest event not read yet */
static u64 osim_ev_dropped;	/* events lost to a full ring */

static u32 osim_ev_idx(u64 seq)
{
	return do_div(seq, event_log);
}

void osim_event_log(struct osim_port *port, enum osim_ev_type type,
		    enum osim_mon_id mon, unsigned int lane, bool low,
		    s64 value)
{
	struct osim_event *e;
	unsigned long flags;

	if (!osim_ev_ring)
		return;
	spin_lock_irqsave(&osim_ev_lock, flags);
	if (osim_ev_next - osim_ev_read >= event_log) {
		osim_ev_dropped++;
		goto out;
	}
	e = &osim_ev_ring[osim_ev_idx(osim_ev_next)];
	e->ns = ktime_get_ns();
	e->value = value;
	e->port = port->index;
	e->type = type;
	e->mon = mon;
	e->lane = lane;
	e->low = low;
	strscpy(e->profile, port->profile_name, sizeof(e->profile));
	osim_ev_next++;
out:
	spin_unlock_irqrestore(&osim_ev_lock, flags);
}

static int osim_event_fmt(char *buf, size_t len, u64 seq,
			  const struct osim_event *e)
{
	u64 s = e->ns;
	u32 ns = do_div(s, NSEC_PER_SEC);
	int n;

	n = scnprintf(buf, len, "%llu %llu.%09u port%u %s", seq, s, ns,
		      e->port, osim_ev_names[e->type]);
	switch (e->type) {
	case OSIM_EV_INSERTED:
		n += scnprintf(buf + n, len - n, " %s", e->profile);
		break;
	case OSIM_EV_ALARM:
	case OSIM_EV_ALARM_CLEAR:
		n += scnprintf(buf + n, len - n, " %s %u %s %lld",
			       osim_ev_mon[e->mon], e->lane,
			       e->low ? "low" : "high", e->value);
		break;
	case OSIM_EV_LOS:
	case OSIM_EV_LOS_CLEAR:
		n += scnprintf(buf + n, len - n, " rx_power %u %lld", e->lane,
			       e->value);
		break;
	default:
		break;
	}
	n += scnprintf(buf + n, len - n, "\n");
	return n;
}

/* Each read returns whole lines and consumes them: one reader at a time. */
static ssize_t osim_events_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	size_t size = min_t(size_t, count, 64 * 1024), len = 0;
	struct osim_event e;
	char line[OSIM_EV_LINE];
	char *buf;
	u64 seq;
	int n;

	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		spin_lock_irq(&osim_ev_lock);
		if (osim_ev_read == osim_ev_next) {
			spin_unlock_irq(&osim_ev_lock);
			break;
		}
		seq = osim_ev_read;
		e = osim_ev_ring[osim_ev_idx(seq)];
		spin_unlock_irq(&osim_ev_lock);
		n = osim_event_fmt(line, sizeof(line), seq, &e);
		if (len + n > size)
			break;
		memcpy(buf + len, line, n);
		len += n;
		spin_lock_irq(&osim_ev_lock);
		if (osim_ev_read == seq)
			osim_ev_read++;
		spin_unlock_irq(&osim_ev_lock);
	}
	if (!len && count && osim_ev_read != osim_ev_next) {
		kvfree(buf);
		return -EINVAL;	/* the buffer cannot hold one line */
	}
	if (len && copy_to_user(ubuf, buf, len))
		len = -EFAULT;
	kvfree(buf);
	return len;
}

/* Any write forgets the events not read yet and the dropped count. */
static ssize_t osim_events_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	spin_lock_irq(&osim_ev_lock);
	osim_ev_read = osim_ev_next;
	osim_ev_dropped = 0;
	spin_unlock_irq(&osim_ev_lock);
	return count;
}

static const struct file_operations osim_events_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = osim_events_read,
	.write = osim_events_write,
	.llseek = noop_llseek,
};

static int osim_events_dropped_get(void *data, u64 *val)
{
	spin_lock_irq(&osim_ev_lock);
	*val = osim_ev_dropped;
	spin_unlock_irq(&osim_ev_lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(osim_events_dropped_fops, osim_events_dropped_get,
			 NULL, "%llu\n");

static int osim_events_logged_get(void *data, u64 *val)
{
	spin_lock_irq(&osim_ev_lock);
	*val = osim_ev_next;
	spin_unlock_irq(&osim_ev_lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(osim_events_logged_fops, osim_events_logged_get,
			 NULL, "%llu\n");

int osim_events_init(void)
{
	if (!event_log)
		return 0;
	osim_ev_ring = kvcalloc(event_log, sizeof(*osim_ev_ring), GFP_KERNEL);
	return osim_ev_ring ? 0 : -ENOMEM;
}

void osim_events_debugfs(struct dentry *root)
{
	debugfs_create_file("events", 0600, root, NULL, &osim_events_fops);
	debugfs_create_file_unsafe("events_dropped", 0400, root, NULL,
				   &osim_events_dropped_fops);
	debugfs_create_file_unsafe("events_logged", 0400, root, NULL,
				   &osim_events_logged_fops);
}

void osim_events_exit(void)
{
	kvfree(osim_ev_ring);
	osim_ev_ring = NULL;
}
