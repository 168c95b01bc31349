// OpenID Connect against a real relying-party library: openid-client (and
// jose for the flow it no longer implements) discovers our server, runs the
// code flow with a nonce through the sign-in and consent forms, validates the
// id_token (signature via the JWKS, iss, aud, exp, nonce, hashes) and calls
// userinfo; again after `twauth keys rotate`; the implicit and hybrid flows;
// and a tampered id_token, which the library must refuse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as client from 'openid-client';
import * as jose from 'jose';
import {
  BIN, startServer, createApp, createUser, cli, Browser, signIn, authorize, postForm, read,
  validate, twitchError, tempDir, freshDb, secretFileOf, activateDevice,
} from './lib/harness.mjs';

const REDIRECT = 'http://localhost:3000/callback';
let server, db, rp, twitchStyle, user;

before(async () => {
  db = freshDb();
  // Generic OIDC libraries want "scope" as a string (RFC 6749); Twitch's is an array.
  rp = createApp(db, 'Relying Party', [REDIRECT], ['--scope-string']);
  twitchStyle = createApp(db, 'Twitch Style', [REDIRECT]);
  user = createUser(db, 'oidc_user', 'correct horse battery', ['--display-name', 'OIDC_User',
    '--email', 'oidc@example.test', '--email-verified',
    '--profile-image-url', 'https://cdn.example.test/p.png']);
  createUser(db, 'unverified', 'correct horse battery', ['--email', 'u@example.test']);
  server = await startServer({ db });
});
after(async () => { await server.stop(); });

const issuer = () => `${server.url}/oauth2`;

async function discover(app = rp) {
  return client.discovery(new URL(issuer()), app.client_id, app.client_secret, undefined,
    { execute: [client.allowInsecureRequests] });
}

// Signs in through the forms and consents; returns the URL the browser lands on.
async function browse(url, login = 'oidc_user') {
  const b = new Browser(server.url);
  const rel = url.href.slice(url.origin.length);
  await signIn(b, rel, login);
  return authorize(b, rel);
}

test('discovery: every field of the contract, at both addresses, from the public URL', async () => {
  for (const where of ['/oauth2/.well-known/openid-configuration', '/.well-known/openid-configuration']) {
    const r = await read(fetch(`${server.url}${where}`));
    assert.equal(r.status, 200);
    const d = r.json;
    assert.equal(d.issuer, issuer());
    assert.equal(d.authorization_endpoint, `${server.url}/oauth2/authorize`);
    assert.equal(d.token_endpoint, `${server.url}/oauth2/token`);
    assert.equal(d.userinfo_endpoint, `${server.url}/oauth2/userinfo`);
    assert.equal(d.jwks_uri, `${server.url}/oauth2/keys`);
    assert.deepEqual(d.response_types_supported,
      ['id_token', 'code', 'token', 'code id_token', 'token id_token']);
    assert.deepEqual(d.subject_types_supported, ['public']);
    assert.deepEqual(d.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(d.scopes_supported, ['openid']);
    assert.deepEqual(d.token_endpoint_auth_methods_supported, ['client_secret_post', 'client_secret_basic']);
    assert.deepEqual(d.code_challenge_methods_supported, ['S256', 'plain']);
    assert.deepEqual(d.grant_types_supported, ['authorization_code', 'client_credentials', 'refresh_token',
      'urn:ietf:params:oauth:grant-type:device_code', 'implicit']);
    assert.equal(d.device_authorization_endpoint, `${server.url}/oauth2/device`);
    assert.equal(d.revocation_endpoint, `${server.url}/oauth2/revoke`);
    assert.deepEqual(d.revocation_endpoint_auth_methods_supported, ['client_secret_post', 'client_secret_basic']);
    assert.equal(d.introspection_endpoint, `${server.url}/oauth2/introspect`);
    assert.deepEqual(d.introspection_endpoint_auth_methods_supported, ['client_secret_post', 'client_secret_basic']);
    assert.equal(d.claims_parameter_supported, true);
    assert.deepEqual(d.claims_supported, ['aud', 'exp', 'iat', 'iss', 'sub', 'azp', 'email',
      'email_verified', 'picture', 'preferred_username', 'updated_at']);
  }
  const s = await startServer({ db, args: ['--public-url', 'https://id.example.test'] });
  try {
    const d = (await read(fetch(`${s.url}/oauth2/.well-known/openid-configuration`))).json;
    assert.equal(d.issuer, 'https://id.example.test/oauth2');
    assert.equal(d.jwks_uri, 'https://id.example.test/oauth2/keys');
  } finally { await s.stop(); }
});

test('JWKS: RSA public keys only, never a private member', async () => {
  const r = await read(fetch(`${server.url}/oauth2/keys`));
  assert.equal(r.status, 200);
  assert.ok(r.json.keys.length >= 1);
  for (const k of r.json.keys) {
    assert.deepEqual(Object.keys(k).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
    assert.equal(k.kty, 'RSA');
    assert.equal(k.alg, 'RS256');
    assert.equal(k.use, 'sig');
    assert.equal(Buffer.from(k.n, 'base64url').length, 256, '2048-bit modulus');
  }
});

// The code flow with nonce and claims, as openid-client runs it.
async function codeFlow(config) {
  const nonce = client.randomNonce();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT, scope: 'openid user:read:email', nonce, state,
    claims: JSON.stringify({ id_token: { email: null, preferred_username: null },
      userinfo: { picture: null, email: null } }),
  });
  const back = await browse(url);
  const tokens = await client.authorizationCodeGrant(config, back,
    { expectedNonce: nonce, expectedState: state });
  return { tokens, nonce };
}

