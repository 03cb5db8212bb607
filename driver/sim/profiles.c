// SPDX-License-Identifier: GPL-2.0
/*
 * optic_sim: built-in module profiles. Identity, advertised applications,
 * power class, durations, thresholds and monitor set points of modules one
 * finds in real switches (vendor data is fictitious; OUIs are locally
 * administered so they can never match a real vendor).
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

/* SFF-8024 Table 4-1 identifiers */
#define SFF8024_ID_SFP		0x03
#define SFF8024_ID_QSFP28	0x11
#define SFF8024_ID_QSFP_DD	0x18
#define SFF8024_ID_OSFP		0x19
#define SFF8024_ID_QSFP_CMIS	0x1e
#define SFF8024_ID_OSFP_XD	0x21

/* SFF-8024 Table 4-3 connector types */
#define SFF8024_CONN_LC		0x07
#define SFF8024_CONN_MPO_1X12	0x0c
#define SFF8024_CONN_NONE	0x23	/* no separable connector (DAC) */

struct osim_app {
	u8 host_id;		/* SFF-8024 Table 4-5 */
	u8 media_id;		/* SFF-8024 Table 4-6..4-10 */
	u8 lane_counts;		/* host lanes << 4 | media lanes */
	u8 host_assign;		/* bit N: may start at host lane N + 1 */
	u8 media_assign;
	u32 rate_kbps[OSIM_SIDES];	/* per lane: host, media (IEEE 802.3) */
};

/* Lane signalling rates: 106.25 Gb/s (100G PAM4), 53.125, 26.5625 */
#define R106	106250000
#define R53	53125000
#define R26	26562500

struct osim_thresholds {
	s16 temp[4];		/* °C: high alarm, low alarm, high warn, low warn */
	u16 vcc[4];		/* mV */
	u16 txpwr[4];		/* µW */
	u16 bias[4];		/* mA */
	u16 rxpwr[4];		/* µW */
};

struct osim_cmis_desc {
	u8 id;
	u8 rev;			/* CMIS revision, BCD-like: 0x52 = 5.2 */
	bool flat;
	const char *vendor;
	u8 oui[3];
	const char *pn;
	const char *rev_str;
	const char *sn_prefix;
	const char *date;
	u8 host_lanes;
	u8 media_type;		/* CMIS Table 8-22: 1 MMF, 2 SMF, 3 copper */
	u8 connector;
	u8 power_class;		/* 1-8 */
	u8 max_power_qw;	/* 0.25 W units */
	u8 cable_len;		/* CMIS 8.3.5: bits 7-6 multiplier, 5-0 value */
	u8 media_tech;		/* CMIS Table 8-31 */
	u8 smf_len;		/* page 01h 132 */
	u16 wavelength;		/* page 01h 138: 0.05 nm units */
	const struct osim_app *apps;
	unsigned int napps;
	bool stepped_only;	/* SteppedConfigOnly: no ApplyImmediate */
	bool diag;		/* diagnostics pages 13h-14h */
	unsigned int pwrup_ms, pwrdn_ms, dpinit_ms, dpdeinit_ms;
	unsigned int txon_ms, txoff_ms;
	bool cdb;
	const struct osim_thresholds *thr;
	s32 temp_mc, vcc_uv, bias_ua, txpwr_nw, rxpwr_nw;
};

static const struct osim_thresholds osim_thr_dr4 = {
	.temp = { 75, -5, 70, 0 },
	.vcc = { 3630, 2970, 3465, 3135 },
	.txpwr = { 3548, 282, 2818, 355 },
	.bias = { 100, 10, 90, 15 },
	.rxpwr = { 3548, 100, 2818, 126 },
};

static const struct osim_thresholds osim_thr_lr = {
	.temp = { 80, -5, 75, 0 },
	.vcc = { 3630, 2970, 3465, 3135 },
	.txpwr = { 2239, 178, 1778, 224 },
	.bias = { 120, 15, 110, 20 },
	.rxpwr = { 2239, 45, 1778, 56 },
};

static const struct osim_thresholds osim_thr_sr = {
	.temp = { 75, -5, 70, 0 },
	.vcc = { 3630, 2970, 3465, 3135 },
	.txpwr = { 1122, 200, 891, 251 },
	.bias = { 15, 2, 13, 3 },
	.rxpwr = { 1259, 40, 1000, 50 },
};

