/*
 * The ways to get a token from an issuer: an app token (client
 * credentials); a user token in the browser, the authorization code flow
 * (--user: the code comes back to the catcher and is exchanged with the
 * secret) or the implicit flow (--implicit: the token comes in the URL
 * fragment); or on a device without a browser (--device: a code the user
 * enters elsewhere, then polling as RFC 8628 says).  A user token's owner
 * is learnt by validating it; with openid the id_token is verified
 * (idtoken.h) before anything is kept.  What the user must see while a
 * flow waits goes through struct flow_ui, which src/cli prints.
 */
#ifndef CLIENT_FLOW_H
#define CLIENT_FLOW_H

#include <jansson.h>
#include <stdint.h>

#include "../common/compiler.h"
#include "cerr.h"
#include "oauth.h"
#include "tokstore.h"

enum flow_kind { FLOW_APP, FLOW_CODE, FLOW_IMPLICIT, FLOW_DEVICE, FLOW__MAX };

/* What a flow asks of the issuer. */
struct flow {
	enum flow_kind	 kind;
	const char	*issuer;	/* no trailing slash, no "/oauth2" */
	const char	*client_id;
	const char	*client_secret;	/* NULL: none (public apps; implicit) */
	const char	*scopes;	/* space-separated, as flow_scopes made them */
	const char	*redirect_uri;	/* the browser flows' */
	int		 openid;	/* verify the id_token (browser flows) */
	int		 force_verify;	/* make the issuer ask the user again */
	int		 timeout;	/* seconds for the browser to come back */
	int		 save;		/* keep the token in the store */
	/*
	 * Browser flows: before the browser opens, show the issuer the sign-in
	 * request (it may say the redirect URI is not registered, or the client
	 * unknown) and, for the code flow, try the client id and secret.
	 */
	int		 check;
};

/* What the user is told while a flow waits for them.  Every one is called. */
struct flow_ui {
	/* Browser flows: sign in at url; the browser comes back to redirect_uri. */
	void	(*sign_in)(void *ctx, const char *url, const char *redirect_uri);
	/* Browser flows, then once a second while nothing came back: seconds left. */
	void	(*waiting)(void *ctx, int left);
	/* The device flow: open uri and check that it shows user_code. */
	void	(*device_code)(void *ctx, const char *uri, const char *user_code,
	    int64_t expires_in);
	/*
	 * The device flow, after each poll: rc is OAUTH_PENDING, OAUTH_SLOW_DOWN
	 * (interval is the new one) or the last answer; waited, the seconds
	 * waited so far.
	 */
	void	(*polled)(void *ctx, enum oauth_rc rc, int64_t waited, int64_t interval);
	/*
	 * The new token of login replaces a stored one that had scopes it
	 * lacks (space-separated); or NULL: not told.
	 */
	void	(*gave_up)(void *ctx, const char *login, const char *scopes);
	void	*ctx;
};

/*
 * The scopes to ask for: the n lists given (each space-separated: --scopes
 * given twice asks for both), with openid added if asked (malloc'd).
 */
char *flow_scopes(char *const *given, size_t n, int openid);
/*
 * Runs f.  0 with *rec filled (and, with openid, *claims: the verified
 * id_token's payload, json_decref it), or -1 with err: refused (the
 * issuer or the user said no) or an error.  Clear rec either way.
 */
int flow_run(const struct flow *f, const struct flow_ui *ui, struct tok_record *rec,
    json_t **claims, struct cerr *err) MUST_CHECK;
/*
 * An app token (client credentials) for f's issuer, client and scopes
 * into *rec, saved if f->save.  0, or -1 with err.
 */
int flow_app_token(const struct flow *f, struct tok_record *rec, struct cerr *err)
    MUST_CHECK;

#endif