test('code flow with PKCE (S256) as openid-client runs it: its verifier redeems the code, another does not', async () => {
  const config = await discover();
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT, scope: 'openid', state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const back = await browse(url);
  await assert.rejects(client.authorizationCodeGrant(config, back,
    { expectedState: state, pkceCodeVerifier: client.randomPKCECodeVerifier() }));
  const tokens = await client.authorizationCodeGrant(config, back,
    { expectedState: state, pkceCodeVerifier: verifier });
  assert.equal(tokens.claims().sub, user.user_id);
});

test('openid-client with client_secret_basic: client credentials and the code flow authenticate by HTTP Basic', async () => {
  const config = await client.discovery(new URL(issuer()), rp.client_id, undefined,
    client.ClientSecretBasic(rp.client_secret), { execute: [client.allowInsecureRequests] });
  const app = await client.clientCredentialsGrant(config);
  assert.match(app.access_token, /^[0-9a-z]{30}$/);
  const { tokens } = await codeFlow(config);
  assert.equal(tokens.claims().sub, user.user_id);
  // RFC 7662 as openid-client asks it.
  const info = await client.tokenIntrospection(config, tokens.access_token);
  assert.equal(info.active, true);
  assert.equal(info.sub, user.user_id);
  assert.equal(info.client_id, rp.client_id);
  assert.equal((await client.tokenIntrospection(config, 'q'.repeat(30))).active, false);
  // A wrong secret is refused as RFC 6749 says: 401, invalid_client.
  const wrong = await client.discovery(new URL(issuer()), rp.client_id, undefined,
    client.ClientSecretBasic('x'.repeat(30)), { execute: [client.allowInsecureRequests] });
  // oauth4webapi reports the 401's Basic challenge before the body.
  await assert.rejects(client.clientCredentialsGrant(wrong), (e) => e.status === 401 &&
    e.cause?.[0]?.scheme === 'basic');
});

test('device flow, refresh and revocation as openid-client runs them: polling waits through authorization_pending', async () => {
  const config = await discover();
  const d = await client.initiateDeviceAuthorization(config, { scope: 'chat:read offline_access' });
  assert.equal(d.interval, 5);
  // The user approves while the library waits out its interval.
  const approved = activateDevice(server.url, d.verification_uri, 'oidc_user');
  const tokens = await client.pollDeviceAuthorizationGrant(config, d);
  await approved;
  assert.equal(tokens.scope, 'chat:read');
  assert.match(tokens.refresh_token, /^[0-9a-z]{50}$/);
  const next = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert.notEqual(next.access_token, tokens.access_token);
  assert.equal((await client.tokenIntrospection(config, next.access_token)).active, true);
  await client.tokenRevocation(config, next.access_token);
  assert.equal((await client.tokenIntrospection(config, next.access_token)).active, false);
});

