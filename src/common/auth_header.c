/* Authorization header parsing; see auth_header.h. */
#include "auth_header.h"

#include <openssl/crypto.h>
#include <stdint.h>
#include <stdlib.h>

#include "b64url.h"
#include "form.h"
#include "limits.h"

enum auth_scheme
auth_header_parse(struct str header, struct str *token)
{
	enum auth_scheme scheme;
	size_t i = 0;

	*token = str_make("", 0);
	header = str_trim(header);
	if (header.len == 0)
		return AUTH_NONE;
	while (i < header.len && header.p[i] != ' ' && header.p[i] != '\t')
		i++;
	if (str_eq_nocase(str_make(header.p, i), "oauth"))
		scheme = AUTH_OAUTH;
	else if (str_eq_nocase(str_make(header.p, i), "bearer"))
		scheme = AUTH_BEARER;
	else if (str_eq_nocase(str_make(header.p, i), "basic"))
		scheme = AUTH_BASIC;
	else
		return AUTH_OTHER;
	*token = str_trim(str_make(header.p + i, header.len - i));
	if (token->len == 0)
		return AUTH_NONE;
	return scheme;
}

/* One form-urlencoded part of the decoded credentials into out. */
static int
basic_part(const char *in, size_t len, char *out, size_t out_len)
{
	long n;

	if (len == 0 || len >= out_len || (n = form_decode(in, len, out, 1)) <= 0 ||
	    memchr(out, '\0', (size_t)n) != NULL)
		return -1;
	out[n] = '\0';
	return 0;
}

int
auth_basic_decode(struct str cred, char *id, size_t id_len, char *secret, size_t secret_len)
{
	uint8_t plain[TW_MAX_BASIC_AUTH];
	const char *colon;
	ssize_t n;
	int rc = -1;

	id[0] = secret[0] = '\0';
	if (cred.len > TW_MAX_BASIC_AUTH)
		return -1;
	if ((n = b64_decode(cred.p, cred.len, plain)) > 0 &&
	    (colon = memchr(plain, ':', (size_t)n)) != NULL &&
	    basic_part((const char *)plain, (size_t)(colon - (const char *)plain), id,
	    id_len) == 0 &&
	    basic_part(colon + 1, (size_t)((const char *)plain + n - colon - 1), secret,
	    secret_len) == 0)
		rc = 0;
	OPENSSL_cleanse(plain, sizeof(plain));
	if (rc == -1) {
		OPENSSL_cleanse(id, id_len);
		OPENSSL_cleanse(secret, secret_len);
		id[0] = secret[0] = '\0';
	}
	return rc;
}
