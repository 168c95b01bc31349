/*
 * Unit tests of metrics: what each recording function counts, in which
 * series, and that the exposition is Prometheus's text format (HELP and
 * TYPE before a family's samples, cumulative buckets ending in +Inf equal
 * to the count).  The counters are per process and other suites record
 * too, so each test compares renders before and after.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/common/metrics.h"
#include "t.h"

/* The value of the sample series ("name{labels}" exactly) in text; 0 if absent. */
static double
sample(const char *text, const char *series)
{
	size_t n = strlen(series);

	for (const char *line = text; *line != '\0'; line += strcspn(line, "\n") + 1) {
		if (strncmp(line, series, n) == 0 && line[n] == ' ')
			return strtod(line + n + 1, NULL);
		if (line[strcspn(line, "\n")] == '\0')
			break;
	}
	return 0;
}

static char *
render(void)
{
	size_t len;
	char *text = metrics_render(&len);

	CHECK(text != NULL && strlen(text) == len);
	return text;
}

/* How much series grew from before to after. */
static double
grew(const char *before, const char *after, const char *series)
{
	return sample(after, series) - sample(before, series);
}

static void
metrics_requests_by_route_and_status(void)
{
	static const char *const paths[] = { "/unit/a", "/unit/b" };
	char *before, *after;

	metrics_routes(paths, 2);
	before = render();
	metrics_request(1, 404, 300);
	metrics_request(1, 404, 300);
	metrics_request(0, 418, 10);	/* not a status of ours: "other" */
	metrics_request(-1, 200, 10);	/* no route */
	metrics_request(2, 200, 10);	/* past the table: no route either */
	after = render();
	CHECK(grew(before, after,
	    "twauth_http_requests_total{route=\"/unit/b\",status=\"404\"}") == 2);
	CHECK(grew(before, after,
	    "twauth_http_requests_total{route=\"/unit/a\",status=\"other\"}") == 1);
	CHECK(grew(before, after, "twauth_http_requests_total{route=\"none\",status=\"200\"}") ==
	    2);
	CHECK(strstr(after, "status=\"418\"") == NULL);
	/* A series nothing was counted in is left out. */
	CHECK(strstr(after, "route=\"/unit/a\",status=\"404\"") == NULL);
	CHECK(grew(before, after, "twauth_http_request_duration_seconds_count") == 5);
	free(before);
	free(after);
}

static void
metrics_latency_buckets_are_cumulative(void)
{
	char *before = render(), *after;

	metrics_request(0, 200, 250);		/* on a bound: in its bucket (le) */
	metrics_request(0, 200, 300);
	metrics_request(0, 200, 2000000);	/* past the last bound: +Inf only */
	after = render();
#define B(le) "twauth_http_request_duration_seconds_bucket{le=\"" le "\"}"
	CHECK(grew(before, after, B("0.00025")) == 1);
	CHECK(grew(before, after, B("0.0005")) == 2);
	CHECK(grew(before, after, B("1")) == 2);
	CHECK(grew(before, after, B("+Inf")) == 3);
#undef B
	CHECK(grew(before, after, "twauth_http_request_duration_seconds_count") == 3);
	/* The sum is in seconds: 2.00055 more. */
	CHECK(grew(before, after, "twauth_http_request_duration_seconds_sum") > 2.00054);
	CHECK(grew(before, after, "twauth_http_request_duration_seconds_sum") < 2.00056);

	/* The database's histogram, and its errors apart. */
	free(before);
	before = after;
	metrics_db(100, 0);
	metrics_db(7000, 1);
	after = render();
	CHECK(grew(before, after, "twauth_db_statement_duration_seconds_count") == 2);
	CHECK(grew(before, after,
	    "twauth_db_statement_duration_seconds_bucket{le=\"0.00025\"}") == 1);
	CHECK(grew(before, after, "twauth_db_statement_duration_seconds_bucket{le=\"0.01\"}") ==
	    2);
	CHECK(grew(before, after, "twauth_db_errors_total") == 1);
	free(before);
	free(after);
}

