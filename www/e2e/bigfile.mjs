// End-to-end test of loading a large file: a ~100 MB CSV built here (10 numeric features and a
// binary label from a fixed formula, no randomness) is picked through the file input while
// the page's round trips are measured, as cancel.mjs does during a run. The worker reads and
// profiles it (the page leaves the file in the browser: the worker reads its `File`), so every
// round trip stays under WORST_MS and 95 in 100 under RESPONSIVE_MS; the data panel then shows its shape and Run is
// enabled, and the worker stays for the next file. Suggest tests and Share work on the file. Then a second pick of the same file is superseded by a sample
// chosen while it loads: the sample stays and the load's worker is gone.
// Prints the load time and the worst round trip, then `N passed, N failed`; exits 1 on any
// failure (harness.mjs). Needs `trunk build --release`.
//
//   node www/e2e/bigfile.mjs

import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { check, finish, openPage, WAIT_MS, workersNamed } from './harness.mjs';

/** About 100 MB, under the loader's 128 MiB cap. */
const TARGET_BYTES = 100_000_000;
const FEATURES = 10;
/** The responsiveness bounds: round trips into the page (to its next frame) while the file
 * loads, 95 in 100 of them, and every one (as cancel.mjs). A shared 2-core machine delays a
 * round trip now and then (64 ms once in a `make test` beside a cargo build); a load on the
 * page's thread would hold every one for seconds. */
const RESPONSIVE_MS = 50;
const WORST_MS = 200;
/** Reading and profiling 100 MB in wasm takes seconds on a slow machine. */
const LOAD_WAIT_MS = 180_000;

/** Writes the CSV to `path` a block at a time; returns its rows. */
async function writeBigCsv(path) {
  const out = createWriteStream(path);
  const header = [...Array(FEATURES).keys()].map((j) => `x${j}`).concat('label').join(',');
  out.write(`${header}\n`);
  let bytes = header.length + 1;
  let rows = 0;
  while (bytes < TARGET_BYTES) {
    const lines = [];
    for (let k = 0; k < 10_000; k += 1, rows += 1) {
      const x = [];
      for (let j = 0; j < FEATURES; j += 1) x.push(((rows * (2 * j + 1) * 37 + j * 11) % 101) / 10);
      const score = x[0] + x[1] - x[2] + 0.5 * x[3] - 0.25 * x[4];
      lines.push(`${x.join(',')},${score > 7.5 ? 1 : 0}`);
    }
    const block = `${lines.join('\n')}\n`;
    bytes += block.length;
    if (!out.write(block)) await new Promise((done) => out.once('drain', done));
  }
  await new Promise((done) => out.end(done));
  return rows;
}

/** Measures round trips into the page (to its next frame) until `stop()`. */
function measure(page) {
  const trips = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
      trips.push(performance.now() - started);
    }
  })();
  return { trips, stop: async () => { running = false; await done; } };
}

const shape = (page) => page.evaluate(() => document.querySelector('.data-shape')?.textContent ?? '');

