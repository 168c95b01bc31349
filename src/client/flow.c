/*
 * The flows of flow.h.  The browser flows start the catcher before the
 * user sees any URL, so a taken port is an error before the browser
 * opens; state and nonce are fresh random strings per run.  The device
 * flow sleeps between polls as the issuer says: interval, 5 s more for
 * good after each slow_down, until the code expires.
 */
#include "flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/clock.h"
#include "../common/form.h"
#include "../common/rand.h"
#include "../common/str.h"
#include "../common/xmalloc.h"
#include "catcher.h"
#include "idtoken.h"

#define STATE_LEN		32
#define NONCE_LEN		32
#define FLOW_URL_MAX		16384	/* an authorize URL, a scope list */
#define DEVICE_SLOW_DOWN	5	/* RFC 8628 3.5: seconds added by each slow_down */

char *
flow_scopes(char *const *given, size_t n, int openid)
{
	struct buf b;
	int has_openid = 0;

	buf_init(&b, FLOW_URL_MAX);
	for (size_t i = 0; i < n; i++) {
		if (given[i][0] == '\0')
			continue;
		if (buf_printf(&b, "%s%s", b.len ? " " : "", given[i]) == -1)
			fatal("scope list too long");
		has_openid |= words_within("openid", given[i]);
	}
	if (openid && !has_openid && buf_printf(&b, "%sopenid", b.len ? " " : "") == -1)
		fatal("scope list too long");
	return b.data ? b.data : xstrdup("");
}

/* Whether w[0..len) is a word of the space-separated set. */
static int
word_in(const char *w, size_t len, const char *set)
{
	for (const char *s = set; *(s += strspn(s, " ")) != '\0'; s += strcspn(s, " "))
		if (strcspn(s, " ") == len && memcmp(s, w, len) == 0)
			return 1;
	return 0;
}

/*
 * The scopes the stored token of rec's account has that rec lacks, which
 * keeping rec gives up: space-separated (malloc'd), or NULL when none.
 */
static char *
scopes_given_up(const struct tok_record *rec)
{
	struct tokstore ts;
	struct tok_record old;
	struct buf lost;
	char why[512], several[16];

	if (rec->login[0] == '\0' || tokstore_open(&ts, why, sizeof(why)) == -1)
		return NULL;
	buf_init(&lost, FLOW_URL_MAX);
	if (tokstore_find(&ts, rec->issuer, rec->client_id, rec->login, &old, several,
	    sizeof(several)) == TOK_FOUND) {
		for (const char *w = old.scopes; *(w += strspn(w, " ")) != '\0';) {
			size_t len = strcspn(w, " ");

			if (!word_in(w, len, rec->scopes) && buf_printf(&lost, "%s%.*s",
			    lost.len ? " " : "", (int)len, w) == -1)
				break;
			w += len;
		}
		tok_record_clear(&old);
	}
	tokstore_close(&ts);
	return lost.data;
}

/*
 * Keeps rec in the token store, if f says so, telling ui first what
 * replacing the account's old token gives up.  0, or -1 with err.
 */
static MUST_CHECK int
save(const struct flow *f, const struct flow_ui *ui, const struct tok_record *rec,
    struct cerr *err)
{
	char why[512], *lost;

	if (!f->save)
		return 0;
	if (ui != NULL && ui->gave_up != NULL && (lost = scopes_given_up(rec)) != NULL) {
		ui->gave_up(ui->ctx, rec->login, lost);
		free(lost);
	}
	if (tokstore_keep(rec, why, sizeof(why)) == -1)
		return cerr_set(err, CERR_ERROR, "cannot save the token: %s", why);
	return 0;
}

int
flow_app_token(const struct flow *f, struct tok_record *rec, struct cerr *err)
{
	struct oauth_tokens t;
	struct oauth_err oe;
	enum oauth_rc rc;

	memset(rec, 0, sizeof(*rec));
	if (f->client_secret == NULL)
		return cerr_set(err, CERR_ERROR, "an app token needs the client secret: pass "
		    "--client-secret, set $TWITCH_CLIENT_SECRET or run 'twauth configure'");
	rc = oauth_client_credentials(f->issuer, f->client_id, f->client_secret, f->scopes,
	    &t, &oe);
	if (rc != OAUTH_OK)
		return cerr_oauth(err, "getting an app token", rc, &oe);
	rec->issuer = xstrdup(f->issuer);
	rec->client_id = xstrdup(f->client_id);
	rec->login = xstrdup("");
	rec->user_id = xstrdup("");
	tok_record_set_tokens(rec, &t, clock_now());
	rec->validated_at = clock_now();
	oauth_tokens_clear(&t);
	return save(f, NULL, rec, err);
}

