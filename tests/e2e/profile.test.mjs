// An app's profile: twitch (the default) answers exactly as id.twitch.tv;
// oauth2 answers as standard OAuth 2.0 / OIDC libraries expect where Twitch
// differs: scope as one string, RFC 6749 error members beside Twitch's, the
// secret required when a confidential app polls the device flow, and
// offline_access accepted and ignored, HTTP Basic client authentication
// (RFC 6749 2.3.1).  Chosen with app create --profile
// (or --scope-string), switched with app profile (or scope-format) and in
// the console.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  startServer, createApp, createUser, cli, postForm, read, twitchError, activateDevice,
  userTokens, freshDb, Browser, csrfOf, signIn, authorizeUrl,
} from './lib/harness.mjs';

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';
let server, db, twitch, oauth2, native, tv;

before(async () => {
  db = freshDb();
  twitch = createApp(db, 'Twitch Shaped');
  oauth2 = createApp(db, 'Standard Shaped', ['http://localhost:3000'], ['--profile', 'oauth2']);
  native = createApp(db, 'Native App', ['http://127.0.0.1/callback'], ['--public', '--profile', 'oauth2']);
  tv = createApp(db, 'Living Room', ['http://127.0.0.1/callback'], ['--public']);
  createUser(db, 'profiler');
  createUser(db, 'profowner');
  server = await startServer({ db });
});
after(async () => { await server.stop(); });

const token = (params) => read(postForm(`${server.url}/oauth2/token`, params));

// An RFC 6749 5.2 error beside Twitch's members, exactly these four.
function oauthError(r, status, message, error) {
  assert.equal(r.status, status, r.text);
  assert.deepEqual(r.json, { status, message, error, error_description: message });
}

test('app create --profile, app profile and their aliases; --json says profile', () => {
  assert.equal(twitch.profile, 'twitch');
  assert.equal(twitch.scope_format, 'array');
  assert.equal(oauth2.profile, 'oauth2');
  assert.equal(oauth2.scope_format, 'string');
  const alias = createApp(db, 'Alias', ['http://localhost:3000'], ['--scope-string']);
  assert.equal(alias.profile, 'oauth2');
  let r = cli(['app', 'profile', alias.client_id, 'twitch', '--json'], { db });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.json.profile, 'twitch');
  r = cli(['app', 'scope-format', alias.client_id, 'string', '--json'], { db });
  assert.equal(r.json.profile, 'oauth2');
  r = cli(['app', 'show', alias.client_id], { db });
  assert.match(r.stdout, /profile: +oauth2 \(standard OAuth 2\.0 \/ OpenID Connect\)/);
  r = cli(['app', 'profile', alias.client_id, 'rfc6749'], { db });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /a profile is 'twitch' or 'oauth2', not 'rfc6749'/);
  r = cli(['app', 'create', '--name', 'Bad', '--redirect-uri', 'http://localhost:3000', '--profile', 'openid'], { db });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--profile is 'twitch' or 'oauth2', not 'openid'/);
  r = cli(['app', 'profile', 'nosuchapp', 'oauth2'], { db });
  assert.notEqual(r.status, 0);
  assert.match(cli(['app', '--help']).stdout, /Profiles: a twitch app gets exactly id\.twitch\.tv's answers/);
});

