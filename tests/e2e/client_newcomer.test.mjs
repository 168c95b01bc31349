// What would stop or mislead a newcomer to the client, each caught: mistakes
// found before the browser opens (an unregistered redirect URI, a wrong
// secret, an unknown client, an issuer URL that names an endpoint, https to
// a plain-HTTP server), what the waiting line says, one rule for which
// stored token a command uses, hints that keep what the stored token had,
// a command a long-running child runs for a fresh token, and the Twitch
// CLI's habits (short flags, api --paginate and -v).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  startServer, createApp, createUser, cli, spawnCli, freePort, tempDir, freshDb, BIN,
  tokenUserFlow,
} from './lib/harness.mjs';

let server, db, port, redirect, app, registered, home;

before(async () => {
  db = freshDb();
  port = await freePort();
  redirect = `http://localhost:${port}`;
  registered = `http://localhost:${port}/callback`;
  app = createApp(db, 'Newcomer Checks', [redirect]);
  for (const u of ['nina_c', 'omar_c', 'pia_c']) {
    createUser(db, u, 'correct horse battery', ['--email', `${u}@example.test`]);
  }
  server = await startServer({ db });
  home = tempDir('twauth-home-');
});
after(async () => { await server.stop(); });

const env = (extra = {}) => ({
  XDG_CONFIG_HOME: home, TWAUTH_ISSUER: server.url, TWITCH_CLIENT_ID: app.client_id,
  TWITCH_CLIENT_SECRET: app.client_secret, BROWSER: '', TWAUTH_CLOCK_SKEW: '', ...extra,
});
const run = (args, extra, input) => cli(args, { env: env(extra), input });
const storeFile = () => path.join(home, 'twauth', 'tokens.json');
const stored = () => existsSync(storeFile()) ? JSON.parse(readFileSync(storeFile(), 'utf8')).tokens : [];

// `twauth token --user` as login, the test being the browser; resolves with the result.
const userFlow = async (login, args = [], extra = {}) =>
  (await tokenUserFlow(server, env(extra), login, { redirect, args })).result;

// ---- Mistakes caught before the browser ----

test('an unregistered redirect URI is found before the browser opens, naming the one the app has', () => {
  const other = createApp(db, 'Callback App', [registered]);
  const r = run(['token', '--user', '--no-browser'],
    { TWITCH_CLIENT_ID: other.client_id, TWITCH_CLIENT_SECRET: other.client_secret });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /does not have this redirect URI registered/);
  assert.ok(r.stderr.includes('http://localhost:3000'), r.stderr);
  assert.ok(r.stderr.includes(`--redirect-uri ${registered}`), r.stderr);
  assert.doesNotMatch(r.stderr, /oauth2\/authorize|Waiting for the browser/, 'no URL, no wait');
  // --no-check goes straight to the browser, as before.
  const p = spawnCli(['token', '--user', '--no-browser', '--no-check', '--timeout', '1'],
    { env: env({ TWITCH_CLIENT_ID: other.client_id, TWITCH_CLIENT_SECRET: other.client_secret }) });
  return p.done.then((res) => {
    assert.equal(res.status, 2);
    assert.match(res.stderr, /Waiting for the browser/);
  });
});

// A counter of the server's /metrics.
async function metric(name) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line ? Number(line.split(' ')[1]) : 0;
}
const MINTED = 'twauth_tokens_issued_total{grant_type="client_credentials"}';
const REVOKED = 'twauth_http_requests_total{route="/oauth2/revoke",status="200"}';

test('a wrong client secret is found before the browser; the checking token is revoked at once', async () => {
  const r = run(['token', '--user', '--no-browser'], { TWITCH_CLIENT_SECRET: 'x'.repeat(30) });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /checking the client id and secret before the browser opens: refused \(403\): invalid client secret/);
  assert.doesNotMatch(r.stderr, /oauth2\/authorize/);
  // With the right secret the check mints an app token and revokes it.
  const [minted, revoked] = [await metric(MINTED), await metric(REVOKED)];
  const res = await spawnCli(['token', '--user', '--no-browser', '--redirect-uri', redirect,
    '--timeout', '1'], { env: env() }).done;
  assert.equal(res.status, 2, res.stderr);
  assert.match(res.stderr, /oauth2\/authorize/);
  assert.equal(await metric(MINTED), minted + 1);
  assert.equal(await metric(REVOKED), revoked + 1);
  assert.ok(!stored().some((t) => t.client_id === app.client_id && !t.login), 'nothing kept');
});

