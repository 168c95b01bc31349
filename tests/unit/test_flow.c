/* What the flows ask for (flow.c), where no issuer needs to answer. */
#include <stdlib.h>
#include <string.h>

#include "../../src/client/flow.h"
#include "t.h"

static void
flow_scopes_adds_openid_once(void)
{
	static char *const one[] = { "chat:read" }, *two[] = { "chat:read", "chat:edit" },
	    *with[] = { "openid chat:read" }, *empty[] = { "" }, *later[] = { "a", "openid" };
	static const struct {
		char *const *given;
		size_t n;
		int openid;
		const char *want;
	} cases[] = {
		{ NULL, 0, 0, "" },
		{ empty, 1, 1, "openid" },
		{ one, 1, 0, "chat:read" },
		{ one, 1, 1, "chat:read openid" },
		{ with, 1, 1, "openid chat:read" },
		{ two, 2, 0, "chat:read chat:edit" },
		{ two, 2, 1, "chat:read chat:edit openid" },
		{ later, 2, 1, "a openid" },
	};
	char *s;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = flow_scopes(cases[i].given, cases[i].n, cases[i].openid);
		CHECK_STR(s, cases[i].want);
		free(s);
	}
}

static void
flows_say_what_they_lack_before_any_request(void)
{
	struct flow f = { .kind = FLOW_APP, .issuer = "http://127.0.0.1:9",
	    .client_id = "c", .redirect_uri = "https://example.test/cb" };
	struct flow_ui ui = { 0 };
	struct tok_record rec;
	struct cerr e;
	json_t *claims;

	CHECK(flow_run(&f, &ui, &rec, &claims, &e) == -1);
	CHECK(e.kind == CERR_ERROR && strstr(e.msg, "needs the client secret") != NULL);
	f.kind = FLOW_CODE;
	CHECK(flow_run(&f, &ui, &rec, &claims, &e) == -1);
	CHECK(strstr(e.msg, "the authorization code flow needs the client secret") != NULL);
	/* The implicit flow needs no secret, but a loopback redirect URI. */
	f.kind = FLOW_IMPLICIT;
	CHECK(flow_run(&f, &ui, &rec, &claims, &e) == -1);
	CHECK(strstr(e.msg, "on loopback only") != NULL);
	CHECK(claims == NULL);
	tok_record_clear(&rec);
}

void
suite_flow(void)
{
	RUN(flow_scopes_adds_openid_once);
	RUN(flows_say_what_they_lack_before_any_request);
}
