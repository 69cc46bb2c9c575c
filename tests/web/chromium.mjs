// chromium.mjs - What every browser test shares: Debian's chromium through
// playwright-core (from web/node_modules), its flags, and check().
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.GN_SOURCE_DIR || '.', 'web', 'package.json'));
export const { chromium } = require('playwright-core');
export const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function check(cond, what) {
  if (!cond) throw new Error(`FAIL: ${what}`);
  console.log(`ok - ${what}`);
}

// A persistent profile (service workers, storage) with the test's viewport.
export function launchProfile(userDir, options = {}) {
  return chromium.launchPersistentContext(userDir, {
    executablePath, headless: true, args: FLAGS, viewport: { width: 1400, height: 860 }, timeout: 60000, ...options,
  });
}

// Run body(page) in a fresh profile's page and exit 0/1: a failed check, a
// page error or a console error fails the test, except the console errors
// allowed(message) expects (e.g. a deliberate 401).
export async function runPage(userDir, options, allowed, body) {
  const ctx = await launchProfile(userDir, options);
  let failed = false;
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error' && !allowed(m)) errors.push(m.text()); });
    await body(page);
    check(errors.length === 0, `no page errors${errors.length ? ': ' + errors.join(' | ') : ''}`);
  } catch (err) {
    console.error(String(err));
    failed = true;
  } finally {
    await ctx.close();
  }
  process.exit(failed ? 1 : 0);
}