/* ---- CMIS ---- */

static const struct osim_app osim_apps_800g_2xdr4[] = {
	/* 800GAUI-8 S C2M, 800GBASE-DR8 */
	{ 0x51, 0x56, 0x88, 0x01, 0x01, { R106, R106 } },
	/* 400GAUI-4-S C2M, 400GBASE-DR4 */
	{ 0x4f, 0x1c, 0x44, 0x11, 0x11, { R106, R106 } },
	/* 200GAUI-2-S C2M, 200GBASE-DR4 */
	{ 0x4d, 0x17, 0x22, 0x55, 0x55, { R106, R106 } },
	/* 100GAUI-1-S C2M, 100GBASE-DR */
	{ 0x4b, 0x14, 0x11, 0xff, 0xff, { R106, R106 } },
};

/*
 * 16 host lanes in banks 0-1. CMIS 5.2 8.4.1: the lanes of a banked module
 * are numbered within their bank, so the host and media lane assignment
 * options (lower page 89 + 4i, page 01h 176 + i) name lanes 1-8 of every
 * implemented bank: assignment 01h of an 8-lane application is one
 * instance on lanes 1-8 (bank 0) and one on lanes 9-16 (bank 1).
 */
static const struct osim_app osim_apps_1600g_2xdr8[] = {
	/* 800GAUI-8 S C2M, 800GBASE-DR8 */
	{ 0x51, 0x56, 0x88, 0x01, 0x01, { R106, R106 } },
	/* 400GAUI-4-S C2M, 400GBASE-DR4 */
	{ 0x4f, 0x1c, 0x44, 0x11, 0x11, { R106, R106 } },
	/* 100GAUI-1-S C2M, 100GBASE-DR */
	{ 0x4b, 0x14, 0x11, 0xff, 0xff, { R106, R106 } },
};

static const struct osim_app osim_apps_400g_dr4[] = {
	/* 400GAUI-8 C2M, 400GBASE-DR4 */
	{ 0x11, 0x1c, 0x84, 0x01, 0x01, { R53, R106 } },
	/* 100GAUI-2 C2M, 100GBASE-DR */
	{ 0x0d, 0x14, 0x21, 0x55, 0x0f, { R53, R106 } },
};

static const struct osim_app osim_apps_400g_fr4[] = {
	/* 400GAUI-8 C2M, 400GBASE-FR4 */
	{ 0x11, 0x1d, 0x84, 0x01, 0x01, { R53, R106 } },
	/* 200GAUI-8 C2M, 200GBASE-FR4 */
	{ 0x0e, 0x18, 0x84, 0x01, 0x01, { R26, R53 } },
};

static const struct osim_app osim_apps_qsfp112[] = {
	/* 400GAUI-4-S C2M, 400GBASE-DR4 */
	{ 0x4f, 0x1c, 0x44, 0x01, 0x01, { R106, R106 } },
	/* 100GAUI-1-S C2M, 100GBASE-DR */
	{ 0x4b, 0x14, 0x11, 0x0f, 0x0f, { R106, R106 } },
};

static const struct osim_app osim_apps_copper[] = {
	/* 400GBASE-CR4, copper cable */
	{ 0x48, 0x01, 0x44, 0x01, 0x01, { R106, R106 } },
	/* 200GBASE-CR2 */
	{ 0x47, 0x01, 0x22, 0x05, 0x05, { R106, R106 } },
	/* 100GBASE-CR1 */
	{ 0x46, 0x01, 0x11, 0x0f, 0x0f, { R106, R106 } },
};

static void osim_put_thr(u8 *p, const struct osim_thresholds *thr, bool cmis)
{
	int i;

	for (i = 0; i < 4; i++) {
		osim_put_be16(p + 0 + 2 * i, (u16)(thr->temp[i] * 256));
		osim_put_be16(p + 8 + 2 * i, thr->vcc[i] * 10);
		if (cmis) {
			/* CMIS 5.2 Table 8-46: Tx power 48, bias 56, Rx power 64 */
			osim_put_be16(p + 48 + 2 * i, thr->txpwr[i] * 10);
			osim_put_be16(p + 56 + 2 * i, thr->bias[i] * 500);
			osim_put_be16(p + 64 + 2 * i, thr->rxpwr[i] * 10);
		}
	}
}

