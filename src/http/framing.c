/*
 * RFC 9112's framing rules for a request's head, checked before anything
 * reads its body or routes it (request.c).  Behind a proxy that frames a
 * request differently, each of these would let one request's bytes be
 * read as two (request smuggling), so each is a 400 that closes the
 * connection: never a second request from the same bytes.
 *
 * What libmicrohttpd 0.9.75 (Debian 12's) does not let us see: a NUL in a
 * header value (it ends the value there) and an obs-fold line (it joins
 * it to the line before); both reach us as something else.  Nor can we
 * answer in Twitch's format a Content-Length that is not a number:
 * libmicrohttpd answers that itself (400, HTML, and the connection closed)
 * before it hands us the request.
 */
#include "framing.h"

#include <microhttpd.h>
#include <string.h>
#include <strings.h>

#include "../common/form.h"

/* A control byte (other than HTAB) or DEL in len bytes of p. */
static int
has_control(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 1;
	}
	return 0;
}

static int
is_digits(const char *p, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/* Whether the len bytes of key are the header name, in any case. */
static int
is_name(const char *key, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(key, name, len) == 0;
}

int
framing_header(struct framing_head *h, const char *key, size_t key_len, const char *value,
    size_t value_len)
{
	if (value == NULL)
		value_len = 0;
	if (has_control(key, key_len) || has_control(value, value_len))
		h->problem = "a header has control characters";
	else if (is_name(key, key_len, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
		h->content_length++;
		if (!is_digits(value, value_len))
			h->problem = "Content-Length is not one number";
	} else if (is_name(key, key_len, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
		h->transfer_encoding++;
		if (value_len != 7 || strncasecmp(value, "chunked", 7) != 0)
			h->problem = "the only Transfer-Encoding taken is chunked";
	} else if (is_name(key, key_len, MHD_HTTP_HEADER_HOST))
		h->host++;
	return h->problem == NULL;
}

const char *
framing_verdict(const struct framing_head *h, int http11)
{
	if (h->problem != NULL)
		return h->problem;
	if (h->content_length > 1)
		return "Content-Length is given twice";
	if (h->content_length > 0 && h->transfer_encoding > 0)
		return "Content-Length together with Transfer-Encoding";
	if (h->transfer_encoding > 1)
		return "Transfer-Encoding is given twice";
	if (h->host > 1)
		return "Host is given twice";
	if (http11 && h->host == 0)
		return "an HTTP/1.1 request needs a Host header";
	return NULL;
}

static enum MHD_Result
count_header(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_len,
    const char *value, size_t value_len)
{
	(void)kind;
	return framing_header(cls, key, key_len, value, value_len) ? MHD_YES : MHD_NO;
}

const char *
framing_head_problem(struct MHD_Connection *conn, int http11)
{
	struct framing_head h = { 0, 0, 0, NULL };

	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, count_header, &h);
	return framing_verdict(&h, http11);
}

int
framing_target_ok(const char *target)
{
	size_t path_len = strcspn(target, "?");

	if (has_control(target, strlen(target)))
		return 0;
	/* What the path decodes to: no control character may hide in %XX. */
	for (size_t i = 0; i + 2 < path_len; i++) {
		int hi, lo;

		if (target[i] != '%' || (hi = form_hex_value(target[i + 1])) < 0 ||
		    (lo = form_hex_value(target[i + 2])) < 0)
			continue;
		if (hi * 16 + lo < 0x20 || hi * 16 + lo == 0x7f)
			return 0;
	}
	return 1;
}