test('token endpoint errors: Twitch\'s two members for a twitch app, RFC 6749\'s four for an oauth2 app', async () => {
  const cc = (app, extra) => token({ client_id: app.client_id, client_secret: app.client_secret,
    grant_type: 'client_credentials', ...extra });
  let r = await cc(twitch, { client_secret: 'x'.repeat(30) });
  assert.deepEqual(r.json, { status: 403, message: 'invalid client secret' });
  oauthError(await cc(oauth2, { client_secret: 'x'.repeat(30) }), 403, 'invalid client secret', 'invalid_client');
  oauthError(await cc(oauth2, { grant_type: 'password' }), 400, 'invalid grant type', 'unsupported_grant_type');
  oauthError(await token({ client_id: oauth2.client_id, client_secret: oauth2.client_secret,
    grant_type: 'authorization_code', code: 'n'.repeat(30), redirect_uri: 'http://localhost:3000' }),
  400, 'Invalid authorization code', 'invalid_grant');
  oauthError(await token({ client_id: oauth2.client_id, client_secret: oauth2.client_secret,
    grant_type: 'refresh_token' }), 400, 'missing refresh token', 'invalid_request');
  oauthError(await token({ client_id: oauth2.client_id, client_secret: oauth2.client_secret,
    grant_type: 'refresh_token', refresh_token: 'r'.repeat(50) }), 400, 'Invalid refresh token', 'invalid_grant');
  r = await token({ client_id: twitch.client_id, client_secret: twitch.client_secret,
    grant_type: 'refresh_token', refresh_token: 'r'.repeat(50) });
  twitchError(r, 400, 'Invalid refresh token');
  assert.deepEqual(Object.keys(r.json), ['status', 'message']);
  // An unknown client has no profile: Twitch's shape.
  r = await token({ client_id: 'u'.repeat(30), client_secret: 'x', grant_type: 'client_credentials' });
  assert.deepEqual(r.json, { status: 400, message: 'invalid client' });
  // Success bodies: the same members, scope a string for the oauth2 app.
  r = await cc(oauth2);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['access_token', 'expires_in', 'token_type']);
});

test('code flow and refresh: scope one string for an oauth2 app, offline_access accepted and ignored', async () => {
  const t = await userTokens(server, oauth2, 'profiler', { scope: 'chat:read offline_access chat:edit' });
  assert.equal(t.scope, 'chat:edit chat:read');
  assert.ok(t.refresh_token);
  let r = await token({ client_id: oauth2.client_id, client_secret: oauth2.client_secret,
    grant_type: 'refresh_token', refresh_token: t.refresh_token, scope: 'offline_access' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.scope, 'chat:edit chat:read', 'offline_access alone narrows nothing');
  // For a twitch app it is an unknown scope, as on Twitch.
  const b = new Browser(server.url);
  const res = await b.get(authorizeUrl(twitch, { scope: 'chat:read offline_access' }));
  assert.equal(res.status, 302);
  const loc = new URL(res.location);
  assert.equal(loc.searchParams.get('error'), 'invalid_scope');
  assert.match(loc.searchParams.get('error_description'), /'offline_access'/);
  r = await token({ client_id: twitch.client_id, client_secret: twitch.client_secret,
    grant_type: 'refresh_token', refresh_token: (await userTokens(server, twitch, 'profiler')).refresh_token,
    scope: 'offline_access' });
  twitchError(r, 400, "invalid scope requested: 'offline_access'");
});

test('device flow: an oauth2 confidential app polls with its secret, and hears RFC 8628 errors', async () => {
  // An oauth2 confidential app authenticates to start, too (RFC 8628 3.1).
  const start = async (app, scopes) => read(postForm(`${server.url}/oauth2/device`,
    { client_id: app.client_id, scopes, ...(app === oauth2 ? { client_secret: app.client_secret } : {}) }));
  let d = await start(oauth2, 'chat:read offline_access');
  assert.equal(d.status, 200, d.text);
  const poll = (extra) => token({ client_id: oauth2.client_id, device_code: d.json.device_code,
    grant_type: DEVICE, ...extra });
  // Without the secret: refused before the poll counts.
  oauthError(await poll({}), 400, 'missing client secret', 'invalid_client');
  await activateDevice(server.url, d.json.verification_uri, 'profiler');
  const ok = await poll({ client_secret: oauth2.client_secret });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.scope, 'chat:read');
  oauthError(await poll({ client_secret: oauth2.client_secret }), 400, 'invalid device code', 'invalid_grant');
  d = await start(oauth2, 'chat:read');
  oauthError(await poll({ client_secret: oauth2.client_secret }), 400, 'authorization_pending', 'authorization_pending');
  oauthError(await poll({ client_secret: oauth2.client_secret }), 400, 'slow_down', 'slow_down');
  // A twitch confidential app still polls with its client id alone, as on Twitch.
  d = await start(twitch, 'chat:read');
  const pending = await token({ client_id: twitch.client_id, device_code: d.json.device_code, grant_type: DEVICE });
  assert.deepEqual(pending.json, { status: 400, message: 'authorization_pending' });
  // Unknown scopes at /oauth2/device, in each app's shape.
  oauthError(await start(oauth2, 'chat:read nosuch'), 400, "invalid scope requested: 'nosuch'", 'invalid_scope');
  assert.deepEqual((await start(twitch, 'nosuch')).json, { status: 400, message: "invalid scope requested: 'nosuch'" });
});

