// The benchmark page's script: times each step inside the page with performance.now(), for
// the mltest engine (wasm, src/bin/bench.rs) and for the peers a user would pick in a page:
// PapaParse to read and profile the CSV, ml.js (ml-logistic-regression, ml-cart,
// ml-naivebayes) to train. Bundled by esbuild (`make bench-compare`); driven by run.mjs
// through `window.bench`.
//
// Every tool scores the same test rows (the engine's split) after the same preprocessing:
// mean imputation and standardisation fitted on the train rows.
//
// The drift benchmark's steps (`drift_parse`, `drift`) are the engine's only: its peer is
// Evidently, in Python (scripts/bench_drift.py); `loadDrift` fetches the two files first.

import { DecisionTreeClassifier } from 'ml-cart';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { GaussianNB } from 'ml-naivebayes';
import Papa from 'papaparse';

export const MLTEST = 'mltest wasm';
export const PEERS = 'PapaParse + ml.js';
const LABEL = 'label';
const DROP = new Set(['label', 'target']);
// A first run longer than this is not repeated (and counts): one slow run says enough.
const REPEAT_BELOW_MS = 3000;
// Untimed runs before the timed ones, and the pause after each (see `run`).
const WARM_UPS = 3;
// The shortest sample: quicker steps are repeated within one (see `run`).
const SAMPLE_MS = 20;
const pause = () => new Promise((done) => setTimeout(done, 600));

const wasm = () => window.wasmBindings;
const ready = new Promise((done) => {
  if (window.wasmBindings) done();
  else addEventListener('TrunkApplicationStarted', () => done(), { once: true });
});

let bytes = null;
let text = null;
// The drift benchmark's reference and current files.
let driftBytes = null;
let testRows = null;
const peer = { rows: null, fields: null, split: null };

/** The profile PapaParse's users write: per column count, missing, distinct, min, max,
 * mean, std, median, the top five values and a ten-bin histogram (mltest's profile). */
function profile(rows, fields) {
  return fields.map((name) => {
    const numbers = [];
    const counts = new Map();
    let missing = 0;
    for (const row of rows) {
      const v = row[name];
      if (v === null || v === undefined || v === '') {
        missing += 1;
        continue;
      }
      counts.set(v, (counts.get(v) ?? 0) + 1);
      if (typeof v === 'number') numbers.push(v);
    }
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    if (numbers.length === 0) return { name, missing, distinct: counts.size, top };
    const sorted = Float64Array.from(numbers).sort();
    const n = sorted.length;
    let sum = 0;
    for (const x of sorted) sum += x;
    const mean = sum / n;
    let ss = 0;
    for (const x of sorted) ss += (x - mean) ** 2;
    const [min, max] = [sorted[0], sorted[n - 1]];
    const histogram = new Array(10).fill(0);
    for (const x of sorted) histogram[Math.min(9, Math.floor(((x - min) / (max - min || 1)) * 10))] += 1;
    const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return { name, missing, distinct: counts.size, top, min, max, mean, std: Math.sqrt(ss / (n - 1)), median, histogram };
  });
}

/** Split on the engine's test rows, impute train means, standardise with train statistics
 * (population std, as scikit-learn's StandardScaler and mltest). */
function splitScale(rows, fields) {
  const features = fields.filter((f) => !DROP.has(f));
  const isTest = new Uint8Array(rows.length);
  for (const r of testRows) isTest[r] = 1;
  const classes = [...new Set(rows.map((row) => row[LABEL]))].sort();
  const code = new Map(classes.map((c, i) => [c, i]));
  const train = [];
  const test = [];
  for (let r = 0; r < rows.length; r += 1) (isTest[r] ? test : train).push(r);
  const mean = [];
  const std = [];
  for (const f of features) {
    let sum = 0;
    let n = 0;
    for (const r of train) {
      const v = rows[r][f];
      if (typeof v === 'number') {
        sum += v;
        n += 1;
      }
    }
    const m = sum / n;
    let ss = 0;
    for (const r of train) {
      const v = rows[r][f];
      ss += ((typeof v === 'number' ? v : m) - m) ** 2;
    }
    mean.push(m);
    std.push(Math.sqrt(ss / train.length) || 1);
  }
  const matrix = (part) => part.map((r) => features.map((f, j) => {
    const v = rows[r][f];
    return ((typeof v === 'number' ? v : mean[j]) - mean[j]) / std[j];
  }));
  return {
    xTrain: matrix(train), yTrain: train.map((r) => code.get(rows[r][LABEL])),
    xTest: matrix(test), yTest: test.map((r) => code.get(rows[r][LABEL])),
  };
}

function accuracy(predicted, truth) {
  let right = 0;
  for (let i = 0; i < truth.length; i += 1) if (predicted[i] === truth[i]) right += 1;
  return right / truth.length;
}

