// lease.mjs - "Louer / Lease" in the map UI, in headless Debian chromium:
// the public and an auditor see no lease panel; an operator signs in,
// picks the far end on the map (a tap on a site fills "site:ID"), asks a
// quote (route drawn, loss 1310 > 1550, a monthly price), reserves it and
// sees the lease in its list; swapped coordinates get the server's
// message; in English the labels follow. The server's own view is checked
// with a NOC token: the lease exists, for the operator's organisation.
// Usage: node lease.mjs BASE_URL NOC_TOKEN OPERATOR_PW USER_DATA_DIR
import { check, runPage } from './chromium.mjs';

const [base, token, opPw, userDir] = process.argv.slice(2);
// the deliberate swapped-coordinates quote answers 400: not a page error
await runPage(userDir, {}, (m) => /\/api\/quotes/.test(m.location().url || ''), async (page) => {
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 60000 });
  check(await page.locator('#lease').isHidden(), 'public: no lease panel');

  await page.locator('#sign-in').click();
  await page.locator('#login-form input[name=name]').fill('opr');
  await page.locator('#login-form input[name=password]').fill(opPw);
  await page.locator('#login-submit').click();
  await page.locator('#sign-out').waitFor({ timeout: 10000 });
  await page.locator('#lease').waitFor({ state: 'visible', timeout: 10000 });
  check((await page.locator('#lease h2').textContent()).trim() === 'Louer de la fibre', 'operator: lease panel, in French');

  // from the POP; the far end picked on the map: a site with a circuit
  const pop = await page.evaluate(() => `pop:${window.gn.state.pops[0].properties.id}`);
  await page.locator('#lease-form input[name=from]').fill(pop);
  const sid = await page.evaluate(() => {
    const f = window.gn.state.sites.find((x) => x.properties.cpe_port != null);
    const [lon, lat] = f.geometry.coordinates;
    window.gn.map.setView([lat, lon], 18, { animate: false });
    return String(f.properties.id);
  });
  await page.waitForTimeout(300);
  await page.locator('#lease-pick-to').click();
  check(await page.locator('#lease-pick-hint').isVisible(), 'picking: the hint says to tap the map');
  const sp = await page.evaluate((id) => window.gn.sitePoint(id), sid);
  await page.mouse.click(sp.x, sp.y);
  const to = await page.locator('#lease-form input[name=to]').inputValue();
  check(to === `site:${sid}`, `a tap on site ${sid} names the end (${to})`);
  check(await page.locator('#details-body [data-site]').count() === 0, 'the pick did not open the site details');

  await page.locator('#lease-quote').click();
  await page.locator('#lease-result dl').waitFor({ timeout: 20000 });
  const num = async (k) => Number((await page.locator(`#lease-result dd[data-key="${k}"]`).textContent())
    .replace(/[\s\u202f]/g, '').replace(',', '.').replace(/(dB|km|FCFA|%)$/, ''));
  const [l1310, l1550, km, month] = [await num('loss_1310'), await num('loss_1550'), await num('path_length'),
    await num('lease_price_month')];
  check(l1310 > l1550 && l1550 > 0 && km > 0, `quote: ${km} km, ${l1310} dB @1310 > ${l1550} dB @1550`);
  check(month > 0, `quote: ${month} FCFA a month`);
  const drawn = await page.evaluate(() => document.querySelectorAll('.leaflet-highlight-pane path').length);
  check(drawn >= 1, `the route's cables are drawn (${drawn})`);

  await page.locator('#lease-reserve').click();
  await page.locator('#lease-done').waitFor({ timeout: 20000 });
  const done = await page.locator('#lease-done').textContent();
  const id = Number(/n° (\d+)/.exec(done)?.[1]);
  check(id > 0, `reserved: "${done}"`);
  await page.locator(`#lease-list li[data-lease="${id}"]`).waitFor({ timeout: 10000 });
  check((await page.locator(`#lease-list li[data-lease="${id}"] .badge`).textContent()) === 'réservé',
    'the lease is listed, reserved');
  check(await page.locator('#lease-list button').count() === 0, 'an operator cannot activate or terminate');
  const r = await fetch(`${base}api/leases/${id}`, { headers: { Authorization: `Bearer ${token}` } });
  const lease = await r.json();
  check(r.ok && lease.operator === 'Moov' && lease.to === `site:${sid}` && lease.state === 'reserved',
    `the server holds lease ${id} for Moov to site:${sid}`);

  // swapped coordinates: the server's reason reaches the user
  await page.locator('#lease-form input[name=to]').fill('6.13,1.22');
  await page.locator('#lease-quote').click();
  await page.locator('#lease-error').waitFor({ timeout: 20000 });
  check(/swap/.test(await page.locator('#lease-error').textContent()), 'swapped coordinates: the reason is shown');

  await page.locator('#lang-en').click();
  check((await page.locator('#lease h2').textContent()).trim() === 'Lease fiber', 'lease panel in English');
  check((await page.locator(`#lease-list li[data-lease="${id}"] .badge`).textContent()) === 'reserved',
    'lease state in English');
});
