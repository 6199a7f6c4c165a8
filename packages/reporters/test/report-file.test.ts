import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReportFile, writeReportFile } from '../src/shared/report-file.js';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function reportPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sortie-report-file-test-'));
  dirs.push(dir);
  return join(dir, 'sub', 'report.txt');
}

describe('ReportFile', () => {
  /** Text and bytes of every size the buffer meets: multi-byte text at the buffer's end, parts larger than it, a reused chunk. */
  const produceMixed = (runs: number, expected: string[]) => async (out: ReportFile) => {
    const reused = Buffer.alloc(100);
    for (let i = 0; i < runs; i++) {
      const text = `é€💳 run ${i},`;
      await out.write(text);
      expected.push(text);
      // The same buffer each time, rewritten once the write resolved.
      const bytes = Buffer.from(`[${i}]`);
      bytes.copy(reused);
      await out.writeBytes(reused.subarray(0, bytes.length));
      expected.push(`[${i}]`);
    }
    const large = `${'ü'.repeat(50 * 1024)}😀`;
    await out.write(large);
    expected.push(large);
    const largeBytes = Buffer.from('b'.repeat(200 * 1024));
    await out.writeBytes(largeBytes);
    expected.push(largeBytes.toString());
    await out.write('');
    await out.write('end\n');
    expected.push('end\n');
  };

  it('writes text and bytes in order through its buffer: multi-byte text at the buffer end, parts larger than the buffer, a reused chunk', async () => {
    const file = reportPath();
    const expected: string[] = [];
    await writeReportFile(file, produceMixed(5000, expected));
    expect(readFileSync(file, 'utf8')).toBe(expected.join(''));
  });

  it('in memory, hands over the same bytes while its buffer grows from small (each size it passes, parts larger than it), and a small report whole', async () => {
    for (const runs of [0, 10, 300, 700, 1_500, 5_000]) {
      const expected: string[] = [];
      const taken: Buffer[] = [];
      await writeReportFile({ file: 'report.txt', onReport: (content) => taken.push(content) }, produceMixed(runs, expected));
      expect(taken).toHaveLength(1);
      expect(taken[0]!.toString('utf8')).toBe(expected.join(''));
    }
    // Text and bytes that fill the first buffer exactly, then one more byte.
    const taken: Buffer[] = [];
    await writeReportFile({ file: 'report.txt', onReport: (content) => taken.push(content) }, async (out) => {
      await out.write('a'.repeat(8 * 1024 - 1));
      await out.writeBytes(Buffer.from('b'));
      await out.write('c');
      await out.writeBytes(Buffer.from('d'.repeat(20_000)));
    });
    expect(taken[0]!.toString('utf8')).toBe(`${'a'.repeat(8 * 1024 - 1)}bc${'d'.repeat(20_000)}`);
  });

  it('leaves no file when producing the report fails', async () => {
    const file = reportPath();
    await expect(
      writeReportFile(file, async (out) => {
        await out.write('x'.repeat(100 * 1024));
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(() => readFileSync(file)).toThrow();
    expect(() => readFileSync(`${file}.partial`)).toThrow();
  });
});
