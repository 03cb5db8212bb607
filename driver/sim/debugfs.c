// SPDX-License-Identifier: GPL-2.0
/*
 * optic_sim: control files under /sys/kernel/debug/optic_sim/ (see
 * docs/sim.md): port creation, per-port module, faults, counters, monitors
 * and a test entry point that runs real transfers on the port's adapter.
 */
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/i2c.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "sim.h"

#define OSIM_CMD_MAX	1024
#define OSIM_IMAGE_MAX	(512 * 1024)

static struct dentry *osim_root;

static char *osim_get_cmd(const char __user *ubuf, size_t count)
{
	char *buf;

	if (!count || count >= OSIM_CMD_MAX)
		return ERR_PTR(-EINVAL);
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return buf;
	return buf;
}

/* Run the command written to a port's file under the port's lock. */
static ssize_t osim_port_cmd(struct osim_port *port, const char __user *ubuf,
			     size_t count,
			     int (*fn)(struct osim_port *port, char *cmd))
{
	char *buf = osim_get_cmd(ubuf, count);
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&port->lock);
	ret = fn(port, strim(buf));
	mutex_unlock(&port->lock);
	kfree(buf);
	return ret ? ret : count;
}

/*
 * A port knob: reading shows @show's seq_file, a write runs @cmd on the
 * written line under the port lock (osim_port_cmd).
 */
#define OSIM_KNOB_FOPS(name, show, cmd)					\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return single_open(file, show, inode->i_private);		\
}									\
									\
static ssize_t name##_write(struct file *file, const char __user *ubuf,	\
			    size_t count, loff_t *ppos)			\
{									\
	struct seq_file *sf = file->private_data;			\
									\
	return osim_port_cmd(sf->private, ubuf, count, cmd);		\
}									\
									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = name##_open,						\
	.read = seq_read,						\
	.write = name##_write,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

/* ---- top level: new_port, del_port, profiles ---- */

static ssize_t osim_new_port_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct osim_port *port;
	char *buf = osim_get_cmd(ubuf, count);
	char *name;
	int ret = 0;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	port = osim_port_new(NULL, 0);
	if (IS_ERR(port)) {
		ret = PTR_ERR(port);
		goto out;
	}
	name = strim(buf);
	if (*name && strcmp(name, "1")) {
		mutex_lock(&port->lock);
		ret = osim_port_insert(port, name, true);
		mutex_unlock(&port->lock);
		if (ret)
			osim_port_del(port->index);
	}
out:
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations osim_new_port_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = osim_new_port_write,
	.llseek = noop_llseek,
};

static ssize_t osim_del_port_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	unsigned int index;
	int ret;

	ret = kstrtouint_from_user(ubuf, count, 0, &index);
	if (ret)
		return ret;
	ret = osim_port_del(index);
	return ret ? ret : count;
}

static const struct file_operations osim_del_port_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = osim_del_port_write,
	.llseek = noop_llseek,
};

static int osim_profiles_show(struct seq_file *s, void *unused)
{
	const struct osim_profile *p;
	unsigned int i;

	for (i = 0; (p = osim_profile_at(i)); i++)
		seq_printf(s, "%-20s %s\n", p->name, p->desc);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(osim_profiles);

/* ---- per port: present, profile ---- */

static ssize_t osim_present_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct osim_port *port = file->private_data;
	char buf[4];

	snprintf(buf, sizeof(buf), "%d\n", port->present);
	return simple_read_from_buffer(ubuf, count, ppos, buf, strlen(buf));
}

static ssize_t osim_present_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct osim_port *port = file->private_data;
	bool present;
	int ret;

	ret = kstrtobool_from_user(ubuf, count, &present);
	if (ret)
		return ret;
	mutex_lock(&port->lock);
	if (present && !port->mod) {
		ret = -ENODEV;	/* nothing to plug: choose a profile */
	} else if (present && !port->present) {
		/* re-plugged: the module powers up from scratch */
		port->present = true;
		osim_event_log(port, OSIM_EV_INSERTED, 0, 0, false, 0);
		if (port->mod->image)
			osim_module_start(port, false);
		else
			osim_module_reset(port);
	} else if (!present && port->present) {
		port->present = false;
		osim_event_log(port, OSIM_EV_REMOVED, 0, 0, false, 0);
	}
	osim_gpio_update(port);
	mutex_unlock(&port->lock);
	return ret ? ret : count;
}

