/* The scope catalog and scope list canonicalisation; see scopes.h. */
#include "scopes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "xmalloc.h"

/* Sorted by name (scope_find bisects). */
static const struct scope_info catalog[] = {
	{ "analytics:read:extensions", "View analytics data for your extensions" },
	{ "analytics:read:games", "View analytics data for your games" },
	{ "bits:read", "View Bits information for your channel" },
	{ "channel:bot", "Join your channel's chat as a bot user" },
	{ "channel:edit:commercial", "Run commercials on your channel" },
	{ "channel:manage:ads", "Manage ad schedule on your channel" },
	{ "channel:manage:broadcast", "Manage your channel's broadcast configuration, "
	    "including title, category and stream markers" },
	{ "channel:manage:clips", "Manage clips on your channel" },
	{ "channel:manage:extensions", "Manage your channel's extension configuration" },
	{ "channel:manage:guest_star", "Manage Guest Star for your channel" },
	{ "channel:manage:moderators", "Add and remove moderators on your channel" },
	{ "channel:manage:polls", "Manage polls on your channel" },
	{ "channel:manage:predictions", "Manage predictions on your channel" },
	{ "channel:manage:raids", "Start and cancel raids from your channel" },
	{ "channel:manage:redemptions", "Manage Channel Points custom rewards and "
	    "their redemptions on your channel" },
	{ "channel:manage:schedule", "Manage your channel's stream schedule" },
	{ "channel:manage:videos", "Manage your videos, including deleting them" },
	{ "channel:manage:vips", "Add and remove VIPs on your channel" },
	{ "channel:moderate", "Perform moderation actions in your channel's chat" },
	{ "channel:read:ads", "View ad schedule details on your channel" },
	{ "channel:read:charity", "View charity campaign details for your channel" },
	{ "channel:read:editors", "View a list of users with the editor role on your "
	    "channel" },
	{ "channel:read:goals", "View creator goals for your channel" },
	{ "channel:read:guest_star", "View Guest Star details for your channel" },
	{ "channel:read:hype_train", "View Hype Train information for your channel" },
	{ "channel:read:polls", "View polls on your channel" },
	{ "channel:read:predictions", "View predictions on your channel" },
	{ "channel:read:redemptions", "View Channel Points custom rewards and their "
	    "redemptions on your channel" },
	{ "channel:read:stream_key", "View your stream key" },
	{ "channel:read:subscriptions", "View a list of all subscribers to your "
	    "channel and check if a user is subscribed" },
	{ "channel:read:vips", "View the VIPs on your channel" },
	{ "chat:edit", "Send chat messages as you" },
	{ "chat:read", "View chat messages in the channels you join" },
	{ "clips:edit", "Create clips from broadcasts or videos" },
	{ "editor:manage:clips", "Manage clips on channels where you are an editor" },
	{ "moderation:read", "View your channel's moderation data, including "
	    "moderators, bans, timeouts and AutoMod settings" },
	{ "moderator:manage:announcements", "Send announcements in channels where you "
	    "are a moderator" },
	{ "moderator:manage:automod", "Manage messages held for review by AutoMod in "
	    "channels where you are a moderator" },
	{ "moderator:manage:automod_settings", "Manage AutoMod settings in channels "
	    "where you are a moderator" },
	{ "moderator:manage:banned_users", "Ban and unban users in channels where you "
	    "are a moderator" },
	{ "moderator:manage:blocked_terms", "Manage blocked terms in channels where you "
	    "are a moderator" },
	{ "moderator:manage:chat_messages", "Delete chat messages in channels where you "
	    "are a moderator" },
	{ "moderator:manage:chat_settings", "Manage chat settings in channels where you "
	    "are a moderator" },
	{ "moderator:manage:guest_star", "Manage Guest Star for channels where you are "
	    "a Guest Star moderator" },
	{ "moderator:manage:shield_mode", "Turn Shield Mode on and off in channels where "
	    "you are a moderator" },
	{ "moderator:manage:shoutouts", "Send shoutouts in channels where you are a "
	    "moderator" },
	{ "moderator:manage:suspicious_users", "Manage suspicious users in channels "
	    "where you are a moderator" },
	{ "moderator:manage:unban_requests", "Resolve unban requests in channels where "
	    "you are a moderator" },
	{ "moderator:manage:warnings", "Warn users in channels where you are a "
	    "moderator" },
	{ "moderator:read:automod_settings", "View AutoMod settings in channels where "
	    "you are a moderator" },
	{ "moderator:read:banned_users", "View banned users in channels where you are a "
	    "moderator" },
	{ "moderator:read:blocked_terms", "View blocked terms in channels where you are "
	    "a moderator" },
	{ "moderator:read:chat_messages", "View deleted chat messages in channels where "
	    "you are a moderator" },
	{ "moderator:read:chat_settings", "View chat settings in channels where you are "
	    "a moderator" },
	{ "moderator:read:chatters", "View the chatters in channels where you are a "
	    "moderator" },
	{ "moderator:read:followers", "View the followers of channels where you are a "
	    "moderator" },
	{ "moderator:read:guest_star", "View Guest Star details for channels where you "
	    "are a Guest Star moderator" },
	{ "moderator:read:moderators", "View the moderators of channels where you are a "
	    "moderator" },
	{ "moderator:read:shield_mode", "View Shield Mode status in channels where you "
	    "are a moderator" },
	{ "moderator:read:shoutouts", "View shoutouts in channels where you are a "
	    "moderator" },
	{ "moderator:read:suspicious_users", "View suspicious users in channels where "
	    "you are a moderator" },
	{ "moderator:read:unban_requests", "View unban requests in channels where you "
	    "are a moderator" },
	{ "moderator:read:vips", "View the VIPs of channels where you are a moderator" },
	{ "moderator:read:warnings", "View warnings in channels where you are a "
	    "moderator" },
	{ "openid", "Sign you in to the app with your Twitch identity (OpenID Connect)" },
	{ "user:bot", "Appear in chat as a bot, in channels that allow it" },
	{ "user:edit", "Manage your user profile, including your description" },
	{ "user:edit:broadcast", "Manage your broadcast configuration and extensions" },
	{ "user:manage:blocked_users", "Block and unblock users for you" },
	{ "user:manage:chat_color", "Change the color of your name in chat" },
	{ "user:manage:whispers", "Send and read whispers as you" },
	{ "user:read:blocked_users", "View the list of users you have blocked" },
	{ "user:read:broadcast", "View your broadcast configuration, including "
	    "extension settings" },
	{ "user:read:chat", "Receive chat messages and notifications as you" },
	{ "user:read:email", "View your email address" },
	{ "user:read:emotes", "View the emotes you can use" },
	{ "user:read:follows", "View the channels you follow" },
	{ "user:read:moderated_channels", "View the channels where you are a moderator" },
	{ "user:read:subscriptions", "View your channel subscriptions and check if you "
	    "subscribe to a channel" },
	{ "user:read:whispers", "Receive the whispers sent to you" },
	{ "user:write:chat", "Send chat messages as you" },
	{ "whispers:edit", "Send whispers as you (legacy chat)" },
	{ "whispers:read", "Read the whispers sent to you (legacy chat)" },
};
#define CATALOG_LEN (sizeof(catalog) / sizeof(catalog[0]))

