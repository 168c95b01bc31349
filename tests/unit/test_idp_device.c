/*
 * Unit tests of idp/device.c: user codes read as people type them, and the
 * limit on wrong codes for everyone together, which one address cannot
 * reach in an end-to-end test.
 */
#include <ctype.h>
#include <stdio.h>

#include "../../src/idp/idp.h"
#include "../../src/store/store.h"
#include "t.h"

static void
activate_limit_holds_for_everyone_together(void)
{
	struct idp_config cfg;
	struct idp_device_auth auth;
	struct idp_device_view view;
	struct idp *idp;
	char addr[32];
	int64_t uid, wait = 0;
	int wrong = 0;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	idp_config_defaults(&cfg);
	idp = idp_new(st, &cfg);
	CHECK(idp_device_start(idp, &(struct idp_client_creds){ .client_id = "c1" }, "chat:read",
	    &auth) == IDP_OK);
	/* Each address stays under its own limit; together they spend the bucket. */
	for (int i = 0; i < TW_ACTIVATE_ALL_BURST; i++) {
		snprintf(addr, sizeof(addr), "10.0.%d.%d", i / 250, i % 250);
		if (idp_device_find(idp, "BBBBBBBB", addr, &view, &wait) == IDP_ERR_WRONG_USER_CODE)
			wrong++;
	}
	CHECK(wrong == TW_ACTIVATE_ALL_BURST);
	CHECK(idp_device_find(idp, auth.user_code, "192.0.2.1", &view, &wait) ==
	    IDP_ERR_ACTIVATE_THROTTLED);
	CHECK(wait >= 1 && wait <= 3600 / TW_ACTIVATE_ALL_PER_HOUR + 1);
	CHECK(idp_device_decide(idp, &(struct store_user){ .id = uid }, auth.user_code, 1,
	    "192.0.2.1", &wait) == IDP_ERR_ACTIVATE_THROTTLED);
	idp_device_view_clear(&view);
	idp_device_auth_clear(&auth);
	idp_free(idp);
	store_close(st);
}

static void
activate_reads_codes_as_people_type_them(void)
{
	struct idp_config cfg;
	struct idp_device_auth auth;
	struct idp_device_view view;
	struct idp *idp;
	char typed[32];
	int64_t uid, wait = 0;
	struct store *st = t_store_with_user(&uid);

	if (st == NULL)
		return;
	idp_config_defaults(&cfg);
	idp = idp_new(st, &cfg);
	CHECK(idp_device_start(idp, &(struct idp_client_creds){ .client_id = "c1" }, "",
	    &auth) == IDP_OK);
	snprintf(typed, sizeof(typed), " %.4s - %.4s", auth.user_code, auth.user_code + 4);
	for (char *p = typed; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	CHECK(idp_device_find(idp, typed, "a", &view, &wait) == IDP_OK);
	CHECK_STR(view.user_code, auth.user_code);
	CHECK_STR(view.app_name, "one");
	CHECK(view.expires_in > 0 && view.expires_in <= TW_DEVICE_CODE_TTL);
	idp_device_view_clear(&view);
	/* Too long, too short, or letters not in the alphabet: wrong, not found. */
	CHECK(idp_device_find(idp, "BBBBBBBBB", "a", &view, &wait) == IDP_ERR_WRONG_USER_CODE);
	CHECK(idp_device_find(idp, "BBBBBBB", "a", &view, &wait) == IDP_ERR_WRONG_USER_CODE);
	CHECK(idp_device_find(idp, "AEIOU123", "a", &view, &wait) == IDP_ERR_WRONG_USER_CODE);
	CHECK(idp_device_find(idp, NULL, "a", &view, &wait) == IDP_ERR_WRONG_USER_CODE);
	idp_device_auth_clear(&auth);
	idp_free(idp);
	store_close(st);
}

void
suite_idp_device(void)
{
	RUN(activate_limit_holds_for_everyone_together);
	RUN(activate_reads_codes_as_people_type_them);
}
