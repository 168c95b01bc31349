/*
 * The life of a request and the API its handler answers with (request.h),
 * for every daemon (daemon.h): twauth serve's listeners and the client's
 * redirect catcher alike.
 *
 *   req_uri_start()     MHD hands us the raw request target before parsing
 *                       it.  We allocate struct request here (it becomes
 *                       *req_cls) and keep the query string: MHD would
 *                       otherwise decode it for us, hiding repeats, NULs and
 *                       oversize values.
 *   req_on_request() #1 Headers are in.  Header-size checks, the site's
 *                       router, Content-Length; a request that fails one is
 *                       answered at once without reading its body.
 *   req_on_request() #n Body chunks, appended to a buffer capped at the
 *                       site's max_body.
 *   req_on_request() end Parameters parsed (query + body) if the route wants
 *                       them, handler called.
 *   req_on_completed()  The site's done hook (access log, metrics), request
 *                       freed.
 *
 * Traps: MHD calls req_on_completed for every request req_uri_start saw,
 * even ones the client abandoned, so it is the only place that frees.
 * Responses are always copied into MHD (MHD_RESPMEM_MUST_COPY/FREE), never
 * borrowed.
 */
#include "request.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../common/buf.h"
#include "../common/clock.h"
#include "../common/cookie.h"
#include "../common/form.h"
#include "../common/limits.h"
#include "../common/log.h"
#include "../common/multipart.h"
#include "../common/num.h"
#include "../common/params.h"
#include "../common/xmalloc.h"
#include "daemon_impl.h"
#include "framing.h"
#include "guard.h"
#include "forwarded.h"

enum req_state { REQ_NEW, REQ_BODY, REQ_PARKED, REQ_ANSWERED };

/* req->wake bits: who came first of req_park and req_wake (see req_park). */
#define WAKE_WOKEN	0x1
#define WAKE_PARKED	0x2

#define REQ_MAX_HEADERS	8	/* extra response headers a handler may add */

/* What every HTML page is served with: no framing, no scripts, no leaks. */
#define PAGE_CSP "default-src 'none'; style-src 'self'; img-src 'self' data:; " \
	"frame-ancestors 'none'; base-uri 'none'"

struct request {
	struct daemon		*d;
	const struct site	*site;		/* d's */
	struct MHD_Connection	*conn;
	const struct route	*route;
	enum req_state		 state;
	uint64_t		 start_us;
	unsigned		 status;	/* 0 until answered */
	char			 method[8];
	char			 path[128];	/* for the log: no query, truncated */
	char			*query;		/* raw, after '?'; NULL if none */
	int			 uri_too_long;
	int			 bad_target;	/* control characters (framing.c) */
	int			 close;		/* answer with Connection: close */
	int			 http11;	/* an HTTP/1.1 request: Host is required */
	int			 body_too_large;
	size_t			 discarded;	/* body bytes dropped past the cap */
	struct buf		 body;
	struct params		 params;
	char			*extra_name[REQ_MAX_HEADERS];	/* headers to add */
	char			*extra_value[REQ_MAX_HEADERS];
	size_t			 n_extra;
	char			 csrf[TW_ID_LEN + 1];	/* see req_csrf */
	char			 id[TW_MAX_REQUEST_ID + 1];	/* X-Request-Id, see request_id */
	char			 base_url[320];		/* see req_base_url */
	atomic_int		 wake;			/* WAKE_* */
	void			(*then)(struct request *, void *);	/* see req_park */
	void			*then_ctx;
};

/* ---- responses ---- */

static void
add_common_headers(struct request *req, struct MHD_Response *resp)
{
	if (req->id[0] != '\0')
		MHD_add_response_header(resp, "X-Request-Id", req->id);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "Pragma", "no-cache");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	/* Over https, browsers are told to come back over https only. */
	if (req_secure(req))
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (req->site->one_shot || req->close || atomic_load(&req->d->draining))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	else {
		/*
		 * Tell clients when an idle connection will be closed, so that
		 * they stop reusing it first instead of racing our close.
		 */
		char ka[32];

		snprintf(ka, sizeof(ka), "timeout=%u", req->site->idle_timeout);
		MHD_add_response_header(resp, "Keep-Alive", ka);
	}
}

