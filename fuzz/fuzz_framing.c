/*
 * A request head's framing checks (src/http/framing.c).  The input is a
 * flag byte (bit 0: HTTP/1.1), the request target up to the first
 * newline, then "Name: value" lines.  Promise: a head let through frames
 * its body one way only (at most one Content-Length, all digits; at most
 * one Transfer-Encoding, exactly chunked; never both), has one Host when
 * it is HTTP/1.1 and at most one otherwise, and no control byte in any
 * header; a target let through has no control byte, raw or, in its path,
 * percent-encoded.
 */
#include <ctype.h>
#include <strings.h>

#include "../src/http/framing.h"
#include "fuzz.h"

static int
control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

static int
same_name(const char *p, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(p, name, len) == 0;
}

/* The target's own check, written out again to hold framing_target_ok to. */
static int
target_clean(const char *t)
{
	size_t path = strcspn(t, "?");

	for (size_t i = 0; t[i] != '\0'; i++) {
		if (control((unsigned char)t[i]))
			return 0;
		if (i + 2 < path && t[i] == '%' && isxdigit((unsigned char)t[i + 1]) &&
		    isxdigit((unsigned char)t[i + 2])) {
			char hex[3] = { t[i + 1], t[i + 2], '\0' };

			if (control((unsigned char)strtol(hex, NULL, 16)))
				return 0;
		}
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	const char *nl;
	struct framing_head h = { 0, 0, 0, NULL };
	unsigned cl = 0, te = 0, host = 0, bad = 0;
	int http11;
	char *target;

	if (size == 0)
		return 0;
	http11 = data[0] & 1;
	nl = memchr(p, '\n', (size_t)(end - p));
	target = fuzz_cstr((const uint8_t *)p, nl ? (size_t)(nl - p) : (size_t)(end - p));
	FUZZ_ASSERT(!framing_target_ok(target) || target_clean(target));
	free(target);
	for (p = nl ? nl + 1 : end; p < end; p = nl ? nl + 1 : end) {
		const char *colon, *v;
		size_t klen, vlen;
		int wrong = 0;

		nl = memchr(p, '\n', (size_t)(end - p));
		colon = memchr(p, ':', (size_t)((nl ? nl : end) - p));
		if (colon == NULL)
			continue;
		klen = (size_t)(colon - p);
		for (v = colon + 1; v < (nl ? nl : end) && *v == ' '; v++)
			;
		vlen = (size_t)((nl ? nl : end) - v);
		for (size_t i = 0; i < klen; i++)
			wrong |= control((unsigned char)p[i]);
		for (size_t i = 0; i < vlen; i++)
			wrong |= control((unsigned char)v[i]);
		if (same_name(p, klen, "Content-Length")) {
			cl++;
			wrong |= vlen == 0;
			for (size_t i = 0; i < vlen; i++)
				wrong |= !isdigit((unsigned char)v[i]);
		} else if (same_name(p, klen, "Transfer-Encoding")) {
			te++;
			wrong |= !same_name(v, vlen, "chunked");
		} else if (same_name(p, klen, "Host"))
			host++;
		bad |= wrong;
		if (!framing_header(&h, p, klen, v, vlen)) {
			FUZZ_ASSERT(wrong);
			break;
		}
		FUZZ_ASSERT(!wrong);
	}
	if (framing_verdict(&h, http11) == NULL)
		FUZZ_ASSERT(!bad && cl <= 1 && te <= 1 && !(cl && te) && host <= 1 &&
		    (!http11 || host == 1));
	return 0;
}
