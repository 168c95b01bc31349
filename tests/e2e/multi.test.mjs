// Several servers on one database, as behind a load balancer: whatever one
// server issues, revokes, redeems, rotates or signs with, the other sees at
// once, and single-use values stay single-use across them.  Runs on SQLite
// (two processes on one file) and on PostgreSQL (tests/run.sh runs both).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, createApp, createUser, cli, postForm, read, validate, twitchError, freshDb,
  appToken, Browser, authorizeUrl, signIn, authorize, activateDevice, BACKEND,
} from './lib/harness.mjs';

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';

let a, b, db, app, tv;

before(async () => {
  db = freshDb();
  app = createApp(db, 'Balanced App');
  tv = createApp(db, 'Balanced TV', ['http://localhost:3000'], ['--public']);
  for (const u of ['ursula', 'victor']) createUser(db, u);
  a = await startServer({ db });
  b = await startServer({ db });
});
after(async () => { await a.stop(); await b.stop(); });

const token = (s, params) => read(postForm(`${s.url}/oauth2/token`, params));

test(`${BACKEND}: a token issued by A validates on B; revoked on B it fails on A at once`, async () => {
  const t = await appToken(a, app);
  assert.equal((await validate(b, t)).status, 200);
  const r = await read(postForm(`${b.url}/oauth2/revoke`, { client_id: app.client_id, token: t }));
  assert.equal(r.status, 200);
  twitchError(await validate(a, t), 401, 'invalid access token');
});

test(`${BACKEND}: 32 parallel redemptions of one code split across A and B: exactly one succeeds`, async () => {
  const br = new Browser(a.url);
  const url = authorizeUrl(app);
  await signIn(br, url, 'ursula');
  const code = (await authorize(br, url)).searchParams.get('code');
  const results = await Promise.all(Array.from({ length: 32 }, (_, i) => token(i % 2 ? a : b, {
    client_id: app.client_id, client_secret: app.client_secret, code,
    grant_type: 'authorization_code', redirect_uri: 'http://localhost:3000',
  })));
  const ok = results.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, results.map((r) => r.status).join(','));
  for (const r of results.filter((x) => x.status !== 200)) {
    twitchError(r, 400, 'Invalid authorization code');
  }
});

test(`${BACKEND}: a device approved through A is redeemed once on B; a rotated-out refresh token retried on B; the answer kept retires the other everywhere`, async () => {
  const d = await read(postForm(`${a.url}/oauth2/device`, { client_id: tv.client_id, scopes: 'chat:read' }));
  assert.equal(d.status, 200, d.text);
  await activateDevice(a.url, d.json.verification_uri, 'victor');
  const polls = await Promise.all([a, b, a, b].map((s) => token(s, {
    client_id: tv.client_id, device_code: d.json.device_code, grant_type: DEVICE,
  })));
  const issued = polls.filter((r) => r.status === 200);
  assert.equal(issued.length, 1, polls.map((r) => `${r.status} ${r.text}`).join('\n'));
  const first = issued[0].json;
  assert.equal((await validate(b, first.access_token)).status, 200);

  const rotated = await token(a, { client_id: tv.client_id, grant_type: 'refresh_token',
    refresh_token: first.refresh_token });
  assert.equal(rotated.status, 200, rotated.text);
  assert.notEqual(rotated.json.refresh_token, first.refresh_token);
  // A's answer was lost; the client retries on B with the token it holds.
  const retried = await token(b, { client_id: tv.client_id, grant_type: 'refresh_token',
    refresh_token: first.refresh_token });
  assert.equal(retried.status, 200, retried.text);
  // The client keeps B's answer and uses it on A: A's answer is retired,
  // its access token on both servers.
  const next = await token(a, { client_id: tv.client_id, grant_type: 'refresh_token',
    refresh_token: retried.json.refresh_token });
  assert.equal(next.status, 200, next.text);
  twitchError(await validate(b, rotated.json.access_token), 401, 'invalid access token');
  assert.equal((await validate(b, next.json.access_token)).status, 200);
  // A's rotated token is retired: presented on A it is a copy, and the whole
  // authorization ends, on both servers.
  twitchError(await token(a, { client_id: tv.client_id, grant_type: 'refresh_token',
    refresh_token: rotated.json.refresh_token }), 400, 'Invalid refresh token');
  twitchError(await validate(b, next.json.access_token), 401, 'invalid access token');
});

test(`${BACKEND}: both servers publish one JWKS, and a rotation by the CLI is seen by both`, async () => {
  const keys = async (s) => (await read(fetch(`${s.url}/oauth2/keys`))).json.keys.map((k) => k.kid);
  const before = await keys(a);
  assert.equal(before.length, 1);
  assert.deepEqual(await keys(b), before);
  const r = cli(['keys', 'rotate', '--json'], { db });
  assert.equal(r.status, 0, r.stderr);
  const after = await keys(a);
  assert.equal(after.length, 2, 'the new key and the retiring one');
  assert.deepEqual(await keys(b), after);
  assert.ok(!before.includes(after[0]), 'the newest key comes first');
});

test(`${BACKEND}: two servers starting together on an empty database migrate it once and make one signing key`, async () => {
  const fresh = freshDb();
  const started = await Promise.allSettled([startServer({ db: fresh }), startServer({ db: fresh })]);
  const up = started.filter((p) => p.status === 'fulfilled').map((p) => p.value);
  if (up.length < 2) {
    for (const s of up) await s.stop();
    assert.fail(started.map((p) => p.reason?.message ?? 'started').join('\n'));
  }
  const [x, y] = up;
  try {
    const keys = async (s) => (await read(fetch(`${s.url}/oauth2/keys`))).json.keys.map((k) => k.kid);
    const kx = await keys(x);
    assert.equal(kx.length, 1, 'one key between them');
    assert.deepEqual(await keys(y), kx);
    const c = createApp(fresh, 'After The Race');
    assert.equal((await validate(y, await appToken(x, c))).status, 200);
  } finally { await x.stop(); await y.stop(); }
});
