// Kakanai form designer page. Talks only to the designer it was served by (same origin): the
// template PDF is rendered here by pdf.js; previews are filled by the agent's own engine.
import * as pdfjsLib from './pdfjs/pdf.min.mjs';

pdfjsLib.GlobalWorkerOptions.workerSrc = './pdfjs/pdf.worker.min.mjs';
const PDF_OPTIONS = { cMapUrl: './pdfjs/cmaps/', cMapPacked: true };
const PX_PER_MM = 96 / 25.4;
const SOURCES = ['person.name', 'person.address', 'person.birthDate', 'person.sex', 'date'];
const SOURCE_LABELS = { 'person.name': '氏名', 'person.address': '住所', 'person.birthDate': '生年月日', 'person.sex': '性別', date: '申請日' };
const FORMATS = [['text', 'そのまま'], ['era-date', '和暦の年月日'], ['gregorian-date', '西暦の年月日'], ['era-year', '和暦の年'],
  ['month', '月'], ['day', '日'], ['era-name', '元号'], ['year', '西暦の年']];
const WARNING_LABELS = { wrapped: '折り返し', shrunk: '縮小', condensed: '長体', fallback_font: '代替書体', overflow: 'はみ出し' };

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  for (const c of children) e.append(c);
  return e;
};

let server = { templates: [], forms: [], residents: [] };
let def = { id: '', title: '', template: '', inputs: [], fields: [] };
let selected = -1;
let group = new Set();  // further fields selected with Shift-click, moved and aligned together
let activeOption = null;
let page = 0;
let zoom = 1;
let pdfDoc = null;
let problems = [];
const undoStack = [];
const redoStack = [];

function status(text, bad = false) {
  $('status').textContent = text;
  $('status').style.color = bad ? '#ffcdd2' : '#fff';
}

