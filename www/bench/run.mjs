// The comparison of `make bench-compare` (BENCHMARKS.md), in one run on one machine:
// for each size, the generated CSV (mltest-bench gen) is timed step by step by
//   - mltest native          (target/release/mltest-bench native, median of --reps runs),
//   - pandas + scikit-learn  (scripts/bench_sklearn.py, natively, one thread),
//   - mltest wasm and PapaParse + ml.js, in the same page of headless Chromium
//     (target/bench-page, built from www/bench/index.html; timed in the page);
// then the drift benchmark: for each --drift-rows size, a reference file (the size's
// generated CSV) and a current one (mltest-bench gen --seed 2027 --shift 0.5: x0 moved, x1
// scaled) compared by one `drift` test on every column, timed by
//   - mltest native          (mltest-bench drift),
//   - pandas + Evidently     (scripts/bench_drift.py with --evidently-python, natively, one
//                             thread; it first checks that both find the same drift),
//   - mltest wasm            (in a fresh page: loadDrift, then the drift steps);
// then the page's time to its first verdict on iris from a cold load (dist/, the app).
// Every record is a JSON line in target/bench/results.jsonl; the tables go to stdout and
// target/bench/table.md.
//
//   node www/bench/run.mjs [--rows 10000,100000,1000000] [--reps 5] [--timeout-s 60] [--python PATH]
//                          [--drift-rows 1000000] [--evidently-python PATH]
//                          [--only native,sklearn,wasm,peers,cold,drift]

import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, DIST, ROOT, serve } from '../e2e/harness.mjs';

const { values: opts } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000,100000,1000000' },
    reps: { type: 'string', default: '5' },
    'timeout-s': { type: 'string', default: '60' },
    python: { type: 'string', default: join(ROOT, '.tools', 'venv', 'bin', 'python') },
    'drift-rows': { type: 'string', default: '1000000' },
    'evidently-python': { type: 'string', default: join(ROOT, '.tools', 'venv-evidently', 'bin', 'python') },
    // A quick look at some tools only: any of native, sklearn, wasm, peers, cold (the iris
    // load), drift (the drift benchmark, all three of its tools).
    only: { type: 'string', default: 'native,sklearn,wasm,peers,cold,drift' },
  },
});
const ONLY = new Set(opts.only.split(/[ ,]+/).filter(Boolean));
const sizes = (text) => text.split(/[ ,]+/).filter(Boolean).map(Number);
const SIZES = sizes(opts.rows);
const DRIFT_SIZES = sizes(opts['drift-rows']);
const REPS = Number(opts.reps);
const TIMEOUT_MS = Number(opts['timeout-s']) * 1000;
const TARGET = join(ROOT, 'target');
const DATA = join(TARGET, 'bench-data');
const OUT = join(TARGET, 'bench');
// cargo's output, where CARGO_TARGET_DIR says when it is set (as cargo reads it).
const BENCH_BIN = join(resolve(ROOT, process.env.CARGO_TARGET_DIR ?? 'target'), 'release', 'mltest-bench');
const STEPS = ['parse_profile', 'data_tests', 'split_scale', 'logistic_regression', 'decision_tree', 'gaussian_nb', 'svm', 'knn'];
const MODEL_STEPS = STEPS.slice(3);
// The model steps timed on a file of `rows` rows: those mltest native timed (src/bench.rs
// caps the SVM's and kNN's rows), so every tool times the same ones.
// Without native (`--only wasm`), no model step is timed.
const modelsAt = (rows) => MODEL_STEPS.filter((step) => records.some((r) => r.tool === NATIVE && r.rows === rows && r.step === step));
// The drift benchmark's steps; `drift_stattests` is Evidently's statistics alone, beside
// mltest's `drift` (scripts/bench_drift.py).
const DRIFT_STEPS = ['drift_parse', 'drift', 'drift_stattests'];
// The current file of the drift benchmark: another seed than the reference's (2026), and
// x0 read 0.5 high, x1 at 1.5× its scale (mltest::synth::SynthSpec::shift).
const DRIFT_SEED = 2027;
const DRIFT_SHIFT = 0.5;
const NATIVE = 'mltest native';
const WASM = 'mltest wasm';
const PEERS = 'PapaParse + ml.js';
const IRIS_LOADS = 3;
// How long a person reads the page before Run in the second kind of cold load.
const READ_MS = 1500;

