/*
 * serve --chaos-token-errors: a share of POST /oauth2/token requests is
 * answered 503 with Retry-After, as a token endpoint under load would, so
 * an app's retry and backoff are exercised.  Decided before anything else:
 * a request answered so has looked nothing up, minted nothing and spent
 * nothing (no code, no refresh token, no failure count).
 *
 * To tell whether an app waited before it retried, the time of each
 * client id's last 503 is kept in a fixed table, direct-mapped by a hash of
 * the client id (a newer client id takes an older one's slot: its retry
 * then goes unrecorded, never misattributed); its next request, whatever
 * it is answered, is recorded with the whole seconds since then.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/xmalloc.h"
#include "audit.h"
#include "idp_impl.h"

struct last_503 {
	char	 client_id[TW_ID_LEN + 1];	/* "" : free */
	int64_t	 at_ms;
};

struct chaos_gate {
	pthread_mutex_t	 lock;			/* guards slots */
	struct last_503	 slots[TW_CHAOS_RETRY_SLOTS];
};

struct chaos_gate *
idp_chaos_gate_new(void)
{
	struct chaos_gate *g = xcalloc(1, sizeof(*g));

	pthread_mutex_init(&g->lock, NULL);
	return g;
}

void
idp_chaos_gate_free(struct chaos_gate *g)
{
	if (g == NULL)
		return;
	pthread_mutex_destroy(&g->lock);
	free(g);
}

/* FNV-1a: client ids are chosen by whoever registers them, not by the caller here. */
static size_t
slot_of(const char *client_id)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *client_id != '\0'; client_id++)
		h = (h ^ (unsigned char)*client_id) * 0x100000001b3ULL;
	return (size_t)(h % TW_CHAOS_RETRY_SLOTS);
}

/*
 * For the request of client_id at now_ms: whether it follows a 503 of its
 * own, and then *at_ms, when that was; if it is answered 503 too, the slot
 * remembers now_ms.
 */
static int
remember(struct chaos_gate *g, const char *client_id, int64_t now_ms, int fail,
    int64_t *at_ms)
{
	struct last_503 *s = &g->slots[slot_of(client_id)];
	int had = 0;

	pthread_mutex_lock(&g->lock);
	if (strcmp(s->client_id, client_id) == 0) {
		had = 1;
		*at_ms = s->at_ms;
		s->client_id[0] = '\0';
	}
	if (fail) {
		memcpy(s->client_id, client_id, strlen(client_id) + 1);
		s->at_ms = now_ms;
	}
	pthread_mutex_unlock(&g->lock);
	return had;
}

static void
note(struct idp *idp, enum audit_kind kind, const char *client_id, const char *detail)
{
	struct audit_fact f = { .kind = kind, .client_id = client_id, .detail = detail };

	idp_note(idp, &f);
}

enum idp_err
idp_chaos_token(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp)
{
	const char *client_id = req->client_id;
	int64_t now_ms, at_ms = 0, waited;
	char detail[24];
	int fail, named;

	if (idp->chaos_gate == NULL)
		return IDP_OK;
	if (idp_blank(client_id) && req->auth == IDP_AUTH_BASIC)
		client_id = req->basic_id;
	named = !idp_blank(client_id) && strlen(client_id) <= TW_ID_LEN;
	fail = idp_chaos_chance(idp->cfg.chaos_token_errors, TW_CHAOS_ONE);
	if (named) {
		now_ms = clock_now_ms();
		if (remember(idp->chaos_gate, client_id, now_ms, fail, &at_ms)) {
			/* Whole seconds, none below 0 should the clock step back. */
			waited = now_ms > at_ms ? (now_ms - at_ms) / 1000 : 0;
			if (waited > TW_CHAOS_RETRY_MAX_WAIT)
				waited = TW_CHAOS_RETRY_MAX_WAIT;
			snprintf(detail, sizeof(detail), "%lld", (long long)waited);
			note(idp, AUDIT_TOKEN_RETRY, client_id, detail);
		}
	}
	if (!fail)
		return IDP_OK;
	if (named)
		note(idp, AUDIT_TOKEN_UNAVAILABLE, client_id, NULL);
	memset(resp, 0, sizeof(*resp));
	resp->retry_after = TW_CHAOS_RETRY_AFTER;
	return IDP_ERR_TOKEN_CHAOS;
}
