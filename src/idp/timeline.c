/*
 * The timeline picture; see timeline.h.
 *
 * Drawn in one pass after the layout is known: the layout (how many
 * legend lines, chaos lanes, token rows) is decided first, so the grid
 * and the chaos guide lines, which run through the rows, can be painted
 * under the bars.  Everything from the record (token ids, grants, chaos
 * reasons, request ids) goes through text(): escaped, cut at a number of
 * characters, and made valid XML whatever its bytes (bad UTF-8 and
 * control characters become U+FFFD), so the document always parses.
 *
 * Text widths are estimated (no font metrics here) at CHAR_EM of the font
 * size, generously, so a label is cut short with an ellipsis rather than
 * run past the edge.
 */
#include "timeline.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/buf.h"
#include "../common/limits.h"
#include "../common/xmalloc.h"
#include "audit.h"

/* Every part is bounded (timeline.h), so a larger picture is a bug of ours. */
#define TL_CAP		TIMELINE_MAX_BYTES

#define PAD		12.0	/* around the picture */
#define FONT		12.0	/* labels */
#define FONT_SMALL	11.0	/* ticks, the legend, chaos labels */
#define CHAR_EM		0.6	/* a character's estimated width, in ems */
#define LEGEND_LINE	20.0
#define LANE_H		20.0	/* one lane of chaos events */
#define MAX_LANES	4	/* more events than fit share the emptiest lane */
#define AXIS_H		20.0	/* tick labels over the axis line */
#define BAR_H		16.0
#define ROW_LABEL_H	18.0	/* a row's label, above its bar */
#define ROW_H		(ROW_LABEL_H + BAR_H + 12.0)
#define NOTE_H		22.0	/* a line of text under the rows */
#define SLOT_MIN_W	3.0	/* px a mark slot takes at least */
#define TICK_MIN_W	72.0	/* px between time ticks at least */
#define NARROW		600.0	/* a picture narrower than this says things shorter */
#define MIN_SPAN_MS	10000	/* the axis covers this much at least */

#define C_TEXT		"#18181b"
#define C_MUTED		"#5c5c66"
#define C_BG		"#ffffff"
#define C_GRID		"#e3e3e8"
#define C_AXIS		"#a1a1aa"
#define C_LIVE		"#ddd6fe"	/* a token in use */
#define C_DEAD		"#fecaca"	/* ... after its first 401 */
#define C_CHAOS		"#c026d3"
#define C_RECOVERED	"#16a34a"
#define C_BAD		"#dc2626"

/* Text over lines (guide lines cross labels): an outline of the background first. */
#define HALO	"<g class=\"tl-halo\" stroke=\"" C_BG "\" stroke-width=\"3\" " \
	"stroke-linejoin=\"round\" paint-order=\"stroke\">"

/* What a mark on a bar says: the fact's kind, Helix reads and writes apart. */
enum mark {
	MARK_VALIDATED,
	MARK_READ,
	MARK_WRITE,
	MARK_DEAD,
	MARK__MAX
};

/* How each mark looks (top and bottom against the bar's top), in painting order. */
static const struct mark_look {
	const char	*cls;
	const char	*fill;
	double		 top, bottom;
	const char	*legend;
} marks[MARK__MAX] = {
	[MARK_VALIDATED] = { "tl-validated", "#0f766e", -4, 7, "validated" },
	[MARK_READ] = { "tl-read", "#2563eb", 9, BAR_H, "Helix call" },
	[MARK_WRITE] = { "tl-write", "#d97706", 9, BAR_H + 4, "Helix write (not GET)" },
	[MARK_DEAD] = { "tl-401", C_BAD, -3, BAR_H + 3, "401: a dead token" },
};

struct tl {
	struct buf	 b;
	double		 w, h;
	double		 x0, x1;	/* the time axis's ends, px */
	int64_t		 t0, t1;	/* ... in ms */
	int64_t		 first, last;	/* the first fact and the last, ms */
	size_t		 slots;		/* mark slots across */
};

/* A chaos event placed in its lane. */
struct placed {
	const struct chaos_event	*ev;
	double				 x, rx;		/* the event; its recovery, or -1 */
	double				 label_x;
	int				 label_end;	/* the label ends at label_x */
	size_t				 lane;
	char				 label[TW_AUDIT_DETAIL_MAX + 64];
};

static void
add(struct tl *t, const char *p, size_t n)
{
	if (buf_add(&t->b, p, n) == -1)
		fatal("timeline larger than %d bytes", TL_CAP);
}

static void
raw(struct tl *t, const char *s)
{
	add(t, s, strlen(s));
}

