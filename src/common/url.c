/* URL parsing; see url.h. */
#include "url.h"

#include <string.h>
#include <strings.h>

#include "limits.h"
#include "xmalloc.h"

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
url_parse(struct str s, struct url *u)
{
	size_t i, start, auth_end;

	*u = (struct url){ 0 };
	if (s.len == 0 || s.len > TW_MAX_REDIRECT_URI)
		return -1;
	for (i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '"' || c == '<' || c == '>')
			return -1;
	}
	for (i = 0; i < s.len && s.p[i] != ':'; i++)
		if (!is_alpha(s.p[i]))
			return -1;
	u->scheme = str_make(s.p, i);
	if (str_eq_cstr(u->scheme, "http"))
		u->port = 80;
	else if (str_eq_cstr(u->scheme, "https"))
		u->port = 443;
	else
		return -1;
	if (s.len - i < 3 || s.p[i + 1] != '/' || s.p[i + 2] != '/')
		return -1;
	start = i + 3;
	for (auth_end = start; auth_end < s.len; auth_end++)
		if (s.p[auth_end] == '/' || s.p[auth_end] == '?' || s.p[auth_end] == '#')
			break;
	if (auth_end == start)
		return -1;
	i = start;
	if (s.p[i] == '[') {
		size_t close = i;

		while (close < auth_end && s.p[close] != ']')
			close++;
		if (close == auth_end || close == i + 1)
			return -1;
		for (size_t k = i + 1; k < close; k++)
			if (!(is_digit(s.p[k]) || (s.p[k] >= 'a' && s.p[k] <= 'f') ||
			    (s.p[k] >= 'A' && s.p[k] <= 'F') || s.p[k] == ':' || s.p[k] == '.'))
				return -1;
		u->host = str_make(s.p + i + 1, close - i - 1);
		i = close + 1;
	} else {
		size_t h = i;

		while (h < auth_end && s.p[h] != ':') {
			char c = s.p[h];

			if (!(is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_'))
				return -1;	/* also refuses userinfo's '@' */
			h++;
		}
		if (h == i)
			return -1;
		u->host = str_make(s.p + i, h - i);
		i = h;
	}
	if (i < auth_end) {
		unsigned port = 0;

		if (s.p[i] != ':' || i + 1 == auth_end || auth_end - i - 1 > 5)
			return -1;
		for (i++; i < auth_end; i++) {
			if (!is_digit(s.p[i]))
				return -1;
			port = port * 10 + (unsigned)(s.p[i] - '0');
		}
		if (port == 0 || port > 65535)
			return -1;
		u->port = (uint16_t)port;
	}
	start = i;
	while (i < s.len && s.p[i] != '?' && s.p[i] != '#')
		i++;
	u->path = str_make(s.p + start, i - start);
	if (i < s.len && s.p[i] == '?') {
		start = ++i;
		while (i < s.len && s.p[i] != '#')
			i++;
		u->query = str_make(s.p + start, i - start);
		u->has_query = true;
	}
	if (i < s.len && s.p[i] == '#') {
		u->fragment = str_make(s.p + i + 1, s.len - i - 1);
		u->has_fragment = true;
	}
	return 0;
}

char *
url_root_path(const char *uri)
{
	struct url u;
	size_t at, len = strlen(uri);
	char *out;

	if (url_parse(str_make(uri, len), &u) != 0)
		return NULL;
	if (u.path.len > 0)
		return xstrdup(uri);
	at = (size_t)(u.path.p - uri);
	out = xmalloc(len + 2);
	memcpy(out, uri, at);
	out[at] = '/';
	memcpy(out + at + 1, uri + at, len - at + 1);
	return out;
}

bool
url_is_loopback(const struct url *u)
{
	if (str_eq_nocase(u->host, "localhost") || str_eq_cstr(u->host, "::1"))
		return true;
	/* 127.0.0.0/8 written as a dotted quad. */
	if (u->host.len >= 4 && u->host.len <= 15 && memcmp(u->host.p, "127.", 4) == 0) {
		int dots = 0;

		for (size_t i = 0; i < u->host.len; i++) {
			if (u->host.p[i] == '.')
				dots++;
			else if (!is_digit(u->host.p[i]))
				return false;
		}
		return dots == 3;
	}
	return false;
}

/* A path with the empty one spelled "/" (RFC 3986 6.2.3). */
static struct str
path_or_root(struct str path)
{
	return path.len == 0 ? str_cstr("/") : path;
}

bool
url_same_but_port(const char *registered, const char *requested)
{
	struct url a, b;

	if (url_parse(str_cstr(registered), &a) == -1 || url_parse(str_cstr(requested), &b) == -1)
		return false;
	/* Both plain http to one loopback host, named the same way. */
	if (!str_eq_cstr(a.scheme, "http") || !str_eq_cstr(b.scheme, "http") ||
	    !url_is_loopback(&a) || a.host.len != b.host.len ||
	    strncasecmp(a.host.p, b.host.p, a.host.len) != 0)
		return false;
	return str_eq(path_or_root(a.path), path_or_root(b.path)) &&
	    a.has_query == b.has_query && str_eq(a.query, b.query) &&
	    !a.has_fragment && !b.has_fragment;
}
