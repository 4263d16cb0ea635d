// End-to-end test of the page: serves dist/ on 127.0.0.1, drives Debian's Chromium with
// playwright-core, runs the iris accuracy gate in the page and compares the page's results
// with `mltest run --format json` on the same suite. Prints `N passed, N failed`; exits 1 on
// any failure (harness.mjs). Needs `trunk build --release` (dist/) and
// `cargo build --release --bin mltest`.
//
//   node www/e2e/run.mjs

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { check, cliReport, DIST, finish, openPage, SCREENSHOTS, WAIT_MS, workersNamed } from './harness.mjs';

const SUITE = 'static/suites/iris-accuracy-gate.json';
/**
 * What the page may transfer, gzipped, before its first verdict: 10% over the 963,201 bytes
 * measured once the page and its workers shared one engine module and the samples but iris
 * were fetched when chosen (issue 15 aims at 600 KB; BENCHMARKS.md says what is left).
 */
const TRANSFER_BUDGET = 1_059_500;

async function main() {
  const expected = cliReport(SUITE);
  const { page, origin, foreign, errors, requested } = await openPage();
  const readyMs = await page.evaluate(() => performance.now());
  check('the page opens with the iris sample selected', (await page.inputValue('[data-testid=sample-select]')) === 'iris');

  await page.click('[data-testid=run-button]');
  await page.waitForSelector('[data-testid=verdict]', { timeout: WAIT_MS });
  const verdictMs = await page.evaluate(() => performance.now());
  // What the page and its workers fetched up to the verdict, gzipped as a server would send it.
  const fetched = [...new Set(requested.filter((url) => url.startsWith(origin))
    .map((url) => new URL(url).pathname).map((path) => (path === '/' ? '/index.html' : path)))];
  const gzipped = fetched.map((path) => gzipSync(readFileSync(join(DIST, path)), { level: 9 }).length);
  const transferred = gzipped.reduce((a, b) => a + b, 0);
  check('the engine is downloaded once, for the page and its workers', fetched.filter((p) => p.endsWith('.wasm')).length === 1,
    fetched.join(', '));
  check(`the page transfers at most ${TRANSFER_BUDGET} bytes gzipped before its first verdict`, transferred <= TRANSFER_BUDGET,
    `${transferred} bytes`);
  // The workers www/early_workers.js started while the page parsed are the ones the page
  // took: had it not taken them, it would have started its own beside them.
  const workers = { run: workersNamed(page, 'run').length, load: workersNamed(page, 'load').length };
  check('the page runs in the workers started while it parsed, one run worker and one loader',
    workers.run === 1 && workers.load === 1, JSON.stringify(workers));

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
  // The data loaded before stays (issue 4: errors do not lose the current data), so Run stays enabled.
  check('a bad CSV keeps the data loaded before', (await page.inputValue('[data-testid=sample-select]')) === 'iris');
  await page.screenshot({ path: join(SCREENSHOTS, 'bad-csv.png'), fullPage: true });

  // A 200 MB file is refused from its size, before it is read (PRODUCT.md §8).
  const big = join(mkdtempSync(join(tmpdir(), 'mltest-big-')), 'huge.csv');
  writeFileSync(big, '');
  truncateSync(big, 200 * 1024 * 1024);
  await page.setInputFiles('[data-testid=csv-input]', big);
  await page.waitForFunction(() => document.querySelector('[data-testid=error-banner]')?.textContent.includes('huge.csv'), null, { timeout: WAIT_MS });
  const huge = await page.textContent('[data-testid=error-banner]');
  check('a 200 MB file is refused with its size and the limit', /huge\.csv/.test(huge) && /MiB|MB|bytes/.test(huge), huge);
  check('a 200 MB file keeps the data loaded before', (await page.inputValue('[data-testid=sample-select]')) === 'iris');
  rmSync(dirname(big), { recursive: true, force: true });

  check('no request left the page\'s origin', foreign.length === 0, foreign.join(', '));
  check('no error in the console', errors.length === 0, errors.join(' | '));
  console.log(`timing: page ready ${readyMs.toFixed(0)} ms, first verdict ${verdictMs.toFixed(0)} ms after page load`);
  console.log(`size: ${transferred} bytes gzipped transferred before the first verdict: ${fetched.map((p, i) => `${p} ${gzipped[i]}`).join(', ')}`);
  // The release wasm sizes, raw and gzipped (what a server sending gzip would transfer).
  for (const file of readdirSync(DIST).filter((f) => f.endsWith('.wasm')).sort()) {
    const bytes = readFileSync(join(DIST, file));
    console.log(`size: ${file} ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`);
  }
}

await finish(main);