test('the console: registering with a profile, and switching it on the app\'s page', async () => {
  const b = new Browser(server.url);
  await signIn(b, '/console/new', 'profowner');
  let page = await b.get('/console/new');
  assert.match(page.text, /name="profile" value="twitch" checked/);
  assert.match(page.text, /name="profile" value="oauth2"/);
  const bad = await b.post('/console/new', { csrf: csrfOf(page.text), name: 'Bad', category: 'Other',
    type: 'confidential', redirect_uris: 'http://localhost:3000', profile: 'soap' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /Choose Twitch or standard OAuth 2\.0 \/ OpenID Connect\./);
  const made = await b.post('/console/new', { csrf: csrfOf(page.text), name: 'Console RP', category: 'Other',
    type: 'confidential', redirect_uris: 'http://localhost:3000', profile: 'oauth2' });
  assert.equal(made.status, 303, made.text.slice(0, 300));
  const id = new URL(made.location, server.url).searchParams.get('client_id');
  assert.equal(cli(['app', 'show', id, '--json'], { db }).json.profile, 'oauth2');
  page = await b.get(`/console/app?client_id=${id}`);
  assert.match(page.text, /<dd id="profile">Standard OAuth 2\.0 \/ OpenID Connect<\/dd>/);
  const saved = await b.post(`/console/app?client_id=${id}`, { csrf: csrfOf(page.text), action: 'profile', profile: 'twitch' });
  assert.equal(saved.status, 303, saved.text.slice(0, 300));
  assert.equal(cli(['app', 'show', id, '--json'], { db }).json.profile, 'twitch');
});

test('HTTP Basic client authentication: an oauth2 app\'s way; one way at a time; a twitch app is told to send parameters', async () => {
  const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const post = (params, authorization) => read(postForm(`${server.url}/oauth2/token`, params,
    authorization ? { Authorization: authorization } : {}));
  let r = await post({ grant_type: 'client_credentials' }, basic(oauth2.client_id, oauth2.client_secret));
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.access_token, /^[0-9a-z]{30}$/);
  // client_id beside Basic is the same client: fine.
  r = await post({ grant_type: 'client_credentials', client_id: oauth2.client_id }, basic(oauth2.client_id, oauth2.client_secret));
  assert.equal(r.status, 200, r.text);
  // A wrong secret: 401 with a challenge (RFC 6749 5.2).
  r = await post({ grant_type: 'client_credentials' }, basic(oauth2.client_id, 'x'.repeat(30)));
  oauthError(r, 401, 'invalid client secret', 'invalid_client');
  assert.match(r.headers.get('www-authenticate'), /^Basic realm="twauth", error="invalid_client", error_description="[^"]+"$/);
  // Two ways at once, or another client_id: invalid_request, nothing issued.
  oauthError(await post({ grant_type: 'client_credentials', client_secret: oauth2.client_secret },
    basic(oauth2.client_id, oauth2.client_secret)), 400,
  'send the client\'s credentials one way: HTTP Basic, or the client_id and client_secret parameters, not both', 'invalid_request');
  r = await post({ grant_type: 'client_credentials', client_id: twitch.client_id }, basic(oauth2.client_id, oauth2.client_secret));
  assert.equal(r.status, 400);
  assert.equal(r.json.error, 'invalid_request');
  assert.match(r.json.message, /one way/);
  // Malformed credentials.
  // Malformed credentials, and Basic to a twitch app (Twitch takes
  // parameters): only a standard client sends Basic, so the answer has
  // RFC 6749's members whatever the app, and its library says why.
  oauthError(await post({ grant_type: 'client_credentials' }, 'Basic !!!'), 400,
    'malformed HTTP Basic credentials: send the base64 of client_id:client_secret', 'invalid_request');
  r = await post({ grant_type: 'client_credentials' }, basic(twitch.client_id, twitch.client_secret));
  oauthError(r, 401,
    'invalid client: Twitch takes client_id and client_secret as parameters, not HTTP Basic; send them as parameters, or give the app the oauth2 profile',
    'invalid_client');
  assert.match(r.headers.get('www-authenticate'), /^Basic realm="twauth", error="invalid_client", error_description="[^"]+"$/);
  // The code flow's exchange by Basic, as most libraries send it.
  const t = await (async () => {
    const b = new Browser(server.url);
    const url = authorizeUrl(oauth2, { scope: 'chat:read' });
    await signIn(b, url, 'profiler');
    let res = await b.get(url);
    if (res.status === 200) res = await b.post(url, { csrf: csrfOf(res.text), decision: 'authorize' });
    const code = new URL(res.location).searchParams.get('code');
    return post({ grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:3000' },
      basic(oauth2.client_id, oauth2.client_secret));
  })();
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.scope, 'chat:read');
});

