// SPDX-License-Identifier: GPL-2.0
/*
 * vm-nlfuzz: bounded, seeded fuzzing of the "optic" generic netlink family
 * from inside the test VM (tests/vm/scenarios/63-fault-nlfuzz.sh).
 *
 *   vm-nlfuzz [-s SEED] [-n COUNT] [-t SECONDS] [-u UID] [-v]
 *
 * Sends COUNT messages (or stops after SECONDS), each followed by a NOOP
 * "sentinel" with NLM_F_ACK so that every reply of the fuzzed message is
 * known to have arrived when the sentinel's ACK does. Generators: valid
 * commands with mutated attributes, random command numbers, random attribute
 * types, wrong attribute and message lengths, truncated headers, deep and
 * bogus nesting, huge pages/offsets/lengths/indexes, dump flags, batches of
 * several messages in one send. Every message goes to the optic family (or
 * is a netlink control message): nothing else in the VM is touched.
 *
 * -u UID drops to UID (and GID = UID, no supplementary groups) with
 * setresuid() before any socket is opened. The same seed gives the same
 * messages (the seed is printed first; SEED may be decimal or 0x hex).
 *
 * A "write attempt" is a well-formed request (NLM_F_REQUEST, whole genl
 * header, reserved byte 0, no flags but REQUEST, ACK, ECHO and DUMP: the
 * core's genl_header_check() refuses others with EINVAL first) for OPTIC_CMD_EEPROM_WRITE or OPTIC_CMD_MODULE_SET; it is
 * "accepted" when the kernel answered it with no error. Write commands with
 * NLM_F_DUMP (which they do not implement) are counted apart, as
 * write_dumps. The last line is a summary, e.g.
 *   summary seed=1 uid=65534 sent=2000 stalls=0 write_attempts=310
 *           writes_accepted=0 writes_eperm=310 writes_other=0 write_dumps=50
 *           write_dumps_accepted=0 acks=... errors=... replies=... E1=310 ...
 * Exit status: 0, or 1 when the kernel did not answer a sentinel in time
 * (a stall), 2 on a setup error.
 *
 *   vm-nlfuzz -f N -c get|dump|read|write|set
 *
 * failslab helper (tests/vm/scenarios/62-fault-failslab.sh): once the socket
 * is set up, make the N-th fault-injection point of this task fail
 * (/proc/thread-self/fail-nth), send one valid request to port index 0 and
 * print "failnth=N left=L result=ERRNO|0 replies=R data=HEX": left > 0 means
 * the request needed fewer than N allocations (nothing was failed).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "linux/optic.h"

#define MAXMSG 8192
#define MAXBATCH 4

static uint64_t rng;
static int fd, family, verbose;
static uint32_t seq = 1000;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static int chance(int percent)
{
	return (int)below(100) < percent;
}

/* ---- message building ---- */

struct msgbuf {
	unsigned char b[MAXMSG];
	size_t len;		/* bytes built */
};

static struct nlattr *put_attr(struct msgbuf *m, uint16_t type,
			       const void *data, size_t dlen)
{
	struct nlattr *a;

	if (m->len + NLA_HDRLEN + NLA_ALIGN(dlen) > MAXMSG)
		return NULL;
	a = (void *)(m->b + m->len);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + dlen;
	if (dlen)
		memcpy((char *)a + NLA_HDRLEN, data, dlen);
	memset((char *)a + NLA_HDRLEN + dlen, 0, NLA_ALIGN(dlen) - dlen);
	m->len += NLA_HDRLEN + NLA_ALIGN(dlen);
	return a;
}

static void put_u8(struct msgbuf *m, uint16_t t, uint8_t v) { put_attr(m, t, &v, 1); }
static void put_u16(struct msgbuf *m, uint16_t t, uint16_t v) { put_attr(m, t, &v, 2); }
static void put_u32(struct msgbuf *m, uint16_t t, uint32_t v) { put_attr(m, t, &v, 4); }

