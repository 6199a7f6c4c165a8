/**
 * A request/response/DB body as page text: JSON pretty-printed, XML indented, binary described.
 * The XML indenter is hand-written on purpose: it only re-indents for reading (a parse is not
 * needed and a failed one must still show the text), and the reporters package stays on core only.
 */
import type { BodyPreview } from '@sortie/core';
import { allowedIndentation, prettyPrintJson } from '../shared/pretty-json.js';
import type { HtmlText } from './escape-html.js';

/** Bodies longer than this (in characters) are shown as they are, not re-formatted. */
const PRETTY_LIMIT = 256 * 1024;

/**
 * A body kept longer than this (in characters) is put in a closed `<details>` of its own, laid out
 * only when opened; a shorter one (every body under the default `maxBodyInReport`, 10 KiB) is shown
 * with the rest of its step. A `<details>` per body was a third of the work Chromium did to load a
 * report of thousands of steps, to hide a few lines already hidden in the step's own `<details>`.
 */
export const BODY_FOLD_ABOVE = 64 * 1024;

/** Renders a body as a `<pre>` under its label, in a closed `<details>` if it is long. */
export function renderBody(label: string, body: BodyPreview | undefined, size: number, text: HtmlText, contentType?: string): string {
  if (body === undefined) return size > 0 ? `<p class="body-note">${label}: ${size} bytes (not kept)</p>` : '';
  const cut = body.truncated ? ` (first ${Buffer.byteLength(body.text)} of ${body.size} bytes)` : ` (${body.size} bytes)`;
  if (body.encoding === 'base64') return `<p class="body-note">${label}: binary body, ${body.size} bytes</p>`;
  const shown = body.truncated ? body.text : formatBodyText(body.text, contentType);
  const pre = `<pre>${text.content(shown)}</pre>`;
  if (shown.length > BODY_FOLD_ABOVE) return `<details class="body"><summary>${label}${cut}</summary>${pre}</details>`;
  return `<p class="body-label">${label}${cut}</p>${pre}`;
}

/** Pretty-prints JSON (2 spaces, unless that would blow it up: `prettyPrintJson`) or indents XML; anything else, or anything that does not parse, as it is. */
export function formatBodyText(raw: string, contentType = ''): string {
  if (raw.length > PRETTY_LIMIT) return raw;
  const start = raw.trimStart()[0];
  if (start === '{' || start === '[' || /json/i.test(contentType)) {
    return prettyPrintJson(raw) ?? raw;
  }
  if (start === '<' && (/xml/i.test(contentType) || raw.trimStart().startsWith('<?xml') || contentType === '')) return indentXml(raw);
  return raw;
}

/**
 * Puts each tag on its own line, indented by nesting depth; text between tags stays on its tag's
 * line. XML nested so deep that the indentation would outweigh it (`allowedIndentation`) is left as it came.
 */
export function indentXml(raw: string): string {
  const tokens = raw.split(/(<[^>]*>)/).filter((token) => token.trim() !== '');
  const lines: string[] = [];
  const allowed = allowedIndentation(raw.length);
  let indentation = 0;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    const isOpen = /^<[^/!?][^>]*[^/]>$|^<[^/!?]>$/.test(token);
    if (isOpen && next !== undefined && !next.startsWith('<') && after?.startsWith('</')) {
      // <a>text</a> on one line.
      indentation += 2 * depth;
      if (indentation > allowed) return raw;
      lines.push(`${'  '.repeat(depth)}${token}${next.trim()}${after}`);
      i += 2;
      continue;
    }
    if (token.startsWith('</')) depth = Math.max(0, depth - 1);
    indentation += 2 * depth;
    if (indentation > allowed) return raw;
    lines.push(`${'  '.repeat(depth)}${token.startsWith('<') ? token : token.trim()}`);
    if (isOpen) depth++;
  }
  return lines.join('\n');
}
