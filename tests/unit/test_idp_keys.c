/*
 * Unit tests of idp/keys.c: signing keys made, rotated with an overlap,
 * sealed with the secret file, and published while id_tokens may need them.
 */
#include <stdio.h>

#include "../../src/common/clock.h"
#include "../../src/idp/idp.h"
#include "../../src/store/store.h"
#include "t.h"

/* Stores a copy of key k as kid, made at created_at (retiring the others). */
static void
add_key_at(struct store *st, const struct store_key *k, const char *kid, int64_t created_at)
{
	struct store_key c = *k;

	snprintf(c.kid, sizeof(c.kid), "%s", kid);
	c.created_at = created_at;
	CHECK(store_key_add(st, &c, 1) == STORE_OK);
}

static void
key_rotation_overlap(void)
{
	struct idp_config cfg;
	struct idp_key_info *keys;
	struct store_key *stored;
	struct idp *idp;
	char kid1[TW_KID_LEN + 1], kid2[TW_KID_LEN + 1];
	size_t n, n_stored;
	int64_t uid, now = clock_now();
	struct store *st = t_store_with_user(&uid), *st2;

	if (st == NULL)
		return;
	idp_config_defaults(&cfg);
	CHECK(idp_keys_ensure(idp = idp_new(st, &cfg)) == IDP_ERR_NO_KEY_SECRET);
	idp_free(idp);
	memset(cfg.key_secret, 7, sizeof(cfg.key_secret));
	cfg.has_key_secret = 1;
	idp = idp_new(st, &cfg);
	/* First key; ensure again keeps it. */
	CHECK(idp_keys_ensure(idp) == IDP_OK);
	CHECK(idp_keys_ensure(idp) == IDP_OK);
	CHECK(idp_keys_list(idp, 1, &keys, &n) == IDP_OK && n == 1);
	memcpy(kid1, keys[0].kid, sizeof(kid1));
	CHECK(keys[0].state == KEY_SIGNING);
	idp_key_info_free(keys, n);
	/* Rotate: both published, the new one signs. */
	CHECK(idp_keys_rotate(idp, kid2) == IDP_OK);
	CHECK(idp_keys_list(idp, 1, &keys, &n) == IDP_OK && n == 2);
	CHECK_STR(keys[0].kid, kid2);
	CHECK(keys[0].state == KEY_SIGNING && keys[1].state == KEY_PUBLISHED);
	CHECK_STR(keys[1].kid, kid1);
	idp_key_info_free(keys, n);
	idp_free(idp);
	/* Another server whose secret differs cannot sign with them. */
	memset(cfg.key_secret, 8, sizeof(cfg.key_secret));
	idp = idp_new(st, &cfg);
	CHECK(idp_keys_ensure(idp) == IDP_ERR_KEY_SECRET_MISMATCH);
	idp_free(idp);

	/*
	 * Retirement times decide publication: a key retired longer ago than
	 * the id_token lifetime plus the grace leaves the JWKS.
	 */
	CHECK(store_key_list(st, &stored, &n_stored) == STORE_OK && n_stored == 2);
	if ((st2 = t_store_with_user(&uid)) != NULL && n_stored == 2) {
		add_key_at(st2, &stored[0], "old", now - 5000);
		/* old retires when mid is made, just over a lifetime and grace ago. */
		add_key_at(st2, &stored[0], "mid", now - (TW_ID_TOKEN_TTL + TW_KEY_PUBLISH_GRACE) - 30);
		add_key_at(st2, &stored[0], "new", now - 10);
		idp = idp_new(st2, &cfg);
		CHECK(idp_keys_list(idp, 1, &keys, &n) == IDP_OK && n == 2);
		CHECK(n == 2 && strcmp(keys[0].kid, "new") == 0 && strcmp(keys[1].kid, "mid") == 0);
		idp_key_info_free(keys, n);
		CHECK(idp_keys_list(idp, 0, &keys, &n) == IDP_OK && n == 3);
		CHECK(n == 3 && keys[2].state == KEY_EXPIRED);
		idp_key_info_free(keys, n);
		idp_free(idp);
		store_close(st2);
	}
	store_key_list_free(stored, n_stored);
	store_close(st);
}

void
suite_idp_keys(void)
{
	RUN(key_rotation_overlap);
}
