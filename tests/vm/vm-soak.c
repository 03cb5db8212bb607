// SPDX-License-Identifier: GPL-2.0
/*
 * vm-soak: the daemon soak's helper inside the VM (tests/vm/soak/soak.sh,
 * `make soak`).
 *
 *   vm-soak stamp
 *	copy stdin to stdout, each line prefixed with CLOCK_MONOTONIC seconds
 *	(the clock of optic_sim's event log), for opticd's console log.
 *   vm-soak drive DIR PORTS SECONDS SEED RATE DWELL_MIN DWELL_MAX SETTLE PID
 *	the seeded random event driver: sets every port's drifts (a simulated
 *	week over SECONDS), then for SECONDS injects RATE events per second on
 *	idle ports (unplug/re-plug or swap, NACK burst, dead module, temperature
 *	excursion, Rx LOS), each lasting DWELL_MIN..DWELL_MAX s, then stops
 *	the aging, clears what it injected and waits SETTLE s. Writes DIR/drive.log (what it did), DIR/sim.log
 *	(optic_sim's debugfs events, drained as they come) and DIR/rss.log
 *	(opticd PID's VmRSS, VmHWM and CPU ticks every 5 s).
 *   vm-soak match DIR OPTICD_LOG WINDOW T0 GRACE
 *	checks that every sim-side insertion, removal, alarm and Rx LOS (and
 *	every injected NACK burst / dead module) has its opticd log line within
 *	WINDOW seconds; events before T0 (opticd's start) count from T0. An
 *	alarm or LOS the module raised less than GRACE s before it was pulled
 *	went with it unread (opticd reads a module once a poll interval):
 *	counted as preempted, not missed.
 *	Prints "SOAK key value" lines; DIR/missed.txt lists what was missed.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SIM "/sys/kernel/debug/optic_sim"
#define MAXPORTS 1024

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* @p with room for element @n of @size bytes (@cap: its capacity). */
static void *xgrow(void *p, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? 2 * *cap : 64;
	p = realloc(p, *cap * size);
	if (!p) {
		perror("realloc");
		exit(2);
	}
	return p;
}

static void *xcalloc(size_t n, size_t s)
{
	void *p = calloc(n ? n : 1, s);

	if (!p) {
		perror("calloc");
		exit(2);
	}
	return p;
}

/* ---- stamp ---------------------------------------------------------- */

static int cmd_stamp(void)
{
	char line[4096];

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin))
		printf("%.3f %s%s", now(), line,
		       strchr(line, '\n') ? "" : "\n");
	return 0;
}

/* ---- drive ---------------------------------------------------------- */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static double rndf(void)
{
	return rnd() / 4294967296.0;
}

static int rnd_range(int lo, int hi)
{
	return lo + (int)(rnd() % (uint32_t)(hi - lo + 1));
}

static FILE *drive_log;

static int put(int port, const char *file, const char *fmt, ...)
{
	char path[128], val[128];
	va_list ap;
	int fd, n, r = 0;

	va_start(ap, fmt);
	n = vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), SIM "/port%d/%s", port, file);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, val, n) != n)
		r = -errno;
	if (fd >= 0)
		close(fd);
	if (r)
		fprintf(drive_log, "%.3f port%d error %s %s: %s\n", now(), port,
			file, val, strerror(-r));
	return r;
}

static const struct {
	const char *name;
	int lanes;
} profiles[] = {
	{ "osfp-800g-2xdr4", 8 }, { "qsfpdd-400g-dr4", 8 },
	{ "qsfpdd-400g-fr4", 8 }, { "qsfp112-400g", 4 },
	{ "qsfp28-100g-cwdm4", 4 }, { "sfp-10g-sr", 1 },
};

enum kind { K_NONE, K_UNPLUG, K_NACK, K_DEAD, K_TEMP, K_LOS, K_MAX };
static const int kind_weight[K_MAX] = { 0, 30, 15, 10, 20, 25 };

struct dport {
	int profile;
	double busy_until; /* idle again at this time */
	double undo_at; /* 0: nothing to undo */
	enum kind kind;
	int lane;
	long temp_drift, rx_drift_mdb, bias_drift_ppm;
};

static struct dport dp[MAXPORTS];
static unsigned int accel;

