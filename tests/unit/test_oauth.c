/*
 * Unit tests of the client's oauth.c parsers: token, device and validation
 * answers of both shapes (Twitch's and RFC 6749's), and error bodies.
 */
#include <stdlib.h>
#include <string.h>

#include "../../src/client/oauth.h"
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

void
suite_oauth(void)
{
	RUN(test_parse_tokens_both_scope_shapes);
	RUN(test_parse_tokens_rejects);
	RUN(test_parse_device_and_validation);
	RUN(test_parse_error_shapes);
}
