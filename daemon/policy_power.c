// SPDX-License-Identifier: GPL-2.0-or-later
/* Policy 4: power budget per host or per group of ports. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "util.h"

static int req_cmp(const void *a, const void *b)
{
	const struct power_req *x = *(const struct power_req *const *)a;
	const struct power_req *y = *(const struct power_req *const *)b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

int power_plan(struct power_req *reqs, size_t n, const double *budget,
	       size_t ngroups)
{
	_cleanup_free_ struct power_req **order = NULL;
	unsigned int cur = 0;
	double used = 0;
	bool full = false;
	int held = 0;

	if (!n)
		return 0;
	order = calloc(n, sizeof(*order));
	if (!order)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (reqs[i].group >= ngroups)
			return -EINVAL;
		order[i] = &reqs[i];
	}
	qsort(order, n, sizeof(*order), req_cmp);

	for (size_t i = 0; i < n; i++) {
		struct power_req *r = order[i];
		double b = budget[r->group];

		if (i == 0 || r->group != cur) {
			cur = r->group;
			used = 0;
			full = false;
		}
		r->held = false;
		if (b <= 0)
			continue;
		if (!full && used + r->max_power <= b + 1e-9) {
			used += r->max_power;
			continue;
		}
		full = true;
		r->held = true;
		held++;
	}
	return held;
}
