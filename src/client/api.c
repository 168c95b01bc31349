/* A Helix call with a stored token, refreshed once on a 401; see api.h. */
#include "api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/buf.h"
#include "../common/form.h"
#include "../common/limits.h"
#include "../common/str.h"
#include "../common/xmalloc.h"

#define URL_MAX	16384	/* bytes of the URL made, its query encoded */

/*
 * The Helix calls Twitch's API reference lets an app access token make;
 * users only with one of the query parameters named.  Others need a user
 * token, or are not known here (a user token is the better guess there).
 */
static const struct app_call {
	const char	*method;
	const char	*path;
	const char	*needs;		/* "id login": one of these parameters; or NULL */
} app_calls[] = {
	{ "GET", "users", "id login" },
	{ "GET", "channels", NULL },
	{ "GET", "streams", NULL },
	{ "GET", "games", NULL },
	{ "GET", "games/top", NULL },
	{ "GET", "search/categories", NULL },
	{ "GET", "search/channels", NULL },
	{ "GET", "videos", NULL },
	{ "GET", "clips", NULL },
	{ "GET", "schedule", NULL },
	{ "GET", "teams", NULL },
	{ "GET", "teams/channel", NULL },
	{ "GET", "chat/badges", NULL },
	{ "GET", "chat/badges/global", NULL },
	{ "GET", "chat/emotes", NULL },
	{ "GET", "chat/emotes/global", NULL },
	{ "GET", "chat/emotes/set", NULL },
	{ "GET", "chat/color", NULL },
	{ "GET", "bits/cheermotes", NULL },
	{ "GET", "content_classification_labels", NULL },
	{ "GET", "eventsub/subscriptions", NULL },
	{ "POST", "eventsub/subscriptions", NULL },
	{ "DELETE", "eventsub/subscriptions", NULL },
};

/* PATH without its leading slashes and "helix/". */
static const char *
resource(const char *path)
{
	while (*path == '/')
		path++;
	return strncmp(path, "helix/", 6) == 0 ? path + 6 : path;
}

/* Whether a query pair of call names one of the words of names. */
static int
has_param(const struct api_call *call, const char *names)
{
	char name[32];

	for (size_t i = 0; i < call->n_query; i++) {
		size_t len = strcspn(call->query[i], "= ");

		if (len == 0 || len >= sizeof(name) || call->query[i][len] != '=')
			continue;
		memcpy(name, call->query[i], len);
		name[len] = '\0';
		if (words_within(name, names))
			return 1;
	}
	return 0;
}

int
api_takes_app_token(const struct api_call *call)
{
	const char *path = resource(call->path);

	for (size_t i = 0; i < sizeof(app_calls) / sizeof(app_calls[0]); i++)
		if (strcasecmp(call->method, app_calls[i].method) == 0 &&
		    strcmp(path, app_calls[i].path) == 0)
			return app_calls[i].needs == NULL || has_param(call, app_calls[i].needs);
	return 0;
}

/* <api base>/helix/PATH?NAME=VALUE&... into url.  0, or -1 with err. */
static MUST_CHECK int
api_url(const char *base, const struct api_call *call, struct buf *url, struct cerr *err)
{
	const char *path = resource(call->path), *q, *eq;
	char *name;
	int rc;

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
		.client_id = rec->client_id, .trace = call->trace, .trace_ctx = call->trace_ctx,
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

/* The cursor of a Helix page's pagination (in page), or NULL when it is the last. */
static const char *
next_cursor(json_t *page)
{
	const char *cursor = json_string_value(json_object_get(json_object_get(page,
	    "pagination"), "cursor"));

	return cursor != NULL && cursor[0] != '\0' ? cursor : NULL;
}

/* A Helix page of reply: a JSON object with a "data" array (json_decref it), or NULL. */
static json_t *
page_of(const struct fetch_reply *reply)
{
	json_t *j;

	if (reply->status < 200 || reply->status > 299)
		return NULL;
	j = json_loadb(reply->body.data ? reply->body.data : "", reply->body.len, 0, NULL);
	if (!json_is_object(j) || !json_is_array(json_object_get(j, "data"))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/*
 * call's query with after=cursor in place of any after= given, its length
 * in *n (free the array only).
 */
static char **
query_after(const struct api_call *call, char *after, size_t *n)
{
	char **q = xcalloc(call->n_query + 1, sizeof(*q));

	*n = 0;
	for (size_t i = 0; i < call->n_query; i++)
		if (strncmp(call->query[i], "after=", 6) != 0)
			q[(*n)++] = call->query[i];
	q[(*n)++] = after;
	return q;
}

int
api_call_pages(const struct api_call *call, const char *api_base, const struct pick *p,
    void (*retrying)(void *ctx), void *ctx, struct fetch_reply *reply, size_t *pages,
    int *more, struct cerr *err)
{
	struct api_call next = *call;
	struct fetch_reply page_reply;
	json_t *all, *page;
	char *after = NULL, **query = NULL, *text;
	const char *cursor;
	int rc = 0;

	*pages = 1;
	*more = 0;
	if (api_call(call, api_base, p, retrying, ctx, reply, err) == -1)
		return -1;
	if ((all = page_of(reply)) == NULL)
		return 0;
	page = json_incref(all);
	while ((cursor = next_cursor(page)) != NULL) {
		if (*pages == TW_CLIENT_API_MAX_PAGES) {
			*more = 1;
			break;
		}
		free(after);
		free(query);
		after = xmalloc(strlen(cursor) + 7);
		snprintf(after, strlen(cursor) + 7, "after=%s", cursor);
		next.query = query = query_after(call, after, &next.n_query);
		json_decref(page);
		page = NULL;
		if (api_call(&next, api_base, p, retrying, ctx, &page_reply, err) == -1) {
			fetch_reply_free(&page_reply);
			rc = -1;
			break;
		}
		(*pages)++;
		if ((page = page_of(&page_reply)) == NULL) {
			/* Not a page: that answer is the answer. */
			fetch_reply_free(reply);
			*reply = page_reply;
			break;
		}
		fetch_reply_free(&page_reply);
		json_array_extend(json_object_get(all, "data"), json_object_get(page, "data"));
	}
	if (rc == 0 && page != NULL) {
		json_object_del(all, "pagination");
		text = json_dumps(all, JSON_COMPACT);
		buf_free(&reply->body);
		buf_init(&reply->body, (size_t)TW_CLIENT_MAX_ANSWER * TW_CLIENT_API_MAX_PAGES);
		if (text == NULL || buf_add_cstr(&reply->body, text) == -1)
			rc = cerr_set(err, CERR_ERROR, "the pages together are too large");
		free(text);
	}
	json_decref(page);
	json_decref(all);
	free(after);
	free(query);
	return rc;
}
