// PostgreSQL going away and coming back, on a cluster of this test's own:
// while the database cannot be reached every request that needs it gets
// Twitch's JSON error with 503 (never a wrong answer, never a hang), and
// when it is back the server reconnects by itself and says so in its log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  startServer, createApp, postForm, read, validate, appToken, tempDir, PG_DIR,
} from './lib/harness.mjs';

const pgsh = path.resolve(new URL('../pg.sh', import.meta.url).pathname);
const run = (...args) => {
  const r = spawnSync(pgsh, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};

test('PostgreSQL down: 503 JSON errors; back up: the server reconnects on its own',
  { skip: PG_DIR ? false : 'PostgreSQL only' }, async () => {
    const dir = tempDir('twauth-pg-outage-');
    const db = run('start', dir, '-c', 'fsync=off');
    let s;
    try {
      const app = createApp(db, 'Outage App');
      s = await startServer({ db });
      const before = await appToken(s, app);

      // Connections the server closed while they sat idle (a failover, an
      // administrator) are noticed before use and made again: no 503.
      const u = new URL(db);
      const psql = spawnSync('psql', ['-h', u.searchParams.get('host'), '-U', 'twauth', '-d',
        u.pathname.slice(1), '-Atc', "SELECT count(pg_terminate_backend(pid)) FROM " +
        "pg_stat_activity WHERE application_name = 'twauth'"], { encoding: 'utf8' });
      assert.equal(psql.status, 0, psql.stderr);
      assert.ok(Number(psql.stdout) >= 1, psql.stdout);
      assert.equal((await validate(s, before)).status, 200);
      assert.equal((await validate(s, await appToken(s, app))).status, 200);
      // Noticed before use, or when preparing a statement: either way made again.
      assert.match(s.log, /postgresql: connection to .* lost \(.*\); reconnecting/);

      run('stop', dir);

      const cc = await read(postForm(`${s.url}/oauth2/token`, { client_id: app.client_id,
        client_secret: app.client_secret, grant_type: 'client_credentials' }));
      const v = await validate(s, before);
      for (const r of [cc, v]) {
        assert.equal(r.status, 503, r.text);
        assert.deepEqual(r.json, { status: 503,
          message: 'service unavailable: the database failed; try again' });
      }
      // What needs no database still answers.
      assert.equal((await read(fetch(`${s.url}/healthz`))).status, 200);

      run('start', dir, '-c', 'fsync=off');
      // A failed connection attempt holds the next ones back for half a
      // second (PG_RECONNECT_PAUSE_MS in db_pg.c): then it reconnects itself.
      let back;
      for (let i = 0; i < 30 && (back = await validate(s, before)).status !== 200; i++)
        await new Promise((r) => setTimeout(r, 100));
      assert.equal(back.status, 200, 'the token from before the outage');
      const after = await appToken(s, app);
      assert.equal((await validate(s, after)).status, 200);
      assert.match(s.log, /postgresql: cannot connect to /);
      assert.match(s.log, /postgresql: reconnected to /);
      assert.doesNotMatch(s.log, /password|twauth\?host=/, 'the database URI is not logged');
    } finally {
      if (s) await s.stop();
      spawnSync(pgsh, ['stop', dir]);
    }
  });
