import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPath, readBundle } from '../src/bundle/read-bundle.js';
import { writeBundle } from '../src/bundle/write-bundle.js';
import { rawTarGz } from './hostile-tar.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sortie-bundle-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A .tar.gz made by GNU tar from `dir` (with -P, so hostile names are kept as written). */
function tarOf(dir: string, names: string[], extra: string[] = []): Buffer {
  return execFileSync('tar', ['-czf', '-', '-P', ...extra, '-C', dir, ...names], { maxBuffer: 64 * 1024 * 1024 });
}

async function refusal(archive: Buffer, limits = {}): Promise<Error & { code: string; title: string }> {
  try {
    await readBundle(archive, limits);
  } catch (error) {
    return error as Error & { code: string; title: string };
  }
  throw new Error('expected the bundle to be refused');
}

describe('readBundle + writeBundle', () => {
  it('accepts a project folder with nested files and an inside link, and writes it back byte for byte', async () => {
    const src = join(work, 'ok');
    await mkdir(join(src, 'scenarios', 'sub'), { recursive: true });
    await writeFile(join(src, 'scenarios', 'a.json'), '{"steps":[]}');
    await writeFile(join(src, 'scenarios', 'sub', 'data.csv'), 'id\n1\n');
    await symlink('../a.json', join(src, 'scenarios', 'sub', 'link.json'));
    const entries = await readBundle(tarOf(src, ['scenarios']));
    expect(entries.map((e) => `${e.type} ${e.path}`).sort()).toEqual([
      'directory scenarios',
      'directory scenarios/sub',
      'file scenarios/a.json',
      'file scenarios/sub/data.csv',
      'symlink scenarios/sub/link.json',
    ]);
    const out = join(work, 'ok-out');
    await writeBundle(entries, out);
    expect(await readFile(join(out, 'scenarios', 'sub', 'link.json'), 'utf8')).toBe('{"steps":[]}');
    expect(await readlink(join(out, 'scenarios', 'sub', 'link.json'))).toBe('../a.json');
    expect(await readFile(join(out, 'scenarios', 'sub', 'data.csv'), 'utf8')).toBe('id\n1\n');
  });

  it('refuses a path with ".." and writes nothing', async () => {
    const inner = join(work, 'dotdot', 'inner');
    await mkdir(inner, { recursive: true });
    await writeFile(join(work, 'dotdot', 'evil.txt'), 'x');
    await writeFile(join(inner, 'fine.txt'), 'y');
    const error = await refusal(tarOf(inner, ['fine.txt', '../evil.txt']));
    expect(error.code).toBe('SORTIE_INVALID_INPUT');
    expect(error.title).toBe('Invalid bundle');
    expect(error.message).toContain('"../evil.txt"');
  });

  it('refuses an absolute path', async () => {
    const dir = join(work, 'abs');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'f.txt'), 'z');
    const error = await refusal(tarOf(dir, [join(dir, 'f.txt')]));
    expect(error.message).toContain('only relative paths');
  });

  it('refuses a symbolic link that points outside the bundle, relative or absolute', async () => {
    const dir = join(work, 'links');
    await mkdir(dir, { recursive: true });
    await symlink('../../../../etc/passwd', join(dir, 'up'));
    await symlink('/etc/passwd', join(dir, 'abs'));
    const error = await refusal(tarOf(dir, ['up', 'abs']));
    expect(error.message).toContain('refused link "up": it points outside the bundle');
    expect(error.message).toContain('refused link "abs"');
  });

  it('refuses a hard link to a file outside the bundle', async () => {
    const dir = join(work, 'hard');
    await mkdir(join(dir, 'a'), { recursive: true });
    await writeFile(join(dir, 'a', 'x'), 'x');
    // GNU tar stores the second name of one inode as a hard link to the first.
    execFileSync('ln', [join(dir, 'a', 'x'), join(dir, 'a', 'y')]);
    const archive = tarOf(dir, ['a/x', 'a/y'], ['--transform', 's,^a/x$,../x,']);
    const error = await refusal(archive);
    expect(error.message).toMatch(/refused (path|link)/);
  });

  it('refuses a device or FIFO entry', async () => {
    const dir = join(work, 'fifo');
    await mkdir(dir, { recursive: true });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const error = await refusal(tarOf(dir, ['pipe']));
    expect(error.message).toContain('FIFO entries are not allowed');
  });

  it('stops a gzip bomb at the unpacked-size limit without inflating it whole', async () => {
    const dir = join(work, 'bomb');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'zeros'), Buffer.alloc(8 * 1024 * 1024));
    const archive = tarOf(dir, ['zeros']);
    expect(archive.length).toBeLessThan(64 * 1024);
    const error = await refusal(archive, { maxUnpackedBytes: 1024 * 1024 });
    expect(error.message).toContain('unpacks to more than 1048576 bytes');
  });

  it('refuses an upload over the size limit, too many entries, and data that is not a tar.gz', async () => {
    const dir = join(work, 'many');
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < 5; i++) await writeFile(join(dir, `f${i}`), String(i));
    const archive = tarOf(dir, ['f0', 'f1', 'f2', 'f3', 'f4']);
    expect((await refusal(archive, { maxBytes: 10 })).message).toContain('over the limit of 10');
    expect((await refusal(archive, { maxEntries: 3 })).message).toContain('more than 3 entries');
    expect((await refusal(Buffer.from('not gzip'))).message).toContain('not a gzip-compressed tar archive');
    expect((await refusal(gzipSync(Buffer.from('x'.repeat(1000))))).message).toMatch(/malformed/);
  });

  it('writes nothing when any entry is refused', async () => {
    const dir = join(work, 'mixed');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'good.json'), '{}');
    await symlink('/etc', join(dir, 'bad'));
    await refusal(tarOf(dir, ['good.json', 'bad']));
    // readBundle never writes; nothing to clean up and no partial folder exists.
    expect(await readdir(work)).not.toContain('mixed-out');
  });
});

