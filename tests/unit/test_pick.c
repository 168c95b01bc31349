/*
 * Which stored token a command gets (pick.c), offline: the store holds
 * tokens of two accounts and an app token of one app, and one token of
 * another issuer; nothing is refreshed (FRESH_NONE), so no issuer is asked.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/client/pick.h"
#include "t.h"

#define ISSUER	"http://127.0.0.1:9"

static void
put(struct tokstore *ts, const char *issuer, const char *client_id, const char *login)
{
	struct tok_record r = {
		.issuer = (char *)issuer, .client_id = (char *)client_id, .login = (char *)login,
		.user_id = (char *)(login[0] ? "1" : ""), .access_token = (char *)login,
		.refresh_token = "", .scopes = "", .expires_at = 1,
	};

	tokstore_put(ts, &r);
}

static void
store(void)
{
	struct tokstore ts;
	char err[256];

	setenv("XDG_CONFIG_HOME", t_tmpdir(), 1);
	CHECK(tokstore_open(&ts, err, sizeof(err)) == 0);
	put(&ts, ISSUER, "app1", "alice");
	put(&ts, ISSUER, "app1", "bob");
	put(&ts, ISSUER, "app1", "");
	put(&ts, "https://other.test", "app2", "carol");
	CHECK(tokstore_save(&ts, err, sizeof(err)) == 0);
	tokstore_close(&ts);
}

/* pick_token's answer: the access token (the login, here), or the message. */
static const char *
picked(const char *client_id, const char *login, int app, enum pick_which which,
    enum pick_fresh fresh, enum cerr_kind *kind)
{
	static char out[CERR_MAX];
	struct pick p = { ISSUER, client_id, NULL, login, app, NULL, which, fresh };
	struct tok_record rec;
	struct cerr e;

	*kind = CERR_NONE;
	if (pick_token(&p, &rec, &e) == 0) {
		snprintf(out, sizeof(out), "%s%s", rec.login[0] ? "" : "app:", rec.client_id);
		if (rec.login[0])
			snprintf(out, sizeof(out), "%s", rec.access_token);
		tok_record_clear(&rec);
		return out;
	}
	*kind = e.kind;
	snprintf(out, sizeof(out), "%s", e.msg);
	return out;
}

static void
pick_finds_the_token_asked_for(void)
{
	enum cerr_kind k;

	store();
	CHECK_STR(picked("app1", "bob", 0, PICK_AUTO, FRESH_NONE, &k), "bob");
	CHECK_STR(picked("app1", NULL, 1, PICK_AUTO, FRESH_NONE, &k), "app:app1");
	CHECK_STR(picked("app1", NULL, 0, PICK_APP, FRESH_NONE, &k), "app:app1");
	/* The only app at the issuer, when none is named. */
	CHECK_STR(picked(NULL, "alice", 0, PICK_USER, FRESH_NONE, &k), "alice");
	unsetenv("XDG_CONFIG_HOME");
}

static void
pick_explains_what_it_cannot_choose(void)
{
	enum cerr_kind k;

	store();
	CHECK(strstr(picked("app1", NULL, 0, PICK_USER, FRESH_NONE, &k),
	    "several accounts are stored for this app (alice, bob)") != NULL);
	CHECK(k == CERR_ERROR);
	CHECK_STR(picked("app1", "dave", 0, PICK_AUTO, FRESH_NONE, &k), "no token of 'dave' "
	    "is stored for client app1 at " ISSUER);
	CHECK(k == CERR_REFUSED);
	CHECK_STR(picked("app9", NULL, 0, PICK_APP, FRESH_NONE, &k),
	    "no app token is stored for client app9 at " ISSUER);
	CHECK(k == CERR_REFUSED);
	/* A missing app token is made, which needs the secret. */
	CHECK(strstr(picked("app9", NULL, 0, PICK_AUTO, FRESH_AUTO, &k),
	    "an app token needs the client secret") != NULL);
	CHECK(k == CERR_ERROR);
	unsetenv("XDG_CONFIG_HOME");
	setenv("XDG_CONFIG_HOME", t_tmpdir(), 1);
	CHECK(strstr(picked(NULL, NULL, 0, PICK_AUTO, FRESH_NONE, &k),
	    "no tokens are stored for " ISSUER " yet") != NULL);
	unsetenv("XDG_CONFIG_HOME");
}

