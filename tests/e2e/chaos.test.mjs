// Breaking tokens on purpose: `twauth chaos` ends tokens now for the reason
// named, and the app sees what it would see on Twitch; `serve --chaos-rate`
// does it at random, `--user-token-ttl` makes refresh come within minutes,
// `--chaos-token-errors` answers token requests 503 with Retry-After.
// Every ending and every 503 is in the audit record, with a request id.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, createApp, createUser, cli, postForm, read, validate, twitchError, freshDb,
  PG_DIR, BACKEND, Browser, authorizeUrl, signIn, authorize, userTokens, sql,
} from './lib/harness.mjs';

const REQUEST_ID = /Request id: (chaos-[0-9a-z]{16})/;


// The audit rows of kind for app: [{ detail, user_id, first_request, last_request, count }].
function auditRows(db, app, kind) {
  const out = sql(db, 'SELECT detail, user_id, first_request, last_request, count FROM audit ' +
    `WHERE client_id = '${app.client_id}' AND kind = '${kind}' ORDER BY first_at`);
  return out === '' ? [] : out.split('\n').map((line) => {
    const [detail, user_id, first_request, last_request, count] = line.split('|');
    return { detail, user_id, first_request, last_request, count: Number(count) };
  });
}

// Waits (a bounded time) until pred(rows) holds for the audit rows: servers write once a second.
async function waitRows(db, app, kind, pred, ms = 8000) {
  const until = Date.now() + ms;
  for (;;) {
    const rows = auditRows(db, app, kind);
    if (pred(rows)) return rows;
    if (Date.now() > until) assert.fail(`no ${kind} rows as expected for ${app.client_id}: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const post = (s, p, params) => read(fetch(`${s.url}${p}?${new URLSearchParams(params)}`, { method: 'POST' }));
const token = (s, params) => read(postForm(`${s.url}/oauth2/token`, params));
const refresh = (s, app, rt) => token(s, { client_id: app.client_id, client_secret: app.client_secret,
  grant_type: 'refresh_token', refresh_token: rt });
const helixMe = (s, app, t) => read(fetch(`${s.url}/helix/users`, {
  headers: { Authorization: `Bearer ${t}`, 'Client-Id': app.client_id } }));

// A user token of user for app, without a browser (mock-api's user_token grant).
async function mint(s, app, user) {
  const r = await post(s, '/auth/authorize', { client_id: app.client_id,
    client_secret: app.client_secret, grant_type: 'user_token', user_id: user.user_id, scope: 'chat:read' });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// Before chaos: the token validates and its refresh token works; the fresh pair.
async function liveAndRefreshing(s, app, tokens, login) {
  const v = await validate(s, tokens.access_token);
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.login, login);
  const r = await refresh(s, app, tokens.refresh_token);
  assert.equal(r.status, 200, r.text);
  assert.equal((await validate(s, r.json.access_token)).status, 200);
  return r.json;
}

const chaos = (db, args) => cli(['chaos', ...args], { db });

const db = freshDb();
const app = createApp(db, 'Chaos App');
const other = createApp(db, 'Other App');
const ana = createUser(db, 'ana_chaos');
const ben = createUser(db, 'ben_chaos');
const server = await startServer({ db, args: ['--mock-api-compat'] });
after(() => server.stop());

test(`${BACKEND}: chaos expire --login: validate and Helix 401, the refresh token still gives a working token; recorded`, async () => {
  const t = await liveAndRefreshing(server, app, await mint(server, app, ana), 'ana_chaos');
  const benT = await mint(server, app, ben);
  const r = chaos(db, ['expire', '--app', app.client_id, '--login', 'ana_chaos']);
  assert.equal(r.status, 0, r.stderr);
  // Both access tokens: the first, and the one its refresh gave.
  assert.match(r.stdout, /^expire: ana_chaos \(user id \d+\): 2 access tokens expired now; the refresh token still refreshes$/m);
  const id = r.stdout.match(REQUEST_ID)?.[1];
  assert.ok(id, r.stdout);
  twitchError(await validate(server, t.access_token), 401, 'invalid access token');
  const h = await helixMe(server, app, t.access_token);
  assert.equal(h.status, 401, h.text);
  assert.equal(h.json.message, 'Invalid OAuth token');
  // On Twitch an expired token refreshes.
  const again = await refresh(server, app, t.refresh_token);
  assert.equal(again.status, 200, again.text);
  assert.equal((await validate(server, again.json.access_token)).status, 200);
  // --login: ben's token is untouched.
  assert.equal((await validate(server, benT.access_token)).status, 200);
  // The CLI wrote its row before exiting, with the id it printed.
  const rows = auditRows(db, app, 'chaos').filter((x) => x.first_request === id);
  assert.deepEqual(rows.map((x) => [x.detail, x.user_id, x.count]), [['expire', ana.user_id, 1]]);
  // Nothing live is left to expire (the refreshed token is live: expire it first).
  assert.equal(chaos(db, ['expire', '--app', app.client_id, '--login', 'ana_chaos']).status, 0);
  const none = chaos(db, ['expire', '--app', app.client_id, '--login', 'ana_chaos']);
  assert.equal(none.status, 1, none.stdout);
  assert.match(none.stderr, /ana_chaos has no live tokens of app \w+; nothing was ended/);
});

test(`${BACKEND}: chaos revoke: as POST /oauth2/revoke of the access token, the refresh token still works`, async () => {
  const t = await liveAndRefreshing(server, app, await mint(server, app, ana), 'ana_chaos');
  const r = chaos(db, ['revoke', '--app', app.client_id, '--login', 'ana_chaos']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^revoke: ana_chaos \(user id \d+\): \d+ access tokens? revoked/m);
  const id = r.stdout.match(REQUEST_ID)[1];
  twitchError(await validate(server, t.access_token), 401, 'invalid access token');
  assert.equal((await helixMe(server, app, t.access_token)).status, 401);
  const again = await refresh(server, app, t.refresh_token);
  assert.equal(again.status, 200, again.text);
  assert.equal((await validate(server, again.json.access_token)).status, 200);
  assert.deepEqual(auditRows(db, app, 'chaos').filter((x) => x.first_request === id)
    .map((x) => [x.detail, x.user_id]), [['revoke', ana.user_id]]);
});

test(`${BACKEND}: chaos disconnect: every token ends and refresh answers "Invalid refresh token"`, async () => {
  const t = await liveAndRefreshing(server, app, await mint(server, app, ben), 'ben_chaos');
  const kept = await mint(server, other, ben);
  const r = chaos(db, ['disconnect', '--app', app.client_id, '--login', 'ben_chaos']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^disconnect: ben_chaos \(user id \d+\): disconnected the app/m);
  const id = r.stdout.match(REQUEST_ID)[1];
  twitchError(await validate(server, t.access_token), 401, 'invalid access token');
  twitchError(await refresh(server, app, t.refresh_token), 400, 'Invalid refresh token');
  // Another app of the user is not disconnected.
  assert.equal((await validate(server, kept.access_token)).status, 200);
  assert.deepEqual(auditRows(db, app, 'chaos').filter((x) => x.first_request === id)
    .map((x) => [x.detail, x.user_id]), [['disconnect', ben.user_id]]);
  const none = chaos(db, ['disconnect', '--app', app.client_id, '--login', 'ben_chaos']);
  assert.equal(none.status, 1);
});

test(`${BACKEND}: chaos passwd: what a password change ends (every app, the sign-in), the password unchanged`, async () => {
  const cara = createUser(db, 'cara_chaos');
  const t = await liveAndRefreshing(server, app, await userTokens(server, app, 'cara_chaos'), 'cara_chaos');
  const elsewhere = await mint(server, other, cara);
  // A browser signed in as cara: authorize asks no password while the session lives.
  const b = new Browser(server.url);
  await signIn(b, authorizeUrl(app), 'cara_chaos');
  assert.equal((await authorize(b, authorizeUrl(app))).searchParams.has('code'), true);

  const r = chaos(db, ['passwd', '--app', app.client_id, '--login', 'cara_chaos']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^passwd: cara_chaos \(user id \d+\): every grant and sign-in of theirs has ended/m);
  const id = r.stdout.match(REQUEST_ID)[1];
  twitchError(await validate(server, t.access_token), 401, 'invalid access token');
  twitchError(await refresh(server, app, t.refresh_token), 400, 'Invalid refresh token');
  twitchError(await validate(server, elsewhere.access_token), 401, 'invalid access token');
  // Signed out: the sign-in form again, where the same password still works.
  const page = await b.get(authorizeUrl(app));
  assert.equal(page.status, 200);
  assert.match(page.text, /name="password"/);
  await signIn(b, authorizeUrl(app), 'cara_chaos');
  // Recorded for both apps whose tokens it ended.
  for (const a of [app, other]) {
    assert.deepEqual(auditRows(db, a, 'chaos').filter((x) => x.first_request === id)
      .map((x) => [x.detail, x.user_id]), [['passwd', cara.user_id]]);
  }
});

test(`${BACKEND}: chaos --all ends every user's tokens of the app, one row each; then nothing is live`, async () => {
  const solo = createApp(db, 'Chaos All');
  const dan = createUser(db, 'dan_chaos');
  const eve = createUser(db, 'eve_chaos');
  const td = await mint(server, solo, dan);
  const te = await mint(server, solo, eve);
  await mint(server, solo, eve);	// a second grant of eve's: ended with the first
  const r = chaos(db, ['disconnect', '--app', solo.client_id, '--all']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^disconnect: dan_chaos /m);
  assert.match(r.stdout, /^disconnect: eve_chaos /m);
  assert.match(r.stdout, /Ended the tokens of 2 users of app/);
  const id = r.stdout.match(REQUEST_ID)[1];
  twitchError(await validate(server, td.access_token), 401, 'invalid access token');
  twitchError(await validate(server, te.access_token), 401, 'invalid access token');
  assert.deepEqual(auditRows(db, solo, 'chaos').filter((x) => x.first_request === id)
    .map((x) => [x.detail, x.user_id]).sort(), [['disconnect', dan.user_id], ['disconnect', eve.user_id]].sort());
  const none = chaos(db, ['expire', '--app', solo.client_id, '--all']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no user has live tokens of app/);
});

test(`${BACKEND}: chaos: bad usage exits 2 and says what is wrong`, () => {
  const cases = [
    [['expire', '--login', 'ana_chaos'], /needs --app CLIENT_ID/],
    [['expire', '--app', app.client_id], /needs one of --login LOGIN \(one user\) or --all/],
    [['expire', '--app', app.client_id, '--login', 'ana_chaos', '--all'], /needs one of --login/],
    [['explode', '--app', app.client_id, '--all'], /unknown chaos subcommand 'explode'/],
    [['expire', 'extra', '--app', app.client_id, '--all'], /takes no arguments/],
    [['expire', '--app', 'nosuchapp0000000000000000000000', '--all'], /no app with that client id/],
    [['expire', '--app', app.client_id, '--login', 'nobody_here'], /no user with that login/],
  ];
  for (const [args, re] of cases) {
    const r = chaos(db, args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
  }
  assert.equal(chaos(db, []).status, 2);
  assert.equal(chaos(db, ['--help']).status, 0);
});

test(`${BACKEND}: serve: bad --chaos-rate, --chaos-token-errors, --user-token-ttl exit 2 with a clear message`, () => {
  const bad = [
    ['--chaos-rate', '1.5'], ['--chaos-rate', 'abc'], ['--chaos-rate', '-0.1'], ['--chaos-rate', '1e-3'],
    ['--chaos-rate', '0.0000001'], ['--chaos-token-errors', '2'], ['--chaos-token-errors', ''],
  ];
  for (const args of bad) {
    const r = cli(['serve', ...args, '--check-config'], { db });
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, new RegExp(`${args[0]} takes a fraction from 0 to 1 \\(at most 6 decimals, e\\.g\\. 0\\.05\\), not '`));
  }
  const ttl = cli(['serve', '--user-token-ttl', '59', '--check-config'], { db });
  assert.equal(ttl.status, 2);
  assert.match(ttl.stderr, /--user-token-ttl wants a whole number from 60 to 86400, not '59'/);
  const env = cli(['serve', '--check-config'], { db, env: { TWAUTH_CHAOS_RATE: 'lots' } });
  assert.equal(env.status, 2);
  assert.match(env.stderr, /chaos-rate takes a fraction/);
  const ok = cli(['serve', '--chaos-rate', '0.05', '--chaos-token-errors', '1', '--user-token-ttl', '60',
    '--check-config'], { db });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /chaos-rate\s+0\.05/);
});

