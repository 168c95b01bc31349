/* Unit tests of the parsers that see outside bytes: form, multipart, url, Authorization. */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/common/auth_header.h"
#include "../../src/common/form.h"
#include "../../src/common/multipart.h"
#include "../../src/common/url.h"
#include "t.h"

static enum params_err
parse(struct params *ps, const char *s)
{
	params_init(ps);
	return form_parse(ps, s, strlen(s));
}

static void
form_decodes_pairs(void)
{
	struct params ps;

	CHECK(parse(&ps, "client_id=abc&scope=chat%3Aread+chat%3Aedit&empty=&flag&&=x") ==
	    PARAMS_OK);
	CHECK_STR(params_get(&ps, "client_id"), "abc");
	CHECK_STR(params_get(&ps, "scope"), "chat:read chat:edit");
	CHECK_STR(params_get(&ps, "empty"), "");
	CHECK_STR(params_get(&ps, "flag"), "");
	CHECK(params_get(&ps, "missing") == NULL);
	CHECK(ps.n == 4);
	params_free(&ps);
	CHECK(parse(&ps, "redirect_uri=http%3A%2F%2Flocalhost%3A3000") == PARAMS_OK);
	CHECK_STR(params_get(&ps, "redirect_uri"), "http://localhost:3000");
	params_free(&ps);
}

static void
form_rejects_bad_escapes_and_nul(void)
{
	struct params ps;

	CHECK(parse(&ps, "a=%zz") == PARAMS_BAD_ENCODING);
	params_free(&ps);
	CHECK(parse(&ps, "a=%4") == PARAMS_BAD_ENCODING);
	params_free(&ps);
	CHECK(parse(&ps, "a=%") == PARAMS_BAD_ENCODING);
	params_free(&ps);
	CHECK(parse(&ps, "a=x%00y") == PARAMS_NUL_BYTE);
	params_free(&ps);
	CHECK(parse(&ps, "a%00=1") == PARAMS_NUL_BYTE);
	params_free(&ps);
	CHECK(parse(&ps, "nonce=%FF") == PARAMS_BAD_UTF8);
	params_free(&ps);
	CHECK(parse(&ps, "%C3%28=1") == PARAMS_BAD_UTF8);
	params_free(&ps);
	CHECK(parse(&ps, "name=%C3%A9t%C3%A9") == PARAMS_OK);	/* "été" */
	params_free(&ps);
}

static void
form_repeats_same_ok_different_refused(void)
{
	struct params ps;

	CHECK(parse(&ps, "a=1&a=1") == PARAMS_OK);
	CHECK(ps.n == 1);
	params_free(&ps);
	CHECK(parse(&ps, "a=1&b=2&a=3") == PARAMS_CONFLICT);
	CHECK_STR(ps.bad_name, "a");
	params_free(&ps);
	/* The query string and the body feed one set. */
	params_init(&ps);
	CHECK(form_parse(&ps, "a=1", 3) == PARAMS_OK);
	CHECK(form_parse(&ps, "a=2", 3) == PARAMS_CONFLICT);
	params_free(&ps);
}

