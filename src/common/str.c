/* Helpers over struct str; see str.h. */
#include "str.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include <string.h>

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

/* True if the word w[0..len) is one of the space-separated words of set. */
static bool
word_in(const char *w, size_t len, const char *set)
{
	const char *p = set;

	while (*p != '\0') {
		size_t n = strcspn(p, " ");

		if (n == len && memcmp(p, w, len) == 0)
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

bool
words_within(const char *words, const char *set)
{
	const char *p = words + strspn(words, " ");

	while (*p != '\0') {
		size_t n = strcspn(p, " ");

		if (!word_in(p, n, set))
			return false;
		p += n;
		p += strspn(p, " ");
	}
	return true;
}

int
str_errf(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	return -1;
}

bool
str_utf8_valid(const char *p, size_t len)
{
	const unsigned char *s = (const unsigned char *)p, *end = s + len;

	while (s < end) {
		unsigned c = *s, need, min;
		uint32_t cp;

		if (c < 0x80) {
			s++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			min = 0x80;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			min = 0x800;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			min = 0x10000;
			cp = c & 0x07;
		} else
			return false;	/* a continuation byte, 0xc0, 0xc1, or over 0xf4 */
		if ((size_t)(end - s) <= need)
			return false;
		for (unsigned i = 1; i <= need; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		s += need + 1;
	}
	return true;
}