static void rawf(struct tl *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* raw with printf formatting; every %s must be ours, not the record's. */
static void
rawf(struct tl *t, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		fatal("timeline: line too long");
	add(t, line, (size_t)n);
}

/*
 * The UTF-8 character at p (n bytes left): its length, *cp its code point;
 * 0 for a byte that starts none (overlong, a surrogate, past U+10FFFF).
 */
static size_t
utf8_char(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, c = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Characters in s as text() counts them. */
static size_t
text_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), chars = 0;
	uint32_t cp;

	while (n > 0) {
		size_t k = utf8_char(p, n, &cp);

		k = k ? k : 1;
		p += k, n -= k, chars++;
	}
	return chars;
}

/*
 * Appends s as XML character data (fit for a quoted attribute too), at
 * most max characters of it, the last an ellipsis when it is cut: & < > "
 * ' as references; what is not UTF-8, a control character, U+FFFE or
 * U+FFFF (none allowed in XML) as U+FFFD.
 */
static void
text(struct tl *t, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), left = max;
	int cut = text_chars(s) > max;
	uint32_t cp;

	if (cut && max > 0)
		left = max - 1;
	while (n > 0 && left > 0) {
		size_t k = utf8_char(p, n, &cp);

		if (k == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0xfffe ||
		    cp == 0xffff)
			raw(t, "\xef\xbf\xbd");
		else if (cp == '&')
			raw(t, "&amp;");
		else if (cp == '<')
			raw(t, "&lt;");
		else if (cp == '>')
			raw(t, "&gt;");
		else if (cp == '"')
			raw(t, "&quot;");
		else if (cp == '\'')
			raw(t, "&#39;");
		else
			add(t, (const char *)p, k);
		k = k ? k : 1;
		p += k, n -= k, left--;
	}
	if (cut && max > 0)
		raw(t, "\xe2\x80\xa6");
}

/* The characters of font size that fit in px. */
static size_t
fit_chars(double px, double size)
{
	return px <= 0 ? 0 : (size_t)(px / (size * CHAR_EM));
}

static double
text_w(size_t chars, double size)
{
	return (double)chars * size * CHAR_EM;
}

/* How utc() writes a time. */
enum when {
	WHEN_FULL,	/* 2026-05-01 10:42:30 */
	WHEN_DAY_TIME,	/* 2026-05-01, 10:42:30 */
	WHEN_SECONDS,	/* 10:42:30 */
	WHEN_MINUTES,	/* 10:42 */
	WHEN_DAY,	/* 05-01 */
};

/* ms as UTC, the way how says (strftime's formats written out: they are checked). */
static void
utc(int64_t ms, enum when how, char *out, size_t len)
{
	time_t tt = (time_t)(ms / 1000);
	struct tm tm;
	size_t n = 0;

	if (gmtime_r(&tt, &tm) != NULL)
		switch (how) {
		case WHEN_FULL:
			n = strftime(out, len, "%Y-%m-%d %H:%M:%S", &tm);
			break;
		case WHEN_DAY_TIME:
			n = strftime(out, len, "%Y-%m-%d, %H:%M:%S", &tm);
			break;
		case WHEN_SECONDS:
			n = strftime(out, len, "%H:%M:%S", &tm);
			break;
		case WHEN_MINUTES:
			n = strftime(out, len, "%H:%M", &tm);
			break;
		case WHEN_DAY:
			n = strftime(out, len, "%m-%d", &tm);
			break;
		}
	if (n == 0)
		snprintf(out, len, "?");
}

/* "0.4 s", "12 s", "5 min", "2 h 5 min". */
static void
duration(int64_t ms, char *out, size_t len)
{
	long long s = (long long)((ms + 500) / 1000);

	if (ms < 10000 && ms % 1000 != 0)
		snprintf(out, len, "%.1f s", (double)ms / 1000.0);
	else if (s < 120)
		snprintf(out, len, "%lld s", s);
	else if (s < 7200)
		snprintf(out, len, "%lld min", s / 60);
	else
		snprintf(out, len, "%lld h %lld min", s / 3600, s / 60 % 60);
}

static int64_t
life_start(const struct token_life *l)
{
	return l->issued_at > 0 ? l->issued_at : l->first_seen;
}

static int64_t
life_end(const struct token_life *l)
{
	int64_t end = l->last_seen > l->dead_at ? l->last_seen : l->dead_at;

	return end > life_start(l) ? end : life_start(l);
}

/* The tokens most worth a row first: those that died, then the latest seen. */
static int
by_interest(const void *a, const void *b)
{
	const struct token_life *x = *(const struct token_life *const *)a;
	const struct token_life *y = *(const struct token_life *const *)b;

	if ((x->dead_at != 0) != (y->dead_at != 0))
		return x->dead_at != 0 ? -1 : 1;
	if (life_end(x) != life_end(y))
		return life_end(x) > life_end(y) ? -1 : 1;
	return strcmp(x->token_id, y->token_id);
}

static int
by_start(const void *a, const void *b)
{
	const struct token_life *x = *(const struct token_life *const *)a;
	const struct token_life *y = *(const struct token_life *const *)b;

	if (life_start(x) != life_start(y))
		return life_start(x) < life_start(y) ? -1 : 1;
	return strcmp(x->token_id, y->token_id);
}

