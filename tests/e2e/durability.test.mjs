// kill -9 under load: parallel clients issue app tokens, exchange codes and
// rotate refresh tokens while the server is killed mid-run, several times
// in a row on one database.  After each restart, everything a client was
// told (a 200 it received) still holds: every such access token validates,
// every refresh token a client holds still refreshes (including one whose
// rotation was committed but whose answer never arrived: the refresh
// clients also hang up on purpose), and the database checks clean.  Runs on SQLite and PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  startServer, createApp, createUser, cli, postForm, read, validate, freshDb, Browser,
  authorizeUrl, signIn, authorize, activateDevice, BACKEND,
} from './lib/harness.mjs';

const ROUNDS = Number(process.env.TWAUTH_DURABILITY_ROUNDS || 3);
const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';

const tokenPost = (server, params) => read(postForm(`${server.url}/oauth2/token`, params));

// n fresh codes for app, from one signed-in browser that consented once.
async function codes(server, app, login, n) {
  const b = new Browser(server.url);
  const url = authorizeUrl(app);
  await signIn(b, url, login);
  const out = [];
  for (let i = 0; i < n; i++) out.push((await authorize(b, url)).searchParams.get('code'));
  return out;
}

// A public app's grant through the device flow: its first refresh token.
async function deviceGrant(server, tv, login) {
  const d = await read(postForm(`${server.url}/oauth2/device`, { client_id: tv.client_id, scopes: 'chat:read' }));
  assert.equal(d.status, 200, d.text);
  await activateDevice(server.url, d.json.verification_uri, login);
  const r = await tokenPost(server, { client_id: tv.client_id, device_code: d.json.device_code, grant_type: DEVICE });
  assert.equal(r.status, 200, r.text);
  return r.json.refresh_token;
}

// Sends a refresh and hangs up without reading the answer: the server
// rotates the token, the client never learns the new one.  It hangs up when
// the answer starts to arrive (the rotation is committed by then), not at
// once: a request still queued in the server when the client's next
// refreshes, with the token's first replacement, had already been answered
// would be a copy of a rotated-out token, and end the grant (see
// src/store/store_refresh.c).
function refreshAndHangUp(server, tv, refreshToken) {
  const body = new URLSearchParams({ client_id: tv.client_id, grant_type: 'refresh_token',
    refresh_token: refreshToken }).toString();
  return new Promise((resolve) => {
    const sock = net.connect(server.port, '127.0.0.1', () => {
      sock.write(`POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ` +
        `application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
    sock.once('data', () => sock.destroy());
    sock.on('close', () => resolve());
    sock.on('error', () => resolve());
  });
}

// Calls fn until the server dies; a 200 is recorded by fn, anything else
// than a network error is a failure of the test.
async function until(dead, fn) {
  while (!dead.now) {
    try { await fn(); } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      return;	// the connection died with the server
    }
  }
}

test(`${BACKEND}: ${ROUNDS} rounds of kill -9 under load lose nothing that was answered`, { timeout: 300000 }, async () => {
  const db = freshDb();
  const app = createApp(db, 'Durable');
  const tv = createApp(db, 'Durable TV', ['http://localhost:3000'], ['--public']);
  for (const u of ['dora', 'danny']) createUser(db, u);

  const appTokens = [];		// every app token a client received
  const userTokens = [];		// { access, refresh } from code exchanges
  const held = [];		// a public client's current refresh token, per grant

  let server = await startServer({ db });
  for (let g = 0; g < 4; g++) held.push(await deviceGrant(server, tv, 'danny'));

  for (let round = 1; round <= ROUNDS; round++) {
    const fresh = await codes(server, app, 'dora', 24);
    const dead = { now: false };
    const workers = [];
    for (let w = 0; w < 6; w++) {
      workers.push(until(dead, async () => {
        const r = await tokenPost(server, { client_id: app.client_id, client_secret: app.client_secret,
          grant_type: 'client_credentials' });
        assert.equal(r.status, 200, r.text);
        appTokens.push(r.json.access_token);
      }));
    }
    workers.push(until(dead, async () => {
      const code = fresh.pop();
      if (code === undefined) { await new Promise((r) => setTimeout(r, 5)); return; }
      const r = await tokenPost(server, { client_id: app.client_id, client_secret: app.client_secret,
        grant_type: 'authorization_code', code, redirect_uri: app.redirect_uris[0] });
      assert.equal(r.status, 200, r.text);
      userTokens.push({ access: r.json.access_token, refresh: r.json.refresh_token });
    }));
    for (let g = 0; g < held.length; g++) {
      let n = 0;
      workers.push(until(dead, async () => {
        if (++n % 3 === 0) { await refreshAndHangUp(server, tv, held[g]); return; }
        const r = await tokenPost(server, { client_id: tv.client_id, grant_type: 'refresh_token',
          refresh_token: held[g] });
        assert.equal(r.status, 200, `round ${round}, grant ${g}: ${r.text}`);
        held[g] = r.json.refresh_token;
      }));
    }

    const issuedBefore = appTokens.length;
    await new Promise((r) => setTimeout(r, 300 + 100 * round));
    server.child.kill('SIGKILL');
    const { signal } = await server.exited;
    assert.equal(signal, 'SIGKILL');
    dead.now = true;
    const failed = (await Promise.allSettled(workers)).find((w) => w.status === 'rejected');
    if (failed) throw failed.reason;
    assert.ok(appTokens.length > issuedBefore, `round ${round}: the load was running`);

    server = await startServer({ db });
    for (const t of appTokens)
      assert.equal((await validate(server, t)).status, 200, `round ${round}: app token lost`);
    for (const t of userTokens)
      assert.equal((await validate(server, t.access)).status, 200, `round ${round}: user token lost`);
    const check = cli(['db', 'check'], { db });
    assert.equal(check.status, 0, `round ${round}: ${check.stdout}${check.stderr}`);
  }

  // Every refresh token a client holds still works, after all the kills.
  for (let g = 0; g < held.length; g++) {
    const r = await tokenPost(server, { client_id: tv.client_id, grant_type: 'refresh_token', refresh_token: held[g] });
    assert.equal(r.status, 200, `grant ${g}: ${r.text}`);
  }
  for (const t of userTokens) {
    const r = await tokenPost(server, { client_id: app.client_id, client_secret: app.client_secret,
      grant_type: 'refresh_token', refresh_token: t.refresh });
    assert.equal(r.status, 200, r.text);
  }
  assert.ok(userTokens.length >= 1, 'some codes were exchanged');
  await server.stop();
});
