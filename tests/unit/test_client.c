/*
 * The client's parsers and files: token, device and validation answers of
 * both shapes (Twitch's and RFC 6749's), error bodies, the id_token claim
 * checks, and the token store's atomic 0600 file under XDG_CONFIG_HOME.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../src/client/cfgdir.h"
#include "../../src/client/idtoken.h"
#include "../../src/client/oauth.h"
#include "../../src/client/tokstore.h"
#include "t.h"

#define J(s) s, strlen(s)

static void
test_parse_tokens_both_scope_shapes(void)
{
	struct oauth_tokens t;
	struct oauth_err e = { 0 };

	CHECK(oauth_parse_tokens(J("{\"access_token\":\"abc\",\"expires_in\":14000,"
	    "\"refresh_token\":\"r1\",\"scope\":[\"chat:read\",\"chat:edit\"],"
	    "\"token_type\":\"bearer\"}"), &t, &e) == 0);
	CHECK_STR(t.access_token, "abc");
	CHECK_STR(t.refresh_token, "r1");
	CHECK_STR(t.scopes, "chat:read chat:edit");
	CHECK(t.expires_in == 14000);
	CHECK(t.id_token == NULL);
	oauth_tokens_clear(&t);
	CHECK(oauth_parse_tokens(J("{\"access_token\":\"abc\",\"expires_in\":1,"
	    "\"scope\":\"a b\"}"), &t, &e) == 0);
	CHECK_STR(t.scopes, "a b");
	CHECK(t.refresh_token == NULL);
	oauth_tokens_clear(&t);
	/* App tokens: no scope at all. */
	CHECK(oauth_parse_tokens(J("{\"access_token\":\"abc\",\"expires_in\":5011271,"
	    "\"token_type\":\"bearer\"}"), &t, &e) == 0);
	CHECK_STR(t.scopes, "");
	oauth_tokens_clear(&t);
}

static void
test_parse_tokens_rejects(void)
{
	static const char *bad[] = {
		"",
		"[]",
		"{\"expires_in\":1}",
		"{\"access_token\":\"\",\"expires_in\":1}",
		"{\"access_token\":\"a\\u0007b\",\"expires_in\":1}",
		"{\"access_token\":\"a\"}",
		"{\"access_token\":\"a\",\"expires_in\":-5}",
		"{\"access_token\":\"a\",\"expires_in\":\"60\"}",
		"{\"access_token\":\"a\",\"expires_in\":1,\"scope\":7}",
		"{\"access_token\":\"a\",\"expires_in\":1,\"scope\":[1]}",
		"{\"access_token\":\"a\",\"expires_in\":1,\"refresh_token\":5}",
		"{\"access_token\":\"a\",\"expires_in\":1,\"id_token\":[]}",
		"{\"access_token\":\"a\",\"access_token\":\"b\",\"expires_in\":1}",
	};
	struct oauth_tokens t;
	struct oauth_err e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		CHECK(oauth_parse_tokens(bad[i], strlen(bad[i]), &t, &e) == -1);
		CHECK(t.access_token == NULL && t.scopes == NULL);
		CHECK(e.message[0] != '\0');
	}
}

static void
test_parse_device_and_validation(void)
{
	struct oauth_device d;
	struct oauth_validation v;
	struct oauth_err e = { 0 };

	CHECK(oauth_parse_device(J("{\"device_code\":\"dc\",\"expires_in\":1800,"
	    "\"user_code\":\"ABCDEFGH\",\"verification_uri\":\"https://x/activate\"}"),
	    &d, &e) == 0);
	CHECK(d.interval == 5);		/* RFC 8628: 5 when absent */
	oauth_device_clear(&d);
	CHECK(oauth_parse_device(J("{\"device_code\":\"dc\",\"expires_in\":1800,\"interval\":0,"
	    "\"user_code\":\"A\",\"verification_uri\":\"u\"}"), &d, &e) == 0);
	CHECK(d.interval == 1);		/* never a busy loop */
	oauth_device_clear(&d);
	CHECK(oauth_parse_device(J("{\"device_code\":\"dc\",\"expires_in\":1800}"), &d, &e) == -1);

	CHECK(oauth_parse_validation(J("{\"client_id\":\"c\",\"login\":\"l\",\"scopes\":"
	    "[\"x\"],\"user_id\":\"1\",\"expires_in\":10}"), &v, &e) == 0);
	CHECK_STR(v.login, "l");
	CHECK_STR(v.scopes, "x");
	oauth_validation_clear(&v);
	CHECK(oauth_parse_validation(J("{\"client_id\":\"c\",\"scopes\":[],\"expires_in\":10}"),
	    &v, &e) == 0);
	CHECK(v.login == NULL && v.user_id == NULL);
	oauth_validation_clear(&v);
	CHECK(oauth_parse_validation(J("{\"client_id\":\"c\",\"login\":\"l\",\"scopes\":[],"
	    "\"expires_in\":10}"), &v, &e) == -1);
}

