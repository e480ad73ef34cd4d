// An example integration as a counter-system vendor writes it, against the published types only:
// connect, hello (with a token when the agent has one), read the card with the PIN the resident
// types, handle every error the page must, fill a form, print, clear the session.
// Type-checked with tsc --strict; tests/client/declarations.test.mjs also runs it in Chromium.
import { KakanaiClient, KakanaiError, type ErrorCode, type Person } from 'kakanai-client';

/** What the page shows for each code (the agent's own `message` is Japanese too). */
export function clerkText(e: unknown): string {
  if (!(e instanceof KakanaiError)) return '予期しないエラーです。';
  const code: ErrorCode = e.code;
  switch (code) {
    case 'pin_wrong': return `暗証番号が違います。残り${e.details.retriesLeft ?? '?'}回です。`;
    case 'pin_last_try': return '残り1回です。職員が確認してから続けてください。';
    case 'pin_locked': return '暗証番号がロックされています。';
    case 'missing_input': return `入力が必要です: ${(e.details.inputs ?? []).join('、')}`;
    case 'glyph_missing': return `印字できない文字があります（${(e.details.codepoints ?? []).join(' ')}）。手書きしてください。`;
    default: return e.message;
  }
}

export interface CounterOutcome { name: string; authentic: boolean; pages: number; printed: boolean; errors: string[] }

export async function serveResident(url: string, pin: string, token?: string): Promise<CounterOutcome> {
  const agent = new KakanaiClient(url, { token, reconnect: false });
  const errors: string[] = [];
  let cardSeen = '';
  agent.addEventListener('card.inserted', (e) => { cardSeen = e.detail.reader; });
  agent.addEventListener('session.expired', (e) => errors.push(`expired ${e.detail.session}`));
  const hello = await agent.connect();
  if (!hello.features.includes('card.read')) throw new Error('agent cannot read cards');

  const status = await agent.cardStatus();
  if (!status.present) errors.push('no card');
  // A wrong PIN first, as a resident might type it: the page must show the tries left.
  try {
    await agent.cardRead({ pin: '12' });
  } catch (e) {
    errors.push(clerkText(e));
  }
  const { session, person, authentic } = await agent.cardRead({ pin });
  const me: Person = person;
  try {
    await agent.formFill({ form: 'juminhyo', session, values: {} });
  } catch (e) {
    errors.push(clerkText(e));
  }
  const filled = await agent.formFill({ form: 'juminhyo', session, values: { copies: 1 }, date: '2026-12-01' });
  let printed = false;
  const printers = await agent.printersList();
  if (printers.printers.length > 0) {
    const done = new Promise<boolean>((resolve) => {
      agent.addEventListener('print.completed', () => resolve(true));
      agent.addEventListener('print.failed', (e) => { errors.push(e.detail.reason); resolve(false); });
    });
    await agent.documentPrint({ document: filled.document, copies: 1 });
    printed = await done;
  }
  await agent.sessionClear(session);
  try {
    await agent.formFill({ form: 'juminhyo', session });
  } catch (e) {
    errors.push(e instanceof KakanaiError ? e.code : 'unexpected');
  }
  agent.close();
  void cardSeen;
  return { name: me.name, authentic, pages: filled.pages, printed, errors };
}