/* Queues a response; takes ownership of data (malloc'd) when len > 0. */
static void
reply(struct request *req, unsigned status, const char *content_type, char *data,
    size_t len)
{
	struct MHD_Response *resp;

	if (req->state == REQ_ANSWERED) {
		free(data);
		return;
	}
	req->state = REQ_ANSWERED;
	req->status = status;
	resp = MHD_create_response_from_buffer(len, data,
	    len > 0 ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		free(data);
		log_error("http: cannot create response");
		return;
	}
	if (content_type != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	for (size_t i = 0; i < req->n_extra; i++)
		MHD_add_response_header(resp, req->extra_name[i], req->extra_value[i]);
	add_common_headers(req, resp);
	if (MHD_queue_response(req->conn, status, resp) != MHD_YES)
		log_error("http: cannot queue response %u", status);
	MHD_destroy_response(resp);
}

void
req_reply_json(struct request *req, unsigned status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);

	json_decref(body);
	if (text == NULL)
		fatal("out of memory encoding JSON");
	reply(req, status, "application/json", text, strlen(text));
}

void
req_reply_message(struct request *req, unsigned status, const char *message)
{
	req_reply_json(req, status, json_pack("{s:i, s:s}", "status", (int)status,
	    "message", message));
}

void
req_reply_error(struct request *req, enum idp_err err)
{
	const struct idp_err_info *info = idp_err_info(err);

	req_reply_message(req, (unsigned)info->status, info->message);
}

void
req_reply_empty(struct request *req, unsigned status)
{
	reply(req, status, NULL, NULL, 0);
}

void
req_add_header(struct request *req, const char *name, const char *value)
{
	if (req->n_extra == REQ_MAX_HEADERS)
		fatal("more than %d extra response headers", REQ_MAX_HEADERS);
	req->extra_name[req->n_extra] = xstrdup(name);
	req->extra_value[req->n_extra] = xstrdup(value);
	req->n_extra++;
}

void
req_reply_html(struct request *req, unsigned status, char *html, size_t len)
{
	req_add_header(req, "X-Frame-Options", "DENY");
	req_add_header(req, "Content-Security-Policy", PAGE_CSP);
	req_add_header(req, "Referrer-Policy", "no-referrer");
	reply(req, status, "text/html; charset=utf-8", html, len);
}

void
req_reply_redirect(struct request *req, unsigned status, const char *location)
{
	req_add_header(req, MHD_HTTP_HEADER_LOCATION, location);
	req_add_header(req, "Referrer-Policy", "no-referrer");
	reply(req, status, NULL, NULL, 0);
}

void
req_reply_owned(struct request *req, unsigned status, const char *content_type, char *data,
    size_t len)
{
	reply(req, status, content_type, data, len);
}

void
req_reply_static(struct request *req, const char *content_type, const char *data,
    size_t len)
{
	reply(req, 200, content_type, xmemdup0(data, len), len);
}

/*
 * Whichever of req_park and req_wake comes second resumes the connection,
 * so it is resumed exactly once and only after it was suspended; when the
 * wake came first the connection is not suspended at all.
 */
void
req_park(struct request *req, void (*then)(struct request *, void *), void *ctx)
{
	req->then = then;
	req->then_ctx = ctx;
	req->state = REQ_PARKED;
	if (atomic_load(&req->wake) & WAKE_WOKEN)
		return;		/* req_on_request calls then at once */
	MHD_suspend_connection(req->conn);
	if (atomic_fetch_or(&req->wake, WAKE_PARKED) & WAKE_WOKEN)
		MHD_resume_connection(req->conn);
}

void
req_wake(void *arg)
{
	struct request *req = arg;

	if (atomic_fetch_or(&req->wake, WAKE_WOKEN) & WAKE_PARKED)
		MHD_resume_connection(req->conn);
}

/* ---- request accessors ---- */

const char *
req_param(struct request *req, const char *name)
{
	return params_get(&req->params, name);
}

