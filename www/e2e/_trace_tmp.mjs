import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync } from 'node:zlib';
const DIST = process.argv[2] || '/work/main/dist';
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.csv': 'text/csv', '.json': 'application/json' };
const server = createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (p.endsWith('/')) p += 'index.html';
  const f = join(DIST, p);
  if (!existsSync(f) || statSync(f).isDirectory()) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': types[extname(f)] || 'application/octet-stream' });
  res.end(readFileSync(f));
}).listen(0);
await new Promise((r) => server.on('listening', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
const page = await browser.newPage();
await page.addInitScript(() => {
  new MutationObserver((_, o) => { if (document.querySelector('[data-testid=verdict]')) { window.__v = performance.now(); o.disconnect(); } }).observe(document, { subtree: true, childList: true });
});
await browser.startTracing(page, { categories: ['devtools.timeline', 'v8.wasm', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8', 'toplevel'] });
await page.goto(`${origin}/`);
await page.click('[data-testid=run-button]');
const clickMs = await page.evaluate(() => performance.now());
await page.waitForSelector('[data-testid=verdict]');
const v = await page.evaluate(() => window.__v);
const buf = await browser.stopTracing();
writeFileSync('/tmp/tr/trace.json', buf);
console.log('click', clickMs.toFixed(0), 'verdict', v.toFixed(0));
await browser.close(); server.close();
