// twauth completion bash|zsh: the scripts, sourced into a real bash and a
// real zsh, complete commands, subcommands, options and an option's values
// from the commands' own tables (the script asks twauth at each TAB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cli, tempDir } from './lib/harness.mjs';

const PYTHON = '/usr/bin/python3';
const PTY = new URL('./lib/pty_run.py', import.meta.url).pathname;
const hasZsh = spawnSync('zsh', ['-c', 'exit 0']).status === 0;
// "twauth" on PATH is the binary under test, as the scripts call it by name.
const env = { PATH: `${path.dirname(BIN)}:/usr/bin:/bin`, HOME: tempDir('twauth-home-'), LANG: 'C.UTF-8' };

function script(shell) {
  const r = cli(['completion', shell]);
  assert.equal(r.status, 0, r.stderr);
  const file = path.join(tempDir(), shell === 'zsh' ? '_twauth' : 'twauth.bash');
  writeFileSync(file, r.stdout);
  return file;
}

// What bash's completion function offers for the words (the last one being
// completed), as bash calls it at a TAB: COMP_WORDS and COMP_CWORD set.
function bashOffers(file, words) {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c',
    `source '${file}' && COMP_WORDS=(${quoted}) && COMP_CWORD=${words.length - 1} && _twauth && ` +
    'printf "%s\\n" "${COMPREPLY[@]}"'], { encoding: 'utf8', env, timeout: 10000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

test('bash: commands, subcommands, options and values come from the tables', () => {
  const file = script('bash');
  assert.deepEqual(bashOffers(file, ['twauth', 'to']), ['token']);
  assert.deepEqual(bashOffers(file, ['twauth', 'token', '--sc']), ['--scopes'], 'not its hidden --scope');
  assert.deepEqual(bashOffers(file, ['twauth', 'app', 'create', '--pro']), ['--profile']);
  assert.deepEqual(bashOffers(file, ['twauth', 'app', 'create', '--profile', '']), ['twitch', 'oauth2']);
  // bash splits --profile=o at '=': the value after it is completed.
  assert.deepEqual(bashOffers(file, ['twauth', 'app', 'create', '--profile', '=', 'o']), ['oauth2']);
  assert.deepEqual(bashOffers(file, ['twauth', 'app', 'create', '--profile', '=']), ['twitch', 'oauth2']);
  // A row for another subcommand is not offered: --profile is create's.
  assert.deepEqual(bashOffers(file, ['twauth', 'app', 'list', '--pro']), []);
  assert.deepEqual(bashOffers(file, ['twauth', 'app', 're']), ['reset-secret', 'redirect']);
  assert.deepEqual(bashOffers(file, ['twauth', 'app', 'redirect', '']), ['add', 'remove']);
  assert.deepEqual(bashOffers(file, ['twauth', 'completion', '']), ['bash', 'zsh']);
  assert.deepEqual(bashOffers(file, ['twauth', 'help', 'conf']), ['configure']);
  assert.deepEqual(bashOffers(file, ['twauth', 'serve', '--log-format', '']), ['text', 'json']);
  assert.deepEqual(bashOffers(file, ['twauth', 'token', 'list', '--j']), ['--json']);
  assert.deepEqual(bashOffers(file, ['twauth', 'token', 'l']), ['list']);
  // What follows exec's "--" is another command's: nothing of twauth's.
  assert.deepEqual(bashOffers(file, ['twauth', 'exec', '--', '--']), []);
  // Nothing to offer (a file name): bash completes file names itself.
  const spec = spawnSync('bash', ['--norc', '-c', `source '${file}' && complete -p twauth`],
    { encoding: 'utf8', env });
  assert.match(spec.stdout, /complete -o default -F _twauth twauth/);
});

test('completion --words: every option of a command, nothing else on stdout', () => {
  const r = cli(['completion', '--words', '--', 'twauth', 'configure', '--']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\n').filter(Boolean),
    ['--profile', '--issuer', '--client-id', '--client-secret-stdin', '--redirect-uri',
      '--api-base', '--show', '--help']);
  // A command that would print its usage or an error says nothing here.
  for (const words of [['app', '--help', ''], ['app', 'bogus', '--'], ['serve', '--listen', '']]) {
    const q = cli(['completion', '--words', 'twauth', ...words]);
    assert.equal(q.status, 0);
    assert.equal(q.stdout, '', words.join(' '));
    assert.equal(q.stderr, '', words.join(' '));
  }
  // serve's config file and environment are not read while completing.
  const s = cli(['completion', '--words', 'twauth', 'serve', '--con'],
    { env: { TWAUTH_CONFIG: '/nonexistent/twauth.conf', TWAUTH_LISTEN: 'bogus' } });
  assert.deepEqual(s.stdout.split('\n').filter(Boolean), ['--config']);
});

test('completion --help says how to install it', () => {
  const r = cli(['completion', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /source <\(twauth completion bash\)/);
  assert.match(r.stdout, /\/usr\/share\/bash-completion\/completions\/twauth/);
  assert.match(r.stdout, /_twauth in a directory of \$fpath/);
  const bad = cli(['completion', 'fish']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown completion subcommand 'fish'/);
});

test('zsh: the script parses, and TAB completes in an interactive zsh', { skip: !hasZsh && 'no zsh' }, () => {
  const file = script('zsh');
  const parse = spawnSync('zsh', ['-n', file], { encoding: 'utf8' });
  assert.equal(parse.status, 0, parse.stderr);

  // A real zsh on a pseudo-terminal: compinit, the script sourced as the
  // help says, then TABs typed.  ^U clears the line between the tries.
  const steps = [
    { expect: '% ' },
    { send: `autoload -Uz compinit && compinit -u -D && source <(twauth completion zsh) && echo RE''ADY\r` },
    { expect: 'READY' },
    { send: 'twauth to\t' }, { expect: 'twauth token ' },
    { send: '\x15twauth token --sc\t' }, { expect: 'twauth token --scopes ' },
    { send: '\x15twauth app create --pro\t' }, { expect: 'twauth app create --profile ' },
    { send: '\x15twauth app create --profile \t' }, { expect: '(oauth2\\s+twitch|twitch\\s+oauth2)' },
    { send: '\x15exit\r' },
  ];
  const r = spawnSync(PYTHON, [PTY, JSON.stringify({
    argv: ['zsh', '-f', '-i'],
    env: { ...env, TERM: 'dumb', PS1: '%% ' },
    steps, timeout: 15,
  })], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.error, null, out.output);
  assert.equal(out.status, 0, out.output);
});