struct str
req_header(struct request *req, const char *name)
{
	const char *v = NULL;
	size_t len = 0;

	if (MHD_lookup_connection_value_n(req->conn, MHD_HEADER_KIND, name, strlen(name),
	    &v, &len) != MHD_YES || v == NULL)
		return str_make(NULL, 0);
	return str_make(v, len);
}

struct idp *
req_idp(struct request *req)
{
	return req->site->idp;
}

struct str
req_cookie(struct request *req, const char *name)
{
	struct str h = req_header(req, MHD_HTTP_HEADER_COOKIE);

	return h.p ? cookie_get(h, name) : h;
}

char *
req_csrf(struct request *req)
{
	return req->csrf;
}

int
req_secure(struct request *req)
{
	const char *u = req->site->public_url;

	if (u != NULL)
		return strncmp(u, "https://", 8) == 0;
	return req->site->tls_cert != NULL;
}

/* True if h (len bytes) can be a Host header: a name or address, a port. */
static int
host_ok(struct str h)
{
	if (h.p == NULL || h.len == 0 || h.len > TW_MAX_HOST)
		return 0;
	for (size_t i = 0; i < h.len; i++)
		if (!isalnum((unsigned char)h.p[i]) && strchr(".-:[]", h.p[i]) == NULL)
			return 0;
	return 1;
}

const char *
req_base_url(struct request *req)
{
	const char *pub = req->site->public_url;
	const char *scheme = req->site->tls_cert != NULL ? "https" : "http";
	struct str host;

	if (req->base_url[0] != '\0')
		return req->base_url;
	if (pub != NULL) {
		size_t len = strlen(pub);

		while (len > 0 && pub[len - 1] == '/')
			len--;
		snprintf(req->base_url, sizeof(req->base_url), "%.*s", (int)len, pub);
	} else if (host_ok(host = req_header(req, MHD_HTTP_HEADER_HOST)))
		snprintf(req->base_url, sizeof(req->base_url), "%s://%.*s", scheme,
		    (int)host.len, host.p);
	else
		snprintf(req->base_url, sizeof(req->base_url), "%s://%s", scheme,
		    req->d->bound);
	return req->base_url;
}

const char *
req_method(struct request *req)
{
	return req->method;
}

const char *
req_path(struct request *req)
{
	return req->path;
}

const char *
req_query(struct request *req)
{
	return req->query;
}

struct str
req_body(struct request *req)
{
	return str_make(req->body.data ? req->body.data : "", req->body.len);
}

const char *
req_id(struct request *req)
{
	return req->id[0] != '\0' ? req->id : NULL;
}

void *
req_ctx(struct request *req)
{
	return req->site->ctx;
}

/* The peer's address, or behind a trusted proxy what the proxies say. */
void
req_client_addr(struct request *req, char *out, size_t len)
{
	const struct site *site = req->site;
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	char peer[INET6_ADDRSTRLEN] = "-";

	snprintf(out, len, "-");
	ci = MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    peer, sizeof(peer));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    peer, sizeof(peer));
	forwarded_client(peer, site->n_trusted_proxies == 0 ? NULL :
	    MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-Forwarded-For"),
	    (const char *const *)site->trusted_proxies, site->n_trusted_proxies, out, len);
}

/* ---- request lifecycle ---- */

void *
req_uri_start(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct request *req = xcalloc(1, sizeof(*req));
	const char *q = strchr(uri, '?');
	size_t path_len = q ? (size_t)(q - uri) : strlen(uri);

	req->d = cls;
	req->site = req->d->site;
	req->conn = conn;
	req->start_us = clock_mono_us();
	buf_init(&req->body, req->site->max_body);
	params_init(&req->params);
	if (path_len >= sizeof(req->path))
		path_len = sizeof(req->path) - 1;
	memcpy(req->path, uri, path_len);
	req->path[path_len] = '\0';
	guard_head_begins(req->d->guard, daemon_conn(conn));
	if (strlen(uri) > TW_MAX_URI)
		req->uri_too_long = 1;
	else if (!framing_target_ok(uri))
		req->bad_target = 1;
	else if (q != NULL)
		req->query = xstrdup(q + 1);
	atomic_fetch_add(&req->d->in_flight, 1);
	return req;
}

