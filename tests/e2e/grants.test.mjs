// POST /oauth2/token for authorization_code and refresh_token, and what ends
// user tokens: code replay, password change, disconnect (CLI and page), user
// deletion, revoking a refresh token.  Every error row of the contract.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  startServer, createApp, createUser, cli, Browser, csrfOf, authorizeUrl, signIn, authorize,
  userTokens, postForm, read, validate, twitchError, tempDir, freshDb, rawDump, containsSecret,
  sqliteOnly,
} from './lib/harness.mjs';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';

let server, app, other, db;

before(async () => {
  db = freshDb();
  app = createApp(db, 'Chat Bot');
  other = createApp(db, 'Other App');
  for (const u of ['dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'kimberly', 'leonard']) createUser(db, u);
  server = await startServer({ db });
});
after(async () => { await server.stop(); });

const token = (params) => read(postForm(`${server.url}/oauth2/token`, params));

// Signs in and returns a fresh code (consenting on the way).
async function freshCode(login, a = app, opts = {}) {
  const br = new Browser(server.url);
  const url = authorizeUrl(a, opts);
  await signIn(br, url, login);
  const loc = await authorize(br, url);
  return { code: loc.searchParams.get('code'), browser: br };
}

const exchange = (code, extra = {}) => token({
  client_id: app.client_id, client_secret: app.client_secret, code,
  grant_type: 'authorization_code', redirect_uri: 'http://localhost:3000', ...extra,
});

test('code exchange errors: every row of the contract', async () => {
  const { code } = await freshCode('dave');
  twitchError(await exchange(code, { client_id: '' }), 400, 'missing client id');
  twitchError(await exchange(code, { client_id: 'nosuchclient000000000000000000' }), 400, 'invalid client');
  twitchError(await exchange(code, { client_secret: '' }), 400, 'missing client secret');
  twitchError(await exchange(code, { client_secret: 'x'.repeat(30) }), 403, 'invalid client secret');
  twitchError(await exchange(code, { grant_type: 'authorisation_code' }), 400, 'invalid grant type');
  twitchError(await exchange('', {}), 400, 'missing code');
  twitchError(await exchange('notacode0000000000000000000000'), 400, 'Invalid authorization code');
  // Another client's code, with that client's own credentials.
  twitchError(await token({ client_id: other.client_id, client_secret: other.client_secret, code,
    grant_type: 'authorization_code', redirect_uri: 'http://localhost:3000' }), 400, 'Invalid authorization code');
  twitchError(await exchange(code, { redirect_uri: 'http://localhost:3000/cb' }), 400,
    'Parameter redirect_uri does not match registered URI');
  twitchError(await exchange(code, { redirect_uri: '' }), 400,
    'Parameter redirect_uri does not match registered URI');
  // A public app has no secret to exchange a code with (and gets no codes).
  const pub = createApp(db, 'Public Exchanger', ['http://localhost:3000'], ['--public']);
  twitchError(await token({ client_id: pub.client_id, code, grant_type: 'authorization_code',
    redirect_uri: 'http://localhost:3000' }), 400,
  'invalid client: public clients have no secret to exchange a code with; use the device code flow');
  // Public apps refresh without a secret: an unknown token is just invalid.
  twitchError(await token({ client_id: pub.client_id, grant_type: 'refresh_token',
    refresh_token: 'q'.repeat(50) }), 400, 'Invalid refresh token');
  // None of the failures used the code up.
  const r = await exchange(code);
  assert.equal(r.status, 200, r.text);
});

test('the docs\' curl code exchange, verbatim but for the host and values', async () => {
  const { code } = await freshCode('dave', app, { scope: 'channel:manage:polls channel:read:polls' });
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('curl', ['-s', '-X', 'POST', `${server.url}/oauth2/token`,
    '-H', 'Content-Type: application/x-www-form-urlencoded',
    '-d', `client_id=${app.client_id}&client_secret=${app.client_secret}&code=${code}&grant_type=authorization_code&redirect_uri=http://localhost:3000`],
  { encoding: 'utf8' });
  const j = JSON.parse(out);
  assert.deepEqual(j.scope, ['channel:manage:polls', 'channel:read:polls']);
  assert.equal(j.token_type, 'bearer');
});

test('a code is single-use: a replay fails and revokes what the first use issued', async () => {
  const { code } = await freshCode('erin');
  const first = await exchange(code);
  assert.equal(first.status, 200);
  assert.equal((await validate(server, first.json.access_token)).status, 200);
  twitchError(await exchange(code), 400, 'Invalid authorization code');
  twitchError(await validate(server, first.json.access_token), 401, 'invalid access token');
  twitchError(await token({ client_id: app.client_id, client_secret: app.client_secret,
    grant_type: 'refresh_token', refresh_token: first.json.refresh_token }), 400, 'Invalid refresh token');
});

test('32 parallel redemptions of one code: exactly one succeeds', async () => {
  const { code } = await freshCode('frank');
  const results = await Promise.all(Array.from({ length: 32 }, () => exchange(code)));
  const ok = results.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, results.map((r) => r.status).join(','));
  for (const r of results.filter((x) => x.status !== 200)) twitchError(r, 400, 'Invalid authorization code');
});

test('PKCE (RFC 7636): a code asked for with a code_challenge is redeemed only with its code_verifier; a failed proof uses nothing up', async () => {
  // RFC 7636 appendix B's pair.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const s256 = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
  assert.equal(createHash('sha256').update(verifier).digest('base64url'), s256);
  const missing = 'missing code verifier: this code was requested with a code_challenge';
  const wrong = 'Invalid code verifier: it does not match the code_challenge of this code (or the code was requested without one)';

  let { code } = await freshCode('kimberly', app, { extra: { code_challenge: s256, code_challenge_method: 'S256' } });
  twitchError(await exchange(code), 400, missing);
  twitchError(await exchange(code, { code_verifier: 'x'.repeat(43) }), 400, wrong);
  twitchError(await exchange(code, { code_verifier: s256 }), 400, wrong);
  twitchError(await exchange(code, { code_verifier: `${verifier}!` }), 400, wrong);
  let r = await exchange(code, { code_verifier: verifier });
  assert.equal(r.status, 200, r.text);
  assert.equal((await validate(server, r.json.access_token)).status, 200);

  // plain, by saying so or by saying nothing (RFC 7636 4.3); the verifier
  // is never kept in clear.
  const plain = randomBytes(48).toString('base64url');
  for (const method of [{ code_challenge_method: 'plain' }, {}]) {
    ({ code } = await freshCode('kimberly', app, { extra: { code_challenge: plain, ...method } }));
    twitchError(await exchange(code, { code_verifier: createHash('sha256').update(plain).digest('base64url') }), 400, wrong);
    r = await exchange(code, { code_verifier: plain });
    assert.equal(r.status, 200, r.text);
  }
  assert.ok(!containsSecret(rawDump(db), plain), 'a plain code_challenge is in the database');

  // A code asked for without a challenge takes no verifier (no downgrade).
  ({ code } = await freshCode('kimberly'));
  twitchError(await exchange(code, { code_verifier: verifier }), 400, wrong);
  r = await exchange(code);
  assert.equal(r.status, 200, r.text);

  // A bad challenge is the app's error at its redirect URI, before sign-in.
  for (const [extra, said] of [
    [{ code_challenge: s256, code_challenge_method: 'S512' }, 'code_challenge_method must be S256 or plain'],
    [{ code_challenge_method: 'S256' }, 'code_challenge_method was sent without a code_challenge'],
    [{ code_challenge: 'short' }, 'code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~'],
    [{ code_challenge: 'a'.repeat(129) }, 'code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~'],
    [{ code_challenge: `${s256.slice(0, 42)}.`, code_challenge_method: 'S256' },
      'an S256 code_challenge is 43 characters of base64url (the SHA-256 of the code_verifier)'],
  ]) {
    const res = await new Browser(server.url).get(authorizeUrl(app, { extra }));
    assert.equal(res.status, 302, res.text.slice(0, 300));
    const loc = new URL(res.location);
    assert.equal(`${loc.origin}${loc.pathname}`, 'http://localhost:3000/');
    assert.equal(loc.searchParams.get('error'), 'invalid_request', res.location);
    assert.equal(loc.searchParams.get('error_description'), said);
    assert.equal(loc.searchParams.get('state'), 'st4te');
  }
});

test('refresh: errors, a new access token, the old one keeps working, scopes never widen', async () => {
  const t = await userTokens(server, app, 'grace', { scope: 'chat:read chat:edit' });
  const refresh = (extra) => token({ client_id: app.client_id, client_secret: app.client_secret,
    grant_type: 'refresh_token', refresh_token: t.refresh_token, ...extra });
  twitchError(await refresh({ client_secret: '' }), 400, 'missing client secret');
  twitchError(await refresh({ client_secret: 'y'.repeat(30) }), 403, 'invalid client secret');
  twitchError(await refresh({ refresh_token: '' }), 400, 'missing refresh token');
  twitchError(await refresh({ refresh_token: 'z'.repeat(50) }), 400, 'Invalid refresh token');
  twitchError(await token({ client_id: other.client_id, client_secret: other.client_secret,
    grant_type: 'refresh_token', refresh_token: t.refresh_token }), 400, 'Invalid refresh token');
  twitchError(await refresh({ scope: 'chat:read bits:read' }), 400,
    'invalid scope requested: a refresh cannot add scopes the user did not grant');
  twitchError(await refresh({ scope: 'chat:read nope' }), 400, "invalid scope requested: 'nope'");

  const r = await refresh();
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
  assert.notEqual(r.json.access_token, t.access_token);
  assert.equal(r.json.refresh_token, t.refresh_token, 'confidential clients keep their refresh token');
  assert.deepEqual(r.json.scope, ['chat:edit', 'chat:read']);
  assert.equal((await validate(server, r.json.access_token)).status, 200);
  assert.equal((await validate(server, t.access_token)).status, 200, 'the old access token still works');
  // Narrowing is allowed; the grant keeps its scopes for later refreshes.
  const narrow = await refresh({ scope: 'chat:read' });
  assert.deepEqual(narrow.json.scope, ['chat:read']);
  assert.deepEqual((await validate(server, narrow.json.access_token)).json.scopes, ['chat:read']);
  assert.deepEqual((await refresh()).json.scope, ['chat:edit', 'chat:read']);
  // The query-string form twurple sends, with an empty body.
  const q = new URLSearchParams({ client_id: app.client_id, client_secret: app.client_secret,
    grant_type: 'refresh_token', refresh_token: t.refresh_token });
  const viaQuery = await read(fetch(`${server.url}/oauth2/token?${q}`, { method: 'POST' }));
  assert.equal(viaQuery.status, 200, viaQuery.text);
});

test('an expired code is refused (clock moved past 10 minutes)', async () => {
  const db2 = freshDb();
  const a = createApp(db2, 'Clock App');
  createUser(db2, 'oscar');
  let s = await startServer({ db: db2 });
  const br = new Browser(s.url);
  const url = authorizeUrl(a);
  await signIn(br, url, 'oscar');
  const code = (await authorize(br, url)).searchParams.get('code');
  await s.stop();
  s = await startServer({ db: db2, env: { TWAUTH_CLOCK_SKEW: '601' } });
  try {
    twitchError(await read(postForm(`${s.url}/oauth2/token`, { client_id: a.client_id,
      client_secret: a.client_secret, code, grant_type: 'authorization_code',
      redirect_uri: 'http://localhost:3000' })), 400, 'Invalid authorization code');
  } finally { await s.stop(); }
});

test('user passwd ends every token, refresh token and browser session of the user', async () => {
  const { code, browser } = await freshCode('heidi');
  const t = (await exchange(code)).json;
  const r = cli(['user', 'passwd', 'Heidi', '--password-stdin'], { db, input: 'a new long password\n' });
  assert.equal(r.status, 0, r.stderr);
  twitchError(await validate(server, t.access_token), 401, 'invalid access token');
  twitchError(await token({ client_id: app.client_id, client_secret: app.client_secret,
    grant_type: 'refresh_token', refresh_token: t.refresh_token }), 400, 'Invalid refresh token');
  const page = await browser.get(authorizeUrl(app));
  assert.match(page.text, /name="password"/, 'signed out');
  // The new password works, the old one does not.
  const br = new Browser(server.url);
  const p = await br.get(authorizeUrl(app));
  assert.equal((await br.post(authorizeUrl(app), { step: 'login', csrf: csrfOf(p.text), login: 'heidi',
    password: 'correct horse battery' })).status, 401);
  await signIn(new Browser(server.url), authorizeUrl(app), 'heidi', 'a new long password');
});

test('user disconnect (CLI) ends the tokens between that user and that app only', async () => {
  const a1 = await userTokens(server, app, 'ivan');
  const a2 = await userTokens(server, other, 'ivan');
  const r = cli(['user', 'disconnect', 'ivan', app.client_id], { db });
  assert.equal(r.status, 0, r.stderr);
  twitchError(await validate(server, a1.access_token), 401, 'invalid access token');
  assert.equal((await validate(server, a2.access_token)).status, 200);
  const again = cli(['user', 'disconnect', 'ivan', app.client_id], { db });
  assert.equal(again.status, 2);
  assert.match(again.stderr, /has not authorized that app/);
});

test('connections page lists authorized apps; Disconnect ends their tokens at once', async () => {
  const t = await userTokens(server, other, 'judy', { scope: 'user:read:email' });
  const br = new Browser(server.url);
  await signIn(br, '/settings/connections', 'judy');
  const page = await br.get('/settings/connections');
  assert.equal(page.status, 200);
  assert.match(page.text, /Other App/);
  // Each scope in the consent page's plain words, over its name.
  assert.match(page.text, /<li><span>View your email address<\/span> <code>user:read:email<\/code><\/li>/);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  // Without the CSRF field: refused, nothing changes.
  assert.equal((await br.post('/settings/connections', { client_id: other.client_id })).status, 403);
  assert.equal((await validate(server, t.access_token)).status, 200);
  const r = await br.post('/settings/connections', { csrf: csrfOf(page.text), client_id: other.client_id });
  assert.equal(r.status, 303);
  twitchError(await validate(server, t.access_token), 401, 'invalid access token');
  const after = await br.get(r.location);
  assert.match(after.text, /You have not authorized any apps|Disconnected/);
  assert.doesNotMatch(after.text, /Other App/);
  // Consent is forgotten too: authorizing again asks.
  const url = authorizeUrl(other, { scope: 'user:read:email' });
  const ask = await br.get(url);
  assert.match(ask.text, /name="decision"/);
});

test('connections page: a scope the catalog does not know is shown by its name, escaped',
  { skip: sqliteOnly }, async () => {
  await userTokens(server, app, 'leonard', { scope: 'chat:read' });
  // Only an older or foreign writer could store such a scope: put one there.
  const s = spawnSync('sqlite3', [db, "UPDATE grants SET scopes = 'chat:read made:up<b>' WHERE " +
    "user_id = (SELECT id FROM users WHERE login = 'leonard')"], { encoding: 'utf8' });
  assert.equal(s.status, 0, s.stderr);
  const br = new Browser(server.url);
  await signIn(br, '/settings/connections', 'leonard');
  const page = await br.get('/settings/connections');
  assert.match(page.text, /<li><span>View chat messages in the channels you join<\/span> <code>chat:read<\/code><\/li>/);
  assert.match(page.text, /<li><code>made:up&lt;b&gt;<\/code><\/li>/);
  assert.doesNotMatch(page.text, /made:up<b>/);
});

test('revoking a refresh token ends its grant; revoking an access token ends just it', async () => {
  const t = await userTokens(server, app, 'dave', { scope: 'whispers:read' });
  const r2 = (await token({ client_id: app.client_id, client_secret: app.client_secret,
    grant_type: 'refresh_token', refresh_token: t.refresh_token })).json;
  const rv = await read(postForm(`${server.url}/oauth2/revoke`, { client_id: app.client_id, token: r2.access_token }));
  assert.equal(rv.status, 200);
  twitchError(await validate(server, r2.access_token), 401, 'invalid access token');
  assert.equal((await validate(server, t.access_token)).status, 200);
  const rr = await read(postForm(`${server.url}/oauth2/revoke`, { client_id: app.client_id, token: t.refresh_token }));
  assert.equal(rr.status, 200);
  assert.equal(rr.text, '');
  twitchError(await validate(server, t.access_token), 401, 'invalid access token');
});

test('deleting a user or the app ends the user tokens at once', async () => {
  createUser(db, 'mallory');
  const t = await userTokens(server, other, 'mallory');
  assert.equal(cli(['user', 'delete', 'mallory'], { db }).status, 0);
  twitchError(await validate(server, t.access_token), 401, 'invalid access token');
  const a3 = createApp(db, 'Short Lived');
  const t2 = await userTokens(server, a3, 'dave');
  assert.equal(cli(['app', 'delete', a3.client_id], { db }).status, 0);
  twitchError(await validate(server, t2.access_token), 401, 'invalid access token');
});

test('repeated failed sign-ins for one login are slowed down (429, Retry-After)', async () => {
  createUser(db, 'trudy');
  const url = authorizeUrl(app);
  const statuses = [];
  let last;
  for (let i = 0; i < 7; i++) {
    const br = new Browser(server.url);
    const p = await br.get(url);
    last = await br.post(url, { step: 'login', csrf: csrfOf(p.text), login: 'TRUDY', password: `wrong ${i} pass` });
    statuses.push(last.status);
  }
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
  assert.equal(statuses[6], 429, statuses.join(','));
  assert.ok(Number(last.headers.get('retry-after')) >= 1);
  assert.match(last.text, /Too many failed sign-in attempts/);
  // Even the right password waits while throttled.
  const br = new Browser(server.url);
  const p = await br.get(url);
  const r = await br.post(url, { step: 'login', csrf: csrfOf(p.text), login: 'trudy', password: 'correct horse battery' });
  assert.equal(r.status, 429);
});

// twitchdev/issues#1145 and #1037: no scopes is null at validate and no
// scope member in a token response; code written against [] crashes there.
test('a user token granted no scopes: validate says null, the token responses have no scope', async () => {
  const t = await userTokens(server, app, 'judy', { scope: '' });
  assert.deepEqual(Object.keys(t), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
  const v = await validate(server, t.access_token);
  assert.equal(v.status, 200);
  assert.equal(v.json.scopes, null);
  assert.deepEqual(Object.keys(v.json), ['client_id', 'login', 'scopes', 'user_id', 'expires_in']);
  const r = await token({ client_id: app.client_id, client_secret: app.client_secret,
    grant_type: 'refresh_token', refresh_token: t.refresh_token });
  assert.equal(r.status, 200, r.text);
  assert.equal('scope' in r.json, false);
  // With scopes, the array is there as always.
  const s = await userTokens(server, app, 'judy', { scope: 'chat:read' });
  assert.deepEqual(s.scope, ['chat:read']);
  assert.deepEqual((await validate(server, s.access_token)).json.scopes, ['chat:read']);
});
