// The demo counter page: what a counter system does with the agent, in plain JavaScript.
import { KakanaiClient, KakanaiError } from './kakanai-client.js';

const $ = (id) => document.getElementById(id);
const agent = new KakanaiClient(`ws://${location.host}/v1/ws`);
let pin = '';
let session = null;
let documentId = null;  // what 印刷 prints: one form's document, or a procedure's bundle
let forms = [];
let procedures = [];
let previewRun = 0;

const SEX = { male: '男', female: '女', unspecified: '—' };

function showPin() { $('pin-dots').textContent = '●'.repeat(pin.length) + '○'.repeat(4 - pin.length); }

async function refreshReaders() {
  const { readers } = await agent.readersList();
  $('readers').replaceChildren(...readers.map((r) => {
    const li = document.createElement('li');
    li.textContent = `${r.name}（${r.role === 'counter' ? '窓口' : '勤怠'}）`;
    li.classList.toggle('present', r.cardPresent);
    return li;
  }));
  await refreshCard();
}

async function refreshCard() {
  try {
    const s = await agent.cardStatus();
    if (!s.present) {
      $('card-state').textContent = 'カードを置いてください。';
      $('tries').textContent = '';
      return;
    }
    $('card-state').textContent = s.kind === 'mynumber' ? 'マイナンバーカードが置かれています。' : 'マイナンバーカードではありません。';
    if (s.pinRetries === null || s.pinRetries === undefined) {
      $('tries').textContent = '';
    } else if (s.pinRetries === 0) {
      $('tries').textContent = '暗証番号はロックされています。窓口で初期化の手続きが必要です。';
    } else {
      $('tries').textContent = `暗証番号の残り回数：${s.pinRetries}回`;
    }
    $('last-try').hidden = s.pinRetries !== 1;
    if (s.pinRetries === 1) $('pin-message').textContent = '残り1回です。間違えるとロックされます。職員が確認してください。';
    showBTries(s.verificationBRetries);
    // A locked PIN, or a card with none (顔認証マイナンバーカード): B at once.
    if (s.pinState === 'locked') {
      $('tries').textContent = '暗証番号は使えません（ロック中、または設定されていないカードです）。照合番号Bで読み取れます。';
      openB();
    }
  } catch (e) {
    $('card-state').textContent = e.message;
  }
}

function showPerson(person, authentic) {
  for (const dd of document.querySelectorAll('#person dd')) {
    const v = person ? person[dd.dataset.field] : '—';
    dd.textContent = dd.dataset.field === 'sex' && person ? SEX[v] : v;
  }
  $('authentic').textContent = person ? (authentic ? '券面の署名を確認しました（真正）。' : '署名を確認できませんでした。券面と照合してください。') : '';
  $('authentic').className = authentic ? 'ok' : 'muted';
  $('clear-session').disabled = !person;
  $('fill').disabled = !person;
}

async function readCard() {
  $('pin-message').textContent = '';
  try {
    const result = await agent.cardRead({ pin, allowLastTry: $('allow-last-try').checked });
    session = result.session;
    showPerson(result.person, result.authentic);
  } catch (e) {
    const left = e.details?.retriesLeft;
    $('pin-message').textContent = left !== undefined ? `${e.message}（残り${left}回）` : e.message;
  } finally {
    pin = '';
    showPin();
    $('allow-last-try').checked = false;
    await refreshCard();
  }
}

// ---- Verification number B (照合番号B): birth date as printed (era), expiry year, security code ----
const ERAS = {  // first day of each era; a date before it belongs to the previous one
  meiji: { name: '明治', from: '1868-10-23', start: 1868 }, taisho: { name: '大正', from: '1912-07-30', start: 1912 },
  showa: { name: '昭和', from: '1926-12-25', start: 1926 }, heisei: { name: '平成', from: '1989-01-08', start: 1989 },
  reiwa: { name: '令和', from: '2019-05-01', start: 2019 },
};
const ERA_ORDER = ['meiji', 'taisho', 'showa', 'heisei', 'reiwa'];
let bField = 'b-expiry';
const pad2 = (n) => String(n).padStart(2, '0');

