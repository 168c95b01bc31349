/* Unit tests of the small common modules: buf, num, hash, rand. */
#include <stdint.h>
#include <stdlib.h>

#include "../../src/common/buf.h"
#include "../../src/common/hash.h"
#include "../../src/common/num.h"
#include "../../src/common/rand.h"
#include "../../src/common/str.h"
#include "t.h"

static void
buf_refuses_past_cap(void)
{
	struct buf b;

	buf_init(&b, 8);
	CHECK(buf_add(&b, "12345", 5) == 0);
	CHECK(buf_add(&b, "678", 3) == 0);
	CHECK(b.len == 8);
	CHECK(buf_add(&b, "9", 1) == -1);
	CHECK(b.len == 8);
	CHECK_STR(b.data, "12345678");
	buf_reset(&b);
	CHECK(b.len == 0);
	CHECK(buf_printf(&b, "%d-%s", 42, "x") == 0);
	CHECK_STR(b.data, "42-x");
	CHECK(buf_printf(&b, "%s", "toolongstr") == -1);
	CHECK_STR(b.data, "42-x");
	buf_free(&b);
	buf_free(&b);	/* twice is harmless */
}

void
suite_buf(void)
{
	RUN(buf_refuses_past_cap);
}

static void
num_parses_strictly(void)
{
	int64_t v = 7;

	CHECK(num_parse_i64("0", 0, 10, &v) == 0 && v == 0);
	CHECK(num_parse_i64("8080", 1, 65535, &v) == 0 && v == 8080);
	CHECK(num_parse_i64("-5", -10, 10, &v) == 0 && v == -5);
	CHECK(num_parse_i64("9223372036854775807", 0, INT64_MAX, &v) == 0 && v == INT64_MAX);
	CHECK(num_parse_i64("-9223372036854775808", INT64_MIN, 0, &v) == 0 && v == INT64_MIN);
	v = 7;
	CHECK(num_parse_i64("9223372036854775808", 0, INT64_MAX, &v) == -1);
	CHECK(num_parse_i64("", 0, 10, &v) == -1);
	CHECK(num_parse_i64("-", 0, 10, &v) == -1);
	CHECK(num_parse_i64("+1", 0, 10, &v) == -1);
	CHECK(num_parse_i64(" 1", 0, 10, &v) == -1);
	CHECK(num_parse_i64("1x", 0, 10, &v) == -1);
	CHECK(num_parse_i64("11", 0, 10, &v) == -1);
	CHECK(num_parse_i64(NULL, 0, 10, &v) == -1);
	CHECK(v == 7);
}

void
suite_num(void)
{
	RUN(num_parses_strictly);
}

static void
sha256_known_vectors(void)
{
	uint8_t d[HASH_LEN], e[HASH_LEN];
	char hex[2 * HASH_LEN + 1];

	hash_sha256("abc", 3, d);
	hex_encode(d, HASH_LEN, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hash_sha256("", 0, d);
	hex_encode(d, HASH_LEN, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hash_sha256("abd", 3, e);
	CHECK(!hash_equal(d, e));
	CHECK(hash_equal(e, e));
}

void
suite_hash(void)
{
	RUN(sha256_known_vectors);
}

static void
rand_alnum_shape(void)
{
	char a[31], b[31];
	int seen[36] = { 0 }, kinds = 0;

	rand_alnum(a, 30);
	rand_alnum(b, 30);
	CHECK(strlen(a) == 30);
	CHECK(strcmp(a, b) != 0);
	for (int round = 0; round < 200; round++) {
		rand_alnum(a, 30);
		for (int i = 0; i < 30; i++) {
			int c = a[i];

			if (c >= '0' && c <= '9')
				seen[c - '0'] = 1;
			else if (c >= 'a' && c <= 'z')
				seen[10 + c - 'a'] = 1;
			else
				CHECK(!"character outside [0-9a-z]");
		}
	}
	for (int i = 0; i < 36; i++)
		kinds += seen[i];
	CHECK(kinds == 36);	/* 6000 draws reach every character */
}

static void
rand_custom_alphabet(void)
{
	char code[9];

	rand_from_alphabet(code, 8, "BCDFGHJKLMNPQRSTVWXZ");
	CHECK(strlen(code) == 8);
	CHECK(strspn(code, "BCDFGHJKLMNPQRSTVWXZ") == 8);
}

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

void
suite_rand(void)
{
	RUN(rand_alnum_shape);
	RUN(utf8_validation_is_strict);
	RUN(rand_custom_alphabet);
}
