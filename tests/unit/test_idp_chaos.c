/*
 * Unit tests of idp/chaos.c and chaos_token.c: the reasons' names, each
 * ending recorded under the caller's request id, and the token endpoint's
 * 503s with the retry after them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/idp/audit.h"
#include "../../src/idp/idp.h"
#include "t.h"

/* An idp that records, on a store with app c1 and alice (t_store_with_user). */
static struct idp *
recording_idp(struct store **st, int64_t *alice, unsigned token_errors)
{
	struct idp_config cfg;

	if ((*st = t_store_with_user(alice)) == NULL)
		return NULL;
	idp_config_defaults(&cfg);
	cfg.audit = 1;
	cfg.chaos_token_errors = token_errors;
	return idp_new(*st, &cfg);
}

/* The first row of kind (and detail, if not NULL), or NULL. */
static const struct store_audit_row *
row_of(const struct store_audit_row *rows, size_t n, const char *kind, const char *detail)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].kind, kind) == 0 &&
		    (detail == NULL || strcmp(rows[i].detail, detail) == 0))
			return &rows[i];
	return NULL;
}

/* How many times kind (with detail, if not NULL) was counted, over minutes. */
static int64_t
count_of(const struct store_audit_row *rows, size_t n, const char *kind, const char *detail)
{
	int64_t count = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].kind, kind) == 0 &&
		    (detail == NULL || strcmp(rows[i].detail, detail) == 0))
			count += rows[i].count;
	return count;
}

static void
idp_chaos_reasons_have_one_name_each(void)
{
	enum idp_chaos_reason r;
	char id[IDP_CHAOS_REQUEST_ID_LEN + 1];

	for (int i = 0; i < IDP_CHAOS__MAX; i++) {
		CHECK(idp_chaos_reason_parse(idp_chaos_reason_name((enum idp_chaos_reason)i),
		    &r) == 0 && (int)r == i);
	}
	CHECK(idp_chaos_reason_parse("passwd", &r) == 0 && r == IDP_CHAOS_PASSWD);
	CHECK(idp_chaos_reason_parse("explode", &r) == -1);
	CHECK(idp_chaos_reason_parse(NULL, &r) == -1);
	idp_chaos_request_id(id);
	CHECK(strncmp(id, "chaos-", 6) == 0 && strlen(id) == IDP_CHAOS_REQUEST_ID_LEN);
}

static void
idp_chaos_end_records_the_reason_and_request(void)
{
	struct store_audit_row *rows = NULL;
	const struct store_audit_row *r;
	struct idp_chaos_ended e;
	struct store_grant g;
	struct store_issue is;
	struct store *st;
	struct idp *idp;
	int64_t alice;
	size_t n = 0;

	if ((idp = recording_idp(&st, &alice, 0)) == NULL)
		return;
	memset(&g, 0, sizeof(g));
	g.user_id = alice;
	snprintf(g.client_id, sizeof(g.client_id), "c1");
	g.scopes = "chat:read";
	g.created_at = 1000;
	/* Live now, so that expire finds it. */
	t_issue_for(&is, 20, 1, 4000000000LL);
	CHECK(store_grant_issue(st, &g, &is) == STORE_OK);
	CHECK(idp_chaos_end(idp, IDP_CHAOS_EXPIRE, "c1", alice, "chaos-one", &e) == IDP_OK);
	CHECK(e.reason == IDP_CHAOS_EXPIRE && e.tokens == 1 && e.user_id == alice);
	CHECK_STR(e.client_id, "c1");
	CHECK(idp_chaos_end(idp, IDP_CHAOS_EXPIRE, "c1", alice, "chaos-two", &e) ==
	    IDP_ERR_NOT_CONNECTED);
	CHECK(idp_chaos_end(idp, IDP_CHAOS_DISCONNECT, "c1", alice, "chaos-three", NULL) ==
	    IDP_OK);
	CHECK(idp_chaos_end(idp, IDP_CHAOS_PASSWD, "c1", alice, "chaos-four", NULL) ==
	    IDP_ERR_NOT_CONNECTED);
	CHECK(audit_flush(idp_audit(idp)) == STORE_OK);
	CHECK(store_audit_list(st, "c1", 0, &rows, &n) == STORE_OK && n == 2);
	r = row_of(rows, n, "chaos", "expire");
	CHECK(r != NULL && r->user_id == alice && r->count == 1 && r->token_id[0] == '\0');
	CHECK(r != NULL && strcmp(r->first_request, "chaos-one") == 0);
	r = row_of(rows, n, "chaos", "disconnect");
	CHECK(r != NULL && strcmp(r->first_request, "chaos-three") == 0);
	free(rows);
	idp_free(idp);
	store_close(st);
}

static void
idp_chaos_token_answers_503_and_records_the_retry(void)
{
	struct idp_token_request req = { .grant_type = "client_credentials", .client_id = "c1" };
	struct idp_token_response resp;
	struct store_audit_row *rows = NULL;
	struct store *st;
	struct idp *idp;
	int64_t alice;
	size_t n = 0;

	/* Off: nothing happens, nothing is recorded. */
	if ((idp = recording_idp(&st, &alice, 0)) == NULL)
		return;
	memset(&resp, 0, sizeof(resp));
	CHECK(idp_chaos_token(idp, &req, &resp) == IDP_OK);
	idp_free(idp);
	store_close(st);

	if ((idp = recording_idp(&st, &alice, TW_CHAOS_ONE)) == NULL)
		return;
	for (int i = 0; i < 3; i++) {
		memset(&resp, 0, sizeof(resp));
		CHECK(idp_chaos_token(idp, &req, &resp) == IDP_ERR_TOKEN_CHAOS);
		CHECK(resp.retry_after == TW_CHAOS_RETRY_AFTER && resp.access_token[0] == '\0');
	}
	/* Unnamed and over-long client ids are answered alike, and not recorded. */
	req.client_id = NULL;
	CHECK(idp_chaos_token(idp, &req, &resp) == IDP_ERR_TOKEN_CHAOS);
	req.client_id = "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1";
	CHECK(idp_chaos_token(idp, &req, &resp) == IDP_ERR_TOKEN_CHAOS);
	CHECK(idp_err_info(IDP_ERR_TOKEN_CHAOS)->status == 503);
	CHECK(audit_flush(idp_audit(idp)) == STORE_OK);
	CHECK(store_audit_list(st, "c1", 0, &rows, &n) == STORE_OK);
	CHECK(count_of(rows, n, "token_unavailable", NULL) == 3);
	/* The second and third followed a 503 at once. */
	CHECK(count_of(rows, n, "token_retry", "0") == 2);
	CHECK(count_of(rows, n, "token_retry", NULL) == 2);
	free(rows);
	idp_free(idp);
	store_close(st);
}

void
suite_idp_chaos(void)
{
	RUN(idp_chaos_reasons_have_one_name_each);
	RUN(idp_chaos_end_records_the_reason_and_request);
	RUN(idp_chaos_token_answers_503_and_records_the_retry);
}
