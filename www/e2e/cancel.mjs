// End-to-end test of Cancel: uploads a 100,000-row CSV built here (10 numeric features and a
// binary label from a fixed formula, no randomness), runs a kNN suite on it, checks the progress names the stage and the page stays responsive
// during the run, cancels it, and checks the run stopped cleanly and a new run still works
// (and that a second Run replaces the first, and a worker that cannot load fails the run).
// One run worker waits from the page's start and stays after a run; a run that is replaced or
// cancelled has its worker terminated, and a fresh one waits for the next run.
// Prints `N passed, N failed`; exits 1 on any failure (harness.mjs). Needs `trunk build --release`.
//
//   node www/e2e/cancel.mjs

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { check, finish, openPage, ROOT, SCREENSHOTS, WAIT_MS, workersNamed } from './harness.mjs';

const ROWS = 100_000;
const FEATURES = 10;
/** The responsiveness bound: a round trip into the page while the run works. */
const RESPONSIVE_MS = 200;
const ENGINE_STAGE = /^(prepare|split|preprocess|train|predict|test \d+ of \d+: .+)$/;

/** x_j of row i in [0, 10); label = 1 when a fixed linear score is above its middle. */
function bigCsv() {
  const header = [...Array(FEATURES).keys()].map((j) => `x${j}`).concat('label').join(',');
  const lines = [header];
  for (let i = 0; i < ROWS; i += 1) {
    const x = [];
    for (let j = 0; j < FEATURES; j += 1) x.push(((i * (2 * j + 1) * 37 + j * 11) % 101) / 10);
    const score = x[0] + x[1] - x[2] + 0.5 * x[3] - 0.25 * x[4];
    lines.push(`${x.join(',')},${score > 7.5 ? 1 : 0}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

const BIG_SUITE = JSON.stringify({
  version: 1,
  name: '100k rows: a long run to cancel',
  data: { source: 'file', path: 'big.csv' },
  target: 'label',
  task: 'classification',
  split: { test_size: 0.2, seed: 42 },
  preprocess: [{ scale: 'standard' }],
  // kNN compares each of the 20,000 test rows with each of the 80,000 train rows: seconds
  // of work in any engine, so the run is surely still going while the page is checked (a
  // logistic regression on these rows now finishes in about a second).
  model: { kind: 'knn', k: 5 },
  tests: [
    { id: 'acc', kind: 'metric_threshold', metric: 'accuracy', op: '>', value: 0.5 },
    { id: 'cv-accuracy', kind: 'cross_validation', folds: 10, metric: 'accuracy', min_mean: 0.5 },
  ],
}, null, 2);

/** Polls `condition` every 50 ms for up to `ms`; whether it came true. */
async function waitUntil(condition, ms) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (condition()) return true;
    await new Promise((done) => setTimeout(done, 50));
  }
  return condition();
}

/** How long `page.evaluate` takes to come back, in ms. */
async function roundTrip(page) {
  const started = performance.now();
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(true))));
  return performance.now() - started;
}

async function main() {
  const { page, context, foreign, errors } = await openPage();

  const csv = bigCsv();
  await page.setInputFiles('[data-testid=csv-input]', { name: 'big.csv', mimeType: 'text/csv', buffer: csv });
  await page.fill('#suite-text', BIG_SUITE);
  await page.waitForFunction(() => document.body.innerText.includes('big.csv')
    && !document.querySelector('[data-testid=run-button]').disabled, null, { timeout: WAIT_MS });
  check('the 100k-row CSV loads and the suite is runnable', true);
  check('no cancel button before a run', (await page.$('[data-testid=cancel-button]')) === null);

  const runStarted = performance.now();
  await page.click('[data-testid=run-button]');
  await page.waitForSelector('[data-testid=progress]', { timeout: WAIT_MS });
  check('the cancel button shows while running', await page.isVisible('[data-testid=cancel-button]'));
  // The stage and the text shown are read together: the stage moves on quickly.
  const stageHandle = await page.waitForFunction((pattern) => {
    const progress = document.querySelector('[data-testid=progress]');
    const stage = progress?.getAttribute('aria-valuetext') ?? '';
    return new RegExp(pattern).test(stage) ? { stage, shown: progress.textContent } : false;
  }, ENGINE_STAGE.source, { timeout: WAIT_MS, polling: 20 });
  const { stage, shown } = await stageHandle.jsonValue();
  const stageMs = performance.now() - runStarted;
  check('the progress names the engine\'s stage', shown.includes(stage), `stage ${stage}, shown ${shown}`);

  // Responsive while the worker computes: round trips into the page (to its next frame).
  const trips = [];
  for (let i = 0; i < 5; i += 1) {
    trips.push(await roundTrip(page));
    await page.waitForTimeout(100);
  }
  const before = await page.inputValue('#suite-text');
  await page.type('#suite-text', ' ');
  const typed = await page.inputValue('#suite-text');
  await page.fill('#suite-text', before);
  const stillRunning = (await page.$('[data-testid=progress]')) !== null;
  const slowest = Math.max(...trips);
  check('the run is still going during the responsiveness checks', stillRunning);
  check(`the page answers within ${RESPONSIVE_MS} ms during the run`, slowest < RESPONSIVE_MS,
    `round trips ${trips.map((t) => t.toFixed(0)).join(', ')} ms`);
  check('typing into the suite editor works during the run', typed === `${before} `);
  const value = Number(await page.getAttribute('[data-testid=progress]', 'aria-valuenow'));
  const lastStage = await page.getAttribute('[data-testid=progress]', 'aria-valuetext');
  check('the progress has advanced', value > 0, `aria-valuenow=${value} at ${lastStage}`);
  const runs = () => workersNamed(page, 'run');
  check('one worker runs the run', runs().length === 1, `${runs().length} run workers`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'run-in-progress.png'), fullPage: true });

  // A second Run replaces the first: its worker is terminated, one worker is left.
  const [first] = runs();
  const secondStarted = performance.now();
  await page.click('[data-testid=run-button]');
  const replaced = await waitUntil(() => runs().length === 1 && runs()[0] !== first, 5_000);
  await page.waitForFunction((pattern) => new RegExp(pattern)
    .test(document.querySelector('[data-testid=progress]')?.getAttribute('aria-valuetext') ?? ''),
  ENGINE_STAGE.source, { timeout: WAIT_MS, polling: 20 });
  check('a second run replaces the first (its worker terminated, one new worker)', replaced, `${runs().length} run workers`);

  const cancelledAt = await page.getAttribute('[data-testid=progress]', 'aria-valuetext');
  const cancelledAfterMs = performance.now() - secondStarted;
  await page.click('[data-testid=cancel-button]');
  await page.waitForSelector('[data-testid=progress]', { state: 'detached', timeout: WAIT_MS });
  check('cancel removes the progress and the cancel button', (await page.$('[data-testid=cancel-button]')) === null);
  const [cancelled] = runs();
  const gone = await waitUntil(() => runs().length === 1 && runs()[0] !== cancelled, 5_000);
  check('cancel terminates the run\'s worker (a fresh one waits)', gone, `${runs().length} run workers`);
  const message = (await page.textContent('[data-testid=run-message]')) ?? '';
  check('the page says the run was cancelled', message.includes('run cancelled'), message);
  await page.waitForTimeout(1500);
  check('no verdict appears after the cancel', (await page.$('[data-testid=verdict]')) === null);
  check('cancel keeps the suite', (await page.inputValue('#suite-text')) === BIG_SUITE);
  check('cancel keeps the data', (await page.textContent('body')).includes('big.csv'));
  await page.screenshot({ path: join(SCREENSHOTS, 'run-cancelled.png'), fullPage: true });

  // A new run afterwards: the iris sample and its suite.
  await page.selectOption('[data-testid=sample-select]', 'iris');
  await page.fill('#suite-text', readFileSync(join(ROOT, 'static/suites/iris-accuracy-gate.json'), 'utf8'));
  const [waiting] = runs();
  await page.click('[data-testid=run-button]');
  await page.waitForSelector('[data-testid=verdict]', { timeout: WAIT_MS });
  const verdict = await page.getAttribute('[data-testid=verdict]', 'data-verdict');
  check('a run of iris after the cancel passes', verdict === 'pass', `data-verdict=${verdict}`);
  check('the cancel message is gone after the new run', (await page.$('[data-testid=run-message]')) === null);
  check('the waiting worker ran it and stays for the next run', runs().length === 1 && runs()[0] === waiting,
    `${runs().length} run workers`);

  check('no request left the page\'s origin', foreign.length === 0, foreign.join(', '));
  check('no error in the console', errors.length === 0, errors.join(' | '));

  // A worker that cannot load fails the run (it does not spin forever): the page reloaded
  // with the workers' script missing.
  await context.route('**/engine_worker.js?*', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.reload();
  await page.waitForSelector('[data-testid=run-button]:not([disabled])', { timeout: WAIT_MS });
  await page.click('[data-testid=run-button]');
  await page.waitForSelector('[data-testid=progress]', { state: 'detached', timeout: WAIT_MS });
  const failure = await page.evaluate(() => document.querySelector('.run-bar').parentElement.innerText);
  check('a worker that cannot load fails the run with the reason', failure.includes('could not load engine_worker.js'),
    failure);
  console.log(`timing: 100k rows; first engine stage "${stage}" ${stageMs.toFixed(0)} ms after Run; `
    + `cancelled at "${cancelledAt}" ${cancelledAfterMs.toFixed(0)} ms after the second Run; `
    + `page round trips during the run ${trips.map((t) => t.toFixed(0)).join(', ')} ms`);
}

await finish(main);
