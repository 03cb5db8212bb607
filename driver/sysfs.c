// SPDX-License-Identifier: GPL-2.0
/*
 * optic: class "optic", one device per cage, /sys/class/optic/<port_name>/.
 * Attributes are documented in docs/ABI/testing/sysfs-class-optic.
 */
#include <linux/capability.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "optic.h"

/* A string of struct optic_ident, shown by optic_str_show(). */
struct optic_str_attr {
	struct device_attribute attr;
	size_t offset;
};

/* Show a string of the identity; -ENXIO when the cage is empty. */
static ssize_t optic_str_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	size_t off = container_of(attr, struct optic_str_attr, attr)->offset;
	ssize_t ret;

	mutex_lock(&mod->lock);
	ret = optic_ensure_identified(mod);
	if (!ret)
		ret = sysfs_emit(buf, "%s\n", (char *)&mod->ident + off);
	mutex_unlock(&mod->lock);
	return ret;
}

static struct optic_str_attr optic_str_attrs[] = {
	{ __ATTR(vendor_name, 0444, optic_str_show, NULL),
	  offsetof(struct optic_ident, vendor_name) },
	{ __ATTR(vendor_pn, 0444, optic_str_show, NULL),
	  offsetof(struct optic_ident, vendor_pn) },
	{ __ATTR(vendor_sn, 0444, optic_str_show, NULL),
	  offsetof(struct optic_ident, vendor_sn) },
	{ __ATTR(vendor_rev, 0444, optic_str_show, NULL),
	  offsetof(struct optic_ident, vendor_rev) },
	{ __ATTR(date_code, 0444, optic_str_show, NULL),
	  offsetof(struct optic_ident, date_code) },
};

static ssize_t identifier_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	ssize_t ret;

	mutex_lock(&mod->lock);
	ret = optic_ensure_identified(mod);
	if (!ret)
		ret = sysfs_emit(buf, "0x%02x\n", mod->ident.id);
	mutex_unlock(&mod->lock);
	return ret;
}
static DEVICE_ATTR_RO(identifier);

static const char * const optic_spec_names[] = {
	[OPTIC_SPEC_UNKNOWN] = "unknown",
	[OPTIC_SPEC_CMIS] = "cmis",
	[OPTIC_SPEC_SFF8636] = "sff8636",
	[OPTIC_SPEC_SFF8472] = "sff8472",
};

static ssize_t spec_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	ssize_t ret;

	mutex_lock(&mod->lock);
	ret = optic_ensure_identified(mod);
	if (!ret)
		ret = sysfs_emit(buf, "%s\n",
				 optic_spec_names[mod->ident.spec]);
	mutex_unlock(&mod->lock);
	return ret;
}
static DEVICE_ATTR_RO(spec);

/* 1 when the identity checksums match (optic_identify()). */
static ssize_t checksum_ok_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	ssize_t ret;

	mutex_lock(&mod->lock);
	ret = optic_ensure_identified(mod);
	if (!ret)
		ret = sysfs_emit(buf, "%d\n", mod->ident.csum_ok);
	mutex_unlock(&mod->lock);
	return ret;
}
static DEVICE_ATTR_RO(checksum_ok);

static ssize_t present_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	int ret;

	mutex_lock(&mod->lock);
	ret = optic_update_presence(mod);
	mutex_unlock(&mod->lock);
	if (ret < 0)
		return ret;
	return sysfs_emit(buf, "%d\n", ret);
}
static DEVICE_ATTR_RO(present);

static const char * const optic_state_names[] = {
	[OPTIC_STATE_UNKNOWN] = "unknown",
	[OPTIC_STATE_LOWPWR] = "lowpwr",
	[OPTIC_STATE_PWRUP] = "pwrup",
	[OPTIC_STATE_READY] = "ready",
	[OPTIC_STATE_PWRDN] = "pwrdn",
	[OPTIC_STATE_FAULT] = "fault",
};

static ssize_t module_state_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	int ret;

	mutex_lock(&mod->lock);
	ret = optic_ensure_identified(mod);
	if (!ret)
		ret = optic_module_state(mod);
	mutex_unlock(&mod->lock);
	if (ret < 0)
		return ret;
	return sysfs_emit(buf, "%s\n", optic_state_names[ret]);
}
static DEVICE_ATTR_RO(module_state);

static ssize_t port_name_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	ssize_t ret;

	mutex_lock(&mod->lock);
	ret = sysfs_emit(buf, "%s\n", mod->name);
	mutex_unlock(&mod->lock);
	return ret;
}

