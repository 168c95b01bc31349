// The rules lab: twauth serve records what an app does, and `twauth app
// audit` says which of Twitch's rules it keeps.  A deliberately careless
// app (tests/e2e/careless/app.mjs) is caught on every rule it breaks, each
// with its evidence and a request id that is in the server's access log;
// an app that did nothing is reported as not exercised; --no-audit records
// nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  startServer, createApp, createUser, cli, freshDb, userTokens, postForm, read, activateDevice,
  appToken, tempDir, sql,
} from './lib/harness.mjs';
import * as careless from './careless/app.mjs';

const CHROMIUM = process.env.TWAUTH_CHROMIUM || '/usr/bin/chromium';

let server, db, app, pub, quiet;

before(async () => {
  db = freshDb();
  app = createApp(db, 'Careless Bot', ['http://localhost:3000']);
  pub = createApp(db, 'Careless TV', ['http://localhost:3000'], ['--public']);
  quiet = createApp(db, 'Quiet App', ['http://localhost:3000']);
  for (const u of ['rita_r', 'sam_r']) createUser(db, u);
  server = await startServer({ db });
});
after(async () => { await server.stop(); });

// The audit of an app as JSON, and its exit status.
function audit(clientId, extra = []) {
  const r = cli(['app', 'audit', clientId, '--json', ...extra], { db });
  assert.ok(r.json, r.stderr);
  return { status: r.status, report: r.json, rule: (id) => r.json.rules.find((x) => x.id === id) };
}

// The server writes its record once a second.
const flushed = () => new Promise((r) => setTimeout(r, 1300));

test('an app that did nothing: every rule not exercised, exit 0', () => {
  const a = audit(quiet.client_id);
  assert.equal(a.status, 0);
  assert.equal(a.report.broken, false);
  assert.ok(a.report.rules.length === 7);
  for (const r of a.report.rules) assert.equal(r.verdict, 'not exercised', r.id);
  const text = cli(['app', 'audit', quiet.client_id], { db });
  assert.match(text.stdout, /Nothing is recorded for this app yet/);
  const unknown = cli(['app', 'audit', 'nosuchapp'], { db });
  assert.equal(unknown.status, 2);
});

