// field.mjs - The field page offline then online, in headless Debian
// chromium (playwright-core): French by default; the service worker keeps
// the page; with the network switched off three reports wait in the
// IndexedDB outbox and none reaches the server, the page reloads offline
// with its outbox intact; with the network back the outbox empties and
// the server has each report once; a replay of a sent report is harmless;
// a report that skips a step is kept and shown refused; EN switch.
// Usage: node field.mjs BASE_URL TOKEN USER_DATA_DIR
import { check, runPage } from './chromium.mjs';

const [base, token, userDir] = process.argv.slice(2);

// The server's view, from outside the browser (not affected by its offline switch).
async function states() {
  const r = await fetch(`${base}/api/build/status`, { headers: { Authorization: `Bearer ${token}` } });
  return Object.fromEntries((await r.json()).map((s) => [s.trench, s.state]));
}
const outbox = (page) => page.evaluate(() => Number(document.body.dataset.outbox));
async function waitOutbox(page, n) {
  await page.waitForFunction((k) => document.body.dataset.outbox === String(k), n, { timeout: 30000 });
}
async function report(page, trenchIndex, step, metres) {
  await page.selectOption('#trench', { index: trenchIndex });
  await page.selectOption('#step', step);
  if (metres) await page.fill('#metres', String(metres));
  const before = await outbox(page);
  await page.click('#send');
  await page.waitForFunction((k) => Number(document.body.dataset.outbox) > k || document.querySelector('#status').textContent.includes('envoy'), before, { timeout: 15000 });
}

// page errors fail the test; console errors are expected (offline fetches, refusals)
await runPage(userDir, { viewport: { width: 400, height: 800 } }, () => true, async (page) => {
  await page.goto(`${base}/field.html`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30000 });
  check(await page.locator('html').getAttribute('lang') === 'fr', 'French by default');
  check((await page.locator('#send').textContent()) === 'Enregistrer le rapport', 'French labels');
  await page.click('#settings summary');
  await page.fill('#token', token);
  await page.fill('#who', 'Afi (équipe 2)');
  await page.click('#save-settings');
  await page.waitForFunction(() => document.querySelectorAll('#package option').length > 0, null, { timeout: 15000 });
  check(await page.locator('#trench option').count() >= 3, 'packages and trenches loaded');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload({ waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.ready === '1' && navigator.serviceWorker.controller, null, { timeout: 30000 });
  check(true, 'service worker controls the page');
  const trenches = await page.locator('#trench option').evaluateAll((o) => o.map((x) => Number(x.value)));

  await page.context().setOffline(true);
  await page.waitForFunction(() => document.querySelector('#net').dataset.state === 'offline', null, { timeout: 10000 });
  await report(page, 0, 'surveyed', 50);
  await report(page, 0, 'dug', 30);
  await report(page, 1, 'surveyed', 0);
  await waitOutbox(page, 3);
  check(true, 'offline: 3 reports wait in the outbox');
  const kept = await page.evaluate(() => window.gnField.outboxAll());
  let st = await states();
  check(st[trenches[0]] === 'planned' && st[trenches[1]] === 'planned', 'offline: nothing reached the server');
  const resp = await page.reload({ waitUntil: 'load' });
  check(resp && resp.fromServiceWorker(), 'offline reload answered by the service worker');
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30000 });
  check(await outbox(page) === 3, 'reloaded offline (service worker): the outbox kept its 3 reports');

  await page.context().setOffline(false);
  await waitOutbox(page, 0);
  check(true, 'back online: the outbox emptied');
  st = await states();
  check(st[trenches[0]] === 'dug' && st[trenches[1]] === 'surveyed', `server states: ${st[trenches[0]]}, ${st[trenches[1]]}`);

  // a replay after a lost answer: the same report sent again
  await page.evaluate((item) => window.gnField.outboxPut(item).then(() => window.gnField.sync()), kept[0]);
  await waitOutbox(page, 0);
  check(true, 'a replayed report leaves the outbox (the server knew its id)');

  await report(page, 2, 'tested', 0);
  await page.waitForSelector('#outbox li.refused', { timeout: 15000 });
  const txt = await page.locator('#outbox li.refused').textContent();
  check(txt.includes('refusé') && txt.includes('must come before'), `a skipped step stays, refused: ${txt}`);

  await page.click('#lang-en');
  check((await page.locator('#send').textContent()) === 'Save report', 'English on demand');
});
