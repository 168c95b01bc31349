/*
 * The rules of rules.h, each one row of the table below: what it says,
 * how it is judged from the record, and what to change when it is broken.
 *
 * The record counts facts per minute (audit.h), with the first and last
 * time of each in ms; the judgements use those times, so they are exact
 * at the edges of a minute and conservative within one.
 */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/num.h"
#include "../common/xmalloc.h"
#include "audit.h"
#include "idp_impl.h"

static const char *const verdict_names[VERDICT__MAX] = {
	[VERDICT_NOT_EXERCISED] = "not exercised",
	[VERDICT_KEPT] = "kept",
	[VERDICT_WARNING] = "warning",
	[VERDICT_BROKEN] = "broken",
};

const char *
rule_verdict_name(enum rule_verdict v)
{
	return v < VERDICT__MAX ? verdict_names[v] : "unknown";
}

/* What a report is judged from: the rows by kind, and the tokens. */
struct judge {
	struct audit_report	*r;
	int64_t			 validate_within;	/* ms */
};

typedef void judge_fn(struct judge *j, struct rule_result *out);

static judge_fn judge_validate, judge_dead_token, judge_refresh_kept, judge_device,
    judge_token_in_url, judge_browser, judge_remint;

static const struct rule_row {
	enum rule_id	 id;
	const char	*slug;
	const char	*title;
	judge_fn	*judge;
	const char	*advice;
} rule_rows[RULE__MAX] = {
	{ RULE_VALIDATE_HOURLY, "validate-hourly",
	    "A user token in use is validated at least once an hour (GET /oauth2/validate), "
	    "and before a mutating Helix call when its last validation is older",
	    judge_validate,
	    "Call GET https://id.twitch.tv/oauth2/validate when the app starts and every hour "
	    "while it holds a user token, and before a change (PATCH, POST, DELETE) when the "
	    "last check is over an hour old. Twitch audits apps that do not." },
	{ RULE_STOP_DEAD_TOKEN, "stop-dead-token",
	    "After a token stops working (401), the app stops sending it: it refreshes, or asks "
	    "the user again",
	    judge_dead_token,
	    "On a 401 from Helix or /oauth2/validate, refresh the token (POST /oauth2/token, "
	    "grant_type=refresh_token) and retry once with the new one; if the refresh is "
	    "refused, ask the user to sign in again. Never send the dead token again." },
	{ RULE_KEEP_NEW_REFRESH_TOKEN, "keep-new-refresh-token",
	    "A public app stores each new refresh token: a replaced one is never presented again",
	    judge_refresh_kept,
	    "Save the refresh_token of every refresh answer before using the new access token, "
	    "and send only the newest: a public client's refresh tokens are single-use, and "
	    "presenting a replaced one ends the user's whole authorization." },
	{ RULE_DEVICE_INTERVAL, "device-interval",
	    "Device-flow polling keeps the interval the issuer gave (no slow_down answers)",
	    judge_device,
	    "Poll POST /oauth2/token no more often than the device answer's interval (5 s), "
	    "and add 5 s to it for good after every slow_down." },
	{ RULE_NO_TOKEN_IN_URL, "no-token-in-url",
	    "No token in a URL (the query string of a Helix or validate call)",
	    judge_token_in_url,
	    "Send tokens in the Authorization header only (\"Authorization: Bearer\" for Helix, "
	    "\"Authorization: OAuth\" for validate): URLs end up in logs, proxies and browser "
	    "history." },
	{ RULE_NO_SECRET_IN_BROWSER, "no-secret-in-browser",
	    "No client secret and no app access token is sent from a browser",
	    judge_browser,
	    "Keep the client secret and app access tokens on your server: a page's code is "
	    "readable by anyone. Browsers get user tokens through the authorization flows." },
	{ RULE_REFRESH_NOT_REMINT, "refresh-not-remint",
	    "Tokens are refreshed, not re-minted: the app does not run the full authorization "
	    "again for an account it holds a live refresh token for",
	    judge_remint,
	    "Keep each user's refresh token and refresh when the access token expires, instead "
	    "of sending the user through authorization again." },
};