static void put_random_bytes(struct msgbuf *m, uint16_t t, size_t len)
{
	unsigned char d[512];
	size_t i;

	if (len > sizeof(d))
		len = sizeof(d);
	for (i = 0; i < len; i++)
		d[i] = rnd();
	put_attr(m, t, d, len);
}

/* Interesting integers: edges of every width the policies use. */
static uint32_t edge(void)
{
	static const uint32_t v[] = { 0, 1, 2, 3, 7, 8, 9, 15, 16, 0x10, 0x11,
		0x50, 0x51, 0x52, 0x7f, 0x80, 0x81, 0x9f, 0xa0, 0xaf, 0xb0, 0xfe,
		0xff, 0x100, 0x101, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x10000,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff };

	return chance(70) ? v[below(sizeof(v) / sizeof(v[0]))] : (uint32_t)rnd();
}

static void put_index_or_name(struct msgbuf *m)
{
	static const char *const names[] = { "port0", "port1", "port2", "",
		"port", "port00", "../port0", "port0\n" };
	char s[64];
	size_t n;

	switch (below(6)) {
	case 0: case 1:
		put_u32(m, OPTIC_A_MODULE_INDEX, below(3));
		break;
	case 2:
		put_u32(m, OPTIC_A_MODULE_INDEX, edge());
		break;
	case 3: {
		const char *p = names[below(sizeof(names) / sizeof(names[0]))];

		put_attr(m, OPTIC_A_MODULE_NAME, p, strlen(p) + 1);
		break;
	}
	case 4:	/* overlong or unterminated name */
		n = 1 + below(sizeof(s));
		memset(s, 'a' + below(26), n);
		put_attr(m, OPTIC_A_MODULE_NAME, s, n);
		break;
	default:
		break;	/* none */
	}
}

/* Attributes of a plausible request for @cmd. */
static void valid_attrs(struct msgbuf *m, int cmd)
{
	unsigned char data[160];
	size_t i, n;

	put_index_or_name(m);
	switch (cmd) {
	case OPTIC_CMD_EEPROM_READ:
	case OPTIC_CMD_EEPROM_WRITE:
		if (chance(70))
			put_u8(m, OPTIC_A_EEPROM_PAGE,
			       chance(50) ? below(4) : edge());
		if (chance(30))
			put_u8(m, OPTIC_A_EEPROM_BANK, chance(50) ? below(4) : edge());
		if (chance(90))
			put_u16(m, OPTIC_A_EEPROM_OFFSET,
				chance(60) ? below(256) : edge());
		if (cmd == OPTIC_CMD_EEPROM_READ || chance(30))
			put_u16(m, OPTIC_A_EEPROM_LENGTH,
				chance(60) ? 1 + below(256) : edge());
		if (chance(20))
			put_u8(m, OPTIC_A_EEPROM_I2C_ADDR,
			       chance(50) ? 0x50 + below(2) : edge());
		if (cmd == OPTIC_CMD_EEPROM_WRITE || chance(10)) {
			n = chance(70) ? 1 + below(8) : below(sizeof(data));
			for (i = 0; i < n; i++)
				data[i] = rnd();
			put_attr(m, OPTIC_A_EEPROM_DATA, data, n);
		}
		break;
	case OPTIC_CMD_MODULE_SET:
		if (chance(40))
			put_u8(m, OPTIC_A_LPMODE, chance(70) ? below(2) : edge());
		if (chance(50))
			put_u32(m, OPTIC_A_TX_DISABLE, chance(50) ? below(256) : edge());
		if (chance(30))
			put_u32(m, OPTIC_A_TX_DISABLE_MASK,
				chance(50) ? below(256) : edge());
		if (chance(20))
			put_attr(m, OPTIC_A_RESET, NULL, 0);
		break;
	default:
		break;
	}
}

/* Any attribute type, any payload. */
static void random_attr(struct msgbuf *m)
{
	uint16_t t = chance(70) ? below(OPTIC_A_MAX + 3) : (uint16_t)rnd();

	if (chance(10))
		t |= NLA_F_NESTED;
	if (chance(5))
		t |= NLA_F_NET_BYTEORDER;
	switch (below(5)) {
	case 0: put_u8(m, t, edge()); break;
	case 1: put_u16(m, t, edge()); break;
	case 2: put_u32(m, t, edge()); break;
	case 3: put_attr(m, t, NULL, 0); break;
	default: put_random_bytes(m, t, below(300)); break;
	}
}

