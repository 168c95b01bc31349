/*
 * libmicrohttpd glue.
 *
 * Life of a request:
 *   uri_start()      MHD hands us the raw request target before parsing it.
 *                    We allocate struct request here (it becomes *req_cls)
 *                    and keep the query string: MHD would otherwise decode
 *                    it for us, hiding repeats, NULs and oversize values.
 *   on_request() #1  Headers are in.  Route, header-size and Content-Length
 *                    checks; a request that fails one is answered at once
 *                    without reading its body.
 *   on_request() #n  Body chunks, appended to a buffer capped at TW_MAX_BODY.
 *   on_request() end Parameters parsed (query + body), handler called.
 *   on_completed()   Access log line, request freed.
 *
 * Traps: MHD calls on_completed for every request uri_start saw, even ones
 * the client abandoned, so it is the only place that frees.  Responses are
 * always copied into MHD (MHD_RESPMEM_MUST_COPY/FREE), never borrowed.
 */
#include "server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/clock.h"
#include "../common/cookie.h"
#include "../common/form.h"
#include "../common/limits.h"
#include "../common/log.h"
#include "../common/metrics.h"
#include "../common/multipart.h"
#include "../common/num.h"
#include "../common/params.h"
#include "../common/rand.h"
#include "../common/xmalloc.h"
#include "forwarded.h"
#include "request.h"
#include "routes.h"

struct server {
	const struct server_config	*cfg;
	struct idp			*idp;
	char				 bound[300];	/* "HOST:PORT" listened on */
	atomic_int			 draining;
	atomic_long			 in_flight;
	char				 id_prefix[9];	/* of request ids, random */
	atomic_uint_fast64_t		 next_id;
	struct route_filter		 routes;	/* what this listener answers */
	int				 tls;		/* it speaks HTTPS */
};

enum req_state { REQ_NEW, REQ_BODY, REQ_PARKED, REQ_ANSWERED };

/* req->wake bits: who came first of req_park and req_wake (see req_park). */
#define WAKE_WOKEN	0x1
#define WAKE_PARKED	0x2

#define REQ_MAX_HEADERS	8	/* extra response headers a handler may add */

/* What every HTML page is served with: no framing, no scripts, no leaks. */
#define PAGE_CSP "default-src 'none'; style-src 'self'; img-src 'self' data:; " \
	"frame-ancestors 'none'; base-uri 'none'"

struct request {
	struct server		*srv;
	struct MHD_Connection	*conn;
	const struct route	*route;
	enum req_state		 state;
	uint64_t		 start_us;
	unsigned		 status;	/* 0 until answered */
	char			 method[8];
	char			 path[128];	/* for the log: no query, truncated */
	char			*query;		/* raw, after '?'; NULL if none */
	int			 uri_too_long;
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
	if (atomic_load(&req->srv->draining))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	else {
		/*
		 * Tell clients when an idle connection will be closed, so that
		 * they stop reusing it first instead of racing our close.
		 */
		char ka[32];

		snprintf(ka, sizeof(ka), "timeout=%u", req->srv->cfg->idle_timeout);
		MHD_add_response_header(resp, "Keep-Alive", ka);
	}
}

/* Queues a response; takes ownership of data (malloc'd) when len > 0. */
static void
reply(struct request *req, unsigned status, const char *content_type, char *data,
    size_t len, const char *allow)
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
	if (allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	add_common_headers(req, resp);
	if (MHD_queue_response(req->conn, status, resp) != MHD_YES)
		log_error("http: cannot queue response %u", status);
	MHD_destroy_response(resp);
}

static void
reply_json_allow(struct request *req, unsigned status, json_t *body, const char *allow)
{
	char *text = json_dumps(body, JSON_COMPACT);

	json_decref(body);
	if (text == NULL)
		fatal("out of memory encoding JSON");
	reply(req, status, "application/json", text, strlen(text), allow);
}