test('the careless app is caught on every rule it breaks, with request ids in the access log', async () => {
  // Rule 1: a user token used for Helix, never validated (the hour shortened to 1 s).
  const rita = await userTokens(server, app, 'rita_r');
  await careless.callHelixNeverValidating({ issuer: server.url, clientId: app.client_id,
    token: rita.access_token, calls: 2, gapMs: 1200 });
  // Rule 2: the token is revoked (as Twitch may at any time) and it keeps sending it.
  await read(postForm(`${server.url}/oauth2/revoke`, { client_id: app.client_id, token: rita.refresh_token }));
  const statuses = await careless.retryDeadToken({ issuer: server.url, clientId: app.client_id,
    token: rita.access_token, tries: 4 });
  assert.deepEqual(statuses, [401, 401, 401, 401]);
  // Rule 5: a token in a URL.
  const sam = await userTokens(server, app, 'sam_r');
  // Recorded, and answered exactly as Twitch answers it: no Authorization header.
  const byUrl = await careless.validateByUrl({ issuer: server.url, token: sam.access_token });
  assert.equal(byUrl.status, 401);
  const said = await byUrl.json();
  assert.equal(said.status, 401);
  assert.equal(said.message, 'missing authorization token');
  // Rule 7: it sends sam through authorization again instead of refreshing.
  await userTokens(server, app, 'sam_r');
  // Rule 6: its web page sends the client secret from a real browser; an app
  // token from a page.
  const page = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(careless.secretPage({ issuer: server.url, clientId: app.client_id, secret: app.client_secret }));
  });
  await new Promise((r) => page.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${page.address().port}/`);
    await tab.waitForFunction(() => document.title === 'sent');
  } finally {
    await browser.close();
    page.close();
  }
  const appTok = await appToken(server, app);
  await careless.helixWithAppTokenFromPage({ issuer: server.url, clientId: app.client_id,
    appToken: appTok });
  await flushed();

  const a = audit(app.client_id, ['--validate-within', '1']);
  assert.equal(a.status, 1, 'a broken rule is exit 1');
  assert.equal(a.report.broken, true);
  const r1 = a.rule('validate-hourly');
  assert.equal(r1.verdict, 'broken', r1.summary);
  assert.ok(r1.evidence.count >= 1);
  const r2 = a.rule('stop-dead-token');
  assert.equal(r2.verdict, 'broken', r2.summary);
  assert.match(r2.summary, /sent 3 times or more/);
  assert.equal(a.rule('no-token-in-url').verdict, 'broken');
  const r6 = a.rule('no-secret-in-browser');
  assert.equal(r6.verdict, 'broken');
  // The secret from the page and the app token from a page; not the test's
  // own requests, although Node's fetch sends Sec-Fetch-Mode too.
  assert.equal(r6.evidence.count, 2);
  const r7 = a.rule('refresh-not-remint');
  assert.equal(r7.verdict, 'warning');
  assert.ok(r7.advice);
  // Every broken rule's evidence names requests the access log has.
  for (const r of a.report.rules.filter((x) => x.verdict !== 'kept' && x.evidence.count > 0)) {
    assert.ok(server.log.includes(r.evidence.first_request), `${r.id}: ${r.evidence.first_request}`);
    assert.ok(server.log.includes(r.evidence.last_request), `${r.id}: ${r.evidence.last_request}`);
    assert.ok(r.advice, r.id);
  }
  // With Twitch's hour, the same record keeps rule 1.
  assert.equal(audit(app.client_id).rule('validate-hourly').verdict, 'kept');
  // The text report says the same, with what to change.
  const text = cli(['app', 'audit', app.client_id, '--validate-within', '1'], { db });
  assert.equal(text.status, 1);
  assert.match(text.stdout, /BROKEN +After a token stops working/);
  assert.match(text.stdout, /What to change: On a 401/);
  assert.match(text.stdout, /A rule is broken: exit status 1\./);
  // --svg: the console's timeline, in a file.
  const svg = path.join(tempDir('twauth-svg-'), 'timeline.svg');
  const pic = cli(['app', 'audit', app.client_id, '--svg', svg], { db });
  assert.equal(pic.status, 1, pic.stderr);
  const drawn = readFileSync(svg, 'utf8');
  assert.match(drawn, /^(<\?xml[^>]*>\s*)?<svg[\s\S]*<\/svg>\s*$/);
  assert.doesNotMatch(drawn, /<script|style=/);
  assert.ok(drawn.includes(careless.tokenIdOf(rita.access_token)), 'rita\'s token has its bar');
});

test('a public careless app: replaced refresh tokens presented again, device polling too fast', async () => {
  // The device flow, polled as fast as it can.
  const start = await read(postForm(`${server.url}/oauth2/device`, { client_id: pub.client_id, scopes: 'chat:read' }));
  assert.equal(start.status, 200, start.text);
  const answers = await careless.pollDeviceTooFast({ issuer: server.url, clientId: pub.client_id,
    deviceCode: start.json.device_code, polls: 3 });
  assert.ok(answers.includes('slow_down'), answers.join());
  // Another code, approved before its first poll, for the tokens.
  const second = await read(postForm(`${server.url}/oauth2/device`, { client_id: pub.client_id, scopes: 'chat:read' }));
  await activateDevice(server.url, second.json.verification_uri, 'rita_r');
  const tokens = await read(postForm(`${server.url}/oauth2/token`, { client_id: pub.client_id,
    device_code: second.json.device_code, grant_type: 'urn:ietf:params:oauth:grant-type:device_code' }));
  assert.equal(tokens.status, 200, tokens.text);
  // Restarted with the refresh token of its config file, long replaced.
  const stale = await careless.refreshFromStaleConfig({ issuer: server.url, clientId: pub.client_id,
    refreshToken: tokens.json.refresh_token });
  assert.equal(stale.status, 400);
  await flushed();
  const a = audit(pub.client_id);
  assert.equal(a.status, 1);
  const r3 = a.rule('keep-new-refresh-token');
  assert.equal(r3.verdict, 'broken', r3.summary);
  assert.ok(server.log.includes(r3.evidence.first_request));
  const r4 = a.rule('device-interval');
  assert.equal(r4.verdict, 'broken', r4.summary);
  assert.match(r4.summary, /polls came too early/);
});

test('serve --no-audit records nothing', async () => {
  const off = await startServer({ db, args: ['--no-audit'] });
  try {
    const before = audit(quiet.client_id).report;
    await appToken(off, quiet);
    const t = await appToken(off, quiet);
    await fetch(`${off.url}/oauth2/validate?access_token=${t}`);
    await flushed();
    const after = audit(quiet.client_id).report;
    assert.deepEqual(after.rules, before.rules);
    assert.equal(after.tokens, 0);
  } finally { await off.stop(); }
  // The same, recorded: the token shows, and the app token it was counted.
  const seen = await appToken(server, quiet);
  await fetch(`${server.url}/oauth2/validate`, { headers: { Authorization: `OAuth ${seen}` } });
  await flushed();
  const on = audit(quiet.client_id).report;
  assert.equal(on.tokens, 1);
  assert.equal(on.rules.find((r) => r.id === 'no-secret-in-browser').verdict, 'kept');
});

test('several servers on one database add up their records', async () => {
  const other = await startServer({ db });
  try {
    const t = await appToken(server, quiet);
    for (const s of [server, other, other]) {
      const r = await fetch(`${s.url}/oauth2/validate`, { headers: { Authorization: `OAuth ${t}` } });
      assert.equal(r.status, 200);
    }
    await flushed();
    // One row (two only if a minute began between the requests).
    const [n, sum] = sql(db, `SELECT count(*), sum(count) FROM audit WHERE client_id = '${quiet.client_id}' ` +
      `AND kind = 'validated' AND token_id = '${careless.tokenIdOf(t)}'`).split('|');
    assert.equal(sum, '3', 'both servers counted');
    assert.ok(Number(n) <= 2, n);
    const last = sql(db, `SELECT last_request FROM audit WHERE client_id = '${quiet.client_id}' ` +
      `AND kind = 'validated' AND token_id = '${careless.tokenIdOf(t)}' ORDER BY last_at DESC LIMIT 1`);
    assert.ok(other.log.includes(last), 'the last request was the other server\'s');
  } finally { await other.stop(); }
});