static void
add_param(struct buf *b, const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	if (buf_printf(b, "%s%s=", strchr(b->data, '?') ? "&" : "?", name) == -1 ||
	    form_encode(b, value) == -1)
		fatal("authorize URL too long");
}

/* The issuer's sign-in URL for f (malloc'd). */
static char *
authorize_url(const struct flow *f, const char *response_type, const char *state,
    const char *nonce)
{
	struct buf b;

	buf_init(&b, FLOW_URL_MAX);
	if (buf_printf(&b, "%s/oauth2/authorize", f->issuer) == -1)
		fatal("authorize URL too long");
	add_param(&b, "response_type", response_type);
	add_param(&b, "client_id", f->client_id);
	add_param(&b, "redirect_uri", f->redirect_uri);
	add_param(&b, "scope", f->scopes);
	add_param(&b, "state", state);
	add_param(&b, "nonce", nonce);
	if (f->force_verify)
		add_param(&b, "force_verify", "true");
	return b.data;
}

/*
 * Learns whose the new token t is (validate) and fills rec with it.  0, or
 * -1 with err.
 */
static MUST_CHECK int
fill_user(const struct flow *f, const struct oauth_tokens *t, struct tok_record *rec,
    struct cerr *err)
{
	struct oauth_validation v;
	struct oauth_err oe;
	enum oauth_rc rc;

	rc = oauth_validate(f->issuer, t->access_token, &v, &oe);
	if (rc != OAUTH_OK)
		return cerr_oauth(err, "validating the new token", rc, &oe);
	if (v.login == NULL) {
		oauth_validation_clear(&v);
		return cerr_set(err, CERR_ERROR, "the issuer says the new token is not a user "
		    "token");
	}
	rec->issuer = xstrdup(f->issuer);
	rec->client_id = xstrdup(f->client_id);
	rec->login = xstrdup(v.login);
	rec->user_id = xstrdup(v.user_id);
	rec->scopes = xstrdup(v.scopes);
	rec->expires_at = clock_now() + v.expires_in;
	rec->validated_at = clock_now();
	rec->access_token = xstrdup(t->access_token);
	rec->refresh_token = xstrdup(t->refresh_token ? t->refresh_token : "");
	rec->obtained_at = clock_now();
	oauth_validation_clear(&v);
	return 0;
}

/*
 * Explains an error the issuer sent to a redirect URI (error and its
 * description; registered, where a redirect_mismatch went, or NULL).
 */
static int
browser_error(const struct flow *f, const char *error, const char *description,
    const char *registered, struct cerr *err)
{
	if (strcmp(error, "redirect_mismatch") == 0) {
		cerr_set(err, CERR_REFUSED, "the issuer does not have this redirect URI "
		    "registered for client %s:", f->client_id);
		cerr_hint(err, "    %s\n"
		    "  Register it, exactly, with the app (Twitch console: OAuth Redirect URLs;\n"
		    "  twauth serve: 'twauth app redirect add %s %s'),\n",
		    f->redirect_uri, f->client_id, f->redirect_uri);
		if (registered != NULL)
			cerr_hint(err, "  or use the first one the app has: --redirect-uri %s\n",
			    registered);
		else
			cerr_hint(err, "  or pass --redirect-uri with one that is registered.\n");
		return -1;
	}
	if (strcmp(error, "access_denied") == 0)
		return cerr_set(err, CERR_REFUSED, "authorization was declined in the browser; "
		    "nothing was saved");
	return cerr_set(err, CERR_REFUSED, "the issuer answered %s%s%s", error,
	    description ? ": " : "", description ? description : "");
}

/*
 * A confidential app's client id and secret, tried before the user signs
 * in (a wrong secret would show only after consent): an app token is asked
 * for and revoked at once, so nothing is left behind.  0, or -1 with err.
 */
static MUST_CHECK int
check_credentials(const struct flow *f, struct cerr *err)
{
	struct oauth_tokens t;
	struct oauth_err oe;
	enum oauth_rc rc, tidied;

	rc = oauth_client_credentials(f->issuer, f->client_id, f->client_secret, NULL, &t,
	    &oe);
	if (rc != OAUTH_OK) {
		cerr_oauth(err, "checking the client id and secret before the browser opens",
		    rc, &oe);
		return -1;
	}
	/* Revoking is tidiness: its failure changes nothing for the user. */
	tidied = oauth_revoke(f->issuer, f->client_id, t.access_token, &oe);
	(void)tidied;
	oauth_tokens_clear(&t);
	return 0;
}