test('code flow with openid-client: id_token validated, claims asked for, userinfo', async () => {
  const config = await discover();
  const { tokens, nonce } = await codeFlow(config);
  assert.equal(tokens.scope, 'openid user:read:email');
  const c = tokens.claims();
  assert.equal(c.iss, issuer());
  assert.equal(c.sub, user.user_id);
  assert.equal(c.aud, rp.client_id);
  assert.equal(c.azp, rp.client_id);
  assert.equal(c.nonce, nonce);
  assert.equal(c.exp - c.iat, 900, 'default lifetime 15 minutes');
  assert.equal(c.email, 'oidc@example.test');
  assert.equal(c.email_verified, true);
  assert.equal(c.preferred_username, 'OIDC_User');
  assert.equal(c.picture, undefined, 'not asked for in id_token');
  const info = await client.fetchUserInfo(config, tokens.access_token, c.sub);
  assert.deepEqual(info, { sub: user.user_id, email: 'oidc@example.test', email_verified: true,
    picture: 'https://cdn.example.test/p.png' });

  // The id_token is not an access token, and refreshing gives no new one.
  twitchError(await validate(server, tokens.id_token), 401, 'invalid access token');
  const r = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert.equal(r.id_token, undefined);
  assert.ok(r.access_token);
});

test('the same after twauth keys rotate, and old tokens still verify until they expire', async () => {
  const before = await codeFlow(await discover());
  const oldKid = jose.decodeProtectedHeader(before.tokens.id_token).kid;
  const rot = cli(['keys', 'rotate', '--json'], { db });
  assert.equal(rot.status, 0, rot.stderr);
  assert.notEqual(rot.json.kid, oldKid);

  const { tokens } = await codeFlow(await discover());
  assert.equal(jose.decodeProtectedHeader(tokens.id_token).kid, rot.json.kid,
    'the running server signs with the new key at once');
  const jwks = jose.createRemoteJWKSet(new URL(`${server.url}/oauth2/keys`));
  for (const t of [before.tokens.id_token, tokens.id_token]) {
    const { payload } = await jose.jwtVerify(t, jwks, { issuer: issuer(), audience: rp.client_id });
    assert.equal(payload.sub, user.user_id);
  }
  const list = cli(['keys', 'list', '--json'], { db }).json;
  assert.deepEqual(list.map((k) => [k.kid, k.state]).slice(0, 2),
    [[rot.json.kid, 'signing'], [oldKid, 'published']]);

  // Once every token the old key signed has expired, it leaves the JWKS.
  const later = await startServer({ db, env: { TWAUTH_CLOCK_SKEW: String(900 + 300 + 5) } });
  try {
    const kids = (await read(fetch(`${later.url}/oauth2/keys`))).json.keys.map((k) => k.kid);
    assert.ok(kids.includes(rot.json.kid));
    assert.ok(!kids.includes(oldKid), 'the retired key is gone');
  } finally { await later.stop(); }
});

// at_hash / c_hash of value: the left half of its SHA-256, base64url.
const halfHash = (value) => createHash('sha256').update(value).digest().subarray(0, 16)
  .toString('base64url');

// A flow whose answer comes in the fragment, set up by openid-client's
// useIdTokenResponseType or useCodeIdTokenResponseType.
async function fragmentFlow(useResponseType) {
  const config = await discover();
  useResponseType(config);
  const nonce = client.randomNonce();
  const state = client.randomState();
  const back = await browse(client.buildAuthorizationUrl(config,
    { redirect_uri: REDIRECT, scope: 'openid', nonce, state }));
  return { config, nonce, state, back, f: new URLSearchParams(back.hash.slice(1)) };
}

test('implicit response_type=id_token: openid-client validates it; a tampered one is refused', async () => {
  const { config, nonce, state, back, f } = await fragmentFlow(client.useIdTokenResponseType);
  assert.equal(f.get('access_token'), null, 'no access token was asked for');
  const c = await client.implicitAuthentication(config, back, nonce, { expectedState: state });
  assert.equal(c.sub, user.user_id);
  assert.equal(c.nonce, nonce);

  const [h, p, s] = f.get('id_token').split('.');
  const forged = Buffer.from(p, 'base64url').toString().replace(user.user_id, '100000999');
  for (const bad of [`${h}.${Buffer.from(forged).toString('base64url')}.${s}`,
    `${h}.${p}.${s.slice(0, -4)}AAAA`, `${h}.${p}.`]) {
    const t = new URL(back);
    f.set('id_token', bad);
    t.hash = f.toString();
    await assert.rejects(client.implicitAuthentication(config, t, nonce, { expectedState: state }));
  }
  // A wrong nonce is refused too.
  await assert.rejects(client.implicitAuthentication(config, back, 'another-nonce',
    { expectedState: state }));
});

