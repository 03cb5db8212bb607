/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * opticd configuration: /etc/optic/opticd.conf, an INI file read with libinih.
 * See docs/man/opticd.conf.5 and contrib/opticd.conf.
 *
 * Sections: [daemon], [history], [policy NAME] for each policy,
 * [group NAME] (power budget of a group of ports), and overrides
 * [vendor GLOB], [pn GLOB], [port GLOB] applied in that order (a port
 * override beats a PN override beats a vendor override; within a kind, the
 * later section wins).
 */
#ifndef OPTICD_CONFIG_H
#define OPTICD_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "history.h"
#include "policy.h"
#include "sample.h"

#define OPTICD_CONFIG_PATH "/etc/optic/opticd.conf"
#define OPTICD_METRICS_DEFAULT "127.0.0.1:9732"
#define OPTICD_STATUS_SOCKET "/run/opticd/status.sock"

enum action {
	ACTION_LOG, /* log and count what would be done */
	ACTION_ACT, /* do it */
};

enum thermal_mode {
	THERMAL_MODE_LPMODE,
	THERMAL_MODE_TX_DISABLE,
};

struct policy_common {
	bool enabled;
	enum action action;
};

/* Threshold overrides, base units; NaN = keep the module's. */
struct thr_override {
	struct thresholds t[_MON_MAX];
};

enum match_kind {
	MATCH_VENDOR,
	MATCH_PN,
	MATCH_PORT,
};

struct web_config;

/*
 * application = (opticd.conf(5)): a CMIS application by AppSel "1"-"15" or
 * interface name ("400GBASE-DR4"), or "module": the module's own choice.
 */
#define APP_SETTING_LEN 48
#define APP_SETTING_MODULE "module"

struct override {
	enum match_kind kind;
	char *glob;
	unsigned int line;
	/* Each field is "unset" unless its has_ flag is true. */
	bool has_priority, has_group, has_ignore, has_thermal_limit;
	bool has_application;
	char application[APP_SETTING_LEN];
	int priority;
	char *group;
	bool ignore;
	double thermal_limit;
	bool has_enabled[_POLICY_MAX];
	bool enabled[_POLICY_MAX];
	struct thr_override thr;
};

struct power_group {
	char *name;
	double budget; /* W; <= 0 unlimited */
};

struct config {
	char *path;

	/* [daemon] */
	unsigned int poll_interval_ms;
	unsigned int poll_readers; /* threads reading polls; 0 = the loop */
	char *metrics_listen; /* "" = off */
	struct web_config *web; /* metrics_web_config; NULL: plain HTTP */
	char *status_socket; /* "" = off */
	char *textfile; /* NULL = off */
	unsigned int textfile_interval; /* s */
	bool load_driver;
	unsigned int driver_retry; /* s between netlink reconnects */

	struct history_spec history;

	/* [policy *] */
	struct policy_common policy[_POLICY_MAX];
	struct hysteresis thr_hyst_temp; /* °C */
	struct hysteresis thr_hyst; /* others, relative */
	struct thermal_cfg thermal;
	enum thermal_mode thermal_mode;
	struct recovery_cfg recovery;
	double power_budget; /* host budget, W */
	struct predict_cfg predict;
	unsigned int predict_window; /* s of history fitted */
	unsigned int predict_interval; /* s between fits */
	struct flap_cfg flap;

	struct power_group *groups; /* groups[0] is the host ("") */
	size_t n_groups;
	struct override *overrides;
	size_t n_overrides;
};

/* What applies to one port once the overrides are merged. */
struct port_settings {
	bool ignore;
	int priority;
	unsigned int group; /* index into config.groups */
	bool enabled[_POLICY_MAX];
	double thermal_limit;
	struct thr_override thr;
	char application[APP_SETTING_LEN]; /* "": the module's own choice */
};

/* A config with every default. */
int config_new_default(struct config **out);
void config_free(struct config *c);
static inline void config_freep(struct config **c)
{
	if (*c)
		config_free(*c);
}

/*
 * Parse @path. On a bad file returns -EINVAL and *err is
 * "PATH:LINE: reason" (malloc'ed); -errno when the file can't be read
 * (*err says why). A missing file is -ENOENT.
 */
int config_load(const char *path, struct config **out, char **err);
/* Parse a string (tests); @name stands for the path in messages. */
int config_load_string(const char *name, const char *text, struct config **out,
		       char **err);

/* Print the effective configuration in the file's own syntax. */
void config_dump(const struct config *c, FILE *f);

void config_port_settings(const struct config *c, const char *port,
			  const char *vendor, const char *pn,
			  struct port_settings *out);

const char *action_name(enum action a);

#endif /* OPTICD_CONFIG_H */
