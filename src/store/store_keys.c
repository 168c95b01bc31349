/*
 * OpenID Connect signing keys.  The private half arrives encrypted
 * (src/idp/keys.c) and is stored as the opaque bytes it is.  At most one
 * key signs at a time: the first key is inserted only if none signs, and
 * PostgreSQL's schema also enforces it with a unique index, so two servers
 * starting together on an empty database make one key between them.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "store_impl.h"

enum store_rc
store_key_add(struct store *st, const struct store_key *k, int rotate)
{
	struct db_conn *c = store_writer(st);
	int64_t changed = 0;
	enum store_rc rc;

	if ((rc = store_begin(c)) != STORE_OK) {
		store_put(st, c);
		return rc;
	}
	if (rotate)
		rc = store_exec(c, ST_KEY_RETIRE, ARGS(arg_int(k->created_at)), NULL);
	if (rc == STORE_OK)
		rc = store_exec(c, rotate ? ST_KEY_INSERT : ST_KEY_INSERT_FIRST,
		    ARGS(arg_text(k->kid), arg_blob(k->public_der, k->public_len),
		    arg_blob(k->private_enc, k->private_len), arg_int(k->created_at)), &changed);
	if (rc == STORE_OK && changed == 0)
		rc = STORE_CONFLICT;
	rc = store_finish(c, rc);
	store_put(st, c);
	return rc;
}

static void
row_to_key(struct db_conn *c, void *out)
{
	struct store_key *k = out;

	store_copy_id(k->kid, sizeof(k->kid), db_col_text(c, 0));
	k->public_der = store_col_dup(c, 1, &k->public_len);
	k->private_enc = store_col_dup(c, 2, &k->private_len);
	k->created_at = db_col_int(c, 3);
	k->retired_at = db_col_int(c, 4);
}

enum store_rc
store_key_list(struct store *st, struct store_key **out, size_t *n)
{
	return store_get_all(st, ST_KEY_LIST, ARGS(arg_int(TW_MAX_KEYS)), sizeof(**out),
	    row_to_key, store_key_clear, (void **)out, n);
}
