// POST /oauth2/introspect (RFC 7662): a confidential app learns whether a
// token is a live access token of its own, for resource servers and
// gateways that speak the standard.  Another app's tokens, refresh tokens,
// revoked and unknown ones are {"active":false}; errors in RFC 6749's shape.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, createApp, createUser, postForm, read, userTokens, appToken, freshDb,
} from './lib/harness.mjs';

let server, db, app, other, pub;

before(async () => {
  db = freshDb();
  app = createApp(db, 'Gateway');
  other = createApp(db, 'Someone Else');
  pub = createApp(db, 'Public One', ['http://localhost:3000'], ['--public']);
  createUser(db, 'introspected');
  server = await startServer({ db });
});
after(async () => { await server.stop(); });

const introspect = (params, headers = {}) => read(postForm(`${server.url}/oauth2/introspect`, params, headers));
const mine = (token) => introspect({ client_id: app.client_id, client_secret: app.client_secret, token });

test('a live user token of the asking app: active, with its client, scope, user and expiry', async () => {
  const t = await userTokens(server, app, 'introspected', { scope: 'chat:read chat:edit' });
  const r = await mine(t.access_token);
  assert.equal(r.status, 200, r.text);
  const now = Math.floor(Date.now() / 1000);
  assert.equal(r.json.active, true);
  assert.equal(r.json.client_id, app.client_id);
  assert.equal(r.json.scope, 'chat:edit chat:read');
  assert.equal(r.json.token_type, 'bearer');
  assert.equal(r.json.username, 'introspected');
  assert.match(r.json.sub, /^\d+$/);
  assert.equal(r.json.iss, `${server.url}/oauth2`);
  assert.ok(Math.abs(r.json.exp - (now + 4 * 3600)) < 30, `exp ${r.json.exp}`);
  // An app token: no user.
  const a = await mine(await appToken(server, app));
  assert.equal(a.json.active, true);
  assert.equal(a.json.sub, undefined);
  assert.equal(a.json.scope, '');
  // By HTTP Basic too.
  const basic = `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}`;
  const b = await introspect({ token: t.access_token }, { Authorization: basic });
  assert.equal(b.json.active, true);
});

test('anything else is inactive and says nothing more: another app\'s token, a refresh token, revoked, unknown', async () => {
  const theirs = await userTokens(server, other, 'introspected');
  for (const token of [theirs.access_token, theirs.refresh_token, 'z'.repeat(30), 'x'.repeat(600)])
    assert.deepEqual((await mine(token)).json, { active: false });
  const t = await userTokens(server, app, 'introspected');
  const rv = await read(postForm(`${server.url}/oauth2/revoke`, { client_id: app.client_id, token: t.access_token }));
  assert.equal(rv.status, 200);
  assert.deepEqual((await mine(t.access_token)).json, { active: false });
});

test('errors: RFC 6749 shape; public apps, wrong and missing secrets, no token', async () => {
  const err = (r, status, message, error) => {
    assert.equal(r.status, status, r.text);
    assert.deepEqual(r.json, { status, message, error, error_description: message });
  };
  err(await introspect({ client_id: pub.client_id, token: 'x' }), 400,
    'invalid client: public clients cannot introspect tokens; a confidential app and its secret can', 'unauthorized_client');
  err(await introspect({ client_id: app.client_id, client_secret: 'w'.repeat(30), token: 'x' }), 403, 'invalid client secret', 'invalid_client');
  err(await introspect({ client_id: app.client_id, token: 'x' }), 400, 'missing client secret', 'invalid_client');
  err(await introspect({ client_id: app.client_id, client_secret: app.client_secret }), 400, 'missing oauth token', 'invalid_request');
  err(await introspect({ token: 'x' }), 400, 'missing client id', 'invalid_request');
  const basic = `Basic ${Buffer.from(`${app.client_id}:${'w'.repeat(30)}`).toString('base64')}`;
  const r = await introspect({ token: 'x' }, { Authorization: basic });
  err(r, 401, 'invalid client secret', 'invalid_client');
  assert.match(r.headers.get('www-authenticate'), /^Basic realm="twauth", error="invalid_client", error_description="[^"]+"$/);
  err(await introspect({ token: 'x', client_secret: app.client_secret }, { Authorization: basic }), 400,
    'send the client\'s credentials one way: HTTP Basic, or the client_id and client_secret parameters, not both', 'invalid_request');
});
