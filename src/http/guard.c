/*
 * The connection guard of a daemon: what keeps slow or many connections
 * from one client from starving the others (slowloris).  libmicrohttpd's
 * idle timeout starts again at every byte, so a client that sends one
 * header line every few seconds would hold its connection for ever, and
 * enough of them fill --max-connections.  So:
 *  - a request's head (from its request line to its last header) has a
 *    deadline, site->header_timeout, that activity does not extend;
 *  - one client address holds at most site->max_per_address connections
 *    (a trusted proxy's address is exempt: its clients are many, and the
 *    limits per client address use X-Forwarded-For);
 *  - at the connection limit, a new client is let in by closing the
 *    connection that has waited longest without a request being handled
 *    (idle between requests, or still sending a head).
 * A connection is closed by shutting its socket down, which libmicrohttpd
 * then sees as the client having gone; a thread checks the deadlines every
 * GUARD_TICK_MS.  libmicrohttpd's own limit is set a little above ours
 * (GUARD_SLACK), so that the connection that makes room can be accepted.
 *
 * Invariants: one entry per open connection, in the order they last
 * became idle or began a head (oldest first), under g->lock; an entry is
 * freed only when libmicrohttpd says its connection closed, which happens
 * before it closes the socket, so a shutdown never reaches a reused fd.
 */
#include "guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "../common/clock.h"
#include "../common/log.h"
#include "../common/xmalloc.h"
#include "daemon.h"

#define GUARD_TICK_MS	250
#define ADDR_LEN	INET6_ADDRSTRLEN

enum conn_state {
	CONN_IDLE,	/* no request: before the first, or between two */
	CONN_HEAD,	/* a request line is in, its headers are coming */
	CONN_BUSY,	/* a request is being read or answered */
};

struct guard_conn {
	struct guard_conn	*prev, *next;	/* the list, oldest first */
	struct addr_count	*addr;		/* NULL: exempt */
	int			 fd;
	enum conn_state		 state;
	uint64_t		 since;		/* clock_mono_us of the state's start */
	int			 closing;	/* shut down already */
};

struct addr_count {
	char		 addr[ADDR_LEN];
	unsigned	 n;		/* 0: a free slot */
};

struct guard {
	pthread_mutex_t		 lock;
	pthread_cond_t		 stop;
	pthread_t		 thread;
	int			 stopping;
	struct guard_conn	*oldest, *newest;
	size_t			 n_conns;
	struct addr_count	*addrs;		/* open addressing, n_addrs slots */
	size_t			 n_addrs;
	unsigned		 max_conns, max_per_address, header_timeout;
	char *const		*exempt;
	size_t			 n_exempt;
};

/* Takes c, which is on the list, off it. */
static void
unlink_conn(struct guard *g, struct guard_conn *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		g->oldest = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		g->newest = c->prev;
	c->prev = c->next = NULL;
}

static void
append_conn(struct guard *g, struct guard_conn *c)
{
	c->prev = g->newest;
	c->next = NULL;
	if (g->newest != NULL)
		g->newest->next = c;
	else
		g->oldest = c;
	g->newest = c;
}

/* c enters state now: it moves to the end of the list. */
static void
set_state(struct guard *g, struct guard_conn *c, enum conn_state state)
{
	unlink_conn(g, c);
	c->state = state;
	c->since = clock_mono_us();
	append_conn(g, c);
}

static void
close_conn(struct guard_conn *c)
{
	if (!c->closing) {
		c->closing = 1;
		shutdown(c->fd, SHUT_RDWR);
	}
}

/* The count of addr, made if absent; NULL if the table is full. */
static struct addr_count *
addr_slot(struct guard *g, const char *addr)
{
	size_t h = 5381, free_slot = (size_t)-1;

	for (const char *p = addr; *p != '\0'; p++)
		h = h * 33 + (unsigned char)*p;
	for (size_t i = 0; i < g->n_addrs; i++) {
		struct addr_count *a = &g->addrs[(h + i) % g->n_addrs];

		if (a->n > 0 && strcmp(a->addr, addr) == 0)
			return a;
		if (a->n == 0 && free_slot == (size_t)-1)
			free_slot = (h + i) % g->n_addrs;
		if (a->n == 0 && a->addr[0] == '\0')
			break;	/* never used: addr is not further on */
	}
	if (free_slot == (size_t)-1)
		return NULL;
	snprintf(g->addrs[free_slot].addr, ADDR_LEN, "%s", addr);
	return &g->addrs[free_slot];
}

/*
 * a's count fell to 0.  A slot whose next one was never used can be
 * marked never used too (no lookup has to pass it to find a key further
 * on), and so can each free one before it: without this, a server that
 * has seen as many addresses as there are slots would look through all of
 * them for every new one.
 */
static void
addr_forget(struct guard *g, struct addr_count *a)
{
	size_t i = (size_t)(a - g->addrs);

	if (g->addrs[(i + 1) % g->n_addrs].addr[0] != '\0')
		return;
	while (g->addrs[i].n == 0 && g->addrs[i].addr[0] != '\0') {
		g->addrs[i].addr[0] = '\0';
		i = (i + g->n_addrs - 1) % g->n_addrs;
	}
}

