/**
 * A body's text as its Content-Type says to read it: the `charset` parameter (RFC 9110 §8.3.2) names
 * the encoding, read with the WHATWG Encoding Standard's decoders (`iso-8859-1` and `latin1` are
 * windows-1252 there, as browsers read them); without one, or with one no decoder knows, UTF-8
 * (RFC 8259 §8.1 for JSON, and what every API tool assumes). Newman reads a charset the same way; a
 * `charset=iso-8859-1` body was read as UTF-8 (`café` became `caf\ufffd`) in assertions, scripts and reports.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.3.2
 * @see https://encoding.spec.whatwg.org/#names-and-labels
 */

import { TextDecoder } from 'node:util';

const CHARSET = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;
const decoders = new Map<string, TextDecoder>();
const utf8 = new TextDecoder('utf-8');

/** The decoder for a Content-Type's charset: UTF-8 when it names none or one no decoder knows. */
function decoderFor(contentType: string | undefined): TextDecoder {
  if (contentType === undefined) return utf8;
  const match = CHARSET.exec(contentType);
  const label = (match?.[1] ?? match?.[2] ?? '').trim().toLowerCase();
  if (label === '' || label === 'utf-8' || label === 'utf8') return utf8;
  let decoder = decoders.get(label);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      decoder = utf8;
    }
    if (decoders.size < 64) decoders.set(label, decoder);
  }
  return decoder;
}

/**
 * windows-1252's characters at 0x80–0x9F (the WHATWG index; the other bytes are Latin-1's). Node 20
 * and 22 decode the label `windows-1252` (and `iso-8859-1`, `latin1`, `ascii`, which name it) as
 * Latin-1: 0x80 gave U+0080 instead of €. Used only where this Node's decoder gets it wrong.
 * @see https://encoding.spec.whatwg.org/index-windows-1252.txt
 */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
let latin1Instead: boolean | undefined;

/**
 * The text of `bytes`, decoded as `contentType`'s charset says (UTF-8 by default; a BOM is dropped).
 * `cut`: the bytes are the first part of a longer body, so a character the cut split (the first bytes
 * of a UTF-8 sequence, half a UTF-16 unit) is left out instead of becoming U+FFFD: decoded as a
 * stream, by a decoder of its own that is never flushed (the shared ones must keep no pending bytes).
 * @see https://encoding.spec.whatwg.org/#dom-textdecoder-decode
 */
export function decodeBodyText(bytes: Uint8Array, contentType: string | undefined, cut = false): string {
  const shared = decoderFor(contentType);
  const decoder = cut ? new TextDecoder(shared.encoding) : shared;
  const text = decoder.decode(bytes, { stream: cut });
  if (decoder.encoding !== 'windows-1252') return text;
  latin1Instead ??= decoder.decode(Uint8Array.of(0x80)) === '\u0080';
  return latin1Instead ? text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] as string) : text;
}

/** The encoding an XML declaration names, read from the bytes as ASCII (RFC 7303 §3.2; XML 1.0 §4.3.3). */
const XML_DECLARATION = /^<\?xml\s[^>]*?\bencoding\s*=\s*(?:"([A-Za-z][\w.-]*)"|'([A-Za-z][\w.-]*)')/;

/**
 * The text of an XML document, for parsing it: in the charset its Content-Type names, else (no
 * `charset`, no byte order mark) in the encoding its XML declaration names, as XML processors read it
 * (`<?xml version="1.0" encoding="ISO-8859-1"?>`: a SOAP service's `Café` was read as UTF-8, `Caf\ufffd`,
 * in XPath selectors). Hurl reads XPath the same way; the body as text stays decodeBodyText's.
 * @see https://www.rfc-editor.org/rfc/rfc7303#section-3.2
 * @see https://www.w3.org/TR/xml/#sec-guessing
 */
export function decodeXmlText(bytes: Uint8Array, contentType: string | undefined): string {
  const bom = bytes[0] === 0xef || bytes[0] === 0xfe || bytes[0] === 0xff;
  if (hasCharset(contentType) || bom) return decodeBodyText(bytes, contentType);
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 256)).toString('latin1');
  const match = XML_DECLARATION.exec(head);
  const label = (match?.[1] ?? match?.[2])?.toLowerCase();
  // A declaration readable as ASCII is in no UTF-16 (a UTF-16 document starts with a BOM).
  if (label === undefined || label.startsWith('utf-16')) return decodeBodyText(bytes, contentType);
  return decodeBodyText(bytes, `text/xml; charset=${label}`);
}

function hasCharset(contentType: string | undefined): boolean {
  return contentType !== undefined && CHARSET.test(contentType);
}

/** Whether `contentType` names a charset other than UTF-8 that a decoder knows. */
export function hasOtherCharset(contentType: string | undefined): boolean {
  return decoderFor(contentType) !== utf8;
}
