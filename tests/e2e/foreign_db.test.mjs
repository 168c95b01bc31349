// A database that is not twauth's (another program's SQLite file, a
// PostgreSQL database with tables of its own) is refused with a message
// that says so, and nothing in it changes: not one byte of the file, not
// its journal mode, no table added, no secret file made.  A database made
// by a twauth from before the mark is still taken, and marked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cli, createApp, freshDb, tempDir, sqliteOnly, PG_DIR } from './lib/harness.mjs';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const sha = (f) => createHash('sha256').update(readFileSync(f)).digest('hex');
const sqlite = (db, sql) => {
  const r = spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};
const serve = (db, env = {}) => spawnSync(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', db],
  { encoding: 'utf8', timeout: 10000, env: { ...process.env, ...env } });

test('another program\'s SQLite file is refused and left exactly as it was', { skip: sqliteOnly },
  () => {
    for (const schema of ['CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);',
      // A table name twauth also uses: refused all the same, before any migration.
      'CREATE TABLE users (name TEXT); PRAGMA user_version = 3;']) {
      const db = path.join(tempDir(), 'theirs.db');
      sqlite(db, `${schema} PRAGMA application_id = 42;`);
      const before = sha(db);
      const r = serve(db);
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, /is not a twauth database: it holds another program's tables .*give --db a new file/);
      const list = cli(['app', 'list'], { db });
      assert.notEqual(list.status, 0);
      assert.equal(sha(db), before, 'not one byte changed');
      assert.equal(sqlite(db, 'PRAGMA journal_mode'), 'delete');
      assert.ok(!existsSync(`${db}.secret`), 'no secret file made');
      assert.ok(!existsSync(`${db}-wal`));
    }
  });

test('a twauth database from before the mark is taken and marked', { skip: sqliteOnly }, () => {
  const db = freshDb();
  createApp(db, 'Old');
  sqlite(db, 'PRAGMA application_id = 0');
  const r = cli(['app', 'list', '--json'], { db });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.json.length, 1);
  assert.equal(sqlite(db, 'PRAGMA application_id'), String(0x74776175));
});

test('a PostgreSQL database with tables of its own is refused and left as it was',
  { skip: PG_DIR ? false : 'PostgreSQL only' }, () => {
    const db = freshDb();
    const name = new URL(db).pathname.slice(1);
    const psql = (sql) => {
      const r = spawnSync(path.join(root, 'tests', 'pg.sh'), ['sql', PG_DIR, name, sql],
        { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim();
    };
    psql('CREATE TABLE notes (id int); INSERT INTO notes VALUES (1)');
    const secret = path.join(tempDir(), 's.secret');
    const r = serve(db, { TWAUTH_SECRET_FILE: secret });
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /is not a twauth database: it holds another program's tables and no twauth schema/);
    assert.equal(psql("SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'"),
      'notes');
    assert.ok(!existsSync(secret), 'no secret file made');
  });
