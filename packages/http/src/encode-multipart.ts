/**
 * multipart/form-data serialisation.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7578
 */
import { basename } from 'node:path';
import { type Body, ErrorCode, guessMediaType, SortieError } from '@sortie/core';
import { fieldText } from './field-text.js';
import { type BodyFiles, readBodyFile } from './read-body-file.js';

const QUOTE = /"/g;
const CR = /\r/g;
const LF = /\n/g;
/** CR, LF and NUL: never in a field value (RFC 9110 §5.5); in a part's Content-Type they would start a header of their own. */
const FIELD_BREAK = /[\r\n\0]/;

/** One part of a multipart body as written in a scenario. */
export type MultipartPart = NonNullable<Body['multipart']>[number];

/** A serialised multipart body: its bytes and the content type carrying the boundary. */
export interface EncodedMultipart {
  body: Uint8Array;
  contentType: string;
}

/**
 * Escapes a name or filename for a `Content-Disposition` parameter the way browsers do
 * (`"` → `%22`, CR → `%0D`, LF → `%0A`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7578#section-4.2
 * @see https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#multipart-form-data
 */
function escapeDispositionValue(value: string): string {
  return value.replace(QUOTE, '%22').replace(CR, '%0D').replace(LF, '%0A');
}

/**
 * Serialises fields and files into multipart/form-data. Files are read from disk relative to `baseDir`;
 * each file part carries a filename (default: the file's base name) and a content type (default: guessed
 * from the extension). A value part gets a Content-Type header only when `contentType` is given.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7578#section-4
 */
export async function encodeMultipart(parts: readonly MultipartPart[], baseDir: string, carried?: BodyFiles): Promise<EncodedMultipart> {
  // 1. A boundary that cannot occur by accident in the content (RFC 7578 §4.1, RFC 2046 §5.1.1: at most 70 chars).
  // Web Crypto: node:crypto loads only when a multipart body is sent (cold start, BENCHMARKS.md).
  const boundary = `----sortie${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('hex')}`;
  const files = await Promise.all(parts.map((part) => (part.file === undefined ? undefined : readBodyFile(part.file, baseDir, carried))));

  const chunks: Uint8Array[] = [];
  parts.forEach((part, index) => {
    if (part.contentType !== undefined && FIELD_BREAK.test(part.contentType)) {
      // As a request header with a line break is refused: the part's header section must stay what was written.
      throw new SortieError(
        ErrorCode.INVALID_INPUT,
        'Invalid request',
        `invalid Content-Type of multipart part "${part.name}": it holds a line break`,
        {
          hint: 'a content type is one line: check the variable that fills it',
        },
      );
    }
    // 2. Each part has a Content-Disposition of form-data with the field name (RFC 7578 §4.2).
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeDispositionValue(part.name)}"`;
    const file = files[index];
    if (file !== undefined && part.file !== undefined) {
      // 3. File parts carry a filename and a content type (RFC 7578 §4.2, §4.4).
      const filename = part.filename ?? basename(part.file);
      head += `; filename="${escapeDispositionValue(filename)}"\r\nContent-Type: ${part.contentType ?? guessMediaType(part.file)}\r\n\r\n`;
      chunks.push(Buffer.from(head), file, Buffer.from('\r\n'));
    } else {
      if (part.filename !== undefined) head += `; filename="${escapeDispositionValue(part.filename)}"`;
      if (part.contentType !== undefined) head += `\r\nContent-Type: ${part.contentType}`;
      chunks.push(Buffer.from(`${head}\r\n\r\n${fieldText(part.value ?? '')}\r\n`));
    }
  });
  // 4. The closing delimiter (RFC 2046 §5.1.1).
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const MULTIPART_TYPE = /^\s*multipart\/[^\s;]+/i;
const BOUNDARY_PARAMETER = /;\s*boundary\s*=/i;

/**
 * The content type to send with a multipart body when the scenario wrote its own (`Content-Type:
 * multipart/form-data` in `headers`, or `contentType: multipart/related`): a multipart type without a
 * `boundary` parameter gets the body's, as curl adds it, since the server cannot find the parts without it
 * (RFC 2046 §5.1.1: the boundary parameter is required). Any other type is kept as written.
 *
 * @see https://www.rfc-editor.org/rfc/rfc2046#section-5.1.1
 */
export function withMultipartBoundary(written: string, encoded: EncodedMultipart['contentType']): string {
  if (!MULTIPART_TYPE.test(written) || BOUNDARY_PARAMETER.test(written)) return written;
  const boundary = encoded.slice(encoded.indexOf('boundary=') + 'boundary='.length);
  return `${written.trimEnd().replace(/;$/, '')}; boundary=${boundary}`;
}
