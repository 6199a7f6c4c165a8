/**
 * Input files are UTF-8 (a UTF-8 byte order mark is allowed). One saved as UTF-16 (Windows
 * PowerShell's `>` and `Out-File` write UTF-16LE with a byte order mark) decodes to text with a NUL
 * between every letter: a scenario gave "unexpected ��", a CSV file gave column names no variable
 * could match. It is refused, saying so.
 */
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
