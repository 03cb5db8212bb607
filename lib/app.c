// SPDX-License-Identifier: LGPL-2.1-or-later
/* CMIS applications by AppSel or interface name, and their lanes (app.h). */
#include <errno.h>
#include <stdio.h>
#include <strings.h>

#include "app.h"
#include "decode.h"
#include "util.h"

int optic_app_get(const struct optic_image *img, unsigned int appsel,
		  struct optic_app *app)
{
	int b[4], media;
	unsigned int i;

	if (appsel < 1 || appsel > optic_cmis_count_apps(img))
		return -ENOENT;
	for (i = 0; i < 4; i++) {
		b[i] = optic_cmis_app_byte(img, appsel - 1, i);
		if (b[i] < 0)
			return -ENOENT;
	}
	media = optic_image_byte(img, 0, 0, 0, 85);
	*app = (struct optic_app){
		.appsel = appsel,
		.host_id = b[0],
		.media_id = b[1],
		.host_lanes = b[2] >> 4,
		.media_lanes = b[2] & 0x0f,
		.host_assign = b[3],
		.host_name = optic_code_name(&optic_sff8024_host_if, b[0]),
		.media_name = optic_code_name(
			optic_sff8024_media_table(media < 0 ? 0 : media), b[1]),
	};
	return 0;
}

unsigned int optic_appsel_parse(const char *name)
{
	char *end;
	unsigned long n;

	if (*name < '0' || *name > '9')
		return 0;
	n = strtoul(name, &end, 10);
	return *end || n < 1 || n > 15 ? 0 : n;
}

bool optic_if_name_matches(const char *ifname, const char *name)
{
	size_t n = strlen(name);
	const char *alt = ifname;

	if (!ifname || !n)
		return false;
	/* "400G-FR4/400GBASE-FR4 (Clause 151)": each alternative */
	for (;;) {
		if (!strncasecmp(alt, name, n) &&
		    (!alt[n] || alt[n] == ' ' || alt[n] == '/'))
			return true;
		alt = strpbrk(alt, "/ ");
		if (!alt || *alt != '/')
			return false;
		alt++;
	}
}

static bool in_table(const struct optic_codes *t, const char *name)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (optic_if_name_matches(t->c[i].name, name))
			return true;
	return false;
}

bool optic_app_name_valid(const char *name)
{
	/* CMIS 5.2 Table 8-22: MediaType 1-5 each have an SFF-8024 table */
	for (uint8_t type = 1; type <= 5; type++)
		if (in_table(optic_sff8024_media_table(type), name))
			return true;
	return optic_appsel_parse(name) ||
	       in_table(&optic_sff8024_host_if, name);
}

int optic_app_find(const struct optic_image *img, const char *name,
		   struct optic_app *app, uint16_t *candidates)
{
	unsigned int n = optic_appsel_parse(name), i, napps, found = 0;
	struct optic_app a;
	uint16_t cands = 0;

	if (n)
		return optic_app_get(img, n, app);
	if (!optic_app_name_valid(name))
		return -EINVAL;
	napps = optic_cmis_count_apps(img);
	for (i = 1; i <= napps; i++) {
		if (optic_app_get(img, i, &a) < 0 ||
		    (!optic_if_name_matches(a.media_name, name) &&
		     !optic_if_name_matches(a.host_name, name)))
			continue;
		if (!found++)
			*app = a;
		cands |= 1u << (i - 1);
	}
	if (candidates)
		*candidates = cands;
	return !found ? -ENOENT : found > 1 ? -EEXIST : 0;
}

void optic_if_short(const char *ifname, char *buf, size_t size)
{
	const char *end = ifname ? strstr(ifname, " (") : NULL;

	if (!ifname)
		snprintf(buf, size, "unknown");
	else
		snprintf(buf, size, "%.*s",
			 end ? (int)(end - ifname) : (int)strlen(ifname),
			 ifname);
}

void optic_app_label(const struct optic_app *app, char *buf, size_t size)
{
	char media[48], host[48];

	optic_if_short(app->media_name, media, sizeof(media));
	optic_if_short(app->host_name, host, sizeof(host));
	snprintf(buf, size, "%s, %s", media, host);
}

/* CMIS 5.2 8.4.1: lanes are numbered within banks of eight. */
#define BANK_LANES 8u

/* Bit N: an instance may start at lane N+1 of the module. */
static uint32_t start_lanes(const struct optic_app *app, unsigned int nlanes)
{
	uint32_t m = 0;

	for (unsigned int l = 0; l < nlanes && l < 32; l++) {
		unsigned int bl = l % BANK_LANES;
		unsigned int end = MIN(l - bl + BANK_LANES, nlanes);

		if ((app->host_assign & (1u << bl)) && app->host_lanes &&
		    l + app->host_lanes <= end)
			m |= 1u << l;
	}
	return m;
}

static uint32_t run_mask(unsigned int first, unsigned int n)
{
	return (n >= 32 ? ~0u : (1u << n) - 1) << first;
}

int optic_app_cover(const struct optic_app *app, uint32_t lanes,
		    unsigned int nlanes, uint32_t *bad)
{
	uint32_t starts = start_lanes(app, nlanes), inst;
	unsigned int l, n;

	if (nlanes < 32 && (lanes >> nlanes))
		return -ERANGE;
	while (lanes) {
		l = __builtin_ctz(lanes);
		inst = run_mask(l, app->host_lanes);
		if (!(starts & (1u << l)) || (lanes & inst) != inst) {
			/* the run of lanes from @l */
			for (n = 0; l + n < 32 && (lanes & (1u << (l + n)));
			     n++)
				;
			*bad = run_mask(l, n) & lanes;
			return -EINVAL;
		}
		lanes &= ~inst;
	}
	return 0;
}

void optic_lanes_format(uint32_t lanes, char *buf, size_t size)
{
	size_t n = 0;
	unsigned int l = 0, e;

	buf[0] = '\0';
	while (l < 32 && lanes >> l) {
		if (!(lanes & (1u << l))) {
			l++;
			continue;
		}
		for (e = l; e + 1 < 32 && (lanes & (1u << (e + 1))); e++)
			;
		n += snprintf(buf + n, n < size ? size - n : 0,
			      e > l ? "%s%u-%u" : "%s%u", n ? "," : "", l + 1,
			      e + 1);
		l = e + 1;
	}
}

void optic_app_starts(const struct optic_app *app, unsigned int nlanes,
		      char *buf, size_t size)
{
	uint32_t m = start_lanes(app, nlanes);
	size_t n = 0;
	unsigned int l, left = __builtin_popcount(m);

	buf[0] = '\0';
	if (!m)
		snprintf(buf, size, "no lane");
	for (l = 0; l < 32 && m >> l; l++) {
		if (!(m & (1u << l)))
			continue;
		left--;
		n += snprintf(buf + n, n < size ? size - n : 0, "%s%u",
			      !n   ? "" :
			      left ? ", " :
				     " or ",
			      l + 1);
	}
}
