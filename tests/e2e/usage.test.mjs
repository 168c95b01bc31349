// Usage errors of every command, from one mechanism (src/cli/opt.c): an
// unknown or shortened option is named, with the nearest options of that
// command ("did you mean"); an argument a command does not take is named;
// each says where the usage is and exits 2.  No value given with an
// unknown option is repeated: it may be a secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, tempDir } from './lib/harness.mjs';

const home = tempDir('twauth-home-');
const env = { XDG_CONFIG_HOME: home, HOME: home, TWITCH_CLIENT_ID: '', TWITCH_CLIENT_SECRET: '' };
const run = (args) => cli(args, { env });

function refused(args, message, usage) {
  const r = run(args);
  assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `twauth: ${message}\nRun 'twauth ${usage} --help' for usage.\n`, args.join(' '));
  return r;
}

test('configure has no --client-secret: the hint is --client-secret-stdin, the secret not repeated', () => {
  const secret = 'hunter2hunter2hunter2hunter2xx';
  for (const args of [['configure', '--client-secret', secret], ['configure', `--client-secret=${secret}`]]) {
    const r = refused(args, "unknown option '--client-secret'; did you mean --client-secret-stdin?", 'configure');
    assert.ok(!r.stderr.includes(secret));
  }
  // Nothing was saved.
  assert.equal(run(['configure', '--show']).stdout.trim(), '{}');
  // The same for a user's password.
  refused(['user', 'create', '--login', 'dave', '--password', secret],
    "unknown option '--password'; did you mean --password-stdin?", 'user');
});

test('did you mean: a prefix, an extension or a small typo of the command\'s own options', () => {
  refused(['token', '--sc', 'chat:read'], "unknown option '--sc'; did you mean --scopes?", 'token');
  refused(['token', '--scopess=chat:read'], "unknown option '--scopess'; did you mean --scopes?", 'token');
  refused(['token', '--get', '--logn', 'bot'], "unknown option '--logn'; did you mean --login?", 'token');
  refused(['token', '--no'], "unknown option '--no'; did you mean --no-browser, --no-check or --no-save?", 'token');
  refused(['validate', '--jsno'], "unknown option '--jsno'; did you mean --json?", 'validate');
  refused(['serve', '--listne', '127.0.0.1:1'], "unknown option '--listne'; did you mean --listen?", 'serve');
  refused(['app', 'create', '--nmae', 'x'], "unknown option '--nmae'; did you mean --name?", 'app');
  // Only the subcommand's: --name is create's, so list has none to offer.
  refused(['app', 'list', '--nmae', 'x'], "unknown option '--nmae'", 'app');
  refused(['token', '--frobnicate'], "unknown option '--frobnicate'", 'token');
  refused(['token', '-Z'], "unknown option '-Z'", 'token');
  // Abbreviations are refused too, not taken as the option they begin.
  refused(['token', '--timeou', '5'], "unknown option '--timeou'; did you mean --timeout?", 'token');
  refused(['token', '--json=yes'], '--json takes no value', 'token');
  refused(['token', '--timeout'], '--timeout needs a value: SECONDS', 'token');
  // A hidden other name is a whole name: --scope is --scopes.
  const hidden = run(['token', '--scope', 'chat:read', '--client-id', '']);
  assert.doesNotMatch(hidden.stderr, /unknown option/);
});

test('an argument a command does not take is named', () => {
  refused(['configure', 'foo'], "unexpected argument 'foo': 'twauth configure' takes no arguments",
    'configure');
  refused(['keys', 'list', 'x'], "unexpected argument 'x': 'twauth keys list' takes no arguments", 'keys');
  refused(['db', 'check', 'x'], "unexpected argument 'x': 'twauth db check' takes no arguments", 'db');
  refused(['app', 'list', 'x'], "unexpected argument 'x': 'twauth app list' takes no arguments", 'app');
  refused(['user', 'list', 'x'], "unexpected argument 'x': 'twauth user list' takes no arguments", 'user');
  refused(['serve', 'x'], "unexpected argument 'x': 'twauth serve' takes only options", 'serve');
  refused(['validate', 'a', 'b'], "unexpected argument 'b'", 'validate');
});

test('twauth help COMMAND is COMMAND --help', () => {
  for (const c of ['token', 'configure', 'app', 'completion']) {
    const a = run(['help', c]);
    const b = run([c, '--help']);
    assert.equal(a.status, 0);
    assert.equal(a.stdout, b.stdout);
  }
});
