/*
 * Request parameters, merged from the query string and the body.  Real
 * Twitch clients send the same OAuth parameters in the query string of an
 * empty POST, in urlencoded bodies and in multipart bodies, so all three feed
 * one set.  The rules (limits.h): at most TW_MAX_PARAMS distinct names, names
 * up to TW_MAX_PARAM_NAME and values up to TW_MAX_PARAM_VALUE bytes after
 * decoding, no NUL bytes, and a name given twice must carry the same value
 * (a second, different value is an error, not a silent override).
 */
#ifndef PARAMS_H
#define PARAMS_H

#include <stddef.h>

#include "limits.h"

enum params_err {
	PARAMS_OK = 0,
	PARAMS_TOO_MANY,
	PARAMS_NAME_TOO_LONG,
	PARAMS_VALUE_TOO_LONG,
	PARAMS_CONFLICT,
	PARAMS_BAD_ENCODING,
	PARAMS_NUL_BYTE,
	PARAMS_BAD_UTF8,		/* a name or value is not UTF-8 text */
	PARAMS_BAD_MULTIPART,
	PARAMS__MAX
};

struct param {
	char	*name;		/* NUL-terminated, decoded */
	char	*value;
	size_t	 value_len;
};

struct params {
	struct param	 items[TW_MAX_PARAMS];
	size_t		 n;
	/* After PARAMS_CONFLICT or a length error: the name concerned. */
	char		 bad_name[TW_MAX_PARAM_NAME + 1];
};

void params_init(struct params *ps);
/* Frees every name and value (values are wiped: some are secrets). */
void params_free(struct params *ps);
/* Adds one decoded pair, applying every rule above. */
enum params_err params_add(struct params *ps, const char *name, size_t name_len,
    const char *value, size_t value_len) __attribute__((warn_unused_result));
/* The value of name, or NULL if absent.  Owned by ps. */
const char *params_get(const struct params *ps, const char *name);
/* A one-line explanation of err for an error body (static storage). */
const char *params_strerror(enum params_err err);

#endif