/* clock: "held" or "running"; takes "hold", "run" or "advance MS" */
static ssize_t osim_clock_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct osim_port *port = file->private_data;
	const char *s = port->clock_held ? "held\n" : "running\n";

	return simple_read_from_buffer(ubuf, count, ppos, s, strlen(s));
}

static ssize_t osim_clock_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	return osim_port_cmd(file->private_data, ubuf, count, osim_clock_set);
}

static const struct file_operations osim_clock_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = osim_clock_read,
	.write = osim_clock_write,
	.llseek = default_llseek,
};

static const struct file_operations osim_present_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = osim_present_read,
	.write = osim_present_write,
	.llseek = default_llseek,
};

static ssize_t osim_profile_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct osim_port *port = file->private_data;
	char buf[40];

	mutex_lock(&port->lock);
	snprintf(buf, sizeof(buf), "%s\n", port->profile_name);
	mutex_unlock(&port->lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, strlen(buf));
}

static ssize_t osim_profile_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct osim_port *port = file->private_data;
	char *buf = osim_get_cmd(ubuf, count);
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&port->lock);
	ret = osim_port_insert(port, strim(buf), false);
	mutex_unlock(&port->lock);
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations osim_profile_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = osim_profile_read,
	.write = osim_profile_write,
	.llseek = default_llseek,
};

/* ---- per port: image (write: load a dump; read: dump the memory map) ---- */

struct osim_image_buf {
	struct osim_port *port;
	char *text;
	size_t len;
	bool wrote;
};

static void osim_dump_page(struct seq_file *s, const u8 *data, unsigned int base)
{
	unsigned int i;

	for (i = 0; i < OSIM_PAGE_SIZE; i += 16)
		seq_printf(s, "%02x: %16ph\n", base + i, data + i);
}

static void osim_dump_target(struct seq_file *s, struct osim_target *t,
			     bool a2)
{
	struct osim_page *pg;
	unsigned long key;
	bool lower_done = false;

	xa_for_each(&t->pages, key, pg) {
		u8 bank = key >> 8, page = key & 0xff;

		seq_printf(s, "page %02x", page);
		if (bank)
			seq_printf(s, " bank %u", bank);
		if (a2)
			seq_puts(s, " i2c 51");
		seq_putc(s, '\n');
		if (!lower_done) {
			osim_dump_page(s, t->lower.data, 0);
			lower_done = true;
		}
		osim_dump_page(s, &pg->data[OSIM_PAGE_SIZE], OSIM_PAGE_SIZE);
	}
	if (!lower_done) {
		seq_printf(s, "page 00%s\n", a2 ? " i2c 51" : "");
		osim_dump_page(s, t->lower.data, 0);
	}
}

static int osim_image_show(struct seq_file *s, void *unused)
{
	struct osim_port *port = s->private;
	unsigned int i;

	mutex_lock(&port->lock);
	if (port->mod) {
		osim_module_update(port);
		seq_printf(s, "# optic_sim port %u: %s\n", port->index,
			   port->profile_name);
		for (i = 0; i < port->mod->ntargets; i++)
			osim_dump_target(s, &port->mod->tgt[i],
					 port->mod->tgt[i].addr == OSIM_ADDR_A2);
	}
	mutex_unlock(&port->lock);
	return 0;
}

static int osim_image_open(struct inode *inode, struct file *file)
{
	struct osim_image_buf *ib;
	int ret;

	if (!(file->f_mode & FMODE_WRITE))
		return single_open_size(file, osim_image_show, inode->i_private,
					64 * 1024);
	ib = kzalloc(sizeof(*ib), GFP_KERNEL);
	if (!ib)
		return -ENOMEM;
	ib->port = inode->i_private;
	ib->text = vzalloc(OSIM_IMAGE_MAX + 1);
	if (!ib->text) {
		kfree(ib);
		return -ENOMEM;
	}
	ret = nonseekable_open(inode, file);
	file->private_data = ib;
	return ret;
}

