/*
 * What an endpoint handler sees of a request, and how it answers.  Handlers
 * run once the whole request (headers and body) has arrived and passed the
 * transport limits of its site (daemon.h); they must answer exactly once
 * with one of the req_reply_* functions.  request.c walks every request
 * through that.  Nothing here exposes libmicrohttpd.
 */
#ifndef HTTP_REQUEST_H
#define HTTP_REQUEST_H

#include <jansson.h>

#include "../common/str.h"
#include "../idp/idp.h"

struct request;

/* The value of a request parameter (query + body), or NULL. */
const char *req_param(struct request *req, const char *name);
/* A header's value, or a view with p == NULL when absent. */
struct str req_header(struct request *req, const char *name);
struct idp *req_idp(struct request *req);

/* Answers with body as JSON; steals the reference to body. */
void req_reply_json(struct request *req, unsigned status, json_t *body);
/* Answers {"status":N,"message":"..."} for err, from the error table. */
void req_reply_error(struct request *req, enum idp_err err);
/* Answers {"status":N,"message":message} (transport-level errors). */
void req_reply_message(struct request *req, unsigned status, const char *message);
/* Answers with no body (Content-Length: 0). */
void req_reply_empty(struct request *req, unsigned status);
/*
 * Answers with an HTML page (takes html, malloc'd), adding the page
 * headers: X-Frame-Options, Content-Security-Policy, Referrer-Policy.
 */
void req_reply_html(struct request *req, unsigned status, char *html, size_t len);
/* Answers status (302 or 303) with Location: location and no body. */
void req_reply_redirect(struct request *req, unsigned status, const char *location);
/*
 * Parks the request until req_wake(req) is called, then calls then(req,
 * ctx) on a server thread, which must answer.  For work that another thread
 * finishes (the store's group commit): nothing waits meanwhile.  req_wake
 * may come first, even before req_park, from any thread; it must come
 * exactly once per request that parks.
 */
void req_park(struct request *req, void (*then)(struct request *, void *), void *ctx);
void req_wake(void *req);
/* Answers with data (malloc'd, taken over) of content_type. */
void req_reply_owned(struct request *req, unsigned status, const char *content_type,
    char *data, size_t len);
/* Answers with static bytes of ours (stylesheet). */
void req_reply_static(struct request *req, const char *content_type, const char *data,
    size_t len);
/* Adds a header to the coming answer (Set-Cookie, Retry-After); copied. */
void req_add_header(struct request *req, const char *name, const char *value);

/*
 * The CSRF token chosen for this answer's forms: TW_ID_LEN + 1 bytes, ""
 * until web_csrf_token sets it, so every form of one page repeats one token.
 */
char *req_csrf(struct request *req);
/* The value of a cookie, or a view with p == NULL. */
struct str req_cookie(struct request *req, const char *name);
/* The client's address as text ("127.0.0.1"), for throttling and logs. */
void req_client_addr(struct request *req, char *out, size_t len);
/*
 * The URL clients reach this server at, for links we hand out
 * (verification_uri): --public-url, else http:// and the Host the client
 * used, else the listen address.  No trailing slash.
 */
const char *req_base_url(struct request *req);
/* True when the public URL is https: cookies get Secure and __Host-. */
int req_secure(struct request *req);
const char *req_method(struct request *req);
/*
 * The request path as sent (at most 127 bytes kept, for logs and links
 * back to known routes), and the raw query string (NULL when none).
 */
const char *req_path(struct request *req);
const char *req_query(struct request *req);
/* The body as received (within the site's max_body); len 0 when none. */
struct str req_body(struct request *req);
/* The X-Request-Id the answer carries (the client's, or ours), or NULL. */
const char *req_id(struct request *req);
/* The ctx of the site serving the request (daemon.h). */
void *req_ctx(struct request *req);

#endif
