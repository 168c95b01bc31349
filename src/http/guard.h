/*
 * A daemon's connection guard (guard.c): a deadline for each request's
 * head, a cap on connections per client address, and room for new
 * clients at the connection limit.  daemon.c and request.c tell it what
 * each connection is doing; it closes the ones that are too slow or too
 * many.  Every function is safe from any thread; a NULL connection is a
 * no-op.
 */
#ifndef HTTP_GUARD_H
#define HTTP_GUARD_H

struct guard;
struct guard_conn;
struct site;
struct sockaddr;

/* Connections libmicrohttpd may hold beyond the site's limit (see guard.c). */
#define GUARD_SLACK	16

/* A guard for site's limits, with its thread; free with guard_free. */
struct guard *guard_new(const struct site *site);
/* After the daemon has stopped. */
void guard_free(struct guard *g);
/*
 * Whether a connection from peer may be accepted: not when its address
 * holds the most it may; at the connection limit, the connection idle
 * longest is closed to make room.
 */
int guard_admits(struct guard *g, const struct sockaddr *peer);
/*
 * A connection opened on fd from peer (NULL: unknown): its entry.  One that
 * finds its address over the cap (admitted while another thread's
 * admission of that address was not yet counted) is shut down at once.
 */
struct guard_conn *guard_opened(struct guard *g, int fd, const struct sockaddr *peer);
/* It closed: its entry is freed. */
void guard_closed(struct guard *g, struct guard_conn *c);
/* Its request line is in; the head's deadline runs. */
void guard_head_begins(struct guard *g, struct guard_conn *c);
/* Its head is complete; the request is being handled. */
void guard_head_ends(struct guard *g, struct guard_conn *c);
/* Its request has been answered (or abandoned): idle until the next. */
void guard_request_ends(struct guard *g, struct guard_conn *c);

#endif
