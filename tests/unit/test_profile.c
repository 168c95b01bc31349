/*
 * Where a client command's issuer, API, app and secret come from
 * (profile.c): the flag, else the environment, else the saved profile,
 * else the default; issuers kept in one spelling.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../src/client/profile.h"
#include "t.h"

static const char *const vars[] = {
	"TWAUTH_ISSUER", "TWAUTH_API_BASE", "TWITCH_CLIENT_ID", "TWITCH_CLIENT_SECRET",
};

/* A fresh client directory holding config.json with text; no variables set. */
static void
with_config(const char *text)
{
	char path[512];
	FILE *f;

	setenv("XDG_CONFIG_HOME", t_tmpdir(), 1);
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	if (text == NULL)
		return;
	snprintf(path, sizeof(path), "%s/twauth", getenv("XDG_CONFIG_HOME"));
	CHECK(mkdir(path, 0700) == 0);
	snprintf(path, sizeof(path), "%s/twauth/%s", getenv("XDG_CONFIG_HOME"), PROFILE_FILE);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
	CHECK(chmod(path, 0600) == 0);
}

static void
profile_defaults_are_twitchs(void)
{
	struct profile_flags fl = { 0 };
	struct profile p;
	struct cerr e;

	with_config(NULL);
	CHECK(profile_resolve(&fl, &p, &e) == 0);
	CHECK_STR(p.issuer, "https://id.twitch.tv");
	CHECK_STR(p.api_base, "https://api.twitch.tv");
	CHECK_STR(p.redirect_uri, PROFILE_DEFAULT_REDIRECT);
	CHECK(p.client_id == NULL && p.client_secret == NULL);
	profile_free(&p);
	/* A pasted OpenID issuer is the same issuer; its API is its own. */
	fl.issuer = "http://localhost:8080/oauth2/";
	CHECK(profile_resolve(&fl, &p, &e) == 0);
	CHECK_STR(p.issuer, "http://localhost:8080");
	CHECK_STR(p.api_base, "http://localhost:8080");
	profile_free(&p);
	fl.issuer = "http://example.test";
	CHECK(profile_resolve(&fl, &p, &e) == -1);
	CHECK(e.kind == CERR_ERROR && strstr(e.msg, "must be an https:// URL") != NULL);
	profile_free(&p);
	unsetenv("XDG_CONFIG_HOME");
}

static void
profile_flag_beats_environment_beats_file(void)
{
	struct profile_flags fl = { 0 };
	struct profile p;
	struct cerr e;

	with_config("{\"profiles\":{\"default\":{\"client_id\":\"from-file\","
	    "\"client_secret\":\"file-secret\",\"redirect_uri\":\"http://localhost:4000/cb\"},"
	    "\"other\":{\"issuer\":\"http://127.0.0.1:9\",\"client_id\":\"o\"}}}");
	CHECK(profile_resolve(&fl, &p, &e) == 0);
	CHECK_STR(p.client_id, "from-file");
	CHECK_STR(p.client_secret, "file-secret");
	CHECK_STR(p.redirect_uri, "http://localhost:4000/cb");
	profile_free(&p);
	setenv("TWITCH_CLIENT_ID", "from-env", 1);
	CHECK(profile_resolve(&fl, &p, &e) == 0);
	CHECK_STR(p.client_id, "from-env");
	profile_free(&p);
	fl.client_id = "from-flag";
	CHECK(profile_resolve(&fl, &p, &e) == 0);
	CHECK_STR(p.client_id, "from-flag");
	profile_free(&p);
	fl = (struct profile_flags){ .name = "other" };
	unsetenv("TWITCH_CLIENT_ID");
	CHECK(profile_resolve(&fl, &p, &e) == 0);
	CHECK_STR(p.issuer, "http://127.0.0.1:9");
	CHECK_STR(p.client_id, "o");
	profile_free(&p);
	fl.name = "nope";
	CHECK(profile_resolve(&fl, &p, &e) == -1);
	CHECK_STR(e.msg, "no profile 'nope'; make it with 'twauth configure --profile nope'");
	profile_free(&p);
	unsetenv("XDG_CONFIG_HOME");
}

void
suite_profile(void)
{
	RUN(profile_defaults_are_twitchs);
	RUN(profile_flag_beats_environment_beats_file);
}
