// Browser checks for the desk in the browser (`tipline desk serve`), against a
// real server and a real desk on loopback.
//
//   TIPLINE_BIN=target/debug/tipline node tests/browser/desk.mjs
//
// Makes three reports (DANGER, children's form, one with a PNG), pulls them,
// starts `desk serve --no-open`, and with JavaScript OFF: the inbox lists DANGER
// first; the report page shows the text and the image only after choosing to
// look; a reply and a status are sent and the reporter's /check shows both; a
// sync runs; the Figures page has an svg per chart and a working CSV link, and
// the charts per month (status, forms, age group, region, first reply) have a
// legend, a text alternative, a table and a CSV; opening a report records
// "seen"; the reminder form sets a reminder the inbox's due filter shows; a GIF
// and a WebP sent with metadata are served stripped and still decode. Every
// desk page passes axe-core (WCAG 2.x A/AA; in a separate JavaScript-enabled
// context with the session's cookie), does not scroll sideways at 1280 px and
// 1024 px, and a reply can be written with the keyboard only. Screenshots of
// every page at 1280 px go to docs/desk-*.png (viewport only, to stay small).
// The browser stays on loopback (the same flags as run.mjs).
//
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
const DOCS = path.join(repo, 'docs');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) { passed += 1; console.log(`ok   ${name}`); } else { failed += 1; console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`); }
  return ok;
}
async function step(name, fn) {
  try { return await fn(); } catch (e) { check(name, false, (e && e.message ? e.message : String(e)).split('\n')[0]); return undefined; }
}

function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TIPLINE_')) env[k] = v;
  return { ...env, ...extra };
}
const lastLine = (t) => t.split('\n').map((l) => l.trim()).filter(Boolean).pop() || '';

// Starts a child and resolves with the first stdout line matching `re`.
function startChild(args, env, re, what) {
  const child = spawn(BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => stderr.push(d));
  const found = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} printed nothing within 60 s`)), 60_000);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const m = re.exec(line.trim());
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}): ${stderr.join('')}`)); });
  });
  return { child, stderr, found };
}

// A 1x1 grey PNG (a valid file; CRCs computed).
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, c]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])),
    chunk('IDAT', Buffer.from([0x78, 0x01, 0x01, 0x02, 0x00, 0xfd, 0xff, 0, 0x80, 0x00, 0x82, 0x00, 0x81])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// A 1x1 GIF89a with a comment and an XMP application extension (metadata the
// desk must strip) besides the looping extension it keeps.
function gifWithMetadata() {
  const ext = (label, id, data) => Buffer.concat([
    Buffer.from([0x21, label]),
    id ? Buffer.concat([Buffer.from([id.length]), Buffer.from(id, 'ascii')]) : Buffer.alloc(0),
    Buffer.from([data.length]), Buffer.from(data, 'ascii'), Buffer.from([0]),
  ]);
  return Buffer.concat([
    Buffer.from('GIF89a', 'ascii'),
    Buffer.from([1, 0, 1, 0, 0x80, 0, 0, 0xff, 0xff, 0xff, 0, 0, 0]),
    ext(0xff, 'NETSCAPE2.0', '\x01\x00\x00'),
    ext(0xfe, null, 'taken by J. Jansen'),
    ext(0xff, 'XMP DataXMP', '<x:xmpmeta>GPS 52.37N</x:xmpmeta>'),
    Buffer.from([0x21, 0xf9, 4, 1, 0, 0, 0, 0]),
    Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3b]),
  ]);
}

// A 1x1 lossless WebP in the extended format with EXIF and XMP chunks.
function webpWithMetadata() {
  const chunk = (id, body) => {
    const len = Buffer.alloc(4); len.writeUInt32LE(body.length);
    return Buffer.concat([Buffer.from(id, 'ascii'), len, body, body.length % 2 ? Buffer.from([0]) : Buffer.alloc(0)]);
  };
  const body = Buffer.concat([
    chunk('VP8X', Buffer.from([0x1c, 0, 0, 0, 0, 0, 0, 0, 0, 0])),
    chunk('VP8L', Buffer.from([0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07])),
    chunk('EXIF', Buffer.from('Exif\0\0GPS 52.37N 4.89E', 'ascii')),
    chunk('XMP ', Buffer.from('<x:xmpmeta>J. Jansen</x:xmpmeta>', 'ascii')),
  ]);
  const size = Buffer.alloc(4); size.writeUInt32LE(body.length + 4);
  return Buffer.concat([Buffer.from('RIFF', 'ascii'), size, Buffer.from('WEBP', 'ascii'), body]);
}

async function report(origin, fields, file) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of [file].flat().filter(Boolean)) form.append('attachment', new Blob([f.bytes], { type: f.type }), f.name);
  const res = await fetch(`${origin}/report`, { method: 'POST', body: form });
  const html = await res.text();
  const m = /id="receipt-code"[^>]*>([^<]+)</.exec(html);
  if (res.status !== 200 || !m) throw new Error(`report refused (${res.status})`);
  return m[1].trim();
}

async function noSidewaysScroll(page, name) {
  for (const width of [1280, 1024]) {
    await page.setViewportSize({ width, height: 800 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    check(`${name}: no sideways scrolling at ${width} px`, !wide);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function axeCheck(page, name) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.help}; ${v.nodes[0] ? v.nodes[0].target.join(' ') : ''}`);
  }, AXE_TAGS);
  if (!check(`axe ${name}: no WCAG A/AA violations`, violations.length === 0, `${violations.length} rule(s)`)) {
    for (const v of violations) console.log(`       - ${v}`);
  }
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tipline-desk-browser-'));
  let server; let desk; let browser;
  try {
    const env = cleanEnv({ TIPLINE_KDF_MEMORY_KIB: '1024', TIPLINE_KDF_ITERATIONS: '1' });
    const key = path.join(tmp, 'centre.key');
    const recipient = lastLine(execFileSync(BIN, ['keygen', '--out', key], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    fs.mkdirSync(path.join(tmp, 'keys'));
    fs.writeFileSync(path.join(tmp, 'keys', 'centre.pub'), `${recipient}\n`);
    const data = path.join(tmp, 'data');
    const token = lastLine(execFileSync(BIN, ['staff', 'add', 'tester', '--data', data], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    server = startChild(['serve', '--listen', '127.0.0.1:0', '--data', data, '--keys', path.join(tmp, 'keys')], env, /^listening on (http:\/\/127\.0\.0\.1:\d+)/, 'the server');
    const origin = await server.found;

    await report(origin, { lang: 'nl', message: 'Gewone melding met een foto' }, { bytes: png(), type: 'image/png', name: 'foto.png' });
    await report(origin, { lang: 'nl', variant: 'kids', message: 'Kindermelding' });
    const dangerCode = await report(origin, { lang: 'nl', 'q-danger': 'yes', 'q-forms': 'labour', 'q-minor': 'yes', 'q-where': 'Rotterdam', message: 'Nu in gevaar' },
      [{ bytes: gifWithMetadata(), type: 'image/gif', name: 'beeld.gif' }, { bytes: webpWithMetadata(), type: 'image/webp', name: 'beeld.webp' }]);
    const mirror = path.join(tmp, 'mirror');
    const deskEnv = cleanEnv({ TIPLINE_TOKEN: token, TIPLINE_IDENTITY: key });
    execFileSync(BIN, ['desk', 'pull', '--server', origin, '--mirror', mirror, '--quiet'], { env: deskEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const signing = path.join(tmp, 'tester.signing');
    const rosterLine = lastLine(execFileSync(BIN, ['desk', 'keygen-signing', '--name', 'tester', '--out', signing], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    const team = path.join(tmp, 'team.toml');
    fs.writeFileSync(team, `${rosterLine}\n`);
    desk = startChild(['desk', 'serve', '--no-open', '--listen', '127.0.0.1:0', '--mirror', mirror, '--server', origin, '--lang', 'nl',
      '--as', 'tester', '--signing-key', signing, '--team', team],
      deskEnv, /^(http:\/\/127\.0\.0\.1:\d+\/\?key=[0-9a-f]+)$/, 'desk serve');
    const url = await desk.found;
    const base = url.split('/?')[0];
    check('desk serve prints its URL with a key last', /\?key=[0-9a-f]{64}$/.test(url));

    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
    const escapes = [];
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(`${base}/`) || u.startsWith('data:')) return route.continue();
      escapes.push(u);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    fs.mkdirSync(DOCS, { recursive: true });
    const shot = (name) => page.screenshot({ path: path.join(DOCS, `desk-${name}.png`) });

    // Whether `selector` appears (after the navigation a click started).
    const shows = (p, selector) => p.locator(selector).first().waitFor({ timeout: 30_000 }).then(() => true, () => false);

    await step('inbox', async () => {
      await page.goto(url);
      check('the key leads to the inbox', new URL(page.url()).pathname === '/' && !page.url().includes('key='));
      const rows = page.locator('table#inbox tr[data-report]');
      check('inbox: three reports', (await rows.count()) === 3);
      check('inbox: DANGER first', (await rows.nth(0).locator('.badge.danger').count()) === 1);
      check('inbox: the children\'s report second', (await rows.nth(1).locator('.badge.kids').count()) === 1);
      await shot('inbox');
      await noSidewaysScroll(page, 'inbox');
    });

    const dangerId = await page.locator('table#inbox tr[data-report]').nth(0).getAttribute('data-report');
    const photoId = await page.locator('table#inbox tr[data-report]').nth(2).getAttribute('data-report');

    await step('report with an image', async () => {
      await page.locator(`tr[data-report="${photoId}"] a`).click();
      await page.waitForLoadState('load');
      check('report: the text', (await page.locator('#report-text').innerText()).includes('Gewone melding met een foto'));
      const img = page.locator('#attachments img');
      check('report: the image is blurred until chosen', (await img.getAttribute('class')) === 'blurred');
      await page.locator('#attachments a.show-image').first().click();
      await page.waitForLoadState('load');
      check('report: the image is shown after choosing', (await page.locator('#attachments img').getAttribute('class')) === 'shown');
      check('report: the image loaded', await page.locator('#attachments img').evaluate((i) => i.complete && i.naturalWidth === 1).catch(() => true));
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot('report');
      await noSidewaysScroll(page, 'report');
    });

    await step('reply and status', async () => {
      await page.goto(`${base}/reports/${dangerId}`);
      await page.locator('#reply-form textarea').fill('Dank je. Bel 112 als het nu niet veilig is.');
      await page.locator('#reply-form button').click();
      await page.waitForLoadState('load');
      check('reply: banner says sent', (await shows(page, 'div.banner[role="status"][data-done="reply-sent"]')));
      await page.locator('#status-form select').selectOption('forwarded_care');
      await page.locator('#status-form button').click();
      await page.waitForLoadState('load');
      check('status: banner says set', (await shows(page, 'div.banner[role="status"][data-done="status-sent"]')));
      const form = new URLSearchParams({ code: dangerCode, lang: 'en' });
      const checkPage = await (await fetch(`${origin}/check`, { method: 'POST', body: form })).text();
      check('/check shows the reply', checkPage.includes('Bel 112 als het nu niet veilig is.'));
      check('/check shows the status text', checkPage.includes('We are working on your report.'));
    });

    await step('keyboard only: a reply', async () => {
      await page.goto(`${base}/reports/${photoId}`);
      let presses = 0;
      while (presses < 80 && !(await page.locator('#reply-text:focus').count())) { await page.keyboard.press('Tab'); presses += 1; }
      check(`keyboard: the reply box is reached (${presses} Tabs)`, presses < 80);
      await page.keyboard.type('Met het toetsenbord geschreven.');
      presses = 0;
      while (presses < 20 && !(await page.locator('#reply-form button:focus').count())) { await page.keyboard.press('Tab'); presses += 1; }
      await page.keyboard.press('Enter');
      await page.waitForLoadState('load');
      check('keyboard: Enter sends the reply', (await shows(page, 'div.banner[role="status"][data-done^="reply-"]')));
    });

    await step('case file: note, tag, assignment', async () => {
      await page.goto(`${base}/reports/${dangerId}`);
      await page.locator('#note-form textarea').fill('Intern: MDT-overleg dinsdag.');
      await page.locator('#note-form button').click();
      await page.waitForLoadState('load');
      check('note: banner says recorded', (await shows(page, 'div.banner[role="status"][data-done^="case-"]')));
      await page.locator('#tag-form input[name="tag"]').fill('loverboy');
      await page.locator('#tag-form button').click();
      await page.waitForLoadState('load');
      await page.locator('#assign-form select').selectOption('tester');
      await page.locator('#assign-form button').click();
      await page.waitForLoadState('load');
      const internal = await page.locator('ol.timeline li.internal').allInnerTexts();
      check(`case file: note, tag, assignment and "seen" in the timeline (${internal.length} internal events), all by tester`, internal.length >= 4 && internal.every((t) => t.includes('tester')));
      check('case file: the note is shown', internal.join(' ').includes('MDT-overleg dinsdag'));
      check('case file: seen by tester', (await page.locator('#seen-by').innerText()).includes('tester'));
      await page.goto(`${base}/`);
      const row = await page.locator(`tr[data-report="${dangerId}"]`).innerText();
      check('inbox: assignee and tags columns', row.includes('tester') && row.includes('loverboy'));
    });

    await step('reminder', async () => {
      await page.goto(`${base}/reports/${dangerId}`);
      await page.locator('#remind-form input[type="date"]').fill('2020-01-02');
      await page.locator('#remind-form input[name="note"]').fill('Terugbellen');
      await page.locator('#remind-form button').click();
      await page.waitForLoadState('load');
      check('reminder: banner says recorded', (await shows(page, 'div.banner[role="status"][data-done^="case-"]')));
      const shown = await page.locator('#reminder').innerText();
      check('reminder: shown in the case panel', shown.includes('2020-01-02') && shown.includes('Terugbellen'));
      await page.goto(`${base}/`);
      await page.locator('#due-filter').check();
      await page.locator('#filter-form button[type="submit"]').click();
      await page.waitForLoadState('load');
      const due = await page.locator('table#inbox tr[data-report]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-report')));
      check('reminder: the inbox\'s due filter shows it, and only it', due.length === 1 && due[0] === dangerId);
    });

    await step('GIF and WebP stripped', async () => {
      await page.goto(`${base}/reports/${dangerId}`);
      const srcs = await page.locator('#attachments img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
      check('stripped: the GIF and the WebP are shown as images (blurred)', srcs.length === 2);
      for (const src of srcs) {
        const res = await context.request.get(`${base}${src}`);
        const bytes = Buffer.from(await res.body());
        const type = res.headers()['content-type'];
        check(`stripped: ${type} has no comment, XMP or EXIF left`, res.status() === 200 && !bytes.includes('Jansen') && !bytes.includes('GPS') && !bytes.includes('XMP'));
      }
      const jsContext = await browser.newContext({ javaScriptEnabled: true, viewport: { width: 1280, height: 800 } });
      await jsContext.addCookies(await context.cookies());
      const p = await jsContext.newPage();
      for (const src of srcs) {
        await p.goto(`${base}${src}`);
        const width = await p.evaluate(() => (document.images[0] ? document.images[0].naturalWidth : 0));
        check(`stripped: ${src.split('/').pop().slice(0, 8)} still decodes in Chromium`, width === 1);
      }
      await jsContext.close();
    });

    await step('keyboard only: a note', async () => {
      await page.goto(`${base}/reports/${photoId}`);
      let presses = 0;
      while (presses < 120 && !(await page.locator('#note-text:focus').count())) { await page.keyboard.press('Tab'); presses += 1; }
      check(`keyboard: the note box is reached (${presses} Tabs)`, presses < 120);
      await page.keyboard.type('Met het toetsenbord genoteerd.');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForLoadState('load');
      check('keyboard: Enter records the note', (await shows(page, 'div.banner[role="status"][data-done^="case-"]')));
    });

    await step('print', async () => {
      await page.goto(`${base}/reports/${dangerId}`);
      await page.locator('a#print-link').click();
      await page.waitForLoadState('load');
      check('print: the text', (await page.locator('#report-text').innerText()).includes('Nu in gevaar'));
      check('print: the warning on screen', (await page.locator('#print-warning strong').innerText()).trim().length > 0);
    });

    await step('intake', async () => {
      await page.goto(`${base}/intake?lang=en`);
      await shot('intake');
      await noSidewaysScroll(page, 'intake');
      await page.locator('#intake-form input[name="q-danger"][value="no"]').check();
      await page.locator('#intake-message').fill('Beller zag kinderen werken in een kas');
      await page.locator('#intake-by').fill('Tester');
      await page.locator('#intake-form button[type="submit"]').click();
      await page.waitForLoadState('load');
      const code = (await page.locator('#receipt-code').innerText()).trim();
      const form = new URLSearchParams({ code, lang: 'en' });
      const checkPage = await (await fetch(`${origin}/check`, { method: 'POST', body: form })).text();
      check('intake: the code works on /check', code.length > 0 && checkPage.includes('report-status'));
    });

    await step('sync', async () => {
      await report(origin, { lang: 'nl', message: 'Na het begin binnengekomen' });
      await page.goto(`${base}/`);
      await page.locator('#sync-form button').click();
      await page.waitForLoadState('load');
      check('sync: banner', (await shows(page, 'div.banner[role="status"][data-done="synced"]')));
      check('sync: the new reports are listed', (await page.locator('table#inbox tr[data-report]').count()) === 5);
    });

    await step('figures', async () => {
      await page.goto(`${base}/figures`);
      const figures = await page.locator('figure').count();
      check('figures: a chart per figure, svg then figcaption', figures >= 3 && (await page.locator('figure > svg + figcaption').count()) === figures);
      check('figures: every chart has a text alternative', (await page.locator('figure > svg[role="img"][aria-label]').count()) === figures);
      const href = await page.locator('a[href$=".csv"]').first().getAttribute('href');
      const csv = await context.request.get(`${base}${href}`);
      check('figures: the CSV link works', csv.status() === 200 && (await csv.text()).startsWith('value,count'));
      const monthly = page.locator('section.monthly');
      const slugs = await monthly.locator('figcaption a[href$=".csv"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      check('figures per month: status, forms, age group, region and first reply',
        ['status', 'q-forms', 'q-minor', 'q-where', 'first-reply'].every((s) => slugs.includes(`/figures/per-month/${s}.csv`)));
      check('figures per month: each a figure with svg then figcaption, and a table',
        (await monthly.locator('figure > svg[role="img"][aria-label] + figcaption').count()) === slugs.length
        && (await monthly.locator('table').count()) === slugs.length);
      const forms = await context.request.get(`${base}/figures/per-month/q-forms.csv`);
      const formsCsv = await forms.text();
      check('figures per month: the forms CSV has months as rows and values as columns', forms.status() === 200 && formsCsv.startsWith('month,') && formsCsv.includes('"labour"'));
      const legend = await monthly.first().locator('svg text').evaluateAll((ts) => ts.map((t) => t.textContent));
      const heads = (await monthly.first().locator('thead th').allInnerTexts()).slice(1).map((h) => h.trim().slice(0, 10));
      check('figures per month: the legend names the values as the table does', heads.length > 0 && heads.every((h) => legend.some((t) => t.includes(h))));
      await shot('figures');
      await monthly.first().evaluate((el) => el.scrollIntoView());
      await page.screenshot({ path: path.join(DOCS, 'desk-figures-month.png') });
      await noSidewaysScroll(page, 'figures');
    });

    for (const name of ['outbox', 'help']) {
      await step(name, async () => {
        await page.goto(`${base}/${name}`);
        check(`${name}: status 200`, (await page.title()).length > 0);
        await shot(name);
        await noSidewaysScroll(page, name);
      });
    }

    await step('language switch without JavaScript', async () => {
      await page.goto(`${base}/reports/${photoId}`);
      const before = await page.locator('html').getAttribute('lang');
      await page.locator('#lang-form button').first().click();
      await page.waitForLoadState('load');
      const after = await page.locator('html').getAttribute('lang');
      check(`language: the switch turns the page (${before} -> ${after})`, before !== after && new URL(page.url()).pathname === `/reports/${photoId}`);
      check('language: the same hooks in the other language', (await page.locator('#reply-form textarea').count()) === 1 && (await page.locator('#status-form select').count()) === 1);
      await page.locator('#lang-form button').first().click();
      await page.waitForLoadState('load');
      check('language: and back', (await page.locator('html').getAttribute('lang')) === before);
    });

    await step('axe', async () => {
      const axeContext = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true, viewport: { width: 1280, height: 800 } });
      await axeContext.addCookies(await context.cookies());
      const p = await axeContext.newPage();
      for (const [name, where] of [['inbox', '/'], ['report', `/reports/${photoId}?show=`], ['danger report', `/reports/${dangerId}`], ['figures', '/figures'], ['outbox', '/outbox'], ['help', '/help'], ['print', `/reports/${dangerId}/print`], ['intake', '/intake']]) {
        await p.goto(`${base}${where}`);
        await axeCheck(p, name);
      }
      // The other staff language, and an intake in a right-to-left language.
      await p.goto(`${base}/`);
      await p.locator('#lang-form button').first().click();
      await p.waitForLoadState('load');
      for (const [name, where] of [['inbox (other language)', '/'], ['danger report (other language)', `/reports/${dangerId}`], ['intake in Arabic', '/intake?lang=ar']]) {
        await p.goto(`${base}${where}`);
        await axeCheck(p, name);
      }
      await p.locator('#lang-form button').first().click();
      await p.waitForLoadState('load');
      await axeContext.close();
    });
    check('no request left the desk\'s origin', escapes.length === 0, escapes.slice(0, 3).join(', '));
  } catch (e) {
    check('desk browser tests ran to the end', false, e && e.message ? e.message : String(e));
    if (desk) console.log(`# desk stderr: ${desk.stderr.join('').slice(-2000)}`);
  } finally {
    if (browser) await browser.close();
    if (desk) await stopChild(desk.child);
    if (server) await stopChild(server.child);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
