// Browser test of the dashboard (src/RingKV.Http/Dashboard): a real cluster of one coordinator and three nodes,
// the page in Debian's Chromium driven by playwright-core, and assertions on what a user would see: three UP node
// cards, a ring in three colours, the epoch, the lone coordinator leading, keys and ops appearing after writes, a
// killed node's card turning red within the failure timeout, the same page served by a node (relayed overview), and
// the connection-lost banner.
//
//   bash run.sh                      (from this folder; needs `dotnet build src/RingKV.Cli` first)
//   RINGKV_BIN=/path/to/ringkv       the binary, or a RingKV.Cli.dll (run with dotnet); default: the Debug build
//   RINGKV_CHROMIUM=/path/to/chrome  default /usr/bin/chromium; when absent the suite is skipped with a notice
//
// Screenshots go to artifacts/ (dashboard-healthy.png before the kill, dashboard.png after it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.join(here, 'artifacts');
const CHROMIUM = process.env.RINGKV_CHROMIUM || '/usr/bin/chromium';
const BIN = process.env.RINGKV_BIN || path.resolve(here, '../../src/RingKV.Cli/bin/Debug/net10.0/linux-x64/ringkv');
const FAILURE_TIMEOUT_MS = 3000;
// After the failure timeout the coordinator notices within its 250 ms check period and the page within its 1 s
// poll (the last heartbeat, up to 500 ms before the kill, shortens the wait): about 4.3 s at worst, measured
// 2.9-3.9 s. Three seconds of margin leave room for a loaded CI machine.
const DOWN_MARGIN_MS = 3000;
const READY_TIMEOUT_MS = 60_000;
const CLUSTER_TIMEOUT_MS = 90_000;
const UI_TIMEOUT_MS = 15_000;

const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing) {
  console.error(`NOTICE: ${CHROMIUM} not found, so the dashboard browser test is SKIPPED (apt-get install chromium).`);
}

/** The processes of one test cluster, their output, and the temporary directory they write in. */
class Cluster {
  dir = mkdtempSync(path.join(tmpdir(), 'ringkv-dashboard-'));
  processes = [];

