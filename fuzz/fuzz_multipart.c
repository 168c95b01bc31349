/*
 * multipart/form-data bodies: the first line of the input is the
 * Content-Type header's value (whose boundary is parsed too), the rest
 * the body.  Promises: as fuzz_form.c.
 */
#define FUZZ_NO_MAIN_TARGET
#include "fuzz_form.c"
#undef FUZZ_NO_MAIN_TARGET
#include "../src/common/multipart.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t head = nl ? (size_t)(nl - (const char *)data) : size;
	struct str boundary;
	struct params ps;

	if (multipart_boundary(str_make((const char *)data, head), &boundary) == -1)
		return 0;
	FUZZ_ASSERT(boundary.len > 0 && boundary.len <= head);
	params_init(&ps);
	if (multipart_parse(&ps, boundary, (const char *)data + head + (nl != NULL),
	    size - head - (nl != NULL)) == PARAMS_OK)
		check_params(&ps);
	params_free(&ps);
	return 0;
}
