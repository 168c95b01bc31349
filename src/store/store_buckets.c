/*
 * Token buckets kept in the database (store.h): levels are in 3600ths of a
 * token, so that refilling at per_hour tokens an hour adds per_hour units
 * a second and all the arithmetic stays in integers inside one statement.
 */
#include "store_impl.h"

#define UNIT 3600	/* one token */

enum store_rc
store_bucket_take(struct store *st, const char *name, unsigned burst, unsigned per_hour,
    int64_t now)
{
	int64_t cap = (int64_t)burst * UNIT;
	enum store_rc rc = STORE_NOTFOUND;

	/* Twice: a bucket made by another server between our two statements. */
	for (int attempt = 0; attempt < 2 && rc == STORE_NOTFOUND; attempt++) {
		rc = store_change(st, ST_BUCKET_TAKE, ARGS(arg_text(name), arg_int(cap),
		    arg_int(now), arg_int(per_hour)));
		if (rc == STORE_NOTFOUND && burst > 0)
			rc = store_change(st, ST_BUCKET_NEW, ARGS(arg_text(name),
			    arg_int(cap - UNIT), arg_int(now)));
	}
	return rc == STORE_NOTFOUND ? STORE_LIMIT : rc;
}

static void
row_to_level(struct db_conn *c, void *out)
{
	*(int64_t *)out = db_col_int(c, 0);
}

enum store_rc
store_bucket_wait(struct store *st, const char *name, unsigned burst, unsigned per_hour,
    int64_t now, int64_t *wait)
{
	int64_t level = (int64_t)burst * UNIT;	/* a bucket never used is full */
	enum store_rc rc;

	*wait = 0;
	rc = store_get_one(st, ST_BUCKET_LEVEL, ARGS(arg_text(name), arg_int(level),
	    arg_int(now), arg_int(per_hour)), row_to_level, &level);
	if (rc == STORE_ERROR)
		return rc;
	if (level < UNIT)
		*wait = per_hour == 0 ? 3600 : (UNIT - level + per_hour - 1) / per_hour;
	return STORE_OK;
}
