// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The metrics endpoint's web config (exporter-toolkit's web-config.yml):
 * what it accepts, each error with its file:line, and the basic auth check
 * against bcrypt hashes (libcrypt).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "util.h"
#include "webconfig.h"

/* A throwaway self-signed certificate, its key and an unrelated key. */
static const char cert_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBjTCCATOgAwIBAgIUX/GKwPZDkJA8V54d9oSY2pfTBSwwCgYIKoZIzj0EAwIw\n"
	"GzEZMBcGA1UEAwwQb3B0aWNkIHVuaXQgdGVzdDAgFw0yNjEyMDYwOTQ4MjVaGA8y\n"
	"MTI2MTExMjA5NDgyNVowGzEZMBcGA1UEAwwQb3B0aWNkIHVuaXQgdGVzdDBZMBMG\n"
	"ByqGSM49AgEGCCqGSM49AwEHA0IABD8icnKfSD9YylQDUX5sKKq70VDvUCQEIHmM\n"
	"V5nA0qSIs0sqwORdrTNeXFOWEuETbqwLTDzZERzGK39eUlraqSGjUzBRMB0GA1Ud\n"
	"DgQWBBSzbcEIWhnJXSfJpT0Z/+OLPgZcljAfBgNVHSMEGDAWgBSzbcEIWhnJXSfJ\n"
	"pT0Z/+OLPgZcljAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQD8\n"
	"NH8qHQoFs7V4s83LWy+1IO3o9HCOdgi0Qq3/YkYncAIgFDDcG3JqKymaJY4T0aV4\n"
	"0dyXwouRE13lNl8g9nwYuPA=\n"
	"-----END CERTIFICATE-----\n";

static const char key_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg1TD1X6wr7fBrcIQN\n"
	"kCyqOefRi+OI0N8yZgdgSj3i7VihRANCAAQ/InJyn0g/WMpUA1F+bCiqu9FQ71Ak\n"
	"BCB5jFeZwNKkiLNLKsDkXa0zXlxTlhLhE26sC0w82REcxit/XlJa2qkh\n"
	"-----END PRIVATE KEY-----\n";

static const char other_key_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQghfLmBFz3hLEPmv7P\n"
	"yopXyRY33pyFL6i/V6vWSEzMJrqhRANCAAQPdh1Ml01zx6R43DKopyDakvlHdsJP\n"
	"cVqjLoX6Mdn8Ren5It6GpXQj8Gy+IjZw3f/XTUmWyERmiBuNuM66bqi1\n"
	"-----END PRIVATE KEY-----\n";

/* bcrypt of "secret" and (a $2y$ hash) of "pw2" */
#define SECRET_HASH \
	"$2b$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a"
#define PW2_HASH "$2y$04$0123456789abcdefghijkerz2cGJ4qIfkkZ5qAVaiW4QRtFEIup5."

static char dir[] = "/tmp/opticd-webconfig.XXXXXX";

static void put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	put("cert.pem", cert_pem);
	put("key.pem", key_pem);
	put("other.key", other_key_pem);
	put("garbage.pem", "not a certificate\n");
	return 0;
}

static int teardown(void **state)
{
	static const char *const files[] = { "cert.pem",  "key.pem",
					     "other.key", "garbage.pem",
					     "web.yml",	  "opticd.conf" };
	char path[128];

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	return rmdir(dir);
}

static const struct {
	const char *yaml;
	bool tls;
	const char *auth; /* client_auth_type */
	size_t users;
} cases[] = {
	{ "", false, "NoClientCert", 0 },
	{ "# nothing\n", false, "NoClientCert", 0 },
	{ "basic_auth_users:\n  prometheus: " SECRET_HASH
	  "\n  grafana: " PW2_HASH "\n",
	  false, "NoClientCert", 2 },
	{ "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n",
	  true, "NoClientCert", 0 },
	{ "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
	  "  client_auth_type: RequireAndVerifyClientCert\n"
	  "  client_ca_file: cert.pem\n"
	  "basic_auth_users:\n  prometheus: " SECRET_HASH "\n",
	  true, "RequireAndVerifyClientCert", 1 },
	{ "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
	  "  client_auth_type: VerifyClientCertIfGiven\n"
	  "  client_ca_file: cert.pem\n",
	  true, "VerifyClientCertIfGiven", 0 },
	{ "tls_server_config: {cert_file: cert.pem, key_file: key.pem}\n", true,
	  "NoClientCert", 0 },
};

