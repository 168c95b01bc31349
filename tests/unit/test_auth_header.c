/* Unit tests of auth_header: the Authorization header's OAuth and Bearer schemes. */
#include "../../src/common/auth_header.h"
#include "t.h"

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
