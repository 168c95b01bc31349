/*
 * twauth: one binary, one subcommand per file (cmd_*.c), listed in
 * commands.c.  main only picks the subcommand and prints the overview.
 */
#include <stdio.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/hash.h"
#include "../client/fetch.h"
#include "cli.h"
#include "client.h"

#ifndef TWAUTH_VERSION
#define TWAUTH_VERSION "0.1.0"
#endif

static void
usage(FILE *f)
{
	fputs("twauth - a Twitch-compatible identity server, and the tools around it\n"
	    "\n"
	    "Usage: twauth <command> [options]\n"
	    "\n"
	    "Commands:\n", f);
	for (const struct cli_command *c = cli_commands; c->name != NULL; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fputs("\n"
	    "The server commands (serve, app, user, keys, db, chaos) take --db PATH (or\n"
	    "$TWAUTH_DB) to choose the database: an SQLite file (the default is\n"
	    CLI_DEFAULT_DB ") or a postgres:// URI.\n"
	    "The client commands talk to https://id.twitch.tv, or to --issuer URL.\n"
	    "\n"
	    "Get a Twitch token (client):\n"
	    "  export TWITCH_CLIENT_ID=... TWITCH_CLIENT_SECRET=...\n"
	    "  twauth token --user --scopes \"chat:read chat:edit\"   # register "
	    PROFILE_DEFAULT_REDIRECT "\n"
	    "  twauth api get users -q login=twitchdev\n"
	    "\n"
	    "Run your own id.twitch.tv (server):\n"
	    "  twauth serve                                   # http://127.0.0.1:8080\n"
	    "  twauth app create --name \"My Bot\" --redirect-uri http://localhost:3000\n"
	    "  curl -X POST http://127.0.0.1:8080/oauth2/token \\\n"
	    "       -d 'client_id=ID&client_secret=SECRET&grant_type=client_credentials'\n"
	    "  curl -H 'Authorization: OAuth TOKEN' http://127.0.0.1:8080/oauth2/validate\n"
	    "\n"
	    "Run 'twauth <command> --help' (or 'twauth help <command>') for a command's\n"
	    "options; 'twauth completion --help' sets up TAB completion in bash or zsh.\n", f);
}

int
main(int argc, char **argv)
{
	/* "twauth help token" is "twauth token --help", as in the Twitch CLI. */
	char *help_argv[] = { argv[0], argc > 2 ? argv[2] : NULL, (char *)"--help", NULL };
	int rc;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "help") == 0 && argc == 3) {
		argc = 3;
		argv = help_argv;
	} else if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
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
	for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
		if (strcmp(argv[1], c->name) == 0) {
			fetch_init();
			rc = cli_command_run(c, argc - 1, argv + 1);
			fetch_cleanup();
			hash_cleanup();
			return rc;
		}
	}
	fprintf(stderr, "twauth: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	hash_cleanup();
	return EXIT_USAGE;
}
