// `twauth app ...`: every subcommand, its --json shape, and bad input that
// exits 2 with a clear message and leaves the database exactly as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDir, BACKEND, freshDb as harnessDb } from './lib/harness.mjs';

// SQLite: in a directory that does not exist yet (it is made private).
const freshDb = () => (BACKEND === 'sqlite' ? path.join(tempDir(), 'data', 'twauth.db') : harnessDb());
const list = (db) => cli(['app', 'list', '--json'], { db }).json;

test('app create: confidential and public, --json shape, secret shown once', () => {
  const db = freshDb();
  const c = cli(['app', 'create', '--name', 'My Bot', '--redirect-uri', 'http://localhost:3000',
    '--redirect-uri', 'https://bot.example/cb', '--json'], { db });
  assert.equal(c.status, 0, c.stderr);
  assert.deepEqual(Object.keys(c.json).sort(),
    ['category', 'client_id', 'client_secret', 'name', 'owner', 'profile', 'redirect_uris', 'scope_format', 'type']);
  assert.equal(c.json.category, 'Other');
  assert.equal(c.json.owner, null);
  assert.equal(c.json.scope_format, 'array', 'Twitch\'s shape unless asked');
  assert.match(c.json.client_id, /^[0-9a-z]{30}$/);
  assert.match(c.json.client_secret, /^[0-9a-z]{30}$/);
  assert.equal(c.json.type, 'confidential');
  assert.deepEqual(c.json.redirect_uris, ['http://localhost:3000', 'https://bot.example/cb']);
  const p = cli(['app', 'create', '--name', 'CLI', '--redirect-uri', 'http://localhost:3000', '--public', '--json'], { db });
  assert.equal(p.status, 0, p.stderr);
  assert.equal(p.json.type, 'public');
  assert.equal(p.json.client_secret, null);
  // The secret is never shown again.
  const show = cli(['app', 'show', c.json.client_id, '--json'], { db });
  assert.equal(show.status, 0);
  assert.equal(show.json.client_secret, undefined);
  assert.ok(!show.stdout.includes(c.json.client_secret));
  const all = cli(['app', 'list'], { db });
  assert.ok(!all.stdout.includes(c.json.client_secret));
  assert.match(all.stdout, /My Bot/);
  assert.equal(list(db).length, 2);
  // The database and its directory are private.
  if (BACKEND === 'sqlite') {
    assert.equal(statSync(db).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(db)).mode & 0o777, 0o700);
  }
});

test('app create: human output names every field and how to recover a lost secret', () => {
  const db = freshDb();
  const c = cli(['app', 'create', '--name', 'Readable', '--redirect-uri', 'http://localhost:3000'], { db });
  assert.equal(c.status, 0);
  assert.match(c.stdout, /client id: +[0-9a-z]{30}/);
  assert.match(c.stdout, /client secret: +[0-9a-z]{30}/);
  assert.match(c.stdout, /twauth app reset-secret/);
});

