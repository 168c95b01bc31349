/*
 * The Helix slice: who may call (a Bearer token whose app matches the
 * Client-Id header, checked in api.twitch.tv's order) and which users a
 * /helix/users call names.  Lookups go through the same token table as
 * /oauth2/validate, so revocation is seen here at once.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/num.h"
#include "../common/str.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

enum idp_err
idp_helix_auth(struct idp *idp, const char *token, size_t token_len,
    const char *client_id, struct idp_helix_caller *out)
{
	struct store_token tok;
	enum idp_err err;

	memset(out, 0, sizeof(*out));
	if (token == NULL || token_len == 0)
		return IDP_ERR_HELIX_NO_TOKEN;
	err = idp_live_token(idp, token, token_len, clock_now(), &tok, out->token_id);
	if (err == IDP_ERR_INVALID_ACCESS_TOKEN)
		return IDP_ERR_HELIX_INVALID_TOKEN;
	if (err != IDP_OK)
		return err;
	if (idp_blank(client_id))
		err = IDP_ERR_HELIX_NO_CLIENT_ID;
	else if (strcmp(client_id, tok.client_id) != 0)
		err = IDP_ERR_HELIX_CLIENT_MISMATCH;
	else {
		memcpy(out->client_id, tok.client_id, sizeof(out->client_id));
		out->user_id = tok.user_id;
		out->scopes = tok.scopes;
		tok.scopes = NULL;
	}
	store_token_clear(&tok);
	return err;
}

void
idp_helix_caller_clear(struct idp_helix_caller *c)
{
	free(c->scopes);
	memset(c, 0, sizeof(*c));
}

/* Adds u to the list unless that user is there already; takes u. */
static void
add_user(const struct idp_helix_caller *c, struct idp_helix_user *list, size_t *n,
    struct store_user *u)
{
	for (size_t i = 0; i < *n; i++) {
		if (list[i].user.id == u->id) {
			store_user_clear(u);
			return;
		}
	}
	list[*n].user = *u;
	list[*n].show_email = u->id == c->user_id &&
	    words_within("user:read:email", c->scopes);
	(*n)++;
	memset(u, 0, sizeof(*u));
}

enum idp_err
idp_helix_users(struct idp *idp, const struct idp_helix_caller *c,
    char *const *ids, size_t n_ids, char *const *logins, size_t n_logins,
    struct idp_helix_user **out, size_t *n)
{
	struct idp_helix_user *list;
	struct store_user u;
	enum idp_err err = IDP_OK;
	size_t count = 0;
	int64_t id;

	*out = NULL;
	*n = 0;
	if (n_ids + n_logins > TW_HELIX_MAX_IDS)
		return IDP_ERR_HELIX_TOO_MANY_IDS;
	if (n_ids + n_logins == 0 && c->user_id == 0)
		return IDP_ERR_HELIX_USERS_NEED_QUERY;
	list = xcalloc(n_ids + n_logins + 1, sizeof(*list));
	if (n_ids + n_logins == 0) {
		err = idp_from_store(store_user_get(idp->store, c->user_id, &u),
		    IDP_ERR_HELIX_INVALID_TOKEN);
		if (err == IDP_OK)
			add_user(c, list, &count, &u);
	}
	/* Names that cannot exist are left out, as Twitch leaves out unknown ones. */
	for (size_t i = 0; err == IDP_OK && i < n_ids; i++) {
		if (num_parse_i64(ids[i], 1, INT64_MAX, &id) == -1)
			continue;
		err = idp_from_store(store_user_get(idp->store, id, &u), IDP_ERR_UNKNOWN_USER);
		if (err == IDP_OK)
			add_user(c, list, &count, &u);
		else if (err == IDP_ERR_UNKNOWN_USER)
			err = IDP_OK;
	}
	for (size_t i = 0; err == IDP_OK && i < n_logins; i++) {
		err = idp_user_get(idp, logins[i], &u);
		if (err == IDP_OK)
			add_user(c, list, &count, &u);
		else if (err == IDP_ERR_UNKNOWN_USER)
			err = IDP_OK;
	}
	if (err != IDP_OK) {
		idp_helix_users_free(list, count);
		return err;
	}
	*out = list;
	*n = count;
	return IDP_OK;
}

void
idp_helix_users_free(struct idp_helix_user *users, size_t n)
{
	if (users == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		store_user_clear(&users[i].user);
		store_channel_clear(&users[i].channel);
	}
	free(users);
}
