import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SPOOL_MEMORY_BYTES, Spool } from '../src/shared/spool.js';
import { TempDir } from '../src/shared/temp-dir.js';

const PREFIX = 'sortie-spool-test-';
const temps: TempDir[] = [];

function newSpool(): Spool {
  const temp = new TempDir(PREFIX);
  temps.push(temp);
  return new Spool(temp);
}

/** Bytes in the spool files on disk (all test spools). */
function bytesOnDisk(): number {
  let total = 0;
  for (const dir of readdirSync(tmpdir()).filter((name) => name.startsWith(PREFIX))) {
    for (const file of readdirSync(join(tmpdir(), dir))) total += statSync(join(tmpdir(), dir, file)).size;
  }
  return total;
}

async function readAll(spool: Spool, start?: number, end?: number): Promise<string> {
  const chunks: Buffer[] = [];
  await spool.copyTo(
    async (chunk) => {
      chunks.push(Buffer.from(chunk));
    },
    start,
    end,
  );
  return Buffer.concat(chunks).toString('utf8');
}

afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

describe('Spool', () => {
  it('keeps small content in memory and never creates a file for it', async () => {
    const spool = newSpool();
    spool.write('héllo ');
    spool.write('world');
    expect(spool.spilled).toBe(false);
    expect(spool.size).toBe(Buffer.byteLength('héllo world'));
    expect(bytesOnDisk()).toBe(0);
    expect(await readAll(spool)).toBe('héllo world');
  });

  it('batches what is appended after the spill into few writes, and reads back every byte', async () => {
    const spool = newSpool();
    const line = `${'s'.repeat(1023)}\n`;
    while (!spool.spilled) spool.write(line);
    const spilledBytes = bytesOnDisk();
    expect(spilledBytes).toBeGreaterThan(SPOOL_MEMORY_BYTES);
    // Ten small appends stay in the batch: the file has not grown.
    for (let i = 0; i < 10; i++) spool.write(line);
    expect(bytesOnDisk()).toBe(spilledBytes);
    // A batch goes out once it reaches 32 KiB.
    for (let i = 0; i < 30; i++) spool.write(line);
    expect(bytesOnDisk()).toBeGreaterThan(spilledBytes);
    expect(bytesOnDisk()).toBeLessThan(spool.size);
    // Reading writes what is still pending first.
    const text = await readAll(spool);
    expect(text.length).toBe(spool.size);
    expect(text).toBe(line.repeat(spool.size / line.length));
    expect(bytesOnDisk()).toBe(spool.size);
    expect(await readAll(spool, line.length, 2 * line.length)).toBe(line);
  });

  it('appends a spilled spool with its pending batch to another one', async () => {
    const source = newSpool();
    const target = newSpool();
    const line = `${'a'.repeat(511)}\n`;
    while (!source.spilled) source.write(line);
    source.write('tail\n');
    target.write('head\n');
    target.append(source);
    expect(target.size).toBe(5 + source.size);
    const text = await readAll(target);
    expect(text.startsWith('head\naaa')).toBe(true);
    expect(text.endsWith('a\ntail\n')).toBe(true);
    expect(text.length).toBe(target.size);
  });

  it('writes the pending batch when sealed, and takes more writes after that', async () => {
    const spool = newSpool();
    const line = `${'z'.repeat(1023)}\n`;
    while (!spool.spilled) spool.write(line);
    spool.write('last\n');
    spool.seal();
    expect(bytesOnDisk()).toBe(spool.size);
    spool.write('after\n');
    expect((await readAll(spool)).endsWith('last\nafter\n')).toBe(true);
  });

  it('after the spill, keeps multi-byte text, text longer than a batch and text that crosses a batch in order', async () => {
    const spool = newSpool();
    const parts = ['x'.repeat(SPOOL_MEMORY_BYTES + 1), 'é€💳\n', 'y'.repeat(40 * 1024), 'z'.repeat(32 * 1024 - 3), 'ü😀\n', 'end'];
    for (const part of parts) spool.write(part);
    expect(spool.spilled).toBe(true);
    expect(spool.size).toBe(Buffer.byteLength(parts.join('')));
    expect(await readAll(spool)).toBe(parts.join(''));
  });

  it('reads back many small ranges of a spilled spool, in order, out of order and across its read window, also after more writes', async () => {
    const spool = newSpool();
    const records: Array<[number, number, string]> = [];
    for (let i = 0; i < 3000; i++) {
      const text = `{"run":${i},"user":"üser-${i}"}\n`;
      const start = spool.size;
      spool.write(text);
      records.push([start, spool.size, text]);
    }
    expect(spool.spilled).toBe(true);
    for (const [start, end, text] of records) expect(await readAll(spool, start, end)).toBe(text);
    for (const at of [2999, 0, 1500, 17, 2998]) {
      const [start, end, text] = records[at] as [number, number, string];
      expect(await readAll(spool, start, end)).toBe(text);
    }
    // A range longer than the 64 KiB window, starting inside it.
    expect(await readAll(spool, 5, spool.size)).toBe(
      records
        .map(([, , text]) => text)
        .join('')
        .slice(5),
    );
    const start = spool.size;
    spool.write('more\n');
    expect(await readAll(spool, start, spool.size)).toBe('more\n');
    expect((await readAll(spool)).endsWith('"üser-2999"}\nmore\n')).toBe(true);
  });
});
