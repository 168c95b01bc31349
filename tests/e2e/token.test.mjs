// POST /oauth2/token (client_credentials), GET /oauth2/validate and
// POST /oauth2/revoke, every success and error row of docs/TWITCH-COMPAT.md
// that applies to app tokens, in all three ways clients send parameters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  startServer, createApp, cli, postForm, read, appToken, validate, twitchError, tempDir, freshDb,
} from './lib/harness.mjs';
import path from 'node:path';

let server;
let app;
let pub;

before(async () => {
  const db = freshDb();
  app = createApp(db, 'Bench Bot');
  pub = createApp(db, 'Public App', ['http://localhost:3000'], ['--public']);
  server = await startServer({ db });
});
after(async () => { await server.stop(); });

const tokenUrl = () => `${server.url}/oauth2/token`;

test('client credentials: urlencoded body gives Twitch\'s app token shape', async () => {
  const r = await read(postForm(tokenUrl(), {
    client_id: app.client_id, client_secret: app.client_secret, grant_type: 'client_credentials',
  }));
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.deepEqual(Object.keys(r.json).sort(), ['access_token', 'expires_in', 'token_type']);
  assert.match(r.json.access_token, /^[0-9a-z]{30}$/);
  assert.equal(r.json.token_type, 'bearer');
  assert.equal(r.json.expires_in, 60 * 24 * 3600);
  assert.equal(r.json.refresh_token, undefined);
});

test('client credentials: query string with an empty body and no Content-Type (twurple, Twitch CLI)', async () => {
  const q = new URLSearchParams({
    client_id: app.client_id, client_secret: app.client_secret, grant_type: 'client_credentials',
  });
  const r = await read(fetch(`${tokenUrl()}?${q}`, { method: 'POST' }));
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.access_token, /^[0-9a-z]{30}$/);
});

test('client credentials: multipart/form-data body (curl --form)', async () => {
  const fd = new FormData();
  fd.append('client_id', app.client_id);
  fd.append('client_secret', app.client_secret);
  fd.append('grant_type', 'client_credentials');
  const r = await read(fetch(tokenUrl(), { method: 'POST', body: fd }));
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.access_token, /^[0-9a-z]{30}$/);
});

test('client credentials: parameters split between query string and body', async () => {
  const r = await read(postForm(`${tokenUrl()}?client_id=${app.client_id}`, {
    client_secret: app.client_secret, grant_type: 'client_credentials',
  }));
  assert.equal(r.status, 200, r.text);
});

test('the docs\' curl examples, verbatim but for the host', async () => {
  // Client credentials flow example.
  const out = execFileSync('curl', ['-s', '-X', 'POST', tokenUrl(),
    '-H', 'Content-Type: application/x-www-form-urlencoded',
    '-d', `client_id=${app.client_id}&client_secret=${app.client_secret}&grant_type=client_credentials`],
  { encoding: 'utf8' });
  const tok = JSON.parse(out);
  assert.match(tok.access_token, /^[0-9a-z]{30}$/);
  // Validating requests.
  const v = JSON.parse(execFileSync('curl', ['-s', '-H', `Authorization: OAuth ${tok.access_token}`,
    `${server.url}/oauth2/validate`], { encoding: 'utf8' }));
  assert.equal(v.client_id, app.client_id);
  // Revoking access tokens: POST with the parameters in the query string.
  const code = execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST',
    `${server.url}/oauth2/revoke?client_id=${app.client_id}&token=${tok.access_token}`], { encoding: 'utf8' });
  assert.equal(code, '200');
  assert.equal((await validate(server, tok.access_token)).status, 401);
});

test('token errors: every row of the contract for client credentials', async () => {
  const cc = (p) => read(postForm(tokenUrl(), p));
  twitchError(await cc({}), 400, 'missing client id');
  twitchError(await cc({ client_id: '', grant_type: 'client_credentials' }), 400, 'missing client id');
  twitchError(await cc({ client_id: app.client_id, client_secret: app.client_secret }), 400, 'invalid grant type');
  twitchError(await cc({ client_id: app.client_id, client_secret: app.client_secret, grant_type: 'password' }),
    400, 'invalid grant type');
  twitchError(await cc({ client_id: 'nosuchclient00000000000000000', client_secret: 'x', grant_type: 'client_credentials' }),
    400, 'invalid client');
  twitchError(await cc({ client_id: app.client_id, client_secret: 'wrong', grant_type: 'client_credentials' }),
    403, 'invalid client secret');
  twitchError(await cc({ client_id: app.client_id, grant_type: 'client_credentials' }), 400, 'missing client secret');
  twitchError(await cc({ client_id: 'nosuchclient00000000000000000', grant_type: 'client_credentials' }),
    400, 'invalid client');
  // A public app is refused with or without a secret, and told why.
  for (const extra of [{ client_secret: 'anything' }, {}]) {
    const p = await cc({ client_id: pub.client_id, grant_type: 'client_credentials', ...extra });
    assert.equal(p.status, 400);
    assert.match(p.json.message, /^invalid client: public clients cannot use client_credentials/);
  }
});

