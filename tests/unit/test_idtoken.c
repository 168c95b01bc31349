/* Unit tests of the client's idtoken.c: the id_token claim checks. */
#include <stdio.h>
#include <string.h>

#include "../../src/client/idtoken.h"
#include "t.h"

static json_t *
claims(const char *extra_json)
{
	json_t *c = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}", "iss", "https://i/oauth2",
	    "sub", "1", "aud", "cid", "exp", (json_int_t)2000, "iat", (json_int_t)900,
	    "nonce", "n1");

	if (extra_json != NULL) {
		json_t *x = json_loads(extra_json, 0, NULL);

		json_object_update(c, x);
		json_decref(x);
	}
	return c;
}

static void
test_idtoken_claims(void)
{
	struct idtoken_check chk = { "https://i", "cid", "n1", NULL, 0, 1000 };
	static const struct { const char *extra; int ok; } cases[] = {
		{ NULL, 1 },
		{ "{\"iss\":\"https://evil/oauth2\"}", 0 },
		{ "{\"aud\":\"other\"}", 0 },
		{ "{\"aud\":[\"cid\"]}", 1 },
		{ "{\"aud\":[\"cid\",\"other\"]}", 0 },		/* several: azp must be us */
		{ "{\"aud\":[\"cid\",\"other\"],\"azp\":\"cid\"}", 1 },
		{ "{\"exp\":900}", 0 },				/* past, beyond leeway */
		{ "{\"exp\":950}", 1 },				/* within 60 s leeway */
		{ "{\"iat\":1100}", 0 },			/* from the future */
		{ "{\"nonce\":\"n2\"}", 0 },
		{ "{\"sub\":5}", 0 },
	};
	char err[256];
	json_t *c;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = claims(cases[i].extra);
		if (cases[i].extra != NULL && strstr(cases[i].extra, "nonce") == NULL &&
		    json_object_get(c, "nonce") == NULL)
			json_object_set_new(c, "nonce", json_string("n1"));
		err[0] = '\0';
		CHECK((idtoken_check_claims(&chk, "https://i/oauth2", c, err, sizeof(err)) == 0) ==
		    cases[i].ok);
		CHECK(cases[i].ok || err[0] != '\0');
		json_decref(c);
	}
	/* Implicit "token id_token": at_hash is required and must match. */
	chk.access_token = "token";
	chk.need_at_hash = 1;
	c = claims(NULL);
	CHECK(idtoken_check_claims(&chk, "https://i/oauth2", c, err, sizeof(err)) == -1);
	json_object_set_new(c, "at_hash", json_string("wrong"));
	CHECK(idtoken_check_claims(&chk, "https://i/oauth2", c, err, sizeof(err)) == -1);
	/* base64url(left half of SHA-256("token")) */
	json_object_set_new(c, "at_hash", json_string("PEaenWxYddN6Q_NT1PiOYQ"));
	CHECK(idtoken_check_claims(&chk, "https://i/oauth2", c, err, sizeof(err)) == 0);
	json_decref(c);
}

void
suite_idtoken(void)
{
	RUN(test_idtoken_claims);
}
