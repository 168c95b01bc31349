/*
 * OpenID Connect: id_tokens (OIDC Core 2, 3.1.3.6, 3.2.2.10, 3.3.2.11) and
 * userinfo (5.3), with the claims request parameter (5.5).
 *
 * An id_token always has iss, sub (the user id), aud and azp (the client
 * id), iat, exp, and nonce when the request had one.  The profile claims
 * appear only when the claims parameter asks for them, as on Twitch; email
 * and email_verified only for a grant that holds user:read:email (Helix's
 * rule too), and email only when the address is verified.  Which claims a
 * request would share is part of what the user consents to
 * (idp_claims_shared): the consent page names each, and a request for
 * claims not consented before asks again.  at_hash and c_hash bind an id_token
 * to the access token or code returned beside it from /oauth2/authorize.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/b64url.h"
#include "../common/buf.h"
#include "../common/clock.h"
#include "../common/hash.h"
#include "../common/str.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

enum claim {
	CLAIM_EMAIL = 1 << 0,
	CLAIM_EMAIL_VERIFIED = 1 << 1,
	CLAIM_PICTURE = 1 << 2,
	CLAIM_PREFERRED_USERNAME = 1 << 3,
	CLAIM_UPDATED_AT = 1 << 4,
};

static const struct {
	const char	*name;
	enum claim	 bit;
	const char	*shown;		/* on the consent page */
} known_claims[] = {
	{ "email", CLAIM_EMAIL, "your email address" },
	{ "email_verified", CLAIM_EMAIL_VERIFIED, "whether your email address is verified" },
	{ "picture", CLAIM_PICTURE, "your profile picture" },
	{ "preferred_username", CLAIM_PREFERRED_USERNAME, "your display name" },
	{ "updated_at", CLAIM_UPDATED_AT, "when your profile last changed" },
};
#define N_CLAIMS (sizeof(known_claims) / sizeof(known_claims[0]))

/* The claims scopes allow: the email ones need user:read:email. */
static unsigned
allowed(unsigned bits, const char *scopes)
{
	if (scopes == NULL || !words_within("user:read:email", scopes))
		bits &= ~(unsigned)(CLAIM_EMAIL | CLAIM_EMAIL_VERIFIED);
	return bits;
}

int
idp_has_openid(const char *scopes)
{
	return scopes != NULL && words_within("openid", scopes);
}

/* The claims member ("id_token" or "userinfo") asks for: a set of bits. */
static unsigned
asked(json_t *req, const char *member)
{
	json_t *m = json_object_get(req, member);
	unsigned bits = 0;

	for (size_t i = 0; m != NULL && i < sizeof(known_claims) / sizeof(known_claims[0]); i++)
		if (json_object_get(m, known_claims[i].name) != NULL)
			bits |= known_claims[i].bit;
	return bits;
}

/*
 * Parses a claims request; NULL or "" asks for nothing.  -1 if it is not a
 * JSON object whose id_token and userinfo members (if any) are objects.
 */
