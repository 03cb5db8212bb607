// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * liboptic's netlink reply parsers over messages built as the driver builds
 * them: a module with its cage's lines (CAGE_ADD's reply), a root bus with
 * its ports and one nested class per class, malformed nests refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "netlink.h"
#include "util.h"

static struct nl_msg *reply(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20, 0, 0,
				    cmd, OPTIC_GENL_VERSION));
	return msg;
}

static void put_line(struct nl_msg *msg, int type, const char *chip,
		     uint32_t off, int active_low)
{
	struct nlattr *n = nla_nest_start(msg, type);

	assert_non_null(n);
	if (chip)
		assert_int_equal(nla_put_string(msg, OPTIC_A_LINE_CHIP, chip),
				 0);
	assert_int_equal(nla_put_u32(msg, OPTIC_A_LINE_OFFSET, off), 0);
	if (active_low >= 0)
		assert_int_equal(nla_put_u8(msg, OPTIC_A_LINE_ACTIVE_LOW,
					    active_low),
				 0);
	nla_nest_end(msg, n);
}

static void test_module_lines(void **state)
{
	struct nl_msg *msg = reply(OPTIC_CMD_CAGE_ADD);
	struct optic_module_info m;

	nla_put_u32(msg, OPTIC_A_MODULE_INDEX, 7);
	nla_put_string(msg, OPTIC_A_MODULE_NAME, "swp1");
	nla_put_u32(msg, OPTIC_A_I2C_BUS, 12);
	nla_put_u32(msg, OPTIC_A_BUS_ROOT, 1);
	nla_put_u8(msg, OPTIC_A_CAGE_ADDED, 1);
	put_line(msg, OPTIC_A_LINE_PRESENCE, "cpld", 4, -1);
	put_line(msg, OPTIC_A_LINE_LPMODE, "cpld", 70, 0);
	assert_int_equal(optic_nl_module_parse(nlmsg_hdr(msg), &m), 0);
	assert_int_equal(m.index, 7);
	assert_string_equal(m.name, "swp1");
	assert_int_equal(m.i2c_bus, 12);
	assert_int_equal(m.bus_root, 1);
	assert_true(m.cage_added);
	assert_true(m.attrs & OPTIC_ATTR(OPTIC_A_BUS_ROOT));
	assert_true(m.lines[OPTIC_LINE_PRESENCE].set);
	assert_string_equal(m.lines[OPTIC_LINE_PRESENCE].chip, "cpld");
	assert_int_equal(m.lines[OPTIC_LINE_PRESENCE].offset, 4);
	assert_int_equal(m.lines[OPTIC_LINE_PRESENCE].active_low, -1);
	assert_false(m.lines[OPTIC_LINE_RESET].set);
	assert_int_equal(m.lines[OPTIC_LINE_LPMODE].offset, 70);
	assert_int_equal(m.lines[OPTIC_LINE_LPMODE].active_low, 0);
	nlmsg_free(msg);
}

/* A line without its chip is malformed, not a line at offset N of "". */
static void test_module_bad_line(void **state)
{
	struct nl_msg *msg = reply(OPTIC_CMD_MODULE_GET);
	struct optic_module_info m;

	nla_put_string(msg, OPTIC_A_MODULE_NAME, "swp1");
	put_line(msg, OPTIC_A_LINE_INTL, NULL, 3, -1);
	assert_int_equal(optic_nl_module_parse(nlmsg_hdr(msg), &m), -EBADMSG);
	nlmsg_free(msg);
}

static void put_class(struct nl_msg *msg, uint8_t id, uint64_t base)
{
	struct nlattr *n = nla_nest_start(msg, OPTIC_A_BUS_CLASS);

	nla_put_u8(msg, OPTIC_A_BUS_CLASS_ID, id);
	nla_put_u64(msg, OPTIC_A_BUS_CLASS_XFERS, base + 1);
	nla_put_u64(msg, OPTIC_A_BUS_CLASS_BYTES, base + 2);
	nla_put_u64(msg, OPTIC_A_BUS_CLASS_BUSY_NS, base + 3);
	nla_put_u64(msg, OPTIC_A_BUS_CLASS_WAIT_MAX_NS, base + 4);
	nla_put_u64(msg, OPTIC_A_BUS_CLASS_AHEAD, base + 5);
	nla_put_u64(msg, OPTIC_A_BUS_CLASS_INVERSIONS, base + 6);
	nla_put_u64(msg, OPTIC_A_BUS_CLASS_CONTENDED_BYTES, base + 7);
	nla_nest_end(msg, n);
}

