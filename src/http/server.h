/*
 * The HTTP server of twauth serve: libmicrohttpd with epoll and a thread
 * pool, one routing table, the transport limits of limits.h, an access
 * log, and a graceful stop.  src/http/ is the only place that includes
 * microhttpd.h (daemon.c and request.c do).
 */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H

#include "../common/compiler.h"
#include "../idp/idp.h"

struct server_config {
	const char	*listen;	/* "HOST:PORT"; port 0 picks a free one */
	const char	*public_url;	/* NULL: derived from the listen address */
	unsigned	 threads;	/* 0: one per core */
	unsigned	 idle_timeout;	/* seconds */
	unsigned	 body_timeout;	/* seconds to receive a whole request */
	unsigned	 max_connections;
	unsigned	 max_per_address;	/* connections of one client address */
	unsigned	 header_timeout;	/* seconds for a request's head */
	int		 access_log;
	const char	*tls_cert;	/* PEM, the chain; NULL: plain HTTP */
	const char	*tls_key;	/* PEM, unencrypted */
	int		 tls_min;	/* enum server_tls_min: the oldest TLS spoken */
	int		 mock_api_compat;	/* answer twitch mock-api's routes */
	const char	*metrics_listen;	/* "HOST:PORT" of /metrics; NULL: the public one */
	/* Reverse proxies whose X-Forwarded-For names the client (canonical). */
	char *const	*trusted_proxies;
	size_t		 n_trusted_proxies;
};

/* --tls-min's values. */
enum server_tls_min { TLS_MIN_12, TLS_MIN_13 };

void server_config_defaults(struct server_config *cfg);
/* Whether spec is a listen address, "HOST:PORT" or "[V6]:PORT": 0 or -1. */
int server_check_listen(const char *spec) MUST_CHECK;
/*
 * Blocks SIGINT and SIGTERM in the calling thread and every thread it starts
 * afterwards, so that only server_run's sigwait sees them.  Call it before
 * anything starts a thread (the store does).
 */
void server_block_signals(void);

/*
 * Serves until SIGINT or SIGTERM, then stops accepting, lets requests in
 * flight finish (up to TW_SHUTDOWN_GRACE seconds) and returns.  Prints
 * "twauth: listening on URL" on stdout once ready.  Returns 0, or -1 with a
 * message logged if the server could not start.
 */
int server_run(const struct server_config *cfg, struct idp *idp) MUST_CHECK;

#endif