mkdirSync(DATA, { recursive: true });
mkdirSync(OUT, { recursive: true });
const RESULTS = join(OUT, 'results.jsonl');
writeFileSync(RESULTS, '');
const records = [];
function record(r) {
  records.push(r);
  appendFileSync(RESULTS, `${JSON.stringify(r)}\n`);
  const ms = r.bytes != null ? `${(r.bytes / 1048576).toFixed(0)} MiB` : r.ms === null ? `> ${r.timeout_s} s` : `${r.ms.toFixed(1)} ms`;
  const drifted = r.drifted ? ` · drifted ${r.drifted.join(', ')} (share ${r.share.toFixed(4)})` : '';
  console.error(`# ${r.tool} · ${r.rows} rows · ${r.step}: ${ms}${r.accuracy != null ? ` · accuracy ${r.accuracy.toFixed(4)}` : ''}${drifted}`);
}
const jsonLines = (text) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const run = (cmd, args, extra = {}) => execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, ...extra });

/** The generated file of `rows` rows (seed 2026), written once into target/bench-data. */
function synthCsv(rows) {
  const csv = join(DATA, `synth-${rows}.csv`);
  if (!existsSync(csv)) run(BENCH_BIN, ['gen', '--rows', String(rows), '--out', csv]);
  return csv;
}

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
    const steps = STEPS.filter((step) => !MODEL_STEPS.includes(step) || modelsAt(rows).includes(step));
    for (const step of steps) {
      // The JS peers have no data-test library; PapaParse users write checks by hand, and
      // ml.js has no SVM or kNN the benchmark times.
      if (tool === PEERS && ['data_tests', 'svm', 'knn'].includes(step)) continue;
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
        if (tool === WASM && step === steps[steps.length - 1]) {
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

/** The drift benchmark on one size: mltest native, then pandas + Evidently (which first
 * checks that it finds what mltest found: verdict, share, drifted columns, every statistic),
 * then mltest wasm in a fresh page (its linear memory is then the drift steps' alone); the
 * wasm result must equal the native one. */
async function driftSize(origin, rows) {
  const reference = synthCsv(rows);
  const current = join(DATA, `drift-current-${rows}.csv`);
  const found = join(DATA, `drift-found-${rows}.json`);
  if (!existsSync(current)) run(BENCH_BIN, ['gen', '--rows', String(rows), '--seed', String(DRIFT_SEED), '--shift', String(DRIFT_SHIFT), '--out', current]);
  // GNU time's %M: the process's peak resident memory, in KiB, on stderr's last line.
  const native = spawnSync('/usr/bin/time', ['-f', '%M', BENCH_BIN, 'drift', reference, current, '--reps', String(REPS), '--found', found], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (native.status !== 0) throw new Error(`mltest-bench drift: ${native.stderr}`);
  const nativeLines = jsonLines(native.stdout);
  nativeLines.forEach(record);
  record({ tool: NATIVE, rows, step: 'drift_memory', bytes: 1024 * Number(native.stderr.trim().split('\n').pop()) });
  const expected = nativeLines.find((r) => r.step === 'drift');
  // Evidently's report on 1M rows takes tens of seconds, and runs twice (the check, then the
  // timed run): no cap but a generous one. A disagreement exits 1 and stops the benchmark.
  const out = run(opts['evidently-python'], [join(ROOT, 'scripts', 'bench_drift.py'), reference, current, '--reps', String(REPS), '--found', found], {
    timeout: TIMEOUT_MS * 20,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  jsonLines(out).forEach(record);
  const session = await launch();
  try {
    await session.page.goto(`${origin}/bench-page/`);
    await within(TIMEOUT_MS, session.page.evaluate(([r, c]) => window.bench.loadDrift(r, c), [`/bench-data/synth-${rows}.csv`, `/bench-data/drift-current-${rows}.csv`]));
    for (const step of DRIFT_STEPS.slice(0, 2)) {
      const r = await within(TIMEOUT_MS * 10, session.page.evaluate(([t, s, n]) => window.bench.run(t, s, n), [WASM, step, REPS]));
      const what = r.found ? { verdict: r.found.verdict, share: r.found.share, drifted: r.found.drifted } : {};
      record({ tool: WASM, rows, step, ms: r.ms, first_ms: r.first_ms, reps: r.reps, ...what });
      if (r.found && JSON.stringify(what) !== JSON.stringify({ verdict: expected.verdict, share: expected.share, drifted: expected.drifted })) {
        throw new Error(`drift on ${rows} rows: wasm found ${JSON.stringify(what)}, native ${JSON.stringify(expected)}`);
      }
    }
    record({ tool: WASM, rows, step: 'drift_memory', bytes: await session.page.evaluate(() => window.wasmBindings.memory_bytes()) });
    if (session.errors.length) throw new Error(`the page: ${session.errors.join('; ')}`);
    return session.version;
  } finally {
    await session.close();
  }
}

/** Cold page loads of the app (dist/), each in a fresh profile: the iris sample is selected
 * when the page opens. In one the run button is clicked as soon as it can be, and the
 * verdict's time is taken in the page (performance.now(), from navigation start); in the
 * other a person reads the page for 1.5 s first, and the verdict is timed from the click
 * (what the workers' warm-up buys). */
async function irisVerdict() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/index.html is missing: run `make page` first');
  const server = await serve(DIST);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const load = async (readMs) => {
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
      if (readMs) await session.page.waitForTimeout(readMs);
      const before = await session.page.evaluate(() => performance.now());
      await session.page.click('[data-testid=run-button]', { timeout: TIMEOUT_MS });
      const clickMs = await session.page.evaluate(() => performance.now());
      await session.page.waitForSelector('[data-testid=verdict]', { timeout: TIMEOUT_MS });
      const ms = await session.page.evaluate(() => window.__verdictMs);
      return { ms, before, clickMs };
    } finally {
      await session.close();
    }
  };
  try {
    for (let i = 0; i < IRIS_LOADS; i += 1) {
      const cold = await load(0);
      record({ tool: WASM, rows: 150, step: 'iris_cold_verdict', ms: cold.ms, reps: 1, accuracy: null, ready_ms: cold.clickMs });
      const read = await load(READ_MS);
      record({ tool: WASM, rows: 150, step: 'iris_read_verdict', ms: read.ms - read.before, reps: 1, accuracy: null });
    }
  } finally {
    server.close();
  }
}

/** A person's first file in the app (dist/), in a fresh profile, chosen a few seconds after
 * the page opened, from the file input to its profile on the page; then the same file again
 * under another name. The second is what the browser's optimised code gives; the first was
 * several times slower while the loader's loops ran at the baseline compiler's speed
 * (src/app/worker.rs, `warm_up_idle`). */
async function firstFile() {
  const server = await serve(DIST);
  const origin = `http://127.0.0.1:${server.address().port}`;
  try {
    for (const rows of SIZES) {
      const csv = synthCsv(rows);
      const session = await launch();
      const dir = mkdtempSync(join(tmpdir(), 'mltest-first-'));
      try {
        await session.page.goto(`${origin}/`);
        await session.page.waitForSelector('[data-testid=column-profile]', { timeout: TIMEOUT_MS });
        await session.page.waitForTimeout(2 * READ_MS);
        for (const step of ['first_file', 'next_file']) {
          const path = join(dir, `${step}.csv`);
          copyFileSync(csv, path);
          const before = await session.page.evaluate(() => performance.now());
          await session.page.setInputFiles('[data-testid=csv-input]', path);
          await session.page.waitForFunction((name) => document.querySelector('.data-shape')?.textContent.includes(name),
            `${step}.csv`, { timeout: TIMEOUT_MS, polling: 5 });
          const ms = (await session.page.evaluate(() => performance.now())) - before;
          record({ tool: WASM, rows, step, ms, reps: 1, accuracy: null });
        }
      } finally {
        await session.close();
        rmSync(dir, { recursive: true, force: true });
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
    evidently: ONLY.has('drift') ? text(opts['evidently-python'], ['-c', 'import sys, evidently, pandas, scipy; print(sys.version.split()[0], "evidently", evidently.__version__, "pandas", pandas.__version__, "scipy", scipy.__version__)']) : null,
    command: `node www/bench/run.mjs --rows ${SIZES.join(',')} --reps ${REPS} --timeout-s ${TIMEOUT_MS / 1000} --drift-rows ${DRIFT_SIZES.join(',')} --only ${[...ONLY].join(',')}`,
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
  // A tool by its name's start (mltest's), or by the library it names (the Python peers,
  // whose names start with their pandas version).
  const find = (tool, rows, step) => all.find((r) => (r.tool.startsWith(tool) || r.tool.includes(tool)) && r.rows === rows && r.step === step);
  const lines = [];
  if (all.some((r) => STEPS.includes(r.step) || r.step === 'iris_cold_verdict')) lines.push(mainTable(all, find));
  if (all.some((r) => DRIFT_STEPS.includes(r.step))) lines.push(driftTable(all, find));
  return lines.join('\n\n');
}

function mainTable(all, find) {
  const sklearnName = all.find((r) => r.tool.includes('scikit-learn'))?.tool ?? 'pandas + scikit-learn';
  const lines = [
    `| rows | step | ${NATIVE} | ${WASM} | wasm ÷ native | ${PEERS} | ÷ ${WASM} | ${sklearnName} | ÷ ${NATIVE} | accuracy mltest · ml.js · sklearn |`,
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const rows of SIZES) {
    for (const step of STEPS.filter((st) => all.some((r) => r.rows === rows && r.step === st))) {
      const [n, w, p, s] = [find(NATIVE, rows, step), find(WASM, rows, step), find(PEERS, rows, step), find('scikit-learn', rows, step)];
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
  const first = SIZES.map((rows) => [rows, all.find((r) => r.step === 'first_file' && r.rows === rows), all.find((r) => r.step === 'next_file' && r.rows === rows)])
    .filter(([, f, n]) => f && n);
  if (first.length) {
    lines.push('', `A person's first file in the page, 3 s after a cold load, to its profile; then the same file again: ${first.map(([rows, f, n]) => `${rows.toLocaleString('en')} rows ${fmtMs(f)}, then ${fmtMs(n)}`).join('; ')}`);
  }
  const read = all.filter((r) => r.step === 'iris_read_verdict').map((r) => r.ms).sort((a, b) => a - b);
  if (read.length) {
    lines.push('', `First Run on iris ${READ_MS / 1000} s after a cold page load, click to verdict (median of ${read.length}): ${read[Math.floor(read.length / 2)].toFixed(0)} ms (each: ${read.map((x) => x.toFixed(0)).join(', ')} ms)`);
  }
  return lines.join('\n');
}

/** The drift benchmark: mltest's two steps against Evidently's read, report and bare
 * statistics; the row of Evidently's stattests compares them with mltest's `drift` step. */
function driftTable(all, find) {
  const evidentlyName = all.find((r) => r.tool.includes('Evidently'))?.tool ?? 'pandas + Evidently';
  const what = (r) => (r?.drifted ? `${r.drifted.join(', ') || 'none'} (${(100 * r.share).toFixed(1)} %)` : '');
  const lines = [
    `| rows | step | ${NATIVE} | ${WASM} | wasm ÷ native | ${evidentlyName} | ÷ ${NATIVE} | ÷ ${WASM} | drifted: mltest · Evidently |`,
    '|---:|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  const mib = (r) => (r?.bytes == null ? '–' : `${(r.bytes / 1048576).toFixed(0)} MiB`);
  for (const rows of DRIFT_SIZES) {
    for (const step of DRIFT_STEPS) {
      const ours = step === 'drift_stattests' ? 'drift' : step;
      const [n, w, e] = [find(NATIVE, rows, ours), find(WASM, rows, ours), find('Evidently', rows, step)];
      const label = step === 'drift_stattests' ? 'drift (Evidently: its stattests alone)' : step;
      const found = step === 'drift' ? `${what(w ?? n)} · ${what(e)}` : '';
      lines.push(`| ${rows.toLocaleString('en')} | ${label} | ${fmtMs(n)} | ${fmtMs(w)} | ${ratio(w, n)} | ${fmtMs(e)} | ${ratio(e, n)} | ${ratio(e, w)} | ${found} |`);
    }
  }
  lines.push('', `| rows | drift peak memory: ${NATIVE} (resident, whole process) | ${WASM} (the engine's linear memory) |`, '|---:|---:|---:|');
  for (const rows of DRIFT_SIZES) lines.push(`| ${rows.toLocaleString('en')} | ${mib(find(NATIVE, rows, 'drift_memory'))} | ${mib(find(WASM, rows, 'drift_memory'))} |`);
  return lines.join('\n');
}

async function main() {
  if (!existsSync(BENCH_BIN)) throw new Error(`${BENCH_BIN} is missing: cargo build --release --features bench --bin mltest-bench`);
  if (!existsSync(join(TARGET, 'bench-page', 'index.html'))) throw new Error('target/bench-page is missing: make bench-compare builds it');
  const server = await serve(TARGET);
  const origin = `http://127.0.0.1:${server.address().port}`;
  let chromiumVersion = null;
  // The main steps run when one of their tools is asked for (`--only drift` skips them).
  const main = ['native', 'sklearn', 'wasm', 'peers'].some((t) => ONLY.has(t));
  try {
    for (const rows of main ? SIZES : []) {
      const csv = synthCsv(rows);
      const testRows = join(DATA, `synth-${rows}.test-rows.txt`);
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
          const out = run(opts.python, [join(ROOT, 'scripts', 'bench_sklearn.py'), csv, testRows, '--reps', String(REPS), '--models', ...modelsAt(rows)], {
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
    if (ONLY.has('drift')) for (const rows of DRIFT_SIZES) chromiumVersion = await driftSize(origin, rows);
  } finally {
    server.close();
  }
  if (ONLY.has('cold')) {
    await irisVerdict();
    await firstFile();
  }
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
