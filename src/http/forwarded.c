/* The client's address behind trusted proxies; see forwarded.h. */
#include "forwarded.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "../common/limits.h"

int
addr_canon(const char *s, char *out, size_t len)
{
	unsigned char bin[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, s, bin) == 1)
		return inet_ntop(AF_INET, bin, out, (socklen_t)len) ? 0 : -1;
	if (inet_pton(AF_INET6, s, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, (socklen_t)len) ? 0 : -1;
	return -1;
}

static int
trusted_addr(const char *addr, const char *const *trusted, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(addr, trusted[i]) == 0)
			return 1;
	return 0;
}

/* The entry of xff that ends at end (exclusive), trimmed, canonical; -1 if none is. */
static int
entry_before(const char *xff, const char **end, char *out, size_t len)
{
	const char *e = *end, *b;
	char raw[TW_MAX_FORWARDED_ADDR];

	while (e > xff && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	for (b = e; b > xff && b[-1] != ','; b--)
		;
	*end = b > xff ? b - 1 : xff;		/* the comma before, for the next call */
	while (b < e && (*b == ' ' || *b == '\t'))
		b++;
	if (e - b <= 0 || (size_t)(e - b) >= sizeof(raw))
		return -1;
	memcpy(raw, b, (size_t)(e - b));
	raw[e - b] = '\0';
	return addr_canon(raw, out, len);
}

void
forwarded_client(const char *peer, const char *xff, const char *const *trusted, size_t n,
    char *out, size_t len)
{
	const char *end;
	char hop[TW_MAX_FORWARDED_ADDR];

	snprintf(out, len, "%s", peer);
	if (xff == NULL || n == 0)
		return;
	end = xff + strlen(xff);
	while (trusted_addr(out, trusted, n) && end > xff) {
		if (entry_before(xff, &end, hop, sizeof(hop)) == -1)
			return;
		snprintf(out, len, "%s", hop);
	}
}
