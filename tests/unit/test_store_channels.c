/*
 * Unit tests of store_channels.c: a broadcaster has no row until the first
 * change, which makes one from the fresh values for what it does not set;
 * later changes set only what they name; a change for no user writes
 * nothing; the row goes with its user.
 */
#include <stdio.h>
#include <string.h>

#include "../../src/store/store.h"
#include "t.h"

static void
store_channel_put_sets_only_what_it_names(void)
{
	const struct store_channel_set fresh = { "", "", "", "en" };
	struct store_channel_set set = { NULL, NULL, NULL, NULL };
	struct store_channel ch;
	int64_t uid;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	CHECK(store_channel_get(st, uid, &ch) == STORE_NOTFOUND);
	store_channel_clear(&ch);
	/* The first change makes the row: the title given, the rest fresh. */
	set.title = "First";
	CHECK(store_channel_put(st, uid, &set, &fresh, 1000) == STORE_OK);
	CHECK(store_channel_get(st, uid, &ch) == STORE_OK);
	CHECK(ch.broadcaster_id == uid);
	CHECK_STR(ch.title, "First");
	CHECK_STR(ch.game_id, "");
	CHECK_STR(ch.game_name, "");
	CHECK_STR(ch.language, "en");
	CHECK(ch.updated_at == 1000);
	store_channel_clear(&ch);
	/* The next sets the game and language; the title stays. */
	set.title = NULL;
	set.game_id = "509658";
	set.game_name = "Just Chatting";
	set.language = "de";
	CHECK(store_channel_put(st, uid, &set, &fresh, 1001) == STORE_OK);
	CHECK(store_channel_get(st, uid, &ch) == STORE_OK);
	CHECK_STR(ch.title, "First");
	CHECK_STR(ch.game_id, "509658");
	CHECK_STR(ch.game_name, "Just Chatting");
	CHECK_STR(ch.language, "de");
	CHECK(ch.updated_at == 1001);
	store_channel_clear(&ch);
	/* "" is a value, not "unchanged". */
	memset(&set, 0, sizeof(set));
	set.game_id = "";
	set.game_name = "";
	CHECK(store_channel_put(st, uid, &set, &fresh, 1002) == STORE_OK);
	CHECK(store_channel_get(st, uid, &ch) == STORE_OK);
	CHECK_STR(ch.game_id, "");
	CHECK_STR(ch.title, "First");
	CHECK_STR(ch.language, "de");
	store_channel_clear(&ch);
	/* No such user: nothing is written. */
	CHECK(store_channel_put(st, uid + 1, &set, &fresh, 1003) == STORE_NOTFOUND);
	CHECK(store_channel_get(st, uid + 1, &ch) == STORE_NOTFOUND);
	/* The row goes with its user. */
	CHECK(store_user_delete(st, uid) == STORE_OK);
	CHECK(store_channel_get(st, uid, &ch) == STORE_NOTFOUND);
	store_channel_clear(&ch);
	store_close(st);
}

void
suite_store_channels(void)
{
	RUN(store_channel_put_sets_only_what_it_names);
}
