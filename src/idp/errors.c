/* The error table; see errors.h. */
#include "errors.h"

static const struct idp_err_info table[IDP_ERR__MAX] = {
	[IDP_OK] = { 200, "ok" },
	[IDP_ERR_MISSING_CLIENT_ID] = { 400, "missing client id" },
	[IDP_ERR_INVALID_CLIENT] = { 400, "invalid client" },
	[IDP_ERR_MISSING_CLIENT_SECRET] = { 400, "missing client secret" },
	[IDP_ERR_INVALID_CLIENT_SECRET] = { 403, "invalid client secret" },
	[IDP_ERR_INVALID_GRANT_TYPE] = { 400, "invalid grant type" },
	[IDP_ERR_PUBLIC_CLIENT_CREDENTIALS] = { 400,
	    "invalid client: public clients cannot use client_credentials; "
	    "use the device code flow" },
	[IDP_ERR_MISSING_AUTHORIZATION] = { 401, "missing authorization token" },
	[IDP_ERR_INVALID_ACCESS_TOKEN] = { 401, "invalid access token" },
	[IDP_ERR_MISSING_OAUTH_TOKEN] = { 400, "missing oauth token" },
	[IDP_ERR_BAD_APP_NAME] = { 400,
	    "app name must be 1 to 100 bytes of printable text" },
	[IDP_ERR_BAD_REDIRECT_URI] = { 400,
	    "redirect URI must be an absolute http:// or https:// URL without a "
	    "fragment, user name or spaces, at most 2048 bytes" },
	[IDP_ERR_NO_REDIRECT_URI] = { 400, "an app needs at least one redirect URI" },
	[IDP_ERR_TOO_MANY_REDIRECT_URIS] = { 400, "an app has at most 10 redirect URIs" },
	[IDP_ERR_REDIRECT_URI_EXISTS] = { 400, "that redirect URI is registered already" },
	[IDP_ERR_REDIRECT_URI_NOT_FOUND] = { 400, "that redirect URI is not registered" },
	[IDP_ERR_LAST_REDIRECT_URI] = { 400,
	    "cannot remove the last redirect URI; add another first" },
	[IDP_ERR_UNKNOWN_APP] = { 404, "no app with that client id" },
	[IDP_ERR_PUBLIC_APP_SECRET] = { 400, "public apps have no client secret" },
	[IDP_ERR_UNAVAILABLE] = { 503, "service unavailable: the database failed; try again" },
};

const struct idp_err_info *
idp_err_info(enum idp_err err)
{
	if (err < 0 || err >= IDP_ERR__MAX || table[err].message == 0)
		return &table[IDP_ERR_UNAVAILABLE];
	return &table[err];
}
