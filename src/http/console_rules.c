/*
 * The console's Twitch rules tab, /console/app/rules?client_id=X&since=P:
 * the rules lab's report of one app (src/idp/rules.h), for its owner only
 * (another user's app answers 404, as on its other tab).  It changes
 * nothing: a POST is only its sign-in form coming back.  The same report
 * as `twauth app audit`: each rule's verdict with its evidence and what to
 * change, the tokens ended on purpose and whether the app recovered, the
 * token endpoint's errors on purpose; and the timeline (timeline.h), inline.
 *
 * The timeline is inlined twice, drawn for a wide card and for a phone,
 * and the stylesheet shows the one that fits: a picture scaled from one
 * width to the other would make its text too small or too large to read.
 * Both together stay below the page's cap (HTML_CAP), since a picture is
 * bounded whatever the record holds (TIMELINE_MAX_BYTES), and so is the
 * rest: seven rules, at most TW_CONSOLE_MAX_CHAOS chaos events of short
 * strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/clock.h"
#include "../idp/rules.h"
#include "../idp/timeline.h"
#include "console.h"
#include "html.h"
#include "routes.h"
#include "web.h"

/* Room for all but the pictures: rules, chaos table, the page around them. */
#define PAGE_REST	(96 * 1024)
_Static_assert(2 * TIMELINE_MAX_BYTES + PAGE_REST <= HTML_CAP, "the rules page fits its cap");

/* The timeline's widths: inside the widest card (assets.c), inside a phone's. */
#define WIDE_PX		950
#define NARROW_PX	340

/* The periods the page offers (the since parameter); the first is the default. */
static const struct period {
	const char	*name;
	const char	*label;
	int64_t		 ms;		/* back from now; 0: everything recorded */
} periods[] = {
	{ "all", "everything recorded", 0 },
	{ "1d", "the last day", 86400000 },
	{ "1h", "the last hour", 3600000 },
};
#define N_PERIODS	(sizeof(periods) / sizeof(periods[0]))

/* Each verdict's class (its badge's colour in assets.c). */
static const char *const verdict_class[VERDICT__MAX] = {
	[VERDICT_NOT_EXERCISED] = "idle",
	[VERDICT_KEPT] = "kept",
	[VERDICT_WARNING] = "warning",
	[VERDICT_BROKEN] = "broken",
};

static const struct period *
period_find(const char *name)
{
	for (size_t i = 0; name != NULL && i < N_PERIODS; i++)
		if (strcmp(name, periods[i].name) == 0)
			return &periods[i];
	return &periods[0];
}

/* "2026-12-02 08:15:02" of ms, UTC (without with_date: the time alone). */
static void
when(int64_t ms, int with_date, char *out, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, len, with_date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm) == 0)
		snprintf(out, len, "?");
}

/* A request id from the record, as code: what to look for in the access log. */
static void
request_id(struct html *h, const char *id)
{
	html_raw(h, "request <code>");
	html_text(h, id);
	html_raw(h, "</code>");
}

/* The verdicts at a glance, or what to do when nothing is recorded. */
static void
summary(struct request *req, struct html *h, const struct audit_report *r)
{
	int n[VERDICT__MAX] = { 0 };
	char issuer[TW_MAX_HOST + 64];

	for (int i = 0; i < RULE__MAX; i++)
		n[r->rules[i].verdict]++;
	if (r->n_rows == 0) {
		http_issuer(req, issuer, sizeof(issuer));
		html_raw(h, "<p class=\"lead\" id=\"rules-summary\">Nothing is recorded for this app "
		    "yet. Point it at this server (issuer <code>");
		html_text(h, issuer);
		html_raw(h, "</code>, Helix too) and use it: what it does shows here a second "
		    "later.</p>\n");
		return;
	}
	html_raw(h, "<p class=\"lead\" id=\"rules-summary\">");
	if (n[VERDICT_BROKEN] > 0)
		html_rawf(h, "<span class=\"badge broken\">%d of %d broken</span>",
		    n[VERDICT_BROKEN], RULE__MAX);
	else
		html_raw(h, "<span class=\"badge kept\">No rule broken</span>");
	if (n[VERDICT_WARNING] > 0)
		html_rawf(h, " <span class=\"badge warning\">%d warning%s</span>",
		    n[VERDICT_WARNING], n[VERDICT_WARNING] == 1 ? "" : "s");
	html_rawf(h, " %d kept, %d not exercised.</p>\n", n[VERDICT_KEPT],
	    n[VERDICT_NOT_EXERCISED]);
}

