/*
 * Starting, draining and stopping a libmicrohttpd daemon; see daemon.h.
 * One epoll thread, or a pool of them, per daemon; what happens to each
 * request is request.c's.
 */
#include "daemon.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../common/limits.h"
#include "../common/log.h"
#include "../common/rand.h"
#include "../common/xmalloc.h"
#include "daemon_impl.h"
#include "guard.h"

struct guard_conn *
daemon_conn(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci != NULL ? ci->socket_context : NULL;
}

/*
 * What TLS the server speaks (GnuTLS priority strings, libmicrohttpd's
 * TLS library): 1.2 at the least (1.3 with --tls-min 1.3), forward-secret
 * key exchange and AEAD ciphers only, the server's order first.
 */
#define TLS_SUITES	":-CIPHER-ALL:+CHACHA20-POLY1305:+AES-256-GCM:+AES-128-GCM" \
	":-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:%SERVER_PRECEDENCE"
#define TLS_PRIORITIES_12 "SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2" TLS_SUITES
#define TLS_PRIORITIES_13 "SECURE128:-VERS-ALL:+VERS-TLS1.3" TLS_SUITES

/* libmicrohttpd's accept policy: the guard's cap per address. */
static enum MHD_Result
on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct daemon *d = cls;

	(void)addrlen;
	return guard_admits(d->guard, addr) ? MHD_YES : MHD_NO;
}

/* MHD_OPTION_NOTIFY_CONNECTION: the guard hears of every connection. */
static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct daemon *d = cls;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *peer =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

		*socket_context = fd == NULL ? NULL : guard_opened(d->guard, fd->connect_fd,
		    peer != NULL ? peer->client_addr : NULL);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		guard_closed(d->guard, *socket_context);
		*socket_context = NULL;
	}
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_warn("libmicrohttpd: %s", line);
}

struct daemon *
daemon_start(const struct site *site, int fd, const char *bound)
{
	struct daemon *d = xcalloc(1, sizeof(*d));
	int tls = site->tls_cert != NULL;

	d->site = site;
	d->guard = guard_new(site);
	snprintf(d->bound, sizeof(d->bound), "%s", bound);
	rand_alnum(d->id_prefix, sizeof(d->id_prefix) - 1);
	d->mhd = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME |
	    (site->log_errors ? MHD_USE_ERROR_LOG : 0) | (tls ? MHD_USE_TLS : 0),
	    0, on_accept, d, req_on_request, d,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, d,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	    /* A pool of one is no pool, and libmicrohttpd says so in the log. */
	    MHD_OPTION_THREAD_POOL_SIZE, site->threads > 1 ? site->threads : 0,
	    MHD_OPTION_CONNECTION_TIMEOUT, site->idle_timeout,
	    MHD_OPTION_CONNECTION_LIMIT, site->max_connections + GUARD_SLACK,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, d,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)TW_CONN_MEMORY,
	    MHD_OPTION_URI_LOG_CALLBACK, req_uri_start, d,
	    MHD_OPTION_NOTIFY_COMPLETED, req_on_completed, d,
	    /* Last, so that without TLS they end the list. */
	    tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, site->tls_cert,
	    MHD_OPTION_HTTPS_MEM_KEY, site->tls_key,
	    MHD_OPTION_HTTPS_PRIORITIES, site->tls_min13 ? TLS_PRIORITIES_13 : TLS_PRIORITIES_12,
	    MHD_OPTION_END);
	if (d->mhd == NULL) {
		close(fd);
		guard_free(d->guard);
		free(d);
		return NULL;
	}
	return d;
}

const char *
daemon_bound(const struct daemon *d)
{
	return d->bound;
}

long
daemon_drain(struct daemon *d, unsigned grace)
{
	uint64_t deadline = clock_mono_us() + grace * 1000000ull;
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	MHD_socket fd;

	atomic_store(&d->draining, 1);
	fd = MHD_quiesce_daemon(d->mhd);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	while (atomic_load(&d->in_flight) > 0 && clock_mono_us() < deadline)
		nanosleep(&pause, NULL);
	return atomic_load(&d->in_flight);
}

void
daemon_stop(struct daemon *d)
{
	if (d == NULL)
		return;
	MHD_stop_daemon(d->mhd);	/* closes the socket unless drained */
	guard_free(d->guard);
	free(d);
}
