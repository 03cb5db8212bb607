// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SFF-8024 code tables (Rev 4.x): identifiers (Table 4-1), connectors
 * (Table 4-3), extended specification compliance (Table 4-4), host
 * electrical interface IDs (Table 4-5) and media interface IDs (Tables 4-6
 * to 4-10). Codes not listed decode as "unknown (0xNN)".
 */
#include "decode.h"
#include "util.h"

/* clang-format off: tables read best one row per line */
static const struct optic_code identifier[] = {
	{ 0x00, "Unknown or unspecified", NULL },
	{ 0x01, "GBIC", NULL },
	{ 0x02, "Module soldered to motherboard", NULL },
	{ 0x03, "SFP/SFP+/SFP28", NULL },
	{ 0x04, "300 pin XBI", NULL },
	{ 0x05, "XENPAK", NULL },
	{ 0x06, "XFP", NULL },
	{ 0x07, "XFF", NULL },
	{ 0x08, "XFP-E", NULL },
	{ 0x09, "XPAK", NULL },
	{ 0x0a, "X2", NULL },
	{ 0x0b, "DWDM-SFP/SFP+", NULL },
	{ 0x0c, "QSFP", NULL },
	{ 0x0d, "QSFP+", NULL },
	{ 0x0e, "CXP", NULL },
	{ 0x0f, "Shielded Mini Multilane HD 4X", NULL },
	{ 0x10, "Shielded Mini Multilane HD 8X", NULL },
	{ 0x11, "QSFP28", NULL },
	{ 0x12, "CXP2 (CXP28)", NULL },
	{ 0x13, "CDFP (Style 1/Style 2)", NULL },
	{ 0x14, "Shielded Mini Multilane HD 4X Fanout Cable", NULL },
	{ 0x15, "Shielded Mini Multilane HD 8X Fanout Cable", NULL },
	{ 0x16, "CDFP (Style 3)", NULL },
	{ 0x17, "microQSFP", NULL },
	{ 0x18, "QSFP-DD", NULL },
	{ 0x19, "OSFP", NULL },
	{ 0x1a, "SFP-DD", NULL },
	{ 0x1b, "DSFP", NULL },
	{ 0x1c, "x4 MiniLink/OcuLink", NULL },
	{ 0x1d, "x8 MiniLink", NULL },
	{ 0x1e, "QSFP+ or later with CMIS", NULL },
	{ 0x1f, "SFP-DD with CMIS", NULL },
	{ 0x20, "SFP+ with CMIS", NULL },
	{ 0x21, "OSFP-XD with CMIS", NULL },
	{ 0x22, "OIF-ELSFP with CMIS", NULL },
	{ 0x23, "CDFP (x4 PCIe) with CMIS", NULL },
	{ 0x24, "CDFP (x8 PCIe) with CMIS", NULL },
	{ 0x25, "CDFP (x16 PCIe) with CMIS", NULL },
};

static const struct optic_code connector[] = {
	{ 0x00, "Unknown or unspecified", NULL },
	{ 0x01, "SC", NULL },
	{ 0x02, "Fibre Channel Style 1 copper", NULL },
	{ 0x03, "Fibre Channel Style 2 copper", NULL },
	{ 0x04, "BNC/TNC", NULL },
	{ 0x05, "Fibre Channel coaxial headers", NULL },
	{ 0x06, "FibreJack", NULL },
	{ 0x07, "LC", NULL },
	{ 0x08, "MT-RJ", NULL },
	{ 0x09, "MU", NULL },
	{ 0x0a, "SG", NULL },
	{ 0x0b, "Optical pigtail", NULL },
	{ 0x0c, "MPO 1x12", NULL },
	{ 0x0d, "MPO 2x16", NULL },
	{ 0x20, "HSSDC II", NULL },
	{ 0x21, "Copper pigtail", NULL },
	{ 0x22, "RJ45", NULL },
	{ 0x23, "No separable connector", NULL },
	{ 0x24, "MXC 2x16", NULL },
	{ 0x25, "CS optical connector", NULL },
	{ 0x26, "SN optical connector", NULL },
	{ 0x27, "MPO 2x12", NULL },
	{ 0x28, "MPO 1x16", NULL },
};