test('bad input: exit 2, a clear message, database unchanged', () => {
  const db = freshDb();
  const a = cli(['app', 'create', '--name', 'Keep', '--redirect-uri', 'http://localhost:3000', '--json'], { db }).json;
  const before = JSON.stringify(list(db));
  const cases = [
    [['app', 'create', '--redirect-uri', 'http://localhost:3000'], /needs --name/],
    [['app', 'create', '--name', '', '--redirect-uri', 'http://localhost:3000'], /app name must be/],
    [['app', 'create', '--name', 'x'], /at least one redirect URI/],
    [['app', 'create', '--name', 'x', '--redirect-uri', 'localhost:3000'], /absolute http/],
    [['app', 'create', '--name', 'x', '--redirect-uri', 'ftp://a.test/'], /absolute http/],
    [['app', 'create', '--name', 'x', '--redirect-uri', 'http://a.test/#frag'], /fragment/],
    [['app', 'create', '--name', 'x', '--redirect-uri', 'http://user@a.test/'], /user name/],
    [['app', 'create', '--name', 'x', '--redirect-uri', 'http://a.test', 'stray'], /takes no arguments/],
    [['app', 'show', 'nosuchapp'], /no app with that client id/],
    [['app', 'show'], /one CLIENT_ID/],
    [['app', 'reset-secret', 'nosuchapp'], /no app with that client id/],
    [['app', 'delete', 'nosuchapp'], /no app with that client id/],
    [['app', 'redirect', 'add', a.client_id, 'not a url'], /absolute http/],
    [['app', 'redirect', 'add', a.client_id, 'http://localhost:3000'], /registered already/],
    [['app', 'redirect', 'remove', a.client_id, 'http://other.test'], /not registered/],
    [['app', 'redirect', 'remove', a.client_id, 'http://localhost:3000'], /last redirect URI/],
    [['app', 'redirect', 'add', 'nosuchapp', 'http://x.test'], /no app with that client id/],
    [['app', 'redirect', 'frob', a.client_id], /'add' or 'remove'/],
    [['app', 'frob'], /unknown app subcommand/],
    [['app', 'list', '--public'], /only for 'twauth app create'/],
  ];
  for (const [args, msg] of cases) {
    const r = cli(args, { db });
    assert.equal(r.status, 2, `${args.join(' ')} -> ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, msg, args.join(' '));
    assert.equal(r.stdout, '', `${args.join(' ')} printed to stdout`);
  }
  assert.equal(JSON.stringify(list(db)), before, 'database unchanged');
});

test('redirect add/remove, at most 10, and delete', () => {
  const db = freshDb();
  const a = cli(['app', 'create', '--name', 'R', '--redirect-uri', 'http://localhost:3000', '--json'], { db }).json;
  for (let i = 1; i < 10; i++) {
    const r = cli(['app', 'redirect', 'add', a.client_id, `http://localhost:${4000 + i}/cb`], { db });
    assert.equal(r.status, 0, r.stderr);
  }
  const full = cli(['app', 'redirect', 'add', a.client_id, 'http://localhost:5000'], { db });
  assert.equal(full.status, 2);
  assert.match(full.stderr, /at most 10/);
  const rm = cli(['app', 'redirect', 'remove', a.client_id, 'http://localhost:3000', '--json'], { db });
  assert.equal(rm.status, 0, rm.stderr);
  assert.equal(rm.json.redirect_uris.length, 9);
  assert.ok(!rm.json.redirect_uris.includes('http://localhost:3000'));
  const del = cli(['app', 'delete', a.client_id], { db });
  assert.equal(del.status, 0);
  assert.equal(list(db).length, 0);
});

test('TWAUTH_DB selects the database when --db is absent', () => {
  const db = freshDb();
  const r = cli(['app', 'create', '--name', 'Env', '--redirect-uri', 'http://localhost:3000', '--json'],
    { env: { TWAUTH_DB: db } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(list(db)[0].client_id, r.json.client_id);
});

test('--help explains every flag with an example', () => {
  const top = cli(['--help']);
  assert.equal(top.status, 0);
  for (const w of ['serve', 'app', '--db', 'TWAUTH_DB', 'Run \'twauth <command> --help\'']) assert.ok(top.stdout.includes(w), w);
  const serve = cli(['serve', '--help']);
  assert.equal(serve.status, 0);
  for (const f of ['--listen', '--db', '--public-url', '--app-token-ttl', '--threads', '--idle-timeout',
    '--body-timeout', '--max-connections', '--no-access-log', 'Examples:']) assert.ok(serve.stdout.includes(f), f);
  const app = cli(['app', '--help']);
  assert.equal(app.status, 0);
  for (const f of ['create', 'list', 'show', 'reset-secret', 'redirect add', 'redirect remove', 'delete',
    '--json', '--public', '--db', 'Examples:']) assert.ok(app.stdout.includes(f), f);
  const bad = cli(['frobnicate']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command 'frobnicate'/);
  const badflag = cli(['serve', '--threads', 'many']);
  assert.equal(badflag.status, 2);
  assert.match(badflag.stderr, /--threads wants a whole number/);
});

test('serve: a clear error when the database cannot be opened', () => {
  const r = cli(['serve', '--db', '/proc/nonexistent/twauth.db']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot (create directory|open)/);
});

test('app scope-format switches how token responses spell scope', () => {
  const db = freshDb();
  const a = cli(['app', 'create', '--name', 'RP', '--redirect-uri', 'http://localhost:3000',
    '--scope-string', '--json'], { db }).json;
  assert.equal(a.scope_format, 'string');
  const r = cli(['app', 'scope-format', a.client_id, 'array', '--json'], { db });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.json.scope_format, 'array');
  assert.equal(cli(['app', 'show', a.client_id, '--json'], { db }).json.scope_format, 'array');
  const bad = cli(['app', 'scope-format', a.client_id, 'list'], { db });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /'array' or 'string'/);
  const unknown = cli(['app', 'scope-format', 'nosuchapp', 'string'], { db });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no app with that client id/);
});

test('app owner gives an app to a user; unknown app or user: exit 2, nothing changed', () => {
  const db = freshDb();
  for (const u of ['olga', 'pavel']) {
    const r = cli(['user', 'create', '--login', u, '--password-stdin'], { db, input: 'long enough pw\n' });
    assert.equal(r.status, 0, r.stderr);
  }
  const a = cli(['app', 'create', '--name', 'Orphan', '--redirect-uri', 'http://localhost:3000', '--json'], { db }).json;
  assert.equal(a.owner, null);
  const r = cli(['app', 'owner', a.client_id, 'Olga', '--json'], { db });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.json.owner, 'olga');
  assert.equal(r.json.client_id, a.client_id);
  const human = cli(['app', 'owner', a.client_id, 'pavel'], { db });
  assert.equal(human.status, 0, human.stderr);
  assert.match(human.stdout, /owner: +pavel/);
  const before = JSON.stringify(list(db));
  for (const [args, msg] of [
    [['app', 'owner', 'nosuchapp', 'olga'], /no app with that client id/],
    [['app', 'owner', a.client_id, 'nosuchuser'], /no user with that login/],
    [['app', 'owner', a.client_id], /CLIENT_ID LOGIN/],
  ]) {
    const bad = cli(args, { db });
    assert.equal(bad.status, 2, `${args.join(' ')}: ${bad.stderr}`);
    assert.match(bad.stderr, msg);
    assert.equal(bad.stdout, '');
  }
  assert.equal(JSON.stringify(list(db)), before, 'database unchanged');
  assert.match(cli(['app', '--help']).stdout, /owner CLIENT_ID LOGIN/);
});
