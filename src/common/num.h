/* Strict number parsing: the whole string, no sign surprises, no overflow. */
#ifndef NUM_H
#define NUM_H

#include <stdint.h>

/*
 * Parses s as a decimal integer in [min, max].  Returns 0, or -1 for an
 * empty string, trailing characters, a leading sign or space, or a value out
 * of range; *out is set only on success.
 */
int num_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
    __attribute__((warn_unused_result));

/*
 * Parses s as a decimal fraction with at most digits (1 to 9) decimals,
 * "0.05" or "1" or "1.0", into units of 10^-digits (0.05 with 6 digits:
 * 50000), which must lie in [0, max].  Returns 0, or -1 for anything else:
 * no digit before the point, none after it, a sign, an exponent, more
 * decimals, a value out of range; *out is set only on success.
 */
int num_parse_decimal(const char *s, unsigned digits, int64_t max, int64_t *out)
    __attribute__((warn_unused_result));

#endif
