// The developer console in a real browser (Debian's chromium via
// playwright-core): register an app, make its secret, use that secret for
// an app token, delete the app; an app's Twitch rules tab after real
// requests, with its timeline.  Screenshots of each page, on a desktop and
// a phone, under the test output.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  startServer, createUser, createApp, postForm, read, validate, freshDb, appToken, userTokens, cli,
} from './lib/harness.mjs';

const CHROMIUM = process.env.TWAUTH_CHROMIUM || '/usr/bin/chromium';
const shots = path.join(process.env.TWAUTH_TEST_OUT
  || new URL('../out/manual', import.meta.url).pathname, 'screenshots');
mkdirSync(shots, { recursive: true });
const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

let server, browser, db;

before(async () => {
  db = freshDb();
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

// Everything a page loaded, and what the browser complained of (a CSP
// violation is a console error): the rules page must load itself and its
// stylesheet, nothing else, and run no script.
function watch(page) {
  const seen = { requests: [], errors: [] };
  page.on('request', (r) => seen.requests.push({ url: r.url(), type: r.resourceType() }));
  page.on('console', (m) => { if (m.type() === 'error') seen.errors.push(m.text()); });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  return seen;
}

// The page as a person sees it at this size: the timeline that shows fits,
// the other is hidden, nothing scrolls sideways, nothing else is loaded.
async function checkRulesPage(page, seen, shown, hidden) {
  assert.equal(await page.title(), 'Rules Bot - twauth');
  assert.equal(await page.locator('ol.rules li.rule').count(), 7);
  assert.equal((await page.textContent('#rule-stop-dead-token .badge')).trim(), 'broken');
  assert.match(await page.textContent('#rule-stop-dead-token .advice'), /What to change:/);
  assert.match(await page.textContent('#rule-stop-dead-token .evidence'), /request \S+/);
  assert.equal((await page.textContent('#rule-device-interval .badge')).trim(), 'not exercised');
  assert.match(await page.textContent('#rules-summary'), /1 of 7 broken/);
  const svg = page.locator(`.${shown} svg.timeline`);
  assert.ok(await svg.isVisible(), `the ${shown} timeline shows`);
  assert.ok(!(await page.locator(`.${hidden} svg.timeline`).isVisible()), `the ${hidden} one does not`);
  // A bar for each token: the app token and the user's three; the two
  // chaos events, each recovered from.
  assert.equal(await svg.locator('g.tl-token').count(), 4);
  assert.equal(await svg.locator('path.tl-401').count(), 2);
  assert.equal(await svg.locator('path.tl-write').count(), 1);
  assert.equal(await svg.locator('g.tl-chaos').count(), 2);
  assert.equal(await page.locator('table.chaos tbody tr').count(), 2);
  assert.equal(await page.locator('table.chaos td.recovered').count(), 2);
  const box = await svg.boundingBox();
  const width = await page.evaluate(() => window.innerWidth);
  assert.ok(box.x >= 0 && box.x + box.width <= width, `the timeline (${box.x}+${box.width}) fits ${width}`);
  assert.ok(box.height > 100, `the timeline is ${box.height}px tall`);
  const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the window`);
  assert.equal(await page.locator('script').count(), 0);
  for (const r of seen.requests) {
    assert.ok(r.url.startsWith(server.url), `loaded from elsewhere: ${r.url}`);
    assert.ok(['document', 'stylesheet'].includes(r.type), `loaded a ${r.type}: ${r.url}`);
  }
  assert.deepEqual(seen.errors, []);
}

test('the Twitch rules tab after real requests: rules, timeline, desktop and phone', async () => {
  const app = createApp(db, 'Rules Bot', ['http://localhost:3000'], ['--owner', 'developer']);
  createUser(db, 'viewer_rules');
  const pause = (ms) => new Promise((r) => setTimeout(r, ms));
  const helix = (p, token, init = {}) => fetch(`${server.url}/helix/${p}`, { ...init,
    headers: { Authorization: `Bearer ${token}`, 'Client-Id': app.client_id, ...init.headers } });
  // An app token, validated, used at Helix.
  const appTok = await appToken(server, app);
  assert.equal((await validate(server, appTok)).status, 200);
  assert.equal((await helix('users?login=viewer_rules', appTok)).status, 200);
  await pause(1500);
  // A user's token: validated, read with, a channel changed (a write).
  const scope = 'channel:manage:broadcast';
  const first = await userTokens(server, app, 'viewer_rules', { scope });
  assert.equal((await validate(server, first.access_token)).status, 200);
  const me = (await read(helix('users', first.access_token))).json.data[0];
  await pause(1500);
  const patched = await helix(`channels?broadcaster_id=${me.id}`, first.access_token, {
    method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{"title":"Rules lab"}' });
  assert.equal(patched.status, 204);
  await pause(1500);
  // twauth ends the token (chaos, as Twitch may at any time); the app keeps sending it.
  const refreshed = (token) => read(postForm(`${server.url}/oauth2/token`, { client_id: app.client_id,
    client_secret: app.client_secret, grant_type: 'refresh_token', refresh_token: token }));
  assert.equal(cli(['chaos', 'expire', '--app', app.client_id, '--login', 'viewer_rules'], { db }).status, 0);
  for (let i = 0; i < 3; i++) {
    assert.equal((await helix('users', first.access_token)).status, 401);
    await pause(700);
  }
  // Then it refreshes and carries on.
  const second = (await refreshed(first.refresh_token)).json;
  assert.equal((await validate(server, second.access_token)).status, 200);
  assert.equal((await helix('users', second.access_token)).status, 200);
  await pause(1500);
  // Once more, and this time it refreshes at the first 401.
  assert.equal(cli(['chaos', 'revoke', '--app', app.client_id, '--login', 'viewer_rules'], { db }).status, 0);
  await pause(800);
  assert.equal((await helix('users', second.access_token)).status, 401);
  const third = (await refreshed(second.refresh_token)).json;
  assert.equal((await helix('users', third.access_token)).status, 200);
  await pause(1300);	// the record is written once a second

  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await desktop.newPage();
  await page.goto(`${server.url}/console`);
  await page.fill('#login', 'developer');
  await page.fill('#password', 'correct horse battery');
  await page.click('button[type=submit]');
  await page.click(`a[href="/console/app?client_id=${app.client_id}"]`);
  await page.click('nav.tabs a:has-text("Twitch rules")');
  await page.waitForSelector('ol.rules');
  assert.equal(new URL(page.url()).pathname, '/console/app/rules');
  const seen = watch(page);
  await page.reload();
  await checkRulesPage(page, seen, 'tl-wide', 'tl-narrow');
  assert.equal(await page.getAttribute('nav.tabs a[aria-current=page]', 'href'),
    `/console/app/rules?client_id=${app.client_id}`);
  // Both pictures are well-formed XML (the browser's own parser), with no script in them.
  const html = await (await page.request.get(page.url())).text();
  const pictures = html.match(/<svg[\s\S]*?<\/svg>/g);
  assert.equal(pictures.length, 2);
  for (const text of pictures) {
    const problems = await page.evaluate((t) => {
      const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
      return doc.getElementsByTagName('parsererror').length;
    }, text);
    assert.equal(problems, 0);
    assert.doesNotMatch(text, /<script|style=|href=/);
  }
  await page.screenshot({ path: path.join(shots, 'rules-desktop.png'), fullPage: true });
  await page.screenshot({ path: path.join(shots, 'rules-desktop-top.png'),
    clip: { x: 0, y: 0, width: 1280, height: 1300 }, fullPage: true });
  await page.locator('.tl-wide svg').screenshot({ path: path.join(shots, 'rules-timeline-desktop.png') });
  // The picture follows the theme, as the page does.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(shots, 'rules-desktop-dark.png') });
  await desktop.close();

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true,
    deviceScaleFactor: 2 });
  const small = await phone.newPage();
  await small.goto(`${server.url}/console/app/rules?client_id=${app.client_id}`);
  await small.fill('#login', 'developer');
  await small.fill('#password', 'correct horse battery');
  await small.click('button[type=submit]');
  await small.waitForSelector('ol.rules');
  const phoneSeen = watch(small);
  await small.reload();
  await checkRulesPage(small, phoneSeen, 'tl-narrow', 'tl-wide');
  await small.screenshot({ path: path.join(shots, 'rules-phone.png'), fullPage: true });
  await small.screenshot({ path: path.join(shots, 'rules-phone-top.png'),
    clip: { x: 0, y: 0, width: 390, height: 1250 }, fullPage: true });
  await phone.close();
});
