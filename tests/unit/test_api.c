/*
 * A Helix call (src/client/api.c) against a fake issuer and Helix on
 * loopback, served by src/http's daemon: the URL made (PATH spelled either
 * way, every query pair encoded), the headers Twitch wants, a body, the
 * refusals before any request, and a 401 answered by renewing the stored
 * app token once and asking again.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../src/client/api.h"
#include "../../src/common/clock.h"
#include "../../src/http/daemon.h"
#include "../../src/http/listen.h"
#include "../../src/http/request.h"
#include "t.h"

/* What the fake saw of the last Helix request, and how it answers. */
static struct {
	char	 method[16], path[128], query[512], auth[128], client_id[64], type[64];
	char	 body[256];
	int	 calls;		/* Helix requests */
	int	 tokens;	/* POST /oauth2/token */
	int	 deny;		/* 1: 401 to all but the renewed token; 2: to every token */
} seen;

static void
copy(char *out, size_t len, struct str v)
{
	snprintf(out, len, "%.*s", v.p ? (int)v.len : 0, v.p ? v.p : "");
}

static void
helix(struct request *req)
{
	const char *q = req_query(req);

	seen.calls++;
	snprintf(seen.method, sizeof(seen.method), "%s", req_method(req));
	snprintf(seen.path, sizeof(seen.path), "%s", req_path(req));
	snprintf(seen.query, sizeof(seen.query), "%s", q ? q : "");
	copy(seen.auth, sizeof(seen.auth), req_header(req, "Authorization"));
	copy(seen.client_id, sizeof(seen.client_id), req_header(req, "Client-Id"));
	copy(seen.type, sizeof(seen.type), req_header(req, "Content-Type"));
	copy(seen.body, sizeof(seen.body), req_body(req));
	if (seen.deny == 2 || (seen.deny == 1 && strcmp(seen.auth, "Bearer renewed") != 0))
		req_reply_message(req, 401, "Invalid OAuth token");
	else
		req_reply_json(req, 200, json_pack("{s:[]}", "data"));
}

/* The client credentials grant, as the app token's renewal asks it. */
static void
token(struct request *req)
{
	seen.tokens++;
	req_reply_json(req, 200, json_pack("{s:s, s:i, s:s}", "access_token", "renewed",
	    "expires_in", 3600, "token_type", "bearer"));
}

static const struct route route_helix = { NULL, NULL, 0, helix };
static const struct route route_token = { NULL, NULL, ROUTE_PARAMS, token };

static const struct route *
route(struct request *req, const char *method, const char *path)
{
	(void)req;
	(void)method;
	return strcmp(path, "/oauth2/token") == 0 ? &route_token : &route_helix;
}

static const struct site fake = {
	.route = route, .max_body = 4096, .body_timeout = 5, .idle_timeout = 5,
	.max_connections = 8, .threads = 1, .one_shot = 1,
};

/* The fake on a free loopback port, its base URL into base. */
static struct daemon *
fake_start(char *base, size_t len)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	char bound[LISTEN_BOUND_MAX];
	int fd;

	if ((fd = listen_addr("127.0.0.1", 0)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) == -1)
		return NULL;
	snprintf(bound, sizeof(bound), "127.0.0.1:%u", ntohs(sa.sin_port));
	snprintf(base, len, "http://127.0.0.1:%u", ntohs(sa.sin_port));
	return daemon_start(&fake, fd, bound);
}

/* A stored app token "stored" of app "app1" at issuer, good for an hour. */
static void
store_app_token(const char *issuer)
{
	struct tok_record r = {
		.issuer = (char *)issuer, .client_id = "app1", .login = "", .user_id = "",
		.access_token = "stored", .refresh_token = "", .scopes = "",
		.expires_at = clock_now() + 3600,
	};
	char err[256];

	setenv("XDG_CONFIG_HOME", t_tmpdir(), 1);
	CHECK(tokstore_keep(&r, err, sizeof(err)) == 0);
}

static void
retrying(void *ctx)
{
	(*(int *)ctx)++;
}

/* api_call of method path with the query pairs, as app1's app token. */
static int
call(const char *base, const char *method, const char *path, char *const *query, size_t n,
    const char *body, int *retried, struct fetch_reply *reply, struct cerr *err)
{
	struct api_call c = { method, path, query, n, body, body ? strlen(body) : 0, NULL, NULL };
	struct pick p = { base, "app1", "s3cret", NULL, 1, NULL, PICK_AUTO, FRESH_NONE };

	int deny = seen.deny;

	memset(&seen, 0, sizeof(seen));
	seen.deny = deny;
	return api_call(&c, base, &p, retrying, retried, reply, err);
}

