// The client half: `twauth token` in every flow against a real `twauth serve`,
// the forms completed as a browser would (a real chromium for the implicit
// flow, whose answer only a page can read), the token store, refresh and
// hourly validation, validate/revoke exit statuses, api, exec and configure.
//
// Time moves for the client with TWAUTH_CLOCK_SKEW (it reads the same clock
// as the server); the server keeps real time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  startServer, createApp, createUser, cli, spawnCli, freePort, tempDir, Browser, signIn,
  authorize, activateDevice, validate, postForm, read, freshDb, tokenUserFlow,
} from './lib/harness.mjs';

const CHROMIUM = process.env.TWAUTH_CHROMIUM || '/usr/bin/chromium';

let server, db, port, redirect, app, pub, users, home;

before(async () => {
  db = freshDb();
  port = await freePort();
  redirect = `http://localhost:${port}`;
  app = createApp(db, 'Newcomer Bot', [redirect]);
  pub = createApp(db, 'Living Room TV', [redirect], ['--public']);
  users = {};
  for (const u of ['alice_n', 'bob_n', 'carol_n', 'dave_n', 'erin_n']) {
    users[u] = createUser(db, u, 'correct horse battery',
      ['--email', `${u}@example.test`, '--email-verified']);
  }
  server = await startServer({ db });
  home = tempDir('twauth-home-');
});
after(async () => { await server.stop(); });

// The environment a user of the client would have.
const env = (extra = {}) => ({
  XDG_CONFIG_HOME: home, TWAUTH_ISSUER: server.url, TWITCH_CLIENT_ID: app.client_id,
  TWITCH_CLIENT_SECRET: app.client_secret, BROWSER: '', TWAUTH_CLOCK_SKEW: '', ...extra,
});
const run = (args, extra, input) => cli(args, { env: env(extra), input });
const stored = () => JSON.parse(readFileSync(path.join(home, 'twauth', 'tokens.json'), 'utf8')).tokens;
const recordOf = (login, clientId = app.client_id) =>
  stored().find((t) => t.login === login && t.client_id === clientId);

// Runs `twauth token --user` as `login`: the test is the browser.
const userFlow = (login, { args = [], decision = 'authorize', extra = {} } = {}) =>
  tokenUserFlow(server, env(extra), login, { redirect, args, decision });

test('the newcomer path: token --user, then api get users gives the user id', async () => {
  const { page, pageText, result, url } = await userFlow('alice_n',
    { args: ['--scopes', 'user:read:email chat:read'] });
  assert.equal(result.status, 0, result.stderr);
  assert.match(pageText, /You can close this tab/);
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  const q = new URL(url).searchParams;
  assert.equal(q.get('redirect_uri'), redirect);
  assert.equal(q.get('scope'), 'user:read:email chat:read');
  assert.match(q.get('state'), /^[0-9a-z]{32}$/);
  assert.doesNotMatch(url, new RegExp(app.client_secret), 'no secret in the URL');
  const token = result.stdout.trim();
  assert.match(token, /^[0-9a-z]{30}$/);
  assert.match(result.stderr, /user token of alice_n/);
  const v = await validate(server, token);
  assert.equal(v.status, 200);
  assert.equal(v.json.login, 'alice_n');

  const api = run(['api', 'get', 'users', '-q', 'login=alice_n']);
  assert.equal(api.status, 0, api.stderr);
  assert.equal(api.json.data[0].id, users.alice_n.user_id);
  const own = run(['api', 'get', 'users', '-q', 'login=alice_n', '--login', 'alice_n']);
  assert.equal(own.json.data[0].email, 'alice_n@example.test', 'own user with user:read:email');
  const self = run(['api', 'get', 'users']);
  assert.equal(self.json.data[0].login, 'alice_n');

  // The store: directory 0700, file 0600, the refresh token kept.
  assert.equal(statSync(path.join(home, 'twauth')).mode & 0o777, 0o700);
  assert.equal(statSync(path.join(home, 'twauth', 'tokens.json')).mode & 0o777, 0o600);
  const rec = recordOf('alice_n');
  assert.equal(rec.access_token, token);
  assert.match(rec.refresh_token, /^[0-9a-z]{30,}$/);
  assert.deepEqual(rec.scopes, ['chat:read', 'user:read:email']);
  const list = run(['token', 'list', '--json']);
  assert.equal(list.status, 0);
  assert.ok(list.json.some((t) => t.login === 'alice_n'));
  assert.doesNotMatch(list.stdout, new RegExp(token), 'token list shows no tokens');
});