static ssize_t osim_image_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct osim_image_buf *ib = file->private_data;

	if (!(file->f_mode & FMODE_WRITE) || !ib || !ib->text)
		return -EBADF;
	if (count > OSIM_IMAGE_MAX - ib->len)
		return -EFBIG;
	if (copy_from_user(ib->text + ib->len, ubuf, count))
		return -EFAULT;
	ib->len += count;
	ib->wrote = true;
	return count;
}

/* The image is parsed when the writer closes the file (debugfs does not proxy flush). */
static int osim_image_release(struct inode *inode, struct file *file)
{
	struct osim_image_buf *ib;
	struct osim_port *port;
	int ret;

	if (!(file->f_mode & FMODE_WRITE))
		return single_release(inode, file);
	ib = file->private_data;
	port = ib->port;
	if (ib->wrote) {
		ib->text[ib->len] = '\0';
		mutex_lock(&port->lock);
		ret = osim_module_load_image(port, ib->text);
		mutex_unlock(&port->lock);
		if (ret)
			dev_warn(&port->adap.dev, "image rejected: %d\n", ret);
	}
	vfree(ib->text);
	kfree(ib);
	return 0;
}

static ssize_t osim_image_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	if (file->f_mode & FMODE_WRITE)
		return -EBADF;
	return seq_read(file, ubuf, count, ppos);
}

static const struct file_operations osim_image_fops = {
	.owner = THIS_MODULE,
	.open = osim_image_open,
	.read = osim_image_read,
	.write = osim_image_write,
	.release = osim_image_release,
	.llseek = noop_llseek,	/* no_llseek is gone in 6.12 */
};

/* ---- per port: state ---- */

