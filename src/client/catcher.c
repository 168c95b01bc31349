/*
 * The loopback redirect catcher; see catcher.h.  Two routes: the redirect
 * URI's path, where the answer comes (or, for the implicit flow, the page
 * that posts the fragment back), and any other path, where only Twitch's
 * report of an unregistered redirect URI is taken.  Every answer is a
 * small page of its own, whose script (implicit flow only) runs under a
 * nonce.  The first answer with our state is kept; the waiter is woken
 * once the browser has been sent its page, so stopping cannot cut it off.
 */
#include "catcher.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/form.h"
#include "../common/limits.h"
#include "../common/params.h"
#include "../common/rand.h"
#include "../common/url.h"
#include "../common/xmalloc.h"
#include "../http/daemon.h"
#include "../http/html.h"
#include "../http/listen.h"
#include "../http/request.h"

#define CATCHER_NONCE_LEN	22
#define CATCHER_PAGE_MAX	65536

struct catcher {
	struct site		 site;
	struct daemon		*d[2];		/* IPv4 and, for localhost, IPv6 */
	char			*path;		/* of the redirect URI */
	char			*state;
	int			 implicit;
	char			 nonce[CATCHER_NONCE_LEN + 1];	/* the page's script */
	pthread_mutex_t		 lock;
	pthread_cond_t		 done;
	int			 stored;	/* result holds the answer */
	struct request		*answered_by;	/* ... which came in this request */
	int			 got;		/* ... and the browser has its page */
	struct catcher_result	 result;
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
page(struct request *req, unsigned status, const char *title, const char *message,
    int script)
{
	struct catcher *c = req_ctx(req);
	struct html h;
	char csp[200];

	buf_init(&h.b, CATCHER_PAGE_MAX);
	html_raw(&h, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	    "<title>twauth</title><style>body{font:16px/1.5 system-ui,sans-serif;"
	    "max-width:32em;margin:4em auto;padding:0 1em;color:#222}h1{font-size:1.4em}"
	    "</style></head><body><h1 id=\"t\">");
	html_text(&h, title);
	html_raw(&h, "</h1><p id=\"m\">");
	html_text(&h, message);
	html_raw(&h, "</p>");
	if (script)
		/*
		 * The token is in the fragment, which never reaches a server:
		 * post it back, then drop it from the address bar and history.
		 */
		html_rawf(&h, "<script nonce=\"%s\">(function(){var f=location.hash.slice(1);"
		    "history.replaceState(null,'',location.pathname);"
		    "fetch(location.pathname,{method:'POST',headers:{'Content-Type':"
		    "'application/x-www-form-urlencoded'},body:f}).then(function(r){"
		    "return r.text()}).then(function(t){var d=new DOMParser()."
		    "parseFromString(t,'text/html');document.getElementById('t')."
		    "textContent=d.getElementById('t').textContent;document."
		    "getElementById('m').textContent=d.getElementById('m').textContent})"
		    "})()</script>", c->nonce);
	html_raw(&h, "</body></html>\n");
	snprintf(csp, sizeof(csp), "default-src 'none'; style-src 'unsafe-inline'; "
	    "connect-src 'self'; script-src 'nonce-%s'", c->nonce);
	req_add_header(req, "Content-Security-Policy", csp);
	/* The URL held the code: never send it on as a Referer. */
	req_add_header(req, "Referrer-Policy", "no-referrer");
	req_reply_owned(req, status, "text/html; charset=utf-8", h.b.data, h.b.len);
}

/*
 * The failure page's message, malloc'd: what the issuer said, its
 * error_description and error code, when the answer is ours (ours: it
 * carried our state; a mismatch report need not, and anything on this
 * machine could send one, so its words are not shown as the issuer's).
 */
static char *
failure_message(const char *error, const char *description, int ours)
{
	static const char tail[] = " twauth shows it in your terminal too.";
	size_t len;
	char *out;

	if (!ours || description == NULL || *description == '\0')
		return xstrdup("The issuer said no; twauth shows the reason in your terminal.");
	len = sizeof("The issuer said no: ") + strlen(description) + sizeof(" ().") +
	    strlen(error) + sizeof(tail);
	out = xmalloc(len);
	snprintf(out, len, "The issuer said no: %s (%s).%s", description, error, tail);
	return out;
}

static int
is_mismatch_report(const char *error)
{
	return error != NULL && strcmp(error, "redirect_mismatch") == 0;
}

/* Keeps the answer in ps, if it is ours, and says so to the browser. */
static void
answer(struct request *req, const struct params *ps)
{
	struct catcher *c = req_ctx(req);
	const char *state = params_get(ps, "state"), *error = params_get(ps, "error");

	/*
	 * Anything may send a request to a local port; only the issuer's
	 * redirect carries our state.  A redirect_mismatch may come without
	 * it (the issuer never saw our redirect URI) and grants nothing.
	 */
	if (!is_mismatch_report(error) && (state == NULL || strcmp(state, c->state) != 0)) {
		page(req, 400, "This is not the answer twauth is waiting for",
		    "The state parameter does not match. Start again from the terminal.", 0);
		return;
	}
	pthread_mutex_lock(&c->lock);
	if (!c->stored) {
		c->result.code = dup_or_null(params_get(ps, "code"));
		c->result.access_token = dup_or_null(params_get(ps, "access_token"));
		c->result.id_token = dup_or_null(params_get(ps, "id_token"));
		c->result.scope = dup_or_null(params_get(ps, "scope"));
		c->result.error = dup_or_null(error);
		c->result.error_description = dup_or_null(params_get(ps,
		    "error_description"));
		c->stored = 1;
		c->answered_by = req;	/* the waiter wakes once the page is sent */
	}
	pthread_mutex_unlock(&c->lock);
	if (error != NULL) {
		char *message = failure_message(error, params_get(ps, "error_description"),
		    state != NULL && strcmp(state, c->state) == 0);

		page(req, 200, "Authorization failed", message, 0);	/* page escapes it */
		free(message);
	} else
		page(req, 200, "twauth has your authorization",
		    "You can close this tab and return to your terminal.", 0);
}

/* The query string's parameters into ps: 0, or -1 if it is malformed. */
static MUST_CHECK int
query_params(struct request *req, struct params *ps)
{
	const char *q = req_query(req);

	return q == NULL || form_parse(ps, q, strlen(q)) == PARAMS_OK ? 0 : -1;
}

/* At the redirect URI: the issuer's answer, or the page that posts it. */
static void
at_redirect_uri(struct request *req)
{
	struct catcher *c = req_ctx(req);
	const char *method = req_method(req);
	struct str body;
	struct params ps;

	params_init(&ps);
	if (strcmp(method, "POST") == 0 && c->implicit) {
		body = req_body(req);
		if (form_parse(&ps, body.p, body.len) != PARAMS_OK)
			page(req, 400, "Bad answer", "The page sent a malformed fragment.", 0);
		else
			answer(req, &ps);
	} else if (strcmp(method, "GET") == 0) {
		if (query_params(req, &ps) == -1)
			page(req, 400, "Bad answer", "The address carries a malformed answer.",
			    0);
		/* An implicit answer's fragment needs the page; errors come in the query. */
		else if (c->implicit && params_get(&ps, "error") == NULL)
			page(req, 200, "Finishing sign-in...",
			    "twauth is reading the answer (this needs JavaScript).", 1);
		else
			answer(req, &ps);
	} else
		page(req, 405, "Method not allowed", "", 0);
	params_free(&ps);
}

/*
 * Twitch reports an unregistered redirect URI by sending the browser to
 * the app's first registered one, which may be another path on our port:
 * that report is taken anywhere, and nothing else is.
 */
static void
elsewhere(struct request *req)
{
	struct params ps;

	params_init(&ps);
	if (query_params(req, &ps) == 0 && is_mismatch_report(params_get(&ps, "error")))
		answer(req, &ps);
	else
		page(req, 404, "Not found", "twauth only waits at its redirect URI.", 0);
	params_free(&ps);
}

/* Any method: the handlers sort them out, with pages of their own. */
static const struct route route_redirect_uri = { NULL, NULL, 0, at_redirect_uri };
static const struct route route_elsewhere = { NULL, NULL, 0, elsewhere };

static const struct route *
route(struct request *req, const char *method, const char *path)
{
	const struct catcher *c = req_ctx(req);

	(void)method;
	return strcmp(path, c->path) == 0 ? &route_redirect_uri : &route_elsewhere;
}

/* Wakes the waiter now, not earlier: stopping must not cut the page off. */
static void
done(struct request *req, const struct route *r, unsigned status, uint64_t micros)
{
	struct catcher *c = req_ctx(req);

	(void)r;
	(void)status;
	(void)micros;
	pthread_mutex_lock(&c->lock);
	if (c->answered_by == req) {
		c->answered_by = NULL;
		c->got = 1;
		pthread_cond_broadcast(&c->done);
	}
	pthread_mutex_unlock(&c->lock);
}

/* Serves c on fd, bound to host:port. */
static struct daemon *
serve_on(struct catcher *c, int fd, const char *host, unsigned port)
{
	char bound[LISTEN_BOUND_MAX];

	snprintf(bound, sizeof(bound), strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, port);
	return daemon_start(&c->site, fd, bound);
}

struct catcher *
catcher_start(const char *redirect_uri, const char *state, int implicit, char *err,
    size_t err_len)
{
	struct catcher *c;
	struct url u;
	char host[64];
	const char *addr;
	int fd, fd6 = -1;

	if (url_parse(str_cstr(redirect_uri), &u) == -1 || !str_eq_cstr(u.scheme, "http") ||
	    !url_is_loopback(&u) || u.has_query || u.host.len >= sizeof(host)) {
		snprintf(err, err_len, "the redirect URI must be http://localhost:PORT/PATH "
		    "(or 127.0.0.1, [::1]) without a query: twauth listens there itself, "
		    "on loopback only");
		return NULL;
	}
	memcpy(host, u.host.p, u.host.len);
	host[u.host.len] = '\0';
	addr = strcmp(host, "localhost") == 0 ? "127.0.0.1" : host;
	if ((fd = listen_addr(addr, u.port)) == -1) {
		if (errno == EADDRINUSE)
			snprintf(err, err_len, "port %u on %s is in use (another twauth token, "
			    "or a dev server?); stop it, or pass --redirect-uri with another "
			    "port and register that URI with the app", u.port, host);
		else
			snprintf(err, err_len, "cannot listen on %s port %u: %s", host, u.port,
			    strerror(errno));
		return NULL;
	}
	/* Browsers may resolve localhost to ::1 first; listen there too if we can. */
	if (strcmp(host, "localhost") == 0)
		fd6 = listen_addr("::1", u.port);

	c = xcalloc(1, sizeof(*c));
	c->site = (struct site){
		.route = route, .done = done, .ctx = c, .max_body = TW_CATCHER_MAX_BODY,
		.body_timeout = TW_CATCHER_TIMEOUT, .idle_timeout = TW_CATCHER_TIMEOUT,
		.max_connections = TW_CATCHER_MAX_CONNECTIONS, .threads = 1,
		.header_timeout = TW_CATCHER_TIMEOUT,
		/* A one-shot server: no connection may outlive it in a client's pool. */
		.one_shot = 1,
	};
	c->path = u.path.len ? xmemdup0(u.path.p, u.path.len) : xstrdup("/");
	c->state = xstrdup(state);
	c->implicit = implicit;
	rand_alnum(c->nonce, CATCHER_NONCE_LEN);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	if ((c->d[0] = serve_on(c, fd, addr, u.port)) == NULL) {
		if (fd6 != -1)
			close(fd6);
		snprintf(err, err_len, "cannot start the redirect catcher on port %u", u.port);
		catcher_stop(c);
		return NULL;
	}
	if (fd6 != -1)
		c->d[1] = serve_on(c, fd6, "::1", u.port);	/* NULL: IPv4 will do */
	return c;
}

int
catcher_wait(struct catcher *c, int timeout, struct catcher_result *out)
{
	struct timespec until;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout;
	pthread_mutex_lock(&c->lock);
	while (!c->got)
		if (pthread_cond_timedwait(&c->done, &c->lock, &until) == ETIMEDOUT)
			break;
	if (c->got) {
		*out = c->result;
		memset(&c->result, 0, sizeof(c->result));
		ret = 0;
	}
	pthread_mutex_unlock(&c->lock);
	return ret;
}

void
catcher_stop(struct catcher *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < 2; i++)
		daemon_stop(c->d[i]);	/* closes its socket */
	catcher_result_clear(&c->result);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->done);
	free(c->path);
	free(c->state);
	free(c);
}

void
catcher_result_clear(struct catcher_result *r)
{
	xfree_secret_str(r->code);
	xfree_secret_str(r->access_token);
	xfree_secret_str(r->id_token);
	free(r->scope);
	free(r->error);
	free(r->error_description);
	memset(r, 0, sizeof(*r));
}
