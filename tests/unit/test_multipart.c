/* Unit tests of multipart: multipart/form-data bodies as curl --form sends them. */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/common/multipart.h"
#include "t.h"

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