static int
is_kind(const struct store_audit_row *row, enum audit_kind k)
{
	return strcmp(row->kind, audit_kind_name(k)) == 0;
}

/* Adds row to ev, as one more time the rule was broken (or kept). */
static void
evidence(struct rule_evidence *ev, const struct store_audit_row *row, int64_t count)
{
	if (ev->count == 0 || row->first_at < ev->first_at) {
		ev->first_at = row->first_at;
		memcpy(ev->first_request, row->first_request, sizeof(ev->first_request));
	}
	if (ev->count == 0 || row->last_at > ev->last_at) {
		ev->last_at = row->last_at;
		memcpy(ev->last_request, row->last_request, sizeof(ev->last_request));
	}
	ev->count += count;
}

/* Every row of kind as evidence: broken when any, kept when kept_by rows exist. */
static void
judge_by_kind(struct judge *j, struct rule_result *out, enum audit_kind bad,
    enum audit_kind bad2, int (*exercised)(const struct store_audit_row *), const char *what)
{
	int seen = 0;

	for (size_t i = 0; i < j->r->n_rows; i++) {
		const struct store_audit_row *row = &j->r->rows[i];

		if (is_kind(row, bad) || (bad2 != AUDIT__MAX && is_kind(row, bad2)))
			evidence(&out->ev, row, row->count);
		else if (exercised(row))
			seen = 1;
	}
	if (out->ev.count > 0) {
		out->verdict = VERDICT_BROKEN;
		snprintf(out->summary, sizeof(out->summary), "%s: %lld", what,
		    (long long)out->ev.count);
	} else if (seen) {
		out->verdict = VERDICT_KEPT;
		snprintf(out->summary, sizeof(out->summary), "none seen");
	}
}

/* The token of id in r (NULL: none), by r->by_id: indexes sorted by token id. */
static struct token_life *
token_of(struct audit_report *r, const char *id)
{
	size_t lo = 0, hi = r->n_tokens;

	if (id[0] == '\0')
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(r->tokens[r->by_id[mid]].token_id, id);

		if (c == 0)
			return &r->tokens[r->by_id[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Rule 1: every Helix call of a user token comes within the hour of the
 * token's last validation, its issue counting as one (a token just made
 * is known good).  A call is late when the newest validation before it
 * (or its issue) is older than validate_within.  One pass over the rows,
 * which come by time: each token's newest validation so far (its first
 * and last time in its minute, the last used when it is not after the call).
 */
static void
judge_validate(struct judge *j, struct rule_result *out)
{
	struct audit_report *r = j->r;
	int64_t calls = 0, (*valid)[2] = xcalloc(r->n_tokens + 1, sizeof(*valid));

	for (size_t t = 0; t < r->n_tokens; t++)
		valid[t][0] = valid[t][1] = r->tokens[t].issued_at;
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct store_audit_row *row = &r->rows[i];
		struct token_life *t = token_of(r, row->token_id);
		int64_t *v, last;

		if (t == NULL)
			continue;
		v = valid[t - r->tokens];
		if (is_kind(row, AUDIT_VALIDATED) && row->last_at > v[1]) {
			v[0] = row->first_at;
			v[1] = row->last_at;
		}
		if (!is_kind(row, AUDIT_HELIX) || row->user_id == 0)
			continue;
		calls += row->count;
		last = v[1] <= row->last_at ? v[1] : v[0];
		if (last == 0 || row->last_at - last > j->validate_within)
			evidence(&out->ev, row, row->count);
	}
	free(valid);
	if (calls == 0)
		return;
	if (out->ev.count > 0) {
		out->verdict = VERDICT_BROKEN;
		snprintf(out->summary, sizeof(out->summary), "%lld of %lld Helix calls with a user "
		    "token came over %lld s after its last validation", (long long)out->ev.count,
		    (long long)calls, (long long)(j->validate_within / 1000));
	} else {
		out->verdict = VERDICT_KEPT;
		snprintf(out->summary, sizeof(out->summary), "%lld Helix calls with user tokens, "
		    "each within %lld s of a validation", (long long)calls,
		    (long long)(j->validate_within / 1000));
	}
}

