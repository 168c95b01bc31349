/*
 * Absolute http(s) URL parsing, strict enough to decide whether a string may
 * be registered as a redirect URI or used as an issuer.  Views point into the
 * input.  Rejected: anything but http/https, userinfo ("user@host"), an empty
 * host, a bad port, spaces, backslashes, control and non-ASCII bytes (they
 * must be percent-encoded), and more than TW_MAX_REDIRECT_URI bytes.
 */
#ifndef URL_H
#define URL_H

#include <stdbool.h>
#include <stdint.h>

#include "str.h"

struct url {
	struct str	scheme;		/* "http" or "https" */
	struct str	host;		/* without brackets for IPv6 */
	uint16_t	port;		/* explicit or the scheme's default */
	struct str	path;		/* may be empty */
	struct str	query;		/* without '?'; has_query tells "" from none */
	struct str	fragment;	/* without '#' */
	bool		has_query;
	bool		has_fragment;
};

int url_parse(struct str s, struct url *u) __attribute__((warn_unused_result));
/*
 * uri with an empty path spelled "/" ("http://localhost:3000" becomes
 * "http://localhost:3000/", as Twitch redirects to it): the same URI by RFC
 * 3986 6.2.3, and the one spelling every other path keeps.  malloc'd; NULL
 * if uri is not a URL url_parse takes.
 */
char *url_root_path(const char *uri);
/* True for localhost, 127.0.0.0/8 and [::1]. */
bool url_is_loopback(const struct url *u);
/*
 * True if requested is registered but for its port, both http to the same
 * loopback host: how a native app's redirect URI may come back (RFC 8252
 * 7.3: the port is the one the app could listen on at that moment).
 */
bool url_same_but_port(const char *registered, const char *requested);

#endif
