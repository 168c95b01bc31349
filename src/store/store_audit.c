/*
 * What apps under test did, counted (store.h, src/idp/audit.h): one
 * upsert per row, so that several servers writing the same minute add
 * up, and one query per report.
 */
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/*
 * Every SET reads the row as it was (SQL's rule, SQLite's and PostgreSQL's
 * alike).  CASE for min and max: SQLite's two-argument min() is
 * PostgreSQL's least().
 */
static const struct stmt audit_add = {
	"INSERT INTO audit (client_id, minute, kind, user_id, token_id, detail, count, "
	"first_at, last_at, first_request, last_request) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
	"ON CONFLICT (client_id, minute, kind, user_id, token_id, detail) DO UPDATE SET "
	"count = audit.count + excluded.count, "
	"first_request = CASE WHEN excluded.first_at < audit.first_at "
	"THEN excluded.first_request ELSE audit.first_request END, "
	"last_request = CASE WHEN excluded.last_at > audit.last_at "
	"THEN excluded.last_request ELSE audit.last_request END, "
	"first_at = CASE WHEN excluded.first_at < audit.first_at "
	"THEN excluded.first_at ELSE audit.first_at END, "
	"last_at = CASE WHEN excluded.last_at > audit.last_at "
	"THEN excluded.last_at ELSE audit.last_at END", NULL
};
/* The newest ?3 rows, by time. */
static const struct stmt audit_list = {
	"SELECT * FROM (SELECT client_id, minute, kind, user_id, token_id, detail, count, "
	"first_at, last_at, first_request, last_request FROM audit WHERE client_id = ?1 AND "
	"minute >= ?2 ORDER BY first_at DESC, kind DESC, token_id DESC LIMIT ?3) AS newest "
	"ORDER BY first_at, kind, token_id", NULL
};
enum {
	AUDIT_CLIENT_ID, AUDIT_MINUTE, AUDIT_KIND, AUDIT_USER_ID, AUDIT_TOKEN_ID, AUDIT_DETAIL,
	AUDIT_COUNT, AUDIT_FIRST_AT, AUDIT_LAST_AT, AUDIT_FIRST_REQUEST, AUDIT_LAST_REQUEST
};

/* The rows of store_audit_add on c, inside its transaction. */
static enum store_rc
add_all(struct db_conn *c, const struct store_audit_row *rows, size_t n)
{
	enum store_rc rc = STORE_OK;

	for (size_t i = 0; i < n && rc == STORE_OK; i++) {
		const struct store_audit_row *r = &rows[i];

		rc = store_exec(c, &audit_add, ARGS(arg_text(r->client_id), arg_int(r->minute),
		    arg_text(r->kind), arg_int(r->user_id), arg_text(r->token_id),
		    arg_text(r->detail), arg_int(r->count), arg_int(r->first_at),
		    arg_int(r->last_at), arg_text(r->first_request),
		    arg_text(r->last_request)), NULL);
	}
	return rc;
}

enum store_rc
store_audit_add(struct store *st, const struct store_audit_row *rows, size_t n)
{
	struct db_conn *c;
	enum store_rc rc;

	if (n == 0)
		return STORE_OK;
	if ((rc = store_write_begin(st, &c)) != STORE_OK)
		return rc;
	return store_write_end(st, c, add_all(c, rows, n));
}

static void
row_to_audit(struct db_conn *c, void *out)
{
	struct store_audit_row *r = out;

	memset(r, 0, sizeof(*r));
	store_copy_id(r->client_id, sizeof(r->client_id), db_col_text(c, AUDIT_CLIENT_ID));
	r->minute = db_col_int(c, AUDIT_MINUTE);
	store_copy_id(r->kind, sizeof(r->kind), db_col_text(c, AUDIT_KIND));
	r->user_id = db_col_int(c, AUDIT_USER_ID);
	store_copy_id(r->token_id, sizeof(r->token_id), db_col_text(c, AUDIT_TOKEN_ID));
	store_copy_id(r->detail, sizeof(r->detail), db_col_text(c, AUDIT_DETAIL));
	r->count = db_col_int(c, AUDIT_COUNT);
	r->first_at = db_col_int(c, AUDIT_FIRST_AT);
	r->last_at = db_col_int(c, AUDIT_LAST_AT);
	store_copy_id(r->first_request, sizeof(r->first_request),
	    db_col_text(c, AUDIT_FIRST_REQUEST));
	store_copy_id(r->last_request, sizeof(r->last_request),
	    db_col_text(c, AUDIT_LAST_REQUEST));
}

enum store_rc
store_audit_list(struct store *st, const char *client_id, int64_t since_minute,
    struct store_audit_row **rows, size_t *n)
{
	return store_get_all(st, &audit_list, ARGS(arg_text(client_id), arg_int(since_minute),
	    arg_int(TW_AUDIT_REPORT_MAX_ROWS)), sizeof(**rows), row_to_audit, NULL,
	    (void **)rows, n);
}
