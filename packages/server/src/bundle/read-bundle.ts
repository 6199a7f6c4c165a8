import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { ErrorCode, SortieError } from '@sortie/core';
import { Parser, type ReadEntry } from 'tar';

/** Limits on an uploaded plan bundle; each is checked before anything is written. */
export interface BundleLimits {
  /** Bytes of the gzip-compressed upload (default 20 MiB). */
  maxBytes?: number;
  /** Bytes of all files once decompressed (default 100 MiB): a gzip bomb stops here. */
  maxUnpackedBytes?: number;
  /** Entries in the archive (default 10,000). */
  maxEntries?: number;
}

export const DEFAULT_BUNDLE_LIMITS: Required<BundleLimits> = {
  maxBytes: 20 * 1024 * 1024,
  maxUnpackedBytes: 100 * 1024 * 1024,
  maxEntries: 10_000,
};

/** One checked entry of a bundle: a file with its bytes, a folder, or a link that stays inside. */
export type BundleEntry =
  | { type: 'file'; path: string; data: Buffer }
  | { type: 'directory'; path: string }
  | { type: 'symlink'; path: string; target: string };

/**
 * Reads a `.tar.gz` plan bundle into memory and checks every entry: no absolute path, no `..`
 * segment, no link that resolves outside the bundle, no device or FIFO, size and count limits.
 * Nothing is written: a caller writes the entries only when the whole bundle passed.
 */
export async function readBundle(archive: Buffer, limits: BundleLimits = {}): Promise<BundleEntry[]> {
  const { maxBytes, maxUnpackedBytes, maxEntries } = { ...DEFAULT_BUNDLE_LIMITS, ...limits };
  if (archive.length > maxBytes) throw bundleError(`the bundle is ${archive.length} bytes, over the limit of ${maxBytes}`);
  let tarBytes: Buffer;
  try {
    // maxOutputLength stops a gzip bomb while it inflates, not after.
    tarBytes = gunzipSync(archive, { maxOutputLength: maxUnpackedBytes + 1024 * 1024 });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw bundleError(`the bundle unpacks to more than ${maxUnpackedBytes} bytes`);
    throw bundleError('the bundle is not a gzip-compressed tar archive');
  }
  const entries: BundleEntry[] = [];
  const problems: string[] = [];
  let unpacked = 0;
  await new Promise<void>((resolveParse, rejectParse) => {
    const parser = new Parser({ strict: true });
    parser.on('entry', (entry: ReadEntry) => {
      // The archive's own root (`./`, as `tar -C dir .` writes it) is the bundle folder itself.
      if (entry.type === 'Directory' && /^(\.\/?)+$/.test(entry.path)) {
        entry.resume();
        return;
      }
      const checked = checkEntry(entry);
      if (typeof checked === 'string') {
        problems.push(checked);
        entry.resume();
        return;
      }
      if (entries.length >= maxEntries) {
        problems.push(`more than ${maxEntries} entries`);
        entry.resume();
        return;
      }
      if (checked.type !== 'file') {
        entries.push(checked);
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => {
        unpacked += chunk.length;
        if (unpacked <= maxUnpackedBytes) chunks.push(chunk);
      });
      entry.on('end', () => entries.push({ type: 'file', path: checked.path, data: Buffer.concat(chunks) }));
    });
    parser.on('error', (error: Error) => rejectParse(bundleError(`the archive is malformed: ${error.message}`)));
    parser.on('warn', (_code: string, message: string) => problems.push(`the archive is malformed: ${message}`));
    parser.on('end', () => resolveParse());
    Readable.from([tarBytes]).pipe(parser);
  });
  if (unpacked > maxUnpackedBytes) problems.push(`the bundle unpacks to more than ${maxUnpackedBytes} bytes`);
  problems.push(...conflicts(entries));
  if (problems.length > 0) throw bundleError(problems.slice(0, 20).join('; '));
  return entries;
}

