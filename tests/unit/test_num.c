/* Unit tests of num: strict whole-number parsing. */
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

void
suite_num(void)
{
	RUN(num_parses_strictly);
}