static int osim_build_cmis(struct osim_module *mod, const struct osim_profile *p,
			   unsigned int port)
{
	const struct osim_cmis_desc *d = p->data;
	/* lanes of one instance of the default application */
	unsigned int cnt = max(d->apps[0].lane_counts >> 4, 1);
	struct osim_page *pg, *pg11;
	struct osim_target *t;
	char sn[17];
	unsigned int i, l, b, nbanks;
	u8 *lo, *u;
	int ret;

	/* CMIS 5.2 8.4.1: one bank per 8 lanes; banks 0, 0-1 or 0-3 */
	nbanks = DIV_ROUND_UP(d->host_lanes, OSIM_LANES_PER_BANK);
	if (nbanks > 2)
		nbanks = OSIM_MAX_BANKS;
	mod->spec = OSIM_SPEC_CMIS;
	mod->flat = d->flat;
	mod->lanes = d->host_lanes;
	mod->pwrup_ms = d->pwrup_ms;
	mod->pwrdn_ms = d->pwrdn_ms;
	mod->dpinit_ms = d->dpinit_ms;
	mod->dpdeinit_ms = d->dpdeinit_ms;
	mod->txon_ms = d->txon_ms;
	mod->txoff_ms = d->txoff_ms;
	mod->config_ms = OSIM_CONFIG_MS;
	t = osim_target_add(mod, OSIM_ADDR_A0, true, !d->flat);
	if (!t)
		return -ENOMEM;
	lo = t->lower.data;

	/* lower page, CMIS 5.2 Table 8-4 */
	lo[0] = d->id;
	lo[1] = d->rev;
	/* byte 2: bit 7 flat memory, bit 6 SteppedConfigOnly (Table 8-5) */
	lo[2] = (d->flat ? BIT(7) : 0) | (d->stepped_only ? BIT(6) : 0);
	lo[3] = (OSIM_MS_READY << 1) | BIT(0);
	lo[85] = d->media_type;
	for (i = 0; i < 8; i++) {
		u8 *a = &lo[86 + 4 * i];

		if (i >= d->napps) {
			a[0] = 0xff;	/* end of the application list */
			break;
		}
		a[0] = d->apps[i].host_id;
		a[1] = d->apps[i].media_id;
		a[2] = d->apps[i].lane_counts;
		a[3] = d->apps[i].host_assign;
	}

	/* page 00h, CMIS 5.2 Table 8-26 */
	pg = osim_page_add(t, 0, 0x00);
	if (!pg)
		return -ENOMEM;
	u = pg->data;
	u[128] = d->id;
	osim_put_str(&u[129], d->vendor, 16);
	memcpy(&u[145], d->oui, 3);
	osim_put_str(&u[148], d->pn, 16);
	osim_put_str(&u[164], d->rev_str, 2);
	snprintf(sn, sizeof(sn), "%s%05u", d->sn_prefix, port);
	osim_put_str(&u[166], sn, 16);
	osim_put_str(&u[182], d->date, 8);
	osim_put_str(&u[190], "", 10);		/* no CLEI code */
	u[200] = (d->power_class - 1) << 5;
	u[201] = d->max_power_qw;
	u[202] = d->cable_len;
	u[203] = d->connector;
	u[212] = d->media_tech;
	u[222] = osim_csum(&u[128], 222 - 128);

	/* a passive cable has no monitors */
	if (d->temp_mc)
		osim_mon_set_defaults(mod, d->temp_mc, d->vcc_uv, d->bias_ua,
				      d->txpwr_nw, d->rxpwr_nw);
	if (d->flat)
		return 0;

	/* page 01h, CMIS 5.2 Table 8-34 */
	pg = osim_page_add(t, 0, 0x01);
	if (!pg)
		return -ENOMEM;
	u = pg->data;
	u[130] = 1;			/* hardware 1.0 */
	u[132] = d->smf_len;
	osim_put_be16(&u[138], d->wavelength);
	osim_put_be16(&u[140], 2000);	/* ±10 nm tolerance */
	/* page 03h; Table 8-40 bits 1-0: 0 bank 0, 1 banks 0-1, 2 banks 0-3 */
	u[142] = BIT(2) | (nbanks == 1 ? 0 : nbanks == 2 ? 1 : 2);
	if (d->diag)
		u[142] |= BIT(5);	/* pages 13h-14h (CMIS 5.2 8.4.5) */
	u[144] = osim_duration_code(d->dpdeinit_ms) << 4 |
		 osim_duration_code(d->dpinit_ms);
	u[151] = BIT(4);		/* Rx power is average power */
	u[159] = BIT(1) | BIT(0);	/* temperature and Vcc monitors */
	u[160] = BIT(2) | BIT(1) | BIT(0);	/* Rx/Tx power, bias; bias x1 */
	u[155] = BIT(1);		/* OutputDisableTx supported (controls) */
	if (d->cdb) {
		/* one CDB instance, background mode, EPL pages A0h-AFh */
		u[163] = BIT(6) | BIT(5) | 0x05;
		u[164] = 15;		/* LPL/EPL writes up to 128 bytes */
		u[165] = 0x00;		/* trigger on the write of byte 129 */
		u[166] = 0x00;
	}
	u[167] = osim_duration_code(d->pwrdn_ms) << 4 |
		 osim_duration_code(d->pwrup_ms);
	u[168] = osim_duration_code(d->txoff_ms) << 4 |
		 osim_duration_code(d->txon_ms);
	for (i = 0; i < d->napps && i < 8; i++)
		u[176 + i] = d->apps[i].media_assign;
	u[255] = osim_csum(&u[130], 255 - 130);

	/* page 02h thresholds, CMIS 5.2 Table 8-46 */
	pg = osim_page_add(t, 0, 0x02);
	if (!pg)
		return -ENOMEM;
	osim_put_thr(&pg->data[128], d->thr, true);
	pg->data[255] = osim_csum(&pg->data[128], 127);

	/* page 03h user EEPROM */
	if (!osim_page_add(t, 0, 0x03))
		return -ENOMEM;

	/*
	 * Pages 10h and 11h of every bank; lane numbers within a bank
	 * (DataPathID too: the first lane of the data path in its bank).
	 */
	for (b = 0; b < nbanks; b++) {
		unsigned int n = min_t(unsigned int, OSIM_LANES_PER_BANK,
				       mod->lanes - b * OSIM_LANES_PER_BANK);

		/*
		 * Page 10h staged control set 0 and page 11h active set:
		 * application 1 on every instance its host lane count makes
		 * (DataPathID: the instance's first lane), already applied.
		 */
		pg = osim_page_add(t, b, 0x10);
		pg11 = osim_page_add(t, b, 0x11);
		if (!pg || !pg11)
			return -ENOMEM;
		for (l = 0; l < n; l++) {
			u8 cfg = 1 << 4 | (l - l % cnt) << 1;

			pg->data[145 + l] = cfg;
			pg11->data[206 + l] = cfg;
			pg11->data[202 + l / 2] |= (l & 1) ? 0x10 : 0x01;
		}
	}

	if (d->diag) {
		ret = osim_diag_build(mod, nbanks);
		if (ret)
			return ret;
	}
	if (d->cdb) {
		if (!osim_page_add(t, 0, 0x9f))
			return -ENOMEM;
		for (i = 0xa0; i <= 0xaf; i++)
			if (!osim_page_add(t, 0, i))
				return -ENOMEM;
	}
	mod->fw.ver[0] = 3 << 8 | 14;
	mod->fw.ver[1] = 3 << 8 | 10;
	mod->fw.valid[0] = true;
	mod->fw.valid[1] = true;
	osim_fw_publish(mod);
	return 0;
}

