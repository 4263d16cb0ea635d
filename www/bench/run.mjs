// The comparison of `make bench-compare` (BENCHMARKS.md), in one run on one machine:
// for each size, the generated CSV (mltest-bench gen) is timed step by step by
//   - mltest native          (target/release/mltest-bench native, median of --reps runs),
//   - pandas + scikit-learn  (scripts/bench_sklearn.py, natively, one thread),
//   - mltest wasm and PapaParse + ml.js, in the same page of headless Chromium
//     (target/bench-page, built from www/bench/index.html; timed in the page);
// then the page's time to its first verdict on iris from a cold load (dist/, the app).
// Every record is a JSON line in target/bench/results.jsonl; the table goes to stdout and
// target/bench/table.md.
//
//   node www/bench/run.mjs [--rows 10000,100000,1000000] [--reps 5] [--timeout-s 60] [--python PATH]
//                          [--only native,sklearn,wasm,peers,cold]

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, DIST, ROOT, serve } from '../e2e/harness.mjs';

const { values: opts } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000,100000,1000000' },
    reps: { type: 'string', default: '5' },
    'timeout-s': { type: 'string', default: '60' },
    python: { type: 'string', default: join(ROOT, '.tools', 'venv', 'bin', 'python') },
    // A quick look at some tools only: any of native, sklearn, wasm, peers, cold (the iris load).
    only: { type: 'string', default: 'native,sklearn,wasm,peers,cold' },
  },
});
const ONLY = new Set(opts.only.split(/[ ,]+/).filter(Boolean));
const SIZES = opts.rows.split(/[ ,]+/).filter(Boolean).map(Number);
const REPS = Number(opts.reps);
const TIMEOUT_MS = Number(opts['timeout-s']) * 1000;
const TARGET = join(ROOT, 'target');
const DATA = join(TARGET, 'bench-data');
const OUT = join(TARGET, 'bench');
const BENCH_BIN = join(TARGET, 'release', 'mltest-bench');
const STEPS = ['parse_profile', 'data_tests', 'split_scale', 'logistic_regression', 'decision_tree', 'gaussian_nb'];
const NATIVE = 'mltest native';
const WASM = 'mltest wasm';
const PEERS = 'PapaParse + ml.js';
const IRIS_LOADS = 3;

mkdirSync(DATA, { recursive: true });
mkdirSync(OUT, { recursive: true });
const RESULTS = join(OUT, 'results.jsonl');
writeFileSync(RESULTS, '');
const records = [];
function record(r) {
  records.push(r);
  appendFileSync(RESULTS, `${JSON.stringify(r)}\n`);
  const ms = r.bytes != null ? `${(r.bytes / 1048576).toFixed(0)} MiB` : r.ms === null ? `> ${r.timeout_s} s` : `${r.ms.toFixed(1)} ms`;
  console.error(`# ${r.tool} · ${r.rows} rows · ${r.step}: ${ms}${r.accuracy != null ? ` · accuracy ${r.accuracy.toFixed(4)}` : ''}`);
}
const jsonLines = (text) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const run = (cmd, args, extra = {}) => execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, ...extra });

