/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included (Kbuild) before the kernel's 6.1 i2c-mux-pca954x.c, which
 * optic-pca954x-dkms ships unchanged, so that it also builds for Debian 12's
 * 6.12 kernel (bookworm-security, -backports), which does not build its own
 * pca954x either. Two i2c API changes since 6.1 touch the file:
 *
 * - v6.3, 03c835f498b5 ("i2c: Switch .probe() to not take an id
 *   parameter"): the file's two-argument pca954x_probe() is renamed by a
 *   function-like macro (a name followed by "(") to pca954x_probe_61(); the
 *   driver's ".probe = pca954x_probe" (no "(") takes the one-argument
 *   wrapper below, which passes the id the 6.1 i2c core passed.
 * - v6.10, fec1982d7072 ("i2c: mux: Remove class argument from
 *   i2c_mux_add_adapter()"): the file passes class 0; it is dropped.
 *
 * On 6.1 and 6.2 nothing here applies. `make check-compat` builds the
 * package's tree against the 6.1 and 6.12 headers (W=1).
 */
#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#include <linux/i2c.h>

static int pca954x_probe_61(struct i2c_client *client,
			    const struct i2c_device_id *id);

/* In parentheses: not the macro below. */
static int (pca954x_probe)(struct i2c_client *client)
{
	return pca954x_probe_61(client, i2c_client_get_device_id(client));
}

#define pca954x_probe(client, id) pca954x_probe_61(client, id)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
/* First the declaration, which the macro must not rewrite. */
#include <linux/i2c-mux.h>

#define i2c_mux_add_adapter(muxc, force_nr, chan_id, class) \
	i2c_mux_add_adapter(muxc, force_nr, chan_id)
#endif
