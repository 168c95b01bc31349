/* Calls to an issuer's /oauth2 endpoints and their parsers; see oauth.h. */
#include "oauth.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/form.h"
#include "../common/jws.h"
#include "../common/limits.h"
#include "../common/params.h"
#include "../common/xmalloc.h"
#include "fetch.h"

#define FORM_MAX	16384	/* a request body we build */

static void
set_err(struct oauth_err *err, long status, const char *msg)
{
	err->status = status;
	snprintf(err->message, sizeof(err->message), "%s", msg);
}

/* A printable copy of a string from an issuer (no control bytes), or NULL. */
static char *
text_copy(json_t *v, size_t max)
{
	const char *s = json_string_value(v);
	size_t len = s ? json_string_length(v) : 0;

	if (s == NULL || len == 0 || len > max)
		return NULL;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return NULL;
	return xstrdup(s);
}

static json_t *
parse_object(const char *json, size_t len, struct oauth_err *err)
{
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);

	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		set_err(err, err->status, "the issuer's answer is not a JSON object");
		return NULL;
	}
	return root;
}

/* "scope" as Twitch's array or RFC 6749's string, into a space-separated list. */
static MUST_CHECK int
scope_list(json_t *v, char **out)
{
	struct buf b;
	size_t i;
	json_t *s;

	if (v == NULL || json_is_null(v)) {
		*out = xstrdup("");
		return 0;
	}
	if (json_is_string(v)) {
		*out = xstrdup(json_string_value(v));
		return 0;
	}
	if (!json_is_array(v))
		return -1;
	buf_init(&b, FORM_MAX);
	json_array_foreach(v, i, s) {
		if (!json_is_string(s) || (i > 0 && buf_add(&b, " ", 1) == -1) ||
		    buf_add_cstr(&b, json_string_value(s)) == -1) {
			buf_free(&b);
			return -1;
		}
	}
	*out = b.data ? b.data : xstrdup("");
	return 0;
}

/*
 * An optional string member: absent, null or "" leave *out NULL; anything
 * else must be usable text.  -1 when present but not usable.
 */