test('an unknown client is found before the browser', () => {
  const r = run(['token', '--implicit', '--no-browser'], { TWITCH_CLIENT_ID: 'nosuchclient' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /the issuer does not know client nosuchclient/);
  assert.match(r.stderr, /twauth app list/);
});

test('an issuer URL naming an endpoint is a configuration error, exit 2', () => {
  for (const tail of ['/oauth2/token', '/oauth2/authorize/', '/oauth2/validate']) {
    const r = run(['token'], { TWAUTH_ISSUER: server.url + tail });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`names an endpoint \\(${tail.replace(/\/$/, '')}\\): the issuer is the service's base URL, ${server.url}`));
  }
  // The OpenID issuer (with /oauth2) and an API base with /helix are taken as meant.
  assert.equal(run(['token'], { TWAUTH_ISSUER: `${server.url}/oauth2` }).status, 0);
  const api = run(['api', 'get', 'users', '-q', 'login=nina_c', '--app'],
    { TWAUTH_API_BASE: `${server.url}/helix/` });
  assert.equal(api.status, 0, api.stderr);
});

test('https:// to a plain-HTTP server says to use http://, exit 2', () => {
  const r = run(['token'], { TWAUTH_ISSUER: server.url.replace('http://', 'https://') });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /the server speaks plain HTTP there, not TLS: use http:\/\//);
  assert.doesNotMatch(r.stderr, /SSL routines|wrong version number/);
});

test('the waiting line says what a wrong redirect URI looks like, that Ctrl-C cancels, and counts down', () => {
  // script(1) gives the client a terminal, where the countdown is drawn.
  const cmd = [BIN, 'token', '--user', '--no-browser', '--redirect-uri', redirect, '--timeout', '3']
    .map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, ...env() }, timeout: 30000 });
  assert.equal(r.status, 2, r.stdout);
  assert.match(r.stdout, /Ctrl-C cancels/);
  assert.match(r.stdout, /If the browser says it cannot connect, or lands on another address/);
  assert.match(r.stdout, /\r {2}0m 3s left \r {2}0m 2s left \r {2}0m 1s left /);
  assert.match(r.stdout, /no answer came to/);
  // Not on a terminal: no countdown in a log.
  const p = run(['token', '--user', '--no-browser', '--redirect-uri', redirect, '--timeout', '1']);
  assert.equal(p.status, 2);
  assert.doesNotMatch(p.stderr, /left /);
});

// ---- Which token ----

test('which token: the app token where the call takes one, else the only user token, else the choices', async () => {
  for (const u of ['nina_c', 'omar_c']) {
    const r = await userFlow(u, ['--scopes', 'user:read:email']);
    assert.equal(r.status, 0, r.stderr);
  }
  // The headline: two accounts stored, and a lookup by login just works (an app token).
  const lookup = run(['api', 'get', 'users', '-q', 'login=nina_c']);
  assert.equal(lookup.status, 0, lookup.stderr);
  assert.equal(lookup.json.data[0].login, 'nina_c');
  assert.equal(lookup.json.data[0].email, undefined, 'looked up with the app token, not nina_c\'s');
  const appRec = stored().find((t) => t.client_id === app.client_id && !t.login);
  assert.ok(appRec, 'the app token was made and kept');
  // validate and token --get take an app token too.
  const v = run(['validate', '--json']);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.json.login, undefined);
  assert.equal(v.json.client_id, app.client_id);
  assert.equal(run(['token', '--get']).stdout.trim(), appRec.access_token);
  // A call for the token's own user needs a user: the choices are named.
  const self = run(['api', 'get', 'users']);
  assert.equal(self.status, 2);
  assert.match(self.stderr, /several accounts are stored for this app \(nina_c, omar_c\); pick one with --login NAME/);
  // An explicit --login wins over the app token.
  const own = run(['api', 'get', 'users', '-q', 'login=nina_c', '--login', 'nina_c']);
  assert.equal(own.json.data[0].email, 'nina_c@example.test');
  // Without an app token or the secret to make one: the only user token.
  const solo = tempDir('twauth-home-');
  const one = await userFlow('pia_c', [], { XDG_CONFIG_HOME: solo });
  assert.equal(one.status, 0, one.stderr);
  const noSecret = { XDG_CONFIG_HOME: solo, TWITCH_CLIENT_SECRET: '' };
  const pv = run(['validate', '--json'], noSecret);
  assert.equal(pv.json.login, 'pia_c');
  const pl = run(['api', 'get', 'users', '-q', 'login=nina_c'], noSecret);
  assert.equal(pl.status, 0, pl.stderr);
  assert.equal(pl.json.data[0].login, 'nina_c');
});