/* A fresh module starts with the profile's monitors: give it its aging. */
static void knobs(int p)
{
	put(p, "mon_accel", "%u", accel);
	put(p, "monitor", "drift temp 0 %ld", dp[p].temp_drift);
	put(p, "monitor", "drift_mdb rx_power all %ld", dp[p].rx_drift_mdb);
	put(p, "monitor", "drift_ppm bias all %ld", dp[p].bias_drift_ppm);
}

static void undo(int p, double t)
{
	struct dport *d = &dp[p];

	switch (d->kind) {
	case K_UNPLUG:
		if (rnd() % 4 == 0) {
			int np = rnd_range(0, (int)(sizeof(profiles) /
						    sizeof(profiles[0])) - 1);

			d->profile = np;
			fprintf(drive_log, "%.3f port%d swap %s\n", t, p,
				profiles[np].name);
			put(p, "profile", "%s", profiles[np].name);
			knobs(p);
		} else {
			fprintf(drive_log, "%.3f port%d plug\n", t, p);
			put(p, "present", "1");
		}
		break;
	case K_DEAD:
		fprintf(drive_log, "%.3f port%d dead_clear\n", t, p);
		put(p, "fault_dead", "0");
		break;
	case K_TEMP:
		fprintf(drive_log, "%.3f port%d temp_clear\n", t, p);
		put(p, "monitor", "offset temp 0 0");
		break;
	case K_LOS:
		fprintf(drive_log, "%.3f port%d los_clear %d\n", t, p, d->lane);
		put(p, "monitor", "offset rx_power %d 0", d->lane);
		break;
	default:
		break;
	}
	d->undo_at = 0;
}

static void inject(int p, enum kind k, double t, double dwell)
{
	struct dport *d = &dp[p];
	int n;

	d->kind = k;
	d->busy_until = t + dwell;
	d->undo_at = t + dwell / 2;
	switch (k) {
	case K_UNPLUG:
		fprintf(drive_log, "%.3f port%d unplug\n", t, p);
		put(p, "present", "0");
		break;
	case K_NACK:
		n = rnd_range(10, 40);
		fprintf(drive_log, "%.3f port%d nack %d\n", t, p, n);
		put(p, "fault_nack_next", "%d", n);
		d->undo_at = 0;
		break;
	case K_DEAD:
		fprintf(drive_log, "%.3f port%d dead\n", t, p);
		put(p, "fault_dead", "1");
		break;
	case K_TEMP:
		fprintf(drive_log, "%.3f port%d temp 35000\n", t, p);
		put(p, "monitor", "offset temp 0 35000");
		break;
	case K_LOS:
		d->lane = rnd_range(0, profiles[d->profile].lanes - 1);
		fprintf(drive_log, "%.3f port%d los %d\n", t, p, d->lane);
		put(p, "monitor", "offset rx_power %d -100000000000", d->lane);
		break;
	default:
		break;
	}
	fflush(drive_log);
}

static void drain(int fd, FILE *out)
{
	static char buf[65536];
	ssize_t n;

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, out);
	fflush(out);
}

static void sample_rss(FILE *out, int pid)
{
	char path[64], line[256];
	long rss = -1, hwm = -1;
	unsigned long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f) {
		fprintf(out, "%.3f gone\n", now());
		fflush(out);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "VmRSS: %ld", &rss);
		sscanf(line, "VmHWM: %ld", &hwm);
	}
	fclose(f);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (f) {
		/* comm has no spaces here: fields 14 and 15 */
		if (fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			   &ut, &st) != 2)
			ut = st = 0;
		fclose(f);
	}
	fprintf(out, "%.3f %ld %ld %lu\n", now(), rss, hwm, ut + st);
	fflush(out);
}

