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

int
num_parse_decimal(const char *s, unsigned digits, int64_t max, int64_t *out)
{
	int64_t v = 0;
	unsigned decimals = 0;
	int point = 0, before = 0;

	if (s == NULL || digits < 1 || digits > 9)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s == '.' && !point && before > 0) {
			point = 1;
			continue;
		}
		if (*s < '0' || *s > '9' || (point && ++decimals > digits))
			return -1;
		before += !point;
		/* max is an int64_t: past it, a value can only be refused. */
		if (v > (max - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (before == 0 || (point && decimals == 0))
		return -1;
	for (; decimals < digits; decimals++) {
		if (v > max / 10)
			return -1;
		v *= 10;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}
