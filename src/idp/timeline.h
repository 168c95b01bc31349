/*
 * The timeline: an app's record (rules.h) as one SVG picture a person
 * reads at a glance, for the console's "Twitch rules" page (inline) and
 * `twauth app audit --svg` (a file).  Time runs left to right, in UTC;
 * each token is a bar from its issue (or first sight) to its last use,
 * red from its first 401 on, marked where it was validated, used at Helix
 * (reads and writes apart) and refused; above the bars, each chaos event
 * and the recovery that followed it, joined by a line; a legend on top.
 *
 * The picture is a standalone SVG document (no XML declaration, so the
 * same text may be inlined in HTML): no script, no reference to anything
 * outside it, no style attribute (pages allow style-src 'self' only), so
 * colours are presentation attributes.  What must follow a page's light
 * or dark theme carries a class a stylesheet may override: the root
 * (class "timeline", its fill the text colour), tl-bg, tl-muted, tl-grid,
 * tl-live and tl-dead.
 */
#ifndef IDP_TIMELINE_H
#define IDP_TIMELINE_H

#include <stddef.h>

#include "rules.h"

/* Widths a picture is drawn for (its viewBox, in px): a phone's to a wide screen's. */
#define TIMELINE_WIDTH_MIN	300
#define TIMELINE_WIDTH_MAX	1600
#define TIMELINE_WIDTH_DEFAULT	960
/* The longest picture any record makes (test_timeline.c shows it): pages count on it. */
#define TIMELINE_MAX_BYTES	(192 * 1024)

/*
 * r drawn width px wide (clamped to the widths above; 0: the default),
 * as tall as it needs: a malloc'd NUL-terminated SVG document (free it),
 * its length in *len.  Bounded whatever r holds: at most
 * TW_TIMELINE_MAX_TOKENS token rows, TW_TIMELINE_MAX_CHAOS chaos events
 * and TW_TIMELINE_MAX_MARKS mark slots across a row.  An empty report is
 * a small picture saying nothing was recorded yet.
 */
char *timeline_svg(const struct audit_report *r, size_t width, size_t *len);

#endif
