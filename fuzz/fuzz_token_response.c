/*
 * What the client parses from an issuer's answers: token responses
 * (Twitch's array "scope" and RFC 6749's string), device authorizations,
 * validations and error bodies of either shape.  Promises: no crash or
 * leak; an accepted token response has an access token; error messages
 * are NUL-terminated within their buffer.
 */
#include "../src/client/oauth.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *json = (const char *)data;
	struct oauth_tokens t;
	struct oauth_device d;
	struct oauth_validation v;
	struct oauth_err err;

	memset(&err, 0, sizeof(err));
	if (oauth_parse_tokens(json, size, &t, &err) == 0) {
		FUZZ_ASSERT(t.access_token != NULL && t.access_token[0] != '\0');
		oauth_tokens_clear(&t);
	}
	if (oauth_parse_device(json, size, &d, &err) == 0)
		oauth_device_clear(&d);
	if (oauth_parse_validation(json, size, &v, &err) == 0)
		oauth_validation_clear(&v);
	oauth_parse_error(400, json, size, &err);
	FUZZ_ASSERT(memchr(err.message, '\0', sizeof(err.message)) != NULL);
	return 0;
}
