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
	nla_nest_end(msg, n);
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
	assert_int_equal(b.busy_ns, 500);
	assert_int_equal(b.age_ns, 1000);
	for (i = 0; i < OPTIC_BUS_CLASSES; i++) {
		assert_true(b.cls[i].set);
		assert_int_equal(b.cls[i].xfers, 10 * i + 1);
		assert_int_equal(b.cls[i].bytes, 10 * i + 2);
		assert_int_equal(b.cls[i].busy_ns, 10 * i + 3);
		assert_int_equal(b.cls[i].wait_max_ns, 10 * i + 4);
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
		cmocka_unit_test(test_bus),
		cmocka_unit_test(test_bus_malformed),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