void
req_reply_json(struct request *req, unsigned status, json_t *body)
{
	reply_json_allow(req, status, body, NULL);
}

static json_t *
error_body(unsigned status, const char *message)
{
	return json_pack("{s:i, s:s}", "status", (int)status, "message", message);
}

void
req_reply_message(struct request *req, unsigned status, const char *message)
{
	req_reply_json(req, status, error_body(status, message));
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
	reply(req, status, NULL, NULL, 0, NULL);
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
	reply(req, status, "text/html; charset=utf-8", html, len, NULL);
}

void
req_reply_redirect(struct request *req, unsigned status, const char *location)
{
	req_add_header(req, MHD_HTTP_HEADER_LOCATION, location);
	req_add_header(req, "Referrer-Policy", "no-referrer");
	reply(req, status, NULL, NULL, 0, NULL);
}

void
req_reply_owned(struct request *req, unsigned status, const char *content_type, char *data,
    size_t len)
{
	reply(req, status, content_type, data, len, NULL);
}

void
req_reply_static(struct request *req, const char *content_type, const char *data,
    size_t len)
{
	reply(req, 200, content_type, xmemdup0(data, len), len, NULL);
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
		return;		/* on_request calls then at once */
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

static void client_addr(const struct server *srv, struct MHD_Connection *conn, char *out,
    size_t len);

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
	return req->srv->idp;
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
	const char *u = req->srv->cfg->public_url;

	if (u != NULL)
		return strncmp(u, "https://", 8) == 0;
	return req->srv->cfg->tls_cert != NULL;
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

static const char *
scheme(const struct server *srv)
{
	return srv->tls ? "https" : "http";
}

const char *
req_base_url(struct request *req)
{
	const char *pub = req->srv->cfg->public_url;
	struct str host;

	if (req->base_url[0] != '\0')
		return req->base_url;
	if (pub != NULL) {
		size_t len = strlen(pub);

		while (len > 0 && pub[len - 1] == '/')
			len--;
		snprintf(req->base_url, sizeof(req->base_url), "%.*s", (int)len, pub);
	} else if (host_ok(host = req_header(req, MHD_HTTP_HEADER_HOST)))
		snprintf(req->base_url, sizeof(req->base_url), "%s://%.*s", scheme(req->srv),
		    (int)host.len, host.p);
	else
		snprintf(req->base_url, sizeof(req->base_url), "%s://%s", scheme(req->srv),
		    req->srv->bound);
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

/* ---- request lifecycle ---- */

static void *
uri_start(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct request *req = xcalloc(1, sizeof(*req));
	const char *q = strchr(uri, '?');
	size_t path_len = q ? (size_t)(q - uri) : strlen(uri);

	req->srv = cls;
	req->conn = conn;
	req->start_us = clock_mono_us();
	buf_init(&req->body, TW_MAX_BODY);
	params_init(&req->params);
	if (path_len >= sizeof(req->path))
		path_len = sizeof(req->path) - 1;
	memcpy(req->path, uri, path_len);
	req->path[path_len] = '\0';
	if (strlen(uri) > TW_MAX_URI)
		req->uri_too_long = 1;
	else if (q != NULL)
		req->query = xstrdup(q + 1);
	atomic_fetch_add(&req->srv->in_flight, 1);
	return req;
}

void
req_client_addr(struct request *req, char *out, size_t len)
{
	client_addr(req->srv, req->conn, out, len);
}

/* The peer's address, or behind --trusted-proxy what the proxies say. */
static void
client_addr(const struct server *srv, struct MHD_Connection *conn, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	char peer[INET6_ADDRSTRLEN] = "-";

	snprintf(out, len, "-");
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    peer, sizeof(peer));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    peer, sizeof(peer));
	forwarded_client(peer, srv->cfg->n_trusted_proxies == 0 ? NULL :
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For"),
	    (const char *const *)srv->cfg->trusted_proxies, srv->cfg->n_trusted_proxies,
	    out, len);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	struct request *req = *req_cls;
	char addr[INET6_ADDRSTRLEN];
	uint64_t micros;

	(void)toe;
	if (req == NULL)
		return;
	client_addr(srv, conn, addr, sizeof(addr));
	micros = clock_mono_us() - req->start_us;
	log_access(addr, req->method[0] ? req->method : "-", req->path, req->status, micros,
	    req->id[0] ? req->id : NULL);
	metrics_request(routes_index(req->route), req->status, micros);
	free(req->query);
	for (size_t i = 0; i < req->n_extra; i++) {
		free(req->extra_name[i]);
		xfree_secret(req->extra_value[i], strlen(req->extra_value[i]));
	}
	buf_free_secret(&req->body);
	params_free(&req->params);
	free(req);
	*req_cls = NULL;
	atomic_fetch_sub(&srv->in_flight, 1);
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
	struct server *srv = req->srv;
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
	snprintf(req->id, sizeof(req->id), "%s-%llx", srv->id_prefix,
	    (unsigned long long)atomic_fetch_add(&srv->next_id, 1));
}

