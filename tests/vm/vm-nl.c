// SPDX-License-Identifier: GPL-2.0
/*
 * vm-nl: raw generic netlink client for optic VM tests (no libnl).
 *   vm-nl CMD [NAME=TYPE:VALUE]...   CMD: get dump read write set records
 *                                    clear cage-add cage-del bus dp-set
 *                                    dp-get
 *   vm-nl monitor COUNT SECONDS      print COUNT events (or until timeout)
 * VM_NL_BUF=N in the environment receives with an N-byte buffer.
 * TYPE: u8 u16 u32 u64 flag str hex, or nest with NAME=TYPE:VALUE,... as
 * its value (a nest in a nest: NAME=TYPE:VALUE;... as its value). Prints reply attributes one per line as name=value (nested
 * ones as outer.inner=value); on error prints "error ERRNO: extack" and
 * exits with ERRNO.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "linux/optic.h"

static const char *const names[] = {
	[OPTIC_A_MODULE_INDEX] = "index", [OPTIC_A_MODULE_NAME] = "name",
	[OPTIC_A_PRESENT] = "present", [OPTIC_A_IDENTIFIER] = "identifier",
	[OPTIC_A_SPEC] = "spec", [OPTIC_A_MODULE_STATE] = "state",
	[OPTIC_A_LANE_COUNT] = "lanes", [OPTIC_A_VENDOR_NAME] = "vendor_name",
	[OPTIC_A_VENDOR_PN] = "vendor_pn", [OPTIC_A_VENDOR_SN] = "vendor_sn",
	[OPTIC_A_VENDOR_REV] = "vendor_rev", [OPTIC_A_DATE_CODE] = "date_code",
	[OPTIC_A_I2C_BUS] = "bus", [OPTIC_A_I2C_ADDR] = "addr",
	[OPTIC_A_EEPROM_PAGE] = "page", [OPTIC_A_EEPROM_BANK] = "bank",
	[OPTIC_A_EEPROM_OFFSET] = "offset", [OPTIC_A_EEPROM_LENGTH] = "length",
	[OPTIC_A_EEPROM_DATA] = "data", [OPTIC_A_EEPROM_I2C_ADDR] = "i2c_addr",
	[OPTIC_A_LPMODE] = "lpmode", [OPTIC_A_TX_DISABLE] = "tx_disable",
	[OPTIC_A_TX_DISABLE_MASK] = "tx_disable_mask", [OPTIC_A_RESET] = "reset",
	[OPTIC_A_FLAT_MEM] = "flat", [OPTIC_A_EVENT_TYPE] = "event",
	[OPTIC_A_EVENT_SEQ] = "seq", [OPTIC_A_LANE] = "lane",
	[OPTIC_A_OLD_STATE] = "old_state", [OPTIC_A_NEW_STATE] = "new_state",
	[OPTIC_A_FLAG_PAGE] = "flag_page", [OPTIC_A_FLAG_OFFSET] = "flag_offset",
	[OPTIC_A_FLAG_BITS] = "flag_bits", [OPTIC_A_ACCESS_ERROR] = "access_error",
	[OPTIC_A_CHECKSUM_OK] = "checksum_ok", [OPTIC_A_RECORD_SEQ] = "record_seq",
	[OPTIC_A_RECORD_SINCE] = "since", [OPTIC_A_RECORD_OVERFLOW] = "overflow",
	[OPTIC_A_RECORD_REALTIME] = "realtime", [OPTIC_A_RECORD_BOOTTIME] = "boottime",
	[OPTIC_A_RECORD_WHO] = "who", [OPTIC_A_RECORD_PID] = "pid",
	[OPTIC_A_RECORD_ERRNO] = "errno", [OPTIC_A_SNAP_TEMP] = "snap_temp",
	[OPTIC_A_SNAP_VCC] = "snap_vcc", [OPTIC_A_SNAP_TX_POWER] = "snap_tx_power",
	[OPTIC_A_SNAP_BIAS] = "snap_bias", [OPTIC_A_SNAP_RX_POWER] = "snap_rx_power",
	[OPTIC_A_SNAP_BIAS_SHIFT] = "snap_bias_shift", [OPTIC_A_SNAP_VDM] = "snap_vdm",
	[OPTIC_A_CDB_CMD] = "cdb_cmd", [OPTIC_A_CDB_STATUS] = "cdb_status",
	[OPTIC_A_BUS_ROOT] = "bus_root", [OPTIC_A_CAGE_ADDED] = "cage_added",
	[OPTIC_A_LINE_PRESENCE] = "line_presence", [OPTIC_A_LINE_RESET] = "line_reset",
	[OPTIC_A_LINE_LPMODE] = "line_lpmode", [OPTIC_A_LINE_INTL] = "line_intl",
	[OPTIC_A_LINE_CHIP] = "chip", [OPTIC_A_LINE_OFFSET] = "offset_line",
	[OPTIC_A_LINE_ACTIVE_LOW] = "active_low", [OPTIC_A_BUS_NAME] = "bus_name",
	[OPTIC_A_BUS_PORTS] = "bus_ports", [OPTIC_A_BUS_QUEUE] = "queue",
	[OPTIC_A_BUS_QUEUE_MAX] = "queue_max", [OPTIC_A_BUS_REQUESTS] = "requests",
	[OPTIC_A_BUS_REQUESTS_MAX] = "requests_max", [OPTIC_A_BUS_BUSY_NS] = "busy_ns",
	[OPTIC_A_BUS_AGE_NS] = "age_ns", [OPTIC_A_BUS_CLASS] = "class",
	[OPTIC_A_BUS_CLASS_ID] = "id", [OPTIC_A_BUS_CLASS_XFERS] = "xfers",
	[OPTIC_A_BUS_CLASS_BYTES] = "bytes", [OPTIC_A_BUS_CLASS_BUSY_NS] = "class_busy_ns",
	[OPTIC_A_BUS_CLASS_WAIT_MAX_NS] = "wait_max_ns", [OPTIC_A_EEPROM_CLASS] = "eeprom_class",
	[OPTIC_A_BUS_CLASS_AHEAD] = "ahead", [OPTIC_A_BUS_CLASS_INVERSIONS] = "inversions",
	[OPTIC_A_BUS_CLASS_CONTENDED_BYTES] = "contended_bytes",
	[OPTIC_A_DP_LANES] = "dp_lanes", [OPTIC_A_DP_APPSEL] = "appsel",
	[OPTIC_A_DP_IMMEDIATE] = "immediate", [OPTIC_A_DP_ACTIVATE] = "activate",
	[OPTIC_A_DP_CONFIG_STATUS] = "config_status", [OPTIC_A_DP_STATE] = "dp_state",
	[OPTIC_A_DP_APP] = "dp_app", [OPTIC_A_DP_ID] = "dp_id",
	[OPTIC_A_TEMPERATURE] = "temperature", [OPTIC_A_FLAGS] = "flags",
	[OPTIC_A_EEPROM_RANGE] = "range", [OPTIC_A_EEPROM_MODULE] = "module",
};
static const int strattr[] = { OPTIC_A_MODULE_NAME, OPTIC_A_VENDOR_NAME,
	OPTIC_A_VENDOR_PN, OPTIC_A_VENDOR_SN, OPTIC_A_VENDOR_REV, OPTIC_A_DATE_CODE,
	OPTIC_A_BUS_NAME, OPTIC_A_LINE_CHIP };
/* Binary attributes, printed in hex whatever their length. */
static const int hexattr[] = { OPTIC_A_EEPROM_DATA, OPTIC_A_SNAP_TX_POWER,
	OPTIC_A_SNAP_BIAS, OPTIC_A_SNAP_RX_POWER, OPTIC_A_SNAP_VDM,
	OPTIC_A_DP_CONFIG_STATUS, OPTIC_A_DP_STATE, OPTIC_A_DP_APP, OPTIC_A_DP_ID,
	OPTIC_A_FLAGS };

