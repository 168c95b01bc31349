// tests/run.sh itself: a failing test cannot hang the run or leave anything
// behind.  It runs the deliberately broken files of tests/selftest/ (an
// assertion thrown before a server is stopped, a test that never ends, a
// file that blocks its event loop) with short limits, and checks that the
// run ends with its "N passed, N failed" line, exits non-zero, and that no
// server, database or directory of theirs is left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { tempDir, PG_DIR } from './lib/harness.mjs';

const root = path.resolve(new URL('../..', import.meta.url).pathname);

// Running: a process that exists and is not a zombie (a killed server whose
// parent died too waits for init to reap it, which may take a while).
const alive = (pid) => {
  try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
};

test('a failing, a hanging and a stuck test file: the run ends with its summary and cleans up',
  { skip: PG_DIR ? 'once is enough (SQLite run)' : false }, () => {
    const work = tempDir('twauth-selftest-');
    const notes = path.join(work, 'notes');
    const tmp = path.join(work, 'tmp');
    spawnSync('mkdir', [tmp]);
    // Not a child of this test runner (node --test would refuse to run files).
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const started = Date.now();
    const r = spawnSync(path.join(root, 'tests', 'run.sh'),
      ['tests/selftest/fails.test.mjs', 'tests/selftest/stuck.test.mjs'], {
        cwd: root, encoding: 'utf8', timeout: 120000,
        env: { ...env, TMPDIR: tmp, TWAUTH_SELFTEST_NOTES: notes,
          TWAUTH_TEST_OUT: path.join(work, 'out'), TWAUTH_TEST_BACKENDS: 'sqlite',
          TWAUTH_TEST_TIMEOUT: '3', TWAUTH_TEST_FILE_TIMEOUT: '15' },
      });
    const secs = (Date.now() - started) / 1000;
    assert.equal(r.error, undefined, `run.sh did not end: ${r.error}`);
    const lines = r.stdout.trimEnd().split('\n');
    // passes; fails; never ends (its time limit); the stuck file (its file limit).
    assert.equal(lines.at(-1), '1 passed, 3 failed', r.stdout);
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /not ok - stuck: stopped after 15s/);
    assert.ok(secs < 90, `took ${secs} s`);

    const servers = readFileSync(notes, 'utf8').split('\n').filter((l) => l.startsWith('server '));
    assert.equal(servers.length, 3, readFileSync(notes, 'utf8'));
    for (const line of servers) {
      const [, pid, db] = line.split(' ');
      assert.ok(!alive(Number(pid)), `server ${pid} still running`);
      assert.ok(!existsSync(db), `${db} left behind`);
    }
    assert.deepEqual(readdirSync(tmp), [], 'the run removed its temporary directory');
  });
