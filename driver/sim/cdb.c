// SPDX-License-Identifier: GPL-2.0
/*
 * optic_sim: CMIS Command Data Block (CDB) messaging on page 9Fh (CMIS 5.2
 * chapter 9): query status, module and firmware management features,
 * firmware info, firmware download (start, write LPL and EPL, complete,
 * abort), run and commit. The host writes the command body, then the
 * command ID in bytes 128-129; the write of byte 129 triggers it. While it
 * runs, CdbStatus1 (lower page byte 37) reads busy; at the end it holds the
 * result and L-CdbCmdComplete1 (byte 8 bit 6) latches.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/string.h>

#include "sim.h"

/* CMIS 5.2 Table 9-3: CdbStatus values */
#define CDB_BUSY_EXECUTING	0x83
#define CDB_SUCCESS		0x01
#define CDB_FAIL		0x40
#define CDB_FAIL_PARAM		0x42
#define CDB_FAIL_CHKCODE	0x45

#define CDB_LPL_MAX		120
#define CDB_EPL_MAX		2048
#define CDB_CMD_QUERY_STATUS	0x0000
#define CDB_CMD_MODULE_FEATURES	0x0040
#define CDB_CMD_FW_FEATURES	0x0041
#define CDB_CMD_FW_INFO		0x0100
#define CDB_CMD_FW_START	0x0101
#define CDB_CMD_FW_ABORT	0x0102
#define CDB_CMD_FW_WRITE_LPL	0x0103
#define CDB_CMD_FW_WRITE_EPL	0x0104
#define CDB_CMD_FW_COMPLETE	0x0107
#define CDB_CMD_FW_RUN		0x0109
#define CDB_CMD_FW_COMMIT	0x010a

#define CDB_WRITE_MS		2
#define CDB_START_MS		50
#define CDB_COMPLETE_MS		200

static u16 cdb_be16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

static u32 cdb_be32(const u8 *p)
{
	return (u32)cdb_be16(p) << 16 | cdb_be16(p + 2);
}

static u8 *cdb_page(struct osim_module *mod, u8 page)
{
	struct osim_page *pg;

	if (mod->spec != OSIM_SPEC_CMIS || mod->flat || !mod->ntargets)
		return NULL;
	pg = osim_page_get(&mod->tgt[0], 0, page);
	return pg ? pg->data : NULL;
}

/* Longest host write starting at @off: 8 bytes, more on the CDB pages. */
unsigned int osim_write_max(struct osim_module *mod, struct osim_target *t,
			    u8 off)
{
	u8 page = t->lower.data[127];
	u8 *p01;

	if (off < OSIM_PAGE_SIZE || !t->paged || t != &mod->tgt[0] ||
	    (page != 0x9f && (page < 0xa0 || page > 0xaf)))
		return OSIM_WRITE_MAX;
	p01 = cdb_page(mod, 0x01);
	if (!p01 || !(p01[163] >> 6))
		return OSIM_WRITE_MAX;
	/* CMIS 5.2 8.4.11: 01h:164 allows 8 * (1 + min(n, 15)) bytes */
	return 8 * (1 + min_t(u8, p01[164], 15));
}

/* Active firmware in lower 39-40, inactive in 01h:128-129 (CMIS 5.2 8.3, 8.4.1). */
void osim_fw_publish(struct osim_module *mod)
{
	struct osim_fw *fw = &mod->fw;
	u8 *p01 = cdb_page(mod, 0x01);
	u8 *lo;

	if (mod->spec != OSIM_SPEC_CMIS || !mod->ntargets)
		return;
	lo = mod->tgt[0].lower.data;
	lo[39] = fw->ver[fw->running] >> 8;
	lo[40] = fw->ver[fw->running] & 0xff;
	if (p01) {
		p01[128] = fw->ver[!fw->running] >> 8;
		p01[129] = fw->ver[!fw->running] & 0xff;
	}
}

static void cdb_capture_head(struct osim_fw *fw, u32 addr, const u8 *data,
			     u32 len)
{
	u32 i;

	for (i = 0; i < len && addr + i < sizeof(fw->head); i++)
		fw->head[addr + i] = data[i];
	fw->received = max(fw->received, addr + len);
}

