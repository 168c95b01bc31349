/*
 * The commands: the table main dispatches on, prints in its overview, and
 * 'twauth completion' offers and follows.  A command is a row here.
 */
#include "cli.h"

const struct cli_command cli_commands[] = {
	{ "serve", NULL, cmd_serve, "run the identity server (Twitch's id.twitch.tv API)" },
	{ "app", &app_cmd, NULL,
	    "register and manage apps: client ids, secrets, redirect URIs" },
	{ "user", &user_cmd, NULL, "create and manage users who sign in to apps" },
	{ "keys", &keys_cmd, NULL,
	    "list and rotate the keys that sign OpenID Connect id_tokens" },
	{ "db", &db_cmd, NULL, "back up and check the database" },
	{ "chaos", &chaos_cmd, NULL, "end tokens now, as Twitch would, to test how apps cope" },
	{ "token", NULL, cmd_token, "get a token in any flow, keep it, print it (client)" },
	{ "validate", &validate_cmd, NULL, "ask the issuer whether a token is valid (client)" },
	{ "refresh", &refresh_cmd, NULL, "refresh a stored token now (client)" },
	{ "revoke", &revoke_cmd, NULL, "revoke a token and forget it (client)" },
	{ "api", &api_cmd, NULL, "call the Helix API with a stored token (client)" },
	{ "exec", &exec_cmd, NULL, "run a command with TWITCH_TOKEN set (client)" },
	{ "configure", &configure_cmd, NULL,
	    "save the client id, secret and issuer (client)" },
	{ "completion", NULL, cmd_completion, "print the completion script for bash or zsh" },
	{ NULL, NULL, NULL, NULL }
};

int
cli_command_run(const struct cli_command *c, int argc, char **argv)
{
	return c->cmd != NULL ? cli_run(c->cmd, argc, argv) : c->run(argc, argv);
}
