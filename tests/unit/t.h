/*
 * A minimal unit-test harness.  A test is a function; CHECK records a
 * failure and carries on, so one run reports every broken expectation.
 * Suites are called from main.c.
 */
#ifndef T_H
#define T_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

#define CHECK(cond) do { if (!(cond)) t_fail(__FILE__, __LINE__, #cond); } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) \
		t_fail(__FILE__, __LINE__, #a " == " #b); } while (0)
#define RUN(fn) t_run(#fn, fn)

void suite_buf(void);
void suite_num(void);
void suite_hash(void);
void suite_rand(void);
void suite_form(void);
void suite_multipart(void);
void suite_url(void);
void suite_auth_header(void);
void suite_forwarded(void);
void suite_store(void);
void suite_idp(void);
void suite_signin(void);
void suite_device(void);
void suite_jws(void);
void suite_client(void);
void suite_group_commit(void);
void suite_purge(void);
void suite_catcher(void);
void suite_cerr(void);
void suite_flow(void);
void suite_listen(void);
void suite_pick(void);
void suite_profile(void);
void suite_scopecheck(void);

/*
 * The rules the store applies (store.h) with the numbers src/idp/ gives
 * it, for tests that call the store directly; t_purge purges at now with
 * rotated-out refresh tokens kept rotated_kept and keys retired before
 * keys_before gone (ended rows kept TW_PURGE_KEEP).
 */
struct store_refresh_rules;
struct store_poll_rules;
struct store;
struct store_purged;
extern const struct store_refresh_rules t_refresh_rules;
extern const struct store_poll_rules t_poll_rules;
int t_purge(struct store *st, int64_t now, int64_t rotated_kept, int64_t keys_before,
    struct store_purged *out);

/* idp_app_create with the fields tests vary (no owner, category "Other"). */
struct idp;
struct store_app;
int t_app_create(struct idp *idp, const char *name, char *const *uris, size_t n,
    unsigned flags, struct store_app *app, char *secret);

/* test_signin.c: a fresh store with app "c1" and user "alice" (*user_id). */
struct store_issue;
struct store *t_store_with_user(int64_t *user_id);
/* Fills *is with digests made of tag, created at now, living 100 s. */
void t_issue_for(struct store_issue *is, uint8_t tag, int refresh, int64_t now);

#endif