/* Rule 2: a dead token sent RULE_DEAD_TOKEN_TRIES times or more is a break. */
static void
judge_dead_token(struct judge *j, struct rule_result *out)
{
	struct audit_report *r = j->r;
	struct rule_evidence *sent = xcalloc(r->n_tokens + 1, sizeof(*sent));
	size_t dead = 0;

	/* Each dead token's presentations, in one pass. */
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct store_audit_row *row = &r->rows[i];
		struct token_life *t;

		if ((is_kind(row, AUDIT_HELIX_DEAD) || is_kind(row, AUDIT_VALIDATE_DEAD)) &&
		    (t = token_of(r, row->token_id)) != NULL)
			evidence(&sent[t - r->tokens], row, row->count);
	}
	for (size_t t = 0; t < r->n_tokens; t++) {
		const struct rule_evidence *ev = &sent[t];
		int64_t n = out->ev.count;

		dead += ev->count > 0;
		if (ev->count < RULE_DEAD_TOKEN_TRIES)
			continue;
		evidence(&out->ev, &(struct store_audit_row){ .first_at = ev->first_at,
		    .last_at = ev->last_at }, 1);
		if (n == 0 || ev->first_at <= out->ev.first_at)
			memcpy(out->ev.first_request, ev->first_request, sizeof(ev->first_request));
		if (ev->last_at >= out->ev.last_at)
			memcpy(out->ev.last_request, ev->last_request, sizeof(ev->last_request));
	}
	free(sent);
	if (dead == 0)
		return;
	if (out->ev.count > 0) {
		out->verdict = VERDICT_BROKEN;
		snprintf(out->summary, sizeof(out->summary), "%lld of %zu dead tokens were sent "
		    "%d times or more after they stopped working", (long long)out->ev.count, dead,
		    RULE_DEAD_TOKEN_TRIES);
	} else {
		out->verdict = VERDICT_KEPT;
		snprintf(out->summary, sizeof(out->summary), "%zu tokens stopped working; none "
		    "was sent %d times", dead, RULE_DEAD_TOKEN_TRIES);
	}
}

static int
is_refresh(const struct store_audit_row *row)
{
	return is_kind(row, AUDIT_ISSUED) && strcmp(row->detail, "refresh_token") == 0;
}

static void
judge_refresh_kept(struct judge *j, struct rule_result *out)
{
	judge_by_kind(j, out, AUDIT_REFRESH_REPLAYED, AUDIT__MAX, is_refresh,
	    "Replaced refresh tokens presented again (each ended its grant)");
}

static void
judge_device(struct judge *j, struct rule_result *out)
{
	int64_t polls = 0;

	for (size_t i = 0; i < j->r->n_rows; i++) {
		const struct store_audit_row *row = &j->r->rows[i];

		if (!is_kind(row, AUDIT_DEVICE_POLL))
			continue;
		polls += row->count;
		if (strcmp(row->detail, "slow_down") == 0)
			evidence(&out->ev, row, row->count);
	}
	if (polls == 0)
		return;
	out->verdict = out->ev.count > 0 ? VERDICT_BROKEN : VERDICT_KEPT;
	snprintf(out->summary, sizeof(out->summary), "%lld of %lld polls came too early "
	    "(slow_down)", (long long)out->ev.count, (long long)polls);
}

static int
is_token_use(const struct store_audit_row *row)
{
	return is_kind(row, AUDIT_VALIDATED) || is_kind(row, AUDIT_HELIX);
}