test('the catcher checks state and ignores other paths until the real answer', async () => {
  const p = spawnCli(['token', '--user', '--no-browser', '--redirect-uri', redirect],
    { env: env() });
  const [, url] = await p.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?\S+)/);
  const forged = await fetch(`${redirect}/?code=forged&state=not-ours`);
  assert.equal(forged.status, 400);
  assert.match(await forged.text(), /state parameter does not match/);
  assert.equal((await fetch(`${redirect}/favicon.ico`)).status, 404);
  assert.equal(p.child.exitCode, null, 'still waiting');
  const b = new Browser(server.url);
  const rel = url.slice(server.url.length);
  await signIn(b, rel, 'alice_n');
  const loc = await authorize(b, rel);
  await fetch(loc);
  const r = await p.done;
  assert.equal(r.status, 0, r.stderr);
});

test('denied in the browser: exit 1, a clear message, nothing saved', async () => {
  const { result, pageText } = await userFlow('dave_n', { decision: 'deny' });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /declined in the browser/);
  assert.match(pageText, /Authorization failed/);
  // The issuer's error_description, as it came in the redirect.
  assert.match(pageText, /The issuer said no: The user denied you access \(access_denied\)\./);
  assert.equal(recordOf('dave_n'), undefined);
});

test('redirect_mismatch names the redirect URI to register', async () => {
  const other = `${redirect}/elsewhere`;
  // --no-check: what the browser brings back, had it not been found before.
  const p = spawnCli(['token', '--user', '--no-browser', '--no-check', '--redirect-uri', other],
    { env: env() });
  const [, url] = await p.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?\S+)/);
  // Twitch sends the browser to the first registered URI with the error.
  const r = await fetch(url, { redirect: 'manual' });
  assert.equal(r.status, 302);
  const loc = new URL(r.headers.get('location'));
  assert.equal(loc.searchParams.get('error'), 'redirect_mismatch');
  await fetch(loc);
  const res = await p.done;
  assert.equal(res.status, 1);
  assert.match(res.stderr, /does not have this redirect URI registered/);
  assert.ok(res.stderr.includes(other), res.stderr);
  assert.ok(res.stderr.includes(`twauth app redirect add ${app.client_id} ${other}`));
});

test('a taken port is a clear error before any browser is opened', async () => {
  const busy = await freePort();
  const s = net.createServer().listen(busy, '127.0.0.1');
  await new Promise((r) => s.on('listening', r));
  try {
    const r = run(['token', '--user', '--no-browser', '--redirect-uri', `http://localhost:${busy}`]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`port ${busy} on localhost is in use`));
    assert.doesNotMatch(r.stderr, /oauth2\/authorize/);
  } finally { s.close(); }
  const remote = run(['token', '--user', '--redirect-uri', 'https://example.test/cb']);
  assert.equal(remote.status, 2);
  assert.match(remote.stderr, /loopback only/);
});

test('twauth help COMMAND is COMMAND --help, as in the Twitch CLI', () => {
  const a = cli(['help', 'token']);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stdout, cli(['token', '--help']).stdout);
  assert.match(a.stdout, /^Usage: twauth token/m);
  const bad = cli(['help', 'nosuch']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command 'nosuch'/);
});

test('scopes are checked locally, with a suggestion', () => {
  const r = run(['token', '--user', '--scopes', 'chat:raed user:read:email']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown scope 'chat:raed'; did you mean 'chat:read'\?/);
});

