// SPDX-License-Identifier: GPL-2.0-or-later
/* The metrics endpoint's web config (libyaml), bcrypt basic auth (libcrypt). */
#include <crypt.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <yaml.h>

#include "util.h"
#include "webconfig.h"

static const struct client_auth client_auths[] = {
	{ "NoClientCert", false, false, false },
	{ "RequestClientCert", true, false, false },
	{ "RequireAnyClientCert", true, true, false },
	{ "VerifyClientCertIfGiven", true, false, true },
	{ "RequireAndVerifyClientCert", true, true, true },
};

struct wparser {
	const char *name;
	char *dir; /* of the file, for relative names */
	yaml_document_t *doc;
	struct web_config *wc;
	char *err;
	unsigned int ca_line, tls_line;
};

static int fail(struct wparser *p, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record the first error with the node's line; returns -EINVAL. */
static int fail(struct wparser *p, const yaml_node_t *n, const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	if (p->err)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (asprintf(&p->err, "%s:%zu: %s", p->name, n->start_mark.line + 1,
		     reason) < 0)
		p->err = NULL;
	return -EINVAL;
}

static const char *scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ?
		       (const char *)n->data.scalar.value :
		       NULL;
}

static int read_all(const char *path, char **out)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	char chunk[4096];
	size_t n;

	if (!f)
		return -errno;
	m = open_memstream(&buf, &len);
	if (!m)
		return -ENOMEM;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	if (fclose(m) != 0) {
		free(buf);
		return -ENOMEM;
	}
	if (ferror(f)) {
		free(buf);
		return -EIO;
	}
	*out = buf;
	return 0;
}

/* A PEM file named by @n: its contents into *dst. */
static int pem_file(struct wparser *p, const char *key, yaml_node_t *n,
		    char **dst)
{
	const char *v = scalar(n);
	_cleanup_free_ char *path = NULL;
	int r;

	if (!v || !*v)
		return fail(p, n, "%s: not a file name", key);
	if (asprintf(&path, "%s%s%s", *v == '/' ? "" : p->dir,
		     *v == '/' ? "" : "/", v) < 0)
		return -ENOMEM;
	free(*dst);
	*dst = NULL;
	r = read_all(path, dst);
	if (r < 0)
		return fail(p, n, "%s: %s: %s", key, path, strerror(-r));
	return 0;
}

static int tls_key(struct wparser *p, yaml_node_t *k, yaml_node_t *n)
{
	struct web_config *wc = p->wc;
	const char *key = scalar(k), *v;

	if (streq(key, "cert_file"))
		return pem_file(p, key, n, &wc->cert);
	if (streq(key, "key_file"))
		return pem_file(p, key, n, &wc->key);
	if (streq(key, "client_ca_file")) {
		p->ca_line = n->start_mark.line + 1;
		return pem_file(p, key, n, &wc->client_ca);
	}
	if (streq(key, "client_auth_type")) {
		v = scalar(n);
		for (size_t i = 0; v && i < ARRAY_SIZE(client_auths); i++)
			if (streq(v, client_auths[i].name)) {
				wc->auth = &client_auths[i];
				return 0;
			}
		return fail(
			p, n,
			"client_auth_type: '%s' is not NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven or RequireAndVerifyClientCert",
			v ? v : "");
	}
	return fail(
		p, k,
		"unknown key '%s' in tls_server_config (cert_file, key_file, client_auth_type, client_ca_file)",
		key);
}

