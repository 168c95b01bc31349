/* Unit tests of str: strict UTF-8 validation, word lists within a set. */
#include <stdbool.h>

#include "../../src/common/str.h"
#include "t.h"

static void
utf8_validation_is_strict(void)
{
	static const struct { const char *s; int ok; } cases[] = {
		{ "", 1 }, { "plain ascii", 1 }, { "\xc3\xa9", 1 }, { "\xe2\x82\xac", 1 },
		{ "\xf0\x9f\x98\x80", 1 }, { "\xf4\x8f\xbf\xbf", 1 },	/* U+10FFFF */
		{ "\xff", 0 }, { "\x80", 0 }, { "\xc3", 0 }, { "\xc3\x28", 0 },
		{ "\xc0\xaf", 0 }, { "\xe0\x80\xaf", 0 },		/* overlong '/' */
		{ "\xed\xa0\x80", 0 },					/* a surrogate */
		{ "\xf4\x90\x80\x80", 0 },				/* above U+10FFFF */
		{ "\xe2\x82", 0 }, { "ok\xf0\x9f\x98", 0 },		/* cut short */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(str_utf8_valid(cases[i].s, strlen(cases[i].s)) == (bool)cases[i].ok);
}

static void
words_within_checks_every_word(void)
{
	CHECK(words_within("", "a b"));
	CHECK(words_within("a", "a b"));
	CHECK(words_within("b  a", "a b"));
	CHECK(!words_within("c", "a b"));
	CHECK(!words_within("a", "ab"));
	CHECK(!words_within("ab", "a b"));
	CHECK(!words_within("a", ""));
}

void
suite_str(void)
{
	RUN(utf8_validation_is_strict);
	RUN(words_within_checks_every_word);
}
