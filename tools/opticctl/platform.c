// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl platform apply|check|show [FILE]: build the cages cages.conf
 * describes (lib/cages.c). For each root bus the adapter is found by its
 * name; each missing mux chip is created through the adapter's new_device,
 * waited for until its driver (i2c-mux-pca954x) binds, and set to
 * disconnect its channels when idle; each missing cage is created with
 * OPTIC_CMD_CAGE_ADD on its channel's adapter. What exists and matches is
 * kept. Everything is compared with the live tree first: a file that
 * contradicts it is refused, every contradiction named by its line,
 * before anything changes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

#include "cages.h"
#include "opticctl.h"

#define PLATFORM_USAGE \
	"usage: opticctl platform apply|check|show [--json] [FILE]"
#define I2C_DEVICES "/sys/bus/i2c/devices"
#define MUX_IDLE_DISCONNECT (-2)
#define BIND_TIMEOUT_MS 10000

DEFINE_TRIVIAL_CLEANUP_FUNC(DIR *, closedir)

enum action { KEEP, CREATE, UPDATE };

/* The words of an action: planned (check), done (apply). */
static const char *const action_words[][2] = {
	[KEEP] = { "keep", "kept" },
	[CREATE] = { "create", "created" },
	[UPDATE] = { "update", "updated" },
};

struct plan_mux {
	const struct optic_cages_mux *m;
	enum action act;
	int idle; /* idle_state now, INT_MIN: unknown */
};

struct plan_bus {
	int nr; /* the root adapter, -1: not found */
	struct plan_mux *muxes;
};

struct plan_cage {
	enum action act;
	int i2c_bus; /* the adapter it is (or goes) on, -1: not known yet */
	uint32_t index; /* the module, once there */
};

struct contradiction {
	unsigned int line;
	char *msg; /* NULL: no memory for it */
};

struct pf {
	struct oc *c;
	bool apply;
	struct optic_cages *cf;
	struct optic_module_info *mods;
	size_t n_mods;
	struct plan_bus *buses;
	struct plan_cage *cages;
	struct contradiction *contra; /* said after the comparison, by line */
	unsigned int contradictions;
	bool oom; /* a contradiction could not be kept: nothing may change */
	unsigned int created, kept, updated;
};

static int contradict(struct pf *pf, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A line of the file that the live tree contradicts: kept to be said. */
static int contradict(struct pf *pf, unsigned int line, const char *fmt, ...)
{
	struct contradiction *c;
	va_list ap;

	c = reallocarray(pf->contra, pf->contradictions + 1, sizeof(*c));
	if (!c) {
		pf->oom = true;
		return -ENOMEM;
	}
	pf->contra = c;
	c = &c[pf->contradictions++];
	c->line = line;
	va_start(ap, fmt);
	if (vasprintf(&c->msg, fmt, ap) < 0)
		c->msg = NULL;
	va_end(ap);
	return -EINVAL;
}

static int by_line(const void *a, const void *b)
{
	const struct contradiction *x = a, *y = b;

	return (x->line > y->line) - (x->line < y->line);
}

/* Every contradiction, in the file's order; the file is refused. */
static int refuse(struct pf *pf)
{
	unsigned int i;

	qsort(pf->contra, pf->contradictions, sizeof(*pf->contra), by_line);
	fflush(stdout);
	for (i = 0; i < pf->contradictions; i++)
		fprintf(stderr, "opticctl: %s:%u: %s\n", pf->cf->path,
			pf->contra[i].line,
			pf->contra[i].msg ?: strerror(ENOMEM));
	fprintf(stderr,
		"opticctl: %s contradicts the running system (%u %s); nothing was changed\n",
		pf->cf->path, pf->contradictions,
		pf->contradictions == 1 ? "line" : "lines");
	return OC_USAGE;
}

/* A sysfs attribute's first line; -errno when it cannot be read. */
static int read_attr(const char *path, char *buf, size_t size)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	if (!fgets(buf, size, f))
		return ferror(f) ? -EIO : -ENODATA;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_attr(const char *path, const char *val)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		return -errno;
	return 0;
}

