/* Strict decimal parsing; see num.h. */
#include "num.h"

#include <stddef.h>

int
num_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int64_t v = 0;
	int neg = 0;

	if (s == NULL || *s == '\0')
		return -1;
	if (*s == '-') {
		neg = 1;
		s++;
		if (*s == '\0')
			return -1;
	}
	for (; *s != '\0'; s++) {
		int d;

		if (*s < '0' || *s > '9')
			return -1;
		d = *s - '0';
		/* Accumulate as a negative number so INT64_MIN fits. */
		if (v < (INT64_MIN + d) / 10)
			return -1;
		v = v * 10 - d;
	}
	if (!neg) {
		if (v == INT64_MIN)
			return -1;
		v = -v;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
