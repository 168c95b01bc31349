/*
 * The client's address behind trusted reverse proxies.  A request that
 * arrives from a trusted proxy names the address it came from as the last
 * entry of X-Forwarded-For (each proxy appends the one it saw); walking
 * right to left past trusted proxies gives the first address nobody we
 * trust made up.  Anything else in the header is the client's own claim
 * and is ignored, so the limits per address cannot be dodged by sending
 * X-Forwarded-For.  Pure functions: no I/O.
 */
#ifndef HTTP_FORWARDED_H
#define HTTP_FORWARDED_H

#include <stddef.h>

/* An IPv4 or IPv6 address in its canonical text into out; -1 if s is not one. */
int addr_canon(const char *s, char *out, size_t len);

/*
 * The client's address into out: peer (canonical, as accepted), or what
 * trusted proxies (canonical addresses, n of them) say in xff (NULL:
 * none).  Malformed entries stop the walk at the last trusted hop.
 */
void forwarded_client(const char *peer, const char *xff, const char *const *trusted, size_t n,
    char *out, size_t len);

#endif
