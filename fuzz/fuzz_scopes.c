/*
 * Scope lists (scope=, scopes=).  Promises: an accepted list comes back
 * sorted, without repeats, every word in Twitch's catalog; a refused one
 * names what was wrong; the JSON array has one string per word.
 */
#include <jansson.h>

#include "../src/common/scopes.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *list = fuzz_cstr(data, size), *canon = NULL, bad[256];
	const char *w, *prev = NULL;
	size_t prev_len = 0;

	if (scopes_canonical(list, &canon, bad, sizeof(bad)) == 0) {
		json_t *a = scope_array(canon);
		size_t words = 0;

		for (w = canon; *w != '\0';) {
			size_t n = strcspn(w, " ");

			FUZZ_ASSERT(n > 0 && scope_find(w, n) != NULL);
			if (prev != NULL) {
				int c = strncmp(prev, w, n < prev_len ? n : prev_len);

				FUZZ_ASSERT(c < 0 || (c == 0 && prev_len < n));
			}
			prev = w;
			prev_len = n;
			words++;
			w += n;
			w += strspn(w, " ");
		}
		FUZZ_ASSERT(a != NULL && json_array_size(a) == words);
		json_decref(a);
		free(canon);
	} else
		FUZZ_ASSERT(canon == NULL);
	free(list);
	return 0;
}
