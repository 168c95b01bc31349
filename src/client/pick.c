/* The stored token a command gets; see pick.h. */
#include "pick.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/xmalloc.h"
#include "flow.h"

/*
 * Without a client id: the only app issuer has tokens for, into *out
 * (malloc'd).  0, or -1 with err when there are none or several.
 */
static MUST_CHECK int
guess_client_id(const char *issuer, const struct tokstore *ts, char **out,
    struct cerr *err)
{
	struct tok_record r;
	char *found = NULL;
	int several = 0;

	for (size_t i = 0; i < tokstore_len(ts); i++) {
		tokstore_at(ts, i, &r);
		if (strcmp(r.issuer, issuer) == 0) {
			if (found == NULL)
				found = xstrdup(r.client_id);
			else if (strcmp(found, r.client_id) != 0)
				several = 1;
		}
		tok_record_clear(&r);
	}
	if (found == NULL || several) {
		free(found);
		if (several)
			return cerr_set(err, CERR_ERROR, "tokens of several apps are stored "
			    "for %s; say which with --client-id (or $TWITCH_CLIENT_ID)", issuer);
		return cerr_set(err, CERR_ERROR, "no client id: pass --client-id, set "
		    "$TWITCH_CLIENT_ID or run 'twauth configure' (no tokens are stored for "
		    "%s yet)", issuer);
	}
	*out = found;
	return 0;
}

/* Whether ts holds an app token of client_id at p's issuer. */
static int
app_token_stored(const struct pick *p, const struct tokstore *ts, const char *client_id)
{
	struct tok_record r;
	char several[16];
	int found = tokstore_find(ts, p->issuer, client_id, "", &r, several,
	    sizeof(several)) == TOK_FOUND;

	if (found)
		tok_record_clear(&r);
	return found;
}

/*
 * The command that gets a new token for the app (and rec's account, when
 * known), to copy as it is: the flow rec came from, its scopes, and the
 * flags that found the app (those given on the command line; a client id
 * that was guessed), so that a new login keeps what the old one had.
 */
static void
hint_new_token(const struct pick *p, const char *client_id, const struct tok_record *rec,
    struct cerr *err)
{
	const struct profile_flags *g = p->given;
	const char *flow = p->client_secret != NULL ? "--user" : "--device";
	char cmd[1024];
	int n;

	if (rec != NULL && rec->login[0] != '\0' && rec->refresh_token[0] == '\0')
		flow = "--implicit";
	n = snprintf(cmd, sizeof(cmd), "twauth token %s", flow);
	if (rec != NULL && rec->scopes[0] != '\0')
		n += snprintf(cmd + n, sizeof(cmd) - (size_t)n, " --scopes '%s'", rec->scopes);
	if (g != NULL && g->name != NULL)
		n += snprintf(cmd + n, sizeof(cmd) - (size_t)n, " --profile %s", g->name);
	if (g != NULL && g->issuer != NULL)
		n += snprintf(cmd + n, sizeof(cmd) - (size_t)n, " --issuer %s", p->issuer);
	if ((g != NULL && g->client_id != NULL) || p->client_id == NULL)
		snprintf(cmd + n, sizeof(cmd) - (size_t)n, " --client-id %s", client_id);
	cerr_hint(err, "  Get a new one: %s\n", cmd);
}

/* Why no token of login ("" the app's; NULL the only user's) was found. */
static int
none_stored(const struct pick *p, const char *client_id, const char *login,
    struct cerr *err)
{
	if (login != NULL && login[0] == '\0')
		return cerr_set(err, CERR_REFUSED, "no app token is stored for client %s at %s",
		    client_id, p->issuer);
	if (p->login != NULL)
		cerr_set(err, CERR_REFUSED, "no token of '%s' is stored for client %s at %s",
		    p->login, client_id, p->issuer);
	else
		cerr_set(err, CERR_REFUSED, "no user token is stored for client %s at %s",
		    client_id, p->issuer);
	hint_new_token(p, client_id, NULL, err);
	return -1;
}

/* A token the issuer refused, with its refresh: never handed out again. */
static int
dead_stored(const struct pick *p, const struct tok_record *rec, struct cerr *err)
{
	cerr_set(err, CERR_REFUSED, "the stored token of %s no longer works: the issuer "
	    "refused it and its refresh token (revoked, disconnected, or the password "
	    "changed)", rec->login);
	hint_new_token(p, rec->client_id, rec, err);
	return -1;
}

