// twauth serve's options from a config file (--config) and TWAUTH_*
// variables, with the command line over the environment over the file,
// errors that name the file and line, and --check-config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cli, tempDir, freePort, freshDb, createApp, read, spawn } from './lib/harness.mjs';

function configFile(text) {
  const f = path.join(tempDir(), 'twauth.conf');
  writeFileSync(f, text);
  return f;
}

// The environment without any TWAUTH_ setting of the test runner's.
const cleanEnv = (extra = {}) => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TWAUTH_')));
  return { ...env, ...extra };
};
const check = (args, env = {}) => cli(['serve', '--check-config', ...args], { env: cleanEnv(env) });
const line = (out, name) => out.split('\n').find((l) => l.trim().startsWith(`${name} `))?.trim().split(/\s+/).slice(1).join(' ');

test('the command line wins over TWAUTH_* which wins over the file', () => {
  const f = configFile(`# twauth
listen = 127.0.0.1:9001
public-url "https://file.example.test"
app-token-ttl 3600
max-client-failures = 7
trusted-proxy = 10.0.0.1
trusted-proxy = 10.0.0.2
mock-api-compat = false
`);
  let r = check(['--config', f]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^The configuration is valid\./);
  assert.equal(line(r.stdout, 'listen'), '127.0.0.1:9001');
  assert.equal(line(r.stdout, 'public-url'), 'https://file.example.test');
  assert.equal(line(r.stdout, 'app-token-ttl'), '3600');
  assert.equal(line(r.stdout, 'max-client-failures'), '7');
  assert.equal(line(r.stdout, 'mock-api-compat'), 'off');
  assert.deepEqual(r.stdout.match(/trusted-proxy +\S+/g), ['trusted-proxy        10.0.0.1', 'trusted-proxy        10.0.0.2']);

  r = check(['--config', f], { TWAUTH_LISTEN: '127.0.0.1:9002', TWAUTH_APP_TOKEN_TTL: '7200',
    TWAUTH_TRUSTED_PROXY: '::1, 192.0.2.1', TWAUTH_MOCK_API_COMPAT: 'true' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(line(r.stdout, 'listen'), '127.0.0.1:9002');
  assert.equal(line(r.stdout, 'app-token-ttl'), '7200');
  assert.equal(line(r.stdout, 'public-url'), 'https://file.example.test');
  assert.equal(line(r.stdout, 'mock-api-compat'), 'on');
  assert.equal(r.stdout.match(/trusted-proxy/g).length, 4);

  r = check(['--config', f, '--listen', '127.0.0.1:9003'], { TWAUTH_LISTEN: '127.0.0.1:9002' });
  assert.equal(line(r.stdout, 'listen'), '127.0.0.1:9003');
  // $TWAUTH_CONFIG names the file when --config does not.
  r = check([], { TWAUTH_CONFIG: f });
  assert.equal(line(r.stdout, 'listen'), '127.0.0.1:9001');
});

test('bad settings: exit 2 naming the file and line or the variable; nothing starts', () => {
  const cases = [
    ['listen = 127.0.0.1:9001\nthreads = lots\n', /--threads wants a whole number from 1 to 64, not 'lots'[\s\S]*that setting is from .*twauth\.conf line 2/],
    ['bogus = 1\n', /twauth\.conf line 1: unknown setting 'bogus'/],
    ['no-access-log = maybe\n', /twauth\.conf line 1: no-access-log is a flag: true or false, not 'maybe'/],
    ['listen =\n', /twauth\.conf line 1: listen needs a value/],
    ['config = other.conf\n', /unknown setting 'config'/],
    ['trusted-proxy = 10.0.0.0/8\n', /--trusted-proxy wants an IPv4 or IPv6 address, not '10\.0\.0\.0\/8'/],
    [`public-url = ${'x'.repeat(5000)}\n`, /twauth\.conf line 1: longer than 4096 bytes/],
  ];
  for (const [text, message] of cases) {
    const r = check(['--config', configFile(text)]);
    assert.equal(r.status, 2, text);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stdout, /valid/);
  }
  let r = check([], { TWAUTH_PURGE_INTERVAL: '0' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--purge-interval wants a whole number from 1 to 86400, not '0'[\s\S]*from \$TWAUTH_PURGE_INTERVAL/);
  r = check(['--config', '/nonexistent/twauth.conf']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot read the config file \/nonexistent\/twauth\.conf: No such file/);
  r = check(['--tls-cert', '/nonexistent.pem', '--tls-key', '/nonexistent.key']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /nonexistent\.pem/);
});

test('--check-config never prints a database password', () => {
  const r = check(['--db', 'postgres://twauth:hunter2secret@db.internal/twauth']);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /hunter2secret/);
  assert.match(r.stdout, /a PostgreSQL URI/);
});

test('a server started from a config file and the environment runs with their settings', async () => {
  const db = freshDb();
  createApp(db, 'Configured');
  const port = await freePort();
  const f = configFile(`listen = 127.0.0.1:${port}\nno-access-log = yes\n`);
  const child = spawn(BIN, ['serve', '--config', f, '--db', db], {
    env: cleanEnv({ TWAUTH_PUBLIC_URL: 'https://env.example.test', ...(db.startsWith('postgres') ? { TWAUTH_SECRET_FILE: path.join(tempDir(), 's') } : {}) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(stderr)), 10000);
      child.stdout.on('data', (d) => { if (/listening on/.test(d)) { clearTimeout(timer); resolve(); } });
    });
    const d = await read(fetch(`http://127.0.0.1:${port}/oauth2/.well-known/openid-configuration`));
    assert.equal(d.status, 200);
    assert.equal(d.json.issuer, 'https://env.example.test/oauth2');
    assert.doesNotMatch(stderr, / access /, 'no-access-log from the file');
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  }
});