static void
form_limits(void)
{
	struct params ps;
	char *s = malloc(3 * TW_MAX_PARAM_VALUE + 64);
	size_t n = 0;

	/* 64 distinct parameters fit; the 65th does not. */
	for (int i = 0; i < TW_MAX_PARAMS; i++)
		n += (size_t)snprintf(s + n, 32, "p%d=v&", i);
	s[n] = '\0';
	CHECK(parse(&ps, s) == PARAMS_OK);
	CHECK(ps.n == TW_MAX_PARAMS);
	params_free(&ps);
	snprintf(s + n, 32, "one_more=1");
	CHECK(parse(&ps, s) == PARAMS_TOO_MANY);
	params_free(&ps);

	/* A value of exactly 4096 bytes fits; 4097 does not, nor does 129-byte name. */
	memcpy(s, "v=", 2);
	memset(s + 2, 'x', TW_MAX_PARAM_VALUE);
	s[2 + TW_MAX_PARAM_VALUE] = '\0';
	CHECK(parse(&ps, s) == PARAMS_OK);
	params_free(&ps);
	s[2 + TW_MAX_PARAM_VALUE] = 'x';
	s[3 + TW_MAX_PARAM_VALUE] = '\0';
	CHECK(parse(&ps, s) == PARAMS_VALUE_TOO_LONG);
	CHECK_STR(ps.bad_name, "v");
	params_free(&ps);
	/* Length counts decoded bytes: 4096 escaped bytes are 12288 encoded. */
	memcpy(s, "v=", 2);
	for (int i = 0; i < TW_MAX_PARAM_VALUE; i++)
		memcpy(s + 2 + 3 * i, "%41", 3);
	s[2 + 3 * TW_MAX_PARAM_VALUE] = '\0';
	CHECK(parse(&ps, s) == PARAMS_OK);
	CHECK(strlen(params_get(&ps, "v")) == TW_MAX_PARAM_VALUE);
	params_free(&ps);
	memset(s, 'n', TW_MAX_PARAM_NAME + 1);
	memcpy(s + TW_MAX_PARAM_NAME + 1, "=1", 3);
	CHECK(parse(&ps, s) == PARAMS_NAME_TOO_LONG);
	params_free(&ps);
	free(s);
}

/* The messages of the limits say the numbers of limits.h (TW_STR). */
static void
form_limit_messages(void)
{
	char want[64];

	snprintf(want, sizeof(want), "(at most %d)", TW_MAX_PARAMS);
	CHECK(strstr(params_strerror(PARAMS_TOO_MANY), want) != NULL);
	snprintf(want, sizeof(want), "(at most %d bytes)", TW_MAX_PARAM_NAME);
	CHECK(strstr(params_strerror(PARAMS_NAME_TOO_LONG), want) != NULL);
	snprintf(want, sizeof(want), "(at most %d bytes)", TW_MAX_PARAM_VALUE);
	CHECK(strstr(params_strerror(PARAMS_VALUE_TOO_LONG), want) != NULL);
}

static void
form_encode_roundtrip(void)
{
	const char *orig = "chat:read chat:edit&x=1/é~";
	struct buf b;
	char out[128];
	long n;

	buf_init(&b, 256);
	CHECK(form_encode(&b, orig) == 0);
	CHECK(strchr(b.data, ' ') == NULL && strchr(b.data, '&') == NULL);
	n = form_decode(b.data, b.len, out, 1);
	CHECK(n == (long)strlen(orig));
	out[n < 0 ? 0 : n] = '\0';
	CHECK_STR(out, orig);
	buf_free(&b);
}

void
suite_form(void)
{
	RUN(form_decodes_pairs);
	RUN(form_rejects_bad_escapes_and_nul);
	RUN(form_repeats_same_ok_different_refused);
	RUN(form_limits);
	RUN(form_limit_messages);
	RUN(form_encode_roundtrip);
}

static enum params_err
mp(struct params *ps, const char *boundary, const char *body)
{
	params_init(ps);
	return multipart_parse(ps, str_cstr(boundary), body, strlen(body));
}

static void
multipart_boundary_forms(void)
{
	struct str b;

	CHECK(multipart_boundary(str_cstr("multipart/form-data; boundary=abc123"), &b) == 0);
	CHECK(str_eq_cstr(b, "abc123"));
	CHECK(multipart_boundary(str_cstr("Multipart/Form-Data;boundary=\"a b\""), &b) == 0);
	CHECK(str_eq_cstr(b, "a b"));
	CHECK(multipart_boundary(str_cstr("multipart/form-data; charset=utf-8; boundary=x"),
	    &b) == 0);
	CHECK(str_eq_cstr(b, "x"));
	CHECK(multipart_boundary(str_cstr("multipart/form-data"), &b) == -1);
	CHECK(multipart_boundary(str_cstr("multipart/form-data; boundary="), &b) == -1);
	CHECK(multipart_boundary(str_cstr("multipart/mixed; boundary=x"), &b) == -1);
}

