// make deb: build/twauth_VERSION_ARCH.deb holds the stripped binary, the man
// page, the systemd unit and the config file as a conffile; lintian finds
// nothing wrong; installed into a scratch root with dpkg --root, the unit's
// own commands serve, and removing or purging the package leaves the
// database.  No systemd runs here, so `apt install` + `systemctl start`
// cannot be run as such: the nearest real things are dpkg installing into
// a root of its own with the package's maintainer scripts, the unit's
// ExecStartPre and ExecStart run as written (paths inside that root), and
// systemd-analyze verify of the unit as installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync,
  writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { BACKEND, BIN, cli, postForm, read, spawn, tempDir } from './lib/harness.mjs';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
// dpkg looks for ldconfig and start-stop-daemon on PATH.
const env = { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` };
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', env, timeout: 240000, ...opts });
const once = { skip: BACKEND !== 'sqlite' && 'once is enough', timeout: 300000 };

const version = run(BIN, ['--version']).stdout.trim().replace(/^twauth /, '');
const arch = run('dpkg', ['--print-architecture']).stdout.trim();
const deb = path.join(root, 'build', `twauth_${version}_${arch}.deb`);

// make deb, once for the whole file.
let built;
function build() {
  if (!built) built = run('make', ['--no-print-directory', '-C', root, 'deb']);
  assert.equal(built.status, 0, built.stdout + built.stderr);
  return deb;
}

// A scratch root for dpkg --root: its own database of installed packages.
function scratchRoot() {
  const dir = tempDir('twauth-deb-root-');
  for (const d of ['info', 'updates', 'triggers']) mkdirSync(path.join(dir, 'var/lib/dpkg', d), { recursive: true });
  writeFileSync(path.join(dir, 'var/lib/dpkg/status'), '');
  return dir;
}

// dpkg on that root.  The maintainer scripts run here, not chrooted (the
// root has no shell), with DPKG_ROOT set: they must then leave this
// system alone.
function dpkg(dir, ...args) {
  const r = run('dpkg', [`--root=${dir}`, '--log=/dev/null', '--force-script-chrootless',
    '--force-depends', '--force-not-root', ...args]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r;
}

// The unit's settings: key -> every value it is given.
function unitSettings(text) {
  const m = new Map();
  for (const [, k, v] of text.matchAll(/^(\w+)=(.*)$/gm)) m.set(k, [...(m.get(k) || []), v]);
  return m;
}

test(`${BACKEND}: make deb builds twauth_VERSION_ARCH.deb: binary, man page, unit, conffile`, once, () => {
  assert.match(version, /^[0-9][A-Za-z0-9.+~]*$/);
  build();
  const info = run('dpkg-deb', ['-I', deb]);
  assert.equal(info.status, 0, info.stderr);
  const field = (name) => (info.stdout.match(new RegExp(`^ ${name}: (.*)$`, 'm')) || [])[1];
  assert.equal(field('Package'), 'twauth');
  assert.equal(field('Version'), version);
  assert.equal(field('Architecture'), arch);
  // dpkg-shlibdeps' answer: one package for each library the binary links.
  for (const lib of ['libc6', 'libmicrohttpd12', 'libjansson4', 'libssl3', 'libsqlite3-0', 'libpq5',
    'libcurl4', 'libargon2-1'])
    assert.match(field('Depends'), new RegExp(`(^|, )${lib} \\(>= `), lib);
  for (const script of ['postinst', 'prerm', 'postrm'])
    assert.match(info.stdout, new RegExp(`\\*  ${script} +#!/bin/sh`), script);
  assert.equal(run('dpkg-deb', ['-I', deb, 'conffiles']).stdout, '/etc/twauth/twauth.conf\n');

  // Every file belongs to root, directories and the program are 0755 and
  // the rest 0644.
  const list = run('dpkg-deb', ['-c', deb]).stdout.trim().split('\n')
    .map((l) => l.split(/\s+/)).map((f) => ({ mode: f[0], owner: f[1], name: f[5] }));
  for (const f of list) {
    assert.equal(f.owner, 'root/root', f.name);
    const want = f.mode.startsWith('d') || f.name === './usr/bin/twauth' ? 'rwxr-xr-x' : 'rw-r--r--';
    assert.equal(f.mode.slice(1), want, f.name);
  }
  const names = list.map((f) => f.name);
  for (const name of ['./usr/bin/twauth', './usr/share/man/man1/twauth.1.gz',
    './lib/systemd/system/twauth.service', './etc/twauth/twauth.conf',
    './usr/share/doc/twauth/copyright', './usr/share/doc/twauth/changelog.gz'])
    assert.ok(names.includes(name), `${name} in ${names.join(' ')}`);
  assert.ok(!names.some((n) => n.startsWith('./var/')), 'the state directory is systemd\'s, not the package\'s');

  // What is in it: a stripped binary that runs, the man page that renders.
  const x = tempDir('twauth-deb-x-');
  assert.equal(run('dpkg-deb', ['-x', deb, x]).status, 0);
  const bin = path.join(x, 'usr/bin/twauth');
  assert.equal(run(bin, ['--version']).stdout, `twauth ${version}\n`);
  const sections = run('readelf', ['-S', '-W', bin]).stdout;
  assert.doesNotMatch(sections, /\.symtab|\.debug_/, 'stripped');
  const man = run('man', ['-l', path.join(x, 'usr/share/man/man1/twauth.1.gz')], { env: { ...env, MANWIDTH: '80' } });
  assert.equal(man.status, 0, man.stderr);
  assert.match(man.stdout, /twauth serve/);
});

