// The server as an operator meets it: health, access log, shutdown, what is
// (not) on disk, and clear failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  startServer, createApp, cli, postForm, read, appToken, validate, raw, parseRaw, BIN, tempDir, freshDb, rawDump, containsSecret,
} from './lib/harness.mjs';
import path from 'node:path';
import { existsSync } from 'node:fs';

test('GET /healthz answers {"status":"ok"}; HEAD works too', async () => {
  const s = await startServer();
  try {
    const r = await read(fetch(`${s.url}/healthz`));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { status: 'ok' });
    const h = await fetch(`${s.url}/healthz`, { method: 'HEAD' });
    assert.equal(h.status, 200);
  } finally { await s.stop(); }
});

test('access log: one line per request with method, path, status, micros; no secrets or query', async () => {
  const s = await startServer();
  const app = createApp(s.db);
  try {
    const tok = await appToken(s, app);
    await validate(s, tok);
    await read(fetch(`${s.url}/oauth2/token?client_id=${app.client_id}&client_secret=${app.client_secret}&grant_type=client_credentials`, { method: 'POST' }));
    await read(postForm(`${s.url}/oauth2/revoke`, { client_id: app.client_id, token: tok }));
    await read(fetch(`${s.url}/oauth2/validate`, { headers: { Authorization: `Bearer ${tok}` } }));
  } finally { await s.stop(); }
  const lines = s.log.split('\n').filter((l) => / access /.test(l));
  assert.equal(lines.length, 5, s.log);
  assert.match(lines[0], /access 127\.0\.0\.1 POST \/oauth2\/token 200 \d+us [0-9a-z]{8}-[0-9a-f]+$/);
  assert.match(lines[1], /access 127\.0\.0\.1 GET \/oauth2\/validate 200 \d+us [0-9a-z]{8}-[0-9a-f]+$/);
  assert.match(lines[2], /POST \/oauth2\/token 200 \d+us \S+$/, 'no query string in the log');
  assert.match(lines[4], /GET \/oauth2\/validate 401 \d+us \S+$/);
  assert.ok(!s.log.includes(app.client_secret), 'secret in log');
  assert.ok(!s.log.includes('client_secret'), 'parameter names of the query in log');
  assert.ok(!/[0-9a-z]{30}/.test(s.log.replace(app.client_id, '')), 'a token-shaped string in log');
});

test('request ids: one per request, in the answer and its log lines; a client\'s own is kept if plain', async () => {
  const s = await startServer();
  let a, b, mine, odd;
  try {
    a = await read(fetch(`${s.url}/healthz`));
    b = await read(fetch(`${s.url}/oauth2/validate`, { headers: { Authorization: 'OAuth nope' } }));
    mine = await read(fetch(`${s.url}/healthz`, { headers: { 'X-Request-Id': 'trace-42.a_b:c' } }));
    odd = await read(fetch(`${s.url}/healthz`, { headers: { 'X-Request-Id': 'has spaces and <angle>' } }));
  } finally { await s.stop(); }
  const ida = a.headers.get('x-request-id');
  const idb = b.headers.get('x-request-id');
  assert.match(ida, /^[0-9a-z]{8}-[0-9a-f]+$/);
  assert.notEqual(ida, idb);
  assert.equal(mine.headers.get('x-request-id'), 'trace-42.a_b:c');
  assert.match(odd.headers.get('x-request-id'), /^[0-9a-z]{8}-[0-9a-f]+$/, 'a strange one is replaced');
  assert.match(s.log, new RegExp(`GET /oauth2/validate 401 \\d+us ${idb}$`, 'm'));
  assert.match(s.log, /GET \/healthz 200 \d+us trace-42\.a_b:c$/m);
});

