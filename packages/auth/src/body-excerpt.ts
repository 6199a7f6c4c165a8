/**
 * A short one-line excerpt of an error response that carries no OAuth error fields (RFC 6749 §5.2): the HTML
 * page or plain text a proxy, a gateway or a crashed server answers a token request with. Of an HTML page only
 * its `<title>` or first heading (its other text may hold anything), of plain text its beginning; whitespace
 * folded, at most 200 characters. Token-like runs are masked: a body that is no token response was never parsed
 * for tokens, so none of its values is registered with the redactor (registered secrets, like an echoed client
 * secret, are redacted later as in any message).
 */

/** Longest excerpt, in characters (as curl's and Newman's one-line summaries). */
const MAX_EXCERPT = 200;

/**
 * A run that looks like a token, a key or a JWT: 32 or more characters with no space, or 16 or more that mix
 * letters and digits (`sess-5f1c2a9b7e3d`). Words and numbers of a message (`Service`, `503`) are left.
 */
const TOKEN_LIKE = /[\w.~+/=-]{32,}|(?=[\w.~+/=-]*\d)(?=[\w.~+/=-]*[A-Za-z])[\w.~+/=-]{16,}/g;

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&amp;/gi, '&');
}

/** The `<title>` of a page, or else its first heading, without markup; undefined when it has neither. */
function readHtmlHeading(html: string): string | undefined {
  for (const pattern of [/<title[^>]*>([\s\S]*?)<\/title>/i, /<h[1-3][^>]*>([\s\S]*?)<\/h[1-3]>/i]) {
    const text = pattern.exec(html)?.[1]?.replace(/<[^>]*>/g, ' ');
    if (text !== undefined && text.trim() !== '') return decodeEntities(text);
  }
  return undefined;
}

/** The excerpt of `text`, or undefined when it has no readable text (or is a page without title or heading). */
export function excerptBody(text: string, contentType: string | undefined): string | undefined {
  const html = (contentType ?? '').includes('html') || /^\s*</.test(text);
  let readable = html ? readHtmlHeading(text) : text;
  if (readable === undefined) return undefined;
  // One line: control characters and runs of whitespace become one space.
  readable = readable.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  readable = readable.replace(TOKEN_LIKE, '[…]');
  if (readable === '') return undefined;
  return readable.length > MAX_EXCERPT ? `${readable.slice(0, MAX_EXCERPT - 1)}…` : readable;
}