static const struct osim_cmis_desc osim_osfp_800g_2xdr4 = {
	.id = SFF8024_ID_OSFP, .rev = 0x52,
	.vendor = "LUMENTA", .oui = { 0x02, 0x4c, 0x55 },
	.pn = "LXO-8D2-DR4", .rev_str = "A2", .sn_prefix = "LX24",
	.date = "240611AB",
	.host_lanes = 8, .media_type = 0x02, .connector = SFF8024_CONN_MPO_1X12,
	.power_class = 8, .max_power_qw = 64, .media_tech = 0x06,
	.smf_len = 0x05, .wavelength = 26200,
	.apps = osim_apps_800g_2xdr4, .napps = ARRAY_SIZE(osim_apps_800g_2xdr4),
	.pwrup_ms = 3000, .pwrdn_ms = 80, .dpinit_ms = 3000, .dpdeinit_ms = 40,
	.txon_ms = 8, .txoff_ms = 4, .cdb = true, .diag = true,
	.thr = &osim_thr_dr4,
	.temp_mc = 47500, .vcc_uv = 3295000, .bias_ua = 62000,
	.txpwr_nw = 1800000, .rxpwr_nw = 1350000,
};

static const struct osim_cmis_desc osim_osfpxd_1600g_2xdr8 = {
	.id = SFF8024_ID_OSFP_XD, .rev = 0x52,
	.vendor = "LUMENTA", .oui = { 0x02, 0x4c, 0x55 },
	.pn = "LXX-16D2-DR8", .rev_str = "A1", .sn_prefix = "LX25",
	.date = "250303AA",
	.host_lanes = 16, .media_type = 0x02, .connector = SFF8024_CONN_MPO_1X12,
	.power_class = 8, .max_power_qw = 100, .media_tech = 0x06,
	.smf_len = 0x05, .wavelength = 26200,
	.apps = osim_apps_1600g_2xdr8,
	.napps = ARRAY_SIZE(osim_apps_1600g_2xdr8),
	.pwrup_ms = 3000, .pwrdn_ms = 80, .dpinit_ms = 3000, .dpdeinit_ms = 40,
	.txon_ms = 8, .txoff_ms = 4, .cdb = true, .diag = true,
	.thr = &osim_thr_dr4,
	.temp_mc = 49000, .vcc_uv = 3290000, .bias_ua = 60000,
	.txpwr_nw = 1800000, .rxpwr_nw = 1350000,
};