static u8 cdb_fw_info(struct osim_module *mod, u8 *rpl, u8 *rpl_len)
{
	struct osim_fw *fw = &mod->fw;
	unsigned int i;

	memset(rpl, 0, 74);
	for (i = 0; i < 2; i++) {
		u8 *img = rpl + 2 + 36 * i;

		/* CMIS 5.2 Table 9-29: running, committed, invalid per image */
		if (fw->running == i)
			rpl[0] |= BIT(4 * i);
		if (fw->committed == i)
			rpl[0] |= BIT(4 * i + 1);
		if (!fw->valid[i])
			rpl[0] |= BIT(4 * i + 2);
		rpl[1] |= BIT(i);
		img[0] = fw->ver[i] >> 8;
		img[1] = fw->ver[i] & 0xff;
		osim_put_be16(&img[2], 100 + fw->downloads);
		snprintf(img + 4, 32, "optic_sim image %c", 'A' + i);
	}
	*rpl_len = 74;
	return CDB_SUCCESS;
}

static u8 cdb_fw_complete(struct osim_module *mod, bool check_header)
{
	struct osim_fw *fw = &mod->fw;
	u8 other = !fw->running;
	bool genuine = !memcmp(fw->head, "OSFW", 4);

	if (!fw->downloading || fw->received != fw->size)
		return CDB_FAIL;
	fw->downloading = false;
	if (check_header && !genuine)
		return CDB_FAIL;	/* image B stays invalid */
	if (genuine)
		fw->ver[other] = fw->head[4] << 8 | fw->head[5];
	else
		fw->ver[other] = (fw->ver[fw->running] & 0xff00) |
				 ((fw->ver[fw->running] + 1) & 0xff);
	fw->valid[other] = true;
	fw->downloads++;
	osim_fw_publish(mod);
	return CDB_SUCCESS;
}