/*
 * The sign-in request url, shown to the issuer before the browser is: an
 * issuer that does not answer, an unknown client or an unregistered
 * redirect URI is said now, not as a browser page that cannot connect
 * five minutes later.  0 when the issuer raised no objection, or -1 with
 * err.
 */
static MUST_CHECK int
check_sign_in(const struct flow *f, const char *url, struct cerr *err)
{
	struct oauth_probe probe;
	struct oauth_err oe;
	enum oauth_rc rc = oauth_authorize_probe(url, &probe, &oe);

	if (rc == OAUTH_REFUSED && probe.error != NULL)
		browser_error(f, probe.error, probe.error_description, probe.sent_to, err);
	else if (rc == OAUTH_REFUSED && oe.status == 400) {
		/* Every other objection to a known client is sent to its redirect URI. */
		cerr_set(err, CERR_REFUSED, "the issuer does not know client %s (its sign-in "
		    "page answered HTTP 400 before anyone signed in)", f->client_id);
		cerr_hint(err, "  Check --client-id and --issuer (Twitch console: Client ID;\n"
		    "  twauth serve: 'twauth app list').\n");
	} else if (rc != OAUTH_OK)
		cerr_oauth(err, "opening the issuer's sign-in page", rc, &oe);
	oauth_probe_clear(&probe);
	return rc == OAUTH_OK ? 0 : -1;
}

/* Verifies the id_token of a browser flow into *claims.  0, or -1 with err. */
static MUST_CHECK int
verify_id_token(const struct flow *f, const struct oauth_tokens *t, const char *nonce,
    json_t **claims, struct cerr *err)
{
	struct idtoken_check chk = { f->issuer, f->client_id, nonce, t->access_token,
	    f->kind == FLOW_IMPLICIT, clock_now() };
	char why[512];

	if (t->id_token == NULL)
		return cerr_set(err, CERR_REFUSED, "the issuer sent no id_token although "
		    "openid was asked for");
	if (idtoken_verify(&chk, t->id_token, claims, why, sizeof(why)) == -1)
		return cerr_set(err, CERR_REFUSED, "the id_token does not verify, so nothing "
		    "was saved: %s", why);
	return 0;
}

/*
 * What came back to the redirect URI, r, into tokens: the implicit flow's
 * token as it is, the code flow's code exchanged.  0, or -1 with err.
 */
static MUST_CHECK int
tokens_from(const struct flow *f, struct catcher_result *r, struct oauth_tokens *t,
    struct cerr *err)
{
	struct oauth_err oe;
	enum oauth_rc rc;

	if (r->error != NULL)
		return browser_error(f, r->error, r->error_description, NULL, err);
	if (f->kind == FLOW_IMPLICIT) {
		if (r->access_token == NULL)
			return cerr_set(err, CERR_REFUSED, "the browser came back without an "
			    "access token");
		t->access_token = r->access_token;
		t->id_token = r->id_token;
		r->access_token = r->id_token = NULL;
		return 0;
	}
	if (r->code == NULL)
		return cerr_set(err, CERR_REFUSED, "the browser came back without a code");
	rc = oauth_exchange_code(f->issuer, f->client_id, f->client_secret, r->code,
	    f->redirect_uri, t, &oe);
	if (rc != OAUTH_OK)
		return cerr_oauth(err, "exchanging the code for tokens", rc, &oe);
	return 0;
}

/* Waits for the browser, telling ui every second how long is left.  0, or -1: timeout. */
static MUST_CHECK int
wait_for_browser(struct catcher *c, const struct flow *f, const struct flow_ui *ui,
    struct catcher_result *r)
{
	for (int left = f->timeout; left > 0; left--) {
		ui->waiting(ui->ctx, left);
		if (catcher_wait(c, 1, r) == 0)
			return 0;
	}
	return -1;
}

