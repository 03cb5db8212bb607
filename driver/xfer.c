// SPDX-License-Identifier: GPL-2.0
/*
 * optic: transfers, the bottom layer: one I2C or SMBus read or write of a
 * module's memory, in the mode the adapter offers (I2C, SMBus I2C block,
 * SMBus byte).
 */
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "optic.h"

static unsigned int xfer_mode;
module_param(xfer_mode, uint, 0444);
MODULE_PARM_DESC(xfer_mode,
		 "Bus access: 0 best the adapter offers (default), 1 I2C, 2 SMBus I2C block, 3 SMBus byte");

int optic_xfer_init(struct optic_module *mod)
{
	struct i2c_adapter *adap = mod->client->adapter;
	unsigned int mode = xfer_mode;

	if ((!mode || mode == 1) && i2c_check_functionality(adap, I2C_FUNC_I2C)) {
		mod->xfer = OPTIC_XFER_I2C;
		mod->read_max = OPTIC_PAGE_LEN;
		if (adap->quirks && adap->quirks->max_read_len)
			mod->read_max = min_t(unsigned int, mod->read_max,
					      adap->quirks->max_read_len);
		if (adap->quirks && adap->quirks->max_comb_2nd_msg_len)
			mod->read_max = min_t(unsigned int, mod->read_max,
					      adap->quirks->max_comb_2nd_msg_len);
	} else if ((!mode || mode == 2) &&
		   i2c_check_functionality(adap, I2C_FUNC_SMBUS_READ_I2C_BLOCK |
					   I2C_FUNC_SMBUS_WRITE_I2C_BLOCK)) {
		mod->xfer = OPTIC_XFER_SMBUS_BLOCK;
		mod->read_max = I2C_SMBUS_BLOCK_MAX;
	} else if ((!mode || mode == 3) &&
		   i2c_check_functionality(adap, I2C_FUNC_SMBUS_BYTE_DATA)) {
		mod->xfer = OPTIC_XFER_SMBUS_BYTE;
		mod->read_max = 1;
	} else {
		return -EOPNOTSUPP;
	}
	if (!mod->read_max)
		mod->read_max = 1;
	mod->cur_page[0] = -1;
	mod->cur_page[1] = -1;
	mod->cur_bank = -1;
	return 0;
}

struct i2c_client *optic_client(struct optic_module *mod, u8 i2c_addr)
{
	return i2c_addr == OPTIC_ADDR_A2 ? mod->a2 : mod->client;
}

/* One read transfer of at most mod->read_max bytes. */
int optic_xfer_read(struct optic_module *mod, struct i2c_client *client,
		    u8 off, u8 *buf, size_t chunk)
{
	int ret;

	switch (mod->xfer) {
	case OPTIC_XFER_I2C: {
		struct i2c_msg msgs[2] = {
			{ .addr = client->addr, .len = 1, .buf = &off },
			{ .addr = client->addr, .flags = I2C_M_RD,
			  .len = chunk, .buf = buf },
		};

		ret = i2c_transfer(client->adapter, msgs, 2);
		if (ret >= 0)
			ret = ret == 2 ? 0 : -EIO;
		return ret;
	}
	case OPTIC_XFER_SMBUS_BLOCK:
		ret = i2c_smbus_read_i2c_block_data(client, off, chunk, buf);
		if (ret >= 0)
			ret = ret == chunk ? 0 : -EIO;
		return ret;
	default:
		ret = i2c_smbus_read_byte_data(client, off);
		if (ret < 0)
			return ret;
		*buf = ret;
		return 0;
	}
}

/* One write transfer; SMBus modes carry at most 32 bytes (block) or 1. */
int optic_xfer_write(struct optic_module *mod, struct i2c_client *client,
		     unsigned int offset, const u8 *buf, size_t len)
{
	u8 msgbuf[1 + OPTIC_PAGE_LEN];
	int ret;

	switch (mod->xfer) {
	case OPTIC_XFER_I2C: {
		struct i2c_msg msg = {
			.addr = client->addr, .len = len + 1, .buf = msgbuf,
		};

		msgbuf[0] = offset;
		memcpy(msgbuf + 1, buf, len);
		ret = i2c_transfer(client->adapter, &msg, 1);
		if (ret >= 0)
			ret = ret == 1 ? 0 : -EIO;
		return ret;
	}
	case OPTIC_XFER_SMBUS_BLOCK:
		return i2c_smbus_write_i2c_block_data(client, offset, len, buf);
	default:
		return i2c_smbus_write_byte_data(client, offset, *buf);
	}
}