static int user_key(struct wparser *p, yaml_node_t *k, yaml_node_t *n)
{
	struct web_config *wc = p->wc;
	const char *key = scalar(k), *v = scalar(n);
	struct web_user *u;

	/* $2b$CC$ then 22 characters of salt and 31 of hash */
	if (!v || strlen(v) != 60 || v[0] != '$' || v[1] != '2' ||
	    !strchr("aby", v[2]) || v[3] != '$' || v[6] != '$')
		return fail(p, n,
			    "basic_auth_users: %s: not a bcrypt hash ($2b$...)",
			    key);
	for (size_t i = 0; i < wc->n_users; i++)
		if (streq(wc->users[i].name, key))
			return fail(p, k, "basic_auth_users: %s given twice",
				    key);
	u = reallocarray(wc->users, wc->n_users + 1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	wc->users = u;
	u += wc->n_users;
	*u = (struct web_user){ .name = strdup(key), .hash = strdup(v) };
	wc->n_users++;
	return u->name && u->hash ? 0 : -ENOMEM;
}

/* Call @fn for every key: value of the mapping @n. */
static int each_pair(struct wparser *p, const char *what, yaml_node_t *n,
		     int (*fn)(struct wparser *, yaml_node_t *, yaml_node_t *))
{
	yaml_node_pair_t *pair;
	int r;

	if (n->type == YAML_SCALAR_NODE && !*scalar(n))
		return 0; /* "key:" with nothing: empty */
	if (n->type != YAML_MAPPING_NODE)
		return fail(p, n, "%s: not a mapping", what);
	for (pair = n->data.mapping.pairs.start;
	     pair < n->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(p->doc, pair->value);

		if (!scalar(k))
			return fail(p, k, "%s: keys are names", what);
		r = fn(p, k, v);
		if (r < 0)
			return r;
	}
	return 0;
}

static int top_key(struct wparser *p, yaml_node_t *k, yaml_node_t *n)
{
	const char *key = scalar(k);

	if (streq(key, "tls_server_config")) {
		p->tls_line = k->start_mark.line + 1;
		return each_pair(p, key, n, tls_key);
	}
	if (streq(key, "basic_auth_users"))
		return each_pair(p, key, n, user_key);
	return fail(
		p, k,
		"unknown key '%s' (opticd takes tls_server_config and basic_auth_users)",
		key);
}

/* The certificate, key and CA as GnuTLS (libmicrohttpd's TLS) reads them. */
static int check_tls(struct wparser *p, yaml_node_t *root)
{
	struct web_config *wc = p->wc;
	gnutls_certificate_credentials_t cred;
	yaml_node_t at = *root;
	int r = 0;

	at.start_mark.line = p->tls_line ? p->tls_line - 1 : 0;
	if (!wc->cert != !wc->key)
		return fail(
			p, &at,
			"tls_server_config: cert_file and key_file go together");
	if (!wc->cert && (wc->client_ca || wc->auth->request))
		return fail(
			p, &at,
			"tls_server_config: client certificates need cert_file and key_file");
	if (wc->auth->request && !wc->client_ca)
		return fail(
			p, &at,
			"tls_server_config: client_auth_type %s needs client_ca_file",
			wc->auth->name);
	if (!wc->cert)
		return 0;
	if (gnutls_certificate_allocate_credentials(&cred) < 0)
		return -ENOMEM;
	r = gnutls_certificate_set_x509_key_mem(
		cred,
		&(gnutls_datum_t){ (unsigned char *)wc->cert,
				   strlen(wc->cert) },
		&(gnutls_datum_t){ (unsigned char *)wc->key, strlen(wc->key) },
		GNUTLS_X509_FMT_PEM);
	if (r < 0) {
		fail(p, &at, "tls_server_config: cert_file, key_file: %s",
		     gnutls_strerror(r));
	} else if (wc->client_ca) {
		r = gnutls_certificate_set_x509_trust_mem(
			cred,
			&(gnutls_datum_t){ (unsigned char *)wc->client_ca,
					   strlen(wc->client_ca) },
			GNUTLS_X509_FMT_PEM);
		at.start_mark.line = p->ca_line - 1;
		if (r <= 0)
			fail(p, &at, "client_ca_file: no certificate (%s)",
			     r < 0 ? gnutls_strerror(r) : "empty");
	}
	gnutls_certificate_free_credentials(cred);
	return p->err ? -EINVAL : 0;
}

static int parse(struct wparser *p, FILE *f)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	int r;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		if (asprintf(&p->err, "%s:%zu: %s", p->name,
			     parser.problem_mark.line + 1,
			     parser.problem ?: "not YAML") < 0)
			p->err = NULL;
		yaml_parser_delete(&parser);
		return -EINVAL;
	}
	p->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	r = root ? each_pair(p, "the file", root, top_key) : 0;
	if (r >= 0 && root)
		r = check_tls(p, root);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return r;
}

int web_config_load(const char *path, struct web_config **out, char **err)
{
	_cleanup_(web_config_freep) struct web_config *wc =
		calloc(1, sizeof(*wc));
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_free_ char *copy = strdup(path);
	struct wparser p = { .name = path, .wc = wc };
	int r;

	*err = NULL;
	if (!wc || !copy)
		return -ENOMEM;
	if (!f) {
		r = -errno;
		if (asprintf(err, "%s: %s", path, strerror(errno)) < 0)
			*err = NULL;
		return r;
	}
	wc->auth = &client_auths[0];
	wc->path = strdup(path);
	p.dir = dirname(copy);
	if (!wc->path)
		return -ENOMEM;
	r = parse(&p, f);
	if (r < 0) {
		*err = p.err;
		return r;
	}
	*out = TAKE_PTR(wc);
	return 0;
}

void web_config_free(struct web_config *wc)
{
	if (!wc)
		return;
	free(wc->path);
	free(wc->cert);
	if (wc->key)
		explicit_bzero(wc->key, strlen(wc->key));
	free(wc->key);
	free(wc->client_ca);
	for (size_t i = 0; i < wc->n_users; i++) {
		free(wc->users[i].name);
		free(wc->users[i].hash);
	}
	free(wc->users);
	free(wc);
}

/* Equal, in a time that depends on the length only. */
static bool same(const void *a, const void *b, size_t len)
{
	const unsigned char *x = a, *y = b;
	unsigned char d = 0;

	for (size_t i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return !d;
}

bool web_config_auth(struct web_config *wc, const char *user,
		     const char *password)
{
	_cleanup_free_ struct crypt_data *cd = NULL;
	unsigned char digest[32];
	const char *h;

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, password, strlen(password),
			     digest) < 0)
		return false;
	for (size_t i = 0; i < wc->n_users; i++) {
		struct web_user *u = &wc->users[i];

		if (!streq(u->name, user))
			continue;
		if (u->have_cached && same(u->cached, digest, sizeof(digest)))
			return true;
		cd = calloc(1, sizeof(*cd));
		if (!cd)
			return false;
		h = crypt_r(password, u->hash, cd);
		if (!h || strlen(h) != strlen(u->hash) ||
		    !same(h, u->hash, strlen(h)))
			return false;
		memcpy(u->cached, digest, sizeof(digest));
		u->have_cached = true;
		return true;
	}
	return false;
}
