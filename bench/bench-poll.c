// SPDX-License-Identifier: GPL-2.0
/*
 * bench-poll: health-poll access patterns over the optic netlink family
 * (EEPROM_READ), for `make bench` (docs/performance.md). Built as
 * build/tests/vm-bench-poll so tests/vm/run copies it into the VM.
 *
 *   vm-bench-poll full|field|min PORT N
 *
 * full   lower page + pages 00h, 01h, 02h, 10h, 11h (bank 0), 128 bytes
 *        each, every poll, as `ethtool -m` does
 * field  one small read per value: module state, each module flag byte,
 *        temperature, Vcc, each lane's data-path state, each lane flag
 *        register, each lane's Tx power, bias and Rx power
 * min    only the bytes that carry those values, merged where one longer
 *        read costs fewer bus bits than two (lower 3, 8-17; 11h 128-201)
 *
 * Prints "reads R bytes B" (netlink requests and data bytes asked for).
 *
 *   vm-bench-poll time RUNS CMD [ARG...]
 *
 * Runs CMD RUNS times (stdout to /dev/null) and prints the wall time of each
 * run and "p50_ms X p99_ms Y" (nearest rank), CLOCK_MONOTONIC.
 *
 *   vm-bench-poll events SIMPORT N NORMAL_NW SETTLE_MS
 *
 * Event latency: N times, drop lane 0's Rx power of optic_sim port SIMPORT
 * to 1 nW (the module latches Rx LOS), and time until opticd's metric
 * optic_lane_flags_total{port="portSIMPORT",lane="1",flag="rx_los"} (lanes 1-based) moves
 * (http://127.0.0.1:9732/metrics fetched every 2 ms; an event not seen
 * within 5 s counts as missed); then restore
 * NORMAL_NW and wait SETTLE_MS. Prints each latency and the percentiles,
 * and where the time went: to the driver's IntL stamp of the FLAG event
 * (irq_), to the event's arrival on a monitor socket of this program's
 * (event_), both from the knob's write.
 *
 *   vm-bench-poll scrape KEY...
 *
 * Prints the values of the metric lines KEY (no timeout: opticd answers
 * once its current poll is done). KEY is looked for in the first MiB; the
 * whole exposition is read, as a Prometheus server reads it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "netlink.h"

struct rd {
	uint8_t page;
	uint16_t off, len;
};

static struct rd pat[128];
static size_t npat;

static void add(uint8_t page, uint16_t off, uint16_t len)
{
	pat[npat++] = (struct rd){ page, off, len };
}

static int build(const char *mode, unsigned int lanes)
{
	unsigned int l, b;

	if (!strcmp(mode, "full")) {
		static const uint8_t pages[] = { 0x00, 0x01, 0x02, 0x10, 0x11 };

		add(0, 0, 128);
		for (b = 0; b < sizeof(pages); b++)
			add(pages[b], 128, 128);
	} else if (!strcmp(mode, "field")) {
		add(0, 3, 1);			/* module state */
		for (b = 8; b <= 11; b++)	/* module flags */
			add(0, b, 1);
		add(0, 14, 2);			/* temperature */
		add(0, 16, 2);			/* Vcc */
		for (l = 0; l < lanes; l++)	/* DPState, a nibble per lane */
			add(0x11, 128 + l / 2, 1);
		for (b = 134; b <= 153; b++)	/* lane flag registers */
			add(0x11, b, 1);
		for (l = 0; l < lanes; l++) {
			add(0x11, 154 + 2 * l, 2);	/* Tx power */
			add(0x11, 170 + 2 * l, 2);	/* Tx bias */
			add(0x11, 186 + 2 * l, 2);	/* Rx power */
		}
	} else if (!strcmp(mode, "min")) {
		add(0, 3, 1);
		add(0, 8, 10);
		add(0x11, 128, 74);
	} else {
		return -EINVAL;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted @v. */
static double pct(const double *v, size_t n, double p)
{
	size_t r = (size_t)(p / 100 * n + 0.999999);

	return v[r ? r - 1 : 0];
}

/* Clock @c now, in ms. */
static double clock_ms(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

static int time_runs(unsigned long runs, char **cmd)
{
	double *ms = calloc(runs ? runs : 1, sizeof(*ms)), start = now_ms();
	const char *env = getenv("BENCH_BUDGET_S");
	double budget = env ? atof(env) * 1e3 : 0;
	unsigned long i, bad = 0;

	if (!ms)
		return 1;
	for (i = 0; i < runs; i++) {
		struct timespec a, b;
		int st = 0;
		pid_t pid;

		clock_gettime(CLOCK_MONOTONIC, &a);
		pid = fork();
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd >= 0)
				dup2(fd, 1);
			execvp(cmd[0], cmd);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &st, 0) < 0)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
		ms[i] = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
		printf("run %lu %.3f ms\n", i, ms[i]);
		fflush(stdout);
		if (budget && now_ms() - start > budget) {
			runs = i + 1;	/* out of time: report what ran */
			break;
		}
	}
	qsort(ms, runs, sizeof(*ms), cmp_double);
	printf("p50_ms %.3f p99_ms %.3f min_ms %.3f max_ms %.3f failed %lu runs %lu\n",
	       pct(ms, runs, 50), pct(ms, runs, 99), ms[0], ms[runs - 1], bad,
	       runs);
	free(ms);
	return bad ? 1 : 0;
}