static const struct optic_code ext_compliance[] = {
	{ 0x00, "Unspecified", NULL },
	{ 0x01, "100G AOC or 25GAUI C2M AOC (BER 5e-5)", NULL },
	{ 0x02, "100GBASE-SR4 or 25GBASE-SR", NULL },
	{ 0x03, "100GBASE-LR4 or 25GBASE-LR", NULL },
	{ 0x04, "100GBASE-ER4 or 25GBASE-ER", NULL },
	{ 0x05, "100GBASE-SR10", NULL },
	{ 0x06, "100G CWDM4", NULL },
	{ 0x07, "100G PSM4 Parallel SMF", NULL },
	{ 0x08, "100G ACC or 25GAUI C2M ACC (BER 5e-5)", NULL },
	{ 0x0b, "100GBASE-CR4, 25GBASE-CR CA-25G-L or 50GBASE-CR2 with RS FEC", NULL },
	{ 0x0c, "25GBASE-CR CA-25G-S or 50GBASE-CR2 with BASE-R FEC", NULL },
	{ 0x0d, "25GBASE-CR CA-25G-N or 50GBASE-CR2 with no FEC", NULL },
	{ 0x10, "40GBASE-ER4", NULL },
	{ 0x11, "4 x 10GBASE-SR", NULL },
	{ 0x12, "40G PSM4 Parallel SMF", NULL },
	{ 0x16, "10GBASE-T with SFI electrical interface", NULL },
	{ 0x17, "100G CLR4", NULL },
	{ 0x18, "100G AOC or 25GAUI C2M AOC (BER 1e-12)", NULL },
	{ 0x19, "100G ACC or 25GAUI C2M ACC (BER 1e-12)", NULL },
	{ 0x1a, "100GE-DWDM2", NULL },
	{ 0x1b, "100G 1550nm WDM", NULL },
	{ 0x1c, "10GBASE-T Short Reach", NULL },
	{ 0x1d, "5GBASE-T", NULL },
	{ 0x1e, "2.5GBASE-T", NULL },
	{ 0x1f, "40G SWDM4", NULL },
	{ 0x20, "100G SWDM4", NULL },
	{ 0x21, "100G PAM4 BiDi", NULL },
	{ 0x22, "4WDM-10 MSA", NULL },
	{ 0x23, "4WDM-20 MSA", NULL },
	{ 0x24, "4WDM-40 MSA", NULL },
	{ 0x25, "100GBASE-DR", NULL },
	{ 0x26, "100G-FR or 100GBASE-FR1", NULL },
	{ 0x27, "100G-LR or 100GBASE-LR1", NULL },
	{ 0x40, "50GBASE-CR, 100GBASE-CR2 or 200GBASE-CR4", NULL },
	{ 0x41, "50GBASE-SR, 100GBASE-SR2 or 200GBASE-SR4", NULL },
	{ 0x42, "50GBASE-FR or 200GBASE-DR4", NULL },
	{ 0x43, "200GBASE-FR4", NULL },
	{ 0x44, "200G 1550 nm PSM4", NULL },
	{ 0x45, "50GBASE-LR", NULL },
	{ 0x46, "200GBASE-LR4", NULL },
};

