// SPDX-License-Identifier: LGPL-2.1-or-later
/* Load the optic driver with libkmod (for programs run as root). */
#include <errno.h>

#include <libkmod.h>

#include "optic.h"
#include "util.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(struct kmod_ctx *, kmod_unref)
DEFINE_TRIVIAL_CLEANUP_FUNC(struct kmod_list *, kmod_module_unref_list)

int optic_load_driver(const char *name)
{
	_cleanup_(kmod_unrefp) struct kmod_ctx *k = NULL;
	_cleanup_(kmod_module_unref_listp) struct kmod_list *list = NULL;
	struct kmod_list *it;
	int r;

	k = kmod_new(NULL, NULL);
	if (!k)
		return -ENOMEM;
	r = kmod_module_new_from_lookup(k, name, &list);
	if (r < 0)
		return r;
	if (!list)
		return -ENOENT;
	kmod_list_foreach(it, list) {
		struct kmod_module *mod = kmod_module_get_module(it);

		r = kmod_module_probe_insert_module(mod,
						    KMOD_PROBE_APPLY_BLACKLIST,
						    NULL, NULL, NULL, NULL);
		kmod_module_unref(mod);
		if (r < 0)
			return r;
	}
	return 0;
}
