/*
 * Length-carrying views of bytes that someone else owns.  Parsers hand these
 * out instead of copying, and never rely on a NUL terminator inside them.
 */
#ifndef STR_H
#define STR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct str {
	const char	*p;
	size_t		 len;
};

static inline struct str
str_make(const char *p, size_t len)
{
	struct str s = { p, len };
	return s;
}

static inline struct str
str_cstr(const char *p)
{
	return str_make(p, p ? strlen(p) : 0);
}

static inline bool
str_eq(struct str a, struct str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static inline bool
str_eq_cstr(struct str a, const char *b)
{
	return str_eq(a, str_cstr(b));
}

/* ASCII case-insensitive equality, for header and scheme names. */
bool str_eq_nocase(struct str a, const char *b);
/* True if s begins with prefix, ASCII case-insensitively. */
bool str_prefix_nocase(struct str s, const char *prefix);
/* Drops leading and trailing spaces and tabs. */
struct str str_trim(struct str s);
/*
 * True if every space-separated word of words is also a word of set
 * ("" is within anything).  For scope lists.
 */
bool words_within(const char *words, const char *set);
/*
 * True if p[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF).  What the store keeps must be text
 * that every backend accepts.
 */
bool str_utf8_valid(const char *p, size_t len);

/*
 * Formats a one-line reason into err (err_len bytes) and returns -1, so an
 * error path reads "return str_errf(err, len, ...);".
 */
int str_errf(char *err, size_t err_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
