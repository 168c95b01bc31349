/* Options, profiles and stored tokens shared by the client commands. */
#include "client_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../client/cfgdir.h"
#include "../client/fetch.h"
#include "../common/clock.h"
#include "../common/limits.h"
#include "../common/scopes.h"
#include "../common/xmalloc.h"
#include "cli.h"

int
client_opts_take(struct client_opts *o, int c, const char *arg)
{
	switch (c) {
	case CO_ISSUER: o->f_issuer = arg; return 1;
	case CO_API_BASE: o->f_api_base = arg; return 1;
	case CO_CLIENT_ID: o->f_client_id = arg; return 1;
	case CO_CLIENT_SECRET: o->f_client_secret = arg; return 1;
	case CO_LOGIN: o->login = arg; return 1;
	case CO_PROFILE: o->profile = arg; return 1;
	case CO_APP: o->app = 1; return 1;
	default: return 0;
	}
}

/* The first of flag, the environment variable, the profile's field. */
static const char *
first_of(const char *flag, const char *env, json_t *profile, const char *field)
{
	const char *v;

	if (flag != NULL && flag[0] != '\0')
		return flag;
	if (env != NULL && (v = getenv(env)) != NULL && v[0] != '\0')
		return v;
	v = json_string_value(json_object_get(profile, field));
	return v != NULL && v[0] != '\0' ? v : NULL;
}

/*
 * An issuer or API base as we keep it: no trailing slash, and for issuers
 * no "/oauth2" (people paste the OpenID issuer).  NULL if not allowed.
 */
static char *
base_url(const char *given, int is_issuer, const char *what)
{
	char *s = xstrdup(given);
	size_t len = strlen(s);

	while (len > 0 && s[len - 1] == '/')
		s[--len] = '\0';
	if (is_issuer && len > 7 && strcmp(s + len - 7, "/oauth2") == 0)
		s[len -= 7] = '\0';
	if (fetch_url_allowed(s) == -1) {
		cli_error("%s '%s' must be an https:// URL (or http:// to localhost, "
		    "127.0.0.1 or [::1])", what, given);
		free(s);
		return NULL;
	}
	return s;
}

int
client_opts_resolve(struct client_opts *o)
{
	char err[512];
	json_t *cfg = NULL, *profile;
	const char *v;
	int ret = CLIENT_EXIT_ERROR;

	if (o->profile == NULL)
		o->profile = "default";
	if (cfgdir_read(CLIENT_CONFIG_FILE, &cfg, err, sizeof(err)) == -1) {
		cli_error("%s", err);
		return CLIENT_EXIT_ERROR;
	}
	profile = json_object_get(json_object_get(cfg, "profiles"), o->profile);
	if (profile == NULL && strcmp(o->profile, "default") != 0) {
		cli_error("no profile '%s'; make it with 'twauth configure --profile %s'",
		    o->profile, o->profile);
		goto out;
	}
	v = first_of(o->f_issuer, "TWAUTH_ISSUER", profile, "issuer");
	if ((o->issuer = base_url(v ? v : OAUTH_DEFAULT_ISSUER, 1, "issuer")) == NULL)
		goto out;
	v = first_of(o->f_api_base, "TWAUTH_API_BASE", profile, "api_base");
	/* A twauth serve answers Helix itself; Twitch's API lives elsewhere. */
	if (v == NULL)
		v = strcmp(o->issuer, OAUTH_DEFAULT_ISSUER) == 0 ? OAUTH_DEFAULT_API_BASE :
		    o->issuer;
	if ((o->api_base = base_url(v, 0, "API base")) == NULL)
		goto out;
	if ((v = first_of(o->f_client_id, "TWITCH_CLIENT_ID", profile, "client_id")))
		o->client_id = xstrdup(v);
	if ((v = first_of(o->f_client_secret, "TWITCH_CLIENT_SECRET", profile,
	    "client_secret")))
		o->client_secret = xstrdup(v);
	v = first_of(NULL, NULL, profile, "redirect_uri");
	o->redirect_uri = xstrdup(v ? v : CLIENT_DEFAULT_REDIRECT);
	ret = 0;
out:
	json_decref(cfg);
	return ret;
}

void
client_opts_free(struct client_opts *o)
{
	free(o->issuer);
	free(o->api_base);
	free(o->client_id);
	xfree_secret_str(o->client_secret);
	free(o->redirect_uri);
	o->issuer = o->api_base = o->client_id = o->client_secret = o->redirect_uri = NULL;
}