static const struct optic_code host_if[] = {
	{ 0x00, "Undefined", NULL },
	{ 0x01, "1000BASE-CX (Clause 39)", NULL },
	{ 0x02, "XAUI (Clause 47)", NULL },
	{ 0x03, "XFI (SFF INF-8071i)", NULL },
	{ 0x04, "SFI (SFF-8431)", NULL },
	{ 0x05, "25GAUI C2M (Annex 109B)", NULL },
	{ 0x06, "XLAUI C2M (Annex 83B)", NULL },
	{ 0x07, "XLPPI (Annex 86A)", NULL },
	{ 0x08, "LAUI-2 C2M (Annex 135C)", NULL },
	{ 0x09, "50GAUI-2 C2M (Annex 135E)", NULL },
	{ 0x0a, "50GAUI-1 C2M (Annex 135G)", NULL },
	{ 0x0b, "CAUI-4 C2M (Annex 83E)", NULL },
	{ 0x0c, "100GAUI-4 C2M (Annex 135E)", NULL },
	{ 0x0d, "100GAUI-2 C2M (Annex 135G)", NULL },
	{ 0x0e, "200GAUI-8 C2M (Annex 120C)", NULL },
	{ 0x0f, "200GAUI-4 C2M (Annex 120E)", NULL },
	{ 0x10, "400GAUI-16 C2M (Annex 120C)", NULL },
	{ 0x11, "400GAUI-8 C2M (Annex 120E)", NULL },
	{ 0x13, "10GBASE-CX4 (Clause 54)", NULL },
	{ 0x14, "25GBASE-CR CA-L (Clause 110)", NULL },
	{ 0x15, "25GBASE-CR CA-S (Clause 110)", NULL },
	{ 0x16, "25GBASE-CR CA-N (Clause 110)", NULL },
	{ 0x17, "40GBASE-CR4 (Clause 85)", NULL },
	{ 0x18, "50GBASE-CR (Clause 136)", NULL },
	{ 0x19, "100GBASE-CR10 (Clause 85)", NULL },
	{ 0x1a, "100GBASE-CR4 (Clause 92)", NULL },
	{ 0x1b, "100GBASE-CR2 (Clause 136)", NULL },
	{ 0x1c, "200GBASE-CR4 (Clause 136)", NULL },
	{ 0x1d, "400G CR8", NULL },
	{ 0x1e, "1000BASE-T (Clause 40)", NULL },
	{ 0x1f, "2.5GBASE-T (Clause 126)", NULL },
	{ 0x20, "5GBASE-T (Clause 126)", NULL },
	{ 0x21, "10GBASE-T (Clause 55)", NULL },
	{ 0x22, "25GBASE-T (Clause 113)", NULL },
	{ 0x23, "40GBASE-T (Clause 113)", NULL },
	{ 0x24, "50GBASE-T", NULL },
	{ 0x25, "8GFC (FC-PI-4)", NULL },
	{ 0x26, "10GFC", NULL },
	{ 0x27, "16GFC (FC-PI-5)", NULL },
	{ 0x28, "32GFC (FC-PI-6)", NULL },
	{ 0x29, "64GFC (FC-PI-7)", NULL },
	{ 0x2a, "128GFC (FC-PI-6P)", NULL },
	{ 0x2b, "256GFC (FC-PI-7P)", NULL },
	{ 0x2c, "IB SDR", NULL },
	{ 0x2d, "IB DDR", NULL },
	{ 0x2e, "IB QDR", NULL },
	{ 0x2f, "IB FDR", NULL },
	{ 0x30, "IB EDR", NULL },
	{ 0x31, "IB HDR", NULL },
	{ 0x32, "IB NDR", NULL },
	{ 0x33, "E.96 (CPRI 7.0)", NULL },
	{ 0x34, "E.99 (CPRI 7.0)", NULL },
	{ 0x35, "E.119 (CPRI 7.0)", NULL },
	{ 0x36, "E.238 (CPRI 7.0)", NULL },
	{ 0x37, "OTL3.4 (G.709)", NULL },
	{ 0x38, "OTL4.10 (G.709)", NULL },
	{ 0x39, "OTL4.4 (G.709)", NULL },
	{ 0x3a, "OTLC.4 (G.709.1)", NULL },
	{ 0x3b, "FOIC1.4 (G.709.1)", NULL },
	{ 0x3c, "FOIC1.2 (G.709.1)", NULL },
	{ 0x3d, "FOIC2.8 (G.709.1)", NULL },
	{ 0x3e, "FOIC2.4 (G.709.1)", NULL },
	{ 0x3f, "FOIC4.16 (G.709.1)", NULL },
	{ 0x40, "FOIC4.8 (G.709.1)", NULL },
	{ 0x41, "CAUI-4 C2M (Annex 83E) without FEC", NULL },
	{ 0x42, "CAUI-4 C2M (Annex 83E) with RS(528,514) FEC", NULL },
	{ 0x43, "50GBASE-CR2 with RS(528,514) FEC", NULL },
	{ 0x44, "50GBASE-CR2 with BASE-R FEC", NULL },
	{ 0x45, "50GBASE-CR2 with no FEC", NULL },
	{ 0x46, "100GBASE-CR1 (Clause 162)", NULL },
	{ 0x47, "200GBASE-CR2 (Clause 162)", NULL },
	{ 0x48, "400GBASE-CR4 (Clause 162)", NULL },
	{ 0x49, "800G-ETC-CR8", NULL },
	{ 0x4a, "128GFC (FC-PI-8)", NULL },
	{ 0x4b, "100GAUI-1-S C2M (Annex 120G)", NULL },
	{ 0x4c, "100GAUI-1-L C2M (Annex 120G)", NULL },
	{ 0x4d, "200GAUI-2-S C2M (Annex 120G)", NULL },
	{ 0x4e, "200GAUI-2-L C2M (Annex 120G)", NULL },
	{ 0x4f, "400GAUI-4-S C2M (Annex 120G)", NULL },
	{ 0x50, "400GAUI-4-L C2M (Annex 120G)", NULL },
	{ 0x51, "800GAUI-8 S C2M (Annex 120G)", NULL },
	{ 0x52, "800GAUI-8 L C2M (Annex 120G)", NULL },
	{ 0x53, "OTL4.2", NULL },
	{ 0x55, "1.6TAUI-16-S C2M (Annex 120G)", NULL },
	{ 0x56, "1.6TAUI-16-L C2M (Annex 120G)", NULL },
	{ 0x57, "800GBASE-CR4", NULL },
	{ 0x58, "1.6TBASE-CR8", NULL },
	{ 0xff, "End of list", NULL },
};