static ssize_t port_name_store(struct device *dev,
			       struct device_attribute *attr, const char *buf,
			       size_t count)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	char name[OPTIC_PORT_NAME_LEN];
	int ret;

	if (count >= sizeof(name))
		return -EINVAL;
	strscpy(name, buf, sizeof(name));
	strim(name);
	ret = optic_rename(mod, name);
	return ret ?: count;
}
static DEVICE_ATTR_RW(port_name);

static ssize_t lpmode_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	int ret;

	mutex_lock(&mod->lock);
	ret = optic_get_lpmode(mod);
	mutex_unlock(&mod->lock);
	if (ret < 0)
		return ret;
	return sysfs_emit(buf, "%d\n", ret);
}

static ssize_t lpmode_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	bool lp;
	int ret;

	ret = kstrtobool(buf, &lp);
	if (ret)
		return ret;
	mutex_lock(&mod->lock);
	ret = optic_set_lpmode(mod, lp, OPTIC_WHO_SYSFS);
	mutex_unlock(&mod->lock);
	return ret ?: count;
}
static DEVICE_ATTR_RW(lpmode);

static ssize_t reset_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	bool doit;
	int ret;

	ret = kstrtobool(buf, &doit);
	if (ret)
		return ret;
	if (!doit)
		return -EINVAL;
	mutex_lock(&mod->lock);
	ret = optic_reset(mod, OPTIC_WHO_SYSFS);
	mutex_unlock(&mod->lock);
	return ret ?: count;
}
static DEVICE_ATTR_WO(reset);

static ssize_t tx_disable_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	u32 mask;
	int ret;

	mutex_lock(&mod->lock);
	ret = optic_get_tx_disable(mod, &mask);
	mutex_unlock(&mod->lock);
	if (ret)
		return ret;
	return sysfs_emit(buf, "0x%x\n", mask);
}

static ssize_t tx_disable_store(struct device *dev,
				struct device_attribute *attr, const char *buf,
				size_t count)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	u32 mask;
	int ret;

	ret = kstrtou32(buf, 0, &mask);
	if (ret)
		return ret;
	mutex_lock(&mod->lock);
	ret = optic_ensure_identified(mod);
	if (!ret)
		ret = optic_set_tx_disable(mod,
					   optic_lane_mask(mod) | mask, mask,
					   OPTIC_WHO_SYSFS);
	mutex_unlock(&mod->lock);
	return ret ?: count;
}
static DEVICE_ATTR_RW(tx_disable);

static ssize_t firmware_version_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct optic_module *mod = dev_get_drvdata(dev);
	u8 ver[2];
	int ret;

	mutex_lock(&mod->lock);
	ret = optic_firmware_version(mod, ver);
	mutex_unlock(&mod->lock);
	if (ret)
		return ret;
	return sysfs_emit(buf, "%u.%u\n", ver[0], ver[1]);
}
static DEVICE_ATTR_RO(firmware_version);

/*
 * Map a position of the eeprom file to a device, page, bank and offset
 * (docs/ABI/testing/sysfs-class-optic):
 *   CMIS, SFF-8636: [0, 128) lower page; then for bank B, page P, the
 *	upper page at 128 + (B * 256 + P) * 128.
 *   SFF-8472: [0, 256) A0h; [256, 384) A2h lower; A2h page P upper at
 *	384 + P * 128.
 * Return: bytes available at @pos within one half-page, 0 past the end.
 */
static size_t optic_file_map(struct optic_module *mod, loff_t pos,
			     struct optic_loc *loc, unsigned int *offset)
{
	loff_t rel;

	memset(loc, 0, sizeof(*loc));
	loc->i2c_addr = OPTIC_ADDR_A0;
	if (mod->ident.spec == OPTIC_SPEC_SFF8472) {
		if (pos < 2 * OPTIC_PAGE_LEN) {
			*offset = pos;
		} else if (pos < 3 * OPTIC_PAGE_LEN) {
			loc->i2c_addr = OPTIC_ADDR_A2;
			*offset = pos - 2 * OPTIC_PAGE_LEN;
		} else {
			rel = pos - 3 * OPTIC_PAGE_LEN;
			if (rel >= 256 * OPTIC_PAGE_LEN)
				return 0;
			loc->i2c_addr = OPTIC_ADDR_A2;
			loc->page = rel / OPTIC_PAGE_LEN;
			*offset = OPTIC_PAGE_LEN + rel % OPTIC_PAGE_LEN;
		}
	} else if (pos < OPTIC_PAGE_LEN) {
		*offset = pos;
	} else {
		rel = pos - OPTIC_PAGE_LEN;
		if (rel >= OPTIC_FILE_BANKS * 256 * OPTIC_PAGE_LEN)
			return 0;
		loc->bank = rel / (256 * OPTIC_PAGE_LEN);
		loc->page = (rel / OPTIC_PAGE_LEN) % 256;
		*offset = OPTIC_PAGE_LEN + rel % OPTIC_PAGE_LEN;
	}
	return OPTIC_PAGE_LEN - *offset % OPTIC_PAGE_LEN;
}

