// The Helix slice of the server: GET /helix/users and /helix/channels with
// api.twitch.tv's Client-Id + Bearer rules, messages and {"data":[...]} shapes,
// and PATCH /helix/channels (Twitch's "Modify Channel Information").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  startServer, createApp, createUser, appToken, userTokens, read, postForm, tempDir, freshDb, cli,
} from './lib/harness.mjs';

let server, db, app, other, users, appTok, userTok, castTokens;

before(async () => {
  db = freshDb();
  app = createApp(db, 'Helix Reader');
  other = createApp(db, 'Someone Else');
  users = {};
  users.ana = createUser(db, 'ana_helix', 'correct horse battery',
    ['--email', 'ana@example.test', '--email-verified', '--display-name', 'Ana_Helix']);
  users.ben = createUser(db, 'ben_helix', 'correct horse battery', ['--email', 'ben@example.test']);
  users.cat = createUser(db, 'cat_helix', 'correct horse battery', ['--display-name', 'Cat_Helix']);
  server = await startServer({ db });
  appTok = await appToken(server, app);
  userTok = (await userTokens(server, app, 'ana_helix', { scope: 'user:read:email' })).access_token;
  castTokens = await userTokens(server, app, 'cat_helix', { scope: 'channel:manage:broadcast' });
});
after(async () => { await server.stop(); });

const helix = (p, headers) => read(fetch(`${server.url}/helix/${p}`, { headers }));
const auth = (token, clientId = app.client_id) => ({ Authorization: `Bearer ${token}`, 'Client-Id': clientId });

function helixError(r, status, message, what = '') {
  assert.equal(r.status, status, `${what}: ${r.text}`);
  assert.deepEqual(r.json, { error: status === 401 ? 'Unauthorized' : 'Bad Request', status, message }, what);
}

