// browser.mjs - Drive the map UI in headless Debian chromium through
// playwright-core: the page loads, the map shows sites and trenches, a
// click on a site shows its circuit's loss budget, a click on a trench
// then "cut here" shows the impact list, the language switches FR -> EN, a
// site found by search shows its loss budget, and a screenshot is saved.
// Usage: node browser.mjs BASE_URL SCREENSHOT.png USER_DATA_DIR
import { check, runPage } from './chromium.mjs';

const [base, shot, userDir] = process.argv.slice(2);



// The details panel shows the site's loss budget: path length, splices,
// and a loss at 1310 nm above the one at 1550 nm (label in the language).
async function checkLossBudget(page, label1310, how) {
  await page.locator('#details-body .loss-budget').waitFor({ timeout: 20000 });
  const box = page.locator('#details-body .loss-budget');
  check((await box.textContent()).includes(label1310), `${how}: loss budget shown ("${label1310}")`);
  const num = async (k) => Number((await box.locator(`dd[data-key="${k}"]`).textContent())
    .replace(/[\s\u202f]/g, '').replace(',', '.').replace(/(dB|km)$/, ''));
  const [l1310, l1550, km] = [await num('loss_1310'), await num('loss_1550'), await num('path_length')];
  check(l1310 > l1550 && l1550 > 0 && km > 0, `${how}: ${km} km, ${l1310} dB @1310 > ${l1550} dB @1550`);
  check(Number(await box.locator('dd[data-key="splices_label"]').textContent()) >= 0, `${how}: splices counted`);
}

