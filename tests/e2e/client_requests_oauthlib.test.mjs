// requests-oauthlib (Debian's python3-requests-oauthlib 1.3 on oauthlib
// 3.2), unchanged and with its defaults (HTTP Basic client authentication,
// no PKCE), against an oauth2-profile app: client credentials
// (BackendApplicationClient), the code flow with nonce and the id_token
// checked against the JWKS, refresh, and device polling (DeviceClient:
// pending, slow_down, success as oauthlib's errors report them); and once
// against a twitch-profile app.  The library runs in
// tests/e2e/clients/requests_oauthlib_client.py; this file judges.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, createApp, createUser, activateDevice, freshDb } from './lib/harness.mjs';
import { runPython } from './lib/python.mjs';

const SCRIPT = path.join(path.dirname(new URL(import.meta.url).pathname), 'clients', 'requests_oauthlib_client.py');
const REDIRECT = 'http://localhost:8766/callback';
let server, db, rp, twitch;

before(async () => {
  db = freshDb();
  rp = createApp(db, 'requests-oauthlib RP', [REDIRECT], ['--profile', 'oauth2']);
  twitch = createApp(db, 'requests-oauthlib on Twitch', [REDIRECT]);
  createUser(db, 'oauthlibuser', 'correct horse battery', ['--email', 'o@example.test']);
  server = await startServer({ db });
});
after(async () => { await server.stop(); });

const lib = (args, onLine) => runPython(SCRIPT, args, onLine);

test('client credentials (BackendApplicationClient, Basic)', async () => {
  const r = await lib(['client_credentials', server.url, rp.client_id, rp.client_secret]);
  assert.match(r.returned.access_token, /^[0-9a-z]{30}$/, JSON.stringify(r));
});

test('the code flow: nonce, the id_token checked against the JWKS, refresh', async () => {
  const r = await lib(['code_flow', server.url, rp.client_id, rp.client_secret,
    'oauthlibuser', 'correct horse battery', REDIRECT]);
  // oauthlib hands the scope string back as a list.
  assert.deepEqual([...r.scope].sort(), ['openid', 'user:read:email']);
  assert.match(r.sub, /^\d+$/);
  assert.equal(r.state_kept, true);
  assert.ok(r.refreshed.includes('refresh_token') && r.refreshed.includes('access_token'));
  assert.equal(r.new_access, true);
});

test('device polling as oauthlib reports it: authorization_pending, slow_down, then the tokens', async () => {
  const r = await lib(['device_flow', server.url, rp.client_id, rp.client_secret], async (line, child) => {
    if (!line.verification_uri) return;
    await activateDevice(server.url, line.verification_uri, 'oauthlibuser');
    child.stdin.write('go\n');
  });
  assert.equal(r.first.error, 'authorization_pending', JSON.stringify(r.first));
  assert.match(r.done.returned?.access_token ?? '', /^[0-9a-z]{30}$/, JSON.stringify(r.done));
  assert.equal(r.pending.error, 'authorization_pending');
  assert.equal(r.too_fast.error, 'slow_down');
});

test('against a twitch-profile app: oauthlib raises invalid_client with what to do', async () => {
  const r = await lib(['client_credentials', server.url, twitch.client_id, twitch.client_secret]);
  assert.equal(r.error, 'invalid_client', JSON.stringify(r));
  assert.match(r.description, /send them as parameters, or give the app the oauth2 profile/);
});
