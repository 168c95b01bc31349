/* Unit tests of num: strict whole-number and decimal parsing. */
#include <stdint.h>

#include "../../src/common/num.h"
#include "t.h"

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

/* Fractions such as serve --chaos-rate: millionths from 0 to 1. */
static void
num_parses_decimals_strictly(void)
{
	int64_t v = 7;

	CHECK(num_parse_decimal("0", 6, 1000000, &v) == 0 && v == 0);
	CHECK(num_parse_decimal("1", 6, 1000000, &v) == 0 && v == 1000000);
	CHECK(num_parse_decimal("1.0", 6, 1000000, &v) == 0 && v == 1000000);
	CHECK(num_parse_decimal("0.5", 6, 1000000, &v) == 0 && v == 500000);
	CHECK(num_parse_decimal("0.05", 6, 1000000, &v) == 0 && v == 50000);
	CHECK(num_parse_decimal("0.000001", 6, 1000000, &v) == 0 && v == 1);
	CHECK(num_parse_decimal("00.25", 6, 1000000, &v) == 0 && v == 250000);
	CHECK(num_parse_decimal("12.5", 1, 1000, &v) == 0 && v == 125);
	v = 7;
	CHECK(num_parse_decimal("0.0000001", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal("1.000001", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal("2", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal("99999999999999999999", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal("", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal(".5", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal("5.", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal("0..5", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal("-0.1", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal("+0.1", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal("1e-3", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal("0,5", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal(" 0.5", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal("half", 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal(NULL, 6, 1000000, &v) == -1);
	CHECK(num_parse_decimal("1", 0, 1000000, &v) == -1);
	CHECK(v == 7);
}

void
suite_num(void)
{
	RUN(num_parses_strictly);
	RUN(num_parses_decimals_strictly);
}