/* A boundary of TW_MAX_MULTIPART_BOUNDARY bytes is taken; one more is not. */
static void
multipart_boundary_limit(void)
{
	const char *prefix = "multipart/form-data; boundary=";
	char ct[64 + TW_MAX_MULTIPART_BOUNDARY];
	size_t n = strlen(prefix);
	struct str b;

	memcpy(ct, prefix, n);
	memset(ct + n, '7', TW_MAX_MULTIPART_BOUNDARY + 1);
	ct[n + TW_MAX_MULTIPART_BOUNDARY] = '\0';
	CHECK(multipart_boundary(str_cstr(ct), &b) == 0 && b.len == TW_MAX_MULTIPART_BOUNDARY);
	ct[n + TW_MAX_MULTIPART_BOUNDARY] = '7';
	ct[n + TW_MAX_MULTIPART_BOUNDARY + 1] = '\0';
	CHECK(multipart_boundary(str_cstr(ct), &b) == -1);
}

static void
multipart_curl_body(void)
{
	struct params ps;
	/* What `curl --form client_id=abc --form 'scopes=chat:read chat:edit'` sends. */
	const char *body =
	    "--------------------------d74496d66958873e\r\n"
	    "Content-Disposition: form-data; name=\"client_id\"\r\n"
	    "\r\n"
	    "abc\r\n"
	    "--------------------------d74496d66958873e\r\n"
	    "Content-Disposition: form-data; name=\"scopes\"\r\n"
	    "\r\n"
	    "chat:read chat:edit\r\n"
	    "--------------------------d74496d66958873e--\r\n";

	CHECK(mp(&ps, "------------------------d74496d66958873e", body) == PARAMS_OK);
	CHECK_STR(params_get(&ps, "client_id"), "abc");
	CHECK_STR(params_get(&ps, "scopes"), "chat:read chat:edit");
	params_free(&ps);
}

static void
multipart_values_with_crlf_and_dashes(void)
{
	struct params ps;
	const char *body =
	    "preamble to ignore\r\n"
	    "--XyZ\r\n"
	    "Content-Type: text/plain\r\n"
	    "content-disposition: form-data; filename=\"a;b.txt\"; name=v\r\n"
	    "\r\n"
	    "line1\r\n--not-the-boundary\r\nline3\r\n"
	    "--XyZ--";

	CHECK(mp(&ps, "XyZ", body) == PARAMS_OK);
	CHECK_STR(params_get(&ps, "v"), "line1\r\n--not-the-boundary\r\nline3");
	params_free(&ps);
}

static void
multipart_malformed(void)
{
	struct params ps;

	/* No closing delimiter. */
	CHECK(mp(&ps, "B", "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1")
	    == PARAMS_BAD_MULTIPART);
	params_free(&ps);
	/* No Content-Disposition. */
	CHECK(mp(&ps, "B", "--B\r\nContent-Type: text/plain\r\n\r\n1\r\n--B--") ==
	    PARAMS_BAD_MULTIPART);
	params_free(&ps);
	/* Boundary never appears. */
	CHECK(mp(&ps, "B", "a=1") == PARAMS_BAD_MULTIPART);
	params_free(&ps);
	/* Unterminated quoted name. */
	CHECK(mp(&ps, "B", "--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--B--")
	    == PARAMS_BAD_MULTIPART);
	params_free(&ps);
	/* Conflicting repeats follow the same rule as forms. */
	CHECK(mp(&ps, "B", "--B\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
	    "--B\r\nContent-Disposition: form-data; name=a\r\n\r\n2\r\n--B--") ==
	    PARAMS_CONFLICT);
	params_free(&ps);
	/* An empty body with a boundary closes at once. */
	CHECK(mp(&ps, "B", "--B--\r\n") == PARAMS_OK);
	CHECK(ps.n == 0);
	params_free(&ps);
}

void
suite_multipart(void)
{
	RUN(multipart_boundary_forms);
	RUN(multipart_boundary_limit);
	RUN(multipart_curl_body);
	RUN(multipart_values_with_crlf_and_dashes);
	RUN(multipart_malformed);
}

static int
url_ok(const char *s)
{
	struct url u;

	return url_parse(str_cstr(s), &u) == 0;
}

