/*
 * The client's one door to the network: the only file that includes
 * curl.h (fetch.c), and the only place a request leaves the client.
 * Every call has a connect and a total timeout and a cap on the answer's
 * size (TW_CLIENT_* of limits.h); redirects are not followed; TLS
 * certificates are always verified, against the system's CAs or the
 * bundle in $TWAUTH_CA_FILE.
 * Plain http:// is allowed only to loopback hosts (a local twauth serve), so
 * a token can never cross a network in clear by a typo.
 */
#ifndef CLIENT_FETCH_H
#define CLIENT_FETCH_H

#include <stddef.h>

#include "../common/buf.h"
#include "../common/compiler.h"

struct fetch_call {
	const char	*method;	/* "GET", "POST", ... */
	const char	*url;
	const char	*authorization;	/* whole header value, or NULL */
	const char	*client_id;	/* Client-Id header (Helix), or NULL */
	const char	*content_type;	/* of body, or NULL */
	const char	*body;		/* NULL: none */
	size_t		 body_len;
	/*
	 * NULL, or told each header line sent ('>') and received ('<'), and
	 * the status line, without its CRLF; an Authorization value reads
	 * "[redacted]".  Bodies are not traced.
	 */
	void		(*trace)(void *ctx, char direction, const char *line, size_t len);
	void		*trace_ctx;
};

struct fetch_reply {
	long		status;		/* HTTP status */
	struct buf	body;		/* capped at TW_CLIENT_MAX_ANSWER */
	long		retry_after;	/* Retry-After's seconds; -1 when none or a date */
	char		*location;	/* a redirect's Location, absolute; or NULL */
};

/* Once per process, before threads (curl_global_init). */
void fetch_init(void);
void fetch_cleanup(void);
/*
 * Performs call.  Returns 0 with *reply filled (any status), or -1 with a
 * one-line reason in err (no such host, refused, timeout, bad certificate,
 * answer too large, plain http to a non-loopback host).  Free the reply
 * with fetch_reply_free either way.
 */
int fetch(const struct fetch_call *call, struct fetch_reply *reply,
    char *err, size_t err_len) MUST_CHECK;
void fetch_reply_free(struct fetch_reply *reply);
/* 0 if url is https://, or http:// to a loopback host; else -1. */
int fetch_url_allowed(const char *url) MUST_CHECK;

#endif
