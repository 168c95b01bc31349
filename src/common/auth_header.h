/*
 * The Authorization request header.  Twitch's /oauth2/validate takes
 * "OAuth <token>" and the rest of the world sends "Bearer <token>"; OAuth
 * clients authenticate with "Basic <base64 of id:secret>" (RFC 6749); the
 * scheme is case-insensitive (RFC 9110) and may be followed by several
 * spaces.  The token is a view into the header value.
 */
#ifndef AUTH_HEADER_H
#define AUTH_HEADER_H

#include "str.h"

enum auth_scheme { AUTH_NONE, AUTH_OAUTH, AUTH_BEARER, AUTH_BASIC, AUTH_OTHER };

/*
 * Splits header into scheme and credentials.  AUTH_NONE if there are no
 * credentials (an empty header, or "OAuth " alone, as in Twitch's own docs'
 * example), AUTH_OTHER for an unknown scheme; otherwise *token is the
 * credentials, trimmed, never empty.
 */
enum auth_scheme auth_header_parse(struct str header, struct str *token);

/*
 * HTTP Basic client credentials (RFC 6749 2.3.1): the base64 of
 * "client_id:client_secret", each form-urlencoded first.  Decodes the
 * credentials auth_header_parse gave for AUTH_BASIC into id and secret,
 * NUL-terminated, of at most id_len - 1 and secret_len - 1 bytes: 0, or -1
 * if they are malformed, too long, hold a NUL or leave either part empty.
 */
int auth_basic_decode(struct str cred, char *id, size_t id_len, char *secret,
    size_t secret_len) __attribute__((warn_unused_result));

#endif
