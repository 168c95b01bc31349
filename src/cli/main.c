/*
 * twauth: one binary, one subcommand per file (cmd_*.c).  main only picks
 * the subcommand and prints the overview.
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

/* Each command is read and run by cli_run, or by a function of its own. */
static const struct {
	const char		*name;
	const struct cli_cmd	*cmd;
	int			(*run)(int, char **);
	const char		*summary;
} commands[] = {
	{ "serve", NULL, cmd_serve, "run the identity server (Twitch's id.twitch.tv API)" },
	{ "app", &app_cmd, NULL,
	    "register and manage apps: client ids, secrets, redirect URIs" },
	{ "user", &user_cmd, NULL, "create and manage users who sign in to apps" },
	{ "keys", &keys_cmd, NULL,
	    "list and rotate the keys that sign OpenID Connect id_tokens" },
	{ "db", &db_cmd, NULL, "back up and check the database" },
	{ "chaos", &chaos_cmd, NULL,
	    "end tokens now, as Twitch would, to test how apps cope" },
	{ "token", NULL, cmd_token, "get a token in any flow, keep it, print it (client)" },
	{ "validate", &validate_cmd, NULL, "ask the issuer whether a token is valid (client)" },
	{ "refresh", &refresh_cmd, NULL, "refresh a stored token now (client)" },
	{ "revoke", &revoke_cmd, NULL, "revoke a token and forget it (client)" },
	{ "api", &api_cmd, NULL, "call the Helix API with a stored token (client)" },
	{ "exec", &exec_cmd, NULL, "run a command with TWITCH_TOKEN set (client)" },
	{ "configure", &configure_cmd, NULL,
	    "save the client id, secret and issuer (client)" },
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
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
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
	    "Run 'twauth <command> --help' for a command's options.\n", f);
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
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			fetch_init();
			rc = commands[i].cmd ? cli_run(commands[i].cmd, argc - 1, argv + 1) :
			    commands[i].run(argc - 1, argv + 1);
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