static void
reply_too_large(struct request *req)
{
	char message[64];

	snprintf(message, sizeof(message), "request body too large (at most %d bytes)",
	    TW_MAX_BODY);
	req_reply_message(req, 413, message);
}

/* Checks made once the headers are in.  Returns 0 or answers and -1. */
static int
check_head(struct request *req, const char *method, const char *url)
{
	struct str cl;
	size_t header_bytes = 0;
	int64_t body_len;
	int path_known;
	char message[64];

	if (req->uri_too_long) {
		snprintf(message, sizeof(message), "request target too long (at most %d bytes)",
		    TW_MAX_URI);
		req_reply_message(req, 414, message);
		return -1;
	}
	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, sum_header, &header_bytes);
	if (header_bytes > TW_MAX_HEADER_BYTES) {
		snprintf(message, sizeof(message), "request headers too large (at most %d bytes)",
		    TW_MAX_HEADER_BYTES);
		req_reply_message(req, 431, message);
		return -1;
	}
	req->route = routes_find(&req->srv->routes, method, url, &path_known);
	if (req->route != NULL && (req->route->flags & ROUTE_MOCK) &&
	    !req->srv->cfg->mock_api_compat) {
		req_reply_message(req, 404, "Not Found: this is a route of twitch mock-api's; "
		    "start twauth serve with --mock-api-compat to answer it");
		return -1;
	}
	if (req->route == NULL) {
		if (path_known) {
			reply_json_allow(req, 405, error_body(405, "method not allowed"),
			    routes_allow(&req->srv->routes, url));
			return -1;
		}
		req_reply_message(req, 404, "Not Found");
		return -1;
	}
	/*
	 * libmicrohttpd has answered a malformed Content-Length itself, so a
	 * value that does not parse here is one too large to hold.
	 */
	cl = req_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl.p != NULL && num_parse_i64(cl.p, 0, TW_MAX_BODY, &body_len) == -1) {
		reply_too_large(req);
		return -1;
	}
	return 0;
}

/* Fills req->params from the query string and the body. */
static int
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
		(void)check_head(req, method, url);
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
		if (req->discarded > TW_BODY_DISCARD_FACTOR * (size_t)TW_MAX_BODY) {
			req->status = 413;
			return MHD_NO;
		}
		if (clock_mono_us() - req->start_us > req->srv->cfg->body_timeout * 1000000ull) {
			req->status = 408;
			log_warn("http: %s %s: body not complete after %u s; closing",
			    req->method, req->path, req->srv->cfg->body_timeout);
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
static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **req_cls)
{
	struct request *req = *req_cls;
	enum MHD_Result rc;

	(void)cls;
	(void)conn;
	(void)version;
	if (req == NULL)
		return MHD_NO;
	if (req->id[0] == '\0')
		request_id(req);
	log_set_request(req->id);
	rc = step(req, url, method, upload, upload_size);
	log_set_request(NULL);
	return rc;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_warn("libmicrohttpd: %s", line);
}

