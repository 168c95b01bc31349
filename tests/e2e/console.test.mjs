// The developer console over HTTP, forms submitted as a browser would:
// registering, validation next to each field, a new secret (with its
// confirmation), redirect URLs, deletion, ownership, CSRF.  The same in a
// real browser is in console_browser.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, createApp, createUser, cli, Browser, csrfOf, signIn, read, postForm, validate,
  twitchError, freshDb,
} from './lib/harness.mjs';

let server, db;

before(async () => {
  db = freshDb();
  for (const u of ['quinn', 'rosa', 'sven']) createUser(db, u);
  server = await startServer({ db });
});
after(async () => { await server.stop(); });

const apps = () => cli(['app', 'list', '--json'], { db }).json;

async function consoleAs(login) {
  const b = new Browser(server.url);
  await signIn(b, '/console', login);
  return b;
}

async function register(b, fields) {
  const form = await b.get('/console/new');
  assert.equal(form.status, 200);
  return b.post('/console/new', { csrf: csrfOf(form.text), step: 'register', ...fields });
}

const appToken = (clientId, secret) => read(postForm(`${server.url}/oauth2/token`, {
  client_id: clientId, client_secret: secret, grant_type: 'client_credentials' }));

test('console: sign in, register an app, it is yours and has no secret until you make one', async () => {
  const anon = new Browser(server.url);
  const login = await anon.get('/console');
  assert.equal(login.status, 200);
  assert.match(login.text, /name="password"/, 'the console asks to sign in');

  const b = await consoleAs('quinn');
  const empty = await b.get('/console');
  assert.match(empty.text, /You have no apps yet/);
  assert.match(empty.text, /Register your application/);
  const r = await register(b, { name: 'Quinn Bot', redirect_uris: 'http://localhost:3000\r\n  https://bot.example/cb \r\n\r\n',
    category: 'Chat Bot', type: 'confidential' });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  const m = r.location.match(/^\/console\/app\?client_id=([0-9a-z]{30})&created=1$/);
  assert.ok(m, r.location);
  const page = await b.get(r.location);
  assert.equal(page.status, 200);
  assert.match(page.text, /Registered\. Make a client secret below/);
  assert.match(page.text, new RegExp(`id="client-id">${m[1]}<`));
  assert.match(page.text, /http:\/\/localhost:3000\nhttps:\/\/bot.example\/cb\n<\/textarea>/);
  assert.match(page.text, /New secret/);
  assert.doesNotMatch(page.text, /id="client-secret"/);
  const shown = cli(['app', 'show', m[1], '--json'], { db }).json;
  assert.equal(shown.owner, 'quinn');
  assert.equal(shown.category, 'Chat Bot');
  assert.equal(shown.type, 'confidential');
  assert.deepEqual(shown.redirect_uris, ['http://localhost:3000', 'https://bot.example/cb']);
  const list = await b.get('/console');
  assert.match(list.text, /Quinn Bot/);
  assert.match(list.text, new RegExp(`href="/console/app\\?client_id=${m[1]}"`));
});

test('console: bad input is answered next to each field, and nothing is registered', async () => {
  const b = await consoleAs('quinn');
  const before = apps().length;
  const r = await register(b, { name: '   ', redirect_uris: 'http://localhost:3000\nlocalhost:3000',
    category: 'Chatbot' });
  assert.equal(r.status, 400);
  assert.match(r.text, /Nothing was registered/);
  assert.match(r.text, /id="name-error">Give the app a name/);
  assert.match(r.text, /id="uris-error">Line 2 is not an absolute http/);
  assert.match(r.text, /id="category-error">Choose one of the categories/);
  assert.match(r.text, /id="type-error">Choose confidential or public/);
  assert.match(r.text, /http:\/\/localhost:3000\nlocalhost:3000<\/textarea>/, 'what was typed is kept');
  const many = await register(b, { name: 'Many', type: 'public', category: 'Other',
    redirect_uris: Array.from({ length: 11 }, (_, i) => `http://localhost:${3000 + i}`).join('\n') });
  assert.equal(many.status, 400);
  assert.match(many.text, /At most 10 redirect URLs/);
  const twice = await register(b, { name: 'Twice', type: 'public', category: 'Other',
    redirect_uris: 'http://a.test\nhttp://a.test' });
  assert.match(twice.text, /The same URL is there twice/);
  assert.equal(apps().length, before, 'nothing registered');
});

test('console: a new secret, after a confirmation that says the old one stops working', async () => {
  const b = await consoleAs('rosa');
  const r = await register(b, { name: 'Rosa Tool', redirect_uris: 'http://localhost:3000',
    category: 'Other', type: 'confidential' });
  const clientId = r.location.match(/client_id=([0-9a-z]{30})/)[1];
  const page = await b.get(r.location);
  const confirm = await b.post(`/console/app?client_id=${clientId}`, { csrf: csrfOf(page.text), action: 'secret' });
  assert.equal(confirm.status, 200);
  assert.match(confirm.text, /The current secret stops working at once/);
  const made = await b.post(`/console/app?client_id=${clientId}`, { csrf: csrfOf(confirm.text), action: 'secret_confirm' });
  assert.equal(made.status, 200);
  assert.equal(made.headers.get('cache-control'), 'no-store');
  const secret = made.text.match(/id="client-secret">([0-9a-z]{30})</)[1];
  assert.equal((await appToken(clientId, secret)).status, 200);
  // The manage page never shows it again; another new secret ends this one.
  assert.doesNotMatch((await b.get(`/console/app?client_id=${clientId}`)).text, new RegExp(secret));
  const again = await b.post(`/console/app?client_id=${clientId}`, { csrf: csrfOf(made.text), action: 'secret_confirm' });
  const second = again.text.match(/id="client-secret">([0-9a-z]{30})</)[1];
  assert.notEqual(second, secret);
  twitchError(await appToken(clientId, secret), 403, 'invalid client secret');
  assert.equal((await appToken(clientId, second)).status, 200);
});

