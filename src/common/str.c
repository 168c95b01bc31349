/* Helpers over struct str; see str.h. */
#include "str.h"

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

bool
str_prefix_nocase(struct str s, const char *prefix)
{
	size_t n = strlen(prefix);

	if (s.len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)s.p[i]) != lower((unsigned char)prefix[i]))
			return false;
	return true;
}

bool
str_eq_nocase(struct str a, const char *b)
{
	return a.len == strlen(b) && str_prefix_nocase(a, b);
}

struct str
str_trim(struct str s)
{
	while (s.len > 0 && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t'))
		s.len--;
	return s;
}
