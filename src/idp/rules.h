/*
 * Twitch's rules for apps, read off the record of what an app did
 * (audit.h): each rule kept, broken, warned about or not exercised, with
 * its evidence (counts, first and last time, request ids to find in the
 * access log) and what to change, in plain words; and, for each token
 * twauth ended on purpose (chaos), whether and how fast the app recovered.
 * `twauth app audit`, the console's "Twitch rules" tab and the timeline
 * (timeline.h) all show one struct audit_report, made here.
 *
 * Each rule, its thresholds and its words are one row of the table in
 * rules.c.
 */
#ifndef IDP_RULES_H
#define IDP_RULES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/compiler.h"
#include "../store/store.h"
#include "errors.h"

struct idp;

/* A user token in use must be validated at least this often (Twitch: hourly). */
#define RULE_VALIDATE_EVERY_MS		(60 * 60 * 1000LL)
/* A dead token sent this many times in all (the first 401 and retries) is a break. */
#define RULE_DEAD_TOKEN_TRIES		3
/* An app recovered from a chaos event if it made a good Helix call within this. */
#define RULE_RECOVERY_WINDOW_MS		(10 * 60 * 1000LL)
/* After a 503 from /oauth2/token, waiting at least this long is backing off. */
#define RULE_BACKOFF_MIN_S		1

enum rule_id {
	RULE_VALIDATE_HOURLY,		/* 1 */
	RULE_STOP_DEAD_TOKEN,		/* 2 */
	RULE_KEEP_NEW_REFRESH_TOKEN,	/* 3 */
	RULE_DEVICE_INTERVAL,		/* 4 */
	RULE_NO_TOKEN_IN_URL,		/* 5 */
	RULE_NO_SECRET_IN_BROWSER,	/* 6 */
	RULE_REFRESH_NOT_REMINT,	/* 7 */
	RULE__MAX
};

enum rule_verdict {
	VERDICT_NOT_EXERCISED,	/* nothing the rule reads happened */
	VERDICT_KEPT,
	VERDICT_WARNING,	/* worth changing; not a break (rule 7) */
	VERDICT_BROKEN,
	VERDICT__MAX
};

/* "kept", "broken", "warning", "not exercised". */
const char *rule_verdict_name(enum rule_verdict v);

/* The facts behind a verdict. */
struct rule_evidence {
	int64_t	 count;			/* times the rule was broken (or kept, if never broken) */
	int64_t	 first_at, last_at;	/* ms; 0 when count is 0 */
	char	 first_request[TW_MAX_REQUEST_ID + 1];
	char	 last_request[TW_MAX_REQUEST_ID + 1];
};

struct rule_result {
	enum rule_id		 id;
	const char		*slug;		/* "validate-hourly": stable, for --json */
	const char		*title;		/* the rule in plain words */
	enum rule_verdict	 verdict;
	struct rule_evidence	 ev;
	char			 summary[320];	/* the evidence in words */
	const char		*advice;	/* what to change; NULL unless broken or warned */
};

/* A token twauth ended on purpose, and what the app did next. */
struct chaos_event {
	int64_t	 at;				/* ms */
	char	 reason[TW_AUDIT_DETAIL_MAX + 1];	/* expire, revoke, disconnect, passwd */
	int64_t	 user_id;
	char	 request[TW_MAX_REQUEST_ID + 1];
	int	 recovered;			/* a good Helix call with a newer token followed */
	int64_t	 recovered_after_ms;
	char	 recovery_request[TW_MAX_REQUEST_ID + 1];
};

/* One token's life as the record saw it, for the timeline. */
struct token_life {
	char	 token_id[TW_AUDIT_TOKEN_ID_LEN + 1];
	int64_t	 user_id;			/* 0: an app token */
	int64_t	 issued_at;			/* ms; 0 when issued before the record began */
	int64_t	 first_seen, last_seen;		/* ms: any fact naming it */
	int64_t	 dead_at;			/* ms of its first 401; 0: none seen */
	char	 grant[TW_AUDIT_DETAIL_MAX + 1];	/* the grant that issued it, or "" */
};

struct audit_report {
	char			 client_id[TW_ID_LEN + 1];
	int64_t			 since;		/* ms */
	int64_t			 until;		/* ms: the last fact, or since */
	struct rule_result	 rules[RULE__MAX];
	int			 broken;	/* any rule broken */
	struct chaos_event	*chaos;
	size_t			 n_chaos;
	/* /oauth2/token answered 503 on purpose, and the waits before the next try. */
	int64_t			 unavailable;
	int64_t			 retries, retries_too_soon;	/* < RULE_BACKOFF_MIN_S */
	struct token_life	*tokens;		/* in the order first seen */
	size_t			 n_tokens;
	size_t			*by_id;			/* tokens' indexes by token id */
	struct store_audit_row	*rows;		/* the record itself, by first_at */
	size_t			 n_rows;
	int			 truncated;	/* only the newest TW_AUDIT_REPORT_MAX_ROWS */
};

/*
 * The report of client_id's record from since (ms) on, into *out (clear it
 * with audit_report_clear).  rows/n_rows: the record as store_audit_list
 * gives it, taken over by the report.  validate_within: rule 1's hour in
 * ms (0: RULE_VALIDATE_EVERY_MS; shorter only to try an app in minutes).
 * Pure: no database, no clock.
 */
void rules_report(const char *client_id, int64_t since, int64_t validate_within,
    struct store_audit_row *rows, size_t n_rows, struct audit_report *out);
/*
 * rules_report of what the store holds for client_id from since (ms) on.
 * IDP_ERR_APP_NOT_FOUND-like errors as idp_app_get says; UNAVAILABLE.
 */
MUST_CHECK enum idp_err idp_app_audit(struct idp *idp, const char *client_id, int64_t since,
    int64_t validate_within, struct audit_report *out);
void audit_report_clear(struct audit_report *r);
/* The report as JSON (--json): rules with evidence, chaos events, token errors. */
json_t *audit_report_json(const struct audit_report *r);

#endif
