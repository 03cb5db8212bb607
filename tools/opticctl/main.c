// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opticctl: inspect and control pluggable optical modules through the
 * optic driver's generic netlink family. Dispatches from a const table to
 * one file per subcommand, in the manner of wireguard-tools' wg.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "opticctl.h"

static const struct oc_cmd commands[] = {
	{ "list", cmd_list, true, "list" },
	{ "show", cmd_show, true, "show PORT|all" },
	{ "dom", cmd_dom, true, "dom PORT|all" },
	{ "dump", cmd_dump, true,
	  "dump PORT [--page P [--bank B]] [--i2c-addr 0x51]" },
	{ "set", cmd_set, true,
	  "set PORT lpmode on|off | tx-disable LANES on|off | reset\n"
	  "  set PORT application APPSEL|NAME [--lanes L] [--immediate] | datapath LANES on|off" },
	{ "monitor", cmd_monitor, true,
	  "monitor [--count N] [--timeout SECONDS]" },
	{ "events", cmd_events, true,
	  "events PORT|all [--since SEQ|TIME] [--follow] [--json] | --clear" },
	{ "platform", cmd_platform, false,
	  "platform apply|check|show [--json] [FILE (/etc/optic/cages.conf)]" },
	{ "bus", cmd_bus, true, "bus [--interval SECONDS] [--json]" },
	{ "fw", cmd_fw, true,
	  "fw info PORT | flash [--lpl] [--resume] PORT FILE | run [--hitless] PORT | commit PORT | abort PORT" },
	{ "diag", cmd_diag, true,
	  "diag PORT | loopback host-input|host-output|media-input|media-output on|off [--lanes L]\n"
	  "  diag PORT prbs --pattern P --side host|media --seconds N [--lanes L]" },
	{ "status", cmd_status, false, "status [--socket PATH]" },
	{ "decode", cmd_decode, false, "decode [--dom|--dump] FILE|-" },
	{ "version", cmd_version, false, "version" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: opticctl [-j|--json] [-p|--pretty] [-L|--load] COMMAND [ARGS]\n"
		"Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f, "Exit status: 0 ok, 1 usage, 2 not found, 3 I/O error, "
		   "4 permission denied, 5 driver not loaded.\n");
}

int oc_exit_code(int err)
{
	switch (-err) {
	case 0:
		return OC_OK;
	case EINVAL:
	case ERANGE:
		return OC_USAGE;
	case ENOENT:
	case ENODEV:
	case ESRCH:
		return OC_NOTFOUND;
	case EPERM:
	case EACCES:
		return OC_PERM;
	default:
		return OC_IO;
	}
}

int oc_fail(struct oc *c, int err, const char *fmt, ...)
{
	const char *ext = c ? optic_nl_errmsg(c->nl) : NULL;
	va_list ap;

	fflush(stdout);
	fputs("opticctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s", strerror(-err));
	if (ext)
		fprintf(stderr, " (%s)", ext);
	fputc('\n', stderr);
	return oc_exit_code(err);
}

int oc_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("opticctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return OC_USAGE;
}

static bool ask_load(void)
{
	char buf[16];

	if (geteuid() != 0 || !isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
		return false;
	fprintf(stderr,
		"opticctl: the optic driver is not loaded; load it now? [y/N] ");
	if (!fgets(buf, sizeof(buf), stdin))
		return false;
	return buf[0] == 'y' || buf[0] == 'Y';
}

int oc_open_netlink(struct oc *c)
{
	int r = optic_nl_open(&c->nl);

	if (r != -ENOENT)
		return r < 0 ? oc_fail(c, r, "opening generic netlink") : 0;
	if (c->load || ask_load()) {
		r = optic_load_driver("optic");
		if (r < 0) {
			oc_fail(NULL, r, "loading the optic module");
			return OC_NODRIVER;
		}
		r = optic_nl_open(&c->nl);
		if (r == 0)
			return 0;
	}
	fprintf(stderr,
		"opticctl: the optic driver is not loaded (no generic netlink family \"%s\").\n"
		"Load it with: modprobe optic   (or run opticctl --load as root)\n",
		OPTIC_GENL_NAME);
	return OC_NODRIVER;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "load", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	struct oc c = {};
	const struct oc_cmd *cmd = NULL;
	int o, r;
	size_t i;

	/* '+': stop at the command; its own options follow it */
	while ((o = getopt_long(argc, argv, "+jpLhV", opts, NULL)) != -1) {
		switch (o) {
		case 'j':
			c.pflags |= OPTIC_PRINT_JSON;
			break;
		case 'p':
			c.pflags |= OPTIC_PRINT_JSON | OPTIC_PRINT_PRETTY;
			break;
		case 'L':
			c.load = true;
			break;
		case 'h':
			usage(stdout);
			return OC_OK;
		case 'V':
			printf("opticctl %s\n", OPTIC_VERSION);
			return OC_OK;
		default:
			usage(stderr);
			return OC_USAGE;
		}
	}
	if (optind >= argc) {
		/* like `wg`: no command shows the overview */
		argv[optind - 1] = "list";
		optind--;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (streq(argv[optind], commands[i].name))
			cmd = &commands[i];
	if (!cmd) {
		if (streq(argv[optind], "help")) {
			usage(stdout);
			return OC_OK;
		}
		fprintf(stderr, "opticctl: unknown command '%s'\n",
			argv[optind]);
		usage(stderr);
		return OC_USAGE;
	}
	r = optic_print_new(&c.p, stdout, c.pflags);
	if (r < 0)
		return oc_fail(NULL, r, "allocating the printer");
	if (cmd->netlink) {
		r = oc_open_netlink(&c);
		if (r) {
			optic_print_free(c.p);
			return r;
		}
	}
	/* the command sees argv[0] = its name, as getopt expects */
	r = cmd->fn(&c, argc - optind, argv + optind);
	if (r == OC_OK) {
		int e = optic_print_flush(c.p);

		if (e < 0)
			r = oc_fail(NULL, e, "writing output");
	} else {
		/* partial JSON of a failed command is still valid JSON */
		optic_print_flush(c.p);
	}
	optic_print_free(c.p);
	optic_nl_close(c.nl);
	return r;
}