static void
test_parse_error_shapes(void)
{
	struct oauth_err e;

	oauth_parse_error(400, J("{\"status\":400,\"message\":\"invalid client\"}"), &e);
	CHECK_STR(e.message, "invalid client");
	CHECK(e.status == 400);
	oauth_parse_error(400, J("{\"error\":\"invalid_grant\",\"error_description\":\"gone\"}"),
	    &e);
	CHECK_STR(e.message, "invalid_grant: gone");
	oauth_parse_error(502, J("<html>bad gateway</html>"), &e);
	CHECK_STR(e.message, "HTTP 502 with no error message");
	oauth_parse_error(400, J("{\"message\":\"a\\u001b[31mred\"}"), &e);
	CHECK(strchr(e.message, 0x1b) == NULL);	/* no terminal escapes from the network */
}

static json_t *
claims(const char *extra_json)
{
	json_t *c = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}", "iss", "https://i/oauth2",
	    "sub", "1", "aud", "cid", "exp", (json_int_t)2000, "iat", (json_int_t)900,
	    "nonce", "n1");

	if (extra_json != NULL) {
		json_t *x = json_loads(extra_json, 0, NULL);

		json_object_update(c, x);
		json_decref(x);
	}
	return c;
}

static void
test_idtoken_claims(void)
{
	struct idtoken_check chk = { "https://i", "cid", "n1", NULL, 0, 1000 };
	static const struct { const char *extra; int ok; } cases[] = {
		{ NULL, 1 },
		{ "{\"iss\":\"https://evil/oauth2\"}", 0 },
		{ "{\"aud\":\"other\"}", 0 },
		{ "{\"aud\":[\"cid\"]}", 1 },
		{ "{\"aud\":[\"cid\",\"other\"]}", 0 },		/* several: azp must be us */
		{ "{\"aud\":[\"cid\",\"other\"],\"azp\":\"cid\"}", 1 },
		{ "{\"exp\":900}", 0 },				/* past, beyond leeway */
		{ "{\"exp\":950}", 1 },				/* within 60 s leeway */
		{ "{\"iat\":1100}", 0 },			/* from the future */
		{ "{\"nonce\":\"n2\"}", 0 },
		{ "{\"sub\":5}", 0 },
	};
	char err[256];
	json_t *c;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = claims(cases[i].extra);
		if (cases[i].extra != NULL && strstr(cases[i].extra, "nonce") == NULL &&
		    json_object_get(c, "nonce") == NULL)
			json_object_set_new(c, "nonce", json_string("n1"));
		err[0] = '\0';
		CHECK((idtoken_check_claims(&chk, "https://i/oauth2", c, err, sizeof(err)) == 0) ==
		    cases[i].ok);
		CHECK(cases[i].ok || err[0] != '\0');
		json_decref(c);
	}
	/* Implicit "token id_token": at_hash is required and must match. */
	chk.access_token = "token";
	chk.need_at_hash = 1;
	c = claims(NULL);
	CHECK(idtoken_check_claims(&chk, "https://i/oauth2", c, err, sizeof(err)) == -1);
	json_object_set_new(c, "at_hash", json_string("wrong"));
	CHECK(idtoken_check_claims(&chk, "https://i/oauth2", c, err, sizeof(err)) == -1);
	/* base64url(left half of SHA-256("token")) */
	json_object_set_new(c, "at_hash", json_string("PEaenWxYddN6Q_NT1PiOYQ"));
	CHECK(idtoken_check_claims(&chk, "https://i/oauth2", c, err, sizeof(err)) == 0);
	json_decref(c);
}

