/*
 * Twitch's rules judged from a hand-made record (rules.c): each rule
 * broken, kept and not exercised, the thresholds at their edges, and a
 * chaos event's recovery.  No database: rules_report is pure.
 */
#include <stdlib.h>
#include <string.h>

#include "../../src/idp/audit.h"
#include "../../src/idp/rules.h"
#include "t.h"

#define MIN_MS	60000LL
#define T0	(29000000LL * MIN_MS)	/* a minute in 2025 */

struct rec {
	struct store_audit_row	*rows;
	size_t			 n;
};

/* One row: kind for user and token at ms, count times, detail. */
static void
add(struct rec *r, enum audit_kind kind, int64_t user, const char *token, int64_t at,
    int64_t count, const char *detail)
{
	struct store_audit_row *row;

	r->rows = realloc(r->rows, (r->n + 1) * sizeof(*r->rows));
	row = &r->rows[r->n++];
	memset(row, 0, sizeof(*row));
	strcpy(row->client_id, "app1");
	strcpy(row->kind, audit_kind_name(kind));
	row->user_id = user;
	strcpy(row->token_id, token);
	strcpy(row->detail, detail);
	row->minute = at / MIN_MS;
	row->count = count;
	row->first_at = row->last_at = at;
	snprintf(row->first_request, sizeof(row->first_request), "req-%lld",
	    (long long)(at - T0));
	strcpy(row->last_request, row->first_request);
}

/* The verdict of rule id over r (which the report takes over). */
static enum rule_verdict
verdict(struct rec *r, enum rule_id id, int64_t validate_within, struct audit_report *out)
{
	rules_report("app1", 0, validate_within, r->rows, r->n, out);
	r->rows = NULL;
	r->n = 0;
	return out->rules[id].verdict;
}

static void
rules_say_not_exercised_for_an_empty_record(void)
{
	struct rec r = { 0 };
	struct audit_report rep;

	CHECK(verdict(&r, RULE_VALIDATE_HOURLY, 0, &rep) == VERDICT_NOT_EXERCISED);
	for (int i = 0; i < RULE__MAX; i++)
		CHECK(rep.rules[i].verdict == VERDICT_NOT_EXERCISED);
	CHECK(!rep.broken);
	audit_report_clear(&rep);
}

static void
rules_validate_within_the_hour_counting_the_issue(void)
{
	struct rec r = { 0 };
	struct audit_report rep;
	int64_t hour = RULE_VALIDATE_EVERY_MS;

	/* Issued, used at once, validated, used just inside the hour of it: kept. */
	add(&r, AUDIT_ISSUED, 7, "t1", T0, 1, "authorization_code");
	add(&r, AUDIT_HELIX, 7, "t1", T0 + 1000, 3, "GET users");
	add(&r, AUDIT_VALIDATED, 7, "t1", T0 + 30 * MIN_MS, 1, "");
	add(&r, AUDIT_HELIX, 7, "t1", T0 + 30 * MIN_MS + hour, 1, "PATCH channels");
	CHECK(verdict(&r, RULE_VALIDATE_HOURLY, 0, &rep) == VERDICT_KEPT);
	audit_report_clear(&rep);
	/* One ms later is over the hour: broken, with that call's request id. */
	add(&r, AUDIT_ISSUED, 7, "t1", T0, 1, "authorization_code");
	add(&r, AUDIT_VALIDATED, 7, "t1", T0 + 30 * MIN_MS, 1, "");
	add(&r, AUDIT_HELIX, 7, "t1", T0 + 30 * MIN_MS + hour + 1, 2, "GET users");
	CHECK(verdict(&r, RULE_VALIDATE_HOURLY, 0, &rep) == VERDICT_BROKEN);
	CHECK(rep.rules[RULE_VALIDATE_HOURLY].ev.count == 2);
	CHECK(rep.broken);
	CHECK(rep.rules[RULE_VALIDATE_HOURLY].advice != NULL);
	audit_report_clear(&rep);
	/* A shortened hour (to try an app in minutes); app tokens are not judged. */
	add(&r, AUDIT_ISSUED, 7, "t2", T0, 1, "authorization_code");
	add(&r, AUDIT_HELIX, 7, "t2", T0 + 3000, 1, "GET users");
	add(&r, AUDIT_HELIX, 0, "a1", T0 + 10 * hour, 1, "GET users");
	CHECK(verdict(&r, RULE_VALIDATE_HOURLY, 2000, &rep) == VERDICT_BROKEN);
	CHECK(rep.rules[RULE_VALIDATE_HOURLY].ev.count == 1);
	audit_report_clear(&rep);
}

