/* Cookie header lookup; see cookie.h. */
#include "cookie.h"

struct str
cookie_get(struct str header, const char *name)
{
	size_t name_len = strlen(name), i = 0;

	while (i < header.len) {
		size_t start, eq, end;

		while (i < header.len && (header.p[i] == ' ' || header.p[i] == '\t' ||
		    header.p[i] == ';'))
			i++;
		start = i;
		while (i < header.len && header.p[i] != ';')
			i++;
		end = i;
		while (end > start && (header.p[end - 1] == ' ' || header.p[end - 1] == '\t'))
			end--;
		for (eq = start; eq < end && header.p[eq] != '='; eq++)
			;
		if (eq < end && eq - start == name_len &&
		    memcmp(header.p + start, name, name_len) == 0)
			return str_make(header.p + eq + 1, end - eq - 1);
	}
	return str_make(NULL, 0);
}