// PATCH /helix/channels as the broadcaster cat_helix, unless told otherwise.
function patch(body, { token = castTokens.access_token, query, type = 'application/json', headers } = {}) {
  const h = { ...auth(token) };
  if (type !== null) h['Content-Type'] = type;
  const q = query ?? `broadcaster_id=${users.cat.user_id}`;
  return read(fetch(`${server.url}/helix/channels${q ? `?${q}` : ''}`, {
    method: 'PATCH', headers: { ...h, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }));
}
async function channelOf(user) {
  const r = await helix(`channels?broadcaster_id=${user.user_id}`, auth(appTok));
  assert.equal(r.status, 200, r.text);
  return r.json.data[0];
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

test('PATCH /helix/channels: the broadcaster changes their channel (204), GET shows it', async () => {
  const r = await patch({ title: 'Speedrun practice', game_id: '509658', broadcaster_language: 'de' });
  assert.equal(r.status, 204, r.text);
  assert.equal(r.text, '');
  assert.equal(r.headers.get('content-length'), null, 'no Content-Length in a 204 (RFC 9110 8.6)');
  assert.deepEqual(await channelOf(users.cat), {
    broadcaster_id: users.cat.user_id, broadcaster_login: 'cat_helix', broadcaster_name: 'Cat_Helix',
    broadcaster_language: 'de', game_id: '509658', game_name: 'Just Chatting', title: 'Speedrun practice',
    delay: 0, tags: [], content_classification_labels: [], is_branded_content: false,
  });
  // Only the members sent change; members Twitch does not name are ignored.
  assert.equal((await patch({ title: 'Title two', unknown_member: { x: 1 } })).status, 204);
  let ch = await channelOf(users.cat);
  assert.equal(ch.title, 'Title two');
  assert.equal(ch.game_id, '509658');
  assert.equal(ch.broadcaster_language, 'de');
  // "0" and "" unset the game; "other" is a language.
  assert.equal((await patch({ game_id: '0', broadcaster_language: 'other' })).status, 204);
  ch = await channelOf(users.cat);
  assert.deepEqual([ch.game_id, ch.game_name, ch.broadcaster_language, ch.title], ['', '', 'other', 'Title two']);
  assert.equal((await patch({ game_id: '33214' })).status, 204);
  assert.equal((await channelOf(users.cat)).game_name, 'Fortnite');
  assert.equal((await patch({ game_id: '' })).status, 204);
  assert.equal((await channelOf(users.cat)).game_id, '');
  // At the limits: 140 characters of title (not bytes), 10 tags of 25.
  const title = 'é'.repeat(140);
  assert.equal((await patch({ title }, { type: 'application/json; charset=utf-8' })).status, 204);
  assert.equal((await channelOf(users.cat)).title, title);
  const tags = Array.from({ length: 10 }, (_, i) => `Tag${i}`.padEnd(25, 'x'));
  const labels = [{ id: 'Gambling', is_enabled: false }];
  // Members twauth checks but does not keep: accepted, and nothing else moves.
  const before = await channelOf(users.cat);
  const dropped = await patch({ tags, content_classification_labels: labels, is_branded_content: true });
  assert.equal(dropped.status, 204, dropped.text);
  assert.deepEqual(await channelOf(users.cat), before);
  // Others' channels are untouched; a channel never changed shows a new one's values.
  const ben = await channelOf(users.ben);
  assert.deepEqual([ben.title, ben.game_id, ben.broadcaster_language], ['', '', 'en']);
});

test('PATCH /helix/channels refusals, in Twitch words, change nothing', async () => {
  assert.equal((await patch({ title: 'Kept', game_id: '21779', broadcaster_language: 'fr' })).status, 204);
  const kept = await channelOf(users.cat);
  const anaKept = await channelOf(users.ana);
  const cases = [
    ['no token', [{ title: 'x' }, { headers: { Authorization: '' } }], 401, 'OAuth token is missing'],
    ['an app token', [{ title: 'x' }, { token: appTok }], 401, 'Missing User OAUTH Token'],
    ['no channel:manage:broadcast', [{ title: 'x' }, { token: userTok, query: `broadcaster_id=${users.ana.user_id}` }],
      401, 'Missing scope: channel:manage:broadcast'],
    ['no broadcaster_id', [{ title: 'x' }, { query: '' }], 400, 'Missing required parameter "broadcaster_id"'],
    ['another broadcaster', [{ title: 'x' }, { query: `broadcaster_id=${users.ben.user_id}` }], 401,
      "The ID in broadcaster_id must match the user ID found in the request's OAuth token."],
    ['the own id and another', [{ title: 'x' }, { query: `broadcaster_id=${users.cat.user_id}&broadcaster_id=${users.ben.user_id}` }],
      401, "The ID in broadcaster_id must match the user ID found in the request's OAuth token."],
    ['not an id', [{ title: 'x' }, { query: 'broadcaster_id=cat_helix' }], 401,
      "The ID in broadcaster_id must match the user ID found in the request's OAuth token."],
    ['a form body', ['title=x', { type: 'application/x-www-form-urlencoded' }], 400,
      'Must provide a valid Content-Type header with a request body. Please use application/json'],
    ['no Content-Type', ['{"title":"x"}', { type: null }], 400,
      'Must provide a valid Content-Type header with a request body. Please use application/json'],
    ['application/jsonx', ['{"title":"x"}', { type: 'application/jsonx' }], 400,
      'Must provide a valid Content-Type header with a request body. Please use application/json'],
    ['an empty body', [''], 400, 'Request body was not parsable. Attempted Content-Type: "application/json"'],
    ['bad JSON', ['{"title":"x"'], 400, 'Request body was not parsable. Attempted Content-Type: "application/json"'],
    ['JSON and more', ['{"title":"x"} {}'], 400, 'Request body was not parsable. Attempted Content-Type: "application/json"'],
    ['not an object', ['["title"]'], 400, 'Request body was not parsable. Attempted Content-Type: "application/json"'],
    ['a key twice', ['{"title":"x","title":"y"}'], 400, 'Request body was not parsable. Attempted Content-Type: "application/json"'],
    ['a title not a string', [{ title: 7 }], 400, 'Request body was not parsable. Attempted Content-Type: "application/json"'],
    ['a null title', [{ title: null }], 400, 'Request body was not parsable. Attempted Content-Type: "application/json"'],
    ['an empty object', [{}], 400, 'The request must update at least one property.'],
    ['only unknown members', [{ status: 'x' }], 400, 'The request must update at least one property.'],
    ['an empty title', [{ title: '' }], 400, 'The title field may not contain an empty string.'],
    ['141 characters of title', [{ title: 'é'.repeat(141) }], 400, 'Title exceeds the 140 character limit.'],
    ['an unknown game', [{ game_id: '12345' }], 400, 'The ID in game_id is not valid.'],
    ['a game id not digits', [{ game_id: 'Fortnite' }], 400, 'The ID in game_id is not valid.'],
    ['a language Twitch lacks', [{ broadcaster_language: 'xx' }], 400,
      'The language in broadcaster_language is not one Twitch supports: use its ISO 639-1 code ("en"), or "other"'],
    ['a language in capitals', [{ broadcaster_language: 'EN' }], 400,
      'The language in broadcaster_language is not one Twitch supports: use its ISO 639-1 code ("en"), or "other"'],
    ['a good title with a bad language', [{ title: 'Not kept', broadcaster_language: 'english' }], 400,
      'The language in broadcaster_language is not one Twitch supports: use its ISO 639-1 code ("en"), or "other"'],
    ['a delay (partners only)', [{ title: 'Not kept', delay: 0 }], 400,
      'To update the delay field, the broadcaster must have partner status.'],
    ['a delay not a number', [{ delay: '5' }], 400, 'Request body was not parsable. Attempted Content-Type: "application/json"'],
    ['11 tags', [{ title: 'Not kept', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }], 400,
      'The list in the tags field exceeds the maximum number of tags allowed.'],
    ['a tag of 26', [{ tags: ['x'.repeat(26)] }], 400, 'A tag in the tags field exceeds the maximum length allowed.'],
    ['an empty tag', [{ tags: ['ok', ''] }], 400, 'A tag in the tags field is empty.'],
    ['a tag with a space', [{ tags: ['two words'] }], 400, 'A tag in the tags field contains special characters or spaces.'],
    ['a tag with a dash', [{ tags: ['semi-pro'] }], 400, 'A tag in the tags field contains special characters or spaces.'],
    ['tags not strings', [{ tags: [1] }], 400, 'Request body was not parsable. Attempted Content-Type: "application/json"'],
    ['an unknown label', [{ content_classification_labels: [{ id: 'MatureGame', is_enabled: true }] }], 400,
      'The ID in content_classification_labels is not valid.'],
    ['a label without is_enabled', [{ content_classification_labels: [{ id: 'Gambling' }] }], 400,
      'Request body was not parsable. Attempted Content-Type: "application/json"'],
    ['branded content not a boolean', [{ title: 'Not kept', is_branded_content: 'yes' }], 400,
      'Request body was not parsable. Attempted Content-Type: "application/json"'],
  ];
  for (const [what, args, status, message] of cases) {
    const r = await patch(...args);
    helixError(r, status, message, what);
    if (status === 401) assert.match(r.headers.get('www-authenticate'), /^OAuth realm="TwitchTV"/, what);
    assert.deepEqual(await channelOf(users.cat), kept, `${what}: nothing changed`);
  }
  assert.deepEqual(await channelOf(users.ana), anaKept, 'ana\'s channel untouched');
  const scope = await patch({ title: 'x' }, { token: userTok, query: `broadcaster_id=${users.ana.user_id}` });
  assert.match(scope.headers.get('www-authenticate'), /error="insufficient_scope", scope="channel:manage:broadcast"/);
  const head = await read(fetch(`${server.url}/helix/channels`, { method: 'PUT', headers: auth(appTok) }));
  assert.equal(head.status, 405);
  assert.equal(head.headers.get('allow'), 'GET, HEAD, PATCH');
  assert.match(cli(['serve', '--help']).stdout, /PATCH \/helix\/channels/, 'serve --help names it');
});

test('twauth api patch channels changes the stored token\'s channel', async () => {
  const home = tempDir('twauth-home-');
  mkdirSync(path.join(home, 'twauth'), { mode: 0o700 });
  const now = Math.floor(Date.now() / 1000);
  // What `twauth token --user` would have stored for cat_helix.
  writeFileSync(path.join(home, 'twauth', 'tokens.json'), JSON.stringify({
    version: 1,
    tokens: [{
      issuer: server.url, client_id: app.client_id, login: 'cat_helix', user_id: users.cat.user_id,
      kind: 'user', scopes: ['channel:manage:broadcast'], expires_at: now + 3600, obtained_at: now,
      validated_at: now, access_token: castTokens.access_token, refresh_token: castTokens.refresh_token,
    }],
  }), { mode: 0o600 });
  const env = {
    XDG_CONFIG_HOME: home, TWAUTH_ISSUER: server.url, TWITCH_CLIENT_ID: app.client_id,
    TWITCH_CLIENT_SECRET: app.client_secret, BROWSER: '',
  };
  const ok = cli(['api', 'patch', 'channels', '-q', `broadcaster_id=${users.cat.user_id}`, '-b',
    '{"title":"From the command line","game_id":"27471"}'], { env });
  assert.equal(ok.status, 0, ok.stderr);
  const ch = await channelOf(users.cat);
  assert.deepEqual([ch.title, ch.game_id, ch.game_name], ['From the command line', '27471', 'Minecraft']);
  const bad = cli(['api', 'patch', 'channels', '-q', `broadcaster_id=${users.cat.user_id}`, '-b', '{"title":""}'], { env });
  assert.equal(bad.status, 1, bad.stderr);
  assert.equal(bad.json.message, 'The title field may not contain an empty string.');
  assert.equal((await channelOf(users.cat)).title, 'From the command line');
});