static char http_buf[1 << 20], drain[1 << 16];

/* The value of metric line @key on opticd's endpoint, or -1. */
static double scrape(const char *key)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(9732) };
	static const char req[] = "GET /metrics HTTP/1.0\r\n\r\n";
	size_t n = 0, kl = strlen(key);
	ssize_t r;
	char *p;
	int fd;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    write(fd, req, sizeof(req) - 1) < 0) {
		close(fd);
		return -1;
	}
	while (n < sizeof(http_buf) - 1 &&
	       (r = read(fd, http_buf + n, sizeof(http_buf) - 1 - n)) > 0)
		n += r;
	/* the rest read too, as a Prometheus server does: opticd sends it all */
	while (read(fd, drain, sizeof(drain)) > 0)
		;
	close(fd);
	http_buf[n] = 0;
	for (p = http_buf; (p = strstr(p, key)); p += kl)
		if ((p == http_buf || p[-1] == '\n') && p[kl] == ' ')
			return strtod(p + kl + 1, NULL);
	return 0; /* not exported yet: no flag seen */
}

static int knob(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), r;

	if (fd < 0)
		return -1;
	r = write(fd, text, strlen(text)) < 0 ? -1 : 0;
	close(fd);
	return r;
}

/* The first FLAG event of a port after the watch was armed. */
struct flag_watch {
	pthread_mutex_t lock;
	char name[OPTIC_PORT_NAME_LEN];
	bool armed;
	double irq_ms, event_ms; /* CLOCK_BOOTTIME: IntL's stamp, arrival */
};

static int flag_seen(const struct optic_nl_event *ev, void *arg)
{
	struct flag_watch *w = arg;

	if (ev->type != OPTIC_EVENT_FLAG || strcmp(ev->name, w->name))
		return 0;
	pthread_mutex_lock(&w->lock);
	if (w->armed) {
		w->armed = false;
		w->event_ms = clock_ms(CLOCK_BOOTTIME);
		w->irq_ms = ev->boottime_ns ? ev->boottime_ns / 1e6 : 0;
	}
	pthread_mutex_unlock(&w->lock);
	return 0;
}

static void *flag_watch_run(void *arg)
{
	struct optic_nl *nl;

	if (optic_nl_open(&nl) < 0)
		return NULL;
	optic_nl_monitor(nl, -1, flag_seen, arg);
	optic_nl_close(nl);
	return NULL;
}

/* Arm @w; returns the arming time (CLOCK_BOOTTIME ms). */
static double flag_watch_arm(struct flag_watch *w)
{
	pthread_mutex_lock(&w->lock);
	w->armed = true;
	w->irq_ms = w->event_ms = 0;
	pthread_mutex_unlock(&w->lock);
	return clock_ms(CLOCK_BOOTTIME);
}

/* The event's stamps, ms after @t0, into @irq and @event (-1: none). */
static void flag_watch_read(struct flag_watch *w, double t0, double *irq,
			    double *event)
{
	pthread_mutex_lock(&w->lock);
	*irq = w->irq_ms ? w->irq_ms - t0 : -1;
	*event = w->event_ms ? w->event_ms - t0 : -1;
	w->armed = false;
	pthread_mutex_unlock(&w->lock);
}

/* "NAME_p50_ms X NAME_p99_ms Y" over the @n values of @v not below 0. */
static void print_split(const char *name, double *v, size_t n)
{
	size_t k = 0, i;

	for (i = 0; i < n; i++)
		if (v[i] >= 0)
			v[k++] = v[i];
	if (!k)
		return;
	qsort(v, k, sizeof(*v), cmp_double);
	printf(" %s_p50_ms %.3f %s_p99_ms %.3f", name, pct(v, k, 50), name,
	       pct(v, k, 99));
}

