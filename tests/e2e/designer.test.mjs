// The form designer in Debian's headless Chromium: a fresh data folder with one template, a form
// made by clicking in printed cells (name, two-line address, era birth date), a sex choice whose
// marks are placed by clicking on the printed 男 / 女, one clerk input; previewed with a sample
// resident through the engine, saved; then `serve` on the same folder fills it through the protocol
// (form.fill) with each value inside its box (pdftotext -bbox), and it passes `forms check`.
// A second test imports a committed third-party Japanese form (厚生労働省「主治医意見書」, PDL1.0;
// tests/data/templates-thirdparty/README.md) through the designer's import and makes a form on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, waitForHealth } from './counter_stack.mjs';

const agentBin = process.env.KAKANAI_AGENT_BIN;
const source = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(source, '..', 'shared');
const port = 47900 + (process.pid % 200);
const PX_PER_MM = 96 / 25.4;

function startDesigner(data) {
  const designer = spawn(agentBin, ['designer', '--data-dir', data, '--port', String(port), '--date', '2026-12-02',
    '--residents', path.join(shared, 'cases', 'residents.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
  designer.log = '';
  designer.stderr.on('data', (d) => { designer.log += d; });
  return designer;
}

function freshDataFolder() {
  const data = mkdtempSync(path.join(tmpdir(), 'kakanai-designer-'));
  mkdirSync(path.join(data, 'templates'));
  symlinkSync(path.join(source, 'fonts'), path.join(data, 'fonts'));
  return data;
}

// The designer's page, and the gestures an administrator makes on it, in millimetres of the page.
async function openDesigner(browser) {
  const page = await browser.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(`http://localhost:${port}/`);
  await page.waitForFunction(() => document.getElementById('status').textContent === '準備ができました', null, { timeout: 20000 });
  // Measured at each use: the panels beside the page change the layout as the form grows.
  const at = async (xMm, yMm) => {
    const overlay = await page.locator('#overlay').boundingBox();
    return [overlay.x + xMm * PX_PER_MM, overlay.y + yMm * PX_PER_MM];
  };
  const g = {
    at,
    tool: (value) => page.check(`input[name=tool][value=${value}]`),
    clickMm: async (x, y) => { const [px, py] = await at(x, y); await page.mouse.click(px, py); },
    prop: (label) => page.locator('#propsBody label', { hasText: label }).locator('input, select'),
    drag: async (from, to) => {
      const [x0, y0] = await at(...from);
      const [x1, y1] = await at(...to);
      await page.mouse.move(x0, y0);
      await page.mouse.down();
      await page.mouse.move(x1, y1, { steps: 4 });
      await page.mouse.up();
    },
    rename: async (name) => {
      await g.prop('欄の名前').fill(name);
      await g.prop('欄の名前').dispatchEvent('change');
    },
    waitRendered: () => page.waitForFunction(() => document.getElementById('pageCanvas').dataset.rendered, null, { timeout: 20000 }),
    clerkInput: async (name, label, type) => {
      await page.click('#addInput');
      const row = page.locator('#inputs tbody tr').last();
      await row.locator('input').nth(0).fill(name);
      await row.locator('input').nth(0).dispatchEvent('change');
      await row.locator('input').nth(1).fill(label);
      await row.locator('input').nth(1).dispatchEvent('change');
      await row.locator('select').selectOption(type);
    },
    previewAndSave: async (formId) => {
      await page.selectOption('#resident', 'basic');
      await page.click('#preview');
      await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('プレビューしました'), null, { timeout: 30000 });
      assert.ok(await page.evaluate(() => document.getElementById('previewCanvas').width > 500));
      await page.click('#save');
      await page.waitForFunction(() => /保存しました|保存できません/.test(document.getElementById('status').textContent), null, { timeout: 60000 });
      const saved = await page.evaluate(() => document.getElementById('status').textContent);
      assert.match(saved, new RegExp(`保存しました: forms/${formId}.json`), await page.evaluate(() => document.getElementById('fieldList').textContent));
    },
  };
  return { page, ...g };
}

const PERSON = { name: '山田　太郎', address: '東京都千代田区霞が関二丁目１番２号', birthDate: '1980-04-01', sex: 'male' };

// `serve` on the data folder fills the saved form through the protocol (form.fill with a typed-in
// person, as for a resident without a card), from a page of the agent's own origin.
async function fillThroughServe(browser, data, form, values) {
  const servePort = port + 300;
  const agent = spawn(agentBin, ['serve', '--demo', '--demo-page', '--port', String(servePort), '--data-dir', data],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let agentLog = '';
  agent.stderr.on('data', (d) => { agentLog += d; });
  let filled;
  try {
    await waitForHealth(`http://127.0.0.1:${servePort}/health`);
    const counter = await browser.newPage();
    await counter.goto(`http://localhost:${servePort}/health`);
    filled = await counter.evaluate(([formId, vals, person]) => new Promise((resolve) => {
      const ws = new WebSocket('ws://' + location.host + '/v1/ws');
      const send = (m) => ws.send(JSON.stringify(m));
      ws.onopen = () => send({ id: 'h', type: 'hello', protocol: 1 });
      ws.onmessage = (e) => {
        const m = JSON.parse(e.data);
        if (m.id === 'h') send({ id: 'l', type: 'forms.list' });
        else if (m.id === 'l') {
          if (!m.ok || !m.result.forms.some((f) => f.id === formId)) return resolve({ listed: m });
          send({ id: 'f', type: 'form.fill', form: formId, date: '2026-12-02', values: vals, person });
        } else if (m.id === 'f') resolve(m);
      };
      ws.onerror = () => resolve({ error: 'websocket' });
    }), [form, values, PERSON]);
  } finally {
    agent.kill('SIGTERM');
    await new Promise((r) => agent.on('exit', r));
  }
  assert.ok(filled.ok, JSON.stringify(filled).slice(0, 500) + agentLog);
  return filled.result;
}

// Each [field, piece of its text] is printed inside the field's box of the saved definition.
function expectInsideBoxes(data, form, filled, pieces) {
  const out = path.join(data, 'out.pdf');
  writeFileSync(out, Buffer.from(filled.pdfBase64, 'base64'));
  const html = execFileSync('pdftotext', ['-bbox', out, '-']).toString();
  const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
    .map((m) => ({ x0: +m[1], y0: +m[2], x1: +m[3], y1: +m[4], text: m[5] }));
  const saved = JSON.parse(readFileSync(path.join(data, 'forms', `${form}.json`), 'utf8'));
  const boxOf = (n) => saved.fields.find((f) => f.name === n).box.map((v) => v * 72 / 25.4);
  for (const [fieldName, piece] of pieces) {
    const [bx, by, bw, bh] = boxOf(fieldName);
    const inside = (w) => w.x0 >= bx - 1 && w.x1 <= bx + bw + 1 && w.y0 >= by - 1 && w.y1 <= by + bh + 1;
    const w = words.find((x) => x.text.includes(piece) && inside(x)) ?? words.find((x) => x.text.includes(piece));
    assert.ok(w, `${piece} is printed`);
    assert.ok(inside(w), `${fieldName} inside its box: ${JSON.stringify(w)} in ${[bx, by, bw, bh]}`);
  }
  execFileSync(agentBin, ['forms', 'check', '--data-dir', data, '--date', '2026-12-02', '--residents',
    path.join(shared, 'cases', 'residents.json')]);
}

test('a form made in the designer fills inside its boxes and passes forms check', { timeout: 180000 }, async () => {
  const data = freshDataFolder();
  copyFileSync(path.join(source, 'templates', 'juminhyo.pdf'), path.join(data, 'templates', 'juminhyo.pdf'));
  const designer = startDesigner(data);
  const browser = await launchChromium();
  try {
    await waitForHealth(`http://127.0.0.1:${port}/`);
    const { page, at, tool, clickMm, prop, drag, rename, waitRendered, clerkInput, previewAndSave } = await openDesigner(browser);
    await page.selectOption('#template', 'juminhyo.pdf');
    await waitRendered();
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

    const waitBox = (name) => page.waitForFunction((n) => window.designer.definition.fields.some((f) => f.name === n && f.box), name);

    // Name: a new field, its box taken from the printed 氏名 cell.
    await tool('cell');
    await clickMm(90, 70);
    await page.waitForFunction(() => window.designer.definition.fields.length === 1);
    assert.deepEqual(await page.evaluate(() => window.designer.definition.fields[0].box), [40, 62, 110, 18], 'the name took the printed cell');
    await rename('name');
    await waitBox('name');
    // Address, two lines: a field added, then its cell clicked.
    await page.click('#addField');
    await rename('address');
    await prop('内容').selectOption('person.address');
    await prop('行数').fill('2');
    await prop('行数').dispatchEvent('change');
    await page.locator('#propsBody label', { hasText: '折り返し' }).locator('input').check();
    await tool('cell');
    await clickMm(100, 50);
    // Birth date, era format, in the 生年月日 row's cell.
    await page.click('#addField');
    await rename('birthDate');
    await prop('内容').selectOption('person.birthDate');
    await prop('書式').selectOption('era-date');
    await clickMm(100, 88);
    // Sex: a choice, its marks placed on the printed 男 and 女.
    await page.click('#addField');
    await rename('sex');
    await prop('種類').selectOption('choice');
    await prop('内容').selectOption('person.sex');
    await page.click('text=選択肢を内容から入れる');
    await clickMm(173, 71);
    await clickMm(186, 71);
    // A clerk input and its field.
    await clerkInput('copies', '通数', 'number');
    await tool('draw');
    await drag([118, 98], [139, 110]);
    await rename('copies');
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

    // Preview with a sample resident, through the engine; saved; filled by `serve`.
    await previewAndSave('shiken');
    assert.deepEqual(page.errors, []);
    const filled = await fillThroughServe(browser, data, 'shiken', { copies: '7' });
    expectInsideBoxes(data, 'shiken', filled, [['name', '山田'], ['address', '霞'], ['birthDate', '昭和'], ['copies', '７']]);
  } finally {
    await browser.close();
    designer.kill('SIGTERM');
    rmSync(data, { recursive: true, force: true });
  }
  assert.ok(!/ERROR|AddressSanitizer/.test(designer.log), designer.log);
});

// A town's own PDF: 厚生労働省's 主治医意見書 (Word 2016, embedded MS fonts, a dense grid of ruled
// cells), imported through the page, then a form made on it by the same gestures.
test('a third-party Japanese form imported in the designer becomes a form that fills inside its boxes', { timeout: 180000 }, async () => {
  const data = freshDataFolder();
  const designer = startDesigner(data);
  const browser = await launchChromium();
  try {
    await waitForHealth(`http://127.0.0.1:${port}/`);
    const { page, tool, clickMm, prop, drag, rename, waitRendered, clerkInput, previewAndSave } = await openDesigner(browser);
    const pdf = path.join(source, 'tests', 'data', 'templates-thirdparty', 'mhlw-shujii-ikensho.pdf');
    await page.setInputFiles('#import', pdf);
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('取り込みました（2ページ）'), null, { timeout: 30000 });
    assert.ok(existsSync(path.join(data, 'templates', 'mhlw-shujii-ikensho.pdf')), 'the intake wrote the template into the data folder');
    // The same file again is refused by name, and nothing is overwritten.
    await page.setInputFiles('#import', []);
    await page.setInputFiles('#import', pdf);
    await page.waitForFunction(() => document.getElementById('status').textContent.includes('すでにあります'), null, { timeout: 30000 });

    await page.selectOption('#template', 'mhlw-shujii-ikensho.pdf');
    await waitRendered();
    await page.fill('#formId', 'ikensho');
    await page.dispatchEvent('#formId', 'change');
    await page.fill('#formTitle', '主治医意見書');
    await page.dispatchEvent('#formTitle', 'change');

    // The applicant's 氏名 cell, found from the ruled lines.
    await tool('cell');
    await clickMm(60, 45);
    await page.waitForFunction(() => window.designer.definition.fields.length === 1);
    assert.deepEqual(await page.evaluate(() => window.designer.definition.fields[0].box), [33.3, 40.82, 79.65, 9.44]);
    await rename('name');
    // The address on two lines between 〒 and 連絡先: a new field drawn by dragging.
    await tool('draw');
    await drag([128, 40.5], [195, 50.5]);
    await rename('address');
    await prop('内容').selectOption('person.address');
    await prop('行数').fill('2');
    await prop('行数').dispatchEvent('change');
    await page.locator('#propsBody label', { hasText: '折り返し' }).locator('input').check();
    // The birth date in the 明・大・昭 row, as an era date.
    await drag([53, 50.5], [88, 55]);
    await rename('birthDate');
    await prop('内容').selectOption('person.birthDate');
    await prop('書式').selectOption('era-date');
    // Sex: marks on the printed 男 and 女.
    await page.click('#addField');
    await rename('sex');
    await prop('種類').selectOption('choice');
    await prop('内容').selectOption('person.sex');
    await page.click('text=選択肢を内容から入れる');
    await clickMm(118.2, 41);
    await clickMm(118.2, 50.1);
    // The clerk types the doctor's name beside 医師氏名.
    await clerkInput('doctor', '医師氏名', 'text');
    await tool('draw');
    await drag([28, 65.5], [90, 70.5]);
    await rename('doctor');
    await prop('内容').selectOption('values.doctor');

    const def = await page.evaluate(() => window.designer.definition);
    assert.equal(def.template, 'mhlw-shujii-ikensho.pdf');
    assert.deepEqual(Object.keys(Object.fromEntries(def.fields.map((f) => [f.name, 1]))).sort(), ['address', 'birthDate', 'doctor', 'name', 'sex']);
    await previewAndSave('ikensho');
    assert.deepEqual(page.errors, []);
    const filled = await fillThroughServe(browser, data, 'ikensho', { doctor: '佐藤　医師' });
    expectInsideBoxes(data, 'ikensho', filled, [['name', '山田'], ['address', '霞'], ['birthDate', '昭和'], ['doctor', '佐藤']]);
  } finally {
    await browser.close();
    designer.kill('SIGTERM');
    rmSync(data, { recursive: true, force: true });
  }
  assert.ok(!/ERROR|AddressSanitizer/.test(designer.log), designer.log);
});