// ---- Re-authorization keeps what you had ----

test('hints carry the stored scopes and the flags that found the app; --scopes twice asks for both', async () => {
  const h = tempDir('twauth-home-');
  const flags = ['--client-id', app.client_id, '--issuer', server.url];
  const base = { XDG_CONFIG_HOME: h, TWITCH_CLIENT_ID: '', TWAUTH_ISSUER: '' };
  const first = await userFlow('omar_c', ['-s', 'chat:read', '--scopes', 'user:read:email', ...flags], base);
  assert.equal(first.status, 0, first.stderr);
  const rec = JSON.parse(readFileSync(path.join(h, 'twauth', 'tokens.json'), 'utf8')).tokens
    .find((t) => t.login === 'omar_c');
  assert.deepEqual(rec.scopes, ['chat:read', 'user:read:email'], '-s and --scopes: both lists');
  // Its grant ends (as on Twitch, at any time): the hint gets it back as it was.
  const revoked = await fetch(`${server.url}/oauth2/revoke`, { method: 'POST',
    body: new URLSearchParams({ client_id: app.client_id, token: rec.refresh_token }) });
  assert.equal(revoked.status, 200);
  const api = run(['api', 'get', 'users', '--login', 'omar_c', ...flags], base);
  assert.equal(api.status, 1, api.stderr);
  const want = `twauth token --user --scopes 'chat:read user:read:email' --issuer ${server.url} --client-id ${app.client_id}`;
  assert.ok(api.stderr.includes(`Get a new one: ${want}\n`), api.stderr);
  const get = run(['token', '--get', '--login', 'omar_c', ...flags], base);
  assert.equal(get.status, 1);
  assert.ok(get.stderr.includes(`Get a new one: ${want}\n`), get.stderr);
  // The client id found in the store (none given) is named in the hint too.
  const guessed = run(['token', '--get', '--login', 'omar_c', '--issuer', server.url], base);
  assert.ok(guessed.stderr.includes(`--client-id ${app.client_id}`), guessed.stderr);
  // A new login that would drop scopes says so, and how to keep them.
  const narrower = await userFlow('omar_c', ['-s', 'chat:read', ...flags], base);
  assert.equal(narrower.status, 0, narrower.stderr);
  assert.match(narrower.stderr, /the stored token of omar_c also had user:read:email, which the new one lacks/);
  assert.ok(narrower.stderr.includes("twauth token --user --scopes 'chat:read user:read:email'"), narrower.stderr);
});

// ---- Long-running programs ----

test('exec gives the child TWAUTH_TOKEN_COMMAND, which prints a fresh token of the same account', async () => {
  const h = tempDir('twauth-home-');
  const r = await userFlow('pia_c', ['-s', 'chat:read'], { XDG_CONFIG_HOME: h });
  assert.equal(r.status, 0, r.stderr);
  // The child: its token, then (four hours on) the command's, with no twauth options of its own.
  const script = 'echo "$TWITCH_TOKEN"; echo "$TWAUTH_TOKEN_COMMAND"; ' +
    'env -u TWAUTH_ISSUER -u TWITCH_CLIENT_ID TWAUTH_CLOCK_SKEW=14400 sh -c "$TWAUTH_TOKEN_COMMAND"';
  const x = run(['exec', '--', 'sh', '-c', script], { XDG_CONFIG_HOME: h });
  assert.equal(x.status, 0, x.stderr);
  const [token, command, fresh] = x.stdout.trim().split('\n');
  assert.match(command, /^'\/[^']+' token --get --issuer '.*' --client-id '[0-9a-z]+' --login 'pia_c'$/);
  assert.doesNotMatch(command, new RegExp(app.client_secret), 'no secret in the command');
  assert.match(fresh, /^[0-9a-z]{30}$/);
  assert.notEqual(fresh, token, 'refreshed: the first was due');
  const v = await fetch(`${server.url}/oauth2/validate`, { headers: { Authorization: `OAuth ${fresh}` } });
  assert.equal(v.status, 200);
  assert.equal((await v.json()).login, 'pia_c');
});

