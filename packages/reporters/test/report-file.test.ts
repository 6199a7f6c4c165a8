import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeReportFile } from '../src/shared/report-file.js';

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
  it('writes text and bytes in order through its buffer: multi-byte text at the buffer end, parts larger than the buffer, a reused chunk', async () => {
    const file = reportPath();
    const expected: string[] = [];
    const reused = Buffer.alloc(100);
    await writeReportFile(file, async (out) => {
      for (let i = 0; i < 5000; i++) {
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
    });
    expect(readFileSync(file, 'utf8')).toBe(expected.join(''));
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
