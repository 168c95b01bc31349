/*
 * Reading one cookie out of a Cookie request header (RFC 6265 5.4 syntax:
 * "a=1; b=2").  Only names we set are ever looked up, and our values are
 * plain tokens, so no unquoting or decoding is done: a value is returned as
 * sent.  The first cookie of that name wins, as browsers send the most
 * specific first.
 */
#ifndef COOKIE_H
#define COOKIE_H

#include "str.h"

/* The value of cookie name in header, or a view with p == NULL if absent. */
struct str cookie_get(struct str header, const char *name);

#endif
