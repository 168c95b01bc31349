/*
 * What PATCH /helix/channels was sent: one row per broadcaster, made by the
 * first change and removed with the user (ON DELETE CASCADE).  A change is
 * one upsert, so two changes of different members at once both land: no
 * read-then-write.  Which values a new row starts from is the caller's
 * (src/idp/channels.c), not a rule of the store.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "store_impl.h"

static const struct stmt channel_get = {
	"SELECT broadcaster_id, title, game_id, game_name, language, updated_at "
	"FROM channels WHERE broadcaster_id = ?1", NULL
};
enum { CH_ID, CH_TITLE, CH_GAME_ID, CH_GAME_NAME, CH_LANGUAGE, CH_UPDATED_AT };

/*
 * ?2..?5 the members changed (NULL: kept), ?6..?9 a new row's values for
 * those not changed.  The WHERE of the SELECT both checks the user and
 * keeps SQLite from reading ON CONFLICT as part of the SELECT.
 */
static const struct stmt channel_put = {
	"INSERT INTO channels (broadcaster_id, title, game_id, game_name, language, updated_at) "
	"SELECT ?1, COALESCE(?2, ?6), COALESCE(?3, ?7), COALESCE(?4, ?8), COALESCE(?5, ?9), ?10 "
	"FROM users WHERE id = ?1 "
	"ON CONFLICT (broadcaster_id) DO UPDATE SET "
	"title = COALESCE(?2, channels.title), game_id = COALESCE(?3, channels.game_id), "
	"game_name = COALESCE(?4, channels.game_name), "
	"language = COALESCE(?5, channels.language), updated_at = ?10", NULL
};

void
store_channel_clear(struct store_channel *ch)
{
	free(ch->title);
	free(ch->game_id);
	free(ch->game_name);
	free(ch->language);
	memset(ch, 0, sizeof(*ch));
}

static void
row_to_channel(struct db_conn *c, void *out)
{
	struct store_channel *ch = out;

	ch->broadcaster_id = db_col_int(c, CH_ID);
	ch->title = xstrdup(db_col_text(c, CH_TITLE));
	ch->game_id = xstrdup(db_col_text(c, CH_GAME_ID));
	ch->game_name = xstrdup(db_col_text(c, CH_GAME_NAME));
	ch->language = xstrdup(db_col_text(c, CH_LANGUAGE));
	ch->updated_at = db_col_int(c, CH_UPDATED_AT);
}

enum store_rc
store_channel_get(struct store *st, int64_t broadcaster_id, struct store_channel *out)
{
	memset(out, 0, sizeof(*out));
	return store_get_one(st, &channel_get, ARGS(arg_int(broadcaster_id)), row_to_channel,
	    out);
}

enum store_rc
store_channel_put(struct store *st, int64_t broadcaster_id, const struct store_channel_set *set,
    const struct store_channel_set *fresh, int64_t now)
{
	return store_change(st, &channel_put, ARGS(arg_int(broadcaster_id),
	    arg_text(set->title), arg_text(set->game_id), arg_text(set->game_name),
	    arg_text(set->language), arg_text(fresh->title), arg_text(fresh->game_id),
	    arg_text(fresh->game_name), arg_text(fresh->language), arg_int(now)));
}
