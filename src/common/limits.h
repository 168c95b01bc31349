/*
 * Every limit on outside input, in one place.  Each one is enforced where the
 * input enters and has a test that crosses it (tests/e2e/limits.test.mjs,
 * tests/unit).  Changing a number here changes the documented behaviour:
 * keep docs/LIMITS.md in step.
 *
 * Messages name a limit through its constant, never a copy of the number:
 * with printf ("at most %d bytes", TW_MAX_BODY), or, in a message that is
 * a constant string, with TW_STR (an error table's entry).  TW_STR spells
 * the constant as written, so a limit that static messages name is a plain
 * decimal number; tests/unit checks each such message (form_limit_messages,
 * idp_limit_messages).
 */
#ifndef LIMITS_H
#define LIMITS_H

#define TW_STR(limit)	TW_STR_(limit)
#define TW_STR_(limit)	#limit

/* HTTP transport */
#define TW_MAX_BODY		(64 * 1024)	/* request body, bytes: 413 */
#define TW_MAX_URI		(8 * 1024)	/* request target incl. query: 414 */
#define TW_MAX_HEADER_BYTES	(8 * 1024)	/* sum of header names+values: 431 */
/*
 * A body sent on past its cap (chunked, without a truthful Content-Length)
 * is read and dropped, to answer 413 when it ends; this many times the cap
 * and the client is disconnected instead.
 */
#define TW_BODY_DISCARD_FACTOR	4
#define TW_MAX_HOST		255		/* Host header, bytes: else not used in links */
#define TW_MAX_REQUEST_ID	64		/* a client's X-Request-Id, bytes: else ours */
/*
 * libmicrohttpd's memory pool per connection: request line, headers and
 * read buffer must fit, or it answers 431/414 itself.  It is zeroed on
 * every request, so bigger costs time on every request, not just memory.
 */
#define TW_CONN_MEMORY		(32 * 1024)
#define TW_MAX_CONNECTIONS	1024		/* open connections per server */
#define TW_IDLE_TIMEOUT		15		/* seconds without a byte: closed */
/* Seconds from a request line to its last header; more bytes do not extend it. */
#define TW_HEADER_TIMEOUT	10
#define TW_MAX_CONNECTIONS_PER_ADDRESS 64	/* of one client address (a proxy: none) */
#define TW_REQUEST_DEADLINE	30		/* seconds to send a whole body, then closed */
#define TW_SHUTDOWN_GRACE	10		/* seconds to finish in-flight work */

/* Parameters (query string, urlencoded or multipart bodies, merged) */
#define TW_MAX_PARAMS		64		/* distinct parameters: 400 */
#define TW_MAX_PARAM_NAME	128		/* bytes, decoded: 400 */
#define TW_MAX_PARAM_VALUE	4096		/* bytes, decoded: 400 */
#define TW_MAX_MULTIPART_HEAD	1024		/* header block of one part: 400 */
#define TW_MAX_MULTIPART_BOUNDARY 70		/* bytes (RFC 2046 5.1.1): 400 */
/* An X-Forwarded-For entry, bytes with its NUL (an address is at most 46). */
#define TW_MAX_FORWARDED_ADDR	64

/* Identity objects */
#define TW_ID_LEN		30	/* client ids, secrets, access tokens */
#define TW_REFRESH_LEN		50	/* refresh tokens */
#define TW_MAX_TOKEN_LEN	512	/* longest token we bother hashing */
#define TW_MAX_APP_NAME		100	/* bytes */
#define TW_MAX_REDIRECT_URI	2048	/* bytes */
#define TW_MAX_REDIRECT_URIS	10	/* per app, as on dev.twitch.tv */

#define TW_CODE_LEN		30	/* authorization codes */
#define TW_SESSION_LEN		43	/* browser session cookie value */
#define TW_LOGIN_MIN		4	/* user login, Twitch's rule */
#define TW_LOGIN_MAX		25
#define TW_MAX_DISPLAY_NAME	50	/* bytes */
#define TW_MAX_EMAIL		254	/* bytes (RFC 5321 path limit) */
#define TW_MAX_PROFILE_URL	2048	/* bytes */
#define TW_PASSWORD_MIN		8	/* bytes */
#define TW_PASSWORD_MAX		1024	/* bytes; argon2 takes any length */
#define TW_MAX_SCOPES		128	/* distinct scopes in one request */
#define TW_MAX_STATE		1024	/* bytes of state carried through authorize */
/* An Authorization: Basic value's base64, bytes (RFC 6749 2.3.1). */
#define TW_MAX_BASIC_AUTH	1024
#define TW_PKCE_MIN		43	/* code_verifier, plain code_challenge (RFC 7636 4.1) */
#define TW_PKCE_MAX		128

