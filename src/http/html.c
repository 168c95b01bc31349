/* HTML building; see html.h. */
#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../common/xmalloc.h"

static void
add(struct html *h, const char *p, size_t n)
{
	if (buf_add(&h->b, p, n) == -1)
		fatal("page larger than %d bytes", HTML_CAP);
}

void
html_raw(struct html *h, const char *markup)
{
	add(h, markup, strlen(markup));
}

void
html_rawf(struct html *h, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		fatal("html_rawf: line too long");
	add(h, line, (size_t)n);
}

void
html_text(struct html *h, const char *s)
{
	html_text_len(h, s, strlen(s));
}

void
html_text_len(struct html *h, const char *s, size_t len)
{
	const char *run = s, *end = s + len;

	for (; s < end; s++) {
		const char *esc;

		switch (*s) {
		case '&': esc = "&amp;"; break;
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '"': esc = "&quot;"; break;
		case '\'': esc = "&#39;"; break;
		default: continue;
		}
		add(h, run, (size_t)(s - run));
		html_raw(h, esc);
		run = s + 1;
	}
	add(h, run, (size_t)(s - run));
}

void
html_hidden(struct html *h, const char *name, const char *value)
{
	if (value == NULL)
		return;
	html_raw(h, "<input type=\"hidden\" name=\"");
	html_text(h, name);
	html_raw(h, "\" value=\"");
	html_text(h, value);
	html_raw(h, "\">\n");
}

static void
begin(struct html *h, const char *title, const char *card_class)
{
	buf_init(&h->b, HTML_CAP);
	html_raw(h, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<link rel=\"stylesheet\" href=\"/assets/twauth.css\">\n<title>");
	html_text(h, title);
	html_rawf(h, " - twauth</title></head>\n<body><main class=\"%s\">\n"
	    "<div class=\"brand\">twauth</div>\n<h1>", card_class);
	html_text(h, title);
	html_raw(h, "</h1>\n");
}

void
html_begin(struct html *h, const char *title)
{
	begin(h, title, "card");
}

void
html_begin_wide(struct html *h, const char *title)
{
	begin(h, title, "card wide");
}

void
html_begin_full(struct html *h, const char *title)
{
	begin(h, title, "card full");
}

char *
html_end(struct html *h, size_t *len)
{
	html_raw(h, "</main></body></html>\n");
	*len = h->b.len;
	return h->b.data;
}
