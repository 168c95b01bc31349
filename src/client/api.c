/* A Helix call with a stored token, refreshed once on a 401; see api.h. */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/form.h"
#include "../common/limits.h"
#include "../common/xmalloc.h"

#define URL_MAX	16384	/* bytes of the URL made, its query encoded */

/* <api base>/helix/PATH?NAME=VALUE&... into url.  0, or -1 with err. */
static MUST_CHECK int
api_url(const char *base, const struct api_call *call, struct buf *url, struct cerr *err)
{
	const char *path = call->path, *q, *eq;
	char *name;
	int rc;

	while (*path == '/')
		path++;
	if (strncmp(path, "helix/", 6) == 0)
		path += 6;
	if (path[0] == '\0' || strpbrk(path, "?# ") != NULL)
		return cerr_set(err, CERR_ERROR, "PATH is a Helix resource such as 'users' or "
		    "'channels'; give query parameters with -q");
	if (buf_printf(url, "%s/helix/%s", base, path) == -1)
		return cerr_set(err, CERR_ERROR, "query too long");
	for (size_t i = 0; i < call->n_query; i++) {
		q = call->query[i];
		if ((eq = strchr(q, '=')) == NULL || eq == q)
			return cerr_set(err, CERR_ERROR, "-q takes NAME=VALUE, not '%s'", q);
		name = xmemdup0(q, (size_t)(eq - q));
		rc = buf_add(url, i ? "&" : "?", 1) == -1 || form_encode(url, name) == -1 ||
		    buf_add(url, "=", 1) == -1 || form_encode(url, eq + 1) == -1 ? -1 : 0;
		free(name);
		if (rc == -1)
			return cerr_set(err, CERR_ERROR, "query too long");
	}
	return 0;
}

/* One request with rec's token.  0 with *reply, or -1 with err. */
static MUST_CHECK int
call_once(const struct api_call *call, const char *url, const struct tok_record *rec,
    struct fetch_reply *reply, struct cerr *err)
{
	char auth[TW_CLIENT_MAX_TOKEN + 16], why[512];
	struct fetch_call c = {
		.method = call->method, .url = url, .authorization = auth,
		.client_id = rec->client_id,
	};
	int rc;

	snprintf(auth, sizeof(auth), "Bearer %s", rec->access_token);
	if (call->body != NULL) {
		c.body = call->body;
		c.body_len = call->body_len;
		c.content_type = "application/json";
	}
	rc = fetch(&c, reply, why, sizeof(why));
	explicit_bzero(auth, sizeof(auth));
	return rc == 0 ? 0 : cerr_set(err, CERR_ERROR, "%s", why);
}

int
api_call(const struct api_call *call, const char *api_base, const struct pick *p,
    void (*retrying)(void *ctx), void *ctx, struct fetch_reply *reply, struct cerr *err)
{
	struct pick fresh = *p;
	struct tok_record rec = { 0 };
	struct buf url;
	int rc = -1;

	memset(reply, 0, sizeof(*reply));
	buf_init(&url, URL_MAX);
	if (api_url(api_base, call, &url, err) == -1)
		goto out;
	for (int again = 0;; again = 1) {
		fresh.fresh = again ? FRESH_FORCE : FRESH_AUTO;
		if (pick_token(&fresh, &rec, err) == -1 ||
		    call_once(call, url.data, &rec, reply, err) == -1)
			goto out;
		tok_record_clear(&rec);
		if (reply->status != 401 || again)
			break;
		if (retrying != NULL)
			retrying(ctx);
		fetch_reply_free(reply);
	}
	rc = 0;
out:
	tok_record_clear(&rec);
	buf_free(&url);
	return rc;
}
