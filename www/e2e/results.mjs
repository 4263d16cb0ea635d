// End-to-end test of the results panel: runs example suites in the page and checks the stage
// strip, the confusion matrix (against the CLI's JSON report), the ROC chart, an expanded
// failing test (tracked variables, failing rows), the downloads (JSON report equal to the
// CLI's but for `timings_ms`, JUnit XML that parses, the suite), the `mltest run` command for
// CI (run as shown), the slice charts and the reliability diagram of a model brought as
// predictions (against the CLI's slices and bins), and the page at phone width. Writes
// screenshots to www/screenshots/.
//
//   node www/e2e/results.mjs

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { check, cliReport, finish, openPage, ROOT, runAndWait, SCREENSHOTS, WAIT_MS } from './harness.mjs';

const STAGES = ['data', 'split', 'preprocess', 'train', 'evaluate', 'verdict'];

/** Loads an example suite and its sample, clicks Run and waits for this run's verdict. */
async function runExample(page, file) {
  const text = readFileSync(join(ROOT, 'static/suites', file), 'utf8');
  await page.selectOption('[data-testid=sample-select]', JSON.parse(text).data.source.replace(/^sample:/, ''));
  await page.fill('#suite-text', text);
  const verdict = await runAndWait(page);
  return { text, verdict, expected: cliReport(`static/suites/${file}`) };
}

/** The stage strip as [{stage, outcome}]. */
const strip = (page) => page.$$eval('[data-testid=stage-strip] [data-stage]',
  (els) => els.map((el) => ({ stage: el.dataset.stage, outcome: el.dataset.outcome })));

/** The confusion matrix drawn, as rows of counts. */
const matrix = (page) => page.$$eval('[data-testid=cm-cell]', (els) => {
  const rows = [];
  for (const el of els) {
    const t = Number(el.dataset.true);
    (rows[t] ??= [])[Number(el.dataset.pred)] = Number(el.dataset.count);
  }
  return rows;
});

