// End-to-end harness: starts the real `twauth serve` on an ephemeral port
// with a temporary database, runs the real CLI, and talks raw HTTP when a
// test needs bytes that fetch() would not send.
//
// Cleanup: whatever a test file starts through this harness (servers, CLI
// runs, browsers, temporary directories, clusters) is stopped and removed
// after the file's last test, and killed on exit, even when a test failed
// before stopping it: a failure can never leave a server behind to keep
// the file (and the run) waiting.  Tests still stop what they start, to
// check its exit status.
//
// The backend: SQLite files by default; with TWAUTH_TEST_PG_DIR set (the
// directory of a cluster tests/pg.sh started), every fresh database is a
// new PostgreSQL database in that cluster instead, so the same tests run
// on both (tests/run.sh does both).
import { spawn as spawnChild, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after } from 'node:test';

const root = path.resolve(new URL('../../..', import.meta.url).pathname);
export const BIN = process.env.TWAUTH_BIN
  ? path.resolve(process.env.TWAUTH_BIN)
  : path.join(root, process.env.TWAUTH_BUILD || 'build', 'twauth');

const children = new Set();
const dirs = [];
const cleanups = [];

// fn runs, synchronously, when the file's process exits (last registered,
// first run).
export function onCleanup(fn) { cleanups.push(fn); }

