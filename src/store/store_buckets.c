/*
 * Token buckets kept in the database (store.h): levels are in 3600ths of a
 * token, so that refilling at per_hour tokens an hour adds per_hour units
 * a second and all the arithmetic stays in integers inside one statement.
 */
#include "store_impl.h"

#define UNIT 3600	/* one token */

/*
 * ?2 is the capacity, ?3 now, ?4 the refill per second in units; a clock
 * that went back refills nothing.
 */
#define LEVEL "MIN(?2, level + MAX(0, ?3 - updated_at) * ?4)"
#define PG_LEVEL "LEAST($2, level + GREATEST(0, $3 - updated_at) * $4)"
static const struct stmt bucket_take = {
	"UPDATE buckets SET level = " LEVEL " - 3600, updated_at = ?3 "
	"WHERE name = ?1 AND " LEVEL " >= 3600",
	"UPDATE buckets SET level = " PG_LEVEL " - 3600, updated_at = $3 "
	"WHERE name = $1 AND " PG_LEVEL " >= 3600",
};
static const struct stmt bucket_new = {
	"INSERT INTO buckets (name, level, updated_at) VALUES (?1, ?2, ?3) "
	"ON CONFLICT DO NOTHING", NULL
};
static const struct stmt bucket_level = {
	"SELECT " LEVEL " FROM buckets WHERE name = ?1",
	"SELECT " PG_LEVEL " FROM buckets WHERE name = $1",
};
#undef LEVEL
#undef PG_LEVEL
_Static_assert(UNIT == 3600, "the statements spell UNIT as 3600");

enum store_rc
store_bucket_take(struct store *st, const char *name, unsigned burst, unsigned per_hour,
    int64_t now)
{
	int64_t cap = (int64_t)burst * UNIT;
	enum store_rc rc = STORE_NOTFOUND;

	/* Twice: a bucket made by another server between our two statements. */
	for (int attempt = 0; attempt < 2 && rc == STORE_NOTFOUND; attempt++) {
		rc = store_change(st, &bucket_take, ARGS(arg_text(name), arg_int(cap),
		    arg_int(now), arg_int(per_hour)));
		if (rc == STORE_NOTFOUND && burst > 0)
			rc = store_change(st, &bucket_new, ARGS(arg_text(name),
			    arg_int(cap - UNIT), arg_int(now)));
	}
	return rc == STORE_NOTFOUND ? STORE_LIMIT : rc;
}

static void
row_to_level(struct db_conn *c, void *out)
{
	*(int64_t *)out = db_col_int(c, 0);	/* the one column */
}

enum store_rc
store_bucket_wait(struct store *st, const char *name, unsigned burst, unsigned per_hour,
    int64_t now, int64_t *wait)
{
	int64_t level = (int64_t)burst * UNIT;	/* a bucket never used is full */
	enum store_rc rc;

	*wait = 0;
	rc = store_get_one(st, &bucket_level, ARGS(arg_text(name), arg_int(level),
	    arg_int(now), arg_int(per_hour)), row_to_level, &level);
	if (rc == STORE_ERROR)
		return rc;
	if (level < UNIT)
		*wait = per_hour == 0 ? 3600 : (UNIT - level + per_hour - 1) / per_hour;
	return STORE_OK;
}
