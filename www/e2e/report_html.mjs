// End-to-end test of the HTML report (PRODUCT.md §13, "Reports people open"): the release CLI
// writes `--format html` for a passing and three failing example suites; each file is opened from
// disk (file://) in headless Chromium with JavaScript off, and must ask for nothing but
// itself, break no rule of its Content-Security-Policy, and show the CLI's verdict, stage
// strip, every test with its status and execution table, the failing rows and the charts,
// styled by its inline stylesheet. Then the page's "Download HTML report" must give a file
// that reads the same way with the same test rows. Writes www/screenshots/report-html.png.
//
//   node www/e2e/report_html.mjs

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

import { check, CHROMIUM_ARGS, cliReport, finish, openPage, ROOT, runAndWait, SCREENSHOTS, WAIT_MS } from './harness.mjs';

const CLI = join(ROOT, 'target', 'release', 'mltest');

/** `mltest run SUITE --format html --output FILE`; the exit status (1 is a failing verdict). */
function writeReport(suite, file) {
  try {
    execFileSync(CLI, ['run', suite, '--format', 'html', '--output', file], { cwd: ROOT });
    return 0;
  } catch (err) {
    if (err.status !== 1) throw err;
    return 1;
  }
}

/** Opens `file` from disk with JavaScript off; what it shows, and every request and console error. */
async function openReport(browser, file) {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 800 } });
  const requested = [];
  const errors = [];
  context.on('request', (req) => requested.push(req.url()));
  const page = await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });
  const shown = await page.evaluate(() => ({
    verdict: document.querySelector('[data-testid=verdict]')?.dataset.verdict,
    rows: [...document.querySelectorAll('[data-testid=test-row]')].map((el) => ({
      id: el.dataset.testId,
      status: el.dataset.status,
      steps: el.querySelectorAll('[data-testid=step-row]').length,
      failing: [...el.querySelectorAll('[data-testid=failing-row] td:first-child')].map((td) => Number(td.textContent)),
    })),
    stages: [...document.querySelectorAll('[data-testid=stage-strip] [data-stage]')].map((el) => ({ stage: el.dataset.stage, outcome: el.dataset.outcome })),
    charts: [...document.querySelectorAll('.charts svg[data-testid]')].map((el) => el.dataset.testid),
    // Nobody can click a file: a drift chart shows its drifted columns' histograms open.
    drifted: [...document.querySelectorAll('[data-testid=drift-chart] [data-testid=drift-column]')]
      .filter((el) => el.dataset.outcome === 'fail').map((el) => el.dataset.column),
    histograms: [...document.querySelectorAll('[data-testid=drift-histogram]')].map((el) => el.dataset.column),
    scripts: document.querySelectorAll('script').length,
    buttons: document.querySelectorAll('button').length,
    source: document.querySelector('[data-testid=report-source]')?.textContent ?? '',
    title: document.title,
    // The inline stylesheet applies: the failing or passing verdict is drawn in its colour.
    verdictColour: getComputedStyle(document.querySelector('[data-testid=verdict]')).color,
    csp: document.querySelector('meta[http-equiv=Content-Security-Policy]')?.content ?? '',
  }));
  const foreign = requested.filter((address) => address !== url);
  return { page, context, shown, foreign, errors, url };
}

/** What a report shows that the CLI's JSON report says too. */
function expectedRows(report) {
  return report.tests.map((t) => ({
    id: t.id, status: t.status, steps: t.steps.length, failing: (t.failures?.sample ?? []).map((c) => c.line),
  }));
}

const COLOURS = { pass: 'rgb(30, 122, 60)', fail: 'rgb(179, 38, 30)' };