/* Which period is shown, the others as links, and the span of the record. */
static void
period_nav(struct html *h, const char *client_id, const struct period *shown,
    const struct audit_report *r)
{
	char a[32], b[32];

	html_raw(h, "<p class=\"periods\">Showing ");
	for (size_t i = 0; i < N_PERIODS; i++) {
		const struct period *p = &periods[i];

		if (i > 0)
			html_raw(h, " &middot; ");
		if (p == shown) {
			html_rawf(h, "<b aria-current=\"true\">%s</b>", p->label);
			continue;
		}
		html_raw(h, "<a href=\"" RULES_PAGE);
		html_text(h, client_id);
		html_rawf(h, "&amp;since=%s\">%s</a>", p->name, p->label);
	}
	if (r->n_rows > 0) {
		when(r->since, 1, a, sizeof(a));
		when(r->until, r->since / 86400000 != r->until / 86400000, b, sizeof(b));
		html_rawf(h, "<br><small>%s to %s UTC</small>", a, b);
	}
	html_raw(h, "</p>\n");
}

static void
timeline(struct html *h, const struct audit_report *r)
{
	static const struct { const char *cls; size_t px; } views[] = {
		{ "tl-wide", WIDE_PX }, { "tl-narrow", NARROW_PX },
	};

	html_raw(h, "<h2>Timeline</h2>\n");
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		size_t len;
		char *svg = timeline_svg(r, views[i].px, &len);

		/* Markup of timeline.c's, every string in it escaped there. */
		html_rawf(h, "<figure class=\"%s\">", views[i].cls);
		html_raw(h, svg);
		html_raw(h, "</figure>\n");
		free(svg);
	}
}

static void
rule(struct html *h, const struct rule_result *res)
{
	char a[32], b[32];

	html_rawf(h, "<li class=\"rule %s\" id=\"rule-%s\"><div class=\"rule-head\">"
	    "<span class=\"badge %s\">%s</span><b>", verdict_class[res->verdict], res->slug,
	    verdict_class[res->verdict], rule_verdict_name(res->verdict));
	html_text(h, res->title);
	html_raw(h, "</b></div>\n<p>");
	html_text(h, res->summary);
	html_raw(h, "</p>\n");
	if (res->ev.count > 0 && res->ev.first_request[0] != '\0') {
		when(res->ev.first_at, 0, a, sizeof(a));
		when(res->ev.last_at, 0, b, sizeof(b));
		html_rawf(h, "<p class=\"evidence\">First at %s UTC, ", a);
		request_id(h, res->ev.first_request);
		if (res->ev.count > 1) {
			html_rawf(h, "; last at %s, ", b);
			request_id(h, res->ev.last_request);
		}
		html_raw(h, "</p>\n");
	}
	if (res->advice != NULL) {
		html_raw(h, "<p class=\"advice\"><b>What to change:</b> ");
		html_text(h, res->advice);
		html_raw(h, "</p>\n");
	}
	html_raw(h, "</li>\n");
}

/* The tokens twauth ended on purpose, newest first, and how the app recovered. */
static void
chaos_table(struct html *h, const char *client_id, const struct audit_report *r)
{
	size_t shown = r->n_chaos < TW_CONSOLE_MAX_CHAOS ? r->n_chaos : TW_CONSOLE_MAX_CHAOS;
	char at[32], after[32];

	html_raw(h, "<h2>Tokens ended on purpose</h2>\n");
	if (r->n_chaos == 0) {
		html_raw(h, "<p class=\"note\" id=\"no-chaos\">None in this period. To see how "
		    "the app recovers when a token stops working, end its tokens while it runs: "
		    "<code>twauth chaos revoke --app ");
		html_text(h, client_id);
		html_raw(h, " --all</code> (or <code>expire</code>, <code>disconnect</code>, "
		    "<code>passwd</code>).</p>\n");
		return;
	}
	html_raw(h, "<table class=\"chaos\"><thead><tr><th>Why</th><th>When (UTC)</th>"
	    "<th>Account</th><th>Recovery</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < shown; i++) {
		const struct chaos_event *e = &r->chaos[r->n_chaos - 1 - i];

		when(e->at, 1, at, sizeof(at));
		html_raw(h, "<tr><td>");
		html_text(h, e->reason);
		html_rawf(h, "</td><td>%s", at);
		if (e->request[0] != '\0') {
			html_raw(h, "<small>");
			request_id(h, e->request);
			html_raw(h, "</small>");
		}
		if (e->user_id != 0)
			html_rawf(h, "</td><td>user %lld</td>", (long long)e->user_id);
		else
			html_raw(h, "</td><td>an app token</td>");
		if (e->recovered) {
			snprintf(after, sizeof(after), "%.1f s", (double)e->recovered_after_ms / 1000);
			html_rawf(h, "<td class=\"recovered\">in %s", after);
			if (e->recovery_request[0] != '\0') {
				html_raw(h, "<small>");
				request_id(h, e->recovery_request);
				html_raw(h, "</small>");
			}
			html_raw(h, "</td></tr>\n");
		} else
			html_rawf(h, "<td class=\"not-recovered\">not recovered<small>no good Helix "
			    "call with a new token within %lld min</small></td></tr>\n",
			    (long long)(RULE_RECOVERY_WINDOW_MS / 60000));
	}
	html_raw(h, "</tbody></table>\n");
	if (shown < r->n_chaos)
		html_rawf(h, "<p class=\"note\">and %zu earlier, not shown: <code>twauth app audit"
		    "</code> lists them all.</p>\n", r->n_chaos - shown);
}