static int
claims_parse(const char *claims, unsigned *id_token, unsigned *userinfo)
{
	json_t *req, *m;
	int ok = 1;

	*id_token = *userinfo = 0;
	if (claims == NULL || *claims == '\0')
		return 0;
	if ((req = json_loads(claims, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return -1;
	if (!json_is_object(req))
		ok = 0;
	if ((m = json_object_get(req, "id_token")) != NULL && !json_is_object(m))
		ok = 0;
	if ((m = json_object_get(req, "userinfo")) != NULL && !json_is_object(m))
		ok = 0;
	if (ok) {
		*id_token = asked(req, "id_token");
		*userinfo = asked(req, "userinfo");
	}
	json_decref(req);
	return ok ? 0 : -1;
}

int
idp_claims_ok(const char *claims)
{
	unsigned a, b;

	return claims_parse(claims, &a, &b);
}

unsigned
idp_claims_shared(const char *claims, const char *scopes)
{
	unsigned id_token, userinfo;

	if (claims_parse(claims, &id_token, &userinfo) == -1)
		return 0;
	return allowed(id_token | userinfo, scopes);
}

size_t
idp_claims_shown(unsigned bits, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < N_CLAIMS && n < max; i++)
		if (bits & known_claims[i].bit)
			out[n++] = known_claims[i].shown;
	return n;
}

char *
idp_consent_of(const char *scopes, unsigned bits)
{
	struct buf b;

	/* A scope list is at most one parameter; the claims add their few names. */
	buf_init(&b, TW_MAX_PARAM_VALUE + 128);
	if (buf_add_cstr(&b, scopes) == -1)
		fatal("consent over its cap");
	for (size_t i = 0, first = 1; i < N_CLAIMS; i++)
		if (bits & known_claims[i].bit) {
			if (buf_printf(&b, "%s%s", first ? " +claims:" : ",",
			    known_claims[i].name) == -1)
				fatal("consent over its cap");
			first = 0;
		}
	return b.data != NULL ? b.data : xstrdup("");
}

/* Adds the claims in bits about u to obj, as far as scopes allow. */
static void
add_claims(json_t *obj, unsigned bits, const struct store_user *u, const char *scopes)
{
	bits = allowed(bits, scopes);
	if ((bits & CLAIM_EMAIL) && u->email_verified && u->email[0] != '\0')
		json_object_set_new(obj, "email", json_string(u->email));
	if (bits & (CLAIM_EMAIL | CLAIM_EMAIL_VERIFIED))
		json_object_set_new(obj, "email_verified", json_boolean(u->email_verified));
	if ((bits & CLAIM_PICTURE) && u->profile_image_url[0] != '\0')
		json_object_set_new(obj, "picture", json_string(u->profile_image_url));
	if (bits & CLAIM_PREFERRED_USERNAME)
		json_object_set_new(obj, "preferred_username", json_string(u->display_name));
	if (bits & CLAIM_UPDATED_AT)
		json_object_set_new(obj, "updated_at", json_integer(u->updated_at));
}

static json_t *
subject(int64_t user_id)
{
	char sub[24];

	snprintf(sub, sizeof(sub), "%lld", (long long)user_id);
	return json_string(sub);
}

/* at_hash / c_hash: the left half of SHA-256 of value, base64url. */
static json_t *
half_hash(const char *value)
{
	uint8_t d[HASH_LEN];
	char out[HASH_LEN];

	hash_sha256(value, strlen(value), d);
	b64url_encode(d, HASH_LEN / 2, out);
	return json_string(out);
}

enum idp_err
idp_id_token(struct idp *idp, const struct id_token_in *in, char **out)
{
	unsigned bits, unused;
	int64_t now = clock_now();
	json_t *t;
	char *payload;
	enum idp_err err;

	*out = NULL;
	if (claims_parse(in->claims, &bits, &unused) == -1)
		bits = 0;	/* checked at authorize; never fail sign-in over it */
	t = json_pack("{s:s, s:o, s:s, s:s, s:I, s:I}",
	    "iss", in->issuer, "sub", subject(in->user->id), "aud", in->client_id,
	    "azp", in->client_id, "iat", (json_int_t)now,
	    "exp", (json_int_t)(now + idp->cfg.id_token_ttl));
	if (in->nonce != NULL && *in->nonce != '\0')
		json_object_set_new(t, "nonce", json_string(in->nonce));
	if (in->access_token != NULL)
		json_object_set_new(t, "at_hash", half_hash(in->access_token));
	if (in->code != NULL)
		json_object_set_new(t, "c_hash", half_hash(in->code));
	add_claims(t, bits, in->user, in->scopes);
	payload = json_dumps(t, JSON_COMPACT);
	json_decref(t);
	if (payload == NULL)
		fatal("cannot encode an id_token");
	err = idp_sign_jwt(idp, payload, out);
	free(payload);
	return err;
}

enum idp_err
idp_userinfo(struct idp *idp, const char *token, size_t token_len, json_t **out)
{
	struct store_token tok;
	struct store_user u;
	unsigned unused, bits;
	enum idp_err err;

	*out = NULL;
	memset(&u, 0, sizeof(u));
	if ((err = idp_live_token(idp, token, token_len, clock_now(), &tok, NULL)) != IDP_OK)
		return err;
	if (tok.user_id == 0 || !idp_has_openid(tok.scopes))
		err = IDP_ERR_USERINFO_NEEDS_OPENID;
	else
		err = idp_from_store(store_user_get(idp->store, tok.user_id, &u),
		    IDP_ERR_INVALID_ACCESS_TOKEN);
	if (err == IDP_OK) {
		/* The claims request lives with the grant the token belongs to. */
		if (claims_parse(tok.claims, &unused, &bits) == -1)
			bits = 0;
		*out = json_pack("{s:o}", "sub", subject(u.id));
		add_claims(*out, bits, &u, tok.scopes);
	}
	store_user_clear(&u);
	store_token_clear(&tok);
	return err;
}
