/*
 * Unit tests of timeline: the SVG picture of an audit report, built here
 * by hand (no database, no rules.c).  Each picture is checked for
 * well-formed XML by a small checker (balanced tags, quoted attributes,
 * only the five entities and numeric references, valid UTF-8, no control
 * characters), then for what it must show.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/common/limits.h"
#include "../../src/idp/timeline.h"
#include "t.h"

#define T0	1767261600000LL		/* 2026-01-01 10:00:00 UTC */
#define MIN	60000LL

/* ---- a well-formedness checker, enough for what timeline.c writes ---- */

static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '-' || c == '_' || c == ':' || c == '.';
}

/* At an '&': the length of a reference XML knows, or 0. */
static size_t
reference(const char *p)
{
	static const char *const named[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
	size_t n = 2;

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strncmp(p, named[i], strlen(named[i])) == 0)
			return strlen(named[i]);
	if (p[1] != '#')
		return 0;
	while (p[n] >= '0' && p[n] <= '9')
		n++;
	return n > 2 && p[n] == ';' ? n + 1 : 0;
}

/* True if s is valid UTF-8 without control characters but newlines. */
static int
clean_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 :
		    (*p & 0xf8) == 0xf0 ? 4 : 0;

		if (len == 0 || (*p < 0x20 && *p != '\n') || *p == 0x7f || (len == 2 && *p < 0xc2))
			return 0;
		for (size_t i = 1; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		p += len;
	}
	return 1;
}