void
req_on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct daemon *d = cls;
	struct request *req = *req_cls;

	(void)toe;
	guard_request_ends(d->guard, daemon_conn(conn));
	if (req == NULL)
		return;
	if (req->site->done != NULL)
		req->site->done(req, req->route, req->status, clock_mono_us() - req->start_us);
	free(req->query);
	for (size_t i = 0; i < req->n_extra; i++) {
		free(req->extra_name[i]);
		xfree_secret(req->extra_value[i], strlen(req->extra_value[i]));
	}
	buf_free_secret(&req->body);
	params_free(&req->params);
	free(req);
	*req_cls = NULL;
	atomic_fetch_sub(&d->in_flight, 1);
}

static enum MHD_Result
sum_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	size_t *total = cls;

	(void)kind;
	*total += strlen(key) + (value ? strlen(value) : 0);
	return MHD_YES;
}

/*
 * The request's id: the client's X-Request-Id when it is a plain token of
 * at most TW_MAX_REQUEST_ID characters (so one id follows a request through a
 * proxy), else ours: the server's random prefix and a counter, unique
 * without a system call per request.
 */
static void
request_id(struct request *req)
{
	struct daemon *d = req->d;
	struct str given = req_header(req, "X-Request-Id");
	size_t i;

	if (given.p != NULL && given.len > 0 && given.len <= TW_MAX_REQUEST_ID) {
		for (i = 0; i < given.len; i++)
			if (!isalnum((unsigned char)given.p[i]) && strchr("._-:", given.p[i]) == NULL)
				break;
		if (i == given.len) {
			memcpy(req->id, given.p, given.len);
			req->id[given.len] = '\0';
			return;
		}
	}
	snprintf(req->id, sizeof(req->id), "%s-%llx", d->id_prefix,
	    (unsigned long long)atomic_fetch_add(&d->next_id, 1));
}

static void
reply_too_large(struct request *req)
{
	char message[64];

	snprintf(message, sizeof(message), "request body too large (at most %zu bytes)",
	    req->site->max_body);
	req_reply_message(req, 413, message);
}

/*
 * Checks made once the headers are in; a request that fails one is
 * answered, which its state then says.
 */
static void
check_head(struct request *req, const char *method, const char *url)
{
	struct str cl;
	size_t header_bytes = 0;
	int64_t body_len;
	const char *problem;
	char message[96];

	guard_head_ends(req->d->guard, daemon_conn(req->conn));
	if (req->uri_too_long) {
		snprintf(message, sizeof(message), "request target too long (at most %d bytes)",
		    TW_MAX_URI);
		req_reply_message(req, 414, message);
		return;
	}
	/* Framed more than one way: 400, and no second request from these bytes. */
	if ((problem = req->bad_target ? "the request target has control characters" :
	    framing_head_problem(req->conn, req->http11)) != NULL) {
		req->close = 1;
		snprintf(message, sizeof(message), "bad request: %s", problem);
		req_reply_message(req, 400, message);
		return;
	}
	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, sum_header, &header_bytes);
	if (header_bytes > TW_MAX_HEADER_BYTES) {
		snprintf(message, sizeof(message), "request headers too large (at most %d bytes)",
		    TW_MAX_HEADER_BYTES);
		req_reply_message(req, 431, message);
		return;
	}
	if ((req->route = req->site->route(req, method, url)) == NULL)
		return;		/* answered by the site */
	/*
	 * libmicrohttpd has answered a malformed Content-Length itself, so a
	 * value that does not parse here is one too large to hold.
	 */
	cl = req_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl.p != NULL && num_parse_i64(cl.p, 0, (int64_t)req->site->max_body,
	    &body_len) == -1)
		reply_too_large(req);
}

