/* Unit tests of idp/errors.c: one status and message for every error. */
#include <stdio.h>
#include <string.h>

#include "../../src/common/limits.h"
#include "../../src/idp/idp.h"
#include "t.h"

static void
idp_error_table_is_complete(void)
{
	for (int e = IDP_OK + 1; e < IDP_ERR__MAX; e++) {
		const struct idp_err_info *info = idp_err_info((enum idp_err)e);

		CHECK(info->message != NULL && info->status >= 400 && info->status < 600);
		/* No slot falls through to the fallback by accident. */
		CHECK(e == IDP_ERR_UNAVAILABLE || info != idp_err_info(IDP_ERR_UNAVAILABLE));
	}
	CHECK(idp_err_info(IDP_ERR_INVALID_CLIENT_SECRET)->status == 403);
	CHECK_STR(idp_err_info(IDP_ERR_MISSING_CLIENT_ID)->message, "missing client id");
	/* The oauth2 profile's codes: RFC 6749 5.2 and RFC 8628 3.5 names. */
	CHECK_STR(idp_err_info(IDP_ERR_INVALID_CLIENT_SECRET)->oauth, "invalid_client");
	CHECK_STR(idp_err_info(IDP_ERR_INVALID_CODE_VERIFIER)->oauth, "invalid_grant");
	CHECK_STR(idp_err_info(IDP_ERR_AUTHORIZATION_PENDING)->oauth, "authorization_pending");
	CHECK_STR(idp_err_info(IDP_ERR_INVALID_GRANT_TYPE)->oauth, "unsupported_grant_type");
	CHECK(idp_err_info(IDP_ERR_HELIX_NO_TOKEN)->oauth == NULL);
}

/* True if message has want, not followed by another digit. */
static int
says(const char *message, const char *want)
{
	const char *p = strstr(message, want);

	return p != NULL && (p[strlen(want)] < '0' || p[strlen(want)] > '9');
}

/* Messages that name a limit say the number of limits.h (TW_STR). */
static void
idp_limit_messages(void)
{
	static const struct {
		enum idp_err	 err;
		const char	*words;		/* before the number */
		int		 min, max;	/* min 0: only max is said */
	} cases[] = {
		{ IDP_ERR_HELIX_TOO_MANY_IDS, "must not exceed ", 0, TW_HELIX_MAX_IDS },
		{ IDP_ERR_HELIX_TITLE_TOO_LONG, "exceeds the ", 0, TW_HELIX_MAX_TITLE },
		{ IDP_ERR_BAD_APP_NAME, "1 to ", 0, TW_MAX_APP_NAME },
		{ IDP_ERR_BAD_REDIRECT_URI, "at most ", 0, TW_MAX_REDIRECT_URI },
		{ IDP_ERR_TOO_MANY_REDIRECT_URIS, "at most ", 0, TW_MAX_REDIRECT_URIS },
		{ IDP_ERR_BAD_LOGIN, "be ", TW_LOGIN_MIN, TW_LOGIN_MAX },
		{ IDP_ERR_BAD_PASSWORD, "be ", TW_PASSWORD_MIN, TW_PASSWORD_MAX },
		{ IDP_ERR_BAD_DISPLAY_NAME, "1 to ", 0, TW_MAX_DISPLAY_NAME },
		{ IDP_ERR_BAD_EMAIL, "at most ", 0, TW_MAX_EMAIL },
	};
	char want[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].min == 0)
			snprintf(want, sizeof(want), "%s%d", cases[i].words, cases[i].max);
		else
			snprintf(want, sizeof(want), "%s%d to %d", cases[i].words, cases[i].min,
			    cases[i].max);
		CHECK(says(idp_err_info(cases[i].err)->message, want));
	}
}

void
suite_idp_errors(void)
{
	RUN(idp_error_table_is_complete);
	RUN(idp_limit_messages);
}