await finish(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mltest-bigfile-'));
  try {
    const path = join(dir, 'big.csv');
    const rows = await writeBigCsv(path);
    const size = statSync(path).size;
    const { page, foreign, errors } = await openPage();
    await page.waitForSelector('[data-testid=column-profile]', { timeout: WAIT_MS });

    // A person picks a file a while after the page is up: by then the loader's worker, started
    // with the page, has fetched and compiled the engine.
    await page.waitForTimeout(1_000);
    check('the loader\'s worker waits before any file is picked', workersNamed(page, 'load').length === 1);
    const measuring = measure(page);
    const started = performance.now();
    await page.setInputFiles('[data-testid=csv-input]', path);
    const sawReading = await page.waitForSelector('[data-testid=data-loading]', { timeout: WAIT_MS }).then(() => true, () => false);
    await page.waitForFunction(() => document.querySelector('.data-shape')?.textContent.includes('big.csv'), null,
      { timeout: LOAD_WAIT_MS, polling: 100 });
    const loadMs = performance.now() - started;
    await measuring.stop();
    const { trips } = measuring; if (process.env.TRIPS) console.log(trips.map((t, i) => t > 25 ? i + ':' + Math.round(t) : '').filter(Boolean).join(' '));
    const worst = Math.max(...trips);

    check('the panel says the file is being read', sawReading);
    const shown = await shape(page);
    check(`the ${(size / 1e6).toFixed(0)} MB file loads: ${rows} rows × ${FEATURES + 1} columns`,
      shown.includes(`big.csv — ${rows} rows × ${FEATURES + 1} columns`), shown);
    check('its profile shows every column', (await page.locator('[data-testid=column-profile]').count()) === FEATURES + 1);
    check('the round trips cover the load', trips.length >= 10, `${trips.length} round trips`);
    const p95 = [...trips].sort((a, b) => a - b)[Math.floor(trips.length * 0.95)];
    check(`the page answers within ${RESPONSIVE_MS} ms (95 in 100) and ${WORST_MS} ms (all) while the file loads`,
      p95 < RESPONSIVE_MS && worst < WORST_MS,
      `95th percentile ${p95.toFixed(0)} ms, worst ${worst.toFixed(0)} ms of ${trips.length}`);
    check('the reading notice is gone', (await page.$('[data-testid=data-loading]')) === null);
    check('Run is enabled on the loaded file', await page.isEnabled('[data-testid=run-button]'));
    // The worker that read it stays, idle, for the next file: tearing down a worker that holds
    // a 100 MB table stalls the page (see services/loader.rs).
    const loaders = workersNamed(page, 'load');
    // Beside it, the run worker that waits from the page's start.
    check('one load worker stays, idle, for the next file', loaders.length === 1 && page.workers().length === 2
      && workersNamed(page, 'run').length === 1, `${loaders.length} load workers of ${page.workers().length}`);

    // Suggestions are made by a worker from the file the browser keeps (the page never read it).
    await page.getByRole('button', { name: 'Suggest tests' }).click();
    const slack = Math.ceil(rows / 10);
    const suggested = await page.waitForFunction((min) => document.querySelector('#suite-text').value.includes(`"min": ${min}`),
      rows - slack, { timeout: LOAD_WAIT_MS }).then(() => true, () => false);
    check(`Suggest tests proposes the row count from the file (${rows} rows ± 10%)`, suggested);
    // A share link names the file by the SHA-256 and rows the worker read.
    await page.click('[data-testid=share-button]');
    await page.waitForSelector('[data-testid=share-link]', { timeout: WAIT_MS });
    const note = await page.evaluate(() => document.querySelector('.share-panel')?.innerText ?? document.body.innerText);
    check('its share link asks for the file by SHA-256 and rows', note.includes(`big.csv is too large to inline`) && note.includes(`${rows} rows`), note.slice(0, 300));

    // A newer choice supersedes a load in progress: a sample chosen while the file loads stays.
    await page.selectOption('[data-testid=sample-select]', 'iris');
    await page.setInputFiles('[data-testid=csv-input]', path);
    await page.waitForSelector('[data-testid=data-loading]', { timeout: WAIT_MS }).catch(() => {});
    const [reading] = workersNamed(page, 'load');
    await page.selectOption('[data-testid=sample-select]', 'wine');
    await page.waitForFunction(() => document.querySelector('.data-shape')?.textContent.includes('wine.csv'), null, { timeout: WAIT_MS });
    await page.waitForTimeout(Math.min(loadMs, 10_000) + 1_000);
    check('a sample chosen while a file loads replaces it', (await shape(page)).includes('wine.csv'), await shape(page));
    // (Wine, fetched by the page's build, is read by a new load worker, which stays.)
    check('the superseded load\'s worker is terminated', !workersNamed(page, 'load').includes(reading)
      && workersNamed(page, 'load').length <= 1, `${workersNamed(page, 'load').length} load workers`);
    check('no reading notice is left', (await page.$('[data-testid=data-loading]')) === null);

    check('no request left the page\'s origin', foreign.length === 0, foreign.join(', '));
    check('no error in the console', errors.length === 0, errors.join(' | '));
    console.log(`timing: ${(size / 1e6).toFixed(1)} MB, ${rows} rows loaded in ${loadMs.toFixed(0)} ms; `
      + `page round trips: 95th percentile ${p95.toFixed(0)} ms, worst ${worst.toFixed(0)} ms of ${trips.length}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