/*
 * EEPROM_READ's reply: the data, and the event number the read ended at
 * (0 from a driver without it); no data is an error.
 */
static void test_eeprom_reply(void **state)
{
	static const struct {
		uint16_t len;
		uint64_t seq; /* 0: not sent */
		int ret;
	} cases[] = {
		{ 2, 41, 2 },
		{ 2, 0, 2 },
		{ 0, 7, -EBADMSG },
	};

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		static const uint8_t data[2] = { 0x5a, 0xa5 };
		struct nl_msg *msg = reply(OPTIC_CMD_EEPROM_READ);
		uint8_t buf[4] = { 0 };
		uint64_t seq = 99;

		if (cases[c].len)
			nla_put(msg, OPTIC_A_EEPROM_DATA, cases[c].len, data);
		if (cases[c].seq)
			nla_put_u64(msg, OPTIC_A_EVENT_SEQ, cases[c].seq);
		assert_int_equal(optic_nl_eeprom_parse(nlmsg_hdr(msg), buf,
						       sizeof(buf), &seq),
				 cases[c].ret);
		assert_int_equal(seq, cases[c].ret > 0 ? cases[c].seq : 0);
		if (cases[c].ret > 0)
			assert_memory_equal(buf, data, sizeof(data));
		nlmsg_free(msg);
	}
}

/*
 * EEPROM_READ of ranges: exactly one nest per range asked, in order, each
 * with that range's length of data; anything else is -EBADMSG.
 */
static void test_eeprom_ranges_reply(void **state)
{
	static const struct {
		const char *what;
		uint8_t nests; /* nests sent (2 asked) */
		uint16_t len2; /* the second nest's data length (3 asked) */
		bool no_data2;
		int ret;
	} cases[] = {
		{ "both ranges", 2, 3, false, 0 },
		{ "one nest short", 1, 3, false, -EBADMSG },
		{ "a nest too many", 3, 3, false, -EBADMSG },
		{ "second range's data shorter", 2, 2, false, -EBADMSG },
		{ "second range without data", 2, 3, true, -EBADMSG },
	};
	static const uint8_t data[4] = { 0x11, 0x22, 0x33, 0x44 };

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		struct nl_msg *msg = reply(OPTIC_CMD_EEPROM_READ);
		uint8_t a[2] = { 0 }, b[3] = { 0 };
		const struct optic_eeprom_range rg[] = {
			{ .offset = 8, .len = sizeof(a), .buf = a },
			{ .page = 0x11, .offset = 128, .len = sizeof(b),
			  .buf = b },
		};
		uint64_t seq = 0;

		print_message("%s\n", cases[c].what);
		for (uint8_t k = 0; k < cases[c].nests; k++) {
			struct nlattr *n = nla_nest_start(msg,
							  OPTIC_A_EEPROM_RANGE);
			uint16_t len = k == 1 ? cases[c].len2 : 2;

			nla_put_u16(msg, OPTIC_A_EEPROM_LENGTH, len);
			if (k != 1 || !cases[c].no_data2)
				nla_put(msg, OPTIC_A_EEPROM_DATA, len, data);
			nla_nest_end(msg, n);
		}
		nla_put_u64(msg, OPTIC_A_EVENT_SEQ, 41);
		assert_int_equal(optic_nl_eeprom_ranges_parse(nlmsg_hdr(msg),
							      rg, 2, &seq),
				 cases[c].ret);
		if (!cases[c].ret) {
			assert_int_equal(seq, 41);
			assert_memory_equal(a, data, sizeof(a));
			assert_memory_equal(b, data, sizeof(b));
		}
		nlmsg_free(msg);
	}
}

/*
 * EEPROM_READ of modules: a nest per module asked, in order and named as
 * asked, each with its ranges and event number, or its errno; anything
 * else is -EBADMSG.
 */
