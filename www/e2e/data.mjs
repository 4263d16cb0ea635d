// End-to-end test of the data panel and of localStorage: for every example suite (JSON and
// YAML), selects the sample, puts the suite in the editor, runs it and compares the
// verdict and every test row's status with `mltest run SUITE --format json`; then edits the
// suite, reloads, and finds it still there; then checks the preview and the column profiles
// (penguins' bill_length_mm has 2 missing), paste, drag and drop, and a bad file's error
// banner keeping the suite and the data; a Great Expectations suite opened and imported as the
// CLI imports it, with the notice of what was left out. Prints `N passed, N failed`; exits 1 on any failure
// (harness.mjs). Needs `trunk build --release` (dist/) and `cargo build --release --bin mltest`.
//
//   node www/e2e/data.mjs

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { check, cliReport, finish, openPage, ROOT, runAndWait, SCREENSHOTS, WAIT_MS } from './harness.mjs';

const SUITES = [
  'iris-data-quality.json', 'penguins-missing-values.json', 'iris-accuracy-gate.json',
  'penguins-pipeline-unit-tests.json', 'diabetes-regression.json', 'breast-cancer-overfit.json',
  'diabetes-ranges.yaml',
  // Its reference is a sample the page's build leaves out: the worker fetches it.
  'penguins-drift.json',
];

const shape = (page) => page.textContent('.data-shape');

