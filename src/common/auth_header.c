/* Authorization header parsing; see auth_header.h. */
#include "auth_header.h"

enum auth_scheme
auth_header_parse(struct str header, struct str *token)
{
	enum auth_scheme scheme;
	size_t i = 0;

	*token = str_make("", 0);
	header = str_trim(header);
	if (header.len == 0)
		return AUTH_NONE;
	while (i < header.len && header.p[i] != ' ' && header.p[i] != '\t')
		i++;
	if (str_eq_nocase(str_make(header.p, i), "oauth"))
		scheme = AUTH_OAUTH;
	else if (str_eq_nocase(str_make(header.p, i), "bearer"))
		scheme = AUTH_BEARER;
	else
		return AUTH_OTHER;
	*token = str_trim(str_make(header.p + i, header.len - i));
	if (token->len == 0)
		return AUTH_NONE;
	return scheme;
}