static void test_eeprom_modules_reply(void **state)
{
	static const struct {
		const char *what;
		const char *names[3]; /* the nests sent (port0, port1 asked) */
		uint32_t err1; /* port1's ACCESS_ERROR, 0 none */
		bool no_seq0;
		int ret;
	} cases[] = {
		{ "both read", { "port0", "port1" }, 0, false, 0 },
		{ "the second failed alone", { "port0", "port1" }, 6, false, 0 },
		{ "a module missing", { "port0" }, 0, false, -EBADMSG },
		{ "a module too many", { "port0", "port1", "port2" }, 0, false,
		  -EBADMSG },
		{ "out of order", { "port1", "port0" }, 0, false, -EBADMSG },
		{ "a name's prefix", { "port0", "port" }, 0, false, -EBADMSG },
		{ "no event number", { "port0", "port1" }, 0, true, -EBADMSG },
		{ "errno 0", { "port0", "port1" }, 0x80000000, false,
		  -EBADMSG },
	};
	static const uint8_t data[2] = { 0x11, 0x22 };

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		struct nl_msg *msg = reply(OPTIC_CMD_EEPROM_READ);
		uint8_t a[2][2] = { { 0 } };
		const struct optic_eeprom_range rg[2] = {
			{ .offset = 8, .len = 2, .buf = a[0] },
			{ .offset = 8, .len = 2, .buf = a[1] },
		};
		struct optic_eeprom_module m[2] = {
			{ .name = "port0", .rg = &rg[0], .n = 1 },
			{ .name = "port1", .rg = &rg[1], .n = 1 },
		};

		print_message("%s\n", cases[c].what);
		for (size_t k = 0; k < 3 && cases[c].names[k]; k++) {
			struct nlattr *n = nla_nest_start(msg,
							  OPTIC_A_EEPROM_MODULE);
			struct nlattr *r;

			nla_put_string(msg, OPTIC_A_MODULE_NAME,
				       cases[c].names[k]);
			if (k == 1 && cases[c].err1) {
				/* 0x80000000: an errno of 0 once negated */
				nla_put_u32(msg, OPTIC_A_ACCESS_ERROR,
					    cases[c].err1 == 0x80000000 ?
						    0 :
						    cases[c].err1);
			} else {
				r = nla_nest_start(msg, OPTIC_A_EEPROM_RANGE);
				nla_put(msg, OPTIC_A_EEPROM_DATA, 2, data);
				nla_nest_end(msg, r);
				if (k || !cases[c].no_seq0)
					nla_put_u64(msg, OPTIC_A_EVENT_SEQ,
						    40 + k);
			}
			nla_nest_end(msg, n);
		}
		assert_int_equal(optic_nl_eeprom_modules_parse(nlmsg_hdr(msg),
							       m, 2),
				 cases[c].ret);
		if (!cases[c].ret) {
			assert_int_equal(m[0].ret, 0);
			assert_int_equal(m[0].seq, 40);
			assert_memory_equal(a[0], data, 2);
			assert_int_equal(m[1].ret,
					 cases[c].err1 ? -(int)cases[c].err1 :
							 0);
			assert_int_equal(m[1].seq, cases[c].err1 ? 0 : 41);
		}
		nlmsg_free(msg);
	}
}

static void test_bus(void **state)
{
	static const uint32_t ports[] = { 4, 5, 9 };
	struct nl_msg *msg = reply(OPTIC_CMD_BUS_GET);
	struct optic_bus_info b;
	unsigned int i;

	nla_put_u32(msg, OPTIC_A_BUS_ROOT, 3);
	nla_put_string(msg, OPTIC_A_BUS_NAME, "SMBus I801 adapter at f000");
	nla_put(msg, OPTIC_A_BUS_PORTS, sizeof(ports), ports);
	nla_put_u32(msg, OPTIC_A_BUS_QUEUE, 2);
	nla_put_u32(msg, OPTIC_A_BUS_QUEUE_MAX, 17);
	nla_put_u32(msg, OPTIC_A_BUS_REQUESTS, 1);
	nla_put_u32(msg, OPTIC_A_BUS_REQUESTS_MAX, 2);
	nla_put_u64(msg, OPTIC_A_BUS_BUSY_NS, 500);
	nla_put_u64(msg, OPTIC_A_BUS_AGE_NS, 1000);
	for (i = 0; i < OPTIC_BUS_CLASSES; i++)
		put_class(msg, i, 10 * i);
	put_class(msg, 200, 0); /* a class of a newer driver: skipped */
	assert_int_equal(optic_nl_bus_parse(nlmsg_hdr(msg), &b), 0);
	assert_int_equal(b.root, 3);
	assert_string_equal(b.name, "SMBus I801 adapter at f000");
	assert_int_equal(b.n_ports, 3);
	assert_memory_equal(b.ports, ports, sizeof(ports));
	assert_int_equal(b.queue, 2);
	assert_int_equal(b.queue_max, 17);
	assert_int_equal(b.requests, 1);
	assert_int_equal(b.requests_max, 2);
	assert_int_equal(b.busy_ns, 500);
	assert_int_equal(b.age_ns, 1000);
	for (i = 0; i < OPTIC_BUS_CLASSES; i++) {
		assert_true(b.cls[i].set);
		assert_int_equal(b.cls[i].xfers, 10 * i + 1);
		assert_int_equal(b.cls[i].bytes, 10 * i + 2);
		assert_int_equal(b.cls[i].busy_ns, 10 * i + 3);
		assert_int_equal(b.cls[i].wait_max_ns, 10 * i + 4);
		assert_true(b.cls[i].has_order);
		assert_int_equal(b.cls[i].ahead, 10 * i + 5);
		assert_int_equal(b.cls[i].inversions, 10 * i + 6);
		assert_true(b.cls[i].has_contended);
		assert_int_equal(b.cls[i].contended_bytes, 10 * i + 7);
	}
	optic_bus_info_clear(&b);
	nlmsg_free(msg);
}