static const struct optic_code mmf_if[] = {
	{ 0x00, "Undefined", NULL },
	{ 0x01, "10GBASE-SW (Clause 52)", NULL },
	{ 0x02, "10GBASE-SR (Clause 52)", NULL },
	{ 0x03, "25GBASE-SR (Clause 112)", NULL },
	{ 0x04, "40GBASE-SR4 (Clause 86)", NULL },
	{ 0x05, "40GE SWDM4 MSA", NULL },
	{ 0x06, "40GE BiDi", NULL },
	{ 0x07, "50GBASE-SR (Clause 138)", NULL },
	{ 0x08, "100GBASE-SR10 (Clause 86)", NULL },
	{ 0x09, "100GBASE-SR4 (Clause 95)", NULL },
	{ 0x0a, "100GE SWDM4 MSA", NULL },
	{ 0x0b, "100GE BiDi", NULL },
	{ 0x0c, "100GBASE-SR2 (Clause 138)", NULL },
	{ 0x0d, "100GBASE-SR1 (Clause 167)", NULL },
	{ 0x0e, "200GBASE-SR4 (Clause 138)", NULL },
	{ 0x0f, "400GBASE-SR16 (Clause 123)", NULL },
	{ 0x10, "400GBASE-SR8 (Clause 138)", NULL },
	{ 0x11, "400GBASE-SR4 (Clause 167)", NULL },
	{ 0x12, "800GBASE-SR8 (Clause 167)", NULL },
	{ 0x13, "8GFC-MM (FC-PI-4)", NULL },
	{ 0x14, "10GFC-MM", NULL },
	{ 0x15, "16GFC-MM (FC-PI-5)", NULL },
	{ 0x16, "32GFC-MM (FC-PI-6)", NULL },
	{ 0x17, "64GFC-MM (FC-PI-7)", NULL },
	{ 0x18, "128GFC-MM4 (FC-PI-6P)", NULL },
	{ 0x19, "256GFC-MM4 (FC-PI-7P)", NULL },
	{ 0x1a, "400GBASE-SR4.2 (Clause 150)", NULL },
};

