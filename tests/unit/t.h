/*
 * A minimal unit-test harness.  A test is a function; CHECK records a
 * failure and carries on, so one run reports every broken expectation.
 * Suites are listed in T_SUITES below and run by main.c.
 */
#ifndef T_H
#define T_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../src/cli/opt.h"
#include "../../src/store/store.h"

void t_fail(const char *file, int line, const char *expr);
void t_run(const char *name, void (*fn)(void));
/* A fresh empty directory for this test (removed at exit). */
const char *t_tmpdir(void);
/*
 * A fresh empty database for store_open: an SQLite path, or with
 * TWAUTH_TEST_PG_DIR set (a cluster of tests/pg.sh), a new PostgreSQL
 * database there.  Valid until the next call.
 */
const char *t_db_spec(void);
/* True when t_db_spec gives PostgreSQL databases. */
int t_pg(void);
/*
 * A whole file, NUL-terminated and malloc'd (its length in *len if not
 * NULL); NULL if unreadable.
 */
char *t_read_file(const char *path, size_t *len);
/* What is written to stderr between these two, malloc'd (the tests check messages). */
void t_stderr_begin(void);
char *t_stderr_end(void);
/* The same for stdout (what completion prints). */
void t_stdout_begin(void);
char *t_stdout_end(void);

#define CHECK(cond) do { if (!(cond)) t_fail(__FILE__, __LINE__, #cond); } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) \
		t_fail(__FILE__, __LINE__, #a " == " #b); } while (0)
#define RUN(fn) t_run(#fn, fn)

/*
 * The suites, one per module (test_<module>.c, its suite_<module>), in the
 * order main.c runs them: the modules below first.  idp's modules are
 * test_idp_<file>.c, as their functions are idp_*.
 */
#define T_SUITES(X) \
	X(buf) X(num) X(hash) X(rand) X(str) X(form) X(multipart) X(url) \
	X(auth_header) X(cookie) X(scopes) X(b64url) X(jws) X(metrics) \
	X(tlsfiles) X(forwarded) \
	X(html) X(store) X(db_sqlite) X(store_apps) X(store_tokens) \
	X(store_batch) X(store_purge) X(store_code) X(store_refresh) X(store_device) \
	X(store_buckets) X(store_channels) X(store_chaos) X(throttle) X(idp_apps) X(idp_grants) \
	X(idp_mint) X(idp_errors) X(idp_device) X(idp_keys) X(idp_pkce) X(idp_chaos) X(timeline) \
	X(oauth) X(idtoken) X(tokstore) X(cerr) X(scopecheck) \
	X(profile) X(pick) X(flow) X(api) X(rules) X(audit) X(listen) X(guard) X(catcher) X(opt) \
	X(optsource) X(serve_opts) X(cli) X(svgfile)
#define T_DECLARE(name) void suite_##name(void);
T_SUITES(T_DECLARE)

/* ---- fixtures.c ---- */

struct idp;
struct store;
struct store_app;
struct store_issue;

/*
 * The rules the store applies (store.h) with the numbers src/idp/ gives
 * it, for tests that call the store directly; t_purge purges at now with
 * rotated-out refresh tokens kept rotated_kept and keys retired before
 * keys_before gone (ended rows kept TW_PURGE_KEEP).
 */
struct store_refresh_rules;
struct store_poll_rules;
struct store_purged;
extern const struct store_refresh_rules t_refresh_rules;
extern const struct store_poll_rules t_poll_rules;
int t_purge(struct store *st, int64_t now, int64_t rotated_kept, int64_t keys_before,
    struct store_purged *out);

/* idp_app_create with the fields tests vary (no owner, category "Other"). */
int t_app_create(struct idp *idp, const char *name, char *const *uris, size_t n,
    unsigned flags, struct store_app *app, char *secret);
/* A fresh store with app "c1" (confidential) and user "alice" (*user_id). */
struct store *t_store_with_user(int64_t *user_id);
/* Fills *is with digests made of tag, created at now, living 100 s. */
void t_issue_for(struct store_issue *is, uint8_t tag, int refresh, int64_t now);
/*
 * A fresh empty store, its spec in path: on SQLite in a directory store_open
 * must make ("sub/t.db").  NULL (the reason printed) if it cannot be opened.
 */
struct store *t_open_fresh(char *path, size_t len);
/* Registers app "c1" (no secret, one redirect URI) straight in the store. */
int t_insert_app_c1(struct store *st, struct store_app *app, char **uris);

/*
 * The answers of writes queued for the group commit, each at its index:
 * queue job i with t_queued_done and &q->refs[i], then t_queued_wait.
 */
#define T_MAX_QUEUED	8
struct t_queued;
struct t_queued_ref {
	struct t_queued	*q;
	int		 i;
};
struct t_queued {
	pthread_mutex_t		lock;
	pthread_cond_t		cond;
	int			done;		/* answers so far */
	enum store_rc		rc[T_MAX_QUEUED];
	struct t_queued_ref	refs[T_MAX_QUEUED];
};
void t_queued_init(struct t_queued *q);
void t_queued_done(void *arg, enum store_rc rc);
/* Waits for n answers, then frees what t_queued_init made. */
void t_queued_wait(struct t_queued *q, int n);
/*
 * On SQLite, another connection's write lock on st's file, so that what is
 * queued meanwhile waits and commits as one batch (NULL on PostgreSQL, or
 * failed with a CHECK); t_write_lock_release lets it go.
 */
void *t_write_lock_take(struct store *st);
void t_write_lock_release(void *lock);

/* A fresh store and an idp on it whose app tokens live 100 s. */
struct t_env {
	char		 path[256];
	struct store	*st;
	struct idp	*idp;
};
int t_env_open(struct t_env *e);
/* Frees both and sets the clock's skew back to 0. */
void t_env_close(struct t_env *e);

/*
 * A command's options for the tests of opt.c and optsource.c: one row of
 * each type, read from $TWUT_* and --config (t_toy_rows).
 */
#define T_TOY_ENV	"TWUT_"
struct t_toy {
	const char	*name;		/* "name": checked, no leading 'x' */
	const char	*note;		/* "extremely-long-setting" */
	unsigned	 count;		/* 1 to 10, default 4 */
	int64_t		 big;		/* -5 to INT64_MAX */
	int		 loud;		/* "loud" */
	int		 chatty;	/* "quiet" clears it; default 1 */
	int		 mode;		/* fast, safe (the default) or slow */
	struct opt_list	 tags;		/* "tag": at most 3, lowercased, one word each */
	struct opt_list	 aliases;	/* "alias": at most 2, as given */
	const char	*config;	/* OPT_FILE */
	int		 help;		/* -h, --help; OPT_ARGV */
	struct optsource src;
};
extern const struct opt t_toy_rows[];
void t_toy_defaults(struct t_toy *t);

#endif
