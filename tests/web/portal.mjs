// portal.mjs - The captive portal in headless Debian chromium on a phone
// viewport: French by default, a wrong code gets govnet's French reason,
// the English switch translates it, a valid voucher sends the phone to
// openNDS's auth URL with tok = sha256(hid + faskey), and the voucher's
// second use is refused.
// Usage: node portal.mjs BASE_URL CODE FASKEY USER_DATA_DIR SCREENSHOT.png
import { createHash } from 'node:crypto';
import { check, runPage } from './chromium.mjs';

const [base, code, faskey, userDir, shot] = process.argv.slice(2);
const hid = 'a3f1c2d4e5b60789';
const gw = '127.0.0.1:9'; // nothing listens: openNDS is played by page.route
const want = createHash('sha256').update(hid + faskey).digest('hex');


// page errors fail the test; console errors are expected (offline fetches, refusals)
await runPage(userDir, { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true }, () => true, async (page) => {
  let authHit = null;
  await page.route(`http://${gw}/**`, (route) => {
    authHit = route.request().url();
    route.fulfill({ status: 200, contentType: 'text/html', body: '<p>openNDS: authenticated</p>' });
  });
  const url = `${base}portal.html?hid=${hid}&gatewayaddress=${gw}&gatewayname=UL%20Campus%20Nord` +
    `&authdir=opennds_auth&redir=${encodeURIComponent('http://example.org/')}`;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 20000 });
  check(await page.locator('html').getAttribute('lang') === 'fr', 'French by default');
  check((await page.locator('#where').textContent()).includes('UL Campus Nord'), 'gateway name shown');
  const box = await page.locator('#go').boundingBox();
  check(box && box.width <= 390 && box.width > 300, `button fits a phone (${box && box.width}px)`);

  await page.fill('#user', '23456789ABCD');
  await page.click('#go');
  await page.locator('#msg.err').waitFor({ timeout: 10000 });
  check((await page.locator('#msg').textContent()).includes('Identifiant ou mot de passe incorrect'),
    'wrong code: French reason from govnet');
  await page.click('#lang');
  check(await page.locator('html').getAttribute('lang') === 'en', 'switched to English');
  check((await page.locator('#msg').textContent()) === 'Wrong username or password.', 'reason translated');
  check((await page.locator('#go').textContent()) === 'Sign in', 'English labels');
  await page.click('#lang');

  await page.fill('#user', code.toLowerCase());
  await Promise.all([page.waitForURL(`http://${gw}/**`, { timeout: 15000 }), page.click('#go')]);
  check(authHit !== null, 'sent to openNDS');
  const u = new URL(authHit);
  check(u.pathname === '/opennds_auth/', `auth dir ${u.pathname}`);
  check(u.searchParams.get('tok') === want, 'tok = sha256(hid + faskey)');
  check(u.searchParams.get('redir') === 'http://example.org/', 'redir kept');

  await page.goto(url, { waitUntil: 'load' });
  await page.fill('#user', code);
  await page.click('#go');
  await page.locator('#msg.err').waitFor({ timeout: 10000 });
  check((await page.locator('#msg').textContent()).includes('déjà été utilisé'), 'second use refused');
  await page.screenshot({ path: shot });
});
