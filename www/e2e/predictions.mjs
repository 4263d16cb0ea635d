// End-to-end test of a model brought as predictions (PRODUCT.md §9–§11), built with the
// page's forms: the penguins_predictions sample, the target `sex`, the model kind
// `predictions` (the form finds `sex_pred` and `p_male` and drops the split and the
// preprocessing), the iris tests that train removed, a slice test and a calibration test
// added from the catalogue. The run's verdict and every test's status equal `mltest run`'s
// on the page's share link; the link opens in a second, fresh browser with the same verdict;
// the slice test names Chinstrap. Prints `N passed, N failed`.
//
//   node www/e2e/predictions.mjs

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { check, finish, openPage, ROOT, WAIT_MS } from './harness.mjs';

async function results(page) {
  await page.waitForSelector('[data-testid=verdict]', { timeout: WAIT_MS });
  const verdict = await page.getAttribute('[data-testid=verdict]', 'data-verdict');
  const rows = await page.$$eval('[data-testid=test-row]', (els) => els.map((el) => `${el.dataset.testId}=${el.dataset.status}`));
  return { verdict, rows: rows.sort().join(' ') };
}

function cliReport(link) {
  const cli = join(ROOT, 'target', 'release', 'mltest');
  try {
    return JSON.parse(execFileSync(cli, ['run', link, '--format', 'json'], { cwd: ROOT, encoding: 'utf8' }));
  } catch (err) {
    if (err.status !== 1) throw err;
    return JSON.parse(err.stdout);
  }
}

const suiteOk = (page) => page.waitForSelector('.suite-ok', { timeout: WAIT_MS });

await finish(async () => {
  const { page, foreign, errors } = await openPage();
  await page.selectOption('[data-testid=sample-select]', 'penguins_predictions');
  await page.waitForFunction(() => document.querySelector('.data-shape')?.textContent.includes('penguins_predictions.csv'), null, { timeout: WAIT_MS });

  // The pipeline form: target, then the model kind.
  await page.click('details.pipeline > summary');
  await page.selectOption('#suite-target', 'sex');
  await page.selectOption('#model-kind', 'predictions');
  const model = JSON.parse(await page.inputValue('#suite-text')).model;
  check('the model form finds the prediction and probability columns',
    model.prediction === 'sex_pred' && model.scores === 'p_male', JSON.stringify(model));
  const doc = JSON.parse(await page.inputValue('#suite-text'));
  check('the split and preprocessing are gone', doc.split === undefined && doc.preprocess === undefined);
  check('the scores field names the positive class', (await page.textContent('.pipeline-form')).includes('the probability of `male`'));

  // The iris tests that train cannot test brought predictions: the engine says so; remove them.
  const text = await page.textContent('.suite-error').catch(() => '');
  check('a test that trains is refused with the reason', text.includes('cannot test a `predictions` model'), text);
  for (const id of ['cv-accuracy', 'end-to-end']) {
    await page.getByRole('button', { name: `Remove ${id}`, exact: true }).click();
  }
  await suiteOk(page);

  // A slice test and a calibration test from the catalogue.
  await page.getByLabel('Test kind').selectOption('slice_metric');
  await page.getByRole('button', { name: 'Add test' }).click();
  await page.getByLabel('Test kind').selectOption('calibration');
  await page.getByRole('button', { name: 'Add test' }).click();
  await suiteOk(page);
  const tests = JSON.parse(await page.inputValue('#suite-text')).tests;
  const slice = tests.find((t) => t.kind === 'slice_metric');
  check('the slice test cuts by a category column', slice?.by === 'species', JSON.stringify(slice));

  await page.click('[data-testid=run-button]');
  const ours = await results(page);
  const sliceRow = await page.textContent(`[data-testid=test-row][data-test-id="${slice.id}"]`);
  check('the slice test names Chinstrap', sliceRow.includes('Chinstrap'), sliceRow);

  await page.click('[data-testid=share-button]');
  await page.waitForSelector('[data-testid=share-link]', { timeout: WAIT_MS });
  const link = await page.inputValue('[data-testid=share-link]');
  const cli = cliReport(link);
  const cliRows = cli.tests.map((t) => `${t.id}=${t.status}`).sort().join(' ');
  check('the CLI runs the link to the page\'s verdict', cli.verdict === ours.verdict, `${cli.verdict} vs ${ours.verdict}`);
  check('and every test\'s status', cliRows === ours.rows, `${cliRows} | ${ours.rows}`);

  const second = await openPage(link.slice(link.indexOf('#')));
  await second.page.waitForFunction(() => document.querySelector('.data-shape')?.textContent.includes('penguins_predictions.csv'), null, { timeout: WAIT_MS });
  await second.page.click('[data-testid=run-button]');
  const theirs = await results(second.page);
  check('the link opens in a fresh browser with the same verdict and statuses',
    theirs.verdict === ours.verdict && theirs.rows === ours.rows, `${theirs.rows} | ${ours.rows}`);

  check('no request left the page\'s origin', foreign.length === 0 && second.foreign.length === 0, foreign.join(', '));
  check('no error in the console', errors.length === 0 && second.errors.length === 0, [...errors, ...second.errors].join(' | '));
});
