#include "db.h"
#include <stdio.h>
static struct db *
pg_open(const char *spec, char *err, size_t err_len)
{
	(void)spec;
	snprintf(err, err_len, "PostgreSQL is not supported by this build yet; use a file path for SQLite");
	return NULL;
}
const struct db_driver db_pg_driver = { .name = "postgresql", .open = pg_open };
