// Headless Chromium, JavaScript off, through Tor's SOCKS port: loads the onion's
// /report, fills the form, sends it, reads the receipt code and checks in with it
// on /check. Run by
// tests/tor/net.sh inside its network namespace:
//
//   ONION=http://xxxx.onion SOCKS_PORT=9250 node tests/tor/browser.mjs
//
// Only the onion origin may be asked for: every request is recorded, and one to
// any other origin fails the test (inside the namespace nothing else exists anyway).
// Prints the receipt code last; exits 1 on failure.

import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { QUIET_ARGS, chromiumPath } from '../browser/chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'browser', 'package.json'));
const { chromium } = require('playwright-core');

const ONION = process.env.ONION;
const SOCKS = process.env.SOCKS_PORT;
const CODE_RE = /^[0-9A-HJKMNP-TV-Z]{4}([- ][0-9A-HJKMNP-TV-Z]{4}){3}$/i;

const browser = await chromium.launch({
  executablePath: chromiumPath(),
  headless: true,
  args: [
    ...QUIET_ARGS,
    // Everything through Tor. Chromium hands SOCKS5 the host name (Tor resolves
    // the onion); no other name resolves locally, so nothing can go around Tor.
    `--proxy-server=socks5://127.0.0.1:${SOCKS}`,
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  ],
});

let ok = false;
try {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const origins = new Set();
  context.on('request', (r) => origins.add(new URL(r.url()).origin));
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const resp = await page.goto(`${ONION}/report`, { timeout: 90_000 });
  if (!resp || resp.status() !== 200) throw new Error(`GET /report: ${resp && resp.status()}`);
  if ((await page.locator('script').count()) !== 0) throw new Error('a <script> on /report');
  await page.fill('textarea[name=message]', 'Via Tor Browser zonder JavaScript: een melding');
  await Promise.all([
    page.waitForNavigation({ timeout: 90_000 }),
    page.locator('form:has(textarea[name=message]) [type=submit]').click(),
  ]);
  const code = ((await page.locator('#receipt-code').textContent()) || '').trim();
  if (!CODE_RE.test(code)) throw new Error(`no receipt code on the receipt page: ${JSON.stringify(code)}`);
  await page.goto(`${ONION}/check`, { timeout: 90_000 });
  await page.fill('input[name=code]', code.toLowerCase());
  await Promise.all([
    page.waitForNavigation({ timeout: 90_000 }),
    page.locator('form:has(input[name=code]) [type=submit]').click(),
  ]);
  if ((await page.locator('#report-status').count()) !== 1) throw new Error('the code was not recognised on /check');
  const others = [...origins].filter((o) => o !== ONION);
  if (others.length) throw new Error(`requests to other origins: ${others.join(', ')}`);
  console.log(`receipt ${code}`);
  ok = true;
} catch (e) {
  console.log(`browser: ${e && e.message ? e.message.split('\n')[0] : e}`);
} finally {
  await browser.close();
}
process.exit(ok ? 0 : 1);
