/*
 * RFC 9112 framing checks of a request's head (framing.c), for request.c:
 * what fails is answered 400 and the connection closed.
 */
#ifndef HTTP_FRAMING_H
#define HTTP_FRAMING_H

#include <stddef.h>

struct MHD_Connection;

/* What the headers of one request head said, as framing_header counts it. */
struct framing_head {
	unsigned	 content_length, transfer_encoding, host;
	const char	*problem;	/* the first header that was wrong in itself */
};

/*
 * NULL if the headers frame the request one way only; else why not (a
 * constant string): two Content-Length, one that is not a number, one
 * with Transfer-Encoding, a Transfer-Encoding other than exactly chunked,
 * two Host, none in an HTTP/1.1 request (http11), control characters in
 * a header.
 */
const char *framing_head_problem(struct MHD_Connection *conn, int http11);
/*
 * The same rules one header at a time, without libmicrohttpd (for the
 * fuzz target): framing_header takes each header into h (zeroed first)
 * and returns 0 once one is wrong in itself; framing_verdict is then
 * framing_head_problem's answer.
 */
int framing_header(struct framing_head *h, const char *key, size_t key_len,
    const char *value, size_t value_len);
const char *framing_verdict(const struct framing_head *h, int http11);
/*
 * Whether a request target (as sent, undecoded) has no control character,
 * neither raw nor, in its path, percent-encoded (%00 to %1F, %7F).
 */
int framing_target_ok(const char *target);

#endif
