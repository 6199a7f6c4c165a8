/**
 * Input files are UTF-8 (a UTF-8 byte order mark is allowed). One saved as UTF-16 (Windows
 * PowerShell's `>` and `Out-File` write UTF-16LE with a byte order mark) decodes to text with a NUL
 * between every letter: a scenario gave "unexpected ��", a CSV file gave column names no variable
 * could match. It is refused, saying so.
 */
import { isUtf8 } from 'node:buffer';
import { ErrorCode, SortieError } from '@sortie/core';

/** Throws INVALID_INPUT (titled `title`, naming `file`) when `bytes` start with a UTF-16 or UTF-32 byte order mark. */
export function checkUtf8(bytes: Uint8Array, file: string, title: string): void {
  const encoding = byteOrderMark(bytes);
  if (encoding === undefined) return;
  throw new SortieError(ErrorCode.INVALID_INPUT, title, `${file} is encoded as ${encoding}, not UTF-8`, {
    location: { file },
    hint: `save it as UTF-8 (e.g. iconv -f ${encoding} -t UTF-8, or PowerShell's Out-File -Encoding utf8)`,
  });
}

function byteOrderMark(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe) return c === 0 && d === 0 ? 'UTF-32LE' : 'UTF-16LE';
  if (a === 0xfe && b === 0xff) return 'UTF-16BE';
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return 'UTF-32BE';
  return undefined;
}

/** The title a loader gives the problem {@link checkUtf8Text} finds, to name it in its own summary. */
export const NOT_UTF8 = 'Not UTF-8';

/**
 * Throws INVALID_INPUT (titled `title`) at the line and column of the first byte of `bytes` that is
 * not UTF-8: a file exported as Windows-1252 or Latin-1 would otherwise read with U+FFFD in place of
 * its accented letters, silently.
 */
export function checkUtf8Text(
  bytes: Buffer,
  file: string,
  title: string,
  hint = 'save it as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8, or "CSV UTF-8" in Excel)',
): void {
  if (isUtf8(bytes)) return;
  const at = findInvalidUtf8(bytes);
  const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  throw new SortieError(ErrorCode.INVALID_INPUT, title, `the file is not UTF-8 text: byte 0x${byte} is not valid UTF-8`, {
    location: { file, ...placeOfByte(bytes, at) },
    hint,
  });
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence (the length when all do). */
function findInvalidUtf8(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at] as number;
    if (lead < 0x80) {
      at += 1;
      continue;
    }
    const extra = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (extra === 0) return at;
    const second = bytes[at + 1] ?? 0;
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF (RFC 3629, section 4).
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f)) return at;
    if ((lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return at;
    for (let next = 1; next <= extra; next++) if (((bytes[at + next] ?? 0) & 0xc0) !== 0x80) return at;
    at += extra + 1;
  }
  return at;
}

/**
 * The 1-based line and column (in characters, a UTF-8 byte order mark not counted) of byte `offset`;
 * lines end at LF, CRLF or CR. The bytes before `offset` must be UTF-8.
 */
export function placeOfByte(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = 0; at < offset; at++) {
    const byte = bytes[at];
    if (byte === 0x0a || (byte === 0x0d && bytes[at + 1] !== 0x0a)) {
      line += 1;
      lineStart = at + 1;
    }
  }
  const text = bytes
    .subarray(lineStart, offset)
    .toString('utf8')
    .replace(/^\ufeff/, '');
  return { line, column: Array.from(text).length + 1 };
}
