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

static const struct stmt key_insert = {
	"INSERT INTO signing_keys (kid, public_der, private_enc, created_at) "
	"VALUES (?1, ?2, ?3, ?4)", NULL
};
/* The first key, unless another server added one a moment ago. */
static const struct stmt key_insert_first = {
	"INSERT INTO signing_keys (kid, public_der, private_enc, created_at) "
	"SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS "
	"(SELECT 1 FROM signing_keys WHERE retired_at IS NULL)", NULL
};
static const struct stmt key_retire = {
	"UPDATE signing_keys SET retired_at = ?1 WHERE retired_at IS NULL", NULL
};
/* Newest first; keys made in one second by their order of insertion. */
static const struct stmt key_list = {
	"SELECT kid, public_der, private_enc, created_at, retired_at FROM signing_keys "
	"ORDER BY created_at DESC, rowid DESC LIMIT ?1",
	"SELECT kid, public_der, private_enc, created_at, retired_at FROM signing_keys "
	"ORDER BY created_at DESC, seq DESC LIMIT $1",
};
enum { KEY_KID, KEY_PUBLIC_DER, KEY_PRIVATE_ENC, KEY_CREATED_AT, KEY_RETIRED_AT };

enum store_rc
store_key_add(struct store *st, const struct store_key *k, int rotate)
{
	struct db_conn *c;
	int64_t changed = 0;
	enum store_rc rc;

	if ((rc = store_write_begin(st, &c)) != STORE_OK)
		return rc;
	if (rotate)
		rc = store_exec(c, &key_retire, ARGS(arg_int(k->created_at)), NULL);
	if (rc == STORE_OK)
		rc = store_exec(c, rotate ? &key_insert : &key_insert_first,
		    ARGS(arg_text(k->kid), arg_blob(k->public_der, k->public_len),
		    arg_blob(k->private_enc, k->private_len), arg_int(k->created_at)), &changed);
	if (rc == STORE_OK && changed == 0)
		rc = STORE_CONFLICT;
	return store_write_end(st, c, rc);
}

static void
row_to_key(struct db_conn *c, void *out)
{
	struct store_key *k = out;

	store_copy_id(k->kid, sizeof(k->kid), db_col_text(c, KEY_KID));
	k->public_der = store_col_dup(c, KEY_PUBLIC_DER, &k->public_len);
	k->private_enc = store_col_dup(c, KEY_PRIVATE_ENC, &k->private_len);
	k->created_at = db_col_int(c, KEY_CREATED_AT);
	k->retired_at = db_col_int(c, KEY_RETIRED_AT);
}

enum store_rc
store_key_list(struct store *st, struct store_key **out, size_t *n)
{
	return store_get_all(st, &key_list, ARGS(arg_int(TW_MAX_KEYS)), sizeof(**out),
	    row_to_key, store_key_clear, (void **)out, n);
}
