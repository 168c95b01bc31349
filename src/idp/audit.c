/*
 * The record of what apps do; see audit.h.
 *
 * Two tables in memory, each a fixed array under one lock:
 *  - pending: the facts counted since the last batch, open addressing on
 *    a hash of the fact's key; the flush thread swaps it for an empty one
 *    and writes the full one outside the lock, so a request only ever
 *    waits for a hash and a few compares;
 *  - seen: which app and account each token id last belonged to, filled
 *    from facts about live tokens, direct-mapped (a newer token takes an
 *    older one's slot), so that a dead token, which the store no longer
 *    knows, can still be put down to its app.
 */
#include "audit.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/log.h"
#include "../common/xmalloc.h"

static const char *const kind_names[AUDIT__MAX] = {
	[AUDIT_VALIDATED] = "validated",
	[AUDIT_VALIDATE_DEAD] = "validate_dead",
	[AUDIT_HELIX] = "helix",
	[AUDIT_HELIX_DEAD] = "helix_dead",
	[AUDIT_ISSUED] = "issued",
	[AUDIT_REFRESH_REPLAYED] = "refresh_replayed",
	[AUDIT_DEVICE_POLL] = "device_poll",
	[AUDIT_TOKEN_IN_URL] = "token_in_url",
	[AUDIT_SECRET_FROM_BROWSER] = "secret_from_browser",
	[AUDIT_APP_TOKEN_FROM_BROWSER] = "app_token_from_browser",
	[AUDIT_REAUTHORIZED] = "reauthorized",
	[AUDIT_CHAOS] = "chaos",
	[AUDIT_TOKEN_UNAVAILABLE] = "token_unavailable",
	[AUDIT_TOKEN_RETRY] = "token_retry",
};

const char *
audit_kind_name(enum audit_kind kind)
{
	return kind < AUDIT__MAX ? kind_names[kind] : "unknown";
}

int
audit_kind_parse(const char *name, enum audit_kind *out)
{
	for (int k = 0; k < AUDIT__MAX; k++)
		if (strcmp(kind_names[k], name) == 0) {
			*out = (enum audit_kind)k;
			return 0;
		}
	return -1;
}

/* Whose a token id was, last seen live. */
struct seen {
	char	 token_id[TW_AUDIT_TOKEN_ID_LEN + 1];
	char	 client_id[TW_ID_LEN + 1];
	int64_t	 user_id;
};

struct audit {
	struct store		*store;
	pthread_mutex_t		 lock;		/* guards all below but store */
	pthread_cond_t		 wake;
	struct store_audit_row	*pending;	/* TW_AUDIT_MAX_PENDING slots; count 0: free */
	size_t			 n_pending;
	struct seen		*seen;		/* TW_AUDIT_MAX_PENDING slots */
	uint64_t		 dropped;
	int			 stopping;
	pthread_t		 thread;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* FNV-1a over s, continuing h. */
static uint64_t
mix(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;	/* ends the field: "ab","c" is not "a","bc" */
}

static uint64_t
mix_int(uint64_t h, int64_t v)
{
	for (int i = 0; i < 8; i++)
		h = (h ^ (uint8_t)(v >> (8 * i))) * 0x100000001b3ULL;
	return h;
}

static int
same_key(const struct store_audit_row *r, const struct store_audit_row *k)
{
	return r->minute == k->minute && r->user_id == k->user_id &&
	    strcmp(r->kind, k->kind) == 0 && strcmp(r->client_id, k->client_id) == 0 &&
	    strcmp(r->token_id, k->token_id) == 0 && strcmp(r->detail, k->detail) == 0;
}

/* Copies s into a field of len bytes, cut to fit ("" for NULL). */
static void
field(char *dst, size_t len, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n >= len)
		n = len - 1;
	memcpy(dst, s != NULL ? s : "", n);
	dst[n] = '\0';
}

static size_t
seen_slot(const char *token_id)
{
	return (size_t)(mix(0xcbf29ce484222325ULL, token_id) % TW_AUDIT_MAX_PENDING);
}

/* The facts that see a token live, and so learn whose it is. */
static int
learns(enum audit_kind kind)
{
	return kind == AUDIT_VALIDATED || kind == AUDIT_HELIX || kind == AUDIT_ISSUED;
}

/*
 * Facts about a live token say whose it is; others (a dead token, one in a
 * URL) are put down to that when they do not name their app, and take its
 * account.  -1: no app to put the fact down to.  Under a->lock.
 */
static int
attribute(struct audit *a, enum audit_kind kind, struct store_audit_row *k)
{
	struct seen *s;

	if (k->token_id[0] == '\0')
		return k->client_id[0] != '\0' ? 0 : -1;
	s = &a->seen[seen_slot(k->token_id)];
	if (learns(kind)) {
		if (k->client_id[0] == '\0')
			return -1;
		/* Mostly what it holds already: the same token seen again. */
		if (s->user_id != k->user_id || strcmp(s->token_id, k->token_id) != 0 ||
		    strcmp(s->client_id, k->client_id) != 0) {
			memcpy(s->token_id, k->token_id, sizeof(s->token_id));
			memcpy(s->client_id, k->client_id, sizeof(s->client_id));
			s->user_id = k->user_id;
		}
		return 0;
	}
	if (strcmp(s->token_id, k->token_id) != 0)
		return k->client_id[0] != '\0' ? 0 : -1;	/* never seen live here */
	if (k->client_id[0] == '\0')
		memcpy(k->client_id, s->client_id, sizeof(k->client_id));
	if (strcmp(k->client_id, s->client_id) == 0 && k->user_id == 0)
		k->user_id = s->user_id;
	return 0;
}

