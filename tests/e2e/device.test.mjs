// The device code flow over HTTP: POST /oauth2/device, the /activate pages
// (forms submitted as a browser would), polling POST /oauth2/token with
// pending, slow_down, denial, expiry and single use, and public clients'
// single-use refresh tokens with reuse revocation and the 30-day idle expiry.
//
// Time moves by restarting the server on the same database with
// TWAUTH_CLOCK_SKEW, so nothing here sleeps for an interval.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  startServer, createApp, createUser, Browser, csrfOf, signIn, postForm, read, validate,
  twitchError, tempDir, activateDevice, freshDb,
} from './lib/harness.mjs';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const DAY = 86400;

let server, db, tv, bot;

before(async () => {
  db = freshDb();
  tv = createApp(db, 'Living Room TV', ['http://localhost:3000'], ['--public']);
  bot = createApp(db, 'Chat Bot');
  for (const u of ['kiera', 'leona', 'maxim', 'nedra', 'olive', 'patty']) createUser(db, u);
  server = await startServer({ db });
});
after(async () => { await server.stop(); });

// Moves the clock: the same database, a server that believes it is later.
async function restartAt(skew) {
  await server.stop();
  server = await startServer({ db, env: { TWAUTH_CLOCK_SKEW: String(skew) } });
}

async function start(app, scopes = 'chat:read user:read:email') {
  const r = await read(postForm(`${server.url}/oauth2/device`, { client_id: app.client_id, scopes }));
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const poll = (app, deviceCode, extra = {}) => read(postForm(`${server.url}/oauth2/token`, {
  client_id: app.client_id, device_code: deviceCode, grant_type: GRANT, ...extra,
}));

const refresh = (app, refreshToken, extra = {}) => read(postForm(`${server.url}/oauth2/token`, {
  client_id: app.client_id, grant_type: 'refresh_token', refresh_token: refreshToken, ...extra,
}));

const activate = (link, login, decision) => activateDevice(server.url, link, login, decision);

// The whole flow to tokens at the current clock (first poll comes at once).
async function deviceTokens(app, login, scopes) {
  const d = await start(app, scopes);
  await activate(d.verification_uri, login);
  const r = await poll(app, d.device_code);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('POST /oauth2/device answers Twitch\'s shape, from a query string, a form or multipart', async () => {
  const q = new URLSearchParams({ client_id: tv.client_id, scopes: 'chat:read' });
  const viaQuery = await read(fetch(`${server.url}/oauth2/device?${q}`, { method: 'POST' }));
  const viaForm = await read(postForm(`${server.url}/oauth2/device`, { client_id: tv.client_id,
    scope: 'chat:read' }));
  const fd = new FormData();
  fd.append('client_id', tv.client_id);
  fd.append('scopes', 'chat:read chat:edit');
  const viaMultipart = await read(fetch(`${server.url}/oauth2/device`, { method: 'POST', body: fd }));
  const seen = new Set();
  for (const r of [viaQuery, viaForm, viaMultipart]) {
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json).sort(),
      ['device_code', 'expires_in', 'interval', 'user_code', 'verification_uri']);
    assert.match(r.json.device_code, /^[0-9a-z]{40}$/);
    assert.match(r.json.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
    assert.equal(r.json.expires_in, 1800);
    assert.equal(r.json.interval, 5);
    assert.equal(r.json.verification_uri,
      `${server.url}/activate?public=true&device-code=${r.json.user_code}`);
    seen.add(r.json.device_code).add(r.json.user_code);
  }
  assert.equal(seen.size, 6, 'every code is fresh');
});

test('verification_uri starts with --public-url when one is set', async () => {
  const s = await startServer({ db, args: ['--public-url', 'https://id.example.test/'] });
  try {
    const r = await read(postForm(`${s.url}/oauth2/device`, { client_id: tv.client_id }));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.verification_uri,
      `https://id.example.test/activate?public=true&device-code=${r.json.user_code}`);
  } finally { await s.stop(); }
});

