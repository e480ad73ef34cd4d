// The agent's static file server as Chromium sees it: a page served by the agent loads a module
// script (.mjs, as pdf.js ships its library and worker), a stylesheet and an SVG image, which
// Chromium only accepts with their right types, and opens the WebSocket from the agent's own
// origin although --allow-origin names another one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { waitForHealth } from './counter_stack.mjs';

const agentBin = process.env.KAKANAI_AGENT_BIN;
const source = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const port = 48500 + (process.pid % 200);

test('Chromium loads a module script, a stylesheet and an SVG from the agent, and connects from its origin', { timeout: 60000 }, async () => {
  // A data directory like the source tree whose web/ is this test's page.
  const data = mkdtempSync(path.join(tmpdir(), 'kakanai-assets-'));
  for (const name of readdirSync(source)) symlinkSync(path.join(source, name), path.join(data, name));
  const web = path.join(data, 'web');
  mkdirSync(web);
  writeFileSync(path.join(web, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="style.css">' +
    '<img id="logo" src="logo.svg"><script type="module" src="probe.mjs"></script><body></body>');
  writeFileSync(path.join(web, 'style.css'), 'body { color: rgb(1, 2, 3); }');
  writeFileSync(path.join(web, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="7" height="5"></svg>');
  writeFileSync(path.join(web, 'probe.mjs'), `
    document.body.dataset.module = 'loaded';
    const ws = new WebSocket('ws://' + location.host + '/v1/ws');
    ws.onmessage = (e) => { document.body.dataset.hello = JSON.parse(e.data).ok ? 'ok' : 'refused'; };
    ws.onopen = () => ws.send(JSON.stringify({ id: 'h', type: 'hello', protocol: 1 }));
    ws.onerror = () => { document.body.dataset.hello = 'refused'; };`);
  const agent = spawn(agentBin, ['serve', '--demo-page', '--port', String(port), '--data-dir', data,
    '--allow-origin', 'https://counter.example.lg.jp'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  agent.stderr.on('data', (d) => { log += d; });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    await waitForHealth(`http://127.0.0.1:${port}/health`);
    const page = await browser.newPage();
    await page.goto(`http://localhost:${port}/`);
    await page.waitForFunction(() => document.body.dataset.module === 'loaded', null, { timeout: 10000 });
    await page.waitForFunction(() => document.body.dataset.hello, null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => document.body.dataset.hello), 'ok', log);
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).color), 'rgb(1, 2, 3)');
    await page.waitForFunction(() => document.getElementById('logo').complete);
    assert.equal(await page.evaluate(() => document.getElementById('logo').naturalWidth), 7);
  } finally {
    await browser.close();
    agent.kill('SIGTERM');
    rmSync(data, { recursive: true, force: true });
  }
});