/* The adapter named @name: its number, -ENOENT or -ENOTUNIQ. */
static int adapter_named(const char *name)
{
	_cleanup_(closedirp) DIR *d = opendir(I2C_DEVICES);
	char path[PATH_MAX], buf[128];
	struct dirent *de;
	int nr = -ENOENT;
	unsigned int n;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (sscanf(de->d_name, "i2c-%u", &n) != 1)
			continue;
		snprintf(path, sizeof(path), I2C_DEVICES "/%s/name",
			 de->d_name);
		if (read_attr(path, buf, sizeof(buf)) < 0 || !streq(buf, name))
			continue;
		if (nr >= 0)
			return -ENOTUNIQ;
		nr = n;
	}
	return nr;
}

static void client_path(char *buf, size_t size, int bus, uint8_t addr,
			const char *attr)
{
	snprintf(buf, size, I2C_DEVICES "/%d-%04x%s%s", bus, addr,
		 attr ? "/" : "", attr ?: "");
}

/* The adapter of channel @ch of the mux at @addr on @bus, or -errno. */
static int channel_adapter(int bus, uint8_t addr, unsigned int ch)
{
	char path[PATH_MAX], attr[16], target[PATH_MAX];
	const char *base;
	unsigned int nr;
	ssize_t n;

	snprintf(attr, sizeof(attr), "channel-%u", ch);
	client_path(path, sizeof(path), bus, addr, attr);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (sscanf(base, "i2c-%u", &nr) != 1)
		return -EINVAL;
	return nr;
}

static const struct optic_module_info *module_named(struct pf *pf,
						    const char *name)
{
	size_t i;

	for (i = 0; i < pf->n_mods; i++)
		if (streq(pf->mods[i].name, name))
			return &pf->mods[i];
	return NULL;
}

static const struct optic_module_info *module_on(struct pf *pf, int bus)
{
	size_t i;

	for (i = 0; i < pf->n_mods; i++)
		if ((int)pf->mods[i].i2c_bus == bus)
			return &pf->mods[i];
	return NULL;
}

/* A mux: missing (create), there (keep, or set idle_state), or not a mux. */
static void plan_mux(struct pf *pf, const struct optic_cages_bus *b, int nr,
		     struct plan_mux *pm)
{
	char path[PATH_MAX], buf[64];
	int r;

	pm->idle = INT_MIN;
	client_path(path, sizeof(path), nr, pm->m->addr, "name");
	r = read_attr(path, buf, sizeof(buf));
	if (r == -ENOENT) {
		pm->act = CREATE;
		return;
	}
	if (r < 0 || !streq(buf, pm->m->type->name)) {
		contradict(pf, pm->m->line,
			   "0x%02x on i2c-%d (%s) is %s%s, not a %s",
			   pm->m->addr, nr, b->adapter,
			   r < 0 ? "unreadable: " : "a ",
			   r < 0 ? strerror(-r) : buf, pm->m->type->name);
		return;
	}
	client_path(path, sizeof(path), nr, pm->m->addr, "idle_state");
	if (read_attr(path, buf, sizeof(buf)) == 0)
		pm->idle = atoi(buf);
	pm->act = pm->idle == MUX_IDLE_DISCONNECT ? KEEP : UPDATE;
}

static int plan_bus(struct pf *pf, size_t i)
{
	const struct optic_cages_bus *b = &pf->cf->buses[i];
	struct plan_bus *pb = &pf->buses[i];
	size_t j;

	pb->muxes = calloc(b->n_muxes + 1, sizeof(*pb->muxes));
	if (!pb->muxes)
		return -ENOMEM;
	pb->nr = adapter_named(b->adapter);
	if (pb->nr == -ENOTUNIQ)
		return contradict(pf, b->adapter_line,
				  "more than one I2C adapter is named '%s'",
				  b->adapter);
	if (pb->nr < 0)
		return contradict(
			pf, b->adapter_line,
			"no I2C adapter is named '%s' (see %s/i2c-*/name)",
			b->adapter, I2C_DEVICES);
	for (j = 0; j < b->n_muxes; j++) {
		pb->muxes[j].m = &b->muxes[j];
		plan_mux(pf, b, pb->nr, &pb->muxes[j]);
	}
	return 0;
}

