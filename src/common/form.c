/* urlencoded parsing and encoding; see form.h. */
#include "form.h"

#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "xmalloc.h"

int
form_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
form_decode(const char *in, size_t len, char *out, int plus_is_space)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (in[i] == '%') {
			int hi, lo;

			if (len - i < 3)
				return -1;
			hi = form_hex_value(in[i + 1]);
			lo = form_hex_value(in[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (in[i] == '+' && plus_is_space)
			out[o++] = ' ';
		else
			out[o++] = in[i];
	}
	return (long)o;
}

enum params_err
form_parse(struct params *ps, const char *data, size_t len)
{
	enum params_err err = PARAMS_OK;
	size_t pos = 0;
	char *scratch;

	/*
	 * Decoding never lengthens text, so one scratch buffer the size of the
	 * input holds any name or value; params_add applies the length caps.
	 * The input itself is capped (TW_MAX_BODY, TW_MAX_URI).
	 */
	scratch = xmalloc(len + 1);
	while (pos < len && err == PARAMS_OK) {
		const char *seg = data + pos, *amp, *eq;
		size_t seg_len, nlen, vlen;
		long dn, dv;

		amp = memchr(seg, '&', len - pos);
		seg_len = amp ? (size_t)(amp - seg) : len - pos;
		pos += seg_len + 1;
		eq = memchr(seg, '=', seg_len);
		nlen = eq ? (size_t)(eq - seg) : seg_len;
		vlen = eq ? seg_len - nlen - 1 : 0;
		if (nlen == 0)
			continue;
		dn = form_decode(seg, nlen, scratch, 1);
		dv = dn < 0 ? -1 : form_decode(eq ? eq + 1 : "", vlen, scratch + dn, 1);
		if (dv < 0)
			err = PARAMS_BAD_ENCODING;
		else
			err = params_add(ps, scratch, (size_t)dn, scratch + dn, (size_t)dv);
	}
	xfree_secret(scratch, len + 1);
	return err;
}

int
form_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[3];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
			if (buf_add(b, s, 1) == -1)
				return -1;
		} else if (c == ' ') {
			if (buf_add(b, "+", 1) == -1)
				return -1;
		} else {
			esc[0] = '%';
			esc[1] = hex[c >> 4];
			esc[2] = hex[c & 0xf];
			if (buf_add(b, esc, 3) == -1)
				return -1;
		}
	}
	return 0;
}