/* ---- listening and running ---- */

void
server_config_defaults(struct server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->listen = "127.0.0.1:8080";
	cfg->idle_timeout = TW_IDLE_TIMEOUT;
	cfg->body_timeout = TW_REQUEST_DEADLINE;
	cfg->max_connections = TW_MAX_CONNECTIONS;
	cfg->access_log = 1;
}

/*
 * Splits "HOST:PORT" or "[V6]:PORT" into host and port.  An empty host
 * means every interface.  Returns 0 or -1.
 */
static int
split_listen(const char *spec, char *host, size_t host_len, char *port, size_t port_len)
{
	const char *colon;
	size_t hl;

	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');

		if (close == NULL || close[1] != ':')
			return -1;
		hl = (size_t)(close - spec - 1);
		colon = close + 1;
		spec++;
	} else {
		if ((colon = strrchr(spec, ':')) == NULL)
			return -1;
		hl = (size_t)(colon - spec);
	}
	if (hl >= host_len || strlen(colon + 1) == 0 || strlen(colon + 1) >= port_len)
		return -1;
	memcpy(host, spec, hl);
	host[hl] = '\0';
	snprintf(port, port_len, "%s", colon + 1);
	for (const char *p = port; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	return 0;
}

/* Listens on spec, the value of flag; returns the socket, or -1 logged. */
static int
open_listener(const char *flag, const char *spec, char *bound, size_t bound_len)
{
	char host[256], port[8], hbuf[NI_MAXHOST], pbuf[NI_MAXSERV];
	struct addrinfo hints, *res = NULL, *ai;
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	int fd = -1, one = 1, rc, err = 0;

	if (split_listen(spec, host, sizeof(host), port, sizeof(port)) == -1) {
		log_error("bad %s '%s': expected HOST:PORT, e.g. 127.0.0.1:8080", flag, spec);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res)) != 0) {
		log_error("cannot resolve listen address '%s': %s", spec, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			err = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1024) == 0)
			break;
		err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1) {
		if (err == EADDRINUSE)
			log_error("cannot listen on %s: %s (is another server running? pick "
			    "another port with %s)", spec, strerror(err), flag);
		else
			log_error("cannot listen on %s: %s", spec, strerror(err));
		return -1;
	}
	getsockname(fd, (struct sockaddr *)&ss, &sslen);
	getnameinfo((struct sockaddr *)&ss, sslen, hbuf, sizeof(hbuf), pbuf, sizeof(pbuf),
	    NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(bound, bound_len, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", hbuf, pbuf);
	return fd;
}

/*
 * Two per core: a request can block inside the database (SQLite's WAL
 * index mutex, a PostgreSQL round trip), and a second thread keeps the core
 * busy meanwhile.  Measured on 2 cores: validate +20% on SQLite, +40% on
 * PostgreSQL against one per core; more than two per core gained nothing.
 */
static unsigned
default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 2 : n > 32 ? 64 : 2 * (unsigned)n;
}

static void
stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
}