static int cmd_drive(int argc, char **argv)
{
	char path[512];
	int ports, seed, pid, evfd;
	double secs, rate, dmin, dmax, settle, t0, t, next, next_rss = 0;
	bool aged = false;
	FILE *sim_log, *rss_log;

	if (argc != 11) {
		fprintf(stderr, "usage: vm-soak drive DIR PORTS SECONDS SEED RATE DWELL_MIN DWELL_MAX SETTLE PID\n");
		return 2;
	}
	ports = atoi(argv[3]);
	secs = atof(argv[4]);
	seed = atoi(argv[5]);
	rate = atof(argv[6]);
	dmin = atof(argv[7]);
	dmax = atof(argv[8]);
	settle = atof(argv[9]);
	pid = atoi(argv[10]);
	if (ports < 1 || ports > MAXPORTS || secs <= 0 || dmax < dmin) {
		fprintf(stderr, "vm-soak drive: bad arguments\n");
		return 2;
	}
	rng_state = 0x9e3779b97f4a7c15ULL ^ (uint64_t)seed * 0x100000001b3ULL;
	if (!rng_state)
		rng_state = 1;
	snprintf(path, sizeof(path), "%s/drive.log", argv[2]);
	drive_log = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/sim.log", argv[2]);
	sim_log = fopen(path, "a");
	snprintf(path, sizeof(path), "%s/rss.log", argv[2]);
	rss_log = fopen(path, "w");
	if (!drive_log || !sim_log || !rss_log) {
		perror("vm-soak drive");
		return 2;
	}
	evfd = open(SIM "/events", O_RDONLY | O_NONBLOCK);
	/* a simulated week of monitor time over SECONDS */
	accel = (unsigned int)llround(7 * 86400.0 / secs);
	fprintf(drive_log, "# seed %d ports %d seconds %.0f mon_accel %u rate %.3f dwell %.0f-%.0f\n",
		seed, ports, secs, accel, rate, dmin, dmax);
	/*
	 * Aging per port, per hour of monitor time: temperature 0..+200 m°C
	 * (the 75 °C alarm is 27.5 °C above the DR4 set point: reached in the
	 * week by about one port in six), Rx power 0..-80 mdB (-10 dBm low
	 * alarm about 11.3 dB below: one in six), laser bias 0..+4000 ppm
	 * (+61 % to the 100 mA alarm: one in ten).
	 */
	for (int p = 0; p < ports; p++) {
		dp[p].profile = 0;
		dp[p].temp_drift = rnd_range(0, 200);
		dp[p].rx_drift_mdb = -rnd_range(0, 80);
		dp[p].bias_drift_ppm = rnd_range(0, 4000);
		knobs(p);
		fprintf(drive_log, "%.3f port%d aging temp %ld rx_mdb %ld bias_ppm %ld\n",
			now(), p, dp[p].temp_drift, dp[p].rx_drift_mdb,
			dp[p].bias_drift_ppm);
	}
	fflush(drive_log);
	t0 = now();
	next = t0 + -log(1 - rndf()) / rate;
	for (;;) {
		t = now();
		if (t - t0 >= secs + settle)
			break;
		drain(evfd, sim_log);
		if (t >= next_rss) {
			sample_rss(rss_log, pid);
			next_rss = t + 5;
		}
		for (int p = 0; p < ports; p++)
			if (dp[p].undo_at && t >= dp[p].undo_at)
				undo(p, t);
		if (t - t0 < secs) {
			while (t >= next) {
				int tries, p = 0, w = 0, k;

				next += -log(1 - rndf()) / rate;
				for (tries = 0; tries < 50; tries++) {
					p = rnd_range(0, ports - 1);
					if (dp[p].busy_until <= t)
						break;
				}
				if (tries == 50) {
					fprintf(drive_log, "%.3f skipped: no idle port\n", t);
					continue;
				}
				w = (int)(rnd() % 100);
				for (k = 1; k < K_MAX; k++) {
					w -= kind_weight[k];
					if (w < 0)
						break;
				}
				inject(p, k, t, dmin + rndf() * (dmax - dmin));
			}
		} else if (!aged) {
			/*
			 * The week is over: aging stops (a drift knob of 0
			 * folds the drift so far into the set point) and
			 * everything injected goes back to normal at once.
			 */
			aged = true;
			for (int p = 0; p < ports; p++) {
				if (dp[p].undo_at)
					undo(p, t);
				put(p, "monitor", "drift temp 0 0");
				put(p, "monitor", "drift_mdb rx_power all 0");
				put(p, "monitor", "drift_ppm bias all 0");
			}
			fprintf(drive_log, "%.3f week over: aging stopped, settling\n",
				now());
		}
		fflush(drive_log);
		usleep(50000);
	}
	drain(evfd, sim_log);
	sample_rss(rss_log, pid);
	fprintf(drive_log, "%.3f end\n", now());
	fclose(drive_log);
	fclose(sim_log);
	fclose(rss_log);
	return 0;
}

/* ---- match ---------------------------------------------------------- */

