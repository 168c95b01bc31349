/*
 * twauth configure: saves a profile (issuer, client id, client secret,
 * redirect URI, API base; src/client/profile.h), so later commands need
 * no flags.  The secret is read from stdin, never from the command line;
 * typed on a terminal, it is not echoed (prompt.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/xmalloc.h"
#include "cli.h"
#include "client.h"
#include "prompt.h"

struct configure_opts {
	const char	*name;		/* NULL: PROFILE_DEFAULT */
	const char	*issuer;
	const char	*client_id;
	const char	*redirect_uri;
	const char	*api_base;
	int		 secret_stdin;
	int		 show;
	int		 help;
};

static int configure_run(const struct cli_cmd *c, void *opts, const struct cli_args *a);

#define CONF(how, f)	OPT_AS_##how(struct configure_opts, f)

static const struct opt configure_options[] = {
	{ "profile", CONF(STR, name), .arg = "NAME", .unset = "\"" PROFILE_DEFAULT "\"",
	    .help = "which profile" },
	{ "issuer", CONF(STR, issuer), .arg = "URL",
	    .help = "e.g. http://localhost:8080 for a local twauth serve" },
	{ "client-id", CONF(STR, client_id), .arg = "ID", .help = "the app's client id" },
	{ "client-secret-stdin", CONF(ON, secret_stdin),
	    .help = "read the client secret from the first line of stdin (asked for, not "
	    "echoed, on a terminal); secrets are never options' values" },
	{ "redirect-uri", CONF(STR, redirect_uri), .arg = "URI",
	    .unset = PROFILE_DEFAULT_REDIRECT, .help = "where 'twauth token --user' listens" },
	{ "api-base", CONF(STR, api_base), .arg = "URL",
	    .help = "where 'twauth api' sends Helix calls" },
	{ "show", CONF(ON, show), .help = "print the profile (the secret masked)" },
	CLI_ROW_HELP(struct configure_opts, help),
	{ .name = NULL }
};

const struct cli_cmd configure_cmd = {
	.name = "configure",
	.rows = configure_options,
	.size = sizeof(struct configure_opts),
	.run = configure_run,
	.head = "Usage: twauth configure [--profile NAME] [--issuer URL] [--client-id ID]\n"
	    "                        [--client-secret-stdin] [--redirect-uri URI]\n"
	    "                        [--api-base URL] [--show]\n"
	    "\n"
	    "Saves what the client commands need in a profile, so that 'twauth token'\n"
	    "works without flags.  Flags and $TWITCH_CLIENT_ID / $TWITCH_CLIENT_SECRET /\n"
	    "$TWAUTH_ISSUER still win over the profile.  Without flags on a terminal,\n"
	    "it asks for the issuer, the client ID and the client secret, one at a\n"
	    "time (Enter keeps the value in brackets; the secret is not echoed).\n"
	    "\n"
	    "Options:\n",
	.tail = "\n"
	    "The file is $XDG_CONFIG_HOME/twauth/config.json (else ~/.config/twauth),\n"
	    "mode 0600.\n"
	    "\n"
	    "Example:\n"
	    "  printf '%s\\n' \"$SECRET\" | twauth configure --client-id abc... \\\n"
	    "      --client-secret-stdin --issuer http://localhost:8080\n",
};

/*
 * Asks for one value, showing in brackets what Enter keeps: the profile's
 * field now, else what no value means (dflt, or nothing).  The answer
 * (malloc'd) in *out, NULL for none; 0, or -1 with the reason printed.
 */
static int
ask(const json_t *now, const char *field, const char *label, const char *dflt, char **out)
{
	const char *v = json_string_value(json_object_get(now, field));
	char prompt[512];

	if (v == NULL)
		v = dflt;
	snprintf(prompt, sizeof(prompt), "%s%s%s%s: ", label, v ? " [" : "", v ? v : "",
	    v ? "]" : "");
	if (prompt_line(prompt, 0, out) == -1)
		return -1;
	if (*out != NULL && (*out)[0] == '\0') {
		free(*out);
		*out = NULL;
	}
	return 0;
}

static int
configure_run(const struct cli_cmd *c, void *opts, const struct cli_args *a)
{
	struct configure_opts *o = opts;
	struct profile_edit e;
	struct cerr err;
	char *issuer = NULL, *client_id = NULL, *secret = NULL;
	json_t *now = NULL;
	int any, ret = CLIENT_EXIT_ERROR;

	(void)c;
	any = o->issuer || o->client_id || o->secret_stdin || o->redirect_uri || o->api_base;
	if (a->n > 0)
		return cli_unexpected("configure", NULL, a->v[0]);
	if (o->name != NULL && o->name[0] == '\0') {
		cli_error("empty profile name");
		return cli_usage_hint("configure");
	}
	if ((now = profile_show(o->name, &err)) == NULL) {
		ret = client_report(&err);
		goto out;
	}
	if (o->show) {
		cli_print_json(now);
		now = NULL;
		ret = EXIT_OK;
		goto out;
	}
	e = (struct profile_edit){ o->name, o->issuer, o->api_base, o->client_id, NULL,
	    o->redirect_uri };
	/* One question a prompt; an empty answer keeps what is saved (as "" does). */
	if (!any && isatty(0)) {
		if (ask(now, "issuer", "Issuer", OAUTH_DEFAULT_ISSUER, &issuer) == -1 ||
		    ask(now, "client_id", "Client ID", NULL, &client_id) == -1)
			goto out;
		e.issuer = issuer;
		e.client_id = client_id;
		o->secret_stdin = 1;
	} else if (!any) {
		cli_error("nothing to set; see 'twauth configure --help'");
		goto out;
	}
	if (o->secret_stdin) {
		if (prompt_line(!isatty(0) ? NULL : json_object_get(now, "client_secret") ?
		    "Client secret (empty keeps the saved one): " :
		    "Client secret (leave empty for a public app): ", 1, &secret) == -1)
			goto out;
		e.client_secret = secret;
	}
	if (profile_save(&e, &err) == -1) {
		ret = client_report(&err);
		goto out;
	}
	fprintf(stderr, "twauth: saved profile '%s'\n", o->name ? o->name : PROFILE_DEFAULT);
	ret = EXIT_OK;
out:
	free(issuer);
	free(client_id);
	xfree_secret_str(secret);
	json_decref(now);
	return ret;
}
