/*
 * Unit tests of what issue 3 added below HTTP: the scope catalog, scope
 * lists, cookies, HTML escaping, the throttle, and the store's single-use
 * transitions (code redemption, refresh rotation and reuse).
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/common/cookie.h"
#include "../../src/common/limits.h"
#include "../../src/common/str.h"
#include "../../src/http/html.h"
#include "../../src/idp/idp.h"
#include "../../src/common/scopes.h"
#include "../../src/idp/throttle.h"
#include "../../src/store/store.h"
#include "t.h"

static void
scope_catalog_is_sorted_and_complete(void)
{
	/* Twitch defines 83 scopes, openid among them. */
	CHECK(scope_catalog_len() == 83);
	for (size_t i = 1; i < scope_catalog_len(); i++)
		CHECK(strcmp(scope_catalog_at(i - 1)->name, scope_catalog_at(i)->name) < 0);
	for (size_t i = 0; i < scope_catalog_len(); i++) {
		const struct scope_info *si = scope_catalog_at(i);

		CHECK(scope_find(si->name, strlen(si->name)) == si);
		CHECK(strlen(si->description) > 5);
	}
	CHECK(scope_find("chat:rea", 8) == NULL);
	CHECK(scope_find("chat:readx", 10) == NULL);
	CHECK(scope_find("chat:read", 9) != NULL);
}

static void
scopes_canonical_sorts_dedups_and_names_unknowns(void)
{
	char bad[64], *c = NULL, many[(TW_MAX_SCOPES + 1) * 10 + 1];

	CHECK(scopes_canonical("  chat:read chat:edit chat:read ", &c, bad, sizeof(bad)) == 0);
	CHECK_STR(c, "chat:edit chat:read");
	free(c);
	CHECK(scopes_canonical(NULL, &c, bad, sizeof(bad)) == 0);
	CHECK_STR(c, "");
	free(c);
	CHECK(scopes_canonical("chat:read bogus x:y", &c, bad, sizeof(bad)) == -1);
	CHECK(c == NULL);
	CHECK_STR(bad, "'bogus', 'x:y'");
	/* Long lists of bad names are cut, not overflowed. */
	CHECK(scopes_canonical("aaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbb cccccccccccccccccccc "
	    "dddddddddddddddd", &c, bad, sizeof(bad)) == -1);
	CHECK(strlen(bad) < sizeof(bad));
	CHECK(strstr(bad, "...") != NULL);
	for (int i = 0; i <= TW_MAX_SCOPES; i++)
		memcpy(many + i * 10, "chat:read ", 10);
	many[(TW_MAX_SCOPES + 1) * 10] = '\0';
	CHECK(scopes_canonical(many, &c, bad, sizeof(bad)) == -1);
	CHECK(strstr(bad, "more than") != NULL);
}

static void
words_within_checks_every_word(void)
{
	CHECK(words_within("", "a b"));
	CHECK(words_within("a", "a b"));
	CHECK(words_within("b  a", "a b"));
	CHECK(!words_within("c", "a b"));
	CHECK(!words_within("a", "ab"));
	CHECK(!words_within("ab", "a b"));
	CHECK(!words_within("a", ""));
}

static void
cookie_get_finds_exact_names(void)
{
	struct str h = str_cstr("a=1; twauth_session=abc ;twauth_csrf=x=y; empty=");
	struct str v;

	v = cookie_get(h, "twauth_session");
	CHECK(v.p != NULL && str_eq_cstr(v, "abc"));
	v = cookie_get(h, "twauth_csrf");
	CHECK(v.p != NULL && str_eq_cstr(v, "x=y"));
	v = cookie_get(h, "empty");
	CHECK(v.p != NULL && v.len == 0);
	CHECK(cookie_get(h, "twauth").p == NULL);
	CHECK(cookie_get(h, "session").p == NULL);
	CHECK(cookie_get(str_cstr(""), "a").p == NULL);
	CHECK(cookie_get(str_cstr(";;; ;"), "a").p == NULL);
	/* The first of two wins. */
	v = cookie_get(str_cstr("a=1; a=2"), "a");
	CHECK(v.p != NULL && str_eq_cstr(v, "1"));
}

