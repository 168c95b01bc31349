/* What went wrong, for the user; see cerr.h. */
#include "cerr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends fmt to buf (len bytes); what does not fit is cut off. */
static void
append(char *buf, size_t len, const char *sep, const char *fmt, va_list ap)
{
	size_t used = strnlen(buf, len);

	if (used + 1 >= len)
		return;
	if (used > 0 && sep[0] != '\0') {
		snprintf(buf + used, len - used, "%s", sep);
		used = strnlen(buf, len);
	}
	vsnprintf(buf + used, len - used, fmt, ap);
}

int
cerr_set(struct cerr *e, enum cerr_kind kind, const char *fmt, ...)
{
	va_list ap;

	e->kind = kind;
	e->hint[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void
cerr_line(struct cerr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	append(e->msg, sizeof(e->msg), "\n", fmt, ap);
	va_end(ap);
}

void
cerr_hint(struct cerr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	append(e->hint, sizeof(e->hint), "", fmt, ap);
	va_end(ap);
}

int
cerr_oauth(struct cerr *e, const char *doing, enum oauth_rc rc, const struct oauth_err *err)
{
	if (rc == OAUTH_NETWORK) {
		if (err->status != 0)
			return cerr_set(e, CERR_ERROR, "%s: the issuer answered HTTP %ld: %s",
			    doing, err->status, err->message);
		return cerr_set(e, CERR_ERROR, "%s: %s", doing, err->message);
	}
	if (err->status != 0)
		cerr_set(e, CERR_REFUSED, "%s: refused (%ld): %s", doing, err->status,
		    err->message);
	else
		cerr_set(e, CERR_REFUSED, "%s: %s", doing, err->message);
	if (err->retry_after > 0)
		cerr_line(e, "the issuer asks to wait %ld s before trying again (Retry-After)",
		    err->retry_after);
	if (strcmp(err->message, "invalid client secret") == 0)
		cerr_hint(e, "  The client secret is wrong or was reset; get the current one "
		    "from the app's page\n  (or 'twauth app reset-secret ID' on a twauth "
		    "server).\n");
	else if (strcmp(err->message, "invalid client") == 0)
		cerr_hint(e, "  No app has that client id at this issuer; check --client-id "
		    "and --issuer.\n");
	return -1;
}
