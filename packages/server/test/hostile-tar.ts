import { gzipSync } from 'node:zlib';

/** One entry of a hand-made archive: tar tools will not write most of these. */
export interface RawEntry {
  name: string;
  /** '0' file, '2' symbolic link, '1' hard link, '5' folder. */
  type?: '0' | '1' | '2' | '5';
  data?: string;
  link?: string;
}

/** A .tar.gz of ustar headers written byte by byte, so hostile entries (duplicates, odd links) are kept as given. */
export function rawTarGz(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? '');
    const header = Buffer.alloc(512);
    const put = (offset: number, length: number, value: string) => header.write(value, offset, length, 'utf8');
    const octal = (offset: number, length: number, value: number) =>
      put(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
    put(0, 100, entry.name);
    octal(100, 8, entry.type === '5' ? 0o755 : 0o644);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, data.length);
    octal(136, 12, 0);
    header.fill(' ', 148, 156);
    put(156, 1, entry.type ?? '0');
    put(157, 100, entry.link ?? '');
    put(257, 8, 'ustar\x0000');
    let sum = 0;
    for (const byte of header) sum += byte;
    put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