/* Where the cage goes: its channel's adapter (or the root), -1 unknown. */
static int cage_adapter(struct pf *pf, const struct optic_cages_cage *g)
{
	const struct optic_cages_mux *m = optic_cages_mux_of(pf->cf, g);
	const struct plan_bus *pb = &pf->buses[g->bus];

	if (pb->nr < 0)
		return -1;
	if (!m)
		return pb->nr;
	return channel_adapter(pb->nr, m->addr, g->channel);
}

static void place(char *buf, size_t size, const struct optic_cages *cf,
		  const struct optic_cages_cage *g)
{
	if (g->mux_line)
		snprintf(buf, size, "channel %u of mux 0x%02x of bus %s",
			 g->channel, g->mux_addr, cf->buses[g->bus].id);
	else
		snprintf(buf, size, "the root adapter of bus %s",
			 cf->buses[g->bus].id);
}

static bool same_line(const struct optic_line *a, const struct optic_line *b)
{
	return a->set == b->set &&
	       (!a->set || (streq(a->chip, b->chip) && a->offset == b->offset &&
			    (a->active_low < 0 || b->active_low < 0 ||
			     a->active_low == b->active_low)));
}

/* The lines of a cage that is there, as far as the driver reports them. */
static void check_lines(struct pf *pf, const struct optic_cages_cage *g,
			const struct optic_module_info *mod)
{
	unsigned int l;
	bool reported = false;

	for (l = 0; l < OPTIC_LINES; l++)
		reported |= mod->lines[l].set;
	for (l = 0; reported && l < OPTIC_LINES; l++) {
		const struct optic_line *have = &mod->lines[l];

		if (same_line(&g->lines[l], have))
			continue;
		if (have->set)
			contradict(pf, g->line_lines[l] ?: g->line,
				   "%s: %s has %s line %s %u",
				   optic_line_name(l), g->name,
				   optic_line_name(l), have->chip,
				   have->offset);
		else
			contradict(pf, g->line_lines[l],
				   "%s: %s has no %s line", optic_line_name(l),
				   g->name, optic_line_name(l));
	}
}

static void plan_cage(struct pf *pf, size_t i)
{
	const struct optic_cages_cage *g = &pf->cf->cages[i];
	const struct optic_module_info *named = module_named(pf, g->name);
	const struct optic_module_info *there;
	struct plan_cage *pc = &pf->cages[i];
	char where[96], path[PATH_MAX], buf[64];

	if (pf->buses[g->bus].nr < 0)
		return; /* no adapter: said at its line */
	place(where, sizeof(where), pf->cf, g);
	pc->i2c_bus = cage_adapter(pf, g);
	pc->act = CREATE;
	if (pc->i2c_bus < 0) {
		/* a mux to create first: no cage can be behind it yet */
		pc->i2c_bus = -1;
		if (named)
			contradict(pf, g->line,
				   "port %s is already on i2c-%u, not on %s",
				   g->name, named->i2c_bus, where);
		return;
	}
	there = module_on(pf, pc->i2c_bus);
	if (there && !streq(there->name, g->name)) {
		contradict(pf, g->line, "%s (i2c-%d) has cage %s, not %s",
			   where, pc->i2c_bus, there->name, g->name);
		return;
	}
	if (named && !there) {
		contradict(pf, g->line,
			   "port %s is already on i2c-%u, not on %s (i2c-%d)",
			   g->name, named->i2c_bus, where, pc->i2c_bus);
		return;
	}
	if (there) {
		pc->act = KEEP;
		pc->index = there->index;
		check_lines(pf, g, there);
		return;
	}
	client_path(path, sizeof(path), pc->i2c_bus, 0x50, "name");
	if (read_attr(path, buf, sizeof(buf)) == 0)
		contradict(pf, g->line,
			   "%s (i2c-%d) has a %s at 0x50, not an optic cage",
			   where, pc->i2c_bus, buf);
}