/** The normalised relative path of an entry, or why the entry is refused. */
function checkEntry(entry: ReadEntry): BundleEntry | { type: 'file'; path: string } | string {
  const path = checkPath(entry.path);
  if (path === undefined) {
    return `refused path ${JSON.stringify(entry.path.slice(0, 200))}: only relative paths without "..", of names up to ${MAX_NAME_BYTES} bytes and at most ${MAX_PATH_BYTES} bytes in all, are allowed`;
  }
  switch (entry.type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      return { type: 'file', path };
    case 'Directory':
      return { type: 'directory', path };
    case 'SymbolicLink':
    case 'Link': {
      const target = entry.linkpath ?? '';
      // A symbolic link resolves from its own folder; a hard link names a path from the archive root.
      const base = entry.type === 'Link' ? '.' : posix.dirname(path);
      if (target === '' || posix.isAbsolute(target) || /^[A-Za-z]:|\\/.test(target) || target.includes('\0')) {
        return `refused link ${JSON.stringify(path)}: its target ${JSON.stringify(target)} is not a relative path`;
      }
      // normalize, not resolve: resolve clamps "/../.." at the root and would hide an escape.
      const resolved = posix.normalize(`${base}/${target}`);
      if (resolved === '..' || resolved.startsWith('../')) return `refused link ${JSON.stringify(path)}: it points outside the bundle`;
      if (resolved === '.' || resolved === './') return `refused link ${JSON.stringify(path)}: it points at the bundle's root`;
      return { type: 'symlink', path, target: entry.type === 'Link' ? posix.relative(posix.dirname(path), resolved) : target };
    }
    default:
      return `refused entry ${JSON.stringify(path)}: ${entry.type} entries are not allowed`;
  }
}

/**
 * Entries that cannot all be written: the same path twice (other than a folder repeated), or a path
 * under a file or a link ("a" a file and "a/b", or "d" a link and "d/x"); and links to a folder or
 * whose target passes through another link. Refused rather than letting the last one win, so what is stored is
 * what was sent.
 */
function conflicts(entries: readonly BundleEntry[]): string[] {
  const types = new Map<string, BundleEntry['type']>();
  const problems: string[] = [];
  for (const entry of entries) {
    const known = types.get(entry.path);
    if (known !== undefined && (known !== 'directory' || entry.type !== 'directory')) {
      problems.push(`refused entry ${JSON.stringify(entry.path)}: the archive has it more than once`);
    }
    if (known === undefined || known === 'directory') types.set(entry.path, entry.type);
  }
  for (const entry of entries) {
    const segments = entry.path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      const type = types.get(parent);
      if (type !== undefined && type !== 'directory') {
        problems.push(
          `refused entry ${JSON.stringify(entry.path)}: ${JSON.stringify(parent)} is a ${type === 'file' ? 'file' : 'link'}, not a folder`,
        );
        break;
      }
    }
  }
  // A link to a folder would let a path read "L/.." one way and the file system resolve it another:
  // links may name files only (`sortie run --remote` follows links and sends none).
  const folders = new Set<string>();
  for (const entry of entries) {
    const segments = entry.path.split('/');
    for (let i = 1; i < segments.length; i++) folders.add(segments.slice(0, i).join('/'));
    if (entry.type === 'directory') folders.add(entry.path);
  }
  for (const entry of entries) {
    if (entry.type === 'symlink' && folders.has(posix.normalize(`${posix.dirname(entry.path)}/${entry.target}`).replace(/\/+$/, ''))) {
      problems.push(`refused link ${JSON.stringify(entry.path)}: it points at a folder; links may point at files only`);
    }
  }
  for (const entry of entries) {
    if (entry.type !== 'symlink') continue;
    // The target's path is checked by its letters; the file system resolves a link inside it by its
    // target, so "L/../../x" with L -> "../.." goes two folders higher than it reads: refused.
    const walk: string[] = [];
    const steps = [...posix.dirname(entry.path).split('/'), ...entry.target.split('/')].filter((step) => step !== '' && step !== '.');
    for (const step of steps.slice(0, -1)) {
      if (step === '..') {
        walk.pop();
        continue;
      }
      walk.push(step);
      if (types.get(walk.join('/')) === 'symlink') {
        problems.push(`refused link ${JSON.stringify(entry.path)}: its target goes through the link ${JSON.stringify(walk.join('/'))}`);
        break;
      }
    }
  }
  return problems;
}

/** The longest name of one file or folder most file systems take, in bytes. */
const MAX_NAME_BYTES = 255;
/** The longest path in a bundle, in bytes: with the server's data folder in front it stays below PATH_MAX. */
const MAX_PATH_BYTES = 1024;

/**
 * A safe relative path, normalised, or undefined: absolute paths (POSIX or Windows), `..` segments,
 * backslashes and NUL bytes are refused rather than rewritten, so what is stored is what was sent.
 */
export function checkPath(raw: string): string | undefined {
  if (raw === '' || raw.includes('\0') || raw.includes('\\')) return undefined;
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) return undefined;
  const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0 || segments.some((segment) => segment === '..' || Buffer.byteLength(segment) > MAX_NAME_BYTES))
    return undefined;
  const path = segments.join('/');
  return Buffer.byteLength(path) > MAX_PATH_BYTES ? undefined : path;
}

function bundleError(message: string): SortieError {
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid bundle', message, {
    hint: 'a plan bundle is a .tar.gz of relative paths inside one folder, as `sortie run --remote` makes it',
  });
}