test('--log-format json: every line a JSON object, requests with their id', async () => {
  const s = await startServer({ args: ['--log-format', 'json'] });
  try {
    await read(fetch(`${s.url}/healthz`, { headers: { 'X-Request-Id': 'json-1' } }));
    await read(fetch(`${s.url}/x\u00e9"\\`));
  } finally { await s.stop(); }
  const lines = s.log.trim().split('\n');
  const objs = lines.map((l) => JSON.parse(l));
  assert.ok(objs.some((o) => o.level === 'info' && /listening on/.test(o.msg)));
  const acc = objs.find((o) => o.level === 'access' && o.request_id === 'json-1');
  assert.deepEqual(Object.keys(acc), ['time', 'level', 'addr', 'method', 'path', 'status', 'micros', 'request_id']);
  assert.equal(acc.path, '/healthz');
  assert.equal(acc.status, 200);
  assert.ok(objs.some((o) => o.level === 'access' && o.status === 404), 'the odd path logged as valid JSON');
  const bad = spawnSync(BIN, ['serve', '--log-format', 'xml'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--log-format is 'text' or 'json'/);
});

test('GET /metrics: requests by route and status, tokens by grant, validations, latency', async () => {
  const s = await startServer();
  const app = createApp(s.db);
  try {
    const tok = await appToken(s, app);
    await validate(s, tok);
    await validate(s, 'nope');
    await read(postForm(`${s.url}/oauth2/revoke`, { client_id: app.client_id, token: tok }));
    const m = await read(fetch(`${s.url}/metrics`));
    assert.equal(m.status, 200);
    assert.match(m.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const t = m.text;
    assert.match(t, /^twauth_http_requests_total\{route="\/oauth2\/token",status="200"\} 1$/m);
    assert.match(t, /^twauth_http_requests_total\{route="\/oauth2\/validate",status="401"\} 1$/m);
    assert.match(t, /^twauth_tokens_issued_total\{grant_type="client_credentials"\} 1$/m);
    assert.match(t, /^twauth_validations_total\{result="valid"\} 1$/m);
    assert.match(t, /^twauth_validations_total\{result="invalid"\} 1$/m);
    assert.match(t, /^twauth_revocations_total 1$/m);
    assert.match(t, /^twauth_http_request_duration_seconds_bucket\{le="\+Inf"\} [1-9]\d*$/m);
    assert.match(t, /^twauth_db_statement_duration_seconds_count [1-9]\d*$/m);
    assert.match(t, /^twauth_db_errors_total 0$/m);
    assert.ok(!t.includes(tok) && !t.includes(app.client_secret), 'no secrets');
  } finally { await s.stop(); }
});

test('--metrics-listen: /metrics moves to its own plain-HTTP listener, which answers nothing else', async () => {
  const s = await startServer({ args: ['--metrics-listen', '127.0.0.1:0'] });
  const app = createApp(s.db);
  try {
    const m = s.stdout.match(/^twauth: metrics on (http:\/\/\S+)\/metrics$/m);
    assert.ok(m, s.stdout);
    const ops = m[1];
    assert.notEqual(new URL(ops).port, String(s.port));
    await appToken(s, app);
    const hidden = await read(fetch(`${s.url}/metrics`));
    assert.equal(hidden.status, 404);
    assert.deepEqual(hidden.json, { status: 404, message: 'Not Found' });
    assert.equal((await read(fetch(`${s.url}/metrics`, { method: 'POST' }))).status, 404);
    // A request is counted once its answer is done, a moment after the
    // client has it: read until the two 404s are in (a slow build is slow).
    let r;
    for (let i = 0; i < 40; i++) {
      r = await read(fetch(`${ops}/metrics`));
      if (/^twauth_http_requests_total\{route="none",status="404"\} 2$/m.test(r.text)) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(r.status, 200);
    assert.match(r.text, /^twauth_tokens_issued_total\{grant_type="client_credentials"\} 1$/m);
    assert.match(r.text, /^twauth_http_requests_total\{route="none",status="404"\} 2$/m);
    assert.equal((await read(fetch(`${ops}/healthz`))).status, 200);
    // Nothing of the identity API is reachable there.
    for (const p of ['/oauth2/validate', '/oauth2/keys', '/console', '/nope'])
      assert.equal((await read(fetch(`${ops}${p}`))).status, 404, p);
    const post = await read(fetch(`${ops}/oauth2/token?grant_type=client_credentials&client_id=${app.client_id}&client_secret=${app.client_secret}`, { method: 'POST' }));
    assert.equal(post.status, 404);
    const wrong = await fetch(`${ops}/metrics`, { method: 'POST' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
    await wrong.arrayBuffer();
    assert.match(s.log, /metrics on http:\/\/127\.0\.0\.1:\d+\/metrics \(not on the public listener\)/);
  } finally { await s.stop(); }
});

test('--metrics-listen: a bad or busy address is refused with the flag named', async () => {
  const bad = cli(['serve', '--metrics-listen', 'localhost', '--check-config']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--metrics-listen wants HOST:PORT .* not 'localhost'/);
  const ok = cli(['serve', '--metrics-listen', '[::1]:9100', '--check-config']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^ {2}metrics-listen {7}\[::1\]:9100$/m);
  const s = await startServer();
  try {
    const busy = cli(['serve', '--listen', '127.0.0.1:0', '--metrics-listen', `127.0.0.1:${s.port}`],
      { db: freshDb() });
    assert.equal(busy.status, 1);
    assert.match(busy.stderr, /cannot listen on 127\.0\.0\.1:\d+: Address already in use .*--metrics-listen/);
  } finally { await s.stop(); }
});

test('the purge deletes expired tokens in the background (--purge-interval)', async () => {
  const s = await startServer({ args: ['--purge-interval', '1', '--app-token-ttl', '1'] });
  const app = createApp(s.db);
  try {
    await appToken(s, app);
    await appToken(s, app);
    let m;
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 250));
      m = await read(fetch(`${s.url}/metrics`));
      if (/^twauth_purged_rows_total [2-9]/m.test(m.text)) break;
    }
    assert.match(m.text, /^twauth_purged_rows_total [2-9]\d*$/m);
    // Issued a second apart, the two may expire in different purges.
    assert.match(s.log, /purge: deleted [12] tokens/);
  } finally { await s.stop(); }
});

test('--no-access-log silences request lines only', async () => {
  const s = await startServer({ args: ['--no-access-log'] });
  try { await read(fetch(`${s.url}/healthz`)); } finally { await s.stop(); }
  assert.ok(!/ access /.test(s.log));
  assert.match(s.log, /listening on/);
});

test('tokens and secrets are stored only as digests: the raw db and WAL hold none', async () => {
  const s = await startServer({ db: freshDb() });
  const apps = [createApp(s.db, 'One'), createApp(s.db, 'Two')];
  const reset = cli(['app', 'reset-secret', apps[1].client_id, '--json'], { db: s.db }).json.client_secret;
  const tokens = [];
  for (const a of apps.slice(0, 1)) for (let i = 0; i < 20; i++) tokens.push(await appToken(s, a));
  tokens.push(await appToken(s, { client_id: apps[1].client_id, client_secret: reset }));
  const scan = () => {
    const blob = rawDump(s.db);
    // The client ids are not secret and must be there (proves we read the right files).
    assert.ok(blob.includes(apps[0].client_id), 'client id not found: wrong file?');
    for (const secret of [...apps.map((a) => a.client_secret), reset, ...tokens]) {
      assert.ok(!containsSecret(blob, secret), `secret ${secret.slice(0, 4)}... found in the database`);
    }
  };
  scan();           // while running, with the WAL
  await s.stop();
  scan();           // after the checkpoint at close
});

test('SIGTERM: stops accepting, finishes the request in flight, exits 0', async () => {
  const s = await startServer({ db: freshDb() });
  const app = createApp(s.db);
  const body = `client_id=${app.client_id}&client_secret=${app.client_secret}&grant_type=client_credentials`;
  const head = `POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  // Send the head and half the body, stop the server, then finish the body.
  const pending = raw(s.port, [head + body.slice(0, 10), body.slice(10)], { gapMs: 700, waitMs: 3000 });
  await new Promise((r) => setTimeout(r, 300));
  s.child.kill('SIGTERM');
  const r = parseRaw(await pending);
  assert.equal(r.status, 200, 'the request in flight was finished');
  assert.match(r.json.access_token, /^[0-9a-z]{30}$/);
  await s.stop();
  assert.match(s.log, /received SIGTERM: finishing requests in flight/);
  assert.match(s.log, /stopped/);
  // Nothing lost: the token issued during shutdown validates after a restart.
  const s2 = await startServer({ db: s.db });
  try {
    assert.equal((await validate(s2, r.json.access_token)).status, 200);
    // And no new connections were accepted by the stopped server.
    await assert.rejects(fetch(`http://127.0.0.1:${s.port}/healthz`));
  } finally { await s2.stop(); }
});

test('SIGTERM amid a burst of app tokens waiting for their group commit: every 200 is stored', async () => {
  const s = await startServer({ db: freshDb() });
  const app = createApp(s.db);
  const body = `client_id=${app.client_id}&client_secret=${app.client_secret}&grant_type=client_credentials`;
  const request = `POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
  // One connection each, so that what the server answered is exactly what came back.
  const burst = Array.from({ length: 200 }, () => raw(s.port, request).catch(() => ''));
  // Stop it once it is answering (a slow build may take a while to start).
  await Promise.race(burst.map((p) => p.then((t) => (t ? t : new Promise(() => {})))));
  s.child.kill('SIGTERM');
  const answers = (await Promise.all(burst)).filter((t) => t !== '').map(parseRaw);
  await s.stop();
  // Connections the stopping server had not begun to read are closed unanswered
  // (or refused); every answer it gave is a token.
  assert.ok(answers.length > 0, 'the burst reached the server');
  for (const a of answers) assert.equal(a.status, 200, a.body);
  assert.doesNotMatch(s.log, /left unanswered|still running after/);
  const s2 = await startServer({ db: s.db });
  try {
    for (const a of answers) assert.equal((await validate(s2, a.json.access_token)).status, 200);
  } finally { await s2.stop(); }
});

test('SIGINT stops it cleanly too', async () => {
  const s = await startServer();
  s.child.kill('SIGINT');
  await s.stop();
  assert.match(s.log, /received SIGINT/);
});

test('a port already in use: clear error and exit 1', async () => {
  const s = await startServer();
  try {
    const r = cli(['serve', '--listen', `127.0.0.1:${s.port}`], { db: freshDb() });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot listen on 127\.0\.0\.1:\d+: Address already in use \(is another server running\?/);
  } finally { await s.stop(); }
  // Caught while reading the options, before the database is opened.
  const db = freshDb();
  const bad = spawnSync(BIN, ['serve', '--listen', 'nonsense', '--db', db], { encoding: 'utf8', timeout: 5000 });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--listen wants HOST:PORT .* not 'nonsense'/);
  assert.ok(!existsSync(db), 'no database made');
});

test('keep-alive: many requests on one connection', async () => {
  const s = await startServer();
  try {
    const reqs = Array.from({ length: 20 }, () => 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n').join('');
    const text = await raw(s.port, reqs, { waitMs: 1000 });
    assert.equal(text.match(/HTTP\/1\.1 200/g).length, 20);
  } finally { await s.stop(); }
});