describe('readBundle: entries that cannot all be written as sent', () => {
  const manifest = { name: 'sortie-bundle.json', data: '{"version":1,"files":["a.json"]}' };

  it('refuses a path twice, a path under a file, and a path under a link (each was a 500 when written)', async () => {
    const twice = await refusal(rawTarGz([manifest, { name: 'a.json', data: '{}' }, { name: 'a.json', data: '{"x":1}' }]));
    expect(twice.message).toContain('refused entry "a.json": the archive has it more than once');
    const underFile = await refusal(
      rawTarGz([
        { name: 'a.json', data: '{}' },
        { name: 'a.json/b.json', data: '{}' },
      ]),
    );
    expect(underFile.message).toContain('refused entry "a.json/b.json": "a.json" is a file, not a folder');
    const underLink = await refusal(
      rawTarGz([
        { name: 'd', type: '2', link: 'x.json' },
        { name: 'x.json', data: '{}' },
        { name: 'd/x.json', data: '{}' },
      ]),
    );
    expect(underLink.message).toContain('refused entry "d/x.json": "d" is a link, not a folder');
    // A folder listed twice is one folder.
    const entries = await readBundle(
      rawTarGz([
        { name: 'd', type: '5' },
        { name: 'd', type: '5' },
        { name: 'd/a.json', data: '{}' },
      ]),
    );
    expect(entries.map((entry) => `${entry.type} ${entry.path}`)).toEqual(['directory d', 'directory d', 'file d/a.json']);
  });

  it('refuses a link through a link to a folder, which read inside the bundle but led out of it', async () => {
    // L -> "../../.." from d/d/d/d goes to "d"; "L/../../../../x" reads as "x" but resolves four folders higher.
    const error = await refusal(
      rawTarGz([
        { name: 'd/d/d/d', type: '5' },
        { name: 'd/d/d/d/L', type: '2', link: '../../..' },
        { name: 'data.csv', type: '2', link: 'd/d/d/d/L/../../../../../etc/passwd' },
      ]),
    );
    expect(error.message).toContain('refused link "d/d/d/d/L": it points at a folder; links may point at files only');
    expect(error.message).toContain('refused link "data.csv": its target goes through the link "d/d/d/d/L"');
    const dirLink = await refusal(
      rawTarGz([
        { name: 'sub/a.json', data: '{}' },
        { name: 'l', type: '2', link: 'sub/' },
      ]),
    );
    expect(dirLink.message).toContain('refused link "l": it points at a folder');
  });
});

describe('checkPath', () => {
  it.each([
    ['a/b.json', 'a/b.json'],
    ['./a//b.json', 'a/b.json'],
    ['../a', undefined],
    ['a/../../b', undefined],
    ['/etc/passwd', undefined],
    ['C:/x', undefined],
    ['a\\..\\b', undefined],
    ['a\0b', undefined],
    ['', undefined],
    ['.', undefined],
    [`${'n'.repeat(256)}.json`, undefined],
    [Array.from({ length: 300 }, () => 'abcd').join('/'), undefined],
  ])('%j → %j', (raw, expected) => {
    expect(checkPath(raw)).toBe(expected);
  });
});