static const struct {
	const char *yaml;
	const char *error; /* after "DIR/web.yml:" */
} bad[] = {
	{ "http_server_config:\n  http2: false\n",
	  "1: unknown key 'http_server_config' (opticd takes tls_server_config and basic_auth_users)" },
	{ "tls_server_config:\n  cert_file: cert.pem\n  min_version: TLS13\n",
	  "3: unknown key 'min_version' in tls_server_config" },
	{ "tls_server_config:\n  client_auth_type: Maybe\n",
	  "2: client_auth_type: 'Maybe' is not NoClientCert" },
	{ "tls_server_config:\n  cert_file: cert.pem\n",
	  "1: tls_server_config: cert_file and key_file go together" },
	{ "tls_server_config:\n  key_file: nope.pem\n",
	  "2: key_file: /tmp/opticd-webconfig." },
	{ "tls_server_config:\n  cert_file: cert.pem\n  key_file: other.key\n",
	  "1: tls_server_config: cert_file, key_file: " },
	{ "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
	  "  client_auth_type: RequireAnyClientCert\n",
	  "1: tls_server_config: client_auth_type RequireAnyClientCert needs client_ca_file" },
	{ "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
	  "  client_auth_type: RequestClientCert\n"
	  "  client_ca_file: garbage.pem\n",
	  "5: client_ca_file: no certificate" },
	{ "tls_server_config:\n  client_ca_file: cert.pem\n",
	  "1: tls_server_config: client certificates need cert_file and key_file" },
	{ "tls_server_config: yes\n", "1: tls_server_config: not a mapping" },
	{ "basic_auth_users:\n  prometheus: secret\n",
	  "2: basic_auth_users: prometheus: not a bcrypt hash ($2b$...)" },
	{ "basic_auth_users:\n  a: " SECRET_HASH "\n  a: " PW2_HASH "\n",
	  "3: basic_auth_users: a given twice" },
	{ "basic_auth_users:\n  prometheus: [a, b]\n",
	  "2: basic_auth_users: prometheus: not a bcrypt hash" },
	{ "- a\n- b\n", "1: the file: not a mapping" },
	{ "tls_server_config:\n  cert_file: [\n", "3: " },
};

static void test_parse(void **state)
{
	char path[128], prefix[160];

	snprintf(path, sizeof(path), "%s/web.yml", dir);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		_cleanup_(web_config_freep) struct web_config *wc = NULL;
		_cleanup_free_ char *err = NULL;

		put("web.yml", cases[i].yaml);
		if (web_config_load(path, &wc, &err) < 0)
			fail_msg("case %zu: %s", i, err);
		assert_string_equal(wc->path, path);
		assert_int_equal(!!wc->cert, cases[i].tls);
		assert_int_equal(!!wc->key, cases[i].tls);
		assert_string_equal(wc->auth->name, cases[i].auth);
		assert_int_equal(wc->n_users, cases[i].users);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		_cleanup_(web_config_freep) struct web_config *wc = NULL;
		_cleanup_free_ char *err = NULL;
		int r;

		put("web.yml", bad[i].yaml);
		r = web_config_load(path, &wc, &err);
		snprintf(prefix, sizeof(prefix), "%s:%s", path, bad[i].error);
		if (r != -EINVAL || !err ||
		    strncmp(err, prefix, strlen(prefix)))
			fail_msg("bad %zu: %d '%s', expected '%s'", i, r,
				 err ? err : "(none)", prefix);
		assert_null(wc);
	}
}

static void test_missing_file(void **state)
{
	_cleanup_(web_config_freep) struct web_config *wc = NULL;
	_cleanup_free_ char *err = NULL;

	assert_int_equal(web_config_load("/nonexistent/web.yml", &wc, &err),
			 -ENOENT);
	assert_string_equal(err,
			    "/nonexistent/web.yml: No such file or directory");
}