/* Lifetimes, seconds */
#define TW_APP_TOKEN_TTL	(60 * 24 * 3600)	/* about 60 days */
#define TW_USER_TOKEN_TTL	(4 * 3600)		/* user access tokens: 4 hours */
#define TW_CODE_TTL		(10 * 60)		/* authorization codes */
#define TW_SESSION_TTL		(14 * 24 * 3600)	/* browser sign-in */
#define TW_CSRF_LEN		30		/* a form's CSRF token */
/* A browser that signed in as a login: the per-login limit spares it this long. */
#define TW_KNOWN_DEVICE_TTL	(90 * 24 * 3600)
#define TW_MAX_DEVICE_COOKIE	96		/* "<login>.<expires>.<mac>" */
#define TW_PUBLIC_REFRESH_IDLE	(30 * 24 * 3600)	/* public clients' refresh tokens */
/*
 * A rotated-out refresh token presented again this soon, while none of the
 * tokens that replaced it has been used, is a client retrying after the
 * answer was lost (a dropped connection, a crash) or sending two refreshes
 * at once: it rotates again instead of ending the grant.
 */
#define TW_REFRESH_RETRY	60
/* Replacements one refresh token may have (its retries + 1); then refused. */
#define TW_REFRESH_REPLACEMENTS	10
#define TW_DEVICE_CODE_TTL	(30 * 60)		/* device authorizations, as on Twitch */
#define TW_ID_TOKEN_TTL		(15 * 60)		/* OpenID Connect id_tokens */

/* JOSE: what we parse of id_tokens and JWKS (src/common/jws.c) */
#define TW_MAX_JWS		16384	/* a compact JWS, bytes */
#define TW_MAX_JWK_MEMBER	2048	/* a JWK's n or e, base64url characters */

/* Files an operator names: a TLS certificate or key (--tls-cert, --tls-key) */
#define TW_MAX_PEM		(64 * 1024)	/* bytes */

/* OpenID Connect signing keys */
#define TW_RSA_BITS		2048	/* RS256 keys made by serve and keys rotate */
#define TW_KID_LEN		16	/* key ids */
#define TW_KEY_SECRET_LEN	32	/* the secret file that encrypts private keys */
#define TW_MAX_KEYS		100	/* newest keys read; older ones are long expired */
/*
 * A retired key stays in the JWKS for the id_token lifetime plus this, so
 * a token signed a moment before rotation (or on a server whose clock is a
 * little behind) can still be verified until it expires.
 */
#define TW_KEY_PUBLISH_GRACE	300
/* The purge of ended rows (store_purge): rows per transaction, per run. */
#define TW_PURGE_CHUNK		1000
#define TW_PURGE_MAX_ROWS	200000
#define TW_PURGE_INTERVAL	300	/* seconds between runs (--purge-interval) */
#define TW_PURGE_KEEP		86400	/* ended codes, sessions ... kept this long */
/*
 * The database's deadline (--db-timeout): a call that has no answer by
 * then, waiting for a connection or a lock included, is answered 503.
 */
#define TW_DB_TIMEOUT_DEFAULT_MS 5000
#define TW_DB_TIMEOUT_MIN_MS	100
#define TW_DB_TIMEOUT_MAX_MS	600000

/*
 * The client (twauth token and friends): what it takes from issuers and
 * Helix, from the browser coming back to its redirect catcher (a loopback
 * listener only the browser should talk to), and from its own files.
 */
#define TW_CLIENT_CONNECT_TIMEOUT 10		/* seconds to reach an issuer or API */
#define TW_CLIENT_REQUEST_TIMEOUT 30		/* seconds for one request, start to end */
#define TW_CLIENT_PLAIN_PROBE_TIMEOUT 3	/* seconds: does a failed https:// speak http? */
#define TW_CLIENT_MAX_ANSWER	(1024 * 1024)	/* bytes of an answer's body */
#define TW_CLIENT_MAX_TOKEN	4096		/* bytes of a token from an issuer */
#define TW_CLIENT_CLOCK_LEEWAY	60		/* seconds of clock difference (id_tokens) */
#define TW_CLIENT_MAX_FILE	(4 * 1024 * 1024)	/* tokens.json, config.json: bytes */
#define TW_CLIENT_API_MAX_QUERY	32		/* twauth api: -q pairs */
#define TW_CLIENT_API_MAX_BODY	(1024 * 1024)	/* twauth api: bytes of a -b body */
#define TW_CLIENT_API_MAX_PAGES	100		/* twauth api -P: pages followed */

/*
 * The record of what apps did (src/idp/audit.h): facts waiting in memory
 * for their batch (beyond, counted as dropped), how often batches are
 * written, the length of a token's id and of a fact's detail.
 */
