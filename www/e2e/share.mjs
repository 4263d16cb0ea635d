// End-to-end test of share links (PRODUCT.md §6 Share, §7): a suite edited in the page is
// shared, the link opens in a second, fresh browser with the same suite and verdict, the CLI
// runs the same link to the same verdict, a small uploaded file travels inline, `run=1` runs
// at once, and a damaged link leaves the work untouched. Prints `N passed, N failed`.
//
//   node www/e2e/share.mjs

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { check, finish, openPage, ROOT, WAIT_MS } from './harness.mjs';

/** The verdict and each test's status, as the page shows them after a run. */
async function results(page) {
  await page.waitForSelector('[data-testid=verdict]', { timeout: WAIT_MS });
  const verdict = await page.getAttribute('[data-testid=verdict]', 'data-verdict');
  const rows = await page.$$eval('[data-testid=test-row]', (els) => els.map((el) => `${el.dataset.testId}=${el.dataset.status}`));
  return { verdict, rows: rows.join(' ') };
}

async function share(page) {
  await page.click('[data-testid=share-button]');
  await page.waitForSelector('[data-testid=share-link]', { timeout: WAIT_MS });
  return page.inputValue('[data-testid=share-link]');
}

function cliVerdict(link, extra = []) {
  const cli = join(ROOT, 'target', 'release', 'mltest');
  try {
    return JSON.parse(execFileSync(cli, ['run', link, '--format', 'json', ...extra], { cwd: ROOT, encoding: 'utf8' })).verdict;
  } catch (err) {
    if (err.status !== 1) throw err;
    return JSON.parse(err.stdout).verdict;
  }
}

/** The suite in an editor's text, as the engine would read it: ids, kinds and thresholds. */
function shape(text) {
  const suite = JSON.parse(text);
  return JSON.stringify({ seed: suite.split?.seed, tests: suite.tests.map((t) => [t.id, t.kind, t.value ?? null]) });
}

async function main() {
  // Build a suite in the page: another seed, a stricter gate, one test more.
  const first = await openPage();
  const edited = JSON.parse(await first.page.inputValue('#suite-text'));
  edited.split.seed = 7;
  edited.tests[1].value = 0.95;
  edited.tests.push({ id: 'rows', kind: 'row_count_between', min: 100, max: 200 });
  const text = JSON.stringify(edited, null, 2);
  await first.page.fill('#suite-text', text);
  await first.page.click('[data-testid=run-button]');
  const original = await results(first.page);

  const link = await share(first.page);
  const meta = await first.page.textContent('.share-meta');
  check('the link is a fragment on the page\'s address', link.startsWith(`${first.origin}/#s=1.`), link.slice(0, 60));
  check('the page shows the link\'s length', meta.startsWith(`${link.length} characters`), meta);
  check('a sample is named, not inlined', meta.includes('the sample `iris`') && link.length < 2000, meta);

  // A second person's browser: fresh profile, nothing in localStorage.
  const second = await openPage(link.slice(link.indexOf('/#')));
  const opened = await second.page.inputValue('#suite-text');
  check('the link restores the suite and its seed', shape(opened) === shape(text), `${shape(opened)} vs ${shape(text)}`);
  check('the link restores the sample', (await second.page.inputValue('[data-testid=sample-select]')) === 'iris');
  check('the address bar drops the link once opened', !second.page.url().includes('#s='), second.page.url());
  await second.page.click('[data-testid=run-button]');
  const reopened = await results(second.page);
  check('the same verdict in the second browser', reopened.verdict === original.verdict, `${reopened.verdict} vs ${original.verdict}`);
  check('the same test statuses in the second browser', reopened.rows === original.rows, `${reopened.rows} vs ${original.rows}`);
  check('the CLI runs the same link to the same verdict', cliVerdict(link) === original.verdict);

  // A small uploaded file travels in the link, and run=1 runs it at once.
  const csv = 'x,y,label\n1,2,a\n2,3,b\n3,1,a\n4,4,b\n5,2,a\n';
  const dataSuite = { version: 1, data: { source: 'file' }, tests: [{ id: 'labels', kind: 'values_in_set', column: 'label', allowed: ['a', 'b'] }] };
  await first.page.fill('#suite-text', JSON.stringify(dataSuite));
  await first.page.setInputFiles('[data-testid=csv-input]', { name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  // The worker reads the file: wait until the data panel shows it, not only its name.
  await first.page.waitForFunction(() => document.querySelector('.data-shape')?.textContent.includes('mine.csv'), null, { timeout: WAIT_MS });
  const inlineLink = await share(first.page);
  check('a small file is inlined', (await first.page.textContent('.share-meta')).includes('mine.csv travels in the link'));
  const third = await openPage(`${inlineLink.slice(inlineLink.indexOf('/#'))}&run=1`);
  const ran = await results(third.page);
  check('run=1 runs the linked suite on the linked data at once', ran.verdict === 'pass' && ran.rows === 'labels=pass', JSON.stringify(ran));
  check('the inlined data is loaded as a file', (await third.page.textContent('body')).includes('shared.csv'));
  check('the CLI reads the inline data from the same link', cliVerdict(inlineLink) === 'pass');

  // A damaged link: a clear message, and the page keeps what it had.
  const cut = inlineLink.slice(inlineLink.indexOf('/#'), -25);
  const fourth = await openPage(cut);
  await fourth.page.waitForSelector('[data-testid=error-banner]', { timeout: WAIT_MS });
  const banner = await fourth.page.textContent('[data-testid=error-banner]');
  check('a truncated link says so', banner.includes('could not be opened') && banner.includes('truncated'), banner);
  check('a truncated link leaves the initial suite', (await fourth.page.inputValue('#suite-text')).includes('Iris: accuracy gate'));

  for (const { foreign, errors } of [first, second, third, fourth]) {
    check('no request left the page\'s origin', foreign.length === 0, foreign.join(', '));
    check('no error in the console', errors.length === 0, errors.join(' | '));
  }
}

await finish(main);
