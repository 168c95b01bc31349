// The sign-in pages in a real browser: Debian's chromium driven by
// playwright-core.  A local catcher plays the app's redirect URI.  Every page
// is saved as a screenshot under the test output so a person can look.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  startServer, createApp, createUser, postForm, read, validate, tempDir, freshDb,
} from './lib/harness.mjs';

const CHROMIUM = process.env.TWAUTH_CHROMIUM || '/usr/bin/chromium';
const shots = path.join(process.env.TWAUTH_TEST_OUT
  || new URL('../out/manual', import.meta.url).pathname, 'screenshots');
mkdirSync(shots, { recursive: true });

let server, browser, catcher, caught, app, db, redirectUri;

before(async () => {
  caught = [];
  catcher = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://catcher');
    if (u.pathname === '/callback') caught.push(u);	// not /favicon.ico
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>Caught</title><h1>Back at the app</h1>');
  });
  await new Promise((r) => catcher.listen(0, '127.0.0.1', r));
  redirectUri = `http://127.0.0.1:${catcher.address().port}/callback`;
  db = freshDb();
  app = createApp(db, 'Stream Companion', [redirectUri]);
  createUser(db, 'Streamer', 'correct horse battery', ['--display-name', 'Streamer']);
  server = await startServer({ db });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  catcher?.close();
  await server?.stop();
});

const url = (extra = {}) => `${server.url}/oauth2/authorize?${new URLSearchParams({
  response_type: 'code', client_id: app.client_id, redirect_uri: redirectUri,
  scope: 'channel:manage:polls channel:read:polls', state: 'c3ab8aa609ea11e793ae92361f002671', ...extra,
})}`;

async function signIn(page, password = 'correct horse battery') {
  await page.fill('#login', 'streamer');
  await page.fill('#password', password);
  await page.click('button[type=submit]');
}

async function newPage(viewport) {
  const ctx = await browser.newContext(viewport ? { viewport } : {});
  return { ctx, page: await ctx.newPage() };
}

const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

test('code flow in the browser: login, consent, redirect to the app, exchange', async () => {
  const { ctx, page } = await newPage();
  await page.goto(url());
  assert.equal(await page.title(), 'Sign in - twauth');
  await shot(page, '01-login');
  await signIn(page, 'wrong password!');
  assert.match(await page.textContent('.error'), /Incorrect username or password/);
  await shot(page, '02-login-error');
  await signIn(page);
  await page.waitForSelector('button[value=authorize]');
  assert.equal(await page.title(), 'Authorize Stream Companion - twauth');
  const text = await page.textContent('main');
  assert.match(text, /Manage polls on your channel/);
  assert.match(text, /Signed in as Streamer/);
  await shot(page, '03-consent');
  await page.click('button[value=authorize]');
  await page.waitForURL((u) => u.href.startsWith(redirectUri));
  const got = caught.at(-1);
  assert.equal(got.searchParams.get('state'), 'c3ab8aa609ea11e793ae92361f002671');
  assert.equal(got.searchParams.get('scope'), 'channel:manage:polls channel:read:polls');
  const t = await read(postForm(`${server.url}/oauth2/token`, {
    client_id: app.client_id, client_secret: app.client_secret, code: got.searchParams.get('code'),
    grant_type: 'authorization_code', redirect_uri: redirectUri,
  }));
  assert.equal(t.status, 200, t.text);
  assert.equal((await validate(server, t.json.access_token)).json.login, 'streamer');

  // Remembered: the same request goes straight back to the app ...
  const before = caught.length;
  await page.goto(url({ state: 'second' }));
  await page.waitForURL((u) => u.href.startsWith(redirectUri));
  assert.equal(caught.length, before + 1);
  assert.equal(caught.at(-1).searchParams.get('state'), 'second');
  // ... unless force_verify=true.
  await page.goto(url({ force_verify: 'true' }));
  await page.waitForSelector('button[value=authorize]');
  await shot(page, '04-consent-force-verify');
  await ctx.close();
});

