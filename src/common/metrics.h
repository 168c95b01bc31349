/*
 * The server's metrics, for GET /metrics in Prometheus's text format:
 * requests by route and status with a latency histogram, tokens issued by
 * grant type, validations, revocations, rate-limit refusals, database
 * statements with their errors and latency, and what the purge deleted.
 *
 * Everything is a relaxed atomic counter in static storage: recording costs
 * a few increments and no lock, so the hot paths can afford it.  Counts are
 * per process (each server of a database has its own).
 */
#ifndef METRICS_H
#define METRICS_H

#include <stddef.h>
#include <stdint.h>

#define METRICS_MAX_ROUTES	64	/* routes the table may have */

enum metric_grant {
	GRANT_CLIENT_CREDENTIALS,
	GRANT_AUTHORIZATION_CODE,
	GRANT_REFRESH_TOKEN,
	GRANT_DEVICE_CODE,
	GRANT_IMPLICIT,
	GRANT_MOCK_USER_TOKEN,
	GRANT__MAX
};

enum metric_counter {
	M_VALIDATIONS_OK,
	M_VALIDATIONS_REFUSED,
	M_REVOCATIONS,
	M_RATE_LIMITED,
	M_PURGED_ROWS,
	M__MAX
};

/* The names of the routes, by index, for the route label (set once at start). */
void metrics_routes(const char *const *paths, size_t n);
/* One answered request: route index (-1: no route), status, duration. */
void metrics_request(int route, unsigned status, uint64_t micros);
void metrics_token(enum metric_grant g);
void metrics_count(enum metric_counter c, uint64_t n);
/* One database statement: its duration, and whether it failed. */
void metrics_db(uint64_t micros, int failed);

/* The exposition, malloc'd; its length in *len. */
char *metrics_render(size_t *len);

#endif
