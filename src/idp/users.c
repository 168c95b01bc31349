/*
 * Users: accounts, passwords and sign-in.
 *
 * Passwords are hashed with argon2id at OWASP's recommended cost (19 MiB,
 * two passes, one lane) and a 16-byte random salt, stored in argon2's
 * self-describing encoded form so the cost can be raised later without
 * breaking old hashes.  A sign-in for a login that does not exist still pays
 * for one hash, so the time taken does not tell which logins exist.
 */
#include <argon2.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/log.h"
#include "../common/rand.h"
#include "../common/str.h"
#include "../common/url.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

#define ARGON2_T	2
#define ARGON2_M_KIB	19456
#define ARGON2_P	1
#define SALT_LEN	16
#define HASH_OUT_LEN	32

int
idp_login_ok(const char *login)
{
	size_t len = login ? strlen(login) : 0;

	if (len < TW_LOGIN_MIN || len > TW_LOGIN_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)login[i]) && login[i] != '_')
			return 0;
	return 1;
}

/* Lowercases a valid login into out. */
static void
login_fold(const char *login, char out[TW_LOGIN_MAX + 1])
{
	size_t i;

	for (i = 0; login[i] != '\0' && i < TW_LOGIN_MAX; i++)
		out[i] = (char)tolower((unsigned char)login[i]);
	out[i] = '\0';
}

static int
printable(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len == 0 || len > max || !str_utf8_valid(s, len))
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

static int
email_ok(const char *e)
{
	const char *at = strchr(e, '@');

	if (!printable(e, TW_MAX_EMAIL) || at == NULL || at == e || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || strchr(e, ' ') != NULL)
		return 0;
	return strchr(at + 1, '.') != NULL;
}

static int
password_ok(size_t len)
{
	return len >= TW_PASSWORD_MIN && len <= TW_PASSWORD_MAX;
}

/* The argon2id encoded hash of password (malloc'd), or NULL on failure. */
static char *
password_hash(const char *password, size_t len)
{
	uint8_t salt[SALT_LEN];
	size_t enc_len = argon2_encodedlen(ARGON2_T, ARGON2_M_KIB, ARGON2_P, SALT_LEN,
	    HASH_OUT_LEN, Argon2_id);
	char *enc = xmalloc(enc_len);
	int rc;

	rand_bytes(salt, sizeof(salt));
	rc = argon2id_hash_encoded(ARGON2_T, ARGON2_M_KIB, ARGON2_P, password, len, salt,
	    SALT_LEN, HASH_OUT_LEN, enc, enc_len);
	if (rc != ARGON2_OK) {
		log_error("argon2: %s", argon2_error_message(rc));
		free(enc);
		return NULL;
	}
	return enc;
}

enum idp_err
idp_user_create(struct idp *idp, const struct idp_user_new *nu, struct store_user *out)
{
	struct store_user u;
	enum store_rc rc;
	int64_t now = clock_now();

	memset(out, 0, sizeof(*out));
	if (!idp_login_ok(nu->login))
		return IDP_ERR_BAD_LOGIN;
	if (nu->display_name != NULL && !printable(nu->display_name, TW_MAX_DISPLAY_NAME))
		return IDP_ERR_BAD_DISPLAY_NAME;
	if (nu->email != NULL && !email_ok(nu->email))
		return IDP_ERR_BAD_EMAIL;
	if (nu->profile_image_url != NULL && !idp_redirect_uri_ok(nu->profile_image_url))
		return IDP_ERR_BAD_PROFILE_URL;
	if (!password_ok(nu->password_len))
		return IDP_ERR_BAD_PASSWORD;
	memset(&u, 0, sizeof(u));
	login_fold(nu->login, u.login);
	u.display_name = xstrdup(nu->display_name ? nu->display_name : nu->login);
	u.email = xstrdup(nu->email ? nu->email : "");
	u.email_verified = nu->email != NULL && nu->email_verified;
	u.profile_image_url = xstrdup(nu->profile_image_url ? nu->profile_image_url : "");
	u.created_at = u.updated_at = now;
	if ((u.password_hash = password_hash(nu->password, nu->password_len)) == NULL) {
		store_user_clear(&u);
		return IDP_ERR_UNAVAILABLE;
	}
	rc = store_user_insert(idp->store, &u);
	if (rc != STORE_OK) {
		store_user_clear(&u);
		return rc == STORE_CONFLICT ? IDP_ERR_LOGIN_TAKEN : IDP_ERR_UNAVAILABLE;
	}
	*out = u;
	return IDP_OK;
}