// the deliberate wrong-password sign-in below answers 401: not an error
await runPage(userDir, {}, (m) => /\/api\/login$/.test(m.location().url || '') && / 401 /.test(m.text()),
  async (page) => {
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 30000 });
  check(await page.evaluate(() => document.body.dataset.ready) === '1', 'page loaded its layers');
  check(await page.locator('html').getAttribute('lang') === 'fr', 'French is the default language');
  const nsites = await page.locator('path.gn-site').count();
  const ntrenches = await page.locator('path.gn-trench').count();
  const expSites = Number(process.env.EXPECT_SITES || 1);
  check(nsites >= expSites, `map shows ${nsites} sites (expected >= ${expSites})`);
  check(ntrenches > 0, `map shows ${ntrenches} trenches`);
  check((await page.locator('#kpi-buildings').textContent()).trim() !== '–', 'dashboard filled');
  const costText = (await page.locator('#kpi-cost').textContent()).trim();
  if (process.env.EXPECT_COST) check(/^[\d\s\u202f.,]+ (M|Md) FCFA$/.test(costText), `dashboard cost: ${costText}`);
  // click a site with a circuit: its loss budget (French)
  const sid = await page.evaluate(() => {
    const f = window.gn.state.sites.find((x) => x.properties.cpe_port != null && x.properties.name);
    const [lon, lat] = f.geometry.coordinates;
    window.gn.map.setView([lat, lon], 18, { animate: false });
    return f.properties.id;
  });
  await page.waitForTimeout(400);
  const sp = await page.evaluate((id) => window.gn.sitePoint(id), sid);
  await page.mouse.click(sp.x, sp.y);
  await checkLossBudget(page, 'Perte à 1310 nm', `click on site ${sid}`);
  // click a trench on the map, then "Couper ici"
  const tid = process.env.CUT_TRENCH || null;
  await page.evaluate((id) => {
    const e = id ? window.gn.state.trenchLayers.get(String(id)) : window.gn.state.trenchLayers.values().next().value;
    e.layer.eachLayer((l) => window.gn.map.fitBounds(l.getBounds(), { maxZoom: 17, padding: [80, 80] }));
  }, tid);
  await page.waitForTimeout(400);
  const pt = await page.evaluate((id) => window.gn.trenchPoint(id), tid);
  await page.mouse.click(pt.x, pt.y);
  await page.locator('#cut-here').waitFor({ timeout: 5000 });
  check((await page.locator('#cut-here').textContent()).includes('Couper ici'), 'trench details offer "Couper ici"');
  await page.locator('#cut-here').click();
  await page.locator('#impact').waitFor({ state: 'visible', timeout: 10000 });
  const nimpact = await page.locator('#impact-list li').count();
  check(nimpact >= Number(process.env.EXPECT_IMPACT || 1), `impact list shows ${nimpact} sites`);
  const summaryFr = await page.locator('#impact-summary').textContent();
  check(/site/.test(summaryFr), `impact summary: ${summaryFr}`);
  await page.waitForTimeout(900); // the map flies to the cut
  await page.screenshot({ path: shot.replace(/\.png$/, '_fr.png') }); // French, impact shown
  // switch language
  await page.locator('#lang-en').click();
  check(await page.locator('html').getAttribute('lang') === 'en', 'language switched to English');
  check((await page.locator('#dashboard h2').textContent()).trim() === 'Dashboard', 'dashboard title in English');
  check((await page.locator('#impact-summary').textContent()).includes('affected'), 'impact summary in English');
  // search a site by name
  const name = await page.evaluate(() => window.gn.state.sites.filter((f) => f.properties.name && f.properties.cpe_port != null)
    .map((f) => f.properties.name).pop());
  if (name) {
    await page.locator('#search').fill(name.slice(0, 6));
    check(await page.locator('#search-results li').count() >= 1, `search "${name.slice(0, 6)}" finds sites`);
    await page.locator('#search-results li').first().click();
    await page.locator('#details-body h3').waitFor();
    check((await page.locator('#details-body h3').textContent()).length > 0, 'search result selects a site');
    await page.waitForFunction(() => !document.querySelector('#details-body').textContent.includes('…'),
      null, { timeout: 20000 });
    check(await page.locator('#details-body dl').count() >= 2, "the site's circuits are listed");
    await checkLossBudget(page, 'Loss at 1310 nm', `search "${name}"`);
  }
  // accounts: public sees no delete button, no audit log; signing in shows
  // only what the role may do (roles from GET /api/me)
  if (process.env.AUDITOR_PW) {
    const panelHas = async (sel) => (await page.locator(sel).count()) > 0;
    check(!(await panelHas('#delete-site')) && await page.locator('#audit').isHidden(),
      'public: no delete button, no audit log');
    await page.locator('#sign-in').click();
    check((await page.locator('#login-dialog h2').textContent()).trim() === 'Sign in', 'login dialog in English');
    await page.locator('#login-form input[name=name]').fill('aud');
    await page.locator('#login-form input[name=password]').fill('not-the-password');
    await page.locator('#login-submit').click();
    await page.waitForFunction(() => document.getElementById('login-error').textContent.length > 0);
    check((await page.locator('#login-error').textContent()) === 'Wrong user name or password', 'wrong password: message');
    await page.locator('#login-form input[name=password]').fill(process.env.AUDITOR_PW);
    await page.locator('#login-submit').click();
    await page.locator('#sign-out').waitFor({ timeout: 10000 });
    check((await page.locator('#who').textContent()).includes('auditor'), 'signed in as auditor');
    await page.locator('#audit-list li').first().waitFor({ timeout: 10000 });
    check(!(await panelHas('#delete-site')), 'auditor: audit log shown, no delete button');
    await page.locator('#lang-fr').click();
    check((await page.locator('#who').textContent()).includes('auditeur'), 'role label in French');
    check((await page.locator('#sign-out').textContent()) === 'Se déconnecter', 'sign-out in French');
    await page.locator('#sign-out').click();
    await page.locator('#sign-in').waitFor({ timeout: 10000 });
    await page.locator('#sign-in').click();
    check((await page.locator('#login-dialog h2').textContent()).trim() === 'Se connecter', 'login dialog in French');
    await page.locator('#login-form input[name=name]').fill('plan');
    await page.locator('#login-form input[name=password]').fill(process.env.PLANNER_PW);
    await page.locator('#login-submit').click();
    await page.locator('#sign-out').waitFor({ timeout: 10000 });
    await page.locator('#delete-site').waitFor({ timeout: 10000 });
    check(await page.locator('#audit').isHidden(), 'planner: delete button shown, audit log hidden');
    await page.locator('#lang-en').click();
  }
  // back to the cut view for the screenshot
  await page.locator('#search').fill('');
  await page.evaluate(() => { document.getElementById('search-results').hidden = true; });
  await page.evaluate(() => window.gn.fitAll());
  await page.waitForTimeout(500);
  await page.screenshot({ path: shot });
});
