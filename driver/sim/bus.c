// SPDX-License-Identifier: GPL-2.0
/*
 * optic_sim: one struct i2c_adapter per port. Plain I2C (combined
 * write-read) and native SMBus byte/word/I2C-block transfers, with fault
 * injection and bus accounting (transactions, bytes, modelled bus time).
 * The transaction on a module and the SMBus translation are shared with
 * the root buses of mux.c.
 */
#include <linux/delay.h>
#include <linux/i2c.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/module.h>

#include "sim.h"

/*
 * Bits on the wire: each message costs a START (or repeated START), the
 * address byte and its ACK (9 bits), then 9 bits per data byte (8 + ACK);
 * one STOP ends the transaction. START and STOP are counted as one bit time
 * each. @done is the number of data bytes that made it onto the wire in the
 * last message (all of them for the others); -1 means the last message was
 * NACKed at its address.
 */
u64 osim_bus_bits(const struct i2c_msg *msgs, int num, int done)
{
	u64 bits = 1;	/* STOP */
	int i;

	for (i = 0; i < num; i++) {
		bits += 1 + 9;
		if (i < num - 1)
			bits += 9ULL * msgs[i].len;
		else if (done > 0)
			bits += 9ULL * done;
	}
	return bits;
}

u64 osim_bits_ns(u64 bits, u32 clock_hz)
{
	return div_u64(bits * NSEC_PER_SEC, clock_hz ? clock_hz : 1);
}

/*
 * Wait out a held bus, or (realtime) the modelled time of a transfer. A
 * controller's completion interrupt ends a transfer at its last bit, so the
 * wait is a tight range: fsleep() allows up to twice the time
 * (usleep_range(t, 2 * t)), and a quiet machine wakes at the range's end.
 */
void osim_wire_wait(u32 hold_ms, u64 ns)
{
	unsigned long us = div_u64(ns, NSEC_PER_USEC);

	if (hold_ms)
		msleep(hold_ms);
	else if (us > 10)
		usleep_range(us, us + us / 64 + 1);
	else if (us)
		udelay(us);
}

static bool osim_nack_now(struct osim_port *port)
{
	struct osim_faults *f = &port->faults;

	if (f->dead)
		return true;
	if (f->nack_next) {
		f->nack_next--;
		return true;
	}
	/* switching fault_slow_write off (or lower) cuts a pending slow write */
	f->slow_pending = min(f->slow_pending, f->slow_write);
	if (f->slow_pending) {
		f->slow_pending--;
		return true;
	}
	if (!port->present || !port->mod || port->reset_line)
		return true;
	/* still initialising after a reset or a plug: no answer yet */
	return port->mod->init_until &&
	       ktime_before(osim_clock(port), port->mod->init_until);
}

/* Run @num messages; called with port->lock held. Returns num or -errno. */
static int osim_run(struct osim_port *port, struct i2c_msg *msgs, int num,
		    u64 *bits)
{
	struct osim_module *mod = port->mod;
	bool wrote = false, corrupt = false, cleared = false;
	unsigned int max;
	int i, j;

	if (osim_nack_now(port)) {
		port->cnt.nacks++;
		*bits = osim_bus_bits(msgs, 1, -1);
		return -ENXIO;
	}
	osim_module_sync(port);
	if (port->faults.corrupt) {
		for (i = 0; i < num; i++)
			if (msgs[i].flags & I2C_M_RD)
				corrupt = true;
		if (corrupt)
			port->faults.corrupt--;
	}

	for (i = 0; i < num; i++) {
		struct i2c_msg *m = &msgs[i];
		struct osim_target *t = NULL;

		if (!(m->flags & I2C_M_TEN))
			t = osim_target_find(mod, m->addr);
		if (!t) {
			port->cnt.nacks++;
			*bits = osim_bus_bits(msgs, i + 1, -1);
			goto nacked;
		}
		if (m->flags & I2C_M_RECV_LEN) {
			*bits = osim_bus_bits(msgs, i + 1, 0);
			return -EOPNOTSUPP;
		}
		if (m->flags & I2C_M_RD) {
			cleared |= osim_module_read(port, t, m->buf, m->len);
			for (j = 0; corrupt && j < m->len; j++)
				m->buf[j] ^= 0xff;
			port->cnt.bytes_read += m->len;
			continue;
		}
		if (!m->len)
			continue;	/* quick write: address ACK only */
		t->ptr = m->buf[0];
		max = osim_write_max(mod, t, t->ptr);
		port->cnt.bytes_written++;
		for (j = 1; j < m->len; j++) {
			if (j > max) {
				/* the module NACKs the first byte past the limit */
				port->cnt.nacks++;
				*bits = osim_bus_bits(msgs, i + 1, j + 1);
				if (wrote)
					osim_module_written(port);
				return -EIO;
			}
			if (t->ptr == 127 && t->paged)
				port->cnt.page_selects++;
			osim_module_write(port, t, t->ptr++, m->buf[j]);
			port->cnt.bytes_written++;
			wrote = true;
		}
	}
	*bits = osim_bus_bits(msgs, num, msgs[num - 1].len);
	if (wrote) {
		osim_module_written(port);
		port->faults.slow_pending = port->faults.slow_write;
	} else if (cleared) {
		/*
		 * A latched flag read clears; a condition that persists sets
		 * it again at once, so IntL stays asserted (no new edge).
		 */
		osim_module_relatch(port);
	}
	return num;

nacked:
	if (wrote)
		osim_module_written(port);
	else
		osim_module_intl_update(port);
	return -ENXIO;
}

/*
 * One transaction on @port's module, counted and timed at the port's
 * clock; *@hold_ms is how long the module holds the bus (the transaction
 * then fails, nothing ran). Caller holds port->lock.
 */
