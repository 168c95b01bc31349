// GET/POST /oauth2/authorize over HTTP, with a cookie-keeping client: every
// error of the request, sign-in, consent and its memory, force_verify,
// cancel, the implicit flow, and the page security headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  startServer, createApp, createUser, Browser, csrfOf, authorizeUrl, signIn, authorize,
  postForm, read, validate, tempDir, freshDb,
} from './lib/harness.mjs';

let server, app, other, pub, db;

before(async () => {
  db = freshDb();
  app = createApp(db, 'Poll Bot <b>&', ['http://localhost:3000', 'http://localhost:3000/other']);
  other = createApp(db, 'Other App');
  pub = createApp(db, 'Public App', ['http://localhost:3000'], ['--public']);
  createUser(db, 'Alice');
  createUser(db, 'bob_the_builder');
  createUser(db, 'carol');
  server = await startServer({ db });
});
after(async () => { await server.stop(); });

const b = () => new Browser(server.url);

test('unknown or missing client: an error page, never a redirect', async () => {
  for (const q of ['client_id=nosuchclient000000000000000000&redirect_uri=http://localhost:3000',
    'redirect_uri=http://localhost:3000&response_type=code']) {
    const r = await b().get(`/oauth2/authorize?${q}&response_type=code`);
    assert.equal(r.status, 400);
    assert.equal(r.location, null);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.match(r.text, /invalid client|missing client id/);
  }
});

test('unknown or missing client: the sign-in page\'s frame, saying what to check', async () => {
  const signin = await b().get(authorizeUrl(app));
  const title = (t) => t.match(/<title>[^<]*<\/title>[\s\S]*?<h1>[^<]*<\/h1>/)[0];
  const unknown = await b().get('/oauth2/authorize?client_id=nosuch%3Cb%3Eclient&redirect_uri=http://localhost:3000&response_type=code');
  assert.equal(unknown.status, 400);
  assert.equal(title(unknown.text), title(signin.text), 'the same title and heading');
  assert.match(unknown.text, /<main class="card">/);
  assert.match(unknown.text, /<p class="lead">to continue to an app this server does not know<\/p>/);
  assert.match(unknown.text, /role="alert">invalid client: no app with the client ID <code>nosuch&lt;b&gt;client<\/code> is registered with this server\./);
  assert.ok(unknown.text.includes(`whose issuer is <code>${server.url}/oauth2</code>`), unknown.text);
  assert.match(unknown.text, /check the client ID it sends/);
  assert.doesNotMatch(unknown.text, /name="password"/, 'nothing to sign in to');
  assert.equal(unknown.headers.get('x-frame-options'), 'DENY');
  const missing = await b().get('/oauth2/authorize?redirect_uri=http://localhost:3000&response_type=code');
  assert.equal(missing.status, 400);
  assert.equal(title(missing.text), title(signin.text));
  assert.match(missing.text, /role="alert">missing client id: the sign-in link has no <code>client_id<\/code>/);
  // A POST (the sign-in form of a link that names no app) is answered the same.
  const posted = await b().post('/oauth2/authorize?client_id=nosuchclient&redirect_uri=http://localhost:3000&response_type=code',
    { step: 'login', login: 'carol', password: 'x' });
  assert.equal(posted.status, 400);
  assert.match(posted.text, /invalid client: no app with the client ID <code>nosuchclient<\/code>/);
});

test('redirect_uri not registered: sent to the first registered URI with redirect_mismatch', async () => {
  for (const redirectUri of ['http://evil.example/', 'http://localhost:3000//', 'http://localhost:300', 'http://localhost:3000/other/', '']) {
    const r = await b().get(authorizeUrl(app, { redirectUri, state: 's 1' }));
    assert.equal(r.status, 302);
    const loc = new URL(r.location);
    assert.equal(`${loc.origin}${loc.pathname}`, 'http://localhost:3000/');
    assert.ok(r.location.startsWith('http://localhost:3000/?'), r.location);
    assert.equal(loc.searchParams.get('error'), 'redirect_mismatch');
    assert.equal(loc.searchParams.get('state'), 's 1');
  }
  // The second registered URI is accepted as is.
  const r = await b().get(authorizeUrl(app, { redirectUri: 'http://localhost:3000/other' }));
  assert.equal(r.status, 200);
});

