// End-to-end test of the suite editor's forms: adds a `values_between` test from the
// catalogue, types a bad value into its form and sees the engine's error at the field, fixes
// it, types a number key by key and sees it kept as typed, switches a test off, changes a
// severity and the model through the model form, runs the suite, and compares the page's
// verdict and every test row's status with `mltest run` on the suite text the page holds.
// Checks every form control has a label and that the editor fits a 375px-wide screen.
// Prints `N passed, N failed`; exits 1 on any failure (harness.mjs).
// Needs `trunk build --release` (dist/) and `cargo build --release --bin mltest`.
//
//   node www/e2e/forms.mjs

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { check, cliReport, finish, openPage, SCREENSHOTS, WAIT_MS } from './harness.mjs';

const valid = (page, tests) => page.waitForFunction(
  (n) => document.querySelector('.suite-ok')?.textContent === `valid: ${n} tests`, tests, { timeout: WAIT_MS });

await finish(async () => {
  const { page, foreign, errors } = await openPage();
  mkdirSync(SCREENSHOTS, { recursive: true });
  await valid(page, 5);

  // Add a values_between test from the catalogue.
  await page.getByLabel('Test kind').selectOption('values_between');
  await page.getByRole('button', { name: 'Add test' }).click();
  const card = page.locator('[data-card-id=values-between]');
  await card.waitFor({ timeout: WAIT_MS });
  await valid(page, 6);
  check('the new test reads the first numeric column', (await card.getByLabel('column', { exact: true }).inputValue()) === 'sepal_length');
  check('the new test starts with the column\'s range', (await card.getByLabel('max', { exact: true }).inputValue()) === '7.9');

  // A bad value: the engine's error is shown at the field, then fixed.
  const min = card.getByLabel('min', { exact: true });
  await min.fill('4.x');
  await page.waitForSelector('[data-card-id=values-between] [aria-invalid=true]#t5-min', { timeout: WAIT_MS });
  const fieldError = await page.textContent('#t5-min-error');
  check('a bad value shows the engine\'s error at its field', fieldError.includes('4.x'), fieldError);
  check('the JSON text holds what was typed', (await page.inputValue('#suite-text')).includes('"min": "4.x"'));
  check('Run is disabled while the suite is invalid', await page.isDisabled('[data-testid=run-button]'));
  await min.fill('4');
  await valid(page, 6);
  check('the fixed field is no longer invalid', (await min.getAttribute('aria-invalid')) === 'false');
  check('the error is gone', (await page.$('#t5-min-error')) === null);
  // Typed key by key, a number keeps its spelling in the field (the suite holds the number).
  await min.fill('');
  await min.pressSequentially('1e-4');
  await valid(page, 6);
  check('a number typed key by key stays as typed', (await min.inputValue()) === '1e-4', await min.inputValue());
  check('the JSON text holds its value', (await page.inputValue('#suite-text')).includes('"min": 0.0001'));
  await min.fill('4');
  await valid(page, 6);

  // Switch a test off, change a severity, change the model through the model form.
  await page.locator('[data-card-id=no-nulls]').getByLabel('enabled').uncheck();
  await page.locator('[data-card-id=f1-macro]').getByLabel('severity').selectOption('warn');
  await page.getByText('Pipeline and model', { exact: true }).first().click();
  await page.getByLabel('model', { exact: true }).selectOption('decision_tree');
  await page.waitForSelector('#model-max_depth', { timeout: WAIT_MS });
  await page.getByLabel('max_depth').fill('3');
  await valid(page, 6);
  const text = await page.inputValue('#suite-text');
  check('the text has the test switched off', /"id": "no-nulls"[^\n]*"enabled": false/.test(text), text);
  check('the text has the new severity', /"id": "f1-macro"[^\n]*"severity": "warn"/.test(text), text);
  check('the text has the new model', text.includes('"model": { "kind": "decision_tree", "max_depth": 3 }'), text);

  // Every control of the editor is labelled.
  const unlabelled = await page.$$eval('.suite-editor input, .suite-editor select, .suite-editor textarea',
    (els) => els.filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label')).map((el) => el.id || el.outerHTML));
  check('every control of the editor has a label', unlabelled.length === 0, unlabelled.join(', '));
  await page.screenshot({ path: join(SCREENSHOTS, 'forms.png'), fullPage: true });

  // Run: the page agrees with the CLI on the suite the page holds.
  const dir = mkdtempSync(join(tmpdir(), 'mltest-forms-'));
  const path = join(dir, 'suite.json');
  writeFileSync(path, text);
  const expected = cliReport(path);
  rmSync(dir, { recursive: true, force: true });
  await page.click('[data-testid=run-button]');
  await page.waitForSelector('[data-testid=verdict]', { timeout: WAIT_MS });
  const verdict = await page.getAttribute('[data-testid=verdict]', 'data-verdict');
  check('the verdict is the CLI\'s', verdict === expected.verdict, `page ${verdict}, CLI ${expected.verdict}`);
  const rows = await page.$$eval('[data-testid=test-row]', (els) => els.map((el) => ({ id: el.dataset.testId, status: el.dataset.status })));
  check('one row per test', rows.length === expected.tests.length, `page ${rows.length}, CLI ${expected.tests.length}`);
  for (const test of expected.tests) {
    const row = rows.find((r) => r.id === test.id);
    check(`${test.id} is ${test.status}, as in the CLI`, row?.status === test.status, `page ${row?.status}`);
  }
  check('the added test passes', rows.find((r) => r.id === 'values-between')?.status === 'pass');
  check('the test switched off is skipped', rows.find((r) => r.id === 'no-nulls')?.status === 'skipped');

  // Suggest tests keeps the suite valid.
  await page.getByRole('button', { name: 'Suggest tests' }).click();
  // The worker reads the data and proposes; the tests arrive in the suite text.
  await page.waitForFunction(() => document.querySelector('#suite-text').value.includes('"row-count"'), null, { timeout: WAIT_MS });
  await page.waitForSelector('.suite-ok', { timeout: WAIT_MS });
  check('suggestions leave the suite valid', (await page.$('.suite-error')) === null);

  // Phone width: every part of the editor (the pipeline form is open) fits the screen.
  await page.setViewportSize({ width: 375, height: 800 });
  const wide = await page.$$eval('.suite-editor, .suite-editor *', (els) => els
    .filter((el) => el.getBoundingClientRect().right > 375)
    .map((el) => `${el.tagName.toLowerCase()}#${el.id} ${Math.round(el.getBoundingClientRect().right)}px`));
  check('the suite editor fits a 375px screen', wide.length === 0, wide.slice(0, 5).join(', '));
  await page.screenshot({ path: join(SCREENSHOTS, 'forms-phone.png'), fullPage: true });

  check('no request left the page\'s origin', foreign.length === 0, foreign.join(', '));
  check('no error in the console', errors.length === 0, errors.join(' | '));
});
