// The demo counter page in real headless Chromium (Debian's, driven by playwright-core): a clerk
// and a resident go through reading the card, filling two forms and previewing them; staff clock in
// and out on its attendance panel. The page is served by the agent itself (an allowed origin);
// screenshots are kept as test artifacts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agentBin, inkedCanvases, launchChromium, openCounterPage, readWithPin, startAgent, startCard, startPrinter, stopAgent, tearDown, waitForHealth, waitForSpooled } from './counter_stack.mjs';

const artifacts = process.env.KAKANAI_ARTIFACTS ?? path.join(process.cwd(), 'artifacts');
const port = 48700 + (process.pid % 200);

// The preview drawn by pdf.js in the page: `pages` canvases, for which document, with their ink.
async function previewShows(page, pages) {
  await page.waitForFunction((n) => document.querySelector('#preview-pages').dataset.pages === String(n), pages, { timeout: 30000 });
  return { document: await page.$eval('#preview-pages', (box) => box.dataset.document), inked: await inkedCanvases(page) };
}

test('a clerk reads the card behind pcscd, fills two forms, previews and prints them', { timeout: 150000 }, async () => {
  assert.ok(process.env.KAKANAI_ISOLATED, 'run through tests/integration/isolated.sh');
  const work = mkdtempSync(path.join(tmpdir(), 'kakanai-e2e-'));
  const procs = [];
  startCard(work, { pin: '9753', name: '葛\u{E0100}城　辻\u{E0100}彦', address: '奈良県葛城市柿本１６６番地', birthDate: '20190501', sex: '1' }, procs);
  const stack = startPrinter(work, port + 1, procs);
  const agent = startAgent(work, port, { printers: [stack.printer], trustTestIssuer: true });
  const browser = await launchChromium();
  try {
    const page = await openCounterPage(browser, port, 1400);
    await page.waitForFunction(() => document.querySelector('#tries').textContent.includes('3回'), null, { timeout: 20000 });

    // A wrong PIN first: the resident sees the tries left.
    for (const d of '9999') await page.click(`#pinpad button[data-digit="${d}"]`);
    await page.click('#pin-ok');
    await page.waitForFunction(() => document.querySelector('#pin-message').textContent.includes('残り2回'));

    await readWithPin(page, '9753', '葛\u{E0100}城　辻\u{E0100}彦');
    assert.equal(await page.textContent('[data-field="birthDate"]'), '2019-05-01');
    assert.match(await page.textContent('#authentic'), /真正/);

    // Two forms: 住民票 with clerk inputs, then 印鑑登録.
    await page.selectOption('#form-select', 'juminhyo');
    await page.fill('#inputs input[name="copies"]', '2');
    await page.selectOption('#inputs select[name="purpose"]', '年金');
    await page.click('#fill');
    const first = await previewShows(page, 1);
    assert.ok(first.inked[0] > 1000, 'the page is drawn with pdf.js, ink and all');
    assert.equal(await page.isEnabled('#print'), true);

    await page.selectOption('#form-select', 'inkan');
    await page.click('#fill');
    await page.waitForFunction(() => document.querySelector('#fill-message').textContent.includes('idDocument'));
    await page.selectOption('#inputs select[name="idDocument"]', 'マイナンバーカード');
    await page.click('#fill');
    await page.waitForFunction((b) => (document.querySelector('#preview-pages').dataset.document ?? b) !== b, first.document);

    // Print two copies of the second form to the IPP printer; the page hears back.
    await page.fill('#copies', '2');
    await page.click('#print');
    await page.waitForFunction(() => document.querySelector('#print-message').textContent.includes('印刷を依頼しました'));
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'counter-page.png'), fullPage: true });
    const printed = await waitForSpooled(stack.spool, 1);
    assert.equal(printed.length, 1, 'the printer received one PDF');
    const text = execSync(`pdftotext -enc UTF-8 ${printed[0]} -`).toString();
    assert.ok(text.includes('葛\u{E0100}城　辻\u{E0100}彦'), 'the printed form carries the name, selectors included');
    assert.ok(text.includes('印鑑登録申請書'));

    await page.click('#clear-session');
    await page.waitForFunction(() => document.querySelector('[data-field="name"]').textContent === '—');
    assert.deepEqual(page.errors, []);
  } finally {
    await tearDown({ browser, agent, procs, work });
  }
  // The agent's log has requests, not the resident.
  for (const secret of ['葛\u{E0100}城', '辻\u{E0100}彦', '奈良県葛城市', '2019-05-01', '20190501', '9753', '9999']) {
    assert.ok(!agent.log.includes(secret), `log contains ${secret}`);
  }
  assert.match(agent.log, /type=form\.fill/);
});