enum { O_REMOVED, O_INSERTED, O_FAIL, O_LEVEL, O_OTHER };

struct oline {
	double t;
	int port, lane, mon, kind, level; /* level: 0 ok 1 warning 2 alarm */
	bool used;
};

static const char *const omon[] = { "temperature", "vcc", "tx_bias",
				    "tx_power", "rx_power" };
static const char *const smon[] = { "temp", "vcc", "bias", "tx_power",
				    "rx_power" };

struct vec {
	int *v;
	size_t n, cap;
};

static void vpush(struct vec *v, int x)
{
	v->v = xgrow(v->v, v->n, &v->cap, sizeof(*v->v));
	v->v[v->n++] = x;
}

static int mon_index(const char *const *names, const char *s, size_t len)
{
	for (int i = 0; i < 5; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], s, len))
			return i;
	return -1;
}

/* key of a (port, lane or -1, monitor) */
static int key(int port, int lane, int mon)
{
	return (port * 9 + lane + 1) * 5 + mon;
}

static struct oline *ol;
static size_t nol;

static int parse_opticd(const char *file)
{
	FILE *f = fopen(file, "r");
	char line[1024];
	size_t cap = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct oline o = { .port = -1, .lane = -1, .mon = -1,
				   .kind = O_OTHER };
		char *s = strstr(line, "opticd: "), *msg, *sp;

		if (!s || sscanf(line, "%lf", &o.t) != 1)
			continue;
		s += 8;
		if (strncmp(s, "port", 4) || sscanf(s + 4, "%d", &o.port) != 1)
			goto add;
		sp = s + strcspn(s, " :");
		if (!strncmp(s + 4 + strspn(s + 4, "0123456789"), "/lane", 5))
			o.lane = atoi(strstr(s, "/lane") + 5) - 1;
		msg = strstr(sp, ": ");
		if (!msg)
			goto add;
		msg += 2;
		if (!strncmp(msg, "module removed", 14))
			o.kind = O_REMOVED;
		else if (!strncmp(msg, "module inserted", 15) ||
			 !strncmp(msg, "module back", 11))
			o.kind = O_INSERTED;
		else if (!strncmp(msg, "reading the module's monitors failed", 36) ||
			 !strncmp(msg, "failed to read the module's static data", 39))
			o.kind = O_FAIL;
		else if (!strncmp(sp, " thresholds: ", 13)) {
			size_t ml = strcspn(msg, " ");

			o.mon = mon_index(omon, msg, ml);
			if (o.mon >= 0) {
				o.kind = O_LEVEL;
				if (!strncmp(msg + ml, " back to ok", 11))
					o.level = 0;
				else if (!strncmp(msg + ml, " warning:", 9))
					o.level = 1;
				else if (!strncmp(msg + ml, " alarm:", 7))
					o.level = 2;
				else
					o.kind = O_OTHER;
			}
		}
add:
		ol = xgrow(ol, nol, &cap, sizeof(*ol));
		ol[nol++] = o;
	}
	fclose(f);
	return 0;
}

struct fault {
	double t, end;
	int port;
	bool nack;
};

struct removal {
	double t;
	int port;
};

static struct removal *removals;
static size_t nrem;

static int parse_removals(const char *file)
{
	FILE *f = fopen(file, "r");
	char line[512], type[32];
	size_t cap = 0;
	double t;
	int p;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*u %lf port%d %31s", &t, &p, type) != 3 ||
		    strcmp(type, "removed"))
			continue;
		removals = xgrow(removals, nrem, &cap, sizeof(*removals));
		removals[nrem++] = (struct removal){ t, p };
	}
	fclose(f);
	return 0;
}

/* The module on @port was pulled within @grace s after @t. */
static bool pulled_within(int port, double t, double grace)
{
	for (size_t i = 0; i < nrem; i++)
		if (removals[i].port == port && removals[i].t >= t &&
		    removals[i].t - t <= grace)
			return true;
	return false;
}

