/* Listening sockets; see listen.h. */
#include "listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/log.h"

#define LISTEN_BACKLOG	1024

/*
 * Splits "HOST:PORT" or "[V6]:PORT" into host and port.  An empty host
 * means every interface.  Returns 0 or -1.
 */
static MUST_CHECK int
split(const char *spec, char *host, size_t host_len, char *port, size_t port_len)
{
	const char *colon;
	size_t hl;

	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');

		if (close == NULL || close[1] != ':')
			return -1;
		hl = (size_t)(close - spec - 1);
		colon = close + 1;
		spec++;
	} else {
		if ((colon = strrchr(spec, ':')) == NULL)
			return -1;
		hl = (size_t)(colon - spec);
	}
	if (hl >= host_len || strlen(colon + 1) == 0 || strlen(colon + 1) >= port_len)
		return -1;
	memcpy(host, spec, hl);
	host[hl] = '\0';
	snprintf(port, port_len, "%s", colon + 1);
	for (const char *p = port; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	return 0;
}

/*
 * The first of host:port's addresses that binds and listens (hints says
 * how to read host).  Returns the socket, or -1 with *gai_rc set when the
 * name does not resolve, else with errno from the last address tried.
 */
static MUST_CHECK int
bind_first(const char *host, const char *port, int flags, int *gai_rc)
{
	struct addrinfo hints, *res = NULL, *ai;
	int fd = -1, one = 1, err = EADDRNOTAVAIL;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = flags | AI_NUMERICSERV;
	if ((*gai_rc = getaddrinfo(host, port, &hints, &res)) != 0)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			err = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, LISTEN_BACKLOG) == 0)
			break;
		err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1)
		errno = err;
	return fd;
}

int
listen_check(const char *spec)
{
	char host[256], port[8];

	return split(spec, host, sizeof(host), port, sizeof(port));
}

bool
listen_is_loopback(const char *spec)
{
	char host[256], port[8];
	struct in_addr a4;
	struct in6_addr a6;

	if (split(spec, host, sizeof(host), port, sizeof(port)) == -1)
		return false;
	if (strcasecmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6) ||
		    (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127);
	return false;
}

int
listen_spec(const char *flag, const char *spec, char *bound, size_t bound_len)
{
	char host[256], port[8], hbuf[NI_MAXHOST], pbuf[NI_MAXSERV];
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	int fd, gai_rc;

	if (split(spec, host, sizeof(host), port, sizeof(port)) == -1) {
		log_error("bad %s '%s': expected HOST:PORT, e.g. 127.0.0.1:8080", flag, spec);
		return -1;
	}
	if ((fd = bind_first(host[0] ? host : NULL, port, AI_PASSIVE, &gai_rc)) == -1) {
		if (gai_rc != 0)
			log_error("cannot resolve listen address '%s': %s", spec,
			    gai_strerror(gai_rc));
		else if (errno == EADDRINUSE)
			log_error("cannot listen on %s: %s (is another server running? pick "
			    "another port with %s)", spec, strerror(errno), flag);
		else
			log_error("cannot listen on %s: %s", spec, strerror(errno));
		return -1;
	}
	getsockname(fd, (struct sockaddr *)&ss, &sslen);
	getnameinfo((struct sockaddr *)&ss, sslen, hbuf, sizeof(hbuf), pbuf, sizeof(pbuf),
	    NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(bound, bound_len, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", hbuf, pbuf);
	return fd;
}

int
listen_addr(const char *host, unsigned port)
{
	char pbuf[8];
	int fd, gai_rc;

	snprintf(pbuf, sizeof(pbuf), "%u", port);
	if ((fd = bind_first(host, pbuf, AI_NUMERICHOST, &gai_rc)) == -1 && gai_rc != 0)
		errno = EINVAL;
	return fd;
}