test('app token: token, --get reuses it, wrong secret is exit 1', () => {
  const r = run(['token']);
  assert.equal(r.status, 0, r.stderr);
  const token = r.stdout.trim();
  assert.match(r.stderr, /app token for client/);
  const again = run(['token', '--get']);
  assert.equal(again.stdout.trim(), token);
  const envOut = run(['token', '--get', '--env']);
  assert.equal(envOut.stdout, `export TWITCH_TOKEN='${token}'\nexport TWITCH_CLIENT_ID='${app.client_id}'\n`);
  const json = run(['token', '--get', '--json']);
  assert.equal(json.json.kind, 'app');
  assert.equal(json.json.access_token, token);
  const bad = run(['token'], { TWITCH_CLIENT_SECRET: 'x'.repeat(30) });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /invalid client secret/);
  const noSecret = run(['token'], { TWITCH_CLIENT_SECRET: '' });
  assert.equal(noSecret.status, 2);
  assert.match(noSecret.stderr, /needs the client secret/);
});

test('a rate limit says how long to wait (Retry-After)', async () => {
  const limited = await startServer({ db, args: ['--max-client-failures', '1'] });
  try {
    const wrong = { TWAUTH_ISSUER: limited.url, TWITCH_CLIENT_SECRET: 'y'.repeat(30) };
    assert.equal(run(['token'], wrong).status, 1);
    const r = run(['token'], wrong);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /refused \(429\)/);
    assert.match(r.stderr, /the issuer asks to wait \d+ s before trying again \(Retry-After\)/);
  } finally { await limited.stop(); }
});

test('--get refreshes a token within 60 s of expiry and saves the result', async () => {
  const before = recordOf('alice_n');
  const skew = String(before.expires_at - Math.floor(Date.now() / 1000) - 30);
  const r = run(['token', '--get', '--login', 'alice_n'], { TWAUTH_CLOCK_SKEW: skew });
  assert.equal(r.status, 0, r.stderr);
  const token = r.stdout.trim();
  assert.notEqual(token, before.access_token);
  assert.equal((await validate(server, token)).status, 200);
  assert.equal(recordOf('alice_n').access_token, token);
  assert.ok(recordOf('alice_n').expires_at > before.expires_at);
});

test('a user token unchecked for an hour is validated; revoked, it is refreshed', async () => {
  const rec = recordOf('alice_n');
  await read(postForm(`${server.url}/oauth2/revoke`, { client_id: app.client_id, token: rec.access_token }));
  // Checked less than an hour ago: no call, the stored token as it is.
  const soon = run(['token', '--get', '--login', 'alice_n']);
  assert.equal(soon.stdout.trim(), rec.access_token);
  // An hour later the client asks the issuer, learns it is revoked, refreshes.
  const skew = rec.validated_at + 3700 - Math.floor(Date.now() / 1000);
  const later = run(['token', '--get', '--login', 'alice_n'], { TWAUTH_CLOCK_SKEW: String(skew) });
  assert.equal(later.status, 0, later.stderr);
  assert.notEqual(later.stdout.trim(), rec.access_token);
  assert.equal((await validate(server, later.stdout.trim())).status, 200);
});

test('api: a 401 refreshes once and asks again', async () => {
  const rec = recordOf('alice_n');
  await read(postForm(`${server.url}/oauth2/revoke`, { client_id: app.client_id, token: rec.access_token }));
  const r = run(['api', 'get', 'users', '--login', 'alice_n', '-q', 'id', ]);
  assert.equal(r.status, 2, 'a -q without = is a usage error');
  const ok = run(['api', 'get', 'users', '--login', 'alice_n', '-q', `id=${users.bob_n.user_id}`]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /answered 401; refreshing/);
  assert.equal(ok.json.data[0].login, 'bob_n');
  assert.equal(ok.json.data[0].email, undefined, "another user's email is not shown");
  const miss = run(['api', 'get', 'channels', '--login', 'alice_n']);
  assert.equal(miss.status, 1);
  assert.equal(miss.json.message, 'Missing required parameter "broadcaster_id"');
});

