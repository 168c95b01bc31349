// Upgrading a database made by an older twauth: the migrations run at
// start and carry what is in flight across.  The older schema is made by
// taking the newer one back with SQL, so no older build is needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, createApp, createUser, postForm, read, validate, twitchError, activateDevice,
  freshDb, PG_DIR, BACKEND, Browser, authorizeUrl, signIn, authorize, sql,
} from './lib/harness.mjs';

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';


// Takes schema 12 back to 11: no record of what apps did, no channels; then
// 11 back to 10: scope_string again in place of profile.
const DOWN_12 = 'DROP TABLE audit; DROP TABLE channels; ';
const DOWN_11 = DOWN_12 + 'ALTER TABLE apps ADD COLUMN scope_string INTEGER NOT NULL DEFAULT 0; ' +
  "UPDATE apps SET scope_string = CASE WHEN profile = 'oauth2' THEN 1 ELSE 0 END; " +
  'ALTER TABLE apps DROP COLUMN profile; ';
const setVersion = (v) => (PG_DIR ? `UPDATE twauth_schema SET version = ${v}` : `PRAGMA user_version = ${v}`);

test(`${BACKEND}: schema 8 to 9: a rotation whose answer was lost before the upgrade is retired by the retry's answer after it`, async () => {
  const db = freshDb();
  const tv = createApp(db, 'Upgrade TV', ['http://localhost:3000'], ['--public']);
  createUser(db, 'umaupgrade');
  const token = (s, p) => read(postForm(`${s.url}/oauth2/token`, p));
  const refresh = (s, t) => token(s, { client_id: tv.client_id, grant_type: 'refresh_token', refresh_token: t });

  let s = await startServer({ db });
  let first, lost;
  try {
    const d = await read(postForm(`${s.url}/oauth2/device`, { client_id: tv.client_id, scopes: 'chat:read' }));
    await activateDevice(s.url, d.json.verification_uri, 'umaupgrade');
    first = (await token(s, { client_id: tv.client_id, device_code: d.json.device_code, grant_type: DEVICE })).json;
    lost = await refresh(s, first.refresh_token);
    assert.equal(lost.status, 200, lost.text);
  } finally { await s.stop(); }

  // Back to schema 8: the rotation recorded as 8 did (replaced_by), without
  // the columns and index 9 adds.
  const version = setVersion(8);
  sql(db, DOWN_11 + 'UPDATE refresh_tokens SET replaced_by = (SELECT c.hash FROM refresh_tokens c ' +
    'WHERE c.parent = refresh_tokens.hash); DROP INDEX refresh_parent; ' +
    'ALTER TABLE refresh_tokens DROP COLUMN parent; ' +
    'ALTER TABLE refresh_tokens DROP COLUMN access_hash; ' +
    `ALTER TABLE codes DROP COLUMN pkce; ${version};`);
  assert.equal(sql(db, 'SELECT COUNT(*) FROM refresh_tokens WHERE replaced_by IS NOT NULL'), '1');

  s = await startServer({ db });
  try {
    await s.waitForLog(/schema version 12/);
    const retry = await refresh(s, first.refresh_token);
    assert.equal(retry.status, 200, retry.text);
    const next = await refresh(s, retry.json.refresh_token);
    assert.equal(next.status, 200, next.text);
    // The lost answer's token is the retry's sibling, known only from
    // replaced_by: it was retired, so showing it is a copy.
    twitchError(await refresh(s, lost.json.refresh_token), 400, 'Invalid refresh token');
    twitchError(await validate(s, next.json.access_token), 401, 'invalid access token');
  } finally { await s.stop(); }
});

test(`${BACKEND}: schema 9 to 10: a code issued before the upgrade (no PKCE binding) redeems after it without a verifier`, async () => {
  const db = freshDb();
  const app = createApp(db, 'Upgrade Web');
  createUser(db, 'umacode');
  let s = await startServer({ db });
  let code;
  try {
    const b = new Browser(s.url);
    const url = authorizeUrl(app);
    await signIn(b, url, 'umacode');
    code = (await authorize(b, url)).searchParams.get('code');
    assert.ok(code);
  } finally { await s.stop(); }

  sql(db, `${DOWN_11}ALTER TABLE codes DROP COLUMN pkce; ${setVersion(9)};`);
  s = await startServer({ db });
  try {
    await s.waitForLog(/schema version 12/);
    const r = await read(postForm(`${s.url}/oauth2/token`, { client_id: app.client_id,
      client_secret: app.client_secret, code, grant_type: 'authorization_code',
      redirect_uri: 'http://localhost:3000' }));
    assert.equal(r.status, 200, r.text);
  } finally { await s.stop(); }
});

test(`${BACKEND}: schema 10 to 11: an app made with --scope-string gets the oauth2 profile, the others twitch`, async () => {
  const db = freshDb();
  const rp = createApp(db, 'Upgrade RP', ['http://localhost:3000'], ['--scope-string']);
  const plain = createApp(db, 'Upgrade Plain');
  sql(db, `${DOWN_11}${setVersion(10)};`);
  assert.equal(sql(db, `SELECT scope_string FROM apps WHERE client_id = '${rp.client_id}'`), '1');
  const s = await startServer({ db });
  try {
    await s.waitForLog(/schema version 12/);
  } finally { await s.stop(); }
  assert.equal(sql(db, `SELECT profile FROM apps WHERE client_id = '${rp.client_id}'`), 'oauth2');
  assert.equal(sql(db, `SELECT profile FROM apps WHERE client_id = '${plain.client_id}'`), 'twitch');
});

test(`${BACKEND}: schema 11 to 12: an older database gains the record of what apps do, and channels`, async () => {
  const db = freshDb();
  const app = createApp(db, 'Upgrade Record');
  sql(db, `${DOWN_12}${setVersion(11)};`);
  const s = await startServer({ db });
  try {
    await s.waitForLog(/schema version 12/);
    const t = await read(postForm(`${s.url}/oauth2/token`, { client_id: app.client_id,
      client_secret: app.client_secret, grant_type: 'client_credentials' }));
    assert.equal((await validate(s, t.json.access_token)).status, 200);
    await new Promise((r) => setTimeout(r, 1300));	// written once a second
  } finally { await s.stop(); }
  assert.equal(sql(db, `SELECT count(*) FROM audit WHERE client_id = '${app.client_id}' AND kind = 'validated'`), '1');
  assert.equal(sql(db, 'SELECT count(*) FROM channels'), '0');
});
