/* The loopback redirect catcher; see catcher.h. */
#include "catcher.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../common/form.h"
#include "../common/params.h"
#include "../common/rand.h"
#include "../common/url.h"
#include "../common/xmalloc.h"
#include "html.h"

#define CATCHER_MAX_BODY	16384	/* the implicit page posts a fragment */
#define CATCHER_NONCE_LEN	22

struct catcher {
	struct MHD_Daemon	*d[2];		/* IPv4 and, for localhost, IPv6 */
	char			*path;		/* of the redirect URI */
	char			*state;
	int			 implicit;
	char			 nonce[CATCHER_NONCE_LEN + 1];	/* the page's script */
	pthread_mutex_t		 lock;
	pthread_cond_t		 done;
	int			 stored;	/* result holds the answer */
	int			 got;		/* ... and the browser has its page */
	struct catcher_result	 result;
};

/* What one request collects before it is answered. */
struct pending {
	struct buf	body;
	int		too_big;
	int		answered;	/* this request carried the answer */
};

static const char *
get(const struct params *ps, const char *name)
{
	return params_get(ps, name);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static enum MHD_Result
reply(struct MHD_Connection *conn, unsigned status, struct catcher *c, const char *title,
    const char *message, int script)
{
	struct MHD_Response *resp;
	struct html h;
	char csp[200];
	size_t len;
	char *page;
	enum MHD_Result rc;

	buf_init(&h.b, 65536);
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
	len = h.b.len;
	page = h.b.data;
	resp = MHD_create_response_from_buffer(len, page, MHD_RESPMEM_MUST_FREE);
	snprintf(csp, sizeof(csp), "default-src 'none'; style-src 'unsafe-inline'; "
	    "connect-src 'self'; script-src 'nonce-%s'", c->nonce);
	MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	/* A one-shot server: no connection may outlive it in a client's pool. */
	MHD_add_response_header(resp, "Connection", "close");
	/* The URL held the code: never send it on as a Referer. */
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	rc = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result
collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct params *ps = cls;

	(void)kind;
	if (value == NULL)
		value = "";
	return params_add(ps, key, strlen(key), value, strlen(value)) == PARAMS_OK ?
	    MHD_YES : MHD_NO;
}

/* Records the answer in ps and says so to the browser. */
static enum MHD_Result
answer(struct MHD_Connection *conn, struct catcher *c, struct pending *p,
    const struct params *ps)
{
	const char *state = get(ps, "state"), *error = get(ps, "error");
	int mismatch_report = error != NULL && strcmp(error, "redirect_mismatch") == 0;

	/*
	 * Anything may send a request to a local port; only the issuer's
	 * redirect carries our state.  A redirect_mismatch may come without
	 * it (the issuer never saw our redirect URI) and grants nothing.
	 */
	if (!mismatch_report && (state == NULL || strcmp(state, c->state) != 0))
		return reply(conn, 400, c, "This is not the answer twauth is waiting for",
		    "The state parameter does not match. Start again from the terminal.", 0);
	pthread_mutex_lock(&c->lock);
	if (!c->stored) {
		c->result.code = dup_or_null(get(ps, "code"));
		c->result.access_token = dup_or_null(get(ps, "access_token"));
		c->result.id_token = dup_or_null(get(ps, "id_token"));
		c->result.scope = dup_or_null(get(ps, "scope"));
		c->result.error = dup_or_null(error);
		c->result.error_description = dup_or_null(get(ps, "error_description"));
		c->stored = 1;
		p->answered = 1;	/* the waiter wakes once the page is sent */
	}
	pthread_mutex_unlock(&c->lock);
	if (error != NULL)
		return reply(conn, 200, c, "Authorization failed",
		    "The issuer said no; twauth shows the reason in your terminal.", 0);
	return reply(conn, 200, c, "twauth has your authorization",
	    "You can close this tab and return to your terminal.", 0);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **req_cls)
{
	struct catcher *c = cls;
	struct pending *p = *req_cls;
	struct params ps;
	enum MHD_Result rc;

	(void)version;
	if (p == NULL) {
		p = xcalloc(1, sizeof(*p));
		buf_init(&p->body, CATCHER_MAX_BODY);
		*req_cls = p;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (buf_add(&p->body, upload, *upload_size) == -1)
			p->too_big = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	params_init(&ps);
	if (strcmp(url, c->path) != 0) {
		/*
		 * Twitch reports an unregistered redirect URI by sending the
		 * browser to the app's first registered one, which may be
		 * another path on our port: take that report anywhere.
		 */
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &ps);
		if (get(&ps, "error") != NULL && strcmp(get(&ps, "error"),
		    "redirect_mismatch") == 0)
			rc = answer(conn, c, p, &ps);
		else
			rc = reply(conn, 404, c, "Not found", "twauth only waits at its "
			    "redirect URI.", 0);
	} else if (strcmp(method, "POST") == 0 && c->implicit) {
		if (p->too_big || form_parse(&ps, p->body.data ? p->body.data : "",
		    p->body.len) != PARAMS_OK)
			rc = reply(conn, 400, c, "Bad answer", "The page sent a malformed "
			    "fragment.", 0);
		else
			rc = answer(conn, c, p, &ps);
	} else if (strcmp(method, "GET") == 0) {
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &ps);
		/* An implicit answer's fragment needs the page; errors come in the query. */
		if (c->implicit && get(&ps, "error") == NULL)
			rc = reply(conn, 200, c, "Finishing sign-in...",
			    "twauth is reading the answer (this needs JavaScript).", 1);
		else
			rc = answer(conn, c, p, &ps);
	} else
		rc = reply(conn, 405, c, "Method not allowed", "", 0);
	params_free(&ps);
	return rc;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode code)
{
	struct catcher *c = cls;
	struct pending *p = *req_cls;

	(void)conn;
	(void)code;
	if (p != NULL && p->answered) {
		/* Now, not earlier: stopping the server must not cut the page off. */
		pthread_mutex_lock(&c->lock);
		c->got = 1;
		pthread_cond_broadcast(&c->done);
		pthread_mutex_unlock(&c->lock);
	}
	if (p != NULL) {
		buf_free_secret(&p->body);
		free(p);
		*req_cls = NULL;
	}
}

