/*
 * The connection guard (src/http/guard.c) without a daemon: the cap per
 * address, through many addresses coming and going.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../src/http/daemon.h"
#include "../../src/http/guard.h"
#include "t.h"

static struct sockaddr_in
peer(uint32_t ip)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(ip);
	return sa;
}

#define HELD	150	/* addresses holding their two connections throughout */

/*
 * Far more addresses than the table has slots come and go among some
 * that stay: each that stays is still refused a third connection (none is
 * lost behind a slot given back), a closed connection gives its place
 * back, and a trusted proxy or a peer without an address is never capped.
 * The table is kept two-thirds full, so keys share probe runs.  The fds
 * are -1: nothing real is ever shut down (past the connection limit the
 * guard shuts the oldest down to make room).
 */
static void
guard_caps_each_address_through_churn(void)
{
	char proxy[] = "10.9.9.9";
	char *proxies[] = { proxy };
	struct site site = { .max_connections = 100, .max_per_address = 2,
	    .trusted_proxies = proxies, .n_trusted_proxies = 1 };
	struct guard *g = guard_new(&site);
	static struct guard_conn *held[HELD][2];
	struct guard_conn *proxied[3];
	struct sockaddr_in p = peer(0x0a090909);
	int refused = 0, admitted = 0;

	for (uint32_t i = 0; i < 20000; i++) {
		struct sockaddr_in x = peer(0xc0000000u + i * 7919);
		struct guard_conn *c, *c2;

		/* The churning address is in the table while one that stays comes. */
		CHECK(guard_admits(g, (struct sockaddr *)&x));
		c = guard_opened(g, -1, (struct sockaddr *)&x);
		c2 = guard_opened(g, -1, (struct sockaddr *)&x);
		if (i % 60 == 0 && i / 60 < HELD) {
			struct sockaddr_in h = peer(0x0a010000u + i / 60);

			for (int k = 0; k < 2; k++) {
				CHECK(guard_admits(g, (struct sockaddr *)&h));
				held[i / 60][k] = guard_opened(g, -1, (struct sockaddr *)&h);
			}
		}
		refused += !guard_admits(g, (struct sockaddr *)&x);
		guard_closed(g, c2);
		guard_closed(g, c);
	}
	CHECK(refused == 20000);
	for (uint32_t i = 0; i < HELD; i++) {
		struct sockaddr_in h = peer(0x0a010000u + i);

		refused += !guard_admits(g, (struct sockaddr *)&h);
	}
	CHECK(refused == 20000 + HELD);
	for (uint32_t i = 0; i < HELD; i++) {
		struct sockaddr_in h = peer(0x0a010000u + i);

		guard_closed(g, held[i][1]);
		admitted += guard_admits(g, (struct sockaddr *)&h);
		guard_closed(g, held[i][0]);
	}
	CHECK(admitted == HELD);
	for (int i = 0; i < 3; i++) {
		CHECK(guard_admits(g, (struct sockaddr *)&p));
		proxied[i] = guard_opened(g, -1, (struct sockaddr *)&p);
	}
	for (int i = 0; i < 3; i++)
		guard_closed(g, proxied[i]);
	CHECK(guard_admits(g, NULL));
	guard_free(g);
}

/*
 * Two accept threads admit one address at once (each checks before either
 * counts): the one that opens over the cap is closed at once, the first
 * one kept.  Socket pairs stand in for the connections.
 */
static void
guard_keeps_the_cap_when_admissions_race(void)
{
	struct site site = { .max_connections = 100, .max_per_address = 1 };
	struct guard *g = guard_new(&site);
	struct sockaddr_in x = peer(0xc0a80001u);
	struct guard_conn *first, *second;
	int a[2], b[2];
	char byte;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, a) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, b) == -1) {
		CHECK(!"socketpair");
		guard_free(g);
		return;
	}
	CHECK(guard_admits(g, (struct sockaddr *)&x));
	CHECK(guard_admits(g, (struct sockaddr *)&x));	/* the race: not counted yet */
	first = guard_opened(g, a[0], (struct sockaddr *)&x);
	second = guard_opened(g, b[0], (struct sockaddr *)&x);
	CHECK(recv(b[1], &byte, 1, MSG_DONTWAIT) == 0);	/* shut down: EOF */
	CHECK(recv(a[1], &byte, 1, MSG_DONTWAIT) == -1);	/* still open: nothing yet */
	CHECK(!guard_admits(g, (struct sockaddr *)&x));
	guard_closed(g, second);
	CHECK(!guard_admits(g, (struct sockaddr *)&x));	/* the first still holds it */
	guard_closed(g, first);
	CHECK(guard_admits(g, (struct sockaddr *)&x));
	for (int i = 0; i < 2; i++) {
		close(a[i]);
		close(b[i]);
	}
	guard_free(g);
}

void
suite_guard(void)
{
	RUN(guard_caps_each_address_through_churn);
	RUN(guard_keeps_the_cap_when_admissions_race);
}
