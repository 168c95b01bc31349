/* Unit tests of cookie: finding one cookie by its exact name. */
#include "../../src/common/cookie.h"
#include "../../src/common/str.h"
#include "t.h"

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

void
suite_cookie(void)
{
	RUN(cookie_get_finds_exact_names);
}