int
client_oauth_error(const char *doing, enum oauth_rc rc, const struct oauth_err *err)
{
	if (rc == OAUTH_NETWORK) {
		if (err->status != 0)
			cli_error("%s: the issuer answered HTTP %ld: %s", doing, err->status,
			    err->message);
		else
			cli_error("%s: %s", doing, err->message);
		return CLIENT_EXIT_ERROR;
	}
	if (err->status != 0)
		cli_error("%s: refused (%ld): %s", doing, err->status, err->message);
	else
		cli_error("%s: %s", doing, err->message);
	if (strcmp(err->message, "invalid client secret") == 0)
		fputs("  The client secret is wrong or was reset; get the current one from "
		    "the app's page\n  (or 'twauth app reset-secret ID' on a twauth "
		    "server).\n", stderr);
	else if (strcmp(err->message, "invalid client") == 0)
		fputs("  No app has that client id at this issuer; check --client-id and "
		    "--issuer.\n", stderr);
	return CLIENT_EXIT_REFUSED;
}

void
client_duration(int64_t s, char *out, size_t len)
{
	if (s <= 0)
		snprintf(out, len, "expired");
	else if (s >= 86400)
		snprintf(out, len, "%lldd %lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(out, len, "%lldh %lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else
		snprintf(out, len, "%lldm %llds", (long long)(s / 60), (long long)(s % 60));
}

/* ---- scopes ---- */

/* Levenshtein distance between a[0..al) and b, capped at 99. */
static size_t
edit_distance(const char *a, size_t al, const char *b)
{
	size_t bl = strlen(b), row[128], prev, tmp;

	if (al > 100 || bl >= sizeof(row) / sizeof(row[0]))
		return 99;
	for (size_t j = 0; j <= bl; j++)
		row[j] = j;
	for (size_t i = 1; i <= al; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= bl; j++) {
			tmp = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev :
			    1 + (prev < row[j - 1] ? (prev < row[j] ? prev : row[j]) :
			    (row[j - 1] < row[j] ? row[j - 1] : row[j]));
			prev = tmp;
		}
	}
	return row[bl];
}

int
client_check_scopes(const char *scopes)
{
	const char *p = scopes, *sp;
	size_t n = 0, best_d, d;
	const char *best;
	int bad = 0;

	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		sp = strchr(p, ' ');
		if (sp == NULL)
			sp = p + strlen(p);
		n++;
		if (scope_find(p, (size_t)(sp - p)) == NULL) {
			best = NULL;
			best_d = 99;
			for (size_t i = 0; i < scope_catalog_len(); i++) {
				d = edit_distance(p, (size_t)(sp - p), scope_catalog_at(i)->name);
				if (d < best_d) {
					best_d = d;
					best = scope_catalog_at(i)->name;
				}
			}
			if (best != NULL && best_d <= 4)
				cli_error("unknown scope '%.*s'; did you mean '%s'?", (int)(sp - p),
				    p, best);
			else
				cli_error("unknown scope '%.*s' (Twitch's scopes look like "
				    "'chat:read' or 'user:read:email')", (int)(sp - p), p);
			bad = 1;
		}
		p = sp;
	}
	if (n > TW_MAX_SCOPES) {
		cli_error("at most %d scopes in one request", TW_MAX_SCOPES);
		bad = 1;
	}
	if (bad)
		fputs("  Scopes are space-separated, as in --scopes \"chat:read chat:edit\".\n",
		    stderr);
	return bad ? CLIENT_EXIT_ERROR : 0;
}

/* ---- stored tokens ---- */

int
client_save(const struct tok_record *rec)
{
	struct tokstore ts;
	char err[512];
	int ret = 0;

	if (tokstore_open(&ts, err, sizeof(err)) == -1) {
		cli_error("cannot save the token: %s", err);
		return CLIENT_EXIT_ERROR;
	}
	tokstore_put(&ts, rec);
	if (tokstore_save(&ts, err, sizeof(err)) == -1) {
		cli_error("cannot save the token: %s", err);
		ret = CLIENT_EXIT_ERROR;
	}
	tokstore_close(&ts);
	return ret;
}

/* Without a client id: the only app this issuer has tokens for, if one. */
static int
guess_client_id(struct client_opts *o, const struct tokstore *ts)
{
	struct tok_record r;
	char *found = NULL;
	int several = 0;

	for (size_t i = 0; i < tokstore_len(ts); i++) {
		tokstore_at(ts, i, &r);
		if (strcmp(r.issuer, o->issuer) == 0) {
			if (found == NULL)
				found = xstrdup(r.client_id);
			else if (strcmp(found, r.client_id) != 0)
				several = 1;
		}
		tok_record_clear(&r);
	}
	if (found == NULL || several) {
		cli_error(several ? "tokens of several apps are stored for %s; say which "
		    "with --client-id (or $TWITCH_CLIENT_ID)" : "no client id: pass "
		    "--client-id, set $TWITCH_CLIENT_ID or run 'twauth configure' (no "
		    "tokens are stored for %s yet)", o->issuer);
		free(found);
		return CLIENT_EXIT_ERROR;
	}
	o->client_id = found;
	return 0;
}

