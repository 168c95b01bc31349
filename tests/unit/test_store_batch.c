/*
 * Unit tests of store_batch: the group commit (store_token_insert_queued).
 * What the identity logic builds on it is tested in test_idp_grants.c.
 *
 * To make batching observable, a second SQLite connection of the test's own
 * holds the database's write lock while inserts are queued: nothing may be
 * reported done until it lets go, and then everything queued commits.  A
 * trigger of the test's stands in for a database error in one insert.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../src/common/hash.h"
#include "../../src/store/store.h"
#include "t.h"

#define N_JOBS 64

struct done_log {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	int		 calls;
	enum store_rc	 rc[N_JOBS];
	int		 times[N_JOBS];		/* how often each was called */
	int		 visible[N_JOBS];	/* its row was readable in done */
	struct store	*st;
	uint8_t		 hash[N_JOBS][HASH_LEN];
};

struct job_ref {
	struct done_log	*log;
	int		 i;
};

static void
job_done(void *arg, enum store_rc rc)
{
	struct job_ref *ref = arg;
	struct done_log *log = ref->log;
	struct store_token got;

	if (rc == STORE_OK && store_token_get(log->st, log->hash[ref->i], &got) == STORE_OK) {
		log->visible[ref->i] = 1;
		store_token_clear(&got);
	}
	pthread_mutex_lock(&log->lock);
	log->rc[ref->i] = rc;
	log->times[ref->i]++;
	log->calls++;
	pthread_cond_broadcast(&log->cond);
	pthread_mutex_unlock(&log->lock);
}

static int
calls_so_far(struct done_log *log)
{
	int n;

	pthread_mutex_lock(&log->lock);
	n = log->calls;
	pthread_mutex_unlock(&log->lock);
	return n;
}

static void
wait_calls(struct done_log *log, int n)
{
	pthread_mutex_lock(&log->lock);
	while (log->calls < n)
		pthread_cond_wait(&log->cond, &log->lock);
	pthread_mutex_unlock(&log->lock);
}

/* A store holding app "c1" with the secret "s"; its path in path. */
static struct store *
store_with_app(char *path, size_t len, uint8_t secret[HASH_LEN])
{
	static char *uris[] = { "http://localhost:3000" };
	struct store_app app;
	char err[256];
	struct store *st;

	snprintf(path, len, "%s", t_db_spec());
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		return NULL;
	memset(&app, 0, sizeof(app));
	snprintf(app.client_id, sizeof(app.client_id), "c1");
	app.name = "one";
	app.redirect_uris = uris;
	app.n_redirect_uris = 1;
	app.has_secret = 1;
	hash_sha256("s", 1, secret);
	memcpy(app.secret_hash, secret, HASH_LEN);
	CHECK(store_app_insert(st, &app) == STORE_OK);
	return st;
}

/* A zeroed log and a fresh store with app "c1" (NULL if it failed). */
static struct store *
log_init(struct done_log *log, char *path, size_t len, uint8_t secret[HASH_LEN])
{
	memset(log, 0, sizeof(*log));
	pthread_mutex_init(&log->lock, NULL);
	pthread_cond_init(&log->cond, NULL);
	return store_with_app(path, len, secret);
}

