/*
 * URLs and redirect URIs: url_parse, the loopback test, the redirect URI
 * rules, and a registered list (one URI per line).  Promises: the parts
 * are slices of the input; an accepted redirect URI is absolute http(s)
 * without fragment; a list is accepted only if every URI in it is; the
 * root-path form of a URL is the URL itself, or with one '/' for an empty
 * path, and its path is never empty.
 */
#include "../src/common/limits.h"
#include "../src/common/url.h"
#include "../src/idp/idp.h"
#include "fuzz.h"

#define MAX_URIS	16

static void
slice_of(struct str part, const char *s, size_t len)
{
	if (part.len > 0)
		FUZZ_ASSERT(part.p >= s && part.p + part.len <= s + len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *copy, *line, *p, *uris[MAX_URIS], *root;
	size_t len = strlen(s), n = 0;
	struct url u;
	int all_ok = 1;

	if (url_parse(str_make(s, len), &u) == 0) {
		slice_of(u.scheme, s, len);
		slice_of(u.host, s, len);
		slice_of(u.path, s, len);
		slice_of(u.query, s, len);
		slice_of(u.fragment, s, len);
		(void)url_is_loopback(&u);
	}
	if ((root = url_root_path(s)) != NULL) {
		size_t rlen = strlen(root);
		struct url r;

		FUZZ_ASSERT(url_parse(str_make(s, len), &u) == 0);
		FUZZ_ASSERT(rlen == len + (u.path.len == 0));
		FUZZ_ASSERT(u.path.len == 0 || strcmp(root, s) == 0);
		if (rlen <= TW_MAX_REDIRECT_URI)
			FUZZ_ASSERT(url_parse(str_make(root, rlen), &r) == 0 && r.path.len > 0);
		free(root);
	}
	if (idp_redirect_uri_ok(s)) {
		FUZZ_ASSERT(url_parse(str_make(s, len), &u) == 0);
		FUZZ_ASSERT(!u.has_fragment);
		FUZZ_ASSERT(strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
	}
	copy = strdup(s);
	for (p = copy; n < MAX_URIS && (line = strsep(&p, "\n")) != NULL;) {
		uris[n++] = line;
		all_ok &= idp_redirect_uri_ok(line) != 0;
	}
	if (idp_app_check_redirect_uris(uris, n) == IDP_OK)
		FUZZ_ASSERT(all_ok);
	free(copy);
	free(s);
	return 0;
}
