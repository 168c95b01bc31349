/*
 * The catalog of the 83 scopes Twitch defines (openid among them), each with
 * the plain-words line the consent page shows, and the one way scope lists
 * are read: split on spaces, checked against the catalog, deduplicated and
 * sorted, so that "chat:read chat:edit" and "chat:edit  chat:read" are the
 * same scope set everywhere (consent memory, tokens, responses).
 */
#ifndef SCOPES_H
#define SCOPES_H

#include <jansson.h>
#include <stddef.h>

struct scope_info {
	const char	*name;
	const char	*description;	/* "View your email address" */
};

/* The catalog entry for name, or NULL. */
const struct scope_info *scope_find(const char *name, size_t len);
size_t scope_catalog_len(void);
const struct scope_info *scope_catalog_at(size_t i);

/*
 * Reads a space-separated scope list (NULL or "" is the empty set).  On
 * success returns 0 and *canonical (malloc'd) holds the sorted, distinct
 * scopes joined by single spaces.  Otherwise returns -1, *canonical is NULL,
 * and bad (bad_len bytes) lists the unknown names as "'x', 'y'" (truncated
 * with "..." if long); also -1 past TW_MAX_SCOPES scopes.
 */
int scopes_canonical(const char *list, char **canonical, char *bad, size_t bad_len);

/* A space-separated scope list as a JSON array, Twitch's "scope" shape. */
json_t *scope_array(const char *scopes);
/* Whether a scope list (NULL, "" or spaces: none) holds no scope. */
int scopes_none(const char *scopes);
/*
 * What Twitch answers for a token's scopes at /oauth2/validate: the array,
 * or null when there are none (app tokens, user tokens granted none).
 */
json_t *scope_array_or_null(const char *scopes);

#endif