static int events(unsigned int port, unsigned long n, long normal,
		  unsigned int settle_ms)
{
	char key[128], path[128], cmd[64];
	double *ms = calloc(n ? n : 1, sizeof(*ms)), c0, t0, start = now_ms();
	double *irq = calloc(n ? n : 1, sizeof(*irq));
	double *event = calloc(n ? n : 1, sizeof(*event));
	struct flag_watch w = { .lock = PTHREAD_MUTEX_INITIALIZER };
	const char *env = getenv("BENCH_BUDGET_S");
	double budget = env ? atof(env) * 1e3 : 0, b0;
	unsigned long i, got = 0;
	pthread_t watcher;

	if (!ms || !irq || !event)
		return 1;
	snprintf(w.name, sizeof(w.name), "port%u", port);
	if (pthread_create(&watcher, NULL, flag_watch_run, &w))
		return 1;
	pthread_detach(watcher);
	usleep(100000); /* subscribed */
	snprintf(key, sizeof(key),
		 "optic_lane_flags_total{port=\"port%u\",lane=\"1\",flag=\"rx_los\"}",
		 port);
	snprintf(path, sizeof(path), "/sys/kernel/debug/optic_sim/port%u/monitor",
		 port);
	for (i = 0; i < n; i++) {
		c0 = scrape(key);
		b0 = flag_watch_arm(&w);
		if (c0 < 0 || knob(path, "set rx_power 0 1") < 0)
			return 1;
		t0 = now_ms();
		while (scrape(key) == c0 && now_ms() - t0 < 5000)
			usleep(2000);
		if (now_ms() - t0 < 5000) {
			ms[got] = now_ms() - t0;
			flag_watch_read(&w, b0, &irq[got], &event[got]);
			printf("event %lu %.3f ms irq %.3f event %.3f\n", i,
			       ms[got], irq[got], event[got]);
			got++;
		}
		snprintf(cmd, sizeof(cmd), "set rx_power 0 %ld", normal);
		knob(path, cmd);
		usleep(settle_ms * 1000);
		if (budget && now_ms() - start > budget) {
			i++;	/* out of time: report what ran */
			break;
		}
	}
	qsort(ms, got, sizeof(*ms), cmp_double);
	if (got) {
		printf("n %lu p50_ms %.3f p99_ms %.3f min_ms %.3f max_ms %.3f missed %lu",
		       got, pct(ms, got, 50), pct(ms, got, 99), ms[0],
		       ms[got - 1], i - got);
		print_split("irq", irq, got);
		print_split("event", event, got);
		printf("\n");
	}
	free(ms);
	free(irq);
	free(event);
	return got == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct optic_nl *nl;
	uint8_t buf[256];
	unsigned long n, i, reads = 0, bytes = 0;
	size_t k;
	int r;

	if (argc >= 3 && !strcmp(argv[1], "scrape")) {
		for (int a = 2; a < argc; a++)
			printf("%s%.9g", a > 2 ? " " : "", scrape(argv[a]));
		printf("\n");
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "events"))
		return events(strtoul(argv[2], NULL, 10),
			      strtoul(argv[3], NULL, 10),
			      strtol(argv[4], NULL, 10),
			      strtoul(argv[5], NULL, 10));
	if (argc >= 4 && !strcmp(argv[1], "time"))
		return time_runs(strtoul(argv[2], NULL, 10), argv + 3);
	if (argc != 4 || build(argv[1], 8) < 0) {
		fprintf(stderr, "usage: vm-bench-poll full|field|min PORT N\n"
				"       vm-bench-poll time RUNS CMD [ARG...]\n"
				"       vm-bench-poll events SIMPORT N NORMAL_NW SETTLE_MS\n");
		return 2;
	}
	n = strtoul(argv[3], NULL, 10);
	r = optic_nl_open(&nl);
	if (r < 0) {
		fprintf(stderr, "vm-bench-poll: %s\n", strerror(-r));
		return 1;
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < npat; k++) {
			r = optic_nl_eeprom_read(nl, argv[2], 0x50, pat[k].page,
						 0, pat[k].off, pat[k].len,
						 buf);
			if (r < 0) {
				fprintf(stderr, "vm-bench-poll: read %02x:%u: %s\n",
					pat[k].page, pat[k].off, strerror(-r));
				optic_nl_close(nl);
				return 1;
			}
			reads++;
			bytes += pat[k].len;
		}
	}
	printf("reads %lu bytes %lu\n", reads, bytes);
	optic_nl_close(nl);
	return 0;
}
