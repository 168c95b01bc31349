/* The client commands' shared options and failures; see client.h. */
#include "client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../client/scopecheck.h"
#include "../common/xmalloc.h"
#include "cli.h"

int
client_opts_resolve(struct client_opts *o)
{
	struct profile p;
	struct cerr e;
	int ret = 0;

	if (profile_resolve(&o->given, &p, &e) == -1)
		ret = client_report(&e);
	else {
		o->issuer = p.issuer;
		o->api_base = p.api_base;
		o->client_id = p.client_id;
		o->client_secret = p.client_secret;
		o->redirect_uri = p.redirect_uri;
		memset(&p, 0, sizeof(p));	/* o has them now */
	}
	profile_free(&p);
	return ret;
}

void
client_opts_free(struct client_opts *o)
{
	struct profile p = { o->issuer, o->api_base, o->client_id, o->client_secret,
	    o->redirect_uri };

	profile_free(&p);
	o->issuer = o->api_base = o->client_id = o->client_secret = o->redirect_uri = NULL;
}

int
client_report(const struct cerr *e)
{
	const char *line = e->msg, *nl;

	do {
		nl = strchr(line, '\n');
		cli_error("%.*s", nl ? (int)(nl - line) : (int)strlen(line), line);
		line = nl + 1;
	} while (nl != NULL);
	fputs(e->hint, stderr);
	return e->kind == CERR_REFUSED ? CLIENT_EXIT_REFUSED : CLIENT_EXIT_ERROR;
}

int
client_oauth_error(const char *doing, enum oauth_rc rc, const struct oauth_err *err)
{
	struct cerr e;

	cerr_oauth(&e, doing, rc, err);
	return client_report(&e);
}

int
client_check_scopes(const char *scopes)
{
	struct cerr e;

	return scopecheck(scopes, &e) == 0 ? 0 : client_report(&e);
}

struct pick
client_pick(const struct client_opts *o, enum pick_which which, enum pick_fresh fresh)
{
	return (struct pick){ o->issuer, o->client_id, o->client_secret, o->login, o->app,
	    &o->given, which, fresh };
}

int
client_stored_token(struct client_opts *o, enum pick_which which, enum pick_fresh fresh,
    struct tok_record *rec)
{
	struct pick p = client_pick(o, which, fresh);
	struct cerr e;

	if (pick_token(&p, rec, &e) == -1)
		return client_report(&e);
	if (o->client_id == NULL)
		o->client_id = xstrdup(rec->client_id);
	return 0;
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
