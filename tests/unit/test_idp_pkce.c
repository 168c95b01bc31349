/*
 * Unit tests of idp/pkce.c: what a code_challenge binds a code to, and the
 * proof a code_verifier gives, meet exactly when the verifier is the one
 * the challenge was made from (RFC 7636 appendix B's pair).
 */
#include <string.h>

#include "../../src/idp/idp_impl.h"
#include "t.h"

#define RFC_VERIFIER	"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define RFC_CHALLENGE	"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

static void
idp_pkce_binding_meets_only_its_proof(void)
{
	char bound[IDP_PKCE_LEN + 1], proof[IDP_PKCE_LEN + 1];

	CHECK(idp_pkce_bind(RFC_CHALLENGE, "S256", 0, bound) == NULL);
	CHECK_STR(bound, RFC_CHALLENGE);
	idp_pkce_proof(RFC_VERIFIER, proof);
	CHECK_STR(proof, RFC_CHALLENGE);
	idp_pkce_proof(RFC_CHALLENGE, proof);
	CHECK(strcmp(proof, bound) != 0);
	/* plain: the challenge is the verifier, kept as its S256 form. */
	CHECK(idp_pkce_bind(RFC_VERIFIER, "plain", 0, bound) == NULL);
	CHECK_STR(bound, RFC_CHALLENGE);
	CHECK(idp_pkce_bind(RFC_VERIFIER, NULL, 0, bound) == NULL);
	CHECK_STR(bound, RFC_CHALLENGE);
	/* S256 only (oauth2 apps): plain, said or not, is refused. */
	CHECK(idp_pkce_bind(RFC_VERIFIER, "plain", 1, bound) != NULL);
	CHECK(idp_pkce_bind(RFC_VERIFIER, NULL, 1, bound) != NULL);
	CHECK(idp_pkce_bind(RFC_CHALLENGE, "S256", 1, bound) == NULL);
	/* No challenge: bound to nothing, which only no verifier proves. */
	CHECK(idp_pkce_bind(NULL, NULL, 0, bound) == NULL && bound[0] == '\0');
	idp_pkce_proof(NULL, proof);
	CHECK(proof[0] == '\0');
	idp_pkce_proof("", proof);
	CHECK(proof[0] == '\0');
	/* A malformed verifier proves nothing a binding could be. */
	idp_pkce_proof("short", proof);
	CHECK(proof[0] != '\0' && strcmp(proof, RFC_CHALLENGE) != 0);
}

static void
idp_pkce_refuses_bad_challenges(void)
{
	char bound[IDP_PKCE_LEN + 1], long_one[TW_PKCE_MAX + 2];

	CHECK(idp_pkce_bind(NULL, "S256", 0, bound) != NULL);
	CHECK(idp_pkce_bind(RFC_CHALLENGE, "S512", 0, bound) != NULL);
	CHECK(idp_pkce_bind(RFC_CHALLENGE, "s256", 0, bound) != NULL);
	CHECK(idp_pkce_bind("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c.", "S256", 0, bound) != NULL);
	CHECK(idp_pkce_bind(RFC_CHALLENGE "A", "S256", 0, bound) != NULL);
	CHECK(idp_pkce_bind("too short", "plain", 0, bound) != NULL);
	memset(long_one, 'a', sizeof(long_one) - 1);
	long_one[sizeof(long_one) - 1] = '\0';
	CHECK(idp_pkce_bind(long_one, "plain", 0, bound) != NULL);
	long_one[TW_PKCE_MAX] = '\0';
	CHECK(idp_pkce_bind(long_one, "plain", 0, bound) == NULL);
	long_one[TW_PKCE_MIN - 1] = '\0';
	CHECK(idp_pkce_bind(long_one, "plain", 0, bound) != NULL);
	CHECK(idp_pkce_bind("a b c d e f g h i j k l m n o p q r s t u v w", "plain", 0,
	    bound) != NULL);
}

void
suite_idp_pkce(void)
{
	RUN(idp_pkce_binding_meets_only_its_proof);
	RUN(idp_pkce_refuses_bad_challenges);
}
