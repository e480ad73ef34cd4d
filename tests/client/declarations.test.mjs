// The typed client as a vendor uses it:
//  - kakanai-client.d.ts names exactly the commands, events and error codes of the agent's own
//    tables (hello's feature table of a running agent; the error-code and event-name tables of
//    its source), and its package version is the agent's (CMake project version, /health);
//  - tsc --strict --noEmit accepts the example integration and refuses every mistake in misuse.ts;
//  - the example, compiled, runs in Debian's Chromium against a demo agent from another origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const web = path.join(root, 'agent/web');
const agentBin = process.env.KAKANAI_AGENT_BIN;
const dts = readFileSync(path.join(web, 'kakanai-client.d.ts'), 'utf8');
const port = 49100 + (process.pid % 200);
let work, agent;
let server, browser;
const files = {};
async function startPageServer() {  // the vendor's counter system: another origin than the agent's
  server = createServer((req, res) => {
    const f = files[new URL(req.url, 'http://x').pathname];
    if (!f) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': f[1] }).end(readFileSync(f[0]));
  });
  files['/'] = [path.join(here, 'example.html'), 'text/html'];
  files['/kakanai-client.js'] = [path.join(here, 'node_modules/kakanai-client/kakanai-client.js'), 'text/javascript'];
  await new Promise((r) => server.listen(port + 1, '127.0.0.1', r));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}


function block(name) {  // the body of `export interface NAME { … }` or `export type NAME = …;`
  const m = dts.match(new RegExp(`export (?:interface ${name} \\{([\\s\\S]*?)\\n\\}|type ${name} =([\\s\\S]*?);)`));
  assert.ok(m, `no ${name} in kakanai-client.d.ts`);
  return m[1] ?? m[2];
}
const keysOf = (body) => [...body.matchAll(/^  '([a-z_.]+)'\s*:/gm)].map((m) => m[1]).sort();
const literals = (text) => [...text.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'kakanai-client-'));
  // Strong attendance mode and demo mode: hello's features then list every command there is.
  writeFileSync(path.join(work, 'agent.json'), JSON.stringify({ attendance: { strong: true, store: path.join(work, 'a.sqlite') } }));
  agent = spawn(agentBin, ['serve', '--demo', '--port', String(port), '--config', path.join(work, 'agent.json'),
    '--allow-origin', `http://127.0.0.1:${port + 1}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  await startPageServer();
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return; } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('agent did not start');
});
after(async () => {
  await browser?.close();
  server?.close();
  agent?.kill();
  rmSync(work, { recursive: true, force: true });
});

// hello from a page of the allowed origin (Node's own WebSocket is not in every Debian Node).
async function hello() {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port + 1}/kakanai-client.js`);
  const r = await page.evaluate((url) => new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.onerror = () => reject(new Error('no connection'));
    ws.onopen = () => ws.send(JSON.stringify({ id: 'h', type: 'hello', protocol: 1 }));
    ws.onmessage = (m) => { ws.close(); resolve(JSON.parse(m.data)); };
  }), `ws://127.0.0.1:${port}/v1/ws`);
  await page.close();
  return r.result;
}

test('the declared commands are the ones the agent lists in hello', async () => {
  const { features } = await hello();
  const notCommands = agentTables().features;
  assert.ok(notCommands.includes('card.read.verificationB'));
  assert.ok(features.includes('card.read.verificationB'));
  const agentCommands = ['hello', ...features.filter((f) => f.includes('.') && !notCommands.includes(f))].sort();
  assert.deepEqual(keysOf(block('Commands')), agentCommands);
});

// The agent's own tables, as it runs on them.
const agentTables = () => JSON.parse(execFileSync(agentBin, ['protocol', '--json'], { encoding: 'utf8' }));

test('the declared error codes are the agent\'s table of codes', () => {
  const agentCodes = [...agentTables().errorCodes].sort();
  assert.ok(agentCodes.length > 20);
  const declared = literals(block('ErrorCode').replace('| ClientErrorCode', ''));
  assert.deepEqual([...declared].sort(), agentCodes);
  assert.deepEqual(literals(block('ClientErrorCode')), ['disconnected']);
});

