/** The guest's UTF-8 TextEncoder / TextDecoder, checked against the host's on the same inputs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { fakeContext } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

async function evaluate(expression: string): Promise<unknown> {
  const outcome = await sandbox.run(`console.log(JSON.stringify(${expression}));`, fakeContext());
  expect(outcome.error?.message).toBeUndefined();
  return JSON.parse(outcome.logs[0]?.message ?? 'null');
}

const TEXTS = ['', 'plain ascii', 'héllo wörld', '€ 20', '😀 emoji 𝄞', 'lone \ud800 surrogate', 'tail \udc00'];
const BYTES = [
  [0x68, 0x69],
  [0xe2, 0x82, 0xac],
  [0xef, 0xbb, 0xbf, 0x41],
  [0xff, 0x41, 0xc0, 0x80],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf0, 0x9f, 0x98, 0x80, 0xf4, 0x90, 0x80, 0x80],
];

describe('TextEncoder and TextDecoder globals', () => {
  it('encode to the same UTF-8 bytes as the host', async () => {
    const guest = await evaluate(`${JSON.stringify(TEXTS)}.map((t) => Array.from(new TextEncoder().encode(t)))`);
    expect(guest).toEqual(TEXTS.map((t) => Array.from(new TextEncoder().encode(t))));
  });

  it('decode valid and invalid bytes like the host, BOM included', async () => {
    const guest = await evaluate(`${JSON.stringify(BYTES)}.map((b) => new TextDecoder().decode(new Uint8Array(b)))`);
    expect(guest).toEqual(BYTES.map((b) => new TextDecoder().decode(new Uint8Array(b))));
  });

  it('encodes into a buffer, streams split sequences and throws on bad bytes when fatal', async () => {
    const script = `(() => {
      const target = new Uint8Array(4);
      const into = new TextEncoder().encodeInto('a€b', target);
      const decoder = new TextDecoder('utf8');
      const streamed = decoder.decode(new Uint8Array([0x61, 0xe2, 0x82]), { stream: true }) + decoder.decode(new Uint8Array([0xac, 0x62]));
      let fatal;
      try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])); } catch (e) { fatal = e instanceof TypeError; }
      let label;
      try { new TextDecoder('latin1'); } catch (e) { label = e instanceof RangeError; }
      const view = new TextDecoder().decode(new DataView(new TextEncoder().encode('xyz').buffer, 1));
      return [into, Array.from(target), streamed, fatal, label, view, new TextEncoder().encoding, new TextDecoder().encoding];
    })()`;
    expect(await evaluate(script)).toEqual([{ read: 2, written: 4 }, [0x61, 0xe2, 0x82, 0xac], 'a€b', true, true, 'yz', 'utf-8', 'utf-8']);
  });

  it('are the classes of the util module', async () => {
    expect(await evaluate(`[require('util').TextEncoder === TextEncoder, require('util').TextDecoder === TextDecoder]`)).toEqual([
      true,
      true,
    ]);
  });
});
