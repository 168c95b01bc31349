/*
 * The Authorization request header.  Twitch's /oauth2/validate takes
 * "OAuth <token>" and the rest of the world sends "Bearer <token>"; the
 * scheme is case-insensitive (RFC 9110) and may be followed by several
 * spaces.  The token is a view into the header value.
 */
#ifndef AUTH_HEADER_H
#define AUTH_HEADER_H

#include "str.h"

enum auth_scheme { AUTH_NONE, AUTH_OAUTH, AUTH_BEARER, AUTH_OTHER };

/*
 * Splits header into scheme and credentials.  AUTH_NONE if there are no
 * credentials (an empty header, or "OAuth " alone, as in Twitch's own docs'
 * example), AUTH_OTHER for an unknown scheme; otherwise *token is the
 * credentials, trimmed, never empty.
 */
enum auth_scheme auth_header_parse(struct str header, struct str *token);

#endif