static int plan(struct pf *pf)
{
	size_t i;
	int r;

	r = optic_nl_module_list(pf->c->nl, &pf->mods, &pf->n_mods);
	if (r < 0)
		return oc_fail(pf->c, r, "listing ports");
	pf->buses = calloc(pf->cf->n_buses, sizeof(*pf->buses));
	pf->cages = calloc(pf->cf->n_cages, sizeof(*pf->cages));
	if (!pf->buses || !pf->cages)
		return oc_fail(NULL, -ENOMEM, "platform");
	for (i = 0; i < pf->cf->n_buses; i++)
		if (plan_bus(pf, i) == -ENOMEM)
			pf->oom = true;
	for (i = 0; i < pf->cf->n_cages; i++)
		plan_cage(pf, i);
	if (pf->oom)
		return oc_fail(NULL, -ENOMEM, "comparing %s", pf->cf->path);
	return pf->contradictions ? refuse(pf) : OC_OK;
}

static bool has_cap_net_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return false;
	return d[CAP_NET_ADMIN / 32].effective & (1u << (CAP_NET_ADMIN % 32));
}

/* Refused before anything changes: what apply needs that it lacks. */
static int check_permissions(struct pf *pf)
{
	char path[PATH_MAX];
	size_t i, j;

	for (i = 0; i < pf->cf->n_cages; i++)
		if (pf->cages[i].act != KEEP && !has_cap_net_admin()) {
			fprintf(stderr,
				"opticctl: platform apply: creating cages needs CAP_NET_ADMIN (run it as root)\n");
			return OC_PERM;
		}
	for (i = 0; i < pf->cf->n_buses; i++)
		for (j = 0; j < pf->cf->buses[i].n_muxes; j++) {
			const struct plan_mux *pm = &pf->buses[i].muxes[j];

			if (pm->act == KEEP)
				continue;
			/* a chip to create, or one whose idle_state to set */
			if (pm->act == CREATE)
				snprintf(path, sizeof(path),
					 I2C_DEVICES "/i2c-%d/new_device",
					 pf->buses[i].nr);
			else
				client_path(path, sizeof(path), pf->buses[i].nr,
					    pm->m->addr, "idle_state");
			if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) < 0) {
				fprintf(stderr,
					"opticctl: platform apply: %s: %s (run it as root)\n",
					path, strerror(errno));
				return OC_PERM;
			}
		}
	return OC_OK;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Until the mux's driver has bound and made its channels; -ETIMEDOUT. */
static int wait_bound(int bus, const struct optic_cages_mux *m)
{
	char drv[PATH_MAX];
	unsigned int waited;

	client_path(drv, sizeof(drv), bus, m->addr, "driver");
	for (waited = 0; waited < BIND_TIMEOUT_MS; waited += 20) {
		if (access(drv, F_OK) == 0 &&
		    channel_adapter(bus, m->addr, m->type->channels - 1) >= 0)
			return 0;
		if (waited == 1000) /* no udev to load it? */
			(void)optic_load_driver("i2c-mux-pca954x");
		sleep_ms(20);
	}
	return -ETIMEDOUT;
}

static int apply_mux(struct pf *pf, int bus, struct plan_mux *pm)
{
	const struct optic_cages_mux *m = pm->m;
	char path[PATH_MAX], val[32];
	int r;

	if (pm->act == CREATE) {
		snprintf(path, sizeof(path), I2C_DEVICES "/i2c-%d/new_device",
			 bus);
		snprintf(val, sizeof(val), "%s 0x%02x", m->type->name, m->addr);
		r = write_attr(path, val);
		if (r < 0)
			return oc_fail(NULL, r, "%s: writing '%s'", path, val);
	}
	r = wait_bound(bus, m);
	if (r < 0)
		return oc_fail(
			NULL, r,
			"%s 0x%02x on i2c-%d: no driver bound in %d s (is i2c-mux-pca954x available?)",
			m->type->name, m->addr, bus, BIND_TIMEOUT_MS / 1000);
	if (pm->idle == MUX_IDLE_DISCONNECT)
		return OC_OK;
	client_path(path, sizeof(path), bus, m->addr, "idle_state");
	snprintf(val, sizeof(val), "%d", MUX_IDLE_DISCONNECT);
	r = write_attr(path, val);
	if (r < 0)
		return oc_fail(NULL, r, "%s: writing %s", path, val);
	pm->idle = MUX_IDLE_DISCONNECT;
	return OC_OK;
}

