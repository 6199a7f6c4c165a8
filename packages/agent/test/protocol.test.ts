import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packReport, unpackReport } from '../src/protocol.js';

describe('report files on their way through Redis', () => {
  it('sends a small report as it is and a large one gzip-compressed; both come back byte for byte', () => {
    const small = Buffer.from(JSON.stringify({ status: 'passed', scenarios: [{ name: 'one' }] }, null, 2));
    const large = Buffer.from(`<html>${'<tr><td>step</td><td>passed</td></tr>\n'.repeat(2_000)}</html>`);
    expect(packReport(small)).toBe(small);
    const packed = packReport(large);
    expect([packed[0], packed[1]]).toEqual([0x1f, 0x8b]);
    expect(packed.length).toBeLessThan(large.length / 10);
    expect(unpackReport(packReport(small)).equals(small)).toBe(true);
    expect(unpackReport(packed).equals(large)).toBe(true);
  });

  it('reads what an agent of the version before stored (every report gzip-compressed)', () => {
    const report = Buffer.from('{"status":"passed"}');
    expect(unpackReport(gzipSync(report)).equals(report)).toBe(true);
    expect(unpackReport(Buffer.alloc(0)).length).toBe(0);
  });
});
