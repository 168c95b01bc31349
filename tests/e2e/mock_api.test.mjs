// twitch mock-api's routes, as twurple (TWURPLE_MOCK_API_PORT) and
// pyTwitchAPI's mock mode call them: parameters in the query string and an
// empty body, /auth/... for id.twitch.tv's endpoints and /mock/... for
// Helix, and the made-up user_token grant.  Real behaviour behind them:
// the tokens are twauth's own and work everywhere.  Off unless asked for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, createApp, createUser, read, validate, twitchError, freshDb,
} from './lib/harness.mjs';

let server, plain, db, app, pub, user;

before(async () => {
  db = freshDb();
  app = createApp(db, 'Mock Bot');
  pub = createApp(db, 'Mock TV', ['http://localhost:3000'], ['--public']);
  user = createUser(db, 'mockuser', 'correct horse battery', ['--email', 'mock@example.test',
    '--email-verified']);
  server = await startServer({ db, args: ['--mock-api-compat'] });
  plain = await startServer({ db });
});
after(async () => { await server.stop(); await plain.stop(); });

// A POST with its parameters in the query string and no body, as those libraries send.
const post = (s, path, params) => read(fetch(`${s.url}${path}?${new URLSearchParams(params)}`,
  { method: 'POST' }));

test('mock-api: a user token by user_token grant, then validate, Helix and revoke under /auth and /mock', async () => {
  const r = await post(server, '/auth/authorize', { client_id: app.client_id,
    client_secret: app.client_secret, grant_type: 'user_token', user_id: user.user_id,
    scope: 'user:read:email chat:read' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
  assert.deepEqual(r.json.scope, ['chat:read', 'user:read:email']);
  assert.equal(r.json.token_type, 'bearer');
  const v = await read(fetch(`${server.url}/auth/validate`, { headers: { Authorization: `OAuth ${r.json.access_token}` } }));
  assert.equal(v.status, 200);
  assert.equal(v.json.login, 'mockuser');
  assert.equal(v.json.user_id, user.user_id);
  // The same token on the real paths, and on another server of the database.
  assert.equal((await validate(plain, r.json.access_token)).status, 200);
  const me = await read(fetch(`${server.url}/mock/users`, { headers: {
    Authorization: `Bearer ${r.json.access_token}`, 'Client-Id': app.client_id } }));
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.data[0].login, 'mockuser');
  assert.equal(me.json.data[0].email, 'mock@example.test');
  const ch = await read(fetch(`${server.url}/mock/channels?broadcaster_id=${user.user_id}`, { headers: {
    Authorization: `Bearer ${r.json.access_token}`, 'Client-Id': app.client_id } }));
  assert.equal(ch.status, 200, ch.text);
  const rv = await post(server, '/auth/revoke', { client_id: app.client_id, token: r.json.access_token });
  assert.equal(rv.status, 200);
  twitchError(await validate(server, r.json.access_token), 401, 'invalid access token');
  // Its refresh token is real too.
  const again = await post(server, '/auth/token', { client_id: app.client_id,
    client_secret: app.client_secret, grant_type: 'refresh_token', refresh_token: r.json.refresh_token });
  assert.equal(again.status, 200, again.text);
});

test('mock-api: /auth/token and /auth/device from the query string', async () => {
  const t = await post(server, '/auth/token', { client_id: app.client_id,
    client_secret: app.client_secret, grant_type: 'client_credentials' });
  assert.equal(t.status, 200, t.text);
  assert.match(t.json.access_token, /^[0-9a-z]{30}$/);
  const d = await post(server, '/auth/device', { client_id: pub.client_id, scopes: 'chat:read' });
  assert.equal(d.status, 200, d.text);
  assert.match(d.json.user_code, /^[A-Z]{8}$/);
});

test('mock-api: the user_token grant says what is wrong, in Twitch\'s format', async () => {
  const base = { client_id: app.client_id, client_secret: app.client_secret,
    grant_type: 'user_token', user_id: user.user_id, scope: 'chat:read' };
  twitchError(await post(server, '/auth/authorize', { ...base, client_secret: 'wrong' }), 403,
    'invalid client secret');
  twitchError(await post(server, '/auth/authorize', { ...base, client_secret: '' }), 400,
    'missing client secret');
  twitchError(await post(server, '/auth/authorize', { ...base, client_id: '' }), 400, 'missing client id');
  twitchError(await post(server, '/auth/authorize', { ...base, grant_type: 'client_credentials' }), 400,
    'invalid grant type');
  twitchError(await post(server, '/auth/authorize', { ...base, user_id: '' }), 400, 'missing user id');
  twitchError(await post(server, '/auth/authorize', { ...base, user_id: '999999999999' }), 400, 'invalid user id');
  twitchError(await post(server, '/auth/authorize', { ...base, user_id: 'mockuser' }), 400, 'invalid user id');
  twitchError(await post(server, '/auth/authorize', { ...base, scope: 'chat:raed' }), 400,
    "invalid scope requested: 'chat:raed'");
  twitchError(await post(server, '/auth/authorize', { ...base, client_id: pub.client_id, client_secret: '' }), 400,
    'invalid client: a user_token grant needs a confidential app and its secret');
  assert.equal((await read(fetch(`${server.url}/auth/authorize`))).status, 405);
});

test('mock-api: without --mock-api-compat those routes are not there, and say how to turn them on', async () => {
  const r = await post(plain, '/auth/authorize', { client_id: app.client_id,
    client_secret: app.client_secret, grant_type: 'user_token', user_id: user.user_id });
  assert.equal(r.status, 404);
  assert.match(r.json.message, /--mock-api-compat/);
  assert.equal((await post(plain, '/auth/token', { client_id: app.client_id,
    client_secret: app.client_secret, grant_type: 'client_credentials' })).status, 404);
  assert.equal((await read(fetch(`${plain.url}/mock/users`))).status, 404);
  await server.waitForLog(/--mock-api-compat: POST \/auth\/authorize hands out user tokens/);
});

test('mock-api: wrong secrets at /auth/authorize count against the client failure limits, as at /oauth2/token', async () => {
  const s = await startServer({ db, args: ['--mock-api-compat', '--max-client-failures', '2',
    '--max-address-failures', '1000'] });
  const guessed = createApp(db, 'Mock Guessed');
  const grant = (secret) => post(s, '/auth/authorize', { client_id: guessed.client_id,
    client_secret: secret, grant_type: 'user_token', user_id: user.user_id, scope: 'chat:read' });
  try {
    for (let i = 0; i < 2; i++) twitchError(await grant('wrong'), 403, 'invalid client secret');
    const r = await grant('wrong');
    assert.equal(r.status, 429, r.text);
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    // One budget with /oauth2/token; the right secret still works.
    assert.equal((await post(s, '/oauth2/token', { client_id: guessed.client_id, client_secret: 'wrong',
      grant_type: 'client_credentials' })).status, 429);
    assert.equal((await grant(guessed.client_secret)).status, 200);
  } finally { await s.stop(); }
});