static int
by_at(const void *a, const void *b)
{
	const struct chaos_event *x = *(const struct chaos_event *const *)a;
	const struct chaos_event *y = *(const struct chaos_event *const *)b;

	return x->at < y->at ? -1 : x->at > y->at;
}

static void
widen(int64_t *lo, int64_t *hi, int64_t t)
{
	if (t <= 0)
		return;
	if (*lo == 0 || t < *lo)
		*lo = t;
	if (t > *hi)
		*hi = t;
}

/*
 * The axis's ends: the facts' first and last, a little apart, at least
 * MIN_SPAN_MS apart.  Not r->since: a record asked for since a day ago
 * that holds five minutes would be a picture of empty space.  0 when
 * there is nothing to draw.
 */
static int
axis_span(const struct audit_report *r, struct tl *t)
{
	int64_t lo = 0, hi = 0, pad;

	for (size_t i = 0; i < r->n_rows; i++) {
		widen(&lo, &hi, r->rows[i].first_at);
		widen(&lo, &hi, r->rows[i].last_at);
	}
	for (size_t i = 0; i < r->n_tokens; i++) {
		widen(&lo, &hi, life_start(&r->tokens[i]));
		widen(&lo, &hi, life_end(&r->tokens[i]));
	}
	for (size_t i = 0; i < r->n_chaos; i++) {
		widen(&lo, &hi, r->chaos[i].at);
		if (r->chaos[i].recovered)
			widen(&lo, &hi, r->chaos[i].at + r->chaos[i].recovered_after_ms);
	}
	if (lo == 0)
		return 0;
	t->first = lo;
	t->last = hi;
	if (hi - lo < MIN_SPAN_MS) {
		int64_t more = MIN_SPAN_MS - (hi - lo);

		lo -= more / 2;
		hi += more - more / 2;
	}
	pad = (hi - lo) / 40;
	t->t0 = lo - pad;
	t->t1 = hi + pad;
	return 1;
}

static double
x_of(const struct tl *t, int64_t ms)
{
	double f = (double)(ms - t->t0) / (double)(t->t1 - t->t0);

	f = f < 0 ? 0 : f > 1 ? 1 : f;
	return t->x0 + f * (t->x1 - t->x0);
}

static size_t
slot_of(const struct tl *t, int64_t ms)
{
	double f = (double)(ms - t->t0) / (double)(t->t1 - t->t0);
	size_t s;

	f = f < 0 ? 0 : f;
	s = (size_t)(f * (double)t->slots);
	return s < t->slots ? s : t->slots - 1;
}

/* ---- the legend ---- */

enum swatch {
	SW_LIVE,
	SW_DEAD,
	SW_MARK,	/* + a mark */
	SW_CHAOS,
	SW_RECOVERED,
};

static const struct legend_item {
	enum swatch	 swatch;
	enum mark	 mark;
	const char	*label;
} legend[] = {
	{ SW_LIVE, 0, "token in use" },
	{ SW_DEAD, 0, "after its first 401" },
	{ SW_MARK, MARK_VALIDATED, NULL },
	{ SW_MARK, MARK_READ, NULL },
	{ SW_MARK, MARK_WRITE, NULL },
	{ SW_MARK, MARK_DEAD, NULL },
	{ SW_CHAOS, 0, "chaos: twauth ended a token" },
	{ SW_RECOVERED, 0, "recovered: a good call with a new token" },
};
#define N_LEGEND	(sizeof(legend) / sizeof(legend[0]))
#define SWATCH_W	20.0

static const char *
legend_label(const struct legend_item *it)
{
	return it->label ? it->label : marks[it->mark].legend;
}