test('POST /oauth2/device errors: missing or unknown client, unknown scopes', async () => {
  const dev = (p) => read(postForm(`${server.url}/oauth2/device`, p));
  twitchError(await dev({ scopes: 'chat:read' }), 400, 'missing client id');
  twitchError(await dev({ client_id: 'nosuchclient000000000000000000', scopes: 'chat:read' }),
    400, 'invalid client');
  twitchError(await dev({ client_id: tv.client_id, scopes: 'chat:read chat:sing bogus' }), 400,
    "invalid scope requested: 'chat:sing', 'bogus'");
});

test('the whole flow: pending, slow_down growing the interval, approval, tokens, single use', async () => {
  const d = await start(tv);
  twitchError(await poll(tv, d.device_code), 400, 'authorization_pending');
  // At once again: too fast.  The interval grows from 5 to 10 seconds.
  twitchError(await poll(tv, d.device_code), 400, 'slow_down');

  const { consent, done } = await activate(d.verification_uri, 'kiera');
  assert.match(consent.text, /Living Room TV/);
  assert.match(consent.text, /chat:read/);
  assert.match(consent.text, /user:read:email/);
  assert.match(consent.text, new RegExp(`<p class="code">${d.user_code}</p>`));
  assert.match(done.text, /You may return to your device/);

  try {
    await flowAfterApproval(d);
  } finally { await restartAt(0); }
});

async function flowAfterApproval(d) {
  // 7 s later is past the old 5 s interval but not the new 10 s one.
  await restartAt(7);
  twitchError(await poll(tv, d.device_code), 400, 'slow_down');
  // Now 15 s must pass since that poll.
  await restartAt(7 + 16);
  const r = await poll(tv, d.device_code, { scopes: 'chat:read' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json).sort(),
    ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
  assert.match(r.json.access_token, /^[0-9a-z]{30}$/);
  assert.match(r.json.refresh_token, /^[0-9a-z]{50}$/);
  assert.equal(r.json.expires_in, 4 * 3600);
  assert.deepEqual(r.json.scope, ['chat:read', 'user:read:email']);
  assert.equal(r.json.token_type, 'bearer');
  const v = await validate(server, r.json.access_token);
  assert.equal(v.status, 200);
  assert.equal(v.json.login, 'kiera');
  assert.equal(v.json.client_id, tv.client_id);
  assert.deepEqual(v.json.scopes, ['chat:read', 'user:read:email']);

  // Single use: the device code is spent, however long the device waits.
  await restartAt(7 + 16 + 60);
  twitchError(await poll(tv, d.device_code), 400, 'invalid device code');
}

test('denial: the device hears access_denied and gets no token', async () => {
  const d = await start(tv);
  const { done } = await activate(d.verification_uri, 'leona', 'deny');
  assert.match(done.text, /will not get access/);
  twitchError(await poll(tv, d.device_code), 400, 'access_denied');
});

test('a device code expires after its lifetime (--device-code-ttl)', async () => {
  const s = await startServer({ db, args: ['--device-code-ttl', '1'] });
  try {
    const r = await read(postForm(`${s.url}/oauth2/device`, { client_id: tv.client_id }));
    assert.equal(r.json.expires_in, 1);
    await new Promise((res) => setTimeout(res, 1100));
    twitchError(await read(postForm(`${s.url}/oauth2/token`, { client_id: tv.client_id,
      device_code: r.json.device_code, grant_type: GRANT })), 400, 'invalid device code');
    // The page no longer knows the code either.
    const b = new Browser(s.url);
    const rel = `/activate?public=true&device-code=${r.json.user_code}`;
    await signIn(b, rel, 'maxim');
    const entry = await b.get(rel);
    const again = await b.post(rel, { csrf: csrfOf(entry.text), step: 'code',
      user_code: r.json.user_code });
    assert.equal(again.status, 400);
    assert.match(again.text, /That code is not valid/);
  } finally { await s.stop(); }
});

test('an approval expires with its code: 30 minutes later the device gets nothing', async () => {
  const d = await start(tv);
  await activate(d.verification_uri, 'maxim');
  await restartAt(1800);
  try {
    twitchError(await poll(tv, d.device_code), 400, 'invalid device code');
  } finally { await restartAt(0); }
});

test('poll errors: missing device code, unknown, another client\'s, bad client, wrong secret', async () => {
  const d = await start(tv);
  twitchError(await read(postForm(`${server.url}/oauth2/token`, { client_id: tv.client_id,
    grant_type: GRANT })), 400, 'missing device code');
  twitchError(await poll(tv, 'x'.repeat(40)), 400, 'invalid device code');
  twitchError(await poll(bot, d.device_code), 400, 'invalid device code');
  twitchError(await poll({ client_id: 'nosuchclient000000000000000000' }, d.device_code), 400,
    'invalid client');
  twitchError(await read(postForm(`${server.url}/oauth2/token`, { device_code: d.device_code,
    grant_type: GRANT })), 400, 'missing client id');
  twitchError(await poll(tv, d.device_code, { scopes: 'chat:sing' }), 400,
    "invalid scope requested: 'chat:sing'");
  const b = await start(bot);
  twitchError(await poll(bot, b.device_code, { client_secret: 'wrong' }), 403,
    'invalid client secret');
  // None of those touched the real device's state: it is simply pending.
  twitchError(await poll(tv, d.device_code), 400, 'authorization_pending');
});

test('polling with multipart, as the Twitch CLI and the docs\' curl --form do', async () => {
  const d = await start(tv, 'channel:manage:broadcast');
  await activate(d.verification_uri, 'nedra');
  const fd = new FormData();
  fd.append('client_id', tv.client_id);
  fd.append('scopes', 'channel:manage:broadcast');
  fd.append('device_code', d.device_code);
  fd.append('grant_type', GRANT);
  const r = await read(fetch(`${server.url}/oauth2/token`, { method: 'POST', body: fd }));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.scope, ['channel:manage:broadcast']);
});

