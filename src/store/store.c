/*
 * Backend selection and forwarding; see store.h.  Also the helpers shared by
 * backends, so each backend file holds only what is specific to its database.
 */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/xmalloc.h"
#include "store_impl.h"

struct store {
	const struct store_ops	*ops;
	void			*impl;
};

struct store *
store_open(const char *spec, char *err, size_t err_len)
{
	const struct store_ops *ops = &store_sqlite_ops;
	struct store *st;
	void *impl;

	if (strncmp(spec, "postgres://", 11) == 0 || strncmp(spec, "postgresql://", 13) == 0) {
		snprintf(err, err_len, "PostgreSQL is not supported by this build yet; "
		    "use a file path for SQLite");
		return NULL;
	}
	if ((impl = ops->open(spec, err, err_len)) == NULL)
		return NULL;
	st = xcalloc(1, sizeof(*st));
	st->ops = ops;
	st->impl = impl;
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	st->ops->close(st->impl);
	free(st);
}

int
store_schema_version(struct store *st)
{
	return st->ops->schema_version(st->impl);
}

const char *
store_rc_name(enum store_rc rc)
{
	static const char *names[STORE__MAX] = {
		"ok", "not found", "conflict", "limit reached", "mismatch", "replay",
		"database error"
	};

	return (rc >= 0 && rc < STORE__MAX) ? names[rc] : "unknown";
}

void
store_app_clear(struct store_app *app)
{
	free(app->name);
	for (size_t i = 0; i < app->n_redirect_uris; i++)
		free(app->redirect_uris[i]);
	free(app->redirect_uris);
	memset(app, 0, sizeof(*app));
}

void
store_app_list_free(struct store_app *apps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_app_clear(&apps[i]);
	free(apps);
}

void
store_token_clear(struct store_token *tok)
{
	free(tok->scopes);
	free(tok->claims);
	memset(tok, 0, sizeof(*tok));
}

enum store_rc
store_app_insert(struct store *st, const struct store_app *app)
{
	return st->ops->app_insert(st->impl, app);
}

enum store_rc
store_app_get(struct store *st, const char *client_id, struct store_app *out)
{
	return st->ops->app_get(st->impl, client_id, out);
}

enum store_rc
store_app_list(struct store *st, struct store_app **out, size_t *n)
{
	return st->ops->app_list(st->impl, out, n);
}

enum store_rc
store_app_set_secret(struct store *st, const char *client_id, const uint8_t hash[HASH_LEN])
{
	return st->ops->app_set_secret(st->impl, client_id, hash);
}

enum store_rc
store_app_redirect_add(struct store *st, const char *client_id, const char *uri)
{
	return st->ops->app_redirect_add(st->impl, client_id, uri);
}

enum store_rc
store_app_redirect_remove(struct store *st, const char *client_id, const char *uri)
{
	return st->ops->app_redirect_remove(st->impl, client_id, uri);
}

enum store_rc
store_app_delete(struct store *st, const char *client_id)
{
	return st->ops->app_delete(st->impl, client_id);
}

enum store_rc
store_token_insert(struct store *st, const struct store_token *tok, const uint8_t *secret_hash)
{
	return st->ops->token_insert(st->impl, tok, secret_hash);
}

void
store_token_insert_queued(struct store *st, const struct store_token *tok,
    const uint8_t *secret_hash, store_done_fn done, void *arg)
{
	if (st->ops->token_insert_queued != NULL)
		st->ops->token_insert_queued(st->impl, tok, secret_hash, done, arg);
	else
		done(arg, st->ops->token_insert(st->impl, tok, secret_hash));
}

void
store_stats(struct store *st, struct store_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (st->ops->stats != NULL)
		st->ops->stats(st->impl, out);
}

enum store_rc
store_token_get(struct store *st, const uint8_t hash[HASH_LEN], struct store_token *out)
{
	return st->ops->token_get(st->impl, hash, out);
}

enum store_rc
store_token_revoke(struct store *st, const uint8_t hash[HASH_LEN], const char *client_id)
{
	return st->ops->token_revoke(st->impl, hash, client_id);
}

void
store_user_clear(struct store_user *u)
{
	free(u->display_name);
	free(u->email);
	free(u->profile_image_url);
	if (u->password_hash != NULL)
		xfree_secret(u->password_hash, strlen(u->password_hash));
	memset(u, 0, sizeof(*u));
}

void
store_user_list_free(struct store_user *users, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_user_clear(&users[i]);
	free(users);
}

void
store_code_clear(struct store_code *code)
{
	free(code->redirect_uri);
	free(code->scopes);
	free(code->nonce);
	free(code->claims);
	memset(code, 0, sizeof(*code));
}

void
store_grant_clear(struct store_grant *g)
{
	free(g->scopes);
	free(g->claims);
	memset(g, 0, sizeof(*g));
}

void
store_connections_free(struct store_connection *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].app_name);
		free(c[i].scopes);
	}
	free(c);
}

enum store_rc
store_user_insert(struct store *st, struct store_user *u)
{
	return st->ops->user_insert(st->impl, u);
}

enum store_rc
store_user_get_by_login(struct store *st, const char *login, struct store_user *out)
{
	return st->ops->user_get_by_login(st->impl, login, out);
}

enum store_rc
store_user_get(struct store *st, int64_t id, struct store_user *out)
{
	return st->ops->user_get(st->impl, id, out);
}

