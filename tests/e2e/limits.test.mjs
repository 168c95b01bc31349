// Every named transport limit (src/common/limits.h), crossed on purpose.
// Each answer is Twitch-format JSON, and the server keeps serving afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, createApp, postForm, read, raw, parseRaw, twitchError } from './lib/harness.mjs';

let server;
let app;

before(async () => {
  server = await startServer({ args: ['--body-timeout', '2'] });
  app = createApp(server.db);
});
after(async () => { await server.stop(); });

const tokenUrl = () => `${server.url}/oauth2/token`;
const stillAlive = async () => assert.equal((await read(fetch(`${server.url}/healthz`))).status, 200);

test('body over 64 KiB with Content-Length: 413 before the body is read', async () => {
  const body = 'a='.concat('x'.repeat(64 * 1024));
  twitchError(await read(fetch(tokenUrl(), {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body,
  })), 413, 'request body too large (at most 65536 bytes)');
  await stillAlive();
});

test('body of exactly 64 KiB is read (and then judged on its parameters)', async () => {
  const prefix = `client_id=${app.client_id}&grant_type=client_credentials&client_secret=${app.client_secret}&pad=`;
  const body = prefix + 'p'.repeat(64 * 1024 - prefix.length);
  assert.equal(body.length, 64 * 1024);
  const r = await read(fetch(tokenUrl(), {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body,
  }));
  // 'pad' is longer than 4 KiB, so this is the value limit, not the body limit.
  twitchError(r, 400, "parameter value too long (at most 4096 bytes): 'pad'");
});

test('chunked body over 64 KiB: 413 once it ends; far over: disconnected', async () => {
  const head = `POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`;
  const chunk = (s) => `${s.length.toString(16)}\r\n${s}\r\n`;
  const over = head + chunk('a='.concat('x'.repeat(70 * 1024))) + '0\r\n\r\n';
  const r = parseRaw(await raw(server.port, over, { waitMs: 2000 }));
  assert.equal(r.status, 413);
  assert.deepEqual(r.json, { status: 413, message: 'request body too large (at most 65536 bytes)' });
  const huge = [head, chunk('x'.repeat(400 * 1024))];
  const h = await raw(server.port, huge, { waitMs: 2000 });
  assert.ok(!h.startsWith('HTTP/1.1 200'), 'a huge body is never accepted');
  await stillAlive();
});

test('more than 64 parameters: 400; exactly 64 is fine', async () => {
  const p64 = {};
  for (let i = 0; i < 61; i++) p64[`p${i}`] = 'v';
  Object.assign(p64, { client_id: app.client_id, client_secret: app.client_secret, grant_type: 'client_credentials' });
  assert.equal(Object.keys(p64).length, 64);
  assert.equal((await read(postForm(tokenUrl(), p64))).status, 200);
  twitchError(await read(postForm(tokenUrl(), { ...p64, one_more: '1' })), 400, 'too many parameters (at most 64)');
});

test('a value over 4 KiB or a name over 128 bytes: 400 naming it', async () => {
  twitchError(await read(postForm(tokenUrl(), { client_id: 'x'.repeat(4097) })), 400,
    "parameter value too long (at most 4096 bytes): 'client_id'");
  const r = await read(postForm(tokenUrl(), { ['n'.repeat(129)]: '1' }));
  assert.equal(r.status, 400);
  assert.match(r.json.message, /^parameter name too long \(at most 128 bytes\)/);
});

test('a parameter repeated with different values: 400, in query, body or across both', async () => {
  const msg = "parameter given twice with different values: 'client_id'";
  twitchError(await read(fetch(`${tokenUrl()}?client_id=a&client_id=b`, { method: 'POST' })), 400, msg);
  twitchError(await read(fetch(tokenUrl(), {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'client_id=a&client_id=b',
  })), 400, msg);
  twitchError(await read(postForm(`${tokenUrl()}?client_id=a`, { client_id: 'b' })), 400, msg);
  // The same value twice is harmless.
  const same = await read(postForm(`${tokenUrl()}?client_id=${app.client_id}`, {
    client_id: app.client_id, client_secret: app.client_secret, grant_type: 'client_credentials',
  }));
  assert.equal(same.status, 200, same.text);
});