/* Execute the command in page 9Fh; returns its CdbStatus and duration. */
static u8 cdb_execute(struct osim_port *port, u8 *p, u8 *rpl, u8 *rpl_len,
		      unsigned int *ms)
{
	struct osim_module *mod = port->mod;
	struct osim_fw *fw = &mod->fw;
	u16 cmd = cdb_be16(&p[128]);
	u16 epl_len = cdb_be16(&p[130]);
	u8 lpl_len = p[132];
	u8 *lpl = &p[136];
	u32 addr, i;
	u8 sum = 0;

	if (lpl_len > CDB_LPL_MAX || epl_len > CDB_EPL_MAX)
		return CDB_FAIL_PARAM;
	/* CMIS 5.2 9.2: ones' complement of the sum of 128..(136 + LPL - 1),
	 * with bytes 133-135 taken as zero.
	 */
	for (i = 128; i < 133; i++)
		sum += p[i];
	for (i = 0; i < lpl_len; i++)
		sum += lpl[i];
	if ((u8)~sum != p[133])
		return CDB_FAIL_CHKCODE;

	*ms = 1;
	switch (cmd) {
	case CDB_CMD_QUERY_STATUS:
		rpl[0] = 1;		/* one status byte follows */
		rpl[1] = 0x01;		/* host password accepted */
		*rpl_len = 2;
		return CDB_SUCCESS;
	case CDB_CMD_MODULE_FEATURES:
		memset(rpl, 0, 36);
		rpl[0] = 0x07;		/* commands 0000h, 0040h, 0041h */
		osim_put_be16(&rpl[34], 1000);	/* max completion ms */
		*rpl_len = 36;
		return CDB_SUCCESS;
	case CDB_CMD_FW_FEATURES:
		memset(rpl, 0, 18);
		rpl[2] = 0;		/* no vendor data in Start */
		rpl[4] = 15;		/* 128-byte LPL/EPL accesses */
		rpl[5] = 0x11;		/* write through LPL and EPL */
		osim_put_be16(&rpl[8], CDB_START_MS * 4);
		osim_put_be16(&rpl[12], CDB_WRITE_MS * 50);
		osim_put_be16(&rpl[14], CDB_COMPLETE_MS * 5);
		*rpl_len = 18;
		return CDB_SUCCESS;
	case CDB_CMD_FW_INFO:
		return cdb_fw_info(mod, rpl, rpl_len);
	case CDB_CMD_FW_START:
		if (lpl_len < 8)
			return CDB_FAIL_PARAM;
		fw->size = cdb_be32(&lpl[0]);
		if (!fw->size)
			return CDB_FAIL_PARAM;
		fw->received = 0;
		memset(fw->head, 0, sizeof(fw->head));
		fw->downloading = true;
		fw->valid[!fw->running] = false;	/* being overwritten */
		*ms = CDB_START_MS;
		return CDB_SUCCESS;
	case CDB_CMD_FW_ABORT:
		fw->downloading = false;
		return CDB_SUCCESS;
	case CDB_CMD_FW_WRITE_LPL:
		if (!fw->downloading || lpl_len < 4)
			return CDB_FAIL;
		addr = cdb_be32(&lpl[0]);
		if (addr + lpl_len - 4 > fw->size)
			return CDB_FAIL_PARAM;
		cdb_capture_head(fw, addr, &lpl[4], lpl_len - 4);
		*ms = CDB_WRITE_MS;
		return CDB_SUCCESS;
	case CDB_CMD_FW_WRITE_EPL:
		if (!fw->downloading || lpl_len < 4)
			return CDB_FAIL;
		addr = cdb_be32(&lpl[0]);
		if (addr + epl_len > fw->size)
			return CDB_FAIL_PARAM;
		for (i = 0; i < epl_len; i += OSIM_PAGE_SIZE) {
			u8 *epl = cdb_page(mod, 0xa0 + i / OSIM_PAGE_SIZE);

			if (!epl)
				return CDB_FAIL_PARAM;
			cdb_capture_head(fw, addr + i, &epl[OSIM_PAGE_SIZE],
					 min_t(u32, OSIM_PAGE_SIZE, epl_len - i));
		}
		*ms = CDB_WRITE_MS;
		return CDB_SUCCESS;
	case CDB_CMD_FW_COMPLETE:
		*ms = CDB_COMPLETE_MS;
		return cdb_fw_complete(mod, port->faults.fw_check);
	case CDB_CMD_FW_RUN:
		/* LPL byte 1: 0/1 run the inactive image, 2/3 restart the running one */
		if (lpl_len < 2 || lpl[1] > 3)
			return CDB_FAIL_PARAM;
		if (lpl[1] < 2) {
			if (!fw->valid[!fw->running] || fw->downloading)
				return CDB_FAIL;
			fw->running = !fw->running;
		}
		mod->reset_pending = true;
		return CDB_SUCCESS;
	case CDB_CMD_FW_COMMIT:
		if (!fw->valid[fw->running])
			return CDB_FAIL;
		fw->committed = fw->running;
		return CDB_SUCCESS;
	default:
		return CDB_FAIL_PARAM;
	}
}

/* A command ID was written: start the command. Caller holds port->lock. */
void osim_cdb_run(struct osim_port *port)
{
	struct osim_module *mod = port->mod;
	u8 *p = cdb_page(mod, 0x9f);
	u8 rpl[CDB_LPL_MAX];
	u8 rpl_len = 0, sum = 0, status;
	unsigned int ms = 0, i;

	if (!p || mod->cdb_deadline)
		return;	/* no CDB, or busy: the host must wait */
	status = cdb_execute(port, p, rpl, &rpl_len, &ms);
	p[134] = 0;
	p[135] = 0;
	if (status == CDB_SUCCESS && rpl_len) {
		memcpy(&p[136], rpl, rpl_len);
		for (i = 0; i < rpl_len; i++)
			sum += rpl[i];
		p[134] = rpl_len;
		p[135] = ~sum;
	}
	mod->cdb_result = status;
	mod->tgt[0].lower.data[37] = CDB_BUSY_EXECUTING;
	ms = div_u64((u64)ms * port->time_scale, 100);
	mod->cdb_deadline = ktime_add(osim_clock(port), ms_to_ktime(ms));
}

/* Publish the result of a command whose time is up. */
void osim_cdb_update(struct osim_port *port, ktime_t now)
{
	struct osim_module *mod = port->mod;
	u8 *lo = mod->tgt[0].lower.data;

	if (!mod->cdb_deadline || now < mod->cdb_deadline)
		return;
	mod->cdb_deadline = 0;
	lo[37] = mod->cdb_result;
	lo[8] |= BIT(6);	/* L-CdbCmdComplete1 */
}