static int in(const int *set, int n, int t)
{
	for (int i = 0; i < n; i++)
		if (set[i] == t)
			return 1;
	return 0;
}
#define IN(set, t) in(set, sizeof(set) / sizeof(set[0]), t)

static char buf[65536];
static int fd;
static unsigned int seq = 1;

static void put(struct nlmsghdr *n, int type, const void *data, int len)
{
	struct nlattr *a = (void *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static struct nlmsghdr *msg(int family, int cmd, int flags)
{
	static char out[4096];
	struct nlmsghdr *n = (void *)out;
	struct genlmsghdr *g;

	memset(out, 0, sizeof(out));
	n->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	n->nlmsg_type = family;
	n->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	n->nlmsg_seq = seq++;
	g = NLMSG_DATA(n);
	g->cmd = cmd;
	g->version = 1;
	return n;
}

static void print_attrs(struct nlattr *a, int len, int family_ctrl, int *fam, int *grp);

static const char *name_of(int t)
{
	return t < (int)(sizeof(names) / sizeof(names[0])) && names[t] ? names[t] : "?";
}

/* Nested attributes as outer.inner=value; BUS_PORTS as a u32 list. */
static int print_special(int t, unsigned char *d, int l)
{
	static const char *prefix;

	if (t == OPTIC_A_BUS_CLASS || t == OPTIC_A_EEPROM_RANGE ||
	    t == OPTIC_A_EEPROM_MODULE) {
		const char *outer = prefix;
		char path[64];

		snprintf(path, sizeof(path), "%s%s%s", outer ? outer : "",
			 outer ? "." : "", name_of(t));
		prefix = path;
		print_attrs((void *)d, l, 0, 0, 0);
		prefix = outer;
		return 1;
	}
	if (prefix)
		printf("%s.", prefix);
	if (t != OPTIC_A_BUS_PORTS)
		return 0;
	printf("%s=", name_of(t));
	for (int i = 0; i + 4 <= l; i += 4)
		printf("%s%u", i ? " " : "", *(uint32_t *)(d + i));
	printf("\n");
	return 1;
}

static void print_attrs(struct nlattr *a, int len, int family_ctrl, int *fam, int *grp)
{
	for (; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len), a = (void *)((char *)a + NLA_ALIGN(a->nla_len))) {
		int t = a->nla_type & NLA_TYPE_MASK, l = a->nla_len - NLA_HDRLEN, i, s = 0;
		unsigned char *d = (unsigned char *)a + NLA_HDRLEN;

		if (family_ctrl) {
			if (t == CTRL_ATTR_FAMILY_ID)
				*fam = *(uint16_t *)d;
			if (t == CTRL_ATTR_MCAST_GROUPS) {
				struct nlattr *g = (void *)d;
				/* first group's id */
				struct nlattr *in = (void *)((char *)g + NLA_HDRLEN);
				int il = g->nla_len - NLA_HDRLEN;
				for (; il >= NLA_HDRLEN; il -= NLA_ALIGN(in->nla_len),
				     in = (void *)((char *)in + NLA_ALIGN(in->nla_len)))
					if ((in->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_ID)
						*grp = *(uint32_t *)((char *)in + NLA_HDRLEN);
			}
			continue;
		}
		if (print_special(t, d, l))
			continue;
		s = IN(strattr, t);
		printf("%s=", name_of(t));
		if (s)
			printf("%.*s", l, d);
		else if (IN(hexattr, t))
			for (i = 0; i < l; i++)
				printf("%02x", d[i]);
		else if (l == 1)
			printf("%u", d[0]);
		else if (l == 2)
			printf("%u", *(uint16_t *)d);
		else if (l == 4)
			printf("%u", *(uint32_t *)d);
		else if (l == 8)
			printf("%llu", (unsigned long long)*(uint64_t *)d);
		printf("\n");
	}
}

/* Receive until ACK/DONE; returns 0 or -errno. */
static int recv_all(int ctrl, int *fam, int *grp)
{
	/* VM_NL_BUF: smaller receive buffers make the kernel split dumps. */
	const char *env = getenv("VM_NL_BUF");
	size_t bufsz = env ? strtoul(env, NULL, 0) : sizeof(buf);

	if (bufsz < 1024 || bufsz > sizeof(buf))
		bufsz = sizeof(buf);
	for (;;) {
		int len = recv(fd, buf, bufsz, 0), total = len;
		struct nlmsghdr *n;

		if (len < 0)
			return -errno;
		for (n = (void *)buf; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
			if (n->nlmsg_type == NLMSG_DONE)
				return 0;
			if (n->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(n);
				struct nlattr *a;
				int alen;

				if (!e->error)
					return 0;
				printf("error %d:", -e->error);
				if (n->nlmsg_flags & NLM_F_ACK_TLVS) {
					int off = n->nlmsg_flags & NLM_F_CAPPED ?
						  sizeof(*e) : sizeof(*e) + e->msg.nlmsg_len - NLMSG_HDRLEN;
					a = (void *)((char *)e + off);
					alen = n->nlmsg_len - NLMSG_HDRLEN - off;
					for (; alen >= NLA_HDRLEN; alen -= NLA_ALIGN(a->nla_len),
					     a = (void *)((char *)a + NLA_ALIGN(a->nla_len))) {
						char *d = (char *)a + NLA_HDRLEN;
						if (a->nla_type == NLMSGERR_ATTR_MSG)
							printf(" msg=\"%s\"", d);
						if (a->nla_type == NLMSGERR_ATTR_OFFS)
							printf(" bad_attr_offset=%u", *(uint32_t *)d);
						if (a->nla_type == NLMSGERR_ATTR_MISS_TYPE)
							printf(" missing_attr=%u", *(uint32_t *)d);
					}
				}
				printf("\n");
				return e->error;
			}
			print_attrs((void *)((char *)NLMSG_DATA(n) + GENL_HDRLEN),
				    n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), ctrl, fam, grp);
			if (!ctrl && (n->nlmsg_flags & NLM_F_MULTI))
				printf("--\n");
		}
		if (!ctrl && env)
			printf("-- recv %d bytes\n", total);
	}
}

static int attr_num(const char *name)
{
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i] && !strcmp(names[i], name))
			return i;
	return atoi(name); /* numeric attribute */
}