  /** Starts a role and resolves with the fields of its `RINGKV READY key=value…` line once it serves. */
  start(name, args) {
    const [file, prefix] = BIN.endsWith('.dll') ? ['dotnet', [BIN]] : [BIN, []];
    // --parent-pid: the process exits on its own if this harness dies before it can clean up.
    const child = spawn(file, [...prefix, ...args, '--parent-pid', String(process.pid)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = { name, child, output: [], exited: false };
    this.processes.push(proc);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} printed no READY line within ${READY_TIMEOUT_MS} ms\n${this.logs()}`)), READY_TIMEOUT_MS);
      const collect = stream => readline.createInterface({ input: stream }).on('line', line => {
        proc.output.push(line);
        if (line.startsWith('RINGKV READY')) {
          clearTimeout(timer);
          resolve({ ...Object.fromEntries(line.split(' ').slice(2).map(kv => kv.split('='))), proc });
        }
      });
      collect(child.stdout);
      collect(child.stderr);
      child.on('error', error => { clearTimeout(timer); reject(new Error(`${name} could not start (${file}): ${error.message}`)); });
      child.on('exit', code => {
        proc.exited = true;
        clearTimeout(timer);
        reject(new Error(`${name} exited (code ${code}) before it was ready\n${this.logs()}`));
      });
    });
  }

  /** The last lines each process printed, for a failing assertion's message. */
  logs(lines = 15) {
    return this.processes.map(p => `--- ${p.name}${p.exited ? ' (exited)' : ''}:\n${p.output.slice(-lines).join('\n')}`).join('\n');
  }

  async stop() {
    await Promise.all(this.processes.filter(p => !p.exited).map(p => new Promise(resolve => {
      p.child.once('exit', resolve);
      p.child.kill('SIGKILL');
    })));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls `condition` until it returns a truthy value (returned) or the deadline passes (throws, with the logs). */
async function waitFor(what, condition, timeoutMs, logs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error.message;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})\n${logs?.() ?? ''}`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

async function overview(http) {
  const response = await fetch(`http://127.0.0.1:${http}/v1/overview`);
  if (!response.ok) throw new Error(`GET /v1/overview: HTTP ${response.status}`);
  return response.json();
}

/** What the page shows per node card: state, classes, figures and computed colours. */
const readCards = page => page.$$eval('[data-testid="node-card"]', cards => cards.map(card => ({
  id: card.dataset.nodeId,
  state: card.dataset.state,
  className: card.className,
  keys: Number(card.dataset.keys),
  ops: Number(card.dataset.ops),
  badge: card.querySelector('[data-testid="node-state"]')?.textContent,
  background: getComputedStyle(card).backgroundColor,
  border: getComputedStyle(card).borderRightColor,
})));

const rgb = css => css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
const isRed = css => { const [r, g, b] = rgb(css); return r > 1.5 * g && r > 1.5 * b && r >= 50; };

// Without Chromium every test is skipped one by one (a skipped suite would count as no test at all in the summary).
const skip = chromiumMissing && `chromium not found at ${CHROMIUM}`;

describe('dashboard', { timeout: 300_000 }, () => {
  const cluster = new Cluster();
  const pageErrors = [];
  let context;
  let page;
  let coordinator;
  const nodes = {};

  /** A test of this suite; a failure's message ends with what the processes printed last. */
  const step = (name, fn) => test(name, { skip }, async t => {
    try {
      await fn(t);
    } catch (error) {
      error.message += `\n${cluster.logs()}`;
      throw error;
    }
  });

  before(async () => {
    if (skip) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    assert.ok(existsSync(BIN) || BIN.endsWith('.dll'), `no ringkv binary at ${BIN}: run dotnet build src/RingKV.Cli first, or set RINGKV_BIN`);
    coordinator = await cluster.start('coordinator', ['coordinator', '--port', '0', '--http-port', '0',
      '--data-dir', path.join(cluster.dir, 'coordinator'), '--failure-timeout', `${FAILURE_TIMEOUT_MS}ms`]);
    const started = await Promise.all([1, 2, 3].map(i => cluster.start(`node-${i}`, ['node', '--id', `node-${i}`,
      '--port', '0', '--http-port', '0', '--coordinator', `127.0.0.1:${coordinator.port}`,
      '--data-dir', path.join(cluster.dir, `node-${i}`), '--storage', 'memory', '--heartbeat-interval', '500ms'])));
    for (const node of started) nodes[node.id] = node;

    // Joins settle one after the other (each copies its slots); the ring is stable when all three are members.
    await waitFor('3 UP members and an idle rebalance', async () => {
      const doc = await overview(coordinator.http);
      return doc.nodes.filter(n => n.state === 'UP' && n.member).length === 3 && doc.rebalance.state === 'idle';
    }, CLUSTER_TIMEOUT_MS, () => cluster.logs());

    const { chromium } = await import('playwright-core');
    // A fresh profile per run (inside the cluster's temp dir, deleted with it): launch() refuses --user-data-dir.
    context = await chromium.launchPersistentContext(path.join(cluster.dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 1000 },
    });
    context.on('weberror', error => pageErrors.push(error.error().message));
    page = context.pages()[0] ?? await context.newPage();
    page.on('console', message => {
      if (message.text().includes('dashboard render failed')) pageErrors.push(message.text());
    });
  });

  after(async () => {
    await context?.close().catch(() => {});
    await cluster.stop();
  });

  step('the coordinator serves the dashboard: 3 UP node cards, a ring in 3 colours, the epoch', async () => {
    const epochBefore = (await overview(coordinator.http)).epoch;
    await page.goto(`http://127.0.0.1:${coordinator.http}/`); // redirects to /dashboard/
    assert.match(await page.title(), /RingKV/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="node-card"][data-state="UP"]').length === 3,
      null, { timeout: UI_TIMEOUT_MS });
    const cards = await readCards(page);
    assert.deepEqual(cards.map(c => c.id).sort(), ['node-1', 'node-2', 'node-3']);
    for (const card of cards) {
      assert.equal(card.badge, 'UP');
      assert.ok(!card.className.includes('down'), `${card.id} is UP but its card is marked down`);
    }

    const colours = await page.$$eval('[data-testid="ring"] path.arc[data-node]', paths => paths.map(p => p.getAttribute('stroke')));
    assert.equal(new Set(colours).size, 3, `ring arcs in 3 colours, got ${JSON.stringify(colours)}`);
    const epoch = Number(await page.textContent('[data-testid="epoch"]'));
    assert.ok(Number.isInteger(epoch) && epoch >= epochBefore, `epoch shown ${epoch}, overview said ${epochBefore}`);
    assert.equal(await page.getAttribute('[data-testid="rebalance"]', 'data-state'), 'idle');
    // A lone coordinator: the coordinators panel lists it alone, standalone, as the leader that Raft need not reach.
    await page.waitForSelector('[data-testid="coordinators"][data-mode="standalone"]', { timeout: UI_TIMEOUT_MS });
    const group = await page.$$eval('[data-testid="coordinator"]', rows => rows.map(row => ({
      endpoint: row.dataset.endpoint, role: row.dataset.role, state: row.dataset.state,
      badge: row.querySelector('[data-testid="coordinator-role"]')?.textContent,
    })));
    assert.deepEqual(group, [{ endpoint: `127.0.0.1:${coordinator.port}`, role: 'leader', state: 'reachable', badge: 'LEADER' }]);
    assert.equal(await page.textContent('#coordinators-mode'), 'standalone');
    // Each chart draws its total as a line once it has two samples (a flat line at 0 while idle, so not "visible").
    await page.waitForFunction(() => ['chart-ops', 'chart-p99'].every(id =>
      document.querySelector(`[data-testid="${id}"] path.series.total`)?.getAttribute('d')?.includes('L')), null, { timeout: UI_TIMEOUT_MS });
  });

  step('keys and ops written through a node\'s HTTP API appear on the cards', async () => {
    const base = `http://127.0.0.1:${nodes['node-1'].http}/v1/kv/`;
    const put = async key => {
      const response = await fetch(base + encodeURIComponent(key), { method: 'PUT', body: `value of ${key}` });
      assert.equal(response.status, 204, `PUT ${key}: HTTP ${response.status} ${await response.text()}`);
    };
    for (let batch = 0; batch < 200; batch += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => put(`dashboard:${batch + i}`)));
    }
    // ops/s covers one heartbeat interval, so writes keep going until a card has shown some.
    let writing = true;
    const writer = (async () => { for (let i = 0; writing; i++) await put(`dashboard:ops:${i % 10}`); })();
    try {
      await page.waitForFunction(() => {
        const cards = [...document.querySelectorAll('[data-testid="node-card"]')];
        const keys = cards.reduce((sum, c) => sum + Number(c.dataset.keys), 0);
        return keys >= 200 && cards.some(c => Number(c.dataset.ops) > 0);
      }, null, { timeout: UI_TIMEOUT_MS });
    } finally {
      writing = false;
      await writer;
    }
    const cards = await readCards(page);
    assert.ok(cards.every(c => c.keys > 0), `every node holds keys: ${JSON.stringify(cards.map(c => [c.id, c.keys]))}`);
  });

