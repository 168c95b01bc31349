/*
 * RFC 9112 framing checks of a request's head (framing.c), for request.c:
 * what fails is answered 400 and the connection closed.
 */
#ifndef HTTP_FRAMING_H
#define HTTP_FRAMING_H

struct MHD_Connection;

/*
 * NULL if the headers frame the request one way only; else why not (a
 * constant string): two Content-Length, one that is not a number, one
 * with Transfer-Encoding, a Transfer-Encoding other than exactly chunked,
 * two Host, none in an HTTP/1.1 request (http11), control characters in
 * a header.
 */
const char *framing_head_problem(struct MHD_Connection *conn, int http11);
/*
 * Whether a request target (as sent, undecoded) has no control character,
 * neither raw nor, in its path, percent-encoded (%00 to %1F, %7F).
 */
int framing_target_ok(const char *target);

#endif