await finish(async () => {
  const { page, foreign, errors } = await openPage();
  mkdirSync(SCREENSHOTS, { recursive: true });

  for (const file of SUITES) {
    const path = `static/suites/${file}`;
    const text = readFileSync(join(ROOT, path), 'utf8');
    const sample = text.match(/sample:(\w+)/)[1];
    const expected = cliReport(path);
    await page.selectOption('[data-testid=sample-select]', sample);
    await page.fill('#suite-text', text);
    const verdict = await runAndWait(page);
    check(`${file}: the verdict is the CLI's`, verdict === expected.verdict, `page ${verdict}, CLI ${expected.verdict}`);
    const rows = await page.$$eval('[data-testid=test-row]', (els) => els.map((el) => ({ id: el.dataset.testId, status: el.dataset.status })));
    check(`${file}: one row per test`, rows.length === expected.tests.length, `page ${rows.length}, CLI ${expected.tests.length}`);
    for (const test of expected.tests) {
      const row = rows.find((r) => r.id === test.id);
      check(`${file}: ${test.id} is ${test.status}`, row?.status === test.status, `page ${row?.status}`);
    }
    await page.screenshot({ path: join(SCREENSHOTS, `data-${file.replace(/\.(json|yaml)$/, '')}.png`), fullPage: true });
  }

  // A suite file opened from disk replaces the editor's text.
  await page.setInputFiles('[data-testid=suite-file]', join(ROOT, 'static/suites/diabetes-ranges.yaml'));
  await page.waitForFunction(() => document.querySelector('#suite-text').value.includes('Diabetes'), null, { timeout: WAIT_MS });
  check('an opened suite file fills the editor', (await page.inputValue('#suite-text')) === readFileSync(join(ROOT, 'static/suites/diabetes-ranges.yaml'), 'utf8'));

  // A Great Expectations suite opened from disk is imported: the editor holds what
  // `mltest import gx` writes, and a notice lists the expectations left out, as its stderr.
  const gx = join(ROOT, 'tests/data/gx/iris.gx018.json');
  const imported = spawnSync(join(ROOT, 'target', 'release', 'mltest'), ['import', 'gx', gx], { cwd: ROOT, encoding: 'utf8' });
  await page.setInputFiles('[data-testid=suite-file]', gx);
  const noticed = await page.waitForSelector('[data-testid=import-notice]', { timeout: WAIT_MS }).then(() => true, () => false);
  check('an opened GX suite is noticed', noticed);
  check('the editor holds the suite mltest import gx writes', (await page.inputValue('#suite-text')) === imported.stdout);
  const leftOut = [...imported.stderr.matchAll(/^ {2}(expect_\w+) \((\d+)\)/gm)].map((m) => `${m[1]} (${m[2]})`);
  const notice = noticed ? await page.textContent('[data-testid=import-notice]') : '';
  check('the notice lists what the CLI left out', leftOut.length > 0 && leftOut.every((entry) => notice.includes(entry)),
    `CLI: ${leftOut.join(', ')}; page: ${notice}`);
  await page.click('[data-testid=import-notice-dismiss]');
  check('the notice is dismissed', (await page.$('[data-testid=import-notice]')) === null);

  // The edited suite and the chosen sample survive a reload (localStorage).
  const edited = readFileSync(join(ROOT, 'static/suites/penguins-missing-values.json'), 'utf8')
    .replace('"name": "Penguins: missing values (fails on purpose)"', '"name": "Edited by the e2e test"');
  check('the suite was edited', edited.includes('Edited by the e2e test'));
  await page.selectOption('[data-testid=sample-select]', 'penguins');
  await page.fill('#suite-text', edited);
  await page.reload();
  await page.waitForSelector('[data-testid=sample-select]', { timeout: WAIT_MS });
  check('a reload keeps the edited suite', (await page.inputValue('#suite-text')) === edited);
  // The page's build fetches every sample but iris: the restored sample arrives from the worker.
  const restored = await page.waitForFunction(() => document.querySelector('[data-testid=sample-select]').value === 'penguins',
    null, { timeout: WAIT_MS }).then(() => true, () => false);
  check('a reload keeps the sample', restored, await page.inputValue('[data-testid=sample-select]'));

  // The preview and the profile of penguins.
  const bill = page.locator('[data-testid=column-profile][data-column=bill_length_mm]');
  check('the profile shows bill_length_mm with 2 missing', (await bill.getAttribute('data-missing')) === '2');
  check('bill_length_mm has a histogram with a title', (await bill.locator('svg title').first().textContent())?.includes('bill_length_mm'));
  const previewRows = await page.locator('[data-testid=preview] tbody tr').count();
  check('the preview shows 10 rows', previewRows === 10, `${previewRows}`);
  check('the preview marks missing cells', (await page.locator('[data-testid=preview] td.missing').count()) > 0);
  await page.screenshot({ path: join(SCREENSHOTS, 'data-penguins-profile.png'), fullPage: true });

  // Pasted CSV text; it survives a reload too.
  await page.click('.paste summary');
  await page.fill('[data-testid=csv-paste]', 'a,b\n1,2\n3,NA\n');
  await page.click('[data-testid=csv-paste-use]');
  await page.waitForFunction(() => document.querySelector('.data-shape')?.textContent.includes('pasted.csv'), null, { timeout: WAIT_MS });
  check('pasted CSV is loaded', (await shape(page)).includes('pasted.csv — 2 rows × 2 columns'), await shape(page));
  await page.reload();
  await page.waitForSelector('[data-testid=sample-select]', { timeout: WAIT_MS });
  // The saved file is read again by the worker.
  await page.waitForFunction(() => document.querySelector('.data-shape')?.textContent.includes('pasted.csv'), null, { timeout: WAIT_MS });
  check('a reload keeps the pasted data', (await shape(page))?.includes('pasted.csv — 2 rows × 2 columns'), await shape(page));
  check('a reload still keeps the edited suite', (await page.inputValue('#suite-text')) === edited);

  // A CSV dropped on the panel.
  const transfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['x,y,z\n1,2,3\n4,5,6\n7,8,9\n'], 'dropped.csv', { type: 'text/csv' }));
    return dt;
  });
  await page.dispatchEvent('.data-panel', 'drop', { dataTransfer: transfer });
  await page.waitForFunction(() => document.querySelector('.data-shape')?.textContent.includes('dropped.csv'), null, { timeout: WAIT_MS });
  check('a dropped CSV is loaded', (await shape(page)).includes('dropped.csv — 3 rows × 3 columns'), await shape(page));

  // A bad file: the banner names the file and the line; the suite and the data stay.
  await page.setInputFiles('[data-testid=csv-input]', {
    name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]),
  });
  await page.waitForSelector('[data-testid=error-banner]', { timeout: WAIT_MS });
  const banner = await page.textContent('[data-testid=error-banner]');
  check('a bad CSV shows the error banner naming the file and the line', banner.includes('bad.csv') && banner.includes('line 3'), banner);
  check('a bad CSV keeps the suite', (await page.inputValue('#suite-text')) === edited);
  check('a bad CSV keeps the data loaded before', (await shape(page)).includes('dropped.csv'), await shape(page));
  await page.screenshot({ path: join(SCREENSHOTS, 'data-bad-csv.png'), fullPage: true });
  await page.selectOption('[data-testid=sample-select]', 'iris');
  check('a readable sample clears the error banner', (await page.locator('[data-testid=error-banner]').count()) === 0);

  // A corrupt saved entry is ignored with a console warning: the page opens as new.
  const warnings = [];
  page.on('console', (msg) => { if (msg.type() === 'warning') warnings.push(msg.text()); });
  // First the page's own save of the iris selection lands (it waits for a pause in edits, and
  // a save still pending when the page is left is written then, over anything else).
  await page.waitForFunction(() => (localStorage.getItem('mltest.playground') ?? '').includes('"kind":"sample","name":"iris"'), null, { timeout: WAIT_MS });
  await page.evaluate(() => localStorage.setItem('mltest.playground', '{"v":1,'));
  await page.reload();
  await page.waitForSelector('[data-testid=sample-select]', { timeout: WAIT_MS });
  check('a corrupt saved entry opens the initial sample', (await page.inputValue('[data-testid=sample-select]')) === 'iris');
  check('a corrupt saved entry is reported as a console warning', warnings.some((w) => w.includes('ignoring the saved')), warnings.join(' | '));

  check('no request left the page\'s origin', foreign.length === 0, foreign.join(', '));
  check('no error in the console', errors.length === 0, errors.join(' | '));
});
