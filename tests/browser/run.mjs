// Browser checks for tipline's reporter pages, against the real server.
//
//   TIPLINE_BIN=target/debug/tipline node tests/browser/run.mjs
//
// What it does:
// - starts `tipline serve` on a free loopback port with a fresh centre key and data
//   directory (both in a temporary directory, removed at the end);
// - with JavaScript OFF (the way many reporters use Tor Browser): visits the pages,
//   makes a report, reads the receipt code, checks in with it (lower-cased, no
//   dashes), tries a wrong and a malformed code; on every page: no <script>, the
//   security headers, and no request but the page itself and its own stylesheet;
// - screenshots every visited page at 360 px and 1280 px into screenshots/;
// - in a SEPARATE JavaScript-enabled context (axe-core needs JavaScript; the pages
//   have none of their own, so it checks the same pages), runs axe-core (WCAG 2.0,
//   2.1, 2.2 A and AA) on every reporter page in every language the server offers
//   (its language switch; TIPLINE_LANGS narrows it), including the receipt, the
//   code confirmation and the check-in pages; and checks that nothing scrolls
//   sideways at 320 px;
// - fills the whole questionnaire and the children's form, confirms the code by
//   typing it back, and makes a report with the keyboard only;
// - checks every page's weight: the page and its stylesheet together under 30 KB.
//
// The browser never leaves the loopback server: outside hosts resolve to nothing,
// a dead proxy catches the rest, and any request to another origin is aborted and
// counted as a failure.
//
// Environment: TIPLINE_BIN (default target/debug/tipline), TIPLINE_LANGS,
// CHROMIUM (browser executable), KEEP_TMP=1 (keep the server's directory).
// Prints one line per check and ends with "N passed, M failed"; exits 1 if M > 0.

import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { AXE_TAGS, CHROMIUM_ARGS, chromiumPath, stopChild } from './chromium.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

const BIN = path.resolve(process.env.TIPLINE_BIN || path.join(repo, 'target', 'debug', 'tipline'));
let LANGS = (process.env.TIPLINE_LANGS || '')
  .split(',')
  .map((l) => l.trim())
  .filter(Boolean);
// Every page the reporter can reach by a link.
const PAGES = [
  ['home', '/'],
  ['report', '/report'],
  ['kids', '/kids'],
  ['check', '/check'],
  ['safety', '/safety'],
  ['what-happens', '/what-happens'],
  ['your-code', '/your-code'],
];
const MAX_PAGE_BYTES = 30 * 1024;
const SHOTS = path.join(here, 'screenshots');
const WIDTHS = [360, 1280];
// Crockford base32 (no I, L, O, U), four groups of four.
const CODE_RE = /^[0-9A-HJKMNP-TV-Z]{4}([- ][0-9A-HJKMNP-TV-Z]{4}){3}$/i;

// ---------------------------------------------------------------------------
// Reporting

let passed = 0;
let failed = 0;

function check(name, ok, detail = '') {
  if (ok) {
    passed += 1;
    console.log(`ok   ${name}`);
  } else {
    failed += 1;
    console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`);
  }
  return ok;
}

// Runs one step; an exception is one failed check, and the run goes on.
async function step(name, fn) {
  try {
    return await fn();
  } catch (e) {
    check(name, false, (e && e.message ? e.message : String(e)).split('\n')[0]);
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// The server

function serverEnv() {
  // Settings from the caller's environment (TIPLINE_DATA, TIPLINE_CONFIG, ...)
  // must not change the server under test.
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('TIPLINE_') || k === 'TIPLINE_LOG') env[k] = v;
  }
  return env;
}

function lastLine(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.length ? lines[lines.length - 1] : '';
}

async function startServer(tmp) {
  const env = serverEnv();
  const key = path.join(tmp, 'centre.key');
  const out = execFileSync(BIN, ['keygen', '--out', key], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const recipient = lastLine(out);
  if (!recipient.startsWith('age1')) throw new Error(`keygen printed no age1 recipient: ${JSON.stringify(out)}`);
  fs.mkdirSync(path.join(tmp, 'keys'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'keys', 'centre.pub'), `${recipient}\n`);

  const child = spawn(
    BIN,
    ['serve', '--listen', '127.0.0.1:0', '--data', path.join(tmp, 'data'), '--keys', path.join(tmp, 'keys')],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stderr = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr.push(d);
    if (stderr.length > 200) stderr.shift();
  });
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not say "listening on" within 60 s')), 60_000);
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line.trim());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${signal || code}) before listening: ${stderr.join('').trim()}`));
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  return { child, origin, stderr };
}

