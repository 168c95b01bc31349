/* Unit tests of store: opening a database (a private file) and migrating it once. */
#include <stdio.h>
#include <sys/stat.h>

#include "../../src/store/store.h"
#include "t.h"

static void
store_creates_private_file_and_migrates_once(void)
{
	char path[256], dir[256], err[256];
	struct store *st = t_open_fresh(path, sizeof(path));
	struct stat sb;

	CHECK(st != NULL);
	if (st == NULL)
		return;
	CHECK(store_schema_version(st) >= 1);
	if (!t_pg()) {
		CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
		snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(path, '/') - path), path);
		CHECK(stat(dir, &sb) == 0 && (sb.st_mode & 0777) == 0700);
	}
	store_close(st);
	/* Reopening applies nothing twice. */
	st = store_open(path, err, sizeof(err));
	CHECK(st != NULL);
	store_close(st);
	CHECK(store_open("/proc/no/such/dir/x.db", err, sizeof(err)) == NULL);
	CHECK(strlen(err) > 0);
}

void
suite_store(void)
{
	RUN(store_creates_private_file_and_migrates_once);
}