/* --user and --implicit: the browser goes to the issuer and comes back to us. */
static MUST_CHECK int
flow_browser(const struct flow *f, const struct flow_ui *ui, struct tok_record *rec,
    json_t **claims, struct cerr *err)
{
	char state[STATE_LEN + 1], nonce[NONCE_LEN + 1], why[512];
	struct catcher_result r = { 0 };
	struct oauth_tokens t = { 0 };
	struct catcher *c;
	int implicit = f->kind == FLOW_IMPLICIT, rc = -1;
	char *url;

	if (!implicit && f->client_secret == NULL)
		return cerr_set(err, CERR_ERROR, "the authorization code flow needs the client "
		    "secret (--client-secret or $TWITCH_CLIENT_SECRET); without one use "
		    "--device (public apps) or --implicit");
	rand_alnum(state, STATE_LEN);
	rand_alnum(nonce, NONCE_LEN);
	if ((c = catcher_start(f->redirect_uri, state, implicit, why, sizeof(why))) == NULL)
		return cerr_set(err, CERR_ERROR, "%s", why);
	url = authorize_url(f, implicit ? (f->openid ? "token id_token" : "token") : "code",
	    state, f->openid ? nonce : NULL);
	if (f->check && ((!implicit && check_credentials(f, err) == -1) ||
	    check_sign_in(f, url, err) == -1)) {
		free(url);
		catcher_stop(c);
		return -1;
	}
	ui->sign_in(ui->ctx, url, f->redirect_uri);
	free(url);
	if (wait_for_browser(c, f, ui, &r) == -1) {
		catcher_stop(c);
		return cerr_set(err, CERR_ERROR, "no answer came to %s within %d s.  If the "
		    "browser showed an error or went elsewhere, check that this exact URI is "
		    "registered with the app.", f->redirect_uri, f->timeout);
	}
	catcher_stop(c);
	if (tokens_from(f, &r, &t, err) == -1 ||
	    (f->openid && verify_id_token(f, &t, nonce, claims, err) == -1) ||
	    fill_user(f, &t, rec, err) == -1)
		goto out;
	rc = 0;
out:
	oauth_tokens_clear(&t);
	catcher_result_clear(&r);
	return rc;
}

/*
 * Polls for d's approval as the issuer allows, telling ui after each poll.
 * Returns the last answer: OAUTH_OK with *t, or why not (OAUTH_EXPIRED
 * also when the code runs out before an answer).
 */
static MUST_CHECK enum oauth_rc
poll_device(const struct flow *f, const struct flow_ui *ui, const struct oauth_device *d,
    struct oauth_tokens *t, struct oauth_err *oe)
{
	int64_t deadline = clock_now() + d->expires_in, interval = d->interval, waited = 0;
	enum oauth_rc rc;

	for (;;) {
		if (clock_now() + interval >= deadline)
			return OAUTH_EXPIRED;
		sleep((unsigned)interval);
		waited += interval;
		rc = oauth_device_poll(f->issuer, f->client_id, f->client_secret,
		    d->device_code, f->scopes, t, oe);
		/* For good: every slow_down adds to the interval. */
		if (rc == OAUTH_SLOW_DOWN)
			interval += DEVICE_SLOW_DOWN;
		ui->polled(ui->ctx, rc, waited, interval);
		if (rc != OAUTH_PENDING && rc != OAUTH_SLOW_DOWN)
			return rc;
	}
}

/* --device: show the code, then poll as the issuer allows. */
static MUST_CHECK int
flow_device(const struct flow *f, const struct flow_ui *ui, struct tok_record *rec,
    struct cerr *err)
{
	struct oauth_device d;
	struct oauth_tokens t = { 0 };
	struct oauth_err oe;
	enum oauth_rc rc;
	int ret = -1;

	rc = oauth_device_start(f->issuer, f->client_id, f->scopes, &d, &oe);
	if (rc != OAUTH_OK)
		return cerr_oauth(err, "starting the device authorization", rc, &oe);
	ui->device_code(ui->ctx, d.verification_uri, d.user_code, d.expires_in);
	rc = poll_device(f, ui, &d, &t, &oe);
	oauth_device_clear(&d);
	if (rc == OAUTH_DENIED)
		cerr_set(err, CERR_REFUSED, "the request was denied on the activation page; "
		    "nothing was saved");
	else if (rc == OAUTH_EXPIRED)
		cerr_set(err, CERR_REFUSED, "the code expired before it was approved; run the "
		    "command again for a new one");
	else if (rc != OAUTH_OK)
		cerr_oauth(err, "waiting for the device approval", rc, &oe);
	else
		ret = fill_user(f, &t, rec, err);
	oauth_tokens_clear(&t);
	return ret;
}

int
flow_run(const struct flow *f, const struct flow_ui *ui, struct tok_record *rec,
    json_t **claims, struct cerr *err)
{
	int rc;

	memset(rec, 0, sizeof(*rec));
	*claims = NULL;
	switch (f->kind) {
	case FLOW_APP:
		return flow_app_token(f, rec, err);
	case FLOW_CODE:
	case FLOW_IMPLICIT:
		rc = flow_browser(f, ui, rec, claims, err);
		break;
	case FLOW_DEVICE:
		rc = flow_device(f, ui, rec, err);
		break;
	default:
		return cerr_set(err, CERR_ERROR, "no such flow");
	}
	if (rc == 0)
		rc = save(f, ui, rec, err);
	if (rc == -1) {
		json_decref(*claims);
		*claims = NULL;
	}
	return rc;
}