/* True if doc is one well-formed element (with leading and trailing white space). */
static int
well_formed(const char *doc)
{
	const char *stack[64], *p = doc;
	size_t lens[64], depth = 0, roots = 0;

	if (!clean_utf8(doc))
		return 0;
	while (*p != '\0') {
		if (*p == '&') {
			size_t n = reference(p);

			if (n == 0 || depth == 0)
				return 0;
			p += n;
		} else if (*p == '>' || (*p != '<' && depth == 0 && *p != '\n' && *p != ' '))
			return 0;
		else if (*p != '<')
			p++;
		else if (p[1] == '/') {
			const char *name = p + 2;
			size_t n = 0;

			while (name_char(name[n]))
				n++;
			if (depth == 0 || n != lens[depth - 1] ||
			    strncmp(name, stack[depth - 1], n) != 0 || name[n] != '>')
				return 0;
			depth--;
			p = name + n + 1;
		} else {
			const char *name = p + 1;
			size_t n = 0;

			while (name_char(name[n]))
				n++;
			if (n == 0)
				return 0;
			p = name + n;
			for (;;) {
				size_t an = 0;

				while (*p == ' ' || *p == '\n')
					p++;
				if (*p == '>' || (p[0] == '/' && p[1] == '>'))
					break;
				while (name_char(p[an]))
					an++;
				if (an == 0 || p[an] != '=' || p[an + 1] != '"')
					return 0;
				for (p += an + 2; *p != '"'; p++) {
					if (*p == '\0' || *p == '<')
						return 0;
					if (*p == '&' && reference(p) == 0)
						return 0;
				}
				p++;
				if (*p != ' ' && *p != '>' && *p != '/' && *p != '\n')
					return 0;
			}
			if (depth == 0 && roots++ > 0)
				return 0;
			if (*p == '/') {
				p += 2;
				continue;
			}
			if (depth == sizeof(stack) / sizeof(stack[0]))
				return 0;
			stack[depth] = name;
			lens[depth++] = n;
			p++;
		}
	}
	return depth == 0 && roots == 1;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* No script, nothing from elsewhere, no style attribute (the pages' CSP). */
static int
self_contained(const char *svg)
{
	return strstr(svg, "<script") == NULL && strstr(svg, "style") == NULL &&
	    strstr(svg, "href") == NULL && strstr(svg, "url(") == NULL &&
	    strstr(svg, "<foreignObject") == NULL;
}

/* ---- reports made by hand ---- */

static struct store_audit_row
row(const char *kind, int64_t user_id, const char *token_id, const char *detail, int64_t n,
    int64_t first, int64_t last)
{
	struct store_audit_row r;

	memset(&r, 0, sizeof(r));
	snprintf(r.client_id, sizeof(r.client_id), "app1");
	snprintf(r.kind, sizeof(r.kind), "%s", kind);
	snprintf(r.token_id, sizeof(r.token_id), "%s", token_id);
	snprintf(r.detail, sizeof(r.detail), "%s", detail);
	snprintf(r.first_request, sizeof(r.first_request), "req-first");
	snprintf(r.last_request, sizeof(r.last_request), "req-last");
	r.user_id = user_id;
	r.minute = first / MIN;
	r.count = n;
	r.first_at = first;
	r.last_at = last;
	return r;
}

static struct token_life
life(const char *id, int64_t user_id, int64_t issued, int64_t last, int64_t dead,
    const char *grant)
{
	struct token_life l;

	memset(&l, 0, sizeof(l));
	snprintf(l.token_id, sizeof(l.token_id), "%s", id);
	snprintf(l.grant, sizeof(l.grant), "%s", grant);
	l.user_id = user_id;
	l.issued_at = issued;
	l.first_seen = issued ? issued : last;
	l.last_seen = last;
	l.dead_at = dead;
	return l;
}

/*
 * A user token that expired (chaos) at 10:15 and was used three more
 * times (401), the refreshed one that replaced it writing to Helix, and
 * an app token.
 */
static struct store_audit_row story_rows[8];
static struct token_life story_tokens[3];
static struct chaos_event story_chaos[1];

static void
story(struct audit_report *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->client_id, sizeof(r->client_id), "app1");
	r->since = T0 - 60 * MIN;
	r->until = T0 + 30 * MIN;
	story_tokens[0] = life("aaaaaaaaaaaa", 42, T0 + 10000, T0 + 16 * MIN, T0 + 15 * MIN + 1000,
	    "authorization_code");
	story_tokens[1] = life("bbbbbbbbbbbb", 42, T0 + 15 * MIN + 3000, T0 + 30 * MIN, 0,
	    "refresh_token");
	story_tokens[2] = life("cccccccccccc", 0, T0 + 2 * MIN, T0 + 5 * MIN, 0,
	    "client_credentials");
	story_rows[0] = row("issued", 42, "aaaaaaaaaaaa", "authorization_code", 1, T0 + 10000,
	    T0 + 10000);
	story_rows[1] = row("validated", 42, "aaaaaaaaaaaa", "", 1, T0 + 11000, T0 + 11000);
	story_rows[2] = row("helix", 42, "aaaaaaaaaaaa", "GET users", 20, T0 + MIN, T0 + 10 * MIN);
	story_rows[3] = row("chaos", 42, "aaaaaaaaaaaa", "expire", 1, T0 + 15 * MIN,
	    T0 + 15 * MIN);
	story_rows[4] = row("helix_dead", 42, "aaaaaaaaaaaa", "GET users", 3, T0 + 15 * MIN + 1000,
	    T0 + 16 * MIN);
	story_rows[5] = row("helix", 42, "bbbbbbbbbbbb", "PATCH channels", 2, T0 + 16 * MIN,
	    T0 + 20 * MIN);
	story_rows[6] = row("helix", 0, "cccccccccccc", "GET users", 1, T0 + 3 * MIN,
	    T0 + 3 * MIN);
	story_rows[7] = row("device_poll", 0, "", "authorization_pending", 4, T0, T0 + MIN);
	memset(story_chaos, 0, sizeof(story_chaos));
	story_chaos[0].at = T0 + 15 * MIN;
	story_chaos[0].user_id = 42;
	story_chaos[0].recovered = 1;
	story_chaos[0].recovered_after_ms = 4200;
	snprintf(story_chaos[0].reason, sizeof(story_chaos[0].reason), "expire");
	snprintf(story_chaos[0].request, sizeof(story_chaos[0].request), "req-chaos");
	snprintf(story_chaos[0].recovery_request, sizeof(story_chaos[0].recovery_request),
	    "req-ok");
	r->rows = story_rows;
	r->n_rows = 8;
	r->tokens = story_tokens;
	r->n_tokens = 3;
	r->chaos = story_chaos;
	r->n_chaos = 1;
}

static void
timeline_draws_each_token_and_mark(void)
{
	struct audit_report r;
	size_t len;
	char *svg;

	story(&r);
	svg = timeline_svg(&r, 0, &len);
	CHECK(svg != NULL && strlen(svg) == len);
	CHECK(well_formed(svg));
	CHECK(self_contained(svg));
	CHECK(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	CHECK(strstr(svg, "viewBox=\"0 0 960 ") != NULL);
	/* One bar per token, labelled by account and token id. */
	CHECK(count(svg, "<g class=\"tl-token\">") == 3);
	CHECK(strstr(svg, ">user 42 \xc2\xb7 aaaaaaaaaaaa \xc2\xb7 authorization_code<") != NULL);
	CHECK(strstr(svg, ">app token \xc2\xb7 cccccccccccc \xc2\xb7 client_credentials<") != NULL);
	/* The dead one is red after its first 401; the others are not. */
	CHECK(count(svg, "<rect class=\"tl-dead\"") == 2);	/* its bar and the legend's */
	/* Marks of each kind: validations, reads, the write, the 401s. */
	CHECK(count(svg, "<path class=\"tl-validated\"") == 1);
	CHECK(count(svg, "<path class=\"tl-read\"") == 2);	/* two tokens read */
	CHECK(count(svg, "<path class=\"tl-write\"") == 1);
	CHECK(count(svg, "<path class=\"tl-401\"") == 1);
	CHECK(strstr(svg, "1 validation \xc2\xb7 20 Helix calls \xc2\xb7 3 \xc3\x97 401") != NULL);
	CHECK(strstr(svg, "2 Helix calls (2 writes)") != NULL);
	/* The chaos event and its recovery, joined. */
	CHECK(count(svg, "<g class=\"tl-chaos\">") == 1);
	CHECK(strstr(svg, ">expire \xc2\xb7 recovered in 4.2 s</text>") != NULL);
	CHECK(strstr(svg, "Recovered 4.2 s later (request req-ok)") != NULL);
	/* The axis in UTC: round ticks and the span. */
	CHECK(strstr(svg, ">10:15</text>") != NULL);
	CHECK(strstr(svg, "2026-01-01, ") != NULL && strstr(svg, " UTC</text>") != NULL);
	/* The legend. */
	CHECK(strstr(svg, ">Helix write (not GET)</text>") != NULL);
	CHECK(strstr(svg, ">chaos: twauth ended a token</text>") != NULL);
	free(svg);
}

static void
timeline_unrecovered_chaos_says_so(void)
{
	struct audit_report r;
	size_t len;
	char *svg;

	story(&r);
	story_chaos[0].recovered = 0;
	story_chaos[0].recovered_after_ms = 0;
	svg = timeline_svg(&r, 0, &len);
	CHECK(well_formed(svg));
	CHECK(strstr(svg, ">expire \xc2\xb7 not recovered</text>") != NULL);
	CHECK(strstr(svg, "No good call with a newer token followed.") != NULL);
	free(svg);
}

static void
timeline_escapes_what_the_record_holds(void)
{
	struct audit_report r;
	size_t len;
	char *svg;

	story(&r);
	/* Twelve bytes of markup as a token id, a reason with markup and bad bytes. */
	snprintf(story_tokens[0].token_id, sizeof(story_tokens[0].token_id), "<x&\"'>a</g>");
	snprintf(story_rows[4].token_id, sizeof(story_rows[4].token_id), "<x&\"'>a</g>");
	snprintf(story_tokens[1].grant, sizeof(story_tokens[1].grant), "]]><svg onload=x>");
	snprintf(story_chaos[0].reason, sizeof(story_chaos[0].reason),
	    "<script>alert(1)</script>\x01\xff\xc0\xaf\xed\xa0\x80");
	snprintf(story_chaos[0].request, sizeof(story_chaos[0].request), "r\"><b>");
	snprintf(r.client_id, sizeof(r.client_id), "a&b");
	svg = timeline_svg(&r, 0, &len);
	CHECK(well_formed(svg));
	CHECK(self_contained(svg));
	CHECK(strstr(svg, "&lt;x&amp;&quot;&#39;&gt;a&lt;/g&gt;") != NULL);
	CHECK(strstr(svg, "]]&gt;&lt;svg onload=x&gt;") != NULL);
	CHECK(strstr(svg, "<svg onload") == NULL);
	CHECK(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt;\xef\xbf\xbd") != NULL);
	CHECK(strstr(svg, "request r&quot;&gt;&lt;b&gt;") != NULL);
	CHECK(strstr(svg, "<title>Timeline of the app a&amp;b</title>") != NULL);
	/* Still matched to its row: the 401s are drawn on it. */
	CHECK(count(svg, "<path class=\"tl-401\"") == 1);
	free(svg);
}

static void
timeline_empty_says_nothing_yet(void)
{
	struct audit_report r;
	size_t len;
	char *svg;

	memset(&r, 0, sizeof(r));
	svg = timeline_svg(&r, 500, &len);
	CHECK(well_formed(svg));
	CHECK(self_contained(svg));
	CHECK(strstr(svg, ">Nothing recorded yet</text>") != NULL);
	CHECK(strstr(svg, "viewBox=\"0 0 500 ") != NULL);
	CHECK(count(svg, "tl-token") == 0);
	free(svg);

	/* Facts but no token (a device still polling): the axis, and that said. */
	story(&r);
	r.rows = &story_rows[7];
	r.n_rows = 1;
	r.n_tokens = 0;
	r.n_chaos = 0;
	svg = timeline_svg(&r, 0, &len);
	CHECK(well_formed(svg));
	CHECK(strstr(svg, ">No token in this record yet.</text>") != NULL);
	free(svg);
}

static void
timeline_widths_are_clamped(void)
{
	struct audit_report r;
	size_t len;
	char *svg;

	story(&r);
	svg = timeline_svg(&r, 10, &len);
	CHECK(strstr(svg, "viewBox=\"0 0 300 ") != NULL);
	CHECK(well_formed(svg));
	/* At a phone's width a label is cut, never run off, and the counts make way. */
	CHECK(strstr(svg, "\xe2\x80\xa6</text>") != NULL);
	CHECK(strstr(svg, "20 Helix calls \xc2\xb7 3 \xc3\x97 401</text>") == NULL);
	free(svg);
	svg = timeline_svg(&r, 100000, &len);
	CHECK(strstr(svg, "viewBox=\"0 0 1600 ") != NULL);
	free(svg);
}

static void
timeline_is_bounded(void)
{
	enum { N_TOKENS = 30, N_CHAOS = 40, N_ROWS = 3000 };
	struct token_life *tokens = calloc(N_TOKENS, sizeof(*tokens));
	struct chaos_event *chaos = calloc(N_CHAOS, sizeof(*chaos));
	struct store_audit_row *rows = calloc(N_ROWS, sizeof(*rows));
	struct audit_report r;
	const char *p;
	size_t len, most = 0;
	char *svg, id[16];

	memset(&r, 0, sizeof(r));
	for (int i = 0; i < N_TOKENS; i++) {
		snprintf(id, sizeof(id), "%012d", i);
		tokens[i] = life(id, 7, T0 + i * MIN, T0 + (i + 60) * MIN, 0, "refresh_token");
	}
	/* One token called every 3 s for 150 minutes, one row a minute per kind. */
	for (int i = 0; i < N_ROWS; i++)
		rows[i] = row(i % 2 ? "helix" : "validated", 7, "000000000029", "GET users", 20,
		    T0 + 29 * MIN + (i / 2) * MIN, T0 + 29 * MIN + (i / 2) * MIN + 57000);
	for (int i = 0; i < N_CHAOS; i++) {
		chaos[i].at = T0 + i * 2 * MIN;
		chaos[i].recovered = i % 2;
		chaos[i].recovered_after_ms = 30000;
		snprintf(chaos[i].reason, sizeof(chaos[i].reason), "%s", i % 2 ? "revoke" : "expire");
	}
	r.tokens = tokens;
	r.n_tokens = N_TOKENS;
	r.chaos = chaos;
	r.n_chaos = N_CHAOS;
	r.rows = rows;
	r.n_rows = N_ROWS;
	svg = timeline_svg(&r, TIMELINE_WIDTH_MAX, &len);
	CHECK(well_formed(svg));
	CHECK(count(svg, "<g class=\"tl-token\">") == TW_TIMELINE_MAX_TOKENS);
	CHECK(count(svg, "<g class=\"tl-chaos\">") == TW_TIMELINE_MAX_CHAOS);
	CHECK(strstr(svg, "and 18 more tokens \xc2\xb7 and 24 earlier chaos events, not drawn") !=
	    NULL);
	/* The newest events are the ones drawn. */
	CHECK(strstr(svg, "Chaos: expire at 2026-01-01 10:00:00") == NULL);
	CHECK(strstr(svg, "Chaos: revoke at 2026-01-01 11:18:00 UTC") != NULL);
	/* The busiest row: its marks in at most TW_TIMELINE_MAX_MARKS pieces per kind. */
	for (p = svg; (p = strstr(p, "<path class=\"tl-")) != NULL; p++) {
		const char *end = strstr(p, "/>");
		size_t n = 0;

		for (const char *q = p; q < end; q++)
			n += *q == 'z';
		most = n > most ? n : most;
	}
	CHECK(most > 0 && most <= TW_TIMELINE_MAX_MARKS);
	CHECK(len < 256 * 1024);
	free(svg);
	free(tokens);
	free(chaos);
	free(rows);
}

/*
 * The largest picture a record can make: every row full, every mark kind
 * in every other slot, every string as long as it may be and all of it
 * escaped five bytes for one.  TIMELINE_MAX_BYTES is what a page may count on.
 */
static void
timeline_worst_case_is_bounded(void)
{
	enum { KINDS = 4, PER = TW_TIMELINE_MAX_MARKS / 2 };
	static const char *const kinds[KINDS][2] = {
		{ "validated", "" }, { "helix", "GET users" }, { "helix", "PATCH channels" },
		{ "helix_dead", "GET users" },
	};
	size_t n_rows = TW_TIMELINE_MAX_TOKENS * KINDS * PER, k = 0, len;
	struct token_life tokens[TW_TIMELINE_MAX_TOKENS];
	struct chaos_event chaos[TW_TIMELINE_MAX_CHAOS];
	struct store_audit_row *rows = calloc(n_rows, sizeof(*rows));
	const int64_t span = 100 * MIN, step = span / TW_TIMELINE_MAX_MARKS;
	struct audit_report r;
	char amps[TW_AUDIT_DETAIL_MAX + 1], id[TW_AUDIT_TOKEN_ID_LEN + 1];
	char *svg;

	memset(amps, '&', sizeof(amps) - 1);
	amps[sizeof(amps) - 1] = '\0';
	memset(&r, 0, sizeof(r));
	for (int i = 0; i < TW_TIMELINE_MAX_TOKENS; i++) {
		snprintf(id, sizeof(id), "&&&&&&&&&&%02u", (unsigned)i % 100u);
		tokens[i] = life(id, INT64_MAX - i, T0, T0 + span, T0 + span / 2, amps);
		for (int kind = 0; kind < KINDS; kind++)
			for (int s = 0; s < PER; s++) {
				int64_t at = T0 + (2 * s) * step + step / 2;

				rows[k++] = row(kinds[kind][0], 1, id, kinds[kind][1], 1, at, at);
			}
	}
	for (int i = 0; i < TW_TIMELINE_MAX_CHAOS; i++) {
		memset(&chaos[i], 0, sizeof(chaos[i]));
		chaos[i].at = T0 + i * (span / TW_TIMELINE_MAX_CHAOS);
		chaos[i].user_id = INT64_MAX;
		chaos[i].recovered = 1;
		chaos[i].recovered_after_ms = 5 * MIN;
		memcpy(chaos[i].reason, amps, sizeof(chaos[i].reason));
		memset(chaos[i].request, '&', TW_MAX_REQUEST_ID);
		memset(chaos[i].recovery_request, '&', TW_MAX_REQUEST_ID);
	}
	r.tokens = tokens;
	r.n_tokens = TW_TIMELINE_MAX_TOKENS;
	r.chaos = chaos;
	r.n_chaos = TW_TIMELINE_MAX_CHAOS;
	r.rows = rows;
	r.n_rows = n_rows;
	snprintf(r.client_id, sizeof(r.client_id), "%.*s", TW_ID_LEN, amps);
	for (size_t w = TIMELINE_WIDTH_MIN; w <= TIMELINE_WIDTH_MAX; w += 100) {
		svg = timeline_svg(&r, w, &len);
		CHECK(well_formed(svg));
		CHECK(count(svg, "<g class=\"tl-token\">") == TW_TIMELINE_MAX_TOKENS);
		CHECK(len < TIMELINE_MAX_BYTES);
		if (w == TIMELINE_WIDTH_MAX)
			printf("    (the largest picture: %zu bytes)\n", len);
		free(svg);
	}
	free(rows);
}

static void
timeline_checker_refuses_broken_xml(void)
{
	/* The checker itself: so that its yes means something. */
	CHECK(well_formed("<svg><g a=\"1\"/><text>a &amp; b</text></svg>\n"));
	CHECK(!well_formed("<svg><g></svg>"));
	CHECK(!well_formed("<svg><text>a & b</text></svg>"));
	CHECK(!well_formed("<svg><text a=\"<\">x</text></svg>"));
	CHECK(!well_formed("<svg><text>\x01</text></svg>"));
	CHECK(!well_formed("<svg><text>\xff</text></svg>"));
	CHECK(!well_formed("<svg></svg><svg></svg>"));
	CHECK(!well_formed("<svg><text a=1>x</text></svg>"));
}

void
suite_timeline(void)
{
	RUN(timeline_checker_refuses_broken_xml);
	RUN(timeline_draws_each_token_and_mark);
	RUN(timeline_unrecovered_chaos_says_so);
	RUN(timeline_escapes_what_the_record_holds);
	RUN(timeline_empty_says_nothing_yet);
	RUN(timeline_widths_are_clamped);
	RUN(timeline_is_bounded);
	RUN(timeline_worst_case_is_bounded);
}