/* /oauth2/token's 503s on purpose and how soon the app came back after them. */
static void
token_errors(struct html *h, const struct audit_report *r)
{
	html_raw(h, "<h2>Token endpoint errors on purpose</h2>\n");
	if (r->unavailable == 0) {
		html_raw(h, "<p class=\"note\" id=\"no-token-errors\">None in this period. "
		    "<code>twauth serve --chaos-token-errors R</code> makes <code>/oauth2/token"
		    "</code> answer 503 at that rate, to see the app back off.</p>\n");
		return;
	}
	html_rawf(h, "<dl class=\"facts\" id=\"token-errors\"><dt>Answered 503</dt><dd>%lld</dd>"
	    "<dt>Tries after a 503</dt><dd>%lld</dd><dt>Sooner than %d s after it</dt>"
	    "<dd%s>%lld%s</dd></dl>\n", (long long)r->unavailable, (long long)r->retries,
	    RULE_BACKOFF_MIN_S, r->retries_too_soon ? " class=\"bad\"" : "",
	    (long long)r->retries_too_soon, r->retries_too_soon ? ": back off (wait "
	    "Retry-After, then longer)" : "");
}

static void
page_rules(struct request *req, const struct store_user *user, const struct store_app *app,
    const struct period *shown, const struct audit_report *r)
{
	struct html h;

	html_begin_full(&h, app->name);
	page_whoami(req, &h, user);
	console_tabs(&h, app->client_id, CONSOLE_TAB_RULES);
	if (idp_audit(req_idp(req)) == NULL)
		page_notice(&h, "error", "This server records nothing (serve --no-audit): what "
		    "shows here is what other servers of its database recorded.");
	summary(req, &h, r);
	period_nav(&h, app->client_id, shown, r);
	timeline(&h, r);
	html_raw(&h, "<h2>Rules</h2>\n<ol class=\"rules\">\n");
	for (int i = 0; i < RULE__MAX; i++)
		rule(&h, &r->rules[i]);
	html_raw(&h, "</ol>\n");
	chaos_table(&h, app->client_id, r);
	token_errors(&h, r);
	html_raw(&h, "<p class=\"note\">The same on the command line, for an app's CI: "
	    "<code>twauth app audit ");
	html_text(&h, app->client_id);
	html_raw(&h, "</code> (<code>--json</code>; <code>--svg FILE</code> writes this "
	    "timeline).</p>\n");
	page_send(req, 200, &h);
}

void
http_console_rules(struct request *req)
{
	const struct period *shown = period_find(req_param(req, "since"));
	struct audit_report r;
	struct store_user user;
	struct store_app app;
	enum idp_err err;

	if (!web_require_user(req, NULL, NULL, &user))
		return;
	if (console_own_app(req, &user, &app) == -1)
		goto out_user;
	err = idp_app_audit(req_idp(req), app.client_id, shown->ms ? clock_now_ms() - shown->ms :
	    0, 0, &r);
	if (err == IDP_OK)
		page_rules(req, &user, &app, shown, &r);
	else if (err == IDP_ERR_UNAVAILABLE)
		page_error(req, 503, "Try again", idp_err_info(err)->message);
	else	/* deleted meanwhile */
		page_error(req, 404, "No such app", "None of your apps has that client ID.");
	audit_report_clear(&r);
	store_app_clear(&app);
out_user:
	store_user_clear(&user);
}
