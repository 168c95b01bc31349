/*
 * Ending tokens on purpose (twauth chaos, serve --chaos-rate): the
 * warning "be prepared for the token to become invalid at any time" made
 * testable.  Each reason reuses the transition of the real path, so an app
 * sees exactly what it would see on Twitch:
 *  - expire: the user's access tokens with the app expire now (validate
 *    and Helix answer 401); the refresh token still refreshes;
 *  - revoke: they are deleted, as POST /oauth2/revoke of each access token
 *    does here, which leaves the refresh token too (revoke.c);
 *  - disconnect: idp_user_disconnect, the Disconnect of
 *    /settings/connections: grants and consent go, refresh is refused;
 *  - passwd: what a new password ends (store_user_sign_out), without a new
 *    password: every grant of the user, with every app, and every sign-in.
 * Every ending is recorded (AUDIT_CHAOS, the reason as detail) under the
 * request id the caller made, so a user finds it by the id printed.
 * Tokens are ended by grant in SQL, whose access tokens only the app
 * holds (the store keeps digests): so the facts name no token.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/rand.h"
#include "audit.h"
#include "idp_impl.h"

static const char *const reason_names[IDP_CHAOS__MAX] = {
	[IDP_CHAOS_EXPIRE] = "expire",
	[IDP_CHAOS_REVOKE] = "revoke",
	[IDP_CHAOS_DISCONNECT] = "disconnect",
	[IDP_CHAOS_PASSWD] = "passwd",
};

const char *
idp_chaos_reason_name(enum idp_chaos_reason r)
{
	return r < IDP_CHAOS__MAX ? reason_names[r] : "unknown";
}

int
idp_chaos_reason_parse(const char *name, enum idp_chaos_reason *out)
{
	for (int r = 0; r < IDP_CHAOS__MAX; r++)
		if (name != NULL && strcmp(reason_names[r], name) == 0) {
			*out = (enum idp_chaos_reason)r;
			return 0;
		}
	return -1;
}

void
idp_chaos_request_id(char out[IDP_CHAOS_REQUEST_ID_LEN + 1])
{
	memcpy(out, "chaos-", 6);
	rand_alnum(out + 6, TW_CHAOS_REQUEST_ID_LEN);
}

int
idp_chaos_chance(uint64_t num, uint64_t den)
{
	uint64_t x;

	/* A modulo's bias is at most den / 2^64: nothing a test could see. */
	rand_bytes(&x, sizeof(x));
	return x % den < num;
}

static void
note(struct idp *idp, enum idp_chaos_reason reason, const char *client_id, int64_t user_id,
    const char *request_id)
{
	struct audit_fact f = {
		.kind = AUDIT_CHAOS, .client_id = client_id, .user_id = user_id,
		.detail = reason_names[reason], .request_id = request_id,
	};

	idp_note(idp, &f);
}

/*
 * passwd: what a new password ends, if the user has a grant with
 * client_id; recorded for each app that had one (among the user's first
 * TW_CHAOS_PAGE grants: a test user has far fewer).
 */
static enum idp_err
sign_out(struct idp *idp, const char *client_id, int64_t user_id, const char *request_id)
{
	struct store_chaos_grant *g = NULL;
	size_t n = 0, i, j;
	enum idp_err err;

	err = idp_from_store(store_chaos_grants(idp->store, client_id, user_id, 0, 1, &g, &n),
	    IDP_ERR_UNAVAILABLE);
	free(g);
	g = NULL;
	if (err == IDP_OK && n == 0)
		err = IDP_ERR_NOT_CONNECTED;
	if (err == IDP_OK)
		err = idp_from_store(store_chaos_grants(idp->store, NULL, user_id, 0,
		    TW_CHAOS_PAGE, &g, &n), IDP_ERR_UNAVAILABLE);
	if (err == IDP_OK)
		err = idp_from_store(store_user_sign_out(idp->store, user_id),
		    IDP_ERR_NOT_CONNECTED);
	for (i = 0; err == IDP_OK && i < n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(g[j].client_id, g[i].client_id) == 0)
				break;
		if (j == i)	/* each app once */
			note(idp, IDP_CHAOS_PASSWD, g[i].client_id, user_id, request_id);
	}
	free(g);
	return err;
}

