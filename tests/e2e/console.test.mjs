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
  // Apps the CLI registered for nobody: how this user adopts one, by their own login.
  assert.match(empty.text, /id="adopt">An app registered with <code>twauth app create<\/code> without <code>--owner<\/code> is in nobody's console/);
  assert.match(empty.text, /<code>twauth app owner CLIENT_ID quinn<\/code>/);
  assert.match(empty.text, /<code>twauth app create \.\.\. --owner quinn<\/code>/);
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
  assert.match(page.text, /id="no-secret">No secret yet/);
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

test('console: the first secret, then a new one after a confirmation that says the old one stops working', async () => {
  const b = await consoleAs('rosa');
  const r = await register(b, { name: 'Rosa Tool', redirect_uris: 'http://localhost:3000',
    category: 'Other', type: 'confidential' });
  const clientId = r.location.match(/client_id=([0-9a-z]{30})/)[1];
  const url = `/console/app?client_id=${clientId}`;
  const page = await b.get(r.location);
  // No secret yet: nothing stops working, this makes the first.
  const first = await b.post(url, { csrf: csrfOf(page.text), action: 'secret' });
  assert.equal(first.status, 200);
  assert.match(first.text, /<h1>Make a client secret\?<\/h1>/);
  assert.match(first.text, /This makes the app&#39;s first client secret/);
  assert.doesNotMatch(first.text, /stops working/);
  const made = await b.post(url, { csrf: csrfOf(first.text), action: 'secret_confirm' });
  assert.equal(made.status, 200);
  assert.equal(made.headers.get('cache-control'), 'no-store');
  assert.doesNotMatch(made.text, /previous secret/);
  const secret = made.text.match(/id="client-secret">([0-9a-z]{30})</)[1];
  assert.equal((await appToken(clientId, secret)).status, 200);
  // The manage page never shows it again; another new secret ends this one.
  const manage = await b.get(url);
  assert.doesNotMatch(manage.text, new RegExp(secret));
  assert.doesNotMatch(manage.text, /No secret yet/);
  const confirm = await b.post(url, { csrf: csrfOf(manage.text), action: 'secret' });
  assert.match(confirm.text, /<h1>Make a new client secret\?<\/h1>/);
  assert.match(confirm.text, /The current secret stops working at once/);
  const again = await b.post(url, { csrf: csrfOf(confirm.text), action: 'secret_confirm' });
  assert.match(again.text, /The previous secret no longer works/);
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

test('console: an app the CLI made without --owner is in nobody\'s console until app owner gives it', async () => {
  const app = createApp(db, 'Ownerless Tool');
  assert.equal(app.owner, null);
  const b = await consoleAs('sven');
  const before = await b.get('/console');
  assert.doesNotMatch(before.text, /Ownerless Tool/);
  assert.match(before.text, /<code>twauth app owner CLIENT_ID sven<\/code>/);
  assert.equal((await b.get(`/console/app?client_id=${app.client_id}`)).status, 404);
  const r = cli(['app', 'owner', app.client_id, 'sven'], { db });
  assert.equal(r.status, 0, r.stderr);
  assert.match((await b.get('/console')).text, /Ownerless Tool/);
  // The CLI showed it a secret: making another warns that it stops working.
  const page = await b.get(`/console/app?client_id=${app.client_id}`);
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /No secret yet/);
  const confirm = await b.post(`/console/app?client_id=${app.client_id}`, { csrf: csrfOf(page.text), action: 'secret' });
  assert.match(confirm.text, /The current secret stops working at once/);
  assert.equal((await appToken(app.client_id, app.client_secret)).status, 200, 'not before the confirmation');
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

test('console: the Twitch rules tab, for the app\'s owner only: the report, its timeline, its periods', async () => {
  const app = createApp(db, 'Rosa <Rules>', ['http://localhost:3000'], ['--owner', 'rosa']);
  const b = await consoleAs('rosa');
  const settings = await b.get(`/console/app?client_id=${app.client_id}`);
  assert.match(settings.text, new RegExp(`<nav class="tabs" aria-label="This app"><a href="/console/app\\?client_id=${app.client_id}" aria-current="page">Settings</a><a href="/console/app/rules\\?client_id=${app.client_id}">Twitch rules</a></nav>`));
  const page = (q = '') => b.get(`/console/app/rules?client_id=${app.client_id}${q}`);
  // Nothing yet: every rule not exercised, and how to start.
  const empty = await page();
  assert.equal(empty.status, 200);
  assert.match(empty.text, /<title>Rosa &lt;Rules&gt; - twauth<\/title>/);
  assert.match(empty.text, /aria-current="page">Twitch rules</);
  assert.match(empty.text, new RegExp(`Nothing is recorded for this app yet\\. Point it at this server \\(issuer <code>${server.url}/oauth2</code>`));
  assert.match(empty.text, />Nothing recorded yet<\/text>/);
  assert.equal(empty.text.match(/<li class="rule idle" id="rule-[a-z-]+">/g).length, 7);
  assert.match(empty.text, /<span class="badge idle">not exercised<\/span><b>A user token in use is validated/);
  assert.match(empty.text, new RegExp(`<code>twauth chaos revoke --app ${app.client_id} --all</code>`));
  assert.match(empty.text, /id="no-token-errors"/);
  // Two pictures, one for a wide card and one for a phone, neither with a style or a script.
  assert.equal(empty.text.match(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="timeline"/g).length, 2);
  assert.match(empty.text, /<figure class="tl-wide"><svg [^>]*viewBox="0 0 950 /);
  assert.match(empty.text, /<figure class="tl-narrow"><svg [^>]*viewBox="0 0 340 /);
  assert.doesNotMatch(empty.text, /<script|style=/);

  // What the app does shows a second later: its token, a bar of the timeline.
  const tok = await appToken(app.client_id, app.client_secret);
  assert.equal((await validate(server, tok.json.access_token)).status, 200);
  await new Promise((r) => setTimeout(r, 1300));
  const seen = await page();
  assert.doesNotMatch(seen.text, /Nothing is recorded/);
  assert.match(seen.text, /id="rules-summary"><span class="badge kept">No rule broken<\/span>/);
  assert.equal(seen.text.match(/<g class="tl-token"><title>app token/g).length, 2);
  assert.match(seen.text, /<li class="rule kept" id="rule-no-secret-in-browser">/);
  assert.match(seen.text, /Showing <b aria-current="true">everything recorded<\/b> &middot; <a href="\/console\/app\/rules\?client_id=[0-9a-z]+&amp;since=1d">the last day<\/a>/);
  const hour = await page('&since=1h');
  assert.match(hour.text, /<b aria-current="true">the last hour<\/b>/);
  assert.equal(hour.text.match(/<g class="tl-token">/g).length, 2);
  // An unknown period is the default one.
  assert.match((await page('&since=forever')).text, /<b aria-current="true">everything recorded<\/b>/);

  // Another user, and an app that does not exist: nothing there for them.
  const sven = await consoleAs('sven');
  const other = await sven.get(`/console/app/rules?client_id=${app.client_id}`);
  assert.equal(other.status, 404);
  assert.doesNotMatch(other.text, /Rosa|tl-token/);
  assert.equal((await b.get('/console/app/rules?client_id=nosuchapp')).status, 404);
  assert.equal((await b.get('/console/app/rules')).status, 404);
  // Signed out: the sign-in form, which comes back to the tab.
  const anon = new Browser(server.url);
  const login = await anon.get(`/console/app/rules?client_id=${app.client_id}`);
  assert.match(login.text, /name="password"/);
  const back = await anon.post(`/console/app/rules?client_id=${app.client_id}`,
    { step: 'login', csrf: csrfOf(login.text), login: 'rosa', password: 'correct horse battery' });
  assert.equal(back.status, 303);
  assert.equal(back.location, `/console/app/rules?client_id=${app.client_id}`);
  assert.equal((await anon.get(back.location)).status, 200);
});
