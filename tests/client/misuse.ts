// What a vendor's tsc --strict must refuse. Every line below is a mistake; @ts-expect-error makes
// tsc fail if the declarations ever stop catching it.
import { KakanaiClient, type ErrorCode } from 'kakanai-client';

export async function mistakes(agent: KakanaiClient): Promise<void> {
  // @ts-expect-error a misspelt command
  await agent.request('card.raed', { pin: '1234' });
  // @ts-expect-error card.read without its pin
  await agent.request('card.read', {});
  // @ts-expect-error cardRead without its pin
  await agent.cardRead({ reader: 'PaSoRi' });
  // @ts-expect-error a PIN and verification number B at once
  await agent.cardRead({ pin: '1234', verificationB: { digits: '55021720352285' } });
  // @ts-expect-error B from the card face needs its security code
  await agent.cardRead({ verificationB: { birthDate: '1980-02-17', expiryYear: '2035' } });
  // @ts-expect-error form.fill needs a session or a person
  await agent.formFill({ form: 'juminhyo' });
  // @ts-expect-error an unknown field of document.print
  await agent.documentPrint({ document: 'd1', copys: 2 });
  // @ts-expect-error a misspelt event
  agent.addEventListener('card.insert', () => {});
  agent.addEventListener('print.failed', (e) => {
    // @ts-expect-error print.failed has reason, not error
    console.log(e.detail.error);
  });
  const r = await agent.cardRead({ pin: '1234' });
  // @ts-expect-error the person has no phone field
  console.log(r.person.phone);
  // @ts-expect-error a misspelt error code
  const code: ErrorCode = 'pin_wrnog';
  void code;
  // @ts-expect-error the protocol number is 1
  await agent.request('hello', { protocol: 2 });
}