// ---------------------------------------------------------------------------
// Pages

// Aborts (and records) any request that would leave the server's origin.
async function guard(context, origin, escapes) {
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
    escapes.push(url);
    return route.abort('blockedbyclient');
  });
}

// Opens a page that records its requests between navigations.
async function openPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const log = [];
  page.on('request', (r) => log.push(r));
  return { page, log };
}

// Runs `action` (a goto or a click that navigates), waits for the page to load,
// and returns the main document's final response and every request made.
async function navigate({ page, log }, action) {
  log.length = 0;
  await action();
  await page.waitForLoadState('load');
  const requests = [...log];
  const docs = requests.filter((r) => r.isNavigationRequest() && r.frame() === page.mainFrame());
  if (!docs.length) throw new Error('no document was loaded');
  const response = await docs[docs.length - 1].response();
  if (!response) throw new Error('the document has no response');
  return { response, requests };
}

async function screenshots(page, name) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 600 ? 740 : 800 });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
}

// The checks every reporter page passes with JavaScript off.
async function pageChecks(name, page, origin, { response, requests }, { noStore = false } = {}) {
  check(`${name}: status 200`, response.status() === 200, `got ${response.status()}`);

  let body = '';
  try {
    body = await response.text();
  } catch {
    body = await page.content();
  }
  const scripts = await page.locator('script').count();
  check(`${name}: no <script>`, !/<script\b/i.test(body) && scripts === 0);

  const h = response.headers();
  check(`${name}: Content-Security-Policy`, Boolean(h['content-security-policy']));
  check(`${name}: Referrer-Policy: no-referrer`, (h['referrer-policy'] || '').trim() === 'no-referrer', h['referrer-policy'] || 'missing');
  if (noStore) {
    check(`${name}: Cache-Control: no-store`, /\bno-store\b/.test(h['cache-control'] || ''), h['cache-control'] || 'missing');
  }

  const sheets = requests.filter((r) => r.resourceType() === 'stylesheet');
  let weight = Buffer.byteLength(body);
  for (const r of sheets) {
    const res = await r.response();
    if (res) weight += (await res.body()).length;
  }
  check(`${name}: page and stylesheet weigh ${weight} bytes (< ${MAX_PAGE_BYTES})`, weight < MAX_PAGE_BYTES);

  const described = requests.map((r) => `${r.method()} ${r.resourceType()} ${r.url()}`);
  const network = requests.filter((r) => !r.url().startsWith('data:'));
  const foreign = network.filter((r) => new URL(r.url()).origin !== origin);
  const docs = network.filter((r) => r.resourceType() === 'document');
  const other = network.filter((r) => r.resourceType() !== 'document' && r.resourceType() !== 'stylesheet');
  check(
    `${name}: only the page and its stylesheet were requested (${network.length})`,
    foreign.length === 0 && docs.length === 1 && other.length === 0 && network.length <= 2,
    described.join(', '),
  );
}

// ---------------------------------------------------------------------------
// JavaScript off: the reporter's way through.

