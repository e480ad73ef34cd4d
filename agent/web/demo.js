// The demo counter page: what a counter system does with the agent, in plain JavaScript.
import { KakanaiClient, KakanaiError } from './kakanai-client.js';

const $ = (id) => document.getElementById(id);
const agent = new KakanaiClient(`ws://${location.host}/v1/ws`);
let pin = '';
let session = null;
let documentId = null;
let previewUrl = null;
let forms = [];

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

function renderInputs() {
  const form = forms.find((f) => f.id === $('form-select').value);
  $('inputs').replaceChildren(...(form?.inputs ?? []).map((input) => {
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
    return label;
  }));
}

async function fill() {
  $('fill-message').textContent = '';
  $('warnings').replaceChildren();
  const values = {};
  for (const el of $('inputs').elements) if (el.name && el.value !== '') values[el.name] = el.value;
  try {
    const r = await agent.formFill({ form: $('form-select').value, session, values });
    documentId = r.document;
    const bytes = Uint8Array.from(atob(r.pdfBase64), (c) => c.charCodeAt(0));
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
    $('preview').src = previewUrl;
    $('print').disabled = false;
    const names = { shrunk: '縮小', wrapped: '折り返し', condensed: '長体', fallback_font: '外字フォント', overflow: '収まりません（要確認）' };
    $('warnings').replaceChildren(...r.warnings.map((w) => {
      const li = document.createElement('li');
      li.textContent = `${w.field}: ${names[w.code] ?? w.code} ${w.detail}`;
      return li;
    }));
  } catch (e) {
    const extra = e.details?.codepoints ? `：${e.details.codepoints.join('、')}` : e.details?.inputs ? `：${e.details.inputs.join('、')}` : '';
    $('fill-message').textContent = e.message + extra;
  }
}

async function print() {
  $('print-message').textContent = '';
  $('print-message').className = '';
  try {
    const r = await agent.documentPrint({ document: documentId, copies: Number($('copies').value) });
    $('print-message').textContent = `印刷を依頼しました（${r.printer}）。`;
    $('print-message').className = 'ok';
  } catch (e) {
    $('print-message').textContent = e.message;
  }
}

async function clearSession() {
  if (session) await agent.sessionClear(session).catch(() => {});
  session = null;
  documentId = null;
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = null;
  $('preview').removeAttribute('src');
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
$('form-select').addEventListener('change', renderInputs);
$('fill').addEventListener('click', fill);
$('print').addEventListener('click', print);
$('clear-session').addEventListener('click', clearSession);

for (const ev of ['reader.added', 'reader.removed', 'card.inserted', 'card.removed']) {
  agent.addEventListener(ev, () => refreshReaders());
}
agent.addEventListener('card.removed', () => { pin = ''; showPin(); });
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
  await agent.connect();
  await refreshReaders();
  forms = (await agent.formsList()).forms;
  $('form-select').replaceChildren(...forms.map((f) => new Option(f.title, f.id)));
  renderInputs();
  const hello = agent.hello ?? null;
  $('demo-taps').hidden = !(hello?.features ?? []).includes('demo.tap');
  await refreshAttendance();
})().catch((e) => { $('card-state').textContent = e instanceof KakanaiError ? e.message : String(e); });