int osim_port_transfer(struct osim_port *port, struct i2c_msg *msgs, int num,
		       u64 *bits, u32 *hold_ms)
{
	int ret;

	port->cnt.transactions++;
	*bits = 0;
	*hold_ms = port->faults.timeout_ms;
	if (*hold_ms) {
		/* the module stretches SCL: the bus is held, then we give up */
		port->cnt.bus_time_ns += (u64)*hold_ms * NSEC_PER_MSEC;
		return -ETIMEDOUT;
	}
	ret = osim_run(port, msgs, num, bits);
	port->cnt.bus_time_ns += osim_bits_ns(*bits, port->clock_hz);
	return ret;
}

static int osim_xfer(void *ctx, struct i2c_msg *msgs, int num)
{
	struct osim_port *port = ctx;
	u32 hold_ms;
	u64 bits, ns;
	int ret;

	if (num <= 0)
		return -EINVAL;

	mutex_lock(&port->lock);
	ret = osim_port_transfer(port, msgs, num, &bits, &hold_ms);
	ns = port->realtime ? osim_bits_ns(bits, port->clock_hz) : 0;
	mutex_unlock(&port->lock);
	osim_wire_wait(hold_ms, ns);
	return ret;
}

static int osim_master_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs,
			    int num)
{
	return osim_xfer(i2c_get_adapdata(adap), msgs, num);
}

/*
 * An SMBus command as the messages it puts on the wire, run by @xfer.
 * Quick, byte, byte data, word data and I2C block data are native; the
 * others (and PEC) are left to the i2c core's emulation.
 */
int osim_smbus(u16 addr, unsigned short flags, char read_write, u8 command,
	       int size, union i2c_smbus_data *data,
	       int (*xfer)(void *ctx, struct i2c_msg *msgs, int num), void *ctx)
{
	u8 wbuf[I2C_SMBUS_BLOCK_MAX + 2];
	u8 rbuf[I2C_SMBUS_BLOCK_MAX];
	struct i2c_msg msgs[2] = {
		{ .addr = addr, .flags = 0, .len = 1, .buf = wbuf },
		{ .addr = addr, .flags = I2C_M_RD, .len = 0, .buf = rbuf },
	};
	bool rd = read_write == I2C_SMBUS_READ;
	int num = 2, ret, i;

	if (flags & (I2C_CLIENT_PEC | I2C_CLIENT_TEN))
		return -EOPNOTSUPP;	/* the core emulates these */
	wbuf[0] = command;
	switch (size) {
	case I2C_SMBUS_QUICK:
		msgs[0].len = 0;
		msgs[0].flags = rd ? I2C_M_RD : 0;
		num = 1;
		break;
	case I2C_SMBUS_BYTE:
		if (rd) {
			msgs[0].flags = I2C_M_RD;
			msgs[0].buf = rbuf;
		}
		num = 1;
		break;
	case I2C_SMBUS_BYTE_DATA:
		if (rd) {
			msgs[1].len = 1;
		} else {
			wbuf[1] = data->byte;
			msgs[0].len = 2;
			num = 1;
		}
		break;
	case I2C_SMBUS_WORD_DATA:
		if (rd) {
			msgs[1].len = 2;
		} else {
			wbuf[1] = data->word & 0xff;
			wbuf[2] = data->word >> 8;
			msgs[0].len = 3;
			num = 1;
		}
		break;
	case I2C_SMBUS_I2C_BLOCK_DATA:
		if (data->block[0] > I2C_SMBUS_BLOCK_MAX)
			return -EINVAL;
		if (rd) {
			msgs[1].len = data->block[0];
		} else {
			memcpy(&wbuf[1], &data->block[1], data->block[0]);
			msgs[0].len = 1 + data->block[0];
			num = 1;
		}
		break;
	default:
		return -EOPNOTSUPP;	/* the core emulates these */
	}

	ret = xfer(ctx, msgs, num);
	if (ret < 0)
		return ret;
	if (!rd)
		return 0;
	switch (size) {
	case I2C_SMBUS_BYTE:
		data->byte = rbuf[0];
		break;
	case I2C_SMBUS_BYTE_DATA:
		data->byte = rbuf[0];
		break;
	case I2C_SMBUS_WORD_DATA:
		data->word = rbuf[0] | (rbuf[1] << 8);
		break;
	case I2C_SMBUS_I2C_BLOCK_DATA:
		for (i = 0; i < data->block[0]; i++)
			data->block[i + 1] = rbuf[i];
		break;
	}
	return 0;
}

static int osim_smbus_xfer(struct i2c_adapter *adap, u16 addr,
			   unsigned short flags, char read_write, u8 command,
			   int size, union i2c_smbus_data *data)
{
	return osim_smbus(addr, flags, read_write, command, size, data,
			  osim_xfer, i2c_get_adapdata(adap));
}

static u32 osim_functionality(struct i2c_adapter *adap)
{
	return I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL;
}

static const struct i2c_algorithm osim_algo = {
	.master_xfer = osim_master_xfer,
	.smbus_xfer = osim_smbus_xfer,
	.functionality = osim_functionality,
};

int osim_bus_add(struct osim_port *port)
{
	struct i2c_adapter *adap = &port->adap;

	adap->owner = THIS_MODULE;
	adap->algo = &osim_algo;
	adap->timeout = HZ;
	snprintf(adap->name, sizeof(adap->name), "optic_sim port %u",
		 port->index);
	i2c_set_adapdata(adap, port);
	return i2c_add_adapter(adap);
}

void osim_bus_del(struct osim_port *port)
{
	i2c_del_adapter(&port->adap);
}