test('a dead token is never handed out again: once the issuer refuses it and its refresh, --get, exec and api exit 1 saying how to get a new one', async () => {
  const first = await userFlow('erin_n');
  assert.equal(first.result.status, 0, first.result.stderr);
  const rec = recordOf('erin_n');
  // Revoking the refresh token ends the whole grant (the access token too).
  await read(postForm(`${server.url}/oauth2/revoke`, { client_id: app.client_id, token: rec.refresh_token }));
  // Refreshing needs the secret for this confidential app: without it, a
  // configuration error (exit 2), not a verdict on the token.
  const noSecret = run(['refresh', '--login', 'erin_n'], { TWITCH_CLIENT_SECRET: '' });
  assert.equal(noSecret.status, 2, noSecret.stderr);
  assert.match(noSecret.stderr, /this app is confidential: refreshing needs its client secret/);
  assert.doesNotMatch(noSecret.stderr, /no longer works/);
  assert.equal(recordOf('erin_n').dead_at, undefined, 'not marked dead by a missing secret');
  // The API's 401, then the refused refresh: the issuer's verdict.
  const api = run(['api', 'get', 'users', '--login', 'erin_n']);
  assert.equal(api.status, 1, api.stderr);
  assert.match(api.stderr, /refused \(400\): Invalid refresh token/);
  assert.ok(recordOf('erin_n').dead_at > 0, 'marked dead in the store');
  for (const args of [['token', '--get', '--login', 'erin_n'], ['exec', '--login', 'erin_n', '--', 'sh', '-c', 'echo ran']]) {
    const r = run(args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '', 'no token printed, no command run');
    assert.match(r.stderr, /the stored token of erin_n no longer works/);
    assert.match(r.stderr, /twauth token --user/);
  }
  // Signing in again brings it back to life.
  const again = await userFlow('erin_n');
  assert.equal(again.result.status, 0, again.result.stderr);
  assert.equal(recordOf('erin_n').dead_at, undefined);
  const get = run(['token', '--get', '--login', 'erin_n']);
  assert.equal(get.status, 0, get.stderr);
  assert.equal((await validate(server, get.stdout.trim())).status, 200);
});

test('validate: 0 valid, 1 invalid, 2 when no verdict could be had', async () => {
  const ok = run(['validate', '--login', 'alice_n']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /valid: user token of alice_n/);
  // --json is the issuer's answer as it came: every member, scopes as
  // Twitch says them (null for none, not "").
  const j = run(['validate', '--login', 'alice_n', '--json']);
  assert.equal(j.json.login, 'alice_n');
  const direct = await validate(server, recordOf('alice_n').access_token);
  assert.deepEqual(Object.keys(j.json), Object.keys(direct.json));
  assert.deepEqual(j.json.scopes, direct.json.scopes);
  const bad = run(['validate', 'x'.repeat(30)]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /invalid access token/);
  const closed = await freePort();
  const down = run(['validate', 'x'.repeat(30), '--issuer', `http://127.0.0.1:${closed}`]);
  assert.equal(down.status, 2);
  const plain = run(['validate', 'abc', '--issuer', 'http://example.test']);
  assert.equal(plain.status, 2);
  assert.match(plain.stderr, /must be an https:\/\/ URL/);
});

