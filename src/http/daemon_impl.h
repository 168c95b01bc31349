/*
 * What daemon.c and request.c share, and nothing else includes: the state
 * of a running daemon, which its requests read (site, bound address,
 * whether it drains) and keep (the count in flight, request ids), and the
 * lifecycle callbacks of request.c that daemon.c hands libmicrohttpd.
 */
#ifndef HTTP_DAEMON_IMPL_H
#define HTTP_DAEMON_IMPL_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdint.h>

#include "daemon.h"
#include "listen.h"

struct daemon {
	const struct site	*site;
	struct MHD_Daemon	*mhd;
	char			 bound[LISTEN_BOUND_MAX];
	atomic_int		 draining;
	atomic_long		 in_flight;
	char			 id_prefix[9];	/* of request ids, random */
	atomic_uint_fast64_t	 next_id;
	struct guard		*guard;		/* slow and many connections */
};

/* The guard's entry of conn (guard.h), or NULL. */
struct guard_conn *daemon_conn(struct MHD_Connection *conn);

/* MHD_OPTION_URI_LOG_CALLBACK: a request begins (cls is the daemon). */
void *req_uri_start(void *cls, const char *uri, struct MHD_Connection *conn);
/* The MHD_AccessHandlerCallback: every step of a request. */
enum MHD_Result req_on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload, size_t *upload_size,
    void **req_cls);
/* MHD_OPTION_NOTIFY_COMPLETED: a request ends; the only place that frees it. */
void req_on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode toe);

#endif
