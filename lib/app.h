/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * CMIS applications (CMIS 5.2 Tables 8-23/8-24, page 01h Table 8-51) as a
 * module advertises them: looked up by AppSel or by host or media
 * interface name ("400GBASE-DR4", "800GAUI-8"), and the host lanes their
 * instances may take. Names come from the SFF-8024 tables (sff8024.c).
 */
#ifndef OPTIC_APP_H
#define OPTIC_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"

/* Bytes for optic_app_label() and optic_lanes_format(). */
#define OPTIC_APP_LABEL 96
#define OPTIC_LANES_TEXT 96

struct optic_app {
	uint8_t appsel; /* 1-15 */
	uint8_t host_id, media_id; /* SFF-8024 Table 4-5; 4-6..4-10 */
	uint8_t host_lanes, media_lanes;
	uint8_t host_assign; /* bit N: an instance may start at bank lane N+1 */
	const char *host_name, *media_name; /* SFF-8024 names; NULL unknown */
};

/* Advertised application @appsel (1-15); -ENOENT when not advertised. */
int optic_app_get(const struct optic_image *img, unsigned int appsel,
		  struct optic_app *app);

/*
 * The application @name names: an AppSel "1".."15", or a host or media
 * interface name matching one application only. -ENOENT when none does,
 * -EEXIST when several do (*candidates: bit N-1 for AppSel N), -EINVAL
 * when @name is neither a number 1-15 nor a name. *candidates may be NULL.
 */
int optic_app_find(const struct optic_image *img, const char *name,
		   struct optic_app *app, uint16_t *candidates);

/*
 * @name (e.g. "400GBASE-DR4", "800GAUI-8") names SFF-8024 interface
 * @ifname ("400GBASE-DR4 (Clause 124)", "800GAUI-8 S C2M (Annex 120G)"):
 * one of its '/' alternatives, up to a blank, ignoring case.
 */
bool optic_if_name_matches(const char *ifname, const char *name);
/* An AppSel 1-15 or a name of any SFF-8024 host or media interface. */
bool optic_app_name_valid(const char *name);
/* An AppSel "1".."15": 1-15; else 0. */
unsigned int optic_appsel_parse(const char *name);

/* "400GBASE-DR4, 400GAUI-4-S C2M": media, host, without the spec clause. */
void optic_app_label(const struct optic_app *app, char *buf, size_t size);
/* The short form of an SFF-8024 name: up to its " (" clause. */
void optic_if_short(const char *ifname, char *buf, size_t size);

/*
 * Do host lanes @lanes (bit N: lane N+1) of a module with @nlanes host
 * lanes (banks of eight) consist of whole instances of @app? 0 yes;
 * -ERANGE a lane past @nlanes; -EINVAL not, *bad the first run of lanes
 * that is not an instance.
 */
int optic_app_cover(const struct optic_app *app, uint32_t lanes,
		    unsigned int nlanes, uint32_t *bad);
/* The lanes an instance of @app may start at: "1 or 5" (1-based). */
void optic_app_starts(const struct optic_app *app, unsigned int nlanes,
		      char *buf, size_t size);
/* Lanes as operators write them, 1-based: "1-3", "1,3,5-8". */
void optic_lanes_format(uint32_t lanes, char *buf, size_t size);

#endif /* OPTIC_APP_H */
