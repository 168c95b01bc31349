/*
 * Where each connection keeps its prepared statements (db.h): an open
 * addressing table from a statement's address to a slot number, which the
 * driver uses as the index of its own arrays (SQLite's sqlite3_stmt, the
 * name PostgreSQL knows the statement by).  Statements never go away, so
 * nothing is ever removed.  One connection is used by one thread at a
 * time, so the table needs no lock.
 */
#include <stdint.h>

#include "../common/xmalloc.h"
#include "db.h"

_Static_assert((DB_SLOTS & (DB_SLOTS - 1)) == 0, "DB_SLOTS is a power of two");
_Static_assert(DB_SLOTS >= 2 * DB_MAX_STMTS, "DB_SLOTS leaves probes short");

unsigned
db_slot(struct db_slots *sl, const struct stmt *s)
{
	/* Fibonacci hashing of the address; its low bits are alignment. */
	unsigned i = (unsigned)(((uintptr_t)s >> 3) * UINT64_C(0x9e3779b97f4a7c15) >> 40);

	for (;; i++) {
		i &= DB_SLOTS - 1;
		if (sl->key[i] == s)
			return i;
		if (sl->key[i] == NULL)
			break;
	}
	if (sl->used >= DB_MAX_STMTS)
		fatal("more than %d SQL statements: raise DB_MAX_STMTS", DB_MAX_STMTS);
	sl->key[i] = s;
	sl->used++;
	return i;
}
