// The shared setup of the end-to-end tests: a static server for dist/ on a free port of
// 127.0.0.1, Debian's Chromium driven by playwright-core with a fresh profile, a page that
// records requests outside its origin and console errors, and the `N passed, N failed` tally.
//
//   import { check, openPage, finish } from './harness.mjs';
//   await finish(async () => { const { page } = await openPage(); ... });

import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = join(ROOT, 'dist');
export const SCREENSHOTS = join(ROOT, 'www', 'screenshots');
export const WAIT_MS = 60_000;
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let passed = 0;
let failed = 0;
/** The CLI's JSON report of a suite (exit status 1 only means the verdict is fail); `args` such as `--data F`. */
export function cliReport(path, ...args) {
  const cli = join(ROOT, 'target', 'release', 'mltest');
  let out;
  try {
    out = execFileSync(cli, ['run', path, '--format', 'json', ...args], { cwd: ROOT, encoding: 'utf8' });
  } catch (err) {
    if (err.status !== 1) throw err;
    out = err.stdout;
  }
  return JSON.parse(out);
}

/** The page's workers of the job `name` (`run`, `load`, `suggestions`: the query of the worker's address). */
export function workersNamed(page, name) {
  return page.workers().filter((worker) => new URL(worker.url()).search === `?${name}`);
}

export function check(name, ok, detail = '') {
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

/** A static server for `root` on a free port of 127.0.0.1. */
export function serve(root) {
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

const cleanups = [];

/**
 * Serves dist/ and opens the page (at `path`, fragment included) in a fresh headless Chromium:
 * a new profile each call, so a second call is a second person's browser. Returns the page, its origin,
 * the requests outside the origin, console errors and every address requested so far (arrays, kept current).
 * Everything is closed by `finish`.
 */
export async function openPage(path = '/') {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/index.html is missing: run `trunk build --release` first');
  const server = await serve(DIST);
  cleanups.push(() => server.close());
  const origin = `http://127.0.0.1:${server.address().port}`;
  const profile = mkdtempSync(join(tmpdir(), 'mltest-e2e-'));
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 },
  });
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  const foreign = [];
  const errors = [];
  // Every address the page and its workers asked for, in order (the context sees the workers').
  const requested = [];
  context.on('request', (req) => {
    const url = req.url();
    requested.push(url);
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  await page.goto(`${origin}${path}`);
  await page.waitForSelector('[data-testid=sample-select]', { timeout: WAIT_MS });
  return { page, origin, context, foreign, errors, requested };
}

/** Clicks Run and waits for the verdict of this run (not one left from the run before). */
export async function runAndWait(page) {
  await page.evaluate(() => {
    const old = document.querySelector('[data-testid=verdict]');
    if (old) old.dataset.e2eOld = '1';
  });
  await page.click('[data-testid=run-button]');
  await page.waitForFunction(() => {
    const v = document.querySelector('[data-testid=verdict]');
    return v !== null && v.dataset.e2eOld === undefined;
  }, null, { timeout: WAIT_MS });
  return page.getAttribute('[data-testid=verdict]', 'data-verdict');
}

/** Runs `body`, closes what `openPage` opened, prints the tally and exits (1 on any failure). */
export async function finish(body) {
  try {
    await body();
  } catch (err) {
    check('the end-to-end run completes', false, err.stack ?? String(err));
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        console.log(`# cleanup: ${err}`);
      }
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
