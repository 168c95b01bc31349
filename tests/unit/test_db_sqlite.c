/* Unit tests of db_sqlite, the SQLite driver: its WAL does not grow without end. */
#include <stdio.h>
#include <sys/stat.h>

#include "../../src/common/hash.h"
#include "../../src/store/store.h"
#include "t.h"

/*
 * SQLite's read lock keeper must let go around our writes: else checkpoints
 * could never restart the WAL, which would grow with every commit.
 */
static void
store_wal_restarts_under_reads_and_writes(void)
{
	char path[256], wal[300];
	struct store *st = t_open_fresh(path, sizeof(path));
	char *uris[] = { "http://localhost:3000" };
	struct store_app app;
	struct store_token tok = { 0 }, got;
	struct stat sb;

	if (st == NULL)
		return;
	CHECK(t_insert_app_c1(st, &app, uris) == STORE_OK);
	snprintf(tok.client_id, sizeof(tok.client_id), "c1");
	tok.scopes = "";
	tok.expires_at = 100;
	/* 4000 commits of about one page each: four times the checkpoint interval. */
	for (int i = 0; i < 4000; i++) {
		memset(tok.hash, 0, HASH_LEN);
		memcpy(tok.hash, &i, sizeof(i));
		CHECK(store_token_insert(st, &tok, NULL) == STORE_OK);
		CHECK(store_token_get(st, tok.hash, &got) == STORE_OK);
		store_token_clear(&got);
	}
	snprintf(wal, sizeof(wal), "%s-wal", path);
	CHECK(stat(wal, &sb) == 0);
	/* Restarted, it stays near 1000 pages (4 MiB); pinned it would be past 12. */
	CHECK(sb.st_size < 8 * 1024 * 1024);
	store_close(st);
}

void
suite_db_sqlite(void)
{
	if (!t_pg())
		RUN(store_wal_restarts_under_reads_and_writes);
}