/* Nested attributes @depth deep, with leaves. */
static void nested(struct msgbuf *m, int depth)
{
	size_t start = m->len;
	struct nlattr *a;
	uint16_t t = (chance(70) ? below(OPTIC_A_MAX + 2) : (uint16_t)rnd()) |
		     (chance(80) ? NLA_F_NESTED : 0);

	a = put_attr(m, t, NULL, 0);
	if (!a)
		return;
	if (depth > 0)
		nested(m, depth - 1);
	if (chance(50))
		random_attr(m);
	/* the put may have moved nothing: a stays valid in the flat buffer */
	a = (void *)(m->b + start);
	a->nla_len = m->len - start > 0xffff ? 0xffff : m->len - start;
}

/* Corrupt the attribute area in place (never the headers). */
static void mutate(struct msgbuf *m, size_t attr_start)
{
	size_t span = m->len - attr_start;
	struct nlattr *a;

	if (!span)
		return;
	switch (below(6)) {
	case 0:	/* flip a byte */
		m->b[attr_start + below(span)] ^= 1 << below(8);
		break;
	case 1:	/* first attribute: random length */
		a = (void *)(m->b + attr_start);
		a->nla_len = chance(50) ? below(16) : (uint16_t)rnd();
		break;
	case 2:	/* first attribute: random type */
		a = (void *)(m->b + attr_start);
		a->nla_type = rnd();
		break;
	case 3:	/* cut the attribute area short */
		m->len = attr_start + below(span);
		break;
	case 4:	/* duplicate the attribute area */
		if (m->len + span <= MAXMSG) {
			memcpy(m->b + m->len, m->b + attr_start, span);
			m->len += span;
		}
		break;
	default: /* trailing garbage */
		{
			size_t n = 1 + below(12);

			while (n-- && m->len < MAXMSG)
				m->b[m->len++] = rnd();
		}
		break;
	}
}

struct sent {
	uint32_t seq;
	int write_attempt;	/* well-formed EEPROM_WRITE / MODULE_SET */
	int write_dump;		/* the same with NLM_F_DUMP (no dumpit) */
	int dump;		/* NLM_F_DUMP requested */
	int err;		/* first nonzero error, or 0 */
	int answered;		/* an ERROR or DONE arrived */
	int multi;		/* multipart parts arrived */
};

static struct sent batch[MAXBATCH];
static int nbatch;

/*
 * Build one message into @out at @off; returns its length. @wellformed:
 * headers must stay intact (batches).
 */
