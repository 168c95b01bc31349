/*
 * SQLite backend: OpenID Connect signing keys.  The private half arrives
 * encrypted (src/idp/keys.c) and is stored as the opaque bytes it is.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "store_sqlite.h"

static int
insert(struct conn *c, enum stmt_id id, const struct store_key *k)
{
	sqlite3_stmt *s = sq_stmt(c, id);
	int step;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, k->kid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, k->public_der, (int)k->public_len, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, k->private_enc, (int)k->private_len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, k->created_at);
	step = sqlite3_step(s);
	sq_stmt_done(s);
	if (step != SQLITE_DONE) {
		sq_db_error(c, "key insert");
		return -1;
	}
	return sqlite3_changes(c->db);
}

enum store_rc
sq_key_add(void *impl, const struct store_key *k, int rotate)
{
	struct sq *q = impl;
	struct conn *c = sq_writer_get(q);
	sqlite3_stmt *s;
	enum store_rc rc = STORE_ERROR;
	int changed;

	if (sq_begin(c) == -1) {
		sq_writer_put(q);
		return STORE_ERROR;
	}
	if (rotate) {
		if ((s = sq_stmt(c, ST_KEY_RETIRE)) == NULL)
			goto out;
		sqlite3_bind_int64(s, 1, k->created_at);
		changed = sqlite3_step(s);
		sq_stmt_done(s);
		if (changed != SQLITE_DONE) {
			sq_db_error(c, "key retire");
			goto out;
		}
	}
	changed = insert(c, rotate ? ST_KEY_INSERT : ST_KEY_INSERT_FIRST, k);
	if (changed == 1)
		rc = STORE_OK;
	else if (changed == 0)
		rc = STORE_CONFLICT;
out:
	rc = sq_finish(c, rc);
	sq_writer_put(q);
	return rc;
}

static uint8_t *
blob_dup(sqlite3_stmt *s, int i, size_t *len)
{
	const void *p = sqlite3_column_blob(s, i);
	int n = sqlite3_column_bytes(s, i);
	uint8_t *out = xmalloc(n > 0 ? (size_t)n : 1);

	if (n > 0)
		memcpy(out, p, (size_t)n);
	*len = n > 0 ? (size_t)n : 0;
	return out;
}

enum store_rc
sq_key_list(void *impl, struct store_key **out, size_t *n)
{
	struct sq *q = impl;
	struct conn *c = sq_reader_get(q);
	sqlite3_stmt *s = sq_stmt(c, ST_KEY_LIST);
	enum store_rc rc = STORE_ERROR;
	int step;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		goto out;
	sqlite3_bind_int(s, 1, TW_MAX_KEYS);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_key *k;

		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		k = &(*out)[(*n)++];
		memset(k, 0, sizeof(*k));
		sq_copy_id(k->kid, sizeof(k->kid), sq_col_text(s, 0));
		k->public_der = blob_dup(s, 1, &k->public_len);
		k->private_enc = blob_dup(s, 2, &k->private_len);
		k->created_at = sqlite3_column_int64(s, 3);
		k->retired_at = sqlite3_column_int64(s, 4);
	}
	if (step == SQLITE_DONE)
		rc = STORE_OK;
	else {
		sq_db_error(c, "key list");
		store_key_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
out:
	sq_stmt_done(s);
	sq_reader_put(q, c);
	return rc;
}
