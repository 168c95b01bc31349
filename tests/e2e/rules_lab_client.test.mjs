// twauth's own client keeps every Twitch rule the rules lab checks, and
// recovers from every way `twauth chaos` ends its tokens: an expired or a
// revoked token is refreshed, a disconnected or a password-changed one ends
// in the message that asks the user to sign in again, and once they do,
// Helix works with a new token.  `twauth app audit` then says nothing is
// broken, and each chaos event recovered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, createApp, createUser, cli, freePort, tempDir, freshDb, tokenUserFlow,
} from './lib/harness.mjs';

let server, db, app, home, redirect;

before(async () => {
  db = freshDb();
  redirect = `http://localhost:${await freePort()}`;
  app = createApp(db, 'Good Bot', [redirect]);
  createUser(db, 'uma_g');
  // Short user tokens, so that the client refreshes in the test's minutes.
  server = await startServer({ db, args: ['--user-token-ttl', '120'] });
  home = tempDir('twauth-home-');
});
after(async () => { await server.stop(); });

const env = (extra = {}) => ({
  XDG_CONFIG_HOME: home, TWAUTH_ISSUER: server.url, TWITCH_CLIENT_ID: app.client_id,
  TWITCH_CLIENT_SECRET: app.client_secret, BROWSER: '', TWAUTH_CLOCK_SKEW: '', ...extra,
});
const run = (args, extra) => cli(args, { env: env(extra) });

// The user signs in when the client asks them to.
async function signInWithTheClient(login) {
  const { result } = await tokenUserFlow(server, env(), login,
    { redirect, args: ['--scopes', 'user:read:email'] });
  assert.equal(result.status, 0, result.stderr);
}

// What a bot does: its own user, through twauth.
const helix = () => run(['api', 'get', 'users', '--login', 'uma_g']);
const chaos = (reason) => {
  const r = cli(['chaos', reason, '--app', app.client_id, '--login', 'uma_g'], { db });
  assert.equal(r.status, 0, r.stdout + r.stderr);
};

test('the client keeps every rule and recovers from every chaos event', async () => {
  await signInWithTheClient('uma_g');
  assert.equal(helix().status, 0);
  // Expired and revoked: the 401 is answered by a refresh, the call made once more.
  for (const reason of ['expire', 'revoke']) {
    chaos(reason);
    const r = helix();
    assert.equal(r.status, 0, `${reason}: ${r.stderr}`);
    assert.match(r.stderr, /answered 401; refreshing the token and trying once more/);
  }
  // Disconnected, password changed: the grant is gone; the client says to
  // sign in again, and hands the dead token out no more.
  for (const reason of ['disconnect', 'passwd']) {
    chaos(reason);
    const r = helix();
    assert.equal(r.status, 1, `${reason}: ${r.stderr}`);
    assert.match(r.stderr, /Get a new one: twauth token --user --scopes 'user:read:email'/);
    const again = run(['token', '--get', '--login', 'uma_g']);
    assert.equal(again.status, 1);
    assert.equal(again.stdout, '');
    await signInWithTheClient('uma_g');
    assert.equal(helix().status, 0, reason);
  }
  // An exec'd bot, past its token's end, asks twauth for the next one.
  const x = run(['exec', '--login', 'uma_g', '--', 'sh', '-c',
    'TWAUTH_CLOCK_SKEW=3600 sh -c "$TWAUTH_TOKEN_COMMAND"']);
  assert.equal(x.status, 0, x.stderr);
  assert.equal(run(['api', 'get', 'users', '--login', 'uma_g'], { TWAUTH_CLOCK_SKEW: '3600' }).status, 0);
  await new Promise((r) => setTimeout(r, 1300));	// the record is written once a second

  const a = cli(['app', 'audit', app.client_id, '--json'], { db });
  assert.equal(a.status, 0, a.stdout);
  const verdicts = Object.fromEntries(a.json.rules.map((r) => [r.id, r.verdict]));
  assert.deepEqual(verdicts, {
    'validate-hourly': 'kept', 'stop-dead-token': 'kept',
    'keep-new-refresh-token': 'kept', 'device-interval': 'not exercised',
    'no-token-in-url': 'kept', 'no-secret-in-browser': 'kept', 'refresh-not-remint': 'kept',
  });
  assert.equal(a.json.chaos.length, 4);
  for (const e of a.json.chaos) {
    assert.equal(e.recovered, true, `${e.reason}: ${JSON.stringify(e)}`);
    assert.ok(server.log.includes(e.recovery_request), e.recovery_request);
  }
  assert.deepEqual(a.json.chaos.map((e) => e.reason), ['expire', 'revoke', 'disconnect', 'passwd']);
});
