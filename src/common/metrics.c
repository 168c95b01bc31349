/* The server's metrics; see metrics.h. */
#include "metrics.h"

#include <stdatomic.h>
#include <stdio.h>

#include "buf.h"
#include "xmalloc.h"

/* The statuses the server answers with; anything else counts as "other". */
static const unsigned statuses[] = {
	200, 204, 302, 303, 400, 401, 403, 404, 405, 408, 413, 414, 415, 429, 431, 500, 503
};
#define N_STATUS	(sizeof(statuses) / sizeof(statuses[0]) + 1)

/* Upper bounds of the latency buckets, in microseconds (then +Inf). */
static const uint64_t bounds[] = {
	250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000
};
#define N_BUCKETS	(sizeof(bounds) / sizeof(bounds[0]) + 1)

struct histogram {
	atomic_uint_fast64_t	bucket[N_BUCKETS];	/* not cumulative here */
	atomic_uint_fast64_t	sum_us;
	atomic_uint_fast64_t	count;
};

static const char *const *route_paths;
static size_t n_routes;
/* Requests by route (the last row: no route) and status. */
static atomic_uint_fast64_t requests[METRICS_MAX_ROUTES + 1][N_STATUS];
static struct histogram request_latency;
static atomic_uint_fast64_t tokens[GRANT__MAX];
static atomic_uint_fast64_t counters[M__MAX];
static struct histogram db_latency;
static atomic_uint_fast64_t db_errors;

/* The grant_type label; the grants themselves are src/idp/grants.c's table. */
static const char *const grant_names[GRANT__MAX] = {
	"client_credentials", "authorization_code", "refresh_token",
	"urn:ietf:params:oauth:grant-type:device_code", "implicit", "user_token"
};

void
metrics_routes(const char *const *paths, size_t n)
{
	route_paths = paths;
	n_routes = n < METRICS_MAX_ROUTES ? n : METRICS_MAX_ROUTES;
}

static void
observe(struct histogram *h, uint64_t micros)
{
	size_t i = 0;

	while (i < N_BUCKETS - 1 && micros > bounds[i])
		i++;
	atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->sum_us, micros, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
}

void
metrics_request(int route, unsigned status, uint64_t micros)
{
	size_t r = route >= 0 && (size_t)route < n_routes ? (size_t)route : METRICS_MAX_ROUTES;
	size_t s = 0;

	while (s < N_STATUS - 1 && statuses[s] != status)
		s++;
	atomic_fetch_add_explicit(&requests[r][s], 1, memory_order_relaxed);
	observe(&request_latency, micros);
}

void
metrics_token(enum metric_grant g)
{
	if (g < GRANT__MAX)
		atomic_fetch_add_explicit(&tokens[g], 1, memory_order_relaxed);
}

void
metrics_count(enum metric_counter c, uint64_t n)
{
	if (c < M__MAX)
		atomic_fetch_add_explicit(&counters[c], n, memory_order_relaxed);
}

void
metrics_db(uint64_t micros, int failed)
{
	observe(&db_latency, micros);
	if (failed)
		atomic_fetch_add_explicit(&db_errors, 1, memory_order_relaxed);
}

static uint64_t
get(atomic_uint_fast64_t *v)
{
	return atomic_load_explicit(v, memory_order_relaxed);
}

/* A line of the exposition: its cap is far above what the metrics write, past it a bug. */
#define add(b, ...) \
	do { \
		if (buf_printf((b), __VA_ARGS__) == -1) \
			fatal("metrics: exposition too large"); \
	} while (0)

static void
render_histogram(struct buf *b, const char *name, const char *help, struct histogram *h)
{
	uint64_t cumulative = 0;

	add(b, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
	for (size_t i = 0; i < N_BUCKETS; i++) {
		cumulative += get(&h->bucket[i]);
		if (i < N_BUCKETS - 1)
			add(b, "%s_bucket{le=\"%g\"} %llu\n", name, (double)bounds[i] / 1e6,
			    (unsigned long long)cumulative);
		else
			add(b, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)cumulative);
	}
	add(b, "%s_sum %.6f\n%s_count %llu\n", name, (double)get(&h->sum_us) / 1e6, name,
	    (unsigned long long)get(&h->count));
}

char *
metrics_render(size_t *len)
{
	static const char *const counter_names[M__MAX][2] = {
		{ "twauth_validations_total{result=\"valid\"}", NULL },
		{ "twauth_validations_total{result=\"invalid\"}", NULL },
		{ "twauth_revocations_total", "Tokens revoked at /oauth2/revoke." },
		{ "twauth_rate_limited_total", "Attempts refused by a rate limit (429)." },
		{ "twauth_purged_rows_total", "Ended rows the purge deleted." },
	};
	struct buf b;

	buf_init(&b, 256 * 1024);
	add(&b, "# HELP twauth_http_requests_total Requests answered, by route and status.\n"
	    "# TYPE twauth_http_requests_total counter\n");
	for (size_t r = 0; r <= METRICS_MAX_ROUTES; r++)
		for (size_t s = 0; s < N_STATUS; s++) {
			uint64_t v = get(&requests[r][s]);
			char status[8];

			if (v == 0)
				continue;
			snprintf(status, sizeof(status), "%u", s < N_STATUS - 1 ? statuses[s] : 0);
			add(&b, "twauth_http_requests_total{route=\"%s\",status=\"%s\"} %llu\n",
			    r < n_routes ? route_paths[r] : "none", s < N_STATUS - 1 ? status : "other",
			    (unsigned long long)v);
		}
	render_histogram(&b, "twauth_http_request_duration_seconds",
	    "Time from a request's first byte to its answer.", &request_latency);
	add(&b, "# HELP twauth_tokens_issued_total Access tokens issued, by grant type.\n"
	    "# TYPE twauth_tokens_issued_total counter\n");
	for (int g = 0; g < GRANT__MAX; g++)
		add(&b, "twauth_tokens_issued_total{grant_type=\"%s\"} %llu\n", grant_names[g],
		    (unsigned long long)get(&tokens[g]));
	add(&b, "# HELP twauth_validations_total Token validations (/oauth2/validate), by result.\n"
	    "# TYPE twauth_validations_total counter\n");
	for (int c = 0; c < M__MAX; c++) {
		if (counter_names[c][1] != NULL)
			add(&b, "# HELP %s %s\n# TYPE %s counter\n", counter_names[c][0],
			    counter_names[c][1], counter_names[c][0]);
		add(&b, "%s %llu\n", counter_names[c][0], (unsigned long long)get(&counters[c]));
	}
	add(&b, "# HELP twauth_db_errors_total Database statements that failed.\n"
	    "# TYPE twauth_db_errors_total counter\ntwauth_db_errors_total %llu\n",
	    (unsigned long long)get(&db_errors));
	render_histogram(&b, "twauth_db_statement_duration_seconds",
	    "Time each database statement took.", &db_latency);
	*len = b.len;
	return b.data;
}
