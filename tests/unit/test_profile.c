/*
 * Where a client command's issuer, API, app and secret come from
 * (profile.c): the flag, else the environment, else the saved profile,
 * else the default; issuers kept in one spelling.  Saving a profile
 * changes only what is given, in that profile, and refuses URLs the
 * client may not call; showing one hides the secret.
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

/* The value of field in the saved profile name, as profile_show says it. */
static char *
shown(const char *name, const char *field)
{
	static char out[256];
	struct cerr e;
	json_t *j = profile_show(name, &e);
	const char *v = json_string_value(json_object_get(j, field));

	CHECK(j != NULL);
	snprintf(out, sizeof(out), "%s", v ? v : "(none)");
	json_decref(j);
	return out;
}

static void
profile_save_changes_what_is_given(void)
{
	struct profile_edit ed = { .issuer = "http://localhost:8080", .client_id = "c1",
	    .client_secret = "s3cret" };
	struct profile_flags fl = { 0 };
	struct profile p;
	struct stat st;
	struct cerr e;
	char path[512];
	json_t *j;

	with_config(NULL);
	/* Nothing saved yet: an empty profile, and showing it writes nothing. */
	CHECK((j = profile_show(NULL, &e)) != NULL && json_object_size(j) == 0);
	json_decref(j);
	snprintf(path, sizeof(path), "%s/twauth/%s", getenv("XDG_CONFIG_HOME"), PROFILE_FILE);
	CHECK(stat(path, &st) == -1);
	CHECK(profile_save(&ed, &e) == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK_STR(shown(NULL, "issuer"), "http://localhost:8080");
	CHECK_STR(shown("default", "client_id"), "c1");
	CHECK_STR(shown(NULL, "client_secret"), "(set)");
	CHECK(profile_resolve(&fl, &p, &e) == 0);
	CHECK_STR(p.client_secret, "s3cret");
	profile_free(&p);

	/* Only what is given changes; an empty secret keeps the one saved. */
	ed = (struct profile_edit){ .redirect_uri = "http://localhost:4000", .client_secret = "" };
	CHECK(profile_save(&ed, &e) == 0);
	CHECK_STR(shown(NULL, "client_id"), "c1");
	CHECK_STR(shown(NULL, "redirect_uri"), "http://localhost:4000");
	CHECK(profile_resolve(&fl, &p, &e) == 0);
	CHECK_STR(p.client_secret, "s3cret");
	profile_free(&p);

	/* Another profile is another object; the first keeps its values. */
	ed = (struct profile_edit){ .name = "other", .api_base = "https://api.example.test" };
	CHECK(profile_save(&ed, &e) == 0);
	CHECK_STR(shown("other", "api_base"), "https://api.example.test");
	CHECK_STR(shown("other", "client_id"), "(none)");
	CHECK_STR(shown(NULL, "client_id"), "c1");
	unsetenv("XDG_CONFIG_HOME");
}

static void
profile_save_refuses_urls_the_client_may_not_call(void)
{
	static const struct profile_edit bad[] = {
		{ .issuer = "http://example.test", .client_id = "c2" },
		{ .api_base = "ftp://example.test", .client_id = "c2" },
	};
	static const char *const says[] = {
		"issuer 'http://example.test' must be https:// (or http:// to localhost)",
		"API base 'ftp://example.test' must be https:// (or http:// to localhost)",
	};
	struct profile_edit ok = { .client_id = "c1" };
	struct cerr e;

	with_config(NULL);
	CHECK(profile_save(&ok, &e) == 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(profile_save(&bad[i], &e) == -1);
		CHECK(e.kind == CERR_ERROR);
		CHECK_STR(e.msg, says[i]);
		/* Nothing of it was saved, the client id neither. */
		CHECK_STR(shown(NULL, "client_id"), "c1");
	}
	/* A file that is not ours is said, and left as it is. */
	with_config("[1, 2]");
	CHECK(profile_show(NULL, &e) == NULL);
	CHECK(e.kind == CERR_ERROR && strstr(e.msg, "is not a JSON object") != NULL);
	CHECK(profile_save(&ok, &e) == -1);
	CHECK(strstr(e.msg, "is not a JSON object") != NULL);
	unsetenv("XDG_CONFIG_HOME");
}

void
suite_profile(void)
{
	RUN(profile_defaults_are_twitchs);
	RUN(profile_flag_beats_environment_beats_file);
	RUN(profile_save_changes_what_is_given);
	RUN(profile_save_refuses_urls_the_client_may_not_call);
}
