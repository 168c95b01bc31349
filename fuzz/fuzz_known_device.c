/*
 * The known-device cookie (src/idp/pagekeys.c): the input is "login\n"
 * and a cookie's value.  Promises: a value accepted starts with the login
 * (folded to lowercase) and a dot and fits TW_MAX_DEVICE_COOKIE; the
 * cookie made for a login is accepted for it, in any case, and refused
 * with one byte of it changed, for another login, or under another key.
 */
#include "../src/idp/idp_impl.h"
#include "fuzz.h"

static void
lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - (const char *)data) : size;
	const char *value = nl ? nl + 1 : (const char *)data + size;
	size_t value_len = size - n - (nl != NULL);
	struct idp *idp = calloc(1, sizeof(*idp)), *other = calloc(1, sizeof(*other));
	char *typed = fuzz_cstr(data, n), *login = fuzz_cstr(data, n);
	char cookie[TW_MAX_DEVICE_COOKIE + 1];

	FUZZ_ASSERT(idp != NULL && other != NULL);
	memset(idp->page_key, 0x5a, sizeof(idp->page_key));
	memset(other->page_key, 0xa5, sizeof(other->page_key));
	lower(login);
	if (idp_known_device(idp, typed, value, value_len)) {
		size_t ll = strlen(login);

		FUZZ_ASSERT(value_len <= TW_MAX_DEVICE_COOKIE && value_len > ll);
		FUZZ_ASSERT(memcmp(value, login, ll) == 0 && value[ll] == '.');
	}
	idp_known_device_cookie(idp, login, cookie);
	if (cookie[0] != '\0' && login[0] != '\0' && strlen(login) <= TW_LOGIN_MAX) {
		size_t len = strlen(cookie);

		FUZZ_ASSERT(idp_known_device(idp, typed, cookie, len));
		FUZZ_ASSERT(!idp_known_device(other, typed, cookie, len));
		cookie[len - 1] = cookie[len - 1] == '0' ? '1' : '0';
		FUZZ_ASSERT(!idp_known_device(idp, typed, cookie, len));
		cookie[len - 1] = cookie[len - 1] == '0' ? '1' : '0';
		login[0] = login[0] == 'x' ? 'y' : 'x';
		FUZZ_ASSERT(!idp_known_device(idp, login, cookie, len));
	}
	free(typed);
	free(login);
	free(idp);
	free(other);
	return 0;
}