test(`${BACKEND}: serve --chaos-rate 1 --user-token-ttl 60: a live user token soon stops validating; each ending recorded with its request id`, async () => {
  const cdb = freshDb();
  const capp = createApp(cdb, 'Monkey App');
  const user = createUser(cdb, 'fay_chaos');
  const s = await startServer({ db: cdb, args: ['--mock-api-compat', '--chaos-rate', '1', '--user-token-ttl', '60'] });
  try {
    await s.waitForLog(/chaos: user tokens end at random/);
    // 20 grants, each ended with the chance 1/60 a second: the first ends in about 3 s.
    const tokens = [];
    for (let i = 0; i < 20; i++) tokens.push(await mint(s, capp, user));
    assert.ok(tokens[0].expires_in <= 60 && tokens[0].expires_in > 50, `expires_in ${tokens[0].expires_in}`);
    const v = await validate(s, tokens[0].access_token);
    assert.ok(v.json.expires_in <= 60, v.text);
    const until = Date.now() + 45000;
    let dead;
    while (!dead) {
      for (const t of tokens) {
        if ((await validate(s, t.access_token)).status === 401) { dead = t; break; }
      }
      assert.ok(dead || Date.now() < until, 'no token ended within 45 s at --chaos-rate 1');
      if (!dead) await sleep(250);
    }
    const rows = await waitRows(cdb, capp, 'chaos', (r) => r.length >= 1);
    for (const r of rows) {
      assert.match(r.detail, /^(expire|revoke|disconnect|passwd)$/);
      assert.equal(r.user_id, user.user_id);
      assert.match(r.first_request, /^chaos-[0-9a-z]{16}$/);
      await s.waitForLog(new RegExp(`chaos: ${r.detail}: the tokens of fay_chaos \\(user id ${user.user_id}\\) ` +
        `with app ${capp.client_id} ended \\(request ${r.first_request}\\)`));
    }
  } finally {
    await s.stop();
  }
});

