// Tells two builds of the page apart on a shared, noisy machine: cold loads of each built
// page (a fresh browser profile each), taken in turn so that the machine's moods fall on both
// alike, and the median time from navigation to the first verdict per build. The iris sample
// is selected when the page opens and Run is clicked as soon as it can be, as in
// `make bench-compare`'s cold load.
//
//   make page && cp -r dist /tmp/after     (and the same from the other commit into /tmp/before)
//   node www/bench/cold_ab.mjs 9 /tmp/before /tmp/after

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, serve } from '../e2e/harness.mjs';

const [loads, ...dirs] = process.argv.slice(2);
if (!Number(loads) || dirs.length === 0) {
  console.error('usage: node www/bench/cold_ab.mjs LOADS DIST_DIR [DIST_DIR …]');
  process.exit(2);
}
const servers = await Promise.all(dirs.map((dir) => serve(dir)));
const times = dirs.map(() => []);
try {
  for (let i = 0; i < Number(loads); i += 1) {
    for (let d = 0; d < dirs.length; d += 1) {
      const profile = mkdtempSync(join(tmpdir(), 'mltest-cold-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 },
      });
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        await page.addInitScript(() => {
          new MutationObserver((_, observer) => {
            if (document.querySelector('[data-testid=verdict]')) {
              window.__verdictMs = performance.now();
              observer.disconnect();
            }
          }).observe(document, { subtree: true, childList: true });
        });
        await page.goto(`http://127.0.0.1:${servers[d].address().port}/`);
        await page.click('[data-testid=run-button]');
        await page.waitForSelector('[data-testid=verdict]');
        times[d].push(await page.evaluate(() => window.__verdictMs));
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
    }
  }
} finally {
  servers.forEach((server) => server.close());
}
dirs.forEach((dir, d) => {
  const sorted = [...times[d]].sort((a, b) => a - b);
  console.log(`${dir}: median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms (each: ${times[d].map((t) => t.toFixed(0)).join(', ')})`);
});
