/**
 * Numbers written with more precision than a JavaScript number keeps (IEEE 754 binary64: 15–17
 * significant digits, integers exact to 2^53). `JSON.parse` and the YAML parser read
 * `9007199254740993` as 9007199254740992 and `12345678901234567891` as 12345678901234567000, without
 * a word; such a value in a body, a header, a variable or a database parameter was then sent
 * changed. The loaders of scenario, environment and project files refuse one where it would be sent
 * (see load-file.ts). A number written in another form with the same value (`1.50`, `1E3`, `1e21`)
 * is exact.
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-6 (interoperability of numbers beyond binary64)
 */
import type { PathSegment } from './json-path.js';

export { isExactLiteral } from '@sortie/core';

/** A number whose value as read differs from the value written. */
export interface InexactNumber {
  path: PathSegment[];
  /** The literal as written. */
  written: string;
  /** The value it is read as. */
  readAs: number;
  /** Offset of the literal in the text. */
  offset: number;
}
