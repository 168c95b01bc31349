/* Unit tests of buf: a growable buffer that refuses to pass its cap. */
#include <stdlib.h>

#include "../../src/common/buf.h"
#include "t.h"

static void
buf_refuses_past_cap(void)
{
	struct buf b;

	buf_init(&b, 8);
	CHECK(buf_add(&b, "12345", 5) == 0);
	CHECK(buf_add(&b, "678", 3) == 0);
	CHECK(b.len == 8);
	CHECK(buf_add(&b, "9", 1) == -1);
	CHECK(b.len == 8);
	CHECK_STR(b.data, "12345678");
	buf_reset(&b);
	CHECK(b.len == 0);
	CHECK(buf_printf(&b, "%d-%s", 42, "x") == 0);
	CHECK_STR(b.data, "42-x");
	CHECK(buf_printf(&b, "%s", "toolongstr") == -1);
	CHECK_STR(b.data, "42-x");
	buf_free(&b);
	buf_free(&b);	/* twice is harmless */
}

void
suite_buf(void)
{
	RUN(buf_refuses_past_cap);
}
