/* Unit tests of form: urlencoded parameters, their limits and their encoding. */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/common/form.h"
#include "../../src/common/limits.h"
#include "t.h"

static enum params_err
parse(struct params *ps, const char *s)
{
	params_init(ps);
	return form_parse(ps, s, strlen(s));
}

static void
form_decodes_pairs(void)
{
	struct params ps;

	CHECK(parse(&ps, "client_id=abc&scope=chat%3Aread+chat%3Aedit&empty=&flag&&=x") ==
	    PARAMS_OK);
	CHECK_STR(params_get(&ps, "client_id"), "abc");
	CHECK_STR(params_get(&ps, "scope"), "chat:read chat:edit");
	CHECK_STR(params_get(&ps, "empty"), "");
	CHECK_STR(params_get(&ps, "flag"), "");
	CHECK(params_get(&ps, "missing") == NULL);
	CHECK(ps.n == 4);
	params_free(&ps);
	CHECK(parse(&ps, "redirect_uri=http%3A%2F%2Flocalhost%3A3000") == PARAMS_OK);
	CHECK_STR(params_get(&ps, "redirect_uri"), "http://localhost:3000");
	params_free(&ps);
}

static void
form_rejects_bad_escapes_and_nul(void)
{
	struct params ps;

	CHECK(parse(&ps, "a=%zz") == PARAMS_BAD_ENCODING);
	params_free(&ps);
	CHECK(parse(&ps, "a=%4") == PARAMS_BAD_ENCODING);
	params_free(&ps);
	CHECK(parse(&ps, "a=%") == PARAMS_BAD_ENCODING);
	params_free(&ps);
	CHECK(parse(&ps, "a=x%00y") == PARAMS_NUL_BYTE);
	params_free(&ps);
	CHECK(parse(&ps, "a%00=1") == PARAMS_NUL_BYTE);
	params_free(&ps);
	CHECK(parse(&ps, "nonce=%FF") == PARAMS_BAD_UTF8);
	params_free(&ps);
	CHECK(parse(&ps, "%C3%28=1") == PARAMS_BAD_UTF8);
	params_free(&ps);
	CHECK(parse(&ps, "name=%C3%A9t%C3%A9") == PARAMS_OK);	/* "été" */
	params_free(&ps);
}

static void
form_repeats_same_ok_different_refused(void)
{
	struct params ps;

	CHECK(parse(&ps, "a=1&a=1") == PARAMS_OK);
	CHECK(ps.n == 1);
	params_free(&ps);
	CHECK(parse(&ps, "a=1&b=2&a=3") == PARAMS_CONFLICT);
	CHECK_STR(ps.bad_name, "a");
	params_free(&ps);
	/* The query string and the body feed one set. */
	params_init(&ps);
	CHECK(form_parse(&ps, "a=1", 3) == PARAMS_OK);
	CHECK(form_parse(&ps, "a=2", 3) == PARAMS_CONFLICT);
	params_free(&ps);
}

static void
form_limits(void)
{
	struct params ps;
	char *s = malloc(3 * TW_MAX_PARAM_VALUE + 64);
	size_t n = 0;

	/* 64 distinct parameters fit; the 65th does not. */
	for (int i = 0; i < TW_MAX_PARAMS; i++)
		n += (size_t)snprintf(s + n, 32, "p%d=v&", i);
	s[n] = '\0';
	CHECK(parse(&ps, s) == PARAMS_OK);
	CHECK(ps.n == TW_MAX_PARAMS);
	params_free(&ps);
	snprintf(s + n, 32, "one_more=1");
	CHECK(parse(&ps, s) == PARAMS_TOO_MANY);
	params_free(&ps);

	/* A value of exactly 4096 bytes fits; 4097 does not, nor does 129-byte name. */
	memcpy(s, "v=", 2);
	memset(s + 2, 'x', TW_MAX_PARAM_VALUE);
	s[2 + TW_MAX_PARAM_VALUE] = '\0';
	CHECK(parse(&ps, s) == PARAMS_OK);
	params_free(&ps);
	s[2 + TW_MAX_PARAM_VALUE] = 'x';
	s[3 + TW_MAX_PARAM_VALUE] = '\0';
	CHECK(parse(&ps, s) == PARAMS_VALUE_TOO_LONG);
	CHECK_STR(ps.bad_name, "v");
	params_free(&ps);
	/* Length counts decoded bytes: 4096 escaped bytes are 12288 encoded. */
	memcpy(s, "v=", 2);
	for (int i = 0; i < TW_MAX_PARAM_VALUE; i++)
		memcpy(s + 2 + 3 * i, "%41", 3);
	s[2 + 3 * TW_MAX_PARAM_VALUE] = '\0';
	CHECK(parse(&ps, s) == PARAMS_OK);
	CHECK(strlen(params_get(&ps, "v")) == TW_MAX_PARAM_VALUE);
	params_free(&ps);
	memset(s, 'n', TW_MAX_PARAM_NAME + 1);
	memcpy(s + TW_MAX_PARAM_NAME + 1, "=1", 3);
	CHECK(parse(&ps, s) == PARAMS_NAME_TOO_LONG);
	params_free(&ps);
	free(s);
}

/* The messages of the limits say the numbers of limits.h (TW_STR). */
static void
form_limit_messages(void)
{
	char want[64];

	snprintf(want, sizeof(want), "(at most %d)", TW_MAX_PARAMS);
	CHECK(strstr(params_strerror(PARAMS_TOO_MANY), want) != NULL);
	snprintf(want, sizeof(want), "(at most %d bytes)", TW_MAX_PARAM_NAME);
	CHECK(strstr(params_strerror(PARAMS_NAME_TOO_LONG), want) != NULL);
	snprintf(want, sizeof(want), "(at most %d bytes)", TW_MAX_PARAM_VALUE);
	CHECK(strstr(params_strerror(PARAMS_VALUE_TOO_LONG), want) != NULL);
}

static void
form_encode_roundtrip(void)
{
	const char *orig = "chat:read chat:edit&x=1/é~";
	struct buf b;
	char out[128];
	long n;

	buf_init(&b, 256);
	CHECK(form_encode(&b, orig) == 0);
	CHECK(strchr(b.data, ' ') == NULL && strchr(b.data, '&') == NULL);
	n = form_decode(b.data, b.len, out, 1);
	CHECK(n == (long)strlen(orig));
	out[n < 0 ? 0 : n] = '\0';
	CHECK_STR(out, orig);
	buf_free(&b);
}

void
suite_form(void)
{
	RUN(form_decodes_pairs);
	RUN(form_rejects_bad_escapes_and_nul);
	RUN(form_repeats_same_ok_different_refused);
	RUN(form_limits);
	RUN(form_limit_messages);
	RUN(form_encode_roundtrip);
}
