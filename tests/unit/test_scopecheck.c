/* Scope lists checked against the catalog before a request (scopecheck.c). */
#include <stdio.h>
#include <string.h>

#include "../../src/client/scopecheck.h"
#include "../../src/common/buf.h"
#include "../../src/common/limits.h"
#include "t.h"

static void
scopecheck_takes_known_scopes(void)
{
	struct cerr e;

	CHECK(scopecheck("", &e) == 0);
	CHECK(scopecheck("  chat:read   user:read:email ", &e) == 0);
	CHECK(scopecheck("openid", &e) == 0);
}

static void
scopecheck_suggests_the_closest(void)
{
	struct cerr e;

	CHECK(scopecheck("chat:raed user:read:email zzzzzzzzzzzz", &e) == -1);
	CHECK(e.kind == CERR_ERROR);
	/* One line a problem, then the advice. */
	CHECK_STR(e.msg, "unknown scope 'chat:raed'; did you mean 'chat:read'?\n"
	    "unknown scope 'zzzzzzzzzzzz' (Twitch's scopes look like 'chat:read' or "
	    "'user:read:email')");
	CHECK(strstr(e.hint, "space-separated") != NULL);
}

static void
scopecheck_counts_to_the_limit(void)
{
	struct buf b;
	struct cerr e;

	buf_init(&b, 65536);
	for (int i = 0; i <= TW_MAX_SCOPES; i++)
		CHECK(buf_add_cstr(&b, i ? " chat:read" : "chat:read") == 0);
	CHECK(scopecheck(b.data, &e) == -1);
	CHECK(strstr(e.msg, "at most 128 scopes") != NULL);
	buf_free(&b);
}

void
suite_scopecheck(void)
{
	RUN(scopecheck_takes_known_scopes);
	RUN(scopecheck_suggests_the_closest);
	RUN(scopecheck_counts_to_the_limit);
}