/* Makes rec usable as p asks; saves it in ts when that changed it. */
static MUST_CHECK int
freshen(const struct pick *p, struct tokstore *ts, struct tok_record *rec,
    struct cerr *err)
{
	struct tok_fresh f = { 0 };
	struct oauth_err oe;
	enum oauth_rc rc;
	char why[512];

	f.client_secret = p->client_secret;
	f.now = clock_now();
	f.force = p->fresh == FRESH_FORCE;
	rc = tokstore_fresh(rec, &f, &oe);
	if (rc == OAUTH_NEEDS_SECRET)
		return cerr_set(err, CERR_ERROR, "this app is confidential: refreshing needs its "
		    "client secret (TWITCH_CLIENT_SECRET, --client-secret or 'twauth configure')");
	if (rc != OAUTH_OK) {
		cerr_oauth(err, rec->login[0] ? "keeping the user token fresh" :
		    "renewing the app token", rc, &oe);
		if (rc == OAUTH_REFUSED && rec->login[0] != '\0')
			hint_new_token(p, rec->client_id, rec, err);
		/* The issuer's verdict (not ours, as for an implicit token): remember it. */
		if (rc == OAUTH_REFUSED && rec->dead_at != 0) {
			tokstore_put(ts, rec);
			if (tokstore_save(ts, why, sizeof(why)) == -1)
				cerr_line(err, "(and it could not be marked dead in the store: %s)",
				    why);
		}
		return -1;
	}
	if (!f.refreshed && !f.validated)
		return 0;
	tokstore_put(ts, rec);
	/* A rotated refresh token not saved is lost: say so loudly. */
	if (tokstore_save(ts, why, sizeof(why)) == -1)
		return cerr_set(err, CERR_ERROR, "could not save the refreshed token: %s", why);
	return 0;
}

int
pick_token(const struct pick *p, struct tok_record *rec, struct cerr *err)
{
	struct tokstore ts;
	struct flow app;
	char why[512], several[512], *guessed = NULL;
	const char *client_id = p->client_id, *login;
	enum pick_which which = p->app ? PICK_APP : p->which;
	enum tok_find found;
	int rc = -1, make_app = 0;

	memset(rec, 0, sizeof(*rec));
	if (tokstore_open(&ts, why, sizeof(why)) == -1)
		return cerr_set(err, CERR_ERROR, "%s", why);
	if (client_id == NULL) {
		if (guess_client_id(p->issuer, &ts, &guessed, err) == -1)
			goto out;
		client_id = guessed;
	}
	login = p->login ? p->login : which == PICK_APP ? "" : NULL;
	if (login == NULL && which == PICK_APP_FIRST && (app_token_stored(p, &ts, client_id) ||
	    (p->client_secret != NULL && p->fresh != FRESH_NONE)))
		login = "";
	found = tokstore_find(&ts, p->issuer, client_id, login, rec, several,
	    sizeof(several));
	if (found == TOK_NONE && which == PICK_AUTO && p->login == NULL) {
		login = "";
		found = tokstore_find(&ts, p->issuer, client_id, "", rec, several,
		    sizeof(several));
	}
	if (found == TOK_SEVERAL)
		cerr_set(err, CERR_ERROR, "several accounts are stored for this app (%s); pick "
		    "one with --login NAME, or --app for the app token", several);
	else if (found == TOK_NONE && login != NULL && login[0] == '\0' &&
	    p->fresh != FRESH_NONE)
		make_app = 1;	/* app tokens need no one's consent: one is made below */
	else if (found == TOK_NONE)
		none_stored(p, client_id, login, err);
	else if (rec->dead_at != 0 && rec->login[0] != '\0' && p->fresh != FRESH_NONE)
		dead_stored(p, rec, err);
	else if (p->fresh == FRESH_NONE || freshen(p, &ts, rec, err) == 0)
		rc = 0;
out:
	/* Closed first: saving the new app token takes the store's lock again. */
	tokstore_close(&ts);
	if (make_app) {
		app = (struct flow){ .kind = FLOW_APP, .issuer = p->issuer,
		    .client_id = client_id, .client_secret = p->client_secret, .save = 1 };
		rc = flow_app_token(&app, rec, err);
	}
	free(guessed);
	if (rc == -1)
		tok_record_clear(rec);
	return rc;
}