async function reporterFlow(browser, origin, escapes) {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
  await guard(context, origin, escapes);
  const tab = await openPage(context);
  const { page } = tab;
  const visit = async (name, action, opts) => {
    const nav = await navigate(tab, action);
    await pageChecks(name, page, origin, nav, opts);
    await screenshots(page, name);
    return nav;
  };

  for (const [name, p] of PAGES) {
    await step(name, () => visit(name, () => page.goto(`${origin}${p}`)));
  }

  const text = `browser test report ${Date.now()} ${Math.random().toString(36).slice(2)}`;
  const code = await step('report: the whole questionnaire, by label', async () => {
    await page.goto(`${origin}/report?lang=en`);
    // Choices are reached by their visible labels, as a person (or a screen
    // reader) finds them.
    await page.getByLabel('Yes', { exact: true }).first().check();
    // The situation questions are folded (HTML details): open them as a person would.
    check('report: the situation questions start folded', !(await page.getByLabel('Education').isVisible()));
    await page.locator('details.s-situation > summary').click();
    await page.getByLabel('I see this in my work').check();
    await page.getByLabel('Education').check();
    await page.getByLabel('Forced to beg', { exact: false }).first().check();
    await page.getByLabel("Someone else keeps the person's passport or ID card").check();
    await page.getByLabel('Where does it happen?', { exact: false }).fill('Almere');
    await page.getByLabel('Yes, but without anything that shows who I am').check();
    await page.getByLabel('What happened?').fill(text);
    await visit('receipt-urgent', () => page.locator('form:has(textarea[name=message]) [type=submit]').click(), { noStore: true });
    const shown = ((await page.locator('#receipt-code').textContent()) || '').trim();
    check(`receipt: #receipt-code looks like a receipt code (${shown})`, CODE_RE.test(shown), JSON.stringify(shown));
    check('receipt: someone in danger: the call-112 box is shown', await page.locator('.urgent a[href="tel:112"]').isVisible());
    return shown;
  });

  if (code) {
    await step('receipt: type the code back (mistyped, then right)', async () => {
      const mistyped = `${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}`;
      await page.fill('input[name=typed]', mistyped);
      await visit('receipt-mistyped', () => page.locator('form:has(input[name=typed]) [type=submit]').click(), { noStore: true });
      check('receipt-mistyped: the same code is shown again', ((await page.locator('#receipt-code').textContent()) || '').trim() === code);
      check('receipt-mistyped: an error says so', await page.locator('.error').isVisible());
      await page.fill('input[name=typed]', code.toLowerCase().replace(/-/g, ' '));
      await visit('receipt-confirmed', () => page.locator('form:has(input[name=typed]) [type=submit]').click(), { noStore: true });
      check('receipt-confirmed: the code is gone from the page', (await page.locator('#receipt-code').count()) === 0);
    });
  }

  await step('kids: a report on the children\'s form', async () => {
    await visit('kids-form', () => page.goto(`${origin}/kids?lang=nl`));
    await page.check('input[name=q-role][value=victim]');
    await page.fill('textarea[name=message]', `kids ${text}`);
    await visit('kids-receipt', () => page.locator('form:has(textarea[name=message]) [type=submit]').click(), { noStore: true });
    check('kids-receipt: a receipt code', CODE_RE.test(((await page.locator('#receipt-code').textContent()) || '').trim()));
    check('kids-receipt: no call-112 box when nobody is in danger', (await page.locator('.urgent').count()) === 0);
  });

  await step('keyboard only: report with Tab, typing and Enter', async () => {
    await page.goto(`${origin}/report?lang=en`);
    await page.keyboard.press('Tab');
    check('keyboard: the first Tab reaches "skip to content"', (await page.locator('a.skip:focus').count()) === 1);
    await page.keyboard.press('Tab');
    check('keyboard: the second Tab reaches the exit button', (await page.locator('a.exit:focus').count()) === 1);
    let presses = 0;
    while ((await page.locator('textarea#message:focus').count()) === 0 && presses < 60) {
      await page.keyboard.press('Tab');
      presses += 1;
    }
    check(`keyboard: the text box is reached (${presses} more Tabs)`, presses < 60);
    await page.keyboard.type('written with the keyboard only');
    presses = 0;
    while ((await page.locator('form button[type=submit]:focus').count()) === 0 && presses < 120) {
      await page.keyboard.press('Tab');
      presses += 1;
    }
    check(`keyboard: the send button is reached (${presses} more Tabs)`, presses < 120);
    // A key press returns before the navigation starts: wait for the POST itself.
    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/report');
    await page.keyboard.press('Enter');
    await posted;
    await page.waitForLoadState('load');
    check('keyboard: Enter sends the report', CODE_RE.test(((await page.locator('#receipt-code').textContent()) || '').trim()));
  });

  const checkIn = async (name, typed) => {
    await visit('check', () => page.goto(`${origin}/check`));
    await page.fill('input[name=code]', typed);
    await visit(name, () => page.locator('form:has(input[name=code]) [type=submit]').click(), { noStore: true });
  };

  if (code) {
    await step('check: the code, lower-cased, without dashes', async () => {
      await checkIn('check-result', code.toLowerCase().replace(/[- ]/g, ''));
      const status = page.locator('#report-status');
      const visible = await status.isVisible();
      const value = visible ? ((await status.textContent()) || '').trim() : '';
      check('check-result: #report-status is shown', visible && value.length > 0, visible ? 'empty' : 'not visible');
      check('check-result: the report text is not shown back', !(await page.content()).includes(text));
    });
  } else {
    check('check: the code, lower-cased, without dashes', false, 'no receipt code to check');
  }

  await step('check: a wrong code', async () => {
    // A well-formed code that was never issued (80 random bits: never a real one).
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const wrong = Array.from({ length: 16 }, () => alphabet[Math.floor(Math.random() * 32)]).join('');
    await checkIn('check-unknown', wrong);
    check('check-unknown: no #report-status', (await page.locator('#report-status').count()) === 0);
  });

  await step('check: a malformed code', async () => {
    await navigate(tab, () => page.goto(`${origin}/check`));
    await page.fill('input[name=code]', 'not-a-code!');
    const nav = await navigate(tab, () => page.locator('form:has(input[name=code]) [type=submit]').click());
    check('check-malformed: no #report-status', (await page.locator('#report-status').count()) === 0);
    check('check-malformed: answered without a server error', nav.response.status() < 500, `got ${nav.response.status()}`);
  });

  await context.close();
}