/* Another connection that takes the write lock (BEGIN IMMEDIATE). */
static sqlite3 *
hold_write_lock(const char *path, const char *extra_sql)
{
	sqlite3 *db = NULL;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    (extra_sql && sqlite3_exec(db, extra_sql, NULL, NULL, NULL) != SQLITE_OK) ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		CHECK(!"cannot take the write lock");
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static void
queue_jobs(struct done_log *log, struct job_ref *refs, int from, int to,
    const uint8_t *secret, const char *scopes)
{
	for (int i = from; i < to; i++) {
		struct store_token tok;

		memset(&tok, 0, sizeof(tok));
		memset(log->hash[i], 0, HASH_LEN);
		log->hash[i][0] = (uint8_t)i;
		log->hash[i][1] = 0xab;
		memcpy(tok.hash, log->hash[i], HASH_LEN);
		snprintf(tok.client_id, sizeof(tok.client_id), "c1");
		tok.scopes = (char *)scopes;
		tok.created_at = 1;
		tok.expires_at = 2;
		refs[i].log = log;
		refs[i].i = i;
		store_token_insert_queued(log->st, &tok, secret, job_done, &refs[i]);
	}
}

static void
group_commit_waits_for_the_commit_and_takes_the_queue_whole(void)
{
	struct done_log log;
	struct job_ref refs[N_JOBS];
	uint8_t secret[HASH_LEN], wrong[HASH_LEN];
	char path[256];
	sqlite3 *other;

	if ((log.st = log_init(&log, path, sizeof(path), secret)) == NULL)
		return;
	hash_sha256("not it", 6, wrong);
	if ((other = hold_write_lock(path, NULL)) == NULL)
		goto out;
	queue_jobs(&log, refs, 0, N_JOBS - 2, secret, "");
	queue_jobs(&log, refs, N_JOBS - 2, N_JOBS - 1, wrong, "");	/* wrong secret */
	queue_jobs(&log, refs, N_JOBS - 1, N_JOBS, NULL, "");	/* no secret check */
	usleep(200 * 1000);
	CHECK(calls_so_far(&log) == 0);		/* nothing is done before its commit */
	sqlite3_exec(other, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(other);
	wait_calls(&log, N_JOBS);
	for (int i = 0; i < N_JOBS; i++) {
		CHECK(log.times[i] == 1);
		if (i == N_JOBS - 2)
			CHECK(log.rc[i] == STORE_NOTFOUND && !log.visible[i]);
		else
			CHECK(log.rc[i] == STORE_OK && log.visible[i]);
	}
	{
		struct store_stats stats;

		store_stats(log.st, &stats);
		/*
		 * The first job may have gone alone and the rest waited together:
		 * two commits.  A loaded machine may split them further; far fewer
		 * commits than inserts is what batching means.
		 */
		CHECK(stats.queued_writes == N_JOBS);
		CHECK(stats.group_commits >= 1 && stats.group_commits <= N_JOBS / 8);
		if (stats.group_commits < 1 || stats.group_commits > N_JOBS / 8)
			printf("    %llu group commits for %d jobs\n",
			    (unsigned long long)stats.group_commits, N_JOBS);
	}
out:
	store_close(log.st);
}

static void
group_commit_failure_fails_only_its_own_insert(void)
{
	struct done_log log;
	struct job_ref refs[N_JOBS];
	uint8_t secret[HASH_LEN];
	char path[256];
	sqlite3 *other;

	if ((log.st = log_init(&log, path, sizeof(path), secret)) == NULL)
		return;
	/* A database error for one insert of the batch (a trigger stands in for a full disk). */
	other = hold_write_lock(path, "CREATE TRIGGER boom BEFORE INSERT ON tokens "
	    "WHEN NEW.scopes = 'boom' BEGIN SELECT RAISE(ABORT, 'injected'); END");
	if (other == NULL)
		goto out;
	queue_jobs(&log, refs, 0, 10, secret, "");
	queue_jobs(&log, refs, 10, 11, secret, "boom");
	queue_jobs(&log, refs, 11, 20, secret, "");
	usleep(100 * 1000);
	sqlite3_exec(other, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(other);
	wait_calls(&log, 20);
	/* The batch was rolled back and its inserts ran again one by one. */
	for (int i = 0; i < 20; i++) {
		struct store_token got;

		CHECK(log.times[i] == 1);
		if (i == 10) {
			CHECK(log.rc[i] == STORE_ERROR && !log.visible[i]);
			CHECK(store_token_get(log.st, log.hash[i], &got) == STORE_NOTFOUND);
		} else
			CHECK(log.rc[i] == STORE_OK && log.visible[i]);
	}
	{
		struct store_stats stats;

		/* Job 0 may have committed alone; the failed batch is not counted. */
		store_stats(log.st, &stats);
		CHECK(stats.group_commits <= 1);
	}
	/* The queue keeps working after a failed batch. */
	queue_jobs(&log, refs, 20, 21, secret, "");
	wait_calls(&log, 21);
	CHECK(log.rc[20] == STORE_OK && log.visible[20]);
out:
	store_close(log.st);
}

/* Many threads queue at once; every job is answered once, and closing waits. */
struct flood {
	struct done_log	*log;
	struct job_ref	*refs;
	const uint8_t	*secret;
	int		 from;
};

static void *
flood_main(void *arg)
{
	struct flood *f = arg;

	queue_jobs(f->log, f->refs, f->from, f->from + N_JOBS / 4, f->secret, "");
	return NULL;
}

static void
group_commit_from_many_threads_then_close(void)
{
	struct done_log log;
	struct job_ref refs[N_JOBS];
	struct flood f[4];
	pthread_t th[4];
	uint8_t secret[HASH_LEN];
	char path[256];

	if ((log.st = log_init(&log, path, sizeof(path), secret)) == NULL)
		return;
	for (int t = 0; t < 4; t++) {
		f[t] = (struct flood){ &log, refs, secret, t * (N_JOBS / 4) };
		pthread_create(&th[t], NULL, flood_main, &f[t]);
	}
	for (int t = 0; t < 4; t++)
		pthread_join(th[t], NULL);
	/* Closing commits whatever is still queued before it returns. */
	store_close(log.st);
	CHECK(log.calls == N_JOBS);
	for (int i = 0; i < N_JOBS; i++)
		CHECK(log.times[i] == 1 && log.rc[i] == STORE_OK);
}

void
suite_store_batch(void)
{
	/* These two hold SQLite's write lock from a connection of their own. */
	if (!t_pg()) {
		RUN(group_commit_waits_for_the_commit_and_takes_the_queue_whole);
		RUN(group_commit_failure_fails_only_its_own_insert);
	}
	RUN(group_commit_from_many_threads_then_close);
}
