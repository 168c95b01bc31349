// Limits on failed client authentication at /oauth2/token: per client id
// (wrong secrets answer 429 once over the limit, while the right secret
// keeps working) and per client address (refused outright), with
// Retry-After and Twitch's JSON; behind --trusted-proxy the address is the
// one the proxy names, and X-Forwarded-For from anyone else is ignored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, createApp, postForm, read, twitchError, freshDb, validate,
} from './lib/harness.mjs';

const THROTTLED = 'Too many failed client authentications; wait a moment and try again';
let db, app, other;

before(() => {
  db = freshDb();
  app = createApp(db, 'Limited');
  other = createApp(db, 'Other');
});

const cc = (server, id, secret, headers = {}) => read(postForm(`${server.url}/oauth2/token`, {
  client_id: id, client_secret: secret, grant_type: 'client_credentials',
}, headers));

function throttled(r) {
  twitchError(r, 429, THROTTLED);
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 300, `Retry-After ${r.headers.get('retry-after')}`);
}

test('wrong secrets for one client id: 403 up to --max-client-failures, then 429; the right secret still works', async () => {
  const server = await startServer({ db, args: ['--max-client-failures', '3', '--max-address-failures', '1000'] });
  try {
    for (let i = 0; i < 3; i++) twitchError(await cc(server, app.client_id, 'wrong'), 403, 'invalid client secret');
    throttled(await cc(server, app.client_id, 'wrong'));
    // Also on the other grants that check the secret.
    throttled(await read(postForm(`${server.url}/oauth2/token`, {
      client_id: app.client_id, client_secret: 'wrong', grant_type: 'refresh_token', refresh_token: 'x',
    })));
    // The owner is not locked out, and other apps are untouched.
    const ok = await cc(server, app.client_id, app.client_secret);
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await validate(server, ok.json.access_token)).status, 200);
    assert.equal((await cc(server, other.client_id, other.client_secret)).status, 200);
    twitchError(await cc(server, other.client_id, 'wrong'), 403, 'invalid client secret');
    const metrics = await read(fetch(`${server.url}/metrics`));
    assert.match(metrics.text, /^twauth_rate_limited_total [1-9]/m);
  } finally { await server.stop(); }
});

test('failed client authentications from one address: after --max-address-failures everything from it is refused', async () => {
  const server = await startServer({ db, args: ['--max-address-failures', '4'] });
  try {
    for (let i = 0; i < 4; i++) {
      const r = await cc(server, `nosuchclient${i}`, 'x');
      assert.equal(r.status, 400, r.text);	// invalid client
    }
    throttled(await cc(server, 'nosuchclient9', 'x'));
    throttled(await cc(server, app.client_id, app.client_secret));
    // Without --trusted-proxy a forged X-Forwarded-For changes nothing.
    throttled(await cc(server, app.client_id, app.client_secret, { 'X-Forwarded-For': '198.51.100.1' }));
    // Successes never count: a well-behaved address at full speed is never limited.
  } finally { await server.stop(); }
});

test('behind --trusted-proxy each forwarded client has its own budget, and the log names it', async () => {
  const server = await startServer({ db, args: ['--max-address-failures', '2', '--trusted-proxy', '127.0.0.1'] });
  try {
    const bad = { 'X-Forwarded-For': '198.51.100.7' };
    const good = { 'X-Forwarded-For': '6.6.6.6, 198.51.100.8' };	// the first entry is a client's claim
    for (let i = 0; i < 2; i++) assert.equal((await cc(server, `nosuch${i}`, 'x', bad)).status, 400);
    throttled(await cc(server, app.client_id, app.client_secret, bad));
    assert.equal((await cc(server, app.client_id, app.client_secret, good)).status, 200);
    // The access line is written once the answer is sent: give it a moment.
    for (let i = 0; i < 100 && !/ 198\.51\.100\.8 POST/.test(server.log); i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.match(server.log, / 198\.51\.100\.7 POST \/oauth2\/token 429 /);
    assert.match(server.log, / 198\.51\.100\.8 POST \/oauth2\/token 200 /);
    assert.doesNotMatch(server.log, /6\.6\.6\.6/);
  } finally { await server.stop(); }
});

test('app tokens at full speed from one address are never limited', async () => {
  const server = await startServer({ db, args: ['--max-address-failures', '1', '--max-client-failures', '1'] });
  try {
    const results = await Promise.all(Array.from({ length: 400 }, () => cc(server, app.client_id, app.client_secret)));
    assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
  } finally { await server.stop(); }
});