static void
html_text_escapes_everything_that_matters(void)
{
	struct html h;
	size_t len;
	char *out;

	buf_init(&h.b, 4096);
	html_text(&h, "<script>alert('x')</script> & \"q\"");
	out = h.b.data;
	CHECK_STR(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
	buf_free(&h.b);
	html_begin(&h, "A <b>");
	out = html_end(&h, &len);
	CHECK(strstr(out, "<title>A &lt;b&gt; - twauth</title>") != NULL);
	CHECK(strlen(out) == len);
	free(out);
}

static void
throttle_delays_after_free_failures_and_forgets(void)
{
	struct throttle *t = throttle_new(64, 3, 300);
	int64_t now = 1000 * 1000;	/* ms */

	for (int i = 0; i < 3; i++) {
		CHECK(throttle_wait(t, "login:eve", now) == 0);
		throttle_fail(t, "login:eve", now);
	}
	CHECK(throttle_wait(t, "login:eve", now) == 1);
	/* A second is a whole second, whatever second of the clock it began in. */
	CHECK(throttle_wait(t, "login:eve", now + 999) == 1);
	CHECK(throttle_wait(t, "login:eve", now + 1000) == 0);
	throttle_fail(t, "login:eve", now + 1000);
	CHECK(throttle_wait(t, "login:eve", now + 1000) == 2);
	CHECK(throttle_wait(t, "login:eve", now + 2001) == 1);	/* rounded up */
	for (int i = 0; i < 30; i++)
		throttle_fail(t, "login:eve", now + 2000);
	CHECK(throttle_wait(t, "login:eve", now + 2000) == 300);	/* capped */
	CHECK(throttle_wait(t, "login:other", now + 2000) == 0);
	/* An hour: forgotten. */
	CHECK(throttle_wait(t, "login:eve", now + 2000 + 3600 * 1000) == 0);
	throttle_fail(t, "login:eve", now + 5000 * 1000);
	CHECK(throttle_wait(t, "login:eve", now + 5000 * 1000) == 0);	/* counting from scratch */
	throttle_clear(t, "login:eve");
	CHECK(throttle_wait(t, "login:eve", now + 5000 * 1000) == 0);
	/*
	 * Bounded memory: a key throttled for minutes is forgotten once
	 * thousands of newer keys fail, where a growing table would keep it.
	 */
	for (int i = 0; i < 10; i++)
		throttle_fail(t, "login:old", now);
	CHECK(throttle_wait(t, "login:old", now + 1000) > 100);
	for (int i = 0; i < 5000; i++) {
		char key[32];

		snprintf(key, sizeof(key), "addr:%d", i);
		throttle_fail(t, key, now + 1000);
	}
	CHECK(throttle_wait(t, "login:old", now + 2000) == 0);
	throttle_free(t);
}

/* A store with app "c1" (confidential) and one user; returns the user id. */
struct store *
t_store_with_user(int64_t *user_id)
{
	static char *uris[] = { "http://localhost:3000" };
	struct store_app app;
	struct store_user u;
	char path[256], err[256];
	struct store *st;

	snprintf(path, sizeof(path), "%s", t_db_spec());
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		return NULL;
	memset(&app, 0, sizeof(app));
	snprintf(app.client_id, sizeof(app.client_id), "c1");
	app.name = "one";
	app.redirect_uris = uris;
	app.n_redirect_uris = 1;
	app.has_secret = 1;
	CHECK(store_app_insert(st, &app) == STORE_OK);
	memset(&u, 0, sizeof(u));
	snprintf(u.login, sizeof(u.login), "alice");
	u.display_name = "Alice";
	u.password_hash = "$argon2id$not-checked-here";
	CHECK(store_user_insert(st, &u) == STORE_OK);
	CHECK(u.id > 100000000);
	CHECK(store_user_insert(st, &u) == STORE_CONFLICT);
	*user_id = u.id;
	return st;
}

void
t_issue_for(struct store_issue *is, uint8_t tag, int refresh, int64_t now)
{
	memset(is, 0, sizeof(*is));
	memset(is->access.hash, tag, HASH_LEN);
	is->access.created_at = now;
	is->access.expires_at = now + 100;
	is->has_refresh = refresh;
	memset(is->refresh_hash, tag + 100, HASH_LEN);
}

static void
store_code_redeem_is_single_use(void)
{
	struct store_code code, out;
	struct store_issue is;
	struct store_token tok;
	int64_t uid;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	memset(&code, 0, sizeof(code));
	memset(code.hash, 7, HASH_LEN);
	snprintf(code.client_id, sizeof(code.client_id), "c1");
	code.user_id = uid;
	code.redirect_uri = "http://localhost:3000";
	code.scopes = "chat:read";
	code.created_at = 1000;
	code.expires_at = 1600;
	CHECK(store_code_insert(st, &code) == STORE_OK);
	t_issue_for(&is, 1, 1, 1001);
	CHECK(store_code_redeem(st, code.hash, "c2", "http://localhost:3000", &is, &out) ==
	    STORE_NOTFOUND);
	CHECK(store_code_redeem(st, code.hash, "c1", "http://localhost:3000/", &is, &out) ==
	    STORE_MISMATCH);
	t_issue_for(&is, 1, 1, 1600);
	CHECK(store_code_redeem(st, code.hash, "c1", "http://localhost:3000", &is, &out) ==
	    STORE_NOTFOUND);	/* expired at 1600 */
	t_issue_for(&is, 1, 1, 1001);
	CHECK(store_code_redeem(st, code.hash, "c1", "http://localhost:3000", &is, &out) ==
	    STORE_OK);
	CHECK_STR(out.scopes, "chat:read");
	CHECK(out.user_id == uid);
	store_code_clear(&out);
	CHECK(store_token_get(st, is.access.hash, &tok) == STORE_OK);
	CHECK_STR(tok.login, "alice");
	CHECK(tok.grant_id > 0);
	store_token_clear(&tok);
	/* Again: refused, and the first redemption's token dies with its grant. */
	t_issue_for(&is, 2, 1, 1002);
	CHECK(store_code_redeem(st, code.hash, "c1", "http://localhost:3000", &is, &out) ==
	    STORE_REPLAY);
	t_issue_for(&is, 1, 1, 1001);
	CHECK(store_token_get(st, is.access.hash, &tok) == STORE_NOTFOUND);
	store_close(st);
}

static void
store_refresh_rotation_detects_reuse(void)
{
	struct store_grant g;
	struct store_issue is, r1, r2;
	struct store_token tok;
	int64_t uid;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	memset(&g, 0, sizeof(g));
	g.user_id = uid;
	snprintf(g.client_id, sizeof(g.client_id), "c1");
	g.scopes = "chat:edit chat:read";
	g.created_at = 1000;
	t_issue_for(&is, 10, 1, 1000);
	is.refresh_expires_at = 5000;
	CHECK(store_grant_issue(st, &g, &is) == STORE_OK);
	CHECK(g.id > 0);
	/* Rotate: is.refresh_hash -> r1.refresh_hash. */
	t_issue_for(&r1, 11, 1, 1100);
	r1.refresh_expires_at = 6000;
	r1.access.scopes = "chat:read bits:read";
	CHECK(store_refresh_use(st, is.refresh_hash, "c1", &r1, &t_refresh_rules, &g) == STORE_MISMATCH);
	r1.access.scopes = "chat:read";
	CHECK(store_refresh_use(st, is.refresh_hash, "c2", &r1, &t_refresh_rules, &g) == STORE_NOTFOUND);
	CHECK(store_refresh_use(st, is.refresh_hash, "c1", &r1, &t_refresh_rules, &g) == STORE_OK);
	CHECK_STR(g.scopes, "chat:edit chat:read");
	store_grant_clear(&g);
	CHECK(store_token_get(st, r1.access.hash, &tok) == STORE_OK);
	CHECK_STR(tok.scopes, "chat:read");
	store_token_clear(&tok);
	/* The new refresh token expires unused. */
	t_issue_for(&r2, 12, 1, 6000);
	CHECK(store_refresh_use(st, r1.refresh_hash, "c1", &r2, &t_refresh_rules, &g) == STORE_NOTFOUND);
	/* The old one comes back: the whole grant goes. */
	t_issue_for(&r2, 12, 1, 1200);
	CHECK(store_refresh_use(st, is.refresh_hash, "c1", &r2, &t_refresh_rules, &g) == STORE_REPLAY);
	CHECK(store_token_get(st, r1.access.hash, &tok) == STORE_NOTFOUND);
	CHECK(store_token_get(st, is.access.hash, &tok) == STORE_NOTFOUND);
	CHECK(store_refresh_use(st, r1.refresh_hash, "c1", &r2, &t_refresh_rules, &g) == STORE_NOTFOUND);
	store_close(st);
}

/* A grant of client c1 with refresh token tag 10, issued at 1000. */
static int64_t
t_grant_with_refresh(struct store *st, int64_t uid, struct store_issue *is)
{
	struct store_grant g;

	memset(&g, 0, sizeof(g));
	g.user_id = uid;
	snprintf(g.client_id, sizeof(g.client_id), "c1");
	g.scopes = "chat:read";
	g.created_at = 1000;
	t_issue_for(is, 10, 1, 1000);
	is->refresh_expires_at = 5000;
	CHECK(store_grant_issue(st, &g, is) == STORE_OK);
	return g.id;
}

/* Refreshes client c1's hash at now into *to (tag); the store's answer. */
static enum store_rc
t_refresh(struct store *st, const uint8_t *hash, struct store_issue *to, uint8_t tag,
    int64_t now)
{
	struct store_grant g;
	enum store_rc rc;

	t_issue_for(to, tag, 1, now);
	if ((rc = store_refresh_use(st, hash, "c1", to, &t_refresh_rules, &g)) == STORE_OK)
		store_grant_clear(&g);
	return rc;
}

/* Whether the access token of issue validates. */
static int
t_live(struct store *st, const struct store_issue *issue)
{
	struct store_token tok;

	if (store_token_get(st, issue->access.hash, &tok) != STORE_OK)
		return 0;
	store_token_clear(&tok);
	return 1;
}

static void
store_refresh_retry_after_a_lost_answer(void)
{
	struct store_grant g;
	struct store_issue is, r1, r2, r3, r4, r5;
	int64_t uid;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	t_grant_with_refresh(st, uid, &is);
	CHECK(t_refresh(st, is.refresh_hash, &r1, 11, 1100) == STORE_OK);
	/* r1's answer was lost: the client tries its old token again, 30 s on. */
	CHECK(t_refresh(st, is.refresh_hash, &r2, 12, 1100 + TW_REFRESH_RETRY / 2) == STORE_OK);
	/* r1 and r2 are siblings: both live until the client uses one. */
	CHECK(t_live(st, &r1) && t_live(st, &r2));
	CHECK(t_refresh(st, r2.refresh_hash, &r3, 13, 1200) == STORE_OK);
	/* r2 kept: r1 and its access token are retired, the first access token stays. */
	CHECK(!t_live(st, &r1) && t_live(st, &is) && t_live(st, &r3));
	/* r1 presented now is a copy: the grant ends. */
	CHECK(t_refresh(st, r1.refresh_hash, &r4, 14, 1201) == STORE_REPLAY);
	CHECK(!t_live(st, &r3));
	store_close(st);

	/*
	 * Two refreshes at once, answered out of order: the client keeps the
	 * first answer (r1), whose siblings go when r1 is used.
	 */
	if ((st = t_store_with_user(&uid)) == NULL)
		return;
	t_grant_with_refresh(st, uid, &is);
	CHECK(t_refresh(st, is.refresh_hash, &r1, 11, 1100) == STORE_OK);
	CHECK(t_refresh(st, is.refresh_hash, &r2, 12, 1101) == STORE_OK);
	CHECK(t_refresh(st, is.refresh_hash, &r3, 13, 1102) == STORE_OK);
	/* Hours later: siblings have no window. */
	CHECK(t_refresh(st, r1.refresh_hash, &r4, 14, 5000) == STORE_OK);
	CHECK(t_live(st, &r1) && !t_live(st, &r2) && !t_live(st, &r3));
	/* r3, retired when r1 was used, presented later: a copy; the grant ends. */
	CHECK(t_refresh(st, r4.refresh_hash, &r5, 15, 5001) == STORE_OK);
	CHECK(t_refresh(st, r3.refresh_hash, &r5, 16, 5002) == STORE_REPLAY);
	CHECK(!t_live(st, &r5));
	store_close(st);

	/* Within the window, but the successor was used: a copy, the grant ends. */
	if ((st = t_store_with_user(&uid)) == NULL)
		return;
	t_grant_with_refresh(st, uid, &is);
	CHECK(t_refresh(st, is.refresh_hash, &r1, 11, 1100) == STORE_OK);
	CHECK(t_refresh(st, r1.refresh_hash, &r2, 12, 1110) == STORE_OK);
	CHECK(t_refresh(st, is.refresh_hash, &r3, 13, 1120) == STORE_REPLAY);
	CHECK(!t_live(st, &r2));
	store_close(st);

	/* TW_REFRESH_REPLACEMENTS of one token, and no more; the grant lives on. */
	if ((st = t_store_with_user(&uid)) == NULL)
		return;
	t_grant_with_refresh(st, uid, &is);
	for (int i = 0; i < TW_REFRESH_REPLACEMENTS; i++)
		CHECK(t_refresh(st, is.refresh_hash, &r1, (uint8_t)(20 + i), 1100 + i) == STORE_OK);
	CHECK(t_refresh(st, is.refresh_hash, &r2, 40, 1100 + TW_REFRESH_REPLACEMENTS) ==
	    STORE_NOTFOUND);
	CHECK(t_live(st, &r1));
	CHECK(t_refresh(st, r1.refresh_hash, &r3, 41, 1200) == STORE_OK);
	store_close(st);

	/* A retry that widens the scopes is refused and retires nothing. */
	if ((st = t_store_with_user(&uid)) == NULL)
		return;
	t_grant_with_refresh(st, uid, &is);
	CHECK(t_refresh(st, is.refresh_hash, &r1, 11, 1100) == STORE_OK);
	t_issue_for(&r2, 12, 1, 1110);
	r2.access.scopes = "chat:read bits:read";
	CHECK(store_refresh_use(st, is.refresh_hash, "c1", &r2, &t_refresh_rules, &g) == STORE_MISMATCH);
	CHECK(t_refresh(st, r1.refresh_hash, &r2, 12, 1111) == STORE_OK);
	store_close(st);
}

void
suite_signin(void)
{
	RUN(scope_catalog_is_sorted_and_complete);
	RUN(scopes_canonical_sorts_dedups_and_names_unknowns);
	RUN(words_within_checks_every_word);
	RUN(cookie_get_finds_exact_names);
	RUN(html_text_escapes_everything_that_matters);
	RUN(throttle_delays_after_free_failures_and_forgets);
	RUN(store_code_redeem_is_single_use);
	RUN(store_refresh_rotation_detects_reuse);
	RUN(store_refresh_retry_after_a_lost_answer);
}
