/*
 * The client side of Twitch's identity API: every call `twauth token` and
 * friends make to an issuer ("https://id.twitch.tv", or a twauth serve), and
 * the parsers for what comes back.  Parameters go in urlencoded bodies,
 * never in URLs.  The parsers accept Twitch's shapes and RFC 6749's
 * ("scope" as an array or a string; errors as {"status","message"} or
 * {"error","error_description"}), and reject anything else with a reason.
 */
#ifndef CLIENT_OAUTH_H
#define CLIENT_OAUTH_H

#include <stddef.h>
#include <stdint.h>

#include "../common/compiler.h"

#define OAUTH_DEFAULT_ISSUER	"https://id.twitch.tv"
#define OAUTH_DEFAULT_API_BASE	"https://api.twitch.tv"
/* Seconds before a refresh without a verdict is tried again. */
#define OAUTH_REFRESH_RETRY_PAUSE 1

enum oauth_rc {
	OAUTH_OK,
	OAUTH_REFUSED,		/* the issuer said no (a 4xx): see err */
	OAUTH_NETWORK,		/* no verdict (network, a 5xx, a bad answer): see err */
	/* device code polling */
	OAUTH_PENDING,
	OAUTH_SLOW_DOWN,
	OAUTH_DENIED,
	OAUTH_EXPIRED,		/* "invalid device code": expired or used */
	/* refreshing a confidential app's token without its secret (tokstore.c) */
	OAUTH_NEEDS_SECRET,
};

/* Why a call failed, for the user. */
struct oauth_err {
	long	status;			/* HTTP status, 0 for network errors */
	char	message[512];		/* the issuer's message, or ours */
	long	retry_after;		/* seconds the issuer asked to wait; 0: none */
};

/* What the token endpoint gave. */
struct oauth_tokens {
	char	*access_token;
	char	*refresh_token;		/* NULL when none (app tokens) */
	char	*scopes;		/* space-separated, "" for none */
	int64_t	 expires_in;
	char	*id_token;		/* NULL unless OpenID Connect */
	char	*answer;		/* the issuer's JSON as it came (for --json) */
};

/* What /oauth2/device gave. */
struct oauth_device {
	char	*device_code;
	char	*user_code;
	char	*verification_uri;
	int64_t	 expires_in;
	int64_t	 interval;
};

/* What /oauth2/validate said about a live token. */
struct oauth_validation {
	char	*client_id;
	char	*login;			/* NULL for app tokens */
	char	*user_id;		/* NULL for app tokens */
	char	*scopes;		/* space-separated */
	int64_t	 expires_in;
	char	*answer;		/* the issuer's JSON as it came (for --json) */
};

/* Parsers (exposed for tests and fuzzing).  0, or -1 with a reason in err. */
int oauth_parse_tokens(const char *json, size_t len, struct oauth_tokens *out,
    struct oauth_err *err) MUST_CHECK;
int oauth_parse_device(const char *json, size_t len, struct oauth_device *out,
    struct oauth_err *err) MUST_CHECK;
int oauth_parse_validation(const char *json, size_t len, struct oauth_validation *out,
    struct oauth_err *err) MUST_CHECK;
/* The message of an error body of either shape into err->message. */
void oauth_parse_error(long status, const char *json, size_t len, struct oauth_err *err);

void oauth_tokens_clear(struct oauth_tokens *t);
void oauth_device_clear(struct oauth_device *d);
void oauth_validation_clear(struct oauth_validation *v);

/* Calls.  issuer is the base URL without "/oauth2" and without a trailing slash. */
enum oauth_rc oauth_client_credentials(const char *issuer, const char *client_id,
    const char *client_secret, const char *scopes, struct oauth_tokens *out,
    struct oauth_err *err) MUST_CHECK;
enum oauth_rc oauth_exchange_code(const char *issuer, const char *client_id,
    const char *client_secret, const char *code, const char *redirect_uri,
    struct oauth_tokens *out, struct oauth_err *err) MUST_CHECK;
/*
 * client_secret NULL for public clients.  Tried a second time after
 * OAUTH_REFRESH_RETRY_PAUSE when the first try gets no verdict.
 */
enum oauth_rc oauth_refresh(const char *issuer, const char *client_id,
    const char *client_secret, const char *refresh_token, struct oauth_tokens *out,
    struct oauth_err *err) MUST_CHECK;
enum oauth_rc oauth_device_start(const char *issuer, const char *client_id,
    const char *scopes, struct oauth_device *out, struct oauth_err *err) MUST_CHECK;
/* One poll: OAUTH_OK with tokens, or PENDING, SLOW_DOWN, DENIED, EXPIRED, ... */
enum oauth_rc oauth_device_poll(const char *issuer, const char *client_id,
    const char *client_secret, const char *device_code, const char *scopes,
    struct oauth_tokens *out, struct oauth_err *err) MUST_CHECK;
/* OAUTH_OK (live), OAUTH_REFUSED (invalid or expired: 401), OAUTH_NETWORK. */
enum oauth_rc oauth_validate(const char *issuer, const char *token,
    struct oauth_validation *out, struct oauth_err *err) MUST_CHECK;
enum oauth_rc oauth_revoke(const char *issuer, const char *client_id, const char *token,
    struct oauth_err *err) MUST_CHECK;
/* What an issuer's sign-in page said of a request before anyone signed in. */
struct oauth_probe {
	char	*error;			/* its redirect's error=, or NULL */
	char	*error_description;	/* or NULL */
	char	*sent_to;		/* where that redirect went, without its query */
};

/*
 * GETs authorize_url as a browser would, without following the redirect
 * (nobody signed in, nothing is granted).  OAUTH_OK when the issuer raised
 * no objection (a page, or a redirect without error); OAUTH_REFUSED with
 * *out filled when it redirected with error= (twauth serve and Twitch send
 * redirect_mismatch to the first registered URI), or with err when it
 * answered 4xx; OAUTH_NETWORK when it did not answer.  Clear *out with
 * oauth_probe_clear either way.
 */
enum oauth_rc oauth_authorize_probe(const char *authorize_url, struct oauth_probe *out,
    struct oauth_err *err) MUST_CHECK;
void oauth_probe_clear(struct oauth_probe *p);
/* GET url and parse its body as a JSON object; *out is a json_t * (jansson). */
enum oauth_rc oauth_get_json(const char *url, void **out, struct oauth_err *err) MUST_CHECK;

#endif
