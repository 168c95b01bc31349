// oauth4webapi (npm, unchanged: a strict, certified OAuth 2.0 / OIDC client)
// against an oauth2-profile app, with HTTP Basic client authentication:
// discovery, client credentials, the code flow with PKCE and nonce,
// userinfo, refresh, introspection, revocation, and device polling through
// authorization_pending and slow_down to the tokens.  Once against a
// twitch-profile app: what its user meets there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import {
  startServer, createApp, createUser, freshDb, Browser, signIn, authorize, activateDevice,
} from './lib/harness.mjs';

const REDIRECT = 'http://localhost:8767/callback';
const insecure = { [oauth.allowInsecureRequests]: true };	// a plain-http test server
let server, db, app, twitch, as;

before(async () => {
  db = freshDb();
  app = createApp(db, 'oauth4webapi RP', [REDIRECT], ['--profile', 'oauth2']);
  twitch = createApp(db, 'oauth4webapi on Twitch', [REDIRECT]);
  createUser(db, 'strictuser');
  server = await startServer({ db });
  const issuer = new URL(`${server.url}/oauth2`);
  as = await oauth.processDiscoveryResponse(issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
});
after(async () => { await server.stop(); });

const client = (a) => ({ client_id: a.client_id });
const basic = (a) => oauth.ClientSecretBasic(a.client_secret);

test('client credentials', async () => {
  const r = await oauth.processClientCredentialsResponse(as, client(app),
    await oauth.clientCredentialsGrantRequest(as, client(app), basic(app), new URLSearchParams(), insecure));
  assert.match(r.access_token, /^[0-9a-z]{30}$/);
  assert.equal(r.token_type, 'bearer');
});

test('the code flow with PKCE and nonce, userinfo, refresh, introspection, revocation', async () => {
  const verifier = oauth.generateRandomCodeVerifier();
  const nonce = oauth.generateRandomNonce();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({ client_id: app.client_id, redirect_uri: REDIRECT,
    response_type: 'code', scope: 'openid chat:read', nonce, state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  const b = new Browser(server.url);
  const rel = url.href.slice(url.origin.length);
  await signIn(b, rel, 'strictuser');
  const back = await authorize(b, rel);
  const params = oauth.validateAuthResponse(as, client(app), back, state);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client(app),
    await oauth.authorizationCodeGrantRequest(as, client(app), basic(app), params, REDIRECT, verifier, insecure),
    { expectedNonce: nonce, requireIdToken: true });
  assert.equal(tokens.scope, 'chat:read openid');
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  assert.equal(claims.aud, app.client_id);
  assert.equal(claims.nonce, nonce);
  const info = await oauth.processUserInfoResponse(as, client(app), claims.sub,
    await oauth.userInfoRequest(as, client(app), tokens.access_token, insecure));
  assert.equal(info.sub, claims.sub);
  const next = await oauth.processRefreshTokenResponse(as, client(app),
    await oauth.refreshTokenGrantRequest(as, client(app), basic(app), tokens.refresh_token, insecure));
  assert.notEqual(next.access_token, tokens.access_token);
  const introspect = async (t) => oauth.processIntrospectionResponse(as, client(app),
    await oauth.introspectionRequest(as, client(app), basic(app), t, insecure));
  assert.equal((await introspect(next.access_token)).active, true);
  await oauth.processRevocationResponse(
    await oauth.revocationRequest(as, client(app), basic(app), next.access_token, insecure));
  assert.equal((await introspect(next.access_token)).active, false);
});

test('device polling: authorization_pending and slow_down as the library reports them, then the tokens', async () => {
  const start = async () => oauth.processDeviceAuthorizationResponse(as, client(app),
    await oauth.deviceAuthorizationRequest(as, client(app), basic(app), new URLSearchParams({ scope: 'chat:read' }), insecure));
  const poll = async (d) => oauth.processDeviceCodeResponse(as, client(app),
    await oauth.deviceCodeGrantRequest(as, client(app), basic(app), d.device_code, insecure));
  const refused = async (d, error) => assert.rejects(poll(d),
    (e) => e instanceof oauth.ResponseBodyError && e.error === error);
  const d = await start();
  await refused(d, 'authorization_pending');
  await activateDevice(server.url, d.verification_uri, 'strictuser');
  await new Promise((r) => setTimeout(r, d.interval * 1000));
  const tokens = await poll(d);
  assert.equal(tokens.scope, 'chat:read');
  const other = await start();
  await refused(other, 'authorization_pending');
  await refused(other, 'slow_down');
});

test('against a twitch-profile app: the 401\'s challenge says what to do', async () => {
  // oauth4webapi stops at a 401's WWW-Authenticate challenge; its parameters carry the reason.
  await assert.rejects(oauth.processClientCredentialsResponse(as, client(twitch),
    await oauth.clientCredentialsGrantRequest(as, client(twitch), basic(twitch), new URLSearchParams(), insecure)),
  (e) => e instanceof oauth.WWWAuthenticateChallengeError && e.cause[0].scheme === 'basic' &&
    e.cause[0].parameters.error === 'invalid_client' &&
    /send them as parameters, or give the app the oauth2 profile/.test(e.cause[0].parameters.error_description));
});
