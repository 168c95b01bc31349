/*
 * Building HTML pages: a capped buffer where everything from outside goes
 * through html_text (escaped for element content and quoted attributes
 * alike).  Pages share one layout (html_begin/html_end) and one stylesheet
 * (/assets/twauth.css, see assets.c): no scripts, no external assets.
 */
#ifndef HTTP_HTML_H
#define HTTP_HTML_H

#include "../common/buf.h"

/* A page larger than this is a bug of ours, not a property of the input: fatal. */
#define HTML_CAP	(512 * 1024)

struct html {
	struct buf	b;
};

/* Starts a page with its <title> and heading. */
void html_begin(struct html *h, const char *title);
/* The same in a wider card (the console's forms and tables). */
void html_begin_wide(struct html *h, const char *title);
/* The same in the widest card, for a picture (the console's Twitch rules page). */
void html_begin_full(struct html *h, const char *title);
/* Closes the page; returns the malloc'd text and its length in *len. */
char *html_end(struct html *h, size_t *len);
/* Appends trusted markup (string literals of ours). */
void html_raw(struct html *h, const char *markup);
/* Appends s escaped (& < > " '). */
void html_text(struct html *h, const char *s);
/* The same for the len bytes at s (a word of a list, say). */
void html_text_len(struct html *h, const char *s, size_t len);
/* Appends <input type="hidden" name="NAME" value="VALUE">; NULL value skips. */
void html_hidden(struct html *h, const char *name, const char *value);
/* html_raw with printf formatting; every %s must be trusted. */
void html_rawf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