static size_t build(unsigned char *out, int wellformed, struct sent *rec)
{
	struct msgbuf m;
	struct nlmsghdr *n = (void *)m.b;
	struct genlmsghdr *g = (void *)(m.b + NLMSG_HDRLEN);
	int kind = below(10), cmd, i;
	uint16_t flags = NLM_F_REQUEST;
	size_t attrs;

	memset(&m, 0, sizeof(m));
	m.len = NLMSG_HDRLEN + GENL_HDRLEN;
	cmd = chance(85) ? 1 + below(OPTIC_CMD_MAX) : below(256);
	if (kind == 1)
		cmd = below(256);
	g->cmd = cmd;
	g->version = chance(90) ? OPTIC_GENL_VERSION : rnd();
	g->reserved = chance(90) ? 0 : rnd();
	attrs = m.len;

	switch (kind) {
	case 0: case 1: case 2:	/* valid, maybe mutated */
		valid_attrs(&m, cmd);
		if (chance(60))
			mutate(&m, attrs);
		break;
	case 3:	/* random attributes */
		for (i = below(8); i > 0; i--)
			random_attr(&m);
		break;
	case 4:	/* deep / bogus nesting */
		valid_attrs(&m, cmd);
		nested(&m, below(chance(20) ? 64 : 8));
		break;
	case 5:	/* huge and edge values in every numeric attribute */
		put_u32(&m, OPTIC_A_MODULE_INDEX, edge());
		put_u8(&m, OPTIC_A_EEPROM_PAGE, edge());
		put_u8(&m, OPTIC_A_EEPROM_BANK, edge());
		put_u16(&m, OPTIC_A_EEPROM_OFFSET, edge());
		put_u16(&m, OPTIC_A_EEPROM_LENGTH, edge());
		if (chance(50))
			put_u32(&m, OPTIC_A_EEPROM_LENGTH, edge()); /* wrong width */
		if (chance(50))
			put_random_bytes(&m, OPTIC_A_EEPROM_DATA, below(300));
		break;
	case 6:	/* wrong widths for known attributes */
		for (i = 1 + below(5); i > 0; i--)
			put_random_bytes(&m, 1 + below(OPTIC_A_MAX), below(12));
		break;
	default: /* valid */
		valid_attrs(&m, cmd);
		break;
	}

	if (chance(15))
		flags |= NLM_F_DUMP;
	if (chance(50))
		flags |= NLM_F_ACK;
	if (chance(5))
		flags |= rnd() & 0x0f3c;	/* ECHO, ATOMIC, ... */
	if (!wellformed && chance(3))
		flags &= ~NLM_F_REQUEST;

	n->nlmsg_len = m.len;
	n->nlmsg_type = family;
	n->nlmsg_flags = flags;
	n->nlmsg_seq = ++seq;
	n->nlmsg_pid = 0;

	if (!wellformed) {
		switch (below(14)) {
		case 0:	/* truncated genl header */
			m.len = NLMSG_HDRLEN + below(GENL_HDRLEN);
			n->nlmsg_len = m.len;
			break;
		case 1:	/* claims more than is sent */
			n->nlmsg_len = m.len + 1 + below(64);
			break;
		case 2:	/* claims less than is sent */
			n->nlmsg_len = NLMSG_HDRLEN + below(m.len - NLMSG_HDRLEN + 1);
			break;
		case 3:	/* truncated netlink header */
			m.len = below(NLMSG_HDRLEN);
			break;
		case 4:	/* a netlink control type */
			n->nlmsg_type = below(NLMSG_MIN_TYPE);
			break;
		default:
			break;
		}
	}

	rec->seq = n->nlmsg_seq;
	rec->dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	rec->err = 0;
	rec->answered = 0;
	rec->multi = 0;
	rec->write_dump = 0;
	rec->write_attempt = m.len >= NLMSG_HDRLEN + GENL_HDRLEN &&
			     n->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN &&
			     n->nlmsg_len <= m.len &&
			     n->nlmsg_type == family &&
			     (flags & NLM_F_REQUEST) && !g->reserved &&
			     !((rec->dump ? flags & ~NLM_F_DUMP : flags) &
			       ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)) &&
			     (cmd == OPTIC_CMD_EEPROM_WRITE ||
			      cmd == OPTIC_CMD_MODULE_SET);
	if (rec->write_attempt && rec->dump) {
		rec->write_attempt = 0;
		rec->write_dump = 1;
	}
	memcpy(out, m.b, m.len);
	return m.len;
}

/* ---- receiving ---- */

static unsigned long long stat_acks, stat_errors, stat_replies, stat_stalls;
static unsigned long long errno_count[160];

static struct sent *find(uint32_t s)
{
	int i;

	for (i = 0; i < nbatch; i++)
		if (batch[i].seq == s)
			return &batch[i];
	return NULL;
}