void
server_block_signals(void)
{
	sigset_t set;

	stop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void
drain(struct server *srv, struct MHD_Daemon *d)
{
	uint64_t deadline = clock_mono_us() + TW_SHUTDOWN_GRACE * 1000000ull;
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	MHD_socket fd;

	atomic_store(&srv->draining, 1);
	fd = MHD_quiesce_daemon(d);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	while (atomic_load(&srv->in_flight) > 0 && clock_mono_us() < deadline)
		nanosleep(&pause, NULL);
	if (atomic_load(&srv->in_flight) > 0)
		log_warn("shutdown: %ld request(s) still running after %d s; closing",
		    atomic_load(&srv->in_flight), TW_SHUTDOWN_GRACE);
}

/*
 * Starts libmicrohttpd on the listening socket fd for srv.  Returns the
 * daemon, or NULL with fd closed and the reason logged.
 */
static struct MHD_Daemon *
start_daemon(struct server *srv, int fd, unsigned threads)
{
	int tls = srv->tls;
	const struct server_config *cfg = srv->cfg;
	struct MHD_Daemon *d;

	rand_alnum(srv->id_prefix, sizeof(srv->id_prefix) - 1);
	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME |
	    MHD_USE_ERROR_LOG | (tls ? MHD_USE_TLS : 0),
	    0, NULL, NULL, on_request, srv,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, srv,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	    /* A pool of one is no pool, and libmicrohttpd says so in the log. */
	    MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout,
	    MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)TW_CONN_MEMORY,
	    MHD_OPTION_URI_LOG_CALLBACK, uri_start, srv,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	    /* Last, so that without TLS they end the list. */
	    tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cfg->tls_cert,
	    MHD_OPTION_HTTPS_MEM_KEY, cfg->tls_key,
	    MHD_OPTION_END);
	if (d == NULL) {
		log_error("cannot start the HTTP server on %s", srv->bound);
		close(fd);
	}
	return d;
}

int
server_check_listen(const char *spec)
{
	char host[256], port[8];

	return split_listen(spec, host, sizeof(host), port, sizeof(port));
}

int
server_run(const struct server_config *cfg, struct idp *idp)
{
	/*
	 * The public listener answers every route but, with --metrics-listen,
	 * /metrics, which moves to a listener of its own (plain HTTP, one
	 * thread) that answers only /metrics and /healthz.
	 */
	struct server srv = { .cfg = cfg, .idp = idp, .tls = cfg->tls_cert != NULL,
	    .routes = { 0, cfg->metrics_listen ? ROUTE_METRICS : 0 } };
	struct server ops = { .cfg = cfg, .idp = idp, .routes = { ROUTE_OPS, 0 } };
	struct MHD_Daemon *d = NULL, *ops_d = NULL;
	sigset_t set;
	unsigned threads = cfg->threads ? cfg->threads : default_threads();
	int fd, ops_fd, sig = 0, rc = -1;

	log_access_enable(cfg->access_log);
	routes_for_metrics();
	server_block_signals();	/* again, in case the caller did not */
	stop_signals(&set);
	if ((fd = open_listener("--listen", cfg->listen, srv.bound, sizeof(srv.bound))) == -1)
		return -1;
	if ((d = start_daemon(&srv, fd, threads)) == NULL)
		return -1;
	if (cfg->metrics_listen != NULL) {
		if ((ops_fd = open_listener("--metrics-listen", cfg->metrics_listen, ops.bound,
		    sizeof(ops.bound))) == -1 || (ops_d = start_daemon(&ops, ops_fd, 1)) == NULL)
			goto out;
	}
	printf("twauth: listening on %s://%s\n", scheme(&srv), srv.bound);
	if (ops_d != NULL)
		printf("twauth: metrics on http://%s/metrics\n", ops.bound);
	fflush(stdout);
	log_info("listening on %s://%s (%u threads, public URL %s)", scheme(&srv), srv.bound,
	    threads, cfg->public_url ? cfg->public_url : "derived from requests");
	if (ops_d != NULL)
		log_info("metrics on http://%s/metrics (not on the public listener)", ops.bound);
	while (sigwait(&set, &sig) != 0)
		;
	log_info("received %s: finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
	drain(&srv, d);
	if (ops_d != NULL)
		drain(&ops, ops_d);
	log_info("stopped");
	rc = 0;
out:
	if (ops_d != NULL)
		MHD_stop_daemon(ops_d);
	MHD_stop_daemon(d);
	return rc;
}
