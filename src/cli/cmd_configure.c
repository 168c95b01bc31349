/*
 * twauth configure: saves a profile (issuer, client id, client secret,
 * redirect URI, API base) in config.json (0600), so later commands need
 * no flags.  The secret is read from stdin, never from the command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../client/cfgdir.h"
#include "../client/fetch.h"
#include "../common/xmalloc.h"
#include "cli.h"
#include "client.h"

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

#define CONF(how, f)	OPT_AS_##how(struct configure_opts, f)

static const struct opt configure_options[] = {
	{ "profile", CONF(STR, name), .arg = "NAME", .unset = "\"" PROFILE_DEFAULT "\"",
	    .help = "which profile" },
	{ "issuer", CONF(STR, issuer), .arg = "URL",
	    .help = "e.g. http://localhost:8080 for a local twauth serve" },
	{ "client-id", CONF(STR, client_id), .arg = "ID", .help = "the app's client id" },
	{ "client-secret-stdin", CONF(ON, secret_stdin),
	    .help = "read the client secret from the first line of stdin" },
	{ "redirect-uri", CONF(STR, redirect_uri), .arg = "URI",
	    .unset = PROFILE_DEFAULT_REDIRECT, .help = "where 'twauth token --user' listens" },
	{ "api-base", CONF(STR, api_base), .arg = "URL",
	    .help = "where 'twauth api' sends Helix calls" },
	{ "show", CONF(ON, show), .help = "print the profile (the secret masked)" },
	{ "help", CONF(ON, help), .short_name = 'h', .flags = OPT_HELP, .help = "this help" },
	{ .name = NULL }
};

static const struct cli_cmd configure_cmd = {
	.name = "configure",
	.rows = configure_options,
	.how = OPT_TAKE_ARGS,
	.head = "Usage: twauth configure [--profile NAME] [--issuer URL] [--client-id ID]\n"
	    "                        [--client-secret-stdin] [--redirect-uri URI]\n"
	    "                        [--api-base URL] [--show]\n"
	    "\n"
	    "Saves what the client commands need in a profile, so that 'twauth token'\n"
	    "works without flags.  Flags and $TWITCH_CLIENT_ID / $TWITCH_CLIENT_SECRET /\n"
	    "$TWAUTH_ISSUER still win over the profile.  Without flags on a terminal,\n"
	    "it asks for each value.\n"
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

/* One line from stdin without its newline (malloc'd), or NULL at EOF. */
static char *
read_line(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);

	if (n <= 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static void
ask(json_t *profile, const char *field, const char *prompt)
{
	const char *now = json_string_value(json_object_get(profile, field));
	char *line;

	fprintf(stderr, "%s [%s]: ", prompt, now ? now : "");
	fflush(stderr);
	if ((line = read_line()) != NULL && line[0] != '\0')
		json_object_set_new(profile, field, json_string(line));
	free(line);
}

static int
set_url(json_t *profile, const char *field, const char *value, const char *what)
{
	if (fetch_url_allowed(value) == -1) {
		cli_error("%s '%s' must be https:// (or http:// to localhost)", what, value);
		return -1;
	}
	json_object_set_new(profile, field, json_string(value));
	return 0;
}

int
cmd_configure(int argc, char **argv)
{
	struct configure_opts o = { 0 };
	struct optsource src;
	struct cli_args a;
	const char *name;
	json_t *cfg = NULL, *profiles, *profile;
	char err[512], *secret;
	int any, lock = -1, ret;

	if ((ret = cli_parse(&configure_cmd, argc, argv, &o, &src, &a)) != -1)
		goto out;
	ret = CLIENT_EXIT_ERROR;
	name = o.name ? o.name : PROFILE_DEFAULT;
	any = o.issuer || o.client_id || o.secret_stdin || o.redirect_uri || o.api_base;
	if (a.n > 0 || name[0] == '\0') {
		cli_error(a.n > 0 ? "unexpected argument" : "empty profile name");
		ret = cli_usage_hint("configure");
		goto out;
	}
	if ((lock = cfgdir_lock(err, sizeof(err))) == -1 ||
	    cfgdir_read(PROFILE_FILE, &cfg, err, sizeof(err)) == -1) {
		cli_error("%s", err);
		goto out;
	}
	if ((profiles = json_object_get(cfg, "profiles")) == NULL)
		json_object_set_new(cfg, "profiles", profiles = json_object());
	if ((profile = json_object_get(profiles, name)) == NULL)
		json_object_set_new(profiles, name, profile = json_object());
	if (o.show) {
		json_t *copy = json_deep_copy(profile);

		if (json_object_get(copy, "client_secret") != NULL)
			json_object_set_new(copy, "client_secret", json_string("(set)"));
		cli_print_json(copy);
		ret = EXIT_OK;
		goto out;
	}
	if (!any && isatty(0)) {
		ask(profile, "issuer", "Issuer (https://id.twitch.tv, or http://localhost:8080)");
		ask(profile, "client_id", "Client id");
		fprintf(stderr, "Client secret (blank keeps the current one; empty for public "
		    "apps): ");
		o.secret_stdin = 1;
	} else if (!any) {
		cli_error("nothing to set; see 'twauth configure --help'");
		goto out;
	}
	if ((o.issuer && set_url(profile, "issuer", o.issuer, "issuer") == -1) ||
	    (o.api_base && set_url(profile, "api_base", o.api_base, "API base") == -1))
		goto out;
	if (o.client_id)
		json_object_set_new(profile, "client_id", json_string(o.client_id));
	if (o.redirect_uri)
		json_object_set_new(profile, "redirect_uri", json_string(o.redirect_uri));
	if (o.secret_stdin && (secret = read_line()) != NULL) {
		if (secret[0] != '\0')
			json_object_set_new(profile, "client_secret", json_string(secret));
		xfree_secret_str(secret);
	}
	if (cfgdir_write(PROFILE_FILE, cfg, err, sizeof(err)) == -1) {
		cli_error("%s", err);
		goto out;
	}
	fprintf(stderr, "twauth: saved profile '%s'\n", name);
	ret = EXIT_OK;
out:
	json_decref(cfg);
	cfgdir_unlock(lock);
	opt_free(configure_options, &o, &src);
	return ret;
}