int
client_new_app_token(const struct client_opts *o, const char *scopes, int save,
    struct tok_record *rec)
{
	struct oauth_tokens t;
	struct oauth_err err;
	enum oauth_rc rc;

	if (o->client_secret == NULL) {
		cli_error("an app token needs the client secret: pass --client-secret, set "
		    "$TWITCH_CLIENT_SECRET or run 'twauth configure'");
		return CLIENT_EXIT_ERROR;
	}
	rc = oauth_client_credentials(o->issuer, o->client_id, o->client_secret, scopes, &t,
	    &err);
	if (rc != OAUTH_OK)
		return client_oauth_error("getting an app token", rc, &err);
	memset(rec, 0, sizeof(*rec));
	rec->issuer = xstrdup(o->issuer);
	rec->client_id = xstrdup(o->client_id);
	rec->login = xstrdup("");
	rec->user_id = xstrdup("");
	tok_record_set_tokens(rec, &t, clock_now());
	rec->validated_at = clock_now();
	oauth_tokens_clear(&t);
	return save ? client_save(rec) : 0;
}

int
client_stored_token(struct client_opts *o, enum client_pick pick,
    enum client_fresh fresh, struct tok_record *rec)
{
	struct tokstore ts;
	struct tok_fresh f = { 0 };
	struct oauth_err oe;
	char err[512], several[512];
	const char *login;
	enum tok_find found;
	enum oauth_rc rc;
	int ret = CLIENT_EXIT_ERROR;

	memset(rec, 0, sizeof(*rec));
	if (tokstore_open(&ts, err, sizeof(err)) == -1) {
		cli_error("%s", err);
		return CLIENT_EXIT_ERROR;
	}
	if (o->client_id == NULL && (ret = guess_client_id(o, &ts)) != 0)
		goto out;
	if (o->app)
		pick = PICK_APP;
	login = o->login ? o->login : pick == PICK_APP ? "" : NULL;
	found = tokstore_find(&ts, o->issuer, o->client_id, login, rec, several,
	    sizeof(several));
	if (found == TOK_NONE && pick == PICK_AUTO && o->login == NULL) {
		login = "";
		found = tokstore_find(&ts, o->issuer, o->client_id, "", rec, several,
		    sizeof(several));
	}
	if (found == TOK_SEVERAL) {
		cli_error("several accounts are stored for this app (%s); pick one with "
		    "--login NAME, or --app for the app token", several);
		ret = CLIENT_EXIT_ERROR;
		goto out;
	}
	if (found == TOK_NONE && login != NULL && login[0] == '\0' && fresh != FRESH_NONE) {
		/* App tokens need no one's consent: get one. */
		tokstore_close(&ts);
		return client_new_app_token(o, NULL, 1, rec);
	}
	if (found == TOK_NONE) {
		if (login != NULL && login[0] == '\0')
			cli_error("no app token is stored for client %s at %s", o->client_id,
			    o->issuer);
		else if (o->login != NULL)
			cli_error("no token of '%s' is stored for client %s at %s; get one "
			    "with 'twauth token --user'", o->login, o->client_id, o->issuer);
		else
			cli_error("no user token is stored for client %s at %s; get one with "
			    "'twauth token --user'", o->client_id, o->issuer);
		ret = CLIENT_EXIT_REFUSED;
		goto out;
	}
	ret = 0;
	if (fresh == FRESH_NONE)
		goto out;
	f.client_secret = o->client_secret;
	f.now = clock_now();
	f.force = fresh == FRESH_FORCE;
	rc = tokstore_fresh(rec, &f, &oe);
	if (rc != OAUTH_OK) {
		ret = client_oauth_error(rec->login[0] ? "keeping the user token fresh" :
		    "renewing the app token", rc, &oe);
		if (rc == OAUTH_REFUSED && rec->login[0])
			fprintf(stderr, "  The token of %s no longer works (revoked, or the "
			    "password changed); run 'twauth token --user' again.\n", rec->login);
		tok_record_clear(rec);
		goto out;
	}
	ret = 0;
	if (f.refreshed || f.validated) {
		tokstore_put(&ts, rec);
		if (tokstore_save(&ts, err, sizeof(err)) == -1) {
			/* A rotated refresh token not saved is lost: say so loudly. */
			cli_error("could not save the refreshed token: %s", err);
			ret = CLIENT_EXIT_ERROR;
		}
	}
out:
	tokstore_close(&ts);
	return ret;
}