static const struct optic_code smf_if[] = {
	{ 0x00, "Undefined", NULL },
	{ 0x01, "10GBASE-LW (Clause 52)", NULL },
	{ 0x02, "10GBASE-EW (Clause 52)", NULL },
	{ 0x03, "10G-ZW", NULL },
	{ 0x04, "10GBASE-LR (Clause 52)", NULL },
	{ 0x05, "10GBASE-ER (Clause 52)", NULL },
	{ 0x06, "10G-ZR", NULL },
	{ 0x07, "25GBASE-LR (Clause 114)", NULL },
	{ 0x08, "25GBASE-ER (Clause 114)", NULL },
	{ 0x09, "40GBASE-LR4 (Clause 87)", NULL },
	{ 0x0a, "40GBASE-FR (Clause 89)", NULL },
	{ 0x0b, "50GBASE-FR (Clause 139)", NULL },
	{ 0x0c, "50GBASE-LR (Clause 139)", NULL },
	{ 0x0d, "100GBASE-LR4 (Clause 88)", NULL },
	{ 0x0e, "100GBASE-ER4 (Clause 88)", NULL },
	{ 0x0f, "100G PSM4 MSA", NULL },
	{ 0x10, "100G CWDM4 MSA", NULL },
	{ 0x11, "100G 4WDM-10 MSA", NULL },
	{ 0x12, "100G 4WDM-20 MSA", NULL },
	{ 0x13, "100G 4WDM-40 MSA", NULL },
	{ 0x14, "100GBASE-DR (Clause 140)", NULL },
	{ 0x15, "100G-FR/100GBASE-FR1 (Clause 140)", NULL },
	{ 0x16, "100G-LR/100GBASE-LR1 (Clause 140)", NULL },
	{ 0x17, "200GBASE-DR4 (Clause 121)", NULL },
	{ 0x18, "200GBASE-FR4 (Clause 122)", NULL },
	{ 0x19, "200GBASE-LR4 (Clause 122)", NULL },
	{ 0x1a, "400GBASE-FR8 (Clause 122)", NULL },
	{ 0x1b, "400GBASE-LR8 (Clause 122)", NULL },
	{ 0x1c, "400GBASE-DR4 (Clause 124)", NULL },
	{ 0x1d, "400G-FR4/400GBASE-FR4 (Clause 151)", NULL },
	{ 0x1e, "400G-LR4-10", NULL },
	{ 0x1f, "8GFC-SM (FC-PI-4)", NULL },
	{ 0x20, "10GFC-SM", NULL },
	{ 0x21, "16GFC-SM (FC-PI-5)", NULL },
	{ 0x22, "32GFC-SM (FC-PI-6)", NULL },
	{ 0x23, "64GFC-SM (FC-PI-7)", NULL },
	{ 0x24, "128GFC-PSM4 (FC-PI-6P)", NULL },
	{ 0x25, "256GFC-PSM4 (FC-PI-7P)", NULL },
	{ 0x26, "128GFC-CWDM4 (FC-PI-6P)", NULL },
	{ 0x27, "256GFC-CWDM4 (FC-PI-7P)", NULL },
	{ 0x2c, "4I1-9D1F (G.959.1)", NULL },
	{ 0x2d, "4L1-9C1F (G.959.1)", NULL },
	{ 0x2e, "4L1-9D1F (G.959.1)", NULL },
	{ 0x2f, "C4S1-9D1F (G.695)", NULL },
	{ 0x30, "C4S1-4D1F (G.695)", NULL },
	{ 0x31, "4I1-4D1F (G.959.1)", NULL },
	{ 0x32, "8R1-4D1F (G.959.1)", NULL },
	{ 0x33, "8I1-4D1F (G.959.1)", NULL },
	{ 0x38, "10G-SR", NULL },
	{ 0x39, "10G-LR", NULL },
	{ 0x3a, "25G-SR", NULL },
	{ 0x3b, "25G-LR", NULL },
	{ 0x3c, "10G-LR-BiDi", NULL },
	{ 0x3d, "25G-LR-BiDi", NULL },
	{ 0x3e, "400ZR, DWDM, amplified", NULL },
	{ 0x3f, "400ZR, single wavelength, unamplified", NULL },
	{ 0x40, "50GBASE-ER (Clause 139)", NULL },
	{ 0x41, "200GBASE-ER4 (Clause 122)", NULL },
	{ 0x42, "400GBASE-ER8 (Clause 122)", NULL },
	{ 0x44, "100GBASE-ZR (Clause 154)", NULL },
	{ 0x46, "ZR400-OFEC-16QAM", NULL },
	{ 0x47, "ZR300-OFEC-8QAM", NULL },
	{ 0x48, "ZR200-OFEC-QPSK", NULL },
	{ 0x49, "ZR100-OFEC-QPSK", NULL },
	{ 0x4a, "100G-LR1-20 MSA", NULL },
	{ 0x4b, "100G-ER1-30 MSA", NULL },
	{ 0x4c, "100G-ER1-40 MSA", NULL },
	{ 0x4d, "400GBASE-ZR (Clause 156)", NULL },
	{ 0x55, "400GBASE-DR4-2 (Clause 124)", NULL },
	{ 0x56, "800GBASE-DR8 (Clause 124)", NULL },
	{ 0x57, "800GBASE-DR8-2 (Clause 124)", NULL },
};

