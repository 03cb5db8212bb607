// SPDX-License-Identifier: GPL-2.0
/*
 * optic_sim: CMIS module performance diagnostics, pages 13h (capabilities
 * and controls) and 14h (results), CMIS 5.2 8.16/8.17 as docs/diag.md lays
 * them out: loopbacks, a PRBS generator and checker per lane and side, bit
 * and error counters fed by the lane rate and a per-lane BER knob, and the
 * SNR of a locked lane derived from that knob.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/string.h>

#include "sim.h"

#define MICRO		1000000ULL
#define ONE_E18		1000000000000000000ULL
#define SNR_MAX_Q8	(30 * 256)	/* 30 dB in 1/256 dB */

/* Pattern IDs (CMIS 5.2 8.16, docs/diag.md) the engines support. */
#define PAT(id)		BIT(id)
#define PAT_MEDIA	(PAT(0) | PAT(1) | PAT(4) | PAT(5) | PAT(6) | \
			 PAT(7) | PAT(12))	/* PRBS31Q 31 15Q 15 13Q 13, SSPRQ */
#define PAT_HOST	(PAT(0) | PAT(1) | PAT(4) | PAT(6) | PAT(12))

/* Page 13h control bytes of each side: generator and checker. */
struct osim_engine_regs {
	u8 gen_en, gen_pat, chk_en, chk_pat, gen_caps, chk_caps, lol;
};

static const struct osim_engine_regs osim_engine[OSIM_SIDES] = {
	[OSIM_HOST] = { 144, 148, 160, 164, 132, 136, 138 },
	[OSIM_MEDIA] = { 152, 156, 168, 172, 134, 138, 139 },
};

/*
 * Selector 06h (docs/diag.md): 13h:130 bit advertising a side's input SNR
 * and its lane 1 in 14h (lane n at + 2(n - 1), U16 little-endian).
 */
static const struct {
	u8 cap, at;
} osim_snr_regs[OSIM_SIDES] = {
	[OSIM_HOST] = { BIT(4), 208 },
	[OSIM_MEDIA] = { BIT(5), 240 },
};

/* 13h:130 bits 5-4 of the profiles with pages 13h-14h (docs/sim.md) */
static const struct {
	const char *profile;
	u8 snr;
} osim_snr_caps[] = {
	{ "osfp-800g-2xdr4", BIT(5) | BIT(4) },
	{ "qsfp112-400g", BIT(5) | BIT(4) },
	{ "osfpxd-1600g-2xdr8", BIT(5) },	/* media input only */
	/* qsfpdd-400g-dr4: none */
};

static u8 snr_caps(const struct osim_module *mod)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(osim_snr_caps); i++)
		if (!strcmp(mod->profile->name, osim_snr_caps[i].profile))
			return osim_snr_caps[i].snr;
	return 0;
}

static u8 *diag_page(struct osim_module *mod, unsigned int bank, u8 page)
{
	struct osim_page *pg = osim_page_get(&mod->tgt[0], bank, page);

	return pg ? pg->data : NULL;
}

/* Pages 13h and 14h in each bank, the capabilities of docs/diag.md. */
int osim_diag_build(struct osim_module *mod, unsigned int nbanks)
{
	unsigned int b;
	u8 *u;

	for (b = 0; b < nbanks; b++) {
		if (!osim_page_add(&mod->tgt[0], b, 0x14))
			return -ENOMEM;
		if (!osim_page_add(&mod->tgt[0], b, 0x13))
			return -ENOMEM;
		u = diag_page(mod, b, 0x13);
		/* 128: simultaneous, per-lane media and host, all 4 loopbacks */
		u[128] = 0x7f;
		u[129] = 0;		/* no gating timer: ungated counting */
		/* bit/error counts, BER, the profile's SNR */
		u[130] = BIT(1) | BIT(0) | snr_caps(mod);
		/* 131: generator and checker of each side, pre-FEC */
		u[131] = BIT(7) | BIT(5) | BIT(3) | BIT(1);
		/* 132-139: pattern bitmaps, little-endian (docs/diag.md) */
		u[132] = PAT_HOST & 0xff;
		u[133] = PAT_HOST >> 8;
		u[134] = PAT_MEDIA & 0xff;
		u[135] = PAT_MEDIA >> 8;
		u[136] = u[132];
		u[137] = u[133];
		u[138] = u[134];
		u[139] = u[135];
		u[142] = 0xff;		/* per-lane enable and pattern everywhere */
	}
	return 0;
}

