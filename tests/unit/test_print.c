// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The printer: text and JSON from the same calls; the decoded model as
 * JSON (stable keys, null for -inf dBm) and as text.
 */
#include <math.h>
#include <stdio.h>

#include <json-c/json.h>

#include "vectors.h"

static char *render(unsigned int flags,
		    void (*fn)(struct optic_print *, void *), void *arg,
		    int *err)
{
	struct optic_print *p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(optic_print_new(&p, f, flags), 0);
	fn(p, arg);
	*err = optic_print_flush(p);
	optic_print_free(p);
	fclose(f);
	return buf;
}

static void basic(struct optic_print *p, void *arg)
{
	op_open_object(p, NULL);
	op_string(p, "name", "name %s\n", "port0");
	op_uint(p, "n", "n %" PRIu64 "\n", 42);
	op_int(p, "neg", "neg %" PRId64 "\n", -7);
	op_float(p, "x", "x %.2f\n", 1.23456, 3);
	op_float(p, "inf", "inf %.2f\n", -INFINITY, 2);
	op_float(p, "negzero", NULL, -0.0001, 2);
	op_bool(p, "b", "b %s\n", true);
	op_null(p, "nothing", "nothing -\n");
	op_string(p, NULL, "text only\n", NULL);
	op_string(p, "json_only", NULL, "j");
	op_open_array(p, "arr");
	op_uint(p, NULL, NULL, 1);
	op_open_object(p, NULL);
	op_bool(p, "in", NULL, false);
	op_close_object(p);
	op_close_array(p);
	op_text(p, "end %d\n", 1);
	op_close_object(p);
}

static void test_basic(void **state)
{
	int err;
	char *s;

	s = render(OPTIC_PRINT_JSON, basic, NULL, &err);
	assert_int_equal(err, 0);
	assert_string_equal(
		s, "{\"name\":\"port0\",\"n\":42,\"neg\":-7,\"x\":1.235,"
		   "\"inf\":null,\"negzero\":0.00,\"b\":true,\"nothing\":null,"
		   "\"json_only\":\"j\",\"arr\":[1,{\"in\":false}]}\n");
	free(s);
	s = render(0, basic, NULL, &err);
	assert_int_equal(err, 0);
	assert_string_equal(
		s, "name port0\nn 42\nneg -7\nx 1.23\ninf -inf\nb yes\n"
		   "nothing -\ntext only\nend 1\n");
	free(s);
}

static void unbalanced(struct optic_print *p, void *arg)
{
	op_open_object(p, NULL);
	op_open_array(p, "a");
}

static void two_roots(struct optic_print *p, void *arg)
{
	op_open_object(p, NULL);
	op_close_object(p);
	op_open_object(p, NULL);
	op_close_object(p);
}

static void test_errors(void **state)
{
	int err;

	free(render(OPTIC_PRINT_JSON, unbalanced, NULL, &err));
	assert_int_equal(err, -EINVAL);
	free(render(OPTIC_PRINT_JSON, two_roots, NULL, &err));
	assert_int_equal(err, -EINVAL);
	/* text mode has no structure to get wrong */
	free(render(0, unbalanced, NULL, &err));
	assert_int_equal(err, 0);
}

static void model(struct optic_print *p, void *arg)
{
	op_open_object(p, NULL);
	optic_model_print(p, arg, OPTIC_SHOW_ALL);
	op_close_object(p);
}

static json_object *jget(json_object *o, const char *path)
{
	char buf[128], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && o;
	     tok = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, atoi(tok));
		else if (!json_object_object_get_ex(o, tok, &o))
			fail_msg("no %s in %s", tok, path);
	}
	return o;
}

