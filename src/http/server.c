/*
 * twauth serve's HTTP side: its listeners, the public one and with
 * --metrics-listen one for /metrics, each a daemon (daemon.h) serving the
 * routing table's routes for it; the access log and metrics every request
 * leaves; the stop signals, and the drain that lets requests in flight
 * finish.  What happens to one request is request.c's.
 */
#include "server.h"

#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../common/limits.h"
#include "../common/log.h"
#include "../common/metrics.h"
#include "daemon.h"
#include "listen.h"
#include "routes.h"

/* A listener: its site, and which routes it answers. */
struct server {
	struct site			 site;
	const struct server_config	*cfg;
	struct route_filter		 routes;
};

/*
 * The route for a request, or NULL once it is answered: a path the table
 * has under other methods is 405 with Allow, twitch mock-api's paths are
 * 404 (saying why) without --mock-api-compat.
 */
static const struct route *
route(struct request *req, const char *method, const char *path)
{
	const struct server *srv = req_ctx(req);
	const struct route *r;
	int path_known;

	r = routes_find(&srv->routes, method, path, &path_known);
	if (r != NULL && (r->flags & ROUTE_MOCK) && !srv->cfg->mock_api_compat) {
		req_reply_message(req, 404, "Not Found: this is a route of twitch mock-api's; "
		    "start twauth serve with --mock-api-compat to answer it");
		return NULL;
	}
	if (r == NULL && path_known) {
		req_add_header(req, "Allow", routes_allow(&srv->routes, path));
		req_reply_message(req, 405, "method not allowed");
	} else if (r == NULL)
		req_reply_message(req, 404, "Not Found");
	return r;
}

/* Every request leaves an access log line and its share of the metrics. */
static void
done(struct request *req, const struct route *r, unsigned status, uint64_t micros)
{
	char addr[INET6_ADDRSTRLEN];
	const char *method = req_method(req);

	req_client_addr(req, addr, sizeof(addr));
	log_access(addr, method[0] ? method : "-", req_path(req), status, micros, req_id(req));
	metrics_request(routes_index(r), status, micros);
}

void
server_config_defaults(struct server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->listen = "127.0.0.1:8080";
	cfg->idle_timeout = TW_IDLE_TIMEOUT;
	cfg->body_timeout = TW_REQUEST_DEADLINE;
	cfg->max_connections = TW_MAX_CONNECTIONS;
	cfg->max_per_address = TW_MAX_CONNECTIONS_PER_ADDRESS;
	cfg->header_timeout = TW_HEADER_TIMEOUT;
	cfg->access_log = 1;
}

int
server_check_listen(const char *spec)
{
	return listen_check(spec);
}

/*
 * Two per core: a request can block inside the database (SQLite's WAL
 * index mutex, a PostgreSQL round trip), and a second thread keeps the core
 * busy meanwhile.  Measured on 2 cores: validate +20% on SQLite, +40% on
 * PostgreSQL against one per core; more than two per core gained nothing.
 */
static unsigned
default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 2 : n > 32 ? 64 : 2 * (unsigned)n;
}

static void
stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
}

void
server_block_signals(void)
{
	sigset_t set;

	stop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* A listener's site: what cfg says of every one, and srv as its ctx. */
static void
site_init(struct server *srv, const struct server_config *cfg, struct idp *idp,
    unsigned threads)
{
	srv->cfg = cfg;
	srv->site = (struct site){
		.route = route, .done = done, .ctx = srv, .idp = idp,
		.max_body = TW_MAX_BODY, .body_timeout = cfg->body_timeout,
		.idle_timeout = cfg->idle_timeout, .max_connections = cfg->max_connections,
		.max_per_address = cfg->max_per_address, .header_timeout = cfg->header_timeout,
		.threads = threads, .log_errors = 1, .public_url = cfg->public_url,
		.tls_min13 = cfg->tls_min == TLS_MIN_13,
		.trusted_proxies = cfg->trusted_proxies,
		.n_trusted_proxies = cfg->n_trusted_proxies,
	};
}

/* Listens on spec (the value of flag) and serves srv there; NULL if not. */
static struct daemon *
serve_on(struct server *srv, const char *flag, const char *spec)
{
	char bound[LISTEN_BOUND_MAX];
	struct daemon *d;
	int fd;

	if ((fd = listen_spec(flag, spec, bound, sizeof(bound))) == -1)
		return NULL;
	if ((d = daemon_start(&srv->site, fd, bound)) == NULL)
		log_error("cannot start the HTTP server on %s", bound);
	return d;
}

static void
drain(struct daemon *d)
{
	long left = daemon_drain(d, TW_SHUTDOWN_GRACE);

	if (left > 0)
		log_warn("shutdown: %ld request(s) still running after %d s; closing", left,
		    TW_SHUTDOWN_GRACE);
}

int
server_run(const struct server_config *cfg, struct idp *idp)
{
	/*
	 * The public listener answers every route but, with --metrics-listen,
	 * /metrics, which moves to a listener of its own (plain HTTP, one
	 * thread) that answers only /metrics, /healthz and /readyz.
	 */
	struct server srv = { .routes = { 0, cfg->metrics_listen ? ROUTE_METRICS : 0 } };
	struct server ops = { .routes = { ROUTE_OPS, 0 } };
	struct daemon *d = NULL, *ops_d = NULL;
	const char *scheme = cfg->tls_cert != NULL ? "https" : "http";
	sigset_t set;
	unsigned threads = cfg->threads ? cfg->threads : default_threads();
	int sig = 0, rc = -1;

	site_init(&srv, cfg, idp, threads);
	srv.site.tls_cert = cfg->tls_cert;
	srv.site.tls_key = cfg->tls_key;
	site_init(&ops, cfg, idp, 1);
	log_access_enable(cfg->access_log);
	routes_for_metrics();
	server_block_signals();	/* again, in case the caller did not */
	stop_signals(&set);
	if ((d = serve_on(&srv, "--listen", cfg->listen)) == NULL)
		return -1;
	if (cfg->metrics_listen != NULL &&
	    (ops_d = serve_on(&ops, "--metrics-listen", cfg->metrics_listen)) == NULL)
		goto out;
	printf("twauth: listening on %s://%s\n", scheme, daemon_bound(d));
	if (ops_d != NULL)
		printf("twauth: metrics on http://%s/metrics\n", daemon_bound(ops_d));
	fflush(stdout);
	log_info("listening on %s://%s (%u threads, public URL %s)", scheme, daemon_bound(d),
	    threads, cfg->public_url ? cfg->public_url : "derived from requests");
	if (ops_d != NULL)
		log_info("metrics on http://%s/metrics (not on the public listener)",
		    daemon_bound(ops_d));
	while (sigwait(&set, &sig) != 0)
		;
	log_info("received %s: finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
	drain(d);
	if (ops_d != NULL)
		drain(ops_d);
	log_info("stopped");
	rc = 0;
out:
	daemon_stop(ops_d);
	daemon_stop(d);
	return rc;
}
