/*
 * The record of what apps do (audit.c, store_audit.c): facts counted in
 * memory and written by batch, adding up across batches (and servers);
 * a dead token put down to the app it was seen live with; the pending
 * table's bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/idp/audit.h"
#include "t.h"

static const struct store_audit_row *
find(const struct store_audit_row *rows, size_t n, const char *kind, const char *token)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].kind, kind) == 0 && strcmp(rows[i].token_id, token) == 0)
			return &rows[i];
	return NULL;
}

static void
audit_counts_and_adds_up_across_batches(void)
{
	char path[512];
	struct store *st = t_open_fresh(path, sizeof(path));
	struct audit *a = audit_new(st);
	struct audit_fact f = { .kind = AUDIT_VALIDATED, .client_id = "app1", .user_id = 7,
	    .token_id = "aaaaaaaaaaaa", .request_id = "r1", .at_ms = 60000LL * 1000 };
	struct store_audit_row *rows = NULL;
	const struct store_audit_row *row;
	size_t n = 0;

	CHECK(a != NULL);
	audit_note(a, &f);
	f.request_id = "r2";
	f.at_ms += 500;
	audit_note(a, &f);
	CHECK(audit_flush(a) == STORE_OK);
	/* A later batch of the same minute adds up, as a second server's would. */
	f.request_id = "r3";
	f.at_ms += 500;
	audit_note(a, &f);
	/* A dead token never seen live: no app to put it down to, not kept. */
	audit_note(a, &(struct audit_fact){ .kind = AUDIT_VALIDATE_DEAD,
	    .token_id = "bbbbbbbbbbbb", .at_ms = f.at_ms });
	/* The live one, dead now: put down to app1 and user 7. */
	audit_note(a, &(struct audit_fact){ .kind = AUDIT_VALIDATE_DEAD,
	    .token_id = "aaaaaaaaaaaa", .at_ms = f.at_ms });
	/* A client id longer than any is not noted. */
	audit_note(a, &(struct audit_fact){ .kind = AUDIT_HELIX,
	    .client_id = "0123456789012345678901234567890123456789", .at_ms = f.at_ms });
	CHECK(audit_flush(a) == STORE_OK);
	CHECK(store_audit_list(st, "app1", 0, &rows, &n) == STORE_OK);
	CHECK(n == 2);
	row = find(rows, n, "validated", "aaaaaaaaaaaa");
	CHECK(row != NULL && row->count == 3 && row->user_id == 7);
	CHECK(row != NULL && row->first_at == 60000000 && row->last_at == 60001000);
	CHECK_STR(row != NULL ? row->first_request : "", "r1");
	CHECK_STR(row != NULL ? row->last_request : "", "r3");
	row = find(rows, n, "validate_dead", "aaaaaaaaaaaa");
	CHECK(row != NULL && row->user_id == 7 && row->count == 1);
	free(rows);
	CHECK(audit_dropped(a) == 0);
	audit_free(a);
	store_close(st);
}

static void
audit_drops_what_does_not_fit_and_says_so(void)
{
	char path[512], token[TW_AUDIT_TOKEN_ID_LEN + 1];
	struct store *st = t_open_fresh(path, sizeof(path));
	struct audit *a = audit_new(st);
	struct store_audit_row *rows = NULL;
	size_t n = 0;

	for (int i = 0; i < TW_AUDIT_MAX_PENDING + 10; i++) {
		snprintf(token, sizeof(token), "%012d", i);
		audit_note(a, &(struct audit_fact){ .kind = AUDIT_HELIX, .client_id = "app2",
		    .token_id = token, .at_ms = 1000 });
	}
	CHECK(audit_dropped(a) == 11);	/* one slot is always free */
	CHECK(audit_flush(a) == STORE_OK);
	CHECK(store_audit_list(st, "app2", 0, &rows, &n) == STORE_OK);
	CHECK(n == TW_AUDIT_MAX_PENDING - 1);
	free(rows);
	audit_free(a);
	store_close(st);
}

static void
audit_is_forgotten_after_its_month_by_the_purge(void)
{
	char path[512];
	struct store *st = t_open_fresh(path, sizeof(path));
	struct store_audit_row rows[2] = { 0 }, *got = NULL;
	struct store_purge_rules rules = { .now = 100 * 60, .audit_before = 50 * 60 };
	struct store_purged n;
	size_t len = 0;

	for (int i = 0; i < 2; i++) {
		strcpy(rows[i].client_id, "app3");
		strcpy(rows[i].kind, "helix");
		rows[i].minute = i == 0 ? 10 : 60;
		rows[i].count = 1;
		rows[i].first_at = rows[i].last_at = rows[i].minute * 60000;
	}
	CHECK(store_audit_add(st, rows, 2) == STORE_OK);
	CHECK(store_purge(st, &rules, &n) == STORE_OK);
	CHECK(n.audit == 1);
	CHECK(store_audit_list(st, "app3", 0, &got, &len) == STORE_OK);
	CHECK(len == 1 && got[0].minute == 60);
	free(got);
	store_close(st);
}

static void
audit_reports_read_the_newest_rows_only(void)
{
	char path[512];
	struct store *st = t_open_fresh(path, sizeof(path));
	size_t all = TW_AUDIT_REPORT_MAX_ROWS + 5, n = 0;
	struct store_audit_row *rows = calloc(all, sizeof(*rows)), *got = NULL;

	for (size_t i = 0; i < all; i++) {
		strcpy(rows[i].client_id, "app4");
		strcpy(rows[i].kind, "helix");
		snprintf(rows[i].token_id, sizeof(rows[i].token_id), "%012zu", i);
		rows[i].minute = 1;
		rows[i].count = 1;
		rows[i].first_at = rows[i].last_at = 60000 + (int64_t)i;
	}
	CHECK(store_audit_add(st, rows, all) == STORE_OK);
	CHECK(store_audit_list(st, "app4", 0, &got, &n) == STORE_OK);
	CHECK(n == TW_AUDIT_REPORT_MAX_ROWS);
	CHECK(n > 0 && got[0].first_at == 60005 && got[n - 1].first_at == 60000 + (int64_t)all - 1);
	free(got);
	free(rows);
	store_close(st);
}

void
suite_audit(void)
{
	RUN(audit_counts_and_adds_up_across_batches);
	RUN(audit_drops_what_does_not_fit_and_says_so);
	RUN(audit_is_forgotten_after_its_month_by_the_purge);
	RUN(audit_reports_read_the_newest_rows_only);
}