/* Not counted: a trusted proxy, and a peer without an IP address. */
static int
exempt(const struct guard *g, const char *addr)
{
	if (addr[0] == '\0')
		return 1;
	for (size_t i = 0; i < g->n_exempt; i++)
		if (strcmp(g->exempt[i], addr) == 0)
			return 1;
	return 0;
}

static void
addr_text(const struct sockaddr *sa, char *out, size_t len)
{
	out[0] = '\0';
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		    (socklen_t)len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    out, (socklen_t)len);
}

/* At the limit: the longest waiting connection without a request in hand. */
static void
make_room(struct guard *g)
{
	for (struct guard_conn *c = g->oldest; c != NULL; c = c->next)
		if (c->state != CONN_BUSY && !c->closing) {
			close_conn(c);
			return;
		}
}

int
guard_admits(struct guard *g, const struct sockaddr *peer)
{
	char addr[ADDR_LEN];
	struct addr_count *a;
	int ok = 1;

	addr_text(peer, addr, sizeof(addr));
	pthread_mutex_lock(&g->lock);
	if (g->max_per_address > 0 && !exempt(g, addr) && (a = addr_slot(g, addr)) != NULL &&
	    a->n >= g->max_per_address) {
		log_debug("http: %s has %u connections already; refusing another", addr, a->n);
		ok = 0;
	} else if (g->n_conns >= g->max_conns)
		make_room(g);
	pthread_mutex_unlock(&g->lock);
	return ok;
}

struct guard_conn *
guard_opened(struct guard *g, int fd, const struct sockaddr *peer)
{
	struct guard_conn *c = xcalloc(1, sizeof(*c));
	char addr[ADDR_LEN];

	addr_text(peer, addr, sizeof(addr));
	c->fd = fd;
	c->state = CONN_IDLE;
	c->since = clock_mono_us();
	pthread_mutex_lock(&g->lock);
	append_conn(g, c);
	g->n_conns++;
	if (g->max_per_address > 0 && !exempt(g, addr) && (c->addr = addr_slot(g, addr)) != NULL &&
	    ++c->addr->n > g->max_per_address) {
		/*
		 * guard_admits let it in, but so did another thread for the same
		 * address between its check and this count: the cap is kept here,
		 * where counting and checking are one step.
		 */
		log_debug("http: %s is over its %u connections; closing the newest", addr,
		    g->max_per_address);
		close_conn(c);
	}
	pthread_mutex_unlock(&g->lock);
	return c;
}

void
guard_closed(struct guard *g, struct guard_conn *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	unlink_conn(g, c);
	g->n_conns--;
	if (c->addr != NULL && --c->addr->n == 0)
		addr_forget(g, c->addr);
	pthread_mutex_unlock(&g->lock);
	free(c);
}

void
guard_head_begins(struct guard *g, struct guard_conn *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	set_state(g, c, CONN_HEAD);
	pthread_mutex_unlock(&g->lock);
}

void
guard_head_ends(struct guard *g, struct guard_conn *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	set_state(g, c, CONN_BUSY);
	pthread_mutex_unlock(&g->lock);
}

void
guard_request_ends(struct guard *g, struct guard_conn *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	set_state(g, c, CONN_IDLE);
	pthread_mutex_unlock(&g->lock);
}

/* Closes the connections whose head is late. */
static void
sweep(struct guard *g)
{
	uint64_t limit = (uint64_t)g->header_timeout * 1000000;
	uint64_t now = clock_mono_us();
	unsigned closed = 0;

	for (struct guard_conn *c = g->oldest; c != NULL; c = c->next)
		if (c->state == CONN_HEAD && !c->closing && now - c->since > limit) {
			close_conn(c);
			closed++;
		}
	if (closed > 0)
		log_info("http: closed %u connections whose request head took over %u s", closed,
		    g->header_timeout);
}

static void *
guard_main(void *arg)
{
	struct guard *g = arg;

	pthread_mutex_lock(&g->lock);
	while (!g->stopping) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += GUARD_TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&g->stop, &g->lock, &until);
		if (!g->stopping && g->header_timeout > 0)
			sweep(g);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

struct guard *
guard_new(const struct site *site)
{
	struct guard *g = xcalloc(1, sizeof(*g));

	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->stop, NULL);
	g->max_conns = site->max_connections;
	g->max_per_address = site->max_per_address;
	g->header_timeout = site->header_timeout;
	g->exempt = site->trusted_proxies;
	g->n_exempt = site->n_trusted_proxies;
	/* Twice the addresses there can be at once: short probes. */
	g->n_addrs = 2 * ((size_t)site->max_connections + GUARD_SLACK);
	g->addrs = xcalloc(g->n_addrs, sizeof(*g->addrs));
	if (pthread_create(&g->thread, NULL, guard_main, g) != 0)
		fatal("cannot start the connection guard's thread");
	return g;
}

void
guard_free(struct guard *g)
{
	if (g == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	g->stopping = 1;
	pthread_cond_signal(&g->stop);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	/* The daemon has stopped: every connection has closed and been told. */
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->stop);
	free(g->addrs);
	free(g);
}
