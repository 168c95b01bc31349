/*
 * Listening sockets: the server's (--listen HOST:PORT, any address or name
 * getaddrinfo knows) and the client's redirect catcher's (a numeric
 * loopback address).  Every socket is close-on-exec with SO_REUSEADDR, so
 * a restarted server binds at once.  Nothing here speaks HTTP; daemon.h
 * serves a socket made here, and closes it from then on (else the caller
 * does).
 */
#ifndef HTTP_LISTEN_H
#define HTTP_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/compiler.h"

/* Room for what a socket is bound to, "[V6]:PORT", with its NUL. */
#define LISTEN_BOUND_MAX	300

/*
 * Whether spec is a listen address, "HOST:PORT" or "[V6]:PORT" (an empty
 * host is every interface): 0 or -1.
 */
int listen_check(const char *spec) MUST_CHECK;
/*
 * Whether spec listens on loopback only: "localhost", 127.0.0.0/8, ::1 or
 * ::ffff:127.x written as addresses.  Any other name is not, even one that
 * resolves to loopback today: what a name means can change under us.
 */
bool listen_is_loopback(const char *spec);
/*
 * Listens on spec, the value of the option flag (which messages name).
 * Returns the socket, with what it is bound to in bound ("127.0.0.1:8080",
 * "[::1]:8080"; port 0 picks a free one), or -1 with the reason logged.
 */
int listen_spec(const char *flag, const char *spec, char *bound, size_t bound_len)
    MUST_CHECK;
/*
 * Listens on the numeric address host ("127.0.0.1", "::1") at port.
 * Returns the socket, or -1 with errno set (EADDRINUSE: the port is taken)
 * and nothing logged: the caller says why in its own words.
 */
int listen_addr(const char *host, unsigned port) MUST_CHECK;

#endif