static const struct osim_cmis_desc osim_qsfpdd_400g_dr4 = {
	.id = SFF8024_ID_QSFP_DD, .rev = 0x50,
	.vendor = "OPTICSIM", .oui = { 0x02, 0x4f, 0x53 },
	.pn = "OSM-QDD-400G-DR4", .rev_str = "01", .sn_prefix = "OSM24",
	.date = "240318  ",
	.host_lanes = 8, .media_type = 0x02, .connector = SFF8024_CONN_MPO_1X12,
	.power_class = 6, .max_power_qw = 48, .media_tech = 0x06,
	.smf_len = 0x05, .wavelength = 26200,
	.apps = osim_apps_400g_dr4, .napps = ARRAY_SIZE(osim_apps_400g_dr4),
	.pwrup_ms = 1000, .pwrdn_ms = 50, .dpinit_ms = 2000, .dpdeinit_ms = 30,
	.txon_ms = 4, .txoff_ms = 4, .cdb = true, .diag = true,
	.thr = &osim_thr_dr4,
	.temp_mc = 42000, .vcc_uv = 3300000, .bias_ua = 55000,
	.txpwr_nw = 1600000, .rxpwr_nw = 1200000,
};

static const struct osim_cmis_desc osim_qsfpdd_400g_fr4 = {
	.id = SFF8024_ID_QSFP_DD, .rev = 0x40,
	.vendor = "NORTHLIGHT", .oui = { 0x02, 0x4e, 0x4c },
	.pn = "NL-QDD-400FR4", .rev_str = "B0", .sn_prefix = "NL2333",
	.date = "230817  ",
	.host_lanes = 8, .media_type = 0x02, .connector = SFF8024_CONN_LC,
	.power_class = 6, .max_power_qw = 46, .media_tech = 0x04,
	.smf_len = 0x14, .wavelength = 26140,
	.apps = osim_apps_400g_fr4, .napps = ARRAY_SIZE(osim_apps_400g_fr4),
	.stepped_only = true,
	.pwrup_ms = 2000, .pwrdn_ms = 50, .dpinit_ms = 4000, .dpdeinit_ms = 50,
	.txon_ms = 4, .txoff_ms = 4, .cdb = true, .thr = &osim_thr_lr,
	.temp_mc = 45000, .vcc_uv = 3310000, .bias_ua = 70000,
	.txpwr_nw = 1100000, .rxpwr_nw = 800000,
};