static void
url_accepts_and_splits(void)
{
	struct url u;

	CHECK(url_parse(str_cstr("http://localhost:3000"), &u) == 0);
	CHECK(str_eq_cstr(u.host, "localhost") && u.port == 3000 && u.path.len == 0);
	CHECK(url_is_loopback(&u));
	CHECK(url_parse(str_cstr("https://id.example.test/cb?x=1#frag"), &u) == 0);
	CHECK(u.port == 443 && str_eq_cstr(u.path, "/cb") && str_eq_cstr(u.query, "x=1"));
	CHECK(u.has_fragment && str_eq_cstr(u.fragment, "frag"));
	CHECK(!url_is_loopback(&u));
	CHECK(url_parse(str_cstr("http://[::1]:8080/"), &u) == 0);
	CHECK(str_eq_cstr(u.host, "::1") && u.port == 8080 && url_is_loopback(&u));
	CHECK(url_parse(str_cstr("http://127.0.0.2/x"), &u) == 0 && url_is_loopback(&u));
	CHECK(url_parse(str_cstr("http://127.evil.test/"), &u) == 0 && !url_is_loopback(&u));
	CHECK(url_parse(str_cstr("http://a.test?q"), &u) == 0 && u.has_query && u.path.len == 0);
}

static void
url_refuses(void)
{
	char long_url[TW_MAX_REDIRECT_URI + 16];

	CHECK(!url_ok(""));
	CHECK(!url_ok("localhost:3000"));
	CHECK(!url_ok("/relative"));
	CHECK(!url_ok("ftp://example.test/"));
	CHECK(!url_ok("javascript://alert(1)"));
	CHECK(!url_ok("http://"));
	CHECK(!url_ok("http:///path"));
	CHECK(!url_ok("http://user@evil.test/"));
	CHECK(!url_ok("http://a b.test/"));
	CHECK(!url_ok("http://a.test/\\evil"));
	CHECK(!url_ok("http://a.test/\x01"));
	CHECK(!url_ok("http://a.test/é"));
	CHECK(!url_ok("http://a.test:0/"));
	CHECK(!url_ok("http://a.test:65536/"));
	CHECK(!url_ok("http://a.test:80a/"));
	CHECK(!url_ok("http://a.test:/"));
	CHECK(!url_ok("http://[::1/"));
	CHECK(!url_ok("http://[]/"));
	CHECK(!url_ok("https:/x.test"));
	snprintf(long_url, sizeof(long_url), "https://a.test/");
	memset(long_url + 15, 'a', TW_MAX_REDIRECT_URI - 15);
	long_url[TW_MAX_REDIRECT_URI] = '\0';
	CHECK(url_ok(long_url));
	long_url[TW_MAX_REDIRECT_URI] = 'a';
	long_url[TW_MAX_REDIRECT_URI + 1] = '\0';
	CHECK(!url_ok(long_url));
}

void
suite_url(void)
{
	RUN(url_accepts_and_splits);
	RUN(url_refuses);
}

static void
auth_header_schemes(void)
{
	struct str tok;

	CHECK(auth_header_parse(str_cstr("OAuth abc123"), &tok) == AUTH_OAUTH);
	CHECK(str_eq_cstr(tok, "abc123"));
	CHECK(auth_header_parse(str_cstr("Bearer   abc123  "), &tok) == AUTH_BEARER);
	CHECK(str_eq_cstr(tok, "abc123"));
	CHECK(auth_header_parse(str_cstr("bearer x"), &tok) == AUTH_BEARER);
	CHECK(auth_header_parse(str_cstr("OAUTH x"), &tok) == AUTH_OAUTH);
	CHECK(auth_header_parse(str_cstr("OAuth "), &tok) == AUTH_NONE);
	CHECK(auth_header_parse(str_cstr("OAuth"), &tok) == AUTH_NONE);
	CHECK(auth_header_parse(str_cstr(""), &tok) == AUTH_NONE);
	CHECK(auth_header_parse(str_make(NULL, 0), &tok) == AUTH_NONE);
	CHECK(auth_header_parse(str_cstr("Basic dXNlcjpwYXNz"), &tok) == AUTH_OTHER);
	CHECK(auth_header_parse(str_cstr("OAuthabc"), &tok) == AUTH_OTHER);
}

void
suite_auth_header(void)
{
	RUN(auth_header_schemes);
}
