// Slow and many clients (slowloris): one address opens a thousand
// connections and trickles a header line into each every second; others
// fill the connection limit with idle connections.  A client at another
// address is answered within a second throughout, the cap per address
// closes what is over it at once, and the trickled heads are cut off at
// --header-timeout however the bytes keep coming.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, onCleanup, PG_DIR, cli } from './lib/harness.mjs';

// Nothing here touches the database: once, on SQLite, is enough.
const skip = PG_DIR ? 'the database plays no part' : false;

const HEADER_TIMEOUT = 2;	// seconds
const PER_ADDRESS = 20;
const MAX = 120;

// A connection from localAddress, open until the server closes it;
// resolved once connected (or refused).
function open(port, localAddress, onOpen) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1', localAddress });
    const opened = Date.now();
    let closedAt;
    const conn = { sock, closed: () => closedAt !== undefined, lived: () => (closedAt ?? Date.now()) - opened };
    sock.on('connect', () => { onOpen?.(sock); resolve(conn); });
    sock.on('error', () => {});
    sock.on('close', () => { closedAt = Date.now(); resolve(conn); });
  });
}

// Resolves once cond() holds, or after ms (the caller asserts what it needs).
async function settled(cond, ms = 5000) {
  for (const until = Date.now() + ms; !cond() && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
}

// One request on a fresh connection from 127.0.0.1; its latency in ms.
function probe(port) {
  return new Promise((resolve, reject) => {
    const t = Date.now();
    const sock = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.1' });
    let data = '';
    const timer = setTimeout(() => { sock.destroy(); reject(new Error('no answer in 5 s')); }, 5000);
    sock.on('connect', () => sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    sock.on('data', (d) => { data += d; });
    sock.on('close', () => {
      clearTimeout(timer);
      if (!data.startsWith('HTTP/1.1 200')) reject(new Error(`answer: ${data.slice(0, 60)}`));
      else resolve(Date.now() - t);
    });
    sock.on('error', reject);
  });
}

async function serve() {
  return startServer({ args: ['--header-timeout', String(HEADER_TIMEOUT),
    '--max-connections-per-address', String(PER_ADDRESS), '--max-connections', String(MAX),
    '--no-access-log'] });
}

// Probes for the head's deadline and a little more; the worst latency.
async function probeThroughout(s) {
  const latencies = [];
  const until = Date.now() + (HEADER_TIMEOUT + 2) * 1000;
  while (Date.now() < until) {
    latencies.push(await probe(s.port));
    await new Promise((r) => setTimeout(r, 200));
  }
  return { worst: Math.max(...latencies), all: latencies };
}

test('a thousand connections from one address trickling their heads: others are answered within a second, the cap refuses the rest, the deadline cuts off the heads', { skip }, async () => {
  const s = await serve();
  const conns = [];
  const timers = [];
  onCleanup(() => { timers.forEach(clearInterval); conns.forEach((c) => c.sock.destroy()); });
  try {
    // A request line, then one header line a second, for ever.
    for (let i = 0; i < 1000; i++) {
      conns.push(await open(s.port, '127.0.0.2', (sock) => {
        sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
        timers.push(setInterval(() => { if (!sock.destroyed) sock.write(`X-Slow-${i}: 1\r\n`); }, 1000));
      }));
    }
    const { worst, all } = await probeThroughout(s);
    assert.ok(worst < 1000, `a probe waited ${worst} ms (${all.join(' ')})`);
    const left = conns.filter((c) => !c.closed());
    assert.equal(left.length, 0, `${left.length} tricklers still open`);
    const longest = Math.max(...conns.map((c) => c.lived()));
    assert.ok(longest < (HEADER_TIMEOUT + 1.5) * 1000, `a trickler lived ${longest} ms`);
    // The deadline closed the ones the cap let in (on one tick or several;
    // more if some came in after the first were cut).
    const deadlineCut = () => [...s.log.matchAll(new RegExp(`closed (\\d+) connections whose request head took over ${HEADER_TIMEOUT} s`, 'g'))]
      .reduce((sum, m) => sum + Number(m[1]), 0);
    for (let i = 0; i < 20 && deadlineCut() < PER_ADDRESS; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(deadlineCut() >= PER_ADDRESS, `the deadline's log lines:\n${s.log}`);
  } finally {
    timers.forEach(clearInterval);
    conns.forEach((c) => c.sock.destroy());
    await s.stop();
  }
});

test('idle connections from many addresses fill the house: a new client still gets in at once', { skip }, async () => {
  const s = await serve();
  const conns = [];
  onCleanup(() => conns.forEach((c) => c.sock.destroy()));
  try {
    // More than every slot (libmicrohttpd's few spare ones too), from
    // addresses each within its cap.
    // One address's connections at a time, a pause between: the server's
    // accept threads may take one burst in any order, but not two bursts.
    const addresses = MAX / PER_ADDRESS + 2;
    const groups = [];
    for (let a = 3; a < 3 + addresses; a++) {
      const group = [];
      for (let i = 0; i < PER_ADDRESS; i++) group.push(await open(s.port, `127.0.0.${a}`));
      groups.push(group);
      conns.push(...group);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
    const { worst, all } = await probeThroughout(s);
    assert.ok(worst < 1000, `a probe waited ${worst} ms (${all.join(' ')})`);
    // Room was made by closing the longest idle ones, oldest first: no
    // group lost one while an older group still had one open.
    const closed = conns.filter((c) => c.closed()).length;
    assert.ok(closed >= conns.length - MAX, `${closed} idle ones made room`);
    const closedPerGroup = groups.map((g) => g.filter((c) => c.closed()).length);
    const firstNotAllClosed = closedPerGroup.findIndex((n) => n < PER_ADDRESS);
    const laterClosed = closedPerGroup.slice(firstNotAllClosed + 1).some((n) => n > 0);
    assert.ok(firstNotAllClosed === -1 || !laterClosed,
      `the oldest went first (closed per group, oldest first: ${closedPerGroup.join(' ')})`);
  } finally {
    conns.forEach((c) => c.sock.destroy());
    await s.stop();
  }
});

test('a trusted proxy\'s connections are not capped: its clients are many', { skip }, async () => {
  const s = await startServer({ args: ['--max-connections-per-address', '5',
    '--trusted-proxy', '127.0.0.2', '--no-access-log'] });
  const conns = [];
  try {
    for (let i = 0; i < 12; i++) conns.push(await open(s.port, '127.0.0.2'));
    for (let i = 0; i < 12; i++) conns.push(await open(s.port, '127.0.0.3'));
    // The cap closes what is over it as the server accepts it: on a slow
    // (sanitizer) build that may take a moment.
    const openOf = (list) => list.filter((c) => !c.closed()).length;
    await settled(() => openOf(conns.slice(12)) <= 5);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(openOf(conns.slice(0, 12)), 12, 'the proxy keeps all 12');
    assert.equal(openOf(conns.slice(12)), 5, 'another address keeps 5');
  } finally {
    conns.forEach((c) => c.sock.destroy());
    await s.stop();
  }
});

// Listening on loopback every client is this machine (a test suite firing
// requests in parallel, a local proxy): no cap unless one is given.
test('on a loopback --listen one address is not capped unless asked, and off it the cap is 64', { skip }, async () => {
  const s = await startServer({ args: ['--no-access-log'] });
  const conns = [];
  try {
    for (let i = 0; i < 100; i++) conns.push(await open(s.port, '127.0.0.1'));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(conns.filter((c) => c.closed()).length, 0, 'all 100 kept');
    await probe(s.port);
  } finally {
    conns.forEach((c) => c.sock.destroy());
    await s.stop();
  }
  const r = cli(['serve', '--check-config', '--listen', '0.0.0.0:8080', '--public-url', 'https://id.example.test']);
  assert.match(r.stdout, /max-connections-per-address 64/);
});
