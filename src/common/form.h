/*
 * application/x-www-form-urlencoded (and query string) parsing, and the
 * matching encoder.  "+" is a space; "%XX" is a byte; a "%" not followed by
 * two hex digits is an error rather than guessed at.  Empty segments
 * ("a=1&&b=2") and segments with an empty name are skipped.
 */
#ifndef FORM_H
#define FORM_H

#include <stddef.h>

#include "buf.h"
#include "params.h"

/* Adds every pair in data[0..len) to ps; stops at the first error. */
enum params_err form_parse(struct params *ps, const char *data, size_t len)
    __attribute__((warn_unused_result));
/* A percent-encoding's hex digit c as its value (either case), or -1. */
int form_hex_value(char c);
/*
 * Percent-decodes in[0..len) into out (at least len bytes), '+' meaning a
 * space when plus_is_space.  Returns the decoded length or -1 on a malformed
 * escape.
 */
long form_decode(const char *in, size_t len, char *out, int plus_is_space);
/* Appends s percent-encoded for a query string or form body (space as '+'). */
int form_encode(struct buf *b, const char *s) __attribute__((warn_unused_result));

#endif
