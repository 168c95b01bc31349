/*
 * One libmicrohttpd daemon on one listening socket (listen.h), serving a
 * site: what answers its requests, its limits and timeouts, and what to do
 * as each request ends.  Every request goes through the one lifecycle of
 * request.c (target, headers, body, handler, answer), whoever serves it:
 * twauth serve runs a daemon per listener (server.c), the client's
 * redirect catcher one per loopback address (src/client/catcher.c).
 * Nothing here exposes libmicrohttpd.
 */
#ifndef HTTP_DAEMON_H
#define HTTP_DAEMON_H

#include <stddef.h>
#include <stdint.h>

#include "../common/compiler.h"

struct daemon;
struct idp;
struct request;

/* Parse the parameters (query string and body) before the handler runs. */
#define ROUTE_PARAMS	0x1

/* What answers a request.  Sites may give flags of their own above 0x1. */
struct route {
	const char	*method;
	const char	*path;
	unsigned	 flags;
	void		(*handle)(struct request *req);
};

/* What a daemon serves, and how.  Borrowed: it must outlive its daemons. */
struct site {
	/*
	 * Called once a request's headers are in, with its method and path
	 * (percent-decoded, no query): the route that answers it, or NULL
	 * once it has answered by itself (404, 405), and then its body is
	 * never read.
	 */
	const struct route *(*route)(struct request *req, const char *method,
	    const char *path);
	/*
	 * Called as each request ends, answered or abandoned by the client:
	 * its route (NULL if none), the status answered (0 if none) and its
	 * age in microseconds.  NULL: nothing to do.
	 */
	void		(*done)(struct request *req, const struct route *route,
	    unsigned status, uint64_t micros);
	void		*ctx;		/* the site's own, for req_ctx */
	struct idp	*idp;		/* for req_idp; NULL if none */
	size_t		 max_body;	/* bytes of a request body: 413 past it */
	unsigned	 body_timeout;	/* seconds to receive a whole request */
	unsigned	 idle_timeout;	/* seconds without a byte, then closed */
	unsigned	 max_connections;
	unsigned	 max_per_address;	/* connections of one client; 0: no cap */
	unsigned	 header_timeout;	/* seconds for a request's head; 0: none */
	unsigned	 threads;	/* 0 or 1: one */
	int		 one_shot;	/* Connection: close on every answer */
	int		 log_errors;	/* libmicrohttpd's complaints go to the log */
	const char	*public_url;	/* for req_base_url; NULL: from Host */
	const char	*tls_cert;	/* PEM, the chain; NULL: plain HTTP */
	const char	*tls_key;	/* PEM, unencrypted */
	int		 tls_min13;	/* TLS 1.3 only; else 1.2 and 1.3 */
	/* Reverse proxies whose X-Forwarded-For names the client (canonical). */
	char *const	*trusted_proxies;
	size_t		 n_trusted_proxies;
};

/*
 * Serves site on the listening socket fd, which is bound to bound
 * ("HOST:PORT", for links when a request has no Host).  Returns the
 * daemon, or NULL with fd closed: the caller says why.
 */
struct daemon *daemon_start(const struct site *site, int fd, const char *bound)
    MUST_CHECK;
/* What the daemon is bound to ("HOST:PORT"). */
const char *daemon_bound(const struct daemon *d);
/*
 * Stops accepting (the socket is closed; connections answered from now on
 * are closed after their answer) and waits up to grace seconds for the
 * requests in flight.  Returns how many are still running.
 */
long daemon_drain(struct daemon *d, unsigned grace);
/* Stops d, closing every connection, and frees it.  NULL is a no-op. */
void daemon_stop(struct daemon *d);

#endif