test('device activation in the browser: from verification_uri to "return to your device"', async () => {
  const tv = createApp(db, 'Living Room TV', ['http://localhost:3000'], ['--public']);
  const d = await read(postForm(`${server.url}/oauth2/device`, {
    client_id: tv.client_id, scopes: 'chat:read user:read:follows',
  }));
  assert.equal(d.status, 200, d.text);
  const { ctx, page } = await newPage({ width: 390, height: 844 });	// a phone
  await page.goto(d.json.verification_uri);
  assert.match(await page.textContent('main'), /to continue to your device/);
  await signIn(page);
  await page.waitForSelector('#user_code');
  assert.equal(await page.inputValue('#user_code'), d.json.user_code);
  await shot(page, '10-activate-code');
  await page.click('button[type=submit].primary');
  await page.waitForSelector('button[value=authorize]');
  const text = await page.textContent('main');
  assert.match(text, /Living Room TV/);
  assert.match(text, /View the channels you follow/);
  assert.match(text, new RegExp(d.json.user_code));
  await shot(page, '11-activate-consent');
  await page.click('button[value=authorize]');
  await page.waitForSelector('.ok');
  assert.match(await page.textContent('.ok'), /You may return to your device/);
  await shot(page, '12-activate-done');
  const t = await read(postForm(`${server.url}/oauth2/token`, {
    client_id: tv.client_id, device_code: d.json.device_code,
    grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
  }));
  assert.equal(t.status, 200, t.text);
  assert.equal((await validate(server, t.json.access_token)).json.login, 'streamer');
  await ctx.close();
});

test('implicit flow in the browser: the token arrives in the fragment', async () => {
  const { ctx, page } = await newPage();
  await page.goto(url({ response_type: 'token', scope: 'chat:read' }));
  await signIn(page);
  await page.click('button[value=authorize]');
  await page.waitForURL((u) => u.href.startsWith(redirectUri));
  const f = new URLSearchParams(new URL(page.url()).hash.slice(1));
  assert.equal(f.get('token_type'), 'bearer');
  assert.equal(f.get('scope'), 'chat:read');
  const v = await validate(server, f.get('access_token'));
  assert.equal(v.status, 200);
  assert.deepEqual(v.json.scopes, ['chat:read']);
  await ctx.close();
});

test('cancel in the browser sends access_denied to the app', async () => {
  const { ctx, page } = await newPage();
  await page.goto(url({ scope: 'bits:read' }));
  await signIn(page);
  await page.click('button[value=cancel]');
  await page.waitForURL((u) => u.href.startsWith(redirectUri));
  const got = caught.at(-1);
  assert.equal(got.searchParams.get('error'), 'access_denied');
  assert.equal(got.searchParams.get('error_description'), 'The user denied you access');
  assert.equal(got.searchParams.get('code'), null);
  await ctx.close();
});

test('connections page in the browser: Disconnect ends the app\'s tokens', async () => {
  const { ctx, page } = await newPage();
  await page.goto(url({ scope: 'user:read:email' }));
  await signIn(page);
  await page.click('button[value=authorize]');
  await page.waitForURL((u) => u.href.startsWith(redirectUri));
  const t = await read(postForm(`${server.url}/oauth2/token`, {
    client_id: app.client_id, client_secret: app.client_secret,
    code: caught.at(-1).searchParams.get('code'), grant_type: 'authorization_code', redirect_uri: redirectUri,
  }));
  assert.equal((await validate(server, t.json.access_token)).status, 200);
  await page.goto(`${server.url}/settings/connections`);
  assert.match(await page.textContent('main'), /Stream Companion/);
  await shot(page, '05-connections');
  await page.click('button.danger');
  await page.waitForSelector('.ok');
  assert.match(await page.textContent('main'), /Disconnected/);
  await shot(page, '06-connections-after-disconnect');
  assert.equal((await validate(server, t.json.access_token)).status, 401);
  await ctx.close();
});

test('pages fit a phone: no sideways scrolling on login and consent', async () => {
  const { ctx, page } = await newPage({ width: 360, height: 740 });
  const long = 'channel:manage:broadcast channel:read:subscriptions moderator:manage:automod_settings';
  await page.goto(url({ scope: long, force_verify: 'true' }));
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(await fits(), 'login page scrolls sideways');
  await shot(page, '07-phone-login');
  await signIn(page);
  await page.waitForSelector('button[value=authorize]');
  assert.ok(await fits(), 'consent page scrolls sideways');
  await shot(page, '08-phone-consent');
  await ctx.close();
});

test('the pages refuse to be framed', async () => {
  const { ctx, page } = await newPage();
  const framer = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><iframe id="f" src="${url()}"></iframe>`);
  });
  await new Promise((r) => framer.listen(0, '127.0.0.1', r));
  try {
    // goto waits for the load event, which waits for the iframe too.
    await page.goto(`http://127.0.0.1:${framer.address().port}/`);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(frame, 'the framing page has its frame');
    const hasForm = await frame.$('#password').then((e) => e !== null).catch(() => false);
    assert.equal(hasForm, false, 'the login form rendered inside a frame');
  } finally {
    framer.close();
    await ctx.close();
  }
});