test('the declared warnings, printer states, reader roles and attendance kinds are the agent\'s', () => {
  const t = agentTables();
  assert.deepEqual(literals(block('WarningCode')).sort(), [...t.warningCodes].sort());
  assert.deepEqual(literals(block('PrinterState')).sort(), [...t.printerStates].sort());
  assert.deepEqual(literals(block('ReaderRole')).sort(), [...t.readerRoles].sort());
  assert.deepEqual(literals(block('AttendanceKind')).sort(), [...t.attendanceKinds].sort());
});

test('the declared events are the ones the agent emits', () => {
  const emitted = [...agentTables().events].sort();
  assert.ok(emitted.length >= 10, emitted.join(' '));
  assert.deepEqual(keysOf(block('AgentEvents')), emitted);
});

test('the npm package has the agent\'s version', async () => {
  const pkg = JSON.parse(readFileSync(path.join(web, 'package.json'), 'utf8'));
  const cmake = readFileSync(path.join(root, 'CMakeLists.txt'), 'utf8').match(/project\(kakanai VERSION ([0-9.]+)/)[1];
  assert.equal(pkg.version, cmake);
  assert.equal((await (await fetch(`http://127.0.0.1:${port}/health`)).json()).version, cmake);
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), []);
  assert.equal(pkg.exports['.'].types, './kakanai-client.d.ts');
});

test('tsc --strict accepts the example and refuses every mistake', () => {
  execFileSync(process.execPath, [path.join(here, 'node_modules/typescript/bin/tsc'), '-p', path.join(here, 'tsconfig.json')],
    { stdio: 'inherit' });
  // Without the @ts-expect-error marks, each of misuse.ts's mistakes is an error of its own.
  const bare = readFileSync(path.join(here, 'misuse.ts'), 'utf8').replaceAll('// @ts-expect-error', '//');
  writeFileSync(path.join(here, 'misuse.bare.ts'), bare);
  try {
    let out = '';
    try {
      execFileSync(process.execPath, [path.join(here, 'node_modules/typescript/bin/tsc'), '--strict', '--noEmit', '--target', 'ES2022',
        '--module', 'ES2022', '--moduleResolution', 'bundler', '--lib', 'ES2022,DOM', path.join(here, 'misuse.bare.ts')], { encoding: 'utf8' });
    } catch (e) { out = e.stdout; }
    const marks = (readFileSync(path.join(here, 'misuse.ts'), 'utf8').match(/^ *\/\/ @ts-expect-error/gm) ?? []).length;
    assert.equal((out.match(/error TS/g) ?? []).length, marks, out);
  } finally {
    rmSync(path.join(here, 'misuse.bare.ts'), { force: true });
  }
});

test('the example integration runs in Chromium against the agent', { timeout: 90000 }, async () => {
  const out = path.join(work, 'js');
  execFileSync(process.execPath, [path.join(here, 'node_modules/typescript/bin/tsc'), '--strict', '--target', 'ES2022', '--module', 'ES2022',
    '--moduleResolution', 'bundler', '--lib', 'ES2022,DOM', '--outDir', out, path.join(here, 'example.ts')], { stdio: 'inherit' });
  files['/example.js'] = [path.join(out, 'example.js'), 'text/javascript'];
  {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port + 1}/?agent=${encodeURIComponent(`ws://127.0.0.1:${port}/v1/ws`)}&pin=1234`);
    await page.waitForFunction(() => window.outcome, null, { timeout: 60000 });
    const r = await page.evaluate(() => window.outcome);
    assert.equal(r.failed, undefined, JSON.stringify(r));
    assert.equal(r.authentic, true);
    assert.ok(r.name.length > 0);
    assert.ok(r.pages >= 1);
    assert.ok(r.errors.includes('暗証番号は数字4桁で入力してください。'), JSON.stringify(r.errors));
    assert.ok(r.errors.some((e) => e.startsWith('入力が必要です: ') && e.includes('copies')), JSON.stringify(r.errors));
    assert.equal(r.errors.at(-1), 'unknown_session');
  }
});