  step('a SIGKILLed node\'s card turns DOWN and red within the failure timeout plus a margin', async t => {
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-healthy.png'), fullPage: true });

    const victim = nodes['node-3'];
    const killedAt = performance.now();
    victim.proc.child.kill('SIGKILL');
    const budget = FAILURE_TIMEOUT_MS + DOWN_MARGIN_MS;
    await page.waitForSelector('[data-testid="node-card"][data-node-id="node-3"][data-state="DOWN"]', { timeout: budget });
    const elapsed = Math.round(performance.now() - killedAt);
    t.diagnostic(`DOWN shown on the dashboard ${elapsed} ms after SIGKILL (failure timeout ${FAILURE_TIMEOUT_MS} ms, budget ${budget} ms)`);

    const cards = await readCards(page);
    const dead = cards.find(c => c.id === 'node-3');
    assert.equal(dead.badge, 'DOWN');
    assert.match(dead.className, /\bnode-card\b.*\bdown\b/);
    assert.ok(isRed(dead.background) && isRed(dead.border), `DOWN card is red: background ${dead.background}, border ${dead.border}`);
    for (const live of cards.filter(c => c.id !== 'node-3')) {
      assert.equal(live.state, 'UP');
      assert.ok(!isRed(live.background), `${live.id} is UP but its card is red (${live.background})`);
    }
    // The ring marks the dead node's arcs too: hatched instead of its plain colour.
    const arc = await page.$eval('[data-testid="ring"] path.arc[data-node="node-3"]', p => ({ className: p.getAttribute('class'), stroke: p.getAttribute('stroke') }));
    assert.match(arc.className, /\bdown\b/);
    assert.match(arc.stroke, /^url\(#hatch-/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  });

  step('a node serves the same dashboard with the overview relayed from the coordinator', async () => {
    const relay = await context.newPage();
    try {
      await relay.goto(`http://127.0.0.1:${nodes['node-2'].http}/dashboard/`);
      assert.match(await relay.title(), /RingKV/);
      await relay.waitForFunction(() => document.querySelectorAll('[data-testid="node-card"]').length === 3
        && document.querySelectorAll('[data-testid="node-card"][data-state="UP"]').length === 2
        && document.querySelector('[data-testid="node-card"][data-node-id="node-3"]')?.dataset.state === 'DOWN',
      null, { timeout: UI_TIMEOUT_MS });
      assert.equal(await relay.locator('[data-testid="connection-banner"]').isVisible(), false);
      assert.equal(await relay.getAttribute('[data-testid="coordinators"]', 'data-mode'), 'standalone');
      await relay.screenshot({ path: path.join(ARTIFACTS, 'dashboard-relay.png'), fullPage: true });
    } finally {
      await relay.close();
    }
  });

  step('the connection-lost banner shows while the coordinator is down and clears when it is back', async () => {
    const banner = '[data-testid="connection-banner"]';
    assert.equal(await page.locator(banner).isVisible(), false);
    const { port, http } = coordinator;
    await new Promise(resolve => { coordinator.proc.child.once('exit', resolve); coordinator.proc.child.kill('SIGKILL'); });
    await page.waitForSelector(banner, { state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.match(await page.textContent(banner), /Connection lost/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-lost.png'), fullPage: true });

    // The same addresses again, so the open page (and the nodes) find it where it was.
    coordinator = await cluster.start('coordinator (restarted)', ['coordinator', '--port', port, '--http-port', http,
      '--data-dir', path.join(cluster.dir, 'coordinator'), '--failure-timeout', `${FAILURE_TIMEOUT_MS}ms`]);
    await page.waitForSelector(banner, { state: 'hidden', timeout: UI_TIMEOUT_MS });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="node-card"][data-state="UP"]').length === 2,
      null, { timeout: UI_TIMEOUT_MS });
  });

  step('the page threw no errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
