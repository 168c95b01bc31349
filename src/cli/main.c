/*
 * twauth: one binary, one subcommand per file (cmd_*.c).  main only picks
 * the subcommand and prints the overview.
 */
#include <stdio.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/hash.h"
#include "cli.h"

#ifndef TWAUTH_VERSION
#define TWAUTH_VERSION "0.1.0"
#endif

static const struct {
	const char	*name;
	int		(*run)(int, char **);
	const char	*summary;
} commands[] = {
	{ "serve", cmd_serve, "run the identity server (Twitch's id.twitch.tv API)" },
	{ "app", cmd_app, "register and manage apps: client ids, secrets, redirect URIs" },
	{ "user", cmd_user, "create and manage users who sign in to apps" },
	{ "keys", cmd_keys, "list and rotate the keys that sign OpenID Connect id_tokens" },
};

static void
usage(FILE *f)
{
	fputs("twauth - a Twitch-compatible identity server, and the tools around it\n"
	    "\n"
	    "Usage: twauth <command> [options]\n"
	    "\n"
	    "Commands:\n", f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	    "Every command takes --db PATH (or $TWAUTH_DB) to choose the database;\n"
	    "the default is " CLI_DEFAULT_DB ".\n"
	    "\n"
	    "Start here:\n"
	    "  twauth serve                                   # http://127.0.0.1:8080\n"
	    "  twauth app create --name \"My Bot\" --redirect-uri http://localhost:3000\n"
	    "  curl -X POST http://127.0.0.1:8080/oauth2/token \\\n"
	    "       -d 'client_id=ID&client_secret=SECRET&grant_type=client_credentials'\n"
	    "  curl -H 'Authorization: OAuth TOKEN' http://127.0.0.1:8080/oauth2/validate\n"
	    "\n"
	    "Run 'twauth <command> --help' for a command's options.\n", f);
}

int
main(int argc, char **argv)
{
	int rc;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("twauth %s\n", TWAUTH_VERSION);
		return EXIT_OK;
	}
	clock_init();
	hash_init();
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			rc = commands[i].run(argc - 1, argv + 1);
			hash_cleanup();
			return rc;
		}
	}
	fprintf(stderr, "twauth: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	hash_cleanup();
	return EXIT_USAGE;
}
