// The real stack the counter page's end-to-end tests stand on, inside the test's own namespaces
// (tests/integration/isolated.sh): pcscd with the vpcd reader and a resident's virtual card, a
// private D-Bus + avahi for ippeveprinter, the printer, the agent serving the demo page, Chromium.
import { spawn, execSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const agentBin = process.env.KAKANAI_AGENT_BIN;
const cardBin = process.env.KAKANAI_VIRTUAL_CARD_BIN;

// Until `url` answers 200 (the agent's /health, the designer's page).
export async function waitForHealth(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing serves ${url}`);
}

// pcscd with one vpcd reader and the virtual card of `textAssist` (../shared/CARD.md's profile).
export function startCard(work, textAssist, procs) {
  const conf = path.join(work, 'reader.conf.d');
  mkdirSync(conf);
  writeFileSync(path.join(conf, 'vpcd'), 'FRIENDLYNAME "Kakanai E2E vpcd"\nDEVICENAME /dev/null:35963\n' +
    'LIBPATH /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID 35963\n');
  procs.push(spawn('pcscd', ['--foreground', '-c', conf], { stdio: 'ignore' }));
  writeFileSync(path.join(work, 'profile.json'), JSON.stringify({ textAssist }));
  procs.push(spawn(cardBin, ['--profile', path.join(work, 'profile.json'), '--vpcd-port', '35963'], { stdio: 'ignore' }));
}

// ippeveprinter on `port`, spooling what it receives; returns the spool folder and its URI.
export function startPrinter(work, port, procs) {
  execSync('mkdir -p /run/dbus /run/avahi-daemon && mount -t tmpfs tmpfs /run/dbus && mount -t tmpfs tmpfs /run/avahi-daemon && ' +
           'dbus-daemon --system --fork --nopidfile && avahi-daemon --daemonize --no-drop-root --no-chroot --no-rlimits', { stdio: 'ignore' });
  const spool = path.join(work, 'spool');
  mkdirSync(spool);
  procs.push(spawn('ippeveprinter', ['-n', 'localhost', '-p', String(port), '-d', spool, '-k', '-f', 'application/pdf', 'KakanaiE2E'],
    { stdio: 'ignore' }));
  return { spool, printer: `ipp://localhost:${port}/ipp/print` };
}

export function spooledPdfs(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath ?? e.path ?? dir, e.name);
    if (e.isFile() && readFileSync(p).subarray(0, 5).toString() === '%PDF-') out.push(p);
  }
  return out.sort();
}

// Waits until the spool holds `count` PDFs (the printer writes each job once it is complete).
export async function waitForSpooled(spool, count) {
  let printed = [];
  for (let i = 0; i < 600 && printed.length < count; i++) {  // up to 60 s: a busy printer is retried
    printed = spooledPdfs(spool);
    if (printed.length < count) await new Promise((r) => setTimeout(r, 100));
  }
  return printed;
}

// `serve --demo-page` with `config`; its stderr is collected in `agent.log`.
export function startAgent(work, port, config) {
  writeFileSync(path.join(work, 'agent.json'), JSON.stringify(config));
  const agent = spawn(agentBin, ['serve', '--demo-page', '--port', String(port), '--config', path.join(work, 'agent.json')],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  agent.log = '';
  agent.stderr.on('data', (d) => { agent.log += d; });
  return agent;
}

export async function stopAgent(agent) {
  if (agent.exitCode !== null) return;
  agent.kill('SIGTERM');
  await new Promise((r) => agent.on('exit', r));
}

// Everything a test started, stopped, and its folder removed.
export async function tearDown({ browser, agent, procs = [], work }) {
  await browser?.close();
  if (agent) await stopAgent(agent);
  for (const p of procs) p.kill('SIGTERM');
  if (work) rmSync(work, { recursive: true, force: true });
}

export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
}

// The demo page served by the agent on `port`, connected; `page.errors` collects its script errors.
export async function openCounterPage(browser, port, height = 1600) {
  await waitForHealth(`http://127.0.0.1:${port}/health`);
  const page = await browser.newPage({ viewport: { width: 1280, height } });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(`http://localhost:${port}/`);
  await page.waitForSelector('#connection.on');
  return page;
}

// How many dark pixels each preview canvas holds: pdf.js drew the page, ink and all.
export function inkedCanvases(page) {
  return page.$$eval('#preview-pages canvas', (cs) => cs.map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 128) ++dark;
    return dark;
  }));
}

// The PIN on the page's pad, then the resident's name once the card is read.
export async function readWithPin(page, pin, name) {
  for (const d of pin) await page.click(`#pinpad button[data-digit="${d}"]`);
  await page.click('#pin-ok');
  await page.waitForFunction((n) => document.querySelector('[data-field="name"]').textContent === n, name, { timeout: 20000 });
}

// The number of pages of a PDF file, as poppler counts them.
export function pdfPages(file) {
  return Number(/Pages:\s+(\d+)/.exec(execSync(`pdfinfo ${file}`).toString())[1]);
}
