// The developer console in a real browser (Debian's chromium via
// playwright-core): register an app, make its secret, use that secret for
// an app token, delete the app.  Screenshots of each page, on a desktop and
// a phone, under the test output.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  startServer, createUser, postForm, read, validate, freshDb,
} from './lib/harness.mjs';

const CHROMIUM = process.env.TWAUTH_CHROMIUM || '/usr/bin/chromium';
const shots = path.join(process.env.TWAUTH_TEST_OUT
  || new URL('../out/manual', import.meta.url).pathname, 'screenshots');
mkdirSync(shots, { recursive: true });
const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

let server, browser;

before(async () => {
  const db = freshDb();
  createUser(db, 'Developer', 'correct horse battery', ['--display-name', 'Developer']);
  server = await startServer({ db });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('console in the browser: register, new secret, an app token with it, delete', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${server.url}/console`);
  await page.fill('#login', 'developer');
  await page.fill('#password', 'correct horse battery');
  await page.click('button[type=submit]');
  await page.waitForSelector('text=Register your application');
  await shot(page, 'console-01-empty');
  await page.click('text=Register your application');
  assert.equal(await page.title(), 'Register your application - twauth');
  // First with a mistake: the message appears next to the field, values kept.
  await page.fill('#name', 'Browser Bot');
  await page.fill('#uris', 'http://localhost:3000\nnot a url');
  await page.selectOption('#category', 'Chat Bot');
  await page.check('input[name=type][value=confidential]');
  await page.click('button:has-text("Create")');
  await page.waitForSelector('#uris-error');
  assert.match(await page.textContent('#uris-error'), /Line 2/);
  assert.equal(await page.inputValue('#name'), 'Browser Bot');
  assert.equal(await page.getAttribute('#uris', 'aria-invalid'), 'true');
  await shot(page, 'console-02-field-error');
  await page.fill('#uris', 'http://localhost:3000');
  await page.click('button:has-text("Create")');
  await page.waitForSelector('#client-id');
  const clientId = (await page.textContent('#client-id')).trim();
  assert.match(clientId, /^[0-9a-z]{30}$/);
  await shot(page, 'console-03-app');

  await page.click('button:has-text("New secret")');
  await page.waitForSelector('text=first client secret');
  assert.doesNotMatch(await page.textContent('main'), /stops working/);
  await shot(page, 'console-04-secret-confirm');
  await page.click('button:has-text("Make a secret")');
  await page.waitForSelector('#client-secret');
  const secret = (await page.textContent('#client-secret')).trim();
  assert.match(secret, /^[0-9a-z]{30}$/);
  await shot(page, 'console-05-secret');
  const tok = await read(postForm(`${server.url}/oauth2/token`, {
    client_id: clientId, client_secret: secret, grant_type: 'client_credentials' }));
  assert.equal(tok.status, 200, tok.text);
  assert.equal((await validate(server, tok.json.access_token)).status, 200);

  await page.click('text=Done');
  // Now there is one to lose: the confirmation says so.
  await page.click('button:has-text("New secret")');
  await page.waitForSelector('text=stops working at once');
  await page.click('main a:has-text("Cancel")');
  await page.waitForSelector('#client-id');
  await page.click('button:has-text("Delete app")');
  await page.waitForSelector('text=cannot be undone');
  await shot(page, 'console-06-delete-confirm');
  await page.click('main button:has-text("Delete app")');
  await page.waitForSelector('text=Deleted. Its tokens no longer work.');
  await shot(page, 'console-07-deleted');
  assert.equal((await validate(server, tok.json.access_token)).status, 401);
  await ctx.close();
});

test('console on a phone: the list and the form fit the screen', async () => {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
  const page = await ctx.newPage();
  await page.goto(`${server.url}/console/new`);
  await page.fill('#login', 'developer');
  await page.fill('#password', 'correct horse battery');
  await page.click('button[type=submit]');
  await page.waitForSelector('#name');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await shot(page, 'console-08-phone-form');
  // The page frames nothing, runs no script, and is not to be kept.
  const res = await page.request.get(`${server.url}/console`);
  assert.equal(res.headers()['x-frame-options'], 'DENY');
  assert.match(res.headers()['content-security-policy'], /frame-ancestors 'none'/);
  assert.equal(res.headers()['cache-control'], 'no-store');
  await ctx.close();
});