test('exec runs a command with the token in its environment', () => {
  const token = run(['token', '--get', '--login', 'alice_n']).stdout.trim();
  const r = run(['exec', '--login', 'alice_n', '--', 'sh', '-c', 'printf "%s %s" "$TWITCH_TOKEN" "$TWITCH_CLIENT_ID"']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${token} ${app.client_id}`);
  assert.equal(run(['exec', '--login', 'alice_n', '--', 'sh', '-c', 'exit 7']).status, 7);
  assert.equal(run(['exec', '--login', 'alice_n', '--', '/nonexistent/cmd']).status, 127);
});

test('several accounts side by side; --login picks, ambiguity is explained', async () => {
  const { result } = await userFlow('carol_n', { args: ['--scopes', 'chat:read'] });
  assert.equal(result.status, 0, result.stderr);
  const amb = run(['token', '--get', '--user']);
  assert.equal(amb.status, 2);
  assert.match(amb.stderr, /several accounts are stored for this app \(.*alice_n.*carol_n|carol_n.*alice_n/);
  const c = run(['token', '--get', '--login', 'carol_n']);
  assert.equal((await validate(server, c.stdout.trim())).json.login, 'carol_n');
});

test('--openid verifies the id_token before printing its claims', async () => {
  const { result } = await userFlow('alice_n', { args: ['--openid', '--json', '--force-verify'] });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /id_token verified/);
  const out = JSON.parse(result.stdout);
  assert.equal(out.id_token_claims.aud, app.client_id);
  assert.equal(out.id_token_claims.sub, users.alice_n.user_id);
  assert.equal(out.id_token_claims.iss, `${server.url}/oauth2`);
  assert.match(out.id_token_claims.nonce, /^[0-9a-z]{32}$/);
  assert.ok(out.scopes.includes('openid'));
  const dev = run(['token', '--device', '--openid']);
  assert.equal(dev.status, 2);
});

test('device flow with a public app: code, approval, tokens; refresh without a secret', async () => {
  const e = { TWITCH_CLIENT_ID: pub.client_id, TWITCH_CLIENT_SECRET: '' };
  const p = spawnCli(['token', '--device', '--scopes', 'chat:read'], { env: env(e) });
  const [, link] = await p.waitFor(/(http:\/\/\S+\/activate\?public=true&device-code=[A-Z]+)/);
  assert.match(p.stderr(), /check that it shows the code\n {2}[A-Z]{8}\n/);
  await activateDevice(server.url, link, 'bob_n');
  const r = await p.done;
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /user token of bob_n/);
  const first = recordOf('bob_n', pub.client_id);
  assert.equal(first.access_token, r.stdout.trim());
  const ref = run(['refresh', '--login', 'bob_n'], e);
  assert.equal(ref.status, 0, ref.stderr);
  const second = recordOf('bob_n', pub.client_id);
  assert.notEqual(second.refresh_token, first.refresh_token, 'rotated and saved');
  assert.equal((await validate(server, ref.stdout.trim())).json.login, 'bob_n');
  // The saved one is the live one: refreshing again works.
  assert.equal(run(['refresh', '--login', 'bob_n'], e).status, 0);
  // The spent one is refused (and, for a public client, ends the grant).
  const spent = run(['refresh', first.refresh_token, '--client-id', pub.client_id], e);
  assert.equal(spent.status, 1);
  assert.match(spent.stderr, /Invalid refresh token/);
});

// A proxy to the server that drops the answer to the first refresh it
// forwards, after the server has sent it: the refresh was carried out, and
// the client never hears of it.
async function answerLosingProxy() {
  const seen = { refreshes: 0 };
  const proxy = net.createServer((down) => {
    const up = net.connect(server.port, '127.0.0.1');
    let drop = false;
    down.on('data', (d) => {
      if (/grant_type=refresh_token/.test(d.toString()) && ++seen.refreshes === 1) drop = true;
      up.write(d);
    });
    up.on('data', (d) => { if (drop) down.destroy(); else down.write(d); });
    up.on('end', () => down.end());
    down.on('error', () => up.destroy());
    up.on('error', () => down.destroy());
    down.on('close', () => up.destroy());
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${proxy.address().port}`, seen, close: () => proxy.close() };
}

test('refresh: an answer lost on the way is tried again once, and the retry\'s token is the live one', async () => {
  const d = await read(postForm(`${server.url}/oauth2/device`, { client_id: pub.client_id, scopes: 'chat:read' }));
  await activateDevice(server.url, d.json.verification_uri, 'carol_n');
  const first = await read(postForm(`${server.url}/oauth2/token`, { client_id: pub.client_id,
    device_code: d.json.device_code, grant_type: 'urn:ietf:params:oauth:grant-type:device_code' }));
  assert.equal(first.status, 200, first.text);
  const proxy = await answerLosingProxy();
  try {
    const p = spawnCli(['refresh', first.json.refresh_token, '--client-id', pub.client_id],
      { env: env({ TWAUTH_ISSUER: proxy.url, TWITCH_CLIENT_ID: pub.client_id, TWITCH_CLIENT_SECRET: '' }) });
    const r = await p.done;
    assert.equal(r.status, 0, r.stderr);
    assert.equal(proxy.seen.refreshes, 2, 'the first answer was dropped, the call made again');
    // The issuer's answer as it came: Twitch's array scope and token_type kept.
    const out = JSON.parse(r.stdout);
    assert.equal(out.token_type, 'bearer');
    assert.ok(Array.isArray(out.scope), r.stdout);
    assert.equal((await validate(server, out.access_token)).json.login, 'carol_n');
    const next = await read(postForm(`${server.url}/oauth2/token`, { client_id: pub.client_id,
      grant_type: 'refresh_token', refresh_token: out.refresh_token }));
    assert.equal(next.status, 200, next.text);
  } finally { proxy.close(); }
});

test('device flow denied: exit 1 with a clear message', async () => {
  const e = { TWITCH_CLIENT_ID: pub.client_id, TWITCH_CLIENT_SECRET: '' };
  const p = spawnCli(['token', '--device'], { env: env(e) });
  const [, link] = await p.waitFor(/(http:\/\/\S+\/activate\?public=true&device-code=[A-Z]+)/);
  await activateDevice(server.url, link, 'dave_n', 'deny');
  const r = await p.done;
  assert.equal(r.status, 1);
  assert.match(r.stderr, /denied on the activation page/);
});

test('implicit flow in a real browser: the page posts the fragment back', async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const p = spawnCli(['token', '--implicit', '--no-browser', '--redirect-uri', redirect,
      '--scopes', 'chat:read'], { env: env({ TWITCH_CLIENT_SECRET: '' }) });
    const [, url] = await p.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?\S+)/);
    assert.equal(new URL(url).searchParams.get('response_type'), 'token');
    const page = await browser.newPage();
    await page.goto(url);
    await page.fill('#login', 'dave_n');
    await page.fill('#password', 'correct horse battery');
    await page.click('button[type=submit]');
    await page.click('button[value=authorize]');
    await page.waitForFunction(() => /You can close this tab/.test(document.body.textContent));
    assert.equal(new URL(page.url()).hash, '', 'the token is gone from the address bar');
    const r = await p.done;
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await validate(server, r.stdout.trim())).json.login, 'dave_n');
    assert.equal(recordOf('dave_n').refresh_token, '');
    // Past its expiry it cannot be refreshed: one reason, and not "revoked".
    const skew = recordOf('dave_n').expires_at + 10 - Math.floor(Date.now() / 1000);
    const late = run(['token', '--get', '--login', 'dave_n'], { TWAUTH_CLOCK_SKEW: String(skew) });
    assert.equal(late.status, 1, late.stderr);
    assert.match(late.stderr, /has expired and has no refresh token \(implicit flow\)/);
    assert.doesNotMatch(late.stderr, /no longer works/);
    assert.equal(recordOf('dave_n').dead_at, undefined);
  } finally { await browser.close(); }
});

