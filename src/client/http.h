/*
 * The client's one door to the network (the only file that sees libcurl).
 * Every call has a connect and a total timeout and a cap on the answer's
 * size; redirects are not followed; TLS certificates are always verified,
 * against the system's CAs or the bundle in $TWAUTH_CA_FILE.
 * Plain http:// is allowed only to loopback hosts (a local twauth serve), so
 * a token can never cross a network in clear by a typo.
 */
#ifndef CLIENT_HTTP_H
#define CLIENT_HTTP_H

#include <stddef.h>

#include "../common/buf.h"

#define CLIENT_CONNECT_TIMEOUT	10		/* seconds */
#define CLIENT_TOTAL_TIMEOUT	30		/* seconds, per request */
#define CLIENT_MAX_RESPONSE	(1024 * 1024)	/* bytes of body we read */

struct client_call {
	const char	*method;	/* "GET", "POST", ... */
	const char	*url;
	const char	*authorization;	/* whole header value, or NULL */
	const char	*client_id;	/* Client-Id header (Helix), or NULL */
	const char	*content_type;	/* of body, or NULL */
	const char	*body;		/* NULL: none */
	size_t		 body_len;
};

struct client_reply {
	long		status;		/* HTTP status */
	struct buf	body;		/* capped at CLIENT_MAX_RESPONSE */
};

/* Once per process, before threads (curl_global_init). */
void client_http_init(void);
void client_http_cleanup(void);
/*
 * Performs call.  Returns 0 with *reply filled (any status), or -1 with a
 * one-line reason in err (no such host, refused, timeout, bad certificate,
 * answer too large, plain http to a non-loopback host).  Free the reply
 * with client_reply_free either way.
 */
int client_http(const struct client_call *call, struct client_reply *reply,
    char *err, size_t err_len);
void client_reply_free(struct client_reply *reply);
/* 0 if url is https://, or http:// to a loopback host; else -1. */
int client_url_allowed(const char *url);

#endif