// ---------------------------------------------------------------------------
// JavaScript on, only for axe-core.

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function axeCheck(name, page, lang) {
  const htmlLang = await page.locator('html').getAttribute('lang');
  check(`axe ${name} [${lang}]: <html lang="${lang}">`, (htmlLang || '').toLowerCase() === lang.toLowerCase(), `lang="${htmlLang}"`);
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      count: v.nodes.length,
      target: v.nodes.length ? v.nodes[0].target.join(' ') : '',
    }));
  }, AXE_TAGS);
  const ok = check(`axe ${name} [${lang}]: no WCAG A/AA violations`, violations.length === 0, `${violations.length} rule(s)`);
  if (!ok) {
    for (const v of violations) {
      console.log(`       - ${v.id} (${v.impact}, ${v.count} node(s)): ${v.help}; first: ${v.target}`);
    }
  }
}

async function accessibility(browser, origin, escapes) {
  const context = await browser.newContext({
    javaScriptEnabled: true,
    // The pages' Content-Security-Policy forbids scripts; axe is ours, not theirs.
    bypassCSP: true,
    viewport: { width: 1280, height: 800 },
  });
  await guard(context, origin, escapes);
  const tab = await openPage(context);
  const { page } = tab;
  const ok200 = (name, lang, nav) => check(`axe ${name} [${lang}]: status 200`, nav.response.status() === 200, `got ${nav.response.status()}`);

  for (const lang of LANGS) {
    const q = `?lang=${encodeURIComponent(lang)}`;
    for (const [name, p] of PAGES) {
      await step(`axe ${name} [${lang}]`, async () => {
        const nav = await navigate(tab, () => page.goto(`${origin}${p}${q}`));
        ok200(name, lang, nav);
        await screenshots(page, `${name}-${lang}`);
        await axeCheck(name, page, lang);
        await page.setViewportSize({ width: 320, height: 640 });
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        check(`${name} [${lang}]: nothing scrolls sideways at 320 px (${wide})`, wide <= 320);
        await page.setViewportSize({ width: 1280, height: 800 });
      });
    }

    const code = await step(`axe receipt [${lang}]`, async () => {
      await navigate(tab, () => page.goto(`${origin}/report${q}`));
      await page.fill('textarea[name=message]', `axe report ${lang} ${Date.now()}`);
      const nav = await navigate(tab, () => page.locator('form:has(textarea[name=message]) [type=submit]').click());
      ok200('receipt', lang, nav);
      const shown = ((await page.locator('#receipt-code').textContent()) || '').trim();
      await screenshots(page, `receipt-${lang}`);
      await axeCheck('receipt', page, lang);
      return shown;
    });
    if (code) {
      await step(`axe receipt-confirmed [${lang}]`, async () => {
        await page.fill('input[name=typed]', code);
        const nav = await navigate(tab, () => page.locator('form:has(input[name=typed]) [type=submit]').click());
        ok200('receipt-confirmed', lang, nav);
        await screenshots(page, `receipt-confirmed-${lang}`);
        await axeCheck('receipt-confirmed', page, lang);
      });
    }

    const checkIn = async (name, typed) => {
      await navigate(tab, () => page.goto(`${origin}/check${q}`));
      await page.fill('input[name=code]', typed);
      const nav = await navigate(tab, () => page.locator('form:has(input[name=code]) [type=submit]').click());
      ok200(name, lang, nav);
      await screenshots(page, `${name}-${lang}`);
      await axeCheck(name, page, lang);
    };
    if (code) {
      await step(`axe check-result [${lang}]`, async () => {
        await checkIn('check-result', code);
        check(`axe check-result [${lang}]: #report-status is shown`, await page.locator('#report-status').isVisible());
      });
    }
    await step(`axe check-unknown [${lang}]`, () => checkIn('check-unknown', '0000-0000-0000-0000'));

    // The pages behind a check-in: a follow-up, a new code, deleting the report.
    const submitIn = async (name, form) => {
      const nav = await navigate(tab, () => page.locator(`form[action="${form}"] [type=submit]`).first().click());
      ok200(name, lang, nav);
      await screenshots(page, `${name}-${lang}`);
      await axeCheck(name, page, lang);
    };
    const quietCheckIn = async (typed) => {
      await navigate(tab, () => page.goto(`${origin}/check${q}`));
      await page.fill('input[name=code]', typed);
      await navigate(tab, () => page.locator('form:has(input[name=code]) [type=submit]').click());
    };
    if (code) {
      await step(`axe followup-sent [${lang}]`, async () => {
        await quietCheckIn(code);
        await page.fill('form[action="/check/message"] textarea[name=message]', `follow-up ${lang}`);
        await submitIn('followup-sent', '/check/message');
      });
      const newCode = await step(`axe new-code [${lang}]`, async () => {
        await quietCheckIn(code);
        await submitIn('new-code', '/check/rotate');
        return ((await page.locator('#receipt-code').textContent()) || '').trim();
      });
      if (newCode) {
        await step(`axe delete [${lang}]`, async () => {
          await quietCheckIn(newCode);
          await submitIn('delete-confirm', '/check/delete');
          await submitIn('deleted', '/check/delete/confirm');
        });
      }
    }
    await step(`axe not-found [${lang}]`, async () => {
      const nav = await navigate(tab, () => page.goto(`${origin}/no-such-page${q}`));
      check(`axe not-found [${lang}]: status 404`, nav.response.status() === 404, `got ${nav.response.status()}`);
      await axeCheck('not-found', page, lang);
    });
  }
  await context.close();
}