/** ml.js with the engine's settings as far as each library allows (BENCHMARKS.md). */
const PEER_MODELS = {
  // Plain gradient descent, no intercept, one-vs-all (two classifiers for two classes):
  // 100 steps as the engine's 100 L-BFGS iterations; the gradient is a sum over rows, so a
  // rate of 1/n is a unit step on the mean gradient of standardised inputs.
  logistic_regression: (s) => {
    const model = new LogisticRegression({ numSteps: 100, learningRate: 1 / s.xTrain.length });
    model.train(new Matrix(s.xTrain), Matrix.columnVector(s.yTrain));
    return model.predict(new Matrix(s.xTest));
  },
  // Depth 8; ml-cart's smallest node to split is 2 rows, as min_samples_split 2.
  decision_tree: (s) => {
    const model = new DecisionTreeClassifier({ gainFunction: 'gini', maxDepth: 8, minNumSamples: 2 });
    model.train(s.xTrain, s.yTrain);
    return model.predict(s.xTest);
  },
  gaussian_nb: (s) => {
    const model = new GaussianNB();
    model.train(s.xTrain, s.yTrain);
    return model.predict(s.xTest);
  },
};

/** One run of `step` by `tool`; returns its accuracy (model steps) or null. */
function once(tool, step) {
  if (tool === MLTEST) {
    switch (step) {
      // As the page's loader does it: the browser hashes the file on its own threads while
      // the engine reads it (src/app/worker.rs); the step ends when both are done.
      case 'parse_profile': {
        const digest = crypto.subtle.digest('SHA-256', bytes);
        wasm().parse_profile(bytes);
        return digest.then(() => null);
      }
      case 'data_tests': wasm().data_tests(); return null;
      case 'split_scale': wasm().split_scale(); return null;
      case 'drift_parse': wasm().drift_parse(driftBytes[0], driftBytes[1]); return null;
      // What the drift test found (verdict, share, drifted columns), for run.mjs to check.
      case 'drift': return JSON.parse(wasm().drift());
      default: return wasm().train_evaluate(step);
    }
  }
  switch (step) {
    case 'parse_profile': {
      const parsed = Papa.parse(text, { header: true, dynamicTyping: true, skipEmptyLines: true });
      peer.rows = parsed.data;
      peer.fields = parsed.meta.fields;
      profile(peer.rows, peer.fields);
      return null;
    }
    case 'split_scale': peer.split = splitScale(peer.rows, peer.fields); return null;
    default: return accuracy(PEER_MODELS[step](peer.split), peer.split.yTest);
  }
}

window.bench = {
  ready,
  /** Fetches the CSV (untimed), and the engine's test rows for the peers. */
  async load(url) {
    await ready;
    bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    text = new TextDecoder().decode(bytes);
    wasm().parse_profile(bytes);
    wasm().split_scale();
    testRows = wasm().test_rows();
    return { bytes: bytes.length, testRows: testRows.length };
  },
  /** Fetches the drift benchmark's reference and current CSVs (untimed) and parses them
   * once, so `drift` can run first. */
  async loadDrift(referenceUrl, currentUrl) {
    await ready;
    driftBytes = await Promise.all([referenceUrl, currentUrl].map(async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer())));
    wasm().drift_parse(driftBytes[0], driftBytes[1]);
    return { bytes: driftBytes[0].length + driftBytes[1].length };
  },
  /** The median of `reps` timed runs after WARM_UPS untimed ones, each followed by a pause:
   * V8 first runs code (wasm and JS alike) from its baseline compilers and optimises the hot
   * functions on background threads, so on 2 busy cores a millisecond-long step can be timed
   * before its optimised code exists. The pauses let it finish, so the times are the steady
   * state a page running a step again has; the first run's time is returned as `first_ms`
   * (a cold page's whole first run is timed by run.mjs's iris load). A first run slower than
   * REPEAT_BELOW_MS is the only one and is the time. */
  async run(tool, step, reps) {
    // One sample runs the step `batch` times and takes the mean: performance.now() ticks in
    // 0.1 ms here (no cross-origin isolation), too coarse for a step of a millisecond.
    let batch = 1;
    const timed = async () => {
      if (typeof gc === 'function') gc();
      const started = performance.now();
      let out;
      for (let i = 0; i < batch; i += 1) {
        out = once(tool, step);
        // A step that ends with the browser's own work (the page's SHA-256) is waited for.
        if (out instanceof Promise) out = await out;
      }
      return [(performance.now() - started) / batch, out];
    };
    let [first, result] = await timed();
    // A model step returns its accuracy, the drift step what it found.
    const answer = (ms, n) => ({ ms, first_ms: first, reps: n, ...(typeof result === 'object' && result !== null ? { found: result } : { accuracy: result }) });
    if (first > REPEAT_BELOW_MS) return answer(first, 1);
    let warm = first;
    for (let i = 1; i < WARM_UPS; i += 1) {
      await pause();
      [warm] = await timed();
    }
    batch = Math.max(1, Math.ceil(SAMPLE_MS / Math.max(warm, 0.1)));
    await pause();
    const times = [];
    while (times.length < reps) {
      const [ms, out] = await timed();
      times.push(ms);
      result = out;
    }
    times.sort((a, b) => a - b);
    return answer(times[Math.floor(times.length / 2)], times.length);
  },
};
document.getElementById('log').textContent = 'ready';