/* Lays out (draw 0) or draws the legend from y; returns its height. */
static double
draw_legend(struct tl *t, double y, int draw)
{
	double x = t->x0, line = 0;

	for (size_t i = 0; i < N_LEGEND; i++) {
		const struct legend_item *it = &legend[i];
		const char *label = legend_label(it);
		double w = SWATCH_W + 5 + text_w(strlen(label), FONT_SMALL);
		double top, mid;

		if (x > t->x0 && x + w > t->x1) {
			x = t->x0;
			line++;
		}
		top = y + line * LEGEND_LINE + 3;
		mid = top + 7;
		if (draw) {
			switch (it->swatch) {
			case SW_LIVE:
			case SW_DEAD:
				rawf(t, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" "
				    "height=\"10\" rx=\"2\" fill=\"%s\"/>", it->swatch == SW_LIVE ?
				    "tl-live" : "tl-dead", x, top + 2, SWATCH_W, it->swatch ==
				    SW_LIVE ? C_LIVE : C_DEAD);
				break;
			case SW_MARK:
				/* The mark on a piece of bar, as it looks in a row, at 5/8 scale. */
				rawf(t, "<rect class=\"tl-live\" x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" "
				    "height=\"10\" rx=\"2\" fill=\"" C_LIVE "\"/><rect x=\"%.1f\" "
				    "y=\"%.1f\" width=\"3\" height=\"%.1f\" fill=\"%s\"/>", x, top + 2,
				    SWATCH_W, x + SWATCH_W / 2 - 1.5, top + 2 + marks[it->mark].top *
				    0.625, (marks[it->mark].bottom - marks[it->mark].top) * 0.625,
				    marks[it->mark].fill);
				break;
			case SW_CHAOS:
				rawf(t, "<path d=\"M%.1f %.1fh10l-5 8z\" fill=\"" C_CHAOS "\"/>"
				    "<path d=\"M%.1f %.1fv6\" stroke=\"" C_CHAOS "\" stroke-width=\"1.5\" "
				    "stroke-dasharray=\"2 2\"/>", x + 5, top, x + 10, top + 8);
				break;
			case SW_RECOVERED:
				rawf(t, "<path d=\"M%.1f %.1fh12\" stroke=\"" C_RECOVERED "\" "
				    "stroke-width=\"2\"/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
				    "fill=\"" C_RECOVERED "\"/>", x + 2, mid, x + 15, mid);
				break;
			}
			rawf(t, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\">%s</text>\n",
			    x + SWATCH_W + 5, mid + 4, FONT_SMALL, label);
		}
		x += w + 14;
	}
	return (line + 1) * LEGEND_LINE;
}

/* ---- the time axis ---- */

static const int64_t steps_ms[] = {
	1000, 2000, 5000, 10000, 15000, 30000,
	60000, 2 * 60000, 5 * 60000, 10 * 60000, 15 * 60000, 30 * 60000,
	3600000, 2 * 3600000, 3 * 3600000, 6 * 3600000, 12 * 3600000,
	86400000, 2 * 86400000LL, 7 * 86400000LL, 14 * 86400000LL, 28 * 86400000LL,
};

/* Ticks at round UTC times, as many as fit labels; grid lines down to bottom. */
static void
draw_axis(struct tl *t, double y, double bottom)
{
	size_t fit = (size_t)((t->x1 - t->x0) / TICK_MIN_W) + 1;
	int64_t step = 0, span = t->t1 - t->t0, first;
	enum when how;

	for (size_t i = 0; i < sizeof(steps_ms) / sizeof(steps_ms[0]) && step == 0; i++)
		if (span / steps_ms[i] + 1 <= (int64_t)fit)
			step = steps_ms[i];
	if (step == 0)	/* longer than the list thought of: whole days */
		step = (span / (int64_t)fit / 86400000 + 1) * 86400000;
	how = step < 60000 ? WHEN_SECONDS : step < 86400000 ? WHEN_MINUTES : WHEN_DAY;
	first = (t->t0 / step + 1) * step;
	rawf(t, "<path class=\"tl-grid\" d=\"M%.1f %.1fH%.1f\" stroke=\"" C_AXIS "\"/>\n", t->x0,
	    y + AXIS_H, t->x1);
	for (int64_t at = first; at < t->t1; at += step) {
		double x = x_of(t, at), half;
		char label[32];
		const char *anchor = "middle";

		/* A day's first tick says which day it is. */
		utc(at, step < 86400000 && at % 86400000 == 0 ? WHEN_DAY : how, label,
		    sizeof(label));
		half = text_w(strlen(label), FONT_SMALL) / 2;
		if (x - half < t->x0 - 4)
			anchor = "start";
		else if (x + half > t->x1 + 4)
			anchor = "end";
		rawf(t, "<path class=\"tl-grid\" d=\"M%.1f %.1fV%.1f\" stroke=\"" C_GRID "\"/>"
		    "<text class=\"tl-muted\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" "
		    "text-anchor=\"%s\" fill=\"" C_MUTED "\">%s</text>\n", x, y + AXIS_H - 4, bottom,
		    x, y + 12, FONT_SMALL, anchor, label);
	}
}

/* ---- chaos events ---- */

/*
 * The label and place of p (x and rx set): right of it if it fits, else
 * left; from and to, what it covers.  Narrow pictures say it shorter.
 */
static void
chaos_label(const struct tl *t, struct placed *p, double *from, double *to)
{
	const struct chaos_event *ev = p->ev;
	char after[32];
	double w, right = p->rx >= 0 ? p->rx : p->x;
	int narrow = t->w < NARROW;

	if (ev->recovered) {
		duration(ev->recovered_after_ms, after, sizeof(after));
		snprintf(p->label, sizeof(p->label), "%s \xc2\xb7 %s%s", ev->reason, narrow ?
		    "back in " : "recovered in ", after);
	} else
		snprintf(p->label, sizeof(p->label), "%s \xc2\xb7 %s", ev->reason, narrow ?
		    "no recovery" : "not recovered");
	w = text_w(text_chars(p->label), FONT_SMALL);
	if (right + 8 + w <= t->x1 || p->x - 8 - w < t->x0) {
		p->label_x = right + 8;
		p->label_end = 0;
		*from = p->x - 6;
		*to = right + 8 + w;
	} else {
		p->label_x = p->x - 8;
		p->label_end = 1;
		*from = p->x - 8 - w;
		*to = right + 6;
	}
}