test('implicit response_type=token id_token: at_hash binds the token; userinfo works', async () => {
  const nonce = 'n-0S6_WzA2Mj';
  const q = new URLSearchParams({ response_type: 'token id_token', client_id: rp.client_id,
    redirect_uri: REDIRECT, scope: 'openid', nonce, state: 'xyz' });
  const back = await browse(new URL(`${server.url}/oauth2/authorize?${q}`));
  const f = new URLSearchParams(back.hash.slice(1));
  assert.equal(f.get('token_type'), 'bearer');
  assert.equal(f.get('state'), 'xyz');
  const jwks = jose.createRemoteJWKSet(new URL(`${server.url}/oauth2/keys`));
  const { payload } = await jose.jwtVerify(f.get('id_token'), jwks,
    { issuer: issuer(), audience: rp.client_id, algorithms: ['RS256'] });
  assert.equal(payload.nonce, nonce);
  assert.equal(payload.at_hash, halfHash(f.get('access_token')));
  const info = await read(fetch(`${server.url}/oauth2/userinfo`,
    { headers: { Authorization: `Bearer ${f.get('access_token')}` } }));
  assert.equal(info.status, 200);
  assert.deepEqual(info.json, { sub: user.user_id });
});

test('hybrid response_type=code id_token with openid-client (c_hash checked)', async () => {
  const { config, nonce, state, back, f } = await fragmentFlow(client.useCodeIdTokenResponseType);
  assert.equal(jose.decodeJwt(f.get('id_token')).c_hash, halfHash(f.get('code')));
  const tokens = await client.authorizationCodeGrant(config, back,
    { expectedNonce: nonce, expectedState: state });
  assert.equal(tokens.claims().sub, user.user_id);
});

// The code flow for the Twitch-style app, as plain HTTP; the token response.
async function twitchCodeFlow(scope) {
  const q = new URLSearchParams({ response_type: 'code', client_id: twitchStyle.client_id,
    redirect_uri: REDIRECT, scope, state: 's' });
  const back = await browse(new URL(`${server.url}/oauth2/authorize?${q}`));
  return read(postForm(`${server.url}/oauth2/token`, {
    client_id: twitchStyle.client_id, client_secret: twitchStyle.client_secret,
    code: back.searchParams.get('code'), grant_type: 'authorization_code', redirect_uri: REDIRECT,
  }));
}

test('Twitch-style apps get the id_token beside the usual array scope', async () => {
  const r = await twitchCodeFlow('openid chat:read');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.scope, ['chat:read', 'openid']);
  const { payload } = await jose.jwtVerify(r.json.id_token,
    jose.createRemoteJWKSet(new URL(`${server.url}/oauth2/keys`)),
    { issuer: issuer(), audience: twitchStyle.client_id });
  assert.equal(payload.nonce, undefined, 'no nonce was sent');
  // Without openid there is no id_token.
  const r2 = await twitchCodeFlow('chat:read');
  assert.equal(r2.json.id_token, undefined);
  // userinfo wants openid.
  const ui = await read(fetch(`${server.url}/oauth2/userinfo`,
    { headers: { Authorization: `Bearer ${r2.json.access_token}` } }));
  twitchError(ui, 401, 'the access token was not granted the openid scope');
  assert.match(ui.headers.get('www-authenticate'), /Bearer error="invalid_token"/);
  twitchError(await read(fetch(`${server.url}/oauth2/userinfo`)), 401, 'missing authorization token');
});

