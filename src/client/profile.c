/* Where a client command's issuer, app and secret come from; see profile.h. */
#include "profile.h"

#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "cfgdir.h"
#include "fetch.h"
#include "oauth.h"

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
 * An issuer or API base as we keep it: no trailing slash, for issuers no
 * "/oauth2" (people paste the OpenID issuer), for API bases no "/helix"
 * (people paste Twitch's API root).  NULL with err if not allowed.
 */
static char *
base_url(const char *given, int is_issuer, const char *what, struct cerr *err)
{
	const char *tail = is_issuer ? "/oauth2" : "/helix", *endpoint;
	char *s = xstrdup(given);
	size_t len = strlen(s);

	while (len > 0 && s[len - 1] == '/')
		s[--len] = '\0';
	if (len > strlen(tail) && strcmp(s + len - strlen(tail), tail) == 0)
		s[len -= strlen(tail)] = '\0';
	/* An endpoint's URL pasted as the issuer answers 404 to every call. */
	if (is_issuer && (endpoint = strstr(s, "/oauth2/")) != NULL) {
		cerr_set(err, CERR_ERROR, "issuer '%s' names an endpoint (%s): the issuer is "
		    "the service's base URL, %.*s", given, endpoint, (int)(endpoint - s), s);
		cerr_hint(err, "  Twitch's is " OAUTH_DEFAULT_ISSUER "; a local twauth serve's "
		    "is http://localhost:PORT.\n");
		free(s);
		return NULL;
	}
	if (fetch_url_allowed(s) == -1) {
		cerr_set(err, CERR_ERROR, "%s '%s' must be an https:// URL (or http:// to "
		    "localhost, 127.0.0.1 or [::1])", what, given);
		free(s);
		return NULL;
	}
	return s;
}

int
profile_resolve(const struct profile_flags *flags, struct profile *out, struct cerr *err)
{
	const char *name = flags->name ? flags->name : PROFILE_DEFAULT, *v;
	char why[512];
	json_t *cfg = NULL, *profile;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (cfgdir_read(PROFILE_FILE, &cfg, why, sizeof(why)) == -1)
		return cerr_set(err, CERR_ERROR, "%s", why);
	profile = json_object_get(json_object_get(cfg, "profiles"), name);
	if (profile == NULL && strcmp(name, PROFILE_DEFAULT) != 0) {
		cerr_set(err, CERR_ERROR, "no profile '%s'; make it with 'twauth configure "
		    "--profile %s'", name, name);
		goto out;
	}
	v = first_of(flags->issuer, "TWAUTH_ISSUER", profile, "issuer");
	if ((out->issuer = base_url(v ? v : OAUTH_DEFAULT_ISSUER, 1, "issuer", err)) == NULL)
		goto out;
	v = first_of(flags->api_base, "TWAUTH_API_BASE", profile, "api_base");
	/* A twauth serve answers Helix itself; Twitch's API lives elsewhere. */
	if (v == NULL)
		v = strcmp(out->issuer, OAUTH_DEFAULT_ISSUER) == 0 ? OAUTH_DEFAULT_API_BASE :
		    out->issuer;
	if ((out->api_base = base_url(v, 0, "API base", err)) == NULL)
		goto out;
	if ((v = first_of(flags->client_id, "TWITCH_CLIENT_ID", profile, "client_id")))
		out->client_id = xstrdup(v);
	if ((v = first_of(flags->client_secret, "TWITCH_CLIENT_SECRET", profile,
	    "client_secret")))
		out->client_secret = xstrdup(v);
	v = first_of(NULL, NULL, profile, "redirect_uri");
	out->redirect_uri = xstrdup(v ? v : PROFILE_DEFAULT_REDIRECT);
	rc = 0;
out:
	json_decref(cfg);
	return rc;
}

void
profile_free(struct profile *p)
{
	free(p->issuer);
	free(p->api_base);
	free(p->client_id);
	xfree_secret_str(p->client_secret);
	free(p->redirect_uri);
	memset(p, 0, sizeof(*p));
}

/* The profile name of cfg (made there if missing). */
static json_t *
profile_in(json_t *cfg, const char *name)
{
	json_t *profiles, *profile;

	if ((profiles = json_object_get(cfg, "profiles")) == NULL)
		json_object_set_new(cfg, "profiles", profiles = json_object());
	if ((profile = json_object_get(profiles, name)) == NULL)
		json_object_set_new(profiles, name, profile = json_object());
	return profile;
}

json_t *
profile_show(const char *name, struct cerr *err)
{
	json_t *cfg, *copy;
	char why[512];

	if (cfgdir_read(PROFILE_FILE, &cfg, why, sizeof(why)) == -1) {
		cerr_set(err, CERR_ERROR, "%s", why);
		return NULL;
	}
	copy = json_deep_copy(profile_in(cfg, name ? name : PROFILE_DEFAULT));
	if (json_object_get(copy, "client_secret") != NULL)
		json_object_set_new(copy, "client_secret", json_string("(set)"));
	json_decref(cfg);
	return copy;
}

/* Sets field of profile to value, if given; a URL only if the client may call it. */
static MUST_CHECK int
set(json_t *profile, const char *field, const char *value, const char *url_what,
    struct cerr *err)
{
	if (value == NULL)
		return 0;
	if (url_what != NULL && fetch_url_allowed(value) == -1)
		return cerr_set(err, CERR_ERROR, "%s '%s' must be https:// (or http:// to "
		    "localhost)", url_what, value);
	json_object_set_new(profile, field, json_string(value));
	return 0;
}

int
profile_save(const struct profile_edit *e, struct cerr *err)
{
	const char *secret = e->client_secret && e->client_secret[0] ? e->client_secret : NULL;
	json_t *cfg = NULL, *profile;
	char why[512];
	int lock, rc = -1;

	if ((lock = cfgdir_lock(why, sizeof(why))) == -1 ||
	    cfgdir_read(PROFILE_FILE, &cfg, why, sizeof(why)) == -1) {
		cerr_set(err, CERR_ERROR, "%s", why);
		goto out;
	}
	profile = profile_in(cfg, e->name ? e->name : PROFILE_DEFAULT);
	if (set(profile, "issuer", e->issuer, "issuer", err) == -1 ||
	    set(profile, "api_base", e->api_base, "API base", err) == -1 ||
	    set(profile, "client_id", e->client_id, NULL, err) == -1 ||
	    set(profile, "redirect_uri", e->redirect_uri, NULL, err) == -1 ||
	    set(profile, "client_secret", secret, NULL, err) == -1)
		goto out;
	if (cfgdir_write(PROFILE_FILE, cfg, why, sizeof(why)) == -1) {
		cerr_set(err, CERR_ERROR, "%s", why);
		goto out;
	}
	rc = 0;
out:
	json_decref(cfg);
	cfgdir_unlock(lock);
	return rc;
}