static void test_bus_malformed(void **state)
{
	struct nl_msg *msg = reply(OPTIC_CMD_BUS_GET);
	struct optic_bus_info b;
	struct nlattr *n;

	/* no root: not a bus */
	nla_put_string(msg, OPTIC_A_BUS_NAME, "x");
	assert_int_equal(optic_nl_bus_parse(nlmsg_hdr(msg), &b), -EBADMSG);
	optic_bus_info_clear(&b);
	nlmsg_free(msg);
	/* a class without its id */
	msg = reply(OPTIC_CMD_BUS_GET);
	nla_put_u32(msg, OPTIC_A_BUS_ROOT, 0);
	n = nla_nest_start(msg, OPTIC_A_BUS_CLASS);
	nla_put_u64(msg, OPTIC_A_BUS_CLASS_XFERS, 1);
	nla_nest_end(msg, n);
	assert_int_equal(optic_nl_bus_parse(nlmsg_hdr(msg), &b), -EBADMSG);
	optic_bus_info_clear(&b);
	nlmsg_free(msg);
}

/* A driver before the order counters: none reported, none made up. */
static void test_bus_no_order(void **state)
{
	struct nl_msg *msg = reply(OPTIC_CMD_BUS_GET);
	struct optic_bus_info b;
	struct nlattr *n;

	nla_put_u32(msg, OPTIC_A_BUS_ROOT, 0);
	n = nla_nest_start(msg, OPTIC_A_BUS_CLASS);
	nla_put_u8(msg, OPTIC_A_BUS_CLASS_ID, OPTIC_BUS_CLASS_POLL);
	nla_put_u64(msg, OPTIC_A_BUS_CLASS_XFERS, 9);
	nla_nest_end(msg, n);
	assert_int_equal(optic_nl_bus_parse(nlmsg_hdr(msg), &b), 0);
	assert_true(b.cls[OPTIC_BUS_CLASS_POLL].set);
	assert_false(b.cls[OPTIC_BUS_CLASS_POLL].has_order);
	assert_int_equal(b.cls[OPTIC_BUS_CLASS_POLL].ahead, 0);
	optic_bus_info_clear(&b);
	nlmsg_free(msg);
}

/* A firmware step's record: the command, its status, who sent it. */
static void test_record_firmware(void **state)
{
	struct nl_msg *msg = reply(OPTIC_CMD_RECORD_GET);
	struct optic_nl_record r;

	nla_put_u64(msg, OPTIC_A_RECORD_SEQ, 41);
	nla_put_u8(msg, OPTIC_A_EVENT_TYPE, OPTIC_EVENT_FIRMWARE);
	nla_put_u16(msg, OPTIC_A_CDB_CMD, 0x0101);
	nla_put_u8(msg, OPTIC_A_CDB_STATUS, 0x41);
	nla_put_u8(msg, OPTIC_A_RECORD_WHO, OPTIC_WHO_NETLINK);
	nla_put_u32(msg, OPTIC_A_RECORD_PID, 123);
	assert_int_equal(optic_nl_record_parse(nlmsg_hdr(msg), &r), 0);
	assert_int_equal(r.ev.type, OPTIC_EVENT_FIRMWARE);
	assert_int_equal(r.ev.record_seq, 41);
	assert_int_equal(r.cdb_cmd, 0x0101);
	assert_int_equal(r.cdb_status, 0x41);
	assert_true(r.ev.attrs & OPTIC_ATTR(OPTIC_A_CDB_STATUS));
	assert_int_equal(r.who, OPTIC_WHO_NETLINK);
	assert_int_equal(r.pid, 123);
	assert_false(r.has_snap);
	assert_int_equal(r.nvdm, 0);
	assert_string_equal(optic_event_name(r.ev.type), "firmware");
	nlmsg_free(msg);
}