test('public clients: refresh without a secret rotates; a reused refresh token revokes the grant', async () => {
  const t1 = await deviceTokens(tv, 'olive', 'chat:read');
  const r2 = await refresh(tv, t1.refresh_token);
  assert.equal(r2.status, 200, r2.text);
  assert.notEqual(r2.json.refresh_token, t1.refresh_token, 'a new refresh token');
  assert.match(r2.json.refresh_token, /^[0-9a-z]{50}$/);
  assert.deepEqual(r2.json.scope, ['chat:read']);
  const r3 = await refresh(tv, r2.json.refresh_token);
  assert.equal(r3.status, 200, r3.text);
  assert.equal((await validate(server, r3.json.access_token)).status, 200);

  // The first refresh token again: reuse means theft; the whole grant ends.
  twitchError(await refresh(tv, t1.refresh_token), 400, 'Invalid refresh token');
  for (const t of [t1.access_token, r2.json.access_token, r3.json.access_token])
    twitchError(await validate(server, t), 401, 'invalid access token');
  twitchError(await refresh(tv, r3.json.refresh_token), 400, 'Invalid refresh token');
});

test('public clients: a client that lost the answer may present its old refresh token again within 60 s; the answer it keeps retires the other; later it is a copy', async () => {
  const t1 = await deviceTokens(tv, 'olive', 'chat:read');
  const lost = await refresh(tv, t1.refresh_token);
  assert.equal(lost.status, 200, lost.text);
  // The answer never arrived: the client tries again with what it holds.
  const retry = await refresh(tv, t1.refresh_token);
  assert.equal(retry.status, 200, retry.text);
  assert.notEqual(retry.json.refresh_token, lost.json.refresh_token);
  // Both answers live until the client uses one of them (it may have
  // kept either: two refreshes at once are answered in any order).
  assert.equal((await validate(server, lost.json.access_token)).status, 200);
  assert.equal((await validate(server, retry.json.access_token)).status, 200);
  const next = await refresh(tv, retry.json.refresh_token);
  assert.equal(next.status, 200, next.text);
  // The one it did not keep ends, with its access token: whoever holds it has a copy.
  twitchError(await validate(server, lost.json.access_token), 401, 'invalid access token');
  assert.equal((await validate(server, retry.json.access_token)).status, 200);
  twitchError(await refresh(tv, lost.json.refresh_token), 400, 'Invalid refresh token');
  twitchError(await validate(server, next.json.access_token), 401, 'invalid access token');

  // Rotated, then more than 60 s pass: presenting the old token ends the grant.
  const t2 = await deviceTokens(tv, 'olive', 'chat:read');
  const r = await refresh(tv, t2.refresh_token);
  assert.equal(r.status, 200, r.text);
  try {
    await restartAt(61);
    twitchError(await refresh(tv, t2.refresh_token), 400, 'Invalid refresh token');
    twitchError(await refresh(tv, r.json.refresh_token), 400, 'Invalid refresh token');
  } finally { await restartAt(0); }
});