static const struct optic_code copper_if[] = {
	{ 0x00, "Undefined", NULL },
	{ 0x01, "Copper cable", NULL },
	{ 0x02, "Passive loopback module", NULL },
};

static const struct optic_code active_if[] = {
	{ 0x00, "Undefined", NULL },
	{ 0x01, "Active cable assembly, BER < 1e-12", NULL },
	{ 0x02, "Active cable assembly, BER < 5e-5", NULL },
	{ 0x03, "Active cable assembly, BER < 2.6e-4", NULL },
	{ 0x04, "Active cable assembly, BER < 1e-6", NULL },
	{ 0xbf, "Active loopback module", NULL },
};

static const struct optic_code baset_if[] = {
	{ 0x00, "Undefined", NULL },
	{ 0x01, "1000BASE-T (Clause 40)", NULL },
	{ 0x02, "2.5GBASE-T (Clause 126)", NULL },
	{ 0x03, "5GBASE-T (Clause 126)", NULL },
	{ 0x04, "10GBASE-T (Clause 55)", NULL },
};

const struct optic_codes optic_sff8024_identifier =
	OPTIC_CODES("SFF-8024 Table 4-1", identifier);
const struct optic_codes optic_sff8024_connector =
	OPTIC_CODES("SFF-8024 Table 4-3", connector);
const struct optic_codes optic_sff8024_ext_compliance =
	OPTIC_CODES("SFF-8024 Table 4-4", ext_compliance);
const struct optic_codes optic_sff8024_host_if =
	OPTIC_CODES("SFF-8024 Table 4-5", host_if);
const struct optic_codes optic_sff8024_mmf_if =
	OPTIC_CODES("SFF-8024 Table 4-6", mmf_if);
const struct optic_codes optic_sff8024_smf_if =
	OPTIC_CODES("SFF-8024 Table 4-7", smf_if);
const struct optic_codes optic_sff8024_copper_if =
	OPTIC_CODES("SFF-8024 Table 4-8", copper_if);
const struct optic_codes optic_sff8024_active_if =
	OPTIC_CODES("SFF-8024 Table 4-9", active_if);
const struct optic_codes optic_sff8024_baset_if =
	OPTIC_CODES("SFF-8024 Table 4-10", baset_if);

/* clang-format on */

const struct optic_codes *optic_sff8024_media_table(uint8_t media_type)
{
	/* CMIS 5.2 Table 8-22 MediaType (byte 85) selects the table */
	static const struct optic_codes *const by_type[] = {
		[1] = &optic_sff8024_mmf_if,	[2] = &optic_sff8024_smf_if,
		[3] = &optic_sff8024_copper_if, [4] = &optic_sff8024_active_if,
		[5] = &optic_sff8024_baset_if,
	};

	return media_type < ARRAY_SIZE(by_type) ? by_type[media_type] : NULL;
}

const struct optic_code *optic_code_find(const struct optic_codes *t,
					 unsigned int code)
{
	size_t i;

	if (!t)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (t->c[i].code == code)
			return &t->c[i];
	return NULL;
}

const char *optic_code_name(const struct optic_codes *t, unsigned int code)
{
	const struct optic_code *c = optic_code_find(t, code);

	return c ? c->name : NULL;
}

int optic_spec_from_id(uint8_t id)
{
	switch (id) {
	case 0x03:
		return OPTIC_SPEC_SFF8472;
	case 0x0c:
	case 0x0d:
	case 0x11:
		return OPTIC_SPEC_SFF8636;
	case 0x18:
	case 0x19:
	case 0x1b:
	case 0x1e ... 0x25:
		return OPTIC_SPEC_CMIS;
	default:
		return OPTIC_SPEC_UNKNOWN;
	}
}
