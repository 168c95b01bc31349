/*
 * What the pages sign: the CSRF token of a signed-in browser (an HMAC of
 * its session, so a token planted from elsewhere cannot match it) and the
 * known-device cookie (a browser that signed in as a login before, which
 * the per-login failure limit does not hold back: an attacker who keeps a
 * login at its limit cannot lock its owner out of the browser they use).
 *
 * The key: derived from the secret file when there is one, so that every
 * server of a database signs and checks alike and a restart keeps the
 * cookies good; else random for this process.
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/num.h"
#include "../common/rand.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

#define DEVICE_MAC_HEX	32	/* characters of the cookie's MAC: 128 bits */

void
idp_page_key_init(struct idp *idp)
{
	static const char label[] = "twauth page keys v1";
	unsigned len = 0;

	if (!idp->cfg.has_key_secret) {
		rand_bytes(idp->page_key, sizeof(idp->page_key));
		return;
	}
	if (HMAC(EVP_sha256(), idp->cfg.key_secret, sizeof(idp->cfg.key_secret),
	    (const unsigned char *)label, sizeof(label) - 1, idp->page_key, &len) == NULL ||
	    len != sizeof(idp->page_key))
		fatal("HMAC-SHA256 failed");
}

/* HMAC-SHA256 of "purpose|data" under the page key, as lowercase hex (64 + 1). */
static void
mac_hex(const struct idp *idp, const char *purpose, const char *data, size_t data_len,
    char out[2 * HASH_LEN + 1])
{
	size_t plen = strlen(purpose), n = plen + 1 + data_len;
	unsigned char *msg = xmalloc(n);
	uint8_t mac[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	memcpy(msg, purpose, plen);
	msg[plen] = '|';
	memcpy(msg + plen + 1, data, data_len);
	if (HMAC(EVP_sha256(), idp->page_key, sizeof(idp->page_key), msg, n, mac, &len) == NULL ||
	    len != HASH_LEN)
		fatal("HMAC-SHA256 failed");
	hex_encode(mac, HASH_LEN, out);
	OPENSSL_cleanse(mac, sizeof(mac));
	OPENSSL_cleanse(msg, n);
	free(msg);
}

void
idp_session_csrf(const struct idp *idp, const char *session, size_t len,
    char out[TW_CSRF_LEN + 1])
{
	char hex[2 * HASH_LEN + 1];

	mac_hex(idp, "csrf", session, len, hex);
	memcpy(out, hex, TW_CSRF_LEN);
	out[TW_CSRF_LEN] = '\0';
	OPENSSL_cleanse(hex, sizeof(hex));
}

void
idp_known_device_cookie(const struct idp *idp, const char *login,
    char out[TW_MAX_DEVICE_COOKIE + 1])
{
	char body[TW_MAX_DEVICE_COOKIE + 1], hex[2 * HASH_LEN + 1];
	int n;

	n = snprintf(body, sizeof(body), "%s.%lld", login,
	    (long long)(clock_now() + TW_KNOWN_DEVICE_TTL));
	if (n < 0 || (size_t)n + 1 + DEVICE_MAC_HEX > TW_MAX_DEVICE_COOKIE) {
		out[0] = '\0';
		return;
	}
	mac_hex(idp, "device", body, (size_t)n, hex);
	memcpy(out, body, (size_t)n);
	out[n] = '.';
	memcpy(out + n + 1, hex, DEVICE_MAC_HEX);
	out[n + 1 + DEVICE_MAC_HEX] = '\0';
}

int
idp_known_device(const struct idp *idp, const char *typed, const char *value, size_t len)
{
	char body[TW_MAX_DEVICE_COOKIE + 1], hex[2 * HASH_LEN + 1], expires[24];
	char login[TW_LOGIN_MAX + 1];
	const char *mac, *dot;
	size_t login_len = strlen(typed), body_len;
	int64_t until;

	/* Logins are kept folded to lowercase; the form may have another case. */
	if (login_len > TW_LOGIN_MAX)
		return 0;
	for (size_t i = 0; i <= login_len; i++)
		login[i] = (char)(typed[i] >= 'A' && typed[i] <= 'Z' ? typed[i] - 'A' + 'a' : typed[i]);
	/* "<login>.<expires>.<mac>": the login must be the one signing in. */
	if (len > TW_MAX_DEVICE_COOKIE || len < login_len + 3 + DEVICE_MAC_HEX ||
	    login_len == 0 || memcmp(value, login, login_len) != 0 || value[login_len] != '.')
		return 0;
	body_len = len - DEVICE_MAC_HEX - 1;
	mac = value + body_len + 1;
	if (value[body_len] != '.')
		return 0;
	dot = value + login_len;
	if ((size_t)(value + body_len - dot - 1) >= sizeof(expires))
		return 0;
	memcpy(expires, dot + 1, (size_t)(value + body_len - dot - 1));
	expires[value + body_len - dot - 1] = '\0';
	if (num_parse_i64(expires, 0, INT64_MAX, &until) == -1 || until < clock_now())
		return 0;
	memcpy(body, value, body_len);
	body[body_len] = '\0';
	mac_hex(idp, "device", body, body_len, hex);
	return CRYPTO_memcmp(hex, mac, DEVICE_MAC_HEX) == 0;
}