static void
rules_count_a_dead_token_sent_again(void)
{
	struct rec r = { 0 };
	struct audit_report rep;

	add(&r, AUDIT_HELIX, 7, "t1", T0, 1, "GET users");
	add(&r, AUDIT_HELIX_DEAD, 7, "t1", T0 + 1000, RULE_DEAD_TOKEN_TRIES - 1, "GET users");
	CHECK(verdict(&r, RULE_STOP_DEAD_TOKEN, 0, &rep) == VERDICT_KEPT);
	audit_report_clear(&rep);
	add(&r, AUDIT_HELIX_DEAD, 7, "t1", T0 + 1000, RULE_DEAD_TOKEN_TRIES - 1, "GET users");
	add(&r, AUDIT_VALIDATE_DEAD, 7, "t1", T0 + 2000, 1, "");
	CHECK(verdict(&r, RULE_STOP_DEAD_TOKEN, 0, &rep) == VERDICT_BROKEN);
	CHECK(rep.n_tokens == 1 && rep.tokens[0].dead_at == T0 + 1000);
	audit_report_clear(&rep);
}

static void
rules_read_their_own_facts(void)
{
	struct rec r = { 0 };
	struct audit_report rep;

	add(&r, AUDIT_ISSUED, 7, "t1", T0, 1, "refresh_token");
	CHECK(verdict(&r, RULE_KEEP_NEW_REFRESH_TOKEN, 0, &rep) == VERDICT_KEPT);
	audit_report_clear(&rep);
	add(&r, AUDIT_REFRESH_REPLAYED, 0, "r1", T0, 1, "");
	CHECK(verdict(&r, RULE_KEEP_NEW_REFRESH_TOKEN, 0, &rep) == VERDICT_BROKEN);
	CHECK(rep.n_tokens == 0);	/* a refresh token is no access token's bar */
	audit_report_clear(&rep);
	add(&r, AUDIT_DEVICE_POLL, 0, "", T0, 4, "authorization_pending");
	CHECK(verdict(&r, RULE_DEVICE_INTERVAL, 0, &rep) == VERDICT_KEPT);
	audit_report_clear(&rep);
	add(&r, AUDIT_DEVICE_POLL, 0, "", T0, 4, "authorization_pending");
	add(&r, AUDIT_DEVICE_POLL, 0, "", T0 + 1, 2, "slow_down");
	CHECK(verdict(&r, RULE_DEVICE_INTERVAL, 0, &rep) == VERDICT_BROKEN);
	CHECK(rep.rules[RULE_DEVICE_INTERVAL].ev.count == 2);
	audit_report_clear(&rep);
	add(&r, AUDIT_VALIDATED, 0, "a1", T0, 1, "");
	add(&r, AUDIT_TOKEN_IN_URL, 0, "a1", T0, 1, "/oauth2/validate");
	CHECK(verdict(&r, RULE_NO_TOKEN_IN_URL, 0, &rep) == VERDICT_BROKEN);
	CHECK(rep.rules[RULE_NO_SECRET_IN_BROWSER].verdict == VERDICT_NOT_EXERCISED);
	audit_report_clear(&rep);
	add(&r, AUDIT_ISSUED, 0, "a1", T0, 1, "client_credentials");
	add(&r, AUDIT_SECRET_FROM_BROWSER, 0, "", T0, 1, "/oauth2/token");
	CHECK(verdict(&r, RULE_NO_SECRET_IN_BROWSER, 0, &rep) == VERDICT_BROKEN);
	audit_report_clear(&rep);
	/* Re-minting is a warning, not a break. */
	add(&r, AUDIT_ISSUED, 7, "t1", T0, 1, "authorization_code");
	add(&r, AUDIT_REAUTHORIZED, 7, "", T0, 1, "authorization_code");
	CHECK(verdict(&r, RULE_REFRESH_NOT_REMINT, 0, &rep) == VERDICT_WARNING);
	CHECK(!rep.broken);
	audit_report_clear(&rep);
}

