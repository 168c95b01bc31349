// The database stops taking writes: SQLite on a full disk (the server runs
// under a file-size limit, so its writes fail as on a full disk), and
// PostgreSQL made read-only.  Requests that must write answer 503 in
// Twitch's format; nothing is answered 200 that was not stored (a
// revocation above all); reads go on; once writes work again, so does
// everything, and nothing half-written is left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync, existsSync } from 'node:fs';
import path from 'node:path';
import {
  startServer, createApp, cli, postForm, read, validate, appToken, freshDb, twitchError, BACKEND,
  PG_DIR,
} from './lib/harness.mjs';

const UNAVAILABLE = 'service unavailable: the database failed; try again';

const issue = (server, app) => read(postForm(`${server.url}/oauth2/token`, {
  client_id: app.client_id, client_secret: app.client_secret, grant_type: 'client_credentials',
}));
const revoke = (server, app, token) => read(postForm(`${server.url}/oauth2/revoke`, {
  client_id: app.client_id, token,
}));

// Issues app tokens until the database refuses one; returns those it took.
async function issueUntilRefused(server, app) {
  const stored = [];
  for (let i = 0; i < 20000; i++) {
    const r = await issue(server, app);
    if (r.status === 200) { stored.push(r.json.access_token); continue; }
    twitchError(r, 503, UNAVAILABLE);
    return stored;
  }
  assert.fail('the database never refused a write');
}

// While writes fail: the same refusals every time, reads still answered.
async function whileRefusing(server, app, stored) {
  twitchError(await issue(server, app), 503, UNAVAILABLE);
  for (const t of stored) assert.equal((await validate(server, t)).status, 200);
  // A revocation that could not be recorded is never a 200.
  twitchError(await revoke(server, app, stored[0]), 503, UNAVAILABLE);
  assert.equal((await validate(server, stored[0])).status, 200, 'not revoked after all');
  const h = await read(fetch(`${server.url}/healthz`));
  assert.equal(h.status, 200, 'reads and the process are fine');
}

// Once writes work again: every stored token still validates, revocation works.
async function afterRecovery(server, app, stored) {
  for (const t of stored) assert.equal((await validate(server, t)).status, 200);
  assert.equal((await revoke(server, app, stored[0])).status, 200);
  twitchError(await validate(server, stored[0]), 401, 'invalid access token');
  assert.equal((await validate(server, await appToken(server, app))).status, 200);
}

test('sqlite: a full disk: writes answer 503, nothing unstored is answered 200, and all is well after', { skip: PG_DIR ? 'about the SQLite file' : false }, async () => {
  const db = freshDb();
  const app = createApp(db, 'Full Disk');
  let server = await startServer({ db });
  await appToken(server, app);
  await server.stop();

  // The files may grow 32 KiB past their size now, then writes fail.
  const sizes = [db, `${db}-wal`].filter(existsSync).map((f) => statSync(f).size);
  const blocks = Math.ceil((Math.max(...sizes) + 32768) / 1024);
  server = await startServer({ db, preExec: `trap '' XFSZ; ulimit -f ${blocks}` });
  let stored;
  try {
    stored = await issueUntilRefused(server, app);
    assert.ok(stored.length >= 1, 'some tokens went in first');
    await whileRefusing(server, app, stored);
    assert.match(server.log, /sqlite: .*(disk|full|I\/O)/i, 'the cause is logged');
    // Once, not once per refused request: the log must not fill the disk too.
    for (let i = 0; i < 20; i++) assert.equal((await issue(server, app)).status, 503);
    const lines = server.log.split('\n').filter((l) => / error: sqlite: /.test(l));
    assert.ok(lines.length <= 3, `${lines.length} error lines for a few hundred ms of refusals`);
  } finally {
    await server.stop();
  }

  const check = cli(['db', 'check'], { db });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  server = await startServer({ db });
  try { await afterRecovery(server, app, stored); } finally { await server.stop(); }
});

// Runs SQL as superuser, from the cluster's own database "postgres".
function pgSql(sql) {
  const root = path.resolve(new URL('../..', import.meta.url).pathname);
  const r = spawnSync(path.join(root, 'tests', 'pg.sh'), ['sql', PG_DIR, 'postgres', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

// Read-only for new sessions; existing ones are ended so the server reconnects.
function pgReadOnly(db, on) {
  const name = new URL(db).pathname.slice(1);
  pgSql(`ALTER DATABASE ${name} SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
  pgSql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
}

test('postgresql: a read-only database: writes answer 503, nothing unstored is answered 200, and all is well after', { skip: BACKEND !== 'postgresql' && 'needs PostgreSQL' }, async () => {
  const db = freshDb();
  const app = createApp(db, 'Read Only');
  const server = await startServer({ db });
  try {
    const stored = [];
    for (let i = 0; i < 5; i++) stored.push(await appToken(server, app));
    pgReadOnly(db, true);
    await whileRefusing(server, app, stored);
    pgReadOnly(db, false);
    await afterRecovery(server, app, stored);
  } finally {
    await server.stop();
  }
});