function fillBPickers() {
  const era = ERAS[$('b-era').value];
  const next = ERAS[ERA_ORDER[ERA_ORDER.indexOf($('b-era').value) + 1]];
  const lastYear = next ? Number(next.from.slice(0, 4)) - era.start + 1 : new Date().getFullYear() - era.start + 1;
  const keep = $('b-year').value;
  $('b-year').replaceChildren(...Array.from({ length: lastYear }, (_, i) => new Option(i === 0 ? '元' : String(i + 1), String(i + 1))));
  if (keep && Number(keep) <= lastYear) $('b-year').value = keep;
  if (!$('b-month').options.length) {
    $('b-month').replaceChildren(...Array.from({ length: 12 }, (_, i) => new Option(String(i + 1), pad2(i + 1))));
    $('b-day').replaceChildren(...Array.from({ length: 31 }, (_, i) => new Option(String(i + 1), pad2(i + 1))));
  }
}

// The Gregorian date the card face's era date stands for, or null when that date is not in the
// era (平成31年5月1日 never existed) or not in the calendar.
function bBirthDate() {
  const key = $('b-era').value;
  const era = ERAS[key];
  const next = ERAS[ERA_ORDER[ERA_ORDER.indexOf(key) + 1]];
  const iso = `${era.start + Number($('b-year').value) - 1}-${$('b-month').value}-${$('b-day').value}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) return null;
  if (iso < era.from || (next && iso >= next.from)) return null;
  return iso;
}

function showBTries(left) {
  $('b-tries').textContent = left == null ? '' : `照合番号Bの残り回数：${left}回`;
  $('b-last-try').hidden = left !== 1;
}

function openB() {
  $('b-panel').hidden = false;
  fillBPickers();
}

function selectBField(id) {
  bField = id;
  for (const f of ['b-expiry', 'b-code']) $(f).classList.toggle('active', f === id);
}

async function readCardWithB() {
  $('b-message').textContent = '';
  const birthDate = bBirthDate();
  if (!birthDate) { $('b-message').textContent = 'その元号にない日付です。券面の生年月日を確認してください。'; return; }
  if (!/^[0-9]{4}$/.test($('b-expiry').value)) { $('b-message').textContent = '有効期限の年を西暦4桁で入力してください。'; return; }
  if (!/^[0-9]{4}$/.test($('b-code').value)) { $('b-message').textContent = 'セキュリティコードを数字4桁で入力してください。'; return; }
  try {
    const result = await agent.cardRead({
      verificationB: { birthDate, expiryYear: $('b-expiry').value, securityCode: $('b-code').value },
      allowLastTry: $('b-allow-last-try').checked,
    });
    session = result.session;
    showPerson(result.person, result.authentic);
    $('b-message').textContent = '';
  } catch (e) {
    const left = e.details?.retriesLeft;
    $('b-message').textContent = left !== undefined ? `${e.message}（照合番号Bの残り${left}回）` : e.message;
  } finally {
    $('b-code').value = '';
    $('b-allow-last-try').checked = false;
    await refreshCard();
  }
}

const fillMode = () => document.querySelector('input[name="fill-mode"]:checked').value;
const formTitle = (id) => forms.find((f) => f.id === id)?.title ?? id;
const currentProcedure = () => procedures.find((p) => p.id === $('procedure-select').value);

// The forms of the chosen procedure that will be filled: the required ones and those ticked.
function includedForms() {
  return [...$('procedure-forms').querySelectorAll('input[type="checkbox"]')].filter((c) => c.checked).map((c) => c.value);
}

function renderProcedureForms() {
  const proc = currentProcedure();
  $('procedure-forms').replaceChildren(...(proc?.forms ?? []).map((f) => {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = f.form;
    box.checked = f.required && f.available !== false;
    box.disabled = f.required || f.available === false;
    box.addEventListener('change', renderInputs);
    const reason = document.createElement('span');
    reason.className = 'reason';
    reason.textContent = f.available === false ? '（使用不可）' : `${f.required ? '必須' : '該当する方'}：${f.reason}`;
    label.append(box, ` ${f.title ?? formTitle(f.form)}`, reason);
    li.append(label);
    return li;
  }));
  renderInputs();
}

// One control per input; a procedure's input shared by several forms is asked once and says which.
function inputControl(input, usedBy) {
  const label = document.createElement('label');
  label.textContent = `${input.label}${input.required ? '（必須）' : ''} `;
  let control;
  if (input.type === 'choice') {
    control = document.createElement('select');
    control.append(new Option('—', ''), ...input.options.map((o) => new Option(o, o)));
  } else {
    control = document.createElement('input');
    control.type = input.type === 'number' ? 'number' : input.type === 'date' ? 'date' : 'text';
  }
  control.name = input.name;
  control.required = input.required;
  label.append(control);
  if (usedBy) {
    const note = document.createElement('span');
    note.className = 'used-by';
    note.textContent = usedBy;
    label.append(note);
  }
  return label;
}

function renderInputs() {
  const kept = {};
  for (const el of $('inputs').elements) if (el.name) kept[el.name] = el.value;
  let controls;
  if (fillMode() === 'procedure') {
    const included = new Set(includedForms());
    const inputs = (currentProcedure()?.inputs ?? []).filter((i) => i.forms.some((f) => included.has(f)));
    controls = inputs.map((i) => inputControl(i, i.forms.length > 1 ? `（${i.forms.filter((f) => included.has(f)).map(formTitle).join('・')}）` : ''));
  } else {
    controls = (forms.find((f) => f.id === $('form-select').value)?.inputs ?? []).map((i) => inputControl(i, ''));
  }
  $('inputs').replaceChildren(...controls);
  for (const el of $('inputs').elements) if (el.name && kept[el.name] !== undefined) el.value = kept[el.name];
}

function setMode() {
  const procedure = fillMode() === 'procedure';
  $('form-choice').hidden = procedure;
  $('procedure-choice').hidden = !procedure;
  $('fill').textContent = procedure ? '申請書をまとめて作成' : '申請書を作成';
  renderInputs();
}

const WARNING_NAMES = { shrunk: '縮小', wrapped: '折り返し', condensed: '長体', fallback_font: '外字フォント', overflow: '収まりません（要確認）' };

function showWarnings(list) {
  $('warnings').replaceChildren(...list.map(({ form, w }) => {
    const li = document.createElement('li');
    li.textContent = `${form ? `${formTitle(form)} ` : ''}${w.field}: ${WARNING_NAMES[w.code] ?? w.code} ${w.detail}`;
    return li;
  }));
}

const decodeBase64 = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

// pdf.js from the agent's own origin (agent/web/pdfjs), loaded the first time a preview is shown.
let pdfjs = null;
async function pdfjsLib() {
  if (!pdfjs) {
    pdfjs = await import('./pdfjs/pdf.min.mjs');
    pdfjs.GlobalWorkerOptions.workerSrc = './pdfjs/pdf.worker.min.mjs';
  }
  return pdfjs;
}

// Every page drawn into the page itself (the browser's PDF viewer may be off by policy), each
// with its caption; a newer preview started meanwhile wins.
async function showPreview(bytes, captions, id) {
  const run = ++previewRun;
  const box = $('preview-pages');
  box.replaceChildren();
  delete box.dataset.document;
  $('preview-message').textContent = '';
  try {
    const lib = await pdfjsLib();
    const doc = await lib.getDocument({ data: bytes, cMapUrl: './pdfjs/cmaps/', cMapPacked: true }).promise;
    const figures = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const cssWidth = 360;
      const viewport = page.getViewport({ scale: (cssWidth / base.width) * (window.devicePixelRatio || 1) });
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(viewport.width);
      canvas.height = Math.round(viewport.height);
      canvas.style.width = `${cssWidth}px`;
      await page.render({ canvasContext: canvas.getContext('2d'), viewport }).promise;
      const figure = document.createElement('figure');
      const caption = document.createElement('figcaption');
      caption.textContent = captions[n - 1] ?? `${n}ページ`;
      figure.append(canvas, caption);
      figures.push(figure);
    }
    await doc.destroy();
    if (run !== previewRun) return;
    box.replaceChildren(...figures);
    box.dataset.document = id;
    box.dataset.pages = String(figures.length);
  } catch (e) {
    if (run === previewRun) $('preview-message').textContent = `プレビューを表示できませんでした：${e.message ?? e}`;
  }
}

// Captions page by page: which form, and its page number when it has more than one.
function bundleCaptions(documents) {
  return documents.flatMap((d) => Array.from({ length: d.pages }, (_, i) => formTitle(d.form) + (d.pages > 1 ? `（${i + 1}/${d.pages}）` : '')));
}

function showBundleDocuments(documents) {
  $('bundle-documents').replaceChildren(...documents.map((d) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.className = 'secondary';
    button.textContent = 'この様式だけ印刷';
    button.dataset.form = d.form;
    button.addEventListener('click', () => printDocument(d.document, formTitle(d.form)));
    li.append(`${formTitle(d.form)}（${d.pages}枚）`, button);
    return li;
  }));
}

function collectValues() {
  const values = {};
  for (const el of $('inputs').elements) if (el.name && el.value !== '') values[el.name] = el.value;
  return values;
}

async function fill() {
  $('fill-message').textContent = '';
  $('warnings').replaceChildren();
  try {
    if (fillMode() === 'procedure') {
      const proc = currentProcedure();
      const optional = includedForms().filter((f) => !proc.forms.find((x) => x.form === f)?.required);
      const r = await agent.procedureFill({ procedure: proc.id, session, values: collectValues(), forms: optional });
      documentId = r.bundle.document;
      showWarnings(r.documents.flatMap((d) => d.warnings.map((w) => ({ form: d.form, w }))));
      showBundleDocuments(r.documents);
      $('print').textContent = 'すべて印刷';
      $('print').disabled = false;
      await showPreview(decodeBase64(r.bundle.pdfBase64), bundleCaptions(r.documents), r.bundle.document);
    } else {
      const r = await agent.formFill({ form: $('form-select').value, session, values: collectValues() });
      documentId = r.document;
      showWarnings(r.warnings.map((w) => ({ form: null, w })));
      $('bundle-documents').replaceChildren();
      $('print').textContent = '印刷';
      $('print').disabled = false;
      await showPreview(decodeBase64(r.pdfBase64), [], r.document);
    }
  } catch (e) {
    const extra = e.details?.codepoints ? `：${e.details.codepoints.join('、')}` : e.details?.inputs ? `：${e.details.inputs.join('、')}` : '';
    $('fill-message').textContent = e.message + extra;
  }
}

async function printDocument(id, what) {
  $('print-message').textContent = '';
  $('print-message').className = '';
  try {
    const r = await agent.documentPrint({ document: id, copies: Number($('copies').value) });
    $('print-message').textContent = `${what ? `${what}の` : ''}印刷を依頼しました（${r.printer}）。`;
    $('print-message').className = 'ok';
  } catch (e) {
    $('print-message').textContent = e.message;
  }
}

const print = () => printDocument(documentId, '');

async function clearSession() {
  if (session) await agent.sessionClear(session).catch(() => {});
  session = null;
  documentId = null;
  ++previewRun;
  $('preview-pages').replaceChildren();
  delete $('preview-pages').dataset.document;
  $('bundle-documents').replaceChildren();
  $('print').disabled = true;
  $('warnings').replaceChildren();
  showPerson(null, false);
}

$('pinpad').addEventListener('click', (e) => {
  const digit = e.target.dataset?.digit;
  if (digit !== undefined && pin.length < 4) { pin += digit; showPin(); }
});
$('pin-clear').addEventListener('click', () => { pin = ''; showPin(); });
$('pin-ok').addEventListener('click', () => { if (pin.length === 4) readCard(); else $('pin-message').textContent = '数字4桁を入力してください。'; });
$('b-open').addEventListener('click', openB);
$('b-era').addEventListener('change', fillBPickers);
for (const id of ['b-expiry', 'b-code']) $(id).addEventListener('click', () => selectBField(id));
$('b-pad').addEventListener('click', (e) => {
  const digit = e.target.dataset?.digit;
  if (digit === undefined) return;
  const f = $(bField);
  if (f.value.length < 4) f.value += digit;
  if (f.value.length === 4 && bField === 'b-expiry') selectBField('b-code');
});
$('b-clear').addEventListener('click', () => { $(bField).value = ''; });
$('b-ok').addEventListener('click', readCardWithB);
$('form-select').addEventListener('change', renderInputs);
$('procedure-select').addEventListener('change', renderProcedureForms);
for (const r of document.querySelectorAll('input[name="fill-mode"]')) r.addEventListener('change', setMode);
$('fill').addEventListener('click', fill);
$('print').addEventListener('click', print);
$('clear-session').addEventListener('click', clearSession);

for (const ev of ['reader.added', 'reader.removed', 'card.inserted', 'card.removed']) {
  agent.addEventListener(ev, () => refreshReaders());
}
agent.addEventListener('card.removed', () => { pin = ''; showPin(); $('b-code').value = ''; });
agent.addEventListener('print.completed', () => { $('print-message').textContent = '印刷が終わりました。'; $('print-message').className = 'ok'; });
agent.addEventListener('print.failed', (e) => { $('print-message').textContent = `印刷できませんでした：${e.detail.reason}`; $('print-message').className = ''; });
agent.addEventListener('session.expired', (e) => { if (e.detail.session === session) clearSession(); });
agent.addEventListener('connected', () => { $('connection').textContent = '接続中'; $('connection').className = 'badge on'; });
agent.addEventListener('disconnected', () => { $('connection').textContent = '未接続'; $('connection').className = 'badge off'; });

// ---- Staff attendance ----
let pendingTap = null;

function attendanceMessage(text, ok = false) {
  $('attendance-message').textContent = text;
  $('attendance-message').className = ok ? 'ok' : '';
}

async function refreshAttendance() {
  const d = new Date(Date.now() - 4 * 3600 * 1000);  // the working day starts at 04:00
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const { records } = await agent.attendanceList({ from: day, to: day });
  $('attendance-records').tBodies[0].replaceChildren(...records.slice(-10).reverse().map((r) => {
    const tr = document.createElement('tr');
    for (const v of [r.at.slice(11, 16), r.displayName, r.kind === 'in' ? '出勤' : '退勤']) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    return tr;
  }));
}

agent.addEventListener('attendance.tap', (e) => {
  const t = e.detail;
  const warn = t.certExpiresSoon ? `（電子証明書の有効期限が近づいています：${t.certNotAfter.slice(0, 10)}）` : '';
  attendanceMessage(`${t.displayName}さん ${t.kind === 'in' ? '出勤' : '退勤'} ${t.at.slice(11, 16)}${warn}`, true);
  $('attendance-pin').hidden = true;
  refreshAttendance();
});
agent.addEventListener('attendance.unknown_card', () => attendanceMessage('登録されていないカードです。職員番号を入れて「カードを登録」してください。'));
agent.addEventListener('attendance.ignored', () => attendanceMessage('続けてかざされたため、1回として扱いました。'));
agent.addEventListener('attendance.refused', (e) => attendanceMessage(e.detail.message));
agent.addEventListener('attendance.pin_required', (e) => {
  pendingTap = e.detail.tap;
  const left = e.detail.retriesLeft;
  attendanceMessage(`${e.detail.displayName}さん、認証用暗証番号を入力してください。${left != null ? `（残り${left}回）` : ''}`);
  $('attendance-pin').hidden = false;
  $('attendance-pin-input').value = '';
  $('attendance-pin-input').focus();
});
$('attendance-pin-ok').addEventListener('click', async () => {
  const pinValue = $('attendance-pin-input').value;
  $('attendance-pin-input').value = '';
  try {
    const r = await agent.attendanceVerify({ tap: pendingTap, pin: pinValue });
    if (!r.recorded) attendanceMessage('続けてかざされたため、1回として扱いました。');
    $('attendance-pin').hidden = true;
  } catch (e) {
    attendanceMessage(e.message + (e.details?.retriesLeft != null ? `（残り${e.details.retriesLeft}回）` : ''));
  }
});
$('enroll-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  attendanceMessage('登録するカードを勤怠用リーダーにかざしてください。');
  try {
    const r = await agent.attendanceEnroll({ staffId: $('enroll-staff').value, displayName: $('enroll-name').value });
    attendanceMessage(`${r.staffId} のカードを登録しました（証明書の有効期限 ${r.certNotAfter.slice(0, 10)}）。`, true);
  } catch (e) {
    attendanceMessage(e.message);
  }
});
for (const b of document.querySelectorAll('#demo-taps button')) {
  b.addEventListener('click', () => agent.demoTap(b.dataset.card).catch((e) => attendanceMessage(e.message)));
}

(async () => {
  showPin();
  selectBField('b-expiry');
  await agent.connect();
  await refreshReaders();
  forms = (await agent.formsList()).forms;
  // A form whose template failed the agent's check is shown, greyed, with the reason.
  $('form-select').replaceChildren(...forms.map((f) => {
    const o = new Option(f.available === false ? `${f.title}（使用不可：${f.unavailableReason?.message ?? ''}）` : f.title, f.id);
    o.disabled = f.available === false;
    return o;
  }));
  procedures = (await agent.proceduresList()).procedures;
  $('procedure-select').replaceChildren(...procedures.map((p) => new Option(p.title, p.id)));
  renderProcedureForms();
  setMode();
  const hello = agent.hello ?? null;
  $('demo-taps').hidden = !(hello?.features ?? []).includes('demo.tap');
  await refreshAttendance();
})().catch((e) => { $('card-state').textContent = e instanceof KakanaiError ? e.message : String(e); });
