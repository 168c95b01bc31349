/*
 * The redirect catcher (src/client/catcher.c) over real loopback HTTP, as
 * the browser would reach it: only the answer with our state at the
 * redirect URI is kept, other paths are 404 but for Twitch's
 * redirect_mismatch report, the implicit flow's page posts the fragment
 * back, and the listener refuses what is not loopback or is taken.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../src/client/catcher.h"
#include "../../src/client/fetch.h"
#include "../../src/http/listen.h"
#include "t.h"

/* A port nobody listens on right now. */
static unsigned
free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	unsigned port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) == -1)
		return 0;
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* method url [body]: the status, with the page in page (len bytes). */
static long
call(const char *method, const char *url, const char *body, char *page, size_t len)
{
	struct fetch_call c = { .method = method, .url = url, .body = body,
	    .body_len = body ? strlen(body) : 0 };
	struct fetch_reply r;
	char err[256];
	long status = -1;

	page[0] = '\0';
	if (fetch(&c, &r, err, sizeof(err)) == 0) {
		status = r.status;
		snprintf(page, len, "%.*s", (int)r.body.len, r.body.data ? r.body.data : "");
	}
	fetch_reply_free(&r);
	return status;
}

/*
 * A catcher for http://host:PORT/path on a free port, expecting state; the
 * port into *port and its URI on 127.0.0.1 into uri.
 */
static struct catcher *
start(const char *host, const char *path, const char *state, int implicit, unsigned *port,
    char *uri, size_t len)
{
	char given[128], err[256];
	struct catcher *c;

	*port = free_port();
	snprintf(given, sizeof(given), "http://%s:%u%s", host, *port, path);
	snprintf(uri, len, "http://127.0.0.1:%u%s", *port, path);
	c = catcher_start(given, state, implicit, err, sizeof(err));
	CHECK(c != NULL);
	return c;
}

static void
catcher_keeps_only_our_answer(void)
{
	char uri[64], url[256], page[4096];
	struct catcher_result r;
	struct catcher *c;
	unsigned port;

	if ((c = start("127.0.0.1", "/cb", "st4te", 0, &port, uri, sizeof(uri))) == NULL)
		return;
	snprintf(url, sizeof(url), "%s?code=forged&state=other", uri);
	CHECK(call("GET", url, NULL, page, sizeof(page)) == 400);
	CHECK(strstr(page, "state parameter does not match") != NULL);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/favicon.ico", port);
	CHECK(call("GET", url, NULL, page, sizeof(page)) == 404);
	snprintf(url, sizeof(url), "%s?code=%%zz&state=st4te", uri);
	CHECK(call("GET", url, NULL, page, sizeof(page)) == 400);	/* malformed */
	CHECK(call("PUT", uri, NULL, page, sizeof(page)) == 405);
	CHECK(catcher_wait(c, 0, &r) == -1);				/* nothing yet */
	snprintf(url, sizeof(url), "%s?code=c0de&scope=chat%%3Aread+chat%%3Aedit&state=st4te",
	    uri);
	CHECK(call("GET", url, NULL, page, sizeof(page)) == 200);
	CHECK(strstr(page, "You can close this tab") != NULL);
	CHECK(strstr(page, "<script") == NULL);
	CHECK(catcher_wait(c, 5, &r) == 0);
	CHECK_STR(r.code, "c0de");
	CHECK_STR(r.scope, "chat:read chat:edit");
	CHECK(r.error == NULL && r.access_token == NULL);
	catcher_result_clear(&r);
	catcher_stop(c);
}

static void
catcher_implicit_page_posts_the_fragment(void)
{
	char uri[64], page[4096];
	struct catcher_result r;
	struct catcher *c;
	unsigned port;

	if ((c = start("localhost", "/", "s", 1, &port, uri, sizeof(uri))) == NULL)
		return;
	/* The fragment never reaches us: the page reads it and posts it. */
	CHECK(call("GET", uri, NULL, page, sizeof(page)) == 200);
	CHECK(strstr(page, "<script nonce=\"") != NULL);
	CHECK(call("POST", uri, "access_token=%zz", page, sizeof(page)) == 400);
	CHECK(strstr(page, "Bad answer") != NULL);
	CHECK(call("POST", uri, "access_token=t0ken&token_type=bearer&state=s", page,
	    sizeof(page)) == 200);
	CHECK(catcher_wait(c, 5, &r) == 0);
	CHECK_STR(r.access_token, "t0ken");
	CHECK(r.code == NULL);
	catcher_result_clear(&r);
	catcher_stop(c);
}