static void
rules_see_the_recovery_after_chaos(void)
{
	struct rec r = { 0 };
	struct audit_report rep;

	add(&r, AUDIT_HELIX, 7, "old", T0, 1, "GET users");
	add(&r, AUDIT_CHAOS, 7, "", T0 + 1000, 1, "revoke");
	add(&r, AUDIT_HELIX_DEAD, 7, "old", T0 + 1500, 1, "GET users");
	add(&r, AUDIT_ISSUED, 7, "new", T0 + 2000, 1, "refresh_token");
	add(&r, AUDIT_HELIX, 7, "new", T0 + 3500, 1, "GET users");
	add(&r, AUDIT_CHAOS, 8, "", T0 + 4000, 1, "disconnect");	/* user 8 never came back */
	add(&r, AUDIT_TOKEN_UNAVAILABLE, 0, "", T0, 2, "");
	add(&r, AUDIT_TOKEN_RETRY, 0, "", T0 + 100, 1, "0");
	add(&r, AUDIT_TOKEN_RETRY, 0, "", T0 + 2000, 1, "2");
	verdict(&r, RULE_STOP_DEAD_TOKEN, 0, &rep);
	CHECK(rep.n_chaos == 2);
	CHECK(rep.chaos[0].recovered && rep.chaos[0].recovered_after_ms == 2500);
	CHECK_STR(rep.chaos[0].recovery_request, "req-3500");
	CHECK_STR(rep.chaos[0].reason, "revoke");
	CHECK(!rep.chaos[1].recovered);
	CHECK(rep.unavailable == 2 && rep.retries == 2 && rep.retries_too_soon == 1);
	audit_report_clear(&rep);
}

static void
rules_list_each_token_once_in_the_order_first_seen(void)
{
	struct rec r = { 0 };
	struct audit_report rep;

	add(&r, AUDIT_HELIX, 7, "zz", T0, 1, "GET users");
	add(&r, AUDIT_VALIDATED, 7, "aa", T0 + 10, 1, "");
	add(&r, AUDIT_HELIX, 7, "zz", T0 + 20, 1, "GET users");
	add(&r, AUDIT_HELIX, 8, "mm", T0 + 30, 1, "GET users");
	add(&r, AUDIT_VALIDATE_DEAD, 7, "aa", T0 + 40, 1, "");
	add(&r, AUDIT_REFRESH_REPLAYED, 7, "rr", T0 + 50, 1, "");
	verdict(&r, RULE_VALIDATE_HOURLY, 0, &rep);
	CHECK(rep.n_tokens == 3);
	CHECK_STR(rep.tokens[0].token_id, "zz");
	CHECK_STR(rep.tokens[1].token_id, "aa");
	CHECK_STR(rep.tokens[2].token_id, "mm");
	CHECK(rep.tokens[0].last_seen == T0 + 20 && rep.tokens[1].dead_at == T0 + 40);
	CHECK(rep.tokens[2].user_id == 8);
	audit_report_clear(&rep);
}

void
suite_rules(void)
{
	RUN(rules_say_not_exercised_for_an_empty_record);
	RUN(rules_validate_within_the_hour_counting_the_issue);
	RUN(rules_count_a_dead_token_sent_again);
	RUN(rules_read_their_own_facts);
	RUN(rules_see_the_recovery_after_chaos);
	RUN(rules_list_each_token_once_in_the_order_first_seen);
}