void osim_diag_rules(struct osim_module *mod)
{
	struct osim_page *pg;
	unsigned int b;

	for (b = 0; b < OSIM_MAX_BANKS; b++) {
		pg = osim_page_get(&mod->tgt[0], b, 0x13);
		if (pg) {
			osim_rw_range(pg, 144, 178);	/* 179 reserved */
			osim_rw_range(pg, 180, 183);
			osim_rw_range(pg, 206, 213);
		}
		pg = osim_page_get(&mod->tgt[0], b, 0x14);
		if (pg) {
			osim_rw_range(pg, 128, 128);
			osim_cor_range(pg, 132, 139);
		}
	}
}

/* Loopbacks on @lane (OSIM_LB_*): 13h:180-183 of its bank. */
u8 osim_diag_loopbacks(struct osim_module *mod, unsigned int lane)
{
	u8 *u = diag_page(mod, lane / OSIM_LANES_PER_BANK, 0x13);
	u8 bit = BIT(lane % OSIM_LANES_PER_BANK), lb = 0;
	unsigned int i;

	if (!u || mod->flat)
		return 0;
	for (i = 0; i < 4; i++)
		if (u[180 + i] & bit)
			lb |= BIT(i);
	return lb;
}

/* ---- random numbers ---- */

/* splitmix64 over a stream seeded by the module's rng */
static u64 diag_rand(struct osim_module *mod)
{
	u64 z = ((u64)mod->rng << 32) ^ (mod->diag_rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* e^-k as a fraction of 2^62, k = 0..20 */
static const u64 osim_exp_neg[] = {
	4611686018427387904ULL, 1696544475317221319ULL, 624123833502197200ULL,
	229602327090566617ULL, 84465975781740359ULL, 31073295968587224ULL,
	11431226756278700ULL, 4205313311003847ULL, 1547048310802923ULL,
	569127268043403ULL, 209370221323237ULL, 77023000018334ULL,
	28335178204093ULL, 10423929523215ULL, 3834749367811ULL,
	1410725454463ULL, 518976891834ULL, 190920928949ULL, 70235884650ULL,
	25838337995ULL, 9505393342ULL,
};

/* e^-x for x in millionths (at most 20 000 000), a fraction of 2^62 */
static u64 exp_neg(u64 xu)
{
	u64 k = div64_u64(xu, MICRO), f = xu - k * MICRO;
	u64 term = 1ULL << 62, sum = 1ULL << 62;
	unsigned int n;

	/* e^-f = sum (-f)^n / n!, f < 1 */
	for (n = 1; n <= 16 && term; n++) {
		term = mul_u64_u64_div_u64(term, f, n * MICRO);
		if (n & 1)
			sum -= term;
		else
			sum += term;
	}
	return mul_u64_u64_div_u64(osim_exp_neg[k], sum, 1ULL << 62);
}

/* Poisson sample of mean @lu millionths (at most 20 000 000), by inversion */
static u64 poisson_small(struct osim_module *mod, u64 lu)
{
	u64 p = exp_neg(lu), cdf = p, u = diag_rand(mod) >> 2, k = 0;

	while (u >= cdf && p) {
		k++;
		p = mul_u64_u64_div_u64(p, lu, k * MICRO);
		cdf += p;
	}
	return k;
}

/*
 * Bit errors in @bits bits at a bit error ratio of @ber (1e-18 units): a
 * Poisson sample of mean bits x BER, the count a real checker sees (errors
 * are rare and independent). Above a mean of 100 the normal approximation
 * (sum of 12 uniforms: Irwin-Hall) is within the count's own noise.
 */
static u64 osim_bit_errors(struct osim_module *mod, u64 bits, u64 ber)
{
	u64 mean = mul_u64_u64_div_u64(bits, ber, ONE_E18), lu, sd, n = 0;
	s64 z = -6 * (s64)MICRO, v;
	unsigned int i;

	if (mean >= 100) {
		for (i = 0; i < 12; i++) {
			u64 r = diag_rand(mod);

			z += do_div(r, MICRO);
		}
		/* sqrt(mean) in thousandths */
		sd = mean < MICRO * MICRO ? int_sqrt64(mean * MICRO) :
					    int_sqrt64(mean) * 1000;
		v = mean + div_s64((s64)sd * z, 1000 * MICRO);
		return min_t(u64, max_t(s64, v, 0), bits);
	}
	lu = mul_u64_u64_div_u64(bits, ber, ONE_E18 / MICRO);
	for (; lu > 20 * MICRO; lu -= 20 * MICRO)
		n += poisson_small(mod, 20 * MICRO);
	return min(n + poisson_small(mod, lu), bits);
}

/* ---- checkers ---- */

static u8 nibble(const u8 *u, u8 base, unsigned int li)
{
	return (u[base + li / 2] >> (li & 1 ? 4 : 0)) & 0x0f;
}

/*
 * The host lane (within the bank) whose active data path carries media
 * lane @m of the bank: the data path's media lanes start at DataPathID x
 * media lanes / host lanes of its application. -1 if none does.
 */
static int media_host_lane(struct osim_module *mod, const u8 *p11,
			   unsigned int n, unsigned int m, const u8 **app)
{
	unsigned int li, h, md, first;

	for (li = 0; li < n; li++) {
		u8 cfg = p11[206 + li];

		if (((cfg >> 1) & 7) != li)
			continue;	/* not the first lane of its data path */
		*app = osim_cmis_app(mod, cfg >> 4);
		if (!*app)
			continue;
		h = (*app)[2] >> 4;
		md = (*app)[2] & 0x0f;
		first = h ? li * md / h : 0;
		if (m >= first && m < first + md)
			return li;
	}
	return -1;
}

/*
 * Rate in kb/s of lane @li of bank @b on @side if it carries a signal the
 * checker can lock to, else 0: its data path is activated and, on the
 * media side, light arrives (no Rx LOS: with the media output loopback it
 * is the lane's own transmitter's).
 */
static u32 lane_signal_kbps(struct osim_module *mod, unsigned int b,
			    unsigned int li, enum osim_side side)
{
	unsigned int base = b * OSIM_LANES_PER_BANK;
	u8 *p11 = diag_page(mod, b, 0x11);
	unsigned int n = min_t(unsigned int, OSIM_LANES_PER_BANK,
			       mod->lanes - base);
	const u8 *app = NULL;
	int h = li;

	if (!p11)
		return 0;
	if (side == OSIM_MEDIA) {
		h = media_host_lane(mod, p11, n, li, &app);
		if (h < 0 || (mod->cond[OSIM_MON_RXPWR][base + li] & OSIM_COND_LOS))
			return 0;
	}
	if (mod->dp_state[base + h] != OSIM_DP_ACTIVATED)
		return 0;
	return osim_app_rate_kbps(mod, p11[206 + h] >> 4, side);
}

/*
 * The rate of lane @li of bank @b on @side if its checker is locked, else
 * 0: the generator of the same lane and side runs the same supported
 * pattern and the lane has signal (the pattern comes back from outside: a
 * loopback plug or fibre, or a module loopback).
 */
static u32 checker_locked_kbps(struct osim_module *mod, unsigned int b,
			       unsigned int li, enum osim_side side)
{
	const struct osim_engine_regs *r = &osim_engine[side];
	u8 *u = diag_page(mod, b, 0x13);
	u8 bit = BIT(li), pat = nibble(u, r->chk_pat, li);
	u16 caps = u[r->gen_caps] | u[r->gen_caps + 1] << 8;

	if (!(u[r->gen_en] & bit) || nibble(u, r->gen_pat, li) != pat ||
	    !(caps & BIT(pat)))
		return 0;
	return lane_signal_kbps(mod, b, li, side);
}

/*
 * Count lane @li of bank @b on @side for @dt_ns: a checker that is enabled
 * counts while it is locked, else it latches PatternCheckerLOL
 * (14h:138/139).
 */
static void checker_count(struct osim_port *port, unsigned int b,
			  unsigned int li, enum osim_side side, u64 dt_ns)
{
	struct osim_module *mod = port->mod;
	const struct osim_engine_regs *r = &osim_engine[side];
	unsigned int lane = b * OSIM_LANES_PER_BANK + li;
	struct osim_checker *c = &mod->chk[side][lane];
	u8 *u = diag_page(mod, b, 0x13), *res = diag_page(mod, b, 0x14);
	u32 kbps;
	u64 bits;

	if (!(u[r->chk_en] & BIT(li)))
		return;
	kbps = checker_locked_kbps(mod, b, li, side);
	if (!kbps) {
		osim_latch(mod, &res[r->lol], BIT(li));
		return;
	}
	/* ResetErrorInformation (177 bit 5) holds the counters at zero */
	if (u[177] & BIT(5))
		return;
	bits = mul_u64_u64_div_u64(kbps, dt_ns, MICRO);
	c->bits += bits;
	c->errors += osim_bit_errors(mod, bits, port->ber[side][lane]);
}

/* CMIS F16 (8.22): mantissa bits 10-0 x 10^(exponent bits 15-11 - 24) */
static u16 osim_f16(u64 errors, u64 bits)
{
	u64 m19, m;
	int s, k;

	if (!errors || !bits)
		return 0;
	m19 = mul_u64_u64_div_u64(min(errors, bits), 10000000000000000000ULL,
				  bits);	/* BER x 10^19 */
	for (s = 0; s < 32; s++) {
		k = 24 - s;
		if (k > 19) {
			if (m19 > 2047 / int_pow(10, k - 19))
				continue;
			m = m19 * int_pow(10, k - 19);
		} else {
			m = div64_u64(m19, int_pow(10, 19 - k));
		}
		if (m <= 2047)
			return s << 11 | m;
	}
	return 31 << 11 | 2047;
}

static void put_le64(u8 *p, u64 v)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

/* log2(@v) in 1/256, @v > 0: the integer part, then 8 bits by squaring */
static u32 log2_q8(u64 v)
{
	unsigned int i = fls64(v) - 1, bit;
	u64 m = i >= 32 ? v >> (i - 32) : v << (32 - i);	/* [1, 2) Q32 */
	u32 r = i << 8;

	for (bit = 128; bit; bit >>= 1) {
		m = mul_u64_u64_shr(m, m, 32);
		if (m >= 2ULL << 32) {
			m >>= 1;
			r += bit;
		}
	}
	return r;
}

/*
 * The SNR a locked lane reports for a bit error ratio of @ber (1e-18
 * units), in 1/256 dB: 12 dB - log10(BER), i.e. 21 dB at 1e-9, 30 dB at
 * 1e-18 and for an error-free lane.
 */
static u16 osim_snr(u64 ber)
{
	/* 12 - log10(ber x 1e-18) = 30 - log2(ber) x log10(2) */
	return ber ? SNR_MAX_Q8 - div_u64((u64)log2_q8(ber) * 30103, 100000) :
		     SNR_MAX_Q8;
}

static void put_le16(u8 *p, u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

/* Selector 06h: the SNR of bank @b's locked lanes on advertised sides. */
static void snr_window(struct osim_port *port, unsigned int b, u8 *res)
{
	struct osim_module *mod = port->mod;
	u8 *u = diag_page(mod, b, 0x13);
	unsigned int base = b * OSIM_LANES_PER_BANK, side, li;

	for (side = 0; side < OSIM_SIDES; side++) {
		if (!(u[130] & osim_snr_regs[side].cap))
			continue;
		for (li = 0; li < OSIM_LANES_PER_BANK && base + li < mod->lanes;
		     li++)
			if ((u[osim_engine[side].chk_en] & BIT(li)) &&
			    checker_locked_kbps(mod, b, li, side))
				put_le16(&res[osim_snr_regs[side].at + 2 * li],
					 osim_snr(port->ber[side][base + li]));
	}
}

/* 14h:192-255 as the diagnostics selector (14h:128) asks. */
static void diag_window(struct osim_port *port, unsigned int b)
{
	struct osim_module *mod = port->mod;
	unsigned int base = b * OSIM_LANES_PER_BANK, i;
	u8 *res = diag_page(mod, b, 0x14), sel = res[128];
	struct osim_checker *c;

	memset(&res[192], 0, 64);
	if (sel == 0x01) {
		for (i = 0; i < OSIM_LANES_PER_BANK; i++) {
			c = &mod->chk[OSIM_HOST][base + i];
			osim_put_be16(&res[192 + 2 * i],
				      osim_f16(c->errors, c->bits));
			c = &mod->chk[OSIM_MEDIA][base + i];
			osim_put_be16(&res[208 + 2 * i],
				      osim_f16(c->errors, c->bits));
		}
	} else if (sel >= 0x02 && sel <= 0x05) {
		/* 02h/03h host lanes 1-4/5-8, 04h/05h media; errors then bits */
		enum osim_side side = sel >= 0x04 ? OSIM_MEDIA : OSIM_HOST;
		unsigned int first = base + ((sel - 2) & 1) * 4;

		for (i = 0; i < 4; i++) {
			c = &mod->chk[side][first + i];
			put_le64(&res[192 + 16 * i], c->errors);
			put_le64(&res[200 + 16 * i], c->bits);
		}
	} else if (sel == 0x06) {
		snr_window(port, b, res);
	}
}

/* Bring the checkers of every bank with page 13h up to @now. */
void osim_diag_update(struct osim_port *port, ktime_t now)
{
	struct osim_module *mod = port->mod;
	u64 dt = mod->diag_at && now > mod->diag_at ?
		 ktime_to_ns(ktime_sub(now, mod->diag_at)) : 0;
	unsigned int b, li, side, base;
	u8 *u, on;

	mod->diag_at = now;
	for (b = 0; b * OSIM_LANES_PER_BANK < mod->lanes; b++) {
		base = b * OSIM_LANES_PER_BANK;
		u = diag_page(mod, b, 0x13);
		if (!u || !diag_page(mod, b, 0x14))
			continue;
		for (side = 0; side < OSIM_SIDES; side++) {
			/*
			 * A checker enabled anew counts from zero;
			 * ResetErrorInformation (177 bit 5) holds all at zero.
			 */
			on = u[osim_engine[side].chk_en];
			if (u[177] & BIT(5))
				on = 0;
			for (li = 0; li < OSIM_LANES_PER_BANK; li++)
				if ((u[177] & BIT(5)) ||
				    ((on & BIT(li)) &&
				     !(mod->chk_en[side][b] & BIT(li))))
					memset(&mod->chk[side][base + li], 0,
					       sizeof(struct osim_checker));
			mod->chk_en[side][b] = on;
			for (li = 0; li < OSIM_LANES_PER_BANK &&
			     base + li < mod->lanes; li++)
				checker_count(port, b, li, side, dt);
		}
		diag_window(port, b);
	}
}

/* ---- debugfs portN/ber ---- */

/* "M[.F][e[+|-]X]" (e.g. 1e-9, 2.5E-7, 0) in 1e-18 units, at most 1 */
static int osim_parse_ber(const char *s, u64 *out)
{
	bool frac = false;
	int exp = 18, e;
	u64 mant = 0;
	unsigned int digits = 0;

	for (; isdigit(*s) || *s == '.'; s++) {
		if (*s == '.') {
			if (frac)
				return -EINVAL;
			frac = true;
		} else if (mant >= U64_MAX / 100) {
			exp += !frac;	/* beyond u64 precision */
			digits++;
		} else {
			mant = mant * 10 + (*s - '0');
			exp -= frac;
			digits++;
		}
	}
	if (!digits)
		return -EINVAL;
	if (*s == 'e' || *s == 'E') {
		if (kstrtoint(s + 1, 10, &e) || e < -60 || e > 60)
			return -EINVAL;
		exp += e;
	} else if (*s) {
		return -EINVAL;
	}
	for (; exp > 0 && mant; exp--) {
		if (mant > ONE_E18)
			return -ERANGE;
		mant *= 10;
	}
	for (; exp < 0 && mant; exp++)
		mant = div_u64(mant, 10);
	if (mant > ONE_E18)
		return -ERANGE;	/* a ratio above 1 */
	*out = mant;
	return 0;
}

/* "[host|media] LANE|all BER": both sides unless one is named */
int osim_ber_cmd(struct osim_port *port, char *cmd)
{
	unsigned int from = 0, to = OSIM_MAX_LANES - 1, l, side = 0;
	unsigned int sides = OSIM_SIDES;
	char *tok = strsep(&cmd, " \t");
	u64 ber;

	if (tok && (!strcmp(tok, "host") || !strcmp(tok, "media"))) {
		side = !strcmp(tok, "media") ? OSIM_MEDIA : OSIM_HOST;
		sides = side + 1;
		tok = strsep(&cmd, " \t");
	}
	if (!tok || !cmd || osim_parse_ber(strim(cmd), &ber))
		return -EINVAL;
	if (strcmp(tok, "all")) {
		if (kstrtouint(tok, 0, &from) || from >= OSIM_MAX_LANES)
			return -EINVAL;
		to = from;
	}
	/* the counts so far at the old ratio */
	osim_module_update(port);
	for (; side < sides; side++)
		for (l = from; l <= to; l++)
			port->ber[side][l] = ber;
	return 0;
}

static void seq_ber(struct seq_file *s, u64 v)
{
	int e = -18 + 3;
	u32 rem;

	if (!v) {
		seq_puts(s, " 0");
		return;
	}
	for (; v >= 10000; e++)
		v = div_u64(v, 10);
	for (; v < 1000; e--)
		v *= 10;
	v = div_u64_rem(v, 1000, &rem);
	seq_printf(s, " %llu.%03ue%d", v, rem, e);
}

/* " 21.004": an SNR in 1/256 dB as dB, rounded to 3 decimals */
static void seq_snr(struct seq_file *s, u16 q8)
{
	u32 milli = DIV_ROUND_CLOSEST(q8 * 1000U, 256);

	seq_printf(s, " %u.%03u", milli / 1000, milli % 1000);
}

void osim_ber_show(struct seq_file *s, struct osim_port *port)
{
	unsigned int l, n = port->mod ? port->mod->lanes : OSIM_LANES_PER_BANK;

	seq_puts(s, "# lane host media host_snr_db media_snr_db\n");
	for (l = 0; l < max_t(unsigned int, n, 1); l++) {
		seq_printf(s, "%u", l);
		seq_ber(s, port->ber[OSIM_HOST][l]);
		seq_ber(s, port->ber[OSIM_MEDIA][l]);
		seq_snr(s, osim_snr(port->ber[OSIM_HOST][l]));
		seq_snr(s, osim_snr(port->ber[OSIM_MEDIA][l]));
		seq_putc(s, '\n');
	}
}