test('validate: app token body, OAuth and Bearer, counting-down expires_in', async () => {
  const short = await startServer({ args: ['--app-token-ttl', '5'] });
  try {
    const a = createApp(short.db);
    const tok = await appToken(short, a);
    const v1 = await validate(short, tok);
    assert.equal(v1.status, 200);
    assert.deepEqual(v1.json, { client_id: a.client_id, scopes: null, expires_in: v1.json.expires_in });
    assert.ok(v1.json.expires_in <= 5 && v1.json.expires_in >= 4, `expires_in ${v1.json.expires_in}`);
    assert.equal(v1.json.login, undefined);
    assert.equal(v1.json.user_id, undefined);
    await new Promise((r) => setTimeout(r, 2100));
    const v2 = await validate(short, tok, 'Bearer');
    assert.equal(v2.status, 200);
    assert.ok(v2.json.expires_in < v1.json.expires_in, 'expires_in counts down');
    await new Promise((r) => setTimeout(r, 3500));
    twitchError(await validate(short, tok), 401, 'invalid access token');
  } finally {
    await short.stop();
  }
});

test('validate: missing, empty, unknown and odd Authorization headers', async () => {
  const url = `${server.url}/oauth2/validate`;
  twitchError(await read(fetch(url)), 401, 'missing authorization token');
  twitchError(await read(fetch(url, { headers: { Authorization: 'OAuth ' } })), 401, 'missing authorization token');
  twitchError(await read(fetch(url, { headers: { Authorization: 'OAuth nosuchtoken00000000000000000' } })),
    401, 'invalid access token');
  twitchError(await read(fetch(url, { headers: { Authorization: 'Basic dXNlcjpwYXNz' } })), 401, 'invalid access token');
  twitchError(await read(fetch(url, { headers: { Authorization: `OAuth ${'x'.repeat(600)}` } })), 401, 'invalid access token');
  const tok = await appToken(server, app);
  const lower = await read(fetch(url, { headers: { Authorization: `oauth    ${tok}` } }));
  assert.equal(lower.status, 200, 'scheme is case-insensitive, spaces tolerated');
});

test('revoke: 200 empty for good and unknown tokens; owner only; 400 reminders', async () => {
  const url = `${server.url}/oauth2/revoke`;
  const tok = await appToken(server, app);
  // Another client cannot revoke it: 200 (nothing to act on) and it still validates.
  let r = await read(postForm(url, { client_id: pub.client_id, token: tok }));
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
  assert.equal((await validate(server, tok)).status, 200);
  // The owner can, and it fails validation at once.
  r = await read(postForm(url, { client_id: app.client_id, token: tok }));
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
  twitchError(await validate(server, tok), 401, 'invalid access token');
  // Revoking again, or a token that never existed: still 200, empty.
  r = await read(postForm(url, { client_id: app.client_id, token: tok }));
  assert.equal(r.status, 200);
  r = await read(postForm(url, { client_id: app.client_id, token: 'prau3ol6mg5glgek8m89ec2s9q5i3i' }));
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
  // Malformed requests.
  twitchError(await read(postForm(url, { token: tok })), 400, 'missing client id');
  twitchError(await read(postForm(url, { client_id: app.client_id })), 400, 'missing oauth token');
  twitchError(await read(postForm(url, { client_id: 'nosuchclient00000000000000000', token: tok })), 400, 'invalid client');
  // Multipart works here too.
  const tok2 = await appToken(server, app);
  const fd = new FormData();
  fd.append('client_id', app.client_id);
  fd.append('token', tok2);
  r = await read(fetch(url, { method: 'POST', body: fd }));
  assert.equal(r.status, 200);
  assert.equal((await validate(server, tok2)).status, 401);
});

test('app changes reach a running server at once: reset-secret and delete', async () => {
  const a = createApp(server.db, 'Short Lived');
  const tok = await appToken(server, a);
  const reset = cli(['app', 'reset-secret', a.client_id, '--json'], { db: server.db });
  assert.equal(reset.status, 0, reset.stderr);
  assert.match(reset.json.client_secret, /^[0-9a-z]{30}$/);
  twitchError(await read(postForm(tokenUrl(), {
    client_id: a.client_id, client_secret: a.client_secret, grant_type: 'client_credentials',
  })), 403, 'invalid client secret');
  const tok2 = await appToken(server, { client_id: a.client_id, client_secret: reset.json.client_secret });
  // Old tokens survive a secret reset; deleting the app kills them all.
  assert.equal((await validate(server, tok)).status, 200);
  const del = cli(['app', 'delete', a.client_id], { db: server.db });
  assert.equal(del.status, 0, del.stderr);
  twitchError(await validate(server, tok), 401, 'invalid access token');
  twitchError(await validate(server, tok2), 401, 'invalid access token');
  twitchError(await read(postForm(tokenUrl(), {
    client_id: a.client_id, client_secret: reset.json.client_secret, grant_type: 'client_credentials',
  })), 400, 'invalid client');
});

test('many parallel token requests all succeed and all validate', async () => {
  const toks = await Promise.all(Array.from({ length: 64 }, () => appToken(server, app)));
  assert.equal(new Set(toks).size, 64);
  const vs = await Promise.all(toks.map((t) => validate(server, t)));
  assert.ok(vs.every((v) => v.status === 200));
});