test('email only when verified; authorize refuses id_token without nonce or openid, and bad claims', async () => {
  const nonce = 'abc';
  const q = new URLSearchParams({ response_type: 'id_token', client_id: rp.client_id,
    redirect_uri: REDIRECT, scope: 'openid user:read:email', nonce, state: 's',
    claims: JSON.stringify({ id_token: { email: null, email_verified: null } }) });
  const back = await browse(new URL(`${server.url}/oauth2/authorize?${q}`), 'unverified');
  const t = new URLSearchParams(back.hash.slice(1)).get('id_token');
  const payload = jose.decodeJwt(t);
  assert.equal(payload.email, undefined);
  assert.equal(payload.email_verified, false);

  const b = new Browser(server.url);
  const go = async (extra) => {
    const p = new URLSearchParams({ response_type: 'id_token', client_id: rp.client_id,
      redirect_uri: REDIRECT, scope: 'openid', nonce: 'n', state: 's', ...extra });
    const r = await b.get(`/oauth2/authorize?${p}`);
    assert.equal(r.status, 302);
    return new URL(r.location).searchParams;
  };
  let e = await go({ nonce: '' });
  assert.equal(e.get('error'), 'invalid_request');
  assert.match(e.get('error_description'), /nonce is required/);
  e = await go({ scope: 'chat:read' });
  assert.equal(e.get('error'), 'invalid_request');
  assert.match(e.get('error_description'), /openid scope/);
  e = await go({ claims: '{"id_token":' });
  assert.match(e.get('error_description'), /claims must be a JSON object/);
  e = await go({ response_type: 'code token' });
  assert.equal(e.get('error'), 'unsupported_response_type');
});

test('the secret file: 0600, and a database without it cannot sign', async () => {
  const { statSync } = await import('node:fs');
  assert.equal(statSync(secretFileOf(db)).mode & 0o777, 0o600);
  // A server given the database but not its secret file (a copy of the
  // database, another machine) refuses to start, says where the file was
  // expected, and makes none: a new one could not open the key.
  const other = path.join(tempDir(), 'other.secret');
  const serve = (env) => spawnSync(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', db],
    { encoding: 'utf8', timeout: 10000, env: { ...process.env, ...env } });
  let r = serve({ TWAUTH_SECRET_FILE: other });
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /sealed with the secret file .*other\.secret, which is not there/);
  assert.ok(!existsSync(other), 'no stray secret file');
  // Another secret file (the wrong one) cannot open it either.
  writeFileSync(other, Buffer.alloc(32, 7), { mode: 0o600 });
  r = serve({ TWAUTH_SECRET_FILE: other });
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /secret file does not open the signing key/);
});

test('email only with user:read:email; the consent page names every claim; new claims ask again', async () => {
  createUser(db, 'private_p', 'correct horse battery', ['--email', 'p@example.test',
    '--email-verified', '--display-name', 'Private_P']);
  const ask = (scope, claims) => `/oauth2/authorize?${new URLSearchParams({
    response_type: 'code', client_id: rp.client_id, redirect_uri: REDIRECT, scope, state: 's',
    claims: JSON.stringify(claims) })}`;
  const b = new Browser(server.url);
  const both = { id_token: { email: null, email_verified: null, preferred_username: null },
    userinfo: { email: null } };
  let url = ask('openid', both);
  await signIn(b, url, 'private_p');
  let page = await b.get(url);
  // Without user:read:email the address is not asked for, nor shown as shared.
  const told = (html) => (html.match(/<ul class="claims">([^]*?)<\/ul>/) || [])[1] || '';
  assert.match(told(page.text), /your display name/);
  assert.doesNotMatch(told(page.text), /email/i);
  const loc = await authorize(b, url);
  const code = loc.searchParams.get('code');
  const t = await read(postForm(`${server.url}/oauth2/token`, { client_id: rp.client_id,
    client_secret: rp.client_secret, code, grant_type: 'authorization_code', redirect_uri: REDIRECT }));
  assert.equal(t.status, 200, t.text);
  const claims = jose.decodeJwt(t.json.id_token);
  assert.equal(claims.email, undefined);
  assert.equal(claims.email_verified, undefined);
  assert.equal(claims.preferred_username, 'Private_P');
  const info = await read(fetch(`${server.url}/oauth2/userinfo`,
    { headers: { Authorization: `Bearer ${t.json.access_token}` } }));
  assert.equal(info.status, 200);
  assert.equal(info.json.email, undefined);
  // The same scopes with other claims: the consent page again, naming them.
  url = ask('openid', { id_token: { picture: null } });
  page = await b.get(url);
  assert.equal(page.status, 200, 'asks again');
  assert.match(told(page.text), /your profile picture/);
  // With user:read:email the address is named on the page, and shared.
  url = ask('openid user:read:email', both);
  page = await b.get(url);
  assert.match(told(page.text), /your email address/);
});
