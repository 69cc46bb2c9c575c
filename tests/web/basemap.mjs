// basemap.mjs - The map draws the vector-tile basemap under the network:
// over central Accra, tiles of the base pane hold street paths, and no
// request fails. Usage: node basemap.mjs BASE_URL SCREENSHOT.png
import { chromium, executablePath, FLAGS } from './chromium.mjs';

const [base, shot] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath, args: FLAGS });
let rc = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(base);
  await page.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 30000 });
  await page.evaluate(() => window.gn.map.setView([5.5497, -0.2068], 15, { animate: false }));
  await page.waitForFunction(() => document.querySelectorAll('.leaflet-base-pane .leaflet-tile path').length > 20,
    null, { timeout: 20000 });
  const n = await page.locator('.leaflet-base-pane .leaflet-tile path').count();
  console.log(`ok - the basemap draws ${n} street/water paths over Accra`);
  await page.screenshot({ path: shot });
  if (errors.length) throw new Error(`page errors: ${errors.join(' | ')}`);
  console.log('ok - no failed request or page error');
} catch (err) {
  console.error(`FAIL: ${err}`);
  rc = 1;
} finally {
  await browser.close();
}
process.exit(rc);
