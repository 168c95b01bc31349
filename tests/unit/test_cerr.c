/* The client's failures in words (cerr.c): the issuer's refusals and advice. */
#include <string.h>

#include "../../src/client/cerr.h"
#include "t.h"

static void
cerr_oauth_says_whose_verdict(void)
{
	struct oauth_err oe = { 0, "Couldn't connect to server", 0 };
	struct cerr e;

	CHECK(cerr_oauth(&e, "refreshing", OAUTH_NETWORK, &oe) == -1);
	CHECK(e.kind == CERR_ERROR);
	CHECK_STR(e.msg, "refreshing: Couldn't connect to server");
	oe.status = 503;
	cerr_oauth(&e, "refreshing", OAUTH_NETWORK, &oe);
	CHECK_STR(e.msg, "refreshing: the issuer answered HTTP 503: Couldn't connect to server");
	oe = (struct oauth_err){ 403, "invalid client secret", 0 };
	cerr_oauth(&e, "getting an app token", OAUTH_REFUSED, &oe);
	CHECK(e.kind == CERR_REFUSED);
	CHECK_STR(e.msg, "getting an app token: refused (403): invalid client secret");
	CHECK(strstr(e.hint, "reset-secret") != NULL);
	oe = (struct oauth_err){ 400, "invalid client", 0 };
	cerr_oauth(&e, "x", OAUTH_REFUSED, &oe);
	CHECK(strstr(e.hint, "No app has that client id") != NULL);
	oe = (struct oauth_err){ 400, "Invalid refresh token", 0 };
	cerr_oauth(&e, "x", OAUTH_REFUSED, &oe);
	CHECK_STR(e.hint, "");
	/* A rate limit says how long to wait. */
	oe = (struct oauth_err){ 429, "Too many failed client authentications", 4 };
	cerr_oauth(&e, "x", OAUTH_REFUSED, &oe);
	CHECK(strstr(e.msg, "wait 4 s before trying again (Retry-After)") != NULL);
}

static void
cerr_lines_and_hints_add_up_and_stay_in_bounds(void)
{
	char big[3 * CERR_MAX];
	struct cerr e;

	cerr_set(&e, CERR_ERROR, "one");
	cerr_line(&e, "two %d", 2);
	cerr_hint(&e, "  a\n");
	cerr_hint(&e, "  b\n");
	CHECK_STR(e.msg, "one\ntwo 2");
	CHECK_STR(e.hint, "  a\n  b\n");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cerr_line(&e, "%s", big);
	cerr_line(&e, "%s", big);
	cerr_hint(&e, "%s", big);
	CHECK(strlen(e.msg) == CERR_MAX - 1 && strlen(e.hint) == CERR_MAX - 1);
}

void
suite_cerr(void)
{
	RUN(cerr_oauth_says_whose_verdict);
	RUN(cerr_lines_and_hints_add_up_and_stay_in_bounds);
}