/** Clicks a download button; the file's text. */
async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}]`)]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

const withoutTimings = (report) => JSON.stringify({ ...report, timings_ms: undefined });

await finish(async () => {
  const { page, foreign, errors } = await openPage();
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'results-page-loaded.png'), fullPage: true });

  // A passing multiclass run: every stage passes, the matrix is the CLI's, a curve per class.
  const iris = await runExample(page, 'iris-accuracy-gate.json');
  const irisStrip = await strip(page);
  check('iris: the strip has the six stages in order', JSON.stringify(irisStrip.map((s) => s.stage)) === JSON.stringify(STAGES),
    JSON.stringify(irisStrip));
  check('iris: the strip is the CLI report\'s stages', JSON.stringify(irisStrip) === JSON.stringify(iris.expected.stages),
    `page ${JSON.stringify(irisStrip)}, CLI ${JSON.stringify(iris.expected.stages)}`);
  const irisMatrix = await matrix(page);
  check('iris: the confusion matrix cells equal the CLI\'s', JSON.stringify(irisMatrix) === JSON.stringify(iris.expected.model.confusion_matrix),
    `page ${JSON.stringify(irisMatrix)}, CLI ${JSON.stringify(iris.expected.model.confusion_matrix)}`);
  const irisCurves = await page.$$eval('[data-testid=roc-curve]', (els) => els.map((el) => el.dataset.class));
  check('iris: one ROC curve per class', JSON.stringify(irisCurves) === JSON.stringify(['setosa', 'versicolor', 'virginica']), irisCurves.join());
  check('iris: every chart has a title', await page.$$eval('.charts svg', (els) => els.length > 0 && els.every((el) =>
    el.querySelector(':scope > title')?.textContent && el.getAttribute('aria-label') && el.getAttribute('viewBox'))));
  await page.screenshot({ path: join(SCREENSHOTS, 'results-iris-pass.png'), fullPage: true });

  // A failing binary run: the strip shows where, the ROC chart, and the downloads.
  const cancer = await runExample(page, 'breast-cancer-overfit.json');
  const cancerStrip = await strip(page);
  check('breast cancer: the strip is the CLI report\'s stages', JSON.stringify(cancerStrip) === JSON.stringify(cancer.expected.stages),
    `page ${JSON.stringify(cancerStrip)}`);
  check('breast cancer: evaluate and verdict are red', cancerStrip.find((s) => s.stage === 'evaluate')?.outcome === 'fail'
    && cancerStrip.find((s) => s.stage === 'verdict')?.outcome === 'fail');
  const cancerMatrix = await matrix(page);
  check('breast cancer: the confusion matrix cells equal the CLI\'s',
    JSON.stringify(cancerMatrix) === JSON.stringify(cancer.expected.model.confusion_matrix), JSON.stringify(cancerMatrix));
  const roc = await page.$eval('[data-testid=roc-chart] > title', (el) => el.textContent).catch(() => null);
  check('breast cancer: the ROC chart of the binary target has its AUC in the title',
    roc !== null && roc.includes('AUC') && roc.includes('malignant'), String(roc));
  check('breast cancer: the failing accuracy bound is drawn red',
    (await page.$$('[data-testid=bounds-chart] [data-testid=bound][data-holds=false]')).length >= 1);

  await page.click('[data-test-id=accuracy] button.expand');
  await page.waitForSelector('[data-test-id=accuracy] [data-testid=variable-row]', { timeout: WAIT_MS });
  const accuracy = cancer.expected.tests.find((t) => t.id === 'accuracy');
  const variables = await page.$$eval('[data-test-id=accuracy] [data-testid=variable-row]', (els) => els.map((el) => el.dataset.variable));
  check('breast cancer: the failing test shows its tracked variables',
    JSON.stringify(variables) === JSON.stringify(accuracy.variables.map((v) => v.name)), variables.join());
  check('breast cancer: and its explanation', (await page.textContent('[data-test-id=accuracy] [data-testid=explanation]')) === accuracy.message);

  const json = await download(page, 'download-json');
  check('the JSON report downloads as report.json', json.name === 'report.json', json.name);
  check('the downloaded JSON report is the CLI\'s but for timings_ms',
    withoutTimings(JSON.parse(json.text)) === withoutTimings(cancer.expected));
  const junit = await download(page, 'download-junit');
  const parsed = await page.evaluate((xml) => {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    return { error: doc.querySelector('parsererror') !== null, cases: doc.querySelectorAll('testcase').length,
      failures: doc.querySelectorAll('testcase > failure').length };
  }, junit.text);
  check('the JUnit XML downloads as report.xml and parses', junit.name === 'report.xml' && !parsed.error, JSON.stringify(parsed));
  check('the JUnit XML has a testcase per test and the failures', parsed.cases === cancer.expected.tests.length
    && parsed.failures === cancer.expected.summary.failed, JSON.stringify(parsed));
  const suite = await download(page, 'export-suite');
  check('the suite exports as suite.json with the editor\'s text', suite.name === 'suite.json' && suite.text === cancer.text);

  // The CI command, run as the page shows it, on the exported suite and the sample's file.
  const command = (await page.textContent('[data-testid=ci-command]')).trim();
  check('the CI command names the data file', command === 'mltest run suite.json --data breast_cancer.csv --format junit --output report.xml', command);
  const dir = mkdtempSync(join(tmpdir(), 'mltest-ci-'));
  try {
    copyFileSync(join(ROOT, 'static/data/breast_cancer.csv'), join(dir, 'breast_cancer.csv'));
    copyFileSync(join(ROOT, 'static/suites/breast-cancer-overfit.json'), join(dir, 'suite.json'));
    const [, ...args] = command.split(' ');
    let status = 0;
    try {
      execFileSync(join(ROOT, 'target/release/mltest'), args, { cwd: dir });
    } catch (err) {
      status = err.status;
    }
    const xml = readFileSync(join(dir, 'report.xml'), 'utf8');
    check('the CI command runs and exits 1 on a failing verdict', status === 1, `exit ${status}`);
    check('the CI command writes the same test cases', (xml.match(/<testcase /g) ?? []).length === parsed.cases);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.screenshot({ path: join(SCREENSHOTS, 'results-breast-cancer-fail-expanded.png'), fullPage: true });

  // A failing row-level test: its failing rows with their lines.
  const penguins = await runExample(page, 'penguins-missing-values.json');
  await page.click('[data-test-id=bill-length-known] button.expand');
  await page.waitForSelector('[data-test-id=bill-length-known] [data-testid=failing-rows]', { timeout: WAIT_MS });
  const failing = penguins.expected.tests.find((t) => t.id === 'bill-length-known').failures;
  const lines = await page.$$eval('[data-test-id=bill-length-known] [data-testid=failing-row] td:first-child', (els) => els.map((el) => Number(el.textContent)));
  check('penguins: the failing rows are the CLI\'s lines', JSON.stringify(lines) === JSON.stringify(failing.sample.map((c) => c.line)), lines.join());
  check('penguins: no model trained, so no chart', (await page.$$('.charts svg')).length === 0);
  check('penguins: the strip shows the data stage failing and the pipeline not run',
    JSON.stringify(await strip(page)) === JSON.stringify(penguins.expected.stages));
  await page.screenshot({ path: join(SCREENSHOTS, 'results-penguins-failing-rows.png'), fullPage: true });

  // A model brought as predictions, failing on Chinstrap penguins on purpose: a slice chart per
  // slice test with the CLI's slices, Chinstrap red against the bound, and the reliability diagram.
  const brought = await runExample(page, 'penguins-your-model.json');
  check('your model: the verdict is the CLI\'s', brought.verdict === brought.expected.verdict,
    `page ${brought.verdict}, CLI ${brought.expected.verdict}`);
  const slicesDrawn = await page.$$eval('[data-testid=slice-chart]', (els) => els.map((el) => ({
    test: el.dataset.testId,
    slices: [...el.querySelectorAll('[data-testid=slice]')].map((g) => ({ name: g.dataset.name, rows: Number(g.dataset.rows) })),
  })));
  const slicesExpected = brought.expected.tests.filter((t) => t.slices?.length)
    .map((t) => ({ test: t.id, slices: t.slices.map((s) => ({ name: s.name, rows: s.rows })) }));
  check('your model: a slice chart per slice test, a bar per slice with the CLI\'s rows',
    JSON.stringify(slicesDrawn) === JSON.stringify(slicesExpected), `page ${JSON.stringify(slicesDrawn)}, CLI ${JSON.stringify(slicesExpected)}`);
  const species = await page.$$eval('[data-testid=slice-chart][data-test-id=accuracy-by-species] [data-testid=slice]',
    (els) => Object.fromEntries(els.map((el) => [el.dataset.name, el.dataset.outcome])));
  check('your model: Chinstrap fails the accuracy bound, the other species hold it',
    JSON.stringify(species) === JSON.stringify({ Adelie: 'pass', Chinstrap: 'fail', Gentoo: 'pass' }), JSON.stringify(species));
  const chinstrap = await page.$eval('[data-test-id=accuracy-by-species] [data-name=Chinstrap] .bar',
    (el) => getComputedStyle(el).fill);
  const failColour = await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--fail)';
    document.body.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  });
  check('your model: Chinstrap\'s bar is drawn in the failing colour', chinstrap === failColour, `${chinstrap} vs ${failColour}`);
  check('your model: the accuracy bound is a line across the bars',
    (await page.$$('[data-test-id=accuracy-by-species] [data-testid=slice-threshold]')).length === 1);
  check('your model: a gap or fairness test has no per-slice line',
    (await page.$$('[data-test-id=f1-gap-by-island] [data-testid=slice-threshold], [data-test-id=parity-by-species] [data-testid=slice-threshold]')).length === 0);
  const counts = await page.$$eval('[data-testid=reliability-diagram] [data-testid=calibration-point]', (els) => els.map((el) => Number(el.dataset.count)));
  check('your model: the reliability diagram has a point per bin of the CLI\'s curve',
    JSON.stringify(counts) === JSON.stringify(brought.expected.model.calibration.counts), counts.join());
  check('your model: and the diagonal of perfect calibration',
    (await page.$$('[data-testid=reliability-diagram] line.diagonal')).length === 1);
  check('your model: every chart has a title and a caption', await page.$$eval('.charts figure.slices, .charts figure.reliability',
    (els) => els.length > 0 && els.every((el) => el.querySelector('svg > title')?.textContent && el.querySelector('figcaption')?.textContent)));
  await page.screenshot({ path: join(SCREENSHOTS, 'results-penguins-your-model.png'), fullPage: true });
  await page.locator('.charts').screenshot({ path: join(SCREENSHOTS, 'results-slices-reliability.png') });

  // Phone width: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await runExample(page, 'breast-cancer-overfit.json');
  await page.click('[data-test-id=accuracy] button.expand');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  check('at 390 px the page does not scroll sideways', overflow <= 390, `scrollWidth ${overflow}`);
  const charts = await page.$$eval('.charts svg', (els) => els.map((el) => Math.round(el.getBoundingClientRect().right)));
  check('at 390 px every chart fits the screen', charts.length > 0 && charts.every((r) => r <= 390), charts.join());
  await page.screenshot({ path: join(SCREENSHOTS, 'results-phone-390.png'), fullPage: true });

  check('no request left the page\'s origin', foreign.length === 0, foreign.join(', '));
  check('no error in the console', errors.length === 0, errors.join(' | '));
});