test('a public oauth2 app uses the code flow with PKCE S256, its loopback redirect URI on any port (RFC 8252); a twitch public app still cannot', async () => {
  const verifier = 'N'.repeat(20) + '-._~' + 'v'.repeat(30);
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirect = 'http://127.0.0.1:54321/callback';
  const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
  const b = new Browser(server.url);
  const url = authorizeUrl(native, { redirectUri: redirect, extra: pkce });
  await signIn(b, url, 'profiler');
  let res = await b.get(url);
  if (res.status === 200) res = await b.post(url, { csrf: csrfOf(res.text), decision: 'authorize' });
  const back = new URL(res.location);
  assert.equal(`${back.origin}${back.pathname}`, 'http://127.0.0.1:54321/callback');
  const code = back.searchParams.get('code');
  const exchange = (extra) => token({ client_id: native.client_id, grant_type: 'authorization_code',
    code, redirect_uri: redirect, ...extra });
  oauthError(await exchange({}), 400, 'missing code verifier: this code was requested with a code_challenge', 'invalid_grant');
  oauthError(await exchange({ code_verifier: verifier, redirect_uri: 'http://127.0.0.1:54322/callback' }), 400,
    'Parameter redirect_uri does not match registered URI', 'invalid_grant');
  const t = await exchange({ code_verifier: verifier });
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.scope, 'chat:read');
  // Its refresh token rotates, without a secret, as a public client's does.
  const r = await token({ client_id: native.client_id, grant_type: 'refresh_token', refresh_token: t.json.refresh_token });
  assert.equal(r.status, 200, r.text);
  assert.notEqual(r.json.refresh_token, t.json.refresh_token);

  // Without PKCE, or with plain: refused at the redirect URI.
  const refused = async (app, extra, error, description, redirectUri = redirect) => {
    const x = await b.get(authorizeUrl(app, { redirectUri, extra }));
    assert.equal(x.status, 302, x.text.slice(0, 200));
    const loc = new URL(x.location);
    assert.equal(loc.searchParams.get('error'), error, x.location);
    assert.equal(loc.searchParams.get('error_description'), description);
  };
  await refused(native, {}, 'invalid_request', 'a public client\'s code flow needs PKCE: send a code_challenge with code_challenge_method=S256');
  await refused(native, { code_challenge: verifier, code_challenge_method: 'plain' }, 'invalid_request',
    'code_challenge_method must be S256 for this app (plain, the default when none is given, is not accepted)');
  await refused(native, { ...pkce, response_type: 'token' }, 'unauthorized_client',
    'public clients may use the code flow (response_type=code, with PKCE S256) or the device code flow');
  // Another path, or https, is not the registered URI: sent to the first registered one.
  await refused(native, pkce, 'redirect_mismatch', 'Parameter redirect_uri does not match registered URI',
    'http://127.0.0.1:54321/other');
  // A twitch public app: as on Twitch, no code flow; and its redirect URI matches exactly.
  await refused(tv, pkce, 'unauthorized_client', 'public clients cannot use this flow; use the device code flow',
    'http://127.0.0.1/callback');
  await refused(tv, pkce, 'redirect_mismatch', 'Parameter redirect_uri does not match registered URI');
  // A confidential oauth2 app's loopback URI still matches exactly.
  const x = await b.get(authorizeUrl(oauth2, { redirectUri: 'http://localhost:3001', extra: pkce }));
  assert.equal(new URL(x.location).searchParams.get('error'), 'redirect_mismatch');
});

