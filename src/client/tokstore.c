/* The token store and keeping its tokens fresh; see tokstore.h. */
#include "tokstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/limits.h"
#include "../common/scopes.h"
#include "../common/xmalloc.h"
#include "cfgdir.h"

int
tokstore_open(struct tokstore *ts, char *err, size_t err_len)
{
	json_t *list;

	ts->root = NULL;
	if ((ts->lock_fd = cfgdir_lock(err, err_len)) == -1)
		return -1;
	if (cfgdir_read(TOK_FILE, &ts->root, err, err_len) == -1) {
		cfgdir_unlock(ts->lock_fd);
		ts->lock_fd = -1;
		return -1;
	}
	list = json_object_get(ts->root, "tokens");
	if (list == NULL)
		json_object_set_new(ts->root, "tokens", json_array());
	else if (!json_is_array(list)) {
		snprintf(err, err_len, "%s: \"tokens\" is not a list", TOK_FILE);
		tokstore_close(ts);
		return -1;
	}
	return 0;
}

int
tokstore_save(struct tokstore *ts, char *err, size_t err_len)
{
	json_object_set_new(ts->root, "version", json_integer(1));
	return cfgdir_write(TOK_FILE, ts->root, err, err_len);
}

void
tokstore_close(struct tokstore *ts)
{
	json_decref(ts->root);
	ts->root = NULL;
	cfgdir_unlock(ts->lock_fd);
	ts->lock_fd = -1;
}

int
tokstore_keep(const struct tok_record *rec, char *err, size_t err_len)
{
	struct tokstore ts;
	int rc;

	if (tokstore_open(&ts, err, err_len) == -1)
		return -1;
	tokstore_put(&ts, rec);
	rc = tokstore_save(&ts, err, err_len);
	tokstore_close(&ts);
	return rc;
}

static json_t *
records(const struct tokstore *ts)
{
	return json_object_get(ts->root, "tokens");
}

size_t
tokstore_len(const struct tokstore *ts)
{
	return json_array_size(records(ts));
}

static char *
field(json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));

	return xstrdup(s ? s : "");
}

static int64_t
number(json_t *o, const char *name)
{
	return json_integer_value(json_object_get(o, name));
}

static char *
scopes_of(json_t *o)
{
	json_t *a = json_object_get(o, "scopes"), *v;
	struct buf b;
	size_t i;

	buf_init(&b, TW_CLIENT_MAX_FILE);
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			continue;
		if ((b.len > 0 && buf_add(&b, " ", 1) == -1) ||
		    buf_add_cstr(&b, json_string_value(v)) == -1)
			break;
	}
	return b.data ? b.data : xstrdup("");
}

void
tokstore_at(const struct tokstore *ts, size_t i, struct tok_record *out)
{
	json_t *o = json_array_get(records(ts), i);

	out->issuer = field(o, "issuer");
	out->client_id = field(o, "client_id");
	out->login = field(o, "login");
	out->user_id = field(o, "user_id");
	out->access_token = field(o, "access_token");
	out->refresh_token = field(o, "refresh_token");
	out->scopes = scopes_of(o);
	out->expires_at = number(o, "expires_at");
	out->obtained_at = number(o, "obtained_at");
	out->validated_at = number(o, "validated_at");
	out->dead_at = number(o, "dead_at");
}

static int
same_key(json_t *o, const char *issuer, const char *client_id, const char *login)
{
	const char *i = json_string_value(json_object_get(o, "issuer"));
	const char *c = json_string_value(json_object_get(o, "client_id"));
	const char *l = json_string_value(json_object_get(o, "login"));

	if (i == NULL || c == NULL || strcmp(i, issuer) != 0 || strcmp(c, client_id) != 0)
		return 0;
	if (login == NULL)
		return l != NULL && l[0] != '\0';
	return strcmp(l ? l : "", login) == 0;
}

enum tok_find
tokstore_find(const struct tokstore *ts, const char *issuer, const char *client_id,
    const char *login, struct tok_record *out, char *several, size_t several_len)
{
	size_t i, hits = 0, at = 0, used = 0;
	json_t *o;

	memset(out, 0, sizeof(*out));
	if (several_len > 0)
		several[0] = '\0';
	json_array_foreach(records(ts), i, o) {
		if (!same_key(o, issuer, client_id, login))
			continue;
		if (hits++ == 0)
			at = i;
		if (used < several_len) {
			int n = snprintf(several + used, several_len - used, "%s%s",
			    used ? ", " : "", json_string_value(json_object_get(o, "login")));
			used += n > 0 ? (size_t)n : 0;
		}
	}
	if (hits == 0)
		return TOK_NONE;
	if (hits > 1)
		return TOK_SEVERAL;
	tokstore_at(ts, at, out);
	return TOK_FOUND;
}