static uint64_t
key_hash(const struct store_audit_row *k)
{
	uint64_t h = mix_int(mix_int(0xcbf29ce484222325ULL, k->minute), k->user_id);

	return mix(mix(mix(mix(h, k->client_id), k->kind), k->token_id), k->detail);
}

void
audit_note(struct audit *a, const struct audit_fact *f)
{
	struct store_audit_row k;
	uint64_t h = 0;
	size_t i;

	if (a == NULL || f->kind >= AUDIT__MAX ||
	    (f->client_id != NULL && strlen(f->client_id) > TW_ID_LEN))
		return;
	/* The key's fields and the times; the rest of k is set only if it is new. */
	field(k.client_id, sizeof(k.client_id), f->client_id);
	field(k.kind, sizeof(k.kind), kind_names[f->kind]);
	field(k.token_id, sizeof(k.token_id), f->token_id);
	field(k.detail, sizeof(k.detail), f->detail);
	field(k.last_request, sizeof(k.last_request),
	    f->request_id != NULL ? f->request_id : log_request());
	k.user_id = f->user_id;
	k.first_at = k.last_at = f->at_ms != 0 ? f->at_ms : now_ms();
	k.minute = k.first_at / 60000;
	/* A fact that learns keeps its key: hashed before the lock. */
	if (learns(f->kind))
		h = key_hash(&k);

	pthread_mutex_lock(&a->lock);
	if (attribute(a, f->kind, &k) == -1)
		goto out;	/* no app to put it down to */
	if (!learns(f->kind))
		h = key_hash(&k);
	for (i = (size_t)(h % TW_AUDIT_MAX_PENDING); a->pending[i].count != 0;
	    i = (i + 1) % TW_AUDIT_MAX_PENDING)
		if (same_key(&a->pending[i], &k)) {
			struct store_audit_row *r = &a->pending[i];

			r->count++;
			if (k.last_at >= r->last_at) {
				r->last_at = k.last_at;
				memcpy(r->last_request, k.last_request, sizeof(r->last_request));
			}
			goto out;
		}
	/* Kept below full, so that a probe always ends at a free slot. */
	if (a->n_pending + 1 >= TW_AUDIT_MAX_PENDING) {
		a->dropped++;
		goto out;
	}
	memcpy(k.first_request, k.last_request, sizeof(k.first_request));
	k.count = 1;
	a->pending[i] = k;
	a->n_pending++;
out:
	pthread_mutex_unlock(&a->lock);
}

/*
 * Takes what is pending, leaving an empty table, and writes it: the
 * caller holds a->lock, which is let go while the database works.
 */
static enum store_rc
write_pending(struct audit *a)
{
	struct store_audit_row *full = a->pending, *rows;
	size_t n = 0, was = a->n_pending;
	enum store_rc rc;

	if (was == 0)
		return STORE_OK;
	a->pending = xcalloc(TW_AUDIT_MAX_PENDING, sizeof(*a->pending));
	a->n_pending = 0;
	pthread_mutex_unlock(&a->lock);
	rows = full;
	for (size_t i = 0; i < TW_AUDIT_MAX_PENDING; i++)
		if (full[i].count != 0)
			rows[n++] = full[i];	/* packed in place: n <= i */
	rc = store_audit_add(a->store, rows, n);
	free(full);
	pthread_mutex_lock(&a->lock);
	if (rc != STORE_OK) {
		a->dropped += was;
		log_warn("audit: %zu facts could not be written (store result %d)", was, (int)rc);
	}
	return rc;
}

static void *
flusher(void *arg)
{
	struct audit *a = arg;
	struct timespec until;

	pthread_mutex_lock(&a->lock);
	while (!a->stopping) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)(TW_AUDIT_FLUSH_MS % 1000) * 1000000;
		until.tv_sec += TW_AUDIT_FLUSH_MS / 1000 + until.tv_nsec / 1000000000;
		until.tv_nsec %= 1000000000;
		while (!a->stopping &&
		    pthread_cond_timedwait(&a->wake, &a->lock, &until) != ETIMEDOUT)
			;
		write_pending(a);	/* a failure is logged and counted there */
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

struct audit *
audit_new(struct store *st)
{
	struct audit *a = xcalloc(1, sizeof(*a));

	a->store = st;
	a->pending = xcalloc(TW_AUDIT_MAX_PENDING, sizeof(*a->pending));
	a->seen = xcalloc(TW_AUDIT_MAX_PENDING, sizeof(*a->seen));
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->wake, NULL);
	if (pthread_create(&a->thread, NULL, flusher, a) != 0) {
		pthread_mutex_destroy(&a->lock);
		pthread_cond_destroy(&a->wake);
		free(a->pending);
		free(a->seen);
		free(a);
		return NULL;
	}
	return a;
}

enum store_rc
audit_flush(struct audit *a)
{
	enum store_rc rc;

	if (a == NULL)
		return STORE_OK;
	pthread_mutex_lock(&a->lock);
	rc = write_pending(a);
	pthread_mutex_unlock(&a->lock);
	return rc;
}

uint64_t
audit_dropped(struct audit *a)
{
	uint64_t n;

	if (a == NULL)
		return 0;
	pthread_mutex_lock(&a->lock);
	n = a->dropped;
	pthread_mutex_unlock(&a->lock);
	return n;
}

void
audit_free(struct audit *a)
{
	if (a == NULL)
		return;
	pthread_mutex_lock(&a->lock);
	a->stopping = 1;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	if (audit_flush(a) != STORE_OK)
		log_warn("audit: the last facts were not written");
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->wake);
	free(a->pending);
	free(a->seen);
	free(a);
}
