/*
 * Helix's channels: what GET /helix/channels shows and what PATCH
 * /helix/channels ("Modify Channel Information") may change, with Twitch's
 * rules and messages (docs/TWITCH-COMPAT.md).  twauth keeps the title, the
 * game and the language (store_channels.c); the members it has no column
 * for are checked as Twitch checks them and then dropped, so a body Twitch
 * refuses is refused here too.
 *
 * Traps: twauth has no game catalog, so only the few games of the table
 * below are valid ids (Twitch refuses an id it does not know); nobody here
 * has partner status, so any delay is refused, as Twitch refuses it for
 * everyone else.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/num.h"
#include "../common/str.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

/* What a channel nobody changed shows: a new Twitch channel's values. */
static const struct store_channel_set fresh = { "", "", "", "en" };

/* Game ids one may set, with their names as Twitch spells them. */
static const struct game {
	const char	*id;
	const char	*name;
} games[] = {
	{ "509658", "Just Chatting" },
	{ "33214", "Fortnite" },
	{ "21779", "League of Legends" },
	{ "32982", "Grand Theft Auto V" },
	{ "27471", "Minecraft" },
	{ "516575", "VALORANT" },
	{ "29595", "Dota 2" },
	{ "511224", "Apex Legends" },
	{ "18122", "World of Warcraft" },
	{ "509660", "Art" },
	{ "26936", "Music" },
	{ "509670", "Science & Technology" },
	{ "1469308723", "Software and Game Development" },
};

/* The stream languages Twitch offers, as ISO 639-1 codes, and "other". */
static const char *const languages[] = {
	"ar", "bg", "ca", "cs", "da", "de", "el", "en", "es", "fi", "fr", "hi", "hu", "id",
	"it", "ja", "ko", "ms", "nl", "no", "pl", "pt", "ro", "ru", "sk", "sv", "th", "tl",
	"tr", "uk", "vi", "zh", "other",
};

/* Content classification labels a broadcaster may set (MatureGame comes with a game). */
static const char *const labels[] = {
	"DebatedSocialIssuesAndPolitics", "DrugsIntoxication", "SexualThemes",
	"ViolentGraphic", "Gambling", "ProfanityVulgarity",
};

#define N_OF(a)	(sizeof(a) / sizeof((a)[0]))