#define TW_AUDIT_MAX_PENDING	8192
#define TW_AUDIT_FLUSH_MS	1000
#define TW_AUDIT_TOKEN_ID_LEN	12		/* hex of a keyed digest's first bytes */
#define TW_AUDIT_DETAIL_MAX	64		/* bytes; longer is cut */
#define TW_AUDIT_KIND_MAX	31
#define TW_AUDIT_KEEP		(30 * 86400)	/* seconds the record is kept (the purge) */
#define TW_AUDIT_REPORT_MAX_ROWS 20000		/* a report reads the newest this many */
/*
 * The timeline of an app's record (src/idp/timeline.h), a picture whose
 * size does not grow with the record: token rows drawn (the rest counted
 * in one line), chaos events drawn (the newest), and slots across a row
 * for each kind of mark (facts closer in time share one).
 */
#define TW_TIMELINE_MAX_TOKENS	12
#define TW_TIMELINE_MAX_CHAOS	16
#define TW_TIMELINE_MAX_MARKS	160
/* Chaos events the console's Twitch rules page lists (the newest; the rest counted). */
#define TW_CONSOLE_MAX_CHAOS	50

/*
 * Ending tokens on purpose (src/idp/chaos.c).  Fractions (serve
 * --chaos-rate, --chaos-token-errors) are read with at most
 * TW_CHAOS_DIGITS decimals, in units of 1/TW_CHAOS_ONE, from 0 to 1.  The
 * serve thread wakes every TW_CHAOS_TICK_MS and looks at TW_CHAOS_SCAN_MAX
 * grants at most each time (past that many, each is looked at less often);
 * twauth chaos --all reads grants TW_CHAOS_PAGE at a time.  The token
 * endpoint remembers the last chaos 503 of TW_CHAOS_RETRY_SLOTS client ids
 * (a newer one takes an older one's slot), and says a retry's wait in whole
 * seconds, up to TW_CHAOS_RETRY_MAX_WAIT.  serve --user-token-ttl lies in
 * TW_USER_TOKEN_TTL_MIN to TW_USER_TOKEN_TTL_MAX seconds.
 */
#define TW_CHAOS_DIGITS		6
#define TW_CHAOS_ONE		1000000
#define TW_CHAOS_TICK_MS	1000
#define TW_CHAOS_SCAN_MAX	1000
#define TW_CHAOS_PAGE		500
#define TW_CHAOS_RETRY_SLOTS	1024
#define TW_CHAOS_RETRY_MAX_WAIT	60
#define TW_CHAOS_RETRY_AFTER	1	/* the 503's Retry-After, seconds */
#define TW_CHAOS_REQUEST_ID_LEN	16	/* random characters after "chaos-" */
#define TW_USER_TOKEN_TTL_MIN	60
#define TW_USER_TOKEN_TTL_MAX	86400
#define TW_CATCHER_MAX_BODY	(16 * 1024)	/* the implicit page posts the fragment */
#define TW_CATCHER_TIMEOUT	10		/* seconds idle, or to send a request */
#define TW_CATCHER_MAX_CONNECTIONS 16

/* Helix: ids and logins one request may name together (/helix/users, channels) */
#define TW_HELIX_MAX_IDS	100
/*
 * PATCH /helix/channels, as Twitch's reference gives them: a title's
 * characters (not bytes), tags per channel, a tag's characters.
 */
#define TW_HELIX_MAX_TITLE	140
#define TW_HELIX_MAX_TAGS	10
#define TW_HELIX_MAX_TAG	25

/* Device code flow (RFC 8628) */
#define TW_DEVICE_CODE_LEN	40	/* what the device polls with */
#define TW_USER_CODE_LEN	8	/* what the user types at /activate */
#define TW_DEVICE_INTERVAL	5	/* seconds a device must wait between polls */
#define TW_DEVICE_SLOW_DOWN	5	/* ... grows by this on each too-early poll */
#define TW_DEVICE_MAX_INTERVAL	60	/* ... up to this */
/*
 * Wrong codes typed at /activate: per client address, as sign-in (free
 * failures, then a doubling wait); for everyone together, a bucket of
 * TW_ACTIVATE_ALL_BURST failures refilled at TW_ACTIVATE_ALL_PER_HOUR, so
 * guessing someone's code is hopeless however many addresses try
 * (docs/LIMITS.md has the arithmetic).
 */
#define TW_ACTIVATE_IP_FREE_FAILURES	10
#define TW_ACTIVATE_ALL_BURST		600
#define TW_ACTIVATE_ALL_PER_HOUR	600

/*
 * Sign-in throttling (src/idp/throttle.c): after this many failures for one
 * login (or one client address), each further attempt must wait, doubling
 * from 1 s up to the cap.  A success for the login clears its count.
 */
#define TW_LOGIN_FREE_FAILURES	5
#define TW_IP_FREE_FAILURES	20
/* ... and client authentication at /oauth2/token, per client id. */
#define TW_CLIENT_FREE_FAILURES	10
#define TW_THROTTLE_MAX_DELAY	300
#define TW_THROTTLE_SLOTS	4096	/* remembered keys; never one under penalty forgotten */
#define TW_MAX_TRUSTED_PROXIES	16	/* --trusted-proxy addresses */

#endif
