/*
 * Cookie headers: the input is "name\nheader".  Promise: what is found is
 * a slice of the header.
 */
#include "../src/common/cookie.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - (const char *)data) : 0;
	char *name = fuzz_cstr(data, n);
	struct str h = str_make((const char *)data + n + (nl != NULL), size - n - (nl != NULL));
	struct str v = cookie_get(h, name);

	if (v.p != NULL)
		FUZZ_ASSERT(v.p >= h.p && v.p + v.len <= h.p + h.len);
	free(name);
	return 0;
}