static int apply_cage(struct pf *pf, size_t i)
{
	const struct optic_cages_cage *g = &pf->cf->cages[i];
	struct plan_cage *pc = &pf->cages[i];
	struct optic_module_info info;
	struct optic_cage cage = {};
	int r;

	if (pc->i2c_bus < 0)
		pc->i2c_bus = cage_adapter(pf, g);
	if (pc->i2c_bus < 0)
		return oc_fail(NULL, pc->i2c_bus,
			       "%s: the adapter of channel %u of mux 0x%02x",
			       g->name, g->channel, g->mux_addr);
	snprintf(cage.name, sizeof(cage.name), "%s", g->name);
	cage.i2c_bus = pc->i2c_bus;
	memcpy(cage.lines, g->lines, sizeof(cage.lines));
	r = optic_nl_cage_add(pf->c->nl, &cage, &info);
	if (r < 0)
		return oc_fail(pf->c, r, "%s:%u: creating cage %s on i2c-%d",
			       pf->cf->path, g->line, g->name, pc->i2c_bus);
	pc->index = info.index;
	return OC_OK;
}

static void count(struct pf *pf, enum action act)
{
	if (act == CREATE)
		pf->created++;
	else if (act == UPDATE)
		pf->updated++;
	else
		pf->kept++;
}

static const char *action_word(struct pf *pf, enum action act)
{
	return action_words[act][pf->apply];
}

static void print_line(struct optic_print *p, const char *key,
		       const struct optic_line *l)
{
	char fmt[32];

	if (!l->set)
		return;
	op_open_object(p, key);
	snprintf(fmt, sizeof(fmt), " %s %%s", key);
	op_string(p, "chip", fmt, l->chip);
	op_uint(p, "offset", " %" PRIu64, l->offset);
	op_close_object(p);
}

/* One bus: its adapter and muxes, applied (apply) as they are printed. */
static int do_bus(struct pf *pf, size_t i)
{
	const struct optic_cages_bus *b = &pf->cf->buses[i];
	struct plan_bus *pb = &pf->buses[i];
	size_t j;
	int r;

	op_open_object(pf->c->p, NULL);
	op_string(pf->c->p, "bus", "bus %s:", b->id);
	op_string(pf->c->p, "adapter", " %s", b->adapter);
	op_uint(pf->c->p, "i2c_bus", " (i2c-%" PRIu64 ")\n", pb->nr);
	op_open_array(pf->c->p, "muxes");
	for (j = 0; j < b->n_muxes; j++) {
		struct plan_mux *pm = &pb->muxes[j];

		if (pf->apply && pm->act != KEEP) {
			r = apply_mux(pf, pb->nr, pm);
			if (r)
				return r;
		}
		count(pf, pm->act);
		op_open_object(pf->c->p, NULL);
		op_string(pf->c->p, "type", "  mux %s", pm->m->type->name);
		op_uint(pf->c->p, "address", " 0x%02" PRIx64, pm->m->addr);
		op_string(pf->c->p, "action", ": %s", action_word(pf, pm->act));
		if (pm->idle == INT_MIN)
			op_null(pf->c->p, "idle_state", NULL);
		else
			op_int(pf->c->p, "idle_state",
			       " (idle_state %" PRId64 ")", pm->idle);
		op_text(pf->c->p, "\n");
		op_close_object(pf->c->p);
	}
	op_close_array(pf->c->p);
	op_close_object(pf->c->p);
	return OC_OK;
}

