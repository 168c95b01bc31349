/*
 * Every error the identity logic can answer with, and the one table that
 * maps each to an HTTP status and Twitch's message (docs/TWITCH-COMPAT.md),
 * so no message string is written twice.  The CLI prints the same messages.
 */
#ifndef IDP_ERRORS_H
#define IDP_ERRORS_H

enum idp_err {
	IDP_OK = 0,
	/* token endpoint */
	IDP_ERR_MISSING_CLIENT_ID,
	IDP_ERR_BASIC_MALFORMED,
	IDP_ERR_CLIENT_AUTH_TWICE,
	IDP_ERR_BASIC_FOR_TWITCH,
	IDP_ERR_INVALID_CLIENT,
	IDP_ERR_MISSING_CLIENT_SECRET,
	IDP_ERR_INVALID_CLIENT_SECRET,
	IDP_ERR_INVALID_GRANT_TYPE,
	IDP_ERR_PUBLIC_CLIENT_CREDENTIALS,
	IDP_ERR_PUBLIC_CLIENT_CODE,
	IDP_ERR_PUBLIC_INTROSPECT,
	IDP_ERR_INVALID_SCOPE,		/* the caller appends the names */
	IDP_ERR_MISSING_CODE,
	IDP_ERR_INVALID_CODE,
	IDP_ERR_REDIRECT_MISMATCH,
	IDP_ERR_MISSING_CODE_VERIFIER,
	IDP_ERR_INVALID_CODE_VERIFIER,
	IDP_ERR_MISSING_REFRESH_TOKEN,
	IDP_ERR_INVALID_REFRESH_TOKEN,
	IDP_ERR_REFRESH_WIDENS,
	/* device code flow */
	IDP_ERR_MISSING_DEVICE_CODE,
	IDP_ERR_AUTHORIZATION_PENDING,
	IDP_ERR_SLOW_DOWN,
	IDP_ERR_DEVICE_DENIED,
	IDP_ERR_INVALID_DEVICE_CODE,
	IDP_ERR_DEVICE_CODE_EXPIRED,	/* Twitch's message; RFC 8628's expired_token */
	IDP_ERR_WRONG_USER_CODE,	/* typed at /activate */
	IDP_ERR_USER_CODE_DECIDED,	/* ... right, but decided already */
	IDP_ERR_ACTIVATE_THROTTLED,
	/* OpenID Connect */
	IDP_ERR_USERINFO_NEEDS_OPENID,
	IDP_ERR_NO_SIGNING_KEY,
	IDP_ERR_NO_KEY_SECRET,
	IDP_ERR_KEY_SECRET_MISMATCH,
	/* validate and revoke */
	IDP_ERR_MISSING_AUTHORIZATION,
	IDP_ERR_INVALID_ACCESS_TOKEN,
	IDP_ERR_MISSING_OAUTH_TOKEN,
	/* Helix (api.twitch.tv) */
	IDP_ERR_HELIX_NO_TOKEN,
	IDP_ERR_HELIX_NO_CLIENT_ID,
	IDP_ERR_HELIX_CLIENT_MISMATCH,
	IDP_ERR_HELIX_INVALID_TOKEN,
	IDP_ERR_HELIX_USERS_NEED_QUERY,
	IDP_ERR_HELIX_TOO_MANY_IDS,
	IDP_ERR_HELIX_NEED_BROADCASTER,
	/* PATCH /helix/channels (channels.c) */
	IDP_ERR_HELIX_NEED_USER_TOKEN,
	IDP_ERR_HELIX_NEED_SCOPE_BROADCAST,
	IDP_ERR_HELIX_NOT_BROADCASTER,
	IDP_ERR_HELIX_JSON_ONLY,
	IDP_ERR_HELIX_BAD_JSON,
	IDP_ERR_HELIX_NOTHING_TO_UPDATE,
	IDP_ERR_HELIX_EMPTY_TITLE,
	IDP_ERR_HELIX_TITLE_TOO_LONG,
	IDP_ERR_HELIX_BAD_GAME,
	IDP_ERR_HELIX_BAD_LANGUAGE,
	IDP_ERR_HELIX_DELAY_PARTNER,
	IDP_ERR_HELIX_TOO_MANY_TAGS,
	IDP_ERR_HELIX_TAG_TOO_LONG,
	IDP_ERR_HELIX_EMPTY_TAG,
	IDP_ERR_HELIX_BAD_TAG,
	IDP_ERR_HELIX_BAD_LABEL,
	/* app administration */
	IDP_ERR_BAD_APP_NAME,
	IDP_ERR_BAD_REDIRECT_URI,
	IDP_ERR_NO_REDIRECT_URI,
	IDP_ERR_TOO_MANY_REDIRECT_URIS,
	IDP_ERR_REDIRECT_URI_EXISTS,
	IDP_ERR_REDIRECT_URI_NOT_FOUND,
	IDP_ERR_LAST_REDIRECT_URI,
	IDP_ERR_UNKNOWN_APP,
	IDP_ERR_PUBLIC_APP_SECRET,
	IDP_ERR_BAD_CATEGORY,
	/* twitch mock-api's user_token grant (--mock-api-compat) */
	IDP_ERR_MOCK_NEEDS_SECRET,
	IDP_ERR_MOCK_MISSING_USER,
	IDP_ERR_MOCK_BAD_USER,
	/* users and sign-in */
	IDP_ERR_BAD_LOGIN,
	IDP_ERR_LOGIN_TAKEN,
	IDP_ERR_UNKNOWN_USER,
	IDP_ERR_BAD_PASSWORD,
	IDP_ERR_BAD_DISPLAY_NAME,
	IDP_ERR_BAD_EMAIL,
	IDP_ERR_BAD_PROFILE_URL,
	IDP_ERR_NOT_CONNECTED,
	IDP_ERR_SIGNIN_FAILED,
	IDP_ERR_SIGNIN_THROTTLED,
	IDP_ERR_CLIENT_THROTTLED,
	IDP_ERR_TOKEN_CHAOS,		/* serve --chaos-token-errors: a 503 on purpose */
	/* the store failed: never answer as if it had worked */
	IDP_ERR_UNAVAILABLE,
	IDP_ERR__MAX
};

struct idp_err_info {
	int		 status;	/* HTTP status */
	const char	*message;	/* Twitch's message, exactly */
	/*
	 * The RFC 6749 5.2 (or RFC 8628 3.5) error code oauth2-profile apps
	 * also get; NULL where the token endpoint never answers it.
	 */
	const char	*oauth;
	/*
	 * Answered with the RFC 6749 members to every app, whatever its
	 * profile: only a standard OAuth client can meet it (HTTP Basic), and
	 * its library should hear a clear error, not a token-shaped body.
	 */
	int		 standard;
};

/* The status and message of err; never NULL. */
const struct idp_err_info *idp_err_info(enum idp_err err);

#endif