static MUST_CHECK int
optional_text(json_t *root, const char *name, size_t max, char **out)
{
	json_t *v = json_object_get(root, name);

	*out = NULL;
	if (v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
		return 0;
	return (*out = text_copy(v, max)) != NULL ? 0 : -1;
}

/* The issuer's answer as it came, NUL-terminated (malloc'd). */
static char *
answer_copy(const char *json, size_t len)
{
	char *s = xmalloc(len + 1);

	memcpy(s, json, len);
	s[len] = '\0';
	return s;
}

int
oauth_parse_tokens(const char *json, size_t len, struct oauth_tokens *out,
    struct oauth_err *err)
{
	json_t *root, *exp;
	const char *why = NULL;

	memset(out, 0, sizeof(*out));
	if ((root = parse_object(json, len, err)) == NULL)
		return -1;
	exp = json_object_get(root, "expires_in");
	out->access_token = text_copy(json_object_get(root, "access_token"),
	    TW_CLIENT_MAX_TOKEN);
	if (out->access_token == NULL)
		why = "the answer has no usable access_token";
	else if (!json_is_integer(exp) || json_integer_value(exp) < 0)
		why = "the answer has no expires_in";
	else if (optional_text(root, "refresh_token", TW_CLIENT_MAX_TOKEN,
	    &out->refresh_token) == -1)
		why = "the answer's refresh_token is not usable";
	else if (optional_text(root, "id_token", TW_MAX_JWS, &out->id_token) == -1)
		why = "the answer's id_token is not usable";
	else if (scope_list(json_object_get(root, "scope"), &out->scopes) == -1)
		why = "the answer's scope is neither a list nor a string";
	else {
		out->expires_in = json_integer_value(exp);
		out->answer = answer_copy(json, len);
	}
	json_decref(root);
	if (why == NULL)
		return 0;
	set_err(err, err->status, why);
	oauth_tokens_clear(out);
	return -1;
}

int
oauth_parse_device(const char *json, size_t len, struct oauth_device *out,
    struct oauth_err *err)
{
	json_t *root, *exp, *iv;

	memset(out, 0, sizeof(*out));
	if ((root = parse_object(json, len, err)) == NULL)
		return -1;
	out->device_code = text_copy(json_object_get(root, "device_code"),
	    TW_CLIENT_MAX_TOKEN);
	out->user_code = text_copy(json_object_get(root, "user_code"), 64);
	out->verification_uri = text_copy(json_object_get(root, "verification_uri"), 2048);
	exp = json_object_get(root, "expires_in");
	iv = json_object_get(root, "interval");
	if (out->device_code == NULL || out->user_code == NULL ||
	    out->verification_uri == NULL || !json_is_integer(exp) ||
	    json_integer_value(exp) <= 0 || (iv != NULL && !json_is_integer(iv))) {
		set_err(err, err->status, "the device authorization answer lacks "
		    "device_code, user_code, verification_uri or expires_in");
		json_decref(root);
		oauth_device_clear(out);
		return -1;
	}
	out->expires_in = json_integer_value(exp);
	/* RFC 8628 3.2: 5 seconds when absent; never hammer the issuer. */
	out->interval = iv ? json_integer_value(iv) : 5;
	if (out->interval < 1)
		out->interval = 1;
	if (out->interval > 3600)
		out->interval = 3600;
	json_decref(root);
	return 0;
}

int
oauth_parse_validation(const char *json, size_t len, struct oauth_validation *out,
    struct oauth_err *err)
{
	json_t *root, *exp, *login;

	memset(out, 0, sizeof(*out));
	if ((root = parse_object(json, len, err)) == NULL)
		return -1;
	out->client_id = text_copy(json_object_get(root, "client_id"), 256);
	login = json_object_get(root, "login");
	if (login != NULL && !json_is_null(login)) {
		out->login = text_copy(login, 64);
		out->user_id = text_copy(json_object_get(root, "user_id"), 64);
	}
	exp = json_object_get(root, "expires_in");
	if (out->client_id == NULL || !json_is_integer(exp) ||
	    (login != NULL && !json_is_null(login) &&
	    (out->login == NULL || out->user_id == NULL)) ||
	    scope_list(json_object_get(root, "scopes"), &out->scopes) == -1) {
		set_err(err, err->status, "the validation answer is not Twitch's shape");
		json_decref(root);
		oauth_validation_clear(out);
		return -1;
	}
	out->expires_in = json_integer_value(exp);
	out->answer = answer_copy(json, len);
	json_decref(root);
	return 0;
}

void
oauth_parse_error(long status, const char *json, size_t len, struct oauth_err *err)
{
	json_t *root = json_loadb(json, len, 0, NULL);
	const char *msg = NULL, *desc = NULL;

	err->status = status;
	if (json_is_object(root)) {
		msg = json_string_value(json_object_get(root, "message"));
		if (msg == NULL) {
			msg = json_string_value(json_object_get(root, "error"));
			desc = json_string_value(json_object_get(root, "error_description"));
		}
	}
	if (msg != NULL && desc != NULL)
		snprintf(err->message, sizeof(err->message), "%s: %s", msg, desc);
	else if (msg != NULL)
		snprintf(err->message, sizeof(err->message), "%s", msg);
	else
		snprintf(err->message, sizeof(err->message), "HTTP %ld with no error message",
		    status);
	/* Messages are shown on a terminal: no control bytes from the network. */
	for (char *p = err->message; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	json_decref(root);
}

void
oauth_tokens_clear(struct oauth_tokens *t)
{
	xfree_secret_str(t->access_token);
	xfree_secret_str(t->refresh_token);
	xfree_secret_str(t->id_token);
	xfree_secret_str(t->answer);
	free(t->scopes);
	memset(t, 0, sizeof(*t));
}

void
oauth_device_clear(struct oauth_device *d)
{
	xfree_secret_str(d->device_code);
	free(d->user_code);
	free(d->verification_uri);
	memset(d, 0, sizeof(*d));
}

void
oauth_validation_clear(struct oauth_validation *v)
{
	free(v->client_id);
	free(v->login);
	free(v->user_id);
	free(v->scopes);
	free(v->answer);
	memset(v, 0, sizeof(*v));
}

/* ---- calls ---- */

/*
 * POSTs the name/value pairs (NULL-terminated; a NULL or empty value is
 * left out) urlencoded to issuer + path.  OAUTH_OK for a 2xx answer, which
 * *reply holds; else REFUSED or NETWORK with err set.
 */
static MUST_CHECK enum oauth_rc
post_form(const char *issuer, const char *path, const char *const *pairs,
    struct fetch_reply *reply, struct oauth_err *err)
{
	struct fetch_call call = { .method = "POST" };
	char url[2300], why[512];
	struct buf body;
	enum oauth_rc rc = OAUTH_OK;

	buf_init(&body, FORM_MAX);
	for (size_t i = 0; pairs[i] != NULL; i += 2) {
		if (pairs[i + 1] == NULL || pairs[i + 1][0] == '\0')
			continue;
		if ((body.len > 0 && buf_add(&body, "&", 1) == -1) ||
		    buf_add_cstr(&body, pairs[i]) == -1 || buf_add(&body, "=", 1) == -1 ||
		    form_encode(&body, pairs[i + 1]) == -1) {
			buf_free_secret(&body);
			set_err(err, 0, "request too large");
			return OAUTH_NETWORK;
		}
	}
	snprintf(url, sizeof(url), "%s%s", issuer, path);
	call.url = url;
	call.body = body.data ? body.data : "";
	call.body_len = body.len;
	if (fetch(&call, reply, why, sizeof(why)) == -1) {
		set_err(err, 0, why);
		rc = OAUTH_NETWORK;
	} else if (reply->status < 200 || reply->status > 299) {
		oauth_parse_error(reply->status, reply->body.data, reply->body.len, err);
		err->retry_after = reply->retry_after > 0 ? reply->retry_after : 0;
		/* A 5xx is the issuer failing, not its verdict: no answer yet. */
		rc = reply->status >= 500 ? OAUTH_NETWORK : OAUTH_REFUSED;
	}
	buf_free_secret(&body);
	return rc;
}

/* POSTs to /oauth2/token and parses tokens out of a 200. */
static MUST_CHECK enum oauth_rc
token_call(const char *issuer, const char *const *pairs, struct oauth_tokens *out,
    struct oauth_err *err)
{
	struct fetch_reply reply;
	enum oauth_rc rc;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	rc = post_form(issuer, "/oauth2/token", pairs, &reply, err);
	if (rc == OAUTH_OK) {
		err->status = reply.status;
		if (oauth_parse_tokens(reply.body.data, reply.body.len, out, err) == -1)
			rc = OAUTH_NETWORK;
	}
	fetch_reply_free(&reply);
	return rc;
}

enum oauth_rc
oauth_client_credentials(const char *issuer, const char *client_id,
    const char *client_secret, const char *scopes, struct oauth_tokens *out,
    struct oauth_err *err)
{
	const char *pairs[] = { "client_id", client_id, "client_secret", client_secret,
	    "grant_type", "client_credentials", "scope", scopes, NULL };

	return token_call(issuer, pairs, out, err);
}

enum oauth_rc
oauth_exchange_code(const char *issuer, const char *client_id,
    const char *client_secret, const char *code, const char *redirect_uri,
    struct oauth_tokens *out, struct oauth_err *err)
{
	const char *pairs[] = { "client_id", client_id, "client_secret", client_secret,
	    "code", code, "grant_type", "authorization_code", "redirect_uri", redirect_uri,
	    NULL };

	return token_call(issuer, pairs, out, err);
}

/*
 * A refresh that got no verdict may still have been carried out, and a
 * public client's refresh token rotated, its replacement lost with the
 * answer.  Issuers that allow for that take the old token once more for a
 * while (twauth serve for 60 s), so the call is tried once again, a
 * moment later, before giving up; where that is not allowed the second
 * try is refused, and the token was lost either way.
 */
enum oauth_rc
oauth_refresh(const char *issuer, const char *client_id, const char *client_secret,
    const char *refresh_token, struct oauth_tokens *out, struct oauth_err *err)
{
	const char *pairs[] = { "client_id", client_id, "client_secret", client_secret,
	    "grant_type", "refresh_token", "refresh_token", refresh_token, NULL };
	struct timespec pause = { OAUTH_REFRESH_RETRY_PAUSE, 0 };
	enum oauth_rc rc = token_call(issuer, pairs, out, err);

	if (rc == OAUTH_NETWORK) {
		nanosleep(&pause, NULL);
		rc = token_call(issuer, pairs, out, err);
	}
	return rc;
}

enum oauth_rc
oauth_device_start(const char *issuer, const char *client_id, const char *scopes,
    struct oauth_device *out, struct oauth_err *err)
{
	const char *pairs[] = { "client_id", client_id, "scopes", scopes, NULL };
	struct fetch_reply reply;
	enum oauth_rc rc;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	rc = post_form(issuer, "/oauth2/device", pairs, &reply, err);
	if (rc == OAUTH_OK && oauth_parse_device(reply.body.data, reply.body.len, out,
	    err) == -1)
		rc = OAUTH_NETWORK;
	fetch_reply_free(&reply);
	return rc;
}

enum oauth_rc
oauth_device_poll(const char *issuer, const char *client_id, const char *client_secret,
    const char *device_code, const char *scopes, struct oauth_tokens *out,
    struct oauth_err *err)
{
	const char *pairs[] = { "client_id", client_id, "client_secret", client_secret,
	    "device_code", device_code, "grant_type",
	    "urn:ietf:params:oauth:grant-type:device_code", "scopes", scopes, NULL };
	static const struct { const char *word; enum oauth_rc rc; } poll_errors[] = {
		{ "authorization_pending", OAUTH_PENDING },
		{ "slow_down", OAUTH_SLOW_DOWN },
		{ "access_denied", OAUTH_DENIED },
		{ "expired_token", OAUTH_EXPIRED },
		{ "invalid device code", OAUTH_EXPIRED },
	};
	enum oauth_rc rc;

	rc = token_call(issuer, pairs, out, err);
	if (rc != OAUTH_REFUSED)
		return rc;
	/* Twitch says {"message":"authorization_pending"}, RFC 8628 {"error":...}. */
	for (size_t i = 0; i < sizeof(poll_errors) / sizeof(poll_errors[0]); i++)
		if (strncmp(err->message, poll_errors[i].word,
		    strlen(poll_errors[i].word)) == 0)
			return poll_errors[i].rc;
	return rc;
}

enum oauth_rc
oauth_validate(const char *issuer, const char *token, struct oauth_validation *out,
    struct oauth_err *err)
{
	struct fetch_call call = { .method = "GET" };
	struct fetch_reply reply;
	char url[2300], auth[TW_CLIENT_MAX_TOKEN + 8], why[512];
	enum oauth_rc rc = OAUTH_OK;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	snprintf(url, sizeof(url), "%s/oauth2/validate", issuer);
	snprintf(auth, sizeof(auth), "OAuth %s", token);
	call.url = url;
	call.authorization = auth;
	if (fetch(&call, &reply, why, sizeof(why)) == -1) {
		set_err(err, 0, why);
		rc = OAUTH_NETWORK;
	} else if (reply.status == 401) {
		oauth_parse_error(reply.status, reply.body.data, reply.body.len, err);
		rc = OAUTH_REFUSED;
	} else if (reply.status != 200) {
		/* Not the issuer's verdict on the token (a 5xx, a proxy): no answer. */
		oauth_parse_error(reply.status, reply.body.data, reply.body.len, err);
		rc = OAUTH_NETWORK;
	} else if (oauth_parse_validation(reply.body.data, reply.body.len, out, err) == -1)
		rc = OAUTH_NETWORK;
	explicit_bzero(auth, sizeof(auth));
	fetch_reply_free(&reply);
	return rc;
}

enum oauth_rc
oauth_revoke(const char *issuer, const char *client_id, const char *token,
    struct oauth_err *err)
{
	const char *pairs[] = { "client_id", client_id, "token", token, NULL };
	struct fetch_reply reply;
	enum oauth_rc rc;

	memset(err, 0, sizeof(*err));
	rc = post_form(issuer, "/oauth2/revoke", pairs, &reply, err);
	fetch_reply_free(&reply);
	return rc;
}

enum oauth_rc
oauth_get_json(const char *url, void **out, struct oauth_err *err)
{
	struct fetch_call call = { .method = "GET", .url = url };
	struct fetch_reply reply;
	char why[512];
	enum oauth_rc rc = OAUTH_NETWORK;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	if (fetch(&call, &reply, why, sizeof(why)) == -1)
		set_err(err, 0, why);
	else if (reply.status != 200)
		oauth_parse_error(reply.status, reply.body.data, reply.body.len, err);
	else if ((*out = parse_object(reply.body.data, reply.body.len, err)) != NULL)
		rc = OAUTH_OK;
	fetch_reply_free(&reply);
	return rc;
}

/* The error= of a redirect's Location into *out.  0 when it carries one. */
static int
redirect_error(const char *location, struct oauth_probe *out)
{
	const char *q = strchr(location, '?'), *error;
	struct params ps;
	int found = -1;

	if (q == NULL)
		return -1;
	params_init(&ps);
	if (form_parse(&ps, q + 1, strcspn(q + 1, "#")) == PARAMS_OK &&
	    (error = params_get(&ps, "error")) != NULL) {
		out->error = xstrdup(error);
		if (params_get(&ps, "error_description") != NULL)
			out->error_description = xstrdup(params_get(&ps, "error_description"));
		out->sent_to = xmemdup0(location, (size_t)(q - location));
		found = 0;
	}
	params_free(&ps);
	return found;
}

enum oauth_rc
oauth_authorize_probe(const char *authorize_url, struct oauth_probe *out,
    struct oauth_err *err)
{
	struct fetch_call call = { .method = "GET", .url = authorize_url };
	struct fetch_reply reply;
	char why[512];
	enum oauth_rc rc = OAUTH_OK;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (fetch(&call, &reply, why, sizeof(why)) == -1) {
		set_err(err, 0, why);
		rc = OAUTH_NETWORK;
	} else if (reply.status >= 300 && reply.status <= 399 && reply.location != NULL &&
	    redirect_error(reply.location, out) == 0) {
		err->status = reply.status;
		rc = OAUTH_REFUSED;
	} else if (reply.status >= 400) {
		oauth_parse_error(reply.status, reply.body.data, reply.body.len, err);
		rc = reply.status >= 500 ? OAUTH_NETWORK : OAUTH_REFUSED;
	}
	fetch_reply_free(&reply);
	return rc;
}

void
oauth_probe_clear(struct oauth_probe *p)
{
	free(p->error);
	free(p->error_description);
	free(p->sent_to);
	memset(p, 0, sizeof(*p));
}
