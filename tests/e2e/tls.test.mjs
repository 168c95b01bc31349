// twauth serve speaking HTTPS itself (--tls-cert, --tls-key), with a
// certificate from a throwaway CA this test makes with openssl: the server
// answers only TLS, hands out https links and Secure cookies, and the
// twauth client trusts that CA through TWAUTH_CA_FILE and nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  startServer, createApp, cli, tempDir, freshDb, BIN,
} from './lib/harness.mjs';

let dir, ca, server, app, db;

function openssl(...args) {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

// A CA, and a certificate it signed for localhost and 127.0.0.1.
function makeCertificates() {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=twauth test CA');
  openssl('req', ...ec, '-keyout', 'key.pem', '-out', 'req.csr', '-subj', '/CN=localhost');
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n'
    + 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'req.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
    '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'ext.cnf');
  openssl('req', '-x509', ...ec, '-keyout', 'other.key', '-out', 'other.pem', '-days', '2',
    '-subj', '/CN=someone else');
}

// GET or POST over https, trusting only our CA.
function request(url, { method = 'GET', body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca, headers: {
      ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}), ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

before(async () => {
  dir = tempDir();
  makeCertificates();
  ca = readFileSync(path.join(dir, 'ca.pem'));
  db = freshDb();
  app = createApp(db, 'TLS App');
  server = await startServer({ db, args: ['--tls-cert', path.join(dir, 'cert.pem'),
    '--tls-key', path.join(dir, 'key.pem')] });
});
after(async () => { await server?.stop(); });

const local = (p) => `https://localhost:${server.port}${p}`;

test('HTTPS: the server answers TLS with its certificate, and plain HTTP gets nothing', async () => {
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const h = await request(local('/healthz'));
  assert.equal(h.status, 200);
  assert.deepEqual(h.json, { status: 'ok' });
  const plain = await new Promise((resolve) => {
    const s = net.connect(server.port, '127.0.0.1', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
    let got = '';
    s.on('data', (d) => { got += d; });
    s.on('close', () => resolve(got));
    s.on('error', () => resolve(got));
    setTimeout(() => s.destroy(), 2000);
  });
  assert.doesNotMatch(plain, /^HTTP\/1\.1 200/, 'no answer in clear');
});

test('HTTPS: tokens, https links in discovery, Secure __Host- cookies', async () => {
  const t = await request(local('/oauth2/token'), { method: 'POST',
    body: `client_id=${app.client_id}&client_secret=${app.client_secret}&grant_type=client_credentials` });
  assert.equal(t.status, 200, t.text);
  const v = await request(local('/oauth2/validate'), { headers: { Authorization: `OAuth ${t.json.access_token}` } });
  assert.equal(v.status, 200);
  const d = await request(local('/oauth2/.well-known/openid-configuration'));
  assert.equal(d.json.issuer, `https://localhost:${server.port}/oauth2`);
  assert.equal(d.json.jwks_uri, `https://localhost:${server.port}/oauth2/keys`);
  const page = await request(local('/console'));
  const cookie = [].concat(page.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-twauth_csrf='));
  assert.ok(cookie, JSON.stringify(page.headers['set-cookie']));
  assert.match(cookie, /; Secure/);
});

test('HTTPS: the twauth client trusts the CA of TWAUTH_CA_FILE, and refuses without it', () => {
  const env = { TWITCH_CLIENT_ID: app.client_id, TWITCH_CLIENT_SECRET: app.client_secret,
    XDG_CONFIG_HOME: tempDir() };
  const ok = cli(['token', '--issuer', local(''), '--no-save'], { env: { ...env,
    TWAUTH_CA_FILE: path.join(dir, 'ca.pem') } });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout.trim(), /^[0-9a-z]{30}$/);
  const refused = cli(['token', '--issuer', local(''), '--no-save'], { env });
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /certificate/i);
});

test('HTTPS: a key that is not the certificate\'s, a missing file, or half the pair is refused before starting', () => {
  const serve = (...args) => spawnSync(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', freshDb(), ...args],
    { encoding: 'utf8', timeout: 10000 });
  let r = serve('--tls-cert', path.join(dir, 'cert.pem'), '--tls-key', path.join(dir, 'other.key'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /is not the key of the certificate/);
  r = serve('--tls-cert', path.join(dir, 'nope.pem'), '--tls-key', path.join(dir, 'key.pem'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot open the certificate .*nope\.pem: No such file/);
  r = serve('--tls-cert', path.join(dir, 'cert.pem'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /needs both --tls-cert and --tls-key/);
  r = serve('--tls-cert', path.join(dir, 'key.pem'), '--tls-key', path.join(dir, 'key.pem'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /holds no PEM certificate/);
});

// One TLS handshake with openssl s_client's flags: whether it got through.
function handshake(flags) {
  const r = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${server.port}`,
    '-servername', 'localhost', '-CAfile', path.join(dir, 'ca.pem'), ...flags],
  { input: '', encoding: 'utf8', timeout: 10000 });
  return /^New, TLSv1\.[0-3], Cipher is (?!\(NONE\))/m.test(r.stdout);
}

test('HTTPS: TLS 1.2 at the least, AEAD ciphers only, and Strict-Transport-Security', async () => {
  assert.ok(handshake(['-tls1_2']), 'TLS 1.2');
  assert.ok(handshake(['-tls1_3']), 'TLS 1.3');
  assert.ok(!handshake(['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0']), 'TLS 1.1 is refused');
  assert.ok(!handshake(['-tls1', '-cipher', 'DEFAULT@SECLEVEL=0']), 'TLS 1.0 is refused');
  assert.ok(!handshake(['-tls1_2', '-cipher', 'AES128-SHA']), 'a CBC suite without forward secrecy is refused');
  const h = await request(local('/healthz'));
  assert.equal(h.headers['strict-transport-security'], 'max-age=31536000');
});

test('HTTPS with --tls-min 1.3: TLS 1.2 is refused', async () => {
  const s = await startServer({ args: ['--tls-cert', path.join(dir, 'cert.pem'),
    '--tls-key', path.join(dir, 'key.pem'), '--tls-min', '1.3'] });
  try {
    const saved = server;
    server = s;
    try {
      assert.ok(handshake(['-tls1_3']));
      assert.ok(!handshake(['-tls1_2']));
    } finally { server = saved; }
  } finally { await s.stop(); }
});
