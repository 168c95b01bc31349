// The schema the migrations make, on each backend, against the one kept in
// tests/e2e/schema/: what SQLite's catalog holds (every CREATE as written,
// the id sequences), and what PostgreSQL's says (columns with their types,
// defaults and identities, indexes, constraints).  A migration that changes
// the schema by accident fails here; one that changes it on purpose comes
// with a new version and a new expected file (TWAUTH_SCHEMA_UPDATE=1 writes
// it).  The expected files were made by twauth before its migrations became
// one list for both backends, so this also proves that list makes exactly
// what the two lists before it made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, freshDb, PG_DIR, BACKEND } from './lib/harness.mjs';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const expectedFile = path.join(root, 'tests', 'e2e', 'schema', `${BACKEND}.txt`);

const PG_QUERIES = [
  "SELECT table_name, ordinal_position, column_name, data_type, is_nullable, " +
    "coalesce(column_default, ''), is_identity, coalesce(identity_generation, ''), " +
    "coalesce(identity_start, ''), coalesce(identity_increment, '') " +
    "FROM information_schema.columns WHERE table_schema = 'public' " +
    'ORDER BY table_name, ordinal_position',
  "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' " +
    'ORDER BY tablename, indexname',
  'SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) ' +
    "FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
  'SELECT version FROM twauth_schema',
];
const SQLITE_QUERIES = [
  'SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name',
  'SELECT name, seq FROM sqlite_sequence ORDER BY name',
  'PRAGMA user_version',
];

function dump(db) {
  const out = [];
  for (const q of PG_DIR ? PG_QUERIES : SQLITE_QUERIES) {
    const r = PG_DIR
      ? spawnSync(path.join(root, 'tests', 'pg.sh'), ['sql', PG_DIR, new URL(db).pathname.slice(1), q],
        { encoding: 'utf8' })
      : spawnSync('sqlite3', ['-separator', ' | ', db, q], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    out.push(`-- ${q}`, r.stdout.trimEnd());
  }
  return `${out.join('\n')}\n`;
}

test(`${BACKEND}: a new database has exactly the expected schema`, () => {
  const db = freshDb();
  const r = cli(['db', 'check'], { db });
  assert.equal(r.status, 0, r.stderr);
  const got = dump(db);
  if (process.env.TWAUTH_SCHEMA_UPDATE === '1') writeFileSync(expectedFile, got);
  assert.equal(got, readFileSync(expectedFile, 'utf8'));
});