// The attendance panel of the demo page with the agent's built-in virtual attendance reader and
// staff cards (--demo): enrol a card, clock in and out, a double tap, an unknown and an expired
// card; then strong mode, where the page asks for the staff member's authentication PIN.
test('staff enrol their cards and clock in and out on the demo page', { timeout: 120000 }, async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'kakanai-e2e-attendance-'));
  const agentPort = port + 2;
  const store = path.join(work, 'attendance.sqlite');
  let log = '';
  const startDemoAgent = (attendance) => {
    writeFileSync(path.join(work, 'agent.json'), JSON.stringify({ attendance }));
    const p = spawn(agentBin, ['serve', '--demo', '--port', String(agentPort), '--config', path.join(work, 'agent.json'),
      '--attendance-store', store], { stdio: ['ignore', 'ignore', 'pipe'] });
    p.stderr.on('data', (d) => { log += d; });
    return p;
  };
  const browser = await launchChromium();
  let agent = startDemoAgent({ doubleTapSeconds: 2 });
  try {
    await waitForHealth(`http://127.0.0.1:${agentPort}/health`);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const messageIncludes = (text) =>
      page.waitForFunction((t) => document.querySelector('#attendance-message').textContent.includes(t), text, { timeout: 15000 });
    const rows = () => page.$$eval('#attendance-records tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    const tap = (card) => page.click(`#demo-taps button[data-card="${card}"]`);
    // Enrolment: the clerk types the staff number and name, then the card is tapped.
    const enrol = async (staffId, name, card) => {
      await page.fill('#enroll-staff', staffId);
      await page.fill('#enroll-name', name);
      await page.click('#enroll-form button[type="submit"]');
      await messageIncludes('かざしてください');
      await tap(card);
    };
    await page.goto(`http://localhost:${agentPort}/`);
    await page.waitForSelector('#connection.on');
    await page.waitForSelector('#demo-taps:not([hidden])');

    await enrol('E0001', '窓口　一郎', 'E0001');
    await messageIncludes('E0001 のカードを登録しました');

    await tap('E0001');
    await messageIncludes('窓口　一郎さん 出勤');
    await tap('E0001');
    await messageIncludes('続けてかざされたため');
    await new Promise((r) => setTimeout(r, 2200));  // past the double-tap window
    await tap('E0001');
    await messageIncludes('窓口　一郎さん 退勤');
    await page.waitForFunction(() => document.querySelectorAll('#attendance-records tbody tr').length === 2);
    assert.deepEqual((await rows()).map((r) => r.slice(1)), [['窓口　一郎', '退勤'], ['窓口　一郎', '出勤']]);

    await tap('unknown');
    await messageIncludes('登録されていないカードです');
    // A card whose certificate has expired is not taken for enrolment, with the reason.
    await enrol('E0003', '期限　切子', 'expired');
    await messageIncludes('有効期限が切れています');
    assert.equal((await rows()).length, 2, 'refused taps record nothing');
    assert.deepEqual(pageErrors, []);

    // Strong mode, same store: the tap asks for the authentication PIN; a wrong one shows the
    // tries left and records nothing, the right one records the tap.
    await stopAgent(agent);
    agent = startDemoAgent({ strong: true, doubleTapSeconds: 0 });
    await waitForHealth(`http://127.0.0.1:${agentPort}/health`);
    await page.reload();
    await page.waitForSelector('#connection.on');
    await page.waitForFunction(() => document.querySelectorAll('#attendance-records tbody tr').length === 2);
    await tap('E0001');
    await messageIncludes('認証用暗証番号を入力してください');
    assert.equal(await page.isVisible('#attendance-pin'), true);
    await page.fill('#attendance-pin-input', '0000');
    await page.click('#attendance-pin-ok');
    await messageIncludes('残り');
    assert.equal((await rows()).length, 2);
    await tap('E0001');
    await messageIncludes('認証用暗証番号を入力してください');
    await page.fill('#attendance-pin-input', '1234');
    await page.click('#attendance-pin-ok');
    await messageIncludes('窓口　一郎さん 出勤');
    await page.waitForFunction(() => document.querySelectorAll('#attendance-records tbody tr').length === 3);
    assert.equal(await page.isVisible('#attendance-pin'), false);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'attendance-panel.png'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  } catch (e) {
    // What the staff saw and what the agent did (the log holds codes, never a PIN).
    const pages = browser.contexts().flatMap((c) => c.pages());
    const shown = pages.length ? await pages[0].textContent('#attendance-message').catch(() => '?') : '?';
    e.message += `\npanel says: ${shown}\nagent log (end):\n${log.slice(-3000)}`;
    throw e;
  } finally {
    await browser.close();
    await stopAgent(agent);
    rmSync(work, { recursive: true, force: true });
  }
  for (const secret of ['0000', '1234']) assert.ok(!log.includes(`pin=${secret}`) && !log.includes(`"${secret}"`), `log holds a PIN`);
  assert.match(log, /attendance/);
});