test('revoke: the stored token is revoked and forgotten', async () => {
  const token = recordOf('carol_n').access_token;
  const r = run(['revoke', '--login', 'carol_n']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await validate(server, token)).status, 401);
  assert.equal(recordOf('carol_n'), undefined);
  assert.equal(run(['revoke', 'x'.repeat(30)]).status, 0, 'Twitch answers 200 for unknown tokens');
});

test('configure saves a profile (0600, secret masked) that later commands use', () => {
  const h = tempDir('twauth-home-');
  const clean = { XDG_CONFIG_HOME: h, TWAUTH_ISSUER: '', TWITCH_CLIENT_ID: '', TWITCH_CLIENT_SECRET: '' };
  const c = run(['configure', '--issuer', server.url, '--client-id', app.client_id, '--client-secret-stdin'],
    clean, `${app.client_secret}\n`);
  assert.equal(c.status, 0, c.stderr);
  const file = path.join(h, 'twauth', 'config.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const show = run(['configure', '--show'], clean);
  assert.equal(show.json.client_secret, '(set)');
  assert.equal(show.json.issuer, server.url);
  const t = run(['token'], clean);
  assert.equal(t.status, 0, t.stderr);
  assert.ok(existsSync(path.join(h, 'twauth', 'tokens.json')));
  const noProfile = run(['token', '--profile', 'nope'], clean);
  assert.equal(noProfile.status, 2);
  assert.match(noProfile.stderr, /no profile 'nope'/);
});

test('the default issuer is Twitch; a pasted OIDC issuer URL is understood', async () => {
  const port2 = await freePort();
  // --no-check: Twitch itself is not reachable from the tests.
  const args = ['token', '--user', '--no-browser', '--no-check', '--timeout', '1',
    '--redirect-uri', `http://localhost:${port2}`, '--scopes', 'chat:read'];
  const r = run(args, { TWAUTH_ISSUER: '' });
  assert.equal(r.status, 2, 'nobody comes back within 1 s');
  const url = new URL(r.stderr.match(/(https:\/\/\S+)/)[1]);
  assert.equal(`${url.origin}${url.pathname}`, 'https://id.twitch.tv/oauth2/authorize');
  assert.equal(url.searchParams.get('client_id'), app.client_id);
  assert.match(r.stderr, /no answer came to http:\/\/localhost:\d+ within 1 s/);
  const pasted = run([...args, '--issuer', 'https://id.twitch.tv/oauth2/'], { TWAUTH_ISSUER: '' });
  assert.ok(pasted.stderr.includes('https://id.twitch.tv/oauth2/authorize?'), pasted.stderr);
});

test('an unknown client id is exit 1 with a hint', () => {
  const r = run(['token'], { TWITCH_CLIENT_ID: 'z'.repeat(30) });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /refused \(400\): invalid client\n {2}No app has that client id/);
});

