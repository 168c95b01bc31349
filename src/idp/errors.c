/* The error table; see errors.h. */
#include "errors.h"

#include "../common/limits.h"

static const struct idp_err_info table[IDP_ERR__MAX] = {
	[IDP_OK] = { 200, "ok" },
	[IDP_ERR_MISSING_CLIENT_ID] = { 400, "missing client id", "invalid_request" },
	[IDP_ERR_BASIC_MALFORMED] = { 400,
	    "malformed HTTP Basic credentials: send the base64 of client_id:client_secret",
	    "invalid_request", 1 },
	[IDP_ERR_CLIENT_AUTH_TWICE] = { 400,
	    "send the client's credentials one way: HTTP Basic, or the client_id and "
	    "client_secret parameters, not both", "invalid_request", 1 },
	[IDP_ERR_BASIC_FOR_TWITCH] = { 400,
	    "invalid client: Twitch takes client_id and client_secret as parameters, not HTTP "
	    "Basic; send them as parameters, or give the app the oauth2 profile",
	    "invalid_client", 1 },
	[IDP_ERR_INVALID_CLIENT] = { 400, "invalid client", "invalid_client" },
	[IDP_ERR_MISSING_CLIENT_SECRET] = { 400, "missing client secret", "invalid_client" },
	[IDP_ERR_INVALID_CLIENT_SECRET] = { 403, "invalid client secret", "invalid_client" },
	[IDP_ERR_INVALID_GRANT_TYPE] = { 400, "invalid grant type", "unsupported_grant_type" },
	[IDP_ERR_PUBLIC_CLIENT_CREDENTIALS] = { 400,
	    "invalid client: public clients cannot use client_credentials; "
	    "use the device code flow", "unauthorized_client" },
	[IDP_ERR_PUBLIC_CLIENT_CODE] = { 400,
	    "invalid client: public clients have no secret to exchange a code with; "
	    "use the device code flow", "unauthorized_client" },
	[IDP_ERR_PUBLIC_INTROSPECT] = { 400,
	    "invalid client: public clients cannot introspect tokens; a confidential app and "
	    "its secret can", "unauthorized_client" },
	[IDP_ERR_INVALID_SCOPE] = { 400, "invalid scope requested", "invalid_scope" },
	[IDP_ERR_MISSING_CODE] = { 400, "missing code", "invalid_request" },
	[IDP_ERR_INVALID_CODE] = { 400, "Invalid authorization code", "invalid_grant" },
	[IDP_ERR_REDIRECT_MISMATCH] = { 400,
	    "Parameter redirect_uri does not match registered URI", "invalid_grant" },
	[IDP_ERR_MISSING_CODE_VERIFIER] = { 400,
	    "missing code verifier: this code was requested with a code_challenge",
	    "invalid_grant" },
	[IDP_ERR_INVALID_CODE_VERIFIER] = { 400,
	    "Invalid code verifier: it does not match the code_challenge of this code "
	    "(or the code was requested without one)", "invalid_grant" },
	[IDP_ERR_MISSING_REFRESH_TOKEN] = { 400, "missing refresh token", "invalid_request" },
	[IDP_ERR_INVALID_REFRESH_TOKEN] = { 400, "Invalid refresh token", "invalid_grant" },
	[IDP_ERR_REFRESH_WIDENS] = { 400,
	    "invalid scope requested: a refresh cannot add scopes the user did not grant",
	    "invalid_scope" },
	[IDP_ERR_MISSING_DEVICE_CODE] = { 400, "missing device code", "invalid_request" },
	[IDP_ERR_AUTHORIZATION_PENDING] = { 400, "authorization_pending",
	    "authorization_pending" },
	[IDP_ERR_SLOW_DOWN] = { 400, "slow_down", "slow_down" },
	[IDP_ERR_DEVICE_DENIED] = { 400, "access_denied", "access_denied" },
	[IDP_ERR_INVALID_DEVICE_CODE] = { 400, "invalid device code", "invalid_grant" },
	[IDP_ERR_DEVICE_CODE_EXPIRED] = { 400, "invalid device code", "expired_token" },
	[IDP_ERR_USER_CODE_DECIDED] = { 400,
	    "That code has been answered already: your device has the answer. "
	    "To change it, start again on the device." },
	[IDP_ERR_WRONG_USER_CODE] = { 400,
	    "That code is not valid. Check the code your device shows; "
	    "codes work once and expire after 30 minutes." },
	[IDP_ERR_ACTIVATE_THROTTLED] = { 429,
	    "Too many wrong codes; wait a moment and try again" },
	[IDP_ERR_USERINFO_NEEDS_OPENID] = { 401,
	    "the access token was not granted the openid scope" },
	[IDP_ERR_NO_SIGNING_KEY] = { 503, "no OpenID Connect signing key; run 'twauth keys rotate'",
	    "temporarily_unavailable" },
	[IDP_ERR_NO_KEY_SECRET] = { 503, "no secret file to seal OpenID Connect signing keys with",
	    "temporarily_unavailable" },
	[IDP_ERR_KEY_SECRET_MISMATCH] = { 503,
	    "the secret file does not open the signing key (was the database moved without "
	    "its secret file?)", "temporarily_unavailable" },
	[IDP_ERR_MISSING_AUTHORIZATION] = { 401, "missing authorization token" },
	[IDP_ERR_INVALID_ACCESS_TOKEN] = { 401, "invalid access token" },
	[IDP_ERR_MISSING_OAUTH_TOKEN] = { 400, "missing oauth token", "invalid_request" },
	[IDP_ERR_HELIX_NO_TOKEN] = { 401, "OAuth token is missing" },
	[IDP_ERR_HELIX_NO_CLIENT_ID] = { 401, "Client ID is missing" },
	[IDP_ERR_HELIX_CLIENT_MISMATCH] = { 401, "Client ID and OAuth token do not match" },
	[IDP_ERR_HELIX_INVALID_TOKEN] = { 401, "Invalid OAuth token" },
	[IDP_ERR_HELIX_USERS_NEED_QUERY] = { 400, "Must provide an ID, Login or OAuth Token." },
	[IDP_ERR_HELIX_TOO_MANY_IDS] = { 400,
	    "The sum of the id and login parameters must not exceed " TW_STR(TW_HELIX_MAX_IDS) },
	[IDP_ERR_HELIX_NEED_BROADCASTER] = { 400,
	    "Missing required parameter \"broadcaster_id\"" },
	[IDP_ERR_BAD_APP_NAME] = { 400,
	    "app name must be 1 to " TW_STR(TW_MAX_APP_NAME) " bytes of printable text" },
	[IDP_ERR_BAD_REDIRECT_URI] = { 400,
	    "redirect URI must be an absolute http:// or https:// URL without a "
	    "fragment, user name or spaces, at most " TW_STR(TW_MAX_REDIRECT_URI) " bytes" },
	[IDP_ERR_NO_REDIRECT_URI] = { 400, "an app needs at least one redirect URI" },
	[IDP_ERR_TOO_MANY_REDIRECT_URIS] = { 400,
	    "an app has at most " TW_STR(TW_MAX_REDIRECT_URIS) " redirect URIs" },
	[IDP_ERR_REDIRECT_URI_EXISTS] = { 400, "that redirect URI is registered already" },
	[IDP_ERR_REDIRECT_URI_NOT_FOUND] = { 400, "that redirect URI is not registered" },
	[IDP_ERR_LAST_REDIRECT_URI] = { 400,
	    "cannot remove the last redirect URI; add another first" },
	[IDP_ERR_UNKNOWN_APP] = { 404, "no app with that client id" },
	[IDP_ERR_PUBLIC_APP_SECRET] = { 400, "public apps have no client secret" },
	[IDP_ERR_MOCK_NEEDS_SECRET] = { 400, "invalid client: a user_token grant needs a "
	    "confidential app and its secret", "unauthorized_client" },
	[IDP_ERR_MOCK_MISSING_USER] = { 400, "missing user id", "invalid_request" },
	[IDP_ERR_MOCK_BAD_USER] = { 400, "invalid user id", "invalid_request" },
	[IDP_ERR_BAD_CATEGORY] = { 400,
	    "unknown category (see 'twauth app --help' for the list)" },
	[IDP_ERR_BAD_LOGIN] = { 400,
	    "login must be " TW_STR(TW_LOGIN_MIN) " to " TW_STR(TW_LOGIN_MAX)
	    " characters: letters, digits and underscores" },
	[IDP_ERR_LOGIN_TAKEN] = { 409, "that login is taken" },
	[IDP_ERR_UNKNOWN_USER] = { 404, "no user with that login" },
	[IDP_ERR_BAD_PASSWORD] = { 400,
	    "password must be " TW_STR(TW_PASSWORD_MIN) " to " TW_STR(TW_PASSWORD_MAX) " bytes" },
	[IDP_ERR_BAD_DISPLAY_NAME] = { 400,
	    "display name must be 1 to " TW_STR(TW_MAX_DISPLAY_NAME) " bytes of printable text" },
	[IDP_ERR_BAD_EMAIL] = { 400,
	    "email must look like name@domain, at most " TW_STR(TW_MAX_EMAIL) " bytes" },
	[IDP_ERR_BAD_PROFILE_URL] = { 400,
	    "profile image URL must be an absolute http:// or https:// URL" },
	[IDP_ERR_NOT_CONNECTED] = { 404, "that user has not authorized that app" },
	[IDP_ERR_SIGNIN_FAILED] = { 401, "Incorrect login or password" },
	[IDP_ERR_SIGNIN_THROTTLED] = { 429,
	    "Too many failed sign-in attempts; wait a moment and try again" },
	[IDP_ERR_CLIENT_THROTTLED] = { 429,
	    "Too many failed client authentications; wait a moment and try again",
	    "temporarily_unavailable" },
	[IDP_ERR_TOKEN_CHAOS] = { 503, "service unavailable; try again in a moment",
	    "temporarily_unavailable" },
	[IDP_ERR_UNAVAILABLE] = { 503, "service unavailable: the database failed; try again",
	    "temporarily_unavailable" },
};

const struct idp_err_info *
idp_err_info(enum idp_err err)
{
	if (err < 0 || err >= IDP_ERR__MAX || table[err].message == 0)
		return &table[IDP_ERR_UNAVAILABLE];
	return &table[err];
}
