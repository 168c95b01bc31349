// The Helix slice of the server: GET /helix/users and /helix/channels with
// api.twitch.tv's Client-Id + Bearer rules, messages and {"data":[...]} shapes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  startServer, createApp, createUser, appToken, userTokens, read, postForm, tempDir, freshDb,
} from './lib/harness.mjs';

let server, db, app, other, users, appTok, userTok;

before(async () => {
  db = freshDb();
  app = createApp(db, 'Helix Reader');
  other = createApp(db, 'Someone Else');
  users = {};
  users.ana = createUser(db, 'ana_helix', 'correct horse battery',
    ['--email', 'ana@example.test', '--email-verified', '--display-name', 'Ana_Helix']);
  users.ben = createUser(db, 'ben_helix', 'correct horse battery', ['--email', 'ben@example.test']);
  server = await startServer({ db });
  appTok = await appToken(server, app);
  userTok = (await userTokens(server, app, 'ana_helix', { scope: 'user:read:email' })).access_token;
});
after(async () => { await server.stop(); });

const helix = (p, headers) => read(fetch(`${server.url}/helix/${p}`, { headers }));
const auth = (token, clientId = app.client_id) => ({ Authorization: `Bearer ${token}`, 'Client-Id': clientId });

function helixError(r, status, message) {
  assert.equal(r.status, status, r.text);
  assert.deepEqual(r.json, { error: status === 401 ? 'Unauthorized' : 'Bad Request', status, message });
}

test('401s say what is wrong, in Twitch words', async () => {
  helixError(await helix('users?login=ana_helix', { 'Client-Id': app.client_id }), 401, 'OAuth token is missing');
  helixError(await helix('users?login=ana_helix', { Authorization: `OAuth ${appTok}`, 'Client-Id': app.client_id }),
    401, 'OAuth token is missing');
  helixError(await helix('users?login=ana_helix', { Authorization: `Bearer ${appTok}` }), 401, 'Client ID is missing');
  helixError(await helix('users?login=ana_helix', auth(appTok, other.client_id)), 401,
    'Client ID and OAuth token do not match');
  helixError(await helix('users?login=ana_helix', auth('x'.repeat(30))), 401, 'Invalid OAuth token');
  const r = await helix('users', { 'Client-Id': app.client_id });
  assert.match(r.headers.get('www-authenticate'), /invalid_token/);
});

test('users by login and id, repeated; unknown ones left out; each user once', async () => {
  const r = await helix(`users?login=ANA_HELIX&login=nobody_here&id=${users.ben.user_id}&id=${users.ana.user_id}&id=abc`,
    auth(appTok));
  assert.equal(r.status, 200, r.text);
  const byLogin = Object.fromEntries(r.json.data.map((u) => [u.login, u]));
  assert.deepEqual(Object.keys(byLogin).sort(), ['ana_helix', 'ben_helix']);
  const ana = byLogin.ana_helix;
  assert.equal(ana.id, users.ana.user_id);
  assert.equal(ana.display_name, 'Ana_Helix');
  assert.match(ana.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  for (const k of ['type', 'broadcaster_type', 'description', 'profile_image_url', 'offline_image_url'])
    assert.equal(typeof ana[k], 'string', k);
  assert.equal(ana.email, undefined, 'an app token sees no email');
});

test('without parameters: the token\'s own user, with email under user:read:email', async () => {
  const r = await helix('users', auth(userTok));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.data.length, 1);
  assert.equal(r.json.data[0].login, 'ana_helix');
  assert.equal(r.json.data[0].email, 'ana@example.test');
  const ben = await helix('users?login=ben_helix', auth(userTok));
  assert.equal(ben.json.data[0].email, undefined, "only one's own email");
  helixError(await helix('users', auth(appTok)), 400, 'Must provide an ID, Login or OAuth Token.');
});

test('at most 100 ids and logins together', async () => {
  const q100 = Array.from({ length: 100 }, (_, i) => `login=user_${i}`).join('&');
  assert.equal((await helix(`users?${q100}`, auth(appTok))).status, 200);
  helixError(await helix(`users?${q100}&id=1`, auth(appTok)), 400,
    'The sum of the id and login parameters must not exceed 100');
  const bad = await helix('users?login=%zz', auth(appTok));
  assert.equal(bad.status, 400);
});

test('channels by broadcaster_id', async () => {
  const r = await helix(`channels?broadcaster_id=${users.ben.user_id}`, auth(appTok));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.data[0], {
    broadcaster_id: users.ben.user_id, broadcaster_login: 'ben_helix', broadcaster_name: 'ben_helix',
    broadcaster_language: 'en', game_id: '', game_name: '', title: '', delay: 0, tags: [],
    content_classification_labels: [], is_branded_content: false,
  });
  helixError(await helix('channels', auth(appTok)), 400, 'Missing required parameter "broadcaster_id"');
});

test('a revoked token stops working on Helix at once', async () => {
  const tok = await appToken(server, app);
  assert.equal((await helix('users?login=ana_helix', auth(tok))).status, 200);
  await read(postForm(`${server.url}/oauth2/revoke`, { client_id: app.client_id, token: tok }));
  helixError(await helix('users?login=ana_helix', auth(tok)), 401, 'Invalid OAuth token');
});