static void
catcher_takes_a_mismatch_report_anywhere(void)
{
	char uri[64], url[256], page[4096];
	struct catcher_result r;
	struct catcher *c;
	unsigned port;

	if ((c = start("127.0.0.1", "/elsewhere", "s", 0, &port, uri, sizeof(uri))) == NULL)
		return;
	/* Twitch sends it to the app's first registered URI, without our state. */
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/?error=redirect_mismatch", port);
	CHECK(call("GET", url, NULL, page, sizeof(page)) == 200);
	CHECK(strstr(page, "Authorization failed") != NULL);
	CHECK(catcher_wait(c, 5, &r) == 0);
	CHECK_STR(r.error, "redirect_mismatch");
	catcher_result_clear(&r);
	catcher_stop(c);
}

static void
catcher_failure_page_says_why(void)
{
	char uri[64], url[256], page[4096];
	struct catcher_result r;
	struct catcher *c;
	unsigned port;

	if ((c = start("127.0.0.1", "/cb", "st4te", 0, &port, uri, sizeof(uri))) == NULL)
		return;
	/* Without our state, a report's words are nobody's: not shown. */
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/?error=redirect_mismatch&"
	    "error_description=Call+this+number", port);
	CHECK(call("GET", url, NULL, page, sizeof(page)) == 200);
	CHECK(strstr(page, "Authorization failed") != NULL);
	CHECK(strstr(page, "Call this number") == NULL);
	CHECK(catcher_wait(c, 5, &r) == 0);
	catcher_result_clear(&r);
	catcher_stop(c);

	if ((c = start("127.0.0.1", "/cb", "st4te", 0, &port, uri, sizeof(uri))) == NULL)
		return;
	snprintf(url, sizeof(url), "%s?error=access_denied&error_description=No+%%3Cb%%3Eway"
	    "%%3C%%2Fb%%3E+%%26+%%22never%%22&state=st4te", uri);
	CHECK(call("GET", url, NULL, page, sizeof(page)) == 200);
	CHECK(strstr(page, "The issuer said no: No &lt;b&gt;way&lt;/b&gt; &amp; &quot;never&quot; "
	    "(access_denied).") != NULL);
	CHECK(strstr(page, "<b>") == NULL);
	CHECK(catcher_wait(c, 5, &r) == 0);
	CHECK_STR(r.error_description, "No <b>way</b> & \"never\"");
	catcher_result_clear(&r);
	catcher_stop(c);
}

static void
catcher_listens_on_free_loopback_only(void)
{
	unsigned port = free_port();
	char uri[64], err[256];
	struct catcher *c;
	int fd;

	CHECK(catcher_start("https://example.test/cb", "s", 0, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "loopback only") != NULL);
	CHECK(catcher_start("http://127.0.0.1:3000/cb?x=1", "s", 0, err, sizeof(err)) == NULL);
	CHECK((fd = listen_addr("127.0.0.1", port)) != -1);
	snprintf(uri, sizeof(uri), "http://localhost:%u", port);
	CHECK((c = catcher_start(uri, "s", 0, err, sizeof(err))) == NULL);
	CHECK(strstr(err, "is in use") != NULL);
	catcher_stop(c);
	close(fd);
	catcher_stop(NULL);
}

void
suite_catcher(void)
{
	fetch_init();
	RUN(catcher_keeps_only_our_answer);
	RUN(catcher_implicit_page_posts_the_fragment);
	RUN(catcher_takes_a_mismatch_report_anywhere);
	RUN(catcher_failure_page_says_why);
	RUN(catcher_listens_on_free_loopback_only);
	fetch_cleanup();
}
