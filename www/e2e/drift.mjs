// End-to-end test of drift with a reference file loaded in the page (PRODUCT.md §12): the
// penguins of 2009 as the data file and those of 2007 as the reference file, each picked
// from disk into its panel; the drift suite with both as `{"source": "file"}` typed into the
// editor. The page's verdict, every test's status and every column's statistic equal
// `mltest run --data … --reference …` on the same files; a column's overlaid histograms open
// on a click; "Suggest tests" proposes drift over `*`; the share link carries both files and
// reproduces the run in a fresh browser and in the CLI. Prints `N passed, N failed`.
//
//   node www/e2e/drift.mjs

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { check, cliReport, finish, openPage, ROOT, runAndWait, WAIT_MS } from './harness.mjs';

const NOW = join(ROOT, 'static/data/penguins_2009.csv');
const THEN = join(ROOT, 'static/data/penguins_2007.csv');
const SUITE = JSON.parse(readFileSync(join(ROOT, 'static/suites/penguins-drift.json'), 'utf8'));
SUITE.data = { source: 'file' };
SUITE.reference = { source: 'file' };

/** The page's results: verdict, `id=status` of every test, and every drift column's statistic. */
async function results(page) {
  const verdict = await page.getAttribute('[data-testid=verdict]', 'data-verdict');
  const rows = await page.$$eval('[data-testid=test-row]', (els) => els.map((el) => `${el.dataset.testId}=${el.dataset.status}`));
  const drift = await page.$$eval('[data-testid=drift-chart]', (charts) => charts.flatMap((chart) =>
    [...chart.querySelectorAll('[data-testid=drift-column]')].map((g) => `${chart.dataset.testId}:${g.dataset.column}:${g.dataset.method}:${Number(g.dataset.statistic)}`)));
  return { verdict, rows: rows.sort().join(' '), drift: drift.sort().join(' ') };
}

function ofCli(report) {
  return {
    verdict: report.verdict,
    rows: report.tests.map((t) => `${t.id}=${t.status}`).sort().join(' '),
    drift: report.tests.flatMap((t) => t.drift.map((d) => `${t.id}:${d.column}:${d.method}:${d.statistic}`)).sort().join(' '),
  };
}

const shape = (page, which) => page.textContent(`[data-testid=${which}]`).catch(() => '');

await finish(async () => {
  const { page, foreign, errors } = await openPage();
  await page.setInputFiles('[data-testid=csv-input]', NOW);
  await page.setInputFiles('[data-testid=reference-csv-input]', THEN);
  await page.waitForFunction(() => document.querySelector('[data-testid=reference-data-shape]')?.textContent.includes('penguins_2007.csv'), null, { timeout: WAIT_MS });
  await page.waitForFunction(() => document.querySelector('[data-testid=data-shape]')?.textContent.includes('penguins_2009.csv'), null, { timeout: WAIT_MS });
  check('the reference panel shows the file and its shape', (await shape(page, 'reference-data-shape')).includes('110 rows × 8 columns'), await shape(page, 'reference-data-shape'));
  await page.click('[data-testid=reference-unfold]');
  check('its preview and profile open on request',
    (await page.locator('.reference-panel [data-testid=preview]').count()) === 1
    && (await page.locator('.reference-panel [data-testid=column-profile]').count()) === 8);

  await page.fill('#suite-text', JSON.stringify(SUITE, null, 2));
  await page.waitForSelector('.suite-ok', { timeout: WAIT_MS });
  await runAndWait(page);
  const ours = await results(page);
  const cli = ofCli(cliReport(join(ROOT, 'static/suites/penguins-drift.json'), '--data', NOW, '--reference', THEN));
  check('the page gives the CLI\'s verdict', ours.verdict === cli.verdict && ours.verdict === 'fail', `${ours.verdict} vs ${cli.verdict}`);
  check('and every test\'s status', ours.rows === cli.rows, `${ours.rows} | ${cli.rows}`);
  check('and every column\'s method and statistic, to the last digit', ours.drift === cli.drift && ours.drift.split(' ').length === 11, `${ours.drift} | ${cli.drift}`);

  // A column's histograms, reference and current overlaid.
  await page.click('[data-testid=drift-chart][data-test-id=columns-drift] [data-testid=drift-column][data-column=flipper_length_mm]');
  await page.waitForSelector('[data-testid=drift-histogram][data-column=flipper_length_mm]', { timeout: WAIT_MS });
  const bins = await page.$$eval('[data-testid=drift-histogram] [data-testid=drift-bin]', (els) => els.map((el) => [Number(el.dataset.reference), Number(el.dataset.current)]));
  const sum = (i) => bins.reduce((s, b) => s + b[i], 0);
  check('a click opens the column\'s overlaid histograms', bins.length > 3 && Math.abs(sum(0) - 1) < 1e-9 && Math.abs(sum(1) - 1) < 1e-9, JSON.stringify(bins));

  // Suggest tests, with a reference loaded, proposes drift over every column and on the target.
  await page.click('button.suggest');
  await page.waitForFunction(() => JSON.parse(document.querySelector('#suite-text').value).tests.some((t) => t.id === 'drift'), null, { timeout: WAIT_MS });
  const suggested = JSON.parse(await page.inputValue('#suite-text')).tests.filter((t) => t.kind === 'drift' && !SUITE.tests.some((s) => s.id === t.id));
  check('"Suggest tests" proposes drift over `*` and on the target', suggested.some((t) => t.column === '*') && suggested.some((t) => t.column === 'species'), JSON.stringify(suggested));
  await page.fill('#suite-text', JSON.stringify(SUITE, null, 2));
  await page.waitForSelector('.suite-ok', { timeout: WAIT_MS });

  // The link carries both files (small: inline) and reproduces the run.
  await page.click('[data-testid=share-button]');
  await page.waitForSelector('[data-testid=share-link]', { timeout: WAIT_MS });
  const link = await page.inputValue('[data-testid=share-link]');
  const note = await page.textContent('.share-meta');
  check('the link says both files travel in it', note.includes('penguins_2009.csv travels in the link') && note.includes('reference: penguins_2007.csv travels in the link'), note);
  const fromLink = ofCli(cliReport(link));
  check('the CLI runs the link to the same verdict and values', fromLink.verdict === ours.verdict && fromLink.rows === ours.rows && fromLink.drift === ours.drift, `${fromLink.drift}`);
  const second = await openPage(link.slice(link.indexOf('#')));
  await second.page.waitForFunction(() => document.querySelector('[data-testid=reference-data-shape]')?.textContent.includes('shared-reference.csv'), null, { timeout: WAIT_MS });
  await second.page.waitForFunction(() => document.querySelector('[data-testid=data-shape]')?.textContent.includes('shared.csv'), null, { timeout: WAIT_MS });
  await runAndWait(second.page);
  const theirs = await results(second.page);
  check('the link opens both files in a fresh browser with the same verdict and values',
    theirs.verdict === ours.verdict && theirs.rows === ours.rows && theirs.drift === ours.drift, `${theirs.drift} | ${ours.drift}`);

  // "none" empties the slot: drift then compares the split's halves, or says the file is missing.
  await second.page.selectOption('[data-testid=reference-sample-select]', '');
  await second.page.waitForSelector('[data-testid=reference-none]', { timeout: WAIT_MS });
  check('without a reference the panel says what drift compares with', (await second.page.textContent('[data-testid=reference-none]')).includes('load it here'));

  check('no request left the page\'s origin', foreign.length === 0 && second.foreign.length === 0, foreign.join(', '));
  check('no error in the console', errors.length === 0 && second.errors.length === 0, [...errors, ...second.errors].join(' | '));
});
