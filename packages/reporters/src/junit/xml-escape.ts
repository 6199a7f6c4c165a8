/**
 * XML 1.0 escaping. Characters that XML 1.0 cannot carry at all (most C0 controls, lone
 * surrogates, U+FFFE/U+FFFF) are replaced by a visible `\uXXXX` text, and so are the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), as the CLI
 * and HTML reports show them: valid XML, but the CI page that lists a test case (Jenkins, GitLab,
 * Azure DevOps) would show the rest of its line reversed. DEL and the C1 controls (U+007F–U+009F),
 * which XML 1.0 allows but discourages (§2.2) and XML 1.1 restricts, are written so too: the CLI and
 * HTML reports show them so, and a CSI (U+009B) reached a terminal that printed the file raw.
 * @see https://www.w3.org/TR/xml/#charsets
 * @see https://www.w3.org/TR/xml/#AVNormalize
 * @see https://www.unicode.org/reports/tr9/#Explicit_Directional_Embeddings (UAX #9 §2.1–§2.4)
 */

/** Everything outside `Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`. */
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** DEL, the C1 controls, the bidirectional embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const SHOWN_ESCAPED = /[\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Replaces characters XML 1.0 cannot represent. */
export function replaceInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** Escapes text content of an element. */
export function escapeXmlText(text: string): string {
  return replaceInvalidXmlChars(text)
    .replace(SHOWN_ESCAPED, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * Escapes an attribute value (for double quotes). Tabs and line breaks become character
 * references, otherwise attribute-value normalisation would turn them into spaces.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
