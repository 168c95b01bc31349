// A deliberately stuck test file (see fails.test.mjs): its test blocks the
// event loop, so no timer of its own can end it; only the file's time
// limit in tests/run.sh can.
import { test } from 'node:test';
import { appendFileSync } from 'node:fs';
import { startServer } from '../e2e/lib/harness.mjs';

test('blocks for ever with a server running', async () => {
  const s = await startServer();
  appendFileSync(process.env.TWAUTH_SELFTEST_NOTES, `server ${s.child.pid} ${s.db}\n`);
  for (;;);
});