class Timeout extends Error {}
async function within(ms, promise) {
  let timer;
  const expiry = new Promise((_, fail) => { timer = setTimeout(() => fail(new Timeout(`over ${ms} ms`)), ms); });
  try {
    return await Promise.race([promise, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'mltest-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  return { context, page, errors, version: context.browser()?.version() ?? null, close: async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  } };
}

/** mltest wasm and the JS peers on one size, in one page; a step over the timeout is
 * recorded as such, the page is replaced, and the tool's state rebuilt (untimed). */
async function browserSize(origin, rows) {
  let session = await launch();
  const open = async () => {
    await session.page.goto(`${origin}/bench-page/`);
    await within(TIMEOUT_MS, session.page.evaluate((url) => window.bench.load(url), `/bench-data/synth-${rows}.csv`));
  };
  await open();
  for (const tool of [WASM, PEERS].filter((t) => ONLY.has(t === WASM ? 'wasm' : 'peers'))) {
    let setUp = true;
    for (const step of STEPS) {
      // The JS peers have no data-test library; PapaParse users write checks by hand.
      if (tool === PEERS && step === 'data_tests') continue;
      try {
        if (!setUp) {
          await open();
          for (const s of ['parse_profile', 'split_scale']) {
            await within(TIMEOUT_MS, session.page.evaluate(([t, x]) => window.bench.run(t, x, 1), [tool, s]));
          }
          setUp = true;
        }
        const r = await within(TIMEOUT_MS, session.page.evaluate(([t, s, n]) => window.bench.run(t, s, n), [tool, step, REPS]));
        record({ tool, rows, step, ms: r.ms, first_ms: r.first_ms, reps: r.reps, accuracy: r.accuracy });
        if (tool === WASM && step === STEPS[STEPS.length - 1]) {
          record({ tool, rows, step: 'peak_memory', bytes: await session.page.evaluate(() => window.wasmBindings.memory_bytes()) });
        }
      } catch (err) {
        if (!(err instanceof Timeout)) throw new Error(`${tool} ${step} on ${rows} rows: ${err.message} ${session.errors.join('; ')}`);
        record({ tool, rows, step, ms: null, reps: 1, accuracy: null, timeout_s: TIMEOUT_MS / 1000 });
        await session.close();
        session = await launch();
        setUp = false;
      }
    }
  }
  const version = session.version;
  await session.close();
  return version;
}

/** Cold page loads of the app (dist/), each in a fresh profile: the iris sample is selected
 * when the page opens; the run button is clicked as soon as it can be; the verdict's time is
 * taken in the page (performance.now(), from navigation start). */
async function irisVerdict() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/index.html is missing: run `make page` first');
  const server = await serve(DIST);
  const origin = `http://127.0.0.1:${server.address().port}`;
  try {
    for (let i = 0; i < IRIS_LOADS; i += 1) {
      const session = await launch();
      try {
        await session.context.addInitScript(() => {
          new MutationObserver((_, observer) => {
            if (document.querySelector('[data-testid=verdict]')) {
              window.__verdictMs = performance.now();
              observer.disconnect();
            }
          }).observe(document, { subtree: true, childList: true });
        });
        await session.page.goto(`${origin}/`);
        await session.page.click('[data-testid=run-button]', { timeout: TIMEOUT_MS });
        const clickMs = await session.page.evaluate(() => performance.now());
        await session.page.waitForSelector('[data-testid=verdict]', { timeout: TIMEOUT_MS });
        const ms = await session.page.evaluate(() => window.__verdictMs);
        record({ tool: WASM, rows: 150, step: 'iris_cold_verdict', ms, reps: 1, accuracy: null, ready_ms: clickMs });
      } finally {
        await session.close();
      }
    }
  } finally {
    server.close();
  }
}

function machine(chromiumVersion) {
  const text = (cmd, args) => { try { return run(cmd, args).trim(); } catch { return null; } };
  return {
    date: new Date().toISOString(),
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? null,
    chromium: chromiumVersion,
    rustc: text('rustc', ['-V']),
    node: process.version,
    python: text(opts.python, ['-c', 'import sys, sklearn, pandas; print(sys.version.split()[0], "sklearn", sklearn.__version__, "pandas", pandas.__version__)']),
    command: `node www/bench/run.mjs --rows ${SIZES.join(',')} --reps ${REPS} --timeout-s ${TIMEOUT_MS / 1000}`,
  };
}

// ---- the table ----

const fmtMs = (r) => (r === undefined ? '–' : r.ms === null ? `> ${r.timeout_s} s` : r.ms >= 1000 ? `${(r.ms / 1000).toFixed(2)} s` : `${r.ms.toFixed(r.ms < 10 ? 2 : 1)} ms`);
function ratio(peer, ours) {
  if (!peer || !ours || ours.ms === null) return '–';
  if (peer.ms === null) return `> ${(peer.timeout_s * 1000 / ours.ms).toFixed(0)}×`;
  const x = peer.ms / ours.ms;
  return `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`;
}
const acc = (r) => (r?.accuracy == null ? '' : r.accuracy.toFixed(4));

export function table(all) {
  const find = (tool, rows, step) => all.find((r) => r.tool.startsWith(tool) && r.rows === rows && r.step === step);
  const sklearnName = all.find((r) => r.tool.startsWith('pandas'))?.tool ?? 'pandas + scikit-learn';
  const lines = [
    `| rows | step | ${NATIVE} | ${WASM} | wasm ÷ native | ${PEERS} | ÷ ${WASM} | ${sklearnName} | ÷ ${NATIVE} | accuracy mltest · ml.js · sklearn |`,
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const rows of SIZES) {
    for (const step of STEPS) {
      const [n, w, p, s] = [find(NATIVE, rows, step), find(WASM, rows, step), find(PEERS, rows, step), find('pandas', rows, step)];
      const accuracy = n?.accuracy != null || w?.accuracy != null ? `${acc(w ?? n)} · ${acc(p) || '–'} · ${acc(s) || '–'}` : '';
      lines.push(`| ${rows.toLocaleString('en')} | ${step} | ${fmtMs(n)} | ${fmtMs(w)} | ${ratio(w, n)} | ${fmtMs(p)} | ${ratio(p, w)} | ${fmtMs(s)} | ${ratio(s, n)} | ${accuracy} |`);
    }
  }
  const mib = (r) => (r?.bytes == null ? '–' : `${(r.bytes / 1048576).toFixed(0)} MiB`);
  lines.push('', `| rows | peak memory: ${NATIVE} (resident, whole process) | ${WASM} (the engine's linear memory) |`, '|---:|---:|---:|');
  for (const rows of SIZES) lines.push(`| ${rows.toLocaleString('en')} | ${mib(find(NATIVE, rows, 'peak_memory'))} | ${mib(find(WASM, rows, 'peak_memory'))} |`);
  const iris = all.filter((r) => r.step === 'iris_cold_verdict').map((r) => r.ms).sort((a, b) => a - b);
  if (iris.length) {
    lines.push('', `First verdict on iris from a cold page load (median of ${iris.length}): ${iris[Math.floor(iris.length / 2)].toFixed(0)} ms (each: ${iris.map((x) => x.toFixed(0)).join(', ')} ms)`);
  }
  return lines.join('\n');
}

async function main() {
  if (!existsSync(BENCH_BIN)) throw new Error(`${BENCH_BIN} is missing: cargo build --release --features bench --bin mltest-bench`);
  if (!existsSync(join(TARGET, 'bench-page', 'index.html'))) throw new Error('target/bench-page is missing: make bench-compare builds it');
  const server = await serve(TARGET);
  const origin = `http://127.0.0.1:${server.address().port}`;
  let chromiumVersion = null;
  try {
    for (const rows of SIZES) {
      const csv = join(DATA, `synth-${rows}.csv`);
      const testRows = join(DATA, `synth-${rows}.test-rows.txt`);
      if (!existsSync(csv)) run(BENCH_BIN, ['gen', '--rows', String(rows), '--out', csv]);
      if (!ONLY.has('native') && !existsSync(testRows)) throw new Error(`${testRows} is missing: run once with native`);
      if (ONLY.has('native')) {
        // GNU time's %M: the process's peak resident memory, in KiB, on stderr's last line.
        const native = spawnSync('/usr/bin/time', ['-f', '%M', BENCH_BIN, 'native', csv, '--reps', String(REPS), '--test-rows', testRows], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
        if (native.status !== 0) throw new Error(`mltest-bench native: ${native.stderr}`);
        jsonLines(native.stdout).forEach(record);
        record({ tool: NATIVE, rows, step: 'peak_memory', bytes: 1024 * Number(native.stderr.trim().split('\n').pop()) });
      }
      if (ONLY.has('sklearn')) {
        try {
          const out = run(opts.python, [join(ROOT, 'scripts', 'bench_sklearn.py'), csv, testRows, '--reps', String(REPS)], {
            timeout: TIMEOUT_MS * STEPS.length,
            // One thread, as the engine and the page: the ratios compare implementations.
            env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
          });
          jsonLines(out).forEach(record);
        } catch (err) {
          if (err.stdout) jsonLines(err.stdout).forEach(record);
          console.error(`# scikit-learn on ${rows} rows stopped: ${err.code ?? err.status ?? err.message}`);
        }
      }
      if (ONLY.has('wasm') || ONLY.has('peers')) chromiumVersion = await browserSize(origin, rows);
    }
  } finally {
    server.close();
  }
  if (ONLY.has('cold')) await irisVerdict();
  const info = machine(chromiumVersion);
  appendFileSync(RESULTS, `${JSON.stringify({ machine: info })}\n`);
  const text = table(records);
  writeFileSync(join(OUT, 'table.md'), `${text}\n\nMachine: ${JSON.stringify(info)}\n`);
  console.log(text);
  console.log(`\nmachine: ${JSON.stringify(info)}`);
  console.log(`results: ${RESULTS}`);
}

main().then(() => process.exit(0), (err) => {
  console.error(err.stack ?? String(err));
  process.exit(1);
});