// ---------------------------------------------------------------------------

async function main() {
  if (!fs.existsSync(BIN)) {
    check(`tipline binary at ${BIN}`, false, 'missing (cargo build, or set TIPLINE_BIN)');
    return;
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) {
    if (f.endsWith('.png')) fs.rmSync(path.join(SHOTS, f));
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tipline-browser-'));
  let server;
  let browser;
  const cleanup = async () => {
    if (browser) await browser.close().catch(() => {});
    browser = undefined;
    if (server) await stopChild(server.child);
    if (!process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
    else console.log(`(kept ${tmp})`);
  };
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      cleanup().finally(() => process.exit(130));
    });
  }

  try {
    server = await startServer(tmp);
    if (!LANGS.length) {
      // Every language the server offers, read off its language switch.
      const home = await (await fetch(`${server.origin}/`)).text();
      LANGS = [...new Set([...home.matchAll(/href="\/\?lang=([A-Za-z-]+)"/g)].map((m) => m[1]))];
      check(`the server offers several languages (${LANGS.join(', ')})`, LANGS.length >= 3);
    }
    console.log(`# server at ${server.origin}; languages: ${LANGS.join(', ')}`);
    const executablePath = chromiumPath();
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    console.log(`# browser: ${executablePath} ${browser.version()}`);

    const escapes = [];
    await reporterFlow(browser, server.origin, escapes);
    await accessibility(browser, server.origin, escapes);
    check('no request left the server\'s origin', escapes.length === 0, escapes.slice(0, 5).join(', '));
    check('the server is still running', server.child.exitCode === null && server.child.signalCode === null);
  } catch (e) {
    check('browser tests ran to the end', false, e && e.message ? e.message : String(e));
    if (server && server.stderr.length) console.log(`# server stderr (tail):\n${server.stderr.join('').split('\n').slice(-20).join('\n')}`);
  } finally {
    await cleanup();
  }
}

await main();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
