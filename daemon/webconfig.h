/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The metrics endpoint's web config (metrics_web_config in opticd.conf): the
 * YAML file Prometheus exporters take (exporter-toolkit's web-config.yml),
 * read with libyaml. TLS (with client certificates) is libmicrohttpd's over
 * GnuTLS, basic auth passwords are bcrypt hashes checked with libcrypt's
 * crypt_r(). docs/man/opticd.conf.5 lists the keys opticd takes.
 */
#ifndef OPTICD_WEBCONFIG_H
#define OPTICD_WEBCONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* client_auth_type, as in exporter-toolkit (Go's tls.ClientAuthType). */
struct client_auth {
	const char *name;
	bool request; /* ask the client for a certificate */
	bool require; /* refuse a request without one */
	bool verify; /* the certificate must chain to client_ca_file */
};

struct web_user {
	char *name;
	char *hash; /* bcrypt: $2a$, $2b$ or $2y$ */
	/* SHA-256 of the last password that matched: bcrypt is slow on purpose */
	unsigned char cached[32];
	bool have_cached;
};

struct web_config {
	char *path;
	/* PEM contents, read at load; cert and key NULL: plain HTTP */
	char *cert, *key, *client_ca;
	const struct client_auth *auth;
	struct web_user *users;
	size_t n_users;
};

/*
 * Parse @path: -EINVAL with *err "PATH:LINE: reason" on a bad file (an
 * unreadable certificate or key names the line of its key), -errno when
 * @path can't be read. Relative file names are relative to @path's
 * directory.
 */
int web_config_load(const char *path, struct web_config **out, char **err);
void web_config_free(struct web_config *wc);
static inline void web_config_freep(struct web_config **wc)
{
	web_config_free(*wc);
}

/* Whether @user with @password is one of basic_auth_users. */
bool web_config_auth(struct web_config *wc, const char *user,
		     const char *password);

#endif /* OPTICD_WEBCONFIG_H */