static void
api_call_makes_the_helix_request(void)
{
	char *query[] = { "login=a b", "login=x&y=1", "id=" };
	struct fetch_reply reply;
	struct daemon *d;
	struct cerr e;
	char base[64];
	int retried = 0;

	if ((d = fake_start(base, sizeof(base))) == NULL) {
		CHECK(!"the fake Helix started");
		return;
	}
	store_app_token(base);
	seen.deny = 0;
	CHECK(call(base, "GET", "/helix/users", query, 3, NULL, &retried, &reply, &e) == 0);
	CHECK(reply.status == 200 && seen.calls == 1 && retried == 0);
	CHECK_STR(seen.method, "GET");
	CHECK_STR(seen.path, "/helix/users");
	CHECK_STR(seen.query, "login=a+b&login=x%26y%3D1&id=");
	CHECK_STR(seen.auth, "Bearer stored");
	CHECK_STR(seen.client_id, "app1");
	CHECK_STR(seen.type, "");
	fetch_reply_free(&reply);

	/* "users" is "/helix/users" too; a body goes as JSON. */
	CHECK(call(base, "POST", "users", NULL, 0, "{\"a\":1}", &retried, &reply, &e) == 0);
	CHECK_STR(seen.path, "/helix/users");
	CHECK_STR(seen.query, "");
	CHECK_STR(seen.type, "application/json");
	CHECK_STR(seen.body, "{\"a\":1}");
	fetch_reply_free(&reply);
	daemon_stop(d);
	unsetenv("XDG_CONFIG_HOME");
}

static void
api_call_refuses_before_asking(void)
{
	static const struct {
		const char	*path;
		char		*query;
		const char	*says;
	} cases[] = {
		{ "", NULL, "PATH is a Helix resource such as 'users'" },
		{ "/helix/", NULL, "PATH is a Helix resource such as 'users'" },
		{ "users?login=a", NULL, "give query parameters with -q" },
		{ "users#x", NULL, "give query parameters with -q" },
		{ "two words", NULL, "give query parameters with -q" },
		{ "users", "login", "-q takes NAME=VALUE, not 'login'" },
		{ "users", "=a", "-q takes NAME=VALUE, not '=a'" },
	};
	struct fetch_reply reply;
	struct cerr e;
	int retried = 0;

	/* Nobody listens at port 9: any request would fail otherwise. */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *q[] = { cases[i].query };

		CHECK(call("http://127.0.0.1:9", "GET", cases[i].path, q, cases[i].query != NULL,
		    NULL, &retried, &reply, &e) == -1);
		CHECK(e.kind == CERR_ERROR && strstr(e.msg, cases[i].says) != NULL);
		if (strstr(e.msg, cases[i].says) == NULL)
			printf("    wanted \"%s\", got \"%s\"\n", cases[i].says, e.msg);
		fetch_reply_free(&reply);
	}
}

static void
api_call_renews_the_token_once_on_a_401(void)
{
	struct fetch_reply reply;
	struct tok_record rec;
	struct daemon *d;
	struct cerr e;
	char base[64];
	struct pick p;
	int retried = 0;

	if ((d = fake_start(base, sizeof(base))) == NULL) {
		CHECK(!"the fake Helix started");
		return;
	}
	store_app_token(base);
	seen.deny = 1;
	CHECK(call(base, "GET", "users", NULL, 0, NULL, &retried, &reply, &e) == 0);
	CHECK(reply.status == 200 && retried == 1);
	CHECK(seen.calls == 2 && seen.tokens == 1);
	CHECK_STR(seen.auth, "Bearer renewed");
	fetch_reply_free(&reply);
	/* The renewed token was saved: the next call starts with it. */
	p = (struct pick){ base, "app1", NULL, NULL, 1, NULL, PICK_AUTO, FRESH_NONE };
	CHECK(pick_token(&p, &rec, &e) == 0);
	CHECK_STR(rec.access_token, "renewed");
	tok_record_clear(&rec);

	/* A second 401 is the answer: asked twice, renewed once. */
	retried = 0;
	seen.deny = 2;
	CHECK(call(base, "GET", "users", NULL, 0, NULL, &retried, &reply, &e) == 0);
	CHECK(reply.status == 401 && retried == 1 && seen.calls == 2 && seen.tokens == 1);
	fetch_reply_free(&reply);
	daemon_stop(d);

	/* Nobody answers now: a network error, no verdict. */
	CHECK(call(base, "GET", "users", NULL, 0, NULL, &retried, &reply, &e) == -1);
	CHECK(e.kind == CERR_ERROR);
	fetch_reply_free(&reply);
	unsetenv("XDG_CONFIG_HOME");
}

static void
api_knows_which_calls_take_an_app_token(void)
{
	static char *const by_login[] = { "login=twitchdev" }, *by_first[] = { "first=5" },
	    *by_id[] = { "first=5", "id=1" };
	static const struct { const char *method, *path; char *const *q; size_t n; int app; }
	    cases[] = {
		{ "GET", "users", by_login, 1, 1 },
		{ "GET", "/helix/users", by_id, 2, 1 },
		{ "get", "users", by_first, 1, 0 },	/* the token's own user */
		{ "GET", "users", NULL, 0, 0 },
		{ "GET", "channels", NULL, 0, 1 },
		{ "PATCH", "channels", NULL, 0, 0 },
		{ "POST", "eventsub/subscriptions", NULL, 0, 1 },
		{ "GET", "channels/followed", NULL, 0, 0 },
		{ "GET", "nosuch", NULL, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct api_call c = { .method = cases[i].method, .path = cases[i].path,
		    .query = cases[i].q, .n_query = cases[i].n };

		CHECK(api_takes_app_token(&c) == cases[i].app);
	}
}

void
suite_api(void)
{
	RUN(api_knows_which_calls_take_an_app_token);
	RUN(api_call_makes_the_helix_request);
	RUN(api_call_refuses_before_asking);
	RUN(api_call_renews_the_token_once_on_a_401);
}