enum store_rc
store_user_list(struct store *st, struct store_user **out, size_t *n)
{
	return st->ops->user_list(st->impl, out, n);
}

enum store_rc
store_user_delete(struct store *st, int64_t id)
{
	return st->ops->user_delete(st->impl, id);
}

enum store_rc
store_user_set_password(struct store *st, int64_t id, const char *password_hash, int64_t now)
{
	return st->ops->user_set_password(st->impl, id, password_hash, now);
}

enum store_rc
store_session_insert(struct store *st, const uint8_t hash[HASH_LEN], int64_t user_id,
    int64_t created_at, int64_t expires_at)
{
	return st->ops->session_insert(st->impl, hash, user_id, created_at, expires_at);
}

enum store_rc
store_session_get(struct store *st, const uint8_t hash[HASH_LEN], int64_t now,
    struct store_user *out)
{
	return st->ops->session_get(st->impl, hash, now, out);
}

enum store_rc
store_session_delete(struct store *st, const uint8_t hash[HASH_LEN])
{
	return st->ops->session_delete(st->impl, hash);
}

enum store_rc
store_consent_get(struct store *st, int64_t user_id, const char *client_id,
    const char *scopes)
{
	return st->ops->consent_get(st->impl, user_id, client_id, scopes);
}

enum store_rc
store_consent_put(struct store *st, int64_t user_id, const char *client_id,
    const char *scopes, int64_t now)
{
	return st->ops->consent_put(st->impl, user_id, client_id, scopes, now);
}

enum store_rc
store_grant_issue(struct store *st, struct store_grant *grant, const struct store_issue *issue)
{
	return st->ops->grant_issue(st->impl, grant, issue);
}

enum store_rc
store_connections_list(struct store *st, int64_t user_id, struct store_connection **out,
    size_t *n)
{
	return st->ops->connections_list(st->impl, user_id, out, n);
}

enum store_rc
store_grants_delete(struct store *st, int64_t user_id, const char *client_id)
{
	return st->ops->grants_delete(st->impl, user_id, client_id);
}

enum store_rc
store_code_insert(struct store *st, const struct store_code *code)
{
	return st->ops->code_insert(st->impl, code);
}

enum store_rc
store_code_redeem(struct store *st, const uint8_t hash[HASH_LEN], const char *client_id,
    const char *redirect_uri, const struct store_issue *issue, struct store_code *out)
{
	return st->ops->code_redeem(st->impl, hash, client_id, redirect_uri, issue, out);
}

enum store_rc
store_refresh_use(struct store *st, const uint8_t hash[HASH_LEN], const char *client_id,
    const struct store_issue *issue, struct store_grant *grant)
{
	return st->ops->refresh_use(st->impl, hash, client_id, issue, grant);
}

enum store_rc
store_app_set_scope_string(struct store *st, const char *client_id, int on)
{
	return st->ops->app_set_scope_string(st->impl, client_id, on);
}

enum store_rc
store_key_add(struct store *st, const struct store_key *k, int rotate)
{
	return st->ops->key_add(st->impl, k, rotate);
}

enum store_rc
store_key_list(struct store *st, struct store_key **out, size_t *n)
{
	return st->ops->key_list(st->impl, out, n);
}

void
store_key_list_free(struct store_key *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(keys[i].public_der);
		if (keys[i].private_enc != NULL)
			xfree_secret(keys[i].private_enc, keys[i].private_len);
	}
	free(keys);
}

void
store_device_clear(struct store_device *d)
{
	free(d->scopes);
	free(d->app_name);
	memset(d, 0, sizeof(*d));
}

void
store_poll_result_clear(struct store_poll_result *r)
{
	free(r->scopes);
	memset(r, 0, sizeof(*r));
}

enum store_rc
store_device_insert(struct store *st, const struct store_device *d)
{
	return st->ops->device_insert(st->impl, d);
}

enum store_rc
store_device_find(struct store *st, const uint8_t user_hash[HASH_LEN], int64_t now,
    struct store_device *out)
{
	return st->ops->device_find(st->impl, user_hash, now, out);
}

enum store_rc
store_device_decide(struct store *st, const uint8_t user_hash[HASH_LEN], int64_t user_id,
    int approve, int64_t now)
{
	return st->ops->device_decide(st->impl, user_hash, user_id, approve, now);
}

enum store_rc
store_device_poll(struct store *st, const uint8_t device_hash[HASH_LEN],
    const char *client_id, const struct store_issue *issue, struct store_poll_result *out)
{
	return st->ops->device_poll(st->impl, device_hash, client_id, issue, out);
}

char *
store_join_uris(char *const *uris, size_t n)
{
	struct buf b;

	buf_init(&b, (size_t)TW_MAX_REDIRECT_URIS * (TW_MAX_REDIRECT_URI + 1));
	for (size_t i = 0; i < n; i++)
		if ((i > 0 && buf_add(&b, "\n", 1) == -1) || buf_add_cstr(&b, uris[i]) == -1)
			fatal("redirect URI list over its cap");
	if (b.data == NULL)
		return xstrdup("");
	return b.data;
}

void
store_split_uris(const char *joined, char ***uris, size_t *n)
{
	const char *p = joined;

	*uris = NULL;
	*n = 0;
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		*uris = xrealloc(*uris, (*n + 1) * sizeof(**uris));
		(*uris)[(*n)++] = xmemdup0(p, len);
		p += len;
		if (*p == '\n')
			p++;
	}
}
