// Where a cold load's main thread spends its time, by function: Chromium's sampling profiler
// over cold loads of a built page (a fresh browser profile each), from navigation to the
// verdict on iris with Run clicked as soon as it can be (as `make bench-compare`'s cold
// load). Prints, per load on average, the functions with the most time under them and with
// the most time in themselves. The browser compiles a wasm function whole at its first call
// and charges that to the caller, so a large function called once shows as self time.
//
// The page's wasm has no names after wasm-opt; build one that keeps them:
//
//   sed 's/max-function-size=300"/max-function-size=300 -g" data-keep-debug/' www/index.html > www/index-names.html
//   PATH=www/node_modules/.bin:$PATH trunk build www/index-names.html --release --dist /tmp/names
//   rm www/index-names.html
//   node www/bench/cold_profile.mjs /tmp/names 4

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, serve } from '../e2e/harness.mjs';

const [dist, loadsArg = '3', topArg = '30'] = process.argv.slice(2);
if (!dist) {
  console.error('usage: node www/bench/cold_profile.mjs DIST [LOADS] [TOP]');
  process.exit(2);
}
const LOADS = Number(loadsArg);
const TOP = Number(topArg);

/** One cold load's CPU profile (100 µs sampling). */
async function profileOneLoad(origin) {
  const dir = mkdtempSync(join(tmpdir(), 'mltest-profile-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    await page.goto(`${origin}/`);
    await page.click('[data-testid=run-button]');
    await page.waitForSelector('[data-testid=verdict]');
    return (await cdp.send('Profiler.stop')).profile;
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Adds a profile's sample time to each function's total (time under it) and self time. */
function tally(profile, total, self) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  profile.samples.forEach((id, i) => {
    const ms = profile.timeDeltas[i] / 1000;
    const name = (n) => n.callFrame.functionName || n.callFrame.url.split('/').pop() || '(anonymous)';
    self.set(name(nodes.get(id)), (self.get(name(nodes.get(id))) ?? 0) + ms);
    // A function counted once per sample, however deep it recurses.
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const n = name(nodes.get(at));
      if (!seen.has(n)) total.set(n, (total.get(n) ?? 0) + ms);
      seen.add(n);
    }
  });
}

const server = await serve(dist);
try {
  const origin = `http://127.0.0.1:${server.address().port}`;
  const total = new Map();
  const self = new Map();
  for (let i = 0; i < LOADS; i += 1) tally(await profileOneLoad(origin), total, self);
  const print = (title, map) => {
    console.log(`\n${title} (ms per load, ${LOADS} loads)`);
    [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP)
      .forEach(([name, ms]) => console.log(`${(ms / LOADS).toFixed(1).padStart(8)}  ${name.slice(0, 150)}`));
  };
  print('time under each function', total);
  print('time in each function itself', self);
} finally {
  server.close();
}