// Twitch's docs: registered http://localhost:3000, the browser comes back
// to http://localhost:3000/?code=..., and the exchange may send either.
test('an empty path and / are one redirect URI: the redirect has the /, both spellings work, nothing else is loosened', async () => {
  const slash = createApp(db, 'Slash App', ['http://localhost:4000/']);
  for (const [a, asked] of [[app, 'http://localhost:3000'], [app, 'http://localhost:3000/'],
    [slash, 'http://localhost:4000'], [slash, 'http://localhost:4000/']]) {
    const root = a === app ? 'http://localhost:3000/' : 'http://localhost:4000/';
    const br = b();
    const url = authorizeUrl(a, { redirectUri: asked, scope: 'chat:read' });
    await signIn(br, url, 'bob_the_builder');
    const loc = await authorize(br, url);
    assert.ok(loc.href.startsWith(`${root}?code=`), loc.href);
    // The exchange with the other spelling than the one asked with works too.
    const other = asked.endsWith('/') ? asked.slice(0, -1) : `${asked}/`;
    const r = await read(postForm(`${server.url}/oauth2/token`, {
      client_id: a.client_id, client_secret: a.client_secret, code: loc.searchParams.get('code'),
      grant_type: 'authorization_code', redirect_uri: other,
    }));
    assert.equal(r.status, 200, `${asked} then ${other}: ${r.text}`);
  }
  // The implicit flow's fragment follows the / too.
  const br = b();
  const url = authorizeUrl(app, { responseType: 'token', redirectUri: 'http://localhost:3000' });
  await signIn(br, url, 'bob_the_builder');
  const loc = await authorize(br, url);
  assert.ok(loc.href.startsWith('http://localhost:3000/#access_token='), loc.href);
  // A path's trailing / is another URI, at the exchange as at authorize.
  const br2 = b();
  const url2 = authorizeUrl(app, { redirectUri: 'http://localhost:3000/other' });
  await signIn(br2, url2, 'bob_the_builder');
  const loc2 = await authorize(br2, url2);
  assert.ok(loc2.href.startsWith('http://localhost:3000/other?code='), loc2.href);
  const r = await read(postForm(`${server.url}/oauth2/token`, {
    client_id: app.client_id, client_secret: app.client_secret, code: loc2.searchParams.get('code'),
    grant_type: 'authorization_code', redirect_uri: 'http://localhost:3000/other/',
  }));
  assert.equal(r.status, 400);
  assert.equal(r.json.message, 'Parameter redirect_uri does not match registered URI');
});

test('unknown scopes are named in an invalid_scope redirect', async () => {
  const r = await b().get(authorizeUrl(app, { scope: 'chat:read bogus x:y' }));
  assert.equal(r.status, 302);
  const loc = new URL(r.location);
  assert.equal(loc.searchParams.get('error'), 'invalid_scope');
  assert.equal(loc.searchParams.get('error_description'), "invalid scope requested: 'bogus', 'x:y'");
  assert.equal(loc.searchParams.get('state'), 'st4te');
});

test('bad response_type and public clients are refused at the redirect URI', async () => {
  let loc = new URL((await b().get(authorizeUrl(app, { responseType: 'password' }))).location);
  assert.equal(loc.searchParams.get('error'), 'unsupported_response_type');
  loc = new URL((await b().get(authorizeUrl(pub))).location);
  assert.equal(loc.searchParams.get('error'), 'unauthorized_client');
});

