// A database that hangs: an SQLite file another process keeps locked, and
// a PostgreSQL cluster frozen with SIGSTOP.  Every request that needs what
// the database cannot give is answered 503 in Twitch's format within the
// deadline (--db-timeout), none is left without an answer; /healthz (the
// process lives) answers at once throughout, /readyz (the database
// answers) says 503 with the reason; afterwards all is well again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  startServer, createApp, postForm, read, validate, appToken, freshDb, twitchError, tempDir,
  spawn, onCleanup, sqliteOnly, PG_DIR,
} from './lib/harness.mjs';

const UNAVAILABLE = 'service unavailable: the database failed; try again';
const TIMEOUT = 1;	// --db-timeout, seconds
const pgsh = path.resolve(new URL('../pg.sh', import.meta.url).pathname);

const issue = (s, app) => read(postForm(`${s.url}/oauth2/token`, {
  client_id: app.client_id, client_secret: app.client_secret, grant_type: 'client_credentials',
}));
const timed = async (p) => { const t = Date.now(); const r = await p; return { r, ms: Date.now() - t }; };

test('SQLite locked by another process past the deadline: writes 503 within it, reads go on',
  { skip: sqliteOnly }, async () => {
    const s = await startServer({ args: ['--db-timeout', String(TIMEOUT)] });
    const app = createApp(s.db, 'Locked');
    try {
      const before = await appToken(s, app);
      // Another program takes the write lock and keeps it.
      const other = spawn('sqlite3', [s.db], { stdio: ['pipe', 'pipe', 'pipe'] });
      other.stdin.write('BEGIN IMMEDIATE;\nSELECT 1;\n');
      await new Promise((r) => other.stdout.once('data', r));

      const w = await timed(issue(s, app));
      twitchError(w.r, 503, UNAVAILABLE);
      assert.ok(w.ms < 4 * TIMEOUT * 1000, `answered after ${w.ms} ms`);
      // Writes that arrive together each get their answer, none waits for ever.
      const many = await timed(Promise.all([1, 2, 3, 4].map(() => issue(s, app))));
      for (const r of many.r) twitchError(r, 503, UNAVAILABLE);
      assert.ok(many.ms < 10 * TIMEOUT * 1000, `four answered after ${many.ms} ms`);
      // Reads need no write lock (WAL).
      assert.equal((await validate(s, before)).status, 200);
      assert.equal((await read(fetch(`${s.url}/readyz`))).status, 200, 'SQLite still reads');

      other.stdin.end('ROLLBACK;\n.quit\n');
      await new Promise((r) => other.on('close', r));
      assert.equal((await issue(s, app)).status, 200, 'writes work again');
    } finally { await s.stop(); }
  });

// The processes of the cluster in dir: its postmaster and its children.
function clusterPids(dir) {
  const pm = Number(readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const kids = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pm;
    } catch { return false; }
  }).map(Number);
  return [pm, ...kids];
}

test('PostgreSQL frozen: 503 within the deadline, /healthz at once, /readyz 503; thawed, all is well',
  { skip: PG_DIR ? false : 'PostgreSQL only' }, async () => {
    const dir = tempDir('twauth-pg-frozen-');
    const start = spawnSync(pgsh, ['start', dir, '-c', 'fsync=off'], { encoding: 'utf8' });
    assert.equal(start.status, 0, start.stderr);
    const db = start.stdout.trim();
    const signal = (sig) => { for (const pid of clusterPids(dir)) { try { process.kill(pid, sig); } catch { /* gone */ } } };
    onCleanup(() => { signal('SIGCONT'); spawnSync(pgsh, ['stop', dir]); });
    const app = createApp(db, 'Frozen');
    const s = await startServer({ db, args: ['--db-timeout', String(TIMEOUT)] });
    try {
      const before = await appToken(s, app);
      assert.equal((await read(fetch(`${s.url}/readyz`))).status, 200);

      signal('SIGSTOP');
      const load = await timed(Promise.all([...Array(12)].map((_, i) =>
        (i % 2 ? validate(s, before) : issue(s, app)))));
      for (const r of load.r) twitchError(r, 503, UNAVAILABLE);
      assert.ok(load.ms < 12 * TIMEOUT * 1000, `12 answered after ${load.ms} ms`);
      const h = await timed(read(fetch(`${s.url}/healthz`)));
      assert.equal(h.r.status, 200);
      assert.ok(h.ms < 500, `/healthz took ${h.ms} ms`);
      const ready = await timed(read(fetch(`${s.url}/readyz`)));
      assert.equal(ready.r.status, 503);
      assert.match(ready.r.json.message, /^not ready: the database \(postgresql\) did not answer/);
      assert.ok(ready.ms < 4 * TIMEOUT * 1000, `/readyz took ${ready.ms} ms`);

      signal('SIGCONT');
      let ok = 0;
      for (let i = 0; i < 50 && ok < 3; i++) {
        const r = await issue(s, app);
        if (r.status === 200) ok++; else await new Promise((x) => setTimeout(x, 100));
      }
      assert.equal(ok, 3, 'writes work again after the thaw');
      assert.equal((await validate(s, before)).status, 200);
      assert.equal((await read(fetch(`${s.url}/readyz`))).status, 200);
      assert.match(s.log, /no answer from .* within 1000 ms/);
    } finally { await s.stop(); }
  });
