/* Unit tests of html: escaping text into the pages. */
#include <stdlib.h>

#include "../../src/http/html.h"
#include "t.h"

static void
html_text_escapes_everything_that_matters(void)
{
	struct html h;
	size_t len;
	char *out;

	buf_init(&h.b, 4096);
	html_text(&h, "<script>alert('x')</script> & \"q\"");
	out = h.b.data;
	CHECK_STR(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
	buf_free(&h.b);
	html_begin(&h, "A <b>");
	out = html_end(&h, &len);
	CHECK(strstr(out, "<title>A &lt;b&gt; - twauth</title>") != NULL);
	CHECK(strlen(out) == len);
	free(out);
}

void
suite_html(void)
{
	RUN(html_text_escapes_everything_that_matters);
}
