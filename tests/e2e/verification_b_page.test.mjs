// The demo counter page's path for a resident whose PIN is locked, in Debian's headless Chromium
// (playwright-core): the page offers verification number B at once, the clerk picks the birth
// date as printed on the card (era), types the expiry year and the security code on the pad; a
// wrong code shows B's tries left, the last try needs the clerk's tick, and the right B reads the
// resident. The card is a virtual card behind a real pcscd + vpcd (tests/integration/isolated.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchChromium, openCounterPage, startAgent, startCard, tearDown } from './counter_stack.mjs';

const artifacts = process.env.KAKANAI_ARTIFACTS ?? path.join(process.cwd(), 'artifacts');
const port = 48300 + (process.pid % 200);

test('a resident with a locked PIN is read with verification number B on the counter page', { timeout: 120000 }, async () => {
  assert.ok(process.env.KAKANAI_ISOLATED, 'run through tests/integration/isolated.sh');
  const work = mkdtempSync(path.join(tmpdir(), 'kakanai-e2e-b-'));
  const procs = [];
  // 大正元年7月30日 生まれ, PIN locked (no tries left), B with two tries.
  startCard(work, { pin: '1234', retries: 0, name: '長谷川　ヶ一', address: '京都府京都市左京区', birthDate: '19120730', sex: '1',
    securityCode: '4321', expiryYear: '2031', verificationBRetries: 2 }, procs);
  const agent = startAgent(work, port, { trustTestIssuer: true });
  const browser = await launchChromium();
  try {
    const page = await openCounterPage(browser, port);
    // The PIN is locked: B is offered without anyone asking, with its tries.
    await page.waitForSelector('#b-panel:not([hidden])', { timeout: 20000 });
    assert.match(await page.textContent('#tries'), /照合番号B/);
    await page.waitForFunction(() => document.querySelector('#b-tries').textContent.includes('2回'));

    const pad = async (digits) => { for (const d of digits) await page.click(`#b-pad button[data-digit="${d}"]`); };
    await page.selectOption('#b-era', 'taisho');
    await page.selectOption('#b-year', '1');
    assert.equal(await page.$eval('#b-year', (s) => s.selectedOptions[0].textContent), '元');
    await page.selectOption('#b-month', '07');
    await page.selectOption('#b-day', '29');  // 大正元年7月29日 never existed (still 明治)
    await page.click('#b-expiry');
    await pad('2031');
    await pad('4321');
    await page.click('#b-ok');
    await page.waitForFunction(() => document.querySelector('#b-message').textContent.includes('その元号にない日付'));
    await page.selectOption('#b-day', '30');

    // A wrong security code spends one of B's tries.
    await page.click('#b-code');
    await page.click('#b-clear');
    await pad('4320');
    await page.click('#b-ok');
    await page.waitForFunction(() => document.querySelector('#b-message').textContent.includes('照合番号Bの残り1回'));
    await page.waitForSelector('#b-last-try:not([hidden])');

    // The last try is refused until the clerk ticks it.
    await page.click('#b-code');
    await pad('4321');
    await page.click('#b-ok');
    await page.waitForFunction(() => document.querySelector('#b-message').textContent.includes('職員の確認'));
    await page.click('#b-code');
    await pad('4321');
    await page.check('#b-allow-last-try');
    await page.click('#b-ok');
    await page.waitForFunction(() => document.querySelector('[data-field="name"]').textContent === '長谷川　ヶ一', null, { timeout: 20000 });
    assert.equal(await page.textContent('[data-field="birthDate"]'), '1912-07-30');
    assert.match(await page.textContent('#authentic'), /真正/);
    await page.waitForFunction(() => document.querySelector('#b-tries').textContent.includes('10回'));  // reset by the right B
    assert.equal(await page.inputValue('#b-code'), '', 'the security code does not stay on the page');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'verification-b.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
  } catch (e) {
    e.message += `\nagent log (end):\n${agent.log.slice(-2000)}`;
    throw e;
  } finally {
    await tearDown({ browser, agent, procs, work });
  }
  for (const secret of ['長谷川', '4321', '4320', '01073020314321', '1912-07-30']) assert.ok(!agent.log.includes(secret), `log contains ${secret}`);
});
