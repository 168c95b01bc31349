/*
 * What the unit tests start from: fresh stores, with or without an app and
 * a user, apps made through the identity logic, token digests made of a
 * tag, and a table of options.  Declared in t.h.
 */
#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>

#include "../../src/cli/cli.h"
#include "../../src/common/clock.h"
#include "../../src/idp/idp.h"
#include "../../src/store/store.h"
#include "t.h"

const struct store_refresh_rules t_refresh_rules = {
	.retry_window = TW_REFRESH_RETRY, .max_replacements = TW_REFRESH_REPLACEMENTS,
};
const struct store_poll_rules t_poll_rules = {
	.slow_down = TW_DEVICE_SLOW_DOWN, .max_interval = TW_DEVICE_MAX_INTERVAL,
};

int
t_purge(struct store *st, int64_t now, int64_t rotated_kept, int64_t keys_before,
    struct store_purged *out)
{
	struct store_purge_rules r = {
		.now = now, .ended_kept = TW_PURGE_KEEP, .rotated_kept = rotated_kept,
		.keys_before = keys_before,
	};

	return store_purge(st, &r, out);
}

int
t_app_create(struct idp *idp, const char *name, char *const *uris, size_t n,
    unsigned flags, struct store_app *app, char *secret)
{
	struct idp_app_new nw = {
		.name = name, .redirect_uris = uris, .n_redirect_uris = n, .flags = flags,
	};

	return idp_app_create(idp, &nw, app, secret);
}

struct store *
t_store_with_user(int64_t *user_id)
{
	static char *uris[] = { "http://localhost:3000" };
	struct store_app app;
	struct store_user u;
	char path[256], err[256];
	struct store *st;

	snprintf(path, sizeof(path), "%s", t_db_spec());
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		return NULL;
	memset(&app, 0, sizeof(app));
	snprintf(app.client_id, sizeof(app.client_id), "c1");
	app.name = "one";
	app.redirect_uris = uris;
	app.n_redirect_uris = 1;
	app.has_secret = 1;
	CHECK(store_app_insert(st, &app) == STORE_OK);
	memset(&u, 0, sizeof(u));
	snprintf(u.login, sizeof(u.login), "alice");
	u.display_name = "Alice";
	u.password_hash = "$argon2id$not-checked-here";
	CHECK(store_user_insert(st, &u) == STORE_OK);
	CHECK(u.id > 100000000);
	CHECK(store_user_insert(st, &u) == STORE_CONFLICT);
	*user_id = u.id;
	return st;
}

void
t_issue_for(struct store_issue *is, uint8_t tag, int refresh, int64_t now)
{
	memset(is, 0, sizeof(*is));
	memset(is->access.hash, tag, HASH_LEN);
	is->access.created_at = now;
	is->access.expires_at = now + 100;
	is->has_refresh = refresh;
	memset(is->refresh_hash, tag + 100, HASH_LEN);
}

struct store *
t_open_fresh(char *path, size_t len)
{
	char err[256];
	struct store *st;

	if (t_pg())
		snprintf(path, len, "%s", t_db_spec());
	else
		snprintf(path, len, "%s/sub/t.db", t_tmpdir());
	st = store_open(path, err, sizeof(err));
	if (st == NULL)
		printf("    store_open: %s\n", err);
	return st;
}

int
t_insert_app_c1(struct store *st, struct store_app *app, char **uris)
{
	memset(app, 0, sizeof(*app));
	snprintf(app->client_id, sizeof(app->client_id), "c1");
	app->name = "one";
	app->redirect_uris = uris;
	app->n_redirect_uris = 1;
	return store_app_insert(st, app);
}

int
t_env_open(struct t_env *e)
{
	struct idp_config cfg;

	idp_config_defaults(&cfg);
	cfg.app_token_ttl = 100;
	e->st = t_open_fresh(e->path, sizeof(e->path));
	e->idp = e->st ? idp_new(e->st, &cfg) : NULL;
	return e->st ? 0 : -1;
}

