/*
 * Which stored token a command gets (pick.c), offline: the store holds
 * tokens of two accounts and an app token of one app, and one token of
 * another issuer; nothing is refreshed (FRESH_NONE), so no issuer is asked.
 */
#include <stdlib.h>
#include <string.h>

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
	struct pick p = { ISSUER, client_id, NULL, login, app, which, fresh };
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
	    "is stored for client app1 at " ISSUER "; get one with 'twauth token --user'");
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

void
suite_pick(void)
{
	RUN(pick_finds_the_token_asked_for);
	RUN(pick_explains_what_it_cannot_choose);
}
