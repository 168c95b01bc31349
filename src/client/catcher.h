/*
 * The redirect catcher of `twauth token --user` and `--implicit`: a tiny
 * HTTP server on the loopback address of the redirect URI
 * (http://localhost:3000 by default) that waits for the browser to come
 * back from the issuer with a code (or, for the implicit flow, a token in
 * the URL fragment, which only the page can read: it posts the fragment
 * back).  It binds loopback only, checks state, answers the browser with a
 * close-this-tab page and keeps the answer for the caller.  The listener
 * is src/http's (daemon.h); what it answers is decided here.
 */
#ifndef CLIENT_CATCHER_H
#define CLIENT_CATCHER_H

#include <stddef.h>

#include "../common/compiler.h"

struct catcher;

/* What came back to the redirect URI (fields NULL when absent). */
struct catcher_result {
	char	*code;
	char	*access_token;
	char	*id_token;
	char	*scope;
	char	*error;
	char	*error_description;
};

/*
 * Listens for redirect_uri (http, loopback host, explicit or default port)
 * expecting state.  implicit: the answer is in the fragment.  NULL with the
 * reason in err (not loopback, port in use).  Stop it with catcher_stop.
 */
struct catcher *catcher_start(const char *redirect_uri, const char *state, int implicit,
    char *err, size_t err_len) MUST_CHECK;
/*
 * Waits up to timeout seconds for the answer, and for the browser to have
 * its page: 0 with *out filled (the caller clears it), or -1 on timeout.
 */
int catcher_wait(struct catcher *c, int timeout, struct catcher_result *out) MUST_CHECK;
/* Stops listening and frees c.  NULL is a no-op. */
void catcher_stop(struct catcher *c);
/* Frees what r holds (wiping the code and tokens) and empties it. */
void catcher_result_clear(struct catcher_result *r);

#endif