test('revoke and device start: an oauth2 confidential app authenticates (parameters or Basic); a twitch app\'s client id is enough', async () => {
  const basic = (id, secret) => ({ Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });
  const revoke = (params, headers) => read(postForm(`${server.url}/oauth2/revoke`, params, headers));
  const device = (params, headers) => read(postForm(`${server.url}/oauth2/device`, params, headers));
  const cc = async (app) => (await token({ client_id: app.client_id, client_secret: app.client_secret,
    grant_type: 'client_credentials' })).json.access_token;
  const live = async (t) => (await read(fetch(`${server.url}/oauth2/validate`, { headers: { Authorization: `OAuth ${t}` } }))).status === 200;

  // oauth2: without its secret, refused and nothing revoked.
  let t = await cc(oauth2);
  oauthError(await revoke({ client_id: oauth2.client_id, token: t }), 400, 'missing client secret', 'invalid_client');
  oauthError(await revoke({ client_id: oauth2.client_id, client_secret: 'w'.repeat(30), token: t }), 403, 'invalid client secret', 'invalid_client');
  let r = await revoke({ token: t }, basic(oauth2.client_id, 'w'.repeat(30)));
  oauthError(r, 401, 'invalid client secret', 'invalid_client');
  assert.match(r.headers.get('www-authenticate'), /^Basic realm="twauth", error="invalid_client", error_description="[^"]+"$/);
  assert.ok(await live(t), 'still live after the refused revocations');
  r = await revoke({ token: t }, basic(oauth2.client_id, oauth2.client_secret));
  assert.equal(r.status, 200, r.text);
  assert.ok(!(await live(t)), 'revoked by Basic');
  t = await cc(oauth2);
  assert.equal((await revoke({ client_id: oauth2.client_id, client_secret: oauth2.client_secret, token: t })).status, 200);
  assert.ok(!(await live(t)), 'revoked by parameters');

  // twitch: the client id alone, as on Twitch; Basic is refused with what to do.
  t = await cc(twitch);
  r = await revoke({ token: t }, basic(twitch.client_id, twitch.client_secret));
  oauthError(r, 401, 'invalid client: Twitch takes client_id and client_secret as parameters, not HTTP Basic; send them as parameters, or give the app the oauth2 profile',
    'invalid_client');
  assert.equal((await revoke({ client_id: twitch.client_id, token: t })).status, 200);
  assert.ok(!(await live(t)));

  // Device start: the same rule.
  oauthError(await device({ client_id: oauth2.client_id, scopes: 'chat:read' }), 400, 'missing client secret', 'invalid_client');
  r = await device({ scopes: 'chat:read' }, basic(oauth2.client_id, oauth2.client_secret));
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.device_code, /^[0-9a-z]{40}$/);
  assert.equal((await device({ client_id: twitch.client_id, scopes: 'chat:read' })).status, 200);
  // A public oauth2 app has no secret to send.
  assert.equal((await device({ client_id: native.client_id, scopes: 'chat:read' })).status, 200);
});

test('an expired device code: Twitch\'s "invalid device code" for a twitch app, RFC 8628\'s expired_token beside it for an oauth2 app', async () => {
  const s = await startServer({ db, args: ['--device-code-ttl', '1'] });
  try {
    const start = async (app, extra = {}) => (await read(postForm(`${s.url}/oauth2/device`,
      { client_id: app.client_id, scopes: 'chat:read', ...extra }))).json;
    const d1 = await start(oauth2, { client_secret: oauth2.client_secret });
    const d2 = await start(twitch);
    await new Promise((res) => setTimeout(res, 1100));
    const poll = (app, d, extra = {}) => read(postForm(`${s.url}/oauth2/token`, { client_id: app.client_id,
      device_code: d.device_code, grant_type: DEVICE, ...extra }));
    oauthError(await poll(oauth2, d1, { client_secret: oauth2.client_secret }), 400, 'invalid device code', 'expired_token');
    assert.deepEqual((await poll(twitch, d2)).json, { status: 400, message: 'invalid device code' });
    // Unknown stays invalid_grant.
    oauthError(await poll(oauth2, { device_code: 'u'.repeat(40) }, { client_secret: oauth2.client_secret }), 400,
      'invalid device code', 'invalid_grant');
  } finally { await s.stop(); }
});