test('not signed in: the login page, with the page security headers and cookies', async () => {
  const r = await b().get(authorizeUrl(app));
  assert.equal(r.status, 200);
  assert.match(r.text, /to continue to <b>Poll Bot &lt;b&gt;&amp;<\/b>/);
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith('twauth_csrf='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.doesNotMatch(cookie, /Secure/);	// plain http here
  assert.doesNotMatch(r.text, /<script|https?:\/\/(?!localhost)/, 'no scripts or external assets');
  const css = await fetch(`${server.url}/assets/twauth.css`);
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type'), /^text\/css/);
});

test('wrong password or unknown login: the same message, no session', async () => {
  const url = authorizeUrl(app);
  for (const [login, password] of [['carol', 'wrong password!'], ['nobody_here', 'whatever123']]) {
    const br = b();
    const page = await br.get(url);
    const r = await br.post(url, { step: 'login', csrf: csrfOf(page.text), login, password });
    assert.equal(r.status, 401);
    assert.match(r.text, /Incorrect username or password\./);
    assert.ok(!br.cookies.has('twauth_session'));
  }
});

test('a login form without the CSRF cookie and field is refused', async () => {
  const url = authorizeUrl(app);
  const br = b();
  await br.get(url);
  const r = await br.post(url, { step: 'login', csrf: 'x'.repeat(30), login: 'carol', password: 'correct horse battery' });
  assert.equal(r.status, 403);
  assert.ok(!br.cookies.has('twauth_session'));
  const stranger = new Browser(server.url);
  const r2 = await stranger.post(url, { step: 'login', login: 'carol', password: 'correct horse battery' });
  assert.equal(r2.status, 403);
});

test('code flow: sign in, consent names the app and scopes, code comes back with scope and state', async () => {
  const br = b();
  const url = authorizeUrl(app, { scope: 'channel:read:polls channel:manage:polls', state: 'c3ab8aa6' });
  const s = await signIn(br, url, 'ALICE');	// logins are case-insensitive
  assert.equal(s.location, url);
  const consent = await br.get(url);
  assert.equal(consent.status, 200);
  assert.match(consent.text, /Authorize Poll Bot &lt;b&gt;&amp;/);
  assert.match(consent.text, /Manage polls on your channel/);
  assert.match(consent.text, /View polls on your channel/);
  assert.match(consent.text, /Signed in as <b>Alice<\/b>/);
  const r = await br.post(url, { csrf: csrfOf(consent.text), decision: 'authorize' });
  assert.equal(r.status, 303);
  assert.match(r.location, /^http:\/\/localhost:3000\/\?code=[0-9a-z]{30}&scope=channel%3Amanage%3Apolls\+channel%3Aread%3Apolls&state=c3ab8aa6$/);
  const code = new URL(r.location).searchParams.get('code');
  const t = await read(postForm(`${server.url}/oauth2/token`, {
    client_id: app.client_id, client_secret: app.client_secret, code,
    grant_type: 'authorization_code', redirect_uri: 'http://localhost:3000',
  }));
  assert.equal(t.status, 200, t.text);
  assert.deepEqual(Object.keys(t.json), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
  assert.match(t.json.access_token, /^[0-9a-z]{30}$/);
  assert.match(t.json.refresh_token, /^[0-9a-z]{50}$/);
  assert.deepEqual(t.json.scope, ['channel:manage:polls', 'channel:read:polls']);
  assert.equal(t.json.expires_in, 4 * 3600);
  assert.equal(t.json.token_type, 'bearer');
  const v = await validate(server, t.json.access_token);
  assert.equal(v.status, 200);
  assert.deepEqual(Object.keys(v.json), ['client_id', 'login', 'scopes', 'user_id', 'expires_in']);
  assert.equal(v.json.login, 'alice');
  assert.match(v.json.user_id, /^\d+$/);
  assert.equal(v.json.client_id, app.client_id);
});

test('consent is remembered per scope set; force_verify asks again', async () => {
  const br = b();
  const url = authorizeUrl(app, { scope: 'chat:read chat:edit' });
  await signIn(br, url, 'bob_the_builder');
  await authorize(br, url);			// consents
  // Same set, other order and spacing: straight back with a code.
  const again = await br.get(authorizeUrl(app, { scope: 'chat:edit  chat:read' }));
  assert.equal(again.status, 302);
  assert.ok(new URL(again.location).searchParams.get('code'));
  // Another set: asked again.
  const wider = await br.get(authorizeUrl(app, { scope: 'chat:edit chat:read user:read:email' }));
  assert.equal(wider.status, 200);
  assert.match(wider.text, /name="decision"/);
  // force_verify=true: asked again even for the remembered set.
  const forced = await br.get(authorizeUrl(app, { scope: 'chat:read chat:edit', extra: { force_verify: 'true' } }));
  assert.equal(forced.status, 200);
  assert.match(forced.text, /name="decision"/);
});

test('cancel sends access_denied with the state', async () => {
  const br = b();
  const url = authorizeUrl(app, { scope: 'bits:read', state: 'c3ab8aa609ea11e793ae92361f002671' });
  await signIn(br, url, 'carol');
  const consent = await br.get(url);
  const r = await br.post(url, { csrf: csrfOf(consent.text), decision: 'cancel' });
  assert.equal(r.status, 303);
  assert.equal(r.location, 'http://localhost:3000/?error=access_denied&error_description=The+user+denied+you+access&state=c3ab8aa609ea11e793ae92361f002671');
});

test('a consent post with another browser\'s CSRF token is refused', async () => {
  const br = b();
  const url = authorizeUrl(app, { scope: 'clips:edit' });
  await signIn(br, url, 'carol');
  await br.get(url);
  const r = await br.post(url, { csrf: 'a'.repeat(30), decision: 'authorize' });
  assert.equal(r.status, 403);
  assert.equal(r.location, null);
});

test('implicit flow: the token arrives in the fragment and validates', async () => {
  const br = b();
  const url = authorizeUrl(other, { responseType: 'token', scope: 'channel:manage:polls channel:read:polls',
    state: 'c3ab8aa609ea11e793ae92361f002671' });
  await signIn(br, url, 'carol');
  const loc = await authorize(br, url);
  assert.equal(loc.search, '');
  const f = new URLSearchParams(loc.hash.slice(1));
  assert.deepEqual([...f.keys()], ['access_token', 'scope', 'state', 'token_type']);
  assert.equal(f.get('scope'), 'channel:manage:polls channel:read:polls');
  assert.equal(f.get('token_type'), 'bearer');
  assert.equal(f.get('state'), 'c3ab8aa609ea11e793ae92361f002671');
  const v = await validate(server, f.get('access_token'));
  assert.equal(v.status, 200);
  assert.equal(v.json.login, 'carol');
  assert.ok(v.json.expires_in <= 4 * 3600 && v.json.expires_in > 4 * 3600 - 60);
});

test('sign out ends the session; the consent page then asks to sign in', async () => {
  const br = b();
  const url = authorizeUrl(other, { scope: 'user:read:follows' });
  await signIn(br, url, 'carol');
  const consent = await br.get(url);
  const next = consent.text.match(/name="next" value="([^"]+)"/)[1].replaceAll('&amp;', '&');
  const r = await br.post('/logout', { csrf: csrfOf(consent.text), next });
  assert.equal(r.status, 303);
  assert.equal(r.location, url);
  const after = await br.get(url);
  assert.match(after.text, /name="password"/);
});

test('behind https (--public-url https://...): cookies are Secure with the __Host- prefix', async () => {
  const db2 = freshDb();
  const a = createApp(db2, 'TLS App');
  createUser(db2, 'tls_user');
  const s = await startServer({ db: db2, args: ['--public-url', 'https://id.example.test'] });
  try {
    const br = new Browser(s.url);
    const url = authorizeUrl(a);
    const page = await br.get(url);
    const csrf = page.headers.getSetCookie().find((c) => c.startsWith('__Host-twauth_csrf='));
    assert.ok(csrf, page.headers.getSetCookie().join('\n'));
    assert.match(csrf, /; Secure/);
    assert.match(csrf, /Path=\//);
    const r = await br.post(url, { step: 'login', csrf: csrfOf(page.text), login: 'tls_user', password: 'correct horse battery' });
    assert.equal(r.status, 303);
    const session = r.headers.getSetCookie().find((c) => c.startsWith('__Host-twauth_session='));
    assert.match(session, /; HttpOnly; SameSite=Lax; .*; Secure/);
    // The prefixed cookie is the one read back.
    assert.match((await br.get(url)).text, /name="decision"/);
  } finally { await s.stop(); }
});

test('many failed sign-ins from one address, across logins, are slowed down too', async () => {
  const db2 = freshDb();
  const a = createApp(db2, 'Throttle App');
  const s = await startServer({ db: db2 });
  try {
    const url = authorizeUrl(a);
    const statuses = [];
    for (let i = 0; i < 22; i++) {
      const br = new Browser(s.url);
      const p = await br.get(url);
      statuses.push((await br.post(url, { step: 'login', csrf: csrfOf(p.text), login: `guess_${i}`,
        password: 'wrong password' })).status);
    }
    assert.ok(statuses.slice(0, 20).every((x) => x === 401), statuses.join(','));
    assert.equal(statuses[21], 429, statuses.join(','));
  } finally { await s.stop(); }
});

test('signed in, every form carries a token bound to the session: a planted CSRF cookie is no use', async () => {
  const br = b();
  const url = authorizeUrl(other, { scope: 'moderator:read:chatters' });
  await signIn(br, url, 'carol');
  br.cookies.delete('twauth_csrf');	// signed in, no CSRF cookie needed
  const page = await br.get(url);
  assert.equal(page.headers.getSetCookie().filter((c) => c.startsWith('twauth_csrf=')).length, 0);
  const fields = [...page.text.matchAll(/name="csrf" value="([0-9a-z]+)"/g)].map((m) => m[1]);
  assert.equal(fields.length, 2, 'consent and sign-out forms');
  assert.equal(fields[0], fields[1]);
  // A cookie and field of the attacker's choosing (planted from a sibling
  // host, which a double-submit check would take) do not pass.
  br.cookies.set('twauth_csrf', 'x'.repeat(30));
  const forged = await br.post(url, { csrf: 'x'.repeat(30), decision: 'authorize' });
  assert.equal(forged.status, 403);
  // Another session's token does not pass either.
  const eve = b();
  await signIn(eve, url, 'carol');
  const evePage = await eve.get(url);
  const eveToken = evePage.text.match(/name="csrf" value="([0-9a-z]+)"/)[1];
  assert.notEqual(eveToken, fields[0]);
  assert.equal((await br.post(url, { csrf: eveToken, decision: 'authorize' })).status, 403);
  const r = await br.post(url, { csrf: fields[0], decision: 'authorize' });
  assert.equal(r.status, 303);
});

// Sign-in attempts as an attacker spread over addresses (behind a trusted
// proxy, X-Forwarded-For names them), each from a fresh browser.
async function attempt(s, url, login, password, from, br = new Browser(s.url)) {
  const headers = { 'X-Forwarded-For': from };
  const p = await br.request(url, { headers });
  return br.request(url, { method: 'POST', headers,
    form: { step: 'login', csrf: csrfOf(p.text), login, password } });
}

test('a login held at its limit by others does not lock out its owner\'s known browser', async () => {
  const db2 = freshDb();
  const a = createApp(db2, 'Owner App');
  createUser(db2, 'owner_o', 'correct horse battery');
  const s = await startServer({ db: db2, args: ['--trusted-proxy', '127.0.0.1'] });
  try {
    const url = authorizeUrl(a);
    const mine = new Browser(s.url);
    assert.equal((await attempt(s, url, 'owner_o', 'correct horse battery', '203.0.113.1', mine)).status, 303);
    assert.ok(mine.cookies.has('twauth_known'), 'the browser is known as the owner\'s');
    mine.cookies.delete('twauth_session');
    // Guesses from many addresses put the login at its limit.
    let refused = 0;
    for (let i = 0; i < 12; i++)
      refused += (await attempt(s, url, 'owner_o', `guess ${i}`, `198.51.100.${i}`)).status === 429;
    assert.ok(refused > 0, 'the login is at its limit');
    // A browser nobody knows, even with the right password, waits.
    assert.equal((await attempt(s, url, 'owner_o', 'correct horse battery', '192.0.2.9')).status, 429);
    // The owner's known browser signs in (its address has no failures).
    assert.equal((await attempt(s, url, 'OWNER_O', 'correct horse battery', '203.0.113.1', mine)).status, 303);
    // A known-device cookie of another login, or forged, is no use.
    const other = new Browser(s.url);
    other.cookies.set('twauth_known', mine.cookies.get('twauth_known').replace('owner_o', 'owner_x'));
    assert.equal((await attempt(s, url, 'owner_o', 'correct horse battery', '192.0.2.10', other)).status, 429);
  } finally { await s.stop(); }
});

test('guesses made at the same moment are counted before any is checked', async () => {
  const db2 = freshDb();
  const a = createApp(db2, 'Burst App');
  createUser(db2, 'burst_b', 'correct horse battery');
  const s = await startServer({ db: db2, args: ['--trusted-proxy', '127.0.0.1'] });
  try {
    const url = authorizeUrl(a);
    // Forms first, then 24 posts at once, each from its own address.
    const ready = await Promise.all([...Array(24)].map(async (_, i) => {
      const br = new Browser(s.url);
      const headers = { 'X-Forwarded-For': `198.51.100.${i}` };
      const p = await br.request(url, { headers });
      return { br, headers, csrf: csrfOf(p.text) };
    }));
    const statuses = await Promise.all(ready.map(({ br, headers, csrf }) => br.request(url,
      { method: 'POST', headers, form: { step: 'login', csrf, login: 'burst_b', password: 'wrong' } })
      .then((r) => r.status)));
    // The login's 5 free failures are checked; every other guess waits.
    assert.equal(statuses.filter((x) => x === 401).length, 5, statuses.join(','));
    assert.equal(statuses.filter((x) => x === 429).length, 19, statuses.join(','));
  } finally { await s.stop(); }
});
