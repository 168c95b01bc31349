/*
 * twauth app audit: the rules lab's report on the command line
 * (src/idp/rules.h).  Its options are rows of 'twauth app' (AUDIT_ROWS,
 * for `app audit` only); app_audit prints the report and picks the exit
 * status: 0 nothing broken, 1 a rule broken, so an app's own CI can run it.
 */
#ifndef CLI_AUDIT_H
#define CLI_AUDIT_H

#include <stdint.h>

#include "../idp/idp.h"
#include "opt.h"

struct audit_opts {
	const char	*since;		/* TIME: "1h", "30m", "2d", Unix seconds, or ISO 8601 UTC */
	const char	*svg;		/* FILE ("-": stdout), or NULL */
	unsigned	 validate_within;	/* seconds; 0: Twitch's hour */
};

int audit_since_check(const char *flag, const char *value);

#define AUDIT_ROWS(S, m) \
	{ "since", OPT_AS_STR(S, m.since), .arg = "TIME", .only = OPT_ONLY("audit"), \
	    .check = audit_since_check, .unset = "everything recorded", \
	    .help = "from TIME on: 30m, 1h, 2d ago, Unix seconds, or 2026-12-01T10:00:00Z" }, \
	{ "svg", OPT_AS_STR(S, m.svg), .arg = "FILE", .only = OPT_ONLY("audit"), \
	    .help = "also write the timeline, as on the console's Twitch rules tab, to FILE " \
	    "(replaced whole; - for stdout)" }, \
	{ "validate-within", OPT_AS_UINT(S, m.validate_within), .arg = "SECS", \
	    .only = OPT_ONLY("audit"), .min = 1, .max = 3600, .unset = "3600, Twitch's hour", \
	    .help = "rule 1's hour, shortened to try an app in minutes (never longer)" }

#define AUDIT_HELP \
	"Audit: 'twauth serve' records what each app does (validations, Helix\n" \
	"calls, dead tokens sent again, refresh tokens, device polling, where\n" \
	"tokens and secrets came from; --no-audit turns it off).  'app audit'\n" \
	"reports each of Twitch's rules as kept, broken, warning or not\n" \
	"exercised, with counts, times and request ids (X-Request-Id, as in the\n" \
	"access log), what to change, and how the app recovered from tokens\n" \
	"'twauth chaos' ended.  Exit status 0 when nothing is broken, 1 when a\n" \
	"rule is: usable in an app's CI.\n"

/* Prints client_id's report (--json: as JSON).  The exit status. */
int app_audit(struct idp *idp, const char *client_id, const struct audit_opts *o, int json);

#endif