static void
judge_token_in_url(struct judge *j, struct rule_result *out)
{
	judge_by_kind(j, out, AUDIT_TOKEN_IN_URL, AUDIT__MAX, is_token_use,
	    "Requests that carried a token in their URL");
}

static int
is_credential_use(const struct store_audit_row *row)
{
	return is_kind(row, AUDIT_ISSUED) || is_kind(row, AUDIT_HELIX);
}

static void
judge_browser(struct judge *j, struct rule_result *out)
{
	judge_by_kind(j, out, AUDIT_SECRET_FROM_BROWSER, AUDIT_APP_TOKEN_FROM_BROWSER,
	    is_credential_use, "Requests from a browser that carried the client secret or an "
	    "app token");
}

static int
is_authorization(const struct store_audit_row *row)
{
	return is_kind(row, AUDIT_ISSUED) && (strcmp(row->detail, "authorization_code") == 0 ||
	    strcmp(row->detail, "urn:ietf:params:oauth:grant-type:device_code") == 0);
}

static void
judge_remint(struct judge *j, struct rule_result *out)
{
	judge_by_kind(j, out, AUDIT_REAUTHORIZED, AUDIT__MAX, is_authorization,
	    "Authorizations of an account whose refresh token still worked");
	if (out->verdict == VERDICT_BROKEN)
		out->verdict = VERDICT_WARNING;
}

/* The rows that name an access token (a replayed refresh token is none). */
static int
names_token(const struct store_audit_row *row)
{
	return row->token_id[0] != '\0' && !is_kind(row, AUDIT_REFRESH_REPLAYED);
}

static const struct audit_report *sorting;	/* qsort has no context argument */

static int
by_first_seen(const void *a, const void *b)
{
	const struct token_life *x = a, *y = b;

	return x->first_seen < y->first_seen ? -1 : x->first_seen > y->first_seen ? 1 :
	    strcmp(x->token_id, y->token_id);
}

/* Indexes by their token's id; one id's by index, which is by time. */
static int
by_token_id(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(sorting->tokens[x].token_id, sorting->tokens[y].token_id);

	return c != 0 ? c : x < y ? -1 : x > y;
}

/*
 * The tokens the rows name, in the order they were first seen, with their
 * lives; r->by_id indexes them by token id.  O(n log n) in the rows.
 */
static void
gather_tokens(struct audit_report *r)
{
	size_t n = 0;

	/* Each token once (the rows come by time: its first row is its first sight). */
	r->tokens = xcalloc(r->n_rows + 1, sizeof(*r->tokens));
	for (size_t i = 0; i < r->n_rows; i++)
		if (names_token(&r->rows[i])) {
			memcpy(r->tokens[n].token_id, r->rows[i].token_id,
			    sizeof(r->tokens[n].token_id));
			r->tokens[n++].first_seen = r->rows[i].first_at;
		}
	qsort(r->tokens, n, sizeof(*r->tokens), by_first_seen);
	r->by_id = xcalloc(n + 1, sizeof(*r->by_id));
	for (size_t i = 0; i < n; i++)
		r->by_id[i] = i;
	sorting = r;
	qsort(r->by_id, n, sizeof(*r->by_id), by_token_id);
	sorting = NULL;
	/* Duplicates go: the first in time of each id stays (first in by_id). */
	r->n_tokens = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = r->by_id[i];

		if (i > 0 && strcmp(r->tokens[r->by_id[i - 1]].token_id,
		    r->tokens[k].token_id) == 0)
			r->tokens[k].first_seen = -1;	/* marked: dropped below */
		else
			r->n_tokens++;
	}
	/* Packed, by time still, and indexed again. */
	for (size_t i = 0, kept = 0; i < n; i++)
		if (r->tokens[i].first_seen != -1)
			r->tokens[kept++] = r->tokens[i];
	for (size_t i = 0; i < r->n_tokens; i++)
		r->by_id[i] = i;
	sorting = r;
	qsort(r->by_id, r->n_tokens, sizeof(*r->by_id), by_token_id);
	sorting = NULL;

	for (size_t i = 0; i < r->n_rows; i++) {
		const struct store_audit_row *row = &r->rows[i];
		struct token_life *t;

		if (!names_token(row) || (t = token_of(r, row->token_id)) == NULL)
			continue;
		if (row->user_id != 0)
			t->user_id = row->user_id;
		if (row->last_at > t->last_seen)
			t->last_seen = row->last_at;
		if (is_kind(row, AUDIT_ISSUED)) {
			t->issued_at = row->first_at;
			memcpy(t->grant, row->detail, sizeof(t->grant));
		}
		if ((is_kind(row, AUDIT_HELIX_DEAD) || is_kind(row, AUDIT_VALIDATE_DEAD)) &&
		    (t->dead_at == 0 || row->first_at < t->dead_at))
			t->dead_at = row->first_at;
	}
}