// Polling answers a well-behaved client never provokes from twauth serve
// (slow_down, expiry, RFC 8628's {"error":...} shape) come from a scripted
// issuer on loopback, which records when each poll arrived.
async function scriptedIssuer(answers) {
  const polls = [];
  const srv = http.createServer((req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url.startsWith('/oauth2/device')) {
      return send(200, { device_code: 'd'.repeat(40), user_code: 'BCDFGHJK', expires_in: 60,
        interval: 1, verification_uri: 'http://127.0.0.1/activate?public=true&device-code=BCDFGHJK' });
    }
    if (req.url.startsWith('/oauth2/token')) {
      polls.push(Date.now());
      const [status, body] = answers.shift();
      return send(status, body);
    }
    if (req.url.startsWith('/oauth2/validate')) {
      return send(200, { client_id: 'c', login: 'scripted', user_id: '7', scopes: [], expires_in: 100 });
    }
    return send(404, { status: 404, message: 'not found' });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${srv.address().port}`, polls, close: () => srv.close() };
}

const deviceAsync = (issuer) => spawnCli(['token', '--device', '--no-save', '--issuer', issuer.url],
  { env: env({ TWITCH_CLIENT_ID: 'c', TWITCH_CLIENT_SECRET: '' }) }).done;

test('device polling: slow_down adds 5 s to the interval for good', async () => {
  const issuer = await scriptedIssuer([
    [400, { status: 400, message: 'slow_down' }],
    [400, { status: 400, message: 'authorization_pending' }],
    [200, { access_token: 't'.repeat(30), expires_in: 100, refresh_token: 'r'.repeat(50),
      scope: [], token_type: 'bearer' }],
  ]);
  try {
    const r = await deviceAsync(issuer);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /asked us to slow down: polling every 6s/);
    assert.equal(issuer.polls.length, 3);
    assert.ok(issuer.polls[1] - issuer.polls[0] >= 5900, `${issuer.polls[1] - issuer.polls[0]} ms`);
    assert.ok(issuer.polls[2] - issuer.polls[1] >= 5900, 'the slower interval stays');
  } finally { issuer.close(); }
});

test('device polling: expiry and denial in either shape are exit 1, a 5xx exit 2', async () => {
  for (const [body, re] of [
    [{ status: 400, message: 'invalid device code' }, /code expired before it was approved/],
    [{ error: 'expired_token' }, /code expired before it was approved/],
    [{ error: 'access_denied', error_description: 'no' }, /denied on the activation page/],
  ]) {
    const issuer = await scriptedIssuer([[400, body]]);
    try {
      const r = await deviceAsync(issuer);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, re);
    } finally { issuer.close(); }
  }
  const broken = await scriptedIssuer([[500, { status: 500, message: 'boom' }]]);
  try {
    const r = await deviceAsync(broken);
    assert.equal(r.status, 2, 'a 5xx is no verdict');
    assert.match(r.stderr, /the issuer answered HTTP 500: boom/);
  } finally { broken.close(); }
});
