/*
 * The Helix slice: GET /helix/users and GET /helix/channels, enough for a
 * token to be used ("what is my user id", "look up a channel id"), and
 * PATCH /helix/channels, a change an app can make and then see.  Helix
 * wants "Authorization: Bearer" and "Client-Id"; answers are {"data":[...]}
 * and errors carry "error" (the reason phrase) as api.twitch.tv's do.
 *
 * Helix repeats parameters (login=a&login=b), which the OAuth parameter
 * rules forbid, so these routes read the raw query string themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/auth_header.h"
#include "../common/form.h"
#include "../common/xmalloc.h"
#include "routes.h"

/* The repeated values of the two names a Helix lookup takes. */
struct helix_query {
	char	*a[TW_HELIX_MAX_IDS + 1];	/* the first name's values */
	size_t	 n_a;
	char	*b[TW_HELIX_MAX_IDS + 1];	/* the second's */
	size_t	 n_b;
	int	 too_many;
};

static void
helix_query_free(struct helix_query *q)
{
	for (size_t i = 0; i < q->n_a; i++)
		free(q->a[i]);
	for (size_t i = 0; i < q->n_b; i++)
		free(q->b[i]);
}

/* Reads name_a and name_b (may be NULL) from query; -1 on a bad escape. */
static int
helix_query_parse(const char *query, const char *name_a, const char *name_b,
    struct helix_query *q)
{
	const char *p = query, *end, *eq;
	char name[TW_MAX_PARAM_NAME + 1], **list, *v;
	size_t *n = NULL;
	long len;

	memset(q, 0, sizeof(*q));
	while (p != NULL && *p != '\0') {
		end = strchr(p, '&');
		if (end == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq != NULL && (size_t)(eq - p) <= TW_MAX_PARAM_NAME &&
		    end - eq - 1 <= TW_MAX_PARAM_VALUE) {
			len = form_decode(p, (size_t)(eq - p), name, 1);
			if (len < 0)
				return -1;
			name[len] = '\0';
			list = NULL;
			if (strcmp(name, name_a) == 0) {
				list = q->a;
				n = &q->n_a;
			} else if (name_b != NULL && strcmp(name, name_b) == 0) {
				list = q->b;
				n = &q->n_b;
			}
			if (list != NULL && q->n_a + q->n_b >= TW_HELIX_MAX_IDS) {
				q->too_many = 1;
			} else if (list != NULL) {
				v = xmalloc((size_t)(end - eq));
				len = form_decode(eq + 1, (size_t)(end - eq - 1), v, 1);
				if (len < 0) {
					free(v);
					return -1;
				}
				v[len] = '\0';
				list[(*n)++] = v;
			}
		}
		p = *end ? end + 1 : NULL;
	}
	return 0;
}

static const char *
reason(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

static void
helix_error(struct request *req, enum idp_err err)
{
	const struct idp_err_info *e = idp_err_info(err);

	/* A 401 always challenges (RFC 9110 15.5.2); the error when it is the token's. */
	if (err == IDP_ERR_HELIX_NEED_SCOPE_BROADCAST)
		req_add_header(req, "WWW-Authenticate", "OAuth realm=\"TwitchTV\", "
		    "error=\"insufficient_scope\", scope=\"channel:manage:broadcast\"");
	else if (err == IDP_ERR_HELIX_NOT_BROADCASTER)
		req_add_header(req, "WWW-Authenticate", "OAuth realm=\"TwitchTV\"");
	else if (e->status == 401)
		req_add_header(req, "WWW-Authenticate", "OAuth realm=\"TwitchTV\", "
		    "error=\"invalid_token\"");
	req_reply_json(req, (unsigned)e->status, json_pack("{s:s, s:i, s:s}",
	    "error", reason(e->status), "status", e->status, "message", e->message));
}

/*
 * What the rules lab keeps of a Helix call (src/idp/audit.h): its method
 * and resource, whose token made it, or that the token was dead; an app
 * token or a token in the URL, and whether a browser sent it.
 */
static void
note_call(struct request *req, enum idp_err err, const char *cid,
    const struct idp_helix_caller *c, const struct str *token)
{
	const char *path = req_path(req);
	char what[TW_AUDIT_DETAIL_MAX + 1];

	if (idp_audit(req_idp(req)) == NULL)
		return;
	snprintf(what, sizeof(what), "%s %s", req_method(req),
	    strncmp(path, "/helix/", 7) == 0 ? path + 7 : path);
	if (err == IDP_ERR_HELIX_INVALID_TOKEN && token->p != NULL && cid != NULL)
		http_note(req, AUDIT_HELIX_DEAD, cid, 0, c->token_id, what);
	if (err != IDP_OK) {
		if (token->p == NULL)
			http_note_url_token(req, cid, 0);
		return;
	}
	http_note(req, AUDIT_HELIX, c->client_id, c->user_id, c->token_id, what);
	http_note_url_token(req, c->client_id, c->user_id);
	if (c->user_id == 0 && http_from_browser(req))
		http_note(req, AUDIT_APP_TOKEN_FROM_BROWSER, c->client_id, 0, c->token_id, what);
}

/* The caller, from Authorization: Bearer and Client-Id; replies if not. */
static int
helix_caller(struct request *req, struct idp_helix_caller *c)
{
	struct str token = { NULL, 0 }, client_id;
	char cid[TW_ID_LEN + 2];
	enum idp_err err;

	if (auth_header_parse(req_header(req, "Authorization"), &token) != AUTH_BEARER)
		token.p = NULL;
	client_id = req_header(req, "Client-Id");
	if (client_id.p != NULL && client_id.len < sizeof(cid)) {
		memcpy(cid, client_id.p, client_id.len);
		cid[client_id.len] = '\0';
	} else if (client_id.p != NULL)
		memcpy(cid, "?", 2);	/* too long to be anyone's */
	err = idp_helix_auth(req_idp(req), token.p, token.len,
	    client_id.p != NULL ? cid : NULL, c);
	note_call(req, err, client_id.p != NULL ? cid : NULL, c, &token);
	if (err != IDP_OK) {
		helix_error(req, err);
		return -1;
	}
	return 0;
}

static json_t *
iso_time(int64_t t)
{
	char out[32];
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(out);
}

static json_t *
helix_user_json(const struct idp_helix_user *hu)
{
	const struct store_user *u = &hu->user;
	json_t *o;

	o = json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o}",
	    "id", user_id_json(u->id), "login", u->login,
	    "display_name", u->display_name, "type", "", "broadcaster_type", "",
	    "description", "", "profile_image_url", u->profile_image_url,
	    "offline_image_url", "", "view_count", 0, "created_at", iso_time(u->created_at));
	if (hu->show_email)
		json_object_set_new(o, "email", json_string(u->email));
	return o;
}