static int osim_state_show(struct seq_file *s, void *unused)
{
	static const char * const spec[] = { "none", "cmis", "sff8636", "sff8472" };
	struct osim_port *port = s->private;
	struct i2c_adapter *adap = osim_port_adapter_get(port);
	struct osim_module *mod;
	unsigned int l;

	seq_printf(s, "adapter: i2c-%d\n", adap ? adap->nr : -1);
	osim_port_adapter_put(port, adap);
	if (port->root)
		seq_printf(s, "bus: %u\ncage: %u\n", port->root->index,
			   port->cage);
	mutex_lock(&port->lock);
	mod = port->mod;
	seq_printf(s, "present: %d\n", port->present);
	seq_printf(s, "profile: %s\n", port->profile_name);
	if (mod) {
		osim_module_update(port);
		seq_printf(s, "spec: %s\n", spec[mod->spec]);
		seq_printf(s, "flat: %d\n", mod->flat);
		seq_printf(s, "lanes: %u\n", mod->lanes);
		if (mod->spec == OSIM_SPEC_CMIS && !mod->image) {
			seq_printf(s, "module_state: %u\n", mod->mstate);
			seq_puts(s, "dp_state:");
			for (l = 0; l < mod->lanes; l++)
				seq_printf(s, " %u", mod->dp_state[l]);
			seq_putc(s, '\n');
		}
	}
	seq_printf(s, "intl: %d\n", osim_module_intl(port));
	seq_printf(s, "lpmode_line: %d\n", port->lpmode_line);
	seq_printf(s, "reset_line: %d\n", port->reset_line);
	mutex_unlock(&port->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(osim_state);

/* ---- per port: host lines (when not driven through the gpio_chip) ---- */

static int osim_line_get(struct osim_port *port, bool *line, u64 *val)
{
	mutex_lock(&port->lock);
	*val = *line;
	mutex_unlock(&port->lock);
	return 0;
}

static void osim_line_set(struct osim_port *port, bool *line, bool v)
{
	bool was = *line;

	*line = v;
	if (line == &port->reset_line && was && !v)
		osim_module_reset(port);	/* leaving reset: power up */
	else
		osim_module_update(port);
}

static int osim_lpmode_get(void *data, u64 *val)
{
	struct osim_port *port = data;

	return osim_line_get(port, &port->lpmode_line, val);
}

static int osim_lpmode_set(void *data, u64 val)
{
	struct osim_port *port = data;

	mutex_lock(&port->lock);
	osim_line_set(port, &port->lpmode_line, !!val);
	mutex_unlock(&port->lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(osim_lpmode_fops, osim_lpmode_get, osim_lpmode_set,
			 "%llu\n");

static int osim_reset_get(void *data, u64 *val)
{
	struct osim_port *port = data;

	return osim_line_get(port, &port->reset_line, val);
}

static int osim_reset_set(void *data, u64 val)
{
	struct osim_port *port = data;

	mutex_lock(&port->lock);
	osim_line_set(port, &port->reset_line, !!val);
	mutex_unlock(&port->lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(osim_reset_fops, osim_reset_get, osim_reset_set,
			 "%llu\n");

static int osim_temp_load_get(void *data, u64 *val)
{
	struct osim_port *port = data;

	*val = (u64)(s64)port->temp_load_mc;
	return 0;
}

static int osim_temp_load_set(void *data, u64 val)
{
	struct osim_port *port = data;

	mutex_lock(&port->lock);
	port->temp_load_mc = (s32)val;
	osim_module_update(port);
	mutex_unlock(&port->lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE_SIGNED(osim_temp_load_fops, osim_temp_load_get,
				osim_temp_load_set, "%lld\n");

/* ---- per port: counters ---- */

static int osim_counters_show(struct seq_file *s, void *unused)
{
	struct osim_port *port = s->private;
	struct osim_counters c;

	mutex_lock(&port->lock);
	c = port->cnt;
	mutex_unlock(&port->lock);
	seq_printf(s, "transactions %llu\nbytes_read %llu\nbytes_written %llu\n",
		   c.transactions, c.bytes_read, c.bytes_written);
	seq_printf(s, "page_selects %llu\nnacks %llu\nbus_time_ns %llu\n",
		   c.page_selects, c.nacks, c.bus_time_ns);
	return 0;
}

static int osim_counters_open(struct inode *inode, struct file *file)
{
	return single_open(file, osim_counters_show, inode->i_private);
}

static ssize_t osim_counters_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct osim_port *port = ((struct seq_file *)file->private_data)->private;

	mutex_lock(&port->lock);
	memset(&port->cnt, 0, sizeof(port->cnt));
	mutex_unlock(&port->lock);
	return count;
}

static const struct file_operations osim_counters_fops = {
	.owner = THIS_MODULE,
	.open = osim_counters_open,
	.read = seq_read,
	.write = osim_counters_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* ---- per port: monitors ---- */

static const char * const osim_mon_names[OSIM_MON_NR] = {
	[OSIM_MON_TEMP] = "temp",
	[OSIM_MON_VCC] = "vcc",
	[OSIM_MON_BIAS] = "bias",
	[OSIM_MON_TXPWR] = "tx_power",
	[OSIM_MON_RXPWR] = "rx_power",
};

static int osim_monitor_show(struct seq_file *s, void *unused)
{
	struct osim_port *port = s->private;
	unsigned int id, l, lanes;

	mutex_lock(&port->lock);
	if (!port->mod)
		goto out;
	seq_puts(s, "# monitor lane value drift drift_ppm drift_mdb noise offset\n");
	for (id = 0; id < OSIM_MON_NR; id++) {
		lanes = id <= OSIM_MON_VCC ? 1 : port->mod->lanes;
		for (l = 0; l < lanes; l++) {
			const struct osim_mon *m = &port->mod->mon[id][l];

			seq_printf(s, "%s %u %lld %lld %lld %lld %lld %lld\n",
				   osim_mon_names[id], l, m->value, m->drift,
				   m->drift_ppm, m->drift_mdb, m->noise,
				   m->offset);
		}
	}
out:
	mutex_unlock(&port->lock);
	return 0;
}

/* "set|step|drift|drift_ppm|drift_mdb|noise|offset MONITOR LANE|all VALUE" */
static int osim_monitor_cmd(struct osim_port *port, char *cmd)
{
	char *verb, *name, *lane_s, *val_s;
	unsigned int id, l, from = 0, to = OSIM_MAX_LANES - 1;
	s64 val;

	verb = strsep(&cmd, " \t");
	name = strsep(&cmd, " \t");
	lane_s = strsep(&cmd, " \t");
	val_s = strim(cmd ? cmd : "");
	if (!verb || !name || !lane_s || !*val_s)
		return -EINVAL;
	for (id = 0; id < OSIM_MON_NR; id++)
		if (!strcmp(name, osim_mon_names[id]))
			break;
	if (id == OSIM_MON_NR)
		return -EINVAL;
	if (strcmp(lane_s, "all")) {
		if (kstrtouint(lane_s, 0, &from) || from >= OSIM_MAX_LANES)
			return -EINVAL;
		to = from;
	}
	if (kstrtos64(val_s, 0, &val))
		return -EINVAL;
	if (!port->mod)
		return -ENODEV;
	/* lanes 0-7 on every module (as before banks), more on a banked one */
	if (from >= max_t(unsigned int, port->mod->lanes, OSIM_LANES_PER_BANK))
		return -EINVAL;
	/* fold the drift so far into the set points: a change applies from now */
	osim_mon_rebase(port);
	for (l = from; l <= to; l++) {
		struct osim_mon *m = &port->mod->mon[id][l];

		if (!strcmp(verb, "set"))
			m->value = val;
		else if (!strcmp(verb, "step"))
			m->value += val;
		else if (!strcmp(verb, "drift"))
			m->drift = val;
		else if (!strcmp(verb, "drift_ppm"))
			m->drift_ppm = val;
		else if (!strcmp(verb, "drift_mdb"))
			m->drift_mdb = val;
		else if (!strcmp(verb, "noise"))
			m->noise = val;
		else if (!strcmp(verb, "offset"))
			m->offset = val;
		else
			return -EINVAL;
	}
	port->mod->image = false;	/* a knob makes an image's monitors live */
	osim_module_update(port);
	return 0;
}

OSIM_KNOB_FOPS(osim_monitor, osim_monitor_show, osim_monitor_cmd);

/* ---- per port: bit error ratio of the lanes' links (diag.c) ---- */

static int osim_ber_open_show(struct seq_file *s, void *unused)
{
	struct osim_port *port = s->private;

	mutex_lock(&port->lock);
	osim_ber_show(s, port);
	mutex_unlock(&port->lock);
	return 0;
}

OSIM_KNOB_FOPS(osim_ber, osim_ber_open_show, osim_ber_cmd);

/* ---- xfer: real transfers through the i2c core for tests ---- */

struct osim_xfer_res {
	int ret;
	unsigned int len;
	u8 data[256];
};

/*
 * "ADDR OFFSET r LEN"          i2c_transfer: write offset, repeated start, read
 * "ADDR OFFSET w BYTE..."      i2c_transfer: one write message
 * "ADDR OFFSET sb"             SMBus read byte data
 * "ADDR OFFSET sw BYTE"        SMBus write byte data
 * "ADDR OFFSET sr LEN"         SMBus read I2C block data (LEN <= 32)
 * "ADDR OFFSET sW BYTE..."     SMBus write I2C block data
 */
static int osim_xfer_cmd(struct i2c_adapter *adap, char *cmd,
			 struct osim_xfer_res *res)
{
	union i2c_smbus_data sd;
	u8 wbuf[1 + 255];
	struct i2c_msg msgs[2];
	unsigned int addr, off, len = 0, v;
	char *tok, *mode;
	int n = 0, ret;

	tok = strsep(&cmd, " \t");
	if (!tok || kstrtouint(tok, 16, &addr) || addr > 0x7f)
		return -EINVAL;
	tok = strsep(&cmd, " \t");
	if (!tok || kstrtouint(tok, 16, &off) || off > 255)
		return -EINVAL;
	mode = strsep(&cmd, " \t");
	if (!mode)
		return -EINVAL;
	if (!strcmp(mode, "r") || !strcmp(mode, "sr")) {
		if (!cmd || kstrtouint(strim(cmd), 10, &len) || !len ||
		    len > 256)
			return -EINVAL;
		cmd = NULL;
	}
	while ((tok = strsep(&cmd, " \t"))) {
		if (!*tok)
			continue;
		if (kstrtouint(tok, 16, &v) || v > 255 || n >= 255)
			return -EINVAL;
		wbuf[1 + n++] = v;
	}
	wbuf[0] = off;
	memset(res, 0, sizeof(*res));

	if (!strcmp(mode, "r")) {
		msgs[0] = (struct i2c_msg){ .addr = addr, .len = 1, .buf = wbuf };
		msgs[1] = (struct i2c_msg){ .addr = addr, .flags = I2C_M_RD,
					    .len = len, .buf = res->data };
		ret = i2c_transfer(adap, msgs, 2);
		res->len = ret == 2 ? len : 0;
	} else if (!strcmp(mode, "w")) {
		msgs[0] = (struct i2c_msg){ .addr = addr, .len = 1 + n,
					    .buf = wbuf };
		ret = i2c_transfer(adap, msgs, 1);
	} else if (!strcmp(mode, "sb")) {
		ret = i2c_smbus_xfer(adap, addr, 0, I2C_SMBUS_READ, off,
				     I2C_SMBUS_BYTE_DATA, &sd);
		if (!ret) {
			res->data[0] = sd.byte;
			res->len = 1;
		}
	} else if (!strcmp(mode, "sw") && n == 1) {
		sd.byte = wbuf[1];
		ret = i2c_smbus_xfer(adap, addr, 0, I2C_SMBUS_WRITE, off,
				     I2C_SMBUS_BYTE_DATA, &sd);
	} else if (!strcmp(mode, "sr")) {
		if (len > I2C_SMBUS_BLOCK_MAX)
			return -EINVAL;
		sd.block[0] = len;
		ret = i2c_smbus_xfer(adap, addr, 0, I2C_SMBUS_READ, off,
				     I2C_SMBUS_I2C_BLOCK_DATA, &sd);
		if (!ret) {
			memcpy(res->data, &sd.block[1], len);
			res->len = len;
		}
	} else if (!strcmp(mode, "sW") && n >= 1 && n <= I2C_SMBUS_BLOCK_MAX) {
		sd.block[0] = n;
		memcpy(&sd.block[1], &wbuf[1], n);
		ret = i2c_smbus_xfer(adap, addr, 0, I2C_SMBUS_WRITE, off,
				     I2C_SMBUS_I2C_BLOCK_DATA, &sd);
	} else {
		return -EINVAL;
	}
	res->ret = ret < 0 ? ret : 0;
	return 0;
}

/* Run the command on the slot's adapter (a port's: its mux channel). */
static ssize_t osim_xfer_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct osim_xfer_slot *slot = file->private_data;
	struct i2c_adapter *adap;
	struct osim_xfer_res *res;
	char *buf;
	int ret;

	buf = osim_get_cmd(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	res = kzalloc(sizeof(*res), GFP_KERNEL);
	adap = slot->port ? osim_port_adapter_get(slot->port) : slot->adap;
	if (!res || !adap)
		ret = res ? -ENODEV : -ENOMEM;	/* ENODEV: no mux driver yet */
	else
		ret = osim_xfer_cmd(adap, strim(buf), res);
	if (slot->port)
		osim_port_adapter_put(slot->port, adap);
	kfree(buf);
	if (ret) {
		kfree(res);
		return ret;
	}
	mutex_lock(&slot->lock);
	kfree(slot->res);
	slot->res = res;
	mutex_unlock(&slot->lock);
	return count;
}

/* Last result: "ok" and the bytes read in hex, or "error -ERRNO". */
static ssize_t osim_xfer_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct osim_xfer_slot *slot = file->private_data;
	struct osim_xfer_res *res;
	char *out;
	size_t n = 0;
	unsigned int i;
	ssize_t ret;

	out = kzalloc(1024, GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	mutex_lock(&slot->lock);
	res = slot->res;
	if (!res) {
		n = scnprintf(out, 1024, "none\n");
	} else if (res->ret) {
		n = scnprintf(out, 1024, "error %d\n", res->ret);
	} else {
		n = scnprintf(out, 1024, "ok");
		for (i = 0; i < res->len; i++)
			n += scnprintf(out + n, 1024 - n, " %02x", res->data[i]);
		n += scnprintf(out + n, 1024 - n, "\n");
	}
	mutex_unlock(&slot->lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, out, n);
	kfree(out);
	return ret;
}

static const struct file_operations osim_xfer_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = osim_xfer_read,
	.write = osim_xfer_write,
	.llseek = default_llseek,
};

static void osim_xfer_slot_add(struct dentry *d, struct osim_xfer_slot *slot,
			       struct osim_port *port, struct i2c_adapter *adap)
{
	mutex_init(&slot->lock);
	slot->port = port;
	slot->adap = adap;
	debugfs_create_file("xfer", 0600, d, slot, &osim_xfer_fops);
}

static void osim_xfer_slot_del(struct osim_xfer_slot *slot)
{
	kfree(slot->res);
	slot->res = NULL;
}

void osim_debugfs_port_add(struct osim_port *port)
{
	struct dentry *d;
	char name[16];

	snprintf(name, sizeof(name), "port%u", port->index);
	d = debugfs_create_dir(name, osim_root);
	port->dir = d;
	debugfs_create_file("present", 0600, d, port, &osim_present_fops);
	debugfs_create_file("clock", 0600, d, port, &osim_clock_fops);
	debugfs_create_file("profile", 0600, d, port, &osim_profile_fops);
	debugfs_create_file("image", 0600, d, port, &osim_image_fops);
	debugfs_create_file("state", 0400, d, port, &osim_state_fops);
	debugfs_create_file("monitor", 0600, d, port, &osim_monitor_fops);
	debugfs_create_file("ber", 0600, d, port, &osim_ber_fops);
	debugfs_create_file("counters", 0600, d, port, &osim_counters_fops);
	osim_xfer_slot_add(d, &port->xfer, port, NULL);
	debugfs_create_file("lpmode", 0600, d, port, &osim_lpmode_fops);
	debugfs_create_file("reset", 0600, d, port, &osim_reset_fops);
	debugfs_create_u64("transactions", 0600, d, &port->cnt.transactions);
	debugfs_create_u64("bytes_read", 0600, d, &port->cnt.bytes_read);
	debugfs_create_u64("bytes_written", 0600, d, &port->cnt.bytes_written);
	debugfs_create_u64("page_selects", 0600, d, &port->cnt.page_selects);
	debugfs_create_u64("nacks", 0600, d, &port->cnt.nacks);
	debugfs_create_u64("bus_time_ns", 0600, d, &port->cnt.bus_time_ns);
	debugfs_create_u32("clock_hz", 0600, d, &port->clock_hz);
	debugfs_create_bool("realtime", 0600, d, &port->realtime);
	debugfs_create_u32("time_scale", 0600, d, &port->time_scale);
	debugfs_create_u32("mon_accel", 0600, d, &port->mon_accel);
	debugfs_create_u32("mon_interval_ms", 0600, d, &port->mon_interval_ms);
	debugfs_create_file("temp_load_mc", 0600, d, port, &osim_temp_load_fops);
	debugfs_create_u32("init_ms", 0600, d, &port->init_ms);
	debugfs_create_u32("fault_nack_next", 0600, d, &port->faults.nack_next);
	debugfs_create_bool("fault_dead", 0600, d, &port->faults.dead);
	debugfs_create_u32("fault_timeout", 0600, d, &port->faults.timeout_ms);
	debugfs_create_u32("fault_config_reject", 0600, d,
			   &port->faults.config_reject);
	debugfs_create_u32("fault_corrupt", 0600, d, &port->faults.corrupt);
	debugfs_create_bool("fault_stuck_fault", 0600, d,
			    &port->faults.stuck_fault);
	debugfs_create_u32("fault_slow_write", 0600, d,
			   &port->faults.slow_write);
	debugfs_create_bool("fw_check", 0600, d, &port->faults.fw_check);
	debugfs_create_u32("fault_drop_page_select", 0600, d,
			   &port->faults.drop_page_select);
}

void osim_debugfs_port_del(struct osim_port *port)
{
	debugfs_remove(port->dir);
	port->dir = NULL;
	osim_xfer_slot_del(&port->xfer);
}

/* ---- per root bus (buses=N) ---- */

static int osim_root_counters_show(struct seq_file *s, void *unused)
{
	struct osim_root *root = s->private;
	struct osim_root_counters c;
	u64 ppm;

	mutex_lock(&root->lock);
	c = root->cnt;
	ppm = osim_root_utilisation_ppm(root);
	mutex_unlock(&root->lock);
	seq_printf(s, "transactions %llu\nbytes_read %llu\nbytes_written %llu\n",
		   c.transactions, c.bytes_read, c.bytes_written);
	seq_printf(s, "mux_writes %llu\nmux_reads %llu\nnacks %llu\n",
		   c.mux_writes, c.mux_reads, c.nacks);
	seq_printf(s, "collisions %llu\nbus_time_ns %llu\nutilisation_ppm %llu\n",
		   c.collisions, c.bus_time_ns, ppm);
	return 0;
}

static int osim_root_counters_open(struct inode *inode, struct file *file)
{
	return single_open(file, osim_root_counters_show, inode->i_private);
}

static ssize_t osim_root_counters_write(struct file *file,
					const char __user *ubuf, size_t count,
					loff_t *ppos)
{
	struct osim_root *root = ((struct seq_file *)file->private_data)->private;

	mutex_lock(&root->lock);
	osim_root_counters_zero(root);
	mutex_unlock(&root->lock);
	return count;
}

static const struct file_operations osim_root_counters_fops = {
	.owner = THIS_MODULE,
	.open = osim_root_counters_open,
	.read = seq_read,
	.write = osim_root_counters_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* mux: "ADDR VALUE" per chip (hex), the control registers in effect. */
static int osim_root_mux_show(struct seq_file *s, void *unused)
{
	struct osim_root *root = s->private;
	unsigned int k;

	mutex_lock(&root->lock);
	for (k = 0; k < root->nchips; k++)
		seq_printf(s, "%02x %02x\n", OSIM_MUX_ADDR + k, root->reg[k]);
	mutex_unlock(&root->lock);
	return 0;
}

static int osim_root_mux_open(struct inode *inode, struct file *file)
{
	return single_open(file, osim_root_mux_show, inode->i_private);
}

/* Write "ADDR VALUE" (hex): set a register behind the driver's back. */
static ssize_t osim_root_mux_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct osim_root *root = ((struct seq_file *)file->private_data)->private;
	unsigned int addr, val;
	char *buf = osim_get_cmd(ubuf, count);
	int ret = -EINVAL;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (sscanf(buf, "%x %x", &addr, &val) == 2 && val <= 0xff &&
	    addr >= OSIM_MUX_ADDR && addr < OSIM_MUX_ADDR + root->nchips) {
		mutex_lock(&root->lock);
		root->reg[addr - OSIM_MUX_ADDR] = val;
		mutex_unlock(&root->lock);
		ret = 0;
	}
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations osim_root_mux_fops = {
	.owner = THIS_MODULE,
	.open = osim_root_mux_open,
	.read = seq_read,
	.write = osim_root_mux_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void osim_debugfs_root_add(struct osim_root *root)
{
	struct dentry *d;
	char name[16];

	snprintf(name, sizeof(name), "bus%u", root->index);
	d = debugfs_create_dir(name, osim_root);
	root->dir = d;
	debugfs_create_file("counters", 0600, d, root, &osim_root_counters_fops);
	debugfs_create_file("mux", 0600, d, root, &osim_root_mux_fops);
	osim_xfer_slot_add(d, &root->xfer, NULL, &root->adap);
	debugfs_create_u64("collisions", 0600, d, &root->cnt.collisions);
	debugfs_create_u64("bus_time_ns", 0600, d, &root->cnt.bus_time_ns);
	debugfs_create_u32("clock_hz", 0600, d, &root->clock_hz);
	debugfs_create_bool("realtime", 0600, d, &root->realtime);
	debugfs_create_bool("smbus_only", 0400, d, &root->smbus_only);
}

void osim_debugfs_root_del(struct osim_root *root)
{
	debugfs_remove(root->dir);
	root->dir = NULL;
	osim_xfer_slot_del(&root->xfer);
}

void osim_debugfs_init(void)
{
	osim_root = debugfs_create_dir("optic_sim", NULL);
	debugfs_create_file("new_port", 0200, osim_root, NULL,
			    &osim_new_port_fops);
	debugfs_create_file("del_port", 0200, osim_root, NULL,
			    &osim_del_port_fops);
	debugfs_create_file("profiles", 0400, osim_root, NULL,
			    &osim_profiles_fops);
	osim_events_debugfs(osim_root);
}

void osim_debugfs_exit(void)
{
	debugfs_remove(osim_root);
}