size_t
scope_catalog_len(void)
{
	return CATALOG_LEN;
}

const struct scope_info *
scope_catalog_at(size_t i)
{
	return i < CATALOG_LEN ? &catalog[i] : NULL;
}

const struct scope_info *
scope_find(const char *name, size_t len)
{
	size_t lo = 0, hi = CATALOG_LEN;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		size_t clen = strlen(catalog[mid].name);
		int cmp = memcmp(name, catalog[mid].name, len < clen ? len : clen);

		if (cmp == 0)
			cmp = len < clen ? -1 : len > clen ? 1 : 0;
		if (cmp == 0)
			return &catalog[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Bytes of an unknown scope quoted back; the rest of a long one is left out. */
#define BAD_NAME_SHOWN	64

/* Appends "'name'" to the list of bad names, truncating politely. */
static void
add_bad(char *bad, size_t bad_len, const char *name, size_t len)
{
	size_t used = strlen(bad);

	if (bad_len == 0 || used + 4 >= bad_len)
		return;
	if (len > BAD_NAME_SHOWN)
		len = BAD_NAME_SHOWN;
	if (used + len + 5 >= bad_len) {
		snprintf(bad + used, bad_len - used, "%s...", used ? ", " : "");
		return;
	}
	snprintf(bad + used, bad_len - used, "%s'%.*s'", used ? ", " : "", (int)len, name);
}

int
scopes_canonical(const char *list, char **canonical, char *bad, size_t bad_len)
{
	/* Catalog positions present; the catalog is sorted, so this sorts. */
	unsigned char seen[CATALOG_LEN];
	const char *p = list ? list : "";
	size_t n = 0, out_len = 0;
	int ok = 1;
	char *out;

	*canonical = NULL;
	if (bad_len > 0)
		bad[0] = '\0';
	memset(seen, 0, sizeof(seen));
	p += strspn(p, " ");
	while (*p != '\0') {
		size_t len = strcspn(p, " ");
		const struct scope_info *si = scope_find(p, len);

		if (++n > TW_MAX_SCOPES) {
			snprintf(bad, bad_len, "more than %d scopes", TW_MAX_SCOPES);
			return -1;
		}
		if (si == NULL) {
			ok = 0;
			add_bad(bad, bad_len, p, len);
		} else
			seen[si - catalog] = 1;
		p += len;
		p += strspn(p, " ");
	}
	if (!ok)
		return -1;
	for (size_t i = 0; i < CATALOG_LEN; i++)
		if (seen[i])
			out_len += strlen(catalog[i].name) + 1;
	out = xmalloc(out_len + 1);
	out_len = 0;
	for (size_t i = 0; i < CATALOG_LEN; i++) {
		size_t len;

		if (!seen[i])
			continue;
		if (out_len > 0)
			out[out_len++] = ' ';
		len = strlen(catalog[i].name);
		memcpy(out + out_len, catalog[i].name, len);
		out_len += len;
	}
	out[out_len] = '\0';
	*canonical = out;
	return 0;
}

json_t *
scope_array(const char *scopes)
{
	json_t *arr = json_array();
	const char *p = scopes ? scopes : "";

	p += strspn(p, " ");
	while (*p != '\0') {
		size_t len = strcspn(p, " ");

		json_array_append_new(arr, json_stringn(p, len));
		p += len;
		p += strspn(p, " ");
	}
	return arr;
}

int
scopes_none(const char *scopes)
{
	return scopes == NULL || scopes[strspn(scopes, " ")] == '\0';
}

json_t *
scope_array_or_null(const char *scopes)
{
	return scopes_none(scopes) ? json_null() : scope_array(scopes);
}