/*
 * NAME=TYPE:VALUE into @n; a nest's VALUE is a list of NAME=TYPE:VALUE put
 * inside it, separated by commas at @depth 0, semicolons at 1. Returns 0
 * or -1 for a malformed one.
 */
static int put_arg(struct nlmsghdr *n, char *arg, int depth)
{
	char *eq = strchr(arg, '='), *col, *v;
	unsigned char data[512];
	unsigned long long x;
	int t, len = 0;

	if (!eq || !(col = strchr(eq, ':')))
		return -1;
	*eq = *col = 0;
	t = attr_num(arg);
	v = col + 1;
	x = strtoull(v, NULL, 0);
	if (!strcmp(eq + 1, "nest")) {
		struct nlattr *outer = (void *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
		const char *sep = depth ? ";" : ",";
		char *tok, *save;

		if (depth > 1)
			return -1;
		put(n, t | NLA_F_NESTED, NULL, 0);
		for (tok = strtok_r(v, sep, &save); tok; tok = strtok_r(NULL, sep, &save))
			if (put_arg(n, tok, depth + 1))
				return -1;
		outer->nla_len = (char *)n + n->nlmsg_len - (char *)outer;
		return 0;
	}
	if (!strcmp(eq + 1, "u8")) { data[0] = x; len = 1; }
	else if (!strcmp(eq + 1, "u16")) { *(uint16_t *)data = x; len = 2; }
	else if (!strcmp(eq + 1, "u32")) { *(uint32_t *)data = x; len = 4; }
	else if (!strcmp(eq + 1, "u64")) { *(uint64_t *)data = x; len = 8; }
	else if (!strcmp(eq + 1, "flag")) len = 0;
	else if (!strcmp(eq + 1, "str")) { len = strlen(v) + 1; memcpy(data, v, len); }
	else if (!strcmp(eq + 1, "hex")) {
		for (; v[0] && v[1]; v += 2) sscanf(v, "%2hhx", &data[len++]);
	} else return -1;
	put(n, t, data, len);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, fam = 0, grp = 0, cmd, flags = 0, ret, i;
	struct nlmsghdr *n;

	if (argc < 2)
		return 2;
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	bind(fd, (void *)&sa, sizeof(sa));
	n = msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	put(n, CTRL_ATTR_FAMILY_NAME, OPTIC_GENL_NAME, sizeof(OPTIC_GENL_NAME));
	send(fd, n, n->nlmsg_len, 0);
	ret = recv_all(1, &fam, &grp);
	if (ret || !fam) {
		printf("error %d: no optic family\n", -ret);
		return 1;
	}
	if (!strcmp(argv[1], "monitor")) {
		int count = argc > 2 ? atoi(argv[2]) : 1, secs = argc > 3 ? atoi(argv[3]) : 5;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp));
		printf("listening\n");
		fflush(stdout);
		while (count > 0 && poll(&p, 1, secs * 1000) > 0) {
			int len = recv(fd, buf, sizeof(buf), 0);
			for (n = (void *)buf; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
				print_attrs((void *)((char *)NLMSG_DATA(n) + GENL_HDRLEN),
					    n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), 0, 0, 0);
				printf("--\n");
				count--;
			}
			fflush(stdout);
		}
		return count > 0;
	}
	if (!strcmp(argv[1], "get")) cmd = OPTIC_CMD_MODULE_GET;
	else if (!strcmp(argv[1], "dump")) { cmd = OPTIC_CMD_MODULE_GET; flags = NLM_F_DUMP; }
	else if (!strcmp(argv[1], "read")) cmd = OPTIC_CMD_EEPROM_READ;
	else if (!strcmp(argv[1], "write")) cmd = OPTIC_CMD_EEPROM_WRITE;
	else if (!strcmp(argv[1], "set")) cmd = OPTIC_CMD_MODULE_SET;
	else if (!strcmp(argv[1], "records")) { cmd = OPTIC_CMD_RECORD_GET; flags = NLM_F_DUMP; }
	else if (!strcmp(argv[1], "clear")) cmd = OPTIC_CMD_RECORD_CLEAR;
	else if (!strcmp(argv[1], "cage-add")) cmd = OPTIC_CMD_CAGE_ADD;
	else if (!strcmp(argv[1], "cage-del")) cmd = OPTIC_CMD_CAGE_DEL;
	else if (!strcmp(argv[1], "bus")) { cmd = OPTIC_CMD_BUS_GET; flags = NLM_F_DUMP; }
	else if (!strcmp(argv[1], "dp-set")) cmd = OPTIC_CMD_DATAPATH_SET;
	else if (!strcmp(argv[1], "dp-get")) cmd = OPTIC_CMD_DATAPATH_GET;
	else cmd = atoi(argv[1]);
	n = msg(fam, cmd, flags);
	for (i = 2; i < argc; i++)
		if (put_arg(n, argv[i], 0))
			return 2;
	send(fd, n, n->nlmsg_len, 0);
	ret = recv_all(0, NULL, NULL);
	return ret < 0 ? -ret : 0;
}
