// The demo counter page in real headless Chromium (Debian's, driven by playwright-core): a clerk
// and a resident go through reading the card, filling two forms and previewing them. The page is
// served by the agent itself (an allowed origin); a screenshot is kept as a test artifact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const agentBin = process.env.KAKANAI_AGENT_BIN;
const artifacts = process.env.KAKANAI_ARTIFACTS ?? path.join(process.cwd(), 'artifacts');
const port = 48700 + (process.pid % 200);

async function waitForHealth(url) {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('agent did not start');
}

test('a clerk reads the card, fills two forms and previews them', { timeout: 120000 }, async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'kakanai-e2e-'));
  const logPath = path.join(work, 'agent.log');
  const agent = spawn(agentBin, ['serve', '--demo', '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  agent.stderr.on('data', (d) => { log += d; });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  try {
    await waitForHealth(`http://127.0.0.1:${port}/health`);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const consoleErrors = [];
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(`http://localhost:${port}/`);
    await page.waitForSelector('#connection.on');
    await page.waitForFunction(() => document.querySelector('#tries').textContent.includes('3回'));

    // A wrong PIN first: the resident sees the tries left.
    for (const d of '9999') await page.click(`#pinpad button[data-digit="${d}"]`);
    await page.click('#pin-ok');
    await page.waitForFunction(() => document.querySelector('#pin-message').textContent.includes('残り2回'));

    for (const d of '1234') await page.click(`#pinpad button[data-digit="${d}"]`);
    await page.click('#pin-ok');
    await page.waitForFunction(() => document.querySelector('[data-field="name"]').textContent === '見本　花子');
    assert.equal(await page.textContent('[data-field="birthDate"]'), '1985-06-15');
    assert.match(await page.textContent('#authentic'), /真正/);

    // Two forms: 住民票 with clerk inputs, then 印鑑登録.
    await page.selectOption('#form-select', 'juminhyo');
    await page.fill('#inputs input[name="copies"]', '2');
    await page.selectOption('#inputs select[name="purpose"]', '年金');
    await page.click('#fill');
    await page.waitForFunction(() => document.querySelector('#preview').src.startsWith('blob:'));
    assert.equal(await page.isEnabled('#print'), true);

    await page.selectOption('#form-select', 'inkan');
    await page.click('#fill');
    await page.waitForFunction(() => document.querySelector('#fill-message').textContent.includes('idDocument'));
    await page.selectOption('#inputs select[name="idDocument"]', 'マイナンバーカード');
    const before = await page.getAttribute('#preview', 'src');
    await page.click('#fill');
    await page.waitForFunction((b) => document.querySelector('#preview').src !== b, before);

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'counter-page.png'), fullPage: true });

    await page.click('#clear-session');
    await page.waitForFunction(() => document.querySelector('[data-field="name"]').textContent === '—');
    assert.deepEqual(consoleErrors, []);
  } finally {
    await browser.close();
    agent.kill('SIGTERM');
    await new Promise((r) => agent.on('exit', r));
    rmSync(work, { recursive: true, force: true });
  }
  // The agent's log has requests, not the resident.
  for (const secret of ['見本', '花子', '霞が関', '1985-06-15', '19850615', '1234', '9999']) {
    assert.ok(!log.includes(secret), `log contains ${secret}`);
  }
  assert.match(log, /type=form\.fill/);
});