static int
listed(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

/* Characters (code points) of a JSON string, which jansson has checked is UTF-8. */
static size_t
utf8_chars(const json_t *s)
{
	const unsigned char *p = (const unsigned char *)json_string_value(s);
	size_t len = json_string_length(s), n = 0;

	for (size_t i = 0; i < len; i++)
		n += (p[i] & 0xc0) != 0x80;
	return n;
}

enum idp_err
idp_helix_channels(struct idp *idp, const struct idp_helix_caller *c, char *const *ids,
    size_t n_ids, struct idp_helix_user **out, size_t *n)
{
	struct store_channel *ch;
	enum idp_err err;
	enum store_rc rc;

	if ((err = idp_helix_users(idp, c, ids, n_ids, NULL, 0, out, n)) != IDP_OK)
		return err;
	for (size_t i = 0; i < *n; i++) {
		ch = &(*out)[i].channel;
		rc = store_channel_get(idp->store, (*out)[i].user.id, ch);
		if (rc == STORE_NOTFOUND) {
			ch->broadcaster_id = (*out)[i].user.id;
			ch->title = xstrdup(fresh.title);
			ch->game_id = xstrdup(fresh.game_id);
			ch->game_name = xstrdup(fresh.game_name);
			ch->language = xstrdup(fresh.language);
		} else if (rc != STORE_OK) {
			idp_helix_users_free(*out, *n);
			*out = NULL;
			*n = 0;
			return IDP_ERR_UNAVAILABLE;
		}
	}
	return IDP_OK;
}

/* Every broadcaster_id names the caller (Twitch: the token's user). */
static enum idp_err
own_channel(const struct idp_helix_caller *c, char *const *ids, size_t n)
{
	int64_t id;

	if (n == 0)
		return IDP_ERR_HELIX_NEED_BROADCASTER;
	for (size_t i = 0; i < n; i++)
		if (num_parse_i64(ids[i], 1, INT64_MAX, &id) == -1 || id != c->user_id)
			return IDP_ERR_HELIX_NOT_BROADCASTER;
	return IDP_OK;
}

static enum idp_err
check_title(const json_t *v, struct store_channel_set *set)
{
	if (!json_is_string(v))
		return IDP_ERR_HELIX_BAD_JSON;
	if (json_string_length(v) == 0)
		return IDP_ERR_HELIX_EMPTY_TITLE;
	if (utf8_chars(v) > TW_HELIX_MAX_TITLE)
		return IDP_ERR_HELIX_TITLE_TOO_LONG;
	set->title = json_string_value(v);
	return IDP_OK;
}

/* "" and "0" unset the game, as on Twitch. */
static enum idp_err
check_game(const json_t *v, struct store_channel_set *set)
{
	const char *id;

	if (!json_is_string(v))
		return IDP_ERR_HELIX_BAD_JSON;
	id = json_string_value(v);
	if (strcmp(id, "") == 0 || strcmp(id, "0") == 0) {
		set->game_id = "";
		set->game_name = "";
		return IDP_OK;
	}
	for (size_t i = 0; i < N_OF(games); i++) {
		if (strcmp(games[i].id, id) == 0) {
			set->game_id = games[i].id;
			set->game_name = games[i].name;
			return IDP_OK;
		}
	}
	return IDP_ERR_HELIX_BAD_GAME;
}

static enum idp_err
check_language(const json_t *v, struct store_channel_set *set)
{
	if (!json_is_string(v))
		return IDP_ERR_HELIX_BAD_JSON;
	if (!listed(languages, N_OF(languages), json_string_value(v)))
		return IDP_ERR_HELIX_BAD_LANGUAGE;
	set->language = json_string_value(v);
	return IDP_OK;
}

/* Only partners may set a delay, and twauth has none. */
static enum idp_err
check_delay(const json_t *v, struct store_channel_set *set)
{
	(void)set;
	return json_is_integer(v) ? IDP_ERR_HELIX_DELAY_PARTNER : IDP_ERR_HELIX_BAD_JSON;
}

/* At most TW_HELIX_MAX_TAGS, each 1 to TW_HELIX_MAX_TAG letters or digits. */
static enum idp_err
check_tags(const json_t *v, struct store_channel_set *set)
{
	const json_t *tag;
	const char *p;
	size_t i;

	(void)set;
	if (!json_is_array(v))
		return IDP_ERR_HELIX_BAD_JSON;
	json_array_foreach(v, i, tag)
		if (!json_is_string(tag))
			return IDP_ERR_HELIX_BAD_JSON;
	if (json_array_size(v) > TW_HELIX_MAX_TAGS)
		return IDP_ERR_HELIX_TOO_MANY_TAGS;
	json_array_foreach(v, i, tag) {
		if (json_string_length(tag) == 0)
			return IDP_ERR_HELIX_EMPTY_TAG;
		if (utf8_chars(tag) > TW_HELIX_MAX_TAG)
			return IDP_ERR_HELIX_TAG_TOO_LONG;
		/* ASCII only: no table here says which other characters are letters. */
		for (p = json_string_value(tag); *p != '\0'; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9')))
				return IDP_ERR_HELIX_BAD_TAG;
	}
	return IDP_OK;
}

/* [{"id": one of labels, "is_enabled": true|false}, ...] */
static enum idp_err
check_labels(const json_t *v, struct store_channel_set *set)
{
	const json_t *label, *id;
	size_t i;

	(void)set;
	if (!json_is_array(v))
		return IDP_ERR_HELIX_BAD_JSON;
	json_array_foreach(v, i, label) {
		id = json_object_get(label, "id");
		if (!json_is_object(label) || !json_is_string(id) ||
		    !json_is_boolean(json_object_get(label, "is_enabled")))
			return IDP_ERR_HELIX_BAD_JSON;
	}
	json_array_foreach(v, i, label)
		if (!listed(labels, N_OF(labels), json_string_value(json_object_get(label, "id"))))
			return IDP_ERR_HELIX_BAD_LABEL;
	return IDP_OK;
}

static enum idp_err
check_branded(const json_t *v, struct store_channel_set *set)
{
	(void)set;
	return json_is_boolean(v) ? IDP_OK : IDP_ERR_HELIX_BAD_JSON;
}

/* The members of Twitch's body, in the order they are checked; what is kept goes to set. */
static const struct member {
	const char	*name;
	enum idp_err	 (*check)(const json_t *v, struct store_channel_set *set);
} members[] = {
	{ "title", check_title },
	{ "game_id", check_game },
	{ "broadcaster_language", check_language },
	{ "delay", check_delay },
	{ "tags", check_tags },
	{ "content_classification_labels", check_labels },
	{ "is_branded_content", check_branded },
};

enum idp_err
idp_helix_channel_update(struct idp *idp, const struct idp_helix_caller *c,
    char *const *broadcaster_ids, size_t n, int json, const char *body, size_t len)
{
	struct store_channel_set set = { NULL, NULL, NULL, NULL };
	enum idp_err err = IDP_OK;
	const json_t *v;
	size_t given = 0;
	json_t *root = NULL;

	/* api.twitch.tv's order: the token, its scope, the query, then the body. */
	if (c->user_id == 0)
		return IDP_ERR_HELIX_NEED_USER_TOKEN;
	if (!words_within("channel:manage:broadcast", c->scopes))
		return IDP_ERR_HELIX_NEED_SCOPE_BROADCAST;
	if ((err = own_channel(c, broadcaster_ids, n)) != IDP_OK)
		return err;
	if (!json)
		return IDP_ERR_HELIX_JSON_ONLY;
	root = json_loadb(body != NULL ? body : "", len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(root)) {
		err = IDP_ERR_HELIX_BAD_JSON;
		goto out;
	}
	/* Members Twitch does not name are ignored, as Twitch ignores them. */
	for (size_t i = 0; i < N_OF(members) && err == IDP_OK; i++) {
		if ((v = json_object_get(root, members[i].name)) == NULL)
			continue;
		given++;
		err = members[i].check(v, &set);
	}
	if (err == IDP_OK && given == 0)
		err = IDP_ERR_HELIX_NOTHING_TO_UPDATE;
	/* Only dropped members: Twitch's 204, and nothing here to write. */
	if (err == IDP_OK && (set.title != NULL || set.game_id != NULL || set.language != NULL))
		err = idp_from_store(store_channel_put(idp->store, c->user_id, &set, &fresh,
		    clock_now()), IDP_ERR_HELIX_INVALID_TOKEN);
out:
	json_decref(root);
	return err;
}
