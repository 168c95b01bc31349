/*
 * Unit tests of store_code.c: a code is redeemed once, by one of any
 * number of concurrent redemptions, and its replay ends the grant it made;
 * a code bound by PKCE is redeemed only with its proof, and one that is
 * not, only without one; a wrong proof uses nothing up.
 */
#include <stdio.h>
#include <string.h>

#include "../../src/common/limits.h"
#include "../../src/store/store.h"
#include "t.h"

static void
store_code_redeem_is_single_use(void)
{
	struct store_code code, out;
	struct store_issue is;
	struct store_token tok;
	int64_t uid;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	memset(&code, 0, sizeof(code));
	memset(code.hash, 7, HASH_LEN);
	snprintf(code.client_id, sizeof(code.client_id), "c1");
	code.user_id = uid;
	code.redirect_uri = "http://localhost:3000";
	code.scopes = "chat:read";
	code.pkce = "bound";
	code.created_at = 1000;
	code.expires_at = 1600;
	CHECK(store_code_insert(st, &code) == STORE_OK);
	t_issue_for(&is, 1, 1, 1001);
	CHECK(store_code_redeem(st, code.hash, "c2", "http://localhost:3000", "bound", &is, &out) ==
	    STORE_NOTFOUND);
	CHECK(store_code_redeem(st, code.hash, "c1", "http://localhost:3000/", "bound", &is, &out) ==
	    STORE_MISMATCH);
	t_issue_for(&is, 1, 1, 1600);
	CHECK(store_code_redeem(st, code.hash, "c1", "http://localhost:3000", "bound", &is, &out) ==
	    STORE_NOTFOUND);	/* expired at 1600 */
	t_issue_for(&is, 1, 1, 1001);
	/* Without its proof, or with another: refused, and nothing is used. */
	CHECK(store_code_redeem(st, code.hash, "c1", "http://localhost:3000", "", &is, &out) ==
	    STORE_UNPROVEN);
	CHECK(store_code_redeem(st, code.hash, "c1", "http://localhost:3000", "other", &is,
	    &out) == STORE_UNPROVEN);
	CHECK(store_code_redeem(st, code.hash, "c1", "http://localhost:3000", "bound", &is, &out) ==
	    STORE_OK);
	CHECK_STR(out.scopes, "chat:read");
	CHECK(out.user_id == uid);
	store_code_clear(&out);
	CHECK(store_token_get(st, is.access.hash, &tok) == STORE_OK);
	CHECK_STR(tok.login, "alice");
	CHECK(tok.grant_id > 0);
	store_token_clear(&tok);
	/* Again: refused, and the first redemption's token dies with its grant. */
	t_issue_for(&is, 2, 1, 1002);
	CHECK(store_code_redeem(st, code.hash, "c1", "http://localhost:3000", "bound", &is, &out) ==
	    STORE_REPLAY);
	t_issue_for(&is, 1, 1, 1001);
	CHECK(store_token_get(st, is.access.hash, &tok) == STORE_NOTFOUND);
	/* A code made without a challenge takes no proof (no downgrade). */
	memset(code.hash, 8, HASH_LEN);
	code.pkce = NULL;
	CHECK(store_code_insert(st, &code) == STORE_OK);
	t_issue_for(&is, 3, 1, 1003);
	CHECK(store_code_redeem(st, code.hash, "c1", "http://localhost:3000", "bound", &is,
	    &out) == STORE_UNPROVEN);
	CHECK(store_code_redeem(st, code.hash, "c1", "http://localhost:3000", "", &is, &out) ==
	    STORE_OK);
	store_code_clear(&out);
	store_close(st);
}

void
suite_store_code(void)
{
	RUN(store_code_redeem_is_single_use);
}
