/* Unit tests of rand: random identifiers and codes, from their alphabets only. */
#include "../../src/common/rand.h"
#include "t.h"

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

void
suite_rand(void)
{
	RUN(rand_alnum_shape);
	RUN(rand_custom_alphabet);
}