/* A listening socket on addr:port; -1 with errno. */
static int
listen_on(int family, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, saved;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		inet_pton(AF_INET, addr, &s4->sin_addr);
		len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		len = sizeof(*s6);
	}
	if ((fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 || listen(fd, 16) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static struct MHD_Daemon *
serve_on(struct catcher *c, int fd)
{
	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
	    on_request, c,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)16,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, c,
	    MHD_OPTION_END);
}

struct catcher *
catcher_start(const char *redirect_uri, const char *state, int implicit, char *err,
    size_t err_len)
{
	struct catcher *c;
	struct url u;
	char host[64];
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
	if (strcmp(host, "::1") == 0)
		fd = listen_on(AF_INET6, "::1", u.port);
	else
		fd = listen_on(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host,
		    u.port);
	if (fd == -1) {
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
		fd6 = listen_on(AF_INET6, "::1", u.port);

	c = xcalloc(1, sizeof(*c));
	c->path = u.path.len ? xmemdup0(u.path.p, u.path.len) : xstrdup("/");
	c->state = xstrdup(state);
	c->implicit = implicit;
	rand_alnum(c->nonce, CATCHER_NONCE_LEN);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	if ((c->d[0] = serve_on(c, fd)) == NULL) {
		close(fd);
		if (fd6 != -1)
			close(fd6);
		snprintf(err, err_len, "cannot start the redirect catcher on port %u", u.port);
		catcher_stop(c);
		return NULL;
	}
	if (fd6 != -1 && (c->d[1] = serve_on(c, fd6)) == NULL)
		close(fd6);
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
		if (c->d[i] != NULL)
			MHD_stop_daemon(c->d[i]);	/* closes its socket */
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
