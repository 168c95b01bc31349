/*
 * A call to the Helix API with a stored token, as twauth api makes it:
 * <api base>/helix/PATH with every query pair encoded, the token as
 * "Authorization: Bearer" and its client id as Client-Id, as Twitch wants.
 * Twitch may revoke or expire a token before its time, so a 401 is
 * answered once by refreshing the token (pick.h, FRESH_FORCE) and asking
 * again; a second 401 is the answer.
 */
#ifndef CLIENT_API_H
#define CLIENT_API_H

#include <stddef.h>

#include "../common/compiler.h"
#include "cerr.h"
#include "fetch.h"
#include "pick.h"

struct api_call {
	const char	 *method;	/* "GET", "POST", ... */
	const char	 *path;		/* a Helix resource: "users", "/helix/users" */
	char *const	 *query;	/* "NAME=VALUE" each; encoded here */
	size_t		  n_query;
	const char	 *body;		/* JSON, or NULL */
	size_t		  body_len;
	/* NULL, or each request's and answer's header lines (fetch.h). */
	void		(*trace)(void *ctx, char direction, const char *line, size_t len);
	void		 *trace_ctx;
};

/*
 * Whether Twitch's API reference says call takes an app access token
 * (Get Users only with id or login: without, it answers for the token's
 * user).  Which token a call gets follows from it (pick.h).
 */
int api_takes_app_token(const struct api_call *call);
/*
 * Makes call at api_base with the token p picks, kept fresh (FRESH_AUTO;
 * p's own fresh is not read).  On a 401, retrying(ctx) is called (NULL:
 * nothing to say), the token refreshed and the call made again.  Returns 0
 * with *reply, whatever its status, or -1 with err: PATH or a query pair
 * is not one (nothing was asked), no token could be had, or the network
 * failed.  Free *reply with fetch_reply_free either way.
 */
int api_call(const struct api_call *call, const char *api_base, const struct pick *p,
    void (*retrying)(void *ctx), void *ctx, struct fetch_reply *reply,
    struct cerr *err) MUST_CHECK;

/*
 * api_call, then again with after=<cursor> as long as the answer's
 * pagination has a cursor (Helix's way), at most TW_CLIENT_API_MAX_PAGES
 * pages: *reply is then one answer, the first page's with every page's
 * data in its "data" and no "pagination".  A page that is not a 2xx JSON
 * object with a "data" array is the answer as it came.  *pages says how
 * many were fetched; *more is 1 when the cap stopped it with a cursor left.
 */
int api_call_pages(const struct api_call *call, const char *api_base, const struct pick *p,
    void (*retrying)(void *ctx), void *ctx, struct fetch_reply *reply, size_t *pages,
    int *more, struct cerr *err) MUST_CHECK;

#endif
