// Apache httpd with mod_auth_openidc (Debian's libapache2-mod-auth-openidc
// 2.4, unchanged) protecting a page with an oauth2-profile app: the browser
// is sent to twauth's sign-in and consent pages, comes back with a code
// that the module exchanges (its default client authentication, the first
// that discovery lists: client_secret_post; once more with Basic) with PKCE
// S256, and whose
// id_token it validates against the JWKS; the page is then served, the
// claims and userinfo are there, and the access token is refreshed before
// it expires.  Against a twitch-profile app: the same works with the
// defaults; configured for Basic, the exchange is refused and the module's
// log says why.
//
// Apache runs in one process (-X) on a private port with a config written
// here; its files live in this file's temporary directory and it serves no
// files at all (a handler answers the protected page).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  startServer, createApp, createUser, freshDb, tempDir, freePort, spawn, Browser, csrfOf,
} from './lib/harness.mjs';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
let server, db;

before(async () => {
  db = freshDb();
  createUser(db, 'apacheuser', 'correct horse battery', ['--email', 'a@example.test']);
  server = await startServer({ db });
});
after(async () => { await server.stop(); });

// Starts Apache protecting /protected with app; resolves when it listens.
async function apache(app, port, extra = '') {
  const dir = tempDir('twauth-e2e-apache-');
  apacheBase = `http://localhost:${port}`;
  const conf = path.join(dir, 'httpd.conf');
  writeFileSync(conf, `ServerRoot ${dir}
Listen 127.0.0.1:${port}
ServerName localhost:${port}
PidFile ${dir}/httpd.pid
DefaultRuntimeDir ${dir}
ErrorLog ${dir}/error.log
LogLevel warn auth_openidc:${process.env.TWAUTH_TEST_APACHE_DEBUG ? 'debug' : 'info'}
LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule authn_core_module ${MODULES}/mod_authn_core.so
LoadModule authz_user_module ${MODULES}/mod_authz_user.so
LoadModule status_module ${MODULES}/mod_status.so
LoadModule auth_openidc_module ${MODULES}/mod_auth_openidc.so
User www-data
Group www-data
# An empty directory every Debian has; no file is served from it.
DocumentRoot /srv
<Directory />
  AllowOverride None
  Require all denied
</Directory>
OIDCProviderMetadataURL ${server.url}/oauth2/.well-known/openid-configuration
OIDCClientID ${app.client_id}
OIDCClientSecret ${app.client_secret}
OIDCRedirectURI http://localhost:${port}/protected/redirect_uri
OIDCCryptoPassphrase ${Math.random().toString(36).slice(2)}${Date.now()}
OIDCScope "openid user:read:email"
OIDCPKCEMethod S256
OIDCInfoHook iat access_token access_token_expires id_token userinfo refresh_token
${extra}
<Location /protected>
  AuthType openid-connect
  Require valid-user
  SetHandler server-status
</Location>
`);
  const child = spawn(APACHE, ['-f', conf, '-X'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const log = () => { try { return readFileSync(path.join(dir, 'error.log'), 'utf8'); } catch { return ''; } };
  for (let i = 0; i < 100; i++) {
    try { await fetch(`http://127.0.0.1:${port}/`); return { child, log }; } catch { /* not yet */ }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`apache did not start:\n${stderr}\n${log()}`);
}

async function stop({ child }) {
  if (child.exitCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}

// A browser's GET: the module tells browsers (a navigation, Accept:
// text/html) from API clients, which get a 401; fetch always says
// Sec-Fetch-Mode: cors, so Apache is asked with node:http.  Cookies are the
// Browser's jar, which holds twauth's and the module's.
function get(b, url) {
  if (!url.startsWith(apacheBase))
    return b.request(url, { headers: { Accept: 'text/html' } });
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { Accept: 'text/html,application/xhtml+xml',
      'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document', Cookie: b.cookieHeader() } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        const cookies = [].concat(res.headers['set-cookie'] ?? []);
        b.keep({ headers: { getSetCookie: () => cookies } });
        resolve({ status: res.statusCode, text, location: res.headers.location });
      });
    });
    req.on('error', reject);
  });
}
let apacheBase = '';