/*
 * Each chaos event, and the app's first good Helix call for that account
 * with a token issued after it (a new one: the old was ended).
 */
static void
gather_chaos(struct audit_report *r)
{
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct store_audit_row *row = &r->rows[i];
		struct chaos_event *e;

		if (!is_kind(row, AUDIT_CHAOS))
			continue;
		r->chaos = xrealloc(r->chaos, (r->n_chaos + 1) * sizeof(*r->chaos));
		e = &r->chaos[r->n_chaos++];
		memset(e, 0, sizeof(*e));
		e->at = row->first_at;
		e->user_id = row->user_id;
		memcpy(e->reason, row->detail, sizeof(e->reason));
		memcpy(e->request, row->first_request, sizeof(e->request));
		for (size_t k = 0; k < r->n_rows; k++) {
			const struct store_audit_row *call = &r->rows[k];
			struct token_life *t;

			if (!is_kind(call, AUDIT_HELIX) || call->user_id != e->user_id ||
			    call->last_at < e->at || (t = token_of(r, call->token_id)) == NULL ||
			    t->issued_at < e->at)
				continue;
			if (!e->recovered || call->first_at - e->at < e->recovered_after_ms) {
				e->recovered = call->first_at - e->at <= RULE_RECOVERY_WINDOW_MS;
				e->recovered_after_ms = call->first_at - e->at;
				memcpy(e->recovery_request, call->first_request,
				    sizeof(e->recovery_request));
			}
		}
	}
}

static void
gather_token_errors(struct audit_report *r)
{
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct store_audit_row *row = &r->rows[i];

		if (is_kind(row, AUDIT_TOKEN_UNAVAILABLE))
			r->unavailable += row->count;
		else if (is_kind(row, AUDIT_TOKEN_RETRY)) {
			int64_t waited;

			r->retries += row->count;
			if (num_parse_i64(row->detail, 0, INT64_MAX, &waited) == 0 &&
			    waited < RULE_BACKOFF_MIN_S)
				r->retries_too_soon += row->count;
		}
	}
}

void
rules_report(const char *client_id, int64_t since, int64_t validate_within,
    struct store_audit_row *rows, size_t n_rows, struct audit_report *out)
{
	struct judge j = { out, validate_within > 0 ? validate_within :
	    RULE_VALIDATE_EVERY_MS };

	memset(out, 0, sizeof(*out));
	snprintf(out->client_id, sizeof(out->client_id), "%s", client_id);
	/* The window: from since, or the first fact when since is earlier. */
	out->since = n_rows > 0 && rows[0].first_at > since ? rows[0].first_at : since;
	out->until = out->since;
	out->rows = rows;
	out->n_rows = n_rows;
	out->truncated = n_rows >= TW_AUDIT_REPORT_MAX_ROWS;
	for (size_t i = 0; i < n_rows; i++)
		if (rows[i].last_at > out->until)
			out->until = rows[i].last_at;
	gather_tokens(out);
	gather_chaos(out);
	gather_token_errors(out);
	for (int i = 0; i < RULE__MAX; i++) {
		struct rule_result *res = &out->rules[i];

		res->id = rule_rows[i].id;
		res->slug = rule_rows[i].slug;
		res->title = rule_rows[i].title;
		res->verdict = VERDICT_NOT_EXERCISED;
		snprintf(res->summary, sizeof(res->summary), "nothing it reads happened");
		rule_rows[i].judge(&j, res);
		if (res->verdict == VERDICT_BROKEN || res->verdict == VERDICT_WARNING)
			res->advice = rule_rows[i].advice;
		out->broken |= res->verdict == VERDICT_BROKEN;
	}
}

