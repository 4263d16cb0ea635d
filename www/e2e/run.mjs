// End-to-end test of the page: serves dist/ on 127.0.0.1, drives Debian's Chromium with
// playwright-core, runs the iris accuracy gate in the page and compares the page's results
// with `mltest run --format json` on the same suite. Prints `N passed, N failed`; exits 1 on
// any failure. Needs `trunk build --release` (dist/) and `cargo build --release --bin mltest`.
//
//   node www/e2e/run.mjs

import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist');
const SCREENSHOTS = join(ROOT, 'www', 'screenshots');
const SUITE = 'static/suites/iris-accuracy-gate.json';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const WAIT_MS = 60_000;

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) {
    passed += 1;
    console.log(`ok - ${name}`);
  } else {
    failed += 1;
    console.log(`not ok - ${name}${detail ? `: ${detail}` : ''}`);
  }
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.csv': 'text/csv', '.yaml': 'text/yaml',
  '.md': 'text/markdown', '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** A static server for dist/ on a free port of 127.0.0.1. */
function serve(root) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** The CLI's JSON report of the suite (exit status 1 only means the verdict is fail). */
function cliReport() {
  const cli = join(ROOT, 'target', 'release', 'mltest');
  let out;
  try {
    out = execFileSync(cli, ['run', SUITE, '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
  } catch (err) {
    if (err.status !== 1) throw err;
    out = err.stdout;
  }
  return JSON.parse(out);
}

async function main() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/index.html is missing: run `trunk build --release` first');
  const expected = cliReport();
  const server = await serve(DIST);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const profile = mkdtempSync(join(tmpdir(), 'mltest-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const foreign = [];
    const errors = [];
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
    });
    page.on('pageerror', (err) => errors.push(String(err)));
    page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });

    await page.goto(`${origin}/`);
    await page.waitForSelector('[data-testid=sample-select]', { timeout: WAIT_MS });
    const readyMs = await page.evaluate(() => performance.now());
    check('the page opens with the iris sample selected', (await page.inputValue('[data-testid=sample-select]')) === 'iris');

    await page.click('[data-testid=run-button]');
    await page.waitForSelector('[data-testid=verdict]', { timeout: WAIT_MS });
    const verdictMs = await page.evaluate(() => performance.now());

    const verdict = await page.getAttribute('[data-testid=verdict]', 'data-verdict');
    check('the verdict is pass', verdict === 'pass', `data-verdict=${verdict}`);
    check('the verdict is the CLI\'s', verdict === expected.verdict, `page ${verdict}, CLI ${expected.verdict}`);

    const rows = await page.$$eval('[data-testid=test-row]', (els) => els.map((el) => ({
      id: el.dataset.testId,
      status: el.dataset.status,
      observed: el.querySelector('.observed')?.dataset.observed,
    })));
    check('one row per test of the report', rows.length === expected.tests.length,
      `page ${rows.length}, CLI ${expected.tests.length}`);
    for (const test of expected.tests) {
      const row = rows.find((r) => r.id === test.id);
      check(`test ${test.id} passes`, row?.status === 'pass', `data-status=${row?.status}`);
      check(`test ${test.id} observes what the CLI observes`,
        row !== undefined && JSON.stringify(JSON.parse(row.observed)) === JSON.stringify(test.observed),
        `page ${row?.observed}, CLI ${JSON.stringify(test.observed)}`);
    }
    const acc = expected.tests.find((t) => t.id === 'acc');
    const shownAcc = JSON.parse(rows.find((r) => r.id === 'acc')?.observed ?? 'null');
    check('the accuracy shown equals the CLI\'s', shownAcc === acc.observed, `page ${shownAcc}, CLI ${acc.observed}`);

    await page.click('[data-test-id=acc] button.expand');
    await page.waitForSelector('[data-test-id=acc] [data-testid=step-row]', { timeout: WAIT_MS });
    const steps = await page.$$eval('[data-test-id=acc] [data-testid=step-row]', (els) => els.length);
    check('the accuracy test expands to its execution table', steps === acc.steps.length,
      `page ${steps} steps, CLI ${acc.steps.length}`);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'iris-accuracy-gate.png'), fullPage: true });

    // A file that cannot be read: the error banner, and the suite is kept.
    const suiteBefore = await page.inputValue('#suite-text');
    await page.setInputFiles('[data-testid=csv-input]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('') });
    await page.waitForSelector('[data-testid=error-banner]', { timeout: WAIT_MS });
    const banner = await page.textContent('[data-testid=error-banner]');
    check('a bad CSV shows the error banner naming the file', banner.includes('bad.csv'), banner);
    check('a bad CSV keeps the suite', (await page.inputValue('#suite-text')) === suiteBefore);
    check('a bad CSV disables the run button', await page.isDisabled('[data-testid=run-button]'));
    await page.screenshot({ path: join(SCREENSHOTS, 'bad-csv.png'), fullPage: true });

    check('no request left the page\'s origin', foreign.length === 0, foreign.join(', '));
    check('no error in the console', errors.length === 0, errors.join(' | '));
    console.log(`timing: page ready ${readyMs.toFixed(0)} ms, first verdict ${verdictMs.toFixed(0)} ms after page load`);
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (err) {
  check('the end-to-end run completes', false, err.stack ?? String(err));
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