// A browser at the protected page: signs in and consents at twauth when sent there.
async function visit(b, url) {
  let r = await get(b, url);
  b.trail = [`${r.status} ${url}`];
  for (let hops = 0; hops < 10 && (r.status === 302 || r.status === 303); hops++) {
    const next = new URL(r.location, url).href;
    r = await get(b, next);
    b.trail.push(`${r.status} ${next.slice(0, 120)}`);
    if (r.status === 200 && /name="password"/.test(r.text)) {
      await b.post(next, { step: 'login', csrf: csrfOf(r.text), login: 'apacheuser', password: 'correct horse battery' });
      r = await get(b, next);
    }
    if (r.status === 200 && /name="decision"/.test(r.text))
      r = await b.post(next, { csrf: csrfOf(r.text), decision: 'authorize' });
    url = next;
  }
  return r;
}

test('mod_auth_openidc: sign in through twauth, the page is served, the claims are there, the token is refreshed before expiry', async () => {
  const port = await freePort();
  const app = createApp(db, 'Apache RP', [`http://localhost:${port}/protected/redirect_uri`], ['--profile', 'oauth2']);
  // Refresh when the access token (4 h) has less than 4 h - 1 s left: the
  // next request after a second.  Basic, as most deployments configure it.
  const a = await apache(app, port, 'OIDCRefreshAccessTokenBeforeExpiry 14399\n' +
    'OIDCProviderTokenEndpointAuth client_secret_basic');
  try {
    const b = new Browser(`http://localhost:${port}`);
    const page = await visit(b, `http://localhost:${port}/protected/`);
    assert.equal(page.status, 200, `${b.trail.join('\n')}\n${page.text.slice(0, 300)}\n${a.log()}`);
    assert.match(page.text, /Apache Server Status/);
    const info = await get(b, `http://localhost:${port}/protected/redirect_uri?info=json`);
    assert.equal(info.status, 200, info.text);
    const s = JSON.parse(info.text);
    assert.equal(s.id_token.iss, `${server.url}/oauth2`);
    assert.equal(s.id_token.aud, app.client_id);
    assert.match(s.id_token.sub, /^\d+$/);
    assert.equal(s.userinfo.sub, s.id_token.sub);
    assert.match(s.access_token, /^[0-9a-z]{30}$/);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await get(b, `http://localhost:${port}/protected/`)).status, 200);
    const again = JSON.parse((await get(b, `http://localhost:${port}/protected/redirect_uri?info=json`)).text);
    assert.notEqual(again.access_token, s.access_token, `not refreshed:\n${a.log()}`);
    const v = await fetch(`${server.url}/oauth2/validate`, { headers: { Authorization: `OAuth ${again.access_token}` } });
    assert.equal(v.status, 200);
  } finally { await stop(a); }
});

test('mod_auth_openidc with a twitch-profile app: its default (client_secret_post, first in discovery) works; configured for Basic, the log says to send parameters or switch the profile', async () => {
  const port = await freePort();
  const app = createApp(db, 'Apache on Twitch', [`http://localhost:${port}/protected/redirect_uri`]);
  let a = await apache(app, port);
  try {
    const b = new Browser(`http://localhost:${port}`);
    const page = await visit(b, `http://localhost:${port}/protected/`);
    assert.equal(page.status, 200, `${b.trail.join('\n')}\n${a.log()}`);
  } finally { await stop(a); }
  a = await apache(app, port, 'OIDCProviderTokenEndpointAuth client_secret_basic');
  try {
    const b = new Browser(`http://localhost:${port}`);
    const page = await visit(b, `http://localhost:${port}/protected/`);
    // The module answers with its error page (status 200) and logs twauth's words.
    assert.doesNotMatch(page.text, /Apache Server Status/, b.trail.join('\n'));
    assert.match(page.text, /OpenID Connect Provider error/);
    assert.match(a.log(), /"invalid_client"/);
    assert.match(a.log(), /Twitch takes client_id and client_secret as parameters, not HTTP Basic/);
  } finally { await stop(a); }
});