/* Read until the sentinel @sseq is acknowledged and no dump is pending. */
static int drain(uint32_t sseq)
{
	static unsigned char buf[1 << 16];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int got_sentinel = 0, i, pending;

	for (;;) {
		pending = 0;
		for (i = 0; i < nbatch; i++)
			if (batch[i].dump && batch[i].multi && !batch[i].answered)
				pending = 1;
		if (got_sentinel && !pending)
			return 0;
		if (poll(&p, 1, 5000) <= 0)
			return -1;
		int len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == ENOBUFS)
				continue;	/* overrun: keep reading */
			return -1;
		}
		for (struct nlmsghdr *n = (void *)buf; NLMSG_OK(n, len);
		     n = NLMSG_NEXT(n, len)) {
			struct sent *r = find(n->nlmsg_seq);

			if (n->nlmsg_seq == sseq) {
				got_sentinel = 1;
				continue;
			}
			if (n->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(n);
				int err = -e->error;

				if (err) {
					stat_errors++;
					if (err > 0 && err < 160)
						errno_count[err]++;
				} else {
					stat_acks++;
				}
				if (r) {
					r->answered = 1;
					if (err && !r->err)
						r->err = err;
				}
			} else if (n->nlmsg_type == NLMSG_DONE) {
				if (r)
					r->answered = 1;
				stat_replies++;
			} else {
				stat_replies++;
				if (r && (n->nlmsg_flags & NLM_F_MULTI))
					r->multi = 1;
			}
		}
	}
}

static int resolve_family(void)
{
	unsigned char out[256], buf[8192];
	struct nlmsghdr *n = (void *)out;
	struct genlmsghdr *g = (void *)(out + NLMSG_HDRLEN);
	struct nlattr *a = (void *)(out + NLMSG_HDRLEN + GENL_HDRLEN);
	int len;

	memset(out, 0, sizeof(out));
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(OPTIC_GENL_NAME);
	memcpy((char *)a + NLA_HDRLEN, OPTIC_GENL_NAME, sizeof(OPTIC_GENL_NAME));
	n->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(a->nla_len);
	n->nlmsg_type = GENL_ID_CTRL;
	n->nlmsg_flags = NLM_F_REQUEST;
	n->nlmsg_seq = 1;
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	if (send(fd, out, n->nlmsg_len, 0) < 0)
		return -1;
	len = recv(fd, buf, sizeof(buf), 0);
	for (n = (void *)buf; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
		int alen = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

		if (n->nlmsg_type != GENL_ID_CTRL)
			return -1;
		for (a = (void *)((char *)NLMSG_DATA(n) + GENL_HDRLEN);
		     alen >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN;
		     alen -= NLA_ALIGN(a->nla_len),
		     a = (void *)((char *)a + NLA_ALIGN(a->nla_len)))
			if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
				return *(uint16_t *)((char *)a + NLA_HDRLEN);
	}
	return -1;
}

