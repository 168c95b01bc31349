/*
 * Query strings and urlencoded bodies (form_parse) and form_decode.
 * Promises: accepted parameters obey params.h's rules (limits, no NUL, one
 * value per name); decoding never grows its input.
 */
#include "../src/common/form.h"
#include "fuzz.h"

/* Promises of every accepted parameter set (shared with fuzz_multipart.c). */
static void
check_params(const struct params *ps)
{
	FUZZ_ASSERT(ps->n <= TW_MAX_PARAMS);
	for (size_t i = 0; i < ps->n; i++) {
		const struct param *p = &ps->items[i];

		FUZZ_ASSERT(strlen(p->name) <= TW_MAX_PARAM_NAME);
		FUZZ_ASSERT(p->value_len <= TW_MAX_PARAM_VALUE);
		FUZZ_ASSERT(strlen(p->value) == p->value_len);
		FUZZ_ASSERT(params_get(ps, p->name) == p->value);
	}
}

#ifndef FUZZ_NO_MAIN_TARGET
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct params ps;
	char *out = malloc(size + 1);
	long n;

	if (out == NULL)
		abort();
	params_init(&ps);
	if (form_parse(&ps, (const char *)data, size) == PARAMS_OK)
		check_params(&ps);
	params_free(&ps);
	n = form_decode((const char *)data, size, out, 1);
	FUZZ_ASSERT(n <= (long)size);
	free(out);
	return 0;
}
#endif
