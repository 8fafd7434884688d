// What both browser suites share: Debian's chromium, the flags that keep it on
// loopback, the accessibility rules checked, and stopping a child process.

import fs from 'node:fs';

/** The WCAG 2.2 A/AA rule sets axe checks on every page. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// /usr/bin/chromium is a wrapper script that adds Debian's default flags and
// API keys from /etc/chromium.d; the binary itself is preferred when present.
/** The chromium to drive: $CHROMIUM, else Debian's. */
export function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const p of ['/usr/lib/chromium/chromium', '/usr/bin/chromium']) {
    if (fs.existsSync(p)) return p;
  }
  throw new Error('no chromium found (apt-get install chromium, or set CHROMIUM)');
}

/** Launch flags that keep chromium quiet: no update, telemetry or sync traffic. */
export const QUIET_ARGS = [
  // `headless: true` adds --headless; Playwright gives it a fresh
  // --user-data-dir of its own.
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Launch flags for the loopback suites: quiet, and only loopback. */
export const CHROMIUM_ARGS = [
  ...QUIET_ARGS,
  // Stay on loopback: nothing else resolves, and anything that tries goes to a
  // dead proxy.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=127.0.0.1',
];

/** Stops a child with SIGTERM, SIGKILL after 5 s; resolves when it exited. */
export async function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
