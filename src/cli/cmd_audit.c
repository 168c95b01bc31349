/* twauth app audit; see audit.h. */
#include "audit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/clock.h"
#include "../common/num.h"
#include "../idp/rules.h"
#include "cli.h"

#define SINCE_MAX_DAYS	3650	/* --since: at most this long ago */

/* TIME of --since as ms since the epoch, into *ms.  0, or -1 if not a TIME. */
static int
parse_since(const char *s, int64_t now, int64_t *ms)
{
	static const struct { char unit; int64_t secs; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	size_t len = strlen(s);
	struct tm tm;
	int64_t n;
	char num[24];
	const char *end;

	if (len > 1 && len < sizeof(num))
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (s[len - 1] == units[i].unit) {
				memcpy(num, s, len - 1);
				num[len - 1] = '\0';
				if (num_parse_i64(num, 0, SINCE_MAX_DAYS * 86400LL / units[i].secs,
				    &n) == -1)
					return -1;
				*ms = (now - n * units[i].secs) * 1000;
				return 0;
			}
	if (num_parse_i64(s, 0, now, &n) == 0) {
		*ms = n * 1000;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL || *end != '\0')
		return -1;
	*ms = (int64_t)timegm(&tm) * 1000;
	return 0;
}

int
audit_since_check(const char *flag, const char *value)
{
	int64_t ms;

	if (parse_since(value, clock_now(), &ms) == 0)
		return 0;
	cli_error("%s takes 30m, 1h, 2d (ago, at most %d days), Unix seconds or "
	    "2026-12-01T10:00:00Z, not '%s'", flag, SINCE_MAX_DAYS, value);
	return -1;
}

/* "2026-12-02 08:15:02" of a time in ms, UTC. */
static void
when(int64_t ms, char *out, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* text wrapped at width, each line after the first indented by indent. */
static void
wrapped(const char *text, int indent, int width)
{
	int col = indent;

	for (const char *w = text; *w != '\0';) {
		size_t n = strcspn(w, " ");

		if (col > indent && col + 1 + (int)n > width) {
			printf("\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			putchar(' ');
			col++;
		}
		printf("%.*s", (int)n, w);
		col += (int)n;
		w += n;
		w += strspn(w, " ");
	}
	putchar('\n');
}

static void
print_report(const struct store_app *app, const struct audit_report *r)
{
	char a[32], b[32];

	when(r->since, a, sizeof(a));
	when(r->until, b, sizeof(b));
	printf("Twitch rules for %s (client id %s), %s to %s UTC:\n\n", app->name,
	    r->client_id, a, b);
	if (r->truncated)
		printf("(Only the newest %d facts of the record are read: narrow it with "
		    "--since.)\n\n", TW_AUDIT_REPORT_MAX_ROWS);
	for (int i = 0; i < RULE__MAX; i++) {
		const struct rule_result *res = &r->rules[i];
		char verdict[24];

		snprintf(verdict, sizeof(verdict), "%s", rule_verdict_name(res->verdict));
		if (res->verdict == VERDICT_BROKEN || res->verdict == VERDICT_WARNING)
			for (char *p = verdict; *p; p++)
				*p = (char)toupper((unsigned char)*p);
		printf("%2d. %-14s ", i + 1, verdict);
		wrapped(res->title, 19, 78);
		printf("%19s", "");
		wrapped(res->summary, 19, 78);
		if (res->ev.count > 0 && res->verdict != VERDICT_KEPT) {
			when(res->ev.first_at, a, sizeof(a));
			when(res->ev.last_at, b, sizeof(b));
			printf("%19sfirst %s (request %s), last %s (request %s)\n", "", a + 11,
			    res->ev.first_request, b + 11, res->ev.last_request);
		}
		if (res->advice != NULL) {
			char advice[640];

			snprintf(advice, sizeof(advice), "What to change: %s", res->advice);
			printf("%19s", "");
			wrapped(advice, 19, 78);
		}
		putchar('\n');
	}
	if (r->n_chaos > 0)
		printf("Tokens ended on purpose (twauth chaos):\n");
	for (size_t i = 0; i < r->n_chaos; i++) {
		const struct chaos_event *e = &r->chaos[i];

		when(e->at, a, sizeof(a));
		printf("  %s  %-10s user %lld (request %s): ", a + 11, e->reason,
		    (long long)e->user_id, e->request);
		if (e->recovered)
			printf("recovered in %.1f s (request %s)\n",
			    (double)e->recovered_after_ms / 1000, e->recovery_request);
		else
			printf("NOT recovered: no Helix call with a new token within %lld min\n",
			    (long long)(RULE_RECOVERY_WINDOW_MS / 60000));
	}
	if (r->n_chaos > 0)
		putchar('\n');
	if (r->unavailable > 0)
		printf("Token errors on purpose (--chaos-token-errors): %lld answered 503; "
		    "%lld retries, %lld of them sooner than %d s after the 503%s.\n\n",
		    (long long)r->unavailable, (long long)r->retries,
		    (long long)r->retries_too_soon, RULE_BACKOFF_MIN_S,
		    r->retries_too_soon > 0 ? " (back off: wait Retry-After, then longer)" : "");
	printf("%s\n", r->broken ? "A rule is broken: exit status 1." :
	    r->n_rows == 0 ? "Nothing is recorded for this app yet: run it against 'twauth "
	    "serve' (without --no-audit), then ask again." : "No rule is broken.");
}

int
app_audit(struct idp *idp, const char *client_id, const struct audit_opts *o, int json)
{
	struct audit_report r;
	struct store_app app;
	int64_t since = 0;
	enum idp_err err;
	int ret;

	if (o->since != NULL && parse_since(o->since, clock_now(), &since) == -1)
		return EXIT_USAGE;	/* checked with the options already */
	if ((err = idp_app_get(idp, client_id, &app)) != IDP_OK)
		return cli_idp_error(err);
	err = idp_app_audit(idp, client_id, since, (int64_t)o->validate_within * 1000, &r);
	if (err != IDP_OK) {
		store_app_clear(&app);
		return cli_idp_error(err);
	}
	if (json)
		cli_print_json(audit_report_json(&r));
	else
		print_report(&app, &r);
	ret = r.broken ? EXIT_FAIL : EXIT_OK;
	if (o->svg != NULL && cli_write_svg(o->svg, &r) == -1)
		ret = EXIT_FAIL;
	audit_report_clear(&r);
	store_app_clear(&app);
	return ret;
}