enum idp_err
idp_app_audit(struct idp *idp, const char *client_id, int64_t since, int64_t validate_within,
    struct audit_report *out)
{
	struct store_audit_row *rows = NULL;
	struct store_app app;
	size_t n = 0;
	enum idp_err err;

	memset(out, 0, sizeof(*out));
	if ((err = idp_app_get(idp, client_id, &app)) != IDP_OK)
		return err;
	store_app_clear(&app);
	/* What servers still hold in memory is in the database within a second. */
	if (idp->audit != NULL && audit_flush(idp->audit) != STORE_OK)
		return IDP_ERR_UNAVAILABLE;
	if (store_audit_list(idp->store, client_id, since / 60000, &rows, &n) != STORE_OK)
		return IDP_ERR_UNAVAILABLE;
	rules_report(client_id, since, validate_within, rows, n, out);
	return IDP_OK;
}

void
audit_report_clear(struct audit_report *r)
{
	free(r->rows);
	free(r->tokens);
	free(r->by_id);
	free(r->chaos);
	memset(r, 0, sizeof(*r));
}

static json_t *
evidence_json(const struct rule_evidence *ev)
{
	json_t *o = json_pack("{s:I}", "count", (json_int_t)ev->count);

	if (ev->count > 0) {
		json_object_set_new(o, "first_at", json_integer(ev->first_at));
		json_object_set_new(o, "last_at", json_integer(ev->last_at));
		json_object_set_new(o, "first_request", json_string(ev->first_request));
		json_object_set_new(o, "last_request", json_string(ev->last_request));
	}
	return o;
}

json_t *
audit_report_json(const struct audit_report *r)
{
	json_t *rules = json_array(), *chaos = json_array(), *o;

	for (int i = 0; i < RULE__MAX; i++) {
		const struct rule_result *res = &r->rules[i];

		o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:o}", "rule", i + 1, "id", res->slug,
		    "title", res->title, "verdict", rule_verdict_name(res->verdict),
		    "summary", res->summary, "evidence", evidence_json(&res->ev));
		if (res->advice != NULL)
			json_object_set_new(o, "advice", json_string(res->advice));
		json_array_append_new(rules, o);
	}
	for (size_t i = 0; i < r->n_chaos; i++) {
		const struct chaos_event *e = &r->chaos[i];

		o = json_pack("{s:I, s:s, s:I, s:s, s:b}", "at", (json_int_t)e->at,
		    "reason", e->reason, "user_id", (json_int_t)e->user_id, "request", e->request,
		    "recovered", e->recovered);
		if (e->recovered) {
			json_object_set_new(o, "recovered_after_ms",
			    json_integer(e->recovered_after_ms));
			json_object_set_new(o, "recovery_request", json_string(e->recovery_request));
		}
		json_array_append_new(chaos, o);
	}
	return json_pack("{s:s, s:I, s:I, s:b, s:b, s:o, s:o, s:{s:I, s:I, s:I}, s:I}",
	    "client_id", r->client_id, "since", (json_int_t)r->since, "until",
	    (json_int_t)r->until, "broken", r->broken, "truncated", r->truncated,
	    "rules", rules, "chaos", chaos,
	    "token_errors", "unavailable", (json_int_t)r->unavailable, "retries",
	    (json_int_t)r->retries, "retries_too_soon", (json_int_t)r->retries_too_soon,
	    "tokens", (json_int_t)r->n_tokens);
}
