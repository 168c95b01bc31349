/*
 * multipart/form-data bodies (RFC 7578), as sent by `curl --form` and the
 * Twitch CLI's device flow.  Every part's value becomes a parameter named by
 * its Content-Disposition; a part with a filename is treated the same way (we
 * take no files).  The whole body is in memory (capped by TW_MAX_BODY), so the
 * parser works on one span with explicit lengths.
 */
#ifndef MULTIPART_H
#define MULTIPART_H

#include <stddef.h>

#include "params.h"
#include "str.h"

/*
 * Finds the boundary parameter of a Content-Type value such as
 * `multipart/form-data; boundary="abc"`.  Returns 0 and sets *boundary (a
 * view into content_type), or -1 if the type is not multipart/form-data or has
 * no usable boundary (1 to 70 characters, RFC 2046).
 */
int multipart_boundary(struct str content_type, struct str *boundary)
    __attribute__((warn_unused_result));
/* Adds every part of body to ps.  PARAMS_BAD_MULTIPART if malformed. */
enum params_err multipart_parse(struct params *ps, struct str boundary,
    const char *body, size_t len) __attribute__((warn_unused_result));

#endif