await finish(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mltest-report-html-'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const examples = [
      { suite: 'static/suites/iris-accuracy-gate.json', status: 0, charts: ['confusion-matrix', 'roc-chart', 'bounds-chart'] },
      { suite: 'static/suites/breast-cancer-overfit.json', status: 1, charts: ['confusion-matrix', 'roc-chart', 'bounds-chart'] },
      { suite: 'static/suites/penguins-missing-values.json', status: 1, charts: [] },
      { suite: 'static/suites/penguins-drift.json', status: 1, charts: ['drift-chart'] },
    ];
    for (const example of examples) {
      const name = example.suite.split('/').pop();
      const file = join(dir, name.replace('.json', '.html'));
      const status = writeReport(example.suite, file);
      const expected = cliReport(example.suite);
      check(`${name}: the CLI writes the report and exits ${example.status}`, status === example.status, `exit ${status}`);
      const html = readFileSync(file, 'utf8');
      check(`${name}: the file names no address and loads no script`, !/https?:|\/\/|<script|\ssrc=|\shref=|url\(/.test(html));
      const opened = await openReport(browser, file);
      const { shown } = opened;
      check(`${name}: opened from disk, it asks for nothing but itself`, opened.foreign.length === 0, opened.foreign.join(', '));
      check(`${name}: no error and no CSP violation in the console`, opened.errors.length === 0, opened.errors.join(' | '));
      check(`${name}: its CSP forbids every request`, shown.csp.startsWith("default-src 'none'"), shown.csp);
      check(`${name}: no script, no button`, shown.scripts === 0 && shown.buttons === 0, `${shown.scripts} scripts, ${shown.buttons} buttons`);
      check(`${name}: the verdict is the CLI's`, shown.verdict === expected.verdict, `${shown.verdict} vs ${expected.verdict}`);
      check(`${name}: drawn in its colour by the inline stylesheet`, shown.verdictColour === COLOURS[expected.verdict], shown.verdictColour);
      check(`${name}: the title and the source line name the suite, the data and its SHA-256`,
        shown.title === `mltest report: ${expected.suite} — ${expected.verdict.toUpperCase()}`
        && shown.source.includes(`data ${expected.dataset.name}`) && shown.source.includes(expected.dataset.sha256), `${shown.title} | ${shown.source}`);
      check(`${name}: every test, its status, its execution table and its failing rows`,
        JSON.stringify(shown.rows) === JSON.stringify(expectedRows(expected)),
        `report ${JSON.stringify(shown.rows)}, CLI ${JSON.stringify(expectedRows(expected))}`);
      check(`${name}: the stage strip is the CLI's`, JSON.stringify(shown.stages) === JSON.stringify(expected.stages ?? []), JSON.stringify(shown.stages));
      check(`${name}: the charts`, example.charts.every((c) => shown.charts.includes(c)) && (example.charts.length > 0 || shown.charts.length === 0),
        shown.charts.join());
      if (name === 'penguins-drift.json') {
        check(`${name}: every drifted column's histograms are drawn open`,
          shown.drifted.length > 0 && JSON.stringify(shown.histograms) === JSON.stringify(shown.drifted),
          `drifted ${shown.drifted.join()}, open ${shown.histograms.join()}`);
      }
      if (name === 'breast-cancer-overfit.json') {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await opened.page.screenshot({ path: join(SCREENSHOTS, 'report-html.png'), fullPage: true });
      }
      await opened.context.close();
      example.rows = shown.rows;
    }

    // The page's download: the same component, the same rows, a file that reads on its own.
    const { page, foreign, errors } = await openPage();
    const suiteText = readFileSync(join(ROOT, 'static/suites/breast-cancer-overfit.json'), 'utf8');
    await page.selectOption('[data-testid=sample-select]', JSON.parse(suiteText).data.source.replace(/^sample:/, ''));
    await page.fill('#suite-text', suiteText);
    await runAndWait(page);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: WAIT_MS }),
      page.click('[data-testid=download-html]'),
    ]);
    const downloaded = join(dir, 'downloaded.html');
    writeFileSync(downloaded, readFileSync(await download.path()));
    check('the page downloads the HTML report as report.html', download.suggestedFilename() === 'report.html', download.suggestedFilename());
    const html = readFileSync(downloaded, 'utf8');
    check('the downloaded file names no address and loads no script', !/https?:|\/\/|<script|\ssrc=|\shref=|url\(/.test(html));
    const opened = await openReport(browser, downloaded);
    check('opened from disk, the downloaded report asks for nothing but itself', opened.foreign.length === 0, opened.foreign.join(', '));
    check('and breaks no rule of its CSP', opened.errors.length === 0, opened.errors.join(' | '));
    const cli = examples.find((e) => e.suite.endsWith('breast-cancer-overfit.json'));
    check('the downloaded report has the CLI report\'s test rows, steps and failing rows',
      JSON.stringify(opened.shown.rows) === JSON.stringify(cli.rows), `page ${JSON.stringify(opened.shown.rows)}, CLI ${JSON.stringify(cli.rows)}`);
    check('its verdict, in its colour, and no button', opened.shown.verdict === 'fail' && opened.shown.verdictColour === COLOURS.fail
      && opened.shown.buttons === 0, JSON.stringify(opened.shown));
    check('its charts', ['confusion-matrix', 'roc-chart', 'bounds-chart'].every((c) => opened.shown.charts.includes(c)), opened.shown.charts.join());
    await opened.context.close();
    check('the page\'s results are still there after the download',
      (await page.$$('.results [data-testid=test-row]')).length === cli.rows.length);
    check('no request left the page\'s origin', foreign.length === 0, foreign.join(', '));
    check('no error in the page\'s console', errors.length === 0, errors.join(' | '));
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