static const struct osim_cmis_desc osim_qsfp112_400g = {
	.id = SFF8024_ID_QSFP_CMIS, .rev = 0x51,
	.vendor = "OPTICSIM", .oui = { 0x02, 0x4f, 0x53 },
	.pn = "OSM-Q112-400G-DR4", .rev_str = "02", .sn_prefix = "OSQ25",
	.date = "250107  ",
	.host_lanes = 4, .media_type = 0x02, .connector = SFF8024_CONN_MPO_1X12,
	.power_class = 6, .max_power_qw = 40, .media_tech = 0x06,
	.smf_len = 0x05, .wavelength = 26200,
	.apps = osim_apps_qsfp112, .napps = ARRAY_SIZE(osim_apps_qsfp112),
	.pwrup_ms = 1000, .pwrdn_ms = 50, .dpinit_ms = 1500, .dpdeinit_ms = 30,
	.txon_ms = 4, .txoff_ms = 4, .cdb = true, .diag = true,
	.thr = &osim_thr_dr4,
	.temp_mc = 44000, .vcc_uv = 3290000, .bias_ua = 60000,
	.txpwr_nw = 1700000, .rxpwr_nw = 1250000,
};

static const struct osim_cmis_desc osim_cmis_flat_copper = {
	.id = SFF8024_ID_QSFP_DD, .rev = 0x50, .flat = true,
	.vendor = "COPPERLINE", .oui = { 0x02, 0x43, 0x4c },
	.pn = "CL-QDD-400G-2M", .rev_str = "A", .sn_prefix = "CL23",
	.date = "231102  ",
	.host_lanes = 8, .media_type = 0x03, .connector = SFF8024_CONN_NONE,
	.power_class = 1, .max_power_qw = 0, .media_tech = 0x0a,
	.cable_len = 0x40 | 2,	/* 2 m */
	.apps = osim_apps_copper, .napps = ARRAY_SIZE(osim_apps_copper),
	.thr = &osim_thr_dr4,
	.temp_mc = 0, .vcc_uv = 0,
};

/* ---- SFF-8636 (QSFP28) ---- */

static const u8 osim_oui[3] = { 0x02, 0x4f, 0x53 };

