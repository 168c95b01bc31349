/* Unit tests of idp/errors.c: one status and message for every error. */
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
}

void
suite_idp_errors(void)
{
	RUN(idp_error_table_is_complete);
}