static ssize_t eeprom_read(struct file *filp, struct kobject *kobj,
			   struct bin_attribute *attr, char *buf, loff_t pos,
			   size_t count)
{
	struct optic_module *mod = dev_get_drvdata(kobj_to_dev(kobj));
	struct optic_loc loc;
	unsigned int offset;
	size_t done = 0, n;
	int ret;

	mutex_lock(&mod->lock);
	ret = optic_ensure_identified(mod);
	while (!ret && done < count) {
		n = optic_file_map(mod, pos + done, &loc, &offset);
		if (!n)
			break;
		n = min(n, count - done);
		ret = optic_read_for(mod, &loc, offset, buf + done, n,
				     OPTIC_CONS_RAW);
		if (ret)
			break;
		optic_record_cdb_read(mod, &loc, offset, buf + done, n);
		done += n;
	}
	mutex_unlock(&mod->lock);
	/* A page the module lacks ends the file (flat memory modules). */
	if (ret == -EOPNOTSUPP)
		ret = 0;
	return done ? done : ret;
}

static ssize_t eeprom_write(struct file *filp, struct kobject *kobj,
			    struct bin_attribute *attr, char *buf, loff_t pos,
			    size_t count)
{
	struct optic_module *mod = dev_get_drvdata(kobj_to_dev(kobj));
	struct optic_loc loc;
	unsigned int offset;
	size_t done = 0, n;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;

	mutex_lock(&mod->lock);
	ret = optic_ensure_identified(mod);
	while (!ret && done < count) {
		n = optic_file_map(mod, pos + done, &loc, &offset);
		if (!n) {
			ret = -EFBIG;
			break;
		}
		n = min3(n, count - done,
			 (size_t)optic_write_max(mod, &loc, offset));
		ret = optic_write(mod, &loc, offset, buf + done, n);
		if (ret)
			break;
		optic_record_cdb_write(mod, &loc, offset, buf + done, n,
				       OPTIC_WHO_SYSFS);
		done += n;
	}
	mutex_unlock(&mod->lock);
	return done ? done : ret;
}
static BIN_ATTR_ADMIN_RW(eeprom, OPTIC_EEPROM_FILE_SIZE);

static struct attribute *optic_attrs[] = {
	&dev_attr_identifier.attr,
	&dev_attr_spec.attr,
	&dev_attr_present.attr,
	&dev_attr_checksum_ok.attr,
	&dev_attr_module_state.attr,
	&optic_str_attrs[0].attr.attr,
	&optic_str_attrs[1].attr.attr,
	&optic_str_attrs[2].attr.attr,
	&optic_str_attrs[3].attr.attr,
	&optic_str_attrs[4].attr.attr,
	&dev_attr_port_name.attr,
	&dev_attr_lpmode.attr,
	&dev_attr_reset.attr,
	&dev_attr_tx_disable.attr,
	&dev_attr_firmware_version.attr,
	NULL
};

static struct bin_attribute *optic_bin_attrs[] = {
	&bin_attr_eeprom,
	NULL
};

static const struct attribute_group optic_group = {
	.attrs = optic_attrs,
	.bin_attrs = optic_bin_attrs,
};

static const struct attribute_group *optic_groups[] = {
	&optic_group,
	NULL
};

static struct class optic_class = {
	.name = "optic",
	.dev_groups = optic_groups,
};

int optic_class_init(void)
{
	return class_register(&optic_class);
}

void optic_class_exit(void)
{
	class_unregister(&optic_class);
}

int optic_sysfs_add(struct optic_module *mod)
{
	struct device *dev;

	dev = device_create(&optic_class, &mod->client->dev, MKDEV(0, 0), mod,
			    "%s", mod->name);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	mod->dev = dev;
	return 0;
}

void optic_sysfs_remove(struct optic_module *mod)
{
	device_unregister(mod->dev);
}
