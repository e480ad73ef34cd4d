// A resident's move-in (転入) on the demo counter page in Debian's headless Chromium: one card read
// with the PIN, the 転入 procedure chosen, two optional forms ticked (their reasons shown), each shared
// input asked once, every missing input reported at once, the whole bundle previewed with pdf.js,
// printed as one job to a real ippeveprinter, one form printed again alone, the session cleared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inkedCanvases, launchChromium, openCounterPage, pdfPages, readWithPin, startAgent, startCard, startPrinter, tearDown, waitForSpooled } from './counter_stack.mjs';

const artifacts = process.env.KAKANAI_ARTIFACTS ?? path.join(process.cwd(), 'artifacts');
const port = 48100 + (process.pid % 200);
const NAME = '髙橋　ミドリ';
const NEW_ADDRESS = '東京都千代田区千代田１番１号';

const pageText = (file, n) => execSync(`pdftotext -enc UTF-8 -f ${n} -l ${n} ${file} -`).toString();

test('a clerk serves a move-in with one card read, one set of questions and one print', { timeout: 180000 }, async () => {
  assert.ok(process.env.KAKANAI_ISOLATED, 'run through tests/integration/isolated.sh');
  const work = mkdtempSync(path.join(tmpdir(), 'kakanai-e2e-procedure-'));
  const procs = [];
  startCard(work, { pin: '2580', name: NAME, address: '大阪府大阪市北区中之島１丁目３番２０号', birthDate: '19850412', sex: '2' }, procs);
  const stack = startPrinter(work, port + 1, procs);
  const agent = startAgent(work, port, { printers: [stack.printer], trustTestIssuer: true });
  const browser = await launchChromium();
  try {
    const page = await openCounterPage(browser, port);
    await page.waitForFunction(() => document.querySelector('#tries').textContent.includes('回'), null, { timeout: 20000 });
    await readWithPin(page, '2580', NAME);

    // 転入: the required 住民異動届 is always in; 国保 and 印鑑登録 are ticked, 住民票 is not.
    await page.check('input[name="fill-mode"][value="procedure"]');
    await page.selectOption('#procedure-select', 'tennyu');
    const idou = page.locator('#procedure-forms input[value="idou"]');
    assert.equal(await idou.isChecked(), true);
    assert.equal(await idou.isDisabled(), true);
    assert.match(await page.textContent('#procedure-forms'), /職場の健康保険に加入していない方/);
    await page.check('#procedure-forms input[value="kokuho"]');
    await page.check('#procedure-forms input[value="inkan"]');

    // Each input once: the date of moving serves 異動日 and 国保's 資格取得日; what the procedure sets
    // itself (届出の種類, 取得の理由) and the unticked 住民票's 通数 are not asked.
    const asked = await page.$$eval('#inputs [name]', (els) => els.map((e) => e.name));
    for (const name of ['moveDate', 'newAddress', 'idDocument']) assert.ok(asked.includes(name), `asks ${name}`);
    for (const name of ['kind', 'reason', 'acquiredDate', 'copies']) assert.ok(!asked.includes(name), `does not ask ${name}`);
    assert.equal(asked.filter((n) => n === 'moveDate').length, 1);
    assert.match(await page.textContent('#inputs'), /住民異動届.*・.*国民健康保険/);

    // Nothing answered: every missing input of every included form at once.
    await page.click('#fill');
    await page.waitForFunction(() => document.querySelector('#fill-message').textContent.includes('：'));
    const missing = await page.textContent('#fill-message');
    for (const name of ['moveDate', 'newAddress', 'idDocument']) assert.ok(missing.includes(name), `${missing} names ${name}`);

    await page.fill('#inputs input[name="moveDate"]', '2026-11-30');
    await page.fill('#inputs input[name="newAddress"]', NEW_ADDRESS);
    await page.selectOption('#inputs select[name="idDocument"]', 'マイナンバーカード');
    await page.click('#fill');

    // One preview of the whole bundle, page by page, each captioned with its form.
    await page.waitForFunction(() => Number(document.querySelector('#preview-pages').dataset.pages) > 0, null, { timeout: 60000 });
    assert.equal(await page.textContent('#fill-message'), '');
    const captions = await page.$$eval('#preview-pages figcaption', (cs) => cs.map((c) => c.textContent));
    const order = ['住民異動届', '国民健康保険', '印鑑登録申請書'];
    const firstOf = order.map((t) => captions.findIndex((c) => c.startsWith(t)));
    assert.ok(firstOf.every((i) => i >= 0) && firstOf[0] < firstOf[1] && firstOf[1] < firstOf[2], `pages in order: ${captions}`);
    assert.ok(!captions.some((c) => c.startsWith('住民票')), 'the unticked form is not in the bundle');
    const inked = await inkedCanvases(page);
    assert.ok(inked.every((n) => n > 1000), `every page drawn: ${inked}`);
    assert.equal(await page.locator('#bundle-documents li').count(), 3);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'procedure-tennyu.png'), fullPage: true });

    // One print job with every page in order.
    await page.click('#print');
    await page.waitForFunction(() => document.querySelector('#print-message').textContent.includes('印刷を依頼しました'));
    const [bundle] = await waitForSpooled(stack.spool, 1);
    assert.ok(bundle, 'the printer received the bundle');
    assert.equal(pdfPages(bundle), captions.length);
    const texts = captions.map((_, i) => pageText(bundle, i + 1));
    order.forEach((title, k) => assert.ok(texts[firstOf[k]].replace(/\s/g, '').includes(title.replace(/\s/g, '')), `page ${firstOf[k] + 1} is ${title}`));
    for (const [i, t] of texts.entries()) assert.ok(t.includes(NAME), `page ${i + 1} carries the name exactly as the card gives it`);
    assert.ok(texts[firstOf[0]].includes(NEW_ADDRESS));

    // 印鑑登録 printed again alone: a second job of its pages only.
    // The printer takes one job at a time, so this one may wait for the first (the agent retries a
    // busy printer); the bundle's print.completed may arrive meanwhile and change the message.
    await page.click('#bundle-documents button[data-form="inkan"]');
    const printed = await waitForSpooled(stack.spool, 2);
    assert.equal(printed.length, 2);
    const alone = printed.find((f) => f !== bundle);
    assert.equal(pdfPages(alone), captions.length - firstOf[2]);
    assert.ok(pageText(alone, 1).replace(/\s/g, '').includes('印鑑登録申請書'));

    await page.click('#clear-session');
    await page.waitForFunction(() => document.querySelector('[data-field="name"]').textContent === '—');
    assert.equal(await page.locator('#preview-pages canvas').count(), 0, 'the preview goes with the session');
    assert.deepEqual(page.errors, []);
  } catch (e) {
    e.message += `\nagent log (end):\n${agent.log.slice(-3000)}`;
    throw e;
  } finally {
    await tearDown({ browser, agent, procs, work });
  }
  for (const secret of ['髙橋', 'ミドリ', '大阪府大阪市', '1985-04-12', '19850412', '2580', NEW_ADDRESS]) {
    assert.ok(!agent.log.includes(secret), `log contains ${secret}`);
  }
  assert.match(agent.log, /type=procedure\.fill/);
});