void
t_env_close(struct t_env *e)
{
	idp_free(e->idp);
	store_close(e->st);
	clock_set_skew(0);
}

static int
toy_check_name(const char *flag, const char *v)
{
	if (v[0] != 'x')
		return 0;
	cli_error("%s wants a name without an x first, not '%s'", flag, v);
	return -1;
}

static int
toy_canon_tag(const char *flag, const char *v, char *out, size_t len)
{
	size_t i;

	if (strchr(v, ' ') != NULL || strlen(v) >= len) {
		cli_error("%s wants one word, not '%s'", flag, v);
		return -1;
	}
	for (i = 0; v[i] != '\0'; i++)
		out[i] = (char)tolower((unsigned char)v[i]);
	out[i] = '\0';
	return 0;
}

static const char *const toy_modes[] = { "fast", "safe", "slow", NULL };

#define TOY(how, f)	OPT_AS_##how(struct t_toy, f)

const struct opt t_toy_rows[] = {
	{ "name", TOY(STR, name), .arg = "NAME", .check = toy_check_name, .unset = "anonymous",
	    .help = "who it is" },
	{ "extremely-long-setting", TOY(STR, note), .arg = "VALUE",
	    .help = "a label too long to share its line with the help, which then starts on "
	    "the next one and goes on for long enough to be wrapped more than once, word by "
	    "word, never past the width" },
	{ "count", TOY(UINT, count), .arg = "N", .min = 1, .max = 10, .help = "how many" },
	{ "big", TOY(I64, big), .arg = "N", .min = -5, .max = INT64_MAX, .help = "how much" },
	{ "loud", TOY(ON, loud), .help = "speak up" },
	{ "quiet", TOY(OFF, chatty), .help = "say less" },
	{ "mode", TOY(CHOICE, mode), .choices = toy_modes, .help = "how to go" },
	{ "tag", TOY(LIST, tags), .arg = "WORD", .max = 3, .canon = toy_canon_tag,
	    .items = "tags", .unset = "untagged", .help = "a label" },
	{ "alias", TOY(LIST, aliases), .arg = "NAME", .max = 2, .items = "aliases",
	    .help = "another name" },
	{ "config", TOY(STR, config), .arg = "FILE", .group = 1, .flags = OPT_FILE,
	    .help = "read FILE first" },
	{ "help", TOY(ON, help), .short_name = 'h', .group = 1, .flags = OPT_ARGV,
	    .help = "this help" },
	{ .name = NULL }
};

void
t_toy_defaults(struct t_toy *t)
{
	memset(t, 0, sizeof(*t));
	t->count = 4;
	t->chatty = 1;
	t->mode = 1;
}

void
t_queued_init(struct t_queued *q)
{
	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cond, NULL);
	for (int i = 0; i < T_MAX_QUEUED; i++) {
		q->refs[i].q = q;
		q->refs[i].i = i;
	}
}

void
t_queued_done(void *arg, enum store_rc rc)
{
	struct t_queued_ref *r = arg;

	pthread_mutex_lock(&r->q->lock);
	r->q->rc[r->i] = rc;
	r->q->done++;
	pthread_cond_broadcast(&r->q->cond);
	pthread_mutex_unlock(&r->q->lock);
}

void
t_queued_wait(struct t_queued *q, int n)
{
	pthread_mutex_lock(&q->lock);
	while (q->done < n)
		pthread_cond_wait(&q->cond, &q->lock);
	pthread_mutex_unlock(&q->lock);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->cond);
}

void *
t_write_lock_take(struct store *st)
{
	sqlite3 *other = NULL;

	if (t_pg())
		return NULL;
	if (sqlite3_open(store_where(st), &other) != SQLITE_OK ||
	    sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		CHECK(!"cannot take the write lock");
		sqlite3_close(other);
		return NULL;
	}
	return other;
}

void
t_write_lock_release(void *lock)
{
	if (lock == NULL)
		return;
	sqlite3_exec(lock, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(lock);
}
