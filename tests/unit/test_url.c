/* Unit tests of url: absolute http(s) URLs, split and refused as redirect URIs need. */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/common/limits.h"
#include "../../src/common/url.h"
#include "t.h"

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

static void
root_path(const char *in, const char *want)
{
	char *got = url_root_path(in);

	if (want == NULL)
		CHECK(got == NULL);
	else
		CHECK_STR(got, want);
	free(got);
}

/* Only an empty path changes, to "/": every other byte is kept. */
static void
url_root_path_spells_an_empty_path_as_slash(void)
{
	root_path("http://localhost:3000", "http://localhost:3000/");
	root_path("http://localhost:3000/", "http://localhost:3000/");
	root_path("http://localhost:3000?a=b", "http://localhost:3000/?a=b");
	root_path("https://[::1]:8443", "https://[::1]:8443/");
	root_path("http://localhost:3000/cb", "http://localhost:3000/cb");
	root_path("http://localhost:3000/cb/", "http://localhost:3000/cb/");
	root_path("http://LocalHost:3000", "http://LocalHost:3000/");
	root_path("http://localhost:3000//", "http://localhost:3000//");
	root_path("ftp://x.test", NULL);
	root_path("not a url", NULL);
}

void
suite_url(void)
{
	RUN(url_root_path_spells_an_empty_path_as_slash);
	RUN(url_accepts_and_splits);
	RUN(url_refuses);
}