/*
 * Places the events (by time) in lanes where their labels do not overlap;
 * with every lane taken, an event goes without its label (its title still
 * says it all) in the lane that ends first.  Returns the lanes used.
 */
static size_t
place_chaos(const struct tl *t, struct placed *p, size_t n)
{
	double lane_end[MAX_LANES];
	size_t used = 0;

	for (size_t i = 0; i < n; i++) {
		const struct chaos_event *ev = p[i].ev;
		double from, to;
		size_t lane = MAX_LANES;

		p[i].x = x_of(t, ev->at);
		p[i].rx = ev->recovered ? x_of(t, ev->at + ev->recovered_after_ms) : -1;
		chaos_label(t, &p[i], &from, &to);
		for (size_t l = 0; l < used && lane == MAX_LANES; l++)
			if (lane_end[l] + 6 <= from)
				lane = l;
		if (lane == MAX_LANES && used < MAX_LANES)
			lane = used++;
		if (lane == MAX_LANES) {
			lane = 0;
			for (size_t l = 1; l < used; l++)
				if (lane_end[l] < lane_end[lane])
					lane = l;
			p[i].label[0] = '\0';
			to = (p[i].rx >= 0 ? p[i].rx : p[i].x) + 6;
			to = to > lane_end[lane] ? to : lane_end[lane];
		}
		p[i].lane = lane;
		lane_end[lane] = to;
	}
	return used;
}

/* The guide lines of each event and its recovery, from its lane down to bottom. */
static void
draw_chaos_lines(struct tl *t, const struct placed *p, size_t n, double top, double bottom)
{
	for (size_t i = 0; i < n; i++) {
		double y = top + (double)p[i].lane * LANE_H + LANE_H / 2;

		rawf(t, "<path d=\"M%.1f %.1fV%.1f\" stroke=\"" C_CHAOS "\" stroke-width=\"1.5\" "
		    "stroke-dasharray=\"4 3\"/>\n", p[i].x, y + 3, bottom);
		if (p[i].rx >= 0)
			rawf(t, "<path d=\"M%.1f %.1fV%.1f\" stroke=\"" C_RECOVERED "\" "
			    "stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>\n", p[i].rx, y, bottom);
	}
}

static void
draw_chaos(struct tl *t, const struct placed *p, size_t n, double top)
{
	for (size_t i = 0; i < n; i++) {
		const struct chaos_event *ev = p[i].ev;
		double y = top + (double)p[i].lane * LANE_H + LANE_H / 2;
		char when[32], after[32];

		utc(ev->at, WHEN_FULL, when, sizeof(when));
		raw(t, "<g class=\"tl-chaos\"><title>Chaos: ");
		text(t, ev->reason, TW_AUDIT_DETAIL_MAX);
		rawf(t, " at %s UTC", when);
		if (ev->user_id != 0)
			rawf(t, ", user %lld", (long long)ev->user_id);
		if (ev->request[0] != '\0') {
			raw(t, " (request ");
			text(t, ev->request, TW_MAX_REQUEST_ID);
			raw(t, ")");
		}
		if (ev->recovered) {
			duration(ev->recovered_after_ms, after, sizeof(after));
			rawf(t, ". Recovered %s later", after);
			if (ev->recovery_request[0] != '\0') {
				raw(t, " (request ");
				text(t, ev->recovery_request, TW_MAX_REQUEST_ID);
				raw(t, ")");
			}
			raw(t, ".");
		} else
			raw(t, ". No good call with a newer token followed.");
		raw(t, "</title>");
		if (p[i].rx >= 0)
			rawf(t, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"" C_RECOVERED "\" "
			    "stroke-width=\"2\"/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\""
			    C_RECOVERED "\"/>", p[i].x, y, p[i].rx, p[i].rx, y);
		rawf(t, "<path d=\"M%.1f %.1fh10l-5 8z\" fill=\"" C_CHAOS "\"/>", p[i].x - 5,
		    y - 5);
		if (p[i].label[0] != '\0') {
			raw(t, HALO);
			rawf(t, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\"%s%s>", p[i].label_x,
			    y + 4, FONT_SMALL, p[i].label_end ? " text-anchor=\"end\"" : "",
			    ev->recovered ? "" : " fill=\"" C_BAD "\"");
			text(t, p[i].label, sizeof(p[i].label));
			raw(t, "</text></g>");
		}
		raw(t, "</g>\n");
	}
}

/* ---- token rows ---- */

