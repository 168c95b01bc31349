/* Scope names checked before a request; see scopecheck.h. */
#include "scopecheck.h"

#include <string.h>

#include "../common/limits.h"
#include "../common/scopes.h"

/* A name this far (or farther) from every known one gets no suggestion. */
#define SUGGEST_MAX_DISTANCE	5

/* Levenshtein distance between a[0..al) and b, capped at 99. */
static size_t
edit_distance(const char *a, size_t al, const char *b)
{
	size_t bl = strlen(b), row[128], prev, tmp;

	if (al > 100 || bl >= sizeof(row) / sizeof(row[0]))
		return 99;
	for (size_t j = 0; j <= bl; j++)
		row[j] = j;
	for (size_t i = 1; i <= al; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= bl; j++) {
			tmp = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev :
			    1 + (prev < row[j - 1] ? (prev < row[j] ? prev : row[j]) :
			    (row[j - 1] < row[j] ? row[j - 1] : row[j]));
			prev = tmp;
		}
	}
	return row[bl];
}

/* The catalog's name closest to p[0..len), or NULL if none is close. */
static const char *
closest(const char *p, size_t len)
{
	const char *best = NULL;
	size_t best_d = SUGGEST_MAX_DISTANCE, d;

	for (size_t i = 0; i < scope_catalog_len(); i++) {
		d = edit_distance(p, len, scope_catalog_at(i)->name);
		if (d < best_d) {
			best_d = d;
			best = scope_catalog_at(i)->name;
		}
	}
	return best;
}

int
scopecheck(const char *scopes, struct cerr *err)
{
	const char *p = scopes, *sp, *best;
	size_t n = 0, len;

	/* Empty until a problem is found; each one is a line. */
	cerr_set(err, CERR_ERROR, "%s", "");
	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		sp = strchr(p, ' ');
		if (sp == NULL)
			sp = p + strlen(p);
		n++;
		len = (size_t)(sp - p);
		if (scope_find(p, len) == NULL) {
			if ((best = closest(p, len)) != NULL)
				cerr_line(err, "unknown scope '%.*s'; did you mean '%s'?",
				    (int)len, p, best);
			else
				cerr_line(err, "unknown scope '%.*s' (Twitch's scopes look like "
				    "'chat:read' or 'user:read:email')", (int)len, p);
		}
		p = sp;
	}
	if (n > TW_MAX_SCOPES)
		cerr_line(err, "at most %d scopes in one request", TW_MAX_SCOPES);
	if (err->msg[0] == '\0')
		return 0;
	cerr_hint(err, "  Scopes are space-separated, as in --scopes \"chat:read "
	    "chat:edit\".\n");
	return -1;
}
