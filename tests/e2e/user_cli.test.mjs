// `twauth user ...`: every subcommand, Twitch's login rules, passwords only
// from stdin and only as argon2id hashes, and bad input that exits 2 with the
// database unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, createUser, freshDb, rawDump, containsSecret } from './lib/harness.mjs';

const users = (db) => cli(['user', 'list', '--json'], { db }).json;

test('user create: --json shape, decimal user id, login folded to lowercase', () => {
  const db = freshDb();
  const r = cli(['user', 'create', '--login', 'Alice_99', '--display-name', 'Alice Ninety-Nine',
    '--email', 'alice@example.com', '--email-verified', '--profile-image-url',
    'https://img.example/a.png', '--password-stdin', '--json'], { db, input: 'correct horse battery\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.json.user_id, /^[1-9]\d{8,}$/);
  assert.equal(r.json.login, 'alice_99');
  assert.equal(r.json.display_name, 'Alice Ninety-Nine');
  assert.equal(r.json.email, 'alice@example.com');
  assert.equal(r.json.email_verified, true);
  const b = createUser(db, 'Bob4');
  assert.equal(b.display_name, 'Bob4', 'the display name keeps the case typed');
  assert.ok(BigInt(b.user_id) > BigInt(r.json.user_id));
  const show = cli(['user', 'show', 'ALICE_99', '--json'], { db });
  assert.equal(show.status, 0);
  assert.equal(show.json.user_id, r.json.user_id);
  assert.match(cli(['user', 'list'], { db }).stdout, /alice_99/);
  assert.equal(users(db).length, 2);
});

test('passwords: from stdin only, stored as argon2id, never in clear', () => {
  const db = freshDb();
  const password = 'unusual-pa55phrase-for-grep';
  createUser(db, 'carol', password);
  const raw = rawDump(db);
  assert.ok(!containsSecret(raw, password), 'password in the database');
  assert.match(raw, /\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  const noFlag = cli(['user', 'create', '--login', 'dave'], { db });
  assert.equal(noFlag.status, 2);
  assert.match(noFlag.stderr, /--password-stdin/);
  const unknownFlag = cli(['user', 'create', '--login', 'dave', '--password', 'x'], { db });
  assert.equal(unknownFlag.status, 2);
});

test('bad input: exit 2, a clear message, database unchanged', () => {
  const db = freshDb();
  createUser(db, 'taken_name');
  const before = JSON.stringify(users(db));
  const cases = [
    [['--login', 'abc'], 'correct horse', /login must be 4 to 25/],
    [['--login', 'a'.repeat(26)], 'correct horse', /login must be 4 to 25/],
    [['--login', 'has-dash'], 'correct horse', /letters, digits and underscores/],
    [['--login', 'TAKEN_NAME'], 'correct horse', /that login is taken/],
    [['--login', 'shortpw'], 'short', /password must be 8 to 1024 bytes/],
    [['--login', 'longpw'], 'x'.repeat(1025), /password must be 8 to 1024 bytes/],
    [['--login', 'mailer', '--email', 'not-an-email'], 'correct horse', /email must look like/],
    [['--login', 'pic_user', '--profile-image-url', 'ftp://x/y'], 'correct horse', /profile image URL/],
    [['--login', 'namer', '--display-name', ''], 'correct horse', /display name/],
  ];
  for (const [args, pw, re] of cases) {
    const r = cli(['user', 'create', ...args, '--password-stdin'], { db, input: `${pw}\n` });
    assert.equal(r.status, 2, `${args}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  for (const args of [['show', 'nobody'], ['delete', 'nobody'], ['disconnect', 'nobody', 'x'],
    ['show'], ['frobnicate'], ['list', 'extra']]) {
    const r = cli(['user', ...args], { db });
    assert.equal(r.status, 2, `${args}: ${r.stderr}`);
  }
  const pw = cli(['user', 'passwd', 'taken_name', '--password-stdin'], { db, input: 'short\n' });
  assert.equal(pw.status, 2);
  assert.equal(JSON.stringify(users(db)), before);
});

test('user --help teaches with examples', () => {
  const r = cli(['user', '--help']);
  assert.equal(r.status, 0);
  for (const word of ['create', 'passwd', 'disconnect', 'delete', '--password-stdin', 'Examples']) {
    assert.ok(r.stdout.includes(word), word);
  }
});