test('console: redirect URLs are saved whole, or not at all', async () => {
  const b = await consoleAs('rosa');
  const r = await register(b, { name: 'Rosa Site', redirect_uris: 'http://localhost:3000',
    category: 'Website Integration', type: 'confidential' });
  const clientId = r.location.match(/client_id=([0-9a-z]{30})/)[1];
  const url = `/console/app?client_id=${clientId}`;
  const page = await b.get(url);
  const saved = await b.post(url, { csrf: csrfOf(page.text), action: 'uris',
    redirect_uris: 'https://site.example/auth\nhttp://localhost:4000' });
  assert.equal(saved.status, 303);
  assert.match((await b.get(saved.location)).text, /Saved\./);
  assert.deepEqual(cli(['app', 'show', clientId, '--json'], { db }).json.redirect_uris,
    ['https://site.example/auth', 'http://localhost:4000']);
  const bad = await b.post(url, { csrf: csrfOf(page.text), action: 'uris',
    redirect_uris: 'https://site.example/auth\nhttps://site.example/#frag' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /Nothing was saved/);
  assert.match(bad.text, /Line 2 is not an absolute/);
  const none = await b.post(url, { csrf: csrfOf(page.text), action: 'uris', redirect_uris: ' \n ' });
  assert.match(none.text, /Add at least one redirect URL/);
  assert.deepEqual(cli(['app', 'show', clientId, '--json'], { db }).json.redirect_uris,
    ['https://site.example/auth', 'http://localhost:4000'], 'unchanged');
});

test('console: deleting, after a confirmation, ends the app and its tokens', async () => {
  const b = await consoleAs('sven');
  const r = await register(b, { name: 'Sven Bot', redirect_uris: 'http://localhost:3000',
    category: 'Chat Bot', type: 'confidential' });
  const clientId = r.location.match(/client_id=([0-9a-z]{30})/)[1];
  const url = `/console/app?client_id=${clientId}`;
  let page = await b.get(url);
  page = await b.post(url, { csrf: csrfOf(page.text), action: 'secret_confirm' });
  const secret = page.text.match(/id="client-secret">([0-9a-z]{30})</)[1];
  const token = (await appToken(clientId, secret)).json.access_token;
  const confirm = await b.post(url, { csrf: csrfOf(page.text), action: 'delete' });
  assert.match(confirm.text, /every token it holds stops validating/);
  assert.ok(apps().some((a) => a.client_id === clientId), 'not deleted before the confirmation');
  const done = await b.post(url, { csrf: csrfOf(confirm.text), action: 'delete_confirm' });
  assert.equal(done.status, 303);
  assert.equal(done.location, '/console?deleted=1');
  assert.match((await b.get(done.location)).text, /Deleted\. Its tokens no longer work/);
  assert.ok(!apps().some((a) => a.client_id === clientId));
  twitchError(await validate(server, token), 401, 'invalid access token');
});

test('console: another user\'s app is not there for you; forms need their CSRF token', async () => {
  const mine = await consoleAs('quinn');
  const r = await register(mine, { name: 'Quinn Private', redirect_uris: 'http://localhost:3000',
    category: 'Other', type: 'confidential' });
  const clientId = r.location.match(/client_id=([0-9a-z]{30})/)[1];
  const url = `/console/app?client_id=${clientId}`;
  const other = await consoleAs('sven');
  const seen = await other.get(url);
  assert.equal(seen.status, 404);
  assert.doesNotMatch(seen.text, /Quinn Private/);
  const list = await other.get('/console');
  assert.doesNotMatch(list.text, /Quinn Private/);
  const page = await other.get('/console');
  const tried = await other.post(url, { csrf: csrfOf(page.text), action: 'delete_confirm' });
  assert.equal(tried.status, 404);
  // Without the CSRF token nothing happens, even for the owner.
  const forged = await mine.post(url, { action: 'delete_confirm' });
  assert.equal(forged.status, 403);
  assert.ok(apps().some((a) => a.client_id === clientId), 'still there');
  assert.equal((await mine.get('/console/app?client_id=nosuchapp')).status, 404);
});

test('console: public apps have no secret; apps made with --owner show up in the console', async () => {
  const app = createApp(db, 'CLI Made', ['http://localhost:3000'], ['--public', '--owner', 'sven',
    '--category', 'Game Integration']);
  assert.equal(app.owner, 'sven');
  assert.equal(app.category, 'Game Integration');
  const b = await consoleAs('sven');
  assert.match((await b.get('/console')).text, /CLI Made/);
  const page = await b.get(`/console/app?client_id=${app.client_id}`);
  assert.match(page.text, /Public clients have no secret/);
  assert.doesNotMatch(page.text, /New secret/);
  const nope = await b.post(`/console/app?client_id=${app.client_id}`, { csrf: csrfOf(page.text), action: 'secret_confirm' });
  assert.equal(nope.status, 400);
  const bad = cli(['app', 'create', '--name', 'X', '--redirect-uri', 'http://localhost:3000', '--owner', 'nobody_here'], { db });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no user with that login/);
  const badcat = cli(['app', 'create', '--name', 'X', '--redirect-uri', 'http://localhost:3000', '--category', 'Chatbot'], { db });
  assert.equal(badcat.status, 2);
  assert.match(badcat.stderr, /unknown category/);
});