test(`${BACKEND}: lintian finds no error and no warning in the package`, once, () => {
  const r = run('lintian', ['--pedantic', build()]);
  const tags = r.stdout.split('\n').filter((l) => /^[EW]: /.test(l));
  assert.deepEqual(tags, [], r.stdout);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test(`${BACKEND}: dpkg --root installs it, the unit's commands serve, remove and purge keep the database`, once, async () => {
  const pkg = build();
  // What the maintainer scripts would change on this system if they did
  // not keep to DPKG_ROOT.
  const host = ['/etc/systemd/system/twauth.service', '/etc/systemd/system/multi-user.target.wants/twauth.service',
    '/var/lib/systemd/deb-systemd-helper-enabled/twauth.service.dsh-also',
    '/var/lib/systemd/deb-systemd-helper-masked/twauth.service'];
  const hostBefore = host.map((p) => existsSync(p));

  const dir = scratchRoot();
  const at = (p) => path.join(dir, p);
  dpkg(dir, '-i', pkg);
  assert.match(dpkg(dir, '-s', 'twauth').stdout, /^Status: install ok installed$/m);
  const bin = at('usr/bin/twauth');
  assert.equal(run(bin, ['--help']).status, 0);
  assert.equal(run(bin, ['--version']).stdout, `twauth ${version}\n`);
  // Not enabled on installation: no symlink in the root's wants.
  assert.equal(existsSync(at('etc/systemd/system/multi-user.target.wants/twauth.service')), false);

  // The state directory as systemd makes it for DynamicUser=yes and
  // StateDirectory=twauth.
  const unit = unitSettings(readFileSync(at('lib/systemd/system/twauth.service'), 'utf8'));
  assert.deepEqual(unit.get('StateDirectory'), ['twauth']);
  mkdirSync(at('var/lib/private/twauth'), { recursive: true });
  chmodSync(at('var/lib/private'), 0o700);
  symlinkSync('private/twauth', at('var/lib/twauth'));
  const unitEnv = Object.fromEntries(unit.get('Environment').map((e) => e.split(/=(.*)/).slice(0, 2))
    .map(([k, v]) => [k, v.startsWith('/') ? at(v) : v]));
  assert.equal(unitEnv.TWAUTH_DB, at('var/lib/twauth/twauth.db'));
  const argv = (line) => line.split(' ').map((a) => (a.startsWith('/') ? at(a) : a));

  // ExecStartPre, then ExecStart (on an ephemeral port instead of the
  // config's 8080): it serves with the installed config and database.
  const [pre] = unit.get('ExecStartPre').map(argv);
  const check = run(pre[0], pre.slice(1), { env: { ...env, ...unitEnv } });
  assert.equal(check.status, 0, check.stderr);
  const [start] = unit.get('ExecStart').map(argv);
  assert.deepEqual(start.slice(1), ['serve', '--config', at('etc/twauth/twauth.conf')]);
  const server = spawn(start[0], [...start.slice(1), '--listen', '127.0.0.1:0'],
    { env: { ...env, ...unitEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => server.on('close', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 10000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${stderr}`)); });
  });
  assert.equal((await read(fetch(`${url}/readyz`))).status, 200);
  const made = run(bin, ['app', 'create', '--name', 'Packaged', '--redirect-uri', 'http://localhost:3000', '--json'],
    { env: { ...env, ...unitEnv } });
  assert.equal(made.status, 0, made.stderr);
  const app = JSON.parse(made.stdout);
  const tok = await read(postForm(`${url}/oauth2/token`, {
    client_id: app.client_id, client_secret: app.client_secret, grant_type: 'client_credentials',
  }));
  assert.equal(tok.status, 200, tok.text);
  server.kill('SIGTERM');
  assert.deepEqual(await exited, { code: 0, signal: null }, stderr);
  const db = at('var/lib/private/twauth/twauth.db');
  assert.ok(statSync(db).size > 0);

  // Installed again over itself: the config file someone edited is kept.
  const conf = at('etc/twauth/twauth.conf');
  appendFileSync(conf, '# edited\n');
  dpkg(dir, '-i', pkg);
  assert.match(readFileSync(conf, 'utf8'), /# edited\n$/);

  // Removed: the program goes, the config file and the database stay.
  dpkg(dir, '-r', 'twauth');
  assert.equal(existsSync(bin), false);
  assert.equal(existsSync(at('lib/systemd/system/twauth.service')), false);
  assert.equal(existsSync(conf), true);
  assert.equal(cli(['db', 'check'], { db }).status, 0);

  // Purged: the config file goes too, and still not the database.
  const purge = dpkg(dir, '-P', 'twauth');
  assert.equal(existsSync(conf), false);
  assert.match(purge.stderr, /the database in \/var\/lib\/private\/twauth is kept/);
  assert.deepEqual(readdirSync(at('var/lib/private/twauth')).filter((f) => f === 'twauth.db'), ['twauth.db']);
  const left = cli(['app', 'list', '--json'], { db });
  assert.equal(left.status, 0, left.stderr);
  assert.match(left.stdout, new RegExp(app.client_id));

  assert.deepEqual(host.map((p) => existsSync(p)), hostBefore, 'nothing changed outside the scratch root');
});

test(`${BACKEND}: systemd accepts the unit as the package installs it`, once, () => {
  // The package's files in a root of their own, beside this system's
  // targets, so that the unit's ExecStart and WantedBy resolve there.
  const dir = tempDir('twauth-deb-verify-');
  assert.equal(run('dpkg-deb', ['-x', build(), dir]).status, 0);
  const units = '/lib/systemd/system';
  for (const f of readdirSync(units).filter((n) => /\.(target|slice)$/.test(n)))
    cpSync(path.join(units, f), path.join(dir, 'lib/systemd/system', f), { verbatimSymlinks: true });
  const r = run('systemd-analyze', ['verify', '--man=no', `--root=${dir}`, '/lib/systemd/system/twauth.service']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.trim(), '', 'no warnings (unknown keys, bad values, missing programs)');
});
