/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * opticd logging: one call per event at the boundary, with the structured
 * journal fields OPTIC_PORT=, OPTIC_LANE=, OPTIC_POLICY= and MESSAGE_ID=.
 * When journald is not there (a VM, a container, a terminal), the same
 * message goes to stderr as "opticd: <port[/lane]> <policy>: text".
 */
#ifndef OPTICD_LOG_H
#define OPTICD_LOG_H

#include <syslog.h>

/* MESSAGE_ID= of every event kind opticd logs (see docs/man/opticd.8). */
#define MSGID_STARTED "b360167985d044dabb7b7da12dd21b6b"
#define MSGID_THRESHOLD "d29614bb9cd24f49a3f29cc0fc0e61fc"
#define MSGID_THERMAL "9b57ef45927a44ff94110482e14b6c3f"
#define MSGID_RECOVERY "9acbed026e584d4da10ad09dcfb8481f"
#define MSGID_POWER "697564845d6e42029395a9b36a1964a2"
#define MSGID_PREDICT "0b0c71e4a4804855bc137fe1528ee3f4"
#define MSGID_FLAP "78538a23f5d440cfa3c0ec7236d1fc14"
#define MSGID_MODULE "2d004ade62b34651818a631647210adb"
#define MSGID_CONFIG "a94d71a7cf374b2390ecdaece5840ec3"
#define MSGID_DRIVER "c188823d3e9c4f2981214c08557140e8"
#define MSGID_LINK "4d3c8a52e0f94b7c9a6e1f2b83d5c071"
#define MSGID_APPLICATION "1ad6cd0752e44aa293b61abd3469b4a2"

enum log_target {
	LOG_TARGET_AUTO, /* journal when its socket exists, else stderr */
	LOG_TARGET_JOURNAL,
	LOG_TARGET_CONSOLE,
};

void log_set_target(enum log_target t);
void log_set_max_level(int prio);

/*
 * Log @fmt at @prio. @port may be NULL, @lane < 0 means none, @policy and
 * @msgid may be NULL. @err (a positive errno) is added as ERRNO= when
 * non-zero. Returns -@err, so callers can `return log_port(...)`.
 */
int log_event(int prio, int err, const char *port, int lane, const char *policy,
	      const char *msgid, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Structured fields of log_fields(): "KEY=value", at most LOG_FIELDS_MAX. */
#define LOG_FIELDS_MAX 20
#define LOG_FIELD_LEN 64

/*
 * Log @fmt at @prio with @fields ("KEY=value", journal field names) and
 * MESSAGE_ID=@msgid (may be NULL). Without journald the fields follow the
 * message on stderr (a value with a space in double quotes).
 */
void log_fields(int prio, const char *msgid, char fields[][LOG_FIELD_LEN],
		size_t n, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#define log_info(...) log_event(LOG_INFO, 0, NULL, -1, NULL, NULL, __VA_ARGS__)
#define log_notice(...) \
	log_event(LOG_NOTICE, 0, NULL, -1, NULL, NULL, __VA_ARGS__)
#define log_warn(...) \
	log_event(LOG_WARNING, 0, NULL, -1, NULL, NULL, __VA_ARGS__)
#define log_debug(...) \
	log_event(LOG_DEBUG, 0, NULL, -1, NULL, NULL, __VA_ARGS__)
/* log_errno(err, fmt, ...): err is a positive or negative errno. */
#define log_errno(err, ...)                                                  \
	log_event(LOG_ERR, (err) < 0 ? -(err) : (err), NULL, -1, NULL, NULL, \
		  __VA_ARGS__)

#endif /* OPTICD_LOG_H */