/* The mark a record row makes on its token's bar, or MARK__MAX for none. */
static enum mark
mark_of(const struct store_audit_row *row)
{
	enum audit_kind kind;

	if (audit_kind_parse(row->kind, &kind) == -1)
		return MARK__MAX;	/* a newer server's kind */
	switch (kind) {
	case AUDIT_VALIDATED:
		return MARK_VALIDATED;
	case AUDIT_HELIX:
		return strncmp(row->detail, "GET ", 4) == 0 ? MARK_READ : MARK_WRITE;
	case AUDIT_HELIX_DEAD:
	case AUDIT_VALIDATE_DEAD:
		return MARK_DEAD;
	default:
		return MARK__MAX;
	}
}

/* The marks of one token's row: slots hit, facts counted, per mark. */
struct row_marks {
	unsigned char	 on[MARK__MAX][TW_TIMELINE_MAX_MARKS];
	int64_t		 count[MARK__MAX];
};

static void
collect_marks(const struct tl *t, const struct audit_report *r, const struct token_life *l,
    struct row_marks *m)
{
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct store_audit_row *row = &r->rows[i];
		enum mark k;
		size_t a, b;

		if (row->token_id[0] == '\0' || strcmp(row->token_id, l->token_id) != 0 ||
		    (k = mark_of(row)) == MARK__MAX)
			continue;
		m->count[k] += row->count;
		a = slot_of(t, row->first_at);
		b = slot_of(t, row->last_at > row->first_at ? row->last_at : row->first_at);
		/* Two facts are two marks; more, one stretch: the row holds no times between. */
		if (row->count <= 2) {
			m->on[k][a] = m->on[k][b] = 1;
			continue;
		}
		for (size_t s = a; s <= b; s++)
			m->on[k][s] = 1;
	}
}

/* "user 42 · token ab12… · authorization_code" (the record's strings: escape it). */
static void
row_label(const struct token_life *l, char *out, size_t len)
{
	char who[32];

	if (l->user_id != 0)
		snprintf(who, sizeof(who), "user %lld", (long long)l->user_id);
	else
		snprintf(who, sizeof(who), "app token");
	snprintf(out, len, "%s \xc2\xb7 %s%s%s", who, l->token_id, l->grant[0] ? " \xc2\xb7 " :
	    "", l->grant);
}

/* "3 validations · 12 Helix calls (2 writes) · 4 × 401", ours only. */
static void
row_counts(const struct row_marks *m, char *out, size_t len)
{
	long long v = m->count[MARK_VALIDATED], w = m->count[MARK_WRITE];
	long long calls = m->count[MARK_READ] + w, dead = m->count[MARK_DEAD];
	size_t n = 0;

	out[0] = '\0';
	if (v > 0)
		n += (size_t)snprintf(out + n, len - n, "%lld validation%s", v, v == 1 ? "" : "s");
	if (calls > 0 && n < len) {
		n += (size_t)snprintf(out + n, len - n, "%s%lld Helix call%s", n ? " \xc2\xb7 " : "",
		    calls, calls == 1 ? "" : "s");
		if (w > 0 && n < len)
			n += (size_t)snprintf(out + n, len - n, " (%lld write%s)", w, w == 1 ? "" :
			    "s");
	}
	if (dead > 0 && n < len)
		n += (size_t)snprintf(out + n, len - n, "%s%lld \xc3\x97 401", n ? " \xc2\xb7 " : "", dead);
}

/* A rectangle of a mark's path: x, y, width, height. */
static void
rect_path(struct tl *t, double x, double y, double w, double h)
{
	rawf(t, "M%.1f %.1fh%.1fv%.1fh-%.1fz", x, y, w, h, w);
}

/*
 * Each kind's marks as one path: a slot's facts a tick in its middle; a
 * run of slots (a minute's many facts, or neighbours) a tick at each end
 * joined by a thin band, so that it reads "from here to there", not as
 * one long fact.  At most one rectangle per slot.
 */
static void
draw_marks(struct tl *t, const struct row_marks *m, double bar_y)
{
	double sw = (t->x1 - t->x0) / (double)t->slots;

	for (int k = 0; k < MARK__MAX; k++) {
		double top = bar_y + marks[k].top, h = marks[k].bottom - marks[k].top;
		int any = 0;

		for (size_t s = 0; s < t->slots; s++) {
			size_t e = s;
			double xs, xe;

			if (!m->on[k][s])
				continue;
			while (e + 1 < t->slots && m->on[k][e + 1])
				e++;
			if (!any)
				rawf(t, "<path class=\"%s\" fill=\"%s\" d=\"", marks[k].cls,
				    marks[k].fill);
			any = 1;
			xs = t->x0 + ((double)s + 0.5) * sw;
			xe = t->x0 + ((double)e + 0.5) * sw;
			rect_path(t, xs - 1.25, top, 2.5, h);
			if (e > s) {
				rect_path(t, xs, top + h / 2 - 1.5, xe - xs, 3);
				rect_path(t, xe - 1.25, top, 2.5, h);
			}
			s = e;
		}
		if (any)
			raw(t, "\"/>\n");
	}
}

