// A deliberately failing test file, run by tests/e2e/runner.test.mjs
// through tests/run.sh, never by itself: an assertion fails while the
// test's server is still running, and another test never ends.  The run
// must still end, with its summary line, and leave nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { startServer, createApp, appToken, tempDir } from '../e2e/lib/harness.mjs';

const note = (what) => appendFileSync(process.env.TWAUTH_SELFTEST_NOTES, `${what}\n`);

test('passes', () => { assert.ok(true); });

test('fails before stopping its server', async () => {
  const s = await startServer();
  note(`server ${s.child.pid} ${s.db}`);
  note(`dir ${tempDir()}`);
  const app = createApp(s.db);
  assert.ok(await appToken(s, app));
  assert.equal(1, 2, 'deliberate failure');
  await s.stop();
});

test('never ends, its server still running', async () => {
  const s = await startServer();
  note(`server ${s.child.pid} ${s.db}`);
  await new Promise(() => {});
});