/* Fills req->params from the query string and the body. */
static MUST_CHECK int
parse_params(struct request *req)
{
	enum params_err err = PARAMS_OK;
	struct str ct, boundary;
	char message[256];

	if (req->query != NULL)
		err = form_parse(&req->params, req->query, strlen(req->query));
	if (err == PARAMS_OK && req->body.len > 0) {
		ct = str_trim(req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE));
		if (ct.p == NULL || ct.len == 0 ||
		    str_prefix_nocase(ct, "application/x-www-form-urlencoded"))
			err = form_parse(&req->params, req->body.data, req->body.len);
		else if (multipart_boundary(ct, &boundary) == 0)
			err = multipart_parse(&req->params, boundary, req->body.data,
			    req->body.len);
		else if (str_prefix_nocase(ct, "multipart/"))
			err = PARAMS_BAD_MULTIPART;
		else {
			req_reply_message(req, 415, "unsupported Content-Type: send "
			    "application/x-www-form-urlencoded, multipart/form-data, "
			    "or parameters in the query string");
			return -1;
		}
	}
	if (err == PARAMS_OK)
		return 0;
	if (err == PARAMS_CONFLICT || err == PARAMS_NAME_TOO_LONG || err == PARAMS_VALUE_TOO_LONG)
		snprintf(message, sizeof(message), "%s: '%.64s'", params_strerror(err),
		    req->params.bad_name);
	else
		snprintf(message, sizeof(message), "%s", params_strerror(err));
	req_reply_message(req, 400, message);
	return -1;
}

static enum MHD_Result
must_be_answered(struct request *req)
{
	if (req->state != REQ_ANSWERED) {
		log_error("http: %s %s left unanswered", req->method, req->path);
		req_reply_error(req, IDP_ERR_UNAVAILABLE);
	}
	return MHD_YES;
}

static enum MHD_Result
step(struct request *req, const char *url, const char *method, const char *upload,
    size_t *upload_size)
{
	if (req->state == REQ_NEW) {
		snprintf(req->method, sizeof(req->method), "%s", method);
		req->state = REQ_BODY;
		check_head(req, method, url);
		return MHD_YES;
	}
	if (req->state == REQ_ANSWERED) {
		/* Answered early: discard whatever body still arrives. */
		*upload_size = 0;
		return MHD_YES;
	}
	if (req->state == REQ_PARKED) {
		/* Called again once resumed: req_wake has come. */
		req->then(req, req->then_ctx);
		return must_be_answered(req);
	}
	if (*upload_size > 0) {
		/*
		 * libmicrohttpd cannot queue a response while a body is still
		 * arriving, so an oversize body (chunked, without a truthful
		 * Content-Length) is discarded and answered when it ends, and a
		 * client that keeps sending far past the cap, or past the
		 * deadline, is disconnected.
		 */
		if (!req->body_too_large && buf_add(&req->body, upload, *upload_size) == -1)
			req->body_too_large = 1;
		if (req->body_too_large)
			req->discarded += *upload_size;
		*upload_size = 0;
		if (req->discarded > TW_BODY_DISCARD_FACTOR * req->site->max_body) {
			req->status = 413;
			return MHD_NO;
		}
		if (clock_mono_us() - req->start_us > req->site->body_timeout * 1000000ull) {
			req->status = 408;
			log_warn("http: %s %s: body not complete after %u s; closing",
			    req->method, req->path, req->site->body_timeout);
			return MHD_NO;
		}
		return MHD_YES;
	}
	if (req->body_too_large) {
		reply_too_large(req);
		return MHD_YES;
	}
	if ((req->route->flags & ROUTE_PARAMS) && parse_params(req) == -1)
		return MHD_YES;
	req->route->handle(req);
	if (req->state == REQ_PARKED) {
		if (atomic_load(&req->wake) & WAKE_PARKED)
			return MHD_YES;		/* suspended: MHD calls again */
		req->then(req, req->then_ctx);	/* woken before it was parked */
	}
	return must_be_answered(req);
}

/* Every call for a request: its id first, so that what it logs names it. */
enum MHD_Result
req_on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **req_cls)
{
	struct request *req = *req_cls;
	enum MHD_Result rc;

	(void)cls;
	(void)conn;
	if (req == NULL)
		return MHD_NO;
	if (req->state == REQ_NEW && strcmp(version, MHD_HTTP_VERSION_1_1) == 0)
		req->http11 = 1;
	if (req->id[0] == '\0')
		request_id(req);
	log_set_request(req->id);
	rc = step(req, url, method, upload, upload_size);
	log_set_request(NULL);
	return rc;
}