test('off loopback, serve wants --public-url rather than take the issuer from Host', async () => {
  for (const listen of ['127.0.0.1:0', '127.1.2.3:0', '[::1]:0', 'localhost:0', '[::ffff:127.0.0.1]:0']) {
    const r = check(['--listen', listen]);
    assert.equal(r.status, 0, `${listen}: ${r.stderr}`);
  }
  for (const listen of ['0.0.0.0:8080', ':8080', '[::]:8080', '192.0.2.1:8080', '[::ffff:10.0.0.1]:8080', 'host.example.test:8080', 'localhost.example.test:8080']) {
    const r = check(['--listen', listen]);
    assert.equal(r.status, 2, listen);
    assert.match(r.stderr, new RegExp(`--listen ${listen.replace(/[[\].]/g, '\\$&')} is not a loopback address: add --public-url`));
    assert.equal(check(['--listen', listen, '--public-url', 'https://id.example.test']).status, 0, listen);
  }
  // Not only --check-config: the server itself refuses, before it opens
  // the database or binds the port.
  const dir = tempDir();
  const db = path.join(dir, 'never.db');
  const port = await freePort();
  const r = cli(['serve', '--listen', `0.0.0.0:${port}`, '--db', db], { env: cleanEnv() });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--public-url/);
  assert.equal(existsSync(db), false);
  // With it, the same address serves, and the issuer is the URL given
  // whatever Host a client sends.
  const child = spawn(BIN, ['serve', '--listen', `0.0.0.0:${port}`, '--db', db, '--public-url', 'https://id.example.test'],
    { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no start')), 10000);
      child.stdout.on('data', (d) => { if (/listening on/.test(d)) { clearTimeout(timer); resolve(); } });
    });
    const d = await read(fetch(`http://127.0.0.1:${port}/oauth2/.well-known/openid-configuration`, { headers: { Host: 'evil.test' } }));
    assert.equal(d.json.issuer, 'https://id.example.test/oauth2');
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
});