static void test_model_json(void **state)
{
	struct optic_image img;
	struct optic_model m;
	json_object *root, *o;
	int err;
	char *s;

	optic_image_init(&img);
	cmis_400g_dr4(&img);
	put8(&img, 0x11, 206, 0x10); /* lane 1 runs AppSel 1 (Table 8-89) */
	assert_int_equal(optic_decode(&img, &m), 0);
	s = render(OPTIC_PRINT_JSON, model, &m, &err);
	assert_int_equal(err, 0);
	root = json_tokener_parse(s);
	assert_non_null(root);

	assert_string_equal(json_object_get_string(jget(root, "spec")), "cmis");
	assert_int_equal(json_object_get_int(jget(root, "identifier")), 0x18);
	assert_string_equal(
		json_object_get_string(jget(root, "identifier_description")),
		"QSFP-DD");
	assert_string_equal(json_object_get_string(jget(root, "module_state")),
			    "ready");
	assert_string_equal(json_object_get_string(jget(root, "vendor_pn")),
			    "QDD-400G-DR4");
	assert_float_equal(json_object_get_double(jget(root, "temperature_c")),
			   25.5, 1e-9);
	assert_float_equal(
		json_object_get_double(jget(root, "supply_voltage_v")), 3.3,
		1e-9);
	assert_float_equal(json_object_get_double(jget(root, "max_power_w")),
			   12, 1e-9);
	assert_string_equal(
		json_object_get_string(jget(root, "firmware_version")), "2.7");
	assert_true(json_object_get_boolean(
		jget(root, "flags.temperature_high_warning")));
	assert_false(json_object_get_boolean(
		jget(root, "flags.temperature_high_alarm")));

	o = jget(root, "lanes");
	assert_int_equal(json_object_array_length(o), 8);
	assert_int_equal(json_object_get_int(jget(root, "lanes.0.lane")), 1);
	assert_float_equal(
		json_object_get_double(jget(root, "lanes.0.tx_power_mw")),
		0.5012, 1e-9);
	assert_float_equal(
		json_object_get_double(jget(root, "lanes.0.tx_power_dbm")),
		-3.0, 1e-9);
	assert_float_equal(
		json_object_get_double(jget(root, "lanes.0.tx_bias_ma")), 40.0,
		1e-9);
	/* 0 mW: dBm is JSON null */
	assert_true(json_object_get_type(jget(root, "lanes.1.tx_power_dbm")) ==
		    json_type_null);
	assert_string_equal(
		json_object_get_string(jget(root, "lanes.1.datapath_state")),
		"initialized");
	assert_true(
		json_object_get_boolean(jget(root, "lanes.1.flags.rx_los")));
	assert_false(
		json_object_get_boolean(jget(root, "lanes.0.flags.rx_los")));
	assert_true(json_object_get_boolean(jget(root, "lanes.2.tx_disable")));
	assert_int_equal(json_object_get_int(jget(root, "lanes.0.application")),
			 1);
	assert_string_equal(json_object_get_string(jget(
				    root, "lanes.0.application_description")),
			    "400GBASE-DR4, 400GAUI-8 C2M");
	assert_int_equal(json_object_get_int(jget(root, "lanes.1.application")),
			 0);
	assert_string_equal(json_object_get_string(jget(
				    root, "lanes.1.application_description")),
			    "unused");

	assert_float_equal(
		json_object_get_double(
			jget(root, "thresholds.temperature_c.high_alarm")),
		75, 1e-9);
	assert_float_equal(json_object_get_double(jget(
				   root, "thresholds.tx_power_mw.high_alarm")),
			   2.0, 1e-9);
	assert_float_equal(json_object_get_double(jget(
				   root, "thresholds.tx_power_dbm.high_alarm")),
			   3.01, 1e-9);
	assert_true(json_object_get_type(
			    jget(root, "thresholds.rx_power_dbm.high_alarm")) ==
		    json_type_null);

	assert_int_equal(json_object_array_length(jget(root, "applications")),
			 2);
	assert_int_equal(json_object_get_int(
				 jget(root, "applications.0.host_interface")),
			 0x11);
	assert_string_equal(
		json_object_get_string(jget(
			root, "applications.1.media_interface_description")),
		"unknown (0xee)");
	json_object_put(root);
	free(s);

	/* text from the same model */
	s = render(0, model, &m, &err);
	assert_int_equal(err, 0);
	assert_non_null(strstr(
		s,
		"\tIdentifier                                : 0x18 (QSFP-DD)\n"));
	assert_non_null(strstr(
		s,
		"TX power                                : 0.0000 mW / -inf dBm"));
	assert_non_null(strstr(
		s, "Media interface                         : unknown (0xee)"));
	assert_non_null(strstr(
		s,
		"Active application                      : 1 (400GBASE-DR4, 400GAUI-8 C2M)\n"));
	assert_non_null(strstr(
		s, "Active application                      : 0 (unused)\n"));
	assert_non_null(strstr(
		s, "Flags                                   : RX LOS\n"));
	assert_non_null(strstr(
		s,
		"Module flags                              : Temperature high warning\n"));
	if (getenv("OPTIC_TEST_SHOW"))
		fputs(s, stdout);
	free(s);
	optic_model_free(&m);
	optic_image_clear(&img);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_model_json),
	};

	return cmocka_run_group_tests_name("print", tests, NULL, NULL);
}