static void
metrics_tokens_and_counters(void)
{
	char *before = render(), *after;
	double tokens_before = 0, tokens_after = 0;
	char series[128];

	metrics_token(GRANT_REFRESH_TOKEN);
	metrics_token(GRANT__MAX);		/* none of ours: nothing */
	metrics_count(M_REVOCATIONS, 3);
	metrics_count(M_VALIDATIONS_REFUSED, 1);
	metrics_count(M_VALIDATIONS_OK, 2);
	metrics_count(M__MAX, 5);		/* nothing */
	after = render();
	CHECK(grew(before, after, "twauth_tokens_issued_total{grant_type=\"refresh_token\"}") ==
	    1);
	/* Every grant has its series, counted or not; only the one grew. */
	for (int g = 0; g < GRANT__MAX; g++) {
		static const char *const names[] = { "client_credentials", "authorization_code",
		    "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", "implicit",
		    "user_token" };

		snprintf(series, sizeof(series), "twauth_tokens_issued_total{grant_type=\"%s\"}",
		    names[g]);
		CHECK(strstr(after, series) != NULL);
		tokens_before += sample(before, series);
		tokens_after += sample(after, series);
	}
	CHECK(tokens_after - tokens_before == 1);
	CHECK(grew(before, after, "twauth_revocations_total") == 3);
	CHECK(grew(before, after, "twauth_validations_total{result=\"invalid\"}") == 1);
	CHECK(grew(before, after, "twauth_validations_total{result=\"valid\"}") == 2);
	CHECK(grew(before, after, "twauth_rate_limited_total") == 0);
	CHECK(grew(before, after, "twauth_purged_rows_total") == 0);
	free(before);
	free(after);
}

/* Whether name is declared in the families seen so far, with its type. */
static const char *
family_type(char families[][2][96], int n, const char *name, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(families[i][0]) == len && strncmp(families[i][0], name, len) == 0)
			return families[i][1];
	return NULL;
}

static void
metrics_exposition_is_prometheus_text(void)
{
	static char families[32][2][96];
	char *text = render(), help_of[96] = "";
	double last_bucket = -1, inf = -1, v;
	int n = 0, samples = 0, histograms = 0;

	CHECK(text[0] != '\0' && text[strlen(text) - 1] == '\n');
	for (char *line = text, *next; *line != '\0'; line = next) {
		size_t len = strcspn(line, "\n"), name_len;
		const char *type, *value;
		char *end;

		next = line + len + 1;
		line[len] = '\0';
		if (strncmp(line, "# HELP ", 7) == 0) {
			/* "# HELP name text", then its TYPE line. */
			CHECK(strchr(line + 7, ' ') != NULL);
			snprintf(help_of, sizeof(help_of), "%.*s", (int)strcspn(line + 7, " "),
			    line + 7);
			continue;
		}
		if (strncmp(line, "# TYPE ", 7) == 0) {
			name_len = strcspn(line + 7, " ");
			type = line + 7 + name_len + 1;
			CHECK(strcmp(type, "counter") == 0 || strcmp(type, "histogram") == 0);
			/* One TYPE per family, right after its HELP. */
			CHECK(family_type(families, n, line + 7, name_len) == NULL);
			CHECK(strlen(help_of) == name_len && strncmp(help_of, line + 7, name_len) == 0);
			if (n < 32) {
				snprintf(families[n][0], sizeof(families[n][0]), "%.*s", (int)name_len,
				    line + 7);
				snprintf(families[n][1], sizeof(families[n][1]), "%s", type);
				n++;
			}
			continue;
		}
		CHECK(line[0] != '#');
		/* A sample: name, labels in braces with quoted values, a space, a number. */
		name_len = strcspn(line, "{ ");
		CHECK(name_len > 0 && strspn(line, "abcdefghijklmnopqrstuvwxyz_") == name_len);
		value = line + name_len;
		if (*value == '{') {
			const char *close = strchr(value, '}');

			CHECK(close != NULL && strstr(value, "=\"") != NULL && close[-1] == '"');
			value = close != NULL ? close + 1 : value;
		}
		CHECK(*value == ' ');
		v = strtod(value + 1, &end);
		CHECK(end != value + 1 && *end == '\0');
		/* A histogram's buckets only grow, up to +Inf, which is its count. */
		if (name_len > 7 && strncmp(line + name_len - 7, "_bucket", 7) == 0) {
			CHECK(v >= last_bucket);
			last_bucket = v;
			if (strstr(line, "{le=\"+Inf\"}") != NULL)
				inf = v;
		} else if (name_len > 6 && strncmp(line + name_len - 6, "_count", 6) == 0) {
			CHECK(inf >= 0 && v == inf);
			last_bucket = inf = -1;
			histograms++;
		}
		/* Its family was declared first: the name, or a histogram's part of one. */
		type = family_type(families, n, line, name_len);
		if (type == NULL) {
			static const char *const parts[] = { "_bucket", "_sum", "_count" };

			for (int i = 0; type == NULL && i < 3; i++) {
				size_t k = strlen(parts[i]);

				if (name_len > k && strncmp(line + name_len - k, parts[i], k) == 0)
					type = family_type(families, n, line, name_len - k);
			}
			CHECK(type != NULL && strcmp(type, "histogram") == 0);
		} else
			CHECK(strcmp(type, "counter") == 0);
		samples++;
	}
	CHECK(n >= 9 && samples > 20 && histograms == 2);
	free(text);
}

void
suite_metrics(void)
{
	RUN(metrics_requests_by_route_and_status);
	RUN(metrics_latency_buckets_are_cumulative);
	RUN(metrics_tokens_and_counters);
	RUN(metrics_exposition_is_prometheus_text);
}