static int osim_build_sff8636(struct osim_module *mod,
			      const struct osim_profile *p, unsigned int port)
{
	struct osim_target *t;
	struct osim_page *pg;
	char sn[17];
	u8 *lo, *u;

	mod->spec = OSIM_SPEC_SFF8636;
	mod->lanes = 4;
	t = osim_target_add(mod, OSIM_ADDR_A0, true, false);
	if (!t)
		return -ENOMEM;
	lo = t->lower.data;
	/* SFF-8636 Table 6-2 */
	lo[0] = SFF8024_ID_QSFP28;
	lo[1] = 0x08;			/* SFF-8636 rev 2.7+ */
	lo[2] = BIT(1);			/* IntL not asserted, paged, data ready */
	lo[93] = 0;

	pg = osim_page_add(t, 0, 0x00);
	if (!pg)
		return -ENOMEM;
	u = pg->data;
	/* SFF-8636 Table 6-15 */
	u[128] = SFF8024_ID_QSFP28;
	u[129] = 0x02 << 6 | 0x01;	/* power class 3 (2.5 W), CLEI */
	u[130] = SFF8024_CONN_LC;
	u[131] = BIT(7);		/* extended compliance in 192 */
	u[139] = 0x05;			/* 64B/66B */
	u[140] = 0xff;			/* nominal rate in 222 */
	u[142] = 2;			/* 2 km SMF */
	u[147] = 0x40;			/* 1310 nm DFB */
	osim_put_str(&u[148], "OPTICSIM", 16);
	memcpy(&u[165], osim_oui, sizeof(osim_oui));
	osim_put_str(&u[168], "OSM-Q28-100G-CW4", 16);
	osim_put_str(&u[184], "03", 2);
	osim_put_be16(&u[186], 1291 * 20);	/* 1291 nm, 0.05 nm units */
	osim_put_be16(&u[188], 1300);	/* ±6.5 nm, 0.005 nm units */
	u[190] = 70;			/* max case temperature */
	u[191] = osim_csum(&u[128], 191 - 128);
	u[192] = 0x06;			/* 100G CWDM4 (SFF-8024 Table 4-4) */
	u[193] = 0x07;
	u[195] = BIT(5) | BIT(4) | BIT(2);	/* pages 01h/02h..., Tx disable */
	snprintf(sn, sizeof(sn), "OSC%05u", port);
	osim_put_str(&u[196], sn, 16);
	osim_put_str(&u[212], "220905  ", 8);
	u[220] = BIT(3) | BIT(2);	/* Rx power average, Tx power monitor */
	u[221] = 0x10;
	u[222] = 103;			/* 25.78125 GBd in 250 MBd units */
	u[223] = osim_csum(&u[192], 223 - 192);

	pg = osim_page_add(t, 0, 0x03);
	if (!pg)
		return -ENOMEM;
	/* SFF-8636 Table 6-26: temp 128, Vcc 144, Rx power 176, bias 184, Tx power 192 */
	u = &pg->data[128];
	osim_put_be16(&u[0], 75 * 256);
	osim_put_be16(&u[2], (u16)(-5 * 256));
	osim_put_be16(&u[4], 70 * 256);
	osim_put_be16(&u[6], 0);
	osim_put_be16(&u[16], 36300);
	osim_put_be16(&u[18], 29700);
	osim_put_be16(&u[20], 34650);
	osim_put_be16(&u[22], 31350);
	osim_put_be16(&u[48], 22390);
	osim_put_be16(&u[50], 450);
	osim_put_be16(&u[52], 17780);
	osim_put_be16(&u[54], 560);
	osim_put_be16(&u[56], 60000);
	osim_put_be16(&u[58], 5000);
	osim_put_be16(&u[60], 55000);
	osim_put_be16(&u[62], 7500);
	osim_put_be16(&u[64], 22390);
	osim_put_be16(&u[66], 1780);
	osim_put_be16(&u[68], 17780);
	osim_put_be16(&u[70], 2240);

	osim_mon_set_defaults(mod, 38000, 3300000, 45000, 1000000, 700000);
	return 0;
}

/* ---- SFF-8472 (SFP+) ---- */

static int osim_build_sff8472(struct osim_module *mod,
			      const struct osim_profile *p, unsigned int port)
{
	struct osim_target *a0, *a2;
	char sn[17];
	u8 *d;
	int i;

	mod->spec = OSIM_SPEC_SFF8472;
	mod->lanes = 1;
	a0 = osim_target_add(mod, OSIM_ADDR_A0, false, false);
	a2 = osim_target_add(mod, OSIM_ADDR_A2, true, false);
	if (!a0 || !a2 || !osim_page_add(a0, 0, 0) || !osim_page_add(a2, 0, 0))
		return -ENOMEM;
	d = a0->lower.data;
	/* SFF-8472 Table 4-1 */
	d[0] = SFF8024_ID_SFP;
	d[1] = 0x04;
	d[2] = SFF8024_CONN_LC;
	d[3] = BIT(4);			/* 10GBASE-SR */
	d[11] = 0x06;			/* 64B/66B */
	d[12] = 103;			/* 10.3 GBd */
	d[16] = 8;			/* OM2 80 m */
	d[17] = 3;			/* OM1 30 m */
	d[18] = 40;			/* OM4 400 m */
	d[19] = 30;			/* OM3 300 m */
	osim_put_str(&d[20], "OPTICSIM", 16);
	memcpy(&d[37], osim_oui, sizeof(osim_oui));
	osim_put_str(&d[40], "OSM-SFP-10G-SR", 16);
	osim_put_str(&d[56], "A", 4);
	osim_put_be16(&d[60], 850);
	d[63] = osim_csum(d, 63);
	d[65] = BIT(4) | BIT(3) | BIT(1);	/* Tx disable, Tx fault, LOS */
	snprintf(sn, sizeof(sn), "OSS%05u", port);
	osim_put_str(&d[68], sn, 16);
	osim_put_str(&d[84], "210412  ", 8);
	/* SFF-8472 Table 8-5: DDM implemented, internally calibrated, avg power */
	d[92] = BIT(6) | BIT(5) | BIT(3);
	d[93] = BIT(7) | BIT(6) | BIT(5);	/* alarms, soft Tx disable, monitors */
	d[94] = 0x08;			/* SFF-8472 rev 12.3 */
	d[95] = osim_csum(&d[64], 95 - 64);

	d = a2->lower.data;
	/* SFF-8472 Table 9-5 thresholds */
	osim_put_thr(d, &osim_thr_sr, false);
	for (i = 0; i < 4; i++) {
		osim_put_be16(&d[16 + 2 * i], osim_thr_sr.bias[i] * 500);
		osim_put_be16(&d[24 + 2 * i], osim_thr_sr.txpwr[i] * 10);
		osim_put_be16(&d[32 + 2 * i], osim_thr_sr.rxpwr[i] * 10);
	}
	/* external calibration constants unused (internally calibrated): slopes 1.0 */
	osim_put_be16(&d[76], 0x0100);
	osim_put_be16(&d[80], 0x0100);
	osim_put_be16(&d[84], 0x0100);
	d[95] = osim_csum(d, 95);
	osim_mon_set_defaults(mod, 36000, 3310000, 6500, 560000, 480000);
	return 0;
}