static void
draw_row(struct tl *t, const struct audit_report *r, const struct token_life *l, double y)
{
	struct row_marks m;
	char label[TW_AUDIT_TOKEN_ID_LEN + TW_AUDIT_DETAIL_MAX + 64], counts[160], when[32];
	double bar_y = y + ROW_LABEL_H, xs = x_of(t, life_start(l)), xe = x_of(t, life_end(l));
	double xd = l->dead_at ? x_of(t, l->dead_at) : xe, avail = t->x1 - t->x0;
	size_t label_chars;

	collect_marks(t, r, l, &m);
	row_label(l, label, sizeof(label));
	row_counts(&m, counts, sizeof(counts));
	raw(t, "<g class=\"tl-token\"><title>");
	text(t, label, sizeof(label));
	utc(life_start(l), WHEN_FULL, when, sizeof(when));
	rawf(t, ": %s %s UTC", l->issued_at ? "issued" : "first seen", when);
	utc(l->last_seen, WHEN_SECONDS, when, sizeof(when));
	rawf(t, ", last seen %s", when);
	if (l->dead_at) {
		utc(l->dead_at, WHEN_SECONDS, when, sizeof(when));
		rawf(t, ", first 401 at %s", when);
	}
	rawf(t, "%s%s</title>\n", counts[0] ? ". " : "", counts);

	/* The counts go right of the label when both fit; else the label alone. */
	label_chars = text_chars(label);
	if (counts[0] && text_w(label_chars + text_chars(counts) + 3, FONT) > avail)
		counts[0] = '\0';
	raw(t, HALO);
	rawf(t, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\">", t->x0, y + 12, FONT);
	text(t, label, fit_chars(avail, FONT));
	raw(t, "</text>");
	if (counts[0])
		rawf(t, "<text class=\"tl-muted\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" "
		    "text-anchor=\"end\" fill=\"" C_MUTED "\">%s</text>", t->x1, y + 12, FONT, counts);
	raw(t, "</g>\n");

	if (xe - xs < 6)
		xe = xs + 6;
	if (xd > xe)
		xd = xe;
	rawf(t, "<rect class=\"tl-live\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" "
	    "rx=\"3\" fill=\"" C_LIVE "\"/>", xs, bar_y, xd - xs < 1 ? 1 : xd - xs, BAR_H);
	if (l->dead_at)
		rawf(t, "<rect class=\"tl-dead\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.0f\" rx=\"3\" fill=\"" C_DEAD "\"/>", xd, bar_y, xe - xd < 3 ? 3 :
		    xe - xd, BAR_H);
	raw(t, "\n");
	draw_marks(t, &m, bar_y);
	raw(t, "</g>\n");
}

/* ---- the picture ---- */

/* "2026-05-01, 10:00:12 – 10:42:30 UTC", the day twice only when it changes. */
static void
header(struct tl *t, double y)
{
	char a[32], b[32];

	utc(t->first, WHEN_DAY_TIME, a, sizeof(a));
	utc(t->last, t->first / 86400000 == t->last / 86400000 ? WHEN_SECONDS : WHEN_DAY_TIME, b,
	    sizeof(b));
	rawf(t, "<text class=\"tl-muted\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" fill=\""
	    C_MUTED "\">%s \xe2\x80\x93 %s UTC</text>\n", t->x0, y + 12, FONT, a, b);
}

/* The document: the root element, its title and background, then what t holds. */
static char *
finish(struct tl *t, const struct audit_report *r, size_t *len)
{
	struct tl doc;

	memset(&doc, 0, sizeof(doc));
	buf_init(&doc.b, TL_CAP);
	rawf(&doc, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" "
	    "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" ", t->w,
	    t->h, t->w, t->h);
	raw(&doc, "font-family=\"system-ui,-apple-system,Segoe UI,Roboto,sans-serif\" "
	    "fill=\"" C_TEXT "\">\n<title>Timeline of the app ");
	text(&doc, r->client_id, TW_ID_LEN);
	rawf(&doc, "</title>\n<rect class=\"tl-bg\" width=\"%.0f\" height=\"%.0f\" fill=\""
	    C_BG "\"/>\n", t->w, t->h);
	add(&doc, t->b.data, t->b.len);
	raw(&doc, "</svg>\n");
	buf_free(&t->b);
	*len = doc.b.len;
	return doc.b.data;
}

static char *
empty(struct tl *t, const struct audit_report *r, size_t *len)
{
	t->h = 96;
	rawf(t, "<text x=\"%.1f\" y=\"44\" font-size=\"15\" text-anchor=\"middle\">Nothing "
	    "recorded yet</text>\n<text class=\"tl-muted\" x=\"%.1f\" y=\"66\" font-size=\"%.0f\" "
	    "text-anchor=\"middle\" fill=\"" C_MUTED "\">", t->w / 2, t->w / 2, FONT_SMALL);
	text(t, "The app's requests show here a second after they are made.",
	    fit_chars(t->w - 2 * PAD, FONT_SMALL));
	raw(t, "</text>\n");
	return finish(t, r, len);
}