enum idp_err
idp_user_get(struct idp *idp, const char *login, struct store_user *out)
{
	char folded[TW_LOGIN_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (!idp_login_ok(login))
		return IDP_ERR_UNKNOWN_USER;
	login_fold(login, folded);
	return idp_from_store(store_user_get_by_login(idp->store, folded, out),
	    IDP_ERR_UNKNOWN_USER);
}

enum idp_err
idp_user_by_id(struct idp *idp, int64_t id, struct store_user *out)
{
	memset(out, 0, sizeof(*out));
	return idp_from_store(store_user_get(idp->store, id, out), IDP_ERR_UNKNOWN_USER);
}

enum idp_err
idp_user_delete(struct idp *idp, const char *login)
{
	struct store_user u;
	enum idp_err err;

	if ((err = idp_user_get(idp, login, &u)) != IDP_OK)
		return err;
	err = idp_from_store(store_user_delete(idp->store, u.id), IDP_ERR_UNKNOWN_USER);
	store_user_clear(&u);
	return err;
}

enum idp_err
idp_user_passwd(struct idp *idp, const char *login, const char *password, size_t len)
{
	struct store_user u;
	enum idp_err err;
	char *hash;

	if (!password_ok(len))
		return IDP_ERR_BAD_PASSWORD;
	if ((err = idp_user_get(idp, login, &u)) != IDP_OK)
		return err;
	if ((hash = password_hash(password, len)) == NULL)
		err = IDP_ERR_UNAVAILABLE;
	else {
		err = idp_from_store(store_user_set_password(idp->store, u.id, hash,
		    clock_now()), IDP_ERR_UNKNOWN_USER);
		xfree_secret(hash, strlen(hash));
	}
	store_user_clear(&u);
	return err;
}

enum idp_err
idp_user_disconnect(struct idp *idp, int64_t user_id, const char *client_id)
{
	if (idp_blank(client_id) || strlen(client_id) > TW_ID_LEN)
		return IDP_ERR_NOT_CONNECTED;
	return idp_from_store(store_grants_delete(idp->store, user_id, client_id),
	    IDP_ERR_NOT_CONNECTED);
}

enum idp_err
idp_connections(struct idp *idp, int64_t user_id, struct store_connection **out, size_t *n)
{
	return idp_from_store(store_connections_list(idp->store, user_id, out, n),
	    IDP_ERR_UNKNOWN_USER);
}

/* Spends what a real verification costs, for logins that do not exist. */
static void
burn_one_hash(const char *password, size_t len)
{
	static const uint8_t salt[SALT_LEN] = "twauth-no-user!";
	uint8_t out[HASH_OUT_LEN];

	(void)argon2id_hash_raw(ARGON2_T, ARGON2_M_KIB, ARGON2_P, password, len, salt,
	    SALT_LEN, out, sizeof(out));
}

enum idp_err
idp_sign_in(struct idp *idp, const char *login, const char *password, size_t password_len,
    const char *client_addr, int known_device, struct store_user *out, int64_t *retry_after)
{
	char login_key[TW_LOGIN_MAX + 8], addr_key[80];
	char folded[TW_LOGIN_MAX + 1] = "";
	int64_t now = clock_now_ms(), wait, addr_wait = 0;
	enum idp_err err;
	int ok = 0;

	memset(out, 0, sizeof(*out));
	*retry_after = 0;
	if (idp_login_ok(login))
		login_fold(login, folded);
	snprintf(login_key, sizeof(login_key), "login:%s", folded);
	snprintf(addr_key, sizeof(addr_key), "addr:%s", client_addr ? client_addr : "-");
	/* Counted now, before the slow check: a burst cannot pass all at once. */
	wait = known_device ? 0 : throttle_reserve(idp->login_throttle, login_key, now);
	if (wait == 0 && (addr_wait = throttle_reserve(idp->addr_throttle, addr_key, now)) > 0) {
		if (!known_device)
			throttle_release(idp->login_throttle, login_key);
		wait = addr_wait;
	}
	if (wait > 0) {
		*retry_after = wait;
		return IDP_ERR_SIGNIN_THROTTLED;
	}
	if (password == NULL || password_len > TW_PASSWORD_MAX)
		password_len = 0;
	err = folded[0] ? idp_from_store(store_user_get_by_login(idp->store, folded, out),
	    IDP_ERR_SIGNIN_FAILED) : IDP_ERR_SIGNIN_FAILED;
	if (err == IDP_ERR_UNAVAILABLE) {
		/* Nothing was tried: the reservations go back. */
		if (!known_device)
			throttle_release(idp->login_throttle, login_key);
		throttle_release(idp->addr_throttle, addr_key);
		return err;
	}
	/* One argon2 computation on every path, so timing tells nothing. */
	if (err == IDP_OK)
		ok = argon2id_verify(out->password_hash, password ? password : "",
		    password_len) == ARGON2_OK && password_len > 0;
	else
		burn_one_hash(password ? password : "", password_len);
	if (ok) {
		if (!known_device)
			throttle_clear(idp->login_throttle, login_key);
		throttle_release(idp->addr_throttle, addr_key);
		return IDP_OK;
	}
	/* The failure was counted when it was reserved. */
	store_user_clear(out);
	log_info("sign-in failed for a login from %s", client_addr ? client_addr : "-");
	return IDP_ERR_SIGNIN_FAILED;
}
