/* Listening sockets (src/http/listen.c): addresses read and ports taken. */
#include <errno.h>
#include <unistd.h>

#include "../../src/http/listen.h"
#include "t.h"

static void
listen_check_reads_host_and_port(void)
{
	CHECK(listen_check("127.0.0.1:8080") == 0);
	CHECK(listen_check("[::1]:8080") == 0);
	CHECK(listen_check(":8080") == 0);		/* every interface */
	CHECK(listen_check("localhost:0") == 0);
	CHECK(listen_check("127.0.0.1") == -1);
	CHECK(listen_check("127.0.0.1:") == -1);
	CHECK(listen_check("127.0.0.1:http") == -1);
	CHECK(listen_check("[::1]8080") == -1);
	CHECK(listen_check("127.0.0.1:123456789") == -1);
}

static void
listen_addr_says_a_port_is_taken(void)
{
	char bound[LISTEN_BOUND_MAX];
	int fd, again;
	unsigned port = 0;

	CHECK((fd = listen_spec("--listen", "127.0.0.1:0", bound, sizeof(bound))) != -1);
	for (const char *p = bound + 10; *p >= '0' && *p <= '9'; p++)
		port = port * 10 + (unsigned)(*p - '0');
	CHECK(port > 0);
	errno = 0;
	CHECK((again = listen_addr("127.0.0.1", port)) == -1 && errno == EADDRINUSE);
	CHECK(listen_addr("not an address", port) == -1 && errno == EINVAL);
	CHECK(listen_spec("--listen", "nonsense", bound, sizeof(bound)) == -1);
	close(fd);
}

static void
listen_is_loopback_takes_addresses_not_names(void)
{
	CHECK(listen_is_loopback("127.0.0.1:8080"));
	CHECK(listen_is_loopback("127.255.0.9:1"));
	CHECK(listen_is_loopback("[::1]:8080"));
	CHECK(listen_is_loopback("[::ffff:127.0.0.1]:8080"));
	CHECK(listen_is_loopback("LocalHost:8080"));
	CHECK(!listen_is_loopback(":8080"));		/* every interface */
	CHECK(!listen_is_loopback("0.0.0.0:8080"));
	CHECK(!listen_is_loopback("[::]:8080"));
	CHECK(!listen_is_loopback("128.0.0.1:8080"));
	CHECK(!listen_is_loopback("[::ffff:10.0.0.1]:8080"));
	CHECK(!listen_is_loopback("[::2]:8080"));
	CHECK(!listen_is_loopback("localhost.example.test:8080"));
	CHECK(!listen_is_loopback("127.0.0.1"));	/* not a listen address at all */
}

void
suite_listen(void)
{
	RUN(listen_is_loopback_takes_addresses_not_names);
	RUN(listen_check_reads_host_and_port);
	RUN(listen_addr_says_a_port_is_taken);
}
