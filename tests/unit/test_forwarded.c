/* Unit tests of the client address behind trusted proxies (X-Forwarded-For). */
#include <stdio.h>

#include "../../src/http/forwarded.h"
#include "t.h"

static const char *const proxies[] = { "10.0.0.1", "10.0.0.2", "::1" };

static const char *
client(const char *peer, const char *xff)
{
	static char out[64];

	forwarded_client(peer, xff, proxies, 3, out, sizeof(out));
	return out;
}

static void
addr_canon_accepts_addresses_only(void)
{
	char out[64];

	CHECK(addr_canon("192.0.2.7", out, sizeof(out)) == 0);
	CHECK_STR(out, "192.0.2.7");
	CHECK(addr_canon("0:0:0:0:0:0:0:1", out, sizeof(out)) == 0);
	CHECK_STR(out, "::1");
	CHECK(addr_canon("2001:DB8::A", out, sizeof(out)) == 0);
	CHECK_STR(out, "2001:db8::a");
	CHECK(addr_canon("192.0.2.7 ", out, sizeof(out)) == -1);
	CHECK(addr_canon("10.0.0.0/8", out, sizeof(out)) == -1);
	CHECK(addr_canon("localhost", out, sizeof(out)) == -1);
	CHECK(addr_canon("", out, sizeof(out)) == -1);
}

static void
forwarded_client_walks_past_trusted_proxies_only(void)
{
	/* Not from a proxy: the header is the client's own claim. */
	CHECK_STR(client("192.0.2.7", "203.0.113.9"), "192.0.2.7");
	/* From a proxy: the address it appended. */
	CHECK_STR(client("10.0.0.1", "203.0.113.9"), "203.0.113.9");
	/* A client's forged entries stay left of what the proxy appended. */
	CHECK_STR(client("10.0.0.1", "6.6.6.6, 203.0.113.9"), "203.0.113.9");
	/* Two proxies in a row. */
	CHECK_STR(client("10.0.0.1", "203.0.113.9,10.0.0.2"), "203.0.113.9");
	CHECK_STR(client("::1", " 2001:db8::5 , 10.0.0.2 "), "2001:db8::5");
	/* Only proxies: the leftmost of them. */
	CHECK_STR(client("10.0.0.1", "10.0.0.2"), "10.0.0.2");
	/* Garbage stops the walk at the last proxy. */
	CHECK_STR(client("10.0.0.1", "203.0.113.9, not-an-address"), "10.0.0.1");
	CHECK_STR(client("10.0.0.1", "203.0.113.9,"), "10.0.0.1");
	CHECK_STR(client("10.0.0.1", ","), "10.0.0.1");
	CHECK_STR(client("10.0.0.1", ""), "10.0.0.1");
	CHECK_STR(client("10.0.0.1", NULL), "10.0.0.1");
	/* An entry longer than any address. */
	CHECK_STR(client("10.0.0.1",
	    "1111111111111111111111111111111111111111111111111111111111111111111"),
	    "10.0.0.1");
}

void
suite_forwarded(void)
{
	RUN(addr_canon_accepts_addresses_only);
	RUN(forwarded_client_walks_past_trusted_proxies_only);
}
