/*
 * OpenID Connect's HTTP faces: discovery (at /oauth2/.well-known/... as
 * Twitch has it, and at the root where generic libraries look first), the
 * JWKS, and userinfo.  Every URL is built from the public URL, so the
 * issuer a relying party discovers is the one in our id_tokens.
 */
#include <stdio.h>
#include <string.h>

#include "../common/auth_header.h"
#include "routes.h"

void
http_issuer(struct request *req, char *out, size_t len)
{
	snprintf(out, len, "%s/oauth2", req_base_url(req));
}

static json_t *
strings(const char *const *list, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(list[i]));
	return a;
}

#define STRINGS(list) strings(list, sizeof(list) / sizeof(list[0]))

void
http_discovery(struct request *req)
{
	static const char *const response_types[] = {
		"id_token", "code", "token", "code id_token", "token id_token",
	};
	static const char *const subject_types[] = { "public" };
	static const char *const algs[] = { "RS256" };
	static const char *const scopes[] = { "openid" };
	/* Basic is for oauth2-profile apps (a twitch app is told to send parameters). */
	static const char *const auth_methods[] = { "client_secret_post", "client_secret_basic" };
	static const char *const pkce_methods[] = { "S256", "plain" };
	static const char *const grant_types[] = {
		"authorization_code", "client_credentials", "refresh_token",
		"urn:ietf:params:oauth:grant-type:device_code", "implicit",
	};
	static const char *const claims[] = {
		"aud", "exp", "iat", "iss", "sub", "azp", "email", "email_verified",
		"picture", "preferred_username", "updated_at",
	};
	const char *base = req_base_url(req);
	char issuer[400], url[400];
	json_t *doc;

	http_issuer(req, issuer, sizeof(issuer));
	doc = json_pack("{s:s}", "issuer", issuer);
#define URL(name, path) do { \
	snprintf(url, sizeof(url), "%s%s", base, path); \
	json_object_set_new(doc, name, json_string(url)); \
} while (0)
	URL("authorization_endpoint", "/oauth2/authorize");
	URL("token_endpoint", "/oauth2/token");
	URL("userinfo_endpoint", "/oauth2/userinfo");
	URL("jwks_uri", "/oauth2/keys");
	URL("device_authorization_endpoint", "/oauth2/device");
	URL("revocation_endpoint", "/oauth2/revoke");
	URL("introspection_endpoint", "/oauth2/introspect");
#undef URL
	json_object_set_new(doc, "response_types_supported", STRINGS(response_types));
	json_object_set_new(doc, "subject_types_supported", STRINGS(subject_types));
	json_object_set_new(doc, "id_token_signing_alg_values_supported", STRINGS(algs));
	json_object_set_new(doc, "scopes_supported", STRINGS(scopes));
	json_object_set_new(doc, "token_endpoint_auth_methods_supported",
	    STRINGS(auth_methods));
	json_object_set_new(doc, "grant_types_supported", STRINGS(grant_types));
	json_object_set_new(doc, "revocation_endpoint_auth_methods_supported",
	    STRINGS(auth_methods));
	json_object_set_new(doc, "introspection_endpoint_auth_methods_supported",
	    STRINGS(auth_methods));
	json_object_set_new(doc, "code_challenge_methods_supported", STRINGS(pkce_methods));
	json_object_set_new(doc, "claims_parameter_supported", json_true());
	json_object_set_new(doc, "claims_supported", STRINGS(claims));
	req_reply_json(req, 200, doc);
}

void
http_jwks(struct request *req)
{
	struct idp_key_info *keys = NULL;
	size_t n = 0;
	json_t *list;
	enum idp_err err;

	if ((err = idp_keys_list(req_idp(req), 1, &keys, &n)) != IDP_OK) {
		req_reply_error(req, err);
		return;
	}
	list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
		    "kty", "RSA", "alg", "RS256", "use", "sig", "kid", keys[i].kid,
		    "n", keys[i].n, "e", keys[i].e));
	idp_key_info_free(keys, n);
	req_reply_json(req, 200, json_pack("{s:o}", "keys", list));
}

void
http_userinfo(struct request *req)
{
	struct str token;
	json_t *claims = NULL;
	enum idp_err err;

	switch (auth_header_parse(req_header(req, "Authorization"), &token)) {
	case AUTH_NONE:
		err = IDP_ERR_MISSING_AUTHORIZATION;
		break;
	case AUTH_BASIC:
	case AUTH_OTHER:
		err = IDP_ERR_INVALID_ACCESS_TOKEN;
		break;
	default:
		err = idp_userinfo(req_idp(req), token.p, token.len, &claims);
		break;
	}
	if (err == IDP_OK) {
		req_reply_json(req, 200, claims);
		return;
	}
	/* RFC 6750 3: say why, where OAuth clients look for it. */
	if (err == IDP_ERR_MISSING_AUTHORIZATION)
		req_add_header(req, "WWW-Authenticate", "Bearer");
	else if (idp_err_info(err)->status == 401)
		req_add_header(req, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
	req_reply_error(req, err);
}
