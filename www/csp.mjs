// Trunk's post-build hook (Trunk.toml): writes the page's Content-Security-Policy.
//
// A share link is input from a stranger, so the page allows nothing but its own origin:
// scripts from the page's origin plus Trunk's inline loader (allowed by its SHA-256, which
// changes with every build's file names, hence a hook rather than a fixed header), wasm
// compilation ('wasm-unsafe-eval'), workers and fetches from the origin, images from the
// origin, data: (the favicon) and blob: (nothing else); no plugins, no <base>, no forms.
// Styles come from the origin's style.css; the charts set their width in a style attribute,
// which cannot run code, so attributes alone may be inline.
//
// The policy replaces the `__CSP__` placeholder in www/index.html; a page without the
// placeholder (the benchmark page) is left alone.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('csp.mjs: TRUNK_STAGING_DIR is not set (run it as a Trunk hook)');
  process.exit(1);
}
const file = join(staging, 'index.html');
const html = readFileSync(file, 'utf8');
const PLACEHOLDER = '__CSP__';
if (!html.includes(PLACEHOLDER)) process.exit(0);

const hashes = [];
for (const match of html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash('sha256').update(match[1], 'utf8').digest('base64')}'`);
}
const policy = [
  "default-src 'none'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');
writeFileSync(file, html.replace(PLACEHOLDER, policy));
console.log(`csp.mjs: Content-Security-Policy written with ${hashes.length} inline script hash(es)`);
