/**
 * HTML escaping for text and double-quoted attribute values, with redaction. Every string of a
 * result passes through `HtmlText.text` before it enters the page.
 * @see https://html.spec.whatwg.org/multipage/syntax.html#character-references
 */
import type { Redactor } from '@sortie/core';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * C0 controls other than tab and line breaks, DEL, the C1 controls U+0080–U+009F, lone surrogates,
 * the noncharacters U+FFFE/U+FFFF, and the bidirectional embeddings, overrides and isolates
 * U+202A–U+202E and U+2066–U+2069: shown as `\xNN` / `\uXXXX`, as the CLI shows them. An override is
 * not closed by the end of its element: one in a step name showed the request and status after it
 * on the step line reversed. A C1 control or a noncharacter is a parse error in HTML and showed as
 * an empty box (a CSI U+009B from a name or a body).
 * @see https://html.spec.whatwg.org/multipage/parsing.html#parse-error-control-character-in-input-stream
 */
const UNPRINTABLE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for an element's content or a double-quoted attribute value. */
export function escapeHtml(text: string): string {
  return showUnprintable(text).replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/**
 * Escapes text for an element's content only (never an attribute): quotes stay as they are. A
 * JSON body is mostly quotes, and `&quot;` made a report of thousands of them an eighth bigger.
 * @see https://html.spec.whatwg.org/multipage/parsing.html#data-state (only `&` and `<` start markup in text)
 */
export function escapeHtmlContent(text: string): string {
  return showUnprintable(text).replace(/[&<>]/g, (char) => ENTITIES[char] ?? char);
}

function showUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Turns result strings into page text: redacted, escaped, then redacted again — the second pass
 * catches a secret whose escaped form (the redactor knows it) or raw form only appears once
 * escaped (`&x` becomes `&amp;x`, which contains a secret `amp;x`).
 */
export class HtmlText {
  readonly #redactor: Redactor | undefined;

  constructor(redactor: Redactor | undefined) {
    this.#redactor = redactor;
  }

  /** A string as escaped, redacted page text (also fit for a double-quoted attribute). */
  text(value: string): string {
    const redactor = this.#redactor;
    if (redactor === undefined || redactor.size === 0) return escapeHtml(value);
    return redactor.redact(escapeHtml(redactor.redact(value)));
  }

  /** Like `text`, for an element's content only, never an attribute (quotes are not escaped): bodies. */
  content(value: string): string {
    const redactor = this.#redactor;
    if (redactor === undefined || redactor.size === 0) return escapeHtmlContent(value);
    return redactor.redact(escapeHtmlContent(redactor.redact(value)));
  }

  /**
   * One of the tool's own words (a step kind, an assertion operator, an error code) as page text:
   * escaped, never redacted, as `redactRecord` keeps them in the JSON report — a short secret such
   * as `request` or `equals` hid every step kind or operator on the page.
   */
  own(word: string): string {
    return escapeHtml(word);
  }

  /** Any JSON-like value as page text: strings as they are, anything else as JSON. */
  value(value: unknown): string {
    if (typeof value === 'string') return this.text(JSON.stringify(value));
    if (value === undefined) return '';
    return this.text(JSON.stringify(value) ?? String(value));
  }
}
