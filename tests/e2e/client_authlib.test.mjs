// Authlib (Debian's python3-authlib 1.2), unchanged and with its defaults
// (client_secret_basic, PKCE S256, its own id_token validation against the
// JWKS), against an oauth2-profile app: client credentials, the code flow
// with nonce, refresh, introspection, revocation and device polling
// (pending, slow_down, success, as its OAuthError reports them); and once
// against a twitch-profile app, to show what its user meets there.  The
// library runs in tests/e2e/clients/authlib_client.py; this file judges.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, createApp, createUser, activateDevice, freshDb } from './lib/harness.mjs';
import { runPython } from './lib/python.mjs';

const SCRIPT = path.join(path.dirname(new URL(import.meta.url).pathname), 'clients', 'authlib_client.py');
const REDIRECT = 'http://localhost:8765/callback';
let server, db, rp, twitch;

before(async () => {
  db = freshDb();
  rp = createApp(db, 'Authlib RP', [REDIRECT], ['--profile', 'oauth2']);
  twitch = createApp(db, 'Authlib on Twitch', [REDIRECT]);
  createUser(db, 'authlibuser');
  server = await startServer({ db });
});
after(async () => { await server.stop(); });

const authlib = (args, onLine) => runPython(SCRIPT, args, onLine);

test('client credentials with client_secret_basic', async () => {
  const r = await authlib(['client_credentials', server.url, rp.client_id, rp.client_secret]);
  assert.match(r.returned.access_token, /^[0-9a-z]{30}$/);
  assert.equal(r.returned.token_type, 'bearer');
});

test('the code flow: PKCE S256, nonce, id_token validated by authlib, refresh, introspection, revocation', async () => {
  const r = await authlib(['code_flow', server.url, rp.client_id, rp.client_secret,
    'authlibuser', 'correct horse battery', REDIRECT]);
  assert.equal(r.scope, 'chat:read openid', 'offline_access accepted and dropped');
  assert.equal(r.token_type, 'bearer');
  assert.match(r.sub, /^\d+$/);
  assert.equal(r.refreshed_scope, 'chat:read openid');
  assert.equal(r.introspected.active, true);
  assert.equal(r.introspected.username, 'authlibuser');
  assert.equal(r.revoke_status, 200);
  assert.deepEqual(r.after_revoke, { active: false });
});

test('device polling as authlib reports it: authorization_pending, slow_down, then the tokens', async () => {
  const r = await authlib(['device_flow', server.url, rp.client_id, rp.client_secret], async (line, child) => {
    if (!line.verification_uri) return;
    await activateDevice(server.url, line.verification_uri, 'authlibuser');
    child.stdin.write('go\n');
  });
  assert.deepEqual(r.first, { error: 'authorization_pending', description: 'authorization_pending' });
  assert.match(r.done.returned?.access_token ?? '', /^[0-9a-z]{30}$/, JSON.stringify(r.done));
  assert.equal(r.done.returned.scope, 'chat:read');
  assert.equal(r.pending.error, 'authorization_pending');
  assert.equal(r.too_fast.error, 'slow_down');
});

test('against a twitch-profile app: authlib hears why and what to do, not a token-shaped body', async () => {
  const r = await authlib(['client_credentials', server.url, twitch.client_id, twitch.client_secret]);
  assert.equal(r.error, 'invalid_client');
  assert.match(r.description, /Twitch takes client_id and client_secret as parameters, not HTTP Basic; send them as parameters, or give the app the oauth2 profile/);
});