// ---- Twitch CLI habits: api -P, -v ----

// Twitch's Helix paginates with a cursor (twauth serve's slice has no lists
// long enough): this stands in for api.twitch.tv, with pages of two.
async function pagedHelix(pages) {
  const seen = [];
  const s = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    seen.push({ url: u, headers: req.headers });
    const at = Number(u.searchParams.get('after') || 0);
    const body = { data: [{ n: 2 * at }, { n: 2 * at + 1 }], total: 2 * pages,
      pagination: at + 1 < pages ? { cursor: String(at + 1) } : {} };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${s.address().port}`, seen, close: () => s.close() };
}

// The client run without blocking this process, which serves the pages.
async function runAsync(args, extra) {
  const r = await spawnCli(args, { env: env(extra) }).done;
  try { r.json = JSON.parse(r.stdout); } catch { r.json = undefined; }
  return r;
}

test('api -P follows the cursor to the last page; -v shows the headers with Authorization redacted', async () => {
  const helix = await pagedHelix(3);
  try {
    const e = { TWAUTH_API_BASE: helix.url };
    const r = await runAsync(['api', 'get', 'search/channels', '-q', 'query=x', '-q', 'after=0', '-P'], e);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json.data.map((d) => d.n), [0, 1, 2, 3, 4, 5]);
    assert.equal(r.json.total, 6);
    assert.equal(r.json.pagination, undefined);
    assert.deepEqual(helix.seen.map((s) => s.url.searchParams.getAll('after')), [['0'], ['1'], ['2']]);
    assert.ok(helix.seen.every((s) => s.url.searchParams.get('query') === 'x'));
    // Without -P: one page, its cursor shown.
    const one = await runAsync(['api', 'get', 'search/channels', '-q', 'query=x'], e);
    assert.equal(one.json.pagination.cursor, '1');
    const v = await runAsync(['api', 'get', 'search/channels', '-q', 'query=x', '-v'], e);
    assert.equal(v.status, 0, v.stderr);
    assert.match(v.stderr, /^> GET \/helix\/search\/channels\?query=x HTTP\/1\.1$/m);
    assert.match(v.stderr, /^> Authorization: \[redacted\]$/m);
    assert.match(v.stderr, new RegExp(`^> Client-Id: ${app.client_id}$`, 'm'));
    assert.match(v.stderr, /^< HTTP\/1\.1 200 OK$/m);
    const token = stored().find((t) => t.client_id === app.client_id && !t.login).access_token;
    assert.ok(!v.stderr.includes(token), 'the token is never shown');
  } finally { helix.close(); }
});

test(`api -P stops at ${100} pages and says so`, async () => {
  const helix = await pagedHelix(1000);
  try {
    const r = await runAsync(['api', 'get', 'search/channels', '-q', 'query=x', '-P'], { TWAUTH_API_BASE: helix.url });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json.data.length, 200);
    assert.equal(helix.seen.length, 100);
    assert.match(r.stderr, /stopped after 100 pages \(the most -P follows\)/);
  } finally { helix.close(); }
});

test('short flags as in the Twitch CLI: token -u -s, api -q -P -v', () => {
  const help = run(['token', '--help']).stdout;
  assert.match(help, /-u, --user/);
  assert.match(help, /-s, --scopes/);
  const api = run(['api', '--help']).stdout;
  for (const f of ['-q, --query', '-P, --paginate', '-v, --verbose']) assert.ok(api.includes(f), f);
});
