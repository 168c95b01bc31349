// twauth configure on a real terminal (a pseudo-terminal, tests/e2e/lib/
// pty_run.py): one question a prompt; the secret typed is not echoed, and
// the terminal echoes again afterwards, also after Ctrl-C at the prompt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, tempDir } from './lib/harness.mjs';

const PYTHON = '/usr/bin/python3';
const PTY = new URL('./lib/pty_run.py', import.meta.url).pathname;
const SECRET = 's3cr3t-typed-at-the-prompt';

// Runs twauth configure ARGS on a pseudo-terminal, playing steps at it.
function onTerminal(home, args, steps) {
  const env = { XDG_CONFIG_HOME: home, HOME: home, PATH: '/usr/bin:/bin', TERM: 'dumb' };
  const r = spawnSync(PYTHON, [PTY, JSON.stringify({ argv: [BIN, 'configure', ...args], env, steps, timeout: 10 })],
    { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.error, null, out.output);
  return out;
}

const profile = (home) => JSON.parse(readFileSync(path.join(home, 'twauth', 'config.json'), 'utf8')).profiles.default;
const re = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('configure asks one thing a prompt; the secret is not echoed; echo is back after', () => {
  const home = tempDir('twauth-home-');
  const first = onTerminal(home, [], [
    { expect: re('Issuer [https://id.twitch.tv]: ') }, { send: 'http://localhost:8080\r' },
    { expect: re('Client ID: ') }, { send: 'myclientid\r' },
    { expect: re('Client secret (leave empty for a public app): ') }, { send: `${SECRET}\r` },
    { expect: "saved profile 'default'" },
  ]);
  assert.equal(first.status, 0, first.output);
  assert.ok(first.output.includes('myclientid'), 'what else is typed is echoed');
  assert.ok(!first.output.includes(SECRET), first.output);
  assert.equal(first.echo, true, 'the terminal echoes again');
  assert.deepEqual(profile(home), { issuer: 'http://localhost:8080', client_id: 'myclientid', client_secret: SECRET });

  // Again: the brackets hold what Enter keeps, and the secret's prompt says so.
  const again = onTerminal(home, [], [
    { expect: re('Issuer [http://localhost:8080]: ') }, { send: '\r' },
    { expect: re('Client ID [myclientid]: ') }, { send: '\r' },
    { expect: re('Client secret (empty keeps the saved one): ') }, { send: '\r' },
    { expect: 'saved profile' },
  ]);
  assert.equal(again.status, 0, again.output);
  assert.deepEqual(profile(home), { issuer: 'http://localhost:8080', client_id: 'myclientid', client_secret: SECRET });

  // --client-secret-stdin on a terminal asks for it, without echo too.
  const other = `${SECRET}-2`;
  const flag = onTerminal(home, ['--client-secret-stdin'], [
    { expect: re('Client secret (empty keeps the saved one): ') }, { send: `${other}\r` },
    { expect: 'saved profile' },
  ]);
  assert.ok(!flag.output.includes(other), flag.output);
  assert.equal(flag.echo, true);
  assert.equal(profile(home).client_secret, other);
});

test('configure: Ctrl-C at the secret prompt puts the terminal\'s echo back', () => {
  const home = tempDir('twauth-home-');
  const r = onTerminal(home, [], [
    { expect: re('Issuer [https://id.twitch.tv]: ') }, { send: '\r' },
    { expect: re('Client ID: ') }, { send: 'myclientid\r' },
    { expect: re('Client secret (leave empty for a public app): ') }, { send: 'half-typed' },
    { send: '\x03' },
  ]);
  assert.equal(r.signal, 2, `ended by SIGINT: ${JSON.stringify(r)}`);
  assert.ok(!r.output.includes('half-typed'), r.output);
  assert.equal(r.echo, true, 'echo restored by the signal handler');
});
