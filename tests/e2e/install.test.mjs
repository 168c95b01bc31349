// make install: the binary, twauth(1) covering every subcommand, the
// completion scripts, the sandboxed systemd unit with the installed paths,
// and a config file the installed binary accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir, BACKEND } from './lib/harness.mjs';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', ...opts });

function install(vars) {
  const r = run('make', ['--no-print-directory', '-C', root, 'install',
    `BUILD=${process.env.TWAUTH_BUILD || 'build'}`, ...vars]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
}

test(`${BACKEND}: make install PREFIX=/usr DESTDIR=...: binary, man page, unit, config`, { skip: BACKEND !== 'sqlite' && 'once is enough' }, () => {
  const dest = tempDir('twauth-install-');
  install(['PREFIX=/usr', `DESTDIR=${dest}`]);
  const bin = path.join(dest, 'usr/bin/twauth');
  assert.equal(statSync(bin).mode & 0o777, 0o755);
  assert.equal(run(bin, ['--help']).status, 0);

  // The man page renders and names every subcommand.
  const man = path.join(dest, 'usr/share/man/man1/twauth.1');
  const text = run('man', ['-l', man], { env: { ...process.env, MANWIDTH: '80', MAN_KEEP_FORMATTING: '' } });
  assert.equal(text.status, 0, text.stderr);
  const help = run(bin, ['--help']).stdout;
  const subcommands = [...help.matchAll(/^  (\w+) {2,}/gm)].map((m) => m[1]);
  assert.ok(subcommands.length >= 12, help);
  for (const c of subcommands) assert.match(text.stdout, new RegExp(`\\b${c}\\b`), `twauth(1) names ${c}`);

  // The completion scripts, as the installed binary prints them.
  for (const [shell, file] of [['bash', 'usr/share/bash-completion/completions/twauth'],
    ['zsh', 'usr/share/zsh/vendor-completions/_twauth']]) {
    const f = path.join(dest, file);
    assert.equal(statSync(f).mode & 0o777, 0o644, file);
    assert.equal(readFileSync(f, 'utf8'), run(bin, ['completion', shell]).stdout, file);
  }

  // The unit runs the installed binary with the installed config, sandboxed.
  const unit = readFileSync(path.join(dest, 'usr/lib/systemd/system/twauth.service'), 'utf8');
  assert.match(unit, /^ExecStart=\/usr\/bin\/twauth serve --config \/etc\/twauth\/twauth\.conf$/m);
  for (const key of ['DynamicUser=yes', 'ProtectSystem=strict', 'StateDirectory=twauth',
    'NoNewPrivileges=yes', 'PrivateTmp=yes', 'CapabilityBoundingSet=', 'SystemCallFilter=@system-service'])
    assert.ok(unit.includes(`\n${key}\n`), key);
  assert.doesNotMatch(unit, /@\w+@/, 'every placeholder filled in');

  // The config file installed is one the binary accepts.
  const conf = path.join(dest, 'etc/twauth/twauth.conf');
  const check = run(bin, ['serve', '--config', conf, '--check-config']);
  assert.equal(check.status, 0, check.stderr);
  // A second install keeps the config file someone edited.
  writeFileSync(conf, 'listen = 127.0.0.1:9\n');
  install(['PREFIX=/usr', `DESTDIR=${dest}`]);
  assert.equal(readFileSync(conf, 'utf8'), 'listen = 127.0.0.1:9\n');

  install(['PREFIX=/usr', `DESTDIR=${dest}`, 'uninstall']);
  assert.equal(existsSync(bin), false);
  assert.equal(existsSync(path.join(dest, 'usr/share/bash-completion/completions/twauth')), false);
  assert.equal(existsSync(path.join(dest, 'usr/share/zsh/vendor-completions/_twauth')), false);
  assert.equal(existsSync(conf), true);
});

test(`${BACKEND}: systemd accepts the installed unit`, { skip: BACKEND !== 'sqlite' && 'once is enough' }, () => {
  // Installed under a real prefix (no DESTDIR), so the paths in it exist.
  const prefix = path.join(tempDir('twauth-prefix-'), 'usr');
  install([`PREFIX=${prefix}`]);
  const r = run('systemd-analyze', ['verify', '--man=no', path.join(prefix, 'lib/systemd/system/twauth.service')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.trim(), '', 'no warnings (unknown keys, bad values)');
});