test('public clients: two refreshes at once with one token are both answered; the one the client keeps works, the other is then a copy', async () => {
  for (const keep of [0, 1]) {
    const t = await deviceTokens(tv, 'olive', 'chat:read');
    const both = await Promise.all([refresh(tv, t.refresh_token), refresh(tv, t.refresh_token)]);
    for (const r of both) assert.equal(r.status, 200, r.text);
    const kept = both[keep].json, other = both[1 - keep].json;
    const next = await refresh(tv, kept.refresh_token);
    assert.equal(next.status, 200, `kept answer ${keep}: ${next.text}`);
    twitchError(await validate(server, other.access_token), 401, 'invalid access token');
    twitchError(await refresh(tv, other.refresh_token), 400, 'Invalid refresh token');
    twitchError(await validate(server, next.json.access_token), 401, 'invalid access token');
  }
});

test('public clients: both answers of a retry used at once is a copy: one is answered, and the grant ends', async () => {
  const t = await deviceTokens(tv, 'olive', 'chat:read');
  const r1 = await refresh(tv, t.refresh_token);
  const r2 = await refresh(tv, t.refresh_token);
  assert.equal(r1.status, 200, r1.text);
  assert.equal(r2.status, 200, r2.text);
  const both = await Promise.all([refresh(tv, r1.json.refresh_token), refresh(tv, r2.json.refresh_token)]);
  assert.deepEqual(both.map((r) => r.status).sort(), [200, 400], both.map((r) => r.text).join('\n'));
  const won = both.find((r) => r.status === 200).json;
  twitchError(await validate(server, won.access_token), 401, 'invalid access token');
  twitchError(await refresh(tv, won.refresh_token), 400, 'Invalid refresh token');
});

test('public clients: a refresh token unused for 30 days expires; using it restarts the clock', async () => {
  const t = await deviceTokens(tv, 'patty', 'chat:read');
  try {
    await restartAt(29 * DAY);
    const r1 = await refresh(tv, t.refresh_token);
    assert.equal(r1.status, 200, r1.text);
    await restartAt(58 * DAY);
    const r2 = await refresh(tv, r1.json.refresh_token);
    assert.equal(r2.status, 200, 'used 29 days after it was issued: still good');
    await restartAt(58 * DAY + 30 * DAY);
    twitchError(await refresh(tv, r2.json.refresh_token), 400, 'Invalid refresh token');
  } finally { await restartAt(0); }
});

test('confidential apps may use the device flow and then refresh with their secret', async () => {
  const t = await deviceTokens(bot, 'kiera', 'chat:edit');
  assert.deepEqual(t.scope, ['chat:edit']);
  twitchError(await refresh(bot, t.refresh_token), 400, 'missing client secret');
  const r = await refresh(bot, t.refresh_token, { client_secret: bot.client_secret });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.refresh_token, t.refresh_token, 'confidential refresh tokens are kept');
  // Their refresh tokens are not single-use: the same one works again.
  assert.equal((await refresh(bot, t.refresh_token, { client_secret: bot.client_secret })).status, 200);
});