json_t *
tok_record_json(const struct tok_record *rec, int with_secrets)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:I}",
	    "issuer", rec->issuer, "client_id", rec->client_id, "login", rec->login,
	    "user_id", rec->user_id, "kind", rec->login[0] ? "user" : "app",
	    "scopes", scope_array(rec->scopes), "expires_at", (json_int_t)rec->expires_at,
	    "obtained_at", (json_int_t)rec->obtained_at,
	    "validated_at", (json_int_t)rec->validated_at);

	if (rec->dead_at != 0)
		json_object_set_new(o, "dead_at", json_integer(rec->dead_at));

	if (with_secrets) {
		json_object_set_new(o, "access_token", json_string(rec->access_token));
		json_object_set_new(o, "refresh_token", json_string(rec->refresh_token));
	}
	return o;
}

void
tokstore_put(struct tokstore *ts, const struct tok_record *rec)
{
	tokstore_remove(ts, rec->issuer, rec->client_id, rec->login);
	json_array_append_new(records(ts), tok_record_json(rec, 1));
}

void
tokstore_remove(struct tokstore *ts, const char *issuer, const char *client_id,
    const char *login)
{
	size_t i;
	json_t *o;

	json_array_foreach(records(ts), i, o) {
		if (same_key(o, issuer, client_id, login)) {
			json_array_remove(records(ts), i);
			return;
		}
	}
}

void
tok_record_clear(struct tok_record *rec)
{
	free(rec->issuer);
	free(rec->client_id);
	free(rec->login);
	free(rec->user_id);
	xfree_secret_str(rec->access_token);
	xfree_secret_str(rec->refresh_token);
	free(rec->scopes);
	memset(rec, 0, sizeof(*rec));
}

static void
replace(char **slot, const char *value, int secret)
{
	if (secret)
		xfree_secret_str(*slot);
	else
		free(*slot);
	*slot = xstrdup(value ? value : "");
}

void
tok_record_set_tokens(struct tok_record *rec, const struct oauth_tokens *t, int64_t now)
{
	replace(&rec->access_token, t->access_token, 1);
	/* RFC 6749 6: a refresh may or may not bring a new refresh token. */
	if (t->refresh_token != NULL)
		replace(&rec->refresh_token, t->refresh_token, 1);
	else if (rec->refresh_token == NULL)
		rec->refresh_token = xstrdup("");
	if (t->scopes != NULL && (t->scopes[0] != '\0' || rec->scopes == NULL))
		replace(&rec->scopes, t->scopes, 0);
	rec->expires_at = now + t->expires_in;
	rec->obtained_at = now;
	rec->dead_at = 0;
}

static MUST_CHECK enum oauth_rc
renew(struct tok_record *rec, struct tok_fresh *f, struct oauth_err *err)
{
	struct oauth_tokens t;
	enum oauth_rc rc;

	if (rec->login[0] == '\0') {
		if (f->client_secret == NULL) {
			snprintf(err->message, sizeof(err->message), "the app token has "
			    "expired and a new one needs the client secret "
			    "(--client-secret, $TWITCH_CLIENT_SECRET or 'twauth configure')");
			return OAUTH_REFUSED;
		}
		rc = oauth_client_credentials(rec->issuer, rec->client_id, f->client_secret,
		    rec->scopes, &t, err);
	} else if (rec->refresh_token[0] == '\0') {
		snprintf(err->message, sizeof(err->message), "the token of %s has expired "
		    "and has no refresh token (implicit flow)", rec->login);
		return OAUTH_REFUSED;
	} else
		rc = oauth_refresh(rec->issuer, rec->client_id, f->client_secret,
		    rec->refresh_token, &t, err);
	/* Twitch's word for a confidential app refreshing without its secret. */
	if (rc == OAUTH_REFUSED && f->client_secret == NULL &&
	    strcmp(err->message, "missing client secret") == 0)
		return OAUTH_NEEDS_SECRET;
	/* The issuer's verdict on a user's grant: dead.  An app token is just made anew. */
	if (rc == OAUTH_REFUSED && err->status != 0 && rec->login[0] != '\0')
		rec->dead_at = f->now;
	if (rc != OAUTH_OK)
		return rc;
	tok_record_set_tokens(rec, &t, f->now);
	rec->validated_at = f->now;	/* fresh from the issuer */
	f->refreshed = 1;
	oauth_tokens_clear(&t);
	return OAUTH_OK;
}

enum oauth_rc
tokstore_fresh(struct tok_record *rec, struct tok_fresh *f, struct oauth_err *err)
{
	struct oauth_validation v;
	enum oauth_rc rc;

	memset(err, 0, sizeof(*err));
	f->validated = f->refreshed = 0;
	if (f->force || rec->expires_at - TOK_REFRESH_MARGIN <= f->now)
		return renew(rec, f, err);
	if (rec->login[0] == '\0' || f->now - rec->validated_at < TOK_VALIDATE_EVERY)
		return OAUTH_OK;
	rc = oauth_validate(rec->issuer, rec->access_token, &v, err);
	f->validated = 1;
	if (rc == OAUTH_REFUSED)	/* revoked, or the password changed: try once */
		return renew(rec, f, err);
	if (rc == OAUTH_OK) {
		rec->validated_at = f->now;
		rec->expires_at = f->now + v.expires_in;
	}
	oauth_validation_clear(&v);
	return rc;
}