static json_t *
helix_channel_json(const struct idp_helix_user *hu)
{
	const struct store_user *u = &hu->user;
	const struct store_channel *ch = &hu->channel;

	/* twauth keeps title, game and language; the rest are a new channel's. */
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:[], s:[], s:b}",
	    "broadcaster_id", user_id_json(u->id), "broadcaster_login", u->login,
	    "broadcaster_name", u->display_name, "broadcaster_language", ch->language,
	    "game_id", ch->game_id, "game_name", ch->game_name, "title", ch->title,
	    "delay", 0, "tags", "content_classification_labels", "is_branded_content", 0);
}

static void
bad_escape(struct request *req)
{
	req_reply_json(req, 400, json_pack("{s:s, s:i, s:s}", "error", "Bad Request",
	    "status", 400, "message", "malformed query string (bad %-escape)"));
}

/* Looks up and answers {"data":[...]} with each user made by to_json. */
static void
helix_lookup(struct request *req, const struct idp_helix_caller *c,
    const struct helix_query *q, int ids_are_b,
    json_t *(*to_json)(const struct idp_helix_user *))
{
	struct idp_helix_user *users;
	size_t n;
	enum idp_err err;
	json_t *data;

	if (ids_are_b)
		err = idp_helix_users(req_idp(req), c, q->b, q->n_b, q->a, q->n_a, &users, &n);
	else
		err = idp_helix_channels(req_idp(req), c, q->a, q->n_a, &users, &n);
	if (err != IDP_OK) {
		helix_error(req, err);
		return;
	}
	data = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(data, to_json(&users[i]));
	idp_helix_users_free(users, n);
	req_reply_json(req, 200, json_pack("{s:o}", "data", data));
}

static void
helix_endpoint(struct request *req, const char *name_a, const char *name_b)
{
	struct idp_helix_caller c;
	struct helix_query q;

	if (helix_caller(req, &c) == -1)
		return;
	if (helix_query_parse(req_query(req), name_a, name_b, &q) == -1)
		bad_escape(req);
	else if (q.too_many)
		helix_error(req, IDP_ERR_HELIX_TOO_MANY_IDS);
	else if (name_b != NULL)
		helix_lookup(req, &c, &q, 1, helix_user_json);
	else if (q.n_a == 0)
		helix_error(req, IDP_ERR_HELIX_NEED_BROADCASTER);
	else
		helix_lookup(req, &c, &q, 0, helix_channel_json);
	helix_query_free(&q);
	idp_helix_caller_clear(&c);
}

/* GET /helix/users[?login=..][&id=..]: without either, the token's user. */
void
http_helix_users(struct request *req)
{
	helix_endpoint(req, "login", "id");
}

/* GET /helix/channels?broadcaster_id=..: the channel of each user named. */
void
http_helix_channels(struct request *req)
{
	helix_endpoint(req, "broadcaster_id", NULL);
}

/* Content-Type: application/json, with parameters (charset) or not. */
static int
is_json(struct request *req)
{
	struct str ct = str_trim(req_header(req, "Content-Type"));
	const char *type = "application/json";
	size_t n = strlen(type);

	return ct.p != NULL && str_prefix_nocase(ct, type) &&
	    (ct.len == n || ct.p[n] == ';' || ct.p[n] == ' ' || ct.p[n] == '\t');
}

/* PATCH /helix/channels?broadcaster_id=..: the caller changes their channel. */
void
http_helix_channels_patch(struct request *req)
{
	struct idp_helix_caller c;
	struct helix_query q;
	struct str body;
	enum idp_err err;

	if (helix_caller(req, &c) == -1)
		return;
	if (helix_query_parse(req_query(req), "broadcaster_id", NULL, &q) == -1) {
		bad_escape(req);
	} else {
		body = req_body(req);
		err = idp_helix_channel_update(req_idp(req), &c, q.a, q.n_a, is_json(req), body.p,
		    body.len);
		if (err == IDP_OK)
			req_reply_empty(req, 204);
		else
			helix_error(req, err);
	}
	helix_query_free(&q);
	idp_helix_caller_clear(&c);
}