enum idp_err
idp_chaos_end(struct idp *idp, enum idp_chaos_reason reason, const char *client_id,
    int64_t user_id, const char *request_id, struct idp_chaos_ended *ended)
{
	int64_t now = clock_now(), tokens = 0;
	enum idp_err err = IDP_ERR_NOT_CONNECTED;

	if (idp_blank(client_id) || strlen(client_id) > TW_ID_LEN)
		return IDP_ERR_NOT_CONNECTED;
	switch (reason) {
	case IDP_CHAOS_EXPIRE:
		err = idp_from_store(store_chaos_expire(idp->store, client_id, user_id, now,
		    &tokens), IDP_ERR_NOT_CONNECTED);
		break;
	case IDP_CHAOS_REVOKE:
		err = idp_from_store(store_chaos_revoke(idp->store, client_id, user_id, now,
		    &tokens), IDP_ERR_NOT_CONNECTED);
		break;
	case IDP_CHAOS_DISCONNECT:
		err = idp_user_disconnect(idp, user_id, client_id);
		break;
	case IDP_CHAOS_PASSWD:
		err = sign_out(idp, client_id, user_id, request_id);	/* noted there */
		break;
	case IDP_CHAOS__MAX:
		break;
	}
	if (err != IDP_OK)
		return err;
	if (reason != IDP_CHAOS_PASSWD)
		note(idp, reason, client_id, user_id, request_id);
	if (ended != NULL) {
		memset(ended, 0, sizeof(*ended));
		ended->reason = reason;
		memcpy(ended->client_id, client_id, strlen(client_id) + 1);
		ended->user_id = user_id;
		ended->tokens = tokens;
	}
	return IDP_OK;
}

/* Every user with a grant with client_id, a page of grants at a time. */
static enum idp_err
end_all(struct idp *idp, enum idp_chaos_reason reason, const char *client_id,
    const char *request_id, void (*each)(void *arg, const struct idp_chaos_ended *e),
    void *arg, size_t *n)
{
	struct store_chaos_grant *g;
	struct idp_chaos_ended e;
	enum idp_err err = IDP_OK;
	int64_t after = 0;
	size_t got;

	do {
		g = NULL;
		got = 0;
		err = idp_from_store(store_chaos_grants(idp->store, client_id, 0, after,
		    TW_CHAOS_PAGE, &g, &got), IDP_ERR_UNAVAILABLE);
		for (size_t i = 0; err == IDP_OK && i < got; i++) {
			err = idp_chaos_end(idp, reason, client_id, g[i].user_id, request_id, &e);
			if (err == IDP_ERR_NOT_CONNECTED) {
				err = IDP_OK;	/* nothing live, or ended with an earlier grant */
				continue;
			}
			if (err != IDP_OK)
				break;
			memcpy(e.login, g[i].login, sizeof(e.login));
			(*n)++;
			if (each != NULL)
				each(arg, &e);
		}
		if (got > 0)
			after = g[got - 1].id;
		free(g);
	} while (err == IDP_OK && got == TW_CHAOS_PAGE);
	return err;
}

enum idp_err
idp_chaos_app(struct idp *idp, enum idp_chaos_reason reason, const char *client_id,
    const char *login, const char *request_id,
    void (*each)(void *arg, const struct idp_chaos_ended *e), void *arg, size_t *n)
{
	struct idp_chaos_ended e;
	struct store_app app;
	struct store_user u;
	enum idp_err err;

	*n = 0;
	if ((err = idp_app_get(idp, client_id, &app)) != IDP_OK)
		return err;
	store_app_clear(&app);
	if (login == NULL)
		return end_all(idp, reason, client_id, request_id, each, arg, n);
	if ((err = idp_user_get(idp, login, &u)) != IDP_OK)
		return err;
	err = idp_chaos_end(idp, reason, client_id, u.id, request_id, &e);
	if (err == IDP_OK) {
		memcpy(e.login, u.login, sizeof(e.login));
		*n = 1;
		if (each != NULL)
			each(arg, &e);
	}
	store_user_clear(&u);
	return err == IDP_ERR_NOT_CONNECTED ? IDP_OK : err;
}
