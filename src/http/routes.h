/*
 * The routing table: every endpoint, its method and what it needs parsed.
 * One table, so the list of what the server answers is in one place.
 */
#ifndef HTTP_ROUTES_H
#define HTTP_ROUTES_H

#include "../common/scopes.h"
#include "../idp/audit.h"
#include "daemon.h"
#include "request.h"

/* ROUTE_PARAMS (daemon.h): parse OAuth parameters from the query and body. */
/* twitch mock-api's layout: answered only with --mock-api-compat. */
#define ROUTE_MOCK	0x2
/* Answered on the --metrics-listen listener, which answers nothing else. */
#define ROUTE_OPS	0x4
/* With --metrics-listen, answered there only: not on the public listener. */
#define ROUTE_METRICS	0x8

/* Which routes a listener has: those with every want flag and no hide flag. */
struct route_filter {
	unsigned	 want;
	unsigned	 hide;
};

/*
 * Finds the route for method and path among those f lets through.  Returns
 * it, or NULL and sets *path_known when the path exists under another
 * method (405, not 404).
 */
const struct route *routes_find(const struct route_filter *f, const char *method,
    const char *path, int *path_known);
/* "GET, HEAD" style Allow header value for path (static storage). */
const char *routes_allow(const struct route_filter *f, const char *path);
/* A route's place in the table (-1 for NULL), for the metrics' route label. */
int routes_index(const struct route *r);
/* Tells the metrics every route's path (once, at start). */
void routes_for_metrics(void);

/* A user id as Twitch writes it, a decimal string (token.c). */
json_t *user_id_json(int64_t id);
/*
 * Answers err in Twitch's format, naming the bad scopes for invalid_scope;
 * for an oauth2-profile app, with RFC 6749's error and error_description,
 * and when it authenticated with HTTP Basic (basic), an invalid_client is
 * 401 with WWW-Authenticate (RFC 6749 5.2).
 */
void reply_idp_error(struct request *req, enum idp_err err, const char *detail, int oauth2,
    int basic);

/* HTTP Basic client credentials, decoded (token.c); wipe with http_basic_clear. */
struct http_basic {
	int	decoded;	/* id and secret hold something: wipe them */
	char	id[TW_MAX_BASIC_AUTH];
	char	secret[TW_MAX_BASIC_AUTH];
};
/* How req's client authenticates; for IDP_AUTH_BASIC, b holds the credentials. */
enum idp_client_auth_way http_basic_read(struct request *req, struct http_basic *b);
void http_basic_clear(struct http_basic *b);
/*
 * The client's credentials of req (parameters, or Basic decoded into b),
 * and its address into addr, for idp_client_identify's endpoints.
 */
void http_client_creds(struct request *req, struct idp_client_creds *who,
    struct http_basic *b, char *addr, size_t addr_len);
/* reply_idp_error as shape says, with Retry-After when throttled. */
void http_shaped_error(struct request *req, enum idp_err err, const char *detail,
    const struct idp_answer_shape *shape);
/*
 * What a token endpoint was sent: every parameter a grant reads (any of
 * query string, urlencoded or multipart body), "scopes" for a missing
 * "scope", HTTP Basic credentials (into basic), and the client's address
 * into addr (token.c).  The strings are the request's, or basic's.
 */
void http_token_request(struct request *req, struct idp_token_request *tr, char *addr,
    size_t addr_len, struct http_basic *basic);
/* A token endpoint's answer: Twitch's success body, or err (token.c). */
void http_token_reply(struct request *req, enum idp_err err,
    const struct idp_token_response *resp);

/* The record of what apps do (record.c; src/idp/audit.h). */
/* Whether req came from a browser: Origin, or Sec-Fetch-Site. */
int http_from_browser(struct request *req);
/* Notes kind for client_id and user_id, the token by its id (NULL: none), detail. */
void http_note(struct request *req, enum audit_kind kind, const char *client_id,
    int64_t user_id, const char *token_id, const char *detail);
/* Notes a token carried in req's query string (access_token=, oauth_token=, token=). */
void http_note_url_token(struct request *req, const char *client_id, int64_t user_id);

/* Handlers, one file per endpoint group. */
void http_health(struct request *req);
void http_ready(struct request *req);
void http_metrics(struct request *req);
void http_token(struct request *req);
void http_validate(struct request *req);
void http_introspect(struct request *req);
void http_revoke(struct request *req);
void http_authorize(struct request *req);
void http_device(struct request *req);
void http_mock_authorize(struct request *req);
void http_discovery(struct request *req);
void http_jwks(struct request *req);
void http_userinfo(struct request *req);
/* helix.c */
void http_helix_users(struct request *req);
void http_helix_channels(struct request *req);
void http_helix_channels_patch(struct request *req);
/* "<public url>/oauth2", the OpenID Connect issuer (oidc.c). */
void http_issuer(struct request *req, char *out, size_t len);
void http_activate(struct request *req);
void http_login(struct request *req);
void http_logout(struct request *req);
void http_connections(struct request *req);
/* console.c: the developer console */
void http_console(struct request *req);
void http_console_new(struct request *req);
void http_console_app(struct request *req);
/* console_rules.c: an app's Twitch rules tab */
void http_console_rules(struct request *req);
void http_assets_css(struct request *req);

#endif