/* A snapshot's VDM values: whole entries kept, a torn last one dropped. */
static void test_record_vdm(void **state)
{
	static const struct optic_snap_vdm vdm[] = {
		{ .type = 5, .lane = 1, .raw = 0x1a80 },
		{ .type = 15, .lane = 1, .raw = 0x84d2 },
	};
	uint8_t buf[sizeof(vdm) + 2];
	struct nl_msg *msg = reply(OPTIC_CMD_RECORD_GET);
	struct optic_nl_record r;
	uint16_t tx[2] = { 10000, 20000 };

	nla_put_u8(msg, OPTIC_A_EVENT_TYPE, OPTIC_EVENT_FLAG);
	nla_put_u16(msg, OPTIC_A_SNAP_TEMP, 0x1a00);
	nla_put(msg, OPTIC_A_SNAP_TX_POWER, sizeof(tx), tx);
	nla_put(msg, OPTIC_A_SNAP_VDM, sizeof(vdm), vdm);
	assert_int_equal(optic_nl_record_parse(nlmsg_hdr(msg), &r), 0);
	assert_true(r.has_snap);
	assert_int_equal(r.lanes, 2);
	assert_int_equal(r.nvdm, 2);
	assert_memory_equal(r.vdm, vdm, sizeof(vdm));
	nlmsg_free(msg);

	memcpy(buf, vdm, sizeof(vdm));
	buf[sizeof(vdm)] = 7;
	buf[sizeof(vdm) + 1] = 0;
	msg = reply(OPTIC_CMD_RECORD_GET);
	nla_put_u16(msg, OPTIC_A_SNAP_TEMP, 0);
	nla_put(msg, OPTIC_A_SNAP_VDM, sizeof(buf), buf);
	assert_int_equal(optic_nl_record_parse(nlmsg_hdr(msg), &r), 0);
	assert_int_equal(r.nvdm, 2);
	nlmsg_free(msg);
}

/* More values than a record holds: the first ARRAY_SIZE(r.vdm). */
static void test_record_vdm_many(void **state)
{
	struct optic_snap_vdm vdm[100];
	struct nl_msg *msg = nlmsg_alloc_size(4096);
	struct optic_nl_record r;
	unsigned int i;

	assert_non_null(genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20, 0, 0,
				    OPTIC_CMD_RECORD_GET, OPTIC_GENL_VERSION));
	for (i = 0; i < ARRAY_SIZE(vdm); i++)
		vdm[i] = (struct optic_snap_vdm){ .type = 15,
						  .lane = i,
						  .raw = i };
	assert_int_equal(nla_put(msg, OPTIC_A_SNAP_VDM, sizeof(vdm), vdm), 0);
	assert_int_equal(optic_nl_record_parse(nlmsg_hdr(msg), &r), 0);
	assert_int_equal(r.nvdm, ARRAY_SIZE(r.vdm));
	assert_int_equal(r.vdm[ARRAY_SIZE(r.vdm) - 1].lane,
			 ARRAY_SIZE(r.vdm) - 1);
	nlmsg_free(msg);
}

static void test_names(void **state)
{
	assert_string_equal(optic_line_name(OPTIC_LINE_INTL), "intl");
	assert_null(optic_line_name(OPTIC_LINES));
	assert_string_equal(optic_bus_class_name(OPTIC_BUS_CLASS_BULK), "bulk");
	assert_null(optic_bus_class_name(OPTIC_BUS_CLASSES));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_lines),
		cmocka_unit_test(test_module_bad_line),
		cmocka_unit_test(test_eeprom_reply),
		cmocka_unit_test(test_eeprom_ranges_reply),
		cmocka_unit_test(test_eeprom_modules_reply),
		cmocka_unit_test(test_bus),
		cmocka_unit_test(test_bus_malformed),
		cmocka_unit_test(test_bus_no_order),
		cmocka_unit_test(test_record_firmware),
		cmocka_unit_test(test_record_vdm),
		cmocka_unit_test(test_record_vdm_many),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
