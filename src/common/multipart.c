/*
 * multipart/form-data parser; see multipart.h.
 *
 * Layout: [preamble] "--B" CRLF part ("\r\n--B" CRLF part)* "\r\n--B--" [epilogue]
 * where a part is a header block ended by an empty line, then the value.
 * Traps: a value may contain CR, LF and "--"; only CRLF "--" boundary ends it.
 */
#include "multipart.h"

#include <string.h>

#include "limits.h"

static const char *
find(const char *hay, size_t hay_len, const char *needle, size_t needle_len)
{
	if (needle_len == 0 || hay_len < needle_len)
		return NULL;
	for (size_t i = 0; i + needle_len <= hay_len; i++) {
		const char *p = memchr(hay + i, needle[0], hay_len - needle_len - i + 1);

		if (p == NULL)
			return NULL;
		i = (size_t)(p - hay);
		if (memcmp(p, needle, needle_len) == 0)
			return p;
	}
	return NULL;
}

int
multipart_boundary(struct str ct, struct str *boundary)
{
	const char *p, *end = ct.p + ct.len;

	if (!str_prefix_nocase(ct, "multipart/form-data"))
		return -1;
	p = ct.p + strlen("multipart/form-data");
	while (p < end) {
		struct str param;
		const char *semi;

		if (*p != ';' && *p != ' ' && *p != '\t')
			return -1;
		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		semi = memchr(p, ';', (size_t)(end - p));
		param = str_make(p, semi ? (size_t)(semi - p) : (size_t)(end - p));
		p += param.len;
		if (!str_prefix_nocase(param, "boundary="))
			continue;
		param.p += strlen("boundary=");
		param.len -= strlen("boundary=");
		param = str_trim(param);
		if (param.len >= 2 && param.p[0] == '"' && param.p[param.len - 1] == '"') {
			param.p++;
			param.len -= 2;
		}
		if (param.len == 0 || param.len > TW_MAX_MULTIPART_BOUNDARY)
			return -1;
		*boundary = param;
		return 0;
	}
	return -1;
}

/* Finds name="..." (or name=token) in a Content-Disposition header value. */
static int
disposition_name(struct str value, struct str *name)
{
	const char *p = value.p, *end = value.p + value.len;

	if (!str_prefix_nocase(value, "form-data"))
		return -1;
	p += strlen("form-data");
	while (p < end) {
		struct str rest;

		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		rest = str_make(p, (size_t)(end - p));
		if (str_prefix_nocase(rest, "name=")) {
			const char *v = p + 5, *q;

			if (v < end && *v == '"') {
				v++;
				q = memchr(v, '"', (size_t)(end - v));
				if (q == NULL)
					return -1;
			} else {
				q = v;
				while (q < end && *q != ';' && *q != ' ')
					q++;
			}
			*name = str_make(v, (size_t)(q - v));
			return 0;
		}
		/* Skip this parameter, honouring a quoted value. */
		while (p < end && *p != ';') {
			if (*p == '"') {
				const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));

				if (q == NULL)
					return -1;
				p = q;
			}
			p++;
		}
	}
	return -1;
}

/* Parses a part's header block (without the final CRLF CRLF). */
static int
part_name(const char *head, size_t len, struct str *name)
{
	const char *p = head, *end = head + len;
	int found = -1;

	while (p < end) {
		const char *eol = find(p, (size_t)(end - p), "\r\n", 2);
		struct str line = str_make(p, eol ? (size_t)(eol - p) : (size_t)(end - p));
		const char *colon = memchr(line.p, ':', line.len);

		p = eol ? eol + 2 : end;
		if (colon == NULL)
			return -1;
		if (str_eq_nocase(str_make(line.p, (size_t)(colon - line.p)), "content-disposition")) {
			struct str v = str_trim(str_make(colon + 1,
			    line.len - (size_t)(colon - line.p) - 1));

			if (found == 0 || disposition_name(v, name) == -1)
				return -1;
			found = 0;
		}
	}
	return found;
}

enum params_err
multipart_parse(struct params *ps, struct str boundary, const char *body, size_t len)
{
	char delim[TW_MAX_MULTIPART_BOUNDARY + 4];
	size_t dlen, pos;
	const char *p;

	if (boundary.len == 0 || boundary.len > TW_MAX_MULTIPART_BOUNDARY)
		return PARAMS_BAD_MULTIPART;
	/* delim is CRLF "--" boundary; the first one may lack the CRLF. */
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary.p, boundary.len);
	dlen = boundary.len + 4;
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		pos = dlen - 2;
	else if ((p = find(body, len, delim, dlen)) != NULL)
		pos = (size_t)(p - body) + dlen;
	else
		return PARAMS_BAD_MULTIPART;

	for (;;) {
		const char *head, *head_end, *value, *next;
		struct str name;
		enum params_err err;

		/* After a delimiter: "--" closes, else optional space then CRLF. */
		if (len - pos >= 2 && memcmp(body + pos, "--", 2) == 0)
			return PARAMS_OK;
		while (pos < len && (body[pos] == ' ' || body[pos] == '\t'))
			pos++;
		if (len - pos < 2 || memcmp(body + pos, "\r\n", 2) != 0)
			return PARAMS_BAD_MULTIPART;
		pos += 2;
		head = body + pos;
		head_end = find(head, len - pos, "\r\n\r\n", 4);
		if (head_end == NULL || (size_t)(head_end - head) > TW_MAX_MULTIPART_HEAD)
			return PARAMS_BAD_MULTIPART;
		if (part_name(head, (size_t)(head_end - head), &name) == -1)
			return PARAMS_BAD_MULTIPART;
		value = head_end + 4;
		pos = (size_t)(value - body);
		next = find(value, len - pos, delim, dlen);
		if (next == NULL)
			return PARAMS_BAD_MULTIPART;
		if (name.len > 0) {
			err = params_add(ps, name.p, name.len, value, (size_t)(next - value));
			if (err != PARAMS_OK)
				return err;
		}
		pos = (size_t)(next - body) + dlen;
	}
}