/* One request with the N-th allocation of this task failed: see the top. */
static int fail_nth_request(unsigned int nth, const char *what)
{
	static unsigned char buf[1 << 16];
	struct msgbuf m;
	struct nlmsghdr *n = (void *)m.b;
	struct genlmsghdr *g = (void *)(m.b + NLMSG_HDRLEN);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char num[32], data[600] = "";
	int cmd, flags = NLM_F_REQUEST | NLM_F_ACK, result = 0, replies = 0;
	int ffd, done = 0, len;
	ssize_t r;

	memset(&m, 0, sizeof(m));
	m.len = NLMSG_HDRLEN + GENL_HDRLEN;
	if (!strcmp(what, "get") || !strcmp(what, "dump")) {
		cmd = OPTIC_CMD_MODULE_GET;
		if (!strcmp(what, "dump"))
			flags |= NLM_F_DUMP;
		else
			put_u32(&m, OPTIC_A_MODULE_INDEX, 0);
	} else if (!strcmp(what, "read")) {
		cmd = OPTIC_CMD_EEPROM_READ;
		put_u32(&m, OPTIC_A_MODULE_INDEX, 0);
		put_u8(&m, OPTIC_A_EEPROM_PAGE, 3);
		put_u16(&m, OPTIC_A_EEPROM_OFFSET, 128);
		put_u16(&m, OPTIC_A_EEPROM_LENGTH, 128);
	} else if (!strcmp(what, "write")) {
		static const unsigned char d[2] = { 0xa5, 0x5a };

		cmd = OPTIC_CMD_EEPROM_WRITE;
		put_u32(&m, OPTIC_A_MODULE_INDEX, 0);
		put_u8(&m, OPTIC_A_EEPROM_PAGE, 3);
		put_u16(&m, OPTIC_A_EEPROM_OFFSET, 228);
		put_attr(&m, OPTIC_A_EEPROM_DATA, d, 2);
	} else if (!strcmp(what, "set")) {
		cmd = OPTIC_CMD_MODULE_SET;
		put_u32(&m, OPTIC_A_MODULE_INDEX, 0);
		put_u32(&m, OPTIC_A_TX_DISABLE, 0);
	} else {
		fprintf(stderr, "vm-nlfuzz: -c get|dump|read|write|set\n");
		return 2;
	}
	n->nlmsg_len = m.len;
	n->nlmsg_type = family;
	n->nlmsg_flags = flags;
	n->nlmsg_seq = ++seq;
	g->cmd = cmd;
	g->version = OPTIC_GENL_VERSION;

	/* opened now: opening it later would itself count */
	ffd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (ffd < 0) {
		perror("vm-nlfuzz: /proc/thread-self/fail-nth");
		return 2;
	}
	len = snprintf(num, sizeof(num), "%u", nth);
	if (pwrite(ffd, num, len, 0) != len) {
		perror("vm-nlfuzz: fail-nth");
		return 2;
	}
	if (send(fd, m.b, m.len, 0) < 0)
		result = errno;
	while (!result && !done) {
		if (poll(&p, 1, 10000) <= 0) {
			result = ETIME;	/* no answer: a stall */
			break;
		}
		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0) {
			result = errno;
			break;
		}
		for (n = (void *)buf; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
			if (n->nlmsg_type == NLMSG_ERROR) {
				result = -((struct nlmsgerr *)NLMSG_DATA(n))->error;
				done = 1;
			} else if (n->nlmsg_type == NLMSG_DONE) {
				done = 1;
			} else {
				struct nlattr *a = (void *)((char *)NLMSG_DATA(n) + GENL_HDRLEN);
				int alen = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

				replies++;
				for (; alen >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
				       a->nla_len <= alen;
				     alen -= NLA_ALIGN(a->nla_len),
				     a = (void *)((char *)a + NLA_ALIGN(a->nla_len))) {
					unsigned char *d = (unsigned char *)a + NLA_HDRLEN;
					int i, dl = a->nla_len - NLA_HDRLEN;

					if ((a->nla_type & NLA_TYPE_MASK) != OPTIC_A_EEPROM_DATA)
						continue;
					for (i = 0; i < dl && i < 256; i++)
						sprintf(data + 2 * i, "%02x", d[i]);
				}
			}
		}
	}
	r = pread(ffd, num, sizeof(num) - 1, 0);
	num[r > 0 ? r : 0] = 0;
	if (pwrite(ffd, "0", 1, 0) != 1)
		perror("vm-nlfuzz: fail-nth reset");
	close(ffd);
	printf("failnth=%u left=%u result=%d replies=%d data=%s\n", nth,
	       (unsigned int)strtoul(num, NULL, 10), result, replies, data);
	return result == ETIME ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	unsigned long long count = 2000, sent = 0;
	unsigned long long wr_attempts = 0, wr_accepted = 0, wr_eperm = 0, wr_other = 0;
	unsigned long long wr_dumps = 0, wr_dumps_accepted = 0;
	long uid = -1, seconds = 50, nth = -1;
	const char *what = "read";
	int o, rcvbuf = 1 << 20, i;
	time_t t0;

	rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((o = getopt(argc, argv, "s:n:t:u:vf:c:")) != -1) {
		switch (o) {
		case 's': rng = strtoull(optarg, NULL, 0); break;
		case 'n': count = strtoull(optarg, NULL, 0); break;
		case 't': seconds = strtol(optarg, NULL, 0); break;
		case 'u': uid = strtol(optarg, NULL, 0); break;
		case 'v': verbose = 1; break;
		case 'f': nth = strtol(optarg, NULL, 0); break;
		case 'c': what = optarg; break;
		default:
			fprintf(stderr, "usage: vm-nlfuzz [-s SEED] [-n COUNT] [-t SECONDS] [-u UID] [-v]\n");
			return 2;
		}
	}
	if (!rng)
		rng = 1;
	if (nth > 0) {
		fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
		if (fd < 0 || bind(fd, (void *)&sa, sizeof(sa)) ||
		    (family = resolve_family()) < 0) {
			fprintf(stderr, "vm-nlfuzz: no optic family\n");
			return 2;
		}
		return fail_nth_request(nth, what);
	}
	printf("vm-nlfuzz: seed=%llu count=%llu\n", (unsigned long long)rng, count);
	fflush(stdout);
	{
		unsigned long long seed = rng;

		if (uid >= 0) {
			if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
			    setresuid(uid, uid, uid)) {
				perror("vm-nlfuzz: dropping privileges");
				return 2;
			}
			if (geteuid() != (uid_t)uid) {
				fprintf(stderr, "vm-nlfuzz: still euid %u\n", geteuid());
				return 2;
			}
		}
		printf("vm-nlfuzz: uid=%u euid=%u\n", getuid(), geteuid());
		fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
		if (fd < 0 || bind(fd, (void *)&sa, sizeof(sa))) {
			perror("vm-nlfuzz: socket");
			return 2;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
		family = resolve_family();
		if (family < 0) {
			fprintf(stderr, "vm-nlfuzz: no optic family\n");
			return 2;
		}
		t0 = time(NULL);
		for (sent = 0; sent < count; sent++) {
			static unsigned char out[MAXBATCH * MAXMSG + 64];
			struct nlmsghdr *s;
			size_t len = 0;
			int ext = chance(80);

			if (time(NULL) - t0 >= seconds)
				break;
			setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &ext, sizeof(ext));
			nbatch = chance(10) ? 2 + below(MAXBATCH - 1) : 1;
			for (i = 0; i < nbatch; i++) {
				size_t l = build(out + len, nbatch > 1, &batch[i]);

				/* the core finds the next message at the aligned length */
				if (nbatch > 1) {
					memset(out + len + l, 0, NLMSG_ALIGN(l) - l);
					l = NLMSG_ALIGN(l);
				}
				len += l;
			}
			if (send(fd, out, len, 0) < 0 && verbose)
				printf("send %llu: %s\n", sent, strerror(errno));
			/* the sentinel: a NOOP the core acknowledges */
			s = (void *)out;
			memset(s, 0, NLMSG_HDRLEN);
			s->nlmsg_len = NLMSG_HDRLEN;
			s->nlmsg_type = NLMSG_NOOP;
			s->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
			s->nlmsg_seq = ++seq;
			send(fd, s, s->nlmsg_len, 0);
			if (drain(s->nlmsg_seq)) {
				stat_stalls++;
				printf("vm-nlfuzz: message %llu: no answer within 5 s\n", sent);
				break;
			}
			for (i = 0; i < nbatch; i++) {
				if (batch[i].write_dump) {
					wr_dumps++;
					if (!batch[i].err)
						wr_dumps_accepted++;
				}
				if (!batch[i].write_attempt)
					continue;
				wr_attempts++;
				if (!batch[i].err)
					wr_accepted++;
				else if (batch[i].err == EPERM)
					wr_eperm++;
				else
					wr_other++;
				if (verbose || (uid > 0 && batch[i].err != EPERM))
					printf("write attempt seq %u: %s\n", batch[i].seq,
					       batch[i].err ? strerror(batch[i].err) : "accepted");
			}
		}
		printf("summary seed=%llu uid=%u sent=%llu stalls=%llu write_attempts=%llu "
		       "writes_accepted=%llu writes_eperm=%llu writes_other=%llu "
		       "write_dumps=%llu write_dumps_accepted=%llu "
		       "acks=%llu errors=%llu replies=%llu",
		       seed, getuid(), sent, stat_stalls, wr_attempts, wr_accepted,
		       wr_eperm, wr_other, wr_dumps, wr_dumps_accepted,
		       stat_acks, stat_errors, stat_replies);
		for (i = 1; i < 160; i++)
			if (errno_count[i])
				printf(" E%d=%llu", i, errno_count[i]);
		printf("\n");
	}
	return stat_stalls ? 1 : 0;
}