static int do_cage(struct pf *pf, size_t i)
{
	const struct optic_cages_cage *g = &pf->cf->cages[i];
	struct plan_cage *pc = &pf->cages[i];
	struct optic_print *p = pf->c->p;
	unsigned int l;
	int r;

	if (pf->apply && pc->act == CREATE) {
		r = apply_cage(pf, i);
		if (r)
			return r;
	}
	count(pf, pc->act);
	op_open_object(p, NULL);
	op_string(p, "port", "cage %s:", g->name);
	op_string(p, "action", " %s", action_word(pf, pc->act));
	op_string(p, "bus", " on bus %s", pf->cf->buses[g->bus].id);
	if (g->mux_line) {
		op_uint(p, "mux", " mux 0x%02" PRIx64, g->mux_addr);
		op_uint(p, "channel", " channel %" PRIu64, g->channel);
	}
	if (pc->i2c_bus >= 0)
		op_uint(p, "i2c_bus", " (i2c-%" PRIu64 ")", pc->i2c_bus);
	else
		op_null(p, "i2c_bus", NULL);
	if (pc->act == KEEP || pf->apply)
		op_uint(p, "module_index", NULL, pc->index);
	for (l = 0; l < OPTIC_LINES; l++)
		print_line(p, optic_line_name(l), &g->lines[l]);
	op_text(p, "\n");
	op_close_object(p);
	return OC_OK;
}

static int execute(struct pf *pf)
{
	struct optic_print *p = pf->c->p;
	size_t i;
	int r = OC_OK;

	op_open_object(p, NULL);
	op_string(p, "file", NULL, pf->cf->path);
	op_open_array(p, "buses");
	for (i = 0; i < pf->cf->n_buses && r == OC_OK; i++)
		r = do_bus(pf, i);
	op_close_array(p);
	op_open_array(p, "cages");
	for (i = 0; i < pf->cf->n_cages && r == OC_OK; i++)
		r = do_cage(pf, i);
	op_close_array(p);
	op_bool(p, "changed", NULL, pf->apply && (pf->created || pf->updated));
	if (pf->created || pf->updated)
		op_text(p, "%s: %u %s, %u %s, %u %s\n", pf->cf->path,
			pf->created, action_word(pf, CREATE), pf->updated,
			action_word(pf, UPDATE), pf->kept,
			action_word(pf, KEEP));
	else
		op_text(p,
			"%s: nothing to change: every mux and cage is as described (%u)\n",
			pf->cf->path, pf->kept);
	op_uint(p, "created", NULL, pf->created);
	op_uint(p, "updated", NULL, pf->updated);
	op_uint(p, "kept", NULL, pf->kept);
	op_close_object(p);
	return r;
}

static void pf_free(struct pf *pf)
{
	size_t i;

	for (i = 0; i < pf->contradictions; i++)
		free(pf->contra[i].msg);
	free(pf->contra);
	for (i = 0; pf->buses && i < pf->cf->n_buses; i++)
		free(pf->buses[i].muxes);
	free(pf->buses);
	free(pf->cages);
	free(pf->mods);
	optic_cages_free(pf->cf);
}

int cmd_platform(struct oc *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, {}
	};
	struct pf pf = { .c = c };
	const char *path = OPTIC_CAGES_PATH;
	_cleanup_free_ char *err = NULL;
	int o, r;

	optind = 0; /* glibc: re-initialise, permute arguments again */
	while ((o = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		if (o != 'j')
			return oc_usage(PLATFORM_USAGE);
		r = oc_json(c);
		if (r)
			return r;
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 2 || argc > 3 ||
	    (!streq(argv[1], "apply") && !streq(argv[1], "check") &&
	     !streq(argv[1], "show")))
		return oc_usage(PLATFORM_USAGE);
	if (argc == 3)
		path = argv[2];
	r = optic_cages_load(path, &pf.cf, &err);
	if (r < 0) {
		fflush(stdout);
		fprintf(stderr, "%s\n", err ?: strerror(-r));
		return r == -EINVAL ? OC_USAGE : oc_exit_code(r);
	}
	if (streq(argv[1], "show")) {
		optic_cages_print(c->p, pf.cf);
		pf_free(&pf);
		return OC_OK;
	}
	pf.apply = streq(argv[1], "apply");
	r = oc_open_netlink(c);
	if (r == OC_OK)
		r = plan(&pf);
	if (r == OC_OK && pf.apply)
		r = check_permissions(&pf);
	if (r == OC_OK) {
		/* apply: each step shows as it is done */
		setvbuf(stdout, NULL, _IOLBF, 0);
		r = execute(&pf);
	}
	pf_free(&pf);
	return r;
}
