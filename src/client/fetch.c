/* libcurl behind one function; see fetch.h. */
#include "fetch.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/limits.h"
#include "../common/num.h"
#include "../common/url.h"
#include "../common/xmalloc.h"

void
fetch_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void
fetch_cleanup(void)
{
	curl_global_cleanup();
}

int
fetch_url_allowed(const char *url)
{
	struct url u;

	if (url_parse(str_cstr(url), &u) == -1)
		return -1;
	if (str_eq_cstr(u.scheme, "https"))
		return 0;
	return url_is_loopback(&u) ? 0 : -1;
}

struct sink {
	struct buf	*body;
	int		 overflow;
};

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;

	if (buf_add(s->body, data, size * n) == -1) {
		s->overflow = 1;
		return 0;	/* makes curl stop with CURLE_WRITE_ERROR */
	}
	return size * n;
}

/* Retry-After in seconds (RFC 9110 10.2.3); its date form is left out. */
static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct fetch_reply *reply = arg;
	static const char name[] = "retry-after:";
	size_t len = size * n;
	int64_t secs;
	char value[32];

	if (len > sizeof(name) - 1 && strncasecmp(data, name, sizeof(name) - 1) == 0) {
		size_t i = sizeof(name) - 1, j = 0;

		while (i < len && (data[i] == ' ' || data[i] == '\t'))
			i++;
		while (i < len && j < sizeof(value) - 1 && data[i] >= '0' && data[i] <= '9')
			value[j++] = data[i++];
		value[j] = '\0';
		if (j > 0 && num_parse_i64(value, 0, 86400 * 7, &secs) == 0)
			reply->retry_after = (long)secs;
	}
	return len;
}

/*
 * Whether the server of an https:// URL whose TLS handshake failed speaks
 * plain HTTP on that port: a GET of "/" over http:// to the same host and
 * port (nothing of the failed call is sent) that any HTTP answer ends.
 * OpenSSL's own words for it differ with what the server did with the
 * ClientHello (answered "400", closed), so they are not relied on.
 */
static int
speaks_plain_http(const char *https_url)
{
	char probe[TW_MAX_HOST + 32];
	struct url u;
	CURL *c;
	long status = 0;

	if (url_parse(str_cstr(https_url), &u) == -1 || !str_eq_cstr(u.scheme, "https") ||
	    u.host.len > TW_MAX_HOST)
		return 0;
	snprintf(probe, sizeof(probe), "http://%s%.*s%s:%u/", memchr(u.host.p, ':',
	    u.host.len) ? "[" : "", (int)u.host.len, u.host.p, memchr(u.host.p, ':',
	    u.host.len) ? "]" : "", u.port);
	if ((c = curl_easy_init()) == NULL)
		return 0;
	curl_easy_setopt(c, CURLOPT_URL, probe);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)TW_CLIENT_PLAIN_PROBE_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "twauth");
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	return status >= 100;
}

/*
 * The header lines curl sends or receives, to call->trace: each line on
 * its own, an Authorization value never (curl hands over the whole block
 * as it goes on the wire).
 */
static int
on_debug(CURL *c, curl_infotype type, char *data, size_t size, void *arg)
{
	static const char auth[] = "authorization:";
	const struct fetch_call *call = arg;
	char dir = type == CURLINFO_HEADER_OUT ? '>' : '<';

	(void)c;
	if (type != CURLINFO_HEADER_OUT && type != CURLINFO_HEADER_IN)
		return 0;
	for (size_t i = 0, len, shown; i < size; i += len + 1) {
		len = 0;
		while (i + len < size && data[i + len] != '\n')
			len++;
		shown = len > 0 && data[i + len - 1] == '\r' ? len - 1 : len;
		if (shown == 0)
			continue;
		if (shown >= sizeof(auth) - 1 &&
		    strncasecmp(data + i, auth, sizeof(auth) - 1) == 0)
			call->trace(call->trace_ctx, dir, "Authorization: [redacted]", 25);
		else
			call->trace(call->trace_ctx, dir, data + i, shown);
	}
	return 0;
}

int
fetch(const struct fetch_call *call, struct fetch_reply *reply,
    char *err, size_t err_len)
{
	struct curl_slist *headers = NULL;
	struct sink sink;
	char line[512], curl_err[CURL_ERROR_SIZE] = "";
	const char *ca;
	CURL *c;
	CURLcode rc;
	int ret = -1;

	memset(reply, 0, sizeof(*reply));
	reply->retry_after = -1;
	buf_init(&reply->body, TW_CLIENT_MAX_ANSWER);
	if (fetch_url_allowed(call->url) == -1) {
		snprintf(err, err_len, "refusing %s: only https:// URLs, or http:// to "
		    "localhost, carry tokens", call->url);
		return -1;
	}
	if ((c = curl_easy_init()) == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	sink.body = &reply->body;
	sink.overflow = 0;
	curl_easy_setopt(c, CURLOPT_URL, call->url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, call->method);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)TW_CLIENT_CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)TW_CLIENT_REQUEST_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE, (long)TW_CLIENT_MAX_ANSWER);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "twauth");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, reply);
	if (call->trace != NULL) {
		curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(c, CURLOPT_DEBUGDATA, call);
		curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	}
	/* Proxies from the environment would see tokens; loopback never needs one. */
	curl_easy_setopt(c, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
	/* A private CA (a twauth serve with its own certificate): trusted instead. */
	if ((ca = getenv("TWAUTH_CA_FILE")) != NULL && *ca != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);

	headers = curl_slist_append(headers, "Accept: application/json");
	if (call->authorization != NULL) {
		snprintf(line, sizeof(line), "Authorization: %s", call->authorization);
		headers = curl_slist_append(headers, line);
		explicit_bzero(line, sizeof(line));
	}
	if (call->client_id != NULL) {
		snprintf(line, sizeof(line), "Client-Id: %s", call->client_id);
		headers = curl_slist_append(headers, line);
	}
	if (call->body != NULL) {
		snprintf(line, sizeof(line), "Content-Type: %s", call->content_type ?
		    call->content_type : "application/x-www-form-urlencoded");
		headers = curl_slist_append(headers, line);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, call->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)call->body_len);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

	rc = curl_easy_perform(c);
	if (rc == CURLE_OK) {
		const char *location = NULL;

		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply->status);
		if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
		    location != NULL)
			reply->location = xstrdup(location);
		ret = 0;
	} else if (sink.overflow || rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(err, err_len, "the answer from %s is larger than %d bytes",
		    call->url, TW_CLIENT_MAX_ANSWER);
	else if (rc == CURLE_SSL_CONNECT_ERROR && speaks_plain_http(call->url))
		snprintf(err, err_len, "%s: the server speaks plain HTTP there, not TLS: use "
		    "http:// for it (a twauth serve without --tls-cert speaks plain HTTP)",
		    call->url);
	else
		snprintf(err, err_len, "%s: %s", call->url,
		    curl_err[0] ? curl_err : curl_easy_strerror(rc));
	/* The slist held the Authorization line. */
	for (struct curl_slist *h = headers; h != NULL; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	return ret;
}

void
fetch_reply_free(struct fetch_reply *reply)
{
	buf_free_secret(&reply->body);
	/* A code or token may ride in a redirect. */
	xfree_secret_str(reply->location);
	reply->location = NULL;
}