async function api(path, body) {
  const raw = typeof body === 'string' || body instanceof ArrayBuffer;
  const init = body === undefined ? {} : { method: 'POST', body: raw ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' } };
  const r = await fetch(path, init);
  const type = r.headers.get('Content-Type') || '';
  const data = type.startsWith('application/json') ? await r.json() : await r.arrayBuffer();
  return { ok: r.ok, status: r.status, data };
}

// ---- undo / redo: snapshots of the whole definition ----
function change(fn) {
  undoStack.push(JSON.stringify(def));
  if (undoStack.length > 200) undoStack.shift();
  redoStack.length = 0;
  fn();
  renderAll();
}
function undo() {
  if (!undoStack.length) return;
  group = new Set();
  redoStack.push(JSON.stringify(def));
  def = JSON.parse(undoStack.pop());
  renderAll();
}
function redo() {
  if (!redoStack.length) return;
  undoStack.push(JSON.stringify(def));
  def = JSON.parse(redoStack.pop());
  renderAll();
}

const round = (v) => Math.round(v * 10) / 10;
const px = (mm) => mm * PX_PER_MM * zoom;
const mm = (p) => p / (PX_PER_MM * zoom);
const currentTemplate = () => server.templates.find((t) => t.file === def.template);
const field = () => def.fields[selected];

function clean(f) {  // drop empty properties so the saved definition stays minimal
  for (const k of Object.keys(f)) {
    if (f[k] === '' || f[k] === null || f[k] === undefined || (Array.isArray(f[k]) && !f[k].length && k !== 'fit')) delete f[k];
  }
}

// ---- the page: pdf.js rendering, ruler, boxes ----
async function loadTemplate(file) {
  pdfDoc = null;
  if (!file) return renderPage();
  const r = await api('/api/template?file=' + encodeURIComponent(file));
  if (!r.ok) return status('様式を開けません: ' + (r.data.message || r.status), true);
  pdfDoc = await pdfjsLib.getDocument({ data: new Uint8Array(r.data), ...PDF_OPTIONS }).promise;
  $('page').replaceChildren(...Array.from({ length: pdfDoc.numPages }, (_, i) => el('option', { value: i, textContent: i + 1 })));
  page = 0;
  await renderPage();
}

async function renderPage() {
  const canvas = $('pageCanvas');
  if (!pdfDoc) {
    canvas.width = canvas.height = 0;
    return renderBoxes();
  }
  const p = await pdfDoc.getPage(page + 1);
  const viewport = p.getViewport({ scale: px(25.4 / 72) });
  canvas.width = Math.round(viewport.width);
  canvas.height = Math.round(viewport.height);
  await p.render({ canvasContext: canvas.getContext('2d'), viewport }).promise;
  canvas.dataset.rendered = String(Number(canvas.dataset.rendered || 0) + 1);  // for tests and screen readers' waits
  $('zoomText').textContent = Math.round(zoom * 100) + '%';
  drawRulers(viewport.width, viewport.height);
  renderBoxes();
}

function drawRulers(w, h) {
  for (const [id, length, horizontal] of [['rulerTop', w, true], ['rulerLeft', h, false]]) {
    const c = $(id);
    c.width = horizontal ? length : 20;
    c.height = horizontal ? 20 : length;
    const g = c.getContext('2d');
    g.fillStyle = '#333';
    g.font = '9px sans-serif';
    for (let m = 0; px(m) <= length; m += 1) {
      const at = px(m);
      const tick = m % 10 === 0 ? 12 : m % 5 === 0 ? 7 : 3;
      if (zoom < 0.75 && m % 5) continue;
      if (horizontal) g.fillRect(at, 20 - tick, 1, tick); else g.fillRect(20 - tick, at, tick, 1);
      if (m % 10 === 0 && m) horizontal ? g.fillText(String(m), at + 2, 9) : g.fillText(String(m), 1, at - 2);
    }
  }
}

function boxDiv(box, label, index, extra = '') {
  const d = el('div', { className: 'box ' + extra, title: label });
  Object.assign(d.style, { left: px(box[0]) + 'px', top: px(box[1]) + 'px', width: px(box[2]) + 'px', height: px(box[3]) + 'px' });
  d.append(label);
  d.dataset.index = index;
  return d;
}

function renderBoxes() {
  const overlay = $('overlay');
  overlay.replaceChildren();
  const tmpl = currentTemplate();
  def.fields.forEach((f, i) => {
    const bad = problems.some((p) => p.field === f.name) ? ' problem' : '';
    const sel = i === selected || group.has(i) ? ' selected' : '';
    if (f.acroField && tmpl) {
      const a = (tmpl.acroFields || []).find((x) => x.name === f.acroField || x.name.endsWith('.' + f.acroField));
      if (a && a.page === page) overlay.append(boxDiv(a.box, f.name + '（' + f.acroField + '）', i, 'acro' + sel + bad));
    } else if (f.type === 'choice') {
      if ((f.page || 0) !== page) return;
      for (const [k, b] of Object.entries(f.options || {})) {
        if (Array.isArray(b)) {
          const d = boxDiv(b, k, i, 'option' + sel + bad);
          d.dataset.option = k;
          overlay.append(d);
        }
      }
    } else if (f.box && (f.page || 0) === page) {
      const d = boxDiv(f.box, f.name, i, sel + bad);
      if (i === selected) d.append(el('div', { className: 'handle' }));
      overlay.append(d);
    }
  });
}

// ---- mouse and keys on the page ----
let drag = null;
function pointMm(e) {
  const r = $('overlay').getBoundingClientRect();
  return [mm(e.clientX - r.left), mm(e.clientY - r.top)];
}
function tool() { return document.querySelector('input[name=tool]:checked').value; }

function newField(box) {
  let n = def.fields.length + 1;
  while (def.fields.some((f) => f.name === 'field' + n)) n++;
  const f = { name: 'field' + n, source: 'person.name', box, size: 12, minSize: 8, fit: ['shrink', 'condense'] };
  if (page) f.page = page;
  def.fields.push(f);
  selected = def.fields.length - 1;
  group = new Set();
}

$('overlay').addEventListener('mousedown', async (e) => {
  const [x, y] = pointMm(e);
  $('overlay').focus({ preventScroll: true });  // for the arrow keys; scrolling now would move the point
  const target = e.target.closest('.box');
  const t = tool();
  if (t === 'cell') {
    const r = await api(`/api/cell?template=${encodeURIComponent(def.template)}&page=${page}&x=${x}&y=${y}`);
    if (!r.ok || !r.data.box) return status('ここには罫線で囲まれた枠が見つかりません。枠を描いてください。', true);
    const f = field();
    change(() => {
      if (f && f.type !== 'choice' && !f.acroField) f.box = r.data.box; else newField(r.data.box);
    });
    return status(`枠 ${r.data.box.join(', ')} mm`);
  }
  if (t === 'option') {
    const f = field();
    if (!f || f.type !== 'choice' || !activeOption) return status('選択肢の欄を選び、設定で位置を決める選択肢を選んでください。', true);
    change(() => {
      f.options = f.options || {};
      f.options[activeOption] = [round(x - 3), round(y - 3), 6, 6];
      const next = Object.keys(f.options).find((k) => !Array.isArray(f.options[k]));
      activeOption = next || null;
    });
    return;
  }
  if (target && t === 'select') {
    const index = Number(target.dataset.index);
    if (e.shiftKey && selected >= 0 && index !== selected) {
      group.has(index) ? group.delete(index) : group.add(index);
      return renderAll();
    }
    if (index !== selected) group = new Set();
    selected = index;
    const f = field();
    const opt = target.dataset.option;
    const box = opt ? f.options[opt] : f.box;
    if (!box) return renderAll();
    undoStack.push(JSON.stringify(def));
    redoStack.length = 0;
    drag = { kind: e.target.classList.contains('handle') ? 'resize' : 'move', x, y, start: [...box], opt };
    renderAll();
    return;
  }
  if (t === 'draw') drag = { kind: 'draw', x, y };
});

window.addEventListener('mousemove', (e) => {
  if (!drag) return;
  const [x, y] = pointMm(e);
  const dx = x - drag.x, dy = y - drag.y;
  if (drag.kind === 'draw') {
    let r = $('overlay').querySelector('.rubber');
    if (!r) $('overlay').append(r = el('div', { className: 'rubber' }));
    Object.assign(r.style, { left: px(Math.min(x, drag.x)) + 'px', top: px(Math.min(y, drag.y)) + 'px',
      width: px(Math.abs(dx)) + 'px', height: px(Math.abs(dy)) + 'px' });
    return;
  }
  const f = field();
  const b = drag.start;
  const nb = drag.kind === 'move' ? [round(b[0] + dx), round(b[1] + dy), b[2], b[3]]
    : [b[0], b[1], Math.max(1, round(b[2] + dx)), Math.max(1, round(b[3] + dy))];
  if (drag.opt) f.options[drag.opt] = nb; else f.box = nb;
  renderBoxes();
});

window.addEventListener('mouseup', (e) => {
  if (!drag) return;
  const d = drag;
  drag = null;
  if (d.kind === 'draw') {
    const [x, y] = pointMm(e);
    if (Math.abs(x - d.x) < 1 || Math.abs(y - d.y) < 1) return renderBoxes();
    change(() => newField([round(Math.min(x, d.x)), round(Math.min(y, d.y)), round(Math.abs(x - d.x)), round(Math.abs(y - d.y))]));
  } else {
    renderAll();
  }
});

// Arrow keys: 0.5 mm; with Shift the size changes instead.
$('overlay').addEventListener('keydown', (e) => {
  const f = field();
  const step = { ArrowLeft: [-0.5, 0], ArrowRight: [0.5, 0], ArrowUp: [0, -0.5], ArrowDown: [0, 0.5] }[e.key];
  if (!f || !step || !f.box) return;
  e.preventDefault();
  change(() => {
    for (const g of [f, ...[...group].map((i) => def.fields[i])]) {
      const b = g && g.box;
      if (!b) continue;
      if (e.shiftKey) g.box = [b[0], b[1], Math.max(0.5, round(b[2] + step[0])), Math.max(0.5, round(b[3] + step[1]))];
      else g.box = [round(b[0] + step[0]), round(b[1] + step[1]), b[2], b[3]];
    }
  });
});

document.addEventListener('keydown', (e) => {
  if (e.target.matches('input, select, textarea')) return;
  if (e.ctrlKey && e.key === 'z') { e.preventDefault(); undo(); }
  if (e.ctrlKey && (e.key === 'y' || (e.shiftKey && e.key === 'Z'))) { e.preventDefault(); redo(); }
});

// ---- the panels ----
function renderFieldList() {
  $('fieldList').replaceChildren(...def.fields.map((f, i) => {
    const mine = problems.filter((p) => p.field === f.name);
    const li = el('li', { className: i === selected ? 'selected' : '', textContent: `${f.name}（${SOURCE_LABELS[f.source] || f.source}）` });
    if (mine.length) li.append(el('div', { className: 'err', textContent: mine.map((p) => (p.resident ? p.resident + ': ' : '') + p.message).join(' / ') }));
    li.addEventListener('click', () => {
      selected = i;
      group = new Set();
      if ((f.page || 0) !== page && !f.acroField) { page = f.page || 0; $('page').value = page; renderPage(); }
      renderAll();
    });
    return li;
  }));
  const formProblems = problems.filter((p) => !p.field);
  if (formProblems.length) $('fieldList').append(...formProblems.map((p) => el('li', { className: 'err', textContent: p.message })));
}

function sourceOptions() {
  return [...SOURCES, ...def.inputs.map((i) => 'values.' + i.name)];
}

function input(label, value, onChange, type = 'text', extra = {}) {
  const i = el('input', { type, value: value ?? '', ...extra });
  i.addEventListener('change', () => change(() => onChange(type === 'number' ? (i.value === '' ? '' : Number(i.value)) : i.value)));
  return el('label', {}, label + ' ', i);
}
function select(label, value, options, onChange) {
  const s = el('select', {}, ...options.map(([v, t]) => el('option', { value: v, textContent: t, selected: v === (value ?? '') })));
  s.addEventListener('change', () => change(() => onChange(s.value)));
  return el('label', {}, label + ' ', s);
}

function choiceValues(f) {
  if (f.source === 'person.sex') return ['male', 'female'];
  if (f.format === 'era-name') return ['明治', '大正', '昭和', '平成', '令和'];
  const inp = def.inputs.find((i) => 'values.' + i.name === f.source);
  return inp && inp.options ? inp.options : [];
}

function renderProps() {
  const body = $('propsBody');
  const f = field();
  if (!f) return body.replaceChildren(el('p', { className: 'hint', textContent: '欄を選ぶか、頁の上に枠を描いてください。' }));
  const set = (k) => (v) => { f[k] = v; clean(f); };
  const rows = [
    input('欄の名前', f.name, set('name')),
    select('種類', f.type || 'text', [['text', '文字'], ['choice', '選択肢（○を付ける）'], ['grid', '一字ずつの升目']], (v) => {
      f.type = v === 'text' ? '' : v;
      if (v === 'choice') { f.options = f.options || {}; delete f.box; }
      clean(f);
    }),
    select('内容', f.source, sourceOptions().map((s) => [s, SOURCE_LABELS[s] || s]), set('source')),
    select('書式', f.format || 'text', FORMATS, (v) => { f.format = v === 'text' ? '' : v; clean(f); }),
    input('頁', (f.page || 0) + 1, (v) => { f.page = Math.max(0, (v || 1) - 1) || ''; clean(f); }, 'number', { min: 1 }),
  ];
  if (f.type !== 'choice') {
    const b = f.box || ['', '', '', ''];
    rows.push(el('div', {}, ...['x', 'y', '幅', '高さ'].map((n, k) => input(n + '(mm)', b[k], (v) => {
      const nb = [...(f.box || [0, 0, 10, 5])];
      nb[k] = Number(v);
      f.box = nb;
    }, 'number', { step: 0.5 }))));
    rows.push(
      select('書体', f.font || 'mincho', [['mincho', '明朝'], ['gothic', 'ゴシック'], ['fallback', '代替']], (v) => { f.font = v === 'mincho' ? '' : v; clean(f); }),
      input('文字の大きさ(pt)', f.size, set('size'), 'number', { step: 0.5 }),
      input('最小(pt)', f.minSize, set('minSize'), 'number', { step: 0.5 }),
      input('行数', f.maxLines, set('maxLines'), 'number', { min: 1, max: 20 }),
      select('揃え', f.align || 'start', [['start', '左（上）'], ['center', '中央'], ['end', '右（下）']], (v) => { f.align = v === 'start' ? '' : v; clean(f); }),
      select('方向', f.direction || 'horizontal', [['horizontal', '横書き'], ['vertical', '縦書き']], (v) => { f.direction = v === 'horizontal' ? '' : v; clean(f); }),
      select('改行', f.breaks || 'plain', [['plain', '通常'], ['address', '住所の区切り']], (v) => { f.breaks = v === 'plain' ? '' : v; clean(f); }),
      el('div', {}, '収め方 ', ...['wrap', 'shrink', 'condense'].map((step) => {
        const c = el('input', { type: 'checkbox', checked: (f.fit || []).includes(step) });
        c.addEventListener('change', () => change(() => {
          const fit = new Set(f.fit || []);
          c.checked ? fit.add(step) : fit.delete(step);
          f.fit = ['wrap', 'shrink', 'condense'].filter((s) => fit.has(s));
        }));
        return el('label', {}, c, { wrap: '折り返し', shrink: '縮小', condense: '長体' }[step]);
      })),
      input('長体の下限', f.minScale, set('minScale'), 'number', { step: 0.05, min: 0.35, max: 1 }),
      input('余白(pt)', f.padding, set('padding'), 'number', { step: 0.5 }),
      input('字取り（n字まで,em）', (f.distribute || []).map((d) => d.upTo + ':' + d.em).join(' '), (v) => {
        f.distribute = String(v).split(/\s+/).filter(Boolean).map((p) => { const [u, m] = p.split(':').map(Number); return { upTo: u, em: m }; });
        clean(f);
      }),
    );
    if (f.type === 'grid') {
      rows.push(input('升目の数', f.cells, set('cells'), 'number', { min: 1, max: 40 }),
        input('区切り（例 3,4）', (f.groups || []).join(','), (v) => { f.groups = String(v).split(',').filter(Boolean).map(Number); clean(f); }));
    }
    if (f.acroField) rows.push(el('div', {}, `フォーム欄: ${f.acroField} `, Object.assign(el('button', { textContent: '解除' }), {
      onclick: () => change(() => { delete f.acroField; f.box = f.box || [10, 10, 40, 8]; }) })));
  } else {
    rows.push(select('印', f.mark || 'ellipse', [['ellipse', '○で囲む'], ['check', 'レ点'], ['cross', '×']], (v) => { f.mark = v === 'ellipse' ? '' : v; clean(f); }));
    const opts = f.options || {};
    const table = el('table', {}, el('tr', {}, ...['選択肢', '位置 x, y, 幅, 高さ (mm)', ''].map((t) => el('th', { textContent: t }))));
    for (const [k, b] of Object.entries(opts)) {
      const pick = el('button', { textContent: activeOption === k ? 'クリック待ち…' : '頁で位置をクリック' });
      pick.onclick = () => {
        activeOption = k;
        document.querySelector('input[name=tool][value=option]').checked = true;
        renderProps();
      };
      const del = el('button', { textContent: '削除' });
      del.onclick = () => change(() => { delete opts[k]; });
      table.append(el('tr', {}, el('td', { textContent: k }), el('td', { textContent: Array.isArray(b) ? b.join(', ') : 'フォーム欄 ' + b }),
        el('td', {}, pick, del)));
    }
    const fillKeys = el('button', { textContent: '選択肢を内容から入れる' });
    fillKeys.onclick = () => change(() => {
      f.options = f.options || {};
      for (const v of choiceValues(f)) if (!(v in f.options)) f.options[v] = null;
      activeOption = Object.keys(f.options).find((k) => !Array.isArray(f.options[k])) || null;
      if (activeOption) document.querySelector('input[name=tool][value=option]').checked = true;
    });
    rows.push(table, fillKeys);
  }
  body.replaceChildren(...rows);
}

function renderInputs() {
  $('inputs').tBodies[0].replaceChildren(...def.inputs.map((inp, i) => {
    const cell = (v, on, type = 'text') => {
      const x = el('input', { type, value: v ?? '', checked: type === 'checkbox' && !!v });
      x.addEventListener('change', () => change(() => on(type === 'checkbox' ? x.checked : x.value)));
      return el('td', {}, x);
    };
    const kind = el('select', {}, ...[['text', '文字'], ['number', '数'], ['date', '日付'], ['choice', '選択']].map(([v, t]) =>
      el('option', { value: v, textContent: t, selected: v === inp.type })));
    kind.addEventListener('change', () => change(() => { inp.type = kind.value; if (kind.value !== 'choice') delete inp.options; }));
    const del = el('button', { textContent: '削除' });
    del.onclick = () => change(() => def.inputs.splice(i, 1));
    return el('tr', {}, cell(inp.name, (v) => { inp.name = v; }), cell(inp.label, (v) => { inp.label = v; }), el('td', {}, kind),
      cell(inp.required, (v) => { inp.required = v; }, 'checkbox'),
      cell((inp.options || []).join('、'), (v) => { inp.options = v.split(/[、,]/).map((s) => s.trim()).filter(Boolean); }), el('td', {}, del));
  }));
}

function renderAcro() {
  const tmpl = currentTemplate();
  const list = (tmpl && tmpl.acroFields) || [];
  if (!list.length) return $('acroList').replaceChildren(el('li', { className: 'hint', textContent: 'この様式にはフォーム欄がありません。' }));
  $('acroList').replaceChildren(...list.map((a) => {
    const bound = def.fields.find((f) => f.acroField === a.name || Object.values(f.options || {}).includes(a.name));
    const f0 = field();
    const asOption = f0 && f0.type === 'choice' && activeOption;
    const b = el('button', { textContent: bound ? `「${bound.name}」に割り当て済み` : asOption ? `選択肢「${activeOption}」に割り当て` : '選択中の欄に割り当て' });
    b.disabled = !!bound;
    b.onclick = () => change(() => {
      if (asOption) {  // a checkbox of the template is this option's mark
        f0.options[activeOption] = a.name;
        activeOption = Object.keys(f0.options).find((k) => f0.options[k] === null) || null;
        return;
      }
      let f = field();
      if (!f || f.type === 'choice') { newField(undefined); f = field(); }
      f.acroField = a.name;
      delete f.box;
      delete f.page;
    });
    return el('li', {}, `${a.name}（${a.kind}、${a.page + 1}頁） `, b);
  }));
}

function renderAll() {
  $('formId').value = def.id || '';
  $('formTitle').value = def.title || '';
  renderBoxes();
  renderFieldList();
  renderProps();
  renderInputs();
  renderAcro();
}

function definitionForSave() {
  const d = JSON.parse(JSON.stringify(def));
  d.fields.forEach((f) => {
    clean(f);
    if (f.options) for (const k of Object.keys(f.options)) if (f.options[k] === null) delete f.options[k];
  });
  if (!d.inputs.length) delete d.inputs;
  if (!d.paper) delete d.paper;
  return d;
}

// ---- preview, check, save, import ----
async function preview() {
  const values = {};
  for (const i of def.inputs) values[i.name] = i.type === 'choice' ? (i.options || [])[0] : i.type === 'date' ? server.date : i.type === 'number' ? '1' : '記入例';
  const r = await api('/api/preview', { definition: definitionForSave(), resident: $('resident').value, values });
  const list = $('warnings');
  if (!r.ok) {
    problems = r.data.problems || [];
    list.replaceChildren(...problems.map((p) => el('li', { className: 'problem', textContent: p.message })));
    return renderAll();
  }
  list.replaceChildren(...(r.data.warnings.length ? r.data.warnings.map((w) =>
    el('li', { className: w.code, textContent: `${w.field}: ${WARNING_LABELS[w.code] || w.code} ${w.detail || ''}` }))
    : [el('li', { textContent: '注意はありません。' })]));
  const bytes = Uint8Array.from(atob(r.data.pdf), (c) => c.charCodeAt(0));
  const doc = await pdfjsLib.getDocument({ data: bytes, ...PDF_OPTIONS }).promise;
  const p = await doc.getPage(page + 1);
  const viewport = p.getViewport({ scale: px(25.4 / 72) });
  const c = $('previewCanvas');
  c.width = viewport.width;
  c.height = viewport.height;
  await p.render({ canvasContext: c.getContext('2d'), viewport }).promise;
  const over = $('previewOverlay');
  over.replaceChildren();
  const overflowing = new Set(r.data.warnings.filter((w) => w.code === 'overflow').map((w) => w.field));
  for (const l of r.data.layout) {
    if (l.page !== page || !overflowing.has(l.field)) continue;
    const d = el('div', { className: 'outline', title: l.field });
    Object.assign(d.style, { left: px(l.box[0]) + 'px', top: px(l.box[1]) + 'px', width: px(l.box[2]) + 'px', height: px(l.box[3]) + 'px' });
    over.append(d);
  }
  status('プレビューしました（' + $('resident').selectedOptions[0].textContent + '）');
}

async function checkAll() {
  const r = await api('/api/check', definitionForSave());
  problems = r.data.problems || [];
  $('warnings').replaceChildren(...(problems.length ? problems.map((p) => el('li', { className: 'problem',
    textContent: `${p.field || '帳票'}${p.resident ? '（' + p.resident + '）' : ''}: ${p.message}` }))
    : [el('li', { textContent: `${r.data.residents}人の見本すべてで問題はありません。` })]));
  status(problems.length ? `問題が ${problems.length} 件あります` : '問題はありません', problems.length > 0);
  renderAll();
}

async function save() {
  const r = await api('/api/save', definitionForSave());
  problems = r.data.problems || [];
  if (r.data.saved) {
    status(`保存しました: ${r.data.file}`);
    await refresh(def.id);
  } else {
    status(`保存できません（問題 ${problems.length} 件）。欄の一覧を見てください。`, true);
  }
  renderAll();
}

async function refresh(keepForm) {
  const r = await api('/api/state');
  server = r.data;
  $('template').replaceChildren(el('option', { value: '', textContent: '（選んでください）' }),
    ...server.templates.map((t) => el('option', { value: t.file, textContent: t.file + (t.error ? '（開けません）' : '') })));
  $('form').replaceChildren(el('option', { value: '', textContent: '（新しい帳票）' }),
    ...server.forms.map((f) => el('option', { value: f.id, textContent: `${f.id} ${f.title}` })));
  $('resident').replaceChildren(...server.residents.map((x) => el('option', { value: x.id, textContent: `${x.id}${x.note ? '（' + x.note + '）' : ''}` })));
  $('template').value = def.template;
  if (keepForm) $('form').value = keepForm;
}

$('template').addEventListener('change', () => change(() => { def.template = $('template').value; }) || loadTemplate($('template').value));
$('form').addEventListener('change', async () => {
  const id = $('form').value;
  if (!id) { def = { id: '', title: '', template: def.template, inputs: [], fields: [] }; selected = -1; return renderAll(); }
  const r = await api('/api/form?id=' + encodeURIComponent(id));
  if (!r.ok) return status(r.data.message, true);
  def = { inputs: [], ...r.data };
  selected = -1;
  undoStack.length = redoStack.length = 0;
  $('template').value = def.template;
  await loadTemplate(def.template);
  renderAll();
});
$('formId').addEventListener('change', () => change(() => { def.id = $('formId').value.trim(); }));
$('formTitle').addEventListener('change', () => change(() => { def.title = $('formTitle').value.trim(); }));
$('page').addEventListener('change', () => { page = Number($('page').value); renderPage(); });
$('zoomIn').onclick = () => { zoom = Math.min(4, zoom * 1.25); renderPage(); };
$('zoomOut').onclick = () => { zoom = Math.max(0.4, zoom / 1.25); renderPage(); };
$('undo').onclick = undo;
$('redo').onclick = redo;
$('addField').onclick = () => change(() => newField([10, 10, 40, 8]));
$('deleteField').onclick = () => selected >= 0 && change(() => { def.fields.splice(selected, 1); selected = -1; group = new Set(); });
$('addInput').onclick = () => change(() => def.inputs.push({ name: 'input' + (def.inputs.length + 1), label: '入力', type: 'text', required: false }));
$('alignLeft').onclick = () => alignTo(0);
$('alignTop').onclick = () => alignTo(1);
$('preview').onclick = preview;
$('checkAll').onclick = checkAll;
$('save').onclick = save;
$('import').addEventListener('change', async () => {
  const file = $('import').files[0];
  if (!file) return;
  const r = await api('/api/import?name=' + encodeURIComponent(file.name), await file.arrayBuffer());
  status(r.data.message || (r.ok ? '取り込みました' : '取り込めません'), !r.ok);
  if (r.ok) await refresh();
});

// Align the Shift-selected fields (or, with none, those of this page within 5 mm) on the selected
// one's left (0) or top (1) edge.
function alignTo(axis) {
  const f = field();
  if (!f || !f.box) return;
  const same = group.size ? [...group].map((i) => def.fields[i]).filter((g) => g && g.box)
    : def.fields.filter((g) => g !== f && g.box && (g.page || 0) === page && Math.abs(g.box[axis] - f.box[axis]) < 5);
  change(() => same.forEach((g) => { g.box[axis] = f.box[axis]; }));
}

window.designer = { get definition() { return definitionForSave(); }, get selected() { return selected; }, get group() { return [...group]; } };
await refresh();
renderAll();
status('準備ができました');