/* metrics_web_config in opticd.conf: its errors name both files' lines. */
static void test_config_key(void **state)
{
	static const struct {
		const char *value, *error;
	} keys[] = {
		{ "web.yml",
		  "test.conf:3: metrics_web_config: 'web.yml' is not an absolute path" },
		{ "/nonexistent/web.yml",
		  "test.conf:3: metrics_web_config: /nonexistent/web.yml: No such file or directory" },
		{ "DIR/web.yml",
		  "test.conf:3: metrics_web_config: DIR/web.yml:2: basic_auth_users: u: not a bcrypt hash ($2b$...)" },
	};
	char text[256], want[256];

	put("web.yml", "basic_auth_users:\n  u: x\n");
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		_cleanup_(config_freep) struct config *c = NULL;
		_cleanup_free_ char *err = NULL;
		const char *v = keys[i].value, *e = keys[i].error;
		bool d = !strncmp(v, "DIR", 3);

		snprintf(
			text, sizeof(text),
			"[daemon]\nstatus_socket =\nmetrics_web_config = %s%s\n",
			d ? dir : "", d ? v + 3 : v);
		snprintf(want, sizeof(want), "%.*s%s%s",
			 (int)(d ? strstr(e, "DIR") - e : (long)strlen(e)), e,
			 d ? dir : "", d ? strstr(e, "DIR") + 3 : "");
		assert_int_equal(config_load_string("test.conf", text, &c,
						    &err),
				 -EINVAL);
		assert_string_equal(err, want);
	}

	/* a good one, shown by the dump; empty turns it off */
	put("web.yml", "basic_auth_users:\n  u: " SECRET_HASH "\n");
	snprintf(
		text, sizeof(text),
		"[daemon]\nmetrics_web_config = %s/web.yml\nmetrics_web_config =\n",
		dir);
	{
		_cleanup_(config_freep) struct config *c = NULL;
		_cleanup_free_ char *err = NULL;

		assert_int_equal(config_load_string("t", text, &c, &err), 0);
		assert_null(c->web);
	}
	snprintf(text, sizeof(text),
		 "[daemon]\nmetrics_web_config = %s/web.yml\n", dir);
	{
		_cleanup_(config_freep) struct config *c = NULL;
		_cleanup_free_ char *err = NULL, *dump = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&dump, &len);

		assert_int_equal(config_load_string("t", text, &c, &err), 0);
		assert_int_equal(c->web->n_users, 1);
		config_dump(c, f);
		fclose(f);
		snprintf(want, sizeof(want),
			 "\nmetrics_web_config = %s/web.yml\n", dir);
		assert_non_null(strstr(dump, want));
	}
}

static void test_auth(void **state)
{
	static const struct {
		const char *user, *password;
		bool ok;
	} tries[] = {
		{ "prometheus", "secret", true },
		{ "prometheus", "secret", true }, /* the cached path */
		{ "prometheus", "Secret", false },
		{ "prometheus", "secre", false },
		{ "prometheus", "secret ", false },
		{ "prometheus", "", false },
		{ "grafana", "pw2", true },
		{ "grafana", "secret", false },
		{ "nobody", "secret", false },
		{ "", "", false },
		{ "prometheus", "pw2", false },
		{ "prometheus", "secret", true },
	};
	_cleanup_(web_config_freep) struct web_config *wc = NULL;
	_cleanup_free_ char *err = NULL;
	char path[128];

	put("web.yml", "basic_auth_users:\n  prometheus: " SECRET_HASH
		       "\n  grafana: " PW2_HASH "\n");
	snprintf(path, sizeof(path), "%s/web.yml", dir);
	assert_int_equal(web_config_load(path, &wc, &err), 0);
	for (size_t i = 0; i < ARRAY_SIZE(tries); i++)
		if (web_config_auth(wc, tries[i].user, tries[i].password) !=
		    tries[i].ok)
			fail_msg("try %zu: %s:%s should be %s", i,
				 tries[i].user, tries[i].password,
				 tries[i].ok ? "accepted" : "refused");
	assert_true(wc->users[0].have_cached);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_config_key),
		cmocka_unit_test(test_auth),
	};

	return cmocka_run_group_tests_name("opticd_webconfig", tests, setup,
					   teardown);
}