char *
timeline_svg(const struct audit_report *r, size_t width, size_t *len)
{
	const struct token_life *tokens[TW_TIMELINE_MAX_TOKENS];
	const struct token_life **all = NULL;
	const struct chaos_event **evs = NULL;
	struct placed placed[TW_TIMELINE_MAX_CHAOS];
	size_t n_tokens, n_chaos, lanes;
	double y, legend_y, lanes_y, axis_y, rows_y, bottom;
	struct tl t;
	char *svg;

	memset(&t, 0, sizeof(t));
	width = width == 0 ? TIMELINE_WIDTH_DEFAULT : width;
	width = width < TIMELINE_WIDTH_MIN ? TIMELINE_WIDTH_MIN : width;
	width = width > TIMELINE_WIDTH_MAX ? TIMELINE_WIDTH_MAX : width;
	t.w = (double)width;
	t.x0 = PAD;
	t.x1 = t.w - PAD;
	buf_init(&t.b, TL_CAP);
	if (!axis_span(r, &t))
		return empty(&t, r, len);
	t.slots = (size_t)((t.x1 - t.x0) / SLOT_MIN_W);
	t.slots = t.slots > TW_TIMELINE_MAX_MARKS ? TW_TIMELINE_MAX_MARKS : t.slots;

	/* The rows: the most telling tokens, drawn in the order they began. */
	all = xcalloc(r->n_tokens + 1, sizeof(*all));
	for (size_t i = 0; i < r->n_tokens; i++)
		all[i] = &r->tokens[i];
	qsort(all, r->n_tokens, sizeof(*all), by_interest);
	n_tokens = r->n_tokens < TW_TIMELINE_MAX_TOKENS ? r->n_tokens : TW_TIMELINE_MAX_TOKENS;
	memcpy(tokens, all, n_tokens * sizeof(*all));
	qsort(tokens, n_tokens, sizeof(*tokens), by_start);

	/* The chaos events: the newest, by time. */
	evs = xcalloc(r->n_chaos + 1, sizeof(*evs));
	for (size_t i = 0; i < r->n_chaos; i++)
		evs[i] = &r->chaos[i];
	qsort(evs, r->n_chaos, sizeof(*evs), by_at);
	n_chaos = r->n_chaos < TW_TIMELINE_MAX_CHAOS ? r->n_chaos : TW_TIMELINE_MAX_CHAOS;
	for (size_t i = 0; i < n_chaos; i++) {
		memset(&placed[i], 0, sizeof(placed[i]));
		placed[i].ev = evs[r->n_chaos - n_chaos + i];
	}
	lanes = place_chaos(&t, placed, n_chaos);

	/* The layout, top to bottom. */
	y = PAD;
	legend_y = y + 22;
	axis_y = legend_y + draw_legend(&t, legend_y, 0) + 4;
	lanes_y = axis_y + AXIS_H + 4;
	rows_y = lanes_y + (double)lanes * LANE_H + 4;
	bottom = rows_y + (n_tokens ? (double)n_tokens * ROW_H : NOTE_H);
	t.h = bottom + (n_tokens < r->n_tokens || n_chaos < r->n_chaos ? NOTE_H : 0) + PAD;

	/* Painted back to front: the grid and guide lines under the bars, chaos over them. */
	header(&t, y);
	draw_legend(&t, legend_y, 1);
	draw_axis(&t, axis_y, bottom);
	draw_chaos_lines(&t, placed, n_chaos, lanes_y, bottom);
	for (size_t i = 0; i < n_tokens; i++)
		draw_row(&t, r, tokens[i], rows_y + (double)i * ROW_H);
	if (n_tokens == 0)
		rawf(&t, "<text class=\"tl-muted\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" "
		    "fill=\"" C_MUTED "\">No token in this record yet.</text>\n", t.x0, rows_y + 14,
		    FONT);
	draw_chaos(&t, placed, n_chaos, lanes_y);
	if (n_tokens < r->n_tokens || n_chaos < r->n_chaos) {
		size_t more = r->n_tokens - n_tokens, earlier = r->n_chaos - n_chaos;
		char note[160];
		size_t n = 0;

		note[0] = '\0';
		if (more > 0)
			n += (size_t)snprintf(note, sizeof(note), "and %zu more token%s", more,
			    more == 1 ? "" : "s");
		if (earlier > 0)
			snprintf(note + n, sizeof(note) - n, "%sand %zu earlier chaos event%s",
			    n ? " \xc2\xb7 " : "", earlier, earlier == 1 ? "" : "s");
		rawf(&t, "<text class=\"tl-muted\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" "
		    "fill=\"" C_MUTED "\">", t.x0, bottom + 14, FONT);
		text(&t, note, fit_chars(t.x1 - t.x0, FONT));
		raw(&t, ", not drawn</text>\n");
	}
	svg = finish(&t, r, len);
	free(all);
	free(evs);
	return svg;
}