static int cmd_match(int argc, char **argv)
{
	char path[512], line[512], miss_path[512];
	double win, t0, grace, tend = 0;
	struct vec *bykey, *byport;
	struct fault *faults = NULL;
	size_t nf = 0, fcap = 0;
	long n_ins = 0, n_rem = 0, n_alarm = 0, n_los = 0, m_ins = 0, m_rem = 0,
	     m_alarm = 0, m_los = 0, late = 0, missed = 0, f_match = 0,
	     f_missed = 0, unexplained = 0, explained = 0, clear_ev = 0,
	     preempted = 0;
	FILE *f, *miss;

	if (argc != 7) {
		fprintf(stderr, "usage: vm-soak match DIR OPTICD_LOG WINDOW T0 GRACE\n");
		return 2;
	}
	win = atof(argv[4]);
	t0 = atof(argv[5]);
	grace = atof(argv[6]);
	if (parse_opticd(argv[3]) < 0) {
		perror(argv[3]);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/sim.log", argv[2]);
	if (parse_removals(path) < 0) {
		perror(path);
		return 2;
	}
	bykey = xcalloc(MAXPORTS * 9 * 5, sizeof(*bykey));
	byport = xcalloc(MAXPORTS, sizeof(*byport));
	for (size_t i = 0; i < nol; i++) {
		if (ol[i].port < 0 || ol[i].port >= MAXPORTS)
			continue;
		if (ol[i].kind == O_LEVEL)
			vpush(&bykey[key(ol[i].port, ol[i].lane, ol[i].mon)], i);
		else if (ol[i].kind != O_OTHER)
			vpush(&byport[ol[i].port], i);
		if (ol[i].t > tend)
			tend = ol[i].t;
	}
	snprintf(path, sizeof(path), "%s/drive.log", argv[2]);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		double t;
		int p;
		char what[32];

		if (sscanf(line, "%lf port%d %31s", &t, &p, what) != 3 || p < 0 ||
		    p >= MAXPORTS)
			continue;
		if (t > tend)
			tend = t;
		if (!strcmp(what, "nack") || !strcmp(what, "dead")) {
			faults = xgrow(faults, nf, &fcap, sizeof(*faults));
			faults[nf++] = (struct fault){ t, t, p, what[0] == 'n' };
		} else if (!strcmp(what, "dead_clear")) {
			for (size_t i = nf; i-- > 0;)
				if (faults[i].port == p && !faults[i].nack) {
					faults[i].end = t;
					break;
				}
		}
	}
	if (f)
		fclose(f);
	snprintf(miss_path, sizeof(miss_path), "%s/missed.txt", argv[2]);
	miss = fopen(miss_path, "w");
	if (!miss)
		return 2;

	snprintf(path, sizeof(path), "%s/sim.log", argv[2]);
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long seq;
		double t, from, to;
		int p, lane = 0, mon = -1, ok = 0;
		char type[32], mname[32] = "";
		struct vec *v = NULL;
		long *total, *matched;

		if (sscanf(line, "%llu %lf port%d %31s %31s %d", &seq, &t, &p, type,
			   mname, &lane) < 4 || p < 0 || p >= MAXPORTS)
			continue;
		if (!strcmp(type, "inserted")) {
			total = &n_ins;
			matched = &m_ins;
		} else if (!strcmp(type, "removed")) {
			total = &n_rem;
			matched = &m_rem;
		} else if (!strcmp(type, "alarm")) {
			total = &n_alarm;
			matched = &m_alarm;
		} else if (!strcmp(type, "los")) {
			total = &n_los;
			matched = &m_los;
		} else {
			clear_ev++;
			continue;
		}
		(*total)++;
		from = (t < t0 ? t0 : t) - 1;
		to = (t < t0 ? t0 : t) + win;
		if (type[0] == 'i' || type[0] == 'r') {
			int want = type[0] == 'i' ? O_INSERTED : O_REMOVED;

			v = &byport[p];
			for (size_t i = 0; i < v->n; i++) {
				struct oline *o = &ol[v->v[i]];

				if (o->used || o->kind != want || o->t < from)
					continue;
				if (o->t <= to) {
					o->used = true;
					ok = 1;
				}
				break;
			}
		} else {
			mon = mon_index(smon, mname, strlen(mname));
			if (mon < 0)
				continue;
			if (mon <= 1)
				lane = -1;
			v = &bykey[key(p, lane, mon)];
			/* opticd in alarm at t, or entering it within the window */
			for (size_t i = 0; i < v->n && !ok; i++) {
				struct oline *o = &ol[v->v[i]];

				if (o->t <= t && o->level == 2 &&
				    (i + 1 == v->n || ol[v->v[i + 1]].t > t))
					ok = 1;
				if (o->t >= from && o->t <= to && o->level == 2)
					ok = 1;
			}
		}
		if (ok) {
			(*matched)++;
		} else if (mon >= 0 && pulled_within(p, t, grace)) {
			preempted++;
			fprintf(miss, "preempted %s", line);
		} else if (t > tend - win) {
			late++;
			fprintf(miss, "late %s", line);
		} else {
			missed++;
			line[strcspn(line, "\n")] = 0;
			fprintf(miss, "missed %s", line);
			/* what opticd said about it next, for the diagnosis */
			for (size_t i = 0; v && i < v->n; i++) {
				struct oline *o = &ol[v->v[i]];

				if (o->t < t - 1)
					continue;
				fprintf(miss, " | opticd next: +%.1f s %s", o->t - t,
					o->kind == O_REMOVED  ? "removed" :
					o->kind == O_INSERTED ? "inserted" :
					o->kind == O_FAIL     ? "read failure" :
					o->level == 2	      ? "alarm" :
					o->level == 1	      ? "warning" :
								"ok");
				break;
			}
			fprintf(miss, "\n");
		}
	}
	fclose(f);
	/* injected faults: some opticd line about the port right after */
	for (size_t j = 0; j < nf; j++) {
		struct vec *v = &byport[faults[j].port];
		int ok = 0;

		for (size_t i = 0; i < v->n && !ok; i++) {
			struct oline *o = &ol[v->v[i]];

			if ((o->kind == O_REMOVED || o->kind == O_FAIL) &&
			    o->t >= faults[j].t - 1 && o->t <= faults[j].t + win)
				ok = 1;
		}
		if (ok)
			f_match++;
		else if (faults[j].t > tend - win)
			late++;
		else {
			f_missed++;
			fprintf(miss, "missed fault %.3f port%d %s\n", faults[j].t,
				faults[j].port, faults[j].nack ? "nack" : "dead");
		}
	}
	/* opticd module lines no sim-side plug explains */
	for (size_t i = 0; i < nol; i++) {
		struct oline *o = &ol[i];
		bool fault = false;

		if (o->used || (o->kind != O_REMOVED && o->kind != O_INSERTED))
			continue;
		for (size_t j = 0; j < nf && !fault; j++)
			fault = faults[j].port == o->port &&
				o->t >= faults[j].t - 1 &&
				o->t <= faults[j].end + win;
		if (fault) {
			explained++;
		} else {
			unexplained++;
			fprintf(miss, "unexplained opticd %.3f port%d %s\n", o->t,
				o->port, o->kind == O_REMOVED ? "removed" : "inserted");
		}
	}
	fclose(miss);
	printf("SOAK events.sim.inserted %ld\nSOAK events.sim.removed %ld\n", n_ins,
	       n_rem);
	printf("SOAK events.sim.alarm %ld\nSOAK events.sim.los %ld\n", n_alarm,
	       n_los);
	printf("SOAK events.sim.clears %ld\n", clear_ev);
	printf("SOAK events.matched.inserted %ld\nSOAK events.matched.removed %ld\n",
	       m_ins, m_rem);
	printf("SOAK events.matched.alarm %ld\nSOAK events.matched.los %ld\n",
	       m_alarm, m_los);
	printf("SOAK events.total %ld\n", n_ins + n_rem + n_alarm + n_los + (long)nf);
	printf("SOAK events.matched %ld\n", m_ins + m_rem + m_alarm + m_los + f_match);
	printf("SOAK events.missed %ld\n", missed + f_missed);
	printf("SOAK events.late %ld\n", late);
	printf("SOAK events.preempted %ld\n", preempted);
	printf("SOAK faults.injected %zu\nSOAK faults.matched %ld\nSOAK faults.missed %ld\n",
	       nf, f_match, f_missed);
	printf("SOAK opticd.lines %zu\n", nol);
	printf("SOAK opticd.module_lines_after_fault %ld\n", explained);
	printf("SOAK opticd.module_lines_unexplained %ld\n", unexplained);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "stamp"))
		return cmd_stamp();
	if (argc >= 2 && !strcmp(argv[1], "drive"))
		return cmd_drive(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "match"))
		return cmd_match(argc, argv);
	fprintf(stderr, "usage: vm-soak stamp | drive ... | match ...\n");
	return 2;
}
