// SPDX-License-Identifier: GPL-2.0-or-later
/* opticd logging to the journal (structured) or stderr. */
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "log.h"

#define LOG_PREFIX_LEN 96

static enum log_target log_target = LOG_TARGET_AUTO;
static int log_max_level = LOG_INFO;

void log_set_target(enum log_target t)
{
	log_target = t;
}

void log_set_max_level(int prio)
{
	log_max_level = prio;
}

static int use_journal(void)
{
	static int cached = -1;

	if (log_target == LOG_TARGET_JOURNAL)
		return 1;
	if (log_target == LOG_TARGET_CONSOLE)
		return 0;
	if (cached < 0)
		cached = access("/run/systemd/journal/socket", W_OK) == 0;
	return cached;
}

/* Console values with a space are quoted; others are printed as they are. */
static void print_field(const char *field)
{
	const char *eq = strchr(field, '=');

	if (eq && strchr(eq, ' '))
		fprintf(stderr, " %.*s\"%s\"", (int)(eq + 1 - field), field,
			eq + 1);
	else
		fprintf(stderr, " %s", field);
}

/*
 * One entry: @msg and @fields ("KEY=value") to the journal, or to stderr
 * as "opticd: @prefix@msg", followed there by the fields when @show.
 */
static void emit(int prio, const char *msgid, const char *prefix,
		 const char *msg, char fields[][LOG_FIELD_LEN], size_t n,
		 bool show)
{
	char head[4][LOG_FIELD_LEN + 512];
	struct iovec iov[4 + LOG_FIELDS_MAX];
	size_t k = 0;

	if (!use_journal()) {
		fprintf(stderr, "opticd: %s%s", prefix, msg);
		for (size_t i = 0; show && i < n; i++)
			print_field(fields[i]);
		fputc('\n', stderr);
		return;
	}
	snprintf(head[0], sizeof(head[0]), "MESSAGE=%s", msg);
	snprintf(head[1], sizeof(head[1]), "PRIORITY=%d", prio);
	snprintf(head[2], sizeof(head[2]), "SYSLOG_IDENTIFIER=opticd");
	snprintf(head[3], sizeof(head[3]), "MESSAGE_ID=%s", msgid ?: "");
	for (size_t i = 0; i < (msgid ? 4 : 3); i++)
		iov[k++] = (struct iovec){ head[i], strlen(head[i]) };
	for (size_t i = 0; i < n && i < LOG_FIELDS_MAX; i++)
		iov[k++] = (struct iovec){ fields[i], strlen(fields[i]) };
	sd_journal_sendv(iov, (int)k);
}

int log_event(int prio, int err, const char *port, int lane, const char *policy,
	      const char *msgid, const char *fmt, ...)
{
	char msg[512], prefix[LOG_PREFIX_LEN], fields[4][LOG_FIELD_LEN];
	size_t n = 0;
	va_list ap;
	int len;

	if (err < 0)
		err = -err;
	if (prio > log_max_level)
		return -err;

	va_start(ap, fmt);
	len = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err && len >= 0 && (size_t)len < sizeof(msg))
		snprintf(msg + len, sizeof(msg) - len, ": %s", strerror(err));

	snprintf(prefix, sizeof(prefix), "%s", port ? port : "");
	if (lane >= 0)
		snprintf(prefix + strlen(prefix),
			 sizeof(prefix) - strlen(prefix), "/lane%d", lane + 1);
	snprintf(prefix + strlen(prefix), sizeof(prefix) - strlen(prefix),
		 "%s%s%s", port && policy ? " " : "", policy ? policy : "",
		 port || policy ? ": " : "");

	if (port)
		snprintf(fields[n++], LOG_FIELD_LEN, "OPTIC_PORT=%s", port);
	if (lane >= 0)
		snprintf(fields[n++], LOG_FIELD_LEN, "OPTIC_LANE=%d", lane + 1);
	if (policy)
		snprintf(fields[n++], LOG_FIELD_LEN, "OPTIC_POLICY=%s", policy);
	if (err)
		snprintf(fields[n++], LOG_FIELD_LEN, "ERRNO=%d", err);
	emit(prio, msgid, prefix, msg, fields, n, false);
	return -err;
}

void log_fields(int prio, const char *msgid, char fields[][LOG_FIELD_LEN],
		size_t n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (prio > log_max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emit(prio, msgid, "", msg, fields, n, true);
}