test('malformed encodings and bodies: 400 or 415 with a message', async () => {
  twitchError(await read(fetch(`${tokenUrl()}?client_id=%zz`, { method: 'POST' })), 400,
    'malformed percent-encoding in parameters');
  twitchError(await read(fetch(`${tokenUrl()}?client_id=a%00b`, { method: 'POST' })), 400,
    'parameters may not contain NUL bytes');
  // Text that is not UTF-8 (it would reach the database through nonce, say).
  twitchError(await read(fetch(`${tokenUrl()}?client_id=x%FFy`, { method: 'POST' })), 400,
    'parameters must be UTF-8 text');
  twitchError(await read(fetch(tokenUrl(), {
    method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=B' }, body: 'no boundary here',
  })), 400, 'malformed multipart/form-data body');
  const r = await read(fetch(tokenUrl(), {
    method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'client_id=x',
  }));
  assert.equal(r.status, 415);
  assert.match(r.json.message, /^unsupported Content-Type/);
});

test('request target over 8 KiB: 414; headers over 8 KiB: 431', async () => {
  twitchError(await read(fetch(`${tokenUrl()}?pad=${'x'.repeat(8 * 1024)}`, { method: 'POST' })), 414,
    'request target too long (at most 8192 bytes)');
  twitchError(await read(fetch(`${server.url}/healthz`, { headers: { 'X-Pad': 'x'.repeat(8 * 1024) } })), 431,
    'request headers too large (at most 8192 bytes)');
  await stillAlive();
});

test('per-connection memory is capped: 200 KiB of headers is refused, not buffered', async () => {
  const lines = Array.from({ length: 50 }, (_, i) => `X-H${i}: ${'y'.repeat(4000)}\r\n`).join('');
  const text = await raw(server.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${lines}\r\n`, { waitMs: 2000 });
  // Past the 32 KiB pool libmicrohttpd answers by itself (its only non-JSON
  // answer, see docs/LIMITS.md) and closes the connection.
  const r = parseRaw(text);
  assert.equal(r.status, 431, text.slice(0, 200));
  assert.match(text, /Connection: close/i);
  await stillAlive();
});

test('idle connections are closed after --idle-timeout, which responses announce', async () => {
  const idle = await startServer({ args: ['--idle-timeout', '1'] });
  try {
    const r = await fetch(`${idle.url}/healthz`, { headers: { Connection: 'close' } });
    assert.equal(r.headers.get('keep-alive'), 'timeout=1');
    await r.text();
    const t0 = Date.now();
    const text = await raw(idle.port, [], { waitMs: 5000 });
    const took = Date.now() - t0;
    assert.equal(text, '');
    assert.ok(took < 4000, `closed after ${took} ms`);
  } finally { await idle.stop(); }
});

test('a body that trickles past --body-timeout is cut off', async () => {
  const head = `POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n`;
  // One byte every 600 ms keeps the connection from idling, but the request
  // as a whole takes longer than 2 s.
  const chunks = [head, ...Array.from({ length: 8 }, () => 'a')];
  const t0 = Date.now();
  const text = await raw(server.port, chunks, { gapMs: 600, waitMs: 3000 });
  assert.ok(!text.startsWith('HTTP/1.1 200'));
  assert.ok(Date.now() - t0 < 9000);
  assert.match(server.log, /body not complete after 2 s; closing/);
  await stillAlive();
});

test('unknown path: 404 JSON; wrong method: 405 with Allow', async () => {
  twitchError(await read(fetch(`${server.url}/oauth2/nope`)), 404, 'Not Found');
  const r = await read(fetch(`${server.url}/oauth2/token`));
  twitchError(r, 405, 'method not allowed');
  assert.equal(r.headers.get('allow'), 'POST');
  const v = await read(fetch(`${server.url}/oauth2/validate`, { method: 'POST' }));
  assert.equal(v.status, 405);
  assert.equal(v.headers.get('allow'), 'GET, HEAD');
});
