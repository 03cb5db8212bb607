// SPDX-License-Identifier: GPL-2.0-or-later
/* opticd logging to the journal (structured) or stderr. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "log.h"

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

int log_event(int prio, int err, const char *port, int lane, const char *policy,
	      const char *msgid, const char *fmt, ...)
{
	char msg[512], lanebuf[16] = "", errbuf[32] = "";
	va_list ap;

	if (err < 0)
		err = -err;
	if (prio > log_max_level)
		return -err;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (!use_journal()) {
		const char *sep = port || policy ? ": " : "";

		if (lane >= 0)
			snprintf(lanebuf, sizeof(lanebuf), "/lane%d", lane + 1);
		if (err)
			snprintf(errbuf, sizeof(errbuf), ": %s", strerror(err));
		fprintf(stderr, "opticd: %s%s%s%s%s%s%s\n", port ? port : "",
			lanebuf, port && policy ? " " : "",
			policy ? policy : "", sep, msg, errbuf);
		return -err;
	}

	{
		char fields[8][576];
		struct iovec iov[8];
		int n = 0;

		if (err)
			snprintf(fields[n++], sizeof(fields[0]),
				 "MESSAGE=%s: %s", msg, strerror(err));
		else
			snprintf(fields[n++], sizeof(fields[0]), "MESSAGE=%s",
				 msg);
		snprintf(fields[n++], sizeof(fields[0]), "PRIORITY=%d", prio);
		snprintf(fields[n++], sizeof(fields[0]),
			 "SYSLOG_IDENTIFIER=opticd");
		if (port)
			snprintf(fields[n++], sizeof(fields[0]),
				 "OPTIC_PORT=%s", port);
		if (lane >= 0)
			snprintf(fields[n++], sizeof(fields[0]),
				 "OPTIC_LANE=%d", lane + 1);
		if (policy)
			snprintf(fields[n++], sizeof(fields[0]),
				 "OPTIC_POLICY=%s", policy);
		if (msgid)
			snprintf(fields[n++], sizeof(fields[0]),
				 "MESSAGE_ID=%s", msgid);
		if (err)
			snprintf(fields[n++], sizeof(fields[0]), "ERRNO=%d",
				 err);
		for (int i = 0; i < n; i++) {
			iov[i].iov_base = fields[i];
			iov[i].iov_len = strlen(fields[i]);
		}
		sd_journal_sendv(iov, n);
	}
	return -err;
}