static const struct osim_profile osim_profiles[] = {
	{ "qsfpdd-400g-dr4", "QSFP-DD 400G DR4, CMIS 5.0",
	  osim_build_cmis, &osim_qsfpdd_400g_dr4 },
	{ "osfp-800g-2xdr4", "OSFP 800G 2xDR4, CMIS 5.2, 8 lanes",
	  osim_build_cmis, &osim_osfp_800g_2xdr4 },
	{ "osfpxd-1600g-2xdr8",
	  "OSFP-XD 1.6T 2x800G-DR8, CMIS 5.2, 16 lanes in banks 0-1",
	  osim_build_cmis, &osim_osfpxd_1600g_2xdr8 },
	{ "qsfpdd-400g-fr4", "QSFP-DD 400G FR4, CMIS 4.0",
	  osim_build_cmis, &osim_qsfpdd_400g_fr4 },
	{ "qsfp112-400g", "QSFP112 400G DR4, CMIS 5.1, 4 lanes",
	  osim_build_cmis, &osim_qsfp112_400g },
	{ "qsfp28-100g-cwdm4", "QSFP28 100G CWDM4, SFF-8636",
	  osim_build_sff8636, NULL },
	{ "sfp-10g-sr", "SFP+ 10G SR, SFF-8472 A0h/A2h, internal calibration",
	  osim_build_sff8472, NULL },
	{ "cmis-flat-copper", "QSFP-DD 400G passive copper, CMIS flat memory",
	  osim_build_cmis, &osim_cmis_flat_copper },
	{ "empty", "empty cage", NULL, NULL },
};

const struct osim_profile *osim_profile_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(osim_profiles); i++)
		if (sysfs_streq(name, osim_profiles[i].name))
			return &osim_profiles[i];
	return NULL;
}

/* Lane rate on @side of application @appsel of @mod's profile, 0 if none. */
u32 osim_app_rate_kbps(const struct osim_module *mod, u8 appsel,
		       enum osim_side side)
{
	const struct osim_cmis_desc *d;

	if (!mod->profile || mod->profile->build != osim_build_cmis)
		return 0;
	d = mod->profile->data;
	return appsel && appsel <= d->napps ?
	       d->apps[appsel - 1].rate_kbps[side] : 0;
}

const struct osim_profile *osim_profile_at(unsigned int i)
{
	return i < ARRAY_SIZE(osim_profiles) ? &osim_profiles[i] : NULL;
}

/* A fresh module of profile @p for @port; NULL for the empty cage. */
struct osim_module *osim_module_build(struct osim_port *port,
				      const struct osim_profile *p)
{
	struct osim_module *mod;
	int ret;

	if (!p->build)
		return NULL;
	mod = osim_module_alloc();
	if (!mod)
		return ERR_PTR(-ENOMEM);
	mod->profile = p;
	ret = p->build(mod, p, port->index);
	if (ret) {
		osim_module_free(mod);
		return ERR_PTR(ret);
	}
	osim_apply_rules(mod);
	return mod;
}
