/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between 6.1 (Debian 12) and 6.12 that optic.ko
 * meets. Everything version dependent lives here so that the .c files read
 * like current upstream code. scripts/check-compat.sh builds both modules
 * at W=1 against the Debian 6.1 and 6.12 headers.
 */
#ifndef _OPTIC_COMPAT_H
#define _OPTIC_COMPAT_H

#include <linux/i2c.h>

/*
 * 6.3 made i2c_driver.probe single-argument and 6.6 dropped .probe_new,
 * the single-argument callback before 6.3. driver/Kbuild defines
 * OPTIC_HAVE_I2C_PROBE_NEW when the headers still have it.
 */
#ifdef OPTIC_HAVE_I2C_PROBE_NEW
#define OPTIC_I2C_PROBE(fn)	.probe_new = (fn)
#else
#define OPTIC_I2C_PROBE(fn)	.probe = (fn)
#endif

/*
 * The class is a static struct registered with class_register(): 6.4 made
 * class_register() take a const struct class and class_create() lose its
 * owner argument; a static, non-const instance suits both.
 *
 * Generic netlink: 6.2 split the ops (genl_split_ops) and changed the
 * pre_doit/post_doit signatures, 6.6 reshaped genl_dumpit_info. The family
 * uses full struct genl_ops with per-op policies, no pre/post_doit and no
 * dump attributes, which every version from 6.1 to 6.12 accepts unchanged.
 */

#endif /* _OPTIC_COMPAT_H */
