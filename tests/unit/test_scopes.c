/* Unit tests of scopes: the scope catalog and canonical scope lists. */
#include <stdlib.h>

#include "../../src/common/limits.h"
#include "../../src/common/scopes.h"
#include "t.h"

static void
scope_catalog_is_sorted_and_complete(void)
{
	/* ../shared/TWITCH-WIRE.md lists 83 scopes, openid among them. */
	CHECK(scope_catalog_len() == 83);
	for (size_t i = 1; i < scope_catalog_len(); i++)
		CHECK(strcmp(scope_catalog_at(i - 1)->name, scope_catalog_at(i)->name) < 0);
	for (size_t i = 0; i < scope_catalog_len(); i++) {
		const struct scope_info *si = scope_catalog_at(i);

		CHECK(scope_find(si->name, strlen(si->name)) == si);
		CHECK(strlen(si->description) > 5);
	}
	CHECK(scope_find("chat:rea", 8) == NULL);
	CHECK(scope_find("chat:readx", 10) == NULL);
	CHECK(scope_find("chat:read", 9) != NULL);
}

static void
scopes_canonical_sorts_dedups_and_names_unknowns(void)
{
	char bad[64], *c = NULL, many[(TW_MAX_SCOPES + 1) * 10 + 1];

	CHECK(scopes_canonical("  chat:read chat:edit chat:read ", &c, bad, sizeof(bad)) == 0);
	CHECK_STR(c, "chat:edit chat:read");
	free(c);
	CHECK(scopes_canonical(NULL, &c, bad, sizeof(bad)) == 0);
	CHECK_STR(c, "");
	free(c);
	CHECK(scopes_canonical("chat:read bogus x:y", &c, bad, sizeof(bad)) == -1);
	CHECK(c == NULL);
	CHECK_STR(bad, "'bogus', 'x:y'");
	/* Long lists of bad names are cut, not overflowed. */
	CHECK(scopes_canonical("aaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbb cccccccccccccccccccc "
	    "dddddddddddddddd", &c, bad, sizeof(bad)) == -1);
	CHECK(strlen(bad) < sizeof(bad));
	CHECK(strstr(bad, "...") != NULL);
	for (int i = 0; i <= TW_MAX_SCOPES; i++)
		memcpy(many + i * 10, "chat:read ", 10);
	many[(TW_MAX_SCOPES + 1) * 10] = '\0';
	CHECK(scopes_canonical(many, &c, bad, sizeof(bad)) == -1);
	CHECK(strstr(bad, "more than") != NULL);
}

void
suite_scopes(void)
{
	RUN(scope_catalog_is_sorted_and_complete);
	RUN(scopes_canonical_sorts_dedups_and_names_unknowns);
}