// child_process.spawn, with the child killed at exit if still running.
export function spawn(...args) {
  const child = spawnChild(...args);
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

// tests/run.sh runs each file with --test-force-exit: once its tests and
// hooks are done the process exits, whatever a failed test left running,
// and this kills and removes what is left.
function cleanupAtExit() {
  for (const child of children) {
    try { child.kill('SIGKILL'); } catch { /* gone already */ }
  }
  for (const fn of cleanups.splice(0).reverse()) {
    try { fn(); } catch (e) { console.error(`cleanup: ${e.message}`); }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}
process.on('exit', cleanupAtExit);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(1));

// A new private directory, removed after the file's last test.
export function tempDir(prefix = 'twauth-e2e-') {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}


export const PG_DIR = process.env.TWAUTH_TEST_PG_DIR || '';
export const BACKEND = PG_DIR ? 'postgresql' : 'sqlite';
// For test(name, { skip: sqliteOnly }, fn): what only an SQLite file has.
export const sqliteOnly = PG_DIR ? 'about the SQLite file' : false;
const secretDir = PG_DIR ? tempDir('twauth-e2e-secrets-') : '';
let dbCount = 0;

// A new, empty database: an SQLite path, or a PostgreSQL URI.
export function freshDb() {
  if (!PG_DIR) return path.join(tempDir(), 'twauth.db');
  const name = `t${process.pid}_${++dbCount}`;
  const r = spawnSync(path.join(root, 'tests', 'pg.sh'), ['createdb', PG_DIR, name], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// The file that seals a database's signing keys (TWAUTH_SECRET_FILE).
export function secretFileOf(db) {
  if (!db.startsWith('postgres')) return `${db}.secret`;
  return path.join(secretDir, `${new URL(db).pathname.slice(1)}.secret`);
}

// What a server or CLI of db needs in its environment.
function dbEnv(db) {
  return db && db.startsWith('postgres') ? { TWAUTH_SECRET_FILE: secretFileOf(db) } : {};
}

// Everything db holds, as text, to search for what must not be there: the
// SQLite file and its WAL, or a pg_dump (bytea appears hex-encoded there, so
// callers also search for the hex of what they look for: see containsSecret).
export function rawDump(db) {
  if (!db.startsWith('postgres')) {
    const files = [db, `${db}-wal`].filter(existsSync);
    assert.ok(files.length >= 1);
    return Buffer.concat(files.map((f) => readFileSync(f))).toString('latin1');
  }
  const u = new URL(db);
  const bin = path.join(spawnSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1'],
    { encoding: 'utf8' }).stdout.trim(), 'pg_dump');
  const r = spawnSync(bin, ['-h', u.searchParams.get('host'), '-U', 'twauth', u.pathname.slice(1)],
    { encoding: 'latin1', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

// True if dump holds secret in clear, as text or as the hex of its bytes.
export function containsSecret(dump, secret) {
  return dump.includes(secret) || dump.includes(Buffer.from(secret).toString('hex'));
}

// Runs the CLI synchronously.  Returns { status, stdout, stderr, json }.
export function cli(args, { db, input, env } = {}) {
  const full = db ? [...args, '--db', db] : args;
  const r = spawnSync(BIN, full, {
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, ...dbEnv(db), ...env },
  });
  let json;
  try { json = JSON.parse(r.stdout); } catch { json = undefined; }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

// Registers a confidential app and returns { client_id, client_secret, ... }.
export function createApp(db, name = 'Test App', uris = ['http://localhost:3000'], extra = []) {
  const args = ['app', 'create', '--name', name, '--json', ...extra];
  for (const u of uris) args.push('--redirect-uri', u);
  const r = cli(args, { db });
  assert.equal(r.status, 0, r.stderr);
  return r.json;
}

// Sanitizer reports that must fail a run built with SAN=1.
const SANITIZER = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/;

// preExec: bash commands to run first in the server's process (e.g. a
// ulimit), which then becomes the server.
export async function startServer({ db, args = [], env = {}, preExec } = {}) {
  const dbPath = db ?? freshDb();
  const dir = db || PG_DIR ? null : path.dirname(dbPath);
  const argv = ['serve', '--listen', '127.0.0.1:0', '--db', dbPath, ...args];
  const [cmd, cmdArgs] = preExec
    ? ['bash', ['-c', `${preExec}; exec "$0" "$@"`, BIN, ...argv]]
    : [BIN, argv];
  const child = spawn(cmd, cmdArgs, {
    env: { ...process.env, ...dbEnv(dbPath), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const logWaiters = [];
  child.stderr.on('data', (d) => {
    stderr += d;
    for (const w of logWaiters.splice(0)) if (w.re.test(stderr)) w.resolve(); else logWaiters.push(w);
  });
  // 'close', not 'exit': only then has everything the server wrote been read.
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 10000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/listening on (https?:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${stderr}`)); });
  });
  const port = Number(new URL(url).port);
  const server = {
    url, port, db: dbPath, child,
    get log() { return stderr; },
    get stdout() { return stdout; },
    // Resolves once the log matches re: stdout ("listening on") and the
    // log are two pipes, so a line logged before listening may come later.
    waitForLog(re, ms = 10000) {
      if (re.test(stderr)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${re} in the log:\n${stderr}`)), ms);
        logWaiters.push({ re, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    },
    // SIGTERM, then the server must exit 0 with no sanitizer report.
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const { code, signal } = await exited;
      if (dir) rmSync(dir, { recursive: true, force: true });
      assert.doesNotMatch(stderr, SANITIZER, 'sanitizer report in server log');
      assert.equal(signal, null, `server died of ${signal}:\n${stderr.slice(-2000)}`);
      assert.equal(code, 0, `server exit ${code}:\n${stderr.slice(-2000)}`);
    },
    exited,
  };
  return server;
}

// POSTs form parameters the way curl -d does.
export async function postForm(url, params, headers = {}) {
  const body = new URLSearchParams(params).toString();
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

// Reads a fetch response as { status, headers, text, json }.
export async function read(resPromise) {
  const res = await resPromise;
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

export async function appToken(server, app) {
  const r = await read(postForm(`${server.url}/oauth2/token`, {
    client_id: app.client_id, client_secret: app.client_secret, grant_type: 'client_credentials',
  }));
  assert.equal(r.status, 200, r.text);
  return r.json.access_token;
}

export async function validate(server, token, scheme = 'OAuth') {
  return read(fetch(`${server.url}/oauth2/validate`, { headers: { Authorization: `${scheme} ${token}` } }));
}

// Sends raw bytes on a new connection and resolves with everything the server
// sent back before closing (or after `waitMs` of silence).
export function raw(port, chunks, { waitMs = 3000, gapMs = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    let timer;
    const done = () => { clearTimeout(timer); sock.destroy(); resolve(data); };
    const arm = () => { clearTimeout(timer); timer = setTimeout(done, waitMs); };
    sock.on('data', (d) => { data += d; arm(); });
    sock.on('close', done);
    sock.on('error', (e) => (data ? done() : reject(e)));
    sock.on('connect', async () => {
      arm();
      for (const c of [].concat(chunks)) {
        if (sock.destroyed) break;
        sock.write(c);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

// Parses the status and JSON body out of a raw HTTP/1.1 response.
export function parseRaw(text) {
  const m = text.match(/^HTTP\/1\.[01] (\d{3})/);
  const bodyStart = text.indexOf('\r\n\r\n');
  const body = bodyStart >= 0 ? text.slice(bodyStart + 4) : '';
  let json;
  try { json = JSON.parse(body); } catch { json = undefined; }
  return { status: m ? Number(m[1]) : 0, body, json };
}

export function twitchError(r, status, message) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text ?? r.body}`);
  assert.deepEqual(r.json, { status, message });
}

// Creates a user through the CLI; returns its JSON ({user_id, login, ...}).
export function createUser(db, login, password = 'correct horse battery', extra = []) {
  const r = cli(['user', 'create', '--login', login, '--password-stdin', '--json', ...extra],
    { db, input: `${password}\n` });
  assert.equal(r.status, 0, r.stderr);
  return r.json;
}

// A browser without a browser: follows nothing by itself, keeps cookies.
export class Browser {
  constructor(base) { this.base = base; this.cookies = new Map(); }
  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  keep(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (/Max-Age=0/i.test(c)) this.cookies.delete(name); else this.cookies.set(name, value);
    }
  }
  async request(url, { method = 'GET', form, headers = {} } = {}) {
    const full = url.startsWith('http') ? url : this.base + url;
    const init = { method, redirect: 'manual', headers: { Cookie: this.cookieHeader(), ...headers } };
    if (form) {
      init.body = new URLSearchParams(form).toString();
      init.headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(full, init);
    this.keep(res);
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }
  get(url) { return this.request(url); }
  post(url, form) { return this.request(url, { method: 'POST', form }); }
}

// The CSRF token in a page's forms.
export function csrfOf(html) {
  const m = html.match(/name="csrf" value="([0-9a-z]+)"/);
  assert.ok(m, `no csrf field in:\n${html.slice(0, 400)}`);
  return m[1];
}

export function authorizeUrl(app, { responseType = 'code', scope = 'chat:read', state = 'st4te',
  redirectUri = app.redirect_uris[0], extra = {} } = {}) {
  const q = new URLSearchParams({ response_type: responseType, client_id: app.client_id,
    redirect_uri: redirectUri, scope, state, ...extra });
  return `/oauth2/authorize?${q}`;
}

// Signs the browser in through the login form that url shows.
export async function signIn(browser, url, login, password = 'correct horse battery') {
  const page = await browser.get(url);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  assert.match(page.text, /name="password"/);
  const r = await browser.post(url, { step: 'login', csrf: csrfOf(page.text), login, password });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  return r;
}

// Runs authorize to the end (consenting if asked) and returns the redirect.
export async function authorize(browser, url) {
  let r = await browser.get(url);
  if (r.status === 200 && /name="decision"/.test(r.text)) {
    r = await browser.post(url, { csrf: csrfOf(r.text), decision: 'authorize' });
    assert.equal(r.status, 303, r.text.slice(0, 300));
  } else {
    assert.equal(r.status, 302, r.text.slice(0, 300));
  }
  return new URL(r.location);
}

// The whole code flow for a user, returning the token response JSON.
export async function userTokens(server, app, login, opts = {}) {
  const b = new Browser(server.url);
  const url = authorizeUrl(app, opts);
  await signIn(b, url, login);
  const loc = await authorize(b, url);
  const code = loc.searchParams.get('code');
  assert.ok(code, `no code in ${loc}`);
  const r = await read(postForm(`${server.url}/oauth2/token`, {
    client_id: app.client_id, client_secret: app.client_secret, code,
    grant_type: 'authorization_code', redirect_uri: opts.redirectUri ?? app.redirect_uris[0],
  }));
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// Opens a device flow's verification link as `login` in a cookie-keeping
// browser, confirms the prefilled code and decides.  Returns the pages.
export async function activateDevice(base, link, login, decision = 'authorize') {
  const b = new Browser(base);
  const rel = link.slice(new URL(link).origin.length);
  await signIn(b, rel, login);
  const entry = await b.get(rel);
  assert.equal(entry.status, 200);
  const code = new URL(link).searchParams.get('device-code');
  assert.match(entry.text, new RegExp(`name="user_code"[^>]*value="${code}"`), 'code prefilled');
  const consent = await b.post(rel, { csrf: csrfOf(entry.text), step: 'code', user_code: code });
  assert.equal(consent.status, 200, consent.text.slice(0, 400));
  const done = await b.post(rel, { csrf: csrfOf(consent.text), step: 'decide', user_code: code,
    decision });
  assert.equal(done.status, 200, done.text.slice(0, 400));
  return { consent, done, browser: b };
}

// A TCP port nobody listens on right now.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Starts the CLI in the background.  Returns { child, done, stderr(), waitFor(re) }:
// done resolves with { status, stdout, stderr } when it exits.
export function spawnCli(args, { env = {}, input } = {}) {
  const i = args.indexOf('--db');
  const child = spawn(BIN, args, {
    env: { ...process.env, ...dbEnv(i >= 0 ? args[i + 1] : ''), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = [];
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => {
    stderr += d;
    for (const w of waiters.splice(0)) {
      const m = stderr.match(w.re);
      if (m) w.resolve(m); else waiters.push(w);
    }
  });
  if (input !== undefined) child.stdin.end(input); else child.stdin.end();
  const done = new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return {
    child, done,
    stderr: () => stderr,
    waitFor(re, ms = 15000) {
      const m = stderr.match(re);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${re} in:\n${stderr}`)), ms);
        waiters.push({ re, resolve: (x) => { clearTimeout(timer); resolve(x); } });
      });
    },
  };
}

// Runs `twauth token --user --no-browser` with env, the test being the
// browser: signs in as login at the URL it prints, decides, and follows the
// redirect back to its catcher.  The catcher's page, its text, the
// command's result and the authorize URL.
export async function tokenUserFlow(server, env, login, { redirect, args = [], decision = 'authorize' } = {}) {
  const p = spawnCli(['token', '--user', '--no-browser', '--redirect-uri', redirect, ...args], { env });
  const [, url] = await p.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?\S+)/);
  const b = new Browser(server.url);
  const rel = url.slice(server.url.length);
  await signIn(b, rel, login);
  let r = await b.get(rel);
  if (/name="decision"/.test(r.text)) r = await b.post(rel, { csrf: csrfOf(r.text), decision });
  const back = await fetch(r.location, { redirect: 'manual' });
  return { page: back, pageText: await back.text(), result: await p.done, url };
}

// Runs sql on db: the sqlite3 shell, or psql through tests/pg.sh; its output, trimmed.
export function sql(db, text) {
  const r = PG_DIR
    ? spawnSync(path.join(root, 'tests', 'pg.sh'), ['sql', PG_DIR, new URL(db).pathname.slice(1), text], { encoding: 'utf8' })
    : spawnSync('sqlite3', [db, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}
