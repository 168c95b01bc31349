// "Answered means on disk" on SQLite: with --durability full (the
// default) no write is answered 200 before the WAL that holds it has been
// synced, for app tokens, refreshes and revocations; with --durability
// relaxed the WAL is not synced at all while answering them.  The order is
// seen by tests/preload/syncorder.c, loaded into the server: it writes a
// line when a sync has completed and when an answer starts to leave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import {
  startServer, createApp, createUser, postForm, read, appToken, userTokens, tempDir,
  sqliteOnly,
} from './lib/harness.mjs';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const PRELOAD = path.join(root, process.env.TWAUTH_BUILD || 'build', 'syncorder.so');
const ROUNDS = 10;

async function witnessed(durability) {
  const log = path.join(tempDir(), 'sync.log');
  const asan = process.env.ASAN_OPTIONS ? `${process.env.ASAN_OPTIONS}:` : '';
  const s = await startServer({
    args: ['--durability', durability],
    // An ASan build wants its runtime first; the witness is not instrumented.
    env: { LD_PRELOAD: PRELOAD, TWAUTH_SYNC_LOG: log,
      ASAN_OPTIONS: `${asan}verify_asan_link_order=0` },
  });
  const events = () => (existsSync(log) ? readFileSync(log, 'utf8').trimEnd().split('\n') : []);
  return { s, events, wal: `${s.db}-wal` };
}

// The events after `from`, grouped: how many answers were 200, and whether
// each 200 had a sync of the WAL between it and the answer before it.
function check(lines, wal) {
  let synced = false;
  let answered = 0;
  let unsynced = 0;
  let walSyncs = 0;
  for (const l of lines) {
    if (l === `synced ${wal}`) { synced = true; walSyncs++; }
    if (l === 'answer 200') {
      answered++;
      if (!synced) unsynced++;
      synced = false;
    }
  }
  return { answered, unsynced, walSyncs };
}

test('--durability full: no token, refresh or revocation is answered before its WAL is synced',
  { skip: sqliteOnly },
  async () => {
    assert.ok(existsSync(PRELOAD), `${PRELOAD} is built by make test`);
    const { s, events, wal } = await witnessed('full');
    try {
      const app = createApp(s.db, 'Durable App');
      createUser(s.db, 'dura');
      const user = await userTokens(s, app, 'dura');
      const tokens = [];

      let from = events().length;
      for (let i = 0; i < ROUNDS; i++) tokens.push(await appToken(s, app));
      let r = check(events().slice(from), wal);
      assert.equal(r.answered, ROUNDS, 'app tokens answered');
      assert.equal(r.unsynced, 0, `app tokens answered before their WAL was synced: ${r.unsynced}`);

      from = events().length;
      for (let i = 0; i < ROUNDS; i++) {
        const x = await read(postForm(`${s.url}/oauth2/token`, { client_id: app.client_id,
          client_secret: app.client_secret, grant_type: 'refresh_token',
          refresh_token: user.refresh_token }));
        assert.equal(x.status, 200, x.text);
      }
      r = check(events().slice(from), wal);
      assert.equal(r.answered, ROUNDS, 'refreshes answered');
      assert.equal(r.unsynced, 0, `refreshes answered before their WAL was synced: ${r.unsynced}`);

      from = events().length;
      for (const t of tokens) {
        const x = await read(postForm(`${s.url}/oauth2/revoke`, { client_id: app.client_id, token: t }));
        assert.equal(x.status, 200, x.text);
      }
      r = check(events().slice(from), wal);
      assert.equal(r.answered, ROUNDS, 'revocations answered');
      assert.equal(r.unsynced, 0, `revocations answered before their WAL was synced: ${r.unsynced}`);
    } finally { await s.stop(); }
  });

test('--durability relaxed: the WAL is not synced while answering writes',
  { skip: sqliteOnly }, async () => {
    const { s, events, wal } = await witnessed('relaxed');
    try {
      const app = createApp(s.db, 'Relaxed App');
      const from = events().length;
      for (let i = 0; i < ROUNDS; i++) await appToken(s, app);
      const r = check(events().slice(from), wal);
      assert.equal(r.answered, ROUNDS);
      assert.equal(r.walSyncs, 0, 'relaxed syncs only at checkpoints');
    } finally { await s.stop(); }
  });
