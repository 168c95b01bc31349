/*
 * The purge thread: every interval seconds, deletes what has ended
 * (store_purge) and logs what it deleted when there was anything.  With
 * several servers on one database each runs its own; the deletes do not
 * mind.  Stopping wakes it at once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "../common/clock.h"
#include "../common/log.h"
#include "../common/metrics.h"
#include "../common/xmalloc.h"
#include "idp_impl.h"

struct purger {
	struct idp	*idp;
	unsigned	 interval;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	int		 stopping;
	pthread_t	 thread;
};

enum idp_err
idp_ready(struct idp *idp, char *why, size_t why_len)
{
	return store_ready(idp->store, why, why_len) == 0 ? IDP_OK : IDP_ERR_UNAVAILABLE;
}

enum idp_err
idp_purge(struct idp *idp, struct store_purged *out)
{
	int64_t now = clock_now();
	struct store_purge_rules rules = {
		.now = now,
		/* A replayed code is still caught for a day after it expired. */
		.ended_kept = TW_PURGE_KEEP,
		/* A rotated-out public refresh token, as long as it could have lived. */
		.rotated_kept = TW_PUBLIC_REFRESH_IDLE,
		/* Retired keys leave the JWKS at id_token lifetime + grace; a day later, the table. */
		.keys_before = now - idp->cfg.id_token_ttl - TW_KEY_PUBLISH_GRACE - TW_PURGE_KEEP,
		/* What apps did, for 'app audit': a month of it. */
		.audit_before = now - TW_AUDIT_KEEP,
	};

	return idp_from_store(store_purge(idp->store, &rules, out), IDP_ERR_UNAVAILABLE);
}

static void *
purger_main(void *arg)
{
	struct purger *p = arg;

	pthread_mutex_lock(&p->lock);
	while (!p->stopping) {
		struct timespec until;
		struct store_purged n;
		int rc;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += p->interval;
		rc = 0;
		while (!p->stopping && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&p->wake, &p->lock, &until);
		if (p->stopping)
			break;
		pthread_mutex_unlock(&p->lock);
		if (idp_purge(p->idp, &n) != IDP_OK)
			log_warn("purge: the database failed; trying again in %u s", p->interval);
		else {
			uint64_t all = n.tokens + n.codes + n.device_codes + n.sessions +
			    n.refresh_tokens + n.grants + n.keys + n.buckets + n.audit;

			metrics_count(M_PURGED_ROWS, all);
			if (all > 0)
				log_info("purge: deleted %llu tokens, %llu refresh tokens, %llu grants, "
				    "%llu codes, %llu device codes, %llu sessions, %llu keys, "
				    "%llu budgets, %llu audit rows", (unsigned long long)n.tokens,
				    (unsigned long long)n.refresh_tokens, (unsigned long long)n.grants,
				    (unsigned long long)n.codes, (unsigned long long)n.device_codes,
				    (unsigned long long)n.sessions, (unsigned long long)n.keys,
				    (unsigned long long)n.buckets, (unsigned long long)n.audit);
		}
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct purger *
purger_start(struct idp *idp, unsigned interval)
{
	struct purger *p = xcalloc(1, sizeof(*p));

	p->idp = idp;
	p->interval = interval ? interval : TW_PURGE_INTERVAL;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	if (pthread_create(&p->thread, NULL, purger_main, p) != 0) {
		log_error("purge: cannot start its thread; ended rows stay until restart");
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->wake);
		free(p);
		return NULL;
	}
	return p;
}

void
purger_stop(struct purger *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = 1;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	free(p);
}
