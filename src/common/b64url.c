/* base64url, and standard base64's decoding; see b64url.h. */
#include "b64url.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t
b64url_len(size_t n)
{
	return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

void
b64url_encode(const void *in, size_t n, char *out)
{
	const uint8_t *p = in;
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = alphabet[v >> 6 & 63];
		out[o++] = alphabet[v & 63];
	}
	if (n - i == 1) {
		out[o++] = alphabet[p[i] >> 2];
		out[o++] = alphabet[(p[i] & 3) << 4];
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 8 | p[i + 1];

		out[o++] = alphabet[v >> 10 & 63];
		out[o++] = alphabet[v >> 4 & 63];
		out[o++] = alphabet[(v & 15) << 2];
	}
	out[o] = '\0';
}

size_t
b64url_decoded_max(size_t len)
{
	return len / 4 * 3 + 2;
}

/* A character's value in the URL alphabet, or in the standard one (+ /). */
static int
value_of(char c, int url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

static ssize_t
decode(const char *in, size_t len, uint8_t *out, int url)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;

	if (len % 4 == 1)
		return -1;	/* 6 bits cannot make a byte */
	for (size_t i = 0; i < len; i++) {
		int v = value_of(in[i], url);

		if (v < 0)
			return -1;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	/* Leftover bits must be zero: one encoding per byte string. */
	if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
		return -1;
	return (ssize_t)o;
}

ssize_t
b64url_decode(const char *in, size_t len, uint8_t *out)
{
	return decode(in, len, out, 1);
}

ssize_t
b64_decode(const char *in, size_t len, uint8_t *out)
{
	size_t pad = 0;

	/* Padded to a multiple of 4, or not padded at all. */
	while (pad < 2 && len > pad && in[len - 1 - pad] == '=')
		pad++;
	if (pad > 0 && len % 4 != 0)
		return -1;
	return decode(in, len - pad, out, 0);
}
