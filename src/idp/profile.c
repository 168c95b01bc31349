/*
 * The rules the oauth2 profile adds that are rules of their own (the rest
 * is a flag where Twitch's answer is shaped: the scope string in
 * src/http/token.c, the error members in the error table, the device
 * poll's secret in client_auth.c).
 */
#include <string.h>

#include "../common/buf.h"
#include "../common/scopes.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

/* OpenID Connect Core 11: asks for a refresh token, which comes anyway. */
#define OFFLINE_ACCESS	"offline_access"

int
idp_scopes_requested(int oauth2, const char *list, char **canonical, char *bad,
    size_t bad_len)
{
	struct buf kept;
	const char *p = list;
	int rc;

	if (!oauth2 || list == NULL || strstr(list, OFFLINE_ACCESS) == NULL)
		return scopes_canonical(list, canonical, bad, bad_len);
	buf_init(&kept, strlen(list) + 1);
	while (*(p += strspn(p, " ")) != '\0') {
		size_t len = strcspn(p, " ");

		if (len != strlen(OFFLINE_ACCESS) || strncmp(p, OFFLINE_ACCESS, len) != 0) {
			/* kept is never longer than list, its cap. */
			if ((kept.len > 0 && buf_add(&kept, " ", 1) == -1) ||
			    buf_add(&kept, p, len) == -1)
				fatal("scope list over its cap");
		}
		p += len;
	}
	rc = scopes_canonical(kept.len > 0 ? kept.data : "", canonical, bad, bad_len);
	buf_free(&kept);
	return rc;
}
