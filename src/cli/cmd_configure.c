/*
 * twauth configure: saves a profile (issuer, client id, client secret,
 * redirect URI, API base) in config.json (0600), so later commands need
 * no flags.  The secret is read from stdin, never from the command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../client/cfgdir.h"
#include "../client/fetch.h"
#include "../common/xmalloc.h"
#include "cli.h"
#include "client.h"

static void
usage(FILE *f)
{
	fputs("Usage: twauth configure [--profile NAME] [--issuer URL] [--client-id ID]\n"
	    "                        [--client-secret-stdin] [--redirect-uri URI]\n"
	    "                        [--api-base URL] [--show]\n"
	    "\n"
	    "Saves what the client commands need in a profile, so that 'twauth token'\n"
	    "works without flags.  Flags and $TWITCH_CLIENT_ID / $TWITCH_CLIENT_SECRET /\n"
	    "$TWAUTH_ISSUER still win over the profile.  Without flags on a terminal,\n"
	    "it asks for each value.\n"
	    "\n"
	    "Options:\n"
	    "  --profile NAME          which profile (default \"default\")\n"
	    "  --issuer URL            e.g. http://localhost:8080 for a local twauth serve\n"
	    "  --client-id ID          the app's client id\n"
	    "  --client-secret-stdin   read the client secret from the first line of stdin\n"
	    "  --redirect-uri URI      where 'twauth token --user' listens (default\n"
	    "                          " PROFILE_DEFAULT_REDIRECT ")\n"
	    "  --api-base URL          where 'twauth api' sends Helix calls\n"
	    "  --show                  print the profile (the secret masked)\n"
	    "  -h, --help              this help\n"
	    "\n"
	    "The file is $XDG_CONFIG_HOME/twauth/config.json (else ~/.config/twauth),\n"
	    "mode 0600.\n"
	    "\n"
	    "Example:\n"
	    "  printf '%s\\n' \"$SECRET\" | twauth configure --client-id abc... \\\n"
	    "      --client-secret-stdin --issuer http://localhost:8080\n", f);
}

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
	enum { O_PROFILE = 256, O_ISSUER, O_CLIENT_ID, O_SECRET_STDIN, O_REDIRECT,
	    O_API_BASE, O_SHOW };
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, O_PROFILE },
		{ "issuer", required_argument, NULL, O_ISSUER },
		{ "client-id", required_argument, NULL, O_CLIENT_ID },
		{ "client-secret-stdin", no_argument, NULL, O_SECRET_STDIN },
		{ "redirect-uri", required_argument, NULL, O_REDIRECT },
		{ "api-base", required_argument, NULL, O_API_BASE },
		{ "show", no_argument, NULL, O_SHOW },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = "default", *issuer = NULL, *client_id = NULL, *redirect = NULL,
	    *api_base = NULL;
	json_t *cfg = NULL, *profiles, *profile;
	char err[512], *secret;
	int c, secret_stdin = 0, show = 0, any = 0, lock, ret = CLIENT_EXIT_ERROR;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_PROFILE: name = optarg; break;
		case O_ISSUER: issuer = optarg; any = 1; break;
		case O_CLIENT_ID: client_id = optarg; any = 1; break;
		case O_SECRET_STDIN: secret_stdin = 1; any = 1; break;
		case O_REDIRECT: redirect = optarg; any = 1; break;
		case O_API_BASE: api_base = optarg; any = 1; break;
		case O_SHOW: show = 1; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return cli_usage_hint("configure");
		}
	}
	if (optind < argc || name[0] == '\0') {
		cli_error(optind < argc ? "unexpected argument" : "empty profile name");
		return cli_usage_hint("configure");
	}
	if ((lock = cfgdir_lock(err, sizeof(err))) == -1 ||
	    cfgdir_read(PROFILE_FILE, &cfg, err, sizeof(err)) == -1) {
		cli_error("%s", err);
		cfgdir_unlock(lock);
		return CLIENT_EXIT_ERROR;
	}
	if ((profiles = json_object_get(cfg, "profiles")) == NULL)
		json_object_set_new(cfg, "profiles", profiles = json_object());
	if ((profile = json_object_get(profiles, name)) == NULL)
		json_object_set_new(profiles, name, profile = json_object());
	if (show) {
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
		secret_stdin = 1;
	} else if (!any) {
		cli_error("nothing to set; see 'twauth configure --help'");
		goto out;
	}
	if ((issuer && set_url(profile, "issuer", issuer, "issuer") == -1) ||
	    (api_base && set_url(profile, "api_base", api_base, "API base") == -1))
		goto out;
	if (client_id)
		json_object_set_new(profile, "client_id", json_string(client_id));
	if (redirect)
		json_object_set_new(profile, "redirect_uri", json_string(redirect));
	if (secret_stdin && (secret = read_line()) != NULL) {
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
	return ret;
}
