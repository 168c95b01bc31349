// oidc-agent (Debian's oidc-agent-cli 4.2, unchanged): an account set up with
// the device flow against an oauth2-profile app (oidc-gen prints the link,
// the user approves it at twauth's /activate, oidc-gen's polling gets the
// tokens), then oidc-token hands out access tokens, refreshing on demand;
// and once against a twitch-profile app, where oidc-gen reports twauth's
// reason.  The agent runs in the foreground on a private socket, with its
// configuration in this file's temporary directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  startServer, createApp, createUser, freshDb, tempDir, spawn, activateDevice, validate,
} from './lib/harness.mjs';

let server, db, agent, env;

before(async () => {
  db = freshDb();
  createUser(db, 'agentuser');
  server = await startServer({ db });
  const dir = tempDir('twauth-e2e-oidc-agent-');
  env = { ...process.env, HOME: dir, OIDC_CONFIG_DIR: path.join(dir, 'conf'),
    OIDC_SOCK: path.join(dir, 'agent.sock'), OIDC_ENCRYPTION_PW: 'agent-test-password' };
  agent = spawn('oidc-agent', ['--console', '--socket-path', env.OIDC_SOCK], { env, stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(env.OIDC_SOCK); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(env.OIDC_SOCK), 'oidc-agent did not open its socket');
});
after(async () => {
  agent?.kill('SIGTERM');
  await server.stop();
});

// Runs a command of the agent's; onOut(text so far) sees its output as it comes.
function run(cmd, args, onOut) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
    const take = (d) => { out += d; onOut?.(out); };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

// oidc-gen for app with the device flow; approves the link it prints.
function gen(account, app) {
  let approving = null;
  return run('oidc-gen', ['--manual', `--issuer=${server.url}/oauth2`, `--client-id=${app.client_id}`,
    `--client-secret=${app.client_secret}`, '--flow=device', '--scope=openid chat:read',
    '--pw-env', '--confirm-default', '--prompt=none', '--no-url-call', account], (out) => {
    const m = out.match(/(http:\/\/\S+\/activate\?public=true&device-code=[A-Z]+)/);
    if (m && !approving) approving = activateDevice(server.url, m[1], 'agentuser');
  }).then(async (r) => ({ ...r, approved: approving ? await approving.then(() => true) : false }));
}

test('oidc-gen sets an account up with the device flow; oidc-token gives its access tokens and refreshes', async () => {
  const app = createApp(db, 'oidc-agent', ['http://localhost:4242'], ['--profile', 'oauth2']);
  const g = await gen('twauth-rp', app);
  assert.equal(g.approved, true, g.out);
  assert.equal(g.code, 0, g.out);
  const t = await run('oidc-token', ['twauth-rp']);
  assert.equal(t.code, 0, t.out);
  const token = t.out.trim();
  assert.match(token, /^[0-9a-z]{30}$/, t.out);
  const v = await validate(server, token);
  assert.equal(v.status, 200);
  assert.equal(v.json.login, 'agentuser');
  const f = await run('oidc-token', ['--force-new', 'twauth-rp']);
  assert.equal(f.code, 0, f.out);
  assert.notEqual(f.out.trim(), token, 'a refreshed access token');
  assert.equal((await validate(server, f.out.trim())).status, 200);
});

test('against a twitch-profile app oidc-gen reports twauth\'s reason', async () => {
  const app = createApp(db, 'oidc-agent on Twitch', ['http://localhost:4242']);
  const g = await gen('twauth-twitch', app);
  // It starts the device flow with Basic, as the standard allows.
  assert.notEqual(g.code, 0, g.out);
  assert.equal(g.approved, false);
  assert.match(g.out, /Error: invalid_client: invalid client: Twitch takes client_id and client_secret as parameters, not HTTP Basic; send them as parameters, or give the app the oauth2 profile/);
});