static void
pick_takes_the_app_token_where_the_call_does(void)
{
	struct tokstore ts;
	enum cerr_kind k;
	char err[256];

	store();
	CHECK_STR(picked("app1", NULL, 0, PICK_APP_FIRST, FRESH_NONE, &k), "app:app1");
	CHECK_STR(picked("app1", "bob", 0, PICK_APP_FIRST, FRESH_NONE, &k), "bob");
	/* Without an app token (and no secret to make one): the only user token. */
	CHECK(tokstore_open(&ts, err, sizeof(err)) == 0);
	tokstore_put(&ts, &(struct tok_record){ .issuer = ISSUER, .client_id = "app3",
	    .login = "dora", .user_id = "4", .access_token = "dora", .refresh_token = "",
	    .scopes = "", .expires_at = time(NULL) + 3600, .validated_at = time(NULL) });
	CHECK(tokstore_save(&ts, err, sizeof(err)) == 0);
	tokstore_close(&ts);
	CHECK_STR(picked("app3", NULL, 0, PICK_APP_FIRST, FRESH_AUTO, &k), "dora");
	/* Where the call wants a user, the only user token comes before the app's. */
	CHECK(strstr(picked("app1", NULL, 0, PICK_AUTO, FRESH_NONE, &k),
	    "several accounts are stored for this app (alice, bob); pick one with --login "
	    "NAME, or --app for the app token") != NULL);
	unsetenv("XDG_CONFIG_HOME");
}

/* The hint of a dead token of login, asked for with secret and the flags given. */
static const char *
hint_of_dead(const char *client_id, const char *secret, const char *refresh,
    const struct profile_flags *given)
{
	static char out[CERR_MAX];
	struct tok_record r = {
		.issuer = ISSUER, .client_id = "app4", .login = "erin", .user_id = "5",
		.access_token = "a", .refresh_token = (char *)refresh,
		.scopes = "chat:read user:read:email", .expires_at = 1, .dead_at = 1,
	};
	struct pick p = { ISSUER, client_id, secret, "erin", 0, given, PICK_USER, FRESH_AUTO };
	struct tokstore ts;
	struct tok_record rec;
	struct cerr e;
	char err[256];

	setenv("XDG_CONFIG_HOME", t_tmpdir(), 1);
	CHECK(tokstore_open(&ts, err, sizeof(err)) == 0);
	tokstore_put(&ts, &r);
	CHECK(tokstore_save(&ts, err, sizeof(err)) == 0);
	tokstore_close(&ts);
	CHECK(pick_token(&p, &rec, &e) == -1);
	CHECK(e.kind == CERR_REFUSED && strstr(e.msg, "no longer works") != NULL);
	snprintf(out, sizeof(out), "%s", e.hint);
	unsetenv("XDG_CONFIG_HOME");
	return out;
}

static void
pick_hints_keep_what_the_token_had(void)
{
	struct profile_flags flags = { .name = "bots", .issuer = ISSUER "/" };
	struct profile_flags none = { 0 };

	/* Its scopes, its flow (public apps: the device flow; no refresh: implicit). */
	CHECK_STR(hint_of_dead("app4", "s", "r", &none),
	    "  Get a new one: twauth token --user --scopes 'chat:read user:read:email'\n");
	CHECK_STR(hint_of_dead("app4", NULL, "r", &none),
	    "  Get a new one: twauth token --device --scopes 'chat:read user:read:email'\n");
	CHECK_STR(hint_of_dead("app4", NULL, "", &none),
	    "  Get a new one: twauth token --implicit --scopes 'chat:read user:read:email'\n");
	/* The flags that found it, and a client id that was guessed. */
	CHECK_STR(hint_of_dead(NULL, "s", "r", &flags),
	    "  Get a new one: twauth token --user --scopes 'chat:read user:read:email' "
	    "--profile bots --issuer " ISSUER " --client-id app4\n");
}

void
suite_pick(void)
{
	RUN(pick_finds_the_token_asked_for);
	RUN(pick_explains_what_it_cannot_choose);
	RUN(pick_takes_the_app_token_where_the_call_does);
	RUN(pick_hints_keep_what_the_token_had);
}
