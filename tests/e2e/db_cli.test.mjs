// twauth db: an online backup of an SQLite database while a server keeps
// issuing tokens, and a check that finds a damaged database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, openSync, readSync, writeSync, closeSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import {
  startServer, createApp, cli, spawnCli, postForm, read, appToken, validate, freshDb, secretFileOf, tempDir, BACKEND, sqliteOnly,
} from './lib/harness.mjs';

test('sqlite: a backup taken while tokens are being issued opens elsewhere and holds every token issued before it', { skip: sqliteOnly }, async () => {
  const db = freshDb();
  const app = createApp(db, 'Backed Up');
  const server = await startServer({ db });
  // Enough rows that the copy takes several steps.
  const before = [];
  await Promise.all(Array.from({ length: 16 }, async () => {
    for (let i = 0; i < 100; i++) before.push(await appToken(server, app));
  }));

  // Keep the server writing while the backup runs.
  let writing = true;
  let during = 0;
  const load = (async () => { while (writing) { await appToken(server, app); during++; } })();
  const copy = path.join(tempDir(), 'copy.db');
  const r = await spawnCli(['db', 'backup', copy, '--db', db]).done;
  writing = false;
  await load;
  assert.ok(during >= 1, 'the server kept issuing while the backup ran');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Keep the secret file with it/);
  assert.equal(statSync(copy).mode & 0o777, 0o600);
  assert.equal(cli(['db', 'check'], { db: copy }).status, 0);

  // A second backup to the same file is refused and leaves the first alone.
  const size = statSync(copy).size;
  const again = cli(['db', 'backup', copy], { db });
  assert.equal(again.status, 1);
  assert.match(again.stderr, /cannot create .*File exists/);
  assert.equal(statSync(copy).size, size);
  await server.stop();

  copyFileSync(secretFileOf(db), secretFileOf(copy));
  const restored = await startServer({ db: copy });
  try {
    for (const t of before) assert.equal((await validate(restored, t)).status, 200);
    assert.equal((await validate(restored, 'x'.repeat(30))).status, 401);
  } finally {
    await restored.stop();
  }
});

test('sqlite: db check reports rows whose parent is gone, as text and as JSON, and exits 1', { skip: sqliteOnly }, async () => {
  const db = freshDb();
  const tv = createApp(db, 'Orphaned', ['http://localhost:3000'], ['--public']);
  const server = await startServer({ db });
  const d = await read(postForm(`${server.url}/oauth2/device`, { client_id: tv.client_id, scopes: 'chat:read' }));
  assert.equal(d.status, 200, d.text);
  await server.stop();
  assert.equal(cli(['db', 'check'], { db }).stdout.trim(), `${db}: ok`);

  // Delete the app behind twauth's back, without its cascade.
  const s = spawnSync('sqlite3', [db, 'PRAGMA foreign_keys=OFF; DELETE FROM apps;'], { encoding: 'utf8' });
  assert.equal(s.status, 0, s.stderr);
  const text = cli(['db', 'check'], { db });
  assert.equal(text.status, 1);
  assert.match(text.stdout, /problem: foreign key: a row of device_codes points to a missing row of apps/);
  const json = cli(['db', 'check', '--json'], { db });
  assert.equal(json.status, 1);
  assert.equal(json.json.ok, false);
  assert.ok(json.json.problems.length >= 1);
});

test('sqlite: db check on a file with overwritten pages exits 1 and says so', { skip: sqliteOnly }, async () => {
  const db = freshDb();
  createApp(db, 'Damaged');
  assert.equal(cli(['db', 'check'], { db }).status, 0);
  // Garbage over every page but the first (which holds the schema).
  const page = 4096;
  const pages = Math.floor(statSync(db).size / page);
  const fd = openSync(db, 'r+');
  const header = Buffer.alloc(100);
  readSync(fd, header, 0, 100, 0);
  assert.equal(header.readUInt16BE(16), page);
  for (let p = 1; p < pages; p++) writeSync(fd, Buffer.alloc(page, 0xa5), 0, page, p * page);
  closeSync(fd);
  const r = cli(['db', 'check'], { db });
  assert.equal(r.status, 1);
  assert.match(r.stdout + r.stderr, /problem:|could not check|malformed/);
});

test(`${BACKEND}: db check on a working database says ok; bad usage is explained`, () => {
  const db = freshDb();
  createApp(db, 'Checked');
  const ok = cli(['db', 'check', '--json'], { db });
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(ok.json, { ok: true, problems: [] });
  const none = cli(['db', 'backup'], { db });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /db backup wants the FILE to write/);
  const bad = cli(['db', 'vacuum'], { db });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown db subcommand 'vacuum'/);
  assert.match(cli(['db', '--help']).stdout, /twauth db backup FILE/);
});

test('postgresql: db backup says to use pg_dump and writes nothing', { skip: BACKEND !== 'postgresql' && 'needs PostgreSQL' }, () => {
  const db = freshDb();
  const out = path.join(tempDir(), 'x.db');
  const r = cli(['db', 'backup', out], { db });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /pg_dump/);
  assert.equal(existsSync(out), false);
});