test(`${BACKEND}: serve --chaos-token-errors 1: every token request 503 with Retry-After, nothing minted or spent; retries recorded with the wait`, async () => {
  const tdb = freshDb();
  const tapp = createApp(tdb, 'Retry App');
  const user = createUser(tdb, 'gus_chaos');
  const plain = await startServer({ db: tdb, args: ['--mock-api-compat'] });
  let pair;
  try {
    pair = await mint(plain, tapp, user);
  } finally {
    await plain.stop();
  }
  const tokensBefore = sql(tdb, 'SELECT COUNT(*) FROM tokens');
  const s = await startServer({ db: tdb, args: ['--chaos-token-errors', '1'] });
  try {
    const asks = [
      { client_id: tapp.client_id, client_secret: tapp.client_secret, grant_type: 'client_credentials' },
      { client_id: tapp.client_id, client_secret: tapp.client_secret, grant_type: 'refresh_token',
        refresh_token: pair.refresh_token },
      { client_id: tapp.client_id, client_secret: 'wrong', grant_type: 'client_credentials' },
    ];
    for (const p of asks) {
      const r = await token(s, p);
      twitchError(r, 503, 'service unavailable; try again in a moment');
      assert.equal(r.headers.get('retry-after'), '1');
    }
    // The app waits as told, then asks again.
    await sleep(1300);
    const late = await token(s, asks[0]);
    assert.equal(late.status, 503);
    assert.equal(sql(tdb, 'SELECT COUNT(*) FROM tokens'), tokensBefore, 'nothing minted');
    const unavailable = await waitRows(tdb, tapp, 'token_unavailable', (r) => r.reduce((n, x) => n + x.count, 0) >= 4);
    assert.equal(unavailable.reduce((n, x) => n + x.count, 0), 4);
    // Three retries: two at once (0 s), one after the wait (1 s).
    const retries = await waitRows(tdb, tapp, 'token_retry', (r) => r.reduce((n, x) => n + x.count, 0) >= 3);
    const by = {};
    for (const r of retries) by[r.detail] = (by[r.detail] ?? 0) + r.count;
    assert.deepEqual(by, { 0: 2, 1: 1 });
    // The 503s are named by the HTTP request's id.
    const ids = [...s.log.matchAll(/POST \/oauth2\/token 503 \S+ (\S+)/g)].map((m) => m[1]);
    for (const r of unavailable) assert.ok(ids.includes(r.first_request), `${r.first_request} in ${ids}`);
  } finally {
    await s.stop();
  }
  // Nothing was spent: the refresh token still refreshes, and no failure was counted.
  const after2 = await startServer({ db: tdb });
  try {
    const r = await refresh(after2, tapp, pair.refresh_token);
    assert.equal(r.status, 200, r.text);
  } finally {
    await after2.stop();
  }
});

test(`${BACKEND}: serve --chaos-token-errors 0.5: over 60 token requests, both answers occur`, async () => {
  const hdb = freshDb();
  const happ = createApp(hdb, 'Half App');
  const s = await startServer({ db: hdb, args: ['--chaos-token-errors', '0.5'] });
  try {
    const seen = new Map();
    for (let i = 0; i < 60; i++) {
      const r = await token(s, { client_id: happ.client_id, client_secret: happ.client_secret,
        grant_type: 'client_credentials' });
      seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
      if (r.status === 503) assert.equal(r.headers.get('retry-after'), '1');
      else assert.equal(r.status, 200, r.text);
    }
    assert.ok(seen.get(200) >= 1 && seen.get(503) >= 1, JSON.stringify([...seen]));
  } finally {
    await s.stop();
  }
});