test('/activate needs a signed-in user and a form from this site', async () => {
  const d = await start(tv);
  const rel = `/activate?public=true&device-code=${d.user_code}`;
  const b = new Browser(server.url);
  const first = await b.get(rel);
  assert.equal(first.status, 200);
  assert.match(first.text, /name="password"/, 'the sign-in form comes first');
  assert.match(first.text, /your device/);
  await signIn(b, rel, 'leona');
  const entry = await b.get(rel);
  const noCsrf = await b.post(rel, { step: 'decide', user_code: d.user_code, decision: 'authorize' });
  assert.equal(noCsrf.status, 403);
  twitchError(await poll(tv, d.device_code), 400, 'authorization_pending');
  // Junk in the link is not echoed into the page.
  const junk = await b.get('/activate?public=true&device-code=%22%3E%3Cscript%3E');
  assert.doesNotMatch(junk.text, /<script>/);
  assert.match(junk.text, /name="user_code"[^>]*value=""/);
  // Typed codes ignore case, spaces and dashes.
  const typed = `${d.user_code.slice(0, 4).toLowerCase()}-${d.user_code.slice(4)} `;
  const consent = await b.post(rel, { csrf: csrfOf(entry.text), step: 'code', user_code: typed });
  assert.equal(consent.status, 200);
  assert.match(consent.text, /Living Room TV/);
  // "Not you? Sign out" comes back to this activation link, signed out.
  const next = consent.text.match(/name="next" value="([^"]+)"/);
  assert.ok(next, 'sign-out form carries the way back');
  const out = await b.post('/logout', { csrf: csrfOf(consent.text),
    next: next[1].replaceAll('&amp;', '&') });
  assert.equal(out.status, 303);
  assert.equal(out.location, rel);
  assert.match((await b.get(rel)).text, /name="password"/);
});

test('wrong codes at /activate are limited per address, even for the right code', async () => {
  // Its own server: the limit is per process and this test spends it.
  const s = await startServer({ db });
  try {
    const d = await read(postForm(`${s.url}/oauth2/device`, { client_id: tv.client_id }));
    const rel = '/activate';
    const b = new Browser(s.url);
    await signIn(b, rel, 'nedra');
    let page = await b.get(rel);
    for (let i = 0; i < 10; i++) {
      page = await b.post(rel, { csrf: csrfOf(page.text), step: 'code', user_code: 'BBBBBBBB' });
      assert.equal(page.status, 400, `wrong code ${i + 1}`);
      assert.match(page.text, /That code is not valid/);
    }
    // The 11th within a second is refused (if the clock ticked, it counts and
    // the 12th waits 2 s): the right code too, before any lookup.
    let refused;
    for (let i = 0; i < 2 && !refused; i++) {
      const r = await b.post(rel, { csrf: csrfOf(page.text), step: 'code', user_code: d.json.user_code });
      if (r.status === 429) refused = r; else page = r;
    }
    assert.ok(refused, 'refused after 10 wrong codes');
    assert.match(refused.text, /Too many wrong codes/);
    const wait = Number(refused.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 2, `Retry-After ${wait}`);
    // The decision form is limited the same way.
    const decide = await b.post(rel, { csrf: csrfOf(refused.text), step: 'decide',
      user_code: d.json.user_code, decision: 'authorize' });
    assert.equal(decide.status, 429);
    await new Promise((res) => setTimeout(res, wait * 1000 + 1100));
    const ok = await b.post(rel, { csrf: csrfOf(refused.text), step: 'code', user_code: d.json.user_code });
    assert.equal(ok.status, 200, 'after the wait the right code works');
  } finally { await s.stop(); }
});

test('a code answered already (a second tab, a double click) is not a wrong guess', async () => {
  const s = await startServer({ db, args: ['--max-activate-failures', '2'] });
  try {
    const d = await read(postForm(`${s.url}/oauth2/device`, { client_id: tv.client_id }));
    const { consent, browser: b } = await activateDevice(s.url, d.json.verification_uri, 'nedra');
    // The same decision posted again, past the address's limit of wrong codes.
    for (let i = 0; i < 4; i++) {
      const again = await b.post('/activate', { csrf: csrfOf(consent.text), step: 'decide',
        user_code: d.json.user_code, decision: 'authorize' });
      assert.equal(again.status, 400, `again ${i + 1}: ${again.text.slice(0, 200)}`);
      assert.match(again.text, /That code has been answered already/);
      const look = await b.post('/activate', { csrf: csrfOf(consent.text), step: 'code',
        user_code: d.json.user_code });
      assert.equal(look.status, 400);
      assert.match(look.text, /answered already/);
    }
    // The address has spent nothing: a wrong code is the first of its two.
    const wrong = await b.post('/activate', { csrf: csrfOf(consent.text), step: 'code',
      user_code: 'BBBBBBBB' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.text, /That code is not valid/);
  } finally { await s.stop(); }
});
