// The form designer in Debian's headless Chromium: a fresh data folder with one template, a form
// made by clicking in printed cells (name, two-line address, era birth date), a sex choice whose
// marks are placed by clicking on the printed 男 / 女, one clerk input; previewed with a sample
// resident through the engine, saved; then `serve` on the same folder fills it through the protocol
// (form.fill) with each value inside its box (pdftotext -bbox), and it passes `forms check`.
// The template is a shipped one copied in: template import waits for the template intake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const agentBin = process.env.KAKANAI_AGENT_BIN;
const source = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(source, '..', 'shared');
const port = 47900 + (process.pid % 200);
const PX_PER_MM = 96 / 25.4;

async function waitForPage(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('designer did not start');
}

test('a form made in the designer fills inside its boxes and passes forms check', { timeout: 180000 }, async () => {
  const data = mkdtempSync(path.join(tmpdir(), 'kakanai-designer-'));
  mkdirSync(path.join(data, 'templates'));
  copyFileSync(path.join(source, 'templates', 'juminhyo.pdf'), path.join(data, 'templates', 'juminhyo.pdf'));
  symlinkSync(path.join(source, 'fonts'), path.join(data, 'fonts'));
  const designer = spawn(agentBin, ['designer', '--data-dir', data, '--port', String(port), '--date', '2026-12-02',
    '--residents', path.join(shared, 'cases', 'residents.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  designer.stderr.on('data', (d) => { log += d; });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    await waitForPage(`http://127.0.0.1:${port}/`);
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://localhost:${port}/`);
    await page.waitForFunction(() => document.getElementById('status').textContent === '準備ができました', null, { timeout: 20000 });
    await page.selectOption('#template', 'juminhyo.pdf');
    await page.waitForFunction(() => document.getElementById('pageCanvas').dataset.rendered, null, { timeout: 20000 });
    // pdf.js drew the template: some pixels are dark.
    const ink = await page.evaluate(() => {
      const c = document.getElementById('pageCanvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 100) n++;
      return n;
    });
    assert.ok(ink > 1000, 'the template page is rendered');
    await page.fill('#formId', 'shiken');
    await page.dispatchEvent('#formId', 'change');
    await page.fill('#formTitle', '試験の申請書');
    await page.dispatchEvent('#formTitle', 'change');

    // Measured at each use: the panels beside the page change the layout as the form grows.
    const at = async (xMm, yMm) => {
      const overlay = await page.locator('#overlay').boundingBox();
      return [overlay.x + xMm * PX_PER_MM, overlay.y + yMm * PX_PER_MM];
    };
    const tool = (value) => page.check(`input[name=tool][value=${value}]`);
    const clickMm = async (x, y) => { const [px, py] = await at(x, y); await page.mouse.click(px, py); };
    const prop = (label) => page.locator('#propsBody label', { hasText: label }).locator('input, select');
    const waitBox = (name) => page.waitForFunction((n) => window.designer.definition.fields.some((f) => f.name === n && f.box), name);

    // Name: a new field, its box taken from the printed 氏名 cell.
    await tool('cell');
    await clickMm(90, 70);
    await page.waitForFunction(() => window.designer.definition.fields.length === 1);
    assert.deepEqual(await page.evaluate(() => window.designer.definition.fields[0].box), [40, 62, 110, 18], 'the name took the printed cell');
    await prop('欄の名前').fill('name');
    await prop('欄の名前').dispatchEvent('change');
    await waitBox('name');
    // Address, two lines: a field added, then its cell clicked.
    await page.click('#addField');
    await prop('欄の名前').fill('address');
    await prop('欄の名前').dispatchEvent('change');
    await prop('内容').selectOption('person.address');
    await prop('行数').fill('2');
    await prop('行数').dispatchEvent('change');
    await page.locator('#propsBody label', { hasText: '折り返し' }).locator('input').check();
    await tool('cell');
    await clickMm(100, 50);
    // Birth date, era format, in the 生年月日 row's cell.
    await page.click('#addField');
    await prop('欄の名前').fill('birthDate');
    await prop('欄の名前').dispatchEvent('change');
    await prop('内容').selectOption('person.birthDate');
    await prop('書式').selectOption('era-date');
    await clickMm(100, 88);
    // Sex: a choice, its marks placed on the printed 男 and 女.
    await page.click('#addField');
    await prop('欄の名前').fill('sex');
    await prop('欄の名前').dispatchEvent('change');
    await prop('種類').selectOption('choice');
    await prop('内容').selectOption('person.sex');
    await page.click('text=選択肢を内容から入れる');
    await clickMm(173, 71);
    await clickMm(186, 71);
    // A clerk input and its field.
    await page.click('#addInput');
    const row = page.locator('#inputs tbody tr').first();
    await row.locator('input').nth(0).fill('copies');
    await row.locator('input').nth(0).dispatchEvent('change');
    await row.locator('input').nth(1).fill('通数');
    await row.locator('input').nth(1).dispatchEvent('change');
    await row.locator('select').selectOption('number');
    await tool('draw');
    const [x0, y0] = await at(118, 98);
    const [x1, y1] = await at(139, 110);
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move(x1, y1, { steps: 4 });
    await page.mouse.up();
    await prop('欄の名前').fill('copies');
    await prop('欄の名前').dispatchEvent('change');
    await prop('内容').selectOption('values.copies');
    // Arrow keys move the selected box by 0.5 mm.
    const before = await page.evaluate(() => window.designer.definition.fields.find((f) => f.name === 'copies').box[0]);
    await page.focus('#overlay');
    await page.keyboard.press('ArrowRight');
    const after = await page.evaluate(() => window.designer.definition.fields.find((f) => f.name === 'copies').box[0]);
    assert.ok(Math.abs(after - before - 0.5) < 1e-9, `${before} → ${after}`);

    // Several selected (Shift-click), aligned on the first one's left edge, then undone.
    await tool('select');
    await clickMm(60, 70);  // the name's box
    const [sx, sy] = await at(125, 104);  // the copies box
    await page.keyboard.down('Shift');
    await page.mouse.click(sx, sy);
    await page.keyboard.up('Shift');
    assert.equal((await page.evaluate(() => window.designer.group)).length, 1);
    await page.click('#alignLeft');
    const boxes = async () => page.evaluate(() => Object.fromEntries(window.designer.definition.fields.filter((f) => f.box).map((f) => [f.name, f.box])));
    let now = await boxes();
    assert.equal(now.copies[0], now.name[0], 'aligned left');
    await page.focus('#overlay');
    await page.keyboard.press('Control+z');
    now = await boxes();
    assert.equal(now.copies[0], after, 'undone');
    await page.keyboard.press('Control+y');
    assert.equal((await boxes()).copies[0], now.name[0], 'redone');
    await page.keyboard.press('Control+z');

    const def = await page.evaluate(() => window.designer.definition);
    const byName = Object.fromEntries(def.fields.map((f) => [f.name, f]));
    assert.deepEqual(byName.name.box, [40, 62, 110, 18], JSON.stringify(def));
    assert.deepEqual(byName.address.box, [40, 42, 155, 20]);
    assert.equal(byName.address.maxLines, 2);
    assert.equal(byName.birthDate.format, 'era-date');
    assert.deepEqual(Object.keys(byName.sex.options).sort(), ['female', 'male']);

    // Preview with a sample resident, through the engine.
    await page.selectOption('#resident', 'basic');
    await page.click('#preview');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('プレビューしました'), null, { timeout: 30000 });
    assert.ok(await page.evaluate(() => document.getElementById('previewCanvas').width > 500));
    await page.click('#save');
    await page.waitForFunction(() => /保存しました|保存できません/.test(document.getElementById('status').textContent), null, { timeout: 60000 });
    const saved = await page.evaluate(() => document.getElementById('status').textContent);
    assert.match(saved, /保存しました: forms\/shiken.json/, await page.evaluate(() => document.getElementById('fieldList').textContent));
    assert.deepEqual(errors, []);

    // `serve` on the same folder fills the saved form through the protocol (form.fill with a
    // typed-in person, as for a resident without a card), from a page of the agent's own origin.
    const servePort = port + 300;
    const agent = spawn(agentBin, ['serve', '--demo', '--demo-page', '--port', String(servePort), '--data-dir', data],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let agentLog = '';
    agent.stderr.on('data', (d) => { agentLog += d; });
    let filled;
    try {
      await waitForPage(`http://127.0.0.1:${servePort}/health`);
      const counter = await browser.newPage();
      await counter.goto(`http://localhost:${servePort}/health`);
      filled = await counter.evaluate(() => new Promise((resolve) => {
        const ws = new WebSocket('ws://' + location.host + '/v1/ws');
        const send = (m) => ws.send(JSON.stringify(m));
        ws.onopen = () => send({ id: 'h', type: 'hello', protocol: 1 });
        ws.onmessage = (e) => {
          const m = JSON.parse(e.data);
          if (m.id === 'h') send({ id: 'l', type: 'forms.list' });
          else if (m.id === 'l') {
            if (!m.ok || !m.result.forms.some((f) => f.id === 'shiken')) return resolve({ listed: m });
            send({ id: 'f', type: 'form.fill', form: 'shiken', date: '2026-12-02', values: { copies: '7' },
              person: { name: '山田　太郎', address: '東京都千代田区霞が関二丁目１番２号', birthDate: '1980-04-01', sex: 'male' } });
          } else if (m.id === 'f') resolve(m);
        };
        ws.onerror = () => resolve({ error: 'websocket' });
      }));
    } finally {
      agent.kill('SIGTERM');
    }
    assert.ok(filled.ok, JSON.stringify(filled).slice(0, 500) + agentLog);
    const out = path.join(data, 'out.pdf');
    writeFileSync(out, Buffer.from(filled.result.pdfBase64, 'base64'));
    const html = execFileSync('pdftotext', ['-bbox', out, '-']).toString();
    const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
      .map((m) => ({ x0: +m[1], y0: +m[2], x1: +m[3], y1: +m[4], text: m[5] }));
    const saveddef = JSON.parse(readFileSync(path.join(data, 'forms', 'shiken.json'), 'utf8'));
    const boxOf = (n) => saveddef.fields.find((f) => f.name === n).box.map((v) => v * 72 / 25.4);
    for (const [fieldName, piece] of [['name', '山田'], ['address', '霞'], ['birthDate', '昭和'], ['copies', '７']]) {
      const w = words.find((x) => x.text.includes(piece));
      assert.ok(w, `${piece} is printed`);
      const [bx, by, bw, bh] = boxOf(fieldName);
      assert.ok(w.x0 >= bx - 1 && w.x1 <= bx + bw + 1 && w.y0 >= by - 1 && w.y1 <= by + bh + 1, `${fieldName} inside its box`);
    }
    execFileSync(agentBin, ['forms', 'check', '--data-dir', data, '--date', '2026-12-02', '--residents',
      path.join(shared, 'cases', 'residents.json')]);
  } finally {
    await browser.close();
    designer.kill('SIGTERM');
    rmSync(data, { recursive: true, force: true });
  }
  assert.ok(!/ERROR|AddressSanitizer/.test(log), log);
});
