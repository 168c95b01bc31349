/* Unit tests of auth_header: the Authorization header's OAuth, Bearer and Basic schemes. */
#include <string.h>

#include "../../src/common/auth_header.h"
#include "../../src/common/limits.h"
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
	CHECK(auth_header_parse(str_cstr("Basic dXNlcjpwYXNz"), &tok) == AUTH_BASIC);
	CHECK(auth_header_parse(str_cstr("Digest x"), &tok) == AUTH_OTHER);
	CHECK(auth_header_parse(str_cstr("OAuthabc"), &tok) == AUTH_OTHER);
}

/* RFC 6749 2.3.1: base64 of the form-urlencoded id, a colon, the secret. */
static void
auth_header_basic_credentials(void)
{
	char id[64], secret[64], big[TW_MAX_BASIC_AUTH + 8];

	CHECK(auth_basic_decode(str_cstr("czZCaGRSa3F0MzpnWDFmQmF0M2JW"), id, sizeof(id), secret,
	    sizeof(secret)) == 0);
	CHECK_STR(id, "s6BhdRkqt3");
	CHECK_STR(secret, "gX1fBat3bV");
	/* Unpadded, and with form-urlencoding: "%3A" is a colon in the secret. */
	CHECK(auth_basic_decode(str_cstr("YSUyMGI6YyUzQWQrZQ"), id, sizeof(id), secret,
	    sizeof(secret)) == 0);
	CHECK_STR(id, "a b");
	CHECK_STR(secret, "c:d e");
	/* No colon, an empty part, not base64, a NUL, too long for the buffer. */
	CHECK(auth_basic_decode(str_cstr("bm9jb2xvbg=="), id, sizeof(id), secret,
	    sizeof(secret)) == -1);
	CHECK(auth_basic_decode(str_cstr("OnNlY3JldA=="), id, sizeof(id), secret,
	    sizeof(secret)) == -1 && id[0] == '\0' && secret[0] == '\0');
	CHECK(auth_basic_decode(str_cstr("aWQ6"), id, sizeof(id), secret,
	    sizeof(secret)) == -1);
	CHECK(auth_basic_decode(str_cstr("not*base64"), id, sizeof(id), secret,
	    sizeof(secret)) == -1);
	CHECK(auth_basic_decode(str_cstr("aWQ6YSUwMGI="), id, sizeof(id), secret,
	    sizeof(secret)) == -1);
	/* "id:" and 64 x's: a secret one byte over its buffer. */
	CHECK(auth_basic_decode(str_cstr("aWQ6eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4"
	    "eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eA=="), id, sizeof(id), secret,
	    sizeof(secret)) == -1);
	CHECK(auth_basic_decode(str_cstr("aWQ6eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4"
	    "eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4"), id, sizeof(id), secret,
	    sizeof(secret)) == 0);	/* 63 fit */
	CHECK(auth_basic_decode(str_cstr("aWQ6cw==="), id, sizeof(id), secret,
	    sizeof(secret)) == -1);	/* padding that makes no multiple of 4 */
	/* Past TW_MAX_BASIC_AUTH characters: refused before decoding. */
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(auth_basic_decode(str_cstr(big), id, sizeof(id), secret, sizeof(secret)) == -1);
}

void
suite_auth_header(void)
{
	RUN(auth_header_schemes);
	RUN(auth_header_basic_credentials);
}
