// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl monitor: print the driver's events as they come, one line each
 * (with --json, one JSON object per line).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>

#include "opticctl.h"

struct mon {
	struct oc *c;
	long count; /* events left; < 0: unlimited */
	struct optic_module_info *mods;
	size_t n;
};

static uint8_t port_spec(struct mon *mon, const char *name)
{
	size_t i;

	for (i = 0; i < mon->n; i++)
		if (streq(mon->mods[i].name, name))
			return mon->mods[i].spec;
	return OPTIC_SPEC_CMIS;
}

/*
 * The event part of an event or of a record (events.c): "[SEQ] PORT: TYPE
 * ..." with @seq, flag bits named after @spec's table; no newline.
 */
void oc_print_event(struct optic_print *p, const struct optic_nl_event *ev,
		    uint64_t seq, uint8_t spec)
{
	const char *type = optic_event_name(ev->type);
	unsigned int bit;

	op_uint(p, "seq", "[%" PRIu64 "] ", seq);
	op_string(p, "port", "%s: ", ev->name);
	if (type)
		op_string(p, "event", "%s", type);
	else
		op_uint(p, "event", "event %" PRIu64, ev->type);
	if (ev->lane >= 0)
		op_uint(p, "lane", " lane %" PRIu64, ev->lane + 1);
	switch (ev->type) {
	case OPTIC_EVENT_INSERTED:
		if (!(ev->attrs & OPTIC_ATTR(OPTIC_A_VENDOR_PN)))
			break;
		op_string(p, "spec", " %s",
			  optic_spec_name(ev->spec) ?: "unknown");
		op_string(p, "vendor_name", " %s", ev->vendor_name);
		op_string(p, "vendor_pn", " %s", ev->vendor_pn);
		op_string(p, "vendor_sn", " %s", ev->vendor_sn);
		break;
	case OPTIC_EVENT_MODULE_STATE:
		op_string(p, "old_state", " %s",
			  optic_state_name(ev->old_state) ?: "unknown");
		op_string(p, "new_state", " -> %s",
			  optic_state_name(ev->new_state) ?: "unknown");
		break;
	case OPTIC_EVENT_DATAPATH_STATE:
		op_string(p, "old_state", " %s",
			  optic_datapath_state_name(ev->old_state) ?:
								     "unknown");
		op_string(p, "new_state", " -> %s",
			  optic_datapath_state_name(ev->new_state) ?:
								     "unknown");
		break;
	case OPTIC_EVENT_FLAG:
	case OPTIC_EVENT_FLAG_CLEARED:
		op_uint(p, "page", " page %02" PRIx64 "h", ev->flag_page);
		op_uint(p, "offset", " byte %" PRIu64, ev->flag_offset);
		op_uint(p, "bits", " bits 0x%02" PRIx64, ev->flag_bits);
		op_open_array(p, "flags");
		for (bit = 0; bit < 8; bit++) {
			const struct optic_field *f;
			int lane;

			if (!(ev->flag_bits & (1u << bit)))
				continue;
			f = optic_flag_lookup(spec, ev->flag_page,
					      ev->flag_offset, bit, &lane);
			if (!f)
				continue;
			op_open_object(p, NULL);
			op_string(p, "flag", " %s", f->json_key);
			if (lane >= 0)
				op_uint(p, "lane", "(lane %" PRIu64 ")",
					lane + 1);
			op_close_object(p);
		}
		op_close_array(p);
		break;
	default:
		break;
	}
}

static int on_event(const struct optic_nl_event *ev, void *arg)
{
	struct mon *mon = arg;
	struct optic_print *p;
	int r;

	r = optic_print_new(&p, stdout, mon->c->pflags & ~OPTIC_PRINT_PRETTY);
	if (r < 0)
		return r;
	op_open_object(p, NULL);
	oc_print_event(p, ev, ev->seq, port_spec(mon, ev->name));
	if (ev->record_seq)
		op_uint(p, "record_seq", NULL, ev->record_seq);
	op_text(p, "\n");
	op_close_object(p);
	r = optic_print_flush(p);
	optic_print_free(p);
	if (r < 0)
		return r;
	if (ev->type == OPTIC_EVENT_INSERTED) {
		free(mon->mods);
		mon->mods = NULL;
		if (optic_nl_module_list(mon->c->nl, &mon->mods, &mon->n) < 0)
			mon->n = 0;
	}
	if (mon->count > 0 && --mon->count == 0)
		return 1;
	return 0;
}

int cmd_monitor(struct oc *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{}
	};
	struct mon mon = { .c = c, .count = -1 };
	long timeout = -1;
	char *end;
	int o, r;

	optind = 0; /* glibc: re-initialise, permute arguments again */
	while ((o = getopt_long(argc, argv, "c:t:", opts, NULL)) != -1) {
		switch (o) {
		case 'c':
			mon.count = strtol(optarg, &end, 10);
			if (*end || mon.count < 1)
				return oc_usage("bad --count '%s'", optarg);
			break;
		case 't':
			timeout = strtol(optarg, &end, 10);
			if (*end || timeout < 0 || timeout > 86400)
				return oc_usage("bad --timeout '%s'", optarg);
			break;
		default:
			return oc_usage(
				"usage: opticctl monitor [--count N] [--timeout SECONDS]");
		}
	}
	if (optind != argc)
		return oc_usage(
			"usage: opticctl monitor [--count N] [--timeout SECONDS]");
	if (optic_nl_module_list(c->nl, &mon.mods, &mon.n) < 0)
		mon.n = 0;
	/* events are printed as they arrive, not collected */
	setvbuf(stdout, NULL, _IOLBF, 0);
	r = optic_nl_monitor(c->nl, timeout < 0 ? -1 : (int)(timeout * 1000),
			     on_event, &mon);
	free(mon.mods);
	if (r < 0)
		return oc_fail(c, r, "monitor");
	/* --count not reached before --timeout: say so by the status */
	return mon.count > 0 ? OC_NOTFOUND : OC_OK;
}