static void
test_tokstore_files(void)
{
	char dir[4096], err[256], path[4200];
	struct tokstore ts;
	struct tok_record r = { 0 }, got;
	struct oauth_tokens t = { .access_token = "at", .refresh_token = "rt",
	    .scopes = "chat:read", .expires_in = 100 };
	struct stat st;
	char several[128];

	setenv("XDG_CONFIG_HOME", t_tmpdir(), 1);
	CHECK(cfgdir_path(dir, sizeof(dir), err, sizeof(err)) == 0);
	CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700);
	CHECK(tokstore_open(&ts, err, sizeof(err)) == 0);
	CHECK(tokstore_len(&ts) == 0);
	r.issuer = "https://i";
	r.client_id = "cid";
	r.login = "alice";
	r.user_id = "1";
	r.access_token = r.refresh_token = r.scopes = NULL;
	tok_record_set_tokens(&r, &t, 1000);
	tokstore_put(&ts, &r);
	r.login = "bob";
	tokstore_put(&ts, &r);
	r.login = "alice";
	tokstore_put(&ts, &r);		/* replaces, does not add */
	CHECK(tokstore_len(&ts) == 2);
	CHECK(tokstore_save(&ts, err, sizeof(err)) == 0);
	tokstore_close(&ts);
	snprintf(path, sizeof(path), "%s/%s", dir, TOK_FILE);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);

	CHECK(tokstore_open(&ts, err, sizeof(err)) == 0);
	CHECK(tokstore_find(&ts, "https://i", "cid", NULL, &got, several,
	    sizeof(several)) == TOK_SEVERAL);
	CHECK(strstr(several, "alice") && strstr(several, "bob"));
	CHECK(tokstore_find(&ts, "https://i", "cid", "bob", &got, NULL, 0) == TOK_FOUND);
	CHECK_STR(got.refresh_token, "rt");
	CHECK_STR(got.scopes, "chat:read");
	CHECK(got.expires_at == 1100);
	tok_record_clear(&got);
	CHECK(tokstore_find(&ts, "https://i", "cid", "", &got, NULL, 0) == TOK_NONE);
	CHECK(tokstore_find(&ts, "https://other", "cid", "bob", &got, NULL, 0) == TOK_NONE);
	tokstore_remove(&ts, "https://i", "cid", "bob");
	CHECK(tokstore_find(&ts, "https://i", "cid", "bob", &got, NULL, 0) == TOK_NONE);
	tokstore_remove(&ts, "https://i", "cid", "bob");	/* none left: a no-op */
	CHECK(tokstore_len(&ts) == 1);
	tokstore_close(&ts);	/* not saved: bob is still on disk */
	CHECK(tokstore_open(&ts, err, sizeof(err)) == 0);
	CHECK(tokstore_len(&ts) == 2);
	tokstore_close(&ts);
	free(r.access_token);
	free(r.refresh_token);
	free(r.scopes);

	/* A damaged file is reported without quoting it, and not overwritten. */
	FILE *f = fopen(path, "w");
	fputs("{\"access_token\":\"secret0token\" oops", f);
	fclose(f);
	CHECK(tokstore_open(&ts, err, sizeof(err)) == -1);
	CHECK(strstr(err, "not a JSON object") != NULL);
	CHECK(strstr(err, "secret0token") == NULL);	/* never quoted */
	unsetenv("XDG_CONFIG_HOME");
}

void
suite_client(void)
{
	RUN(test_parse_tokens_both_scope_shapes);
	RUN(test_parse_tokens_rejects);
	RUN(test_parse_device_and_validation);
	RUN(test_parse_error_shapes);
	RUN(test_idtoken_claims);
	RUN(test_tokstore_files);
}
