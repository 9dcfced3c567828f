// The real server and a real browser for the page's tests:
//   - `oms migrate`, `oms seed` and `oms serve --profile embedded` on 127.0.0.1 with a fresh data
//     directory, on SQLite or on a fresh database of OMS_TEST_POSTGRES_URL (OMS_WEB_STORE);
//   - Debian's chromium driven by playwright-core, headless, with the flags that keep it off the
//     network (the machine allows loopback only);
//   - axe-core injected into each page, WCAG 2.1 A and AA rules.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const binary = process.env.OMS_BINARY;
export const store = process.env.OMS_WEB_STORE || 'sqlite';
if (!binary) throw new Error('OMS_BINARY=<path to oms> is required');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

function psql(url, sql) {
  execFileSync('psql', [url, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], { timeout: 60000 });
}

// `serve` in `profile` with `args` added.
export async function startServer({ profile = 'embedded', args = [], dataDir = mkdtempSync(join(tmpdir(), 'oms-web-')) } = {}) {
  let databaseUrl = `sqlite://${join(dataDir, 'oms.db')}`;
  let drop = () => {};
  if (store === 'postgres') {
    const admin = process.env.OMS_TEST_POSTGRES_URL;
    if (!admin) throw new Error('OMS_WEB_STORE=postgres needs OMS_TEST_POSTGRES_URL');
    const name = `oms_web_${randomBytes(6).toString('hex')}`;
    psql(admin, `CREATE DATABASE ${name}`);
    const u = new URL(admin);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    drop = () => psql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  const common = ['--data-dir', dataDir, '--database-url', databaseUrl];
  execFileSync(binary, ['migrate', ...common], { timeout: 60000 });
  execFileSync(binary, ['seed', ...common], { timeout: 60000 });
  const port = await freePort();
  const log = openSync(join(dataDir, 'serve.log'), 'a');
  const proc = spawn(binary, ['serve', '--profile', profile, ...common, '--address', '127.0.0.1', '--port', String(port),
    '--rate-limit-per-second', '0', ...args], { stdio: ['ignore', log, log] });
  // Never outlive the test process (a failed run, or output cut short by a closed pipe).
  const orphanGuard = () => { if (proc.exitCode === null) proc.kill('SIGKILL'); };
  process.on('exit', orphanGuard);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => process.exit(1));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`oms serve exited ${proc.exitCode}; see ${dataDir}/serve.log`);
    try { if ((await fetch(`${base}/health`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base, dataDir, databaseUrl,
    async stop() {
      process.off('exit', orphanGuard);
      proc.kill('SIGTERM');
      const code = await new Promise((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.on('exit', resolve)));
      drop();
      return code;
    },
  };
}

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'oms-web-chromium-'));
  // A fresh profile directory (the --user-data-dir), one browser context per test file.
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.OMS_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// WCAG 2.1 A/AA violations on the page as it is now, as readable lines (empty: none).
export async function axeViolations(page) {
  // Through the DevTools protocol: the page's policy (rightly) refuses an injected inline script.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
